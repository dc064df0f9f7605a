//! Speed and output size with many hypotheses: one campaign against 172 candidate
//! groups, each with a profile of `uses` statements, as in ATT&CK (issue 11.6).
//!
//! `cargo bench --bench profiles` generates, deterministically, a fictional evidence
//! set in ATT&CK's shape (172 groups, 600 techniques, 700 pieces of software of which
//! 70 are public tools; every group has a profile of about 40 techniques and 6 pieces of
//! software; one campaign uses 40 techniques and 6 pieces of software, half of
//! them from one group's profile; all profiles are one report, as ATT&CK publishes
//! them), prints the size of the JSON output (default, and `--top 10 --compact`), then
//! measures:
//!
//! - `profiles/172_hypotheses`: loading and evaluating the set with the standard library;
//! - `profiles/172_hypotheses_json`: the same, and rendering the JSON with `--top 10 --compact`.
//!
//! Every group, technique and tool here is fictional.

use ascribe::diagnostics::{SourceId, Sources};
use ascribe::engine::{self, Options};
use ascribe::evidence::{self, EvidenceSet};
use ascribe::language::{self, library, Program};
use ascribe::report::{json, trim};
use criterion::{criterion_group, criterion_main, Criterion};
use std::fmt::Write;
use std::hint::black_box;
use std::time::Duration;

const GROUPS: usize = 172;
const TECHNIQUES: usize = 600;
const SOFTWARE: usize = 700;
const PUBLIC_EVERY: usize = 10;
const PROFILE_TECHNIQUES: usize = 40;
const PROFILE_SOFTWARE: usize = 6;

/// A 64-bit linear congruential generator (Knuth's MMIX constants).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// Skewed towards small indices: a few techniques are used by many groups.
    fn skewed(&mut self, n: usize) -> usize {
        let a = (self.next() % n as u64) as usize;
        let b = (self.next() % n as u64) as usize;
        a.min(b)
    }
}

fn generate() -> String {
    let mut rng = Lcg(2026);
    let mut y = String::from("case: fictional campaign against 172 groups\nsources:\n  - { id: catalogue, name: Example Catalogue, kind: other, reliability: B }\nactors:\n");
    for g in 0..GROUPS {
        let _ = writeln!(y, "  - {{ id: g{g}, name: Fictional Group {g}, kind: group }}");
    }
    y.push_str("incidents:\n  - { id: campaign, name: Fictional Campaign, date: 2031-06-01 }\nartifacts:\n");
    for t in 0..TECHNIQUES {
        let _ = writeln!(y, "  - {{ id: t{t}, kind: technique }}");
    }
    for s in 0..SOFTWARE {
        if s % PUBLIC_EVERY == 0 {
            let _ = writeln!(y, "  - {{ id: s{s}, kind: tool, public: true }}");
        } else {
            let _ = writeln!(y, "  - {{ id: s{s}, kind: malware }}");
        }
    }
    y.push_str("questions:\n  - id: who-campaign\n    incident: campaign\n    hypotheses: [");
    y.push_str(&(0..GROUPS).map(|g| format!("g{g}")).collect::<Vec<_>>().join(", "));
    y.push_str("]\nreports:\n");
    let mut profiles: Vec<(Vec<usize>, Vec<usize>)> = vec![];
    y.push_str("  - id: profiles\n    source: catalogue\n    date: 2030-01-01\n    credibility: 2\n    asserts:\n");
    for g in 0..GROUPS {
        let mut techniques: Vec<usize> = (0..PROFILE_TECHNIQUES).map(|_| rng.skewed(TECHNIQUES)).collect();
        techniques.sort_unstable();
        techniques.dedup();
        let mut software: Vec<usize> = (0..PROFILE_SOFTWARE).map(|_| rng.skewed(SOFTWARE)).collect();
        software.sort_unstable();
        software.dedup();
        for t in &techniques {
            let _ = writeln!(y, "      - uses: {{ actor: g{g}, artifact: t{t} }}");
        }
        for s in &software {
            let _ = writeln!(y, "      - uses: {{ actor: g{g}, artifact: s{s} }}");
        }
        profiles.push((techniques, software));
    }
    // The campaign: half from group 17's profile, half anything.
    let (own_t, own_s) = &profiles[17];
    let mut techniques: Vec<usize> = own_t.iter().take(PROFILE_TECHNIQUES / 2).copied().collect();
    techniques.extend((0..PROFILE_TECHNIQUES / 2).map(|_| rng.skewed(TECHNIQUES)));
    techniques.sort_unstable();
    techniques.dedup();
    let mut software: Vec<usize> = own_s.iter().take(PROFILE_SOFTWARE / 2).copied().collect();
    software.extend((0..PROFILE_SOFTWARE / 2).map(|_| rng.skewed(SOFTWARE)));
    software.sort_unstable();
    software.dedup();
    y.push_str("  - id: campaign-report\n    source: catalogue\n    date: 2031-07-01\n    credibility: 2\n    asserts:\n");
    for t in &techniques {
        let _ = writeln!(y, "      - technique: {{ incident: campaign, artifact: t{t} }}");
    }
    for s in &software {
        let _ = writeln!(y, "      - observed: {{ artifact: s{s}, incident: campaign }}");
    }
    y
}

fn program(sources: &mut Sources) -> Program {
    match language::compile(library::standard(), sources) {
        Ok(p) => p,
        Err(d) => panic!("the standard library does not compile:\n{}", d.render(sources)),
    }
}

fn load(files: &[SourceId], sources: &Sources, program: &Program) -> EvidenceSet {
    match evidence::load(files, sources, &program.schema) {
        Ok(e) => e,
        Err(d) => panic!("the generated evidence does not load:\n{}", d.render(sources)),
    }
}

fn evaluate(program: &Program, evidence: &EvidenceSet, sources: &Sources) -> engine::Evaluation {
    match engine::evaluate(program, evidence, &Options::default()) {
        Ok(e) => e,
        Err(d) => panic!("the generated evidence does not evaluate:\n{}", d.render(sources)),
    }
}

fn small_json(evaluation: engine::Evaluation) -> String {
    let mut assessment = evaluation.assessment;
    trim::top(&mut assessment, 10);
    trim::compact(&mut assessment);
    json::render(&assessment)
}

fn benches(c: &mut Criterion) {
    let mut sources = Sources::default();
    let program = program(&mut sources);
    let file = sources.add("profiles.yaml", generate());
    // Check once, outside timing, what the set weighs and how large the output is.
    let evidence = load(&[file], &sources, &program);
    let evaluation = evaluate(&program, &evidence, &sources);
    let question = &evaluation.assessment.questions[0];
    assert_eq!(question.hypotheses.len(), GROUPS + 1);
    assert_eq!(question.hypotheses[0].id, "g17", "the group whose profile the campaign follows should lead");
    let full = json::render(&evaluation.assessment);
    let small = small_json(evaluation);
    eprintln!("172 hypotheses: JSON {} bytes by default, {} bytes with --top 10 --compact", full.len(), small.len());

    let mut group = c.benchmark_group("profiles");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    group.bench_function("172_hypotheses", |b| {
        b.iter(|| {
            let evidence = load(black_box(&[file]), &sources, &program);
            evaluate(&program, &evidence, &sources)
        })
    });
    group.bench_function("172_hypotheses_json", |b| {
        b.iter(|| {
            let evidence = load(black_box(&[file]), &sources, &program);
            small_json(evaluate(&program, &evidence, &sources))
        })
    });
    group.finish();
}

criterion_group!(profile_benches, benches);
criterion_main!(profile_benches);
