//! The held-out ATT&CK benchmark script (tools/attack_benchmark.py) on a small
//! fictional bundle in ATT&CK's shape (tests/attack/enterprise-mini.json): it
//! builds the evidence, runs ascribe and prints its table, with and without
//! leakage removal. Needs `python3` (standard library only), as on every
//! machine this project builds on.

use std::path::Path;
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

#[test]
fn the_benchmark_script_runs_on_a_fictional_bundle() {
    let binary = env!("CARGO_BIN_EXE_ascribe");
    let output = Command::new("python3")
        .current_dir(ROOT)
        .args(["tools/attack_benchmark.py", "tests/attack/enterprise-mini.json", "--ascribe", binary])
        .output()
        .expect("python3 is needed to run the benchmark script");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "the script failed:\n{stdout}\n{stderr}");
    // Four live groups (the revoked one is left out), three campaigns, two attributed.
    assert!(stdout.contains("bundle: 4 live groups, 3 campaigns, 2 attributed to a live group"), "{stdout}");
    // Without leakage, each campaign's own relationships are in its group's profile, and
    // ascribe ranks the true group first in both; with leakage removal, only the
    // independently sourced part of each profile is left.
    let leaky = stdout.split("without leakage removal").nth(1).expect("a table without leakage removal");
    assert!(leaky.contains("| ascribe | 2.00 / 2 | 2.00 / 2 |"), "{stdout}");
    let held_out = stdout.split("without leakage removal").next().unwrap_or_default();
    assert!(held_out.contains("with leakage removal (2 campaigns;"), "{stdout}");
    for method in ["ascribe", "shared software", "containment", "IDF-weighted overlap", "random"] {
        assert!(held_out.contains(&format!("| {method} |")), "{method} missing:\n{stdout}");
    }
    assert!(held_out.contains("| random | 0.50 / 2 | 1.50 / 2 | -1.39 |"), "{stdout}");
    assert!(Path::new(ROOT).join("tests/attack/enterprise-mini.json").exists());
}
