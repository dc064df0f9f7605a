//! The validated evidence set.

use crate::prelude::*;

/// One fact as loaded: its type, its field values in schema order, and the
/// YAML path it came from (for diagnostics and explanations).
#[derive(Clone, Debug)]
pub struct Record {
    pub ty: TypeId,
    pub fields: Vec<Option<Value>>,
    pub path: String,
    /// The file it was loaded from.
    pub file: SourceId,
}

impl Record {
    pub fn text(&self, index: usize) -> Option<&str> {
        self.fields.get(index).and_then(|v| v.as_ref()).and_then(|v| v.as_str())
    }
}

#[derive(Clone, Debug)]
pub struct SourceRecord {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub reliability: String,
}

#[derive(Clone, Debug)]
pub struct ReportRecord {
    pub id: String,
    /// Index into [`EvidenceSet::sources`].
    pub source: usize,
    pub date: Date,
    pub credibility: u8,
    pub title: String,
    /// Indexes of the reports this one withdraws.
    pub retracts: Vec<usize>,
    /// Indexes of the reports whose observations this one repeats.
    pub based_on: Vec<usize>,
    pub asserts: Vec<Record>,
    pub path: String,
}

#[derive(Clone, Debug)]
pub struct HypothesisRecord {
    pub actor: String,
    pub prior: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct QuestionRecord {
    pub id: String,
    pub incident: String,
    pub text: String,
    pub hypotheses: Vec<HypothesisRecord>,
    /// The prior of the catch-all `other`, when given on its own; named
    /// hypotheses without a prior then share the rest evenly.
    pub other_prior: Option<f64>,
    pub path: String,
}

/// Everything an evaluation reads: certain entities, graded sources, dated
/// reports with their assertions, and the questions to answer.
#[derive(Clone, Debug, Default)]
pub struct EvidenceSet {
    pub files: Vec<SourceId>,
    /// Certain facts: sources, reports, actors, incidents, artifacts, questions, hypotheses.
    pub entities: Vec<Record>,
    pub sources: Vec<SourceRecord>,
    pub reports: Vec<ReportRecord>,
    pub questions: Vec<QuestionRecord>,
    /// Incident id → (name, date).
    pub incidents: BTreeMap<String, (String, Date)>,
    /// Actor id → display name.
    pub actors: BTreeMap<String, String>,
    /// Actor id → the actor it is part of (`parent:`), checked to form no loop.
    pub parents: BTreeMap<String, String>,
    /// What loading found likely wrong but not fatal (STIX objects with no
    /// home in the evidence model), for the command line to show.
    pub warnings: Vec<Diagnostic>,
}

impl EvidenceSet {
    /// The actors `actor` is part of, nearest first (its parent, its parent's parent, ...).
    pub fn ancestors(&self, actor: &str) -> Vec<&str> {
        let mut out: Vec<&str> = vec![];
        let mut at = actor;
        while let Some(parent) = self.parents.get(at) {
            if parent == actor || out.contains(&parent.as_str()) {
                break;
            }
            out.push(parent);
            at = parent;
        }
        out
    }

    /// Whether `ancestor` is `actor` or contains it.
    pub fn contains(&self, ancestor: &str, actor: &str) -> bool {
        ancestor == actor || self.ancestors(actor).contains(&ancestor)
    }

    pub fn report_index(&self, id: &str) -> Option<usize> {
        self.reports.iter().position(|r| r.id == id)
    }
}
