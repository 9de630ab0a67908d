//! The bridge from the core's `log` records to Python's `logging`: the
//! target `eiam::transport` becomes the logger `eiam.transport`, under the
//! logger `eiam`. The core never logs a secret or a token.
//!
//! Only the core's own records (targets `eiam` and `eiam::*`) cross the
//! bridge, up to DEBUG; the HTTP and TLS libraries underneath stay silent,
//! so nothing appears under loggers other than `eiam`.

use std::sync::OnceLock;

use log::LevelFilter;
use pyo3::prelude::*;

/// The bridge caches each logger's level so that a disabled record costs no
/// GIL acquisition; creating a `Client` clears that cache, so levels set
/// before a client is created always apply.
static LEVEL_CACHE: OnceLock<pyo3_log::ResetHandle> = OnceLock::new();

/// Installs the bridge as the process's `log` logger. It configures
/// nothing on the Python side (no handler, no level). If a logger is
/// already installed (a second import, or another extension that installed
/// its own), that one is kept.
pub fn install(py: Python<'_>) -> PyResult<()> {
    let logger = pyo3_log::Logger::new(py, pyo3_log::Caching::LoggersAndLevels)?
        .filter(LevelFilter::Off)
        .filter_target("eiam".to_owned(), LevelFilter::Debug);
    if let Ok(handle) = logger.install() {
        let _ = LEVEL_CACHE.set(handle);
    }
    Ok(())
}

/// Makes the bridge read the Python loggers' levels again.
pub fn reread_levels() {
    if let Some(handle) = LEVEL_CACHE.get() {
        handle.reset();
    }
}
