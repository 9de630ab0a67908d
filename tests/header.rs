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

/// Every exported function's body is one `ffi_boundary!` (or hands its
/// pointer to `drop_box`, which is one), so no export can forget to catch
/// a panic or to report through `err`.
#[test]
fn every_export_goes_through_the_boundary() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ffi");
    let mut exports = 0;
    let mut unguarded = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let source = std::fs::read_to_string(&path).unwrap();
        for (at, _) in source.match_indices("\n#[no_mangle]\n") {
            let rest = &source[at..];
            let name = rest
                .split("fn ")
                .nth(1)
                .and_then(|s| s.split('(').next())
                .unwrap_or("?")
                .to_owned();
            // The body starts after the signature's last line, which ends
            // with '{' (rustfmt's layout).
            let first = rest
                .find(" {\n")
                .map(|open| rest[open + 3..].trim_start())
                .unwrap_or_default();
            exports += 1;
            if !(first.starts_with("ffi_boundary!(") || first.starts_with("drop_box(")) {
                unguarded.push(format!("{}: {name}", path.display()));
            }
        }
    }
    assert!(exports >= 20, "found only {exports} exports");
    assert!(
        unguarded.is_empty(),
        "exports outside ffi_boundary!:\n{}",
        unguarded.join("\n")
    );
}

/// Every name the header declares carries the library's prefix, so that
/// no core type leaks into C's global namespace (where it would clash with
/// a binding's own, say C++'s `eiam::AccountType` under `using namespace`).
#[test]
fn every_declared_name_has_the_prefix() {
    let header =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("include/eiam.h"))
            .expect("include/eiam.h");
    let unprefixed: Vec<&str> = header
        .lines()
        .filter_map(|line| {
            let rest = line
                .strip_prefix("typedef struct ")
                .or_else(|| line.strip_prefix("typedef enum "))
                .or_else(|| line.strip_prefix("#define "))?;
            rest.split([' ', '{', ';']).next()
        })
        .filter(|name| !name.is_empty() && !name.starts_with("eiam_") && !name.starts_with("EIAM_"))
        .collect();
    assert!(
        unprefixed.is_empty(),
        "declared without the eiam_ prefix: {unprefixed:?}"
    );
}
