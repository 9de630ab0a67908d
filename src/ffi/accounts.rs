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
/// `app_id`, with the optional fields given, and returns its account id. It is
/// not retried once the request may have reached the service: a second create
/// would make a second account.
///
/// Errors: `EIAM_STATUS_INVALID_ARGUMENT` for an empty `app_id` (`APP.0006`) or
/// `account_name` (`APP.ACCOUNT.0001`), before anything is sent;
/// `EIAM_STATUS_API_ERROR` with `APP.0001` (no such application) or
/// `APP.ORG.0024` (no such organization code); `EIAM_STATUS_TRANSPORT_ERROR` or
/// `EIAM_STATUS_TIMEOUT` when the answer was lost, and then the account may
/// exist (list the accounts to find out).
///
/// `fields` may be NULL. On success `*out_account_id` is the new account's id:
/// free it with `eiam_string_free`.
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
///     eiam_create_public_account(client, "demo-app", "shared-mailbox", NULL, &account_id, &err);
/// assert(status == EIAM_STATUS_OK);
/// eiam_string_free(account_id);
/// ```
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
/// `app_id`, with the optional fields given, and returns its account id.
/// Without an `account_name` the service names it after the user. Retried as
/// `eiam_create_public_account` is.
///
/// Errors: `EIAM_STATUS_INVALID_ARGUMENT` for an empty `app_id` (`APP.0006`) or
/// `user_id`, before anything is sent; `EIAM_STATUS_API_ERROR` with `APP.0001`
/// (no such application), `USER.0001` (no such user) or `APP.ORG.0024` (no such
/// organization code); `EIAM_STATUS_TRANSPORT_ERROR` or `EIAM_STATUS_TIMEOUT`
/// when the answer was lost, and then the account may exist.
///
/// `account_name` and `fields` may be NULL. On success `*out_account_id` is the
/// new account's id: free it with `eiam_string_free`.
///
/// # Safety
/// See the module's contract.
///
/// # Examples
///
/// ```c
/// const char *zhangsan = "20220331164602949-904C-D475B60AE";
/// char *account_id = NULL;
/// struct eiam_error err = {0};
/// enum eiam_status status =
///     eiam_create_basic_account(client, "demo-app", zhangsan, NULL, NULL, &account_id, &err);
/// assert(status == EIAM_STATUS_OK);
/// eiam_string_free(account_id);
/// ```
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
/// application `app_id`, with the optional fields given, and returns its
/// account id. Retried as `eiam_create_public_account` is.
///
/// Errors: As `eiam_create_public_account`: `EIAM_STATUS_INVALID_ARGUMENT` for
/// an empty `app_id` or `account_name`; `EIAM_STATUS_API_ERROR` with `APP.0001`
/// or `APP.ORG.0024`; `EIAM_STATUS_TRANSPORT_ERROR` or `EIAM_STATUS_TIMEOUT`
/// when the answer was lost, and then the account may exist.
///
/// `fields` may be NULL. On success `*out_account_id` is the new account's id:
/// free it with `eiam_string_free`.
///
/// # Safety
/// See the module's contract.
///
/// # Examples
///
/// ```c
/// struct eiam_account_fields fields = {.name = "Build bot", .disabled = EIAM_BOOL_UNSET};
/// char *account_id = NULL;
/// struct eiam_error err = {0};
/// enum eiam_status status =
///     eiam_create_orphan_account(client, "demo-app", "build-bot", &fields, &account_id, &err);
/// assert(status == EIAM_STATUS_OK);
/// eiam_string_free(account_id);
/// ```
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

/// Gives the users named `user_names` access to public account `app_user_id` of
/// application `app_id` and returns the account's id. Adding a member again is
/// harmless, so the call is retried like a read.
///
/// Errors: `EIAM_STATUS_INVALID_ARGUMENT` for an empty `user_names`, an empty
/// name in it, or an empty `app_id` or `app_user_id`, before anything is sent;
/// `EIAM_STATUS_API_ERROR` with `APP.0001` (no such application) or
/// `APP.ACCOUNT.0038` (no such public account).
///
/// The names are `user_names[0..user_names_len]`. On success `*out_account_id`
/// is the account's id: free it with `eiam_string_free`.
///
/// # Safety
/// See the module's contract.
///
/// # Examples
///
/// ```c
/// const char *names[] = {"zhangsan", "lisi"};
/// char *account_id = NULL;
/// struct eiam_error err = {0};
/// enum eiam_status status =
///     eiam_add_public_account_users(client, "demo-app", "pub-2", names, 2, &account_id, &err);
/// assert(status == EIAM_STATUS_OK && strcmp(account_id, "pub-2") == 0);
/// eiam_string_free(account_id);
/// ```
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

/// Takes access to public account `app_user_id` of application `app_id` away
/// from the users named `user_names` and returns the account's id. Retried like
/// a read, as `eiam_add_public_account_users` is.
///
/// Errors: As `eiam_add_public_account_users`: `EIAM_STATUS_INVALID_ARGUMENT`
/// for an empty `user_names` or id; `EIAM_STATUS_API_ERROR` with `APP.0001` or
/// `APP.ACCOUNT.0038`.
///
/// The names are `user_names[0..user_names_len]`. On success `*out_account_id`
/// is the account's id: free it with `eiam_string_free`.
///
/// # Safety
/// See the module's contract.
///
/// # Examples
///
/// ```c
/// const char *names[] = {"cq04130006"};
/// char *account_id = NULL;
/// struct eiam_error err = {0};
/// enum eiam_status status =
///     eiam_remove_public_account_users(client, "demo-app", "pub-1", names, 1, &account_id, &err);
/// assert(status == EIAM_STATUS_OK);
/// eiam_string_free(account_id);
/// ```
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

/// Returns one page of the members of public account `app_user_id` of
/// application `app_id`: page `page` (from 0) of `page_size` users (10 to 100),
/// with the list's total.
///
/// Errors: `EIAM_STATUS_INVALID_ARGUMENT` for a `page_size` outside 10 to 100
/// or an empty id, before anything is sent; `EIAM_STATUS_API_ERROR` with
/// `APP.ACCOUNT.0038` (no such public account).
///
/// `page_size` is `EIAM_MIN_PAGE_SIZE` to `EIAM_MAX_PAGE_SIZE`. `*out_page`
/// must be zeroed or filled by the library (a filled one is cleared first);
/// release it with `eiam_account_user_page_clear`.
///
/// # Safety
/// See the module's contract.
///
/// # Examples
///
/// ```c
/// struct eiam_account_user_page page = {0};
/// struct eiam_error err = {0};
/// enum eiam_status status =
///     eiam_list_public_account_users(client, "demo-app", "pub-1", 0, 10, &page, &err);
/// assert(status == EIAM_STATUS_OK && page.total == 2 && page.len == 2);
/// eiam_account_user_page_clear(&page);
/// ```
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

/// Walks every member of public account `app_user_id` of application `app_id`,
/// fetching a page of `page_size` users when it is needed. The walk stops after
/// the list's total or at an empty page.
///
/// Errors: Each step fails as `eiam_list_public_account_users` does, and with
/// `EIAM_STATUS_PROTOCOL_ERROR` when the service repeats a page (a walk that
/// would never end).
///
/// Nothing is sent yet: each `eiam_account_user_pager_next` fetches a page when
/// it needs one. On success `*out_pager` is the pager: free it with
/// `eiam_account_user_pager_free`.
///
/// # Safety
/// See the module's contract; `client` outlives the pager.
///
/// # Examples
///
/// ```c
/// struct eiam_account_user_pager *pager = NULL;
/// struct eiam_account_user_page page = {0};
/// struct eiam_error err = {0};
/// size_t seen = 0;
/// assert(eiam_account_user_pager_new(client, "demo-app", "pub-1", 100, &pager, &err) == EIAM_STATUS_OK);
/// while (eiam_account_user_pager_next(pager, &page, &err) == EIAM_STATUS_OK && page.len > 0) {
///     seen += page.len;
/// }
/// assert(err.status == EIAM_STATUS_OK && seen == 2);
/// eiam_account_user_page_clear(&page);
/// eiam_account_user_pager_free(pager);
/// ```
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

/// Returns account `account_id` of application `app_id`: its names, type,
/// organization, state and custom attributes (`extension`).
///
/// Errors: `EIAM_STATUS_INVALID_ARGUMENT` for an empty `app_id` (`APP.0006`) or
/// `account_id` (`APP.ACCOUNT.0047`), before anything is sent;
/// `EIAM_STATUS_API_ERROR` with `APP.ACCOUNT.0028` (no such account).
///
/// `*out_account` must be zeroed or filled by the library (a filled one is
/// cleared first); release it with `eiam_account_clear`.
///
/// # Safety
/// See the module's contract.
///
/// # Examples
///
/// ```c
/// struct eiam_account account = {0};
/// struct eiam_error err = {0};
/// enum eiam_status status = eiam_get_account(client, "demo-app", "pub-1", &account, &err);
/// assert(status == EIAM_STATUS_OK && strcmp(account.account_type, "PUBLIC_ACCOUNT") == 0);
/// eiam_account_clear(&account);
/// ```
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

/// Returns one page of the accounts of application `app_id`, of one
/// `account_type` (`BASIC_ACCOUNT`, `ORPHAN_ACCOUNT`, `PUBLIC_ACCOUNT`) or of
/// every type: page `page` (from 0) of `page_size` accounts (10 to 100), with
/// the list's total.
///
/// Errors: `EIAM_STATUS_INVALID_ARGUMENT` for a `page_size` outside 10 to 100,
/// an empty `app_id`, or an unknown `account_type` (`APP.ACCOUNT.0045`), before
/// anything is sent; `EIAM_STATUS_API_ERROR` with `APP.0001` (no such
/// application).
///
/// `account_type` NULL or empty means every type; `page_size` is
/// `EIAM_MIN_PAGE_SIZE` to `EIAM_MAX_PAGE_SIZE`. `*out_page` must be zeroed or
/// filled by the library; release it with `eiam_account_page_clear`.
///
/// # Safety
/// See the module's contract.
///
/// # Examples
///
/// ```c
/// struct eiam_account_page page = {0};
/// struct eiam_error err = {0};
/// enum eiam_status status =
///     eiam_list_accounts(client, "paging-app", "ORPHAN_ACCOUNT", 0, 10, &page, &err);
/// assert(status == EIAM_STATUS_OK && page.total == 83 && page.len == 10);
/// eiam_account_page_clear(&page);
/// ```
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

/// Walks every account of application `app_id` (of one `account_type`, or of
/// every type), fetching a page of `page_size` accounts when it is needed. The
/// walk stops after the list's total or at an empty page.
///
/// Errors: Each step fails as `eiam_list_accounts` does, and with
/// `EIAM_STATUS_PROTOCOL_ERROR` when the service repeats a page (a walk that
/// would never end).
///
/// `account_type` NULL or empty means every type. Nothing is sent yet: each
/// `eiam_account_pager_next` fetches a page when it needs one. Free the pager
/// with `eiam_account_pager_free`.
///
/// # Safety
/// See the module's contract; `client` outlives the pager.
///
/// # Examples
///
/// ```c
/// struct eiam_account_pager *pager = NULL;
/// struct eiam_account_page page = {0};
/// struct eiam_error err = {0};
/// size_t seen = 0;
/// assert(eiam_account_pager_new(client, "paging-app", NULL, 100, &pager, &err) == EIAM_STATUS_OK);
/// while (eiam_account_pager_next(pager, &page, &err) == EIAM_STATUS_OK && page.len > 0) {
///     seen += page.len;
/// }
/// assert(err.status == EIAM_STATUS_OK && seen == 250);
/// eiam_account_page_clear(&page);
/// eiam_account_pager_free(pager);
/// ```
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

/// Updates account `account_id` of application `app_id`: `account_name` (which
/// the service requires) and the optional fields given; the others stay as they
/// are. Returns the account's id. Retried like a read (the same update twice
/// leaves the same account).
///
/// Errors: `EIAM_STATUS_INVALID_ARGUMENT` for an empty `app_id`, `account_id`
/// or `account_name`, before anything is sent; `EIAM_STATUS_API_ERROR` with
/// `APP.0001` (no such application), `APP.ACCOUNT.0028` (no such account) or
/// `APP.ORG.0024` (no such organization code).
///
/// `fields` may be NULL. On success `*out_account_id` is the account's id: free
/// it with `eiam_string_free`.
///
/// # Safety
/// See the module's contract.
///
/// # Examples
///
/// ```c
/// struct eiam_account_fields fields = {.name = "Team mailbox", .disabled = EIAM_BOOL_UNSET};
/// char *account_id = NULL;
/// struct eiam_error err = {0};
/// enum eiam_status status =
///     eiam_update_account(client, "demo-app", "pub-1", "pub-1", &fields, &account_id, &err);
/// assert(status == EIAM_STATUS_OK && strcmp(account_id, "pub-1") == 0);
/// eiam_string_free(account_id);
/// ```
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

/// Disables account `account_id` of application `app_id` and returns its id.
/// Retried like a read.
///
/// Errors: `EIAM_STATUS_INVALID_ARGUMENT` for an empty `app_id` or
/// `account_id`, before anything is sent; `EIAM_STATUS_API_ERROR` with
/// `APP.ACCOUNT.0028` (no such account).
///
/// On success `*out_account_id` is its id: free it with `eiam_string_free`.
///
/// # Safety
/// See the module's contract.
///
/// # Examples
///
/// ```c
/// char *account_id = NULL;
/// struct eiam_error err = {0};
/// enum eiam_status status = eiam_disable_account(client, "demo-app", "pub-1", &account_id, &err);
/// assert(status == EIAM_STATUS_OK && strcmp(account_id, "pub-1") == 0);
/// eiam_string_free(account_id);
/// ```
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

/// Enables account `account_id` of application `app_id` and returns its id.
/// Retried like a read.
///
/// Errors: As `eiam_disable_account`: `EIAM_STATUS_INVALID_ARGUMENT` for an
/// empty id; `EIAM_STATUS_API_ERROR` with `APP.ACCOUNT.0028` (no such account).
///
/// On success `*out_account_id` is its id: free it with `eiam_string_free`.
///
/// # Safety
/// See the module's contract.
///
/// # Examples
///
/// ```c
/// char *account_id = NULL;
/// struct eiam_error err = {0};
/// enum eiam_status status = eiam_enable_account(client, "demo-app", "pub-1", &account_id, &err);
/// assert(status == EIAM_STATUS_OK && strcmp(account_id, "pub-1") == 0);
/// eiam_string_free(account_id);
/// ```
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

/// Deletes account `account_id` (of any type) of application `app_id`. Retried
/// like a read: when an earlier attempt's answer was lost and the retry finds
/// no such account, that attempt deleted it and the call succeeds.
///
/// Errors: `EIAM_STATUS_INVALID_ARGUMENT` for an empty `app_id` or
/// `account_id`, before anything is sent; `EIAM_STATUS_API_ERROR` with
/// `APP.0001` (no such application) or `APP.ACCOUNT.0028` (no such account).
///
/// # Safety
/// See the module's contract.
///
/// # Examples
///
/// ```c
/// struct eiam_error err = {0};
/// assert(eiam_delete_account(client, "demo-app", "pub-2", &err) == EIAM_STATUS_OK);
/// assert(eiam_delete_account(client, "demo-app", "pub-2", &err) == EIAM_STATUS_API_ERROR);
/// assert(strcmp(err.code, "APP.ACCOUNT.0028") == 0);
/// eiam_error_clear(&err);
/// ```
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
