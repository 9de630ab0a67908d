//! `eiam audit APP_ID`: the public accounts that need attention, as a
//! table (or `--format`) on standard output, or written to `--output` as
//! CSV or JSON lines; the exit code says whether anything was found.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use eiam::{Client, Finding};
use serde_json::{json, Value};

use crate::exit::{Failure, FOUND};
use crate::job::report::{is_json_lines, temp_beside};
use crate::output;
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
                None if is_json_lines(path) => Format::Jsonl,
                None => Format::Csv,
            };
            let pending = Pending::create(path)?;
            let found = write_file(&pending.file, findings, format)?;
            pending
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

/// The `--output` file, written under a temporary name and renamed into
/// place when complete: an audit that fails leaves no file (and an older
/// one as it was).
struct Pending {
    path: PathBuf,
    temp: PathBuf,
    file: File,
    renamed: bool,
}

impl Pending {
    fn create(path: &Path) -> Result<Pending, Failure> {
        let (temp, file) = temp_beside("--output", path, None)?;
        Ok(Pending {
            path: path.to_owned(),
            temp,
            file,
            renamed: false,
        })
    }

    fn commit(mut self) -> std::io::Result<()> {
        self.file.sync_all()?;
        fs::rename(&self.temp, &self.path)?;
        self.renamed = true;
        Ok(())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if !self.renamed {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// Streams the findings into the file.
fn write_file(
    file: &File,
    findings: impl Iterator<Item = eiam::Result<Finding>>,
    format: Format,
) -> Result<usize, Failure> {
    let unwritten = |e: std::io::Error| Failure::Unwritten(format!("cannot write the audit: {e}"));
    let mut out = BufWriter::new(file);
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
