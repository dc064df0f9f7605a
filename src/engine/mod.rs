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
pub mod sorted;
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
    Ok(weigh(program, evidence, options)?.assess(program, evidence, options))
}

/// Every open question weighed, not yet assessed: a caller that writes a large
/// assessment question by question ([`Weighed::question`]) need not hold it
/// whole (the assessment repeats each contribution under every hypothesis).
pub struct Weighed {
    /// The claim graph.
    pub graph: graph::ClaimGraph,
    /// The weighing of each open question that could be weighed, in evidence order.
    pub weighings: Vec<inference::Weighing>,
    /// Questions that could not be weighed, as in [`Evaluation::diagnostics`].
    pub diagnostics: Diagnostics,
    /// The open questions (indexes into the evidence set's questions).
    open: Vec<usize>,
    /// The incidents whose questions could not be weighed.
    broken: BTreeSet<String>,
}

impl Weighed {
    /// The whole evaluation, its assessment included.
    pub fn assess(self, program: &Program, evidence: &EvidenceSet, options: &Options) -> Evaluation {
        let rest = self.assess_rest(program, evidence, options);
        let questions = self.weighings.iter().map(|w| assess::question(program, evidence, &self.graph, w)).collect();
        let Weighed { graph, weighings, diagnostics, .. } = self;
        Evaluation { graph, weighings, assessment: Assessment { questions, ..rest }, diagnostics }
    }

    /// The assessment without its questions (`questions` is empty): what was
    /// not yet asked, withdrawn, or weighed nothing.
    pub fn assess_rest(&self, program: &Program, evidence: &EvidenceSet, options: &Options) -> Assessment {
        // A question that failed is neither assessed nor "not yet assessed" (it is
        // open): its diagnostic says why, and the reports about its incident are
        // not listed as weighing nothing.
        let mut rest = assess::assess_rest(program, evidence, &self.graph, &self.weighings, options, &self.open);
        if !self.broken.is_empty() {
            let about = by_incident::reports_about(evidence, &program.schema, &self.broken);
            rest.unweighed.retain(|u| !about.contains(&u.report));
        }
        rest
    }

    /// The assessment of weighing `index` (in [`Weighed::weighings`]), as it
    /// appears in [`Assessment::questions`].
    pub fn question(&self, program: &Program, evidence: &EvidenceSet, index: usize) -> assessment::QuestionOutcome {
        assess::question(program, evidence, &self.graph, &self.weighings[index])
    }

    /// [`Weighed::question`] with contributions only under the `shown` most
    /// probable hypotheses (see [`Weighed::questions`]).
    fn question_shown(&self, program: &Program, evidence: &EvidenceSet, index: usize, shown: Option<usize>) -> assessment::QuestionOutcome {
        assess::question_shown(program, evidence, &self.graph, &self.weighings[index], shown)
    }

    /// Every question's assessment, in order, assessed a batch at a time (in
    /// parallel on `threads` threads, as in [`Options::threads`]): only one
    /// batch is held at once. With `shown: Some(n)`, contributions are listed
    /// only under each question's `n` most probable hypotheses (for `--top n`,
    /// which drops the others).
    pub fn questions<'a>(
        &'a self,
        program: &'a Program,
        evidence: &'a EvidenceSet,
        threads: usize,
        shown: Option<usize>,
    ) -> impl Iterator<Item = assessment::QuestionOutcome> + 'a {
        // Small batches: a question with many hypotheses can assess to a
        // hundred megabytes (each contribution under every hypothesis).
        const BATCH: usize = 16;
        let count = self.weighings.len();
        (0..count).step_by(BATCH).flat_map(move |start| {
            let batch = start..(start + BATCH).min(count);
            let assessed: Vec<assessment::QuestionOutcome> = in_parallel(threads, || match threads {
                1 => batch.map(|i| self.question_shown(program, evidence, i, shown)).collect(),
                _ => batch.into_par_iter().map(|i| self.question_shown(program, evidence, i, shown)).collect(),
            });
            assessed
        })
    }
}

/// Weighs every open question (see [`evaluate`], which assesses them too).
pub fn weigh(program: &Program, evidence: &EvidenceSet, options: &Options) -> Result<Weighed, Diagnostics> {
    let Built { graph, open, weighable, broken, mut diagnostics } = build(program, evidence, options)?;
    let weigh = |q: usize| inference::weigh(&graph, evidence, q, &options.limits);
    // Each question is weighed on its own from the finished graph; collecting
    // in question order keeps the output the same at any number of threads.
    let results: Vec<Result<inference::Weighing, Diagnostic>> = map_in_order(options.threads, &weighable, |&q| weigh(q));
    let mut weighings = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(w) => weighings.push(w),
            Err(d) => diagnostics.push(d),
        }
    }
    Ok(Weighed { graph, weighings, diagnostics, open, broken })
}

/// The claim graph of an evaluation, the questions open at its date, those of
/// them that can be weighed, and the diagnostics of incidents whose rules failed.
struct Built {
    graph: graph::ClaimGraph,
    open: Vec<usize>,
    weighable: Vec<usize>,
    /// Incidents whose rules ran out of budget: their questions are not weighed.
    broken: BTreeSet<String>,
    diagnostics: Diagnostics,
}

/// Everything [`evaluate`] does before weighing: provenance, rules, claim graph.
fn build(program: &Program, evidence: &EvidenceSet, options: &Options) -> Result<Built, Diagnostics> {
    let provenance = provenance::provenance(evidence, &program.schema, options.as_of, &options.assume);
    let mut applied = arguments::apply(program, evidence, &provenance, &options.limits, options.threads)?;
    let invalid = std::mem::take(&mut applied.invalid);
    let broken: BTreeSet<String> = invalid.iter().map(|(incident, _)| incident.clone()).collect();
    let diagnostics = Diagnostics(
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
    Ok(Built { graph, open, weighable, broken, diagnostics })
}

/// Weighs only the given questions (indexes) as [`evaluate`] would, without
/// the assessment: what a what-if needs when it must rebuild the claim graph
/// (src/engine/views/whatif.rs). A question left out was not weighed (not
/// open, its rules failed, or its weighing failed); `Err` as for [`evaluate`].
pub fn weigh_questions(
    program: &Program,
    evidence: &EvidenceSet,
    options: &Options,
    questions: &BTreeSet<usize>,
) -> Result<Vec<inference::Weighing>, Diagnostics> {
    let Built { graph, weighable, .. } = build(program, evidence, options)?;
    let asked: Vec<usize> = weighable.into_iter().filter(|q| questions.contains(q)).collect();
    Ok(asked.iter().filter_map(|&q| inference::weigh(&graph, evidence, q, &options.limits).ok()).collect())
}

/// `f` of each item, in order: in parallel on `threads` threads (as in
/// [`Options::threads`]), one after another on the calling thread when 1.
pub(crate) fn map_in_order<T: Sync, U: Send>(threads: usize, items: &[T], f: impl Fn(&T) -> U + Sync + Send) -> Vec<U> {
    in_parallel(threads, || match threads {
        1 => items.iter().map(&f).collect(),
        _ => items.par_iter().map(&f).collect(),
    })
}

/// Runs `work` in a pool of `threads` threads when more than one is asked
/// for, else on the calling thread (and its current pool).
pub(crate) fn in_parallel<T: Send>(threads: usize, work: impl FnOnce() -> T + Send) -> T {
    if threads > 1 && threads != rayon::current_num_threads() {
        if let Ok(pool) = rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            return pool.install(work);
        }
    }
    work()
}
