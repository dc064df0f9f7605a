//! Reading rule files, rule folders and evidence files named on the command line.

use crate::diagnostics::{Location, Stage};
use crate::evidence::{self, EvidenceSet};
use crate::language::{self, library, Program, RuleText};
use crate::prelude::*;
use std::path::{Path, PathBuf};

/// The rule files to load: the standard library unless turned off, then `--rules` paths.
pub fn rule_texts(paths: &[PathBuf], defaults: bool) -> Result<Vec<RuleText>, Diagnostics> {
    let mut texts = if defaults { library::standard() } else { vec![] };
    let mut diagnostics = Diagnostics::default();
    for path in paths {
        let files = if path.is_dir() { rule_files_in(path) } else { Ok(vec![path.clone()]) };
        match files {
            Ok(files) => {
                for file in files {
                    match std::fs::read_to_string(&file) {
                        Ok(text) => texts.push(RuleText { name: display(&file), text }),
                        Err(e) => diagnostics.push(io_error(&file, e)),
                    }
                }
            }
            Err(e) => diagnostics.push(io_error(path, e)),
        }
    }
    if diagnostics.is_empty() {
        Ok(texts)
    } else {
        Err(diagnostics)
    }
}

/// `*.ascr` files directly in a folder, sorted by name so loading is deterministic.
fn rule_files_in(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().map(|x| x == "ascr").unwrap_or(false))
        .collect();
    files.sort();
    Ok(files)
}

pub fn compile(paths: &[PathBuf], defaults: bool, sources: &mut Sources) -> Result<Program, Diagnostics> {
    let texts = rule_texts(paths, defaults)?;
    language::compile(texts, sources)
}

/// Evidence files larger than this (bytes) are refused unless `--max-file-size` says otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 256 << 20;

/// Reads a text file of at most `max` bytes; `-` is standard input.
fn read_bounded(path: &Path, max: u64) -> Result<String, Diagnostic> {
    if path.as_os_str() == "-" {
        use std::io::Read;
        let mut bytes = vec![];
        std::io::stdin().lock().take(max.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| io_error(path, e))?;
        if bytes.len() as u64 > max {
            return Err(Diagnostic::new(
                Stage::Io,
                format!("standard input is more than the limit of {max} bytes"),
                Location::File("-".into()),
            )
            .help("split the evidence into several files, or raise the limit with `--max-file-size`"));
        }
        return String::from_utf8(bytes).map_err(|_| {
            Diagnostic::new(Stage::Io, "standard input is not UTF-8 text", Location::File("-".into()))
                .help("evidence is YAML or JSON text in UTF-8")
        });
    }
    let size = std::fs::metadata(path).map_err(|e| io_error(path, e))?.len();
    if size > max {
        return Err(Diagnostic::new(
            Stage::Io,
            format!("the file is {size} bytes, more than the limit of {max}"),
            Location::File(display(path)),
        )
        .help(format!("split the evidence into several files, or raise the limit with `--max-file-size {}`", size.max(max))));
    }
    std::fs::read_to_string(path).map_err(|e| io_error(path, e))
}

/// Reads one file (or standard input) into `sources`.
pub fn read_source(path: &Path, sources: &mut Sources, max: u64) -> Result<SourceId, Diagnostic> {
    let text = read_bounded(path, max)?;
    Ok(sources.add(display(path), text))
}

/// A rule file's text; `-` is standard input.
pub fn read_rule_text(path: &Path) -> Result<String, Diagnostic> {
    if path.as_os_str() != "-" {
        return std::fs::read_to_string(path).map_err(|e| io_error(path, e));
    }
    let mut text = String::new();
    use std::io::Read;
    std::io::stdin().lock().read_to_string(&mut text).map_err(|e| io_error(path, e))?;
    Ok(text)
}

pub fn load_evidence(paths: &[PathBuf], program: &Program, sources: &mut Sources, max_file_size: u64) -> Result<EvidenceSet, Diagnostics> {
    let mut ids = vec![];
    let mut diagnostics = Diagnostics::default();
    for path in paths {
        match read_bounded(path, max_file_size) {
            Ok(text) if looks_like_rules(path, &text) => diagnostics.push(
                Diagnostic::new(Stage::Evidence, "this is a rule file, not evidence", Location::File(display(path)))
                    .help(format!("pass rule files with `--rules {}`; evidence files are YAML or JSON", display(path))),
            ),
            Ok(text) => ids.push(sources.add(display(path), text)),
            Err(d) => diagnostics.push(d),
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    evidence::load(&ids, sources, &program.schema)
}

/// A rule file named where evidence goes: it ends in `.ascr`, or its first
/// line that is not blank or a `//` comment starts a `rule` or a `finding`.
fn looks_like_rules(path: &Path, text: &str) -> bool {
    if path.extension().is_some_and(|x| x == "ascr") {
        return true;
    }
    let first = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with("//"));
    first.is_some_and(|l| {
        let mut words = l.split_whitespace();
        matches!(words.next(), Some("rule" | "finding"))
            && words.next().is_some_and(|w| w.chars().all(|c| c.is_alphanumeric() || "._-({".contains(c)))
    })
}

pub fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

pub fn io_error(path: &Path, e: std::io::Error) -> Diagnostic {
    let what = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::InvalidData => "not UTF-8 text".to_string(),
        _ => e.to_string(),
    };
    Diagnostic::new(Stage::Io, what, Location::File(display(path)))
        .help("check the path; rule files end in .ascr, evidence files are YAML or JSON")
}

/// Writes diagnostics to `err` and returns the exit code for invalid input.
pub fn report(diagnostics: &Diagnostics, sources: &Sources, format: super::ErrorFormat, err: &mut dyn std::io::Write) -> i32 {
    write_diagnostics(diagnostics, sources, format, err);
    if format == super::ErrorFormat::Human {
        let n = diagnostics.0.len();
        let _ = writeln!(err, "{n} error{}", if n == 1 { "" } else { "s" });
    }
    super::EXIT_INVALID
}

/// Diagnostics as people read them, or one JSON object per line for editors.
pub fn write_diagnostics(diagnostics: &Diagnostics, sources: &Sources, format: super::ErrorFormat, err: &mut dyn std::io::Write) {
    match format {
        super::ErrorFormat::Human => {
            let _ = writeln!(err, "{}", diagnostics.render_with(sources, super::color::stderr()));
        }
        super::ErrorFormat::Json => {
            for d in &diagnostics.0 {
                let _ = writeln!(err, "{}", d.to_json(sources));
            }
        }
    }
}
