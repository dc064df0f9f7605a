//! The one place per output format that turns text from evidence or rule
//! files into safe output. Evidence comes from outside (vendor reports,
//! scraped statements, documents written by the very actors being attributed),
//! so any id, name, title or explanation may be hostile: it must never be able
//! to change the meaning or the look of the output beyond its own text.
//!
//! - [`text`]: terminals (the text report, `ascribe rules`, diagnostics);
//! - [`dot_label`]: a quoted Graphviz string used as a label;
//! - [`problog_atom`] and [`problog_comment`]: ProbLog programs;
//! - [`html`]: text and attribute values of the HTML report (and its inline SVG);
//! - [`markdown`]: inline text and table cells of the Markdown report.
//! - [`stix`]: texts of a STIX bundle (names, descriptions, note contents).
//!
//! JSON needs nothing here: serde_json escapes every string it writes.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Characters that must never reach a terminal or a line-based format as
/// themselves: C0 and C1 controls (ESC starts ANSI/OSC sequences, CR rewrites
/// the line, NEL and LF start a new one, NUL truncates in some viewers),
/// Unicode bidi embeddings, overrides, isolates and marks (they reorder what is
/// displayed, "Trojan Source"), and the Unicode line and paragraph separators.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{2028}' | '\u{2029}')
}

/// The visible form of an unsafe character: `\n`, `\r`, `\t`, `\0`, or
/// `\u{1b}` (Rust's notation, which analysts can read and search for).
fn visible(c: char, out: &mut String) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\0' => out.push_str("\\0"),
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// Text for a terminal: every unsafe character ([`is_unsafe`]) is shown
/// escaped, so no value can emit an escape sequence, return the cursor, reorder
/// the display or start a new line (a forged line of the report). Everything
/// else, backslashes and non-ASCII letters included, is kept as written:
/// benign text is returned unchanged and unallocated.
pub fn text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            visible(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Pads `s` with spaces to `width` characters (never truncates). Written out
/// rather than with `{:width$}` because std's formatter panics on widths over
/// 65,535, which a hostile name or rule id reaches easily.
pub fn pad(s: &str, width: usize) -> String {
    let len = s.chars().count();
    let mut out = String::with_capacity(s.len() + width.saturating_sub(len));
    out.push_str(s);
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(len)));
    out
}

/// The contents of a double-quoted DOT string used as a label (without the
/// quotes). Inside a quoted DOT string `\"` is the only lexer escape, but
/// Graphviz then reads labels as escStrings, where `\N`, `\G`, `\E`, `\H`,
/// `\T`, `\L`, `\n`, `\l` and `\r` are substituted or break lines: so every
/// backslash is doubled (a trailing one can no longer swallow the closing
/// quote, `\N` stays the two characters `\N`), every quote is escaped (the
/// value cannot close the string and inject attributes or nodes), unsafe
/// characters are shown as in [`text`] (with their backslash doubled), and `&`
/// becomes `&amp;` because Graphviz decodes HTML entities in labels (`&lt;`
/// would display as `<`). Line breaks between parts of a label are the
/// caller's `\n`, written between escaped parts.
pub fn dot_label(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| matches!(c, '\\' | '"' | '&') || is_unsafe(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '&' => out.push_str("&amp;"),
            c if is_unsafe(c) => {
                let mut shown = String::new();
                visible(c, &mut shown);
                out.push_str(&shown.replace('\\', "\\\\"));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A quoted ProbLog/Prolog atom for any text: `'...'` with `\` and `'`
/// escaped as `\\` and `\'`, line breaks and tabs as `\n`, `\r`, `\t`, and every
/// other unsafe character as an ISO hex escape `\xHH\`, so an atom is always
/// on one line and always ends where it should. Distinct texts give distinct
/// atoms.
///
/// ProbLog's tokenizer ends a quoted atom at the first `'` not preceded by a
/// backslash, so it misreads a correct atom whose contents end in a backslash
/// (`'a\\'`). Those get one trailing space (`'a\\ '`); to keep atoms distinct,
/// so do texts ending in a space. Reading an atom back: drop one trailing
/// space if there is one, then undo the escapes.
pub fn problog_atom(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) => {
                let _ = write!(out, "\\x{:x}\\", c as u32);
            }
            c => out.push(c),
        }
    }
    if out.ends_with(['\\', ' ']) {
        out.push(' ');
    }
    out.push('\'');
    out
}

/// Text for a `%` comment line of a ProbLog program. A comment runs to the end
/// of the line, so a line break (LF, CR, NEL, U+2028 ...) in evidence text
/// would turn the rest into clauses (an injected `evidence(h('beta'), true).`
/// would decide the question): it is shown escaped, as in [`text`], with every
/// other unsafe character.
pub fn problog_comment(s: &str) -> Cow<'_, str> {
    text(s)
}

/// Text or a double- or single-quoted attribute value in HTML (and SVG inside
/// it): `&`, `<`, `>`, `"` and `'` become character references, so no value can
/// open a tag (`<script>`), close an attribute or start an entity; unsafe
/// characters are shown as in [`text`], so a bidi override cannot reorder the
/// page and a line break cannot make a value look like two.
pub fn html(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| matches!(c, '&' | '<' | '>' | '"' | '\'') || is_unsafe(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if is_unsafe(c) => visible(c, &mut out),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Inline Markdown text, safe in a paragraph, a list item or a table cell
/// (GitHub Flavored Markdown): unsafe characters are shown as in [`text`] (a
/// line break cannot end a row or start a heading), every ASCII character with
/// a Markdown meaning inside a line is backslash-escaped (`|` cannot split a
/// cell, `` ` `` cannot open code, `*`, `_`, `~` cannot format, `[` cannot
/// link, `<` cannot open raw HTML or an autolink), and `&` is written `&amp;`
/// so no entity is decoded. The report never starts a line with such text, so
/// line-start markers (`-`, `+`, `1.`) need nothing.
pub fn markdown(s: &str) -> Cow<'_, str> {
    const SPECIAL: &[char] = &['\\', '`', '*', '_', '[', ']', '<', '>', '#', '|', '~', '&'];
    if !s.chars().any(|c| SPECIAL.contains(&c) || is_unsafe(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            c if SPECIAL.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            c if is_unsafe(c) => {
                let mut shown = String::new();
                visible(c, &mut shown);
                out.push_str(&shown.replace('\\', "\\\\"));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Text for a STIX bundle's names, descriptions and notes. serde_json escapes
/// quotes, backslashes and controls in the JSON itself; what it keeps are the
/// characters that mislead whoever displays the text (OpenCTI, MISP, a
/// terminal): escape sequences, carriage returns, bidi overrides. Those are
/// shown as in [`text`]; line breaks and tabs, which long texts need, stay.
pub fn stix(s: &str) -> Cow<'_, str> {
    let unsafe_here = |c: char| is_unsafe(c) && c != '\n' && c != '\t';
    if !s.chars().any(unsafe_here) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_here(c) {
            visible(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keeps_benign_text_and_shows_the_rest() {
        assert!(matches!(text("North Korea (RGB) é 日本 \\N"), Cow::Borrowed(_)));
        assert_eq!(text("a\nb\r\t\0"), "a\\nb\\r\\t\\0");
        assert_eq!(text("\u{1b}[2J\u{1b}]8;;http://x\u{1b}\\"), "\\u{1b}[2J\\u{1b}]8;;http://x\\u{1b}\\");
        assert_eq!(
            text("\u{202e}\u{2066}\u{200f}\u{61c}\u{2028}\u{2029}\u{85}\u{9b}\u{7f}"),
            "\\u{202e}\\u{2066}\\u{200f}\\u{61c}\\u{2028}\\u{2029}\\u{85}\\u{9b}\\u{7f}"
        );
        assert!(!text("x\u{1b}\u{202e}\n\u{2028}").chars().any(is_unsafe));
    }

    #[test]
    fn pad_counts_characters_and_takes_any_width() {
        assert_eq!(pad("é", 3), "é  ");
        assert_eq!(pad("long", 2), "long");
        assert_eq!(pad("", 70_000).len(), 70_000);
    }

    #[test]
    fn dot_labels_cannot_close_the_string_or_use_esc_strings() {
        assert!(matches!(dot_label("report r1"), Cow::Borrowed(_)));
        assert_eq!(dot_label(r#"a\"];evil[label="x"#), r#"a\\\"];evil[label=\"x"#);
        assert_eq!(dot_label("trailing\\"), "trailing\\\\");
        assert_eq!(dot_label("\\N \\G \\l"), "\\\\N \\\\G \\\\l");
        assert_eq!(dot_label("a\nb\u{1b}"), "a\\\\nb\\\\u{1b}");
        assert_eq!(dot_label("&lt;b&gt;"), "&amp;lt;b&amp;gt;");
    }

    #[test]
    fn problog_atoms_are_one_line_and_always_close() {
        assert_eq!(problog_atom("alpha"), "'alpha'");
        assert_eq!(problog_atom("it's"), "'it\\'s'");
        assert_eq!(problog_atom("a\\"), "'a\\\\ '");
        assert_eq!(problog_atom("a "), "'a  '");
        assert_eq!(problog_atom("a\nb\r"), "'a\\nb\\r'");
        assert_eq!(problog_atom("\u{1b}"), "'\\x1b\\ '");
        assert_eq!(problog_atom("\u{202e}x"), "'\\x202e\\x'");
        assert_eq!(problog_atom(""), "''");
        // The closing quote is the only one not preceded by a backslash.
        for s in ["a\\", "\\'", "'\\", "x\u{0}", "\\\\", "' ", "q'", "%\nevidence(h('beta'), true)."] {
            let atom = problog_atom(s);
            let inner = &atom[1..atom.len() - 1];
            assert!(!inner.ends_with('\\'), "{atom}");
            assert!(!inner.contains(['\n', '\r']), "{atom}");
            let bytes = inner.as_bytes();
            for (i, &b) in bytes.iter().enumerate() {
                if b == b'\'' {
                    assert!(i > 0 && bytes[i - 1] == b'\\', "{atom}");
                }
            }
        }
    }

    #[test]
    fn problog_atoms_are_distinct() {
        let texts = ["a", "a ", "a  ", "a\\", "a\\ ", "a\\\\", "a\n", "a\\n", "a'", "a\\'", "\u{1b}", "\\x1b\\"];
        let atoms: std::collections::BTreeSet<String> = texts.iter().map(|t| problog_atom(t)).collect();
        assert_eq!(atoms.len(), texts.len());
    }

    #[test]
    fn problog_comments_stay_on_their_line() {
        assert_eq!(problog_comment("x\n evidence(h('beta'), true)."), "x\\n evidence(h('beta'), true).");
        assert_eq!(problog_comment("x\r\u{2028}\u{85}"), "x\\r\\u{2028}\\u{85}");
    }

    /// What every escaper must withstand: markup, quotes, bidi overrides, line
    /// breaks, ANSI escapes, table pipes and code backticks.
    const HOSTILE: &str =
        "<script>alert('x')</script>\"onmouseover=\"x\u{202e}gnp.exe\n# forged\r\u{1b}[2J | `code` &lt; [l](javascript:x) *b* _i_ \\";

    #[test]
    fn html_cannot_open_tags_close_attributes_or_reorder() {
        assert!(matches!(html("North Korea (RGB) é"), Cow::Borrowed(_)));
        let out = html(HOSTILE);
        for bad in ['<', '>', '"', '\'', '\n', '\r', '\u{1b}', '\u{202e}'] {
            assert!(!out.contains(bad), "{bad:?} in {out}");
        }
        assert!(out.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;onmouseover=&quot;x\\u{202e}gnp.exe\\n# forged"));
        // An entity in the input is shown as written, not decoded.
        assert!(out.contains("&amp;lt;"));
        assert!(!out.chars().any(is_unsafe));
    }

    #[test]
    fn markdown_cannot_split_cells_open_code_link_or_forge_lines() {
        assert!(matches!(markdown("North Korea, RGB. é"), Cow::Borrowed(_)));
        let out = markdown(HOSTILE);
        assert!(!out.contains(['\n', '\r', '\u{1b}', '\u{202e}']), "{out}");
        // Every special character is preceded by a backslash that is not itself escaped.
        let chars: Vec<char> = out.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            if matches!(c, '|' | '`' | '<' | '>' | '[' | ']' | '*' | '_' | '#') {
                let backslashes = chars[..i].iter().rev().take_while(|&&b| b == '\\').count();
                assert_eq!(backslashes % 2, 1, "unescaped {c:?} at {i} in {out}");
            }
        }
        assert!(out.contains("\\<script\\>"));
        assert!(out.contains("\\| \\`code\\`"));
        assert!(out.contains("&amp;lt;"));
        assert_eq!(markdown("a\nb"), "a\\\\nb");
        assert_eq!(markdown("x\u{202e}"), "x\\\\u{202e}");
    }

    #[test]
    fn stix_texts_keep_lines_and_lose_tricks() {
        let hostile = "<script>alert(\"x\")</script>\nline two\t\u{202e}gnp.exe\u{1b}[31mred\rback";
        let safe = stix(hostile);
        assert_eq!(safe, "<script>alert(\"x\")</script>\nline two\t\\u{202e}gnp.exe\\u{1b}[31mred\\rback");
        let json = serde_json::to_string(&*safe).unwrap();
        assert!(!json.contains('\u{202e}') && !json.contains('\u{1b}'));
        assert_eq!(serde_json::from_str::<String>(&json).unwrap(), safe);
        assert!(matches!(stix("plain"), Cow::Borrowed(_)));
    }
}
