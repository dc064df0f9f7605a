//! An evidence document as importers build it: the sections of
//! docs/evidence.md, serialised as YAML or JSON and loaded like any evidence
//! file.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// An evidence file: each section of docs/evidence.md, left out when empty.
#[derive(Serialize, Debug, Default, Clone)]
pub struct Document {
    /// `case`: a title for the evidence set (not evaluated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    /// `description`: free text about the evidence set (not evaluated); importers list
    /// what they left out here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `sources`: the graded sources that make reports.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Source>,
    /// `actors`: the candidate responsible parties.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<Actor>,
    /// `incidents`: the attacks to be attributed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub incidents: Vec<Incident>,
    /// `artifacts`: things observed (addresses, domains, malware, code, tools,
    /// techniques, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<Artifact>,
    /// `questions`: who is responsible for an incident, among which hypotheses.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<Question>,
    /// `reports`: dated statements by sources, with their assertions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reports: Vec<Report>,
}

/// An entry of `sources`: who reports, with an Admiralty reliability grade.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Source {
    /// Unique id, which reports name as their `source`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Source kind: government, investigation, vendor, media, expert, persona, accused
    /// or other (or `x-...`).
    pub kind: String,
    /// Admiralty source reliability, `A` to `F`.
    pub reliability: String,
}

/// An entry of `actors`: a candidate, with what is known about it for certain.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Actor {
    /// Unique id, which hypotheses and assertions name.
    pub id: String,
    /// Display name.
    pub name: String,
    /// ISO 3166 alpha-2 code of its home country.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Actor kind: state, service, unit, group, criminal, hacktivist, insider or other
    /// (or `x-...`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Ids of artifacts it is known to use (certain, unlike a reported `uses`
    /// assertion).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<String>,
}

/// An entry of `incidents`: an attack to be attributed.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Incident {
    /// Unique id, which questions and assertions name.
    pub id: String,
    /// Display name.
    pub name: String,
    /// When it happened (`YYYY-MM-DD`).
    pub date: String,
    /// ISO 3166 alpha-2 code of the victims' country.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub victim_country: Option<String>,
    /// Sectors hit.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<String>,
}

/// An entry of `artifacts`: anything observed.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Artifact {
    /// Unique id, which assertions and actors' `tools` name.
    pub id: String,
    /// Artifact kind: ip, domain, url, email, certificate, hash, malware, code, tool,
    /// technique, string, header or account (or `x-...`).
    pub kind: String,
    /// The address, hash, name or text itself.
    pub value: String,
    /// `true` when publicly or commercially available, so its use says little about who
    /// used it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public: Option<bool>,
}

/// An entry of `questions`: who is responsible for an incident, among which actors.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Question {
    /// Unique id.
    pub id: String,
    /// Id of the incident asked about.
    pub incident: String,
    /// The question as the report should print it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Ids of the actors named as hypotheses (the catch-all `other` is added when
    /// loaded).
    pub hypotheses: Vec<String>,
}

/// An entry of `reports`: a dated statement by one source, with a credibility grade and
/// its assertions.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Report {
    /// Unique id.
    pub id: String,
    /// Id of the source that made it.
    pub source: String,
    /// When it was made (`YYYY-MM-DD`).
    pub date: String,
    /// Admiralty information credibility, 1 to 6.
    pub credibility: u8,
    /// A short description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What it states, one assertion each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub asserts: Vec<Assertion>,
    /// Ids of the reports it withdraws (`retracts`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub retracts: Vec<String>,
    /// Ids of the reports it repeats (`based_on`): an echo, not independent evidence.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub based_on: Vec<String>,
}

/// One assertion, written `type: { field: value, ... }` with its fields in the
/// order given.
#[derive(Debug, Clone, PartialEq)]
pub struct Assertion {
    /// The assertion type (`attribution`, `observed`, `uses`, ...).
    pub ty: &'static str,
    /// Its fields and values, in the order written.
    pub fields: Vec<(&'static str, String)>,
}

impl Assertion {
    /// An assertion of type `ty` with these fields, in this order.
    pub fn new(ty: &'static str, fields: &[(&'static str, &str)]) -> Assertion {
        Assertion { ty, fields: fields.iter().map(|(k, v)| (*k, v.to_string())).collect() }
    }

    /// The same assertion with the source's hedge (`confidence:`), if any.
    pub fn hedged(mut self, confidence: Option<&str>) -> Assertion {
        if let Some(word) = confidence {
            self.fields.push(("confidence", word.to_string()));
        }
        self
    }
}

impl Serialize for Assertion {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Fields<'a>(&'a [(&'static str, String)]);
        impl Serialize for Fields<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = s.serialize_map(Some(self.0.len()))?;
                for (k, v) in self.0 {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry(self.ty, &Fields(&self.fields))?;
        map.end()
    }
}

/// Lowercase words joined by `-`, for ids made from names (`APT Example` →
/// `apt-example`); at most 64 bytes, never empty.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 64 {
            break;
        }
    }
    let out = out.trim_matches(|c| c == '-' || c == '.').to_string();
    if out.is_empty() {
        "x".to_string()
    } else {
        out
    }
}

/// Hands out unique ids: a taken id gets `-2`, `-3`, ...
#[derive(Default, Debug)]
pub struct Ids {
    taken: std::collections::BTreeSet<String>,
}

impl Ids {
    /// `wanted` if it is free, else the first free `wanted-2`, `wanted-3`, ...; the id
    /// returned is then taken.
    pub fn unique(&mut self, wanted: &str) -> String {
        let mut id = wanted.to_string();
        let mut n = 2;
        while self.taken.contains(&id) {
            id = format!("{wanted}-{n}");
            n += 1;
        }
        self.taken.insert(id.clone());
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_short_and_plain() {
        assert_eq!(slug("APT Example"), "apt-example");
        assert_eq!(slug("  ??  "), "x");
        assert_eq!(slug("T1059.001"), "t1059.001");
        assert_eq!(slug("Operation \u{202e}Dream"), "operation-dream");
        assert!(slug(&"a".repeat(500)).len() <= 64);
    }

    #[test]
    fn ids_are_unique() {
        let mut ids = Ids::default();
        assert_eq!(ids.unique("a"), "a");
        assert_eq!(ids.unique("a"), "a-2");
        assert_eq!(ids.unique("a"), "a-3");
    }

    #[test]
    fn assertions_keep_their_field_order() {
        let a = Assertion::new("observed", &[("artifact", "ip-1"), ("incident", "outage")]).hedged(Some("low"));
        assert_eq!(serde_json::to_string(&a).unwrap(), r#"{"observed":{"artifact":"ip-1","incident":"outage","confidence":"low"}}"#);
    }
}
