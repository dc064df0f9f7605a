//! The views analysts work with besides the assessment: the ACH matrix, the
//! timeline of the judgment, and the sensitivity of each report. Each is
//! computed through the engine (evaluating as of another date; re-weighing a
//! question with a report's genuineness fixed, see [`whatif`]), never by a
//! weighing of its own here, so every figure is exactly what `ascribe eval`
//! would say under that assumption.

pub mod graph;
pub mod matrix;
pub mod sensitivity;
pub mod timeline;
pub mod whatif;

pub use whatif::{what_ifs, what_ifs_capped, Judged, WhatIf, DEFAULT_MAX_REPORTS};

use super::{evaluate, Evaluation, Options};
use crate::evidence::EvidenceSet;
use crate::language::Program;
use crate::prelude::*;
use crate::report::{Assessment, QuestionOutcome};

/// Everything the analyst's report shows: the assessment and every view.
#[derive(Serialize, Debug, Clone)]
pub struct Workbench {
    /// The ascribe version that computed it.
    pub version: String,
    /// The assessment, as `ascribe eval` gives it.
    pub assessment: Assessment,
    /// The ACH matrix of every weighed question.
    pub matrix: matrix::Matrix,
    /// The judgment as of each report date.
    pub timeline: timeline::Timeline,
    /// How far each report moves each question's leading hypothesis.
    pub sensitivity: sensitivity::Sensitivity,
    /// The evidence graph of each weighed question.
    pub graphs: Vec<graph::EvidenceGraph>,
    /// The rule set used, in loading order.
    pub rules: Vec<RuleUsed>,
}

/// A rule of the rule set, and whether it applied to this evidence.
#[derive(Serialize, Debug, Clone)]
pub struct RuleUsed {
    /// The rule's id.
    pub id: String,
    /// The rule's title.
    pub title: String,
    /// The file it came from (`<standard library>/...` for built-in rules).
    pub file: String,
    /// It made an argument or an undercut with this evidence.
    pub applied: bool,
}

/// Evaluates once and computes every view, with what-ifs for at most
/// `max_reports` reports per question. `Err` when the evidence cannot be
/// evaluated at all; questions that fail alone are left out (their
/// diagnostics are returned with the workbench), and the warnings of
/// questions with more reports than the cap come after them.
pub fn workbench(
    program: &Program,
    evidence: &EvidenceSet,
    options: &Options,
    max_reports: usize,
) -> Result<(Workbench, Diagnostics, Diagnostics), Diagnostics> {
    let base = evaluate(program, evidence, options)?;
    let (what_ifs, capped) = whatif::what_ifs_capped(program, evidence, options, &base, max_reports);
    let applied: BTreeSet<usize> = base
        .graph
        .arguments
        .iter()
        .map(|a| a.rule)
        .chain(base.graph.undercutters.iter().filter(|u| !u.targets.is_empty()).map(|u| u.rule))
        .collect();
    let workbench = Workbench {
        version: env!("CARGO_PKG_VERSION").to_string(),
        matrix: matrix::matrix(program, evidence, &base, &what_ifs),
        sensitivity: sensitivity::sensitivity(evidence, &base, &what_ifs),
        timeline: timeline::timeline(program, evidence, options)?.0,
        graphs: base.weighings.iter().map(|w| graph::graph(program, evidence, &base, w)).collect(),
        rules: program
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| RuleUsed { id: r.id.clone(), title: r.title.clone(), file: r.file.clone(), applied: applied.contains(&i) })
            .collect(),
        assessment: base.assessment,
    };
    Ok((workbench, base.diagnostics, capped))
}

/// The reports in force that bear on the question: an argument weighing its
/// incident, or an undercutter of one, rests on them. In evidence order.
pub fn bearing_reports(evaluation: &Evaluation, evidence: &EvidenceSet, question: usize) -> Vec<usize> {
    let graph = &evaluation.graph;
    let incident = &evidence.questions[question].incident;
    let mut reports = BTreeSet::new();
    for (a, argument) in graph.arguments.iter().enumerate() {
        if &argument.incident != incident {
            continue;
        }
        reports.extend(argument.reports.iter().copied());
        for u in graph.undercut_by(a) {
            reports.extend(graph.undercutters[u].reports.iter().copied());
        }
    }
    reports.into_iter().filter(|&r| graph.provenance.reports[r].in_force()).collect()
}

/// The outcome of a question in an assessment, by question id.
pub fn question<'a>(assessment: &'a Assessment, id: &str) -> Option<&'a QuestionOutcome> {
    assessment.questions.iter().find(|q| q.id == id)
}

/// Each weighed question that has an outcome in the base assessment (one that
/// failed alone has none), in weighing order, as (question index, id, outcome):
/// where every per-question view starts.
pub fn weighed_questions<'a>(
    evidence: &'a EvidenceSet,
    base: &'a Evaluation,
) -> impl Iterator<Item = (usize, &'a String, &'a QuestionOutcome)> + 'a {
    base.weighings.iter().filter_map(move |w| {
        let id = &evidence.questions[w.question].id;
        question(&base.assessment, id).map(|outcome| (w.question, id, outcome))
    })
}

/// Entries keyed by report index, largest `key` first and ties in evidence
/// order, so every view ranks reports the same stable way.
pub fn ranked<T>(mut entries: Vec<(usize, T)>, key: impl Fn(&T) -> f64) -> Vec<T> {
    entries.sort_by(|(a, x), (b, y)| key(y).total_cmp(&key(x)).then(a.cmp(b)));
    entries.into_iter().map(|(_, entry)| entry).collect()
}

/// The probability and log10 odds of a hypothesis in a question's outcome.
pub fn hypothesis(outcome: &QuestionOutcome, id: &str) -> Option<(f64, f64)> {
    outcome.hypotheses.iter().find(|h| h.id == id).map(|h| (h.probability, h.log10_odds))
}

/// log10 of a probability from its log10 odds, stable at both ends.
pub fn log10_probability(log10_odds: f64) -> f64 {
    if log10_odds < -15.0 {
        log10_odds
    } else {
        -(10f64.powf(-log10_odds)).ln_1p() / std::f64::consts::LN_10
    }
}

/// How a question is headed: its own text, or "Who is responsible for ...?".
pub fn title(q: &QuestionOutcome) -> String {
    if q.text.is_empty() {
        format!("Who is responsible for {}?", q.incident_name)
    } else {
        q.text.clone()
    }
}

/// A hypothesis' probability in some case.
#[derive(Serialize, Debug, Clone)]
pub struct Share {
    /// The hypothesis' id.
    pub hypothesis: String,
    /// Its probability in that case (0..1).
    pub probability: f64,
}

/// What a report is, for a row: id, title, date, source, grading in words.
#[derive(Serialize, Debug, Clone)]
pub struct ReportLabel {
    /// The report's id.
    pub report: String,
    /// The report's title.
    pub title: String,
    /// The date it was made (`YYYY-MM-DD`).
    pub date: String,
    /// The name of its source (empty when the source is unknown).
    pub source: String,
    /// Admiralty grading, e.g. `B2`.
    pub grading: String,
    /// The grading in words: "usually reliable source, information probably true".
    pub grading_words: String,
    /// The probability that it is genuine, from its grading.
    pub genuine: f64,
    /// The reports it repeats (`based_on`), if any.
    pub repeats: Vec<String>,
}

/// The label of a report (by index in the evidence set): id, title, date,
/// source, Admiralty grading in code and words, genuineness and what it repeats.
pub fn report_label(evidence: &EvidenceSet, report: usize) -> ReportLabel {
    let r = &evidence.reports[report];
    let source = evidence.sources.get(r.source);
    let reliability = source.map(|s| s.reliability.as_str()).unwrap_or("F");
    ReportLabel {
        report: r.id.clone(),
        title: r.title().to_string(),
        date: r.date.to_string(),
        source: source.map(|s| s.name.clone()).unwrap_or_default(),
        grading: format!("{reliability}{}", r.credibility),
        grading_words: crate::scales::grading_words(reliability, r.credibility),
        genuine: crate::scales::report_genuineness(reliability, r.credibility),
        repeats: r.based_on.iter().map(|&o| evidence.reports[o].id.clone()).collect(),
    }
}

/// A likelihood ratio in the ENFSI words of the domain (docs/semantics.md):
/// "supports, moderate (LR 30)" or "against, weak (LR 1/3)".
pub fn ratio_words(log10_lr: f64) -> String {
    if log10_lr.abs() < NEUTRAL {
        return "neutral (LR 1)".into();
    }
    let band = crate::scales::verbal_band(10f64.powf(log10_lr));
    let side = if log10_lr > 0.0 { "supports" } else { "against" };
    format!("{side}, {band} (LR {})", ratio(log10_lr))
}

/// The strength of a likelihood ratio in ENFSI words, either way:
/// "moderate (LR 30)", "weak (LR 1/3)", "none (LR 1)".
pub fn strength_words(log10_lr: f64) -> String {
    if log10_lr.abs() < NEUTRAL {
        return "none (LR 1)".into();
    }
    format!("{} (LR {})", crate::scales::verbal_band(10f64.powf(log10_lr)), ratio(log10_lr))
}

/// A likelihood ratio from its log10: `30`, `1/3`, three significant decimals.
pub fn ratio(log10: f64) -> String {
    if !log10.is_finite() {
        return if log10 > 0.0 { "∞".into() } else { "1/∞".into() };
    }
    let r = 10f64.powf(log10);
    let shown = |x: f64| -> String {
        if x >= 1e6 {
            format!("{x:.2e}")
        } else if x >= 100.0 {
            format!("{x:.0}")
        } else {
            crate::value::format_number((x * 100.0).round() / 100.0)
        }
    };
    if r >= 1.0 {
        shown(r)
    } else {
        format!("1/{}", shown(1.0 / r))
    }
}

/// A change smaller than this in log10 (a ratio that rounds to 1.00) is neutral.
pub const NEUTRAL: f64 = 0.002;

use serde::Serialize;
