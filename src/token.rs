//! Access tokens: fetched with client credentials, cached, renewed shortly
//! before they expire, and fetched by one thread at a time.

use std::fmt;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde::Deserialize;
use ureq::http::HeaderValue;
use zeroize::Zeroizing;

use crate::config::Auth;
use crate::deadline::Deadline;
use crate::error::{Error, ErrorKind, Result};
use crate::per_process;
use crate::response::{self, Endpoint};
use crate::secret::{self, Secret};
use crate::transport::{Method, Outgoing, Transport};

pub(crate) const TOKEN_PATH: &str = "/api/v2/tenant/token";

/// Lifetime assumed when the service omits `expires_in` (its documented
/// default); a token rejected earlier is renewed anyway.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(1800);
/// Longest lifetime believed, so a bogus `expires_in` cannot pin a token.
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 3600);
/// Renew at most this long before expiry...
const MAX_RENEW_MARGIN: Duration = Duration::from_secs(60);
/// ...and at most this fraction of the lifetime before it.
const RENEW_MARGIN_DIVISOR: u32 = 10;

/// An access token together with the `Authorization` header value it
/// makes, built once per token rather than once per call. The header shares
/// the token's wiped-on-drop buffer (see [`secret::header_value`]).
pub(crate) struct Bearer {
    /// `Bearer <token>`.
    value: Arc<Secret>,
    header: HeaderValue,
}

impl Bearer {
    const SCHEME: &'static str = "Bearer ";

    /// `None` when the token cannot be sent in a header.
    fn new(token: &str) -> Option<Self> {
        // Sized up front: a reallocation would leave a copy of the token
        // behind, unwiped.
        let mut value = String::with_capacity(Self::SCHEME.len() + token.len());
        value.push_str(Self::SCHEME);
        value.push_str(token);
        let value = Arc::new(Secret::new(value));
        let header = secret::header_value(&value)?;
        Some(Bearer { value, header })
    }

    /// The token itself.
    pub(crate) fn token(&self) -> &str {
        &self.value.expose()[Self::SCHEME.len()..]
    }

    /// The `Authorization` header value, `Bearer <token>`.
    pub(crate) fn authorization(&self) -> &HeaderValue {
        &self.header
    }
}

impl fmt::Debug for Bearer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Bearer([redacted])")
    }
}

/// A token and when it stops being usable.
#[derive(Clone)]
struct CachedToken {
    value: Arc<Bearer>,
    fetched_at: Instant,
    lifetime: Duration,
}

impl CachedToken {
    /// Renew once what is left is less than min(60 s, lifetime / 10): a
    /// 1800 s token 60 s early, a 3 s token 0.3 s early.
    fn needs_renewal(&self, now: Instant) -> bool {
        let margin = MAX_RENEW_MARGIN.min(self.lifetime / RENEW_MARGIN_DIVISOR);
        let age = now.saturating_duration_since(self.fetched_at);
        self.lifetime.saturating_sub(age) <= margin
    }

    fn expired(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.fetched_at) >= self.lifetime
    }
}

#[derive(Default)]
struct CacheState {
    token: Option<CachedToken>,
    /// The process (its `per_process::generation`) whose thread is
    /// fetching a token; others wait for it rather than start their own.
    /// After `fork()` the child has no such thread, so a fetch of another
    /// process counts as none.
    fetching: Option<u64>,
    /// Bumped by every finished fetch, so a waiter can tell that the fetch
    /// it waited for is over, whatever its outcome.
    generation: u64,
    /// The last fetch's error and the deadline it ran under.
    last_failure: Option<(Error, Deadline)>,
    /// After a failed renewal, when the next one may start.
    renew_after: Option<Instant>,
}

/// Where a client's bearer tokens come from.
pub(crate) struct TokenSource {
    credentials: Credentials,
    /// See [`TokenSource::client_secrets`]; made once, not per call.
    credential_forms: Option<[Secret; 3]>,
    /// The deadline of a renewal made in the background.
    renewal_timeout: Duration,
    state: Mutex<CacheState>,
    fetched: Condvar,
}

/// How long a failed background renewal waits before the next one.
const RENEW_RETRY_PAUSE: Duration = Duration::from_secs(1);

/// The configured [`Auth`], with a fixed token already made into its header.
enum Credentials {
    Fixed(Arc<Bearer>),
    Client {
        client_id: String,
        client_secret: Secret,
    },
}

impl TokenSource {
    pub(crate) fn new(auth: Auth, renewal_timeout: Duration) -> Result<Self> {
        let credentials = match auth {
            Auth::AccessToken(token) => {
                Credentials::Fixed(Arc::new(Bearer::new(token.expose()).ok_or_else(|| {
                    Error::invalid_argument("access_token cannot be sent in a header")
                })?))
            }
            Auth::ClientCredentials {
                client_id,
                client_secret,
            } => Credentials::Client {
                client_id,
                client_secret,
            },
        };
        let credential_forms = match &credentials {
            Credentials::Client {
                client_id,
                client_secret,
            } => {
                let pair = Secret::new(format!("{client_id}:{}", client_secret.expose()));
                let basic = Secret::new(BASE64.encode(pair.expose()));
                Some([client_secret.clone(), pair, basic])
            }
            Credentials::Fixed(_) => None,
        };
        Ok(TokenSource {
            credentials,
            credential_forms,
            renewal_timeout,
            state: Mutex::new(CacheState::default()),
            fetched: Condvar::new(),
        })
    }

    /// Whether a rejected token can be replaced by fetching another.
    pub(crate) fn can_renew(&self) -> bool {
        matches!(self.credentials, Credentials::Client { .. })
    }

    /// The client credentials in every form they are sent in, for
    /// redaction of messages: the secret, `id:secret`, and its base64 as in
    /// the Basic header. Empty strings with a fixed token.
    pub(crate) fn client_secrets(&self) -> [&str; 3] {
        match &self.credential_forms {
            Some([secret, pair, basic]) => [secret.expose(), pair.expose(), basic.expose()],
            None => ["", "", ""],
        }
    }

    /// A token to send now.
    ///
    /// - A fresh cached token is used as is.
    /// - A token in its renewal window, but still valid, is used too, while
    ///   one background thread fetches the next: no caller waits for a
    ///   renewal while it holds a token that works.
    /// - Without a valid token, one caller fetches and the others wait for
    ///   it, each within its own deadline, and share its result; a waiter
    ///   whose fetcher ran out of a shorter deadline tries again itself.
    pub(crate) fn bearer(
        self: &Arc<Self>,
        transport: &Arc<Transport>,
        deadline: &Deadline,
    ) -> Result<Arc<Bearer>> {
        if let Credentials::Fixed(token) = &self.credentials {
            return Ok(token.clone());
        }
        let process = per_process::generation();
        let mut state = self.lock();
        let first_seen = state.generation;
        loop {
            let now = Instant::now();
            let fetched_since = state.generation != first_seen;
            let fetching = state.fetching == Some(process);
            if let Some(token) = &state.token {
                // A token fetched while we waited is used even if its
                // lifetime is tiny: it was fetched for us.
                if fetched_since || !token.needs_renewal(now) {
                    return Ok(token.value.clone());
                }
                if !token.expired(now) {
                    let value = token.value.clone();
                    if !fetching && state.renew_after.is_none_or(|at| now >= at) {
                        self.renew_in_background(&mut state, transport, process);
                    }
                    return Ok(value);
                }
            } else if fetched_since {
                if let Some((failure, fetch_deadline)) = &state.last_failure {
                    // A fetch that ended for reasons of its caller's (its
                    // shorter deadline, its cancel) says nothing of ours.
                    let ours_is_longer = failure.kind() == ErrorKind::Timeout
                        && fetch_deadline.is_before(deadline)
                        && deadline.remaining().is_some();
                    if !ours_is_longer && failure.kind() != ErrorKind::Cancelled {
                        return Err(failure.clone());
                    }
                }
            }
            if !fetching {
                break;
            }
            deadline.check_cancelled()?;
            let mut left = deadline
                .remaining()
                .ok_or_else(|| deadline.expired_error())?;
            let sliced = deadline.waits_in_slices();
            if sliced {
                // Looks at the token or the watch now and then while it waits.
                left = left.min(crate::cancel::POLL);
            }
            state = self
                .fetched
                .wait_timeout(state, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
            if sliced {
                // Without the lock: the watch may take a while.
                drop(state);
                deadline.check_after_wait()?;
                state = self.lock();
            }
        }
        state.fetching = Some(process);
        drop(state);
        self.fetch_now(transport, deadline.clone())
    }

    /// Starts a thread that fetches the next token; `state` is locked.
    fn renew_in_background(
        self: &Arc<Self>,
        state: &mut CacheState,
        transport: &Arc<Transport>,
        process: u64,
    ) {
        state.fetching = Some(process);
        let (tokens, transport) = (self.clone(), transport.clone());
        let spawned = std::thread::Builder::new()
            .name("eiam-token-renewal".into())
            .spawn(move || {
                let deadline = Deadline::after(tokens.renewal_timeout);
                // Its outcome is in the cache, for the callers to come.
                let _ = tokens.fetch_now(&transport, deadline);
            });
        if let Err(e) = spawned {
            log::warn!("eiam: could not start the token renewal ({e}); using the current token");
            state.fetching = None;
            state.renew_after = Some(Instant::now() + RENEW_RETRY_PAUSE);
        }
    }

    /// Fetches a token (this thread has set `fetching`) and records the
    /// outcome for everyone.
    fn fetch_now(&self, transport: &Transport, deadline: Deadline) -> Result<Arc<Bearer>> {
        let Credentials::Client {
            client_id,
            client_secret,
        } = &self.credentials
        else {
            unreachable!("only client credentials are fetched");
        };
        let guard = FetchGuard(self);
        let result = fetch(transport, &deadline, client_id, client_secret);
        let mut state = self.lock();
        std::mem::forget(guard);
        state.fetching = None;
        state.generation += 1;
        let outcome = match result {
            Ok(token) => {
                let value = token.value.clone();
                state.token = Some(token);
                state.last_failure = None;
                state.renew_after = None;
                Ok(value)
            }
            Err(err) => {
                state.last_failure = Some((err.clone(), deadline));
                // A renewal that failed while the old token is still valid
                // is not the caller's problem yet.
                let still_valid = state
                    .token
                    .as_ref()
                    .filter(|old| !old.expired(Instant::now()))
                    .map(|old| old.value.clone());
                match still_valid {
                    Some(old) => {
                        log::warn!("eiam: token renewal failed, using the current token: {err}");
                        state.renew_after = Some(Instant::now() + RENEW_RETRY_PAUSE);
                        Ok(old)
                    }
                    None => {
                        state.token = None;
                        Err(err)
                    }
                }
            }
        };
        self.fetched.notify_all();
        outcome
    }

    /// Forgets `rejected` if it is still the cached token, so the next
    /// [`TokenSource::bearer`] fetches a new one. A token that another
    /// thread has already replaced is left alone.
    pub(crate) fn invalidate(&self, rejected: &Arc<Bearer>) {
        let mut state = self.lock();
        if state
            .token
            .as_ref()
            .is_some_and(|t| Arc::ptr_eq(&t.value, rejected))
        {
            state.token = None;
        }
    }

    fn lock(&self) -> MutexGuard<'_, CacheState> {
        // The state stays consistent at every await point, so a panic in
        // another thread does not make it unusable.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Clears `fetching` and wakes waiters if the fetch unwinds, so a panic in
/// one thread cannot leave the others waiting until their deadlines.
struct FetchGuard<'a>(&'a TokenSource);

impl Drop for FetchGuard<'_> {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.fetching = None;
        state.generation += 1;
        state.last_failure = Some((
            Error::internal("the token fetch panicked"),
            Deadline::after(Duration::ZERO),
        ));
        self.0.fetched.notify_all();
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: Option<String>,
    token_type: Option<String>,
    expires_in: Option<serde_json::Value>,
}

fn fetch(
    transport: &Transport,
    deadline: &Deadline,
    client_id: &str,
    client_secret: &Secret,
) -> Result<CachedToken> {
    let credentials = Zeroizing::new(format!("{client_id}:{}", client_secret.expose()));
    let encoded = Zeroizing::new(BASE64.encode(&*credentials));
    let mut basic = String::with_capacity("Basic ".len() + encoded.len());
    basic.push_str("Basic ");
    basic.push_str(&encoded);
    let basic = Arc::new(Secret::new(basic));
    let basic = secret::header_value(&basic)
        .ok_or_else(|| Error::invalid_argument("client_id cannot be sent in a header"))?;
    let request = Outgoing {
        method: Method::Post,
        path: TOKEN_PATH,
        authorization: &basic,
        content_type: "application/x-www-form-urlencoded",
        body: b"grant_type=client_credentials",
        // A second token request only yields a second token.
        idempotent: true,
    };
    let fetched_at = Instant::now();
    let received = transport.send(&request, deadline)?;
    // A malformed answer may still carry a live token; a refusal may echo
    // the credentials.
    let issued = response::token_fields(&received.body);
    let mut secrets: Vec<&str> = issued.iter().map(|t| t.as_str()).collect();
    secrets.extend([client_secret.expose(), &credentials, &encoded]);
    let parsed: TokenResponse = response::decode(&received, Endpoint::Token, &secrets)?;
    let protocol = |what: &str| {
        Error::new(ErrorKind::Protocol, format!("token response {what}"))
            .with_status(received.status)
    };
    let token = parsed
        .access_token
        .filter(|t| !t.trim().is_empty())
        .map(Zeroizing::new)
        .ok_or_else(|| protocol("has no access_token"))?;
    if token.chars().any(|c| c.is_control()) {
        return Err(protocol("has an access_token with control characters"));
    }
    if let Some(kind) = parsed.token_type {
        if !kind.trim().eq_ignore_ascii_case("bearer") {
            return Err(protocol("is not a bearer token"));
        }
    }
    let lifetime = lifetime_from(parsed.expires_in.as_ref());
    log::debug!("eiam: fetched an access token valid for {lifetime:?}");
    let bearer = Bearer::new(&token)
        .ok_or_else(|| protocol("has an access_token that cannot be sent in a header"))?;
    Ok(CachedToken {
        value: Arc::new(bearer),
        fetched_at,
        lifetime,
    })
}

/// `expires_in` as sent (a number or a numeric string); missing or
/// unreadable means the documented default, zero or negative means "use
/// once", and huge values are capped.
fn lifetime_from(expires_in: Option<&serde_json::Value>) -> Duration {
    let seconds = match expires_in {
        None | Some(serde_json::Value::Null) => return DEFAULT_LIFETIME,
        Some(serde_json::Value::Number(n)) => n.as_f64(),
        Some(serde_json::Value::String(s)) => s.trim().parse::<f64>().ok(),
        Some(_) => None,
    };
    match seconds {
        None => DEFAULT_LIFETIME,
        Some(s) if s.is_nan() || s <= 0.0 => Duration::ZERO,
        Some(s) => Duration::try_from_secs_f64(s)
            .unwrap_or(MAX_LIFETIME)
            .min(MAX_LIFETIME),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_bearer_gives_its_token_and_header_and_shows_neither() {
        let bearer = Bearer::new("tok-123").unwrap();
        assert_eq!(bearer.token(), "tok-123");
        assert_eq!(bearer.authorization(), "Bearer tok-123");
        assert!(bearer.authorization().is_sensitive());
        assert!(!format!("{bearer:?}").contains("tok-123"));
        assert!(Bearer::new("tok\n123").is_none());
    }

    fn token(lifetime: Duration, fetched_at: Instant) -> CachedToken {
        CachedToken {
            value: Arc::new(Bearer::new("t").unwrap()),
            fetched_at,
            lifetime,
        }
    }

    #[test]
    fn renewal_margin_is_the_smaller_of_60s_and_a_tenth() {
        let t0 = Instant::now();
        let long = token(Duration::from_secs(1800), t0);
        assert!(!long.needs_renewal(t0 + Duration::from_secs(1739)));
        assert!(long.needs_renewal(t0 + Duration::from_secs(1740)));
        let short = token(Duration::from_secs(3), t0);
        assert!(!short.needs_renewal(t0 + Duration::from_millis(2690)));
        assert!(short.needs_renewal(t0 + Duration::from_millis(2700)));
        let zero = token(Duration::ZERO, t0);
        assert!(zero.needs_renewal(t0));
    }

    #[test]
    fn expires_in_is_read_leniently_and_bounded() {
        assert_eq!(lifetime_from(Some(&json!(1799))), Duration::from_secs(1799));
        assert_eq!(lifetime_from(Some(&json!("60"))), Duration::from_secs(60));
        assert_eq!(
            lifetime_from(Some(&json!(1.5))),
            Duration::from_millis(1500)
        );
        assert_eq!(lifetime_from(None), DEFAULT_LIFETIME);
        assert_eq!(lifetime_from(Some(&json!(null))), DEFAULT_LIFETIME);
        assert_eq!(lifetime_from(Some(&json!("soon"))), DEFAULT_LIFETIME);
        assert_eq!(lifetime_from(Some(&json!(0))), Duration::ZERO);
        assert_eq!(lifetime_from(Some(&json!(-5))), Duration::ZERO);
        assert_eq!(lifetime_from(Some(&json!(1e300))), MAX_LIFETIME);
    }
}
