//! `Owner` and `BindResult`: immutable result objects.

use pyo3::prelude::*;
use pyo3::types::{PyModule, PyString, PyType};

/// The owner of a public account.
#[pyclass(module = "eiam", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Owner {
    /// The owner's user id.
    #[pyo3(get)]
    pub user_id: String,
    /// The owner's user name.
    #[pyo3(get)]
    pub user_name: String,
    /// Whether the owner's user is disabled.
    #[pyo3(get)]
    pub disabled: bool,
}

#[pymethods]
impl Owner {
    #[new]
    fn new(user_id: String, user_name: String, disabled: bool) -> Self {
        Owner {
            user_id,
            user_name,
            disabled,
        }
    }

    /// Pickling (every protocol) and `copy`, e.g. for multiprocessing.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> (Bound<'py, PyType>, (String, String, bool)) {
        let o = slf.get();
        (
            slf.get_type(),
            (o.user_id.clone(), o.user_name.clone(), o.disabled),
        )
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Owner(user_id={}, user_name={}, disabled={})",
            PyString::new(py, &self.user_id).repr()?,
            PyString::new(py, &self.user_name).repr()?,
            if self.disabled { "True" } else { "False" }
        ))
    }
}

impl From<eiam::Owner> for Owner {
    fn from(o: eiam::Owner) -> Self {
        Owner {
            user_id: o.user_id,
            user_name: o.user_name,
            disabled: o.disabled,
        }
    }
}

/// `BindResult`'s fields, in `_bind_result`'s order.
type Fields = (Option<String>, Option<Py<PyAny>>);

/// The outcome of one item of a bulk bind.
#[pyclass(module = "eiam", frozen)]
pub struct BindResult {
    /// The public account's account id, or None if the item failed.
    #[pyo3(get)]
    pub account_id: Option<String>,
    /// The item's exception (an `EiamError`), or None if it succeeded.
    #[pyo3(get)]
    pub error: Option<Py<PyAny>>,
}

impl BindResult {
    /// An item's outcome as the core reported it.
    pub fn new(py: Python<'_>, result: Result<String, eiam::Error>) -> PyResult<Self> {
        Ok(match result {
            Ok(account_id) => BindResult {
                account_id: Some(account_id),
                error: None,
            },
            Err(e) => BindResult {
                account_id: None,
                error: Some(crate::errors::exception(py, &e)?.unbind()),
            },
        })
    }
}

#[pymethods]
impl BindResult {
    /// True if the item succeeded.
    #[getter]
    fn ok(&self) -> bool {
        self.error.is_none()
    }

    /// Pickling (every protocol) and `copy`: `multiprocessing.Pool.map`
    /// sends results back this way. There is no public constructor, so a
    /// private function rebuilds it.
    fn __reduce__(&self, py: Python<'_>) -> PyResult<(Py<PyAny>, Fields)> {
        let rebuild = PyModule::import(py, "eiam._eiam")?.getattr("_bind_result")?;
        Ok((
            rebuild.unbind(),
            (
                self.account_id.clone(),
                self.error.as_ref().map(|e| e.clone_ref(py)),
            ),
        ))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(match (&self.account_id, &self.error) {
            (Some(id), _) => format!(
                "BindResult(ok=True, account_id={})",
                PyString::new(py, id).repr()?
            ),
            (None, Some(e)) => format!("BindResult(ok=False, error={})", e.bind(py).repr()?),
            (None, None) => "BindResult(ok=False)".to_owned(),
        })
    }
}

/// Rebuilds a `BindResult` from its `__reduce__` (private: no public
/// constructor, since a result comes only from a bulk job).
#[pyfunction]
pub fn _bind_result(account_id: Option<String>, error: Option<Py<PyAny>>) -> BindResult {
    BindResult { account_id, error }
}
