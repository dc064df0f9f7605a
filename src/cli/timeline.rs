//! `ascribe timeline`: every question as of each report date, and what changed.

use super::views::{self, Format, Inputs};
use super::ErrorFormat;
use crate::engine::views::timeline;
use crate::report::{json, markdown, views as text};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    inputs: Inputs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(args: Args, errors: ErrorFormat, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> i32 {
    let loaded = match views::load(&args.inputs, errors, err) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let (timeline, diagnostics) = match timeline::timeline(loaded.engine.program(), loaded.evidence.set(), &loaded.options) {
        Ok(t) => t,
        Err(d) => return super::inputs::report(&d, loaded.evidence.sources(), errors, err),
    };
    let rendered = match args.format {
        Format::Text => text::timeline(&timeline),
        Format::Json => json::to_json(&timeline),
        Format::Markdown => markdown::timeline(&timeline),
    };
    views::finish(&rendered, &diagnostics, &loaded, errors, out, err)
}
