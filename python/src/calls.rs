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
    ($class:ty { $($own:tt)* }) => {
        #[::pyo3::pymethods]
        impl $class {
            $($own)*

            /// Fetches an access token now, so bad credentials fail early.
            fn authenticate(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                self.call(py, |c| c.authenticate())
            }

            /// Makes `user_name` the owner of public account `app_user_id` of
            /// application `app_id`; returns the account id.
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

            /// The owner of public account `app_user_id` of application `app_id`.
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

            /// Creates a public (shared) account; returns its account id. Not
            /// retried once the request may have reached the service.
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

            /// Creates a compliance (basic) account of user `user_id`; returns its
            /// account id. Retried as `create_public_account` is.
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

            /// Creates an orphan account (one with no user); returns its account
            /// id. Retried as `create_public_account` is.
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

            /// Gives the users named `user_names` (a sequence of str) access to
            /// public account `app_user_id`; returns the account id.
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

            /// Takes access to public account `app_user_id` away from the users
            /// named `user_names` (a sequence of str); returns the account id.
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

            /// One page (from 0) of the members of public account `app_user_id`;
            /// `page_size` is 10 to 100.
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

            /// The account `account_id` of application `app_id`.
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

            /// One page (from 0) of the accounts of application `app_id`, of one
            /// `account_type` or of every type; `page_size` is 10 to 100.
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

            /// Updates account `account_id`: `account_name` (which the service
            /// requires) and the fields given; the others stay as they are.
            /// Returns the account id.
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

            /// Disables account `account_id`; returns its id.
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

            /// Enables account `account_id`; returns its id.
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

            /// Deletes account `account_id` (of any type). Retried like a read: if
            /// an earlier attempt's answer was lost and the account is gone, that
            /// attempt deleted it, and the call succeeds.
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

            /// Any endpoint of the management API: `method path?query` with `json`
            /// as the body. `path` starts with `/api/` and is sent as given
            /// (percent-encoded); `query` is a mapping or a sequence of (name,
            /// value) pairs of str. Retried as the typed calls are when
            /// `idempotent` says so (by default GET, PUT and DELETE). Returns the
            /// decoded JSON answer, or None for an empty one; error answers raise
            /// the same exceptions as the typed calls.
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
