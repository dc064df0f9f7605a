//! Stage 2: evidence text (YAML or JSON) → document tree → validated [`EvidenceSet`].
//!
//! Only [`yaml`] knows which YAML library is used; everything else sees the
//! crate's own [`tree::Tree`].

pub mod load;
pub mod locate;
pub mod model;
pub mod tree;
pub mod yaml;

pub use load::load;
pub use model::*;
