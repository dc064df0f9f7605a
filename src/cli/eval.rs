//! `ascribe eval`: weigh evidence sets and report.

use super::inputs;
use super::ErrorFormat;
use crate::engine::budget::Limits;
use crate::engine::{self, Options};
use crate::prelude::*;
use crate::report::{dot, json, problog, text, trim};
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
    /// Count only reports made on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<Date>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Show only the N most probable hypotheses of each question (text and JSON).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    top: Option<u64>,
    /// JSON: list under each hypothesis only the evidence bearing on it, with the rest summed.
    #[arg(long)]
    compact: bool,
    /// Evidence files (YAML or JSON), evaluated together as one set; `-` reads standard input.
    #[arg(required = true, value_name = "EVIDENCE")]
    evidence: Vec<PathBuf>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum Format {
    Text,
    Json,
    Dot,
    /// The equivalent probabilistic logic program of each question.
    Problog,
    /// A STIX 2.1 bundle: the evidence, and per question attributed-to relationships, a note explaining them and a grouping of the evidence.
    Stix,
}

pub fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text).ok_or_else(|| format!("`{text}` is not a date; write YYYY-MM-DD, e.g. 2013-04-10"))
}

pub fn run(args: Args, errors: ErrorFormat, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> i32 {
    let mut sources = Sources::default();
    let program = match inputs::compile(&args.rules, !args.no_default_rules, &mut sources) {
        Ok(p) => p,
        Err(d) => return inputs::report(&d, &sources, errors, err),
    };
    let evidence = match inputs::load_evidence(&args.evidence, &program, &mut sources, args.max_file_size) {
        Ok(e) => e,
        Err(d) => return inputs::report(&d, &sources, errors, err),
    };
    if !evidence.warnings.is_empty() {
        inputs::write_diagnostics(&Diagnostics(evidence.warnings.clone()), &sources, errors, err);
    }
    let evaluation = match engine::evaluate(
        &program,
        &evidence,
        &Options { as_of: args.as_of, limits: Limits { steps: args.budget, ..Limits::default() } },
    ) {
        Ok(e) => e,
        Err(d) => return inputs::report(&d, &sources, errors, err),
    };
    let mut assessment = evaluation.assessment;
    if let Some(n) = args.top {
        trim::top(&mut assessment, usize::try_from(n).unwrap_or(usize::MAX));
    }
    if args.compact {
        trim::compact(&mut assessment);
    }
    let rendered = match args.format {
        Format::Text => super::color::paint_report(&text::render(&assessment), super::color::stdout()),
        Format::Json => json::render(&assessment),
        Format::Dot => dot::render(&evaluation.graph, &program, &evidence),
        Format::Problog => problog::render(&evaluation.graph, &program, &evidence, &evaluation.weighings),
        Format::Stix => crate::interop::stix::export::export(&evidence, &program.schema, &assessment).bundle,
    };
    let _ = out.write_all(rendered.as_bytes());
    // Questions that could not be weighed: the others are reported above, and
    // the exit code still says the input is invalid.
    if !evaluation.diagnostics.is_empty() {
        return inputs::report(&evaluation.diagnostics, &sources, errors, err);
    }
    super::EXIT_OK
}
