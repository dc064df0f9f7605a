//! Runs a rule's conditions against the fact store: index nested-loop joins,
//! choosing for each pattern the smallest index bucket among its bound fields.
//! Matches are streamed to a callback, never collected here, and every row
//! tried counts against the work budget.

use super::budget::{Exhausted, Meter};
use super::condition::Cond;
use super::credence;
use super::expr::{compare, eval};
use super::facts::{FactStore, RowId};
use crate::language::program::{Expr, PatternStep, Step, Term};
use crate::prelude::*;
use std::collections::HashMap;

/// One way a rule's conditions hold: the bindings and the rows matched by
/// its positive patterns (the evidence it rests on).
pub struct Found<'a> {
    /// The value bound to each variable slot.
    pub bindings: &'a [Option<Value>],
    /// The rows matched by the positive patterns, in order.
    pub rows: &'a [RowId],
    /// For each row: whether it stands for every row of its logical fact (see
    /// [`run_within`]).
    pub grouped: &'a [bool],
    /// The rows `credence` blocks looked at: cited by the match, though it
    /// does not rest on them.
    pub cited: &'a [RowId],
}

/// Every match, one per combination of rows (no budget).
pub fn run(store: &FactStore, steps: &[Step], slots: usize, on_match: &mut dyn FnMut(Found)) {
    let mut meter = Meter::unlimited();
    let _ = run_within(store, steps, slots, false, &mut meter, &mut |found, _| {
        on_match(found);
        Ok(())
    });
}

/// Where the budget ran out: the bindings and rows being tried.
pub struct Stopped {
    /// The value bound to each variable slot so far.
    pub bindings: Vec<Option<Value>>,
    /// The rows matched so far.
    pub rows: Vec<RowId>,
}

/// Every match, counting the work against `meter`; the callback may stop the
/// run by returning an error. With `by_fact`, a pattern that does not look at
/// the fields in which rows of one logical fact differ (who reported it) is
/// tried once per fact, not once per report: the row found stands for every
/// row of its fact (`grouped`), so a fact asserted by N reports is one match,
/// not N (or N² when two such facts are joined).
pub fn run_within(
    store: &FactStore,
    steps: &[Step],
    slots: usize,
    by_fact: bool,
    meter: &mut Meter,
    on_match: &mut OnMatch,
) -> Result<(), Stopped> {
    let mut bindings = vec![None; slots];
    let mut rows = vec![];
    let mut grouped = vec![];
    let mut runner = Runner { store, by_fact, meter, counts: HashMap::new(), credences: HashMap::new(), cited: vec![] };
    match runner.steps(steps, &mut bindings, &mut rows, &mut grouped, on_match) {
        Ok(()) => Ok(()),
        Err(Exhausted) => Err(Stopped { bindings, rows }),
    }
}

/// An aggregate block and the values of the outer variables it reads.
type BlockKey = (usize, Vec<Option<Value>>);

struct Runner<'s, 'm> {
    store: &'s FactStore,
    by_fact: bool,
    meter: &'m mut Meter,
    /// Counts already made, by block and the values of the outer variables it
    /// reads: a count inside a `sum` (how many candidates use a technique) is
    /// the same for every candidate, and is made once.
    counts: HashMap<BlockKey, f64>,
    /// Credences already weighed, with the rows they looked at, keyed as counts are.
    credences: HashMap<BlockKey, (f64, Vec<RowId>)>,
    /// The rows the `credence` blocks of the match being built looked at.
    cited: Vec<RowId>,
}

/// The slots a block's conditions read or bind, in order, each once.
pub(crate) fn slots_of(steps: &[Step], out: &mut Vec<usize>) {
    fn expr(e: &Expr, out: &mut Vec<usize>) {
        match e {
            Expr::Const(_) => {}
            Expr::Slot(s) => {
                if !out.contains(s) {
                    out.push(*s)
                }
            }
            Expr::List(items) | Expr::Call(_, items) => items.iter().for_each(|i| expr(i, out)),
            Expr::Binary(_, a, b) => {
                expr(a, out);
                expr(b, out);
            }
            Expr::Neg(a) => expr(a, out),
        }
    }
    let slot = |s: usize, out: &mut Vec<usize>| {
        if !out.contains(&s) {
            out.push(s)
        }
    };
    for step in steps {
        match step {
            Step::Match(p) | Step::Not(p) => {
                for (_, term) in &p.fields {
                    match term {
                        Term::Bind(s) => slot(*s, out),
                        Term::Equal(e) => expr(e, out),
                    }
                }
            }
            Step::Filter { lhs, rhs, .. } => {
                expr(lhs, out);
                expr(rhs, out);
            }
            Step::Member { slot: s, list } => {
                slot(*s, out);
                expr(list, out);
            }
            Step::Let { slot: s, expr: e } => {
                slot(*s, out);
                expr(e, out);
            }
            Step::Count { slot: s, body, .. } | Step::Credence { slot: s, body } => {
                slot(*s, out);
                slots_of(body, out);
            }
            Step::Sum { slot: s, body, term, .. } => {
                slot(*s, out);
                slots_of(body, out);
                expr(term, out);
            }
        }
    }
}

/// Called with each match and the meter, to count the work of using it.
pub type OnMatch<'f> = dyn FnMut(Found, &mut Meter) -> Result<(), Exhausted> + 'f;

impl<'s> Runner<'s, '_> {
    fn steps(
        &mut self,
        steps: &[Step],
        bindings: &mut Vec<Option<Value>>,
        rows: &mut Vec<RowId>,
        grouped: &mut Vec<bool>,
        on_match: &mut OnMatch,
    ) -> Result<(), Exhausted> {
        let Some((step, rest)) = steps.split_first() else {
            self.meter.spend(1 + rows.len() as u64 + bindings.len() as u64)?;
            return on_match(Found { bindings, rows, grouped, cited: &self.cited }, self.meter);
        };
        match step {
            Step::Match(p) => {
                let group = self.by_fact && p.fields.iter().all(|(field, _)| !self.store.varies(p.ty, *field));
                for &row in self.candidates(p, bindings) {
                    self.meter.spend(1)?;
                    // The fact's first row stands for all of them.
                    if group && self.store.rows_of_fact(self.store.rows[row].fact).first() != Some(&row) {
                        continue;
                    }
                    let mut bound = vec![];
                    if self.unify(p, row, bindings, &mut bound) {
                        rows.push(row);
                        grouped.push(group);
                        self.steps(rest, bindings, rows, grouped, on_match)?;
                        rows.pop();
                        grouped.pop();
                    }
                    for s in bound {
                        bindings[s] = None;
                    }
                }
            }
            Step::Not(p) => {
                if !self.exists(p, bindings)? {
                    self.steps(rest, bindings, rows, grouped, on_match)?;
                }
            }
            Step::Filter { lhs, op, rhs, .. } => {
                if let (Some(a), Some(b)) = (eval(lhs, bindings), eval(rhs, bindings)) {
                    if compare(*op, &a, &b) {
                        self.steps(rest, bindings, rows, grouped, on_match)?;
                    }
                }
            }
            Step::Member { slot, list } => {
                if let Some(Value::List(items)) = eval(list, bindings) {
                    for item in items.iter() {
                        self.meter.spend(1)?;
                        bindings[*slot] = Some(item.clone());
                        self.steps(rest, bindings, rows, grouped, on_match)?;
                    }
                    bindings[*slot] = None;
                }
            }
            Step::Let { slot, expr } => {
                if let Some(v) = eval(expr, bindings) {
                    bindings[*slot] = Some(v);
                    self.steps(rest, bindings, rows, grouped, on_match)?;
                    bindings[*slot] = None;
                }
            }
            Step::Count { slot, body, counted } => {
                // What the block sees from outside: the values of its slots bound now.
                let mut read = vec![];
                slots_of(body, &mut read);
                let key = (body.as_ptr() as usize, read.iter().map(|s| bindings[*s].clone()).collect::<Vec<_>>());
                if let Some(&n) = self.counts.get(&key) {
                    self.meter.spend(1)?;
                    bindings[*slot] = Some(Value::Num(n));
                    self.steps(rest, bindings, rows, grouped, on_match)?;
                    bindings[*slot] = None;
                    return Ok(());
                }
                let mut seen: BTreeSet<Vec<Option<Value>>> = BTreeSet::new();
                let mut inner_rows = vec![];
                let mut inner_grouped = vec![];
                let mut scratch = bindings.clone();
                // Counting distinct bindings: one row per fact is enough.
                let by_fact = std::mem::replace(&mut self.by_fact, true);
                let counted_ok = self.steps(body, &mut scratch, &mut inner_rows, &mut inner_grouped, &mut |found: Found, _: &mut Meter| {
                    seen.insert(counted.iter().map(|s| found.bindings[*s].clone()).collect());
                    Ok(())
                });
                self.by_fact = by_fact;
                counted_ok?;
                self.counts.insert(key, seen.len() as f64);
                bindings[*slot] = Some(Value::Num(seen.len() as f64));
                self.steps(rest, bindings, rows, grouped, on_match)?;
                bindings[*slot] = None;
            }
            Step::Sum { slot, body, summed, term } => {
                // Like `count`, a sum reads the facts as stated: its value describes the
                // evidence in force, and the match does not rest on the facts it summed.
                let mut terms: BTreeMap<Vec<Option<Value>>, Option<f64>> = BTreeMap::new();
                let mut inner_rows = vec![];
                let mut inner_grouped = vec![];
                let mut scratch = bindings.clone();
                let by_fact = std::mem::replace(&mut self.by_fact, true);
                let summed_ok = self.steps(body, &mut scratch, &mut inner_rows, &mut inner_grouped, &mut |found: Found, _: &mut Meter| {
                    let key: Vec<Option<Value>> = summed.iter().map(|s| found.bindings[*s].clone()).collect();
                    terms.entry(key).or_insert_with(|| eval(term, found.bindings).and_then(|v| v.as_num()));
                    Ok(())
                });
                self.by_fact = by_fact;
                summed_ok?;
                // A term without a value leaves the sum without one: the match is dropped.
                let total: Option<f64> = terms.values().try_fold(0.0, |acc, t| t.map(|t| acc + t));
                if let Some(total) = total.filter(|t| t.is_finite()) {
                    bindings[*slot] = Some(Value::Num(total));
                    let result = self.steps(rest, bindings, rows, grouped, on_match);
                    bindings[*slot] = None;
                    result?;
                }
            }
            Step::Credence { slot, body } => {
                let (p, looked) = self.credence(body, bindings)?;
                let before = self.cited.len();
                self.cited.extend(looked);
                bindings[*slot] = Some(Value::Num(p));
                let result = self.steps(rest, bindings, rows, grouped, on_match);
                bindings[*slot] = None;
                self.cited.truncate(before);
                result?;
            }
        }
        Ok(())
    }

    /// The probability that at least one match of `body` holds (the disjunction
    /// of the matches' formulas, each the conjunction of its facts'), with the
    /// rows the matches looked at; made once per block and outer values.
    fn credence(&mut self, body: &[Step], bindings: &[Option<Value>]) -> Result<(f64, Vec<RowId>), Exhausted> {
        let mut read = vec![];
        slots_of(body, &mut read);
        let key = (body.as_ptr() as usize, read.iter().map(|s| bindings[*s].clone()).collect::<Vec<_>>());
        if let Some(known) = self.credences.get(&key) {
            self.meter.spend(1 + known.1.len() as u64)?;
            return Ok(known.clone());
        }
        let store = self.store;
        let mut conds: Vec<Cond> = vec![];
        let mut looked: Vec<RowId> = vec![];
        let mut scratch = bindings.to_vec();
        let (mut inner_rows, mut inner_grouped) = (vec![], vec![]);
        // The block's own matches cite only what they looked at, not the outer match's citations.
        let outer_cited = std::mem::take(&mut self.cited);
        let by_fact = std::mem::replace(&mut self.by_fact, true);
        let matched = self.steps(body, &mut scratch, &mut inner_rows, &mut inner_grouped, &mut |found: Found, meter: &mut Meter| {
            let mut cond = Cond::always();
            for (&r, &grouped) in found.rows.iter().zip(found.grouped) {
                let fact = store.rows[r].fact;
                cond = cond.and_within(if grouped { store.fact_cond(fact) } else { &store.rows[r].cond }, meter)?;
                if grouped {
                    looked.extend_from_slice(store.rows_of_fact(fact));
                } else {
                    looked.push(r);
                }
            }
            looked.extend_from_slice(found.cited);
            meter.spend(1 + found.rows.len() as u64)?;
            conds.push(cond);
            Ok(())
        });
        self.by_fact = by_fact;
        self.cited = outer_cited;
        matched?;
        let any = Cond::any_within(conds, self.meter)?;
        let p = credence::probability(&any, &|v| store.probabilities.get(v as usize).copied().unwrap_or(0.0), self.meter)?;
        let mut seen = BTreeSet::new();
        looked.retain(|r| seen.insert(*r));
        self.meter.spend(looked.len() as u64)?;
        self.credences.insert(key, (p, looked.clone()));
        Ok((p, looked))
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

    fn exists(&mut self, p: &PatternStep, bindings: &mut [Option<Value>]) -> Result<bool, Exhausted> {
        for &row in self.candidates(p, bindings) {
            self.meter.spend(1)?;
            let mut bound = vec![];
            let ok = self.unify(p, row, bindings, &mut bound);
            for s in bound {
                bindings[s] = None;
            }
            if ok {
                return Ok(true);
            }
        }
        Ok(false)
    }
}
