//! Error snapshots: every malformed input in tests/errors/ is run through the
//! real command line, and the snapshot holds the command, the exit code, the
//! input and the rendered diagnostics, so each one reads on its own.
//!
//! - `rules-*.ascr`: `ascribe check --rules FILE` (with the standard library).
//! - `rules-*/` folders: `ascribe check --rules DIR` (several files together).
//! - `evidence-*.yaml`, `evidence-*.json`: `ascribe check FILE`.
//! - `misuse-*/`: a command line used the wrong way, each with its own test.
//!
//! Commands run in the repository root with relative paths, so the file names
//! in the output are stable.

use assert_cmd::Command;
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The path of `file` relative to the repository root, with `/` separators.
fn relative(file: &Path) -> String {
    let rel = file.strip_prefix(ROOT).unwrap_or(file);
    rel.to_string_lossy().replace('\\', "/")
}

/// Runs `ascribe ARGS` in the repository root; returns the snapshot text.
fn run(args: &[&str], inputs: &[&str]) -> String {
    let output = Command::cargo_bin("ascribe").unwrap().current_dir(ROOT).args(args).output().unwrap();
    let code = output.status.code().expect("ascribe was killed by a signal");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(code, 1, "invalid input must exit with 1\nstderr:\n{stderr}");
    assert!(stdout.is_empty(), "nothing goes to stdout on invalid input, found:\n{stdout}");
    assert!(!stderr.contains('\u{1b}'), "diagnostics must not be coloured");
    assert!(stderr.contains("help:"), "every diagnostic gives a likely fix:\n{stderr}");

    let mut snap = format!("$ ascribe {}\nexit code: {code}\n", args.join(" "));
    for input in inputs {
        let text = std::fs::read_to_string(Path::new(ROOT).join(input)).unwrap();
        snap.push_str(&format!("\n---- {input} ----\n{text}"));
    }
    snap.push_str(&format!("\n---- stderr ----\n{stderr}"));
    snap
}

/// Every diagnostic heading or snippet names the input file.
fn assert_names_file(snap: &str, file: &str) {
    let stderr = snap.split("---- stderr ----").nth(1).unwrap_or("");
    assert!(stderr.contains(file), "the diagnostics must name {file}:\n{stderr}");
}

#[test]
fn rule_errors() {
    insta::glob!("errors/rules-*.ascr", |path| {
        let file = relative(path);
        let snap = run(&["check", "--rules", &file], &[file.as_str()]);
        assert_names_file(&snap, &file);
        insta::assert_snapshot!(snap);
    });
}

#[test]
fn duplicate_rule_ids_across_files() {
    let dir = "tests/errors/rules-duplicate-id";
    let files = [format!("{dir}/first.ascr"), format!("{dir}/second.ascr")];
    let snap = run(&["check", "--rules", dir], &[&files[0], &files[1]]);
    // The diagnostic points at the second file and names the first.
    assert_names_file(&snap, &files[0]);
    assert_names_file(&snap, &files[1]);
    insta::assert_snapshot!(snap);
}

#[test]
fn evidence_errors() {
    insta::glob!("errors/evidence-*.{yaml,json}", |path| {
        let file = relative(path);
        let snap = run(&["check", &file], &[file.as_str()]);
        assert_names_file(&snap, &file);
        insta::assert_snapshot!(snap);
    });
}

/// A rule file named where evidence goes (without `--rules`) is recognised,
/// by its extension or its text, and the fix named; it is not read as YAML.
#[test]
fn rule_file_passed_as_evidence() {
    let dir = "tests/errors/misuse-rules-as-evidence";
    let (ascr, txt) = (format!("{dir}/rules.ascr"), format!("{dir}/tradecraft.txt"));
    let snap = run(&["eval", &ascr, &txt], &[&ascr]);
    assert_names_file(&snap, &ascr);
    assert_names_file(&snap, &txt);
    assert!(!snap.contains("syntax error") && !snap.contains("mapping"), "not read as YAML:\n{snap}");
    insta::assert_snapshot!(snap);
}

/// The same invalid input gives byte-identical diagnostics.
#[test]
fn diagnostics_are_deterministic() {
    let args = ["check", "tests/errors/evidence-dangling-reference.yaml"];
    let once = run(&args, &[]);
    let twice = run(&args, &[]);
    assert_eq!(once, twice);
}

/// Runs `ascribe ARGS` in the repository root: exit code, stdout, stderr.
fn output(args: &[&str]) -> (i32, String, String) {
    let output = Command::cargo_bin("ascribe").unwrap().current_dir(ROOT).args(args).output().unwrap();
    let code = output.status.code().expect("ascribe was killed by a signal");
    (code, String::from_utf8(output.stdout).unwrap(), String::from_utf8(output.stderr).unwrap())
}

/// A computed likelihood ratio that is invalid only at evaluation (custom
/// rule, values in range): `check` refuses it with the diagnostic `eval` gives,
/// and `eval` still weighs every other question, exiting 1.
#[test]
fn evaluation_errors() {
    let dir = "tests/errors/eval-computed-ratio";
    let (rules, evidence) = (format!("{dir}/rules.ascr"), format!("{dir}/evidence.yaml"));
    let snap = run(&["check", "--rules", &rules, &evidence], &[&rules, &evidence]);
    assert_names_file(&snap, &rules);
    insta::assert_snapshot!(snap);
    let (code, stdout, stderr) = output(&["eval", "--rules", &rules, &evidence]);
    assert_eq!(code, 1, "invalid input exits with 1");
    assert!(stdout.contains("who-quick") && !stdout.contains("who-slow"), "only the question concerned fails:\n{stdout}");
    let (_, _, checked) = output(&["check", "--rules", &rules, &evidence]);
    assert_eq!(stderr, checked, "eval and check give the same diagnostics");
}

/// Everything `eval` refuses, `check` refuses first with the same diagnostics:
/// every error fixture fails alike under both.
#[test]
fn check_and_eval_fail_alike() {
    let mut cases: Vec<(Vec<String>, Vec<String>)> = vec![];
    let mut fixtures: Vec<_> = std::fs::read_dir(Path::new(ROOT).join("tests/errors")).unwrap().map(|e| e.unwrap().path()).collect();
    fixtures.sort();
    for path in fixtures {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let file = relative(&path);
        if name.starts_with("evidence-") {
            cases.push((vec!["check".into(), file.clone()], vec!["eval".into(), file]));
        } else if name.starts_with("rules-") {
            // eval needs evidence; the rules fail before it is read.
            let evidence = "docs/examples/evidence/minimal.yaml".to_string();
            cases.push((vec!["check".into(), "--rules".into(), file.clone()], vec!["eval".into(), "--rules".into(), file, evidence]));
        } else if name.starts_with("eval-") {
            let (rules, evidence) = (format!("{file}/rules.ascr"), format!("{file}/evidence.yaml"));
            cases.push((
                vec!["check".into(), "--rules".into(), rules.clone(), evidence.clone()],
                vec!["eval".into(), "--rules".into(), rules, evidence],
            ));
        }
    }
    assert!(cases.len() > 40, "{} fixtures", cases.len());
    for (check, eval) in cases {
        let check: Vec<&str> = check.iter().map(String::as_str).collect();
        let eval: Vec<&str> = eval.iter().map(String::as_str).collect();
        let (code_check, _, err_check) = output(&check);
        let (code_eval, _, err_eval) = output(&eval);
        assert_eq!((code_check, code_eval), (1, 1), "{check:?} and {eval:?} must both exit 1:\n{err_check}\n{err_eval}");
        assert_eq!(err_check, err_eval, "{check:?} and {eval:?} must give the same diagnostics");
    }
}

/// Text that is not UTF-8 (evidence, a STIX bundle, a rule file, standard
/// input) is refused with the line and column of the first bad byte, for every
/// command that reads it, and a help that is about the encoding, not the path.
#[test]
fn invalid_utf8_is_located() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("invalid-utf8");
    std::fs::create_dir_all(&dir).unwrap();
    let bad = b"case: x\nsources: \xc3(\n".to_vec();
    for name in ["evidence.yaml", "bundle.json", "rules.ascr"] {
        std::fs::write(dir.join(name), &bad).unwrap();
    }
    let file = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let runs: Vec<(Vec<String>, Option<&[u8]>)> = vec![
        (vec!["check".into(), file("evidence.yaml")], None),
        (vec!["eval".into(), file("bundle.json")], None),
        (vec!["import".into(), "stix".into(), file("bundle.json")], None),
        (vec!["fmt".into(), file("rules.ascr")], None),
        (vec!["check".into(), "--rules".into(), file("rules.ascr")], None),
        (vec!["fmt".into(), "-".into()], Some(&bad)),
        (vec!["check".into(), "-".into()], Some(&bad)),
    ];
    for (args, stdin) in runs {
        let mut cmd = Command::cargo_bin("ascribe").unwrap();
        cmd.current_dir(ROOT).args(&args);
        if let Some(input) = stdin {
            cmd.write_stdin(input);
        }
        let out = cmd.output().unwrap();
        // Long headings wrap: join their lines.
        let stderr = String::from_utf8(out.stderr).unwrap().replace("\n  | ", " ");
        assert_eq!(out.status.code(), Some(1), "{args:?}:\n{stderr}");
        assert!(stderr.contains("not UTF-8 text: byte 0xc3 at line 2, column 10"), "{args:?} must locate the bad byte:\n{stderr}");
        assert!(stderr.contains("save the file as UTF-8"), "{args:?}:\n{stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}:\n{stderr}");
    }
}

/// `ascribe fmt` refuses a file that does not parse with the parser's own
/// diagnostics: an unterminated string or a block comment is named where it
/// opens, with how to close or rewrite it.
#[test]
fn fmt_names_an_unterminated_string_or_block_comment() {
    for file in ["tests/errors/rules-unterminated-string.ascr", "tests/errors/rules-block-comment.ascr"] {
        let snap = run(&["fmt", "--check", file], &[file]);
        assert_names_file(&snap, file);
        insta::with_settings!({ snapshot_suffix => file.rsplit('/').next().unwrap_or(file) }, {
            insta::assert_snapshot!(snap);
        });
    }
}

/// A STIX bundle nested 100,000 deep is refused at the bracket past the limit
/// (not as a missing field), and a number too large for a float is named as
/// out of range, where it is written.
#[test]
fn stix_depth_and_number_range_are_located() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("stix-limits");
    std::fs::create_dir_all(&dir).unwrap();
    let n = 100_000;
    let deep = format!(
        "{{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":[{{\"type\":\"indicator\",\"x\":{}1{}}}]}}",
        "{\"a\":".repeat(n),
        "}".repeat(n)
    );
    let number = "{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":[\n  {\"type\":\"indicator\",\"id\":\"indicator--1\",\"confidence\":1e999999}\n]}\n";
    for (name, text, want) in [
        (
            "deep.json",
            deep.as_str(),
            vec!["not a valid STIX bundle: collections nested more than 64 deep", "deep.json:1:", "brackets never closed"],
        ),
        (
            "number.json",
            number,
            vec!["objects[0].confidence: not a valid STIX bundle: number out of range", "number.json:2:", "this number is not finite"],
        ),
    ] {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        let out = Command::cargo_bin("ascribe").unwrap().current_dir(ROOT).args(["import", "stix"]).arg(&file).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}");
        let stderr = String::from_utf8(out.stderr).unwrap().replace("\n  | ", " ").replace("\n        ", " ");
        for w in want {
            assert!(stderr.contains(w), "{name}: `{w}` not in\n{stderr}");
        }
        assert!(!stderr.contains("missing field") && !stderr.contains("not valid JSON here"), "{name}:\n{stderr}");
    }
}
