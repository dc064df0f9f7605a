//! The 2013 Korean cases read as a careful analyst would (issue acceptance).

mod common;

use ascribe::report::{Assessment, QuestionOutcome};

fn assess(as_of: &str) -> Assessment {
    common::assess_file("examples/korea-2013/evidence.yaml", Some(as_of))
}

fn question<'a>(a: &'a Assessment, id: &str) -> &'a QuestionOutcome {
    a.questions.iter().find(|q| q.id == id).expect("question")
}

fn rules_for<'a>(q: &'a QuestionOutcome, hypothesis: &str) -> Vec<&'a str> {
    let h = q.hypotheses.iter().find(|h| h.id == hypothesis).expect("hypothesis");
    h.contributions.iter().filter(|c| c.target == hypothesis).map(|c| c.rule.as_str()).collect()
}

#[test]
fn on_21_march_nothing_is_above_likely_and_the_ip_evidence_is_shown_weak() {
    let a = assess("2013-03-21");
    let march = question(&a, "who-march");
    for h in &march.hypotheses {
        assert!(h.probability <= 0.55, "{} at {}", h.id, h.probability);
    }
    assert!(march
        .undercut
        .iter()
        .any(|u| u.rule == "infra.geoip" && u.target == "china" && u.reason.contains("north-korea") && u.reason.contains("CN")));
    assert_eq!(march.confidence, "low");
    assert!(a.questions.iter().all(|q| q.id != "who-june"));
}

#[test]
fn after_22_march_the_withdrawn_china_claim_counts_for_nothing() {
    let a = assess("2013-03-22");
    let march = question(&a, "who-march");
    assert!(march.undercut.is_empty());
    assert!(march.hypotheses.iter().all(|h| h.contributions.iter().all(|c| !c.evidence.iter().any(|e| e.report == "kcc-china-ip"))));
    assert!(a.retracted.iter().any(|r| r.report == "kcc-china-ip" && r.by == "kcc-withdrawal"));
    let china = march.hypotheses.iter().find(|h| h.id == "china").expect("china");
    assert!(china.contributions.iter().all(|c| c.target != "china"));
}

#[test]
fn on_10_april_north_korea_leads_on_logs_infrastructure_and_code_counted_once() {
    let a = assess("2013-04-10");
    let march = question(&a, "who-march");
    assert_eq!(march.hypotheses[0].id, "north-korea");
    let rules = rules_for(march, "north-korea");
    for rule in ["infra.direct_access", "infra.reuse", "malware.code_reuse"] {
        assert_eq!(rules.iter().filter(|r| **r == rule).count(), 1, "{rule} once in {rules:?}");
    }
    // The investigation's own attribution rests on the evidence it lays out: not counted again.
    assert!(!rules.contains(&"claims.official_attribution"));
    // Geo-IP of the same addresses as the access logs is counted once with them.
    let access = march.hypotheses[0].contributions.iter().find(|c| c.rule == "infra.direct_access").expect("access");
    assert!(access.counted_once_with.iter().any(|c| c.starts_with("infra.geoip")));
}

#[test]
fn by_16_july_north_korea_leads_both_cases_and_june_is_linked_to_march() {
    let a = assess("2013-07-16");
    let march = question(&a, "who-march");
    let june = question(&a, "who-june");
    assert_eq!(march.hypotheses[0].id, "north-korea");
    assert_eq!(june.hypotheses[0].id, "north-korea");
    let rules = rules_for(june, "north-korea");
    assert!(rules.contains(&"campaign.transfer"), "{rules:?}");
    assert!(rules.contains(&"infra.send_receive"), "{rules:?}");
    // The "Anonymous" signature weighs against Anonymous; the denial is non-diagnostic.
    let anonymous = june.hypotheses.iter().find(|h| h.id == "anonymous").expect("anonymous");
    let own: f64 = anonymous.contributions.iter().filter(|c| c.target == "anonymous").map(|c| c.log10_lr).sum();
    assert!(own < 0.0, "the signature should weigh against its claimant");
    assert!(anonymous.probability < june.hypotheses.iter().find(|h| h.id == "other").expect("other").probability);
    assert!(june.non_diagnostic.iter().any(|f| f.rule == "claims.denial" && f.target == "north-korea"));
}

#[test]
fn from_10_april_north_korea_is_first_but_not_almost_certain_on_one_source_per_question() {
    for date in ["2013-04-10", "2013-07-16"] {
        let a = assess(date);
        for q in &a.questions {
            let top = &q.hypotheses[0];
            assert_eq!(top.id, "north-korea", "{} as of {date}", q.id);
            // Per question, essentially one report carries the judgment: bounded by its grading.
            assert!(top.probability < 0.95, "{} as of {date}: {}", q.id, top.probability);
            assert_ne!(top.estimative, "almost certain", "{} as of {date}", q.id);
            assert_ne!(q.confidence, "low", "{} as of {date}", q.id);
        }
    }
}
