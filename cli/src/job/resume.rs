//! `--resume OLD_REPORT`: what an earlier run of the same job did, by input
//! line. Rows it marks `ok` are skipped (and copied into the new report,
//! so the new report is complete); every other row runs again. Each row is
//! matched by its line and a fingerprint of its reported fields, so an
//! input edited since is refused before any call.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde_json::Value;

use super::report::{is_json_lines, Report, ReportRow, RESULT_COLUMNS};
use super::Status;
use crate::exit::Failure;

/// One row of the old report, in 24 bytes: the index of a million-row job
/// is 24 MB, and only when resuming.
#[derive(Clone, Copy)]
struct Entry {
    line: u64,
    fingerprint: u64,
    status: Status,
}

/// What to do with an input row on resume.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The old run did it: skip it (it is in the new report already).
    Skip,
    /// Run it. `recheck`: the old run may have done it (its row is
    /// `unknown`, or it never reported the row at all).
    Run { recheck: bool },
}

pub struct Resume {
    /// Sorted by line.
    entries: Vec<Entry>,
}

/// FNV-1a over the fields, each followed by a byte no UTF-8 text holds: a
/// fingerprint that stays the same across eiam versions and platforms.
pub fn fingerprint(fields: &[String]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in fields
        .iter()
        .flat_map(|f| f.as_bytes().iter().chain(std::iter::once(&0xff)))
    {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// A row as read back from an old report.
struct OldRow {
    line: u64,
    fields: Vec<String>,
    status: Status,
    account_id: String,
}

impl Resume {
    /// Reads the old report of a job with the input columns `columns`,
    /// copying its `ok` rows into `new_report`.
    pub fn load(path: &Path, columns: &[&str], new_report: &mut Report) -> Result<Resume, Failure> {
        let name = path.display().to_string();
        let refuse = |why: String| Failure::Input(format!("--resume {name}: {why}"));
        let file = File::open(path).map_err(|e| refuse(format!("cannot read it: {e}")))?;
        let mut entries = Vec::new();
        let mut keep = |row: OldRow| -> Result<(), Failure> {
            if row.status == Status::Ok {
                new_report
                    .write(&ReportRow {
                        line: row.line,
                        fields: &row.fields,
                        status: Status::Ok,
                        account_id: &row.account_id,
                        error_code: "",
                        error_message: "",
                    })
                    .map_err(|e| {
                        Failure::Unwritten(format!(
                            "cannot write the report {}: {e}",
                            new_report.path().display()
                        ))
                    })?;
            }
            entries.push(Entry {
                line: row.line,
                fingerprint: fingerprint(&row.fields),
                status: row.status,
            });
            Ok(())
        };
        if is_json_lines(path) {
            for (number, text) in BufReader::new(file).lines().enumerate() {
                let text = text.map_err(|e| refuse(format!("cannot read it: {e}")))?;
                if text.trim().is_empty() {
                    continue;
                }
                let row = json_row(&text, columns).ok_or_else(|| {
                    refuse(format!(
                        "line {} is not a row of this command's report",
                        number + 1
                    ))
                })?;
                keep(row)?;
            }
        } else {
            let mut reader = csv::Reader::from_reader(file);
            let expected: Vec<&str> = std::iter::once("line")
                .chain(columns.iter().copied())
                .chain(RESULT_COLUMNS)
                .collect();
            let headers = reader
                .headers()
                .map_err(|e| refuse(format!("cannot read it: {e}")))?
                .clone();
            if headers.iter().ne(expected.iter().copied()) {
                return Err(refuse(format!(
                    "not a report of this command (its columns must be {})",
                    expected.join(",")
                )));
            }
            for record in reader.records() {
                let record = record.map_err(|e| refuse(format!("cannot read it: {e}")))?;
                let row = csv_row(&record, columns.len()).ok_or_else(|| {
                    refuse(format!(
                        "a row near line {} cannot be read",
                        record.position().map_or(0, |p| p.line())
                    ))
                })?;
                keep(row)?;
            }
        }
        entries.sort_unstable_by_key(|e| e.line);
        if let Some(twice) = entries.windows(2).find(|w| w[0].line == w[1].line) {
            return Err(refuse(format!(
                "it has two rows for input line {}; it is not one run's report",
                twice[0].line
            )));
        }
        Ok(Resume { entries })
    }

    fn entry(&self, line: u64) -> Option<&Entry> {
        self.entries
            .binary_search_by_key(&line, |e| e.line)
            .ok()
            .map(|i| &self.entries[i])
    }

    /// What to do with the input row at `line`.
    pub fn verdict(&self, line: u64) -> Verdict {
        match self.entry(line).map(|e| e.status) {
            Some(Status::Ok) => Verdict::Skip,
            Some(Status::Unknown) | None => Verdict::Run { recheck: true },
            Some(_) => Verdict::Run { recheck: false },
        }
    }

    /// Checks every input row the old report names against it: the same
    /// fields at the same line, and no reported `ok` row missing from the
    /// input. Reads the whole input once, keeping nothing.
    pub fn verify(&self, rows: impl Iterator<Item = (u64, Vec<String>)>) -> Result<(), Failure> {
        let mut seen = vec![false; self.entries.len()];
        for (line, fields) in rows {
            let Ok(at) = self.entries.binary_search_by_key(&line, |e| e.line) else {
                continue;
            };
            if self.entries[at].fingerprint != fingerprint(&fields) {
                return Err(Failure::Input(format!(
                    "--resume: line {line} of the input is not the row the report describes; \
                     the input was edited since, so the report cannot tell what is done"
                )));
            }
            seen[at] = true;
        }
        let missing = self
            .entries
            .iter()
            .zip(&seen)
            .find(|(e, seen)| e.status == Status::Ok && !**seen);
        if let Some((entry, _)) = missing {
            return Err(Failure::Input(format!(
                "--resume: the report's row for line {} is not in the input any more; \
                 the input was edited since",
                entry.line
            )));
        }
        Ok(())
    }
}

fn csv_row(record: &csv::StringRecord, columns: usize) -> Option<OldRow> {
    Some(OldRow {
        line: record.get(0)?.parse().ok()?,
        fields: (1..=columns)
            .map(|i| record.get(i).map(str::to_owned))
            .collect::<Option<_>>()?,
        status: record.get(columns + 1)?.parse().ok()?,
        account_id: record.get(columns + 2)?.to_owned(),
    })
}

fn json_row(text: &str, columns: &[&str]) -> Option<OldRow> {
    let value: Value = serde_json::from_str(text).ok()?;
    let text_of = |key: &str| value.get(key)?.as_str().map(str::to_owned);
    Some(OldRow {
        line: value.get("line")?.as_u64()?,
        fields: columns.iter().map(|c| text_of(c)).collect::<Option<_>>()?,
        status: text_of("status")?.parse().ok()?,
        account_id: text_of("account_id")?,
    })
}
