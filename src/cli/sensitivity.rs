//! `ascribe sensitivity`: where each question would stand if a report were false, or certainly genuine, ranked by impact.

pub use super::views::Args;
use super::views::{self, with_warnings, Format};
use super::ErrorFormat;
use crate::engine::{self, views as engine_views};
use crate::report::{json, markdown, views as text};

pub fn run(args: Args, errors: ErrorFormat, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> i32 {
    views::run(
        args,
        errors,
        out,
        err,
        |loaded| {
            let (program, evidence) = (loaded.engine.program(), loaded.evidence.set());
            let base = engine::evaluate(program, evidence, &loaded.options)?;
            let (what_ifs, capped) = engine_views::what_ifs_capped(program, evidence, &loaded.options, &base, loaded.max_reports);
            Ok((engine_views::sensitivity::sensitivity(evidence, &base, &what_ifs), with_warnings(base.diagnostics, capped)))
        },
        |sensitivity, format| match format {
            Format::Text => text::sensitivity(sensitivity),
            Format::Json => json::to_json(sensitivity),
            Format::Markdown => markdown::sensitivity(sensitivity),
        },
    )
}
