//! Entry points for the fuzz targets in `fuzz/` (feature `fuzzing`; not
//! part of the public API). Each runs the real code on arbitrary input and
//! panics if an invariant breaks.

use std::time::Duration;

use crate::error::ErrorKind;
use crate::owner::Owner;
use crate::path::{self, Param};
use crate::response::{self, Endpoint};
use crate::transport::Received;

/// Response classification: any status and body must give a typed result,
/// never a panic, and no error message may carry the secret.
pub fn classify_response(status: u16, body: &[u8], retry_after: Option<u64>) {
    let secret = "fuzz-secret-value";
    let received = Received {
        status,
        body: body.to_vec(),
        retry_after: retry_after.map(Duration::from_secs),
        after_possible_delivery: false,
    };
    let _ = response::is_token_rejected(&received);
    for endpoint in [Endpoint::Api, Endpoint::Token] {
        let err = response::error_from(&received, endpoint, &[secret]);
        assert!(!err.message().contains(secret), "secret leaked: {err}");
        if err.kind() == ErrorKind::Api {
            let code = err.code().expect("API errors carry a code");
            assert!(
                !code.chars().any(char::is_whitespace),
                "code not normalized: {code:?}"
            );
        }
        match response::decode::<Owner>(&received, endpoint, &[secret]) {
            Ok(_) => assert!((200..300).contains(&status)),
            Err(e) => assert!(!e.to_string().contains(secret), "secret leaked: {e}"),
        }
    }
    let _ = crate::retry::parse_retry_after(&String::from_utf8_lossy(body));
}

/// Id checks and path encoding: an accepted id becomes exactly one path
/// segment that decodes back to the id.
pub fn check_and_encode(id: &str) {
    for param in [Param::AppId, Param::AppUserId] {
        if path::check(param, id).is_err() {
            continue;
        }
        let segment = path::segment(id);
        assert!(
            !segment.contains(['/', '?', '#', ' ']) && segment.is_ascii(),
            "{id:?} -> {segment:?}"
        );
        let decoded = percent_encoding::percent_decode_str(&segment)
            .decode_utf8()
            .expect("valid UTF-8");
        assert_eq!(decoded, id);
        assert!(id != "." && id != "..");
    }
}
