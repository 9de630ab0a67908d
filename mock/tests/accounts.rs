//! The account-family calls over a raw socket: every endpoint's status and
//! body, each error code with its exact spaces, paging, and the password
//! never leaving the mock.

mod common;

use std::collections::HashSet;

use common::*;
use eiam_mock::{AccountType, MockServer, NewAccount, APP_ORGANIZATIONS};
use serde_json::{json, Value};

/// A mock with the demo data and a token for it.
struct Api {
    mock: MockServer,
    token: String,
}

impl Api {
    fn start() -> Api {
        let mock = MockServer::start().unwrap();
        let token = token(mock.addr());
        Api { mock, token }
    }

    /// A call under `applications/{app}/accounts`.
    fn send(&self, method: &str, app: &str, tail: &str, body: &str) -> Reply {
        authed(
            self.mock.addr(),
            method,
            &accounts_path(app, tail),
            &self.token,
            body,
        )
    }

    /// `GET` of a list, as JSON; panics unless it answers 200.
    fn page(&self, app: &str, tail: &str) -> Value {
        let reply = self.send("GET", app, tail, "");
        assert_eq!(reply.status, 200, "{tail}: {:?}", reply.json());
        reply.json()
    }

    /// A create that must succeed; returns the new id.
    fn create(&self, app: &str, kind: &str, body: &str) -> String {
        let reply = self.send("POST", app, &format!("/{kind}"), body);
        assert_eq!(reply.status, 201, "{kind} {body}: {:?}", reply.json());
        let id = reply.json()["account_id"].as_str().unwrap().to_owned();
        assert_eq!(reply.json(), json!({ "account_id": id }));
        id
    }
}

/// The reply is HTTP 400 with exactly this code (spaces included) and
/// message.
#[track_caller]
fn assert_error(reply: &Reply, code: &str, message: &str) {
    assert_eq!(
        (reply.status, reply.json()),
        (400, json!({"error_code": code, "error_msg": message}))
    );
}

const APP_NOT_FOUND: (&str, &str) = (" APP.0001", "应用不存在");
const APP_ID_EMPTY: (&str, &str) = (" APP.0006", "应用ID不能为空");
const NOT_FOUND: (&str, &str) = (" APP.ACCOUNT.0028", "应用账号不存在");
const NOT_FOUND_ON_GET: (&str, &str) = (" APP.ACCOUNT. 0028", "应用账号不存在");
const NO_PUBLIC: (&str, &str) = (" APP.ACCOUNT.0038", "公共账号不存在");
const ID_EMPTY: (&str, &str) = (" APP.ACCOUNT.0047", "账号的ID不能为空");
const NAME_EMPTY: (&str, &str) = (" APP.ACCOUNT.0001", "账号名不能为空");
const NO_ORG: (&str, &str) = (" APP.ORG.0024", "应用机构不存在");
const NO_USER: (&str, &str) = (" USER.0001", "用户不存在");
const BAD_TYPE: (&str, &str) = (" APP.ACCOUNT.0045", "账号的账号类型错误");
const BAD_LIMIT: (&str, &str) = (" OAP.PAGE.0002", "分页参数超过限制");
const BAD_OFFSET: (&str, &str) = (" OAP.PAGE.0003", "分页页码不符合校验规则");
const BAD_BODY: (&str, &str) = (" SYS.0001", "请求体格式错误");

#[track_caller]
fn assert_code(reply: &Reply, (code, message): (&str, &str)) {
    assert_error(reply, code, message);
}

const ZHANGSAN_ID: &str = "20220331164602949-904C-D475B60AE";

#[test]
fn the_three_creates_answer_201_and_the_account_reads_back() {
    let api = Api::start();
    let root = APP_ORGANIZATIONS[0];
    assert_eq!(root.0, "root");
    let public = api.create(
        "demo-app",
        "public-account",
        r#"{"account_name":"shared","name":"Shared","org_code":"root","password":"","disabled":false,"extension":{}}"#,
    );
    let orphan = api.create(
        "demo-app",
        "orphan-account",
        r#"{"account_name":"svc","disabled":true}"#,
    );
    let basic = api.create(
        "demo-app",
        "basic-account",
        &format!(r#"{{"user_id":"{ZHANGSAN_ID}","name":"zs"}}"#),
    );
    let ids = HashSet::from([&public, &orphan, &basic]);
    assert_eq!(ids.len(), 3);
    assert_eq!(
        public.split('-').map(str::len).collect::<Vec<_>>(),
        [17, 4, 9]
    );

    let get = |id: &str| api.page("demo-app", &format!("/{id}"));
    assert_eq!(
        get(&public),
        json!({"id": public, "account_name": "shared", "name": "Shared", "org_id": root.1,
               "account_type": "PUBLIC_ACCOUNT", "disabled": false, "attr_manager_id": null,
               "extension": {}})
    );
    let orphan_body = get(&orphan);
    assert_eq!(
        (
            &orphan_body["account_type"],
            &orphan_body["disabled"],
            &orphan_body["name"],
            &orphan_body["org_id"]
        ),
        (
            &json!("ORPHAN_ACCOUNT"),
            &json!(true),
            &Value::Null,
            &Value::Null
        )
    );
    // A basic account's name defaults to its user's name.
    let basic_body = get(&basic);
    assert_eq!(
        (&basic_body["account_type"], &basic_body["account_name"]),
        (&json!("BASIC_ACCOUNT"), &json!("zhangsan"))
    );
    let info = api.mock.account("demo-app", &basic).unwrap();
    assert_eq!(info.user_id.as_deref(), Some(ZHANGSAN_ID));
    let named = api.create(
        "demo-app",
        "basic-account",
        &format!(r#"{{"user_id":"{ZHANGSAN_ID}","account_name":"zs-admin"}}"#),
    );
    assert_eq!(get(&named)["account_name"], "zs-admin");
    // The id it answered with is the id the other calls take.
    let reply = api.send(
        "POST",
        "demo-app",
        &format!("/public-account/{public}/owner"),
        r#"{"user_name":"lisi"}"#,
    );
    assert_eq!(reply.json(), json!({ "account_id": public }));
    assert_eq!(api.mock.account_count("demo-app"), 2 + 4);
}

#[test]
fn extensions_round_trip_byte_for_byte_and_passwords_never_leave() {
    let api = Api::start();
    let extension = r#"{"z":1,"a":{"list":[1,"二",{"deep":null}],"t":true},"名字":"张三 \u00e9"}"#;
    let id = api.create(
        "demo-app",
        "orphan-account",
        &format!(r#"{{"account_name":"x","password":"s3cret-pw","extension":{extension}}}"#),
    );
    let mut bodies = Vec::new();
    let reply = api.send("GET", "demo-app", &format!("/{id}"), "");
    let text = String::from_utf8(reply.body.clone()).unwrap();
    assert!(
        text.contains(&format!(r#""extension":{extension}"#)),
        "{text}"
    );
    bodies.push(text);
    assert!(api.mock.password_is("demo-app", &id, "s3cret-pw"));
    assert!(!api.mock.password_is("demo-app", &id, "other"));
    assert!(api.mock.account("demo-app", &id).unwrap().has_password);
    // Updated: the new password is stored, the extension kept.
    let reply = api.send(
        "PUT",
        "demo-app",
        &format!("/{id}"),
        r#"{"account_name":"x2","password":"n3w-s3cret"}"#,
    );
    assert_eq!(reply.status, 201);
    assert!(api.mock.password_is("demo-app", &id, "n3w-s3cret"));
    for tail in ["?offset=0&limit=100", &format!("/{id}")] {
        let reply = api.send("GET", "demo-app", tail, "");
        bodies.push(String::from_utf8(reply.body).unwrap());
    }
    assert!(bodies[2].contains(&format!(r#""extension":{extension}"#)));
    for body in &bodies {
        for secret in ["s3cret", "password"] {
            assert!(!body.contains(secret), "{secret} in {body}");
        }
    }
    // An empty password means none.
    api.send(
        "PUT",
        "demo-app",
        &format!("/{id}"),
        r#"{"account_name":"x2","password":""}"#,
    );
    assert!(!api.mock.account("demo-app", &id).unwrap().has_password);
}

#[test]
fn create_errors_have_their_codes_and_create_nothing() {
    let api = Api::start();
    let before = api.mock.account_count("demo-app");
    for kind in ["public-account", "orphan-account", "basic-account"] {
        let tail = format!("/{kind}");
        let body = format!(r#"{{"account_name":"a","user_id":"{ZHANGSAN_ID}"}}"#);
        assert_code(&api.send("POST", "nope", &tail, &body), APP_NOT_FOUND);
        assert_code(&api.send("POST", "%20", &tail, &body), APP_ID_EMPTY);
        assert_code(&api.send("POST", "demo-app", &tail, "{oops"), BAD_BODY);
        assert_code(&api.send("POST", "demo-app", &tail, "[]"), BAD_BODY);
        let bad_org =
            format!(r#"{{"account_name":"a","user_id":"{ZHANGSAN_ID}","org_code":"nope"}}"#);
        assert_code(&api.send("POST", "demo-app", &tail, &bad_org), NO_ORG);
    }
    for kind in ["/public-account", "/orphan-account"] {
        for body in [
            r#"{}"#,
            r#"{"account_name":" "}"#,
            r#"{"account_name":null}"#,
        ] {
            assert_code(&api.send("POST", "demo-app", kind, body), NAME_EMPTY);
        }
    }
    for body in [r#"{"account_name":"a"}"#, r#"{"user_id":"no-such-user"}"#] {
        assert_code(
            &api.send("POST", "demo-app", "/basic-account", body),
            NO_USER,
        );
    }
    let bad_extension = r#"{"account_name":"a","extension":[1]}"#;
    assert_code(
        &api.send("POST", "demo-app", "/orphan-account", bad_extension),
        BAD_BODY,
    );
    assert_eq!(api.mock.account_count("demo-app"), before);
}

#[test]
fn get_answers_the_account_or_the_code_with_an_inner_space() {
    let api = Api::start();
    assert_eq!(
        api.page("demo-app", "/pub-1"),
        json!({"id": "pub-1", "account_name": "pub-1", "name": null, "org_id": null,
               "account_type": "PUBLIC_ACCOUNT", "disabled": false, "attr_manager_id": null,
               "extension": {}})
    );
    let reply = api.send("GET", "demo-app", "/nope", "");
    assert_eq!(
        String::from_utf8(reply.body.clone()).unwrap(),
        r#"{"error_code":" APP.ACCOUNT. 0028","error_msg":"应用账号不存在"}"#
    );
    assert_code(&api.send("GET", "nope", "/pub-1", ""), NOT_FOUND_ON_GET);
    assert_code(&api.send("GET", "demo-app", "/%20", ""), ID_EMPTY);
    assert_code(&api.send("GET", "", "/pub-1", ""), APP_ID_EMPTY);
}

#[test]
fn paging_app_lists_in_three_pages_of_at_most_100() {
    let api = Api::start();
    let mut seen = Vec::new();
    for (offset, expected) in [(0, 100), (1, 100), (2, 50), (3, 0), (99, 0)] {
        let page = api.page("paging-app", &format!("?offset={offset}&limit=100"));
        assert_eq!(page["total"], 250, "page {offset}");
        let rows = page["accounts"].as_array().unwrap();
        assert_eq!(rows.len(), expected, "page {offset}");
        seen.extend(rows.iter().map(|r| r["id"].as_str().unwrap().to_owned()));
    }
    let expected: Vec<String> = (1..=250).map(|n| format!("acct-{n:03}")).collect();
    assert_eq!(seen, expected, "in order, no duplicates, none missing");
    // Smaller pages cross the same boundaries.
    let page = api.page("paging-app", "?account_type=&offset=24&limit=10");
    let ids: Vec<&str> = page["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "acct-241", "acct-242", "acct-243", "acct-244", "acct-245", "acct-246", "acct-247",
            "acct-248", "acct-249", "acct-250"
        ]
    );
    let first = &api.page("paging-app", "?offset=0&limit=10")["accounts"][0];
    assert_eq!(
        (
            &first["account_name"],
            &first["name"],
            &first["account_type"]
        ),
        (
            &json!("account-001"),
            &json!("Account 001"),
            &json!("BASIC_ACCOUNT")
        )
    );
}

#[test]
fn lists_filter_by_type() {
    let api = Api::start();
    for (kind, total) in [
        ("PUBLIC_ACCOUNT", 83),
        ("BASIC_ACCOUNT", 84),
        ("ORPHAN_ACCOUNT", 83),
    ] {
        let page = api.page(
            "paging-app",
            &format!("?account_type={kind}&offset=0&limit=100"),
        );
        assert_eq!(page["total"], total, "{kind}");
        let rows = page["accounts"].as_array().unwrap();
        assert_eq!(rows.len(), total, "{kind}");
        assert!(rows.iter().all(|r| r["account_type"] == kind), "{kind}");
    }
    let page = api.page("demo-app", "?account_type=PUBLIC_ACCOUNT&offset=0&limit=10");
    assert_eq!(page["total"], 2);
    let page = api.page("demo-app", "?account_type=BASIC_ACCOUNT&offset=0&limit=10");
    assert_eq!(page, json!({"total": 0, "accounts": []}));
    api.mock.add_application("empty-app");
    assert_eq!(
        api.page("empty-app", "?offset=0&limit=10"),
        json!({"total": 0, "accounts": []})
    );
}

#[test]
fn list_errors_and_paging_parameters() {
    let api = Api::start();
    for kind in ["public_account", "ADMIN", "BASIC_ACCOUNT%20"] {
        let tail = format!("?account_type={kind}&offset=0&limit=10");
        assert_code(&api.send("GET", "paging-app", &tail, ""), BAD_TYPE);
    }
    assert_code(
        &api.send("GET", "nope", "?offset=0&limit=10", ""),
        APP_NOT_FOUND,
    );
    assert_code(
        &api.send("GET", "%20", "?offset=0&limit=10", ""),
        APP_ID_EMPTY,
    );
    let lists = ["", "/public-account/pub-1/users"];
    for list in lists {
        for query in [
            "?offset=0",
            "?offset=0&limit=9",
            "?offset=0&limit=101",
            "?offset=0&limit=ten",
            "?offset=0&limit=",
            "?offset=0&limit=-10",
        ] {
            let tail = format!("{list}{query}");
            assert_code(&api.send("GET", "demo-app", &tail, ""), BAD_LIMIT);
        }
        for query in [
            "?limit=10",
            "?offset=-1&limit=10",
            "?offset=x&limit=10",
            "?offset=&limit=10",
            "?offset=1.5&limit=10",
        ] {
            let tail = format!("{list}{query}");
            assert_code(&api.send("GET", "demo-app", &tail, ""), BAD_OFFSET);
        }
        for query in ["?offset=0&limit=10", "?offset=0&limit=100"] {
            assert_eq!(
                api.send("GET", "demo-app", &format!("{list}{query}"), "")
                    .status,
                200
            );
        }
    }
}

#[test]
fn update_changes_only_the_fields_present_and_answers_201() {
    let api = Api::start();
    let id = api.create(
        "demo-app",
        "orphan-account",
        r#"{"account_name":"a","name":"A","org_code":"root","extension":{"k":"v"}}"#,
    );
    let tail = format!("/{id}");
    let reply = api.send("PUT", "demo-app", &tail, r#"{"account_name":"b"}"#);
    assert_eq!(
        (reply.status, reply.json()),
        (201, json!({ "account_id": id }))
    );
    let body = api.page("demo-app", &tail);
    assert_eq!(
        (
            &body["account_name"],
            &body["name"],
            &body["org_id"],
            &body["extension"]
        ),
        (
            &json!("b"),
            &json!("A"),
            &json!(APP_ORGANIZATIONS[0].1),
            &json!({"k": "v"})
        )
    );
    let reply = api.send(
        "PUT",
        "demo-app",
        &tail,
        r#"{"account_name":"c","name":"C","org_code":"","disabled":true,"extension":{"n":[1]}}"#,
    );
    assert_eq!(reply.status, 201);
    let body = api.page("demo-app", &tail);
    assert_eq!(
        (
            &body["name"],
            &body["org_id"],
            &body["disabled"],
            &body["extension"]
        ),
        (&json!("C"), &Value::Null, &json!(true), &json!({"n": [1]}))
    );
    // Errors change nothing.
    assert_code(
        &api.send("PUT", "demo-app", &tail, r#"{"name":"D"}"#),
        NAME_EMPTY,
    );
    assert_code(
        &api.send(
            "PUT",
            "demo-app",
            &tail,
            r#"{"account_name":"d","name":"D","org_code":"x"}"#,
        ),
        NO_ORG,
    );
    assert_code(&api.send("PUT", "demo-app", &tail, "nope"), BAD_BODY);
    assert_eq!(api.page("demo-app", &tail)["name"], "C");
    assert_code(
        &api.send("PUT", "demo-app", "/nope", r#"{"account_name":"d"}"#),
        NOT_FOUND,
    );
    assert_code(
        &api.send("PUT", "nope", &tail, r#"{"account_name":"d"}"#),
        APP_NOT_FOUND,
    );
}

#[test]
fn disable_and_enable_answer_200_for_any_type() {
    let api = Api::start();
    for id in ["acct-001", "acct-002", "acct-003"] {
        for (action, disabled) in [("disable", true), ("enable", false)] {
            let reply = api.send("PUT", "paging-app", &format!("/{id}/{action}"), "");
            assert_eq!(
                (reply.status, reply.json()),
                (200, json!({ "account_id": id })),
                "{id} {action}"
            );
            assert_eq!(
                api.mock.account("paging-app", id).unwrap().disabled,
                disabled
            );
            assert_eq!(
                api.page("paging-app", &format!("/{id}"))["disabled"],
                disabled
            );
        }
    }
    for action in ["disable", "enable"] {
        let reply = api.send("PUT", "paging-app", &format!("/nope/{action}"), "");
        let text = String::from_utf8(reply.body).unwrap();
        assert_eq!(
            text,
            r#"{"error_code":" APP.ACCOUNT.0028","error_msg":"应用账号不存在"}"#
        );
        assert_code(
            &api.send("PUT", "nope", &format!("/acct-001/{action}"), ""),
            NOT_FOUND,
        );
    }
}

#[test]
fn delete_answers_204_without_a_body_and_the_rest_keep_their_order() {
    let api = Api::start();
    let reply = api.send("DELETE", "paging-app", "/acct-100", "");
    assert_eq!(reply.status, 204);
    assert!(reply.body.is_empty());
    assert_eq!(reply.header("content-length"), None);
    assert_eq!(api.mock.account("paging-app", "acct-100"), None);
    assert_code(
        &api.send("GET", "paging-app", "/acct-100", ""),
        NOT_FOUND_ON_GET,
    );
    assert_code(
        &api.send("DELETE", "paging-app", "/acct-100", ""),
        NOT_FOUND,
    );
    assert_code(&api.send("DELETE", "nope", "/acct-001", ""), APP_NOT_FOUND);
    let page = api.page("paging-app", "?offset=9&limit=10");
    assert_eq!(page["total"], 249);
    assert_eq!(page["accounts"][8]["id"], "acct-099");
    assert_eq!(page["accounts"][9]["id"], "acct-101");
    // Any type; a keep-alive connection goes on after the empty answer.
    let mut conn = Conn::open(api.mock.addr());
    let bearer = format!("Bearer {}", api.token);
    let auth = [("Authorization", bearer.as_str())];
    for id in ["pub-1", "pub-2"] {
        let reply = conn.send(
            "DELETE",
            &accounts_path("demo-app", &format!("/{id}")),
            &auth,
            "",
        );
        assert_eq!(reply.status, 204, "{id}");
    }
    assert_eq!(api.mock.account_count("demo-app"), 0);
}

#[test]
fn members_bind_unbind_and_list_with_camel_case_user_names() {
    let api = Api::start();
    let members = |tail: &str| api.page("demo-app", &format!("/public-account/pub-1/users{tail}"));
    let cq_id = api.mock.add_user("cq04130006", false);
    assert_eq!(
        members("?offset=0&limit=10"),
        json!({"total": 2, "associated_users": [
            {"id": ZHANGSAN_ID, "userName": "zhangsan", "disabled": false},
            {"id": cq_id, "userName": "cq04130006", "disabled": false}]})
    );
    let reply = api.send(
        "POST",
        "demo-app",
        "/public-account/pub-1/users/bind",
        r#"{"user_names":["lisi","zhangsan","lisi"]}"#,
    );
    assert_eq!(
        (reply.status, reply.json()),
        (200, json!({"account_id": "pub-1"}))
    );
    assert_eq!(
        api.mock.members_of("demo-app", "pub-1"),
        ["zhangsan", "cq04130006", "lisi"]
    );
    assert_eq!(
        members("?offset=0&limit=10")["associated_users"][2]["disabled"],
        true
    );
    // An unknown user binds nobody.
    assert_code(
        &api.send(
            "POST",
            "demo-app",
            "/public-account/pub-2/users/bind",
            r#"{"user_names":["lisi","ghost"]}"#,
        ),
        NO_USER,
    );
    assert!(api.mock.members_of("demo-app", "pub-2").is_empty());
    let reply = api.send(
        "POST",
        "demo-app",
        "/public-account/pub-1/users/unbind",
        r#"{"user_names":["zhangsan","not-a-member"]}"#,
    );
    assert_eq!(
        (reply.status, reply.json()),
        (200, json!({"account_id": "pub-1"}))
    );
    assert_eq!(
        api.mock.members_of("demo-app", "pub-1"),
        ["cq04130006", "lisi"]
    );
    assert_eq!(
        api.page("demo-app", "/public-account/pub-2/users?offset=0&limit=10"),
        json!({"total": 0, "associated_users": []})
    );
}

#[test]
fn members_page_like_the_accounts() {
    let api = Api::start();
    let names: Vec<String> = (0..25).map(|i| format!("user-{i:02}")).collect();
    for name in &names {
        api.mock.add_user(name, false);
    }
    let body = json!({ "user_names": names }).to_string();
    let reply = api.send(
        "POST",
        "demo-app",
        "/public-account/pub-2/users/bind",
        &body,
    );
    assert_eq!(reply.status, 200);
    let mut seen = Vec::new();
    for (offset, expected) in [(0, 10), (1, 10), (2, 5), (3, 0)] {
        let page = api.page(
            "demo-app",
            &format!("/public-account/pub-2/users?offset={offset}&limit=10"),
        );
        assert_eq!(page["total"], 25);
        let rows = page["associated_users"].as_array().unwrap();
        assert_eq!(rows.len(), expected, "page {offset}");
        seen.extend(
            rows.iter()
                .map(|r| r["userName"].as_str().unwrap().to_owned()),
        );
    }
    assert_eq!(seen, names);
}

#[test]
fn member_call_errors() {
    let api = Api::start();
    let body = r#"{"user_names":["lisi"]}"#;
    for action in ["bind", "unbind"] {
        let on = |app: &str, id: &str, body: &str| {
            api.send(
                "POST",
                app,
                &format!("/public-account/{id}/users/{action}"),
                body,
            )
        };
        assert_code(&on("%20", "pub-1", body), APP_ID_EMPTY);
        assert_code(&on("nope", "pub-1", body), APP_NOT_FOUND);
        assert_code(&on("demo-app", "%20", body), ID_EMPTY);
        assert_code(&on("demo-app", "nope", body), NO_PUBLIC);
        // Not a public account: as missing.
        assert_code(&on("paging-app", "acct-001", body), NO_PUBLIC);
        for bad in ["{", "{}", r#"{"user_names":"lisi"}"#, "[]"] {
            assert_code(&on("demo-app", "pub-1", bad), BAD_BODY);
        }
    }
    let list = |app: &str, id: &str| {
        api.send(
            "GET",
            app,
            &format!("/public-account/{id}/users?offset=0&limit=10"),
            "",
        )
    };
    assert_code(&list("demo-app", "nope"), NO_PUBLIC);
    assert_code(&list("nope", "pub-1"), NO_PUBLIC);
    assert_code(&list("paging-app", "acct-002"), NO_PUBLIC);
    assert_code(&list("demo-app", "%20"), ID_EMPTY);
    // The owner calls also want a public account.
    let owner = api.send("GET", "paging-app", "/public-account/acct-001/owner", "");
    assert_code(&owner, NO_PUBLIC);
    let owner = api.send("GET", "paging-app", "/public-account/acct-003/owner", "");
    assert_error(&owner, " APP.ACCOUNT.0037", "责任人不存在");
}

#[test]
fn account_calls_check_the_method_then_the_token() {
    let api = Api::start();
    for (method, tail, allow) in [
        ("DELETE", "", "GET"),
        ("GET", "/public-account", "POST"),
        ("PUT", "/basic-account", "POST"),
        ("GET", "/public-account/pub-1/users/bind", "POST"),
        ("POST", "/public-account/pub-1/users", "GET"),
        ("POST", "/pub-1", "GET, PUT, DELETE"),
        ("GET", "/pub-1/disable", "PUT"),
    ] {
        let reply = call(
            api.mock.addr(),
            method,
            &accounts_path("demo-app", tail),
            &[],
            "",
        );
        assert_eq!(
            (reply.status, reply.header("allow")),
            (405, Some(allow)),
            "{method} {tail}"
        );
    }
    for (method, tail) in [
        ("GET", "?offset=0&limit=10"),
        ("POST", "/orphan-account"),
        ("DELETE", "/pub-1"),
        ("PUT", "/pub-1/disable"),
        ("GET", "/public-account/pub-1/users?offset=0&limit=10"),
    ] {
        let reply = authed(
            api.mock.addr(),
            method,
            &accounts_path("demo-app", tail),
            "bad",
            "{}",
        );
        assert_eq!(
            (reply.status, reply.json()["error"].as_str()),
            (400, Some("invalid_token")),
            "{method} {tail}"
        );
    }
    assert_eq!(api.mock.account_count("demo-app"), 2, "nothing deleted");
}

#[test]
fn accounts_added_by_the_admin_api_are_served() {
    let api = Api::start();
    let id = api.mock.add_account(
        "app9",
        NewAccount {
            id: Some("a/b".into()),
            name: Some("名前".into()),
            extension: json!({"nested": {"k": ["v"]}}),
            users: vec!["lisi".into(), "ghost".into(), "lisi".into()],
            ..NewAccount::new(AccountType::Public, "shared")
        },
    );
    assert_eq!(id, "a/b");
    let body = api.page("app9", "/a%2Fb");
    assert_eq!(
        (&body["id"], &body["name"], &body["extension"]),
        (
            &json!("a/b"),
            &json!("名前"),
            &json!({"nested": {"k": ["v"]}})
        )
    );
    // `ghost` is no user: left out of the API's list.
    let members = api.page("app9", "/public-account/a%2Fb/users?offset=0&limit=10");
    assert_eq!(members["total"], 1);
    assert_eq!(members["associated_users"][0]["userName"], "lisi");
    assert_eq!(api.mock.members_of("app9", "a/b"), ["lisi", "ghost"]);
}
