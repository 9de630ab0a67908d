//! A string that must never be shown: client secrets and access tokens.

use std::fmt;
use zeroize::Zeroizing;

/// Holds a secret value. `Debug` prints `[redacted]`, there is no `Display`,
/// and the memory is wiped when the value is dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Zeroizing::new(value.into()))
    }

    /// The value itself, for the one place that sends it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

/// Replaces every occurrence of each non-empty secret in `text` with
/// `[redacted]`. The service echoes the token it rejected
/// ("Invalid access token: <token>"), so every message built from a
/// response body passes through here.
pub(crate) fn redact(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        if out.contains(secret) {
            out = out.replace(secret, "[redacted]");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "[redacted]");
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn redact_replaces_every_secret() {
        let text = "Invalid access token: abc123, secret xyz, abc123 again";
        assert_eq!(
            redact(text, &["abc123", "xyz", ""]),
            "Invalid access token: [redacted], secret [redacted], [redacted] again"
        );
    }
}
