//! Eval with every renderer on structure-aware evidence sets: the bytes build
//! a small model of an evidence set (tests/common/generate.rs, shared with the
//! property tests) that is rendered to YAML, loaded, evaluated and rendered as
//! text, JSON, DOT and ProbLog. Oracles: no panic; the generated set loads;
//! JSON parses and each question's probabilities add up to 1; DOT's strings,
//! braces and brackets balance; every ProbLog line is a comment or a clause.

#![no_main]

#[path = "../../tests/common/generate.rs"]
mod generate;

use ascribe::report::{dot, json, problog, text};
use ascribe::{Engine, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|case: generate::Case| {
    thread_local! {
        static ENGINE: Engine = Engine::new().expect("the standard library compiles");
    }
    ENGINE.with(|engine| {
        let yaml = case.render();
        let evidence = match engine.evidence().text("generated.yaml", yaml.clone()).load() {
            Ok(e) => e,
            Err(e) => panic!("generated evidence does not load:\n{}\n{yaml}", e.render()),
        };
        let as_of = case.as_of().map(|d| ascribe::Date::parse(&d).expect("a date"));
        // No question fails: evidence too entangled to weigh exactly is bounded.
        let outcome = match engine.evaluate_partial(&evidence, &Options { as_of, ..Options::default() }) {
            Ok(o) => o,
            Err(e) => {
                let shown = e.render();
                assert!(shown.contains("too"), "generated evidence does not evaluate:\n{shown}\n{yaml}");
                return;
            }
        };
        if let Some(e) = outcome.error() {
            panic!("a generated question fails:\n{}\n{yaml}", e.render());
        }
        let (program, set) = (engine.program(), evidence.set());
        let checked = generate::check_renderings(
            &text::render(outcome.assessment()),
            &json::render(outcome.assessment()),
            &dot::render(outcome.graph(), program, set),
            &problog::render(outcome.graph(), program, set, outcome.weighings()),
        );
        if let Err(e) = checked {
            panic!("{e}\n{yaml}");
        }
    });
});
