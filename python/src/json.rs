//! JSON values between Python and the core: an account's `extension` and
//! the raw request's body and answer. Objects keep their key order both
//! ways (the core builds serde_json with `preserve_order`).

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

use crate::args::{text, type_name};

/// Deeper nesting is refused: it is what a list that contains itself
/// looks like, and serde_json reads no deeper either.
const MAX_DEPTH: usize = 128;

/// How much of a key an error message shows.
const KEY_SHOWN: usize = 40;

/// `value` as JSON: None, bool, int (64 bits), finite float, str, and
/// dict (str keys), list and tuple of those. Anything else is a
/// `TypeError`, and a value JSON cannot hold (NaN, an int past 64 bits) a
/// `ValueError`, both naming where in `name` it is
/// (`extension["a"][0]`).
pub fn to_json(value: &Bound<'_, PyAny>, name: &str) -> PyResult<Value> {
    convert(value, &mut name.to_owned(), 0)
}

/// An object (a `dict`) as JSON; `TypeError` naming `name` for anything
/// else.
pub fn to_json_object(value: &Bound<'_, PyAny>, name: &str) -> PyResult<Map<String, Value>> {
    if !value.is_instance_of::<PyDict>() {
        return Err(PyTypeError::new_err(format!(
            "{name} must be dict or None, not {}",
            type_name(value)
        )));
    }
    match to_json(value, name)? {
        Value::Object(map) => Ok(map),
        _ => unreachable!("a dict converts to an object"),
    }
}

fn convert(value: &Bound<'_, PyAny>, path: &mut String, depth: usize) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(PyValueError::new_err(format!(
            "{path} is nested more than {MAX_DEPTH} levels deep (does it contain itself?)"
        )));
    }
    if value.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(flag) = value.cast::<PyBool>() {
        return Ok(Value::Bool(flag.is_true()));
    }
    if let Ok(int) = value.cast::<PyInt>() {
        return int
            .extract::<i64>()
            .map(Number::from)
            .or_else(|_| int.extract::<u64>().map(Number::from))
            .map(Value::Number)
            .map_err(|_| {
                PyValueError::new_err(format!("{path} is an int too large for JSON (64 bits)"))
            });
    }
    if let Ok(float) = value.cast::<PyFloat>() {
        let f = float.value();
        return Number::from_f64(f).map(Value::Number).ok_or_else(|| {
            PyValueError::new_err(format!("{path} is {f}, which JSON cannot represent"))
        });
    }
    if value.is_instance_of::<PyString>() {
        return Ok(Value::String(text(value, path)?.into_owned()));
    }
    let base = path.len();
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut map = Map::with_capacity(dict.len());
        for (key, item) in dict.iter() {
            if !key.is_instance_of::<PyString>() {
                return Err(PyTypeError::new_err(format!(
                    "{path} has a key of type {}: JSON keys are str",
                    type_name(&key)
                )));
            }
            let key = text(&key, &format!("a key of {path}"))?.into_owned();
            let shown: String = key.chars().take(KEY_SHOWN).collect();
            let more = if shown.len() < key.len() { "..." } else { "" };
            path.push_str(&format!("[{shown:?}{more}]"));
            let item = convert(&item, path, depth + 1)?;
            path.truncate(base);
            map.insert(key, item);
        }
        return Ok(Value::Object(map));
    }
    let items = if let Ok(list) = value.cast::<PyList>() {
        list.iter().collect::<Vec<_>>()
    } else if let Ok(tuple) = value.cast::<PyTuple>() {
        tuple.iter().collect()
    } else {
        return Err(PyTypeError::new_err(format!(
            "{path} must be JSON data (dict, list, tuple, str, int, float, bool or None), not {}",
            type_name(value)
        )));
    };
    let mut array = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        path.push_str(&format!("[{index}]"));
        array.push(convert(item, path, depth + 1)?);
        path.truncate(base);
    }
    Ok(Value::Array(array))
}

/// A JSON value as Python data: objects become dicts (in the order
/// received), arrays lists.
pub fn to_python<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            _ => PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any(),
        },
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_python(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => object_to_python(py, map)?.into_any(),
    })
}

/// A JSON object as a new `dict`.
pub fn object_to_python<'py>(
    py: Python<'py>,
    map: &Map<String, Value>,
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (key, item) in map {
        dict.set_item(key, to_python(py, item)?)?;
    }
    Ok(dict)
}
