//! The Markdown report for wikis and tickets (GitHub Flavored Markdown: tables,
//! no pictures), with the same content as the HTML report; and the matrix,
//! timeline and sensitivity views on their own. Evidence text goes through
//! [`super::escape::markdown`] and never starts a line.

use super::escape::markdown as m;
use super::model::*;
use super::text::percent;
use super::views::{changes, points, scenario};
use super::waterfall;
use crate::engine::views::matrix::{Matrix, QuestionMatrix};
use crate::engine::views::sensitivity::{QuestionSensitivity, Sensitivity};
use crate::engine::views::timeline::{QuestionTimeline, Timeline};
use crate::engine::views::{ratio_words, Workbench};
use std::fmt::Write;

/// A table row from cells (already escaped).
fn row(out: &mut String, cells: &[String]) {
    let _ = writeln!(out, "| {} |", cells.join(" | "));
}

fn header(out: &mut String, cells: &[&str], right: &[usize]) {
    let _ = writeln!(out, "| {} |", cells.join(" | "));
    let rule: Vec<&str> = (0..cells.len()).map(|i| if right.contains(&i) { "---:" } else { "---" }).collect();
    let _ = writeln!(out, "|{}|", rule.join("|"));
}

/// The ACH matrix of every question as Markdown: a section and a table each.
pub fn matrix(matrix: &Matrix) -> String {
    let mut out = String::new();
    for q in &matrix.questions {
        let _ = writeln!(out, "## {}: {}\n", m(&q.id), m(&q.title));
        matrix_table(&mut out, q, matrix.as_of.as_deref());
    }
    out
}

fn matrix_table(out: &mut String, q: &QuestionMatrix, as_of: Option<&str>) {
    let when = as_of.map(|d| format!(" Evidence as of {}.", m(d))).unwrap_or_default();
    let _ = writeln!(
        out,
        "ACH matrix: what each report does to each hypothesis given all the other evidence: the likelihood ratio it carries (ENFSI words) and the percentage points it moves the probability. Most diagnostic reports first.{when}\n"
    );
    let mut cells = vec!["report".to_string(), "grading".to_string()];
    cells.extend(q.hypotheses.iter().map(|h| format!("{} ({})", m(&h.id), percent(h.probability))));
    cells.push("diagnosticity".into());
    let names: Vec<&str> = cells.iter().map(String::as_str).collect();
    header(out, &names, &[]);
    for r in &q.rows {
        let mut cells = vec![format!("{} ({})", m(&r.report.title), m(&r.report.report)), m(&r.report.grading).into_owned()];
        if r.cells.is_empty() {
            cells.extend(q.hypotheses.iter().map(|_| "?".to_string()));
        }
        for c in &r.cells {
            cells.push(if c.rating == "neutral" {
                "neutral".into()
            } else {
                format!("{}, {}, {} pts", m(&c.rating), m(&c.words), points(c.points))
            });
        }
        let note = r.note.as_deref().map(|n| format!("; {}", m(n))).unwrap_or_default();
        cells.push(format!("{}{note}", m(&r.diagnosticity_words)));
        row(out, &cells);
    }
    out.push('\n');
}

/// The timeline of every question as Markdown: a section and a table each.
pub fn timeline(timeline: &Timeline) -> String {
    let mut out = String::new();
    for q in &timeline.questions {
        let _ = writeln!(out, "## {}: {}\n", m(&q.id), m(&q.title));
        timeline_table(&mut out, q);
    }
    out
}

fn timeline_table(out: &mut String, q: &QuestionTimeline) {
    out.push_str("The judgment as of each report date, and what changed.\n\n");
    let mut cells = vec!["date".to_string()];
    cells.extend(q.hypotheses.iter().map(|h| m(&h.id).into_owned()));
    cells.push("leader (confidence)".into());
    cells.push("what changed".into());
    let names: Vec<&str> = cells.iter().map(String::as_str).collect();
    header(out, &names, &(1..=q.hypotheses.len()).collect::<Vec<_>>());
    for (k, p) in q.points.iter().enumerate() {
        let mut cells = vec![m(&p.date).into_owned()];
        if p.probabilities.is_empty() {
            cells.extend(q.hypotheses.iter().map(|_| "–".to_string()));
            cells.push("–".into());
        } else {
            cells.extend(p.probabilities.iter().map(|s| percent(s.probability)));
            cells.push(format!("{} ({})", m(&p.leader), m(&p.confidence)));
        }
        // `changes` escapes for text; the result only needs Markdown's own escapes on top.
        cells.push(m(&changes(p, k == 0)).into_owned());
        row(out, &cells);
    }
    out.push('\n');
}

/// The sensitivity of every question as Markdown: a section and a table each.
pub fn sensitivity(sensitivity: &Sensitivity) -> String {
    let mut out = String::new();
    for q in &sensitivity.questions {
        let _ = writeln!(out, "## {}: {}\n", m(&q.id), m(&q.title));
        sensitivity_table(&mut out, q, sensitivity.as_of.as_deref());
    }
    out
}

fn sensitivity_table(out: &mut String, q: &QuestionSensitivity, as_of: Option<&str>) {
    let when = as_of.map(|d| format!(" Evidence as of {}.", m(d))).unwrap_or_default();
    let _ = writeln!(
        out,
        "How far each report moves the leading hypothesis, {} ({}), if it were false (weighed as not genuine) or certainly genuine; largest impact first.{when}\n",
        m(&q.leader_name),
        percent(q.probability)
    );
    header(out, &["report", "grading", "genuine", "if false", "if certainly genuine"], &[]);
    for r in &q.reports {
        row(
            out,
            &[
                format!("{} ({})", m(&r.report.title), m(&r.report.report)),
                format!("{}: {}", m(&r.report.grading), m(&r.report.grading_words)),
                format!("{:.1}%", r.report.genuine * 100.0),
                m(&scenario(r.if_false.as_ref(), &q.leader)).into_owned(),
                m(&scenario(r.if_genuine.as_ref(), &q.leader)).into_owned(),
            ],
        );
    }
    out.push('\n');
}

/// The whole report: every question with its views, then what was withdrawn,
/// not weighed or not yet assessed, and the rule set.
pub fn render(w: &Workbench) -> String {
    let a = &w.assessment;
    let mut out = String::new();
    let when = a.as_of.as_deref().map(|d| format!(", evidence as of {}", m(d))).unwrap_or_default();
    let _ = writeln!(out, "# Attribution assessment{when}\n");
    let _ = writeln!(
        out,
        "Computed by ascribe {}. Probabilities are exact under the documented model; likelihood terms are ICD 203's, likelihood ratios are in the ENFSI (2015) verbal scale, gradings are Admiralty (NATO) codes.\n",
        m(&w.version)
    );
    for q in &a.questions {
        question(&mut out, q);
        if let Some(mq) = w.matrix.questions.iter().find(|x| x.id == q.id) {
            out.push_str("### ACH matrix\n\n");
            matrix_table(&mut out, mq, None);
        }
        if let Some(tq) = w.timeline.questions.iter().find(|x| x.id == q.id) {
            out.push_str("### Timeline\n\n");
            timeline_table(&mut out, tq);
        }
        if let Some(sq) = w.sensitivity.questions.iter().find(|x| x.id == q.id) {
            out.push_str("### Sensitivity\n\n");
            sensitivity_table(&mut out, sq, None);
        }
        if let Some(g) = w.graphs.iter().find(|g| g.question == q.id) {
            graph(&mut out, g);
        }
    }
    for n in &a.not_yet {
        let _ = writeln!(
            out,
            "**{}**: not yet assessed (incident {} is dated {}, after the evidence date).\n",
            m(&n.id),
            m(&n.incident),
            m(&n.date)
        );
    }
    if !a.retracted.is_empty() {
        out.push_str("## Withdrawn reports\n\nCounted as never made.\n\n");
        for r in &a.retracted {
            let _ = writeln!(out, "- {} retracted by {} on {}", m(&r.report), m(&r.by), m(&r.date));
        }
        out.push('\n');
    }
    if !a.unweighed.is_empty() {
        out.push_str("## Not weighed\n\nIn force, but nothing rests on it, and why.\n\n");
        header(&mut out, &["report", "assertion", "why"], &[]);
        for u in &a.unweighed {
            row(&mut out, &[format!("{}", m(&u.report)), m(&u.assertion).into_owned(), m(&u.reason).into_owned()]);
        }
        out.push('\n');
    }
    out.push_str("## Rule set\n\n");
    let applied = w.rules.iter().filter(|r| r.applied).count();
    let _ = writeln!(out, "{} rules loaded, {} applied to this evidence (ascribe {}).\n", w.rules.len(), applied, m(&w.version));
    header(&mut out, &["rule", "title", "file", "applied"], &[]);
    for r in &w.rules {
        row(
            &mut out,
            &[format!("{}", m(&r.id)), m(&r.title).into_owned(), m(&r.file).into_owned(), if r.applied { "yes" } else { "" }.into()],
        );
    }
    out
}

fn question(out: &mut String, q: &QuestionOutcome) {
    let title = if q.text.is_empty() { format!("Who is responsible for {}?", q.incident_name) } else { q.text.clone() };
    let _ = writeln!(out, "## {}: {}\n", m(&q.id), m(&title));
    let _ = writeln!(out, "Incident {} ({}). Analytic confidence: **{}**.\n", m(&q.incident), m(&q.incident_name), m(&q.confidence));
    for reason in &q.confidence_reasons {
        let _ = writeln!(out, "- {}", m(reason));
    }
    if !q.confidence_reasons.is_empty() {
        out.push('\n');
    }
    header(out, &["hypothesis", "probability", "ICD 203", "prior"], &[1, 3]);
    for h in &q.hypotheses {
        let capped =
            h.estimative_capped_from.as_deref().map(|c| format!(" (not “{}”: confidence {})", m(c), m(&q.confidence))).unwrap_or_default();
        row(
            out,
            &[format!("{} ({})", m(&h.name), m(&h.id)), percent(h.probability), format!("{}{capped}", m(&h.estimative)), percent(h.prior)],
        );
    }
    out.push('\n');
    for r in &q.rollups {
        let _ =
            writeln!(out, "- {}, any of {}: {} ({})", m(&r.name), m(&r.hypotheses.join(", ")), percent(r.probability), m(&r.estimative));
    }
    if !q.rollups.is_empty() {
        out.push('\n');
    }
    if let Some(top) = q.hypotheses.first() {
        let _ = writeln!(out, "### From prior to posterior: {}\n", m(&top.name));
        header(out, &["step", "evidence", "weight", "probability"], &[3]);
        row(out, &["prior".into(), String::new(), String::new(), percent(top.prior)]);
        for s in waterfall::steps(top) {
            let (what, evidence) = match s.contribution {
                Some(c) => (
                    format!("**{}** ({}): {}", m(&c.title), m(&c.rule), m(&c.explanation)),
                    c.evidence
                        .iter()
                        .map(|e| {
                            let words = crate::scales::grading_code_words(&e.grading).map(|w| format!(": {}", m(&w))).unwrap_or_default();
                            format!(
                                "{} ({}, {}, {}{words}; genuine {:.1}%)",
                                m(&e.report),
                                m(&e.source),
                                m(&e.date),
                                m(&e.grading),
                                e.genuine * 100.0
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                None => ("evidence bearing on the other hypotheses".to_string(), String::new()),
            };
            let weight = ratio_words(s.log10_lr);
            row(
                out,
                &[
                    what,
                    evidence,
                    m(&weight).into_owned(),
                    format!("{} → {} ({} pts)", percent(s.before), percent(s.after), points((s.after - s.before) * 100.0)),
                ],
            );
        }
        row(out, &["**posterior**".into(), String::new(), String::new(), format!("**{}**", percent(top.probability))]);
        out.push('\n');
    }
    if !q.non_diagnostic.is_empty() {
        out.push_str("### Non-diagnostic\n\nFits every hypothesis equally.\n\n");
        for f in &q.non_diagnostic {
            let reports: Vec<String> = f.evidence.iter().map(|e| m(&e.report).into_owned()).collect();
            let _ = writeln!(out, "- {}: {} ({})", m(&f.rule), m(&f.explanation), reports.join(", "));
        }
        out.push('\n');
    }
    if !q.undercut.is_empty() {
        out.push_str("### Undercut\n\nArguments whose force was removed, and by what.\n\n");
        for u in &q.undercut {
            let _ = writeln!(
                out,
                "- {} ({}): {}; undercut by {} (holds with {:.1}%): {}",
                m(&u.rule),
                m(&u.target),
                m(&u.explanation),
                m(&u.undercut_rule),
                u.holds * 100.0,
                m(&u.reason)
            );
        }
        out.push('\n');
    }
}

fn graph(out: &mut String, g: &crate::engine::views::graph::EvidenceGraph) {
    out.push_str("### Evidence graph\n\nWho made which report, what rests on it, and what bears on which hypothesis.\n\n");
    header(out, &["from", "relation", "to"], &[]);
    for e in &g.edges {
        let (Some(from), Some(to)) = (g.nodes.get(e.from), g.nodes.get(e.to)) else { continue };
        let relation = if e.label.is_empty() { e.kind.clone() } else { format!("{} ({})", e.kind, e.label) };
        row(
            out,
            &[format!("{} {}", m(&from.kind), m(&from.label)), m(&relation).into_owned(), format!("{} {}", m(&to.kind), m(&to.label))],
        );
    }
    out.push('\n');
}
