//! How evaluation time grows with the size of the inputs that used to blow up
//! (docs/performance.md): one fact asserted by many reports, the
//! `campaign.chain` closure over linked incidents, and dense evidence too
//! entangled to weigh exactly, which gets guaranteed bounds within the default
//! budget (`dense`: the fixtures of tests/dense/, 50 overlapping reports on one
//! question, and 20 hypotheses with 100 overlapping reports). Every name is fictional.
//!
//! `cargo bench --bench bounds`

use ascribe::diagnostics::Sources;
use ascribe::engine::{self, Options};
use ascribe::evidence;
use ascribe::language::{self, library};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use std::fmt::Write;
use std::hint::black_box;
use std::time::Duration;

const HEAD: &str = "sources:\n  - { id: s1, name: S1, kind: vendor, reliability: B }\nactors:\n  - { id: alpha, name: Alpha, country: XA }\n  - { id: beta, name: Beta, country: XB }\n";

fn one_fact(reports: usize) -> String {
    let mut y = HEAD.to_string();
    y.push_str("incidents:\n  - { id: inc, date: 2030-01-01 }\nartifacts:\n  - { id: ip1, kind: ip }\n");
    y.push_str("questions:\n  - { id: q, incident: inc, hypotheses: [alpha, beta] }\nreports:\n");
    for k in 0..reports {
        let _ = writeln!(
            y,
            "  - {{ id: r{k}, source: s1, date: 2030-02-01, credibility: 2, asserts: [ {{ geolocation: {{ artifact: ip1, country: XA }} }}, {{ observed: {{ artifact: ip1, incident: inc, role: send_receive }} }} ] }}"
        );
    }
    y
}

/// A path of `n` incidents, each linked to the next.
fn chain(n: usize) -> String {
    let mut y = HEAD.to_string();
    y.push_str("incidents:\n");
    for k in 0..n {
        let _ = writeln!(y, "  - {{ id: i{k}, date: 2030-01-{:02} }}", k % 28 + 1);
    }
    let _ = writeln!(y, "questions:\n  - {{ id: q, incident: i{}, hypotheses: [alpha, beta] }}", n - 1);
    y.push_str("reports:\n  - { id: att, source: s1, date: 2030-02-01, credibility: 2, asserts: [ { attribution: { incident: i0, actor: alpha } } ] }\n");
    for k in 0..n - 1 {
        let _ = writeln!(
            y,
            "  - {{ id: r{k}, source: s1, date: 2030-02-01, credibility: 2, asserts: [ {{ shared_infrastructure: {{ incident: i{k}, other: i{} }} }} ] }}",
            k + 1
        );
    }
    y
}

fn benches(c: &mut Criterion) {
    let mut sources = Sources::default();
    let program = language::compile(library::standard(), &mut sources).expect("the standard library compiles");
    let mut group = c.benchmark_group("one_fact");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    for reports in [1_000, 10_000] {
        let file = sources.add(format!("one-fact-{reports}.yaml"), one_fact(reports));
        let set = evidence::load(&[file], &sources, &program.schema).expect("loads");
        group.bench_with_input(BenchmarkId::from_parameter(reports), &set, |b, set| {
            b.iter(|| engine::evaluate(&program, black_box(set), &Options::default()).is_ok())
        });
    }
    group.finish();
    let mut group = c.benchmark_group("chain");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    for n in [5, 10, 20] {
        let file = sources.add(format!("chain-{n}.yaml"), chain(n));
        let set = evidence::load(&[file], &sources, &program.schema).expect("loads");
        group.bench_with_input(BenchmarkId::from_parameter(n), &set, |b, set| {
            b.iter(|| engine::evaluate(&program, black_box(set), &Options::default()).is_ok())
        });
    }
    group.finish();
    // Weighed exactly until the budget runs out, then bounded with as much again.
    let mut group = c.benchmark_group("dense");
    group.sampling_mode(SamplingMode::Flat).sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    for name in ["overlapping-50", "overlapping-20x100"] {
        let path = format!("{}/tests/dense/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect("the dense fixtures (tests/dense/)");
        let file = sources.add(format!("{name}.yaml"), text);
        let set = evidence::load(&[file], &sources, &program.schema).expect("loads");
        let evaluation = engine::evaluate(&program, &set, &Options::default()).expect("evaluates");
        assert!(evaluation.weighings[0].bounds.is_some(), "{name} is bounded within the default budget");
        group.bench_with_input(BenchmarkId::from_parameter(name), &set, |b, set| {
            b.iter(|| engine::evaluate(&program, black_box(set), &Options::default()).is_ok())
        });
    }
    group.finish();
}

criterion_group!(bounds_benches, benches);
criterion_main!(bounds_benches);
