//! An independent oracle for every posterior: a brute-force enumerator of the
//! worlds of genuine reports, written from docs/semantics.md and sharing no
//! code with the engine's weighing (grouping, bodies of evidence,
//! conditioning, outcome distributions). It reads only what the earlier stages
//! produced (the arguments with the formulas under which they hold, the
//! undercutters, the report variables) and recomputes
//!
//!   P(H_i) ∝ π_i Π_B F_B(i),   F_B(i) = Σ_w P(w) · Π_{G∈B} f_G(i, w) / Σ_j π_j Π_{G∈B} f_G(j, w)
//!
//! where B ranges over bodies of evidence (groups sharing report variables),
//! w over the worlds of B's variables, P(w) multiplies their fixed gradings,
//! and f_G(i, w) is the ratio of the strongest applying member of group G if G
//! bears on H_i (1 otherwise).

#![allow(dead_code)]

use ascribe::engine::arguments::Target;
use ascribe::engine::condition::{Cond, Var};
use ascribe::engine::Evaluation;
use ascribe::evidence::EvidenceSet;
use ascribe::language::ast::Direction;
use ascribe::schema::Schema;
use std::collections::{BTreeMap, BTreeSet};

/// Above this many report variables a question is not enumerated.
pub const ENUMERABLE: usize = 20;

/// The oracle's posterior of every hypothesis of every weighed question
/// (question id → hypothesis id → probability); questions resting on more
/// than [`ENUMERABLE`] report variables are left out.
pub fn posteriors(evidence: &EvidenceSet, evaluation: &Evaluation) -> BTreeMap<String, BTreeMap<String, f64>> {
    posteriors_fixing(evidence, evaluation, &BTreeMap::new())
}

/// [`posteriors`] with some report variables fixed to true (probability 1) or
/// false (0) in the enumeration of worlds: the posterior conditioned on them
/// (what `ascribe sensitivity` must say when the variable is a report's genuineness).
pub fn posteriors_fixing(
    evidence: &EvidenceSet,
    evaluation: &Evaluation,
    fixed: &BTreeMap<Var, bool>,
) -> BTreeMap<String, BTreeMap<String, f64>> {
    let graph = &evaluation.graph;
    let mut out = BTreeMap::new();
    for weighing in &evaluation.weighings {
        let question = &evidence.questions[weighing.question];
        let mut names: Vec<String> = question.hypotheses.iter().map(|h| h.actor.clone()).collect();
        names.push("other".into());
        let n = names.len();
        let given: Vec<f64> = question.hypotheses.iter().filter_map(|h| h.prior).collect();
        let priors: Vec<f64> = if let Some(other) = question.other_prior {
            let left = 1.0 - other - given.iter().sum::<f64>();
            let open = question.hypotheses.iter().filter(|h| h.prior.is_none()).count();
            let mut all: Vec<f64> = question.hypotheses.iter().map(|h| h.prior.unwrap_or(left / open as f64)).collect();
            all.push(other);
            all
        } else if !given.is_empty() && given.len() == question.hypotheses.len() {
            let rest = 1.0 - given.iter().sum::<f64>();
            given.into_iter().chain([rest]).collect()
        } else {
            vec![1.0 / n as f64; n]
        };

        // The arguments bearing on this question, with what defeats each.
        // Which hypotheses evidence about an actor bears on (docs/semantics.md,
        // section 2): the hypothesis that is it or contains it, else all it contains.
        let within = |outer: &str, inner: &str| -> bool {
            let mut at = inner.to_string();
            for _ in 0..=evidence.parents.len() {
                if at == outer {
                    return true;
                }
                match evidence.parents.get(&at) {
                    Some(p) => at = p.clone(),
                    None => return false,
                }
            }
            false
        };
        let named = &names[..n - 1];
        let bears_on = |actor: &str| -> Vec<usize> {
            if let Some(i) = named.iter().position(|h| within(h, actor)) {
                return vec![i];
            }
            named.iter().enumerate().filter(|(_, h)| within(actor, h)).map(|(i, _)| i).collect()
        };
        struct Arg {
            index: usize,
            targets: Vec<usize>,
            ratio: f64,
            holds: Cond,
            defeat: Cond,
        }
        let mut args = vec![];
        for (index, a) in graph.arguments.iter().enumerate() {
            if a.incident != question.incident || a.direction == Direction::Neutral {
                continue;
            }
            let targets = match &a.target {
                Target::Other => vec![n - 1],
                Target::Actor(actor) => bears_on(actor),
            };
            if targets.is_empty() {
                continue;
            }
            let defeat = graph.undercutters.iter().filter(|u| u.targets.contains(&index)).fold(Cond::never(), |acc, u| acc.or(&u.cond));
            args.push(Arg { index, targets, ratio: a.ratio, holds: a.cond.clone(), defeat });
        }

        // Groups: same target, same direction, sharing a fact or an artifact (transitively).
        let mut group_of: Vec<usize> = (0..args.len()).collect();
        fn root(group_of: &mut [usize], mut i: usize) -> usize {
            while group_of[i] != i {
                i = group_of[i];
            }
            i
        }
        for i in 0..args.len() {
            for j in 0..i {
                let same_side = (args[i].ratio >= 1.0) == (args[j].ratio >= 1.0);
                let shared = !graph.arguments[args[i].index].basis.is_disjoint(&graph.arguments[args[j].index].basis);
                if args[i].targets == args[j].targets && same_side && shared {
                    let (a, b) = (root(&mut group_of, i), root(&mut group_of, j));
                    group_of[a.max(b)] = a.min(b);
                }
            }
        }
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..args.len() {
            let r = root(&mut group_of, i);
            groups.entry(r).or_default().push(i);
        }
        for members in groups.values_mut() {
            members.sort_by(|&a, &b| args[b].ratio.ln().abs().total_cmp(&args[a].ratio.ln().abs()).then(args[a].index.cmp(&args[b].index)));
        }

        // Bodies of evidence: groups that share a report variable, transitively.
        let group_list: Vec<&Vec<usize>> = groups.values().collect();
        let vars_of = |members: &[usize]| -> BTreeSet<Var> {
            members.iter().flat_map(|&k| args[k].holds.terms().iter().chain(args[k].defeat.terms()).flatten().copied()).collect()
        };
        let mut body_of: Vec<usize> = (0..group_list.len()).collect();
        for a in 0..group_list.len() {
            for b in 0..a {
                if !vars_of(group_list[a]).is_disjoint(&vars_of(group_list[b])) {
                    let (x, y) = (root(&mut body_of, a), root(&mut body_of, b));
                    body_of[x.max(y)] = x.min(y);
                }
            }
        }
        let mut bodies: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for g in 0..group_list.len() {
            let r = root(&mut body_of, g);
            bodies.entry(r).or_default().push(g);
        }
        // Each body moves the hypotheses by its Bayes factor: the average over its
        // worlds of posterior / prior, in log space.
        let mut log_weights: Vec<f64> = priors.iter().map(|x| x.ln()).collect();
        let mut too_many = false;
        for body in bodies.values() {
            let vars: Vec<Var> = body.iter().flat_map(|&g| vars_of(group_list[g])).collect::<BTreeSet<Var>>().into_iter().collect();
            if vars.len() > ENUMERABLE {
                too_many = true;
                break;
            }
            let satisfied = |cond: &Cond, world: u64| {
                cond.terms().iter().any(|term| term.iter().all(|v| vars.iter().position(|x| x == v).is_some_and(|i| world >> i & 1 == 1)))
            };
            let mut factor = vec![0.0; n];
            for world in 0u64..(1u64 << vars.len()) {
                let p: f64 = vars
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| {
                        let q = match fixed.get(&v) {
                            Some(&genuine) => f64::from(u8::from(genuine)),
                            None => graph.provenance.variables[v as usize].probability,
                        };
                        if world >> i & 1 == 1 {
                            q
                        } else {
                            1.0 - q
                        }
                    })
                    .product();
                if p == 0.0 {
                    continue;
                }
                let mut added = vec![0.0; n];
                for &g in body {
                    let members = group_list[g];
                    if let Some(&k) = members.iter().find(|&&k| satisfied(&args[k].holds, world) && !satisfied(&args[k].defeat, world)) {
                        for &t in &args[k].targets {
                            added[t] += args[k].ratio.ln();
                        }
                    }
                }
                let logits: Vec<f64> = priors.iter().zip(&added).map(|(pi, a)| pi.ln() + a).collect();
                let max = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let total = max + logits.iter().map(|l| (l - max).exp()).sum::<f64>().ln();
                for (slot, a) in factor.iter_mut().zip(&added) {
                    *slot += p * (a - total).exp();
                }
            }
            for (w, f) in log_weights.iter_mut().zip(&factor) {
                *w += f.ln();
            }
        }
        if too_many {
            continue;
        }
        let max = log_weights.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let total: f64 = log_weights.iter().map(|w| (w - max).exp()).sum();
        let posterior: Vec<f64> = log_weights.iter().map(|w| (w - max).exp() / total).collect();
        out.insert(question.id.clone(), names.into_iter().zip(posterior).collect());
    }
    out
}

/// Asserts that the engine's probabilities equal the oracle's to 1e-9, and
/// returns how many probabilities were compared.
pub fn agree(label: &str, evidence: &EvidenceSet, evaluation: &Evaluation) -> usize {
    let expected = posteriors(evidence, evaluation);
    let mut compared = 0;
    for q in &evaluation.assessment.questions {
        let Some(oracle) = expected.get(&q.id) else { continue };
        for h in &q.hypotheses {
            let want = oracle[&h.id];
            if let Some([lo, hi]) = h.probability_range {
                // A bounded question: its range must hold the exact value.
                assert!(
                    lo <= hi && lo - 1e-9 <= want && want <= hi + 1e-9,
                    "{label}: question {} hypothesis {}: range [{lo}, {hi}] but oracle {want}",
                    q.id,
                    h.id
                );
                compared += 1;
                continue;
            }
            assert!(
                (h.probability - want).abs() < 1e-9,
                "{label}: question {} hypothesis {}: engine {} but oracle {}",
                q.id,
                h.id,
                h.probability,
                want
            );
            compared += 1;
        }
    }
    compared
}

/// The probability that `cond` holds, by enumerating every world of its
/// variables (at most [`ENUMERABLE`]), each variable true with `probability(v)`.
pub fn formula_probability(cond: &Cond, probability: &dyn Fn(Var) -> f64) -> f64 {
    let vars: Vec<Var> = cond.terms().iter().flatten().copied().collect::<BTreeSet<Var>>().into_iter().collect();
    assert!(vars.len() <= ENUMERABLE, "too many variables to enumerate: {}", vars.len());
    let mut total = 0.0;
    for world in 0u64..(1u64 << vars.len()) {
        let genuine = |v: &Var| vars.iter().position(|x| x == v).is_some_and(|i| world >> i & 1 == 1);
        if cond.terms().iter().any(|term| term.iter().all(genuine)) {
            total += vars.iter().map(|v| if genuine(v) { probability(*v) } else { 1.0 - probability(*v) }).product::<f64>();
        }
    }
    total
}

/// What `credence` must give for a block matching the assertions `stated`
/// picks, from the reports themselves: the probability, over the worlds of the
/// report variables, that some report in force and genuine in the world makes
/// such an assertion (and, when its source hedged, what it stated is so).
/// Reads only the provenance stage (which reports count, their variables and
/// gradings), not the matcher or the engine's credence.
pub fn stated_credence(
    schema: &Schema,
    evidence: &EvidenceSet,
    evaluation: &Evaluation,
    stated: &dyn Fn(&str, &[Option<String>]) -> bool,
) -> f64 {
    let provenance = &evaluation.graph.provenance;
    let mut any = Cond::never();
    for (i, report) in evidence.reports.iter().enumerate() {
        let status = &provenance.reports[i];
        if !status.in_force() {
            continue;
        }
        for (k, assertion) in report.asserts.iter().enumerate() {
            let fields: Vec<Option<String>> = assertion.fields.iter().map(|v| v.as_ref().map(|v| v.to_string())).collect();
            if stated(&schema.get(assertion.ty).name, &fields) {
                any = any.or(&status.assertion_cond(k));
            }
        }
    }
    formula_probability(&any, &|v| provenance.variables[v as usize].probability)
}
