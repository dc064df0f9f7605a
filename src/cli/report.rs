//! `ascribe report`: the analyst's report to hand over, as one self-contained
//! HTML file or as Markdown: the assessment with every view.

use super::views::{self, Inputs};
use super::ErrorFormat;
use crate::engine::views::workbench;
use crate::report::{html, markdown};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    inputs: Inputs,
    /// Output format: one self-contained HTML file, or Markdown for wikis and tickets.
    #[arg(long, value_enum, default_value_t = Format::Html)]
    format: Format,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum Format {
    Html,
    Markdown,
}

pub fn run(args: Args, errors: ErrorFormat, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> i32 {
    views::run_with(
        &args.inputs,
        errors,
        out,
        err,
        |loaded| {
            let (bench, diagnostics, capped) =
                workbench(loaded.engine.program(), loaded.evidence.set(), &loaded.options, loaded.max_reports)?;
            Ok((bench, views::with_warnings(diagnostics, capped)))
        },
        |bench| match args.format {
            Format::Html => html::render(bench),
            Format::Markdown => markdown::render(bench),
        },
    )
}
