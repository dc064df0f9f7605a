//! The fact store: every entity, assertion and finding as a row, with hash
//! indexes on every field value so joins look up instead of scanning.

use super::budget::{Exhausted, Meter};
use super::condition::Cond;
use super::sorted::SortedSet;
use crate::prelude::*;
use std::hash::{BuildHasherDefault, Hasher};

/// A row's index in the [`FactStore`].
pub type RowId = usize;

/// What an argument rests on, for finding shared provenance: the logical
/// facts it matched and the artifacts they are about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Basis {
    /// A logical fact.
    Fact(usize),
    /// An artifact the facts are about.
    Artifact(Arc<str>),
    /// One source's testimony on one matter (a judgment fact, whatever its
    /// form): (the judgment, the source).
    Testimony(usize, usize),
}

/// One fact as one report (or the evidence set) states it.
#[derive(Clone, Debug)]
pub struct Row {
    /// Its type.
    pub ty: TypeId,
    /// Its field values, in schema order.
    pub fields: Vec<Option<Value>>,
    /// When the row holds.
    pub cond: Cond,
    /// The logical fact: rows of one assertion made by several reports share it.
    pub fact: usize,
    /// What it rests on.
    pub basis: SortedSet<Basis>,
    /// Reports whose genuineness the row depends on (for explanations).
    pub reports: SortedSet<usize>,
    /// For findings: the rows they were derived from.
    pub derived_from: SortedSet<RowId>,
}

/// A hash map with [`FxHasher`]: the engine's indexes are keyed by short ids
/// and small integers, for which SipHash's protection against crafted keys
/// costs more than the lookups themselves.
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The multiply-rotate hash of rustc (FxHash). Deterministic, not keyed.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// Every fact row, indexed by type and field value.
#[derive(Default)]
pub struct FactStore {
    /// The rows, by [`RowId`].
    pub rows: Vec<Row>,
    by_type: FastMap<TypeId, Vec<RowId>>,
    index: FastMap<(TypeId, usize, Value), Vec<RowId>>,
    /// The fields [`FactStore::lookup`] is asked about (those the rules'
    /// patterns name), when known: only they are indexed. `None` indexes every
    /// field.
    indexed: Option<FastMap<(TypeId, usize), ()>>,
    facts: FastMap<(TypeId, Vec<Option<Value>>), usize>,
    /// How many logical facts there are (ids are handed out in order).
    fact_count: usize,
    finding_rows: FastMap<(TypeId, Vec<Option<Value>>), RowId>,
    /// The rows of each logical fact, in order.
    fact_rows: Vec<FactRows>,
    /// When each logical fact holds: the disjunction of its rows' formulas
    /// (kept up to date once the store is sealed); `None` for a fact of one
    /// row (most of them), whose formula is that row's, not copied.
    fact_conds: Vec<Option<Cond>>,
    sealed: bool,
    /// Per type, the fields in which rows of one logical fact may differ (who
    /// reported it, how sure they said they were).
    varying: FastMap<TypeId, Vec<usize>>,
    /// The ids of the rules that derived at least one finding (the coverage
    /// `ascribe test` reports).
    pub derived_by: BTreeSet<String>,
    /// The probability of each report variable ([`Var`](super::condition::Var)
    /// is the index), for `credence`; a variable not listed never holds.
    pub probabilities: Vec<f64>,
}

static EMPTY: Vec<RowId> = Vec::new();

/// The rows of one logical fact: most facts have one, kept without a vector.
#[derive(Clone)]
enum FactRows {
    One(RowId),
    Many(Vec<RowId>),
}

impl FactStore {
    /// The logical fact id for a type and field values (excluding provenance).
    pub fn fact_id(&mut self, ty: TypeId, key: Vec<Option<Value>>) -> usize {
        let next = self.fact_count;
        let id = *self.facts.entry((ty, key)).or_insert(next);
        if id == next {
            self.fact_count += 1;
        }
        id
    }

    /// Indexes only these fields (each a type and a field position): those the
    /// rules' patterns name, the only ones [`FactStore::lookup`] is asked
    /// about. Call before the first row is added. A lookup in any other field
    /// finds every row of the type, a superset the matcher narrows.
    pub fn index_only(&mut self, fields: impl IntoIterator<Item = (TypeId, usize)>) {
        self.indexed = Some(fields.into_iter().map(|f| (f, ())).collect());
    }

    /// Forgets the keys of facts and findings once every finding is derived:
    /// the store is only read from then on, and on a large evidence set the
    /// keys (a copy of every fact's fields) are a good part of its memory.
    /// Adding facts or findings afterwards would give new ids to known facts.
    pub(crate) fn finish_deriving(&mut self) {
        self.facts = FastMap::default();
        self.finding_rows = FastMap::default();
    }

    /// Makes room for `rows` more rows (and as many logical facts).
    pub fn reserve(&mut self, rows: usize) {
        self.rows.reserve_exact(rows);
        self.fact_rows.reserve_exact(rows);
    }

    /// Declares fields in which rows of one logical fact of type `ty` may differ.
    pub fn set_varying(&mut self, ty: TypeId, fields: Vec<usize>) {
        self.varying.insert(ty, fields);
    }

    /// Whether rows of one logical fact of type `ty` may differ in `field`.
    pub fn varies(&self, ty: TypeId, field: usize) -> bool {
        self.varying.get(&ty).is_some_and(|f| f.contains(&field))
    }

    /// The rows of a logical fact, in order.
    pub fn rows_of_fact(&self, fact: usize) -> &[RowId] {
        match self.fact_rows.get(fact) {
            Some(FactRows::One(row)) => std::slice::from_ref(row),
            Some(FactRows::Many(rows)) => rows,
            None => &EMPTY,
        }
    }

    /// When a logical fact holds: some row of it holds.
    pub fn fact_cond(&self, fact: usize) -> &Cond {
        match &self.fact_conds[fact] {
            Some(cond) => cond,
            None => &self.rows[self.rows_of_fact(fact)[0]].cond,
        }
    }

    /// Computes every logical fact's formula in one pass (one minimisation per
    /// fact, so a fact asserted by N reports costs about N log N).
    pub fn seal(&mut self) {
        self.fact_conds = (0..self.fact_rows.len())
            .map(|fact| match self.rows_of_fact(fact) {
                [] => Some(Cond::never()),
                [_] => None,
                many => Some(Cond::any(many.iter().map(|&r| self.rows[r].cond.clone()).collect())),
            })
            .collect();
        self.sealed = true;
    }

    /// Adds a row; returns its id.
    pub fn push(&mut self, row: Row) -> RowId {
        let id = self.rows.len();
        if self.fact_rows.len() <= row.fact {
            self.fact_rows.resize(row.fact + 1, FactRows::Many(vec![]));
        }
        if self.sealed {
            if self.fact_conds.len() <= row.fact {
                self.fact_conds.resize(row.fact + 1, Some(Cond::never()));
            }
            // The fact's formula so far, or this row's when it is its first.
            self.fact_conds[row.fact] =
                if self.rows_of_fact(row.fact).is_empty() { None } else { Some(self.fact_cond(row.fact).or(&row.cond)) };
        }
        let rows = &mut self.fact_rows[row.fact];
        *rows = match std::mem::replace(rows, FactRows::Many(vec![])) {
            FactRows::Many(none) if none.is_empty() => FactRows::One(id),
            FactRows::One(first) => FactRows::Many(vec![first, id]),
            FactRows::Many(mut many) => {
                many.push(id);
                FactRows::Many(many)
            }
        };
        for (field, value) in row.fields.iter().enumerate() {
            if let Some(v) = value {
                if self.indexed.as_ref().is_none_or(|fields| fields.contains_key(&(row.ty, field))) {
                    self.index.entry((row.ty, field, v.clone())).or_default().push(id);
                }
            }
        }
        self.by_type.entry(row.ty).or_default().push(id);
        self.rows.push(row);
        id
    }

    /// The rows of a type.
    pub fn of_type(&self, ty: TypeId) -> &[RowId] {
        self.by_type.get(&ty).map(|v| v.as_slice()).unwrap_or(&EMPTY)
    }

    /// The rows of a type with this value in a field (every row of the type
    /// when the field is not indexed, see [`FactStore::index_only`]).
    pub fn lookup(&self, ty: TypeId, field: usize, value: &Value) -> &[RowId] {
        if self.indexed.as_ref().is_some_and(|fields| !fields.contains_key(&(ty, field))) {
            return self.of_type(ty);
        }
        // The key is built by cloning the value: cheap for Arc-backed values.
        self.index.get(&(ty, field, value.clone())).map(|v| v.as_slice()).unwrap_or(&EMPTY)
    }

    /// Adds or widens a finding. Returns true when anything changed. A
    /// finding's own basis is its fact; what it rests on (basis and reports)
    /// is found through `derived_from` ([`FactStore::basis_of`],
    /// [`FactStore::settle_reports`]). Refused when its formula would keep
    /// more than `meter.terms` terms.
    pub fn derive(
        &mut self,
        ty: TypeId,
        fields: Vec<Option<Value>>,
        cond: Cond,
        from: SortedSet<RowId>,
        meter: &mut Meter,
    ) -> Result<bool, Exhausted> {
        if cond.terms().len() > meter.terms {
            return Err(Exhausted);
        }
        let reports = SortedSet::new();
        if let Some(&id) = self.finding_rows.get(&(ty, fields.clone())) {
            let row = &mut self.rows[id];
            let widened = row.cond.or_within(&cond, meter)?;
            if widened.terms().len() > meter.terms {
                return Err(Exhausted);
            }
            let mut changed = widened != row.cond;
            row.cond = widened;
            let before = row.derived_from.len();
            meter.spend(from.len() as u64)?;
            row.derived_from.extend(from);
            changed |= before != row.derived_from.len();
            if changed {
                let fact = row.fact;
                self.fact_conds[fact] = match self.rows_of_fact(fact) {
                    [_] => None,
                    many => Some(Cond::any_within(many.iter().map(|&r| self.rows[r].cond.clone()).collect(), meter)?),
                };
            }
            return Ok(changed);
        }
        let fact = self.fact_id(ty, fields.clone());
        let basis = SortedSet::from([Basis::Fact(fact)]);
        let id = self.push(Row { ty, fields: fields.clone(), cond, fact, basis, reports, derived_from: from });
        self.finding_rows.insert((ty, fields), id);
        Ok(true)
    }

    /// Gives every finding the reports of every row it was derived from,
    /// transitively: computed once the findings are settled, per strongly
    /// connected set of findings (findings derived from each other, such as a
    /// symmetric, transitive link, share one set).
    pub fn settle_reports(&mut self, meter: &mut Meter) -> Result<(), Exhausted> {
        use petgraph::graph::{DiGraph, NodeIndex};
        let derived: Vec<RowId> = (0..self.rows.len()).filter(|&r| !self.rows[r].derived_from.is_empty()).collect();
        if derived.is_empty() {
            return Ok(());
        }
        let mut node_of: FastMap<RowId, NodeIndex> = FastMap::default();
        let mut graph: DiGraph<RowId, ()> = DiGraph::new();
        for &r in &derived {
            node_of.insert(r, graph.add_node(r));
        }
        for &r in &derived {
            meter.spend(self.rows[r].derived_from.len() as u64)?;
            for from in &self.rows[r].derived_from {
                if let Some(&to) = node_of.get(from) {
                    graph.add_edge(node_of[&r], to, ());
                }
            }
        }
        // Strongly connected sets, those derived from others first.
        let mut set_of: Vec<usize> = vec![0; graph.node_count()];
        let mut sets: Vec<BTreeSet<usize>> = vec![];
        for scc in petgraph::algo::tarjan_scc(&graph) {
            let k = sets.len();
            for n in &scc {
                set_of[n.index()] = k;
            }
            let mut reports: BTreeSet<usize> = BTreeSet::new();
            for n in &scc {
                let row = &self.rows[graph[*n]];
                for from in &row.derived_from {
                    match node_of.get(from) {
                        Some(to) if set_of[to.index()] == k => {}
                        Some(to) => {
                            let theirs = &sets[set_of[to.index()]];
                            meter.spend(theirs.len() as u64)?;
                            reports.extend(theirs.iter().copied());
                        }
                        None => {
                            meter.spend(self.rows[*from].reports.len() as u64)?;
                            reports.extend(self.rows[*from].reports.iter().copied());
                        }
                    }
                }
            }
            sets.push(reports);
        }
        for (n, &r) in derived.iter().enumerate() {
            let reports = &sets[set_of[n]];
            meter.spend(reports.len() as u64)?;
            self.rows[r].reports = reports.iter().copied().collect();
        }
        Ok(())
    }

    /// What rows rest on: their own basis and, for findings, the basis of every
    /// row they were derived from, transitively.
    pub fn basis_of(&self, rows: &[RowId], meter: &mut Meter) -> Result<SortedSet<Basis>, Exhausted> {
        let mut seen: FastMap<RowId, ()> = FastMap::default();
        let mut stack: Vec<RowId> = rows.to_vec();
        let mut basis: Vec<Basis> = vec![];
        while let Some(r) = stack.pop() {
            if seen.insert(r, ()).is_some() {
                continue;
            }
            let row = &self.rows[r];
            meter.spend(1 + (row.basis.len() + row.derived_from.len()) as u64)?;
            basis.extend(row.basis.iter().cloned());
            stack.extend(row.derived_from.iter().copied());
        }
        Ok(basis.into_iter().collect())
    }
}
