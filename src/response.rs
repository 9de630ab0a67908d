//! What a response means: the expected JSON, an API error, an OAuth-style
//! auth error, or something unexpected (a protocol error).

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::{normalize_code, Error, ErrorKind, Result};
use crate::secret::redact;
use crate::transport::Received;

/// OAuth `error` values that mean "your credentials or token are not good
/// enough", whichever endpoint sends them.
const AUTH_ERRORS: [&str; 4] = [
    "invalid_token",
    "invalid_client",
    "insufficient_scope",
    "access_denied",
];

/// Longest excerpt of an unexpected body quoted in an error message.
const EXCERPT_CHARS: usize = 200;

/// Which endpoint answered, since the token endpoint's errors are all
/// authentication failures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Endpoint {
    Token,
    Api,
}

/// Whether an API call's answer says the token was not accepted: 401, or an
/// OAuth body with `error=invalid_token` (the service sends it with 400).
pub(crate) fn is_token_rejected(received: &Received) -> bool {
    // A success is never a rejection: skip parsing its body twice (this
    // check runs on every answer, so it is on the hot path).
    if (200..300).contains(&received.status) {
        return false;
    }
    received.status == 401
        || json_object(&received.body)
            .and_then(|o| string_field(&o, "error"))
            .is_some_and(|e| e.trim() == "invalid_token")
}

/// Decodes a 2xx answer into `T`, or turns any other answer into an error.
/// `secrets` are redacted from every message built from the body.
pub(crate) fn decode<T: DeserializeOwned>(
    received: &Received,
    endpoint: Endpoint,
    secrets: &[&str],
) -> Result<T> {
    if (200..300).contains(&received.status) {
        match serde_json::from_slice::<T>(&received.body) {
            Ok(value) => Ok(value),
            // Some gateways answer 200 with an error body.
            Err(_) if service_error(received, endpoint, secrets).is_some() => {
                Err(service_error(received, endpoint, secrets).expect("checked above"))
            }
            Err(e) => Err(protocol_error(
                received,
                &format!("unexpected response body ({e})"),
                secrets,
            )),
        }
    } else {
        Err(error_from(received, endpoint, secrets))
    }
}

/// As [`decode`], but a 2xx answer with an empty body (a 204, say) is
/// `None` rather than an error.
pub(crate) fn decode_optional<T: DeserializeOwned>(
    received: &Received,
    endpoint: Endpoint,
    secrets: &[&str],
) -> Result<Option<T>> {
    if (200..300).contains(&received.status) && received.body.trim_ascii().is_empty() {
        return Ok(None);
    }
    decode(received, endpoint, secrets).map(Some)
}

/// The error an unsuccessful answer stands for.
pub(crate) fn error_from(received: &Received, endpoint: Endpoint, secrets: &[&str]) -> Error {
    if let Some(err) = service_error(received, endpoint, secrets) {
        return err;
    }
    if endpoint == Endpoint::Token && matches!(received.status, 400 | 401 | 403) {
        return Error::new(
            ErrorKind::Auth,
            format!(
                "the token endpoint refused the client credentials: {}",
                excerpt(&received.body, secrets)
            ),
        )
        .with_status(received.status);
    }
    if received.status == 401 {
        return Error::new(ErrorKind::Auth, "the access token was rejected")
            .with_status(received.status);
    }
    protocol_error(received, "unexpected response", secrets)
}

/// An error the service described itself, in either of its two formats.
fn service_error(received: &Received, endpoint: Endpoint, secrets: &[&str]) -> Option<Error> {
    let body = json_object(&received.body)?;
    // The token endpoint's client errors are about the credentials; its
    // server errors (5xx) are an outage, not a reason to doubt them.
    let refused_credentials = endpoint == Endpoint::Token && received.status < 500;
    if let Some(code) = string_field(&body, "error_code") {
        let message = string_field(&body, "error_msg").unwrap_or_default();
        let kind = if refused_credentials {
            ErrorKind::Auth
        } else {
            ErrorKind::Api
        };
        return Some(
            Error::new(kind, redact(&message, secrets))
                .with_status(received.status)
                .with_code(normalize_code(&redact(&code, secrets))),
        );
    }
    let code = string_field(&body, "error")?;
    let code = redact(code.trim(), secrets);
    let description = string_field(&body, "error_description").unwrap_or_else(|| code.clone());
    let kind = if refused_credentials || AUTH_ERRORS.contains(&code.as_str()) {
        ErrorKind::Auth
    } else {
        ErrorKind::Api
    };
    Some(
        Error::new(kind, redact(&description, secrets))
            .with_status(received.status)
            .with_code(code),
    )
}

fn protocol_error(received: &Received, what: &str, secrets: &[&str]) -> Error {
    // `what` may quote the body too (serde_json's messages do), so it is
    // redacted like the excerpt.
    Error::new(
        ErrorKind::Protocol,
        format!(
            "{} (HTTP {}): {}",
            redact(what, secrets),
            received.status,
            excerpt(&received.body, secrets)
        ),
    )
    .with_status(received.status)
}

fn json_object(body: &[u8]) -> Option<Map<String, Value>> {
    match serde_json::from_slice::<Value>(body).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

fn string_field(object: &Map<String, Value>, name: &str) -> Option<String> {
    object.get(name)?.as_str().map(str::to_owned)
}

/// A short, printable, secret-free quote of a body for error messages.
/// Redacted before it is cut, so no part of a secret survives the cut.
pub(crate) fn excerpt(body: &[u8], secrets: &[&str]) -> String {
    if body.is_empty() {
        return "(empty body)".into();
    }
    let text = redact(&String::from_utf8_lossy(body), secrets);
    let mut out: String = text
        .chars()
        .take(EXCERPT_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out.trim().to_owned()
}

/// The token values in a token endpoint's body, found even when the body
/// is not valid JSON (cut short, or with fields of the wrong type), so that
/// no error message or log built from it can show them.
pub(crate) fn token_fields(body: &[u8]) -> Vec<zeroize::Zeroizing<String>> {
    const FIELDS: [&str; 3] = ["\"access_token\"", "\"refresh_token\"", "\"id_token\""];
    let text = String::from_utf8_lossy(body);
    let mut found = Vec::new();
    for field in FIELDS {
        for (at, _) in text.match_indices(field) {
            let rest = text[at + field.len()..].trim_start();
            let Some(rest) = rest.strip_prefix(':') else {
                continue;
            };
            let Some(rest) = rest.trim_start().strip_prefix('"') else {
                continue;
            };
            // Up to the closing quote that is not escaped, or the end.
            let mut end = rest.len();
            let mut escaped = false;
            for (i, c) in rest.char_indices() {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => {
                        end = i;
                        break;
                    }
                    _ => escaped = false,
                }
            }
            let raw = &rest[..end];
            if !raw.is_empty() {
                found.push(zeroize::Zeroizing::new(raw.to_owned()));
                let decoded = redact(raw, &[]);
                if decoded != raw {
                    found.push(zeroize::Zeroizing::new(decoded));
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn received(status: u16, body: &str) -> Received {
        Received {
            status,
            body: body.as_bytes().to_vec(),
            retry_after: None,
            after_possible_delivery: false,
        }
    }

    #[derive(serde::Deserialize, Debug)]
    struct AccountId {
        #[allow(dead_code)]
        account_id: String,
    }

    #[test]
    fn api_error_codes_are_normalized_and_messages_kept() {
        let r = received(
            400,
            r#"{"error_code":" APP.ACCOUNT. 0038","error_msg":"公共账号不存在"}"#,
        );
        let e = decode::<AccountId>(&r, Endpoint::Api, &[]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Api);
        assert_eq!(e.http_status(), Some(400));
        assert_eq!(e.code(), Some("APP.ACCOUNT.0038"));
        assert_eq!(e.message(), "公共账号不存在");
    }

    #[test]
    fn oauth_errors_are_auth_errors_with_the_token_redacted() {
        let r = received(
            400,
            r#"{"error":"invalid_token","error_description":"Invalid access token: tok-123"}"#,
        );
        assert!(is_token_rejected(&r));
        let e = error_from(&r, Endpoint::Api, &["tok-123"]);
        assert_eq!(e.kind(), ErrorKind::Auth);
        assert_eq!(e.code(), Some("invalid_token"));
        assert_eq!(e.message(), "Invalid access token: [redacted]");
        assert!(!e.to_string().contains("tok-123"));
    }

    #[test]
    fn other_oauth_errors_on_api_calls_stay_api_errors() {
        let r = received(400, r#"{"error":"server_busy","error_description":"busy"}"#);
        let e = error_from(&r, Endpoint::Api, &[]);
        assert_eq!((e.kind(), e.code()), (ErrorKind::Api, Some("server_busy")));
        let e = error_from(&r, Endpoint::Token, &[]);
        assert_eq!(e.kind(), ErrorKind::Auth);
    }

    #[test]
    fn server_errors_of_the_token_endpoint_are_not_auth_errors() {
        let eiam = received(500, r#"{"error_code":" SYS.0500","error_msg":"oops"}"#);
        let oauth = received(503, r#"{"error":"temporarily_unavailable"}"#);
        for r in [eiam, oauth] {
            let e = error_from(&r, Endpoint::Token, &[]);
            assert_eq!(e.kind(), ErrorKind::Api, "{e}");
        }
    }

    #[test]
    fn html_and_garbage_are_protocol_errors_with_a_short_excerpt() {
        let page = format!("<html><body>Bad Gateway{}</body></html>", "x".repeat(1000));
        let e = error_from(&received(502, &page), Endpoint::Api, &[]);
        assert_eq!(
            (e.kind(), e.http_status()),
            (ErrorKind::Protocol, Some(502))
        );
        assert!(e.message().contains("<html><body>Bad Gateway"));
        assert!(e.message().chars().count() < 300, "{}", e.message());
    }

    #[test]
    fn a_2xx_missing_a_field_is_a_protocol_error() {
        let e =
            decode::<AccountId>(&received(200, r#"{"id":"x"}"#), Endpoint::Api, &[]).unwrap_err();
        assert_eq!(
            (e.kind(), e.http_status()),
            (ErrorKind::Protocol, Some(200))
        );
        assert!(e.message().contains("account_id"), "{}", e.message());
    }

    #[test]
    fn a_body_quoted_by_the_json_parser_is_redacted_too() {
        // Found by the `responses` fuzz target: serde_json's error message
        // quotes the string it could not use.
        let r = received(200, r#""Invalid access token: tok-777""#);
        let e = decode::<AccountId>(&r, Endpoint::Api, &["tok-777"]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Protocol);
        assert!(!e.to_string().contains("tok-777"), "{e}");
    }

    #[test]
    fn a_2xx_carrying_an_error_body_is_that_error() {
        let r = received(
            200,
            r#"{"error_code":" APP.0001","error_msg":"应用不存在"}"#,
        );
        let e = decode::<AccountId>(&r, Endpoint::Api, &[]).unwrap_err();
        assert_eq!((e.kind(), e.code()), (ErrorKind::Api, Some("APP.0001")));
    }

    #[test]
    fn a_bare_401_is_a_token_rejection() {
        let r = received(401, "");
        assert!(is_token_rejected(&r));
        assert_eq!(error_from(&r, Endpoint::Api, &[]).kind(), ErrorKind::Auth);
        assert!(!is_token_rejected(&received(
            400,
            r#"{"error_code":"APP.0001"}"#
        )));
        // A success is the answer, whatever its body says.
        assert!(!is_token_rejected(&received(
            200,
            r#"{"error":"invalid_token"}"#
        )));
    }

    #[test]
    fn a_secret_across_the_excerpts_cut_leaves_nothing_behind() {
        let secret = "TOKEN-0123456789abcdef";
        let body = format!("{}{secret} and more", "x".repeat(EXCERPT_CHARS - 5));
        let shown = excerpt(body.as_bytes(), &[secret]);
        assert!(!shown.contains("TOKEN"), "{shown}");
    }

    #[test]
    fn token_values_are_found_in_broken_bodies() {
        let fields = |body: &str| -> Vec<String> {
            token_fields(body.as_bytes())
                .iter()
                .map(|t| t.to_string())
                .collect()
        };
        assert_eq!(
            fields(r#"{"access_token":"AT-live-1","token_type":1}"#),
            ["AT-live-1"]
        );
        assert_eq!(fields(r#"{"access_token" : "AT-cut"#), ["AT-cut"]);
        assert_eq!(fields(r#"{"refresh_token":"RT\/1"}"#), ["RT\\/1", "RT/1"]);
        assert!(fields(r#"{"access_token":null}"#).is_empty());
    }

    #[test]
    fn codes_are_redacted_like_messages() {
        let r = received(400, r#"{"error":"bad tok-999","error_description":"x"}"#);
        let e = error_from(&r, Endpoint::Token, &["tok-999"]);
        assert_eq!(e.code(), Some("bad [redacted]"));
        let r = received(400, r#"{"error_code":"tok-999","error_msg":"x"}"#);
        assert_eq!(
            error_from(&r, Endpoint::Api, &["tok-999"]).code(),
            Some("[redacted]")
        );
    }

    #[test]
    fn excerpts_are_printable_and_redacted() {
        assert_eq!(excerpt(b"", &[]), "(empty body)");
        assert_eq!(
            excerpt(b"a\r\nb\xff secret!", &["secret"]),
            "a  b\u{fffd} [redacted]!"
        );
    }
}
