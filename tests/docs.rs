//! Runs every example in README.md, docs/*.md and examples/*/README.md, so the
//! documentation cannot drift from the program. After a deliberate change of
//! output, `ASCRIBE_BLESS_DOCS=1 cargo test --test docs` rewrites the console
//! outputs in place: read the diff before committing it.
//!
//! Fenced code blocks are executed by their info string:
//!
//! - `ascribe`: a complete rule file; it must compile together with the standard
//!   library, or alone when its first line is `// standalone`.
//! - `ascribe error`: a rule file that must fail to compile (same library rule).
//!   When the next block (only blank lines between) is a `text` block, the
//!   rendered diagnostics must equal it. The example is named `example.ascr`.
//! - `yaml evidence`: a complete evidence file that must load cleanly against
//!   the standard library's schema. `yaml evidence error` must fail to load and,
//!   like `ascribe error`, may be followed by a `text` block with the diagnostics
//!   (the file is named `evidence.yaml`).
//! - `console`: `$ ascribe ARGS` lines are run with the built binary in the
//!   repository root; the lines up to the next `$` line are the expected
//!   stdout. `# exit N` right after a command expects that exit code (default 0).
//!   Other `$` commands (installation steps and the like) are shown, not run.
//!
//! Comparisons ignore trailing whitespace on each line and trailing blank lines.
//! Any other info string (text, json, sh, ...) is not executed.

use ascribe::{Engine, Error};
use std::path::{Path, PathBuf};
use std::process::Command;

/// One fenced code block.
struct Block {
    info: String,
    /// 1-based line of the opening fence.
    line: usize,
    body: String,
    /// Whether only blank lines separate this block from the previous one.
    follows_previous: bool,
}

fn blocks(text: &str) -> Vec<Block> {
    let mut out: Vec<Block> = vec![];
    let mut lines = text.lines().enumerate();
    let mut gap_is_blank = false;
    while let Some((i, line)) = lines.next() {
        let trimmed = line.trim_start();
        let fence = if trimmed.starts_with("```") {
            "```"
        } else if trimmed.starts_with("~~~") {
            "~~~"
        } else {
            if !line.trim().is_empty() {
                gap_is_blank = false;
            }
            continue;
        };
        let marker = fence.chars().next().unwrap_or('`');
        let length = trimmed.chars().take_while(|c| *c == marker).count();
        let info = trimmed[length..].trim().to_string();
        let indent = line.len() - trimmed.len();
        let mut body = String::new();
        for (_, inner) in lines.by_ref() {
            let t = inner.trim_start();
            if t.chars().take_while(|c| *c == marker).count() >= length && t.trim_start_matches(marker).trim().is_empty() {
                break;
            }
            // Strip the fence's own indentation (blocks inside list items).
            let strip = inner.len() - inner.trim_start().len();
            body.push_str(&inner[strip.min(indent)..]);
            body.push('\n');
        }
        out.push(Block { info, line: i + 1, body, follows_previous: gap_is_blank && !out.is_empty() });
        gap_is_blank = true;
    }
    out
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// README.md, docs/*.md and examples/*/README.md that exist, sorted.
fn documents() -> Vec<PathBuf> {
    let mut docs = vec![];
    let readme = root().join("README.md");
    if readme.is_file() {
        docs.push(readme);
    }
    let mut in_docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "md")).collect())
        .unwrap_or_default();
    in_docs.sort();
    docs.extend(in_docs);
    let mut examples: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path().join("README.md"))).filter(|p| p.is_file()).collect())
        .unwrap_or_default();
    examples.sort();
    docs.extend(examples);
    docs
}

/// With `ASCRIBE_BLESS_DOCS=1`, console outputs in the documents are rewritten with
/// what the commands print now (then read the diff before committing it).
fn blessing() -> bool {
    std::env::var("ASCRIBE_BLESS_DOCS").is_ok_and(|v| v == "1")
}

/// A console output to rewrite: 0-based document lines [start, end) and the new lines.
type Rewrite = (usize, usize, String);

fn normalise(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let end = lines.iter().rposition(|l| !l.is_empty()).map(|i| i + 1).unwrap_or(0);
    lines[..end].join("\n")
}

/// Compiles a rule example the way the harness documents.
fn compile(body: &str) -> Result<(), Error> {
    Engine::builder().standard_library(!body.starts_with("// standalone")).rules_text("example.ascr", body).build().map(|_| ())
}

fn load_evidence(body: &str) -> Result<(), Error> {
    Engine::new()?.evidence().text("evidence.yaml", body).load().map(|_| ())
}

/// Splits a command line on whitespace; double quotes group words.
fn split_args(line: &str) -> Vec<String> {
    let mut args = vec![];
    let mut current = String::new();
    let mut in_quotes = false;
    let mut started = false;
    for c in line.chars() {
        match c {
            '"' => {
                in_quotes = !in_quotes;
                started = true;
            }
            c if c.is_whitespace() && !in_quotes => {
                if started {
                    args.push(std::mem::take(&mut current));
                    started = false;
                }
            }
            c => {
                current.push(c);
                started = true;
            }
        }
    }
    if started {
        args.push(current);
    }
    args
}

/// Runs the `$ ascribe` commands of a console block; returns how many ran.
fn run_console(block: &Block, place: &str, failures: &mut Vec<String>, rewrites: &mut Vec<Rewrite>) -> usize {
    let lines: Vec<&str> = block.body.lines().collect();
    let mut ran = 0;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if !line.starts_with('$') {
            i += 1;
            continue;
        }
        let command = line.trim_start_matches('$').trim();
        let command_line = block.line + 1 + i;
        i += 1;
        let mut expected_exit = 0;
        if let Some(code) = lines.get(i).and_then(|l| l.trim().strip_prefix("# exit ")) {
            match code.trim().parse::<i32>() {
                Ok(c) => expected_exit = c,
                Err(_) => failures.push(format!("{place}:{}: `# exit` needs a number", command_line + 1)),
            }
            i += 1;
        }
        let start = i;
        while i < lines.len() && !lines[i].starts_with('$') {
            i += 1;
        }
        let expected = normalise(&lines[start..i].join("\n"));
        let args = split_args(command);
        if args.first().map(String::as_str) != Some("ascribe") {
            continue;
        }
        ran += 1;
        let output = match Command::new(env!("CARGO_BIN_EXE_ascribe")).args(&args[1..]).current_dir(root()).output() {
            Ok(o) => o,
            Err(e) => {
                failures.push(format!("{place}:{command_line}: cannot run `{command}`: {e}"));
                continue;
            }
        };
        let actual = normalise(&String::from_utf8_lossy(&output.stdout));
        let code = output.status.code().unwrap_or(-1);
        if code != expected_exit {
            failures.push(format!(
                "{place}:{command_line}: `{command}` exited with {code}, expected {expected_exit}\nstderr:\n{}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        if actual != expected && blessing() {
            // Body line k sits on document line `block.line + k` (0-based).
            rewrites.push((block.line + start, block.line + i, actual.clone()));
        } else if actual != expected {
            failures.push(format!(
                "{place}:{command_line}: `{command}` printed\n{actual}\n--- but the document shows ---\n{expected}\n---\nstderr:\n{}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    ran
}

/// Checks an example that must fail, and its diagnostics when the document shows them.
fn expect_failure(result: Result<(), Error>, next: Option<&Block>, place: &str, failures: &mut Vec<String>) {
    match result {
        Ok(()) => failures.push(format!("{place}: the example should be rejected, but it is accepted")),
        Err(e) => {
            if let Some(text) = next.filter(|b| b.info == "text" && b.follows_previous) {
                let actual = normalise(&e.render());
                let expected = normalise(&text.body);
                if actual != expected {
                    failures.push(format!(
                        "{place}: the diagnostics are\n{actual}\n--- but the document (line {}) shows ---\n{expected}\n---",
                        text.line
                    ));
                }
            }
        }
    }
}

/// Runs every block of one document; returns how many were executed.
fn run_document(path: &Path, failures: &mut Vec<String>) -> usize {
    let name = path.strip_prefix(root()).unwrap_or(path).to_string_lossy().replace('\\', "/");
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            failures.push(format!("{name}: cannot read: {e}"));
            return 0;
        }
    };
    let blocks = blocks(&text);
    let mut executed = 0;
    let mut rewrites: Vec<Rewrite> = vec![];
    for (index, block) in blocks.iter().enumerate() {
        let place = format!("{name}:{}", block.line);
        let next = blocks.get(index + 1);
        match block.info.as_str() {
            "ascribe" => {
                executed += 1;
                if let Err(e) = compile(&block.body) {
                    failures.push(format!("{place}: the rule example does not compile:\n{}", e.render()));
                }
            }
            "ascribe error" => {
                executed += 1;
                expect_failure(compile(&block.body), next, &place, failures);
            }
            "yaml evidence" => {
                executed += 1;
                if let Err(e) = load_evidence(&block.body) {
                    failures.push(format!("{place}: the evidence example does not load:\n{}", e.render()));
                }
            }
            "yaml evidence error" => {
                executed += 1;
                expect_failure(load_evidence(&block.body), next, &place, failures);
            }
            "console" => {
                let ran = run_console(block, &name, failures, &mut rewrites);
                if ran > 0 {
                    executed += 1;
                }
            }
            _ => {}
        }
    }
    if !rewrites.is_empty() {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        for (start, end, actual) in rewrites.into_iter().rev() {
            let replacement: Vec<String> = actual.lines().map(str::to_string).collect();
            lines.splice(start..end.min(lines.len()), replacement);
        }
        let mut blessed = lines.join("\n");
        blessed.push('\n');
        if let Err(e) = std::fs::write(path, blessed) {
            failures.push(format!("{name}: cannot rewrite: {e}"));
        }
    }
    executed
}

#[test]
fn every_documented_example_runs() {
    let mut failures = vec![];
    let mut language_blocks = None;
    for doc in documents() {
        let executed = run_document(&doc, &mut failures);
        if doc.ends_with("docs/language.md") {
            language_blocks = Some(executed);
        }
    }
    match language_blocks {
        None => failures.push("docs/language.md is missing".into()),
        Some(n) if n < 10 => failures.push(format!("docs/language.md has {n} executed examples; it should show at least 10")),
        Some(_) => {}
    }
    assert!(failures.is_empty(), "{} documentation example(s) failed:\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn fenced_blocks_are_found_with_their_lines() {
    let text = "# Title\n\n```ascribe\nrule a {}\n```\n\n```text\nout\n```\nprose\n```console\n$ ascribe rules\n```\n";
    let found = blocks(text);
    let infos: Vec<(&str, usize, bool)> = found.iter().map(|b| (b.info.as_str(), b.line, b.follows_previous)).collect();
    assert_eq!(infos, vec![("ascribe", 3, false), ("text", 7, true), ("console", 11, false)]);
    assert_eq!(found[0].body, "rule a {}\n");
}

#[test]
fn command_lines_split_on_whitespace_and_quotes() {
    assert_eq!(split_args(r#"ascribe check --rules "a b.ascr"  x.yaml"#), vec!["ascribe", "check", "--rules", "a b.ascr", "x.yaml"]);
    assert_eq!(split_args(r#"ascribe rules """#), vec!["ascribe", "rules", ""]);
}
