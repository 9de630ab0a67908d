//! The boundary every export runs its body in, and the helpers that turn
//! its pointer arguments into Rust values, written once.
//!
//! Each `extern "C"` function is spelled out with `#[no_mangle]` (cbindgen
//! reads the source, not macro output, to write `include/eiam.h`), and its
//! body is one [`ffi_boundary!`]: panics are caught there and become
//! `EIAM_STATUS_INTERNAL_ERROR` (or the function's fallback value), errors
//! are reported through `err`, and nothing unwinds into C.
//! `tests/header.rs` checks that every export goes through it.

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::error::{report, EiamError, EiamStatus};
use crate::error::Error;

/// The body of an export.
///
/// - `ffi_boundary!(err => { ... })`: the body returns `Result<(), Error>`;
///   the function returns the status, and fills `err` when it is non-NULL.
/// - `ffi_boundary!(fallback VALUE => { ... })`: the body returns the
///   function's value; a panic returns `VALUE`.
macro_rules! ffi_boundary {
    ($err:ident => $body:block) => {
        $crate::ffi::boundary::run($err, || -> ::std::result::Result<(), $crate::Error> {
            $body
        })
    };
    (fallback $fallback:expr => $body:block) => {
        $crate::ffi::boundary::guard($fallback, || $body)
    };
}

/// A caller's C string argument as `&str`, or an invalid-argument error
/// naming the argument (NULL, not UTF-8).
macro_rules! c_str {
    ($arg:ident) => {
        $crate::ffi::strings::borrow_str($arg, stringify!($arg))?
    };
}

/// A caller's pointer argument as a reference (`c_ref!`) or a mutable one
/// (`c_mut!`), or an invalid-argument error naming it when it is NULL.
macro_rules! c_ref {
    ($arg:ident) => {
        $crate::ffi::boundary::non_null($arg.as_ref(), stringify!($arg))?
    };
}

macro_rules! c_mut {
    ($arg:ident) => {
        $crate::ffi::boundary::non_null($arg.as_mut(), stringify!($arg))?
    };
}

pub(crate) use {c_mut, c_ref, c_str, ffi_boundary};

/// The value behind a pointer argument, or an invalid-argument error
/// naming it when it is NULL (see `c_ref!`).
pub(crate) fn non_null<T>(value: Option<T>, name: &str) -> Result<T, Error> {
    value.ok_or_else(|| Error::invalid_argument(format!("{name} is NULL")))
}

/// See [`ffi_boundary!`]. `err` is NULL or zeroed or filled by the library.
pub(crate) unsafe fn run(
    err: *mut EiamError,
    body: impl FnOnce() -> Result<(), Error>,
) -> EiamStatus {
    let outcome = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(result) => result,
        Err(panic) => Err(Error::internal(format!(
            "panic inside eiam: {}",
            panic_message(&panic)
        ))),
    };
    report(err, outcome.err().as_ref())
}

/// See [`ffi_boundary!`].
pub(crate) fn guard<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_owned()
    }
}
