//! Names used across the crate, imported with `use crate::prelude::*`.

pub use crate::date::Date;
pub use crate::diagnostics::{Diagnostic, Diagnostics, SourceId, Sources, Span};
pub use crate::schema::{FieldType, Schema, TypeId, TypeKind};
pub use crate::value::Value;
pub use std::collections::{BTreeMap, BTreeSet, HashMap};
pub use std::sync::Arc;
