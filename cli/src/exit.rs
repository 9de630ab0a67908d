//! Exit codes, one per kind of failure, so scripts can tell them apart.

use std::process::ExitCode;

use eiam::ErrorKind;

use crate::output;

/// Shown at the end of `--help`.
pub const HELP: &str = "\
Exit codes:
  0    success
  1    bulk job (*-many) or apply: at least one row failed, was malformed, is
       unknown or was not started
  2    invalid input (usage, arguments, configuration, CSV file, report path,
       --extension, --data, the account password; --resume with an input
       edited since the report)
  3    API error (the service answered with an error code)
  4    authentication error (bulk job: before the first row, or it stopped the job)
  5    transport error (DNS, connect, TLS, proxy)
  6    timeout
  7    protocol error (unexpected answer)
  8    internal error (a bug in eiam)
  9    output lost: a bulk job's report could not be written (the job stops
       starting rows; the summary and the failed rows are still printed), or
       standard output failed
  10   audit: at least one public account needs attention (the findings are
       printed or written to --output)
  11   apply: changes were planned but not applied (no --yes and no terminal
       to confirm on, or the confirmation was declined); nothing was changed
  130  bulk job or apply interrupted by SIGINT (Ctrl-C): calls in flight
       finished, the report is complete, the summary says how to resume
  141  standard output was closed (e.g. by `| head`); nothing more is printed
  143  bulk job or apply interrupted by SIGTERM, as for 130";

pub const ROWS_FAILED: u8 = 1;
pub const INVALID_INPUT: u8 = 2;
pub const UNWRITTEN: u8 = 9;
pub const FOUND: u8 = 10;
pub const NOT_APPLIED: u8 = 11;
/// 128 + SIGPIPE, what a shell reports for a tool killed by a closed pipe.
pub const STDOUT_CLOSED: u8 = 141;

/// The exit code for an error kind.
pub fn code_for(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::InvalidArgument => INVALID_INPUT,
        ErrorKind::Api => 3,
        ErrorKind::Auth => 4,
        ErrorKind::Transport => 5,
        ErrorKind::Timeout => 6,
        ErrorKind::Protocol => 7,
        _ => 8,
    }
}

/// Why a command failed as a whole.
pub enum Failure {
    Sdk(eiam::Error),
    /// Bad input found by the CLI itself (a missing setting, an unreadable file).
    Input(String),
    /// Results that could not be written out (the report, standard output).
    Unwritten(String),
    /// Nobody reads standard output any more.
    StdoutClosed,
}

impl From<eiam::Error> for Failure {
    fn from(e: eiam::Error) -> Self {
        Failure::Sdk(e)
    }
}

impl Failure {
    /// Prints the failure to stderr (as JSON with `--json`) and returns its
    /// exit code.
    pub fn report(self, json: bool) -> ExitCode {
        let (code, value, text) = match self {
            Failure::Sdk(e) => (
                code_for(e.kind()),
                serde_json::json!({
                    "error": e.kind().as_str(),
                    "http_status": e.http_status(),
                    "code": e.code(),
                    "message": e.message(),
                }),
                e.to_string(),
            ),
            Failure::Input(message) => (
                INVALID_INPUT,
                serde_json::json!({"error": "invalid input", "message": message}),
                message,
            ),
            Failure::Unwritten(message) => (
                UNWRITTEN,
                serde_json::json!({"error": "unwritten", "message": message}),
                message,
            ),
            Failure::StdoutClosed => return ExitCode::from(STDOUT_CLOSED),
        };
        if json {
            output::note(value);
        } else {
            output::note(format_args!("eiam: {text}"));
        }
        ExitCode::from(code)
    }
}
