//! Diagnostics shared by every stage: where a problem is, what was expected,
//! and the likely fix. Rendered like rustc through miette.

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};
use std::fmt;

/// Index of a loaded text in [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceId(pub u32);

/// A byte range in one loaded text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    pub source: SourceId,
    pub start: usize,
    pub end: usize,
}

/// Every text read so far (rule files, evidence files), so diagnostics can quote them.
#[derive(Default, Debug, Clone)]
pub struct Sources {
    files: Vec<(String, String)>,
}

impl Sources {
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> SourceId {
        self.files.push((name.into(), text.into()));
        SourceId((self.files.len() - 1) as u32)
    }

    pub fn name(&self, id: SourceId) -> &str {
        self.files.get(id.0 as usize).map(|f| f.0.as_str()).unwrap_or("<unknown>")
    }

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
    Parse,
    Check,
    Evidence,
    Evaluate,
    Io,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Parse => "syntax error",
            Stage::Check => "rule error",
            Stage::Evidence => "evidence error",
            Stage::Evaluate => "evaluation error",
            Stage::Io => "cannot read input",
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
        source: SourceId,
        path: String,
        span: Option<Span>,
    },
    /// A whole file.
    File(String),
    Nowhere,
}

/// One problem, with what was expected and the likely fix.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub stage: Stage,
    pub message: String,
    pub location: Box<Location>,
    pub label: Option<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(stage: Stage, message: impl Into<String>, location: Location) -> Self {
        Diagnostic { stage, message: message.into(), location: Box::new(location), label: None, help: None }
    }

    pub fn at(stage: Stage, span: Span, message: impl Into<String>) -> Self {
        Diagnostic::new(stage, message, Location::Span(span))
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    /// `file:line:col` (or `file: path`) for one-line listings.
    pub fn position(&self, sources: &Sources) -> String {
        match self.location.as_ref() {
            Location::Span(span) => {
                let (line, col) = sources.line_col(span.source, span.start);
                format!("{}:{line}:{col}", sources.name(span.source))
            }
            Location::Path { source, path, span } => match span {
                Some(span) => {
                    let (line, col) = sources.line_col(span.source, span.start);
                    format!("{}:{line}:{col} ({path})", sources.name(*source))
                }
                None => format!("{} ({path})", sources.name(*source)),
            },
            Location::File(name) => name.clone(),
            Location::Nowhere => String::new(),
        }
    }

    /// Renders like rustc, without colour, so output is stable for snapshots.
    pub fn render(&self, sources: &Sources) -> String {
        let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100).with_links(false);
        let report = Rendered::new(self, sources);
        let mut out = String::new();
        if handler.render_report(&mut out, &report).is_err() {
            out = format!("{}: {}", self.stage, self.message);
        }
        out
    }
}

/// A list of diagnostics, in the order found.
#[derive(Default, Debug, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }
    pub fn render(&self, sources: &Sources) -> String {
        self.0.iter().map(|d| d.render(sources)).collect::<Vec<_>>().join("\n")
    }
}

/// A diagnostic with its text attached, in the shape miette renders.
#[derive(Debug)]
struct Rendered {
    heading: String,
    help: Option<String>,
    source: Option<NamedSource<String>>,
    labels: Vec<LabeledSpan>,
}

impl Rendered {
    fn new(d: &Diagnostic, sources: &Sources) -> Self {
        let mut heading = format!("{}: {}", d.stage, d.message);
        let span = match d.location.as_ref() {
            Location::Span(span) => Some(*span),
            Location::Path { source, path, span } => {
                // Without a span miette shows no file, so the heading names it,
                // first, where a long line cannot wrap it.
                heading = match span {
                    Some(_) => format!("{}: {}: {}", d.stage, path, d.message),
                    None => format!("{}: {}: {}: {}", d.stage, sources.name(*source), path, d.message),
                };
                *span
            }
            Location::File(name) => {
                heading = format!("{}: {name}: {}", d.stage, d.message);
                None
            }
            Location::Nowhere => None,
        };
        let (source, labels) = match span {
            Some(span) => {
                let text = sources.text(span.source).to_string();
                let start = span.start.min(text.len());
                let len = span.end.min(text.len()).saturating_sub(start);
                let named = NamedSource::new(sources.name(span.source), text).with_language("ascribe");
                (Some(named), vec![LabeledSpan::new(d.label.clone(), start, len)])
            }
            None => (None, vec![]),
        };
        Rendered { heading, help: d.help.clone(), source, labels }
    }
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.heading)
    }
}

impl std::error::Error for Rendered {}

impl miette::Diagnostic for Rendered {
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
