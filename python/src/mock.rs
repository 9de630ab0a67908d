//! `eiam.testing.MockServer`: the embedded mock server, compiled into the
//! extension, for users' own tests.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use eiam_mock::{AccountType, CutPoint, Ending, Fault, FaultTarget, MockConfig, NewAccount};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyModule};

use crate::args::{number, strings, text, Arg};
use crate::json::to_python;

/// Request counters of a `MockServer` (token requests included).
#[pyclass(module = "eiam.testing", frozen, eq)]
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct MockStats {
    /// All requests received.
    #[pyo3(get)]
    requests: u64,
    /// Requests to the token endpoint.
    #[pyo3(get)]
    token_requests: u64,
    /// Requests to the management API.
    #[pyo3(get)]
    api_requests: u64,
    /// API requests being handled right now.
    #[pyo3(get)]
    in_flight: u64,
    /// The most API requests ever handled at once.
    #[pyo3(get)]
    max_in_flight: u64,
}

#[pymethods]
impl MockStats {
    /// Pickling (every protocol) and `copy`; a private function rebuilds it.
    fn __reduce__(&self, py: Python<'_>) -> PyResult<(Py<PyAny>, Counters)> {
        let rebuild = PyModule::import(py, "eiam._eiam")?.getattr("_mock_stats")?;
        Ok((
            rebuild.unbind(),
            (
                self.requests,
                self.token_requests,
                self.api_requests,
                self.in_flight,
                self.max_in_flight,
            ),
        ))
    }

    fn __repr__(&self) -> String {
        format!(
            "MockStats(requests={}, token_requests={}, api_requests={}, in_flight={}, max_in_flight={})",
            self.requests, self.token_requests, self.api_requests, self.in_flight, self.max_in_flight
        )
    }
}

/// `MockStats`' fields, in `_mock_stats`' order.
type Counters = (u64, u64, u64, u64, u64);

/// Rebuilds a `MockStats` from its `__reduce__`.
#[pyfunction]
pub fn _mock_stats(
    requests: u64,
    token_requests: u64,
    api_requests: u64,
    in_flight: u64,
    max_in_flight: u64,
) -> MockStats {
    MockStats {
        requests,
        token_requests,
        api_requests,
        in_flight,
        max_in_flight,
    }
}

/// An EIAM mock server on 127.0.0.1 with an ephemeral port, seeded with
/// demo data: client `demo-client`/`demo-secret`, application `demo-app`
/// with public accounts `pub-1` (owned by `zhangsan`, members `zhangsan`
/// and `cq04130006`) and `pub-2` (their ids are `"pub-1"` and `"pub-2"`),
/// application `paging-app` with 250 accounts, users `zhangsan`,
/// `cq04130006` and `lisi` (disabled).
#[pyclass(module = "eiam.testing", frozen)]
pub struct MockServer {
    inner: Mutex<Option<eiam_mock::MockServer>>,
    base_url: String,
    client_id: String,
    client_secret: String,
}

fn target(arg: &Arg<'_>) -> PyResult<FaultTarget> {
    arg.text_or("target", "api")?
        .parse()
        .map_err(PyValueError::new_err)
}

/// A fault's body: `str` (sent as UTF-8), `bytes` (sent as is) or None.
fn body_bytes(arg: &Arg<'_>) -> PyResult<Option<Vec<u8>>> {
    match arg {
        Arg::Missing => Ok(None),
        Arg::Given(value) if value.is_none() => Ok(None),
        Arg::Given(value) => match value.cast::<PyBytes>() {
            Ok(bytes) => Ok(Some(bytes.as_bytes().to_vec())),
            Err(_) => Ok(Some(text(value, "body")?.as_bytes().to_vec())),
        },
    }
}

/// How many requests a fault applies to (default 1).
fn count(arg: &Arg<'_>) -> PyResult<usize> {
    let count = arg.integer("count", 1)?;
    usize::try_from(count)
        .map_err(|_| PyValueError::new_err(format!("count must not be negative, got {count}")))
}

fn duration(name: &str, seconds: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(seconds).map_err(|_| {
        PyValueError::new_err(format!("{name} must be a non-negative number of seconds"))
    })
}

impl MockServer {
    fn with<T>(&self, f: impl FnOnce(&eiam_mock::MockServer) -> T) -> PyResult<T> {
        let guard = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let mock = guard
            .as_ref()
            .ok_or_else(|| PyRuntimeError::new_err("the mock server is closed"))?;
        Ok(f(mock))
    }
}

#[pymethods]
impl MockServer {
    #[new]
    #[pyo3(
        signature = (
            *, client_id=Arg::Missing, client_secret=Arg::Missing, token_lifetime=Arg::Missing,
            demo_data=Arg::Missing, port=Arg::Missing,
        ),
        text_signature = "(*, client_id='demo-client', client_secret='demo-secret', \
            token_lifetime=1800.0, demo_data=True, port=0)"
    )]
    fn new(
        py: Python<'_>,
        client_id: Arg<'_>,
        client_secret: Arg<'_>,
        token_lifetime: Arg<'_>,
        demo_data: Arg<'_>,
        port: Arg<'_>,
    ) -> PyResult<Self> {
        let port = port.integer("port", 0)?;
        let config = MockConfig {
            client_id: client_id.text_or("client_id", "demo-client")?,
            client_secret: client_secret.text_or("client_secret", "demo-secret")?,
            token_lifetime: duration(
                "token_lifetime",
                token_lifetime.seconds("token_lifetime", 1800.0)?,
            )?,
            seed_demo_data: demo_data.flag("demo_data", true)?,
            port: u16::try_from(port).map_err(|_| {
                PyValueError::new_err(format!("port must be 0 to 65535, got {port}"))
            })?,
            ..MockConfig::default()
        };
        // Binding and starting threads: let other Python threads run.
        let mock = py
            .detach(move || eiam_mock::MockServer::start_with(config))
            .map_err(|e| PyRuntimeError::new_err(format!("cannot start the mock server: {e}")))?;
        Ok(MockServer {
            base_url: mock.base_url(),
            client_id: mock.client_id(),
            client_secret: mock.client_secret(),
            inner: Mutex::new(Some(mock)),
        })
    }

    /// `http://127.0.0.1:PORT`.
    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The client id the mock accepts.
    #[getter]
    fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The client secret the mock accepts.
    #[getter]
    fn client_secret(&self) -> &str {
        &self.client_secret
    }

    /// Adds an application.
    fn add_application(&self, app_id: &Bound<'_, PyAny>) -> PyResult<()> {
        let app_id = text(app_id, "app_id")?;
        self.with(|m| m.add_application(&app_id))
    }

    /// Adds a public account (and its application if needed); returns its account id.
    fn add_public_account(
        &self,
        app_id: &Bound<'_, PyAny>,
        app_user_id: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let (app_id, app_user_id) = (text(app_id, "app_id")?, text(app_user_id, "app_user_id")?);
        self.with(|m| m.add_public_account(&app_id, &app_user_id))
    }

    /// Adds an account of any type with any fields (and its application if
    /// needed), replacing one with the same id; returns its id. `id=None`
    /// generates one in the service's style.
    #[pyo3(
        signature = (
            app_id, account_type, account_name, *, id=Arg::Missing, name=Arg::Missing,
            org_id=Arg::Missing, disabled=Arg::Missing, password=Arg::Missing,
            extension=Arg::Missing, user_id=Arg::Missing, owner=Arg::Missing,
            users=Arg::Missing,
        ),
        text_signature = "($self, app_id, account_type, account_name, *, id=None, name=None, \
            org_id=None, disabled=False, password=None, extension=None, user_id=None, \
            owner=None, users=())"
    )]
    #[allow(clippy::too_many_arguments)]
    fn add_account(
        &self,
        app_id: &Bound<'_, PyAny>,
        account_type: &Bound<'_, PyAny>,
        account_name: &Bound<'_, PyAny>,
        id: Arg<'_>,
        name: Arg<'_>,
        org_id: Arg<'_>,
        disabled: Arg<'_>,
        password: Arg<'_>,
        extension: Arg<'_>,
        user_id: Arg<'_>,
        owner: Arg<'_>,
        users: Arg<'_>,
    ) -> PyResult<String> {
        let app_id = text(app_id, "app_id")?;
        let kind = text(account_type, "account_type")?;
        let kind = AccountType::from_name(&kind).ok_or_else(|| {
            PyValueError::new_err(format!(
                "account_type must be BASIC_ACCOUNT, ORPHAN_ACCOUNT or PUBLIC_ACCOUNT; got {kind:?}"
            ))
        })?;
        let mut account = NewAccount::new(kind, &text(account_name, "account_name")?);
        account.id = id.opt_text("id")?;
        account.name = name.opt_text("name")?;
        account.org_id = org_id.opt_text("org_id")?;
        account.disabled = disabled.flag("disabled", false)?;
        account.password = password.opt_text("password")?;
        if let Some(value) = extension.opt_json("extension")? {
            account.extension = value;
        }
        account.user_id = user_id.opt_text("user_id")?;
        account.owner = owner.opt_text("owner")?;
        if let Some(value) = users.value() {
            account.users = strings(value, "users")?;
        }
        self.with(|m| m.add_account(&app_id, account))
    }

    /// An account as the mock holds it, as a dict (id, account_type,
    /// account_name, name, org_id, disabled, has_password, extension,
    /// user_id, owner, users), or None if it does not exist. The password
    /// is never in it: see `password_is`.
    fn account(
        &self,
        py: Python<'_>,
        app_id: &Bound<'_, PyAny>,
        account_id: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let (app_id, account_id) = (text(app_id, "app_id")?, text(account_id, "account_id")?);
        match self.with(|m| m.account(&app_id, &account_id))? {
            None => Ok(py.None()),
            Some(info) => {
                let value = serde_json::to_value(info)
                    .map_err(|e| PyRuntimeError::new_err(format!("account as JSON: {e}")))?;
                Ok(to_python(py, &value)?.unbind())
            }
        }
    }

    /// Whether the account exists and its stored password is `password`.
    fn password_is(
        &self,
        app_id: &Bound<'_, PyAny>,
        account_id: &Bound<'_, PyAny>,
        password: &Bound<'_, PyAny>,
    ) -> PyResult<bool> {
        let (app_id, account_id) = (text(app_id, "app_id")?, text(account_id, "account_id")?);
        let password = text(password, "password")?;
        self.with(|m| m.password_is(&app_id, &account_id, &password))
    }

    /// How many accounts an application has (0 if it does not exist).
    fn account_count(&self, app_id: &Bound<'_, PyAny>) -> PyResult<usize> {
        let app_id = text(app_id, "app_id")?;
        self.with(|m| m.account_count(&app_id))
    }

    /// A public account's member user names, in binding order (empty if it
    /// does not exist or is not public).
    fn members_of(
        &self,
        app_id: &Bound<'_, PyAny>,
        account_id: &Bound<'_, PyAny>,
    ) -> PyResult<Vec<String>> {
        let (app_id, account_id) = (text(app_id, "app_id")?, text(account_id, "account_id")?);
        self.with(|m| m.members_of(&app_id, &account_id))
    }

    /// Adds a user (or updates `disabled`); returns its user id.
    #[pyo3(
        signature = (user_name, disabled=Arg::Missing),
        text_signature = "($self, user_name, disabled=False)"
    )]
    fn add_user(&self, user_name: &Bound<'_, PyAny>, disabled: Arg<'_>) -> PyResult<String> {
        let user_name = text(user_name, "user_name")?;
        let disabled = disabled.flag("disabled", false)?;
        self.with(|m| m.add_user(&user_name, disabled))
    }

    /// The user name of a public account's owner, or None.
    fn owner_of(
        &self,
        app_id: &Bound<'_, PyAny>,
        app_user_id: &Bound<'_, PyAny>,
    ) -> PyResult<Option<String>> {
        let (app_id, app_user_id) = (text(app_id, "app_id")?, text(app_user_id, "app_user_id")?);
        self.with(|m| m.owner_of(&app_id, &app_user_id))
    }

    /// Lifetime of tokens issued from now on, in seconds.
    fn set_token_lifetime(&self, seconds: &Bound<'_, PyAny>) -> PyResult<()> {
        let lifetime = duration("seconds", number(seconds, "seconds")?)?;
        self.with(|m| m.set_token_lifetime(lifetime))
    }

    /// Makes every token issued so far invalid.
    fn expire_tokens(&self) -> PyResult<()> {
        self.with(|m| m.expire_tokens())
    }

    /// The next `count` matching requests answer `status` (with an EIAM
    /// error body unless `body` is given), optionally with `Retry-After`
    /// and after `delay` seconds.
    #[pyo3(
        signature = (
            count=Arg::Missing, status=Arg::Missing, *, retry_after=Arg::Missing,
            body=Arg::Missing, content_type=Arg::Missing, delay=Arg::Missing,
            target=Arg::Missing,
        ),
        text_signature = "($self, count=1, status=503, *, retry_after=None, body=None, \
            content_type=None, delay=None, target='api')"
    )]
    #[allow(clippy::too_many_arguments)]
    fn fail_next(
        &self,
        count: Arg<'_>,
        status: Arg<'_>,
        retry_after: Arg<'_>,
        body: Arg<'_>,
        content_type: Arg<'_>,
        delay: Arg<'_>,
        target: Arg<'_>,
    ) -> PyResult<()> {
        let status = status.integer("status", 503)?;
        let status = u16::try_from(status)
            .ok()
            .filter(|s| (100..=999).contains(s))
            .ok_or_else(|| {
                PyValueError::new_err(format!("status must be 100 to 999, got {status}"))
            })?;
        let mut fault = Fault::status(status)
            .times(self::count(&count)?)
            .target(self::target(&target)?);
        if let Some(seconds) = delay.opt_seconds("delay")? {
            fault = fault.delayed(duration("delay", seconds)?);
        }
        if let Some(value) = retry_after.opt_text("retry_after")? {
            fault = fault.retry_after(value);
        }
        if let Some(value) = body_bytes(&body)? {
            fault = fault.body(value);
        }
        if let Some(value) = content_type.opt_text("content_type")? {
            fault = fault.content_type(value);
        }
        self.with(|m| m.inject(fault))
    }

    /// The next `count` matching requests are answered normally, but only
    /// after `seconds`.
    #[pyo3(
        signature = (seconds, count=Arg::Missing, *, target=Arg::Missing),
        text_signature = "($self, seconds, count=1, *, target='api')"
    )]
    fn delay_next(
        &self,
        seconds: &Bound<'_, PyAny>,
        count: Arg<'_>,
        target: Arg<'_>,
    ) -> PyResult<()> {
        let fault = Fault::delay(duration("seconds", number(seconds, "seconds")?)?)
            .times(self::count(&count)?)
            .target(self::target(&target)?);
        self.with(|m| m.inject(fault))
    }

    /// The next `count` matching requests get their connection closed
    /// without an answer.
    #[pyo3(
        signature = (count=Arg::Missing, *, target=Arg::Missing),
        text_signature = "($self, count=1, *, target='api')"
    )]
    fn close_next(&self, count: Arg<'_>, target: Arg<'_>) -> PyResult<()> {
        let fault = Fault::close()
            .times(self::count(&count)?)
            .target(self::target(&target)?);
        self.with(|m| m.inject(fault))
    }

    /// The next `count` matching requests are answered normally, but the
    /// connection is cut at `at` ('before_status_line', 'in_headers' or
    /// 'mid_body') and then reset ('reset') or closed early ('close').
    #[pyo3(
        signature = (at, count=Arg::Missing, *, ending=Arg::Missing, target=Arg::Missing),
        text_signature = "($self, at, count=1, *, ending='reset', target='api')"
    )]
    fn cut_next(
        &self,
        at: &Bound<'_, PyAny>,
        count: Arg<'_>,
        ending: Arg<'_>,
        target: Arg<'_>,
    ) -> PyResult<()> {
        let at: CutPoint = text(at, "at")?.parse().map_err(PyValueError::new_err)?;
        let ending: Ending = ending
            .text_or("ending", "reset")?
            .parse()
            .map_err(PyValueError::new_err)?;
        let fault = Fault::reset(at)
            .cut(at, ending)
            .times(self::count(&count)?)
            .target(self::target(&target)?);
        self.with(|m| m.inject(fault))
    }

    /// The next `count` matching requests are answered normally, one byte
    /// every `interval` seconds.
    #[pyo3(
        signature = (interval, count=Arg::Missing, *, target=Arg::Missing),
        text_signature = "($self, interval, count=1, *, target='api')"
    )]
    fn trickle_next(
        &self,
        interval: &Bound<'_, PyAny>,
        count: Arg<'_>,
        target: Arg<'_>,
    ) -> PyResult<()> {
        let fault = Fault::trickle(duration("interval", number(interval, "interval")?)?)
            .times(self::count(&count)?)
            .target(self::target(&target)?);
        self.with(|m| m.inject(fault))
    }

    /// Issues a valid access token without a token request.
    fn issue_token(&self) -> PyResult<String> {
        self.with(|m| m.issue_token())
    }

    /// Drops every queued fault.
    fn clear_faults(&self) -> PyResult<()> {
        self.with(|m| m.clear_faults())
    }

    /// Request counters so far.
    #[getter]
    fn stats(&self) -> PyResult<MockStats> {
        self.with(|m| {
            let s = m.stats();
            MockStats {
                requests: s.requests,
                token_requests: s.token_requests,
                api_requests: s.api_requests,
                in_flight: s.in_flight,
                max_in_flight: s.max_in_flight,
            }
        })
    }

    /// Data back to the demo seed; faults, counters cleared.
    fn reset(&self) -> PyResult<()> {
        self.with(|m| m.reset())
    }

    /// Stops the server (idempotent).
    fn close(&self, py: Python<'_>) {
        let mock = self
            .inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        // Stopping joins the server's threads: let other Python threads run.
        py.detach(move || drop(mock));
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, py: Python<'_>, _exc: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.close(py);
        false
    }

    fn __repr__(&self) -> String {
        format!("MockServer({:?})", self.base_url)
    }
}
