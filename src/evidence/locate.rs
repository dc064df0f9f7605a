//! Finding where a YAML path such as `reports[3].source` sits in the text, so
//! evidence errors can name a line and column although the YAML library keeps
//! no positions. It reads block style and single-line flow style (`{a: 1}`,
//! `[x, y]`, JSON on one line); when the text is laid out otherwise it gives up
//! and the error names the path alone.

/// One step of a path.
#[derive(Debug, PartialEq)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn steps(path: &str) -> Option<Vec<Step<'_>>> {
    let mut out = vec![];
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Step::Key(key));
        }
        while let Some(stripped) = rest.strip_prefix('[') {
            let close = stripped.find(']')?;
            out.push(Step::Index(stripped[..close].parse().ok()?));
            rest = &stripped[close + 1..];
        }
    }
    Some(out)
}

/// A line with its byte offset in the text.
struct Line<'a> {
    offset: usize,
    text: &'a str,
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = vec![];
    let mut offset = 0;
    for l in text.split_inclusive('\n') {
        out.push(Line { offset, text: l.trim_end_matches(['\n', '\r']) });
        offset += l.len();
    }
    out
}

/// Column where a line's content starts once `- ` item markers are skipped,
/// and how many markers there were.
fn content_start(line: &str) -> (usize, usize) {
    let mut col = line.len() - line.trim_start().len();
    let mut dashes = 0;
    while line[col..].starts_with("- ") || &line[col..] == "-" {
        dashes += 1;
        col += 1;
        col += line[col..].len() - line[col..].trim_start().len();
    }
    (col, dashes)
}

fn is_content(line: &str) -> bool {
    let t = line.trim_start();
    !t.is_empty() && !t.starts_with('#') && t != "---"
}

/// Whether `text` starts with the key `name` followed by a colon; returns the
/// length of the key as written (quotes included).
fn key_at(text: &str, name: &str) -> Option<usize> {
    for quote in ["", "\"", "'"] {
        let written = format!("{quote}{name}{quote}");
        if let Some(rest) = text.strip_prefix(&written) {
            if rest.trim_start().starts_with(':') {
                return Some(written.len());
            }
        }
    }
    None
}

/// Where the path points: a byte range of the key or item it names.
pub fn locate(text: &str, path: &str) -> Option<(usize, usize)> {
    let steps = steps(path)?;
    let lines = lines(text);
    // The current node: a range of lines, and the column its entries start at.
    let (mut first, mut last) = (0usize, lines.len());
    let mut column: Option<usize> = None;
    let mut found: Option<(usize, usize)> = None;
    for (i, step) in steps.iter().enumerate() {
        // The column of this node's entries: that of its first content line.
        // A bracket alone on its line opens a JSON object or array laid out one
        // entry per line: its entries start on the next line.
        if column.is_none() {
            if let Some(k) = (first..last).find(|&k| is_content(lines[k].text)) {
                if matches!(lines[k].text.trim(), "{" | "[") {
                    first = k + 1;
                }
            }
        }
        if first >= last {
            return None;
        }
        let entry_column = match column {
            Some(c) => c,
            None => {
                let l = lines[first..last].iter().find(|l| is_content(l.text))?;
                content_start(l.text).0
            }
        };
        let mut hit = None;
        for (n, line) in lines.iter().enumerate().take(last).skip(first) {
            if !is_content(line.text) {
                continue;
            }
            let indent = line.text.len() - line.text.trim_start().len();
            match step {
                Step::Key(name) => {
                    // A key at this node's column: either the line's content, or
                    // the content after the item marker that opened this node.
                    let (start, _) = content_start(line.text);
                    if start == entry_column {
                        if let Some(len) = key_at(&line.text[start..], name) {
                            hit = Some((n, start, len));
                            break;
                        }
                    }
                    if let Some((offset, len)) = flow_key(line.text, entry_column, name) {
                        hit = Some((n, offset, len));
                        break;
                    }
                }
                Step::Index(index) => {
                    let mut count = 0;
                    let mut item = None;
                    if last.saturating_sub(first) == 1 {
                        item = flow_item(line.text, column.unwrap_or(0), *index).map(|(o, l)| (n, o, l));
                    }
                    // Items are `- ` lines in YAML, or lines at one indentation in JSON.
                    let dashed = line.text.trim_start().starts_with('-');
                    for (m, l) in lines.iter().enumerate().take(last).skip(n) {
                        if item.is_some() {
                            break;
                        }
                        if !is_content(l.text) {
                            continue;
                        }
                        let lead = l.text.len() - l.text.trim_start().len();
                        if lead < indent.min(entry_column) {
                            break;
                        }
                        let trimmed = l.text.trim_start();
                        let is_item = if dashed { trimmed.starts_with('-') } else { !trimmed.starts_with([']', '}']) };
                        if lead == indent && is_item {
                            if count == *index {
                                // The item's first character, however long in bytes.
                                let first_char = l.text[lead..].chars().next().map_or(1, char::len_utf8);
                                item = Some((m, lead, first_char));
                                break;
                            }
                            count += 1;
                        }
                    }
                    if item.is_none() {
                        item = flow_item(line.text, column.unwrap_or(0), *index).map(|(o, l)| (n, o, l));
                    }
                    hit = item;
                    break;
                }
            }
        }
        let (n, col, len) = hit?;
        found = Some((lines[n].offset + col, lines[n].offset + col + len));
        if i + 1 == steps.len() {
            break;
        }
        // Descend: the node runs until a line indented no deeper than this entry.
        let entry_indent = lines[n].text.len() - lines[n].text.trim_start().len();
        // Slices are taken with `get`: a position that is not on a character
        // boundary of its line means the layout was misread, so give up.
        let after_key = lines[n].text.get(col + len..)?;
        let from_col = lines[n].text.get(col..)?;
        let inline = after_key.trim_start_matches([':', ' ', '-']).trim();
        let mut end = n + 1;
        while end < last {
            let l = lines[end].text;
            if is_content(l) {
                let lead = l.len() - l.trim_start().len();
                let (start, _) = content_start(l);
                if lead < entry_indent || (lead == entry_indent && start <= col) {
                    break;
                }
            }
            end += 1;
        }
        match step {
            Step::Index(_) if matches!(from_col.trim_end(), "{" | "[") => {
                first = n + 1;
                last = end;
                column = None;
            }
            Step::Index(_) if !from_col.starts_with('-') => {
                // An element of a flow sequence: resolved on this line, from the element on.
                first = n;
                last = n + 1;
                column = Some(col);
            }
            Step::Index(_) => {
                // The item's own content starts after its marker.
                first = n;
                last = end;
                column = Some(content_start(lines[n].text).0.max(col + 2));
                if from_col.trim_start_matches('-').trim().is_empty() {
                    first = n + 1;
                    column = None;
                }
            }
            Step::Key(_) if inline.is_empty() || inline.starts_with('#') || inline == "[" || inline == "{" => {
                first = n + 1;
                last = end;
                column = None;
            }
            Step::Key(_) => {
                // A value on the same line: flow style, resolved on this line only.
                first = n;
                last = n + 1;
                column = Some(col + len);
            }
        }
    }
    // Only ever a range of the text, between characters.
    found.filter(|&(start, end)| start <= end && text.get(start..end).is_some())
}

/// `name:` inside a flow mapping on this line, after `from`.
fn flow_key(line: &str, from: usize, name: &str) -> Option<(usize, usize)> {
    let open = line.get(from..)?.find('{')? + from;
    let mut depth = 0i32;
    let bytes = line.as_bytes();
    let mut i = open;
    while i < line.len() {
        match bytes[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth -= 1,
            _ => {}
        }
        if depth == 1 && (bytes[i] == b'{' || bytes[i] == b',') {
            let rest = &line[i + 1..];
            let skip = rest.len() - rest.trim_start().len();
            if let Some(len) = key_at(rest.trim_start(), name) {
                return Some((i + 1 + skip, len));
            }
        }
        i += 1;
    }
    None
}

/// The `index`-th element of a flow sequence on this line.
fn flow_item(line: &str, from: usize, index: usize) -> Option<(usize, usize)> {
    let open = line.get(from..)?.find('[')? + from;
    let bytes = line.as_bytes();
    let mut depth = 0i32;
    let mut count = 0;
    for i in open..line.len() {
        match bytes[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth -= 1,
            _ => {}
        }
        if depth == 1 && (bytes[i] == b'[' || bytes[i] == b',') {
            if count == index {
                let rest = &line[i + 1..];
                if rest.trim_start().is_empty() {
                    // The element starts on a later line: not single-line flow style.
                    return None;
                }
                let skip = rest.len() - rest.trim_start().len();
                let len = rest.trim_start().find([',', ']']).unwrap_or(rest.trim_start().len()).max(1);
                return Some((i + 1 + skip, len));
            }
            count += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "sources:\n  - id: a\n    kind: vendor\n  - id: b\n    kind: media\nreports:\n  - id: r1\n    source: a\n    asserts:\n      - geolocation: { artifact: ip-1, country: CN }\n      - tension:\n          actor: x\n          country: KR\n  - id: r2\n    source: zz\n    retracts: [r1, r3]\n";

    fn at(path: &str) -> Option<&'static str> {
        locate(DOC, path).map(|(s, e)| &DOC[s..e])
    }

    #[test]
    fn finds_block_and_flow_positions() {
        assert_eq!(at("reports[1].source"), Some("source"));
        assert_eq!(locate(DOC, "reports[1].source").map(|(s, _)| DOC[..s].lines().count()), Some(15));
        assert_eq!(at("sources[1].kind"), Some("kind"));
        assert_eq!(at("reports[0].asserts[0].geolocation.country"), Some("country"));
        assert_eq!(at("reports[0].asserts[1].tension.country"), Some("country"));
        assert_eq!(at("reports[1].retracts[1]"), Some("r3"));
        assert_eq!(at("reports"), Some("reports"));
    }

    #[test]
    fn never_panics_on_odd_layouts() {
        for text in ["{", "[", "{\n", "a:\n  {\n", "- [\n", "a: [\n  {\n", "\u{e9}: {\u{e9}: [\u{e9}]}", "a:\n- - - x\n"] {
            for path in ["a", "a[0]", "a[0].b", "a.b[2].c", "\u{e9}.\u{e9}[0]", ""] {
                let _ = locate(text, path);
            }
        }
    }

    /// Found by fuzzing: a flow element after a comma that ends its line, and
    /// items whose first character is more than one byte, were sliced past the
    /// line's end or inside a character.
    #[test]
    fn never_slices_past_a_line_or_inside_a_character() {
        let cases = [
            ("reports: [{id: r1, source: a},\n  {id: r2, source: zz}]\n", "reports[1].source"),
            ("{\"reports\": [{\"id\": \"\u{e9}\"},\n {\"id\": \"\u{e9}\"}]}", "reports[1].id"),
            ("{\"reports\": [{\"id\": \"r\"}, \n{\"\u{e9}\": 1}]}", "reports[1].\u{e9}"),
            ("{\"reports\": [\n\u{e9}: 1, \"id\": \"r1\"}]}", "reports[0].id"),
        ];
        for (text, path) in cases {
            if let Some((start, end)) = locate(text, path) {
                assert!(text.get(start..end).is_some(), "{text:?} {path}");
            }
        }
    }

    /// Small documents with multi-byte characters and line breaks inserted
    /// everywhere: every answer is a range of the text, between characters.
    #[test]
    fn answers_are_ranges_of_the_text() {
        let docs = [
            "{\"reports\": [{\"id\": \"r1\", \"source\": \"zz\"}, {\"id\": \"r2\", \"source\": [1]}]}",
            "reports: [{id: r1, source: a}, {id: r2, source: zz}]\nsources:\n  - {id: a, kind: [x, y]}\n",
        ];
        let paths =
            ["reports[1].source", "reports[1].id", "reports[0].source", "reports[1].source[0]", "sources[0].kind[1]", "reports[1].\u{e9}"];
        for doc in docs {
            let bounds: Vec<usize> = (0..=doc.len()).filter(|&i| doc.is_char_boundary(i)).collect();
            for &i in &bounds {
                for piece in ["\u{e9}", "\u{65e5}", "\n", " \n ", "\u{e9}\n", "\n\u{e9}: "] {
                    let mut text = doc.to_string();
                    text.insert_str(i, piece);
                    for path in paths {
                        if let Some((start, end)) = locate(&text, path) {
                            assert!(start <= end && text.get(start..end).is_some(), "{text:?} {path}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn gives_up_rather_than_guessing() {
        assert_eq!(at("reports[5].source"), None);
        assert_eq!(at("nothing.here"), None);
        assert_eq!(locate("", "a"), None);
        assert_eq!(locate("a: [1, 2", "a[7]"), None);
    }

    #[test]
    fn reads_json_laid_out_over_lines() {
        let json = "{\n  \"sources\": [\n    {\"id\": \"kcc\"}\n  ],\n  \"reports\": [\n    {\"id\": \"r1\", \"credibility\": \"three\"},\n    {\n      \"id\": \"r2\",\n      \"source\": \"x\"\n    }\n  ]\n}\n";
        let at = |path: &str| locate(json, path).map(|(s, e)| (&json[s..e], json[..s].lines().count()));
        assert_eq!(at("reports[0].credibility"), Some(("\"credibility\"", 6)));
        assert_eq!(at("reports[1].source"), Some(("\"source\"", 9)));
        assert_eq!(at("sources[0].id"), Some(("\"id\"", 3)));
    }

    #[test]
    fn reads_single_line_json() {
        let json = r#"{"reports": [{"id": "r1", "source": "nope"}]}"#;
        assert_eq!(locate(json, "reports[0].source").map(|(s, e)| &json[s..e]), Some("\"source\""));
    }
}
