//! Random valid evidence sets from the generator shared with the fuzz target
//! (tests/common/generate.rs): every one loads, evaluates, renders well in
//! every format (JSON probabilities add up to 1, DOT and ProbLog are well
//! formed), and the brute-force oracle agrees with the engine to 1e-9 on every
//! question (differential testing). Across the run every standard rule that
//! weighs or undercuts must have fired, so the generator really exercises them.
//!
//! 2,000 cases by default; `ASCRIBE_DIFF_CASES=20000 cargo test --release
//! --test generated` runs more.

mod common;

use arbitrary::{Arbitrary, Unstructured};
use ascribe::diagnostics::Sources;
use ascribe::engine::{evaluate, Options};
use ascribe::language::{compile, library, Conclusion, Program};
use ascribe::report::{dot, json, problog, text};
use common::generate::{check_renderings, Case};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use std::cell::RefCell;
use std::collections::BTreeMap;

fn cases() -> u32 {
    std::env::var("ASCRIBE_DIFF_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2000)
}

/// What one run saw: how often each rule fired, cases weighed, probabilities compared.
#[derive(Default)]
struct Tally {
    fired: BTreeMap<String, usize>,
    questions: usize,
    compared: usize,
    /// The largest difference between the engine and the oracle.
    worst: f64,
}

/// Loads, evaluates and renders one case, checks every rendering and the
/// oracle, and counts what fired.
fn run_case(program: &Program, case: &Case, tally: &mut Tally) -> Result<(), String> {
    let yaml = case.render();
    let mut sources = Sources::default();
    let id = sources.add("generated.yaml", yaml.clone());
    let evidence = ascribe::evidence::load(&[id], &sources, &program.schema)
        .map_err(|d| format!("generated evidence does not load:\n{}\n{yaml}", d.render(&sources)))?;
    let as_of = case.as_of().map(|d| ascribe::date::Date::parse(&d).expect("a date"));
    let evaluation = evaluate(program, &evidence, &Options { as_of, ..Options::default() })
        .map_err(|d| format!("generated evidence does not evaluate:\n{}\n{yaml}", d.render(&sources)))?;
    // No generated question fails: evidence too entangled to weigh exactly is bounded.
    let failed = evaluation.diagnostics.render(&sources);
    if !evaluation.diagnostics.is_empty() {
        return Err(format!("a generated question fails:\n{failed}\n{yaml}"));
    }
    check_renderings(
        &text::render(&evaluation.assessment),
        &json::render(&evaluation.assessment),
        &dot::render(&evaluation.graph, program, &evidence),
        &problog::render(&evaluation.graph, program, &evidence, &evaluation.weighings),
    )
    .map_err(|e| format!("{e}\n{yaml}"))?;
    let compared = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| common::oracle::agree("generated", &evidence, &evaluation)))
        .map_err(|e| format!("{}\n{yaml}", e.downcast_ref::<String>().cloned().unwrap_or_default()))?;
    tally.compared += compared;
    let expected = common::oracle::posteriors(&evidence, &evaluation);
    for q in &evaluation.assessment.questions {
        for h in q.hypotheses.iter().filter_map(|h| Some((h.probability - expected.get(&q.id)?.get(&h.id)?).abs())) {
            tally.worst = tally.worst.max(h);
        }
    }
    tally.questions += evaluation.weighings.len();
    for a in &evaluation.graph.arguments {
        *tally.fired.entry(program.rules[a.rule].id.clone()).or_default() += 1;
    }
    for u in evaluation.graph.undercutters.iter().filter(|u| !u.targets.is_empty()) {
        *tally.fired.entry(program.rules[u.rule].id.clone()).or_default() += 1;
    }
    Ok(())
}

#[test]
fn generated_sets_agree_with_the_oracle_and_render_well() {
    let mut sources = Sources::default();
    let program = compile(library::standard(), &mut sources).expect("the standard library compiles");
    let tally = RefCell::new(Tally::default());
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(0x5eed_d1ff),
        max_shrink_iters: 200,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&prop::collection::vec(any::<u8>(), 64..700), |bytes| {
        let case = Case::arbitrary(&mut Unstructured::new(&bytes)).map_err(|e| TestCaseError::reject(e.to_string()))?;
        run_case(&program, &case, &mut tally.borrow_mut()).map_err(TestCaseError::fail)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let tally = tally.into_inner();
    eprintln!(
        "{} cases, {} questions weighed, {} probabilities compared with the oracle, worst difference {:e}",
        cases(),
        tally.questions,
        tally.compared,
        tally.worst
    );
    for (rule, n) in &tally.fired {
        eprintln!("  {rule}: {n}");
    }
    assert!(tally.compared >= cases() as usize, "the oracle compared too few probabilities: {}", tally.compared);
    // Every rule that weighs or undercuts fired at least once, but for the rules
    // added after the generator was written, which it does not model yet (their
    // assertion types are not generated): extend the generator, then shorten this list.
    const NOT_YET_GENERATED: &[&str] = &[
        "infra.overlap",
        "malware.technique",
        "profile.techniques",
        "malware.code_reuse_unquantified",
        "claims.demand",
        "claims.alias",
        "claims.exculpation",
        "context.own_victims",
        "context.own_victims_reported",
        "context.reported_anniversary",
        "context.reported_target_selection",
        "deception.forger_named",
        "deception.front",
        "deception.front_incidents",
        "deception.masquerade",
    ];
    for rule in &program.rules {
        let weighs = rule.conclusions.iter().any(|c| !matches!(c, Conclusion::Derive { .. }));
        if weighs && !NOT_YET_GENERATED.contains(&rule.id.as_str()) {
            assert!(tally.fired.contains_key(&rule.id), "the generator never made `{}` fire", rule.id);
        }
    }
}

/// Writes the generated sets as files for tests/problog/agreement.py
/// (`--generated N`): `ASCRIBE_WRITE_GENERATED=DIR ASCRIBE_DIFF_CASES=N cargo
/// test --test generated -- --ignored write_generated_sets` writes
/// `DIR/case-K.yaml` and, when the case has an `--as-of` date, `DIR/case-K.as-of`:
/// the same cases, from the same seed, as the differential test above.
#[test]
#[ignore = "writes files; run by tests/problog/agreement.py --generated N"]
fn write_generated_sets() {
    let dir = std::env::var("ASCRIBE_WRITE_GENERATED").expect("ASCRIBE_WRITE_GENERATED=DIR");
    std::fs::create_dir_all(&dir).expect("the output folder");
    let config = Config { cases: cases(), failure_persistence: None, rng_seed: RngSeed::Fixed(0x5eed_d1ff), ..Config::default() };
    let mut runner = TestRunner::new(config);
    let written = RefCell::new(0usize);
    runner
        .run(&prop::collection::vec(any::<u8>(), 64..700), |bytes| {
            let case = Case::arbitrary(&mut Unstructured::new(&bytes)).map_err(|e| TestCaseError::reject(e.to_string()))?;
            let mut k = written.borrow_mut();
            std::fs::write(format!("{dir}/case-{:05}.yaml", *k), case.render()).expect("write a case");
            if let Some(as_of) = case.as_of() {
                std::fs::write(format!("{dir}/case-{:05}.as-of", *k), as_of).expect("write its date");
            }
            *k += 1;
            Ok(())
        })
        .expect("every case is written");
    eprintln!("wrote {} evidence sets to {dir}", written.into_inner());
}
