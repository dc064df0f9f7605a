//! `ascribe matrix`: the ACH matrix of every question (reports × hypotheses).

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
            Ok((engine_views::matrix::matrix(program, evidence, &base, &what_ifs), with_warnings(base.diagnostics, capped)))
        },
        |matrix, format| match format {
            Format::Text => text::matrix(matrix),
            Format::Json => json::to_json(matrix),
            Format::Markdown => markdown::matrix(matrix),
        },
    )
}
