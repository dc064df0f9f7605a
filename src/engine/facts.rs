//! The fact store: every entity, assertion and finding as a row, with hash
//! indexes on every field value so joins look up instead of scanning.

use super::condition::Cond;
use crate::prelude::*;
use std::hash::{BuildHasherDefault, Hasher};

pub type RowId = usize;

/// What an argument rests on, for finding shared provenance: the logical
/// facts it matched and the artifacts they are about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Basis {
    Fact(usize),
    Artifact(Rc<str>),
    /// One source's testimony on one matter (a judgment fact, whatever its
    /// form): (the judgment, the source).
    Testimony(usize, usize),
}

#[derive(Clone, Debug)]
pub struct Row {
    pub ty: TypeId,
    pub fields: Vec<Option<Value>>,
    /// When the row holds.
    pub cond: Cond,
    /// The logical fact: rows of one assertion made by several reports share it.
    pub fact: usize,
    pub basis: BTreeSet<Basis>,
    /// Reports whose genuineness the row depends on (for explanations).
    pub reports: BTreeSet<usize>,
    /// For findings: the rows they were derived from.
    pub derived_from: BTreeSet<RowId>,
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

#[derive(Default)]
pub struct FactStore {
    pub rows: Vec<Row>,
    by_type: FastMap<TypeId, Vec<RowId>>,
    index: FastMap<(TypeId, usize, Value), Vec<RowId>>,
    facts: FastMap<(TypeId, Vec<Option<Value>>), usize>,
    finding_rows: FastMap<(TypeId, Vec<Option<Value>>), RowId>,
}

static EMPTY: Vec<RowId> = Vec::new();

impl FactStore {
    /// The logical fact id for a type and field values (excluding provenance).
    pub fn fact_id(&mut self, ty: TypeId, key: Vec<Option<Value>>) -> usize {
        let next = self.facts.len();
        *self.facts.entry((ty, key)).or_insert(next)
    }

    pub fn push(&mut self, row: Row) -> RowId {
        let id = self.rows.len();
        for (field, value) in row.fields.iter().enumerate() {
            if let Some(v) = value {
                self.index.entry((row.ty, field, v.clone())).or_default().push(id);
            }
        }
        self.by_type.entry(row.ty).or_default().push(id);
        self.rows.push(row);
        id
    }

    pub fn of_type(&self, ty: TypeId) -> &[RowId] {
        self.by_type.get(&ty).map(|v| v.as_slice()).unwrap_or(&EMPTY)
    }

    pub fn lookup(&self, ty: TypeId, field: usize, value: &Value) -> &[RowId] {
        // The key is built by cloning the value: cheap for Rc-backed values.
        self.index.get(&(ty, field, value.clone())).map(|v| v.as_slice()).unwrap_or(&EMPTY)
    }

    /// Adds or widens a finding. Returns true when anything changed.
    pub fn derive(
        &mut self,
        ty: TypeId,
        fields: Vec<Option<Value>>,
        cond: Cond,
        basis: BTreeSet<Basis>,
        reports: BTreeSet<usize>,
        from: BTreeSet<RowId>,
    ) -> bool {
        if let Some(&id) = self.finding_rows.get(&(ty, fields.clone())) {
            let row = &mut self.rows[id];
            let widened = row.cond.or(&cond);
            let mut changed = widened != row.cond;
            row.cond = widened;
            let before = (row.basis.len(), row.reports.len(), row.derived_from.len());
            row.basis.extend(basis);
            row.reports.extend(reports);
            row.derived_from.extend(from);
            changed |= before != (row.basis.len(), row.reports.len(), row.derived_from.len());
            return changed;
        }
        let fact = self.fact_id(ty, fields.clone());
        let mut basis = basis;
        basis.insert(Basis::Fact(fact));
        let id = self.push(Row { ty, fields: fields.clone(), cond, fact, basis, reports, derived_from: from });
        self.finding_rows.insert((ty, fields), id);
        true
    }
}
