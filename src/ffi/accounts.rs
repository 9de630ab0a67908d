//! The account calls: create, members, get, list (a page, or every page
//! through a pager), update, disable, enable and delete.

use std::ffi::{c_char, c_int};

use serde_json::{Map, Value};

use super::boundary::{c_mut, c_ref, c_str, ffi_boundary};
use super::client::EiamClient;
use super::error::{drop_box, EiamError, EiamStatus};
use super::strings::{borrow_opt_str, borrow_str, free_slot, to_c, to_c_opt};
use crate::accounts::{Account, AccountFields, AccountType, AccountUser};
use crate::error::{Error, Result};
use crate::paging::{Page, Pages};
use crate::path;
use crate::secret::Secret;

/// An optional field of `eiam_account_fields` left out: not sent.
pub const EIAM_BOOL_UNSET: c_int = 0;
/// `false`, sent.
pub const EIAM_BOOL_FALSE: c_int = 1;
/// `true`, sent.
pub const EIAM_BOOL_TRUE: c_int = 2;

/// The optional fields of a create or an update. Zero-initialize it
/// (`eiam_account_fields f = {0};`): a NULL string and `EIAM_BOOL_UNSET`
/// are not sent (an update then leaves that field as it is). The strings
/// are the caller's and only read during the call.
#[repr(C)]
pub struct EiamAccountFields {
    /// The display (real) name, or NULL.
    pub name: *const c_char,
    /// The application organization's code, or NULL.
    pub org_code: *const c_char,
    /// The account's password in the application, or NULL. Never shown in
    /// an error message or a log line.
    pub password: *const c_char,
    /// `EIAM_BOOL_UNSET`, `EIAM_BOOL_FALSE` or `EIAM_BOOL_TRUE`.
    pub disabled: c_int,
    /// Custom attributes as the text of a JSON object (`{"dept": "x"}`),
    /// sent as they are, or NULL.
    pub extension: *const c_char,
}

/// An application account. Strings are owned by the library: release them
/// with `eiam_account_clear` (or the page's `_clear`).
#[repr(C)]
pub struct EiamAccount {
    /// The account's id: the `account_id` of every call on it.
    pub id: *mut c_char,
    /// The login name in the application.
    pub account_name: *mut c_char,
    /// The display name, or NULL when it has none.
    pub name: *mut c_char,
    /// The application organization's id, or NULL when it has none.
    pub org_id: *mut c_char,
    /// `"BASIC_ACCOUNT"`, `"ORPHAN_ACCOUNT"` or `"PUBLIC_ACCOUNT"`, as
    /// the service sent it.
    pub account_type: *mut c_char,
    /// Whether the account is disabled.
    pub disabled: bool,
    /// Custom attributes, the text of a JSON object (`"{}"` for none).
    pub extension: *mut c_char,
}

/// One page of accounts: `items[0..len]`, of `total` in the whole list.
/// Release it with `eiam_account_page_clear`.
#[repr(C)]
pub struct EiamAccountPage {
    /// The accounts of this page, or NULL when `len` is 0.
    pub items: *mut EiamAccount,
    /// How many accounts `items` holds.
    pub len: usize,
    /// How many accounts the whole list has.
    pub total: u64,
    /// This page's number, from 0.
    pub page: u32,
}

/// A member of a public account. Released with its page.
#[repr(C)]
pub struct EiamAccountUser {
    /// The user's id.
    pub id: *mut c_char,
    /// The user's name.
    pub user_name: *mut c_char,
    /// Whether the user is disabled.
    pub disabled: bool,
}

/// One page of a public account's members. Release it with
/// `eiam_account_user_page_clear`.
#[repr(C)]
pub struct EiamAccountUserPage {
    /// The members of this page, or NULL when `len` is 0.
    pub items: *mut EiamAccountUser,
    /// How many members `items` holds.
    pub len: usize,
    /// How many members the whole list has.
    pub total: u64,
    /// This page's number, from 0.
    pub page: u32,
}

/// Every page of an application's accounts, fetched one at a time by
/// `eiam_account_pager_next`. Use it from one thread at a time; the client
/// it came from must outlive it. Free it with `eiam_account_pager_free`.
pub struct EiamAccountPager(Pages<Account>);

/// Every page of a public account's members; as `eiam_account_pager`.
pub struct EiamAccountUserPager(Pages<AccountUser>);

/// # Safety
/// `fields` is NULL or a valid `eiam_account_fields`.
unsafe fn read_fields(fields: *const EiamAccountFields) -> Result<AccountFields> {
    let Some(f) = fields.as_ref() else {
        return Ok(AccountFields::default());
    };
    let disabled = match f.disabled {
        EIAM_BOOL_UNSET => None,
        EIAM_BOOL_FALSE => Some(false),
        EIAM_BOOL_TRUE => Some(true),
        other => {
            return Err(Error::invalid_argument(format!(
                "fields->disabled must be EIAM_BOOL_UNSET, EIAM_BOOL_FALSE or EIAM_BOOL_TRUE; got {other}"
            )))
        }
    };
    let extension = match borrow_opt_str(f.extension, "fields->extension")? {
        None => None,
        Some(text) => Some(
            serde_json::from_str::<Map<String, Value>>(text).map_err(|e| {
                Error::invalid_argument(format!("fields->extension is not a JSON object: {e}"))
            })?,
        ),
    };
    Ok(AccountFields {
        name: checked_text(f.name, "fields->name")?,
        org_code: checked_text(f.org_code, "fields->org_code")?,
        password: borrow_opt_str(f.password, "fields->password")?.map(Secret::new),
        disabled,
        extension,
    })
}

/// An optional text field, checked here so that the message names it as C
/// does (`fields->name`), not as the core does (`name`).
///
/// # Safety
/// `ptr` is NULL or a NUL-terminated string.
unsafe fn checked_text(ptr: *const c_char, name: &str) -> Result<Option<String>> {
    let text = borrow_opt_str(ptr, name)?;
    if let Some(text) = text {
        path::check_text(name, text)?;
    }
    Ok(text.map(str::to_owned))
}

/// NULL or empty is every type.
///
/// # Safety
/// `account_type` is NULL or a NUL-terminated string.
unsafe fn read_account_type(account_type: *const c_char) -> Result<Option<AccountType>> {
    match borrow_opt_str(account_type, "account_type")? {
        None | Some("") => Ok(None),
        Some(name) => name.parse().map(Some),
    }
}

/// # Safety
/// `user_names` is NULL or an array of `count` string pointers.
unsafe fn read_user_names<'a>(
    user_names: *const *const c_char,
    count: usize,
) -> Result<Vec<&'a str>> {
    if count == 0 {
        return Ok(Vec::new());
    }
    let names = std::slice::from_raw_parts(c_ref!(user_names), count);
    names
        .iter()
        .enumerate()
        .map(|(i, &name)| borrow_str(name, &format!("user_names[{i}]")))
        .collect()
}

fn account_to_c(account: &Account) -> EiamAccount {
    EiamAccount {
        id: to_c(&account.id),
        account_name: to_c(&account.account_name),
        name: to_c_opt(account.name.as_deref()),
        org_id: to_c_opt(account.org_id.as_deref()),
        account_type: to_c(&account.account_type),
        disabled: account.disabled,
        // A map of JSON values always serializes.
        extension: to_c(&serde_json::to_string(&account.extension).unwrap_or_default()),
    }
}

fn user_to_c(user: &AccountUser) -> EiamAccountUser {
    EiamAccountUser {
        id: to_c(&user.id),
        user_name: to_c(&user.user_name),
        disabled: user.disabled,
    }
}

/// A page's items as a C array the library owns: NULL for none.
fn items_to_c<T, C>(items: &[T], convert: fn(&T) -> C) -> (*mut C, usize) {
    if items.is_empty() {
        return (std::ptr::null_mut(), 0);
    }
    let boxed: Box<[C]> = items.iter().map(convert).collect();
    let len = boxed.len();
    (Box::into_raw(boxed).cast(), len)
}

fn account_page_to_c(page: &Page<Account>) -> EiamAccountPage {
    let (items, len) = items_to_c(&page.items, account_to_c);
    EiamAccountPage {
        items,
        len,
        total: page.total,
        page: page.page,
    }
}

fn user_page_to_c(page: &Page<AccountUser>) -> EiamAccountUserPage {
    let (items, len) = items_to_c(&page.items, user_to_c);
    EiamAccountUserPage {
        items,
        len,
        total: page.total,
        page: page.page,
    }
}

/// Frees an array from `items_to_c`, each item with `clear` first.
///
/// # Safety
/// `items` is NULL or came from `items_to_c` with this `len`.
unsafe fn free_items<C>(items: &mut *mut C, len: usize, clear: unsafe fn(&mut C)) {
    let ptr = std::mem::replace(items, std::ptr::null_mut());
    if ptr.is_null() {
        return;
    }
    let mut boxed = Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, len));
    for item in boxed.iter_mut() {
        clear(item);
    }
}

unsafe fn clear_account(account: &mut EiamAccount) {
    free_slot(&mut account.id);
    free_slot(&mut account.account_name);
    free_slot(&mut account.name);
    free_slot(&mut account.org_id);
    free_slot(&mut account.account_type);
    free_slot(&mut account.extension);
    account.disabled = false;
}

unsafe fn clear_user(user: &mut EiamAccountUser) {
    free_slot(&mut user.id);
    free_slot(&mut user.user_name);
    user.disabled = false;
}

/// Creates a public (shared) account named `account_name` in application
/// `app_id`. `fields` may be NULL. On success `*out_account_id` is the new
/// account's id: free it with `eiam_string_free`.
///
/// Not retried once the request may have reached the service: a lost
/// answer is an error, and the account may exist (list to find out).
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_create_public_account(
    client: *const EiamClient,
    app_id: *const c_char,
    account_name: *const c_char,
    fields: *const EiamAccountFields,
    out_account_id: *mut *mut c_char,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let out = c_mut!(out_account_id);
        let id = c_ref!(client).inner.create_public_account(
            c_str!(app_id),
            c_str!(account_name),
            &read_fields(fields)?,
        )?;
        *out = to_c(&id);
        Ok(())
    })
}

/// Creates a compliance (basic) account of user `user_id` in application
/// `app_id`; `account_name` may be NULL (the service names it after the
/// user). Otherwise as `eiam_create_public_account`.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_create_basic_account(
    client: *const EiamClient,
    app_id: *const c_char,
    user_id: *const c_char,
    account_name: *const c_char,
    fields: *const EiamAccountFields,
    out_account_id: *mut *mut c_char,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let out = c_mut!(out_account_id);
        let id = c_ref!(client).inner.create_basic_account(
            c_str!(app_id),
            c_str!(user_id),
            borrow_opt_str(account_name, "account_name")?,
            &read_fields(fields)?,
        )?;
        *out = to_c(&id);
        Ok(())
    })
}

/// Creates an orphan account (one with no user) named `account_name` in
/// application `app_id`. Otherwise as `eiam_create_public_account`.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_create_orphan_account(
    client: *const EiamClient,
    app_id: *const c_char,
    account_name: *const c_char,
    fields: *const EiamAccountFields,
    out_account_id: *mut *mut c_char,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let out = c_mut!(out_account_id);
        let id = c_ref!(client).inner.create_orphan_account(
            c_str!(app_id),
            c_str!(account_name),
            &read_fields(fields)?,
        )?;
        *out = to_c(&id);
        Ok(())
    })
}

/// Gives the users named `user_names[0..user_names_len]` access to public
/// account `app_user_id`. On success `*out_account_id` is the account's id
/// (free it with `eiam_string_free`). An empty list is refused.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_add_public_account_users(
    client: *const EiamClient,
    app_id: *const c_char,
    app_user_id: *const c_char,
    user_names: *const *const c_char,
    user_names_len: usize,
    out_account_id: *mut *mut c_char,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let out = c_mut!(out_account_id);
        let id = c_ref!(client).inner.add_public_account_users(
            c_str!(app_id),
            c_str!(app_user_id),
            &read_user_names(user_names, user_names_len)?,
        )?;
        *out = to_c(&id);
        Ok(())
    })
}

/// Takes access to public account `app_user_id` away from the users named
/// `user_names[0..user_names_len]`; as `eiam_add_public_account_users`.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_remove_public_account_users(
    client: *const EiamClient,
    app_id: *const c_char,
    app_user_id: *const c_char,
    user_names: *const *const c_char,
    user_names_len: usize,
    out_account_id: *mut *mut c_char,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let out = c_mut!(out_account_id);
        let id = c_ref!(client).inner.remove_public_account_users(
            c_str!(app_id),
            c_str!(app_user_id),
            &read_user_names(user_names, user_names_len)?,
        )?;
        *out = to_c(&id);
        Ok(())
    })
}

/// Fills `*out_page` with page `page` (from 0) of the members of public
/// account `app_user_id`; `page_size` is `EIAM_MIN_PAGE_SIZE` to
/// `EIAM_MAX_PAGE_SIZE`. `*out_page` must be zeroed or filled by the
/// library (a filled one is cleared first); release it with
/// `eiam_account_user_page_clear`.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_list_public_account_users(
    client: *const EiamClient,
    app_id: *const c_char,
    app_user_id: *const c_char,
    page: u32,
    page_size: u32,
    out_page: *mut EiamAccountUserPage,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let out = c_mut!(out_page);
        eiam_account_user_page_clear(out);
        let found = c_ref!(client).inner.list_public_account_users(
            c_str!(app_id),
            c_str!(app_user_id),
            page,
            page_size,
        )?;
        *out = user_page_to_c(&found);
        Ok(())
    })
}

/// Starts a walk over every member of public account `app_user_id`, a page
/// of `page_size` at a time (nothing is sent yet). On success
/// `*out_pager` is the pager: free it with `eiam_account_user_pager_free`.
///
/// # Safety
/// See the module's contract; `client` outlives the pager.
#[no_mangle]
pub unsafe extern "C" fn eiam_account_user_pager_new(
    client: *const EiamClient,
    app_id: *const c_char,
    app_user_id: *const c_char,
    page_size: u32,
    out_pager: *mut *mut EiamAccountUserPager,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let out = c_mut!(out_pager);
        let pages = c_ref!(client).inner.public_account_user_pages(
            c_str!(app_id),
            c_str!(app_user_id),
            page_size,
        );
        *out = Box::into_raw(Box::new(EiamAccountUserPager(pages)));
        Ok(())
    })
}

/// Fetches the pager's next page into `*out_page` (zeroed or filled by the
/// library; a filled one is cleared first). A page with `len` 0 means the
/// walk is over: it stops after `total` members or at an empty page, and
/// fails (once) if the service repeats a page. After a failure the walk is
/// over.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_account_user_pager_next(
    pager: *mut EiamAccountUserPager,
    out_page: *mut EiamAccountUserPage,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let pager = c_mut!(pager);
        let out = c_mut!(out_page);
        eiam_account_user_page_clear(out);
        if let Some(page) = pager.0.next().transpose()? {
            *out = user_page_to_c(&page);
        }
        Ok(())
    })
}

/// Frees a pager. NULL is ignored.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_account_user_pager_free(pager: *mut EiamAccountUserPager) {
    drop_box(pager)
}

/// Frees the members of `page` and zeroes it. NULL-safe and idempotent.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_account_user_page_clear(page: *mut EiamAccountUserPage) {
    ffi_boundary!(fallback () => {
        if let Some(page) = page.as_mut() {
            free_items(&mut page.items, page.len, clear_user);
            page.len = 0;
            page.total = 0;
            page.page = 0;
        }
    })
}

/// Fills `*out_account` with account `account_id` of application `app_id`.
/// `*out_account` must be zeroed or filled by the library (a filled one is
/// cleared first); release it with `eiam_account_clear`.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_get_account(
    client: *const EiamClient,
    app_id: *const c_char,
    account_id: *const c_char,
    out_account: *mut EiamAccount,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let out = c_mut!(out_account);
        eiam_account_clear(out);
        let account = c_ref!(client)
            .inner
            .get_account(c_str!(app_id), c_str!(account_id))?;
        *out = account_to_c(&account);
        Ok(())
    })
}

/// Frees the strings of `account` and zeroes it. NULL-safe and idempotent.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_account_clear(account: *mut EiamAccount) {
    ffi_boundary!(fallback () => {
        if let Some(account) = account.as_mut() {
            clear_account(account);
        }
    })
}

/// Fills `*out_page` with page `page` (from 0) of the accounts of
/// application `app_id`: of type `account_type` (`"BASIC_ACCOUNT"`,
/// `"ORPHAN_ACCOUNT"`, `"PUBLIC_ACCOUNT"`), or of every type when it is
/// NULL or empty. `page_size` is `EIAM_MIN_PAGE_SIZE` to
/// `EIAM_MAX_PAGE_SIZE`. `*out_page` must be zeroed or filled by the
/// library; release it with `eiam_account_page_clear`.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_list_accounts(
    client: *const EiamClient,
    app_id: *const c_char,
    account_type: *const c_char,
    page: u32,
    page_size: u32,
    out_page: *mut EiamAccountPage,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let out = c_mut!(out_page);
        eiam_account_page_clear(out);
        let found = c_ref!(client).inner.list_accounts(
            c_str!(app_id),
            read_account_type(account_type)?,
            page,
            page_size,
        )?;
        *out = account_page_to_c(&found);
        Ok(())
    })
}

/// Starts a walk over every account of application `app_id` (of one type,
/// or all when `account_type` is NULL or empty), a page of `page_size` at
/// a time (nothing is sent yet). Free the pager with
/// `eiam_account_pager_free`.
///
/// # Safety
/// See the module's contract; `client` outlives the pager.
#[no_mangle]
pub unsafe extern "C" fn eiam_account_pager_new(
    client: *const EiamClient,
    app_id: *const c_char,
    account_type: *const c_char,
    page_size: u32,
    out_pager: *mut *mut EiamAccountPager,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let out = c_mut!(out_pager);
        let pages = c_ref!(client).inner.account_pages(
            c_str!(app_id),
            read_account_type(account_type)?,
            page_size,
        );
        *out = Box::into_raw(Box::new(EiamAccountPager(pages)));
        Ok(())
    })
}

/// Fetches the pager's next page into `*out_page`; as
/// `eiam_account_user_pager_next` (a page with `len` 0 is the end).
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_account_pager_next(
    pager: *mut EiamAccountPager,
    out_page: *mut EiamAccountPage,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let pager = c_mut!(pager);
        let out = c_mut!(out_page);
        eiam_account_page_clear(out);
        if let Some(page) = pager.0.next().transpose()? {
            *out = account_page_to_c(&page);
        }
        Ok(())
    })
}

/// Frees a pager. NULL is ignored.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_account_pager_free(pager: *mut EiamAccountPager) {
    drop_box(pager)
}

/// Frees the accounts of `page` and zeroes it. NULL-safe and idempotent.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_account_page_clear(page: *mut EiamAccountPage) {
    ffi_boundary!(fallback () => {
        if let Some(page) = page.as_mut() {
            free_items(&mut page.items, page.len, clear_account);
            page.len = 0;
            page.total = 0;
            page.page = 0;
        }
    })
}

/// Updates account `account_id`: `account_name` (required by the service)
/// and the fields set in `fields` (may be NULL); the others stay as they
/// are. On success `*out_account_id` is the account's id (free it with
/// `eiam_string_free`).
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_update_account(
    client: *const EiamClient,
    app_id: *const c_char,
    account_id: *const c_char,
    account_name: *const c_char,
    fields: *const EiamAccountFields,
    out_account_id: *mut *mut c_char,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let out = c_mut!(out_account_id);
        let id = c_ref!(client).inner.update_account(
            c_str!(app_id),
            c_str!(account_id),
            c_str!(account_name),
            &read_fields(fields)?,
        )?;
        *out = to_c(&id);
        Ok(())
    })
}

/// Disables account `account_id`. On success `*out_account_id` is its id
/// (free it with `eiam_string_free`).
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_disable_account(
    client: *const EiamClient,
    app_id: *const c_char,
    account_id: *const c_char,
    out_account_id: *mut *mut c_char,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let out = c_mut!(out_account_id);
        let id = c_ref!(client)
            .inner
            .disable_account(c_str!(app_id), c_str!(account_id))?;
        *out = to_c(&id);
        Ok(())
    })
}

/// Enables account `account_id`; as `eiam_disable_account`.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_enable_account(
    client: *const EiamClient,
    app_id: *const c_char,
    account_id: *const c_char,
    out_account_id: *mut *mut c_char,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let out = c_mut!(out_account_id);
        let id = c_ref!(client)
            .inner
            .enable_account(c_str!(app_id), c_str!(account_id))?;
        *out = to_c(&id);
        Ok(())
    })
}

/// Deletes account `account_id` (of any type). Retried like a read; when
/// an earlier attempt's answer was lost and the retry finds no such
/// account (`APP.ACCOUNT.0028`), that attempt deleted it and the call
/// succeeds.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_delete_account(
    client: *const EiamClient,
    app_id: *const c_char,
    account_id: *const c_char,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        c_ref!(client)
            .inner
            .delete_account(c_str!(app_id), c_str!(account_id))
    })
}
