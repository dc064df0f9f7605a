//! One hard question never blocks the others (docs/semantics.md, section 11):
//! a weighing rule that exhausts its work budget on one incident's evidence
//! fails only the questions about that incident, and the others get the
//! answer they get without it, byte for byte. A deriving rule that runs out
//! says which findings and rules it leaves unfinished. A bounded question
//! marks the `holds` that are only lower bounds.

mod common;

use ascribe::engine::budget::Limits;
use ascribe::engine::inference::Weighing;
use ascribe::{Engine, Options};
use common::run::ascribe;

const BUSY: &str = "tests/dense/one-busy-incident.yaml";
const CALM: &str = "tests/dense/calm-alone.yaml";
/// Enough for every rule on `calm` and far too little on `busy`.
const BUDGET: &str = "1000";

#[test]
fn the_budget_fixtures_are_what_the_generator_writes() {
    for (busy, file) in [(true, BUSY), (false, CALM)] {
        let path = format!("{}/{file}", env!("CARGO_MANIFEST_DIR"));
        let want = common::dense::one_busy_incident(120, busy);
        if std::env::var_os("ASCRIBE_BLESS_DENSE").is_some() {
            std::fs::write(&path, &want).expect("write the fixture");
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap_or_default(), want, "{file}: rerun with ASCRIBE_BLESS_DENSE=1");
    }
}

/// `eval` answers `who-calm` exactly as it does without `busy`'s evidence,
/// in text and JSON, and exits 1 with one diagnostic for `who-busy`.
#[test]
fn a_rule_out_of_budget_on_one_incident_fails_only_its_questions() {
    for format in ["text", "json"] {
        let both = ascribe(&["eval", "--budget", BUDGET, "--format", format, BUSY]);
        let alone = ascribe(&["eval", "--budget", BUDGET, "--format", format, CALM]);
        assert_eq!(alone.code, 0, "{}", alone.stderr);
        assert_eq!(both.code, 1, "a question not weighed is invalid input: {}", both.stderr);
        assert!(!both.stdout.is_empty() && both.stdout == alone.stdout, "{format}:\n{}\n---- alone ----\n{}", both.stdout, alone.stdout);
        assert!(!both.stdout.contains("b000"), "the busy incident's reports are not listed as weighing nothing");
    }
    let run = ascribe(&["eval", "--budget", BUDGET, BUSY]);
    assert_eq!(run.stderr.matches("evaluation error").count(), 1, "one diagnostic for the one incident:\n{}", run.stderr);
    let flat = run.stderr.split_whitespace().filter(|w| *w != "|").collect::<Vec<_>>().join(" ");
    for part in [
        "rule `infra.geoip` exhausted the work budget of 1000 steps for incident `busy` with ?ip = ip",
        "on reports `b0",
        "question `who-busy` is not weighed",
        "--budget 4000",
    ] {
        assert!(flat.contains(part), "{part:?} in:\n{flat}");
    }
    insta::assert_snapshot!("one_busy_incident_stderr", run.stderr);
}

/// With the default budget both questions are answered, and `who-calm` the same.
#[test]
fn with_budget_enough_both_are_answered() {
    let run = ascribe(&["eval", BUSY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("who-busy:") && run.stdout.contains("who-calm:"));
}

/// Through the library: `evaluate_partial` keeps the question it can weigh,
/// and its error names only the other.
#[test]
fn evaluate_partial_answers_per_question() {
    let engine = Engine::new().expect("the standard library");
    let load = |file: &str| {
        let text = std::fs::read_to_string(format!("{}/{file}", env!("CARGO_MANIFEST_DIR"))).expect("fixture");
        engine.evidence().text(file, text).load().expect("valid evidence")
    };
    let options = Options { limits: Limits { steps: 1000, ..Limits::default() }, ..Options::default() };
    let outcome = engine.evaluate_partial(&load(BUSY), &options).expect("a partial outcome");
    let asked: Vec<&str> = outcome.assessment().questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(asked, ["who-calm"]);
    let error = outcome.error().expect("who-busy is not weighed");
    assert_eq!(error.diagnostics().len(), 1);
    assert!(error.render().contains("question `who-busy` is not weighed"), "{}", error.render());
    // `evaluate` refuses the partial outcome, with the same error.
    assert!(engine.evaluate(&load(BUSY), &options).is_err());
    // The answer is the one `calm` gets alone.
    let alone = engine.evaluate(&load(CALM), &options).expect("calm alone is weighed");
    let json = |a: &ascribe::report::Assessment| serde_json::to_string(&a.questions).expect("JSON");
    assert_eq!(json(outcome.assessment()), json(alone.assessment()));
    assert_eq!(outcome.assessment().unweighed.len(), alone.assessment().unweighed.len());
}

/// A rule whose conclusions reach across incidents (an undercut of geo-IP
/// arguments wherever the country is) cannot be run per incident: running
/// out of budget still stops the whole evaluation, naming the rule.
#[test]
fn a_rule_across_incidents_still_fails_the_whole_set() {
    let rules = "rule local.everywhere {\n  title \"t\"\n  rationale \"r\"\n  when {\n    observed(artifact: ?ip, incident: ?i)\n    geolocation(artifact: ?ip, country: ?country)\n    actor(id: ?actor, country: ?country)\n  }\n  then {\n    undercut infra.geoip(actor: ?actor, country: ?country)\n  }\n  because \"{ip}\"\n}\n";
    let engine = Engine::builder().rules_text("local.ascr", rules).build().expect("rules");
    let text = std::fs::read_to_string(format!("{}/{BUSY}", env!("CARGO_MANIFEST_DIR"))).expect("fixture");
    let evidence = engine.evidence().text(BUSY, text).load().expect("valid evidence");
    // Enough for the standard rules, which run per incident; not for the
    // undercut over every incident at once.
    let limits = Limits { steps: 3000, ..Limits::default() };
    let error = engine.evaluate_partial(&evidence, &Options { limits, ..Options::default() }).expect_err("no question is weighed");
    let text = error.render();
    assert!(text.contains("rule `local.everywhere` exhausted the work budget of 3000 steps"), "{text}");
    assert!(!text.contains("for incident"), "{text}");
}

/// A deriving rule that runs out names the findings it could not finish and
/// the rules that read them.
#[test]
fn a_deriving_rule_out_of_budget_names_its_readers() {
    let mut y = String::from("sources:\n  - { id: s1, name: S1, kind: vendor, reliability: B }\nactors:\n  - { id: alpha, country: XA }\n  - { id: beta, country: XB }\nincidents:\n");
    for k in 0..8 {
        y.push_str(&format!("  - {{ id: i{k}, date: 2030-01-0{} }}\n", k + 1));
    }
    y.push_str("questions:\n  - { id: q, incident: i7, hypotheses: [alpha, beta] }\nreports:\n");
    let mut n = 0;
    for a in 0..8 {
        for b in a + 1..8 {
            y.push_str(&format!("  - {{ id: r{n}, source: s1, date: 2030-02-01, credibility: 2, asserts: [ {{ shared_infrastructure: {{ incident: i{a}, other: i{b} }} }} ] }}\n"));
            n += 1;
        }
    }
    let engine = Engine::new().expect("the standard library");
    let evidence = engine.evidence().text("linked.yaml", y).load().expect("valid evidence");
    let options = Options { limits: Limits { steps: 2000, ..Limits::default() }, ..Options::default() };
    let error = engine.evaluate_partial(&evidence, &options).expect_err("no question is weighed");
    let text = error.render().split_whitespace().filter(|w| *w != "|" && *w != "│").collect::<Vec<_>>().join(" ");
    assert!(text.contains("exhausted the work budget of 2000 steps"), "{text}");
    assert!(text.contains("could not be completed (`") && text.contains("so no question is weighed"), "{text}");
    assert!(text.contains("`same_operator`") && text.contains("`campaign.transfer`"), "{text}");
}

/// In a bounded question, a group that did not fit in what was left of the
/// budget shows `holds` as a lower bound (`p≥`, `"holds_bound": "lower"`),
/// below the exact figure; the others show it exactly.
#[test]
fn bounded_holds_that_are_lower_bounds_are_marked() {
    let engine = Engine::new().expect("the standard library");
    let evidence = engine.evidence().text("dense.yaml", common::dense::overlapping(3, 22, 6)).load().expect("valid evidence");
    let weigh = |limits: Limits| engine.evaluate(&evidence, &Options { limits, ..Options::default() }).expect("weighed");
    let exact = weigh(Limits { steps: 1 << 24, ..Limits::default() });
    let exact_groups = &exact.weighings()[0].groups;
    assert!(exact.weighings()[0].bounds.is_none() && exact_groups.iter().all(|g| !g.holds_at_least));
    let mut seen_lower = false;
    for weighing in [200, 2_000, 20_000] {
        let outcome = weigh(Limits { weighing: Some(weighing), ..Limits::default() });
        let w: &Weighing = &outcome.weighings()[0];
        assert!(w.bounds.is_some(), "bounded at {weighing} steps");
        for g in &w.groups {
            let same = exact_groups.iter().find(|e| e.members == g.members).expect("the same group when exact");
            if g.holds_at_least {
                assert!(g.holds <= same.holds + 1e-12, "a lower bound {} above the exact {}", g.holds, same.holds);
            } else {
                assert!((g.holds - same.holds).abs() < 1e-9, "exact {} vs {}", g.holds, same.holds);
            }
        }
        let json = serde_json::to_value(outcome.assessment()).expect("JSON");
        let arguments = json["questions"][0]["bounded"]["arguments"].as_array().expect("bounded arguments").clone();
        let lower = arguments.iter().filter(|a| a["holds_bound"] == "lower").count();
        assert_eq!(lower, w.groups.iter().filter(|g| g.holds_at_least).count());
        assert!(arguments.iter().all(|a| a["holds_bound"] == "lower" || a["holds_bound"] == "exact"));
        if lower > 0 {
            seen_lower = true;
            let text = ascribe::report::text::render(outcome.assessment());
            assert!(text.contains("holds with p≥"), "{text}");
        }
    }
    assert!(seen_lower, "some budget leaves a group bounded from below");
}
