//! A string that must never be shown: client secrets and access tokens.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use ureq::http::HeaderValue;
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

/// A header value (`Bearer <token>`, `Basic <credentials>`) made of the
/// secret's own bytes: it shares them by reference count instead of copying
/// them, so they are still wiped when the last reference (ours or the HTTP
/// layer's) is dropped. It is marked sensitive, which hides it from the
/// `http` crate's `Debug`. `None` when the value cannot be a header.
pub(crate) fn header_value(secret: &Arc<Secret>) -> Option<HeaderValue> {
    struct Shared(Arc<Secret>);
    impl AsRef<[u8]> for Shared {
        fn as_ref(&self) -> &[u8] {
            self.0.expose().as_bytes()
        }
    }
    let mut value =
        HeaderValue::from_maybe_shared(Bytes::from_owner(Shared(secret.clone()))).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// Replaces every occurrence of each non-empty secret in `text` with
/// `[redacted]`. The service echoes the token it rejected
/// ("Invalid access token: <token>"), so every message built from a
/// response body passes through here.
///
/// The text is first read as the inside of a JSON string (`\/`, `\"`,
/// `\uXXXX` become what they stand for), so a secret written with escapes
/// is found too; and a text that ends with the start of a secret (a body
/// cut short by the network) loses that start.
pub(crate) fn redact(text: &str, secrets: &[&str]) -> String {
    let mut out = unescape_json(text);
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        if out.contains(secret) {
            out = out.replace(secret, REDACTED);
        }
        if let Some(start) = cut_secret_at_end(&out, secret) {
            out.truncate(start);
            out.push_str(REDACTED);
        }
    }
    out
}

const REDACTED: &str = "[redacted]";

/// Where `text` ends with the first characters of `secret` (at least a few,
/// so that ordinary words are left alone).
fn cut_secret_at_end(text: &str, secret: &str) -> Option<usize> {
    const MIN_CHARS: usize = 6;
    secret
        .char_indices()
        .map(|(i, _)| i)
        .skip(MIN_CHARS)
        .chain(std::iter::once(secret.len()))
        .filter(|&len| text.ends_with(&secret[..len]))
        .last()
        .map(|len| text.len() - len)
}

/// `text` with JSON string escapes decoded; anything that is not a valid
/// escape is kept as it is.
fn unescape_json(text: &str) -> String {
    if !text.contains('\\') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek().copied() {
            Some(e @ ('"' | '\\' | '/')) => {
                chars.next();
                out.push(e);
            }
            Some('u') => {
                let hex: String = chars.clone().skip(1).take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(decoded) if hex.len() == 4 => {
                        chars.nth(4);
                        out.push(decoded);
                    }
                    _ => out.push(c),
                }
            }
            _ => out.push(c),
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
    fn a_header_value_shares_the_secret_and_hides_it() {
        let secret = Arc::new(Secret::new("Bearer tok-123"));
        let value = header_value(&secret).unwrap();
        assert_eq!(value.as_bytes(), b"Bearer tok-123");
        assert_eq!(
            value.as_bytes().as_ptr(),
            secret.expose().as_ptr(),
            "the header must not hold a second, unwiped copy"
        );
        assert!(value.is_sensitive());
        assert!(!format!("{value:?}").contains("tok-123"));
        assert!(header_value(&Arc::new(Secret::new("a\r\nb"))).is_none());
    }

    #[test]
    fn escaped_and_cut_secrets_are_redacted_too() {
        let secret = "AT/live\"x";
        for text in [
            r#"{"access_token":"AT\/live\"x"}"#,
            r#"{"access_token":"\u0041T\u002flive\u0022x"}"#,
            r#"{"access_token":"AT/live"#,
        ] {
            let shown = redact(text, &[secret]);
            assert!(!shown.contains("AT/live"), "{text} -> {shown}");
            assert!(!shown.contains("live"), "{text} -> {shown}");
            assert!(shown.contains("[redacted]"), "{text} -> {shown}");
        }
        assert_eq!(redact("a \\q \\u12 b", &["x"]), "a \\q \\u12 b");
        assert_eq!(
            redact("end: AT", &["AT-live-123"]),
            "end: AT",
            "too short to tell"
        );
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
