//! Every posterior of the bundled examples (at every date), the documented
//! evidence files and the per-rule cases, recomputed by the brute-force oracle
//! in tests/common/oracle.rs and compared with the engine to 1e-9.

mod common;

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.map(|e| e.expect("directory entry").path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "yaml") {
            out.push(path);
        }
    }
}

#[test]
fn the_oracle_agrees_on_every_example_at_every_date() {
    let mut compared = 0;
    for entry in std::fs::read_dir(root().join("examples")).expect("examples/") {
        let dir = entry.expect("entry").path();
        let evidence = dir.join("evidence.yaml");
        if !evidence.exists() {
            continue;
        }
        let text = std::fs::read_to_string(&evidence).expect("readable");
        let dates = std::fs::read_to_string(dir.join("as-of.txt")).unwrap_or_default();
        let runs: Vec<Option<&str>> =
            std::iter::once(None).chain(dates.lines().map(str::trim).filter(|l| !l.is_empty()).map(Some)).collect();
        for as_of in runs {
            let label = format!("{} as of {}", evidence.display(), as_of.unwrap_or("all"));
            let relative = evidence.strip_prefix(root()).unwrap_or(&evidence).to_string_lossy().replace('\\', "/");
            let (set, evaluation) = common::evaluate_text(&relative, &text, as_of).unwrap_or_else(|| panic!("{label} evaluates"));
            compared += common::oracle::agree(&label, &set, &evaluation);
        }
    }
    assert!(compared > 50, "only {compared} probabilities compared");
}

#[test]
fn the_oracle_agrees_on_every_rule_case_and_documented_evidence() {
    let mut files = vec![];
    yaml_files(&root().join("tests/rules"), &mut files);
    yaml_files(&root().join("docs/examples"), &mut files);
    let mut compared = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable");
        let mut doc: serde_yaml::Mapping = match serde_yaml::from_str(&text) {
            Ok(d) => d,
            Err(_) => continue,
        };
        let as_of = doc.get("test").and_then(|t| t.get("as_of")).and_then(|d| d.as_str()).map(str::to_string);
        doc.remove("test");
        let text = serde_yaml::to_string(&doc).expect("serialisable");
        // Documented fragments that need a second file do not load alone.
        let Some((set, evaluation)) = common::evaluate_text(&path.display().to_string(), &text, as_of.as_deref()) else { continue };
        compared += common::oracle::agree(&path.display().to_string(), &set, &evaluation);
    }
    assert!(compared > 100, "only {compared} probabilities compared");
}
