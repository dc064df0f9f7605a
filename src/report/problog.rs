//! Each weighed question as an equivalent probabilistic logic program
//! (docs/semantics.md, section 8), so ascribe can be checked against ProbLog's
//! exact inference: `query(h(_))` there gives the probabilities ascribe prints.

use super::escape::{problog_atom, problog_comment as comment};
use crate::engine::condition::Cond;
use crate::engine::graph::ClaimGraph;
use crate::engine::inference::Weighing;
use crate::engine::provenance::Subject;
use crate::evidence::EvidenceSet;
use crate::language::Program;
use std::collections::BTreeSet;
use std::fmt::Write;

/// One program per question, separated by a `% ---- question ID` line: run each
/// on its own (ascribe weighs every question separately).
pub fn render(graph: &ClaimGraph, program: &Program, evidence: &EvidenceSet, weighings: &[Weighing]) -> String {
    let mut out = String::new();
    for w in weighings {
        question(&mut out, graph, program, evidence, w);
    }
    out
}

fn atom(text: &str) -> String {
    problog_atom(text)
}

fn genuine(graph: &ClaimGraph, evidence: &EvidenceSet, var: u32) -> String {
    let variable = &graph.provenance.variables[var as usize];
    let report = atom(&evidence.reports[variable.report].id);
    match variable.subject {
        Subject::Genuine => format!("genuine({report})"),
        Subject::Stated(k) => format!("stated({report}, {})", k + 1),
    }
}

/// The clause bodies of a formula, one per term (`true` for an empty term).
fn bodies(graph: &ClaimGraph, evidence: &EvidenceSet, cond: &Cond) -> Vec<String> {
    cond.terms()
        .iter()
        .map(|term| {
            if term.is_empty() {
                "true".to_string()
            } else {
                term.iter().map(|&v| genuine(graph, evidence, v)).collect::<Vec<_>>().join(", ")
            }
        })
        .collect()
}

fn question(out: &mut String, graph: &ClaimGraph, program: &Program, evidence: &EvidenceSet, w: &Weighing) {
    let q = &evidence.questions[w.question];
    let _ = writeln!(out, "% ---- question {}", comment(&q.id));
    let _ = writeln!(
        out,
        "% {} (incident {}); hypotheses with their priors:",
        comment(if q.text.is_empty() { "who is responsible?" } else { &q.text }),
        comment(&q.incident)
    );
    let names: Vec<String> = q.hypotheses.iter().map(|h| h.actor.clone()).chain(std::iter::once("other".to_string())).collect();
    let disjunction: Vec<String> = names.iter().zip(&w.priors).map(|(n, p)| format!("{p:?}::h({})", atom(n))).collect();
    let _ = writeln!(out, "{}.", disjunction.join("; "));

    // Every report variable the question's arguments mention, genuine independently.
    let mut vars = BTreeSet::new();
    for g in &w.groups {
        for &a in &g.members {
            vars.extend(graph.arguments[a].cond.vars());
            for u in graph.undercut_by(a) {
                vars.extend(graph.undercutters[u].cond.vars());
            }
        }
    }
    for &v in &vars {
        let _ = writeln!(out, "{:?}::{}.", graph.provenance.variables[v as usize].probability, genuine(graph, evidence, v));
    }
    if !vars.is_empty() {
        let _ = writeln!(
            out,
            "% gradings are held fixed (Jeffrey's rule): each body of evidence (groups sharing reports) moves h by\n\
             % the average, over every assignment of its genuine/1 and stated/2 facts weighted by these\n\
             % probabilities, of P(h | its evidence, that assignment) / P(h); ascribe multiplies the bodies' factors"
        );
    }

    // c keeps every observation probability at most 1.
    let max_ratio = w.groups.iter().flat_map(|g| g.members.iter().map(|&a| graph.arguments[a].ratio)).fold(1.0f64, f64::max);
    let c = 1.0 / max_ratio;
    for (gi, g) in w.groups.iter().enumerate() {
        let group = format!("g{}", gi + 1);
        let bears_on: Vec<&str> = g.targets.iter().map(|&t| names[t].as_str()).collect();
        let _ = writeln!(out, "% {group}: bears on {}, body {}", comment(&bears_on.join(" or ")), g.body + 1);
        // The hypotheses it bears on, as one predicate: in(g) holds under any of them.
        for t in &bears_on {
            let _ = writeln!(out, "in({group}) :- h({}).", atom(t));
        }
        for &a in &g.members {
            let arg = &graph.arguments[a];
            let _ = writeln!(
                out,
                "%   a{a}: {} (LR {:?}): {}",
                comment(&program.rules[arg.rule].id),
                arg.ratio,
                comment(&arg.explanation(program))
            );
            for body in bodies(graph, evidence, &arg.cond) {
                let _ = writeln!(out, "holds(a{a}) :- {body}.");
            }
            let defeat = graph.undercut_by(a).iter().fold(Cond::never(), |acc, &u| acc.or(&graph.undercutters[u].cond));
            for body in bodies(graph, evidence, &defeat) {
                let _ = writeln!(out, "defeated(a{a}) :- {body}.");
            }
            let _ = writeln!(out, "applies(a{a}) :- holds(a{a}), \\+ defeated(a{a}).");
        }
        let _ = writeln!(out, "{c:?}::base({group}).");
        let mut stronger: Vec<String> = vec![];
        for (k, &a) in g.members.iter().enumerate() {
            let ratio = graph.arguments[a].ratio;
            let _ = writeln!(out, "{:?}::hit({group}, {}).", ratio * c, k + 1);
            let mut body = vec![format!("in({group})")];
            body.extend(stronger.iter().map(|s| format!("\\+ applies({s})")));
            body.push(format!("applies(a{a})"));
            body.push(format!("hit({group}, {})", k + 1));
            let _ = writeln!(out, "obs({group}) :- {}.", body.join(", "));
            stronger.push(format!("a{a}"));
        }
        let _ = writeln!(out, "obs({group}) :- \\+ in({group}), base({group}).");
        let mut none = vec![format!("in({group})")];
        none.extend(stronger.iter().map(|s| format!("\\+ applies({s})")));
        none.push(format!("base({group})"));
        let _ = writeln!(out, "obs({group}) :- {}.", none.join(", "));
        let _ = writeln!(out, "evidence(obs({group}), true).");
    }
    // Predicates that no clause defines for some arguments still need to exist.
    let _ = writeln!(out, "holds(none) :- fail.\ndefeated(none) :- fail.\napplies(none) :- fail.\nobs(none) :- fail.\nin(none) :- fail.");
    let _ = writeln!(out, "query(h(_)).");
}
