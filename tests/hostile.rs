//! Hostile evidence: every output is safe whatever the text of the evidence.
//! Evidence comes from outside (vendor reports, scraped statements, documents
//! written by the very actors being attributed), so each payload below is put
//! into every text field that reaches an output (ids of sources, reports,
//! actors, incidents, artifacts and questions, names, titles, question texts,
//! persona names, event names, artifact values), and the set is evaluated in
//! every format with the built binary. Whatever the payload:
//!
//! - nothing panics, and `check` and `eval` succeed;
//! - the numbers are those of a benign value: the payload changes nothing but
//!   the displayed text (JSON, probabilities summing to 1);
//! - text has no raw control, bidi or line-separator character, and exactly
//!   the benign number of lines (no value starts a line of its own);
//! - DOT is well-formed (every quoted string closes on its line, only `\\`,
//!   `\"` and the renderer's own `\n` escapes in it) with the benign number of
//!   nodes and edges, and so is Graphviz's SVG when `dot` is installed;
//! - ProbLog has only comment and clause lines, and the clauses are those of
//!   the benign program once atoms are blanked out.

use assert_cmd::Command;
use serde_json::{json, Value};
use std::path::PathBuf;

/// The payloads, each put into every text field.
fn payloads() -> Vec<String> {
    let mut p: Vec<String> = [
        "\\\"",
        "trailing\\",
        "\\N \\G \\E \\H \\T \\L \\l \\r \\n",
        "\"];evil[label=\"x\" URL=\"javascript:alert(1)\"];x[label=\"",
        "<script>alert(1)</script>",
        "&lt;b&gt; &amp;",
        "\u{1b}[2J\u{1b}[H",
        "\u{1b}]8;;https://evil.example\u{1b}\\link\u{1b}]8;;\u{1b}\\",
        "\u{1b}]52;c;aGVsbG8=\u{7}",
        "\u{9b}31m",
        "fake\rassessment",
        "nul\0byte",
        "\u{202e}txt.exe",
        "\u{2066}iso\u{2069}\u{200f}\u{61c}",
        "line\u{2028}sep\u{2029}para\u{85}nel",
        "%\nevidence(h('beta'), true).",
        "x').\nevidence(h('beta'), true).\n% ",
        "'",
        "it's",
        "\ttab",
        "\u{e9}\u{65e5}\u{672c} \u{1f980}",
        "",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // The longest payload that keeps every id within the limit of 256 bytes
    // (longer ones are refused: `limits_refuse_longer_payloads`).
    p.push("y".repeat(126));
    p
}

/// A small evidence set touching every part of the reports (contributions,
/// an undercut, non-diagnostic evidence, an echo counted once, a withdrawn
/// report, a question not yet assessed), with `p` in every text field. Each
/// field gets `p` both before and after a tag of its own, so ids stay distinct
/// and the payload both starts and ends every value.
fn evidence(p: &str) -> String {
    let t = |tag: &str| format!("{p}{tag}{p}");
    json!({
        "sources": [
            { "id": t("S1"), "name": t("N1"), "kind": "vendor", "reliability": "B" },
            { "id": t("S2"), "name": t("N2"), "kind": "government", "reliability": "B" },
            { "id": t("S3"), "name": t("N3"), "kind": "media", "reliability": "C" }
        ],
        "actors": [
            { "id": t("AA"), "name": t("AN"), "country": "XA" },
            { "id": t("BB"), "name": t("BN"), "country": "XB" }
        ],
        "incidents": [
            { "id": t("I1"), "name": t("IN1"), "date": "2031-05-01", "victim_country": "XV" },
            { "id": t("I2"), "name": t("IN2"), "date": "2031-08-01" }
        ],
        "artifacts": [
            { "id": t("IP"), "kind": "ip", "value": t("IV") }
        ],
        "questions": [
            { "id": t("Q1"), "incident": t("I1"), "text": t("QT1"), "hypotheses": [t("AA"), t("BB")] },
            { "id": t("Q2"), "incident": t("I2"), "hypotheses": [t("AA"), t("BB")] }
        ],
        "reports": [
            { "id": t("R1"), "source": t("S1"), "date": "2031-05-03", "credibility": 2, "title": t("T1"),
              "asserts": [{ "attribution": { "incident": t("I1"), "actor": t("AA") } }] },
            { "id": t("R2"), "source": t("S1"), "date": "2031-05-04", "credibility": 2, "title": t("T2"),
              "based_on": [t("R1")],
              "asserts": [{ "attribution": { "incident": t("I1"), "actor": t("AA") } }] },
            { "id": t("R3"), "source": t("S2"), "date": "2031-05-05", "credibility": 2,
              "asserts": [
                  { "geolocation": { "artifact": t("IP"), "country": "XB" } },
                  { "observed": { "artifact": t("IP"), "incident": t("I1"), "role": "access" } }
              ] },
            { "id": t("R4"), "source": t("S3"), "date": "2031-05-06", "credibility": 3,
              "asserts": [
                  { "routing": { "actor": t("AA"), "country": "XB" } },
                  { "denial": { "incident": t("I1"), "actor": t("BB") } },
                  { "timing": { "incident": t("I1"), "event": t("EV"), "date": "2001-05-01" } },
                  { "tension": { "actor": t("BB"), "country": "XV" } }
              ] },
            { "id": t("R5"), "source": t("S3"), "date": "2031-05-07", "credibility": 3,
              "asserts": [{ "persona_claim": { "incident": t("I1"), "persona": t("PE"), "actor": t("BB") } }] },
            { "id": t("R6"), "source": t("S3"), "date": "2031-05-08", "credibility": 2, "retracts": [t("R5")] }
        ]
    })
    .to_string()
    // serde_json writes C1 controls, bidi controls and separators raw, which the
    // YAML reader refuses in a file: JSON's `\uXXXX` carries them instead.
    .chars()
    .map(|c| if c != '\n' && is_unsafe(c) { format!("\\u{:04x}", c as u32) } else { c.to_string() })
    .collect()
}

const AS_OF: &str = "2031-06-01";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn ascribe(args: &[&str], file: &PathBuf) -> Run {
    let output = Command::cargo_bin("ascribe").unwrap().args(args).arg(file).output().unwrap();
    Run {
        code: output.status.code().expect("ascribe was killed by a signal"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// The outputs of one evidence set in every format.
struct Outputs {
    text: String,
    json: String,
    dot: String,
    problog: String,
    html: String,
    markdown: String,
}

fn outputs(case: usize, p: &str) -> Outputs {
    let file = std::env::temp_dir().join(format!("ascribe-hostile-{}-{case}.json", std::process::id()));
    std::fs::write(&file, evidence(p)).unwrap();
    let check = ascribe(&["check"], &file);
    assert_eq!(check.code, 0, "payload {case} {p:.80?}: check failed:\n{}", check.stderr);
    let eval = |format: &str| {
        let run = ascribe(&["eval", "--as-of", AS_OF, "--format", format], &file);
        assert_eq!(run.code, 0, "payload {case} {p:.80?}, {format}: exit {}\n{}", run.code, run.stderr);
        run.stdout
    };
    let report = |format: &str| {
        let run = ascribe(&["report", "--as-of", AS_OF, "--format", format], &file);
        assert_eq!(run.code, 0, "payload {case} {p:.80?}, report {format}: exit {}\n{}", run.code, run.stderr);
        run.stdout
    };
    let out = Outputs {
        text: eval("text"),
        json: eval("json"),
        dot: eval("dot"),
        problog: eval("problog"),
        html: report("html"),
        markdown: report("markdown"),
    };
    let _ = std::fs::remove_file(&file);
    out
}

/// Characters that must not reach a terminal raw (the line feeds of the output
/// itself aside): C0/C1 controls, bidi controls, line and paragraph separators.
fn is_unsafe(c: char) -> bool {
    c != '\n' && ascribe::report::escape::is_unsafe(c)
}

/// Which tag a value carries (the payload around it aside), so hypotheses are
/// matched with the benign run's.
fn tag(id: &str) -> &'static str {
    ["AA", "BB"].into_iter().find(|t| id.contains(t)).unwrap_or("other")
}

/// The numbers of the JSON report, keyed by tags rather than text.
fn numbers(json: &str) -> Vec<(String, String, u64, u64, u64, usize)> {
    let v: Value = serde_json::from_str(json).expect("JSON output parses");
    let mut out = vec![];
    for q in v["questions"].as_array().expect("questions") {
        let hs = q["hypotheses"].as_array().expect("hypotheses");
        let sum: f64 = hs.iter().map(|h| h["probability"].as_f64().unwrap_or(f64::NAN)).sum();
        assert!((sum - 1.0).abs() < 1e-9, "probabilities sum to {sum}");
        for h in hs {
            let f = |k: &str| h[k].as_f64().unwrap_or(f64::NAN).to_bits();
            out.push((
                tag(h["id"].as_str().unwrap_or("")).to_string(),
                q["confidence"].as_str().unwrap_or("").to_string(),
                f("prior"),
                f("probability"),
                f("log10_odds"),
                h["contributions"].as_array().map_or(0, |c| c.len()),
            ));
        }
        out.push(("non-diagnostic".into(), String::new(), 0, 0, 0, q["non_diagnostic"].as_array().map_or(0, |a| a.len())));
        out.push(("undercut".into(), String::new(), 0, 0, 0, q["undercut"].as_array().map_or(0, |a| a.len())));
    }
    out.sort();
    out.push(("not yet".into(), String::new(), 0, 0, 0, v["not_yet"].as_array().map_or(0, |a| a.len())));
    out.push(("retracted".into(), String::new(), 0, 0, 0, v["retracted"].as_array().map_or(0, |a| a.len())));
    out
}

/// Checks a DOT graph with a small tokenizer: every line is the header, the
/// closing brace, a node `nK [label="...", shape=...];` or an edge
/// `nK -> nL [label="..."];`; every quoted string closes on its line and holds
/// only the escapes `\\`, `\"` and `\n`. Returns the node and edge counts.
fn dot_shape(dot: &str) -> (usize, usize) {
    assert!(!dot.chars().any(is_unsafe), "raw control characters in DOT");
    let (mut nodes, mut edges) = (0, 0);
    for (n, line) in dot.lines().enumerate() {
        // The line with its quoted strings blanked out.
        let mut outside = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            if c != '"' {
                outside.push(c);
                continue;
            }
            outside.push_str("\"\"");
            loop {
                match chars.next() {
                    Some('"') => break,
                    Some('\\') => match chars.next() {
                        Some('\\' | '"' | 'n') => {}
                        other => panic!("line {n}: escape \\{other:?} in a DOT string: {line:.200}"),
                    },
                    Some(_) => {}
                    None => panic!("line {n}: unterminated DOT string: {line:.200}"),
                }
            }
        }
        let words: Vec<&str> = outside.split_whitespace().collect();
        let node_name = |w: &str| w.strip_prefix('n').is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()));
        match words.as_slice() {
            ["digraph", "claims", "{"] | ["rankdir=LR;"] | ["}"] => {}
            ["node", "[fontname=\"\",", "fontsize=10];"] => {}
            [a, "[label=\"\",", shape] if node_name(a) && shape.starts_with("shape=") && shape.ends_with("];") => nodes += 1,
            [a, "->", b, "[label=\"\"];"] if node_name(a) && node_name(b) => edges += 1,
            _ => panic!("line {n} is not a DOT statement of the renderer: {line:.200}"),
        }
    }
    (nodes, edges)
}

/// Counts the nodes and edges of Graphviz's SVG, when Graphviz is installed.
fn svg_shape(dot: &str) -> Option<(usize, usize)> {
    let mut child = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    {
        use std::io::Write;
        let mut stdin = child.stdin.take()?;
        stdin.write_all(dot.as_bytes()).ok()?;
    }
    let out = child.wait_with_output().ok()?;
    assert!(out.status.success(), "dot -Tsvg failed: {}", String::from_utf8_lossy(&out.stderr));
    let svg = String::from_utf8_lossy(&out.stdout);
    assert!(!svg.contains("javascript:") || !svg.contains("<a "), "an injected link survived");
    Some((svg.matches("class=\"node\"").count(), svg.matches("class=\"edge\"").count()))
}

/// A ProbLog program with its quoted atoms blanked out: each line must be a
/// `%` comment or a clause ending in `.`, and a quoted atom must close on its
/// line. Returns the clause lines and the number of comment lines.
fn problog_shape(program: &str) -> (Vec<String>, usize) {
    assert!(!program.chars().any(is_unsafe), "raw control characters in ProbLog");
    let mut clauses = vec![];
    let mut comments = 0;
    for (n, line) in program.lines().enumerate() {
        if line.starts_with('%') {
            comments += 1;
            continue;
        }
        let mut outside = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            if c != '\'' {
                outside.push(c);
                continue;
            }
            outside.push_str("'X'");
            let mut previous = '\'';
            loop {
                match chars.next() {
                    // ProbLog's tokenizer: a quote preceded by a backslash does not close.
                    Some('\'') if previous != '\\' => break,
                    Some('\\') if previous == '\\' => previous = ' ',
                    Some(c) => previous = c,
                    None => panic!("line {n}: unterminated atom: {line:.200}"),
                }
            }
        }
        assert!(outside.ends_with('.') && !outside.contains('%'), "line {n} is not a clause: {line:.200}");
        clauses.push(outside);
    }
    (clauses, comments)
}

#[test]
fn hostile_text_changes_nothing_but_the_text() {
    let benign = outputs(0, "benign");
    let benign_numbers = numbers(&benign.json);
    let benign_lines = benign.text.lines().count();
    let benign_dot = dot_shape(&benign.dot);
    let benign_svg = svg_shape(&benign.dot);
    let benign_problog = problog_shape(&benign.problog);
    let benign_html = html_shape(&benign.html);
    let benign_markdown = markdown_shape(&benign.markdown);
    // The benign set exercises what it should.
    assert!(benign.text.contains("undercut:") && benign.text.contains("non-diagnostic") && benign.text.contains("withdrawn"));
    assert!(benign.text.contains("not yet assessed") && benign.text.contains("counted once with"));

    for (case, p) in payloads().iter().enumerate() {
        let case = case + 1;
        let out = outputs(case, p);
        let what = format!("payload {case} {p:.60?}");

        assert_eq!(numbers(&out.json), benign_numbers, "{what}: the numbers moved");
        let v: Value = serde_json::from_str(&out.json).unwrap_or(Value::Null);
        assert!(v["questions"][0]["id"].as_str().is_some_and(|id| id == format!("{p}Q1{p}")), "{what}: JSON keeps the text as is");

        assert!(!out.text.chars().any(is_unsafe), "{what}: raw control characters in text");
        assert_eq!(out.text.lines().count(), benign_lines, "{what}: text lines added or removed");
        for fragment in p.split(['\n', '\r', '\u{2028}', '\u{2029}', '\u{85}']).skip(1).filter(|f| !f.trim().is_empty()) {
            assert!(!out.text.lines().any(|l| l.trim_start().starts_with(fragment.trim())), "{what}: a line starts with {fragment:?}");
        }

        assert_eq!(dot_shape(&out.dot), benign_dot, "{what}: DOT nodes or edges differ");
        if let Some(svg) = benign_svg {
            if p.len() < 1000 {
                assert_eq!(svg_shape(&out.dot), Some(svg), "{what}: SVG nodes or edges differ");
            }
        }

        assert_eq!(problog_shape(&out.problog), benign_problog, "{what}: ProbLog clauses differ");

        assert_eq!(html_shape(&out.html), benign_html, "{what}: HTML elements or attributes differ");
        assert!(!out.html.chars().any(is_unsafe), "{what}: raw control or bidi characters in HTML");
        assert_eq!(markdown_shape(&out.markdown), benign_markdown, "{what}: Markdown lines, cells or code spans differ");
        assert!(!out.markdown.chars().any(is_unsafe), "{what}: raw control or bidi characters in Markdown");
    }
}

/// The elements of an HTML page in order, each with its attribute names, and
/// the entities used: text that could open a tag, close an attribute or start
/// an entity would change it.
fn html_shape(html: &str) -> Vec<String> {
    let mut shape = vec![];
    let mut rest = html;
    while let Some(start) = rest.find(['<', '&']) {
        rest = &rest[start..];
        if rest.starts_with('&') {
            let end = rest.find(';').unwrap_or(rest.len());
            assert!(end < 8, "a bare & in HTML: {:.40}", rest);
            rest = &rest[1..];
            continue;
        }
        let end = rest.find('>').expect("every tag closes");
        let tag = &rest[1..end];
        // Attribute names only: values are quoted and may hold escaped text.
        let mut names = vec![];
        let mut in_quote = false;
        let mut word = String::new();
        for c in tag.chars() {
            match c {
                '"' => in_quote = !in_quote,
                _ if in_quote => {}
                '=' | ' ' | '/' => {
                    if !word.is_empty() {
                        names.push(std::mem::take(&mut word));
                    }
                }
                c => word.push(c),
            }
        }
        if !word.is_empty() {
            names.push(word);
        }
        assert!(!in_quote, "an attribute value does not close: <{tag:.80}>");
        shape.push(names.join(" "));
        rest = &rest[end + 1..];
    }
    assert!(!shape.iter().any(|t| t.starts_with("script")), "a script element");
    shape
}

/// Per line of Markdown: the number of cell separators and code-span backticks
/// not escaped by a backslash, and whether it starts a block (heading, list, table).
fn markdown_shape(markdown: &str) -> Vec<(usize, usize, String)> {
    markdown
        .lines()
        .map(|line| {
            let chars: Vec<char> = line.chars().collect();
            let unescaped = |target: char| {
                (0..chars.len())
                    .filter(|&i| chars[i] == target && chars[..i].iter().rev().take_while(|&&b| b == '\\').count() % 2 == 0)
                    .count()
            };
            let start: String = line.chars().take_while(|c| matches!(c, '#' | '-' | '|' | ' ' | '*')).collect();
            (unescaped('|'), unescaped('`'), start)
        })
        .collect()
}

/// A payload past the limits (ids 256 bytes, texts 64 KiB) is refused with an
/// error naming the field and the limit, in every text field.
#[test]
fn limits_refuse_longer_payloads() {
    for (case, p) in [(1, "y".repeat(200)), (2, "y".repeat(70_000))] {
        let file = std::env::temp_dir().join(format!("ascribe-hostile-limits-{}-{case}.json", std::process::id()));
        std::fs::write(&file, evidence(&p)).unwrap();
        let check = ascribe(&["check"], &file);
        assert_eq!(check.code, 1, "{}", check.stderr);
        assert!(check.stderr.contains("longer than the limit of"), "{}", check.stderr);
        assert!(check.stderr.contains(".id") || check.stderr.contains("sources[0]"), "{}", check.stderr);
        let _ = std::fs::remove_file(&file);
    }
}

/// Ids and names longer than std's formatter can pad (65,535) in the text
/// report and the rule listing.
#[test]
fn very_long_ids_and_rule_ids_are_padded_without_panicking() {
    let dir = std::env::temp_dir().join(format!("ascribe-hostile-rules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let rules = dir.join("long.ascr");
    let id = format!("long.{}", "r".repeat(70_000));
    let title = "a title with \u{1b}[2J, \\u{202e} and a \\n break";
    std::fs::write(
        &rules,
        format!(
            "rule {id} {{\n  title \"{}\"\n  when {{ attribution(incident: ?i, actor: ?a) }}\n  then {{ support ?a for ?i by lr 2 }}\n  because \"{{a}}\"\n}}\n",
            title.replace("\\u{202e}", "\u{202e}")
        ),
    )
    .unwrap();
    let output = Command::cargo_bin("ascribe").unwrap().args(["rules", "--rules"]).arg(&rules).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let listing = String::from_utf8(output.stdout).unwrap();
    assert!(listing.contains(&id));
    assert!(!listing.chars().any(is_unsafe), "raw control characters in the rule listing");
    let line = listing.lines().find(|l| l.contains("a title")).unwrap_or("");
    let title_shown = line.rsplit("  ").next().unwrap_or("");
    assert!(title_shown.contains("\\u{1b}[2J") && title_shown.contains("\\u{202e}"), "{title_shown:?}");
    let shown = Command::cargo_bin("ascribe").unwrap().args(["rules", "--rules"]).arg(&rules).arg(&id).output().unwrap();
    assert_eq!(shown.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&shown.stdout).chars().any(is_unsafe));
    let _ = std::fs::remove_dir_all(&dir);
}

/// miette panicked on a label past column 65,535, and the evidence locator
/// sliced past a line's end or inside a character: each of these exited 101.
#[test]
fn panics_found_by_fuzzing_are_diagnostics() {
    // Texts are at most 64 KiB, so the line is made long with blanks.
    let long_line = format!("{{\"case\": \"x\",{} \"reports\": [{{\"id\": \"r1\", \"source\": \"nope\"}}]}}", " ".repeat(70_000));
    let cases: [(&str, String, &str); 4] = [
        ("long.json", long_line, "long.json:1:70027"),
        ("flow.yaml", "reports: [{id: r1, source: a},\n  {id: r2, source: zz}]\n".to_string(), "flow.yaml"),
        ("dup.json", "{\"reports\": [{\"id\": \"\u{e9}\"},\n {\"id\": \"\u{e9}\"}]}".to_string(), "dup.json"),
        ("key.json", "{\"reports\": [{\"id\": \"r\"}, \n{\"\u{e9}\": 1}]}".to_string(), "key.json"),
    ];
    let dir = std::env::temp_dir().join(format!("ascribe-hostile-panics-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text, position) in cases {
        let file = dir.join(name);
        std::fs::write(&file, &text).unwrap();
        let run = ascribe(&["check"], &file);
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert!(run.stderr.contains(position) && run.stderr.contains("evidence error"), "{name}: {}", run.stderr);
        assert!(run.stderr.lines().all(|l| l.chars().count() < 1000), "{name}: the whole long line was quoted");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Diagnostics quote evidence (ids, keys, the source line): never raw.
#[test]
fn diagnostics_quote_hostile_evidence_escaped() {
    let file = std::env::temp_dir().join(format!("ascribe-hostile-diag-{}.yaml", std::process::id()));
    let text = "sources: [{id: a, kind: vendor, reliability: B}]\nreports:\n  - {id: \"r\u{202e}1\", source: \"z\u{202e}z\", date: 2031-01-01, credibility: 2, title: \"\\e[2J\\r\\n\"}\n  - {id: r2, source: \"\\e]8;;http://evil\\e\\\\x\\rfake\", date: 2031-01-01, credibility: 2}\n";
    std::fs::write(&file, text).unwrap();
    let run = ascribe(&["check"], &file);
    let _ = std::fs::remove_file(&file);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.chars().any(is_unsafe), "raw control characters on stderr: {:?}", run.stderr);
    assert!(run.stderr.contains("z\\u{202e}z") && run.stderr.contains("\\u{1b}]8;;http://evil"), "{}", run.stderr);
}
