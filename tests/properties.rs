//! The properties docs/semantics.md promises of the weighing, each by hand and
//! as a property over random evidence sets, with the brute-force oracle
//! (tests/common/oracle.rs) checking every posterior of every generated case.

mod common;

use ascribe::engine::Evaluation;
use ascribe::evidence::EvidenceSet;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, failure_persistence: None, rng_seed: RngSeed::Fixed(0x0a5c_1be6), ..ProptestConfig::default() }
}

const CAST: &str = "sources:
  - { id: gov, kind: government, reliability: A }
  - { id: gov2, kind: government, reliability: B }
  - { id: ven1, kind: vendor, reliability: B }
  - { id: ven2, kind: vendor, reliability: C }
  - { id: ven3, kind: vendor, reliability: B }
  - { id: ven4, kind: vendor, reliability: A }
  - { id: ven5, kind: vendor, reliability: D }
  - { id: press, kind: media, reliability: F }
actors:
  - { id: alpha, country: XA, tools: [kit], routes_through: [XC] }
  - { id: beta, country: XB, tools: [kit2] }
incidents:
  - { id: one, date: 2030-01-10, victim_country: XV }
artifacts:
  - { id: ip1, kind: ip }
  - { id: ip2, kind: ip }
  - { id: ip3, kind: ip }
  - { id: kit, kind: malware }
  - { id: kit2, kind: malware }
questions:
  - { id: q, incident: one, hypotheses: [alpha, beta] }
";

const SOURCES: [&str; 8] = ["gov", "gov2", "ven1", "ven2", "ven3", "ven4", "ven5", "press"];
const GRADES: [char; 6] = ['A', 'B', 'C', 'D', 'E', 'F'];

/// Everything one generated report may assert.
#[rustfmt::skip]
const ASSERTIONS: &[&str] = &[
    "attribution: { incident: one, actor: alpha }",
    "attribution: { incident: one, actor: beta }",
    "observed: { artifact: ip1, incident: one, role: send_receive }",
    "observed: { artifact: ip2, incident: one, role: access }",
    "observed: { artifact: ip3, incident: one }",
    "geolocation: { artifact: ip1, country: XA }",
    "geolocation: { artifact: ip2, country: XB }",
    "geolocation: { artifact: ip3, country: XC }",
    "geolocation: { artifact: ip3, country: XB }",
    "infrastructure_reuse: { incident: one, actor: alpha, reused: 4, total: 10 }",
    "infrastructure_reuse: { incident: one, actor: beta, reused: 9, total: 10 }",
    "code_reuse: { incident: one, artifact: kit, similarity: 0.5 }",
    "code_reuse: { incident: one, artifact: kit2, similarity: 0.9 }",
    "routing: { actor: beta, country: XA }",
    "tension: { actor: alpha, country: XV }",
    "tension: { actor: beta, country: XV }",
    "denial: { incident: one, actor: alpha }",
    "persona_claim: { incident: one, persona: Team, actor: beta }",
    "attribution: { incident: one, actor: alpha, form: remark, confidence: possible }",
    "attribution: { incident: one, actor: beta, form: indictment }",
    "attribution: { incident: one, actor: alpha, confidence: likely }",
    "forgery: { artifact: ip3, incident: one, mimics: beta, by: alpha }",
    "imitation: { incident: one, mimics: alpha }",
    "authentic: { artifact: ip1, incident: one }",
];

#[derive(Clone, Debug)]
struct Report {
    source: usize,
    credibility: u8,
    day: u8,
    asserts: Vec<usize>,
    based_on: Option<usize>,
    retracts: Option<usize>,
}

fn report() -> impl Strategy<Value = Report> {
    (0..SOURCES.len(), 1u8..=6, 11u8..=28, prop::collection::vec(0..ASSERTIONS.len(), 1..4), any::<Option<usize>>(), any::<Option<usize>>())
        .prop_map(|(source, credibility, day, mut asserts, based_on, retracts)| {
            asserts.sort();
            asserts.dedup();
            Report {
                source,
                credibility,
                day,
                asserts,
                based_on: based_on.filter(|x| x % 4 == 0),
                retracts: retracts.filter(|x| x % 7 == 0),
            }
        })
}

/// Renders reports as an evidence file; `based_on` and `retracts` point to an
/// earlier report (by position), so they never form a loop, and a retraction
/// is dated no earlier than what it withdraws.
fn render(reports: &[Report], order: &[usize]) -> String {
    // A retraction is dated on or after the report it withdraws.
    let mut days: Vec<u8> = vec![];
    for (i, r) in reports.iter().enumerate() {
        let withdrawn = r.retracts.filter(|_| i > 0).map(|t| days[t % i]);
        days.push(r.day.max(withdrawn.unwrap_or(0)));
    }
    let mut text = format!("{CAST}reports:\n");
    for &i in order {
        let r = &reports[i];
        text.push_str(&format!(
            "  - id: r{i}\n    source: {}\n    date: 2030-01-{:02}\n    credibility: {}\n",
            SOURCES[r.source], days[i], r.credibility
        ));
        if i > 0 {
            if let Some(b) = r.based_on {
                text.push_str(&format!("    based_on: [r{}]\n", b % i));
            }
            if let Some(t) = r.retracts {
                text.push_str(&format!("    retracts: [r{}]\n", t % i));
            }
        }
        text.push_str("    asserts:\n");
        for &a in &r.asserts {
            text.push_str(&format!("      - {}\n", ASSERTIONS[a]));
        }
    }
    text
}

fn evaluate(text: &str) -> (EvidenceSet, Evaluation) {
    common::evaluate_text("generated.yaml", text, None).unwrap_or_else(|| panic!("generated evidence evaluates:\n{text}"))
}

fn probabilities(evaluation: &Evaluation) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = evaluation.assessment.questions[0].hypotheses.iter().map(|h| (h.id.clone(), h.probability)).collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn genuine(reliability: char, credibility: u8) -> f64 {
    if reliability == 'F' && credibility == 6 {
        return 0.0;
    }
    let r = [1.0, 0.75, 0.5, 0.25, 0.0, 0.5]["ABCDEF".find(reliability).expect("grade")];
    let c = [1.0, 0.75, 0.5, 0.25, 0.0, 0.5][credibility as usize - 1];
    r * c
}

fn single_report(source_grade: char, credibility: u8, asserts: &[usize]) -> String {
    let mut text =
        CAST.replace("{ id: ven1, kind: vendor, reliability: B }", &format!("{{ id: ven1, kind: vendor, reliability: {source_grade} }}"));
    text.push_str(&format!("reports:\n  - id: r0\n    source: ven1\n    date: 2030-01-11\n    credibility: {credibility}\n    asserts:\n"));
    for &a in asserts {
        text.push_str(&format!("      - {}\n", ASSERTIONS[a]));
    }
    text
}

#[test]
fn without_reports_the_priors_stand() {
    let (_, evaluation) = evaluate(&format!("{CAST}reports: []\n"));
    for (_, p) in probabilities(&evaluation) {
        assert!((p - 1.0 / 3.0).abs() < 1e-12);
    }
}

#[test]
fn one_report_is_bounded_by_its_grading_by_hand() {
    // Every assertion at once, in one B2 report: at most 0.5625 + 0.4375 / 3 = 0.7083.
    let all: Vec<usize> = (0..ASSERTIONS.len()).collect();
    let (_, evaluation) = evaluate(&single_report('B', 2, &all));
    let top = probabilities(&evaluation).iter().map(|p| p.1).fold(0.0, f64::max);
    assert!(top <= 0.5625 + 0.4375 / 3.0 + 1e-12, "{top}");
    // The two-way traffic (LR 300) and the code reuse in one A2 report: at most 0.75 + 0.25 / 3.
    let (_, evaluation) = evaluate(&single_report('A', 2, &[2, 5, 9, 11]));
    let alpha = probabilities(&evaluation)[0].1;
    assert!(alpha > 0.75 && alpha <= 0.75 + 0.25 / 3.0 + 1e-12, "{alpha}");
}

#[test]
fn the_same_finding_reported_again_rises_towards_its_limit_by_hand() {
    // n independent B2 reports observe two-way traffic from ip1 in XA (LR 300): the
    // observation holds with 1 - 0.4375^n and counts once. Limit 300 / 302.
    let mut last = 1.0 / 3.0;
    for n in [1, 2, 3, 5] {
        let mut text = format!("{CAST}reports:\n");
        for i in 0..n {
            text.push_str(&format!(
                "  - {{ id: r{i}, source: {}, date: 2030-01-11, credibility: 2, asserts: [{}, {}] }}\n",
                ["ven1", "ven3", "gov2", "ven1", "ven3"][i],
                ASSERTIONS[2],
                ASSERTIONS[5]
            ));
        }
        let (set, evaluation) = evaluate(&text);
        common::oracle::agree("repeated finding", &set, &evaluation);
        let alpha = probabilities(&evaluation)[0].1;
        let holds = 1.0 - 0.4375f64.powi(n as i32);
        let expected = holds * 300.0 / 302.0 + (1.0 - holds) / 3.0;
        assert!((alpha - expected).abs() < 1e-12, "n = {n}: {alpha} vs {expected}");
        assert!(alpha > last && alpha < 300.0 / 302.0);
        last = alpha;
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn the_oracle_agrees_and_order_never_matters(reports in prop::collection::vec(report(), 1..7), seed in any::<u64>()) {
        let order: Vec<usize> = (0..reports.len()).collect();
        let (set, evaluation) = evaluate(&render(&reports, &order));
        common::oracle::agree("generated", &set, &evaluation);
        let probabilities_in_order = probabilities(&evaluation);
        let total: f64 = probabilities_in_order.iter().map(|p| p.1).sum();
        prop_assert!((total - 1.0).abs() < 1e-9);
        // The same reports written in another order (a report still follows those it
        // repeats or withdraws, so only independent ones move).
        let mut shuffled = order.clone();
        let mut state = seed;
        for i in (1..shuffled.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let j = (state >> 33) as usize % (i + 1);
            shuffled.swap(i, j);
        }
        let rewritten = render(&reports, &shuffled);
        if let Some((_, other)) = common::evaluate_text("shuffled.yaml", &rewritten, None) {
            for (a, b) in probabilities_in_order.iter().zip(probabilities(&other)) {
                prop_assert!((a.1 - b.1).abs() < 1e-12, "{} {} vs {}", a.0, a.1, b.1);
            }
        }
    }

    #[test]
    fn one_report_below_a1_never_reaches_certainty(grade in 0usize..6, credibility in 1u8..=6, asserts in prop::collection::vec(0..ASSERTIONS.len(), 1..8)) {
        let reliability = GRADES[grade];
        prop_assume!(!(reliability == 'A' && credibility == 1));
        let mut asserts = asserts;
        asserts.sort();
        asserts.dedup();
        let (set, evaluation) = evaluate(&single_report(reliability, credibility, &asserts));
        common::oracle::agree("single report", &set, &evaluation);
        let p = genuine(reliability, credibility);
        for (id, probability) in probabilities(&evaluation) {
            prop_assert!(probability <= p + (1.0 - p) / 3.0 + 1e-12, "{id}: {probability} with p = {p}");
            prop_assert!(probability < 0.99);
            if p <= 0.5625 {
                prop_assert!(probability <= 0.80);
            }
        }
    }

    #[test]
    fn f6_and_withdrawn_reports_change_nothing(reports in prop::collection::vec(report(), 1..6), asserts in prop::collection::vec(0..ASSERTIONS.len(), 1..4)) {
        let order: Vec<usize> = (0..reports.len()).collect();
        let base = render(&reports, &order);
        let Some((_, before)) = common::evaluate_text("base.yaml", &base, None) else { return Ok(()) };
        let lines: String = asserts.iter().map(|&a| format!("      - {}\n", ASSERTIONS[a])).collect();
        let f6 = format!("{base}  - id: unjudged\n    source: press\n    date: 2030-01-12\n    credibility: 6\n    asserts:\n{lines}");
        let withdrawn = format!(
            "{base}  - id: made\n    source: ven1\n    date: 2030-01-12\n    credibility: 1\n    asserts:\n{lines}  - {{ id: withdrawal, source: ven1, date: 2030-01-13, credibility: 1, retracts: [made] }}\n"
        );
        for case in [f6, withdrawn] {
            let (set, after) = evaluate(&case);
            common::oracle::agree("added report", &set, &after);
            for (a, b) in probabilities(&before).iter().zip(probabilities(&after)) {
                prop_assert!((a.1 - b.1).abs() < 1e-12, "{}: {} became {}", a.0, a.1, b.1);
            }
        }
    }
}

#[test]
fn the_documented_table_of_stated_confidence_is_the_one_used() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/semantics.md")).expect("docs/semantics.md");
    let table: Vec<(String, f64)> = doc
        .lines()
        .skip_while(|l| !l.starts_with("| word | probability |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .flat_map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            let p: f64 = cells[1].parse().expect("a probability");
            cells[0].split(", ").map(|w| (w.split(" (").next().unwrap_or(w).to_string(), p)).collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(table.len(), ascribe::schema::STATED_CONFIDENCE.len());
    for (word, p) in table {
        assert_eq!(ascribe::schema::stated_confidence(&word), Some(p), "{word}");
    }
}

#[test]
fn independent_attributions_each_raise_the_posterior_towards_one() {
    // n vendors that do not repeat one another (each graded x2, LR 10) attribute to alpha:
    // independent bodies of evidence, whose Bayes factors multiply. Each alone moves
    // alpha by F = p x (10/12) / (1/3) + (1 - p) and the others by p x (1/12) / (1/3) + (1 - p).
    let vendors = ["ven1", "ven3", "ven2", "ven4", "ven5"];
    let mut last = 1.0 / 3.0;
    for n in [1usize, 2, 3, 5] {
        let mut text = format!("{CAST}reports:\n");
        for (i, vendor) in vendors.iter().enumerate().take(n) {
            text.push_str(&format!(
                "  - {{ id: r{i}, source: {vendor}, date: 2030-01-11, credibility: 2, asserts: [{}] }}\n",
                ASSERTIONS[0]
            ));
        }
        let (set, evaluation) = evaluate(&text);
        common::oracle::agree("independent attributions", &set, &evaluation);
        let alpha = probabilities(&evaluation)[0].1;
        let (mut up, mut down) = (1.0, 1.0);
        for grade in ['B', 'B', 'C', 'A', 'D'].iter().take(n) {
            let p = genuine(*grade, 2);
            up *= p * 2.5 + (1.0 - p);
            down *= p * 0.25 + (1.0 - p);
        }
        let expected = up / (up + 2.0 * down);
        assert!((alpha - expected).abs() < 1e-12, "n = {n}: {alpha} vs {expected}");
        assert!(alpha > last && alpha < 1.0, "n = {n}: {alpha} after {last}");
        last = alpha;
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn the_same_strong_finding_reported_again_only_rises_towards_its_limit(
        grades in prop::collection::vec((0usize..4, 1u8..=4), 2..6),
        finding in 0usize..3,
    ) {
        // Strong observations: two-way traffic (LR 300), access from a country nobody relays
        // through (LR 300), infrastructure reuse (LR 1 + 99 x 0.9).
        let (asserts, ratio, target) = [
            ([2usize, 5], 300.0, 0usize),
            ([3, 6], 300.0, 1),
            ([10, 10], 1.0 + 99.0 * 0.9, 1),
        ][finding];
        let limit = ratio / (ratio + 2.0);
        let mut last = 1.0 / 3.0;
        let mut text = CAST.to_string();
        for (i, (grade, credibility)) in grades.iter().enumerate() {
            let source = ["ven4", "ven1", "ven2", "ven5"][*grade];
            if i == 0 {
                text.push_str("reports:\n");
            }
            text.push_str(&format!(
                "  - {{ id: r{i}, source: {source}, date: 2030-01-11, credibility: {credibility}, asserts: [{}, {}] }}\n",
                ASSERTIONS[asserts[0]],
                ASSERTIONS[asserts[1]]
            ));
            let (set, evaluation) = evaluate(&text);
            common::oracle::agree("repeated", &set, &evaluation);
            let p = probabilities(&evaluation);
            let now = p.iter().find(|(id, _)| id == ["alpha", "beta"][target]).expect("target").1;
            prop_assert!(now >= last - 1e-12 && now <= limit + 1e-12, "report {i}: {now} after {last}, limit {limit}");
            last = now;
        }
    }

    #[test]
    fn the_order_of_files_never_changes_a_figure(reports in prop::collection::vec(report(), 1..6)) {
        let order: Vec<usize> = (0..reports.len()).collect();
        let whole = render(&reports, &order);
        let split = whole.find("reports:\n").expect("reports section");
        let (cast, rest) = whole.split_at(split);
        let forward = common::evaluate_files(&[("cast.yaml", cast), ("reports.yaml", rest)]);
        let backward = common::evaluate_files(&[("reports.yaml", rest), ("cast.yaml", cast)]);
        match (forward, backward) {
            (Some(a), Some(b)) => {
                let (pa, pb) = (probabilities(&a.1), probabilities(&b.1));
                prop_assert_eq!(pa.len(), pb.len());
                for (x, y) in pa.iter().zip(&pb) {
                    prop_assert!(x.0 == y.0 && (x.1 - y.1).abs() < 1e-12, "{:?} vs {:?}", x, y);
                }
            }
            (a, b) => prop_assert_eq!(a.is_some(), b.is_some()),
        }
    }
}
