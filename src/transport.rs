//! Sending one logical request: the shared `ureq` agent, the call's
//! deadline, and retries with backoff for failures worth retrying.
//!
//! This layer knows nothing of tokens or the API's JSON: it returns the
//! final status and body, and leaves their meaning to `response`.

use std::io::Read;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use ureq::http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HOST, USER_AGENT};
use ureq::http::uri::{Authority, Parts, PathAndQuery, Scheme};
use ureq::http::{HeaderMap, HeaderValue, Request, Uri};
use ureq::unversioned::transport::{ConnectProxyConnector, Connector, TcpConnector};
use ureq::{Agent, Proxy, ProxyProtocol};

use crate::cancel::{self, cancelled_error};
use crate::config::{redact_url, Config};
use crate::deadline::Deadline;
use crate::error::{Error, ErrorKind, Result};
use crate::interruptible::{Connections, InterruptibleConnector};
use crate::per_process::PerProcess;
use crate::resolve::CachingResolver;
use crate::retry;
use crate::tls::{self, TlsConnector};

/// Largest response body read; anything bigger is a protocol error.
pub(crate) const MAX_BODY_BYTES: u64 = 1024 * 1024;

/// An HTTP method of the management API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method's name as sent (`"GET"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Whether sending the request twice has the effect of sending it
    /// once (RFC 9110): GET, PUT and DELETE are; POST and PATCH are not.
    pub fn is_idempotent(self) -> bool {
        matches!(self, Method::Get | Method::Put | Method::Delete)
    }

    fn to_http(self) -> ureq::http::Method {
        match self {
            Method::Get => ureq::http::Method::GET,
            Method::Post => ureq::http::Method::POST,
            Method::Put => ureq::http::Method::PUT,
            Method::Patch => ureq::http::Method::PATCH,
            Method::Delete => ureq::http::Method::DELETE,
        }
    }
}

impl std::str::FromStr for Method {
    type Err = Error;

    /// Any case (`"get"`, `"GET"`); the name is sent upper-case.
    fn from_str(name: &str) -> Result<Self> {
        const ALL: [Method; 5] = [
            Method::Get,
            Method::Post,
            Method::Put,
            Method::Patch,
            Method::Delete,
        ];
        ALL.into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                Error::invalid_argument(format!(
                    "method must be one of GET, POST, PUT, PATCH, DELETE; got {}",
                    crate::error::quoted(name)
                ))
            })
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What one request sends. `authorization` is the whole header value;
/// `content_type` goes with a non-empty body only.
pub(crate) struct Outgoing<'a> {
    pub method: Method,
    pub path: &'a str,
    pub authorization: &'a HeaderValue,
    pub content_type: &'static str,
    pub body: &'a [u8],
    /// Whether the request may be sent again after an attempt that may
    /// have reached the service. When false it is retried only after a
    /// failure that certainly kept it from arriving (nothing was sent, or
    /// the service answered 429).
    pub idempotent: bool,
}

/// The final answer to a request: status, body and its `Retry-After`.
/// No `Debug`: the body of a token response is a secret.
pub(crate) struct Received {
    pub status: u16,
    pub body: Vec<u8>,
    pub retry_after: Option<Duration>,
    /// Whether an earlier attempt of this request may have reached the
    /// service (its answer was lost or was a gateway error), so that this
    /// answer may describe the state that attempt left.
    pub after_possible_delivery: bool,
}

/// The shared HTTP machinery of one client.
pub(crate) struct Transport {
    /// The agent and its connection pool, with the count of its
    /// connections, made anew in a forked child.
    agent: PerProcess<(Agent, Arc<Connections>)>,
    target: Target,
    max_retries: u32,
    /// The configured proxy (password hidden), named in transport errors.
    proxy: Option<String>,
    /// Set when the service answers 429: until then, no request of this
    /// client starts, so every thread slows down together instead of each
    /// hammering the service on its own schedule.
    rate_limited_until: Mutex<Option<Instant>>,
}

impl Transport {
    pub(crate) fn new(config: &Config) -> Result<Self> {
        let idle_connections = crate::bulk::MAX_CONCURRENCY.max(config.async_workers as usize);
        let builder = Agent::config_builder()
            // Error statuses come back as responses so their bodies are kept.
            .http_status_as_error(false)
            // A redirect of an authenticated management call is never
            // expected; following it could send the token elsewhere.
            .max_redirects(0)
            .max_redirects_will_error(false)
            // Enough idle connections for a bulk job's workers and for
            // every async worker, so that no burst of calls closes the
            // connections the next one would reuse.
            .max_idle_connections(idle_connections)
            .max_idle_connections_per_host(idle_connections)
            // No global timeout here: each attempt is given what is left of
            // its call's deadline.
            .timeout_connect(Some(config.connect_timeout));
        let tls = if config.base_url.starts_with("https://") {
            Some(tls::client_config(config)?)
        } else {
            None
        };
        let proxy = select_proxy(config)?;
        let named_proxy = proxy.as_ref().map(|p| redact_url(&p.uri().to_string()));
        // Always set, so that ureq does not read the environment itself.
        let agent_config = builder.proxy(proxy).build();
        Ok(Transport {
            agent: PerProcess::new(move || {
                let connections = Arc::new(Connections::default());
                // ureq's DefaultConnector, with our TLS (see tls.rs); no
                // SOCKS, which select_proxy refuses.
                let connector = ()
                    .chain(ConnectProxyConnector::default())
                    .chain(TcpConnector::default())
                    .chain(TlsConnector::new(
                        tls.as_deref().map(tls::with_new_session_cache),
                    ))
                    .chain(InterruptibleConnector::new(connections.clone()));
                let agent =
                    Agent::with_parts(agent_config.clone(), connector, CachingResolver::default());
                (agent, connections)
            }),
            target: Target::new(config)?,
            max_retries: config.max_retries,
            proxy: named_proxy,
            rate_limited_until: Mutex::new(None),
        })
    }

    /// Sends `req`, retrying transport failures and 429/502/503/504 up to
    /// `max_retries` times while the deadline allows. Returns the last
    /// response received, whatever its status; `Err` only when no usable
    /// response came back.
    pub(crate) fn send(&self, req: &Outgoing<'_>, deadline: &Deadline) -> Result<Received> {
        let mut attempt = 0;
        let mut possibly_delivered = false;
        loop {
            self.wait_out_rate_limit(deadline)?;
            let mut outcome = self.send_once(req, deadline);
            if let Ok(received) = &mut outcome {
                received.after_possible_delivery = possibly_delivered;
            }
            let (retryable, delivered) = match &outcome {
                Ok(received) => (
                    retry::is_retryable_status(received.status),
                    received.status != 429,
                ),
                Err(failure) => (failure.retryable, !failure.not_sent),
            };
            // An error after an attempt that may have arrived says so, so
            // that the caller never takes a write that happened for one
            // that did not.
            let reached = possibly_delivered || delivered;
            let give_up = |outcome: std::result::Result<Received, Failure>| {
                outcome.map_err(|f| {
                    if reached {
                        f.error.after_possible_delivery()
                    } else {
                        f.error
                    }
                })
            };
            if !retryable || (delivered && !req.idempotent) {
                return give_up(outcome);
            }
            possibly_delivered |= delivered;
            let hint = outcome.as_ref().ok().and_then(|r| r.retry_after);
            let pause = retry::pause(attempt, hint);
            if matches!(&outcome, Ok(r) if r.status == 429) {
                // Every call of this client waits it out, whatever this
                // call does next.
                self.note_rate_limit(Instant::now() + pause);
            }
            // Never sleep past the deadline: answer with what we have now.
            let fits = deadline.remaining().is_some_and(|left| pause < left);
            if attempt >= self.max_retries || !fits {
                return give_up(outcome);
            }
            log::info!(
                "eiam: {:?} {} failed ({}), retry {} of {} in {:?}",
                req.method,
                req.path,
                describe(&outcome),
                attempt + 1,
                self.max_retries,
                pause
            );
            deadline.sleep(pause)?;
            attempt += 1;
        }
    }

    /// Names the configured proxy in a transport failure: with a proxy, a
    /// refused connection is the proxy's, not the service's.
    fn via_proxy(&self, mut failure: Failure) -> Failure {
        if let (Some(proxy), ErrorKind::Transport) = (&self.proxy, failure.error.kind()) {
            failure.error = Error::new(
                ErrorKind::Transport,
                format!("{} (through proxy {proxy})", failure.error.message()),
            );
        }
        failure
    }

    /// Sleeps until a pause set by a 429 is over. A call whose deadline
    /// comes first fails at once, without sending, rather than sleeping to
    /// its deadline for nothing.
    fn wait_out_rate_limit(&self, deadline: &Deadline) -> Result<()> {
        let until = *self
            .rate_limited_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let Some(wait) = until.and_then(|u| u.checked_duration_since(Instant::now())) else {
            return Ok(());
        };
        match deadline.remaining() {
            Some(left) if wait < left => deadline.sleep(wait),
            _ => Err(Error::new(
                ErrorKind::Api,
                format!(
                    "rate limited: the service asked this client to pause, and the pause \
                     has {:.1} s left, more than this call's deadline allows",
                    wait.as_secs_f64()
                ),
            )
            .with_status(429)),
        }
    }

    /// Connections open and not in use by a call (a hint).
    pub(crate) fn idle_connections(&self) -> usize {
        self.agent.get().1.idle()
    }

    /// What is left of the pause a 429 set, if one is under way.
    pub(crate) fn rate_limit_pause(&self) -> Option<Duration> {
        let until = *self
            .rate_limited_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        until
            .and_then(|u| u.checked_duration_since(Instant::now()))
            .filter(|left| !left.is_zero())
    }

    fn note_rate_limit(&self, until: Instant) {
        let mut current = self
            .rate_limited_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if current.is_none_or(|c| c < until) {
            *current = Some(until);
        }
    }

    /// Runs one request with `left` as ureq's global timeout, which covers
    /// every lookup, connect, read and write of the attempt, the body's
    /// included.
    fn run(
        &self,
        agent: &Agent,
        head: Request<()>,
        body: &[u8],
        left: Duration,
    ) -> std::result::Result<ureq::http::Response<ureq::Body>, ureq::Error> {
        if body.is_empty() && *head.method() == ureq::http::Method::GET {
            agent.run(
                agent
                    .configure_request(head)
                    .timeout_global(Some(left))
                    .build(),
            )
        } else {
            agent.run(
                agent
                    .configure_request(head.map(|()| body))
                    .timeout_global(Some(left))
                    .build(),
            )
        }
    }

    fn send_once(
        &self,
        req: &Outgoing<'_>,
        deadline: &Deadline,
    ) -> std::result::Result<Received, Failure> {
        let Some(left) = deadline.remaining() else {
            return Err(Failure {
                error: deadline.expired_error(),
                retryable: false,
                not_sent: true,
            });
        };
        if let Err(error) = deadline.check_cancelled() {
            return Err(Failure {
                error,
                retryable: false,
                not_sent: true,
            });
        }
        let (agent, connections) = self.agent.get();
        let head = self.target.request_head(req)?;
        // Until the answer is read, and the connection back in the pool.
        let _in_use = connections.use_one();
        // The answer's body is read after `run` returns: both watch the token.
        let (status, retry_after, body) = cancel::while_current(deadline.cancel_token(), || {
            let mut response = self
                .run(&agent, head, req.body, left)
                .map_err(|e| self.via_proxy(Failure::from_ureq(e, deadline)))?;
            let status = response.status().as_u16();
            let retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(retry::parse_retry_after);
            let body = read_body(response.body_mut())
                .map_err(|e| Failure::from_ureq(e, deadline).with_status(status))?;
            Ok((status, retry_after, body))
        })?;
        log::debug!("eiam: {:?} {} -> HTTP {status}", req.method, req.path);
        Ok(Received {
            status,
            body,
            retry_after,
            after_possible_delivery: false,
        })
    }
}

/// Where requests go and the headers every request carries, parsed and
/// validated once per client rather than once per request: building an
/// `http::Request` from a URL string and header strings re-parses all of
/// them on every call.
struct Target {
    scheme: Scheme,
    authority: Authority,
    /// The base URL's path (`/idaas`), or empty.
    base_path: String,
    /// `Host`, with the port when it is not the scheme's default (as ureq
    /// would write it).
    host: HeaderValue,
    user_agent: HeaderValue,
}

impl Target {
    fn new(config: &Config) -> Result<Self> {
        let bad = |what: &str| Error::invalid_argument(format!("{what} is not valid"));
        let uri: Uri = config.base_url.parse().map_err(|_| bad("base_url"))?;
        let parts = uri.into_parts();
        let (Some(scheme), Some(authority)) = (parts.scheme, parts.authority) else {
            return Err(bad("base_url"));
        };
        let base_path = parts
            .path_and_query
            .map(|p| p.path().trim_end_matches('/').to_owned())
            .unwrap_or_default();
        let default_port = if scheme == Scheme::HTTPS { 443 } else { 80 };
        let host = match authority.port_u16() {
            Some(port) if port != default_port => format!("{}:{port}", authority.host()),
            _ => authority.host().to_owned(),
        };
        Ok(Target {
            host: HeaderValue::try_from(host).map_err(|_| bad("base_url"))?,
            // Checked by the config already (no control characters); any
            // other UTF-8 goes out as is, as curl sends it.
            user_agent: HeaderValue::from_bytes(config.user_agent.as_bytes())
                .map_err(|_| bad("user_agent"))?,
            scheme,
            authority,
            base_path,
        })
    }

    /// The method, URL and headers of `req`.
    fn request_head(&self, req: &Outgoing<'_>) -> std::result::Result<Request<()>, Failure> {
        let invalid_path = || Failure {
            error: Error::invalid_argument("the request URL is not valid"),
            retryable: false,
            not_sent: true,
        };
        let mut path = String::with_capacity(self.base_path.len() + req.path.len());
        path.push_str(&self.base_path);
        path.push_str(req.path);
        let mut parts = Parts::default();
        parts.scheme = Some(self.scheme.clone());
        parts.authority = Some(self.authority.clone());
        parts.path_and_query = Some(PathAndQuery::try_from(path).map_err(|_| invalid_path())?);
        let uri = Uri::from_parts(parts).map_err(|_| invalid_path())?;

        let mut headers = HeaderMap::with_capacity(6);
        headers.insert(HOST, self.host.clone());
        headers.insert(AUTHORIZATION, req.authorization.clone());
        headers.insert(USER_AGENT, self.user_agent.clone());
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if !req.body.is_empty() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(req.content_type));
        }

        let mut request = Request::new(());
        *request.method_mut() = req.method.to_http();
        *request.uri_mut() = uri;
        *request.headers_mut() = headers;
        Ok(request)
    }
}

/// The whole body, up to [`MAX_BODY_BYTES`]. The buffer is sized from
/// `Content-Length` so that one read takes it all: ureq's `read_to_vec`
/// starts from 32 bytes and doubles, a read through its state machine each.
fn read_body(body: &mut ureq::Body) -> std::result::Result<Vec<u8>, ureq::Error> {
    let expected = body.content_length().unwrap_or(0).min(MAX_BODY_BYTES);
    let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    body.with_config()
        .limit(MAX_BODY_BYTES)
        .reader()
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A failed attempt, whether another could succeed, and whether this one
/// certainly never reached the service.
struct Failure {
    error: Error,
    retryable: bool,
    not_sent: bool,
}

impl Failure {
    fn from_ureq(err: ureq::Error, deadline: &Deadline) -> Self {
        use ureq::Error as E;
        let not_sent = is_before_sending(&err);
        if deadline.check_cancelled().is_err() {
            // Whatever the wait ended with, the call was cancelled.
            return Failure {
                error: cancelled_error(),
                retryable: false,
                not_sent,
            };
        }
        let (error, retryable) = match err {
            E::Timeout(which) => {
                // ureq's global timer is the call's deadline; any other
                // timer (connect) is a transport failure worth retrying.
                if matches!(which, ureq::Timeout::Global) || deadline.remaining().is_none() {
                    (deadline.expired_error(), false)
                } else {
                    (
                        Error::new(ErrorKind::Transport, format!("{which} timed out")),
                        true,
                    )
                }
            }
            E::BodyExceedsLimit(limit) => (
                Error::new(
                    ErrorKind::Protocol,
                    format!("response body is larger than {limit} bytes"),
                ),
                false,
            ),
            E::Io(io) => match tls_error_in(&io) {
                // Verification failures reach us as I/O errors; another
                // attempt would meet the same certificate.
                Some(tls) => (
                    Error::new(
                        ErrorKind::Transport,
                        format!("TLS certificate verification failed: {tls}"),
                    ),
                    false,
                ),
                None => (
                    Error::new(ErrorKind::Transport, format!("I/O error: {io}")),
                    true,
                ),
            },
            E::ConnectionFailed => (Error::new(ErrorKind::Transport, "connection failed"), true),
            E::HostNotFound => (Error::new(ErrorKind::Transport, "host not found"), true),
            E::Protocol(p) => (
                Error::new(ErrorKind::Protocol, format!("malformed HTTP response: {p}")),
                false,
            ),
            E::Rustls(tls) => (
                Error::new(ErrorKind::Transport, format!("TLS error: {tls}")),
                false,
            ),
            E::Tls(tls) => (
                Error::new(ErrorKind::Transport, format!("TLS error: {tls}")),
                false,
            ),
            E::InvalidProxyUrl => (Error::invalid_argument("the proxy URL is not valid"), false),
            E::BadUri(_) | E::Http(_) => (
                Error::invalid_argument("the request URL is not valid"),
                false,
            ),
            other => (Error::new(ErrorKind::Transport, other.to_string()), false),
        };
        Failure {
            error,
            retryable,
            not_sent,
        }
    }

    fn with_status(mut self, status: u16) -> Self {
        self.error = self.error.with_status(status);
        self
    }
}

/// Whether `err` happened before any byte of the request could reach the
/// service: no address, no connection. Everything else (a reset, a timeout
/// while waiting for the answer, a broken answer) may follow a request the
/// service received and acted on.
fn is_before_sending(err: &ureq::Error) -> bool {
    use std::io::ErrorKind as Io;
    use ureq::Error as E;
    match err {
        E::HostNotFound | E::ConnectionFailed => true,
        E::Timeout(which) => matches!(which, ureq::Timeout::Resolve | ureq::Timeout::Connect),
        E::Io(io) => matches!(
            io.kind(),
            Io::ConnectionRefused
                | Io::AddrNotAvailable
                | Io::NetworkUnreachable
                | Io::HostUnreachable
        ),
        _ => false,
    }
}

/// The certificate problem behind an I/O error of the TLS layer, if any.
fn tls_error_in(io: &std::io::Error) -> Option<&rustls::Error> {
    let tls = io.get_ref()?.downcast_ref::<rustls::Error>()?;
    matches!(
        tls,
        rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented
    )
    .then_some(tls)
}

fn describe(outcome: &std::result::Result<Received, Failure>) -> String {
    match outcome {
        Ok(r) => format!("HTTP {}", r.status),
        Err(f) => f.error.message().to_owned(),
    }
}

/// The proxy calls go through: the configured one, else one from the
/// environment (`ALL_PROXY`, `HTTPS_PROXY`, `HTTP_PROXY`, with `NO_PROXY`),
/// except for a loopback base URL, which a proxy elsewhere could not reach
/// and which may be plain `http://`. SOCKS proxies are refused rather than
/// bypassed.
fn select_proxy(config: &Config) -> Result<Option<Proxy>> {
    let proxy = match &config.proxy {
        Some(url) => Some(Proxy::new(url).map_err(|_| {
            Error::invalid_argument(format!("proxy URL {} is not valid", redact_url(url)))
        })?),
        None if config.is_loopback() => None,
        None => Proxy::try_from_env(),
    };
    let Some(proxy) = proxy else {
        return Ok(None);
    };
    if proxy.is_from_env() {
        let base: Uri = config
            .base_url
            .parse()
            .map_err(|_| Error::invalid_argument("base_url is not valid"))?;
        if proxy.is_no_proxy(&base) {
            return Ok(None);
        }
    }
    if is_socks(proxy.protocol()) {
        let source = if proxy.is_from_env() {
            " (from ALL_PROXY/HTTPS_PROXY/HTTP_PROXY; set NO_PROXY for the tenant's host, or configure an HTTP proxy)"
        } else {
            ""
        };
        return Err(Error::invalid_argument(format!(
            "proxy {} is a SOCKS proxy, which eiam does not support: use an HTTP(S) proxy{source}",
            redact_url(&proxy.uri().to_string())
        )));
    }
    Ok(Some(proxy))
}

pub(crate) fn is_socks(protocol: ProxyProtocol) -> bool {
    matches!(
        protocol,
        ProxyProtocol::Socks4
            | ProxyProtocol::Socks4A
            | ProxyProtocol::Socks5
            | ProxyProtocol::Socks5h
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_failures_before_sending_count_as_not_sent() {
        use std::io::{Error as IoError, ErrorKind as Io};
        let io = |kind| ureq::Error::Io(IoError::from(kind));
        for sure in [
            io(Io::ConnectionRefused),
            ureq::Error::HostNotFound,
            ureq::Error::Timeout(ureq::Timeout::Connect),
            ureq::Error::Timeout(ureq::Timeout::Resolve),
        ] {
            assert!(is_before_sending(&sure), "{sure}");
        }
        for maybe in [
            io(Io::ConnectionReset),
            io(Io::UnexpectedEof),
            io(Io::BrokenPipe),
            ureq::Error::Timeout(ureq::Timeout::RecvResponse),
            ureq::Error::Timeout(ureq::Timeout::Global),
        ] {
            assert!(!is_before_sending(&maybe), "{maybe}");
        }
    }
}
