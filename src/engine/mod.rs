//! Stage 3: program + evidence → fact store → findings and arguments →
//! claim graph → exact weighing → assessment.

pub mod arguments;
pub mod assess;
pub mod budget;
pub mod condition;
pub mod conditioning;
pub mod expr;
pub mod facts;
pub mod graph;
pub mod inference;
pub mod matcher;
pub mod outcomes;
pub mod provenance;
pub mod reach;
pub mod testimony;

use crate::evidence::EvidenceSet;
use crate::language::Program;
use crate::prelude::*;
use crate::report::Assessment;
use rayon::prelude::*;

#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Only reports made on or before this date count.
    pub as_of: Option<Date>,
    /// The work budget and size limits (docs/semantics.md, "Budgets and limits").
    pub limits: budget::Limits,
    /// Threads that weigh questions: 0 uses the current rayon pool (all cores
    /// unless the caller installed a smaller one), 1 weighs them one after
    /// another on the calling thread. The output is the same either way.
    pub threads: usize,
}

/// Everything an evaluation produced: the claim graph and the assessment read from it.
pub struct Evaluation {
    pub graph: graph::ClaimGraph,
    /// The exact weighing of each open question, in evidence order.
    pub weighings: Vec<inference::Weighing>,
    pub assessment: Assessment,
    /// Questions that could not be weighed (a rule computed an invalid
    /// likelihood ratio for their incident, or their evidence is too
    /// entangled): each has its diagnostic and is left out of the assessment;
    /// the others are weighed as usual. Not empty means invalid input.
    pub diagnostics: Diagnostics,
}

/// Evaluates a checked program against an evidence set. `Err` when no
/// question can be weighed (deriving findings failed); a question that alone
/// cannot be weighed is left out, with its diagnostic in
/// [`Evaluation::diagnostics`], and the others are weighed.
pub fn evaluate(program: &Program, evidence: &EvidenceSet, options: &Options) -> Result<Evaluation, Diagnostics> {
    let provenance = provenance::provenance(evidence, &program.schema, options.as_of);
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
    let assessment = assess::assess(program, evidence, &graph, &weighings, options, &open);
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
