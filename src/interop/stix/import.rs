//! A STIX 2.1 bundle → an evidence [`Document`]. Domain objects become
//! sources, actors, incidents and artifacts; relationships become the
//! assertions of reports (the STIX reports, notes and opinions that list them,
//! or one report per relationship by its creator). Whatever has no home in the
//! evidence model is listed with the reason, never dropped in silence. The
//! mapping is the table of docs/stix.md.

use super::confidence;
use super::model::Object;
use super::parse::{self, Parsed};
use crate::evidence::locate;
use crate::interop::document::{self, Actor, Artifact, Assertion, Document, Ids, Incident, Question, Report, Source};
use crate::prelude::*;
use crate::schema::{ACTOR_KINDS, CUSTOM_PREFIX, SOURCE_KINDS};

/// The label ascribe puts on the objects of its own assessment: they are
/// conclusions, not evidence, and are never imported back.
pub const ASSESSMENT_LABEL: &str = "ascribe-assessment";

/// The label ascribe puts on relationships that stand for certain entity
/// fields (an actor's `tools`, an incident's `victim_country`): imported back
/// into those fields rather than as reported statements.
pub const ENTITY_LABEL: &str = "ascribe-entity";

/// The label of the opinion by which an exported report withdraws another
/// (`retracts`): read back as the withdrawal of the report that lists it.
pub const RETRACTION_LABEL: &str = "ascribe-retraction";

/// The `source_name` of the external reference carrying an object's ascribe id,
/// which the import gives it back.
pub const ASCRIBE_REFERENCE: &str = "ascribe";

/// Objects left out are warned about one by one up to this many, the rest in
/// one warning (the evidence's description lists them all).
pub const MAX_WARNINGS: usize = 100;

/// Warnings quote the bundle's text only when no line is longer than this (bytes).
pub const MAX_QUOTED_LINE: usize = 16 * 1024;

/// What the analyst says about sources the bundle does not grade.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Identity id or name → reliability letter and, optionally, source kind.
    pub sources: BTreeMap<String, SourceGrade>,
    /// Whether to ask, for each incident, which actor of the bundle is responsible.
    pub questions: bool,
}

/// How the analyst grades one identity (`--sources`): a reliability letter, a source
/// kind, or both.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceGrade {
    /// Admiralty reliability, `A` to `F`, overriding `x_opencti_reliability`.
    pub reliability: Option<String>,
    /// Source kind (vendor, government, ...), instead of the one read from
    /// `identity_class` and `sectors`.
    pub kind: Option<String>,
}

/// An object or relationship the evidence model has no home for.
#[derive(Debug, Clone)]
pub struct Unmapped {
    /// Its place in the bundle's `objects`.
    pub index: usize,
    /// Its STIX id.
    pub id: String,
    /// Its STIX type (`sighting`, `relationship`, ...).
    pub ty: String,
    /// Its name, value or id, for people.
    pub label: String,
    /// Why the evidence model has no home for it.
    pub reason: String,
}

/// The result of an import: the document, what was left out and why, and
/// warnings (one per object left out) for the command line.
#[derive(Debug)]
pub struct Imported {
    /// The evidence read from the bundle.
    pub document: Document,
    /// What was left out, in bundle order.
    pub unmapped: Vec<Unmapped>,
    /// One warning per object left out (at most [`MAX_WARNINGS`], then one for the
    /// rest).
    pub warnings: Diagnostics,
    /// Objects mapped (entities, containers, relationships).
    pub mapped: usize,
}

/// Imports a bundle; errors (malformed JSON, bad values, broken references
/// that leave nothing to map) stop it.
pub fn import(text: &str, file: SourceId, options: &Options) -> Result<Imported, Diagnostics> {
    let (objects, errors) = parse::parse(text, file);
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut importer = Importer::new(text, file, options, objects);
    importer.check();
    if !importer.errors.is_empty() {
        return Err(importer.errors);
    }
    importer.run();
    if !importer.errors.is_empty() {
        return Err(importer.errors);
    }
    Ok(importer.finish())
}

/// How one report refers to another.
#[derive(Debug, Clone, Copy, PartialEq)]
enum LinkKind {
    /// `retracts`: an opinion labelled [`RETRACTION_LABEL`] the report lists.
    Retracts,
    /// `based_on`: the report `derived-from` the other.
    DerivedFrom,
    /// `based_on`, the later of two reports repeating the earlier: `duplicate-of`.
    DuplicateOf,
}

/// A link between two STIX reports, resolved once every report has its ascribe id.
#[derive(Debug, Clone)]
struct Link {
    kind: LinkKind,
    /// The STIX id of the report that withdraws or repeats.
    from: String,
    /// The STIX id of the report withdrawn or repeated.
    to: String,
    /// The object that says so (the opinion or the relationship).
    by: usize,
}

/// What a relationship maps to.
enum Mapping {
    /// Assertions of whoever reports the relationship.
    Asserted(Vec<Assertion>),
    /// A certain entity field, already applied.
    Entity,
    /// No home, with the reason.
    None(String),
}

struct Importer<'a> {
    text: &'a str,
    file: SourceId,
    options: &'a Options,
    objects: Vec<Parsed>,
    /// STIX id → index in `objects` (the newest version when several are given).
    by_id: HashMap<String, usize>,
    /// STIX id → ascribe id of the entity it became.
    ids_of: HashMap<String, String>,
    ids: Ids,
    doc: Document,
    /// STIX identity id (or "" for no creator) → ascribe source id.
    sources_of: BTreeMap<String, String>,
    /// Relationship index → its assertions (unhedged).
    asserted: BTreeMap<usize, Vec<Assertion>>,
    /// Relationships listed by a report, note or agreeing opinion.
    contained: BTreeSet<usize>,
    mapped: BTreeSet<usize>,
    unmapped: BTreeMap<usize, String>,
    errors: Diagnostics,
    bundle_id: String,
    /// Withdrawals and echoes between reports.
    links: Vec<Link>,
    /// STIX report id → index in the document's reports.
    report_at: HashMap<String, usize>,
    /// Opinions labelled [`RETRACTION_LABEL`] that a report lists → that report.
    retraction_in: BTreeMap<usize, usize>,
}

fn is_actor(ty: &str) -> bool {
    matches!(ty, "intrusion-set" | "threat-actor")
}

fn is_incident(ty: &str) -> bool {
    matches!(ty, "campaign" | "incident")
}

fn is_container(ty: &str) -> bool {
    matches!(ty, "report" | "note" | "opinion")
}

/// Cyber-observables mapped to artifacts, with their artifact kind.
fn observable_kind(o: &Object) -> Option<&'static str> {
    Some(match o.ty.as_str() {
        "ipv4-addr" | "ipv6-addr" => "ip",
        "domain-name" => "domain",
        "url" => "url",
        "email-addr" => "email",
        "x509-certificate" => "certificate",
        "file" if !o.hashes.is_empty() => "hash",
        _ => return None,
    })
}

/// The artifact kind of a domain object or observable, if it becomes one.
fn artifact_kind(o: &Object) -> Option<&'static str> {
    Some(match o.ty.as_str() {
        "malware" => "malware",
        "tool" => "tool",
        "attack-pattern" => "technique",
        "infrastructure" => "x-infrastructure",
        "indicator" => "x-indicator",
        _ => return observable_kind(o),
    })
}

/// The preferred hash of a file or certificate: SHA-256, then SHA-1, then the first.
fn preferred_hash(o: &Object) -> Option<&str> {
    ["SHA-256", "SHA-1", "MD5"].iter().find_map(|k| o.hashes.get(*k)).or_else(|| o.hashes.values().next()).map(String::as_str)
}

/// An ISO 8601 / RFC 3339 timestamp's date, if it has a valid one.
fn date_of(timestamp: &str) -> Option<String> {
    let day = timestamp.get(..10)?;
    Date::parse(day).map(|_| day.to_string())
}

impl<'a> Importer<'a> {
    fn new(text: &'a str, file: SourceId, options: &'a Options, objects: Vec<Parsed>) -> Self {
        let bundle_id = serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .and_then(|v| v.get("id").and_then(|i| i.as_str()).map(str::to_string))
            .unwrap_or_default();
        Importer {
            text,
            file,
            options,
            objects,
            by_id: HashMap::new(),
            ids_of: HashMap::new(),
            ids: Ids::default(),
            doc: Document::default(),
            sources_of: BTreeMap::new(),
            asserted: BTreeMap::new(),
            contained: BTreeSet::new(),
            mapped: BTreeSet::new(),
            unmapped: BTreeMap::new(),
            errors: Diagnostics::default(),
            bundle_id,
            links: vec![],
            report_at: HashMap::new(),
            retraction_in: BTreeMap::new(),
        }
    }

    fn error(&mut self, index: usize, field: &str, message: String, help: &str) {
        let parsed = &self.objects[index];
        let path = if field.is_empty() { format!("objects[{}]", parsed.index) } else { format!("objects[{}].{field}", parsed.index) };
        // Pretty-printed bundles are located to the field; others to the object.
        let span = locate::locate(self.text, &path)
            .filter(|(start, _)| *start >= parsed.start && *start < parsed.end)
            .or(Some((parsed.start, (parsed.start + 1).min(parsed.end))));
        self.errors.push(parse::at(self.file, &path, span, message).help(help.to_string()));
    }

    fn leave_out(&mut self, index: usize, reason: impl Into<String>) {
        self.unmapped.entry(index).or_insert_with(|| reason.into());
    }

    /// Ids, versions, confidences and dates, before anything is mapped.
    fn check(&mut self) {
        for i in 0..self.objects.len() {
            let o = self.objects[i].object.clone();
            let (id, ty) = (o.id.clone(), o.ty.clone());
            let prefix = format!("{ty}--");
            if !id.starts_with(&prefix) || id.len() == prefix.len() {
                self.error(i, "id", format!("`{id}` is not an id of a `{ty}`"), "a STIX id is the object's type, `--` and a UUID");
                continue;
            }
            if let Some(c) = o.confidence.filter(|c| *c > 100) {
                self.error(i, "confidence", format!("confidence {c} is more than 100"), "STIX confidence is a whole number from 0 to 100");
            }
            for (field, value) in
                [("created", &o.created), ("modified", &o.modified), ("published", &o.published), ("first_seen", &o.first_seen)]
            {
                if let Some(v) = value {
                    if date_of(v).is_none() {
                        self.error(
                            i,
                            field,
                            format!("`{v}` is not a timestamp"),
                            "write timestamps as RFC 3339, e.g. 2016-05-12T08:17:27.000Z",
                        );
                    }
                }
            }
            match self.by_id.get(&id).copied() {
                None => {
                    self.by_id.insert(id, i);
                }
                Some(j) => {
                    // Several versions of one object: the newest counts.
                    let newer = o.modified.clone().unwrap_or_default() > self.objects[j].object.modified.clone().unwrap_or_default();
                    let (keep, drop) = if newer { (i, j) } else { (j, i) };
                    self.by_id.insert(id.clone(), keep);
                    self.leave_out(drop, format!("an older version of {id} (the newest is kept)"));
                }
            }
        }
    }

    fn current(&self, i: usize) -> bool {
        self.by_id.get(&self.objects[i].object.id) == Some(&i) && !self.unmapped.contains_key(&i)
    }

    fn get(&self, id: &str) -> Option<&Object> {
        self.by_id.get(id).map(|&i| &self.objects[i].object)
    }

    fn run(&mut self) {
        for i in 0..self.objects.len() {
            if !self.current(i) {
                continue;
            }
            let o = &self.objects[i].object;
            if o.labels.iter().any(|l| l == ASSESSMENT_LABEL) {
                self.leave_out(i, "ascribe's own assessment: a conclusion, not evidence");
            } else if o.revoked {
                self.leave_out(i, "revoked by its creator");
            }
        }
        for i in 0..self.objects.len() {
            if self.current(i) {
                self.entity(i);
            }
        }
        for i in 0..self.objects.len() {
            if self.current(i) && self.objects[i].object.ty == "relationship" {
                self.relationship(i);
            }
        }
        // Withdrawals: the opinions labelled as such that a report lists.
        for i in 0..self.objects.len() {
            if !self.current(i) || self.objects[i].object.ty != "report" {
                continue;
            }
            for r in &self.objects[i].object.object_refs {
                let Some(&j) = self.by_id.get(r) else { continue };
                let o = &self.objects[j].object;
                if o.ty == "opinion" && o.labels.iter().any(|l| l == RETRACTION_LABEL) && self.current(j) {
                    self.retraction_in.entry(j).or_insert(i);
                }
            }
        }
        for i in 0..self.objects.len() {
            if !self.current(i) || !is_container(&self.objects[i].object.ty) || self.retraction_in.contains_key(&i) {
                continue;
            }
            let o = &self.objects[i].object;
            if o.ty == "opinion" && o.labels.iter().any(|l| l == RETRACTION_LABEL) {
                self.leave_out(i, "a withdrawal (labelled ascribe-retraction) that no report lists: nothing says who withdraws");
                continue;
            }
            self.container(i);
        }
        self.resolve_links();
        let standalone: Vec<usize> = self.asserted.keys().copied().filter(|i| !self.contained.contains(i)).collect();
        for i in standalone {
            self.standalone(i);
        }
        // Identities and locations that nothing used, observed-data that nothing linked.
        for i in 0..self.objects.len() {
            if !self.current(i) || self.mapped.contains(&i) {
                continue;
            }
            let o = &self.objects[i].object;
            let reason = match o.ty.as_str() {
                "identity" if o.identity_class.as_deref() == Some("system") && o.name.as_deref() == Some("ascribe") => {
                    "ascribe itself, the author of the assessment in the bundle"
                }
                "identity" => "an identity that created nothing here and that nothing targets",
                "location" => "a location that no mapped relationship refers to, or with no country code",
                "observed-data" => "observed data that no mapped relationship links to an incident",
                "relationship" | "report" | "note" | "opinion" => continue,
                "sighting" => "a sighting: the evidence model has no home for where and how often something was seen",
                "grouping" => "a grouping is context shared for analysis, not a statement",
                "marking-definition" | "extension-definition" | "language-content" => "a meta object: not evidence",
                "vulnerability" | "course-of-action" => "no home in the evidence model (only what points to an actor is)",
                t if t.starts_with("x-") => "a custom object type",
                _ => "no home in the evidence model",
            };
            self.leave_out(i, reason);
        }
        if self.options.questions {
            let hypotheses: Vec<String> = self.doc.actors.iter().map(|a| a.id.clone()).collect();
            if !hypotheses.is_empty() {
                let incidents: Vec<(String, String)> = self.doc.incidents.iter().map(|n| (n.id.clone(), n.name.clone())).collect();
                for (incident, name) in incidents {
                    let id = self.ids.unique(&format!("who-{incident}"));
                    self.doc.questions.push(Question {
                        id,
                        incident,
                        text: Some(format!("Who is responsible for {name}?")),
                        hypotheses: hypotheses.clone(),
                    });
                }
            }
        }
    }

    /// Domain objects and observables that become entities.
    fn entity(&mut self, i: usize) {
        let o = self.objects[i].object.clone();
        let own = own_id(&o);
        if is_actor(&o.ty) {
            let id = self.ids.unique(&own.unwrap_or_else(|| document::slug(o.label())));
            let kind = match o.x_ascribe_actor_kind.as_deref() {
                Some(k) if ACTOR_KINDS.contains(&k) || k.starts_with(CUSTOM_PREFIX) => k.to_string(),
                _ if o.ty == "intrusion-set" => "group".into(),
                _ => actor_kind(&o.threat_actor_types).into(),
            };
            self.doc.actors.push(Actor { id: id.clone(), name: o.label().into(), country: None, kind: Some(kind), tools: vec![] });
            self.ids_of.insert(o.id.clone(), id);
            self.mapped.insert(i);
        } else if is_incident(&o.ty) {
            let date = o.first_seen.as_deref().or(o.created.as_deref()).and_then(date_of);
            let Some(date) = date else {
                self.error(i, "", format!("{} `{}` has no date", o.ty, o.label()), "give it `first_seen` or `created`");
                return;
            };
            let id = self.ids.unique(&own.unwrap_or_else(|| document::slug(o.label())));
            self.doc.incidents.push(Incident { id: id.clone(), name: o.label().into(), date, victim_country: None, sectors: vec![] });
            self.ids_of.insert(o.id.clone(), id);
            self.mapped.insert(i);
        } else if let Some(kind) = artifact_kind(&o) {
            let value = match o.ty.as_str() {
                "attack-pattern" => match o.attack_id() {
                    Some(tid) => format!("{tid} {}", o.label()),
                    None => o.label().to_string(),
                },
                "indicator" => o.pattern.clone().unwrap_or_else(|| o.label().to_string()),
                "file" => preferred_hash(&o).unwrap_or_default().to_string(),
                "x509-certificate" => {
                    preferred_hash(&o).map(str::to_string).or(o.serial_number.clone()).or(o.subject.clone()).unwrap_or_default()
                }
                _ => o.label().to_string(),
            };
            if value.is_empty() {
                self.leave_out(i, "an observable with no value, hash or serial number");
                return;
            }
            let wanted = match o.ty.as_str() {
                "attack-pattern" => document::slug(o.attack_id().unwrap_or(o.label())),
                "ipv4-addr" | "ipv6-addr" => format!("ip-{}", document::slug(&value)),
                "domain-name" => format!("domain-{}", document::slug(&value)),
                "file" | "x509-certificate" => format!("{kind}-{}", document::slug(&value).chars().take(16).collect::<String>()),
                "indicator" => match document::slug(o.name.as_deref().unwrap_or(&short(&o.id))) {
                    // ascribe names the indicators it exports by their artifact id.
                    n if n.starts_with("indicator-") => n,
                    n => format!("indicator-{n}"),
                },
                _ => document::slug(&value),
            };
            let id = self.ids.unique(&own.unwrap_or(wanted));
            // ATT&CK's software of kind "tool" is commercial, open-source, built-in
            // or publicly available: its use says little about who used it.
            let public = (o.ty == "tool").then_some(true);
            self.doc.artifacts.push(Artifact { id: id.clone(), kind: kind.into(), value, public });
            self.ids_of.insert(o.id.clone(), id);
            self.mapped.insert(i);
        } else if o.ty == "observed-data" && o.objects.is_some() && o.object_refs.is_empty() {
            self.leave_out(
                i,
                "STIX 2.0 embedded observables (`objects`): give them as objects of the bundle, referred to by `object_refs`",
            );
        }
    }

    /// The ascribe ids of the artifacts a relationship's end stands for (an
    /// observed-data stands for its observables).
    fn artifacts_of(&self, o: &Object) -> Vec<String> {
        if o.ty == "observed-data" {
            return o.object_refs.iter().filter_map(|r| self.ids_of.get(r)).cloned().collect();
        }
        if artifact_kind(o).is_some() {
            return self.ids_of.get(&o.id).cloned().into_iter().collect();
        }
        vec![]
    }

    fn relationship(&mut self, i: usize) {
        let r = self.objects[i].object.clone();
        let (Some(verb), Some(src), Some(dst)) = (r.relationship_type.clone(), r.source_ref.clone(), r.target_ref.clone()) else {
            self.error(
                i,
                "",
                "a relationship needs `relationship_type`, `source_ref` and `target_ref`".into(),
                "see STIX 2.1, section 5.1",
            );
            return;
        };
        let (Some(s), Some(t)) = (self.get(&src).cloned(), self.get(&dst).cloned()) else {
            let missing = if self.get(&src).is_none() { src } else { dst };
            self.leave_out(i, format!("refers to {missing}, which is not in the bundle"));
            return;
        };
        if s.ty == "report" && t.ty == "report" {
            let kind = match verb.as_str() {
                "derived-from" => LinkKind::DerivedFrom,
                "duplicate-of" => LinkKind::DuplicateOf,
                _ => {
                    return self.leave_out(
                        i,
                        format!("`report {verb} report`: only `derived-from` and `duplicate-of` say that a report repeats another"),
                    )
                }
            };
            self.links.push(Link { kind, from: s.id.clone(), to: t.id.clone(), by: i });
            return;
        }
        if !self.ascribe_words_are_known(i, &r) {
            return;
        }
        let sid = self.ids_of.get(&s.id).cloned();
        let tid = self.ids_of.get(&t.id).cloned();
        let certain = r.labels.iter().any(|l| l == ENTITY_LABEL);
        let mapping = self.map_relationship(&verb, &s, &t, sid.as_deref(), tid.as_deref(), certain);
        match mapping {
            Mapping::Asserted(a) if a.is_empty() => self.leave_out(i, "nothing to assert"),
            Mapping::Asserted(mut a) => {
                // What ascribe's export carries beyond the relationship vocabulary.
                for assertion in &mut a {
                    let word = match assertion.ty {
                        "attribution" => r.x_ascribe_form.as_ref().map(|f| ("form", f)),
                        "observed" => r.x_ascribe_role.as_ref().map(|f| ("role", f)),
                        _ => None,
                    };
                    if let Some((field, value)) = word {
                        match assertion.fields.iter_mut().find(|(k, _)| *k == field) {
                            Some(slot) => slot.1 = value.clone(),
                            None => assertion.fields.push((field, value.clone())),
                        }
                    }
                }
                self.asserted.insert(i, a);
                self.mapped.insert(i);
                if let Some(&j) = self.by_id.get(&t.id) {
                    if matches!(t.ty.as_str(), "location" | "identity" | "observed-data") {
                        self.mapped.insert(j);
                    }
                }
            }
            Mapping::Entity => {
                self.mapped.insert(i);
                if let Some(&j) = self.by_id.get(&t.id) {
                    self.mapped.insert(j);
                }
            }
            Mapping::None(reason) => self.leave_out(i, reason),
        }
    }

    /// Whether the words of ascribe's custom properties on a relationship are in their
    /// vocabularies (an error with a suggestion for each that is not).
    fn ascribe_words_are_known(&mut self, i: usize, r: &Object) -> bool {
        let schema = Schema::standard();
        let mut known = true;
        for (property, value, ty, field) in [
            ("x_ascribe_form", &r.x_ascribe_form, "attribution", "form"),
            ("x_ascribe_confidence", &r.x_ascribe_confidence, "attribution", "confidence"),
            ("x_ascribe_role", &r.x_ascribe_role, "observed", "role"),
        ] {
            let Some(value) = value else { continue };
            let spec = schema.lookup(ty).map(|t| schema.get(t));
            let refused = spec.and_then(|s| s.field(field).map(|f| &s.fields[f])).and_then(|f| f.refuses(value));
            if let Some(why) = refused {
                self.error(i, property, format!("`{value}` is not a {field} ascribe knows"), &why);
                known = false;
            }
        }
        known
    }

    fn map_relationship(&mut self, verb: &str, s: &Object, t: &Object, sid: Option<&str>, tid: Option<&str>, certain: bool) -> Mapping {
        let (st, tt) = (s.ty.as_str(), t.ty.as_str());
        let none = |why: &str| Mapping::None(format!("`{st} {verb} {tt}`: {why}"));
        match verb {
            "attributed-to" => match (sid, tid) {
                (Some(inc), Some(actor)) if is_incident(st) && is_actor(tt) => {
                    Mapping::Asserted(vec![Assertion::new("attribution", &[("incident", inc), ("actor", actor)])])
                }
                (Some(a), Some(b)) if is_actor(st) && is_actor(tt) => {
                    Mapping::Asserted(vec![Assertion::new("operated_by", &[("actor", a), ("operator", b)])])
                }
                _ => none("only campaign → intrusion-set/threat-actor (attribution) and intrusion-set → threat-actor (operated_by) have a home"),
            },
            "uses" => match (sid, tid) {
                (Some(inc), Some(art)) if is_incident(st) && tt == "attack-pattern" => {
                    Mapping::Asserted(vec![Assertion::new("technique", &[("incident", inc), ("artifact", art)])])
                }
                (Some(inc), Some(art)) if is_incident(st) && matches!(tt, "malware" | "tool" | "infrastructure") => {
                    let role = match tt {
                        "malware" => Some("payload"),
                        "infrastructure" => infrastructure_role(&t.infrastructure_types),
                        _ => None,
                    };
                    let mut a = Assertion::new("observed", &[("artifact", art), ("incident", inc)]);
                    if let Some(role) = role {
                        a.fields.push(("role", role.into()));
                    }
                    Mapping::Asserted(vec![a])
                }
                (Some(actor), Some(art)) if is_actor(st) && artifact_kind(t).is_some() => {
                    if certain {
                        if let Some(a) = self.doc.actors.iter_mut().find(|a| a.id == actor) {
                            if !a.tools.iter().any(|x| x == art) {
                                a.tools.push(art.to_string());
                            }
                        }
                        Mapping::Entity
                    } else {
                        Mapping::Asserted(vec![Assertion::new("uses", &[("actor", actor), ("artifact", art)])])
                    }
                }
                _ if matches!(st, "malware" | "tool") => {
                    none("what software uses (its techniques, other software) describes the software, and the evidence model keeps no profile of software")
                }
                _ => none("no home in the evidence model"),
            },
            "indicates" => match (sid, tid) {
                (Some(art), Some(inc)) if st == "indicator" && is_incident(tt) => {
                    Mapping::Asserted(vec![Assertion::new("observed", &[("artifact", art), ("incident", inc)])])
                }
                (Some(art), Some(actor)) if st == "indicator" && is_actor(tt) => {
                    Mapping::Asserted(vec![Assertion::new("uses", &[("actor", actor), ("artifact", art)])])
                }
                _ => none("an indicator of software or a technique says nothing about who used it"),
            },
            "related-to" => {
                let (inc, other) = if is_incident(st) { (sid, t) } else if is_incident(tt) { (tid, s) } else { (None, s) };
                let arts = self.artifacts_of(other);
                match inc {
                    Some(inc) if !arts.is_empty() => Mapping::Asserted(
                        arts.iter().map(|a| Assertion::new("observed", &[("artifact", a.as_str()), ("incident", inc)])).collect(),
                    ),
                    _ => none("`related-to` says too little to be a campaign link, an alias or a use; only an incident related to an observable is mapped (as `observed`)"),
                }
            }
            "targets" => match (sid, tt) {
                (Some(inc), "location") if is_incident(st) => match t.country.as_deref() {
                    Some(c) if certain => {
                        if let Some(n) = self.doc.incidents.iter_mut().find(|n| n.id == inc) {
                            n.victim_country = Some(c.to_string());
                        }
                        Mapping::Entity
                    }
                    Some(c) => Mapping::Asserted(vec![Assertion::new("victim", &[("incident", inc), ("country", c)])]),
                    None => none("the location has no country code"),
                },
                (Some(inc), "identity") if is_incident(st) => {
                    if t.sectors.is_empty() {
                        return none("the targeted identity names no sector");
                    }
                    if let Some(n) = self.doc.incidents.iter_mut().find(|n| n.id == inc) {
                        for sector in &t.sectors {
                            if !n.sectors.contains(sector) {
                                n.sectors.push(sector.clone());
                            }
                        }
                    }
                    Mapping::Entity
                }
                (Some(actor), "location") if is_actor(st) => match t.country.as_deref() {
                    Some(c) => Mapping::Asserted(vec![Assertion::new("interest", &[("actor", actor), ("topic", c)])]),
                    None => none("the location has no country code"),
                },
                (Some(actor), "identity") if is_actor(st) => {
                    if t.sectors.is_empty() {
                        return none("the targeted identity names no sector");
                    }
                    Mapping::Asserted(t.sectors.iter().map(|x| Assertion::new("interest", &[("actor", actor), ("topic", x.as_str())])).collect())
                }
                _ => none("only incidents and actors targeting a country or a sector have a home"),
            },
            "located-at" | "originates-from" => match (sid, t.country.as_deref()) {
                (_, None) => none("the location has no country code"),
                (Some(actor), Some(c)) if is_actor(st) => {
                    let Some(a) = self.doc.actors.iter_mut().find(|a| a.id == actor) else { return none("no such actor") };
                    match &a.country {
                        None => {
                            a.country = Some(c.to_string());
                            Mapping::Entity
                        }
                        Some(home) if home == c => Mapping::Entity,
                        Some(home) => none(&format!("a second home country ({c}, besides {home}): an actor has one")),
                    }
                }
                (_, Some(c)) if verb == "located-at" && tt == "location" => {
                    let arts = self.artifacts_of(s);
                    if arts.is_empty() || !matches!(st, "ipv4-addr" | "ipv6-addr" | "domain-name" | "infrastructure") {
                        return none("only actors, addresses, domains and infrastructure have a home country or a geolocation");
                    }
                    Mapping::Asserted(arts.iter().map(|a| Assertion::new("geolocation", &[("artifact", a.as_str()), ("country", c)])).collect())
                }
                _ => none("an incident's origin has no home (its victims do: `targets`)"),
            },
            _ => none("no assertion type of the evidence model says this"),
        }
    }

    /// The ascribe source for a creator, made on first use.
    fn source(&mut self, creator: Option<&str>) -> String {
        let key = creator.unwrap_or("").to_string();
        if let Some(id) = self.sources_of.get(&key) {
            return id.clone();
        }
        let identity = creator.and_then(|c| self.by_id.get(c).copied()).filter(|&j| self.objects[j].object.ty == "identity");
        let (name, kind, reliability, wanted) = match identity {
            Some(j) => {
                self.mapped.insert(j);
                let o = &self.objects[j].object;
                let kind = match o.x_ascribe_source_kind.as_deref() {
                    Some(k) if SOURCE_KINDS.contains(&k) || k.starts_with(CUSTOM_PREFIX) => k.to_string(),
                    _ => source_kind(o).to_string(),
                };
                let reliability = o.x_opencti_reliability.as_deref().and_then(confidence::reliability);
                let wanted = own_id(o).unwrap_or_else(|| document::slug(o.label()));
                (o.label().to_string(), kind, reliability.map(str::to_string), wanted)
            }
            None => match creator {
                Some(c) => (c.to_string(), "other".to_string(), None, format!("identity-{}", document::slug(&short(c)))),
                None => ("no named creator".to_string(), "other".to_string(), None, "unattributed".to_string()),
            },
        };
        let grade = self.options.sources.get(&key).or_else(|| self.options.sources.get(&name));
        let kind = grade.and_then(|g| g.kind.clone()).unwrap_or(kind);
        let reliability = grade.and_then(|g| g.reliability.clone()).or(reliability).unwrap_or_else(|| "F".into());
        let id = self.ids.unique(&wanted);
        self.doc.sources.push(Source { id: id.clone(), name, kind, reliability });
        self.sources_of.insert(key, id.clone());
        id
    }

    /// A report, note or opinion: a report asserting the relationships it lists.
    fn container(&mut self, i: usize) {
        let o = self.objects[i].object.clone();
        let agrees = match o.ty.as_str() {
            "opinion" => matches!(o.opinion.as_deref(), Some("agree" | "strongly-agree")),
            _ => true,
        };
        let timestamp = match o.ty.as_str() {
            "report" => o.published.as_deref().or(o.created.as_deref()),
            _ => o.created.as_deref(),
        };
        let Some(date) = timestamp.and_then(date_of) else {
            self.error(
                i,
                if o.ty == "report" { "published" } else { "created" },
                format!("the {} has no date", o.ty),
                "give it a timestamp",
            );
            return;
        };
        let mut asserts = vec![];
        for r in &o.object_refs {
            let Some(&j) = self.by_id.get(r) else { continue };
            let Some(found) = self.asserted.get(&j) else { continue };
            if !agrees {
                continue;
            }
            let hedge = self.objects[j].object.confidence;
            if hedge == Some(0) {
                continue;
            }
            let stated = &self.objects[j].object.x_ascribe_confidence;
            let word = stated.as_deref().or_else(|| hedge.and_then(confidence::stated));
            asserts.extend(found.iter().cloned().map(|a| a.hedged(word)));
            self.contained.insert(j);
        }
        // The reports it withdraws, by the opinions it lists.
        let withdrawals: Vec<usize> = self.retraction_in.iter().filter(|(_, &r)| r == i).map(|(&j, _)| j).collect();
        for j in withdrawals {
            let opinion = &self.objects[j].object;
            if !matches!(opinion.opinion.as_deref(), Some("disagree" | "strongly-disagree")) {
                self.leave_out(j, "a withdrawal must disagree (`strongly-disagree`) with what it withdraws");
                continue;
            }
            let withdrawn: Vec<String> =
                opinion.object_refs.iter().filter(|r| self.get(r).is_some_and(|x| x.ty == "report")).cloned().collect();
            if withdrawn.is_empty() {
                self.leave_out(j, "a withdrawal that names no report of the bundle");
            }
            for to in withdrawn {
                self.links.push(Link { kind: LinkKind::Retracts, from: o.id.clone(), to, by: j });
            }
        }
        let linked = self.links.iter().any(|l| l.from == o.id);
        let source = self.source(o.created_by_ref.as_deref());
        let title = match o.ty.as_str() {
            "report" => o.name.clone(),
            "note" => o.summary.clone().or_else(|| o.content.clone()),
            _ => o.explanation.clone().or_else(|| o.opinion.as_ref().map(|v| format!("opinion: {v}"))),
        };
        let wanted = match (o.ty.as_str(), &o.name) {
            ("report", Some(name)) => document::slug(name),
            _ => format!("{}-{}", o.ty, document::slug(&short(&o.id))),
        };
        let own = own_id(&o);
        // ascribe names a report with no title by its id.
        let title = title.filter(|t| own.as_deref() != Some(t.as_str()));
        let id = self.ids.unique(&own.unwrap_or(wanted));
        if asserts.is_empty() && !linked {
            let why = if agrees {
                "lists no relationship that maps to an assertion; kept as a report asserting nothing"
            } else {
                "an opinion that does not agree: the evidence model has no assertion that another statement is false; kept as a report asserting nothing"
            };
            self.leave_out(i, why);
        } else {
            self.mapped.insert(i);
        }
        self.report_at.insert(o.id.clone(), self.doc.reports.len());
        self.doc.reports.push(Report {
            id,
            source,
            date,
            credibility: confidence::credibility(o.confidence),
            title,
            asserts,
            retracts: vec![],
            based_on: vec![],
        });
    }

    /// Withdrawals and echoes, once every report has its id: what a link names
    /// that is not a mapped report is left out, with the link.
    fn resolve_links(&mut self) {
        for link in std::mem::take(&mut self.links) {
            let (Some(&a), Some(&b)) = (self.report_at.get(&link.from), self.report_at.get(&link.to)) else {
                let missing = if self.report_at.contains_key(&link.from) { &link.to } else { &link.from };
                self.leave_out(link.by, format!("names {missing}, which is not a report this import keeps"));
                continue;
            };
            // Of two duplicates, the later repeats the earlier.
            let (a, b) = match link.kind {
                LinkKind::DuplicateOf if self.doc.reports[a].date < self.doc.reports[b].date => (b, a),
                _ => (a, b),
            };
            if a == b {
                self.leave_out(link.by, "a report that withdraws or repeats itself");
                continue;
            }
            if link.kind == LinkKind::Retracts && self.doc.reports[a].date < self.doc.reports[b].date {
                self.leave_out(link.by, "a withdrawal dated before the report it withdraws");
                continue;
            }
            let target = self.doc.reports[b].id.clone();
            let report = &mut self.doc.reports[a];
            let list = if link.kind == LinkKind::Retracts { &mut report.retracts } else { &mut report.based_on };
            if !list.contains(&target) {
                list.push(target);
            }
            self.mapped.insert(link.by);
        }
    }

    /// A relationship no report lists: its creator's own report, dated when it was created.
    fn standalone(&mut self, i: usize) {
        let r = self.objects[i].object.clone();
        let Some(asserts) = self.asserted.get(&i).cloned() else { return };
        let Some(date) = r.created.as_deref().and_then(date_of) else {
            self.error(i, "created", "the relationship has no creation date".into(), "give it `created`");
            return;
        };
        let source = self.source(r.created_by_ref.as_deref());
        let label = |id: &Option<String>| id.as_deref().and_then(|x| self.get(x)).map(|o| o.label().to_string()).unwrap_or_default();
        let verb = r.relationship_type.clone().unwrap_or_default();
        let title = format!("{} {verb} {}", label(&r.source_ref), label(&r.target_ref));
        let wanted = format!("rel-{}", document::slug(&title));
        let id = self.ids.unique(&wanted);
        self.doc.reports.push(Report {
            id,
            source,
            date,
            credibility: confidence::credibility(r.confidence),
            title: Some(title),
            asserts,
            retracts: vec![],
            based_on: vec![],
        });
    }

    fn finish(mut self) -> Imported {
        let mut warnings = Diagnostics::default();
        let mut unmapped = vec![];
        // Quoting a line of a minified bundle (megabytes long) in each warning would
        // take minutes: such warnings name the path alone.
        let quotable = self.text.split('\n').all(|line| line.len() <= MAX_QUOTED_LINE);
        for (&i, reason) in &self.unmapped {
            let p = &self.objects[i];
            let o = &p.object;
            unmapped.push(Unmapped {
                index: p.index,
                id: o.id.clone(),
                ty: o.ty.clone(),
                label: o.label().to_string(),
                reason: reason.clone(),
            });
            if warnings.0.len() < MAX_WARNINGS {
                let path = format!("objects[{}]", p.index);
                let span = quotable.then_some((p.start, (p.start + 1).min(p.end)));
                warnings.push(parse::at(self.file, &path, span, not_mapped_message(o, reason)).warning());
            }
        }
        if unmapped.len() > MAX_WARNINGS {
            let more = unmapped.len() - MAX_WARNINGS;
            warnings.push(
                parse::at(self.file, "objects", None, format!("{more} more object(s) are not mapped"))
                    .help("`ascribe import stix` lists every one, with the reason, in the evidence's description")
                    .warning(),
            );
        }
        let mapped = self.mapped.len();
        let mut description = format!(
            "Imported from the STIX 2.1 bundle {} by `ascribe import stix`: {mapped} object(s) mapped, {} not mapped.",
            self.bundle_id,
            unmapped.len()
        );
        if !unmapped.is_empty() {
            description.push_str("\nNot mapped:");
            for u in &unmapped {
                let name = if u.label == u.id { String::new() } else { format!(" ({})", u.label) };
                description.push_str(&format!("\n- {} {}{name}: {}", u.ty, u.id, u.reason));
            }
        }
        self.doc.description = Some(description);
        Imported { document: self.doc, unmapped, warnings, mapped }
    }
}

/// The ascribe id an object carries (ascribe's export writes it as an external
/// reference), when it is a plain id; otherwise the import makes one.
fn own_id(o: &Object) -> Option<String> {
    let id = o.external_id(ASCRIBE_REFERENCE)?;
    let plain = !id.is_empty() && id.len() <= 200 && id.chars().all(|c| c.is_alphanumeric() || "-_.:".contains(c));
    plain.then(|| id.to_string())
}

/// The first eight characters of an id's UUID, for ids of objects with no name.
fn short(id: &str) -> String {
    id.split("--").nth(1).unwrap_or(id).chars().take(8).collect()
}

/// The actor kind of a threat actor's `threat_actor_types`.
fn actor_kind(types: &[String]) -> &'static str {
    for t in types {
        match t.as_str() {
            "nation-state" | "spy" => return "state",
            "crime-syndicate" | "criminal" => return "criminal",
            "activist" | "hacker" => return "hacktivist",
            "insider-accidental" | "insider-disgruntled" => return "insider",
            _ => {}
        }
    }
    "other"
}

/// The source kind of an identity: from its class and sectors.
fn source_kind(o: &Object) -> &'static str {
    if o.identity_class.as_deref() == Some("individual") {
        return "expert";
    }
    for s in &o.sectors {
        match s.as_str() {
            s if s.starts_with("government") || s == "defense" => return "government",
            "law-enforcement" => return "investigation",
            "technology" => return "vendor",
            "communications" | "media" => return "media",
            _ => {}
        }
    }
    "other"
}

/// The observation role of infrastructure, from its `infrastructure_types`.
fn infrastructure_role(types: &[String]) -> Option<&'static str> {
    types.iter().find_map(|t| match t.as_str() {
        "command-and-control" => Some("c2"),
        "exfiltration" => Some("exfiltration"),
        "staging" => Some("staging"),
        "phishing" => Some("phishing"),
        "hosting-malware" => Some("distribution"),
        _ => None,
    })
}

/// "malware malware--… (OldLoader) is not mapped: revoked by its creator".
fn not_mapped_message(o: &Object, reason: &str) -> String {
    let name = if o.label() == o.id { String::new() } else { format!(" ({})", crate::report::escape::text(o.label())) };
    format!("{} {}{name} is not mapped: {reason}", o.ty, o.id)
}
