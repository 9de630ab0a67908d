//! The C ABI: `extern "C"` functions over opaque handles, with an error
//! struct filled on failure. `include/eiam.h` is generated from this module
//! by cbindgen (see `cbindgen.toml` and `tests/header.rs`).
//!
//! Rules every function here follows (its body is one
//! `ffi_boundary!`, in `src/ffi/boundary.rs`):
//! - a panic is caught and reported as `EIAM_STATUS_INTERNAL_ERROR`;
//! - a NULL pointer or a non-UTF-8 string is `EIAM_STATUS_INVALID_ARGUMENT`
//!   with a message naming the argument;
//! - out-parameters (`*out_client`, `*out_account_id`) are written only on
//!   success; a struct the library fills (`eiam_error`, `eiam_owner`,
//!   `eiam_bind_result`, `eiam_account`, the pages) must be zeroed or
//!   filled by the library, and a filled one is cleared first;
//! - everything the library allocates is released by its own NULL-safe
//!   function (`eiam_string_free`, `eiam_error_clear`, `eiam_owner_clear`,
//!   `eiam_bind_results_clear`, `eiam_account_clear`,
//!   `eiam_account_page_clear`, `eiam_account_user_page_clear`,
//!   `eiam_account_pager_free`, `eiam_account_user_pager_free`,
//!   `eiam_config_free`, `eiam_client_free`), never by `free()`.
//!
//! # Safety
//! One contract covers every `unsafe` function here, and every `unsafe`
//! operation in them relies on it: each pointer argument is NULL or valid
//! for what its type says (a live handle from this library, a
//! NUL-terminated string, an array of the given count, a struct that is
//! zeroed or was filled by this library), and stays so for the call.

mod accounts;
mod boundary;
mod bulk;
mod bulk_stream;
mod client;
mod config;
mod error;
mod request;
mod strings;
mod tasks;

pub use accounts::*;
pub use bulk::*;
pub use bulk_stream::*;
pub use client::*;
pub use config::*;
pub use error::*;
pub use request::*;
pub use strings::*;
pub use tasks::*;
