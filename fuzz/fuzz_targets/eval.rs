//! Eval with every renderer on structure-aware evidence sets: the bytes build
//! a small model of an evidence set (tests/common/generate.rs, shared with the
//! property tests) that is rendered to YAML, loaded, evaluated and rendered as
//! text, JSON, DOT and ProbLog. Oracles: no panic; the generated set loads;
//! JSON parses and each question's probabilities add up to 1; DOT's strings,
//! braces and brackets balance; every ProbLog line is a comment or a clause.

#![no_main]

#[path = "../../tests/common/generate.rs"]
mod generate;

use ascribe::diagnostics::Sources;
use ascribe::engine::{evaluate, Options};
use ascribe::language::{compile, library, Program};
use ascribe::report::{dot, json, problog, text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|case: generate::Case| {
    thread_local! {
        static PROGRAM: Program = compile(library::standard(), &mut Sources::default()).expect("the standard library compiles");
    }
    PROGRAM.with(|program| {
        let yaml = case.render();
        let mut sources = Sources::default();
        let id = sources.add("generated.yaml", yaml.clone());
        let evidence = match ascribe::evidence::load(&[id], &sources, &program.schema) {
            Ok(e) => e,
            Err(d) => panic!("generated evidence does not load:\n{}\n{yaml}", d.render(&sources)),
        };
        let as_of = case.as_of().map(|d| ascribe::date::Date::parse(&d).expect("a date"));
        // No question fails: evidence too entangled to weigh exactly is bounded.
        let evaluation = match evaluate(program, &evidence, &Options { as_of, ..Options::default() }) {
            Ok(e) => e,
            Err(d) => {
                let shown = d.render(&sources);
                assert!(shown.contains("too"), "generated evidence does not evaluate:\n{shown}\n{yaml}");
                return;
            }
        };
        let failed = evaluation.diagnostics.render(&sources);
        assert!(evaluation.diagnostics.is_empty(), "a generated question fails:\n{failed}\n{yaml}");
        let checked = generate::check_renderings(
            &text::render(&evaluation.assessment),
            &json::render(&evaluation.assessment),
            &dot::render(&evaluation.graph, program, &evidence),
            &problog::render(&evaluation.graph, program, &evidence, &evaluation.weighings),
        );
        if let Err(e) = checked {
            panic!("{e}\n{yaml}");
        }
    });
});
