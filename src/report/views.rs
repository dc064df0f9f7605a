//! The matrix, timeline and sensitivity views as text for a terminal.

use super::escape::{pad, text as t};
use super::text::percent;
use crate::engine::views::matrix::Matrix;
use crate::engine::views::sensitivity::{Scenario, Sensitivity};
use crate::engine::views::timeline::Timeline;
use std::fmt::Write;

/// Columns are padded to at most this many characters; longer values overflow.
const MAX_COLUMN: usize = 40;

/// Rows of cells as aligned columns, two spaces apart, indented by two.
fn table(out: &mut String, rows: &[Vec<String>]) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> =
        (0..columns).map(|c| rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0).min(MAX_COLUMN)).collect();
    for row in rows {
        let cells: Vec<String> =
            row.iter().enumerate().map(|(c, s)| if c + 1 == row.len() { s.clone() } else { pad(s, widths[c]) }).collect();
        let _ = writeln!(out, "  {}", cells.join("  ").trim_end());
    }
}

/// Percentage points with a sign and one decimal: `+12.3`, `-0.4`, `0.0`.
pub fn points(p: f64) -> String {
    if p.abs() < 0.05 {
        "0.0".into()
    } else {
        format!("{p:+.1}")
    }
}

/// The ACH matrix as text for a terminal (`ascribe matrix`): per question, a
/// table of reports × hypotheses with C/I/N, likelihood ratios and percentage points.
pub fn matrix(m: &Matrix) -> String {
    let mut out = String::new();
    for (i, q) in m.questions.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let when = m.as_of.as_deref().map(|d| format!(", evidence as of {}", t(d))).unwrap_or_default();
        let _ = writeln!(out, "{}: {}", t(&q.id), t(&q.title));
        let _ = writeln!(out, "ACH matrix{when}: what each report does to each hypothesis, given all the other evidence");
        let _ = writeln!(out, "  C consistent, I inconsistent, N neutral; LR the report carries for the hypothesis; pts it moves");
        out.push('\n');
        let mut rows = vec![];
        let mut header = vec!["report".to_string(), "grading".to_string()];
        header.extend(q.hypotheses.iter().map(|h| format!("{} {}", t(&h.id), percent(h.probability))));
        header.push("diagnosticity".into());
        rows.push(header);
        for r in &q.rows {
            let mut row = vec![t(&r.report.report).into_owned(), t(&r.report.grading).into_owned()];
            if r.cells.is_empty() {
                row.extend(q.hypotheses.iter().map(|_| "?".to_string()));
            }
            for c in &r.cells {
                let symbol = match c.rating.as_str() {
                    "consistent" => "C",
                    "inconsistent" => "I",
                    _ => "N",
                };
                row.push(if symbol == "N" {
                    "N".into()
                } else {
                    format!("{symbol} LR {} {} pts", crate::engine::views::ratio(c.log10_lr), points(c.points))
                });
            }
            let mut diag = t(&r.diagnosticity_words).into_owned();
            if let Some(note) = &r.note {
                diag = format!("{diag}; {}", t(note));
            }
            row.push(diag);
            rows.push(row);
        }
        table(&mut out, &rows);
        if q.rows.is_empty() {
            out.push_str("  no report bears on it\n");
        }
    }
    if m.questions.is_empty() {
        out.push_str("no questions weighed\n");
    }
    out
}

/// The timeline as text for a terminal (`ascribe timeline`): per question, the
/// probabilities, leader and what changed as of each report date.
pub fn timeline(tl: &Timeline) -> String {
    let mut out = String::new();
    for (i, q) in tl.questions.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "{}: {}", t(&q.id), t(&q.title));
        let _ = writeln!(out, "timeline: the judgment as of each report date");
        out.push('\n');
        let mut rows = vec![];
        let mut header = vec!["date".to_string()];
        header.extend(q.hypotheses.iter().map(|h| t(&h.id).into_owned()));
        header.push("leader".into());
        header.push("what changed".into());
        rows.push(header);
        for (k, p) in q.points.iter().enumerate() {
            let mut row = vec![t(&p.date).into_owned()];
            if p.probabilities.is_empty() {
                row.extend(q.hypotheses.iter().map(|_| "-".to_string()));
                row.push("-".into());
            } else {
                row.extend(p.probabilities.iter().map(|s| percent(s.probability)));
                row.push(format!("{} ({})", t(&p.leader), t(&p.confidence)));
            }
            row.push(changes(p, k == 0));
            rows.push(row);
        }
        table(&mut out, &rows);
    }
    if tl.questions.is_empty() {
        out.push_str("no questions weighed\n");
    }
    out
}

/// What changed at a point of the timeline, in one line.
pub fn changes(p: &crate::engine::views::timeline::Point, first: bool) -> String {
    let mut what = vec![];
    if first {
        what.push(format!(
            "first assessed ({} in force)",
            if p.in_force == 1 { "1 report".to_string() } else { format!("{} reports", p.in_force) }
        ));
    }
    if !p.arrived.is_empty() {
        what.push(format!("new: {}", t(&p.arrived.join(", "))));
    }
    for w in &p.withdrawn {
        what.push(format!("{} withdrawn by {}", t(&w.report), t(&w.by)));
    }
    if let Some(was) = &p.leader_was {
        what.push(format!("leader now {} (was {})", t(&p.leader), t(was)));
    }
    if let Some(note) = &p.note {
        what.push(t(note).into_owned());
    }
    what.join("; ")
}

/// The sensitivity as text for a terminal (`ascribe sensitivity`): per question,
/// the leader's probability if each report were false or certainly genuine.
pub fn sensitivity(s: &Sensitivity) -> String {
    let mut out = String::new();
    for (i, q) in s.questions.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let when = s.as_of.as_deref().map(|d| format!(", evidence as of {}", t(d))).unwrap_or_default();
        let _ = writeln!(out, "{}: {}", t(&q.id), t(&q.title));
        let _ = writeln!(
            out,
            "sensitivity of {} ({}){when}: its probability if each report were false or certainly genuine",
            t(&q.leader),
            percent(q.probability)
        );
        out.push('\n');
        let mut rows = vec![vec![
            "report".to_string(),
            "grading".to_string(),
            "genuine".to_string(),
            "if false".to_string(),
            "if certainly genuine".to_string(),
        ]];
        for r in &q.reports {
            rows.push(vec![
                t(&r.report.report).into_owned(),
                t(&r.report.grading).into_owned(),
                format!("p={:.3}", r.report.genuine),
                scenario(r.if_false.as_ref(), &q.leader),
                scenario(r.if_genuine.as_ref(), &q.leader),
            ]);
        }
        table(&mut out, &rows);
        if q.reports.is_empty() {
            out.push_str("  no report bears on it\n");
        }
    }
    if s.questions.is_empty() {
        out.push_str("no questions weighed\n");
    }
    out
}

/// "41.2% (-37.2 pts), china leads" or "not weighed".
pub fn scenario(s: Option<&Scenario>, leader: &str) -> String {
    match s {
        None => "not weighed".into(),
        Some(s) => {
            let lead = if s.top != leader { format!(", {} leads", t(&s.top)) } else { String::new() };
            format!("{} ({} pts){lead}", percent(s.leader_probability), points(s.change))
        }
    }
}
