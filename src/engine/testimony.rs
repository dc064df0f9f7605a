//! A judgment that lays out its own findings: the findings are weighed by
//! their own rules, so the judgment counts only for what they do not carry
//! (what its source knows beyond them), and fully when none of them was
//! weighed (docs/semantics.md, section 4).

use super::arguments::Argument;
use super::facts::{Basis, FactStore};
use crate::language::ast::Direction;
use crate::prelude::*;

/// Lowers the ratio of every argument resting on a judgment about its own
/// incident by the strength of the findings, weighed for the same hypothesis
/// in the same direction, that the same reports assert. Findings that share
/// evidence count once, by the strongest (as in the weighing).
pub fn discount_own_findings(schema: &Schema, store: &FactStore, arguments: &mut [Argument]) {
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
    let judgments: Vec<(usize, Vec<usize>)> =
        arguments.iter().enumerate().map(|(i, a)| (i, testimony_rows(a))).filter(|(_, rows)| !rows.is_empty()).collect();
    if judgments.is_empty() {
        return;
    }
    let is_judgment: BTreeSet<usize> = judgments.iter().map(|(i, _)| *i).collect();
    // Findings by (incident, target, direction), so each judgment looks up its own.
    let mut findings: BTreeMap<(&str, &super::arguments::Target, bool), Vec<usize>> = BTreeMap::new();
    for (i, a) in arguments.iter().enumerate() {
        if !is_judgment.contains(&i) && a.direction != Direction::Neutral && a.ratio != 1.0 {
            findings.entry((a.incident.as_str(), &a.target, a.ratio > 1.0)).or_default().push(i);
        }
    }
    let mut updates = vec![];
    for (j, rows) in &judgments {
        let judgment = &arguments[*j];
        if judgment.direction == Direction::Neutral || judgment.ratio == 1.0 {
            continue;
        }
        let stated_by: BTreeSet<usize> = rows.iter().flat_map(|&r| store.rows[r].reports.iter().copied()).collect();
        let own: Vec<usize> = findings
            .get(&(judgment.incident.as_str(), &judgment.target, judgment.ratio > 1.0))
            .map(|list| {
                list.iter()
                    .copied()
                    .filter(|&f| arguments[f].rows.iter().any(|&r| store.rows[r].reports.iter().any(|x| stated_by.contains(x))))
                    .collect()
            })
            .unwrap_or_default();
        if own.is_empty() {
            continue;
        }
        let carried = strongest_per_shared_basis(arguments, &own);
        let stated = judgment.ratio.log10().abs();
        let left = (stated - carried).max(0.0);
        let sign = if judgment.ratio > 1.0 { 1.0 } else { -1.0 };
        let mut rules: Vec<usize> = own.iter().map(|&f| arguments[f].rule).collect();
        rules.sort();
        rules.dedup();
        updates.push((*j, 10f64.powf(sign * left), carried, rules));
    }
    for (j, ratio, carried, rules) in updates {
        let a = &mut arguments[j];
        let stated = a.ratio;
        a.ratio = ratio;
        a.carried = Some(Box::new(Carried { stated, carried_log10: carried, rules }));
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
