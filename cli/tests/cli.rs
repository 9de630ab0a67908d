//! The `eiam` binary end to end against the embedded mock server.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use eiam_mock::{Fault, MockServer};
use serde_json::Value;

mod common;
use common::{eiam, run, run_into_closed_pipe, run_with_stdin};

/// A CSV of one row that binds `lisi` as owner of `demo-app/pub-2`.
const ONE_ROW: &str = "app_id,app_user_id,user_name\ndemo-app,pub-2,lisi\n";

fn temp_file(name: &str, content: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("eiam-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

#[test]
fn owner_get_prints_text_and_json() {
    let mock = MockServer::start().unwrap();
    let (code, out, _) = run(eiam(&mock).args(["owner", "get", "demo-app", "pub-1"]));
    assert_eq!(code, 0);
    assert_eq!(
        out.trim(),
        "demo-app/pub-1 is owned by zhangsan (user id 20220331164602949-904C-D475B60AE)"
    );
    let (code, out, _) = run(eiam(&mock).args(["--json", "owner", "get", "demo-app", "pub-1"]));
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["user_name"], "zhangsan");
    assert_eq!(v["disabled"], false);
}

#[test]
fn owner_bind_changes_the_owner() {
    let mock = MockServer::start().unwrap();
    let (code, out, _) =
        run(eiam(&mock).args(["owner", "bind", "demo-app", "pub-2", "lisi", "--json"]));
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["account_id"], "pub-2");
    assert_eq!(mock.owner_of("demo-app", "pub-2").as_deref(), Some("lisi"));
}

#[test]
fn each_kind_of_failure_has_its_exit_code() {
    let mock = MockServer::start().unwrap();
    // invalid input: an empty id, checked before any request
    let (code, _, err) = run(eiam(&mock).args(["owner", "get", "", "pub-1"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("APP.0006"), "{err}");
    // invalid input: no base URL
    let (code, _, err) = run(eiam(&mock)
        .env_remove("EIAM_BASE_URL")
        .args(["owner", "get", "a", "b"]));
    assert_eq!(code, 2);
    assert!(err.contains("EIAM_BASE_URL"), "{err}");
    // API error, with --json on stderr
    let (code, _, err) = run(eiam(&mock).args(["--json", "owner", "get", "nope", "pub-1"]));
    assert_eq!(code, 3);
    let v: Value = serde_json::from_str(&err).unwrap();
    assert_eq!(
        (v["code"].as_str(), v["http_status"].as_u64()),
        (Some("APP.0001"), Some(400))
    );
    // auth error
    let (code, _, err) = run(eiam(&mock)
        .env("EIAM_CLIENT_SECRET", "wrong-one")
        .args(["owner", "get", "demo-app", "pub-1"]));
    assert_eq!(code, 4);
    assert!(!err.contains("wrong-one"), "{err}");
    // transport error
    let (code, _, _) = run(eiam(&mock)
        .env("EIAM_BASE_URL", "http://127.0.0.1:1")
        .args(["--max-retries", "0", "owner", "get", "a", "b"]));
    assert_eq!(code, 5);
    // timeout
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let (code, _, _) = run(eiam(&mock)
        .env(
            "EIAM_BASE_URL",
            format!("http://{}", silent.local_addr().unwrap()),
        )
        .args(["--timeout", "0.3", "owner", "get", "a", "b"]));
    assert_eq!(code, 6);
    // protocol error
    mock.inject(Fault::status(200).body("<html>oops</html>"));
    let (code, _, _) =
        run(eiam(&mock).args(["--max-retries", "0", "owner", "get", "demo-app", "pub-1"]));
    assert_eq!(code, 7);
}

#[test]
fn a_secret_given_as_a_flag_is_warned_about_and_never_echoed() {
    let mock = MockServer::start().unwrap();
    let (code, out, err) = run(eiam(&mock).env_remove("EIAM_CLIENT_SECRET").args([
        "--client-secret",
        "demo-secret",
        "owner",
        "get",
        "demo-app",
        "pub-1",
    ]));
    assert_eq!(code, 0);
    assert!(err.contains("warning: --client-secret"), "{err}");
    assert!(!out.contains("demo-secret") && !err.contains("demo-secret"));
    let (_, _, err) = run(eiam(&mock).args(["owner", "get", "demo-app", "pub-1"]));
    assert!(
        !err.contains("warning"),
        "no warning for the environment: {err}"
    );
}

const CSV: &str = "\
app_id,app_user_id,user_name
demo-app,pub-1,lisi
demo-app,no-such-account,zhangsan
demo-app,pub-2
demo-app,pub-2,cq04130006
demo-app,pub-1,nobody
";

#[test]
fn bind_many_reports_every_row() {
    let mock = MockServer::start().unwrap();
    let input = temp_file("rows.csv", CSV);
    let report = input.with_file_name("report.csv");
    let (code, out, err) = run(eiam(&mock).args([
        "owner",
        "bind-many",
        input.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
        "--concurrency",
        "3",
    ]));
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("5 rows: 2 bound, 2 failed, 1 malformed"),
        "{out}"
    );
    assert!(err.contains("line 4: malformed"), "{err}");
    let mut reader = csv::Reader::from_path(&report).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // Rows go in as their results come; sorted here by line.
    let mut summary: Vec<(&str, &str, &str)> = rows.iter().map(|r| (&r[0], &r[4], &r[6])).collect();
    summary.sort();
    assert_eq!(
        summary,
        [
            ("2", "ok", ""),
            ("3", "failed", "APP.ACCOUNT.0038"),
            ("4", "malformed", "malformed"),
            ("5", "ok", ""),
            ("6", "failed", "APP.ACCOUNT.0037"),
        ]
    );
    assert!(rows.iter().any(|r| &r[0] == "2" && &r[5] == "pub-1"));
    assert_eq!(
        mock.owner_of("demo-app", "pub-2").as_deref(),
        Some("cq04130006")
    );
}

#[test]
fn bind_many_reads_stdin_and_writes_json_lines() {
    let mock = MockServer::start().unwrap();
    let report = temp_file("placeholder", "").with_file_name("report.jsonl");
    let (code, out, err) = run_with_stdin(
        eiam(&mock).args([
            "--json",
            "owner",
            "bind-many",
            "-",
            "--report",
            report.to_str().unwrap(),
        ]),
        "user_name,app_id,app_user_id\nlisi,demo-app,pub-2\n",
    );
    assert_eq!(code, 0, "{err}");
    let summary: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        summary,
        serde_json::json!({
            "rows": 1, "ok": 1, "failed": 0, "malformed": 0, "unknown": 0,
            "not_started": 0, "skipped": 0, "interrupted": null
        })
    );
    let lines = std::fs::read_to_string(&report).unwrap();
    let row: Value = serde_json::from_str(lines.lines().next().unwrap()).unwrap();
    assert_eq!(
        (row["line"].as_u64(), row["status"].as_str()),
        (Some(2), Some("ok"))
    );
    assert_eq!(mock.owner_of("demo-app", "pub-2").as_deref(), Some("lisi"));
}

#[test]
fn bind_many_refuses_a_file_without_the_columns() {
    let mock = MockServer::start().unwrap();
    let input = temp_file("bad-header.csv", "a,b,c\n1,2,3\n");
    let (code, _, err) = run(eiam(&mock).args(["owner", "bind-many", input.to_str().unwrap()]));
    assert_eq!(code, 2);
    assert!(err.contains("app_id"), "{err}");
    assert_eq!(mock.stats().requests, 0);
}

#[test]
fn demo_walks_through_every_step() {
    let (code, out, err) = run(Command::new(env!("CARGO_BIN_EXE_eiam"))
        .env_clear()
        .arg("demo"));
    assert_eq!(code, 0, "{err}");
    for step in [
        "1. Get an access token",
        "2. Bind",
        "3. Query",
        "4. Bulk bind",
        "APP.ACCOUNT.0038",
        "demo complete: 1 token request",
    ] {
        assert!(out.contains(step), "missing {step:?} in:\n{out}");
    }
}

#[test]
fn mock_serves_in_the_foreground_and_prints_its_settings() {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_eiam"))
        .args(["mock", "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut settings = std::collections::HashMap::new();
    for _ in 0..4 {
        let line = lines.next().unwrap().unwrap();
        if let Some((k, v)) = line.split_once('=') {
            settings.insert(k.to_owned(), v.to_owned());
        }
    }
    let url = settings["EIAM_BASE_URL"].clone();
    // The printed settings are enough to use it.
    let (code, out, err) = run(Command::new(env!("CARGO_BIN_EXE_eiam"))
        .env_clear()
        .env("EIAM_BASE_URL", &url)
        .env("EIAM_CLIENT_ID", &settings["EIAM_CLIENT_ID"])
        .env("EIAM_CLIENT_SECRET", &settings["EIAM_CLIENT_SECRET"])
        .args(["owner", "get", "demo-app", "pub-1"]));
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("zhangsan"), "{out}");
}

/// Runs `bind-many` on `content` with a report and returns the exit code,
/// stderr and the report's (line, status) pairs.
fn bind_many_report(name: &str, content: &str) -> (i32, String, Vec<(u64, String)>) {
    let mock = MockServer::start().unwrap();
    let input = temp_file(name, content);
    let report = input.with_file_name("report.jsonl");
    let (code, _, err) = run(eiam(&mock).args([
        "owner",
        "bind-many",
        input.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]));
    let mut rows: Vec<(u64, String)> = std::fs::read_to_string(&report)
        .unwrap_or_default()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["line"].as_u64().unwrap(),
                v["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // Rows go in as their results come.
    rows.sort();
    (code, err, rows)
}

fn lines_of(rows: &[(u64, String)]) -> Vec<u64> {
    rows.iter().map(|(line, _)| *line).collect()
}

/// Polls `condition` (a state of another process, seen through the mock)
/// until it holds; fails the test after 20 s.
fn wait_until(what: &str, condition: impl Fn() -> bool) {
    let start = std::time::Instant::now();
    while !condition() {
        assert!(start.elapsed().as_secs() < 20, "timed out waiting: {what}");
        std::thread::yield_now();
    }
}

#[test]
fn bind_many_marks_an_unterminated_quote_malformed_with_its_line() {
    let mock = MockServer::start().unwrap();
    let input = temp_file(
        "unterminated.csv",
        "app_id,app_user_id,user_name\n\
         demo-app,pub-1,\"lisi\n\
         demo-app,pub-2,zhangsan\n\
         demo-app,pub-1,zhangsan\n",
    );
    let (code, out, err) = run(eiam(&mock).args(["owner", "bind-many", input.to_str().unwrap()]));
    // Read as it goes, the file is known to end inside quotes only at its
    // end: the record swallowed every line after it, and is malformed.
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("1 rows: 0 bound, 0 failed, 1 malformed"),
        "{out}"
    );
    assert!(
        err.contains("line 2: malformed") && err.contains("quote"),
        "{err}"
    );
    assert_eq!(mock.stats().api_requests, 0, "nothing may run: {out}");
}

#[test]
fn bind_many_reports_the_physical_line_where_each_record_starts() {
    // CRLF line ends
    let (_, err, rows) = bind_many_report(
        "crlf.csv",
        "app_id,app_user_id,user_name\r\ndemo-app,pub-1,lisi\r\ndemo-app,pub-2\r\n",
    );
    assert_eq!(lines_of(&rows), [2, 3], "{err}");
    assert!(err.contains("line 3: malformed"), "{err}");
    // blank lines between the rows, and before the header
    let (_, err, rows) = bind_many_report(
        "blank.csv",
        "\napp_id,app_user_id,user_name\ndemo-app,pub-1,lisi\n\ndemo-app,pub-2\n\n\r\n\ndemo-app,pub-1\n",
    );
    assert_eq!(lines_of(&rows), [3, 5, 9], "{err}");
    // a quoted field across two lines: the record starts on the first
    let (_, err, rows) = bind_many_report(
        "quoted.csv",
        "app_id,app_user_id,user_name\ndemo-app,pub-1,\"li\nsi\"\ndemo-app,pub-2\n",
    );
    assert_eq!(lines_of(&rows), [2, 4], "{err}");
    assert_eq!(rows[0].1, "failed", "the name holds a newline: {err}");
}

#[test]
fn bind_many_checks_the_report_can_be_written_before_any_call() {
    let mock = MockServer::start().unwrap();
    let input = temp_file("unwritable.csv", ONE_ROW);
    for report in [
        input.with_file_name("no-such-dir").join("r.csv"),
        input.parent().unwrap().to_path_buf(),
    ] {
        let (code, out, err) = run(eiam(&mock).args([
            "owner",
            "bind-many",
            input.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
        ]));
        assert_eq!(code, 2, "{out}{err}");
        assert!(err.contains("report"), "{err}");
        assert_eq!(mock.stats().requests, 0, "nothing may run: {out}");
    }
    assert_eq!(mock.owner_of("demo-app", "pub-2"), None);
}

#[test]
fn bind_many_prints_the_results_when_the_report_fails_at_the_end() {
    let mock = MockServer::start().unwrap();
    let input = temp_file(
        "late.csv",
        "app_id,app_user_id,user_name\ndemo-app,pub-2\ndemo-app,pub-2,lisi\n",
    );
    let dir = input.parent().unwrap().to_path_buf();
    let report = dir.join("late-report.csv");
    // The bind is held by the mock until the mock stops.
    mock.inject(Fault::delay(std::time::Duration::from_secs(600)));
    let child = eiam(&mock)
        .args([
            "--max-retries",
            "0",
            "owner",
            "bind-many",
            input.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_until("the bind reaches the mock", || mock.stats().in_flight == 1);
    // Writable when the job started; a directory by the time it ends.
    std::fs::create_dir(&report).unwrap();
    drop(mock);
    let output = child.wait_with_output().unwrap();
    let (out, err) = (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    );
    assert_eq!(output.status.code(), Some(9), "{out}{err}");
    assert!(
        out.contains("2 rows:") && out.contains("1 malformed"),
        "{out}"
    );
    assert!(err.contains("line 2: malformed"), "{err}");
    // The connection dropped after the bind was sent: it may have happened.
    assert!(err.contains("line 3: unknown"), "{err}");
    assert!(err.contains("cannot write the report"), "{err}");
    let mut left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["late-report.csv", "late.csv"],
        "no temporary file left"
    );
}

#[test]
fn bind_many_refuses_a_report_that_names_the_input() {
    let mock = MockServer::start().unwrap();
    let content = ONE_ROW;
    let input = temp_file("same.csv", content);
    let dir = input.parent().unwrap();
    let hard_link = dir.join("hard-link.csv");
    let _ = std::fs::remove_file(&hard_link);
    std::fs::hard_link(&input, &hard_link).unwrap();
    for report in [
        input.clone(),
        dir.join(".").join("same.csv"),
        hard_link.clone(),
    ] {
        let (code, out, err) = run(eiam(&mock).args([
            "owner",
            "bind-many",
            input.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
        ]));
        assert_eq!(code, 2, "{}: {out}{err}", report.display());
        assert!(err.contains("input"), "{err}");
        assert_eq!(std::fs::read_to_string(&input).unwrap(), content);
    }
    // the same through standard input
    let (code, _, err) = run(eiam(&mock)
        .args([
            "owner",
            "bind-many",
            "-",
            "--report",
            input.to_str().unwrap(),
        ])
        .stdin(std::fs::File::open(&input).unwrap()));
    assert_eq!(code, 2, "{err}");
    assert_eq!(std::fs::read_to_string(&input).unwrap(), content);
    assert_eq!(mock.stats().requests, 0);
}

#[test]
fn a_job_that_stops_early_leaves_an_existing_report_alone() {
    let mock = MockServer::start().unwrap();
    let input = temp_file("keep.csv", ONE_ROW);
    let report = input.with_file_name("keep-report.csv");
    std::fs::write(&report, "the previous report\n").unwrap();
    let (code, _, err) = run(eiam(&mock).env("EIAM_CLIENT_SECRET", "wrong-one").args([
        "owner",
        "bind-many",
        input.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]));
    assert_eq!(code, 4, "{err}");
    assert_eq!(
        std::fs::read_to_string(&report).unwrap(),
        "the previous report\n"
    );
    assert_eq!(
        std::fs::read_dir(input.parent().unwrap()).unwrap().count(),
        2,
        "no temporary file left"
    );
}

#[test]
fn bind_many_refuses_a_concurrency_above_the_cap() {
    let mock = MockServer::start().unwrap();
    let input = temp_file("cap.csv", ONE_ROW);
    let file = input.to_str().unwrap();
    let (code, out, err) =
        run(eiam(&mock).args(["owner", "bind-many", file, "--concurrency", "65"]));
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("--concurrency") && err.contains("64"), "{err}");
    assert_eq!(mock.stats().requests, 0);
    for accepted in ["64", "0"] {
        let (code, out, err) =
            run(eiam(&mock).args(["owner", "bind-many", file, "--concurrency", accepted]));
        assert_eq!(code, 0, "--concurrency {accepted}: {out}{err}");
    }
}

#[test]
fn a_closed_stdout_ends_quietly_with_141() {
    let mock = MockServer::start().unwrap();
    let input = temp_file("epipe.csv", ONE_ROW);
    let file = input.to_str().unwrap();
    let commands: [&[&str]; 4] = [
        &["owner", "get", "demo-app", "pub-1"],
        &["--json", "owner", "get", "demo-app", "pub-1"],
        &["owner", "bind-many", file],
        &["--json", "owner", "bind-many", file],
    ];
    for args in commands {
        let (code, out, err) = run_into_closed_pipe(eiam(&mock).args(args));
        assert_eq!(
            (code, out.as_str(), err.as_str()),
            (141, "", ""),
            "{args:?}"
        );
    }
}

#[test]
fn bind_many_with_bad_credentials_stops_before_any_row() {
    let mock = MockServer::start().unwrap();
    let mut csv = String::from("app_id,app_user_id,user_name\n");
    for _ in 0..200 {
        csv.push_str("demo-app,pub-2,lisi\n");
    }
    let input = temp_file("bad-secret.csv", &csv);
    let (code, out, err) = run(eiam(&mock).env("EIAM_CLIENT_SECRET", "wrong-one").args([
        "owner",
        "bind-many",
        input.to_str().unwrap(),
    ]));
    assert_eq!(code, 4, "{out}{err}");
    assert!(!err.contains("wrong-one"), "{err}");
    let stats = mock.stats();
    assert_eq!((stats.token_requests, stats.api_requests), (1, 0));
    let (code, out, err) = run(eiam(&mock)
        .env("EIAM_BASE_URL", "http://127.0.0.1:1")
        .args([
            "--max-retries",
            "0",
            "owner",
            "bind-many",
            input.to_str().unwrap(),
        ]));
    assert_eq!(code, 5, "{out}{err}");
    assert!(!out.contains("200 rows"), "no row may run: {out}");
}

#[test]
fn an_auth_failure_mid_job_stops_the_job() {
    use eiam_mock::FaultTarget;
    let mock = MockServer::start().unwrap();
    let mut csv = String::from("app_id,app_user_id,user_name\n");
    for _ in 0..10 {
        csv.push_str("demo-app,pub-2,cq04130006\n");
    }
    let input = temp_file("revoked.csv", &csv);
    let report = input.with_file_name("revoked-report.csv");
    // One good token, three good binds; then the fourth bind's token is
    // rejected and the credentials no longer get a new one.
    let normal = Fault::delay(std::time::Duration::ZERO);
    mock.inject(normal.clone().target(FaultTarget::Token));
    mock.inject(normal.times(3));
    mock.inject(Fault::status(401));
    mock.inject(Fault::status(401).target(FaultTarget::Token).times(1000));
    let (code, out, err) = run(eiam(&mock).args([
        "owner",
        "bind-many",
        input.to_str().unwrap(),
        "--concurrency",
        "1",
        "--report",
        report.to_str().unwrap(),
    ]));
    assert_eq!(code, 4, "{out}{err}");
    assert!(
        out.contains("10 rows: 3 bound, 1 failed, 0 malformed, 6 not started"),
        "{out}"
    );
    assert!(err.contains("stopped") && err.contains("line 6"), "{err}");
    let stats = mock.stats();
    assert_eq!(stats.api_requests, 4, "{stats:?}");
    assert!(stats.token_requests <= 3, "{stats:?}");
    let mut reader = csv::Reader::from_path(&report).unwrap();
    let mut statuses: Vec<(u64, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].parse().unwrap(), r[4].to_owned())
        })
        .collect();
    statuses.sort();
    let expected: Vec<(u64, String)> = (2..=11)
        .map(|line| {
            let status = match line {
                2..=4 => "ok",
                5 => "failed",
                _ => "not_started",
            };
            (line, status.to_owned())
        })
        .collect();
    assert_eq!(statuses, expected);
}

#[test]
fn a_password_in_the_base_url_is_never_printed() {
    // The CLI prints no URL of its own; the core's messages must not show
    // user info either.
    let mock = MockServer::start().unwrap();
    let input = temp_file("url.csv", ONE_ROW);
    let commands: [&[&str]; 3] = [
        &["owner", "get", "demo-app", "pub-1"],
        &["--json", "owner", "get", "demo-app", "pub-1"],
        &["owner", "bind-many", input.to_str().unwrap()],
    ];
    let urls = [
        "http://u:hunter2pw@127.0.0.1:1",
        "http://127.0.0.1:1/?key=hunter2pw",
    ];
    for (url, args) in urls
        .iter()
        .flat_map(|u| commands.iter().map(move |c| (u, c)))
    {
        let (_, out, err) = run(eiam(&mock)
            .env("EIAM_BASE_URL", url)
            .args(["--max-retries", "0"])
            .args(*args));
        assert!(
            !out.contains("hunter2pw") && !err.contains("hunter2pw"),
            "{url} {args:?}: {out}{err}"
        );
    }
}

#[test]
fn an_absurd_timeout_is_invalid_input_naming_the_flag() {
    let mock = MockServer::start().unwrap();
    for timeout in ["1e19", "1e300", "inf", "NaN", "-1", "0", "90000"] {
        let (code, _, err) = run(eiam(&mock).args([
            &format!("--timeout={timeout}"),
            "owner",
            "get",
            "demo-app",
            "pub-1",
        ]));
        assert_eq!(code, 2, "--timeout {timeout}: {err}");
        assert!(err.contains("--timeout"), "{timeout}: {err}");
    }
    assert_eq!(mock.stats().requests, 0);
    let (code, _, err) =
        run(eiam(&mock).args(["--timeout=86400", "owner", "get", "demo-app", "pub-1"]));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_static_token_the_api_rejects_stops_the_job_at_its_first_row() {
    let mock = MockServer::start().unwrap();
    let mut csv = String::from("app_id,app_user_id,user_name\n");
    for _ in 0..5 {
        csv.push_str("demo-app,pub-2,cq04130006\n");
    }
    let input = temp_file("static-token.csv", &csv);
    let (code, out, err) = run(Command::new(env!("CARGO_BIN_EXE_eiam"))
        .env_clear()
        .env("EIAM_BASE_URL", mock.base_url())
        .env("EIAM_ACCESS_TOKEN", "not-a-token-the-mock-issued")
        .args([
            "owner",
            "bind-many",
            input.to_str().unwrap(),
            "--concurrency",
            "1",
        ]));
    assert_eq!(code, 4, "{out}{err}");
    assert!(
        out.contains("5 rows: 0 bound, 1 failed, 0 malformed, 4 not started"),
        "{out}"
    );
    assert_eq!(mock.stats().api_requests, 1);
}
