//! `ascribe check`: validate rules and evidence without evaluating.

use super::inputs;
use super::ErrorFormat;
use crate::api::Options;
use crate::prelude::*;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Rule files or folders of .ascr files, added to the standard library.
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<PathBuf>,
    /// Do not load the standard rule library.
    #[arg(long)]
    no_default_rules: bool,
    /// Work budget: steps each rule and each question may take; a question that needs more gets guaranteed ranges, narrower the larger the budget (see docs/semantics.md, "Budgets and limits").
    #[arg(long, value_name = "STEPS", default_value_t = crate::engine::budget::DEFAULT_STEPS, value_parser = clap::value_parser!(u64).range(1..))]
    budget: u64,
    /// Largest evidence file accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = inputs::DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,
    /// Evidence files (YAML or JSON) to validate; `-` reads standard input.
    #[arg(value_name = "EVIDENCE")]
    evidence: Vec<PathBuf>,
}

pub fn run(args: Args, errors: ErrorFormat, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> i32 {
    let engine = match inputs::engine(&args.rules, !args.no_default_rules) {
        Ok(e) => e,
        Err(e) => return inputs::report_error(&e, errors, err),
    };
    let evidence = if args.evidence.is_empty() {
        None
    } else {
        match inputs::evidence(&engine, &args.evidence, args.max_file_size) {
            Ok(e) => Some(e),
            Err(e) => return inputs::report_error(&e, errors, err),
        }
    };
    // Everything `eval` would refuse, `check` refuses first, with the same
    // diagnostics: it evaluates too (with every report, as `eval` without
    // `--as-of`), within the budget, which finds the evidence that would exhaust it.
    let mut entangled: Vec<Diagnostic> = vec![];
    if let Some(e) = &evidence {
        let options = Options {
            as_of: None,
            limits: crate::engine::budget::Limits { steps: args.budget, ..Default::default() },
            ..Options::default()
        };
        match engine.evaluate(e, &options) {
            // Questions `eval` answers with ranges rather than exact figures.
            Ok(outcome) => {
                entangled = outcome.weighings().iter().filter_map(|w| crate::engine::inference::bounded_warning(e.set(), w)).collect()
            }
            Err(e) => return inputs::report_error(&e, errors, err),
        }
    }
    let program = engine.program();
    let sources = evidence.as_ref().map_or(engine.sources(), |e| e.sources());
    let standard: Vec<&str> = crate::language::library::STANDARD.iter().map(|(name, _)| *name).collect();
    let own = |rule: &crate::language::program::Rule| !standard.contains(&rule.file.as_str());
    let mut warnings = evidence.as_ref().map(|e| e.set().warnings.clone()).unwrap_or_default();
    warnings.extend(crate::engine::reach::warnings(program, evidence.as_ref().map(|e| e.set()), &own));
    warnings.extend(entangled);
    if !warnings.is_empty() {
        inputs::write_diagnostics(&Diagnostics(warnings.clone()), sources, errors, err);
        if errors == ErrorFormat::Human {
            let _ = writeln!(err, "{} warning{}", warnings.len(), if warnings.len() == 1 { "" } else { "s" });
        }
    }
    let _ = write!(out, "ok: {} rule{}", program.rules.len(), if program.rules.len() == 1 { "" } else { "s" });
    if let Some(e) = evidence.as_ref().map(|e| e.set()) {
        let _ = write!(
            out,
            ", {} report{}, {} question{}",
            e.reports.len(),
            if e.reports.len() == 1 { "" } else { "s" },
            e.questions.len(),
            if e.questions.len() == 1 { "" } else { "s" }
        );
    }
    let _ = writeln!(out);
    super::EXIT_OK
}
