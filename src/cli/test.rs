//! `ascribe test`: run the expectations in `*.test.yaml` files, in the style
//! of `cargo test`, with the coverage of the rules they exercised.

use super::inputs;
use super::ErrorFormat;
use crate::engine::{self, Options};
use crate::prelude::*;
use crate::testing::{self, TestCase};
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Test files (`*.test.yaml`) or folders searched for them.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum Format {
    Text,
    Json,
}

#[derive(serde::Serialize)]
struct Outcome {
    file: String,
    name: String,
    passed: bool,
    failures: Vec<String>,
}

#[derive(serde::Serialize)]
struct Summary {
    tests: Vec<Outcome>,
    passed: usize,
    failed: usize,
    /// Rules loaded by some test, the ones some test made fire, and the ones none did.
    rules: usize,
    fired: Vec<String>,
    never_fired: Vec<String>,
}

pub fn run(args: Args, errors: ErrorFormat, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> i32 {
    let mut files = vec![];
    for path in &args.paths {
        if let Err(e) = collect(path, &mut files) {
            let _ = writeln!(err, "error: {}: {e}", path.display());
            return super::EXIT_INVALID;
        }
    }
    files.sort();
    let mut outcomes = vec![];
    let mut loaded: BTreeSet<String> = BTreeSet::new();
    let mut fired: BTreeSet<String> = BTreeSet::new();
    for file in &files {
        let mut sources = Sources::default();
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                let _ = writeln!(err, "error: {}: {e}", file.display());
                return super::EXIT_INVALID;
            }
        };
        let id = sources.add(file.display().to_string(), text);
        let cases = match testing::read(id, &sources) {
            Ok(c) => c,
            Err(d) => return inputs::report(&d, &sources, errors, err),
        };
        let dir = file.parent().unwrap_or(Path::new("."));
        for case in cases {
            let (outcome, rules, exercised) = run_case(file, dir, &case);
            loaded.extend(rules);
            fired.extend(exercised);
            outcomes.push(outcome);
        }
    }
    let passed = outcomes.iter().filter(|o| o.passed).count();
    let failed = outcomes.len() - passed;
    let never_fired: Vec<String> = loaded.iter().filter(|r| !fired.contains(*r)).cloned().collect();
    let fired: Vec<String> = loaded.iter().filter(|r| fired.contains(*r)).cloned().collect();
    let summary = Summary { passed, failed, rules: loaded.len(), fired, never_fired, tests: outcomes };
    match args.format {
        Format::Json => {
            let _ = writeln!(out, "{}", serde_json::to_string_pretty(&summary).unwrap_or_default());
        }
        Format::Text => text(&summary, files.len(), out),
    }
    if failed == 0 {
        super::EXIT_OK
    } else {
        super::EXIT_INVALID
    }
}

/// Runs one case: its outcome, the rules it loaded, and the rules that fired.
fn run_case(file: &Path, dir: &Path, case: &TestCase) -> (Outcome, Vec<String>, BTreeSet<String>) {
    let fail = |failures: Vec<String>| Outcome {
        file: file.display().to_string(),
        name: case.name.clone(),
        passed: failures.is_empty(),
        failures,
    };
    let mut sources = Sources::default();
    let rules: Vec<PathBuf> = case.rules.iter().map(|r| dir.join(r)).collect();
    let program = match inputs::compile(&rules, !case.no_default_rules, &mut sources) {
        Ok(p) => p,
        Err(d) => return (fail(vec![format!("the rules do not compile:\n{}", d.render(&sources))]), vec![], BTreeSet::new()),
    };
    let ids: Vec<String> = program.rules.iter().map(|r| r.id.clone()).collect();
    let mut evidence_ids = vec![];
    for e in &case.evidence {
        let path = dir.join(e);
        match std::fs::read_to_string(&path) {
            Ok(text) => evidence_ids.push(sources.add(path.display().to_string(), text)),
            Err(error) => return (fail(vec![format!("cannot read {}: {error}", path.display())]), ids, BTreeSet::new()),
        }
    }
    if let Some(text) = &case.evidence_text {
        evidence_ids.push(sources.add(format!("{} ({})", file.display(), case.name), text.clone()));
    }
    let evidence = match crate::evidence::load(&evidence_ids, &sources, &program.schema) {
        Ok(e) => e,
        Err(d) => return (fail(vec![format!("the evidence does not load:\n{}", d.render(&sources))]), ids, BTreeSet::new()),
    };
    let evaluation = match engine::evaluate(&program, &evidence, &Options { as_of: case.as_of, ..Options::default() }) {
        Ok(e) => e,
        Err(d) => return (fail(vec![format!("the evaluation fails:\n{}", d.render(&sources))]), ids, BTreeSet::new()),
    };
    let exercised = testing::fired_rules(&program, &evaluation);
    (fail(testing::judge(&case.expect, &program, &evaluation)), ids, exercised)
}

/// A file named on the command line is a test file; a folder is searched for `*.test.yaml`.
fn collect(path: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_dir() {
        search(path, files)
    } else if path.is_file() {
        files.push(path.to_path_buf());
        Ok(())
    } else {
        Err(std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder"))
    }
}

fn search(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            search(&path, files)?;
        } else if path.to_string_lossy().ends_with(".test.yaml") {
            files.push(path);
        }
    }
    Ok(())
}

fn text(summary: &Summary, files: usize, out: &mut dyn std::io::Write) {
    use crate::report::escape::text as t;
    let n = summary.tests.len();
    let _ = writeln!(out, "running {n} test{} from {files} file{}", plural(n), plural(files));
    for o in &summary.tests {
        let verdict = super::color::verdict(if o.passed { "ok" } else { "FAILED" }, o.passed, super::color::stdout());
        let _ = writeln!(out, "test {} :: {} ... {verdict}", t(&o.file), t(&o.name));
    }
    let failed: Vec<&Outcome> = summary.tests.iter().filter(|o| !o.passed).collect();
    if !failed.is_empty() {
        let _ = writeln!(out, "\nfailures:");
        for o in failed {
            let _ = writeln!(out, "\n---- {} :: {} ----", t(&o.file), t(&o.name));
            for f in &o.failures {
                for line in f.lines() {
                    let _ = writeln!(out, "  {}", t(line));
                }
            }
        }
    }
    let _ = writeln!(
        out,
        "\nresult: {}. {} passed; {} failed",
        super::color::verdict(if summary.failed == 0 { "ok" } else { "FAILED" }, summary.failed == 0, super::color::stdout()),
        summary.passed,
        summary.failed
    );
    let _ = writeln!(out, "rule coverage: {} of {} rules fired", summary.rules - summary.never_fired.len(), summary.rules);
    if !summary.never_fired.is_empty() {
        let _ = writeln!(out, "never fired:");
        let mut line = String::new();
        for rule in &summary.never_fired {
            if !line.is_empty() && line.len() + rule.len() > 96 {
                let _ = writeln!(out, "  {line}");
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&t(rule));
        }
        let _ = writeln!(out, "  {line}");
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
