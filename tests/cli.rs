//! The command line: exit codes, every output format, rule listing, and the
//! documented JSON shape. Commands run the built binary in the repository root
//! with relative paths, so the snapshots are stable.
//!
//! Exit codes: 0 success, 1 invalid input (rules or evidence), 2 usage error.

mod common;

use assert_cmd::Command;
use common::run::ascribe;
use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const KOREA: &str = "examples/korea-2013/evidence.yaml";
const KOREA_DIR: &str = "examples/korea-2013";
/// A small fixed rule set, so some snapshots do not move with the library.
const FIXTURE_RULES: &str = "tests/cli/rules";

/// The command, its exit code and both streams, for a snapshot.
fn transcript(args: &[&str]) -> String {
    let run = ascribe(args);
    let mut out = format!("$ ascribe {}\nexit code: {}\n", args.join(" "), run.code);
    if !run.stdout.is_empty() {
        out.push_str(&format!("---- stdout ----\n{}", run.stdout));
    }
    if !run.stderr.is_empty() {
        out.push_str(&format!("---- stderr ----\n{}", run.stderr));
    }
    out
}

fn exit_code(args: &[&str]) -> i32 {
    ascribe(args).code
}

// ---- exit codes ---------------------------------------------------------------

#[test]
fn success_exits_0() {
    assert_eq!(exit_code(&["eval", KOREA]), 0);
    assert_eq!(exit_code(&["check", KOREA]), 0);
    assert_eq!(exit_code(&["check"]), 0);
    assert_eq!(exit_code(&["rules"]), 0);
    assert_eq!(exit_code(&["--version"]), 0);
    assert_eq!(exit_code(&["eval", "--help"]), 0);
}

#[test]
fn invalid_input_exits_1() {
    assert_eq!(exit_code(&["check", "tests/errors/evidence-dangling-reference.yaml"]), 1);
    assert_eq!(exit_code(&["eval", "tests/errors/evidence-yaml-syntax.yaml"]), 1);
    assert_eq!(exit_code(&["check", "--rules", "tests/errors/rules-missing-then.ascr"]), 1);
    assert_eq!(exit_code(&["eval", "--rules", "tests/errors/rules-lr-zero.ascr", KOREA]), 1);
    assert_eq!(exit_code(&["eval", "no/such/evidence.yaml"]), 1);
    assert_eq!(exit_code(&["check", "--rules", "no/such/rules.ascr"]), 1);
    assert_eq!(exit_code(&["rules", "no.such"]), 1);
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["eval", "--bogus", KOREA][..],
        &["eval", "--as-of", "2013-13-01", KOREA],
        &["eval", "--as-of", "yesterday", KOREA],
        &["eval", "--format", "xml", KOREA],
        &["eval"],
        &["frobnicate"],
        &[],
    ] {
        let run = ascribe(args);
        assert_eq!(run.code, 2, "ascribe {args:?} must exit 2\nstderr:\n{}", run.stderr);
        assert!(run.stdout.is_empty(), "usage errors go to stderr: {args:?}");
    }
}

#[test]
fn usage_error_messages() {
    let text = [
        transcript(&["eval", "--bogus", KOREA]),
        transcript(&["eval", "--as-of", "2013-13-01", KOREA]),
        transcript(&["eval", "--format", "xml", KOREA]),
        transcript(&["eval"]),
    ]
    .join("\n");
    insta::assert_snapshot!(text);
}

#[test]
fn missing_file_names_it() {
    insta::assert_snapshot!(transcript(&["eval", "no/such/evidence.yaml"]));
}

// ---- eval -----------------------------------------------------------------------

#[test]
fn eval_text() {
    insta::assert_snapshot!(transcript(&["eval", KOREA]));
}

#[test]
fn eval_text_as_of() {
    insta::assert_snapshot!(transcript(&["eval", "--as-of", "2013-04-10", KOREA]));
}

#[test]
fn eval_json() {
    let run = ascribe(&["eval", "--format", "json", KOREA]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    check_json_shape(&run.stdout);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn eval_json_as_of() {
    let run = ascribe(&["eval", "--format", "json", "--as-of", "2013-03-21", KOREA]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    check_json_shape(&run.stdout);
}

#[test]
fn eval_dot() {
    let run = ascribe(&["eval", "--format", "dot", KOREA]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("digraph"), "DOT output starts with `digraph`");
    assert!(run.stdout.trim_end().ends_with('}'));
    insta::assert_snapshot!(run.stdout);
}

// ---- eval, batch ------------------------------------------------------------------

const BATCH: &str = "tests/cli/batch";

/// A folder is a batch: each evidence file in it and its subfolders (sorted,
/// test files and other files left out) is its own case; one invalid case
/// makes the exit code 1 and the others are still reported.
#[test]
fn eval_batch_text() {
    insta::assert_snapshot!(transcript(&["eval", BATCH]));
}

/// `--top` and `--compact` apply to each case of a batch as to one set.
#[test]
fn eval_batch_trims_each_case() {
    let run = ascribe(&["eval", "--format", "jsonl", "--top", "1", "--compact", BATCH]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<Value> = run.stdout.lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect();
    for l in [&lines[0], &lines[2]] {
        let question = &l["assessment"]["questions"][0];
        assert_eq!(question["hypotheses"].as_array().map(Vec::len), Some(1), "{question}");
        assert_eq!(question["omitted"]["hypotheses"], 2, "{question}");
    }
}

#[test]
fn eval_batch_jsonl() {
    let run = ascribe(&["eval", "--format", "jsonl", BATCH]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<Value> = run.stdout.lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect();
    let files: Vec<&str> = lines.iter().map(|l| l["files"][0].as_str().unwrap()).collect();
    assert_eq!(files, ["tests/cli/batch/a-claim.yaml", "tests/cli/batch/b-dangling.yaml", "tests/cli/batch/more/c-denial.json"]);
    assert!(lines[1]["assessment"].is_null() && lines[1]["diagnostics"][0]["line"] == 11);
    for l in [&lines[0], &lines[2]] {
        check_json_shape(&l["assessment"].to_string());
        assert_eq!(l["diagnostics"], serde_json::json!([]));
    }
    // The assessment is the one `--format json` gives for the file alone.
    let alone: Value = serde_json::from_str(&ascribe(&["eval", "--format", "json", "tests/cli/batch/a-claim.yaml"]).stdout).unwrap();
    assert_eq!(lines[0]["assessment"], alone);
    insta::assert_snapshot!(transcript(&["eval", "--format", "jsonl", "--error-format", "json", BATCH]));
}

/// Threads change nothing in a batch's output, nor its order.
#[test]
fn eval_batch_is_the_same_on_one_thread() {
    for format in ["text", "json", "jsonl"] {
        let many = ascribe(&["eval", "--format", format, BATCH, KOREA_DIR]);
        let one = ascribe(&["eval", "--jobs", "1", "--format", format, BATCH, KOREA_DIR]);
        assert_eq!((many.code, &many.stdout, &many.stderr), (one.code, &one.stdout, &one.stderr), "{format}");
    }
}

/// `--each` makes each named file its own case; without it, files are one set.
#[test]
fn eval_each_and_together() {
    let valid = ["tests/cli/batch/a-claim.yaml", "tests/cli/batch/more/c-denial.json"];
    let each = ascribe(&["eval", "--each", "--format", "jsonl", valid[0], valid[1]]);
    assert_eq!(each.code, 0, "{}", each.stderr);
    assert_eq!(each.stdout.lines().count(), 2);
    let together = ascribe(&["eval", "--format", "jsonl", valid[0], valid[1]]);
    assert_eq!(together.code, 0, "{}", together.stderr);
    let line: Value = serde_json::from_str(together.stdout.trim_end()).unwrap();
    assert_eq!(line["files"], serde_json::json!(valid));
    assert_eq!(line["assessment"]["questions"].as_array().map(Vec::len), Some(2));
    let json = ascribe(&["eval", "--each", "--format", "json", valid[0], valid[1]]);
    let array: Value = serde_json::from_str(&json.stdout).expect("a batch in JSON is one array");
    assert_eq!(array.as_array().map(Vec::len), Some(2));
}

#[test]
fn eval_batch_refusals() {
    let text = [
        transcript(&["eval", "--format", "dot", BATCH]),
        transcript(&["eval", "--jobs", "0", BATCH]),
        transcript(&["eval", "tests/cli/rules"]),
    ]
    .join("\n");
    insta::assert_snapshot!(text);
}

#[test]
fn eval_with_own_rules_only() {
    insta::assert_snapshot!(transcript(&["eval", "--no-default-rules", "--rules", FIXTURE_RULES, KOREA]));
}

#[test]
fn eval_without_any_rules_keeps_the_priors() {
    let run = ascribe(&["eval", "--no-default-rules", "--format", "json", KOREA]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = check_json_shape(&run.stdout);
    for q in json["questions"].as_array().unwrap() {
        let hypotheses = q["hypotheses"].as_array().unwrap();
        for h in hypotheses {
            assert!(h["contributions"].as_array().unwrap().is_empty());
            let p = h["probability"].as_f64().unwrap();
            assert!((p - 1.0 / hypotheses.len() as f64).abs() < 1e-12, "equal priors without rules");
        }
    }
}

#[test]
fn rules_file_and_folder_add_to_the_library() {
    let library = ascribe(&["rules"]);
    let with_file = ascribe(&["rules", "--rules", "tests/cli/rules/geolocation.ascr"]);
    let with_dir = ascribe(&["rules", "--rules", FIXTURE_RULES]);
    let count = |s: &str| s.lines().last().unwrap().trim_end_matches(" rules").parse::<usize>().unwrap();
    assert_eq!(count(&with_file.stdout), count(&library.stdout) + 1);
    assert_eq!(count(&with_dir.stdout), count(&library.stdout) + 3);
    assert!(with_dir.stdout.contains("cli.attribution") && with_dir.stdout.contains("cli.geoip"));
}

#[test]
fn output_is_byte_identical_across_runs() {
    for args in [
        &["eval", KOREA][..],
        &["eval", "--format", "json", KOREA],
        &["eval", "--format", "dot", KOREA],
        &["eval", "--as-of", "2013-04-10", "--format", "json", KOREA],
        &["rules"],
        &["check", "tests/errors/evidence-unknown-field.yaml"],
    ] {
        let once = ascribe(args);
        let twice = ascribe(args);
        assert_eq!(once.stdout, twice.stdout, "stdout of {args:?} differs between runs");
        assert_eq!(once.stderr, twice.stderr, "stderr of {args:?} differs between runs");
    }
}

/// Checks the documented JSON shape:
/// {"questions":[{"id","confidence","hypotheses":[{"id","probability","estimative",
/// "contributions":[{"rule","log10_lr","explanation"}]}]}]}
/// with hypotheses sorted by probability, highest first, and each hypothesis'
/// prior_log10_odds plus its contributions equal to its log10_odds.
fn check_json_shape(text: &str) -> Value {
    let json: Value = serde_json::from_str(text).expect("eval --format json prints JSON");
    let questions = json["questions"].as_array().expect("`questions` is an array");
    for q in questions {
        assert!(q["id"].is_string(), "question id: {q}");
        let confidence = q["confidence"].as_str().expect("question confidence");
        assert!(["low", "moderate", "high"].contains(&confidence), "confidence {confidence}");
        let hypotheses = q["hypotheses"].as_array().expect("`hypotheses` is an array");
        assert!(hypotheses.iter().any(|h| h["id"] == "other"), "the catch-all `other` is always weighed");
        let mut total = 0.0;
        let mut previous = f64::INFINITY;
        for h in hypotheses {
            assert!(h["id"].is_string());
            assert!(h["estimative"].is_string());
            let p = h["probability"].as_f64().expect("probability is a number");
            assert!((0.0..=1.0).contains(&p));
            assert!(p <= previous, "hypotheses are sorted by probability, highest first");
            previous = p;
            total += p;
            let mut odds = h["prior_log10_odds"].as_f64().expect("prior_log10_odds");
            for c in h["contributions"].as_array().expect("`contributions` is an array") {
                assert!(c["rule"].is_string());
                assert!(c["explanation"].is_string());
                odds += c["log10_lr"].as_f64().expect("log10_lr is a number");
            }
            let stated = h["log10_odds"].as_f64().expect("log10_odds");
            assert!((odds - stated).abs() < 1e-9, "{}: prior + contributions = {odds}, log10_odds = {stated}", h["id"]);
        }
        assert!((total - 1.0).abs() < 1e-9, "probabilities add up to 1, found {total}");
    }
    json
}

// ---- check ------------------------------------------------------------------------

#[test]
fn check_clean() {
    let text = [
        transcript(&["check", KOREA]),
        transcript(&["check", "--no-default-rules", "--rules", FIXTURE_RULES, KOREA]),
        transcript(&["check", "--no-default-rules", "--rules", "tests/cli/rules/geolocation.ascr"]),
    ]
    .join("\n");
    insta::assert_snapshot!(text);
}

#[test]
fn check_warns_about_rules_that_cannot_fire() {
    let out = transcript(&["check", "--rules", "tests/cli/unreachable/own.ascr", KOREA]);
    assert!(out.contains("exit code: 0") || out.contains("exit 0"), "{out}");
    assert!(out.contains("did you mean `north-korea`?"));
    insta::assert_snapshot!(out);
}

#[test]
fn a_dash_reads_evidence_from_standard_input() {
    let text = std::fs::read_to_string(format!("{ROOT}/{KOREA}")).unwrap();
    let piped = Command::cargo_bin("ascribe")
        .unwrap()
        .current_dir(ROOT)
        .args(["eval", "--format", "json", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert_eq!(piped.status.code(), Some(0));
    let from_file = ascribe(&["eval", "--format", "json", KOREA]);
    assert_eq!(String::from_utf8(piped.stdout).unwrap(), from_file.stdout);
}

#[test]
fn error_format_json_gives_one_object_per_diagnostic() {
    let run = ascribe(&["check", "--error-format", "json", "tests/errors/evidence-source-kind.yaml"]);
    assert_eq!(run.code, 1);
    let lines: Vec<serde_json::Value> = run.stderr.lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    let d = &lines[0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "tests/errors/evidence-source-kind.yaml");
    assert_eq!(d["line"], 4);
    assert_eq!(d["column"], 16);
    assert_eq!(d["path"], "sources[0].kind");
    assert!(d["help"].as_str().is_some_and(|h| h.contains("x-")));
    // Warnings too, with their severity.
    let warned = ascribe(&["check", "--error-format", "json", "--rules", "tests/cli/unreachable/own.ascr", KOREA]);
    assert_eq!(warned.code, 0);
    assert!(warned.stderr.lines().all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok_and(|d| d["severity"] == "warning")));
}

// ---- test -------------------------------------------------------------------------

#[test]
fn test_runs_the_examples_expectations() {
    let out = transcript(&["test", "examples"]);
    assert!(out.contains("exit code: 0"), "{out}");
    assert!(out.contains("result: ok."));
    insta::assert_snapshot!(out);
}

#[test]
fn test_reports_failures_and_malformed_files() {
    let failing = transcript(&["test", "docs/examples/testing/outage.test.yaml"]);
    assert!(failing.contains("exit code: 1"), "{failing}");
    assert!(failing.contains("did you mean `claims.vendor_attribution`?"));
    let malformed = transcript(&["test", "tests/cli/testing/malformed.test.yaml"]);
    assert!(malformed.contains("exit code: 1"), "{malformed}");
    insta::assert_snapshot!(format!("{failing}\n{malformed}"));
}

// ---- rules ------------------------------------------------------------------------

#[test]
fn rules_list() {
    insta::assert_snapshot!(transcript(&["rules"]));
}

#[test]
fn rules_list_own_rules_only() {
    insta::assert_snapshot!(transcript(&["rules", "--no-default-rules", "--rules", FIXTURE_RULES]));
}

#[test]
fn rules_show_one() {
    insta::assert_snapshot!(transcript(&["rules", "infra.geoip"]));
}

#[test]
fn rules_show_one_of_a_file() {
    insta::assert_snapshot!(transcript(&["rules", "--rules", FIXTURE_RULES, "cli.geoip"]));
}

#[test]
fn rules_unknown_id() {
    let text = [transcript(&["rules", "no.such"]), transcript(&["rules", "infra.geoi"])].join("\n");
    insta::assert_snapshot!(text);
}

#[test]
fn problog_format_writes_one_program_per_open_question() {
    let out = assert_cmd::Command::cargo_bin("ascribe")
        .expect("binary")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["eval", "--format", "problog", "--as-of", "2013-07-16", "examples/korea-2013/evidence.yaml"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(text.matches("% ---- question ").count(), 2);
    assert_eq!(text.matches("query(h(_)).").count(), 2);
    assert!(text.contains("0.5625::genuine('joint-investigation-april')."));
}

#[test]
fn views_and_report_take_evals_inputs_and_exit_codes() {
    for command in ["matrix", "timeline", "sensitivity", "report"] {
        assert_eq!(exit_code(&[command, KOREA]), 0, "{command}");
        assert_eq!(exit_code(&[command, "--as-of", "2013-04-10", "--rules", FIXTURE_RULES, KOREA]), 0, "{command}");
        assert_eq!(exit_code(&[command, "no/such/evidence.yaml"]), 1, "{command}");
        assert_eq!(exit_code(&[command, "tests/errors/evidence-yaml-syntax.yaml"]), 1, "{command}");
        assert_eq!(exit_code(&[command, "--rules", "tests/errors/rules-missing-then.ascr", KOREA]), 1, "{command}");
        assert_eq!(exit_code(&[command, "--as-of", "yesterday", KOREA]), 2, "{command}");
        assert_eq!(exit_code(&[command, "--format", "xml", KOREA]), 2, "{command}");
        assert_eq!(exit_code(&[command]), 2, "{command}");
    }
    for format in ["text", "json", "markdown"] {
        assert_eq!(exit_code(&["matrix", "--format", format, KOREA]), 0);
    }
    assert_eq!(exit_code(&["report", "--format", "text", KOREA]), 2, "the report is HTML or Markdown");
    // A rule that computes an invalid ratio: the other questions are shown, and the exit code says invalid.
    for command in ["matrix", "timeline", "sensitivity", "report"] {
        let run =
            ascribe(&[command, "--rules", "tests/errors/eval-computed-ratio/rules.ascr", "tests/errors/eval-computed-ratio/evidence.yaml"]);
        assert_eq!(run.code, 1, "{command}: {}", run.stderr);
        assert!(run.stdout.contains("who-quick") && run.stderr.contains("question `who-slow` is not weighed"), "{command}");
    }
}
