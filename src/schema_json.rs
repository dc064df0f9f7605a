//! The evidence file format, generated from the built-in [`Schema`]: a JSON
//! Schema (draft 2020-12) for editors and validators, committed as
//! `schema/evidence.schema.json`, and the field tables of `docs/evidence.md`.
//!
//! Both are generated so that neither can drift from what the loader accepts;
//! `tests/schema.rs` fails when the committed copies differ and tells how to
//! regenerate them (`cargo test --test schema -- --ignored regenerate`).

use crate::scales;
use crate::schema::{FieldSpec, FieldType, Schema, TypeKind, TypeSpec, REPORT_FIELD};
use std::fmt::Write;

/// Where the generated JSON Schema is committed, relative to the repository root.
pub const SCHEMA_PATH: &str = "schema/evidence.schema.json";

/// The markers around the generated tables in docs/evidence.md.
pub const TABLES_BEGIN: &str = "<!-- BEGIN GENERATED: evidence tables (cargo test --test schema -- --ignored regenerate) -->";
pub const TABLES_END: &str = "<!-- END GENERATED: evidence tables -->";

/// The pattern of a date (the loader also checks that the day exists).
pub const DATE_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

/// One top-level section of an evidence file.
pub struct Section {
    pub name: &'static str,
    /// The entity type of its items; `None` for the free-text sections.
    pub item: Option<&'static str>,
    pub doc: &'static str,
}

/// The sections of an evidence file, in the order the documentation lists them.
pub const SECTIONS: [Section; 8] = [
    Section { name: "case", item: None, doc: "A title for the evidence set (not evaluated)." },
    Section { name: "description", item: None, doc: "Free text about the evidence set (not evaluated)." },
    Section { name: "sources", item: Some("source"), doc: "The graded sources that make reports." },
    Section { name: "actors", item: Some("actor"), doc: "The candidate responsible parties." },
    Section { name: "incidents", item: Some("incident"), doc: "The attacks to be attributed." },
    Section { name: "artifacts", item: Some("artifact"), doc: "Things observed: addresses, domains, malware, code, tools, strings." },
    Section { name: "questions", item: Some("question"), doc: "Who is responsible for an incident, among which hypotheses." },
    Section { name: "reports", item: Some("report"), doc: "Dated statements by sources, with the assertions they make." },
];

/// Keys of a type that the loader reads besides the schema's fields:
/// (type, key, JSON Schema of the value, type label for the tables, required, doc).
struct Extra {
    ty: &'static str,
    key: &'static str,
    schema: fn() -> Json,
    label: &'static str,
    required: bool,
    doc: &'static str,
}

const EXTRAS: [Extra; 6] = [
    Extra {
        ty: "question",
        key: "text",
        schema: string,
        label: "text",
        required: false,
        doc: "the question as the report should print it",
    },
    Extra {
        ty: "question",
        key: "hypotheses",
        schema: hypotheses,
        label: "list of hypotheses",
        required: true,
        doc: "the named candidates: actor ids, or `{actor: ID, prior: P}`; the catch-all `other` is added automatically",
    },
    Extra {
        ty: "question",
        key: "other_prior",
        schema: probability,
        label: "number",
        required: false,
        doc: "the prior of the catch-all `other` on its own; named hypotheses without a prior share the rest evenly",
    },
    Extra {
        ty: "report",
        key: "asserts",
        schema: asserts,
        label: "list of assertions",
        required: false,
        doc: "what the report states, one assertion per item, e.g. `- geolocation: {artifact: ip-1, country: XA}`",
    },
    Extra {
        ty: "report",
        key: "retracts",
        schema: report_ids,
        label: "report id(s)",
        required: false,
        doc: "reports this one withdraws: from its date on they no longer count",
    },
    Extra {
        ty: "report",
        key: "based_on",
        schema: report_ids,
        label: "report id(s)",
        required: false,
        doc: "reports whose observations this one repeats: it holds exactly when one of them does, so it adds no independent weight",
    },
];

/// A JSON value with its keys in the order written, rendered the same way
/// whatever features serde_json is built with.
#[derive(Clone, Debug)]
enum Json {
    Bool(bool),
    Int(i64),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

fn s(text: &str) -> Json {
    Json::Str(text.to_string())
}

fn object(entries: Vec<(&str, Json)>) -> Json {
    Json::Object(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn reference(def: &str) -> Json {
    object(vec![("$ref", s(&format!("#/$defs/{def}")))])
}

fn string() -> Json {
    object(vec![("type", s("string"))])
}

fn report_ids() -> Json {
    reference("report_ids")
}

fn asserts() -> Json {
    object(vec![("type", s("array")), ("items", reference("assertion"))])
}

fn probability() -> Json {
    object(vec![("type", s("number")), ("exclusiveMinimum", Json::Int(0)), ("exclusiveMaximum", Json::Int(1))])
}

fn hypotheses() -> Json {
    object(vec![("type", s("array")), ("minItems", Json::Int(1)), ("items", reference("hypothesis"))])
}

impl Json {
    fn render(&self, out: &mut String, indent: usize) {
        match self {
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Int(n) => {
                let _ = write!(out, "{n}");
            }
            Json::Str(text) => quote(text, out),
            Json::Array(items) if items.iter().all(|i| !matches!(i, Json::Array(_) | Json::Object(_))) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.render(out, indent);
                }
                out.push(']');
            }
            Json::Array(items) => {
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    push_indent(out, indent + 1);
                    item.render(out, indent + 1);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                push_indent(out, indent);
                out.push(']');
            }
            Json::Object(entries) if entries.is_empty() => out.push_str("{}"),
            Json::Object(entries) => {
                out.push_str("{\n");
                for (i, (key, value)) in entries.iter().enumerate() {
                    push_indent(out, indent + 1);
                    quote(key, out);
                    out.push_str(": ");
                    value.render(out, indent + 1);
                    out.push_str(if i + 1 < entries.len() { ",\n" } else { "\n" });
                }
                push_indent(out, indent);
                out.push('}');
            }
        }
    }
}

fn push_indent(out: &mut String, indent: usize) {
    for _ in 0..indent {
        out.push_str("  ");
    }
}

fn quote(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// "a source", "an incident".
fn article(name: &str) -> String {
    let an = name.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {name}", if an { "an" } else { "a" })
}

/// Admiralty reliability grades the loader accepts, A to F.
fn reliability_grades() -> Vec<String> {
    ('A'..='Z').map(String::from).filter(|g| scales::reliability_weight(g).is_some()).collect()
}

/// Admiralty credibility grades the loader accepts, 1 to 6.
fn credibility_grades() -> Vec<i64> {
    (0..=u8::MAX).filter(|g| scales::credibility_weight(*g).is_some()).map(i64::from).collect()
}

/// The JSON Schema of one field's value.
fn field_schema(ty: &TypeSpec, field: &FieldSpec) -> Json {
    let mut entries: Vec<(&str, Json)> = vec![];
    let description = match &field.ty {
        FieldType::Ref(kind) => format!("{} (the id of {})", field.doc, article(kind)),
        _ => field.doc.to_string(),
    };
    entries.push(("description", s(&description)));
    match (ty.name.as_str(), field.name.as_str(), &field.ty) {
        ("source", "reliability", _) => {
            entries.push(("type", s("string")));
            entries.push(("enum", Json::Array(reliability_grades().iter().map(|g| s(g)).collect())));
        }
        ("report", "credibility", _) => {
            entries.push(("type", s("integer")));
            entries.push(("enum", Json::Array(credibility_grades().into_iter().map(Json::Int).collect())));
        }
        (_, _, FieldType::Text) if field.vocabulary.is_some() => {
            entries.push(("type", s("string")));
            entries.push(("enum", Json::Array(field.vocabulary.unwrap_or_default().iter().map(|w| s(w)).collect())));
            if let Some(default) = field.default {
                entries.push(("default", s(default)));
            }
        }
        (_, _, FieldType::Text | FieldType::Ref(_)) => entries.push(("type", s("string"))),
        (_, _, FieldType::Number) => {
            entries.push(("type", s("number")));
            // The loader's ranges (`schema::Range`), all whole numbers; `at_most`
            // (another field of the same fact) has no JSON Schema keyword.
            if let Some(range) = field.range {
                if let Some(lo) = range.min {
                    entries.push(("minimum", Json::Int(lo as i64)));
                }
                if let Some(hi) = range.max {
                    entries.push(("maximum", Json::Int(hi as i64)));
                }
            }
        }
        (_, _, FieldType::Bool) => entries.push(("type", s("boolean"))),
        (_, _, FieldType::Date) => entries.push(("$ref", s("#/$defs/date"))),
        (_, _, FieldType::List) => {
            entries.push(("type", s("array")));
            entries.push(("items", string()));
        }
    }
    object(entries)
}

/// The fields of a type as written in a file: an assertion's `report` is
/// implicit (the report it appears under).
fn written_fields(ty: &TypeSpec) -> impl Iterator<Item = &FieldSpec> {
    ty.fields.iter().filter(move |f| !(ty.kind == TypeKind::Assertion && f.name == REPORT_FIELD))
}

fn extras(ty: &TypeSpec) -> impl Iterator<Item = &'static Extra> + '_ {
    EXTRAS.iter().filter(move |e| e.ty == ty.name)
}

/// The JSON Schema of one entity or assertion type.
fn type_schema(ty: &TypeSpec) -> Json {
    let mut properties: Vec<(String, Json)> = written_fields(ty).map(|f| (f.name.clone(), field_schema(ty, f))).collect();
    let mut required: Vec<Json> = written_fields(ty).filter(|f| f.required).map(|f| s(&f.name)).collect();
    for extra in extras(ty) {
        let mut value = (extra.schema)();
        if let Json::Object(entries) = &mut value {
            entries.insert(0, ("description".to_string(), s(extra.doc)));
        }
        properties.push((extra.key.to_string(), value));
        if extra.required {
            required.push(s(extra.key));
        }
    }
    let mut entries = vec![("description", s(ty.doc)), ("type", s("object")), ("properties", Json::Object(properties))];
    if !required.is_empty() {
        entries.push(("required", Json::Array(required)));
    }
    entries.push(("additionalProperties", Json::Bool(false)));
    object(entries)
}

/// The JSON Schema (draft 2020-12) of an evidence file, as pretty-printed text
/// ending in a newline.
pub fn json_schema(schema: &Schema) -> String {
    let mut properties: Vec<(String, Json)> = vec![];
    for section in &SECTIONS {
        let value = match section.item {
            None => object(vec![("description", s(section.doc)), ("type", s("string"))]),
            Some(item) => object(vec![
                ("description", s(section.doc)),
                ("type", Json::Array(vec![s("array"), s("null")])),
                ("items", reference(item)),
            ]),
        };
        properties.push((section.name.to_string(), value));
    }
    let mut defs: Vec<(String, Json)> = vec![(
        "date".into(),
        object(vec![
            ("description", s("a calendar date written YYYY-MM-DD, e.g. 2013-03-20")),
            ("type", s("string")),
            ("pattern", s(DATE_PATTERN)),
        ]),
    )];
    for section in &SECTIONS {
        if let Some(ty) = section.item.and_then(|name| schema.lookup(name)) {
            let spec = schema.get(ty);
            defs.push((spec.name.clone(), type_schema(spec)));
        }
    }
    let hypothesis_doc = schema.lookup("hypothesis").map(|h| schema.get(h).doc).unwrap_or("A named candidate of a question.");
    defs.push((
        "hypothesis".into(),
        object(vec![
            ("description", s(&format!("{hypothesis_doc} Either an actor id, or an actor id with a prior probability."))),
            (
                "anyOf",
                Json::Array(vec![
                    object(vec![("$ref", s("#/$defs/candidate"))]),
                    object(vec![
                        ("type", s("object")),
                        (
                            "properties",
                            object(vec![
                                ("actor", reference("candidate")),
                                (
                                    "prior",
                                    object(vec![
                                        (
                                            "description",
                                            s("the prior probability, between 0 and 1; give one for every named hypothesis or for none, \
                                               adding up to less than 1 (`other` gets the rest)"),
                                        ),
                                        ("type", s("number")),
                                        ("exclusiveMinimum", Json::Int(0)),
                                        ("exclusiveMaximum", Json::Int(1)),
                                    ]),
                                ),
                            ]),
                        ),
                        ("required", Json::Array(vec![s("actor")])),
                        ("additionalProperties", Json::Bool(false)),
                    ]),
                ]),
            ),
        ]),
    ));
    defs.push((
        "candidate".into(),
        object(vec![
            ("description", s("the id of an actor; `other` is the implicit catch-all and is not written")),
            ("type", s("string")),
            ("not", object(vec![("const", s("other"))])),
        ]),
    ));
    defs.push((
        "report_ids".into(),
        object(vec![
            ("description", s("one report id, or a list of them")),
            ("anyOf", Json::Array(vec![string(), object(vec![("type", s("array")), ("items", string())])])),
        ]),
    ));
    let assertions: Vec<&TypeSpec> = schema.types().map(|(_, t)| t).filter(|t| t.kind == TypeKind::Assertion).collect();
    defs.push((
        "assertion".into(),
        object(vec![
            ("description", s("One assertion: a mapping with a single key, the assertion type, whose value holds its fields.")),
            ("type", s("object")),
            ("properties", Json::Object(assertions.iter().map(|t| (t.name.clone(), reference(&t.name))).collect())),
            ("minProperties", Json::Int(1)),
            ("maxProperties", Json::Int(1)),
            ("additionalProperties", Json::Bool(false)),
        ]),
    ));
    for t in &assertions {
        defs.push((t.name.clone(), type_schema(t)));
    }
    let root = object(vec![
        ("$schema", s("https://json-schema.org/draft/2020-12/schema")),
        ("title", s("ascribe evidence file")),
        (
            "description",
            s("An evidence file for ascribe, in YAML or JSON (docs/evidence.md). Files given together are one evidence set: \
               ids may refer across them. Generated from the built-in evidence model; do not edit."),
        ),
        ("type", s("object")),
        ("properties", Json::Object(properties)),
        ("additionalProperties", Json::Bool(false)),
        ("$defs", Json::Object(defs)),
    ]);
    let mut out = String::new();
    root.render(&mut out, 0);
    out.push('\n');
    out
}

/// How a field's type reads in the tables.
fn type_label(ty: &TypeSpec, field: &FieldSpec) -> String {
    match (ty.name.as_str(), field.name.as_str(), &field.ty) {
        ("source", "reliability", _) => format!("grade {}", reliability_grades().join(", ")),
        ("report", "credibility", _) => {
            format!("grade {}", credibility_grades().iter().map(|g| g.to_string()).collect::<Vec<_>>().join(", "))
        }
        // The loader checks that an actor's tools are declared artifacts.
        ("actor", "tools", _) => "list of artifact ids".into(),
        (_, _, FieldType::Ref(kind)) => format!("{kind} id"),
        (_, _, FieldType::Text) => "text".into(),
        (_, _, FieldType::Number) => "number".into(),
        (_, _, FieldType::Date) => "date".into(),
        (_, _, FieldType::Bool) => "true/false".into(),
        (_, _, FieldType::List) => "list of texts".into(),
    }
}

fn table(ty: &TypeSpec, out: &mut String) {
    out.push_str("| field | type | required | meaning |\n|---|---|---|---|\n");
    for f in written_fields(ty) {
        let mut meaning = cell(f.doc);
        if let Some(range) = f.range {
            let at_most = range.at_most.map(|other| format!(", at most `{other}`")).unwrap_or_default();
            meaning.push_str(&format!(" (a number {}{at_most})", range.describe()));
        }
        let _ = writeln!(out, "| `{}` | {} | {} | {} |", f.name, type_label(ty, f), if f.required { "yes" } else { "no" }, meaning);
    }
    for e in extras(ty) {
        let _ = writeln!(out, "| `{}` | {} | {} | {} |", e.key, e.label, if e.required { "yes" } else { "no" }, cell(e.doc));
    }
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// The field tables of docs/evidence.md: every section's entity type and every
/// assertion type, as Markdown.
pub fn markdown_tables(schema: &Schema) -> String {
    let mut out = String::new();
    out.push_str("### Top-level sections\n\n| section | items | contents |\n|---|---|---|\n");
    for section in &SECTIONS {
        let items = section.item.map(|i| format!("[{i}](#{i})")).unwrap_or_else(|| "text".into());
        let _ = writeln!(out, "| `{}` | {} | {} |", section.name, items, cell(section.doc));
    }
    for section in &SECTIONS {
        let Some(ty) = section.item.and_then(|name| schema.lookup(name)) else { continue };
        let spec = schema.get(ty);
        let _ = write!(out, "\n### {}\n\nItems of `{}`. {}\n\n", spec.name, section.name, spec.doc);
        table(spec, &mut out);
    }
    out.push_str("\n### Assertion types\n\nEach item of a report's `asserts` is one of these, written `- TYPE: {FIELD: VALUE, ...}`.\n");
    for (_, spec) in schema.types().filter(|(_, t)| t.kind == TypeKind::Assertion) {
        let _ = write!(out, "\n#### {}\n\n{}\n\n", spec.name, spec.doc);
        table(spec, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_follow_the_scales() {
        assert_eq!(reliability_grades(), ["A", "B", "C", "D", "E", "F"]);
        assert_eq!(credibility_grades(), [1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn strings_are_escaped() {
        let mut out = String::new();
        quote("a \"b\" \\ c\n\u{1}", &mut out);
        assert_eq!(out, r#""a \"b\" \\ c\n\u0001""#);
    }

    #[test]
    fn every_section_type_exists() {
        let schema = Schema::standard();
        for section in &SECTIONS {
            if let Some(item) = section.item {
                assert!(schema.lookup(item).is_some(), "{item}");
            }
        }
        for extra in &EXTRAS {
            assert!(schema.lookup(extra.ty).is_some(), "{}", extra.ty);
        }
    }
}
