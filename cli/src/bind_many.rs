//! `eiam owner bind-many`: owners from a CSV file, a report row for every
//! input row, a progress bar on a terminal.

use std::io::{self, IsTerminal};
use std::ops::ControlFlow;
use std::path::Path;
use std::process::ExitCode;

use eiam::{BindItem, Client, ErrorKind, MAX_CONCURRENCY};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::exit::{Failure, ROWS_FAILED};
use crate::input::{self, Record};
use crate::output;
use crate::report::PendingReport;

/// One input row and what became of it.
#[derive(Serialize)]
struct ReportRow {
    /// The line of the input file where the row starts (the header is
    /// usually line 1).
    line: u64,
    app_id: String,
    app_user_id: String,
    user_name: String,
    status: Status,
    account_id: String,
    error_code: String,
    error_message: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Ok,
    Failed,
    Malformed,
    /// The job stopped before this row was sent.
    NotStarted,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Failed => "failed",
            Status::Malformed => "malformed",
            Status::NotStarted => "not_started",
        }
    }
}

impl Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The rows of a parsed CSV, and the items to bind.
struct Input {
    rows: Vec<ReportRow>,
    /// Index into `rows` of each item to bind, in order.
    items: Vec<(usize, BindItem)>,
}

pub fn run(
    client: &Client,
    file: &Path,
    report: Option<&Path>,
    concurrency: usize,
    json: bool,
) -> Result<ExitCode, Failure> {
    if concurrency > MAX_CONCURRENCY {
        return Err(Failure::Input(format!(
            "--concurrency must be at most {MAX_CONCURRENCY} (0 means the default, {})",
            eiam::DEFAULT_CONCURRENCY
        )));
    }
    let source = input::read(file)?;
    let Input { mut rows, items } = rows_of(&source.data)?;
    let report = report
        .map(|path| PendingReport::create(path, source.id.as_ref()))
        .transpose()?;
    // Bad credentials or an unreachable host would fail every row alike:
    // find out once, before the first row.
    client.authenticate()?;

    let job: Vec<BindItem> = items.iter().map(|(_, item)| item.clone()).collect();
    let (results, stopped) = bind_all(client, &job, concurrency);
    for ((row_index, _), result) in items.iter().zip(results) {
        let row = &mut rows[*row_index];
        match result {
            Ok(account_id) => {
                row.status = Status::Ok;
                row.account_id = account_id;
            }
            Err(e) => {
                row.status = if e.kind() == ErrorKind::Cancelled {
                    Status::NotStarted
                } else {
                    Status::Failed
                };
                row.error_code = e.code().unwrap_or(e.kind().as_str()).to_owned();
                row.error_message = e.message().to_owned();
            }
        }
    }

    // The report goes first; whatever became of it, the summary and the
    // failed rows are printed.
    let unwritten = report.and_then(|report| {
        let path = report.path().display().to_string();
        report
            .finish(&rows)
            .err()
            .map(|e| format!("cannot write the report {path}: {e}"))
    });
    print_outcome(&rows, stopped.as_ref(), json)?;
    if let Some(message) = unwritten {
        return Err(Failure::Unwritten(message));
    }
    if let Some(e) = stopped {
        return Err(Failure::Sdk(e));
    }
    let all_ok = rows.iter().all(|r| r.status == Status::Ok);
    Ok(if all_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(ROWS_FAILED)
    })
}

/// Runs the job; an authentication failure stops it (every later row would
/// fail the same way), and is returned.
fn bind_all(
    client: &Client,
    job: &[BindItem],
    concurrency: usize,
) -> (Vec<eiam::Result<String>>, Option<eiam::Error>) {
    let bar = progress_bar(job.len() as u64);
    let mut auth_failed = false;
    let results = client.bind_public_account_owners(job, concurrency, |p| {
        if let Some(bar) = &bar {
            bar.set_position(p.done as u64);
            bar.set_message(format!("{} failed", p.failures));
        }
        auth_failed |= p.last_error == Some(ErrorKind::Auth);
        if auth_failed {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let stopped = results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .find(|e| e.kind() == ErrorKind::Auth)
        .cloned();
    (results, stopped)
}

/// Lists the rows that did not go through on stderr, then prints the
/// summary on stdout.
fn print_outcome(
    rows: &[ReportRow],
    stopped: Option<&eiam::Error>,
    json: bool,
) -> Result<(), Failure> {
    let count = |status: Status| rows.iter().filter(|r| r.status == status).count();
    let (ok, failed, malformed, not_started) = (
        count(Status::Ok),
        count(Status::Failed),
        count(Status::Malformed),
        count(Status::NotStarted),
    );
    for row in rows
        .iter()
        .filter(|r| matches!(r.status, Status::Failed | Status::Malformed))
    {
        if json {
            output::note(serde_json::to_string(row).unwrap_or_default());
        } else {
            output::note(format_args!(
                "line {}: {} {}: {}",
                row.line,
                row.status.as_str(),
                row.error_code,
                row.error_message
            ));
        }
    }
    if stopped.is_some() {
        let first = rows
            .iter()
            .find(|r| r.status == Status::NotStarted)
            .map_or(String::new(), |r| format!(" from line {} on", r.line));
        output::note(format_args!(
            "eiam: stopped after an authentication failure: the {not_started} rows{first} were not run"
        ));
    }
    if json {
        output::line(serde_json::json!({
            "rows": rows.len(),
            "ok": ok,
            "failed": failed,
            "malformed": malformed,
            "not_started": not_started,
        }))
    } else {
        output::line(format_args!(
            "{} rows: {ok} bound, {failed} failed, {malformed} malformed, {not_started} not started",
            rows.len()
        ))
    }
}

fn rows_of(data: &[u8]) -> Result<Input, Failure> {
    let (headers, records) = input::parse(data)?;
    let column = |name: &str| {
        headers.iter().position(|h| h == name).ok_or_else(|| {
            Failure::Input(format!(
                "the CSV header must name the columns app_id,app_user_id,user_name (missing {name})"
            ))
        })
    };
    let (app, account, user) = (
        column("app_id")?,
        column("app_user_id")?,
        column("user_name")?,
    );
    let mut input = Input {
        rows: Vec::new(),
        items: Vec::new(),
    };
    for Record { line, fields } in records {
        let mut row = ReportRow {
            line,
            app_id: String::new(),
            app_user_id: String::new(),
            user_name: String::new(),
            status: Status::Malformed,
            account_id: String::new(),
            error_code: String::new(),
            error_message: String::new(),
        };
        match fields {
            Ok(r) if r.len() == headers.len() => {
                row.app_id = r[app].to_owned();
                row.app_user_id = r[account].to_owned();
                row.user_name = r[user].to_owned();
                input.items.push((
                    input.rows.len(),
                    BindItem::new(&row.app_id, &row.app_user_id, &row.user_name),
                ));
            }
            Ok(r) => {
                row.error_code = "malformed".into();
                row.error_message = format!("expected {} fields, found {}", headers.len(), r.len());
            }
            Err(e) => {
                row.error_code = "malformed".into();
                row.error_message = e;
            }
        }
        input.rows.push(row);
    }
    Ok(input)
}

pub fn progress_bar(total: u64) -> Option<ProgressBar> {
    if !io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} {msg} ({eta} left)") {
        bar.set_style(style);
    }
    Some(bar)
}
