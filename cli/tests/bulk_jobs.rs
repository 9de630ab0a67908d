//! Bulk jobs end to end: a real `eiam` process, interrupted with real
//! signals, its report checked row by row against what the mock changed,
//! and resumed.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use eiam_mock::{CutPoint, Fault, MockConfig, MockServer};

mod common;
use common::{eiam, run};

const OWNER: &str = "cq04130006";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("eiam-bulk-jobs-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A mock answering each API call after `latency`, with public accounts
/// acct-0 .. acct-{n-1} in demo-app, and a bind-many input for them (row
/// i on line i + 2).
fn owners_job(dir: &Path, n: usize, latency: Duration) -> (MockServer, PathBuf) {
    let mock = MockServer::start_with(MockConfig {
        latency,
        ..MockConfig::default()
    })
    .unwrap();
    let mut csv = String::from("app_id,app_user_id,user_name\n");
    for i in 0..n {
        mock.add_public_account("demo-app", &format!("acct-{i}"));
        csv.push_str(&format!("demo-app,acct-{i},{OWNER}\n"));
    }
    let input = dir.join("owners.csv");
    std::fs::write(&input, csv).unwrap();
    (mock, input)
}

fn spawn(cmd: &mut Command) -> Child {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([format!("-{name}"), child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Polls `condition` (a state of another process, seen through the mock
/// or a file) until it holds; fails the test after 30 s.
fn wait_until(what: &str, condition: impl Fn() -> bool) {
    let start = Instant::now();
    while !condition() {
        assert!(start.elapsed().as_secs() < 30, "timed out waiting: {what}");
        std::thread::yield_now();
    }
}

/// The report's rows: line -> (the value of column `named`, status,
/// account_id).
fn report_rows_naming(report: &Path, named: usize) -> HashMap<u64, (String, String, String)> {
    let mut reader = csv::Reader::from_path(report).unwrap();
    let mut rows = HashMap::new();
    for record in reader.records() {
        let r = record.unwrap();
        let line: u64 = r[0].parse().unwrap();
        let n = r.len();
        let previous = rows.insert(
            line,
            (
                r[named].to_owned(),
                r[n - 4].to_owned(),
                r[n - 3].to_owned(),
            ),
        );
        assert!(previous.is_none(), "line {line} is in the report twice");
    }
    rows
}

/// The rows of an owner job's report, named by app_user_id.
fn report_rows(report: &Path) -> HashMap<u64, (String, String, String)> {
    report_rows_naming(report, 2)
}

/// Owner-bind requests the mock received, per public account.
fn binds_per_account(mock: &MockServer) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for request in mock.requests() {
        if request.method == "POST" && request.raw_path.ends_with("/owner") {
            let account = request
                .raw_path
                .rsplit('/')
                .nth(1)
                .unwrap_or_default()
                .to_owned();
            *counts.entry(account).or_insert(0) += 1;
        }
    }
    counts
}

/// Checks every row of an interrupted bind job against the mock: `ok`
/// rows were bound once, `not_started` rows never sent; returns the count
/// of each.
fn check_interrupted(mock: &MockServer, report: &Path, n: usize) -> (usize, usize) {
    let rows = report_rows(report);
    assert_eq!(rows.len(), n, "every input row is in the report");
    let binds = binds_per_account(mock);
    let (mut ok, mut not_started) = (0, 0);
    for i in 0..n {
        let account = format!("acct-{i}");
        let (named, status, account_id) = &rows[&(i as u64 + 2)];
        assert_eq!(named, &account);
        let owner = mock.owner_of("demo-app", &account);
        match status.as_str() {
            "ok" => {
                ok += 1;
                assert_eq!(owner.as_deref(), Some(OWNER), "{account}");
                assert_eq!(account_id, &account);
                assert_eq!(binds.get(&account), Some(&1), "{account}");
            }
            "not_started" => {
                not_started += 1;
                assert_eq!(owner, None, "{account} is marked not started");
                assert_eq!(binds.get(&account), None, "{account}");
            }
            other => panic!("{account}: unexpected status {other}"),
        }
    }
    (ok, not_started)
}

/// The `eiam: to resume: ...` command a stopped job printed.
fn resume_command(stderr: &str) -> String {
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("eiam: to resume: "))
        .unwrap_or_else(|| panic!("no resume command in: {stderr}"))
        .to_owned()
}

/// Runs a printed command line with a shell, in the environment of
/// [`eiam`].
fn run_shell(mock: &MockServer, command: &str) -> (i32, String, String) {
    let template = eiam(mock);
    let mut shell = Command::new("sh");
    shell.env_clear().arg("-c").arg(command);
    for (key, value) in template.get_envs() {
        if let Some(value) = value {
            shell.env(key, value);
        }
    }
    run(&mut shell)
}

fn interrupted_then_resumed(signal_name: &str, exit_code: i32) {
    let dir = scratch(signal_name);
    // Both runs' requests fit in what the mock records (1,000).
    let n = 400;
    let (mock, input) = owners_job(&dir, n, Duration::from_millis(20));
    let report = dir.join("report.csv");
    let child = spawn(eiam(&mock).args([
        "owner",
        "bind-many",
        input.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
        "--concurrency",
        "4",
    ]));
    wait_until("some binds", || mock.stats().api_requests >= 20);
    signal(&child, signal_name);
    let output = child.wait_with_output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    );
    assert_eq!(output.status.code(), Some(exit_code), "{stdout}{stderr}");
    assert!(
        stderr.contains(&format!("interrupted by SIG{signal_name}")),
        "{stderr}"
    );
    let (ok, not_started) = check_interrupted(&mock, &report, n);
    assert!(
        ok >= 20 && not_started > 0,
        "{ok} ok, {not_started} not started"
    );
    assert!(
        stdout.contains(&format!("{ok} bound"))
            && stdout.contains(&format!("{not_started} not started")),
        "{stdout}"
    );

    // The printed command resumes the job: only the rows not done run.
    let (code, out, err) = run_shell(&mock, &resume_command(&stderr));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(&format!("{ok} skipped")), "{out}");
    let binds = binds_per_account(&mock);
    for i in 0..n {
        let account = format!("acct-{i}");
        assert_eq!(binds.get(&account), Some(&1), "{account} bound once");
        assert_eq!(mock.owner_of("demo-app", &account).as_deref(), Some(OWNER));
    }
    let rows = report_rows(&report);
    assert_eq!(rows.len(), n);
    assert!(rows.values().all(|(_, status, _)| status == "ok"));
}

#[test]
fn sigint_stops_the_job_truthfully_and_the_resume_repeats_no_ok_row() {
    interrupted_then_resumed("INT", 130);
}

#[test]
fn sigterm_stops_the_job_the_same_way_with_143() {
    interrupted_then_resumed("TERM", 143);
}

#[test]
fn a_second_signal_exits_at_once_and_marks_the_calls_in_flight_unknown() {
    let dir = scratch("twice");
    let n = 1000;
    let concurrency: u64 = 4;
    let (mock, input) = owners_job(&dir, n, Duration::ZERO);
    let report = dir.join("report.csv");
    // The first 20 binds are answered; every later one hangs far longer
    // than the test runs.
    let answered = 20;
    mock.inject(Fault::delay(Duration::ZERO).times(answered));
    mock.inject(Fault::delay(Duration::from_secs(120)).times(100_000));
    let mut child = spawn(eiam(&mock).args([
        "owner",
        "bind-many",
        input.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
        "--concurrency",
        &concurrency.to_string(),
    ]));
    wait_until("every worker stuck", || {
        binds_per_account(&mock).values().sum::<usize>() as u64 >= answered as u64 + concurrency
    });
    signal(&child, "INT");
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    while !seen.contains("starting nothing more") {
        assert!(stderr.read_line(&mut seen).unwrap() > 0, "{seen}");
    }
    signal(&child, "INT");
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{seen}");
    assert!(
        mock.stats().in_flight > 0,
        "the process did not wait for the calls in flight"
    );

    let rows = report_rows(&report);
    let binds = binds_per_account(&mock);
    let mut unknown = Vec::new();
    for (line, (account, status, _)) in &rows {
        assert_eq!(account, &format!("acct-{}", line - 2));
        let owner = mock.owner_of("demo-app", account);
        match status.as_str() {
            "ok" => assert_eq!(owner.as_deref(), Some(OWNER), "{account}"),
            "not_started" => assert_eq!(binds.get(account), None, "{account}"),
            "unknown" => unknown.push(account.clone()),
            other => panic!("{account}: unexpected status {other}"),
        }
    }
    assert_eq!(unknown.len() as u64, concurrency, "{unknown:?}");
    let ok = rows.values().filter(|r| r.1 == "ok").count();
    assert_eq!(ok, answered, "every answered bind is ok");
    // Every account a call reached is in the report as ok or unknown.
    for account in binds.keys() {
        let line = account.trim_start_matches("acct-").parse::<u64>().unwrap() + 2;
        let status = rows.get(&line).map(|r| r.1.as_str());
        assert!(
            matches!(status, Some("ok" | "unknown")),
            "{account} was sent but is {status:?}"
        );
    }
}

#[test]
fn a_resume_refuses_an_input_edited_since_its_report() {
    let dir = scratch("edited");
    let (mock, input) = owners_job(&dir, 5, Duration::ZERO);
    let report = dir.join("report.jsonl");
    let args = |extra: &[&str]| {
        let mut cmd = eiam(&mock);
        cmd.args([
            "owner",
            "bind-many",
            input.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
        ])
        .args(extra);
        cmd
    };
    let (code, out, err) = run(&mut args(&[]));
    assert_eq!(code, 0, "{out}{err}");
    let before = mock.stats().api_requests;
    let original = std::fs::read_to_string(&input).unwrap();

    std::fs::write(&input, original.replace("acct-3,", "acct-33,")).unwrap();
    let (code, _, err) = run(&mut args(&["--resume", report.to_str().unwrap()]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("line 5") && err.contains("edited"), "{err}");

    let shorter: String = original.lines().take(3).map(|l| format!("{l}\n")).collect();
    std::fs::write(&input, shorter).unwrap();
    let (code, _, err) = run(&mut args(&["--resume", report.to_str().unwrap()]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("line 4") && err.contains("edited"), "{err}");
    assert_eq!(mock.stats().api_requests, before, "nothing may run");

    std::fs::write(&input, &original).unwrap();
    let (code, out, err) = run(&mut args(&["--resume", report.to_str().unwrap()]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("5 skipped"), "{out}");
    assert_eq!(mock.stats().api_requests, before, "every row was ok");
}

#[test]
fn a_resumed_create_many_never_creates_an_account_twice() {
    let dir = scratch("create");
    let mock = MockServer::start().unwrap();
    let password = "Pa55-w0rd-never-shown";
    let mut csv = String::from("app_id,account_type,account_name,name,password\n");
    for i in 0..6 {
        csv.push_str(&format!(
            "demo-app,ORPHAN_ACCOUNT,svc-{i},Service {i},{password}\n"
        ));
    }
    let input = dir.join("accounts.csv");
    std::fs::write(&input, csv).unwrap();
    let report = dir.join("created.csv");
    let before = mock.account_count("demo-app");
    // The first two creates happen, but their answers are lost.
    mock.inject(Fault::reset(CutPoint::BeforeStatusLine).times(2));
    let create = |extra: &[&str]| {
        let mut cmd = eiam(&mock);
        cmd.args([
            "account",
            "create-many",
            input.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
            "--concurrency",
            "1",
        ])
        .args(extra);
        run(&mut cmd)
    };
    let (code, out, err) = create(&[]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("4 created") && out.contains("2 unknown"),
        "{out}"
    );
    assert_eq!(mock.account_count("demo-app"), before + 6);
    let first = std::fs::read_to_string(&report).unwrap();
    // line,app_id,account_type,account_name,...
    let unknown: Vec<String> = report_rows_naming(&report, 3)
        .into_values()
        .filter(|(_, status, _)| status == "unknown")
        .map(|(name, _, _)| name)
        .collect();
    assert_eq!(unknown.len(), 2, "{first}");

    let (code, out, err) = create(&["--resume", report.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        mock.account_count("demo-app"),
        before + 6,
        "the unknown rows were found, not created again"
    );
    let rows = report_rows_naming(&report, 3);
    assert_eq!(rows.len(), 6);
    for (_, status, id) in rows.values() {
        assert_eq!(status, "ok");
        assert!(mock.password_is("demo-app", id, password), "{id}");
    }
    let second = std::fs::read_to_string(&report).unwrap();
    for text in [&first, &second, &out, &err] {
        assert!(!text.contains(password), "the password leaked: {text}");
    }
}
