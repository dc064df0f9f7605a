//! Stage 4: the weighed assessment and its renderings.

pub mod dot;
pub mod escape;
pub mod html;
pub mod json;
pub mod layout;
pub mod markdown;
pub mod model;
pub mod problog;
pub mod text;
pub mod views;
pub mod waterfall;

pub use model::*;
