//! Exact expectations over the worlds of uncertain reports, by recursive
//! conditioning: pick the report that most formulas mention, weigh the world
//! where it is genuine and the one where it is not, and whenever the remaining
//! groups share no report, weigh them apart and multiply. Evidence repeated by
//! many independent reports (a disjunction of many variables) or resting on
//! many at once (a conjunction) costs time linear in their number; only
//! genuinely entangled evidence costs more, and a work budget bounds it.
//!
//! Everything is computed in log10 space, so extreme ratios neither overflow
//! nor underflow.

use super::condition::{Cond, Var};
use std::collections::{BTreeMap, BTreeSet};

/// One argument of a group: log10 of its ratio, when it holds, what defeats it.
#[derive(Clone, Debug)]
pub struct Member {
    pub log_ratio: f64,
    pub cond: Cond,
    pub defeat: Cond,
}

/// A group counts once per world, by its first member that applies.
#[derive(Clone, Debug)]
pub struct Part {
    pub target: usize,
    pub members: Vec<Member>,
}

/// log10 E[Π f_G(i)] for every hypothesis i, and for each part the
/// probability that each of its members is the one counted.
#[derive(Clone, Debug)]
pub struct Expectation {
    pub log_z: Vec<f64>,
    pub wins: Vec<Vec<f64>>,
}

/// The work was too large: the evidence is entangled beyond the budget.
#[derive(Debug)]
pub struct TooEntangled;

pub struct Conditioner<'a> {
    /// The probability that each report variable is genuine.
    pub probability: &'a dyn Fn(Var) -> f64,
    /// Number of hypotheses.
    pub n: usize,
    /// Recursive steps left.
    pub budget: usize,
}

impl Conditioner<'_> {
    pub fn expect(&mut self, parts: &[Part]) -> Result<Expectation, TooEntangled> {
        self.budget = self.budget.checked_sub(1).ok_or(TooEntangled)?;
        let vars: Vec<BTreeSet<Var>> = parts.iter().map(part_vars).collect();
        if vars.iter().all(BTreeSet::is_empty) {
            return Ok(self.settled(parts));
        }
        let components = components(&vars);
        if components.len() > 1 {
            let mut log_z = vec![0.0; self.n];
            let mut wins = vec![vec![]; parts.len()];
            for component in components {
                let sub: Vec<Part> = component.iter().map(|&k| parts[k].clone()).collect();
                let e = self.expect(&sub)?;
                for (total, x) in log_z.iter_mut().zip(&e.log_z) {
                    *total += x;
                }
                for (w, &k) in e.wins.into_iter().zip(&component) {
                    wins[k] = w;
                }
            }
            return Ok(Expectation { log_z, wins });
        }
        let x = most_mentioned(parts);
        let p = (self.probability)(x);
        let genuine = self.expect(&assign(parts, x, true))?;
        let not = self.expect(&assign(parts, x, false))?;
        let (lp, lq) = (p.log10(), (1.0 - p).log10());
        let log_z = genuine.log_z.iter().zip(&not.log_z).map(|(a, b)| log10_add(lp + a, lq + b)).collect();
        let wins = genuine.wins.iter().zip(&not.wins).map(|(a, b)| a.iter().zip(b).map(|(x, y)| p * x + (1.0 - p) * y).collect()).collect();
        Ok(Expectation { log_z, wins })
    }

    /// Every formula is decided: each part counts its first applying member.
    fn settled(&self, parts: &[Part]) -> Expectation {
        let mut log_z = vec![0.0; self.n];
        let mut wins = vec![];
        for part in parts {
            let mut w = vec![0.0; part.members.len()];
            if let Some(k) = part.members.iter().position(|m| m.cond.is_always() && m.defeat.is_never()) {
                log_z[part.target] += part.members[k].log_ratio;
                w[k] = 1.0;
            }
            wins.push(w);
        }
        Expectation { log_z, wins }
    }
}

/// Components with at most this many reports are enumerated world by world.
const ENUMERATE_UP_TO: usize = 12;

/// Every prefix table (row t: log10 E with the first t parts) and the wins of
/// each member, by enumerating the 2^k worlds of a small component; `None`
/// when it has too many reports or a product leaves the range of floats.
/// Prefix tables (row t: log10 E[Π] over the first t parts, per hypothesis)
/// and the wins of each part's members.
pub type Tables = (Vec<Vec<f64>>, Vec<Vec<f64>>);

pub fn enumerate(parts: &[Part], probability: &dyn Fn(Var) -> f64, n: usize) -> Option<Tables> {
    let vars: BTreeSet<Var> = parts.iter().flat_map(part_vars).collect();
    if vars.len() > ENUMERATE_UP_TO {
        return None;
    }
    let position: BTreeMap<Var, usize> = vars.iter().enumerate().map(|(i, &v)| (v, i)).collect();
    let probabilities: Vec<f64> = vars.iter().map(|&v| probability(v)).collect();
    // Formulas as bitmasks: a world satisfies a term when it has all the term's bits.
    let mask = |c: &Cond| -> Vec<u32> { c.terms().iter().map(|t| t.iter().fold(0u32, |m, v| m | 1 << position[v])).collect() };
    let masks: Vec<Vec<(Vec<u32>, Vec<u32>)>> =
        parts.iter().map(|p| p.members.iter().map(|m| (mask(&m.cond), mask(&m.defeat))).collect()).collect();
    let satisfied = |terms: &[u32], world: u32| terms.iter().any(|&t| t & !world == 0);
    let mut table = vec![vec![0.0; n]; parts.len() + 1];
    table[0] = vec![1.0; n];
    let mut wins: Vec<Vec<f64>> = parts.iter().map(|p| vec![0.0; p.members.len()]).collect();
    for world in 0u32..(1u32 << vars.len()) {
        let p: f64 = probabilities.iter().enumerate().map(|(i, &q)| if world >> i & 1 == 1 { q } else { 1.0 - q }).product();
        let mut product = vec![1.0; n];
        for (t, part) in parts.iter().enumerate() {
            if let Some(k) = masks[t].iter().position(|(cond, defeat)| satisfied(cond, world) && !satisfied(defeat, world)) {
                product[part.target] *= 10f64.powf(part.members[k].log_ratio);
                wins[t][k] += p;
            }
            for i in 0..n {
                table[t + 1][i] += p * product[i];
            }
        }
    }
    let table: Vec<Vec<f64>> = table.into_iter().map(|row| row.into_iter().map(f64::log10).collect()).collect();
    table.iter().flatten().all(|x| x.is_finite()).then_some((table, wins))
}

fn part_vars(part: &Part) -> BTreeSet<Var> {
    part.members.iter().flat_map(|m| m.cond.vars().into_iter().chain(m.defeat.vars())).collect()
}

/// Parts that share a variable, transitively; parts without variables stand alone.
fn components(vars: &[BTreeSet<Var>]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..vars.len()).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner: BTreeMap<Var, usize> = BTreeMap::new();
    for (k, vs) in vars.iter().enumerate() {
        for v in vs {
            match owner.get(v) {
                Some(&j) => {
                    let (a, b) = (find(&mut parent, k), find(&mut parent, j));
                    if a != b {
                        parent[a.max(b)] = a.min(b);
                    }
                }
                None => {
                    owner.insert(*v, k);
                }
            }
        }
    }
    let mut sets: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for k in 0..vars.len() {
        let root = find(&mut parent, k);
        sets.entry(root).or_default().push(k);
    }
    sets.into_values().collect()
}

/// The variable in the most terms (the smallest on ties): conditioning on it
/// settles or splits the most.
fn most_mentioned(parts: &[Part]) -> Var {
    let mut counts: BTreeMap<Var, usize> = BTreeMap::new();
    for part in parts {
        for m in &part.members {
            for term in m.cond.terms().iter().chain(m.defeat.terms()) {
                for v in term {
                    *counts.entry(*v).or_default() += 1;
                }
            }
        }
    }
    counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(v, _)| *v).unwrap_or(0)
}

fn assign(parts: &[Part], var: Var, value: bool) -> Vec<Part> {
    parts
        .iter()
        .map(|p| {
            prune(Part {
                target: p.target,
                members: p
                    .members
                    .iter()
                    .map(|m| Member { log_ratio: m.log_ratio, cond: m.cond.assign(var, value), defeat: m.defeat.assign(var, value) })
                    .collect(),
            })
        })
        .collect()
}

/// Forgets what can no longer matter, so its reports need no conditioning:
/// the members after one that surely applies, and the defeaters of a member
/// that surely does not hold. Positions are kept, so wins stay aligned.
pub fn prune(mut part: Part) -> Part {
    let mut decided = false;
    for m in &mut part.members {
        if decided {
            m.cond = Cond::never();
        }
        if m.cond.is_never() {
            m.defeat = Cond::never();
        }
        if m.cond.is_always() && m.defeat.is_never() {
            decided = true;
        }
    }
    part
}

/// log10(10^a + 10^b) without overflow.
pub fn log10_add(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    if lo == f64::NEG_INFINITY {
        return hi;
    }
    hi + (1.0 + 10f64.powf(lo - hi)).log10()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noisy_or(n: u32, p: f64, ratio: f64) -> f64 {
        let cond = (0..n).fold(Cond::never(), |acc, v| acc.or(&Cond::var(v)));
        let part = Part { target: 0, members: vec![Member { log_ratio: ratio.log10(), cond, defeat: Cond::never() }] };
        let probability = move |_: Var| p;
        let mut c = Conditioner { probability: &probability, n: 2, budget: 10_000 };
        let e = c.expect(&[part]).expect("within budget");
        assert!(e.log_z[1].abs() < 1e-15);
        10f64.powf(e.log_z[0])
    }

    #[test]
    fn many_independent_confirmations_cost_linear_work() {
        // P(some of 60 reports genuine) = 1 - 0.75^60; Z = P * 10 + (1 - P).
        let holds = 1.0 - 0.75f64.powi(60);
        let z = noisy_or(60, 0.25, 10.0);
        assert!((z - (holds * 10.0 + 1.0 - holds)).abs() < 1e-9, "{z}");
    }

    #[test]
    fn a_shared_report_couples_two_groups() {
        let member = |ratio: f64| Member { log_ratio: ratio.log10(), cond: Cond::var(0), defeat: Cond::never() };
        let parts = [Part { target: 0, members: vec![member(10.0)] }, Part { target: 0, members: vec![member(10.0)] }];
        let probability = |_: Var| 0.5;
        let mut c = Conditioner { probability: &probability, n: 2, budget: 100 };
        let e = c.expect(&parts).expect("within budget");
        assert!((10f64.powf(e.log_z[0]) - 50.5).abs() < 1e-9);
        assert_eq!(e.wins, vec![vec![0.5], vec![0.5]]);
    }
}

#[cfg(test)]
mod agreement {
    use super::*;

    /// Enumeration and conditioning are two exact methods: they must agree.
    #[test]
    fn enumeration_and_conditioning_agree() {
        let v = Cond::var;
        let parts = vec![
            Part {
                target: 0,
                members: vec![
                    Member { log_ratio: 2.0, cond: v(0).and(&v(1)), defeat: v(2) },
                    Member { log_ratio: 0.5, cond: v(3), defeat: Cond::never() },
                ],
            },
            Part { target: 1, members: vec![Member { log_ratio: -1.0, cond: v(1).or(&v(4)), defeat: Cond::never() }] },
            Part { target: 2, members: vec![Member { log_ratio: 1.0, cond: v(4).and(&v(5)).or(&v(0)), defeat: v(3) }] },
        ];
        let probability = |x: Var| [0.5625, 0.75, 0.25, 0.375, 0.5, 0.1875][x as usize];
        let (table, wins) = enumerate(&parts, &probability, 3).expect("small");
        let mut c = Conditioner { probability: &probability, n: 3, budget: 100_000 };
        for t in 1..=parts.len() {
            let e = c.expect(&parts[..t]).expect("within budget");
            for (i, (a, b)) in e.log_z.iter().zip(&table[t]).enumerate() {
                assert!((a - b).abs() < 1e-12, "prefix {t}, hypothesis {i}");
            }
            if t == parts.len() {
                for (a, b) in e.wins.iter().flatten().zip(wins.iter().flatten()) {
                    assert!((a - b).abs() < 1e-12);
                }
            }
        }
    }
}
