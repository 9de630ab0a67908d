//! What `eiam.Client` and `eiam.AsyncClient` share: the core client until
//! it is closed, and building one from the constructor's keywords.

use std::sync::{Arc, Mutex, PoisonError};

use eiam::{
    Config, ConfigBuilder, Error, ErrorKind, Secret, DEFAULT_ASYNC_WORKERS,
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT,
};
use pyo3::prelude::*;

use crate::args::Arg;
use crate::errors::{detached, to_py};

/// The core client, `None` once closed. Calls clone the inner `Arc`, so
/// closing while a call is under way lets that call finish; iterators hold
/// a clone of the slot, so they see the close.
#[derive(Clone, Default)]
pub struct Slot(Arc<Mutex<Option<Arc<eiam::Client>>>>);

impl Slot {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Arc<eiam::Client>>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The core client, or `InvalidArgumentError` once closed.
    pub fn get(&self) -> Result<Arc<eiam::Client>, Error> {
        self.lock().clone().ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidArgument,
                "the client is closed".to_owned(),
            )
        })
    }

    /// [`get`](Self::get), its error raised in Python.
    pub fn open(&self, py: Python<'_>) -> PyResult<Arc<eiam::Client>> {
        self.get().map_err(|e| to_py(py, &e))
    }

    pub fn close(&self) {
        self.lock().take();
    }

    pub fn is_closed(&self) -> bool {
        self.lock().is_none()
    }
}

/// A built client and what its `repr` shows.
pub struct Handle {
    pub slot: Slot,
    base_url: String,
    auth_kind: &'static str,
}

/// Sets an optional value only when it was given.
trait Maybe: Sized {
    fn maybe<T>(self, value: Option<T>, set: impl FnOnce(Self, T) -> Self) -> Self;
}

impl Maybe for ConfigBuilder {
    fn maybe<T>(self, value: Option<T>, set: impl FnOnce(Self, T) -> Self) -> Self {
        match value {
            Some(value) => set(self, value),
            None => self,
        }
    }
}

impl Handle {
    /// The constructors' keywords, each forwarded to its setter as is: the
    /// checks and their messages are the core's (`ConfigBuilder::build`).
    /// Secrets go straight into `Secret`, which wipes them when dropped.
    #[allow(clippy::too_many_arguments)]
    pub fn connect(
        py: Python<'_>,
        base_url: Arg<'_>,
        client_id: Arg<'_>,
        client_secret: Arg<'_>,
        access_token: Arg<'_>,
        timeout: Arg<'_>,
        connect_timeout: Arg<'_>,
        max_retries: Arg<'_>,
        ca_file: Arg<'_>,
        use_platform_roots: Arg<'_>,
        proxy: Arg<'_>,
        allow_insecure_http: Arg<'_>,
        danger_accept_invalid_certs: Arg<'_>,
        user_agent: Arg<'_>,
        async_workers: Arg<'_>,
    ) -> PyResult<Self> {
        let builder = Config::builder(base_url.text("base_url")?)
            .maybe(client_id.opt_text("client_id")?, ConfigBuilder::client_id)
            .maybe(
                client_secret.opt_text("client_secret")?.map(Secret::from),
                ConfigBuilder::client_secret,
            )
            .maybe(
                access_token.opt_text("access_token")?.map(Secret::from),
                ConfigBuilder::access_token,
            )
            .timeout(timeout.duration("timeout", DEFAULT_TIMEOUT)?)
            .connect_timeout(connect_timeout.duration("connect_timeout", DEFAULT_CONNECT_TIMEOUT)?)
            .max_retries(max_retries.u32("max_retries", DEFAULT_MAX_RETRIES)?)
            .maybe(ca_file.opt_path("ca_file")?, ConfigBuilder::ca_file)
            .use_platform_roots(use_platform_roots.flag("use_platform_roots", true)?)
            .maybe(proxy.opt_text("proxy")?, ConfigBuilder::proxy)
            .allow_insecure_http(allow_insecure_http.flag("allow_insecure_http", false)?)
            .danger_accept_invalid_certs(
                danger_accept_invalid_certs.flag("danger_accept_invalid_certs", false)?,
            )
            .maybe(
                user_agent.opt_text("user_agent")?,
                ConfigBuilder::user_agent,
            )
            .async_workers(async_workers.u32("async_workers", DEFAULT_ASYNC_WORKERS)?);
        crate::logging::reread_levels(py);
        // Reading the platform trust store touches the disk: no GIL needed.
        let client = detached(py, move || eiam::Client::new(builder.build()?))?;
        let auth_kind = client.config().auth().kind_name();
        let base_url = client.config().base_url().to_owned();
        let slot = Slot::default();
        *slot.lock() = Some(Arc::new(client));
        Ok(Handle {
            slot,
            base_url,
            auth_kind,
        })
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `Class(base_url, auth=...)`: how it authenticates, never a secret.
    pub fn repr(&self, py: Python<'_>, class: &str) -> PyResult<String> {
        let closed = if self.slot.is_closed() {
            ", closed"
        } else {
            ""
        };
        Ok(format!(
            "{class}({}, auth='{}'{closed})",
            pyo3::types::PyString::new(py, &self.base_url).repr()?,
            self.auth_kind
        ))
    }
}
