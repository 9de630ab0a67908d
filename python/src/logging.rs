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
use pyo3::types::{PyDict, PyString};

/// The most verbose level the bridge forwards.
const BRIDGE_LEVEL: LevelFilter = LevelFilter::Debug;

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
        .filter_target("eiam".to_owned(), BRIDGE_LEVEL);
    if let Ok(handle) = logger.install() {
        let _ = LEVEL_CACHE.set(handle);
        reread_levels(py);
    }
    Ok(())
}

/// Makes the bridge read the Python loggers' levels again, and lets only
/// records that some `eiam` logger wants past the `log` macros. Without
/// that, every disabled record (the core logs each request at DEBUG, ureq
/// more) would go through the bridge's target lookup on every call.
pub fn reread_levels(py: Python<'_>) {
    if let Some(handle) = LEVEL_CACHE.get() {
        handle.reset();
        // If the levels cannot be read, let everything through to the
        // bridge, which asks Python record by record.
        log::set_max_level(most_verbose_enabled(py).unwrap_or(BRIDGE_LEVEL));
    }
}

/// The most verbose level at which the logger `eiam`, or any `eiam.*`
/// logger that exists, is enabled (`isEnabledFor`, so levels inherited from
/// the root and `logging.disable` count), capped at the bridge's level.
/// Loggers that do not exist yet inherit from `eiam`.
fn most_verbose_enabled(py: Python<'_>) -> PyResult<LevelFilter> {
    let logging = py.import("logging")?;
    let logger_class = logging.getattr("Logger")?;
    let mut loggers = vec![logging.call_method1("getLogger", ("eiam",))?];
    let registry = logger_class.getattr("manager")?.getattr("loggerDict")?;
    // A snapshot (`items()`): another thread may add a logger meanwhile.
    for item in registry.cast::<PyDict>()?.items() {
        let (name, logger): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
        let is_child = name
            .cast::<PyString>()
            .is_ok_and(|n| n.to_cow().is_ok_and(|n| n.starts_with("eiam.")));
        if is_child && logger.is_instance(&logger_class)? {
            loggers.push(logger);
        }
    }
    let levels = [
        (10, LevelFilter::Debug),
        (20, LevelFilter::Info),
        (30, LevelFilter::Warn),
        (40, LevelFilter::Error),
    ];
    for (python_level, filter) in levels {
        for logger in &loggers {
            if logger
                .call_method1("isEnabledFor", (python_level,))?
                .is_truthy()?
            {
                return Ok(filter.min(BRIDGE_LEVEL));
            }
        }
    }
    Ok(LevelFilter::Off)
}
