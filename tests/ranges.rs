//! Guaranteed bounds (docs/semantics.md, section 7a): when a question's
//! evidence is too entangled to weigh exactly within the budget, every
//! hypothesis gets a range that must hold the exact posterior. Random valid
//! evidence sets from the generator shared with the fuzz target
//! (tests/common/generate.rs), small enough for the brute-force oracle
//! (tests/common/oracle.rs), are weighed with tiny budgets so that bounding
//! kicks in: every range holds the oracle's value, is in order, and narrows
//! (or stays) as the budget grows.

mod common;

use arbitrary::{Arbitrary, Unstructured};
use ascribe::diagnostics::Sources;
use ascribe::engine::budget::Limits;
use ascribe::engine::{evaluate, Evaluation, Options};
use ascribe::language::{compile, library, Program};
use common::generate::Case;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use std::cell::Cell;
use std::collections::BTreeMap;

/// Question id → hypothesis id → (lower, upper): a point for an exact figure.
type Ranges = BTreeMap<String, BTreeMap<String, (f64, f64)>>;

fn ranges(evaluation: &Evaluation) -> Ranges {
    evaluation
        .assessment
        .questions
        .iter()
        .map(|q| {
            let hs = q
                .hypotheses
                .iter()
                .map(|h| (h.id.clone(), h.probability_range.map(|[lo, hi]| (lo, hi)).unwrap_or((h.probability, h.probability))))
                .collect();
            (q.id.clone(), hs)
        })
        .collect()
}

/// Budgets from nothing to plenty: the exploration's choices do not depend on
/// the budget, so each range lies within the one before.
const BUDGETS: [u64; 7] = [1, 20, 100, 500, 2_500, 12_500, 1 << 22];

fn check(program: &Program, case: &Case, bounded: &Cell<usize>, open: &Cell<usize>) -> Result<(), String> {
    let yaml = case.render();
    let mut sources = Sources::default();
    let id = sources.add("generated.yaml", yaml.clone());
    let evidence = ascribe::evidence::load(&[id], &sources, &program.schema).map_err(|d| d.render(&sources))?;
    let as_of = case.as_of().map(|d| ascribe::date::Date::parse(&d).expect("a date"));
    let mut last: Option<Ranges> = None;
    for budget in BUDGETS {
        let options = Options { as_of, limits: Limits { weighing: Some(budget), ..Limits::default() } };
        let evaluation = evaluate(program, &evidence, &options).map_err(|d| format!("{}\n{yaml}", d.render(&sources)))?;
        if !evaluation.diagnostics.is_empty() {
            return Err(format!("a question failed with budget {budget}:\n{}\n{yaml}", evaluation.diagnostics.render(&sources)));
        }
        bounded.set(bounded.get() + evaluation.weighings.iter().filter(|w| w.bounds.is_some()).count());
        // Every range holds the oracle's exact value (and is in order).
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| common::oracle::agree("bounded", &evidence, &evaluation)))
            .map_err(|e| format!("budget {budget}: {}\n{yaml}", e.downcast_ref::<String>().cloned().unwrap_or_default()))?;
        let now = ranges(&evaluation);
        open.set(open.get() + now.values().flat_map(|hs| hs.values()).filter(|(lo, hi)| hi - lo > 1e-6).count());
        if let Some(before) = &last {
            for (q, hs) in &now {
                for (h, (lo, hi)) in hs {
                    let (a, b) = before[q][h];
                    if *lo < a - 1e-12 || *hi > b + 1e-12 {
                        return Err(format!("budget {budget} widened {q}/{h}: [{a}, {b}] became [{lo}, {hi}]\n{yaml}"));
                    }
                }
            }
        }
        last = Some(now);
    }
    Ok(())
}

#[test]
fn ranges_hold_the_exact_posterior_and_narrow_as_the_budget_grows() {
    let mut sources = Sources::default();
    let program = compile(library::standard(), &mut sources).expect("the standard library compiles");
    let (bounded, open) = (Cell::new(0), Cell::new(0));
    let config = Config { cases: 300, failure_persistence: None, rng_seed: RngSeed::Fixed(0xb0_0d5), ..Config::default() };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&prop::collection::vec(any::<u8>(), 64..700), |bytes| {
        let case = Case::arbitrary(&mut Unstructured::new(&bytes)).map_err(|e| TestCaseError::reject(e.to_string()))?;
        check(&program, &case, &bounded, &open).map_err(TestCaseError::fail)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    eprintln!("{} bounded weighings checked against the oracle, {} ranges wider than 1e-6", bounded.get(), open.get());
    assert!(bounded.get() >= 300 && open.get() >= 300, "bounding kicked in too rarely: {} weighings, {} ranges", bounded.get(), open.get());
}
