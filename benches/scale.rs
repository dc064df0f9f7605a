//! How loading and evaluation grow with the size of a realistic evidence set
//! (benches/common/scale.rs: 50 reports per incident, one question per
//! incident, shared facts, echoes, retractions), with the standard library;
//! and two hard shapes: dense entanglement, and 172 hypotheses on one
//! incident. Figures in docs/performance.md.
//!
//! `cargo bench --bench scale` runs the sizes up to 10^5 reports;
//! `ASCRIBE_BENCH_MAX=1000000 cargo bench --bench scale` adds 10^6 (several
//! GB of memory: the library builds the whole assessment, and uses the system
//! allocator where the binary uses mimalloc; on two cores, many minutes).
//! Each benchmark takes ten samples.

#[path = "common/scale.rs"]
mod scale;

use ascribe::diagnostics::{SourceId, Sources};
use ascribe::engine::{self, Options};
use ascribe::evidence::{self, EvidenceSet};
use ascribe::language::{self, library, Program};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput};
use std::hint::black_box;
use std::time::Duration;

const SIZES: [usize; 4] = [1_000, 10_000, 100_000, 1_000_000];

fn load(files: &[SourceId], sources: &Sources, program: &Program) -> EvidenceSet {
    match evidence::load(files, sources, &program.schema) {
        Ok(e) => e,
        Err(d) => panic!("the generated evidence does not load:\n{}", d.render(sources)),
    }
}

fn evaluate(program: &Program, evidence: &EvidenceSet, options: &Options) -> engine::Evaluation {
    match engine::evaluate(program, evidence, options) {
        Ok(e) if e.diagnostics.is_empty() => e,
        Ok(_) => panic!("a generated question could not be weighed"),
        Err(_) => panic!("the generated evidence does not evaluate"),
    }
}

fn benches(c: &mut Criterion) {
    let max: usize = std::env::var("ASCRIBE_BENCH_MAX").ok().and_then(|m| m.parse().ok()).unwrap_or(100_000);
    let mut sources = Sources::default();
    let program = match language::compile(library::standard(), &mut sources) {
        Ok(p) => p,
        Err(d) => panic!("the standard library does not compile:\n{}", d.render(&sources)),
    };
    for &reports in SIZES.iter().filter(|&&n| n <= max) {
        // Fewer, longer samples as the size grows: ten samples of one iteration.
        let seconds = (reports as f64 / 1e5).clamp(1.0, 60.0);
        let mut group = c.benchmark_group("scale");
        group
            .sampling_mode(SamplingMode::Flat)
            .sample_size(10)
            .warm_up_time(Duration::from_secs_f64(seconds.min(3.0)))
            .measurement_time(Duration::from_secs_f64(seconds * 4.0))
            .throughput(Throughput::Elements(reports as u64));
        let mut file = None;
        for (style, name) in [(scale::Style::Yaml, "yaml"), (scale::Style::Json, "json")] {
            let id = sources.add(format!("reports-{reports}.{name}"), scale::generate(reports, style));
            group.bench_with_input(BenchmarkId::new(format!("load_{name}"), reports), &id, |b, &id| {
                b.iter(|| load(black_box(&[id]), &sources, &program))
            });
            file = Some(id);
        }
        let Some(file) = file else { continue };
        let set = load(&[file], &sources, &program);
        assert_eq!(set.reports.len(), reports);
        for (threads, name) in [(0, "evaluate"), (1, "evaluate_1_thread")] {
            let options = Options { threads, ..Options::default() };
            group.bench_with_input(BenchmarkId::new(name, reports), &set, |b, set| b.iter(|| evaluate(&program, black_box(set), &options)));
        }
        group.finish();
        // The texts of this size are no longer needed.
        sources = Sources::default();
        let _ = language::compile(library::standard(), &mut sources);
    }

    let mut group = c.benchmark_group("dense");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    for reports in [12, 16] {
        let file = sources.add(format!("entangled-{reports}.yaml"), scale::entangled(reports));
        let set = load(&[file], &sources, &program);
        group.bench_with_input(BenchmarkId::new("entangled", reports), &set, |b, set| {
            b.iter(|| evaluate(&program, black_box(set), &Options::default()))
        });
    }
    let file = sources.add("hypotheses-172.yaml", scale::many_hypotheses(172));
    let set = load(&[file], &sources, &program);
    group.bench_function("hypotheses_172", |b| b.iter(|| evaluate(&program, black_box(&set), &Options::default())));
    group.finish();
}

criterion_group!(scale_benches, benches);
criterion_main!(scale_benches);
