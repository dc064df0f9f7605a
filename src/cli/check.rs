//! `ascribe check`: validate rules and evidence without evaluating.

use super::inputs;
use super::ErrorFormat;
use crate::engine::{self, Options};
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
    let mut sources = Sources::default();
    let program = match inputs::compile(&args.rules, !args.no_default_rules, &mut sources) {
        Ok(p) => p,
        Err(d) => return inputs::report(&d, &sources, errors, err),
    };
    let evidence = if args.evidence.is_empty() {
        None
    } else {
        match inputs::load_evidence(&args.evidence, &program, &mut sources, args.max_file_size) {
            Ok(e) => Some(e),
            Err(d) => return inputs::report(&d, &sources, errors, err),
        }
    };
    // Everything `eval` would refuse, `check` refuses first, with the same
    // diagnostics: it evaluates too (with every report, as `eval` without
    // `--as-of`), within the budget, which finds the evidence that would exhaust it.
    let mut entangled = vec![];
    if let Some(e) = &evidence {
        let options = Options { as_of: None, limits: crate::engine::budget::Limits { steps: args.budget, ..Default::default() } };
        let (diagnostics, bounded) = match engine::evaluate(&program, e, &options) {
            Ok(evaluation) => {
                // Questions `eval` answers with ranges rather than exact figures.
                let bounded: Vec<Diagnostic> =
                    evaluation.weighings.iter().filter_map(|w| crate::engine::inference::bounded_warning(e, w)).collect();
                (evaluation.diagnostics, bounded)
            }
            Err(d) => (d, vec![]),
        };
        if !diagnostics.is_empty() {
            return inputs::report(&diagnostics, &sources, errors, err);
        }
        entangled = bounded;
    }
    let standard: Vec<&str> = crate::language::library::STANDARD.iter().map(|(name, _)| *name).collect();
    let own = |rule: &crate::language::program::Rule| !standard.contains(&rule.file.as_str());
    let mut warnings = evidence.as_ref().map(|e| e.warnings.clone()).unwrap_or_default();
    warnings.extend(crate::engine::reach::warnings(&program, evidence.as_ref(), &own));
    warnings.extend(entangled);
    if !warnings.is_empty() {
        inputs::write_diagnostics(&Diagnostics(warnings.clone()), &sources, errors, err);
        if errors == ErrorFormat::Human {
            let _ = writeln!(err, "{} warning{}", warnings.len(), if warnings.len() == 1 { "" } else { "s" });
        }
    }
    let _ = write!(out, "ok: {} rule{}", program.rules.len(), if program.rules.len() == 1 { "" } else { "s" });
    if let Some(e) = evidence {
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
