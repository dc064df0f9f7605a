//! Two syntax errors the parser reports in the wrong place, diagnosed again
//! from the text: a bracket never closed (pest stops at the last place it
//! tried something else, often a `}` lines above the end) and a missing comma
//! between fields (pest backtracks to the start of the pattern and asks for
//! "an expression").

use super::tokens::{Kind, Lexed};
use crate::diagnostics::Stage;
use crate::prelude::*;

/// A better diagnostic for the syntax error `error`, when the text shows one.
pub fn refine(text: &str, source: SourceId, error: Diagnostic) -> Diagnostic {
    if error.message == "unterminated string" {
        return error;
    }
    let at = match error.location.as_ref() {
        crate::diagnostics::Location::Span(span) => span.start,
        _ => 0,
    };
    if let Some(d) = block_comment(text, source, at) {
        return d;
    }
    let lexed = Lexed::new(text);
    unterminated_string(&lexed, source).or_else(|| unclosed(&lexed, source)).or_else(|| missing_comma(&lexed, source, at)).unwrap_or(error)
}

/// A string whose closing quote is missing runs to the end of the file (strings
/// may span lines), so the parser reports whatever is left open around it.
fn unterminated_string(lexed: &Lexed, source: SourceId) -> Option<Diagnostic> {
    let bytes = lexed.text.as_bytes();
    let token = lexed.tokens.iter().find(|t| t.kind == Kind::Str && !closed_string(bytes, t.start))?;
    let line = line_of(lexed.text, token.start) + 1;
    Some(
        Diagnostic::at(Stage::Parse, Span { source, start: token.start, end: token.start + 1 }, "unterminated string")
            .label(format!("this string, opened on line {line}, is never closed"))
            .help("close it with `\"`; strings may span lines, so the missing quote can be anywhere after this one"),
    )
}

/// Whether the string opening at `start` has its closing quote.
fn closed_string(bytes: &[u8], start: usize) -> bool {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return true,
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    false
}

/// `/*` where the parser stopped: rule files have line comments only, so a
/// block comment (closed or not) is a syntax error at its first character.
fn block_comment(text: &str, source: SourceId, at: usize) -> Option<Diagnostic> {
    if !text.get(at..)?.starts_with("/*") {
        return None;
    }
    let line = line_of(text, at) + 1;
    let closed = text[at + 2..].find("*/").map(|i| line_of(text, at + 2 + i) + 1);
    let help = match closed {
        Some(end) => format!("rule files have line comments only: start each line from {line} to {end} with `//` instead of `/* ... */`"),
        None => format!(
            "this `/*` on line {line} is never closed, and rule files have no block comments anyway: start each comment line with `//`"
        ),
    };
    Some(
        Diagnostic::at(Stage::Parse, Span { source, start: at, end: at + 2 }, "block comments are not part of the rule language")
            .label("a comment starts with `//` and runs to the end of the line")
            .help(help),
    )
}

/// The indentation of the line holding `offset`.
fn indentation(text: &str, offset: usize) -> usize {
    let line_start = text[..offset.min(text.len())].rfind('\n').map(|i| i + 1).unwrap_or(0);
    text[line_start..].chars().take_while(|c| *c == ' ' || *c == '\t').count()
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count()
}

/// A bracket left open at the end of the file. Brackets pair up in order, so
/// a `}` missing in the middle is found at the end; the one missing is taken
/// to be the first whose closing bracket sits at another indentation than
/// the line that opened it, else the innermost one left open.
fn unclosed(lexed: &Lexed, source: SourceId) -> Option<Diagnostic> {
    let text = lexed.text;
    let mut open: Vec<usize> = vec![];
    let mut suspect: Option<(usize, usize)> = None;
    for token in lexed.tokens.iter().filter(|t| t.kind == Kind::Punct) {
        match lexed.str(*token) {
            "{" | "(" | "[" => open.push(token.start),
            "}" | ")" | "]" => {
                let opener = open.pop()?;
                let moved =
                    line_of(text, opener) != line_of(text, token.start) && indentation(text, opener) != indentation(text, token.start);
                if moved && suspect.is_none() {
                    suspect = Some((opener, token.start));
                }
            }
            _ => {}
        }
    }
    let last_open = *open.last()?;
    let opener = suspect.map(|(o, _)| o).unwrap_or(last_open);
    let bracket = text.get(opener..opener + 1).unwrap_or("{");
    let close = match bracket {
        "(" => ")",
        "[" => "]",
        _ => "}",
    };
    let line = line_of(text, opener) + 1;
    let span = Span { source, start: opener, end: opener + 1 };
    Some(
        Diagnostic::at(Stage::Parse, span, format!("`{bracket}` on line {line} is never closed"))
            .label(format!("this `{bracket}` has no matching `{close}`"))
            .help(match suspect {
                Some((_, closer)) => format!(
                    "add `{close}` where this block ends, indented as this line: the `{}` on line {}, indented as an outer block, closes it now",
                    text.get(closer..closer + 1).unwrap_or(close),
                    line_of(text, closer) + 1
                ),
                None => format!(
                    "add `{close}` where this block ends, indented as this line; brackets pair up in order, so a missing one shows only at the end of the file"
                ),
            }),
    )
}

/// Two fields with no comma between them (`artifact: ?x incident: ?i`),
/// at or after where the parser gave up and before the block around it ends.
fn missing_comma(lexed: &Lexed, source: SourceId, from: usize) -> Option<Diagnostic> {
    let tokens = &lexed.tokens;
    let start = lexed.first_from(from.saturating_sub(1)).saturating_sub(1);
    for i in start..tokens.len() {
        let [value, name, colon] = [tokens.get(i)?, tokens.get(i + 1)?, tokens.get(i + 2)?];
        if lexed.str(*value) == "{" || lexed.str(*value) == "}" {
            if value.start >= from {
                return None;
            }
            continue;
        }
        let ends_value = matches!(value.kind, Kind::Var | Kind::Str | Kind::Number | Kind::Word) || matches!(lexed.str(*value), ")" | "]");
        if ends_value && name.kind == Kind::Word && lexed.str(*colon) == ":" && name.start >= from {
            let span = Span { source, start: value.end, end: value.end };
            let (v, n) = (lexed.str(*value), lexed.str(*name));
            let v = if v.chars().count() > 20 { "..." } else { v };
            return Some(
                Diagnostic::at(Stage::Parse, span, format!("missing `,` before the field `{n}`"))
                    .label("a `,` goes here")
                    .help(format!("separate fields with commas: `{v}, {n}: ...`")),
            );
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As the parser would, with pest's error at the first `at` in the text.
    fn refined_at(text: &str, at: &str) -> Diagnostic {
        let start = text.find(at).unwrap_or(0);
        let error = Diagnostic::at(Stage::Parse, Span { source: SourceId(0), start, end: start }, "from pest");
        refine(text, SourceId(0), error)
    }

    fn refined(text: &str) -> Diagnostic {
        refined_at(text, "")
    }

    #[test]
    fn finds_the_bracket_left_open() {
        let d = refined("rule a {\n  when {\n  }\n  then {\n    neutral ?a for ?i\n  \n}\n");
        assert_eq!(d.message, "`{` on line 4 is never closed");
        let d = refined("rule a {\n  when {\n  }\n");
        assert_eq!(d.message, "`{` on line 1 is never closed");
    }

    #[test]
    fn finds_the_missing_comma() {
        let text = "rule a { when { observed(artifact: ?x incident: ?i) } then { neutral ?a for ?i } }";
        assert_eq!(refined_at(text, "artifact").message, "missing `,` before the field `incident`");
        // Only in the block where the parser gave up.
        assert_eq!(refined_at(text, "rule").message, "from pest");
        assert_eq!(refined("rule a { when { x() } }").message, "from pest");
    }
}
