//! `ascribe sensitivity`: where each question would stand if a report were false, or certainly genuine, ranked by impact.

use super::views::{self, Format, Inputs};
use super::ErrorFormat;
use crate::engine::{self, views as engine_views};
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
    let base = match engine::evaluate(loaded.engine.program(), loaded.evidence.set(), &loaded.options) {
        Ok(e) => e,
        Err(d) => return super::inputs::report(&d, loaded.evidence.sources(), errors, err),
    };
    let what_ifs = engine_views::what_ifs(loaded.engine.program(), loaded.evidence.set(), &loaded.options, &base);
    let sensitivity = engine_views::sensitivity::sensitivity(loaded.evidence.set(), &base, &what_ifs);
    let rendered = match args.format {
        Format::Text => text::sensitivity(&sensitivity),
        Format::Json => json::to_json(&sensitivity),
        Format::Markdown => markdown::sensitivity(&sensitivity),
    };
    views::finish(&rendered, &base.diagnostics, &loaded, errors, out, err)
}
