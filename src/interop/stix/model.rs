//! The STIX 2.1 properties ascribe reads, as typed serde structures.
//!
//! One structure serves every object type: each property is typed (a
//! confidence is a number from 0 to 100, references are texts, lists are lists)
//! and optional, and the importer checks which ones a type requires. Properties
//! ascribe does not read are skipped, so extensions and custom properties
//! (`x_...`) never make a bundle fail.

use serde::Deserialize;
use std::collections::BTreeMap;

/// A bundle's envelope; its objects are parsed one by one (see [`super::parse`]).
#[derive(Deserialize, Debug)]
pub struct Envelope<'a> {
    #[serde(rename = "type")]
    pub ty: String,
    pub id: String,
    #[serde(borrow, default)]
    pub objects: Vec<&'a serde_json::value::RawValue>,
}

/// A STIX domain, relationship, cyber-observable or meta object.
#[derive(Deserialize, Debug, Clone, Default)]
pub struct Object {
    #[serde(rename = "type")]
    pub ty: String,
    pub id: String,
    pub spec_version: Option<String>,
    pub created: Option<String>,
    pub modified: Option<String>,
    pub created_by_ref: Option<String>,
    pub confidence: Option<u64>,
    #[serde(default)]
    pub revoked: bool,
    #[serde(default)]
    pub labels: Vec<String>,
    #[serde(default)]
    pub external_references: Vec<ExternalReference>,

    // Named objects (intrusion-set, threat-actor, campaign, identity, malware, tool, ...).
    pub name: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub first_seen: Option<String>,

    // threat-actor, identity, infrastructure, malware.
    #[serde(default)]
    pub threat_actor_types: Vec<String>,
    pub identity_class: Option<String>,
    #[serde(default)]
    pub sectors: Vec<String>,
    #[serde(default)]
    pub infrastructure_types: Vec<String>,
    /// OpenCTI's Admiralty reliability of an identity (`B - Usually reliable`).
    pub x_opencti_reliability: Option<String>,
    /// The source kind ascribe exported, read back on import.
    pub x_ascribe_source_kind: Option<String>,
    /// The actor kind ascribe exported, read back on import.
    pub x_ascribe_actor_kind: Option<String>,

    // location.
    pub country: Option<String>,

    // report, note, opinion, grouping, observed-data.
    pub published: Option<String>,
    #[serde(default)]
    pub object_refs: Vec<String>,
    #[serde(rename = "abstract")]
    pub summary: Option<String>,
    pub content: Option<String>,
    pub opinion: Option<String>,
    pub explanation: Option<String>,
    pub first_observed: Option<String>,
    /// STIX 2.0's embedded observables of observed-data (deprecated in 2.1).
    pub objects: Option<serde_json::Value>,

    // relationship.
    pub relationship_type: Option<String>,
    pub source_ref: Option<String>,
    pub target_ref: Option<String>,

    // indicator.
    pub pattern: Option<String>,

    // Cyber-observables.
    pub value: Option<String>,
    #[serde(default)]
    pub hashes: BTreeMap<String, String>,
    pub serial_number: Option<String>,
    pub subject: Option<String>,

    // ATT&CK's extensions.
    #[serde(default)]
    pub x_mitre_deprecated: bool,
    #[serde(default)]
    pub x_mitre_is_subtechnique: bool,
}

#[derive(Deserialize, Debug, Clone, Default)]
pub struct ExternalReference {
    pub source_name: String,
    pub description: Option<String>,
    pub url: Option<String>,
    pub external_id: Option<String>,
}

impl Object {
    /// The id an external catalogue gives it (ATT&CK's `T1059.001`, `G0007`).
    pub fn external_id(&self, catalogue: &str) -> Option<&str> {
        self.external_references.iter().find(|r| r.source_name == catalogue).and_then(|r| r.external_id.as_deref())
    }

    /// The ATT&CK id, from any of MITRE's catalogues (enterprise, mobile, ICS).
    pub fn attack_id(&self) -> Option<&str> {
        ["mitre-attack", "mitre-mobile-attack", "mitre-ics-attack"].iter().find_map(|c| self.external_id(c))
    }

    /// A label for people: the name, or the value, or the id.
    pub fn label(&self) -> &str {
        self.name.as_deref().or(self.value.as_deref()).unwrap_or(&self.id)
    }
}
