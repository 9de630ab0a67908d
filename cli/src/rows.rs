//! The rows of the list commands (`account list`, `public-account users
//! list`) as JSON lines, CSV or an aligned table, written and flushed one
//! row at a time as the pages arrive, so `| head` stops the walk early and
//! an error after some pages leaves the rows already printed.

use clap::ValueEnum;
use eiam::{Account, AccountUser, Page};
use serde_json::{json, Value};
use unicode_width::UnicodeWidthStr;

use crate::exit::Failure;
use crate::output;

/// How the rows are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header row (RFC 4180 quoting; `extension` as compact JSON).
    Csv,
    /// Aligned columns for people.
    Table,
}

impl Format {
    /// `--format` if given, else JSON lines with `--json`, else a table.
    pub fn choose(format: Option<Format>, json: bool) -> Format {
        format.unwrap_or(if json { Format::Jsonl } else { Format::Table })
    }
}

/// Something printed as one row.
pub trait Row {
    /// The column names: the CSV header, the table header, the labels of
    /// `account get`.
    const COLUMNS: &'static [&'static str];
    /// One text cell per column.
    fn cells(&self) -> Vec<String>;
    /// The JSON line.
    fn to_json(&self) -> Value;
}

impl Row for Account {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "account_name",
        "name",
        "account_type",
        "disabled",
        "org_id",
        "extension",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.account_name.clone(),
            self.name.clone().unwrap_or_default(),
            self.account_type.clone(),
            self.disabled.to_string(),
            self.org_id.clone().unwrap_or_default(),
            Value::Object(self.extension.clone()).to_string(),
        ]
    }

    fn to_json(&self) -> Value {
        // The core's own field names, as `account get --json` prints them.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

impl Row for AccountUser {
    const COLUMNS: &'static [&'static str] = &["id", "user_name", "disabled"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.user_name.clone(),
            self.disabled.to_string(),
        ]
    }

    fn to_json(&self) -> Value {
        // snake_case like every other output of the CLI (the service
        // spells it `userName` on this one call).
        json!({"id": self.id, "user_name": self.user_name, "disabled": self.disabled})
    }
}

/// Writes rows of one kind in one format; the header goes out with the
/// first page (or at the end of an empty list), so a list that fails at
/// once prints nothing on standard output.
pub struct Writer<R: Row> {
    format: Format,
    header_written: bool,
    /// Table column widths, set by the header and the first page.
    widths: Vec<usize>,
    _row: std::marker::PhantomData<R>,
}

impl<R: Row> Writer<R> {
    pub fn new(format: Format) -> Self {
        Writer {
            format,
            header_written: false,
            widths: Vec::new(),
            _row: std::marker::PhantomData,
        }
    }

    /// Prints a page's rows, each flushed as soon as it is written.
    pub fn page(&mut self, items: &[R]) -> Result<(), Failure> {
        if !self.header_written {
            self.header(items)?;
        }
        for item in items {
            match self.format {
                Format::Jsonl => output::line(item.to_json())?,
                Format::Csv => output::bytes(&csv_record(&item.cells()))?,
                Format::Table => output::line(table_line(&table_cells(item), &self.widths))?,
            }
        }
        Ok(())
    }

    /// Ends the list: an empty one still gets its header.
    pub fn finish(mut self) -> Result<(), Failure> {
        if !self.header_written {
            self.header(&[])?;
        }
        Ok(())
    }

    fn header(&mut self, first_page: &[R]) -> Result<(), Failure> {
        self.header_written = true;
        let names: Vec<String> = R::COLUMNS.iter().map(|c| (*c).to_owned()).collect();
        match self.format {
            Format::Jsonl => Ok(()),
            Format::Csv => output::bytes(&csv_record(&names)),
            Format::Table => {
                // Widths from the header and the first page, kept for the
                // pages after it: a wider value later pushes the rest of
                // its row to the right rather than holding every row back.
                self.widths = names.iter().map(|n| n.width()).collect();
                for item in first_page {
                    for (width, cell) in self.widths.iter_mut().zip(table_cells(item)) {
                        *width = (*width).max(cell.width());
                    }
                }
                output::line(table_line(&names, &self.widths))
            }
        }
    }
}

/// Streams every page (one in memory at a time). A failed page ends the
/// walk with its error, after the rows of the pages before it.
pub fn stream<R: Row>(
    pages: impl Iterator<Item = eiam::Result<Page<R>>>,
    format: Format,
) -> Result<(), Failure> {
    let mut writer = Writer::new(format);
    for page in pages {
        writer.page(&page?.items)?;
    }
    writer.finish()
}

/// Streams items as an iterator yields them, a batch at a time (a table
/// takes its column widths from the first batch). An error ends the
/// output with it, after the rows before it.
pub fn stream_items<R: Row>(
    items: impl Iterator<Item = eiam::Result<R>>,
    format: Format,
) -> Result<(), Failure> {
    const BATCH: usize = 100;
    let mut writer = Writer::new(format);
    let mut batch = Vec::with_capacity(BATCH);
    for item in items {
        match item {
            Ok(item) => batch.push(item),
            Err(e) => {
                writer.page(&batch)?;
                return Err(e.into());
            }
        }
        // JSON lines and CSV need no widths: each row goes out at once.
        if batch.len() == BATCH || format != Format::Table {
            writer.page(&batch)?;
            batch.clear();
        }
    }
    writer.page(&batch)?;
    writer.finish()
}

/// One page only.
pub fn one_page<R: Row>(page: Page<R>, format: Format) -> Result<(), Failure> {
    let mut writer = Writer::new(format);
    writer.page(&page.items)?;
    writer.finish()
}

/// `label  value` lines, one per column, for a single record (`account get`).
pub fn record<R: Row>(item: &R) -> Result<(), Failure> {
    let width = R::COLUMNS.iter().map(|c| c.width()).max().unwrap_or(0);
    for (name, cell) in R::COLUMNS.iter().zip(table_cells(item)) {
        output::line(format_args!("{name:<width$}  {cell}"))?;
    }
    Ok(())
}

/// One CSV record with its line end, quoted as needed.
pub fn csv_record(cells: &[String]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail, and every record has the same length.
    let _ = writer.write_record(cells);
    writer.into_inner().unwrap_or_default()
}

/// The cells for a table: no control character may break the line or
/// move the cursor, and an empty value shows as `-`.
fn table_cells<R: Row>(item: &R) -> Vec<String> {
    item.cells()
        .into_iter()
        .map(|cell| {
            if cell.is_empty() {
                return "-".to_owned();
            }
            cell.chars()
                .map(|c| {
                    if c.is_control() {
                        c.escape_default().to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect()
        })
        .collect()
}

fn table_line(cells: &[String], widths: &[usize]) -> String {
    let mut out = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push_str("  ");
        }
        out.push_str(cell);
        if i + 1 < cells.len() {
            let pad = widths
                .get(i)
                .copied()
                .unwrap_or(0)
                .saturating_sub(cell.width());
            out.extend(std::iter::repeat_n(' ', pad));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_quoting_and_nothing_else() {
        let cells: Vec<String> = ["plain", "a,b", "say \"hi\"", "two\nlines", "", "张三"]
            .map(str::to_owned)
            .to_vec();
        let record = String::from_utf8(csv_record(&cells)).unwrap();
        assert_eq!(
            record,
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,张三\n"
        );
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(record.as_bytes());
        let back: Vec<String> = reader
            .records()
            .next()
            .unwrap()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(back, cells);
    }

    #[test]
    fn table_cells_cannot_break_lines_and_align_wide_characters() {
        let user = AccountUser {
            id: "u1".into(),
            user_name: "a\nb\u{1b}[31m".into(),
            disabled: false,
        };
        assert_eq!(table_cells(&user)[1], "a\\nb\\u{1b}[31m");
        let widths = [4, 2, 1];
        let line = table_line(&["张三".into(), "x".into(), "last".into()], &widths);
        assert_eq!(line, "张三  x   last");
    }
}
