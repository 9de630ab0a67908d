//! A CSV file read as it goes: the header first, then one record at a
//! time, each with the physical line it starts on (a line ends at `\n`,
//! `\r\n` or a lone `\r`; blank lines and the lines inside quoted fields
//! count). Only the parser's buffer and the current record are held.

use std::io::Read;
use std::sync::{Arc, Mutex, PoisonError};

use csv::{ReaderBuilder, StringRecord, Trim};

use crate::exit::Failure;

/// One record after the header.
pub struct Record {
    /// The line of the file the record starts on (1 is the first line).
    pub line: u64,
    /// The trimmed fields, or why the record could not be read.
    pub fields: Result<StringRecord, String>,
}

/// The records of a CSV input, in file order.
pub struct CsvRecords<R: Read> {
    reader: csv::Reader<Tap<R>>,
    window: Arc<Mutex<Window>>,
    headers: StringRecord,
    /// The record read last, held back until the next one (or the end) is
    /// seen: only then is it known whether it ends inside an open quote.
    pending: Option<(u64, Record)>,
    ended: bool,
}

impl<R: Read> CsvRecords<R> {
    /// Reads the header; a file without one is refused.
    pub fn new(source: R) -> Result<Self, Failure> {
        let window = Arc::new(Mutex::new(Window::default()));
        let tap = Tap {
            inner: source,
            window: Arc::clone(&window),
        };
        let mut reader = ReaderBuilder::new()
            .flexible(true)
            .trim(Trim::All)
            .from_reader(tap);
        let headers = reader
            .headers()
            .map_err(|e| Failure::Input(format!("cannot read the CSV header: {e}")))?
            .clone();
        Ok(CsvRecords {
            reader,
            window,
            headers,
            pending: None,
            ended: false,
        })
    }

    pub fn headers(&self) -> &StringRecord {
        &self.headers
    }

    fn read_one(&mut self) -> Option<(u64, Record)> {
        let before = self.reader.position().byte();
        let mut record = StringRecord::new();
        let outcome = self.reader.read_record(&mut record);
        let mut window = lock(&self.window);
        // The parser reports a record's position before the blank lines
        // (and the `\n` of a `\r\n`) that it skips.
        let start = window.skip_terminators(before);
        let fields = match outcome {
            Ok(false) => return None,
            Ok(true) => Ok(record),
            Err(e) if e.is_io_error() => {
                self.ended = true;
                Err(format!("cannot read the input here: {e}"))
            }
            Err(e) => Err(e.to_string()),
        };
        let line = window.line_at(start);
        Some((start, Record { line, fields }))
    }
}

impl<R: Read> Iterator for CsvRecords<R> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            if self.ended {
                return self.pending.take().map(|(_, record)| record);
            }
            match self.read_one() {
                Some(next) => {
                    if let Some((_, record)) = self.pending.replace(next) {
                        return Some(record);
                    }
                }
                None => {
                    self.ended = true;
                    let (start, mut record) = self.pending.take()?;
                    if lock(&self.window).ends_inside_quotes(start) {
                        record.fields = Err(
                            "a quoted field is never closed, so every line after it was read \
                             into it (and none of them was run)"
                                .into(),
                        );
                    }
                    return Some(record);
                }
            }
        }
    }
}

/// Passes the input through to the parser and keeps the bytes it has not
/// yet counted lines in.
struct Tap<R> {
    inner: R,
    window: Arc<Mutex<Window>>,
}

impl<R: Read> Read for Tap<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        lock(&self.window).bytes.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

/// The bytes of the input from the start of the latest record on, and the
/// line count up to there. Offsets are from the start of the input and
/// must be asked for in increasing order.
struct Window {
    /// Offset of `bytes[0]`.
    base: u64,
    bytes: Vec<u8>,
    /// The line of offset `base`.
    line: u64,
}

impl Default for Window {
    fn default() -> Self {
        Window {
            base: 0,
            bytes: Vec::new(),
            line: 1,
        }
    }
}

impl Window {
    fn index(&self, offset: u64) -> usize {
        usize::try_from(offset.saturating_sub(self.base))
            .unwrap_or(usize::MAX)
            .min(self.bytes.len())
    }

    /// The first offset at or after `offset` that is not a line end.
    fn skip_terminators(&self, offset: u64) -> u64 {
        let at = self.index(offset);
        let skipped = self.bytes[at..]
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        self.base + (at + skipped) as u64
    }

    /// The line `offset` is on; forgets the bytes before it.
    fn line_at(&mut self, offset: u64) -> u64 {
        let at = self.index(offset);
        let span = &self.bytes[..at];
        let ends = span
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && span.get(i + 1) != Some(&b'\n')))
            .count();
        self.line += ends as u64;
        self.bytes.drain(..at);
        self.base += at as u64;
        self.line
    }

    /// Whether the record from `start` to the end of the input ends inside
    /// a quoted field.
    fn ends_inside_quotes(&self, start: u64) -> bool {
        ends_inside_quotes(&self.bytes[self.index(start)..])
    }
}

/// Asks the parser itself: after `x"` an open quoted field ends in `x`,
/// while anywhere else that quote is kept as text.
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

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(data: &str) -> Vec<(u64, bool)> {
        CsvRecords::new(data.as_bytes())
            .ok()
            .unwrap()
            .map(|r| (r.line, r.fields.is_ok()))
            .collect()
    }

    #[test]
    fn lone_carriage_returns_end_lines_too() {
        assert_eq!(lines_of("a,b,c\r1,2,3\r\r4,5,6\r"), [(2, true), (4, true)]);
    }

    #[test]
    fn crlf_blank_lines_and_quoted_newlines_count() {
        assert_eq!(
            lines_of("\r\na,b\r\n1,2\r\n\r\n\"x\ny\",3\n\n4,5"),
            [(3, true), (5, true), (8, true)]
        );
    }

    /// A reader that hands out one byte per call, so records straddle the
    /// parser's buffer refills at every possible point.
    struct OneByte<'a>(&'a [u8]);

    impl Read for OneByte<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let Some((first, rest)) = self.0.split_first() else {
                return Ok(0);
            };
            buf[0] = *first;
            self.0 = rest;
            Ok(1)
        }
    }

    #[test]
    fn line_numbers_do_not_depend_on_how_the_input_arrives() {
        let data = "a,b\r\n1,\"2\r\n\r\n3\"\r\r\n\n4,5\r\n";
        let whole: Vec<u64> = lines_of(data).into_iter().map(|(l, _)| l).collect();
        let trickled: Vec<u64> = CsvRecords::new(OneByte(data.as_bytes()))
            .ok()
            .unwrap()
            .map(|r| r.line)
            .collect();
        assert_eq!(whole, [2, 7]);
        assert_eq!(trickled, whole);
    }

    #[test]
    fn an_open_quote_at_the_end_makes_the_last_record_malformed() {
        assert_eq!(lines_of("a,b\n1,2\n3,\"x\n5,6\n"), [(2, true), (3, false)]);
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
