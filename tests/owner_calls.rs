//! The two owner calls against the mock: success paths, every documented
//! error code, request headers, path encoding and base URL prefixes.

mod common;

use common::*;
use eiam::{Config, ErrorKind};

#[test]
fn bind_then_query_the_owner() {
    let mock = mock();
    let client = client_for(&mock);
    let account_id = client
        .bind_public_account_owner("demo-app", "pub-2", "cq04130006")
        .unwrap();
    assert_eq!(account_id, "pub-2");
    assert_eq!(
        mock.owner_of("demo-app", "pub-2").as_deref(),
        Some("cq04130006")
    );
    let owner = client
        .get_public_account_owner("demo-app", "pub-2")
        .unwrap();
    assert_eq!(owner.user_name, "cq04130006");
    assert!(!owner.user_id.is_empty());
    assert!(!owner.disabled);

    // Binding again replaces the owner.
    client
        .bind_public_account_owner("demo-app", "pub-2", "lisi")
        .unwrap();
    let owner = client
        .get_public_account_owner("demo-app", "pub-2")
        .unwrap();
    assert_eq!((owner.user_name.as_str(), owner.disabled), ("lisi", true));
}

#[test]
fn the_seeded_owner_matches_the_documentation() {
    let mock = mock();
    let owner = client_for(&mock)
        .get_public_account_owner("demo-app", "pub-1")
        .unwrap();
    assert_eq!(owner.user_id, "20220331164602949-904C-D475B60AE");
    assert_eq!(owner.user_name, "zhangsan");
}

fn api_error(result: eiam::Result<impl std::fmt::Debug>) -> eiam::Error {
    let err = result.expect_err("the call should fail");
    assert_eq!(err.kind(), ErrorKind::Api, "{err}");
    assert_eq!(err.http_status(), Some(400), "{err}");
    err
}

#[test]
fn every_documented_error_code_arrives_normalized() {
    let mock = mock();
    let c = client_for(&mock);
    let e = api_error(c.get_public_account_owner("no-such-app", "pub-1"));
    assert_eq!((e.code(), e.message()), (Some("APP.0001"), "应用不存在"));
    let e = api_error(c.get_public_account_owner("demo-app", "nope"));
    assert_eq!(
        (e.code(), e.message()),
        (Some("APP.ACCOUNT.0038"), "公共账号不存在")
    );
    let e = api_error(c.get_public_account_owner("demo-app", "pub-2"));
    assert_eq!(
        (e.code(), e.message()),
        (Some("APP.ACCOUNT.0037"), "责任人不存在")
    );
    let e = api_error(c.bind_public_account_owner("demo-app", "pub-1", "nobody"));
    assert_eq!(e.code(), Some("APP.ACCOUNT.0037"));
    let e = api_error(c.bind_public_account_owner("no-such-app", "pub-1", "zhangsan"));
    assert_eq!(e.code(), Some("APP.0001"));
}

#[test]
fn empty_ids_fail_locally_with_the_service_codes_and_send_nothing() {
    let mock = mock();
    let c = client_for(&mock);
    let cases = [
        (
            c.get_public_account_owner("", "pub-1").unwrap_err(),
            Some("APP.0006"),
        ),
        (
            c.get_public_account_owner(" \t", "pub-1").unwrap_err(),
            Some("APP.0006"),
        ),
        (
            c.get_public_account_owner("demo-app", "").unwrap_err(),
            Some("APP.ACCOUNT.0047"),
        ),
        (
            c.bind_public_account_owner("demo-app", "pub-1", " ")
                .unwrap_err(),
            None,
        ),
        (
            c.bind_public_account_owner("..", "pub-1", "zhangsan")
                .unwrap_err(),
            None,
        ),
        (
            c.get_public_account_owner("demo-app", ".").unwrap_err(),
            None,
        ),
        (
            c.get_public_account_owner("demo-app", "a\r\nb")
                .unwrap_err(),
            None,
        ),
        (c.get_public_account_owner("nul\0", "b").unwrap_err(), None),
    ];
    for (err, code) in cases {
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
        assert_eq!(err.code(), code, "{err}");
    }
    assert_eq!(mock.stats().requests, 0, "nothing may reach the wire");
}

#[test]
fn requests_carry_the_documented_headers() {
    let mock = mock();
    client_for(&mock)
        .bind_public_account_owner("demo-app", "pub-1", "zhangsan")
        .unwrap();
    let requests = mock.requests();
    let token = requests
        .iter()
        .find(|r| r.raw_path.ends_with("/api/v2/tenant/token"))
        .expect("a token request");
    let header = |r: &eiam_mock::RecordedRequest, name: &str| {
        r.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    assert!(header(token, "authorization")
        .unwrap()
        .starts_with("Basic "));
    assert_eq!(token.body, b"grant_type=client_credentials");
    let bind = requests
        .iter()
        .find(|r| r.raw_path.ends_with("/owner"))
        .expect("a bind request");
    assert_eq!(bind.method, "POST");
    assert!(header(bind, "authorization")
        .unwrap()
        .starts_with("Bearer "));
    assert_eq!(
        header(bind, "content-type").as_deref(),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(header(bind, "accept").as_deref(), Some("application/json"));
    assert_eq!(
        header(bind, "user-agent"),
        Some(format!("eiam/{}", eiam::VERSION))
    );
    let body: serde_json::Value = serde_json::from_slice(&bind.body).unwrap();
    assert_eq!(body, serde_json::json!({"user_name": "zhangsan"}));
    let authority = mock.base_url().trim_start_matches("http://").to_owned();
    assert_eq!(header(bind, "host"), Some(authority.clone()));

    // A query has no body, so no Content-Type; the rest is the same.
    client_for(&mock)
        .get_public_account_owner("demo-app", "pub-1")
        .unwrap();
    let requests = mock.requests();
    let query = requests.last().unwrap();
    assert_eq!(query.method, "GET");
    assert_eq!(header(query, "content-type"), None);
    assert_eq!(header(query, "host"), Some(authority));
    assert_eq!(header(query, "accept").as_deref(), Some("application/json"));
    assert!(header(query, "authorization")
        .unwrap()
        .starts_with("Bearer "));
}

#[test]
fn hostile_ids_arrive_as_exactly_one_path_segment() {
    let mock = mock();
    let c = client_for(&mock);
    for (app, account) in [
        ("a/b", "x?y#z"),
        ("%2F", "..."),
        ("张三 app", "账号/1"),
        ("a b+c&d=e", "semi;colon:at@"),
    ] {
        mock.add_public_account(app, account);
        let account_id = c
            .bind_public_account_owner(app, account, "zhangsan")
            .unwrap_or_else(|e| panic!("{app:?}/{account:?}: {e}"));
        assert!(!account_id.is_empty());
        assert_eq!(mock.owner_of(app, account).as_deref(), Some("zhangsan"));
        let owner = c.get_public_account_owner(app, account).unwrap();
        assert_eq!(owner.user_name, "zhangsan");
    }
    let raw = mock.requests().last().unwrap().raw_path.clone();
    assert!(
        raw.ends_with(
            "/applications/a%20b%2Bc%26d%3De/accounts/public-account/semi%3Bcolon%3Aat%40/owner"
        ),
        "{raw}"
    );
}

#[test]
fn a_base_url_may_carry_a_path_prefix_and_trailing_slash() {
    let mock = mock();
    let c = client(
        Config::builder(format!("{}/idaas/", mock.base_url()))
            .client_credentials(mock.client_id(), mock.client_secret()),
    );
    c.get_public_account_owner("demo-app", "pub-1").unwrap();
    let paths: Vec<String> = mock.requests().into_iter().map(|r| r.raw_path).collect();
    assert_eq!(
        paths,
        [
            "/idaas/api/v2/tenant/token",
            "/idaas/api/v2/tenant/applications/demo-app/accounts/public-account/pub-1/owner"
        ]
    );
}

#[test]
fn http_is_refused_for_hosts_that_are_not_loopback() {
    let err = Config::builder("http://tenant.example.com")
        .client_credentials("id", "secret")
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(Config::builder("http://tenant.example.com")
        .client_credentials("id", "secret")
        .allow_insecure_http(true)
        .build()
        .is_ok());
}
