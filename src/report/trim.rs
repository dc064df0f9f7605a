//! Smaller assessments for many hypotheses: `--top N` keeps the most probable,
//! `--compact` keeps only the evidence bearing on each hypothesis itself.

use super::model::{Assessment, Omitted, QuestionOutcome};

/// Keeps the `n` most probable hypotheses of every question; says how many
/// were left out and how much probability they hold together.
pub fn top(a: &mut Assessment, n: usize) {
    for q in &mut a.questions {
        top_of(q, n);
    }
}

/// [`top`] for one question.
pub fn top_of(q: &mut QuestionOutcome, n: usize) {
    if q.hypotheses.len() <= n {
        return;
    }
    let dropped = q.hypotheses.split_off(n);
    // Ties among the hypotheses shown stay, in full; ties wholly left out go with them.
    let shown: Vec<&str> = q.hypotheses.iter().map(|h| h.id.as_str()).collect();
    q.ties.retain(|tie| tie.hypotheses.iter().any(|h| shown.contains(&h.as_str())));
    q.omitted = Some(Omitted { hypotheses: dropped.len(), probability: dropped.iter().map(|h| h.probability).sum() });
}

/// Lists only the number of assertions that weighed nothing, and drops, from
/// every hypothesis, the contributions of evidence that bears
/// only on other hypotheses, and puts their sum in `rivals_log10_lr`, so that
/// `prior_log10_odds + Σ log10_lr + rivals_log10_lr = log10_odds` still holds.
pub fn compact(a: &mut Assessment) {
    // What weighed nothing is counted, not listed: a profile of thousands of statements
    // would otherwise outweigh the assessment.
    a.unweighed_omitted = Some(std::mem::take(&mut a.unweighed).len());
    for q in &mut a.questions {
        compact_of(q);
    }
}

/// [`compact`] for one question (the count of what weighed nothing is the assessment's).
pub fn compact_of(q: &mut QuestionOutcome) {
    for h in &mut q.hypotheses {
        let (own, rivals): (Vec<_>, Vec<_>) = std::mem::take(&mut h.contributions).into_iter().partition(|c| c.bears_on.contains(&h.id));
        h.rivals_log10_lr = Some(rivals.iter().map(|c| c.log10_lr).sum());
        h.contributions = own;
    }
}
