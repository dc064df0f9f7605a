//! Typed errors: one type per stage, and [`Error`] for any of them.
//!
//! Each error carries its [`Diagnostic`]s and the texts they quote, so it can
//! be rendered anywhere, long after the inputs were read: [`Error::render`]
//! and [`Error::render_with`] give the same rustc-like text as the command line, [`Error::to_json`] one
//! JSON object per diagnostic (as `--error-format json`), and every error is a
//! [`miette::Diagnostic`] for programs that report through miette.

use crate::diagnostics::{Diagnostic, Diagnostics, Rendered, Sources, Style};
use crate::report::escape;
use std::fmt;
use std::sync::OnceLock;

/// The diagnostics one stage found, with the texts they quote.
#[derive(Debug, Clone)]
pub struct Problems {
    diagnostics: Diagnostics,
    sources: Sources,
    /// Built on first use by miette: quoting a text is work a caller that
    /// only matches on the error should not pay for.
    rendered: OnceLock<Vec<Rendered>>,
}

impl Problems {
    /// Diagnostics (at least one) with the texts they refer to.
    pub fn new(diagnostics: Diagnostics, sources: Sources) -> Problems {
        Problems { diagnostics, sources, rendered: OnceLock::new() }
    }

    /// Every diagnostic, in the order found.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics.0
    }

    /// The texts the diagnostics quote.
    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    /// Rendered like rustc, without colour, one diagnostic after the other.
    pub fn render(&self) -> String {
        self.diagnostics.render(&self.sources)
    }

    /// Rendered in a style: box drawing or ASCII, colour or not.
    pub fn render_with(&self, style: Style) -> String {
        self.diagnostics.render_with(&self.sources, style)
    }

    /// One JSON object per diagnostic, as `--error-format json` writes them: severity,
    /// stage, message, file, line, column, YAML path, label and help.
    pub fn to_json(&self) -> Vec<serde_json::Value> {
        self.diagnostics.0.iter().map(|d| d.to_json(&self.sources)).collect()
    }

    fn rendered(&self) -> &[Rendered] {
        self.rendered.get_or_init(|| self.diagnostics.0.iter().map(|d| Rendered::new(d, &self.sources)).collect())
    }
}

impl fmt::Display for Problems {
    /// The first diagnostic on one line, `file:line:col: heading`, and how
    /// many more there are. Text from the inputs is escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(first) = self.diagnostics.0.first() else { return f.write_str("no diagnostics") };
        let position = first.position(&self.sources);
        let heading = format!("{}: {}", if first.warning { "warning".to_string() } else { first.stage.to_string() }, first.message);
        if !position.is_empty() {
            write!(f, "{position}: ")?;
        }
        f.write_str(&escape::text(&heading))?;
        match self.diagnostics.0.len() {
            1 => Ok(()),
            n => write!(f, " (and {} more)", n - 1),
        }
    }
}

impl std::error::Error for Problems {}

impl miette::Diagnostic for Problems {
    fn severity(&self) -> Option<miette::Severity> {
        self.rendered().first().and_then(|r| r.severity())
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.rendered().first().and_then(|r| r.help())
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.rendered().first().and_then(|r| r.source_code())
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.rendered().first().and_then(|r| r.labels())
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        let rest = self.rendered().get(1..).unwrap_or_default();
        if rest.is_empty() {
            None
        } else {
            Some(Box::new(rest.iter().map(|r| r as &dyn miette::Diagnostic)))
        }
    }
}

macro_rules! stage_error {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
        #[error(transparent)]
        #[diagnostic(transparent)]
        pub struct $name(Problems);

        impl $name {
            /// Diagnostics (at least one) with the texts they refer to.
            pub fn new(diagnostics: Diagnostics, sources: Sources) -> Self {
                $name(Problems::new(diagnostics, sources))
            }

            /// The diagnostics and the texts they quote.
            pub fn problems(&self) -> &Problems {
                &self.0
            }
        }
    };
}

stage_error!(
    /// A file or folder could not be read: missing, unreadable, not UTF-8, too large.
    IoError
);
stage_error!(
    /// Rule text that is not in the rule language's grammar.
    ParseError
);
stage_error!(
    /// Rules that parse but do not check: unknown types, fields or rules, unbound variables, …
    CheckError
);
stage_error!(
    /// Evidence that does not load: YAML or JSON syntax, unknown fields or ids, bad dates, …
    EvidenceError
);
stage_error!(
    /// Evidence that loads but cannot be weighed: a rule computed an invalid
    /// likelihood ratio, or the work budget ran out.
    EvaluateError
);

/// Any error of ascribe, by the stage that found it. [`std::error::Error::source`]
/// is the stage's error; [`Error::render`] shows every diagnostic as the command line does.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum Error {
    /// Reading rule or evidence files failed.
    #[error("an input cannot be read")]
    #[diagnostic(transparent)]
    Io(#[from] IoError),
    /// The rule text does not parse.
    #[error("the rules do not parse")]
    #[diagnostic(transparent)]
    Parse(#[from] ParseError),
    /// The rules parse but are not valid.
    #[error("the rules are not valid")]
    #[diagnostic(transparent)]
    Check(#[from] CheckError),
    /// The evidence does not load.
    #[error("the evidence is not valid")]
    #[diagnostic(transparent)]
    Evidence(#[from] EvidenceError),
    /// The evidence loads but (some of) its questions cannot be weighed.
    #[error("the evidence cannot be weighed")]
    #[diagnostic(transparent)]
    Evaluate(#[from] EvaluateError),
}

impl Error {
    /// The diagnostics and the texts they quote, whatever the stage.
    pub fn problems(&self) -> &Problems {
        match self {
            Error::Io(e) => e.problems(),
            Error::Parse(e) => e.problems(),
            Error::Check(e) => e.problems(),
            Error::Evidence(e) => e.problems(),
            Error::Evaluate(e) => e.problems(),
        }
    }

    /// Every diagnostic, in the order found.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        self.problems().diagnostics()
    }

    /// The texts the diagnostics quote.
    pub fn sources(&self) -> &Sources {
        self.problems().sources()
    }

    /// Rendered like rustc, with box drawing and without colour.
    pub fn render(&self) -> String {
        self.problems().render()
    }

    /// Rendered in a style: box drawing or ASCII (what `ascribe` writes to a
    /// pipe), colour or not.
    pub fn render_with(&self, style: Style) -> String {
        self.problems().render_with(style)
    }

    /// One JSON object per diagnostic, as `--error-format json` writes them.
    pub fn to_json(&self) -> Vec<serde_json::Value> {
        self.problems().to_json()
    }
}
