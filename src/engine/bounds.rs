//! Guaranteed bounds on every posterior when exact weighing would exceed its
//! work budget (docs/semantics.md, section 7a). Each body of evidence is
//! explored by recursive conditioning, best first: a sub-problem (the worlds
//! that agree on the reports conditioned so far) is weighed exactly when that
//! fits a small share of work, else split on the report its formulas mention
//! most. Every sub-problem weighed exactly on the way, by any attempt (even
//! one that ran out), is kept and looked up when reached again. What is
//! weighed adds exactly to the body's Bayes factors; every
//! sub-problem left open has a known probability and, in each of its worlds, a
//! posterior between the least and the greatest its remaining groups allow.
//! The intervals are then carried through the product of bodies and the
//! normalisation. The exploration's choices do not depend on the budget, only
//! where it stops does, so a larger budget never gives wider bounds.

use super::condition::Var;
use super::conditioning::{self, Conditioner, Memo, Part};
use super::outcomes::log10_sum;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Work an exact attempt at one sub-problem may take, per term of its formulas,
/// before the sub-problem is split instead. Small, because a failed attempt is
/// not wasted: what it weighed is kept (see `Memo`) for the halves it splits into.
const ATTEMPT_PER_TERM: u64 = 16;

/// What one group can still add in an open sub-problem: the hypotheses it bears
/// on, and the least and greatest log10 ratio it may count (0 when possibly
/// none of its members applies).
#[derive(Clone, Debug)]
struct Span {
    targets: Vec<usize>,
    lo: f64,
    hi: f64,
}

/// A sub-problem left open: its probability, what its groups can still add,
/// and for each hypothesis the least and greatest posterior of its worlds
/// (under the priors alone).
#[derive(Clone, Debug)]
pub struct Open {
    /// Its probability.
    pub mass: f64,
    spans: Vec<Span>,
    /// For each hypothesis, the least posterior of its worlds.
    pub low: Vec<f64>,
    /// For each hypothesis, the greatest posterior of its worlds.
    pub high: Vec<f64>,
}

/// One body of evidence as far as it was weighed.
#[derive(Clone, Debug)]
pub struct Explored {
    /// For each hypothesis, the sum over the worlds weighed exactly of their
    /// probability times posterior over prior: the known part of the body's
    /// Bayes factor.
    pub known: Vec<f64>,
    /// What is left open; empty when the body was weighed exactly.
    pub open: Vec<Open>,
}

impl Explored {
    /// The probability of the worlds weighed exactly.
    pub fn weighed_share(&self) -> f64 {
        (1.0 - self.open.iter().map(|o| o.mass).sum::<f64>()).clamp(0.0, 1.0)
    }
}

/// Every body of a question as far as the budget allowed, and the work spent.
#[derive(Clone, Debug)]
pub struct Exploration {
    /// Each body of evidence, as far as it was weighed.
    pub bodies: Vec<Explored>,
    /// The steps spent.
    pub steps: u64,
}

struct Node {
    priority: f64,
    seq: u64,
    body: usize,
    mass: f64,
    parts: Vec<Part>,
    open: Open,
}

impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Node {}
impl PartialOrd for Node {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Node {
    /// Widest first (probability times width of its posteriors), then oldest.
    fn cmp(&self, other: &Self) -> Ordering {
        self.priority.total_cmp(&other.priority).then(other.seq.cmp(&self.seq))
    }
}

fn span(part: &Part) -> Span {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut none_possible = true;
    for m in &part.members {
        if m.cond.is_never() || m.defeat.is_always() {
            continue;
        }
        lo = lo.min(m.log_ratio);
        hi = hi.max(m.log_ratio);
        if m.cond.is_always() && m.defeat.is_never() {
            none_possible = false;
            break;
        }
    }
    if none_possible {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    Span { targets: part.targets.clone(), lo, hi }
}

/// The posterior of hypothesis `i` in the world of the box that favours it
/// most (`high`) or least, under log10 priors `log10_priors`: each group bears
/// on `i`'s odds the same way whatever the others count (adding to hypotheses
/// it bears on raises them against the rest), so the extreme picks each
/// group's extreme independently. Groups sharing reports make some of these
/// worlds impossible, which only widens the box.
fn extreme(spans: &[Span], log10_priors: &[f64], i: usize, high: bool) -> f64 {
    let mut logits = log10_priors.to_vec();
    for s in spans {
        let favours = s.targets.contains(&i);
        let x = if favours == high { s.hi } else { s.lo };
        for &t in &s.targets {
            logits[t] += x;
        }
    }
    if logits[i] == f64::NEG_INFINITY {
        return 0.0;
    }
    10f64.powf(logits[i] - log10_sum(&logits)).clamp(0.0, 1.0)
}

fn open(mass: f64, parts: &[Part], log10_priors: &[f64]) -> Open {
    let spans: Vec<Span> = parts.iter().map(span).collect();
    let n = log10_priors.len();
    let low = (0..n).map(|i| extreme(&spans, log10_priors, i, false)).collect();
    let high = (0..n).map(|i| extreme(&spans, log10_priors, i, true)).collect();
    Open { mass, spans, low, high }
}

fn terms(parts: &[Part]) -> u64 {
    parts.iter().flat_map(|p| &p.members).map(|m| (m.cond.terms().len() + m.defeat.terms().len()) as u64).sum()
}

/// The work of building the box of a sub-problem: every hypothesis looks at every group twice.
fn box_cost(parts: &[Part], n: usize) -> u64 {
    let targets: usize = parts.iter().map(|p| p.targets.len()).sum();
    2 * (n as u64) * (n + targets) as u64
}

/// Explores every body (its groups' parts, already pruned) within `budget`
/// steps. The first box of each body is built whatever the budget, so there
/// is always an answer.
pub fn explore(
    bodies: &[Vec<Part>],
    probability: &dyn Fn(Var) -> f64,
    log10_priors: &[f64],
    budget: u64,
    max_outcomes: usize,
) -> Exploration {
    let n = log10_priors.len();
    let mut known = vec![vec![0.0; n]; bodies.len()];
    let mut heap = BinaryHeap::new();
    let mut seq = 0u64;
    let mut push = |heap: &mut BinaryHeap<Node>, body: usize, mass: f64, parts: Vec<Part>| {
        let open = open(mass, &parts, log10_priors);
        let width = open.low.iter().zip(&open.high).map(|(a, b)| b - a).fold(0.0, f64::max);
        heap.push(Node { priority: mass * width, seq, body, mass, parts, open });
        seq += 1;
    };
    for (b, parts) in bodies.iter().enumerate() {
        push(&mut heap, b, 1.0, parts.clone());
    }
    let mut steps = 0u64;
    let mut memo = Memo::default();
    while let Some(node) = heap.pop() {
        let cost = 1 + terms(&node.parts);
        let cap = ATTEMPT_PER_TERM.saturating_mul(cost);
        let left = budget.saturating_sub(steps);
        let attempt = cap.min(left);
        let mut conditioner = Conditioner { probability, n, budget: attempt, max_outcomes };
        match conditioner.expect_memo(&node.parts, &mut memo) {
            Ok(e) => {
                steps += attempt - conditioner.budget;
                let factors = e.outcomes.log10_bayes_factors(log10_priors);
                for (k, f) in known[node.body].iter_mut().zip(&factors) {
                    *k += node.mass * 10f64.powf(*f);
                }
            }
            Err(_) => {
                steps += attempt;
                let split = 2 * box_cost(&node.parts, n);
                if attempt < cap || budget.saturating_sub(steps) < split {
                    heap.push(node);
                    break;
                }
                steps += split;
                let x = conditioning::most_mentioned(&node.parts);
                let p = probability(x);
                for (value, q) in [(true, p), (false, 1.0 - p)] {
                    if q > 0.0 {
                        push(&mut heap, node.body, node.mass * q, conditioning::assign(&node.parts, x, value));
                    }
                }
            }
        }
    }
    let mut open: Vec<Vec<Open>> = vec![vec![]; bodies.len()];
    let mut rest: Vec<Node> = heap.into_vec();
    rest.sort_by_key(|node| node.seq);
    for node in rest {
        open[node.body].push(node.open);
    }
    let bodies = known.into_iter().zip(open).map(|(known, open)| Explored { known, open }).collect();
    Exploration { bodies, steps }
}

/// Guaranteed lower and upper bounds on every hypothesis' posterior from the
/// bodies as far as they were weighed (docs/semantics.md, section 7a).
pub fn posterior_bounds(log10_priors: &[f64], bodies: &[Explored]) -> Vec<(f64, f64)> {
    let n = log10_priors.len();
    let priors: Vec<f64> = log10_priors.iter().map(|p| 10f64.powf(*p)).collect();
    // Each body's Bayes factor for each hypothesis lies in [known + Σ mass × low / π, known + Σ mass × high / π].
    let factor = |b: &Explored, j: usize, high: bool| -> f64 {
        let open: f64 = b.open.iter().map(|o| o.mass * if high { o.high[j] } else { o.low[j] }).sum();
        let f = b.known[j] + open / priors[j];
        if high {
            f.min(1.0 / priors[j])
        } else {
            f.max(0.0)
        }
    };
    let log_factors: Vec<Vec<(f64, f64)>> =
        bodies.iter().map(|b| (0..n).map(|j| (factor(b, j, false).log10(), factor(b, j, true).log10())).collect()).collect();
    // Interval arithmetic: p_i is increasing in its own weight and decreasing in every other.
    let weight = |j: usize, high: bool, skip: Option<usize>| -> f64 {
        log10_priors[j]
            + log_factors.iter().enumerate().filter(|(b, _)| Some(*b) != skip).map(|(_, f)| if high { f[j].1 } else { f[j].0 }).sum::<f64>()
    };
    let mut bounds: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let lo: Vec<f64> = (0..n).map(|j| weight(j, j != i, None)).collect();
            let hi: Vec<f64> = (0..n).map(|j| weight(j, j == i, None)).collect();
            (share(&lo, i), share(&hi, i))
        })
        .collect();
    // Sharper: one body at a time is averaged over its worlds, the others taken at their bounds.
    for (f, body) in bodies.iter().enumerate() {
        if body.open.is_empty() {
            continue;
        }
        for (i, bound) in bounds.iter_mut().enumerate() {
            for high in [false, true] {
                // The other bodies' factors at the end of their range that is worst for this bound.
                let others: Vec<f64> = (0..n).map(|j| weight(j, (j == i) == high, Some(f)) - log10_priors[j]).collect();
                let top = others.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                if !top.is_finite() {
                    continue;
                }
                let scaled: Vec<f64> = others.iter().map(|e| 10f64.powf(e - top)).collect();
                let log10_weighted: Vec<f64> = (0..n).map(|j| log10_priors[j] + others[j] - top).collect();
                let x = priors[i] * scaled[i] * body.known[i];
                let y: f64 = (0..n).map(|j| priors[j] * scaled[j] * body.known[j]).sum();
                let least = scaled.iter().copied().fold(f64::INFINITY, f64::min);
                let items: Vec<(f64, f64, f64)> =
                    body.open.iter().map(|o| (extreme(&o.spans, &log10_weighted, i, high), o.mass * least, o.mass)).collect();
                let v = extreme_average(x, y, items, high);
                if high {
                    bound.1 = bound.1.min(v);
                } else {
                    bound.0 = bound.0.max(v);
                }
            }
        }
    }
    // The posteriors add up to one.
    let lows: f64 = bounds.iter().map(|b| b.0).sum();
    let highs: f64 = bounds.iter().map(|b| b.1).sum();
    bounds
        .iter()
        .map(|&(lo, hi)| {
            let lo = lo.max(1.0 - (highs - hi)).clamp(0.0, 1.0);
            let hi = hi.min(1.0 - (lows - lo)).clamp(0.0, 1.0);
            (lo.min(hi), hi.max(lo))
        })
        .collect()
}

/// Hypothesis `i`'s share of the weights 10^w.
fn share(weights: &[f64], i: usize) -> f64 {
    if weights[i] == f64::NEG_INFINITY {
        return 0.0;
    }
    10f64.powf(weights[i] - log10_sum(weights)).clamp(0.0, 1.0)
}

/// The least (or greatest) value of (x + Σ w_k v_k) / (y + Σ w_k) when each
/// weight w_k may be anywhere in [a_k, b_k]: the extreme gives the largest
/// weights to the smallest (greatest) values up to some point and the least
/// to the rest, so every such threshold is tried.
fn extreme_average(x: f64, y: f64, mut items: Vec<(f64, f64, f64)>, high: bool) -> f64 {
    items.sort_by(|a, b| if high { b.0.total_cmp(&a.0) } else { a.0.total_cmp(&b.0) });
    let mut num = x + items.iter().map(|(v, a, _)| v * a).sum::<f64>();
    let mut den = y + items.iter().map(|(_, a, _)| a).sum::<f64>();
    let better = |a: f64, b: f64| if high { a > b } else { a < b };
    let mut best = if den > 0.0 { num / den } else { f64::NAN };
    for (v, a, b) in items {
        num += (b - a) * v;
        den += b - a;
        if den > 0.0 {
            let r = num / den;
            if best.is_nan() || better(r, best) {
                best = r;
            }
        }
    }
    if best.is_nan() {
        return if high { 1.0 } else { 0.0 };
    }
    best.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::condition::Cond;
    use crate::engine::conditioning::Member;

    fn exact(parts: &[Part], probability: &dyn Fn(Var) -> f64, log10_priors: &[f64]) -> Vec<f64> {
        let mut c = Conditioner { probability, n: log10_priors.len(), budget: u64::MAX, max_outcomes: usize::MAX };
        let e = c.expect(parts).expect("unlimited");
        let factors = e.outcomes.log10_bayes_factors(log10_priors);
        let weights: Vec<f64> = log10_priors.iter().zip(&factors).map(|(a, b)| a + b).collect();
        (0..weights.len()).map(|i| share(&weights, i)).collect()
    }

    /// A chain of groups, each resting on two neighbouring reports.
    fn chain(k: u32) -> Vec<Part> {
        (0..k)
            .map(|g| Part {
                targets: vec![(g % 2) as usize],
                members: vec![Member { log_ratio: 1.0, cond: Cond::var(g).and(&Cond::var(g + 1)), defeat: Cond::never() }],
            })
            .collect()
    }

    #[test]
    fn bounds_contain_the_exact_value_and_narrow_with_the_budget() {
        let parts = chain(10);
        let probability = |v: Var| [0.5625, 0.75, 0.375, 0.25][v as usize % 4];
        let log10_priors = [(1.0f64 / 3.0).log10(); 3];
        let want = exact(&parts, &probability, &log10_priors);
        let mut last: Option<Vec<(f64, f64)>> = None;
        for budget in [0, 10, 100, 1_000, 10_000, 1_000_000] {
            let e = explore(std::slice::from_ref(&parts), &probability, &log10_priors, budget, usize::MAX);
            let bounds = posterior_bounds(&log10_priors, &e.bodies);
            for (i, (lo, hi)) in bounds.iter().enumerate() {
                assert!(*lo <= want[i] + 1e-12 && want[i] <= *hi + 1e-12, "budget {budget}: {lo} {} {hi}", want[i]);
                if let Some(last) = &last {
                    assert!(*lo >= last[i].0 - 1e-12 && *hi <= last[i].1 + 1e-12, "budget {budget} widened");
                }
            }
            last = Some(bounds);
        }
        let last = last.expect("bounds");
        assert!(last.iter().all(|(lo, hi)| hi - lo < 1e-12), "a large budget weighs it exactly: {last:?}");
    }

    #[test]
    fn with_no_work_the_box_alone_bounds() {
        // One group of LR 10 for hypothesis 0, holding or not: between the prior and 10/12.
        let parts = vec![Part {
            targets: vec![0],
            members: vec![Member { log_ratio: 1.0, cond: Cond::var(0).or(&Cond::var(1)), defeat: Cond::never() }],
        }];
        let log10_priors = [(1.0f64 / 3.0).log10(); 3];
        let e = explore(&[parts], &|_| 0.5, &log10_priors, 0, usize::MAX);
        let bounds = posterior_bounds(&log10_priors, &e.bodies);
        assert!((bounds[0].0 - 1.0 / 3.0).abs() < 1e-12 && (bounds[0].1 - 10.0 / 12.0).abs() < 1e-12, "{bounds:?}");
    }

    #[test]
    fn extreme_averages() {
        // Known 0.5 of weight 1, one item of value 0 weighing between 1 and 3: least 0.5/4.
        assert!((extreme_average(0.5, 1.0, vec![(0.0, 1.0, 3.0)], false) - 0.125).abs() < 1e-15);
        assert!((extreme_average(0.5, 1.0, vec![(0.0, 1.0, 3.0)], true) - 0.25).abs() < 1e-15);
        assert_eq!(extreme_average(0.0, 0.0, vec![], false), 0.0);
    }
}
