//! `ascribe matrix`: the ACH matrix of every question (reports × hypotheses).

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
            let (program, evidence) = (loaded.engine.program(), loaded.evidence.set());
            Ok((engine_views::matrix::matrix(program, evidence, &base, &what_ifs), warnings))
        },
        |matrix, format| match format {
            Format::Text => text::matrix(matrix),
            Format::Json => json::to_json(matrix),
            Format::Markdown => markdown::matrix(matrix),
        },
    )
}
