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
    /// The exact weighing of each open question, in evidence order.
    pub weighings: Vec<inference::Weighing>,
    pub assessment: Assessment,
}

/// Evaluates a checked program against an evidence set.
pub fn evaluate(program: &Program, evidence: &EvidenceSet, options: &Options) -> Result<Evaluation, Diagnostics> {
    let provenance = provenance::provenance(evidence, &program.schema, options.as_of);
    let applied = arguments::apply(program, evidence, &provenance, &options.limits)?;
    let open: Vec<usize> = (0..evidence.questions.len())
        .filter(|&q| match (options.as_of, evidence.incidents.get(&evidence.questions[q].incident)) {
            (Some(as_of), Some((_, date))) => *date <= as_of,
            _ => true,
        })
        .collect();
    let graph = graph::ClaimGraph::build(evidence, applied, provenance, &open);
    let mut weighings = vec![];
    let mut diagnostics = Diagnostics::default();
    for &q in &open {
        match inference::weigh(&graph, evidence, q, &options.limits) {
            Ok(w) => weighings.push(w),
            Err(d) => diagnostics.push(d),
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let assessment = assess::assess(program, evidence, &graph, &weighings, options, &open);
    Ok(Evaluation { graph, weighings, assessment })
}
