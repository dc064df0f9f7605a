//! The text report: what an analyst reads first. Most probable hypothesis
//! first, then why, with every contribution in log10 odds so the sum can be
//! checked by hand.

use super::escape::{pad, text as t};
use super::model::*;
use std::fmt::Write;

/// Columns are padded to the longest id or name up to this many characters;
/// a longer one overflows its column rather than pushing every row out.
const MAX_COLUMN: usize = 64;

/// The assessment as text for people, question by question.
pub fn render(a: &Assessment) -> String {
    let mut out = String::new();
    for (i, q) in a.questions.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        question(&mut out, q, a.as_of.as_deref());
    }
    for n in &a.not_yet {
        let _ = writeln!(
            out,
            "\n{}: not yet assessed (incident {} is dated {}, after the evidence date)",
            t(&n.id),
            t(&n.incident),
            t(&n.date)
        );
    }
    if !a.retracted.is_empty() {
        out.push_str("\nwithdrawn (counted as never made):\n");
        for r in &a.retracted {
            let _ = writeln!(out, "  {} retracted by {} on {}", t(&r.report), t(&r.by), t(&r.date));
        }
    }
    if !a.unweighed.is_empty() {
        out.push_str("\nnot weighed (in force, but nothing rests on it):\n");
        for u in &a.unweighed {
            let _ = writeln!(out, "  {}: {}", t(&u.report), t(&u.assertion));
            let _ = writeln!(out, "    {}", t(&u.reason));
        }
    }
    if a.questions.is_empty() && a.not_yet.is_empty() {
        out.push_str("no questions to assess\n");
    }
    out
}

fn question(out: &mut String, q: &QuestionOutcome, as_of: Option<&str>) {
    let title = if q.text.is_empty() { format!("Who is responsible for {}?", q.incident_name) } else { q.text.clone() };
    let _ = writeln!(out, "{}: {}", t(&q.id), t(&title));
    let when = as_of.map(|d| format!(", evidence as of {}", t(d))).unwrap_or_default();
    let _ = writeln!(out, "incident {} ({}){}", t(&q.incident), t(&q.incident_name), when);
    let _ = writeln!(out, "analytic confidence: {}", t(&q.confidence));
    for reason in &q.confidence_reasons {
        let _ = writeln!(out, "  - {}", t(reason));
    }
    if let Some(b) = &q.bounded {
        bounded(out, b);
    }
    out.push('\n');
    let rows: Vec<(String, String)> = q.hypotheses.iter().map(|h| (t(&h.id).into_owned(), t(&h.name).into_owned())).collect();
    let id_width = rows.iter().map(|(id, _)| id.chars().count()).max().unwrap_or(0).min(MAX_COLUMN);
    let name_width = rows.iter().map(|(_, name)| name.chars().count()).max().unwrap_or(0).min(MAX_COLUMN);
    for (h, (id, name)) in q.hypotheses.iter().zip(&rows) {
        let capped =
            h.estimative_capped_from.as_ref().map(|c| format!(" (not \"{}\": confidence {})", t(c), t(&q.confidence))).unwrap_or_default();
        let _ = writeln!(
            out,
            "  {}  {}  {:>6}  {}{capped}",
            pad(id, id_width),
            pad(name, name_width),
            shown(h.probability, h.probability_range),
            t(&h.estimative)
        );
    }
    if let Some(o) = &q.omitted {
        let _ = writeln!(out, "  ... and {} more hypotheses, {} in all (left out by --top)", o.hypotheses, percent(o.probability));
    }
    if !q.rollups.is_empty() {
        out.push_str("\n  rolled up to the actors they are part of:\n");
        let rows: Vec<(String, String)> =
            q.rollups.iter().map(|r| (t(&r.id).into_owned(), format!("{}, any of {}", t(&r.name), t(&r.hypotheses.join(", "))))).collect();
        let id_width = rows.iter().map(|(id, _)| id.chars().count()).max().unwrap_or(0).min(MAX_COLUMN);
        let name_width = rows.iter().map(|(_, name)| name.chars().count()).max().unwrap_or(0).min(MAX_COLUMN);
        for (r, (id, name)) in q.rollups.iter().zip(&rows) {
            let _ = writeln!(
                out,
                "  {}  {}  {:>6}  {}",
                pad(id, id_width),
                pad(name, name_width),
                shown(r.probability, r.probability_range),
                t(&r.estimative)
            );
        }
    }
    if !q.ties.is_empty() {
        out.push('\n');
    }
    for tie in &q.ties {
        let lead = if tie.leading { "no hypothesis leads: " } else { "" };
        let _ = writeln!(
            out,
            "{lead}these {} hypotheses are indistinguishable on this evidence ({} each): {}",
            tie.hypotheses.len(),
            percent(tie.probability),
            listed(&tie.hypotheses)
        );
    }
    if let (Some(top), Some(b)) = (q.hypotheses.first(), &q.bounded) {
        bounded_why(out, &top.id, b);
    } else if let Some(top) = q.hypotheses.first() {
        out.push('\n');
        let tied =
            q.ties.first().filter(|tie| tie.leading).map(|tie| format!(", one of the {} tied", tie.hypotheses.len())).unwrap_or_default();
        let _ =
            writeln!(out, "why {}{tied} (log10 odds {:+.3} from the prior, {:+.3} now):", t(&top.id), top.prior_log10_odds, top.log10_odds);
        let mut others = 0.0;
        let mut any = false;
        for c in &top.contributions {
            if !c.bears_on.contains(&top.id) {
                others += c.log10_lr;
                continue;
            }
            any = true;
            let _ = writeln!(out, "  {:+.3}  {}  {}", c.log10_lr, t(&c.rule), t(&c.explanation));
            let mut detail = vec![match &c.own_findings {
                Some(own) => format!(
                    "states LR {} for {}, of which its own findings carry LR {} ({}): counts for LR {}",
                    ratio(own.stated_log10_lr),
                    t(&target(c)),
                    ratio(own.carried_log10_lr),
                    t(&own.rules.join(", ")),
                    ratio(c.nominal_log10_lr)
                ),
                None => format!("states LR {} for {}", ratio(c.nominal_log10_lr), t(&target(c))),
            }];
            if c.holds < 1.0 {
                detail.push(format!("holds with p={:.3}", c.holds));
            }
            let _ = writeln!(out, "          {}", detail.join(", "));
            for e in &c.evidence {
                let _ = writeln!(
                    out,
                    "          report {} ({}, {}, {}, genuine p={:.3})",
                    t(&e.report),
                    t(&e.date),
                    t(&e.source),
                    t(&e.grading),
                    e.genuine
                );
            }
            for once in &c.counted_once_with {
                let _ = writeln!(out, "          counted once with {}", t(once));
            }
            for u in &c.undercut_by {
                let _ = writeln!(out, "          undercut by {}", t(u));
            }
        }
        if others.abs() > 1e-9 {
            let _ = writeln!(out, "  {:+.3}  evidence bearing on the other hypotheses", others);
        }
        if !any && others.abs() <= 1e-9 {
            let _ = writeln!(out, "  no evidence bears on it: its probability is its prior");
        }
    }
    for h in q.hypotheses.iter().skip(1) {
        let direct: Vec<&Contribution> = h.contributions.iter().filter(|c| c.bears_on.contains(&h.id)).collect();
        if direct.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\nalso bearing on {} ({:+.3} log10 odds now):", t(&h.id), h.log10_odds);
        for c in direct {
            let _ = writeln!(out, "  {:+.3}  {}  {}", c.log10_lr, t(&c.rule), t(&c.explanation));
            for u in &c.undercut_by {
                let _ = writeln!(out, "          undercut by {}", t(u));
            }
        }
    }
    if !q.non_diagnostic.is_empty() {
        let _ = writeln!(out, "\nnon-diagnostic (fits every hypothesis equally):");
        for f in &q.non_diagnostic {
            let _ = writeln!(out, "  {}  {}", t(&f.rule), t(&f.explanation));
        }
    }
    if !q.undercut.is_empty() {
        let _ = writeln!(out, "\nundercut:");
        for u in &q.undercut {
            let _ = writeln!(out, "  {} ({}): {}", t(&u.rule), t(&u.target), t(&u.explanation));
            let _ = writeln!(out, "    by {} (holds with p={:.3}): {}", t(&u.undercut_rule), u.holds, t(&u.reason));
        }
    }
}

/// Why the probabilities are ranges, on which reports, and with how much work.
fn bounded(out: &mut String, b: &Bounded) {
    let _ = writeln!(out, "bounded: {}", t(&b.reason));
    let _ = writeln!(
        out,
        "  {:.1}% of their worlds weighed exactly, in {} steps; the ranges are guaranteed, and `--budget` narrows them",
        b.weighed_exactly * 100.0,
        b.steps
    );
    const SHOWN: usize = 12;
    let mut reports: Vec<String> = b.reports.iter().take(SHOWN).map(|r| t(r).into_owned()).collect();
    if b.reports.len() > SHOWN {
        reports.push(format!("and {} more", b.reports.len() - SHOWN));
    }
    let _ = writeln!(out, "  entangled reports: {}", reports.join(", "));
}

/// The arguments bearing on the leading hypothesis of a bounded question, as
/// stated: no exact share of the odds exists for any of them.
fn bounded_why(out: &mut String, top: &str, b: &Bounded) {
    let _ = writeln!(out, "\nbearing on {} (bounded: each as its rule states it, with no exact share of the odds):", t(top));
    let mut any = false;
    for a in b.arguments.iter().filter(|a| a.bears_on.iter().any(|h| h == top)) {
        any = true;
        let _ = writeln!(out, "  {}  {}", t(&a.rule), t(&a.explanation));
        let target = if a.bears_on.len() == 1 && a.bears_on[0] == a.target {
            a.target.clone()
        } else {
            format!("{} (as part of {})", a.target, a.bears_on.join(", "))
        };
        let mut detail = format!("states LR {} for {}", ratio(a.nominal_log10_lr), t(&target));
        if a.holds_bound == "lower" {
            detail.push_str(&format!(", holds with p≥{:.3}", a.holds));
        } else if a.holds < 1.0 {
            detail.push_str(&format!(", holds with p={:.3}", a.holds));
        }
        let _ = writeln!(out, "          {detail}, reports {}", t(&a.reports.join(", ")));
        for once in &a.counted_once_with {
            let _ = writeln!(out, "          counted once with {}", t(once));
        }
    }
    let others = b.arguments.iter().filter(|a| !a.bears_on.iter().any(|h| h == top)).count();
    if others > 0 {
        let _ = writeln!(out, "  and {others} argument{} bearing on the other hypotheses", if others == 1 { "" } else { "s" });
    }
    if !any && others == 0 {
        let _ = writeln!(out, "  no evidence bears on it");
    }
}

/// A probability, or a guaranteed range of them.
fn shown(p: f64, range: Option<[f64; 2]>) -> String {
    match range {
        None => percent(p),
        Some([lo, hi]) => format!("{}–{}", percent(lo), percent(hi)),
    }
}

/// Whom an argument is for: the actor it names, and the hypotheses it covers
/// when that actor is a parent of them ("russia (any of gru, svr)").
fn target(c: &Contribution) -> String {
    if c.bears_on.len() == 1 && c.bears_on[0] == c.target {
        c.target.clone()
    } else if c.bears_on.len() == 1 {
        format!("{} (as part of {})", c.target, c.bears_on[0])
    } else {
        format!("{} (any of {})", c.target, c.bears_on.join(", "))
    }
}

/// Ids, comma-separated, the first ten and how many more.
fn listed(ids: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut text: Vec<String> = ids.iter().take(SHOWN).map(|id| t(id).into_owned()).collect();
    if ids.len() > SHOWN {
        text.push(format!("and {} more", ids.len() - SHOWN));
    }
    text.join(", ")
}

fn ratio(log10: f64) -> String {
    let r = 10f64.powf(log10);
    if r >= 1.0 {
        crate::value::format_number((r * 1000.0).round() / 1000.0)
    } else {
        format!("1/{}", crate::value::format_number(((1.0 / r) * 1000.0).round() / 1000.0))
    }
}

/// A probability as a percentage with one decimal, never rounding to 0 or 100.
pub fn percent(p: f64) -> String {
    if p > 0.9995 {
        ">99.9%".to_string()
    } else if p < 0.0005 {
        "<0.1%".to_string()
    } else {
        format!("{:.1}%", p * 100.0)
    }
}
