//! `Client.bind_public_account_owners_streaming`: a bulk bind over any
//! iterable whose results come back through an iterator as soon as each
//! is known. The iterable is pulled (with the GIL) only as the core's
//! workers free up, and finished items wait in a queue of at most
//! `concurrency`, so a job holds at most twice `concurrency` items
//! whatever its length.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use eiam::{AsBindItem, BindItem, Error, Finished};
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyString};

use crate::args::Arg;
use crate::bulk::{attach_partial_results, items_iter, read_concurrency, read_item};
use crate::errors::{exception, to_py};
use crate::interrupt;

/// How long the main thread waits for a result before it runs the signal
/// handlers again (Ctrl-C).
const SLICE: Duration = Duration::from_millis(50);

/// An item of the job: the object the iterable gave (handed back with its
/// result) and the binding read from it, or why it has none.
struct StreamItem {
    given: Py<PyAny>,
    parsed: Result<BindItem, Error>,
}

impl AsBindItem for StreamItem {
    fn as_bind_item(&self) -> Result<&BindItem, &Error> {
        self.parsed.as_ref()
    }
}

type Done = Finished<StreamItem, Result<String, Error>>;

/// What the job's threads and the iterator share.
#[derive(Default)]
struct Shared {
    /// Start no more items: the iterable raised, Ctrl-C, or the iterator
    /// was closed or dropped.
    stop: AtomicBool,
    /// The exception that ended the input (the iterable's, or the
    /// `TypeError` of an item that is not three str).
    failure: Mutex<Option<PyErr>>,
}

/// One finished item of `Client.bind_public_account_owners_streaming`.
#[pyclass(module = "eiam", frozen)]
pub struct FinishedBind {
    /// The item's position in the input, from 0.
    #[pyo3(get)]
    index: usize,
    /// The item as the iterable gave it.
    #[pyo3(get)]
    item: Py<PyAny>,
    /// The public account's account id, or None if the item failed.
    #[pyo3(get)]
    account_id: Option<String>,
    /// The item's exception (an `EiamError`), or None if it succeeded.
    #[pyo3(get)]
    error: Option<Py<PyAny>>,
}

impl FinishedBind {
    fn new(py: Python<'_>, done: Done) -> PyResult<Self> {
        let (account_id, error) = match done.result {
            Ok(id) => (Some(id), None),
            Err(e) => (None, Some(exception(py, &e)?.unbind())),
        };
        Ok(FinishedBind {
            index: done.index,
            item: done.item.given,
            account_id,
            error,
        })
    }
}

#[pymethods]
impl FinishedBind {
    /// True if the item succeeded.
    #[getter]
    fn ok(&self) -> bool {
        self.error.is_none()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let item = self.item.bind(py).repr()?;
        Ok(match (&self.account_id, &self.error) {
            (Some(id), _) => format!(
                "FinishedBind(index={}, item={item}, ok=True, account_id={})",
                self.index,
                PyString::new(py, id).repr()?
            ),
            (None, Some(e)) => format!(
                "FinishedBind(index={}, item={item}, ok=False, error={})",
                self.index,
                e.bind(py).repr()?
            ),
            (None, None) => format!("FinishedBind(index={}, item={item}, ok=False)", self.index),
        })
    }
}

/// The results of a streaming bulk bind, in completion order; usable
/// from any thread.
#[pyclass(module = "eiam", frozen)]
pub struct BindStream {
    shared: Arc<Shared>,
    /// None once the job is over and every result was handed out.
    results: Mutex<Option<Receiver<Done>>>,
    job: Mutex<Option<JoinHandle<()>>>,
}

impl BindStream {
    /// Starts the job on its own thread (one of its workers).
    pub fn start(
        py: Python<'_>,
        client: Arc<eiam::Client>,
        items: &Bound<'_, PyAny>,
        concurrency: Arg<'_>,
    ) -> PyResult<Self> {
        let concurrency = read_concurrency(py, concurrency)?;
        let iterable = items_iter(items)?.into_any().unbind();
        let shared = Arc::<Shared>::default();
        let (send, results) = crossbeam_channel::bounded(concurrency);
        let job = {
            let shared = shared.clone();
            thread::Builder::new()
                .name("eiam-bulk".into())
                .spawn(move || run(&client, iterable, concurrency, &shared, send))
                .map_err(|e| to_py(py, &Error::internal(format!("cannot start a thread: {e}"))))?
        };
        Ok(BindStream {
            shared,
            results: Mutex::new(Some(results)),
            job: Mutex::new(Some(job)),
        })
    }

    /// Stops the job: no item starts after this; the calls in flight
    /// finish on their own.
    fn stop(&self) {
        self.shared.stop.store(true, Ordering::Release);
    }

    /// Waits (without the GIL) for the next result; `None` once the job
    /// is over. On the main thread a signal handler's exception
    /// (`KeyboardInterrupt`) ends the wait within one slice.
    fn receive(py: Python<'_>, results: &Receiver<Done>) -> PyResult<Option<Done>> {
        if !interrupt::interruptible(py) {
            return Ok(py.detach(|| results.recv().ok()));
        }
        loop {
            match py.detach(|| results.recv_timeout(SLICE)) {
                Ok(done) => return Ok(Some(done)),
                Err(RecvTimeoutError::Disconnected) => return Ok(None),
                Err(RecvTimeoutError::Timeout) => py.check_signals()?,
            }
        }
    }

    /// Ends the job on `raised`: waits for the calls in flight, then
    /// returns `raised` carrying the results not yet handed out. A second
    /// signal meanwhile is returned at once, without them.
    fn wind_down(&self, py: Python<'_>, results: &Receiver<Done>, raised: PyErr) -> PyErr {
        self.stop();
        let mut rest = Vec::new();
        loop {
            match Self::receive(py, results) {
                Ok(Some(done)) => match FinishedBind::new(py, done) {
                    Ok(finished) => rest.push(finished),
                    Err(e) => return e,
                },
                Ok(None) => break,
                Err(second) => return second,
            }
        }
        let note = format!(
            "eiam: bind_public_account_owners_streaming stopped; the {} results not yet \
             yielded are in this exception's partial_results",
            rest.len()
        );
        attach_partial_results(py, raised, rest, &note)
    }
}

#[pymethods]
impl BindStream {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<FinishedBind>> {
        // A handle of its own: other threads may wait for results too.
        let Some(results) = lock(&self.results).clone() else {
            return Ok(None);
        };
        let outcome = match take(&self.shared.failure) {
            Some(raised) => Err(self.wind_down(py, &results, raised)),
            None => match Self::receive(py, &results) {
                Ok(Some(done)) => return FinishedBind::new(py, done).map(Some),
                Ok(None) => match take(&self.shared.failure) {
                    Some(raised) => Err(self.wind_down(py, &results, raised)),
                    None => Ok(None),
                },
                Err(interrupted) => Err(self.wind_down(py, &results, interrupted)),
            },
        };
        // The job is over: every later call ends the iteration.
        *lock(&self.results) = None;
        outcome
    }

    /// Stops the job: starts no more items, waits for the calls in flight
    /// and drops their results. Leaving a `for` loop early without it
    /// stops the job all the same, once the iterator is collected.
    fn close(&self, py: Python<'_>) {
        self.stop();
        // Dropping the queue lets a worker blocked on it go on; the job
        // then ends once its calls in flight do.
        drop(lock(&self.results).take());
        if let Some(job) = lock(&self.job).take() {
            py.detach(|| {
                let _ = job.join();
            });
        }
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, py: Python<'_>, _exc: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.close(py);
        false
    }
}

impl Drop for BindStream {
    fn drop(&mut self) {
        // Not joined: a destructor must not wait for the network.
        self.stop();
    }
}

/// The job, on its thread: pulls the iterable with the GIL, one item at a
/// time as workers free up, and queues each result for the iterator.
fn run(
    client: &eiam::Client,
    iterable: Py<PyAny>,
    concurrency: usize,
    shared: &Shared,
    send: Sender<Done>,
) {
    let mut index = 0;
    let input = std::iter::from_fn(|| {
        if shared.stop.load(Ordering::Acquire) {
            return None;
        }
        Python::attach(|py| {
            // Checked again with the GIL: a close may have come meanwhile.
            if shared.stop.load(Ordering::Acquire) {
                return None;
            }
            let next = iterable
                .bind(py)
                .call_method0("__next__")
                .and_then(|given| Ok((read_item(index, &given)?, given)));
            match next {
                Ok((parsed, given)) => {
                    index += 1;
                    Some(StreamItem {
                        given: given.unbind(),
                        parsed,
                    })
                }
                Err(e) if e.is_instance_of::<pyo3::exceptions::PyStopIteration>(py) => None,
                Err(e) => {
                    *lock(&shared.failure) = Some(e);
                    shared.stop.store(true, Ordering::Release);
                    None
                }
            }
        })
    })
    .fuse();
    client.bind_public_account_owners_streaming(input, concurrency, |done| {
        // A closed iterator drops the queue: nothing will read the result.
        match send.send(done) {
            Ok(()) if !shared.stop.load(Ordering::Acquire) => std::ops::ControlFlow::Continue(()),
            _ => std::ops::ControlFlow::Break(()),
        }
    });
    // The iterable (a generator, say) is released with the GIL.
    Python::attach(|_| drop(iterable));
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn take<T>(slot: &Mutex<Option<T>>) -> Option<T> {
    lock(slot).take()
}
