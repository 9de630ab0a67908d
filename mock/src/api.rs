//! The documented EIAM endpoints: the token endpoint and the two
//! public-account owner calls, with the service's error codes (leading
//! space included) and Chinese messages.

use std::borrow::Cow;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use percent_encoding::percent_decode_str;
use serde::Serialize;

use crate::http::{reason, Request, Response, JSON};
use crate::tenant::Tenant;

const API_ROOT: &str = "/api/v2/tenant/";

/// An EIAM error: `(error_code, error_msg)` exactly as the service sends
/// them, leading space included.
type Code = (&'static str, &'static str);

const APP_ID_EMPTY: Code = (" APP.0006", "应用ID不能为空");
const APP_NOT_FOUND: Code = (" APP.0001", "应用不存在");
const ACCOUNT_ID_EMPTY: Code = (" APP.ACCOUNT.0047", "账号的ID不能为空");
const ACCOUNT_NOT_FOUND: Code = (" APP.ACCOUNT.0038", "公共账号不存在");
const OWNER_NOT_FOUND: Code = (" APP.ACCOUNT.0037", "责任人不存在");
const USER_NAME_EMPTY: Code = (" APP.ACCOUNT.0048", "用户名不能为空");
const BAD_BODY: Code = (" SYS.0001", "请求体格式错误");

/// A stand-in ID token: the service sends a JWT nobody needs to verify.
const ID_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtb2NrIn0.bW9jaw";

/// Which endpoint a path names.
pub(crate) enum Route<'a> {
    Token,
    /// The owner of a public account; ids percent-decoded.
    Owner {
        app_id: Cow<'a, str>,
        app_user_id: Cow<'a, str>,
    },
    NotFound,
}

/// Routes a path (without query). Anything before the first
/// `/api/v2/tenant/` is ignored, as a base URL may carry a path prefix.
pub(crate) fn route(path: &str) -> Route<'_> {
    let Some(at) = path.find(API_ROOT) else {
        return Route::NotFound;
    };
    let rest = &path[at + API_ROOT.len()..];
    if rest == "token" {
        return Route::Token;
    }
    // Split first, then decode each segment: `a%2Fb` is one id.
    let mut s = rest.split('/');
    match [
        s.next(),
        s.next(),
        s.next(),
        s.next(),
        s.next(),
        s.next(),
        s.next(),
    ] {
        [Some("applications"), Some(app), Some("accounts"), Some("public-account"), Some(account), Some("owner"), None] => {
            Route::Owner {
                app_id: decode(app),
                app_user_id: decode(account),
            }
        }
        _ => Route::NotFound,
    }
}

fn decode(segment: &str) -> Cow<'_, str> {
    percent_decode_str(segment).decode_utf8_lossy()
}

/// Answers an API request.
pub(crate) fn respond(route: &Route<'_>, req: &Request, tenant: &mut Tenant) -> Response {
    match (route, req.method.as_str()) {
        (Route::Token, "POST") => token(req, tenant),
        (Route::Token, _) => method_not_allowed("POST"),
        (
            Route::Owner {
                app_id,
                app_user_id,
            },
            "GET" | "POST",
        ) => match authenticate(req, tenant) {
            Err(rejection) => rejection,
            Ok(()) => owner(req, app_id, app_user_id, tenant),
        },
        (Route::Owner { .. }, _) => method_not_allowed("GET, POST"),
        (Route::NotFound, _) => not_found(),
    }
}

#[derive(Serialize)]
struct EiamError {
    error_code: &'static str,
    error_msg: &'static str,
}

/// HTTP 400 with an EIAM error body.
fn eiam_error((error_code, error_msg): Code) -> Response {
    Response::json(
        400,
        &EiamError {
            error_code,
            error_msg,
        },
    )
}

/// `{"error_code":" SYS.0503","error_msg":"Service Unavailable"}`: the
/// body of the mock's own HTTP-level errors and, by default, of faults.
pub(crate) fn sys_error_body(status: u16) -> String {
    format!(
        r#"{{"error_code":" SYS.{status:04}","error_msg":"{}"}}"#,
        reason(status)
    )
}

/// An HTTP-level error (404, 405, 413, ...) in the EIAM style.
pub(crate) fn sys_error(status: u16) -> Response {
    Response::new(status, JSON.into(), sys_error_body(status).into_bytes())
}

fn not_found() -> Response {
    sys_error(404)
}

fn method_not_allowed(allow: &'static str) -> Response {
    sys_error(405).with_header("Allow", allow)
}

#[derive(Serialize)]
struct OAuthError<'a> {
    error: &'static str,
    error_description: &'a str,
}

fn oauth_error(status: u16, error: &'static str, error_description: &str) -> Response {
    Response::json(
        status,
        &OAuthError {
            error,
            error_description,
        },
    )
}

#[derive(Serialize)]
struct TokenBody<'a> {
    access_token: &'a str,
    token_type: &'static str,
    expires_in: u64,
    scope: &'static str,
    id_token: &'static str,
}

/// `POST /api/v2/tenant/token`: client credentials by Basic auth or as
/// form parameters.
fn token(req: &Request, tenant: &mut Tenant) -> Response {
    let field = |name: &str| {
        form_urlencoded::parse(&req.body)
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    };
    if field("grant_type").as_deref() != Some("client_credentials") {
        return oauth_error(
            400,
            "unsupported_grant_type",
            "Unsupported grant type: only client_credentials is supported",
        );
    }
    let (id, secret) = match basic_credentials(req) {
        Some((id, secret)) => (Cow::Owned(id), Cow::Owned(secret)),
        None => (
            field("client_id").unwrap_or_default(),
            field("client_secret").unwrap_or_default(),
        ),
    };
    if id != tenant.client_id || secret != tenant.client_secret {
        return oauth_error(401, "invalid_client", "Bad client credentials");
    }
    let access_token = tenant.issue_token();
    // Whole seconds, rounded up, at least 1.
    let lifetime = tenant.token_lifetime;
    let expires_in = (lifetime.as_secs() + u64::from(lifetime.subsec_nanos() > 0)).max(1);
    Response::json(
        200,
        &TokenBody {
            access_token: &access_token,
            token_type: "bearer",
            expires_in,
            scope: "all",
            id_token: ID_TOKEN,
        },
    )
}

fn basic_credentials(req: &Request) -> Option<(String, String)> {
    let (scheme, encoded) = req.header("authorization")?.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(BASE64.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

/// Checks the bearer token like the service: missing, unknown or expired
/// → 400 `invalid_token`, echoing the token as sent.
fn authenticate(req: &Request, tenant: &Tenant) -> Result<(), Response> {
    let token = req
        .header("authorization")
        .and_then(|value| value.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map_or("", |(_, token)| token.trim());
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

#[derive(Serialize)]
struct AccountIdBody<'a> {
    account_id: &'a str,
}

#[derive(Serialize)]
struct OwnerBody<'a> {
    user_id: &'a str,
    user_name: &'a str,
    disabled: bool,
}

/// The owner calls: `GET` queries the owner, `POST` binds one.
fn owner(req: &Request, app_id: &str, app_user_id: &str, tenant: &mut Tenant) -> Response {
    let bind_to = if req.method == "POST" {
        match user_name(&req.body) {
            Ok(name) => Some(name),
            Err(code) => return eiam_error(code),
        }
    } else {
        None
    };
    if app_id.trim().is_empty() {
        return eiam_error(APP_ID_EMPTY);
    }
    let Some(accounts) = tenant.apps.get_mut(app_id) else {
        return eiam_error(APP_NOT_FOUND);
    };
    if app_user_id.trim().is_empty() {
        return eiam_error(ACCOUNT_ID_EMPTY);
    }
    let Some(account) = accounts.get_mut(app_user_id) else {
        return eiam_error(ACCOUNT_NOT_FOUND);
    };
    match bind_to {
        Some(user_name) => {
            if !tenant.users.contains_key(&user_name) {
                return eiam_error(OWNER_NOT_FOUND);
            }
            // Binding again replaces the owner.
            account.owner = Some(user_name);
            Response::json(
                200,
                &AccountIdBody {
                    account_id: &account.account_id,
                },
            )
        }
        None => {
            let owner = account
                .owner
                .as_deref()
                .and_then(|name| Some((name, tenant.users.get(name)?)));
            match owner {
                Some((user_name, user)) => Response::json(
                    200,
                    &OwnerBody {
                        user_id: &user.user_id,
                        user_name,
                        disabled: user.disabled,
                    },
                ),
                None => eiam_error(OWNER_NOT_FOUND),
            }
        }
    }
}

/// The `user_name` of a bind request's body.
fn user_name(body: &[u8]) -> Result<String, Code> {
    use serde_json::Value;
    let Ok(Value::Object(mut fields)) = serde_json::from_slice(body) else {
        return Err(BAD_BODY);
    };
    match fields.remove("user_name") {
        Some(Value::String(name)) if !name.trim().is_empty() => Ok(name),
        _ => Err(USER_NAME_EMPTY),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner_ids(path: &str) -> Option<(String, String)> {
        match route(path) {
            Route::Owner {
                app_id,
                app_user_id,
            } => Some((app_id.into_owned(), app_user_id.into_owned())),
            _ => None,
        }
    }

    #[test]
    fn routes_accept_a_prefix_and_decode_segments_one_by_one() {
        assert!(matches!(route("/api/v2/tenant/token"), Route::Token));
        assert!(matches!(route("/idaas/api/v2/tenant/token"), Route::Token));
        assert_eq!(
            owner_ids("/gw/api/v2/tenant/applications/a%2Fb/accounts/public-account/%20/owner"),
            Some(("a/b".into(), " ".into()))
        );
        assert_eq!(
            owner_ids("/api/v2/tenant/applications//accounts/public-account/x/owner"),
            Some(("".into(), "x".into()))
        );
        for path in [
            "/api/v2/tenant/tokens",
            "/api/v2/tenant/applications/a/accounts/public-account/x/owner/more",
            "/api/v2/tenant/applications/a/accounts/public-account/owner",
            "/api/v1/tenant/token",
        ] {
            assert!(matches!(route(path), Route::NotFound), "{path}");
        }
    }

    #[test]
    fn bind_bodies_are_checked() {
        assert_eq!(user_name(br#"{"user_name":"lisi"}"#), Ok("lisi".into()));
        assert_eq!(user_name(br#"{"user_name":" "}"#), Err(USER_NAME_EMPTY));
        assert_eq!(user_name(br#"{"user_name":7}"#), Err(USER_NAME_EMPTY));
        assert_eq!(user_name(b"{}"), Err(USER_NAME_EMPTY));
        assert_eq!(user_name(b"{oops"), Err(BAD_BODY));
        assert_eq!(user_name(b"[1]"), Err(BAD_BODY));
    }

    #[test]
    fn sys_errors_use_four_digit_codes() {
        assert_eq!(
            sys_error(404).body,
            br#"{"error_code":" SYS.0404","error_msg":"Not Found"}"#
        );
    }
}
