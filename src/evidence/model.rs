//! The validated evidence set.

use crate::prelude::*;
use std::borrow::Cow;

/// One fact as loaded: its type, its field values in schema order, and
/// where it was written (for diagnostics and explanations).
#[derive(Clone, Debug)]
pub struct Record {
    /// The fact's type.
    pub ty: TypeId,
    /// Its field values, in schema order (`None` for a field not given).
    pub fields: Vec<Option<Value>>,
    /// Where it was written in its file: [`Record::path`] writes it out.
    pub at: Loc,
    /// The file it was loaded from.
    pub file: SourceId,
}

impl Record {
    /// The text of field `index`, if it is a string.
    pub fn text(&self, index: usize) -> Option<&str> {
        self.fields.get(index).and_then(|v| v.as_ref()).and_then(|v| v.as_str())
    }

    /// The YAML path it came from, such as `reports[2].asserts[0].geolocation`.
    pub fn path(&self, schema: &Schema) -> String {
        self.at.path(&schema.get(self.ty).name)
    }
}

/// A top-level list of an evidence file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    /// `sources:`
    Sources,
    /// `actors:`
    Actors,
    /// `incidents:`
    Incidents,
    /// `artifacts:`
    Artifacts,
    /// `questions:`
    Questions,
    /// `reports:`
    Reports,
}

impl Section {
    /// The key it is written under.
    pub fn name(self) -> &'static str {
        match self {
            Section::Sources => "sources",
            Section::Actors => "actors",
            Section::Incidents => "incidents",
            Section::Artifacts => "artifacts",
            Section::Questions => "questions",
            Section::Reports => "reports",
        }
    }

    /// The list written under `key`, if it is one.
    pub fn of(key: &str) -> Option<Section> {
        Some(match key {
            "sources" => Section::Sources,
            "actors" => Section::Actors,
            "incidents" => Section::Incidents,
            "artifacts" => Section::Artifacts,
            "questions" => Section::Questions,
            "reports" => Section::Reports,
            _ => return None,
        })
    }
}

/// Where a record was written: an item of a top-level list and, for an
/// assertion, its place in that report's `asserts`. Held instead of the
/// YAML path, which is written out only when a diagnostic needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Loc {
    /// The list.
    pub section: Section,
    /// The item's index in the list.
    pub item: u32,
    /// For an assertion, its index in the report's `asserts`.
    pub assertion: Option<u32>,
}

impl Loc {
    /// The item `index` of a list (indexes past `u32::MAX` are not told apart).
    pub fn item(section: Section, index: usize) -> Loc {
        Loc { section, item: u32::try_from(index).unwrap_or(u32::MAX), assertion: None }
    }

    /// The YAML path: `reports[2]`, or `reports[2].asserts[0].geolocation`
    /// for an assertion of type `type_name`.
    pub fn path(&self, type_name: &str) -> String {
        let item = format!("{}[{}]", self.section.name(), self.item);
        match self.assertion {
            Some(k) => format!("{item}.asserts[{k}].{type_name}"),
            None => item,
        }
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
    /// Its title, when it has one.
    pub title: Option<Box<str>>,
    /// Indexes of the reports this one withdraws.
    pub retracts: Box<[usize]>,
    /// Indexes of the reports whose observations this one repeats.
    pub based_on: Box<[usize]>,
    /// The facts it asserts.
    pub asserts: Box<[Record]>,
    /// The file it was loaded from.
    pub file: SourceId,
    /// Its index in the file's `reports:` list.
    pub item: u32,
}

impl ReportRecord {
    /// Its title, empty when it has none.
    pub fn title(&self) -> &str {
        self.title.as_deref().unwrap_or("")
    }

    /// Its YAML path, such as `reports[2]`.
    pub fn path(&self) -> String {
        Loc::item(Section::Reports, self.item as usize).path("report")
    }
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
    /// Certain facts other than reports: sources, actors, incidents,
    /// artifacts, questions, hypotheses. [`EvidenceSet::entities`] gives
    /// them with the reports' records, in file order.
    pub(crate) others: Vec<Record>,
    /// Where the reports' records go among `others`: each run of reports
    /// (a range of `reports`) comes before the entity at its index.
    pub(crate) report_runs: Vec<(usize, std::ops::Range<usize>)>,
    /// The id of each source as a value, shared by its reports' records.
    pub(crate) source_ids: Vec<Value>,
    /// The type of reports' records.
    pub(crate) report_ty: Option<TypeId>,
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
    /// Every certain fact (sources, reports, actors, incidents, artifacts,
    /// questions, hypotheses), in file order. A report's record (id, source,
    /// date, credibility, title) is made from its [`ReportRecord`] as it is
    /// read, rather than held twice.
    pub fn entities(&self) -> impl Iterator<Item = Cow<'_, Record>> + '_ {
        self.placed().map(|p| match p {
            Placed::Other(record) => Cow::Borrowed(record),
            Placed::Report(r) => Cow::Owned(self.report_entity(r)),
        })
    }

    /// How many records [`EvidenceSet::entities`] gives, without making them.
    pub fn entity_count(&self) -> usize {
        self.others.len() + self.reports.len()
    }

    /// The certain facts other than reports (sources, actors, incidents,
    /// artifacts, questions, hypotheses), in file order: what
    /// [`EvidenceSet::entities`] gives without making reports' records.
    pub fn declared(&self) -> &[Record] {
        &self.others
    }

    /// The entities in file order, a report by its index.
    pub(crate) fn placed(&self) -> Order<'_> {
        Order { set: self, next: 0, run: 0, reports: 0..0 }
    }

    /// The record of report `index`, as loaded from its file.
    fn report_entity(&self, index: usize) -> Record {
        let r = &self.reports[index];
        let source = self.source_ids.get(r.source).cloned();
        let fields = vec![
            Some(Value::str(&r.id)),
            source,
            Some(Value::Date(r.date)),
            Some(Value::Num(f64::from(r.credibility))),
            r.title.as_deref().map(Value::str),
        ];
        Record { ty: self.report_ty.unwrap_or(TypeId(0)), fields, at: Loc::item(Section::Reports, r.item as usize), file: r.file }
    }

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

/// An entity in file order: one of [`EvidenceSet::others`], or a report.
pub(crate) enum Placed<'a> {
    Other(&'a Record),
    Report(usize),
}

/// The entities of an evidence set in file order: see [`EvidenceSet::placed`].
pub(crate) struct Order<'a> {
    set: &'a EvidenceSet,
    /// The next of the other entities.
    next: usize,
    /// The next run of reports.
    run: usize,
    /// The reports of the current run not given yet.
    reports: std::ops::Range<usize>,
}

impl<'a> Iterator for Order<'a> {
    type Item = Placed<'a>;

    fn next(&mut self) -> Option<Placed<'a>> {
        loop {
            if let Some(r) = self.reports.next() {
                return Some(Placed::Report(r));
            }
            match self.set.report_runs.get(self.run) {
                Some((anchor, range)) if *anchor <= self.next => {
                    self.reports = range.clone();
                    self.run += 1;
                }
                _ => {
                    let record = self.set.others.get(self.next)?;
                    self.next += 1;
                    return Some(Placed::Other(record));
                }
            }
        }
    }
}
