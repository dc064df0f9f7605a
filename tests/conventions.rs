//! Command-line conventions: `ascribe fmt` on files, folders and standard
//! input, shell completions, and `--color`.

use assert_cmd::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const MESSY: &str = "docs/examples/format/messy.ascr";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn ascribe(args: &[&str], stdin: &str) -> Run {
    let output = Command::cargo_bin("ascribe").unwrap().current_dir(ROOT).args(args).write_stdin(stdin).output().unwrap();
    Run {
        code: output.status.code().expect("ascribe was killed by a signal"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// A fresh folder under target/ for files `fmt` may rewrite.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("nested")).unwrap();
    dir
}

#[test]
fn fmt_reads_standard_input_and_writes_standard_output() {
    let messy = std::fs::read_to_string(std::path::Path::new(ROOT).join(MESSY)).unwrap();
    let run = ascribe(&["fmt", "-"], &messy);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("// A rule as it might be typed in a hurry.\nrule team.shared_kit {\n  title "), "{}", run.stdout);
    let again = ascribe(&["fmt", "--check", "-"], &run.stdout);
    assert_eq!((again.code, again.stdout.as_str()), (0, ""), "formatted output is formatted");
}

#[test]
fn fmt_rewrites_files_in_folders_and_check_lists_them() {
    let dir = scratch("fmt-folder");
    let messy = std::fs::read_to_string(std::path::Path::new(ROOT).join(MESSY)).unwrap();
    std::fs::write(dir.join("nested/a.ascr"), &messy).unwrap();
    std::fs::write(dir.join("b.ascr"), &messy).unwrap();
    std::fs::write(dir.join("notes.txt"), "not a rule file {").unwrap();
    let path = dir.to_string_lossy().to_string();

    let check = ascribe(&["fmt", "--check", &path], "");
    assert_eq!(check.code, 1);
    assert!(check.stdout.contains("b.ascr is not formatted") && check.stdout.contains("a.ascr is not formatted"), "{}", check.stdout);
    assert!(check.stdout.contains("+  tags forgeable\n") && check.stdout.ends_with("2 files to format: run `ascribe fmt` on them\n"));
    assert_eq!(std::fs::read_to_string(dir.join("b.ascr")).unwrap(), messy, "--check changes nothing");

    let fmt = ascribe(&["fmt", &path], "");
    assert_eq!((fmt.code, fmt.stdout.as_str(), fmt.stderr.as_str()), (0, "", ""));
    assert_eq!(ascribe(&["fmt", "--check", &path], "").code, 0);
    assert_eq!(std::fs::read_to_string(dir.join("notes.txt")).unwrap(), "not a rule file {", "only .ascr files are touched");
}

#[test]
fn fmt_refuses_a_file_that_does_not_parse() {
    let run = ascribe(&["fmt", "--check", "tests/errors/rules-missing-comma.ascr"], "");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("missing `,` before the field `actor`"), "{}", run.stderr);
    let missing = ascribe(&["fmt", "no/such/file.ascr"], "");
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.contains("no/such/file.ascr"));
}

#[test]
fn completions_for_every_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef ascribe"),
        ("fish", "complete -c ascribe"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[ascribe]"),
    ] {
        let run = ascribe(&["completions", shell], "");
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains(marker), "{shell} script lacks {marker:?}");
        for word in ["eval", "fmt", "error-format"] {
            assert!(run.stdout.contains(word), "{shell} script does not complete {word}");
        }
    }
    assert_eq!(ascribe(&["completions", "tcsh"], "").code, 2, "an unknown shell is a usage error");
}

#[test]
fn colour_and_box_drawing_only_when_asked_or_on_a_terminal() {
    let bad = "tests/errors/rules-missing-comma.ascr";
    // Tests run without a terminal: plain ASCII, no colour.
    let piped = ascribe(&["check", "--rules", bad], "");
    assert!(!piped.stderr.contains('\u{1b}') && piped.stderr.is_ascii(), "{}", piped.stderr);
    assert!(piped.stderr.contains(",-[tests/errors/rules-missing-comma.ascr:4:29]"), "{}", piped.stderr);
    let always = ascribe(&["--color", "always", "check", "--rules", bad], "");
    assert!(always.stderr.contains("\u{1b}[") && always.stderr.contains('╭'), "{}", always.stderr);
    let report = ascribe(&["eval", "--color=always", "--as-of", "2013-03-21", "examples/korea-2013/evidence.yaml"], "");
    assert!(report.stdout.starts_with("\u{1b}[1mwho-march: "), "{}", report.stdout);
    assert!(report.stdout.contains("\n  north-korea "), "rows stay plain");
    let never = ascribe(&["eval", "--color", "never", "examples/korea-2013/evidence.yaml"], "");
    assert!(!never.stdout.contains('\u{1b}'));
    let tests = ascribe(&["--color", "always", "test", "examples/tidewater"], "");
    assert!(tests.stdout.contains("... \u{1b}[32mok\u{1b}[0m\n"), "{}", tests.stdout);
    let diff = ascribe(&["--color", "always", "fmt", "--check", MESSY], "");
    assert!(diff.stdout.contains("\u{1b}[32m+  tags forgeable\u{1b}[0m\n"), "{}", diff.stdout);
    assert!(!ascribe(&["test", "examples/tidewater"], "").stdout.contains('\u{1b}'));
}

/// `ascribe test` on the examples (as CI runs it): every expectation holds,
/// and the coverage in JSON splits the loaded rules into fired and never fired.
#[test]
fn test_reports_coverage_of_the_examples() {
    let run = ascribe(&["test", "--format", "json", "examples"], "");
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let summary: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let ids = |key: &str| -> Vec<String> { summary[key].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect() };
    let (fired, never) = (ids("fired"), ids("never_fired"));
    assert!(fired.contains(&"claims.vendor_attribution".to_string()), "{fired:?}");
    assert!(fired.iter().all(|r| !never.contains(r)));
    assert_eq!(fired.len() + never.len(), summary["rules"].as_u64().unwrap() as usize);
    assert_eq!(summary["failed"], 0);
    assert!(summary["passed"].as_u64().unwrap() >= 4);
}
