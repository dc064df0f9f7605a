//! How sure the evidence makes a block of conditions (`let ?p = credence { … }`):
//! the probability, under the reports' gradings, that a formula holds. The
//! formula is the disjunction of the block's matches; its variables (reports
//! genuine, hedged statements so) are independent, so the probability is
//! exact by Shannon expansion: split into parts that share no variable, and
//! condition on the variable most terms mention (docs/semantics.md, 5a).

use super::budget::{Exhausted, Meter};
use super::condition::{Cond, Var};
use super::facts::FastMap;

/// The probability that `cond` holds when each variable `v` is true with
/// probability `probability(v)`, independently; the work counts against `meter`.
pub fn probability(cond: &Cond, probability: &dyn Fn(Var) -> f64, meter: &mut Meter) -> Result<f64, Exhausted> {
    let mut expansion = Expansion { probability, memo: FastMap::default(), depth: 0 };
    expansion.of(cond.terms().to_vec(), meter)
}

/// Nested conditionings allowed before the expansion counts as out of budget,
/// so that the stack stays bounded whatever the budget (a chain of n reports
/// each sharing one with the next needs about n / 2).
pub const MAX_DEPTH: usize = 256;

struct Expansion<'p> {
    probability: &'p dyn Fn(Var) -> f64,
    /// Sub-formulas already weighed: conditioning often reaches one twice.
    memo: FastMap<Vec<Vec<Var>>, f64>,
    /// How deep the expansion is now.
    depth: usize,
}

impl Expansion<'_> {
    /// `terms`: a disjunction of conjunctions, each sorted.
    fn of(&mut self, terms: Vec<Vec<Var>>, meter: &mut Meter) -> Result<f64, Exhausted> {
        if self.depth >= MAX_DEPTH {
            return Err(Exhausted);
        }
        self.depth += 1;
        let p = self.expand(terms, meter);
        self.depth -= 1;
        p
    }

    fn expand(&mut self, mut terms: Vec<Vec<Var>>, meter: &mut Meter) -> Result<f64, Exhausted> {
        meter.spend(1 + terms.iter().map(|t| t.len() as u64).sum::<u64>())?;
        if terms.is_empty() {
            return Ok(0.0);
        }
        if terms.iter().any(|t| t.is_empty()) {
            return Ok(1.0);
        }
        if let [only] = terms.as_slice() {
            return Ok(only.iter().map(|&v| (self.probability)(v)).product());
        }
        terms.sort_unstable();
        terms.dedup();
        if let Some(&p) = self.memo.get(&terms) {
            return Ok(p);
        }
        let parts = independent_parts(&terms);
        let p = if parts.len() > 1 {
            // Parts that share no variable: the disjunction fails only when every part does.
            let mut none = 1.0;
            for part in parts {
                none *= 1.0 - self.of(part, meter)?;
            }
            1.0 - none
        } else {
            let v = most_mentioned(&terms);
            let pv = (self.probability)(v);
            let mut p = 0.0;
            if pv > 0.0 {
                let given: Vec<Vec<Var>> = terms.iter().map(|t| t.iter().copied().filter(|&x| x != v).collect()).collect();
                p += pv * self.of(given, meter)?;
            }
            if pv < 1.0 {
                let without: Vec<Vec<Var>> = terms.iter().filter(|t| !t.contains(&v)).cloned().collect();
                p += (1.0 - pv) * self.of(without, meter)?;
            }
            p
        };
        self.memo.insert(terms, p);
        Ok(p)
    }
}

/// The variable the most terms mention (the smallest on ties, for determinism).
fn most_mentioned(terms: &[Vec<Var>]) -> Var {
    let mut counts: FastMap<Var, usize> = FastMap::default();
    for t in terms {
        for &v in t {
            *counts.entry(v).or_default() += 1;
        }
    }
    counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map(|(v, _)| v).unwrap_or_default()
}

/// The terms grouped into parts that share no variable, each part in the order found.
fn independent_parts(terms: &[Vec<Var>]) -> Vec<Vec<Vec<Var>>> {
    let mut parent: Vec<usize> = (0..terms.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut first_with: FastMap<Var, usize> = FastMap::default();
    for (i, t) in terms.iter().enumerate() {
        for &v in t {
            match first_with.get(&v) {
                Some(&j) => {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    parent[a] = b;
                }
                None => {
                    first_with.insert(v, i);
                }
            }
        }
    }
    let mut index: FastMap<usize, usize> = FastMap::default();
    let mut parts: Vec<Vec<Vec<Var>>> = vec![];
    for (i, t) in terms.iter().enumerate() {
        let r = root(&mut parent, i);
        let at = *index.entry(r).or_insert_with(|| {
            parts.push(vec![]);
            parts.len() - 1
        });
        parts[at].push(t.clone());
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(cond: &Cond, probs: &[f64]) -> f64 {
        probability(cond, &|v| probs[v as usize], &mut Meter::unlimited()).unwrap_or(f64::NAN)
    }

    #[test]
    fn hand_cases() {
        let probs = [0.5, 0.25, 0.8];
        assert_eq!(p(&Cond::never(), &probs), 0.0);
        assert_eq!(p(&Cond::always(), &probs), 1.0);
        assert!((p(&Cond::var(0).and(&Cond::var(1)), &probs) - 0.125).abs() < 1e-12);
        // 1 - 0.5 * 0.75
        assert!((p(&Cond::var(0).or(&Cond::var(1)), &probs) - 0.625).abs() < 1e-12);
        // (0 and 1) or (0 and 2) = 0.5 * (1 - 0.75 * 0.2)
        let shared = Cond::var(0).and(&Cond::var(1)).or(&Cond::var(0).and(&Cond::var(2)));
        assert!((p(&shared, &probs) - 0.5 * 0.85).abs() < 1e-12);
    }

    #[test]
    fn a_small_budget_runs_out() {
        let mut cond = Cond::never();
        for i in 0..12 {
            cond = cond.or(&Cond::var(i).and(&Cond::var((i + 1) % 12)));
        }
        let mut meter = Meter::new(&crate::engine::budget::Limits { steps: 10, ..Default::default() });
        assert_eq!(probability(&cond, &|_| 0.5, &mut meter), Err(Exhausted));
    }

    #[test]
    fn a_long_chain_is_refused_rather_than_deepening_the_stack() {
        // x0 x1, x1 x2, ...: each conditioning leaves a chain a little shorter.
        let chain = Cond::any((0..2_000).map(|i| Cond::var(i).and(&Cond::var(i + 1))).collect());
        assert_eq!(probability(&chain, &|_| 0.5, &mut Meter::unlimited()), Err(Exhausted));
        let short = Cond::any((0..40).map(|i| Cond::var(i).and(&Cond::var(i + 1))).collect());
        let p = probability(&short, &|_| 0.5, &mut Meter::unlimited()).expect("shallow");
        assert!(p > 0.0 && p < 1.0);
    }
}
