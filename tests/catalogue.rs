//! docs/rules.md is generated from the rules; it must not drift.

use assert_cmd::Command;

fn ascribe(args: &[&str]) -> String {
    let out = Command::cargo_bin("ascribe").expect("binary").args(args).output().expect("runs");
    assert!(out.status.success(), "ascribe {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn docs_rules_md_is_up_to_date() {
    let generated = ascribe(&["rules", "--format", "markdown"]);
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md")).unwrap_or_default();
    assert!(
        generated == committed,
        "docs/rules.md is out of date: regenerate it with\n  cargo run -- rules --format markdown > docs/rules.md"
    );
}

#[test]
fn json_catalogue_lists_every_rule_with_its_weights() {
    let json: serde_json::Value = serde_json::from_str(&ascribe(&["rules", "--format", "json"])).expect("valid JSON");
    let rules = json.as_array().expect("an array");
    let listed = ascribe(&["rules"]);
    let count: usize = listed.lines().last().and_then(|l| l.split_whitespace().next()).and_then(|n| n.parse().ok()).expect("count line");
    assert_eq!(rules.len(), count);
    for rule in rules {
        for key in ["id", "title", "file", "weights", "ratios"] {
            assert!(rule.get(key).is_some(), "{key} missing in {rule}");
        }
        assert!(rule["file"].as_str().unwrap_or("").starts_with("rules/"));
        assert!(!rule["weights"].as_array().expect("weights").is_empty());
    }
    let geoip = rules.iter().find(|r| r["id"] == "infra.geoip").expect("infra.geoip");
    assert_eq!(geoip["ratios"][0], 3.0);
}
