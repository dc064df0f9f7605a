//! When does a fact hold? A monotone formula over report variables, kept in
//! minimal disjunctive normal form: `{{1, 2}, {3}}` reads "reports 1 and 2
//! are genuine, or report 3 is". Facts that need no report are `TRUE`.

use super::budget::{Exhausted, Meter};
use super::facts::FastMap;
use std::collections::BTreeSet;

/// Index of a report variable (a report whose genuineness is uncertain).
pub type Var = u32;

pub use super::budget::MAX_TERMS;

/// When something holds: a formula over report variables in disjunctive normal form (a disjunction of conjunctions, each a sorted set of variables), kept minimal.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cond(Vec<Vec<Var>>);

impl Cond {
    /// Holds whatever the reports (one empty term).
    pub fn always() -> Cond {
        Cond(vec![vec![]])
    }

    /// Never holds (no term).
    pub fn never() -> Cond {
        Cond(vec![])
    }

    /// Holds when variable `v` is true.
    pub fn var(v: Var) -> Cond {
        Cond(vec![vec![v]])
    }

    /// Whether it holds whatever the reports.
    pub fn is_always(&self) -> bool {
        self.0.len() == 1 && self.0[0].is_empty()
    }

    /// Whether it never holds.
    pub fn is_never(&self) -> bool {
        self.0.is_empty()
    }

    /// Its terms: each a conjunction of variables.
    pub fn terms(&self) -> &[Vec<Var>] {
        &self.0
    }

    /// The conjunction, without a budget.
    pub fn and(&self, other: &Cond) -> Cond {
        self.and_within(other, &mut Meter::unlimited()).expect("an unlimited meter never runs out")
    }

    /// The conjunction, counting its work against `meter`. Terms of one side
    /// that already contain a term of the other are terms of the result as they
    /// are (and absorb every product with them), so only the rest is multiplied
    /// out: a fact asserted by N reports joined with another asserted by the same
    /// N costs time linear in N, not N².
    pub fn and_within(&self, other: &Cond, meter: &mut Meter) -> Result<Cond, Exhausted> {
        if self.is_always() || other.is_never() {
            return Ok(other.clone());
        }
        if other.is_always() || self.is_never() {
            return Ok(self.clone());
        }
        let (mine, theirs) = (TermIndex::new(&self.0), TermIndex::new(&other.0));
        let mut terms: Vec<Vec<Var>> = vec![];
        let mut left: Vec<&Vec<Var>> = vec![];
        for a in &self.0 {
            if theirs.absorbs(a, meter)? {
                terms.push(a.clone());
            } else {
                left.push(a);
            }
        }
        let mut right: Vec<&Vec<Var>> = vec![];
        for b in &other.0 {
            if mine.absorbs(b, meter)? {
                terms.push(b.clone());
            } else {
                right.push(b);
            }
        }
        // Charged before anything is built, so a product too large to keep is
        // refused without being allocated.
        meter.spend((left.len() as u64).saturating_mul(right.len() as u64))?;
        for a in &left {
            for b in &right {
                let mut t: Vec<Var> = a.iter().chain(b.iter()).copied().collect();
                t.sort_unstable();
                t.dedup();
                terms.push(t);
            }
        }
        Cond::minimal_within(terms, meter)
    }

    /// The disjunction, without a budget.
    pub fn or(&self, other: &Cond) -> Cond {
        self.or_within(other, &mut Meter::unlimited()).expect("an unlimited meter never runs out")
    }

    /// The disjunction, counting its work against `meter`.
    pub fn or_within(&self, other: &Cond, meter: &mut Meter) -> Result<Cond, Exhausted> {
        if self.is_never() {
            return Ok(other.clone());
        }
        if other.is_never() {
            return Ok(self.clone());
        }
        Cond::minimal_within(self.0.iter().chain(other.0.iter()).cloned().collect(), meter)
    }

    /// The disjunction of many formulas at once: one minimisation of all their terms.
    pub fn any_within(conds: Vec<Cond>, meter: &mut Meter) -> Result<Cond, Exhausted> {
        if conds.len() == 1 {
            return Ok(conds.into_iter().next().expect("one"));
        }
        Cond::minimal_within(conds.into_iter().flat_map(|c| c.0).collect(), meter)
    }

    /// The disjunction of many formulas at once, without a budget.
    pub fn any(conds: Vec<Cond>) -> Cond {
        Cond::any_within(conds, &mut Meter::unlimited()).expect("an unlimited meter never runs out")
    }

    fn minimal(terms: Vec<Vec<Var>>) -> Cond {
        Cond::minimal_within(terms, &mut Meter::unlimited()).expect("an unlimited meter never runs out")
    }

    /// Drops every term that contains another (absorption), and sorts. Each
    /// term is checked only against the kept terms whose smallest variable it
    /// contains, so disjunctions of many short terms cost about n log n.
    fn minimal_within(mut terms: Vec<Vec<Var>>, meter: &mut Meter) -> Result<Cond, Exhausted> {
        meter.spend(terms.len() as u64)?;
        terms.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        terms.dedup();
        if terms.first().is_some_and(|t| t.is_empty()) {
            return Ok(Cond::always());
        }
        let mut kept: Vec<Vec<Var>> = Vec::with_capacity(terms.len());
        let mut by_first: FastMap<Var, Vec<usize>> = FastMap::default();
        for t in terms {
            meter.spend(t.len() as u64)?;
            let mut absorbed = false;
            'search: for v in &t {
                if let Some(list) = by_first.get(v) {
                    meter.spend(list.len() as u64)?;
                    for &k in list {
                        if is_subset(&kept[k], &t) {
                            absorbed = true;
                            break 'search;
                        }
                    }
                }
            }
            if !absorbed {
                by_first.entry(t[0]).or_default().push(kept.len());
                kept.push(t);
            }
        }
        kept.sort();
        Ok(Cond(kept))
    }

    /// The variables it mentions.
    pub fn vars(&self) -> BTreeSet<Var> {
        self.0.iter().flatten().copied().collect()
    }

    /// Whether it holds when exactly the variables `genuine` says are true.
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

    /// Whether it has more terms than any formula may keep ([`MAX_TERMS`]).
    pub fn too_large(&self) -> bool {
        self.0.len() > MAX_TERMS
    }
}

/// The terms of a formula by their smallest variable, to find quickly whether
/// some term is contained in a given one.
struct TermIndex {
    empty: bool,
    by_first: FastMap<Var, Vec<Vec<Var>>>,
}

impl TermIndex {
    fn new(terms: &[Vec<Var>]) -> TermIndex {
        let mut index = TermIndex { empty: false, by_first: FastMap::default() };
        for t in terms {
            match t.first() {
                None => index.empty = true,
                Some(v) => index.by_first.entry(*v).or_default().push(t.clone()),
            }
        }
        index
    }

    /// Whether some indexed term is a subset of `t`.
    fn absorbs(&self, t: &[Var], meter: &mut Meter) -> Result<bool, Exhausted> {
        if self.empty {
            return Ok(true);
        }
        meter.spend(1 + t.len() as u64)?;
        for v in t {
            if let Some(list) = self.by_first.get(v) {
                meter.spend(list.len() as u64)?;
                if list.iter().any(|k| is_subset(k, t)) {
                    return Ok(true);
                }
            }
        }
        Ok(false)
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
