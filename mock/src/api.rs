//! The documented EIAM endpoints: the token endpoint and the two
//! public-account owner calls, with the service's error codes (leading
//! space included) and Chinese messages.

use std::time::Duration;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use percent_encoding::percent_decode_str;
use serde_json::{json, Value};

use crate::http::{Request, Response};
use crate::tenant::Tenant;

const API_ROOT: &str = "/api/v2/tenant/";

/// Which endpoint a path names; any prefix before `/api/v2/tenant/` is
/// accepted, as a reverse proxy would strip it.
pub(crate) enum Route {
    Token,
    Owner { app_id: String, app_user_id: String },
    NotFound,
}

pub(crate) fn route(path: &str) -> Route {
    let Some(at) = path.find(API_ROOT) else {
        return Route::NotFound;
    };
    let rest = &path[at + API_ROOT.len()..];
    if rest == "token" {
        return Route::Token;
    }
    // Split first, then decode each segment: `a%2Fb` is one id.
    let segments: Vec<&str> = rest.split('/').collect();
    match segments.as_slice() {
        ["applications", app, "accounts", "public-account", account, "owner"] => Route::Owner {
            app_id: decode(app),
            app_user_id: decode(account),
        },
        _ => Route::NotFound,
    }
}

fn decode(segment: &str) -> String {
    percent_decode_str(segment).decode_utf8_lossy().into_owned()
}

/// `{"error_code":" APP.0001","error_msg":"应用不存在"}` with status 400,
/// exactly as the service sends it.
pub(crate) fn eiam_error(code: &str, message: &str) -> Response {
    Response::json(
        400,
        &json!({"error_code": format!(" {code}"), "error_msg": message}),
    )
}

fn oauth_error(status: u16, error: &str, description: &str) -> Response {
    Response::json(
        status,
        &json!({"error": error, "error_description": description}),
    )
}

/// Settings the endpoints need besides the tenant's data.
pub(crate) struct Credentials<'a> {
    pub client_id: &'a str,
    pub client_secret: &'a str,
    pub token_lifetime: Duration,
}

pub(crate) fn token(req: &Request, creds: &Credentials<'_>, tenant: &mut Tenant) -> Response {
    if req.method != "POST" {
        return method_not_allowed();
    }
    let form: Vec<(String, String)> = form_urlencoded::parse(&req.body).into_owned().collect();
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    if field("grant_type").as_deref() != Some("client_credentials") {
        return oauth_error(
            400,
            "unsupported_grant_type",
            "Unsupported grant type: only client_credentials is supported",
        );
    }
    let (id, secret) = match basic_credentials(req) {
        Some(pair) => pair,
        None => (
            field("client_id").unwrap_or_default(),
            field("client_secret").unwrap_or_default(),
        ),
    };
    if id != creds.client_id || secret != creds.client_secret {
        return oauth_error(401, "invalid_client", "Bad client credentials");
    }
    let access_token = tenant.issue_token(creds.token_lifetime);
    // expires_in is whole seconds, rounded up, at least 1.
    let lifetime = creds.token_lifetime;
    let expires_in = (lifetime.as_secs() + u64::from(lifetime.subsec_nanos() > 0)).max(1);
    Response::json(
        200,
        &json!({
            "access_token": access_token,
            "token_type": "bearer",
            "expires_in": expires_in,
            "scope": "all",
            "id_token": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtb2NrIn0.bW9jaw",
        }),
    )
}

fn basic_credentials(req: &Request) -> Option<(String, String)> {
    let value = req.header("authorization")?.trim();
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(BASE64.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

/// Checks the bearer token like the service: missing → 401, unknown or
/// expired → 400 `invalid_token` echoing the token back.
pub(crate) fn authenticate(req: &Request, tenant: &Tenant) -> Result<(), Response> {
    let Some(value) = req.header("authorization") else {
        return Err(oauth_error(
            401,
            "unauthorized",
            "Full authentication is required to access this resource",
        ));
    };
    let token = value
        .trim()
        .strip_prefix("Bearer ")
        .or_else(|| value.trim().strip_prefix("bearer "))
        .unwrap_or("")
        .trim();
    if tenant.token_is_valid(token) {
        Ok(())
    } else {
        Err(oauth_error(
            400,
            "invalid_token",
            &format!("Invalid access token: {token}"),
        ))
    }
}

pub(crate) fn owner(
    req: &Request,
    app_id: &str,
    app_user_id: &str,
    tenant: &mut Tenant,
) -> Response {
    let bind_to = match req.method.as_str() {
        "GET" => None,
        "POST" => match serde_json::from_slice::<Value>(&req.body) {
            Err(_) => return eiam_error("SYS.0001", "请求体格式错误"),
            Ok(body) => match body.get("user_name").and_then(Value::as_str) {
                Some(name) if !name.trim().is_empty() => Some(name.to_owned()),
                _ => return eiam_error("APP.ACCOUNT.0048", "用户名不能为空"),
            },
        },
        _ => return method_not_allowed(),
    };
    if app_id.trim().is_empty() {
        return eiam_error("APP.0006", "应用ID不能为空");
    }
    let Some(accounts) = tenant.apps.get_mut(app_id) else {
        return eiam_error("APP.0001", "应用不存在");
    };
    if app_user_id.trim().is_empty() {
        return eiam_error("APP.ACCOUNT.0047", "账号的ID不能为空");
    }
    let Some(account) = accounts.get_mut(app_user_id) else {
        return eiam_error("APP.ACCOUNT.0038", "公共账号不存在");
    };
    match bind_to {
        Some(user_name) => {
            if !tenant.users.contains_key(&user_name) {
                return eiam_error("APP.ACCOUNT.0037", "责任人不存在");
            }
            account.owner = Some(user_name);
            Response::json(200, &json!({"account_id": account.account_id}))
        }
        None => {
            let owner = account
                .owner
                .as_ref()
                .and_then(|name| tenant.users.get(name).map(|u| (name, u)));
            match owner {
                Some((name, user)) => Response::json(
                    200,
                    &json!({"user_id": user.user_id, "user_name": name, "disabled": user.disabled}),
                ),
                None => eiam_error("APP.ACCOUNT.0037", "责任人不存在"),
            }
        }
    }
}

pub(crate) fn not_found() -> Response {
    Response::json(
        404,
        &json!({"error_code": " SYS.0404", "error_msg": "Not Found"}),
    )
}

pub(crate) fn method_not_allowed() -> Response {
    Response::json(
        405,
        &json!({"error_code": " SYS.0405", "error_msg": "Method Not Allowed"}),
    )
}
