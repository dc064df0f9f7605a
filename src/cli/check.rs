//! `ascribe check`: validate rules and evidence without evaluating.

use super::inputs;
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
    /// Evidence files (YAML or JSON) to validate.
    #[arg(value_name = "EVIDENCE")]
    evidence: Vec<PathBuf>,
}

pub fn run(args: Args, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> i32 {
    let mut sources = Sources::default();
    let program = match inputs::compile(&args.rules, !args.no_default_rules, &mut sources) {
        Ok(p) => p,
        Err(d) => return inputs::report(&d, &sources, err),
    };
    let evidence = if args.evidence.is_empty() {
        None
    } else {
        match inputs::load_evidence(&args.evidence, &program, &mut sources) {
            Ok(e) => Some(e),
            Err(d) => return inputs::report(&d, &sources, err),
        }
    };
    // Everything `eval` would refuse, `check` refuses first, with the same
    // diagnostics: it evaluates too (with every report, as `eval` without `--as-of`).
    if let Some(e) = &evidence {
        let diagnostics = match engine::evaluate(&program, e, &Options::default()) {
            Ok(evaluation) => evaluation.diagnostics,
            Err(d) => d,
        };
        if !diagnostics.is_empty() {
            return inputs::report(&diagnostics, &sources, err);
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
