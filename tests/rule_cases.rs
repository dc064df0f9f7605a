//! Per-rule cases: one evidence set per file under `tests/rules/<rule-id>/`,
//! each with a `test:` section naming the rule and whether it must fire.
//!
//! Every case runs through the real pipeline (standard library, evidence
//! loader, engine). The harness asserts that `fires` cases produce at least
//! one argument, undercut or finding from the rule and `quiet` cases none,
//! then snapshots a self-describing text: the case file verbatim, what the
//! rule produced, and the text report. See tests/rules/README.md.

use ascribe::engine::condition::{Cond, Var};
use ascribe::engine::graph::ClaimGraph;
use ascribe::engine::{self, Evaluation, Options};
use ascribe::evidence::{self, EvidenceSet};
use ascribe::language::{self, library, Conclusion, Program};
use ascribe::prelude::*;
use ascribe::report::text;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

const CASES: &str = "tests/rules";

/// The `test:` section of a case file.
struct Case {
    /// Path relative to the crate root, with `/` separators.
    path: String,
    /// The file as written.
    text: String,
    rule: String,
    expect: Expect,
    description: String,
    as_of: Option<Date>,
    /// The file without its `test:` section: a plain evidence set.
    evidence: String,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Expect {
    Fires,
    Quiet,
}

impl Expect {
    fn name(self) -> &'static str {
        match self {
            Expect::Fires => "fires",
            Expect::Quiet => "quiet",
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn relative(path: &Path) -> String {
    let root = root();
    path.strip_prefix(&root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

/// Every case file, sorted by path.
fn case_files() -> Vec<PathBuf> {
    let mut files = vec![];
    let dir = root().join(CASES);
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display())) {
        let rule_dir = entry.unwrap().path();
        if !rule_dir.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&rule_dir).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_some_and(|x| x == "yaml") {
                files.push(file);
            }
        }
    }
    files.sort();
    files
}

/// Reads a case file and splits off its `test:` section. Panics with the
/// file's path on a malformed case: a broken case is a broken test.
fn read_case(path: &Path) -> Case {
    let shown = relative(path);
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{shown}: {e}"));
    let mut doc: serde_yaml::Mapping = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{shown}: not a YAML mapping: {e}"));
    let test = doc.remove("test").unwrap_or_else(|| panic!("{shown}: no `test:` section"));
    let serde_yaml::Value::Mapping(test) = test else { panic!("{shown}: `test:` must be a mapping") };
    let mut rule = None;
    let mut expect = None;
    let mut description = None;
    let mut as_of = None;
    for (key, value) in &test {
        let key = key.as_str().unwrap_or_else(|| panic!("{shown}: `test:` keys must be names"));
        let value = value.as_str().map(str::to_string).unwrap_or_else(|| panic!("{shown}: test.{key} must be text, found {value:?}"));
        match key {
            "rule" => rule = Some(value),
            "expect" => {
                expect = Some(match value.as_str() {
                    "fires" => Expect::Fires,
                    "quiet" => Expect::Quiet,
                    other => panic!("{shown}: test.expect is `{other}`; write `fires` or `quiet`"),
                })
            }
            "description" => description = Some(value),
            "as_of" => as_of = Some(Date::parse(&value).unwrap_or_else(|| panic!("{shown}: test.as_of `{value}` is not YYYY-MM-DD"))),
            other => panic!("{shown}: unknown key test.{other}; the keys are rule, expect, description, as_of"),
        }
    }
    let rule = rule.unwrap_or_else(|| panic!("{shown}: test.rule is missing"));
    let folder = path.parent().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    assert_eq!(folder, rule, "{shown}: a case for `{rule}` must live in {CASES}/{rule}/");
    let description = description.unwrap_or_else(|| panic!("{shown}: test.description is missing"));
    assert!(!description.contains('\n'), "{shown}: test.description must be one line");
    let evidence = serde_yaml::to_string(&doc).unwrap();
    let expect = expect.unwrap_or_else(|| panic!("{shown}: test.expect is missing"));
    Case { path: shown, text, rule, expect, description, as_of, evidence }
}

fn standard_program(sources: &mut Sources) -> Program {
    match language::compile(library::standard(), sources) {
        Ok(p) => p,
        Err(d) => panic!("the standard library does not compile:\n{}", d.render(sources)),
    }
}

/// Runs a case through the real pipeline.
fn run(case: &Case) -> (Program, EvidenceSet, Evaluation) {
    let mut sources = Sources::default();
    let program = standard_program(&mut sources);
    let id = sources.add(case.path.clone(), case.evidence.clone());
    let evidence = match evidence::load(&[id], &sources, &program.schema) {
        Ok(e) => e,
        Err(d) => panic!("{}: the evidence does not load:\n{}", case.path, d.render(&sources)),
    };
    let evaluation = match engine::evaluate(&program, &evidence, &Options { as_of: case.as_of, ..Options::default() }) {
        Ok(e) => e,
        Err(d) => panic!("{}: evaluation failed:\n{}", case.path, d.render(&sources)),
    };
    (program, evidence, evaluation)
}

/// The probability that `holds` is true and `defeat` is not, with every
/// report genuine independently (exact, by enumerating the reports involved).
fn probability(graph: &ClaimGraph, holds: &Cond, defeat: &Cond) -> f64 {
    let vars: Vec<Var> = holds.vars().union(&defeat.vars()).copied().collect();
    assert!(vars.len() <= 20, "too many reports to enumerate");
    let mut total = 0.0;
    for world in 0u64..(1u64 << vars.len()) {
        let genuine = |v: Var| vars.iter().position(|x| *x == v).is_some_and(|i| world >> i & 1 == 1);
        if holds.holds(genuine) && !defeat.holds(genuine) {
            total += vars
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    let p = graph.provenance.variables[v as usize].probability;
                    if world >> i & 1 == 1 {
                        p
                    } else {
                        1.0 - p
                    }
                })
                .product::<f64>();
        }
    }
    total
}

fn ratio(r: f64) -> String {
    if r >= 1.0 {
        format_number(r)
    } else {
        format!("1/{}", format_number(1.0 / r))
    }
}

fn format_number(n: f64) -> String {
    ascribe::value::format_number((n * 10_000.0).round() / 10_000.0)
}

fn report_ids<'a>(evidence: &EvidenceSet, reports: impl IntoIterator<Item = &'a usize>) -> String {
    let ids: Vec<&str> = reports.into_iter().map(|&r| evidence.reports[r].id.as_str()).collect();
    if ids.is_empty() {
        return "none (certain facts)".to_string();
    }
    ids.join(", ")
}

/// What one rule produced in an evaluation, as text, and how many items.
struct Outputs {
    text: String,
    arguments: usize,
    undercuts: usize,
    /// Undercutters that defeat at least one argument.
    effective_undercuts: usize,
    findings: usize,
}

impl Outputs {
    fn total(&self) -> usize {
        self.arguments + self.undercuts + self.findings
    }
}

fn outputs(program: &Program, evidence: &EvidenceSet, evaluation: &Evaluation, rule_id: &str) -> Outputs {
    let graph = &evaluation.graph;
    let rule_index = program.rule_index(rule_id).unwrap_or_else(|| panic!("no rule `{rule_id}` in the standard library"));
    let rule = &program.rules[rule_index];
    let mut out = String::new();

    let arguments: Vec<usize> = (0..graph.arguments.len()).filter(|&a| graph.arguments[a].rule == rule_index).collect();
    let _ = writeln!(out, "arguments: {}", arguments.len());
    for &a in &arguments {
        let argument = &graph.arguments[a];
        let target = match &argument.target {
            engine::arguments::Target::Other => "other".to_string(),
            engine::arguments::Target::Actor(actor) => actor.clone(),
        };
        let undercutters = graph.undercut_by(a);
        let defeat = undercutters.iter().fold(Cond::never(), |acc, &u| acc.or(&graph.undercutters[u].cond));
        let holds = probability(graph, &argument.cond, &Cond::never());
        let applies = probability(graph, &argument.cond, &defeat);
        match argument.direction {
            language::ast::Direction::Neutral => {
                let _ = writeln!(out, "- neutral on {target} for {}: non-diagnostic", argument.incident);
            }
            direction => {
                let verb = if direction == language::ast::Direction::Oppose { "opposes" } else { "supports" };
                let _ = writeln!(out, "- {verb} {target} for {}: LR {}", argument.incident, ratio(argument.ratio));
            }
        }
        let _ = writeln!(out, "  because: {}", argument.explanation(program));
        let _ = writeln!(out, "  reports: {}", report_ids(evidence, &argument.reports));
        let _ = write!(out, "  holds p={}", format_number(holds));
        if !undercutters.is_empty() {
            let _ = write!(out, ", applies (holds and not undercut) p={}", format_number(applies));
        }
        out.push('\n');
        if let Some(own) = &argument.carried {
            let _ = writeln!(
                out,
                "  stated LR {}, of which the report's own findings carry LR {}",
                ratio(own.stated),
                ratio(10f64.powf(own.carried_log10))
            );
        }
        if argument.direction != language::ast::Direction::Neutral {
            // Gradings held fixed: with probability p the odds are multiplied by
            // the ratio, otherwise left as they are (docs/semantics.md, section 7).
            let _ = writeln!(
                out,
                "  alone: with p={} the odds x {}, otherwise unchanged",
                format_number(applies),
                format_number(argument.ratio),
            );
        }
        for &u in &undercutters {
            let undercutter = &graph.undercutters[u];
            let _ = writeln!(
                out,
                "  undercut by {} (p={}): {}",
                program.rules[undercutter.rule].id,
                format_number(probability(graph, &undercutter.cond, &Cond::never())),
                undercutter.explanation
            );
        }
    }

    let undercutters: Vec<usize> = (0..graph.undercutters.len()).filter(|&u| graph.undercutters[u].rule == rule_index).collect();
    let _ = writeln!(out, "undercuts: {}", undercutters.len());
    let mut effective_undercuts = 0;
    for &u in &undercutters {
        let undercutter = &graph.undercutters[u];
        let _ = writeln!(out, "- {}", undercutter.explanation);
        let _ = writeln!(out, "  reports: {}", report_ids(evidence, &undercutter.reports));
        let _ = writeln!(out, "  holds p={}", format_number(probability(graph, &undercutter.cond, &Cond::never())));
        if undercutter.targets.is_empty() {
            let _ = writeln!(out, "  defeats no argument");
        } else {
            effective_undercuts += 1;
        }
        for &t in &undercutter.targets {
            let target = &graph.arguments[t];
            let _ = writeln!(out, "  defeats {} for {}: {}", program.rules[target.rule].id, target.incident, target.explanation(program));
        }
    }

    // Findings: re-run the rule's conditions on the final fact store and look
    // up the rows its `derive` conclusions name, so a finding type derived by
    // several rules is credited to the right one.
    let derives: Vec<&Conclusion> = rule.conclusions.iter().filter(|c| matches!(c, Conclusion::Derive { .. })).collect();
    let mut findings = 0;
    if !derives.is_empty() {
        // Finding row -> (when this rule derives it, the reports it rests on through this rule).
        let mut rows: BTreeMap<usize, (Cond, BTreeSet<usize>)> = BTreeMap::new();
        engine::matcher::run(&graph.store, &rule.body, rule.vars.len(), &mut |found| {
            let cond = found.rows.iter().fold(Cond::always(), |acc, &r| acc.and(&graph.store.rows[r].cond));
            let reports: BTreeSet<usize> = found.rows.iter().flat_map(|&r| graph.store.rows[r].reports.iter().copied()).collect();
            for conclusion in &derives {
                let Conclusion::Derive { ty, fields, .. } = conclusion else { continue };
                let values: Option<Vec<Option<Value>>> = fields.iter().map(|e| engine::expr::eval(e, found.bindings).map(Some)).collect();
                let Some(values) = values else { continue };
                let row = (0..graph.store.rows.len()).find(|&r| {
                    let row = &graph.store.rows[r];
                    row.ty == *ty && row.fields == values && !row.derived_from.is_empty()
                });
                if let Some(r) = row {
                    let entry = rows.entry(r).or_insert_with(|| (Cond::never(), BTreeSet::new()));
                    entry.0 = entry.0.or(&cond);
                    entry.1.extend(reports.iter().copied());
                }
            }
        });
        findings = rows.len();
        let _ = writeln!(out, "findings: {}", rows.len());
        let mut lines = vec![];
        for (r, (cond, reports)) in rows {
            let row = &graph.store.rows[r];
            let spec = program.schema.get(row.ty);
            let fields: Vec<String> =
                spec.fields.iter().zip(&row.fields).filter_map(|(f, v)| v.as_ref().map(|v| format!("{}: {v}", f.name))).collect();
            lines.push(format!(
                "- {}({})\n  reports: {}\n  holds through this rule p={}; holds p={}\n",
                spec.name,
                fields.join(", "),
                report_ids(evidence, &reports),
                format_number(probability(graph, &cond, &Cond::never())),
                format_number(probability(graph, &row.cond, &Cond::never()))
            ));
        }
        lines.sort();
        out.extend(lines);
    }
    Outputs { text: out, arguments: arguments.len(), undercuts: undercutters.len(), effective_undercuts, findings }
}

/// The snapshot body: the case verbatim, the rule's outputs, the text report.
fn body(case: &Case, program: &Program, evaluation: &Evaluation, outputs: &Outputs) -> String {
    let rule = &program.rules[program.rule_index(&case.rule).unwrap_or(0)];
    let mut out = String::new();
    let _ = writeln!(out, "===== case {} =====", case.path);
    out.push_str(&case.text);
    if !case.text.ends_with('\n') {
        out.push('\n');
    }
    let _ = writeln!(out, "===== {} ({}), expected to be {} =====", case.rule, rule.title, case.expect.name());
    out.push_str(&outputs.text);
    let _ = writeln!(out, "===== report =====");
    out.push_str(&text::render(&evaluation.assessment));
    out
}

/// Checks `fires`/`quiet`; returns a complaint when the case does not hold.
fn verdict(case: &Case, program: &Program, outputs: &Outputs) -> Option<String> {
    let rule = &program.rules[program.rule_index(&case.rule).unwrap_or(0)];
    let undercuts_only = rule.conclusions.iter().all(|c| matches!(c, Conclusion::Undercut { .. }));
    match case.expect {
        Expect::Fires if outputs.total() == 0 => Some(format!("{}: expected `{}` to fire, it produced nothing", case.path, case.rule)),
        Expect::Fires if undercuts_only && outputs.effective_undercuts == 0 => {
            Some(format!("{}: expected `{}` to undercut an argument, it defeats none", case.path, case.rule))
        }
        Expect::Quiet if outputs.total() > 0 => Some(format!(
            "{}: expected `{}` to stay quiet, it produced {} argument(s), {} undercut(s), {} finding(s)",
            case.path, case.rule, outputs.arguments, outputs.undercuts, outputs.findings
        )),
        _ => None,
    }
}

#[test]
fn rule_cases() {
    let failures: Mutex<Vec<String>> = Mutex::new(vec![]);
    // Snapshot mismatches make `glob!` panic after every case has run; the
    // fires/quiet verdicts are reported first, as they matter more.
    let snapshots = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        insta::glob!("rules", "*/*.yaml", |path| {
            let case = read_case(path);
            let (program, evidence, evaluation) = run(&case);
            let outputs = outputs(&program, &evidence, &evaluation, &case.rule);
            let body = body(&case, &program, &evaluation, &outputs);
            let name = case.path.trim_start_matches(CASES).trim_start_matches('/').trim_end_matches(".yaml").replace('/', "__");
            let mut settings = insta::Settings::clone_current();
            settings.remove_snapshot_suffix();
            settings.set_snapshot_path("snapshots/rules");
            settings.set_prepend_module_to_snapshot(false);
            settings.set_omit_expression(true);
            settings.set_description(case.description.clone());
            settings.bind(|| insta::assert_snapshot!(name, body));
            if let Some(complaint) = verdict(&case, &program, &outputs) {
                failures.lock().unwrap().push(complaint);
            }
        });
    }));
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{} case(s) do not hold:\n{}", failures.len(), failures.join("\n"));
    if let Err(panic) = snapshots {
        std::panic::resume_unwind(panic);
    }
}

/// Every rule of the standard library has a `fires` and a `quiet` case, and
/// every case names a rule that exists.
#[test]
fn every_rule_has_cases() {
    let mut sources = Sources::default();
    let program = standard_program(&mut sources);
    let cases: Vec<Case> = case_files().iter().map(|p| read_case(p)).collect();
    let mut problems = vec![];
    for rule in &program.rules {
        for expect in [Expect::Fires, Expect::Quiet] {
            if !cases.iter().any(|c| c.rule == rule.id && c.expect == expect) {
                problems.push(format!("{}: no `{}` case (add {CASES}/{}/{}.yaml)", rule.id, expect.name(), rule.id, expect.name()));
            }
        }
    }
    for case in &cases {
        if program.rule_index(&case.rule).is_none() {
            problems.push(format!("{}: `{}` is not a rule of the standard library", case.path, case.rule));
        }
    }
    assert!(problems.is_empty(), "rules without cases (see tests/rules/README.md):\n{}", problems.join("\n"));
}
