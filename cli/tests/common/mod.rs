//! What every CLI test file needs: the binary pointed at a mock, and its
//! exit code and output.

#![allow(dead_code)] // each test file uses its own part

use std::io::Write;
use std::process::{Command, Output, Stdio};

use eiam_mock::MockServer;

/// The `eiam` binary with a clean environment holding the mock's settings.
pub fn eiam(mock: &MockServer) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_eiam"));
    cmd.env_clear()
        .env("EIAM_BASE_URL", mock.base_url())
        .env("EIAM_CLIENT_ID", mock.client_id())
        .env("EIAM_CLIENT_SECRET", mock.client_secret());
    cmd
}

/// Runs the command to the end: exit code, stdout, stderr.
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    results(cmd.output().unwrap())
}

/// [`run`] with `input` on standard input.
pub fn run_with_stdin(cmd: &mut Command, input: &str) -> (i32, String, String) {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    results(child.wait_with_output().unwrap())
}

/// [`run`] with standard output a pipe whose reading end is already
/// closed: every write fails.
// `std::io::pipe` is Rust 1.87; the tests needed it before this helper
// (clippy does not check MSRV inside `#[test]` functions), while the
// library and the binary keep to the workspace's rust-version.
#[allow(clippy::incompatible_msrv)]
pub fn run_into_closed_pipe(cmd: &mut Command) -> (i32, String, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    run(cmd.stdout(writer))
}

fn results(output: Output) -> (i32, String, String) {
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}
