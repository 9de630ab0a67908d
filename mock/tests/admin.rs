//! Driving the mock from outside Rust: the `/__mock/` endpoints and the
//! `eiam-mock` binary.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Command, Stdio};

use common::*;
use eiam_mock::{AccountType, MockConfig, MockServer, NewAccount, Stats};
use serde_json::{json, Value};

fn admin(mock: &MockServer, method: &str, path: &str, body: &str) -> (u16, Value) {
    let reply = call(mock.addr(), method, path, &[], body);
    (reply.status, reply.json())
}

#[test]
fn admin_endpoints_change_the_data() {
    let mock = MockServer::start().unwrap();
    let (status, user) = admin(
        &mock,
        "POST",
        "/__mock/users",
        r#"{"user_name":"wangwu","disabled":true}"#,
    );
    assert_eq!(status, 200);
    assert_eq!(user["user_id"].as_str().unwrap().len(), 32, "{user}");
    let (status, account) = admin(
        &mock,
        "POST",
        "/__mock/public-accounts",
        r#"{"app_id":"app9","app_user_id":"acc9"}"#,
    );
    assert_eq!(status, 200);
    // The id in the URL is the id the account answers with.
    let account_id = account["account_id"].as_str().unwrap();
    assert_eq!(account_id, "acc9");
    assert_eq!(
        admin(
            &mock,
            "POST",
            "/__mock/applications",
            r#"{"app_id":"empty-app"}"#
        )
        .0,
        200
    );

    let t = token(mock.addr());
    let reply = bind_owner(
        mock.addr(),
        &owner_path("app9", "acc9"),
        &t,
        r#"{"user_name":"wangwu"}"#,
    );
    assert_eq!(reply.json(), json!({ "account_id": account_id }));
    let owner = get_owner(mock.addr(), &owner_path("app9", "acc9"), &t).json();
    assert_eq!(
        (owner["user_id"].clone(), owner["disabled"].clone()),
        (user["user_id"].clone(), json!(true))
    );
    let reply = get_owner(mock.addr(), &owner_path("empty-app", "acc9"), &t);
    assert_eq!(
        reply.json()["error_code"],
        " APP.ACCOUNT.0038",
        "the app exists"
    );

    let owner_of = |q: &str| admin(&mock, "GET", &format!("/__mock/owner?{q}"), "").1;
    assert_eq!(
        owner_of("app_id=app9&app_user_id=acc9"),
        json!({"user_name": "wangwu"})
    );
    assert_eq!(
        owner_of("app_id=demo-app&app_user_id=pub-2"),
        json!({"user_name": null})
    );
    assert_eq!(
        owner_of("app_id=nope&app_user_id=pub-2"),
        json!({"user_name": null})
    );
    mock.add_public_account("a/b", "x y");
    let reply = bind_owner(
        mock.addr(),
        &owner_path("a%2Fb", "x%20y"),
        &t,
        r#"{"user_name":"lisi"}"#,
    );
    assert_eq!(reply.status, 200);
    assert_eq!(
        owner_of("app_id=a%2Fb&app_user_id=x+y"),
        json!({"user_name": "lisi"})
    );
}

#[test]
fn admin_endpoints_add_and_inspect_accounts() {
    let mock = MockServer::start().unwrap();
    let (status, added) = admin(
        &mock,
        "POST",
        "/__mock/accounts",
        r#"{"app_id":"app7","account_type":"PUBLIC_ACCOUNT","id":"shared-1","account_name":"shared",
            "name":"共享","org_id":"org-9","disabled":true,"password":"pw-7",
            "extension":{"a":{"b":[1,"二"]}},"owner":"zhangsan","users":["lisi","lisi","zhangsan"]}"#,
    );
    assert_eq!((status, added), (200, json!({"account_id": "shared-1"})));
    let (status, generated) = admin(
        &mock,
        "POST",
        "/__mock/accounts",
        r#"{"app_id":"app7","account_type":"ORPHAN_ACCOUNT","account_name":"svc"}"#,
    );
    assert_eq!(status, 200);
    let generated = generated["account_id"].as_str().unwrap().to_owned();
    assert_eq!(generated.len(), 32, "{generated}");
    let bad = r#"{"app_id":"app7","account_type":"ADMIN","account_name":"x"}"#;
    assert_eq!(admin(&mock, "POST", "/__mock/accounts", bad).0, 400);

    let account = |q: &str| admin(&mock, "GET", &format!("/__mock/account?{q}"), "").1;
    assert_eq!(
        account("app_id=app7&account_id=shared-1"),
        json!({"account": {"id": "shared-1", "account_type": "PUBLIC_ACCOUNT",
            "account_name": "shared", "name": "共享", "org_id": "org-9", "disabled": true,
            "has_password": true, "extension": {"a": {"b": [1, "二"]}}, "user_id": null,
            "owner": "zhangsan", "users": ["lisi", "zhangsan"]}})
    );
    assert_eq!(
        account(&format!("app_id=app7&account_id={generated}"))["account"]["has_password"],
        false
    );
    assert_eq!(
        account("app_id=app7&account_id=nope"),
        json!({"account": null})
    );
    assert_eq!(
        account("app_id=nope&account_id=pub-1"),
        json!({"account": null})
    );

    let password_is = |pw: &str, id: &str| {
        let body = json!({"app_id": "app7", "account_id": id, "password": pw}).to_string();
        admin(&mock, "POST", "/__mock/password-is", &body).1
    };
    assert_eq!(password_is("pw-7", "shared-1"), json!({"matches": true}));
    assert_eq!(password_is("pw-8", "shared-1"), json!({"matches": false}));
    assert_eq!(password_is("", &generated), json!({"matches": false}));

    let count = |app: &str| {
        admin(
            &mock,
            "GET",
            &format!("/__mock/account-count?app_id={app}"),
            "",
        )
        .1
    };
    assert_eq!(count("app7"), json!({"count": 2}));
    assert_eq!(count("paging-app"), json!({"count": 250}));
    assert_eq!(count("nope"), json!({"count": 0}));
    let members = |q: &str| admin(&mock, "GET", &format!("/__mock/members?{q}"), "").1;
    assert_eq!(
        members("app_id=demo-app&account_id=pub-1"),
        json!({"user_names": ["zhangsan", "cq04130006"]})
    );
    assert_eq!(
        members("app_id=app7&account_id=shared-1"),
        json!({"user_names": ["lisi", "zhangsan"]})
    );
    assert_eq!(
        members("app_id=app7&account_id=nope"),
        json!({"user_names": []})
    );
    assert_eq!(admin(&mock, "DELETE", "/__mock/members", "").0, 405);

    // What the admin API added, the service API serves.
    let t = token(mock.addr());
    let owner = get_owner(mock.addr(), &owner_path("app7", "shared-1"), &t);
    assert_eq!(owner.json()["user_name"], "zhangsan");
    let reply = authed(
        mock.addr(),
        "GET",
        &accounts_path("app7", "/shared-1"),
        &t,
        "",
    );
    assert_eq!(reply.json()["org_id"], "org-9");
}

#[test]
fn the_rust_admin_api_matches_the_http_one() {
    let mock = MockServer::start().unwrap();
    let id = mock.add_account(
        "app8",
        NewAccount {
            password: Some("pw".into()),
            user_id: Some("u-1".into()),
            ..NewAccount::new(AccountType::Basic, "basic")
        },
    );
    let info = mock.account("app8", &id).unwrap();
    assert_eq!(
        (
            info.account_type,
            info.account_name.as_str(),
            info.user_id.as_deref()
        ),
        (AccountType::Basic, "basic", Some("u-1"))
    );
    assert!(info.has_password && mock.password_is("app8", &id, "pw"));
    assert!(!mock.password_is("app8", "nope", "pw"));
    // The same id again replaces the account in place.
    let replaced = mock.add_account(
        "app8",
        NewAccount {
            id: Some(id.clone()),
            ..NewAccount::new(AccountType::Orphan, "orphan")
        },
    );
    assert_eq!(replaced, id);
    assert_eq!(mock.account_count("app8"), 1);
    let info = mock.account("app8", &id).unwrap();
    assert_eq!(
        (info.account_type, info.has_password),
        (AccountType::Orphan, false)
    );

    assert_eq!(mock.add_public_account("app8", "p"), "p");
    mock.add_public_account("app8", "p");
    assert_eq!(mock.account_count("app8"), 2);
    assert_eq!(
        mock.members_of("demo-app", "pub-1"),
        ["zhangsan", "cq04130006"]
    );
    assert!(mock.members_of("demo-app", "pub-2").is_empty());
    assert_eq!(
        AccountType::from_name("PUBLIC_ACCOUNT").map(AccountType::as_str),
        Some("PUBLIC_ACCOUNT")
    );
    assert_eq!(AccountType::from_name("public"), None);

    mock.reset();
    assert_eq!(mock.account_count("app8"), 0);
    assert_eq!(mock.account_count("paging-app"), 250);
    let empty = MockServer::start_with(MockConfig {
        seed_demo_data: false,
        ..MockConfig::default()
    })
    .unwrap();
    assert_eq!(empty.account_count("paging-app"), 0);
    assert_eq!(empty.account("demo-app", "pub-1"), None);
}

#[test]
fn admin_endpoints_drive_tokens_and_faults() {
    let mock = MockServer::start().unwrap();
    let t = token(mock.addr());
    assert_eq!(admin(&mock, "POST", "/__mock/expire-tokens", "").0, 200);
    assert_eq!(
        get_owner(mock.addr(), OWNER, &t).json()["error"],
        "invalid_token"
    );
    assert_eq!(
        admin(
            &mock,
            "POST",
            "/__mock/token-lifetime",
            r#"{"seconds":42.5}"#
        )
        .0,
        200
    );
    let reply = call(mock.addr(), "POST", TOKEN, &[], CREDENTIALS);
    assert_eq!(reply.json()["expires_in"], 43);
    assert_eq!(
        admin(&mock, "POST", "/__mock/token-lifetime", r#"{"seconds":-1}"#).0,
        400
    );

    // Defaults: target api, count 1, respond 503 with an EIAM-style body.
    assert_eq!(admin(&mock, "POST", "/__mock/faults", "{}").0, 200);
    let t = token(mock.addr());
    let reply = get_owner(mock.addr(), OWNER, &t);
    assert_eq!(reply.status, 503);
    assert_eq!(
        reply.json(),
        json!({"error_code":" SYS.0503","error_msg":"Service Unavailable"})
    );
    assert_eq!(
        reply.header("content-type"),
        Some("application/json;charset=UTF-8")
    );

    let spec = r#"{"target":"any","count":2,"status":429,"retry_after":3,"body":"slow down","content_type":"text/plain"}"#;
    assert_eq!(admin(&mock, "POST", "/__mock/faults", spec).0, 200);
    for path in [TOKEN, OWNER] {
        let reply = call(mock.addr(), "POST", path, &[], CREDENTIALS);
        assert_eq!(
            (reply.status, reply.header("retry-after")),
            (429, Some("3"))
        );
        assert_eq!(
            (reply.body.as_slice(), reply.header("content-type")),
            (&b"slow down"[..], Some("text/plain"))
        );
    }
    // Admin requests are never faulted.
    assert_eq!(
        admin(
            &mock,
            "POST",
            "/__mock/faults",
            r#"{"target":"any","action":"close"}"#
        )
        .0,
        200
    );
    assert_eq!(admin(&mock, "GET", "/__mock/stats", "").0, 200);
    let mut conn = Conn::open(mock.addr());
    conn.write_raw(request_bytes("POST", TOKEN, &[], CREDENTIALS).as_bytes());
    assert!(conn.read_reply().is_none(), "closed by the fault");

    let spec = r#"{"target":"token","action":"normal","delay_ms":120}"#;
    assert_eq!(admin(&mock, "POST", "/__mock/faults", spec).0, 200);
    let started = std::time::Instant::now();
    assert_eq!(
        call(mock.addr(), "POST", TOKEN, &[], CREDENTIALS).status,
        200
    );
    assert!(started.elapsed().as_millis() >= 120);

    assert_eq!(
        admin(&mock, "POST", "/__mock/faults", r#"{"count":3}"#).0,
        200
    );
    assert_eq!(admin(&mock, "DELETE", "/__mock/faults", "").0, 200);
    assert_eq!(get_owner(mock.addr(), OWNER, &t).status, 200);
    // Wire faults: cut in the headers and closed; the client reads only a
    // part of the status line and headers.
    let spec = r#"{"target":"token","action":"normal","cut":"in_headers","ending":"close"}"#;
    assert_eq!(admin(&mock, "POST", "/__mock/faults", spec).0, 200);
    let mut conn = Conn::open(mock.addr());
    conn.write_raw(request_bytes("POST", TOKEN, &[], CREDENTIALS).as_bytes());
    let partial = String::from_utf8(conn.read_to_end()).unwrap();
    assert!(partial.starts_with("HTTP/1.1 200 OK\r\n"), "{partial}");
    assert!(!partial.contains("\r\n\r\n"), "{partial}");

    for bad in [
        r#"{"target":"bogus"}"#,
        r#"{"action":"explode"}"#,
        r#"{"cut":"mid_body","trickle_ms":5}"#,
        r#"{"cut":"sideways"}"#,
        r#"{"cut":"mid_body","ending":"explode"}"#,
        "not json",
    ] {
        let (status, body) = admin(&mock, "POST", "/__mock/faults", bad);
        assert_eq!(status, 400, "{bad}");
        assert!(body["error"].is_string(), "{bad}");
    }
}

#[test]
fn admin_stats_and_reset() {
    let mock = MockServer::start().unwrap();
    let t = token(mock.addr());
    get_owner(mock.addr(), OWNER, &t);
    let (status, stats) = admin(&mock, "GET", "/__mock/stats", "");
    assert_eq!(status, 200);
    assert_eq!(
        stats,
        json!({"requests": 2, "token_requests": 1, "api_requests": 1, "in_flight": 0, "max_in_flight": 1,
               "connections": 2, "tls_resumed": 0})
    );
    let reply = call(mock.addr(), "GET", "/__mock/stats", &[], "");
    assert_eq!(
        String::from_utf8_lossy(&reply.body),
        r#"{"requests":2,"token_requests":1,"api_requests":1,"in_flight":0,"max_in_flight":1,"connections":2,"tls_resumed":0}"#,
        "compact, in declaration order (C tests search it with strstr)"
    );
    assert_eq!(
        admin(&mock, "POST", "/__mock/users", r#"{"user_name":"temp"}"#).0,
        200
    );
    assert_eq!(admin(&mock, "POST", "/__mock/reset", "").0, 200);
    assert_eq!(mock.stats(), Stats::default());
    assert!(mock.requests().is_empty());
    let t = token(mock.addr());
    let reply = bind_owner(mock.addr(), OWNER, &t, r#"{"user_name":"temp"}"#);
    assert_eq!(
        reply.json()["error_code"],
        " APP.ACCOUNT.0037",
        "the added user is gone"
    );

    assert_eq!(admin(&mock, "GET", "/__mock/nope", "").0, 404);
    assert_eq!(admin(&mock, "GET", "/__mock/reset", "").0, 405);
    assert_eq!(admin(&mock, "POST", "/__mock/users", "{}").0, 400);
}

/// The binary's three lines: (address, client id, client secret).
fn read_banner(stdout: impl Read) -> (SocketAddr, String, String) {
    let mut lines = BufReader::new(stdout).lines().map(|l| l.unwrap());
    let mut next = |key: &str| {
        let line = lines.next().expect("a banner line");
        line.strip_prefix(key)
            .unwrap_or_else(|| panic!("{key} in {line:?}"))
            .to_owned()
    };
    let url = next("EIAM_MOCK_URL=");
    let addr = url
        .strip_prefix("http://127.0.0.1:")
        .expect("a loopback URL");
    let addr = SocketAddr::from(([127, 0, 0, 1], addr.parse().unwrap()));
    (
        addr,
        next("EIAM_MOCK_CLIENT_ID="),
        next("EIAM_MOCK_CLIENT_SECRET="),
    )
}

#[test]
fn the_binary_prints_its_url_and_serves_until_stdin_closes() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_eiam-mock"))
        .args([
            "--exit-on-stdin-eof",
            "--client-id",
            "c1",
            "--client-secret",
            "s3",
        ])
        .args(["--token-lifetime", "7", "--no-demo-data"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let (addr, id, secret) = read_banner(child.stdout.take().unwrap());
    assert_eq!((id.as_str(), secret.as_str()), ("c1", "s3"));
    let form = "grant_type=client_credentials&client_id=c1&client_secret=s3";
    let reply = call(addr, "POST", TOKEN, &[], form);
    assert_eq!(
        (reply.status, reply.json()["expires_in"].as_u64()),
        (200, Some(7))
    );
    let t = reply.json()["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        get_owner(addr, OWNER, &t).json()["error_code"],
        " APP.0001",
        "no demo data"
    );

    drop(child.stdin.take());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "{exit}");
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "stopped listening"
    );
}

/// The first token a fresh `eiam-mock` with these flags issues.
fn first_token(flags: &[&str]) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_eiam-mock"))
        .arg("--exit-on-stdin-eof")
        .args(flags)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let (addr, id, secret) = read_banner(child.stdout.take().unwrap());
    let form = format!("grant_type=client_credentials&client_id={id}&client_secret={secret}");
    let reply = call(addr, "POST", TOKEN, &[], &form);
    drop(child.stdin.take());
    assert!(child.wait().unwrap().success());
    reply.json()["access_token"].as_str().unwrap().to_owned()
}

#[test]
fn the_binary_issues_the_same_tokens_with_the_same_seed() {
    let seeded = first_token(&["--seed", "7"]);
    assert_eq!(seeded, first_token(&["--seed", "7"]));
    assert_ne!(seeded, first_token(&["--seed", "8"]));
    assert_ne!(first_token(&[]), first_token(&[]), "random without a seed");
}

#[test]
fn the_binary_explains_its_flags() {
    let out = Command::new(env!("CARGO_BIN_EXE_eiam-mock"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    let usage = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--port",
        "--token-lifetime",
        "--client-id",
        "--client-secret",
        "--no-demo-data",
        "--latency-ms",
        "--seed",
        "--exit-on-stdin-eof",
    ] {
        assert!(usage.contains(flag), "{flag} in {usage}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_eiam-mock"))
        .arg("--bogus")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--bogus"));
}
