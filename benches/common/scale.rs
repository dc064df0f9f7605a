//! Generated evidence sets for measuring speed and memory at scale, shared by
//! the benchmarks (benches/*.rs), the parallel and loading tests
//! (tests/scale.rs) and the file writer behind tools/compare_problog.py
//! (`cargo test --release --test scale -- --ignored write_scale_file`).
//!
//! Deterministic: the same size gives the same text. Realistic in shape: 50
//! reports per incident from 100 graded sources about 50 actors, one question
//! per incident (so one per 50 reports), addresses geolocated by several
//! reports (shared facts), echoes (`based_on`), retractions, code reuse,
//! infrastructure reuse, claims, denials and incidents linked by shared code.
//! Every actor, incident and source is fictional; countries use the ISO 3166
//! user-assigned codes XA to XT. Depends only on `std`, so any target can
//! include it with `#[path]`.

#![allow(dead_code)]

use std::fmt::Write;

pub const REPORTS_PER_INCIDENT: usize = 50;
const ACTORS: usize = 50;
const SOURCES: usize = 100;
const COUNTRIES: usize = 20;
const IPS_PER_INCIDENT: usize = 3;
/// Day number of 2010-01-01 (days since 1970-01-01).
const BASE_DAY: i64 = 14_610;

/// How the text is written: YAML in block style (flow style inside an
/// entry), or JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Yaml,
    Json,
}

/// A 64-bit linear congruential generator (Knuth's MMIX constants).
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A small document value, written as YAML or JSON.
enum J {
    S(String),
    N(String),
    L(Vec<J>),
    M(Vec<(&'static str, J)>),
}

fn s(text: impl Into<String>) -> J {
    J::S(text.into())
}

fn n(number: impl ToString) -> J {
    J::N(number.to_string())
}

impl J {
    /// Flow style: `{a: x, b: [y]}` or `{"a": "x", "b": ["y"]}`.
    fn flow(&self, style: Style, out: &mut String) {
        match self {
            J::S(text) if style == Style::Json => {
                let _ = write!(out, "\"{text}\"");
            }
            J::S(text) | J::N(text) => out.push_str(text),
            J::L(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.flow(style, out);
                }
                out.push(']');
            }
            J::M(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    if style == Style::Json {
                        let _ = write!(out, "\"{key}\": ");
                    } else {
                        let _ = write!(out, "{key}: ");
                    }
                    value.flow(style, out);
                }
                out.push('}');
            }
        }
    }
}

/// Writes sections of items: YAML entries in block style (`- key: value`
/// lines, nested values in flow style), or one JSON object.
struct Writer {
    style: Style,
    out: String,
    sections: usize,
    items: usize,
}

impl Writer {
    fn new(style: Style, capacity: usize) -> Writer {
        let mut out = String::with_capacity(capacity);
        if style == Style::Json {
            out.push_str("{\n");
        }
        Writer { style, out, sections: 0, items: 0 }
    }

    fn scalar(&mut self, key: &str, value: &str) {
        match self.style {
            Style::Yaml => {
                let _ = writeln!(self.out, "{key}: {value}");
            }
            Style::Json => {
                let comma = if self.sections > 0 { ",\n" } else { "" };
                let _ = write!(self.out, "{comma}\"{key}\": \"{value}\"");
            }
        }
        self.sections += 1;
    }

    fn section(&mut self, key: &str) {
        match self.style {
            Style::Yaml => {
                let _ = writeln!(self.out, "\n{key}:");
            }
            Style::Json => {
                let comma = if self.sections > 0 { ",\n" } else { "" };
                let _ = write!(self.out, "{comma}\"{key}\": [");
            }
        }
        self.sections += 1;
        self.items = 0;
    }

    fn end_section(&mut self) {
        if self.style == Style::Json {
            self.out.push_str("\n]");
        }
    }

    /// One entry of the current section: a mapping.
    fn item(&mut self, entries: Vec<(&'static str, J)>) {
        match self.style {
            Style::Yaml => {
                for (i, (key, value)) in entries.iter().enumerate() {
                    let _ = write!(self.out, "{}{key}: ", if i == 0 { "  - " } else { "    " });
                    value.flow(Style::Yaml, &mut self.out);
                    self.out.push('\n');
                }
            }
            Style::Json => {
                self.out.push_str(if self.items == 0 { "\n  " } else { ",\n  " });
                J::M(entries).flow(Style::Json, &mut self.out);
            }
        }
        self.items += 1;
    }

    fn finish(mut self) -> String {
        if self.style == Style::Json {
            self.out.push_str("\n}\n");
        }
        self.out
    }
}

fn country(i: usize) -> String {
    format!("X{}", (b'A' + (i % COUNTRIES) as u8) as char)
}

fn actor_country(a: usize) -> String {
    country(a * 7)
}

/// YYYY-MM-DD of a day number (days since 1970-01-01), proleptic Gregorian.
pub fn date(days: i64) -> String {
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// An evidence set of `reports` reports (rounded up to whole incidents of 50).
pub fn generate(reports: usize, style: Style) -> String {
    let incidents = reports.div_ceil(REPORTS_PER_INCIDENT).max(1);
    let mut rng = Lcg(2013);
    let mut w = Writer::new(style, incidents * REPORTS_PER_INCIDENT * 200 + 64 * 1024);
    w.scalar("case", "generated set (fictional)");
    w.section("sources");
    let kinds = ["vendor", "government", "media", "expert", "investigation"];
    let grades = ["A", "B", "C", "D", "F", "B", "C"];
    for k in 0..SOURCES {
        w.item(vec![
            ("id", s(format!("src-{k:03}"))),
            ("name", s(format!("Fictional source {k}"))),
            ("kind", s(kinds[k % kinds.len()])),
            ("reliability", s(grades[k % grades.len()])),
        ]);
    }
    w.end_section();
    w.section("actors");
    let actor_kinds = ["state", "criminal", "hacktivist"];
    for a in 0..ACTORS {
        let mut tools = vec![s(format!("code-{a:02}"))];
        if a % 5 == 0 {
            tools.push(s(format!("code-{:02}", (a + 1) % ACTORS)));
        }
        let mut entries = vec![
            ("id", s(format!("actor-{a:02}"))),
            ("name", s(format!("Fictional actor {a}"))),
            ("country", s(actor_country(a))),
            ("kind", s(actor_kinds[a % 3])),
            ("tools", J::L(tools)),
        ];
        if a % 7 == 3 {
            entries.push(("routes_through", J::L(vec![s(actor_country(a + 1))])));
        }
        w.item(entries);
    }
    w.end_section();
    w.section("incidents");
    for i in 0..incidents {
        w.item(vec![
            ("id", s(format!("incident-{i:06}"))),
            ("name", s(format!("Fictional incident {i}"))),
            ("date", s(date(BASE_DAY + (2 * i % 5000) as i64))),
            ("victim_country", s(country(i * 3))),
        ]);
    }
    w.end_section();
    w.section("artifacts");
    for a in 0..ACTORS {
        let mut entries = vec![("id", s(format!("code-{a:02}"))), ("kind", s("code"))];
        if a % 10 == 9 {
            entries.push(("public", n("true")));
        }
        w.item(entries);
    }
    for i in 0..incidents {
        for k in 0..IPS_PER_INCIDENT {
            w.item(vec![("id", s(format!("ip-{i:06}-{k}"))), ("kind", s("ip")), ("value", s(format!("198.51.{}.{}", i % 256, k)))]);
        }
    }
    w.end_section();
    // Three distinct candidates per incident.
    let candidates: Vec<[usize; 3]> = (0..incidents)
        .map(|_| {
            let a = rng.below(ACTORS);
            let b = (a + 1 + rng.below(ACTORS - 1)) % ACTORS;
            let mut c = rng.below(ACTORS);
            while c == a || c == b {
                c = (c + 1) % ACTORS;
            }
            [a, b, c]
        })
        .collect();
    w.section("questions");
    for (i, cands) in candidates.iter().enumerate() {
        let hypotheses = if i % 4 == 0 {
            J::L(
                cands
                    .iter()
                    .zip(["0.3", "0.3", "0.2"])
                    .map(|(c, p)| J::M(vec![("actor", s(format!("actor-{c:02}"))), ("prior", n(p))]))
                    .collect(),
            )
        } else {
            J::L(cands.iter().map(|c| s(format!("actor-{c:02}"))).collect())
        };
        w.item(vec![("id", s(format!("q-{i:06}"))), ("incident", s(format!("incident-{i:06}"))), ("hypotheses", hypotheses)]);
    }
    w.end_section();
    w.section("reports");
    let roles = ["access", "send_receive", "c2", "distribution"];
    for (i, cands) in candidates.iter().enumerate() {
        let incident = format!("incident-{i:06}");
        let day = BASE_DAY + (2 * i % 5000) as i64;
        for j in 0..REPORTS_PER_INCIDENT {
            let cand = cands[rng.below(3)];
            let ip = format!("ip-{i:06}-{}", rng.below(IPS_PER_INCIDENT));
            let mut entries = vec![
                ("id", s(format!("r-{i:06}-{j:02}"))),
                ("source", s(format!("src-{:03}", rng.below(SOURCES)))),
                ("date", s(date(day + 1 + (j % 20) as i64))),
                ("credibility", n(1 + rng.below(4) + (rng.below(8) == 0) as usize * 2)),
            ];
            if j == 44 {
                entries.push(("retracts", s(format!("r-{i:06}-03"))));
            }
            if j == 43 {
                entries.push(("based_on", J::L(vec![s(format!("r-{i:06}-42"))])));
            }
            let one = |kind: &'static str, fields: Vec<(&'static str, J)>| J::M(vec![(kind, J::M(fields))]);
            let mut asserts = vec![];
            match j {
                0..=11 => {
                    asserts.push(one(
                        "observed",
                        vec![
                            ("artifact", s(&ip)),
                            ("incident", s(&incident)),
                            ("role", s(roles[rng.below(roles.len())])),
                            ("count", n(1 + rng.below(100))),
                        ],
                    ));
                    if j % 4 == 0 {
                        asserts.push(one("geolocation", vec![("artifact", s(&ip)), ("country", s(actor_country(cand)))]));
                    }
                }
                12..=21 => {
                    let c = if rng.below(4) == 0 { country(rng.below(COUNTRIES)) } else { actor_country(cand) };
                    asserts.push(one("geolocation", vec![("artifact", s(&ip)), ("country", s(c))]));
                }
                22..=28 => {
                    let code = if rng.below(3) == 0 { rng.below(ACTORS) } else { cand };
                    asserts.push(one(
                        "code_reuse",
                        vec![
                            ("incident", s(&incident)),
                            ("artifact", s(format!("code-{code:02}"))),
                            ("similarity", n(format!("0.{}", 1 + rng.below(9)))),
                        ],
                    ));
                }
                29 if i % 20 == 19 => {
                    asserts.push(one(
                        "shared_code",
                        vec![("incident", s(&incident)), ("other", s(format!("incident-{:06}", i - 1))), ("similarity", n("0.5"))],
                    ));
                }
                29..=35 => {
                    let total = 10 + rng.below(40);
                    asserts.push(one(
                        "infrastructure_reuse",
                        vec![
                            ("incident", s(&incident)),
                            ("actor", s(format!("actor-{cand:02}"))),
                            ("reused", n(rng.below(total))),
                            ("total", n(total)),
                        ],
                    ));
                }
                36..=45 => {
                    asserts.push(one("attribution", vec![("incident", s(&incident)), ("actor", s(format!("actor-{cand:02}")))]));
                }
                49 if i % 4 == 0 => {
                    asserts.push(one("tension", vec![("actor", s(format!("actor-{cand:02}"))), ("country", s(country(i * 3)))]));
                }
                _ => asserts.push(one("denial", vec![("incident", s(&incident)), ("actor", s(format!("actor-{cand:02}")))])),
            }
            entries.push(("asserts", J::L(asserts)));
            w.item(entries);
        }
    }
    w.end_section();
    w.finish()
}

/// One question whose `reports` reports all bear on one address: six say it
/// was used in the incident, the others place it in one candidate's country or
/// the other's. Every argument rests on one of the six, so all the reports form
/// one component, weighed by enumerating 2^reports worlds.
pub fn entangled(reports: usize) -> String {
    let mut y = String::from(
        "sources:\n  - {id: lab, kind: vendor, reliability: B}\n  - {id: ministry, kind: government, reliability: C}\n\
         actors:\n  - {id: actor-a, name: Fictional actor A, country: XA}\n  - {id: actor-b, name: Fictional actor B, country: XB}\n\
         incidents:\n  - {id: incident-x, date: 2020-01-01, victim_country: XC}\n\
         artifacts:\n  - {id: ip-x, kind: ip}\n\
         questions:\n  - {id: q-x, incident: incident-x, hypotheses: [actor-a, actor-b]}\n\
         reports:\n",
    );
    for j in 0..reports {
        let source = if j % 2 == 0 { "lab" } else { "ministry" };
        let assertion = match j {
            0..=5 => "observed: {artifact: ip-x, incident: incident-x, role: access}".to_string(),
            _ => format!("geolocation: {{artifact: ip-x, country: {}}}", if j % 2 == 0 { "XA" } else { "XB" }),
        };
        let _ = write!(
            y,
            "  - id: r-{j:02}\n    source: {source}\n    date: {}\n    credibility: {}\n    asserts:\n      - {assertion}\n",
            date(18_263 + 1 + j as i64),
            2 + j % 3
        );
    }
    y
}

/// One incident and one question with `hypotheses` candidate actors (each
/// with its own country and tool), and four reports per candidate: a
/// geolocation of one of the incident's addresses to its country, code reuse
/// of its tool, a claim, and a denial.
pub fn many_hypotheses(hypotheses: usize) -> String {
    let mut y = String::from(
        "sources:\n  - {id: lab, kind: vendor, reliability: B}\n  - {id: ministry, kind: government, reliability: C}\n  - {id: press, kind: media, reliability: D}\nactors:\n",
    );
    for a in 0..hypotheses {
        let _ = writeln!(y, "  - {{id: actor-{a:03}, name: Fictional actor {a}, country: {}, tools: [code-{a:03}]}}", country(a));
    }
    y.push_str("incidents:\n  - {id: incident-x, date: 2020-01-01, victim_country: XT}\nartifacts:\n");
    for a in 0..hypotheses {
        let _ = writeln!(y, "  - {{id: code-{a:03}, kind: code}}");
    }
    for k in 0..COUNTRIES {
        let _ = writeln!(y, "  - {{id: ip-{k:02}, kind: ip}}");
    }
    y.push_str("questions:\n  - id: q-x\n    incident: incident-x\n    hypotheses: [");
    for a in 0..hypotheses {
        let _ = write!(y, "{}actor-{a:03}", if a == 0 { "" } else { ", " });
    }
    y.push_str("]\nreports:\n");
    let mut rng = Lcg(172);
    for a in 0..hypotheses {
        let k = a % COUNTRIES;
        let sources = ["lab", "ministry", "press"];
        let assertions = [
            format!("observed: {{artifact: ip-{k:02}, incident: incident-x, role: access}}"),
            format!("geolocation: {{artifact: ip-{k:02}, country: {}}}", country(a)),
            format!("code_reuse: {{incident: incident-x, artifact: code-{a:03}, similarity: 0.{}}}", 1 + rng.below(9)),
            format!("denial: {{incident: incident-x, actor: actor-{a:03}}}"),
        ];
        for (j, assertion) in assertions.iter().enumerate() {
            let _ = writeln!(
                y,
                "  - {{id: r-{a:03}-{j}, source: {}, date: {}, credibility: {}, asserts: [{{{assertion}}}]}}",
                sources[rng.below(3)],
                date(18_263 + 2 + j as i64),
                2 + rng.below(3)
            );
        }
    }
    y
}
