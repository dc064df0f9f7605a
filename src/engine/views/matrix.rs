//! The ACH matrix (Heuer's analysis of competing hypotheses): reports ×
//! hypotheses, each cell what the report does to that hypothesis given all the
//! other evidence, and each row's diagnosticity.
//!
//! A report's cell for hypothesis H is exact: the engine's log10 odds of H with
//! every report in force, minus its log10 odds with this report weighed as not
//! genuine (the sensitivity view's "if false"): the likelihood ratio the report
//! carries for H against the rest, given the other evidence. Its
//! diagnosticity is the ratio between the hypothesis it favours most and the
//! one it favours least (docs/semantics.md, "Views").

use super::{
    bearing_reports, log10_probability, ranked, ratio, report_label, strength_words, title, weighed_questions, Judged, ReportLabel, WhatIf,
    NEUTRAL,
};
use crate::engine::Evaluation;
use crate::evidence::EvidenceSet;
use crate::language::Program;
use serde::Serialize;

/// The ACH matrix of every weighed question.
#[derive(Serialize, Debug, Clone)]
pub struct Matrix {
    /// The `--as-of` date of the evaluation, if one was given.
    pub as_of: Option<String>,
    /// One matrix per weighed question.
    pub questions: Vec<QuestionMatrix>,
}

/// The ACH matrix of one question: reports × hypotheses.
#[derive(Serialize, Debug, Clone)]
pub struct QuestionMatrix {
    /// The question's id.
    pub id: String,
    /// The question's text, or "Who is responsible for ...?".
    pub title: String,
    /// The columns: hypotheses, most probable first, with their probability.
    pub hypotheses: Vec<Column>,
    /// The rows: reports, most diagnostic first (then in evidence order).
    pub rows: Vec<Row>,
}

/// A column of the matrix: a hypothesis as assessed.
#[derive(Serialize, Debug, Clone)]
pub struct Column {
    /// The hypothesis' id (an actor id, or `other`).
    pub id: String,
    /// The hypothesis' name, for display.
    pub name: String,
    /// Its assessed probability (0..1).
    pub probability: f64,
}

/// A row of the matrix: what one report does to every hypothesis.
#[derive(Serialize, Debug, Clone)]
pub struct Row {
    /// The report, flattened into the row in JSON.
    #[serde(flatten)]
    pub report: ReportLabel,
    /// One per column, in column order; empty when the question could not be
    /// weighed without the report.
    pub cells: Vec<Cell>,
    /// log10 of the ratio between the hypothesis the report favours most and the
    /// one it favours least; 0 for a report that fits every hypothesis equally.
    pub diagnosticity: f64,
    /// The diagnosticity in words: "moderate (LR 25, north-korea over china)".
    pub diagnosticity_words: String,
    /// Why a row weighs nothing, or what it repeats, when that needs saying.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What one report does to one hypothesis, given all the other evidence.
#[derive(Serialize, Debug, Clone)]
pub struct Cell {
    /// The id of the hypothesis (the column).
    pub hypothesis: String,
    /// `consistent`, `inconsistent` or `neutral` (a ratio that rounds to 1.00).
    pub rating: String,
    /// log10 of the ratio the report carries for this hypothesis against the rest.
    pub log10_lr: f64,
    /// Its strength in ENFSI words: "weak (LR 2.1)", "moderate (LR 1/30)".
    pub words: String,
    /// Percentage points the report moves this hypothesis' probability.
    pub points: f64,
}

/// Computes the ACH matrix of every weighed question from the base evaluation
/// and each report's "if false" what-if: a cell is the hypothesis' log10 odds
/// as assessed minus its log10 odds with the report weighed as not genuine.
pub fn matrix(program: &Program, evidence: &EvidenceSet, base: &Evaluation, what_ifs: &[WhatIf]) -> Matrix {
    let questions = weighed_questions(evidence, base)
        .map(|(q, id, outcome)| {
            let columns: Vec<Column> =
                outcome.hypotheses.iter().map(|h| Column { id: h.id.clone(), name: h.name.clone(), probability: h.probability }).collect();
            let non_diagnostic_reports: std::collections::BTreeSet<&str> =
                outcome.non_diagnostic.iter().flat_map(|f| f.evidence.iter().map(|e| e.report.as_str())).collect();
            let rows: Vec<(usize, Row)> = bearing_reports(base, evidence, q)
                .into_iter()
                .filter_map(|r| Some((r, super::whatif::find(what_ifs, r).filter(|x| x.questions.contains(&q))?)))
                .map(|(r, what_if)| {
                    let label = report_label(evidence, r);
                    let without = what_if.case(false, q);
                    let row = match without {
                        Some(without) => {
                            let idle = if non_diagnostic_reports.contains(evidence.reports[r].id.as_str()) {
                                Idle::NonDiagnostic
                            } else {
                                idle(program, base, &evidence.questions[q].incident, r)
                            };
                            row(label, outcome, without, idle)
                        }
                        None => Row {
                            report: label,
                            cells: vec![],
                            diagnosticity: 0.0,
                            diagnosticity_words: "unknown".into(),
                            note: Some("the question could not be weighed without this report".into()),
                        },
                    };
                    (r, row)
                })
                .collect();
            QuestionMatrix { id: id.clone(), title: title(outcome), hypotheses: columns, rows: ranked(rows, |r| r.diagnosticity) }
        })
        .collect();
    Matrix { as_of: base.assessment.as_of.clone(), questions }
}

/// Why a report that weighs nothing does not: what an analyst asks first.
enum Idle {
    NonDiagnostic,
    /// Every argument resting on it is undercut; the undercutting rules.
    Undercut(Vec<String>),
    /// It only undercuts, and nothing it undercuts weighs anything more.
    OnlyUndercuts,
    Other,
}

fn idle(program: &Program, base: &Evaluation, incident: &str, report: usize) -> Idle {
    let graph = &base.graph;
    let arguments: Vec<usize> = (0..graph.arguments.len())
        .filter(|&a| graph.arguments[a].incident == incident && graph.arguments[a].reports.contains(&report))
        .collect();
    if arguments.is_empty() {
        let undercuts = graph.undercutters.iter().any(|u| u.reports.contains(&report) && !u.targets.is_empty());
        return if undercuts { Idle::OnlyUndercuts } else { Idle::Other };
    }
    let cutters: Vec<Vec<usize>> = arguments.iter().map(|&a| graph.undercut_by(a)).collect();
    if cutters.iter().all(|c| !c.is_empty()) {
        let mut rules: Vec<usize> = cutters.iter().flatten().map(|&u| graph.undercutters[u].rule).collect();
        rules.sort();
        rules.dedup();
        return Idle::Undercut(rules.into_iter().map(|r| program.rules[r].id.clone()).collect());
    }
    Idle::Other
}

fn row(label: ReportLabel, with: &crate::report::QuestionOutcome, without: &Judged, idle: Idle) -> Row {
    let mut cells = vec![];
    // log10 of P(H | with) / P(H | without): differences between hypotheses are
    // the report's ratio of one against the other.
    let mut shifts: Vec<(String, f64)> = vec![];
    for h in &with.hypotheses {
        let Some((p0, lo0)) = without.hypothesis(&h.id) else { continue };
        let log10_lr = h.log10_odds - lo0;
        let rating = if log10_lr.abs() < NEUTRAL {
            "neutral"
        } else if log10_lr > 0.0 {
            "consistent"
        } else {
            "inconsistent"
        };
        cells.push(Cell {
            hypothesis: h.id.clone(),
            rating: rating.into(),
            log10_lr,
            words: strength_words(log10_lr),
            points: (h.probability - p0) * 100.0,
        });
        shifts.push((h.id.clone(), log10_probability(h.log10_odds) - log10_probability(lo0)));
    }
    // Ties (hypotheses the report treats alike) go to the first in column order.
    let most = shifts.iter().fold(None::<&(String, f64)>, |best, s| match best {
        Some(b) if s.1 <= b.1 + 1e-9 => Some(b),
        _ => Some(s),
    });
    let least = shifts.iter().fold(None::<&(String, f64)>, |best, s| match best {
        Some(b) if s.1 >= b.1 - 1e-9 => Some(b),
        _ => Some(s),
    });
    let diagnosticity = match (most, least) {
        (Some(m), Some(l)) => (m.1 - l.1).max(0.0),
        _ => 0.0,
    };
    let (diagnosticity_words, note) = if diagnosticity < NEUTRAL {
        let note = match idle {
            Idle::NonDiagnostic => "non-diagnostic: it fits every hypothesis equally".to_string(),
            _ if !label.repeats.is_empty() => "adds nothing: it repeats reports counted already".to_string(),
            Idle::Undercut(rules) => format!("adds nothing: what it supports is undercut ({})", rules.join(", ")),
            Idle::OnlyUndercuts => "adds nothing: it only undercuts what is undercut already or weighs nothing".to_string(),
            Idle::Other => "adds nothing the other reports do not already carry".to_string(),
        };
        ("none".to_string(), Some(note))
    } else {
        let (m, l) = (most.map(|m| m.0.as_str()).unwrap_or_default(), least.map(|l| l.0.as_str()).unwrap_or_default());
        let band = crate::scales::verbal_band(10f64.powf(diagnosticity));
        let note = (!label.repeats.is_empty()).then(|| format!("repeats {}", label.repeats.join(", ")));
        (format!("{band} (LR {}, {m} over {l})", ratio(diagnosticity)), note)
    };
    Row { report: label, cells, diagnosticity, diagnosticity_words, note }
}
