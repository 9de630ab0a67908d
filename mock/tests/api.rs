//! The mock as the documented service, spoken to over a raw socket: token
//! endpoint, owner calls and their error codes, paths, HTTP framing.

mod common;

use std::time::Duration;

use common::*;
use eiam_mock::{MockConfig, MockServer};
use serde_json::json;

#[test]
fn tokens_are_issued_for_basic_auth_and_for_form_parameters() {
    let mock = MockServer::start().unwrap();
    // base64("demo-client:demo-secret")
    let basic = [("Authorization", "Basic ZGVtby1jbGllbnQ6ZGVtby1zZWNyZXQ=")];
    for (headers, body) in [
        (&basic[..], "grant_type=client_credentials"),
        (&[][..], CREDENTIALS),
    ] {
        let reply = call(mock.addr(), "POST", TOKEN, headers, body);
        assert_eq!(reply.status, 200, "{:?}", reply.json());
        assert_eq!(
            reply.header("content-type"),
            Some("application/json;charset=UTF-8")
        );
        let body = reply.json();
        assert_eq!(body["token_type"], "bearer");
        assert_eq!(body["expires_in"], 1800);
        assert_eq!(body["scope"], "all");
        assert!(body["id_token"].as_str().unwrap().starts_with("eyJ"));
        let token = body["access_token"].as_str().unwrap();
        assert_eq!(token.len(), 36, "{token}");
        assert_eq!(token.matches('-').count(), 4, "{token}");
    }
    assert_eq!(mock.stats().token_requests, 2);
}

#[test]
fn bad_credentials_and_grant_types_are_refused() {
    let mock = MockServer::start().unwrap();
    let bad_client = json!({"error":"invalid_client","error_description":"Bad client credentials"});
    let form = "grant_type=client_credentials&client_id=demo-client&client_secret=nope";
    let reply = call(mock.addr(), "POST", TOKEN, &[], form);
    assert_eq!((reply.status, reply.json()), (401, bad_client.clone()));
    // base64("demo-client:nope")
    let basic = [("Authorization", "Basic ZGVtby1jbGllbnQ6bm9wZQ==")];
    let reply = call(
        mock.addr(),
        "POST",
        TOKEN,
        &basic,
        "grant_type=client_credentials",
    );
    assert_eq!((reply.status, reply.json()), (401, bad_client));
    for body in [
        "grant_type=password&client_id=demo-client&client_secret=demo-secret",
        "",
    ] {
        let reply = call(mock.addr(), "POST", TOKEN, &[], body);
        assert_eq!(reply.status, 400, "{body}");
        assert_eq!(reply.json()["error"], "unsupported_grant_type", "{body}");
    }
}

#[test]
fn every_request_issues_a_new_token_and_older_ones_stay_valid() {
    let mock = MockServer::start().unwrap();
    let (first, second) = (token(mock.addr()), token(mock.addr()));
    assert_ne!(first, second);
    for t in [&first, &second] {
        assert_eq!(get_owner(mock.addr(), OWNER, t).status, 200);
    }
}

#[test]
fn expires_in_is_the_lifetime_rounded_up_to_whole_seconds() {
    let mock = MockServer::start_with(MockConfig {
        token_lifetime: Duration::from_millis(1500),
        ..MockConfig::default()
    })
    .unwrap();
    let expires_in =
        || call(mock.addr(), "POST", TOKEN, &[], CREDENTIALS).json()["expires_in"].clone();
    assert_eq!(expires_in(), 2);
    mock.set_token_lifetime(Duration::from_millis(10));
    assert_eq!(expires_in(), 1);
    mock.set_token_lifetime(Duration::from_secs(60));
    assert_eq!(expires_in(), 60);
}

#[test]
fn owner_errors_carry_the_leading_space_and_chinese_messages() {
    let mock = MockServer::start().unwrap();
    let t = token(mock.addr());
    let gets = [
        (owner_path("%20", "pub-1"), " APP.0006", "应用ID不能为空"),
        (owner_path("", "pub-1"), " APP.0006", "应用ID不能为空"),
        (owner_path("nope", "pub-1"), " APP.0001", "应用不存在"),
        (
            owner_path("demo-app", "%20%09"),
            " APP.ACCOUNT.0047",
            "账号的ID不能为空",
        ),
        (
            owner_path("demo-app", "nope"),
            " APP.ACCOUNT.0038",
            "公共账号不存在",
        ),
        // pub-2 has no owner.
        (
            owner_path("demo-app", "pub-2"),
            " APP.ACCOUNT.0037",
            "责任人不存在",
        ),
    ];
    for (path, code, message) in gets {
        let reply = get_owner(mock.addr(), &path, &t);
        assert_eq!(reply.status, 400, "{path}");
        assert_eq!(
            reply.json(),
            json!({"error_code": code, "error_msg": message}),
            "{path}"
        );
    }
    let binds = [
        (
            r#"{"user_name":"ghost"}"#,
            " APP.ACCOUNT.0037",
            "责任人不存在",
        ),
        (r#"{"user_name":""}"#, " APP.ACCOUNT.0048", "用户名不能为空"),
        (r#"{}"#, " APP.ACCOUNT.0048", "用户名不能为空"),
        (r#"{"user_name":"#, " SYS.0001", "请求体格式错误"),
        ("", " SYS.0001", "请求体格式错误"),
    ];
    for (body, code, message) in binds {
        let reply = bind_owner(mock.addr(), OWNER, &t, body);
        assert_eq!(reply.status, 400, "{body}");
        assert_eq!(
            reply.json(),
            json!({"error_code": code, "error_msg": message}),
            "{body}"
        );
    }
    assert_eq!(
        mock.owner_of("demo-app", "pub-1").as_deref(),
        Some("zhangsan")
    );
}

#[test]
fn bind_then_query_on_one_keep_alive_connection() {
    let mock = MockServer::start().unwrap();
    let bearer = format!("Bearer {}", token(mock.addr()));
    let auth = [("Authorization", bearer.as_str())];
    let pub2 = owner_path("demo-app", "pub-2");
    let mut conn = Conn::open(mock.addr());
    let reply = conn.send("POST", &pub2, &auth, r#"{"user_name":"cq04130006"}"#);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), json!({"account_id": "pub-2"}));
    assert_eq!(reply.header("connection"), None, "kept alive");
    let reply = conn.send("GET", &pub2, &auth, "");
    assert_eq!(reply.status, 200);
    let owner = reply.json();
    assert_eq!(
        (owner["user_name"].as_str(), owner["disabled"].as_bool()),
        (Some("cq04130006"), Some(false))
    );
    let user_id = owner["user_id"].as_str().unwrap();
    assert_eq!(
        user_id.len(),
        "20220331164602949-904C-D475B60AE".len(),
        "{user_id}"
    );
    // Binding again replaces the owner; a disabled user can own.
    let reply = conn.send("POST", &pub2, &auth, r#"{"user_name":"lisi"}"#);
    assert_eq!(reply.status, 200);
    let owner = conn.send("GET", &pub2, &auth, "").json();
    assert_eq!(
        (owner["user_name"].as_str(), owner["disabled"].as_bool()),
        (Some("lisi"), Some(true))
    );
    assert_eq!(mock.owner_of("demo-app", "pub-2").as_deref(), Some("lisi"));
    // The seeded owner, with the documented id.
    let owner = conn.send("GET", OWNER, &auth, "").json();
    assert_eq!(
        owner,
        json!({"user_id": "20220331164602949-904C-D475B60AE", "user_name": "zhangsan", "disabled": false})
    );
}

#[test]
fn missing_unknown_and_expired_tokens_are_invalid_and_echoed() {
    let mock = MockServer::start_with(MockConfig {
        token_lifetime: Duration::from_millis(200),
        ..MockConfig::default()
    })
    .unwrap();
    let invalid = |t: &str| json!({"error":"invalid_token","error_description": format!("Invalid access token: {t}")});
    let reply = get_owner(mock.addr(), OWNER, "made-up");
    assert_eq!((reply.status, reply.json()), (400, invalid("made-up")));
    let reply = call(mock.addr(), "GET", OWNER, &[], "");
    assert_eq!((reply.status, reply.json()), (400, invalid("")));
    let basic = [("Authorization", "Basic ZGVtby1jbGllbnQ6ZGVtby1zZWNyZXQ=")];
    assert_eq!(call(mock.addr(), "GET", OWNER, &basic, "").status, 400);

    let t = token(mock.addr());
    assert_eq!(get_owner(mock.addr(), OWNER, &t).status, 200);
    // Waiting for the token to expire: time passing is the point.
    std::thread::sleep(Duration::from_millis(300));
    let reply = get_owner(mock.addr(), OWNER, &t);
    assert_eq!((reply.status, reply.json()), (400, invalid(&t)));

    mock.set_token_lifetime(Duration::from_secs(60));
    let t = token(mock.addr());
    assert_eq!(get_owner(mock.addr(), OWNER, &t).status, 200);
    mock.expire_tokens();
    assert_eq!(get_owner(mock.addr(), OWNER, &t).json(), invalid(&t));
}

#[test]
fn path_segments_are_decoded_one_by_one_after_any_prefix() {
    let mock = MockServer::start().unwrap();
    let account_id = mock.add_public_account("a/b", "x?y");
    mock.add_public_account("a", "x?y");
    let t = token(mock.addr());
    let encoded = owner_path("a%2Fb", "x%3Fy");
    let reply = bind_owner(mock.addr(), &encoded, &t, r#"{"user_name":"zhangsan"}"#);
    assert_eq!(reply.json(), json!({ "account_id": account_id }));
    assert_eq!(mock.owner_of("a/b", "x?y").as_deref(), Some("zhangsan"));
    assert_eq!(mock.owner_of("a", "x?y"), None);
    // Unencoded, `a/b` is two segments: not a route.
    assert_eq!(
        get_owner(mock.addr(), &owner_path("a/b", "x%3Fy"), &t).status,
        404
    );
    // A base-URL prefix and a query string change nothing.
    let prefixed = format!("/idaas/gw{encoded}?trace=1");
    assert_eq!(
        get_owner(mock.addr(), &prefixed, &t).json()["user_name"],
        "zhangsan"
    );
    let reply = call(
        mock.addr(),
        "POST",
        &format!("/idaas{TOKEN}?x=y"),
        &[],
        CREDENTIALS,
    );
    assert_eq!(reply.status, 200);
    assert_eq!(
        mock.requests().last().unwrap().raw_path,
        format!("/idaas{TOKEN}?x=y")
    );
}

#[test]
fn unknown_paths_are_404_and_wrong_methods_405() {
    let mock = MockServer::start().unwrap();
    for path in ["/", "/api/v2/tenant/nothing", "/api/v2/tenant/token/extra"] {
        let reply = call(mock.addr(), "GET", path, &[], "");
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(
            reply.json(),
            json!({"error_code":" SYS.0404","error_msg":"Not Found"})
        );
    }
    let reply = call(mock.addr(), "GET", TOKEN, &[], "");
    assert_eq!((reply.status, reply.header("allow")), (405, Some("POST")));
    // The method is checked before the token.
    let reply = call(mock.addr(), "DELETE", OWNER, &[], "");
    assert_eq!(
        (reply.status, reply.header("allow")),
        (405, Some("GET, POST"))
    );
    assert_eq!(reply.json()["error_code"], " SYS.0405");
}

#[test]
fn connection_close_is_honoured() {
    let mock = MockServer::start().unwrap();
    let mut conn = Conn::open(mock.addr());
    let reply = conn.send("POST", TOKEN, &[("Connection", "close")], CREDENTIALS);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("connection"), Some("close"));
    assert!(conn.read_to_end().is_empty(), "closed after the answer");
}

#[test]
fn pipelined_and_http10_keep_alive_requests_are_answered_in_order() {
    let mock = MockServer::start().unwrap();
    let mut conn = Conn::open(mock.addr());
    let two =
        request_bytes("GET", "/nope", &[], "") + &request_bytes("POST", TOKEN, &[], CREDENTIALS);
    conn.write_raw(two.as_bytes());
    assert_eq!(conn.read_reply().unwrap().status, 404);
    assert_eq!(conn.read_reply().unwrap().status, 200);

    let http10 = format!("POST {TOKEN} HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: {}\r\n\r\n{CREDENTIALS}", CREDENTIALS.len());
    conn.write_raw(http10.as_bytes());
    let reply = conn.read_reply().unwrap();
    assert_eq!(
        (reply.status, reply.header("connection")),
        (200, Some("keep-alive"))
    );
    assert_eq!(conn.send("GET", "/nope", &[], "").status, 404, "still open");
    assert_eq!(mock.stats().requests, 4);
}

#[test]
fn bodies_are_read_by_length_up_to_one_mebibyte() {
    let mock = MockServer::start().unwrap();
    let t = token(mock.addr());
    // Well past the 16 KiB head limit, which must not apply to bodies.
    let padded = format!(r#"{{"pad":"{}","user_name":"lisi"}}"#, "x".repeat(200_000));
    assert_eq!(bind_owner(mock.addr(), OWNER, &t, &padded).status, 200);
    assert_eq!(mock.requests().last().unwrap().body.len(), padded.len());

    let mut conn = Conn::open(mock.addr());
    conn.write_raw(format!("POST {OWNER} HTTP/1.1\r\nContent-Length: 1048577\r\n\r\n").as_bytes());
    let reply = conn.read_reply().unwrap();
    assert_eq!(
        (reply.status, reply.header("connection")),
        (413, Some("close"))
    );
    assert!(conn.read_to_end().is_empty());

    let mut conn = Conn::open(mock.addr());
    conn.write_raw(
        format!("POST {TOKEN} HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n").as_bytes(),
    );
    assert_eq!(conn.read_reply().unwrap().status, 411);

    let mut conn = Conn::open(mock.addr());
    conn.write_raw(b"NOT HTTP AT ALL\r\n\r\n");
    assert_eq!(conn.read_reply().unwrap().status, 400);
}

#[test]
fn expect_100_continue_is_answered_before_the_body() {
    let mock = MockServer::start().unwrap();
    let mut conn = Conn::open(mock.addr());
    let head = format!(
        "POST {TOKEN} HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: {}\r\n\r\n",
        CREDENTIALS.len()
    );
    conn.write_raw(head.as_bytes());
    // 100 Continue has no Content-Length: read its head by hand.
    assert_eq!(conn.read_raw(25), b"HTTP/1.1 100 Continue\r\n\r\n");
    conn.write_raw(CREDENTIALS.as_bytes());
    assert_eq!(conn.read_reply().unwrap().status, 200);
}
