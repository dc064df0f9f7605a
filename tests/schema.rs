//! The JSON Schema of evidence files (schema/evidence.schema.json) and the
//! field tables of docs/evidence.md are generated from the built-in evidence
//! model. These tests fail when the committed copies are stale, and check the
//! schema against what the loader accepts and rejects.
//!
//! Regenerate both with:
//!
//!     cargo test --test schema -- --ignored regenerate

use ascribe::language::{self, library};
use ascribe::prelude::*;
use ascribe::schema_json::{self, SCHEMA_PATH, TABLES_BEGIN, TABLES_END};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

const REGENERATE: &str = "cargo test --test schema -- --ignored regenerate";
const DOC_PATH: &str = "docs/evidence.md";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

fn generated_schema() -> String {
    schema_json::json_schema(&Schema::standard())
}

/// docs/evidence.md with its generated region replaced by the current tables.
fn doc_with_tables(doc: &str) -> Option<String> {
    let start = doc.find(TABLES_BEGIN)? + TABLES_BEGIN.len();
    let end = doc[start..].find(TABLES_END)? + start;
    let tables = schema_json::markdown_tables(&Schema::standard());
    Some(format!("{}\n\n{tables}\n{}", &doc[..start], &doc[end..]))
}

#[test]
fn committed_schema_is_current() {
    let committed = read(SCHEMA_PATH).replace("\r\n", "\n");
    assert!(committed == generated_schema(), "{SCHEMA_PATH} is out of date with src/schema.rs; regenerate it with `{REGENERATE}`");
}

#[test]
fn documented_tables_are_current() {
    let doc = read(DOC_PATH).replace("\r\n", "\n");
    let Some(current) = doc_with_tables(&doc) else {
        panic!("{DOC_PATH} needs the markers `{TABLES_BEGIN}` and `{TABLES_END}` around the generated tables");
    };
    assert!(current == doc, "the field tables in {DOC_PATH} are out of date with src/schema.rs; regenerate them with `{REGENERATE}`");
}

/// Writes schema/evidence.schema.json and the tables of docs/evidence.md.
#[test]
#[ignore = "writes files; run to regenerate"]
fn regenerate() {
    let path = root().join(SCHEMA_PATH);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(&path, generated_schema()).unwrap();
    let doc = read(DOC_PATH);
    let updated = doc_with_tables(&doc).unwrap_or_else(|| panic!("{DOC_PATH} has no generated-tables markers"));
    std::fs::write(root().join(DOC_PATH), updated).unwrap();
}

// A checker for the subset of JSON Schema (draft 2020-12) the generator emits.
// It refuses keywords it does not know, so the generator cannot start using one
// that nothing checks.

struct Checker<'a> {
    root: &'a Json,
}

impl Checker<'_> {
    fn check(&self, schema: &Json, value: &Json, path: &str, errors: &mut Vec<String>) {
        let Json::Object(keywords) = schema else { panic!("a schema must be an object, found {schema}") };
        for (keyword, arg) in keywords {
            match keyword.as_str() {
                "$schema" | "title" | "description" | "default" | "$defs" => {}
                "$ref" => {
                    let name = arg.as_str().and_then(|r| r.strip_prefix("#/$defs/")).unwrap_or_else(|| panic!("unsupported $ref {arg}"));
                    let target = &self.root["$defs"][name];
                    assert!(!target.is_null(), "dangling $ref {arg}");
                    self.check(target, value, path, errors);
                }
                "type" => {
                    let types: Vec<&str> = match arg {
                        Json::String(t) => vec![t.as_str()],
                        Json::Array(ts) => ts.iter().map(|t| t.as_str().unwrap()).collect(),
                        _ => panic!("bad type {arg}"),
                    };
                    if !types.iter().any(|t| has_type(value, t)) {
                        errors.push(format!("{path}: expected {}, found {value}", types.join(" or ")));
                    }
                }
                "enum" => {
                    if !arg.as_array().unwrap().iter().any(|v| same(v, value)) {
                        errors.push(format!("{path}: {value} is not one of {arg}"));
                    }
                }
                "const" => {
                    if !same(arg, value) {
                        errors.push(format!("{path}: {value} is not {arg}"));
                    }
                }
                "pattern" => {
                    if let Json::String(text) = value {
                        if !pattern_matches(arg.as_str().unwrap(), text) {
                            errors.push(format!("{path}: `{text}` does not match {arg}"));
                        }
                    }
                }
                "properties" | "additionalProperties" | "required" | "minProperties" | "maxProperties" => {
                    if let Json::Object(map) = value {
                        self.object_keyword(keyword, arg, keywords, map, path, errors);
                    }
                }
                "items" => {
                    if let Json::Array(items) = value {
                        for (i, item) in items.iter().enumerate() {
                            self.check(arg, item, &format!("{path}[{i}]"), errors);
                        }
                    }
                }
                "minItems" => {
                    if let Json::Array(items) = value {
                        if (items.len() as u64) < arg.as_u64().unwrap() {
                            errors.push(format!("{path}: needs at least {arg} items"));
                        }
                    }
                }
                "exclusiveMinimum" | "exclusiveMaximum" | "minimum" | "maximum" => {
                    if let Some(n) = value.as_f64() {
                        let bound = arg.as_f64().unwrap();
                        let ok = match keyword.as_str() {
                            "exclusiveMinimum" => n > bound,
                            "exclusiveMaximum" => n < bound,
                            "minimum" => n >= bound,
                            _ => n <= bound,
                        };
                        if !ok {
                            errors.push(format!("{path}: {n} is out of range ({keyword} {bound})"));
                        }
                    }
                }
                "anyOf" => {
                    let any = arg.as_array().unwrap().iter().any(|s| {
                        let mut inner = vec![];
                        self.check(s, value, path, &mut inner);
                        inner.is_empty()
                    });
                    if !any {
                        errors.push(format!("{path}: {value} matches none of the alternatives"));
                    }
                }
                "not" => {
                    let mut inner = vec![];
                    self.check(arg, value, path, &mut inner);
                    if inner.is_empty() {
                        errors.push(format!("{path}: {value} is not allowed"));
                    }
                }
                other => panic!("the checker does not support the keyword `{other}`"),
            }
        }
    }

    fn object_keyword(
        &self,
        keyword: &str,
        arg: &Json,
        keywords: &serde_json::Map<String, Json>,
        map: &serde_json::Map<String, Json>,
        path: &str,
        errors: &mut Vec<String>,
    ) {
        let child = |key: &str| if path.is_empty() { key.to_string() } else { format!("{path}.{key}") };
        match keyword {
            "properties" => {
                for (key, schema) in arg.as_object().unwrap() {
                    if let Some(v) = map.get(key) {
                        self.check(schema, v, &child(key), errors);
                    }
                }
            }
            "additionalProperties" => {
                assert_eq!(arg, &Json::Bool(false), "only additionalProperties: false is supported");
                let known = keywords.get("properties").and_then(Json::as_object);
                for key in map.keys() {
                    if !known.is_some_and(|k| k.contains_key(key)) {
                        errors.push(format!("{}: unknown key", child(key)));
                    }
                }
            }
            "required" => {
                for key in arg.as_array().unwrap() {
                    let key = key.as_str().unwrap();
                    if !map.contains_key(key) {
                        errors.push(format!("{path}: `{key}` is required"));
                    }
                }
            }
            "minProperties" if (map.len() as u64) < arg.as_u64().unwrap() => errors.push(format!("{path}: too few keys")),
            "maxProperties" if (map.len() as u64) > arg.as_u64().unwrap() => errors.push(format!("{path}: too many keys")),
            _ => {}
        }
    }
}

fn has_type(value: &Json, ty: &str) -> bool {
    match ty {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.as_f64().is_some_and(|n| n.fract() == 0.0),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        other => panic!("unknown type {other}"),
    }
}

/// JSON equality, with numbers compared by value (2 == 2.0).
fn same(a: &Json, b: &Json) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// Anchored patterns built from literal characters and `[0-9]`, each
/// optionally repeated `{n}` times: all the generator needs.
fn pattern_matches(pattern: &str, text: &str) -> bool {
    let body = pattern.strip_prefix('^').and_then(|p| p.strip_suffix('$')).unwrap_or_else(|| panic!("unanchored pattern {pattern}"));
    let mut atoms: Vec<(Option<char>, usize)> = vec![];
    let mut rest = body;
    while !rest.is_empty() {
        let atom = if let Some(r) = rest.strip_prefix("[0-9]") {
            rest = r;
            None
        } else {
            let c = rest.chars().next().unwrap();
            assert!(!"[]{}()*+?.|\\".contains(c), "unsupported pattern syntax in {pattern}");
            rest = &rest[c.len_utf8()..];
            Some(c)
        };
        let mut count = 1;
        if let Some(r) = rest.strip_prefix('{') {
            let end = r.find('}').unwrap();
            count = r[..end].parse().unwrap();
            rest = &r[end + 1..];
        }
        atoms.push((atom, count));
    }
    let mut chars = text.chars();
    for (atom, count) in atoms {
        for _ in 0..count {
            match (atom, chars.next()) {
                (None, Some(c)) if c.is_ascii_digit() => {}
                (Some(a), Some(c)) if a == c => {}
                _ => return false,
            }
        }
    }
    chars.next().is_none()
}

fn committed_schema() -> Json {
    serde_json::from_str(&read(SCHEMA_PATH)).unwrap_or_else(|e| panic!("{SCHEMA_PATH} is not valid JSON: {e}"))
}

/// Schema violations of an evidence text (YAML or JSON).
fn violations(schema: &Json, text: &str) -> Vec<String> {
    let document: Json = serde_yaml::from_str(text).unwrap_or_else(|e| panic!("not YAML: {e}"));
    let mut errors = vec![];
    Checker { root: schema }.check(schema, &document, "", &mut errors);
    errors
}

fn loads(text: &str) -> Result<(), String> {
    let mut sources = Sources::default();
    let program = language::compile(library::standard(), &mut sources).map_err(|d| d.render(&sources))?;
    let id = sources.add("evidence.yaml", text);
    ascribe::evidence::load(&[id], &sources, &program.schema).map(|_| ()).map_err(|d| d.render(&sources))
}

/// Evidence files under a folder, recursively, sorted.
fn evidence_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            evidence_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "yaml" || x == "yml" || x == "json") {
            out.push(path);
        }
    }
}

#[test]
fn the_korean_example_conforms() {
    let errors = violations(&committed_schema(), &read("examples/korea-2013/evidence.yaml"));
    assert!(errors.is_empty(), "examples/korea-2013/evidence.yaml does not conform:\n{}", errors.join("\n"));
}

/// Every example evidence file that the loader accepts on its own conforms to
/// the schema: the schema is never stricter than the loader on real files.
#[test]
fn every_loadable_example_conforms() {
    let schema = committed_schema();
    let mut files = vec![];
    evidence_files(&root().join("examples"), &mut files);
    evidence_files(&root().join("docs/examples"), &mut files);
    let mut checked = 0;
    let mut failures = vec![];
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        if loads(&text).is_err() {
            continue; // part of a multi-file set, or an example of an error
        }
        if ascribe::interop::stix::is_bundle(&text) {
            continue; // a STIX bundle, read through the importer (docs/stix.md)
        }
        checked += 1;
        let errors = violations(&schema, &text);
        if !errors.is_empty() {
            failures.push(format!("{}:\n{}", file.display(), errors.join("\n")));
        }
    }
    assert!(checked >= 3, "only {checked} example files were checked");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Every `yaml evidence` block of the documentation conforms too.
#[test]
fn every_documented_evidence_example_conforms() {
    let schema = committed_schema();
    let mut docs = vec![root().join("README.md")];
    if let Ok(entries) = std::fs::read_dir(root().join("docs")) {
        docs.extend(entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "md")));
    }
    docs.sort();
    let mut failures = vec![];
    for doc in docs {
        let Ok(text) = std::fs::read_to_string(&doc) else { continue };
        for (info, line, block) in fenced_blocks(&text) {
            if info != "yaml evidence" {
                continue;
            }
            let errors = violations(&schema, &block);
            if !errors.is_empty() {
                failures.push(format!("{}:{line}:\n{}", doc.display(), errors.join("\n")));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The fenced blocks of a Markdown text: info string, line of the fence, body.
fn fenced_blocks(text: &str) -> Vec<(String, usize, String)> {
    let mut out = vec![];
    let mut lines = text.lines().enumerate();
    while let Some((i, line)) = lines.next() {
        let Some(info) = line.strip_prefix("```") else { continue };
        let mut body = String::new();
        for (_, inner) in lines.by_ref() {
            if inner.trim_end() == "```" {
                break;
            }
            body.push_str(inner);
            body.push('\n');
        }
        out.push((info.trim().to_string(), i + 1, body));
    }
    out
}

/// The examples of docs/evidence.md that stand for files run by its commands
/// show those files exactly: YAML ones name their file (`# file: PATH`), JSON
/// ones are a file of docs/examples/evidence/.
#[test]
fn documented_files_match_their_copies() {
    let doc = read(DOC_PATH);
    let mut shown = 0;
    for (info, line, block) in fenced_blocks(&doc) {
        if info == "json" {
            let mut files = vec![];
            evidence_files(&root().join("docs/examples/evidence"), &mut files);
            let found = files.iter().any(|f| std::fs::read_to_string(f).is_ok_and(|t| t == block));
            assert!(found, "{DOC_PATH}:{line}: the JSON example is not a copy of a file in docs/examples/evidence/");
            shown += 1;
            continue;
        }
        let Some(path) = block.lines().find_map(|l| l.strip_prefix("# file: ")) else { continue };
        let path = path.split_whitespace().next().unwrap();
        assert_eq!(block, read(path), "{DOC_PATH}:{line} differs from {path}");
        shown += 1;
    }
    assert!(shown >= 5, "{DOC_PATH} shows only {shown} example files");
}

/// Mutations of a valid file that the loader rejects: the schema rejects them too.
#[test]
fn the_schema_rejects_what_the_loader_rejects() {
    let schema = committed_schema();
    let valid = read("docs/examples/evidence/minimal.yaml");
    assert_eq!(loads(&valid), Ok(()));
    assert_eq!(violations(&schema, &valid), Vec::<String>::new());
    let cases = [
        ("reliability: B", "reliability: G"),
        ("credibility: 2", "credibility: 7"),
        ("credibility: 2", "credibility: 2.5"),
        ("credibility: 2", "credibility: \"2\""),
        ("date: 2031-05-01", "date: 2031-5-1"),
        ("date: 2031-05-01", "date: 2031-05-01T00:00"),
        ("    country: XA\n", "    country: XA\n    colour: red\n"),
        ("hypotheses: [alpha, beta]", "hypotheses: []"),
        ("hypotheses: [alpha, beta]", "hypotheses: [alpha, other]"),
        ("hypotheses: [alpha, beta]", "hypotheses: [{actor: alpha, prior: 1.5}]"),
        ("hypotheses: [alpha, beta]", "hypotheses: [{actor: alpha, weight: 0.5}]"),
        ("      - attribution: { incident: outage, actor: alpha }", "      - attribution: { incident: outage }"),
        (
            "      - attribution: { incident: outage, actor: alpha }",
            "      - attribution: { incident: outage, actor: alpha, report: lab-note }",
        ),
        ("      - attribution: { incident: outage, actor: alpha }", "      - attributed: { incident: outage, actor: alpha }"),
        (
            "      - attribution: { incident: outage, actor: alpha }",
            "      - attribution: { incident: outage, actor: alpha }\n        denial: { incident: outage, actor: beta }",
        ),
        ("  - id: lab\n    name: Example Lab\n", "  - name: Example Lab\n"),
        ("reports:", "report:"),
        ("reports:\n", "reports: none\nunused:\n"),
        ("    title: Example Lab names Actor Alpha\n", "    title: [not, text]\n"),
    ];
    for (from, to) in cases {
        assert!(valid.contains(from), "{from}");
        let text = valid.replacen(from, to, 1);
        assert!(loads(&text).is_err(), "the loader accepts the mutation `{to}`");
        assert!(!violations(&schema, &text).is_empty(), "the schema accepts the mutation `{to}`, which the loader rejects");
    }
}

#[test]
fn every_section_can_be_written() {
    let schema = committed_schema();
    for section in &schema_json::SECTIONS {
        let text = match section.item {
            None => format!("{}: some text\n", section.name),
            Some(_) => format!("{}: []\n", section.name),
        };
        assert_eq!(loads(&text), Ok(()), "{text}");
        assert!(violations(&schema, &text).is_empty(), "{text}");
    }
}

#[test]
fn every_assertion_type_is_described() {
    let schema = committed_schema();
    let standard = Schema::standard();
    for (_, spec) in standard.types() {
        let described = &schema["$defs"][&spec.name];
        match spec.kind {
            TypeKind::Assertion => {
                assert!(!schema["$defs"]["assertion"]["properties"][&spec.name].is_null(), "{}", spec.name);
                let properties = described["properties"].as_object().unwrap();
                let expected: BTreeSet<&str> = spec.field_names().filter(|n| *n != "report").collect();
                assert_eq!(properties.keys().map(String::as_str).collect::<BTreeSet<_>>(), expected, "{}", spec.name);
            }
            TypeKind::Entity => assert!(described.is_object(), "{}", spec.name),
            TypeKind::Finding => {}
        }
    }
    assert_eq!(schema["$defs"]["source"]["properties"]["reliability"]["enum"], serde_json::json!(["A", "B", "C", "D", "E", "F"]));
    assert_eq!(schema["$defs"]["report"]["properties"]["credibility"]["enum"], serde_json::json!([1, 2, 3, 4, 5, 6]));
    assert_eq!(schema["$defs"]["date"]["pattern"], "^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
}

#[test]
fn the_checker_checks() {
    assert!(pattern_matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "2013-03-20"));
    assert!(!pattern_matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "2013-03-2"));
    assert!(!pattern_matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "2013-03-200"));
    assert!(!pattern_matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "2013/03/20"));
    let schema = committed_schema();
    assert!(violations(&schema, "sources: [{id: s, kind: vendor, reliability: A}]").is_empty());
    assert_eq!(violations(&schema, "sources: [{id: s, kind: vendor}]"), vec!["sources[0]: `reliability` is required"]);
    assert_eq!(violations(&schema, "sources: 3"), vec!["sources: expected array or null, found 3"]);
}
