//! Facts in, arguments out: loads the fact store, derives findings to a
//! fixed point, then applies the weighing and undercutting rules.

use super::condition::Cond;
use super::expr::eval;
use super::facts::{Basis, FactStore, FastMap, Row, RowId};
use super::matcher::{self, Found};
use super::provenance::Provenance;
use super::testimony;
use crate::diagnostics::Stage;
use crate::evidence::EvidenceSet;
use crate::language::ast::Direction;
use crate::language::program::{Conclusion, Hypothesis, Ratio};
use crate::language::Program;
use crate::prelude::*;
use crate::schema::{CONFIDENCE_FIELD, REPORT_FIELD};

/// Derivation rounds allowed before evaluation gives up (it always converges
/// far sooner: formulas only widen, and there are finitely many).
const MAX_ROUNDS: usize = 10_000;

/// Who a weighing argument is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    Other,
    Actor(String),
}

/// One application of a weighing rule: "this evidence supports (or opposes)
/// this hypothesis for this incident, by this ratio, when `cond` holds".
#[derive(Clone, Debug)]
pub struct Argument {
    pub rule: usize,
    pub direction: Direction,
    pub target: Target,
    pub incident: String,
    /// The likelihood ratio for the target against every other hypothesis.
    pub ratio: f64,
    pub cond: Cond,
    pub basis: BTreeSet<Basis>,
    pub reports: BTreeSet<usize>,
    pub rows: Vec<RowId>,
    pub bindings: Vec<Option<Value>>,
    pub explanation: String,
    /// For a judgment that lays out its own findings: what they carried of it.
    pub carried: Option<testimony::Carried>,
}

/// One application of an undercutting rule, already linked to the arguments
/// it defeats.
#[derive(Clone, Debug)]
pub struct Undercutter {
    pub rule: usize,
    pub cond: Cond,
    pub targets: Vec<usize>,
    pub reports: BTreeSet<usize>,
    pub rows: Vec<RowId>,
    pub explanation: String,
}

pub struct Applied {
    pub store: FactStore,
    pub arguments: Vec<Argument>,
    pub undercutters: Vec<Undercutter>,
    /// Computed likelihood ratios that are not positive finite numbers, with
    /// the incident each bore on: only questions about it fail.
    pub invalid: Vec<(String, Diagnostic)>,
}

/// One match of a rule with the provenance it rests on.
struct Merged {
    bindings: Vec<Option<Value>>,
    rows: Vec<RowId>,
    cond: Cond,
}

pub fn apply(program: &Program, evidence: &EvidenceSet, provenance: &Provenance) -> Result<Applied, Diagnostics> {
    let mut store = load_store(program, evidence, provenance);
    derive_findings(program, &mut store)?;
    let mut arguments = vec![];
    let mut pending_undercuts = vec![];
    let mut invalid = vec![];
    for (rule_index, rule) in program.rules.iter().enumerate() {
        let weighs = rule.conclusions.iter().any(|c| !matches!(c, Conclusion::Derive { .. }));
        if !weighs {
            continue;
        }
        for m in matches(&store, rule.body.as_slice(), rule.vars.len()) {
            let basis = basis_of(&store, &m.rows);
            let reports = relevant_reports(reports_of(&store, &m.rows), &m.cond, provenance);
            let explanation = rule.template.render(&m.bindings);
            for conclusion in &rule.conclusions {
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
                                    let shown = other.map(|r| r.to_string()).unwrap_or_else(|| "no number".into());
                                    invalid.push((
                                        incident.clone(),
                                        Diagnostic::at(
                                            Stage::Evaluate,
                                            *span,
                                            format!("rule `{}` computed the likelihood ratio {shown} from `{text}`", rule.id),
                                        )
                                        .label("must be a positive finite number")
                                        .help(format!(
                                            "with {}; bound the expression, e.g. max(1, ...)",
                                            describe_bindings(&rule.vars, &m.bindings)
                                        )),
                                    ));
                                    continue;
                                }
                            },
                        };
                        arguments.push(Argument {
                            rule: rule_index,
                            direction: *direction,
                            target,
                            incident,
                            ratio,
                            cond: m.cond.clone(),
                            basis: basis.clone(),
                            reports: reports.clone(),
                            rows: m.rows.clone(),
                            bindings: m.bindings.clone(),
                            explanation: explanation.clone(),
                            carried: None,
                        });
                    }
                    Conclusion::Undercut { target, bindings, .. } => {
                        let constraints: Option<Vec<(usize, Value)>> =
                            bindings.iter().map(|(slot, e)| Some((*slot, eval(e, &m.bindings)?))).collect();
                        if let Some(constraints) = constraints {
                            pending_undercuts.push((
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
                    Conclusion::Derive { .. } => {}
                }
            }
        }
    }
    testimony::discount_own_findings(&program.schema, &store, &mut arguments);
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
    Ok(Applied { store, arguments, undercutters, invalid })
}

fn describe_bindings(vars: &[String], bindings: &[Option<Value>]) -> String {
    vars.iter().zip(bindings).filter_map(|(n, v)| v.as_ref().map(|v| format!("?{n} = {v}"))).collect::<Vec<_>>().join(", ")
}

/// Every entity as a certain row; every assertion of a report in force as a
/// row per report, holding when that report is genuine.
fn load_store(program: &Program, evidence: &EvidenceSet, provenance: &Provenance) -> FactStore {
    let schema = &program.schema;
    let mut store = FactStore::default();
    // Per type: the fields naming an artifact, and the `report` field.
    let artifact_ref = FieldType::Ref("artifact".into());
    let artifact_fields: Vec<Vec<usize>> = schema
        .types()
        .map(|(_, spec)| spec.fields.iter().enumerate().filter(|(_, f)| f.ty == artifact_ref).map(|(i, _)| i).collect())
        .collect();
    let report_fields: Vec<Option<usize>> = schema.types().map(|(_, spec)| spec.field(REPORT_FIELD)).collect();
    let artifact_ty = schema.lookup("artifact");
    for record in &evidence.entities {
        let fact = store.fact_id(record.ty, record.fields.clone());
        let mut basis = BTreeSet::new();
        if Some(record.ty) == artifact_ty {
            if let Some(id) = record.text(0) {
                basis.insert(Basis::Artifact(Rc::from(id)));
            }
        }
        store.push(Row {
            ty: record.ty,
            fields: record.fields.clone(),
            cond: Cond::always(),
            fact,
            basis,
            reports: BTreeSet::new(),
            derived_from: BTreeSet::new(),
        });
    }
    for (index, report) in evidence.reports.iter().enumerate() {
        let status = &provenance.reports[index];
        // A report that can never be genuine (E, 5, F6) is not evidence of
        // anything: not even of what has been reported, for negation and count.
        if !status.in_force() || status.cond.is_never() {
            continue;
        }
        let mut reports: BTreeSet<usize> = BTreeSet::from([index]);
        reports.extend(report.based_on.iter().copied());
        for (k, assertion) in report.asserts.iter().enumerate() {
            let spec = schema.get(assertion.ty);
            let report_field = report_fields.get(assertion.ty.0 as usize).copied().flatten();
            // Who reported it and how sure they said they were make no other fact.
            let mut key = assertion.fields.clone();
            for f in [report_field, spec.field(CONFIDENCE_FIELD)].into_iter().flatten() {
                key[f] = None;
            }
            let mut basis = BTreeSet::new();
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
                fields[f] = Some(Value::str(&report.id));
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
                derived_from: BTreeSet::new(),
            });
        }
    }
    store
}

/// All distinct matches of a rule, each with the formula under which it holds.
/// Matches that differ only in which report asserted a fact are one match whose
/// formula is the disjunction (independent confirmation).
fn matches(store: &FactStore, body: &[crate::language::program::Step], slots: usize) -> Vec<Merged> {
    let mut merged: Vec<Merged> = vec![];
    // The formulas of each match's alternatives, joined once at the end: joining
    // them one by one costs the cube of their number (a fact asserted by many reports).
    // Also how many rows the first alternative matched.
    let mut alternatives: Vec<(usize, Vec<Cond>)> = vec![];
    let mut seen: FastMap<(Vec<Option<Value>>, Vec<usize>), usize> = FastMap::default();
    matcher::run(store, body, slots, &mut |found: Found| {
        let cond = found.rows.iter().fold(Cond::always(), |acc, &r| acc.and(&store.rows[r].cond));
        let facts: Vec<usize> = found.rows.iter().map(|&r| store.rows[r].fact).collect();
        let key = (found.bindings.to_vec(), facts);
        match seen.get(&key) {
            Some(&i) => {
                merged[i].rows.extend_from_slice(found.rows);
                alternatives[i].1.push(cond);
            }
            None => {
                seen.insert(key, merged.len());
                merged.push(Merged { bindings: found.bindings.to_vec(), rows: found.rows.to_vec(), cond: Cond::never() });
                alternatives.push((found.rows.len(), vec![cond]));
            }
        }
    });
    for (m, (first, conds)) in merged.iter_mut().zip(alternatives) {
        if conds.len() > 1 {
            // The first alternative's rows, then each other row once, in the order found.
            let mut once: FastMap<RowId, ()> = m.rows[..first].iter().map(|&r| (r, ())).collect();
            let later: Vec<RowId> = m.rows[first..].iter().copied().filter(|&r| once.insert(r, ()).is_none()).collect();
            m.rows.truncate(first);
            m.rows.extend(later);
        }
        m.cond = any(conds);
    }
    merged
}

/// The disjunction of formulas, joined pairwise in a balanced tree so that k
/// alternatives cost about as much as one minimisation of all their terms.
fn any(mut conds: Vec<Cond>) -> Cond {
    while conds.len() > 1 {
        conds = conds.chunks(2).map(|pair| if let [a, b] = pair { a.or(b) } else { pair[0].clone() }).collect();
    }
    conds.pop().unwrap_or_else(Cond::never)
}

fn basis_of(store: &FactStore, rows: &[RowId]) -> BTreeSet<Basis> {
    rows.iter().flat_map(|&r| store.rows[r].basis.iter().cloned()).collect()
}

/// The reports an explanation cites: those the match's formula depends on (or
/// that are certain). A finding derived several ways may carry reports whose
/// derivations were absorbed by stronger ones; they are left out. When the
/// formula can never hold, all are kept, so the explanation shows why.
fn relevant_reports(reports: BTreeSet<usize>, cond: &Cond, provenance: &Provenance) -> BTreeSet<usize> {
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

fn reports_of(store: &FactStore, rows: &[RowId]) -> BTreeSet<usize> {
    rows.iter().flat_map(|&r| store.rows[r].reports.iter().copied()).collect()
}

/// Applies the deriving rules until no finding changes. Formulas only widen
/// and there are finitely many, so this terminates; a finding never holds
/// through itself, because formulas mention reports only.
fn derive_findings(program: &Program, store: &mut FactStore) -> Result<(), Diagnostics> {
    let deriving: Vec<_> = program.rules.iter().filter(|r| r.derives()).collect();
    if deriving.is_empty() {
        return Ok(());
    }
    for _ in 0..MAX_ROUNDS {
        let mut changed = false;
        for rule in &deriving {
            let found = matches(store, &rule.body, rule.vars.len());
            for m in found {
                let basis = basis_of(store, &m.rows);
                let reports = reports_of(store, &m.rows);
                for conclusion in &rule.conclusions {
                    let Conclusion::Derive { ty, fields, span } = conclusion else { continue };
                    let values: Option<Vec<Option<Value>>> = fields.iter().map(|e| eval(e, &m.bindings).map(Some)).collect();
                    let Some(values) = values else { continue };
                    if m.cond.too_large() {
                        return Err(Diagnostics(vec![Diagnostic::at(
                            Stage::Evaluate,
                            *span,
                            format!("rule `{}` derives a finding that depends on too many combinations of reports", rule.id),
                        )
                        .label("derived here")
                        .help("narrow the rule's patterns so each finding rests on fewer reports")]));
                    }
                    let from: BTreeSet<RowId> = m.rows.iter().copied().collect();
                    changed |= store.derive(*ty, values, m.cond.clone(), basis.clone(), reports.clone(), from);
                }
            }
        }
        if !changed {
            return Ok(());
        }
    }
    Err(Diagnostics(vec![Diagnostic::new(Stage::Evaluate, "deriving findings did not settle", crate::diagnostics::Location::Nowhere)
        .help("this is a bug in ascribe; please report it with the rule files")]))
}
