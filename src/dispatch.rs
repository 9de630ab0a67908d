//! Every call by name, with its arguments and its answer as JSON: what the
//! C ABI's `eiam_call_async` runs, so that a binding without threads of its
//! own (Node) gets every call in async form through one function.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::accounts::{AccountFields, AccountType};
use crate::bulk::BindItem;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::paging::{self, Cursor, Page};
use crate::secret::Secret;
use crate::transport::Method;

/// The names `call_json` knows, in the order the API reference lists them
/// (scripts/docs-reference.py, from docs/calls.toml).
pub(crate) const CALLS: &[&str] = &[
    "authenticate",
    "create_public_account",
    "create_basic_account",
    "create_orphan_account",
    "bind_public_account_owner",
    "get_public_account_owner",
    "bind_public_account_owners",
    "add_public_account_users",
    "remove_public_account_users",
    "list_public_account_users",
    "public_account_users_next",
    "get_account",
    "list_accounts",
    "accounts_next",
    "update_account",
    "disable_account",
    "enable_account",
    "delete_account",
    "request",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AppAccount {
    app_id: String,
    account_id: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Owner {
    app_id: String,
    app_user_id: String,
    #[serde(default)]
    user_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Members {
    app_id: String,
    app_user_id: String,
    user_names: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Bulk {
    items: Vec<(String, String, String)>,
    #[serde(default)]
    concurrency: Option<usize>,
}

/// The optional fields of a create or an update, and the names around
/// them.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Write {
    app_id: String,
    #[serde(default)]
    account_id: Option<String>,
    #[serde(default)]
    account_name: Option<String>,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    org_code: Option<String>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    disabled: Option<bool>,
    #[serde(default)]
    extension: Option<Map<String, Value>>,
}

impl Write {
    fn fields(&mut self) -> AccountFields {
        AccountFields {
            name: self.name.take(),
            org_code: self.org_code.take(),
            password: self.password.take().map(Secret::new),
            disabled: self.disabled,
            extension: self.extension.take(),
        }
    }
}

/// A page of a list: which one, or, for the `_next` calls, where the walk
/// stands (`cursor`, as the last answer gave it; absent to start).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct List {
    app_id: String,
    #[serde(default)]
    app_user_id: Option<String>,
    #[serde(default)]
    account_type: Option<String>,
    #[serde(default)]
    page: u32,
    #[serde(default = "default_page_size")]
    page_size: u32,
    #[serde(default)]
    cursor: Option<Cursor>,
}

fn default_page_size() -> u32 {
    paging::DEFAULT_PAGE_SIZE
}

impl List {
    fn account_type(&self) -> Result<Option<AccountType>> {
        match self.account_type.as_deref() {
            None | Some("") => Ok(None),
            Some(name) => name.parse().map(Some),
        }
    }

    fn app_user_id(&self) -> Result<&str> {
        self.app_user_id
            .as_deref()
            .ok_or_else(|| Error::invalid_argument("app_user_id is missing"))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    method: String,
    path: String,
    #[serde(default)]
    query: Vec<(String, String)>,
    #[serde(default)]
    json: Option<Value>,
    #[serde(default)]
    idempotent: Option<bool>,
}

fn args<T: DeserializeOwned>(call: &str, args: Value) -> Result<T> {
    serde_json::from_value(args)
        .map_err(|e| Error::invalid_argument(format!("arguments of {call}: {e}")))
}

fn required<'a>(value: &'a Option<String>, name: &str) -> Result<&'a str> {
    value
        .as_deref()
        .ok_or_else(|| Error::invalid_argument(format!("{name} is missing")))
}

fn to_json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn page_json<T: Serialize>(page: &Page<T>, cursor: Option<&Cursor>) -> Value {
    let mut out = json!({"items": to_json(&page.items), "total": page.total, "page": page.page});
    if let Some(cursor) = cursor {
        out["cursor"] = if cursor.done {
            Value::Null
        } else {
            to_json(cursor)
        };
    }
    out
}

/// The walk's next page as `page_json` answers it: no items and a null
/// cursor once it is over.
fn next_page<T: Serialize>(
    list: &List,
    id_of: paging::IdOf<T>,
    fetch: impl FnOnce(u32, u32) -> Result<Page<T>>,
) -> Result<Value> {
    let mut cursor = list.cursor.clone().unwrap_or_default();
    let page = cursor.next_page(list.page_size, id_of, fetch)?;
    let page = page.unwrap_or(Page {
        items: Vec::new(),
        total: 0,
        page: cursor.next,
    });
    cursor.done |= page.items.is_empty();
    Ok(page_json(&page, Some(&cursor)))
}

impl Client {
    /// Runs the call named `call` (one of [`CALLS`], a method of
    /// [`Client`] by its name) with `arguments` (a JSON object of its
    /// parameters by name) and answers its result as JSON.
    pub(crate) fn call_json(&self, call: &str, arguments: Value) -> Result<Value> {
        let id = |account_id: String| json!({ "account_id": account_id });
        match call {
            "authenticate" => {
                let Map { .. } = args::<Map<String, Value>>(call, arguments)?;
                self.authenticate().map(|()| Value::Null)
            }
            "create_public_account" | "create_orphan_account" | "create_basic_account" => {
                let mut w: Write = args(call, arguments)?;
                let fields = w.fields();
                let created = match call {
                    "create_public_account" => self.create_public_account(
                        &w.app_id,
                        required(&w.account_name, "account_name")?,
                        &fields,
                    ),
                    "create_orphan_account" => self.create_orphan_account(
                        &w.app_id,
                        required(&w.account_name, "account_name")?,
                        &fields,
                    ),
                    _ => self.create_basic_account(
                        &w.app_id,
                        required(&w.user_id, "user_id")?,
                        w.account_name.as_deref(),
                        &fields,
                    ),
                };
                created.map(id)
            }
            "update_account" => {
                let mut w: Write = args(call, arguments)?;
                let fields = w.fields();
                self.update_account(
                    &w.app_id,
                    required(&w.account_id, "account_id")?,
                    required(&w.account_name, "account_name")?,
                    &fields,
                )
                .map(id)
            }
            "bind_public_account_owner" => {
                let o: Owner = args(call, arguments)?;
                self.bind_public_account_owner(
                    &o.app_id,
                    &o.app_user_id,
                    required(&o.user_name, "user_name")?,
                )
                .map(id)
            }
            "get_public_account_owner" => {
                let o: Owner = args(call, arguments)?;
                self.get_public_account_owner(&o.app_id, &o.app_user_id)
                    .map(|owner| to_json(&owner))
            }
            "bind_public_account_owners" => {
                let b: Bulk = args(call, arguments)?;
                let items: Vec<BindItem> = b
                    .items
                    .iter()
                    .map(|(a, u, n)| BindItem::new(a.as_str(), u.as_str(), n.as_str()))
                    .collect();
                let concurrency = b.concurrency.unwrap_or(crate::bulk::DEFAULT_CONCURRENCY);
                let results = self.bind_public_account_owners(&items, concurrency, |_| {
                    std::ops::ControlFlow::Continue(())
                });
                Ok(Value::Array(
                    results
                        .into_iter()
                        .map(|r| match r {
                            Ok(account_id) => json!({ "account_id": account_id }),
                            Err(e) => json!({ "error": {
                                "status": e.kind() as u32,
                                "code": e.code(),
                                "http_status": e.http_status(),
                                "message": e.message(),
                            }}),
                        })
                        .collect(),
                ))
            }
            "add_public_account_users" | "remove_public_account_users" => {
                let m: Members = args(call, arguments)?;
                let done = if call == "add_public_account_users" {
                    self.add_public_account_users(&m.app_id, &m.app_user_id, &m.user_names)
                } else {
                    self.remove_public_account_users(&m.app_id, &m.app_user_id, &m.user_names)
                };
                done.map(id)
            }
            "list_public_account_users" => {
                let l: List = args(call, arguments)?;
                self.list_public_account_users(&l.app_id, l.app_user_id()?, l.page, l.page_size)
                    .map(|page| page_json(&page, None))
            }
            "public_account_users_next" => {
                let l: List = args(call, arguments)?;
                let app_user_id = l.app_user_id()?;
                next_page(
                    &l,
                    |u: &crate::AccountUser| &u.id,
                    |page, size| self.list_public_account_users(&l.app_id, app_user_id, page, size),
                )
            }
            "get_account" => {
                let a: AppAccount = args(call, arguments)?;
                self.get_account(&a.app_id, &a.account_id)
                    .map(|account| to_json(&account))
            }
            "list_accounts" => {
                let l: List = args(call, arguments)?;
                self.list_accounts(&l.app_id, l.account_type()?, l.page, l.page_size)
                    .map(|page| page_json(&page, None))
            }
            "accounts_next" => {
                let l: List = args(call, arguments)?;
                let account_type = l.account_type()?;
                next_page(
                    &l,
                    |a: &crate::Account| &a.id,
                    |page, size| self.list_accounts(&l.app_id, account_type, page, size),
                )
            }
            "disable_account" | "enable_account" | "delete_account" => {
                let a: AppAccount = args(call, arguments)?;
                match call {
                    "disable_account" => self.disable_account(&a.app_id, &a.account_id).map(id),
                    "enable_account" => self.enable_account(&a.app_id, &a.account_id).map(id),
                    _ => self
                        .delete_account(&a.app_id, &a.account_id)
                        .map(|()| Value::Null),
                }
            }
            "request" => {
                let r: Raw = args(call, arguments)?;
                let method: Method = r.method.parse()?;
                let query: Vec<(&str, &str)> = r
                    .query
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str()))
                    .collect();
                self.request(method, &r.path, &query, r.json.as_ref(), r.idempotent)
                    .map(|answer| answer.unwrap_or(Value::Null))
            }
            other => Err(Error::invalid_argument(format!(
                "no call named {}; the calls are {}",
                crate::error::quoted(other),
                CALLS.join(", ")
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Config, ErrorKind};
    use eiam_mock::{Fault, MockServer};

    fn client(mock: &MockServer) -> Client {
        Client::new(
            Config::builder(mock.base_url())
                .client_credentials(mock.client_id(), mock.client_secret())
                .build()
                .unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn every_call_in_the_table_is_known_and_arguments_are_checked() {
        let mock = MockServer::start().unwrap();
        let c = client(&mock);
        for call in CALLS {
            // Empty arguments: the call is found, then its arguments fail
            // (or, for authenticate, it succeeds).
            match c.call_json(call, json!({})) {
                Ok(_) => assert_eq!(*call, "authenticate"),
                Err(e) => {
                    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{call}: {e}");
                    assert!(!e.message().starts_with("no call named"), "{call}");
                }
            }
        }
        let e = c.call_json("drop_database", json!({})).unwrap_err();
        assert!(
            e.message().starts_with("no call named \"drop_database\""),
            "{e}"
        );
        let e = c
            .call_json(
                "get_account",
                json!({"app_id": "a", "account_id": "b", "typo": 1}),
            )
            .unwrap_err();
        assert!(e.message().contains("unknown field `typo`"), "{e}");
    }

    #[test]
    fn answers_are_the_typed_calls_as_json() {
        let mock = MockServer::start().unwrap();
        let c = client(&mock);
        let created = c
            .call_json(
                "create_orphan_account",
                json!({"app_id": "demo-app", "account_name": "bot", "extension": {"级": [1]}}),
            )
            .unwrap();
        let id = created["account_id"].as_str().unwrap().to_owned();
        let account = c
            .call_json(
                "get_account",
                json!({"app_id": "demo-app", "account_id": id}),
            )
            .unwrap();
        assert_eq!(account["account_type"], "ORPHAN_ACCOUNT");
        assert_eq!(account["extension"], json!({"级": [1]}));
        let users = c
            .call_json(
                "list_public_account_users",
                json!({"app_id": "demo-app", "app_user_id": "pub-1", "page_size": 10}),
            )
            .unwrap();
        assert_eq!(users["items"][0]["user_name"], "zhangsan");
        let deleted = c
            .call_json(
                "delete_account",
                json!({"app_id": "demo-app", "account_id": id}),
            )
            .unwrap();
        assert_eq!(deleted, Value::Null);
        let e = c
            .call_json(
                "get_account",
                json!({"app_id": "demo-app", "account_id": "gone"}),
            )
            .unwrap_err();
        assert_eq!(e.code(), Some("APP.ACCOUNT.0028"));
    }

    #[test]
    fn a_walk_by_cursor_keeps_the_cores_stopping_rules() {
        let mock = MockServer::start().unwrap();
        let c = client(&mock);
        let mut args = json!({"app_id": "paging-app", "page_size": 100});
        let mut ids = std::collections::HashSet::new();
        let mut pages = 0;
        loop {
            let page = c.call_json("accounts_next", args.clone()).unwrap();
            let items = page["items"].as_array().unwrap();
            if items.is_empty() {
                break;
            }
            pages += 1;
            ids.extend(items.iter().map(|a| a["id"].as_str().unwrap().to_owned()));
            if page["cursor"].is_null() {
                break;
            }
            args["cursor"] = page["cursor"].clone();
        }
        assert_eq!((pages, ids.len()), (3, 250));
        assert_eq!(mock.stats().api_requests, 3);

        // A service that repeats its first page: the second step fails.
        let first = c.list_accounts("paging-app", None, 0, 100).unwrap();
        mock.inject(
            Fault::status(200)
                .body(json!({"total": 250, "accounts": first.items}).to_string())
                .times(5),
        );
        let page = c
            .call_json("accounts_next", json!({"app_id": "paging-app"}))
            .unwrap();
        let again = json!({"app_id": "paging-app", "cursor": page["cursor"]});
        let e = c.call_json("accounts_next", again).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Protocol, "{e}");
    }

    #[test]
    fn a_spawned_call_reports_once_and_its_cancel_ends_it() {
        use std::sync::mpsc;
        use std::time::{Duration, Instant};

        let mock = MockServer::start().unwrap();
        let c = client(&mock);
        c.authenticate().unwrap();
        let (tx, rx) = mpsc::channel();
        let sender = tx.clone();
        c.spawn(
            |c| {
                c.call_json(
                    "get_public_account_owner",
                    json!({"app_id": "demo-app", "app_user_id": "pub-1"}),
                )
            },
            move |r| sender.send(r).unwrap(),
        );
        assert_eq!(rx.recv().unwrap().unwrap()["user_name"], "zhangsan");

        mock.inject(Fault::delay(Duration::from_secs(10)));
        let task = c.spawn(
            |c| c.get_account("demo-app", "pub-1"),
            move |r| tx.send(r.map(|a| json!(a.id))).unwrap(),
        );
        while mock.stats().api_requests < 2 {
            std::thread::yield_now();
        }
        let cancelled = Instant::now();
        task.cancel();
        let outcome = rx.recv().unwrap();
        assert!(cancelled.elapsed() < Duration::from_millis(100));
        assert_eq!(outcome.unwrap_err().kind(), ErrorKind::Cancelled);
        while !task.is_finished() {
            std::thread::yield_now();
        }
        task.cancel(); // after the end: harmless
        assert!(rx.try_recv().is_err(), "on_done ran once");
    }
}
