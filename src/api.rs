//! The one entry point: compile rules into an [`Engine`], load evidence into
//! [`Evidence`], evaluate it into an [`Outcome`] whose [`Assessment`] every
//! renderer in [`crate::report`] takes.
//!
//! The facade keeps every text it read (rule files, evidence files), so any
//! [`Error`] it returns can be rendered with file, line:column and help, as
//! the command line does. An [`Engine`] is immutable once built, cheap to
//! clone and `Send + Sync`: load and evaluate many evidence sets with one, in
//! as many threads as you like.
//!
//! ```
//! let engine = ascribe::Engine::new()?; // the standard rule library
//! let evidence = engine.evidence().file("examples/korea-2013/evidence.yaml").load()?;
//! let outcome = engine.evaluate(&evidence, &ascribe::Options::default())?;
//! for question in &outcome.assessment().questions {
//!     println!("{}: {} leads", question.id, question.hypotheses[0].id);
//! }
//! # Ok::<(), ascribe::Error>(())
//! ```

use crate::diagnostics::{Location, Stage};
use crate::engine::{self, graph::ClaimGraph, inference::Weighing, Assessment, Evaluation};
use crate::error::{CheckError, Error, EvaluateError, EvidenceError, IoError, ParseError};
use crate::evidence::EvidenceSet;
use crate::language::{self, library, Program, RuleText};
use crate::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use crate::engine::Options;

/// Evidence files larger than this (bytes) are refused unless
/// [`EvidenceLoader::max_file_size`] says otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 256 << 20;

/// Compiled rules, ready to weigh evidence. Built with [`Engine::new`] (the
/// standard library) or [`Engine::builder`].
#[derive(Clone, Debug)]
pub struct Engine {
    program: Arc<Program>,
    /// The rule texts, so errors that point into them can be rendered.
    sources: Sources,
}

impl Engine {
    /// An engine with the standard rule library (rules/) and nothing else.
    pub fn new() -> Result<Engine, Error> {
        Engine::builder().build()
    }

    /// Rules to compile: the standard library unless turned off, then your own.
    pub fn builder() -> EngineBuilder {
        EngineBuilder { standard: true, rules: vec![] }
    }

    /// The checked program: its rules and the schema evidence is read with.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// The rule texts the engine was compiled from.
    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    /// Starts loading one evidence set from texts, files and JSON values.
    pub fn evidence(&self) -> EvidenceLoader<'_> {
        EvidenceLoader { engine: self, inputs: vec![], max_file_size: DEFAULT_MAX_FILE_SIZE }
    }

    /// Weighs an evidence set loaded by this engine. `Err` when nothing can
    /// be weighed, or when a question cannot: use [`Engine::evaluate_partial`]
    /// to keep the questions that can.
    pub fn evaluate(&self, evidence: &Evidence, options: &Options) -> Result<Outcome, Error> {
        let outcome = self.evaluate_partial(evidence, options)?;
        match outcome.error() {
            Some(e) => Err(e),
            None => Ok(outcome),
        }
    }

    /// Weighs an evidence set loaded by this engine, leaving out the
    /// questions that cannot be weighed ([`Outcome::error`] says why).
    /// `Err` only when nothing can be weighed.
    pub fn evaluate_partial(&self, evidence: &Evidence, options: &Options) -> Result<Outcome, Error> {
        self.loaded_here(evidence)?;
        match engine::evaluate(&self.program, &evidence.set, options) {
            Ok(evaluation) => Ok(Outcome { evaluation, sources: evidence.sources.clone() }),
            Err(d) => Err(EvaluateError::new(d, evidence.sources.clone()).into()),
        }
    }

    /// Weighs an evidence set as [`Engine::evaluate_partial`] does, without
    /// assessing it yet: [`engine::Weighed::question`] assesses one question at
    /// a time, to write a large assessment without holding it whole.
    pub fn weigh_partial(&self, evidence: &Evidence, options: &Options) -> Result<engine::Weighed, Error> {
        self.loaded_here(evidence)?;
        engine::weigh(&self.program, &evidence.set, options).map_err(|d| EvaluateError::new(d, evidence.sources.clone()).into())
    }

    /// Refuses evidence loaded by another engine: its records are typed by
    /// another program's schema.
    fn loaded_here(&self, evidence: &Evidence) -> Result<(), Error> {
        if Arc::ptr_eq(&self.program, &evidence.program) {
            return Ok(());
        }
        let d = Diagnostic::new(Stage::Evaluate, "this evidence was loaded by another engine", Location::Nowhere)
            .help("load it with the engine that evaluates it: `engine.evidence()`");
        Err(EvaluateError::new(Diagnostics(vec![d]), evidence.sources.clone()).into())
    }
}

/// One rule input: text given by the caller, or a file or folder to read.
#[derive(Clone, Debug)]
enum RuleInput {
    Text(RuleText),
    Path(PathBuf),
}

/// What to compile: see [`Engine::builder`].
#[derive(Clone, Debug)]
#[must_use]
pub struct EngineBuilder {
    standard: bool,
    rules: Vec<RuleInput>,
}

impl EngineBuilder {
    /// Whether to load the standard rule library first (it is by default).
    pub fn standard_library(mut self, load: bool) -> Self {
        self.standard = load;
        self
    }

    /// Adds rule text; `name` is how errors name it.
    pub fn rules_text(mut self, name: impl Into<String>, text: impl Into<String>) -> Self {
        self.rules.push(RuleInput::Text(RuleText { name: name.into(), text: text.into() }));
        self
    }

    /// Adds a rule file, or every `*.ascr` file directly in a folder (sorted by name).
    pub fn rules_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.rules.push(RuleInput::Path(path.into()));
        self
    }

    /// Reads the files, parses and checks every rule text together (they share one namespace).
    pub fn build(self) -> Result<Engine, Error> {
        let texts = self.texts()?;
        let mut sources = Sources::default();
        let mut files = vec![];
        let mut diagnostics = Diagnostics::default();
        for text in texts {
            let id = sources.add(text.name, text.text);
            match language::parser::parse(sources.text(id), id) {
                Ok(file) => files.push(file),
                Err(d) => diagnostics.push(d),
            }
        }
        if !diagnostics.is_empty() {
            return Err(ParseError::new(diagnostics, sources).into());
        }
        match language::check::check(&files, &sources) {
            Ok(program) => Ok(Engine { program: Arc::new(program), sources }),
            Err(d) => Err(CheckError::new(d, sources).into()),
        }
    }

    /// The rule texts in load order: the standard library, then each input.
    fn texts(&self) -> Result<Vec<RuleText>, Error> {
        let mut texts = if self.standard { library::standard() } else { vec![] };
        let mut diagnostics = Diagnostics::default();
        for input in &self.rules {
            match input {
                RuleInput::Text(text) => texts.push(text.clone()),
                RuleInput::Path(path) => {
                    let files = if path.is_dir() { rule_files_in(path) } else { Ok(vec![path.clone()]) };
                    match files {
                        Ok(files) => {
                            for file in files {
                                match read_text(&file) {
                                    Ok(text) => texts.push(RuleText { name: display(&file), text }),
                                    Err(d) => diagnostics.push(d),
                                }
                            }
                        }
                        Err(e) => diagnostics.push(io_error(path, e)),
                    }
                }
            }
        }
        if diagnostics.is_empty() {
            Ok(texts)
        } else {
            Err(IoError::new(diagnostics, Sources::default()).into())
        }
    }
}

/// `*.ascr` files directly in a folder, sorted by name so loading is deterministic.
fn rule_files_in(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "ascr")).collect();
    files.sort();
    Ok(files)
}

/// One evidence input: text, a file to read, or a JSON value.
#[derive(Clone, Debug)]
enum EvidenceInput {
    Text(String, String),
    File(PathBuf),
    Stdin,
}

/// What to load as one evidence set: see [`Engine::evidence`]. Inputs are
/// read in the order given and validated together (a report may cite a
/// source defined in another file).
#[derive(Clone, Debug)]
#[must_use]
pub struct EvidenceLoader<'e> {
    engine: &'e Engine,
    inputs: Vec<EvidenceInput>,
    max_file_size: u64,
}

impl EvidenceLoader<'_> {
    /// Adds evidence text, YAML or JSON; `name` is how errors name it.
    pub fn text(mut self, name: impl Into<String>, text: impl Into<String>) -> Self {
        self.inputs.push(EvidenceInput::Text(name.into(), text.into()));
        self
    }

    /// Adds an evidence file, YAML or JSON.
    pub fn file(mut self, path: impl Into<PathBuf>) -> Self {
        self.inputs.push(EvidenceInput::File(path.into()));
        self
    }

    /// Adds standard input, read to its end; errors name it `-`.
    pub fn stdin(mut self) -> Self {
        self.inputs.push(EvidenceInput::Stdin);
        self
    }

    /// Adds evidence built as a JSON value (the shape of schema/evidence.schema.json).
    /// It is written out as indented JSON text, which errors then quote by line.
    pub fn value(self, name: impl Into<String>, value: &serde_json::Value) -> Self {
        let text = serde_json::to_string_pretty(value).unwrap_or_default();
        self.text(name, text)
    }

    /// Refuses files larger than this many bytes ([`DEFAULT_MAX_FILE_SIZE`] by default).
    pub fn max_file_size(mut self, bytes: u64) -> Self {
        self.max_file_size = bytes;
        self
    }

    /// Reads and validates the inputs as one evidence set.
    pub fn load(self) -> Result<Evidence, Error> {
        let mut sources = self.engine.sources.clone();
        let mut ids = vec![];
        let mut diagnostics = Diagnostics::default();
        for input in self.inputs {
            match input {
                EvidenceInput::Text(name, text) => ids.push(sources.add(name, text)),
                EvidenceInput::File(path) => match read_bounded(&path, self.max_file_size) {
                    Ok(text) if looks_like_rules(&path, &text) => diagnostics.push(rule_file_as_evidence(&path)),
                    Ok(text) => ids.push(sources.add(display(&path), text)),
                    Err(d) => diagnostics.push(d),
                },
                EvidenceInput::Stdin => match read_stdin(self.max_file_size) {
                    Ok(text) if looks_like_rules(Path::new("-"), &text) => diagnostics.push(rule_file_as_evidence(Path::new("-"))),
                    Ok(text) => ids.push(sources.add("-", text)),
                    Err(d) => diagnostics.push(d),
                },
            }
        }
        if !diagnostics.is_empty() {
            // Unreadable inputs are the io stage's; a rule file given as evidence the evidence stage's.
            return Err(if diagnostics.0.iter().any(|d| d.stage == Stage::Io) {
                IoError::new(diagnostics, sources).into()
            } else {
                EvidenceError::new(diagnostics, sources).into()
            });
        }
        match crate::evidence::load(&ids, &sources, &self.engine.program.schema) {
            Ok(set) => Ok(Evidence { set: Arc::new(set), sources, program: self.engine.program.clone() }),
            Err(d) => Err(EvidenceError::new(d, sources).into()),
        }
    }
}

/// A loaded, validated evidence set, with the texts it was read from (and
/// the engine's rule texts), so errors found while weighing it can be rendered.
#[derive(Clone, Debug)]
pub struct Evidence {
    set: Arc<EvidenceSet>,
    sources: Sources,
    /// The program whose schema typed its records.
    program: Arc<Program>,
}

impl Evidence {
    /// The evidence set: sources, reports, questions.
    pub fn set(&self) -> &EvidenceSet {
        &self.set
    }

    /// Every text read: the engine's rules, then the evidence.
    pub fn sources(&self) -> &Sources {
        &self.sources
    }
}

/// What weighing an evidence set produced: the [`Assessment`] the renderers
/// take, the claim graph and weighings behind it (for the DOT and ProbLog
/// renderings), and the questions that could not be weighed.
pub struct Outcome {
    evaluation: Evaluation,
    sources: Sources,
}

impl Outcome {
    /// Probabilities, contributions and explanations, question by question.
    pub fn assessment(&self) -> &Assessment {
        &self.evaluation.assessment
    }

    /// The claim graph the questions were weighed on.
    pub fn graph(&self) -> &ClaimGraph {
        &self.evaluation.graph
    }

    /// The exact weighing of each question weighed, in evidence order.
    pub fn weighings(&self) -> &[Weighing] {
        &self.evaluation.weighings
    }

    /// The engine's evaluation, whole.
    pub fn evaluation(&self) -> &Evaluation {
        &self.evaluation
    }

    /// Takes the engine's evaluation out.
    pub fn into_evaluation(self) -> Evaluation {
        self.evaluation
    }

    /// The questions that could not be weighed, each with its diagnostic;
    /// `None` when every question was.
    pub fn error(&self) -> Option<Error> {
        if self.evaluation.diagnostics.is_empty() {
            None
        } else {
            Some(EvaluateError::new(self.evaluation.diagnostics.clone(), self.sources.clone()).into())
        }
    }
}

impl std::fmt::Debug for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outcome")
            .field("assessment", &self.evaluation.assessment)
            .field("diagnostics", &self.evaluation.diagnostics)
            .finish_non_exhaustive()
    }
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

fn rule_file_as_evidence(path: &Path) -> Diagnostic {
    Diagnostic::new(Stage::Evidence, "this is a rule file, not evidence", Location::File(display(path)))
        .help(format!("pass rule files with `--rules {}`; evidence files are YAML or JSON", display(path)))
}

/// Reads a text file of at most `max` bytes.
pub(crate) fn read_bounded(path: &Path, max: u64) -> Result<String, Diagnostic> {
    let size = std::fs::metadata(path).map_err(|e| io_error(path, e))?.len();
    if size > max {
        return Err(Diagnostic::new(
            Stage::Io,
            format!("the file is {size} bytes, more than the limit of {max}"),
            Location::File(display(path)),
        )
        .help(format!("split the evidence into several files, or raise the limit with `--max-file-size {}`", size.max(max))));
    }
    read_text(path)
}

/// Reads a whole file as UTF-8 text.
pub(crate) fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| io_error(path, e))?;
    utf8_text(&display(path), bytes)
}

/// `bytes` as text; if they are not UTF-8, the diagnostic gives the line and
/// column (in characters, 1-based) of the first byte that is not.
pub(crate) fn utf8_text(name: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let before = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
        let byte = bytes.get(at).copied().unwrap_or_default();
        Diagnostic::new(
            Stage::Io,
            format!("not UTF-8 text: byte 0x{byte:02x} at line {line}, column {column}"),
            Location::File(name.to_string()),
        )
        .help("save the file as UTF-8 text (rule files and evidence are UTF-8)")
    })
}

/// Reads standard input, at most `max` bytes.
fn read_stdin(max: u64) -> Result<String, Diagnostic> {
    use std::io::Read;
    let mut bytes = vec![];
    std::io::stdin().lock().take(max.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| io_error(Path::new("-"), e))?;
    if bytes.len() as u64 > max {
        return Err(Diagnostic::new(
            Stage::Io,
            format!("standard input is more than the limit of {max} bytes"),
            Location::File("-".into()),
        )
        .help("split the evidence into several files, or raise the limit with `--max-file-size`"));
    }
    utf8_text("-", bytes)
}

/// A path as diagnostics name it, with forward slashes on every platform.
pub(crate) fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The diagnostic for a file or folder that cannot be read.
pub(crate) fn io_error(path: &Path, e: std::io::Error) -> Diagnostic {
    let what = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::InvalidData => "not UTF-8 text".to_string(),
        _ => e.to_string(),
    };
    Diagnostic::new(Stage::Io, what, Location::File(display(path)))
        .help("check the path; rule files end in .ascr, evidence files are YAML or JSON")
}
