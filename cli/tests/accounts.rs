//! `eiam account`, `eiam public-account users` and `eiam request` end to
//! end against the embedded mock server.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use eiam_mock::{AccountType, Fault, MockServer, NewAccount};
use serde_json::{json, Value};

mod common;
use common::{eiam, run, run_into_closed_pipe, run_with_stdin};

/// zhangsan's user id in the demo data.
const ZHANGSAN_ID: &str = "20220331164602949-904C-D475B60AE";
/// The id of the application organization `sales`.
const SALES_ORG_ID: &str = "20220401000000002-0A0A-000000002";

fn json_lines(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
        .collect()
}

#[test]
fn create_makes_each_type_and_prints_its_id() {
    let mock = MockServer::start().unwrap();
    // public: the id alone, so `id=$(eiam account create ...)` works
    let (code, out, err) =
        run(eiam(&mock).args(["account", "create", "public", "demo-app", "shared"]));
    assert_eq!(code, 0, "{err}");
    let id = out.trim();
    assert_eq!(out.lines().count(), 1, "{out}");
    let info = mock.account("demo-app", id).expect("created");
    assert_eq!(
        (info.account_type, info.account_name.as_str()),
        (AccountType::Public, "shared")
    );
    // basic: the user id is positional, the account name optional
    let (code, out, err) = run(eiam(&mock).args([
        "--json",
        "account",
        "create",
        "basic",
        "demo-app",
        ZHANGSAN_ID,
        "--account-name",
        "zs",
    ]));
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let id = v["account_id"].as_str().unwrap();
    assert_eq!(v, json!({"account_id": id}));
    let info = mock.account("demo-app", id).unwrap();
    assert_eq!(info.account_type, AccountType::Basic);
    assert_eq!(
        (info.user_id.as_deref(), info.account_name.as_str()),
        (Some(ZHANGSAN_ID), "zs")
    );
    // orphan, with every field flag
    let (code, out, err) = run(eiam(&mock).args([
        "account",
        "create",
        "orphan",
        "demo-app",
        "robot",
        "--name",
        "机器人",
        "--org-code",
        "sales",
        "--disabled",
        "true",
    ]));
    assert_eq!(code, 0, "{err}");
    let info = mock.account("demo-app", out.trim()).unwrap();
    assert_eq!(info.account_type, AccountType::Orphan);
    assert_eq!(info.name.as_deref(), Some("机器人"));
    assert_eq!(info.org_id.as_deref(), Some(SALES_ORG_ID));
    assert!(info.disabled && !info.has_password);
    // an unknown organization is the service's error
    let (code, _, err) = run(eiam(&mock).args([
        "account",
        "create",
        "orphan",
        "demo-app",
        "x",
        "--org-code",
        "nope",
    ]));
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("APP.ORG.0024"), "{err}");
    // --disabled takes true or false, nothing else
    let (code, _, _) = run(eiam(&mock).args([
        "account",
        "create",
        "orphan",
        "demo-app",
        "x",
        "--disabled",
        "yes",
    ]));
    assert_eq!(code, 2);
}

#[test]
fn get_prints_labelled_lines_or_the_account_object() {
    let mock = MockServer::start().unwrap();
    let (code, out, err) = run(eiam(&mock).args(["account", "get", "paging-app", "acct-001"]));
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "id            acct-001",
            "account_name  account-001",
            "name          Account 001",
            "account_type  BASIC_ACCOUNT",
            "disabled      false",
            "org_id        -",
            "extension     {}",
        ]
    );
    let (code, out, _) = run(eiam(&mock).args(["--json", "account", "get", "demo-app", "pub-1"]));
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v,
        json!({
            "id": "pub-1", "account_name": "pub-1", "name": null, "org_id": null,
            "account_type": "PUBLIC_ACCOUNT", "disabled": false, "extension": {}
        })
    );
}

#[test]
fn a_missing_account_is_an_api_error_with_its_code() {
    let mock = MockServer::start().unwrap();
    let (code, out, err) = run(eiam(&mock).args(["account", "get", "demo-app", "nope"]));
    assert_eq!((code, out.as_str()), (3, ""), "{err}");
    assert!(
        err.starts_with("eiam: ") && err.contains("APP.ACCOUNT.0028"),
        "{err}"
    );
    let (code, _, err) = run(eiam(&mock).args(["--json", "account", "delete", "demo-app", "nope"]));
    assert_eq!(code, 3);
    let v: Value = serde_json::from_str(&err).unwrap();
    assert_eq!(
        (
            v["error"].as_str(),
            v["code"].as_str(),
            v["http_status"].as_u64()
        ),
        (Some("api"), Some("APP.ACCOUNT.0028"), Some(400))
    );
    // an unknown application (get documents only APP.ACCOUNT.0028; delete
    // has APP.0001), and an empty id refused before any request
    let (code, _, err) = run(eiam(&mock).args(["account", "delete", "no-app", "pub-1"]));
    assert_eq!(code, 3);
    assert!(err.contains("APP.0001"), "{err}");
    mock.reset();
    let (code, _, _) = run(eiam(&mock).args(["account", "get", "demo-app", ""]));
    assert_eq!(code, 2);
    assert_eq!(mock.stats().requests, 0);
}

#[test]
fn update_disable_enable_and_delete_change_the_account() {
    let mock = MockServer::start().unwrap();
    let (code, out, err) = run(eiam(&mock).args([
        "account",
        "update",
        "demo-app",
        "pub-2",
        "renamed",
        "--name",
        "Renamed",
        "--extension",
        r#"{"level": 2}"#,
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "updated account pub-2");
    let info = mock.account("demo-app", "pub-2").unwrap();
    assert_eq!(
        (
            info.account_name.as_str(),
            info.name.as_deref(),
            &info.extension
        ),
        ("renamed", Some("Renamed"), &json!({"level": 2}))
    );
    assert!(!info.disabled);
    for (verb, disabled) in [("disable", true), ("enable", false)] {
        let (code, out, err) = run(eiam(&mock).args(["account", verb, "demo-app", "pub-2"]));
        assert_eq!(code, 0, "{err}");
        assert_eq!(out.trim(), format!("{verb}d account pub-2"));
        assert_eq!(
            mock.account("demo-app", "pub-2").unwrap().disabled,
            disabled
        );
    }
    let (code, out, _) =
        run(eiam(&mock).args(["--json", "account", "disable", "demo-app", "pub-2"]));
    assert_eq!(code, 0);
    assert_eq!(
        serde_json::from_str::<Value>(&out).unwrap(),
        json!({"account_id": "pub-2"})
    );
    // update's --disabled false enables it again
    let (code, _, err) = run(eiam(&mock).args([
        "account",
        "update",
        "demo-app",
        "pub-2",
        "renamed",
        "--disabled",
        "false",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(!mock.account("demo-app", "pub-2").unwrap().disabled);
    let (code, out, _) =
        run(eiam(&mock).args(["--json", "account", "delete", "demo-app", "pub-2"]));
    assert_eq!(code, 0);
    assert_eq!(
        serde_json::from_str::<Value>(&out).unwrap(),
        json!({"account_id": "pub-2"})
    );
    assert!(mock.account("demo-app", "pub-2").is_none());
    let (code, out, err) = run(eiam(&mock).args(["account", "delete", "demo-app", "pub-1"]));
    assert_eq!((code, out.trim()), (0, "deleted account pub-1"), "{err}");
    let (code, _, err) = run(eiam(&mock).args(["account", "update", "demo-app", "pub-1", "x"]));
    assert_eq!(code, 3);
    assert!(err.contains("APP.ACCOUNT.0028"), "{err}");
}

#[test]
fn list_streams_every_page_as_json_lines() {
    let mock = MockServer::start().unwrap();
    let (code, out, err) = run(eiam(&mock).args(["--json", "account", "list", "paging-app"]));
    assert_eq!(code, 0, "{err}");
    let rows = json_lines(&out);
    assert_eq!(rows.len(), 250);
    let ids: HashSet<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 250, "distinct ids");
    assert!(ids.contains("acct-001") && ids.contains("acct-250"));
    // the same object as `account get --json`
    assert_eq!(rows[0]["account_type"], "BASIC_ACCOUNT");
    assert_eq!(rows[0]["name"], "Account 001");
    let stats = mock.stats();
    assert_eq!(
        (stats.token_requests, stats.api_requests),
        (1, 3),
        "{stats:?}"
    );
    // --format jsonl without --json is the same
    let (_, same, _) =
        run(eiam(&mock).args(["account", "list", "paging-app", "--format", "jsonl"]));
    assert_eq!(same, out);
}

#[test]
fn list_pages_types_and_page_sizes() {
    let mock = MockServer::start().unwrap();
    // one page: the last 10 of 250
    let (code, out, err) = run(eiam(&mock).args([
        "--json",
        "account",
        "list",
        "paging-app",
        "--page-size",
        "10",
        "--page",
        "24",
    ]));
    assert_eq!(code, 0, "{err}");
    let ids: Vec<String> = json_lines(&out)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    let expected: Vec<String> = (241..=250).map(|n| format!("acct-{n}")).collect();
    assert_eq!(ids, expected);
    assert_eq!(mock.stats().api_requests, 1);
    // a page past the end is empty
    let (code, out, _) =
        run(eiam(&mock).args(["--json", "account", "list", "paging-app", "--page", "9"]));
    assert_eq!((code, out.as_str()), (0, ""));
    // one type: 84 basic accounts in smaller pages
    mock.reset();
    let (code, out, err) = run(eiam(&mock).args([
        "--json",
        "account",
        "list",
        "paging-app",
        "--type",
        "BASIC_ACCOUNT",
        "--page-size",
        "50",
    ]));
    assert_eq!(code, 0, "{err}");
    let rows = json_lines(&out);
    assert_eq!(rows.len(), 84);
    assert!(rows.iter().all(|r| r["account_type"] == "BASIC_ACCOUNT"));
    assert_eq!(mock.stats().api_requests, 2);
    // refused before any request: a type the service does not have, a page size out of range
    mock.reset();
    for args in [
        &["--type", "basic"][..],
        &["--page-size", "5"],
        &["--page-size", "101", "--page", "0"],
    ] {
        let (code, out, err) = run(eiam(&mock)
            .args(["account", "list", "paging-app"])
            .args(args));
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}: {err}");
    }
    assert_eq!(mock.stats().requests, 0);
}

#[test]
fn list_as_csv_has_a_header_and_parses_back() {
    let mock = MockServer::start().unwrap();
    let (code, out, err) =
        run(eiam(&mock).args(["account", "list", "paging-app", "--format", "csv"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("id,account_name,name,account_type,disabled,org_id,extension\n"),
        "{out:.200}"
    );
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 250);
    assert_eq!(
        rows[2].iter().collect::<Vec<_>>(),
        [
            "acct-003",
            "account-003",
            "Account 003",
            "PUBLIC_ACCOUNT",
            "false",
            "",
            "{}"
        ]
    );
    // values that need quoting, and an extension as compact JSON
    let mut awkward = NewAccount::new(AccountType::Orphan, "a,\"b\"\nc");
    awkward.id = Some("awkward".into());
    awkward.name = Some("张, 三".into());
    awkward.extension = json!({"note": "x,\"y\"\nz", "n": [1, {"k": "ü"}]});
    mock.add_account("csv-app", awkward.clone());
    let (code, out, err) =
        run(eiam(&mock).args(["--json", "account", "list", "csv-app", "--format", "csv"]));
    assert_eq!(code, 0, "{err}");
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1, "{out}");
    assert_eq!(
        (&rows[0][0], &rows[0][1], &rows[0][2]),
        ("awkward", "a,\"b\"\nc", "张, 三")
    );
    assert!(!rows[0][6].contains(": "), "compact: {}", &rows[0][6]);
    assert_eq!(
        serde_json::from_str::<Value>(&rows[0][6]).unwrap(),
        awkward.extension
    );
    // an empty list is the header alone; the table is a header too
    mock.add_application("empty-app");
    let (_, out, _) = run(eiam(&mock).args(["account", "list", "empty-app", "--format", "csv"]));
    assert_eq!(
        out,
        "id,account_name,name,account_type,disabled,org_id,extension\n"
    );
    let (_, out, _) = run(eiam(&mock).args(["account", "list", "empty-app"]));
    assert!(out.starts_with("id  ") && out.lines().count() == 1, "{out}");
}

#[test]
fn the_table_aligns_its_columns_and_escapes_control_characters() {
    let mock = MockServer::start().unwrap();
    let mut odd = NewAccount::new(AccountType::Orphan, "line\nbreak");
    odd.id = Some("odd".into());
    mock.add_account("demo-app", odd);
    let (code, out, err) = run(eiam(&mock).args(["account", "list", "demo-app"]));
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines.len(),
        4,
        "one line per account, the header first: {out}"
    );
    let column = |line: &str| {
        ["account_type", "PUBLIC_ACCOUNT", "ORPHAN_ACCOUNT"]
            .iter()
            .find_map(|word| line.find(word))
    };
    assert!(lines.iter().all(|l| column(l) == column(lines[0])), "{out}");
    assert!(out.contains("line\\nbreak"), "{out}");
}

#[test]
fn a_closed_stdout_stops_the_stream_quietly_with_141() {
    let mock = MockServer::start().unwrap();
    // `| head -1`: the reader leaves after the first line, while the
    // second page is still on its way.
    mock.inject(Fault::delay(Duration::ZERO));
    mock.inject(Fault::delay(Duration::from_millis(500)));
    let mut child = eiam(&mock)
        .args(["--json", "account", "list", "paging-app"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(first.contains("acct-001"), "{first}");
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(141));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    let asked = mock.stats().api_requests;
    assert!(asked <= 2, "the third page is never asked for: {asked}");
    // every format, and one page, into a pipe nobody reads
    for args in [
        &["--json", "account", "list", "paging-app"][..],
        &["account", "list", "paging-app", "--format", "csv"],
        &["account", "list", "paging-app"],
        &["account", "list", "paging-app", "--page", "0"],
        &["public-account", "users", "list", "demo-app", "pub-1"],
        &["account", "get", "demo-app", "pub-1"],
    ] {
        let (code, out, err) = run_into_closed_pipe(eiam(&mock).args(args));
        assert_eq!(
            (code, out.as_str(), err.as_str()),
            (141, "", ""),
            "{args:?}"
        );
    }
}

#[test]
fn a_failure_mid_stream_comes_after_the_rows_already_written() {
    let mock = MockServer::start().unwrap();
    mock.inject(Fault::delay(Duration::ZERO));
    mock.inject(Fault::status(400).body(r#"{"error_code":" APP.0001","error_msg":"应用不存在"}"#));
    let (code, out, err) =
        run(eiam(&mock).args(["account", "list", "paging-app", "--format", "csv"]));
    assert_eq!(code, 3, "{err}");
    assert_eq!(out.lines().count(), 101, "the header and the first page");
    assert!(out.ends_with("acct-100,account-100,Account 100,BASIC_ACCOUNT,false,,{}\n"));
    assert!(err.contains("APP.0001"), "{err}");
    // a transport failure on the second page: exit 5
    let mock = MockServer::start().unwrap();
    mock.inject(Fault::delay(Duration::ZERO));
    mock.inject(Fault::close().times(10));
    let (code, out, err) = run(eiam(&mock).args([
        "--max-retries",
        "0",
        "--json",
        "account",
        "list",
        "paging-app",
    ]));
    assert_eq!(code, 5, "{err}");
    assert_eq!(json_lines(&out).len(), 100);
    let v: Value = serde_json::from_str(&err).unwrap();
    assert_eq!(v["error"], "transport");
}

#[test]
fn a_password_from_stdin_reaches_the_service_and_is_never_printed() {
    const PASSWORD: &str = "pw-Секрет-42";
    let mock = MockServer::start().unwrap();
    let (code, out, err) = run_with_stdin(
        eiam(&mock).args([
            "account",
            "create",
            "orphan",
            "demo-app",
            "with-pw",
            "--password-stdin",
        ]),
        &format!("{PASSWORD}\r\n"),
    );
    assert_eq!(code, 0, "{err}");
    let id = out.trim();
    assert!(
        mock.password_is("demo-app", id, PASSWORD),
        "the line end is not part of it"
    );
    // from the environment, for an update
    let (code, out, err) = run(eiam(&mock)
        .env("EIAM_ACCOUNT_PASSWORD", "from-the-env")
        .args(["account", "update", "demo-app", id, "with-pw"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(mock.password_is("demo-app", id, "from-the-env"));
    // an error that echoes the password shows it nowhere, text or JSON
    for json in [false, true] {
        let echo = format!(r#"{{"error_code":"APP.0001","error_msg":"bad password {PASSWORD}"}}"#);
        mock.inject(Fault::status(400).body(echo));
        let mut cmd = eiam(&mock);
        if json {
            cmd.arg("--json");
        }
        let (code, out, err) = run_with_stdin(
            cmd.args([
                "account",
                "create",
                "public",
                "demo-app",
                "p",
                "--password-stdin",
            ]),
            PASSWORD,
        );
        assert_eq!(code, 3, "{err}");
        assert!(err.contains("APP.0001"), "{err}");
        assert!(
            !out.contains(PASSWORD) && !err.contains(PASSWORD),
            "{out}{err}"
        );
        assert!(!err.contains("Секрет"), "not even a part of it: {err}");
    }
    // refused before any request: both sources, an empty one, two lines
    mock.reset();
    let cases: [(Option<&str>, &str, &str); 4] = [
        (Some("env-pw"), PASSWORD, "not both"),
        (None, "", "empty"),
        (Some(""), "", "empty"),
        (None, "one\ntwo\n", "more than one line"),
    ];
    for (env, stdin, why) in cases {
        let mut cmd = eiam(&mock);
        let mut args = vec!["account", "create", "orphan", "demo-app", "x"];
        if let Some(env) = env {
            cmd.env("EIAM_ACCOUNT_PASSWORD", env);
        }
        if env.is_none() || !stdin.is_empty() {
            args.push("--password-stdin");
        }
        let (code, out, err) = run_with_stdin(cmd.args(args), stdin);
        assert_eq!(code, 2, "{why}: {out}{err}");
        assert!(err.contains(why), "{why}: {err}");
        assert!(
            !err.contains(PASSWORD) && !err.contains("env-pw") && !err.contains("two"),
            "{err}"
        );
    }
    assert_eq!(mock.stats().requests, 0);
    // no flag takes the password itself
    let (code, _, _) = run(eiam(&mock).args([
        "account",
        "create",
        "orphan",
        "demo-app",
        "x",
        "--password",
        "p",
    ]));
    assert_eq!(code, 2);
}

#[test]
fn an_extension_round_trips_through_get() {
    let mock = MockServer::start().unwrap();
    let extension = json!({
        "部门": {"名称": "研发部", "层级": [1, 2, {"代码": "R&D \"α\""}]},
        "emoji": "🙂",
        "empty": {},
        "flag": false,
        "nothing": null
    });
    let (code, out, err) = run(eiam(&mock).args([
        "account",
        "create",
        "orphan",
        "demo-app",
        "ext",
        "--extension",
        &extension.to_string(),
    ]));
    assert_eq!(code, 0, "{err}");
    let (code, got, err) =
        run(eiam(&mock).args(["--json", "account", "get", "demo-app", out.trim()]));
    assert_eq!(code, 0, "{err}");
    let got: Value = serde_json::from_str(&got).unwrap();
    assert_eq!(got["extension"], extension);
}

#[test]
fn an_extension_that_is_not_an_object_is_refused_before_any_request() {
    let mock = MockServer::start().unwrap();
    for (bad, what) in [
        ("[1, 2]", "an array"),
        ("\"text\"", "a string"),
        ("42", "a number"),
        ("null", "null"),
        ("{\"a\": ", "invalid JSON"),
    ] {
        for command in [
            &["account", "create", "public", "demo-app", "x"][..],
            &["account", "update", "demo-app", "pub-1", "x"],
        ] {
            let (code, out, err) = run(eiam(&mock).args(command).args(["--extension", bad]));
            assert_eq!((code, out.as_str()), (2, ""), "{bad}: {err}");
            assert!(
                err.contains("--extension must be a JSON object") && err.contains(what),
                "{bad}: {err}"
            );
        }
    }
    let (code, _, err) = run(eiam(&mock).args([
        "--json",
        "account",
        "create",
        "public",
        "demo-app",
        "x",
        "--extension",
        "[]",
    ]));
    assert_eq!(code, 2);
    let v: Value = serde_json::from_str(&err).unwrap();
    assert_eq!(v["error"], "invalid input");
    assert_eq!(mock.stats().requests, 0);
}

#[test]
fn public_account_users_are_added_listed_and_removed() {
    let mock = MockServer::start().unwrap();
    let (code, out, err) = run(eiam(&mock).args([
        "public-account",
        "users",
        "add",
        "demo-app",
        "pub-2",
        "lisi",
        "zhangsan",
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "added lisi, zhangsan to demo-app/pub-2");
    assert_eq!(mock.members_of("demo-app", "pub-2"), ["lisi", "zhangsan"]);
    let (code, out, err) = run(eiam(&mock).args([
        "--json",
        "public-account",
        "users",
        "list",
        "demo-app",
        "pub-2",
    ]));
    assert_eq!(code, 0, "{err}");
    let users = json_lines(&out);
    let names: Vec<&str> = users
        .iter()
        .map(|u| u["user_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["lisi", "zhangsan"]);
    // lisi is the disabled user of the demo data
    assert_eq!(users[0]["disabled"], true);
    assert_eq!(users[1]["disabled"], false);
    let (code, out, _) = run(eiam(&mock).args([
        "public-account",
        "users",
        "list",
        "demo-app",
        "pub-2",
        "--format",
        "csv",
        "--page-size",
        "10",
        "--page",
        "0",
    ]));
    assert_eq!(code, 0);
    assert!(
        out.starts_with("id,user_name,disabled\n") && out.lines().count() == 3,
        "{out}"
    );
    let (code, out, err) = run(eiam(&mock).args([
        "--json",
        "public-account",
        "users",
        "remove",
        "demo-app",
        "pub-2",
        "lisi",
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        serde_json::from_str::<Value>(&out).unwrap(),
        json!({"account_id": "pub-2", "user_names": ["lisi"]})
    );
    assert_eq!(mock.members_of("demo-app", "pub-2"), ["zhangsan"]);
    // not a public account, and no user names at all
    let (code, _, err) =
        run(eiam(&mock).args(["public-account", "users", "list", "demo-app", "nope"]));
    assert_eq!(code, 3);
    assert!(err.contains("APP.ACCOUNT.0038"), "{err}");
    let (code, _, _) =
        run(eiam(&mock).args(["public-account", "users", "add", "demo-app", "pub-2"]));
    assert_eq!(code, 2);
}

#[test]
fn request_sends_any_call_and_prints_the_answer() {
    let mock = MockServer::start().unwrap();
    let path = "/api/v2/tenant/applications/demo-app/accounts/pub-1";
    // GET, pretty for people, one line with --json
    let (code, out, err) = run(eiam(&mock).args(["request", "get", path]));
    assert_eq!(code, 0, "{err}");
    assert!(out.lines().count() > 3, "pretty: {out}");
    let pretty: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(pretty["id"], "pub-1");
    let (_, out, _) = run(eiam(&mock).args(["--json", "request", "GET", path]));
    assert_eq!(out.lines().count(), 1, "{out}");
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), pretty);
    // a query, encoded by the core
    let (code, out, err) = run(eiam(&mock).args([
        "--json",
        "request",
        "GET",
        "/api/v2/tenant/applications/paging-app/accounts",
        "--query",
        "account_type=ORPHAN_ACCOUNT",
        "--query",
        "offset=0",
        "--query",
        "limit=10",
    ]));
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (v["total"].as_u64(), v["accounts"].as_array().map(Vec::len)),
        (Some(83), Some(10))
    );
    // POST with --data, then with --data-stdin
    let before = mock.account_count("demo-app");
    let orphans = "/api/v2/tenant/applications/demo-app/accounts/orphan-account";
    let (code, out, err) = run(eiam(&mock).args([
        "--json",
        "request",
        "POST",
        orphans,
        "--data",
        r#"{"account_name": "raw-1"}"#,
    ]));
    assert_eq!(code, 0, "{err}");
    let id = serde_json::from_str::<Value>(&out).unwrap()["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(mock.account("demo-app", &id).unwrap().account_name, "raw-1");
    let (code, _, err) = run_with_stdin(
        eiam(&mock).args(["request", "POST", orphans, "--data-stdin"]),
        r#"{"account_name": "raw-2", "password": "stdin-pw"}"#,
    );
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("warning"), "{err}");
    assert_eq!(mock.account_count("demo-app"), before + 2);
    // an empty answer (DELETE's 204) prints nothing
    let (code, out, err) = run(eiam(&mock).args([
        "request",
        "DELETE",
        &format!("/api/v2/tenant/applications/demo-app/accounts/{id}"),
    ]));
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    assert!(mock.account("demo-app", &id).is_none());
    // the service's errors keep their exit code; a password in --data is
    // warned about and redacted from an echo
    mock.inject(
        Fault::status(400).body(r#"{"error_code":"APP.0001","error_msg":"no app hunter2-pw"}"#),
    );
    let (code, out, err) = run(eiam(&mock).args([
        "request",
        "POST",
        orphans,
        "--data",
        r#"{"account_name": "x", "password": "hunter2-pw"}"#,
    ]));
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("warning: a password in --data"), "{err}");
    assert!(
        !out.contains("hunter2-pw") && !err.contains("hunter2-pw"),
        "{err}"
    );
}

#[test]
fn request_refuses_bad_input_before_any_request() {
    let mock = MockServer::start().unwrap();
    for args in [
        &["request", "FETCH", "/api/v2/x"][..],
        &["request", "GET", "/v2/tenant/users"],
        &["request", "GET", "/api/v2/x?offset=0"],
        &["request", "GET", "/api/v2/x", "--query", "no-equals-sign"],
        &["request", "POST", "/api/v2/x", "--data", "{not json"],
        &[
            "request",
            "POST",
            "/api/v2/x",
            "--data",
            "{}",
            "--data-stdin",
        ],
        &["request", "GET", "/api/v2/x", "--idempotent", "maybe"],
    ] {
        let (code, out, err) = run(eiam(&mock).args(args));
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}: {err}");
    }
    assert_eq!(mock.stats().requests, 0);
}

#[test]
fn request_retries_a_post_only_when_told_it_is_idempotent() {
    let mock = MockServer::start().unwrap();
    let orphans = "/api/v2/tenant/applications/demo-app/accounts/orphan-account";
    let data = r#"{"account_name": "retried"}"#;
    mock.inject(Fault::status(503));
    let (code, _, err) = run(eiam(&mock).args(["request", "POST", orphans, "--data", data]));
    assert_ne!(code, 0, "{err}");
    assert_eq!(
        mock.stats().api_requests,
        1,
        "a POST is not sent again by default"
    );
    mock.reset();
    mock.inject(Fault::status(503));
    let (code, _, err) = run(eiam(&mock).args([
        "request",
        "POST",
        orphans,
        "--data",
        data,
        "--idempotent",
        "true",
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(mock.stats().api_requests, 2);
}
