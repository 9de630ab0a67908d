//! `eiam request`: any call of the management API, with the same token,
//! deadline, retries, errors and redaction as the typed commands.

use clap::Args;
use eiam::{Client, Method};
use serde_json::Value;

use crate::exit::Failure;
use crate::input;
use crate::output;

#[derive(Args)]
pub struct RequestArgs {
    /// GET, POST, PUT, PATCH or DELETE (any case).
    #[arg(value_parser = method)]
    method: Method,
    /// The path under the base URL: starts with /api/, percent-encoded, no
    /// query (use --query).
    path: String,
    /// A query parameter, encoded for you (repeat it for more).
    #[arg(long = "query", value_name = "NAME=VALUE")]
    query: Vec<String>,
    /// The JSON body. A password in it is visible in the process list:
    /// prefer --data-stdin for those.
    #[arg(long, value_name = "JSON", conflicts_with = "data_stdin")]
    data: Option<String>,
    /// Read the JSON body from standard input.
    #[arg(long)]
    data_stdin: bool,
    /// Whether the call may be sent again after an attempt that may have
    /// reached the service [default: true for GET, PUT and DELETE, false
    /// for POST and PATCH].
    #[arg(long, value_name = "true|false")]
    idempotent: Option<bool>,
}

fn method(name: &str) -> Result<Method, String> {
    name.parse()
        .map_err(|e: eiam::Error| e.message().to_owned())
}

/// Whether a `password` key holds a string anywhere in `value`.
fn has_password(value: &Value) -> bool {
    match value {
        Value::Object(map) => map
            .iter()
            .any(|(k, v)| (k == "password" && v.is_string()) || has_password(v)),
        Value::Array(items) => items.iter().any(has_password),
        _ => false,
    }
}

/// Prints the decoded answer (pretty, or compact with `--json`); nothing
/// for an empty one.
pub fn run(client: &Client, args: RequestArgs, json: bool) -> Result<(), Failure> {
    let query = args
        .query
        .iter()
        .map(|pair| {
            pair.split_once('=')
                .ok_or_else(|| Failure::Input(format!("--query {pair:?}: expected NAME=VALUE")))
        })
        .collect::<Result<Vec<(&str, &str)>, Failure>>()?;
    let (text, flag) = match (&args.data, args.data_stdin) {
        (Some(data), _) => (Some(data.clone()), "--data"),
        (None, true) => (Some(input::stdin_text("--data-stdin")?), "--data-stdin"),
        (None, false) => (None, ""),
    };
    // serde_json's syntax errors say where, never what the text holds (it
    // may carry a password).
    let body: Option<Value> = text
        .map(|t| {
            serde_json::from_str(&t)
                .map_err(|e| Failure::Input(format!("{flag} is not valid JSON: {e}")))
        })
        .transpose()?;
    if args.data.is_some() && body.as_ref().is_some_and(has_password) {
        output::note(
            "eiam: warning: a password in --data on the command line is visible to other users; use --data-stdin instead",
        );
    }
    let answer = client.request(
        args.method,
        &args.path,
        &query,
        body.as_ref(),
        args.idempotent,
    )?;
    match answer {
        None => Ok(()),
        Some(value) if json => output::line(value),
        Some(value) => output::line(serde_json::to_string_pretty(&value).unwrap_or_default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_found_at_any_depth_but_only_as_strings() {
        assert!(has_password(&serde_json::json!({"password": "x"})));
        assert!(has_password(&serde_json::json!([{"a": {"password": "x"}}])));
        assert!(!has_password(
            &serde_json::json!({"password": null, "p": "x"})
        ));
    }
}
