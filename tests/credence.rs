//! `credence` against the brute-force oracle (tests/common/oracle.rs): the
//! engine's exact probability of a formula against an enumeration of its
//! worlds, and the credence the standard profile rules read from random
//! profile statements against an enumeration of the reports' worlds.

mod common;

use ascribe::engine::budget::Meter;
use ascribe::engine::condition::{Cond, Var};
use ascribe::engine::credence;
use ascribe::Engine;
use proptest::prelude::*;

fn formula() -> impl Strategy<Value = (Cond, Vec<f64>)> {
    let term = prop::collection::btree_set(0u32..10, 1..4);
    (prop::collection::vec(term, 0..8), prop::collection::vec(prop::sample::select(vec![0.0, 0.1, 0.375, 0.5625, 0.9, 1.0]), 10)).prop_map(
        |(terms, probabilities)| {
            let cond = Cond::any(terms.into_iter().map(|t| t.into_iter().fold(Cond::always(), |c, v| c.and(&Cond::var(v)))).collect());
            (cond, probabilities)
        },
    )
}

/// One profile statement: who, which technique, the grading, a hedge, withdrawn or not.
#[derive(Clone, Debug)]
struct Statement {
    actor: usize,
    technique: usize,
    reliability: char,
    credibility: u8,
    confidence: Option<&'static str>,
    withdrawn: bool,
}

/// (actor, technique, reliability, credibility, confidence, withdrawn).
impl From<(usize, usize, char, u8, Option<&'static str>, bool)> for Statement {
    fn from(
        (actor, technique, reliability, credibility, confidence, withdrawn): (usize, usize, char, u8, Option<&'static str>, bool),
    ) -> Self {
        Statement { actor, technique, reliability, credibility, confidence, withdrawn }
    }
}

fn statement() -> impl Strategy<Value = Statement> {
    (
        0usize..3,
        0usize..3,
        prop::sample::select(vec!['A', 'B', 'C', 'F']),
        1u8..=6,
        prop::option::of(prop::sample::select(vec!["likely", "roughly even chance", "almost certain"])),
        prop::bool::weighted(0.2),
    )
        .prop_map(Statement::from)
}

const ACTORS: [&str; 3] = ["alpha", "beta", "gamma"];
const TECHNIQUES: [&str; 3] = ["t-one", "t-two", "t-three"];

fn render(statements: &[Statement]) -> String {
    let mut text = String::from(
        "sources:
  - { id: responder, kind: investigation, reliability: A }
  - { id: src-A, kind: vendor, reliability: A }
  - { id: src-B, kind: vendor, reliability: B }
  - { id: src-C, kind: vendor, reliability: C }
  - { id: src-F, kind: vendor, reliability: F }
actors:
  - { id: alpha }
  - { id: beta }
  - { id: gamma }
incidents:
  - { id: inc, date: 2030-01-01 }
artifacts:
  - { id: t-one, kind: technique }
  - { id: t-two, kind: technique }
  - { id: t-three, kind: technique }
questions:
  - { id: q, incident: inc, hypotheses: [alpha, beta, gamma] }
reports:
  - id: seen
    source: responder
    date: 2030-01-05
    credibility: 2
    asserts:
      - technique: { incident: inc, artifact: t-one }
      - technique: { incident: inc, artifact: t-two }
      - technique: { incident: inc, artifact: t-three }
",
    );
    for (i, s) in statements.iter().enumerate() {
        let confidence = s.confidence.map(|c| format!(", confidence: {c}")).unwrap_or_default();
        text.push_str(&format!(
            "  - {{ id: s{i}, source: src-{}, date: 2029-01-0{}, credibility: {}, asserts: [uses: {{ actor: {}, artifact: {}{confidence} }}] }}\n",
            s.reliability,
            1 + i % 9,
            s.credibility,
            ACTORS[s.actor],
            TECHNIQUES[s.technique]
        ));
        if s.withdrawn {
            text.push_str(&format!(
                "  - {{ id: w{i}, source: src-{}, date: 2029-02-01, credibility: 1, retracts: [s{i}] }}\n",
                s.reliability
            ));
        }
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_probability_of_a_formula_is_the_sum_over_its_worlds((cond, probabilities) in formula()) {
        let p = |v: Var| probabilities[v as usize];
        let engine = credence::probability(&cond, &p, &mut Meter::unlimited()).expect("no budget");
        let oracle = common::oracle::formula_probability(&cond, &p);
        prop_assert!((engine - oracle).abs() < 1e-12, "engine {engine}, oracle {oracle} for {cond:?}");
    }

    #[test]
    fn profile_credence_is_the_probability_some_statement_holds(statements in prop::collection::vec(statement(), 1..9)) {
        check(&statements)?;
    }
}

#[test]
fn the_property_checks_arguments() {
    let hand = |actor, technique, reliability, credibility, confidence, withdrawn| {
        Statement::from((actor, technique, reliability, credibility, confidence, withdrawn))
    };
    let statements = [
        hand(0, 0, 'B', 2, None, false),
        hand(0, 0, 'C', 2, Some("likely"), false),
        hand(1, 1, 'B', 2, None, false),
        hand(0, 1, 'B', 3, None, true),
        hand(2, 2, 'A', 1, None, false),
    ];
    assert_eq!(check(&statements).expect("agrees"), 3);
}

/// Checks every profile.techniques argument against the oracle; how many it checked.
fn check(statements: &[Statement]) -> Result<usize, TestCaseError> {
    let text = render(statements);
    let engine = Engine::builder().build().unwrap_or_else(|e| panic!("{}", e.render()));
    let evidence = engine.evidence().text("case.yaml", text.clone()).load().unwrap_or_else(|e| panic!("{}\n{text}", e.render()));
    let outcome = engine.evaluate_partial(&evidence, &common::options(None)).unwrap_or_else(|e| panic!("{}", e.render()));
    let evaluation = outcome.evaluation();
    common::oracle::agree("random profiles", evidence.set(), evaluation);
    let program = engine.program();
    let schema = &program.schema;
    let mut checked = 0;
    for a in &evaluation.graph.arguments {
        let rule = &program.rules[a.rule];
        if rule.id != "profile.techniques" {
            continue;
        }
        checked += 1;
        let slot = |name: &str| rule.vars.iter().position(|v| v == name).expect("variable");
        let value = |name: &str| a.bindings[slot(name)].as_ref().map(|v| v.to_string()).expect("bound");
        let (actor, technique) = (value("actor"), value("technique"));
        let p = a.bindings[slot("p")].as_ref().and_then(|v| v.as_num()).expect("a number");
        let oracle = common::oracle::stated_credence(schema, evidence.set(), evaluation, &|ty, fields| {
            ty == "uses" && fields.contains(&Some(actor.clone())) && fields.contains(&Some(technique.clone()))
        });
        prop_assert!((p - oracle).abs() < 1e-12, "{actor} {technique}: engine {p}, oracle {oracle}\n{text}");
        // The ratio is the expected ratio over the statements, and the argument rests on the incident's report only.
        let users = a.bindings[slot("users")].as_ref().and_then(|v| v.as_num()).expect("a number");
        let scale = a.bindings[slot("scale")].as_ref().and_then(|v| v.as_num()).expect("a number");
        let expected = 1.0 + oracle * (10f64.powf(scale * (3.0 / users).log10()) - 1.0);
        prop_assert!((a.ratio - expected).abs() < 1e-9, "ratio {} expected {expected}", a.ratio);
        prop_assert!(a.cond.terms().len() == 1 && a.cond.terms()[0].len() == 1, "rests on one report variable: {:?}", a.cond);
    }
    Ok(checked)
}
