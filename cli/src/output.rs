//! Everything the CLI prints goes through here: standard output through
//! [`line()`], which turns a closed pipe into a quiet exit, and standard error
//! through [`note`]. The owner commands' output: a sentence for people, JSON
//! for scripts (the list commands' rows are in `rows`).

use std::fmt::Display;
use std::io::{self, Write};

use eiam::Owner;
use serde_json::json;

use crate::exit::Failure;

/// Prints one line to standard output. A reader that went away (`| head`)
/// is [`Failure::StdoutClosed`], not a panic.
pub fn line(text: impl Display) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(stdout_failure)
}

/// Writes bytes as they are (already ending in a line end) to standard
/// output and flushes them, failing as [`line()`] does.
pub fn bytes(data: &[u8]) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    out.write_all(data)
        .and_then(|()| out.flush())
        .map_err(stdout_failure)
}

fn stdout_failure(e: io::Error) -> Failure {
    match e.kind() {
        io::ErrorKind::BrokenPipe => Failure::StdoutClosed,
        _ => Failure::Unwritten(format!("cannot write to standard output: {e}")),
    }
}

/// Prints one line to standard error; if even that fails, there is nowhere
/// left to say so.
pub fn note(text: impl Display) {
    let _ = writeln!(io::stderr().lock(), "{text}");
}

pub fn owner(app_id: &str, app_user_id: &str, owner: &Owner, json: bool) -> Result<(), Failure> {
    if json {
        line(json!({
            "app_id": app_id,
            "app_user_id": app_user_id,
            "user_id": owner.user_id,
            "user_name": owner.user_name,
            "disabled": owner.disabled,
        }))
    } else {
        line(format_args!(
            "{app_id}/{app_user_id} is owned by {} (user id {}{})",
            owner.user_name,
            owner.user_id,
            if owner.disabled { ", disabled" } else { "" }
        ))
    }
}

pub fn bound(
    app_id: &str,
    app_user_id: &str,
    user_name: &str,
    account_id: &str,
    json: bool,
) -> Result<(), Failure> {
    if json {
        line(json!({
            "app_id": app_id,
            "app_user_id": app_user_id,
            "user_name": user_name,
            "account_id": account_id,
        }))
    } else {
        line(format_args!(
            "{user_name} now owns {app_id}/{app_user_id} (account id {account_id})"
        ))
    }
}
