//! Facts in, arguments out: loads the fact store, derives findings to a
//! fixed point, then applies the weighing and undercutting rules.

use super::budget::{Limits, Meter};
use super::by_incident;
use super::condition::Cond;
use super::expr::eval;
use super::facts::{Basis, FactStore, FastMap, FxHasher, Row, RowId};
use super::matcher::{self, Found, Stopped};
use super::provenance::Provenance;
use super::sorted::SortedSet;
use super::testimony;
use crate::diagnostics::Stage;
use crate::evidence::EvidenceSet;
use crate::language::ast::Direction;
use crate::language::program::{Conclusion, Hypothesis, Ratio};
use crate::language::Program;
use crate::prelude::*;
use crate::schema::{CONFIDENCE_FIELD, REPORT_FIELD};
use std::hash::{Hash, Hasher};

/// Derivation rounds allowed before evaluation gives up (it always converges
/// far sooner: formulas only widen, and there are finitely many).
const MAX_ROUNDS: usize = 10_000;

/// Who a weighing argument is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    /// An actor not listed.
    Other,
    /// A named actor.
    Actor(String),
}

/// One application of a weighing rule: "this evidence supports (or opposes)
/// this hypothesis for this incident, by this ratio, when `cond` holds".
#[derive(Clone, Debug)]
pub struct Argument {
    /// The rule's index in the program.
    pub rule: usize,
    /// For or against the target.
    pub direction: Direction,
    /// The hypothesis it names.
    pub target: Target,
    /// The incident it is about.
    pub incident: String,
    /// The likelihood ratio for the target against every other hypothesis.
    pub ratio: f64,
    /// When it holds.
    pub cond: Cond,
    /// What it rests on (shared basis counts once).
    pub basis: SortedSet<Basis>,
    /// The reports it cites.
    pub reports: SortedSet<usize>,
    /// The fact rows the rule matched.
    pub rows: Vec<RowId>,
    /// The rule's variable bindings.
    pub bindings: Vec<Option<Value>>,
    /// Its explanation when it is not its rule's `because` filled in with
    /// its bindings (see [`Argument::explanation`]): rendered when read, not
    /// kept for each of hundreds of thousands of arguments.
    pub(crate) text: Option<Box<str>>,
    /// For a judgment that lays out its own findings: what they carried of it
    /// (boxed: few arguments have it, and every argument would pay its size).
    pub carried: Option<Box<testimony::Carried>>,
}

impl Argument {
    /// The explanation: the rule's `because` with the holes filled from the
    /// argument's bindings.
    pub fn explanation(&self, program: &Program) -> String {
        match &self.text {
            Some(text) => text.to_string(),
            None => program.rules[self.rule].template.render(&self.bindings),
        }
    }
}

/// One application of an undercutting rule, already linked to the arguments
/// it defeats.
#[derive(Clone, Debug)]
pub struct Undercutter {
    /// The rule's index in the program.
    pub rule: usize,
    /// When it holds.
    pub cond: Cond,
    /// The arguments it defeats.
    pub targets: Vec<usize>,
    /// The reports it cites.
    pub reports: SortedSet<usize>,
    /// The fact rows the rule matched.
    pub rows: Vec<RowId>,
    /// The rule's explanation, filled in.
    pub explanation: String,
}

/// What applying the rules made: the fact store, arguments and undercuts.
pub struct Applied {
    /// The facts, findings included.
    pub store: FactStore,
    /// The arguments.
    pub arguments: Vec<Argument>,
    /// The undercuts, linked to the arguments they defeat.
    pub undercutters: Vec<Undercutter>,
    /// What keeps the questions about one incident from being weighed, with
    /// that incident: a computed likelihood ratio that is not a positive
    /// finite number, or a weighing rule that exhausted its budget on that
    /// incident alone. Only the questions about it fail.
    pub invalid: Vec<(String, Diagnostic)>,
}

/// One match of a rule with the provenance it rests on.
struct Merged {
    bindings: Vec<Option<Value>>,
    rows: Vec<RowId>,
    cond: Cond,
    /// Rows `credence` looked at: cited, not rested on.
    cited: Vec<RowId>,
}

impl Merged {
    fn stopped(&self) -> Stopped {
        Stopped { bindings: self.bindings.clone(), rows: self.rows.clone() }
    }
}

/// The budget ran out in a rule: names the rule, the evidence it was working
/// on (its bindings and the reports of the rows), and how to go on.
fn exhausted(
    rule: &crate::language::program::Rule,
    evidence: &EvidenceSet,
    store: &FactStore,
    stopped: &Stopped,
    limits: &Limits,
    incident: Option<&str>,
) -> Diagnostic {
    // The reports under the rows being tried, through the findings among them
    // (looked at up to a bound: this is only for the message).
    let mut reports: BTreeSet<usize> = BTreeSet::new();
    let mut seen: BTreeSet<RowId> = BTreeSet::new();
    let mut stack: Vec<RowId> = stopped.rows.clone();
    while let Some(r) = stack.pop() {
        if seen.len() > 10_000 || !seen.insert(r) {
            continue;
        }
        reports.extend(store.rows[r].reports.iter().copied());
        stack.extend(store.rows[r].derived_from.iter().copied());
    }
    let mut cited: Vec<String> = reports.iter().take(8).map(|&r| format!("`{}`", evidence.reports[r].id)).collect();
    if reports.len() > 8 {
        cited.push(format!("and {} more", reports.len() - 8));
    }
    let bindings = describe_bindings(&rule.vars, &stopped.bindings);
    let mut on = String::new();
    if let Some(incident) = incident {
        on.push_str(&format!(" for incident `{incident}`"));
    }
    if !bindings.is_empty() {
        on.push_str(&format!(" with {bindings}"));
    }
    if !cited.is_empty() {
        on.push_str(&format!("{}reports {}", if bindings.is_empty() { " on " } else { ", on " }, cited.join(", ")));
    }
    Diagnostic::at(
        Stage::Evaluate,
        rule.span,
        format!("rule `{}` exhausted the work budget of {} steps{on}", rule.id, limits.steps),
    )
    .label("this rule's matches or the formulas of its findings grew too large")
    .help(format!(
        "raise it with `--budget {}`, split the evidence into smaller sets, or narrow the rule's patterns so each match rests on fewer facts (formulas keep at most {} terms)",
        limits.steps.saturating_mul(4),
        limits.terms
    ))
}

/// What a weighing rule's matches conclude: arguments, undercuts not yet
/// linked, and likelihood ratios that could not be computed.
#[derive(Default)]
struct Concluded {
    arguments: Vec<Argument>,
    undercuts: Vec<PendingUndercut>,
    tagged: Vec<PendingTagged>,
    invalid: Vec<(String, Diagnostic)>,
}

impl Concluded {
    /// Appends what a later rule (or a later incident of one rule) concluded.
    fn append(&mut self, mut other: Concluded) {
        self.arguments.append(&mut other.arguments);
        self.undercuts.append(&mut other.undercuts);
        self.tagged.append(&mut other.tagged);
        self.invalid.append(&mut other.invalid);
    }
}

/// One application of `undercut R(...)` before it is linked: (its rule, the
/// rule it undercuts, the values it requires of that rule's variables, its
/// formula, reports, rows and explanation).
type PendingUndercut = (usize, usize, Vec<(usize, Value)>, Cond, SortedSet<usize>, Vec<RowId>, String);

/// The conclusions of a weighing rule, within its budget. When the whole
/// evidence set exhausts it, the rule is run once per incident asked about,
/// each with its own budget (see [`by_incident`]): an incident that exhausts
/// it gets its diagnostic in `invalid` and joins `out_of_budget`, so only the
/// questions about it fail. Once an incident is out of budget, later rules go
/// per incident straight away and skip it (its questions fail anyway). `Err`
/// when the rule cannot be run per incident. `whole` is the rule run over the
/// whole evidence set, made beforehand (in parallel with the other rules).
#[allow(clippy::too_many_arguments)]
fn weighing_rule(
    program: &Program,
    rule_index: usize,
    evidence: &EvidenceSet,
    store: &FactStore,
    provenance: &Provenance,
    limits: &Limits,
    whole: Result<Concluded, Stopped>,
    invalid: &mut Vec<(String, Diagnostic)>,
    out_of_budget: &mut BTreeSet<String>,
) -> Result<Concluded, Diagnostics> {
    let rule = &program.rules[rule_index];
    let Some(slot) = by_incident::incident_slot(program, rule) else {
        return whole.map_err(|stopped| Diagnostics(vec![exhausted(rule, evidence, store, &stopped, limits, None)]));
    };
    if out_of_budget.is_empty() {
        if let Ok(concluded) = whole {
            return Ok(concluded);
        }
    }
    drop(whole);
    let mut concluded = Concluded::default();
    for incident in by_incident::asked(evidence) {
        if out_of_budget.contains(incident) {
            continue;
        }
        let body = by_incident::restrict(&rule.body, slot, incident);
        match conclusions(program, rule_index, &body, store, provenance, limits) {
            Ok(more) => concluded.append(more),
            Err(stopped) => {
                invalid.push((incident.to_string(), exhausted(rule, evidence, store, &stopped, limits, Some(incident))));
                out_of_budget.insert(incident.to_string());
            }
        }
    }
    Ok(concluded)
}

/// What the distinct matches of a weighing rule's conditions (`body`: the
/// rule's own, or restricted to one incident) conclude, within one budget
/// for matching them and finding the basis of each.
fn conclusions(
    program: &Program,
    rule_index: usize,
    body: &[crate::language::program::Step],
    store: &FactStore,
    provenance: &Provenance,
    limits: &Limits,
) -> Result<Concluded, Stopped> {
    let rule = &program.rules[rule_index];
    let mut meter = Meter::new(limits);
    let found = matches(store, body, rule.vars.len(), &mut meter)?;
    let weighs = rule.conclusions.iter().filter(|c| matches!(c, Conclusion::Weigh { .. })).count();
    let mut out = Concluded { arguments: Vec::with_capacity(found.len() * weighs), ..Concluded::default() };
    for m in found {
        let basis = store.basis_of(&m.rows, &mut meter).map_err(|_| m.stopped())?;
        conclude(program, rule_index, store, provenance, m, basis, &mut out);
    }
    Ok(out)
}

/// The arguments and undercuts one match of a weighing rule makes.
fn conclude(
    program: &Program,
    rule_index: usize,
    store: &FactStore,
    provenance: &Provenance,
    m: Merged,
    basis: SortedSet<Basis>,
    out: &mut Concluded,
) {
    let rule = &program.rules[rule_index];
    let mut reports = relevant_reports(reports_of(store, &m.rows), &m.cond, provenance);
    // What `credence` weighed is cited too, and so is neither unweighed nor left out of what-ifs.
    reports.extend(reports_of(store, &m.cited));
    let mut m = m;
    m.rows.extend_from_slice(&m.cited);
    m.rows.shrink_to_fit();
    // Arguments render theirs when read; undercuts keep it.
    let undercuts = rule.conclusions.iter().any(|c| !matches!(c, Conclusion::Weigh { .. } | Conclusion::Derive { .. }));
    let explanation = if undercuts { rule.template.render(&m.bindings) } else { String::new() };
    let mut basis = basis;
    let last = rule.conclusions.len().saturating_sub(1);
    for (k, conclusion) in rule.conclusions.iter().enumerate() {
        match conclusion {
            Conclusion::Weigh { direction, hypothesis, incident, ratio, span } => {
                let target = match hypothesis {
                    Hypothesis::Other => Some(Target::Other),
                    Hypothesis::Actor(e) => eval(e, &m.bindings).map(|v| Target::Actor(v.to_string())),
                };
                let incident = eval(incident, &m.bindings).map(|v| v.to_string());
                let (Some(target), Some(incident)) = (target, incident) else { continue };
                let ratio = match ratio {
                    None => 1.0,
                    Some(Ratio::Fixed(r, _)) => *r,
                    Some(Ratio::Computed(e, text)) => match eval(e, &m.bindings).and_then(|v| v.as_num()) {
                        Some(r) if r.is_finite() && r > 0.0 => r,
                        other => {
                            out.invalid.push((incident.clone(), bad_ratio(rule, *span, other, text, &m.bindings)));
                            continue;
                        }
                    },
                };
                out.arguments.push(Argument {
                    rule: rule_index,
                    direction: *direction,
                    target,
                    incident,
                    ratio,
                    // The last conclusion takes what the others copy.
                    cond: if k == last { std::mem::replace(&mut m.cond, Cond::never()) } else { m.cond.clone() },
                    basis: if k == last { std::mem::take(&mut basis) } else { basis.clone() },
                    reports: if k == last { std::mem::take(&mut reports) } else { reports.clone() },
                    rows: if k == last { std::mem::take(&mut m.rows) } else { m.rows.clone() },
                    bindings: if k == last { std::mem::take(&mut m.bindings) } else { m.bindings.clone() },
                    text: None,
                    carried: None,
                });
            }
            Conclusion::Undercut { target, bindings, .. } => {
                let constraints: Option<Vec<(usize, Value)>> =
                    bindings.iter().map(|(slot, e)| Some((*slot, eval(e, &m.bindings)?))).collect();
                if let Some(constraints) = constraints {
                    out.undercuts.push((
                        rule_index,
                        *target,
                        constraints,
                        m.cond.clone(),
                        reports.clone(),
                        m.rows.clone(),
                        explanation.clone(),
                    ));
                }
            }
            Conclusion::UndercutTagged { tag, artifact, incident, actor, .. }
            | Conclusion::StrengthenTagged { tag, artifact, incident, actor, .. } => {
                // A constraint that does not evaluate makes it reach nothing.
                let value = |e: &Option<crate::language::program::Expr>| match e {
                    None => Some(None),
                    Some(e) => eval(e, &m.bindings).map(|v| Some(v.to_string())),
                };
                let ratio = match conclusion {
                    Conclusion::StrengthenTagged { ratio: Ratio::Fixed(r, _), .. } => Some(*r),
                    Conclusion::StrengthenTagged { ratio: Ratio::Computed(e, text), span, .. } => {
                        match eval(e, &m.bindings).and_then(|v| v.as_num()) {
                            Some(r) if r.is_finite() && r > 0.0 => Some(r),
                            other => {
                                // As for `support`: the questions it would bear on are not weighed.
                                let about = value(incident).flatten().unwrap_or_default();
                                out.invalid.push((about, bad_ratio(rule, *span, other, text, &m.bindings)));
                                continue;
                            }
                        }
                    }
                    _ => None,
                };
                if let (Some(artifact), Some(incident), Some(actor)) = (value(artifact), value(incident), value(actor)) {
                    out.tagged.push(PendingTagged {
                        rule: rule_index,
                        tag: tag.clone(),
                        artifact,
                        incident,
                        actor,
                        ratio,
                        cond: m.cond.clone(),
                        basis: basis.clone(),
                        reports: reports.clone(),
                        rows: m.rows.clone(),
                        bindings: m.bindings.clone(),
                        explanation: explanation.clone(),
                    });
                }
            }
            Conclusion::Derive { .. } => {}
        }
    }
}

/// Applies every rule to the evidence: derives the findings, then makes the
/// arguments and undercuts, each rule within the budget. The weighing rules
/// run in parallel on `threads` threads (as in
/// [`Options::threads`](super::Options::threads)); what they conclude is
/// joined in rule order, so the result is the same at any number of threads.
pub fn apply(
    program: &Program,
    evidence: &EvidenceSet,
    provenance: &Provenance,
    limits: &Limits,
    threads: usize,
) -> Result<Applied, Diagnostics> {
    let mut store = load_store(program, evidence, provenance);
    // A rule's budget grows with the evidence it may have to look at.
    let limits = &Limits { steps: limits.steps.saturating_mul(rule_scale(store.rows.len())), ..*limits };
    derive_findings(program, evidence, &mut store, limits)?;
    store.finish_deriving();
    let weighing: Vec<usize> = (0..program.rules.len())
        .filter(|&r| program.rules[r].conclusions.iter().any(|c| !matches!(c, Conclusion::Derive { .. })))
        .collect();
    // Every weighing rule over the whole evidence set, each with its own budget:
    // independent of one another, so they run in parallel.
    let whole = |&r: &usize| conclusions(program, r, &program.rules[r].body, &store, provenance, limits);
    let wholes: Vec<Result<Concluded, Stopped>> = super::map_in_order(threads, &weighing, whole);
    let made: usize = wholes.iter().map(|w| w.as_ref().map_or(0, |c| c.arguments.len())).sum();
    let mut all = Concluded { arguments: Vec::with_capacity(made), ..Concluded::default() };
    let mut invalid = vec![];
    let mut out_of_budget: BTreeSet<String> = BTreeSet::new();
    for (&r, whole) in weighing.iter().zip(wholes) {
        let mut concluded = weighing_rule(program, r, evidence, &store, provenance, limits, whole, &mut invalid, &mut out_of_budget)?;
        // A rule's ratios that could not be computed come after its budget failures.
        invalid.append(&mut concluded.invalid);
        all.append(concluded);
    }
    let Concluded { mut arguments, undercuts: pending_undercuts, tagged: pending_tagged, .. } = all;
    testimony::discount_own_findings(&program.schema, &store, &mut arguments, threads);
    // Link undercuts to the arguments they defeat through an index on
    // (rule, variable, value) rather than a scan per undercut. Only arguments
    // of rules that something undercuts are indexed.
    let undercut_rules: BTreeSet<usize> = pending_undercuts.iter().map(|p| p.1).collect();
    let mut by_rule: FastMap<usize, Vec<usize>> = FastMap::default();
    let mut index: FastMap<(usize, usize, Value), Vec<usize>> = FastMap::default();
    for (i, a) in arguments.iter().enumerate().filter(|(_, a)| undercut_rules.contains(&a.rule)) {
        by_rule.entry(a.rule).or_default().push(i);
        for (slot, v) in a.bindings.iter().enumerate() {
            if let Some(v) = v {
                index.entry((a.rule, slot, v.clone())).or_default().push(i);
            }
        }
    }
    let mut undercutters = vec![];
    for (rule, target, constraints, cond, reports, rows, explanation) in pending_undercuts {
        let empty = vec![];
        let candidates = match constraints.first() {
            Some((slot, v)) => index.get(&(target, *slot, v.clone())).unwrap_or(&empty),
            None => by_rule.get(&target).unwrap_or(&empty),
        };
        let targets: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| constraints.iter().all(|(slot, v)| arguments[i].bindings.get(*slot).and_then(|b| b.as_ref()) == Some(v)))
            .collect();
        undercutters.push(Undercutter { rule, cond, targets, reports, rows, explanation });
    }
    link_tagged(program, &mut arguments, pending_tagged, &mut undercutters);
    Ok(Applied { store, arguments, undercutters, invalid })
}

/// One application of `undercut tagged` or (with a ratio) `strengthen tagged`,
/// before it is linked.
struct PendingTagged {
    rule: usize,
    tag: String,
    artifact: Option<String>,
    incident: Option<String>,
    actor: Option<String>,
    ratio: Option<f64>,
    cond: Cond,
    basis: SortedSet<Basis>,
    reports: SortedSet<usize>,
    rows: Vec<RowId>,
    bindings: Vec<Option<Value>>,
    explanation: String,
}

/// Links each `undercut tagged` to the arguments of the other rules with its
/// tag that rest on its artifact, concern its incident and bear on its actor,
/// through an index by artifact (or by tag) rather than a scan per undercut.
fn link_tagged(program: &Program, arguments: &mut Vec<Argument>, pending: Vec<PendingTagged>, undercutters: &mut Vec<Undercutter>) {
    if pending.is_empty() {
        return;
    }
    let tags: BTreeSet<&str> = pending.iter().map(|p| p.tag.as_str()).collect();
    let mut by_tag: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut by_artifact: FastMap<(&str, &str), Vec<usize>> = FastMap::default();
    for (i, a) in arguments.iter().enumerate() {
        for tag in program.rules[a.rule].tags.iter().filter(|t| tags.contains(t.as_str())) {
            by_tag.entry(tag).or_default().push(i);
            for basis in &a.basis {
                if let Basis::Artifact(id) = basis {
                    by_artifact.entry((tag, id)).or_default().push(i);
                }
            }
        }
    }
    let reached: Vec<Vec<usize>> = pending
        .iter()
        .map(|p| {
            let empty = vec![];
            let candidates = match &p.artifact {
                Some(artifact) => by_artifact.get(&(p.tag.as_str(), artifact.as_str())).unwrap_or(&empty),
                None => by_tag.get(p.tag.as_str()).unwrap_or(&empty),
            };
            let mut targets: Vec<usize> = candidates
                .iter()
                .copied()
                .filter(|&i| {
                    let a = &arguments[i];
                    a.rule != p.rule
                        && p.incident.as_ref().is_none_or(|x| *x == a.incident)
                        && p.actor.as_ref().is_none_or(|x| matches!(&a.target, Target::Actor(t) if t == x))
                })
                .collect();
            targets.sort_unstable();
            targets.dedup();
            targets
        })
        .collect();
    // A strengthened argument's companion falls with it: whatever undercuts the one
    // undercuts the other.
    let mut companions: Vec<(usize, usize)> = vec![];
    for (p, targets) in pending.into_iter().zip(reached) {
        match p.ratio {
            None => undercutters.push(Undercutter {
                rule: p.rule,
                cond: p.cond,
                targets,
                reports: p.reports,
                rows: p.rows,
                explanation: p.explanation,
            }),
            Some(ratio) => {
                for a in targets {
                    let original = &arguments[a];
                    let companion = Argument {
                        rule: p.rule,
                        direction: original.direction,
                        target: original.target.clone(),
                        incident: original.incident.clone(),
                        ratio: if original.ratio < 1.0 { 1.0 / ratio } else { ratio },
                        cond: p.cond.and(&original.cond),
                        // Its own facts only: sharing the original's artifact would count
                        // it once with the original, by the stronger, and so not at all.
                        basis: p.basis.iter().filter(|b| !matches!(b, Basis::Artifact(_))).cloned().collect(),
                        reports: p.reports.union(&original.reports),
                        rows: p.rows.iter().chain(&original.rows).copied().collect(),
                        bindings: p.bindings.clone(),
                        text: Some(
                            format!(
                                "{} (strengthening {}: {})",
                                p.explanation,
                                program.rules[original.rule].id,
                                original.explanation(program)
                            )
                            .into_boxed_str(),
                        ),
                        carried: None,
                    };
                    companions.push((a, arguments.len()));
                    arguments.push(companion);
                }
            }
        }
    }
    for (original, companion) in companions {
        for u in undercutters.iter_mut() {
            if u.targets.contains(&original) {
                u.targets.push(companion);
            }
        }
    }
}

/// Rows of evidence per budget: each rule may take the budget once for every
/// this many rows in the fact store (at least once).
pub const ROWS_PER_BUDGET: usize = 5_000;

fn rule_scale(rows: usize) -> u64 {
    (rows / ROWS_PER_BUDGET).max(1) as u64
}

/// A computed likelihood ratio that is not a positive finite number: the
/// questions it would bear on are not weighed, and this says why.
fn bad_ratio(
    rule: &crate::language::program::Rule,
    span: Span,
    computed: Option<f64>,
    text: &str,
    bindings: &[Option<Value>],
) -> Diagnostic {
    let shown = computed.map(|r| r.to_string()).unwrap_or_else(|| "no number".into());
    Diagnostic::at(Stage::Evaluate, span, format!("rule `{}` computed the likelihood ratio {shown} from `{text}`", rule.id))
        .label("must be a positive finite number")
        .help(format!("with {}; bound the expression, e.g. max(1, ...)", describe_bindings(&rule.vars, bindings)))
}

fn describe_bindings(vars: &[String], bindings: &[Option<Value>]) -> String {
    vars.iter().zip(bindings).filter_map(|(n, v)| v.as_ref().map(|v| format!("?{n} = {v}"))).collect::<Vec<_>>().join(", ")
}

/// Every entity as a certain row; every assertion of a report in force as a
/// row per report, holding when that report is genuine.
fn load_store(program: &Program, evidence: &EvidenceSet, provenance: &Provenance) -> FactStore {
    let schema = &program.schema;
    let mut store = FactStore::default();
    store.probabilities = provenance.variables.iter().map(|v| v.probability).collect();
    store.index_only(program.rules.iter().flat_map(|rule| pattern_fields(&rule.body)));
    // Room for every row at once: growing a vector of millions of rows by
    // doubling copies it each time.
    let in_force = (0..evidence.reports.len()).filter(|&r| provenance.reports[r].in_force() && !provenance.reports[r].cond.is_never());
    store.reserve(evidence.entity_count() + in_force.map(|r| evidence.reports[r].asserts.len()).sum::<usize>());
    // Per type: the fields naming an artifact, and the `report` field.
    let artifact_ref = FieldType::Ref("artifact".into());
    let artifact_fields: Vec<Vec<usize>> = schema
        .types()
        .map(|(_, spec)| spec.fields.iter().enumerate().filter(|(_, f)| f.ty == artifact_ref).map(|(i, _)| i).collect())
        .collect();
    let report_fields: Vec<Option<usize>> = schema.types().map(|(_, spec)| spec.field(REPORT_FIELD)).collect();
    let artifact_ty = schema.lookup("artifact");
    // Rows of one assertion made by several reports differ only in who made it
    // and how sure they said they were.
    for (ty, spec) in schema.types() {
        let varying: Vec<usize> = [spec.field(REPORT_FIELD), spec.field(CONFIDENCE_FIELD)].into_iter().flatten().collect();
        if !varying.is_empty() {
            store.set_varying(ty, varying);
        }
    }
    for record in evidence.entities() {
        let fact = store.fact_id(record.ty, record.fields.clone());
        let mut basis = SortedSet::new();
        if Some(record.ty) == artifact_ty {
            if let Some(id) = record.text(0) {
                basis.insert(Basis::Artifact(Arc::from(id)));
            }
        }
        store.push(Row {
            ty: record.ty,
            fields: record.into_owned().fields,
            cond: Cond::always(),
            fact,
            basis,
            reports: SortedSet::new(),
            derived_from: SortedSet::new(),
        });
    }
    for (index, report) in evidence.reports.iter().enumerate() {
        let status = &provenance.reports[index];
        // A report that can never be genuine (E, 5, F6) is not evidence of
        // anything: not even of what has been reported, for negation and count.
        if !status.in_force() || status.cond.is_never() {
            continue;
        }
        let mut reports: SortedSet<usize> = SortedSet::from([index]);
        reports.extend(report.based_on.iter().copied());
        // One copy of the report's id for all its rows.
        let report_id = Value::str(&report.id);
        for (k, assertion) in report.asserts.iter().enumerate() {
            let spec = schema.get(assertion.ty);
            let report_field = report_fields.get(assertion.ty.0 as usize).copied().flatten();
            // Who reported it and how sure they said they were make no other fact.
            let mut key = assertion.fields.clone();
            for f in [report_field, spec.field(CONFIDENCE_FIELD)].into_iter().flatten() {
                key[f] = None;
            }
            let mut basis = SortedSet::new();
            let fact = if spec.testimony {
                // A judgment is one fact per lineage of sources: independent sources
                // judging alike are independent evidence; one source, or those
                // repeating it, count once. How it was made public (its fields with
                // a closed vocabulary, such as `form`) makes another fact of the same
                // testimony, counted once with it.
                let judgment = store.fact_id(
                    assertion.ty,
                    key.iter().enumerate().map(|(i, v)| if spec.fields[i].vocabulary.is_some() { None } else { v.clone() }).collect(),
                );
                for &source in &status.lineage {
                    basis.insert(Basis::Testimony(judgment, source));
                }
                let lineage: Vec<String> = status.lineage.iter().map(|s| s.to_string()).collect();
                key.push(Some(Value::str(&lineage.join(","))));
                store.fact_id(assertion.ty, key)
            } else {
                let fact = store.fact_id(assertion.ty, key);
                basis.insert(Basis::Fact(fact));
                fact
            };
            let mut fields = assertion.fields.clone();
            if let Some(f) = report_field {
                fields[f] = Some(report_id.clone());
            }
            for &f in artifact_fields.get(assertion.ty.0 as usize).map(Vec::as_slice).unwrap_or(&[]) {
                if let Some(Some(Value::Str(id))) = fields.get(f) {
                    basis.insert(Basis::Artifact(id.clone()));
                }
            }
            store.push(Row {
                ty: assertion.ty,
                fields,
                cond: status.assertion_cond(k),
                fact,
                basis,
                reports: reports.clone(),
                derived_from: SortedSet::new(),
            });
        }
    }
    store.seal();
    store
}

/// The fields (type, position) that the patterns of `steps` name, nested
/// blocks included: the only ones the matcher looks up.
fn pattern_fields(steps: &[crate::language::program::Step]) -> Vec<(TypeId, usize)> {
    use crate::language::program::Step;
    let mut fields = vec![];
    for step in steps {
        match step {
            Step::Match(p) | Step::Not(p) => fields.extend(p.fields.iter().map(|(field, _)| (p.ty, *field))),
            Step::Count { body, .. } | Step::Sum { body, .. } | Step::Credence { body, .. } => fields.extend(pattern_fields(body)),
            Step::Filter { .. } | Step::Member { .. } | Step::Let { .. } => {}
        }
    }
    fields
}

/// All distinct matches of a rule, each with the formula under which it holds.
/// Matches that differ only in which report asserted a fact are one match whose
/// formula is the disjunction (independent confirmation): the matcher tries
/// each logical fact once, and its formula is already that disjunction.
fn matches(store: &FactStore, body: &[crate::language::program::Step], slots: usize, meter: &mut Meter) -> Result<Vec<Merged>, Stopped> {
    let mut merged: Vec<Merged> = vec![];
    // The formulas of each match's alternatives (when a pattern looks at who
    // reported a fact, its rows are tried one by one), joined once at the end.
    // Also how many rows the first alternative matched.
    let mut alternatives: Vec<(usize, Vec<Cond>)> = vec![];
    // Matches already seen, by the hash of their bindings and facts: the last
    // with each hash, then a chain through those sharing it (without a copy of
    // every match's bindings as a key).
    let mut first_with_hash: FastMap<u64, usize> = FastMap::default();
    let mut next_with_hash: Vec<usize> = vec![];
    matcher::run_within(store, body, slots, true, meter, &mut |found: Found, meter: &mut Meter| {
        // Each row stands for itself or, when grouped, for every row of its fact:
        // the match holds when every pattern's fact holds.
        let mut cond = Cond::always();
        for (&r, &grouped) in found.rows.iter().zip(found.grouped) {
            let row_cond = if grouped { store.fact_cond(store.rows[r].fact) } else { &store.rows[r].cond };
            cond = cond.and_within(row_cond, meter)?;
        }
        // The rows it rests on: those found, then the other rows of each grouped
        // fact, the last pattern's first (the order a row-by-row search finds them).
        let mut rows: Vec<RowId> = found.rows.to_vec();
        for (&r, &grouped) in found.rows.iter().zip(found.grouped).rev() {
            if grouped {
                rows.extend(store.rows_of_fact(store.rows[r].fact).iter().copied().filter(|&x| x != r));
            }
        }
        let first = found.rows.len();
        if rows.len() > first {
            let mut once: FastMap<RowId, ()> = rows[..first].iter().map(|&r| (r, ())).collect();
            let later: Vec<RowId> = rows[first..].iter().copied().filter(|&r| once.insert(r, ()).is_none()).collect();
            rows.truncate(first);
            rows.extend(later);
        }
        meter.spend(rows.len() as u64)?;
        // One match per bindings and logical facts.
        let hash = {
            let mut hasher = FxHasher::default();
            found.bindings.hash(&mut hasher);
            found.rows.iter().for_each(|&r| hasher.write_usize(store.rows[r].fact));
            hasher.finish()
        };
        let same = |m: &Merged| {
            m.bindings.as_slice() == found.bindings
                && m.rows[..first].iter().map(|&r| store.rows[r].fact).eq(found.rows.iter().map(|&r| store.rows[r].fact))
        };
        let mut known = first_with_hash.get(&hash).copied();
        while let Some(i) = known.filter(|&i| !same(&merged[i])) {
            known = Some(next_with_hash[i]).filter(|&next| next != usize::MAX);
        }
        match known {
            Some(i) => {
                merged[i].rows.extend_from_slice(&rows);
                merged[i].cited.extend_from_slice(found.cited);
                alternatives[i].1.push(cond);
            }
            None => {
                // First in its hash's chain, ahead of the others.
                let next = first_with_hash.insert(hash, merged.len());
                next_with_hash.push(next.unwrap_or(usize::MAX));
                merged.push(Merged { bindings: found.bindings.to_vec(), rows, cond: Cond::never(), cited: found.cited.to_vec() });
                alternatives.push((first, vec![cond]));
            }
        }
        Ok(())
    })?;
    for (m, (first, conds)) in merged.iter_mut().zip(alternatives) {
        if conds.len() > 1 {
            // The first alternative's rows, then each other row once, in the order found.
            let mut once: FastMap<RowId, ()> = m.rows[..first].iter().map(|&r| (r, ())).collect();
            let later: Vec<RowId> = m.rows[first..].iter().copied().filter(|&r| once.insert(r, ()).is_none()).collect();
            m.rows.truncate(first);
            m.rows.extend(later);
        }
        m.cond = Cond::any_within(conds, meter).map_err(|_| m.stopped())?;
        let mut once: BTreeSet<RowId> = m.rows.iter().copied().collect();
        m.cited.retain(|&r| once.insert(r));
    }
    Ok(merged)
}

/// The reports an explanation cites: those the match's formula depends on (or
/// that are certain). A finding derived several ways may carry reports whose
/// derivations were absorbed by stronger ones; they are left out. When the
/// formula can never hold, all are kept, so the explanation shows why.
fn relevant_reports(reports: SortedSet<usize>, cond: &Cond, provenance: &Provenance) -> SortedSet<usize> {
    if cond.is_never() {
        return reports;
    }
    let vars = cond.vars();
    reports
        .into_iter()
        .filter(|&r| {
            let own = &provenance.reports[r].cond;
            own.is_always() || own.vars().iter().any(|v| vars.contains(v))
        })
        .collect()
}

fn reports_of(store: &FactStore, rows: &[RowId]) -> SortedSet<usize> {
    rows.iter().flat_map(|&r| store.rows[r].reports.iter().copied()).collect()
}

/// A deriving rule's budget error, saying which findings it could not finish
/// and which rules read them: why no question is weighed.
fn read_by(program: &Program, rule: &crate::language::program::Rule, mut diagnostic: Diagnostic) -> Diagnostic {
    let (findings, readers) = by_incident::readers(program, rule);
    let quote = |names: &[String]| names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
    if !findings.is_empty() {
        let (s, them) = if findings.len() == 1 { ("", "it") } else { ("s", "them") };
        let read = if readers.is_empty() {
            format!("no other rule reads {them}")
        } else {
            format!("{} read{} {them}", quote(&readers), if readers.len() == 1 { "s" } else { "" })
        };
        diagnostic.message = format!(
            "{}; its finding{s} {} could not be completed ({read}), so no question is weighed",
            diagnostic.message,
            quote(&findings)
        );
    }
    diagnostic
}

/// Applies the deriving rules until no finding changes. Formulas only widen
/// and there are finitely many, so this terminates; a finding never holds
/// through itself, because formulas mention reports only. Each rule has its
/// own work budget for all the rounds.
fn derive_findings(program: &Program, evidence: &EvidenceSet, store: &mut FactStore, limits: &Limits) -> Result<(), Diagnostics> {
    let deriving: Vec<_> = program.rules.iter().filter(|r| r.derives()).collect();
    if deriving.is_empty() {
        return Ok(());
    }
    let mut meters: Vec<Meter> = deriving.iter().map(|_| Meter::new(limits)).collect();
    for _ in 0..MAX_ROUNDS {
        let mut changed = false;
        for (rule, meter) in deriving.iter().zip(&mut meters) {
            let fail = |store: &FactStore, stopped: &Stopped| {
                Diagnostics(vec![read_by(program, rule, exhausted(rule, evidence, store, stopped, limits, None))])
            };
            let found = matches(store, &rule.body, rule.vars.len(), meter).map_err(|stopped| fail(store, &stopped))?;
            for m in found {
                for conclusion in &rule.conclusions {
                    let Conclusion::Derive { ty, fields, .. } = conclusion else { continue };
                    let values: Option<Vec<Option<Value>>> = fields.iter().map(|e| eval(e, &m.bindings).map(Some)).collect();
                    let Some(values) = values else { continue };
                    let from: SortedSet<RowId> = m.rows.iter().copied().collect();
                    changed |= store.derive(*ty, values, m.cond.clone(), from, meter).map_err(|_| fail(store, &m.stopped()))?;
                    if !store.derived_by.contains(&rule.id) {
                        store.derived_by.insert(rule.id.clone());
                    }
                }
            }
        }
        if !changed {
            // Every finding's reports, for the explanations.
            let mut meter = Meter::new(limits);
            return store.settle_reports(&mut meter).map_err(|_| {
                let rule = deriving[0];
                let stopped = Stopped { bindings: vec![None; rule.vars.len()], rows: vec![] };
                Diagnostics(vec![read_by(program, rule, exhausted(rule, evidence, store, &stopped, limits, None))])
            });
        }
    }
    Err(Diagnostics(vec![Diagnostic::new(Stage::Evaluate, "deriving findings did not settle", crate::diagnostics::Location::Nowhere)
        .help("this is a bug in ascribe; please report it with the rule files")]))
}
