//! The text report: what an analyst reads first. Most probable hypothesis
//! first, then why, with every contribution in log10 odds so the sum can be
//! checked by hand.

use super::model::*;
use std::fmt::Write;

pub fn render(a: &Assessment) -> String {
    let mut out = String::new();
    for (i, q) in a.questions.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        question(&mut out, q, a.as_of.as_deref());
    }
    for n in &a.not_yet {
        let _ = writeln!(out, "\n{}: not yet assessed (incident {} is dated {}, after the evidence date)", n.id, n.incident, n.date);
    }
    if !a.retracted.is_empty() {
        out.push_str("\nwithdrawn (counted as never made):\n");
        for r in &a.retracted {
            let _ = writeln!(out, "  {} retracted by {} on {}", r.report, r.by, r.date);
        }
    }
    if a.questions.is_empty() && a.not_yet.is_empty() {
        out.push_str("no questions to assess\n");
    }
    out
}

fn question(out: &mut String, q: &QuestionOutcome, as_of: Option<&str>) {
    let title = if q.text.is_empty() { format!("Who is responsible for {}?", q.incident_name) } else { q.text.clone() };
    let _ = writeln!(out, "{}: {}", q.id, title);
    let when = as_of.map(|d| format!(", evidence as of {d}")).unwrap_or_default();
    let _ = writeln!(out, "incident {} ({}){}", q.incident, q.incident_name, when);
    let _ = writeln!(out, "analytic confidence: {}", q.confidence);
    for reason in &q.confidence_reasons {
        let _ = writeln!(out, "  - {reason}");
    }
    out.push('\n');
    let id_width = q.hypotheses.iter().map(|h| h.id.len()).max().unwrap_or(0);
    let name_width = q.hypotheses.iter().map(|h| h.name.len()).max().unwrap_or(0);
    for h in &q.hypotheses {
        let capped = h.estimative_capped_from.as_ref().map(|t| format!(" (not \"{t}\": confidence {})", q.confidence)).unwrap_or_default();
        let _ = writeln!(out, "  {:<id_width$}  {:<name_width$}  {:>6}  {}{capped}", h.id, h.name, percent(h.probability), h.estimative);
    }
    if let Some(top) = q.hypotheses.first() {
        out.push('\n');
        let _ = writeln!(out, "why {} (log10 odds {:+.3} from the prior, {:+.3} now):", top.id, top.prior_log10_odds, top.log10_odds);
        let mut others = 0.0;
        let mut any = false;
        for c in &top.contributions {
            if c.target != top.id {
                others += c.log10_lr;
                continue;
            }
            any = true;
            let _ = writeln!(out, "  {:+.3}  {}  {}", c.log10_lr, c.rule, c.explanation);
            let mut detail = vec![match &c.own_findings {
                Some(own) => format!(
                    "states LR {} for {}, of which its own findings carry LR {} ({}): counts for LR {}",
                    ratio(own.stated_log10_lr),
                    c.target,
                    ratio(own.carried_log10_lr),
                    own.rules.join(", "),
                    ratio(c.nominal_log10_lr)
                ),
                None => format!("states LR {} for {}", ratio(c.nominal_log10_lr), c.target),
            }];
            if c.holds < 1.0 {
                detail.push(format!("holds with p={:.3}", c.holds));
            }
            let _ = writeln!(out, "          {}", detail.join(", "));
            for e in &c.evidence {
                let _ =
                    writeln!(out, "          report {} ({}, {}, {}, genuine p={:.3})", e.report, e.date, e.source, e.grading, e.genuine);
            }
            for once in &c.counted_once_with {
                let _ = writeln!(out, "          counted once with {once}");
            }
            for u in &c.undercut_by {
                let _ = writeln!(out, "          undercut by {u}");
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
        let direct: Vec<&Contribution> = h.contributions.iter().filter(|c| c.target == h.id).collect();
        if direct.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\nalso bearing on {} ({:+.3} log10 odds now):", h.id, h.log10_odds);
        for c in direct {
            let _ = writeln!(out, "  {:+.3}  {}  {}", c.log10_lr, c.rule, c.explanation);
            for u in &c.undercut_by {
                let _ = writeln!(out, "          undercut by {u}");
            }
        }
    }
    if !q.non_diagnostic.is_empty() {
        let _ = writeln!(out, "\nnon-diagnostic (fits every hypothesis equally):");
        for f in &q.non_diagnostic {
            let _ = writeln!(out, "  {}  {}", f.rule, f.explanation);
        }
    }
    if !q.undercut.is_empty() {
        let _ = writeln!(out, "\nundercut:");
        for u in &q.undercut {
            let _ = writeln!(out, "  {} ({}): {}", u.rule, u.target, u.explanation);
            let _ = writeln!(out, "    by {} (holds with p={:.3}): {}", u.undercut_rule, u.holds, u.reason);
        }
    }
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
fn percent(p: f64) -> String {
    if p > 0.9995 {
        ">99.9%".to_string()
    } else if p < 0.0005 {
        "<0.1%".to_string()
    } else {
        format!("{:.1}%", p * 100.0)
    }
}
