//! Which reports count as of a date, how likely each is to be genuine, the
//! formula under which each report's assertions hold, and whose testimony
//! each report carries.

use super::condition::{Cond, Var};
use crate::evidence::EvidenceSet;
use crate::prelude::*;
use crate::scales;
use crate::schema::{stated_confidence, Schema, CONFIDENCE_FIELD};

/// What one report counts for in this evaluation.
#[derive(Clone, Debug)]
pub struct ReportStatus {
    /// Made on or before the as-of date.
    pub made: bool,
    /// Withdrawn by a report made on or before the as-of date.
    pub retracted_by: Option<usize>,
    /// The probability that the report is genuine.
    pub genuine: f64,
    /// When its assertions hold: its own variable, or (for a report that
    /// repeats others) theirs.
    pub cond: Cond,
    /// The sources whose testimony it carries: its own, or for a report that
    /// repeats others, theirs (source indexes, in order).
    pub lineage: BTreeSet<usize>,
    /// For each of its assertions, the variable of the confidence its source
    /// stated, if it stated one.
    pub stated: Vec<Option<Var>>,
}

impl ReportStatus {
    /// Made by the as-of date and not withdrawn.
    pub fn in_force(&self) -> bool {
        self.made && self.retracted_by.is_none()
    }

    /// When its assertion `k` holds: the report is genuine and, if the source
    /// hedged, what it stated is so.
    pub fn assertion_cond(&self, k: usize) -> Cond {
        match self.stated.get(k).copied().flatten() {
            Some(v) => self.cond.and(&Cond::var(v)),
            None => self.cond.clone(),
        }
    }
}

/// What a variable stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// The report is genuine.
    Genuine,
    /// What assertion `k` of the report states holds, as sure as its source said.
    Stated(usize),
}

/// An uncertain variable and its probability of being true.
#[derive(Clone, Debug)]
pub struct Variable {
    /// The report it is about.
    pub report: usize,
    /// What it stands for.
    pub subject: Subject,
    /// The probability it is true.
    pub probability: f64,
}

/// What each report counts for in an evaluation, and the uncertain variables the formulas mention.
pub struct Provenance {
    /// Per report, in evidence order.
    pub reports: Vec<ReportStatus>,
    /// Per variable ([`Var`] is the index).
    pub variables: Vec<Variable>,
}

/// What each report counts for as of a date: made, withdrawn, genuine with what probability, and whose testimony it carries.
/// `assume` fixes what-if genuineness by report index (docs/semantics.md,
/// "Sensitivity"): `false`, the report's assertions never hold; `true`, they
/// hold whatever its grading (or, for a report that repeats others, its originals).
pub fn provenance(evidence: &EvidenceSet, schema: &Schema, as_of: Option<Date>, assume: &BTreeMap<usize, bool>) -> Provenance {
    let made = |i: usize| as_of.map(|d| evidence.reports[i].date <= d).unwrap_or(true);
    let mut retracted_by: Vec<Option<usize>> = vec![None; evidence.reports.len()];
    for (i, report) in evidence.reports.iter().enumerate() {
        if !made(i) {
            continue;
        }
        for &target in &report.retracts {
            if retracted_by[target].is_none() {
                retracted_by[target] = Some(i);
            }
        }
    }
    let mut variables = vec![];
    let mut reports: Vec<ReportStatus> = evidence
        .reports
        .iter()
        .enumerate()
        .map(|(i, report)| {
            let source = evidence.sources.get(report.source);
            let graded = scales::report_genuineness(source.map(|s| s.reliability.as_str()).unwrap_or("F"), report.credibility);
            let assumed = assume.get(&i).map(|&g| if g { 1.0 } else { 0.0 });
            let genuine = assumed.unwrap_or(graded);
            let mut status = ReportStatus {
                made: made(i),
                retracted_by: retracted_by[i],
                genuine,
                cond: Cond::never(),
                lineage: BTreeSet::from([report.source]),
                stated: vec![],
            };
            // A what-if on a report that has a variable keeps the variable, fixed
            // at 0 or 1, so everything built on it is the same and the weighing
            // is exactly conditioned on it.
            let uncertain = graded > 0.0 && graded < 1.0 && report.based_on.is_empty();
            status.cond = if !status.in_force() {
                Cond::never()
            } else if uncertain {
                variables.push(Variable { report: i, subject: Subject::Genuine, probability: genuine });
                Cond::var((variables.len() - 1) as Var)
            } else if genuine <= 0.0 || (!report.based_on.is_empty() && assumed.is_none()) {
                Cond::never()
            } else {
                Cond::always()
            };
            status
        })
        .collect();
    // A report that repeats others holds exactly when one of the reports it
    // reaches through `based_on` that repeat nothing does, and carries their
    // testimony, not its own source's: it is not an independent confirmation.
    // Found by a search over the links, so neither the order of reports nor a
    // loop changes anything (a loop that reaches no original never holds).
    for i in 0..evidence.reports.len() {
        if evidence.reports[i].based_on.is_empty() || assume.contains_key(&i) {
            continue;
        }
        let originals = originals(evidence, &reports, i);
        let cond =
            if reports[i].in_force() { originals.iter().fold(Cond::never(), |acc, &o| acc.or(&reports[o].cond)) } else { Cond::never() };
        let lineage: BTreeSet<usize> = originals.iter().map(|&o| evidence.reports[o].source).collect();
        reports[i].cond = cond;
        if !lineage.is_empty() {
            reports[i].lineage = lineage;
        }
    }
    // What a source hedged is as sure as it said, independently of the rest.
    for (i, report) in evidence.reports.iter().enumerate() {
        let status = &mut reports[i];
        for assertion in &report.asserts {
            let stated = schema
                .get(assertion.ty)
                .field(CONFIDENCE_FIELD)
                .and_then(|f| assertion.text(f))
                .and_then(stated_confidence)
                .filter(|_| status.in_force() && !status.cond.is_never());
            status.stated.push(stated.map(|probability| {
                variables.push(Variable { report: i, subject: Subject::Stated(status.stated.len()), probability });
                (variables.len() - 1) as Var
            }));
        }
    }
    Provenance { reports, variables }
}

/// The reports that repeat nothing which report `i` reaches through
/// `based_on` links between reports in force, in order.
fn originals(evidence: &EvidenceSet, reports: &[ReportStatus], i: usize) -> BTreeSet<usize> {
    let mut seen = BTreeSet::from([i]);
    let mut stack = vec![i];
    let mut found = BTreeSet::new();
    while let Some(r) = stack.pop() {
        for &o in &evidence.reports[r].based_on {
            if !reports[o].in_force() || !seen.insert(o) {
                continue;
            }
            if evidence.reports[o].based_on.is_empty() {
                found.insert(o);
            } else {
                stack.push(o);
            }
        }
    }
    found
}
