//! `AuditFinding` (a frozen result) and the iterator of
//! `Client.audit_public_accounts`, over the core's audit.

use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple, PyType};

use crate::accounts::Walk;

/// One thing that needs attention on one public account (immutable,
/// hashable). `kind` is one of `eiam.FindingKind`'s values.
#[pyclass(module = "eiam", frozen, eq, hash)]
#[derive(PartialEq, Eq, Hash)]
pub struct AuditFinding {
    /// The application.
    #[pyo3(get)]
    app_id: String,
    /// The public account's id.
    #[pyo3(get)]
    account_id: String,
    /// The public account's name.
    #[pyo3(get)]
    account_name: String,
    kind: &'static str,
    user_names: Vec<String>,
}

#[pymethods]
impl AuditFinding {
    #[new]
    fn new(
        app_id: String,
        account_id: String,
        account_name: String,
        kind: &str,
        user_names: Vec<String>,
    ) -> PyResult<Self> {
        let kind = eiam::FindingKind::ALL
            .into_iter()
            .map(eiam::FindingKind::as_str)
            .find(|k| *k == kind)
            .ok_or_else(|| {
                pyo3::exceptions::PyValueError::new_err(format!(
                    "kind must be one of no_owner, disabled_owner, disabled_members, no_members; got {kind:?}"
                ))
            })?;
        Ok(AuditFinding {
            app_id,
            account_id,
            account_name,
            kind,
            user_names,
        })
    }

    /// What is wrong, as an `eiam.FindingKind` (a `str`).
    #[getter]
    fn kind<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        PyModule::import(py, "eiam")?
            .getattr("FindingKind")?
            .call1((self.kind,))
    }

    /// The users concerned: the disabled owner, or the disabled members;
    /// empty for the other kinds.
    #[getter]
    fn user_names<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.user_names)
    }

    /// Pickling (every protocol) and `copy`.
    #[allow(clippy::type_complexity)]
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> (
        Bound<'py, PyType>,
        (String, String, String, &'static str, Vec<String>),
    ) {
        let f = slf.get();
        (
            slf.get_type(),
            (
                f.app_id.clone(),
                f.account_id.clone(),
                f.account_name.clone(),
                f.kind,
                f.user_names.clone(),
            ),
        )
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let names: Vec<String> = self
            .user_names
            .iter()
            .map(|n| Ok(PyString::new(py, n).repr()?.to_string()))
            .collect::<PyResult<_>>()?;
        Ok(format!(
            "AuditFinding(app_id={}, account_id={}, account_name={}, kind={}, user_names=({}{}))",
            PyString::new(py, &self.app_id).repr()?,
            PyString::new(py, &self.account_id).repr()?,
            PyString::new(py, &self.account_name).repr()?,
            PyString::new(py, self.kind).repr()?,
            names.join(", "),
            if names.len() == 1 { "," } else { "" }
        ))
    }
}

impl From<eiam::Finding> for AuditFinding {
    fn from(f: eiam::Finding) -> Self {
        AuditFinding {
            app_id: f.app_id,
            account_id: f.account_id,
            account_name: f.account_name,
            kind: f.kind.as_str(),
            user_names: f.user_names,
        }
    }
}

/// The findings of an audit, fetched account by account as the iterator
/// is read; usable from any thread.
#[pyclass(module = "eiam", frozen)]
pub struct AuditIterator(pub Walk<eiam::Finding>);

#[pymethods]
impl AuditIterator {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<AuditFinding>> {
        Ok(self.0.next(py)?.map(AuditFinding::from))
    }
}
