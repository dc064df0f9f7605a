//! Running the built `ascribe` binary in the repository root, so that paths in
//! its output are the relative ones the snapshots record.

use assert_cmd::Command;

/// What one run printed, and its exit code.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `ascribe ARGS...` in the repository root.
pub fn ascribe(args: &[&str]) -> Run {
    let output = Command::cargo_bin("ascribe").unwrap().current_dir(env!("CARGO_MANIFEST_DIR")).args(args).output().unwrap();
    Run {
        code: output.status.code().expect("ascribe was killed by a signal"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}
