//! The account family's types: `Account`, `AccountUser`, `Page` (frozen
//! results) and the lazy iterators over a list's pages, plus reading the
//! arguments the account calls share.

use std::iter::Peekable;
use std::sync::{Arc, Mutex, PoisonError};

use eiam::{AccountFields, Items, Secret};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple, PyType};
use pyo3::BoundObject;
use serde_json::Value;

use crate::args::{text, Arg};
use crate::errors::{detached, to_py};
use crate::handle::Slot;
use crate::interrupt;
use crate::json::{object_to_python, to_json_object};

/// `value`'s Python `repr`.
fn repr<'py>(py: Python<'py>, value: impl IntoPyObject<'py>) -> PyResult<String> {
    let value = value.into_pyobject(py).map_err(Into::into)?;
    Ok(value.into_bound().into_any().repr()?.to_string())
}

/// The optional fields of a create or an update. The password goes
/// straight into a [`Secret`], which never shows it and wipes it when the
/// call is done.
pub fn fields(
    name: Arg<'_>,
    org_code: Arg<'_>,
    password: Arg<'_>,
    disabled: Arg<'_>,
    extension: Arg<'_>,
) -> PyResult<AccountFields> {
    Ok(AccountFields {
        name: name.opt_text("name")?,
        org_code: org_code.opt_text("org_code")?,
        password: password.opt_text("password")?.map(Secret::from),
        disabled: disabled.opt_flag("disabled")?,
        extension: extension.opt_object("extension")?,
    })
}

/// `account_type`: None, or one of the service's names as `str` (an
/// `eiam.AccountType` member is one); the core refuses any other name
/// with `APP.ACCOUNT.0045`.
pub fn account_type(py: Python<'_>, arg: &Arg<'_>) -> PyResult<Option<eiam::AccountType>> {
    let Some(value) = arg.value() else {
        return Ok(None);
    };
    if !value.is_instance_of::<pyo3::types::PyString>() {
        return Err(crate::args::wrong_type(
            "account_type",
            "str, eiam.AccountType or None",
            value,
        ));
    }
    text(value, "account_type")?
        .parse()
        .map(Some)
        .map_err(|e| to_py(py, &e))
}

/// An application account (immutable). Compared by value; unhashable, as
/// it holds a dict.
#[pyclass(module = "eiam", frozen, eq)]
#[derive(PartialEq)]
pub struct Account(eiam::Account);

#[pymethods]
impl Account {
    #[new]
    fn new(
        id: String,
        account_name: String,
        name: Option<String>,
        org_id: Option<String>,
        account_type: String,
        disabled: bool,
        extension: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        Ok(Account(eiam::Account {
            id,
            account_name,
            name,
            org_id,
            account_type,
            disabled,
            extension: to_json_object(extension, "extension")?,
        }))
    }

    /// The account's id: the `account_id` of every call on it.
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }

    /// The login name in the application.
    #[getter]
    fn account_name(&self) -> &str {
        &self.0.account_name
    }

    /// The display name, or None.
    #[getter]
    fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }

    /// The application organization's id, or None.
    #[getter]
    fn org_id(&self) -> Option<&str> {
        self.0.org_id.as_deref()
    }

    /// `"BASIC_ACCOUNT"`, `"ORPHAN_ACCOUNT"` or `"PUBLIC_ACCOUNT"`, as the
    /// service sent it.
    #[getter]
    fn account_type(&self) -> &str {
        &self.0.account_type
    }

    /// Whether the account is disabled.
    #[getter]
    fn disabled(&self) -> bool {
        self.0.disabled
    }

    /// Custom attributes as the service sent them: a new dict on every
    /// read, so changing it leaves the account as it is.
    #[getter]
    fn extension<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        object_to_python(py, &self.0.extension)
    }

    /// Pickling (every protocol) and `copy`.
    #[allow(clippy::type_complexity)]
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(
        Bound<'py, PyType>,
        (
            String,
            String,
            Option<String>,
            Option<String>,
            String,
            bool,
            Bound<'py, PyDict>,
        ),
    )> {
        let a = &slf.get().0;
        Ok((
            slf.get_type(),
            (
                a.id.clone(),
                a.account_name.clone(),
                a.name.clone(),
                a.org_id.clone(),
                a.account_type.clone(),
                a.disabled,
                object_to_python(slf.py(), &a.extension)?,
            ),
        ))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let a = &self.0;
        Ok(format!(
            "Account(id={}, account_name={}, name={}, org_id={}, account_type={}, disabled={}, extension={})",
            repr(py, &a.id)?,
            repr(py, &a.account_name)?,
            repr(py, &a.name)?,
            repr(py, &a.org_id)?,
            repr(py, &a.account_type)?,
            repr(py, a.disabled)?,
            repr(py, object_to_python(py, &a.extension)?)?,
        ))
    }
}

impl From<eiam::Account> for Account {
    fn from(a: eiam::Account) -> Self {
        Account(a)
    }
}

/// A member of a public account (immutable, hashable).
#[pyclass(module = "eiam", frozen, eq, hash)]
#[derive(PartialEq, Eq, Hash)]
pub struct AccountUser(eiam::AccountUser);

#[pymethods]
impl AccountUser {
    #[new]
    fn new(id: String, user_name: String, disabled: bool) -> Self {
        AccountUser(eiam::AccountUser {
            id,
            user_name,
            disabled,
        })
    }

    /// The user's id.
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }

    /// The user's name.
    #[getter]
    fn user_name(&self) -> &str {
        &self.0.user_name
    }

    /// Whether the user is disabled.
    #[getter]
    fn disabled(&self) -> bool {
        self.0.disabled
    }

    /// Pickling (every protocol) and `copy`.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> (Bound<'py, PyType>, (String, String, bool)) {
        let u = &slf.get().0;
        (
            slf.get_type(),
            (u.id.clone(), u.user_name.clone(), u.disabled),
        )
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let u = &self.0;
        Ok(format!(
            "AccountUser(id={}, user_name={}, disabled={})",
            repr(py, &u.id)?,
            repr(py, &u.user_name)?,
            repr(py, u.disabled)?,
        ))
    }
}

impl From<eiam::AccountUser> for AccountUser {
    fn from(u: eiam::AccountUser) -> Self {
        AccountUser(u)
    }
}

/// One page of a list (immutable): `items` (a tuple), the list's `total`
/// as the service counts it, and this page's number (from 0). Compared by
/// value; hashable when its items are.
#[pyclass(module = "eiam", frozen)]
pub struct Page {
    items: Py<PyTuple>,
    total: u64,
    page: u32,
}

impl Page {
    /// A core page, its items turned into `P` (`Account`, `AccountUser`).
    pub fn new<T, P>(py: Python<'_>, page: eiam::Page<T>) -> PyResult<Self>
    where
        P: From<T> + pyo3::PyClass + Into<PyClassInitializer<P>>,
    {
        let items = page
            .items
            .into_iter()
            .map(|item| Bound::new(py, P::from(item)))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(Page {
            items: PyTuple::new(py, items)?.unbind(),
            total: page.total,
            page: page.page,
        })
    }

    /// What `==` and `hash` look at.
    fn key<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(
            py,
            [
                self.items.bind(py).clone().into_any(),
                self.total.into_pyobject(py)?.into_any(),
                self.page.into_pyobject(py)?.into_any(),
            ],
        )
    }
}

#[pymethods]
impl Page {
    #[new]
    fn py_new(py: Python<'_>, items: &Bound<'_, PyAny>, total: u64, page: u32) -> PyResult<Self> {
        let items = items
            .try_iter()
            .map_err(|_| crate::args::wrong_type("items", "iterable", items))?
            .collect::<PyResult<Vec<_>>>()?;
        Ok(Page {
            items: PyTuple::new(py, items)?.unbind(),
            total,
            page,
        })
    }

    /// This page's items.
    #[getter]
    fn items(&self, py: Python<'_>) -> Py<PyTuple> {
        self.items.clone_ref(py)
    }

    /// How many items the whole list has.
    #[getter]
    fn total(&self) -> u64 {
        self.total
    }

    /// This page's number, from 0.
    #[getter]
    fn page(&self) -> u32 {
        self.page
    }

    /// `eiam.Page[eiam.Account]` in annotations.
    #[classmethod]
    fn __class_getitem__<'py>(
        cls: &Bound<'py, PyType>,
        item: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        Ok(pyo3::types::PyGenericAlias::new(cls.py(), cls.as_any(), item)?.into_any())
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        match other.cast::<Page>() {
            Ok(other) => {
                let equal = self.key(py)?.eq(other.get().key(py)?)?;
                Ok(equal.into_pyobject(py)?.to_owned().into_any().unbind())
            }
            Err(_) => Ok(py.NotImplemented()),
        }
    }

    /// The hash of `(items, total, page)`: a `TypeError` when an item is
    /// unhashable (an `Account`, which holds a dict).
    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        self.key(py)?.hash()
    }

    /// Pickling (every protocol) and `copy`.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> (Bound<'py, PyType>, (Py<PyTuple>, u64, u32)) {
        let p = slf.get();
        (
            slf.get_type(),
            (p.items.clone_ref(slf.py()), p.total, p.page),
        )
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Page(items={}, total={}, page={})",
            self.items.bind(py).repr()?,
            self.total,
            self.page
        ))
    }
}

/// A walk over a list's items: the core's [`Items`] (which owns the
/// stopping rules), shared so that a fetch abandoned by Ctrl-C keeps its
/// page for the next call, and so that any thread may go on with it.
pub struct Walk<T> {
    /// The client it came from: a closed client fetches nothing.
    slot: Slot,
    items: Arc<Mutex<Peekable<Lazy<T>>>>,
}

/// The core's lazy sequences: a list's [`Items`], the findings of an audit.
type Lazy<T> = Box<dyn Iterator<Item = eiam::Result<T>> + Send>;

impl<T: Send + 'static> Walk<T> {
    pub fn new(slot: Slot, items: impl Iterator<Item = eiam::Result<T>> + Send + 'static) -> Self {
        Walk {
            slot,
            items: Arc::new(Mutex::new((Box::new(items) as Lazy<T>).peekable())),
        }
    }

    /// The next item, fetching its page first if needed (without the
    /// GIL, and on the main thread interruptible by Ctrl-C).
    pub fn next(&self, py: Python<'_>) -> PyResult<Option<T>> {
        self.slot.open(py)?;
        let items = self.items.clone();
        // The fetch leaves its result in the iterator: if Ctrl-C abandons
        // this wait, the next call finds the page there (so it must not be
        // cancelled, which would leave a cancellation there).
        interrupt::call_to_completion(py, move || {
            items.lock().unwrap_or_else(PoisonError::into_inner).peek();
            Ok(())
        })?;
        // Mostly the item just fetched; another thread may have taken it,
        // so this may fetch again: still without the GIL.
        detached(py, || {
            self.items
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .next()
                .transpose()
        })
    }
}

macro_rules! iterator {
    ($name:ident, $core:ty, $item:ty, $doc:literal) => {
        #[doc = $doc]
        #[pyclass(module = "eiam", frozen)]
        pub struct $name(pub Walk<$core>);

        #[pymethods]
        impl $name {
            fn __iter__(slf: Py<Self>) -> Py<Self> {
                slf
            }

            fn __next__(&self, py: Python<'_>) -> PyResult<Option<$item>> {
                Ok(self.0.next(py)?.map(<$item>::from))
            }
        }
    };
}

iterator!(
    AccountIterator,
    eiam::Account,
    Account,
    "Every account of a list, fetched a page at a time as needed; usable from any thread."
);
iterator!(
    AccountUserIterator,
    eiam::AccountUser,
    AccountUser,
    "Every member of a public account, fetched a page at a time as needed; usable from any thread."
);

/// A walk read from its arguments, started on a core client.
pub type StartWalk<T> = Box<dyn FnOnce(&eiam::Client) -> Items<T> + Send>;

/// `iter_accounts`' arguments.
pub fn accounts_walk(
    py: Python<'_>,
    app_id: &Bound<'_, PyAny>,
    account_type: Arg<'_>,
    page_size: Arg<'_>,
) -> PyResult<StartWalk<eiam::Account>> {
    let app_id = text(app_id, "app_id")?.into_owned();
    let account_type = self::account_type(py, &account_type)?;
    let page_size = page_size.u32("page_size", eiam::DEFAULT_PAGE_SIZE)?;
    Ok(Box::new(move |c| {
        c.iter_accounts(&app_id, account_type, page_size)
    }))
}

/// `iter_public_account_users`' arguments.
pub fn account_users_walk(
    app_id: &Bound<'_, PyAny>,
    app_user_id: &Bound<'_, PyAny>,
    page_size: Arg<'_>,
) -> PyResult<StartWalk<eiam::AccountUser>> {
    let app_id = text(app_id, "app_id")?.into_owned();
    let app_user_id = text(app_user_id, "app_user_id")?.into_owned();
    let page_size = page_size.u32("page_size", eiam::DEFAULT_PAGE_SIZE)?;
    Ok(Box::new(move |c| {
        c.iter_public_account_users(&app_id, &app_user_id, page_size)
    }))
}

/// `query` of the raw request: a mapping, or a sequence of `(name, value)`
/// pairs, of `str`.
pub fn query(arg: &Arg<'_>) -> PyResult<Vec<(String, String)>> {
    let Some(value) = arg.value() else {
        return Ok(Vec::new());
    };
    let pairs = if let Ok(mapping) = value.cast::<pyo3::types::PyMapping>() {
        mapping.items()?.into_any()
    } else {
        value.clone()
    };
    let not_pairs = || {
        PyTypeError::new_err(format!(
            "query must be a mapping or a sequence of (name, value) pairs of str, not {}",
            crate::args::type_name(value)
        ))
    };
    if value.is_instance_of::<pyo3::types::PyString>() {
        return Err(not_pairs());
    }
    let mut out = Vec::new();
    for (index, pair) in pairs.try_iter().map_err(|_| not_pairs())?.enumerate() {
        let pair = pair?;
        let fields = pair
            .cast::<pyo3::types::PySequence>()
            .ok()
            .filter(|_| !pair.is_instance_of::<pyo3::types::PyString>())
            .filter(|seq| seq.len().ok() == Some(2))
            .ok_or_else(|| {
                PyTypeError::new_err(format!(
                    "query[{index}] must be a (name, value) pair of str, got {}",
                    crate::args::type_name(&pair)
                ))
            })?;
        out.push((
            crate::args::owned(&fields.get_item(0)?, &format!("query[{index}] name"))?,
            crate::args::owned(&fields.get_item(1)?, &format!("query[{index}] value"))?,
        ));
    }
    Ok(out)
}

/// The raw request's answer: decoded JSON, or None for an empty body.
pub fn answer(py: Python<'_>, value: Option<Value>) -> PyResult<Py<PyAny>> {
    Ok(match value {
        Some(value) => crate::json::to_python(py, &value)?.unbind(),
        None => py.None(),
    })
}
