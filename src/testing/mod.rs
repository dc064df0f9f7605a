//! `ascribe test`: an analyst's own expectations of their rules and cases,
//! written in YAML test files and checked against real evaluations.

pub mod case;
pub mod verdict;

pub use case::{read, TestCase};
pub use verdict::{fired_rules, judge};
