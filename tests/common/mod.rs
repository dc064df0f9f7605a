//! Helpers shared by the integration tests: the whole pipeline in one call.

#![allow(dead_code)]

use ascribe::diagnostics::Sources;
use ascribe::engine::{evaluate, Options};
use ascribe::language::{compile, library};
use ascribe::report::Assessment;

/// Evaluates an evidence file of the repository (path relative to its root)
/// with the standard library, as of a date if given. Panics with the rendered
/// diagnostics on invalid input.
pub fn assess_file(relative: &str, as_of: Option<&str>) -> Assessment {
    let path = format!("{}/{relative}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{relative}: {e}"));
    let mut sources = Sources::default();
    let program = compile(rules_for(relative), &mut sources).expect("the rules compile");
    let id = sources.add(relative, text);
    let evidence = ascribe::evidence::load(&[id], &sources, &program.schema).unwrap_or_else(|d| panic!("{}", d.render(&sources)));
    let options =
        Options { as_of: as_of.map(|d| ascribe::date::Date::parse(d).unwrap_or_else(|| panic!("bad date {d}"))), ..Options::default() };
    evaluate(&program, &evidence, &options).unwrap_or_else(|d| panic!("{}", d.render(&sources))).assessment
}

pub mod dense;
pub mod generate;
pub mod oracle;

/// The rule file of an example, `rules.ascr` beside its evidence, if it has one.
pub fn example_rules(evidence: &str) -> Option<String> {
    let dir = std::path::Path::new(evidence).parent()?;
    let rules = dir.join("rules.ascr");
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(&rules);
    full.exists().then(|| rules.to_string_lossy().replace('\\', "/"))
}

/// The standard library, plus the example's own rules when it has them.
pub fn rules_for(evidence: &str) -> Vec<ascribe::language::RuleText> {
    let mut rules = library::standard();
    if let Some(own) = example_rules(evidence) {
        let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(&own)).expect("readable rules");
        rules.push(ascribe::language::RuleText { name: own, text });
    }
    rules
}

/// Loads and evaluates evidence text with the standard library; `None` when it
/// does not load or evaluate (the caller decides whether that is a failure).
pub fn evaluate_text(name: &str, text: &str, as_of: Option<&str>) -> Option<(ascribe::evidence::EvidenceSet, ascribe::engine::Evaluation)> {
    let mut sources = Sources::default();
    let program = compile(rules_for(name), &mut sources).expect("the rules compile");
    let id = sources.add(name, text.to_string());
    let evidence = ascribe::evidence::load(&[id], &sources, &program.schema).ok()?;
    let options =
        Options { as_of: as_of.map(|d| ascribe::date::Date::parse(d).unwrap_or_else(|| panic!("bad date {d}"))), ..Options::default() };
    let evaluation = evaluate(&program, &evidence, &options).ok()?;
    Some((evidence, evaluation))
}

/// Loads several evidence files as one set, in the order given, and evaluates
/// them with the standard library; `None` when they do not load or evaluate.
pub fn evaluate_files(files: &[(&str, &str)]) -> Option<(ascribe::evidence::EvidenceSet, ascribe::engine::Evaluation)> {
    let mut sources = Sources::default();
    let program = compile(library::standard(), &mut sources).expect("the standard library compiles");
    let ids: Vec<_> = files.iter().map(|(name, text)| sources.add(*name, text.to_string())).collect();
    let evidence = ascribe::evidence::load(&ids, &sources, &program.schema).ok()?;
    let evaluation = evaluate(&program, &evidence, &Options::default()).ok()?;
    Some((evidence, evaluation))
}
