//! Runs a rule's conditions against the fact store: index nested-loop joins,
//! choosing for each pattern the smallest index bucket among its bound fields.

use super::expr::{compare, eval};
use super::facts::{FactStore, RowId};
use crate::language::program::{PatternStep, Step, Term};
use crate::prelude::*;

/// One way a rule's conditions hold: the bindings and the rows matched by
/// its positive patterns (the evidence it rests on).
pub struct Found<'a> {
    pub bindings: &'a [Option<Value>],
    pub rows: &'a [RowId],
}

pub fn run(store: &FactStore, steps: &[Step], slots: usize, on_match: &mut dyn FnMut(Found)) {
    let mut bindings = vec![None; slots];
    let mut rows = vec![];
    Runner { store }.steps(steps, &mut bindings, &mut rows, on_match);
}

struct Runner<'s> {
    store: &'s FactStore,
}

impl<'s> Runner<'s> {
    fn steps(&self, steps: &[Step], bindings: &mut Vec<Option<Value>>, rows: &mut Vec<RowId>, on_match: &mut dyn FnMut(Found)) {
        let Some((step, rest)) = steps.split_first() else {
            on_match(Found { bindings, rows });
            return;
        };
        match step {
            Step::Match(p) => {
                for &row in self.candidates(p, bindings) {
                    let mut bound = vec![];
                    if self.unify(p, row, bindings, &mut bound) {
                        rows.push(row);
                        self.steps(rest, bindings, rows, on_match);
                        rows.pop();
                    }
                    for s in bound {
                        bindings[s] = None;
                    }
                }
            }
            Step::Not(p) => {
                if !self.exists(p, bindings) {
                    self.steps(rest, bindings, rows, on_match);
                }
            }
            Step::Filter { lhs, op, rhs, .. } => {
                if let (Some(a), Some(b)) = (eval(lhs, bindings), eval(rhs, bindings)) {
                    if compare(*op, &a, &b) {
                        self.steps(rest, bindings, rows, on_match);
                    }
                }
            }
            Step::Member { slot, list } => {
                if let Some(Value::List(items)) = eval(list, bindings) {
                    for item in items.iter() {
                        bindings[*slot] = Some(item.clone());
                        self.steps(rest, bindings, rows, on_match);
                    }
                    bindings[*slot] = None;
                }
            }
            Step::Let { slot, expr } => {
                if let Some(v) = eval(expr, bindings) {
                    bindings[*slot] = Some(v);
                    self.steps(rest, bindings, rows, on_match);
                    bindings[*slot] = None;
                }
            }
            Step::Count { slot, body, counted } => {
                let mut seen: BTreeSet<Vec<Option<Value>>> = BTreeSet::new();
                let mut inner_rows = vec![];
                let mut scratch = bindings.clone();
                self.steps(body, &mut scratch, &mut inner_rows, &mut |found: Found| {
                    seen.insert(counted.iter().map(|s| found.bindings[*s].clone()).collect());
                });
                bindings[*slot] = Some(Value::Num(seen.len() as f64));
                self.steps(rest, bindings, rows, on_match);
                bindings[*slot] = None;
            }
        }
    }

    /// Rows that may match: the smallest index bucket among bound fields, or
    /// every row of the type when nothing is bound yet.
    fn candidates(&self, p: &PatternStep, bindings: &[Option<Value>]) -> &'s [RowId] {
        let mut best: Option<&'s [RowId]> = None;
        for (field, term) in &p.fields {
            let value = match term {
                Term::Equal(e) => eval(e, bindings),
                Term::Bind(s) => bindings[*s].clone(),
            };
            if let Some(v) = value {
                let bucket = self.store.lookup(p.ty, *field, &v);
                if best.map(|b| bucket.len() < b.len()).unwrap_or(true) {
                    best = Some(bucket);
                }
            }
        }
        best.unwrap_or_else(|| self.store.of_type(p.ty))
    }

    fn unify(&self, p: &PatternStep, row: RowId, bindings: &mut [Option<Value>], bound: &mut Vec<usize>) -> bool {
        let fields = &self.store.rows[row].fields;
        for (field, term) in &p.fields {
            let Some(actual) = fields.get(*field).and_then(|v| v.as_ref()) else { return false };
            match term {
                Term::Bind(s) if bindings[*s].is_none() => {
                    bindings[*s] = Some(actual.clone());
                    bound.push(*s);
                }
                Term::Bind(s) => {
                    if bindings[*s].as_ref() != Some(actual) {
                        return false;
                    }
                }
                Term::Equal(e) => {
                    if eval(e, bindings).as_ref() != Some(actual) {
                        return false;
                    }
                }
            }
        }
        true
    }

    fn exists(&self, p: &PatternStep, bindings: &mut [Option<Value>]) -> bool {
        for &row in self.candidates(p, bindings) {
            let mut bound = vec![];
            let ok = self.unify(p, row, bindings, &mut bound);
            for s in bound {
                bindings[s] = None;
            }
            if ok {
                return true;
            }
        }
        false
    }
}
