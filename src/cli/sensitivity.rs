//! `ascribe sensitivity`: where each question would stand if a report were false, or certainly genuine, ranked by impact.

pub use super::views::Args;
use super::views::{self, Format};
use super::ErrorFormat;
use crate::engine::views as engine_views;
use crate::report::{json, markdown, views as text};

pub fn run(args: Args, errors: ErrorFormat, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> i32 {
    views::run(
        args,
        errors,
        out,
        err,
        |loaded| {
            let (base, what_ifs, warnings) = loaded.what_ifs()?;
            let evidence = loaded.evidence.set();
            Ok((engine_views::sensitivity::sensitivity(evidence, &base, &what_ifs), warnings))
        },
        |sensitivity, format| match format {
            Format::Text => text::sensitivity(sensitivity),
            Format::Json => json::to_json(sensitivity),
            Format::Markdown => markdown::sensitivity(sensitivity),
        },
    )
}
