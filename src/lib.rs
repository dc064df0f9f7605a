//! ascribe: rule-based attribution reasoning.
//!
//! The pipeline has named stages, each in its own folder:
//!
//! 1. [`language`]: rule text → parse tree (pest) → AST → checked [`language::Program`].
//! 2. [`evidence`]: YAML/JSON text → raw serde structures → validated [`evidence::EvidenceSet`].
//! 3. [`engine`]: program + evidence → fact store → matches → claim graph → exact weighing.
//! 4. [`report`]: the weighed [`report::Assessment`] rendered as text, JSON or DOT.
//!
//! Every stage reports problems as [`diagnostics::Diagnostic`]s that carry a file, a span
//! or a YAML path, and help text.

pub mod api;
pub mod date;
pub mod diagnostics;
pub mod engine;
pub mod error;
pub mod evidence;
pub mod language;
pub mod prelude;
pub mod report;
pub mod scales;
pub mod schema;
pub mod schema_json;
pub mod suggest;
pub mod testing;
pub mod value;

#[cfg(feature = "cli")]
pub mod cli;

pub use api::{Engine, EngineBuilder, Evidence, EvidenceLoader, Options, Outcome};
pub use date::Date;
pub use engine::evaluate;
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
