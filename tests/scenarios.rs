//! The fictional scenarios behave as an analyst expects.

mod common;

use ascribe::report::Assessment;

fn assess(example: &str, as_of: &str) -> Assessment {
    common::assess_file(&format!("examples/{example}/evidence.yaml"), Some(as_of))
}

#[test]
fn glass_harbor_imitated_actor_falls_once_the_forgery_is_reported() {
    let before = assess("glass-harbor", "2031-09-06");
    assert_eq!(before.questions[0].hypotheses[0].id, "copper-lynx");
    for date in ["2031-09-20", "2031-09-22", "2031-09-24"] {
        let after = assess("glass-harbor", date);
        let q = &after.questions[0];
        assert_ne!(q.hypotheses[0].id, "copper-lynx", "as of {date}");
        assert!(q.undercut.iter().any(|u| u.rule == "malware.code_reuse" && u.undercut_rule == "deception.forgery"));
        let lynx = q.hypotheses.iter().find(|h| h.id == "copper-lynx").expect("copper-lynx");
        assert!(lynx
            .contributions
            .iter()
            .any(|c| c.rule.starts_with("deception.") && c.log10_lr < 0.0 && c.explanation.contains("planted")));
    }
    // The servers bring Grey Heron level with someone else; the forger is not named.
    let last = assess("glass-harbor", "2031-09-24");
    let q = &last.questions[0];
    let p = |id: &str| q.hypotheses.iter().find(|h| h.id == id).expect("hypothesis").probability;
    assert!(p("grey-heron") > 0.4 && p("other") > 0.4 && p("copper-lynx") < 0.1, "{:?}", q.hypotheses);
    assert_eq!(q.hypotheses[2].id, "copper-lynx");
}

#[test]
fn lantern_attribution_travels_forward_along_links_never_in_a_circle() {
    let a = assess("lantern", "2032-06-10");
    let by_id = |id: &str| a.questions.iter().find(|q| q.id == id).expect("question");
    for q in ["who-birch", "who-cedar"] {
        let top = &by_id(q).hypotheses[0];
        assert_eq!(top.id, "saffron-kite");
        assert!(top.contributions.iter().any(|c| c.rule == "campaign.transfer"));
    }
    // Aster is the attributed incident: nothing transfers back to it.
    let aster = by_id("who-aster");
    assert!(aster.hypotheses.iter().all(|h| h.contributions.iter().all(|c| c.rule != "campaign.transfer")));
    // The persona's own record contradicts its claim.
    let front = by_id("who-cedar").hypotheses.iter().find(|h| h.id == "free-orlandia-front").expect("front");
    assert!(front.probability < 1.0 / 4.0);
}

#[test]
fn tidewater_testimony_accumulates_and_each_kind_weighs_as_documented() {
    let kestrel = |date: &str| {
        let a = assess("tidewater", date);
        let q = a.questions[0].clone();
        assert_eq!(q.hypotheses[0].id, "kestrel", "as of {date}");
        q
    };
    let dates = ["2033-02-03", "2033-02-20", "2033-03-12", "2033-04-15", "2033-09-01"];
    let questions: Vec<_> = dates.iter().map(|d| kestrel(d)).collect();
    let p: Vec<f64> = questions.iter().map(|q| q.hypotheses[0].probability).collect();
    // Every new independent source raises Kestrel; the hedged remark alone barely does.
    assert!(p[0] < 0.40, "{p:?}");
    assert!(p.windows(2).all(|w| w[1] > w[0]), "{p:?}");
    // The two vendors are two contributions; the echo is counted once with the first.
    let march = &questions[2].hypotheses[0];
    let vendors: Vec<_> = march.contributions.iter().filter(|c| c.rule == "claims.vendor_attribution").collect();
    assert_eq!(vendors.len(), 2);
    assert!(vendors.iter().any(|c| c.counted_once_with.iter().any(|o| o.contains("harbourwatch-brief"))));
    // The ministry's statement counts for what its own finding does not carry: 30 / 3.
    let april = &questions[3].hypotheses[0];
    let statement = april.contributions.iter().find(|c| c.rule == "claims.official_attribution").expect("statement");
    let own = statement.own_findings.as_ref().expect("own findings");
    assert!((own.stated_log10_lr - 30f64.log10()).abs() < 1e-12);
    assert!((own.carried_log10_lr - 3f64.log10()).abs() < 1e-12);
    assert!((statement.nominal_log10_lr - 1.0).abs() < 1e-12);
    // Not "almost certain" until several independent sources of more than one kind carry it.
    assert!(questions[..4].iter().all(|q| q.hypotheses[0].estimative != "almost certain"));
    assert_eq!(questions[4].hypotheses[0].estimative, "almost certain");
    assert!(questions[4].independent_sources >= 3);
}

#[test]
fn ember_veil_front_false_flag_authentic_trace_and_state_level_attribution() {
    let at = |date: &str| assess("ember-veil", date);
    let question = |a: &Assessment, id: &str| a.questions.iter().find(|q| q.id == id).cloned().expect("question");
    let p = |q: &ascribe::report::QuestionOutcome, id: &str| q.hypotheses.iter().find(|h| h.id == id).expect("hypothesis").probability;

    // Unweighed evidence is listed, with its reason.
    let march = at("2034-03-03");
    assert!(march
        .unweighed
        .iter()
        .any(|u| u.report == "cert-first" && u.assertion.starts_with("observed") && u.reason.contains("no rule")));
    assert!(at("2034-03-20").unweighed.iter().any(|u| u.report == "paste-claim" && u.reason.contains("F6")));

    // The state named: both units alike, rolled up to the service and the state.
    let named = question(&at("2034-03-20"), "who-pipeline");
    assert!((p(&named, "unit-7") - p(&named, "unit-9")).abs() < 1e-12);
    let state =
        named.hypotheses.iter().flat_map(|h| &h.contributions).find(|c| c.rule == "claims.official_attribution").expect("statement");
    assert_eq!(state.target, "karst");
    assert_eq!(state.bears_on, vec!["unit-7", "unit-9"]);
    let karst = named.rollups.iter().find(|r| r.id == "karst").expect("rollup");
    assert!((karst.probability - p(&named, "unit-7") - p(&named, "unit-9")).abs() < 1e-12);
    // The authentic loader strengthens the code reuse resting on it.
    assert!(named.hypotheses[0]
        .contributions
        .iter()
        .any(|c| c.rule == "deception.authentic" && c.explanation.contains("malware.code_reuse")));

    // The false flag and the front.
    let april = at("2034-04-05");
    let pipeline = question(&april, "who-pipeline");
    assert_eq!(pipeline.hypotheses[0].id, "unit-7");
    assert!(pipeline.undercut.iter().any(|u| u.rule == "team.criminal_kit" && u.undercut_rule == "deception.imitation"));
    assert!(pipeline.undercut.iter().any(|u| u.rule == "claims.persona" && u.undercut_rule == "deception.front"));
    let unit7 = &pipeline.hypotheses[0];
    assert!(unit7.contributions.iter().any(|c| c.rule == "deception.imitator_named" && c.log10_lr > 0.0));
    assert!(unit7.contributions.iter().all(|c| c.rule != "deception.imitator_unknown"));
    assert!(p(&pipeline, "osprey") < p(&question(&at("2034-03-20"), "who-pipeline"), "osprey"));
    // The defacement attributed to the front now weighs for its operator.
    let grid = question(&april, "who-grid");
    let before = question(&at("2034-03-20"), "who-grid");
    assert!(p(&grid, "unit-7") > p(&before, "unit-7") + 0.1);
    assert!(grid.hypotheses.iter().flat_map(|h| &h.contributions).any(|c| c.rule == "deception.front_incidents"));
}
