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

pub mod date;
pub mod diagnostics;
pub mod engine;
pub mod evidence;
pub mod interop;
pub mod language;
pub mod prelude;
pub mod report;
pub mod scales;
pub mod schema;
pub mod schema_json;
pub mod suggest;
pub mod testing;
pub mod value;

pub mod cli;

pub use engine::evaluate;
