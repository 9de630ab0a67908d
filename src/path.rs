//! Checking caller-supplied ids and turning them into URL path segments.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::error::{Error, Result};

/// Longest id or user name accepted, in bytes. Real ids are a few dozen
/// characters; the bound keeps a runaway caller from building huge URLs.
pub const MAX_ID_LEN: usize = 1024;

/// Everything but RFC 3986 "unreserved" characters is encoded, so an id can
/// never add a segment (`/`), start a query (`?`) or fragment (`#`), or be
/// decoded twice (`%`).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Which argument is being checked; decides the error code the service
/// itself would have answered for an empty value.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Param {
    AppId,
    AppUserId,
    UserName,
}

impl Param {
    fn name(self) -> &'static str {
        match self {
            Param::AppId => "app_id",
            Param::AppUserId => "app_user_id",
            Param::UserName => "user_name",
        }
    }

    /// The service's code for a missing value, so callers see the same code
    /// whether the SDK or the service caught it.
    fn empty_code(self) -> Option<&'static str> {
        match self {
            Param::AppId => Some("APP.0006"),
            Param::AppUserId => Some("APP.ACCOUNT.0047"),
            Param::UserName => None,
        }
    }
}

/// Rejects values the service cannot have meant: empty or blank, `.` or
/// `..` (which a URL resolver would fold away), control characters (which
/// could split headers or logs) and absurd lengths.
pub(crate) fn check(param: Param, value: &str) -> Result<()> {
    let name = param.name();
    let fail = |why: &str| {
        let err = Error::invalid_argument(format!("{name} {why}"));
        match param.empty_code() {
            Some(code) if why.starts_with("must not be empty") => err.with_code(code),
            _ => err,
        }
    };
    if value.trim().is_empty() {
        return Err(fail("must not be empty"));
    }
    if value.len() > MAX_ID_LEN {
        return Err(fail(&format!("is longer than {MAX_ID_LEN} bytes")));
    }
    if value.chars().any(char::is_control) {
        return Err(fail("must not contain control characters"));
    }
    if matches!(param, Param::AppId | Param::AppUserId) && (value == "." || value == "..") {
        return Err(fail("must not be '.' or '..'"));
    }
    Ok(())
}

/// Percent-encodes `value` as exactly one path segment.
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn segment(value: &str) -> String {
    let mut encoded = String::new();
    push_segment(&mut encoded, value);
    encoded
}

/// Appends `value` to `path`, percent-encoded as exactly one path segment.
pub(crate) fn push_segment(path: &mut String, value: &str) {
    path.extend(utf8_percent_encode(value, SEGMENT));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn hostile_characters_stay_inside_one_segment() {
        assert_eq!(segment("a/b"), "a%2Fb");
        assert_eq!(segment("x?y#z"), "x%3Fy%23z");
        assert_eq!(segment("%2F"), "%252F");
        assert_eq!(segment("a b"), "a%20b");
        assert_eq!(segment("张三"), "%E5%BC%A0%E4%B8%89");
        assert_eq!(segment("A-z_0.9~"), "A-z_0.9~");
    }

    #[test]
    fn empty_ids_carry_the_service_codes() {
        let e = check(Param::AppId, "  ").unwrap_err();
        assert_eq!(
            (e.kind(), e.code()),
            (ErrorKind::InvalidArgument, Some("APP.0006"))
        );
        let e = check(Param::AppUserId, "").unwrap_err();
        assert_eq!(e.code(), Some("APP.ACCOUNT.0047"));
        let e = check(Param::UserName, "\t").unwrap_err();
        assert_eq!((e.kind(), e.code()), (ErrorKind::InvalidArgument, None));
        assert!(e.message().contains("user_name"));
    }

    #[test]
    fn dots_control_characters_and_huge_values_are_refused() {
        for bad in [
            ".",
            "..",
            "a\r\nX-Evil: 1",
            "nul\0",
            &"x".repeat(MAX_ID_LEN + 1),
        ] {
            let e = check(Param::AppId, bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{bad:?}");
            assert_eq!(e.code(), None, "{bad:?} is not an empty id");
        }
        assert!(check(Param::AppId, "...").is_ok());
        assert!(check(Param::AppId, &"x".repeat(MAX_ID_LEN)).is_ok());
    }
}
