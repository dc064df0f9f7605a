//! The fact store: every entity, assertion and finding as a row, with hash
//! indexes on every field value so joins look up instead of scanning.

use super::condition::Cond;
use crate::prelude::*;

pub type RowId = usize;

/// What an argument rests on, for finding shared provenance: the logical
/// facts it matched and the artifacts they are about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Basis {
    Fact(usize),
    Artifact(Rc<str>),
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

#[derive(Default)]
pub struct FactStore {
    pub rows: Vec<Row>,
    by_type: HashMap<TypeId, Vec<RowId>>,
    index: HashMap<(TypeId, usize, Value), Vec<RowId>>,
    facts: HashMap<(TypeId, Vec<Option<Value>>), usize>,
    finding_rows: HashMap<(TypeId, Vec<Option<Value>>), RowId>,
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
