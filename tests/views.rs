//! The analyst's views (docs/semantics.md, section 13) on every bundled
//! example: sensitivity checked against the brute-force oracle with the
//! report's variable fixed, the matrix and timeline against the engine's own
//! evaluations, and every view snapshotted in text, Markdown and JSON.

mod common;
#[path = "../benches/common/scale.rs"]
mod scale;

use ascribe::engine::provenance::Subject;
use ascribe::engine::{evaluate, views, Options};
use ascribe::evidence::EvidenceSet;
use ascribe::language::Program;
use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Every example's evidence path (relative) and the dates of its `as-of.txt`, plus `None` (all).
fn examples() -> Vec<(String, String, Vec<Option<String>>)> {
    let mut dirs: Vec<_> = std::fs::read_dir(Path::new(ROOT).join("examples"))
        .expect("examples/")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.join("evidence.yaml").exists())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|dir| {
            let name = dir.file_name().and_then(|n| n.to_str()).expect("name").to_string();
            let dates = std::fs::read_to_string(dir.join("as-of.txt")).unwrap_or_default();
            let mut runs: Vec<Option<String>> =
                dates.lines().map(str::trim).filter(|l| !l.is_empty()).map(|d| Some(d.to_string())).collect();
            runs.push(None);
            (name.clone(), format!("examples/{name}/evidence.yaml"), runs)
        })
        .collect()
}

fn load(relative: &str) -> (Program, EvidenceSet) {
    let engine = common::engine_for(relative);
    let text = std::fs::read_to_string(Path::new(ROOT).join(relative)).expect("readable");
    let evidence = engine.evidence().text(relative, text).load().unwrap_or_else(|e| panic!("{}", e.render()));
    (engine.program().clone(), evidence.set().clone())
}

fn options(as_of: Option<&str>) -> Options {
    Options { as_of: as_of.map(|d| ascribe::date::Date::parse(d).expect("date")), ..Options::default() }
}

#[test]
fn sensitivity_is_the_oracles_posterior_with_the_report_fixed() {
    let (mut by_variable, mut by_evaluation) = (0, 0);
    for (name, relative, runs) in examples() {
        let (program, evidence) = load(&relative);
        for as_of in runs {
            let label = format!("{name} as of {}", as_of.as_deref().unwrap_or("all"));
            let options = options(as_of.as_deref());
            let base = evaluate(&program, &evidence, &options).expect("evaluates");
            let what_ifs = views::what_ifs(&program, &evidence, &options, &base);
            let sensitivity = views::sensitivity::sensitivity(&evidence, &base, &what_ifs);
            for q in &sensitivity.questions {
                let assessed = views::question(&base.assessment, &q.id).expect("assessed");
                for row in &q.reports {
                    let r = evidence.reports.iter().position(|x| x.id == row.report.report).expect("a report of the set");
                    let variable = base
                        .graph
                        .provenance
                        .variables
                        .iter()
                        .position(|v| v.report == r && v.subject == Subject::Genuine)
                        .map(|v| v as u32);
                    for (genuine, scenario) in [(false, &row.if_false), (true, &row.if_genuine)] {
                        let scenario = scenario.as_ref().unwrap_or_else(|| panic!("{label}: {} weighed", row.report.report));
                        let expected: BTreeMap<String, f64> = match variable {
                            // The report's own genuineness, fixed in the oracle's worlds.
                            Some(v) => {
                                match common::oracle::posteriors_fixing(&evidence, &base, &BTreeMap::from([(v, genuine)])).remove(&q.id) {
                                    Some(p) => {
                                        by_variable += 1;
                                        p
                                    }
                                    None => continue,
                                }
                            }
                            // Certain, never genuine or an echo: the oracle on the what-if evaluation.
                            None => {
                                let what_if =
                                    evaluate(&program, &evidence, &Options { assume: BTreeMap::from([(r, genuine)]), ..options.clone() })
                                        .expect("evaluates");
                                common::oracle::agree(&label, &evidence, &what_if);
                                by_evaluation += 1;
                                views::question(&what_if.assessment, &q.id)
                                    .expect("weighed")
                                    .hypotheses
                                    .iter()
                                    .map(|h| (h.id.clone(), h.probability))
                                    .collect()
                            }
                        };
                        for share in &scenario.probabilities {
                            let want = expected[&share.hypothesis];
                            assert!(
                                (share.probability - want).abs() < 1e-9,
                                "{label}: {} if {} is {genuine}: engine {} but oracle {want}",
                                share.hypothesis,
                                row.report.report,
                                share.probability
                            );
                        }
                    }
                    // The assessment lies between the two what-ifs, hypothesis by hypothesis.
                    let (f, g) = (row.if_false.as_ref().expect("weighed"), row.if_genuine.as_ref().expect("weighed"));
                    for h in &assessed.hypotheses {
                        let pf = f.probabilities.iter().find(|s| s.hypothesis == h.id).expect("same hypotheses").probability;
                        let pg = g.probabilities.iter().find(|s| s.hypothesis == h.id).expect("same hypotheses").probability;
                        assert!(
                            h.probability >= pf.min(pg) - 1e-9 && h.probability <= pf.max(pg) + 1e-9,
                            "{label}: {} of {} is {} outside [{pf}, {pg}] for {}",
                            h.id,
                            q.id,
                            h.probability,
                            row.report.report
                        );
                    }
                }
            }
        }
    }
    assert!(by_variable > 100, "only {by_variable} what-ifs checked by fixing a variable");
    assert!(by_evaluation > 0, "no what-if checked on a certain report or an echo");
}

#[test]
fn matrix_cells_are_the_difference_the_report_makes() {
    for (name, relative, _) in examples() {
        let (program, evidence) = load(&relative);
        let options = options(None);
        let base = evaluate(&program, &evidence, &options).expect("evaluates");
        let what_ifs = views::what_ifs(&program, &evidence, &options, &base);
        let matrix = views::matrix::matrix(&program, &evidence, &base, &what_ifs);
        assert!(!matrix.questions.is_empty(), "{name}");
        for q in &matrix.questions {
            let assessed = views::question(&base.assessment, &q.id).expect("assessed");
            let mut last = f64::INFINITY;
            for row in &q.rows {
                assert!(row.diagnosticity <= last + 1e-12, "{name}: rows are most diagnostic first");
                last = row.diagnosticity;
                let r = evidence.reports.iter().position(|x| x.id == row.report.report).expect("a report");
                let without =
                    evaluate(&program, &evidence, &Options { assume: BTreeMap::from([(r, false)]), ..options.clone() }).expect("evaluates");
                let without = views::question(&without.assessment, &q.id).expect("weighed");
                for cell in &row.cells {
                    let with = assessed.hypotheses.iter().find(|h| h.id == cell.hypothesis).expect("hypothesis");
                    let wo = without.hypotheses.iter().find(|h| h.id == cell.hypothesis).expect("hypothesis");
                    assert!((cell.log10_lr - (with.log10_odds - wo.log10_odds)).abs() < 1e-12, "{name}: {}", row.report.report);
                    assert!((cell.points - 100.0 * (with.probability - wo.probability)).abs() < 1e-9);
                    let expected = if cell.log10_lr.abs() < views::NEUTRAL {
                        "neutral"
                    } else if cell.log10_lr > 0.0 {
                        "consistent"
                    } else {
                        "inconsistent"
                    };
                    assert_eq!(cell.rating, expected);
                }
                if row.diagnosticity < views::NEUTRAL {
                    assert!(row.note.is_some(), "{name}: {} weighs nothing and should say why", row.report.report);
                }
            }
        }
    }
}

#[test]
fn the_timeline_is_eval_as_of_each_report_date() {
    for (name, relative, _) in examples() {
        let (program, evidence) = load(&relative);
        let (timeline, diagnostics) = views::timeline::timeline(&program, &evidence, &options(None)).expect("evaluates");
        assert!(diagnostics.is_empty(), "{name}");
        let base = evaluate(&program, &evidence, &options(None)).expect("evaluates");
        for q in &timeline.questions {
            let dates: Vec<&str> = q.points.iter().map(|p| p.date.as_str()).collect();
            assert!(dates.windows(2).all(|w| w[0] < w[1]), "{name}: dates in order");
            for p in &q.points {
                let at = evaluate(&program, &evidence, &options(Some(&p.date))).expect("evaluates");
                let outcome = views::question(&at.assessment, &q.id).expect("open at its points");
                assert_eq!(outcome.hypotheses[0].id, p.leader, "{name} {}", p.date);
                for s in &p.probabilities {
                    let h = outcome.hypotheses.iter().find(|h| h.id == s.hypothesis).expect("hypothesis");
                    assert_eq!(h.probability, s.probability, "{name} {} {}", p.date, s.hypothesis);
                }
            }
            // The last point is the assessment of all the evidence, when the last report is dated.
            let last = q.points.last().expect("a point");
            let outcome = views::question(&base.assessment, &q.id).expect("assessed");
            for s in &last.probabilities {
                let h = outcome.hypotheses.iter().find(|h| h.id == s.hypothesis).expect("hypothesis");
                assert_eq!(h.probability, s.probability, "{name}: the last point is the whole evidence");
            }
            // Every report appears once as it arrives, after the first point.
            let arrived: usize = q.points.iter().skip(1).map(|p| p.arrived.len()).sum();
            let after_first = evidence.reports.iter().filter(|r| r.date.to_string().as_str() > dates[0]).count();
            assert_eq!(arrived, after_first, "{name}: {}", q.id);
        }
    }
}

/// Runs the built binary in the repository root, as the README shows it.
fn run(args: &[String]) -> String {
    let output = Command::cargo_bin("ascribe").expect("binary").current_dir(ROOT).args(args).output().expect("runs");
    assert_eq!(output.status.code(), Some(0), "ascribe {}: {}", args.join(" "), String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn every_view_of_every_example_in_every_format() {
    for (name, relative, _) in examples() {
        for view in ["matrix", "timeline", "sensitivity"] {
            for format in ["text", "markdown", "json"] {
                let mut args = vec![view.to_string()];
                if let Some(rules) = common::example_rules(&relative) {
                    args.extend(["--rules".to_string(), rules]);
                }
                args.extend(["--format".to_string(), format.to_string(), relative.clone()]);
                let body = run(&args);
                if format == "json" {
                    serde_json::from_str::<serde_json::Value>(&body).expect("valid JSON");
                }
                let command = format!("ascribe {}", args.join(" "));
                insta::with_settings!({ snapshot_path => "snapshots/views", prepend_module_to_snapshot => false, description => command }, {
                    insta::assert_snapshot!(format!("{name}@{view}.{format}"), body);
                });
            }
        }
    }
}

#[test]
fn the_markdown_report_of_korea() {
    let args: Vec<String> = ["report", "--format", "markdown", "--as-of", "2013-04-10", "examples/korea-2013/evidence.yaml"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let body = run(&args);
    let command = format!("ascribe {}", args.join(" "));
    insta::with_settings!({ snapshot_path => "snapshots/views", prepend_module_to_snapshot => false, description => command }, {
        insta::assert_snapshot!("korea-2013@report.markdown", body);
    });
}

#[test]
fn a_report_that_weighs_nothing_says_why() {
    let (program, evidence) = load("examples/korea-2013/evidence.yaml");
    let options = options(Some("2013-03-21"));
    let base = evaluate(&program, &evidence, &options).expect("evaluates");
    let matrix = views::matrix::matrix(&program, &evidence, &base, &views::what_ifs(&program, &evidence, &options, &base));
    let rows = &matrix.questions[0].rows;
    let note = |id: &str| rows.iter().find(|r| r.report.report == id).and_then(|r| r.note.clone()).unwrap_or_default();
    // The China address is undercut by North Korea's known routing through China.
    assert_eq!(note("kcc-china-ip"), "adds nothing: what it supports is undercut (infra.known_relay, infra.reported_relay)");
    // The press report of that routing undercuts what the profile already undercuts.
    assert_eq!(note("routing-cn"), "adds nothing: it only undercuts what is undercut already or weighs nothing");
    assert!(rows.iter().all(|r| r.cells.iter().all(|c| c.rating == "neutral") == (r.diagnosticity < views::NEUTRAL)));
}

/// Checks every what-if of one evaluation against a whole evaluation with the
/// report's genuineness fixed; counts (re-weighed on the graph, evaluated again).
fn check_what_ifs(label: &str, program: &Program, evidence: &EvidenceSet, options: &Options) -> (usize, usize) {
    let (mut reweighed, mut evaluated) = (0, 0);
    let base = evaluate(program, evidence, options).expect("evaluates");
    let what_ifs = views::what_ifs(program, evidence, options, &base);
    let bearing = views::whatif::bearing(evidence, &base);
    assert_eq!(what_ifs.iter().map(|w| w.report).collect::<Vec<_>>(), bearing.keys().copied().collect::<Vec<_>>(), "{label}");
    for (what_if, (r, questions)) in what_ifs.iter().zip(&bearing) {
        if base.graph.provenance.variables.iter().any(|v| v.report == *r && v.subject == Subject::Genuine) {
            reweighed += 1;
        } else {
            evaluated += 1;
        }
        for genuine in [false, true] {
            let again = evaluate(program, evidence, &Options { assume: BTreeMap::from([(*r, genuine)]), ..options.clone() });
            let again: BTreeMap<usize, views::Judged> = questions
                .iter()
                .filter_map(|&q| {
                    let outcome = views::question(&again.as_ref().ok()?.assessment, &evidence.questions[q].id)?;
                    Some((q, views::Judged::from_outcome(outcome)))
                })
                .collect();
            let got = if genuine { &what_if.if_genuine } else { &what_if.if_false };
            assert!(!got.is_empty(), "{label}: report {} weighed nowhere", evidence.reports[*r].id);
            assert_eq!(got, &again, "{label}: report {} taken as genuine = {genuine}", evidence.reports[*r].id);
        }
    }
    (reweighed, evaluated)
}

#[test]
fn what_ifs_reweighing_the_graph_are_what_evaluating_again_gives() {
    let (mut reweighed, mut evaluated) = (0, 0);
    for (name, relative, runs) in examples() {
        let (program, evidence) = load(&relative);
        for as_of in runs {
            let label = format!("{name} as of {}", as_of.as_deref().unwrap_or("all"));
            let (r, e) = check_what_ifs(&label, &program, &evidence, &options(as_of.as_deref()));
            reweighed += r;
            evaluated += e;
        }
    }
    // Profiles, whose rules read how sure the profile statements are (`credence`):
    // fixing a statement's report changes the matches, so it is evaluated again.
    for dir in ["profile.reported_use", "profile.techniques"] {
        let mut files: Vec<_> = std::fs::read_dir(Path::new(ROOT).join("tests/rules").join(dir))
            .expect("tests/rules")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
        files.sort();
        for file in files {
            let relative = file.strip_prefix(ROOT).expect("in the repository").to_string_lossy().into_owned();
            // Without the rule test's own `test:` section, which is no evidence.
            let mut in_test = false;
            let text: String = std::fs::read_to_string(&file)
                .expect("readable")
                .lines()
                .filter(|line| {
                    if !line.starts_with([' ', '#']) && !line.is_empty() {
                        in_test = line.starts_with("test:");
                    }
                    !in_test
                })
                .map(|line| format!("{line}\n"))
                .collect();
            let engine = ascribe::api::Engine::builder().build().unwrap_or_else(|e| panic!("{}", e.render()));
            let evidence = engine.evidence().text(relative.as_str(), text).load().unwrap_or_else(|e| panic!("{}", e.render()));
            let (r, e) = check_what_ifs(&relative, engine.program(), evidence.set(), &options(None));
            reweighed += r;
            evaluated += e;
        }
    }
    // A generated set: echoes, retractions, shared addresses and linked incidents.
    let engine = ascribe::api::Engine::builder().build().unwrap_or_else(|e| panic!("{}", e.render()));
    let evidence = engine
        .evidence()
        .text("generated.yaml", scale::generate(150, scale::Style::Yaml))
        .load()
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let (r, e) = check_what_ifs("generated", engine.program(), evidence.set(), &options(None));
    assert!(r > 100 && e > 0, "generated: {r} re-weighed, {e} evaluated again");
    reweighed += r;
    evaluated += e;
    assert!(reweighed > 150, "only {reweighed} what-ifs re-weighed on the graph");
    assert!(evaluated > 0, "no what-if evaluated again");
}

#[test]
fn max_reports_keeps_the_most_influential_with_a_warning() {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("views-generated-100.yaml");
    std::fs::write(&path, scale::generate(100, scale::Style::Yaml)).expect("writable");
    let path = path.to_str().expect("UTF-8 path");
    let json = |extra: &[&str]| -> (serde_json::Value, String) {
        let mut args = vec!["--error-format", "json", "sensitivity", "--format", "json", path];
        args.extend_from_slice(extra);
        let run = common::run::ascribe(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        (serde_json::from_str(&run.stdout).expect("JSON"), run.stderr)
    };
    let (all, quiet) = json(&[]);
    assert_eq!(quiet, "", "no warning under the default cap");
    let (capped, warned) = json(&["--max-reports", "5"]);
    let questions = all["questions"].as_array().expect("questions");
    assert_eq!(questions.len(), 2);
    for (q, kept) in questions.iter().zip(capped["questions"].as_array().expect("questions")) {
        let (every, five) = (q["reports"].as_array().expect("reports"), kept["reports"].as_array().expect("reports"));
        assert!(every.len() > 5 && five.len() == 5, "{} of {}", five.len(), every.len());
        // Those kept are computed exactly as without the cap.
        for row in five {
            assert!(every.contains(row), "{} differs under the cap", row["report"]);
        }
        let id = q["id"].as_str().expect("id");
        assert!(
            warned.contains(&format!(
                "question `{id}`: {} reports bear on it; what-ifs were computed for the 5 most influential only",
                every.len()
            )),
            "{warned}"
        );
    }
    assert!(warned.contains("raise `--max-reports`"), "{warned}");
}
