//! `eiam_config`: the builder C callers fill before creating a client.

use std::ffi::c_char;
use std::time::Duration;

use super::error::{drop_box, run, EiamError, EiamStatus};
use super::strings::borrow_str;
use crate::config::{
    check_client_id, proxy_is_valid, require_header_safe, validate_base_url, Config, ConfigBuilder,
    MAX_HEADER_VALUE_LEN,
};
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

/// Applies `change` to the configuration behind `cfg`.
///
/// # Safety
/// `cfg` is NULL or a live `eiam_config`; `err` as for every function.
unsafe fn configure(
    cfg: *mut EiamConfig,
    err: *mut EiamError,
    change: impl FnOnce(&mut EiamConfig) -> Result<()>,
) -> EiamStatus {
    // SAFETY: per the caller's contract.
    unsafe {
        run(err, || {
            let cfg = cfg
                .as_mut()
                .ok_or_else(|| Error::invalid_argument("cfg is NULL"))?;
            change(cfg)
        })
    }
}

/// Creates an empty configuration (defaults: 30 s deadline, 10 s connect
/// timeout, 2 retries, platform trust store). Returns NULL only if memory
/// is exhausted.
#[no_mangle]
pub extern "C" fn eiam_config_new() -> *mut EiamConfig {
    std::panic::catch_unwind(|| {
        Box::into_raw(Box::new(EiamConfig {
            builder: Some(Config::builder("")),
        }))
    })
    .unwrap_or(std::ptr::null_mut())
}

/// Frees a configuration. NULL is ignored.
///
/// # Safety
/// `cfg` is NULL or a configuration from `eiam_config_new` not yet freed.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_free(cfg: *mut EiamConfig) {
    // SAFETY: allocated by `eiam_config_new`, per the caller's contract.
    unsafe { drop_box(cfg) }
}

/// Sets the tenant's base URL (`https://acme.idaas.example.com`, optionally
/// with a path prefix). `http://` is accepted only for loopback hosts unless
/// `eiam_config_set_allow_insecure_http` allows it; that is checked by
/// `eiam_client_new`.
///
/// # Safety
/// Pointers are NULL or valid; strings are NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_base_url(
    cfg: *mut EiamConfig,
    base_url: *const c_char,
    err: *mut EiamError,
) -> EiamStatus {
    // SAFETY: per the caller's contract.
    unsafe {
        configure(cfg, err, |cfg| {
            let url = borrow_str(base_url, "base_url")?;
            validate_base_url(url, true)?;
            cfg.update(|b| b.base_url(url))
        })
    }
}

/// Authenticates with client credentials; the client fetches, caches and
/// renews tokens. The secret is copied, and wiped when the config is freed.
/// Each must be non-blank, at most 8192 bytes, without control characters;
/// `client_id` must not contain ':'.
///
/// # Safety
/// Pointers are NULL or valid; strings are NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_client_credentials(
    cfg: *mut EiamConfig,
    client_id: *const c_char,
    client_secret: *const c_char,
    err: *mut EiamError,
) -> EiamStatus {
    // SAFETY: per the caller's contract.
    unsafe {
        configure(cfg, err, |cfg| {
            let id = borrow_str(client_id, "client_id")?;
            let secret = borrow_str(client_secret, "client_secret")?;
            check_client_id(id)?;
            require_header_safe("client_secret", secret)?;
            cfg.update(|b| b.client_credentials(id, secret))
        })
    }
}

/// Authenticates with a token obtained elsewhere (never renewed). It must
/// be non-blank, at most 8192 bytes, without control characters.
///
/// # Safety
/// Pointers are NULL or valid; strings are NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_access_token(
    cfg: *mut EiamConfig,
    access_token: *const c_char,
    err: *mut EiamError,
) -> EiamStatus {
    // SAFETY: per the caller's contract.
    unsafe {
        configure(cfg, err, |cfg| {
            let token = borrow_str(access_token, "access_token")?;
            require_header_safe("access_token", token)?;
            cfg.update(|b| b.access_token(token))
        })
    }
}

fn positive_ms(name: &str, ms: u64) -> Result<Duration> {
    if ms == 0 {
        return Err(Error::invalid_argument(format!(
            "{name} must be greater than zero"
        )));
    }
    Ok(Duration::from_millis(ms))
}

/// Sets the overall deadline of one call, token fetch and retries included
/// (default 30000 ms). Must be greater than zero.
///
/// # Safety
/// Pointers are NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_timeout_ms(
    cfg: *mut EiamConfig,
    timeout_ms: u64,
    err: *mut EiamError,
) -> EiamStatus {
    // SAFETY: per the caller's contract.
    unsafe {
        configure(cfg, err, |cfg| {
            let timeout = positive_ms("timeout_ms", timeout_ms)?;
            cfg.update(|b| b.timeout(timeout))
        })
    }
}

/// Sets the time allowed to establish a connection (default 10000 ms).
///
/// # Safety
/// Pointers are NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_connect_timeout_ms(
    cfg: *mut EiamConfig,
    timeout_ms: u64,
    err: *mut EiamError,
) -> EiamStatus {
    // SAFETY: per the caller's contract.
    unsafe {
        configure(cfg, err, |cfg| {
            let timeout = positive_ms("timeout_ms", timeout_ms)?;
            cfg.update(|b| b.connect_timeout(timeout))
        })
    }
}

/// Sets how many times a call is retried after transport failures and
/// 429/502/503/504 answers (default 2; 0 turns retries off).
///
/// # Safety
/// Pointers are NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_max_retries(
    cfg: *mut EiamConfig,
    max_retries: u32,
    err: *mut EiamError,
) -> EiamStatus {
    // SAFETY: per the caller's contract.
    unsafe { configure(cfg, err, |cfg| cfg.update(|b| b.max_retries(max_retries))) }
}

/// Trusts the CA certificates in this PEM file in addition to the platform
/// store (see `eiam_config_set_use_platform_roots` to trust only the file).
///
/// # Safety
/// Pointers are NULL or valid; strings are NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_ca_file(
    cfg: *mut EiamConfig,
    pem_path: *const c_char,
    err: *mut EiamError,
) -> EiamStatus {
    // SAFETY: per the caller's contract.
    unsafe {
        configure(cfg, err, |cfg| {
            let path = borrow_str(pem_path, "pem_path")?;
            if path.is_empty() {
                return Err(Error::invalid_argument("pem_path is empty"));
            }
            cfg.update(|b| b.ca_file(path))
        })
    }
}

/// Whether the platform trust store is used (default true). With false,
/// only the file given to `eiam_config_set_ca_file` is trusted.
///
/// # Safety
/// Pointers are NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_use_platform_roots(
    cfg: *mut EiamConfig,
    use_them: bool,
    err: *mut EiamError,
) -> EiamStatus {
    // SAFETY: per the caller's contract.
    unsafe {
        configure(cfg, err, |cfg| {
            cfg.update(|b| b.use_platform_roots(use_them))
        })
    }
}

/// Sends every request through this HTTP proxy (`http://host:port`).
/// Without it, `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` and `NO_PROXY` apply.
///
/// # Safety
/// Pointers are NULL or valid; strings are NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_proxy(
    cfg: *mut EiamConfig,
    proxy_url: *const c_char,
    err: *mut EiamError,
) -> EiamStatus {
    // SAFETY: per the caller's contract.
    unsafe {
        configure(cfg, err, |cfg| {
            let proxy = borrow_str(proxy_url, "proxy_url")?;
            if !proxy_is_valid(proxy) {
                return Err(Error::invalid_argument(
                    "proxy_url is not a valid proxy URL",
                ));
            }
            cfg.update(|b| b.proxy(proxy))
        })
    }
}

/// Allows `http://` base URLs to hosts other than loopback (default false):
/// tokens and secrets then cross the network in clear text.
///
/// # Safety
/// Pointers are NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_allow_insecure_http(
    cfg: *mut EiamConfig,
    allow: bool,
    err: *mut EiamError,
) -> EiamStatus {
    // SAFETY: per the caller's contract.
    unsafe { configure(cfg, err, |cfg| cfg.update(|b| b.allow_insecure_http(allow))) }
}

/// DANGER: turns TLS certificate and host name verification off (default
/// false). Anyone on the network path can then read and change the traffic,
/// tokens included. For throwaway test set-ups only.
///
/// # Safety
/// Pointers are NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_danger_accept_invalid_certs(
    cfg: *mut EiamConfig,
    accept: bool,
    err: *mut EiamError,
) -> EiamStatus {
    // SAFETY: per the caller's contract.
    unsafe {
        configure(cfg, err, |cfg| {
            cfg.update(|b| b.danger_accept_invalid_certs(accept))
        })
    }
}

/// Puts a product token (`"provisioner/2.1"`) before `eiam/<version>` in
/// the `User-Agent` header. An empty or blank product means none; at most
/// 8192 bytes, without control characters.
///
/// # Safety
/// Pointers are NULL or valid; strings are NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn eiam_config_set_user_agent(
    cfg: *mut EiamConfig,
    product: *const c_char,
    err: *mut EiamError,
) -> EiamStatus {
    // SAFETY: per the caller's contract.
    unsafe {
        configure(cfg, err, |cfg| {
            let product = borrow_str(product, "product")?;
            if product.chars().any(char::is_control) {
                return Err(Error::invalid_argument(
                    "product contains control characters",
                ));
            }
            if product.len() > MAX_HEADER_VALUE_LEN {
                return Err(Error::invalid_argument(format!(
                    "product is longer than {MAX_HEADER_VALUE_LEN} bytes"
                )));
            }
            cfg.update(|b| b.user_agent(product))
        })
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::{CStr, CString};

    use super::*;

    /// Runs `set` on a fresh config and returns its status and message.
    fn outcome(
        set: impl FnOnce(*mut EiamConfig, *mut EiamError) -> EiamStatus,
    ) -> (EiamStatus, String) {
        let cfg = eiam_config_new();
        let mut err = EiamError {
            status: EiamStatus::Ok,
            http_status: 0,
            code: std::ptr::null_mut(),
            message: std::ptr::null_mut(),
        };
        let status = set(cfg, &mut err);
        // SAFETY: filled by the library; freed once below.
        let message = unsafe { err.message.as_ref() }
            .map(|m| unsafe { CStr::from_ptr(m) }.to_string_lossy().into_owned())
            .unwrap_or_default();
        // SAFETY: ours, freed once.
        unsafe {
            super::super::error::eiam_error_clear(&mut err);
            eiam_config_free(cfg);
        }
        (status, message)
    }

    #[test]
    fn credentials_are_checked_by_the_setters() {
        let huge = CString::new("x".repeat(MAX_HEADER_VALUE_LEN + 1)).unwrap();
        let good = CString::new("ok").unwrap();
        for bad in [
            CString::new("").unwrap(),
            CString::new("  ").unwrap(),
            CString::new("a\r\nb").unwrap(),
            huge,
        ] {
            // SAFETY: valid NUL-terminated strings and a live config.
            let cases = [
                (
                    "client_id",
                    outcome(|c, e| unsafe {
                        eiam_config_set_client_credentials(c, bad.as_ptr(), good.as_ptr(), e)
                    }),
                ),
                (
                    "client_secret",
                    outcome(|c, e| unsafe {
                        eiam_config_set_client_credentials(c, good.as_ptr(), bad.as_ptr(), e)
                    }),
                ),
                (
                    "access_token",
                    outcome(|c, e| unsafe { eiam_config_set_access_token(c, bad.as_ptr(), e) }),
                ),
            ];
            for (name, (status, message)) in cases {
                assert_eq!(status, EiamStatus::InvalidArgument, "{name} <- {bad:?}");
                assert!(message.starts_with(name), "{message}");
            }
        }
    }

    #[test]
    fn products_and_proxies_are_checked_by_the_setters() {
        let huge = CString::new("x".repeat(MAX_HEADER_VALUE_LEN + 1)).unwrap();
        // SAFETY: valid NUL-terminated strings and a live config.
        let (status, message) =
            outcome(|c, e| unsafe { eiam_config_set_user_agent(c, huge.as_ptr(), e) });
        assert_eq!(status, EiamStatus::InvalidArgument);
        assert!(message.starts_with("product is longer"), "{message}");
        for dots in [c".", c".."] {
            // SAFETY: as above.
            let (status, message) =
                outcome(|c, e| unsafe { eiam_config_set_proxy(c, dots.as_ptr(), e) });
            assert_eq!(status, EiamStatus::InvalidArgument, "{dots:?}");
            assert!(message.contains("proxy_url"), "{message}");
        }
        // A blank product means none.
        // SAFETY: as above.
        let (status, _) =
            outcome(|c, e| unsafe { eiam_config_set_user_agent(c, c"  ".as_ptr(), e) });
        assert_eq!(status, EiamStatus::Ok);
    }
}
