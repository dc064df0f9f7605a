//! What-ifs on a report's genuineness (the sensitivity view and the ACH
//! matrix): where each question the report bears on would stand were the
//! report not genuine, or certainly genuine.
//!
//! Fixing the genuineness of a report that has its own variable (graded
//! neither certain nor never genuine, repeating no other report) changes that
//! variable's probability and nothing else: which facts are in force, the
//! rules' matches, the arguments, undercuts and their formulas stay the same
//! (src/engine/provenance.rs keeps the variable, fixed at 0 or 1). So such a
//! what-if re-weighs only the questions the report bears on, on the claim
//! graph already built, with that one probability replaced: exactly what a
//! whole evaluation with [`Options::assume`] would give for those questions.
//! Any other what-if (a certain report, one never genuine, an echo: fixing it
//! changes formulas or lineages; a report in the formula of a fact whose
//! probability a rule reads, in a `credence` block, which can change the
//! matches) runs the rules again.

use super::bearing_reports;
use crate::diagnostics::{Location, SourceId, Stage};
use crate::engine::condition::Var;
use crate::engine::inference::{weigh_with, Weighing};
use crate::engine::provenance::Subject;
use crate::engine::{weigh_questions, Evaluation, Options};
use crate::evidence::EvidenceSet;
use crate::language::program::Step;
use crate::language::Program;
use crate::prelude::*;
use crate::report::QuestionOutcome;
use rayon::prelude::*;

/// A hypothesis of a question as weighed in some case.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgment {
    /// The hypothesis' id (an actor id, or `other`).
    pub id: String,
    /// Its probability (0..1).
    pub probability: f64,
    /// Its log10 odds against the others.
    pub log10_odds: f64,
}

/// A question as weighed in some case: its hypotheses, most probable first
/// (ties in the question's order), as the assessment orders them.
#[derive(Debug, Clone, PartialEq)]
pub struct Judged {
    /// Most probable first.
    pub hypotheses: Vec<Judgment>,
}

impl Judged {
    /// The probability and log10 odds of a hypothesis, by id.
    pub fn hypothesis(&self, id: &str) -> Option<(f64, f64)> {
        self.hypotheses.iter().find(|h| h.id == id).map(|h| (h.probability, h.log10_odds))
    }

    /// The most probable hypothesis.
    pub fn top(&self) -> Option<&Judgment> {
        self.hypotheses.first()
    }

    /// As an assessment states the question.
    pub fn from_outcome(outcome: &QuestionOutcome) -> Judged {
        Judged {
            hypotheses: outcome
                .hypotheses
                .iter()
                .map(|h| Judgment { id: h.id.clone(), probability: h.probability, log10_odds: h.log10_odds })
                .collect(),
        }
    }

    /// As a weighing gives it, ordered as the assessment orders it
    /// (src/engine/assess.rs): most probable first, ties in the question's order.
    pub fn from_weighing(evidence: &EvidenceSet, w: &Weighing) -> Judged {
        let ids: Vec<&str> =
            evidence.questions[w.question].hypotheses.iter().map(|h| h.actor.as_str()).chain(std::iter::once("other")).collect();
        let mut order: Vec<usize> = (0..ids.len().min(w.probabilities.len())).collect();
        order.sort_by(|&a, &b| w.probabilities[b].total_cmp(&w.probabilities[a]).then(a.cmp(&b)));
        Judged {
            hypotheses: order
                .into_iter()
                .map(|i| Judgment { id: ids[i].to_string(), probability: w.probabilities[i], log10_odds: w.log10_odds[i] })
                .collect(),
        }
    }
}

/// One report's what-ifs: each question it bears on (by index) as weighed
/// were the report not genuine, and were it certainly genuine. A question is
/// missing from a case when it could not be weighed in it.
#[derive(Debug, Clone, PartialEq)]
pub struct WhatIf {
    /// The report, as an index into the evidence set's reports.
    pub report: usize,
    /// With the report weighed as not genuine (p = 0).
    pub if_false: BTreeMap<usize, Judged>,
    /// With the report certainly genuine (p = 1).
    pub if_genuine: BTreeMap<usize, Judged>,
    /// The questions (indexes) its what-ifs were computed for: those it bears
    /// on, less those where it was beyond the cap ([`what_ifs_capped`]).
    pub questions: BTreeSet<usize>,
}

impl WhatIf {
    /// Question `question` in the case `genuine` (false: not genuine).
    pub fn case(&self, genuine: bool, question: usize) -> Option<&Judged> {
        if genuine { &self.if_genuine } else { &self.if_false }.get(&question)
    }
}

/// The what-if of `report` among `what_ifs` (sorted by report, as [`what_ifs`] gives them).
pub fn find(what_ifs: &[WhatIf], report: usize) -> Option<&WhatIf> {
    what_ifs.binary_search_by_key(&report, |w| w.report).ok().map(|i| &what_ifs[i])
}

/// Each report that bears on a weighed question, with the questions it bears
/// on (indexes), sorted by report.
pub fn bearing(evidence: &EvidenceSet, base: &Evaluation) -> BTreeMap<usize, BTreeSet<usize>> {
    let mut by_report: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for w in &base.weighings {
        for r in bearing_reports(base, evidence, w.question) {
            by_report.entry(r).or_default().insert(w.question);
        }
    }
    by_report
}

/// The what-ifs of every report bearing on a weighed question, sorted by
/// report: re-weighing only the questions it bears on when only its own
/// variable changes, else evaluating the whole set again (module doc).
pub fn what_ifs(program: &Program, evidence: &EvidenceSet, options: &Options, base: &Evaluation) -> Vec<WhatIf> {
    what_ifs_of(program, evidence, options, base, bearing(evidence, base))
}

/// How many reports bearing on one question get what-ifs by default
/// (`--max-reports`): each costs two weighings of the question, or two
/// evaluations of the whole set for a report whose genuineness changes the
/// rules' matches.
pub const DEFAULT_MAX_REPORTS: usize = 200;

/// [`what_ifs`] for at most `max_reports` reports per question, the most
/// influential ([`influence`]), with a warning for each question that has more.
pub fn what_ifs_capped(
    program: &Program,
    evidence: &EvidenceSet,
    options: &Options,
    base: &Evaluation,
    max_reports: usize,
) -> (Vec<WhatIf>, Diagnostics) {
    let mut kept: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    let mut warnings = Diagnostics::default();
    for w in &base.weighings {
        let mut reports = bearing_reports(base, evidence, w.question);
        if reports.len() > max_reports {
            let weight: BTreeMap<usize, f64> = reports.iter().map(|&r| (r, influence(base, w, r))).collect();
            reports.sort_by(|a, b| weight[b].total_cmp(&weight[a]).then(a.cmp(b)));
            warnings.push(
                Diagnostic::new(
                    Stage::Evaluate,
                    format!(
                        "question `{}`: {} reports bear on it; what-ifs were computed for the {max_reports} most influential only",
                        evidence.questions[w.question].id,
                        reports.len()
                    ),
                    Location::Path {
                        source: evidence.files.first().copied().unwrap_or(SourceId(0)),
                        path: evidence.questions[w.question].path.clone(),
                        span: None,
                    },
                )
                .warning()
                .help(format!(
                    "the other {} are left out of the sensitivity and the matrix; raise `--max-reports` (each report costs two weighings of the question)",
                    reports.len() - max_reports
                )),
            );
            reports.truncate(max_reports);
        }
        for r in reports {
            kept.entry(r).or_default().insert(w.question);
        }
    }
    (what_ifs_of(program, evidence, options, base, kept), warnings)
}

/// How much report `report` weighs in weighing `w`, to rank reports before
/// their what-ifs are known: the largest share of every group resting on it
/// (through an argument or an undercutter of one), in log10 odds (a bounded
/// weighing has no shares: its groups' nominal ratios instead).
pub fn influence(base: &Evaluation, w: &Weighing, report: usize) -> f64 {
    let graph = &base.graph;
    let rests = |a: usize| {
        graph.arguments[a].reports.contains(&report)
            || graph.undercut_by(a).iter().any(|&u| graph.undercutters[u].reports.contains(&report))
    };
    w.groups
        .iter()
        .filter(|g| g.members.iter().any(|&a| rests(a)))
        .map(|g| match g.contributions.iter().map(|c| c.abs()).reduce(f64::max) {
            Some(largest) => largest,
            None => g.members.get(g.lead).map(|&a| graph.arguments[a].ratio.log10().abs()).unwrap_or(0.0),
        })
        .sum()
}

/// [`what_ifs`] for the given reports and the questions each bears on.
pub fn what_ifs_of(
    program: &Program,
    evidence: &EvidenceSet,
    options: &Options,
    base: &Evaluation,
    reports: BTreeMap<usize, BTreeSet<usize>>,
) -> Vec<WhatIf> {
    let read = read_variables(program, base);
    let variable = |r: usize| -> Option<Var> {
        let provenance = &base.graph.provenance;
        provenance.variables.iter().position(|v| v.report == r && v.subject == Subject::Genuine).map(|v| v as Var)
    };
    let entries: Vec<(usize, BTreeSet<usize>, Option<Var>)> =
        reports.into_iter().map(|(r, questions)| (r, questions, variable(r).filter(|v| !read.contains(v)))).collect();
    // Every (report, case, question) re-weighed on the shared graph, in
    // parallel; collected in order, so the result is the same at any number of threads.
    let tasks: Vec<(usize, bool, usize, Var)> = entries
        .iter()
        .filter_map(|(r, questions, v)| v.map(|v| (r, questions, v)))
        .flat_map(|(&r, questions, v)| [false, true].into_iter().flat_map(move |g| questions.iter().map(move |&q| (r, g, q, v))))
        .collect();
    let reweigh = |&(_, genuine, q, fixed): &(usize, bool, usize, Var)| -> Option<Judged> {
        let value = if genuine { 1.0 } else { 0.0 };
        let variables = &base.graph.provenance.variables;
        let probability = |v: Var| if v == fixed { value } else { variables[v as usize].probability };
        weigh_with(&base.graph, evidence, q, &options.limits, &probability).ok().map(|w| Judged::from_weighing(evidence, &w))
    };
    let weighed: Vec<Option<Judged>> = crate::engine::in_parallel(options.threads, || match options.threads {
        1 => tasks.iter().map(reweigh).collect(),
        _ => tasks.par_iter().map(reweigh).collect(),
    });
    let mut reweighed: BTreeMap<(usize, bool, usize), Judged> = BTreeMap::new();
    for ((r, g, q, _), judged) in tasks.iter().zip(weighed) {
        if let Some(j) = judged {
            reweighed.insert((*r, *g, *q), j);
        }
    }
    entries
        .into_iter()
        .map(|(report, questions, v)| {
            let mut case = |genuine: bool| -> BTreeMap<usize, Judged> {
                match v {
                    Some(_) => questions.iter().filter_map(|&q| Some((q, reweighed.remove(&(report, genuine, q))?))).collect(),
                    None => by_evaluation(program, evidence, options, report, genuine, &questions),
                }
            };
            let (if_false, if_genuine) = (case(false), case(true));
            WhatIf { report, if_false, if_genuine, questions }
        })
        .collect()
}

/// The questions (indexes) as evaluating again with the report's genuineness
/// fixed weighs them (rules, claim graph and those questions; no assessment);
/// empty when that evaluation fails as a whole.
pub fn by_evaluation(
    program: &Program,
    evidence: &EvidenceSet,
    options: &Options,
    report: usize,
    genuine: bool,
    questions: &BTreeSet<usize>,
) -> BTreeMap<usize, Judged> {
    let mut assume = options.assume.clone();
    assume.insert(report, genuine);
    let Ok(weighings) = weigh_questions(program, evidence, &Options { assume, ..options.clone() }, questions) else {
        return BTreeMap::new();
    };
    weighings.iter().map(|w| (w.question, Judged::from_weighing(evidence, w))).collect()
}

/// The fact types whose probabilities some rule reads while matching (the
/// patterns inside its `credence` blocks): fixing a report whose variable is
/// in the formula of such a fact can change the credence, so the matches
/// themselves, and its what-if may not reuse the claim graph. The match is
/// exhaustive on purpose: a new kind of step must say here what it reads.
pub fn probability_reads(program: &Program) -> BTreeSet<TypeId> {
    let mut types = BTreeSet::new();
    for rule in &program.rules {
        reads_in(&rule.body, false, &mut types);
    }
    types
}

fn reads_in(steps: &[Step], in_credence: bool, types: &mut BTreeSet<TypeId>) {
    for step in steps {
        match step {
            Step::Match(pattern) | Step::Not(pattern) => {
                if in_credence {
                    types.insert(pattern.ty);
                }
            }
            Step::Filter { .. } | Step::Member { .. } | Step::Let { .. } => {}
            Step::Count { body, .. } | Step::Sum { body, .. } => reads_in(body, in_credence, types),
            Step::Credence { body, .. } => reads_in(body, true, types),
        }
    }
}

/// The variables in the formula of some fact whose probability a rule reads
/// ([`probability_reads`]): a report with one of them is evaluated again.
fn read_variables(program: &Program, base: &Evaluation) -> BTreeSet<Var> {
    let types = probability_reads(program);
    if types.is_empty() {
        return BTreeSet::new();
    }
    base.graph.store.rows.iter().filter(|row| types.contains(&row.ty)).flat_map(|row| row.cond.vars()).collect()
}
