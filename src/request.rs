//! The raw request: any endpoint of the management API that eiam does not
//! wrap yet, with the same token, deadline, retries, errors and redaction
//! as the typed calls.

use serde_json::Value;
use zeroize::Zeroizing;

use crate::client::{ApiCall, Client};
use crate::error::{Error, Result};
use crate::path;
use crate::response::{self, Endpoint};
use crate::transport::Method;

/// Every raw path starts here: the management API, under the base URL.
const API_PREFIX: &str = "/api/";

/// Rejects a path that is not one already-encoded path under `/api/`:
/// a query or fragment (the query is its own argument), characters a URL
/// cannot carry, and `.`/`..` segments (which would leave `/api/`).
fn check_path(path: &str) -> Result<()> {
    let bad = |why: &str| Error::invalid_argument(format!("path {why}"));
    if !path.starts_with(API_PREFIX) {
        return Err(bad("must start with /api/"));
    }
    if path.len() > 8 * path::MAX_ID_LEN {
        return Err(bad("is too long"));
    }
    if let Some(c) = path
        .chars()
        .find(|c| !c.is_ascii_graphic() || matches!(c, '?' | '#'))
    {
        return Err(bad(&format!(
            "must be percent-encoded, without a query or fragment (found {c:?}); \
             pass the query separately"
        )));
    }
    if path.split('/').any(|s| s == "." || s == "..") {
        return Err(bad("must not contain '.' or '..' segments"));
    }
    Ok(())
}

/// The values of every `password` key of a body, at any depth, so that an
/// answer that echoes one cannot show it.
fn passwords(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match v {
                    Value::String(s) if key == "password" => found.push(s.clone()),
                    other => passwords(other, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| passwords(v, found)),
        _ => {}
    }
}

impl Client {
    /// Sends any management API request: `method` to `path` (relative to the
    /// base URL, starting with `/api/`, sent as given) with `query` pairs
    /// (encoded) and an optional JSON body, with the client's token, deadline,
    /// retries and errors. Returns the answer's JSON, or nothing for an empty
    /// answer. It is retried as a typed call is when `idempotent` says so (by
    /// default GET, PUT and DELETE are; POST and PATCH only when they certainly
    /// did not arrive).
    ///
    /// Errors:
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) for an
    /// unknown `method` or a `path` not under `/api/`, before anything is sent;
    /// [`ErrorKind::Api`](crate::ErrorKind::Api) with the service's code for an
    /// error answer (the values of `password` keys in the body are redacted
    /// from it); [`ErrorKind::Protocol`](crate::ErrorKind::Protocol) for an
    /// answer that is not JSON.
    ///
    /// Encode ids in `path` yourself; the answer is `None` for an empty body
    /// (a 204, say).
    ///
    /// # Examples
    ///
    /// ```
    /// # let mock = eiam_mock::MockServer::start()?;
    /// # let config = eiam::Config::builder(mock.base_url())
    /// #     .client_credentials(mock.client_id(), mock.client_secret())
    /// #     .build()?;
    /// # let client = eiam::Client::new(config)?;
    /// use eiam::Method;
    ///
    /// let answer = client.request(Method::Get, "/api/v2/tenant/applications/demo-app/accounts/pub-1", &[], None, None)?;
    /// assert_eq!(answer.unwrap()["account_type"], "PUBLIC_ACCOUNT");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn request(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
        idempotent: Option<bool>,
    ) -> Result<Option<Value>> {
        check_path(path)?;
        for (i, (name, value)) in query.iter().enumerate() {
            path::check_text(&format!("query[{i}].name"), name)?;
            path::check_text(&format!("query[{i}].value"), value)?;
        }
        let mut target = path.to_owned();
        path::push_query(&mut target, query);
        let encoded = match body {
            Some(value) => Zeroizing::new(
                serde_json::to_vec(value)
                    .map_err(|e| Error::internal(format!("encoding the request failed: {e}")))?,
            ),
            None => Zeroizing::new(Vec::new()),
        };
        let mut secrets = Vec::new();
        if let Some(value) = body {
            passwords(value, &mut secrets);
        }
        let secrets: Vec<Zeroizing<String>> = secrets.into_iter().map(Zeroizing::new).collect();
        let call = ApiCall {
            method,
            path: &target,
            body: &encoded,
            idempotent: idempotent.unwrap_or(method.is_idempotent()),
            secret: None,
        };
        self.exchange(&call, |received, known| {
            let mut all: Vec<&str> = known.to_vec();
            all.extend(secrets.iter().map(|s| s.as_str()));
            response::decode_optional(received, Endpoint::Api, &all)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_paths_stay_under_api_and_encoded() {
        assert!(check_path("/api/v2/tenant/users").is_ok());
        assert!(check_path("/api/v2/tenant/users/a%2Fb").is_ok());
        for bad in [
            "api/v2",
            "/v2/tenant",
            "/api/../token",
            "/api/./x",
            "/api/v2/users?offset=0",
            "/api/v2/x#y",
            "/api/v2/a b",
            "/api/v2/张三",
            "/api/v2/a\r\n",
        ] {
            assert!(check_path(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn passwords_are_found_at_any_depth() {
        let body =
            serde_json::json!({"password": "p1", "x": [{"password": "p2"}], "y": {"password": 3}});
        let mut found = Vec::new();
        passwords(&body, &mut found);
        assert_eq!(found, ["p1", "p2"]);
    }
}
