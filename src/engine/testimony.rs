//! A judgment that lays out its own findings: the findings are weighed by
//! their own rules, so the judgment counts only for what they do not carry
//! (what its source knows beyond them), and fully when none of them was
//! weighed (docs/semantics.md, section 4).

use super::arguments::{Argument, Target};
use super::facts::{Basis, FactStore, FastMap};
use crate::language::ast::Direction;
use crate::prelude::*;

/// Lowers the ratio of every argument resting on a judgment about its own
/// incident by the strength of the findings, weighed for the same hypothesis
/// in the same direction, that the same reports assert. Findings that share
/// evidence count once, by the strongest (as in the weighing).
pub fn discount_own_findings(schema: &Schema, store: &FactStore, arguments: &mut [Argument], threads: usize) {
    // Per type, the fields of a judgment that name an incident (none for other
    // types): found once, not for every row of every argument.
    let incident = FieldType::Ref("incident".into());
    let incident_fields: Vec<Vec<usize>> = schema
        .types()
        .map(|(_, spec)| {
            if spec.testimony {
                spec.fields.iter().enumerate().filter(|(_, f)| f.ty == incident).map(|(i, _)| i).collect()
            } else {
                vec![]
            }
        })
        .collect();
    let names = |v: &Value, incident: &str| match v {
        Value::Str(s) => &**s == incident,
        other => other.to_string() == incident,
    };
    let testimony_rows = |a: &Argument| -> Vec<usize> {
        a.rows
            .iter()
            .copied()
            .filter(|&r| {
                let row = &store.rows[r];
                incident_fields.get(row.ty.0 as usize).is_some_and(|fields| {
                    fields.iter().any(|&f| row.fields.get(f).and_then(Option::as_ref).is_some_and(|v| names(v, &a.incident)))
                })
            })
            .collect()
    };
    // Each argument and each judgment is looked at on its own: in parallel, and
    // collected in order, so the result is the same at any number of threads.
    let judgments: Vec<(usize, Vec<usize>)> =
        super::map_in_order(threads, arguments, testimony_rows).into_iter().enumerate().filter(|(_, rows)| !rows.is_empty()).collect();
    if judgments.is_empty() {
        return;
    }
    let mut is_judgment = vec![false; arguments.len()];
    for (i, _) in &judgments {
        is_judgment[*i] = true;
    }
    // Findings by (incident, target, direction), so each judgment looks up its own.
    let mut findings: FastMap<(&str, Option<&str>, bool), Vec<usize>> = FastMap::default();
    for (i, a) in arguments.iter().enumerate() {
        if !is_judgment[i] && a.direction != Direction::Neutral && a.ratio != 1.0 {
            findings.entry((a.incident.as_str(), target_id(&a.target), a.ratio > 1.0)).or_default().push(i);
        }
    }
    let arguments_read: &[Argument] = arguments;
    let updates: Vec<(usize, f64, f64, Vec<usize>)> = super::map_in_order(threads, &judgments, |(j, rows)| {
        let arguments = arguments_read;
        let judgment = &arguments[*j];
        if judgment.direction == Direction::Neutral || judgment.ratio == 1.0 {
            return None;
        }
        let stated_by: BTreeSet<usize> = rows.iter().flat_map(|&r| store.rows[r].reports.iter().copied()).collect();
        let own: Vec<usize> = findings
            .get(&(judgment.incident.as_str(), target_id(&judgment.target), judgment.ratio > 1.0))
            .map(|list| {
                list.iter()
                    .copied()
                    .filter(|&f| arguments[f].rows.iter().any(|&r| store.rows[r].reports.iter().any(|x| stated_by.contains(x))))
                    .collect()
            })
            .unwrap_or_default();
        if own.is_empty() {
            return None;
        }
        let carried = strongest_per_shared_basis(arguments, &own);
        let stated = judgment.ratio.log10().abs();
        let left = (stated - carried).max(0.0);
        let sign = if judgment.ratio > 1.0 { 1.0 } else { -1.0 };
        let mut rules: Vec<usize> = own.iter().map(|&f| arguments[f].rule).collect();
        rules.sort();
        rules.dedup();
        Some((*j, 10f64.powf(sign * left), carried, rules))
    })
    .into_iter()
    .flatten()
    .collect();
    for (j, ratio, carried, rules) in updates {
        let a = &mut arguments[j];
        let stated = a.ratio;
        a.ratio = ratio;
        a.carried = Some(Box::new(Carried { stated, carried_log10: carried, rules }));
    }
}

/// A target as a key: `None` for an actor not listed.
fn target_id(target: &Target) -> Option<&str> {
    match target {
        Target::Other => None,
        Target::Actor(a) => Some(a.as_str()),
    }
}

/// What a judgment's own findings carried of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Carried {
    /// The ratio its rule states.
    pub stated: f64,
    /// log10 of the ratio its findings carry.
    pub carried_log10: f64,
    /// The rules (indexes) that weighed those findings.
    pub rules: Vec<usize>,
}

/// The sum, over sets of arguments that share a fact or an artifact, of the
/// strongest |log10 ratio| in each.
fn strongest_per_shared_basis(arguments: &[Argument], members: &[usize]) -> f64 {
    let mut sets: Vec<(BTreeSet<&Basis>, f64)> = vec![];
    for &m in members {
        let basis: BTreeSet<&Basis> = arguments[m].basis.iter().collect();
        let strength = arguments[m].ratio.log10().abs();
        let (joined, rest): (Vec<_>, Vec<_>) = sets.into_iter().partition(|(b, _)| !b.is_disjoint(&basis));
        let merged = joined.into_iter().fold((basis, strength), |(mut b, s), (other, t)| {
            b.extend(other);
            (b, s.max(t))
        });
        sets = rest;
        sets.push(merged);
    }
    sets.iter().map(|(_, s)| s).sum()
}
