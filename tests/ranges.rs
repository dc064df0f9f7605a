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

/// Renders one evidence text with the standard library and a budget: the
/// text report, the JSON report, and how many questions failed.
fn render(yaml: &str, limits: Limits) -> (String, String, usize) {
    let mut sources = Sources::default();
    let program = compile(library::standard(), &mut sources).expect("the standard library compiles");
    let id = sources.add("dense.yaml", yaml.to_string());
    let evidence = ascribe::evidence::load(&[id], &sources, &program.schema).unwrap_or_else(|d| panic!("{}", d.render(&sources)));
    let evaluation =
        evaluate(&program, &evidence, &Options { limits, ..Options::default() }).unwrap_or_else(|d| panic!("{}", d.render(&sources)));
    (
        ascribe::report::text::render(&evaluation.assessment),
        ascribe::report::json::render(&evaluation.assessment),
        evaluation.diagnostics.0.len(),
    )
}

const VENDOR: &str = "docs/examples/semantics/vendor.yaml";

#[test]
fn with_no_budget_one_report_is_bounded_by_its_box() {
    // One B2 report (LR 10 for alpha), exact 0.6146: with no work at all its
    // worlds are not weighed, and the box says alpha lies between its prior and
    // 10/12, its rivals between 1/12 and 1/3 each.
    let yaml = std::fs::read_to_string(format!("{}/{VENDOR}", env!("CARGO_MANIFEST_DIR"))).expect("the example");
    let (_, json, failed) = render(&yaml, Limits { weighing: Some(1), ..Limits::default() });
    assert_eq!(failed, 0);
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let q = &value["questions"][0];
    let range = |h: usize| -> (f64, f64) {
        let r = &q["hypotheses"][h]["probability_range"];
        (r[0].as_f64().expect("lower"), r[1].as_f64().expect("upper"))
    };
    let (lo, hi) = range(0);
    assert_eq!(q["hypotheses"][0]["id"], "alpha");
    assert!((lo - 1.0 / 3.0).abs() < 1e-12 && (hi - 10.0 / 12.0).abs() < 1e-12, "alpha [{lo}, {hi}]");
    assert!(lo < 0.6146 && 0.6146 < hi);
    for h in 1..3 {
        let (lo, hi) = range(h);
        assert!((lo - 1.0 / 12.0).abs() < 1e-12 && (hi - 1.0 / 3.0).abs() < 1e-12, "[{lo}, {hi}]");
    }
    // Never more than the ranges support: low confidence, a term per end of the range.
    assert_eq!(q["confidence"], "low");
    assert_eq!(q["hypotheses"][0]["estimative"], "unlikely to likely");
    assert_eq!(q["bounded"]["reports"], serde_json::json!(["vendor-note"]));
    assert_eq!(q["bounded"]["weighed_exactly"], 0.0);
    assert_eq!(q["bounded"]["leader_settled"], false);
    // With the default budget the same question is exact, and has no range.
    let (_, json, _) = render(&yaml, Limits::default());
    assert!(!json.contains("probability_range") && !json.contains("bounded"));
}

#[test]
fn the_dense_fixtures_are_what_the_generator_writes() {
    for (actors, reports, addresses, file) in [(2, 50, 10, "overlapping-50.yaml"), (20, 100, 20, "overlapping-20x100.yaml")] {
        let path = format!("{}/tests/dense/{file}", env!("CARGO_MANIFEST_DIR"));
        let want = common::dense::overlapping(actors, reports, addresses);
        if std::env::var_os("ASCRIBE_BLESS_DENSE").is_some() {
            std::fs::write(&path, &want).expect("write the fixture");
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap_or_default(), want, "{file}: rerun with ASCRIBE_BLESS_DENSE=1");
    }
}

/// 50 overlapping reports on one question, and 20 hypotheses with 100
/// overlapping reports: refused before bounds, now answered with ranges. The
/// budget is small so the test stays fast (docs/performance.md has the ranges
/// at larger budgets).
#[test]
fn dense_questions_get_ranges_not_refusals() {
    let limits = Limits { steps: 100_000, ..Limits::default() };
    let (text, json, failed) = render(&common::dense::overlapping(2, 50, 10), limits);
    assert_eq!(failed, 0);
    insta::assert_snapshot!("dense_50_text", text);
    insta::assert_snapshot!("dense_50_json", json);
    let (text, _, failed) = render(&common::dense::overlapping(20, 100, 20), limits);
    assert_eq!(failed, 0);
    insta::assert_snapshot!("dense_20x100_text", text);
    // A case small enough that this budget weighs a share of its worlds: the
    // ranges are informative, and they hold the exact figure the default budget gives.
    let yaml = common::dense::overlapping(3, 22, 6);
    let (text, json, _) = render(&yaml, Limits { steps: 300_000, ..Limits::default() });
    insta::assert_snapshot!("dense_3x22_text", text);
    let (_, exact, _) = render(&yaml, Limits { steps: 1 << 24, ..Limits::default() });
    let bounded: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let exact: serde_json::Value = serde_json::from_str(&exact).expect("JSON");
    assert!(exact["questions"][0].get("bounded").is_none(), "the larger budget weighs it exactly");
    for h in exact["questions"][0]["hypotheses"].as_array().expect("hypotheses") {
        let p = h["probability"].as_f64().expect("a probability");
        let ranged =
            bounded["questions"][0]["hypotheses"].as_array().expect("hypotheses").iter().find(|b| b["id"] == h["id"]).expect("same");
        let (lo, hi) = (ranged["probability_range"][0].as_f64().expect("lo"), ranged["probability_range"][1].as_f64().expect("hi"));
        assert!(lo <= p && p <= hi, "{}: {p} outside [{lo}, {hi}]", h["id"]);
    }
}

/// `check` warns about a question it can only bound, naming its reports, with
/// help that applies to it (one incident: nothing about splitting by incident).
#[test]
fn check_warns_about_bounded_questions() {
    let output = assert_cmd::Command::cargo_bin("ascribe")
        .expect("the binary")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "--budget", "100000", "tests/dense/overlapping-50.yaml"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let flat = stderr.split_whitespace().filter(|w| *w != "│" && *w != "|").collect::<Vec<_>>().join(" ");
    assert!(flat.contains("question `q`: the 50 reports bearing on it (`r000`, `r001`,"), "{flat}");
    assert!(flat.contains("and 42 more") && flat.contains("--budget 400000"), "{flat}");
    assert!(!flat.contains("incident"), "one incident: no advice to split by incident: {flat}");
    insta::assert_snapshot!("check_dense_50", stderr);
}

/// Rolled up to a parent, a bounded question sums its units' ranges.
#[test]
fn a_bounded_rollup_sums_its_units_ranges() {
    let yaml = "sources:
  - { id: v, name: Vendor, kind: vendor, reliability: B }
actors:
  - { id: alpha, name: Alpha }
  - { id: alpha-1, parent: alpha }
  - { id: alpha-2, parent: alpha }
  - { id: beta, name: Beta }
incidents:
  - { id: one, date: 2030-01-10 }
questions:
  - { id: q, incident: one, hypotheses: [alpha-1, alpha-2, beta] }
reports:
  - { id: r1, source: v, date: 2030-01-11, credibility: 2, asserts: [attribution: { incident: one, actor: alpha }] }
";
    let (text, json, failed) = render(yaml, Limits { weighing: Some(1), ..Limits::default() });
    assert_eq!(failed, 0);
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let q = &value["questions"][0];
    let range = |v: &serde_json::Value| (v["probability_range"][0].as_f64().expect("lo"), v["probability_range"][1].as_f64().expect("hi"));
    let units: Vec<(f64, f64)> = q["hypotheses"]
        .as_array()
        .expect("hypotheses")
        .iter()
        .filter(|h| h["id"].as_str().is_some_and(|id| id.starts_with("alpha-")))
        .map(range)
        .collect();
    let (lo, hi) = range(&q["rollups"][0]);
    assert_eq!(q["rollups"][0]["id"], "alpha");
    assert!((lo - (units[0].0 + units[1].0)).abs() < 1e-15 && (hi - (units[0].1 + units[1].1).min(1.0)).abs() < 1e-15);
    // The exact figure (weights 10, 10, 1, 1 when genuine; p = 0.5625) lies inside.
    let exact = 0.5625 * 20.0 / 22.0 + 0.4375 * 0.5;
    assert!(lo <= exact && exact <= hi, "{exact} outside [{lo}, {hi}]");
    assert!(text.contains("rolled up") && text.contains('–'), "{text}");
}
