//! `eiam_bind_public_account_owners_streaming`: a bulk bind whose items
//! come from one callback and whose results go to another, so that a C
//! caller never holds all the items or all the results of a job.

use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::ops::ControlFlow;
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::boundary::{c_ref, ffi_boundary};
use super::bulk::{read_item, EiamBindItem, EiamBindResult};
use super::client::EiamClient;
use super::error::{eiam_error_clear, fill, EiamError, EiamStatus};
use super::strings::{free_slot, to_c};
use crate::bulk::{AsBindItem, BindItem, Finished};
use crate::error::{Error, Result};

/// Yields the next item of a streaming job: fills `*out_item` (zeroed
/// before each call) and returns `true`, or returns `false` at the end of
/// the input, after which it is not called again. The library copies the
/// item's strings before it calls `next` again, so the caller may reuse
/// its buffers.
pub type EiamBindNextFn =
    Option<unsafe extern "C" fn(user_data: *mut c_void, out_item: *mut EiamBindItem) -> bool>;

/// Receives one finished item of a streaming job: its position in the
/// input (from 0), its fields (the library's copies) and its result (on
/// success `error.status` is `EIAM_STATUS_OK` and `account_id` is set).
/// `item` and `result` are valid only during the call: copy what you keep.
/// Return 0 to go on, or non-zero to start no more items (the calls in
/// flight finish and are handed over too).
pub type EiamBindDoneFn = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        index: usize,
        item: *const EiamBindItem,
        result: *const EiamBindResult,
    ) -> c_int,
>;

/// How a streaming job ended.
#[repr(C)]
pub struct EiamJobSummary {
    /// Items taken from `next` and called; `done` received each of them
    /// exactly once.
    pub started: usize,
    /// `done` stopped the job: `next` was not called after the last
    /// started item, so whatever it would still yield was never started.
    pub stopped: bool,
}

/// The caller's `user_data`, behind the lock that makes `next` and `done`
/// take turns; the caller promises both may be called from any thread.
struct UserData(*mut c_void);
// SAFETY: documented contract of `eiam_bind_public_account_owners_streaming`.
unsafe impl Send for UserData {}

/// An item of a streaming job, copied out of the caller's buffers: its
/// strings as the caller gave them (handed back to `done`), and the item
/// they make, or why they make none.
struct CopiedItem {
    fields: [Option<CString>; 3],
    parsed: Result<BindItem>,
}

impl CopiedItem {
    /// # Safety
    /// The item's pointers are NULL or NUL-terminated strings.
    unsafe fn copy(item: &EiamBindItem) -> Self {
        let copy = |s: *const c_char| (!s.is_null()).then(|| CStr::from_ptr(s).to_owned());
        let copied = CopiedItem {
            fields: [
                copy(item.app_id),
                copy(item.app_user_id),
                copy(item.user_name),
            ],
            parsed: Err(Error::internal("not read yet")),
        };
        // Read from the copies, with the array form's checks and messages.
        let parsed = read_item(&copied.view());
        CopiedItem { parsed, ..copied }
    }

    /// The copies as a C item, valid while `self` is.
    fn view(&self) -> EiamBindItem {
        let [app_id, app_user_id, user_name] = self
            .fields
            .each_ref()
            .map(|f| f.as_deref().map_or(std::ptr::null(), CStr::as_ptr));
        EiamBindItem {
            app_id,
            app_user_id,
            user_name,
        }
    }
}

impl AsBindItem for CopiedItem {
    fn as_bind_item(&self) -> std::result::Result<&BindItem, &Error> {
        self.parsed.as_ref()
    }
}

/// Binds the owner of every item `next` yields, with at most
/// `concurrency` calls in flight (0 means `EIAM_DEFAULT_CONCURRENCY`, and
/// more than `EIAM_MAX_CONCURRENCY` means that many), and hands each item
/// with its result to `done` as soon as it is known, in completion order.
/// Items are taken from `next` only as workers free up, so at most
/// `concurrency` items are held at once, whatever the input's length.
/// One item's failure never stops the others; a 429 seen by one worker
/// pauses them all. An item with a NULL or non-UTF-8 field fails alone with
/// `EIAM_STATUS_INVALID_ARGUMENT` naming the field.
///
/// `next` and `done` are called with `user_data`, one at a time (never two
/// callbacks at once, so they need no lock of their own), on any of the
/// job's threads: the calling thread or one of up to `concurrency - 1`
/// workers, which are all ended when this returns. `done` may call the
/// library (with this client too). Neither may `longjmp` out or throw a
/// C++ exception through the library.
///
/// Returns `EIAM_STATUS_OK` when the job ran, whatever its items'
/// outcomes, and then fills `*out_summary` if it is not NULL; or
/// `EIAM_STATUS_INVALID_ARGUMENT` when `client`, `next` or `done` is NULL,
/// before any callback is called.
///
/// # Safety
/// See the module's contract; `next` and `done` are safe to call from any
/// thread and fill or read the items as their types say.
#[no_mangle]
pub unsafe extern "C" fn eiam_bind_public_account_owners_streaming(
    client: *const EiamClient,
    concurrency: u32,
    next: EiamBindNextFn,
    done: EiamBindDoneFn,
    user_data: *mut c_void,
    out_summary: *mut EiamJobSummary,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let client = c_ref!(client);
        let next = *c_ref!(next);
        let done = *c_ref!(done);
        let user_data = Mutex::new(UserData(user_data));
        let items = std::iter::from_fn(|| {
            let data = lock(&user_data);
            let mut raw = EiamBindItem {
                app_id: std::ptr::null(),
                app_user_id: std::ptr::null(),
                user_name: std::ptr::null(),
            };
            next(data.0, &mut raw).then(|| CopiedItem::copy(&raw))
        })
        // Once the input has ended, `next` is not asked again by the
        // workers still finishing.
        .fuse();
        let summary = client.inner.bind_public_account_owners_streaming(
            items,
            concurrency as usize,
            |finished: Finished<CopiedItem, Result<String>>| {
                let mut result = EiamBindResult {
                    account_id: std::ptr::null_mut(),
                    error: EiamError::zeroed(),
                };
                match &finished.result {
                    Ok(account_id) => result.account_id = to_c(account_id),
                    Err(e) => {
                        fill(&mut result.error, Some(e));
                    }
                }
                let item = finished.item.view();
                let answer = done(lock(&user_data).0, finished.index, &item, &result);
                free_slot(&mut result.account_id);
                eiam_error_clear(&mut result.error);
                if answer == 0 {
                    ControlFlow::Continue(())
                } else {
                    ControlFlow::Break(())
                }
            },
        );
        if let Some(out) = out_summary.as_mut() {
            *out = EiamJobSummary {
                started: summary.started,
                stopped: summary.stopped,
            };
        }
        Ok(())
    })
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
