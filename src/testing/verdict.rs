//! Checking an evaluation against a test case's expectations.

use super::case::Expect;
use crate::engine::Evaluation;
use crate::language::Program;
use crate::prelude::*;

/// The ids of the rules that produced at least one argument, undercut or
/// derived finding.
pub fn fired_rules(program: &Program, evaluation: &Evaluation) -> BTreeSet<String> {
    let graph = &evaluation.graph;
    graph
        .arguments
        .iter()
        .map(|a| a.rule)
        .chain(graph.undercutters.iter().filter(|u| !u.targets.is_empty()).map(|u| u.rule))
        .map(|r| program.rules[r].id.clone())
        .chain(graph.store.derived_by.iter().cloned())
        .collect()
}

/// What failed, one line each; empty when every expectation holds.
pub fn judge(expect: &Expect, program: &Program, evaluation: &Evaluation) -> Vec<String> {
    let mut failures = vec![];
    let questions = &evaluation.assessment.questions;
    let question = match &expect.question {
        Some(id) => questions.iter().find(|q| &q.id == id),
        None if questions.len() == 1 => questions.first(),
        None => {
            failures.push(format!(
                "the evidence asks {} questions at this date; say which with `question:` ({})",
                questions.len(),
                questions.iter().map(|q| q.id.as_str()).collect::<Vec<_>>().join(", ")
            ));
            None
        }
    };
    let asks_about_question =
        expect.top.is_some() || !expect.probability.is_empty() || !expect.estimative.is_empty() || expect.confidence.is_some();
    match question {
        Some(q) => {
            let hypothesis = |id: &str| q.hypotheses.iter().find(|h| h.id == id);
            if let Some(top) = &expect.top {
                let first = q.hypotheses.first().map(|h| h.id.as_str()).unwrap_or("");
                if first != top {
                    failures.push(format!("expected {top} first, but {first} is ({})", percent_of(q, first)));
                }
            }
            for (id, lo, hi) in &expect.probability {
                match hypothesis(id) {
                    Some(h) if h.probability < *lo - 1e-12 || h.probability > *hi + 1e-12 => {
                        failures.push(format!("expected {id} between {lo} and {hi}, got {:.4}", h.probability))
                    }
                    Some(_) => {}
                    None => failures.push(format!("question {} has no hypothesis {id}", q.id)),
                }
            }
            for (id, term) in &expect.estimative {
                match hypothesis(id) {
                    Some(h) if &h.estimative != term => {
                        failures.push(format!("expected {id} \"{term}\", got \"{}\" ({:.4})", h.estimative, h.probability))
                    }
                    Some(_) => {}
                    None => failures.push(format!("question {} has no hypothesis {id}", q.id)),
                }
            }
            if let Some(confidence) = &expect.confidence {
                if &q.confidence != confidence {
                    failures.push(format!("expected confidence {confidence}, got {} ({})", q.confidence, q.confidence_reasons.join("; ")));
                }
            }
        }
        None if asks_about_question => {
            if let Some(id) = &expect.question {
                failures.push(format!("no open question {id} at this date"));
            }
        }
        None => {}
    }
    let fired = fired_rules(program, evaluation);
    let known: BTreeSet<&str> = program.rules.iter().map(|r| r.id.as_str()).collect();
    for rule in &expect.fired {
        if !known.contains(rule.as_str()) {
            failures.push(format!("no rule `{rule}` is loaded{}", did_you_mean(rule, &known)));
        } else if !fired.contains(rule) {
            failures.push(format!("expected {rule} to fire, but it produced nothing"));
        }
    }
    for rule in &expect.quiet {
        if !known.contains(rule.as_str()) {
            failures.push(format!("no rule `{rule}` is loaded{}", did_you_mean(rule, &known)));
        } else if fired.contains(rule) {
            failures.push(format!("expected {rule} to stay quiet, but it fired"));
        }
    }
    failures
}

fn did_you_mean(name: &str, known: &BTreeSet<&str>) -> String {
    crate::suggest::did_you_mean(name, known.iter().copied()).map(|s| format!(" ({s})")).unwrap_or_default()
}

fn percent_of(q: &crate::report::QuestionOutcome, id: &str) -> String {
    q.hypotheses.iter().find(|h| h.id == id).map(|h| format!("{:.1}%", h.probability * 100.0)).unwrap_or_default()
}
