//! The client: one configuration, one connection pool, one token cache.

use std::fmt;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::cancel::CancelToken;
use crate::config::Config;
use crate::deadline::Deadline;
use crate::error::{Error, ErrorKind, Result};
use crate::executor::Executor;
use crate::per_process::PerProcess;
use crate::response::{self, Endpoint};
use crate::retry;
use crate::token::TokenSource;
use crate::transport::{Method, Outgoing, Received, Transport};

/// A client of one tenant's management API.
///
/// `Client` is `Send + Sync`, and cloning it is cheap: clones share its
/// connections and its token, so share one (or clones of one) between
/// threads rather than making one per thread.
#[derive(Clone)]
pub struct Client {
    config: Arc<Config>,
    // Shared with the thread that renews the token in the background.
    transport: Arc<Transport>,
    tokens: Arc<TokenSource>,
    /// Ends this client's calls early; see [`Client::with_cancel`].
    cancel: Option<CancelToken>,
    /// The threads of [`Client::spawn`], made anew in a forked child
    /// (threads do not survive a fork).
    executor: Arc<PerProcess<Arc<Executor>>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.config.base_url)
            .field("auth", &self.config.auth.kind_name())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Creates a client. Nothing is sent until the first call.
    pub fn new(config: Config) -> Result<Self> {
        let transport = Arc::new(Transport::new(&config)?);
        let tokens = Arc::new(TokenSource::new(config.auth.clone(), config.timeout)?);
        let workers = config.async_workers;
        Ok(Client {
            executor: Arc::new(PerProcess::new(move || Executor::new(workers))),
            config: Arc::new(config),
            transport,
            tokens,
            cancel: None,
        })
    }

    /// This client, sharing its connections and its token, with calls
    /// that `cancel` ends: a call waiting for a retry, a rate-limit pause
    /// or a token stops at once, and one waiting for the service's answer
    /// within a few tens of milliseconds, with [`ErrorKind::Cancelled`].
    /// A request already sent may still take effect on the service.
    pub fn with_cancel(&self, cancel: &CancelToken) -> Client {
        Client {
            cancel: Some(cancel.clone()),
            ..self.clone()
        }
    }

    /// A new token for one of this client's tasks: cancelled with the
    /// client's own token, if it has one.
    pub(crate) fn task_cancel(&self) -> CancelToken {
        self.cancel
            .as_ref()
            .map_or_else(CancelToken::new, CancelToken::child)
    }

    pub(crate) fn executor(&self) -> Arc<Executor> {
        self.executor.get()
    }

    /// The deadline of a call starting now.
    fn deadline(&self) -> Deadline {
        Deadline::after(self.config.timeout).with_cancel(self.cancel.clone())
    }

    /// The configuration this client was made with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Fetches an access token now (or reuses the cached one), so that bad
    /// credentials fail here rather than at the first call. With a static
    /// access token there is nothing to check and it returns at once.
    ///
    /// Errors: [`ErrorKind::Auth`](crate::ErrorKind::Auth) when the token
    /// endpoint refuses the client id and secret;
    /// [`ErrorKind::Transport`](crate::ErrorKind::Transport) or
    /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) when it cannot be
    /// reached in time.
    ///
    /// # Examples
    ///
    /// ```
    /// # let mock = eiam_mock::MockServer::start()?;
    /// # let config = eiam::Config::builder(mock.base_url())
    /// #     .client_credentials(mock.client_id(), mock.client_secret())
    /// #     .build()?;
    /// # let client = eiam::Client::new(config)?;
    /// client.authenticate()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn authenticate(&self) -> Result<()> {
        let deadline = self.deadline();
        self.tokens.bearer(&self.transport, &deadline).map(|_| ())
    }

    /// What is left of the pause that a 429 imposed on every call of this
    /// client (and its clones), or `None` when calls may start now: a bulk
    /// job shows it while it waits.
    pub fn rate_limit_pause(&self) -> Option<std::time::Duration> {
        self.transport.rate_limit_pause()
    }

    /// How many of this client's connections (shared with its clones) are
    /// open and not in use by a call: a call made now most likely reuses
    /// one rather than connecting. A hint, since another thread may take
    /// it first or the service may have closed it; a binding uses it to
    /// decide whether a call can wait on the caller's thread (see
    /// [`while_watching`](crate::while_watching)).
    pub fn idle_connections(&self) -> usize {
        self.transport.idle_connections()
    }

    /// Sends one idempotent API request and decodes its JSON answer.
    pub(crate) fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&[u8]>,
    ) -> Result<T> {
        let call = ApiCall {
            method,
            path,
            body: body.unwrap_or_default(),
            idempotent: true,
            secret: None,
        };
        self.exchange(&call, |received, secrets| {
            response::decode(received, Endpoint::Api, secrets)
        })
    }

    /// Sends one API request with a bearer token and lets `decode` read
    /// the answer, with every secret of the call (token, credentials and
    /// the call's own `secret`) to redact from what it reports.
    ///
    /// The whole call, token fetch and retries included, runs within one
    /// deadline. A token the service rejects is replaced and the request
    /// sent once more (a rejected request was not acted on, so this holds
    /// for creates too); a second rejection is an auth error.
    pub(crate) fn exchange<T>(
        &self,
        call: &ApiCall<'_>,
        decode: impl FnOnce(&Received, &[&str]) -> Result<T>,
    ) -> Result<T> {
        let deadline = self.deadline();
        let mut renewed = false;
        loop {
            let token = self.tokens.bearer(&self.transport, &deadline)?;
            let request = Outgoing {
                method: call.method,
                path: call.path,
                authorization: token.authorization(),
                content_type: "application/json; charset=utf-8",
                body: call.body,
                idempotent: call.idempotent,
            };
            let received = self.transport.send(&request, &deadline)?;
            let [secret, pair, basic] = self.tokens.client_secrets();
            let secrets = [
                token.token(),
                secret,
                pair,
                basic,
                call.secret.unwrap_or_default(),
            ];
            if response::is_token_rejected(&received) {
                if !renewed && self.tokens.can_renew() {
                    log::info!("eiam: the access token was rejected; fetching a new one");
                    self.tokens.invalidate(&token);
                    renewed = true;
                    continue;
                }
                let err = response::error_from(&received, Endpoint::Api, &secrets);
                return Err(if err.kind() == ErrorKind::Auth {
                    err
                } else {
                    Error::new(ErrorKind::Auth, err.message().to_owned())
                        .with_status(received.status)
                });
            }
            let decoded = decode(&received, &secrets);
            // A gateway's error answer to a write that is not retried does
            // not say whether the service behind it acted on the request.
            let gateway = received.status != 429 && retry::is_retryable_status(received.status);
            return match decoded {
                Err(e) if received.after_possible_delivery || gateway => {
                    Err(e.after_possible_delivery())
                }
                other => other,
            };
        }
    }
}

/// One API request, as the typed calls and the raw `request` describe it.
pub(crate) struct ApiCall<'a> {
    pub method: Method,
    /// Relative to the base URL, already encoded.
    pub path: &'a str,
    pub body: &'a [u8],
    /// See `Outgoing::idempotent`.
    pub idempotent: bool,
    /// A secret the body carries (an account's password), redacted from
    /// every message built from the answer.
    pub secret: Option<&'a str>,
}
