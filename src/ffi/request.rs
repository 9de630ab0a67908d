//! `eiam_request`: the raw call, with the body and the answer as JSON text.

use std::ffi::{c_char, c_int};

use serde_json::Value;

use super::accounts::{EIAM_BOOL_FALSE, EIAM_BOOL_TRUE, EIAM_BOOL_UNSET};
use super::boundary::{c_mut, c_ref, c_str, ffi_boundary};
use super::client::EiamClient;
use super::error::{EiamError, EiamStatus};
use super::strings::{borrow_opt_str, borrow_str, to_c};
use crate::error::{Error, Result};

/// One `name=value` pair of a query string. The strings are the caller's,
/// only read during the call, and encoded by the library.
#[repr(C)]
pub struct EiamQueryParam {
    /// The parameter's name.
    pub name: *const c_char,
    /// Its value.
    pub value: *const c_char,
}

/// Sends any management API request: `method` to `path` (relative to the base
/// URL, starting with `/api/`, sent as given) with `query` pairs (encoded) and
/// an optional JSON body, with the client's token, deadline, retries and
/// errors. Returns the answer's JSON, or nothing for an empty answer. It is
/// retried as a typed call is when `idempotent` says so (by default GET, PUT
/// and DELETE are; POST and PATCH only when they certainly did not arrive).
///
/// Errors: `EIAM_STATUS_INVALID_ARGUMENT` for an unknown `method` or a `path`
/// not under `/api/`, before anything is sent; `EIAM_STATUS_API_ERROR` with the
/// service's code for an error answer (the values of `password` keys in the
/// body are redacted from it); `EIAM_STATUS_PROTOCOL_ERROR` for an answer that
/// is not JSON.
///
/// `method` is `"GET"`, `"POST"`, `"PUT"`, `"PATCH"` or `"DELETE"`, the query
/// pairs are `query[0..query_len]` and `json_body` is JSON text, or NULL for no
/// body.
///
/// `path` is relative to the base URL, starts with `/api/` and is sent as
/// given (percent-encode ids in it yourself). `idempotent` is
/// `EIAM_BOOL_UNSET` (GET, PUT and DELETE are retried like reads; POST and
/// PATCH only when they certainly did not arrive), `EIAM_BOOL_TRUE` or
/// `EIAM_BOOL_FALSE`. On success `*out_json` is the answer's JSON text, or
/// NULL when the answer had no body; free it with `eiam_string_free`.
///
/// # Safety
/// See the module's contract.
///
/// # Examples
///
/// ```c
/// char *answer = NULL;
/// struct eiam_error err = {0};
/// enum eiam_status status =
///     eiam_request(client, "GET", "/api/v2/tenant/applications/demo-app/accounts/pub-1", NULL, 0,
///                  NULL, EIAM_BOOL_UNSET, &answer, &err);
/// assert(status == EIAM_STATUS_OK && strstr(answer, "PUBLIC_ACCOUNT") != NULL);
/// eiam_string_free(answer);
/// ```
#[no_mangle]
pub unsafe extern "C" fn eiam_request(
    client: *const EiamClient,
    method: *const c_char,
    path: *const c_char,
    query: *const EiamQueryParam,
    query_len: usize,
    json_body: *const c_char,
    idempotent: c_int,
    out_json: *mut *mut c_char,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let out = c_mut!(out_json);
        let method = c_str!(method).parse()?;
        let idempotent = match idempotent {
            EIAM_BOOL_UNSET => None,
            EIAM_BOOL_FALSE => Some(false),
            EIAM_BOOL_TRUE => Some(true),
            other => {
                return Err(Error::invalid_argument(format!(
                    "idempotent must be EIAM_BOOL_UNSET, EIAM_BOOL_FALSE or EIAM_BOOL_TRUE; got {other}"
                )))
            }
        };
        let pairs = read_query(query, query_len)?;
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|&(n, v)| (n, v)).collect();
        let body = match borrow_opt_str(json_body, "json_body")? {
            None => None,
            Some(text) => Some(serde_json::from_str::<Value>(text).map_err(|e| {
                Error::invalid_argument(format!("json_body is not JSON: {e}"))
            })?),
        };
        let answer = c_ref!(client)
            .inner
            .request(method, c_str!(path), &pairs, body.as_ref(), idempotent)?;
        *out = match answer {
            // A JSON value always serializes.
            Some(value) => to_c(&serde_json::to_string(&value).unwrap_or_default()),
            None => std::ptr::null_mut(),
        };
        Ok(())
    })
}

/// # Safety
/// `query` is NULL or an array of `count` pairs of strings.
unsafe fn read_query<'a>(
    query: *const EiamQueryParam,
    count: usize,
) -> Result<Vec<(&'a str, &'a str)>> {
    if count == 0 {
        return Ok(Vec::new());
    }
    let pairs = std::slice::from_raw_parts(c_ref!(query), count);
    pairs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            Ok((
                borrow_str(p.name, &format!("query[{i}].name"))?,
                borrow_str(p.value, &format!("query[{i}].value"))?,
            ))
        })
        .collect()
}
