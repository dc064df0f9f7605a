//! Random valid evidence sets: a small model of an evidence set (sources,
//! actors, incidents, artifacts, questions, reports with assertions, echoes,
//! retractions, dates, gradings) that `arbitrary` builds from bytes, rendered
//! to YAML, and the checks every rendering of its evaluation must pass.
//!
//! Shared by the property tests (tests/generated.rs, bytes from proptest) and
//! the fuzz target fuzz/fuzz_targets/eval.rs (bytes from libFuzzer), which
//! includes this file with `#[path]`: it depends only on `ascribe`,
//! `arbitrary` and `serde_json`.
//!
//! Every rendered set is valid: references wrap around the declared ids,
//! echoes and retractions name earlier reports, a retraction is dated on or
//! after what it withdraws, numbers are in their ranges. The vocabulary is
//! chosen so that every rule of the standard library can fire (geo-IP, relays,
//! two-way traffic, access, reuse, code, public tools, working hours,
//! languages, claims of every form, personas, denials, forgeries, motive,
//! anniversaries, preparation, target selection, obfuscation, campaign links).

#![allow(dead_code)]

use arbitrary::Arbitrary;
use std::fmt::Write;

pub const ACTORS: [&str; 4] = ["alpha", "beta", "gamma", "delta"];
pub const COUNTRIES: [&str; 5] = ["XA", "XB", "XC", "XD", "XV"];
/// Artifacts: three addresses, then the tools actors may be known to use.
pub const ARTIFACTS: [(&str, &str); 8] = [
    ("ip0", "ip"),
    ("ip1", "ip"),
    ("ip2", "ip"),
    ("kit0", "malware"),
    ("kit1", "malware"),
    ("kit2", "tool"),
    ("code0", "code"),
    ("code1", "code"),
];
pub const TOOLS: std::ops::Range<usize> = 3..8;
pub const INCIDENTS: [&str; 3] = ["i0", "i1", "i2"];
/// Sectors an incident hits, then events that may have an anniversary: an
/// actor's interests are drawn from both.
pub const INTERESTS: [&str; 5] = ["banks", "media", "energy", "founding-day", "treaty"];
pub const EVENTS: [&str; 2] = ["founding-day", "treaty"];
pub const LANGUAGES: [&str; 3] = ["xa-lang", "xb-lang", "xc-lang"];
pub const OFFSETS: [i8; 4] = [9, 8, -5, 3];
pub const SOURCE_KINDS: [&str; 7] = ["government", "investigation", "vendor", "media", "expert", "persona", "other"];
pub const ACTOR_KINDS: [&str; 3] = ["state", "criminal", "hacktivist"];
pub const ROLES: [&str; 4] = ["access", "send_receive", "c2", "distribution"];
pub const FORMS: [&str; 6] = ["remark", "statement", "indictment", "complaint", "sanctions", "joint"];
pub const CONFIDENCES: [&str; 8] =
    ["almost certain", "very likely", "high", "likely", "moderate", "roughly even chance", "possible", "low"];
pub const PERSONAS: [&str; 2] = ["Team Blue", "WhoIs"];
pub const MAX_REPORTS: usize = 8;
pub const MAX_ASSERTIONS: usize = 4;

#[derive(Arbitrary, Debug, Clone)]
pub struct Case {
    pub actor_count: u8,
    pub actors: [Actor; 4],
    pub incident_count: u8,
    pub incidents: [Incident; 3],
    /// Bit k: tool k is public (commercially or freely available).
    pub public: u8,
    pub sources: [Source; 5],
    pub questions: [Question; 3],
    /// Fixed arrays with a count rather than `Vec`s: `arbitrary` ends a `Vec`
    /// on each coin flip, so random bytes would give one report on average.
    pub report_count: u8,
    pub reports: [Report; MAX_REPORTS],
    /// The `--as-of` date, a day of January 2030.
    pub as_of: Option<u8>,
}

#[derive(Arbitrary, Debug, Clone)]
pub struct Actor {
    pub country: u8,
    pub kind: Option<u8>,
    /// Bit masks over TOOLS, COUNTRIES (when the top two bits are clear),
    /// INTERESTS and LANGUAGES.
    pub tools: u8,
    pub routes: u8,
    pub interests: u8,
    pub languages: u8,
    pub utc_offset: Option<u8>,
}

#[derive(Arbitrary, Debug, Clone)]
pub struct Incident {
    pub day: u8,
    pub victim: Option<u8>,
    pub sectors: u8,
}

#[derive(Arbitrary, Debug, Clone)]
pub struct Source {
    pub kind: u8,
    pub reliability: u8,
}

#[derive(Arbitrary, Debug, Clone)]
pub struct Question {
    pub asked: bool,
    /// Bit mask over the actors.
    pub hypotheses: u8,
    pub priors: Option<[u8; 4]>,
}

#[derive(Arbitrary, Debug, Clone)]
pub struct Report {
    pub source: u8,
    pub day: u8,
    pub credibility: u8,
    pub assert_count: u8,
    pub asserts: [Said; MAX_ASSERTIONS],
    pub based_on: Option<u8>,
    pub retracts: Option<u8>,
}

#[derive(Arbitrary, Debug, Clone)]
pub struct Said {
    pub what: Assertion,
    /// How sure the source says it is (a quarter of the time).
    pub confidence: u8,
}

#[derive(Arbitrary, Debug, Clone)]
pub enum Assertion {
    Attribution {
        incident: u8,
        actor: u8,
        form: Option<u8>,
    },
    Observed {
        artifact: u8,
        incident: u8,
        role: Option<u8>,
        count: Option<u8>,
    },
    Geolocation {
        artifact: u8,
        country: u8,
    },
    /// An address seen in an incident and where it geolocates, in one report
    /// (often an actor's home country): the usual shape of a network finding.
    SeenFrom {
        ip: u8,
        incident: u8,
        role: u8,
        country: u8,
    },
    InfrastructureReuse {
        incident: u8,
        actor: u8,
        reused: u8,
        total: u8,
    },
    CodeReuse {
        incident: u8,
        tool: u8,
        similarity: Option<u8>,
    },
    SharedCode {
        incident: u8,
        other: u8,
        similarity: Option<u8>,
    },
    SharedInfrastructure {
        incident: u8,
        other: u8,
    },
    PersonaClaim {
        incident: u8,
        persona: u8,
        actor: Option<u8>,
    },
    /// A persona's claim with the motives around it: the persona's actor is
    /// hostile to an adversary's country, the adversary to the victims.
    PersonaHostile {
        incident: u8,
        persona: u8,
        actor: u8,
        adversary: u8,
    },
    Denial {
        incident: u8,
        actor: u8,
    },
    Forgery {
        artifact: u8,
        incident: u8,
        mimics: u8,
    },
    Routing {
        actor: u8,
        country: u8,
    },
    Tension {
        actor: u8,
        country: u8,
    },
    Timing {
        incident: u8,
        event: u8,
        years: u8,
        shift: u8,
    },
    Preparation {
        incident: u8,
        months: u8,
    },
    Relays {
        incident: u8,
        countries: u8,
    },
    WorkingHours {
        artifact: u8,
        offset: u8,
    },
    LanguageArtifact {
        artifact: u8,
        language: u8,
    },
    /// The attackers posed as an actor, maybe naming who did.
    Imitation {
        incident: u8,
        mimics: u8,
        by: Option<u8>,
    },
    /// A trace examined and found authentic.
    Authentic {
        artifact: u8,
        incident: u8,
    },
}

fn pick<T: Copy>(list: &[T], i: u8) -> T {
    list[i as usize % list.len()]
}

fn mask<'a>(list: &[&'a str], bits: u8) -> Vec<&'a str> {
    list.iter().enumerate().filter(|(i, _)| bits >> i & 1 == 1).map(|(_, x)| *x).collect()
}

impl Case {
    pub fn actors(&self) -> usize {
        1 + self.actor_count as usize % ACTORS.len()
    }

    pub fn incidents(&self) -> usize {
        1 + self.incident_count as usize % INCIDENTS.len()
    }

    fn actor(&self, i: u8) -> &'static str {
        ACTORS[i as usize % self.actors()]
    }

    fn incident(&self, i: u8) -> &'static str {
        INCIDENTS[i as usize % self.incidents()]
    }

    fn incident_day(&self, i: u8) -> u32 {
        1 + self.incidents[i as usize % self.incidents()].day as u32 % 9
    }

    pub fn reports(&self) -> &[Report] {
        &self.reports[..self.report_count as usize % (MAX_REPORTS + 1)]
    }

    /// The report's date (a day of January 2030): a retraction is never dated
    /// before what it withdraws.
    fn report_day(&self, i: usize) -> u32 {
        let r = &self.reports[i];
        let own = 5 + r.day as u32 % 24;
        match self.retracted(i) {
            Some(t) => own.max(self.report_day(t)),
            None => own,
        }
    }

    fn retracted(&self, i: usize) -> Option<usize> {
        let r = &self.reports[i];
        r.retracts.filter(|t| i > 0 && t % 4 == 0).map(|t| (t as usize / 4) % i)
    }

    fn repeated(&self, i: usize) -> Option<usize> {
        let r = &self.reports[i];
        r.based_on.filter(|b| i > 0 && b % 3 == 0).map(|b| (b as usize / 3) % i)
    }

    /// The `--as-of` date, if any.
    pub fn as_of(&self) -> Option<String> {
        self.as_of.map(|d| format!("2030-01-{:02}", 1 + d % 28))
    }

    /// The evidence set as YAML.
    pub fn render(&self) -> String {
        let mut out = String::from("case: generated\nsources:\n");
        for (i, s) in self.sources.iter().enumerate() {
            let _ = writeln!(
                out,
                "  - {{ id: s{i}, kind: {}, reliability: {} }}",
                pick(&SOURCE_KINDS, s.kind),
                pick(&['A', 'B', 'C', 'D', 'E', 'F'], s.reliability)
            );
        }
        out.push_str("actors:\n");
        for (i, a) in self.actors.iter().take(self.actors()).enumerate() {
            let _ = write!(out, "  - {{ id: {}, country: {}", ACTORS[i], pick(&COUNTRIES[..4], a.country));
            if let Some(k) = a.kind {
                let _ = write!(out, ", kind: {}", pick(&ACTOR_KINDS, k));
            }
            let tools: Vec<&str> = TOOLS.filter(|k| a.tools >> (k - TOOLS.start) & 1 == 1).map(|k| ARTIFACTS[k].0).collect();
            let lists = [
                ("tools", tools),
                // A quarter of the actors relay (else no address would count as direct access).
                ("routes_through", if a.routes >> 6 == 0 { mask(&COUNTRIES[..4], a.routes) } else { vec![] }),
                ("interests", mask(&INTERESTS, a.interests)),
                ("languages", mask(&LANGUAGES, a.languages)),
            ];
            for (name, items) in lists {
                if !items.is_empty() {
                    let _ = write!(out, ", {name}: [{}]", items.join(", "));
                }
            }
            if let Some(o) = a.utc_offset {
                let _ = write!(out, ", utc_offset: {}", pick(&OFFSETS, o));
            }
            out.push_str(" }\n");
        }
        out.push_str("incidents:\n");
        for (i, (inc, id)) in self.incidents.iter().zip(INCIDENTS).take(self.incidents()).enumerate() {
            let _ = write!(out, "  - {{ id: {id}, date: 2030-01-{:02}", self.incident_day(i as u8));
            if let Some(v) = inc.victim {
                let _ = write!(out, ", victim_country: {}", pick(&COUNTRIES, v));
            }
            let sectors = mask(&INTERESTS[..3], inc.sectors);
            if !sectors.is_empty() {
                let _ = write!(out, ", sectors: [{}]", sectors.join(", "));
            }
            out.push_str(" }\n");
        }
        out.push_str("artifacts:\n");
        for (k, (id, kind)) in ARTIFACTS.iter().enumerate() {
            let public = TOOLS.contains(&k) && self.public >> (k - TOOLS.start) & 1 == 1;
            let _ = writeln!(out, "  - {{ id: {id}, kind: {kind}{} }}", if public { ", public: true" } else { "" });
        }
        out.push_str("questions:\n");
        for (i, (q, incident)) in self.questions.iter().zip(INCIDENTS).take(self.incidents()).enumerate() {
            if !q.asked && i > 0 {
                continue;
            }
            let mut named: Vec<usize> = (0..self.actors()).filter(|a| q.hypotheses >> a & 1 == 1).collect();
            if named.is_empty() {
                named.push(0);
            }
            let hypotheses: Vec<String> = match q.priors {
                // Each prior below 0.9 / (n + 1): they add up to less than 1.
                Some(p) => named
                    .iter()
                    .map(|&a| format!("{{ actor: {}, prior: {} }}", ACTORS[a], (1 + p[a] % 9) as f64 / (10.0 * (named.len() + 1) as f64)))
                    .collect(),
                None => named.iter().map(|&a| ACTORS[a].to_string()).collect(),
            };
            let _ = writeln!(out, "  - {{ id: q{i}, incident: {}, hypotheses: [{}] }}", incident, hypotheses.join(", "));
        }
        out.push_str("reports:\n");
        for (i, r) in self.reports().iter().enumerate() {
            let _ = write!(
                out,
                "  - id: r{i}\n    source: s{}\n    date: 2030-01-{:02}\n    credibility: {}\n",
                r.source as usize % self.sources.len(),
                self.report_day(i),
                1 + r.credibility % 6
            );
            if let Some(b) = self.repeated(i) {
                let _ = writeln!(out, "    based_on: [r{b}]");
            }
            if let Some(t) = self.retracted(i) {
                let _ = writeln!(out, "    retracts: [r{t}]");
            }
            let asserts = &r.asserts[..r.assert_count as usize % (MAX_ASSERTIONS + 1)];
            if asserts.is_empty() {
                continue;
            }
            out.push_str("    asserts:\n");
            for said in asserts {
                for (name, mut fields) in self.assertion(&said.what) {
                    if said.confidence % 4 == 0 {
                        fields.push(format!("confidence: \"{}\"", pick(&CONFIDENCES, said.confidence / 4)));
                    }
                    let _ = writeln!(out, "      - {name}: {{ {} }}", fields.join(", "));
                }
            }
        }
        out
    }

    fn assertion(&self, a: &Assertion) -> Vec<(&'static str, Vec<String>)> {
        if let Assertion::SeenFrom { ip, incident, role, country } = *a {
            let country = if country % 4 == 0 {
                pick(&COUNTRIES, country / 4)
            } else {
                pick(&COUNTRIES[..4], self.actors[country as usize % self.actors()].country)
            };
            let ip = ARTIFACTS[ip as usize % 3].0;
            return vec![
                (
                    "observed",
                    vec![
                        format!("artifact: {ip}"),
                        format!("incident: {}", self.incident(incident)),
                        format!("role: {}", pick(&ROLES, role)),
                    ],
                ),
                ("geolocation", vec![format!("artifact: {ip}"), format!("country: {country}")]),
            ];
        }
        if let Assertion::PersonaHostile { incident, persona, actor, adversary } = *a {
            let enemy = pick(&COUNTRIES[..4], self.actors[adversary as usize % self.actors()].country);
            let victims = self.incidents[incident as usize % self.incidents()].victim.map(|v| pick(&COUNTRIES, v)).unwrap_or("XV");
            return vec![
                self.single(&Assertion::PersonaClaim { incident, persona, actor: Some(actor) }),
                ("tension", vec![format!("actor: {}", self.actor(actor)), format!("country: {enemy}")]),
                ("tension", vec![format!("actor: {}", self.actor(adversary)), format!("country: {victims}")]),
            ];
        }
        vec![self.single(a)]
    }

    fn single(&self, a: &Assertion) -> (&'static str, Vec<String>) {
        use Assertion::*;
        // Half addresses, half tools, so observations meet what is said of them.
        let artifact = |i: u8| {
            if i.is_multiple_of(2) {
                ARTIFACTS[(i as usize / 2) % 3].0
            } else {
                ARTIFACTS[TOOLS.start + (i as usize / 2) % TOOLS.len()].0
            }
        };
        let ip = |i: u8| ARTIFACTS[i as usize % 3].0;
        let share = |s: u8| format!("{}", (s % 101) as f64 / 100.0);
        match *a {
            Attribution { incident, actor, form } => {
                let mut f = vec![format!("incident: {}", self.incident(incident)), format!("actor: {}", self.actor(actor))];
                if let Some(form) = form {
                    f.push(format!("form: {}", pick(&FORMS, form)));
                }
                ("attribution", f)
            }
            Observed { artifact: x, incident, role, count } => {
                let mut f = vec![format!("artifact: {}", artifact(x)), format!("incident: {}", self.incident(incident))];
                if let Some(role) = role {
                    f.push(format!("role: {}", pick(&ROLES, role)));
                }
                if let Some(c) = count {
                    f.push(format!("count: {c}"));
                }
                ("observed", f)
            }
            Geolocation { artifact: x, country } => {
                ("geolocation", vec![format!("artifact: {}", ip(x)), format!("country: {}", pick(&COUNTRIES, country))])
            }
            InfrastructureReuse { incident, actor, reused, total } => {
                let total = total % 12;
                let reused = reused % (total + 1);
                (
                    "infrastructure_reuse",
                    vec![
                        format!("incident: {}", self.incident(incident)),
                        format!("actor: {}", self.actor(actor)),
                        format!("reused: {reused}"),
                        format!("total: {total}"),
                    ],
                )
            }
            CodeReuse { incident, tool, similarity } => {
                let mut f = vec![
                    format!("incident: {}", self.incident(incident)),
                    format!("artifact: {}", ARTIFACTS[TOOLS.start + tool as usize % TOOLS.len()].0),
                ];
                if let Some(s) = similarity {
                    f.push(format!("similarity: {}", share(s)));
                }
                ("code_reuse", f)
            }
            SharedCode { incident, other, similarity } => {
                let mut f = vec![format!("incident: {}", self.incident(incident)), format!("other: {}", self.incident(other))];
                if let Some(s) = similarity {
                    f.push(format!("similarity: {}", share(s)));
                }
                ("shared_code", f)
            }
            SharedInfrastructure { incident, other } => (
                "shared_infrastructure",
                vec![format!("incident: {}", self.incident(incident)), format!("other: {}", self.incident(other))],
            ),
            PersonaClaim { incident, persona, actor } => {
                let mut f = vec![format!("incident: {}", self.incident(incident)), format!("persona: \"{}\"", pick(&PERSONAS, persona))];
                if let Some(a) = actor {
                    f.push(format!("actor: {}", self.actor(a)));
                }
                ("persona_claim", f)
            }
            Denial { incident, actor } => {
                ("denial", vec![format!("incident: {}", self.incident(incident)), format!("actor: {}", self.actor(actor))])
            }
            Forgery { artifact: x, incident, mimics } => (
                "forgery",
                vec![
                    format!("artifact: {}", artifact(x)),
                    format!("incident: {}", self.incident(incident)),
                    format!("mimics: {}", self.actor(mimics)),
                ],
            ),
            Routing { actor, country } => {
                ("routing", vec![format!("actor: {}", self.actor(actor)), format!("country: {}", pick(&COUNTRIES, country))])
            }
            Tension { actor, country } => {
                // Half the time against another candidate's country (a persona hostile to
                // the victims' adversary contradicts its claim).
                let country = if country % 2 == 0 {
                    pick(&COUNTRIES, country / 2)
                } else {
                    pick(&COUNTRIES[..4], self.actors[(country / 2) as usize % self.actors()].country)
                };
                ("tension", vec![format!("actor: {}", self.actor(actor)), format!("country: {country}")])
            }
            Timing { incident, event, years, shift } => {
                // The same month, some years earlier, 0 to 7 days later: about half
                // of them fall within the three days the anniversary rule allows.
                let day = self.incident_day(incident) + shift as u32 % 8;
                (
                    "timing",
                    vec![
                        format!("incident: {}", self.incident(incident)),
                        format!("event: {}", pick(&EVENTS, event)),
                        format!("date: {}-01-{day:02}", 2029 - years as u32 % 30),
                    ],
                )
            }
            Preparation { incident, months } => {
                ("preparation", vec![format!("incident: {}", self.incident(incident)), format!("months: {}", months % 13)])
            }
            Relays { incident, countries } => {
                ("relays", vec![format!("incident: {}", self.incident(incident)), format!("countries: {}", countries % 6)])
            }
            WorkingHours { artifact: x, offset } => {
                ("working_hours", vec![format!("artifact: {}", artifact(x)), format!("utc_offset: {}", pick(&OFFSETS, offset))])
            }
            LanguageArtifact { artifact: x, language } => {
                ("language_artifact", vec![format!("artifact: {}", artifact(x)), format!("language: {}", pick(&LANGUAGES, language))])
            }
            Imitation { incident, mimics, by } => {
                let mut f = vec![format!("incident: {}", self.incident(incident)), format!("mimics: {}", self.actor(mimics))];
                if let Some(b) = by {
                    f.push(format!("by: {}", self.actor(b)));
                }
                ("imitation", f)
            }
            Authentic { artifact: x, incident } => {
                ("authentic", vec![format!("artifact: {}", artifact(x)), format!("incident: {}", self.incident(incident))])
            }
            SeenFrom { .. } | PersonaHostile { .. } => unreachable!("several assertions"),
        }
    }
}

/// Checks what every format made of one evaluation; `Err` says what is wrong.
///
/// - JSON parses, and each weighed question's probabilities add up to 1 (a
///   bounded question's ranges are in order and hold a distribution);
/// - DOT is one `digraph { ... }` whose strings are closed and whose braces and
///   brackets balance outside them (a small tokenizer);
/// - every ProbLog line is empty, a `%` comment, or a clause ending in `.`.
pub fn check_renderings(text: &str, json: &str, dot: &str, problog: &str) -> Result<(), String> {
    if text.is_empty() {
        return Err("the text report is empty".into());
    }
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| format!("JSON does not parse: {e}"))?;
    let questions = value.get("questions").and_then(|q| q.as_array()).ok_or("JSON has no `questions` list")?;
    for q in questions {
        let Some(hypotheses) = q.get("hypotheses").and_then(|h| h.as_array()) else { continue };
        if hypotheses.is_empty() {
            continue;
        }
        if q.get("bounded").is_some() {
            // Ranges: each within [0, 1], and together they hold a distribution.
            let (mut low, mut high) = (0.0, 0.0);
            for h in hypotheses {
                let range = h
                    .get("probability_range")
                    .and_then(|r| r.as_array())
                    .ok_or_else(|| format!("a bounded hypothesis without a range: {h}"))?;
                let (lo, hi) = (range[0].as_f64().unwrap_or(f64::NAN), range[1].as_f64().unwrap_or(f64::NAN));
                if !(0.0 <= lo && lo <= hi && hi <= 1.0) {
                    return Err(format!("range [{lo}, {hi}] out of order in {}", q["id"]));
                }
                low += lo;
                high += hi;
            }
            if low > 1.0 + 1e-9 || high < 1.0 - 1e-9 {
                return Err(format!("question {}: ranges add up to [{low}, {high}], which holds no distribution", q["id"]));
            }
            continue;
        }
        let mut total = 0.0;
        for h in hypotheses {
            let p = h.get("probability").and_then(|p| p.as_f64()).ok_or_else(|| format!("a hypothesis without a probability: {h}"))?;
            if !(0.0..=1.0).contains(&p) {
                return Err(format!("probability {p} out of range in {}", q["id"]));
            }
            total += p;
        }
        if (total - 1.0).abs() > 1e-9 {
            return Err(format!("question {}: probabilities add up to {total}", q["id"]));
        }
    }
    check_dot(dot)?;
    check_problog(problog)
}

/// A small DOT tokenizer: strings close, and braces and brackets balance
/// outside them, with exactly one top-level graph.
pub fn check_dot(dot: &str) -> Result<(), String> {
    if !dot.starts_with("digraph claims {") || !dot.ends_with("}\n") {
        return Err("DOT is not one `digraph claims { ... }`".into());
    }
    let mut depth: Vec<char> = vec![];
    let mut graphs = 0;
    let mut chars = dot.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => loop {
                match chars.next() {
                    Some('\\') => {
                        chars.next();
                    }
                    Some('"') => break,
                    Some('\n') | None => return Err("a DOT string does not close on its line".into()),
                    Some(_) => {}
                }
            },
            '{' | '[' => {
                if c == '{' && depth.is_empty() {
                    graphs += 1;
                }
                depth.push(c);
            }
            '}' | ']' => {
                let open = if c == '}' { '{' } else { '[' };
                if depth.pop() != Some(open) {
                    return Err(format!("unbalanced `{c}` in DOT"));
                }
            }
            _ => {}
        }
    }
    if !depth.is_empty() || graphs != 1 {
        return Err(format!("DOT: {} unclosed, {graphs} graphs", depth.len()));
    }
    Ok(())
}

/// Every ProbLog line is empty, a comment, or a clause that ends in `.`
/// outside quoted atoms (which never span lines).
pub fn check_problog(program: &str) -> Result<(), String> {
    for (n, line) in program.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('%') {
            continue;
        }
        let mut quoted = false;
        let mut chars = line.chars();
        let mut last = ' ';
        while let Some(c) = chars.next() {
            match c {
                '\\' if quoted => {
                    chars.next();
                }
                '\'' => quoted = !quoted,
                '%' if !quoted => break,
                _ => {}
            }
            if !c.is_whitespace() {
                last = c;
            }
        }
        if quoted {
            return Err(format!("ProbLog line {}: an atom does not close: {line}", n + 1));
        }
        if last != '.' {
            return Err(format!("ProbLog line {}: not a clause ending in `.`: {line}", n + 1));
        }
    }
    Ok(())
}
