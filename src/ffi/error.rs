//! Status codes and the error struct.

use std::ffi::{c_char, c_int, CStr};

use super::boundary::{c_mut, c_ref, ffi_boundary};
use super::strings::{free_slot, to_c};
use crate::error::{write_error, Error, ErrorKind};

/// Outcome of a call. The numbers are stable: they are the core's error
/// kinds' numbers (checked at compile time below), with 0 for success.
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
        status_of(kind)
    }
}

// The C numbers are the core's: a renumbered variant fails to compile.
const _: () = {
    let mut i = 0;
    while i < ErrorKind::ALL.len() {
        let kind = ErrorKind::ALL[i];
        assert!(status_of(kind) as u32 == kind as u32);
        i += 1;
    }
};

const fn status_of(kind: ErrorKind) -> EiamStatus {
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

impl EiamError {
    /// A zeroed error, as C starts one.
    pub(crate) fn zeroed() -> Self {
        EiamError {
            status: EiamStatus::Ok,
            http_status: 0,
            code: std::ptr::null_mut(),
            message: std::ptr::null_mut(),
        }
    }
}

/// Frees the strings of `err` and resets it to `EIAM_STATUS_OK`.
/// NULL-safe and idempotent.
///
/// # Safety
/// See the module's contract: `err` is NULL, zeroed or filled by the library.
#[no_mangle]
pub unsafe extern "C" fn eiam_error_clear(err: *mut EiamError) {
    ffi_boundary!(fallback () => {
        if let Some(err) = err.as_mut() {
            free_slot(&mut err.code);
            free_slot(&mut err.message);
            err.status = EiamStatus::Ok;
            err.http_status = 0;
        }
    })
}

/// The name of a status, as the library's messages write it: `"ok"`,
/// `"invalid argument"`, `"api"`, `"auth"`, `"transport"`, `"timeout"`,
/// `"protocol"`, `"internal"`, `"cancelled"`; `"unknown"` for any other
/// number. A static string, never freed. Takes an `int` so that any number
/// a binding passes is well defined.
#[no_mangle]
pub extern "C" fn eiam_status_name(status: c_int) -> *const c_char {
    ffi_boundary!(fallback c"unknown".as_ptr() => {
        u32::try_from(status).map_or(c"unknown", status_name).as_ptr()
    })
}

fn status_name(number: u32) -> &'static CStr {
    match ErrorKind::from_number(number) {
        None if number == 0 => c"ok",
        None => c"unknown",
        Some(ErrorKind::InvalidArgument) => c"invalid argument",
        Some(ErrorKind::Api) => c"api",
        Some(ErrorKind::Auth) => c"auth",
        Some(ErrorKind::Transport) => c"transport",
        Some(ErrorKind::Timeout) => c"timeout",
        Some(ErrorKind::Protocol) => c"protocol",
        Some(ErrorKind::Internal) => c"internal",
        Some(ErrorKind::Cancelled) => c"cancelled",
    }
}

/// `err` as one line, the way the library's own errors read:
/// `"api error APP.ACCOUNT.0038 (HTTP 400): 公共账号不存在"`, or `"ok"`.
/// On success `*out_text` is the text: free it with `eiam_string_free`.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_error_to_string(
    error: *const EiamError,
    out_text: *mut *mut c_char,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let out = c_mut!(out_text);
        let error = c_ref!(error);
        let text = if error.status == EiamStatus::Ok {
            "ok".to_owned()
        } else {
            let read = |s: *mut c_char| {
                (!s.is_null()).then(|| CStr::from_ptr(s).to_string_lossy().into_owned())
            };
            let mut text = String::new();
            write_error(
                &mut text,
                status_name(error.status as u32).to_str().unwrap_or("unknown"),
                read(error.code).as_deref(),
                (error.http_status != 0).then_some(error.http_status),
                &read(error.message).unwrap_or_default(),
            )
            .map_err(|_| Error::internal("formatting the error failed"))?;
            text
        };
        *out = to_c(&text);
        Ok(())
    })
}

/// Reports an export's outcome: as the returned status, and in `err` when
/// it is non-NULL.
pub(crate) unsafe fn report(err: *mut EiamError, failure: Option<&Error>) -> EiamStatus {
    match err.as_mut() {
        Some(err) => fill(err, failure),
        None => failure.map_or(EiamStatus::Ok, |f| EiamStatus::from(f.kind())),
    }
}

/// Clears `err`, then describes `failure` in it (or leaves it at OK).
pub(crate) unsafe fn fill(err: &mut EiamError, failure: Option<&Error>) -> EiamStatus {
    eiam_error_clear(err);
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
pub(crate) unsafe fn drop_box<T>(ptr: *mut T) {
    ffi_boundary!(fallback () => {
        if !ptr.is_null() {
            drop(Box::from_raw(ptr));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_the_cores_name() {
        assert_eq!(status_name(0), c"ok");
        for kind in ErrorKind::ALL {
            assert_eq!(status_name(kind as u32).to_str().unwrap(), kind.as_str());
        }
        assert_eq!(status_name(99), c"unknown");
        // SAFETY: a static string.
        let negative = unsafe { CStr::from_ptr(eiam_status_name(-1)) };
        assert_eq!(negative, c"unknown");
    }

    #[test]
    fn an_error_reads_as_the_cores_display() {
        let failure = Error::new(ErrorKind::Api, "公共账号不存在")
            .with_status(400)
            .with_code("APP.ACCOUNT.0038");
        let mut err = EiamError {
            status: EiamStatus::Ok,
            http_status: 0,
            code: std::ptr::null_mut(),
            message: std::ptr::null_mut(),
        };
        let mut text = std::ptr::null_mut();
        // SAFETY: valid pointers to local values.
        unsafe {
            fill(&mut err, Some(&failure));
            assert_eq!(
                eiam_error_to_string(&err, &mut text, std::ptr::null_mut()),
                EiamStatus::Ok
            );
            assert_eq!(CStr::from_ptr(text).to_str().unwrap(), failure.to_string());
            super::super::strings::eiam_string_free(text);
            eiam_error_clear(&mut err);
        }
    }
}
