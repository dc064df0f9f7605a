//! The weighing math against values computed by hand (docs/semantics.md).

mod common;

use ascribe::report::{Assessment, QuestionOutcome};
use ascribe::Engine;
use std::collections::BTreeSet;

const RULES: &str = r#"
finding linked(first: incident, second: incident)

rule t.attribution {
  when { attribution(incident: ?i, actor: ?a) }
  then { support ?a for ?i by lr 10 }
  because "{a} named"
}

rule t.geo {
  when {
    observed(artifact: ?x, incident: ?i)
    geolocation(artifact: ?x, country: ?c)
    actor(id: ?a, country: ?c)
  }
  then { support ?a for ?i by lr 3 }
  because "{x} in {c}"
}

rule t.two_way {
  when {
    observed(artifact: ?x, incident: ?i, role: "send_receive")
    geolocation(artifact: ?x, country: ?c)
    actor(id: ?a, country: ?c)
  }
  then { support ?a for ?i by lr 300 }
  because "{x} two-way in {c}"
}

rule t.relay {
  when { routing(actor: ?r, country: ?c) actor(id: ?a, country: ?c) ?r != ?a }
  then { undercut t.geo(a: ?a, c: ?c) }
  because "{r} relays through {c}"
}

rule t.reuse {
  when { infrastructure_reuse(incident: ?i, actor: ?a, reused: ?n, total: ?t) }
  then { support ?a for ?i by lr 10 }
  because "{n} of {t}"
}

rule t.code {
  when { code_reuse(incident: ?i, artifact: ?code) actor(id: ?a, tools: ?tools) ?code in ?tools }
  then { support ?a for ?i by lr 10 }
  because "{code}"
}

rule t.link {
  when { shared_code(incident: ?x, other: ?y) }
  then { derive linked(first: ?x, second: ?y) derive linked(first: ?y, second: ?x) }
  because "{x} ~ {y}"
}

rule t.link_back {
  when { linked(first: ?x, second: ?y) }
  then { derive linked(first: ?y, second: ?x) }
  because "symmetric"
}

rule t.transfer {
  when { linked(first: ?x, second: ?y) attribution(incident: ?x, actor: ?a) }
  then { support ?a for ?y by lr 5 }
  because "{y} linked to {x}"
}
"#;

const HEADER: &str = r#"
sources:
  - { id: b, kind: government, reliability: B }
  - { id: b2, kind: vendor, reliability: B }
  - { id: a, kind: investigation, reliability: A }
actors:
  - { id: alpha, country: XA, tools: [kit] }
  - { id: beta, country: XB }
incidents:
  - { id: one, date: 2030-01-10 }
  - { id: two, date: 2030-02-10 }
artifacts:
  - { id: ip1, kind: ip }
  - { id: ip2, kind: ip }
  - { id: kit, kind: code }
"#;

fn assess(questions_and_reports: &str, as_of: Option<&str>) -> Assessment {
    assess_text(&format!("{HEADER}\n{questions_and_reports}"), as_of)
}

/// The header's cast with more actors, then the questions and reports.
fn assess_with_actors(actors: &str, questions_and_reports: &str) -> Assessment {
    assess_text(&format!("{}\n{questions_and_reports}", HEADER.replace("actors:\n", &format!("actors:\n{actors}"))), None)
}

fn assess_text(text: &str, as_of: Option<&str>) -> Assessment {
    let engine =
        Engine::builder().standard_library(false).rules_text("math.ascr", RULES).build().unwrap_or_else(|e| panic!("{}", e.render()));
    let evidence = engine.evidence().text("case.yaml", text).load().unwrap_or_else(|e| panic!("{}", e.render()));
    let outcome = engine.evaluate_partial(&evidence, &common::options(as_of)).unwrap_or_else(|e| panic!("{}", e.render()));
    // Every hand-computed case is also checked against the brute-force oracle.
    common::oracle::agree("math case", evidence.set(), outcome.evaluation());
    outcome.into_evaluation().assessment
}

fn probability(q: &QuestionOutcome, id: &str) -> f64 {
    q.hypotheses.iter().find(|h| h.id == id).map(|h| h.probability).expect("hypothesis")
}

fn close(actual: f64, expected: f64) {
    assert!((actual - expected).abs() < 1e-12, "expected {expected}, got {actual}");
}

/// With two named candidates and `other`, uniform priors, evidence for `alpha`
/// with likelihood ratio Z gives P(alpha) = Z / (Z + 2).
fn p_alpha(z: f64) -> f64 {
    z / (z + 2.0)
}

/// Gradings are held fixed (Jeffrey's rule): one body of evidence (resting on
/// the same reports) gives the average, over its worlds, of each world's
/// Bayesian posterior. `worlds` lists (probability of the world, ratio for alpha in it).
fn jeffrey(worlds: &[(f64, f64)]) -> f64 {
    assert!((worlds.iter().map(|w| w.0).sum::<f64>() - 1.0).abs() < 1e-12);
    worlds.iter().map(|&(p, z)| p * p_alpha(z)).sum()
}

const ONE_QUESTION: &str = "questions:\n  - { id: q, incident: one, hypotheses: [alpha, beta] }\n";

#[test]
fn no_evidence_leaves_uniform_priors_including_the_catch_all() {
    let a = assess(ONE_QUESTION, None);
    let q = &a.questions[0];
    for id in ["alpha", "beta", "other"] {
        close(probability(q, id), 1.0 / 3.0);
    }
}

#[test]
fn a_graded_report_is_discounted_by_its_genuineness() {
    // B2: genuine with p = 0.75 * 0.75 = 0.5625. Genuine: 10 / 12; not: the prior.
    // 0.5625 * 10/12 + 0.4375 / 3 = 0.614583...
    let reports =
        "reports:\n  - { id: r1, source: b, date: 2030-01-11, credibility: 2, asserts: [attribution: { incident: one, actor: alpha }] }\n";
    let a = assess(&format!("{ONE_QUESTION}{reports}"), None);
    close(probability(&a.questions[0], "alpha"), 0.5625 * 10.0 / 12.0 + 0.4375 / 3.0);
    close(probability(&a.questions[0], "alpha"), 0.6145833333333333);
    close(probability(&a.questions[0], "beta"), 0.5625 / 12.0 + 0.4375 / 3.0);
}

#[test]
fn a_fully_reliable_confirmed_report_carries_its_full_ratio() {
    let reports =
        "reports:\n  - { id: r1, source: a, date: 2030-01-11, credibility: 1, asserts: [attribution: { incident: one, actor: alpha }] }\n";
    let a = assess(&format!("{ONE_QUESTION}{reports}"), None);
    close(probability(&a.questions[0], "alpha"), p_alpha(10.0));
}

#[test]
fn independent_confirmation_makes_an_observation_surer_but_counts_once() {
    // Two B1 reports (p = 0.75 each) observe the same two-way traffic: the fact holds
    // with 1 - 0.25^2 = 0.9375 and counts once with LR 300 (not 300 * 300).
    let observation = "[observed: { artifact: ip1, incident: one, role: send_receive }, geolocation: { artifact: ip1, country: XA }]";
    let reports = format!(
        "reports:
  - {{ id: r1, source: b, date: 2030-01-11, credibility: 1, asserts: {observation} }}
  - {{ id: r2, source: b2, date: 2030-01-12, credibility: 1, asserts: {observation} }}
"
    );
    let a = assess(&format!("{ONE_QUESTION}{reports}"), None);
    close(probability(&a.questions[0], "alpha"), jeffrey(&[(0.9375, 300.0), (0.0625, 1.0)]));
    assert_eq!(a.questions[0].hypotheses[0].contributions.len(), 1);
}

#[test]
fn a_report_that_repeats_another_adds_nothing() {
    // r2 is based on r1: the fact holds exactly when r1 is genuine (0.75).
    let reports = "reports:
  - { id: r1, source: b, date: 2030-01-11, credibility: 1, asserts: [attribution: { incident: one, actor: alpha }] }
  - { id: r2, source: b2, date: 2030-01-12, credibility: 1, based_on: r1, asserts: [attribution: { incident: one, actor: alpha }] }
";
    let a = assess(&format!("{ONE_QUESTION}{reports}"), None);
    close(probability(&a.questions[0], "alpha"), jeffrey(&[(0.75, 10.0), (0.25, 1.0)]));
}

#[test]
fn two_findings_of_one_report_stand_or_fall_together() {
    // One B2 report (p = 0.5625) asserts infrastructure and code reuse: independent facts,
    // one genuineness. Both hold or neither: 0.5625 * 100/102 + 0.4375 / 3.
    let reports = "reports:
  - id: r1
    source: b
    date: 2030-01-11
    credibility: 2
    asserts:
      - infrastructure_reuse: { incident: one, actor: alpha, reused: 5, total: 10 }
      - code_reuse: { incident: one, artifact: kit }
";
    let a = assess(&format!("{ONE_QUESTION}{reports}"), None);
    close(probability(&a.questions[0], "alpha"), jeffrey(&[(0.5625, 100.0), (0.4375, 1.0)]));
}

#[test]
fn arguments_resting_on_one_artifact_count_once_by_the_strongest() {
    // ip1 geolocates to XA and was used two-way: t.geo (3) and t.two_way (300) share the
    // artifact, so only 300 counts. A1 report: Z = 300.
    let reports = "reports:
  - id: r1
    source: a
    date: 2030-01-11
    credibility: 1
    asserts:
      - observed: { artifact: ip1, incident: one, role: send_receive }
      - geolocation: { artifact: ip1, country: XA }
";
    let a = assess(&format!("{ONE_QUESTION}{reports}"), None);
    let q = &a.questions[0];
    close(probability(q, "alpha"), p_alpha(300.0));
    let top = &q.hypotheses[0];
    assert_eq!(top.contributions.len(), 1);
    assert_eq!(top.contributions[0].rule, "t.two_way");
    assert_eq!(top.contributions[0].counted_once_with.len(), 1);
}

#[test]
fn an_undercut_removes_force_as_far_as_the_undercutter_holds() {
    // Geo argument (LR 3) for beta from an A1 report; beta's country is reported as a
    // relay of alpha by a B3 report (p = 0.375): P(beta) = 0.375 * 1/3 + 0.625 * 3/5.
    let reports = "reports:
  - id: r1
    source: a
    date: 2030-01-11
    credibility: 1
    asserts:
      - observed: { artifact: ip2, incident: one }
      - geolocation: { artifact: ip2, country: XB }
  - id: r2
    source: b
    date: 2030-01-12
    credibility: 3
    asserts:
      - routing: { actor: alpha, country: XB }
";
    let a = assess(&format!("{ONE_QUESTION}{reports}"), None);
    let q = &a.questions[0];
    close(probability(q, "beta"), 0.375 / 3.0 + 0.625 * 3.0 / 5.0);
    assert_eq!(q.undercut.len(), 1);
    close(q.undercut[0].holds, 0.375);
}

#[test]
fn contributions_add_up_to_the_final_log_odds() {
    let reports = "reports:
  - { id: r1, source: b, date: 2030-01-11, credibility: 2, asserts: [attribution: { incident: one, actor: alpha }] }
  - { id: r2, source: b2, date: 2030-01-12, credibility: 3, asserts: [attribution: { incident: one, actor: beta }] }
  - id: r3
    source: a
    date: 2030-01-13
    credibility: 2
    asserts:
      - observed: { artifact: ip1, incident: one }
      - geolocation: { artifact: ip1, country: XA }
";
    let a = assess(&format!("{ONE_QUESTION}{reports}"), None);
    for h in &a.questions[0].hypotheses {
        let sum: f64 = h.prior_log10_odds + h.contributions.iter().map(|c| c.log10_lr).sum::<f64>();
        assert!((sum - h.log10_odds).abs() < 1e-12, "{}: {sum} != {}", h.id, h.log10_odds);
        let p = h.probability;
        assert!((h.log10_odds - (p / (1.0 - p)).log10()).abs() < 1e-9);
    }
}

#[test]
fn as_of_and_retraction_decide_which_reports_count() {
    let reports = "reports:
  - { id: r1, source: b, date: 2030-01-11, credibility: 2, asserts: [attribution: { incident: one, actor: alpha }] }
  - { id: r2, source: b, date: 2030-01-20, credibility: 2, retracts: r1 }
";
    let case = format!("{ONE_QUESTION}{reports}");
    close(probability(&assess(&case, Some("2030-01-10")).questions[0], "alpha"), 1.0 / 3.0);
    close(probability(&assess(&case, Some("2030-01-15")).questions[0], "alpha"), jeffrey(&[(0.5625, 10.0), (0.4375, 1.0)]));
    let after = assess(&case, Some("2030-01-20"));
    close(probability(&after.questions[0], "alpha"), 1.0 / 3.0);
    assert_eq!(after.retracted.len(), 1);
    let before_incident = assess(&case, Some("2030-01-01"));
    assert!(before_incident.questions.is_empty());
    assert_eq!(before_incident.not_yet.len(), 1);
}

#[test]
fn derived_findings_settle_on_cycles_and_never_support_themselves() {
    // linked(one, two) and linked(two, one) derive each other (t.link_back) in a cycle;
    // they hold exactly when the shared-code report (A1) does, and the attribution of
    // `one` (B2, p = 0.5625) transfers to `two` with LR 5.
    let case = "questions:
  - { id: q2, incident: two, hypotheses: [alpha, beta] }
reports:
  - { id: r1, source: b, date: 2030-02-11, credibility: 2, asserts: [attribution: { incident: one, actor: alpha }] }
  - { id: r2, source: a, date: 2030-02-12, credibility: 1, asserts: [shared_code: { incident: one, other: two }] }
";
    let a = assess(case, None);
    close(probability(&a.questions[0], "alpha"), jeffrey(&[(0.5625, 5.0), (0.4375, 1.0)]));
}

#[test]
fn given_priors_are_used_and_the_catch_all_gets_the_rest() {
    let case = "questions:
  - id: q
    incident: one
    hypotheses: [{ actor: alpha, prior: 0.6 }, { actor: beta, prior: 0.3 }]
reports:
  - { id: r1, source: a, date: 2030-01-11, credibility: 1, asserts: [attribution: { incident: one, actor: beta }] }
";
    let a = assess(case, None);
    let q = &a.questions[0];
    // weights 0.6, 0.3 * 10, 0.1
    close(probability(q, "beta"), 3.0 / 3.7);
    close(probability(q, "alpha"), 0.6 / 3.7);
    close(probability(q, "other"), 0.1 / 3.7);
}

#[test]
fn thirty_independent_confirmations_are_weighed_exactly_and_quickly() {
    // Thirty reports of one vendor (B3 each, p = 0.375) assert one attribution: one
    // source's testimony, which holds with 1 - 0.625^30 and counts once with LR 10.
    let mut reports = String::from("reports:\n");
    for i in 0..30 {
        reports.push_str(&format!(
            "  - {{ id: r{i}, source: b2, date: 2030-01-11, credibility: 3, asserts: [attribution: {{ incident: one, actor: alpha }}] }}\n"
        ));
    }
    let a = assess(&format!("{ONE_QUESTION}{reports}"), None);
    let holds = 1.0 - 0.625f64.powi(30);
    close(probability(&a.questions[0], "alpha"), jeffrey(&[(holds, 10.0), (1.0 - holds, 1.0)]));
}

#[test]
fn independent_sources_judging_alike_add_up() {
    // Two sources (B1 each, p = 0.75) attribute the incident to alpha, neither repeating
    // the other: two independent bodies of evidence, whose Bayes factors multiply.
    // Each alone: F(alpha) = 0.75 x (10/12) / (1/3) + 0.25 = 2.125,
    //             F(beta) = F(other) = 0.75 x (1/12) / (1/3) + 0.25 = 0.4375.
    let reports = "reports:
  - { id: r1, source: b, date: 2030-01-11, credibility: 1, asserts: [attribution: { incident: one, actor: alpha }] }
  - { id: r2, source: b2, date: 2030-01-12, credibility: 1, asserts: [attribution: { incident: one, actor: alpha }] }
";
    let a = assess(&format!("{ONE_QUESTION}{reports}"), None);
    let (alpha, rest) = (2.125f64.powi(2), 0.4375f64.powi(2));
    close(probability(&a.questions[0], "alpha"), alpha / (alpha + 2.0 * rest));
    close(probability(&a.questions[0], "alpha"), 0.9218500797448166);
    assert_eq!(a.questions[0].hypotheses[0].contributions.len(), 2);
}

#[test]
fn one_source_saying_it_twice_counts_once() {
    // The same source (B1) attributes twice: one testimony, surer (1 - 0.25^2), counted once.
    let reports = "reports:
  - { id: r1, source: b, date: 2030-01-11, credibility: 1, asserts: [attribution: { incident: one, actor: alpha }] }
  - { id: r2, source: b, date: 2030-01-12, credibility: 1, asserts: [attribution: { incident: one, actor: alpha, form: remark }] }
";
    let a = assess(&format!("{ONE_QUESTION}{reports}"), None);
    close(probability(&a.questions[0], "alpha"), jeffrey(&[(0.9375, 10.0), (0.0625, 1.0)]));
}

#[test]
fn a_hedged_statement_is_as_sure_as_its_source_said() {
    // B1 (0.75) and stated "likely" (0.675): it holds with 0.75 x 0.675 = 0.50625.
    let reports = "reports:
  - { id: r1, source: b, date: 2030-01-11, credibility: 1, asserts: [attribution: { incident: one, actor: alpha, confidence: likely }] }
";
    let a = assess(&format!("{ONE_QUESTION}{reports}"), None);
    close(probability(&a.questions[0], "alpha"), jeffrey(&[(0.50625, 10.0), (0.49375, 1.0)]));
}

#[test]
fn a_judgment_counts_for_what_its_own_findings_do_not_carry() {
    // An A1 report attributes to alpha (LR 10) and lays out one finding, an address in
    // XA (t.geo, LR 3). The finding is weighed; the judgment counts for 10 / 3 on top.
    let reports = "reports:
  - id: r1
    source: a
    date: 2030-01-11
    credibility: 1
    asserts:
      - observed: { artifact: ip1, incident: one }
      - geolocation: { artifact: ip1, country: XA }
      - attribution: { incident: one, actor: alpha }
";
    let a = assess(&format!("{ONE_QUESTION}{reports}"), None);
    close(probability(&a.questions[0], "alpha"), p_alpha(10.0));
    let judgment = a.questions[0].hypotheses[0].contributions.iter().find(|c| c.rule == "t.attribution").expect("weighed");
    close(judgment.nominal_log10_lr, (10.0f64 / 3.0).log10());
    // With a finding as strong as the judgment, the judgment adds nothing.
    let strong =
        reports.replace("observed: { artifact: ip1, incident: one }", "observed: { artifact: ip1, incident: one, role: send_receive }");
    let a = assess(&format!("{ONE_QUESTION}{strong}"), None);
    close(probability(&a.questions[0], "alpha"), p_alpha(300.0));
}

#[test]
fn evidence_naming_a_parent_weighs_for_all_its_units_as_a_set() {
    // alpha-1 and alpha-2 are units of alpha. An A1 attribution to alpha (LR 10) makes
    // the evidence 10 times as probable under either unit as under beta or other:
    // weights 10, 10, 1, 1. Rolled up, alpha has 20/22.
    let units = "  - { id: alpha-1, parent: alpha }\n  - { id: alpha-2, parent: alpha }\n";
    let case = "questions:
  - { id: q, incident: one, hypotheses: [alpha-1, alpha-2, beta] }
reports:
  - { id: r1, source: a, date: 2030-01-11, credibility: 1, asserts: [attribution: { incident: one, actor: alpha }] }
";
    let a = assess_with_actors(units, case);
    let q = &a.questions[0];
    close(probability(q, "alpha-1"), 10.0 / 22.0);
    close(probability(q, "alpha-2"), 10.0 / 22.0);
    close(probability(q, "beta"), 1.0 / 22.0);
    assert_eq!(q.rollups.len(), 1);
    assert_eq!(q.rollups[0].id, "alpha");
    close(q.rollups[0].probability, 20.0 / 22.0);
    assert_eq!(q.rollups[0].hypotheses, vec!["alpha-1", "alpha-2"]);
    // Evidence naming a unit weighs for the hypothesis it is part of.
    let case = "questions:
  - { id: q, incident: one, hypotheses: [alpha, beta] }
reports:
  - { id: r1, source: a, date: 2030-01-11, credibility: 1, asserts: [attribution: { incident: one, actor: alpha-1 }] }
";
    let a = assess_with_actors(units, case);
    close(probability(&a.questions[0], "alpha"), p_alpha(10.0));
}

#[test]
fn a_long_chain_of_echoes_counts_once_whatever_the_order_of_reports() {
    // r0 (B1) attributes to alpha; r1..r30 each repeat the previous one. However long
    // the chain and in whichever order the reports are written, it is r0's testimony,
    // held with r0's grading (0.75). (A fixed depth once made this depend on the order.)
    let chain: Vec<String> = (0..=30)
        .map(|i| {
            let based_on = if i == 0 { String::new() } else { format!(", based_on: r{}", i - 1) };
            format!("  - {{ id: r{i}, source: b2, date: 2030-01-11, credibility: 1{based_on}, asserts: [attribution: {{ incident: one, actor: alpha }}] }}\n")
        })
        .collect();
    let forward = format!("{ONE_QUESTION}reports:\n{}", chain.concat());
    let backward = format!("{ONE_QUESTION}reports:\n{}", chain.iter().rev().cloned().collect::<String>());
    for case in [forward, backward] {
        let a = assess(&case, None);
        close(probability(&a.questions[0], "alpha"), jeffrey(&[(0.75, 10.0), (0.25, 1.0)]));
    }
}

/// docs/semantics.md, section 5a (its worked example): a profile is background knowledge;
/// each technique a candidate is known for weighs by the expected ratio 1 + p (r - 1), p the
/// credence of the candidate's statements, and the argument rests only on the incident's report.
#[test]
fn profiles_weigh_by_their_expected_ratio_over_the_statements() {
    let path = "docs/examples/semantics/profiles.yaml";
    let text = std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).expect("the worked example");
    let engine = Engine::builder().build().unwrap_or_else(|e| panic!("{}", e.render()));
    let evidence = engine.evidence().text(path, text).load().unwrap_or_else(|e| panic!("{}", e.render()));
    let outcome = engine.evaluate_partial(&evidence, &common::options(None)).unwrap_or_else(|e| panic!("{}", e.render()));
    let evaluation = outcome.evaluation();
    common::oracle::agree("profiles worked example", evidence.set(), evaluation);

    // Credence by hand: B2 and C2 independent for the rare technique, one B2 for the shared one.
    let rare = 1.0 - (1.0 - 0.5625) * (1.0 - 0.375);
    let pair = 0.5625;
    // ... and by enumerating the worlds of the reports.
    let schema = &engine.program().schema;
    let stated = |actor: &'static str, technique: &'static str| {
        common::oracle::stated_credence(schema, evidence.set(), evaluation, &move |ty, fields| {
            ty == "uses" && fields.contains(&Some(actor.to_string())) && fields.contains(&Some(technique.to_string()))
        })
    };
    close(stated("alpha", "t-rare"), rare);
    close(stated("alpha", "t-pair"), pair);
    close(stated("beta", "t-pair"), pair);

    let graph = &evaluation.graph;
    let ratio = |actor: &str, technique: &str| -> f64 {
        let found: Vec<&ascribe::engine::arguments::Argument> = graph
            .arguments
            .iter()
            .filter(|a| {
                a.target == ascribe::engine::arguments::Target::Actor(actor.into()) && a.explanation(engine.program()).contains(technique)
            })
            .collect();
        assert_eq!(found.len(), 1, "one argument for {actor} and {technique}");
        // It rests only on the incident's A1 report (certain), and cites the profile's reports.
        assert!(found[0].cond.is_always());
        found[0].ratio
    };
    // Total rarity log10 3 + log10 1.5 < 2: nothing scaled, r = 3 and 1.5.
    close(ratio("alpha", "t-rare"), 1.0 + rare * (3.0 - 1.0));
    close(ratio("alpha", "t-pair"), 1.0 + pair * (1.5 - 1.0));
    close(ratio("beta", "t-pair"), 1.0 + pair * (1.5 - 1.0));
    assert_eq!(graph.arguments.len(), 3, "no argument for gamma, none for a technique nobody is known for");

    let alpha = (1.0 + rare * 2.0) * (1.0 + pair * 0.5);
    let beta = 1.0 + pair * 0.5;
    let total = alpha + beta + 1.0 + 1.0;
    let q = &evaluation.assessment.questions[0];
    close(probability(q, "alpha"), alpha / total);
    close(probability(q, "beta"), beta / total);
    close(probability(q, "gamma"), 1.0 / total);
    close(probability(q, "other"), 1.0 / total);
    // The figures docs/semantics.md prints.
    assert!((alpha / total - 0.4892).abs() < 5e-5 && (beta / total - 0.1994).abs() < 5e-5 && (1.0 / total - 0.1557).abs() < 5e-5);
    // The profile statements are cited, and none is listed as not weighed.
    let cited: BTreeSet<String> =
        graph.arguments.iter().flat_map(|a| a.reports.iter().map(|&r| evidence.set().reports[r].id.clone())).collect();
    assert_eq!(cited.into_iter().collect::<Vec<_>>(), ["alpha-pair", "alpha-rare-b", "alpha-rare-c", "beta-pair", "response-report"]);
    assert!(evaluation.assessment.unweighed.is_empty(), "{:?}", evaluation.assessment.unweighed);

    // What-if (the sensitivity view): with the B2 statement taken as not genuine, the rare
    // technique rests on the C2 one alone, and the ratio moves with it.
    let b = evidence.set().reports.iter().position(|r| r.id == "alpha-rare-b").expect("report");
    let options = ascribe::Options { assume: [(b, false)].into(), ..common::options(None) };
    let outcome = engine.evaluate_partial(&evidence, &options).unwrap_or_else(|e| panic!("{}", e.render()));
    let without = outcome.evaluation();
    let rare_ratio = without.graph.arguments.iter().find(|a| a.explanation(engine.program()).contains("t-rare")).map(|a| a.ratio);
    close(rare_ratio.expect("still weighed"), 1.0 + 0.375 * 2.0);
    common::oracle::agree("profiles worked example, B2 statement not genuine", evidence.set(), without);
}
