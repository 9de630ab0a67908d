//! Client configuration: where the tenant is, how to authenticate, and how
//! patient and how trusting to be.

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use ureq::http::Uri;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// Default overall deadline of one call, token fetch and retries included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default time allowed to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default number of retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Default most threads running a client's async calls: enough for 100
/// calls in flight, which is what an event loop driving a bulk job asks.
pub const DEFAULT_ASYNC_WORKERS: u32 = 128;
/// Largest `async_workers` accepted.
pub const MAX_ASYNC_WORKERS: u32 = 1024;
/// Longest `timeout` or `connect_timeout` accepted: a call that may take
/// longer than a day is a mistake, and far larger values overflow a clock.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 3600);
/// Longest credential (client id, client secret, access token) or
/// user-agent product accepted, in bytes. They travel in HTTP headers,
/// which servers commonly cap at 8 KiB; a longer value is a mistake.
pub(crate) const MAX_HEADER_VALUE_LEN: usize = 8192;

/// How the client authenticates.
#[derive(Clone, Debug)]
pub enum Auth {
    /// Client credentials: the client fetches, caches and renews tokens.
    ClientCredentials {
        /// The application's client id.
        client_id: String,
        /// The application's client secret.
        client_secret: Secret,
    },
    /// A token obtained elsewhere; it is sent as is and never renewed.
    AccessToken(Secret),
}

impl Auth {
    /// `"client_credentials"` or `"access_token"`, for `repr`-style output.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Auth::ClientCredentials { .. } => "client_credentials",
            Auth::AccessToken(_) => "access_token",
        }
    }
}

/// A validated, immutable configuration. Build it with [`Config::builder`].
#[derive(Clone)]
pub struct Config {
    pub(crate) base_url: String,
    pub(crate) auth: Auth,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) max_retries: u32,
    pub(crate) async_workers: u32,
    pub(crate) ca_file: Option<PathBuf>,
    pub(crate) use_platform_roots: bool,
    pub(crate) proxy: Option<String>,
    pub(crate) danger_accept_invalid_certs: bool,
    pub(crate) user_agent: String,
}

impl Config {
    /// Starts a configuration for the tenant at `base_url`
    /// (`https://acme.idaas.example.com`, optionally with a path prefix).
    pub fn builder(base_url: impl Into<String>) -> ConfigBuilder {
        ConfigBuilder::new(base_url)
    }

    /// The base URL without its trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// How the client authenticates.
    pub fn auth(&self) -> &Auth {
        &self.auth
    }

    /// The overall deadline of one call.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The `User-Agent` header sent with every request.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// Whether the base URL's host is loopback (`localhost`, `127.0.0.0/8`,
    /// `::1`).
    pub(crate) fn is_loopback(&self) -> bool {
        self.base_url
            .parse::<Uri>()
            .ok()
            .and_then(|uri| uri.host().map(is_loopback_host))
            .unwrap_or(false)
    }
}

impl fmt::Debug for Config {
    // Written out so that a future field holding a secret cannot leak
    // through a derive; `Auth` redacts its own secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("base_url", &self.base_url)
            .field("auth", &self.auth)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field("async_workers", &self.async_workers)
            .field("ca_file", &self.ca_file)
            .field("use_platform_roots", &self.use_platform_roots)
            .field("proxy", &self.proxy.as_deref().map(redact_url))
            .field(
                "danger_accept_invalid_certs",
                &self.danger_accept_invalid_certs,
            )
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

/// Builds a [`Config`]; every check happens in [`ConfigBuilder::build`], so
/// setters can be called in any order and bindings forward to them as is.
#[derive(Clone)]
pub struct ConfigBuilder {
    base_url: String,
    client_id: Option<String>,
    client_secret: Option<Secret>,
    access_token: Option<Secret>,
    timeout: Duration,
    connect_timeout: Duration,
    max_retries: u32,
    async_workers: u32,
    ca_file: Option<PathBuf>,
    use_platform_roots: bool,
    proxy: Option<String>,
    allow_insecure_http: bool,
    danger_accept_invalid_certs: bool,
    user_agent: Option<String>,
}

impl fmt::Debug for ConfigBuilder {
    // Written out, as for `Config`: the proxy URL may carry a password, and
    // the base URL is not checked yet, so both are shown redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("base_url", &redact_url(&self.base_url))
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("access_token", &self.access_token)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field("async_workers", &self.async_workers)
            .field("ca_file", &self.ca_file)
            .field("use_platform_roots", &self.use_platform_roots)
            .field("proxy", &self.proxy.as_deref().map(redact_url))
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field(
                "danger_accept_invalid_certs",
                &self.danger_accept_invalid_certs,
            )
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

impl ConfigBuilder {
    fn new(base_url: impl Into<String>) -> Self {
        ConfigBuilder {
            base_url: base_url.into(),
            client_id: None,
            client_secret: None,
            access_token: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            async_workers: DEFAULT_ASYNC_WORKERS,
            ca_file: None,
            use_platform_roots: true,
            proxy: None,
            allow_insecure_http: false,
            danger_accept_invalid_certs: false,
            user_agent: None,
        }
    }

    /// Replaces the base URL.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Authenticate with client credentials (tokens are fetched and cached):
    /// the same as [`ConfigBuilder::client_id`] and
    /// [`ConfigBuilder::client_secret`] together.
    pub fn client_credentials(
        self,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        self.client_id(client_id).client_secret(client_secret)
    }

    /// The application's client id; needs [`ConfigBuilder::client_secret`] too.
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// The application's client secret; needs [`ConfigBuilder::client_id`] too.
    pub fn client_secret(mut self, client_secret: impl Into<Secret>) -> Self {
        self.client_secret = Some(client_secret.into());
        self
    }

    /// Authenticate with a token obtained elsewhere.
    pub fn access_token(mut self, token: impl Into<Secret>) -> Self {
        self.access_token = Some(token.into());
        self
    }

    /// Overall deadline of one call, token fetch and retries included
    /// (default 30 s, at most [`MAX_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed to establish a connection (default 10 s, at most
    /// [`MAX_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Retries after the first attempt for transport failures, 429, 502,
    /// 503 and 504 (default 2; 0 turns retries off).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The most threads that run this client's calls started with
    /// [`Client::spawn`](crate::Client::spawn) (the async forms of the
    /// bindings): each runs one call at a time, so this is how many such
    /// calls are in flight at once; the others wait their turn. Default
    /// [`DEFAULT_ASYNC_WORKERS`], 1 to [`MAX_ASYNC_WORKERS`]. Threads are
    /// started as calls need them and end when idle.
    pub fn async_workers(mut self, workers: u32) -> Self {
        self.async_workers = workers;
        self
    }

    /// Trust the CA certificates in this PEM file, in addition to the
    /// platform's roots unless [`ConfigBuilder::use_platform_roots`] is off.
    pub fn ca_file(mut self, pem_path: impl Into<PathBuf>) -> Self {
        self.ca_file = Some(pem_path.into());
        self
    }

    /// Whether the platform's trust store is used (default true). Turn it
    /// off together with [`ConfigBuilder::ca_file`] to trust only that file.
    pub fn use_platform_roots(mut self, use_them: bool) -> Self {
        self.use_platform_roots = use_them;
        self
    }

    /// Send every request through this HTTP proxy (`http://host:port`).
    /// Without it, `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` and `NO_PROXY`
    /// from the environment apply.
    pub fn proxy(mut self, proxy_url: impl Into<String>) -> Self {
        self.proxy = Some(proxy_url.into());
        self
    }

    /// Allow `http://` base URLs to hosts other than loopback. Tokens and
    /// secrets then cross the network in clear text.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Turns TLS certificate and host name verification off. Anyone on the
    /// path can then read and change the traffic, tokens included. For
    /// throwaway test set-ups only.
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.danger_accept_invalid_certs = accept;
        self
    }

    /// A product token put before `eiam/<version>` in the `User-Agent`.
    pub fn user_agent(mut self, product: impl Into<String>) -> Self {
        self.user_agent = Some(product.into());
        self
    }

    /// Checks everything and returns the configuration.
    pub fn build(self) -> Result<Config> {
        let base_url = validate_base_url(&self.base_url, self.allow_insecure_http)?;
        let auth = match (self.client_id, self.client_secret, self.access_token) {
            (Some(_), _, Some(_)) | (_, Some(_), Some(_)) => {
                return Err(Error::invalid_argument(
                    "set either client credentials or an access token, not both",
                ))
            }
            (Some(client_id), Some(client_secret), None) => {
                check_client_id(&client_id)?;
                require_header_safe("client_secret", client_secret.expose())?;
                Auth::ClientCredentials {
                    client_id,
                    client_secret,
                }
            }
            (None, None, Some(token)) => {
                require_header_safe("access_token", token.expose())?;
                Auth::AccessToken(token)
            }
            (None, None, None) => {
                return Err(Error::invalid_argument(
                    "no credentials: set client credentials or an access token",
                ))
            }
            (Some(_), None, None) | (None, Some(_), None) => {
                return Err(Error::invalid_argument(
                    "client credentials need both client_id and client_secret",
                ))
            }
        };
        check_timeout("timeout", self.timeout)?;
        check_timeout("connect_timeout", self.connect_timeout)?;
        if !(1..=MAX_ASYNC_WORKERS).contains(&self.async_workers) {
            return Err(Error::invalid_argument(format!(
                "async_workers must be 1 to {MAX_ASYNC_WORKERS}; got {}",
                self.async_workers
            )));
        }
        if let Some(path) = &self.ca_file {
            if !path.is_file() {
                return Err(Error::invalid_argument(format!(
                    "ca_file {} is not a readable file",
                    shown(&path.to_string_lossy())
                )));
            }
        }
        if !self.use_platform_roots && self.ca_file.is_none() {
            return Err(Error::invalid_argument(
                "use_platform_roots(false) needs a ca_file to trust",
            ));
        }
        if let Some(proxy) = &self.proxy {
            check_proxy(proxy, &base_url, self.allow_insecure_http)?;
        }
        let version = env!("CARGO_PKG_VERSION");
        let user_agent = match self.user_agent {
            Some(product) if !product.trim().is_empty() => {
                require_header_safe("user_agent", &product)?;
                format!("{} eiam/{version}", product.trim())
            }
            _ => format!("eiam/{version}"),
        };
        Ok(Config {
            base_url,
            auth,
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            max_retries: self.max_retries,
            async_workers: self.async_workers,
            ca_file: self.ca_file,
            use_platform_roots: self.use_platform_roots,
            proxy: self.proxy,
            danger_accept_invalid_certs: self.danger_accept_invalid_certs,
            user_agent,
        })
    }
}

/// Checks a base URL and returns it without a trailing slash.
///
/// `https://` is required, except for loopback hosts or when
/// `allow_insecure_http` is set; a query or fragment is refused because the
/// API paths are appended to it.
pub(crate) fn validate_base_url(raw: &str, allow_insecure_http: bool) -> Result<String> {
    let trimmed = raw.trim();
    let bad = |why: &str| {
        Error::invalid_argument(format!("base_url {} {why}", shown(&redact_url(trimmed))))
    };
    if trimmed.is_empty() {
        return Err(Error::invalid_argument("base_url is empty"));
    }
    let uri: Uri = trimmed
        .parse()
        .map_err(|_| bad("is not a valid absolute URL"))?;
    let scheme = uri.scheme_str().ok_or_else(|| bad("has no scheme"))?;
    let host = uri.host().ok_or_else(|| bad("has no host"))?;
    if host.is_empty() {
        return Err(bad("has no host"));
    }
    if uri.query().is_some() || trimmed.contains('#') {
        return Err(bad("must not carry a query or fragment"));
    }
    if trimmed.contains('@') {
        return Err(bad("must not carry user information"));
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => {}
        "http" if is_loopback_host(host) || allow_insecure_http => {}
        "http" => {
            return Err(bad(
                "uses http:// to a host that is not loopback; use https:// or allow insecure http explicitly",
            ))
        }
        _ => return Err(bad("must use https:// (or http:// to loopback)")),
    }
    Ok(trimmed.trim_end_matches('/').to_owned())
}

/// A configured proxy: a valid HTTP(S) proxy URL, and for an `http://`
/// base URL one on loopback unless insecure HTTP is allowed, since the hop
/// to it carries the credentials in clear text.
fn check_proxy(proxy: &str, base_url: &str, allow_insecure_http: bool) -> Result<()> {
    let invalid = || {
        Error::invalid_argument(format!(
            "proxy URL {} is not valid",
            shown(&redact_url(proxy))
        ))
    };
    if !proxy_is_valid(proxy) {
        return Err(invalid());
    }
    let parsed = ureq::Proxy::new(proxy).map_err(|_| invalid())?;
    if crate::transport::is_socks(parsed.protocol()) {
        return Err(Error::invalid_argument(format!(
            "proxy {} is a SOCKS proxy, which eiam does not support: use an HTTP(S) proxy",
            shown(&redact_url(proxy))
        )));
    }
    let cleartext_hop = base_url
        .get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
        && !is_loopback_host(parsed.host());
    if cleartext_hop && !allow_insecure_http {
        return Err(Error::invalid_argument(format!(
            "an http:// base_url through proxy {}, which is not on loopback, sends \
             credentials in clear text; use https:// or allow insecure http explicitly",
            shown(&redact_url(proxy))
        )));
    }
    Ok(())
}

/// A duration the client waits for: more than zero, at most [`MAX_TIMEOUT`].
fn check_timeout(name: &str, value: Duration) -> Result<()> {
    if value.is_zero() {
        return Err(Error::invalid_argument(format!(
            "{name} must be greater than zero"
        )));
    }
    if value > MAX_TIMEOUT {
        return Err(Error::invalid_argument(format!(
            "{name} must be at most {} s",
            MAX_TIMEOUT.as_secs()
        )));
    }
    Ok(())
}

/// `localhost`, `127.0.0.0/8` and `::1` (with or without brackets).
pub(crate) fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Whether `raw` is a proxy URL whose host could name a machine: `ureq`
/// reads `.` or `..` as a host name.
pub(crate) fn proxy_is_valid(raw: &str) -> bool {
    ureq::Proxy::new(raw).is_ok_and(|p| p.host().chars().any(char::is_alphanumeric))
}

/// A client id goes into the `Authorization: Basic` header, joined to the
/// secret with ':'.
pub(crate) fn check_client_id(client_id: &str) -> Result<()> {
    require_header_safe("client_id", client_id)?;
    if client_id.contains(':') {
        return Err(Error::invalid_argument("client_id must not contain ':'"));
    }
    Ok(())
}

/// A value sent in an HTTP header: not blank, not over
/// [`MAX_HEADER_VALUE_LEN`] bytes, no control characters (CR/LF would
/// split the header).
pub(crate) fn require_header_safe(name: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid_argument(format!("{name} is empty")));
    }
    if value.len() > MAX_HEADER_VALUE_LEN {
        return Err(Error::invalid_argument(format!(
            "{name} is longer than {MAX_HEADER_VALUE_LEN} bytes"
        )));
    }
    if value.chars().any(|c| c.is_control()) {
        return Err(Error::invalid_argument(format!(
            "{name} contains control characters"
        )));
    }
    Ok(())
}

/// A caller's value quoted for an error message, cut short so that a huge
/// input is never echoed back whole.
pub(crate) fn shown(value: &str) -> String {
    const MAX_CHARS: usize = 160;
    match value.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{:?}... ({} bytes)", &value[..cut], value.len()),
        None => format!("{value:?}"),
    }
}

/// A URL as it may be shown in a message or a log: the password of its
/// user information and its query and fragment are replaced by
/// `[redacted]`, with or without a scheme, however malformed the URL is.
/// `http://ops:pw@proxy:3128/?k=v` → `http://ops:[redacted]@proxy:3128/?[redacted]`.
pub(crate) fn redact_url(url: &str) -> String {
    const REDACTED: &str = "[redacted]";
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, url),
    };
    let mut out = String::with_capacity(url.len() + 2 * REDACTED.len());
    if let Some(scheme) = scheme {
        out.push_str(scheme);
        out.push_str("://");
    }
    // The last '@' ends the user information even when a password holds
    // '/', '?' or '#', so nothing of a password can pass for a host or path.
    let rest = match rest.rsplit_once('@') {
        Some((userinfo, after)) => {
            match userinfo.split_once(':') {
                Some((user, _)) if !user.contains(['/', '?', '#']) => {
                    out.push_str(user);
                    out.push(':');
                }
                _ => {}
            }
            out.push_str(REDACTED);
            out.push('@');
            after
        }
        None => rest,
    };
    match rest.find(['?', '#']) {
        Some(cut) => {
            out.push_str(&rest[..=cut]);
            out.push_str(REDACTED);
        }
        None => out.push_str(rest),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(url: &str) -> ConfigBuilder {
        Config::builder(url).client_credentials("id", "secret")
    }

    #[test]
    fn base_url_keeps_prefix_and_drops_trailing_slash() {
        let c = creds("https://gw.example.com/idaas/").build().unwrap();
        assert_eq!(c.base_url(), "https://gw.example.com/idaas");
    }

    #[test]
    fn http_only_to_loopback_unless_allowed() {
        for ok in [
            "http://localhost:8080",
            "http://127.0.0.1:1",
            "http://127.9.8.7",
            "http://[::1]:80",
        ] {
            assert!(creds(ok).build().is_ok(), "{ok} should be accepted");
        }
        let err = creds("http://tenant.example.com").build().unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::InvalidArgument);
        assert!(err.message().contains("https"));
        assert!(creds("http://tenant.example.com")
            .allow_insecure_http(true)
            .build()
            .is_ok());
        assert!(creds("http://localhost.evil.com").build().is_err());
        assert!(creds("ftp://tenant.example.com").build().is_err());
    }

    #[test]
    fn malformed_urls_are_refused() {
        for bad in [
            "",
            "   ",
            "tenant.example.com",
            "https://",
            "https://h/x?y=1",
            "https://h/#f",
            "https://u:p@h",
        ] {
            assert!(creds(bad).build().is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn exactly_one_way_to_authenticate() {
        let both = creds("https://h").access_token("t").build().unwrap_err();
        assert!(both.message().contains("not both"));
        let neither = Config::builder("https://h").build().unwrap_err();
        assert!(neither.message().contains("no credentials"));
        assert!(Config::builder("https://h")
            .access_token("t")
            .build()
            .is_ok());
        assert!(Config::builder("https://h")
            .client_credentials("", "s")
            .build()
            .is_err());
    }

    #[test]
    fn debug_hides_secrets() {
        let c = Config::builder("https://h")
            .client_credentials("id", "s3cr3t-value")
            .proxy("http://u:pw-value@proxy:3128")
            .build()
            .unwrap();
        let shown = format!("{c:?}");
        assert!(!shown.contains("s3cr3t-value"), "{shown}");
        assert!(!shown.contains("pw-value"), "{shown}");
        assert!(shown.contains("https://h"));
    }

    #[test]
    fn urls_in_messages_lose_passwords_and_queries() {
        let cases = [
            (
                "http://ops:hunter2@proxy:3128",
                "http://ops:[redacted]@proxy:3128",
            ),
            ("ops:hunter2@proxy:3128", "ops:[redacted]@proxy:3128"),
            (
                "socks5://ops:hunter2@proxy",
                "socks5://ops:[redacted]@proxy",
            ),
            ("https://hunter2@h/x", "https://[redacted]@h/x"),
            ("http://u:pa/ss@hunter2@h", "http://u:[redacted]@h"),
            ("https://h/p?token=hunter2", "https://h/p?[redacted]"),
            ("https://h/p#hunter2", "https://h/p#[redacted]"),
            (
                "http://u:p?hunter2#@h?q=hunter2",
                "http://u:[redacted]@h?[redacted]",
            ),
            ("https://h:443/idaas", "https://h:443/idaas"),
        ];
        for (raw, want) in cases {
            assert_eq!(redact_url(raw), want, "{raw}");
            assert!(!redact_url(raw).contains("hunter2"), "{raw}");
        }
    }

    #[test]
    fn base_url_errors_show_no_password_or_query() {
        for url in [
            "http://u:hunter2pw@127.0.0.1:1",
            "https://h/?token=hunter2pw",
            "ftp://u:hunter2pw@h",
        ] {
            let e = creds(url).build().unwrap_err();
            assert!(!e.message().contains("hunter2pw"), "{}", e.message());
            assert!(e.message().starts_with("base_url"), "{}", e.message());
        }
    }

    #[test]
    fn debug_of_a_builder_hides_the_proxy_password() {
        let b = creds("https://u:base-pw@h")
            .proxy("ops:proxy-pw@proxy:3128")
            .access_token("token-value");
        let shown = format!("{b:?}");
        for secret in ["base-pw", "proxy-pw", "token-value", "\"secret\""] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("proxy:3128"), "{shown}");
    }

    #[test]
    fn socks_proxies_are_refused_not_bypassed() {
        for proxy in ["socks5://p:1080", "socks5h://u:pw@p:1080", "socks4://p"] {
            let e = creds("https://h").proxy(proxy).build().unwrap_err();
            assert!(e.message().contains("SOCKS"), "{}", e.message());
            assert!(!e.message().contains("pw@"), "{}", e.message());
        }
    }

    #[test]
    fn clear_text_to_a_remote_proxy_needs_insecure_http() {
        let remote = creds("http://127.0.0.1:1").proxy("http://proxy.example:3128");
        let e = remote.clone().build().unwrap_err();
        assert!(e.message().contains("clear text"), "{}", e.message());
        assert!(remote.allow_insecure_http(true).build().is_ok());
        assert!(creds("http://127.0.0.1:1")
            .proxy("http://127.0.0.1:3128")
            .build()
            .is_ok());
        assert!(creds("https://h")
            .proxy("http://proxy.example:3128")
            .build()
            .is_ok());
    }

    #[test]
    fn durations_are_bounded() {
        for (name, builder) in [
            ("timeout", creds("https://h").timeout(Duration::ZERO)),
            (
                "connect_timeout",
                creds("https://h").connect_timeout(Duration::ZERO),
            ),
        ] {
            let e = builder.build().unwrap_err();
            assert_eq!(e.message(), format!("{name} must be greater than zero"));
        }
        let huge = Duration::from_secs_f64(1e19);
        for (name, builder) in [
            ("timeout", creds("https://h").timeout(huge)),
            ("connect_timeout", creds("https://h").connect_timeout(huge)),
            ("timeout", creds("https://h").timeout(Duration::MAX)),
        ] {
            let e = builder.build().unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument);
            assert_eq!(e.message(), format!("{name} must be at most 86400 s"));
        }
        assert!(creds("https://h").timeout(MAX_TIMEOUT).build().is_ok());
    }

    #[test]
    fn client_id_and_secret_can_be_set_apart() {
        let c = Config::builder("https://h")
            .client_secret("s")
            .client_id("id")
            .build()
            .unwrap();
        assert!(matches!(c.auth(), Auth::ClientCredentials { client_id, .. } if client_id == "id"));
        let e = Config::builder("https://h").client_secret("s").build();
        assert!(e
            .unwrap_err()
            .message()
            .contains("both client_id and client_secret"));
    }

    #[test]
    fn huge_credentials_and_products_are_refused() {
        let huge = "x".repeat(MAX_HEADER_VALUE_LEN + 1);
        let fits = "x".repeat(MAX_HEADER_VALUE_LEN);
        let cases = [
            (
                "client_id",
                creds("https://h").client_credentials(&huge, "s"),
            ),
            (
                "client_secret",
                creds("https://h").client_credentials("id", &*huge),
            ),
            (
                "access_token",
                Config::builder("https://h").access_token(&*huge),
            ),
            ("user_agent", creds("https://h").user_agent(&huge)),
        ];
        for (name, builder) in cases {
            let e = builder.build().unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument, "{name}");
            assert!(e.message().starts_with(name), "{}", e.message());
            assert!(
                e.message().contains("longer than 8192 bytes"),
                "{}",
                e.message()
            );
        }
        assert!(creds("https://h")
            .client_credentials(&fits, &*fits)
            .user_agent(&fits)
            .build()
            .is_ok());
    }

    #[test]
    fn proxies_need_a_host_name() {
        for bad in ["", "  ", ".", "..", "http://./", "a\r\nb"] {
            assert!(!proxy_is_valid(bad), "{bad:?}");
            let e = creds("https://h").proxy(bad).build().unwrap_err();
            assert!(e.message().contains("proxy"), "{}", e.message());
        }
        for good in [
            "http://proxy:3128",
            "proxy.example.com:8080",
            "http://[::1]:3128",
        ] {
            assert!(proxy_is_valid(good), "{good:?}");
        }
    }

    #[test]
    fn errors_do_not_echo_huge_values() {
        let huge = format!("https://{}", "x".repeat(1 << 20));
        let e = validate_base_url(&format!("{huge}?q"), false).unwrap_err();
        assert!(
            e.message().starts_with("base_url \"https://xxx"),
            "{}",
            e.message()
        );
        assert!(e.message().len() < 400, "{} bytes", e.message().len());
        let path = "p".repeat(1 << 20);
        let e = creds("https://h").ca_file(&path).build().unwrap_err();
        assert!(e.message().starts_with("ca_file"));
        assert!(e.message().len() < 400, "{} bytes", e.message().len());
        assert_eq!(shown("short"), "\"short\"");
    }

    #[test]
    fn user_agent_names_the_sdk() {
        let c = creds("https://h").build().unwrap();
        assert_eq!(c.user_agent(), concat!("eiam/", env!("CARGO_PKG_VERSION")));
        let c = creds("https://h")
            .user_agent("provisioner/2")
            .build()
            .unwrap();
        assert!(c.user_agent().starts_with("provisioner/2 eiam/"));
    }
}
