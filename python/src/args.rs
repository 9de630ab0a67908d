//! Reading string arguments with errors that name the parameter.

use std::borrow::Cow;

use eiam::{Error, ErrorKind};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::errors::to_py;

/// `value` as text: `TypeError` naming `name` for anything but `str`, and
/// `InvalidArgumentError` for a `str` that is not valid Unicode text (lone
/// surrogates cannot be sent).
pub fn text<'a>(value: &'a Bound<'_, PyAny>, name: &str) -> PyResult<Cow<'a, str>> {
    let string = value.cast::<PyString>().map_err(|_| {
        let type_name = value
            .get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| "?".into());
        PyTypeError::new_err(format!("{name} must be str, not {type_name}"))
    })?;
    string.to_cow().map_err(|_| {
        to_py(
            value.py(),
            &Error::new(
                ErrorKind::InvalidArgument,
                format!("{name} is not valid Unicode text (it contains a lone surrogate)"),
            ),
        )
    })
}
