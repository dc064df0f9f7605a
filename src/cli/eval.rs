//! `ascribe eval`: weigh evidence sets and report.

use super::inputs;
use crate::engine::{self, Options};
use crate::prelude::*;
use crate::report::{dot, json, problog, text};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Rule files or folders of .ascr files, added to the standard library.
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<PathBuf>,
    /// Do not load the standard rule library.
    #[arg(long)]
    no_default_rules: bool,
    /// Count only reports made on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<Date>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Evidence files (YAML or JSON), evaluated together as one set.
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
}

pub fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text).ok_or_else(|| format!("`{text}` is not a date; write YYYY-MM-DD, e.g. 2013-04-10"))
}

pub fn run(args: Args, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> i32 {
    let mut sources = Sources::default();
    let program = match inputs::compile(&args.rules, !args.no_default_rules, &mut sources) {
        Ok(p) => p,
        Err(d) => return inputs::report(&d, &sources, err),
    };
    let evidence = match inputs::load_evidence(&args.evidence, &program, &mut sources) {
        Ok(e) => e,
        Err(d) => return inputs::report(&d, &sources, err),
    };
    let evaluation = match engine::evaluate(&program, &evidence, &Options { as_of: args.as_of }) {
        Ok(e) => e,
        Err(d) => return inputs::report(&d, &sources, err),
    };
    let rendered = match args.format {
        Format::Text => text::render(&evaluation.assessment),
        Format::Json => json::render(&evaluation.assessment),
        Format::Dot => dot::render(&evaluation.graph, &program, &evidence),
        Format::Problog => problog::render(&evaluation.graph, &program, &evidence, &evaluation.weighings),
    };
    let _ = out.write_all(rendered.as_bytes());
    // Questions that could not be weighed: the others are reported above, and
    // the exit code still says the input is invalid.
    if !evaluation.diagnostics.is_empty() {
        return inputs::report(&evaluation.diagnostics, &sources, err);
    }
    super::EXIT_OK
}
