//! A distribution over what the worlds of uncertain reports add to each
//! hypothesis: every outcome is the vector of log10 likelihood ratios that the
//! applying groups contribute, with the probability of the worlds that give it.
//!
//! Gradings are held fixed (Jeffrey's rule, docs/semantics.md), so a body of
//! evidence resting on the same reports moves each hypothesis by the
//! expectation, over these outcomes, of the factor each outcome alone would
//! move it by: the weighing keeps the whole distribution of one such body,
//! merging outcomes that add exactly the same vector.

use super::facts::FastMap;

/// A discrete distribution of the log10 weights a body of evidence adds to each hypothesis.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcomes {
    /// (log10 weight added to each hypothesis, probability), in the order first reached.
    entries: Vec<(Vec<f64>, f64)>,
    /// Where each vector's entry is (keyed by its bits; hashed with FxHash, the
    /// engine's hash for small integer keys: SipHash cost more than the lookup).
    index: FastMap<Vec<u64>, usize>,
}

fn key(vector: &[f64]) -> Vec<u64> {
    // +0.0 and -0.0 add the same weight.
    vector.iter().map(|x| if *x == 0.0 { 0 } else { x.to_bits() }).collect()
}

impl Outcomes {
    /// Nothing added, for certain.
    pub fn certain(n: usize) -> Outcomes {
        Outcomes::single(vec![0.0; n])
    }

    /// One outcome, for certain.
    pub fn single(vector: Vec<f64>) -> Outcomes {
        let mut out = Outcomes { entries: vec![], index: FastMap::default() };
        out.add(vector, 1.0);
        out
    }

    /// No outcome at all (probability zero).
    pub fn empty() -> Outcomes {
        Outcomes { entries: vec![], index: FastMap::default() }
    }

    /// Adds `probability` to an outcome, merging it with an equal one.
    pub fn add(&mut self, vector: Vec<f64>, probability: f64) {
        if probability <= 0.0 {
            return;
        }
        let k = key(&vector);
        match self.index.get(&k) {
            Some(&i) => self.entries[i].1 += probability,
            None => {
                self.index.insert(k, self.entries.len());
                self.entries.push((vector, probability));
            }
        }
    }

    /// The number of distinct outcomes.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Each outcome with its probability.
    pub fn iter(&self) -> impl Iterator<Item = (&[f64], f64)> {
        self.entries.iter().map(|(v, p)| (v.as_slice(), *p))
    }

    /// `p` times this distribution joined with `1 − p` times the other.
    pub fn mix(self, p: f64, other: Outcomes) -> Outcomes {
        let mut out = Outcomes::empty();
        for (v, q) in self.entries {
            out.add(v, p * q);
        }
        for (v, q) in other.entries {
            out.add(v, (1.0 - p) * q);
        }
        out
    }

    /// The distribution of the sum of two independent outcomes.
    pub fn convolve(&self, other: &Outcomes) -> Outcomes {
        if other.entries.len() == 1 && other.entries[0].0.iter().all(|x| *x == 0.0) {
            return self.scaled(other.entries[0].1);
        }
        let mut out = Outcomes::empty();
        for (a, p) in &self.entries {
            for (b, q) in &other.entries {
                out.add(a.iter().zip(b).map(|(x, y)| x + y).collect(), p * q);
            }
        }
        out
    }

    fn scaled(&self, factor: f64) -> Outcomes {
        let mut out = self.clone();
        for entry in &mut out.entries {
            entry.1 *= factor;
        }
        out
    }

    /// log10 of this body of evidence's Bayes factor for each hypothesis: the
    /// expectation, over its outcomes, of the factor by which that outcome
    /// alone would move the hypothesis from its prior (its posterior over its
    /// prior), so that the gradings it rests on are held fixed (Jeffrey's rule).
    pub fn log10_bayes_factors(&self, log10_priors: &[f64]) -> Vec<f64> {
        let n = log10_priors.len();
        let mut acc = vec![f64::NEG_INFINITY; n];
        for (vector, p) in self.iter() {
            let logits: Vec<f64> = log10_priors.iter().zip(vector).map(|(a, b)| a + b).collect();
            let total = log10_sum(&logits);
            let lp = p.log10();
            for (slot, s) in acc.iter_mut().zip(vector) {
                *slot = log10_add(*slot, lp + s - total);
            }
        }
        acc
    }
}

/// log10(10^a + 10^b) without overflow.
pub fn log10_add(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    if lo == f64::NEG_INFINITY {
        return hi;
    }
    hi + (1.0 + 10f64.powf(lo - hi)).log10()
}

/// log10 of the sum of 10^w, computed without overflow.
pub fn log10_sum(weights: &[f64]) -> f64 {
    let max = weights.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return max;
    }
    max + weights.iter().map(|w| 10f64.powf(w - max)).sum::<f64>().log10()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mixture_of_posteriors_is_bounded_by_its_weights() {
        // Genuine with p = 0.5625 and decisive; otherwise nothing: at most
        // 0.5625 + 0.4375 / 3 for the first of three equal hypotheses.
        let decisive = Outcomes::single(vec![300.0, 0.0, 0.0]);
        let mixed = decisive.mix(0.5625, Outcomes::certain(3));
        let prior = (1.0f64 / 3.0).log10();
        let p = 10f64.powf(prior + mixed.log10_bayes_factors(&[prior; 3])[0]);
        assert!((p - (0.5625 + 0.4375 / 3.0)).abs() < 1e-12, "{p}");
    }

    #[test]
    fn equal_sums_merge() {
        let a = Outcomes::single(vec![1.0, 0.0]).mix(0.5, Outcomes::certain(2));
        let b = a.convolve(&a);
        assert_eq!(b.len(), 3);
        let total: f64 = b.iter().map(|(_, p)| p).sum();
        assert!((total - 1.0).abs() < 1e-15);
    }
}
