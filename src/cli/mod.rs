//! The `ascribe` command line: one file per subcommand. Exit codes by meaning:
//! 0 success, 1 invalid input (rules or evidence), 2 usage error.

mod batch;
mod check;
mod color;
mod completions;
mod eval;
mod fmt;
mod import;
mod inputs;
mod matrix;
mod report;
mod rules;
mod sensitivity;
mod test;
mod timeline;
mod views;

use clap::{Parser, Subcommand};

pub(crate) const EXIT_OK: i32 = 0;
pub(crate) const EXIT_INVALID: i32 = 1;
pub(crate) const EXIT_USAGE: i32 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "ascribe",
    version,
    about = "Weigh attribution evidence with written-down tradecraft: exact probabilities, auditable explanations."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
    /// How to write errors and warnings on stderr: for people, or one JSON object per line.
    #[arg(long, global = true, value_enum, default_value_t = ErrorFormat::Human)]
    error_format: ErrorFormat,
    /// When to use colour and box drawing: `auto` on a terminal unless NO_COLOR is set.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = color::ColorChoice::Auto)]
    color: color::ColorChoice,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ErrorFormat {
    Human,
    Json,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Evaluate evidence sets and report the probability of each hypothesis, and why.
    Eval(eval::Args),
    /// Validate rule files and evidence sets (evaluating them within the budget); exit 0 when clean, 1 on errors.
    Check(check::Args),
    /// Turn another tool's data (a STIX 2.1 bundle, MITRE ATT&CK) into an evidence file.
    Import(import::Args),
    /// List the loaded rules with titles and weights, or show one rule.
    Rules(rules::Args),
    /// Run the expectations in test files (`*.test.yaml`); exit 1 when one fails.
    Test(test::Args),
    /// The ACH matrix: each report against each hypothesis, with its diagnosticity.
    Matrix(matrix::Args),
    /// Every question as of each report date, with what changed.
    Timeline(timeline::Args),
    /// Where each question would stand if a report were false, or certainly genuine.
    Sensitivity(sensitivity::Args),
    /// The analyst's report: one self-contained HTML file (or Markdown) with every view.
    Report(report::Args),
    /// Format rule files (`*.ascr`) in the canonical layout; `--check` changes nothing and exits 1 if one would change.
    Fmt(fmt::Args),
    /// Print a shell completion script (bash, zsh, fish, powershell or elvish) on standard output.
    Completions(completions::Args),
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    run(cli, &mut stdout, &mut stderr)
}

/// Runs a parsed command line, writing to the given streams.
pub(crate) fn run(cli: Cli, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> i32 {
    color::set(cli.color);
    match cli.command {
        Command::Eval(args) => eval::run(args, cli.error_format, out, err),
        Command::Check(args) => check::run(args, cli.error_format, out, err),
        Command::Import(args) => import::run(args, cli.error_format, out, err),
        Command::Rules(args) => rules::run(args, cli.error_format, out, err),
        Command::Test(args) => test::run(args, cli.error_format, out, err),
        Command::Matrix(args) => matrix::run(args, cli.error_format, out, err),
        Command::Timeline(args) => timeline::run(args, cli.error_format, out, err),
        Command::Sensitivity(args) => sensitivity::run(args, cli.error_format, out, err),
        Command::Report(args) => report::run(args, cli.error_format, out, err),
        Command::Fmt(args) => fmt::run(args, cli.error_format, out, err),
        Command::Completions(args) => completions::run(args, out),
    }
}
