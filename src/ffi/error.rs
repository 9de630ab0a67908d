//! Status codes, the error struct, and the wrapper every exported function
//! runs its body in.

use std::ffi::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};

use super::strings::{free_slot, to_c};
use crate::error::{Error, ErrorKind};

/// Outcome of a call. The numbers are stable.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EiamStatus {
    /// Success.
    Ok = 0,
    /// Rejected before any request: NULL pointer, non-UTF-8 or invalid value.
    InvalidArgument = 1,
    /// The service answered with `error_code`/`error_msg`.
    ApiError = 2,
    /// A token could not be obtained or was rejected.
    AuthError = 3,
    /// DNS, connect, TLS, proxy or connection reset.
    TransportError = 4,
    /// The call's deadline passed.
    Timeout = 5,
    /// The service answered with an unexpected status or body.
    ProtocolError = 6,
    /// A bug in the library (a caught panic).
    InternalError = 7,
    /// The caller cancelled the work before it started (bulk calls).
    Cancelled = 8,
}

impl From<ErrorKind> for EiamStatus {
    fn from(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::InvalidArgument => EiamStatus::InvalidArgument,
            ErrorKind::Api => EiamStatus::ApiError,
            ErrorKind::Auth => EiamStatus::AuthError,
            ErrorKind::Transport => EiamStatus::TransportError,
            ErrorKind::Timeout => EiamStatus::Timeout,
            ErrorKind::Protocol => EiamStatus::ProtocolError,
            ErrorKind::Internal => EiamStatus::InternalError,
            ErrorKind::Cancelled => EiamStatus::Cancelled,
        }
    }
}

/// Details of a failed call.
///
/// Start with a zeroed struct (`eiam_error err = {0};`). A failed call fills
/// it; release its strings with `eiam_error_clear`. Passing a filled struct
/// to another call is fine: the library clears it first.
#[repr(C)]
pub struct EiamError {
    /// The outcome; `EIAM_STATUS_OK` when nothing failed.
    pub status: EiamStatus,
    /// HTTP status of the response behind the error; 0 when none was received.
    pub http_status: u16,
    /// Normalized code (`"APP.ACCOUNT.0038"`, `"invalid_client"`), or NULL.
    pub code: *mut c_char,
    /// What went wrong; non-NULL whenever `status` is not `EIAM_STATUS_OK`.
    pub message: *mut c_char,
}

/// Frees the strings of `err` and resets it to `EIAM_STATUS_OK`.
/// NULL-safe and idempotent.
///
/// # Safety
/// `err` is NULL or points to an `eiam_error` that is zeroed or was filled
/// by this library.
#[no_mangle]
pub unsafe extern "C" fn eiam_error_clear(err: *mut EiamError) {
    // SAFETY: per the caller's contract.
    if let Some(err) = unsafe { err.as_mut() } {
        let _ = catch_unwind(AssertUnwindSafe(|| {
            // SAFETY: the strings are NULL or ours.
            unsafe {
                free_slot(&mut err.code);
                free_slot(&mut err.message);
            }
            err.status = EiamStatus::Ok;
            err.http_status = 0;
        }));
    }
}

/// Runs an exported function's body: catches panics, and reports the
/// outcome both as the returned status and in `err` when it is non-NULL.
///
/// # Safety
/// `err` is NULL or points to an `eiam_error` that is zeroed or was filled
/// by this library.
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
    // SAFETY: per the caller's contract.
    unsafe { report(err, outcome.err().as_ref()) }
}

/// # Safety
/// As for [`run`].
unsafe fn report(err: *mut EiamError, failure: Option<&Error>) -> EiamStatus {
    // SAFETY: per the caller's contract.
    match unsafe { err.as_mut() } {
        // SAFETY: per the caller's contract.
        Some(err) => unsafe { fill(err, failure) },
        None => failure.map_or(EiamStatus::Ok, |f| EiamStatus::from(f.kind())),
    }
}

/// Clears `err`, then describes `failure` in it (or leaves it at OK).
///
/// # Safety
/// `err` is zeroed or was filled by this library.
pub(crate) unsafe fn fill(err: &mut EiamError, failure: Option<&Error>) -> EiamStatus {
    // SAFETY: per the caller's contract.
    unsafe { eiam_error_clear(err) };
    let Some(failure) = failure else {
        return EiamStatus::Ok;
    };
    let status = EiamStatus::from(failure.kind());
    err.status = status;
    err.http_status = failure.http_status().unwrap_or(0);
    err.code = failure.code().map_or(std::ptr::null_mut(), to_c);
    err.message = to_c(failure.message());
    status
}

/// Frees a box handed out with `Box::into_raw`; NULL is ignored and a
/// panicking destructor cannot unwind into C.
///
/// # Safety
/// `ptr` is NULL or came from `Box::into_raw` and was not freed since.
pub(crate) unsafe fn drop_box<T>(ptr: *mut T) {
    if !ptr.is_null() {
        // SAFETY: per the caller's contract.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { Box::from_raw(ptr) })));
    }
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
