//! The client: one configuration, one connection pool, one token cache.

use std::fmt;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::config::Config;
use crate::deadline::Deadline;
use crate::error::{Error, ErrorKind, Result};
use crate::response::{self, Endpoint};
use crate::token::TokenSource;
use crate::transport::{Method, Outgoing, Transport};

/// A client of one tenant's management API.
///
/// `Client` is `Send + Sync`: share one (for instance in an `Arc`) between
/// threads so they share its connections and its token.
pub struct Client {
    config: Config,
    // Shared with the thread that renews the token in the background.
    transport: Arc<Transport>,
    tokens: Arc<TokenSource>,
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
        Ok(Client {
            config,
            transport,
            tokens,
        })
    }

    /// The configuration this client was made with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Fetches an access token now (or reuses the cached one), so that bad
    /// credentials show up before the first real call. With a static
    /// access token there is nothing to check and it returns at once.
    pub fn authenticate(&self) -> Result<()> {
        let deadline = Deadline::after(self.config.timeout);
        self.tokens.bearer(&self.transport, &deadline).map(|_| ())
    }

    /// Sends one API request with a bearer token and decodes the answer.
    ///
    /// The whole call, token fetch and retries included, runs within one
    /// deadline. A token the service rejects is replaced and the request
    /// sent once more; a second rejection is an auth error.
    pub(crate) fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&[u8]>,
    ) -> Result<T> {
        let deadline = Deadline::after(self.config.timeout);
        let mut renewed = false;
        loop {
            let token = self.tokens.bearer(&self.transport, &deadline)?;
            let request = Outgoing {
                method,
                path,
                authorization: token.authorization(),
                content_type: "application/json; charset=utf-8",
                body: body.unwrap_or_default(),
            };
            let received = self.transport.send(&request, &deadline)?;
            let [secret, pair, basic] = self.tokens.client_secrets();
            let secrets = [token.token(), secret, pair, basic];
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
            return response::decode(&received, Endpoint::Api, &secrets);
        }
    }
}
