//! `--color auto|always|never`, as ripgrep and cargo have it. `auto` (the
//! default) colours a stream only when it is a terminal and `NO_COLOR` is not
//! set (<https://no-color.org>). Box drawing goes with the terminal too: a
//! pipe or a file gets plain ASCII, so logs and snapshots stay plain text.
//! The choice is made once per run, for stdout and stderr apart.

use crate::diagnostics::Style;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU8, Ordering};

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ColorChoice {
    /// Colour and box drawing on a terminal, unless NO_COLOR is set; plain ASCII otherwise.
    #[default]
    Auto,
    /// Colour and box drawing, even into a pipe or a file.
    Always,
    /// No colour (box drawing still on a terminal).
    Never,
}

/// How a stream is drawn, given the choice, whether it is a terminal, and
/// whether `NO_COLOR` is set.
pub fn resolve(choice: ColorChoice, terminal: bool, no_color: bool) -> Style {
    let colour = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && !no_color,
    };
    Style { unicode: colour || terminal, colour }
}

static STDOUT: AtomicU8 = AtomicU8::new(0);
static STDERR: AtomicU8 = AtomicU8::new(0);

fn encode(style: Style) -> u8 {
    u8::from(style.unicode) | (u8::from(style.colour) << 1)
}

fn decode(bits: u8) -> Style {
    Style { unicode: bits & 1 != 0, colour: bits & 2 != 0 }
}

/// Decides for this run, from the process's own stdout and stderr.
pub fn set(choice: ColorChoice) {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    STDOUT.store(encode(resolve(choice, std::io::stdout().is_terminal(), no_color)), Ordering::Relaxed);
    STDERR.store(encode(resolve(choice, std::io::stderr().is_terminal(), no_color)), Ordering::Relaxed);
}

/// How the report on standard output is drawn.
pub fn stdout() -> Style {
    decode(STDOUT.load(Ordering::Relaxed))
}

/// How diagnostics on standard error are drawn.
pub fn stderr() -> Style {
    decode(STDERR.load(Ordering::Relaxed))
}

const BOLD: &str = "\u{1b}[1m";
const RESET: &str = "\u{1b}[0m";
const GREEN: &str = "\u{1b}[32m";
const RED: &str = "\u{1b}[31m";

/// A verdict word as `cargo test` shows it: green when good, red when not.
pub fn verdict(word: &str, good: bool, style: Style) -> String {
    paint(word, if good { GREEN } else { RED }, style)
}

/// A line of a diff: `+` green, `-` red, the rest as it is.
pub fn diff_line(line: &str, style: Style) -> String {
    match line.chars().next() {
        Some('+') => paint(line, GREEN, style),
        Some('-') => paint(line, RED, style),
        _ => line.to_string(),
    }
}

fn paint(text: &str, colour: &str, style: Style) -> String {
    if style.colour {
        format!("{colour}{text}{RESET}")
    } else {
        text.to_string()
    }
}

/// The text report with its headings (the lines that start at the margin:
/// each question, its incident and confidence, "why", "undercut", ...) in
/// bold. Evidence text reaches the report escaped, so these are the only
/// escape sequences in it.
pub fn paint_report(report: &str, style: Style) -> String {
    if !style.colour {
        return report.to_string();
    }
    let mut out = String::with_capacity(report.len() + 64);
    for line in report.split_inclusive('\n') {
        let (body, newline) = line.strip_suffix('\n').map(|b| (b, "\n")).unwrap_or((line, ""));
        if !body.is_empty() && !body.starts_with(' ') {
            out.push_str(BOLD);
            out.push_str(body);
            out.push_str(RESET);
        } else {
            out.push_str(body);
        }
        out.push_str(newline);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        let plain = Style { unicode: false, colour: false };
        assert_eq!(resolve(ColorChoice::Auto, false, false), plain);
        assert_eq!(resolve(ColorChoice::Auto, true, false), Style { unicode: true, colour: true });
        assert_eq!(resolve(ColorChoice::Auto, true, true), Style { unicode: true, colour: false });
        assert_eq!(resolve(ColorChoice::Never, false, false), plain);
        assert_eq!(resolve(ColorChoice::Always, false, true), Style { unicode: true, colour: true });
    }

    #[test]
    fn bolds_headings_only() {
        let style = Style { unicode: true, colour: true };
        assert_eq!(paint_report("q: who?\n  a  1%\n\nwhy:\n", style), "\u{1b}[1mq: who?\u{1b}[0m\n  a  1%\n\n\u{1b}[1mwhy:\u{1b}[0m\n");
        assert_eq!(paint_report("q: who?\n", Style::ASCII), "q: who?\n");
        assert_eq!(verdict("ok", true, style), "\u{1b}[32mok\u{1b}[0m");
        assert_eq!(diff_line("-a", style), "\u{1b}[31m-a\u{1b}[0m");
        assert_eq!(diff_line("-a", Style::ASCII), "-a");
    }
}
