//! `eiam._eiam`: the compiled half of the `eiam` Python package. It wraps
//! the Rust core directly (not the C ABI), so Python gets the same token
//! caching, retries, deadlines, validation and error codes.

mod args;
mod client;
mod errors;
mod mock;
mod owner;

use std::sync::OnceLock;

use pyo3::prelude::*;

/// The bridge caches each logger's level so that a disabled record costs no
/// GIL acquisition; `Client()` clears that cache, so levels set before a
/// client is created always apply.
static LOG_CACHE: OnceLock<pyo3_log::ResetHandle> = OnceLock::new();

pub(crate) fn reread_log_levels() {
    if let Some(handle) = LOG_CACHE.get() {
        handle.reset();
    }
}

#[pymodule]
fn _eiam(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // Forward the core's `log` records to Python's `logging` under the
    // logger "eiam". This configures nothing on the Python side (no
    // handler, no level), and a second import in the same process keeps
    // the first bridge.
    if let Ok(handle) = pyo3_log::try_init() {
        let _ = LOG_CACHE.set(handle);
    }
    m.add("__version__", eiam::VERSION)?;
    m.add_class::<client::Client>()?;
    m.add_class::<owner::Owner>()?;
    m.add_class::<owner::BindResult>()?;
    m.add_class::<mock::MockServer>()?;
    m.add_class::<mock::MockStats>()?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    Ok(())
}

/// Panics inside the core's call wrapper, so tests can check that a bug
/// surfaces as `eiam.EiamError` and not as a `BaseException`.
#[pyfunction]
fn _panic_for_tests(py: Python<'_>) -> PyResult<()> {
    errors::detached(py, || -> Result<(), eiam::Error> {
        panic!("deliberate panic for tests")
    })
}
