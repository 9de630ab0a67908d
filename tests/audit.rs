//! The audit of public accounts against the mock: each finding, a clean
//! account, accounts of other types left out, and the list's pages.

mod common;

use common::*;
use eiam::{Finding, FindingKind};
use eiam_mock::{AccountType, NewAccount};

fn public(name: &str, owner: Option<&str>, users: &[&str]) -> NewAccount {
    let mut account = NewAccount::new(AccountType::Public, name);
    account.id = Some(name.to_owned());
    account.owner = owner.map(str::to_owned);
    account.users = users.iter().map(|u| (*u).to_owned()).collect();
    account
}

fn audit(mock: &MockServer, app_id: &str) -> Vec<(String, FindingKind, Vec<String>)> {
    client_for(mock)
        .audit_public_accounts(app_id)
        .map(|f| {
            let Finding {
                account_id,
                kind,
                user_names,
                ..
            } = f.unwrap();
            (account_id, kind, user_names)
        })
        .collect()
}

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

#[test]
fn every_kind_of_finding_and_nothing_on_a_clean_account() {
    let mock = mock();
    mock.add_user("gone", true);
    mock.add_user("left", true);
    mock.add_application("audit-app");
    mock.add_account(
        "audit-app",
        public("clean", Some("zhangsan"), &["cq04130006"]),
    );
    mock.add_account("audit-app", public("orphaned", None, &["zhangsan"]));
    mock.add_account(
        "audit-app",
        public("stale-owner", Some("gone"), &["zhangsan"]),
    );
    mock.add_account(
        "audit-app",
        public(
            "stale-members",
            Some("zhangsan"),
            &["left", "zhangsan", "gone"],
        ),
    );
    mock.add_account("audit-app", public("unused", Some("zhangsan"), &[]));
    mock.add_account("audit-app", public("abandoned", Some("lisi"), &[]));
    let mut basic = NewAccount::new(AccountType::Basic, "not-public");
    basic.owner = None;
    mock.add_account("audit-app", basic);

    assert_eq!(
        audit(&mock, "audit-app"),
        [
            ("orphaned".into(), FindingKind::NoOwner, vec![]),
            (
                "stale-owner".into(),
                FindingKind::DisabledOwner,
                strings(&["gone"])
            ),
            (
                "stale-members".into(),
                FindingKind::DisabledMembers,
                strings(&["left", "gone"])
            ),
            ("unused".into(), FindingKind::NoMembers, vec![]),
            (
                "abandoned".into(),
                FindingKind::DisabledOwner,
                strings(&["lisi"])
            ),
            ("abandoned".into(), FindingKind::NoMembers, vec![]),
        ]
    );
}

#[test]
fn the_demo_app_has_one_account_to_look_at() {
    let mock = mock();
    let findings: Vec<Finding> = client_for(&mock)
        .audit_public_accounts("demo-app")
        .collect::<Result<_, _>>()
        .unwrap();
    let kinds: Vec<(&str, &str, FindingKind)> = findings
        .iter()
        .map(|f| (f.app_id.as_str(), f.account_name.as_str(), f.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("demo-app", "pub-2", FindingKind::NoOwner),
            ("demo-app", "pub-2", FindingKind::NoMembers)
        ]
    );
}

#[test]
fn every_page_of_the_list_is_audited() {
    // 83 public accounts over three pages, none with an owner or members.
    let mock = mock();
    let findings: Vec<Finding> = client_for(&mock)
        .audit_public_accounts("paging-app")
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(findings.len(), 2 * 83);
    assert_eq!(findings.last().unwrap().account_id, "acct-249");
}

#[test]
fn an_error_ends_the_audit() {
    let mock = mock();
    // The list answers; the first owner query fails (400 is not retried).
    mock.inject(Fault {
        action: eiam_mock::FaultAction::Normal,
        ..Fault::status(200)
    });
    mock.inject(Fault::status(400).times(5));
    let out: Vec<_> = client_for(&mock)
        .audit_public_accounts("demo-app")
        .collect();
    assert_eq!(out.len(), 1, "{out:?}");
    assert_eq!(out[0].as_ref().unwrap_err().http_status(), Some(400));
    mock.clear_faults();
    let unknown: Vec<_> = client_for(&mock)
        .audit_public_accounts("no-such-app")
        .collect();
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0].as_ref().unwrap_err().code(), Some("APP.0001"));
}
