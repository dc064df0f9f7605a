//! The evidence graph of one question as an analyst reads it: sources, the
//! reports they made, the undercutters and arguments resting on those reports,
//! and the hypotheses the arguments bear on, each node on a layer in that
//! order (a renderer lays them out; `src/report/layout.rs`).

use crate::engine::graph::Edge as ClaimEdge;
use crate::engine::inference::Weighing;
use crate::engine::Evaluation;
use crate::evidence::EvidenceSet;
use crate::language::Program;
use crate::prelude::*;
use serde::Serialize;

/// The evidence graph of one weighed question, ready to lay out and draw.
#[derive(Serialize, Debug, Clone)]
pub struct EvidenceGraph {
    /// The question's id.
    pub question: String,
    /// The nodes, sources first, then reports, undercutters, arguments and hypotheses.
    pub nodes: Vec<Node>,
    /// The edges between nodes, sorted by `(from, to)`.
    pub edges: Vec<Edge>,
}

/// A node of the evidence graph: a source, report, undercutter, argument or hypothesis.
#[derive(Serialize, Debug, Clone)]
pub struct Node {
    /// `source`, `report`, `undercutter`, `argument` or `hypothesis`.
    pub kind: String,
    /// Layer from left to right: 0 sources, 1 reports, 2 undercutters, 3 arguments, 4 hypotheses.
    pub layer: usize,
    /// A short label (an id, a rule id).
    pub label: String,
    /// The longer text shown on hover: a name, a title, an explanation.
    pub detail: String,
}

/// A directed edge of the evidence graph.
#[derive(Serialize, Debug, Clone)]
pub struct Edge {
    /// Index of the node it starts from, in [`EvidenceGraph::nodes`].
    pub from: usize,
    /// Index of the node it ends at, in [`EvidenceGraph::nodes`].
    pub to: usize,
    /// `made`, `rests on`, `undercuts`, `supports`, `opposes` or `non-diagnostic`.
    pub kind: String,
    /// The likelihood ratio of a supporting or opposing edge, else empty.
    pub label: String,
}

/// Builds the evidence graph of the question weighed in `w`: the arguments weighed
/// (and non-diagnostic ones), their undercutters, the reports both rest on and
/// their sources, and every hypothesis labelled with its probability.
pub fn graph(program: &Program, evidence: &EvidenceSet, evaluation: &Evaluation, w: &Weighing) -> EvidenceGraph {
    let g = &evaluation.graph;
    let question = &evidence.questions[w.question];
    let mut arguments: BTreeSet<usize> = w.groups.iter().flat_map(|grp| grp.members.iter().copied()).collect();
    arguments.extend(w.non_diagnostic.iter().copied());
    let undercutters: BTreeSet<usize> = arguments.iter().flat_map(|&a| g.undercut_by(a)).collect();
    let reports: BTreeSet<usize> = arguments
        .iter()
        .flat_map(|&a| g.arguments[a].reports.iter().copied())
        .chain(undercutters.iter().flat_map(|&u| g.undercutters[u].reports.iter().copied()))
        .collect();
    let sources: BTreeSet<usize> = reports.iter().map(|&r| evidence.reports[r].source).collect();

    let mut nodes = vec![];
    let mut add = |kind: &str, layer: usize, label: String, detail: String| -> usize {
        nodes.push(Node { kind: kind.into(), layer, label, detail });
        nodes.len() - 1
    };
    let source_node: BTreeMap<usize, usize> = sources
        .iter()
        .map(|&s| {
            let source = &evidence.sources[s];
            (s, add("source", 0, source.id.clone(), format!("{} ({}, reliability {})", source.name, source.kind, source.reliability)))
        })
        .collect();
    let report_node: BTreeMap<usize, usize> = reports
        .iter()
        .map(|&r| {
            let report = &evidence.reports[r];
            let label = super::report_label(evidence, r);
            (
                r,
                add(
                    "report",
                    1,
                    report.id.clone(),
                    format!("{} ({}, {}: {})", report.title(), label.date, label.grading, label.grading_words),
                ),
            )
        })
        .collect();
    let undercutter_node: BTreeMap<usize, usize> = undercutters
        .iter()
        .map(|&u| {
            let cutter = &g.undercutters[u];
            (u, add("undercutter", 2, program.rules[cutter.rule].id.clone(), cutter.explanation.clone()))
        })
        .collect();
    let argument_node: BTreeMap<usize, usize> = arguments
        .iter()
        .map(|&a| {
            let argument = &g.arguments[a];
            let rule = &program.rules[argument.rule];
            (a, add("argument", 3, rule.id.clone(), format!("{}: {}", rule.title, argument.explanation(program))))
        })
        .collect();
    let hypotheses = g.hypotheses(g.questions[w.question]);
    let names: Vec<(String, String)> = question
        .hypotheses
        .iter()
        .map(|h| (h.actor.clone(), evidence.actors.get(&h.actor).cloned().unwrap_or_else(|| h.actor.clone())))
        .chain(std::iter::once(("other".to_string(), "an actor not listed".to_string())))
        .collect();
    let hypothesis_node: Vec<usize> = names
        .iter()
        .enumerate()
        .map(|(i, (id, name))| {
            let p = crate::report::text::percent(w.probabilities.get(i).copied().unwrap_or(0.0));
            add("hypothesis", 4, format!("{id} {p}"), format!("{name}: {p}"))
        })
        .collect();

    let mut edges = vec![];
    let mut edge = |from: usize, to: usize, kind: &str, label: String| edges.push(Edge { from, to, kind: kind.into(), label });
    for (&r, &n) in &report_node {
        if let Some(&s) = source_node.get(&evidence.reports[r].source) {
            edge(s, n, "made", String::new());
        }
    }
    for (&u, &n) in &undercutter_node {
        for r in &g.undercutters[u].reports {
            if let Some(&from) = report_node.get(r) {
                edge(from, n, "rests on", String::new());
            }
        }
        for a in &g.undercutters[u].targets {
            if let Some(&target) = argument_node.get(a) {
                edge(n, target, "undercuts", String::new());
            }
        }
    }
    for (&a, &n) in &argument_node {
        for r in &g.arguments[a].reports {
            if let Some(&from) = report_node.get(r) {
                edge(from, n, "rests on", String::new());
            }
        }
    }
    for (i, &h) in hypotheses.iter().enumerate() {
        for (a, kind) in g.bearing_on(h) {
            let Some(&n) = argument_node.get(&a) else { continue };
            match kind {
                ClaimEdge::Weighs(ratio) => {
                    let kind = if ratio >= 1.0 { "supports" } else { "opposes" };
                    edge(n, hypothesis_node[i], kind, format!("LR {}", super::ratio(ratio.log10())));
                }
                ClaimEdge::NonDiagnostic => edge(n, hypothesis_node[i], "non-diagnostic", String::new()),
                _ => {}
            }
        }
    }
    edges.sort_by_key(|e| (e.from, e.to));
    edges.dedup_by(|a, b| a.from == b.from && a.to == b.to && a.kind == b.kind);
    EvidenceGraph { question: question.id.clone(), nodes, edges }
}
