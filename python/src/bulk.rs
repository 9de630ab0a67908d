//! `bind_public_account_owners` of both clients: reading its arguments,
//! running the core's job with the Python `progress` callback, and its
//! results (or the exception that stopped it, with `partial_results`).

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use eiam::{BindItem, Error, ErrorKind, DEFAULT_CONCURRENCY};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyBool, PyBytes, PyIterator, PyList, PySequence, PyString};

use crate::args::{invalid as invalid_arg, not_unicode, type_name, wrong_type, Arg};
use crate::calls::Answer;
use crate::owner::BindResult;

/// A bulk bind read from its arguments, not started.
pub struct BindJob {
    items: Vec<Result<BindItem, Error>>,
    concurrency: usize,
    progress: Option<Py<PyAny>>,
    /// Set once the job must stop: the callback raised, or Ctrl-C. The
    /// core then starts no new item; the calls in flight finish.
    pub stop: Arc<AtomicBool>,
    /// The exception raised by the callback, re-raised once the job is done.
    callback_error: Arc<Mutex<Option<PyErr>>>,
}

/// What the job did: every item's result, and the exception that stopped
/// it, if any.
pub struct BindOutcome {
    results: Vec<Result<String, Error>>,
    callback_error: Arc<Mutex<Option<PyErr>>>,
    /// Ctrl-C (`KeyboardInterrupt`) while the synchronous call waited.
    pub interrupted: Option<PyErr>,
}

impl BindJob {
    pub fn read(
        py: Python<'_>,
        items: &Bound<'_, PyAny>,
        concurrency: Arg<'_>,
        progress: Arg<'_>,
    ) -> PyResult<Self> {
        let concurrency = read_concurrency(py, concurrency)?;
        let progress = progress.opt_callable("progress")?;
        Ok(BindJob {
            // An item whose text cannot be sent fails alone, in the job.
            items: read_items(items)?,
            concurrency,
            progress,
            stop: Arc::default(),
            callback_error: Arc::default(),
        })
    }

    /// Runs the job on `client` (blocking; without the GIL). `progress`
    /// runs on the job's threads, with the GIL taken for it.
    pub fn run(self, client: &eiam::Client) -> BindOutcome {
        let BindJob {
            items,
            concurrency,
            progress,
            stop,
            callback_error,
        } = self;
        let results = client.bind_public_account_owners(&items, concurrency, |p| {
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
        });
        BindOutcome {
            results,
            callback_error,
            interrupted: None,
        }
    }
}

impl Answer for BindOutcome {
    /// The list of `BindResult`, or the exception that stopped the job
    /// carrying that list.
    fn into_py(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let raised = self.interrupted.or_else(|| {
            self.callback_error
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take()
        });
        let ran = self
            .results
            .iter()
            .filter(|r| !matches!(r, Err(e) if e.kind() == ErrorKind::Cancelled))
            .count();
        let results = self
            .results
            .into_iter()
            .map(|result| BindResult::new(py, result))
            .collect::<PyResult<Vec<_>>>()?;
        match raised {
            Some(e) => Err(with_partial_results(py, e, results, ran)),
            None => Ok(PyList::new(py, results)?.into_any().unbind()),
        }
    }
}

/// `e`, carrying the results of the job it stopped as `partial_results`
/// (one per item, in input order, as the call would have returned them)
/// and, from Python 3.11, a note saying so.
fn with_partial_results(py: Python<'_>, e: PyErr, results: Vec<BindResult>, ran: usize) -> PyErr {
    let total = results.len();
    let note = format!(
        "eiam: bind_public_account_owners stopped after {ran} of {total} items; \
         every item's result is in this exception's partial_results"
    );
    attach_partial_results(py, e, results, &note)
}

/// `e` carrying `results` as `partial_results` and, from Python 3.11,
/// `note` saying so.
pub fn attach_partial_results<T>(py: Python<'_>, e: PyErr, results: Vec<T>, note: &str) -> PyErr
where
    T: for<'py> IntoPyObject<'py>,
{
    let value = e.value(py);
    let attached = PyList::new(py, results).and_then(|list| value.setattr("partial_results", list));
    if attached.is_ok() && value.hasattr("add_note").unwrap_or(false) {
        let _ = value.call_method1("add_note", (note,));
    }
    e
}

/// A job's `concurrency` argument: an int of at least 1 (the core reads 0
/// as "the default"; from Python, say it explicitly).
pub fn read_concurrency(py: Python<'_>, concurrency: Arg<'_>) -> PyResult<usize> {
    let concurrency = concurrency.integer("concurrency", DEFAULT_CONCURRENCY as i64)?;
    usize::try_from(concurrency)
        .ok()
        .filter(|&n| n >= 1)
        .ok_or_else(|| {
            invalid_arg(
                py,
                format!("concurrency must be at least 1, got {concurrency}"),
            )
        })
}

const ITEM_FIELDS: [&str; 3] = ["app_id", "app_user_id", "user_name"];

/// Items are sequences (tuples, lists, named tuples) of three `str`:
/// `(app_id, app_user_id, user_name)`. Anything else is a `TypeError` for
/// the whole call, naming the item, before anything is sent: a dict would
/// give its keys, a set its members in no order. A field that is a `str`
/// but not valid Unicode text (a lone surrogate) is that item's
/// `InvalidArgumentError`.
fn read_items(items: &Bound<'_, PyAny>) -> PyResult<Vec<Result<BindItem, Error>>> {
    items_iter(items)?
        .enumerate()
        .map(|(index, item)| read_item(index, &item?))
        .collect()
}

/// `items` as an iterator, or a `TypeError` saying what items must be.
pub fn items_iter<'py>(items: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyIterator>> {
    items.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "items must be an iterable of (app_id, app_user_id, user_name) tuples, not {}",
            type_name(items)
        ))
    })
}

/// Item `index` of a job (see [`read_items`]).
pub fn read_item(index: usize, item: &Bound<'_, PyAny>) -> PyResult<Result<BindItem, Error>> {
    let fields = item
        .cast::<PySequence>()
        .ok()
        .filter(|_| !item.is_instance_of::<PyString>() && !item.is_instance_of::<PyBytes>())
        .filter(|seq| seq.len().ok() == Some(3))
        .ok_or_else(|| {
            PyTypeError::new_err(format!(
                "items[{index}] must be an (app_id, app_user_id, user_name) tuple, got {}",
                type_name(item)
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
    Ok(match failure {
        Some(e) => Err(e),
        None => Ok(BindItem::new(&strings[0], &strings[1], &strings[2])),
    })
}
