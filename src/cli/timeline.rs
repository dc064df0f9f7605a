//! `ascribe timeline`: every question as of each report date, and what changed.

pub use super::views::Args;
use super::views::{self, Format};
use super::ErrorFormat;
use crate::engine::views::timeline;
use crate::report::{json, markdown, views as text};

pub fn run(args: Args, errors: ErrorFormat, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> i32 {
    views::run(
        args,
        errors,
        out,
        err,
        |loaded| timeline::timeline(loaded.engine.program(), loaded.evidence.set(), &loaded.options),
        |timeline, format| match format {
            Format::Text => text::timeline(timeline),
            Format::Json => json::to_json(timeline),
            Format::Markdown => markdown::timeline(timeline),
        },
    )
}
