//! Scale: parallel weighing gives byte-identical output, a generated set reads
//! the same as YAML and as JSON, and (ignored) the writer of large generated
//! files for measuring `ascribe eval` (docs/performance.md,
//! tools/compare_problog.py).

mod common;

#[path = "../benches/common/scale.rs"]
mod scale;

use ascribe::diagnostics::{SourceId, Sources};
use ascribe::engine::{evaluate, Options};
use ascribe::language::{compile, library, Program};
use ascribe::report::{dot, json, problog, text};

/// Every rendering of an evaluation, one after the other.
fn renderings(program: &Program, sources: &Sources, file: SourceId, as_of: Option<&str>, threads: usize) -> String {
    let evidence = ascribe::evidence::load(&[file], sources, &program.schema).unwrap_or_else(|d| panic!("{}", d.render(sources)));
    let options = Options { as_of: as_of.map(|d| ascribe::date::Date::parse(d).expect("a date")), threads, ..Options::default() };
    let evaluation = evaluate(program, &evidence, &options).unwrap_or_else(|d| panic!("{}", d.render(sources)));
    let diagnostics: Vec<String> = evaluation.diagnostics.0.iter().map(|d| d.to_json(sources).to_string()).collect();
    [
        text::render(&evaluation.assessment),
        json::render(&evaluation.assessment),
        dot::render(&evaluation.graph, program, &evidence),
        problog::render(&evaluation.graph, program, &evidence, &evaluation.weighings),
        diagnostics.join("\n"),
    ]
    .join("\n----\n")
}

/// Each example, as of each date in its `as-of.txt` and with every report, and a generated set
/// of 3,000 reports: the same bytes on one thread, on the current pool and
/// on four threads.
#[test]
fn parallel_weighing_changes_no_byte() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut cases: Vec<(String, String, Option<String>)> = vec![];
    let mut examples: Vec<_> = std::fs::read_dir(format!("{root}/examples")).expect("examples").flatten().map(|e| e.path()).collect();
    examples.sort();
    for dir in examples {
        let evidence = dir.join("evidence.yaml");
        let Ok(text) = std::fs::read_to_string(&evidence) else { continue };
        let relative = evidence.strip_prefix(root).expect("inside the repository").to_string_lossy().replace('\\', "/");
        cases.push((relative.clone(), text.clone(), None));
        let dates = std::fs::read_to_string(dir.join("as-of.txt")).unwrap_or_default();
        for date in dates.lines().map(str::trim).filter(|d| !d.is_empty()) {
            cases.push((relative.clone(), text.clone(), Some(date.to_string())));
        }
    }
    assert!(cases.len() >= 5, "the examples were found");
    cases.push(("generated.yaml".into(), scale::generate(3_000, scale::Style::Yaml), None));
    for (name, text, as_of) in cases {
        let mut sources = Sources::default();
        let program = compile(common::rules_for(&name), &mut sources).expect("the rules compile");
        let file = sources.add(name.as_str(), text);
        let one = renderings(&program, &sources, file, as_of.as_deref(), 1);
        assert!(one.contains("probability"), "{name}: weighed something");
        for threads in [0, 4] {
            let many = renderings(&program, &sources, file, as_of.as_deref(), threads);
            assert!(one == many, "{name} as of {as_of:?}: {threads} threads changed the output");
        }
    }
}

/// The generated set written as YAML and as JSON loads to the same evidence
/// and the same assessment (the two go through different parsers).
#[test]
fn yaml_and_json_read_alike() {
    let mut sources = Sources::default();
    let program = compile(library::standard(), &mut sources).expect("the standard library compiles");
    let yaml = sources.add("generated.yaml", scale::generate(500, scale::Style::Yaml));
    let json_file = sources.add("generated.json", scale::generate(500, scale::Style::Json));
    let mut outputs = vec![];
    for file in [yaml, json_file] {
        let evidence = ascribe::evidence::load(&[file], &sources, &program.schema).unwrap_or_else(|d| panic!("{}", d.render(&sources)));
        assert_eq!(evidence.reports.len(), 500);
        let evaluation = evaluate(&program, &evidence, &Options::default()).unwrap_or_else(|d| panic!("{}", d.render(&sources)));
        assert!(evaluation.diagnostics.is_empty());
        assert_eq!(evaluation.assessment.questions.len(), 10);
        outputs.push(json::render(&evaluation.assessment));
    }
    assert!(outputs[0] == outputs[1], "YAML and JSON assess differently");
}

/// The generated sets have the shape the benchmarks promise: a question per
/// 50 reports, every question weighed, most of them decided.
#[test]
fn generated_sets_are_realistic() {
    let mut sources = Sources::default();
    let program = compile(library::standard(), &mut sources).expect("the standard library compiles");
    for (name, text, questions) in [
        ("generated.yaml", scale::generate(2_000, scale::Style::Yaml), 40),
        ("entangled.yaml", scale::entangled(12), 1),
        ("hypotheses.yaml", scale::many_hypotheses(172), 1),
    ] {
        let file = sources.add(name, text);
        let evidence = ascribe::evidence::load(&[file], &sources, &program.schema).unwrap_or_else(|d| panic!("{}", d.render(&sources)));
        let evaluation = evaluate(&program, &evidence, &Options::default()).unwrap_or_else(|d| panic!("{}", d.render(&sources)));
        assert!(evaluation.diagnostics.is_empty(), "{name}: {}", evaluation.diagnostics.render(&sources));
        assert_eq!(evaluation.assessment.questions.len(), questions, "{name}");
        assert!(!evaluation.assessment.retracted.is_empty() || name != "generated.yaml", "{name} has retractions");
        if name == "hypotheses.yaml" {
            assert_eq!(evaluation.assessment.questions[0].hypotheses.len(), 173, "172 named and `other`");
        }
        if name == "generated.yaml" {
            let decided = evaluation.assessment.questions.iter().filter(|q| q.hypotheses[0].probability > 0.5).count();
            assert!(decided > questions / 2, "{decided} of {questions} decided");
        }
    }
}

/// Writes a generated evidence file for measuring the command:
/// `ASCRIBE_SCALE_REPORTS=1000000 ASCRIBE_SCALE_STYLE=json cargo test --release --test scale -- --ignored write_scale_file`
/// writes target/scale/reports-1000000.json (the path is printed).
#[test]
#[ignore = "writes large files on demand"]
fn write_scale_file() {
    let reports: usize = std::env::var("ASCRIBE_SCALE_REPORTS").ok().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let kind = std::env::var("ASCRIBE_SCALE_KIND").unwrap_or_else(|_| "realistic".into());
    let (style, ext) = match std::env::var("ASCRIBE_SCALE_STYLE").as_deref() {
        Ok("json") => (scale::Style::Json, "json"),
        _ => (scale::Style::Yaml, "yaml"),
    };
    let (name, text) = match kind.as_str() {
        "entangled" => (format!("entangled-{reports}.yaml"), scale::entangled(reports)),
        "hypotheses" => (format!("hypotheses-{reports}.yaml"), scale::many_hypotheses(reports)),
        _ => (format!("reports-{reports}.{ext}"), scale::generate(reports, style)),
    };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/scale");
    std::fs::create_dir_all(&dir).expect("target/scale can be created");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("the file can be written");
    println!("{}", path.display());
}
