//! Stage 3: program + evidence → fact store → findings and arguments →
//! claim graph → exact weighing (or guaranteed bounds) → assessment.

pub mod arguments;
pub mod assess;
pub mod bounds;
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

#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Only reports made on or before this date count.
    pub as_of: Option<Date>,
    /// The work budget and size limits (docs/semantics.md, "Budgets and limits").
    pub limits: budget::Limits,
}

/// Everything an evaluation produced: the claim graph and the assessment read from it.
pub struct Evaluation {
    pub graph: graph::ClaimGraph,
    /// The weighing of each open question, in evidence order: exact, or
    /// guaranteed bounds when exact weighing exceeded the budget.
    pub weighings: Vec<inference::Weighing>,
    pub assessment: Assessment,
    /// Questions that could not be weighed (a rule computed an invalid
    /// likelihood ratio for their incident): each has its diagnostic and is
    /// left out of the assessment; the others are weighed as usual. Not empty
    /// means invalid input. (Evidence too entangled to weigh exactly is not
    /// refused: its question is bounded, see [`inference::Bounds`].)
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
    let mut weighings = vec![];
    for &q in &open {
        if broken.contains(&evidence.questions[q].incident) {
            continue;
        }
        match inference::weigh(&graph, evidence, q, &options.limits) {
            Ok(w) => weighings.push(w),
            Err(d) => diagnostics.push(d),
        }
    }
    // A question that failed is neither assessed nor "not yet assessed" (it is
    // open): its diagnostic says why.
    let assessment = assess::assess(program, evidence, &graph, &weighings, options, &open);
    Ok(Evaluation { graph, weighings, assessment, diagnostics })
}
