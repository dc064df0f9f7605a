//! Sensitivity (Heuer's ACH step 6): for each report bearing on a question,
//! where the judgment would stand if the report were false (weighed as not
//! genuine) and if it were certainly genuine, ranked by how far either moves
//! the leading hypothesis. Both are exact evaluations through the engine with
//! the report's genuineness fixed (docs/semantics.md, "Views").

use super::{bearing_reports, ranked, report_label, title, weighed_questions, Judged, ReportLabel, Share, WhatIf};
use crate::engine::Evaluation;
use crate::evidence::EvidenceSet;
use serde::Serialize;

/// The sensitivity of every weighed question to each report bearing on it.
#[derive(Serialize, Debug, Clone)]
pub struct Sensitivity {
    /// The `--as-of` date of the evaluation, if one was given.
    pub as_of: Option<String>,
    /// One per weighed question.
    pub questions: Vec<QuestionSensitivity>,
}

/// The sensitivity of one question's leading hypothesis to each report.
#[derive(Serialize, Debug, Clone)]
pub struct QuestionSensitivity {
    /// The question's id.
    pub id: String,
    /// The question's text, or "Who is responsible for ...?".
    pub title: String,
    /// The leading hypothesis as assessed, and its probability.
    pub leader: String,
    /// The leading hypothesis' name, for display.
    pub leader_name: String,
    /// The leading hypothesis' assessed probability (0..1).
    pub probability: f64,
    /// Most impact on the leader first (then in evidence order).
    pub reports: Vec<ReportSensitivity>,
}

/// How one report moves the leading hypothesis if false or certainly genuine.
#[derive(Serialize, Debug, Clone)]
pub struct ReportSensitivity {
    /// The report, flattened into the entry in JSON.
    #[serde(flatten)]
    pub report: ReportLabel,
    /// Where the question would stand were the report not genuine.
    pub if_false: Option<Scenario>,
    /// Where it would stand were the report certainly genuine.
    pub if_genuine: Option<Scenario>,
    /// The larger of the two moves of the leader's probability, in percentage points.
    pub impact: f64,
}

/// Where a question would stand with one report's genuineness fixed.
#[derive(Serialize, Debug, Clone)]
pub struct Scenario {
    /// The leader's probability in this case.
    pub leader_probability: f64,
    /// Percentage points the leader's probability moves.
    pub change: f64,
    /// The most probable hypothesis in this case.
    pub top: String,
    /// Every hypothesis' probability in this case, in the order assessed.
    pub probabilities: Vec<Share>,
}

/// Computes the sensitivity of every weighed question from the base evaluation
/// and each report's what-ifs, reports ranked by impact on the leader.
pub fn sensitivity(evidence: &EvidenceSet, base: &Evaluation, what_ifs: &[WhatIf]) -> Sensitivity {
    let questions = weighed_questions(evidence, base)
        .filter_map(|(q, id, outcome)| {
            let leader = outcome.hypotheses.first()?;
            let scenario = |other: Option<&Judged>| -> Option<Scenario> {
                let other = other?;
                let (p, _) = other.hypothesis(&leader.id)?;
                Some(Scenario {
                    leader_probability: p,
                    change: (p - leader.probability) * 100.0,
                    top: other.top().map(|h| h.id.clone()).unwrap_or_default(),
                    probabilities: outcome
                        .hypotheses
                        .iter()
                        .filter_map(|h| other.hypothesis(&h.id).map(|(probability, _)| Share { hypothesis: h.id.clone(), probability }))
                        .collect(),
                })
            };
            let reports: Vec<(usize, ReportSensitivity)> = bearing_reports(base, evidence, q)
                .into_iter()
                .filter_map(|r| Some((r, super::whatif::find(what_ifs, r).filter(|x| x.questions.contains(&q))?)))
                .map(|(r, what_if)| {
                    let if_false = scenario(what_if.case(false, q));
                    let if_genuine = scenario(what_if.case(true, q));
                    let impact = [&if_false, &if_genuine].iter().filter_map(|s| s.as_ref().map(|s| s.change.abs())).fold(0.0, f64::max);
                    (r, ReportSensitivity { report: report_label(evidence, r), if_false, if_genuine, impact })
                })
                .collect();
            Some(QuestionSensitivity {
                id: id.clone(),
                title: title(outcome),
                leader: leader.id.clone(),
                leader_name: leader.name.clone(),
                probability: leader.probability,
                reports: ranked(reports, |r| r.impact),
            })
        })
        .collect();
    Sensitivity { as_of: base.assessment.as_of.clone(), questions }
}
