//! `ascribe fmt`: rewrite rule files in the canonical layout, or with
//! `--check` say which would change (for CI), as `cargo fmt` and `opa fmt` do.

use super::inputs;
use super::ErrorFormat;
use crate::language::format::format;
use crate::prelude::*;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Change no file: list the files that are not formatted, with what would change, and exit 1 if any.
    #[arg(long)]
    check: bool,
    /// Rule files, or folders searched (recursively) for `*.ascr` files; `-` formats standard input to standard output.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

pub fn run(args: Args, errors: ErrorFormat, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> i32 {
    let mut sources = Sources::default();
    let mut diagnostics = Diagnostics::default();
    let mut files = vec![];
    for path in &args.paths {
        if path.as_os_str() == "-" || !path.is_dir() {
            files.push(path.clone());
        } else if let Err(e) = search(path, &mut files) {
            diagnostics.push(inputs::io_error(path, e));
        }
    }
    let mut unformatted = 0usize;
    for file in &files {
        let stdin = file.as_os_str() == "-";
        let text = match inputs::read_rule_text(file) {
            Ok(text) => text,
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        };
        let id = sources.add(inputs::display(file), text);
        let formatted = match format(sources.text(id), id) {
            Ok(f) => f,
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        };
        let original = sources.text(id);
        if args.check {
            if formatted != original {
                unformatted += 1;
                let _ = writeln!(out, "{} is not formatted; `ascribe fmt` would change:", sources.name(id));
                let _ = write!(out, "{}", hint(original, &formatted));
            }
        } else if stdin {
            let _ = write!(out, "{formatted}");
        } else if formatted != original {
            if let Err(e) = std::fs::write(file, &formatted) {
                diagnostics.push(inputs::io_error(file, e));
            }
        }
    }
    if !diagnostics.is_empty() {
        return inputs::report(&diagnostics, &sources, errors, err);
    }
    if unformatted > 0 {
        let _ = writeln!(out, "{unformatted} file{} to format: run `ascribe fmt` on {}", plural(unformatted), plural_them(unformatted));
        return super::EXIT_INVALID;
    }
    super::EXIT_OK
}

/// What would change, as a unified diff with a line of context, the
/// changed lines' numbers in the hunk headers.
fn hint(original: &str, formatted: &str) -> String {
    let diff = similar::TextDiff::from_lines(original, formatted);
    let mut out = String::new();
    for hunk in diff.unified_diff().context_radius(1).iter_hunks() {
        // A rule file may hold terminal controls; show them, do not send them.
        for line in hunk.to_string().lines() {
            out.push_str(&super::color::diff_line(&crate::report::escape::text(line), super::color::stdout()));
            out.push('\n');
        }
    }
    out
}

/// `*.ascr` files in a folder and the folders inside it (not hidden ones),
/// sorted, so the order of messages is the same everywhere.
fn search(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>()?;
    entries.sort();
    for path in entries {
        let hidden = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            search(&path, files)?;
        } else if path.extension().is_some_and(|x| x == "ascr") {
            files.push(path);
        }
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn plural_them(n: usize) -> &'static str {
    if n == 1 {
        "it"
    } else {
        "them"
    }
}
