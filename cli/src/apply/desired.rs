//! Reading the desired file of `eiam apply`: CSV with a header, or JSON
//! lines. Any row that cannot be read refuses the whole file, since a plan
//! made without it could prune the account it meant to keep.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

use serde::Deserialize;

use super::plan::Desired;
use crate::exit::Failure;
use crate::input;
use crate::job::csv_input::CsvRecords;
use crate::job::report::{is_json_lines, FileId};

/// The CSV columns; `app_id` and `account_name` are required, a column
/// left out is not managed.
const COLUMNS: [&str; 5] = ["app_id", "account_name", "owner", "members", "disabled"];

/// How members are separated within the CSV `members` cell.
pub const MEMBER_SEPARATOR: char = ';';

/// The rows of `file` (`-` for CSV on standard input), and which file it
/// is (to keep the report off it).
pub fn read(file: &Path) -> Result<(Vec<Desired>, Option<FileId>), Failure> {
    let (mut source, id) = input::open(file)?;
    let mut data = Vec::new();
    source
        .read_to_end(&mut data)
        .map_err(|e| Failure::Input(format!("cannot read {}: {e}", file.display())))?;
    let rows = if file != Path::new("-") && is_json_lines(file) {
        json_lines(&data)
    } else {
        csv(&data)
    };
    let name = file.display();
    rows.map(|rows| (rows, id)).map_err(|errors| {
        let shown: Vec<String> = errors.iter().take(10).cloned().collect();
        let more = errors.len().saturating_sub(shown.len());
        Failure::Input(format!(
            "{name}: {}{}",
            shown.join("; "),
            if more > 0 {
                format!("; and {more} more")
            } else {
                String::new()
            }
        ))
    })
}

fn csv(data: &[u8]) -> Result<Vec<Desired>, Vec<String>> {
    let records = CsvRecords::new(data).map_err(|f| vec![failure_text(f)])?;
    let headers = records.headers().clone();
    let position = |name: &str| headers.iter().position(|h| h == name);
    if let Some(unknown) = headers.iter().find(|h| !COLUMNS.contains(h)) {
        return Err(vec![format!(
            "unknown column {unknown:?} in the header (the columns are {})",
            COLUMNS.join(",")
        )]);
    }
    let (Some(app), Some(name)) = (position("app_id"), position("account_name")) else {
        return Err(vec![
            "the header must name the columns app_id and account_name".into(),
        ]);
    };
    let (owner, members, disabled) = (position("owner"), position("members"), position("disabled"));
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in records {
        let line = record.line;
        let fields = match record.fields {
            Ok(f) if f.len() == headers.len() => f,
            Ok(f) => {
                errors.push(format!(
                    "line {line}: expected {} fields, found {}",
                    headers.len(),
                    f.len()
                ));
                continue;
            }
            Err(e) => {
                errors.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let cell = |i: Option<usize>| i.map(|i| fields[i].to_owned());
        let disabled = match cell(disabled).as_deref() {
            None | Some("") => None,
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(other) => {
                errors.push(format!(
                    "line {line}: disabled must be true, false or empty; got {other:?}"
                ));
                continue;
            }
        };
        let members = cell(members).map(|m| {
            m.split(MEMBER_SEPARATOR)
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned)
                .collect()
        });
        rows.push(checked(
            Desired {
                line,
                app_id: fields[app].to_owned(),
                account_name: fields[name].to_owned(),
                owner: cell(owner).filter(|o| !o.is_empty()),
                members,
                disabled,
            },
            &mut errors,
        ));
    }
    finish(rows, errors)
}

/// A JSON line; a key left out is not managed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonRow {
    app_id: String,
    account_name: String,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    members: Option<BTreeSet<String>>,
    #[serde(default)]
    disabled: Option<bool>,
}

fn json_lines(data: &[u8]) -> Result<Vec<Desired>, Vec<String>> {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (index, text) in data.split(|b| *b == b'\n').enumerate() {
        let line = index as u64 + 1;
        if text.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<JsonRow>(text) {
            Ok(row) => rows.push(checked(
                Desired {
                    line,
                    app_id: row.app_id,
                    account_name: row.account_name,
                    owner: row.owner,
                    members: row.members,
                    disabled: row.disabled,
                },
                &mut errors,
            )),
            Err(e) => errors.push(format!("line {line}: {e}")),
        }
    }
    finish(rows, errors)
}

/// Notes a row without an application or account name.
fn checked(row: Desired, errors: &mut Vec<String>) -> Desired {
    for (name, value) in [("app_id", &row.app_id), ("account_name", &row.account_name)] {
        if value.trim().is_empty() {
            errors.push(format!("line {}: {name} is empty", row.line));
        }
    }
    row
}

fn finish(rows: Vec<Desired>, errors: Vec<String>) -> Result<Vec<Desired>, Vec<String>> {
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

fn failure_text(failure: Failure) -> String {
    match failure {
        Failure::Input(message) | Failure::Unwritten(message) => message,
        Failure::Sdk(e) => e.to_string(),
        Failure::StdoutClosed => "standard output closed".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_columns_left_out_are_not_managed() {
        let rows = csv(b"app_id,account_name,members\na,x,u1; u2\na,y,\n").unwrap();
        assert_eq!(rows[0].owner, None);
        assert_eq!(rows[0].disabled, None);
        assert_eq!(
            rows[0].members,
            Some(["u1".to_owned(), "u2".to_owned()].into())
        );
        assert_eq!(rows[1].members, Some(BTreeSet::new()), "empty: no members");
        assert_eq!(rows[1].line, 3);
    }

    #[test]
    fn bad_rows_refuse_the_file_with_their_lines() {
        let errors = csv(b"app_id,account_name,disabled\na,x,yes\na,,false\na\n").unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].starts_with("line 2: disabled"), "{errors:?}");
        assert!(errors[1].starts_with("line 3: account_name"), "{errors:?}");
        assert!(errors[2].starts_with("line 4: expected 3"), "{errors:?}");
        assert!(csv(b"app_id,name\n").unwrap_err()[0].contains("unknown column"));
    }

    #[test]
    fn json_lines_keys_left_out_are_not_managed() {
        let rows = json_lines(
            b"{\"app_id\":\"a\",\"account_name\":\"x\",\"members\":[\"u\"]}\n\n\
              {\"app_id\":\"a\",\"account_name\":\"y\",\"owner\":\"o\",\"disabled\":true}\n",
        )
        .unwrap();
        assert_eq!((rows[0].owner.as_deref(), rows[0].disabled), (None, None));
        assert_eq!(rows[1].line, 3);
        assert_eq!(
            (rows[1].owner.as_deref(), rows[1].disabled, &rows[1].members),
            (Some("o"), Some(true), &None)
        );
        let errors =
            json_lines(b"{\"app_id\":\"a\",\"account_name\":\"x\",\"owners\":\"o\"}").unwrap_err();
        assert!(errors[0].contains("unknown field"), "{errors:?}");
    }
}
