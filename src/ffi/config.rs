//! `eiam_config`: the builder C callers fill before creating a client.
//! Each setter forwards its value to the core's `ConfigBuilder`, whose
//! `build` (run by `eiam_client_new`) is the one place that checks them.

use std::ffi::c_char;
use std::time::Duration;

use super::boundary::{c_mut, c_str, ffi_boundary};
use super::error::{drop_box, EiamError, EiamStatus};
use crate::config::{Config, ConfigBuilder};
use crate::error::{Error, Result};

/// A client configuration being built. Use it from one thread at a time;
/// free it with `eiam_config_free` (a client made from it does not need it).
pub struct EiamConfig {
    builder: Option<ConfigBuilder>,
}

impl EiamConfig {
    pub(crate) fn build(&self) -> Result<Config> {
        self.builder
            .clone()
            .ok_or_else(|| Error::internal("configuration was left unusable by a panic"))?
            .build()
    }

    fn update(&mut self, change: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Result<()> {
        let builder = self
            .builder
            .take()
            .ok_or_else(|| Error::internal("configuration was left unusable by a panic"))?;
        self.builder = Some(change(builder));
        Ok(())
    }
}

/// Creates an empty configuration (defaults: 30 s deadline, 10 s connect
/// timeout, 2 retries, platform trust store). Returns NULL only if memory
/// is exhausted.
#[no_mangle]
pub extern "C" fn eiam_config_new() -> *mut EiamConfig {
    ffi_boundary!(fallback std::ptr::null_mut() => {
        Box::into_raw(Box::new(EiamConfig {
            builder: Some(Config::builder("")),
        }))
    })
}

/// Frees a configuration. NULL is ignored.
///
/// # Safety
/// See the module's contract: `cfg` is NULL or a configuration from
/// `eiam_config_new` not yet freed.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_free(cfg: *mut EiamConfig) {
    drop_box(cfg)
}

/// Sets the tenant's base URL (`https://acme.idaas.example.com`, optionally
/// with a path prefix). `http://` is accepted only for loopback hosts unless
/// `eiam_config_set_allow_insecure_http` allows it.
///
/// Like every setter, it only records the value: `eiam_client_new` checks
/// the whole configuration and names the setting that is wrong.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_base_url(
    cfg: *mut EiamConfig,
    base_url: *const c_char,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let base_url = c_str!(base_url);
        c_mut!(cfg).update(|b| b.base_url(base_url))
    })
}

/// Authenticates with client credentials; the client fetches, caches and
/// renews tokens. The same as `eiam_config_set_client_id` and
/// `eiam_config_set_client_secret` together.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_client_credentials(
    cfg: *mut EiamConfig,
    client_id: *const c_char,
    client_secret: *const c_char,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let (id, secret) = (c_str!(client_id), c_str!(client_secret));
        c_mut!(cfg).update(|b| b.client_credentials(id, secret))
    })
}

/// The application's client id (non-blank, at most 8192 bytes, no control
/// characters or ':'); needs `eiam_config_set_client_secret` too.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_client_id(
    cfg: *mut EiamConfig,
    client_id: *const c_char,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let client_id = c_str!(client_id);
        c_mut!(cfg).update(|b| b.client_id(client_id))
    })
}

/// The application's client secret (non-blank, at most 8192 bytes, no
/// control characters); copied, and wiped when the config is freed.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_client_secret(
    cfg: *mut EiamConfig,
    client_secret: *const c_char,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let client_secret = c_str!(client_secret);
        c_mut!(cfg).update(|b| b.client_secret(client_secret))
    })
}

/// Authenticates with a token obtained elsewhere (never renewed): non-blank,
/// at most 8192 bytes, without control characters.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_access_token(
    cfg: *mut EiamConfig,
    access_token: *const c_char,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let access_token = c_str!(access_token);
        c_mut!(cfg).update(|b| b.access_token(access_token))
    })
}

/// Sets the overall deadline of one call, token fetch and retries included
/// (default 30000 ms; more than 0 and at most 86400000).
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_timeout_ms(
    cfg: *mut EiamConfig,
    timeout_ms: u64,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        c_mut!(cfg).update(|b| b.timeout(Duration::from_millis(timeout_ms)))
    })
}

/// Sets the time allowed to establish a connection (default 10000 ms; more
/// than 0 and at most 86400000).
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_connect_timeout_ms(
    cfg: *mut EiamConfig,
    timeout_ms: u64,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        c_mut!(cfg).update(|b| b.connect_timeout(Duration::from_millis(timeout_ms)))
    })
}

/// Sets how many times a call is retried after transport failures and
/// 429/502/503/504 answers (default 2; 0 turns retries off).
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_max_retries(
    cfg: *mut EiamConfig,
    max_retries: u32,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => { c_mut!(cfg).update(|b| b.max_retries(max_retries)) })
}

/// Sets the most threads that run this client's `eiam_call_async` calls,
/// which is how many of them are in flight at once (default
/// `EIAM_DEFAULT_ASYNC_WORKERS`, 1 to `EIAM_MAX_ASYNC_WORKERS`; checked by
/// `eiam_client_new`).
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_async_workers(
    cfg: *mut EiamConfig,
    async_workers: u32,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => { c_mut!(cfg).update(|b| b.async_workers(async_workers)) })
}

/// Trusts the CA certificates in this PEM file in addition to the platform
/// store (see `eiam_config_set_use_platform_roots` to trust only the file).
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_ca_file(
    cfg: *mut EiamConfig,
    ca_file: *const c_char,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let ca_file = c_str!(ca_file);
        c_mut!(cfg).update(|b| b.ca_file(ca_file))
    })
}

/// Whether the platform trust store is used (default true). With false,
/// only the file given to `eiam_config_set_ca_file` is trusted.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_use_platform_roots(
    cfg: *mut EiamConfig,
    use_platform_roots: bool,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => { c_mut!(cfg).update(|b| b.use_platform_roots(use_platform_roots)) })
}

/// Sends every request through this HTTP(S) proxy (`http://host:port`).
/// Without it, `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` and `NO_PROXY` apply
/// (never to a loopback base URL). SOCKS proxies are refused.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_proxy(
    cfg: *mut EiamConfig,
    proxy: *const c_char,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let proxy = c_str!(proxy);
        c_mut!(cfg).update(|b| b.proxy(proxy))
    })
}

/// Allows `http://` base URLs to hosts other than loopback (default false):
/// tokens and secrets then cross the network in clear text.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_allow_insecure_http(
    cfg: *mut EiamConfig,
    allow_insecure_http: bool,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => { c_mut!(cfg).update(|b| b.allow_insecure_http(allow_insecure_http)) })
}

/// DANGER: turns TLS certificate and host name verification off (default
/// false). Anyone on the network path can then read and change the traffic,
/// tokens included. For throwaway test set-ups only.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_danger_accept_invalid_certs(
    cfg: *mut EiamConfig,
    danger_accept_invalid_certs: bool,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        c_mut!(cfg).update(|b| b.danger_accept_invalid_certs(danger_accept_invalid_certs))
    })
}

/// Puts a product token (`"provisioner/2.1"`) before `eiam/<version>` in
/// the `User-Agent` header. An empty or blank product means none; at most
/// 8192 bytes, without control characters.
///
/// # Safety
/// See the module's contract.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_user_agent(
    cfg: *mut EiamConfig,
    user_agent: *const c_char,
    err: *mut EiamError,
) -> EiamStatus {
    ffi_boundary!(err => {
        let user_agent = c_str!(user_agent);
        c_mut!(cfg).update(|b| b.user_agent(user_agent))
    })
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;

    use super::super::client::{eiam_client_free, eiam_client_new, EiamClient};
    use super::super::error::eiam_error_clear;
    use super::*;

    #[test]
    fn setters_record_and_the_client_names_what_is_wrong() {
        let cfg = eiam_config_new();
        let mut err = EiamError::zeroed();
        let mut client: *mut EiamClient = std::ptr::null_mut();
        // SAFETY: a live config, valid strings and out-parameters.
        unsafe {
            assert_eq!(
                eiam_config_set_base_url(cfg, c"https://h".as_ptr(), &mut err),
                EiamStatus::Ok
            );
            assert_eq!(
                eiam_config_set_client_id(cfg, c"id:x".as_ptr(), &mut err),
                EiamStatus::Ok
            );
            assert_eq!(
                eiam_config_set_client_secret(cfg, c"s".as_ptr(), &mut err),
                EiamStatus::Ok
            );
            assert_eq!(
                eiam_client_new(cfg, &mut client, &mut err),
                EiamStatus::InvalidArgument
            );
            assert!(client.is_null(), "written only on success");
            let message = CStr::from_ptr(err.message).to_str().unwrap();
            assert_eq!(message, "client_id must not contain ':'");
            assert_eq!(
                eiam_config_set_client_id(cfg, c"id".as_ptr(), &mut err),
                EiamStatus::Ok
            );
            assert_eq!(eiam_client_new(cfg, &mut client, &mut err), EiamStatus::Ok);
            eiam_client_free(client);
            eiam_error_clear(&mut err);
            eiam_config_free(cfg);
        }
    }
}
