//! MITRE ATT&CK's published STIX bundle → evidence: groups become actors whose
//! profiles are dated, sourced statements ("group G used software S /
//! technique T", one report per relationship, with ATT&CK's citation and the
//! relationship's date) rather than certain entity fields, so `--as-of` replays
//! what ATT&CK knew then and each statement can be traced to its citation.
//! Campaigns become incidents with the software and techniques ATT&CK observed
//! in them. ATT&CK's campaign → group attributions are the answer a benchmark
//! checks, so they are written apart ([`Truth`]), never as evidence.
//! Revoked and deprecated objects are skipped and counted. ATT&CK compiles what
//! others published: with `--sources`, a statement whose citation names a
//! source the analyst grades is that source's report, ATT&CK only relaying it.
//! See docs/stix.md.

use super::document::{self, Actor, Artifact, Assertion, Document, Ids, Incident, Question, Report, Source};
use super::stix::import::SourceGrade;
use super::stix::model::{ExternalReference, Object};
use super::stix::parse;
use crate::prelude::*;
use serde::Serialize;

/// How to grade ATT&CK and what to write besides its statements (`import attack`'s
/// `--reliability`, `--credibility`, `--sources` and `--no-questions`).
#[derive(Debug, Clone)]
pub struct Options {
    /// Admiralty reliability of ATT&CK as a source (unless `sources` grades it).
    pub reliability: String,
    /// Grades by name: ATT&CK itself (`mitre-attack`, `MITRE ATT&CK`, or its identity's
    /// id or name), and the sources ATT&CK cites (the `source_name` of a
    /// relationship's external references), whose statements become their own.
    pub sources: BTreeMap<String, SourceGrade>,
    /// Admiralty credibility of each statement.
    pub credibility: u8,
    /// Whether to ask, for each campaign, which group is responsible.
    pub questions: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { reliability: "B".into(), credibility: 2, sources: BTreeMap::new(), questions: true }
    }
}

/// The id of the one source every statement comes from.
pub const SOURCE_ID: &str = "mitre-attack";

/// ATT&CK's own attributions of its campaigns: the answers, kept out of the evidence.
#[derive(Serialize, Debug, Default, Clone)]
pub struct Truth {
    /// What the file holds, for people reading it.
    pub note: String,
    /// One entry per campaign → group `attributed-to` relationship.
    pub campaigns: Vec<TruthEntry>,
}

/// One of ATT&CK's attributions: a campaign, the group it names, when and on what
/// citations.
#[derive(Serialize, Debug, Clone)]
pub struct TruthEntry {
    /// The question's incident id in the evidence.
    pub incident: String,
    /// ATT&CK's campaign id (`C0022`).
    pub campaign: String,
    /// The actor id in the evidence.
    pub actor: String,
    /// ATT&CK's group id (`G0032`).
    pub group: String,
    /// When ATT&CK recorded the attribution.
    pub date: String,
    /// ATT&CK's citations of the relationship (`external_references`: name,
    /// description, URL).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub citations: Vec<String>,
}

/// How many objects of each kind were mapped, skipped or left out.
#[derive(Debug, Default, Clone)]
pub struct Counts {
    /// Type (relationships as `relationship uses intrusion-set→malware`) → count.
    pub mapped: BTreeMap<String, usize>,
    /// Revoked objects skipped, by type (revoked relationships as `relationship`).
    pub revoked: BTreeMap<String, usize>,
    /// Deprecated objects (`x_mitre_deprecated`) skipped, by type (deprecated
    /// relationships as `relationship`).
    pub deprecated: BTreeMap<String, usize>,
    /// Relationships to or from a skipped object.
    pub dangling: usize,
    /// No home in the evidence model, by type, with the reason.
    pub not_mapped: BTreeMap<String, (usize, &'static str)>,
    /// Sub-techniques whose parent technique is not in the bundle.
    pub orphans: usize,
    /// Statements reported by a cited source that `--sources` grades, by its name.
    pub cited: BTreeMap<String, usize>,
    /// `--sources` entries that name neither ATT&CK nor a source its statements cite.
    pub unmatched: Vec<String>,
    /// The `--sources` entry that grades ATT&CK itself, if one does.
    pub attack_graded_by: Option<String>,
}

/// The result of an ATT&CK import: the evidence, the ground truth kept apart from it,
/// and the counts.
#[derive(Debug)]
pub struct Imported {
    /// The evidence: actors, artifacts, incidents, one report per statement and, if
    /// asked for, the questions.
    pub document: Document,
    /// ATT&CK's attributions of its campaigns, written with `--truth`, never as
    /// evidence.
    pub truth: Truth,
    /// What was mapped, skipped and left out.
    pub counts: Counts,
}

impl Imported {
    /// What was mapped and skipped, for people.
    pub fn summary(&self) -> String {
        let c = &self.counts;
        let total = |m: &BTreeMap<String, usize>| m.values().sum::<usize>();
        let mut out = format!(
            "ATT&CK import: {} actors, {} incidents, {} artifacts, {} reports, {} ground-truth attributions",
            self.document.actors.len(),
            self.document.incidents.len(),
            self.document.artifacts.len(),
            self.document.reports.len(),
            self.truth.campaigns.len()
        );
        out.push_str(&format!(
            "\n  objects mapped: {}; skipped: {} revoked, {} deprecated, {} relationships to or from them",
            total(&c.mapped),
            total(&c.revoked),
            total(&c.deprecated),
            c.dangling
        ));
        for (what, n) in &c.mapped {
            out.push_str(&format!("\n  mapped {what}: {n}"));
        }
        for (what, (n, why)) in &c.not_mapped {
            out.push_str(&format!("\n  not mapped {what}: {n} ({why})"));
        }
        if c.orphans > 0 {
            out.push_str(&format!("\n  sub-techniques whose parent is not in the bundle: {}", c.orphans));
        }
        for (name, n) in &c.cited {
            out.push_str(&format!("\n  statements of the cited source {name}: {n}"));
        }
        if !c.unmatched.is_empty() {
            out.push_str(&format!(
                "\n  --sources entries naming neither ATT&CK nor a source its statements cite: {}",
                c.unmatched.join(", ")
            ));
        }
        out
    }
}

fn date_of(o: &Object, timestamp: Option<&str>) -> Option<String> {
    let t = timestamp.or(o.created.as_deref())?;
    let day = t.get(..10)?;
    Date::parse(day).map(|_| day.to_string())
}

/// "Name: description <url>" for each external reference of a relationship.
fn citations(o: &Object) -> Vec<String> {
    o.external_references.iter().map(citation).collect()
}

/// "Name: description <url>": one external reference, as a citation.
fn citation(r: &ExternalReference) -> String {
    let mut s = r.source_name.clone();
    if let Some(d) = &r.description {
        s.push_str(": ");
        s.push_str(d);
    }
    if let Some(u) = &r.url {
        s.push_str(&format!(" <{u}>"));
    }
    s
}

/// Imports ATT&CK's bundle (STIX 2.0 or 2.1); a bundle that does not parse is an error.
pub fn import(text: &str, file: SourceId, options: &Options) -> Result<Imported, Diagnostics> {
    let (objects, errors) = parse::parse(text, file);
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut errors = Diagnostics::default();
    let mut counts = Counts::default();
    let mut doc = Document::default();
    let mut ids = Ids::default();
    let source = ids.unique(SOURCE_ID);
    // ATT&CK by its source id and name, or by its identity in the bundle.
    let mut attack_names: Vec<&str> = vec![SOURCE_ID, "MITRE ATT&CK"];
    for p in &objects {
        if p.object.ty == "identity" {
            attack_names.push(&p.object.id);
            attack_names.extend(p.object.name.as_deref());
        }
    }
    let attack_key = attack_names.iter().find(|n| options.sources.contains_key(**n));
    counts.attack_graded_by = attack_key.map(|k| k.to_string());
    let attack_grade = attack_key.and_then(|k| options.sources.get(*k));
    doc.sources.push(Source {
        id: source.clone(),
        name: "MITRE ATT&CK".into(),
        kind: attack_grade.and_then(|g| g.kind.clone()).unwrap_or_else(|| "other".into()),
        reliability: attack_grade.and_then(|g| g.reliability.clone()).unwrap_or_else(|| options.reliability.clone()),
    });
    // The cited sources graded, by name → their source id, made on first use.
    let mut cited_sources: BTreeMap<String, String> = BTreeMap::new();
    let mut cited_names: BTreeSet<String> = BTreeSet::new();

    // STIX id → (ascribe id, type, ATT&CK id, name).
    let mut known: HashMap<String, (String, String, String, String)> = HashMap::new();
    let mut skipped: BTreeSet<String> = BTreeSet::new();
    let mut technique_at: HashMap<String, usize> = HashMap::new();
    let mut relationships: Vec<&Object> = vec![];
    for p in &objects {
        let o = &p.object;
        let ty = o.ty.as_str();
        if o.revoked {
            *counts.revoked.entry(ty.to_string()).or_default() += 1;
            skipped.insert(o.id.clone());
            continue;
        }
        if o.x_mitre_deprecated {
            *counts.deprecated.entry(ty.to_string()).or_default() += 1;
            skipped.insert(o.id.clone());
            continue;
        }
        let attack_id = o.attack_id().unwrap_or("").to_string();
        let name = o.label().to_string();
        let entity = match ty {
            "relationship" => {
                relationships.push(o);
                continue;
            }
            "intrusion-set" => {
                let id = ids.unique(&document::slug(&name));
                doc.actors.push(Actor { id: id.clone(), name: name.clone(), country: None, kind: Some("group".into()), tools: vec![] });
                id
            }
            "malware" | "tool" => {
                let id = ids.unique(&document::slug(&name));
                let value = if attack_id.is_empty() { name.clone() } else { format!("{attack_id} {name}") };
                doc.artifacts.push(Artifact { id: id.clone(), kind: ty.into(), value, public: (ty == "tool").then_some(true) });
                id
            }
            "attack-pattern" => {
                let id = ids.unique(&document::slug(if attack_id.is_empty() { &name } else { &attack_id }));
                let value = if attack_id.is_empty() { name.clone() } else { format!("{attack_id} {name}") };
                technique_at.insert(o.id.clone(), doc.artifacts.len());
                doc.artifacts.push(Artifact { id: id.clone(), kind: "technique".into(), value, public: None });
                id
            }
            "campaign" => {
                let Some(date) = date_of(o, o.first_seen.as_deref()) else {
                    errors.push(
                        parse::at(
                            file,
                            &format!("objects[{}]", p.index),
                            Some((p.start, p.start + 1)),
                            format!("campaign `{name}` has no valid date"),
                        )
                        .help("give it `first_seen` or `created` as an RFC 3339 timestamp"),
                    );
                    continue;
                };
                let id = ids.unique(&document::slug(&name));
                let label = if attack_id.is_empty() { name.clone() } else { format!("{name} ({attack_id})") };
                doc.incidents.push(Incident { id: id.clone(), name: label, date, victim_country: None, sectors: vec![] });
                id
            }
            _ => {
                let why = match ty {
                    "identity" => "ATT&CK's own identity: its statements come from the source `mitre-attack`",
                    "marking-definition" => "a data marking, not evidence",
                    "course-of-action" => "a mitigation says nothing about who acted",
                    t if t.starts_with("x-mitre-") => "ATT&CK's matrix, tactics, data sources and collection: structure, not evidence",
                    _ => "no home in the evidence model",
                };
                counts.not_mapped.entry(ty.to_string()).or_insert((0, why)).0 += 1;
                continue;
            }
        };
        *counts.mapped.entry(ty.to_string()).or_default() += 1;
        known.insert(o.id.clone(), (entity, ty.to_string(), attack_id, name));
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    // The sub-technique hierarchy: "T1059.001 Command and Scripting Interpreter: PowerShell".
    let mut parents: HashMap<String, String> = HashMap::new();
    for r in &relationships {
        if r.revoked || r.x_mitre_deprecated || r.relationship_type.as_deref() != Some("subtechnique-of") {
            continue;
        }
        if let (Some(s), Some(t)) = (&r.source_ref, &r.target_ref) {
            parents.insert(s.clone(), t.clone());
        }
    }
    for p in &objects {
        let o = &p.object;
        let Some(&at) = technique_at.get(&o.id) else { continue };
        match parents.get(&o.id).and_then(|t| known.get(t)) {
            Some((_, _, _, parent_name)) => {
                let attack_id = o.attack_id().unwrap_or("");
                doc.artifacts[at].value = format!("{attack_id} {parent_name}: {}", o.label()).trim().to_string();
            }
            None if o.x_mitre_is_subtechnique => counts.orphans += 1,
            None => {}
        }
    }

    let mut truth = Truth {
        note: "ATT&CK's attributions of its campaigns to groups (`attributed-to`): the answers a benchmark checks, not evidence. Written by `ascribe import attack`.".into(),
        campaigns: vec![],
    };
    for r in relationships {
        let verb = r.relationship_type.clone().unwrap_or_default();
        if r.revoked {
            *counts.revoked.entry("relationship".into()).or_default() += 1;
            continue;
        }
        if r.x_mitre_deprecated {
            *counts.deprecated.entry("relationship".into()).or_default() += 1;
            continue;
        }
        let (Some(src), Some(dst)) = (r.source_ref.as_deref(), r.target_ref.as_deref()) else { continue };
        if skipped.contains(src) || skipped.contains(dst) {
            counts.dangling += 1;
            continue;
        }
        let (Some(s), Some(t)) = (known.get(src), known.get(dst)) else {
            let what = format!("relationship {verb}");
            counts.not_mapped.entry(what).or_insert((0, "to or from an object with no home (mitigations, data components, ...)")).0 += 1;
            continue;
        };
        let kind = format!("relationship {verb} {}→{}", s.1, t.1);
        let Some(date) = date_of(r, r.created.as_deref()) else { continue };
        let cited = citations(r);
        let assertion = match (verb.as_str(), s.1.as_str(), t.1.as_str()) {
            ("subtechnique-of", "attack-pattern", "attack-pattern") => None,
            ("uses", "intrusion-set", "malware" | "tool" | "attack-pattern") => {
                Some(Assertion::new("uses", &[("actor", s.0.as_str()), ("artifact", t.0.as_str())]))
            }
            ("uses", "campaign", "attack-pattern") => {
                Some(Assertion::new("technique", &[("incident", s.0.as_str()), ("artifact", t.0.as_str())]))
            }
            ("uses", "campaign", "malware") => {
                Some(Assertion::new("observed", &[("artifact", t.0.as_str()), ("incident", s.0.as_str()), ("role", "payload")]))
            }
            ("uses", "campaign", "tool") => Some(Assertion::new("observed", &[("artifact", t.0.as_str()), ("incident", s.0.as_str())])),
            ("attributed-to", "campaign", "intrusion-set") => {
                truth.campaigns.push(TruthEntry {
                    incident: s.0.clone(),
                    campaign: s.2.clone(),
                    actor: t.0.clone(),
                    group: t.2.clone(),
                    date: date.clone(),
                    citations: cited.clone(),
                });
                *counts.mapped.entry(format!("{kind} (ground truth, not evidence)")).or_default() += 1;
                continue;
            }
            ("uses", "malware" | "tool", _) => {
                counts
                    .not_mapped
                    .entry(kind)
                    .or_insert((0, "software's own techniques and components: the evidence model keeps no profile of software"))
                    .0 += 1;
                continue;
            }
            _ => {
                counts.not_mapped.entry(kind).or_insert((0, "no home in the evidence model")).0 += 1;
                continue;
            }
        };
        *counts.mapped.entry(kind).or_default() += 1;
        let Some(assertion) = assertion else { continue };
        // The artifact's value names a sub-technique with its parent.
        let value_of = |x: &(String, String, String, String)| match doc.artifacts.iter().find(|a| a.id == x.0) {
            Some(a) => a.value.clone(),
            None if x.2.is_empty() => x.3.clone(),
            None => format!("{} {}", x.2, x.3),
        };
        let (subject, object) = (value_of(s), value_of(t));
        let mut title = format!("ATT&CK: {subject} used {object}");
        if !cited.is_empty() {
            title.push_str(&format!(" (cited: {})", cited.join("; ")));
        }
        // Whose statement it is: each cited source the analyst grades, else ATT&CK's.
        let mut by: Vec<(&str, &SourceGrade, Vec<String>)> = vec![];
        for reference in &r.external_references {
            let name = reference.source_name.as_str();
            cited_names.insert(name.to_string());
            let Some(grade) = options.sources.get(name).filter(|_| !attack_names.contains(&name)) else { continue };
            match by.iter_mut().find(|(n, _, _)| *n == name) {
                Some((_, _, c)) => c.push(citation(reference)),
                None => by.push((name, grade, vec![citation(reference)])),
            }
        }
        let base = format!("{}-uses-{}", s.0, t.0);
        if by.is_empty() {
            doc.reports.push(Report {
                id: ids.unique(&base),
                source: source.clone(),
                date,
                credibility: options.credibility,
                title: Some(title),
                asserts: vec![assertion],
                retracts: vec![],
                based_on: vec![],
            });
            continue;
        }
        for (name, grade, cited) in by {
            let source_id = match cited_sources.get(name) {
                Some(id) => id.clone(),
                None => {
                    let id = ids.unique(&document::slug(name));
                    doc.sources.push(Source {
                        id: id.clone(),
                        name: name.to_string(),
                        kind: grade.kind.clone().unwrap_or_else(|| "other".into()),
                        reliability: grade.reliability.clone().unwrap_or_else(|| "F".into()),
                    });
                    cited_sources.insert(name.to_string(), id.clone());
                    id
                }
            };
            *counts.cited.entry(name.to_string()).or_default() += 1;
            doc.reports.push(Report {
                id: ids.unique(&format!("{base}-{source_id}")),
                source: source_id,
                date: date.clone(),
                credibility: options.credibility,
                title: Some(format!("{name}, as ATT&CK cites it: {subject} used {object} (cited: {})", cited.join("; "))),
                asserts: vec![assertion.clone()],
                retracts: vec![],
                based_on: vec![],
            });
        }
    }
    counts.unmatched =
        options.sources.keys().filter(|k| !attack_names.contains(&k.as_str()) && !cited_names.contains(*k)).cloned().collect();
    truth.campaigns.sort_by(|a, b| (&a.incident, &a.actor).cmp(&(&b.incident, &b.actor)));

    if options.questions && !doc.actors.is_empty() {
        let hypotheses: Vec<String> = doc.actors.iter().map(|a| a.id.clone()).collect();
        for n in &doc.incidents {
            let id = ids.unique(&format!("who-{}", n.id));
            doc.questions.push(Question {
                id,
                incident: n.id.clone(),
                text: Some(format!("Which group conducted {}?", n.name)),
                hypotheses: hypotheses.clone(),
            });
        }
    }
    let mut imported = Imported { document: doc, truth, counts };
    let summary = imported.summary();
    imported.document.description = Some(format!("Imported from MITRE ATT&CK by `ascribe import attack`.\n{summary}"));
    Ok(imported)
}
