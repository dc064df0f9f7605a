//! No panic on any input: the real rule files and the bundled evidence set,
//! randomly mutated (characters, words and lines deleted, inserted, replaced,
//! duplicated or swapped), must give either a result or diagnostics, never a
//! panic, through every stage the command line runs: compile, load, evaluate,
//! render (text, JSON, DOT) and diagnostics rendering.
//!
//! The runs are deterministic (fixed seed) and write no persistence files.
//! For a longer hunt: `ASCRIBE_FUZZ_CASES=5000 ASCRIBE_FUZZ_SEED=7 cargo test --release --test robustness`.

use ascribe::diagnostics::{Diagnostics, Sources};
use ascribe::engine::{evaluate, Options};
use ascribe::language::{self, library, Program, RuleText};
use ascribe::report::{dot, json, text};
use ascribe::{date::Date, evidence};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

const KOREA: &str = include_str!("../examples/korea-2013/evidence.yaml");

fn config(cases: u32) -> ProptestConfig {
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    ProptestConfig {
        cases: env("ASCRIBE_FUZZ_CASES").map(|n| n as u32).unwrap_or(cases),
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(env("ASCRIBE_FUZZ_SEED").unwrap_or(0x0a5c_1be5)),
        max_shrink_iters: 2_000,
        ..ProptestConfig::default()
    }
}

/// Pieces worth inserting: the language's punctuation, keywords, extreme
/// numbers, YAML syntax and text that is hard on byte offsets.
#[rustfmt::skip]
const PIECES: &[&str] = &[
    "{", "}", "(", ")", "[", "]", "?", ":", ",", ".", "\"", "\\", "_", "-", "+", "*", "/", "<", ">=", "!=", "==", "#", "//", "\n", " ",
    "\t", "0", "1", "-1", "0.0", "1e308", "1e-308", "9999999999999999999", "not", "let", "count", "in", "not in", "lr", "rule", "when",
    "then", "because", "support", "oppose", "neutral", "undercut", "derive", "finding", "other", "weak", "strong", "?x", "true", "false",
    "date(\"2013-02-30\")", "days(", "log10(", "{x}", "{", "é", "日本", "🦀", "\u{0}", "\r", "- ", ": ", "&a", "*a", "!!str", "~", "null",
    ".nan", ".inf", "'", "|", ">", "---", "...", "? ", "%", "@", "`", "2013-13-45", "2013-06-31", "0000-01-01", "9999-12-31", "A", "F",
    "6", "7", "prior: 0.5", "retracts: ", "based_on: ",
];

/// Numbers at and past the edges of every scale: grades, priors, ratios, counts.
#[rustfmt::skip]
const NUMBERS: &[&str] = &[
    "0", "1", "-1", "0.5", "0.999999999", "1.0000001", "6", "7", "1e308", "-1e308", "1e-308", "4294967296", "18446744073709551616",
    "3.5", "0.0", "-0", "100000", "2", "30",
];

#[derive(Clone, Debug)]
enum Edit {
    DeleteChars {
        at: usize,
        len: usize,
    },
    Insert {
        at: usize,
        piece: usize,
    },
    ReplaceChar {
        at: usize,
        piece: usize,
    },
    /// Replaces a word with another word of the same text.
    ReplaceWord {
        at: usize,
        with: usize,
    },
    /// Replaces a number with one of [`NUMBERS`].
    ReplaceNumber {
        at: usize,
        with: usize,
    },
    DeleteLine {
        at: usize,
    },
    DuplicateLine {
        at: usize,
    },
    SwapLines {
        a: usize,
        b: usize,
    },
}

fn edit() -> impl Strategy<Value = Edit> {
    let n = PIECES.len();
    // Weighted towards edits that keep the text parseable, so that the later
    // stages (checking, loading, evaluation) see many of the cases.
    prop_oneof![
        1 => (any::<usize>(), 1usize..8).prop_map(|(at, len)| Edit::DeleteChars { at, len }),
        2 => (any::<usize>(), 0..n).prop_map(|(at, piece)| Edit::Insert { at, piece }),
        1 => (any::<usize>(), 0..n).prop_map(|(at, piece)| Edit::ReplaceChar { at, piece }),
        3 => (any::<usize>(), any::<usize>()).prop_map(|(at, with)| Edit::ReplaceWord { at, with }),
        3 => (any::<usize>(), 0..NUMBERS.len()).prop_map(|(at, with)| Edit::ReplaceNumber { at, with }),
        2 => any::<usize>().prop_map(|at| Edit::DeleteLine { at }),
        2 => any::<usize>().prop_map(|at| Edit::DuplicateLine { at }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::SwapLines { a, b }),
    ]
}

/// Byte ranges of the words (runs of alphanumerics, `_`, `-`, `.`) of a text.
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = vec![];
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        let in_word = c.is_alphanumeric() || c == '_' || c == '-' || c == '.';
        match (in_word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut text = text.to_string();
    for e in edits {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let char_at = |at: usize| if chars.is_empty() { 0 } else { chars[at % chars.len()].0 };
        match e {
            Edit::DeleteChars { at, len } => {
                if chars.is_empty() {
                    continue;
                }
                let i = at % chars.len();
                let start = chars[i].0;
                let end = chars.get(i + len).map(|c| c.0).unwrap_or(text.len());
                text.replace_range(start..end, "");
            }
            Edit::Insert { at, piece } => {
                let at = if chars.is_empty() { 0 } else { char_at(*at) };
                text.insert_str(at, PIECES[*piece]);
            }
            Edit::ReplaceChar { at, piece } => {
                if chars.is_empty() {
                    continue;
                }
                let (start, c) = chars[at % chars.len()];
                text.replace_range(start..start + c.len_utf8(), PIECES[*piece]);
            }
            Edit::ReplaceWord { at, with } => {
                let ws = words(&text);
                if ws.is_empty() {
                    continue;
                }
                let (s, e) = ws[at % ws.len()];
                let (ws_, we) = ws[with % ws.len()];
                let replacement = text[ws_..we].to_string();
                text.replace_range(s..e, &replacement);
            }
            Edit::ReplaceNumber { at, with } => {
                let numbers: Vec<(usize, usize)> =
                    words(&text).into_iter().filter(|&(s, e)| text[s..e].chars().next().is_some_and(|c| c.is_ascii_digit())).collect();
                if numbers.is_empty() {
                    continue;
                }
                let (s, e) = numbers[at % numbers.len()];
                text.replace_range(s..e, NUMBERS[*with]);
            }
            Edit::DeleteLine { at } | Edit::DuplicateLine { at } => {
                let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
                if lines.is_empty() {
                    continue;
                }
                let i = at % lines.len();
                if matches!(e, Edit::DeleteLine { .. }) {
                    lines.remove(i);
                } else {
                    lines.insert(i, lines[i]);
                }
                text = lines.concat();
            }
            Edit::SwapLines { a, b } => {
                let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
                if lines.is_empty() {
                    continue;
                }
                let n = lines.len();
                lines.swap(a % n, b % n);
                text = lines.concat();
            }
        }
    }
    text
}

/// The standard library with file `index` replaced by `text`.
fn library_with(index: usize, text: String) -> Vec<RuleText> {
    let mut texts = library::standard();
    let i = index % texts.len();
    texts[i].text = text;
    texts
}

/// Compiles, and on success evaluates the Korea example with every renderer;
/// on failure renders the diagnostics. Any panic fails the test.
fn compile_and_run(texts: Vec<RuleText>) {
    let mut sources = Sources::default();
    match language::compile(texts, &mut sources) {
        Ok(program) => {
            run_evidence(&program, &mut sources, KOREA.to_string());
        }
        Err(d) => render(&d, &sources),
    }
}

fn render(d: &Diagnostics, sources: &Sources) {
    assert!(!d.is_empty(), "an error carries at least one diagnostic");
    let text = d.render(sources);
    assert!(!text.is_empty());
    for one in &d.0 {
        let _ = one.position(sources);
    }
}

fn run_evidence(program: &Program, sources: &mut Sources, text: String) {
    let id = sources.add("evidence.yaml", text);
    let set = match evidence::load(&[id], sources, &program.schema) {
        Ok(set) => set,
        Err(d) => return render(&d, sources),
    };
    for as_of in [None, Date::parse("2013-03-21"), Date::parse("2013-04-10"), Date::parse("1900-01-01")] {
        match evaluate(program, &set, &Options { as_of, ..Options::default() }) {
            Ok(evaluation) => {
                let _ = text::render(&evaluation.assessment);
                let out = json::render(&evaluation.assessment);
                let parsed: serde_json::Value = serde_json::from_str(&out).expect("JSON output parses");
                check_probabilities(&parsed);
                let _ = dot::render(&evaluation.graph, program, &set);
            }
            Err(d) => render(&d, sources),
        }
    }
}

/// Whatever the input, probabilities are numbers in [0, 1] that add up to 1.
fn check_probabilities(json: &serde_json::Value) {
    for q in json["questions"].as_array().into_iter().flatten() {
        let mut total = 0.0;
        for h in q["hypotheses"].as_array().into_iter().flatten() {
            let p = h["probability"].as_f64().expect("probability is a finite number");
            assert!((0.0..=1.0).contains(&p), "probability {p} out of range");
            total += p;
        }
        assert!((total - 1.0).abs() < 1e-6, "probabilities add up to {total}");
    }
}

fn standard_program() -> Program {
    let mut sources = Sources::default();
    language::compile(library::standard(), &mut sources).expect("the standard library compiles")
}

proptest! {
    #![proptest_config(config(96))]

    /// Mutated rule files never make the compiler (or the engine) panic.
    #[test]
    fn mutated_rules_never_panic(file in 0usize..16, edits in prop::collection::vec(edit(), 1..4)) {
        let base = library::STANDARD[file % library::STANDARD.len()].1;
        compile_and_run(library_with(file, apply(base, &edits)));
    }

    /// Mutated evidence never makes loading, evaluation or rendering panic.
    #[test]
    fn mutated_evidence_never_panics(edits in prop::collection::vec(edit(), 1..4)) {
        let program = standard_program();
        let mut sources = Sources::default();
        run_evidence(&program, &mut sources, apply(KOREA, &edits));
    }

    /// Arbitrary text is rejected cleanly as rules and as evidence.
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        compile_and_run(vec![RuleText { name: "random.ascr".into(), text: text.clone() }]);
        let program = standard_program();
        let mut sources = Sources::default();
        run_evidence(&program, &mut sources, text);
    }
}

/// Ratios whose products leave the range of f64 still give finite
/// probabilities (regression: they once gave NaN).
#[test]
fn extreme_ratios_give_finite_probabilities() {
    let rules = r#"
rule t.huge_attribution {
  when { attribution(incident: ?incident, actor: ?actor) }
  then { support ?actor for ?incident by lr 1e300 }
}
rule t.huge_geolocation {
  when {
    observed(artifact: ?ip, incident: ?incident)
    geolocation(artifact: ?ip, country: ?country)
    actor(id: ?actor, country: ?country)
  }
  then { support ?actor for ?incident by lr 1e300 }
}
rule t.tiny_denial {
  when { denial(incident: ?incident, actor: ?actor) }
  then { oppose ?actor for ?incident by lr 1e300 }
}
"#;
    let mut sources = Sources::default();
    let program = language::compile(vec![RuleText { name: "extreme.ascr".into(), text: rules.into() }], &mut sources).unwrap();
    let id = sources.add("evidence.yaml", KOREA);
    let set = evidence::load(&[id], &sources, &program.schema).unwrap();
    let evaluation = evaluate(&program, &set, &Options::default()).unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&json::render(&evaluation.assessment)).unwrap();
    check_probabilities(&parsed);
    for q in parsed["questions"].as_array().unwrap() {
        for h in q["hypotheses"].as_array().unwrap() {
            assert!(h["log10_odds"].is_f64(), "log10_odds is a finite number: {h}");
        }
    }
}
