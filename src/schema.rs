//! The evidence model: which entity and assertion types exist and their fields.
//!
//! The loader validates evidence against it, the checker validates rule
//! patterns against it, and docs/evidence.md documents it. `finding` declarations
//! in rule files extend a copy of it.

use std::collections::HashMap;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub u32);

/// How facts of a type come to exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeKind {
    /// Declared in the evidence set's top-level sections; certain.
    Entity,
    /// Asserted by reports; as true as the reports are genuine.
    Assertion,
    /// Derived by rules; as true as the matches that derived it.
    Finding,
}

/// The type of a field's values.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FieldType {
    /// The id of an entity of the named type (`actor`, `incident`, ...).
    Ref(String),
    Text,
    Number,
    Date,
    Bool,
    /// A list of texts or ids.
    List,
}

impl FieldType {
    pub fn parse(name: &str) -> Option<FieldType> {
        Some(match name {
            "text" | "country" => FieldType::Text,
            "number" => FieldType::Number,
            "date" => FieldType::Date,
            "bool" => FieldType::Bool,
            "list" => FieldType::List,
            "actor" | "incident" | "artifact" | "source" | "report" | "question" => FieldType::Ref(name.to_string()),
            _ => return None,
        })
    }

    pub const NAMES: [&'static str; 12] =
        ["text", "country", "number", "date", "bool", "list", "actor", "incident", "artifact", "source", "report", "question"];

    /// Whether values of the two types can be compared or unified.
    pub fn compatible(&self, other: &FieldType) -> bool {
        match (self, other) {
            (FieldType::Ref(a), FieldType::Ref(b)) => a == b,
            (FieldType::Ref(_), FieldType::Text) | (FieldType::Text, FieldType::Ref(_)) => true,
            (a, b) => a == b,
        }
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldType::Ref(kind) => write!(f, "{kind} id"),
            FieldType::Text => f.write_str("text"),
            FieldType::Number => f.write_str("number"),
            FieldType::Date => f.write_str("date"),
            FieldType::Bool => f.write_str("bool"),
            FieldType::List => f.write_str("list"),
        }
    }
}

#[derive(Clone, Debug)]
pub struct FieldSpec {
    pub name: String,
    pub ty: FieldType,
    pub required: bool,
    pub doc: &'static str,
    /// The only values a text field may take (a closed vocabulary), if any.
    pub vocabulary: Option<&'static [&'static str]>,
    /// The value a field takes when it is not written.
    pub default: Option<&'static str>,
    /// Whether values outside the vocabulary may be written with the
    /// [`CUSTOM_PREFIX`] (for rules of one's own to match).
    pub custom: bool,
    /// The range a number field must lie in, if any (checked when evidence loads).
    pub range: Option<Range>,
}

/// The values a number field may take: `min ≤ value ≤ max`, and at most the
/// value of another field of the same fact (e.g. `reused ≤ total`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Range {
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub at_most: Option<&'static str>,
}

impl Range {
    /// "between 0 and 1", "0 or more", "at most 14".
    pub fn describe(&self) -> String {
        let n = crate::value::format_number;
        match (self.min, self.max) {
            (Some(lo), Some(hi)) => format!("between {} and {}", n(lo), n(hi)),
            (Some(lo), None) => format!("{} or more", n(lo)),
            (None, Some(hi)) => format!("at most {}", n(hi)),
            (None, None) => "any number".into(),
        }
    }
}

/// The prefix of a value of one's own in a closed vocabulary (`x-ransom-letter`).
pub const CUSTOM_PREFIX: &str = "x-";

impl FieldSpec {
    /// Why `word` may not be written in this field, if it may not.
    pub fn refuses(&self, word: &str) -> Option<String> {
        let words = self.vocabulary?;
        if words.contains(&word) || (self.custom && word.starts_with(CUSTOM_PREFIX) && word.len() > CUSTOM_PREFIX.len()) {
            return None;
        }
        let escape = if self.custom { format!(" (or a value of your own written `{CUSTOM_PREFIX}...`)") } else { String::new() };
        Some(match crate::suggest::closest(word, words.iter().copied()) {
            Some(near) => format!("did you mean `{near}`? `{}` is one of: {}{escape}", self.name, words.join(", ")),
            None => format!("`{}` is one of: {}{escape}", self.name, words.join(", ")),
        })
    }
}

#[derive(Clone, Debug)]
pub struct TypeSpec {
    pub name: String,
    pub kind: TypeKind,
    pub fields: Vec<FieldSpec>,
    pub doc: &'static str,
    /// A judgment of its source rather than an observation: the same
    /// judgment by independent sources is independent evidence
    /// (docs/semantics.md, section 4).
    pub testimony: bool,
}

impl TypeSpec {
    pub fn field(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }
    pub fn field_names(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|f| f.name.as_str())
    }
}

/// The types of the evidence model, with lookup by name.
#[derive(Clone, Debug)]
pub struct Schema {
    types: Vec<TypeSpec>,
    by_name: HashMap<String, TypeId>,
}

/// The field every assertion has: the report that asserts it.
pub const REPORT_FIELD: &str = "report";

/// The field every assertion may have: how sure its source says it is.
pub const CONFIDENCE_FIELD: &str = "confidence";

/// The words a source may use to say how sure it is (ICD 203 terms of
/// likelihood, or a stated confidence), with the probability each stands for
/// (docs/semantics.md, section 4).
pub const STATED_CONFIDENCE: [(&str, f64); 8] = [
    ("almost certain", 0.975),
    ("very likely", 0.875),
    ("high", 0.85),
    ("likely", 0.675),
    ("moderate", 0.5),
    ("roughly even chance", 0.5),
    ("possible", 0.35),
    ("low", 0.15),
];

const CONFIDENCE_WORDS: [&str; 8] = [
    STATED_CONFIDENCE[0].0,
    STATED_CONFIDENCE[1].0,
    STATED_CONFIDENCE[2].0,
    STATED_CONFIDENCE[3].0,
    STATED_CONFIDENCE[4].0,
    STATED_CONFIDENCE[5].0,
    STATED_CONFIDENCE[6].0,
    STATED_CONFIDENCE[7].0,
];

/// The probability a stated confidence stands for.
pub fn stated_confidence(word: &str) -> Option<f64> {
    STATED_CONFIDENCE.iter().find(|(w, _)| *w == word).map(|(_, p)| *p)
}

/// Who reports.
pub const SOURCE_KINDS: [&str; 8] = ["government", "investigation", "vendor", "media", "expert", "persona", "accused", "other"];

/// What a candidate is.
pub const ACTOR_KINDS: [&str; 8] = ["state", "service", "unit", "group", "criminal", "hacktivist", "insider", "other"];

/// What was observed.
pub const ARTIFACT_KINDS: [&str; 13] =
    ["ip", "domain", "url", "email", "certificate", "hash", "malware", "code", "tool", "technique", "string", "header", "account"];

/// The part an artifact played in an incident.
pub const OBSERVATION_ROLES: [&str; 13] = [
    "access",
    "send_receive",
    "c2",
    "distribution",
    "update_server",
    "defacement",
    "signature",
    "exfiltration",
    "staging",
    "phishing",
    "scanning",
    "payload",
    "ransom_note",
];

/// What the attackers asked for (a ransom note, a political demand), or `none`.
pub const DEMAND_KINDS: [&str; 4] = ["ransom", "extortion", "political", "none"];

/// How an incident's infrastructure relates to an actor's known infrastructure.
pub const INFRASTRUCTURE_RELATIONS: [&str; 2] = ["overlap", "contact"];

/// How a judgment was made public, from a passing remark to a formal act.
pub const ATTRIBUTION_FORMS: [&str; 6] = ["remark", "statement", "indictment", "complaint", "sanctions", "joint"];

macro_rules! fields {
    ($( $name:literal : $ty:expr, $req:literal, $doc:literal );* $(;)?) => {
        vec![$( FieldSpec { name: $name.to_string(), ty: $ty, required: $req, doc: $doc, vocabulary: None, default: None, custom: false, range: None } ),*]
    };
}

fn r(kind: &str) -> FieldType {
    FieldType::Ref(kind.to_string())
}

impl Schema {
    /// The built-in evidence model.
    pub fn standard() -> Schema {
        use FieldType::*;
        let mut schema = Schema { types: vec![], by_name: HashMap::new() };
        let entity = TypeKind::Entity;
        let assertion = TypeKind::Assertion;
        schema.add(
            "source",
            entity,
            "Who reports: a government body, a vendor, a journalist, a persona.",
            fields![
                "id": Text, true, "unique id";
                "name": Text, false, "display name";
                "kind": Text, true, "government, investigation, vendor, media, expert, persona, accused or other (or x-...)";
                "reliability": Text, true, "Admiralty source reliability, A to F";
            ],
        );
        schema.add(
            "report",
            entity,
            "One dated statement by a source; its `asserts` become assertion facts.",
            fields![
                "id": Text, true, "unique id";
                "source": r("source"), true, "the source that made it";
                "date": Date, true, "when it was made (YYYY-MM-DD)";
                "credibility": Number, true, "Admiralty information credibility, 1 to 6";
                "title": Text, false, "a short description";
            ],
        );
        schema.add(
            "actor",
            entity,
            "A candidate responsible party.",
            fields![
                "id": Text, true, "unique id";
                "name": Text, false, "display name";
                "country": Text, false, "ISO 3166 alpha-2 code of its home country";
                "kind": Text, false, "state, service, unit, group, criminal, hacktivist, insider or other (or x-...)";
                "tools": List, false, "ids of artifacts (malware families, tools, code, techniques) it is known to use";
                "routes_through": List, false, "countries whose addresses it is known to relay through";
                "interests": List, false, "sectors, countries or events it is known to care about";
                "languages": List, false, "languages its operators are known to work in";
                "utc_offset": Number, false, "hours from UTC of its operators' working day";
                "parent": r("actor"), false, "the actor it is part of (a unit of a service, a service of a state): evidence naming the parent weighs for it";
            ],
        );
        schema.add(
            "incident",
            entity,
            "An attack to be attributed.",
            fields![
                "id": Text, true, "unique id";
                "name": Text, false, "display name";
                "date": Date, true, "when it happened";
                "victim_country": Text, false, "ISO code of the victims' country";
                "sectors": List, false, "sectors hit";
            ],
        );
        schema.add(
            "artifact",
            entity,
            "Something observed: an IP, a domain, a malware family, a code trait, a tool, a technique, a string.",
            fields![
                "id": Text, true, "unique id";
                "kind": Text, true, "ip, domain, url, email, certificate, hash, malware, code, tool, technique, string, header or account (or x-...)";
                "value": Text, false, "the address, hash, name or text itself";
                "public": Bool, false, "true when publicly or commercially available";
            ],
        );
        schema.add(
            "question",
            entity,
            "Who is responsible for an incident? One per incident.",
            fields![
                "id": Text, true, "unique id";
                "incident": r("incident"), true, "the incident asked about";
            ],
        );
        schema.add(
            "hypothesis",
            entity,
            "A named candidate of a question (the catch-all `other` is implicit).",
            fields![
                "question": r("question"), true, "the question";
                "actor": r("actor"), true, "the candidate";
            ],
        );
        let a = |s: &mut Schema, name: &str, doc: &'static str, mut f: Vec<FieldSpec>| {
            f.push(FieldSpec {
                name: CONFIDENCE_FIELD.into(),
                ty: Text,
                required: false,
                doc: "how sure the source says it is: an ICD 203 term (almost certain, very likely, likely, roughly even chance), possible, or a confidence (high, moderate, low)",
                vocabulary: Some(&CONFIDENCE_WORDS),
                default: None,
                custom: false,
                range: None,
            });
            f.push(FieldSpec {
                name: REPORT_FIELD.into(),
                ty: r("report"),
                required: false,
                doc: "the report asserting it (bind it to reason about provenance)",
                vocabulary: None,
                default: None,
                custom: false,
                range: None,
            });
            s.add(name, assertion, doc, f);
        };
        a(
            &mut schema,
            "geolocation",
            "A geo-IP lookup places an address in a country.",
            fields![
                "artifact": r("artifact"), true, "the address";
                "country": Text, true, "ISO code";
            ],
        );
        a(
            &mut schema,
            "observed",
            "An artifact was seen in an incident, in a role.",
            fields![
                "artifact": r("artifact"), true, "what was seen";
                "incident": r("incident"), true, "where";
                "role": Text, false, "access, send_receive, c2, distribution, update_server, defacement, signature, exfiltration, staging, phishing, scanning, payload or ransom_note (or x-...)";
                "count": Number, false, "how many times";
            ],
        );
        a(
            &mut schema,
            "infrastructure_reuse",
            "Part of an incident's infrastructure matches earlier attacks attributed to an actor.",
            fields![
                "incident": r("incident"), true, "the incident";
                "actor": r("actor"), true, "the actor the earlier attacks were attributed to";
                "reused": Number, true, "how many addresses or domains match";
                "total": Number, true, "how many were examined";
            ],
        );
        a(
            &mut schema,
            "code_reuse",
            "Malware in an incident reuses code of a known family or sample.",
            fields![
                "incident": r("incident"), true, "the incident";
                "artifact": r("artifact"), true, "the known family or sample";
                "similarity": Number, false, "share of code in common";
            ],
        );
        a(
            &mut schema,
            "shared_code",
            "Two incidents use code with the same characteristics.",
            fields![
                "incident": r("incident"), true, "one incident";
                "other": r("incident"), true, "the other";
                "similarity": Number, false, "share of code in common";
            ],
        );
        a(
            &mut schema,
            "shared_infrastructure",
            "Two incidents use the same addresses or domains.",
            fields![
                "incident": r("incident"), true, "one incident";
                "other": r("incident"), true, "the other";
            ],
        );
        a(
            &mut schema,
            "attribution",
            "The reporting source attributes an incident to an actor (a judgment: independent sources add up).",
            fields![
                "incident": r("incident"), true, "the incident";
                "actor": r("actor"), true, "the actor named";
                "form": Text, false, "how it was made public: remark (an aside, an interview), statement (the default), or a formal act: indictment, complaint (sworn), sanctions, joint (by several governments)";
            ],
        );
        schema.restrict("attribution", "form", &ATTRIBUTION_FORMS, Some("statement"), true);
        schema.restrict("source", "kind", &SOURCE_KINDS, None, true);
        schema.restrict("actor", "kind", &ACTOR_KINDS, None, true);
        schema.restrict("artifact", "kind", &ARTIFACT_KINDS, None, true);
        schema.restrict("observed", "role", &OBSERVATION_ROLES, None, true);
        schema.mark_testimony("attribution");
        a(
            &mut schema,
            "persona_claim",
            "A persona or signature claims the incident.",
            fields![
                "incident": r("incident"), true, "the incident";
                "persona": Text, true, "the name used";
                "actor": r("actor"), false, "the actor the persona stands for, if known";
            ],
        );
        a(
            &mut schema,
            "denial",
            "An actor denies responsibility.",
            fields![
                "incident": r("incident"), true, "the incident";
                "actor": r("actor"), true, "who denies";
            ],
        );
        a(
            &mut schema,
            "forgery",
            "An artifact is shown to be forged or inconsistent, mimicking an actor.",
            fields![
                "artifact": r("artifact"), true, "the forged artifact";
                "incident": r("incident"), true, "the incident it was planted in";
                "mimics": r("actor"), true, "the actor it points to";
                "by": r("actor"), false, "who planted it, when the evidence names them";
            ],
        );
        a(
            &mut schema,
            "imitation",
            "The attackers posed as an actor (a false flag), whatever traces they used.",
            fields![
                "incident": r("incident"), true, "the incident";
                "mimics": r("actor"), true, "the actor they posed as";
                "by": r("actor"), false, "who posed, when the evidence names them";
            ],
        );
        a(
            &mut schema,
            "authentic",
            "A trace was examined and found authentic: consistent with the rest, not planted.",
            fields![
                "artifact": r("artifact"), true, "the trace examined";
                "incident": r("incident"), true, "the incident it was found in";
            ],
        );
        a(
            &mut schema,
            "operated_by",
            "A persona or front is run by another actor: its claims are that actor's.",
            fields![
                "actor": r("actor"), true, "the persona or front";
                "operator": r("actor"), true, "the actor behind it";
            ],
        );
        a(
            &mut schema,
            "routing",
            "An actor is known to relay its traffic through a country.",
            fields![
                "actor": r("actor"), true, "the actor";
                "country": Text, true, "ISO code";
            ],
        );
        a(
            &mut schema,
            "tension",
            "An actor has a motive against a country (sanctions, conflict).",
            fields![
                "actor": r("actor"), true, "the actor";
                "country": Text, true, "ISO code of the target country";
            ],
        );
        a(
            &mut schema,
            "timing",
            "An incident coincides with a symbolic date.",
            fields![
                "incident": r("incident"), true, "the incident";
                "event": Text, true, "what the date marks";
                "date": Date, true, "the original date of the event";
            ],
        );
        a(
            &mut schema,
            "preparation",
            "An incident was prepared over a long period.",
            fields![
                "incident": r("incident"), true, "the incident";
                "months": Number, true, "how long";
            ],
        );
        a(
            &mut schema,
            "relays",
            "An incident's traffic passed through relays in many countries.",
            fields![
                "incident": r("incident"), true, "the incident";
                "countries": Number, true, "how many countries";
            ],
        );
        a(
            &mut schema,
            "working_hours",
            "Compile times or activity cluster in working hours of a time zone.",
            fields![
                "artifact": r("artifact"), true, "the samples or activity";
                "utc_offset": Number, true, "hours from UTC";
            ],
        );
        a(
            &mut schema,
            "language_artifact",
            "Strings or resources in a language.",
            fields![
                "artifact": r("artifact"), true, "the sample";
                "language": Text, true, "the language";
            ],
        );
        a(
            &mut schema,
            "infrastructure_overlap",
            "Part of an incident's infrastructure overlaps that of earlier attacks attributed to an actor, or the incident contacted infrastructure known to be the actor's, with no counts given.",
            fields![
                "incident": r("incident"), true, "the incident";
                "actor": r("actor"), true, "the actor the earlier attacks or the infrastructure are attributed to";
                "relation": Text, false, "overlap (the default: the same addresses, domains or certificates as earlier attacks) or contact (the incident's malware contacted infrastructure known to be the actor's)";
            ],
        );
        schema.restrict("infrastructure_overlap", "relation", &INFRASTRUCTURE_RELATIONS, Some("overlap"), true);
        a(
            &mut schema,
            "technique",
            "The attackers used a technique (an artifact of kind technique, such as an ATT&CK technique); actors' `tools` list the techniques they are known to use.",
            fields![
                "incident": r("incident"), true, "the incident";
                "artifact": r("artifact"), true, "the technique";
            ],
        );
        a(
            &mut schema,
            "demand",
            "The attackers stated what they wanted: a ransom, a political demand, or nothing.",
            fields![
                "incident": r("incident"), true, "the incident";
                "kind": Text, true, "ransom (payment to restore data or systems), extortion (payment not to leak), political, or none (no demand at all) (or x-...)";
                "text": Text, false, "the demand in the attackers' words";
            ],
        );
        schema.restrict("demand", "kind", &DEMAND_KINDS, None, true);
        a(
            &mut schema,
            "contradiction",
            "Behaviour in the incident contradicts the motive the attackers stated (ransomware with no way to pay or to decrypt).",
            fields![
                "incident": r("incident"), true, "the incident";
                "claim": Text, true, "the stated motive it contradicts: ransom, extortion, political or none (or x-...)";
                "finding": Text, true, "what was found, e.g. no working payment channel, data overwritten rather than encrypted";
            ],
        );
        schema.restrict("contradiction", "claim", &DEMAND_KINDS, None, true);
        a(
            &mut schema,
            "victim",
            "The incident hit victims in a country (for victims in several countries, or when the victims are reported rather than known).",
            fields![
                "incident": r("incident"), true, "the incident";
                "country": Text, true, "ISO code of a country among the victims";
            ],
        );
        a(
            &mut schema,
            "campaign_link",
            "A report judges that the same operator carried out two incidents, whatever its grounds.",
            fields![
                "incident": r("incident"), true, "one incident";
                "other": r("incident"), true, "the other";
            ],
        );
        a(
            &mut schema,
            "alias",
            "Two actor ids name the same group (names given by different vendors or governments).",
            fields![
                "actor": r("actor"), true, "one name";
                "other": r("actor"), true, "the other name";
            ],
        );
        a(
            &mut schema,
            "exculpation",
            "An actor is ruled out of an incident (an alibi, an insider cleared by an investigation).",
            fields![
                "incident": r("incident"), true, "the incident";
                "actor": r("actor"), true, "the actor ruled out";
            ],
        );
        a(
            &mut schema,
            "interest",
            "An actor is reported to care about a sector, a country or an event (the dated form of an actor's `interests`).",
            fields![
                "actor": r("actor"), true, "the actor";
                "topic": Text, true, "the sector, country (ISO code) or event, written as in incidents' `sectors` and `timing` events";
            ],
        );
        a(
            &mut schema,
            "uses",
            "An actor is reported to use an artifact: malware, a tool, a technique, infrastructure (the dated, sourced form of an actor's `tools`, as in ATT&CK's group profiles).",
            fields![
                "actor": r("actor"), true, "the actor";
                "artifact": r("artifact"), true, "what it is reported to use";
            ],
        );
        schema.limit_numbers();
        schema
    }

    /// Closes a text field's vocabulary, with the value it takes when not written.
    fn restrict(&mut self, type_name: &str, field: &str, words: &'static [&'static str], default: Option<&'static str>, custom: bool) {
        if let Some(spec) = self.by_name.get(type_name).map(|id| &mut self.types[id.0 as usize]) {
            if let Some(f) = spec.fields.iter_mut().find(|f| f.name == field) {
                f.vocabulary = Some(words);
                f.default = default;
                f.custom = custom;
            }
        }
    }

    /// The ranges of the standard number fields: outside them the standard
    /// rules would compute no valid likelihood ratio (a negative share, an
    /// infinite one), so such values are refused when evidence loads.
    fn limit_numbers(&mut self) {
        let share = Range { min: Some(0.0), max: Some(1.0), at_most: None };
        let count = Range { min: Some(0.0), max: None, at_most: None };
        let offset = Range { min: Some(-12.0), max: Some(14.0), at_most: None };
        for (type_name, field, range) in [
            ("actor", "utc_offset", offset),
            ("observed", "count", count),
            ("infrastructure_reuse", "reused", Range { at_most: Some("total"), ..count }),
            ("infrastructure_reuse", "total", count),
            ("code_reuse", "similarity", share),
            ("shared_code", "similarity", share),
            ("preparation", "months", count),
            ("relays", "countries", count),
            ("working_hours", "utc_offset", offset),
        ] {
            if let Some(spec) = self.by_name.get(type_name).map(|id| &mut self.types[id.0 as usize]) {
                if let Some(f) = spec.fields.iter_mut().find(|f| f.name == field) {
                    f.range = Some(range);
                }
            }
        }
    }

    fn mark_testimony(&mut self, type_name: &str) {
        if let Some(&id) = self.by_name.get(type_name) {
            self.types[id.0 as usize].testimony = true;
        }
    }

    fn add(&mut self, name: &str, kind: TypeKind, doc: &'static str, fields: Vec<FieldSpec>) -> TypeId {
        let id = TypeId(self.types.len() as u32);
        self.types.push(TypeSpec { name: name.to_string(), kind, fields, doc, testimony: false });
        self.by_name.insert(name.to_string(), id);
        id
    }

    /// Adds a rule-declared finding type; `None` when the name is taken.
    pub fn add_finding(&mut self, name: &str, fields: Vec<(String, FieldType)>) -> Option<TypeId> {
        if self.by_name.contains_key(name) {
            return None;
        }
        let fields = fields
            .into_iter()
            .map(|(name, ty)| FieldSpec { name, ty, required: true, doc: "", vocabulary: None, default: None, custom: false, range: None })
            .collect();
        Some(self.add(name, TypeKind::Finding, "declared by a rule file", fields))
    }

    pub fn lookup(&self, name: &str) -> Option<TypeId> {
        self.by_name.get(name).copied()
    }

    pub fn get(&self, id: TypeId) -> &TypeSpec {
        &self.types[id.0 as usize]
    }

    pub fn types(&self) -> impl Iterator<Item = (TypeId, &TypeSpec)> {
        self.types.iter().enumerate().map(|(i, t)| (TypeId(i as u32), t))
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.types.iter().map(|t| t.name.as_str())
    }
}
