//! Routing and the token endpoint: which documented call a request names,
//! the bearer-token check every API call passes, and the mock's own
//! HTTP-level errors.

use std::borrow::Cow;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use percent_encoding::percent_decode_str;
use serde::Serialize;

use crate::account_calls;
use crate::accounts::AccountType;
use crate::http::{reason, Request, Response, JSON};
use crate::tenant::Tenant;

const API_ROOT: &str = "/api/v2/tenant/";

/// A stand-in ID token: the service sends a JWT nobody needs to verify.
const ID_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtb2NrIn0.bW9jaw";

/// Which endpoint a path names.
pub(crate) enum Route<'a> {
    Token,
    /// A call under `applications/{app_id}/accounts`; ids percent-decoded.
    Accounts {
        app_id: Cow<'a, str>,
        call: AccountCall<'a>,
    },
    NotFound,
}

/// The account-family calls, with the account id of those that name one.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum AccountCall<'a> {
    /// The collection itself: list accounts.
    List,
    /// `public-account`, `basic-account` or `orphan-account`.
    Create(AccountType),
    /// `public-account/{id}/owner`.
    Owner(Cow<'a, str>),
    /// `public-account/{id}/users`: list members.
    Members(Cow<'a, str>),
    /// `public-account/{id}/users/bind`.
    Bind(Cow<'a, str>),
    /// `public-account/{id}/users/unbind`.
    Unbind(Cow<'a, str>),
    /// `{id}`: get, update, delete.
    One(Cow<'a, str>),
    /// `{id}/disable` (true) or `{id}/enable` (false).
    SetDisabled(Cow<'a, str>, bool),
}

impl AccountCall<'_> {
    /// The methods it answers, as an `Allow` header lists them.
    fn allow(&self) -> &'static str {
        match self {
            AccountCall::List | AccountCall::Members(_) => "GET",
            AccountCall::Create(_) | AccountCall::Bind(_) | AccountCall::Unbind(_) => "POST",
            AccountCall::Owner(_) => "GET, POST",
            AccountCall::One(_) => "GET, PUT, DELETE",
            AccountCall::SetDisabled(..) => "PUT",
        }
    }
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
    let segments: Vec<&str> = rest.split('/').collect();
    let ["applications", app, "accounts", tail @ ..] = segments.as_slice() else {
        return Route::NotFound;
    };
    match account_call(tail) {
        Some(call) => Route::Accounts {
            app_id: decode(app),
            call,
        },
        None => Route::NotFound,
    }
}

/// The call the segments after `accounts` name. The literal segments share
/// a level with `{account_id}`, so they are matched first.
fn account_call<'a>(tail: &[&'a str]) -> Option<AccountCall<'a>> {
    Some(match *tail {
        [] => AccountCall::List,
        ["public-account"] => AccountCall::Create(AccountType::Public),
        ["basic-account"] => AccountCall::Create(AccountType::Basic),
        ["orphan-account"] => AccountCall::Create(AccountType::Orphan),
        ["public-account", id, "owner"] => AccountCall::Owner(decode(id)),
        ["public-account", id, "users"] => AccountCall::Members(decode(id)),
        ["public-account", id, "users", "bind"] => AccountCall::Bind(decode(id)),
        ["public-account", id, "users", "unbind"] => AccountCall::Unbind(decode(id)),
        [id] => AccountCall::One(decode(id)),
        [id, "disable"] => AccountCall::SetDisabled(decode(id), true),
        [id, "enable"] => AccountCall::SetDisabled(decode(id), false),
        _ => return None,
    })
}

fn decode(segment: &str) -> Cow<'_, str> {
    percent_decode_str(segment).decode_utf8_lossy()
}

/// Answers an API request. The method is checked before the token.
pub(crate) fn respond(route: &Route<'_>, req: &Request, tenant: &mut Tenant) -> Response {
    match route {
        Route::Token if req.method == "POST" => token(req, tenant),
        Route::Token => method_not_allowed("POST"),
        Route::Accounts { app_id, call } => {
            let allow = call.allow();
            if !allow.split(", ").any(|m| m == req.method) {
                return method_not_allowed(allow);
            }
            match authenticate(req, tenant) {
                Err(rejection) => rejection,
                Ok(()) => account_calls::respond(call, app_id, req, tenant),
            }
        }
        Route::NotFound => not_found(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The app id and call a path routes to.
    fn call_of(path: &str) -> Option<(String, AccountCall<'_>)> {
        match route(path) {
            Route::Accounts { app_id, call } => Some((app_id.into_owned(), call)),
            _ => None,
        }
    }

    #[test]
    fn routes_accept_a_prefix_and_decode_segments_one_by_one() {
        assert!(matches!(route("/api/v2/tenant/token"), Route::Token));
        assert!(matches!(route("/idaas/api/v2/tenant/token"), Route::Token));
        assert_eq!(
            call_of("/gw/api/v2/tenant/applications/a%2Fb/accounts/public-account/%20/owner"),
            Some(("a/b".into(), AccountCall::Owner(" ".into())))
        );
        assert_eq!(
            call_of("/api/v2/tenant/applications//accounts/public-account/x/owner"),
            Some(("".into(), AccountCall::Owner("x".into())))
        );
        for path in [
            "/api/v2/tenant/tokens",
            "/api/v2/tenant/applications/a/accounts/public-account/x/owner/more",
            "/api/v2/tenant/applications/a/accounts/public-account/owner",
            "/api/v2/tenant/applications/a/accounts/public-account/x/users/more",
            "/api/v2/tenant/applications/a/accounts/x/rename",
            "/api/v2/tenant/applications/a",
            "/api/v1/tenant/token",
        ] {
            assert!(matches!(route(path), Route::NotFound), "{path}");
        }
    }

    #[test]
    fn literal_segments_win_over_account_ids() {
        let base = "/api/v2/tenant/applications/app/accounts";
        let cases = [
            ("", AccountCall::List),
            ("/public-account", AccountCall::Create(AccountType::Public)),
            ("/basic-account", AccountCall::Create(AccountType::Basic)),
            ("/orphan-account", AccountCall::Create(AccountType::Orphan)),
            ("/public-account/p/users", AccountCall::Members("p".into())),
            (
                "/public-account/p/users/bind",
                AccountCall::Bind("p".into()),
            ),
            (
                "/public-account/p/users/unbind",
                AccountCall::Unbind("p".into()),
            ),
            ("/x%2Fy", AccountCall::One("x/y".into())),
            ("/", AccountCall::One("".into())),
            ("/x/disable", AccountCall::SetDisabled("x".into(), true)),
            ("/x/enable", AccountCall::SetDisabled("x".into(), false)),
        ];
        for (tail, call) in cases {
            let path = format!("{base}{tail}");
            assert_eq!(call_of(&path), Some(("app".into(), call)), "{path}");
        }
    }

    #[test]
    fn sys_errors_use_four_digit_codes() {
        assert_eq!(
            sys_error(404).body,
            br#"{"error_code":" SYS.0404","error_msg":"Not Found"}"#
        );
    }
}
