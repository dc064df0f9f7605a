//! Every stage is bounded: each reproducer found by fuzzing or crafted by hand
//! (docs/semantics.md, "Budgets and limits") ends with a result or a clear
//! error within its budget. No timing is asserted (speed is measured in
//! benches/); that these tests return at all is the point, and where the
//! budget runs out, that the error names the rule and the evidence.

use ascribe::diagnostics::Sources;
use ascribe::engine::budget::Limits;
use ascribe::engine::{self, Evaluation, Options};
use ascribe::evidence;
use ascribe::language::{self, library, RuleText};
use std::fmt::Write;

const HEAD: &str = "sources:\n  - { id: s1, name: S1, kind: vendor, reliability: B }\nactors:\n  - { id: alpha, name: Alpha, country: XA }\n  - { id: beta, name: Beta, country: XB }\n";

/// Evaluates `yaml` with the standard library and `rules`; Ok(evaluation) or
/// Err(rendered diagnostics), also when only some questions were not weighed.
fn run(yaml: &str, rules: &str, options: &Options) -> Result<Evaluation, String> {
    let mut sources = Sources::default();
    let mut texts = library::standard();
    if !rules.is_empty() {
        texts.push(RuleText { name: "extra.ascr".into(), text: rules.into() });
    }
    let program = language::compile(texts, &mut sources).map_err(|d| d.render(&sources))?;
    let file = sources.add("evidence.yaml", yaml.to_string());
    let set = evidence::load(&[file], &sources, &program.schema).map_err(|d| d.render(&sources))?;
    let evaluation = engine::evaluate(&program, &set, options).map_err(|d| d.render(&sources))?;
    if !evaluation.diagnostics.is_empty() {
        return Err(evaluation.diagnostics.render(&sources));
    }
    Ok(evaluation)
}

/// Incidents linked by `shared_infrastructure` reports along `edges`; the first is attributed to alpha.
fn linked(names: &[String], edges: &[(usize, usize)]) -> String {
    let mut y = HEAD.to_string();
    y.push_str("incidents:\n");
    for (k, n) in names.iter().enumerate() {
        let _ = writeln!(y, "  - {{ id: {n}, date: 2030-01-{:02} }}", k % 28 + 1);
    }
    let _ = writeln!(y, "questions:\n  - {{ id: q, incident: {}, hypotheses: [alpha, beta] }}", names[names.len() - 1]);
    let _ = writeln!(
        y,
        "reports:\n  - {{ id: att, source: s1, date: 2030-02-01, credibility: 2, asserts: [ {{ attribution: {{ incident: {}, actor: alpha }} }} ] }}",
        names[0]
    );
    for (k, (a, b)) in edges.iter().enumerate() {
        let _ = writeln!(
            y,
            "  - {{ id: r{k}, source: s1, date: 2030-02-01, credibility: 2, asserts: [ {{ shared_infrastructure: {{ incident: {}, other: {} }} }} ] }}",
            names[*a], names[*b]
        );
    }
    y
}

/// Either a result, or a budget error that names the rule and the evidence.
fn result_or_budget_error(outcome: Result<Evaluation, String>, rule: &str) {
    if let Err(e) = outcome {
        assert!(e.contains(&format!("rule `{rule}` exhausted the work budget")) || e.contains("too entangled"), "{e}");
        assert!(e.contains("--budget"), "{e}");
        if e.contains("exhausted") {
            assert!(e.contains("reports `r"), "the error names the reports: {e}");
        }
    }
}

fn names(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|k| format!("{prefix}{k}")).collect()
}

#[test]
fn chain_closure_over_a_clique_of_eight_ends() {
    let edges: Vec<(usize, usize)> = (0..8).flat_map(|a| (a + 1..8).map(move |b| (a, b))).collect();
    result_or_budget_error(run(&linked(&names("i", 8), &edges), "", &Options::default()), "campaign.chain");
}

#[test]
fn chain_closure_over_a_path_of_fifty_ends() {
    let edges: Vec<(usize, usize)> = (0..49).map(|k| (k, k + 1)).collect();
    // A quarter of the default budget keeps the test fast in debug builds; the
    // default ends the same way (docs/performance.md).
    let options = Options { limits: Limits { steps: 1 << 20, ..Limits::default() }, ..Options::default() };
    result_or_budget_error(run(&linked(&names("i", 50), &edges), "", &options), "campaign.chain");
}

#[test]
fn chain_closure_over_a_four_by_four_grid_ends() {
    let mut edges = vec![];
    for r in 0..4 {
        for c in 0..4 {
            if c < 3 {
                edges.push((4 * r + c, 4 * r + c + 1));
            }
            if r < 3 {
                edges.push((4 * r + c, 4 * r + c + 4));
            }
        }
    }
    result_or_budget_error(run(&linked(&names("g", 16), &edges), "", &Options::default()), "campaign.chain");
}

#[test]
fn a_short_chain_is_weighed() {
    let edges: Vec<(usize, usize)> = (0..4).map(|k| (k, k + 1)).collect();
    let evaluation = run(&linked(&names("i", 5), &edges), "", &Options::default()).expect("a short chain weighs");
    let q = &evaluation.assessment.questions[0];
    assert_eq!(q.hypotheses[0].id, "alpha", "the attribution carries along the chain");
}

#[test]
fn one_fact_asserted_by_two_thousand_reports_is_weighed() {
    let mut y = HEAD.to_string();
    y.push_str("incidents:\n  - { id: inc, date: 2030-01-01 }\nartifacts:\n  - { id: ip1, kind: ip }\n");
    y.push_str("questions:\n  - { id: q, incident: inc, hypotheses: [alpha, beta] }\nreports:\n");
    for k in 0..2000 {
        let _ = writeln!(
            y,
            "  - {{ id: r{k}, source: s1, date: 2030-02-01, credibility: 2, asserts: [ {{ geolocation: {{ artifact: ip1, country: XA }} }}, {{ observed: {{ artifact: ip1, incident: inc, role: send_receive }} }} ] }}"
        );
    }
    let evaluation = run(&y, "", &Options::default()).expect("weighs");
    // The fact holds when any report is genuine: as good as certain; the
    // posterior is what the finding gives when certain (LR 300 by send_receive).
    let p = evaluation.assessment.questions[0].hypotheses[0].probability;
    assert!((p - 300.0 / 302.0).abs() < 1e-9, "{p}");
}

fn incidents(n: usize) -> String {
    let mut y = HEAD.to_string();
    y.push_str("incidents:\n");
    for k in 0..n {
        let _ = writeln!(y, "  - {{ id: i{k}, date: 2030-01-01 }}");
    }
    y.push_str("questions:\n  - { id: q, incident: i0, hypotheses: [alpha, beta] }\n");
    y
}

fn cross_rule(id: &str, joins: usize) -> String {
    let vars = ["a", "b", "c", "d", "e", "f", "g", "h"];
    let patterns: String = vars[..joins].iter().map(|v| format!("    incident(id: ?{v})\n")).collect();
    format!(
        "rule {id} {{\n  title \"t\"\n  rationale \"r\"\n  when {{\n{patterns}    actor(id: ?x)\n  }}\n  then {{ support ?x for ?a by weak }}\n  because \"{{a}}\"\n}}\n"
    )
}

#[test]
fn a_four_way_cross_product_is_refused_naming_the_rule() {
    // A quarter of the default budget keeps the test fast in debug builds.
    let options = Options { limits: Limits { steps: 1 << 20, ..Limits::default() }, ..Options::default() };
    let e = run(&incidents(50), &cross_rule("test.cross4", 4), &options).err().expect("refused");
    // Run again for the one incident asked about (i0), it still runs out: only
    // its question fails, and the error names the incident.
    let flat = e.split_whitespace().filter(|w| *w != "│" && *w != "|").collect::<Vec<_>>().join(" ");
    assert!(flat.contains("rule `test.cross4` exhausted the work budget of 1048576 steps for incident `i0` with ?a = i0"), "{e}");
    assert!(flat.contains("question `q` is not weighed"), "{e}");
    assert!(e.contains("?d = i"), "{e}");
    assert!(e.contains("--budget 4194304"), "{e}");
}

#[test]
fn eight_joins_are_refused_naming_the_rule() {
    let options = Options { limits: Limits { steps: 1 << 20, ..Limits::default() }, ..Options::default() };
    let e = run(&incidents(90), &cross_rule("test.join8", 8), &options).err().expect("refused");
    assert!(e.contains("rule `test.join8` exhausted the work budget"), "{e}");
}

#[test]
fn the_budget_is_configurable() {
    let small = Options { limits: Limits { steps: 10, ..Limits::default() }, ..Options::default() };
    let edges = vec![(0, 1)];
    let e = run(&linked(&names("i", 2), &edges), "", &small).err().expect("refused");
    assert!(e.contains("exhausted the work budget of 10 steps"), "{e}");
    assert!(run(&linked(&names("i", 2), &edges), "", &Options::default()).is_ok());
}

#[test]
fn two_thousand_hypotheses_are_weighed() {
    let n = 2000;
    let mut y = "sources:\n  - { id: s1, name: S1, kind: vendor, reliability: B }\nactors:\n".to_string();
    for k in 0..n {
        let _ = writeln!(y, "  - {{ id: a{k}, name: A{k}, country: XA }}");
    }
    y.push_str("incidents:\n  - { id: inc, date: 2030-01-01 }\nquestions:\n  - { id: q, incident: inc, hypotheses: [");
    y.push_str(&(0..n).map(|k| format!("a{k}")).collect::<Vec<_>>().join(", "));
    y.push_str("] }\nreports:\n");
    for k in (0..n).step_by(100) {
        let _ = writeln!(
            y,
            "  - {{ id: r{k}, source: s1, date: 2030-02-01, credibility: 2, asserts: [ {{ attribution: {{ incident: inc, actor: a{k} }} }} ] }}"
        );
    }
    let evaluation = run(&y, "", &Options::default()).expect("weighs");
    let total: f64 = evaluation.assessment.questions[0].hypotheses.iter().map(|h| h.probability).sum();
    assert!((total - 1.0).abs() < 1e-9, "{total}");
}

#[test]
fn deeply_nested_flow_collections_are_refused_before_parsing() {
    let y = format!("{HEAD}case: {}{}\n", "[".repeat(65_536), "]".repeat(65_536));
    let e = run(&y, "", &Options::default()).err().expect("refused");
    assert!(e.contains("collections nested more than 64 deep") && e.contains("evidence.yaml:6:"), "{e}");
}

#[test]
fn long_ids_are_refused_and_get_no_suggestion() {
    let y = format!(
        "{HEAD}incidents:\n  - {{ id: inc, date: 2030-01-01 }}\nquestions:\n  - {{ id: q, incident: {}, hypotheses: [alpha, beta] }}\n",
        "x".repeat(16_384)
    );
    let e = run(&y, "", &Options::default()).err().expect("refused");
    assert!(e.contains("an id of 16384 bytes") && e.contains("limit of 256"), "{e}");
    let long = "y".repeat(16_384);
    let candidates: Vec<String> = (0..1000).map(|k| format!("{long}{k}")).collect();
    assert_eq!(ascribe::suggest::closest(&long, candidates.iter().map(String::as_str)), None);
}
