//! Stage 2: evidence text (YAML or JSON) → document tree → validated [`EvidenceSet`].
//!
//! Only `yaml` knows which YAML library is used; everything else sees the
//! crate's own document tree (`tree`).

pub mod load;
pub(crate) mod locate;
pub mod model;
pub(crate) mod tree;
pub(crate) mod yaml;

pub use load::load;
pub use model::*;
