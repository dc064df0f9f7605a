//! Weighings → the assessment an analyst reads: probabilities with their
//! ICD 203 terms, contributions with explanations and provenance, and the
//! analytic confidence with its reasons.

use super::arguments::Target;
use super::assessment::*;
use super::facts::FastMap;
use super::graph::ClaimGraph;
use super::inference::{Bounds, Weighing};
use super::sorted::SortedSet;
use super::Options;
use crate::evidence::EvidenceSet;
use crate::language::Program;
use crate::prelude::*;
use crate::scales;

/// Contributions smaller than this (in log10 odds) are left out as noise.
const NEGLIGIBLE: f64 = 1e-9;

/// The assessment without its questions: what was not yet asked, withdrawn or
/// weighed. With [`question`] for each weighing, a large assessment can be
/// written question by question without being held whole.
pub fn assess_rest(
    program: &Program,
    evidence: &EvidenceSet,
    graph: &ClaimGraph,
    weighings: &[Weighing],
    options: &Options,
    open: &[usize],
) -> Assessment {
    let open_set: BTreeSet<usize> = open.iter().copied().collect();
    let not_yet = (0..evidence.questions.len())
        .filter(|q| !open_set.contains(q))
        .map(|q| {
            let question = &evidence.questions[q];
            let date = evidence.incidents.get(&question.incident).map(|(_, d)| d.to_string()).unwrap_or_default();
            NotYet { id: question.id.clone(), incident: question.incident.clone(), date }
        })
        .collect();
    let retracted = graph
        .provenance
        .reports
        .iter()
        .enumerate()
        .filter_map(|(i, status)| {
            let by = status.retracted_by?;
            Some(Retraction {
                report: evidence.reports[i].id.clone(),
                by: evidence.reports[by].id.clone(),
                date: evidence.reports[by].date.to_string(),
            })
        })
        .collect();
    let unweighed = unweighed(program, evidence, graph, weighings);
    Assessment { as_of: options.as_of.map(|d| d.to_string()), questions: vec![], not_yet, retracted, unweighed, unweighed_omitted: None }
}

/// Every assertion in force that no argument or undercut rests on (directly or
/// through a finding), with the reason when one is known.
fn unweighed(program: &Program, evidence: &EvidenceSet, graph: &ClaimGraph, weighings: &[Weighing]) -> Vec<Unweighed> {
    let store = &graph.store;
    let schema = &program.schema;
    // Rows are marked in flat vectors indexed by row, not collected in ordered
    // sets: on a large set this list is built from millions of rows.
    let mut closure = Closure::new(store.rows.len());
    // Rows an argument that bears on a weighed question rests on, or an undercut of it.
    // A row once marked has had everything it rests on marked: not searched again.
    let mut bearing = vec![false; store.rows.len()];
    let mut stack: Vec<usize> = vec![];
    for w in weighings {
        for &a in w.groups.iter().flat_map(|g| g.members.iter()).chain(&w.non_diagnostic) {
            stack.extend_from_slice(&graph.arguments[a].rows);
            for u in graph.undercut_by(a) {
                stack.extend_from_slice(&graph.undercutters[u].rows);
            }
            while let Some(r) = stack.pop() {
                if !std::mem::replace(&mut bearing[r], true) {
                    stack.extend(store.rows[r].derived_from.iter().copied());
                }
            }
        }
    }
    // The assertions listed: not borne on.
    let listed: Vec<usize> =
        (0..store.rows.len()).filter(|&r| !bearing[r] && schema.get(store.rows[r].ty).kind == TypeKind::Assertion).collect();
    let mut is_listed = vec![false; store.rows.len()];
    for &r in &listed {
        is_listed[r] = true;
    }
    // For every listed row something rests on: the rules of idle undercuts (with
    // nothing to defeat) and of arguments that rest on it, to say why it came to
    // nothing. What rests only on rows borne on reaches no listed row (every row
    // such a row rests on is borne on too): most arguments are skipped so.
    let mut users: FastMap<usize, (BTreeSet<usize>, BTreeSet<usize>)> = FastMap::default();
    for u in graph.undercutters.iter().filter(|u| !u.rows.iter().all(|&r| bearing[r])) {
        closure.visit(store, &u.rows, |r| {
            if is_listed[r] {
                let entry = users.entry(r).or_default();
                if u.targets.is_empty() {
                    entry.0.insert(u.rule);
                }
            }
        });
    }
    for a in graph.arguments.iter().filter(|a| !a.rows.iter().all(|&r| bearing[r])) {
        closure.visit(store, &a.rows, |r| {
            if is_listed[r] {
                users.entry(r).or_default().1.insert(a.rule);
            }
        });
    }
    // Weighed rows by type and first field (an incident or an artifact, mostly), to
    // find a fuller statement of an unweighed row's finding by lookup: only the
    // keys of listed rows that no rule used are looked up.
    let mut by_first_field: FastMap<(TypeId, &Value), Vec<usize>> = FastMap::default();
    for &r in listed.iter().filter(|r| !users.contains_key(r)) {
        if let Some(Some(first)) = store.rows[r].fields.first() {
            by_first_field.entry((store.rows[r].ty, first)).or_default();
        }
    }
    if !by_first_field.is_empty() {
        for (r, row) in store.rows.iter().enumerate().filter(|(r, _)| bearing[*r]) {
            if let Some(Some(first)) = row.fields.first() {
                if let Some(rows) = by_first_field.get_mut(&(row.ty, first)) {
                    rows.push(r);
                }
            }
        }
    }
    let describe = |ty: TypeId, fields: &[Option<Value>]| -> String {
        let spec = schema.get(ty);
        let shown: Vec<String> = spec
            .fields
            .iter()
            .zip(fields)
            .filter(|(f, _)| f.name != crate::schema::REPORT_FIELD)
            .filter_map(|(f, v)| v.as_ref().map(|v| format!("{}: {v}", f.name)))
            .collect();
        format!("{} ({})", spec.name, shown.join(", "))
    };
    let mut out = vec![];
    for (i, report) in evidence.reports.iter().enumerate() {
        let status = &graph.provenance.reports[i];
        if !status.in_force() || report.asserts.is_empty() {
            continue;
        }
        if status.cond.is_never() {
            let grading =
                evidence.sources.get(report.source).map(|s| format!("{}{}", s.reliability, report.credibility)).unwrap_or_default();
            let reason = if report.based_on.is_empty() {
                format!("the report can never be genuine (graded {grading}): it carries no weight")
            } else {
                "it repeats only reports that can never count".to_string()
            };
            for a in &report.asserts {
                out.push(Unweighed { report: report.id.clone(), assertion: describe(a.ty, &a.fields), reason: reason.clone() });
            }
        }
    }
    for &r in &listed {
        let row = &store.rows[r];
        let report = row.fields.get(schema.get(row.ty).field(crate::schema::REPORT_FIELD).unwrap_or(usize::MAX)).and_then(|v| v.as_ref());
        let reason = if let Some((cuts, weighs)) = users.get(&r) {
            let names = |rules: &BTreeSet<usize>| rules.iter().map(|&i| program.rules[i].id.as_str()).collect::<Vec<_>>().join(", ");
            if !cuts.is_empty() {
                format!("{} had nothing in force to undercut", names(cuts))
            } else {
                format!("{} weighed it for no hypothesis of a question asked", names(weighs))
            }
        } else if let Some(fuller) = fuller_statement(schema, store, &by_first_field, r) {
            format!("the same finding is weighed as {fuller} states it, in more detail")
        } else {
            format!("no rule weighs {} as stated", schema.get(row.ty).name)
        };
        out.push(Unweighed { report: report.map(|v| v.to_string()).unwrap_or_default(), assertion: describe(row.ty, &row.fields), reason });
    }
    // In the order the reports were written (the last of reports sharing an id).
    let position: FastMap<&str, usize> = evidence.reports.iter().enumerate().map(|(i, r)| (r.id.as_str(), i)).collect();
    out.sort_by_key(|u| position.get(u.report.as_str()).copied().unwrap_or(usize::MAX));
    out
}

/// The rows some rows rest on, themselves included (through `derived_from`),
/// found again and again without a fresh set each time: a row is seen once per
/// search when its stamp is that search's.
struct Closure {
    stamps: Vec<u32>,
    search: u32,
    stack: Vec<usize>,
}

impl Closure {
    fn new(rows: usize) -> Closure {
        Closure { stamps: vec![0; rows], search: 0, stack: vec![] }
    }

    /// Calls `found` once for each row `start` rests on, themselves included.
    fn visit(&mut self, store: &crate::engine::facts::FactStore, start: &[usize], mut found: impl FnMut(usize)) {
        self.search += 1;
        if self.search == u32::MAX {
            self.stamps.fill(0);
            self.search = 1;
        }
        self.stack.extend_from_slice(start);
        while let Some(r) = self.stack.pop() {
            if self.stamps[r] != self.search {
                self.stamps[r] = self.search;
                found(r);
                self.stack.extend(store.rows[r].derived_from.iter().copied());
            }
        }
    }
}

fn hypothesis_ids(evidence: &EvidenceSet, q: usize) -> Vec<(String, String)> {
    let question = &evidence.questions[q];
    question
        .hypotheses
        .iter()
        .map(|h| (h.actor.clone(), evidence.actors.get(&h.actor).cloned().unwrap_or_else(|| h.actor.clone())))
        .chain(std::iter::once(("other".to_string(), "an actor not listed".to_string())))
        .collect()
}

fn evidence_refs(evidence: &EvidenceSet, graph: &ClaimGraph, reports: &SortedSet<usize>) -> Vec<EvidenceRef> {
    reports
        .iter()
        .map(|&r| {
            let report = &evidence.reports[r];
            let source = evidence.sources.get(report.source);
            EvidenceRef {
                report: report.id.clone(),
                date: report.date.to_string(),
                source: source.map(|s| s.name.clone()).unwrap_or_default(),
                grading: format!("{}{}", source.map(|s| s.reliability.as_str()).unwrap_or("?"), report.credibility),
                genuine: graph.provenance.reports[r].genuine,
            }
        })
        .collect()
}

fn target_id(target: &Target) -> String {
    match target {
        Target::Other => "other".into(),
        Target::Actor(a) => a.clone(),
    }
}

/// One weighed question as the analyst reads it.
pub fn question(program: &Program, evidence: &EvidenceSet, graph: &ClaimGraph, w: &Weighing) -> QuestionOutcome {
    question_shown(program, evidence, graph, w, None)
}

/// [`question`], with the contributions listed only under the `shown` most
/// probable hypotheses (all when `None`): what `--top N` keeps, so that the
/// others, which `--top` drops, are not built for nothing (with many
/// hypotheses, each would copy every argument).
pub fn question_shown(
    program: &Program,
    evidence: &EvidenceSet,
    graph: &ClaimGraph,
    w: &Weighing,
    shown: Option<usize>,
) -> QuestionOutcome {
    let q = &evidence.questions[w.question];
    let order: Vec<usize> = {
        let mut o: Vec<usize> = (0..w.probabilities.len()).collect();
        o.sort_by(|&a, &b| w.probabilities[b].total_cmp(&w.probabilities[a]).then(a.cmp(&b)));
        o
    };
    let mut listed = vec![shown.is_none(); w.probabilities.len()];
    for &i in order.iter().take(shown.unwrap_or(0)) {
        listed[i] = true;
    }
    let ids = hypothesis_ids(evidence, w.question);
    // What each group says is the same under every hypothesis: built once, so that
    // many hypotheses cost a copy per contribution rather than a rebuild.
    let mut described: Vec<Option<Contribution>> = w
        .groups
        .iter()
        .map(|g| {
            let lead = &graph.arguments[g.members[g.lead]];
            let rule = &program.rules[lead.rule];
            Some(Contribution {
                rule: rule.id.clone(),
                title: rule.title.clone(),
                target: target_id(&lead.target),
                bears_on: g.targets.iter().map(|&t| ids[t].0.clone()).collect(),
                direction: if lead.ratio >= 1.0 { "supports" } else { "opposes" }.into(),
                log10_lr: 0.0,
                nominal_log10_lr: lead.ratio.log10(),
                holds: g.holds,
                explanation: lead.explanation(program),
                evidence: evidence_refs(evidence, graph, &lead.reports),
                counted_once_with: g
                    .members
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| *k != g.lead)
                    .map(|(_, m)| m)
                    .map(|&m| format!("{}: {}", program.rules[graph.arguments[m].rule].id, graph.arguments[m].explanation(program)))
                    .collect(),
                undercut_by: graph
                    .undercut_by(g.members[g.lead])
                    .iter()
                    .map(|&u| format!("{}: {}", program.rules[graph.undercutters[u].rule].id, graph.undercutters[u].explanation))
                    .collect(),
                own_findings: lead.carried.as_ref().map(|c| OwnFindings {
                    stated_log10_lr: c.stated.log10(),
                    carried_log10_lr: c.carried_log10,
                    rules: c.rules.iter().map(|&r| program.rules[r].id.clone()).collect(),
                }),
            })
        })
        .collect();
    let lists = |g: &super::inference::Group, i: usize| listed[i] && g.contributions.get(i).is_some_and(|c| c.abs() > NEGLIGIBLE);
    let last_listing: Vec<Option<usize>> = w.groups.iter().map(|g| (0..ids.len()).rev().find(|&i| lists(g, i))).collect();
    let mut hypotheses: Vec<HypothesisOutcome> = ids
        .iter()
        .enumerate()
        .map(|(i, (id, name))| {
            let mut contributions = vec![];
            for (k, g) in w.groups.iter().enumerate().filter(|(_, g)| lists(g, i)) {
                // The last hypothesis to list a group takes its description; the others copy it.
                let d = if last_listing[k] == Some(i) { described[k].take() } else { described[k].clone() };
                contributions.extend(d.map(|d| Contribution { log10_lr: g.contributions[i], ..d }));
            }
            HypothesisOutcome {
                id: id.clone(),
                name: name.clone(),
                prior: w.priors[i],
                probability: w.probabilities[i],
                probability_range: w.bounds.as_ref().map(|b| [b.ranges[i].0, b.ranges[i].1]),
                estimative: scales::estimative(w.probabilities[i]).into(),
                estimative_capped_from: None,
                prior_log10_odds: w.prior_log10_odds[i],
                log10_odds: w.log10_odds[i],
                contributions,
                rivals_log10_lr: None,
            }
        })
        .collect();
    let top = order[0];
    let (confidence, confidence_reasons) = match &w.bounds {
        None => confidence(program, evidence, graph, w, top),
        Some(b) => bounded_confidence(&ids, b, &order),
    };
    let independent_sources = independent_sources(graph, w, top);
    for h in &mut hypotheses {
        match h.probability_range {
            None => {
                let said = scales::estimative_with_confidence(h.probability, &confidence, independent_sources);
                if said != h.estimative {
                    h.estimative_capped_from = Some(std::mem::replace(&mut h.estimative, said.to_string()));
                }
            }
            Some(range) => {
                let (said, band) = range_terms(range, &confidence, independent_sources);
                h.estimative = said.clone();
                h.estimative_capped_from = (band != said).then_some(band);
            }
        }
    }
    // Moved, not cloned: with many hypotheses each holds thousands of contributions.
    let mut slots: Vec<Option<HypothesisOutcome>> = hypotheses.into_iter().map(Some).collect();
    hypotheses = order.iter().filter_map(|&i| slots[i].take()).collect();
    // A bounded question's midpoints are no probabilities to tie on: its ranges speak.
    let ties = if w.bounds.is_some() { vec![] } else { ties(&hypotheses) };

    let non_diagnostic = w
        .non_diagnostic
        .iter()
        .map(|&a| {
            let arg = &graph.arguments[a];
            Finding {
                rule: program.rules[arg.rule].id.clone(),
                target: target_id(&arg.target),
                explanation: arg.explanation(program),
                evidence: evidence_refs(evidence, graph, &arg.reports),
            }
        })
        .collect();
    let mut undercut = vec![];
    for g in &w.groups {
        for &a in &g.members {
            for u in graph.undercut_by(a) {
                let arg = &graph.arguments[a];
                let cutter = &graph.undercutters[u];
                undercut.push(Undercut {
                    rule: program.rules[arg.rule].id.clone(),
                    target: target_id(&arg.target),
                    explanation: arg.explanation(program),
                    undercut_rule: program.rules[cutter.rule].id.clone(),
                    reason: cutter.explanation.clone(),
                    holds: cond_probability(graph, &cutter.cond),
                });
            }
        }
    }
    let (incident_name, _) = evidence.incidents.get(&q.incident).cloned().unwrap_or_default();
    QuestionOutcome {
        id: q.id.clone(),
        incident: q.incident.clone(),
        incident_name,
        text: q.text.clone(),
        rollups: rollups(evidence, &hypotheses, &confidence, independent_sources),
        confidence,
        confidence_reasons,
        independent_sources,
        hypotheses,
        non_diagnostic,
        undercut,
        bounded: w.bounds.as_ref().map(|b| bounded(program, evidence, graph, w, b, &ids, &order)),
        ties,
        omitted: None,
    }
}

/// The ICD 203 term of a range as far as the confidence allows, and the term
/// of its band: one term when the whole range maps to it, else "X to Y".
fn range_terms(range: [f64; 2], confidence: &str, sources: usize) -> (String, String) {
    let join = |lo: &str, hi: &str| if lo == hi { lo.to_string() } else { format!("{lo} to {hi}") };
    (
        join(
            scales::estimative_with_confidence(range[0], confidence, sources),
            scales::estimative_with_confidence(range[1], confidence, sources),
        ),
        join(scales::estimative(range[0]), scales::estimative(range[1])),
    )
}

/// Whether hypothesis `order[0]`'s range lies wholly above every other's
/// (by more than rounding: ranges that touch leave the order open).
fn leader_settled(b: &Bounds, order: &[usize]) -> bool {
    order.iter().skip(1).all(|&j| b.ranges[order[0]].0 > b.ranges[j].1 + 1e-12)
}

/// A bounded question's analytic confidence is low: its evidence could not be
/// weighed exactly, so no judgment rests on more than the ranges support.
fn bounded_confidence(ids: &[(String, String)], b: &Bounds, order: &[usize]) -> (String, Vec<String>) {
    let mut reasons = vec![format!(
        "the evidence is too entangled to weigh exactly within the work budget of {} steps: the probabilities are ranges",
        b.budget
    )];
    if !leader_settled(b, order) {
        let overlapping: Vec<&str> =
            order.iter().skip(1).filter(|&&j| b.ranges[j].1 + 1e-12 >= b.ranges[order[0]].0).map(|&j| ids[j].0.as_str()).collect();
        reasons.push(format!(
            "which hypothesis leads is not settled: the range of {} overlaps that of {}",
            ids[order[0]].0,
            overlapping.join(", ")
        ));
    }
    ("low".into(), reasons)
}

fn bounded(
    program: &Program,
    evidence: &EvidenceSet,
    graph: &ClaimGraph,
    w: &Weighing,
    b: &Bounds,
    ids: &[(String, String)],
    order: &[usize],
) -> Bounded {
    let arguments = w
        .groups
        .iter()
        .map(|g| {
            let lead = &graph.arguments[g.members[g.lead]];
            BoundedArgument {
                rule: program.rules[lead.rule].id.clone(),
                target: target_id(&lead.target),
                bears_on: g.targets.iter().map(|&t| ids[t].0.clone()).collect(),
                direction: if lead.ratio >= 1.0 { "supports" } else { "opposes" }.into(),
                nominal_log10_lr: lead.ratio.log10(),
                holds: g.holds,
                holds_bound: if g.holds_at_least { "lower" } else { "exact" },
                explanation: lead.explanation(program),
                reports: lead.reports.iter().map(|&r| evidence.reports[r].id.clone()).collect(),
                counted_once_with: g
                    .members
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| *k != g.lead)
                    .map(|(_, &m)| format!("{}: {}", program.rules[graph.arguments[m].rule].id, graph.arguments[m].explanation(program)))
                    .collect(),
            }
        })
        .collect();
    Bounded {
        reason: format!(
            "the {} reports bearing on it that are entangled could not be weighed exactly within the work budget of {} steps",
            b.reports.len(),
            b.budget
        ),
        budget: b.budget,
        steps: b.steps,
        weighed_exactly: b.weighed_share,
        reports: b.reports.iter().map(|&r| evidence.reports[r].id.clone()).collect(),
        leader_settled: leader_settled(b, order),
        arguments,
    }
}

/// Runs of hypotheses (sorted by probability) whose probabilities are equal up
/// to rounding: the evidence does not tell them apart.
fn ties(sorted: &[HypothesisOutcome]) -> Vec<Tie> {
    let same = |a: f64, b: f64| (a - b).abs() <= 1e-12 + 1e-9 * a.abs().max(b.abs());
    let mut out = vec![];
    let mut start = 0;
    while start < sorted.len() {
        let mut end = start + 1;
        while end < sorted.len() && same(sorted[start].probability, sorted[end].probability) {
            end += 1;
        }
        if end - start > 1 {
            out.push(Tie {
                hypotheses: sorted[start..end].iter().map(|h| h.id.clone()).collect(),
                probability: sorted[start].probability,
                leading: start == 0,
            });
        }
        start = end;
    }
    out
}

/// The probability a formula holds, by enumeration when small (undercutters
/// rest on a handful of reports), else bounded below by its likeliest term.
fn cond_probability(graph: &ClaimGraph, cond: &super::condition::Cond) -> f64 {
    let vars: Vec<u32> = cond.vars().into_iter().collect();
    let p = |v: u32| graph.provenance.variables[v as usize].probability;
    if vars.len() > 16 {
        return cond.terms().iter().map(|t| t.iter().map(|&v| p(v)).product::<f64>()).fold(0.0, f64::max);
    }
    let mut total = 0.0;
    for world in 0u32..(1u32 << vars.len()) {
        let genuine = |v: u32| vars.iter().position(|&x| x == v).map(|i| world >> i & 1 == 1).unwrap_or(false);
        if cond.holds(genuine) {
            total += vars.iter().enumerate().map(|(i, &v)| if world >> i & 1 == 1 { p(v) } else { 1.0 - p(v) }).product::<f64>();
        }
    }
    total
}

/// The report of a weighed row of the same type that says everything row `r`
/// says and more (a share where `r` gives none): `r` is not lost, only less precise.
fn fuller_statement(
    schema: &Schema,
    store: &crate::engine::facts::FactStore,
    by_first_field: &FastMap<(TypeId, &Value), Vec<usize>>,
    r: usize,
) -> Option<String> {
    let row = &store.rows[r];
    let spec = schema.get(row.ty);
    let skip = |i: usize| spec.fields[i].name == crate::schema::REPORT_FIELD || spec.fields[i].name == crate::schema::CONFIDENCE_FIELD;
    let first = row.fields.first()?.as_ref()?;
    by_first_field.get(&(row.ty, first))?.iter().filter(|&&o| o != r).find_map(|&o| {
        let other = &store.rows[o];
        let covers = row.fields.iter().enumerate().all(|(i, v)| skip(i) || v.is_none() || *v == other.fields[i]);
        let more = row.fields.iter().zip(&other.fields).enumerate().any(|(i, (a, b))| !skip(i) && a.is_none() && b.is_some());
        let report = spec.field(crate::schema::REPORT_FIELD).and_then(|f| other.fields[f].as_ref());
        (covers && more).then(|| report.map(|v| v.to_string()).unwrap_or_else(|| "another report".into()))
    })
}

/// Each actor that some hypothesis is part of, with the sum of their probabilities.
fn rollups(evidence: &EvidenceSet, hypotheses: &[HypothesisOutcome], confidence: &str, sources: usize) -> Vec<Rollup> {
    let mut parts: BTreeMap<&str, Vec<&HypothesisOutcome>> = BTreeMap::new();
    for h in hypotheses {
        for ancestor in evidence.ancestors(&h.id) {
            parts.entry(ancestor).or_default().push(h);
        }
    }
    let mut out: Vec<Rollup> = parts
        .into_iter()
        .map(|(id, hs)| {
            let probability: f64 = hs.iter().map(|h| h.probability).sum();
            // A sum of ranges: the lower bounds add up, the upper ones too (at most 1).
            let probability_range = hs
                .iter()
                .map(|h| h.probability_range)
                .collect::<Option<Vec<[f64; 2]>>>()
                .map(|ranges| [ranges.iter().map(|r| r[0]).sum::<f64>().min(1.0), ranges.iter().map(|r| r[1]).sum::<f64>().min(1.0)]);
            let estimative = match probability_range {
                None => scales::estimative_with_confidence(probability, confidence, sources).to_string(),
                Some(range) => range_terms(range, confidence, sources).0,
            };
            Rollup {
                id: id.to_string(),
                name: evidence.actors.get(id).cloned().unwrap_or_else(|| id.to_string()),
                probability: probability_range.map(|r| (r[0] + r[1]) / 2.0).unwrap_or(probability),
                probability_range,
                estimative,
                hypotheses: hs.iter().map(|h| h.id.clone()).collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| b.probability.total_cmp(&a.probability).then(a.id.cmp(&b.id)));
    out
}

/// The sources whose testimony supports the leading hypothesis, counting a
/// report that repeats others as theirs.
fn independent_sources(graph: &ClaimGraph, w: &Weighing, top: usize) -> usize {
    let sources: BTreeSet<usize> = w
        .groups
        .iter()
        .filter(|g| {
            g.targets.contains(&top)
                && match g.contributions.get(top) {
                    Some(c) => *c > NEGLIGIBLE,
                    // Bounded: no exact share; the groups that support it as stated.
                    None => graph.arguments[g.members[g.lead]].ratio > 1.0,
                }
        })
        .flat_map(|g| g.members.iter().flat_map(|&a| graph.arguments[a].reports.iter()))
        .flat_map(|&r| graph.provenance.reports[r].lineage.iter().copied())
        .collect();
    sources.len()
}

/// Analytic confidence in the leading hypothesis (docs/semantics.md): it
/// starts high and each reason lowers it one step.
fn confidence(program: &Program, evidence: &EvidenceSet, graph: &ClaimGraph, w: &Weighing, top: usize) -> (String, Vec<String>) {
    let mut reasons = vec![];
    // The evidence base of a judgment is the evidence for it, not against its rivals.
    let supporting: Vec<&super::inference::Group> =
        w.groups.iter().filter(|g| g.targets.contains(&top) && g.contributions[top] > NEGLIGIBLE).collect();
    let total_support: f64 = supporting.iter().map(|g| g.contributions[top]).sum();
    if total_support < 0.5 {
        reasons.push("little diagnostic evidence: the judgment rests mostly on the priors".to_string());
        return ("low".into(), reasons);
    }
    let kinds: BTreeSet<String> = supporting
        .iter()
        .flat_map(|g| g.members.iter().flat_map(|&a| graph.arguments[a].reports.iter()))
        .filter_map(|&r| evidence.sources.get(evidence.reports[r].source).map(|s| s.kind.clone()))
        .collect();
    match kinds.len() {
        0 => reasons.push("no report supports it: only the actor and incident profiles do".to_string()),
        1 => reasons.push(format!("a single source type ({})", kinds.iter().next().map(String::as_str).unwrap_or_default())),
        _ => {}
    }
    // The share of its support that comes from rules with a tag.
    let tagged = |tag: &str| -> f64 {
        supporting
            .iter()
            .filter(|g| program.rules[graph.arguments[g.members[g.lead]].rule].has_tag(tag))
            .map(|g| g.contributions[top])
            .sum()
    };
    if tagged("forgeable") > 0.5 * total_support {
        reasons.push("rests largely on forgeable artifacts".to_string());
    }
    if tagged("indirect") > 0.5 * total_support {
        reasons.push("rests largely on indirect evidence (context, links to other incidents)".to_string());
    }
    let conflicts: Vec<String> = w
        .groups
        .iter()
        .filter(|g| g.contributions[top] <= -0.5)
        .map(|g| program.rules[graph.arguments[g.members[g.lead]].rule].id.clone())
        .collect();
    if !conflicts.is_empty() {
        reasons.push(format!("strong conflicting evidence ({})", conflicts.join(", ")));
    }
    let undercut: f64 = supporting
        .iter()
        .flat_map(|g| g.members.iter())
        .flat_map(|&a| graph.undercut_by(a))
        .map(|u| cond_probability(graph, &graph.undercutters[u].cond))
        .fold(0.0, f64::max);
    if undercut >= 0.5 {
        reasons.push("some of its support is undercut by evidence that likely holds".to_string());
    }
    let mut weight_by_report: BTreeMap<usize, f64> = BTreeMap::new();
    for g in &supporting {
        // A group rests on a report only if every one of its members does.
        let mut common: Option<BTreeSet<usize>> = None;
        for &a in &g.members {
            let reports = &graph.arguments[a].reports;
            common = Some(match common {
                None => reports.iter().copied().collect(),
                Some(c) => c.into_iter().filter(|r| reports.contains(r)).collect(),
            });
        }
        for r in common.unwrap_or_default() {
            *weight_by_report.entry(r).or_default() += g.contributions[top];
        }
    }
    if let Some((&report, &weight)) = weight_by_report.iter().max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0))) {
        if weight > 2.0 / 3.0 * total_support {
            reasons.push(format!("most of the weight rests on a single report ({})", evidence.reports[report].id));
        }
    }
    let genuineness: Vec<f64> = supporting.iter().map(|g| g.holds).collect();
    if !genuineness.is_empty() && genuineness.iter().sum::<f64>() / (genuineness.len() as f64) < 0.5 {
        reasons.push("the supporting reports are likely genuine less than half the time (weak gradings)".to_string());
    }
    let level = match reasons.len() {
        0 => "high",
        1 => "moderate",
        _ => "low",
    };
    (level.into(), reasons)
}
