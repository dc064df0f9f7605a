//! Stage 1: rule text → parse tree → AST → checked program.
//!
//! `parser` is the only module that sees pest's types; it hands the
//! [`ast`] to `check`, which resolves names against the [`crate::schema`]
//! and produces the [`Program`] the engine runs.

pub mod ast;
pub mod check;
pub mod format;
mod hints;
pub mod library;
pub mod parser;
pub mod program;
pub mod tokens;

pub use program::{Conclusion, Program, Rule};

use crate::prelude::*;

/// One rule text to load.
pub struct RuleText {
    pub name: String,
    pub text: String,
}

/// Parses and checks rule texts together (they share one namespace).
pub fn compile(texts: Vec<RuleText>, sources: &mut Sources) -> Result<Program, Diagnostics> {
    let mut files = vec![];
    let mut diagnostics = Diagnostics::default();
    for text in texts {
        let id = sources.add(text.name, text.text);
        match parser::parse(sources.text(id), id) {
            Ok(file) => files.push(file),
            Err(d) => diagnostics.push(d),
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    check::check(&files, sources)
}
