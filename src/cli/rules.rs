//! `ascribe rules`: the loaded rules with titles and weights, or one in full.

use super::inputs;
use crate::language::ast::Direction;
use crate::language::program::{Hypothesis, Ratio};
use crate::language::{Conclusion, Program, Rule};
use crate::prelude::*;
use crate::suggest::did_you_mean;
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Rule files or folders of .ascr files, added to the standard library.
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<PathBuf>,
    /// Do not load the standard rule library.
    #[arg(long)]
    no_default_rules: bool,
    /// Show this rule in full.
    id: Option<String>,
}

pub fn run(args: Args, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> i32 {
    let mut sources = Sources::default();
    let program = match inputs::compile(&args.rules, !args.no_default_rules, &mut sources) {
        Ok(p) => p,
        Err(d) => return inputs::report(&d, &sources, err),
    };
    match &args.id {
        None => {
            let _ = out.write_all(list(&program).as_bytes());
            super::EXIT_OK
        }
        Some(id) => match program.rules.iter().find(|r| &r.id == id) {
            Some(rule) => {
                let _ = out.write_all(show(&program, rule).as_bytes());
                super::EXIT_OK
            }
            None => {
                let help = did_you_mean(id, program.rules.iter().map(|r| r.id.as_str()))
                    .unwrap_or_else(|| "run `ascribe rules` to list them".into());
                let _ = writeln!(err, "error: no rule has the id `{id}`\n  help: {help}");
                super::EXIT_INVALID
            }
        },
    }
}

/// Each weighing conclusion as `supports ?a by moderate (LR 30)`.
pub fn weights(program: &Program, rule: &Rule) -> Vec<String> {
    rule.conclusions
        .iter()
        .map(|c| match c {
            Conclusion::Weigh { direction, hypothesis, ratio, .. } => {
                let who = match hypothesis {
                    Hypothesis::Other => "other".to_string(),
                    Hypothesis::Actor(_) => "actor".to_string(),
                };
                match (direction, ratio) {
                    (Direction::Neutral, _) | (_, None) => format!("neutral for {who}"),
                    (d, Some(r)) => {
                        let verb = if *d == Direction::Support { "supports" } else { "opposes" };
                        match r {
                            Ratio::Fixed(x, text) if text.starts_with("lr") => format!("{verb} {who} by LR {}", show_ratio(*x)),
                            Ratio::Fixed(x, text) => format!("{verb} {who} by {text} (LR {})", show_ratio(*x)),
                            Ratio::Computed(_, text) => format!("{verb} {who} by {}", text.replacen("lr", "LR", 1)),
                        }
                    }
                }
            }
            Conclusion::Undercut { target, .. } => format!("undercuts {}", program.rules[*target].id),
            Conclusion::Derive { ty, .. } => format!("derives {}", program.schema.get(*ty).name),
        })
        .collect()
}

fn show_ratio(x: f64) -> String {
    if x >= 1.0 {
        crate::value::format_number(x)
    } else {
        format!("1/{}", crate::value::format_number(1.0 / x))
    }
}

fn list(program: &Program) -> String {
    let width = program.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for rule in &program.rules {
        let _ = writeln!(out, "{:<width$}  {}", rule.id, rule.title);
        let _ = writeln!(out, "{:<width$}  {}", "", weights(program, rule).join("; "));
    }
    let _ = writeln!(out, "{} rules", program.rules.len());
    out
}

fn show(program: &Program, rule: &Rule) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", rule.id, rule.title);
    let _ = writeln!(out, "file: {}", rule.file);
    let _ = writeln!(out, "weights: {}", weights(program, rule).join("; "));
    if !rule.tags.is_empty() {
        let _ = writeln!(out, "tags: {}", rule.tags.join(", "));
    }
    if !rule.rationale.is_empty() {
        let _ = writeln!(out, "\n{}", rule.rationale);
    }
    if !rule.pitfalls.is_empty() {
        let _ = writeln!(out, "\npitfalls: {}", rule.pitfalls);
    }
    if !rule.references.is_empty() {
        let _ = writeln!(out, "\nreferences:");
        for r in &rule.references {
            let _ = writeln!(out, "  - {r}");
        }
    }
    out
}
