//! The distribution of outcomes over the worlds of uncertain reports, by
//! recursive conditioning: pick the report that most formulas mention, weigh
//! the world where it is genuine and the one where it is not, and whenever the
//! remaining groups share no report, weigh them apart and combine. Evidence
//! repeated by many independent reports (a disjunction of many variables) or
//! resting on many at once (a conjunction) costs time linear in their number;
//! only genuinely entangled evidence costs more, and a work budget bounds it.

use super::condition::{Cond, Var};
use super::facts::FastMap;
use super::outcomes::Outcomes;
use petgraph::unionfind::UnionFind;
use std::collections::{BTreeMap, BTreeSet};

/// One argument of a group: log10 of its ratio, when it holds, what defeats it.
#[derive(Clone, Debug)]
pub struct Member {
    pub log_ratio: f64,
    pub cond: Cond,
    pub defeat: Cond,
}

/// A group counts once per world, by its first member that applies, for
/// every hypothesis it bears on.
#[derive(Clone, Debug)]
pub struct Part {
    pub targets: Vec<usize>,
    pub members: Vec<Member>,
}

/// The outcomes of a set of parts, and for each part the probability that
/// each of its members is the one counted.
#[derive(Clone, Debug)]
pub struct Expectation {
    pub outcomes: Outcomes,
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
    /// Steps left: one per recursive step and per term of the formulas it
    /// looks at, and one per outcome built.
    pub budget: u64,
    /// Distinct outcomes one distribution may hold before the evidence counts
    /// as too entangled to weigh exactly.
    pub max_outcomes: usize,
}

/// Exact expectations of sub-problems already weighed, by their parts, so that
/// a sub-problem reached again (by another path of conditioning, or by an
/// attempt that failed elsewhere) is looked up instead of weighed again. The
/// value looked up is the one weighing would give, bit for bit.
#[derive(Default)]
pub struct Memo {
    entries: FastMap<MemoKey, Expectation>,
    numbers: usize,
}

/// Each part's targets and, for each member, the bits of its ratio and its formulas.
type MemoKey = Vec<(Vec<usize>, Vec<(u64, Cond, Cond)>)>;

/// Numbers (a weight per hypothesis and a probability per outcome) a memo
/// holds at most, about 64 MB: beyond it nothing more is kept, so that its
/// memory stays bounded whatever the budget.
const MEMO_NUMBERS: usize = 1 << 23;

impl Memo {
    fn key(parts: &[Part]) -> MemoKey {
        parts
            .iter()
            .map(|p| (p.targets.clone(), p.members.iter().map(|m| (m.log_ratio.to_bits(), m.cond.clone(), m.defeat.clone())).collect()))
            .collect()
    }

    fn keep(&mut self, parts: &[Part], e: &Expectation) {
        let numbers: usize = e.outcomes.iter().map(|(v, _)| v.len() + 1).sum();
        if self.numbers + numbers <= MEMO_NUMBERS {
            self.numbers += numbers;
            self.entries.insert(Memo::key(parts), e.clone());
        }
    }
}

impl Conditioner<'_> {
    pub fn expect(&mut self, parts: &[Part]) -> Result<Expectation, TooEntangled> {
        self.weigh(parts, &mut None)
    }

    /// As `expect`, looking sub-problems up in `memo` first and keeping there
    /// every one weighed (each lookup costs what a step on it would).
    pub fn expect_memo(&mut self, parts: &[Part], memo: &mut Memo) -> Result<Expectation, TooEntangled> {
        self.weigh(parts, &mut Some(memo))
    }

    fn weigh(&mut self, parts: &[Part], memo: &mut Option<&mut Memo>) -> Result<Expectation, TooEntangled> {
        let terms: usize = parts.iter().flat_map(|p| &p.members).map(|m| m.cond.terms().len() + m.defeat.terms().len()).sum();
        self.spend(1 + terms)?;
        let vars: Vec<BTreeSet<Var>> = parts.iter().map(part_vars).collect();
        if vars.iter().all(BTreeSet::is_empty) {
            return Ok(self.settled(parts));
        }
        if let Some(e) = memo.as_ref().and_then(|m| m.entries.get(&Memo::key(parts))) {
            let e = e.clone();
            self.spend(e.outcomes.len())?;
            return Ok(e);
        }
        let e = self.weigh_anew(parts, vars, memo)?;
        if let Some(m) = memo.as_mut() {
            m.keep(parts, &e);
        }
        Ok(e)
    }

    fn weigh_anew(&mut self, parts: &[Part], vars: Vec<BTreeSet<Var>>, memo: &mut Option<&mut Memo>) -> Result<Expectation, TooEntangled> {
        let components = components(&vars);
        if components.len() > 1 {
            let mut outcomes = Outcomes::certain(self.n);
            let mut wins = vec![vec![]; parts.len()];
            for component in components {
                let sub: Vec<Part> = component.iter().map(|&k| parts[k].clone()).collect();
                let e = self.weigh(&sub, memo)?;
                outcomes = self.checked(outcomes.convolve(&e.outcomes))?;
                self.spend(outcomes.len())?;
                for (w, &k) in e.wins.into_iter().zip(&component) {
                    wins[k] = w;
                }
            }
            return Ok(Expectation { outcomes, wins });
        }
        if let Some(e) = self.read_once(parts) {
            return Ok(e);
        }
        let x = most_mentioned(parts);
        let p = (self.probability)(x);
        let genuine = self.weigh(&assign(parts, x, true), memo)?;
        let not = self.weigh(&assign(parts, x, false), memo)?;
        let wins = genuine.wins.iter().zip(&not.wins).map(|(a, b)| a.iter().zip(b).map(|(x, y)| p * x + (1.0 - p) * y).collect()).collect();
        let outcomes = self.checked(genuine.outcomes.mix(p, not.outcomes))?;
        self.spend(outcomes.len())?;
        Ok(Expectation { outcomes, wins })
    }

    fn spend(&mut self, work: usize) -> Result<(), TooEntangled> {
        self.budget = self.budget.checked_sub(work as u64).ok_or(TooEntangled)?;
        Ok(())
    }

    fn checked(&self, outcomes: Outcomes) -> Result<Outcomes, TooEntangled> {
        if outcomes.len() > self.max_outcomes {
            Err(TooEntangled)
        } else {
            Ok(outcomes)
        }
    }

    /// One part whose members all hold under one formula, undefeated, with
    /// terms that share no report (a fact repeated by independent reports):
    /// the first member counts exactly when the formula holds, with
    /// probability 1 − ∏(1 − ∏ p) over its terms, in one pass.
    fn read_once(&self, parts: &[Part]) -> Option<Expectation> {
        let [part] = parts else { return None };
        let first = part.members.iter().position(|m| !m.cond.is_never())?;
        let cond = &part.members[first].cond;
        if part.members.iter().any(|m| !m.defeat.is_never() || !(m.cond.is_never() || m.cond == *cond)) {
            return None;
        }
        let mut seen = BTreeSet::new();
        if !cond.terms().iter().flatten().all(|v| seen.insert(*v)) {
            return None;
        }
        let fails: f64 = cond.terms().iter().map(|t| 1.0 - t.iter().map(|v| (self.probability)(*v)).product::<f64>()).product();
        let holds = 1.0 - fails;
        let mut vector = vec![0.0; self.n];
        for &t in &part.targets {
            vector[t] += part.members[first].log_ratio;
        }
        let outcomes = Outcomes::single(vector).mix(holds, Outcomes::certain(self.n));
        let mut wins = vec![0.0; part.members.len()];
        wins[first] = holds;
        Some(Expectation { outcomes, wins: vec![wins] })
    }

    /// Every formula is decided: each part counts its first applying member.
    fn settled(&self, parts: &[Part]) -> Expectation {
        let mut vector = vec![0.0; self.n];
        let mut wins = vec![];
        for part in parts {
            let mut w = vec![0.0; part.members.len()];
            if let Some(k) = part.members.iter().position(|m| m.cond.is_always() && m.defeat.is_never()) {
                for &t in &part.targets {
                    vector[t] += part.members[k].log_ratio;
                }
                w[k] = 1.0;
            }
            wins.push(w);
        }
        Expectation { outcomes: Outcomes::single(vector), wins }
    }
}

/// Components with at most this many reports are enumerated world by world.
pub const ENUMERATE_UP_TO: usize = 12;

/// The work of enumerating the worlds of `parts` (one step per world and per
/// member looked at in it), or `None` when they rest on too many reports.
pub fn enumeration_cost(parts: &[Part]) -> Option<u64> {
    let vars: BTreeSet<Var> = parts.iter().flat_map(part_vars).collect();
    if vars.len() > ENUMERATE_UP_TO {
        return None;
    }
    let members: usize = parts.iter().map(|p| p.members.len()).sum();
    Some((1u64 << vars.len()) * (1 + members as u64))
}

/// Outcomes of every prefix (entry t: the first t parts, entry 0 nothing) and
/// the wins of each part's members.
pub type Tables = (Vec<Outcomes>, Vec<Vec<f64>>);

/// Every prefix's outcomes by enumerating the 2^k worlds of a small
/// component; `None` when it has too many reports.
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
    let mut tables: Vec<Outcomes> = (0..=parts.len()).map(|_| Outcomes::empty()).collect();
    let mut wins: Vec<Vec<f64>> = parts.iter().map(|p| vec![0.0; p.members.len()]).collect();
    for world in 0u32..(1u32 << vars.len()) {
        let p: f64 = probabilities.iter().enumerate().map(|(i, &q)| if world >> i & 1 == 1 { q } else { 1.0 - q }).product();
        if p <= 0.0 {
            continue;
        }
        let mut vector = vec![0.0; n];
        tables[0].add(vector.clone(), p);
        for (t, part) in parts.iter().enumerate() {
            if let Some(k) = masks[t].iter().position(|(cond, defeat)| satisfied(cond, world) && !satisfied(defeat, world)) {
                for &h in &part.targets {
                    vector[h] += part.members[k].log_ratio;
                }
                wins[t][k] += p;
            }
            tables[t + 1].add(vector.clone(), p);
        }
    }
    Some((tables, wins))
}

pub fn part_vars(part: &Part) -> BTreeSet<Var> {
    part.members.iter().flat_map(|m| m.cond.vars().into_iter().chain(m.defeat.vars())).collect()
}

/// Parts that share a variable, transitively; parts without variables stand alone.
fn components(vars: &[BTreeSet<Var>]) -> Vec<Vec<usize>> {
    let mut sets = UnionFind::new(vars.len());
    let mut owner: BTreeMap<Var, usize> = BTreeMap::new();
    for (k, vs) in vars.iter().enumerate() {
        for v in vs {
            match owner.get(v) {
                Some(&j) => {
                    sets.union(k, j);
                }
                None => {
                    owner.insert(*v, k);
                }
            }
        }
    }
    super::inference::classes(sets)
}

/// The variable in the most terms (the smallest on ties): conditioning on it
/// settles or splits the most.
pub fn most_mentioned(parts: &[Part]) -> Var {
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

pub fn assign(parts: &[Part], var: Var, value: bool) -> Vec<Part> {
    parts
        .iter()
        .map(|p| {
            prune(Part {
                targets: p.targets.clone(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::budget::MAX_OUTCOMES;

    fn probability_of(outcomes: &Outcomes, vector: &[f64]) -> f64 {
        outcomes.iter().filter(|(v, _)| v.iter().zip(vector).all(|(a, b)| (a - b).abs() < 1e-12)).map(|(_, p)| p).sum()
    }

    #[test]
    fn many_independent_confirmations_cost_linear_work() {
        // One fact confirmed by 60 reports holds when any is genuine: P = 1 - 0.75^60.
        let cond = (0..60).fold(Cond::never(), |acc, v| acc.or(&Cond::var(v)));
        let part = Part { targets: vec![0], members: vec![Member { log_ratio: 1.0, cond, defeat: Cond::never() }] };
        let probability = |_: Var| 0.25;
        let mut c = Conditioner { probability: &probability, n: 2, budget: 10_000, max_outcomes: MAX_OUTCOMES };
        let e = c.expect(&[part]).expect("within budget");
        let holds = 1.0 - 0.75f64.powi(60);
        assert_eq!(e.outcomes.len(), 2);
        assert!((probability_of(&e.outcomes, &[1.0, 0.0]) - holds).abs() < 1e-12);
    }

    #[test]
    fn a_shared_report_couples_two_groups() {
        let member = |ratio: f64| Member { log_ratio: ratio.log10(), cond: Cond::var(0), defeat: Cond::never() };
        let parts = [Part { targets: vec![0], members: vec![member(10.0)] }, Part { targets: vec![0], members: vec![member(10.0)] }];
        let probability = |_: Var| 0.5;
        let mut c = Conditioner { probability: &probability, n: 2, budget: 100, max_outcomes: MAX_OUTCOMES };
        let e = c.expect(&parts).expect("within budget");
        // Both apply or neither: never one alone.
        assert!((probability_of(&e.outcomes, &[2.0, 0.0]) - 0.5).abs() < 1e-12);
        assert!((probability_of(&e.outcomes, &[0.0, 0.0]) - 0.5).abs() < 1e-12);
        assert_eq!(e.wins, vec![vec![0.5], vec![0.5]]);
    }

    /// A memo changes the work, never the value: the same outcomes bit for
    /// bit, and a sub-problem weighed before costs only its lookup.
    #[test]
    fn a_memo_gives_the_same_value_for_less_work() {
        let v = Cond::var;
        // A ring of groups on neighbouring reports: one component, split by conditioning.
        let parts: Vec<Part> = (0..12)
            .map(|g| Part {
                targets: vec![(g % 3) as usize],
                members: vec![Member { log_ratio: 0.5 + g as f64 / 8.0, cond: v(g).and(&v((g + 1) % 12)), defeat: Cond::never() }],
            })
            .collect();
        let probability = |x: Var| [0.5625, 0.75, 0.375][x as usize % 3];
        let mut plain = Conditioner { probability: &probability, n: 3, budget: u64::MAX, max_outcomes: MAX_OUTCOMES };
        let want = plain.expect(&parts).expect("unlimited");
        let plain_work = u64::MAX - plain.budget;
        let mut memo = Memo::default();
        let mut first = Conditioner { probability: &probability, n: 3, budget: u64::MAX, max_outcomes: MAX_OUTCOMES };
        let got = first.expect_memo(&parts, &mut memo).expect("unlimited");
        let first_work = u64::MAX - first.budget;
        assert_eq!(got.outcomes, want.outcomes);
        assert_eq!(got.wins, want.wins);
        assert!(first_work <= plain_work, "{first_work} > {plain_work}");
        let mut again = Conditioner { probability: &probability, n: 3, budget: u64::MAX, max_outcomes: MAX_OUTCOMES };
        let got = again.expect_memo(&parts, &mut memo).expect("unlimited");
        assert_eq!(got.outcomes, want.outcomes);
        let terms = parts.iter().map(|p| p.members[0].cond.terms().len() as u64).sum::<u64>();
        assert_eq!(u64::MAX - again.budget, 1 + terms + got.outcomes.len() as u64, "one lookup");
        // A halving reached by conditioning is looked up too.
        let half = assign(&parts, 0, true);
        let mut lookup = Conditioner { probability: &probability, n: 3, budget: u64::MAX, max_outcomes: MAX_OUTCOMES };
        let looked_up = lookup.expect_memo(&half, &mut memo).expect("unlimited");
        let mut fresh = Conditioner { probability: &probability, n: 3, budget: u64::MAX, max_outcomes: MAX_OUTCOMES };
        assert_eq!(looked_up.outcomes, fresh.expect(&half).expect("unlimited").outcomes);
        assert!(u64::MAX - lookup.budget < u64::MAX - fresh.budget);
    }

    /// Enumeration and conditioning are two exact methods: they must agree.
    #[test]
    fn enumeration_and_conditioning_agree() {
        let v = Cond::var;
        let parts = vec![
            Part {
                targets: vec![0],
                members: vec![
                    Member { log_ratio: 2.0, cond: v(0).and(&v(1)), defeat: v(2) },
                    Member { log_ratio: 0.5, cond: v(3), defeat: Cond::never() },
                ],
            },
            Part { targets: vec![1], members: vec![Member { log_ratio: -1.0, cond: v(1).or(&v(4)), defeat: Cond::never() }] },
            Part { targets: vec![2], members: vec![Member { log_ratio: 1.0, cond: v(4).and(&v(5)).or(&v(0)), defeat: v(3) }] },
        ];
        let probability = |x: Var| [0.5625, 0.75, 0.25, 0.375, 0.5, 0.1875][x as usize];
        let (tables, wins) = enumerate(&parts, &probability, 3).expect("small");
        let mut c = Conditioner { probability: &probability, n: 3, budget: 100_000, max_outcomes: MAX_OUTCOMES };
        let priors = [0.2f64.log10(), 0.3f64.log10(), 0.5f64.log10()];
        for t in 1..=parts.len() {
            let e = c.expect(&parts[..t]).expect("within budget");
            let (a, b) = (e.outcomes.log10_bayes_factors(&priors), tables[t].log10_bayes_factors(&priors));
            for (i, (a, b)) in a.iter().zip(&b).enumerate() {
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
