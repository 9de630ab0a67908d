//! `eiam audit APP_ID`: the public accounts that need attention, as a
//! table (or `--format`) on standard output, or written to `--output` as
//! CSV or JSON lines; the exit code says whether anything was found.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use eiam::{Client, Finding};
use serde_json::{json, Value};

use crate::exit::{Failure, FOUND};
use crate::output;
use crate::report::PendingReport;
use crate::rows::{self, Format, Row};

#[derive(Args)]
pub struct AuditArgs {
    app_id: String,
    /// Write the findings to this file instead of standard output: JSON
    /// lines if it ends in .jsonl or .json, CSV otherwise (or as --format
    /// says). The file appears only once the audit is complete.
    #[arg(long)]
    output: Option<PathBuf>,
    /// Output format [default: table, jsonl with --json; with --output, by
    /// the file's extension].
    #[arg(long, value_enum)]
    format: Option<Format>,
}

impl Row for Finding {
    const COLUMNS: &'static [&'static str] =
        &["app_id", "account_id", "account_name", "kind", "user_names"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.app_id.clone(),
            self.account_id.clone(),
            self.account_name.clone(),
            self.kind.as_str().to_owned(),
            self.user_names.join(";"),
        ]
    }

    fn to_json(&self) -> Value {
        json!({
            "app_id": self.app_id,
            "account_id": self.account_id,
            "account_name": self.account_name,
            "kind": self.kind.as_str(),
            "user_names": self.user_names,
        })
    }
}

pub fn run(client: &Client, args: AuditArgs, json: bool) -> Result<ExitCode, Failure> {
    let findings = client.audit_public_accounts(&args.app_id);
    let found = match &args.output {
        None => {
            let mut found = 0usize;
            let counted = findings.inspect(|f| found += usize::from(f.is_ok()));
            rows::stream_items(counted, Format::choose(args.format, json))?;
            found
        }
        Some(path) => {
            let format = match args.format {
                Some(Format::Table) => {
                    return Err(Failure::Input(
                        "--output writes csv or jsonl, not a table".into(),
                    ))
                }
                Some(format) => format,
                None if rows::is_json_lines(path) => Format::Jsonl,
                None => Format::Csv,
            };
            let mut report = PendingReport::create_flag("--output", path, None)?;
            let found = write_file(&mut report, findings, format)?;
            report
                .commit()
                .map_err(|e| Failure::Unwritten(format!("cannot write {}: {e}", path.display())))?;
            found
        }
    };
    summary(&args.app_id, found, json);
    Ok(if found == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(FOUND)
    })
}

/// Streams the findings into the pending file; an audit that fails leaves
/// no file behind.
fn write_file(
    report: &mut PendingReport,
    findings: impl Iterator<Item = eiam::Result<Finding>>,
    format: Format,
) -> Result<usize, Failure> {
    let unwritten = |e: std::io::Error| Failure::Unwritten(format!("cannot write the audit: {e}"));
    let mut out = BufWriter::new(report.file().map_err(unwritten)?);
    if format == Format::Csv {
        out.write_all(&rows::csv_record(&header()))
            .map_err(unwritten)?;
    }
    let mut found = 0;
    for finding in findings {
        let finding = finding?;
        found += 1;
        match format {
            Format::Csv => out.write_all(&rows::csv_record(&finding.cells())),
            _ => writeln!(out, "{}", finding.to_json()),
        }
        .map_err(unwritten)?;
    }
    out.flush().map_err(unwritten)?;
    Ok(found)
}

fn header() -> Vec<String> {
    Finding::COLUMNS.iter().map(|c| (*c).to_owned()).collect()
}

/// One line on standard error, so standard output holds only the rows.
fn summary(app_id: &str, found: usize, json: bool) {
    if json {
        output::note(json!({"app_id": app_id, "findings": found}));
    } else if found == 0 {
        output::note(format_args!(
            "eiam: audit of {app_id}: every public account has an enabled owner and enabled members"
        ));
    } else {
        output::note(format_args!("eiam: audit of {app_id}: {found} finding(s)"));
    }
}
