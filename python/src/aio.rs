//! `eiam.AsyncClient`: the same calls for asyncio. Each call reads its
//! arguments as `eiam.Client` does, then runs the core call on the
//! library's workers (`eiam::Client::spawn`); the worker hands the result
//! to the event loop's thread through `completions`, so the loop never
//! waits on a lock or the network, and the worker never waits for the GIL. Cancelling the awaiting task
//! cancels the core call.

use std::sync::{Arc, Mutex, PoisonError};

use eiam::{CancelToken, Error, Items, Task};
use pyo3::exceptions::{PyRuntimeError, PyStopAsyncIteration};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyAny, PyModule, PyTuple};

use crate::accounts;
use crate::args::Arg;
use crate::bulk::BindJob;
use crate::calls::Answer;
use crate::completions::{Channel, Completions};
use crate::errors::to_py;
use crate::handle::{Handle, Slot};

static AIO_MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

fn aio(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    Ok(AIO_MODULE
        .get_or_try_init(py, || PyModule::import(py, "eiam._aio").map(Bound::unbind))?
        .bind(py))
}

/// Starts a call on a worker once its coroutine is awaited: the loop's
/// channel and the future are the running loop's then.
type Starter = Box<dyn FnOnce(Arc<Channel>, Py<PyAny>) -> Task + Send>;

/// A call not yet started: `eiam._aio._run` calls it with the running loop.
#[pyclass(module = "eiam._eiam", frozen)]
struct Pending {
    start: Mutex<Option<Starter>>,
    /// Cancelled with the call: a walk's own token.
    walk: Option<CancelToken>,
}

#[pymethods]
impl Pending {
    fn __call__(
        &self,
        event_loop: &Bound<'_, PyAny>,
        completions: &Bound<'_, Completions>,
    ) -> PyResult<Py<PyAny>> {
        let start = self
            .start
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .ok_or_else(|| PyRuntimeError::new_err("this eiam call was already started"))?;
        let fut = event_loop.call_method0("create_future")?;
        let task = start(completions.get().channel.clone(), fut.clone().unbind());
        let on_cancel = CancelOnDone {
            task,
            walk: self.walk.clone(),
        };
        fut.call_method1("add_done_callback", (on_cancel,))?;
        Ok(fut.unbind())
    }
}

/// The future's done callback: if it was cancelled (the awaiting task
/// was), the core call is too.
#[pyclass(module = "eiam._eiam", frozen)]
struct CancelOnDone {
    task: Task,
    walk: Option<CancelToken>,
}

#[pymethods]
impl CancelOnDone {
    fn __call__(&self, fut: &Bound<'_, PyAny>) -> PyResult<()> {
        if fut.call_method0("cancelled")?.is_truthy()? {
            self.task.cancel();
            if let Some(walk) = &self.walk {
                walk.cancel();
            }
        }
        Ok(())
    }
}

/// On the worker: the result, queued for the loop's thread, which turns
/// it into a value or an exception. Nothing of Python is touched here, so
/// the worker never waits for the GIL.
fn deliver<T: Answer>(channel: &Channel, fut: Py<PyAny>, result: Result<T, Error>) {
    channel.push(
        fut,
        Box::new(move |py| {
            result
                .map_err(|e| to_py(py, &e))
                .and_then(|value| value.into_py(py))
        }),
    );
}

/// The coroutine of a call: `work` runs on `client`'s workers once it is
/// awaited.
fn coroutine<T, F>(
    py: Python<'_>,
    client: Arc<eiam::Client>,
    work: F,
    walk: Option<CancelToken>,
) -> PyResult<Py<PyAny>>
where
    F: FnOnce(&eiam::Client) -> Result<T, Error> + Send + 'static,
    T: Answer,
{
    let start: Starter = Box::new(move |channel, fut| {
        client.spawn(work, move |result| deliver(&channel, fut, result))
    });
    let pending = Pending {
        start: Mutex::new(Some(start)),
        walk,
    };
    Ok(aio(py)?.getattr("_run")?.call1((pending,))?.unbind())
}

/// A finished coroutine giving `value` (for `__aenter__` and friends).
fn ready<'py>(py: Python<'py>, value: impl IntoPyObject<'py>) -> PyResult<Py<PyAny>> {
    Ok(aio(py)?.getattr("_value")?.call1((value,))?.unbind())
}

/// A client of one tenant's management API for asyncio: the calls of
/// `eiam.Client`, each a coroutine. They run on the library's worker
/// threads (at most `async_workers` at once), never blocking the event
/// loop; cancelling the awaiting task cancels the call (a request already
/// sent may still take effect on the service).
#[pyclass(module = "eiam", frozen)]
pub struct AsyncClient {
    handle: Handle,
}

impl AsyncClient {
    fn call<T, F>(&self, py: Python<'_>, work: F) -> PyResult<Py<PyAny>>
    where
        F: FnOnce(&eiam::Client) -> Result<T, Error> + Send + 'static,
        T: Answer,
    {
        coroutine(py, self.handle.slot.open(py)?, work, None)
    }
}

client_methods!(AsyncClient {
    #[new]
    #[pyo3(
        signature = (
            base_url, *, client_id=Arg::Missing, client_secret=Arg::Missing,
            access_token=Arg::Missing, timeout=Arg::Missing, connect_timeout=Arg::Missing,
            max_retries=Arg::Missing, ca_file=Arg::Missing, use_platform_roots=Arg::Missing,
            proxy=Arg::Missing, allow_insecure_http=Arg::Missing,
            danger_accept_invalid_certs=Arg::Missing, user_agent=Arg::Missing,
            async_workers=Arg::Missing,
        ),
        text_signature = "(base_url, *, client_id=None, client_secret=None, access_token=None, \
            timeout=30.0, connect_timeout=10.0, max_retries=2, ca_file=None, \
            use_platform_roots=True, proxy=None, allow_insecure_http=False, \
            danger_accept_invalid_certs=False, user_agent=None, async_workers=128)"
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
        async_workers: Arg<'_>,
    ) -> PyResult<Self> {
        let handle = Handle::connect(
            py, base_url, client_id, client_secret, access_token, timeout, connect_timeout,
            max_retries, ca_file, use_platform_roots, proxy, allow_insecure_http,
            danger_accept_invalid_certs, user_agent, async_workers,
        )?;
        Ok(AsyncClient { handle })
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
    /// As `eiam.Client.bind_public_account_owners`; `progress` runs on a worker
    /// thread, not the loop's. Cancelling the task cancels the items not yet
    /// done.
    #[doc = crate::examples::python_example!(AsyncClient, bind_public_account_owners)]
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
        self.call(py, move |c| Ok(job.run(c)))
    }

    /// Walks every member of public account `app_user_id` of application
    /// `app_id`, fetching a page of `page_size` users when it is needed. The
    /// walk stops after the list's total or at an empty page.
    ///
    /// Errors: Each step fails as `list_public_account_users` does, and with
    /// `ProtocolError` when the service repeats a page (a walk that would never
    /// end).
    ///
    /// For `async for`: each page is fetched on a worker; cancelling a fetch
    /// ends the walk.
    #[doc = crate::examples::python_example!(AsyncClient, iter_public_account_users)]
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
    ) -> PyResult<AsyncAccountUserIterator> {
        let start = accounts::account_users_walk(app_id, app_user_id, page_size)?;
        Ok(AsyncAccountUserIterator(AsyncWalk::new(py, &self.handle.slot, start)?))
    }

    /// Walks every account of application `app_id` (of one `account_type`, or
    /// of every type), fetching a page of `page_size` accounts when it is
    /// needed. The walk stops after the list's total or at an empty page.
    ///
    /// Errors: Each step fails as `list_accounts` does, and with
    /// `ProtocolError` when the service repeats a page (a walk that would never
    /// end).
    ///
    /// For `async for`: each page is fetched on a worker; cancelling a fetch
    /// ends the walk.
    #[doc = crate::examples::python_example!(AsyncClient, iter_accounts)]
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
    ) -> PyResult<AsyncAccountIterator> {
        let start = accounts::accounts_walk(py, app_id, account_type, page_size)?;
        Ok(AsyncAccountIterator(AsyncWalk::new(py, &self.handle.slot, start)?))
    }

    /// Releases the connections; later calls raise `InvalidArgumentError`.
    /// Calls under way finish.
    fn close(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.handle.slot.close();
        ready(py, py.None())
    }

    fn __aenter__(slf: Py<Self>, py: Python<'_>) -> PyResult<Py<PyAny>> {
        ready(py, slf)
    }

    #[pyo3(signature = (*_exc))]
    fn __aexit__(&self, py: Python<'_>, _exc: &Bound<'_, PyTuple>) -> PyResult<Py<PyAny>> {
        self.handle.slot.close();
        ready(py, false)
    }

    /// Shows the base URL and how the client authenticates, never a
    /// secret or token.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        self.handle.repr(py, "AsyncClient")
    }
});

/// An `async for` walk over a list: the core's [`Items`] (which keeps the
/// stopping rules), behind a lock that only workers take, so pages are
/// fetched one at a time and the loop never waits for it.
pub struct AsyncWalk<T> {
    slot: Slot,
    items: Arc<Mutex<Items<T>>>,
    /// The walk's requests are made with this token: cancelling one fetch
    /// ends the walk, as any failed page does.
    cancel: CancelToken,
}

impl<T: Send + 'static> AsyncWalk<T> {
    fn new(py: Python<'_>, slot: &Slot, start: accounts::StartWalk<T>) -> PyResult<Self> {
        let cancel = CancelToken::new();
        let items = start(&slot.open(py)?.with_cancel(&cancel));
        Ok(AsyncWalk {
            slot: slot.clone(),
            items: Arc::new(Mutex::new(items)),
            cancel,
        })
    }

    /// The coroutine giving the next item, or raising StopAsyncIteration.
    fn next(&self, py: Python<'_>) -> PyResult<Py<PyAny>>
    where
        Option<T>: Answer,
    {
        let items = self.items.clone();
        let work = move |_: &eiam::Client| {
            items
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .next()
                .transpose()
        };
        coroutine(py, self.slot.open(py)?, work, Some(self.cancel.clone()))
    }
}

/// A walk's next item; `None` (the walk is over) ends `async for`.
impl<T: Answer> Answer for Option<T> {
    fn into_py(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self {
            Some(item) => item.into_py(py),
            None => Err(PyStopAsyncIteration::new_err(())),
        }
    }
}

macro_rules! async_iterator {
    ($name:ident, $core:ty, $doc:literal) => {
        #[doc = $doc]
        #[pyclass(module = "eiam", frozen)]
        pub struct $name(AsyncWalk<$core>);

        #[pymethods]
        impl $name {
            fn __aiter__(slf: Py<Self>) -> Py<Self> {
                slf
            }

            fn __anext__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                self.0.next(py)
            }
        }
    };
}

async_iterator!(
    AsyncAccountIterator,
    eiam::Account,
    "Every account of a list for `async for`, fetched a page at a time on a worker."
);
async_iterator!(
    AsyncAccountUserIterator,
    eiam::AccountUser,
    "Every member of a public account for `async for`, fetched a page at a time on a worker."
);
