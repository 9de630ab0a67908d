//! The mock as an HTTP peer, spoken to with a raw socket: what the wire
//! carries is what the real service's documentation shows.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use eiam_mock::{Fault, FaultTarget, MockConfig, MockServer};
use serde_json::{json, Value};

/// One HTTP/1.1 exchange on an open connection: (status, headers, body).
fn exchange(
    stream: &mut TcpStream,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String, Vec<u8>) {
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: mock\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut head = String::new();
    loop {
        let mut line = String::new();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "connection closed"
        );
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let status = head[9..12].parse().unwrap();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    (status, head, body)
}

fn request(
    mock: &MockServer,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, Value) {
    let mut stream = TcpStream::connect(mock.addr()).unwrap();
    let (status, _, body) = exchange(&mut stream, method, path, headers, body);
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

fn token(mock: &MockServer) -> String {
    let (status, body) = request(
        mock,
        "POST",
        "/api/v2/tenant/token",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        "grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret",
    );
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

const OWNER: &str = "/api/v2/tenant/applications/demo-app/accounts/public-account/pub-1/owner";

#[test]
fn token_by_basic_auth_and_by_form_and_bad_credentials() {
    let mock = MockServer::start().unwrap();
    // "demo-client:demo-secret" in base64
    let (status, body) = request(
        &mock,
        "POST",
        "/api/v2/tenant/token",
        &[("Authorization", "Basic ZGVtby1jbGllbnQ6ZGVtby1zZWNyZXQ=")],
        "grant_type=client_credentials",
    );
    assert_eq!(status, 200);
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 1800);
    assert_eq!(body["access_token"].as_str().unwrap().len(), 36);
    assert!(!token(&mock).is_empty());
    let (status, body) = request(
        &mock,
        "POST",
        "/api/v2/tenant/token",
        &[],
        "grant_type=client_credentials&client_id=demo-client&client_secret=nope",
    );
    assert_eq!(
        (status, body),
        (
            401,
            json!({"error":"invalid_client","error_description":"Bad client credentials"})
        )
    );
    let (status, body) = request(
        &mock,
        "POST",
        "/api/v2/tenant/token",
        &[],
        "grant_type=password",
    );
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
    assert_eq!(mock.stats().token_requests, 4);
}

#[test]
fn error_codes_carry_the_leading_space_and_chinese_messages() {
    let mock = MockServer::start().unwrap();
    let bearer = format!("Bearer {}", token(&mock));
    let auth = [("Authorization", bearer.as_str())];
    let cases = [
        (
            "/api/v2/tenant/applications/%20/accounts/public-account/pub-1/owner",
            " APP.0006",
            "应用ID不能为空",
        ),
        (
            "/api/v2/tenant/applications/nope/accounts/public-account/pub-1/owner",
            " APP.0001",
            "应用不存在",
        ),
        (
            "/api/v2/tenant/applications/demo-app/accounts/public-account/%20/owner",
            " APP.ACCOUNT.0047",
            "账号的ID不能为空",
        ),
        (
            "/api/v2/tenant/applications/demo-app/accounts/public-account/nope/owner",
            " APP.ACCOUNT.0038",
            "公共账号不存在",
        ),
        (
            "/api/v2/tenant/applications/demo-app/accounts/public-account/pub-2/owner",
            " APP.ACCOUNT.0037",
            "责任人不存在",
        ),
    ];
    for (path, code, message) in cases {
        let (status, body) = request(&mock, "GET", path, &auth, "");
        assert_eq!(status, 400, "{path}");
        assert_eq!(
            body,
            json!({"error_code": code, "error_msg": message}),
            "{path}"
        );
    }
    let (status, body) = request(&mock, "POST", OWNER, &auth, r#"{"user_name":"ghost"}"#);
    assert_eq!(
        (status, body["error_code"].as_str()),
        (400, Some(" APP.ACCOUNT.0037"))
    );
}

#[test]
fn bind_and_query_over_one_keep_alive_connection() {
    let mock = MockServer::start().unwrap();
    let bearer = format!("Bearer {}", token(&mock));
    let auth = [("Authorization", bearer.as_str())];
    let mut stream = TcpStream::connect(mock.addr()).unwrap();
    let (status, head, body) = exchange(
        &mut stream,
        "POST",
        OWNER,
        &auth,
        r#"{"user_name":"cq04130006"}"#,
    );
    assert_eq!(status, 200);
    assert!(
        head.contains("Content-Type: application/json;charset=UTF-8"),
        "{head}"
    );
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        body,
        json!({"account_id": "20220415171558023-84A4-ED5C390B8"})
    );
    let (status, _, body) = exchange(&mut stream, "GET", OWNER, &auth, "");
    assert_eq!(status, 200);
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["user_name"], "cq04130006");
    assert_eq!(body["disabled"], false);
    assert_eq!(
        mock.owner_of("demo-app", "pub-1").as_deref(),
        Some("cq04130006")
    );
}

#[test]
fn unknown_and_expired_tokens_are_rejected_with_the_token_echoed() {
    let mock = MockServer::start_with(MockConfig {
        token_lifetime: Duration::from_millis(300),
        ..MockConfig::default()
    })
    .unwrap();
    let (status, body) = request(
        &mock,
        "GET",
        OWNER,
        &[("Authorization", "Bearer made-up")],
        "",
    );
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"error":"invalid_token","error_description":"Invalid access token: made-up"})
    );
    let (status, _) = request(&mock, "GET", OWNER, &[], "");
    assert_eq!(status, 401);
    let t = token(&mock);
    let bearer = format!("Bearer {t}");
    assert_eq!(
        request(&mock, "GET", OWNER, &[("Authorization", &bearer)], "").0,
        200
    );
    // Waiting for the token to expire: time passing is the point.
    std::thread::sleep(Duration::from_millis(400));
    let (status, body) = request(&mock, "GET", OWNER, &[("Authorization", &bearer)], "");
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_token"))
    );
    assert!(body["error_description"].as_str().unwrap().ends_with(&t));
}

#[test]
fn path_segments_are_decoded_one_by_one() {
    let mock = MockServer::start().unwrap();
    mock.add_public_account("a/b", "x?y");
    let bearer = format!("Bearer {}", token(&mock));
    let (status, body) = request(
        &mock,
        "POST",
        "/api/v2/tenant/applications/a%2Fb/accounts/public-account/x%3Fy/owner",
        &[("Authorization", &bearer)],
        r#"{"user_name":"zhangsan"}"#,
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(mock.owner_of("a/b", "x?y").as_deref(), Some("zhangsan"));
}

#[test]
fn a_delayed_request_does_not_hold_up_other_connections() {
    let mock = MockServer::start().unwrap();
    let bearer = format!("Bearer {}", token(&mock));
    mock.inject(Fault::delay(Duration::from_secs(3)));
    let addr = mock.addr();
    let slow_bearer = bearer.clone();
    let slow = std::thread::spawn(move || {
        let mut s = TcpStream::connect(addr).unwrap();
        exchange(&mut s, "GET", OWNER, &[("Authorization", &slow_bearer)], "").0
    });
    // Wait until the slow request is being handled (it is in flight).
    let started = Instant::now();
    while mock.stats().in_flight == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "slow request never arrived"
        );
        std::thread::yield_now();
    }
    let (status, _) = request(&mock, "GET", OWNER, &[("Authorization", &bearer)], "");
    assert_eq!(status, 200);
    assert_eq!(mock.stats().in_flight, 1, "the slow one is still in flight");
    assert_eq!(mock.stats().max_in_flight, 2);
    drop(mock); // stopping wakes the delayed request
    let _ = slow.join();
}

#[test]
fn faults_are_consumed_in_order_and_by_target() {
    let mock = MockServer::start().unwrap();
    mock.inject(Fault::status(429).retry_after("7").times(2));
    mock.inject(Fault::status(500).target(FaultTarget::Token));
    // The token request skips the API faults and takes the token fault.
    let (status, _) = request(
        &mock,
        "POST",
        "/api/v2/tenant/token",
        &[],
        "grant_type=client_credentials",
    );
    assert_eq!(status, 500);
    let mut stream = TcpStream::connect(mock.addr()).unwrap();
    for _ in 0..2 {
        let (status, head, _) = exchange(&mut stream, "GET", OWNER, &[], "");
        assert_eq!(status, 429);
        assert!(head.contains("Retry-After: 7"), "{head}");
    }
    let (status, _, _) = exchange(&mut stream, "GET", OWNER, &[], "");
    assert_eq!(status, 401, "faults used up: normal handling again");
    mock.inject(Fault::close());
    let mut stream = TcpStream::connect(mock.addr()).unwrap();
    stream
        .write_all(format!("GET {OWNER} HTTP/1.1\r\nHost: m\r\n\r\n").as_bytes())
        .unwrap();
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).unwrap();
    assert!(rest.is_empty(), "closed without an answer");
    let stats = mock.stats();
    assert_eq!(
        (stats.requests, stats.token_requests, stats.api_requests),
        (5, 1, 4)
    );
}

#[test]
fn admin_endpoints_drive_the_mock() {
    let mock = MockServer::start().unwrap();
    let admin = |method: &str, path: &str, body: &str| request(&mock, method, path, &[], body);
    assert_eq!(
        admin(
            "POST",
            "/__mock/users",
            r#"{"user_name":"wangwu","disabled":true}"#
        )
        .0,
        200
    );
    let (status, body) = admin(
        "POST",
        "/__mock/public-accounts",
        r#"{"app_id":"app9","app_user_id":"acc9"}"#,
    );
    assert_eq!(status, 200);
    assert_eq!(body["account_id"].as_str().unwrap().len(), 32);
    assert_eq!(
        admin(
            "POST",
            "/__mock/faults",
            r#"{"status":502,"count":2,"retry_after":3}"#
        )
        .0,
        200
    );
    assert_eq!(
        admin("POST", "/__mock/faults", r#"{"target":"bogus"}"#).0,
        400
    );
    assert_eq!(request(&mock, "GET", OWNER, &[], "").0, 502);
    assert_eq!(admin("DELETE", "/__mock/faults", "").0, 200);
    assert_eq!(request(&mock, "GET", OWNER, &[], "").0, 401);
    assert_eq!(
        admin("POST", "/__mock/token-lifetime", r#"{"seconds":42}"#).0,
        200
    );
    let (_, t) = request(
        &mock,
        "POST",
        "/api/v2/tenant/token",
        &[],
        "grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret",
    );
    assert_eq!(t["expires_in"], 42);
    let (_, owner) = admin("GET", "/__mock/owner?app_id=demo-app&app_user_id=pub-1", "");
    assert_eq!(owner, json!({"user_name": "zhangsan"}));
    let (_, stats) = admin("GET", "/__mock/stats", "");
    assert_eq!(
        (
            stats["api_requests"].as_u64(),
            stats["token_requests"].as_u64()
        ),
        (Some(2), Some(1))
    );
    assert_eq!(admin("POST", "/__mock/reset", "").0, 200);
    assert_eq!(mock.stats(), Default::default());
    assert!(mock.requests().is_empty());
    assert_eq!(admin("GET", "/__mock/nope", "").0, 404);
}

#[test]
fn the_binary_prints_its_url_and_serves_until_stdin_closes() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_eiam-mock"))
        .args(["--exit-on-stdin-eof", "--client-secret", "s3"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = lines.next().unwrap().unwrap();
    let url = url
        .strip_prefix("EIAM_MOCK_URL=http://")
        .expect("URL line")
        .to_owned();
    assert_eq!(
        lines.next().unwrap().unwrap(),
        "EIAM_MOCK_CLIENT_ID=demo-client"
    );
    assert_eq!(lines.next().unwrap().unwrap(), "EIAM_MOCK_CLIENT_SECRET=s3");
    let mut stream = TcpStream::connect(&url).unwrap();
    let (status, _, _) = exchange(
        &mut stream,
        "POST",
        "/api/v2/tenant/token",
        &[],
        "grant_type=client_credentials&client_id=demo-client&client_secret=s3",
    );
    assert_eq!(status, 200);
    drop(child.stdin.take());
    let exit = child.wait().unwrap();
    assert!(exit.success());
}
