//! `/__mock/...`: HTTP endpoints that drive the mock from any language
//! (C, Go, Node tests and users' own tests). They are never faulted and
//! never counted in the stats.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Value};

use crate::accounts::NewAccount;
use crate::faults::{default_body, CutPoint, Delivery, Ending, Fault, FaultAction, FaultTarget};
use crate::http::{Request, Response, JSON};
use crate::state::Shared;

pub(crate) fn handle(shared: &Shared, req: &Request, path: &str) -> Response {
    let result = match (req.method.as_str(), path) {
        // Serialized directly (not through a `Value`) to keep the fields in
        // declaration order.
        ("GET", "stats") => return Response::json(200, &shared.counters.snapshot()),
        ("POST", "reset") => {
            shared.reset();
            Ok(json!({}))
        }
        ("POST", "faults") => parse::<FaultSpec>(req).and_then(|spec| {
            shared.state().faults.push(spec.into_fault()?);
            Ok(json!({}))
        }),
        ("DELETE", "faults") => {
            shared.state().faults.clear();
            Ok(json!({}))
        }
        ("POST", "applications") => parse::<AppSpec>(req).map(|spec| {
            shared.state().tenant.add_application(&spec.app_id);
            json!({})
        }),
        ("POST", "public-accounts") => parse::<AccountSpec>(req).map(|spec| {
            let id = shared
                .state()
                .tenant
                .add_public_account(&spec.app_id, &spec.app_user_id);
            json!({ "account_id": id })
        }),
        ("POST", "users") => parse::<UserSpec>(req).map(|spec| {
            let id = shared
                .state()
                .tenant
                .add_user(&spec.user_name, spec.disabled);
            json!({ "user_id": id })
        }),
        ("POST", "token-lifetime") => parse::<LifetimeSpec>(req).and_then(|spec| {
            let lifetime = Duration::try_from_secs_f64(spec.seconds)
                .map_err(|_| "seconds must be a non-negative number".to_owned())?;
            shared.state().tenant.token_lifetime = lifetime;
            Ok(json!({}))
        }),
        ("POST", "expire-tokens") => {
            shared.state().tenant.expire_tokens();
            Ok(json!({}))
        }
        ("GET", "owner") => {
            let owner = shared
                .state()
                .tenant
                .owner_of(&param(req, "app_id"), &param(req, "app_user_id"));
            Ok(json!({ "user_name": owner }))
        }
        ("POST", "accounts") => parse::<NewAccountSpec>(req).map(|spec| {
            let id = shared
                .state()
                .tenant
                .add_account(&spec.app_id, spec.account);
            json!({ "account_id": id })
        }),
        ("GET", "account") => {
            let account = shared
                .state()
                .tenant
                .account_info(&param(req, "app_id"), &param(req, "account_id"));
            Ok(json!({ "account": account }))
        }
        ("GET", "account-count") => {
            let count = shared.state().tenant.account_count(&param(req, "app_id"));
            Ok(json!({ "count": count }))
        }
        ("GET", "members") => {
            let user_names = shared
                .state()
                .tenant
                .members_of(&param(req, "app_id"), &param(req, "account_id"));
            Ok(json!({ "user_names": user_names }))
        }
        ("POST", "password-is") => parse::<PasswordSpec>(req).map(|spec| {
            let matches =
                shared
                    .state()
                    .tenant
                    .password_is(&spec.app_id, &spec.account_id, &spec.password);
            json!({ "matches": matches })
        }),
        (_, path) if ENDPOINTS.contains(&path) => {
            return Response::json(405, &json!({"error": "method not allowed"}))
        }
        _ => return Response::json(404, &json!({"error": "unknown admin endpoint"})),
    };
    match result {
        Ok(value) => Response::json(200, &value),
        Err(message) => Response::json(400, &json!({ "error": message })),
    }
}

/// Paths under `/__mock/`, for telling 405 from 404.
const ENDPOINTS: &[&str] = &[
    "stats",
    "reset",
    "faults",
    "applications",
    "public-accounts",
    "users",
    "token-lifetime",
    "expire-tokens",
    "owner",
    "accounts",
    "account",
    "account-count",
    "members",
    "password-is",
];

/// A query parameter, `""` if absent.
fn param(req: &Request, name: &str) -> String {
    req.param(name).unwrap_or_default()
}

fn parse<T: for<'de> Deserialize<'de>>(req: &Request) -> Result<T, String> {
    serde_json::from_slice(&req.body).map_err(|e| format!("bad JSON body: {e}"))
}

#[derive(Deserialize)]
struct AppSpec {
    app_id: String,
}

#[derive(Deserialize)]
struct AccountSpec {
    app_id: String,
    app_user_id: String,
}

/// `POST /__mock/accounts`: `app_id` and the fields of a [`NewAccount`].
#[derive(Deserialize)]
struct NewAccountSpec {
    app_id: String,
    #[serde(flatten)]
    account: NewAccount,
}

#[derive(Deserialize)]
struct PasswordSpec {
    app_id: String,
    account_id: String,
    password: String,
}

#[derive(Deserialize)]
struct UserSpec {
    user_name: String,
    #[serde(default)]
    disabled: bool,
}

#[derive(Deserialize)]
struct LifetimeSpec {
    seconds: f64,
}

/// `POST /__mock/faults` body; every field optional.
#[derive(Deserialize)]
struct FaultSpec {
    target: Option<String>,
    count: Option<usize>,
    action: Option<String>,
    status: Option<u16>,
    body: Option<String>,
    content_type: Option<String>,
    retry_after: Option<Value>,
    delay_ms: Option<u64>,
    /// `before_status_line`, `in_headers` or `mid_body`.
    cut: Option<String>,
    /// How a cut connection ends: `reset` (default) or `close`.
    ending: Option<String>,
    /// Send the answer one byte every this many milliseconds.
    trickle_ms: Option<u64>,
}

impl FaultSpec {
    fn into_fault(self) -> Result<Fault, String> {
        let target: FaultTarget = self.target.as_deref().unwrap_or("api").parse()?;
        let status = self.status.unwrap_or(503);
        let action = match self.action.as_deref().unwrap_or("respond") {
            "respond" => FaultAction::Respond {
                status,
                body: self
                    .body
                    .map(String::into_bytes)
                    .unwrap_or_else(|| default_body(status)),
                content_type: self.content_type.unwrap_or_else(|| JSON.to_owned()),
                retry_after: self.retry_after.map(|v| match v {
                    Value::String(s) => s,
                    other => other.to_string(),
                }),
            },
            "close" => FaultAction::Close,
            "normal" => FaultAction::Normal,
            other => return Err(format!("unknown action {other:?}")),
        };
        let ending: Ending = self.ending.as_deref().unwrap_or("reset").parse()?;
        let delivery = match (self.cut.as_deref(), self.trickle_ms) {
            (None, None) => Delivery::Whole,
            (Some(_), Some(_)) => return Err("give cut or trickle_ms, not both".into()),
            (None, Some(ms)) => Delivery::Trickle(Duration::from_millis(ms)),
            (Some(at), None) => Delivery::Cut {
                at: at.parse::<CutPoint>()?,
                ending,
            },
        };
        Ok(Fault {
            target,
            count: self.count.unwrap_or(1),
            action,
            delay: Duration::from_millis(self.delay_ms.unwrap_or(0)),
            delivery,
        })
    }
}
