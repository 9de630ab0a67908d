//! Gives libeiam.so a SONAME, so programs link against the ABI version
//! (libeiam.so.0) rather than a file name.

fn main() {
    // Without this, cargo reruns the script (and relinks) whenever any file
    // under the package root changes, bindings and docs included.
    println!("cargo:rerun-if-changed=build.rs");
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    // Cargo hands a dependency's cdylib link arguments to every cdylib that
    // depends on it (cargo#9562), so only the C ABI build claims the name.
    let c_abi = std::env::var_os("CARGO_FEATURE_FFI").is_some();
    if target_os == "linux" && c_abi {
        // Bumped only with an incompatible change of the C ABI.
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libeiam.so.0");
    }
}
