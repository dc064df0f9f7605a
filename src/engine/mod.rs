//! Stage 3: program + evidence → fact store → findings and arguments →
//! claim graph → exact weighing (or guaranteed bounds) → assessment.

// The stages' own types are public: the claim graph is part of an Outcome,
// and the integration tests and the oracle (tests/common) read it directly.
pub mod arguments;
pub(crate) mod assess;
pub mod assessment;
pub mod bounds;
pub mod budget;
pub(crate) mod by_incident;
pub mod condition;
pub(crate) mod conditioning;
pub mod credence;
pub mod expr;
pub mod facts;
pub mod graph;
pub mod inference;
pub mod matcher;
pub mod outcomes;
pub mod provenance;
pub mod reach;
pub(crate) mod testimony;
pub mod views;

use crate::evidence::EvidenceSet;
use crate::language::Program;
use crate::prelude::*;
pub use assessment::Assessment;
use rayon::prelude::*;

/// How to evaluate: the as-of date and the work budget.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Only reports made on or before this date count.
    pub as_of: Option<Date>,
    /// The work budget and size limits (docs/semantics.md, "Budgets and limits").
    pub limits: budget::Limits,
    /// What-if genuineness by report index, whatever the gradings say: `false`
    /// weighs the report as not genuine, `true` as certainly genuine (the
    /// sensitivity view, docs/semantics.md). Empty for an ordinary evaluation.
    pub assume: BTreeMap<usize, bool>,
    /// Threads that weigh questions: 0 uses the current rayon pool (all cores
    /// unless the caller installed a smaller one), 1 weighs them one after
    /// another on the calling thread. The output is the same either way.
    pub threads: usize,
}

/// Everything an evaluation produced: the claim graph and the assessment read from it.
pub struct Evaluation {
    /// The claim graph: arguments, undercuts and the evidence they rest on.
    pub graph: graph::ClaimGraph,
    /// The weighing of each open question, in evidence order: exact, or
    /// guaranteed bounds when exact weighing exceeded the budget.
    pub weighings: Vec<inference::Weighing>,
    /// What the weighings conclude, as the renderers take it.
    pub assessment: Assessment,
    /// Questions that could not be weighed (a rule computed an invalid
    /// likelihood ratio for their incident, or exhausted its work budget on
    /// that incident alone): each has its diagnostic and is left out of the
    /// assessment, as are the reports about its incident from the list of
    /// what weighed nothing; the others are weighed as usual. Not empty means
    /// invalid input. (Evidence too entangled to weigh exactly is not
    /// refused: its question is bounded, see [`inference::Bounds`].)
    pub diagnostics: Diagnostics,
}

/// Evaluates a checked program against an evidence set. `Err` when no
/// question can be weighed (deriving findings failed, or a weighing rule that
/// cannot be run per incident exhausted its budget); a question that alone
/// cannot be weighed is left out, with its diagnostic in
/// [`Evaluation::diagnostics`], and the others are weighed.
pub fn evaluate(program: &Program, evidence: &EvidenceSet, options: &Options) -> Result<Evaluation, Diagnostics> {
    let provenance = provenance::provenance(evidence, &program.schema, options.as_of, &options.assume);
    let mut applied = arguments::apply(program, evidence, &provenance, &options.limits)?;
    let invalid = std::mem::take(&mut applied.invalid);
    let broken: BTreeSet<String> = invalid.iter().map(|(incident, _)| incident.clone()).collect();
    let mut diagnostics = Diagnostics(
        invalid
            .into_iter()
            .map(|(incident, mut d)| {
                let asked: Vec<String> =
                    evidence.questions.iter().filter(|q| q.incident == incident).map(|q| format!("`{}`", q.id)).collect();
                if !asked.is_empty() {
                    let (s, are) = if asked.len() == 1 { ("", "is") } else { ("s", "are") };
                    d.message = format!("{}: question{s} {} {are} not weighed", d.message, asked.join(", "));
                }
                d
            })
            .collect(),
    );
    let open: Vec<usize> = (0..evidence.questions.len())
        .filter(|&q| match (options.as_of, evidence.incidents.get(&evidence.questions[q].incident)) {
            (Some(as_of), Some((_, date))) => *date <= as_of,
            _ => true,
        })
        .collect();
    let graph = graph::ClaimGraph::build(evidence, applied, provenance, &open);
    let weighable: Vec<usize> = open.iter().copied().filter(|&q| !broken.contains(&evidence.questions[q].incident)).collect();
    let weigh = |q: usize| inference::weigh(&graph, evidence, q, &options.limits);
    // Each question is weighed on its own from the finished graph; collecting
    // in question order keeps the output the same at any number of threads.
    let results: Vec<Result<inference::Weighing, Diagnostic>> = in_parallel(options.threads, || match options.threads {
        1 => weighable.iter().map(|&q| weigh(q)).collect(),
        _ => weighable.par_iter().map(|&q| weigh(q)).collect(),
    });
    let mut weighings = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(w) => weighings.push(w),
            Err(d) => diagnostics.push(d),
        }
    }
    // A question that failed is neither assessed nor "not yet assessed" (it is
    // open): its diagnostic says why.
    let mut assessment = assess::assess(program, evidence, &graph, &weighings, options, &open);
    if !broken.is_empty() {
        let about = by_incident::reports_about(evidence, &program.schema, &broken);
        assessment.unweighed.retain(|u| !about.contains(&u.report));
    }
    Ok(Evaluation { graph, weighings, assessment, diagnostics })
}

/// Runs `work` in a pool of `threads` threads when more than one is asked
/// for, else on the calling thread (and its current pool).
fn in_parallel<T: Send>(threads: usize, work: impl FnOnce() -> T + Send) -> T {
    if threads > 1 && threads != rayon::current_num_threads() {
        if let Ok(pool) = rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            return pool.install(work);
        }
    }
    work()
}
