//! The machinery of every bulk job of the CLI: rows in (from a CSV file
//! read as it goes, or any iterator), one call each on [`eiam::run_bulk`],
//! a report row written as soon as each result is known, SIGINT/SIGTERM
//! handled so that nothing is lost, and `--resume` from an earlier report.
//!
//! A command describes its rows with [`Job`] (and [`CsvJob`] to read them
//! from CSV); [`run_csv`] or [`run`] does the rest.

pub mod csv_input;
pub mod interrupt;
pub mod progress;
pub mod report;
pub mod resume;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{mpsc, Arc, Mutex, MutexGuard, PoisonError};

use eiam::{Client, ErrorKind, Finished, MAX_CONCURRENCY};

use crate::exit::{self, Failure};
use crate::input;
use crate::output;
use csv_input::{CsvRecords, Record};
use interrupt::Interrupt;
use progress::Progress;
use report::{Report, ReportRow};
use resume::{Resume, Verdict};

/// What became of an input row. The names are the report's `status`
/// column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// The call succeeded (or, on resume, an earlier run's did).
    Ok,
    /// The call failed, and certainly changed nothing.
    Failed,
    /// The row could not be read or lacks a value; nothing was sent.
    Malformed,
    /// The job stopped before this row was sent.
    NotStarted,
    /// The call may or may not have taken effect: its answer was lost
    /// after the request may have arrived, or the job was killed with the
    /// call in flight. A resume checks before it repeats a create.
    Unknown,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Ok,
        Status::Failed,
        Status::Malformed,
        Status::NotStarted,
        Status::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Failed => "failed",
            Status::Malformed => "malformed",
            Status::NotStarted => "not_started",
            Status::Unknown => "unknown",
        }
    }
}

impl std::str::FromStr for Status {
    type Err = ();

    fn from_str(name: &str) -> Result<Status, ()> {
        Status::ALL
            .into_iter()
            .find(|s| s.as_str() == name)
            .ok_or(())
    }
}

/// One input row of a job.
pub struct Row<T> {
    /// Its line in the input (or any number that identifies it; unique).
    pub line: u64,
    /// The values of [`Job::columns`], as the report repeats them.
    pub fields: Vec<String>,
    /// What to call, or why the row is malformed.
    pub item: Result<T, String>,
}

/// Why a row's call did not succeed.
pub struct RowError {
    /// [`Status::Failed`], or [`Status::Unknown`] when it may have taken
    /// effect anyway.
    status: Status,
    code: String,
    message: String,
    /// An authentication failure: every later row would meet it too.
    auth: Option<eiam::Error>,
}

impl RowError {
    /// A row whose outcome cannot be told (`code` names why).
    pub fn unknown(code: &str, message: impl Into<String>) -> RowError {
        RowError {
            status: Status::Unknown,
            code: code.to_owned(),
            message: message.into(),
            auth: None,
        }
    }
}

impl RowError {
    /// The same error, its message led by `context` (which part of the
    /// row's work failed).
    pub fn in_context(mut self, context: &str) -> RowError {
        self.message = format!("{context}: {}", self.message);
        self
    }
}

impl From<eiam::Error> for RowError {
    fn from(e: eiam::Error) -> RowError {
        RowError {
            status: if e.may_have_taken_effect() {
                Status::Unknown
            } else {
                Status::Failed
            },
            code: e.code().unwrap_or(e.kind().as_str()).to_owned(),
            message: e.message().to_owned(),
            auth: (e.kind() == ErrorKind::Auth).then_some(e),
        }
    }
}

/// What one row's call returned: the id it names, or why not.
pub type RowResult = Result<String, RowError>;

/// A kind of bulk job: what a row holds and the one call it makes.
pub trait Job: Sync {
    type Item: Send;
    /// The input columns the report repeats after `line`, in order. Never
    /// a secret: the report and the resume check use only these.
    fn columns(&self) -> &'static [&'static str];
    /// What the summary calls rows that succeeded (`"bound"`).
    fn done_word(&self) -> &'static str;
    /// Runs one row and returns the id it names. `recheck`: an earlier run
    /// may have done this row already (it was `unknown`, or never
    /// reported); a job that must not repeat itself (a create) looks first.
    fn call(&self, client: &Client, item: &Self::Item, recheck: bool) -> RowResult;
}

/// A job whose rows come from a CSV file with a header.
pub trait CsvJob: Job {
    /// The columns the header must name.
    fn required(&self) -> &'static [&'static str];
    /// The item of a record; `get` gives a column's trimmed value (`None`
    /// when the header lacks it).
    fn parse<'r>(&self, get: &dyn Fn(&str) -> Option<&'r str>) -> Result<Self::Item, String>;
}

/// The options every bulk command takes.
#[derive(clap::Args)]
pub struct BulkArgs {
    /// The CSV file (with a header row), or - for standard input.
    pub file: PathBuf,
    /// Write one row per input row to this file as results come in: CSV,
    /// or JSON lines if it ends in .jsonl or .json.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Skip the rows this earlier report marks ok and run the rest (the
    /// input must be unchanged); without --report, the new report replaces
    /// this one.
    #[arg(long, value_name = "OLD_REPORT")]
    pub resume: Option<PathBuf>,
    /// Calls in flight at once.
    #[arg(
        long,
        default_value_t = eiam::DEFAULT_CONCURRENCY,
        help = format!(
            "Calls in flight at once, at most {} (0 means the default)",
            eiam::MAX_CONCURRENCY
        )
    )]
    pub concurrency: usize,
}

/// Runs a CSV job from start to end: checks the input, the report and the
/// resume report before the first call, then runs every row.
pub fn run_csv<J: CsvJob>(
    client: &Client,
    job: &J,
    args: &BulkArgs,
    json: bool,
) -> Result<ExitCode, Failure> {
    check_concurrency(args.concurrency)?;
    if args.resume.is_some() && args.file == Path::new("-") {
        return Err(Failure::Input(
            "--resume needs the input as a file (it is read twice: once to check it against the report)"
                .into(),
        ));
    }
    let interrupt = Interrupt::install()
        .map_err(|e| Failure::Unwritten(format!("cannot watch for SIGINT and SIGTERM: {e}")))?;
    let (source, id) = input::open(&args.file)?;
    let records = CsvRecords::new(source)?;
    let parser = Parser::new(job, records.headers())?;
    let report_path = args.report.as_deref().or(args.resume.as_deref());
    let mut report = report_path
        .map(|path| Report::create(path, id.as_ref(), job.columns()))
        .transpose()?;
    let resume = match (&args.resume, &mut report) {
        (Some(old), Some(new)) => {
            let resume = Resume::load(old, job.columns(), new)?;
            let (again, _) = input::open(&args.file)?;
            let rows = CsvRecords::new(again)?.map(|r| (r.line, parser.fields(&r)));
            resume.verify(rows)?;
            Some(resume)
        }
        _ => None,
    };
    // Bad credentials or an unreachable host would fail every row alike:
    // find out once, before the first row.
    client.authenticate()?;
    let rows = records.map(|record| parser.row(record));
    let settings = Settings {
        concurrency: args.concurrency,
        json,
        resume_command: report_path.map(resume_command),
    };
    run(client, job, rows, report, resume, &interrupt, settings)
}

/// What [`run`] needs besides the rows.
pub struct Settings {
    pub concurrency: usize,
    pub json: bool,
    /// The command line that resumes this job, printed when it stops early.
    pub resume_command: Option<String>,
}

pub fn check_concurrency(concurrency: usize) -> Result<(), Failure> {
    if concurrency > MAX_CONCURRENCY {
        return Err(Failure::Input(format!(
            "--concurrency must be at most {MAX_CONCURRENCY} (0 means the default, {})",
            eiam::DEFAULT_CONCURRENCY
        )));
    }
    Ok(())
}

/// This process's command line with `--resume REPORT` in place of any
/// `--resume` it had, quoted for a POSIX shell.
pub fn resume_command(report: &Path) -> String {
    let mut args: Vec<OsString> = Vec::new();
    let mut given = std::env::args_os();
    while let Some(arg) = given.next() {
        if arg == "--resume" {
            given.next();
        } else if !arg.to_string_lossy().starts_with("--resume=") {
            args.push(arg);
        }
    }
    args.push("--resume".into());
    args.push(report.as_os_str().to_owned());
    args.iter()
        .map(|a| {
            let text = a.to_string_lossy();
            shlex::try_quote(&text).map_or_else(|_| text.to_string(), |q| q.into_owned())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Turns CSV records into rows of a job.
struct Parser<'a, J> {
    job: &'a J,
    headers: Vec<String>,
}

impl<'a, J: CsvJob> Parser<'a, J> {
    fn new(job: &'a J, headers: &csv::StringRecord) -> Result<Self, Failure> {
        let headers: Vec<String> = headers.iter().map(str::to_owned).collect();
        if let Some(missing) = job
            .required()
            .iter()
            .find(|c| !headers.iter().any(|h| h == *c))
        {
            return Err(Failure::Input(format!(
                "the CSV header must name the columns {} (missing {missing})",
                job.required().join(",")
            )));
        }
        Ok(Parser { job, headers })
    }

    fn get<'r>(&self, record: &'r csv::StringRecord, column: &str) -> Option<&'r str> {
        let at = self.headers.iter().position(|h| h == column)?;
        record.get(at)
    }

    fn fields(&self, record: &Record) -> Vec<String> {
        self.job
            .columns()
            .iter()
            .map(|c| match &record.fields {
                Ok(r) => self.get(r, c).unwrap_or_default().to_owned(),
                Err(_) => String::new(),
            })
            .collect()
    }

    fn row(&self, record: Record) -> Row<J::Item> {
        let fields = self.fields(&record);
        let item = match &record.fields {
            Ok(r) if r.len() == self.headers.len() => self.job.parse(&|c| self.get(r, c)),
            Ok(r) => Err(format!(
                "expected {} fields, found {}",
                self.headers.len(),
                r.len()
            )),
            Err(e) => Err(e.clone()),
        };
        Row {
            line: record.line,
            fields,
            item,
        }
    }
}

/// Rows counted by what became of them.
#[derive(Default, Clone, Copy)]
struct Tally {
    ok: u64,
    failed: u64,
    malformed: u64,
    not_started: u64,
    unknown: u64,
    /// `ok` in the resumed report, not run again.
    skipped: u64,
    /// The first input line not started, if any.
    first_not_started: Option<u64>,
}

impl Tally {
    fn add(&mut self, status: Status, line: u64) {
        match status {
            Status::Ok => self.ok += 1,
            Status::Failed => self.failed += 1,
            Status::Malformed => self.malformed += 1,
            Status::NotStarted => {
                self.not_started += 1;
                self.first_not_started = Some(self.first_not_started.map_or(line, |l| l.min(line)));
            }
            Status::Unknown => self.unknown += 1,
        }
    }

    fn rows(&self) -> u64 {
        self.ok + self.failed + self.malformed + self.not_started + self.unknown + self.skipped
    }
}

/// Why a job stopped starting rows before the end of its input.
enum Halt {
    Auth(eiam::Error),
    ReportLost(String),
}

/// What the workers, the input and a second signal share.
struct Shared {
    report: Option<Report>,
    /// The rows whose call is under way, by line: a second signal marks
    /// them `unknown`.
    in_flight: BTreeMap<u64, Vec<String>>,
    tally: Tally,
    halt: Option<Halt>,
    /// The report was ended by a second signal: nothing more goes in.
    over: bool,
}

/// What the summary needs to know about the job.
#[derive(Clone)]
struct Context {
    columns: &'static [&'static str],
    done_word: &'static str,
    json: bool,
    resume_command: Option<String>,
}

impl Shared {
    /// Writes a row to the report (unless it is over) and counts it. A row
    /// the report could not take halts the job.
    fn record(&mut self, context: &Context, progress: &Progress, row: &ReportRow<'_>) {
        if self.over {
            return;
        }
        self.tally.add(row.status, row.line);
        if let Some(report) = &mut self.report {
            if let Err(e) = report.write(row) {
                let message = format!("cannot write the report {}: {e}", report.path().display());
                self.halt.get_or_insert(Halt::ReportLost(message));
            }
        }
        progress.row_done(self.tally.failed + self.tally.unknown + self.tally.malformed);
        if matches!(
            row.status,
            Status::Failed | Status::Malformed | Status::Unknown
        ) {
            if context.json {
                let line = report::json_line(context.columns, row).unwrap_or_default();
                progress.note(String::from_utf8_lossy(&line).trim_end());
            } else {
                progress.note(format_args!(
                    "line {}: {} {}: {}",
                    row.line,
                    row.status.as_str(),
                    row.error_code,
                    row.error_message
                ));
            }
        }
    }
}

fn lock(shared: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A row on its way to a worker.
struct Started<T> {
    line: u64,
    fields: Vec<String>,
    item: T,
    recheck: bool,
}

/// The rows as the workers take them: malformed rows and rows the resumed
/// report marks `ok` are recorded here and never reach a worker; nothing
/// is taken once the job is told to stop.
struct Feed<'a, I> {
    rows: I,
    shared: &'a Mutex<Shared>,
    resume: Option<&'a Resume>,
    interrupt: &'a Interrupt,
    context: &'a Context,
    progress: &'a Progress,
}

impl<I, T> Feed<'_, I>
where
    I: Iterator<Item = Row<T>>,
{
    fn stopping(&self) -> bool {
        self.interrupt.signal().is_some() || lock(self.shared).halt.is_some()
    }

    /// Records the row if it does not go to a worker; hands it over
    /// otherwise. `running`: false once the job stopped, so that every row
    /// left is recorded as not started.
    fn sort(&self, row: Row<T>, running: bool) -> Option<Started<T>> {
        let verdict = self
            .resume
            .map_or(Verdict::Run { recheck: false }, |r| r.verdict(row.line));
        let mut shared = lock(self.shared);
        let (status, message) = match (verdict, row.item) {
            (Verdict::Skip, _) => {
                shared.tally.skipped += 1;
                self.progress.row_done(0);
                return None;
            }
            (_, Err(why)) => (Status::Malformed, why),
            (Verdict::Run { recheck }, Ok(item)) if running => {
                shared.in_flight.insert(row.line, row.fields.clone());
                return Some(Started {
                    line: row.line,
                    fields: row.fields,
                    item,
                    recheck,
                });
            }
            // An earlier run may have done it, and this one did not look:
            // still unknown, so a later resume checks before repeating it.
            (Verdict::Run { recheck: true }, Ok(_)) => (
                Status::Unknown,
                "not run: the job stopped first, and an earlier run may have done it".into(),
            ),
            (Verdict::Run { recheck: false }, Ok(_)) => (Status::NotStarted, String::new()),
        };
        let code = if status == Status::Malformed {
            "malformed"
        } else {
            ""
        };
        shared.record(
            self.context,
            self.progress,
            &ReportRow {
                line: row.line,
                fields: &row.fields,
                status,
                account_id: "",
                error_code: code,
                error_message: &message,
            },
        );
        None
    }

    /// Records every row never read as not started.
    fn drain(&mut self) {
        while let Some(row) = self.rows.next() {
            self.sort(row, false);
            if lock(self.shared).over {
                return;
            }
        }
    }
}

impl<I, T> Iterator for Feed<'_, I>
where
    I: Iterator<Item = Row<T>>,
{
    type Item = Started<T>;

    fn next(&mut self) -> Option<Started<T>> {
        loop {
            if self.stopping() {
                return None;
            }
            let row = self.rows.next()?;
            if let Some(started) = self.sort(row, true) {
                return Some(started);
            }
        }
    }
}

/// Runs every row of a job: `report` is already created (with the rows
/// `resume` skips), the client authenticated. Prints the failed rows as
/// they come and the summary at the end, and returns the exit code.
pub fn run<J: Job>(
    client: &Client,
    job: &J,
    rows: impl Iterator<Item = Row<J::Item>> + Send,
    report: Option<Report>,
    resume: Option<Resume>,
    interrupt: &Interrupt,
    settings: Settings,
) -> Result<ExitCode, Failure> {
    check_concurrency(settings.concurrency)?;
    let context = Context {
        columns: job.columns(),
        done_word: job.done_word(),
        json: settings.json,
        resume_command: settings.resume_command,
    };
    let shared = Arc::new(Mutex::new(Shared {
        report,
        in_flight: BTreeMap::new(),
        tally: Tally::default(),
        halt: None,
        over: false,
    }));
    let progress = Progress::new();
    {
        let shared = Arc::clone(&shared);
        let context = context.clone();
        interrupt.on_second(move |signal| last_word(&shared, &context, signal));
    }
    let mut feed = Feed {
        rows,
        shared: &shared,
        resume: resume.as_ref(),
        interrupt,
        context: &context,
        progress: &progress,
    };
    let (stop_watch, watching) = mpsc::channel::<()>();
    std::thread::scope(|scope| {
        let shown = &progress;
        scope.spawn(move || shown.watch_pause(client, &watching));
        eiam::run_bulk(
            feed.by_ref(),
            settings.concurrency,
            |started: &Started<J::Item>| job.call(client, &started.item, started.recheck),
            |done: Finished<Started<J::Item>, RowResult>| {
                finish_row(&shared, &context, &progress, done)
            },
        );
        drop(stop_watch);
    });
    if feed.stopping() {
        feed.drain();
    }
    progress.finish();

    let mut state = lock(&shared);
    if state.over {
        // A second signal ended the report; its thread ends the process.
        drop(state);
        loop {
            std::thread::park();
        }
    }
    let unwritten = match state.report.as_mut() {
        Some(report) => report
            .finish()
            .err()
            .map(|e| format!("cannot write the report {}: {e}", report.path().display())),
        None => None,
    };
    state.over = true;
    interrupt.clear();
    let signal = interrupt.signal();
    print_summary(&state, &context, signal, false)?;
    let lost = match state.halt.take() {
        Some(Halt::ReportLost(message)) => Some(message),
        Some(Halt::Auth(e)) => return Err(Failure::Sdk(e)),
        None => unwritten,
    };
    if let Some(message) = lost {
        return Err(Failure::Unwritten(message));
    }
    if let Some(signal) = signal {
        return Ok(ExitCode::from(interrupt::exit_code(signal)));
    }
    let t = state.tally;
    Ok(if t.failed + t.malformed + t.unknown + t.not_started == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(exit::ROWS_FAILED)
    })
}

fn finish_row<T>(
    shared: &Mutex<Shared>,
    context: &Context,
    progress: &Progress,
    done: Finished<Started<T>, RowResult>,
) -> ControlFlow<()> {
    let started = done.item;
    let mut state = lock(shared);
    state.in_flight.remove(&started.line);
    let (status, account_id, code, message) = match &done.result {
        Ok(id) => (Status::Ok, id.as_str(), "", ""),
        Err(e) => (e.status, "", e.code.as_str(), e.message.as_str()),
    };
    state.record(
        context,
        progress,
        &ReportRow {
            line: started.line,
            fields: &started.fields,
            status,
            account_id,
            error_code: code,
            error_message: message,
        },
    );
    if let Err(RowError { auth: Some(e), .. }) = done.result {
        // Every later row would fail the same way.
        state.halt.get_or_insert(Halt::Auth(e));
    }
    if state.halt.is_some() || state.over {
        ControlFlow::Break(())
    } else {
        ControlFlow::Continue(())
    }
}

/// On a second signal: the calls in flight are `unknown`, the report is
/// put in place with what is known, the summary printed, and the process
/// ends.
fn last_word(shared: &Mutex<Shared>, context: &Context, signal: i32) {
    let code = i32::from(interrupt::exit_code(signal));
    let mut state = lock(shared);
    if state.over {
        std::process::exit(code);
    }
    let in_flight = std::mem::take(&mut state.in_flight);
    let progress = Progress::hidden();
    for (line, fields) in &in_flight {
        state.record(
            context,
            &progress,
            &ReportRow {
                line: *line,
                fields,
                status: Status::Unknown,
                account_id: "",
                error_code: "interrupted",
                error_message: "the job was stopped at once with this call in flight",
            },
        );
    }
    if let Some(report) = state.report.as_mut() {
        if let Err(e) = report.finish() {
            output::note(format_args!(
                "eiam: cannot write the report {}: {e}",
                report.path().display()
            ));
        }
    }
    state.over = true;
    let _ = print_summary(&state, context, Some(signal), true);
    // With the lock held, so no worker writes after the report is ended.
    std::process::exit(code);
}

fn print_summary(
    state: &Shared,
    context: &Context,
    signal: Option<i32>,
    at_once: bool,
) -> Result<(), Failure> {
    let t = state.tally;
    let interrupted = signal.map(interrupt::name);
    let not_started = match t.first_not_started {
        Some(line) => format!(
            "{} rows were not started (from line {line} on)",
            t.not_started
        ),
        None => "no row was left unstarted".to_owned(),
    };
    if let Some(name) = interrupted {
        let how = if at_once {
            "stopped at once: the calls in flight are marked unknown"
        } else {
            "the calls in flight finished"
        };
        output::note(format_args!(
            "eiam: interrupted by {name} ({how}); {not_started}"
        ));
    } else if let Some(Halt::Auth(_)) = &state.halt {
        output::note(format_args!(
            "eiam: stopped after an authentication failure: {not_started}"
        ));
    } else if let Some(Halt::ReportLost(_)) = &state.halt {
        output::note(format_args!(
            "eiam: stopped because the report could not be written: {not_started}"
        ));
    }
    let stopped_early = interrupted.is_some() || state.halt.is_some();
    if stopped_early {
        match (&context.resume_command, &state.report) {
            (Some(command), Some(_)) => output::note(format_args!("eiam: to resume: {command}")),
            _ => output::note("eiam: no --report was written, so there is nothing to resume from"),
        }
    }
    if context.json {
        output::line(serde_json::json!({
            "rows": t.rows(),
            "ok": t.ok,
            "failed": t.failed,
            "malformed": t.malformed,
            "unknown": t.unknown,
            "not_started": t.not_started,
            "skipped": t.skipped,
            "interrupted": interrupted,
        }))
    } else {
        let skipped = if t.skipped > 0 {
            format!(", {} skipped (ok in the resumed report)", t.skipped)
        } else {
            String::new()
        };
        output::line(format_args!(
            "{} rows: {} {}, {} failed, {} malformed, {} not started, {} unknown{skipped}",
            t.rows(),
            t.ok,
            context.done_word,
            t.failed,
            t.malformed,
            t.not_started,
            t.unknown
        ))
    }
}
