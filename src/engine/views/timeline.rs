//! The timeline of a judgment: every question evaluated as of each distinct
//! report date (the engine's `--as-of`, nothing recomputed here), with what
//! changed since the previous date: reports that arrived, reports withdrawn,
//! and a change of the leading hypothesis.

use super::{question, title, Share};
use crate::engine::{evaluate, Options};
use crate::evidence::EvidenceSet;
use crate::language::Program;
use crate::prelude::*;
use serde::Serialize;

/// The timeline of every question: its judgment as of each report date.
#[derive(Serialize, Debug, Clone)]
pub struct Timeline {
    /// The `--as-of` date the timeline stops at, if one was given.
    pub as_of: Option<String>,
    /// One per question assessed at some report date, in evidence order.
    pub questions: Vec<QuestionTimeline>,
}

/// The course of one question's judgment over the report dates.
#[derive(Serialize, Debug, Clone)]
pub struct QuestionTimeline {
    /// The question's id.
    pub id: String,
    /// The question's text, or "Who is responsible for ...?".
    pub title: String,
    /// The hypotheses (id, name), most probable at the last date first.
    pub hypotheses: Vec<Column>,
    /// One per report date on which the question was open, oldest first.
    pub points: Vec<Point>,
}

/// A hypothesis of the timeline, a column of its table and a line of its chart.
#[derive(Serialize, Debug, Clone)]
pub struct Column {
    /// The hypothesis' id (an actor id, or `other`).
    pub id: String,
    /// The hypothesis' name, for display.
    pub name: String,
}

/// The judgment of a question as of one report date.
#[derive(Serialize, Debug, Clone)]
pub struct Point {
    /// The report date (`YYYY-MM-DD`).
    pub date: String,
    /// In the order of the columns; empty when the question could not be weighed.
    pub probabilities: Vec<Share>,
    /// The most probable hypothesis at this date.
    pub leader: String,
    /// The leader at the previous date, when it was another.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leader_was: Option<String>,
    /// Analytic confidence in the leader at this date: low, moderate or high
    /// (empty when the question could not be weighed).
    pub confidence: String,
    /// How many reports are in force at this date (made, not withdrawn).
    pub in_force: usize,
    /// Reports made since the previous date (at the first point: on its date).
    pub arrived: Vec<String>,
    /// Reports withdrawn since the previous date, each with the report withdrawing it.
    pub withdrawn: Vec<Withdrawal>,
    /// Why the question has no probabilities at this date, if it has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A report withdrawn (retracted) by a later one.
#[derive(Serialize, Debug, Clone)]
pub struct Withdrawal {
    /// The id of the report withdrawn.
    pub report: String,
    /// The id of the report withdrawing it.
    pub by: String,
}

/// The distinct dates of reports, oldest first, up to `as_of` when given.
pub fn dates(evidence: &EvidenceSet, as_of: Option<Date>) -> Vec<Date> {
    let dates: BTreeSet<Date> = evidence.reports.iter().map(|r| r.date).filter(|d| as_of.is_none_or(|a| *d <= a)).collect();
    dates.into_iter().collect()
}

/// Evaluates as of every report date and reads each question's course, with
/// the diagnostics of questions that could not be weighed at the last date (as
/// `eval` would give them). `Err` when the evidence cannot be evaluated at some date.
pub fn timeline(program: &Program, evidence: &EvidenceSet, options: &Options) -> Result<(Timeline, Diagnostics), Diagnostics> {
    let mut runs = vec![];
    let mut last_diagnostics = Diagnostics::default();
    for date in dates(evidence, options.as_of) {
        let evaluation = evaluate(program, evidence, &Options { as_of: Some(date), ..options.clone() })?;
        last_diagnostics = evaluation.diagnostics;
        runs.push((date, evaluation.assessment));
    }
    let mut questions = vec![];
    for q in &evidence.questions {
        let Some(last) = runs.iter().rev().find_map(|(_, a)| question(a, &q.id)) else { continue };
        let columns: Vec<Column> = last.hypotheses.iter().map(|h| Column { id: h.id.clone(), name: h.name.clone() }).collect();
        let mut points = vec![];
        let mut seen: Option<Date> = None;
        let mut leader_before: Option<String> = None;
        for (date, assessment) in &runs {
            let open = !assessment.not_yet.iter().any(|n| n.id == q.id);
            if !open {
                continue;
            }
            // At the first point, only what came on its own date: what came
            // before is the state it starts from.
            let since = |d: Date| seen.is_none_or(|s| d > s) && d <= *date && (seen.is_some() || d == *date);
            let arrived = evidence.reports.iter().filter(|r| since(r.date)).map(|r| r.id.clone()).collect();
            let withdrawn = evidence
                .reports
                .iter()
                .filter(|r| since(r.date))
                .flat_map(|r| r.retracts.iter().map(move |&t| Withdrawal { report: evidence.reports[t].id.clone(), by: r.id.clone() }))
                .collect();
            seen = Some(*date);
            let in_force = evidence.reports.iter().filter(|r| r.date <= *date).count().saturating_sub(assessment.retracted.len());
            let point = match question(assessment, &q.id) {
                Some(outcome) => {
                    let leader = outcome.hypotheses.first().map(|h| h.id.clone()).unwrap_or_default();
                    let leader_was = leader_before.as_ref().filter(|l| **l != leader).cloned();
                    leader_before = Some(leader.clone());
                    Point {
                        date: date.to_string(),
                        probabilities: columns
                            .iter()
                            .filter_map(|c| {
                                super::hypothesis(outcome, &c.id).map(|(probability, _)| Share { hypothesis: c.id.clone(), probability })
                            })
                            .collect(),
                        leader,
                        leader_was,
                        confidence: outcome.confidence.clone(),
                        in_force,
                        arrived,
                        withdrawn,
                        note: None,
                    }
                }
                None => Point {
                    date: date.to_string(),
                    probabilities: vec![],
                    leader: String::new(),
                    leader_was: None,
                    confidence: String::new(),
                    in_force,
                    arrived,
                    withdrawn,
                    note: Some("not weighed at this date (see `ascribe eval --as-of` for why)".into()),
                },
            };
            points.push(point);
        }
        questions.push(QuestionTimeline { id: q.id.clone(), title: title(last), hypotheses: columns, points });
    }
    Ok((Timeline { as_of: options.as_of.map(|d| d.to_string()), questions }, last_diagnostics))
}
