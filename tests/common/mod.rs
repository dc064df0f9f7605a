//! Helpers shared by the integration tests: the whole pipeline in one call,
//! through the library's entry point ([`ascribe::Engine`]).

#![allow(dead_code)]

use ascribe::engine::Evaluation;
use ascribe::evidence::EvidenceSet;
use ascribe::report::Assessment;
use ascribe::{Engine, Options};

/// Evaluates an evidence file of the repository (path relative to its root)
/// with the standard library, as of a date if given. Panics with the rendered
/// diagnostics on invalid input.
pub fn assess_file(relative: &str, as_of: Option<&str>) -> Assessment {
    let path = format!("{}/{relative}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{relative}: {e}"));
    let engine = engine_for(relative);
    let evidence = engine.evidence().text(relative, text).load().unwrap_or_else(|e| panic!("{}", e.render()));
    let outcome = engine.evaluate_partial(&evidence, &options(as_of)).unwrap_or_else(|e| panic!("{}", e.render()));
    outcome.into_evaluation().assessment
}

pub mod dense;
pub mod generate;
pub mod oracle;
pub mod run;

/// The rule file of an example, `rules.ascr` beside its evidence, if it has one.
pub fn example_rules(evidence: &str) -> Option<String> {
    let dir = std::path::Path::new(evidence).parent()?;
    let rules = dir.join("rules.ascr");
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(&rules);
    full.exists().then(|| rules.to_string_lossy().replace('\\', "/"))
}

/// The standard library, plus the example's own rules when it has them.
pub fn engine_for(evidence: &str) -> Engine {
    let mut builder = Engine::builder();
    if let Some(own) = example_rules(evidence) {
        let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(&own)).expect("readable rules");
        builder = builder.rules_text(own, text);
    }
    builder.build().unwrap_or_else(|e| panic!("{}", e.render()))
}

/// The rule texts of [`engine_for`]: the standard library, plus the example's
/// own rules when it has them (for tests that drive the stages one by one).
pub fn rules_for(evidence: &str) -> Vec<ascribe::language::RuleText> {
    let mut rules = ascribe::language::library::standard();
    if let Some(own) = example_rules(evidence) {
        let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(&own)).expect("readable rules");
        rules.push(ascribe::language::RuleText { name: own, text });
    }
    rules
}

/// Evaluation options as of a date (YYYY-MM-DD), if given.
pub fn options(as_of: Option<&str>) -> Options {
    Options { as_of: as_of.map(|d| ascribe::Date::parse(d).unwrap_or_else(|| panic!("bad date {d}"))), ..Options::default() }
}

/// Loads and evaluates evidence text with the standard library; `None` when it
/// does not load or evaluate (the caller decides whether that is a failure).
pub fn evaluate_text(name: &str, text: &str, as_of: Option<&str>) -> Option<(EvidenceSet, Evaluation)> {
    let engine = engine_for(name);
    let evidence = engine.evidence().text(name, text).load().ok()?;
    let outcome = engine.evaluate_partial(&evidence, &options(as_of)).ok()?;
    Some((evidence.set().clone(), outcome.into_evaluation()))
}

/// Loads several evidence files as one set, in the order given, and evaluates
/// them with the standard library; `None` when they do not load or evaluate.
pub fn evaluate_files(files: &[(&str, &str)]) -> Option<(EvidenceSet, Evaluation)> {
    let engine = Engine::new().unwrap_or_else(|e| panic!("{}", e.render()));
    let evidence = files.iter().fold(engine.evidence(), |loader, (name, text)| loader.text(*name, *text)).load().ok()?;
    let outcome = engine.evaluate_partial(&evidence, &Options::default()).ok()?;
    Some((evidence.set().clone(), outcome.into_evaluation()))
}
