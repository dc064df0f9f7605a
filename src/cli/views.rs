//! What `matrix`, `timeline`, `sensitivity` and `report` share: the inputs and
//! flags of `eval`, loaded and checked the same way.

use super::inputs;
use super::ErrorFormat;
use crate::api::{Engine, Evidence};
use crate::engine::budget::Limits;
use crate::engine::Options;
use crate::prelude::*;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Inputs {
    /// Rule files or folders of .ascr files, added to the standard library.
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<PathBuf>,
    /// Do not load the standard rule library.
    #[arg(long)]
    no_default_rules: bool,
    /// Work budget: steps each rule and each question may take (see docs/semantics.md, "Budgets and limits").
    #[arg(long, value_name = "STEPS", default_value_t = crate::engine::budget::DEFAULT_STEPS, value_parser = clap::value_parser!(u64).range(1..))]
    budget: u64,
    /// Largest evidence file accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = inputs::DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,
    /// Count only reports made on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = super::eval::parse_date)]
    as_of: Option<Date>,
    /// Most reports per question given what-ifs in the sensitivity and the matrix
    /// (the most influential first); a question with more gets a warning.
    #[arg(long, value_name = "N", default_value_t = crate::engine::views::DEFAULT_MAX_REPORTS as u64, value_parser = clap::value_parser!(u64).range(1..))]
    max_reports: u64,
    /// Evidence files (YAML or JSON), evaluated together as one set; `-` reads standard input.
    #[arg(required = true, value_name = "EVIDENCE")]
    evidence: Vec<PathBuf>,
}

/// The arguments of `matrix`, `timeline` and `sensitivity`, which differ only
/// in the view they compute.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    inputs: Inputs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Markdown,
}

pub struct Loaded {
    pub engine: Engine,
    pub evidence: Evidence,
    pub options: Options,
    /// `--max-reports`: what-ifs per question at most.
    pub max_reports: usize,
}

impl Loaded {
    /// The evaluation and its what-ifs (at most `--max-reports` per question),
    /// with the diagnostics to print: what `matrix` and `sensitivity` start from.
    pub fn what_ifs(&self) -> Result<(crate::engine::Evaluation, Vec<crate::engine::views::WhatIf>, Diagnostics), Diagnostics> {
        let (program, evidence) = (self.engine.program(), self.evidence.set());
        let base = crate::engine::evaluate(program, evidence, &self.options)?;
        let (what_ifs, capped) = crate::engine::views::what_ifs_capped(program, evidence, &self.options, &base, self.max_reports);
        let warnings = with_warnings(base.diagnostics.clone(), capped);
        Ok((base, what_ifs, warnings))
    }
}

/// Compiles the rules and loads the evidence; `Err` with the exit code once the
/// diagnostics are written.
pub fn load(inputs: &Inputs, errors: ErrorFormat, err: &mut dyn std::io::Write) -> Result<Loaded, i32> {
    let engine = match inputs::engine(&inputs.rules, !inputs.no_default_rules) {
        Ok(e) => e,
        Err(e) => return Err(inputs::report_error(&e, errors, err)),
    };
    let evidence = match inputs::evidence(&engine, &inputs.evidence, inputs.max_file_size) {
        Ok(e) => e,
        Err(e) => return Err(inputs::report_error(&e, errors, err)),
    };
    let options = Options { as_of: inputs.as_of, limits: Limits { steps: inputs.budget, ..Limits::default() }, ..Options::default() };
    Ok(Loaded { engine, evidence, options, max_reports: usize::try_from(inputs.max_reports).unwrap_or(usize::MAX) })
}

/// Writes the output, then any warnings, then the diagnostics of questions
/// that could not be weighed (the others are in the output; the exit code
/// still says invalid).
pub fn finish(
    rendered: &str,
    diagnostics: &Diagnostics,
    loaded: &Loaded,
    errors: ErrorFormat,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
) -> i32 {
    let _ = out.write_all(rendered.as_bytes());
    let (warnings, failures): (Vec<Diagnostic>, Vec<Diagnostic>) = diagnostics.0.iter().cloned().partition(|d| d.warning);
    if !warnings.is_empty() {
        inputs::write_diagnostics(&Diagnostics(warnings), loaded.evidence.sources(), errors, err);
    }
    if !failures.is_empty() {
        return inputs::report(&Diagnostics(failures), loaded.evidence.sources(), errors, err);
    }
    super::EXIT_OK
}

/// The diagnostics of questions that failed, then the warnings.
pub fn with_warnings(mut diagnostics: Diagnostics, warnings: Diagnostics) -> Diagnostics {
    diagnostics.extend(warnings);
    diagnostics
}

/// Runs a view command, so each states only what it computes and how it
/// renders: loads the inputs, computes the view (`Err` when the evidence cannot
/// be evaluated at all, its diagnostics reported), renders it in the chosen
/// format and writes it with [`finish`].
pub fn run<V>(
    args: Args,
    errors: ErrorFormat,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
    compute: impl FnOnce(&Loaded) -> Result<(V, Diagnostics), Diagnostics>,
    render: impl FnOnce(&V, Format) -> String,
) -> i32 {
    let format = args.format;
    run_with(&args.inputs, errors, out, err, compute, |view| render(view, format))
}

/// [`run`] for any output format (`report` has its own): loads the inputs once,
/// computes, renders and finishes. `compute` returns the view with the
/// diagnostics of questions that failed alone and any warnings.
pub fn run_with<V>(
    inputs: &Inputs,
    errors: ErrorFormat,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
    compute: impl FnOnce(&Loaded) -> Result<(V, Diagnostics), Diagnostics>,
    render: impl FnOnce(&V) -> String,
) -> i32 {
    let loaded = match load(inputs, errors, err) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let (view, diagnostics) = match compute(&loaded) {
        Ok(v) => v,
        Err(d) => return inputs::report(&d, loaded.evidence.sources(), errors, err),
    };
    finish(&render(&view), &diagnostics, &loaded, errors, out, err)
}
