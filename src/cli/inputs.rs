//! Rule and evidence paths named on the command line, handed to the library's
//! [`Engine`], and the diagnostics written back.

use crate::api::{Engine, Evidence};
use crate::error::Error;
use crate::prelude::*;
use std::path::{Path, PathBuf};

pub use crate::api::DEFAULT_MAX_FILE_SIZE;
pub(crate) use crate::api::{display, io_error, read_bounded};

/// The engine for `--rules` paths, with the standard library unless turned off.
pub fn engine(paths: &[PathBuf], defaults: bool) -> Result<Engine, Error> {
    paths.iter().fold(Engine::builder().standard_library(defaults), |b, path| b.rules_path(path)).build()
}

/// The evidence files named on the command line as one set; `-` is standard input.
pub fn evidence(engine: &Engine, paths: &[PathBuf], max_file_size: u64) -> Result<Evidence, Error> {
    let loader = engine.evidence().max_file_size(max_file_size);
    paths.iter().fold(loader, |l, path| if path.as_os_str() == "-" { l.stdin() } else { l.file(path) }).load()
}

/// Reads one file (or standard input) into `sources`.
pub fn read_source(path: &Path, sources: &mut Sources, max: u64) -> Result<SourceId, Diagnostic> {
    let text = read_bounded(path, max)?;
    Ok(sources.add(display(path), text))
}

/// A rule file's text; `-` is standard input.
pub fn read_rule_text(path: &Path) -> Result<String, Diagnostic> {
    if path.as_os_str() != "-" {
        return crate::api::read_text(path);
    }
    let mut bytes = vec![];
    use std::io::Read;
    std::io::stdin().lock().read_to_end(&mut bytes).map_err(|e| io_error(path, e))?;
    crate::api::utf8_text("-", bytes)
}

/// Writes an error's diagnostics to `err` and returns the exit code for invalid input.
pub fn report_error(error: &Error, format: super::ErrorFormat, err: &mut dyn std::io::Write) -> i32 {
    report(&Diagnostics(error.diagnostics().to_vec()), error.sources(), format, err)
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
