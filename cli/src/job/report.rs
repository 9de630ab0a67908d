//! The `--report` file of a bulk job: created as a temporary file beside
//! the target before the first call, one row written and flushed as soon
//! as its result is known, renamed into place when the job ends. A run
//! that dies on the way leaves the previous report untouched and the rows
//! so far in the temporary file.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::ser::{SerializeMap, Serializer};

use super::Status;
use crate::exit::Failure;

/// What identifies a file whatever path (a link, `.` or `..`) names it.
#[derive(Debug, PartialEq, Eq)]
pub struct FileId(#[cfg(unix)] (u64, u64), #[cfg(not(unix))] PathBuf);

impl FileId {
    #[cfg(unix)]
    pub fn of_file(file: &File) -> Option<FileId> {
        use std::os::unix::fs::MetadataExt;
        let meta = file.metadata().ok()?;
        Some(FileId((meta.dev(), meta.ino())))
    }

    /// The file `path` leads to, if it exists.
    pub fn of_path(path: &Path) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let meta = fs::metadata(path).ok()?;
            Some(FileId((meta.dev(), meta.ino())))
        }
        #[cfg(not(unix))]
        {
            fs::canonicalize(path).ok().map(FileId)
        }
    }
}

/// The columns after the input's own.
pub const RESULT_COLUMNS: [&str; 4] = ["status", "account_id", "error_code", "error_message"];

/// One row of a report: the input row's line and reported fields, and what
/// became of it.
pub struct ReportRow<'a> {
    pub line: u64,
    /// The job's input columns, in order (never a secret).
    pub fields: &'a [String],
    pub status: Status,
    pub account_id: &'a str,
    pub error_code: &'a str,
    pub error_message: &'a str,
}

/// CSV unless the name ends in `.jsonl` or `.json`.
pub fn is_json_lines(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("jsonl" | "json")
    )
}

enum Out {
    // Boxed: the csv writer carries its own state and buffer header.
    Csv(Box<csv::Writer<File>>),
    JsonLines(BufWriter<File>),
}

/// Creates a temporary file beside `path` (named by the flag `flag` in
/// errors), for writing it in full before renaming it into place. Refuses
/// a `path` that is the input file or a directory.
pub fn temp_beside(
    flag: &str,
    path: &Path,
    input: Option<&FileId>,
) -> Result<(PathBuf, File), Failure> {
    let refuse =
        |why: &dyn std::fmt::Display| Failure::Input(format!("{flag} {}: {why}", path.display()));
    if input.is_some() && FileId::of_path(path).as_ref() == input {
        return Err(refuse(&"that is the input file; name another file"));
    }
    if path.is_dir() {
        return Err(refuse(&"is a directory"));
    }
    let name = path
        .file_name()
        .ok_or_else(|| refuse(&"does not name a file"))?
        .to_string_lossy()
        .into_owned();
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut attempt = 0;
    loop {
        let temp = dir.join(format!(".{name}.{}-{attempt}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(refuse(&format_args!("cannot write the report: {e}"))),
        }
    }
}

/// A report being written. Dropped without [`Report::finish`] (a job
/// refused before its first call), it removes its temporary file and the
/// target stays as it was.
pub struct Report {
    path: PathBuf,
    temp: PathBuf,
    columns: Vec<&'static str>,
    out: Out,
    renamed: bool,
}

impl Report {
    /// Creates the temporary file and writes the CSV header. Refuses a
    /// report that would replace the input or cannot be created.
    pub fn create(
        path: &Path,
        input: Option<&FileId>,
        columns: &[&'static str],
    ) -> Result<Self, Failure> {
        let refuse = |why: &dyn std::fmt::Display| {
            Failure::Input(format!("--report {}: {why}", path.display()))
        };
        let (temp, file) = temp_beside("--report", path, input)?;
        let mut report = Report {
            path: path.to_owned(),
            temp,
            columns: columns.to_vec(),
            renamed: false,
            out: if is_json_lines(path) {
                Out::JsonLines(BufWriter::new(file))
            } else {
                Out::Csv(Box::new(csv::Writer::from_writer(file)))
            },
        };
        if let Out::Csv(out) = &mut report.out {
            let header = std::iter::once("line")
                .chain(columns.iter().copied())
                .chain(RESULT_COLUMNS);
            let written = out.write_record(header).and_then(|()| Ok(out.flush()?));
            if let Err(e) = written {
                return Err(refuse(&format_args!("cannot write the report: {e}")));
            }
        }
        Ok(report)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends a row and flushes it to the file.
    pub fn write(&mut self, row: &ReportRow<'_>) -> io::Result<()> {
        match &mut self.out {
            Out::Csv(out) => {
                let line = row.line.to_string();
                let record = std::iter::once(line.as_str())
                    .chain(row.fields.iter().map(String::as_str))
                    .chain([
                        row.status.as_str(),
                        row.account_id,
                        row.error_code,
                        row.error_message,
                    ]);
                out.write_record(record)?;
                out.flush()
            }
            Out::JsonLines(out) => {
                out.write_all(&json_line(&self.columns, row)?)?;
                out.flush()
            }
        }
    }

    /// Syncs the file and puts it in place of the target.
    pub fn finish(&mut self) -> io::Result<()> {
        let file = match &mut self.out {
            Out::Csv(out) => {
                out.flush()?;
                out.get_ref()
            }
            Out::JsonLines(out) => {
                out.flush()?;
                out.get_ref()
            }
        };
        file.sync_all()?;
        fs::rename(&self.temp, &self.path)?;
        self.renamed = true;
        Ok(())
    }
}

impl Drop for Report {
    fn drop(&mut self) {
        if !self.renamed {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// A row as one JSON object and a line end, keys in the report's column
/// order.
pub fn json_line(columns: &[&str], row: &ReportRow<'_>) -> io::Result<Vec<u8>> {
    let mut text = Vec::with_capacity(128);
    let mut serializer = serde_json::Serializer::new(&mut text);
    let mut map = serializer.serialize_map(None)?;
    map.serialize_entry("line", &row.line)?;
    for (column, value) in columns.iter().zip(row.fields) {
        map.serialize_entry(column, value)?;
    }
    map.serialize_entry("status", row.status.as_str())?;
    map.serialize_entry("account_id", row.account_id)?;
    map.serialize_entry("error_code", row.error_code)?;
    map.serialize_entry("error_message", row.error_message)?;
    map.end()?;
    text.push(b'\n');
    Ok(text)
}
