//! Replays the fuzz seeds (fuzz/seeds/TARGET/) through the same stage as each
//! fuzz target, so `cargo test` runs them without nightly: a crash input saved
//! there (named `regression-*`) becomes a regression test (fuzz/README.md).
//!
//! - `compile`: the text as a rule file, alone and after the standard library;
//! - `load`: the text as an evidence file, then (when it loads) evaluated and
//!   rendered in every format;
//! - `eval`: the bytes as the generator's model (as libFuzzer builds it), with
//!   the eval target's checks.

mod common;

use arbitrary::{Arbitrary, Unstructured};
use ascribe::diagnostics::Sources;
use ascribe::engine::{evaluate, Options};
use ascribe::language::{compile, library, Program, RuleText};
use ascribe::report::{dot, json, problog, text};
use common::generate::{check_renderings, Case};
use std::path::PathBuf;

fn seeds(target: &str) -> Vec<PathBuf> {
    let dir = format!("{}/fuzz/seeds/{target}", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir}: {e}")).map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(!files.is_empty(), "{dir} has no seeds");
    files
}

fn standard() -> Program {
    compile(library::standard(), &mut Sources::default()).expect("the standard library compiles")
}

/// Evaluates a loaded set and checks every rendering; `Err` names what failed.
fn evaluate_and_render(
    program: &Program,
    sources: &Sources,
    id: ascribe::diagnostics::SourceId,
    as_of: Option<&str>,
) -> Result<(), String> {
    let evidence = match ascribe::evidence::load(&[id], sources, &program.schema) {
        Ok(e) => e,
        Err(d) => {
            let _ = d.render(sources);
            return Ok(());
        }
    };
    let as_of = as_of.map(|d| ascribe::date::Date::parse(d).expect("a date"));
    let evaluation = match evaluate(program, &evidence, &Options { as_of, ..Options::default() }) {
        Ok(e) => e,
        Err(d) => {
            let _ = d.render(sources);
            return Ok(());
        }
    };
    let _ = evaluation.diagnostics.render(sources);
    check_renderings(
        &text::render(&evaluation.assessment),
        &json::render(&evaluation.assessment),
        &dot::render(&evaluation.graph, program, &evidence),
        &problog::render(&evaluation.graph, program, &evidence, &evaluation.weighings),
    )
}

#[test]
fn compile_seeds() {
    for path in seeds("compile") {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let mut sources = Sources::default();
        if let Err(d) = compile(vec![RuleText { name: "seed.ascr".into(), text: text.clone() }], &mut sources) {
            let _ = d.render(&sources);
        }
        let mut sources = Sources::default();
        let mut texts = library::standard();
        texts.push(RuleText { name: "seed.ascr".into(), text });
        if let Err(d) = compile(texts, &mut sources) {
            let _ = d.render(&sources);
        }
    }
}

#[test]
fn load_seeds() {
    let program = standard();
    for path in seeds("load") {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let mut sources = Sources::default();
        let id = sources.add("seed.yaml", text);
        if let Err(e) = evaluate_and_render(&program, &sources, id, None) {
            panic!("{}: {e}", path.display());
        }
    }
}

#[test]
fn eval_seeds() {
    let program = standard();
    for path in seeds("eval") {
        let bytes = std::fs::read(&path).unwrap();
        let case = Case::arbitrary_take_rest(Unstructured::new(&bytes)).expect("a case");
        let yaml = case.render();
        let mut sources = Sources::default();
        let id = sources.add("generated.yaml", yaml.clone());
        assert!(
            ascribe::evidence::load(&[id], &sources, &program.schema).is_ok(),
            "{}: the generated set does not load:\n{yaml}",
            path.display()
        );
        if let Err(e) = evaluate_and_render(&program, &sources, id, case.as_of().as_deref()) {
            panic!("{}: {e}\n{yaml}", path.display());
        }
    }
}

/// Prints the evidence set an `eval` fuzz input stands for:
/// `ASCRIBE_CASE=fuzz/artifacts/eval/crash-… cargo test --test fuzz_regressions -- --ignored --nocapture show_case`.
#[test]
#[ignore = "prints the YAML of the fuzz input named by ASCRIBE_CASE"]
fn show_case() {
    let path = std::env::var("ASCRIBE_CASE").expect("ASCRIBE_CASE=PATH");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let case = Case::arbitrary_take_rest(Unstructured::new(&bytes)).expect("a case");
    println!("# as of: {:?}\n{}", case.as_of(), case.render());
}
