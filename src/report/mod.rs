//! Stage 4: renderings of the weighed assessment (text, JSON, DOT, ProbLog).
//! The [`Assessment`] itself is built by the engine ([`crate::engine::assessment`]);
//! it is re-exported here so `report::Assessment` keeps working.

pub mod dot;
pub mod escape;
pub mod html;
pub mod json;
pub mod layout;
pub mod markdown;
pub mod problog;
pub mod text;
pub mod trim;
pub mod views;
pub mod waterfall;

/// The assessment's types, where they lived before they moved into the engine.
pub mod model {
    pub use crate::engine::assessment::*;
}

pub use model::*;
