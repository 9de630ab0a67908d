//! `eiam.Client`.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use eiam::{
    BindItem, Config, ConfigBuilder, Error, ErrorKind, Secret, DEFAULT_CONCURRENCY,
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, MAX_CONCURRENCY,
};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyBool, PyBytes, PyList, PySequence, PyString};

use crate::args::{invalid as invalid_arg, not_unicode, text, type_name, wrong_type, Arg};
use crate::errors::{detached, to_py};
use crate::interrupt;
use crate::owner::{BindResult, Owner};

// The defaults shown in `Client`'s text signature (and in the stubs and
// the README) are the core's; this fails to compile if they drift apart.
const _: () = assert!(
    DEFAULT_TIMEOUT.as_secs() == 30
        && DEFAULT_TIMEOUT.subsec_nanos() == 0
        && DEFAULT_CONNECT_TIMEOUT.as_secs() == 10
        && DEFAULT_CONNECT_TIMEOUT.subsec_nanos() == 0
        && DEFAULT_MAX_RETRIES == 2
        && DEFAULT_CONCURRENCY == 8
        && MAX_CONCURRENCY == 64,
    "the core's defaults changed: update the text signatures, eiam/__init__.pyi and the README"
);

/// A client of one tenant's management API. Thread-safe: share one client
/// between threads; calls release the GIL while they wait on the network.
/// On the main thread, Ctrl-C interrupts a call (`KeyboardInterrupt`).
#[pyclass(module = "eiam", frozen)]
pub struct Client {
    /// `None` once closed. Calls clone the `Arc`, so closing while another
    /// thread is mid-call lets that call finish.
    inner: Mutex<Option<Arc<eiam::Client>>>,
    base_url: String,
    auth_kind: &'static str,
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidArgument, message)
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

impl Client {
    fn client(&self) -> Result<Arc<eiam::Client>, Error> {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .ok_or_else(|| invalid("the client is closed".into()))
    }
}

#[pymethods]
impl Client {
    #[new]
    #[pyo3(
        signature = (
            base_url, *, client_id=Arg::Missing, client_secret=Arg::Missing,
            access_token=Arg::Missing, timeout=Arg::Missing, connect_timeout=Arg::Missing,
            max_retries=Arg::Missing, ca_file=Arg::Missing, use_platform_roots=Arg::Missing,
            proxy=Arg::Missing, allow_insecure_http=Arg::Missing,
            danger_accept_invalid_certs=Arg::Missing, user_agent=Arg::Missing,
        ),
        text_signature = "(base_url, *, client_id=None, client_secret=None, access_token=None, \
            timeout=30.0, connect_timeout=10.0, max_retries=2, ca_file=None, \
            use_platform_roots=True, proxy=None, allow_insecure_http=False, \
            danger_accept_invalid_certs=False, user_agent=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn new(
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
    ) -> PyResult<Self> {
        // Each keyword is forwarded to its setter as is: the checks and
        // their messages are the core's (`ConfigBuilder::build`). Secrets
        // go straight into `Secret`, which wipes them when dropped.
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
            );
        crate::logging::reread_levels(py);
        // Reading the platform trust store touches the disk: no GIL needed.
        let client = detached(py, move || eiam::Client::new(builder.build()?))?;
        let auth_kind = client.config().auth().kind_name();
        let base_url = client.config().base_url().to_owned();
        Ok(Client {
            inner: Mutex::new(Some(Arc::new(client))),
            base_url,
            auth_kind,
        })
    }

    /// The tenant's base URL.
    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Fetches an access token now, so bad credentials fail early.
    fn authenticate(&self, py: Python<'_>) -> PyResult<()> {
        let client = self.client().map_err(|e| to_py(py, &e))?;
        interrupt::call(py, move || client.authenticate())
    }

    /// Makes `user_name` the owner of public account `app_user_id` of
    /// application `app_id`; returns the account id.
    fn bind_public_account_owner(
        &self,
        py: Python<'_>,
        app_id: &Bound<'_, PyAny>,
        app_user_id: &Bound<'_, PyAny>,
        user_name: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let (app_id, app_user_id) = (text(app_id, "app_id")?, text(app_user_id, "app_user_id")?);
        let (app_id, app_user_id) = (app_id.into_owned(), app_user_id.into_owned());
        let user_name = text(user_name, "user_name")?.into_owned();
        let client = self.client().map_err(|e| to_py(py, &e))?;
        interrupt::call(py, move || {
            client.bind_public_account_owner(&app_id, &app_user_id, &user_name)
        })
    }

    /// The owner of public account `app_user_id` of application `app_id`.
    fn get_public_account_owner(
        &self,
        py: Python<'_>,
        app_id: &Bound<'_, PyAny>,
        app_user_id: &Bound<'_, PyAny>,
    ) -> PyResult<Owner> {
        let (app_id, app_user_id) = (text(app_id, "app_id")?, text(app_user_id, "app_user_id")?);
        let (app_id, app_user_id) = (app_id.into_owned(), app_user_id.into_owned());
        let client = self.client().map_err(|e| to_py(py, &e))?;
        interrupt::call(py, move || {
            client.get_public_account_owner(&app_id, &app_user_id)
        })
        .map(Owner::from)
    }

    /// Binds many owners with at most `concurrency` calls in flight; one
    /// `BindResult` per item, in input order. Items are sequences of three
    /// str: (app_id, app_user_id, user_name). `progress(done, total,
    /// failures)` is called after each item; returning False cancels the
    /// items not yet started. If `progress` raises, or Ctrl-C interrupts
    /// the job, no new item starts, the calls in flight finish, and the
    /// exception is raised with the job's results as `partial_results`.
    #[pyo3(
        signature = (items, concurrency=Arg::Missing, progress=Arg::Missing),
        text_signature = "($self, items, concurrency=8, progress=None)"
    )]
    fn bind_public_account_owners(
        &self,
        py: Python<'_>,
        items: &Bound<'_, PyAny>,
        concurrency: Arg<'_>,
        progress: Arg<'_>,
    ) -> PyResult<Vec<BindResult>> {
        // The core reads 0 as "the default"; from Python, say it explicitly.
        let concurrency = concurrency.integer("concurrency", DEFAULT_CONCURRENCY as i64)?;
        let concurrency = usize::try_from(concurrency)
            .ok()
            .filter(|&n| n >= 1)
            .ok_or_else(|| {
                invalid_arg(
                    py,
                    format!("concurrency must be at least 1, got {concurrency}"),
                )
            })?;
        let progress = progress.opt_callable("progress")?;
        let client = self.client().map_err(|e| to_py(py, &e))?;
        // An item whose text cannot be sent fails alone, in the job.
        let items = read_items(items)?;
        // Set once the job must stop: the callback raised, or Ctrl-C. The
        // core then starts no new item; the calls in flight finish.
        let stop = Arc::new(AtomicBool::new(false));
        // The exception raised by the callback, re-raised once the job is done.
        let callback_error: Arc<Mutex<Option<PyErr>>> = Arc::default();
        let job = {
            let (stop, callback_error) = (stop.clone(), callback_error.clone());
            move || {
                Ok(client.bind_public_account_owners(&items, concurrency, |p| {
                    if stop.load(Ordering::Acquire) {
                        return ControlFlow::Break(());
                    }
                    let Some(callback) = &progress else {
                        return ControlFlow::Continue(());
                    };
                    Python::attach(
                        |py| match callback.call1(py, (p.done, p.total, p.failures)) {
                            Ok(answer) if answer.bind(py).is(PyBool::new(py, false)) => {
                                ControlFlow::Break(())
                            }
                            Ok(_) => ControlFlow::Continue(()),
                            Err(e) => {
                                *callback_error
                                    .lock()
                                    .unwrap_or_else(PoisonError::into_inner) = Some(e);
                                stop.store(true, Ordering::Release);
                                ControlFlow::Break(())
                            }
                        },
                    )
                }))
            }
        };
        let mut interrupted = None;
        let results = if interrupt::interruptible(py) {
            let mut running = interrupt::Running::start(py, job);
            loop {
                match running.wait(py) {
                    Ok(results) => break results.map_err(|e| to_py(py, &e))?,
                    // A second interrupt does not wait for the calls in flight.
                    Err(e) if interrupted.is_some() => return Err(e),
                    Err(e) => {
                        stop.store(true, Ordering::Release);
                        interrupted = Some(e);
                    }
                }
            }
        } else {
            detached(py, job)?
        };
        let raised = interrupted.or_else(|| {
            callback_error
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take()
        });
        let ran = results
            .iter()
            .filter(|r| !matches!(r, Err(e) if e.kind() == ErrorKind::Cancelled))
            .count();
        let results = results
            .into_iter()
            .map(|result| BindResult::new(py, result))
            .collect::<PyResult<Vec<_>>>()?;
        match raised {
            Some(e) => Err(with_partial_results(py, e, results, ran)),
            None => Ok(results),
        }
    }

    /// Releases the connections; later calls raise `InvalidArgumentError`.
    fn close(&self) {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, _exc: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.close();
        false
    }

    /// Shows the base URL and how the client authenticates, never a
    /// secret or token.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let closed = if self
            .inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_none()
        {
            ", closed"
        } else {
            ""
        };
        Ok(format!(
            "Client({}, auth='{}'{closed})",
            pyo3::types::PyString::new(py, &self.base_url).repr()?,
            self.auth_kind
        ))
    }
}

/// `e`, carrying the results of the job it stopped as `partial_results`
/// (one per item, in input order, as the call would have returned them)
/// and, from Python 3.11, a note saying so.
fn with_partial_results(py: Python<'_>, e: PyErr, results: Vec<BindResult>, ran: usize) -> PyErr {
    let total = results.len();
    let value = e.value(py);
    let attached = PyList::new(py, results).and_then(|list| value.setattr("partial_results", list));
    if attached.is_ok() && value.hasattr("add_note").unwrap_or(false) {
        let note = format!(
            "eiam: bind_public_account_owners stopped after {ran} of {total} items; \
             every item's result is in this exception's partial_results"
        );
        let _ = value.call_method1("add_note", (note,));
    }
    e
}

const ITEM_FIELDS: [&str; 3] = ["app_id", "app_user_id", "user_name"];

/// Items are sequences (tuples, lists, named tuples) of three `str`:
/// `(app_id, app_user_id, user_name)`. Anything else is a `TypeError` for
/// the whole call, naming the item, before anything is sent: a dict would
/// give its keys, a set its members in no order. A field that is a `str`
/// but not valid Unicode text (a lone surrogate) is that item's
/// `InvalidArgumentError`.
fn read_items(items: &Bound<'_, PyAny>) -> PyResult<Vec<Result<BindItem, Error>>> {
    let iter = items.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "items must be an iterable of (app_id, app_user_id, user_name) tuples, not {}",
            type_name(items)
        ))
    })?;
    let mut out = Vec::new();
    for (index, item) in iter.enumerate() {
        let item = item?;
        let fields = item
            .cast::<PySequence>()
            .ok()
            .filter(|_| !item.is_instance_of::<PyString>() && !item.is_instance_of::<PyBytes>())
            .filter(|seq| seq.len().ok() == Some(3))
            .ok_or_else(|| {
                PyTypeError::new_err(format!(
                    "items[{index}] must be an (app_id, app_user_id, user_name) tuple, got {}",
                    type_name(&item)
                ))
            })?;
        let mut strings = Vec::with_capacity(3);
        let mut failure = None;
        for (position, name) in ITEM_FIELDS.iter().enumerate() {
            let field = fields.get_item(position)?;
            let string = field.cast::<PyString>().map_err(|_| {
                wrong_type(
                    &format!("items[{index}][{position}] ({name})"),
                    "str",
                    &field,
                )
            })?;
            match string.to_cow() {
                Ok(value) => strings.push(value.into_owned()),
                Err(_) => {
                    failure.get_or_insert_with(|| not_unicode(name));
                }
            }
        }
        out.push(match failure {
            Some(e) => Err(e),
            None => Ok(BindItem::new(&strings[0], &strings[1], &strings[2])),
        });
    }
    Ok(out)
}
