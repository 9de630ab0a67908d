//! TLS set-up at client creation: the platform store loads, and a bad CA
//! file is refused before any request.

use eiam::{Client, Config, ErrorKind};

#[test]
fn an_https_client_loads_the_trust_store() {
    let config = Config::builder("https://tenant.example.com")
        .client_credentials("id", "secret")
        .build()
        .unwrap();
    assert!(Client::new(config).is_ok());
}

#[test]
fn a_ca_file_without_certificates_is_refused() {
    let dir = std::env::temp_dir().join(format!("eiam-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let not_pem = dir.join("not-a-ca.pem");
    std::fs::write(&not_pem, "hello").unwrap();
    let config = Config::builder("https://tenant.example.com")
        .client_credentials("id", "secret")
        .ca_file(&not_pem)
        .build()
        .unwrap();
    let err = Client::new(config).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.message().contains("no PEM certificate"), "{err}");

    let missing = Config::builder("https://tenant.example.com")
        .client_credentials("id", "secret")
        .ca_file(dir.join("missing.pem"))
        .build()
        .unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::InvalidArgument);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn only_the_ca_file_needs_a_ca_file() {
    let err = Config::builder("https://tenant.example.com")
        .client_credentials("id", "secret")
        .use_platform_roots(false)
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
}
