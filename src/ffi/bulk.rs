//! `eiam_bind_public_account_owners`: bulk binding over C arrays.

use std::ffi::{c_char, c_void};
use std::ops::ControlFlow;

use super::boundary::{c_mut, c_ref, c_str, ffi_boundary};
use super::client::EiamClient;
use super::error::{eiam_error_clear, fill, EiamError, EiamStatus};
use super::strings::{free_slot, to_c};
use crate::bulk::{BindItem, Progress};
use crate::error::Result;

/// One binding of a bulk job. The strings are the caller's and are only
/// read during the call.
#[repr(C)]
pub struct EiamBindItem {
    /// Target application id.
    pub app_id: *const c_char,
    /// The public account's id in that application.
    pub app_user_id: *const c_char,
    /// The user name of the new owner.
    pub user_name: *const c_char,
}

/// The outcome of one item: on success `error.status` is `EIAM_STATUS_OK`
/// and `account_id` is set; otherwise `account_id` is NULL and `error`
/// says why. Release the strings with `eiam_bind_results_clear`.
#[repr(C)]
pub struct EiamBindResult {
    /// The public account's account id, or NULL.
    pub account_id: *mut c_char,
    /// This item's error; `status` is `EIAM_STATUS_OK` on success.
    pub error: EiamError,
}

/// Called after each item finishes, from one of the worker threads but
/// never by two at once. Return `false` to cancel the items not yet
/// started (they fail with `EIAM_STATUS_CANCELLED`). It must return: it may
/// not `longjmp` out or throw a C++ exception through the library (catch it
/// inside, return `false`, and rethrow after the call).
pub type EiamProgressFn = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        done: usize,
        total: usize,
        failures: usize,
    ) -> bool,
>;

/// Carries the caller's `user_data` to the worker threads; the caller
/// promises the callback may be called from any thread.
struct UserData(*mut c_void);
// SAFETY: documented contract of `eiam_bind_public_account_owners`.
unsafe impl Send for UserData {}

/// Binds the owner of every item (an `app_id`, `app_user_id` and `user_name`)
/// with at most `concurrency` calls in flight (the library's default is 8, the
/// most 64) and returns one result per item, in input order: the account id, or
/// the item's own error. One item's failure never stops the others.
///
/// Errors: Each item's result carries the errors of
/// `eiam_bind_public_account_owner`; items not started when the job is
/// cancelled fail with `EIAM_STATUS_CANCELLED`.
///
/// The items are `items[0..count]`, and one result per item is written into
/// `out_results[0..count]`. `concurrency` 0 means `EIAM_DEFAULT_CONCURRENCY`,
/// and more than `EIAM_MAX_CONCURRENCY` means that many; a 429 seen by one
/// worker pauses them all.
///
/// Returns `EIAM_STATUS_OK` when the job ran, whatever its items' outcomes
/// (check each `out_results[i].error.status`), or `EIAM_STATUS_INVALID_ARGUMENT`
/// when `client`, `items` or `out_results` is NULL (with `count` > 0). An
/// item with a NULL or non-UTF-8 field fails alone with
/// `EIAM_STATUS_INVALID_ARGUMENT`. `out_results` must hold `count` zeroed or
/// cleared results; free them with `eiam_bind_results_clear`.
///
/// `progress` (may be NULL) is called with `user_data` after each item.
///
/// # Safety
/// See the module's contract; `progress` is safe to call from any thread.
///
/// # Examples
///
/// ```c
/// struct eiam_bind_item items[] = {
///     {"demo-app", "pub-1", "cq04130006"},
///     {"demo-app", "no-such", "lisi"},
/// };
/// struct eiam_bind_result results[2] = {0};
/// struct eiam_error err = {0};
/// enum eiam_status status =
///     eiam_bind_public_account_owners(client, items, 2, 0, NULL, NULL, results, &err);
/// assert(status == EIAM_STATUS_OK && strcmp(results[0].account_id, "pub-1") == 0);
/// assert(strcmp(results[1].error.code, "APP.ACCOUNT.0038") == 0);
/// eiam_bind_results_clear(results, 2);
/// ```
#[no_mangle]
pub unsafe extern "C" fn eiam_bind_public_account_owners(
    client: *const EiamClient,
    items: *const EiamBindItem,
    count: usize,
    concurrency: u32,
    progress: EiamProgressFn,
    user_data: *mut c_void,
    out_results: *mut EiamBindResult,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        if count == 0 {
            return Ok(());
        }
        let client = c_ref!(client);
        let items = std::slice::from_raw_parts(c_ref!(items), count);
        let results = std::slice::from_raw_parts_mut(c_mut!(out_results), count);
        // Items that cannot even be read fail alone, inside the job, so
        // that the progress counts them.
        let parsed: Vec<Result<BindItem>> = items.iter().map(|item| read_item(item)).collect();
        let user_data = UserData(user_data);
        let outcomes = client.inner.bind_public_account_owners(
            &parsed,
            concurrency as usize,
            move |p: Progress| {
                let data = &user_data;
                match progress {
                    Some(callback) if !callback(data.0, p.done, p.total, p.failures) => {
                        ControlFlow::Break(())
                    }
                    _ => ControlFlow::Continue(()),
                }
            },
        );
        for (slot, outcome) in results.iter_mut().zip(outcomes) {
            free_slot(&mut slot.account_id);
            match outcome {
                Ok(account_id) => {
                    fill(&mut slot.error, None);
                    slot.account_id = to_c(&account_id);
                }
                Err(e) => {
                    fill(&mut slot.error, Some(&e));
                }
            }
        }
        Ok(())
    })
}

/// # Safety
/// The item's pointers are NULL or NUL-terminated strings.
pub(super) unsafe fn read_item(item: &EiamBindItem) -> Result<BindItem> {
    let EiamBindItem {
        app_id,
        app_user_id,
        user_name,
    } = *item;
    Ok(BindItem::new(
        c_str!(app_id),
        c_str!(app_user_id),
        c_str!(user_name),
    ))
}

/// Frees the strings of `results[0..count]` and resets each to zero/OK.
/// NULL-safe and idempotent.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_bind_results_clear(results: *mut EiamBindResult, count: usize) {
    ffi_boundary!(fallback () => {
        if results.is_null() {
            return;
        }
        for result in std::slice::from_raw_parts_mut(results, count) {
            free_slot(&mut result.account_id);
            eiam_error_clear(&mut result.error);
        }
    })
}
