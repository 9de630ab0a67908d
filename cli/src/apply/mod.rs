//! `eiam apply FILE`: make the tenant's public accounts match a desired
//! file. Reads the current state, prints the plan (counts, then every
//! change), and applies it only with `--yes` or after a confirmation on a
//! terminal.

mod current;
mod desired;
mod execute;
mod plan;

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use eiam::{Client, MAX_CONCURRENCY};
use serde::Serialize;
use serde_json::{json, Value};

use crate::exit::{Failure, NOT_APPLIED, ROWS_FAILED};
use crate::output;
use crate::report::PendingReport;
use crate::rows::{Format, Row, Writer};
use execute::Outcome;
use plan::{AccountPlan, Counts, Plan, Step};

#[derive(Args)]
pub struct ApplyArgs {
    /// The desired state: CSV with the columns app_id,account_name and
    /// any of owner,members,disabled (members separated by ";"), or JSON
    /// lines if the name ends in .jsonl or .json; - reads CSV from
    /// standard input. A column (or key) left out is not managed.
    file: PathBuf,
    /// Apply without asking.
    #[arg(long, conflicts_with = "dry_run")]
    yes: bool,
    /// Print the plan and change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Disable the public accounts of the file's applications that the
    /// file does not name (they are never deleted; `enable` brings one
    /// back). Without it they are left alone.
    #[arg(long)]
    prune: bool,
    /// Write one row per change and what became of it to this file: CSV,
    /// or JSON lines if it ends in .jsonl or .json.
    #[arg(long)]
    report: Option<PathBuf>,
    #[arg(
        long,
        default_value_t = eiam::DEFAULT_CONCURRENCY,
        help = format!(
            "Calls in flight at once, reading and applying, at most {MAX_CONCURRENCY} \
             (0 means the default)"
        )
    )]
    concurrency: usize,
}

/// One change as the plan and the report show it.
#[derive(Serialize)]
struct ChangeRow {
    /// The desired file's line; empty for an account pruned.
    line: Option<u64>,
    app_id: String,
    account_name: String,
    /// Empty for an account not created yet.
    account_id: String,
    action: &'static str,
    detail: String,
}

impl ChangeRow {
    fn new(account: &AccountPlan, step: &Step) -> Self {
        ChangeRow {
            line: account.line,
            app_id: account.app_id.clone(),
            account_name: account.account_name.clone(),
            account_id: account.account_id.clone().unwrap_or_default(),
            action: step.action(),
            detail: step.detail(),
        }
    }
}

impl Row for ChangeRow {
    const COLUMNS: &'static [&'static str] = &[
        "line",
        "app_id",
        "account_name",
        "account_id",
        "action",
        "detail",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.line.map_or_else(String::new, |l| l.to_string()),
            self.app_id.clone(),
            self.account_name.clone(),
            self.account_id.clone(),
            self.action.to_owned(),
            self.detail.clone(),
        ]
    }

    fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// A change and what became of it: a row of `--report` (its fields
/// spelled out, as CSV cannot flatten a nested row).
#[derive(Serialize)]
struct ReportRow {
    line: Option<u64>,
    app_id: String,
    account_name: String,
    account_id: String,
    action: &'static str,
    detail: String,
    status: &'static str,
    error_code: String,
    error_message: String,
}

pub fn run(client: &Client, args: ApplyArgs, json: bool) -> Result<ExitCode, Failure> {
    if args.concurrency > MAX_CONCURRENCY {
        return Err(Failure::Input(format!(
            "--concurrency must be at most {MAX_CONCURRENCY} (0 means the default, {})",
            eiam::DEFAULT_CONCURRENCY
        )));
    }
    let desired = desired::read(&args.file)?;
    let report = args
        .report
        .as_deref()
        .map(|path| {
            PendingReport::create(path, crate::report::FileId::of_path(&args.file).as_ref())
        })
        .transpose()?;
    client.authenticate()?;
    let current = current::read(client, &desired, args.concurrency)?;
    let plan = plan::plan(&desired, &current, args.prune).map_err(|conflicts| {
        let lines: Vec<String> = conflicts.iter().map(ToString::to_string).collect();
        Failure::Input(format!("{}: {}", args.file.display(), lines.join("; ")))
    })?;
    print_plan(&plan, json)?;
    if plan.is_empty() || args.dry_run {
        return Ok(ExitCode::SUCCESS);
    }
    if !args.yes && !confirmed(&plan)? {
        return Ok(ExitCode::from(NOT_APPLIED));
    }
    let bar = crate::bind_many::progress_bar(plan.accounts.len() as u64);
    let (outcomes, stopped) = execute::run(client, &plan, args.concurrency, || {
        if let Some(bar) = &bar {
            bar.inc(1);
        }
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let rows = report_rows(&plan, outcomes);
    let unwritten = report.and_then(|report| {
        let path = report.path().display().to_string();
        report
            .finish(&rows)
            .err()
            .map(|e| format!("cannot write the report {path}: {e}"))
    });
    print_outcome(&rows, json)?;
    if let Some(message) = unwritten {
        return Err(Failure::Unwritten(message));
    }
    if let Some(e) = stopped {
        return Err(Failure::Sdk(e));
    }
    Ok(if rows.iter().all(|r| r.status == "ok") {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(ROWS_FAILED)
    })
}

fn counts_text(counts: &Counts) -> String {
    format!(
        "{} to create, {} owner(s) to change, {} member(s) to add, {} member(s) to remove, \
         {} to disable, {} to enable",
        counts.create,
        counts.set_owner,
        counts.add_members,
        counts.remove_members,
        counts.disable,
        counts.enable
    )
}

/// The counts, then every change: a table, or one JSON object with
/// `--json`.
fn print_plan(plan: &Plan, json: bool) -> Result<(), Failure> {
    let changes: Vec<ChangeRow> = plan.steps().map(|(a, s)| ChangeRow::new(a, s)).collect();
    if json {
        return output::line(json!({
            "counts": plan.counts(),
            "changes": changes.iter().map(Row::to_json).collect::<Vec<_>>(),
        }));
    }
    if plan.is_empty() {
        return output::line("Plan: no changes; the tenant matches the file.");
    }
    output::line(format_args!("Plan: {}", counts_text(&plan.counts())))?;
    let mut writer = Writer::new(Format::Table);
    writer.page(&changes)?;
    writer.finish()
}

/// Asks on the terminal; without one (no `--yes`), says how to apply and
/// answers no.
fn confirmed(plan: &Plan) -> Result<bool, Failure> {
    let changes = plan.steps().count();
    if !(io::stdin().is_terminal() && io::stderr().is_terminal()) {
        output::note(format_args!(
            "eiam: not applied: {changes} change(s) planned; run again with --yes to apply them"
        ));
        return Ok(false);
    }
    eprint!("Apply these {changes} change(s)? [y/N] ");
    let _ = io::stderr().flush();
    let mut answer = String::new();
    io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Failure::Input(format!("cannot read the answer: {e}")))?;
    let yes = matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes");
    if !yes {
        output::note("eiam: not applied");
    }
    Ok(yes)
}

fn report_rows(plan: &Plan, outcomes: Vec<Vec<Outcome>>) -> Vec<ReportRow> {
    let mut rows = Vec::new();
    for (account, outcomes) in plan.accounts.iter().zip(outcomes) {
        for (step, outcome) in account.steps.iter().zip(outcomes) {
            let mut change = ChangeRow::new(account, step);
            let (status, error_code, error_message) = match outcome {
                Outcome::Ok(id) => {
                    change.account_id = id;
                    ("ok", String::new(), String::new())
                }
                Outcome::Failed(e) => (
                    "failed",
                    e.code().unwrap_or(e.kind().as_str()).to_owned(),
                    e.message().to_owned(),
                ),
                Outcome::NotStarted => ("not_started", String::new(), String::new()),
            };
            rows.push(ReportRow {
                line: change.line,
                app_id: change.app_id,
                account_name: change.account_name,
                account_id: change.account_id,
                action: change.action,
                detail: change.detail,
                status,
                error_code,
                error_message,
            });
        }
    }
    rows
}

/// The failed changes on standard error, then the summary on standard
/// output.
fn print_outcome(rows: &[ReportRow], json: bool) -> Result<(), Failure> {
    let count = |status: &str| rows.iter().filter(|r| r.status == status).count();
    let (ok, failed, not_started) = (count("ok"), count("failed"), count("not_started"));
    for row in rows.iter().filter(|r| r.status == "failed") {
        if json {
            output::note(serde_json::to_string(row).unwrap_or_default());
        } else {
            output::note(format_args!(
                "{}/{}: {} failed: {}: {}",
                row.app_id, row.account_name, row.action, row.error_code, row.error_message
            ));
        }
    }
    if json {
        output::line(json!({
            "changes": rows.len(),
            "ok": ok,
            "failed": failed,
            "not_started": not_started,
        }))
    } else {
        output::line(format_args!(
            "Applied: {} change(s): {ok} done, {failed} failed, {not_started} not started",
            rows.len()
        ))
    }
}
