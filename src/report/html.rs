//! The analyst's report as one self-contained HTML file: inline CSS and SVG,
//! no script, no network, nothing outside the file, so it can be e-mailed and
//! opened anywhere. Every text from evidence or rule files goes through
//! [`super::escape::html`]; element ids are generated (`q0`, `q1`, ...), never
//! taken from the evidence.

use super::escape::html as h;
use super::layout;
use super::model::*;
use super::text::percent;
use super::views::{points, scenario};
use super::waterfall;
use crate::engine::views::graph::EvidenceGraph;
use crate::engine::views::matrix::QuestionMatrix;
use crate::engine::views::sensitivity::QuestionSensitivity;
use crate::engine::views::timeline::QuestionTimeline;
use crate::engine::views::{ratio_words, Workbench};
use std::fmt::Write;

/// Line colours of the hypotheses in the timeline chart, in column order.
const PALETTE: [&str; 8] = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f"];

const STYLE: &str = r#"
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; margin: 0 auto; max-width: 1180px; padding: 1.5em; }
h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { margin-top: 2.2em; border-bottom: 2px solid #333; padding-bottom: .2em; }
h3 { margin-top: 1.6em; color: #333; } .meta, .note { color: #555; }
table { border-collapse: collapse; margin: .5em 0 1em; } th, td { border: 1px solid #ccc; padding: .25em .5em; vertical-align: top; text-align: left; }
th { background: #f2f2f2; } td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.bar { background: #e8e8e8; width: 260px; height: 14px; position: relative; } .bar span { display: block; height: 14px; background: #2b6cb0; }
tr.leader td { font-weight: 600; } .confidence { display: inline-block; padding: .1em .6em; border-radius: .8em; background: #eee; font-weight: 600; }
.confidence.high { background: #c6f6d5; } .confidence.moderate { background: #fefcbf; } .confidence.low { background: #fed7d7; }
td.consistent { background: #e3f4e6; } td.inconsistent { background: #fbe3e3; } td.neutral { background: #fafafa; color: #777; }
td.strong { font-weight: 600; } svg { max-width: 100%; height: auto; } svg text { font: 11px system-ui, sans-serif; }
.node rect { stroke: #444; stroke-width: 1; } .node.source rect { fill: #edf2f7; } .node.report rect { fill: #ebf8ff; }
.node.undercutter rect { fill: #fff5f5; } .node.argument rect { fill: #f0fff4; } .node.hypothesis rect { fill: #faf089; }
.edge { fill: none; stroke: #999; stroke-width: 1.2; } .edge.supports { stroke: #2f855a; } .edge.opposes { stroke: #c53030; }
.edge.undercuts { stroke: #c53030; stroke-dasharray: 5 3; } .edge.non-diagnostic { stroke: #bbb; stroke-dasharray: 2 3; }
td.date { white-space: nowrap; } details { margin: .5em 0; } footer { margin-top: 3em; color: #666; font-size: .9em; }
"#;

/// The analyst's report as one self-contained HTML document: every question
/// with its views, then what was withdrawn, not weighed or not yet assessed,
/// and the rule set.
pub fn render(w: &Workbench) -> String {
    let a = &w.assessment;
    let mut out = String::new();
    let when = a.as_of.as_deref().map(|d| format!(", evidence as of {}", h(d))).unwrap_or_default();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"ascribe {}\">\n<title>Attribution assessment{when}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        h(&w.version)
    );
    let _ = writeln!(out, "<h1>Attribution assessment{when}</h1>");
    let _ = writeln!(
        out,
        "<p class=\"meta\">Computed by ascribe {}. Probabilities are exact under the documented model; likelihood terms are ICD 203's (analytic confidence is judged separately), likelihood ratios are in the ENFSI (2015) verbal scale, gradings are Admiralty (NATO) codes.</p>",
        h(&w.version)
    );
    if a.questions.len() > 1 {
        out.push_str("<nav><ul>\n");
        for (i, q) in a.questions.iter().enumerate() {
            let _ = writeln!(out, "<li><a href=\"#q{i}\">{}: {}</a></li>", h(&q.id), h(&title(q)));
        }
        out.push_str("</ul></nav>\n");
    }
    for (i, q) in a.questions.iter().enumerate() {
        let _ = writeln!(out, "<section class=\"question\" id=\"q{i}\">");
        question(&mut out, q);
        if let Some(mq) = w.matrix.questions.iter().find(|x| x.id == q.id) {
            matrix(&mut out, mq);
        }
        if let Some(tq) = w.timeline.questions.iter().find(|x| x.id == q.id) {
            timeline(&mut out, tq);
        }
        if let Some(sq) = w.sensitivity.questions.iter().find(|x| x.id == q.id) {
            sensitivity(&mut out, sq);
        }
        if let Some(g) = w.graphs.iter().find(|g| g.question == q.id) {
            graph(&mut out, g);
        }
        lists(&mut out, q);
        out.push_str("</section>\n");
    }
    for n in &a.not_yet {
        let _ = writeln!(
            out,
            "<p class=\"not-yet\"><b>{}</b>: not yet assessed (incident {} is dated {}, after the evidence date).</p>",
            h(&n.id),
            h(&n.incident),
            h(&n.date)
        );
    }
    if !a.retracted.is_empty() {
        out.push_str("<h2>Withdrawn reports</h2>\n<p class=\"note\">Counted as never made.</p>\n<ul class=\"withdrawn\">\n");
        for r in &a.retracted {
            let _ = writeln!(out, "<li>{} retracted by {} on {}</li>", h(&r.report), h(&r.by), h(&r.date));
        }
        out.push_str("</ul>\n");
    }
    if !a.unweighed.is_empty() {
        out.push_str("<h2>Not weighed</h2>\n<p class=\"note\">In force, but nothing rests on it, and why.</p>\n<table class=\"unweighed\">\n<tr><th>report</th><th>assertion</th><th>why</th></tr>\n");
        for u in &a.unweighed {
            let _ = writeln!(out, "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", h(&u.report), h(&u.assertion), h(&u.reason));
        }
        out.push_str("</table>\n");
    }
    let applied = w.rules.iter().filter(|r| r.applied).count();
    let _ = writeln!(
        out,
        "<h2>Rule set</h2>\n<details><summary>{} rules loaded, {applied} applied to this evidence</summary>\n<table class=\"rules\">\n<tr><th>rule</th><th>title</th><th>file</th><th>applied</th></tr>",
        w.rules.len()
    );
    for r in &w.rules {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            h(&r.id),
            h(&r.title),
            h(&r.file),
            if r.applied { "yes" } else { "" }
        );
    }
    out.push_str("</table>\n</details>\n");
    let _ = writeln!(
        out,
        "<footer>ascribe {} · self-contained report: no scripts, no external resources.</footer>\n</body>\n</html>",
        h(&w.version)
    );
    out
}

fn title(q: &QuestionOutcome) -> String {
    if q.text.is_empty() {
        format!("Who is responsible for {}?", q.incident_name)
    } else {
        q.text.clone()
    }
}

/// At most `n` characters, with an ellipsis when cut (before escaping).
fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut cut: String = s.chars().take(n.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

fn question(out: &mut String, q: &QuestionOutcome) {
    let _ = writeln!(out, "<h2>{}: {}</h2>", h(&q.id), h(&title(q)));
    let _ = writeln!(out, "<p class=\"meta\">Incident {} ({}).</p>", h(&q.incident), h(&q.incident_name));
    let level = match q.confidence.as_str() {
        "high" => "high",
        "moderate" => "moderate",
        _ => "low",
    };
    let _ = writeln!(out, "<p>Analytic confidence: <span class=\"confidence {level}\">{}</span></p>", h(&q.confidence));
    if !q.confidence_reasons.is_empty() {
        out.push_str("<ul class=\"reasons\">\n");
        for r in &q.confidence_reasons {
            let _ = writeln!(out, "<li>{}</li>", h(r));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<table class=\"posterior\">\n<tr><th>hypothesis</th><th></th><th>probability</th><th>ICD 203</th><th>prior</th></tr>\n");
    for (i, hyp) in q.hypotheses.iter().enumerate() {
        let capped = hyp
            .estimative_capped_from
            .as_deref()
            .map(|c| format!(" <span class=\"note\">(not “{}”: confidence {})</span>", h(c), h(&q.confidence)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr class=\"hypothesis{}\"><td>{} <span class=\"note\">{}</span></td><td><div class=\"bar\"><span style=\"width:{:.1}%\"></span></div></td><td class=\"num\">{}</td><td>{}{capped}</td><td class=\"num\">{}</td></tr>",
            if i == 0 { " leader" } else { "" },
            h(&hyp.name),
            h(&hyp.id),
            hyp.probability * 100.0,
            percent(hyp.probability),
            h(&hyp.estimative),
            percent(hyp.prior)
        );
    }
    out.push_str("</table>\n");
    if !q.rollups.is_empty() {
        out.push_str("<p class=\"note\">Rolled up to the actors they are part of:</p>\n<ul class=\"rollups\">\n");
        for r in &q.rollups {
            let _ = writeln!(
                out,
                "<li>{}, any of {}: {} ({})</li>",
                h(&r.name),
                h(&r.hypotheses.join(", ")),
                percent(r.probability),
                h(&r.estimative)
            );
        }
        out.push_str("</ul>\n");
    }
    if let Some(top) = q.hypotheses.first() {
        let _ = writeln!(out, "<h3>From prior to posterior: {}</h3>", h(&top.name));
        waterfall(out, top);
    }
    // The others, folded: an analyst opens the rival that matters.
    for other in q.hypotheses.iter().skip(1).filter(|o| o.contributions.iter().any(|c| c.bears_on.contains(&o.id))) {
        let _ = writeln!(
            out,
            "<details class=\"waterfall\"><summary>From prior to posterior: {} ({})</summary>",
            h(&other.name),
            percent(other.probability)
        );
        waterfall(out, other);
        out.push_str("</details>\n");
    }
}

/// x position of a log10 odds value in the waterfall chart.
struct Axis {
    low: f64,
    high: f64,
    left: f64,
    width: f64,
}

impl Axis {
    fn x(&self, log10_odds: f64) -> f64 {
        let v = log10_odds.clamp(self.low, self.high);
        self.left + (v - self.low) / (self.high - self.low) * self.width
    }
}

fn waterfall(out: &mut String, top: &HypothesisOutcome) {
    let steps = waterfall::steps(top);
    let _ = writeln!(
        out,
        "<p class=\"note\">Each argument moves the odds by its likelihood ratio, in the order weighed; bars are drawn on a log-odds scale, labelled in probability.</p>"
    );
    let odds = |p: f64| (p / (1.0 - p)).log10();
    let mut values = vec![top.prior_log10_odds];
    let mut running = top.prior_log10_odds;
    for s in &steps {
        running += s.log10_lr;
        values.push(running);
    }
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let low = finite.iter().copied().fold(f64::INFINITY, f64::min).max(-8.0) - 0.3;
    let high = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max).min(8.0) + 0.3;
    let (low, high) = if low.is_finite() && high.is_finite() && high > low { (low, high) } else { (-1.0, 1.0) };
    let axis = Axis { low, high, left: 230.0, width: 420.0 };
    let row = 22.0;
    let rows = steps.len() + 2;
    let height = 30.0 + rows as f64 * row;
    let _ = writeln!(out, "<svg class=\"waterfall\" xmlns=\"http://www.w3.org/2000/svg\" width=\"780\" height=\"{height:.0}\" viewBox=\"0 0 780 {height:.0}\" role=\"img\" aria-label=\"waterfall from prior to posterior\">");
    for p in [0.01, 0.05, 0.2, 0.5, 0.8, 0.95, 0.99] {
        let v = odds(p);
        if v > low && v < high {
            let x = axis.x(v);
            let _ = writeln!(
                out,
                "<line x1=\"{x:.1}\" y1=\"4\" x2=\"{x:.1}\" y2=\"{:.0}\" stroke=\"#ddd\"/><text x=\"{x:.1}\" y=\"{:.0}\" text-anchor=\"middle\" fill=\"#777\">{:.0}%</text>",
                height - 22.0,
                height - 8.0,
                p * 100.0
            );
        }
    }
    let mut y = 6.0;
    let _ = writeln!(
        out,
        "<text x=\"4\" y=\"{:.1}\">prior</text><rect x=\"{:.1}\" y=\"{:.1}\" width=\"3\" height=\"14\" fill=\"#555\"/><text x=\"660\" y=\"{:.1}\">{}</text>",
        y + 11.0,
        axis.x(top.prior_log10_odds) - 1.5,
        y,
        y + 11.0,
        percent(top.prior)
    );
    let mut at = top.prior_log10_odds;
    for s in &steps {
        y += row;
        let label = s.contribution.map(|c| c.rule.as_str()).unwrap_or("bearing on the others");
        let tip = s
            .contribution
            .map(|c| format!("{}: {}", c.title, c.explanation))
            .unwrap_or_else(|| "evidence bearing on the other hypotheses".into());
        let (x1, x2) = (axis.x(at), axis.x(at + s.log10_lr));
        let colour = if s.log10_lr >= 0.0 { "#2f855a" } else { "#c53030" };
        let _ = writeln!(
            out,
            "<g><title>{}</title><text x=\"4\" y=\"{:.1}\">{}</text><rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"14\" fill=\"{colour}\"/><text x=\"660\" y=\"{:.1}\">→ {} ({} pts)</text></g>",
            h(&tip),
            y + 11.0,
            h(&short(label, 34)),
            x1.min(x2),
            (x2 - x1).abs().max(1.5),
            y + 11.0,
            percent(s.after),
            points((s.after - s.before) * 100.0)
        );
        at += s.log10_lr;
    }
    y += row;
    let _ = writeln!(
        out,
        "<text x=\"4\" y=\"{:.1}\" font-weight=\"bold\">posterior</text><rect x=\"{:.1}\" y=\"{y:.1}\" width=\"3\" height=\"14\" fill=\"#111\"/><text x=\"660\" y=\"{:.1}\" font-weight=\"bold\">{}</text>",
        y + 11.0,
        axis.x(top.log10_odds) - 1.5,
        y + 11.0,
        percent(top.probability)
    );
    out.push_str("</svg>\n");
    out.push_str("<table class=\"contributions\">\n<tr><th>argument</th><th>evidence</th><th>weight</th><th>probability</th></tr>\n");
    let _ = writeln!(out, "<tr><td>prior</td><td></td><td></td><td class=\"num\">{}</td></tr>", percent(top.prior));
    for s in &steps {
        let (what, evidence) = match s.contribution {
            Some(c) => {
                let mut what = format!("<b>{}</b> <span class=\"note\">{}</span><br>{}", h(&c.title), h(&c.rule), h(&c.explanation));
                for once in &c.counted_once_with {
                    let _ = write!(what, "<br><span class=\"note\">counted once with {}</span>", h(once));
                }
                for u in &c.undercut_by {
                    let _ = write!(what, "<br><span class=\"note\">undercut by {}</span>", h(u));
                }
                let evidence: Vec<String> = c
                    .evidence
                    .iter()
                    .map(|e| {
                        let words = grading_words(&e.grading);
                        format!(
                            "{} ({}, {}, {} {words}; genuine {:.1}%)",
                            h(&e.report),
                            h(&e.source),
                            h(&e.date),
                            h(&e.grading),
                            e.genuine * 100.0
                        )
                    })
                    .collect();
                (what, evidence.join("<br>"))
            }
            None => ("evidence bearing on the other hypotheses".to_string(), String::new()),
        };
        let holds = s
            .contribution
            .filter(|c| c.holds < 1.0)
            .map(|c| format!("<br><span class=\"note\">holds with {:.1}%</span>", c.holds * 100.0))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr><td>{what}</td><td>{evidence}</td><td>{}{holds}</td><td class=\"num\">{} → {}<br>{} pts</td></tr>",
            h(&ratio_words(s.log10_lr)),
            percent(s.before),
            percent(s.after),
            points((s.after - s.before) * 100.0)
        );
    }
    let _ = writeln!(
        out,
        "<tr><td><b>posterior</b></td><td></td><td></td><td class=\"num\"><b>{}</b></td></tr>\n</table>",
        percent(top.probability)
    );
}

/// "(usually reliable source, information probably true)" for `B2`.
fn grading_words(grading: &str) -> String {
    crate::scales::grading_code_words(grading).map(|w| format!("({})", h(&w))).unwrap_or_default()
}

fn matrix(out: &mut String, q: &QuestionMatrix) {
    out.push_str("<h3>ACH matrix</h3>\n<p class=\"note\">What each report does to each hypothesis, given all the other evidence: the likelihood ratio it carries and the percentage points it moves the probability. Most diagnostic first; a report that fits every hypothesis equally says so.</p>\n");
    out.push_str("<table class=\"ach\">\n<tr><th>report</th>");
    for c in &q.hypotheses {
        let _ = write!(out, "<th>{}<br><span class=\"note\">{}</span></th>", h(&c.id), percent(c.probability));
    }
    out.push_str("<th>diagnosticity</th></tr>\n");
    for r in &q.rows {
        let _ = write!(
            out,
            "<tr class=\"ach-row\"><td>{} <span class=\"note\">{}</span><br><span class=\"note\">{}, {}, {} ({})</span></td>",
            h(&r.report.title),
            h(&r.report.report),
            h(&r.report.source),
            h(&r.report.date),
            h(&r.report.grading),
            h(&r.report.grading_words)
        );
        if r.cells.is_empty() {
            for _ in &q.hypotheses {
                out.push_str("<td>?</td>");
            }
        }
        for c in &r.cells {
            let class = match c.rating.as_str() {
                "consistent" => "consistent",
                "inconsistent" => "inconsistent",
                _ => "neutral",
            };
            let strong = if c.log10_lr.abs() >= 1.0 { " strong" } else { "" };
            if class == "neutral" {
                out.push_str("<td class=\"neutral\">neutral</td>");
            } else {
                let _ = write!(out, "<td class=\"{class}{strong}\">{class}, {}<br>{} pts</td>", h(&c.words), points(c.points));
            }
        }
        let note = r.note.as_deref().map(|n| format!("<br><span class=\"note\">{}</span>", h(n))).unwrap_or_default();
        let _ = writeln!(out, "<td>{}{note}</td></tr>", h(&r.diagnosticity_words));
    }
    out.push_str("</table>\n");
}

/// Probabilities closer than this are drawn at the same height (a tenth of a
/// pixel on the timeline chart): their lines are tied.
const TIED: f64 = 0.0005;

/// Dash patterns of lines tied with one, two, three earlier lines.
const DASHES: [&str; 3] = ["6 4", "2 3", "9 3 2 3"];

fn timeline(out: &mut String, q: &QuestionTimeline) {
    out.push_str("<h3>Timeline</h3>\n<p class=\"note\">The judgment as of each report date.</p>\n");
    let points_: Vec<&crate::engine::views::timeline::Point> = q.points.iter().filter(|p| !p.probabilities.is_empty()).collect();
    if !points_.is_empty() {
        let (width, height, left, top, plot_w, plot_h) = (720.0, 230.0, 44.0, 10.0, 640.0, 170.0);
        let x = |i: usize| left + if points_.len() > 1 { i as f64 * plot_w / (points_.len() - 1) as f64 } else { plot_w / 2.0 };
        let y = |p: f64| top + (1.0 - p) * plot_h;
        let _ = writeln!(out, "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" role=\"img\" aria-label=\"probabilities over time\">");
        for p in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let _ = writeln!(
                out,
                "<line x1=\"{left}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#e2e2e2\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#777\">{:.0}%</text>",
                y(p),
                left + plot_w,
                y(p),
                left - 4.0,
                y(p) + 4.0,
                p * 100.0
            );
        }
        let every = points_.len().div_ceil(8).max(1);
        for (i, p) in points_.iter().enumerate() {
            if i % every == 0 || i + 1 == points_.len() {
                let _ = writeln!(
                    out,
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#555\">{}</text>",
                    x(i),
                    top + plot_h + 16.0,
                    h(&p.date)
                );
            }
        }
        // Lines that coincide hide each other: a line drawn over an earlier one
        // where their probabilities are equal is dashed, its points ringed.
        let at = |k: usize, i: usize| points_[i].probabilities.iter().find(|s| s.hypothesis == q.hypotheses[k].id).map(|s| s.probability);
        let same = |j: usize, k: usize, i: usize| matches!((at(j, i), at(k, i)), (Some(a), Some(b)) if (a - b).abs() < TIED);
        let coincides = |j: usize, k: usize| match points_.len() {
            1 => same(j, k, 0),
            n => (0..n - 1).any(|i| same(j, k, i) && same(j, k, i + 1)),
        };
        let ties: Vec<Vec<usize>> = (0..q.hypotheses.len()).map(|k| (0..k).filter(|&j| coincides(j, k)).collect()).collect();
        for (k, c) in q.hypotheses.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            let dash = match ties[k].len() {
                0 => String::new(),
                n => format!(" stroke-dasharray=\"{}\"", DASHES[(n - 1) % DASHES.len()]),
            };
            let line: Vec<String> = points_
                .iter()
                .enumerate()
                .filter_map(|(i, p)| {
                    p.probabilities.iter().find(|s| s.hypothesis == c.id).map(|s| format!("{:.1},{:.1}", x(i), y(s.probability)))
                })
                .collect();
            let _ = writeln!(out, "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash} points=\"{}\"/>", line.join(" "));
            for (i, p) in points_.iter().enumerate() {
                if let Some(s) = p.probabilities.iter().find(|s| s.hypothesis == c.id) {
                    let dot = if (0..k).any(|j| same(j, k, i)) {
                        format!("r=\"5\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\"")
                    } else {
                        format!("r=\"3\" fill=\"{colour}\"")
                    };
                    let _ = writeln!(
                        out,
                        "<circle cx=\"{:.1}\" cy=\"{:.1}\" {dot}><title>{} {}: {}</title></circle>",
                        x(i),
                        y(s.probability),
                        h(&p.date),
                        h(&c.id),
                        percent(s.probability)
                    );
                }
            }
            let _ = writeln!(
                out,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"10\" height=\"10\" fill=\"{colour}\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                left + (k % 4) as f64 * 160.0,
                height - 22.0 + (k / 4) as f64 * 12.0 - 4.0,
                left + (k % 4) as f64 * 160.0 + 14.0,
                height - 22.0 + (k / 4) as f64 * 12.0 + 5.0,
                h(&short(&c.id, 22))
            );
        }
        out.push_str("</svg>\n");
        let tied: Vec<String> = ties
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.is_empty())
            .map(|(k, t)| {
                let others: Vec<String> = t.iter().map(|&j| h(&q.hypotheses[j].id).into_owned()).collect();
                format!("{} with {}", h(&q.hypotheses[k].id), others.join(", "))
            })
            .collect();
        if !tied.is_empty() {
            let _ = writeln!(
                out,
                "<p class=\"note tied\">Tied: {}. A dashed line (ringed points) lies on the other's line where their probabilities are equal.</p>",
                tied.join("; ")
            );
        }
    }
    out.push_str("<table class=\"timeline\">\n<tr><th>date</th>");
    for c in &q.hypotheses {
        let _ = write!(out, "<th>{}</th>", h(&c.id));
    }
    out.push_str("<th>leader (confidence)</th><th>what changed</th></tr>\n");
    for (k, p) in q.points.iter().enumerate() {
        let _ = write!(out, "<tr><td class=\"date\">{}</td>", h(&p.date));
        if p.probabilities.is_empty() {
            for _ in &q.hypotheses {
                out.push_str("<td>–</td>");
            }
            out.push_str("<td>–</td>");
        } else {
            for s in &p.probabilities {
                let _ = write!(out, "<td class=\"num\">{}</td>", percent(s.probability));
            }
            let _ = write!(out, "<td>{} ({})</td>", h(&p.leader), h(&p.confidence));
        }
        // `changes` shows unsafe characters as text does; HTML escapes the rest.
        let _ = writeln!(out, "<td>{}</td></tr>", h(&super::views::changes(p, k == 0)));
    }
    out.push_str("</table>\n");
}

fn sensitivity(out: &mut String, q: &QuestionSensitivity) {
    let _ = writeln!(
        out,
        "<h3>Sensitivity</h3>\n<p class=\"note\">How far each report moves the leading hypothesis, {} ({}), if it were false (weighed as not genuine) or certainly genuine; largest impact first.</p>",
        h(&q.leader_name),
        percent(q.probability)
    );
    out.push_str("<table class=\"sensitivity\">\n<tr><th>report</th><th>grading</th><th>genuine</th><th>if false</th><th>if certainly genuine</th></tr>\n");
    for r in &q.reports {
        let _ = writeln!(
            out,
            "<tr><td>{} <span class=\"note\">{}</span></td><td>{} ({})</td><td class=\"num\">{:.1}%</td><td>{}</td><td>{}</td></tr>",
            h(&r.report.title),
            h(&r.report.report),
            h(&r.report.grading),
            h(&r.report.grading_words),
            r.report.genuine * 100.0,
            h(&scenario(r.if_false.as_ref(), &q.leader)),
            h(&scenario(r.if_genuine.as_ref(), &q.leader))
        );
    }
    out.push_str("</table>\n");
}

fn graph(out: &mut String, g: &EvidenceGraph) {
    if g.nodes.is_empty() {
        return;
    }
    out.push_str("<h3>Evidence graph</h3>\n<p class=\"note\">Sources, their reports, undercutters, arguments and hypotheses, left to right; hover for details. Green supports, red opposes, dashed red undercuts, dotted fits every hypothesis.</p>\n");
    let layers: Vec<usize> = g.nodes.iter().map(|n| n.layer).collect();
    let edges: Vec<(usize, usize)> = g.edges.iter().map(|e| (e.from, e.to)).collect();
    let layout = layout::layered(&layers, &edges);
    let (w, hh) = (layout::NODE_WIDTH, layout::NODE_HEIGHT);
    let _ = writeln!(
        out,
        "<svg class=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0}\" height=\"{:.0}\" viewBox=\"0 0 {:.0} {:.0}\" role=\"img\" aria-label=\"evidence graph\">",
        layout.width, layout.height, layout.width, layout.height
    );
    for e in &g.edges {
        let (Some(&(x1, y1)), Some(&(x2, y2))) = (layout.positions.get(e.from), layout.positions.get(e.to)) else { continue };
        let (sx, sy, tx, ty) = (x1 + w, y1 + hh / 2.0, x2, y2 + hh / 2.0);
        let mid = (sx + tx) / 2.0;
        let class = match e.kind.as_str() {
            "supports" => "supports",
            "opposes" => "opposes",
            "undercuts" => "undercuts",
            "non-diagnostic" => "non-diagnostic",
            _ => "plain",
        };
        let tip = if e.label.is_empty() { e.kind.clone() } else { format!("{} {}", e.kind, e.label) };
        let _ = writeln!(
            out,
            "<path class=\"edge {class}\" d=\"M{sx:.1},{sy:.1} C{mid:.1},{sy:.1} {mid:.1},{ty:.1} {tx:.1},{ty:.1}\"><title>{}</title></path>",
            h(&tip)
        );
    }
    for (n, node) in g.nodes.iter().enumerate() {
        let Some(&(x, y)) = layout.positions.get(n) else { continue };
        let kind = match node.kind.as_str() {
            "source" => "source",
            "report" => "report",
            "undercutter" => "undercutter",
            "argument" => "argument",
            _ => "hypothesis",
        };
        let _ = writeln!(
            out,
            "<g class=\"node {kind}\"><title>{}: {}</title><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.0}\" height=\"{hh:.0}\" rx=\"4\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text></g>",
            h(&node.label),
            h(&node.detail),
            x + 6.0,
            y + 17.0,
            h(&short(&node.label, 28))
        );
    }
    out.push_str("</svg>\n");
}

fn lists(out: &mut String, q: &QuestionOutcome) {
    if !q.non_diagnostic.is_empty() {
        out.push_str(
            "<h3>Non-diagnostic</h3>\n<p class=\"note\">Fits every hypothesis equally, however vivid.</p>\n<ul class=\"non-diagnostic\">\n",
        );
        for f in &q.non_diagnostic {
            let reports: Vec<String> = f.evidence.iter().map(|e| h(&e.report).into_owned()).collect();
            let _ = writeln!(out, "<li>{}: {} <span class=\"note\">({})</span></li>", h(&f.rule), h(&f.explanation), reports.join(", "));
        }
        out.push_str("</ul>\n");
    }
    if !q.undercut.is_empty() {
        out.push_str("<h3>Undercut</h3>\n<p class=\"note\">Arguments whose force was removed, and by what.</p>\n<ul class=\"undercut\">\n");
        for u in &q.undercut {
            let _ = writeln!(
                out,
                "<li>{} ({}): {}<br>undercut by {} (holds with {:.1}%): {}</li>",
                h(&u.rule),
                h(&u.target),
                h(&u.explanation),
                h(&u.undercut_rule),
                u.holds * 100.0,
                h(&u.reason)
            );
        }
        out.push_str("</ul>\n");
    }
}
