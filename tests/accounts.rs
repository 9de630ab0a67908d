//! The account family against the mock: the lifecycle, every documented
//! error code, paging, the extension round trip, retries that follow
//! idempotence, and the raw request.

mod common;

use std::collections::HashSet;

use common::*;
use eiam::{AccountFields, AccountType, ErrorKind, Method};
use eiam_mock::CutPoint;
use serde_json::{json, Map, Value};

fn extension(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

fn api_requests(mock: &MockServer) -> u64 {
    mock.stats().api_requests
}

#[test]
fn the_lifecycle_of_a_public_account() {
    let mock = mock();
    let c = client_for(&mock);
    let fields = AccountFields {
        name: Some("Shared mailbox".into()),
        org_code: Some("root".into()),
        password: Some("s3cret-pw".into()),
        disabled: Some(false),
        extension: Some(extension(json!({"dept": "ops"}))),
    };
    let id = c
        .create_public_account("demo-app", "mailbox", &fields)
        .unwrap();
    assert!(mock.password_is("demo-app", &id, "s3cret-pw"));

    let account = c.get_account("demo-app", &id).unwrap();
    assert_eq!(account.id, id);
    assert_eq!(account.account_name, "mailbox");
    assert_eq!(account.name.as_deref(), Some("Shared mailbox"));
    assert!(account.org_id.is_some(), "org_code root maps to an org id");
    assert_eq!(account.account_type, AccountType::Public.as_str());
    assert!(!account.disabled);
    assert_eq!(account.extension, extension(json!({"dept": "ops"})));

    // The id a create returns is the id of every later call.
    assert_eq!(
        c.bind_public_account_owner("demo-app", &id, "zhangsan")
            .unwrap(),
        id
    );
    assert_eq!(
        c.add_public_account_users("demo-app", &id, &["cq04130006", "lisi"])
            .unwrap(),
        id
    );
    assert_eq!(mock.members_of("demo-app", &id), ["cq04130006", "lisi"]);
    let members: Vec<_> = c
        .iter_public_account_users("demo-app", &id, 10)
        .map(|u| u.unwrap())
        .collect();
    assert_eq!(
        members
            .iter()
            .map(|u| (u.user_name.as_str(), u.disabled))
            .collect::<Vec<_>>(),
        [("cq04130006", false), ("lisi", true)]
    );
    assert_eq!(
        c.remove_public_account_users("demo-app", &id, &["lisi"])
            .unwrap(),
        id
    );
    assert_eq!(mock.members_of("demo-app", &id), ["cq04130006"]);

    let renamed = AccountFields {
        name: Some("Team mailbox".into()),
        ..AccountFields::default()
    };
    assert_eq!(
        c.update_account("demo-app", &id, "mailbox2", &renamed)
            .unwrap(),
        id
    );
    let account = c.get_account("demo-app", &id).unwrap();
    assert_eq!(
        (account.account_name.as_str(), account.name.as_deref()),
        ("mailbox2", Some("Team mailbox"))
    );
    assert_eq!(
        account.extension,
        extension(json!({"dept": "ops"})),
        "an update leaves unset fields alone"
    );

    assert_eq!(c.disable_account("demo-app", &id).unwrap(), id);
    assert!(c.get_account("demo-app", &id).unwrap().disabled);
    assert_eq!(c.enable_account("demo-app", &id).unwrap(), id);
    assert!(!c.get_account("demo-app", &id).unwrap().disabled);

    c.delete_account("demo-app", &id).unwrap();
    assert!(mock.account("demo-app", &id).is_none());
    let gone = c.get_account("demo-app", &id).unwrap_err();
    assert_eq!(gone.code(), Some("APP.ACCOUNT.0028"), "{gone}");
}

#[test]
fn basic_and_orphan_accounts() {
    let mock = mock();
    let c = client_for(&mock);
    let zhangsan = "20220331164602949-904C-D475B60AE";
    let basic = c
        .create_basic_account("demo-app", zhangsan, None, &AccountFields::default())
        .unwrap();
    let account = c.get_account("demo-app", &basic).unwrap();
    assert_eq!(account.account_type, "BASIC_ACCOUNT");
    assert_eq!(account.account_name, "zhangsan", "named after its user");
    let orphan = c
        .create_orphan_account("demo-app", "robot", &AccountFields::default())
        .unwrap();
    assert_eq!(
        c.get_account("demo-app", &orphan).unwrap().account_type,
        "ORPHAN_ACCOUNT"
    );
    let orphans: Vec<String> = c
        .iter_accounts("demo-app", Some(AccountType::Orphan), 10)
        .map(|a| a.unwrap().id)
        .collect();
    assert_eq!(orphans, [orphan]);
}

#[test]
fn only_the_fields_that_are_set_are_sent() {
    let mock = mock();
    let c = client_for(&mock);
    c.create_orphan_account("demo-app", "robot", &AccountFields::default())
        .unwrap();
    let sent = mock.requests().pop().unwrap();
    assert_eq!(sent.method, "POST");
    assert!(sent
        .raw_path
        .ends_with("/applications/demo-app/accounts/orphan-account"));
    let body: Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(body, json!({"account_name": "robot"}));

    c.disable_account("demo-app", "pub-2").unwrap();
    let sent = mock.requests().pop().unwrap();
    assert_eq!((sent.method.as_str(), sent.body.len()), ("PUT", 0));
    assert!(sent.raw_path.ends_with("/accounts/pub-2/disable"));

    c.list_accounts("demo-app", Some(AccountType::Public), 2, 10)
        .unwrap();
    let sent = mock.requests().pop().unwrap();
    assert!(
        sent.raw_path
            .ends_with("/accounts?account_type=PUBLIC_ACCOUNT&offset=2&limit=10"),
        "{}",
        sent.raw_path
    );
}

#[test]
fn every_documented_error_code_arrives_normalized() {
    let mock = mock();
    let c = client_for(&mock);
    let none = AccountFields::default();
    let code = |r: eiam::Result<String>| r.unwrap_err().code().map(str::to_owned);
    assert_eq!(
        code(c.create_public_account("no-such-app", "x", &none)).as_deref(),
        Some("APP.0001")
    );
    let bad_org = AccountFields {
        org_code: Some("no-such-org".into()),
        ..AccountFields::default()
    };
    assert_eq!(
        code(c.create_orphan_account("demo-app", "x", &bad_org)).as_deref(),
        Some("APP.ORG.0024")
    );
    assert_eq!(
        code(c.create_basic_account("demo-app", "no-such-user", None, &none)).as_deref(),
        Some("USER.0001")
    );
    // The service sends " APP.ACCOUNT. 0028" on get, with an inner space.
    let e = c.get_account("demo-app", "missing").unwrap_err();
    assert_eq!(
        (e.kind(), e.code(), e.http_status()),
        (ErrorKind::Api, Some("APP.ACCOUNT.0028"), Some(400))
    );
    assert_eq!(
        code(c.disable_account("demo-app", "missing")).as_deref(),
        Some("APP.ACCOUNT.0028")
    );
    assert_eq!(
        code(c.update_account("demo-app", "missing", "n", &none)).as_deref(),
        Some("APP.ACCOUNT.0028")
    );
    assert_eq!(
        c.delete_account("demo-app", "missing").unwrap_err().code(),
        Some("APP.ACCOUNT.0028"),
        "without a lost answer before it, no such account is an error"
    );
    assert_eq!(
        code(c.add_public_account_users("demo-app", "missing", &["zhangsan"])).as_deref(),
        Some("APP.ACCOUNT.0038")
    );
    let e = c
        .list_public_account_users("demo-app", "missing", 0, 10)
        .unwrap_err();
    assert_eq!(e.code(), Some("APP.ACCOUNT.0038"));
}

#[test]
fn bad_input_is_refused_before_anything_is_sent() {
    let mock = mock();
    let c = client_for(&mock);
    let none = AccountFields::default();
    let local = |e: eiam::Error| {
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
        e.code().map(str::to_owned)
    };
    assert_eq!(
        local(c.create_public_account("", "x", &none).unwrap_err()).as_deref(),
        Some("APP.0006")
    );
    assert_eq!(
        local(c.create_public_account("demo-app", " ", &none).unwrap_err()).as_deref(),
        Some("APP.ACCOUNT.0001")
    );
    assert_eq!(
        local(c.get_account("demo-app", "").unwrap_err()).as_deref(),
        Some("APP.ACCOUNT.0047")
    );
    assert_eq!(local(c.delete_account("demo-app", "..").unwrap_err()), None);
    assert_eq!(
        local(c.list_accounts("demo-app", None, 0, 9).unwrap_err()).as_deref(),
        Some("OAP.PAGE.0002")
    );
    assert_eq!(
        local(
            c.list_public_account_users("demo-app", "pub-1", 0, 101)
                .unwrap_err()
        )
        .as_deref(),
        Some("OAP.PAGE.0002")
    );
    let e = "PRIVATE_ACCOUNT".parse::<AccountType>().unwrap_err();
    assert_eq!(local(e).as_deref(), Some("APP.ACCOUNT.0045"));
    let empty: [&str; 0] = [];
    local(
        c.add_public_account_users("demo-app", "pub-1", &empty)
            .unwrap_err(),
    );
    local(
        c.add_public_account_users("demo-app", "pub-1", &["ok", "bad\nname"])
            .unwrap_err(),
    );
    let control = AccountFields {
        name: Some("a\u{0}b".into()),
        ..AccountFields::default()
    };
    local(
        c.create_orphan_account("demo-app", "x", &control)
            .unwrap_err(),
    );
    assert_eq!(api_requests(&mock), 0);
    assert_eq!(mock.stats().token_requests, 0);
}

#[test]
fn paging_walks_250_accounts_in_three_requests() {
    let mock = mock();
    let c = client_for(&mock);
    let pages: Vec<_> = c
        .account_pages("paging-app", None, 100)
        .map(|p| p.unwrap())
        .collect();
    assert_eq!(
        pages
            .iter()
            .map(|p| (p.page, p.items.len(), p.total))
            .collect::<Vec<_>>(),
        [(0, 100, 250), (1, 100, 250), (2, 50, 250)]
    );
    let before = api_requests(&mock);
    let ids: Vec<String> = c
        .iter_accounts("paging-app", None, 100)
        .map(|a| a.unwrap().id)
        .collect();
    assert_eq!(ids.len(), 250);
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        250,
        "no duplicates"
    );
    assert_eq!(api_requests(&mock) - before, 3);
    // Past the end: an empty page, not an error.
    let past = c.list_accounts("paging-app", None, 3, 100).unwrap();
    assert_eq!((past.items.len(), past.total), (0, 250));
    let by_type: Vec<usize> = AccountType::ALL
        .iter()
        .map(|t| c.iter_accounts("paging-app", Some(*t), 100).count())
        .collect();
    assert_eq!(by_type.iter().sum::<usize>(), 250);
    assert!(by_type.iter().all(|&n| n > 0), "{by_type:?}");
}

#[test]
fn a_server_that_repeats_a_page_ends_the_walk_with_an_error() {
    let mock = mock();
    let c = client_for(&mock);
    let first = c.list_accounts("paging-app", None, 0, 100).unwrap();
    let body = json!({"total": 250, "accounts": first.items}).to_string();
    mock.inject(Fault::status(200).body(body).times(10));
    let before = api_requests(&mock);
    let out: Vec<_> = c.iter_accounts("paging-app", None, 100).collect();
    assert_eq!(out.len(), 101);
    let err = out[100].as_ref().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Protocol, "{err}");
    assert_eq!(
        api_requests(&mock) - before,
        2,
        "stopped at the first repeat"
    );
}

#[test]
fn the_extension_round_trips_nested_non_ascii_and_in_order() {
    let mock = mock();
    let c = client_for(&mock);
    let ext =
        extension(json!({"zeta": 1, "部门": {"级别": [1, 2.5, true, null, "高"]}, "alpha": {}}));
    let fields = AccountFields {
        extension: Some(ext.clone()),
        ..AccountFields::default()
    };
    let id = c.create_orphan_account("demo-app", "ext", &fields).unwrap();
    let back = c.get_account("demo-app", &id).unwrap().extension;
    assert_eq!(back, ext);
    assert_eq!(
        back.keys().collect::<Vec<_>>(),
        ["zeta", "部门", "alpha"],
        "key order kept"
    );
}

#[test]
fn a_create_is_not_sent_again_after_a_lost_answer() {
    let mock = mock();
    let c = client_for(&mock);
    c.authenticate().unwrap();
    let before = mock.account_count("demo-app");
    mock.inject(Fault::reset(CutPoint::BeforeStatusLine));
    let err = c
        .create_orphan_account("demo-app", "once", &AccountFields::default())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert!(err.may_have_taken_effect(), "the request arrived: {err}");
    assert_eq!(api_requests(&mock), 1, "not retried");
    assert_eq!(
        mock.account_count("demo-app"),
        before + 1,
        "exactly one account was made"
    );

    // A gateway error may follow a request that arrived: not retried either.
    mock.inject(Fault::status(503));
    let err = c
        .create_orphan_account("demo-app", "twice", &AccountFields::default())
        .unwrap_err();
    assert_eq!(err.http_status(), Some(503));
    assert!(err.may_have_taken_effect(), "{err}");
    assert_eq!(api_requests(&mock), 2);

    // An answer that says the create was refused: it changed nothing.
    let err = c
        .create_orphan_account("no-such-app", "refused", &AccountFields::default())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api, "{err}");
    assert!(!err.may_have_taken_effect(), "{err}");
}

#[test]
fn a_create_is_sent_again_when_it_certainly_did_not_arrive() {
    let mock = mock();
    let c = client_for(&mock);
    let before = mock.account_count("demo-app");
    mock.inject(Fault::status(429).retry_after("0"));
    c.create_orphan_account("demo-app", "after-429", &AccountFields::default())
        .unwrap();
    assert_eq!(api_requests(&mock), 2);
    assert_eq!(mock.account_count("demo-app"), before + 1);
}

#[test]
fn a_delete_whose_answer_was_lost_succeeds_when_the_retry_finds_it_gone() {
    let mock = mock();
    let c = client_for(&mock);
    c.authenticate().unwrap();
    mock.inject(Fault::reset(CutPoint::BeforeStatusLine));
    c.delete_account("demo-app", "pub-2").unwrap();
    assert_eq!(api_requests(&mock), 2, "sent again after the lost answer");
    assert!(mock.account("demo-app", "pub-2").is_none());
}

#[test]
fn the_password_never_shows() {
    let mock = mock();
    let c = client_for(&mock);
    let password = "hunter2-Very-Secret";
    let fields = AccountFields {
        password: Some(password.into()),
        ..AccountFields::default()
    };
    assert!(!format!("{fields:?}").contains(password));
    let echo = json!({"error_code": " APP.0001", "error_msg": format!("bad password {password}")})
        .to_string();
    mock.inject(Fault::status(400).body(echo));
    let err = c
        .create_public_account("demo-app", "pw", &fields)
        .unwrap_err();
    assert_eq!(err.code(), Some("APP.0001"));
    assert!(!err.to_string().contains("hunter2"), "{err}");
    let garbled = format!("<html>{password}</html>");
    mock.inject(Fault::status(500).body(garbled).content_type("text/html"));
    let err = c
        .update_account("demo-app", "pub-1", "pub-1", &fields)
        .unwrap_err();
    assert!(!err.to_string().contains("hunter2"), "{err}");
}

#[test]
fn the_raw_request_reaches_any_endpoint() {
    let mock = mock();
    let c = client_for(&mock);
    let account = c
        .request(
            Method::Get,
            "/api/v2/tenant/applications/demo-app/accounts/pub-1",
            &[],
            None,
            None,
        )
        .unwrap()
        .unwrap();
    assert_eq!(account["id"], "pub-1");
    let page = c
        .request(
            Method::Get,
            "/api/v2/tenant/applications/paging-app/accounts",
            &[("offset", "1"), ("limit", "10")],
            None,
            None,
        )
        .unwrap()
        .unwrap();
    assert_eq!(page["accounts"].as_array().unwrap().len(), 10);
    let created = c
        .request(
            Method::Post,
            "/api/v2/tenant/applications/demo-app/accounts/orphan-account",
            &[],
            Some(&json!({"account_name": "raw"})),
            None,
        )
        .unwrap()
        .unwrap();
    let id = created["account_id"].as_str().unwrap().to_owned();
    assert_eq!(mock.account("demo-app", &id).unwrap().account_name, "raw");
    let deleted = c
        .request(
            Method::Delete,
            &format!("/api/v2/tenant/applications/demo-app/accounts/{id}"),
            &[],
            None,
            None,
        )
        .unwrap();
    assert_eq!(deleted, None, "a 204 has no body");
    let e = c
        .request(
            Method::Get,
            "/api/v2/tenant/applications/demo-app/accounts/gone",
            &[],
            None,
            None,
        )
        .unwrap_err();
    assert_eq!(e.code(), Some("APP.ACCOUNT.0028"));
    let e = c
        .request(Method::Get, "/__mock/stats", &[], None, None)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
}

#[test]
fn the_raw_request_retries_a_post_only_when_told_it_is_idempotent() {
    let mock = mock();
    let c = client_for(&mock);
    c.authenticate().unwrap();
    let path = "/api/v2/tenant/applications/demo-app/accounts/public-account/pub-1/users/bind";
    let body = json!({"user_names": ["lisi"]});
    mock.inject(Fault::reset(CutPoint::BeforeStatusLine));
    assert!(c
        .request(Method::Post, path, &[], Some(&body), None)
        .is_err());
    assert_eq!(api_requests(&mock), 1);
    mock.inject(Fault::reset(CutPoint::BeforeStatusLine));
    c.request(Method::Post, path, &[], Some(&body), Some(true))
        .unwrap();
    assert_eq!(api_requests(&mock), 3);
}
