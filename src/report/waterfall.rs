//! The steps from a hypothesis' prior to its posterior: each contribution in
//! the order weighed, with the probability before and after it (contributions
//! add in log10 odds, so the last step lands exactly on the posterior).

use super::model::{Contribution, HypothesisOutcome};

/// One step of a waterfall: a contribution and the probability it moves.
pub struct Step<'a> {
    /// The argument, or `None` for the evidence bearing on the other hypotheses only.
    pub contribution: Option<&'a Contribution>,
    /// The change it makes to the hypothesis' log10 odds (log10 likelihood ratio).
    pub log10_lr: f64,
    /// The hypothesis' probability before this step (0..1).
    pub before: f64,
    /// The hypothesis' probability after this step (0..1).
    pub after: f64,
}

/// A probability (0..1) from its log10 odds.
pub fn probability(log10_odds: f64) -> f64 {
    1.0 / (1.0 + 10f64.powf(-log10_odds))
}

/// The steps from a hypothesis' prior to its posterior: each contribution bearing
/// on it in the order weighed, then one step for the evidence bearing on the other
/// hypotheses only (when it moves the odds at all).
pub fn steps(h: &HypothesisOutcome) -> Vec<Step<'_>> {
    let mut odds = h.prior_log10_odds;
    let mut out = vec![];
    let mut others = 0.0;
    for c in &h.contributions {
        if !c.bears_on.contains(&h.id) {
            others += c.log10_lr;
            continue;
        }
        let before = probability(odds);
        odds += c.log10_lr;
        out.push(Step { contribution: Some(c), log10_lr: c.log10_lr, before, after: probability(odds) });
    }
    if others.abs() > 1e-9 {
        let before = probability(odds);
        odds += others;
        out.push(Step { contribution: None, log10_lr: others, before, after: probability(odds) });
    }
    out
}
