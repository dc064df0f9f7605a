//! The library's entry point: an engine shared across threads, evidence from
//! text, files and JSON values, typed errors that match, chain and render as
//! the command line shows them.

use ascribe::{Engine, Error, Options};
use assert_cmd::Command;
use std::error::Error as _;
use std::sync::Arc;

const KOREA: &str = "examples/korea-2013/evidence.yaml";

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn program_evidence_and_engine_are_send_and_sync() {
    fn shareable<T: Send + Sync + 'static>() {}
    shareable::<ascribe::language::Program>();
    shareable::<ascribe::evidence::EvidenceSet>();
    shareable::<Engine>();
    shareable::<ascribe::Evidence>();
    shareable::<ascribe::Outcome>();
    shareable::<Error>();
}

#[test]
fn one_engine_weighs_in_several_threads_alike() {
    let engine = Arc::new(Engine::new().expect("the standard library compiles"));
    let evidence = engine.evidence().file(root().join(KOREA)).load().expect("the example loads");
    let evidence = Arc::new(evidence);
    let render = |engine: &Engine, evidence: &ascribe::Evidence| {
        let outcome = engine.evaluate(evidence, &Options::default()).expect("the example evaluates");
        ascribe::report::json::render(outcome.assessment())
    };
    let alone = render(&engine, &evidence);
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let (engine, evidence) = (Arc::clone(&engine), Arc::clone(&evidence));
            std::thread::spawn(move || render(&engine, &evidence))
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().expect("no panic"), alone);
    }
}

#[test]
fn text_files_and_json_values_load_alike() {
    let engine = Engine::new().expect("compiles");
    let text = std::fs::read_to_string(root().join(KOREA)).expect("readable");
    let yaml: serde_json::Value = serde_yaml::from_str(&text).expect("YAML");
    let as_of = Options { as_of: ascribe::Date::parse("2013-04-10"), ..Options::default() };
    let outputs: Vec<String> = [
        engine.evidence().text("korea.yaml", text.as_str()),
        engine.evidence().file(root().join(KOREA)),
        engine.evidence().value("korea.json", &yaml),
    ]
    .into_iter()
    .map(|loader| {
        let evidence = loader.load().unwrap_or_else(|e| panic!("{}", e.render()));
        ascribe::report::text::render(engine.evaluate(&evidence, &as_of).expect("evaluates").assessment())
    })
    .collect();
    assert!(outputs[0].contains("north-korea"), "{}", outputs[0]);
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
}

/// What `ascribe ARGS` writes on stderr, without its last line (the count of errors).
fn cli_stderr(args: &[&str]) -> String {
    let out = Command::cargo_bin("ascribe").expect("binary").current_dir(root()).args(args).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.pop();
    lines.join("\n")
}

#[test]
fn each_stage_has_its_error_and_it_renders_as_the_command_line() {
    type IsStage = fn(&Error) -> bool;
    let cases: [(&str, IsStage); 4] = [
        ("tests/errors/rules-missing-then.ascr", |e| matches!(e, Error::Parse(_))),
        ("tests/errors/rules-unknown-type.ascr", |e| matches!(e, Error::Check(_))),
        ("tests/errors/no-such-file.ascr", |e| matches!(e, Error::Io(_))),
        ("tests/errors/rules-unknown-field.ascr", |e| matches!(e, Error::Check(_))),
    ];
    for (path, stage) in cases {
        // Tests run in the package root, as the command below does.
        let error = Engine::builder().rules_path(path).build().expect_err(path);
        assert!(stage(&error), "{path}: {error:?}");
        // The command line draws in ASCII when stderr is not a terminal.
        let ascii = error.render_with(ascribe::diagnostics::Style::ASCII);
        assert_eq!(ascii.trim_end(), cli_stderr(&["rules", "--rules", path]).trim_end(), "{path}");
        // `source()` is the stage's error, whose message is the first diagnostic.
        let source = error.source().expect("a source");
        assert!(source.to_string().contains(path), "{source}");
        assert_eq!(error.to_json().len(), error.diagnostics().len());
    }
}

#[test]
fn evidence_and_evaluation_errors_are_typed() {
    let engine = Engine::new().expect("compiles");
    let error = engine.evidence().text("e.yaml", "reports: [{ id: r1, source: nowhere }]\n").load().expect_err("invalid");
    assert!(matches!(error, Error::Evidence(_)), "{error:?}");
    assert!(error.render().contains("e.yaml"), "{}", error.render());
    let miette = miette::Report::new(error.clone());
    assert!(miette.to_string().contains("evidence"), "{miette}");

    let other = Engine::new().expect("compiles");
    let evidence = other.evidence().file(root().join(KOREA)).load().expect("loads");
    let error = engine.evaluate(&evidence, &Options::default()).expect_err("another engine's evidence");
    assert!(matches!(error, Error::Evaluate(_)), "{error:?}");
}

/// `eval --top N` lists contributions only under the hypotheses it keeps (it
/// does not build the others): its text and JSON are the whole assessment
/// trimmed, for every example and every N.
#[test]
fn top_builds_only_what_it_shows() {
    let engine = Engine::new().expect("compiles");
    let mut checked = 0;
    for entry in std::fs::read_dir(root().join("examples")).expect("examples") {
        let path = entry.expect("entry").path().join("evidence.yaml");
        if !path.exists() {
            continue;
        }
        let evidence = engine.evidence().file(&path).load().unwrap_or_else(|e| panic!("{}", e.render()));
        let whole = engine.evaluate(&evidence, &Options::default()).expect("evaluates").assessment().clone();
        for n in 1..=3u64 {
            let mut trimmed = whole.clone();
            ascribe::report::trim::top(&mut trimmed, n as usize);
            let shown = |format: &str| {
                let out = Command::cargo_bin("ascribe")
                    .expect("binary")
                    .args(["eval", "--color", "never", "--format", format, "--top", &n.to_string()])
                    .arg(&path)
                    .output()
                    .expect("runs");
                String::from_utf8(out.stdout).expect("UTF-8")
            };
            assert_eq!(shown("text"), ascribe::report::text::render(&trimmed), "{} --top {n}", path.display());
            assert_eq!(shown("json"), ascribe::report::json::render(&trimmed), "{} --top {n}", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 15, "every example, three sizes: {checked}");
}
