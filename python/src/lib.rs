//! `eiam._eiam`: the compiled half of the `eiam` Python package. It wraps
//! the Rust core directly (not the C ABI), so Python gets the same token
//! caching, retries, deadlines, validation and error codes.

#[macro_use]
mod calls;
mod accounts;
mod aio;
mod args;
mod audit;
mod bulk;
mod bulk_stream;
mod client;
mod completions;
mod errors;
mod examples;
mod handle;
mod interrupt;
mod json;
mod logging;
mod mock;
mod owner;

use pyo3::prelude::*;

#[pymodule]
fn _eiam(m: &Bound<'_, PyModule>) -> PyResult<()> {
    logging::install(m.py())?;
    interrupt::install();
    m.add("__version__", eiam::VERSION)?;
    m.add_class::<client::Client>()?;
    m.add_class::<aio::AsyncClient>()?;
    m.add_class::<completions::Completions>()?;
    m.add_class::<aio::AsyncAccountIterator>()?;
    m.add_class::<aio::AsyncAccountUserIterator>()?;
    m.add_class::<owner::Owner>()?;
    m.add_class::<owner::BindResult>()?;
    m.add_class::<bulk_stream::BindStream>()?;
    m.add_class::<bulk_stream::FinishedBind>()?;
    m.add_class::<accounts::Account>()?;
    m.add_class::<accounts::AccountUser>()?;
    m.add_class::<accounts::Page>()?;
    m.add_class::<accounts::AccountIterator>()?;
    m.add_class::<accounts::AccountUserIterator>()?;
    m.add_class::<audit::AuditFinding>()?;
    m.add_class::<audit::AuditIterator>()?;
    m.add_class::<mock::MockServer>()?;
    m.add_class::<mock::MockStats>()?;
    m.add_function(wrap_pyfunction!(owner::_bind_result, m)?)?;
    m.add_function(wrap_pyfunction!(mock::_mock_stats, m)?)?;
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

/// Every class is shared between threads (none is `unsendable`): a
/// compile-time check, beyond the one pyo3 makes.
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<client::Client>();
    send_sync::<aio::AsyncClient>();
    send_sync::<completions::Completions>();
    send_sync::<aio::AsyncAccountIterator>();
    send_sync::<aio::AsyncAccountUserIterator>();
    send_sync::<owner::Owner>();
    send_sync::<owner::BindResult>();
    send_sync::<accounts::Account>();
    send_sync::<accounts::AccountUser>();
    send_sync::<accounts::Page>();
    send_sync::<accounts::AccountIterator>();
    send_sync::<accounts::AccountUserIterator>();
    send_sync::<audit::AuditFinding>();
    send_sync::<audit::AuditIterator>();
    send_sync::<mock::MockServer>();
    send_sync::<mock::MockStats>();
};
