//! `ascribe fmt`: formatting is idempotent, keeps every comment, and never
//! changes what a rule file means: the formatted file compiles to the same
//! program (same rules, conditions, weights, texts) or fails with the same
//! errors. Checked on every rule file in the repository, and on the same
//! files with their whitespace and comments scrambled at random.

use ascribe::language::format::format;
use ascribe::language::tokens::Lexed;
use ascribe::language::{self, library, Conclusion, Program, RuleText};
use ascribe::prelude::*;
use assert_cmd::Command;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Every rule file in the repository that parses (rules/, the examples, the
/// docs' examples, the test fixtures, the fuzz seeds).
fn corpus() -> &'static [(String, String)] {
    static CORPUS: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    CORPUS.get_or_init(read_corpus)
}

fn read_corpus() -> Vec<(String, String)> {
    let mut files = vec![];
    for dir in ["rules", "examples", "docs/examples", "tests", "fuzz/seeds"] {
        collect(&Path::new(ROOT).join(dir), &mut files);
    }
    files.sort();
    let corpus: Vec<(String, String)> = files
        .into_iter()
        .map(|f| (f.strip_prefix(ROOT).unwrap_or(&f).to_string_lossy().replace('\\', "/"), std::fs::read_to_string(&f).unwrap()))
        .filter(|(_, text)| format(text, SourceId(0)).is_ok())
        .collect();
    assert!(corpus.len() >= 20, "only {} rule files found", corpus.len());
    corpus
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|x| x == "ascr") {
            files.push(path);
        }
    }
}

fn fmt(text: &str) -> String {
    format(text, SourceId(0)).unwrap_or_else(|d| panic!("{}\n{text}", d.message))
}

/// The file compiled with the standard library (the one from rules/ replaced
/// when it is one of them): the program with every source position and the
/// spacing of computed ratios' texts taken out, or the errors' messages.
fn meaning(name: &str, text: &str) -> Result<Vec<String>, Vec<String>> {
    let mut texts: Vec<RuleText> = library::standard().into_iter().filter(|t| t.name != name).collect();
    texts.push(RuleText { name: name.to_string(), text: text.to_string() });
    let mut sources = Sources::default();
    match language::compile(texts, &mut sources) {
        Ok(program) => Ok(without_positions(&normalised(program)).lines().map(String::from).collect()),
        Err(d) => Err(d.0.into_iter().map(|d| d.message.split_whitespace().collect::<String>()).collect()),
    }
}

/// Ratio texts keep the author's spacing (`lr 1+2` is shown as written), which
/// formatting changes on purpose; compare them without spaces.
fn normalised(mut program: Program) -> Program {
    let squeeze = |text: &mut String| *text = text.split_whitespace().collect();
    for rule in &mut program.rules {
        for conclusion in &mut rule.conclusions {
            let ratio = match conclusion {
                Conclusion::Weigh { ratio: Some(r), .. } | Conclusion::StrengthenTagged { ratio: r, .. } => r,
                _ => continue,
            };
            match ratio {
                language::program::Ratio::Fixed(_, t) | language::program::Ratio::Computed(_, t) => squeeze(t),
            }
        }
    }
    program
}

/// The program's debug form (its types in order, its rules) with every
/// `Span { .. }` removed.
fn without_positions(program: &Program) -> String {
    let types: Vec<_> = program.schema.types().collect();
    let text = format!("{types:#?}\n{:#?}", program.rules);
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find("Span {") {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let close = after.find('}').map(|c| c + 1).unwrap_or(after.len());
        rest = &after[close..];
    }
    out.push_str(rest);
    out
}

fn comments(text: &str) -> Vec<String> {
    let lexed = Lexed::new(text);
    lexed.comments.iter().map(|c| text[c.start..c.end].trim_end().to_string()).collect()
}

fn assert_formats_well(name: &str, text: &str) -> String {
    let once = fmt(text);
    let twice = fmt(&once);
    if twice != once {
        let diff = similar::TextDiff::from_lines(&once, &twice).unified_diff().context_radius(3).to_string();
        panic!("{name}: formatting twice changes it again:\n{text}\n----\n{diff}");
    }
    let (before, after) = (meaning(name, text), meaning(name, &once));
    if before != after {
        let diff =
            similar::TextDiff::from_lines(&format!("{before:#?}"), &format!("{after:#?}")).unified_diff().context_radius(3).to_string();
        panic!("{name}: the formatted file means something else:\n{once}\n{diff}");
    }
    assert_eq!(comments(&once), comments(text), "{name}: a comment was lost or moved out of order:\n{once}");
    once
}

#[test]
fn every_rule_file_formats_to_the_same_program() {
    for (name, text) in corpus() {
        assert_formats_well(name, text);
    }
}

/// The standard library and the examples' rules are formatted, as CI checks
/// with `ascribe fmt --check rules/ examples/`.
#[test]
fn the_repository_rules_are_formatted() {
    let output = Command::cargo_bin("ascribe").unwrap().current_dir(ROOT).args(["fmt", "--check", "rules", "examples"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stdout));
    assert!(output.stdout.is_empty());
}

/// The layout depends on the tokens only: the same tokens with any spacing
/// and line breaks (no blank lines, no comments) format alike.
fn layouts() -> impl Strategy<Value = (usize, Vec<u8>)> {
    (0usize..64, proptest::collection::vec(any::<u8>(), 64))
}

/// The tokens of `text` joined by trivia from `trivia`, picked in turn by `choices`.
fn rejoin(text: &str, choices: &[u8], trivia: &[&str]) -> String {
    let lexed = Lexed::new(text);
    let mut out = String::new();
    for (i, t) in lexed.tokens.iter().enumerate() {
        if i > 0 {
            out.push_str(trivia[choices[i % choices.len()] as usize % trivia.len()]);
        }
        out.push_str(lexed.str(*t));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, failure_persistence: None, rng_seed: RngSeed::Fixed(0xf0a7), ..ProptestConfig::default() })]

    #[test]
    fn layout_does_not_depend_on_spacing((file, choices) in layouts()) {
        let corpus = corpus();
        let (name, text) = &corpus[file % corpus.len()];
        let plain = rejoin(text, &[0], &[" "]);
        let scrambled = rejoin(text, &choices, &[" ", "\n", "\t", "   ", " \n  ", "\r\n"]);
        prop_assert_eq!(fmt(&scrambled), fmt(&plain), "{}", name);
    }

    #[test]
    fn comments_anywhere_are_kept((file, choices) in layouts()) {
        let corpus = corpus();
        let (name, text) = &corpus[file % corpus.len()];
        let scrambled = rejoin(text, &choices, &[" ", " ", "\n", "\n\n", " // note\n", "\n// own line\n\n", "\n  // indented\n", " "]);
        assert_formats_well(name, &scrambled);
    }
}

/// The rule examples in the documentation are in the layout `ascribe fmt`
/// gives, so the docs show the style they describe.
#[test]
fn the_documented_rules_are_formatted() {
    let mut documents = vec![Path::new(ROOT).join("README.md")];
    for dir in ["docs", "examples"] {
        for entry in std::fs::read_dir(Path::new(ROOT).join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let readme = path.join("README.md");
            if path.extension().is_some_and(|x| x == "md") {
                documents.push(path);
            } else if readme.is_file() {
                documents.push(readme);
            }
        }
    }
    let mut checked = 0;
    for document in documents {
        let text = std::fs::read_to_string(&document).unwrap();
        for block in text.split("```ascribe\n").skip(1) {
            let rules = block.split("```").next().unwrap_or("");
            assert_eq!(fmt(rules), rules, "{}: a rule example is not formatted", document.display());
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} rule examples found");
}
