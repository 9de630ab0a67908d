//! The `--report` file of `bind-many`: checked before the first call, then
//! written to a temporary file beside it and renamed into place, so a run
//! that fails leaves no half report and the previous one stays as it was.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

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

/// A report that can be written: its temporary file already exists.
/// Dropped without [`PendingReport::finish`], it removes that file.
pub struct PendingReport {
    path: PathBuf,
    temp: PathBuf,
    file: Option<File>,
    renamed: bool,
}

impl PendingReport {
    /// Refuses a report that would replace the input or cannot be created.
    pub fn create(path: &Path, input: Option<&FileId>) -> Result<Self, Failure> {
        Self::create_flag("--report", path, input)
    }

    /// [`create`](Self::create) for a file named by `flag`.
    pub fn create_flag(flag: &str, path: &Path, input: Option<&FileId>) -> Result<Self, Failure> {
        let refuse = |why: &dyn std::fmt::Display| {
            Failure::Input(format!("{flag} {}: {why}", path.display()))
        };
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
                Ok(file) => {
                    return Ok(PendingReport {
                        path: path.to_owned(),
                        temp,
                        file: Some(file),
                        renamed: false,
                    })
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
                Err(e) => return Err(refuse(&format_args!("cannot write the report: {e}"))),
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The temporary file, for writing rows as they come.
    pub fn file(&self) -> io::Result<&File> {
        self.file
            .as_ref()
            .ok_or_else(|| io::Error::other("written already"))
    }

    /// Syncs what was written to [`file`](Self::file) and puts the file in
    /// place.
    pub fn commit(mut self) -> io::Result<()> {
        let file = self
            .file
            .take()
            .ok_or_else(|| io::Error::other("written already"))?;
        file.sync_all()?;
        drop(file);
        fs::rename(&self.temp, &self.path)?;
        self.renamed = true;
        Ok(())
    }

    /// Writes the rows (JSON lines if the name ends in `.jsonl` or `.json`,
    /// CSV otherwise) and puts the file in place.
    pub fn finish<T: Serialize>(self, rows: &[T]) -> io::Result<()> {
        let file = self.file()?;
        if crate::rows::is_json_lines(&self.path) {
            let mut out = BufWriter::new(file);
            for row in rows {
                serde_json::to_writer(&mut out, row)?;
                out.write_all(b"\n")?;
            }
            out.flush()?;
        } else {
            let mut out = csv::Writer::from_writer(file);
            for row in rows {
                out.serialize(row)?;
            }
            out.flush()?;
        }
        self.commit()
    }
}

impl Drop for PendingReport {
    fn drop(&mut self) {
        if !self.renamed {
            let _ = fs::remove_file(&self.temp);
        }
    }
}
