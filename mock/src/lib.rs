//! # eiam-mock
//!
//! An embedded mock of the EIAM management API (Bamboo Cloud IDaaS): a
//! real HTTP/1.1 server on `127.0.0.1` that implements the token endpoint
//! and the application-account calls (create, get, list, update,
//! disable/enable, delete; a public account's members and owner) with the
//! documented semantics and error codes, and can inject faults. It serves eiam's own tests, and
//! yours: start one per test, point your client at [`MockServer::base_url`].
//!
//! ```
//! use eiam_mock::{AccountType, Fault, MockServer, NewAccount};
//!
//! let mock = MockServer::start().unwrap();
//! assert_eq!(mock.add_public_account("app1", "pub1"), "pub1");
//! mock.add_user("wangwu", false);
//! let id = mock.add_account("app1", NewAccount::new(AccountType::Orphan, "svc"));
//! assert_eq!(mock.account("app1", &id).unwrap().account_name, "svc");
//! mock.inject(Fault::status(503).retry_after("1").times(2));
//! assert!(mock.base_url().starts_with("http://127.0.0.1:"));
//! assert_eq!(mock.stats().requests, 0);
//! ```
//!
//! Other languages drive it through the `eiam-mock` binary and the
//! `/__mock/...` admin endpoints (see docs/guides/testing-with-the-mock.md).

#![deny(missing_docs)]

mod account_calls;
mod accounts;
mod admin;
mod api;
mod errors;
mod faults;
mod http;
mod paging;
mod server;
mod state;
mod tenant;
#[cfg(feature = "tls")]
mod tls;
mod wire;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

pub use accounts::{AccountInfo, AccountType, NewAccount, APP_ORGANIZATIONS};
pub use faults::{CutPoint, Delivery, Ending, Fault, FaultAction, FaultTarget};
use server::Running;
use state::Shared;
pub use tenant::fix_random_seed;

/// How to start a mock.
#[derive(Clone, Debug)]
pub struct MockConfig {
    /// The client id the token endpoint accepts (default `demo-client`).
    pub client_id: String,
    /// The client secret it accepts (default `demo-secret`).
    pub client_secret: String,
    /// How long issued tokens live (default 1800 s, as the service).
    pub token_lifetime: Duration,
    /// Start with the demo data (default true).
    pub seed_demo_data: bool,
    /// Port on 127.0.0.1; 0 (the default) picks a free one.
    pub port: u16,
    /// How long every management API request waits before it is answered
    /// (default none), like a round trip over a real network; on top of a
    /// fault's delay. Token and `/__mock/` requests are answered at once.
    /// Each connection has its own thread, so requests on different
    /// connections wait at the same time.
    pub latency: Duration,
    /// Answer every request with `Connection: close` and close the
    /// connection (default false), so that each call opens a new one, as a
    /// short-lived program does: the cost of a TCP and TLS handshake.
    pub close_connections: bool,
    /// Over HTTPS, let clients resume an earlier TLS session on a new
    /// connection (default true, as most servers do): TLS 1.3 tickets and
    /// TLS 1.2 session ids, kept in the server's memory.
    pub tls_resumption: bool,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            client_id: "demo-client".into(),
            client_secret: "demo-secret".into(),
            token_lifetime: Duration::from_secs(1800),
            seed_demo_data: true,
            port: 0,
            latency: Duration::ZERO,
            close_connections: false,
            tls_resumption: true,
        }
    }
}

/// Request counters (admin requests excluded).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// All requests.
    pub requests: u64,
    /// Requests to the token endpoint.
    pub token_requests: u64,
    /// Requests to anything else (the management API).
    pub api_requests: u64,
    /// API requests being handled right now (fault delays included).
    pub in_flight: u64,
    /// The most API requests ever handled at once.
    pub max_in_flight: u64,
    /// Connections that sent a request (not counting those that sent only
    /// admin requests).
    pub connections: u64,
    /// Of those, TLS connections whose handshake resumed an earlier
    /// session instead of a full handshake.
    pub tls_resumed: u64,
}

/// A request as the mock received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    /// `GET`, `POST`, ...
    pub method: String,
    /// Path and query as on the wire, still percent-encoded.
    pub raw_path: String,
    /// Headers in the order received.
    pub headers: Vec<(String, String)>,
    /// The request body.
    pub body: Vec<u8>,
}

/// A running mock server. Dropping it stops the server and closes every
/// open connection.
pub struct MockServer {
    running: Running,
}

impl MockServer {
    /// Starts a mock with the demo data on a free port.
    pub fn start() -> std::io::Result<MockServer> {
        MockServer::start_with(MockConfig::default())
    }

    /// Starts a mock with this configuration.
    pub fn start_with(config: MockConfig) -> std::io::Result<MockServer> {
        let port = config.port;
        let shared = Arc::new(Shared::new(config));
        Ok(MockServer {
            running: Running::start(shared, port, wire::Acceptor::default())?,
        })
    }

    /// Starts a mock serving HTTPS with this certificate chain and private
    /// key (PEM; the chain's first certificate is the server's). Its
    /// `base_url` is `https://127.0.0.1:PORT`, so the certificate must
    /// name that address for clients that verify it.
    #[cfg(feature = "tls")]
    pub fn start_https(
        config: MockConfig,
        cert_chain_pem: &str,
        key_pem: &str,
    ) -> std::io::Result<MockServer> {
        let acceptor = tls::acceptor(cert_chain_pem, key_pem, config.tls_resumption)?;
        let port = config.port;
        let shared = Arc::new(Shared::new(config));
        Ok(MockServer {
            running: Running::start(shared, port, acceptor)?,
        })
    }

    /// Starts a mock serving HTTPS with a certificate for `127.0.0.1` and
    /// `localhost` from a CA generated here; returns it and the CA's
    /// certificate (PEM), for the client to trust.
    #[cfg(feature = "tls")]
    pub fn start_https_with_new_ca(config: MockConfig) -> std::io::Result<(MockServer, String)> {
        let pki = tls::NewCa::generate()?;
        let mock = MockServer::start_https(config, &pki.server_chain_pem, &pki.server_key_pem)?;
        Ok((mock, pki.ca_pem))
    }

    fn shared(&self) -> &Shared {
        &self.running.shared
    }

    /// `http://127.0.0.1:PORT` (`https://` when started with TLS).
    pub fn base_url(&self) -> String {
        format!("{}://{}", self.running.scheme, self.running.addr)
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.running.addr
    }

    /// The client id its token endpoint accepts.
    pub fn client_id(&self) -> String {
        self.shared().state().tenant.client_id.clone()
    }

    /// The client secret its token endpoint accepts.
    pub fn client_secret(&self) -> String {
        self.shared().state().tenant.client_secret.clone()
    }

    /// Adds an application (no-op if it exists).
    pub fn add_application(&self, app_id: &str) {
        self.shared().state().tenant.add_application(app_id);
    }

    /// Adds a public account with the id `app_user_id` to an application
    /// (creating the application if needed), unless it exists; returns the
    /// id, which is `app_user_id`.
    pub fn add_public_account(&self, app_id: &str, app_user_id: &str) -> String {
        self.shared()
            .state()
            .tenant
            .add_public_account(app_id, app_user_id)
    }

    /// Adds an account of any type with any fields (creating the
    /// application if needed), replacing an account with the same id in
    /// place; returns its id.
    pub fn add_account(&self, app_id: &str, account: NewAccount) -> String {
        self.shared().state().tenant.add_account(app_id, account)
    }

    /// An account as the mock holds it, or `None` if it (or its
    /// application) does not exist. The password is not in it: see
    /// [`MockServer::password_is`].
    pub fn account(&self, app_id: &str, account_id: &str) -> Option<AccountInfo> {
        self.shared()
            .state()
            .tenant
            .account_info(app_id, account_id)
    }

    /// Whether the account exists and its stored password is `password`,
    /// so a test can prove a password reached the service without the mock
    /// ever answering with it.
    /// (An empty password is never stored: it means none.)
    pub fn password_is(&self, app_id: &str, account_id: &str, password: &str) -> bool {
        self.shared()
            .state()
            .tenant
            .password_is(app_id, account_id, password)
    }

    /// How many accounts an application has (0 if it does not exist).
    pub fn account_count(&self, app_id: &str) -> usize {
        self.shared().state().tenant.account_count(app_id)
    }

    /// A public account's member user names in binding order (empty if
    /// the account does not exist or is not public).
    pub fn members_of(&self, app_id: &str, account_id: &str) -> Vec<String> {
        self.shared().state().tenant.members_of(app_id, account_id)
    }

    /// Adds a user (or updates its `disabled` flag) and returns its id.
    /// Users belong to the tenant, not to an application.
    pub fn add_user(&self, user_name: &str, disabled: bool) -> String {
        self.shared().state().tenant.add_user(user_name, disabled)
    }

    /// The user name of a public account's owner, if it has one.
    pub fn owner_of(&self, app_id: &str, app_user_id: &str) -> Option<String> {
        self.shared().state().tenant.owner_of(app_id, app_user_id)
    }

    /// Lifetime of tokens issued from now on (tokens already issued keep
    /// theirs).
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.shared().state().tenant.token_lifetime = lifetime;
    }

    /// Issues a valid access token without a token request (not counted),
    /// e.g. for a client configured with a fixed token, or for a fault that
    /// hands out a token with an odd `expires_in`.
    pub fn issue_token(&self) -> String {
        self.shared().state().tenant.issue_token()
    }

    /// Makes every token issued so far invalid.
    pub fn expire_tokens(&self) {
        self.shared().state().tenant.expire_tokens();
    }

    /// Queues a fault: it applies to the next `fault.count` requests that
    /// match its target. Each request takes one use of the oldest queued
    /// fault that matches it.
    pub fn inject(&self, fault: Fault) {
        self.shared().state().faults.push(fault);
    }

    /// Drops every queued fault.
    pub fn clear_faults(&self) {
        self.shared().state().faults.clear();
    }

    /// Request counters so far.
    pub fn stats(&self) -> Stats {
        self.shared().counters.snapshot()
    }

    /// The last 1000 requests received, oldest first (admin requests
    /// excluded).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared().state().recorded()
    }

    /// Data back to the seed (issued tokens are forgotten and the token
    /// lifetime is the configured one again); faults, counters and recorded
    /// requests cleared.
    pub fn reset(&self) {
        self.shared().reset();
    }
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}
