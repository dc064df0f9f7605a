//! When does a fact hold? A monotone formula over report variables, kept in
//! minimal disjunctive normal form: `{{1, 2}, {3}}` reads "reports 1 and 2
//! are genuine, or report 3 is". Facts that need no report are `TRUE`.

use std::collections::BTreeSet;

/// Index of a report variable (a report whose genuineness is uncertain).
pub type Var = u32;

/// Above this many terms a formula is too entangled to keep exactly.
pub const MAX_TERMS: usize = 4096;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cond(Vec<Vec<Var>>);

impl Cond {
    pub fn always() -> Cond {
        Cond(vec![vec![]])
    }

    pub fn never() -> Cond {
        Cond(vec![])
    }

    pub fn var(v: Var) -> Cond {
        Cond(vec![vec![v]])
    }

    pub fn is_always(&self) -> bool {
        self.0.len() == 1 && self.0[0].is_empty()
    }

    pub fn is_never(&self) -> bool {
        self.0.is_empty()
    }

    pub fn terms(&self) -> &[Vec<Var>] {
        &self.0
    }

    pub fn and(&self, other: &Cond) -> Cond {
        if self.is_always() {
            return other.clone();
        }
        if other.is_always() {
            return self.clone();
        }
        let mut terms = Vec::with_capacity(self.0.len() * other.0.len());
        for a in &self.0 {
            for b in &other.0 {
                let mut t: Vec<Var> = a.iter().chain(b.iter()).copied().collect();
                t.sort_unstable();
                t.dedup();
                terms.push(t);
            }
        }
        Cond::minimal(terms)
    }

    pub fn or(&self, other: &Cond) -> Cond {
        if self.is_never() {
            return other.clone();
        }
        if other.is_never() {
            return self.clone();
        }
        Cond::minimal(self.0.iter().chain(other.0.iter()).cloned().collect())
    }

    /// Drops every term that contains another (absorption), and sorts.
    fn minimal(mut terms: Vec<Vec<Var>>) -> Cond {
        terms.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        terms.dedup();
        let mut kept: Vec<Vec<Var>> = Vec::with_capacity(terms.len());
        for t in terms {
            if !kept.iter().any(|k| is_subset(k, &t)) {
                kept.push(t);
            }
        }
        kept.sort();
        Cond(kept)
    }

    pub fn vars(&self) -> BTreeSet<Var> {
        self.0.iter().flatten().copied().collect()
    }

    pub fn holds(&self, genuine: impl Fn(Var) -> bool) -> bool {
        self.0.iter().any(|t| t.iter().all(|v| genuine(*v)))
    }

    /// The formula once `var` is known to be `value`.
    pub fn assign(&self, var: Var, value: bool) -> Cond {
        if !self.0.iter().any(|t| t.contains(&var)) {
            return self.clone();
        }
        let terms = self
            .0
            .iter()
            .filter_map(|t| match (t.contains(&var), value) {
                (false, _) => Some(t.clone()),
                (true, true) => Some(t.iter().copied().filter(|v| *v != var).collect()),
                (true, false) => None,
            })
            .collect();
        Cond::minimal(terms)
    }

    pub fn too_large(&self) -> bool {
        self.0.len() > MAX_TERMS
    }
}

fn is_subset(small: &[Var], big: &[Var]) -> bool {
    let mut i = 0;
    for v in big {
        if i < small.len() && small[i] == *v {
            i += 1;
        }
    }
    i == small.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absorption_keeps_formulas_minimal() {
        let a = Cond::var(1);
        let ab = a.and(&Cond::var(2));
        assert_eq!(a.or(&ab), a);
        assert_eq!(Cond::always().and(&a), a);
        assert_eq!(Cond::never().or(&a), a);
        assert!(a.and(&Cond::never()).is_never());
        assert!(ab.holds(|v| v == 1 || v == 2));
        assert!(!ab.holds(|v| v == 1));
    }
}
