//! Turning core errors (and panics) into the exception classes defined in
//! `eiam/_errors.py`.

use std::panic::{catch_unwind, AssertUnwindSafe};

use eiam::{Error, ErrorKind};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};

static ERRORS_MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidArgument => "InvalidArgumentError",
        ErrorKind::Api => "ApiError",
        ErrorKind::Auth => "AuthError",
        ErrorKind::Transport => "TransportError",
        ErrorKind::Timeout => "TimeoutError",
        ErrorKind::Protocol => "ProtocolError",
        ErrorKind::Cancelled => "CancelledError",
        _ => "EiamError",
    }
}

/// The exception instance for `err` (a subclass of `eiam.EiamError`).
pub fn exception<'py>(py: Python<'py>, err: &Error) -> PyResult<Bound<'py, PyAny>> {
    let module = ERRORS_MODULE
        .get_or_try_init(py, || {
            PyModule::import(py, "eiam._errors").map(Bound::unbind)
        })?
        .bind(py);
    let class = module.getattr(class_name(err.kind()))?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("http_status", err.http_status())?;
    kwargs.set_item("code", err.code())?;
    class.call((err.message(),), Some(&kwargs))
}

/// `err` as a `PyErr` to raise.
pub fn to_py(py: Python<'_>, err: &Error) -> PyErr {
    match exception(py, err) {
        Ok(instance) => PyErr::from_value(instance),
        Err(import_failure) => import_failure,
    }
}

/// Runs `f`, turning a panic into an error: raised as `eiam.EiamError`
/// rather than pyo3's `PanicException`, which derives from
/// `BaseException` and would slip past `except Exception`.
pub fn guarded<T>(f: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(Error::internal("a panic inside eiam (please report it)")))
}

/// Runs `f` with the GIL released (for I/O), panics [`guarded`].
pub fn detached<T, F>(py: Python<'_>, f: F) -> PyResult<T>
where
    F: FnOnce() -> Result<T, Error> + Send,
    T: Send,
{
    py.detach(|| guarded(f)).map_err(|e| to_py(py, &e))
}
