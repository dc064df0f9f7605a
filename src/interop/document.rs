//! An evidence document as importers build it: the sections of
//! docs/evidence.md, serialised as YAML or JSON and loaded like any evidence
//! file.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

#[derive(Serialize, Debug, Default, Clone)]
pub struct Document {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Source>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<Actor>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub incidents: Vec<Incident>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<Artifact>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<Question>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reports: Vec<Report>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Source {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub reliability: String,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Actor {
    pub id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<String>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Incident {
    pub id: String,
    pub name: String,
    pub date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub victim_country: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<String>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Artifact {
    pub id: String,
    pub kind: String,
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public: Option<bool>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Question {
    pub id: String,
    pub incident: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub hypotheses: Vec<String>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Report {
    pub id: String,
    pub source: String,
    pub date: String,
    pub credibility: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub asserts: Vec<Assertion>,
}

/// One assertion, written `type: { field: value, ... }` with its fields in the
/// order given.
#[derive(Debug, Clone, PartialEq)]
pub struct Assertion {
    pub ty: &'static str,
    pub fields: Vec<(&'static str, String)>,
}

impl Assertion {
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
