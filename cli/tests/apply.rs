//! `eiam apply` through the binary against the mock: create, owner change,
//! member add and remove, prune, dry-run and an unconfirmed run (nothing
//! changes), and a second apply that sends no write at all.

use std::path::PathBuf;

use eiam_mock::{AccountType, MockServer, NewAccount};
use serde_json::Value;

mod common;
use common::{eiam, run};

fn temp_file(test: &str, name: &str, content: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("eiam-cli-apply-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

/// The write requests the mock received (token requests aside).
fn writes(mock: &MockServer) -> Vec<String> {
    mock.requests()
        .into_iter()
        .filter(|r| r.method != "GET" && r.raw_path.contains("/api/v2/tenant/applications/"))
        .map(|r| format!("{} {}", r.method, r.raw_path))
        .collect()
}

fn members(mock: &MockServer, app: &str, id: &str) -> Vec<String> {
    let mut m = mock.members_of(app, id);
    m.sort();
    m
}

fn report_rows(path: &PathBuf) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn creates_an_account_with_its_owner_and_members() {
    let mock = MockServer::start().unwrap();
    let file = temp_file(
        "create",
        "desired.csv",
        "app_id,account_name,owner,members\n\
         demo-app,mailbox,zhangsan,zhangsan;cq04130006\n",
    );
    let report = file.with_file_name("report.jsonl");
    let (code, out, err) = run(eiam(&mock)
        .arg("apply")
        .arg(&file)
        .arg("--yes")
        .arg("--report")
        .arg(&report));
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.starts_with(
            "Plan: 1 to create, 1 owner(s) to change, 2 member(s) to add, 0 member(s) to remove, \
             0 to disable, 0 to enable\n"
        ),
        "{out}"
    );
    assert!(out.contains("1 rows: 1 applied, 0 failed"), "{out}");
    let rows = report_rows(&report);
    assert_eq!(rows.len(), 1, "one row per account");
    assert_eq!(
        (&rows[0]["line"], &rows[0]["status"], &rows[0]["changes"]),
        (
            &Value::from(2),
            &Value::from("ok"),
            &Value::from("create, set_owner (none) -> zhangsan, add_members cq04130006;zhangsan")
        )
    );
    let id = rows[0]["account_id"].as_str().unwrap();
    let account = mock.account("demo-app", id).expect("created");
    assert_eq!(
        (
            account.account_name.as_str(),
            account.account_type,
            account.disabled
        ),
        ("mailbox", AccountType::Public, false)
    );
    assert_eq!(mock.owner_of("demo-app", id).as_deref(), Some("zhangsan"));
    assert_eq!(members(&mock, "demo-app", id), ["cq04130006", "zhangsan"]);
}

#[test]
fn changes_owners_and_members_and_a_second_apply_writes_nothing() {
    let mock = MockServer::start().unwrap();
    let file = temp_file(
        "change",
        "desired.jsonl",
        "{\"app_id\":\"demo-app\",\"account_name\":\"pub-1\",\"owner\":\"cq04130006\",\"members\":[\"cq04130006\",\"lisi\"]}\n\
         {\"app_id\":\"demo-app\",\"account_name\":\"pub-2\",\"owner\":\"zhangsan\",\"disabled\":true}\n",
    );
    let (code, out, err) = run(eiam(&mock).arg("apply").arg(&file).arg("--yes"));
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("0 to create, 2 owner(s) to change, 1 member(s) to add, 1 member(s) to remove, 1 to disable"),
        "{out}"
    );
    assert_eq!(
        mock.owner_of("demo-app", "pub-1").as_deref(),
        Some("cq04130006")
    );
    assert_eq!(members(&mock, "demo-app", "pub-1"), ["cq04130006", "lisi"]);
    assert_eq!(
        mock.owner_of("demo-app", "pub-2").as_deref(),
        Some("zhangsan")
    );
    assert!(mock.account("demo-app", "pub-2").unwrap().disabled);
    assert!(
        members(&mock, "demo-app", "pub-2").is_empty(),
        "members not managed"
    );
    assert_eq!(writes(&mock).len(), 5, "{:?}", writes(&mock));

    let (code, out, err) = run(eiam(&mock).arg("apply").arg(&file).arg("--yes"));
    assert_eq!(code, 0, "{out}\n{err}");
    assert_eq!(out, "Plan: no changes; the tenant matches the file.\n");
    assert_eq!(writes(&mock).len(), 5, "the second apply wrote nothing");
}

#[test]
fn prune_disables_only_the_accounts_the_file_leaves_out() {
    let mock = MockServer::start().unwrap();
    let mut other = NewAccount::new(AccountType::Public, "elsewhere");
    other.id = Some("elsewhere".into());
    mock.add_account("other-app", other);
    let file = temp_file(
        "prune",
        "desired.csv",
        "app_id,account_name\ndemo-app,pub-1\n",
    );
    let (code, out, _) = run(eiam(&mock).arg("apply").arg(&file).arg("--yes"));
    assert_eq!(
        (code, out.as_str()),
        (0, "Plan: no changes; the tenant matches the file.\n")
    );
    assert!(
        !mock.account("demo-app", "pub-2").unwrap().disabled,
        "left alone without --prune"
    );

    let (code, out, err) = run(eiam(&mock)
        .arg("apply")
        .arg(&file)
        .args(["--yes", "--prune", "--json"]));
    assert_eq!(code, 0, "{err}");
    let plan: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(plan["counts"]["disable"], 1);
    assert_eq!(plan["changes"][0]["account_id"], "pub-2");
    assert_eq!(plan["changes"][0]["line"], Value::Null);
    let pub2 = mock.account("demo-app", "pub-2").unwrap();
    assert!(pub2.disabled, "pruned by disabling");
    assert!(!mock.account("demo-app", "pub-1").unwrap().disabled);
    assert!(
        !mock.account("other-app", "elsewhere").unwrap().disabled,
        "another application"
    );
    assert_eq!(mock.account_count("demo-app"), 2, "nothing deleted");
}

#[test]
fn dry_run_and_an_unconfirmed_run_change_nothing() {
    let mock = MockServer::start().unwrap();
    let file = temp_file(
        "dry",
        "desired.csv",
        "app_id,account_name,owner,members,disabled\n\
         demo-app,pub-1,lisi,,true\n\
         demo-app,new-one,zhangsan,zhangsan,\n",
    );
    let before = mock.account("demo-app", "pub-1").unwrap();
    let (code, out, err) = run(eiam(&mock)
        .arg("apply")
        .arg(&file)
        .args(["--dry-run", "--prune"]));
    assert_eq!(code, 0, "{err}");
    for change in [
        "create",
        "set_owner",
        "remove_members",
        "disable",
        "add_members",
    ] {
        assert!(out.contains(change), "{change}: {out}");
    }
    assert_eq!(writes(&mock), Vec::<String>::new());

    // No terminal and no --yes: the plan, a hint, its own exit code.
    let (code, out2, err) = run(eiam(&mock).arg("apply").arg(&file).arg("--prune"));
    assert_eq!(code, 11, "{err}");
    assert_eq!(out2.lines().next(), out.lines().next());
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(writes(&mock), Vec::<String>::new());
    assert_eq!(mock.account("demo-app", "pub-1").unwrap(), before);
    assert_eq!(mock.account_count("demo-app"), 2);
}

#[test]
fn a_failed_step_stops_its_account_and_the_others_go_on() {
    let mock = MockServer::start().unwrap();
    let file = temp_file(
        "failed",
        "desired.csv",
        "app_id,account_name,owner,members\n\
         demo-app,pub-1,nobody-by-that-name,zhangsan\n\
         demo-app,pub-2,zhangsan,\n",
    );
    let report = file.with_file_name("report.csv");
    let (code, out, err) = run(eiam(&mock)
        .arg("apply")
        .arg(&file)
        .arg("--yes")
        .arg("--report")
        .arg(&report));
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(
        err.contains(
            "line 2: failed APP.ACCOUNT.0037: set_owner failed (1 later change(s) not made)"
        ),
        "{err}"
    );
    let text = std::fs::read_to_string(&report).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[1..].sort();
    assert_eq!(
        lines[0],
        "line,app_id,account_name,changes,status,account_id,error_code,error_message"
    );
    assert!(
        lines[1].starts_with(
            "2,demo-app,pub-1,\"set_owner zhangsan -> nobody-by-that-name, \
             remove_members cq04130006\",failed,,APP.ACCOUNT.0037,"
        ),
        "{text}"
    );
    assert_eq!(
        lines[2],
        "3,demo-app,pub-2,set_owner (none) -> zhangsan,ok,pub-2,,"
    );
    assert_eq!(
        members(&mock, "demo-app", "pub-1"),
        ["cq04130006", "zhangsan"],
        "not removed after the failure"
    );
}

#[test]
fn a_file_naming_an_account_twice_is_refused_before_any_write() {
    let mock = MockServer::start().unwrap();
    let file = temp_file(
        "bad",
        "desired.csv",
        "app_id,account_name,owner\ndemo-app,pub-1,zhangsan\ndemo-app,pub-1,lisi\n",
    );
    let (code, _, err) = run(eiam(&mock).arg("apply").arg(&file).arg("--yes"));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("line 3: names the same account as line 2"),
        "{err}"
    );
    assert_eq!(writes(&mock), Vec::<String>::new());
}

#[test]
fn sigint_stops_an_apply_truthfully_and_running_it_again_creates_nothing_twice() {
    use std::process::Stdio;
    use std::time::{Duration, Instant};

    let mock = MockServer::start_with(eiam_mock::MockConfig {
        latency: Duration::from_millis(20),
        ..eiam_mock::MockConfig::default()
    })
    .unwrap();
    let n = 120;
    let mut csv = String::from("app_id,account_name,owner\n");
    for i in 0..n {
        csv.push_str(&format!("big-app,shared-{i:03},zhangsan\n"));
    }
    mock.add_application("big-app");
    let file = temp_file("sigint", "desired.csv", &csv);
    let report = file.with_file_name("report.csv");
    let child = eiam(&mock)
        .arg("apply")
        .arg(&file)
        .args(["--yes", "--concurrency", "2", "--report"])
        .arg(&report)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while mock.account_count("big-app") < 10 {
        assert!(
            start.elapsed().as_secs() < 30,
            "timed out waiting for creates"
        );
        std::thread::yield_now();
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted by SIGINT"), "{err}");

    // Every row is truthful: an `ok` account exists with its owner, a row
    // not started has no account.
    let mut rows = 0;
    let mut ok = 0;
    for record in csv::Reader::from_path(&report).unwrap().records() {
        let record = record.unwrap();
        rows += 1;
        let (name, status, id) = (&record[2], &record[4], &record[5]);
        match status {
            "ok" => {
                ok += 1;
                assert_eq!(
                    mock.owner_of("big-app", id).as_deref(),
                    Some("zhangsan"),
                    "{record:?}"
                );
                assert_eq!(mock.account("big-app", id).unwrap().account_name, name);
            }
            "not_started" => {}
            other => panic!("unexpected status {other}: {record:?}"),
        }
    }
    assert_eq!(rows, n, "a row for every account");
    assert!(ok >= 1 && ok < n, "{ok} of {n} done");
    let created = mock.account_count("big-app");
    assert!(created >= ok && created < n, "{created} created, {ok} ok");

    // Running it again finishes the job; no name is created twice.
    let (code, out, err) = run(eiam(&mock).arg("apply").arg(&file).arg("--yes"));
    assert_eq!(code, 0, "{out}\n{err}");
    assert_eq!(mock.account_count("big-app"), n, "{out}");
    let (code, out, _) = run(eiam(&mock).arg("apply").arg(&file).arg("--yes"));
    assert_eq!(
        (code, out.as_str()),
        (0, "Plan: no changes; the tenant matches the file.\n")
    );
}
