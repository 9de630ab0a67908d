//! `eiam audit` through the binary: each finding, the exit code for cron,
//! and the --output formats.

use eiam_mock::{AccountType, MockServer, NewAccount};
use serde_json::Value;

mod common;
use common::{eiam, run};

fn public(mock: &MockServer, app_id: &str, name: &str, owner: Option<&str>, users: &[&str]) {
    let mut account = NewAccount::new(AccountType::Public, name);
    account.id = Some(name.to_owned());
    account.owner = owner.map(str::to_owned);
    account.users = users.iter().map(|u| (*u).to_owned()).collect();
    mock.add_account(app_id, account);
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("eiam-cli-audit-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn each_finding_is_listed_and_the_exit_code_says_so() {
    let mock = MockServer::start().unwrap();
    mock.add_user("gone", true);
    public(&mock, "a", "clean", Some("zhangsan"), &["zhangsan"]);
    public(&mock, "a", "orphaned", None, &["zhangsan"]);
    public(&mock, "a", "stale-owner", Some("gone"), &["zhangsan"]);
    public(
        &mock,
        "a",
        "stale-members",
        Some("zhangsan"),
        &["gone", "lisi", "zhangsan"],
    );
    public(&mock, "a", "unused", Some("zhangsan"), &[]);
    let (code, out, err) = run(eiam(&mock).args(["audit", "a", "--format", "jsonl"]));
    assert_eq!(code, 10, "{err}");
    let rows: Vec<(String, String, Value)> = out
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["account_id"].as_str().unwrap().to_owned(),
                v["kind"].as_str().unwrap().to_owned(),
                v["user_names"].clone(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("orphaned".into(), "no_owner".into(), serde_json::json!([])),
            (
                "stale-owner".into(),
                "disabled_owner".into(),
                serde_json::json!(["gone"])
            ),
            (
                "stale-members".into(),
                "disabled_members".into(),
                serde_json::json!(["gone", "lisi"])
            ),
            ("unused".into(), "no_members".into(), serde_json::json!([])),
        ]
    );
    assert!(err.contains("4 finding(s)"), "{err}");
}

#[test]
fn a_clean_application_exits_zero_with_only_a_header() {
    let mock = MockServer::start().unwrap();
    public(&mock, "clean-app", "ok", Some("zhangsan"), &["cq04130006"]);
    let (code, out, err) = run(eiam(&mock).args(["audit", "clean-app"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("app_id"), "{out}");
    let (code, out, _) = run(eiam(&mock).args(["audit", "clean-app", "--format", "csv"]));
    assert_eq!(
        (code, out.as_str()),
        (0, "app_id,account_id,account_name,kind,user_names\n")
    );
}

#[test]
fn output_files_are_csv_or_json_lines_by_extension() {
    let mock = MockServer::start().unwrap();
    mock.add_user("gone", true);
    public(
        &mock,
        "demo-app",
        "pub-3",
        Some("zhangsan"),
        &["gone", "lisi"],
    );
    let dir = temp_dir("output");
    let csv = dir.join("audit.csv");
    let (code, out, err) = run(eiam(&mock)
        .args(["audit", "demo-app", "--output"])
        .arg(&csv));
    assert_eq!(code, 10, "{err}");
    assert_eq!(out, "", "rows go to the file only");
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap(),
        "app_id,account_id,account_name,kind,user_names\n\
         demo-app,pub-2,pub-2,no_owner,\n\
         demo-app,pub-2,pub-2,no_members,\n\
         demo-app,pub-3,pub-3,disabled_members,gone;lisi\n"
    );
    let jsonl = dir.join("audit.jsonl");
    let (code, _, _) = run(eiam(&mock)
        .args(["audit", "demo-app", "--output"])
        .arg(&jsonl));
    assert_eq!(code, 10);
    let text = std::fs::read_to_string(&jsonl).unwrap();
    let last: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(last["kind"], "disabled_members");
    assert_eq!(last["user_names"], serde_json::json!(["gone", "lisi"]));
    // --format overrides the extension.
    let forced = dir.join("audit.txt");
    let (code, _, _) = run(eiam(&mock)
        .args(["audit", "demo-app", "--format", "jsonl", "--output"])
        .arg(&forced));
    assert_eq!(code, 10);
    assert!(std::fs::read_to_string(&forced).unwrap().starts_with('{'));
}

#[test]
fn a_failed_audit_leaves_no_output_file_and_exits_with_the_error() {
    let mock = MockServer::start().unwrap();
    let dir = temp_dir("failed");
    let out_file = dir.join("audit.csv");
    let (code, _, err) = run(eiam(&mock)
        .args(["audit", "no-such-app", "--output"])
        .arg(&out_file));
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("APP.0001"), "{err}");
    assert!(!out_file.exists());
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "no temporary file left"
    );
}
