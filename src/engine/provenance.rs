//! Which reports count as of a date, how likely each is to be genuine, and
//! the formula under which each report's assertions hold.

use super::condition::{Cond, Var};
use crate::evidence::EvidenceSet;
use crate::prelude::*;
use crate::scales;

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
}

impl ReportStatus {
    pub fn in_force(&self) -> bool {
        self.made && self.retracted_by.is_none()
    }
}

/// A report variable and its probability of being true.
#[derive(Clone, Debug)]
pub struct Variable {
    pub report: usize,
    pub probability: f64,
}

pub struct Provenance {
    pub reports: Vec<ReportStatus>,
    pub variables: Vec<Variable>,
}

pub fn provenance(evidence: &EvidenceSet, as_of: Option<Date>) -> Provenance {
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
            let genuine = scales::report_genuineness(source.map(|s| s.reliability.as_str()).unwrap_or("F"), report.credibility);
            let status = ReportStatus { made: made(i), retracted_by: retracted_by[i], genuine, cond: Cond::never() };
            ReportStatus {
                cond: if !status.in_force() || genuine <= 0.0 || !report.based_on.is_empty() {
                    Cond::never()
                } else if genuine >= 1.0 {
                    Cond::always()
                } else {
                    variables.push(Variable { report: i, probability: genuine });
                    Cond::var((variables.len() - 1) as Var)
                },
                ..status
            }
        })
        .collect();
    // A report that repeats others holds exactly when one of them does: it is
    // not an independent confirmation. Followed to a fixed depth against loops.
    for _ in 0..evidence.reports.len().min(16) {
        let mut changed = false;
        for (i, report) in evidence.reports.iter().enumerate() {
            if report.based_on.is_empty() || !reports[i].in_force() {
                continue;
            }
            let cond = report.based_on.iter().fold(Cond::never(), |acc, &o| acc.or(&reports[o].cond));
            if cond != reports[i].cond {
                reports[i].cond = cond;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    Provenance { reports, variables }
}
