//! # eiam
//!
//! Client SDK for the EIAM (Employee Identity) management API of Bamboo
//! Cloud IDaaS (and the near-identical Huawei OneAccess API): it gets and
//! caches the access token, calls the API, retries what is safe to retry
//! and turns every failure into a typed [`Error`].
//!
//! ```no_run
//! use eiam::{Client, Config};
//!
//! # fn main() -> Result<(), eiam::Error> {
//! let config = Config::builder("https://acme.idaas.example.com")
//!     .client_credentials("my-client-id", "my-client-secret")
//!     .build()?;
//! let client = Client::new(config)?;
//! let account_id = client.bind_public_account_owner("app1", "pub-1", "zhangsan")?;
//! let owner = client.get_public_account_owner("app1", "pub-1")?;
//! println!("{account_id} is owned by {} ({})", owner.user_name, owner.user_id);
//! # Ok(())
//! # }
//! ```
//!
//! The C ABI lives in [`ffi`]; `include/eiam.h` is generated from it.

#![deny(missing_docs)]

mod accounts;
mod audit;
mod bulk;
mod cancel;
mod client;
mod config;
mod deadline;
// Only the C ABI runs calls by name.
#[cfg(feature = "ffi")]
mod dispatch;
mod error;
mod executor;
#[cfg(feature = "ffi")]
pub mod ffi;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod interruptible;
mod owner;
mod paging;
mod path;
mod per_process;
mod request;
mod resolve;
mod response;
mod retry;
mod secret;
mod tls;
mod token;
mod transport;

pub use accounts::{Account, AccountFields, AccountType, AccountUser, NO_SUCH_ACCOUNT};
pub use audit::{Audit, Finding, FindingKind};
pub use bulk::{
    run_bulk, AsBindItem, BindItem, Finished, JobSummary, Progress, DEFAULT_CONCURRENCY,
    MAX_CONCURRENCY,
};
pub use cancel::{while_watching, CancelToken};
pub use client::Client;
pub use config::{
    Auth, Config, ConfigBuilder, DEFAULT_ASYNC_WORKERS, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, MAX_ASYNC_WORKERS, MAX_TIMEOUT,
};
pub use error::{Error, ErrorKind, Result};
pub use executor::Task;
pub use owner::Owner;
pub use paging::{Items, Page, Pages, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MIN_PAGE_SIZE};
pub use path::MAX_ID_LEN;
pub use secret::Secret;
pub use transport::Method;

/// The crate's version, as sent in the `User-Agent`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
