//! Speed of loading and evaluating a large evidence set with the standard library.
//!
//! `cargo bench --bench evaluate` generates, deterministically, a fictional
//! evidence set of 100,000 reports (2,000 incidents, 50 reports each, from 100
//! sources about 50 actors) as YAML text, then measures:
//!
//! - `load/100k_reports`: YAML text → validated evidence set (`Engine::evidence`);
//! - `evaluate/100k_reports`: evaluation with the standard rule library;
//! - `evaluate/entangled_12`: one question whose evidence entangles 12 uncertain
//!   reports in one component (2^12 worlds weighed exactly).
//!
//! Every actor, incident and source here is fictional; countries use the ISO
//! 3166 user-assigned codes XA to XT.

#[path = "common/scale.rs"]
mod scale;

use ascribe::{Date, Engine, Evidence, Options, Outcome};
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use std::fmt::Write;
use std::hint::black_box;
use std::time::Duration;

const INCIDENTS: usize = 2_000;
const REPORTS_PER_INCIDENT: usize = 50;
const ACTORS: usize = 50;
const SOURCES: usize = 100;
const COUNTRIES: usize = 20;
const IPS_PER_INCIDENT: usize = 3;

/// A 64-bit linear congruential generator (Knuth's MMIX constants).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn country(i: usize) -> String {
    format!("X{}", (b'A' + (i % COUNTRIES) as u8) as char)
}

fn actor_country(a: usize) -> String {
    country(a * 7)
}

fn day(base: Date, offset: usize) -> String {
    Date(base.0 + offset as i32).to_string()
}

/// The large evidence set as YAML text.
fn generate() -> String {
    let mut rng = Lcg(2013);
    let mut y = String::with_capacity(16 << 20);
    y.push_str("case: generated benchmark set (fictional)\n\nsources:\n");
    let kinds = ["vendor", "government", "media", "expert", "investigation"];
    let grades = ["A", "B", "C", "D", "F", "B", "C"];
    for s in 0..SOURCES {
        let _ = writeln!(
            y,
            "  - {{id: src-{s:03}, name: Fictional source {s}, kind: {}, reliability: {}}}",
            kinds[s % kinds.len()],
            grades[s % grades.len()]
        );
    }
    y.push_str("\nactors:\n");
    let actor_kinds = ["state", "criminal", "hacktivist"];
    for a in 0..ACTORS {
        let _ = write!(
            y,
            "  - {{id: actor-{a:02}, name: Fictional actor {a}, country: {}, kind: {}, tools: [code-{a:02}",
            actor_country(a),
            actor_kinds[a % 3]
        );
        if a % 5 == 0 {
            let _ = write!(y, ", code-{:02}", (a + 1) % ACTORS);
        }
        y.push(']');
        if a % 7 == 3 {
            let _ = write!(y, ", routes_through: [{}]", actor_country(a + 1));
        }
        y.push_str("}\n");
    }
    let base = Date::from_ymd(2010, 1, 1).expect("a valid date");
    y.push_str("\nincidents:\n");
    for i in 0..INCIDENTS {
        let _ = writeln!(
            y,
            "  - {{id: incident-{i:04}, name: Fictional incident {i}, date: {}, victim_country: {}}}",
            day(base, 2 * i),
            country(i * 3)
        );
    }
    y.push_str("\nartifacts:\n");
    for a in 0..ACTORS {
        let public = if a % 10 == 9 { ", public: true" } else { "" };
        let _ = writeln!(y, "  - {{id: code-{a:02}, kind: code{public}}}");
    }
    for i in 0..INCIDENTS {
        for k in 0..IPS_PER_INCIDENT {
            let _ = writeln!(y, "  - {{id: ip-{i:04}-{k}, kind: ip, value: 198.51.{}.{}}}", i % 256, k);
        }
    }
    // Three distinct candidates per incident.
    let candidates: Vec<[usize; 3]> = (0..INCIDENTS)
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
    y.push_str("\nquestions:\n");
    for (i, cands) in candidates.iter().enumerate() {
        let _ = write!(y, "  - id: q-{i:04}\n    incident: incident-{i:04}\n    hypotheses: ");
        if i % 4 == 0 {
            let _ = writeln!(
                y,
                "[{{actor: actor-{:02}, prior: 0.3}}, {{actor: actor-{:02}, prior: 0.3}}, {{actor: actor-{:02}, prior: 0.2}}]",
                cands[0], cands[1], cands[2]
            );
        } else {
            let _ = writeln!(y, "[actor-{:02}, actor-{:02}, actor-{:02}]", cands[0], cands[1], cands[2]);
        }
    }
    y.push_str("\nreports:\n");
    let roles = ["access", "send_receive", "c2", "distribution"];
    for (i, cands) in candidates.iter().enumerate() {
        let incident = format!("incident-{i:04}");
        for j in 0..REPORTS_PER_INCIDENT {
            let cand = cands[rng.below(3)];
            let ip = format!("ip-{i:04}-{}", rng.below(IPS_PER_INCIDENT));
            let _ = write!(
                y,
                "  - id: r-{i:04}-{j:02}\n    source: src-{:03}\n    date: {}\n    credibility: {}\n",
                rng.below(SOURCES),
                day(base, 2 * i + 1 + j % 20),
                1 + rng.below(4) + (rng.below(8) == 0) as usize * 2
            );
            if j == 44 {
                let _ = writeln!(y, "    retracts: r-{i:04}-03");
            }
            if j == 43 {
                let _ = writeln!(y, "    based_on: [r-{i:04}-42]");
            }
            y.push_str("    asserts:\n");
            let assertion = match j {
                0..=11 => {
                    let mut s = format!(
                        "observed: {{artifact: {ip}, incident: {incident}, role: {}, count: {}}}",
                        roles[rng.below(roles.len())],
                        1 + rng.below(100)
                    );
                    if j % 4 == 0 {
                        let _ = write!(s, "\n      - geolocation: {{artifact: {ip}, country: {}}}", actor_country(cand));
                    }
                    s
                }
                12..=21 => {
                    let country = if rng.below(4) == 0 { country(rng.below(COUNTRIES)) } else { actor_country(cand) };
                    format!("geolocation: {{artifact: {ip}, country: {country}}}")
                }
                22..=28 => {
                    let code = if rng.below(3) == 0 { rng.below(ACTORS) } else { cand };
                    format!("code_reuse: {{incident: {incident}, artifact: code-{code:02}, similarity: 0.{}}}", 1 + rng.below(9))
                }
                29 if i % 20 == 19 => {
                    format!("shared_code: {{incident: {incident}, other: incident-{:04}, similarity: 0.5}}", i - 1)
                }
                29..=35 => {
                    let total = 10 + rng.below(40);
                    format!(
                        "infrastructure_reuse: {{incident: {incident}, actor: actor-{cand:02}, reused: {}, total: {total}}}",
                        rng.below(total)
                    )
                }
                36..=45 => format!("attribution: {{incident: {incident}, actor: actor-{cand:02}}}"),
                49 if i % 4 == 0 => format!("tension: {{actor: actor-{cand:02}, country: {}}}", country(i * 3)),
                _ => format!("denial: {{incident: {incident}, actor: actor-{cand:02}}}"),
            };
            let _ = writeln!(y, "      - {assertion}");
        }
    }
    y
}

fn engine() -> Engine {
    Engine::new().unwrap_or_else(|e| panic!("the standard library does not compile:\n{}", e.render()))
}

/// Loads evidence text (the text is copied into the evidence's sources: a
/// few milliseconds for the largest set, against seconds of loading).
fn load(engine: &Engine, name: &str, text: &str) -> Evidence {
    engine.evidence().text(name, text).load().unwrap_or_else(|e| panic!("the generated evidence does not load:\n{}", e.render()))
}

fn evaluate(engine: &Engine, evidence: &Evidence) -> Outcome {
    engine.evaluate(evidence, &Options::default()).unwrap_or_else(|e| panic!("the generated evidence does not evaluate:\n{}", e.render()))
}

fn benches(c: &mut Criterion) {
    let engine = engine();
    let big = generate();
    let small = scale::entangled(12);
    let evidence = load(&engine, "generated.yaml", &big);
    assert_eq!(evidence.set().reports.len(), INCIDENTS * REPORTS_PER_INCIDENT);
    let entangled = load(&engine, "entangled.yaml", &small);
    // Check once, outside timing, that the sets weigh what they should.
    let outcome = evaluate(&engine, &evidence);
    let assessment = outcome.assessment();
    assert_eq!(assessment.questions.len(), INCIDENTS);
    let decided = assessment.questions.iter().filter(|q| q.hypotheses.first().is_some_and(|h| h.probability > 0.5)).count();
    eprintln!("generated set: {decided} of {INCIDENTS} questions have a leading hypothesis above 50%");
    assert!(decided > INCIDENTS / 2, "the generated evidence should be diagnostic");
    assert_eq!(evaluate(&engine, &entangled).assessment().questions.len(), 1);

    // Seconds per iteration: flat sampling, ten samples of one iteration each.
    let mut group = c.benchmark_group("load");
    group.sampling_mode(SamplingMode::Flat).sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(25));
    group.bench_function("100k_reports", |b| b.iter(|| load(&engine, "generated.yaml", black_box(&big))));
    group.finish();

    let mut group = c.benchmark_group("evaluate");
    group.sampling_mode(SamplingMode::Flat).sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(40));
    group.bench_function("100k_reports", |b| b.iter(|| evaluate(&engine, black_box(&evidence))));
    group.finish();

    let mut group = c.benchmark_group("evaluate");
    group.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    group.bench_function("entangled_12", |b| b.iter(|| evaluate(&engine, black_box(&entangled))));
    group.finish();
}

criterion_group!(evaluate_benches, benches);
criterion_main!(evaluate_benches);
