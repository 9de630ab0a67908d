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

use crate::exit::{Failure, NOT_APPLIED};
use crate::job::interrupt::Interrupt;
use crate::job::report::Report;
use crate::job::{self, Job, Settings};
use crate::output;
use crate::rows::{Format, Row, Writer};
use execute::ApplyJob;
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
    /// Write one row per account changed and what became of it to this
    /// file as results come in: CSV, or JSON lines if it ends in .jsonl or
    /// .json. An apply that stops early is resumed by running it again.
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

pub fn run(client: &Client, args: ApplyArgs, json: bool) -> Result<ExitCode, Failure> {
    job::check_concurrency(args.concurrency)?;
    let (desired, input_id) = desired::read(&args.file)?;
    let last_line = desired.iter().map(|d| d.line).max().unwrap_or(0);
    let report = args
        .report
        .as_deref()
        .map(|path| Report::create(path, input_id.as_ref(), ApplyJob.columns()))
        .transpose()?;
    client.authenticate()?;
    let current = current::read(client, &desired, args.concurrency)?;
    let plan = plan::plan(&desired, &current, args.prune).map_err(|conflicts| {
        let lines: Vec<String> = conflicts.iter().map(ToString::to_string).collect();
        Failure::Input(format!("{}: {}", args.file.display(), lines.join("; ")))
    })?;
    drop((desired, current));
    print_plan(&plan, json)?;
    if plan.is_empty() || args.dry_run {
        return Ok(ExitCode::SUCCESS);
    }
    if !args.yes && !confirmed(&plan)? {
        return Ok(ExitCode::from(NOT_APPLIED));
    }
    let interrupt = Interrupt::install()
        .map_err(|e| Failure::Unwritten(format!("cannot watch for SIGINT and SIGTERM: {e}")))?;
    let settings = Settings {
        concurrency: args.concurrency,
        json,
        resume_command: Some(again_command()),
    };
    job::run(
        client,
        &ApplyJob,
        execute::rows(plan, last_line),
        report,
        None,
        &interrupt,
        settings,
    )
}

/// How an apply that stopped early is resumed: the same command again
/// (it plans from the tenant, so nothing done is done twice), with --yes.
fn again_command() -> String {
    let mut args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--yes") {
        args.push("--yes".into());
    }
    args.iter()
        .map(|a| {
            if !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=:@,+".contains(c))
            {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
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
