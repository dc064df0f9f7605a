//! `ascribe eval`: weigh evidence sets and report.

use super::batch;
use super::inputs;
use super::ErrorFormat;
use crate::api::Options;
use crate::engine;
use crate::engine::budget::Limits;
use crate::prelude::*;
use crate::report::{dot, json, problog, text, trim};
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Rule files or folders of .ascr files, added to the standard library.
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<PathBuf>,
    /// Do not load the standard rule library.
    #[arg(long)]
    no_default_rules: bool,
    /// Work budget: steps each rule and each question may take; a question that needs more gets guaranteed ranges, narrower the larger the budget (see docs/semantics.md, "Budgets and limits").
    #[arg(long, value_name = "STEPS", default_value_t = crate::engine::budget::DEFAULT_STEPS, value_parser = clap::value_parser!(u64).range(1..))]
    budget: u64,
    /// Largest evidence file accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = inputs::DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,
    /// Count only reports made on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<Date>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Show only the N most probable hypotheses of each question (text and JSON).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    top: Option<u64>,
    /// JSON: list under each hypothesis only the evidence bearing on it, with the rest summed.
    #[arg(long)]
    compact: bool,
    /// Evaluate each evidence file as its own case (as a folder's files always are), not all together as one set.
    #[arg(long)]
    each: bool,
    /// Threads that weigh questions and cases (default: one per core; 1 works on one thread).
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1024))]
    jobs: Option<u64>,
    /// Print the time spent in each stage on stderr (for tools/compare_problog.py).
    #[arg(long, hide = true)]
    timings: bool,
    /// Evidence files (YAML or JSON), evaluated together as one set; `-` reads standard input. A folder is a batch: each evidence file found in it is its own case.
    #[arg(required = true, value_name = "EVIDENCE")]
    evidence: Vec<PathBuf>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Format {
    Text,
    Json,
    /// One JSON object per line and per case: its files, and its assessment or its diagnostics.
    Jsonl,
    Dot,
    /// The equivalent probabilistic logic program of each question.
    Problog,
    /// A STIX 2.1 bundle: the evidence, and per question attributed-to relationships, a note explaining them and a grouping of the evidence.
    Stix,
}

pub fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text).ok_or_else(|| format!("`{text}` is not a date; write YYYY-MM-DD, e.g. 2013-04-10"))
}

pub fn run(args: Args, errors: ErrorFormat, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> i32 {
    let started = Instant::now();
    let engine = match inputs::engine(&args.rules, !args.no_default_rules) {
        Ok(e) => e,
        Err(e) => return inputs::report_error(&e, errors, err),
    };
    let options = Options {
        as_of: args.as_of,
        limits: Limits { steps: args.budget, ..Limits::default() },
        threads: args.jobs.map_or(0, |j| j as usize),
        ..Options::default()
    };
    if args.each || args.evidence.iter().any(|p| p.is_dir()) {
        let batch =
            batch::Batch { engine: &engine, options: &options, max_file_size: args.max_file_size, top: args.top, compact: args.compact };
        return batch.run(&args.evidence, args.format, errors, out, err);
    }
    let compiled = Instant::now();
    let evidence = match inputs::evidence(&engine, &args.evidence, args.max_file_size) {
        Ok(e) => e,
        Err(e) => return failed(&args, &e, errors, out, err),
    };
    let loaded = Instant::now();
    // What a STIX bundle read as evidence left out (docs/stix.md): said, as `check` says it.
    if !evidence.set().warnings.is_empty() {
        inputs::write_diagnostics(&Diagnostics(evidence.set().warnings.clone()), evidence.sources(), errors, err);
    }
    if matches!(args.format, Format::Json | Format::Text) {
        return stream_json(&args, &engine, &evidence, &options, errors, out, err, [started, compiled, loaded]);
    }
    let outcome = match engine.evaluate_partial(&evidence, &options) {
        Ok(o) => o,
        Err(e) => return failed(&args, &e, errors, out, err),
    };
    let evaluated = Instant::now();
    let sources = evidence.sources().clone();
    let engine::Evaluation { graph, weighings, mut assessment, diagnostics } = outcome.into_evaluation();
    let rendered = match args.format {
        Format::Dot => dot::render(&graph, engine.program(), evidence.set()),
        Format::Problog => problog::render(&graph, engine.program(), evidence.set(), &weighings),
        Format::Stix => crate::interop::stix::export::export(evidence.set(), &engine.program().schema, &assessment).bundle,
        _ => {
            // The claim graph and the evidence are no longer needed: freed
            // before the report is written, which lowers the peak on large sets.
            drop((graph, weighings, evidence));
            trim_as_asked(&mut assessment, args.top, args.compact);
            match args.format {
                Format::Jsonl => format!("{}\n", batch::case_json(&args.evidence, Some(&assessment), &diagnostics, &sources)),
                // JSON and text went through `stream_json`.
                _ => super::color::paint_report(&text::render(&assessment), super::color::stdout()),
            }
        }
    };
    let _ = out.write_all(rendered.as_bytes());
    if args.timings {
        timings(err, [started, compiled, loaded, evaluated]);
    }
    // Questions that could not be weighed: the others are reported above, and
    // the exit code still says the input is invalid.
    if !diagnostics.is_empty() {
        return inputs::report(&diagnostics, &sources, errors, err);
    }
    super::EXIT_OK
}

/// `--format json` or `text` of one set: each question is assessed, then
/// trimmed by `--top`/`--compact`, one batch at a time, rather than the whole
/// assessment first, which on a large set or with many hypotheses would hold
/// it all in memory at once (it repeats each piece of evidence under every
/// hypothesis). JSON is written as it is assessed; text is rendered from the
/// trimmed questions. The output is the same as from the whole assessment.
#[allow(clippy::too_many_arguments)]
fn stream_json(
    args: &Args,
    engine: &crate::api::Engine,
    evidence: &crate::api::Evidence,
    options: &Options,
    errors: ErrorFormat,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
    [started, compiled, loaded]: [Instant; 3],
) -> i32 {
    let owned = match engine.weigh_partial(evidence, options) {
        Ok(w) => w,
        Err(e) => return failed(args, &e, errors, out, err),
    };
    let evaluated = Instant::now();
    let (program, set) = (engine.program(), evidence.set());
    let weighed = &owned;
    let (top, compact) = (args.top, args.compact);
    let shown = top.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
    let trimmed = move |mut q: crate::report::QuestionOutcome| {
        if let Some(n) = shown {
            trim::top_of(&mut q, n);
        }
        if compact {
            trim::compact_of(&mut q);
        }
        q
    };
    let rest = || {
        let mut rest = weighed.assess_rest(program, set, options);
        trim_as_asked(&mut rest, top, compact);
        rest
    };
    if args.format == Format::Json && options.threads != 1 {
        // This thread writes while the questions are assessed on others, a few
        // ahead, and what weighed nothing is listed meanwhile: on a large set
        // writing the text is a thread's whole work, which the rest need not wait for.
        std::thread::scope(|scope| {
            let listed = scope.spawn(rest);
            let (sender, assessed) = std::sync::mpsc::sync_channel(64);
            scope.spawn(move || {
                engine::in_parallel(options.threads, || {
                    for q in weighed.questions(program, set, options.threads, shown) {
                        if sender.send(trimmed(q)).is_err() {
                            break;
                        }
                    }
                })
            });
            let as_of = options.as_of.map(|d| d.to_string());
            let joined = || listed.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            json::write_streamed_then(&as_of, compact, assessed.into_iter(), joined, &mut *out);
        });
    } else {
        let rest = rest();
        let questions = weighed.questions(program, set, options.threads, shown).map(trimmed);
        if args.format == Format::Json {
            json::write_streamed(&rest, questions, &mut *out);
        } else {
            let assessment = crate::report::Assessment { questions: questions.collect(), ..rest };
            let _ = out.write_all(super::color::paint_report(&text::render(&assessment), super::color::stdout()).as_bytes());
        }
    }
    if args.timings {
        timings(err, [started, compiled, loaded, evaluated]);
    }
    let code =
        if weighed.diagnostics.is_empty() { super::EXIT_OK } else { inputs::report(&weighed.diagnostics, evidence.sources(), errors, err) };
    // The process ends with this command (`cli::main` is its only caller):
    // freeing the claim graph's millions of small values one by one would
    // only cost time (about a second at a million reports).
    std::mem::forget(owned);
    code
}

/// `--timings`: the time each stage took, from the instants between them.
fn timings(err: &mut dyn std::io::Write, [started, compiled, loaded, evaluated]: [Instant; 4]) {
    let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1e3;
    let _ = writeln!(
        err,
        "timings (ms): rules {:.3}, load {:.3}, evaluate {:.3}, render {:.3}",
        ms(started, compiled),
        ms(compiled, loaded),
        ms(loaded, evaluated),
        ms(evaluated, Instant::now())
    );
}

/// Loading or weighing failed: with `--format jsonl` the case still gets its
/// line (no assessment, its diagnostics), then the diagnostics go to stderr.
fn failed(
    args: &Args,
    error: &crate::error::Error,
    errors: ErrorFormat,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
) -> i32 {
    if args.format == Format::Jsonl {
        let diagnostics = Diagnostics(error.diagnostics().to_vec());
        let _ = writeln!(out, "{}", batch::case_json(&args.evidence, None, &diagnostics, error.sources()));
    }
    inputs::report_error(error, errors, err)
}

/// `--top N` and `--compact`, for one set or each case of a batch.
pub(super) fn trim_as_asked(assessment: &mut crate::report::Assessment, top: Option<u64>, compact: bool) {
    if let Some(n) = top {
        trim::top(assessment, usize::try_from(n).unwrap_or(usize::MAX));
    }
    if compact {
        trim::compact(assessment);
    }
}
