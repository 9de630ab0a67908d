//! Strings across the boundary: borrowing the caller's, handing out ours.

use std::ffi::{c_char, CStr, CString};

use super::boundary::ffi_boundary;
use crate::error::{Error, Result};

/// Borrows a caller's NUL-terminated UTF-8 string, naming the argument in
/// the error when it is NULL or not UTF-8 (see `c_str!`).
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that outlives `'a`.
pub(crate) unsafe fn borrow_str<'a>(ptr: *const c_char, name: &str) -> Result<&'a str> {
    if ptr.is_null() {
        return Err(Error::invalid_argument(format!("{name} is NULL")));
    }
    CStr::from_ptr(ptr)
        .to_str()
        .map_err(|_| Error::invalid_argument(format!("{name} is not valid UTF-8")))
}

/// As [`borrow_str`], but NULL is `None` (an optional argument left out).
///
/// # Safety
/// As [`borrow_str`].
pub(crate) unsafe fn borrow_opt_str<'a>(ptr: *const c_char, name: &str) -> Result<Option<&'a str>> {
    if ptr.is_null() {
        return Ok(None);
    }
    borrow_str(ptr, name).map(Some)
}

/// Hands an optional string to C: NULL for `None`.
pub(crate) fn to_c_opt(s: Option<&str>) -> *mut c_char {
    s.map_or(std::ptr::null_mut(), to_c)
}

/// Hands a string to C. Interior NULs (possible in a server's message)
/// are dropped rather than truncating the text or failing the call.
pub(crate) fn to_c(s: &str) -> *mut c_char {
    // Room for the NUL too, so that `CString::new` does not reallocate.
    let mut bytes = Vec::with_capacity(s.len() + 1);
    if s.as_bytes().contains(&0) {
        bytes.extend(s.bytes().filter(|&b| b != 0));
    } else {
        bytes.extend_from_slice(s.as_bytes());
    }
    CString::new(bytes)
        .expect("interior NULs were removed")
        .into_raw()
}

/// Frees a string returned by the library (an account id, for instance).
/// NULL is ignored. Never pass such a string to `free()`.
///
/// # Safety
/// See the module's contract: `s` is NULL or a string this library
/// returned and not yet freed.
#[no_mangle]
pub unsafe extern "C" fn eiam_string_free(s: *mut c_char) {
    ffi_boundary!(fallback () => {
        if !s.is_null() {
            drop(CString::from_raw(s));
        }
    })
}

/// Frees a library string held in `*slot` and sets the slot to NULL.
///
/// # Safety
/// `*slot` is NULL or a string from `to_c` not yet freed.
pub(crate) unsafe fn free_slot(slot: &mut *mut c_char) {
    eiam_string_free(std::mem::replace(slot, std::ptr::null_mut()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(s: &str) -> String {
        let raw = to_c(s);
        // SAFETY: `raw` came from `to_c` just now and is freed below.
        let text = unsafe { CStr::from_ptr(raw) }.to_str().unwrap().to_owned();
        // SAFETY: as above; freed once.
        unsafe { eiam_string_free(raw) };
        text
    }

    #[test]
    fn strings_reach_c_whole_and_interior_nuls_are_dropped() {
        assert_eq!(round_trip("acct-123"), "acct-123");
        assert_eq!(round_trip(""), "");
        assert_eq!(round_trip("张三"), "张三");
        assert_eq!(round_trip("a\0b\0"), "ab");
    }
}
