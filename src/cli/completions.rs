//! `ascribe completions SHELL`: the shell's completion script on standard
//! output, generated from the command line's own definition (clap_complete),
//! so it never falls behind a new flag or subcommand.

use clap::CommandFactory;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The shell to complete in.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

pub fn run(args: Args, out: &mut dyn std::io::Write) -> i32 {
    let mut command = super::Cli::command();
    clap_complete::generate(args.shell, &mut command, "ascribe", out);
    super::EXIT_OK
}
