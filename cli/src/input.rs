//! What the CLI reads: the input file of a bulk job (opened here, read as
//! it goes by `job::csv_input`), and the text of standard input for
//! `--password-stdin` and `--data-stdin`.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use crate::exit::Failure;
use crate::job::report::FileId;

/// A bulk job's input, and which file it is (to keep the report off it).
pub type Source = (Box<dyn Read + Send>, Option<FileId>);

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

/// Opens `file` (`-` for standard input), buffered.
pub fn open(file: &Path) -> Result<Source, Failure> {
    let name = if file == Path::new("-") {
        "standard input".to_owned()
    } else {
        file.display().to_string()
    };
    open_file(file).map_err(|e| Failure::Input(format!("cannot read {name}: {e}")))
}

#[cfg(unix)]
fn open_file(file: &Path) -> io::Result<Source> {
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
fn open_file(file: &Path) -> io::Result<Source> {
    if file == Path::new("-") {
        return Ok((Box::new(io::stdin()), None));
    }
    Ok((Box::new(File::open(file)?), FileId::of_path(file)))
}
