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
    /// A public account's id, as the owner and member calls name it.
    AppUserId,
    /// Any account's id, as get, update, disable, enable and delete name it.
    AccountId,
    UserName,
    UserId,
    AccountName,
}

impl Param {
    fn name(self) -> &'static str {
        match self {
            Param::AppId => "app_id",
            Param::AppUserId => "app_user_id",
            Param::AccountId => "account_id",
            Param::UserName => "user_name",
            Param::UserId => "user_id",
            Param::AccountName => "account_name",
        }
    }

    /// The service's code for a missing value, so callers see the same code
    /// whether the SDK or the service caught it.
    fn empty_code(self) -> Option<&'static str> {
        match self {
            Param::AppId => Some("APP.0006"),
            Param::AppUserId | Param::AccountId => Some("APP.ACCOUNT.0047"),
            Param::AccountName => Some("APP.ACCOUNT.0001"),
            Param::UserName | Param::UserId => None,
        }
    }

    fn is_path_segment(self) -> bool {
        matches!(self, Param::AppId | Param::AppUserId | Param::AccountId)
    }
}

/// Rejects values the service cannot have meant: empty or blank, `.` or
/// `..` (which a URL resolver would fold away), control characters (which
/// could split headers or logs) and absurd lengths.
pub(crate) fn check(param: Param, value: &str) -> Result<()> {
    check_as(param, param.name(), value)
}

/// As [`check`], with the message naming the value `name` (an entry of a
/// list, `user_names[2]`, says which one).
pub(crate) fn check_as(param: Param, name: &str, value: &str) -> Result<()> {
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
    if param.is_path_segment() && (value == "." || value == "..") {
        return Err(fail("must not be '.' or '..'"));
    }
    Ok(())
}

/// Rejects what an optional text field of a request body cannot have
/// meant: control characters and absurd lengths. Empty is allowed (the
/// service's own examples send `""`).
pub(crate) fn check_text(name: &str, value: &str) -> Result<()> {
    if value.len() > MAX_ID_LEN {
        return Err(Error::invalid_argument(format!(
            "{name} is longer than {MAX_ID_LEN} bytes"
        )));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid_argument(format!(
            "{name} must not contain control characters"
        )));
    }
    Ok(())
}

/// The path of an application's accounts, built a piece at a time: ids are
/// checked and encoded as one segment each, literals are appended as they
/// are.
pub(crate) struct AccountsPath(String);

impl AccountsPath {
    /// `/api/v2/tenant/applications/{app_id}/accounts`
    pub(crate) fn new(app_id: &str) -> Result<Self> {
        check(Param::AppId, app_id)?;
        let mut path = String::with_capacity(96 + app_id.len());
        path.push_str("/api/v2/tenant/applications/");
        push_segment(&mut path, app_id);
        path.push_str("/accounts");
        Ok(AccountsPath(path))
    }

    /// Appends a literal (`"/public-account"`).
    pub(crate) fn then(mut self, literal: &'static str) -> Self {
        self.0.push_str(literal);
        self
    }

    /// Appends `/` and `value` as one segment, after checking it.
    pub(crate) fn id(mut self, param: Param, value: &str) -> Result<Self> {
        check(param, value)?;
        self.0.push('/');
        push_segment(&mut self.0, value);
        Ok(self)
    }

    /// Appends a query string of `pairs`, each name and value encoded.
    pub(crate) fn query(mut self, pairs: &[(&str, &str)]) -> Self {
        push_query(&mut self.0, pairs);
        self
    }

    pub(crate) fn into_string(self) -> String {
        self.0
    }
}

/// Appends `?name=value&...` to `path`, each part percent-encoded; nothing
/// for no pairs.
pub(crate) fn push_query(path: &mut String, pairs: &[(&str, &str)]) {
    for (i, (name, value)) in pairs.iter().enumerate() {
        path.push(if i == 0 { '?' } else { '&' });
        path.extend(utf8_percent_encode(name, SEGMENT));
        path.push('=');
        path.extend(utf8_percent_encode(value, SEGMENT));
    }
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
    fn paths_encode_each_id_as_one_segment_and_each_query_part() {
        let path = AccountsPath::new("app/1")
            .unwrap()
            .then("/public-account")
            .id(Param::AppUserId, "pub 1?")
            .unwrap()
            .then("/users")
            .query(&[("offset", "0"), ("a&b", "c=d")])
            .into_string();
        assert_eq!(
            path,
            "/api/v2/tenant/applications/app%2F1/accounts/public-account/pub%201%3F/users?offset=0&a%26b=c%3Dd"
        );
        let e = AccountsPath::new("a")
            .unwrap()
            .id(Param::AccountId, "")
            .err()
            .unwrap();
        assert_eq!(e.code(), Some("APP.ACCOUNT.0047"));
        let e = check(Param::AccountName, " ").unwrap_err();
        assert_eq!(e.code(), Some("APP.ACCOUNT.0001"));
        assert!(check_text("name", "").is_ok());
        assert!(check_text("name", "a\nb").is_err());
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
