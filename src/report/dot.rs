//! The claim graph in Graphviz DOT.

use super::escape::dot_label;
use crate::engine::graph::{ClaimGraph, Edge, Node};
use crate::evidence::EvidenceSet;
use crate::language::Program;
use petgraph::visit::EdgeRef;
use std::fmt::Write;

/// A label of several lines: each part is escaped for DOT ([`dot_label`]) and
/// the parts are joined with DOT's own `\n`, the only line breaks a label has.
fn label(parts: &[&str]) -> String {
    parts.iter().map(|p| dot_label(p)).collect::<Vec<_>>().join("\\n")
}

/// The claim graph as a Graphviz DOT digraph.
pub fn render(graph: &ClaimGraph, program: &Program, evidence: &EvidenceSet) -> String {
    let mut out = String::from("digraph claims {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n");
    let whole = graph.petgraph(evidence);
    for index in whole.node_indices() {
        let (label, shape) = match &whole[index] {
            Node::Source(s) => {
                let s = &evidence.sources[*s];
                (label(&[&format!("source {}", s.id), &format!("{} ({})", s.kind, s.reliability)]), "house")
            }
            Node::Report(r) => {
                let r = &evidence.reports[*r];
                (label(&[&format!("report {}", r.id), &r.date.to_string()]), "note")
            }
            Node::Fact(row) => {
                let r = &graph.store.rows[*row];
                let spec = program.schema.get(r.ty);
                let fields: Vec<String> = spec
                    .fields
                    .iter()
                    .zip(&r.fields)
                    .filter(|(f, v)| {
                        f.name != "report" && v.as_ref().is_some_and(|v| !matches!(v, crate::value::Value::List(items) if items.is_empty()))
                    })
                    .map(|(f, v)| format!("{}: {}", f.name, v.as_ref().map(|v| v.to_string()).unwrap_or_default()))
                    .collect();
                let mut parts = vec![spec.name.as_str()];
                parts.extend(fields.iter().map(String::as_str));
                if fields.is_empty() {
                    parts.push("");
                }
                (label(&parts), "box")
            }
            Node::Argument(a) => {
                let a = &graph.arguments[*a];
                (label(&[&program.rules[a.rule].id, &a.explanation(program)]), "ellipse")
            }
            Node::Undercutter(u) => {
                let u = &graph.undercutters[*u];
                (label(&[&program.rules[u.rule].id, &u.explanation]), "octagon")
            }
            Node::Question(q) => (label(&[&format!("question {}", evidence.questions[*q].id)]), "diamond"),
            Node::Hypothesis { question, index } => {
                let q = &evidence.questions[*question];
                let name = q.hypotheses.get(*index).map(|h| h.actor.as_str()).unwrap_or("other");
                (label(&[&format!("{}: {}", q.id, name)]), "doubleoctagon")
            }
        };
        // Node names are the graph's own indices, never evidence ids.
        let _ = writeln!(out, "  n{} [label=\"{}\", shape={}];", index.index(), label, shape);
    }
    for edge in whole.edge_references() {
        let label = match edge.weight() {
            Edge::Made => "made".to_string(),
            Edge::Asserts => "asserts".to_string(),
            Edge::Retracts => "retracts".to_string(),
            Edge::Repeats => "repeats".to_string(),
            Edge::DerivedFrom => "derives".to_string(),
            Edge::Grounds => "grounds".to_string(),
            Edge::Asks => "asks".to_string(),
            Edge::Weighs(r) if *r >= 1.0 => format!("supports LR {}", crate::value::format_number(*r)),
            Edge::Weighs(r) => format!("opposes LR 1/{}", crate::value::format_number(1.0 / r)),
            Edge::NonDiagnostic => "non-diagnostic".to_string(),
            Edge::Undercuts => "undercuts".to_string(),
        };
        let _ = writeln!(out, "  n{} -> n{} [label=\"{}\"];", edge.source().index(), edge.target().index(), dot_label(&label));
    }
    out.push_str("}\n");
    out
}
