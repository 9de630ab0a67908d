//! `eiam.Client`.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use eiam::{
    BindItem, Config, ConfigBuilder, Error, ErrorKind, Method, Secret, DEFAULT_CONCURRENCY,
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RETRIES, DEFAULT_PAGE_SIZE, DEFAULT_TIMEOUT,
    MAX_CONCURRENCY,
};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyBool, PyBytes, PyList, PySequence, PyString};

use crate::accounts::{
    self, Account, AccountIterator, AccountUser, AccountUserIterator, Page, Walk,
};
use crate::args::{
    invalid as invalid_arg, not_unicode, owned, strings, text, type_name, wrong_type, Arg,
};
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
        && MAX_CONCURRENCY == 64
        && DEFAULT_PAGE_SIZE == 100,
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

    /// The core client, or `InvalidArgumentError` once closed.
    fn open(&self, py: Python<'_>) -> PyResult<Arc<eiam::Client>> {
        self.client().map_err(|e| to_py(py, &e))
    }

    /// `InvalidArgumentError` once closed (an iterator checks this before
    /// each item).
    pub fn ensure_open(&self, py: Python<'_>) -> PyResult<()> {
        self.open(py).map(drop)
    }

    /// Runs one core call: without the GIL, and on the main thread
    /// interruptible by Ctrl-C.
    fn run<T, F>(&self, py: Python<'_>, call: F) -> PyResult<T>
    where
        F: FnOnce(&eiam::Client) -> Result<T, Error> + Send + 'static,
        T: Send + 'static,
    {
        let client = self.open(py)?;
        interrupt::call(py, move || call(&client))
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
        self.run(py, |c| c.authenticate())
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
        let (app_id, app_user_id) = (owned(app_id, "app_id")?, owned(app_user_id, "app_user_id")?);
        let user_name = owned(user_name, "user_name")?;
        self.run(py, move |c| {
            c.bind_public_account_owner(&app_id, &app_user_id, &user_name)
        })
    }

    /// The owner of public account `app_user_id` of application `app_id`.
    fn get_public_account_owner(
        &self,
        py: Python<'_>,
        app_id: &Bound<'_, PyAny>,
        app_user_id: &Bound<'_, PyAny>,
    ) -> PyResult<Owner> {
        let (app_id, app_user_id) = (owned(app_id, "app_id")?, owned(app_user_id, "app_user_id")?);
        self.run(py, move |c| {
            c.get_public_account_owner(&app_id, &app_user_id)
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

    /// Creates a public (shared) account; returns its account id. Not
    /// retried once the request may have reached the service.
    #[pyo3(
        signature = (
            app_id, account_name, *, name=Arg::Missing, org_code=Arg::Missing,
            password=Arg::Missing, disabled=Arg::Missing, extension=Arg::Missing,
        ),
        text_signature = "($self, app_id, account_name, *, name=None, org_code=None, \
            password=None, disabled=None, extension=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn create_public_account(
        &self,
        py: Python<'_>,
        app_id: &Bound<'_, PyAny>,
        account_name: &Bound<'_, PyAny>,
        name: Arg<'_>,
        org_code: Arg<'_>,
        password: Arg<'_>,
        disabled: Arg<'_>,
        extension: Arg<'_>,
    ) -> PyResult<String> {
        let (app_id, account_name) = (
            owned(app_id, "app_id")?,
            owned(account_name, "account_name")?,
        );
        let fields = accounts::fields(name, org_code, password, disabled, extension)?;
        self.run(py, move |c| {
            c.create_public_account(&app_id, &account_name, &fields)
        })
    }

    /// Creates a compliance (basic) account of user `user_id`; returns its
    /// account id. Retried as `create_public_account` is.
    #[pyo3(
        signature = (
            app_id, user_id, *, account_name=Arg::Missing, name=Arg::Missing,
            org_code=Arg::Missing, password=Arg::Missing, disabled=Arg::Missing,
            extension=Arg::Missing,
        ),
        text_signature = "($self, app_id, user_id, *, account_name=None, name=None, \
            org_code=None, password=None, disabled=None, extension=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn create_basic_account(
        &self,
        py: Python<'_>,
        app_id: &Bound<'_, PyAny>,
        user_id: &Bound<'_, PyAny>,
        account_name: Arg<'_>,
        name: Arg<'_>,
        org_code: Arg<'_>,
        password: Arg<'_>,
        disabled: Arg<'_>,
        extension: Arg<'_>,
    ) -> PyResult<String> {
        let (app_id, user_id) = (owned(app_id, "app_id")?, owned(user_id, "user_id")?);
        let account_name = account_name.opt_text("account_name")?;
        let fields = accounts::fields(name, org_code, password, disabled, extension)?;
        self.run(py, move |c| {
            c.create_basic_account(&app_id, &user_id, account_name.as_deref(), &fields)
        })
    }

    /// Creates an orphan account (one with no user); returns its account
    /// id. Retried as `create_public_account` is.
    #[pyo3(
        signature = (
            app_id, account_name, *, name=Arg::Missing, org_code=Arg::Missing,
            password=Arg::Missing, disabled=Arg::Missing, extension=Arg::Missing,
        ),
        text_signature = "($self, app_id, account_name, *, name=None, org_code=None, \
            password=None, disabled=None, extension=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn create_orphan_account(
        &self,
        py: Python<'_>,
        app_id: &Bound<'_, PyAny>,
        account_name: &Bound<'_, PyAny>,
        name: Arg<'_>,
        org_code: Arg<'_>,
        password: Arg<'_>,
        disabled: Arg<'_>,
        extension: Arg<'_>,
    ) -> PyResult<String> {
        let (app_id, account_name) = (
            owned(app_id, "app_id")?,
            owned(account_name, "account_name")?,
        );
        let fields = accounts::fields(name, org_code, password, disabled, extension)?;
        self.run(py, move |c| {
            c.create_orphan_account(&app_id, &account_name, &fields)
        })
    }

    /// Gives the users named `user_names` (a sequence of str) access to
    /// public account `app_user_id`; returns the account id.
    fn add_public_account_users(
        &self,
        py: Python<'_>,
        app_id: &Bound<'_, PyAny>,
        app_user_id: &Bound<'_, PyAny>,
        user_names: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let (app_id, app_user_id) = (owned(app_id, "app_id")?, owned(app_user_id, "app_user_id")?);
        let user_names = strings(user_names, "user_names")?;
        self.run(py, move |c| {
            c.add_public_account_users(&app_id, &app_user_id, &user_names)
        })
    }

    /// Takes access to public account `app_user_id` away from the users
    /// named `user_names` (a sequence of str); returns the account id.
    fn remove_public_account_users(
        &self,
        py: Python<'_>,
        app_id: &Bound<'_, PyAny>,
        app_user_id: &Bound<'_, PyAny>,
        user_names: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let (app_id, app_user_id) = (owned(app_id, "app_id")?, owned(app_user_id, "app_user_id")?);
        let user_names = strings(user_names, "user_names")?;
        self.run(py, move |c| {
            c.remove_public_account_users(&app_id, &app_user_id, &user_names)
        })
    }

    /// One page (from 0) of the members of public account `app_user_id`;
    /// `page_size` is 10 to 100.
    #[pyo3(
        signature = (app_id, app_user_id, *, page=Arg::Missing, page_size=Arg::Missing),
        text_signature = "($self, app_id, app_user_id, *, page=0, page_size=100)"
    )]
    fn list_public_account_users(
        &self,
        py: Python<'_>,
        app_id: &Bound<'_, PyAny>,
        app_user_id: &Bound<'_, PyAny>,
        page: Arg<'_>,
        page_size: Arg<'_>,
    ) -> PyResult<Page> {
        let (app_id, app_user_id) = (owned(app_id, "app_id")?, owned(app_user_id, "app_user_id")?);
        let (page, page_size) = (
            page.u32("page", 0)?,
            page_size.u32("page_size", DEFAULT_PAGE_SIZE)?,
        );
        let found = self.run(py, move |c| {
            c.list_public_account_users(&app_id, &app_user_id, page, page_size)
        })?;
        Page::new::<_, AccountUser>(py, found)
    }

    /// Every member of public account `app_user_id`, fetched a page of
    /// `page_size` at a time as the iterator is read.
    #[pyo3(
        signature = (app_id, app_user_id, *, page_size=Arg::Missing),
        text_signature = "($self, app_id, app_user_id, *, page_size=100)"
    )]
    fn iter_public_account_users(
        slf: &Bound<'_, Self>,
        app_id: &Bound<'_, PyAny>,
        app_user_id: &Bound<'_, PyAny>,
        page_size: Arg<'_>,
    ) -> PyResult<AccountUserIterator> {
        let (app_id, app_user_id) = (text(app_id, "app_id")?, text(app_user_id, "app_user_id")?);
        let page_size = page_size.u32("page_size", DEFAULT_PAGE_SIZE)?;
        let items =
            slf.get()
                .open(slf.py())?
                .iter_public_account_users(&app_id, &app_user_id, page_size);
        Ok(AccountUserIterator(Walk::new(slf.clone().unbind(), items)))
    }

    /// The account `account_id` of application `app_id`.
    fn get_account(
        &self,
        py: Python<'_>,
        app_id: &Bound<'_, PyAny>,
        account_id: &Bound<'_, PyAny>,
    ) -> PyResult<Account> {
        let (app_id, account_id) = (owned(app_id, "app_id")?, owned(account_id, "account_id")?);
        self.run(py, move |c| c.get_account(&app_id, &account_id))
            .map(Account::from)
    }

    /// One page (from 0) of the accounts of application `app_id`, of one
    /// `account_type` or of every type; `page_size` is 10 to 100.
    #[pyo3(
        signature = (app_id, *, account_type=Arg::Missing, page=Arg::Missing, page_size=Arg::Missing),
        text_signature = "($self, app_id, *, account_type=None, page=0, page_size=100)"
    )]
    fn list_accounts(
        &self,
        py: Python<'_>,
        app_id: &Bound<'_, PyAny>,
        account_type: Arg<'_>,
        page: Arg<'_>,
        page_size: Arg<'_>,
    ) -> PyResult<Page> {
        let app_id = owned(app_id, "app_id")?;
        let account_type = accounts::account_type(py, &account_type)?;
        let (page, page_size) = (
            page.u32("page", 0)?,
            page_size.u32("page_size", DEFAULT_PAGE_SIZE)?,
        );
        let found = self.run(py, move |c| {
            c.list_accounts(&app_id, account_type, page, page_size)
        })?;
        Page::new::<_, Account>(py, found)
    }

    /// Every account of application `app_id` (of one `account_type` or
    /// all), fetched a page of `page_size` at a time as the iterator is
    /// read.
    #[pyo3(
        signature = (app_id, *, account_type=Arg::Missing, page_size=Arg::Missing),
        text_signature = "($self, app_id, *, account_type=None, page_size=100)"
    )]
    fn iter_accounts(
        slf: &Bound<'_, Self>,
        app_id: &Bound<'_, PyAny>,
        account_type: Arg<'_>,
        page_size: Arg<'_>,
    ) -> PyResult<AccountIterator> {
        let app_id = text(app_id, "app_id")?;
        let account_type = accounts::account_type(slf.py(), &account_type)?;
        let page_size = page_size.u32("page_size", DEFAULT_PAGE_SIZE)?;
        let items = slf
            .get()
            .open(slf.py())?
            .iter_accounts(&app_id, account_type, page_size);
        Ok(AccountIterator(Walk::new(slf.clone().unbind(), items)))
    }

    /// Updates account `account_id`: `account_name` (which the service
    /// requires) and the fields given; the others stay as they are.
    /// Returns the account id.
    #[pyo3(
        signature = (
            app_id, account_id, account_name, *, name=Arg::Missing, org_code=Arg::Missing,
            password=Arg::Missing, disabled=Arg::Missing, extension=Arg::Missing,
        ),
        text_signature = "($self, app_id, account_id, account_name, *, name=None, \
            org_code=None, password=None, disabled=None, extension=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn update_account(
        &self,
        py: Python<'_>,
        app_id: &Bound<'_, PyAny>,
        account_id: &Bound<'_, PyAny>,
        account_name: &Bound<'_, PyAny>,
        name: Arg<'_>,
        org_code: Arg<'_>,
        password: Arg<'_>,
        disabled: Arg<'_>,
        extension: Arg<'_>,
    ) -> PyResult<String> {
        let (app_id, account_id) = (owned(app_id, "app_id")?, owned(account_id, "account_id")?);
        let account_name = owned(account_name, "account_name")?;
        let fields = accounts::fields(name, org_code, password, disabled, extension)?;
        self.run(py, move |c| {
            c.update_account(&app_id, &account_id, &account_name, &fields)
        })
    }

    /// Disables account `account_id`; returns its id.
    fn disable_account(
        &self,
        py: Python<'_>,
        app_id: &Bound<'_, PyAny>,
        account_id: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let (app_id, account_id) = (owned(app_id, "app_id")?, owned(account_id, "account_id")?);
        self.run(py, move |c| c.disable_account(&app_id, &account_id))
    }

    /// Enables account `account_id`; returns its id.
    fn enable_account(
        &self,
        py: Python<'_>,
        app_id: &Bound<'_, PyAny>,
        account_id: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let (app_id, account_id) = (owned(app_id, "app_id")?, owned(account_id, "account_id")?);
        self.run(py, move |c| c.enable_account(&app_id, &account_id))
    }

    /// Deletes account `account_id` (of any type). Retried like a read: if
    /// an earlier attempt's answer was lost and the account is gone, that
    /// attempt deleted it, and the call succeeds.
    fn delete_account(
        &self,
        py: Python<'_>,
        app_id: &Bound<'_, PyAny>,
        account_id: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let (app_id, account_id) = (owned(app_id, "app_id")?, owned(account_id, "account_id")?);
        self.run(py, move |c| c.delete_account(&app_id, &account_id))
    }

    /// Any endpoint of the management API: `method path?query` with `json`
    /// as the body. `path` starts with `/api/` and is sent as given
    /// (percent-encoded); `query` is a mapping or a sequence of (name,
    /// value) pairs of str. Retried as the typed calls are when
    /// `idempotent` says so (by default GET, PUT and DELETE). Returns the
    /// decoded JSON answer, or None for an empty one; error answers raise
    /// the same exceptions as the typed calls.
    #[pyo3(
        signature = (method, path, *, query=Arg::Missing, json=Arg::Missing, idempotent=Arg::Missing),
        text_signature = "($self, method, path, *, query=None, json=None, idempotent=None)"
    )]
    fn request(
        &self,
        py: Python<'_>,
        method: &Bound<'_, PyAny>,
        path: &Bound<'_, PyAny>,
        query: Arg<'_>,
        json: Arg<'_>,
        idempotent: Arg<'_>,
    ) -> PyResult<Py<PyAny>> {
        let method: Method = text(method, "method")?.parse().map_err(|e| to_py(py, &e))?;
        let path = owned(path, "path")?;
        let query = accounts::query(&query)?;
        let body = json.opt_json("json")?;
        let idempotent = idempotent.opt_flag("idempotent")?;
        let answer = self.run(py, move |c| {
            let query: Vec<(&str, &str)> = query
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            c.request(method, &path, &query, body.as_ref(), idempotent)
        })?;
        accounts::answer(py, answer)
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
