//! Cancelling calls, and running them on the library's own threads:
//! `eiam_cancel` tokens for the synchronous functions, and
//! `eiam_call_async` for every call by name, with a completion callback.

use std::ffi::{c_char, c_void};

use serde_json::Value;

use super::boundary::{c_mut, c_ref, c_str, ffi_boundary};
use super::client::EiamClient;
use super::error::{drop_box, eiam_error_clear, fill, EiamError, EiamStatus};
use super::strings::{borrow_opt_str, to_c};
use crate::cancel::CancelToken;
use crate::dispatch::CALLS;
use crate::error::Error;
use crate::executor::Task;

/// A cancel token: cancelling it ends the calls of every client made from
/// it with `eiam_client_with_cancel`. Free it with `eiam_cancel_free` (the
/// clients keep what they need).
pub struct EiamCancel(CancelToken);

/// A call started with `eiam_call_async`. Free it with `eiam_task_free`.
pub struct EiamTask(Task);

/// Called exactly once when an `eiam_call_async` call ends, on one of the
/// library's worker threads: `status` and `error` say how it ended, and
/// `result_json` is its answer as JSON text (`null` for calls without
/// one), or NULL when it failed. `error` and `result_json` are valid only
/// during the callback (copy what you keep). It may call the library
/// (start another call, free the task); it must return, and not `longjmp`
/// out or throw through the library; it holds a worker while it runs.
pub type EiamDoneFn = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        status: EiamStatus,
        error: *const EiamError,
        result_json: *const c_char,
    ),
>;

/// Carries the caller's `user_data` to a worker thread; the caller
/// promises it may be used from any thread.
struct UserData(*mut c_void);
// SAFETY: documented contract of `eiam_call_async`.
unsafe impl Send for UserData {}

/// A new cancel token, not cancelled; NULL only if memory ran out.
#[no_mangle]
pub extern "C" fn eiam_cancel_new() -> *mut EiamCancel {
    ffi_boundary!(fallback std::ptr::null_mut() => {
        Box::into_raw(Box::new(EiamCancel(CancelToken::new())))
    })
}

/// Cancels every call watching `cancel`, now and later, from any thread:
/// a call waiting for a retry, a rate-limit pause or a token ends at once,
/// one waiting for the service's answer within a few tens of milliseconds,
/// with `EIAM_STATUS_CANCELLED`. A request already sent may still take
/// effect on the service. NULL is ignored; cancelling twice is harmless.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_cancel_cancel(cancel: *const EiamCancel) {
    ffi_boundary!(fallback () => {
        if let Some(cancel) = cancel.as_ref() {
            cancel.0.cancel();
        }
    })
}

/// Frees a cancel token. NULL is ignored. Clients made from it keep
/// working (and can no longer be cancelled through it).
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_cancel_free(cancel: *mut EiamCancel) {
    drop_box(cancel)
}

/// Makes `*out_client`: `client` (its connections, its token, its
/// configuration) whose calls `cancel` ends. Free it with
/// `eiam_client_free`; `client` may be freed first.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_client_with_cancel(
    client: *const EiamClient,
    cancel: *const EiamCancel,
    out_client: *mut *mut EiamClient,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let out = c_mut!(out_client);
        let inner = c_ref!(client).inner.with_cancel(&c_ref!(cancel).0);
        *out = Box::into_raw(Box::new(EiamClient { inner }));
        Ok(())
    })
}

/// Starts the call named `call` on one of the library's worker threads
/// and returns at once; `done` gets its outcome. The caller's thread is
/// never blocked (at most `EIAM_DEFAULT_ASYNC_WORKERS` calls run at once,
/// see `eiam_config_set_async_workers`; the others wait their turn).
///
/// `call` is the name of a call as the Rust and Python APIs spell it
/// (`"get_account"`, `"create_public_account"`, `"accounts_next"`, ...;
/// the C guide, docs/getting-started/c.md, lists them with their arguments
/// under "Async calls and cancellation"), and `args_json` a JSON object
/// of its arguments by name (NULL for none). On success `*out_task` (if
/// `out_task` is not NULL) is the call's handle: cancel it with
/// `eiam_task_cancel`, free it with `eiam_task_free` (which neither cancels
/// nor waits; `done` is still called). A bad `call` or `args_json` that is
/// not JSON fails here, and `done` is not called; anything else the call
/// finds wrong comes to `done`.
///
/// # Safety
/// See the module's contract; `done` may be called from any thread with
/// `user_data`, which must stay valid until it has been.
#[no_mangle]
pub unsafe extern "C" fn eiam_call_async(
    client: *const EiamClient,
    call: *const c_char,
    args_json: *const c_char,
    done: EiamDoneFn,
    user_data: *mut c_void,
    out_task: *mut *mut EiamTask,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let client = c_ref!(client);
        let name = c_str!(call);
        let Some(&name) = CALLS.iter().find(|&&known| known == name) else {
            return Err(Error::invalid_argument(format!(
                "call: no call named {}; the calls are {}",
                crate::error::quoted(name),
                CALLS.join(", ")
            )));
        };
        let args = match borrow_opt_str(args_json, "args_json")? {
            None => Value::Object(Default::default()),
            Some(text) => serde_json::from_str(text).map_err(|e| {
                Error::invalid_argument(format!("args_json is not JSON: {e}"))
            })?,
        };
        let Some(done) = done else {
            return Err(Error::invalid_argument("done is NULL"));
        };
        let user_data = UserData(user_data);
        let task = client.inner.spawn(
            move |client| client.call_json(name, args),
            move |outcome| {
                let data = user_data;
                let mut error = EiamError::zeroed();
                let result = match &outcome {
                    // A JSON value always serializes.
                    Ok(value) => to_c(&serde_json::to_string(value).unwrap_or_default()),
                    Err(_) => std::ptr::null_mut(),
                };
                let status = fill(&mut error, outcome.as_ref().err());
                done(data.0, status, &error, result);
                eiam_error_clear(&mut error);
                super::strings::eiam_string_free(result);
            },
        );
        if let Some(out) = out_task.as_mut() {
            *out = Box::into_raw(Box::new(EiamTask(task)));
        }
        Ok(())
    })
}

/// Cancels a call started with `eiam_call_async`: it ends with
/// `EIAM_STATUS_CANCELLED` (at once if it had not started, within a few
/// tens of milliseconds if it waits for the service), and `done` is called
/// as always. A request already sent may still take effect on the service.
/// NULL is ignored; cancelling twice, or after the call ended, is harmless.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_task_cancel(task: *const EiamTask) {
    ffi_boundary!(fallback () => {
        if let Some(task) = task.as_ref() {
            task.0.cancel();
        }
    })
}

/// Frees a task handle, before or after its call ended. It neither
/// cancels the call nor waits for it: `done` is still called. NULL is
/// ignored.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_task_free(task: *mut EiamTask) {
    drop_box(task)
}
