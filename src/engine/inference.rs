//! Exact weighing of one question's hypotheses from the claim graph.
//!
//! The model (docs/semantics.md): hypotheses are mutually exclusive with the
//! given priors; each uncertain report is genuine independently with its
//! grading's probability; an argument applies in the worlds where the facts it
//! rests on hold and no undercutter of it holds; arguments bearing the same way
//! on one hypothesis that share a fact or an artifact form one group, which in
//! each world counts once, by its strongest applying member. The posterior is the exact sum over
//! worlds, factorised over groups that share no report.

use super::condition::{Cond, Var};
use super::facts::Basis;
use super::graph::{ClaimGraph, Edge};
use crate::diagnostics::{Location, Stage};
use crate::evidence::EvidenceSet;
use crate::prelude::*;

/// Above this many uncertain reports entangled in one component, exact
/// enumeration (2^n worlds) is refused rather than approximated.
pub const MAX_ENTANGLED_REPORTS: usize = 20;

/// One group of arguments for one hypothesis that rest on shared evidence.
#[derive(Clone, Debug)]
pub struct Group {
    /// Index of the hypothesis it bears on (named ones first, `other` last).
    pub target: usize,
    /// Argument indexes, strongest first: the first applying one counts.
    pub members: Vec<usize>,
    /// Position in `members` of the one counted with the highest probability
    /// (the strongest on ties): the group is explained by it.
    pub lead: usize,
    /// The probability that some member applies.
    pub holds: f64,
    /// Its exact contribution to each hypothesis' log10 odds, in order.
    pub contributions: Vec<f64>,
}

#[derive(Clone, Debug)]
pub struct Weighing {
    pub question: usize,
    pub priors: Vec<f64>,
    pub prior_log10_odds: Vec<f64>,
    pub probabilities: Vec<f64>,
    pub log10_odds: Vec<f64>,
    pub groups: Vec<Group>,
    /// Arguments that fit every hypothesis equally.
    pub non_diagnostic: Vec<usize>,
}

struct Member {
    argument: usize,
    ratio: f64,
    cond: Cond,
    defeat: Cond,
}

pub fn weigh(graph: &ClaimGraph, evidence: &EvidenceSet, question: usize) -> Result<Weighing, Diagnostic> {
    let qnode = graph.questions[question];
    let hyps = graph.hypotheses(qnode);
    let n = hyps.len();
    let priors = priors(evidence, question, n);

    // Collect the arguments bearing on each hypothesis and group them by shared evidence.
    let mut groups: Vec<(usize, Vec<Member>)> = vec![];
    let mut non_diagnostic = vec![];
    for (target, &h) in hyps.iter().enumerate() {
        let mut members: Vec<Member> = vec![];
        for (argument, edge) in graph.bearing_on(h) {
            match edge {
                Edge::Weighs(ratio) => {
                    let defeat = graph.undercut_by(argument).iter().fold(Cond::never(), |acc, &u| acc.or(&graph.undercutters[u].cond));
                    members.push(Member { argument, ratio, cond: graph.arguments[argument].cond.clone(), defeat });
                }
                Edge::NonDiagnostic => non_diagnostic.push(argument),
                _ => {}
            }
        }
        // Only arguments pointing the same way confirm each other; one that points the
        // other way on the same evidence is weighed on its own (undercuts settle conflicts).
        let (supporting, opposing): (Vec<Member>, Vec<Member>) = members.into_iter().partition(|m| m.ratio >= 1.0);
        for side in [supporting, opposing] {
            for set in group_by_basis(graph, &side) {
                let mut group: Vec<Member> = vec![];
                for i in set {
                    let m = &side[i];
                    group.push(Member { argument: m.argument, ratio: m.ratio, cond: m.cond.clone(), defeat: m.defeat.clone() });
                }
                group.sort_by(|a, b| b.ratio.log10().abs().total_cmp(&a.ratio.log10().abs()).then(a.argument.cmp(&b.argument)));
                groups.push((target, group));
            }
        }
    }
    groups.sort_by_key(|(_, members)| members.iter().map(|m| m.argument).min());
    non_diagnostic.sort();
    non_diagnostic.dedup();

    // Groups that share an uncertain report are weighed together.
    let components = components(&groups);
    let mut tables: Vec<Vec<Vec<f64>>> = vec![];
    let mut holds = vec![0.0; groups.len()];
    let mut wins: Vec<Vec<f64>> = groups.iter().map(|(_, members)| vec![0.0; members.len()]).collect();
    for component in &components {
        let vars: BTreeSet<Var> =
            component.iter().flat_map(|&g| groups[g].1.iter().flat_map(|m| m.cond.vars().into_iter().chain(m.defeat.vars()))).collect();
        if vars.len() > MAX_ENTANGLED_REPORTS {
            return Err(Diagnostic::new(
                Stage::Evaluate,
                format!("question `{}`: {} uncertain reports are entangled in one body of evidence; exact weighing is limited to {MAX_ENTANGLED_REPORTS}", evidence.questions[question].id, vars.len()),
                Location::Path { source: evidence.files.first().copied().unwrap_or(SourceId(0)), path: evidence.questions[question].path.clone(), span: None },
            )
            .help("split the evidence by incident, or mark reports that repeat others with `based_on`"));
        }
        let probabilities: Vec<f64> = vars.iter().map(|&v| graph.provenance.variables[v as usize].probability).collect();
        let position: HashMap<Var, usize> = vars.iter().enumerate().map(|(i, &v)| (v, i)).collect();
        let mut table = vec![vec![0.0; n]; component.len() + 1];
        table[0] = vec![1.0; n];
        // Each member's formulas as bitmasks over the component's reports: a
        // world (bit i set = report i genuine) satisfies a term when it has all its bits.
        let mask = |c: &Cond| -> Vec<u64> { c.terms().iter().map(|t| t.iter().fold(0u64, |m, v| m | 1 << position[v])).collect() };
        let masks: Vec<Vec<(Vec<u64>, Vec<u64>)>> =
            component.iter().map(|&g| groups[g].1.iter().map(|m| (mask(&m.cond), mask(&m.defeat))).collect()).collect();
        let satisfied = |terms: &[u64], world: u64| terms.iter().any(|&t| t & !world == 0);
        for world in 0u64..(1u64 << vars.len()) {
            let p: f64 = probabilities.iter().enumerate().map(|(i, &q)| if world >> i & 1 == 1 { q } else { 1.0 - q }).product();
            let mut product = vec![1.0; n];
            for (t, &g) in component.iter().enumerate() {
                let (target, members) = &groups[g];
                let applying = masks[t].iter().position(|(cond, defeat)| satisfied(cond, world) && !satisfied(defeat, world));
                if let Some((k, m)) = applying.map(|k| (k, &members[k])) {
                    product[*target] *= m.ratio;
                    holds[g] += p;
                    wins[g][k] += p;
                }
                for i in 0..n {
                    table[t + 1][i] += p * product[i];
                }
            }
        }
        let mut table: Vec<Vec<f64>> = table.into_iter().map(|row| row.into_iter().map(f64::log10).collect()).collect();
        if table.iter().flatten().any(|x| !x.is_finite()) {
            // Ratios so extreme that their products over- or underflow: redo in log space.
            table = log_table(component, &groups, &position, &probabilities, n);
        }
        tables.push(table);
    }

    // Add groups one at a time, in order, so each contribution is the exact
    // change it makes to every hypothesis' log10 odds; they add up to the total.
    let mut location: Vec<(usize, usize)> = vec![(0, 0); groups.len()];
    for (c, component) in components.iter().enumerate() {
        for (t, &g) in component.iter().enumerate() {
            location[g] = (c, t + 1);
        }
    }
    let mut weights: Vec<f64> = priors.iter().map(|p| p.log10()).collect();
    let prior_log10_odds: Vec<f64> = (0..n).map(|i| log10_odds(&weights, i)).collect();
    let mut odds = prior_log10_odds.clone();
    let mut results = vec![];
    for (g, (target, members)) in groups.iter().enumerate() {
        let (c, t) = location[g];
        for (i, w) in weights.iter_mut().enumerate() {
            *w += tables[c][t][i] - tables[c][t - 1][i];
        }
        let next: Vec<f64> = (0..n).map(|i| log10_odds(&weights, i)).collect();
        let contributions = next.iter().zip(&odds).map(|(a, b)| a - b).collect();
        odds = next;
        let lead = (0..members.len()).fold(0, |best, k| if wins[g][k] > wins[g][best] + 1e-12 { k } else { best });
        results.push(Group {
            target: *target,
            members: members.iter().map(|m| m.argument).collect(),
            lead,
            holds: holds[g],
            contributions,
        });
    }
    let total = log10_sum(&weights);
    let probabilities = weights.iter().map(|w| 10f64.powf(w - total)).collect();
    Ok(Weighing { question, priors, prior_log10_odds, probabilities, log10_odds: odds, groups: results, non_diagnostic })
}

/// The table of one component computed in log10 space: slower, but exact for
/// ratios whose products leave the range of f64 (a rule may state `lr 1e300`).
fn log_table(
    component: &[usize],
    groups: &[(usize, Vec<Member>)],
    position: &HashMap<Var, usize>,
    probabilities: &[f64],
    n: usize,
) -> Vec<Vec<f64>> {
    let mut table = vec![vec![f64::NEG_INFINITY; n]; component.len() + 1];
    table[0] = vec![0.0; n];
    for world in 0u64..(1u64 << probabilities.len()) {
        let genuine = |v: Var| position.get(&v).is_some_and(|&i| world >> i & 1 == 1);
        let log_p: f64 = probabilities.iter().enumerate().map(|(i, &q)| if world >> i & 1 == 1 { q } else { 1.0 - q }.log10()).sum();
        let mut product = vec![0.0; n];
        for (t, &g) in component.iter().enumerate() {
            let (target, members) = &groups[g];
            if let Some(m) = members.iter().find(|m| m.cond.holds(genuine) && !m.defeat.holds(genuine)) {
                product[*target] += m.ratio.log10();
            }
            for i in 0..n {
                table[t + 1][i] = log10_add(table[t + 1][i], log_p + product[i]);
            }
        }
    }
    table
}

/// log10(10^a + 10^b) without overflow.
fn log10_add(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    if lo == f64::NEG_INFINITY {
        return hi;
    }
    hi + (1.0 + 10f64.powf(lo - hi)).log10()
}

fn priors(evidence: &EvidenceSet, question: usize, n: usize) -> Vec<f64> {
    let q = &evidence.questions[question];
    let given: Vec<f64> = q.hypotheses.iter().filter_map(|h| h.prior).collect();
    if given.len() == q.hypotheses.len() && !given.is_empty() {
        let rest = 1.0 - given.iter().sum::<f64>();
        given.into_iter().chain(std::iter::once(rest)).collect()
    } else {
        vec![1.0 / n as f64; n]
    }
}

/// log10 of the odds of hypothesis `i` against all the others.
pub fn log10_odds(weights: &[f64], i: usize) -> f64 {
    let others: Vec<f64> = weights.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, w)| *w).collect();
    weights[i] - log10_sum(&others)
}

/// log10 of the sum of 10^w, computed without overflow.
fn log10_sum(weights: &[f64]) -> f64 {
    let max = weights.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return max;
    }
    max + weights.iter().map(|w| 10f64.powf(w - max)).sum::<f64>().log10()
}

/// Partitions one hypothesis' arguments into groups that share a fact or an
/// artifact (transitively). Returns member positions, in order.
fn group_by_basis(graph: &ClaimGraph, members: &[Member]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..members.len()).collect();
    let mut owner: HashMap<&Basis, usize> = HashMap::new();
    for (i, m) in members.iter().enumerate() {
        for item in &graph.arguments[m.argument].basis {
            match owner.get(item) {
                Some(&j) => union(&mut parent, i, j),
                None => {
                    owner.insert(item, i);
                }
            }
        }
    }
    let mut sets: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..members.len() {
        let root = find(&mut parent, i);
        sets.entry(root).or_default().push(i);
    }
    let mut out: Vec<Vec<usize>> = sets.into_values().collect();
    out.sort();
    out
}

/// Groups whose formulas share a report variable, as lists of group indexes in order.
fn components(groups: &[(usize, Vec<Member>)]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..groups.len()).collect();
    let mut owner: HashMap<Var, usize> = HashMap::new();
    for (g, (_, members)) in groups.iter().enumerate() {
        for m in members {
            for v in m.cond.vars().into_iter().chain(m.defeat.vars()) {
                match owner.get(&v) {
                    Some(&h) => union(&mut parent, g, h),
                    None => {
                        owner.insert(v, g);
                    }
                }
            }
        }
    }
    let mut sets: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for g in 0..groups.len() {
        let root = find(&mut parent, g);
        sets.entry(root).or_default().push(g);
    }
    let mut out: Vec<Vec<usize>> = sets.into_values().collect();
    out.sort();
    out
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
        parent[hi] = lo;
    }
}
