//! The one error type of the SDK.
//!
//! Every failure, whatever layer it comes from, becomes an [`Error`] with a
//! stable [`ErrorKind`], the HTTP status when a response was received, the
//! service's code when it sent one, and a message that never carries a secret.

use std::fmt;

/// What kind of failure an [`Error`] is. The numbers are the C ABI's
/// `eiam_status` values and never change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[repr(u32)]
pub enum ErrorKind {
    /// Rejected before any request was sent (bad configuration or argument).
    InvalidArgument = 1,
    /// The service answered with `{"error_code","error_msg"}`.
    Api = 2,
    /// A token could not be obtained, or the service rejected it.
    Auth = 3,
    /// DNS, connect, TLS, proxy or a connection reset.
    Transport = 4,
    /// The call's deadline passed.
    Timeout = 5,
    /// The service answered with a status or body the SDK did not expect.
    Protocol = 6,
    /// A bug in the SDK (for instance a caught panic in a binding).
    Internal = 7,
    /// The caller cancelled the work before it started (bulk jobs).
    Cancelled = 8,
}

impl ErrorKind {
    /// Every kind, in the order of their numbers.
    pub const ALL: [ErrorKind; 8] = [
        ErrorKind::InvalidArgument,
        ErrorKind::Api,
        ErrorKind::Auth,
        ErrorKind::Transport,
        ErrorKind::Timeout,
        ErrorKind::Protocol,
        ErrorKind::Internal,
        ErrorKind::Cancelled,
    ];

    /// The kind with this number (the C ABI's `eiam_status`), if any.
    pub fn from_number(number: u32) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| *k as u32 == number)
    }

    /// A short, stable, lower-case name (`"api"`, `"timeout"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument => "invalid argument",
            ErrorKind::Api => "api",
            ErrorKind::Auth => "auth",
            ErrorKind::Transport => "transport",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Protocol => "protocol",
            ErrorKind::Internal => "internal",
            ErrorKind::Cancelled => "cancelled",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An SDK error: kind, optional HTTP status, optional service code, message.
///
/// The message is safe to log: secrets and tokens are redacted before an
/// `Error` is built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct Error {
    kind: ErrorKind,
    http_status: Option<u16>,
    code: Option<String>,
    message: String,
    may_have_taken_effect: bool,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_error(
            f,
            self.kind.as_str(),
            self.code.as_deref(),
            self.http_status,
            &self.message,
        )
    }
}

/// How every error reads, in Rust and through the C ABI's
/// `eiam_error_to_string`: `api error APP.ACCOUNT.0038 (HTTP 400): message`.
pub(crate) fn write_error(
    f: &mut impl fmt::Write,
    kind: &str,
    code: Option<&str>,
    http_status: Option<u16>,
    message: &str,
) -> fmt::Result {
    write!(f, "{kind} error")?;
    if let Some(code) = code {
        write!(f, " {code}")?;
    }
    if let Some(status) = http_status {
        write!(f, " (HTTP {status})")?;
    }
    write!(f, ": {message}")
}

impl Error {
    /// An error of `kind` with a message, for bindings that check their
    /// own arguments; errors from the service are built by the SDK itself.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            http_status: None,
            code: None,
            message: message.into(),
            may_have_taken_effect: false,
        }
    }

    /// Marks an error that came after the request may have reached the
    /// service.
    pub(crate) fn after_possible_delivery(mut self) -> Self {
        self.may_have_taken_effect = true;
        self
    }

    pub(crate) fn with_status(mut self, http_status: u16) -> Self {
        self.http_status = Some(http_status);
        self
    }

    pub(crate) fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    pub(crate) fn invalid_argument(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidArgument, message)
    }

    /// An error of kind [`ErrorKind::Internal`], for bindings that catch a panic.
    pub fn internal(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Internal, message)
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The HTTP status of the response that caused it, if one was received.
    pub fn http_status(&self) -> Option<u16> {
        self.http_status
    }

    /// The service's code with all whitespace removed (`"APP.ACCOUNT.0038"`),
    /// the OAuth `error` value for auth errors (`"invalid_client"`), or the
    /// code the SDK uses for a local validation failure (`"APP.0006"`).
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// A human-readable description; for API errors, `error_msg` as sent.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether the request may have reached the service before the call
    /// failed (a timeout or a reset after sending, or a gateway error), so
    /// that a write may have taken effect although the call failed. A
    /// caller that must not repeat a create checks before sending it again.
    /// False for every failure that certainly left the service untouched.
    pub fn may_have_taken_effect(&self) -> bool {
        self.may_have_taken_effect
    }
}

/// The SDK's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A caller's value quoted in a message as `{:?}` writes it, cut after
/// 64 characters, so that a runaway input cannot make a runaway message.
pub(crate) fn quoted(value: &str) -> String {
    const MAX_CHARS: usize = 64;
    if value.chars().count() <= MAX_CHARS {
        return format!("{value:?}");
    }
    let head: String = value.chars().take(MAX_CHARS).collect();
    format!("{head:?}… ({} bytes)", value.len())
}

/// The service sends codes such as `" APP.ACCOUNT. 0028"`; callers compare
/// them with all whitespace removed.
pub(crate) fn normalize_code(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_lose_all_whitespace() {
        assert_eq!(normalize_code(" APP.ACCOUNT. 0028"), "APP.ACCOUNT.0028");
        assert_eq!(normalize_code("\tAPP.0006 \n"), "APP.0006");
    }

    #[test]
    fn quoted_values_are_cut_short() {
        assert_eq!(quoted("PRIVATE_ACCOUNT"), "\"PRIVATE_ACCOUNT\"");
        let huge = "x".repeat(1 << 20);
        assert_eq!(
            quoted(&huge),
            format!("{:?}… (1048576 bytes)", "x".repeat(64))
        );
    }

    #[test]
    fn display_shows_kind_code_status_and_message() {
        let e = Error::new(ErrorKind::Api, "公共账号不存在")
            .with_status(400)
            .with_code("APP.ACCOUNT.0038");
        assert_eq!(
            e.to_string(),
            "api error APP.ACCOUNT.0038 (HTTP 400): 公共账号不存在"
        );
    }

    #[test]
    fn kinds_have_stable_numbers() {
        assert_eq!(ErrorKind::InvalidArgument as u32, 1);
        assert_eq!(ErrorKind::Internal as u32, 7);
    }
}
