//! The batch form of `ascribe eval`: many cases in one process. Each evidence
//! file is its own case (every file found in a folder, or every file named
//! with `--each`); the rules are compiled once, cases are weighed in parallel,
//! and results come out in the order the files were named (a folder's files
//! sorted by path).

use super::eval::Format;
use super::inputs;
use super::{ErrorFormat, EXIT_INVALID, EXIT_OK, EXIT_USAGE};
use crate::api::{Engine, Options};
use crate::diagnostics::{Location, Stage};
use crate::prelude::*;
use crate::report::{escape, json, text, Assessment};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Cases weighed between two writes: bounds what is held in memory, and how
/// often the progress bar moves.
const CHUNK: usize = 64;

/// The progress bar appears once a batch has run this long.
const QUIET_FOR: Duration = Duration::from_secs(1);

pub struct Batch<'a> {
    /// The compiled rules, with their texts.
    pub engine: &'a Engine,
    pub options: &'a Options,
    pub max_file_size: u64,
    /// `--top N`, applied to each case.
    pub top: Option<u64>,
    /// `--compact`, applied to each case.
    pub compact: bool,
}

/// What one case wrote.
struct Outcome {
    stdout: String,
    stderr: Vec<u8>,
    /// The case's assessment as a JSON value (for `--format json`).
    json: Option<String>,
    invalid: bool,
}

impl Batch<'_> {
    pub fn run(&self, paths: &[PathBuf], format: Format, errors: ErrorFormat, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
        if matches!(format, Format::Dot | Format::Problog | Format::Stix) {
            let _ = writeln!(
                err,
                "error: `--format {}` shows one evidence set; a batch (a folder, or `--each`) is written as text, json or jsonl",
                match format {
                    Format::Dot => "dot",
                    Format::Stix => "stix",
                    _ => "problog",
                }
            );
            return EXIT_USAGE;
        }
        let files = match cases(paths) {
            Ok(files) => files,
            Err(d) => return inputs::report(&d, self.engine.sources(), errors, err),
        };
        // Inside the batch, questions are weighed in the batch's own pool.
        let options = Options { threads: if self.options.threads == 1 { 1 } else { 0 }, ..self.options.clone() };
        let pool = match self.options.threads {
            0 | 1 => None,
            n => rayon::ThreadPoolBuilder::new().num_threads(n).build().ok(),
        };
        let weigh = |chunk: &[PathBuf]| -> Vec<Outcome> {
            match (self.options.threads, &pool) {
                (1, _) => chunk.iter().map(|f| self.case(f, format, errors, &options)).collect(),
                (_, Some(pool)) => pool.install(|| chunk.par_iter().map(|f| self.case(f, format, errors, &options)).collect()),
                (_, None) => chunk.par_iter().map(|f| self.case(f, format, errors, &options)).collect(),
            }
        };
        let mut progress = Progress::new(files.len());
        let mut invalid = 0;
        let mut array = vec![];
        for chunk in files.chunks(CHUNK) {
            let outcomes = weigh(chunk);
            progress.suspend(|| {
                for outcome in outcomes {
                    invalid += usize::from(outcome.invalid);
                    let _ = out.write_all(outcome.stdout.as_bytes());
                    let _ = err.write_all(&outcome.stderr);
                    array.extend(outcome.json);
                }
            });
            progress.advance(chunk.len());
        }
        progress.finish();
        if format == Format::Json {
            let _ = writeln!(out, "[{}]", array.join(",\n"));
        }
        if invalid > 0 {
            if errors == ErrorFormat::Human {
                let (s, are) = if invalid == 1 { ("", "is") } else { ("s", "are") };
                let _ = writeln!(err, "{invalid} of {} case{s} {are} invalid", files.len());
            }
            return EXIT_INVALID;
        }
        EXIT_OK
    }

    /// Loads, weighs and renders one case, with its own copy of the sources
    /// so its diagnostics quote its file.
    fn case(&self, file: &Path, format: Format, errors: ErrorFormat, options: &Options) -> Outcome {
        let paths = [file.to_path_buf()];
        let loaded = self.engine.evidence().max_file_size(self.max_file_size).file(file).load();
        // What a STIX bundle read as evidence left out, said as a single `eval` says it.
        let mut stderr = vec![];
        if let Ok(evidence) = &loaded {
            if !evidence.set().warnings.is_empty() {
                let warnings = Diagnostics(evidence.set().warnings.clone());
                inputs::write_diagnostics(&warnings, evidence.sources(), errors, &mut stderr);
            }
        }
        let mut weighed = loaded.and_then(|evidence| {
            let sources = evidence.sources().clone();
            self.engine.evaluate_partial(&evidence, options).map(|outcome| (outcome.into_evaluation(), sources))
        });
        if let Ok((evaluation, _)) = &mut weighed {
            super::eval::trim_as_asked(&mut evaluation.assessment, self.top, self.compact);
        }
        let (assessment, diagnostics, sources) = match &weighed {
            Ok((evaluation, sources)) => (Some(&evaluation.assessment), evaluation.diagnostics.clone(), sources.clone()),
            Err(e) => (None, Diagnostics(e.diagnostics().to_vec()), e.sources().clone()),
        };
        let diagnostics = &diagnostics;
        if !diagnostics.is_empty() {
            inputs::write_diagnostics(diagnostics, &sources, errors, &mut stderr);
        }
        let stdout = match (format, assessment) {
            (Format::Jsonl, _) => format!("{}\n", case_json(&paths, assessment, diagnostics, &sources)),
            (Format::Text, Some(a)) => format!("==> {} <==\n{}\n", escape::text(&inputs::display(file)), text::render(a)),
            (Format::Text, None) => format!("==> {} <==\n(invalid: see the errors)\n\n", escape::text(&inputs::display(file))),
            _ => String::new(),
        };
        let json = (format == Format::Json).then(|| case_json(&paths, assessment, diagnostics, &sources));
        Outcome { stdout, stderr, json, invalid: !diagnostics.is_empty() }
    }
}

/// One case as one line of JSON: its files, its assessment (null when it
/// could not be evaluated) and its diagnostics (the same objects as
/// `--error-format json`), in that order.
pub fn case_json(files: &[PathBuf], assessment: Option<&Assessment>, diagnostics: &Diagnostics, sources: &Sources) -> String {
    let files: Vec<String> = files.iter().map(|f| inputs::display(f)).collect();
    let diagnostics: Vec<serde_json::Value> = diagnostics.0.iter().map(|d| d.to_json(sources)).collect();
    let compact = |v: &serde_json::Value| v.to_string();
    format!(
        "{{\"files\":{},\"assessment\":{},\"diagnostics\":{}}}",
        compact(&serde_json::json!(files)),
        assessment.map_or_else(|| "null".to_string(), json::render_compact),
        compact(&serde_json::Value::Array(diagnostics))
    )
}

/// The cases of a batch: files named, in order, and every evidence file in a
/// named folder and its subfolders, sorted by path. Evidence files end in
/// `.yaml`, `.yml` or `.json`; test files (`*.test.yaml`) are not evidence.
fn cases(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostics> {
    let mut files = vec![];
    let mut diagnostics = Diagnostics::default();
    for path in paths {
        if path.is_dir() {
            let mut found = vec![];
            if let Err((dir, e)) = evidence_files(path, &mut found) {
                diagnostics.push(inputs::io_error(&dir, e));
                continue;
            }
            if found.is_empty() {
                diagnostics.push(
                    Diagnostic::new(Stage::Io, "no evidence files in this folder", Location::File(inputs::display(path)))
                        .help("evidence files end in .yaml, .yml or .json"),
                );
            }
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    if diagnostics.is_empty() {
        Ok(files)
    } else {
        Err(diagnostics)
    }
}

fn evidence_files(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), (PathBuf, std::io::Error)> {
    let entries = std::fs::read_dir(dir).map_err(|e| (dir.to_path_buf(), e))?;
    for entry in entries {
        let path = entry.map_err(|e| (dir.to_path_buf(), e))?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            evidence_files(&path, found)?;
        } else if is_evidence(name) {
            found.push(path);
        }
    }
    Ok(())
}

fn is_evidence(name: &str) -> bool {
    let evidence = [".yaml", ".yml", ".json"].iter().any(|x| name.ends_with(x));
    let test = [".test.yaml", ".test.yml"].iter().any(|x| name.ends_with(x));
    evidence && !test
}

/// A progress bar on stderr, shown only when stderr is a terminal and the
/// batch has run for [`QUIET_FOR`]: never in pipes, files or tests.
struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    total: usize,
    done: usize,
}

impl Progress {
    fn new(total: usize) -> Progress {
        Progress { bar: None, started: Instant::now(), total, done: 0 }
    }

    fn advance(&mut self, n: usize) {
        self.done += n;
        if self.bar.is_none() && self.done < self.total && self.started.elapsed() >= QUIET_FOR && std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(self.total as u64);
            if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} cases, {eta} left") {
                bar.set_style(style);
            }
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            bar.set_position(self.done as u64);
        }
    }

    /// Runs `write` with the bar hidden, so output and bar do not mix.
    fn suspend(&self, write: impl FnOnce()) {
        match &self.bar {
            Some(bar) => bar.suspend(write),
            None => write(),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
