//! `include/eiam.h` must be exactly what cbindgen generates from the
//! source. Run with `EIAM_BLESS=1` to rewrite it after changing the C API.

use std::path::Path;

#[test]
fn header_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml");
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_crate(root)
        .with_config(config)
        .generate()
        .expect("cbindgen could not generate the header")
        .write(&mut generated);
    let generated = String::from_utf8(generated).expect("header is UTF-8");
    let path = root.join("include/eiam.h");
    if std::env::var_os("EIAM_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("write include/eiam.h");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/eiam.h is stale: run `EIAM_BLESS=1 cargo test --test header` and commit it"
    );
}
