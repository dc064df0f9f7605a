//! The claim graph in Graphviz DOT.

use crate::engine::graph::{ClaimGraph, Edge, Node};
use crate::evidence::EvidenceSet;
use crate::language::Program;
use petgraph::visit::EdgeRef;
use std::fmt::Write;

pub fn render(graph: &ClaimGraph, program: &Program, evidence: &EvidenceSet) -> String {
    let mut out = String::from("digraph claims {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n");
    for index in graph.graph.node_indices() {
        let (label, shape) = match &graph.graph[index] {
            Node::Source(s) => {
                let s = &evidence.sources[*s];
                (format!("source {}\\n{} ({})", s.id, s.kind, s.reliability), "house")
            }
            Node::Report(r) => {
                let r = &evidence.reports[*r];
                (format!("report {}\\n{}", r.id, r.date), "note")
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
                (format!("{}\\n{}", spec.name, fields.join("\\n")), "box")
            }
            Node::Argument(a) => {
                let a = &graph.arguments[*a];
                (format!("{}\\n{}", program.rules[a.rule].id, a.explanation), "ellipse")
            }
            Node::Undercutter(u) => {
                let u = &graph.undercutters[*u];
                (format!("{}\\n{}", program.rules[u.rule].id, u.explanation), "octagon")
            }
            Node::Question(q) => (format!("question {}", evidence.questions[*q].id), "diamond"),
            Node::Hypothesis { question, index } => {
                let q = &evidence.questions[*question];
                let name = q.hypotheses.get(*index).map(|h| h.actor.as_str()).unwrap_or("other");
                (format!("{}: {}", q.id, name), "doubleoctagon")
            }
        };
        let _ = writeln!(out, "  n{} [label=\"{}\", shape={}];", index.index(), escape(&label), shape);
    }
    for edge in graph.graph.edge_references() {
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
        let _ = writeln!(out, "  n{} -> n{} [label=\"{}\"];", edge.source().index(), edge.target().index(), escape(&label));
    }
    out.push_str("}\n");
    out
}

fn escape(s: &str) -> String {
    s.replace('"', "\\\"").replace('\n', "\\n")
}
