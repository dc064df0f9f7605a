//! ascribe: rule-based attribution reasoning. Weigh evidence for competing
//! hypotheses with written-down tradecraft: exact probabilities, auditable
//! explanations.
//!
//! Start with [`Engine`]: it compiles rules (the standard library, your own,
//! or both), loads evidence into an [`Evidence`] set, and evaluates it into an
//! [`Outcome`] whose [`Assessment`] every renderer in [`report`] takes.
//!
//! ```
//! use ascribe::{Date, Engine, Options};
//!
//! let engine = Engine::new()?; // the standard rule library
//! let evidence = engine.evidence().file("examples/korea-2013/evidence.yaml").load()?;
//! let options = Options { as_of: Date::parse("2013-04-10"), ..Options::default() };
//! let outcome = engine.evaluate(&evidence, &options)?;
//! let march = &outcome.assessment().questions[0];
//! assert_eq!(march.hypotheses[0].id, "north-korea");
//! assert!(march.hypotheses[0].probability > 0.5);
//! print!("{}", ascribe::report::text::render(outcome.assessment()));
//! # Ok::<(), ascribe::Error>(())
//! ```
//!
//! Errors are typed by the stage that found them ([`Error::Io`], [`Error::Parse`],
//! [`Error::Check`], [`Error::Evidence`], [`Error::Evaluate`]); each carries its
//! diagnostics and the texts they quote, and renders as the command line does:
//!
//! ```
//! let error = ascribe::Engine::builder().rules_text("mine.ascr", "rule broken {").build().unwrap_err();
//! assert!(matches!(error, ascribe::Error::Parse(_)));
//! assert!(error.render().contains("mine.ascr:1:"));
//! ```
//!
//! Behind the facade the pipeline has named stages, each in its own folder:
//!
//! 1. [`language`]: rule text → parse tree (pest) → AST → checked [`language::Program`].
//! 2. [`evidence`]: YAML/JSON text → document tree → validated [`evidence::EvidenceSet`].
//! 3. [`engine`]: program + evidence → fact store → matches → claim graph → exact
//!    weighing → [`Assessment`].
//! 4. [`report`]: the assessment rendered as text, JSON, DOT or ProbLog.
//!
//! Every stage reports problems as [`diagnostics::Diagnostic`]s that carry a file, a span
//! or a YAML path, and help text.
//!
//! The command line (module `cli`) is behind the `cli` feature, on by default;
//! `default-features = false` leaves it and clap out.

#![warn(missing_docs)]

pub mod api;
pub mod date;
pub mod diagnostics;
pub mod engine;
pub mod error;
pub mod evidence;
pub mod interop;
pub mod language;
pub mod prelude;
pub mod report;
pub mod scales;
pub mod schema;
pub mod schema_json;
pub mod suggest;
// Analysts' test files, read by `ascribe test`.
#[cfg(feature = "cli")]
pub(crate) mod testing;
pub mod value;

#[cfg(feature = "cli")]
pub mod cli;

pub use api::{Engine, EngineBuilder, Evidence, EvidenceLoader, Options, Outcome};
pub use date::Date;
pub use engine::Assessment;
pub use error::{CheckError, Error, EvaluateError, EvidenceError, IoError, ParseError, Problems};

// Compile-time check: a compiled program and a loaded evidence set can be
// shared across threads (no `Rc` or `Cell` inside).
const _: fn() = || {
    fn shareable<T: Send + Sync>() {}
    shareable::<language::Program>();
    shareable::<evidence::EvidenceSet>();
    shareable::<Assessment>();
    shareable::<Engine>();
    shareable::<Evidence>();
    shareable::<Outcome>();
    shareable::<Error>();
};

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
