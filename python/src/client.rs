//! `eiam.Client`: the blocking calls.

use eiam::{
    Error, DEFAULT_CONCURRENCY, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RETRIES, DEFAULT_PAGE_SIZE,
    DEFAULT_TIMEOUT, MAX_CONCURRENCY,
};
use pyo3::prelude::*;
use pyo3::types::PyAny;

use crate::accounts::{self, AccountIterator, AccountUserIterator, Walk};
use crate::args::Arg;
use crate::audit::AuditIterator;
use crate::bulk::BindJob;
use crate::bulk_stream::BindStream;
use crate::calls::Answer;
use crate::errors::{detached, to_py};
use crate::handle::Handle;
use crate::interrupt;

// The defaults shown in `Client`'s text signature (and in the stubs and
// docs/getting-started/python.md) are the core's; this fails to compile if
// they drift apart.
const _: () = assert!(
    DEFAULT_TIMEOUT.as_secs() == 30
        && DEFAULT_TIMEOUT.subsec_nanos() == 0
        && DEFAULT_CONNECT_TIMEOUT.as_secs() == 10
        && DEFAULT_CONNECT_TIMEOUT.subsec_nanos() == 0
        && DEFAULT_MAX_RETRIES == 2
        && DEFAULT_CONCURRENCY == 8
        && MAX_CONCURRENCY == 64
        && DEFAULT_PAGE_SIZE == 100
        && eiam::DEFAULT_ASYNC_WORKERS == 128,
    "the core's defaults changed: update the text signatures, eiam/__init__.pyi and docs/getting-started/python.md"
);

/// A client of one tenant's management API. Thread-safe: share one client
/// between threads; calls release the GIL while they wait on the network.
/// On the main thread, Ctrl-C interrupts a call (`KeyboardInterrupt`).
#[pyclass(module = "eiam", frozen)]
pub struct Client {
    handle: Handle,
}

impl Client {
    /// Runs one core call: without the GIL, and on the main thread
    /// interruptible by Ctrl-C.
    fn call<T, F>(&self, py: Python<'_>, work: F) -> PyResult<Py<PyAny>>
    where
        F: FnOnce(&eiam::Client) -> Result<T, Error> + Send + 'static,
        T: Answer,
    {
        let client = self.handle.slot.open(py)?;
        let in_call = client.clone();
        interrupt::call(py, &client, move || work(&in_call))?.into_py(py)
    }
}

client_methods!(Client {
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
        let handle = Handle::connect(
            py, base_url, client_id, client_secret, access_token, timeout, connect_timeout,
            max_retries, ca_file, use_platform_roots, proxy, allow_insecure_http,
            danger_accept_invalid_certs, user_agent, Arg::Missing,
        )?;
        Ok(Client { handle })
    }

    /// The tenant's base URL.
    #[getter]
    fn base_url(&self) -> &str {
        self.handle.base_url()
    }

    /// Binds the owner of every item (an `app_id`, `app_user_id` and
    /// `user_name`) with at most `concurrency` calls in flight (the library's
    /// default is 8, the most 64) and returns one result per item, in input
    /// order: the account id, or the item's own error. One item's failure never
    /// stops the others.
    ///
    /// Errors: Each item's result carries the errors of
    /// `bind_public_account_owner`; items not started when the job is cancelled
    /// fail with `CancelledError`.
    ///
    /// Items are sequences of three str: (app_id, app_user_id, user_name).
    /// `progress(done, total, failures)` is called after each item; returning
    /// False cancels the items not yet started. If `progress` raises, or Ctrl-C
    /// interrupts the job, no new item starts, the calls in flight finish, and
    /// the exception is raised with the job's results as `partial_results`.
    #[doc = crate::examples::python_example!(Client, bind_public_account_owners)]
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
    ) -> PyResult<Py<PyAny>> {
        let job = BindJob::read(py, items, concurrency, progress)?;
        let client = self.handle.slot.open(py)?;
        let stop = job.stop.clone();
        let work = move || Ok(job.run(&client));
        let mut interrupted = None;
        let mut outcome = if interrupt::interruptible(py) {
            let mut running = interrupt::Running::start(py, work);
            loop {
                match running.wait(py) {
                    Ok(outcome) => break outcome.map_err(|e| to_py(py, &e))?,
                    // A second interrupt does not wait for the calls in flight.
                    Err(e) if interrupted.is_some() => return Err(e),
                    Err(e) => {
                        stop.store(true, std::sync::atomic::Ordering::Release);
                        interrupted = Some(e);
                    }
                }
            }
        } else {
            detached(py, work)?
        };
        outcome.interrupted = interrupted;
        outcome.into_py(py)
    }

    /// Binds the owner of every item of any iterable (a generator, a csv
    /// reader), with at most `concurrency` calls in flight, and returns an
    /// iterator of `FinishedBind` (index, item, result) in completion
    /// order, each as soon as it is known. The iterable is pulled only as
    /// workers free up, and at most `concurrency` results wait to be read.
    /// If the iterable raises, or Ctrl-C interrupts the wait, no new item
    /// starts, the calls in flight finish, and the exception is raised
    /// with the results not yet yielded as `partial_results`. `close()`
    /// (or leaving the loop) stops the job.
    #[pyo3(
        signature = (items, concurrency=Arg::Missing),
        text_signature = "($self, items, concurrency=8)"
    )]
    fn bind_public_account_owners_streaming(
        &self,
        py: Python<'_>,
        items: &Bound<'_, PyAny>,
        concurrency: Arg<'_>,
    ) -> PyResult<BindStream> {
        let client = self.handle.slot.open(py)?;
        BindStream::start(py, client, items, concurrency)
    }

    /// Walks every member of public account `app_user_id` of application
    /// `app_id`, fetching a page of `page_size` users when it is needed. The
    /// walk stops after the list's total or at an empty page.
    ///
    /// Errors: Each step fails as `list_public_account_users` does, and with
    /// `ProtocolError` when the service repeats a page (a walk that would never
    /// end).
    ///
    /// An iterator: each page is fetched as it is read, from any thread.
    #[doc = crate::examples::python_example!(Client, iter_public_account_users)]
    #[pyo3(
        signature = (app_id, app_user_id, *, page_size=Arg::Missing),
        text_signature = "($self, app_id, app_user_id, *, page_size=100)"
    )]
    fn iter_public_account_users(
        &self,
        py: Python<'_>,
        app_id: &Bound<'_, PyAny>,
        app_user_id: &Bound<'_, PyAny>,
        page_size: Arg<'_>,
    ) -> PyResult<AccountUserIterator> {
        let start = accounts::account_users_walk(app_id, app_user_id, page_size)?;
        let items = start(&*self.handle.slot.open(py)?);
        Ok(AccountUserIterator(Walk::new(self.handle.slot.clone(), items)))
    }

    /// Walks every account of application `app_id` (of one `account_type`, or
    /// of every type), fetching a page of `page_size` accounts when it is
    /// needed. The walk stops after the list's total or at an empty page.
    ///
    /// Errors: Each step fails as `list_accounts` does, and with
    /// `ProtocolError` when the service repeats a page (a walk that would never
    /// end).
    ///
    /// An iterator: each page is fetched as it is read, from any thread.
    #[doc = crate::examples::python_example!(Client, iter_accounts)]
    #[pyo3(
        signature = (app_id, *, account_type=Arg::Missing, page_size=Arg::Missing),
        text_signature = "($self, app_id, *, account_type=None, page_size=100)"
    )]
    fn iter_accounts(
        &self,
        py: Python<'_>,
        app_id: &Bound<'_, PyAny>,
        account_type: Arg<'_>,
        page_size: Arg<'_>,
    ) -> PyResult<AccountIterator> {
        let start = accounts::accounts_walk(py, app_id, account_type, page_size)?;
        let items = start(&*self.handle.slot.open(py)?);
        Ok(AccountIterator(Walk::new(self.handle.slot.clone(), items)))
    }

    /// The public accounts of application `app_id` that need attention:
    /// one `AuditFinding` per problem (no owner, a disabled owner, disabled
    /// members, no members), fetched account by account as the iterator
    /// is read, in the list's order. After an error it ends.
    fn audit_public_accounts(
        &self,
        py: Python<'_>,
        app_id: &Bound<'_, PyAny>,
    ) -> PyResult<AuditIterator> {
        let app_id = crate::args::owned(app_id, "app_id")?;
        let findings = self.handle.slot.open(py)?.audit_public_accounts(&app_id);
        Ok(AuditIterator(Walk::new(self.handle.slot.clone(), findings)))
    }

    /// Releases the connections; later calls raise `InvalidArgumentError`.
    fn close(&self) {
        self.handle.slot.close();
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
        self.handle.repr(py, "Client")
    }
});
