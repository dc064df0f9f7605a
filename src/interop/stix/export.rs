//! An assessment → a STIX 2.1 bundle: the evidence it weighed (sources as
//! identities, actors, incidents as campaigns, artifacts, reports with the
//! relationships they assert), and per question ascribe's conclusion: an
//! `attributed-to` relationship from the incident's campaign to each
//! hypothesis with the probability as STIX confidence (the DNI scale's value
//! of the ICD 203 term), a note carrying the explanation in words, and a
//! grouping of the evidence. Ids are UUIDv5 of the content and timestamps come
//! from the evidence dates and the as-of date, never the clock, so the same
//! input exports the same bytes. Withdrawn reports are withdrawn by an
//! opinion the withdrawing report lists, echoes are `derived-from`
//! relationships between reports, and what the relationship vocabulary cannot
//! say (an attribution's form, a hedge's own words, an observation's role) is
//! carried by custom properties an extension definition declares. What has no
//! STIX home is listed in a note.

use super::confidence;
use super::ids;
use super::import::{ASCRIBE_REFERENCE, ASSESSMENT_LABEL, ENTITY_LABEL, RETRACTION_LABEL};
use crate::evidence::{EvidenceSet, Record, ReportRecord};
use crate::prelude::*;
use crate::report::escape;
use crate::report::{Assessment, QuestionOutcome};
use serde_json::{json, Map, Value as Json};

/// What an export wrote.
pub struct Exported {
    /// The bundle as pretty-printed JSON, ending with a newline.
    pub bundle: String,
    /// Evidence with no STIX home, in words.
    pub left_out: Vec<String>,
}

/// A STIX timestamp of a date, at midnight UTC, to the millisecond.
fn stamp(date: &str) -> String {
    format!("{date}T00:00:00.000Z")
}

fn text(v: &crate::value::Value) -> String {
    v.to_string()
}

/// Custom properties ascribe writes, declared by one extension definition.
const EXTENSION_PROPERTIES: [&str; 6] =
    ["x_opencti_reliability", "x_ascribe_source_kind", "x_ascribe_actor_kind", "x_ascribe_form", "x_ascribe_confidence", "x_ascribe_role"];

struct Exporter<'a> {
    evidence: &'a EvidenceSet,
    schema: &'a Schema,
    objects: Vec<Json>,
    written: BTreeSet<String>,
    left_out: Vec<String>,
    /// The tool's identity.
    tool: String,
    extension: String,
    /// Timestamp of objects with no date of their own: the earliest evidence date.
    epoch: String,
    /// ascribe id → STIX id, per kind.
    actors: BTreeMap<String, (String, &'static str)>,
    incidents: BTreeMap<String, String>,
    artifacts: BTreeMap<String, (String, &'static str)>,
    sources: BTreeMap<String, String>,
}

/// Writes the evidence and the assessment of its questions as one STIX 2.1 bundle; the
/// same input gives the same bytes.
pub fn export(evidence: &EvidenceSet, schema: &Schema, assessment: &Assessment) -> Exported {
    let mut dates: Vec<String> = evidence.reports.iter().map(|r| r.date.to_string()).collect();
    dates.extend(evidence.incidents.values().map(|(_, d)| d.to_string()));
    dates.sort();
    let epoch = stamp(dates.first().map(String::as_str).unwrap_or("1970-01-01"));
    let latest = dates.last().cloned().unwrap_or_else(|| "1970-01-01".into());
    let assessed = stamp(assessment.as_of.as_deref().unwrap_or(&latest));
    let mut x = Exporter {
        evidence,
        schema,
        objects: vec![],
        written: BTreeSet::new(),
        left_out: vec![],
        tool: ids::sdo("identity", "tool:ascribe"),
        extension: ids::sdo("extension-definition", "ascribe-grading"),
        epoch,
        actors: BTreeMap::new(),
        incidents: BTreeMap::new(),
        artifacts: BTreeMap::new(),
        sources: BTreeMap::new(),
    };
    x.meta();
    x.sources();
    x.entities();
    x.reports();
    for q in &assessment.questions {
        x.question(q, &assessment.as_of, &assessed);
    }
    for n in &assessment.not_yet {
        x.left_out.push(format!("question {} is not yet assessed (incident {} is dated {})", n.id, n.incident, n.date));
    }
    x.leave_out_note(&assessed);
    let bundle_key: Vec<&str> = x.objects.iter().filter_map(|o| o.get("id").and_then(Json::as_str)).collect();
    let bundle = json!({
        "type": "bundle",
        "id": ids::sdo("bundle", &bundle_key.join(",")),
        "objects": x.objects,
    });
    let mut text = serde_json::to_string_pretty(&bundle).unwrap_or_default();
    text.push('\n');
    Exported { bundle: text, left_out: x.left_out }
}

impl Exporter<'_> {
    fn push(&mut self, object: Json) {
        let id = object.get("id").and_then(Json::as_str).unwrap_or_default().to_string();
        if self.written.insert(id) {
            self.objects.push(object);
        }
    }

    /// A domain object with the common properties.
    fn sdo(&self, ty: &str, id: &str, created: &str, creator: Option<&str>) -> Map<String, Json> {
        let mut m = Map::new();
        m.insert("type".into(), json!(ty));
        m.insert("spec_version".into(), json!("2.1"));
        m.insert("id".into(), json!(id));
        m.insert("created".into(), json!(created));
        m.insert("modified".into(), json!(created));
        if let Some(c) = creator {
            m.insert("created_by_ref".into(), json!(c));
        }
        m
    }

    fn field<'r>(&self, record: &'r Record, name: &str) -> Option<&'r crate::value::Value> {
        let spec = self.schema.get(record.ty);
        spec.field(name).and_then(|i| record.fields.get(i)).and_then(|v| v.as_ref())
    }

    fn meta(&mut self) {
        let mut tool = self.sdo("identity", &self.tool.clone(), &self.epoch.clone(), None);
        tool.insert("name".into(), json!("ascribe"));
        tool.insert("identity_class".into(), json!("system"));
        tool.insert("description".into(), json!("Rule-based attribution reasoning: the assessments in this bundle are its conclusions."));
        self.push(Json::Object(tool));
        let mut ext = self.sdo("extension-definition", &self.extension.clone(), &self.epoch.clone(), Some(&self.tool.clone()));
        ext.insert("name".into(), json!("ascribe grading"));
        ext.insert(
            "description".into(),
            json!("Top-level properties ascribe writes and reads back: an identity's Admiralty reliability (as OpenCTI writes it) and source kind, an actor's kind, and on a relationship a report states: how an attribution was made public, the source's hedge in its own words, and the role an observation gives its artifact."),
        );
        ext.insert(
            "schema".into(),
            json!("x_opencti_reliability: Admiralty source reliability, `A - Completely reliable` to `F - Reliability cannot be judged`; x_ascribe_source_kind: government, investigation, vendor, media, expert, persona, accused or other; x_ascribe_actor_kind: state, service, unit, group, criminal, hacktivist, insider or other; x_ascribe_form (on attributed-to): remark, statement, indictment, complaint, sanctions or joint; x_ascribe_confidence: the source's hedge as it said it (an ICD 203 term, possible, high, moderate or low), of which `confidence` is the STIX value; x_ascribe_role (on uses, related-to, indicates): the observation's role (c2, payload, ...). See docs/stix.md of ascribe."),
        );
        ext.insert("version".into(), json!("1.1.0"));
        ext.insert("extension_types".into(), json!(["toplevel-property-extension"]));
        ext.insert("extension_properties".into(), json!(EXTENSION_PROPERTIES));
        self.push(Json::Object(ext));
    }

    fn extensions(&self) -> Json {
        json!({ self.extension.clone(): { "extension_type": "toplevel-property-extension" } })
    }

    fn sources(&mut self) {
        for s in &self.evidence.sources {
            let id = ids::sdo("identity", &format!("source:{}", s.id));
            let mut m = self.sdo("identity", &id, &self.epoch, Some(&self.tool));
            m.insert("name".into(), json!(escape::stix(&s.name)));
            m.insert("identity_class".into(), json!(if s.kind == "expert" { "individual" } else { "organization" }));
            let sector = match s.kind.as_str() {
                "government" => Some("government-national"),
                "vendor" => Some("technology"),
                "media" => Some("communications"),
                "investigation" => Some("law-enforcement"),
                _ => None,
            };
            if let Some(sector) = sector {
                m.insert("sectors".into(), json!([sector]));
            }
            m.insert("x_opencti_reliability".into(), json!(confidence::reliability_text(&s.reliability)));
            m.insert("x_ascribe_source_kind".into(), json!(escape::stix(&s.kind)));
            m.insert("extensions".into(), self.extensions());
            Self::ascribe_reference(&mut m, &s.id);
            self.push(Json::Object(m));
            self.sources.insert(s.id.clone(), id);
        }
    }

    fn location(&mut self, country: &str) -> String {
        let id = ids::sdo("location", &format!("country:{country}"));
        let mut m = self.sdo("location", &id, &self.epoch, Some(&self.tool));
        m.insert("name".into(), json!(escape::stix(country)));
        m.insert("country".into(), json!(escape::stix(country)));
        self.push(Json::Object(m));
        id
    }

    fn sector(&mut self, sector: &str) -> String {
        let id = ids::sdo("identity", &format!("sector:{sector}"));
        let mut m = self.sdo("identity", &id, &self.epoch, Some(&self.tool));
        m.insert("name".into(), json!(format!("the {} sector", escape::stix(sector))));
        m.insert("identity_class".into(), json!("class"));
        m.insert("sectors".into(), json!([escape::stix(sector)]));
        self.push(Json::Object(m));
        id
    }

    /// A relationship; `certain` ones stand for entity fields.
    #[allow(clippy::too_many_arguments)]
    fn relationship(
        &mut self,
        key: &str,
        verb: &str,
        from: &str,
        to: &str,
        created: &str,
        creator: &str,
        confidence: Option<u64>,
        certain: bool,
        custom: &[(&str, String)],
    ) -> String {
        let id = ids::sdo("relationship", key);
        let mut m = self.sdo("relationship", &id, created, Some(creator));
        m.insert("relationship_type".into(), json!(verb));
        m.insert("source_ref".into(), json!(from));
        m.insert("target_ref".into(), json!(to));
        if let Some(c) = confidence {
            m.insert("confidence".into(), json!(c));
        }
        if certain {
            m.insert("labels".into(), json!([ENTITY_LABEL]));
        }
        for (k, v) in custom {
            m.insert(k.to_string(), json!(escape::stix(v)));
        }
        if !custom.is_empty() {
            m.insert("extensions".into(), self.extensions());
        }
        self.push(Json::Object(m));
        id
    }

    /// The ascribe id of an object, as an external reference: read back on import,
    /// so withdrawals, echoes and assertions keep naming the same ids.
    fn ascribe_reference(m: &mut Map<String, Json>, id: &str) {
        let reference = json!({ "source_name": ASCRIBE_REFERENCE, "external_id": escape::stix(id) });
        match m.get_mut("external_references") {
            Some(Json::Array(refs)) => refs.push(reference),
            _ => {
                m.insert("external_references".into(), json!([reference]));
            }
        }
    }

    fn entities(&mut self) {
        let evidence = self.evidence;
        // Artifacts first: actors' tools refer to them.
        for r in evidence.declared() {
            if self.schema.get(r.ty).name == "artifact" {
                self.artifact(r);
            }
        }
        for r in evidence.declared() {
            let name = self.schema.get(r.ty).name.as_str();
            if name == "actor" {
                self.actor(r);
            } else if name == "incident" {
                self.incident(r);
            }
        }
        // Profiles once every actor has its object.
        for r in evidence.declared() {
            if self.schema.get(r.ty).name == "actor" {
                self.actor_profile(r);
            }
        }
    }

    fn artifact(&mut self, r: &Record) {
        let id = self.field(r, "id").map(text).unwrap_or_default();
        let kind = self.field(r, "kind").map(text).unwrap_or_default();
        let value = self.field(r, "value").map(text).unwrap_or_else(|| id.clone());
        let sco = |ty: &'static str, props: Json| (ty, ids::sco(ty, &props), props);
        let address = value.split_once('/').map_or(value.as_str(), |(a, _)| a).parse::<std::net::IpAddr>().ok();
        let observable = match kind.as_str() {
            "ip" if address.is_some_and(|a| a.is_ipv6()) => Some(sco("ipv6-addr", json!({ "value": value }))),
            "ip" if address.is_some() => Some(sco("ipv4-addr", json!({ "value": value }))),
            "ip" | "domain" | "email" | "url" if value.chars().any(char::is_whitespace) || address.is_none() && kind == "ip" => {
                self.left_out.push(format!("artifact {id} (kind {kind}): its value is a description, not an address"));
                return;
            }
            "domain" => Some(sco("domain-name", json!({ "value": value }))),
            "url" => Some(sco("url", json!({ "value": value }))),
            "email" => Some(sco("email-addr", json!({ "value": value }))),
            "hash" => hash_algorithm(&value).map(|alg| sco("file", json!({ "hashes": { alg: value } }))),
            "certificate" => Some(match hash_algorithm(&value) {
                Some(alg) => sco("x509-certificate", json!({ "hashes": { alg: value } })),
                None => sco("x509-certificate", json!({ "serial_number": value })),
            }),
            _ => None,
        };
        if let Some((ty, sid, props)) = observable {
            let mut m = Map::new();
            m.insert("type".into(), json!(ty));
            m.insert("spec_version".into(), json!("2.1"));
            m.insert("id".into(), json!(sid));
            if let Json::Object(p) = props {
                for (k, v) in p {
                    m.insert(k, v);
                }
            }
            self.push(Json::Object(m));
            self.artifacts.insert(id, (sid, ty));
            return;
        }
        let ty: &'static str = match kind.as_str() {
            "malware" => "malware",
            "tool" => "tool",
            "technique" => "attack-pattern",
            "x-infrastructure" => "infrastructure",
            "x-indicator" => "indicator",
            _ => {
                self.left_out.push(format!("artifact {id} (kind {kind}): no STIX object for it"));
                return;
            }
        };
        let sid = ids::sdo(ty, &format!("artifact:{id}"));
        let mut m = self.sdo(ty, &sid, &self.epoch, Some(&self.tool));
        match ty {
            "attack-pattern" => {
                let (tid, name) = split_technique(&value);
                m.insert("name".into(), json!(escape::stix(name)));
                if let Some(tid) = tid {
                    m.insert("external_references".into(), json!([{ "source_name": "mitre-attack", "external_id": escape::stix(tid) }]));
                }
            }
            "malware" => {
                m.insert("name".into(), json!(escape::stix(&value)));
                m.insert("is_family".into(), json!(true));
            }
            "indicator" => {
                // The pattern is written as it was read (from a STIX bundle): ascribe
                // does not parse patterns.
                m.insert("name".into(), json!(escape::stix(&id)));
                m.insert("pattern".into(), json!(value));
                m.insert("pattern_type".into(), json!("stix"));
                m.insert("description".into(), json!(format!("The pattern of the artifact {} of the evidence.", escape::stix(&id))));
                m.insert("valid_from".into(), json!(self.epoch));
            }
            "infrastructure" => {
                m.insert("name".into(), json!(escape::stix(&value)));
                // The roles it was observed in, as infrastructure types (read back as roles).
                let types: BTreeSet<&str> = self.roles(&id).iter().filter_map(|r| infrastructure_type(r)).collect();
                if !types.is_empty() {
                    m.insert("infrastructure_types".into(), json!(types));
                }
            }
            _ => {
                m.insert("name".into(), json!(escape::stix(&value)));
            }
        }
        Self::ascribe_reference(&mut m, &id);
        self.push(Json::Object(m));
        self.artifacts.insert(id, (sid, ty));
    }

    /// The roles an artifact is observed in, in any report.
    fn roles(&self, artifact: &str) -> Vec<String> {
        let Some(observed) = self.schema.lookup("observed") else { return vec![] };
        let mut out = vec![];
        for report in &self.evidence.reports {
            for a in report.asserts.iter().filter(|a| a.ty == observed) {
                if self.field(a, "artifact").map(text).as_deref() == Some(artifact) {
                    if let Some(role) = self.field(a, "role") {
                        out.push(text(role));
                    }
                }
            }
        }
        out
    }

    fn actor(&mut self, r: &Record) {
        let id = self.field(r, "id").map(text).unwrap_or_default();
        let name = self.field(r, "name").map(text).unwrap_or_else(|| id.clone());
        let kind = self.field(r, "kind").map(text);
        let (ty, types): (&'static str, Option<&str>) = match kind.as_deref() {
            None | Some("group") => ("intrusion-set", None),
            Some("state" | "service" | "unit") => ("threat-actor", Some("nation-state")),
            Some("criminal") => ("threat-actor", Some("crime-syndicate")),
            Some("hacktivist") => ("threat-actor", Some("activist")),
            Some("insider") => ("threat-actor", Some("insider-disgruntled")),
            Some(_) => ("threat-actor", Some("unknown")),
        };
        let sid = ids::sdo(ty, &format!("actor:{id}"));
        let mut m = self.sdo(ty, &sid, &self.epoch, Some(&self.tool));
        m.insert("name".into(), json!(escape::stix(&name)));
        if let Some(t) = types {
            m.insert("threat_actor_types".into(), json!([t]));
        }
        if let Some(k) = &kind {
            m.insert("x_ascribe_actor_kind".into(), json!(escape::stix(k)));
            m.insert("extensions".into(), self.extensions());
        }
        Self::ascribe_reference(&mut m, &id);
        self.push(Json::Object(m));
        self.actors.insert(id, (sid, ty));
    }

    fn actor_profile(&mut self, r: &Record) {
        let id = self.field(r, "id").map(text).unwrap_or_default();
        let Some((sid, ty)) = self.actors.get(&id).cloned() else { return };
        let (tool, epoch) = (self.tool.clone(), self.epoch.clone());
        if let Some(country) = self.field(r, "country").map(text) {
            let loc = self.location(&country);
            let verb = if ty == "intrusion-set" { "originates-from" } else { "located-at" };
            self.relationship(&format!("home:{id}:{country}"), verb, &sid, &loc, &epoch, &tool, None, true, &[]);
        }
        if let Some(crate::value::Value::List(items)) = self.field(r, "tools") {
            for item in items.iter() {
                let art = text(item);
                match self.artifacts.get(&art).cloned() {
                    Some((aid, _)) => {
                        self.relationship(&format!("tools:{id}:{art}"), "uses", &sid, &aid, &epoch, &tool, None, true, &[]);
                    }
                    None => self.left_out.push(format!("actor {id}'s tool {art}: its artifact has no STIX object")),
                }
            }
        }
        for field in ["routes_through", "interests", "languages", "utc_offset", "parent"] {
            // The loader gives list fields an empty list when they are left out.
            let given = match self.field(r, field) {
                Some(crate::value::Value::List(items)) => !items.is_empty(),
                other => other.is_some(),
            };
            if given {
                self.left_out.push(format!("actor {id}'s `{field}`: no STIX property or relationship says it"));
            }
        }
    }

    fn incident(&mut self, r: &Record) {
        let id = self.field(r, "id").map(text).unwrap_or_default();
        let name = self.field(r, "name").map(text).unwrap_or_else(|| id.clone());
        let date = self.field(r, "date").map(text).unwrap_or_default();
        let sid = ids::sdo("campaign", &format!("incident:{id}"));
        let mut m = self.sdo("campaign", &sid, &self.epoch.clone().min(stamp(&date)), Some(&self.tool));
        m.insert("name".into(), json!(escape::stix(&name)));
        m.insert("first_seen".into(), json!(stamp(&date)));
        Self::ascribe_reference(&mut m, &id);
        self.push(Json::Object(m));
        self.incidents.insert(id.clone(), sid.clone());
        let (tool, epoch) = (self.tool.clone(), self.epoch.clone());
        if let Some(country) = self.field(r, "victim_country").map(text) {
            let loc = self.location(&country);
            self.relationship(&format!("victim:{id}:{country}"), "targets", &sid, &loc, &epoch, &tool, None, true, &[]);
        }
        if let Some(crate::value::Value::List(items)) = self.field(r, "sectors") {
            for item in items.iter() {
                let sector = self.sector(&text(item));
                self.relationship(&format!("sector:{id}:{item}"), "targets", &sid, &sector, &epoch, &tool, None, true, &[]);
            }
        }
    }

    fn reports(&mut self) {
        let evidence = self.evidence;
        for report in &evidence.reports {
            let source = &evidence.sources[report.source];
            let Some(creator) = self.sources.get(&source.id).cloned() else { continue };
            let date = stamp(&report.date.to_string());
            let mut refs = vec![];
            for (n, a) in report.asserts.iter().enumerate() {
                if let Some(rel) = self.assertion(&report.id, n, a, &date, &creator) {
                    refs.push(rel);
                }
            }
            let id = report_id(&report.id);
            // An echo derives from what it repeats (STIX's common `derived-from`).
            for &b in &report.based_on {
                let other = &evidence.reports[b].id;
                let key = format!("echo:{}:{other}", report.id);
                refs.push(self.relationship(&key, "derived-from", &id, &report_id(other), &date, &creator, None, false, &[]));
            }
            // A withdrawal is the withdrawing source's opinion of the report it withdraws.
            for &w in &report.retracts {
                refs.push(self.retraction(report, &evidence.reports[w], &date, &creator));
            }
            if refs.is_empty() {
                // A report must list something: its creator, when it asserts nothing STIX can say.
                refs.push(creator.clone());
            }
            let mut m = self.sdo("report", &id, &date, Some(&creator));
            let title = if report.title().is_empty() { report.id.clone() } else { report.title().to_string() };
            m.insert("name".into(), json!(escape::stix(&title)));
            m.insert("published".into(), json!(date));
            m.insert("report_types".into(), json!(["threat-report"]));
            if let Some(c) = confidence::from_credibility(report.credibility) {
                m.insert("confidence".into(), json!(c));
            }
            m.insert("object_refs".into(), json!(refs));
            Self::ascribe_reference(&mut m, &report.id);
            self.push(Json::Object(m));
        }
    }

    /// The opinion by which `report` withdraws `withdrawn`: `strongly-disagree`, by the
    /// withdrawing source on the withdrawal's date, labelled so that ascribe reads it
    /// back as `retracts` (STIX's `revoked` would end the withdrawn report's history,
    /// and only its own creator may revoke it).
    fn retraction(&mut self, report: &ReportRecord, withdrawn: &ReportRecord, date: &str, creator: &str) -> String {
        let id = ids::sdo("opinion", &format!("retraction:{}:{}", report.id, withdrawn.id));
        let mut m = self.sdo("opinion", &id, date, Some(creator));
        let source = &self.evidence.sources[report.source].name;
        let name = if withdrawn.title().is_empty() { withdrawn.id.as_str() } else { withdrawn.title() };
        m.insert(
            "explanation".into(),
            json!(escape::stix(&format!(
                "{source} withdraws the report \"{name}\" ({}): from {} on it counts as never made.",
                withdrawn.date, report.date
            ))),
        );
        m.insert("opinion".into(), json!("strongly-disagree"));
        m.insert("object_refs".into(), json!([report_id(&withdrawn.id)]));
        m.insert("labels".into(), json!([RETRACTION_LABEL]));
        self.push(Json::Object(m));
        id
    }

    /// One assertion as a relationship, or `None` (listed) when STIX has no home for it.
    fn assertion(&mut self, report: &str, n: usize, a: &Record, date: &str, creator: &str) -> Option<String> {
        let ty = self.schema.get(a.ty).name.clone();
        let spec = self.schema.get(a.ty);
        let fields: BTreeMap<&str, String> =
            spec.fields.iter().zip(a.fields.iter()).filter_map(|(f, v)| v.as_ref().map(|v| (f.name.as_str(), text(v)))).collect();
        let get = |name: &str| fields.get(name).cloned();
        let hedge = get("confidence").and_then(|w| confidence::from_stated(&w));
        // What the relationship vocabulary cannot say, in ascribe's own words: the
        // hedge as the source said it (`confidence` is its STIX value), the form of
        // an attribution, the role of an observation.
        let mut custom: Vec<(&str, String)> = vec![];
        if let Some(word) = get("confidence") {
            custom.push(("x_ascribe_confidence", word));
        }
        // `statement` is the default form: said by leaving it out.
        if let Some(form) = get("form").filter(|f| ty == "attribution" && f != "statement") {
            custom.push(("x_ascribe_form", form));
        }
        if let Some(role) = get("role").filter(|_| ty == "observed") {
            custom.push(("x_ascribe_role", role));
        }
        let key = format!("assertion:{report}:{n}:{ty}");
        let incident = |x: &Self| get("incident").and_then(|i| x.incidents.get(&i).cloned());
        let actor = |x: &Self, f: &str| get(f).and_then(|i| x.actors.get(&i).cloned());
        let artifact = |x: &Self| get("artifact").and_then(|i| x.artifacts.get(&i).cloned());
        let (verb, from, to): (&str, String, String) = match ty.as_str() {
            "attribution" => ("attributed-to", incident(self)?, actor(self, "actor")?.0),
            "operated_by" => ("attributed-to", actor(self, "actor")?.0, actor(self, "operator")?.0),
            "technique" => ("uses", incident(self)?, artifact(self)?.0),
            "observed" => {
                let (aid, aty) = artifact(self)?;
                if aty == "indicator" {
                    return Some(self.relationship(&key, "indicates", &aid, &incident(self)?, date, creator, hedge, false, &custom));
                }
                let verb = if matches!(aty, "malware" | "tool" | "infrastructure") { "uses" } else { "related-to" };
                (verb, incident(self)?, aid)
            }
            "geolocation" => {
                let (aid, _) = artifact(self)?;
                let loc = self.location(&get("country")?);
                ("located-at", aid, loc)
            }
            "victim" => {
                let inc = incident(self)?;
                let loc = self.location(&get("country")?);
                ("targets", inc, loc)
            }
            "interest" => {
                let (aid, _) = actor(self, "actor")?;
                let topic = get("topic")?;
                let target = if topic.len() == 2 && topic.chars().all(|c| c.is_ascii_uppercase()) {
                    self.location(&topic)
                } else {
                    self.sector(&topic)
                };
                ("targets", aid, target)
            }
            "uses" => match artifact(self)? {
                (aid, "indicator") => ("indicates", aid, actor(self, "actor")?.0),
                (aid, _) => ("uses", actor(self, "actor")?.0, aid),
            },
            other => {
                self.left_out.push(format!("report {report}: a `{other}` assertion (no STIX object or relationship says it)"));
                return None;
            }
        };
        Some(self.relationship(&key, verb, &from, &to, date, creator, hedge, false, &custom))
    }

    fn question(&mut self, q: &QuestionOutcome, as_of: &Option<String>, assessed: &str) {
        let Some(campaign) = self.incidents.get(&q.incident).cloned() else { return };
        let tool = self.tool.clone();
        let when = as_of.clone().unwrap_or_default();
        let mut refs = vec![campaign.clone()];
        for h in &q.hypotheses {
            let Some((actor, _)) = self.actors.get(&h.id).cloned() else { continue };
            let term = h.estimative.split(" (").next().unwrap_or(&h.estimative).to_string();
            let Some(conf) = confidence::from_estimative(&term) else { continue };
            let key = format!("assessment:{}:{}:{when}:{:.6}", q.id, h.id, h.probability);
            let id = ids::sdo("relationship", &key);
            let mut m = self.sdo("relationship", &id, assessed, Some(&tool));
            m.insert("relationship_type".into(), json!("attributed-to"));
            m.insert("source_ref".into(), json!(campaign));
            m.insert("target_ref".into(), json!(actor));
            m.insert("confidence".into(), json!(conf));
            m.insert(
                "description".into(),
                json!(format!(
                    "ascribe: {} is responsible for {} with probability {:.1}% ({}; analytic confidence {}).",
                    escape::stix(&h.name),
                    escape::stix(&q.incident_name),
                    h.probability * 100.0,
                    escape::stix(&h.estimative),
                    q.confidence
                )),
            );
            m.insert("labels".into(), json!([ASSESSMENT_LABEL]));
            self.push(Json::Object(m));
            refs.push(id);
        }
        let explanation = crate::report::text::render(&Assessment {
            as_of: as_of.clone(),
            questions: vec![q.clone()],
            not_yet: vec![],
            retracted: vec![],
            unweighed: vec![],
            unweighed_omitted: None,
        });
        let note_id = ids::sdo("note", &format!("explanation:{}:{when}:{explanation}", q.id));
        let mut note = self.sdo("note", &note_id, assessed, Some(&tool));
        note.insert("abstract".into(), json!(escape::stix(&format!("ascribe: {}", q.text))));
        note.insert("content".into(), json!(escape::stix(&explanation)));
        note.insert("authors".into(), json!(["ascribe"]));
        note.insert("object_refs".into(), json!(refs));
        note.insert("labels".into(), json!([ASSESSMENT_LABEL]));
        self.push(Json::Object(note));

        // The evidence weighed: the hypotheses, and the reports the explanation cites.
        let mut evidence: Vec<String> = refs.clone();
        evidence.push(note_id);
        let mut reports = BTreeSet::new();
        for h in &q.hypotheses {
            if let Some((actor, _)) = self.actors.get(&h.id) {
                evidence.push(actor.clone());
            }
            for c in &h.contributions {
                for e in &c.evidence {
                    reports.insert(e.report.clone());
                }
            }
        }
        for f in &q.non_diagnostic {
            for e in &f.evidence {
                reports.insert(e.report.clone());
            }
        }
        evidence.extend(reports.iter().map(|r| report_id(r)));
        let group_id = ids::sdo("grouping", &format!("evidence:{}:{when}:{}", q.id, evidence.join(",")));
        let mut g = self.sdo("grouping", &group_id, assessed, Some(&tool));
        g.insert("name".into(), json!(escape::stix(&format!("Evidence ascribe weighed for {}", q.id))));
        g.insert("context".into(), json!("suspicious-activity"));
        g.insert("object_refs".into(), json!(evidence));
        g.insert("labels".into(), json!([ASSESSMENT_LABEL]));
        self.push(Json::Object(g));
    }

    fn leave_out_note(&mut self, assessed: &str) {
        if self.left_out.is_empty() {
            return;
        }
        self.left_out.sort();
        self.left_out.dedup();
        let content = format!("What this bundle leaves out, having no STIX home:\n- {}", self.left_out.join("\n- "));
        let id = ids::sdo("note", &format!("left-out:{content}"));
        let mut m = self.sdo("note", &id, assessed, Some(&self.tool.clone()));
        m.insert("abstract".into(), json!("ascribe: evidence with no STIX home"));
        m.insert("content".into(), json!(escape::stix(&content)));
        m.insert("object_refs".into(), json!([self.tool]));
        m.insert("labels".into(), json!([ASSESSMENT_LABEL]));
        self.push(Json::Object(m));
    }
}

/// The STIX id of a report of the evidence.
fn report_id(report: &str) -> String {
    ids::sdo("report", &format!("report:{report}"))
}

/// The STIX infrastructure type of an observation role (the importer's inverse).
fn infrastructure_type(role: &str) -> Option<&'static str> {
    Some(match role {
        "c2" => "command-and-control",
        "exfiltration" => "exfiltration",
        "staging" => "staging",
        "phishing" => "phishing",
        "distribution" => "hosting-malware",
        _ => return None,
    })
}

/// The STIX hash algorithm of a hex digest, by its length.
fn hash_algorithm(value: &str) -> Option<&'static str> {
    if !value.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    match value.len() {
        32 => Some("MD5"),
        40 => Some("SHA-1"),
        64 => Some("SHA-256"),
        128 => Some("SHA-512"),
        _ => None,
    }
}

/// "T1059.001 PowerShell" → (Some("T1059.001"), "PowerShell").
fn split_technique(value: &str) -> (Option<&str>, &str) {
    if let Some((first, rest)) = value.split_once(' ') {
        let digits = first.strip_prefix('T').unwrap_or("");
        let (main, sub) = digits.split_once('.').unwrap_or((digits, ""));
        let ok = main.len() == 4
            && main.chars().all(|c| c.is_ascii_digit())
            && (sub.is_empty() || (sub.len() == 3 && sub.chars().all(|c| c.is_ascii_digit())));
        if ok && !rest.trim().is_empty() {
            return (Some(first), rest.trim());
        }
    }
    (None, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn techniques_split_their_attack_id() {
        assert_eq!(split_technique("T1059.001 PowerShell"), (Some("T1059.001"), "PowerShell"));
        assert_eq!(split_technique("T9001 Example Technique"), (Some("T9001"), "Example Technique"));
        assert_eq!(split_technique("a firmware implant"), (None, "a firmware implant"));
        assert_eq!(split_technique("T12 x"), (None, "T12 x"));
    }

    #[test]
    fn hashes_are_named_by_length() {
        assert_eq!(hash_algorithm(&"a".repeat(64)), Some("SHA-256"));
        assert_eq!(hash_algorithm("xyz"), None);
    }
}
