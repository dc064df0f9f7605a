//! Exact weighing of one question's hypotheses from the claim graph.
//!
//! The model (docs/semantics.md): hypotheses are mutually exclusive with the
//! given priors; each uncertain report is genuine independently with its
//! grading's probability; an argument applies in the worlds where the facts it
//! rests on hold and no undercutter of it holds; arguments bearing the same way
//! on one hypothesis that share a fact or an artifact form one group, which in
//! each world counts once, by its strongest applying member. The posterior is the exact sum over
//! worlds, factorised over groups that share no report.

use super::bounds;
use super::budget::Limits;
use super::condition::{Cond, Var};
use super::conditioning::{self, Conditioner, Part};
use super::facts::{Basis, FastMap};
use super::graph::{ClaimGraph, Edge};
use super::outcomes::{log10_add, log10_sum, Outcomes};
use crate::diagnostics::{Location, Stage};
use crate::evidence::EvidenceSet;
use crate::prelude::*;
use petgraph::unionfind::UnionFind;

/// The warning `ascribe check` gives for a question whose probabilities are
/// only bounded: which reports are entangled, and what would help.
pub fn bounded_warning(evidence: &EvidenceSet, w: &Weighing) -> Option<Diagnostic> {
    let b = w.bounds.as_ref()?;
    let q = &evidence.questions[w.question];
    let mut ids: Vec<String> = b.reports.iter().take(8).map(|&r| format!("`{}`", evidence.reports[r].id)).collect();
    if b.reports.len() > 8 {
        ids.push(format!("and {} more", b.reports.len() - 8));
    }
    let incidents: BTreeSet<&str> = b.incidents.iter().map(String::as_str).collect();
    let mut help = format!(
        "its probabilities are guaranteed ranges, not exact values; a larger budget narrows them (`--budget {}`)",
        b.budget.saturating_mul(4)
    );
    if b.repeats_possible {
        help.push_str(", and reports that repeat others count once when marked with `based_on`");
    }
    if incidents.len() > 1 {
        help.push_str(&format!(
            "; the entangled evidence spans {} incidents ({}): fewer links between them would untangle it",
            incidents.len(),
            incidents.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    Some(
        Diagnostic::new(
            Stage::Evaluate,
            format!(
                "question `{}`: the {} report{} bearing on it ({}) are too entangled to weigh exactly within the work budget of {} steps: it is bounded ({:.1}% of their worlds weighed exactly)",
                q.id,
                b.reports.len(),
                if b.reports.len() == 1 { "" } else { "s" },
                ids.join(", "),
                b.budget,
                b.weighed_share * 100.0
            ),
            Location::Path { source: evidence.files.first().copied().unwrap_or(SourceId(0)), path: q.path.clone(), span: None },
        )
        .warning()
        .help(help),
    )
}

/// Why and how far a question's probabilities are only bounded: its evidence
/// was too entangled to weigh exactly within the work budget (docs/semantics.md, section 7a).
#[derive(Clone, Debug)]
pub struct Bounds {
    /// Guaranteed (lower, upper) posterior of each hypothesis, in order.
    pub ranges: Vec<(f64, f64)>,
    /// The reports the bodies of evidence left open rest on (indexes, in order).
    pub reports: Vec<usize>,
    /// The incidents of those bodies' arguments' facts (ids, sorted).
    pub incidents: Vec<String>,
    /// Whether some of those reports share a source (they may repeat one another).
    pub repeats_possible: bool,
    /// The work budget: the exact attempt and the bounding each had this many steps.
    pub budget: u64,
    /// Steps the bounding took.
    pub steps: u64,
    /// The probability of the worlds weighed exactly, over the bodies left open together.
    pub weighed_share: f64,
}

/// One group of arguments for the same hypotheses that rest on shared evidence.
#[derive(Clone, Debug)]
pub struct Group {
    /// Indexes of the hypotheses it bears on (named ones first, `other` last):
    /// one, or all the units of a parent the evidence names.
    pub targets: Vec<usize>,
    /// Argument indexes, strongest first: the first applying one counts.
    pub members: Vec<usize>,
    /// Position in `members` of the one counted with the highest probability
    /// (the strongest on ties): the group is explained by it.
    pub lead: usize,
    /// The probability that some member applies.
    pub holds: f64,
    /// Whether `holds` is only a lower bound: in a bounded question, when the
    /// group alone did not fit in what was left of the budget (docs/semantics.md,
    /// section 7a). Exact weighings never set it.
    pub holds_at_least: bool,
    /// The body of evidence it belongs to (groups sharing uncertain reports),
    /// numbered in order of first appearance.
    pub body: usize,
    /// Its exact contribution to each hypothesis' log10 odds, in order.
    pub contributions: Vec<f64>,
}

/// The exact weighing of one question.
#[derive(Clone, Debug)]
pub struct Weighing {
    /// The question's index in the evidence set.
    pub question: usize,
    /// Each hypothesis' prior probability, in the question's order.
    pub priors: Vec<f64>,
    /// Each hypothesis' prior log10 odds against the others.
    pub prior_log10_odds: Vec<f64>,
    /// Each hypothesis' posterior probability.
    pub probabilities: Vec<f64>,
    /// Each hypothesis' posterior log10 odds against the others.
    pub log10_odds: Vec<f64>,
    /// The arguments, grouped by the evidence they share (each group counts once).
    pub groups: Vec<Group>,
    /// Arguments that fit every hypothesis equally.
    pub non_diagnostic: Vec<usize>,
    /// Set when the evidence was too entangled to weigh exactly within the
    /// budget: `probabilities` are then the middles of guaranteed ranges, and
    /// no group has contributions (there is no exact share to give).
    pub bounds: Option<Bounds>,
}

struct Member {
    argument: usize,
    ratio: f64,
    cond: Cond,
    defeat: Cond,
}

/// Weighs question `question` exactly, within `limits`; `Err` when its evidence is too entangled for them.
pub fn weigh(graph: &ClaimGraph, evidence: &EvidenceSet, question: usize, limits: &Limits) -> Result<Weighing, Diagnostic> {
    weigh_with(graph, evidence, question, limits, &|v: Var| graph.provenance.variables[v as usize].probability)
}

/// Weighs question `question` as [`weigh`] does, with `probability` giving each
/// variable's probability instead of the graph's: what a what-if on a report's
/// genuineness changes, when nothing else does (the sensitivity view reuses the
/// claim graph this way instead of evaluating again).
pub fn weigh_with(
    graph: &ClaimGraph,
    evidence: &EvidenceSet,
    question: usize,
    limits: &Limits,
    probability: &dyn Fn(Var) -> f64,
) -> Result<Weighing, Diagnostic> {
    let qnode = graph.questions[question];
    let hyps = graph.hypotheses(qnode);
    let n = hyps.len();
    let priors = priors(evidence, question, n);

    // Collect the arguments bearing on the question with the hypotheses each bears on,
    // and group those bearing on the same hypotheses by shared evidence.
    let mut groups: Vec<(Vec<usize>, Vec<Member>)> = vec![];
    let mut non_diagnostic = vec![];
    let mut bearing: BTreeMap<usize, (f64, Vec<usize>)> = BTreeMap::new();
    for (target, &h) in hyps.iter().enumerate() {
        for (argument, edge) in graph.bearing_on(h) {
            match edge {
                Edge::Weighs(ratio) => bearing.entry(argument).or_insert((ratio, vec![])).1.push(target),
                Edge::NonDiagnostic => non_diagnostic.push(argument),
                _ => {}
            }
        }
    }
    let mut by_targets: BTreeMap<Vec<usize>, Vec<Member>> = BTreeMap::new();
    for (argument, (ratio, targets)) in bearing {
        let defeat = graph.undercut_by(argument).iter().fold(Cond::never(), |acc, &u| acc.or(&graph.undercutters[u].cond));
        by_targets.entry(targets).or_default().push(Member { argument, ratio, cond: graph.arguments[argument].cond.clone(), defeat });
    }
    for (targets, members) in by_targets {
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
                groups.push((targets.clone(), group));
            }
        }
    }
    groups.sort_by_key(|(_, members)| members.iter().map(|m| m.argument).min());
    non_diagnostic.sort();
    non_diagnostic.dedup();

    // Groups that share an uncertain report are weighed together.
    let components = components(&groups);
    let bodies: Vec<Vec<Part>> = components
        .iter()
        .map(|component| {
            component
                .iter()
                .map(|&g| {
                    conditioning::prune(Part {
                        targets: groups[g].0.clone(),
                        members: groups[g]
                            .1
                            .iter()
                            .map(|m| conditioning::Member { log_ratio: m.ratio.log10(), cond: m.cond.clone(), defeat: m.defeat.clone() })
                            .collect(),
                    })
                })
                .collect()
        })
        .collect();
    let mut conditioner = Conditioner { probability, n, budget: limits.question_steps(), max_outcomes: limits.outcomes };
    let mut tables: Vec<Vec<Outcomes>> = vec![];
    let mut holds = vec![0.0; groups.len()];
    let mut wins: Vec<Vec<f64>> = groups.iter().map(|(_, members)| vec![0.0; members.len()]).collect();
    for (component, parts) in components.iter().zip(&bodies) {
        // Entry t: the outcomes of the component's first t groups. Small
        // components are enumerated world by world (every prefix in one pass);
        // larger ones are computed by conditioning.
        let enumerated = match conditioning::enumeration_cost(parts) {
            Some(cost) if cost <= conditioner.budget => {
                conditioner.budget -= cost;
                conditioning::enumerate(parts, probability, n)
            }
            _ => None,
        };
        let (table, component_wins) = match enumerated {
            Some(done) => done,
            None => {
                let mut table = vec![Outcomes::certain(n)];
                let mut last = vec![];
                for t in 1..=parts.len() {
                    let Ok(e) = conditioner.expect(&parts[..t]) else {
                        return Ok(bounded(
                            graph,
                            evidence,
                            question,
                            priors,
                            &groups,
                            &components,
                            &bodies,
                            non_diagnostic,
                            limits,
                            probability,
                        ));
                    };
                    table.push(e.outcomes);
                    last = e.wins;
                }
                (table, last)
            }
        };
        for (k, &g) in component.iter().enumerate() {
            holds[g] = component_wins[k].iter().sum();
            wins[g] = component_wins[k].clone();
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
    // Each component's Bayes factors, for every prefix of its groups.
    let log10_priors: Vec<f64> = priors.iter().map(|p| p.log10()).collect();
    let factors: Vec<Vec<Vec<f64>>> =
        tables.iter().map(|table| table.iter().map(|outcomes| outcomes.log10_bayes_factors(&log10_priors)).collect()).collect();
    let mut weights = log10_priors.clone();
    let prior_log10_odds: Vec<f64> = all_log10_odds(&weights);
    let mut odds = prior_log10_odds.clone();
    let mut results = vec![];
    for (g, (targets, members)) in groups.iter().enumerate() {
        let (c, t) = location[g];
        for (i, w) in weights.iter_mut().enumerate() {
            *w += factors[c][t][i] - factors[c][t - 1][i];
        }
        let next: Vec<f64> = all_log10_odds(&weights);
        let contributions = next.iter().zip(&odds).map(|(a, b)| a - b).collect();
        odds = next;
        let lead = (0..members.len()).fold(0, |best, k| if wins[g][k] > wins[g][best] + 1e-12 { k } else { best });
        results.push(Group {
            targets: targets.clone(),
            members: members.iter().map(|m| m.argument).collect(),
            lead,
            holds: holds[g],
            holds_at_least: false,
            body: c,
            contributions,
        });
    }
    let total = log10_sum(&weights);
    let probabilities = weights.iter().map(|w| 10f64.powf(w - total)).collect();
    Ok(Weighing { question, priors, prior_log10_odds, probabilities, log10_odds: odds, groups: results, non_diagnostic, bounds: None })
}

/// The weighing of a question whose evidence exceeded the budget: guaranteed
/// bounds on every posterior instead of exact values (docs/semantics.md, section 7a).
#[allow(clippy::too_many_arguments)]
fn bounded(
    graph: &ClaimGraph,
    evidence: &EvidenceSet,
    question: usize,
    priors: Vec<f64>,
    groups: &[(Vec<usize>, Vec<Member>)],
    components: &[Vec<usize>],
    bodies: &[Vec<Part>],
    non_diagnostic: Vec<usize>,
    limits: &Limits,
    probability: &dyn Fn(Var) -> f64,
) -> Weighing {
    let n = priors.len();
    let log10_priors: Vec<f64> = priors.iter().map(|p| p.log10()).collect();
    let exploration = bounds::explore(bodies, probability, &log10_priors, limits.question_steps(), limits.outcomes);
    let ranges = bounds::posterior_bounds(&log10_priors, &exploration.bodies);
    let mut reports = BTreeSet::new();
    let mut incidents = BTreeSet::new();
    let mut weighed_share = 1.0;
    for (c, explored) in exploration.bodies.iter().enumerate() {
        if explored.open.is_empty() {
            continue;
        }
        weighed_share *= explored.weighed_share();
        for &g in &components[c] {
            for m in &groups[g].1 {
                let argument = &graph.arguments[m.argument];
                incidents.insert(argument.incident.clone());
                for v in m.cond.vars().into_iter().chain(m.defeat.vars()) {
                    reports.insert(graph.provenance.variables[v as usize].report);
                }
            }
        }
    }
    let sources: BTreeSet<usize> = reports.iter().map(|&r| evidence.reports[r].source).collect();
    let repeats_possible = sources.len() < reports.len();
    // Each group alone: how probably it holds and which member counts most
    // often, exactly while the budget lasts (a group's own formulas are small).
    let mut left = limits.question_steps();
    let mut results = vec![];
    for (c, component) in components.iter().enumerate() {
        for (k, &g) in component.iter().enumerate() {
            let part = &bodies[c][k];
            let mut conditioner = Conditioner { probability, n, budget: left, max_outcomes: limits.outcomes };
            let (wins, at_least) = match conditioner.expect(std::slice::from_ref(part)) {
                Ok(mut e) => {
                    left = conditioner.budget;
                    (e.wins.pop().unwrap_or_default(), false)
                }
                Err(_) => {
                    left = 0;
                    (surely_at_least(part, probability), true)
                }
            };
            let lead = (0..wins.len()).fold(0, |best, m| if wins[m] > wins[best] + 1e-12 { m } else { best });
            results.push((
                g,
                Group {
                    targets: groups[g].0.clone(),
                    members: groups[g].1.iter().map(|m| m.argument).collect(),
                    lead,
                    holds: wins.iter().sum(),
                    holds_at_least: at_least,
                    body: c,
                    contributions: vec![],
                },
            ));
        }
    }
    results.sort_by_key(|(g, _)| *g);
    let probabilities: Vec<f64> = ranges.iter().map(|(lo, hi)| (lo + hi) / 2.0).collect();
    // The odds of each middle against the rest of the distribution (1 − middle).
    let log10_odds = probabilities.iter().map(|p| p.log10() - (1.0 - p).log10()).collect();
    Weighing {
        question,
        prior_log10_odds: all_log10_odds(&log10_priors),
        priors,
        probabilities,
        log10_odds,
        groups: results.into_iter().map(|(_, g)| g).collect(),
        non_diagnostic,
        bounds: Some(Bounds {
            ranges,
            reports: reports.into_iter().collect(),
            incidents: incidents.into_iter().collect(),
            repeats_possible,
            budget: limits.question_steps(),
            steps: exploration.steps,
            weighed_share,
        }),
    }
}

/// When a group cannot be weighed alone within what is left of the budget:
/// its first undefeated member holds at least as often as its likeliest term.
fn surely_at_least(part: &Part, probability: &dyn Fn(Var) -> f64) -> Vec<f64> {
    let mut wins = vec![0.0; part.members.len()];
    if let Some(k) = part.members.iter().position(|m| m.defeat.is_never() && !m.cond.is_never()) {
        wins[k] = part.members[k].cond.terms().iter().map(|t| t.iter().map(|&v| probability(v)).product::<f64>()).fold(0.0, f64::max);
    }
    wins
}

fn priors(evidence: &EvidenceSet, question: usize, n: usize) -> Vec<f64> {
    let q = &evidence.questions[question];
    let given: Vec<f64> = q.hypotheses.iter().filter_map(|h| h.prior).collect();
    if let Some(other) = q.other_prior {
        // Named hypotheses without a prior share what the others leave, evenly.
        let unpriced = (q.hypotheses.len() - given.len()).max(1) as f64;
        let share = (1.0 - other - given.iter().sum::<f64>()) / unpriced;
        return q.hypotheses.iter().map(|h| h.prior.unwrap_or(share)).chain(std::iter::once(other)).collect();
    }
    if given.len() == q.hypotheses.len() && !given.is_empty() {
        let rest = 1.0 - given.iter().sum::<f64>();
        given.into_iter().chain(std::iter::once(rest)).collect()
    } else {
        vec![1.0 / n as f64; n]
    }
}

/// Above this many hypotheses the odds of each against the others are computed
/// from running sums (linear in their number rather than quadratic); below it,
/// each one's rivals are summed afresh, as they always were, so figures do not
/// change in the last digit.
const DIRECT_ODDS_UP_TO: usize = 64;

/// log10 of the odds of every hypothesis against all the others.
pub fn all_log10_odds(weights: &[f64]) -> Vec<f64> {
    let n = weights.len();
    if n <= DIRECT_ODDS_UP_TO {
        return (0..n).map(|i| log10_odds(weights, i)).collect();
    }
    // before[i]: log10 of the sum of 10^w over hypotheses before i; after[i]: from i on.
    let mut before = vec![f64::NEG_INFINITY; n + 1];
    for i in 0..n {
        before[i + 1] = log10_add(before[i], weights[i]);
    }
    let mut after = vec![f64::NEG_INFINITY; n + 1];
    for i in (0..n).rev() {
        after[i] = log10_add(after[i + 1], weights[i]);
    }
    (0..n).map(|i| weights[i] - log10_add(before[i], after[i + 1])).collect()
}

/// log10 of the odds of hypothesis `i` against all the others.
pub fn log10_odds(weights: &[f64], i: usize) -> f64 {
    let others: Vec<f64> = weights.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, w)| *w).collect();
    weights[i] - log10_sum(&others)
}

/// Partitions one hypothesis' arguments into groups that share a fact or an
/// artifact (transitively). Returns member positions, in order.
fn group_by_basis(graph: &ClaimGraph, members: &[Member]) -> Vec<Vec<usize>> {
    let mut sets = UnionFind::new(members.len());
    let mut owner: FastMap<&Basis, usize> = FastMap::default();
    for (i, m) in members.iter().enumerate() {
        for item in &graph.arguments[m.argument].basis {
            match owner.get(item) {
                Some(&j) => {
                    sets.union(i, j);
                }
                None => {
                    owner.insert(item, i);
                }
            }
        }
    }
    classes(sets)
}

/// Groups whose formulas share a report variable, as lists of group indexes in order.
fn components(groups: &[(Vec<usize>, Vec<Member>)]) -> Vec<Vec<usize>> {
    let mut sets = UnionFind::new(groups.len());
    let mut owner: FastMap<Var, usize> = FastMap::default();
    for (g, (_, members)) in groups.iter().enumerate() {
        for m in members {
            for v in m.cond.vars().into_iter().chain(m.defeat.vars()) {
                match owner.get(&v) {
                    Some(&h) => {
                        sets.union(g, h);
                    }
                    None => {
                        owner.insert(v, g);
                    }
                }
            }
        }
    }
    classes(sets)
}

/// The classes of a union-find over `0..n`, each in ascending order, ordered
/// by their smallest member: the same partition always comes out the same.
pub(super) fn classes(sets: UnionFind<usize>) -> Vec<Vec<usize>> {
    let mut index: FastMap<usize, usize> = FastMap::default();
    let mut out: Vec<Vec<usize>> = vec![];
    for (k, root) in sets.into_labeling().into_iter().enumerate() {
        let at = *index.entry(root).or_insert_with(|| {
            out.push(vec![]);
            out.len() - 1
        });
        out[at].push(k);
    }
    out
}
