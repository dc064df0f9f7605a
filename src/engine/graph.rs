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
///
/// The weighing reads only which arguments bear on each hypothesis and which
/// undercuts defeat each argument: those links are kept in flat indexes, and
/// the whole graph (with a node for every report and fact) is built only when
/// it is drawn ([`ClaimGraph::petgraph`]). On a large set the whole graph
/// would hold millions of nodes and edges that the weighing never reads.
pub struct ClaimGraph {
    /// The node of each question in [`ClaimGraph::petgraph`], in evidence order.
    pub questions: Vec<NodeIndex>,
    /// Every argument the rules made.
    pub arguments: Vec<Argument>,
    /// Every undercut the rules made.
    pub undercutters: Vec<Undercutter>,
    /// The facts: entities, assertions in force and findings.
    pub store: FactStore,
    /// What each report counts for, and the uncertain variables.
    pub provenance: Provenance,
    /// The open questions (indexes), which arguments are linked to.
    open: Vec<usize>,
    /// Per question, the number of its first hypothesis among all questions'
    /// hypotheses (one more entry, the total, at the end).
    first_hypothesis: Vec<u32>,
    /// Per hypothesis (numbered as in `first_hypothesis`), where its
    /// arguments start in `bearing` (one more entry at the end).
    bearing_start: Vec<u32>,
    /// The arguments bearing on each hypothesis, in argument order.
    bearing: Vec<u32>,
    /// (argument, undercutter defeating it), sorted.
    undercuts: Vec<(u32, u32)>,
}

impl ClaimGraph {
    /// Links what the rules made to the evidence and the open questions.
    pub fn build(evidence: &EvidenceSet, applied: Applied, provenance: Provenance, open: &[usize]) -> ClaimGraph {
        let Applied { store, arguments, undercutters, .. } = applied;
        // The nodes are numbered as in the whole graph: sources, reports, the
        // facts some rule application rests on, then questions and hypotheses.
        let facts = reached_facts(&store, &arguments, &undercutters).len();
        let mut next = evidence.sources.len() + evidence.reports.len() + facts;
        let mut questions = Vec::with_capacity(evidence.questions.len());
        let mut first_hypothesis = Vec::with_capacity(evidence.questions.len() + 1);
        let mut hypotheses = 0usize;
        for question in &evidence.questions {
            questions.push(NodeIndex::new(next));
            next += question.hypotheses.len() + 2;
            first_hypothesis.push(index32(hypotheses));
            hypotheses += question.hypotheses.len() + 1;
        }
        first_hypothesis.push(index32(hypotheses));
        // (hypothesis, argument) for every argument bearing on an open question,
        // in argument order, then grouped by hypothesis (a counting sort, stable).
        let links = Links::new(evidence, open);
        let mut pairs: Vec<(u32, u32)> = vec![];
        for (ai, argument) in arguments.iter().enumerate() {
            links.each(argument, |qi, index| pairs.push((first_hypothesis[qi] + index32(index), index32(ai))));
        }
        let mut bearing_start = vec![0u32; hypotheses + 1];
        for &(h, _) in &pairs {
            bearing_start[h as usize + 1] += 1;
        }
        for h in 0..hypotheses {
            bearing_start[h + 1] += bearing_start[h];
        }
        let mut filled = bearing_start.clone();
        let mut bearing = vec![0u32; pairs.len()];
        for (h, a) in pairs {
            bearing[filled[h as usize] as usize] = a;
            filled[h as usize] += 1;
        }
        let mut undercuts: Vec<(u32, u32)> =
            undercutters.iter().enumerate().flat_map(|(ui, u)| u.targets.iter().map(move |&t| (index32(t), index32(ui)))).collect();
        undercuts.sort_unstable();
        ClaimGraph {
            questions,
            arguments,
            undercutters,
            store,
            provenance,
            open: open.to_vec(),
            first_hypothesis,
            bearing_start,
            bearing,
            undercuts,
        }
    }

    /// The whole claim graph, a node for every source, report, fact that a rule
    /// application rests on, argument, undercut, question and hypothesis, and an
    /// edge for each link between them (what `--format dot` draws). Its question
    /// nodes are [`ClaimGraph::questions`].
    pub fn petgraph(&self, evidence: &EvidenceSet) -> DiGraph<Node, Edge> {
        let ClaimGraph { arguments, undercutters, store, .. } = self;
        // In the order they are first reached (their nodes are numbered so).
        let reached = reached_facts(store, arguments, undercutters);
        let mut facts: Vec<RowId> = reached.clone();
        facts.sort_unstable();
        let links = Links::new(evidence, &self.open);
        let mut graph = DiGraph::new();
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
        let mut hypothesis_nodes: Vec<Vec<NodeIndex>> = vec![];
        for (qi, question) in evidence.questions.iter().enumerate() {
            let q = graph.add_node(Node::Question(qi));
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
            links.each(argument, |qi, index| {
                graph.add_edge(node, hypothesis_nodes[qi][index], edge_of(argument));
            });
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
        graph
    }

    /// The question a hypothesis node belongs to, and its position there.
    fn hypothesis_of(&self, hypothesis: NodeIndex) -> Option<(usize, usize)> {
        let qi = self.questions.partition_point(|&q| q < hypothesis).checked_sub(1)?;
        let index = hypothesis.index().checked_sub(self.questions[qi].index() + 1)?;
        let count = (self.first_hypothesis[qi + 1] - self.first_hypothesis[qi]) as usize;
        (index < count).then_some((qi, index))
    }

    /// The hypothesis nodes of a question, named ones first, `other` last.
    pub fn hypotheses(&self, question: NodeIndex) -> Vec<NodeIndex> {
        let Ok(qi) = self.questions.binary_search(&question) else { return vec![] };
        let count = (self.first_hypothesis[qi + 1] - self.first_hypothesis[qi]) as usize;
        (1..=count).map(|k| NodeIndex::new(question.index() + k)).collect()
    }

    /// Arguments bearing on a hypothesis: (argument index, edge).
    pub fn bearing_on(&self, hypothesis: NodeIndex) -> Vec<(usize, Edge)> {
        let Some((qi, index)) = self.hypothesis_of(hypothesis) else { return vec![] };
        let h = (self.first_hypothesis[qi] as usize) + index;
        let range = self.bearing_start[h] as usize..self.bearing_start[h + 1] as usize;
        self.bearing[range].iter().map(|&a| (a as usize, edge_of(&self.arguments[a as usize]))).collect()
    }

    /// The undercutters defeating an argument.
    pub fn undercut_by(&self, argument: usize) -> Vec<usize> {
        let Ok(a) = u32::try_from(argument) else { return vec![] };
        let start = self.undercuts.partition_point(|&(t, _)| t < a);
        self.undercuts[start..].iter().take_while(|&&(t, _)| t == a).map(|&(_, u)| u as usize).collect()
    }
}

/// The edge from an argument to a hypothesis it bears on.
fn edge_of(argument: &Argument) -> Edge {
    match argument.direction {
        Direction::Neutral => Edge::NonDiagnostic,
        _ => Edge::Weighs(argument.ratio),
    }
}

/// A count or an index as the claim graph's indexes store it. The evidence
/// set's limits keep every count far below 2^32 (a larger one would not load).
fn index32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// The facts some argument or undercut rests on, directly or through
/// findings, in the order they are first reached.
fn reached_facts(store: &FactStore, arguments: &[Argument], undercutters: &[Undercutter]) -> Vec<RowId> {
    let mut reached: Vec<RowId> = vec![];
    let mut seen = vec![false; store.rows.len()];
    let mut stack: Vec<RowId> =
        arguments.iter().flat_map(|a| a.rows.iter().copied()).chain(undercutters.iter().flat_map(|u| u.rows.iter().copied())).collect();
    while let Some(row) = stack.pop() {
        if !seen[row] {
            seen[row] = true;
            reached.push(row);
            stack.extend(store.rows[row].derived_from.iter().copied());
        }
    }
    reached
}

/// Which hypotheses of the open questions each argument bears on.
struct Links<'a> {
    evidence: &'a EvidenceSet,
    /// Open questions by incident, so linking an argument is a lookup, not a scan.
    open_by_incident: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Links<'a> {
    fn new(evidence: &'a EvidenceSet, open: &[usize]) -> Links<'a> {
        let mut open_by_incident: HashMap<&str, Vec<usize>> = HashMap::new();
        for &qi in open {
            open_by_incident.entry(evidence.questions[qi].incident.as_str()).or_default().push(qi);
        }
        Links { evidence, open_by_incident }
    }

    /// Calls `link(question, hypothesis index)` for each hypothesis `argument`
    /// bears on, by question (in open order), then hypothesis.
    fn each(&self, argument: &Argument, mut link: impl FnMut(usize, usize)) {
        for &qi in self.open_by_incident.get(argument.incident.as_str()).map(Vec::as_slice).unwrap_or(&[]) {
            let question = &self.evidence.questions[qi];
            match &argument.target {
                Target::Other => link(qi, question.hypotheses.len()),
                Target::Actor(a) => covered(self.evidence, question, a).into_iter().for_each(|h| link(qi, h)),
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use petgraph::visit::EdgeRef;

    /// The links the weighing reads are those of the whole graph that `--format dot` draws.
    #[test]
    fn the_flat_links_are_those_of_the_whole_graph() {
        let engine = crate::api::Engine::new().expect("the standard library compiles");
        let mut undercuts = 0;
        for example in ["ember-veil", "glass-harbor", "korea-2013", "lantern", "tidewater"] {
            let file = format!("examples/{example}/evidence.yaml");
            let evidence = engine.evidence().file(&file).load().expect("the example loads");
            let outcome = engine.evaluate(&evidence, &crate::api::Options::default()).expect("the example is weighed");
            let graph = outcome.graph();
            let whole = graph.petgraph(evidence.set());
            let incoming = |node: NodeIndex| {
                let mut edges: Vec<(NodeIndex, Edge)> =
                    whole.edges_directed(node, petgraph::Direction::Incoming).map(|e| (e.source(), e.weight().clone())).collect();
                edges.sort_by_key(|(n, _)| *n);
                edges
            };
            for node in whole.node_indices() {
                match whole[node] {
                    Node::Question(qi) => {
                        assert_eq!(graph.questions[qi], node, "{example}");
                        let mut asked: Vec<NodeIndex> = whole.edges(node).map(|e| e.target()).collect();
                        asked.sort();
                        assert_eq!(graph.hypotheses(node), asked, "{example}");
                    }
                    Node::Hypothesis { .. } => {
                        let expected: Vec<(usize, Edge)> = incoming(node)
                            .into_iter()
                            .filter_map(|(n, e)| match whole[n] {
                                Node::Argument(a) => Some((a, e)),
                                _ => None,
                            })
                            .collect();
                        assert_eq!(graph.bearing_on(node), expected, "{example}");
                    }
                    Node::Argument(a) => {
                        let mut expected: Vec<usize> = incoming(node)
                            .into_iter()
                            .filter_map(|(n, _)| match whole[n] {
                                Node::Undercutter(u) => Some(u),
                                _ => None,
                            })
                            .collect();
                        undercuts += expected.len();
                        expected.sort();
                        assert_eq!(graph.undercut_by(a), expected, "{example}");
                    }
                    _ => {}
                }
            }
        }
        assert!(undercuts > 0, "some example has an undercut");
    }
}
