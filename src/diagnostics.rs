//! Diagnostics shared by every stage: where a problem is, what was expected,
//! and the likely fix. Rendered like rustc through miette.

use crate::report::escape;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceSpan, SpanContents};
use std::fmt;
use std::sync::Arc;

/// Index of a loaded text in [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceId(pub u32);

/// A byte range in one loaded text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    /// The text the span is in.
    pub source: SourceId,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset just past the last byte.
    pub end: usize,
}

/// Every text read so far (rule files, evidence files), so diagnostics can
/// quote them. Cheap to clone: the texts are shared, not copied.
#[derive(Default, Clone)]
pub struct Sources {
    files: Vec<Arc<(String, String)>>,
}

impl fmt::Debug for Sources {
    /// The names only: the texts can be megabytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.files.iter().map(|file| &file.0)).finish()
    }
}

impl Sources {
    /// Adds a text under a name (a path, or what errors should call it); returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> SourceId {
        self.files.push(Arc::new((name.into(), text.into())));
        SourceId((self.files.len() - 1) as u32)
    }

    /// The name a text was added under (`<unknown>` for an id from elsewhere).
    pub fn name(&self, id: SourceId) -> &str {
        self.files.get(id.0 as usize).map(|f| f.0.as_str()).unwrap_or("<unknown>")
    }

    /// A text, whole (empty for an id from elsewhere).
    pub fn text(&self, id: SourceId) -> &str {
        self.files.get(id.0 as usize).map(|f| f.1.as_str()).unwrap_or("")
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, id: SourceId, offset: usize) -> (usize, usize) {
        let text = self.text(id);
        let offset = offset.min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
        (line, col)
    }

    /// Byte offset of a 1-based line and column.
    pub fn offset_of(&self, id: SourceId, line: usize, col: usize) -> usize {
        let text = self.text(id);
        let mut offset = 0;
        for (i, l) in text.split_inclusive('\n').enumerate() {
            if i + 1 == line {
                let in_line: usize = l.chars().take(col.saturating_sub(1)).map(char::len_utf8).sum();
                return offset + in_line;
            }
            offset += l.len();
        }
        text.len()
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Which stage found the problem; it decides nothing but the heading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Rule text that is not in the grammar.
    Parse,
    /// Rules that parse but do not check.
    Check,
    /// Evidence that does not load.
    Evidence,
    /// Evidence that cannot be weighed.
    Evaluate,
    /// A file that cannot be read.
    Io,
    /// An analyst's test file (`ascribe test`).
    Test,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Parse => "syntax error",
            Stage::Check => "rule error",
            Stage::Evidence => "evidence error",
            Stage::Evaluate => "evaluation error",
            Stage::Io => "cannot read input",
            Stage::Test => "test file error",
        })
    }
}

/// Where a problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A span of a loaded text.
    Span(Span),
    /// A path into a YAML/JSON document, such as `reports[3].source`, with the
    /// span of the value when the loader could find it.
    Path {
        /// The document.
        source: SourceId,
        /// The path, such as `reports[3].source`.
        path: String,
        /// The span of the value, when the loader could find it.
        span: Option<Span>,
    },
    /// A whole file.
    File(String),
    /// Nowhere in particular (a problem of the whole input).
    Nowhere,
}

/// One problem, with what was expected and the likely fix.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// The stage that found it (the heading).
    pub stage: Stage,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where it is.
    pub location: Box<Location>,
    /// A short note shown under the quoted span.
    pub label: Option<String>,
    /// The likely fix.
    pub help: Option<String>,
    /// A warning says something is likely wrong but does not stop the run.
    pub warning: bool,
}

impl Diagnostic {
    /// A problem found by `stage` at `location`.
    pub fn new(stage: Stage, message: impl Into<String>, location: Location) -> Self {
        Diagnostic { stage, message: message.into(), location: Box::new(location), label: None, help: None, warning: false }
    }

    /// The same, as a warning.
    pub fn warning(mut self) -> Self {
        self.warning = true;
        self
    }

    /// A problem at a span of a loaded text.
    pub fn at(stage: Stage, span: Span, message: impl Into<String>) -> Self {
        Diagnostic::new(stage, message, Location::Span(span))
    }

    /// Adds the note shown under the quoted span.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds the likely fix.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds the likely fix when there is one.
    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    /// `file:line:col` (or `file: path`) for one-line listings.
    pub fn position(&self, sources: &Sources) -> String {
        let position = match self.location.as_ref() {
            Location::Span(span) => {
                let (line, col) = sources.line_col(span.source, span.start);
                format!("{}:{line}:{col}", sources.name(span.source))
            }
            Location::Path { source, path, span } => match span {
                Some(span) if path.is_empty() => {
                    let (line, col) = sources.line_col(span.source, span.start);
                    format!("{}:{line}:{col}", sources.name(*source))
                }
                Some(span) => {
                    let (line, col) = sources.line_col(span.source, span.start);
                    format!("{}:{line}:{col} ({path})", sources.name(*source))
                }
                None if path.is_empty() => sources.name(*source).to_string(),
                None => format!("{} ({path})", sources.name(*source)),
            },
            Location::File(name) => name.clone(),
            Location::Nowhere => String::new(),
        };
        escape::text(&position).into_owned()
    }

    /// One JSON object for editors and scripts: severity, stage, message, file,
    /// line and column (1-based, when known), YAML path (for evidence), label, help.
    pub fn to_json(&self, sources: &Sources) -> serde_json::Value {
        let (file, span, path) = match self.location.as_ref() {
            Location::Span(span) => (Some(sources.name(span.source).to_string()), Some(*span), None),
            Location::Path { source, path, span } => (Some(sources.name(*source).to_string()), *span, Some(path.clone())),
            Location::File(name) => (Some(name.clone()), None, None),
            Location::Nowhere => (None, None, None),
        };
        let (line, column) = match span {
            Some(s) => {
                let (l, c) = sources.line_col(s.source, s.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        serde_json::json!({
            "severity": if self.warning { "warning" } else { "error" },
            "stage": self.stage.to_string(),
            "message": self.message,
            "file": file,
            "line": line,
            "column": column,
            "path": path,
            "label": self.label,
            "help": self.help,
        })
    }

    /// Renders like rustc, without colour, so output is stable for snapshots.
    pub fn render(&self, sources: &Sources) -> String {
        self.render_with(sources, Style::UNICODE)
    }

    /// Renders with box drawing or ASCII, with or without colour.
    pub fn render_with(&self, sources: &Sources, style: Style) -> String {
        let theme = match (style.unicode, style.colour) {
            (true, true) => GraphicalTheme::unicode(),
            (true, false) => GraphicalTheme::unicode_nocolor(),
            (false, true) => GraphicalTheme::ascii(),
            (false, false) => GraphicalTheme::none(),
        };
        let handler = GraphicalReportHandler::new_themed(theme).with_width(100).with_links(false);
        let report = Rendered::new(self, sources);
        let mut out = String::new();
        if handler.render_report(&mut out, &report).is_err() {
            out = escape::text(&format!("{}: {}", self.stage, self.message)).into_owned();
        }
        out
    }
}

/// How diagnostics are drawn: the command line picks box drawing and colour
/// for a terminal, plain ASCII for a pipe or a file (src/cli/color.rs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    /// Box drawing characters rather than ASCII.
    pub unicode: bool,
    /// ANSI colours.
    pub colour: bool,
}

impl Style {
    /// Box drawing, no colour: what the library renders by default.
    pub const UNICODE: Style = Style { unicode: true, colour: false };
    /// Plain ASCII, no colour: what a pipe gets.
    pub const ASCII: Style = Style { unicode: false, colour: false };
}

/// A list of diagnostics, in the order found.
#[derive(Default, Debug, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one at the end.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Adds all of `other` at the end.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }
    /// Each rendered as [`Diagnostic::render`] does, one after the other.
    pub fn render(&self, sources: &Sources) -> String {
        self.render_with(sources, Style::UNICODE)
    }
    /// Each rendered in `style`, one after the other.
    pub fn render_with(&self, sources: &Sources, style: Style) -> String {
        self.0.iter().map(|d| d.render_with(sources, style)).collect::<Vec<_>>().join("\n")
    }
}

/// A diagnostic with its text attached, in the shape miette renders. Every
/// text in it may quote evidence, so each is shown through [`escape::text`]:
/// no escape sequence, carriage return, bidi control or line break from
/// evidence reaches the terminal.
#[derive(Debug, Clone)]
pub(crate) struct Rendered {
    warning: bool,
    heading: String,
    help: Option<String>,
    source: Option<Excerpt>,
    labels: Vec<LabeledSpan>,
}

impl Rendered {
    pub(crate) fn new(d: &Diagnostic, sources: &Sources) -> Self {
        let stage = if d.warning { "warning".to_string() } else { d.stage.to_string() };
        let mut heading = format!("{stage}: {}", d.message);
        let span = match d.location.as_ref() {
            Location::Span(span) => Some(*span),
            Location::Path { source, path, span } => {
                // Without a span miette shows no file, so the heading names it,
                // first, where a long line cannot wrap it.
                // An empty path is the whole document: nothing to name.
                let path = if path.is_empty() { String::new() } else { format!("{path}: ") };
                heading = match span {
                    Some(_) => format!("{stage}: {path}{}", d.message),
                    None => format!("{stage}: {}: {path}{}", sources.name(*source), d.message),
                };
                *span
            }
            Location::File(name) => {
                heading = format!("{stage}: {name}: {}", d.message);
                None
            }
            Location::Nowhere => None,
        };
        let (source, labels) = match span {
            Some(span) => {
                let excerpt = Excerpt::new(sources.name(span.source), sources.text(span.source), span.start, span.end);
                let (start, len) = excerpt.label;
                let label = d.label.as_deref().map(|l| escape::text(l).into_owned());
                (Some(excerpt), vec![LabeledSpan::new(label, start, len)])
            }
            None => (None, vec![]),
        };
        let help = d.help.as_deref().map(|h| escape::text(h).into_owned());
        Rendered { warning: d.warning, heading: escape::text(&heading).into_owned(), help, source, labels }
    }
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.heading)
    }
}

impl std::error::Error for Rendered {}

impl miette::Diagnostic for Rendered {
    fn severity(&self) -> Option<miette::Severity> {
        Some(if self.warning { miette::Severity::Warning } else { miette::Severity::Error })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

/// Lines longer than this many characters are cut to a window around the span.
const MAX_QUOTED_LINE: usize = 160;
/// How much of a long line is shown before the span, and from its start after.
const BEFORE_SPAN: usize = 60;
const FROM_SPAN: usize = 100;

/// What miette quotes: the span's lines with one line of context either side,
/// not the whole file. Each line is cut to a window around the span when it
/// is long (miette panics past column 65,535, and a one-line JSON file of a
/// megabyte is no snippet), and unsafe characters are shown escaped as in
/// [`escape::text`] (tabs are kept: miette shows them as spaces). The header
/// still names the real line and byte column.
#[derive(Debug, Clone)]
struct Excerpt {
    name: String,
    /// The lines as shown, each ending in `\n` but maybe the last.
    data: String,
    /// 0-based number of the first line shown.
    first_line: usize,
    /// 0-based byte column of the span in its line of the original text.
    column: usize,
    /// The span in `data`: offset and length.
    label: (usize, usize),
}

impl Excerpt {
    fn new(name: &str, text: &str, start: usize, end: usize) -> Excerpt {
        let start = floor_char_boundary(text, start.min(text.len()));
        let end = floor_char_boundary(text, end.min(text.len())).max(start);
        // Lines with their byte offsets; a final `\n` is followed by an empty line.
        let mut lines = vec![];
        let mut offset = 0;
        for line in text.split('\n') {
            lines.push((offset, line.strip_suffix('\r').unwrap_or(line)));
            offset += line.len() + 1;
        }
        let line_of = |at: usize| lines.iter().rposition(|&(o, _)| o <= at).unwrap_or(0);
        let (first, last) = (line_of(start), line_of(end));
        let shown = first.saturating_sub(1)..(last + 2).min(lines.len());
        let mut data = String::new();
        let (mut label_start, mut label_end) = (None, None);
        for n in shown.clone() {
            let (line_offset, line) = lines[n];
            let chars: Vec<(usize, char)> = line.char_indices().collect();
            let window = if chars.len() <= MAX_QUOTED_LINE {
                0..chars.len()
            } else {
                // Around the span's start on its line, from the line's start elsewhere.
                let anchor = if n == first { chars.partition_point(|&(i, _)| line_offset + i < start) } else { 0 };
                let from = anchor.saturating_sub(BEFORE_SPAN);
                from..(anchor + FROM_SPAN).min(chars.len())
            };
            if window.start > 0 {
                data.push('…');
            }
            for &(i, c) in &chars[window.clone()] {
                let at = line_offset + i;
                if label_start.is_none() && start <= at {
                    label_start = Some(data.len());
                }
                if label_end.is_none() && end <= at {
                    label_end = Some(data.len());
                }
                if c == '\t' || !escape::is_unsafe(c) {
                    data.push(c);
                } else {
                    data.push_str(&escape::text(c.encode_utf8(&mut [0; 4])));
                }
            }
            if window.end < chars.len() {
                data.push('…');
            }
            // A span starting or ending past the shown part of its line, at the
            // line break or in the cut tail, is shown at the line's end.
            let line_end = line_offset + line.len();
            if label_start.is_none() && (start <= line_end || n == first) {
                label_start = Some(data.len());
            }
            if label_end.is_none() && (end <= line_end || n == last) {
                label_end = Some(data.len());
            }
            if n + 1 < lines.len() {
                data.push('\n');
            }
        }
        let label_start = label_start.unwrap_or(data.len());
        // A span running over the line break takes it along, as in the original.
        let mut label_end = label_end.unwrap_or(data.len()).max(label_start);
        if end > lines[last].0 + lines[last].1.len() && data[label_end..].starts_with('\n') {
            label_end += 1;
        }
        Excerpt {
            name: escape::text(name).into_owned(),
            data,
            first_line: shown.start,
            column: start - lines[first].0,
            label: (label_start, label_end - label_start),
        }
    }
}

impl miette::SourceCode for Excerpt {
    fn read_span<'a>(&'a self, span: &SourceSpan, before: usize, after: usize) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.data.as_str().read_span(span, before, after)?;
        // miette reads the span alone (no context) for the header's position:
        // that is the original line and byte column, whatever was cut or escaped.
        let column = if before == 0 && span.offset() == self.label.0 { self.column } else { inner.column() };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            self.first_line + inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str, start: usize, end: usize) -> String {
        let mut sources = Sources::default();
        let id = sources.add("e.json", text);
        Diagnostic::at(Stage::Evidence, Span { source: id, start, end }, "what is wrong").label("here").render(&sources)
    }

    /// miette panicked ("Formatting argument out of range") on a label past
    /// column 65,535: a one-line JSON file over 64 KiB with an error late in it.
    #[test]
    fn quotes_a_window_of_a_long_line() {
        let text = format!("{{\"case\": \"{}\", \"reports\": [{{\"id\": \"r1\", \"source\": \"nope\"}}]}}", "x".repeat(70_000));
        let at = text.find("\"source\"").unwrap_or(0);
        let out = render(&text, at, at + 8);
        assert!(out.contains(&format!("[e.json:1:{}]", at + 1)), "{out}");
        assert!(out.contains("what is wrong") && out.contains("here"));
        assert!(out.contains("\"source\": \"nope\""));
        assert!(out.lines().all(|l| l.chars().count() < 400), "{out}");
        // A span at the very end, and one covering the whole line.
        let _ = render(&text, text.len(), text.len() + 1);
        let _ = render(&text, 0, text.len());
    }

    #[test]
    fn quotes_no_terminal_controls() {
        let text = "a: 1\nb\u{1b}[2J\r\u{202e}: \"\u{1b}]52;c;aGk=\u{7}\"\u{2028}x\nc: 3\n";
        let at = text.find('b').unwrap_or(0);
        let mut sources = Sources::default();
        let id = sources.add("e\u{1b}.yaml", text);
        let out = Diagnostic::at(Stage::Evidence, Span { source: id, start: at, end: at + 4 }, "bad \u{1b}[31m\nkey")
            .label("the\rlabel")
            .help("help\u{202e}")
            .render(&sources);
        assert!(!out.chars().any(|c| c != '\n' && crate::report::escape::is_unsafe(c)), "{out:?}");
        assert!(out.contains("bad \\u{1b}[31m\\nkey") && out.contains("the\\rlabel") && out.contains("help\\u{202e}"), "{out}");
        assert!(out.contains("[e\\u{1b}.yaml:2:1]"), "{out}");
        assert!(out.contains("b\\u{1b}[2J\\r\\u{202e}"), "{out}");
    }

    #[test]
    fn quotes_short_texts_as_they_are() {
        let text = "first: 1\nsecond: 2\nthird: 3\nfourth: 4\n";
        let at = text.find("third").unwrap_or(0);
        let out = render(text, at, at + 5);
        assert!(out.contains("[e.json:3:1]") && out.contains("2 │ second: 2") && out.contains("4 │ fourth: 4"), "{out}");
        assert!(!out.contains("first"));
    }
}
