//! A weighing rule that exhausts its work budget over the whole evidence set is
//! run again once per incident asked about, each run with its own budget, so
//! that one incident's dense evidence fails only the questions about it
//! (docs/semantics.md, "Budgets and limits").
//!
//! A run for one incident is the rule with its incident variable bound to the
//! incident's id before its first condition. That gives exactly the matches of
//! the whole run whose incident is that one, in the same order, when:
//!
//! - every conclusion names its incident with one and the same variable
//!   (`support ?a for ?incident`, `undercut tagged T(incident: ?incident)`,
//!   and `undercut R(...)` binding R's incident variable to it), so every
//!   argument or undercut it makes is about that incident and reaches only
//!   arguments about it;
//! - the first condition that mentions the variable is a pattern that binds
//!   it (`question(id: ?q, incident: ?incident)`), so no earlier condition
//!   (a negation, a count, a comparison) reads it unbound in one run and bound
//!   in the other; the pattern then only keeps the rows about the incident.
//!
//! A rule that does not fit (it undercuts across incidents, or names none)
//! keeps the whole-set failure.

use super::matcher::slots_of;
use crate::evidence::EvidenceSet;
use crate::language::program::{Conclusion, Expr, Rule, Slot, Step, Term};
use crate::language::Program;
use crate::prelude::*;

/// The variable every conclusion of `rule` names its incident with, when a run
/// restricted to one incident through it makes exactly that incident's part of
/// the whole run (see the module documentation); `None` otherwise.
pub(crate) fn incident_slot(program: &Program, rule: &Rule) -> Option<Slot> {
    let mut slot: Option<Slot> = None;
    let mut agree = |s: Slot| match slot {
        None => {
            slot = Some(s);
            true
        }
        Some(t) => t == s,
    };
    for conclusion in &rule.conclusions {
        let named = match conclusion {
            Conclusion::Weigh { incident: Expr::Slot(s), .. } => agree(*s),
            Conclusion::UndercutTagged { incident: Some(Expr::Slot(s)), .. }
            | Conclusion::StrengthenTagged { incident: Some(Expr::Slot(s)), .. } => agree(*s),
            Conclusion::Undercut { target, bindings, .. } => {
                // Every incident variable of the undercut rule must be bound to ours.
                let targets = program.rules.get(*target).and_then(weighed_incidents);
                match targets {
                    Some(targets) => {
                        targets.iter().all(|t| bindings.iter().any(|(slot, e)| slot == t && matches!(e, Expr::Slot(s) if agree(*s))))
                    }
                    None => false,
                }
            }
            Conclusion::Derive { .. } => true,
            _ => false,
        };
        if !named {
            return None;
        }
    }
    let slot = slot?;
    binds_first(&rule.body, slot).then_some(slot)
}

/// The variables a rule's arguments name their incident with, when each is a
/// plain variable.
fn weighed_incidents(rule: &Rule) -> Option<Vec<Slot>> {
    let mut slots = vec![];
    for conclusion in &rule.conclusions {
        if let Conclusion::Weigh { incident, .. } = conclusion {
            let Expr::Slot(s) = incident else { return None };
            if !slots.contains(s) {
                slots.push(*s);
            }
        }
    }
    Some(slots)
}

/// Whether the first condition that mentions `slot` is a pattern that binds
/// it, without reading it in the same pattern.
fn binds_first(body: &[Step], slot: Slot) -> bool {
    let first = body.iter().find(|step| {
        let mut slots = vec![];
        slots_of(std::slice::from_ref(*step), &mut slots);
        slots.contains(&slot)
    });
    let Some(Step::Match(pattern)) = first else { return false };
    let binds = pattern.fields.iter().any(|(_, term)| matches!(term, Term::Bind(s) if *s == slot));
    let reads = pattern.fields.iter().any(|(_, term)| matches!(term, Term::Equal(e) if reads_slot(e, slot)));
    binds && !reads
}

fn reads_slot(e: &Expr, slot: Slot) -> bool {
    match e {
        Expr::Const(_) => false,
        Expr::Slot(s) => *s == slot,
        Expr::List(items) | Expr::Call(_, items) => items.iter().any(|i| reads_slot(i, slot)),
        Expr::Binary(_, a, b) => reads_slot(a, slot) || reads_slot(b, slot),
        Expr::Neg(a) => reads_slot(a, slot),
    }
}

/// The incidents the questions ask about, each once, in order of their ids:
/// arguments about any other incident bear on no question.
pub(crate) fn asked(evidence: &EvidenceSet) -> Vec<&str> {
    let asked: BTreeSet<&str> = evidence.questions.iter().map(|q| q.incident.as_str()).collect();
    asked.into_iter().collect()
}

/// The rule's conditions for one incident: its incident variable bound to the
/// incident's id first.
pub(crate) fn restrict(body: &[Step], slot: Slot, incident: &str) -> Vec<Step> {
    let mut steps = Vec::with_capacity(body.len() + 1);
    steps.push(Step::Let { slot, expr: Expr::Const(Value::str(incident)) });
    steps.extend(body.iter().cloned());
    steps
}

/// The ids of the reports that assert something about one of `incidents` (in
/// a field naming an incident): when the questions about an incident are not
/// weighed, what those reports say is not listed as weighing nothing either.
pub(crate) fn reports_about(evidence: &EvidenceSet, schema: &Schema, incidents: &BTreeSet<String>) -> BTreeSet<String> {
    let incident_ref = FieldType::Ref("incident".into());
    evidence
        .reports
        .iter()
        .filter(|report| {
            report.asserts.iter().any(|a| {
                schema.get(a.ty).fields.iter().zip(&a.fields).any(|(spec, value)| {
                    spec.ty == incident_ref && matches!(value, Some(Value::Str(id)) if incidents.contains(id.as_ref()))
                })
            })
        })
        .map(|report| report.id.clone())
        .collect()
}

/// For a deriving rule that ran out of budget: the finding types it derives
/// and the rules that read them, directly or through the findings those
/// derive in turn (in program order). Findings have no incident of their own
/// to fall back on: a finding can link incidents (`campaign.chain`), and a
/// rule reading an incomplete set of them through a join, a negation or a
/// count can be wrong about any incident, so no question is weighed.
pub(crate) fn readers(program: &Program, rule: &Rule) -> (Vec<String>, Vec<String>) {
    let derived = |r: &Rule| -> Vec<TypeId> {
        r.conclusions.iter().filter_map(|c| if let Conclusion::Derive { ty, .. } = c { Some(*ty) } else { None }).collect()
    };
    let own = derived(rule);
    let mut types: Vec<TypeId> = own.clone();
    let mut reading: BTreeSet<usize> = BTreeSet::new();
    let mut k = 0;
    while k < types.len() {
        let ty = types[k];
        k += 1;
        for (i, r) in program.rules.iter().enumerate() {
            if r.id != rule.id && reads_type(&r.body, ty) && reading.insert(i) {
                types.extend(derived(r).into_iter().filter(|t| !types.contains(t)).collect::<Vec<_>>());
            }
        }
    }
    let mut names: Vec<String> = own.iter().map(|&t| program.schema.get(t).name.clone()).collect();
    names.dedup();
    (names, reading.into_iter().map(|i| program.rules[i].id.clone()).collect())
}

fn reads_type(steps: &[Step], ty: TypeId) -> bool {
    steps.iter().any(|step| match step {
        Step::Match(p) | Step::Not(p) => p.ty == ty,
        Step::Count { body, .. } | Step::Sum { body, .. } | Step::Credence { body, .. } => reads_type(body, ty),
        Step::Filter { .. } | Step::Member { .. } | Step::Let { .. } => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::{compile, library};

    /// Every weighing rule of the standard library can be run per incident,
    /// but the two that undercut geo-IP arguments about every incident at once.
    #[test]
    fn the_standard_weighing_rules_run_per_incident() {
        let mut sources = Sources::default();
        let program = compile(library::standard(), &mut sources).expect("the standard library compiles");
        let across: Vec<&str> = program
            .rules
            .iter()
            .filter(|r| r.conclusions.iter().any(|c| !matches!(c, Conclusion::Derive { .. })))
            .filter(|r| incident_slot(&program, r).is_none())
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(across, ["infra.known_relay", "infra.reported_relay"]);
        let geoip = program.rules.iter().find(|r| r.id == "infra.geoip").expect("infra.geoip");
        assert_eq!(incident_slot(&program, geoip), geoip.slot("incident"));
    }

    /// A condition that reads the incident before a pattern binds it (here a
    /// count that would count across incidents) keeps the rule whole.
    #[test]
    fn an_incident_read_before_it_is_bound_keeps_the_rule_whole() {
        let rule = |when: &str| {
            format!("rule local.r {{\n  title \"t\"\n  rationale \"r\"\n  when {{\n{when}\n  }}\n  then {{ support ?a for ?i by weak }}\n  because \"{{i}}\"\n}}\n")
        };
        let slot_of = |text: String| {
            let mut sources = Sources::default();
            let mut texts = library::standard();
            texts.push(crate::language::RuleText { name: "local.ascr".into(), text });
            let program = compile(texts, &mut sources).map_err(|d| d.render(&sources)).expect("compiles");
            let r = program.rules.iter().find(|r| r.id == "local.r").expect("local.r");
            incident_slot(&program, r)
        };
        assert!(slot_of(rule("    incident(id: ?i)\n    actor(id: ?a)")).is_some());
        assert!(slot_of(rule("    let ?n = count { incident(id: ?j) }\n    incident(id: ?i)\n    actor(id: ?a)")).is_some());
        assert!(slot_of(rule("    actor(id: ?a)\n    not observed(incident: ?i)\n    incident(id: ?i)")).is_none());
    }
}
