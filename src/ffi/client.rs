//! `eiam_client` and the API calls.

use std::ffi::c_char;

use super::boundary::{c_mut, c_ref, c_str, ffi_boundary};
use super::config::EiamConfig;
use super::error::{drop_box, EiamError, EiamStatus};
use super::strings::{free_slot, to_c};
use crate::client::Client;

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
    ffi_boundary!(fallback c"".as_ptr() => {
        concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
    })
}

/// Creates a client from `cfg`, which is copied (free it whenever you like).
/// On success `*out_client` is the new client; free it with
/// `eiam_client_free`. Nothing is sent until the first call.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_client_new(
    cfg: *const EiamConfig,
    out_client: *mut *mut EiamClient,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let out = c_mut!(out_client);
        let inner = Client::new(c_ref!(cfg).build()?)?;
        *out = Box::into_raw(Box::new(EiamClient { inner }));
        Ok(())
    })
}

/// Frees a client. NULL is ignored. No synchronous call on it may still be
/// running; calls started with `eiam_call_async` keep what they need and
/// finish.
///
/// # Safety
/// See the module's contract: `client` is NULL or a client from
/// `eiam_client_new` not yet freed.
#[no_mangle]
pub unsafe extern "C" fn eiam_client_free(client: *mut EiamClient) {
    drop_box(client)
}

/// Fetches an access token now (or reuses the cached one), so that bad
/// credentials fail here rather than at the first call. With a static access
/// token there is nothing to check and it returns at once.
///
/// Errors: `EIAM_STATUS_AUTH_ERROR` when the token endpoint refuses the client
/// id and secret; `EIAM_STATUS_TRANSPORT_ERROR` or `EIAM_STATUS_TIMEOUT` when
/// it cannot be reached in time.
///
/// # Safety
/// See the module's contract.
///
/// # Examples
///
/// ```c
/// struct eiam_error err = {0};
/// assert(eiam_client_authenticate(client, &err) == EIAM_STATUS_OK);
/// ```
#[no_mangle]
pub unsafe extern "C" fn eiam_client_authenticate(
    client: *const EiamClient,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => { c_ref!(client).inner.authenticate() })
}

/// Makes `user_name` the owner of public account `app_user_id` of application
/// `app_id`, replacing any previous owner, and returns the public account's
/// account id. Binding the same owner again is harmless, so the call is retried
/// like a read.
///
/// Errors: `EIAM_STATUS_INVALID_ARGUMENT` for an empty `app_id` (`APP.0006`) or
/// `app_user_id` (`APP.ACCOUNT.0047`), before anything is sent;
/// `EIAM_STATUS_API_ERROR` with `APP.0001` (no such application) or
/// `APP.ACCOUNT.0038` (no such public account).
///
/// On success `*out_account_id` is the public account's account id: free it
/// with `eiam_string_free`.
///
/// # Safety
/// See the module's contract.
///
/// # Examples
///
/// ```c
/// char *account_id = NULL;
/// struct eiam_error err = {0};
/// enum eiam_status status =
///     eiam_bind_public_account_owner(client, "demo-app", "pub-2", "zhangsan", &account_id, &err);
/// assert(status == EIAM_STATUS_OK && strcmp(account_id, "pub-2") == 0);
/// eiam_string_free(account_id);
/// ```
#[no_mangle]
pub unsafe extern "C" fn eiam_bind_public_account_owner(
    client: *const EiamClient,
    app_id: *const c_char,
    app_user_id: *const c_char,
    user_name: *const c_char,
    out_account_id: *mut *mut c_char,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let out = c_mut!(out_account_id);
        let account_id = c_ref!(client).inner.bind_public_account_owner(
            c_str!(app_id),
            c_str!(app_user_id),
            c_str!(user_name),
        )?;
        *out = to_c(&account_id);
        Ok(())
    })
}

/// Returns the owner of public account `app_user_id` of application `app_id`:
/// the user's id and name and whether the user is disabled.
///
/// Errors: `EIAM_STATUS_INVALID_ARGUMENT` for an empty `app_id` (`APP.0006`) or
/// `app_user_id` (`APP.ACCOUNT.0047`), before anything is sent;
/// `EIAM_STATUS_API_ERROR` with `APP.ACCOUNT.0038` (no such public account) or
/// `APP.ACCOUNT.0037` (the account has no owner).
///
/// `*out_owner` must be zeroed or filled by this library: a filled owner is
/// cleared first, as an `eiam_error` is. On success it is filled: release it
/// with `eiam_owner_clear`. On failure it is left zeroed.
///
/// # Safety
/// See the module's contract.
///
/// # Examples
///
/// ```c
/// struct eiam_owner owner = {0};
/// struct eiam_error err = {0};
/// enum eiam_status status = eiam_get_public_account_owner(client, "demo-app", "pub-1", &owner, &err);
/// assert(status == EIAM_STATUS_OK && strcmp(owner.user_name, "zhangsan") == 0);
/// eiam_owner_clear(&owner);
/// ```
#[no_mangle]
pub unsafe extern "C" fn eiam_get_public_account_owner(
    client: *const EiamClient,
    app_id: *const c_char,
    app_user_id: *const c_char,
    out_owner: *mut EiamOwner,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let out = c_mut!(out_owner);
        eiam_owner_clear(out);
        let owner = c_ref!(client)
            .inner
            .get_public_account_owner(c_str!(app_id), c_str!(app_user_id))?;
        *out = EiamOwner {
            user_id: to_c(&owner.user_id),
            user_name: to_c(&owner.user_name),
            disabled: owner.disabled,
        };
        Ok(())
    })
}

/// Frees the strings of `owner` and zeroes it. NULL-safe and idempotent.
///
/// # Safety
/// See the module's contract: `owner` is NULL, zeroed or filled by the
/// library.
#[no_mangle]
pub unsafe extern "C" fn eiam_owner_clear(owner: *mut EiamOwner) {
    ffi_boundary!(fallback () => {
        if let Some(owner) = owner.as_mut() {
            free_slot(&mut owner.user_id);
            free_slot(&mut owner.user_name);
            owner.disabled = false;
        }
    })
}
