//! Bundle text → typed objects, with the JSON path and line:column of every
//! problem, whatever the layout (minified bundles included): each object is
//! kept as the raw text it was written as and parsed on its own, so a bad
//! value is located inside its object and the other objects still load.

use super::model::{Envelope, Object};
use crate::diagnostics::{Location, Stage};
use crate::prelude::*;

/// Deepest nesting of arrays and objects accepted, as for YAML and JSON evidence
/// (src/evidence/yaml.rs): deeper is refused where it passes the limit, before
/// parsing (serde_json would stop at its own limit with a less helpful message,
/// or skip a deep value it ignores).
pub const MAX_DEPTH: usize = crate::evidence::yaml::MAX_DEPTH;

/// The byte offset of the first bracket nested deeper than [`MAX_DEPTH`], if any
/// (brackets inside strings do not count).
fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut depth, mut in_string, mut i) = (0usize, false, 0usize);
    while i < bytes.len() {
        match (in_string, bytes[i]) {
            (true, b'\\') => i += 1,
            (true, b'"') => in_string = false,
            (false, b'"') => in_string = true,
            (false, b'[' | b'{') => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            (false, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// An object of the bundle with where it was written.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// Its place in the bundle's `objects`.
    pub index: usize,
    /// Byte range of its text in the file: where it starts.
    pub start: usize,
    /// End of that range (exclusive).
    pub end: usize,
    /// The object as parsed.
    pub object: Object,
}

/// Objects a bundle may hold: more is refused before any is parsed.
pub const MAX_OBJECTS: usize = 2_000_000;

/// Parses a bundle. Objects that do not parse are reported and left out; the
/// caller decides whether any error stops the import (it does).
pub fn parse(text: &str, file: SourceId) -> (Vec<Parsed>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let body = text.trim_start_matches('\u{feff}');
    let base = text.len() - body.len();
    if let Some(at_bracket) = too_deep(body) {
        let start = base + at_bracket;
        diagnostics.push(
            at(file, "", Some((start, start + 1)), format!("not a valid STIX bundle: collections nested more than {MAX_DEPTH} deep"))
                .help("STIX objects nest a few levels (an object, its lists, the objects in them): look for brackets never closed here, or data that does not belong in a bundle"),
        );
        return (vec![], diagnostics);
    }
    let envelope: Envelope = match serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(body)) {
        Ok(e) => e,
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            diagnostics.push(json_error(text, file, base, body, &path, &inner, "the bundle"));
            return (vec![], diagnostics);
        }
    };
    if envelope.ty != "bundle" {
        diagnostics.push(at(file, "type", None, format!("expected `\"type\": \"bundle\"`, found `{}`", envelope.ty)));
    }
    if !envelope.id.starts_with("bundle--") {
        diagnostics.push(
            at(file, "id", None, format!("`{}` is not a bundle id", envelope.id)).help("a bundle's id is `bundle--` followed by a UUID"),
        );
    }
    if envelope.objects.len() > MAX_OBJECTS {
        diagnostics.push(at(file, "objects", None, format!("{} objects, more than the limit of {MAX_OBJECTS}", envelope.objects.len())));
        return (vec![], diagnostics);
    }
    let mut out = Vec::with_capacity(envelope.objects.len());
    for (index, raw) in envelope.objects.iter().enumerate() {
        let raw_text = raw.get();
        // The raw text borrows from `body`: its offset is where it was written.
        let start = (raw_text.as_ptr() as usize).saturating_sub(body.as_ptr() as usize) + base;
        let end = start + raw_text.len();
        let prefix = format!("objects[{index}]");
        match serde_path_to_error::deserialize::<_, Object>(&mut serde_json::Deserializer::from_str(raw_text)) {
            Ok(object) => out.push(Parsed { index, start, end, object }),
            Err(e) => {
                let inner_path = e.path().to_string();
                let path = if inner_path == "." || inner_path.is_empty() { prefix.clone() } else { format!("{prefix}.{inner_path}") };
                let inner = e.into_inner();
                diagnostics.push(json_error(text, file, start, raw_text, &path, &inner, "an object"));
            }
        }
    }
    (out, diagnostics)
}

/// A diagnostic at a JSON path, with a span when one is known.
pub fn at(file: SourceId, path: &str, span: Option<(usize, usize)>, message: String) -> Diagnostic {
    let span = span.map(|(start, end)| Span { source: file, start, end });
    Diagnostic::new(Stage::Evidence, message, Location::Path { source: file, path: path.to_string(), span })
}

/// A serde_json error inside `part` (which starts at byte `offset` of `text`),
/// located by its line and column.
fn json_error(text: &str, file: SourceId, offset: usize, part: &str, path: &str, e: &serde_json::Error, what: &str) -> Diagnostic {
    let (line, column) = (e.line(), e.column());
    let span = if line == 0 {
        None
    } else {
        let end = (offset + offset_in(part, line, column)).min(text.len());
        // serde_json stops after the offending value: for a string, point at
        // its opening quote, so the column is where the value starts.
        let before = &text[offset.min(end)..end];
        let start = match before.strip_suffix('"').and_then(|b| b.rfind('"')) {
            Some(q) => offset.min(end) + q,
            None => end.saturating_sub(1).max(offset.min(end)),
        };
        Some((start, end))
    };
    let message = strip_position(&e.to_string());
    let help = match e.classify() {
        _ if message.starts_with("number out of range") => {
            "this number is not finite (larger than about 1.8e308): write a number in range; a confidence is a whole number from 0 to 100".to_string()
        }
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            format!("{what} is not valid JSON here: check commas, quotes and closing brackets")
        }
        _ if message.starts_with("missing field") => {
            "add the field: in STIX 2.1 a bundle has `type`, `id` and `objects`, and every object a `type` and an `id`".to_string()
        }
        _ => "check the value against the STIX 2.1 specification: confidence is a whole number from 0 to 100, references are ids such as `identity--<uuid>`, lists are written [ ... ]".to_string(),
    };
    let path = if path == "." { "" } else { path };
    at(file, path, span, format!("not a valid STIX bundle: {message}")).help(help)
}

/// Byte offset in `part` of a 1-based line and column (serde_json counts
/// columns in bytes).
fn offset_in(part: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in part.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let mut at = offset + column.min(l.len());
            while at > 0 && !part.is_char_boundary(at) {
                at -= 1;
            }
            return at;
        }
        offset += l.len();
    }
    part.len()
}

/// serde_json appends " at line L column C"; the diagnostic shows the position itself.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_col(text: &str, d: &Diagnostic) -> Option<(usize, usize)> {
        let mut sources = Sources::default();
        let id = sources.add("b.json", text);
        assert_eq!(id, SourceId(0));
        match d.location.as_ref() {
            Location::Path { span: Some(s), .. } => Some(sources.line_col(id, s.start)),
            _ => None,
        }
    }

    #[test]
    fn locates_a_bad_value_inside_a_minified_bundle() {
        let text = r#"{"type":"bundle","id":"bundle--1","objects":[{"type":"campaign","id":"campaign--1"},{"type":"report","id":"report--1","confidence":"high"}]}"#;
        let (objects, d) = parse(text, SourceId(0));
        assert_eq!(objects.len(), 1, "the good object still loads");
        assert_eq!(d.0.len(), 1);
        match d.0[0].location.as_ref() {
            Location::Path { path, .. } => assert_eq!(path, "objects[1].confidence"),
            other => panic!("{other:?}"),
        }
        let (line, col) = line_col(text, &d.0[0]).expect("a position");
        assert_eq!(line, 1);
        assert_eq!(&text[col - 1..col + 5], "\"high\"");
    }

    #[test]
    fn locates_a_syntax_error_by_line() {
        let text =
            "{\n  \"type\": \"bundle\",\n  \"id\": \"bundle--1\",\n  \"objects\": [\n    {\"type\": \"campaign\" \"id\": \"x\"}\n  ]\n}\n";
        let (_, d) = parse(text, SourceId(0));
        assert_eq!(d.0.len(), 1);
        let (line, _) = line_col(text, &d.0[0]).expect("a position");
        assert_eq!(line, 5);
    }

    #[test]
    fn keeps_each_objects_range() {
        let text =
            "{\"type\": \"bundle\", \"id\": \"bundle--1\", \"objects\": [ {\"type\": \"tool\", \"id\": \"tool--1\", \"name\": \"T\"} ]}";
        let (objects, d) = parse(text, SourceId(0));
        assert!(d.is_empty());
        assert_eq!(&text[objects[0].start..objects[0].end], "{\"type\": \"tool\", \"id\": \"tool--1\", \"name\": \"T\"}");
    }
}
