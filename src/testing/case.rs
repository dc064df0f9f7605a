//! Reading an analyst's test file (`*.test.yaml`): cases that name an
//! evidence set, a date and what the assessment must say.

use crate::date::Date;
use crate::diagnostics::{Location, SourceId, Sources, Stage};
use crate::evidence::tree::Tree;
use crate::evidence::{locate, yaml};
use crate::prelude::*;

/// One test: an evidence set as of a date, and what must hold of its assessment.
#[derive(Clone, Debug)]
pub struct TestCase {
    pub name: String,
    /// Evidence files, relative to the test file.
    pub evidence: Vec<String>,
    /// Evidence written in the test file itself (`evidence_text: |`).
    pub evidence_text: Option<String>,
    /// Rule files added to the standard library, relative to the test file.
    pub rules: Vec<String>,
    pub no_default_rules: bool,
    pub as_of: Option<Date>,
    pub expect: Expect,
}

/// What the assessment of one question must say.
#[derive(Clone, Debug, Default)]
pub struct Expect {
    /// The question; may be left out when the set asks one.
    pub question: Option<String>,
    /// The most probable hypothesis.
    pub top: Option<String>,
    /// Hypothesis → [lowest, highest] probability.
    pub probability: Vec<(String, f64, f64)>,
    /// Hypothesis → ICD 203 term.
    pub estimative: Vec<(String, String)>,
    pub confidence: Option<String>,
    /// Rules that must produce an argument or undercut, and rules that must not.
    pub fired: Vec<String>,
    pub quiet: Vec<String>,
}

/// Reads a test file; errors name the file, the YAML path and, when found, the line and column.
pub fn read(source: SourceId, sources: &Sources) -> Result<Vec<TestCase>, Diagnostics> {
    let text = sources.text(source);
    let error = |path: &str, message: String, help: &str| {
        let span = locate::locate(text, path).map(|(start, end)| Span { source, start, end });
        Diagnostic::new(Stage::Test, message, Location::Path { source, path: path.to_string(), span }).help(help.to_string())
    };
    let tree = yaml::parse(text).map_err(|e| {
        Diagnostics(vec![Diagnostic::new(
            Stage::Test,
            format!("not valid YAML: {}", e.message),
            Location::File(sources.name(source).to_string()),
        )
        .help("a test file is YAML: `tests:` and a list of cases")])
    })?;
    let mut diagnostics = Diagnostics::default();
    let Tree::Map(top) = tree else {
        return Err(Diagnostics(vec![error("", "expected a mapping with `tests:`".into(), "write `tests:` and a list of cases")]));
    };
    let mut cases = vec![];
    for (key, value) in top {
        match (key.as_ref(), value) {
            ("tests", Tree::Seq(items)) => {
                for (i, item) in items.into_iter().enumerate() {
                    match case(&format!("tests[{i}]"), item) {
                        Ok(c) => cases.push(c),
                        Err((path, message, help)) => diagnostics.push(error(&path, message, help)),
                    }
                }
            }
            ("tests", other) => diagnostics.push(error(
                "tests",
                format!("expected a list of cases, found {}", other.describe()),
                "write `tests:` followed by `- name: ...` items",
            )),
            (other, _) => diagnostics.push(error(other, format!("unknown section `{other}`"), "a test file has one section, `tests:`")),
        }
    }
    if diagnostics.is_empty() {
        Ok(cases)
    } else {
        Err(diagnostics)
    }
}

type Problem = (String, String, &'static str);

const CASE_KEYS: [&str; 7] = ["name", "evidence", "evidence_text", "rules", "no_default_rules", "as_of", "expect"];
const EXPECT_KEYS: [&str; 7] = ["question", "top", "probability", "estimative", "confidence", "fired", "quiet"];

fn case(path: &str, tree: Tree) -> Result<TestCase, Problem> {
    let Tree::Map(entries) = tree else {
        return Err((
            path.into(),
            format!("expected a test case, found {}", tree.describe()),
            "a case is a mapping: name, evidence, as_of, expect",
        ));
    };
    let mut c = TestCase {
        name: String::new(),
        evidence: vec![],
        evidence_text: None,
        rules: vec![],
        no_default_rules: false,
        as_of: None,
        expect: Expect::default(),
    };
    for (key, value) in entries {
        let at = format!("{path}.{key}");
        match key.as_ref() {
            "name" => c.name = text(&at, value)?,
            "evidence" => c.evidence = texts(&at, value)?,
            "evidence_text" => c.evidence_text = Some(text(&at, value)?),
            "rules" => c.rules = texts(&at, value)?,
            "no_default_rules" => match value {
                Tree::Bool(b) => c.no_default_rules = b,
                other => return Err((at, format!("expected true or false, found {}", other.describe()), "write `no_default_rules: true`")),
            },
            "as_of" => {
                let d = text(&at, value)?;
                c.as_of = Some(Date::parse(&d).ok_or((at, format!("`{d}` is not a date"), "write dates as YYYY-MM-DD"))?);
            }
            "expect" => c.expect = expect(&at, value)?,
            other => {
                return Err((
                    at.clone(),
                    format!("unknown key `{other}` in a test case"),
                    if crate::suggest::closest(other, CASE_KEYS).is_some() {
                        "check the spelling: name, evidence, evidence_text, rules, no_default_rules, as_of, expect"
                    } else {
                        "a case has: name, evidence, evidence_text, rules, no_default_rules, as_of, expect"
                    },
                ))
            }
        }
    }
    if c.name.is_empty() {
        return Err((path.into(), "a test case needs a `name`".into(), "add `name: what this case shows`"));
    }
    if c.evidence.is_empty() && c.evidence_text.is_none() {
        return Err((
            path.into(),
            format!("test `{}` names no evidence", c.name),
            "add `evidence: FILE` (relative to the test file) or `evidence_text: |`",
        ));
    }
    Ok(c)
}

fn expect(path: &str, tree: Tree) -> Result<Expect, Problem> {
    let Tree::Map(entries) = tree else {
        return Err((path.into(), format!("expected what must hold, found {}", tree.describe()), "write e.g. `expect: { top: alpha }`"));
    };
    let mut e = Expect::default();
    for (key, value) in entries {
        let at = format!("{path}.{key}");
        match key.as_ref() {
            "question" => e.question = Some(text(&at, value)?),
            "top" => e.top = Some(text(&at, value)?),
            "confidence" => e.confidence = Some(text(&at, value)?),
            "fired" => e.fired = texts(&at, value)?,
            "quiet" => e.quiet = texts(&at, value)?,
            "estimative" => {
                for (h, v) in map(&at, value)? {
                    e.estimative.push((h.clone(), text(&format!("{at}.{h}"), v)?));
                }
            }
            "probability" => {
                for (h, v) in map(&at, value)? {
                    let here = format!("{at}.{h}");
                    let range = match v {
                        Tree::Num(p) => (p, p),
                        Tree::Seq(items) => match items.as_slice() {
                            [Tree::Num(lo), Tree::Num(hi)] if lo <= hi => (*lo, *hi),
                            _ => return Err((here, "expected [lowest, highest]".into(), "write a range such as [0.6, 0.8]")),
                        },
                        other => {
                            return Err((here, format!("expected a range, found {}", other.describe()), "write a range such as [0.6, 0.8]"))
                        }
                    };
                    e.probability.push((h, range.0, range.1));
                }
            }
            other => {
                let help = if crate::suggest::closest(other, EXPECT_KEYS).is_some() {
                    "check the spelling: question, top, probability, estimative, confidence, fired, quiet"
                } else {
                    "expectations are: question, top, probability, estimative, confidence, fired, quiet"
                };
                return Err((at.clone(), format!("unknown expectation `{other}`"), help));
            }
        }
    }
    Ok(e)
}

fn text(path: &str, tree: Tree) -> Result<String, Problem> {
    match tree {
        Tree::Str(s) => Ok(s.into_owned()),
        Tree::Num(n) => Ok(n.to_string()),
        other => Err((path.into(), format!("expected text, found {}", other.describe()), "write a name or a quoted string")),
    }
}

fn texts(path: &str, tree: Tree) -> Result<Vec<String>, Problem> {
    match tree {
        Tree::Seq(items) => items.into_iter().enumerate().map(|(i, t)| text(&format!("{path}[{i}]"), t)).collect(),
        other => Ok(vec![text(path, other)?]),
    }
}

fn map<'t>(path: &str, tree: Tree<'t>) -> Result<Vec<(String, Tree<'t>)>, Problem> {
    match tree {
        Tree::Map(entries) => Ok(entries.into_iter().map(|(k, v)| (k.into_owned(), v)).collect()),
        other => Err((
            path.into(),
            format!("expected hypothesis: value pairs, found {}", other.describe()),
            "write e.g. `{ alpha: [0.6, 0.8] }`",
        )),
    }
}
