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
        assert!(q.undercut.iter().any(|u| u.rule == "malware.code_reuse" && u.undercut_rule == "deception.forged_code"));
        let lynx = q.hypotheses.iter().find(|h| h.id == "copper-lynx").expect("copper-lynx");
        assert!(lynx
            .contributions
            .iter()
            .any(|c| c.rule.starts_with("deception.") && c.log10_lr < 0.0 && c.explanation.contains("forged")));
    }
    assert_eq!(assess("glass-harbor", "2031-09-24").questions[0].hypotheses[0].id, "grey-heron");
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
