//! The assessment: what an evaluation concludes, in a shape serialised as the
//! documented JSON output (docs/output.md) and rendered by the renderers in `report/`.

use serde::Serialize;

/// Everything an evaluation concludes, question by question (docs/output.md).
#[derive(Serialize, Debug, Clone)]
pub struct Assessment {
    /// The date evidence was taken up to, if one was given.
    pub as_of: Option<String>,
    /// The questions weighed, in evidence order.
    pub questions: Vec<QuestionOutcome>,
    /// Questions about incidents that had not happened by the as-of date.
    pub not_yet: Vec<NotYet>,
    /// Reports withdrawn by a later report (they count as never made).
    pub retracted: Vec<Retraction>,
    /// Assertions in force that no argument or undercut rests on, with why.
    pub unweighed: Vec<Unweighed>,
    /// With `--compact`: how many such assertions were left out of `unweighed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unweighed_omitted: Option<usize>,
}

/// An assertion in force that weighed nothing: nothing is dropped in silence.
#[derive(Serialize, Debug, Clone)]
pub struct Unweighed {
    /// The report that makes the assertion.
    pub report: String,
    /// The assertion as written: its type and fields.
    pub assertion: String,
    /// Why it weighed nothing.
    pub reason: String,
}

/// A report withdrawn by a later one.
#[derive(Serialize, Debug, Clone)]
pub struct Retraction {
    /// The withdrawn report.
    pub report: String,
    /// The report that withdraws it.
    pub by: String,
    /// The date of the withdrawing report (YYYY-MM-DD).
    pub date: String,
}

/// A question about an incident later than the as-of date.
#[derive(Serialize, Debug, Clone)]
pub struct NotYet {
    /// The question.
    pub id: String,
    /// Its incident.
    pub incident: String,
    /// The incident's date (YYYY-MM-DD).
    pub date: String,
}

/// One question weighed: the hypotheses' probabilities and why.
#[derive(Serialize, Debug, Clone)]
pub struct QuestionOutcome {
    /// The question's id.
    pub id: String,
    /// The incident it asks about.
    pub incident: String,
    /// The incident's name.
    pub incident_name: String,
    /// The question as written.
    pub text: String,
    /// Analytic confidence in the leading judgment: low, moderate or high.
    pub confidence: String,
    /// Why the confidence is what it is, one line each.
    pub confidence_reasons: Vec<String>,
    /// How many sources, not repeating one another, support the leading judgment.
    pub independent_sources: usize,
    /// Sorted by probability, highest first.
    pub hypotheses: Vec<HypothesisOutcome>,
    /// The hypotheses' probabilities summed up to each actor they are part of
    /// (`parent:`), most probable first; empty when no hypothesis has a parent.
    pub rollups: Vec<Rollup>,
    /// Evidence that fits every hypothesis equally.
    pub non_diagnostic: Vec<Finding>,
    /// Arguments whose force was removed, and by what.
    pub undercut: Vec<Undercut>,
    /// Only when the evidence was too entangled to weigh exactly within the
    /// work budget: the probabilities are guaranteed ranges (docs/semantics.md, section 7a).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bounded: Option<Bounded>,
    /// Hypotheses the evidence cannot tell apart (equal probabilities), most
    /// probable first; absent when every hypothesis stands apart.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ties: Vec<Tie>,
    /// The hypotheses left out by `--top N`: how many, and their probability in all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub omitted: Option<Omitted>,
}

/// Why a question's probabilities are ranges, and what they rest on.
#[derive(Serialize, Debug, Clone)]
pub struct Bounded {
    /// Why exact weighing did not finish.
    pub reason: String,
    /// The work budget, in steps (`--budget`): the exact attempt and the bounding each had this much.
    pub budget: u64,
    /// Steps the bounding took.
    pub steps: u64,
    /// The probability of the worlds of the entangled reports that were weighed exactly.
    pub weighed_exactly: f64,
    /// The entangled reports: those the bodies of evidence left open rest on.
    pub reports: Vec<String>,
    /// Whether the leading hypothesis' range lies wholly above every other's.
    pub leader_settled: bool,
    /// Every argument weighed, with what it states; there is no exact share per argument.
    pub arguments: Vec<BoundedArgument>,
}

/// An argument of a bounded question: what it states and how probably it holds.
#[derive(Serialize, Debug, Clone)]
pub struct BoundedArgument {
    /// The rule that made it.
    pub rule: String,
    /// The actor it names (or `other`).
    pub target: String,
    /// The hypotheses it bears on.
    pub bears_on: Vec<String>,
    /// `supports` or `opposes` (its target).
    pub direction: String,
    /// log10 of the ratio the rule states for its target, before discounting.
    pub nominal_log10_lr: f64,
    /// The probability that the evidence it rests on holds, or a lower bound
    /// on it (see `holds_bound`).
    pub holds: f64,
    /// `exact`, or `lower` when `holds` is only a lower bound: the argument's
    /// group alone did not fit in what was left of the budget
    /// (docs/semantics.md, section 7a).
    pub holds_bound: &'static str,
    /// The rule's explanation, filled in.
    pub explanation: String,
    /// The reports it rests on.
    pub reports: Vec<String>,
    /// Arguments resting on the same evidence, counted once with this one.
    pub counted_once_with: Vec<String>,
}

/// What `--top N` left out of a question.
#[derive(Serialize, Debug, Clone)]
pub struct Omitted {
    /// How many hypotheses were left out.
    pub hypotheses: usize,
    /// Their probability in all.
    pub probability: f64,
}

/// "These 12 hypotheses are indistinguishable on this evidence."
#[derive(Serialize, Debug, Clone)]
pub struct Tie {
    /// In the order of `hypotheses`.
    pub hypotheses: Vec<String>,
    /// The probability each of them has.
    pub probability: f64,
    /// Whether they share the highest probability: then none of them leads.
    pub leading: bool,
}

/// "Russia, any of its units": a parent's share of the probability.
#[derive(Serialize, Debug, Clone)]
pub struct Rollup {
    /// The parent actor.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The sum of its hypotheses' probabilities.
    pub probability: f64,
    /// Only when the question is bounded: the guaranteed range (`probability` is its middle).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probability_range: Option<[f64; 2]>,
    /// The ICD 203 term, as far as the analytic confidence allows.
    pub estimative: String,
    /// The hypotheses that are part of it.
    pub hypotheses: Vec<String>,
}

/// One hypothesis of a question: its prior, its posterior and what moved it.
#[derive(Serialize, Debug, Clone)]
pub struct HypothesisOutcome {
    /// The actor's id (`other` for an actor not listed).
    pub id: String,
    /// The actor's name.
    pub name: String,
    /// The prior probability.
    pub prior: f64,
    /// The posterior; when the question is bounded, the middle of `probability_range`.
    pub probability: f64,
    /// Only when the question is bounded: guaranteed lower and upper bounds on the posterior.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probability_range: Option<[f64; 2]>,
    /// The ICD 203 term for the probability, as far as the analytic
    /// confidence allows (docs/semantics.md, section 10).
    pub estimative: String,
    /// The term of the probability's band, when the confidence did not allow it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimative_capped_from: Option<String>,
    /// log10 of the prior odds against all the other hypotheses.
    pub prior_log10_odds: f64,
    /// `prior_log10_odds` plus the sum of the contributions' `log10_lr`.
    pub log10_odds: f64,
    /// The arguments that moved it, each with its exact share.
    pub contributions: Vec<Contribution>,
    /// With `--compact`: the sum of the contributions left out, those of
    /// evidence bearing only on other hypotheses (so the sum still checks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rivals_log10_lr: Option<f64>,
}

/// One argument's share in a hypothesis' odds, with the evidence it rests on.
#[derive(Serialize, Debug, Clone)]
pub struct Contribution {
    /// The rule that made the argument.
    pub rule: String,
    /// The rule's title.
    pub title: String,
    /// The actor the argument names (or `other`).
    pub target: String,
    /// The hypotheses it bears on: the target, the hypothesis that contains
    /// it, or every hypothesis it contains (evidence naming a parent).
    pub bears_on: Vec<String>,
    /// `supports` or `opposes` (its target).
    pub direction: String,
    /// The exact change this argument makes to this hypothesis' log10 odds.
    pub log10_lr: f64,
    /// log10 of the ratio the rule states for its target, before discounting.
    pub nominal_log10_lr: f64,
    /// The probability that the evidence it rests on holds (report genuineness).
    pub holds: f64,
    /// The rule's explanation with the argument's values filled in.
    pub explanation: String,
    /// The reports it rests on.
    pub evidence: Vec<EvidenceRef>,
    /// Arguments resting on the same evidence, counted once with this one.
    pub counted_once_with: Vec<String>,
    /// What removes its force, when something does.
    pub undercut_by: Vec<String>,
    /// For a judgment that lays out its own findings: what they carry of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub own_findings: Option<OwnFindings>,
}

/// A judgment counts for what its own findings do not carry.
#[derive(Serialize, Debug, Clone)]
pub struct OwnFindings {
    /// log10 of the ratio its rule states, before its findings are taken out.
    pub stated_log10_lr: f64,
    /// log10 of the ratio its findings carry.
    pub carried_log10_lr: f64,
    /// The rules that weighed those findings.
    pub rules: Vec<String>,
}

/// A report an argument rests on, with its source and grading.
#[derive(Serialize, Debug, Clone)]
pub struct EvidenceRef {
    /// The report's id.
    pub report: String,
    /// Its date (YYYY-MM-DD).
    pub date: String,
    /// The name of its source.
    pub source: String,
    /// Admiralty grading: reliability letter and credibility digit, e.g. `B2`.
    pub grading: String,
    /// The probability that the report is genuine.
    pub genuine: f64,
}

/// An argument that fits every hypothesis equally (non-diagnostic).
#[derive(Serialize, Debug, Clone)]
pub struct Finding {
    /// The rule that made it.
    pub rule: String,
    /// The actor it names.
    pub target: String,
    /// The rule's explanation with the argument's values filled in.
    pub explanation: String,
    /// The reports it rests on.
    pub evidence: Vec<EvidenceRef>,
}

/// An argument whose force was removed, and by what.
#[derive(Serialize, Debug, Clone)]
pub struct Undercut {
    /// The rule that made the argument.
    pub rule: String,
    /// The actor it names.
    pub target: String,
    /// The argument's explanation.
    pub explanation: String,
    /// The rule that undercuts it.
    pub undercut_rule: String,
    /// The undercutting rule's explanation.
    pub reason: String,
    /// The probability that the undercutting evidence holds.
    pub holds: f64,
}
