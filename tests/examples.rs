//! Every bundled example evaluated at each date in its `as-of.txt`, snapshotted,
//! so a change of any weight shows up in review.

mod common;

use std::path::Path;

#[test]
fn every_example_at_every_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut dirs: Vec<_> =
        std::fs::read_dir(&root).expect("examples/").filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    assert!(dirs.len() >= 3, "korea-2013 and two fictional scenarios are expected");
    for dir in dirs {
        let name = dir.file_name().and_then(|n| n.to_str()).expect("name").to_string();
        assert!(dir.join("evidence.yaml").exists(), "{name} has no evidence.yaml");
        assert!(dir.join("README.md").exists(), "{name} has no README.md");
        let dates = std::fs::read_to_string(dir.join("as-of.txt")).unwrap_or_default();
        let mut runs: Vec<Option<&str>> = dates.lines().map(str::trim).filter(|l| !l.is_empty()).map(Some).collect();
        runs.push(None);
        for as_of in runs {
            let label = as_of.unwrap_or("all");
            let body = ascribe::report::text::render(&common::assess_file(&format!("examples/{name}/evidence.yaml"), as_of));
            let evidence = format!("examples/{name}/evidence.yaml");
            let rules = common::example_rules(&evidence).map(|r| format!(" --rules {r}")).unwrap_or_default();
            let command = match as_of {
                Some(d) => format!("ascribe eval{rules} --as-of {d} {evidence}"),
                None => format!("ascribe eval{rules} {evidence}"),
            };
            insta::with_settings!({ snapshot_path => "snapshots/examples", prepend_module_to_snapshot => false, description => command }, {
                insta::assert_snapshot!(format!("{name}@{label}"), body);
            });
        }
    }
}
