//! `eiam_client` and the API calls.

use std::ffi::c_char;

use super::config::EiamConfig;
use super::error::{drop_box, run, EiamError, EiamStatus};
use super::strings::{borrow_str, free_slot, to_c};
use crate::client::Client;
use crate::error::Error;

/// A client of one tenant. Safe to share between threads: calls on one
/// client may run concurrently and share its connections and token.
pub struct EiamClient {
    pub(crate) inner: Client,
}

/// The owner of a public account. Strings are owned by the library:
/// release them with `eiam_owner_clear`.
#[repr(C)]
pub struct EiamOwner {
    /// The owner's user id.
    pub user_id: *mut c_char,
    /// The owner's user name.
    pub user_name: *mut c_char,
    /// Whether the owner's user is disabled.
    pub disabled: bool,
}

/// The library's version, e.g. `"0.1.0"`: a static string, never freed.
#[no_mangle]
pub extern "C" fn eiam_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// Creates a client from `cfg`, which is copied (free it whenever you like).
/// On success `*out_client` is the new client; free it with
/// `eiam_client_free`. On failure `*out_client` is NULL. Nothing is sent
/// until the first call.
///
/// # Safety
/// Pointers are NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn eiam_client_new(
    cfg: *const EiamConfig,
    out_client: *mut *mut EiamClient,
    err: *mut EiamError,
) -> EiamStatus {
    // SAFETY: per the caller's contract.
    unsafe {
        run(err, || {
            let out = out_client
                .as_mut()
                .ok_or_else(|| Error::invalid_argument("out_client is NULL"))?;
            *out = std::ptr::null_mut();
            let cfg = cfg
                .as_ref()
                .ok_or_else(|| Error::invalid_argument("cfg is NULL"))?;
            let inner = Client::new(cfg.build()?)?;
            *out = Box::into_raw(Box::new(EiamClient { inner }));
            Ok(())
        })
    }
}

/// Frees a client. NULL is ignored. No call on it may still be running.
///
/// # Safety
/// `client` is NULL or a client from `eiam_client_new` not yet freed.
#[no_mangle]
pub unsafe extern "C" fn eiam_client_free(client: *mut EiamClient) {
    // SAFETY: allocated by `eiam_client_new`, per the caller's contract.
    unsafe { drop_box(client) }
}

/// Fetches an access token now (or reuses the cached one), so that bad
/// credentials fail here rather than at the first call.
///
/// # Safety
/// Pointers are NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn eiam_client_authenticate(
    client: *const EiamClient,
    err: *mut EiamError,
) -> EiamStatus {
    // SAFETY: per the caller's contract.
    unsafe { run(err, || client_ref(client)?.inner.authenticate()) }
}

/// Makes `user_name` the owner of public account `app_user_id` of
/// application `app_id` (replacing any previous owner). On success
/// `*out_account_id` is the public account's account id: free it with
/// `eiam_string_free`. On failure it is NULL.
///
/// An empty `app_id` fails with code `APP.0006` and an empty `app_user_id`
/// with `APP.ACCOUNT.0047`, before anything is sent.
///
/// # Safety
/// Pointers are NULL or valid; strings are NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn eiam_bind_public_account_owner(
    client: *const EiamClient,
    app_id: *const c_char,
    app_user_id: *const c_char,
    user_name: *const c_char,
    out_account_id: *mut *mut c_char,
    err: *mut EiamError,
) -> EiamStatus {
    // SAFETY: per the caller's contract.
    unsafe {
        run(err, || {
            let out = out_account_id
                .as_mut()
                .ok_or_else(|| Error::invalid_argument("out_account_id is NULL"))?;
            *out = std::ptr::null_mut();
            let client = client_ref(client)?;
            let app_id = borrow_str(app_id, "app_id")?;
            let app_user_id = borrow_str(app_user_id, "app_user_id")?;
            let user_name = borrow_str(user_name, "user_name")?;
            let account_id =
                client
                    .inner
                    .bind_public_account_owner(app_id, app_user_id, user_name)?;
            *out = to_c(&account_id);
            Ok(())
        })
    }
}

/// Looks up the owner of public account `app_user_id` of application
/// `app_id`. `*out_owner` must be zeroed or filled by this library: a filled
/// owner is cleared first, as an `eiam_error` is. On success it is filled:
/// release it with `eiam_owner_clear`. On failure it is left zeroed.
///
/// # Safety
/// Pointers are NULL or valid; strings are NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn eiam_get_public_account_owner(
    client: *const EiamClient,
    app_id: *const c_char,
    app_user_id: *const c_char,
    out_owner: *mut EiamOwner,
    err: *mut EiamError,
) -> EiamStatus {
    // SAFETY: per the caller's contract.
    unsafe {
        run(err, || {
            if out_owner.is_null() {
                return Err(Error::invalid_argument("out_owner is NULL"));
            }
            eiam_owner_clear(out_owner);
            let client = client_ref(client)?;
            let app_id = borrow_str(app_id, "app_id")?;
            let app_user_id = borrow_str(app_user_id, "app_user_id")?;
            let owner = client.inner.get_public_account_owner(app_id, app_user_id)?;
            out_owner.write(EiamOwner {
                user_id: to_c(&owner.user_id),
                user_name: to_c(&owner.user_name),
                disabled: owner.disabled,
            });
            Ok(())
        })
    }
}

/// Frees the strings of `owner` and zeroes it. NULL-safe and idempotent.
///
/// # Safety
/// `owner` is NULL or points to an `eiam_owner` that is zeroed or was
/// filled by this library.
#[no_mangle]
pub unsafe extern "C" fn eiam_owner_clear(owner: *mut EiamOwner) {
    // SAFETY: per the caller's contract.
    if let Some(owner) = unsafe { owner.as_mut() } {
        // SAFETY: the strings are NULL or ours.
        unsafe {
            free_slot(&mut owner.user_id);
            free_slot(&mut owner.user_name);
        }
        owner.disabled = false;
    }
}

/// # Safety
/// `client` is NULL or a live client.
unsafe fn client_ref<'a>(client: *const EiamClient) -> Result<&'a EiamClient, Error> {
    // SAFETY: per the caller's contract.
    unsafe { client.as_ref() }.ok_or_else(|| Error::invalid_argument("client is NULL"))
}
