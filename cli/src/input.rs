//! What the CLI reads: the `bind-many` CSV file (read whole, every record
//! with the physical line it starts on, or the whole file refused), and the
//! text of standard input for `--password-stdin` and `--data-stdin`.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use csv::{ReaderBuilder, StringRecord, Trim};

use crate::exit::Failure;
use crate::report::FileId;

/// The input as read, and which file it came from (to keep the report off it).
pub struct Source {
    pub data: Vec<u8>,
    pub id: Option<FileId>,
}

/// One record of the file after the header.
pub struct Record {
    /// The line of the file the record starts on (1 is the first line).
    pub line: u64,
    /// The trimmed fields, or why the record could not be read.
    pub fields: Result<StringRecord, String>,
}

/// All of standard input as text, for the flag `flag` (named in the
/// error). The text itself is never put in a message.
pub fn stdin_text(flag: &str) -> Result<String, Failure> {
    let mut text = String::with_capacity(4096);
    io::stdin()
        .lock()
        .read_to_string(&mut text)
        .map_err(|e| match e.kind() {
            io::ErrorKind::InvalidData => {
                Failure::Input(format!("{flag}: standard input is not UTF-8 text"))
            }
            _ => Failure::Input(format!("{flag}: cannot read standard input: {e}")),
        })?;
    Ok(text)
}

/// Reads `file` (`-` for standard input) to the end.
pub fn read(file: &Path) -> Result<Source, Failure> {
    let name = if file == Path::new("-") {
        "standard input".to_owned()
    } else {
        file.display().to_string()
    };
    let cannot = |e: io::Error| Failure::Input(format!("cannot read {name}: {e}"));
    let (mut reader, id) = open(file).map_err(cannot)?;
    let mut data = Vec::new();
    reader.read_to_end(&mut data).map_err(cannot)?;
    Ok(Source { data, id })
}

#[cfg(unix)]
fn open(file: &Path) -> io::Result<(Box<dyn Read>, Option<FileId>)> {
    use std::os::fd::AsFd;
    let file = if file == Path::new("-") {
        // A duplicate of descriptor 0, so standard input can be identified
        // like any file.
        File::from(io::stdin().as_fd().try_clone_to_owned()?)
    } else {
        File::open(file)?
    };
    let id = FileId::of_file(&file);
    Ok((Box::new(file), id))
}

#[cfg(not(unix))]
fn open(file: &Path) -> io::Result<(Box<dyn Read>, Option<FileId>)> {
    if file == Path::new("-") {
        return Ok((Box::new(io::stdin()), None));
    }
    Ok((Box::new(File::open(file)?), FileId::of_path(file)))
}

/// The header and the records, in file order. A quoted field that is never
/// closed refuses the whole file: the parser would read every line after it
/// into that one field.
pub fn parse(data: &[u8]) -> Result<(StringRecord, Vec<Record>), Failure> {
    let mut reader = ReaderBuilder::new()
        .flexible(true)
        .trim(Trim::All)
        .from_reader(data);
    let mut lines = Lines::new(data);
    let headers = reader
        .headers()
        .map_err(|e| Failure::Input(format!("cannot read the CSV header: {e}")))?
        .clone();
    let mut last_start = lines.skip_terminators(0);
    let mut records = Vec::new();
    loop {
        // The reader stands where the previous record ended.
        let start = lines.skip_terminators(byte_offset(&reader));
        let mut record = StringRecord::new();
        let fields = match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => Ok(record),
            Err(e) => Err(e.to_string()),
        };
        last_start = start;
        records.push(Record {
            line: lines.line_at(start),
            fields,
        });
    }
    if ends_inside_quotes(&data[last_start..]) {
        return Err(Failure::Input(format!(
            "line {}: a quoted field is never closed, so every line after it would be read into it",
            lines.line_at(last_start)
        )));
    }
    Ok((headers, records))
}

fn byte_offset(reader: &csv::Reader<&[u8]>) -> usize {
    usize::try_from(reader.position().byte()).unwrap_or(usize::MAX)
}

/// Whether the last record reaches the end of the input inside a quoted
/// field. Asks the parser itself: after `x"` an open quoted field ends in
/// `x`, while anywhere else that quote is kept as text.
fn ends_inside_quotes(last_record: &[u8]) -> bool {
    let mut probe = last_record.to_vec();
    probe.extend_from_slice(b"x\"");
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(probe.as_slice());
    let last_field = reader
        .byte_records()
        .filter_map(Result::ok)
        .last()
        .and_then(|record| record.iter().next_back().map(<[u8]>::to_vec));
    last_field.is_some_and(|field| !field.ends_with(b"x\""))
}

/// Physical line numbers of byte offsets: a line ends at `\n`, `\r\n` or a
/// lone `\r`. Offsets must be asked for in increasing order.
struct Lines<'a> {
    data: &'a [u8],
    counted_to: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    fn new(data: &'a [u8]) -> Self {
        Lines {
            data,
            counted_to: 0,
            line: 1,
        }
    }

    /// The first byte at or after `offset` that is not a line end: the csv
    /// parser reports a record's position before the blank lines (and the
    /// `\n` of a `\r\n`) that it skips.
    fn skip_terminators(&self, offset: usize) -> usize {
        let offset = offset.min(self.data.len());
        offset
            + self.data[offset..]
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count()
    }

    fn line_at(&mut self, offset: usize) -> u64 {
        let offset = offset.clamp(self.counted_to, self.data.len());
        let span = &self.data[self.counted_to..offset];
        let ends = span
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && span.get(i + 1) != Some(&b'\n')))
            .count();
        self.line += ends as u64;
        self.counted_to = offset;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(data: &str) -> Vec<u64> {
        let (_, records) = parse(data.as_bytes()).ok().unwrap();
        records.iter().map(|r| r.line).collect()
    }

    #[test]
    fn lone_carriage_returns_end_lines_too() {
        assert_eq!(lines_of("a,b,c\r1,2,3\r\r4,5,6\r"), [2, 4]);
    }

    #[test]
    fn only_an_open_quote_at_the_end_counts_as_unterminated() {
        for open in ["1,\"x", "1,\"x\n2", "1,\"a\"\"", "\"x,y\n"] {
            assert!(ends_inside_quotes(open.as_bytes()), "{open:?}");
        }
        for closed in [
            "1,\"x\"",
            "1,x",
            "1,",
            "1,x\n",
            "1,\"a\"\"\"",
            "1,x\"y",
            "1,\"x\"y\r",
        ] {
            assert!(!ends_inside_quotes(closed.as_bytes()), "{closed:?}");
        }
    }
}
