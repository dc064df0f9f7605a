//! The validated evidence set.

use crate::prelude::*;

/// One fact as loaded: its type, its field values in schema order, and the
/// YAML path it came from (for diagnostics and explanations).
#[derive(Clone, Debug)]
pub struct Record {
    /// The fact's type.
    pub ty: TypeId,
    /// Its field values, in schema order (`None` for a field not given).
    pub fields: Vec<Option<Value>>,
    /// The YAML path it came from, such as `reports[2].asserts[0]`.
    pub path: String,
    /// The file it was loaded from.
    pub file: SourceId,
}

impl Record {
    /// The text of field `index`, if it is a string.
    pub fn text(&self, index: usize) -> Option<&str> {
        self.fields.get(index).and_then(|v| v.as_ref()).and_then(|v| v.as_str())
    }
}

/// A graded source of reports.
#[derive(Clone, Debug)]
pub struct SourceRecord {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// What kind of source it is (vendor, government, press, ...).
    pub kind: String,
    /// Admiralty reliability grade, A to F.
    pub reliability: String,
}

/// A dated report from a source, with what it asserts.
#[derive(Clone, Debug)]
pub struct ReportRecord {
    /// Its id.
    pub id: String,
    /// Index into [`EvidenceSet::sources`].
    pub source: usize,
    /// When it was made.
    pub date: Date,
    /// Admiralty credibility, 1 to 6.
    pub credibility: u8,
    /// Its title.
    pub title: String,
    /// Indexes of the reports this one withdraws.
    pub retracts: Vec<usize>,
    /// Indexes of the reports whose observations this one repeats.
    pub based_on: Vec<usize>,
    /// The facts it asserts.
    pub asserts: Vec<Record>,
    /// Its YAML path.
    pub path: String,
}

/// One hypothesis of a question: an actor and its prior.
#[derive(Clone, Debug)]
pub struct HypothesisRecord {
    /// The actor's id (`other` for an actor not listed).
    pub actor: String,
    /// Its prior, when the question gives one.
    pub prior: Option<f64>,
}

/// A question to answer: who is responsible for an incident.
#[derive(Clone, Debug)]
pub struct QuestionRecord {
    /// Its id.
    pub id: String,
    /// The incident it asks about.
    pub incident: String,
    /// The question as written.
    pub text: String,
    /// The competing hypotheses.
    pub hypotheses: Vec<HypothesisRecord>,
    /// The prior of the catch-all `other`, when given on its own; named
    /// hypotheses without a prior then share the rest evenly.
    pub other_prior: Option<f64>,
    /// Its YAML path.
    pub path: String,
}

/// Everything an evaluation reads: certain entities, graded sources, dated
/// reports with their assertions, and the questions to answer.
#[derive(Clone, Debug, Default)]
pub struct EvidenceSet {
    /// The texts it was loaded from, in order.
    pub files: Vec<SourceId>,
    /// Certain facts: sources, reports, actors, incidents, artifacts, questions, hypotheses.
    pub entities: Vec<Record>,
    /// The graded sources.
    pub sources: Vec<SourceRecord>,
    /// The reports, in file order.
    pub reports: Vec<ReportRecord>,
    /// The questions to answer, in file order.
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

    /// The index of the report with this id.
    pub fn report_index(&self, id: &str) -> Option<usize> {
        self.reports.iter().position(|r| r.id == id)
    }
}
