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
    /// `type`: `bundle` for a bundle.
    #[serde(rename = "type")]
    pub ty: String,
    /// `id`: the bundle's id (`bundle--<UUID>`).
    pub id: String,
    /// `objects`: the bundle's objects, each kept as its raw JSON text.
    #[serde(borrow, default)]
    pub objects: Vec<&'a serde_json::value::RawValue>,
}

/// A STIX domain, relationship, cyber-observable or meta object.
#[derive(Deserialize, Debug, Clone, Default)]
pub struct Object {
    /// `type`: the object type (`intrusion-set`, `relationship`, `ipv4-addr`, ...).
    #[serde(rename = "type")]
    pub ty: String,
    /// `id`: the object's identifier, `<type>--<UUID>`.
    pub id: String,
    /// `spec_version`: the STIX version the object follows (`2.1`; absent in STIX 2.0).
    pub spec_version: Option<String>,
    /// `created`: when the object was created (RFC 3339 timestamp).
    pub created: Option<String>,
    /// `modified`: when this version of the object was made (RFC 3339 timestamp); the
    /// newest version wins.
    pub modified: Option<String>,
    /// `created_by_ref`: the id of the `identity` that created the object.
    pub created_by_ref: Option<String>,
    /// `confidence`: the creator's confidence in the object, 0 to 100.
    pub confidence: Option<u64>,
    /// `revoked`: whether the creator has withdrawn the object (it is no longer valid).
    #[serde(default)]
    pub revoked: bool,
    /// `labels`: terms describing the object; ascribe marks its own objects with them.
    #[serde(default)]
    pub labels: Vec<String>,
    /// `external_references`: references to information outside STIX (ATT&CK ids,
    /// citations, URLs).
    #[serde(default)]
    pub external_references: Vec<ExternalReference>,

    // Named objects (intrusion-set, threat-actor, campaign, identity, malware, tool, ...).
    /// `name`: the name the object is known by.
    pub name: Option<String>,
    /// `description`: more detail about the object, in words.
    pub description: Option<String>,
    /// `aliases`: other names the object is known by.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// `first_seen`: when the campaign, intrusion set, threat actor or infrastructure
    /// was first seen (RFC 3339 timestamp).
    pub first_seen: Option<String>,

    // threat-actor, identity, infrastructure, malware.
    /// `threat_actor_types`: the kinds of a threat actor (`nation-state`,
    /// `crime-syndicate`, `activist`, ...).
    #[serde(default)]
    pub threat_actor_types: Vec<String>,
    /// `identity_class`: the kind of entity an identity describes (`individual`,
    /// `organization`, `system`, ...).
    pub identity_class: Option<String>,
    /// `sectors`: the industry sectors an identity belongs to (`technology`,
    /// `government-national`, ...).
    #[serde(default)]
    pub sectors: Vec<String>,
    /// `infrastructure_types`: what an infrastructure is used for
    /// (`command-and-control`, `exfiltration`, ...).
    #[serde(default)]
    pub infrastructure_types: Vec<String>,
    /// OpenCTI's Admiralty reliability of an identity (`B - Usually reliable`).
    pub x_opencti_reliability: Option<String>,
    /// The source kind ascribe exported, read back on import.
    pub x_ascribe_source_kind: Option<String>,
    /// The actor kind ascribe exported, read back on import.
    pub x_ascribe_actor_kind: Option<String>,
    /// How an attribution was made public (`remark`, `indictment`, ...), on an
    /// `attributed-to` relationship ascribe exported.
    pub x_ascribe_form: Option<String>,
    /// The source's hedge in its own words (`likely`, `possible`, `high`, ...), of
    /// which `confidence` is the STIX value, on a relationship ascribe exported.
    pub x_ascribe_confidence: Option<String>,
    /// The role an observation gives its artifact (`c2`, `payload`, ...), on a
    /// relationship ascribe exported.
    pub x_ascribe_role: Option<String>,

    // location.
    /// `country`: a location's country, ISO 3166-1 alpha-2 code.
    pub country: Option<String>,

    // report, note, opinion, grouping, observed-data.
    /// `published`: when a report was officially published (RFC 3339 timestamp).
    pub published: Option<String>,
    /// `object_refs`: the objects a report, note, opinion, grouping or observed-data
    /// refers to.
    #[serde(default)]
    pub object_refs: Vec<String>,
    /// `abstract`: a note's brief summary.
    #[serde(rename = "abstract")]
    pub summary: Option<String>,
    /// `content`: a note's main content.
    pub content: Option<String>,
    /// `opinion`: how far an opinion agrees with its objects (`strongly-disagree` to
    /// `strongly-agree`).
    pub opinion: Option<String>,
    /// `explanation`: an opinion's reasons, in words.
    pub explanation: Option<String>,
    /// `first_observed`: the start of the time an observed-data saw its observables
    /// (RFC 3339 timestamp).
    pub first_observed: Option<String>,
    /// STIX 2.0's embedded observables of observed-data (deprecated in 2.1).
    pub objects: Option<serde_json::Value>,

    // relationship.
    /// `relationship_type`: a relationship's verb (`uses`, `attributed-to`, `targets`,
    /// ...).
    pub relationship_type: Option<String>,
    /// `source_ref`: the id of a relationship's source object.
    pub source_ref: Option<String>,
    /// `target_ref`: the id of a relationship's target object.
    pub target_ref: Option<String>,

    // indicator.
    /// `pattern`: an indicator's detection pattern, as written.
    pub pattern: Option<String>,

    // Cyber-observables.
    /// `value`: an observable's value (the address, domain name, URL or email address).
    pub value: Option<String>,
    /// `hashes`: a file's hashes, by algorithm (`SHA-256` → hex digest).
    #[serde(default)]
    pub hashes: BTreeMap<String, String>,
    /// `serial_number`: an X.509 certificate's serial number.
    pub serial_number: Option<String>,
    /// `subject`: an X.509 certificate's subject name.
    pub subject: Option<String>,

    // ATT&CK's extensions.
    /// ATT&CK's `x_mitre_deprecated`: the object is no longer maintained (`import
    /// attack` skips it).
    #[serde(default)]
    pub x_mitre_deprecated: bool,
    /// ATT&CK's `x_mitre_is_subtechnique`: the attack-pattern is a sub-technique.
    #[serde(default)]
    pub x_mitre_is_subtechnique: bool,
}

/// An entry of `external_references`: a pointer to information outside STIX.
#[derive(Deserialize, Debug, Clone, Default)]
pub struct ExternalReference {
    /// `source_name`: the source or catalogue (`mitre-attack`, a publisher, ...).
    pub source_name: String,
    /// `description`: the reference, in words (ATT&CK's citation text).
    pub description: Option<String>,
    /// `url`: where the information is.
    pub url: Option<String>,
    /// `external_id`: the id the source gives the object (`T1059.001`, `G0007`, a CVE
    /// id).
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
