//! The C ABI: `extern "C"` functions over opaque handles, with an error
//! struct filled on failure. `include/eiam.h` is generated from this module
//! by cbindgen (see `cbindgen.toml` and `tests/header.rs`).
//!
//! Rules every function here follows:
//! - a panic is caught and reported as `EIAM_STATUS_INTERNAL_ERROR`;
//! - a NULL pointer or a non-UTF-8 string is `EIAM_STATUS_INVALID_ARGUMENT`
//!   with a message naming the argument;
//! - everything the library allocates is released by its own function
//!   (`eiam_string_free`, `eiam_error_clear`, `eiam_owner_clear`,
//!   `eiam_config_free`, `eiam_client_free`), never by `free()`.

mod bulk;
mod client;
mod config;
mod error;
mod strings;

pub use bulk::*;
pub use client::*;
pub use config::*;
pub use error::*;
pub use strings::*;
