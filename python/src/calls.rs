//! The calls `eiam.Client` and `eiam.AsyncClient` share, written once:
//! each reads its Python arguments (the checks and messages of
//! `crate::args`) into a core call, which the class then runs its own way
//! (`Client::call` blocks; `AsyncClient::call` returns a coroutine).

use pyo3::prelude::*;
use serde_json::Value;

use crate::accounts::{Account, AccountUser, Page};
use crate::owner::Owner;

/// A core call's result, turned into its Python value (with the GIL).
pub trait Answer: Send + 'static {
    fn into_py(self, py: Python<'_>) -> PyResult<Py<PyAny>>;
}

impl Answer for String {
    fn into_py(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(pyo3::types::PyString::new(py, &self).into_any().unbind())
    }
}

impl Answer for () {
    fn into_py(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(py.None())
    }
}

impl Answer for eiam::Owner {
    fn into_py(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(Py::new(py, Owner::from(self))?.into_any())
    }
}

impl Answer for eiam::Account {
    fn into_py(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(Py::new(py, Account::from(self))?.into_any())
    }
}

impl Answer for eiam::AccountUser {
    fn into_py(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(Py::new(py, AccountUser::from(self))?.into_any())
    }
}

impl Answer for eiam::Page<eiam::Account> {
    fn into_py(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(Py::new(py, Page::new::<_, Account>(py, self)?)?.into_any())
    }
}

impl Answer for eiam::Page<eiam::AccountUser> {
    fn into_py(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(Py::new(py, Page::new::<_, AccountUser>(py, self)?)?.into_any())
    }
}

/// The raw request's answer: decoded JSON, or None for an empty body.
impl Answer for Option<Value> {
    fn into_py(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        crate::accounts::answer(py, self)
    }
}

/// `#[pymethods] impl $class { $own... the shared calls }`: pyo3 takes one
/// `#[pymethods]` block per class, so the class's own methods come in too.
/// `$class` has `fn call<T: Answer>(&self, py, work) -> PyResult<Py<PyAny>>`;
/// the expansion site has `pyo3::prelude::*` and `crate::args::Arg` in scope.
macro_rules! client_methods {
    ($class:ident { $($own:tt)* }) => {
        #[::pyo3::pymethods]
        impl $class {
            $($own)*

            /// Fetches an access token now (or reuses the cached one), so that
            /// bad credentials fail here rather than at the first call. With a
            /// static access token there is nothing to check and it returns at
            /// once.
            ///
            /// Errors: `AuthError` when the token endpoint refuses the client
            /// id and secret; `TransportError` or `TimeoutError` when it cannot
            /// be reached in time.
            #[doc = crate::examples::python_example!($class, authenticate)]
            fn authenticate(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                self.call(py, |c| c.authenticate())
            }

            /// Makes `user_name` the owner of public account `app_user_id` of
            /// application `app_id`, replacing any previous owner, and returns
            /// the public account's account id. Binding the same owner again is
            /// harmless, so the call is retried like a read.
            ///
            /// Errors: `InvalidArgumentError` for an empty `app_id`
            /// (`APP.0006`) or `app_user_id` (`APP.ACCOUNT.0047`), before
            /// anything is sent; `ApiError` with `APP.0001` (no such
            /// application) or `APP.ACCOUNT.0038` (no such public account).
            #[doc = crate::examples::python_example!($class, bind_public_account_owner)]
            fn bind_public_account_owner(
                &self,
                py: Python<'_>,
                app_id: &Bound<'_, PyAny>,
                app_user_id: &Bound<'_, PyAny>,
                user_name: &Bound<'_, PyAny>,
            ) -> PyResult<Py<PyAny>> {
                let (app_id, app_user_id) = (
                    crate::args::owned(app_id, "app_id")?,
                    crate::args::owned(app_user_id, "app_user_id")?,
                );
                let user_name = crate::args::owned(user_name, "user_name")?;
                self.call(py, move |c| {
                    c.bind_public_account_owner(&app_id, &app_user_id, &user_name)
                })
            }

            /// Returns the owner of public account `app_user_id` of application
            /// `app_id`: the user's id and name and whether the user is
            /// disabled.
            ///
            /// Errors: `InvalidArgumentError` for an empty `app_id`
            /// (`APP.0006`) or `app_user_id` (`APP.ACCOUNT.0047`), before
            /// anything is sent; `ApiError` with `APP.ACCOUNT.0038` (no such
            /// public account) or `APP.ACCOUNT.0037` (the account has no
            /// owner).
            #[doc = crate::examples::python_example!($class, get_public_account_owner)]
            fn get_public_account_owner(
                &self,
                py: Python<'_>,
                app_id: &Bound<'_, PyAny>,
                app_user_id: &Bound<'_, PyAny>,
            ) -> PyResult<Py<PyAny>> {
                let (app_id, app_user_id) = (
                    crate::args::owned(app_id, "app_id")?,
                    crate::args::owned(app_user_id, "app_user_id")?,
                );
                self.call(py, move |c| {
                    c.get_public_account_owner(&app_id, &app_user_id)
                })
            }

            /// Creates a public (shared) account named `account_name` in
            /// application `app_id`, with the optional fields given, and
            /// returns its account id. It is not retried once the request may
            /// have reached the service: a second create would make a second
            /// account.
            ///
            /// Errors: `InvalidArgumentError` for an empty `app_id`
            /// (`APP.0006`) or `account_name` (`APP.ACCOUNT.0001`), before
            /// anything is sent; `ApiError` with `APP.0001` (no such
            /// application) or `APP.ORG.0024` (no such organization code);
            /// `TransportError` or `TimeoutError` when the answer was lost, and
            /// then the account may exist (list the accounts to find out).
            #[doc = crate::examples::python_example!($class, create_public_account)]
            #[pyo3(
                signature = (
                    app_id, account_name, *, name=Arg::Missing, org_code=Arg::Missing,
                    password=Arg::Missing, disabled=Arg::Missing, extension=Arg::Missing,
                ),
                text_signature = "($self, app_id, account_name, *, name=None, org_code=None, \
                    password=None, disabled=None, extension=None)"
            )]
            #[allow(clippy::too_many_arguments)]
            fn create_public_account(
                &self,
                py: Python<'_>,
                app_id: &Bound<'_, PyAny>,
                account_name: &Bound<'_, PyAny>,
                name: Arg<'_>,
                org_code: Arg<'_>,
                password: Arg<'_>,
                disabled: Arg<'_>,
                extension: Arg<'_>,
            ) -> PyResult<Py<PyAny>> {
                let (app_id, account_name) = (
                    crate::args::owned(app_id, "app_id")?,
                    crate::args::owned(account_name, "account_name")?,
                );
                let fields = crate::accounts::fields(name, org_code, password, disabled, extension)?;
                self.call(py, move |c| {
                    c.create_public_account(&app_id, &account_name, &fields)
                })
            }

            /// Creates a compliance (basic) account of user `user_id` in
            /// application `app_id`, with the optional fields given, and
            /// returns its account id. Without an `account_name` the service
            /// names it after the user. Retried as `create_public_account` is.
            ///
            /// Errors: `InvalidArgumentError` for an empty `app_id`
            /// (`APP.0006`) or `user_id`, before anything is sent; `ApiError`
            /// with `APP.0001` (no such application), `USER.0001` (no such
            /// user) or `APP.ORG.0024` (no such organization code);
            /// `TransportError` or `TimeoutError` when the answer was lost, and
            /// then the account may exist.
            #[doc = crate::examples::python_example!($class, create_basic_account)]
            #[pyo3(
                signature = (
                    app_id, user_id, *, account_name=Arg::Missing, name=Arg::Missing,
                    org_code=Arg::Missing, password=Arg::Missing, disabled=Arg::Missing,
                    extension=Arg::Missing,
                ),
                text_signature = "($self, app_id, user_id, *, account_name=None, name=None, \
                    org_code=None, password=None, disabled=None, extension=None)"
            )]
            #[allow(clippy::too_many_arguments)]
            fn create_basic_account(
                &self,
                py: Python<'_>,
                app_id: &Bound<'_, PyAny>,
                user_id: &Bound<'_, PyAny>,
                account_name: Arg<'_>,
                name: Arg<'_>,
                org_code: Arg<'_>,
                password: Arg<'_>,
                disabled: Arg<'_>,
                extension: Arg<'_>,
            ) -> PyResult<Py<PyAny>> {
                let (app_id, user_id) = (
                    crate::args::owned(app_id, "app_id")?,
                    crate::args::owned(user_id, "user_id")?,
                );
                let account_name = account_name.opt_text("account_name")?;
                let fields = crate::accounts::fields(name, org_code, password, disabled, extension)?;
                self.call(py, move |c| {
                    c.create_basic_account(&app_id, &user_id, account_name.as_deref(), &fields)
                })
            }

            /// Creates an orphan account (one with no user) named
            /// `account_name` in application `app_id`, with the optional fields
            /// given, and returns its account id. Retried as
            /// `create_public_account` is.
            ///
            /// Errors: As `create_public_account`: `InvalidArgumentError` for
            /// an empty `app_id` or `account_name`; `ApiError` with `APP.0001`
            /// or `APP.ORG.0024`; `TransportError` or `TimeoutError` when the
            /// answer was lost, and then the account may exist.
            #[doc = crate::examples::python_example!($class, create_orphan_account)]
            #[pyo3(
                signature = (
                    app_id, account_name, *, name=Arg::Missing, org_code=Arg::Missing,
                    password=Arg::Missing, disabled=Arg::Missing, extension=Arg::Missing,
                ),
                text_signature = "($self, app_id, account_name, *, name=None, org_code=None, \
                    password=None, disabled=None, extension=None)"
            )]
            #[allow(clippy::too_many_arguments)]
            fn create_orphan_account(
                &self,
                py: Python<'_>,
                app_id: &Bound<'_, PyAny>,
                account_name: &Bound<'_, PyAny>,
                name: Arg<'_>,
                org_code: Arg<'_>,
                password: Arg<'_>,
                disabled: Arg<'_>,
                extension: Arg<'_>,
            ) -> PyResult<Py<PyAny>> {
                let (app_id, account_name) = (
                    crate::args::owned(app_id, "app_id")?,
                    crate::args::owned(account_name, "account_name")?,
                );
                let fields = crate::accounts::fields(name, org_code, password, disabled, extension)?;
                self.call(py, move |c| {
                    c.create_orphan_account(&app_id, &account_name, &fields)
                })
            }

            /// Gives the users named `user_names` access to public account
            /// `app_user_id` of application `app_id` and returns the account's
            /// id. Adding a member again is harmless, so the call is retried
            /// like a read.
            ///
            /// Errors: `InvalidArgumentError` for an empty `user_names`, an
            /// empty name in it, or an empty `app_id` or `app_user_id`, before
            /// anything is sent; `ApiError` with `APP.0001` (no such
            /// application) or `APP.ACCOUNT.0038` (no such public account).
            ///
            /// `user_names` is a sequence of str.
            #[doc = crate::examples::python_example!($class, add_public_account_users)]
            fn add_public_account_users(
                &self,
                py: Python<'_>,
                app_id: &Bound<'_, PyAny>,
                app_user_id: &Bound<'_, PyAny>,
                user_names: &Bound<'_, PyAny>,
            ) -> PyResult<Py<PyAny>> {
                let (app_id, app_user_id) = (
                    crate::args::owned(app_id, "app_id")?,
                    crate::args::owned(app_user_id, "app_user_id")?,
                );
                let user_names = crate::args::strings(user_names, "user_names")?;
                self.call(py, move |c| {
                    c.add_public_account_users(&app_id, &app_user_id, &user_names)
                })
            }

            /// Takes access to public account `app_user_id` of application
            /// `app_id` away from the users named `user_names` and returns the
            /// account's id. Retried like a read, as `add_public_account_users`
            /// is.
            ///
            /// Errors: As `add_public_account_users`: `InvalidArgumentError`
            /// for an empty `user_names` or id; `ApiError` with `APP.0001` or
            /// `APP.ACCOUNT.0038`.
            ///
            /// `user_names` is a sequence of str.
            #[doc = crate::examples::python_example!($class, remove_public_account_users)]
            fn remove_public_account_users(
                &self,
                py: Python<'_>,
                app_id: &Bound<'_, PyAny>,
                app_user_id: &Bound<'_, PyAny>,
                user_names: &Bound<'_, PyAny>,
            ) -> PyResult<Py<PyAny>> {
                let (app_id, app_user_id) = (
                    crate::args::owned(app_id, "app_id")?,
                    crate::args::owned(app_user_id, "app_user_id")?,
                );
                let user_names = crate::args::strings(user_names, "user_names")?;
                self.call(py, move |c| {
                    c.remove_public_account_users(&app_id, &app_user_id, &user_names)
                })
            }

            /// Returns one page of the members of public account `app_user_id`
            /// of application `app_id`: page `page` (from 0) of `page_size`
            /// users (10 to 100), with the list's total.
            ///
            /// Errors: `InvalidArgumentError` for a `page_size` outside 10 to
            /// 100 or an empty id, before anything is sent; `ApiError` with
            /// `APP.ACCOUNT.0038` (no such public account).
            #[doc = crate::examples::python_example!($class, list_public_account_users)]
            #[pyo3(
                signature = (app_id, app_user_id, *, page=Arg::Missing, page_size=Arg::Missing),
                text_signature = "($self, app_id, app_user_id, *, page=0, page_size=100)"
            )]
            fn list_public_account_users(
                &self,
                py: Python<'_>,
                app_id: &Bound<'_, PyAny>,
                app_user_id: &Bound<'_, PyAny>,
                page: Arg<'_>,
                page_size: Arg<'_>,
            ) -> PyResult<Py<PyAny>> {
                let (app_id, app_user_id) = (
                    crate::args::owned(app_id, "app_id")?,
                    crate::args::owned(app_user_id, "app_user_id")?,
                );
                let (page, page_size) = (
                    page.u32("page", 0)?,
                    page_size.u32("page_size", ::eiam::DEFAULT_PAGE_SIZE)?,
                );
                self.call(py, move |c| {
                    c.list_public_account_users(&app_id, &app_user_id, page, page_size)
                })
            }

            /// Returns account `account_id` of application `app_id`: its names,
            /// type, organization, state and custom attributes (`extension`).
            ///
            /// Errors: `InvalidArgumentError` for an empty `app_id`
            /// (`APP.0006`) or `account_id` (`APP.ACCOUNT.0047`), before
            /// anything is sent; `ApiError` with `APP.ACCOUNT.0028` (no such
            /// account).
            #[doc = crate::examples::python_example!($class, get_account)]
            fn get_account(
                &self,
                py: Python<'_>,
                app_id: &Bound<'_, PyAny>,
                account_id: &Bound<'_, PyAny>,
            ) -> PyResult<Py<PyAny>> {
                let (app_id, account_id) = (
                    crate::args::owned(app_id, "app_id")?,
                    crate::args::owned(account_id, "account_id")?,
                );
                self.call(py, move |c| c.get_account(&app_id, &account_id))
            }

            /// Returns one page of the accounts of application `app_id`, of one
            /// `account_type` (`BASIC_ACCOUNT`, `ORPHAN_ACCOUNT`,
            /// `PUBLIC_ACCOUNT`) or of every type: page `page` (from 0) of
            /// `page_size` accounts (10 to 100), with the list's total.
            ///
            /// Errors: `InvalidArgumentError` for a `page_size` outside 10 to
            /// 100, an empty `app_id`, or an unknown `account_type`
            /// (`APP.ACCOUNT.0045`), before anything is sent; `ApiError` with
            /// `APP.0001` (no such application).
            #[doc = crate::examples::python_example!($class, list_accounts)]
            #[pyo3(
                signature = (app_id, *, account_type=Arg::Missing, page=Arg::Missing, page_size=Arg::Missing),
                text_signature = "($self, app_id, *, account_type=None, page=0, page_size=100)"
            )]
            fn list_accounts(
                &self,
                py: Python<'_>,
                app_id: &Bound<'_, PyAny>,
                account_type: Arg<'_>,
                page: Arg<'_>,
                page_size: Arg<'_>,
            ) -> PyResult<Py<PyAny>> {
                let app_id = crate::args::owned(app_id, "app_id")?;
                let account_type = crate::accounts::account_type(py, &account_type)?;
                let (page, page_size) = (
                    page.u32("page", 0)?,
                    page_size.u32("page_size", ::eiam::DEFAULT_PAGE_SIZE)?,
                );
                self.call(py, move |c| {
                    c.list_accounts(&app_id, account_type, page, page_size)
                })
            }

            /// Updates account `account_id` of application `app_id`:
            /// `account_name` (which the service requires) and the optional
            /// fields given; the others stay as they are. Returns the account's
            /// id. Retried like a read (the same update twice leaves the same
            /// account).
            ///
            /// Errors: `InvalidArgumentError` for an empty `app_id`,
            /// `account_id` or `account_name`, before anything is sent;
            /// `ApiError` with `APP.0001` (no such application),
            /// `APP.ACCOUNT.0028` (no such account) or `APP.ORG.0024` (no such
            /// organization code).
            #[doc = crate::examples::python_example!($class, update_account)]
            #[pyo3(
                signature = (
                    app_id, account_id, account_name, *, name=Arg::Missing, org_code=Arg::Missing,
                    password=Arg::Missing, disabled=Arg::Missing, extension=Arg::Missing,
                ),
                text_signature = "($self, app_id, account_id, account_name, *, name=None, \
                    org_code=None, password=None, disabled=None, extension=None)"
            )]
            #[allow(clippy::too_many_arguments)]
            fn update_account(
                &self,
                py: Python<'_>,
                app_id: &Bound<'_, PyAny>,
                account_id: &Bound<'_, PyAny>,
                account_name: &Bound<'_, PyAny>,
                name: Arg<'_>,
                org_code: Arg<'_>,
                password: Arg<'_>,
                disabled: Arg<'_>,
                extension: Arg<'_>,
            ) -> PyResult<Py<PyAny>> {
                let (app_id, account_id) = (
                    crate::args::owned(app_id, "app_id")?,
                    crate::args::owned(account_id, "account_id")?,
                );
                let account_name = crate::args::owned(account_name, "account_name")?;
                let fields = crate::accounts::fields(name, org_code, password, disabled, extension)?;
                self.call(py, move |c| {
                    c.update_account(&app_id, &account_id, &account_name, &fields)
                })
            }

            /// Disables account `account_id` of application `app_id` and
            /// returns its id. Retried like a read.
            ///
            /// Errors: `InvalidArgumentError` for an empty `app_id` or
            /// `account_id`, before anything is sent; `ApiError` with
            /// `APP.ACCOUNT.0028` (no such account).
            #[doc = crate::examples::python_example!($class, disable_account)]
            fn disable_account(
                &self,
                py: Python<'_>,
                app_id: &Bound<'_, PyAny>,
                account_id: &Bound<'_, PyAny>,
            ) -> PyResult<Py<PyAny>> {
                let (app_id, account_id) = (
                    crate::args::owned(app_id, "app_id")?,
                    crate::args::owned(account_id, "account_id")?,
                );
                self.call(py, move |c| c.disable_account(&app_id, &account_id))
            }

            /// Enables account `account_id` of application `app_id` and returns
            /// its id. Retried like a read.
            ///
            /// Errors: As `disable_account`: `InvalidArgumentError` for an
            /// empty id; `ApiError` with `APP.ACCOUNT.0028` (no such account).
            #[doc = crate::examples::python_example!($class, enable_account)]
            fn enable_account(
                &self,
                py: Python<'_>,
                app_id: &Bound<'_, PyAny>,
                account_id: &Bound<'_, PyAny>,
            ) -> PyResult<Py<PyAny>> {
                let (app_id, account_id) = (
                    crate::args::owned(app_id, "app_id")?,
                    crate::args::owned(account_id, "account_id")?,
                );
                self.call(py, move |c| c.enable_account(&app_id, &account_id))
            }

            /// Deletes account `account_id` (of any type) of application
            /// `app_id`. Retried like a read: when an earlier attempt's answer
            /// was lost and the retry finds no such account, that attempt
            /// deleted it and the call succeeds.
            ///
            /// Errors: `InvalidArgumentError` for an empty `app_id` or
            /// `account_id`, before anything is sent; `ApiError` with
            /// `APP.0001` (no such application) or `APP.ACCOUNT.0028` (no such
            /// account).
            #[doc = crate::examples::python_example!($class, delete_account)]
            fn delete_account(
                &self,
                py: Python<'_>,
                app_id: &Bound<'_, PyAny>,
                account_id: &Bound<'_, PyAny>,
            ) -> PyResult<Py<PyAny>> {
                let (app_id, account_id) = (
                    crate::args::owned(app_id, "app_id")?,
                    crate::args::owned(account_id, "account_id")?,
                );
                self.call(py, move |c| c.delete_account(&app_id, &account_id))
            }

            /// Sends any management API request: `method` to `path` (relative
            /// to the base URL, starting with `/api/`, sent as given) with
            /// `query` pairs (encoded) and an optional JSON body, with the
            /// client's token, deadline, retries and errors. Returns the
            /// answer's JSON, or nothing for an empty answer. It is retried as
            /// a typed call is when `idempotent` says so (by default GET, PUT
            /// and DELETE are; POST and PATCH only when they certainly did not
            /// arrive).
            ///
            /// Errors: `InvalidArgumentError` for an unknown `method` or a
            /// `path` not under `/api/`, before anything is sent; `ApiError`
            /// with the service's code for an error answer (the values of
            /// `password` keys in the body are redacted from it);
            /// `ProtocolError` for an answer that is not JSON.
            ///
            /// `query` is a mapping or a sequence of (name, value) pairs of
            /// str, and `json` the body; the answer is the decoded JSON, or
            /// None for an empty one.
            #[doc = crate::examples::python_example!($class, request)]
            #[pyo3(
                signature = (method, path, *, query=Arg::Missing, json=Arg::Missing, idempotent=Arg::Missing),
                text_signature = "($self, method, path, *, query=None, json=None, idempotent=None)"
            )]
            fn request(
                &self,
                py: Python<'_>,
                method: &Bound<'_, PyAny>,
                path: &Bound<'_, PyAny>,
                query: Arg<'_>,
                json: Arg<'_>,
                idempotent: Arg<'_>,
            ) -> PyResult<Py<PyAny>> {
                let method: ::eiam::Method = crate::args::text(method, "method")?
                    .parse()
                    .map_err(|e| crate::errors::to_py(py, &e))?;
                let path = crate::args::owned(path, "path")?;
                let query = crate::accounts::query(&query)?;
                let body = json.opt_json("json")?;
                let idempotent = idempotent.opt_flag("idempotent")?;
                self.call(py, move |c| {
                    let query: Vec<(&str, &str)> = query
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect();
                    c.request(method, &path, &query, body.as_ref(), idempotent)
                })
            }
        }
    };
}
