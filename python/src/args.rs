//! Reading arguments with errors that name the parameter.
//!
//! pyo3's own extraction errors say only "'None' is not an instance of
//! 'str'" and name the parameter in an exception note, which Python before
//! 3.11 never shows. So the classes take their arguments as [`Arg`] (any
//! object, or "not given") and read them here: a wrong type is a
//! `TypeError` such as "app_id must be str, not NoneType" on every Python.

use std::borrow::Cow;
use std::path::PathBuf;
use std::time::Duration;

use eiam::{Error, ErrorKind};
use pyo3::exceptions::{PyTypeError, PyUnicodeEncodeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyFloat, PyInt, PySequence, PyString};
use serde_json::{Map, Value};

use crate::errors::to_py;

/// An argument as passed: any object, or `Missing` when the caller left it
/// out (the parameter's default applies). Unlike `Option`, an explicit
/// `None` is kept, so `timeout=None` is an error rather than the default.
pub enum Arg<'py> {
    Missing,
    Given(Bound<'py, PyAny>),
}

impl<'a, 'py> FromPyObject<'a, 'py> for Arg<'py> {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        Ok(Arg::Given(obj.to_owned()))
    }
}

pub fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

pub fn wrong_type(name: &str, expected: &str, value: &Bound<'_, PyAny>) -> PyErr {
    PyTypeError::new_err(format!(
        "{name} must be {expected}, not {}",
        type_name(value)
    ))
}

/// `InvalidArgumentError` (a `ValueError`) for a value of the right type.
pub fn invalid(py: Python<'_>, message: String) -> PyErr {
    to_py(py, &Error::new(ErrorKind::InvalidArgument, message))
}

/// `value` as text: `TypeError` naming `name` for anything but `str`, and
/// `InvalidArgumentError` for a `str` that is not valid Unicode text (lone
/// surrogates cannot be sent).
pub fn text<'a>(value: &'a Bound<'_, PyAny>, name: &str) -> PyResult<Cow<'a, str>> {
    let string = value
        .cast::<PyString>()
        .map_err(|_| wrong_type(name, "str", value))?;
    string
        .to_cow()
        .map_err(|_| to_py(value.py(), &not_unicode(name)))
}

/// [`text`], owned: for values that go to another thread with the call.
pub fn owned(value: &Bound<'_, PyAny>, name: &str) -> PyResult<String> {
    text(value, name).map(Cow::into_owned)
}

/// A sequence (list, tuple, ...) of `str`. A bare `str` is refused: it is
/// a sequence of characters, and sending each as a name is never meant.
pub fn strings(value: &Bound<'_, PyAny>, name: &str) -> PyResult<Vec<String>> {
    let expected = "a sequence of str";
    if value.is_instance_of::<PyString>() || value.is_instance_of::<PyBytes>() {
        return Err(wrong_type(
            name,
            &format!("{expected} (a list or tuple)"),
            value,
        ));
    }
    let sequence = value
        .cast::<PySequence>()
        .map_err(|_| wrong_type(name, expected, value))?;
    (0..sequence.len()?)
        .map(|i| owned(&sequence.get_item(i)?, &format!("{name}[{i}]")))
        .collect()
}

/// Why a `str` holding a lone surrogate cannot be sent.
pub fn not_unicode(name: &str) -> Error {
    Error::new(
        ErrorKind::InvalidArgument,
        format!("{name} is not valid Unicode text (it contains a lone surrogate)"),
    )
}

impl<'py> Arg<'py> {
    /// The object, unless it was left out or is `None`.
    pub fn value(&self) -> Option<&Bound<'py, PyAny>> {
        match self {
            Arg::Given(value) if !value.is_none() => Some(value),
            _ => None,
        }
    }

    /// The object if given (`None` included).
    fn given(&self) -> Option<&Bound<'py, PyAny>> {
        match self {
            Arg::Given(value) => Some(value),
            Arg::Missing => None,
        }
    }

    /// A required `str`.
    pub fn text(&self, name: &str) -> PyResult<String> {
        match self.given() {
            Some(value) => Ok(text(value, name)?.into_owned()),
            None => Err(PyTypeError::new_err(format!("missing argument: {name}"))),
        }
    }

    /// An optional `str`: left out or `None` is `None`.
    pub fn opt_text(&self, name: &str) -> PyResult<Option<String>> {
        match self.value() {
            Some(value) if !value.is_instance_of::<PyString>() => {
                Err(wrong_type(name, "str or None", value))
            }
            Some(value) => Ok(Some(text(value, name)?.into_owned())),
            None => Ok(None),
        }
    }

    /// A `str` with a default.
    pub fn text_or(&self, name: &str, default: &str) -> PyResult<String> {
        match self {
            Arg::Missing => Ok(default.to_owned()),
            Arg::Given(_) => self.text(name),
        }
    }

    /// A number of seconds (`int` or `float`, not `bool`), or `default`.
    pub fn seconds(&self, name: &str, default: f64) -> PyResult<f64> {
        match self.given() {
            None => Ok(default),
            Some(value) => number(value, name),
        }
    }

    /// A number of seconds as a `Duration`, or `default`. Only the type is
    /// checked here: a value no `Duration` holds becomes one the core's
    /// `ConfigBuilder::build` refuses with its own message (NaN, zero or
    /// less as zero, anything too large as `Duration::MAX`).
    pub fn duration(&self, name: &str, default: Duration) -> PyResult<Duration> {
        let Some(value) = self.given() else {
            return Ok(default);
        };
        let seconds = match number(value, name) {
            Ok(seconds) => seconds,
            Err(e) if e.is_instance_of::<PyTypeError>(value.py()) => return Err(e),
            // An int too large for a float; its sign says which end.
            Err(_) if value.gt(0)? => f64::INFINITY,
            Err(_) => 0.0,
        };
        Ok(if seconds > 0.0 {
            Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX)
        } else {
            Duration::ZERO
        })
    }

    /// An optional number of seconds: left out or `None` is `None`.
    pub fn opt_seconds(&self, name: &str) -> PyResult<Option<f64>> {
        self.value().map(|value| number(value, name)).transpose()
    }

    /// An `int` (not `bool`), or `default`.
    pub fn integer(&self, name: &str, default: i64) -> PyResult<i64> {
        match self.given() {
            None => Ok(default),
            Some(value) if value.is_instance_of::<PyBool>() => Err(wrong_type(name, "int", value)),
            Some(value) => value
                .cast::<PyInt>()
                .map_err(|_| wrong_type(name, "int", value))?
                .extract::<i64>()
                .map_err(|_| invalid(value.py(), format!("{name} is out of range"))),
        }
    }

    /// An `int` (not `bool`) from 0 to `u32::MAX`, or `default`. The core
    /// takes a `u32`, so it never sees a value outside that range: this
    /// is the one place that can refuse it.
    pub fn u32(&self, name: &str, default: u32) -> PyResult<u32> {
        match self.given() {
            None => Ok(default),
            Some(value) if value.is_instance_of::<PyBool>() => Err(wrong_type(name, "int", value)),
            Some(value) => {
                let int = value
                    .cast::<PyInt>()
                    .map_err(|_| wrong_type(name, "int", value))?;
                int.extract::<u32>().map_err(|_| {
                    // Echoed only if short: an int can have any number of digits.
                    let got = int
                        .extract::<i64>()
                        .map(|n| format!(", got {n}"))
                        .unwrap_or_default();
                    invalid(
                        value.py(),
                        format!("{name} must be between 0 and {}{got}", u32::MAX),
                    )
                })
            }
        }
    }

    /// A `bool`, or `default`.
    pub fn flag(&self, name: &str, default: bool) -> PyResult<bool> {
        match self.given() {
            None => Ok(default),
            Some(value) => Ok(value
                .cast::<PyBool>()
                .map_err(|_| wrong_type(name, "bool", value))?
                .is_true()),
        }
    }

    /// An optional `bool`: left out or `None` is `None`.
    pub fn opt_flag(&self, name: &str) -> PyResult<Option<bool>> {
        self.value()
            .map(|value| {
                Ok(value
                    .cast::<PyBool>()
                    .map_err(|_| wrong_type(name, "bool or None", value))?
                    .is_true())
            })
            .transpose()
    }

    /// An optional JSON object (a `dict`): left out or `None` is `None`.
    pub fn opt_object(&self, name: &str) -> PyResult<Option<Map<String, Value>>> {
        self.value()
            .map(|value| crate::json::to_json_object(value, name))
            .transpose()
    }

    /// Any JSON data: left out or `None` is `None` (no body).
    pub fn opt_json(&self, name: &str) -> PyResult<Option<Value>> {
        self.value()
            .map(|value| crate::json::to_json(value, name))
            .transpose()
    }

    /// An optional file path (`str` or `os.PathLike`): left out or `None`
    /// is `None`. A path the file system encoding cannot represent (a lone
    /// surrogate outside `surrogateescape`'s range) is an
    /// `InvalidArgumentError` naming `name`, not a bare `UnicodeEncodeError`.
    pub fn opt_path(&self, name: &str) -> PyResult<Option<PathBuf>> {
        self.value()
            .map(|value| {
                if !value.is_instance_of::<PyString>() && !value.hasattr("__fspath__")? {
                    return Err(wrong_type(name, "str, os.PathLike or None", value));
                }
                value.extract::<PathBuf>().map_err(|e| {
                    if e.is_instance_of::<PyUnicodeEncodeError>(value.py()) {
                        invalid(
                            value.py(),
                            format!(
                                "{name} is not a valid file path (it contains a lone surrogate)"
                            ),
                        )
                    } else {
                        e
                    }
                })
            })
            .transpose()
    }

    /// An optional callable: left out or `None` is `None`.
    pub fn opt_callable(&self, name: &str) -> PyResult<Option<Py<PyAny>>> {
        match self.value() {
            Some(value) if !value.is_callable() => Err(wrong_type(name, "callable or None", value)),
            Some(value) => Ok(Some(value.clone().unbind())),
            None => Ok(None),
        }
    }
}

/// A number of seconds (`int` or `float`, not `bool`).
pub fn number(value: &Bound<'_, PyAny>, name: &str) -> PyResult<f64> {
    let is_number = !value.is_instance_of::<PyBool>()
        && (value.is_instance_of::<PyFloat>() || value.is_instance_of::<PyInt>());
    if !is_number {
        return Err(wrong_type(
            name,
            "a number of seconds (int or float)",
            value,
        ));
    }
    value
        .extract::<f64>()
        .map_err(|_| invalid(value.py(), format!("{name} is out of range")))
}
