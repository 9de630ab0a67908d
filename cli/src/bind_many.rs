//! `eiam owner bind-many`: owners from a CSV file, a report row for every
//! input row, a progress bar on a terminal.

use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::Path;
use std::process::ExitCode;

use eiam::{BindItem, Client};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::exit::{Failure, ROWS_FAILED};
use crate::input::{self, Record};
use crate::output;

/// One input row and what became of it.
#[derive(Serialize)]
struct ReportRow {
    /// The line of the input file where the row starts (the header is
    /// usually line 1).
    line: u64,
    app_id: String,
    app_user_id: String,
    user_name: String,
    /// `ok`, `failed` or `malformed`.
    status: &'static str,
    account_id: String,
    error_code: String,
    error_message: String,
}

/// A parsed CSV: the rows to bind and the rows that could not be read.
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
    let input = read_input(file)?;
    let Input { mut rows, items } = input;
    let bar = progress_bar(items.len() as u64);
    let job: Vec<BindItem> = items.iter().map(|(_, item)| item.clone()).collect();
    let results = client.bind_public_account_owners(&job, concurrency, |p| {
        if let Some(bar) = &bar {
            bar.set_position(p.done as u64);
            bar.set_message(format!("{} failed", p.failures));
        }
        ControlFlow::Continue(())
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    for ((row_index, _), result) in items.iter().zip(results) {
        let row = &mut rows[*row_index];
        match result {
            Ok(account_id) => {
                row.status = "ok";
                row.account_id = account_id;
            }
            Err(e) => {
                row.status = "failed";
                row.error_code = e.code().unwrap_or(e.kind().as_str()).to_owned();
                row.error_message = e.message().to_owned();
            }
        }
    }
    if let Some(path) = report {
        write_report(path, &rows).map_err(|e| {
            Failure::Input(format!("cannot write the report {}: {e}", path.display()))
        })?;
    }
    let count = |status: &str| rows.iter().filter(|r| r.status == status).count();
    let (ok, failed, malformed) = (count("ok"), count("failed"), count("malformed"));
    if json {
        output::line(
            serde_json::json!({"rows": rows.len(), "ok": ok, "failed": failed, "malformed": malformed}),
        )?;
    } else {
        for row in rows.iter().filter(|r| r.status != "ok") {
            output::note(format_args!(
                "line {}: {} {}: {}",
                row.line, row.status, row.error_code, row.error_message
            ));
        }
        output::line(format_args!(
            "{} rows: {ok} bound, {failed} failed, {malformed} malformed",
            rows.len()
        ))?;
    }
    Ok(if failed + malformed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(ROWS_FAILED)
    })
}

fn read_input(file: &Path) -> Result<Input, Failure> {
    let data = input::read(file)?;
    let (headers, records) = input::parse(&data)?;
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
            status: "malformed",
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

fn progress_bar(total: u64) -> Option<ProgressBar> {
    if !io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} {msg} ({eta} left)") {
        bar.set_style(style);
    }
    Some(bar)
}

fn write_report(path: &Path, rows: &[ReportRow]) -> io::Result<()> {
    let json_lines = matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("jsonl" | "json")
    );
    let file = File::create(path)?;
    if json_lines {
        let mut out = io::BufWriter::new(file);
        for row in rows {
            serde_json::to_writer(&mut out, row)?;
            out.write_all(b"\n")?;
        }
        out.flush()
    } else {
        let mut out = csv::Writer::from_writer(file);
        for row in rows {
            out.serialize(row)?;
        }
        out.flush()
    }
}
