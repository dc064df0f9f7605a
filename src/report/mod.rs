//! Stage 4: the weighed assessment and its renderings.

pub mod dot;
pub mod escape;
pub mod json;
pub mod model;
pub mod problog;
pub mod text;
pub mod trim;

pub use model::*;
