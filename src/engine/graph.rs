//! The claim graph: sources, reports, facts, rule applications, questions and
//! hypotheses, with edges for who reported what and what supports, opposes
//! or undercuts what. Weighing reads this graph and nothing else.

use super::arguments::{Applied, Argument, Target, Undercutter};
use super::facts::{FactStore, FastMap, RowId};
use super::provenance::Provenance;
use crate::evidence::EvidenceSet;
use crate::language::ast::Direction;
use crate::prelude::*;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction as Dir;

/// A node of the claim graph.
#[derive(Clone, Debug)]
pub enum Node {
    /// A source (index into the evidence set's sources).
    Source(usize),
    /// A report (index into the evidence set's reports).
    Report(usize),
    /// A fact row of the fact store.
    Fact(RowId),
    /// An argument (index into [`ClaimGraph::arguments`]).
    Argument(usize),
    /// An undercut (index into [`ClaimGraph::undercutters`]).
    Undercutter(usize),
    /// A question (index into the evidence set's questions).
    Question(usize),
    /// A hypothesis of a question: `index` into its named hypotheses, or
    /// one past the last for the catch-all `other`.
    Hypothesis {
        /// The question's index in the evidence set.
        question: usize,
        /// The hypothesis' position among the question's.
        index: usize,
    },
}

/// An edge of the claim graph: how one node bears on another.
#[derive(Clone, Debug, PartialEq)]
pub enum Edge {
    /// source → report
    Made,
    /// report → fact
    Asserts,
    /// report → report it withdraws
    Retracts,
    /// report → report it repeats
    Repeats,
    /// fact → finding derived from it
    DerivedFrom,
    /// fact → rule application that rests on it
    Grounds,
    /// question → hypothesis
    Asks,
    /// argument → hypothesis, with the likelihood ratio
    Weighs(f64),
    /// argument → hypothesis: fits every hypothesis equally
    NonDiagnostic,
    /// undercutter → argument
    Undercuts,
}

/// Sources, reports, facts, arguments, undercuts, questions and hypotheses, linked: what the weighing reads and the DOT rendering shows.
pub struct ClaimGraph {
    /// The graph itself.
    pub graph: DiGraph<Node, Edge>,
    /// The node of each open question, in evidence order.
    pub questions: Vec<NodeIndex>,
    /// Every argument the rules made.
    pub arguments: Vec<Argument>,
    /// Every undercut the rules made.
    pub undercutters: Vec<Undercutter>,
    /// The facts: entities, assertions in force and findings.
    pub store: FactStore,
    /// What each report counts for, and the uncertain variables.
    pub provenance: Provenance,
    argument_nodes: Vec<NodeIndex>,
}

impl ClaimGraph {
    /// Links what the rules made to the evidence and the open questions.
    pub fn build(evidence: &EvidenceSet, applied: Applied, provenance: Provenance, open: &[usize]) -> ClaimGraph {
        let Applied { store, arguments, undercutters, .. } = applied;
        // Only the facts some rule application rests on enter the graph.
        // In the order they are first reached (their nodes are numbered so).
        let mut reached: Vec<RowId> = vec![];
        let mut seen: FastMap<RowId, ()> = FastMap::default();
        let mut stack: Vec<RowId> =
            arguments.iter().flat_map(|a| a.rows.iter().copied()).chain(undercutters.iter().flat_map(|u| u.rows.iter().copied())).collect();
        while let Some(row) = stack.pop() {
            if seen.insert(row, ()).is_none() {
                reached.push(row);
                stack.extend(store.rows[row].derived_from.iter().copied());
            }
        }
        drop((seen, stack));
        let mut facts: Vec<RowId> = reached.clone();
        facts.sort_unstable();
        // Open questions by incident, so linking an argument is a lookup, not a scan.
        let mut open_by_incident: HashMap<&str, Vec<usize>> = HashMap::new();
        for &qi in open {
            open_by_incident.entry(evidence.questions[qi].incident.as_str()).or_default().push(qi);
        }
        let weighed = |argument: &Argument| -> Vec<(usize, usize)> {
            let mut edges = vec![];
            for &qi in open_by_incident.get(argument.incident.as_str()).map(Vec::as_slice).unwrap_or(&[]) {
                let question = &evidence.questions[qi];
                match &argument.target {
                    Target::Other => edges.push((qi, question.hypotheses.len())),
                    Target::Actor(a) => edges.extend(covered(evidence, question, a).into_iter().map(|h| (qi, h))),
                }
            }
            edges
        };
        // The graph is sized before it is built: on a large set it holds millions
        // of edges, and growing by doubling would leave up to half of it unused.
        let hypotheses: usize = evidence.questions.iter().map(|q| q.hypotheses.len() + 1).sum();
        let nodes = evidence.sources.len()
            + evidence.reports.len()
            + facts.len()
            + evidence.questions.len()
            + hypotheses
            + arguments.len()
            + undercutters.len();
        let edges = evidence.reports.iter().map(|r| 1 + r.retracts.len() + r.based_on.len()).sum::<usize>()
            + facts
                .iter()
                .map(|&r| {
                    let row = &store.rows[r];
                    row.derived_from.len() + if row.derived_from.is_empty() { row.reports.len() } else { 0 }
                })
                .sum::<usize>()
            + hypotheses
            + arguments.iter().map(|a| a.rows.len() + weighed(a).len()).sum::<usize>()
            + undercutters.iter().map(|u| u.rows.len() + u.targets.len()).sum::<usize>();
        let mut graph = DiGraph::with_capacity(nodes, edges);
        let sources: Vec<NodeIndex> = (0..evidence.sources.len()).map(|i| graph.add_node(Node::Source(i))).collect();
        let reports: Vec<NodeIndex> = (0..evidence.reports.len()).map(|i| graph.add_node(Node::Report(i))).collect();
        for (i, report) in evidence.reports.iter().enumerate() {
            if let Some(&s) = sources.get(report.source) {
                graph.add_edge(s, reports[i], Edge::Made);
            }
            for &r in &report.retracts {
                graph.add_edge(reports[i], reports[r], Edge::Retracts);
            }
            for &r in &report.based_on {
                graph.add_edge(reports[i], reports[r], Edge::Repeats);
            }
        }
        let fact_nodes: FastMap<RowId, NodeIndex> = reached.iter().map(|&row| (row, graph.add_node(Node::Fact(row)))).collect();
        for &row in &facts {
            let node = fact_nodes[&row];
            let r = &store.rows[row];
            if r.derived_from.is_empty() {
                for &rep in &r.reports {
                    graph.add_edge(reports[rep], node, Edge::Asserts);
                }
            }
            for from in &r.derived_from {
                graph.add_edge(fact_nodes[from], node, Edge::DerivedFrom);
            }
        }
        let mut questions = vec![];
        let mut hypothesis_nodes: Vec<Vec<NodeIndex>> = vec![];
        for (qi, question) in evidence.questions.iter().enumerate() {
            let q = graph.add_node(Node::Question(qi));
            questions.push(q);
            let mut hyps = vec![];
            for index in 0..=question.hypotheses.len() {
                let h = graph.add_node(Node::Hypothesis { question: qi, index });
                graph.add_edge(q, h, Edge::Asks);
                hyps.push(h);
            }
            hypothesis_nodes.push(hyps);
        }
        let mut argument_nodes = Vec::with_capacity(arguments.len());
        for (ai, argument) in arguments.iter().enumerate() {
            let node = graph.add_node(Node::Argument(ai));
            argument_nodes.push(node);
            for row in &argument.rows {
                graph.add_edge(fact_nodes[row], node, Edge::Grounds);
            }
            for (qi, index) in weighed(argument) {
                let edge = match argument.direction {
                    Direction::Neutral => Edge::NonDiagnostic,
                    _ => Edge::Weighs(argument.ratio),
                };
                graph.add_edge(node, hypothesis_nodes[qi][index], edge);
            }
        }
        for (ui, undercutter) in undercutters.iter().enumerate() {
            let node = graph.add_node(Node::Undercutter(ui));
            for row in &undercutter.rows {
                graph.add_edge(fact_nodes[row], node, Edge::Grounds);
            }
            for &t in &undercutter.targets {
                graph.add_edge(node, argument_nodes[t], Edge::Undercuts);
            }
        }
        ClaimGraph { graph, questions, arguments, undercutters, store, provenance, argument_nodes }
    }

    /// The hypothesis nodes of a question, named ones first, `other` last.
    pub fn hypotheses(&self, question: NodeIndex) -> Vec<NodeIndex> {
        let mut hyps: Vec<(usize, NodeIndex)> = self
            .graph
            .edges_directed(question, Dir::Outgoing)
            .filter(|e| *e.weight() == Edge::Asks)
            .filter_map(|e| match self.graph[e.target()] {
                Node::Hypothesis { index, .. } => Some((index, e.target())),
                _ => None,
            })
            .collect();
        hyps.sort();
        hyps.into_iter().map(|(_, n)| n).collect()
    }

    /// Arguments bearing on a hypothesis: (argument index, edge).
    pub fn bearing_on(&self, hypothesis: NodeIndex) -> Vec<(usize, Edge)> {
        let mut out: Vec<(usize, Edge)> = self
            .graph
            .edges_directed(hypothesis, Dir::Incoming)
            .filter_map(|e| match self.graph[e.source()] {
                Node::Argument(a) => Some((a, e.weight().clone())),
                _ => None,
            })
            .collect();
        out.sort_by_key(|(a, _)| *a);
        out
    }

    /// The undercutters defeating an argument.
    pub fn undercut_by(&self, argument: usize) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .graph
            .edges_directed(self.argument_nodes[argument], Dir::Incoming)
            .filter(|e| *e.weight() == Edge::Undercuts)
            .filter_map(|e| match self.graph[e.source()] {
                Node::Undercutter(u) => Some(u),
                _ => None,
            })
            .collect();
        out.sort();
        out
    }
}

/// The hypotheses of a question that evidence about `actor` bears on: the one
/// that is the actor or contains it (a unit's evidence is its service's), else
/// every one it contains, as a set (a state's evidence bears on all its units
/// alike). Hypotheses never contain each other, so the first case has one.
pub fn covered(evidence: &EvidenceSet, question: &crate::evidence::QuestionRecord, actor: &str) -> Vec<usize> {
    if let Some(i) = question.hypotheses.iter().position(|h| evidence.contains(&h.actor, actor)) {
        return vec![i];
    }
    question.hypotheses.iter().enumerate().filter(|(_, h)| evidence.contains(actor, &h.actor)).map(|(i, _)| i).collect()
}
