//! Speaking other tools' formats: STIX 2.1 bundles in and out, and MITRE
//! ATT&CK's published bundle as dated, sourced actor profiles.
//!
//! Importers produce an evidence [`document::Document`], which is written as
//! YAML or JSON, or handed to the evidence loader like any evidence file, so
//! imported evidence is validated exactly as written evidence is.

pub mod attack;
pub mod document;
pub mod stix;
