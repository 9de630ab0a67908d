//! Real TLS: the mock serves HTTPS with a certificate from a CA generated
//! here, and the client must verify it.

mod common;

use std::path::PathBuf;

use common::*;
use eiam::{Config, ErrorKind};
use eiam_mock::MockConfig;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};

/// A CA, its PEM in a file, and a server certificate it signed.
struct Pki {
    _dir: TempDir,
    ca_file: PathBuf,
    server_chain_pem: String,
    server_key_pem: String,
}

/// A CA named "eiam test CA" and a server certificate for `names` (DNS
/// names or IP addresses).
fn pki(names: &[&str]) -> Pki {
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "eiam test CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_key = KeyPair::generate().unwrap();
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca, ca_key);

    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let mut server = CertificateParams::new(names).unwrap();
    server
        .distinguished_name
        .push(DnType::CommonName, "eiam mock");
    let server_key = KeyPair::generate().unwrap();
    let server_cert = server.signed_by(&server_key, &issuer).unwrap();

    let dir = TempDir::new();
    let ca_file = dir.path.join("ca.pem");
    std::fs::write(&ca_file, ca_cert.pem()).unwrap();
    Pki {
        _dir: dir,
        ca_file,
        server_chain_pem: server_cert.pem(),
        server_key_pem: server_key.serialize_pem(),
    }
}

fn https_mock(pki: &Pki) -> MockServer {
    MockServer::start_https(
        MockConfig::default(),
        &pki.server_chain_pem,
        &pki.server_key_pem,
    )
    .expect("the HTTPS mock starts")
}

/// A client of `mock` that trusts only its `ca_file`.
fn builder(mock: &MockServer) -> eiam::ConfigBuilder {
    Config::builder(mock.base_url())
        .client_credentials(mock.client_id(), mock.client_secret())
        .use_platform_roots(false)
}

#[test]
fn the_generated_ca_in_ca_file_is_trusted() {
    let pki = pki(&["127.0.0.1", "localhost"]);
    let mock = https_mock(&pki);
    assert!(mock.base_url().starts_with("https://127.0.0.1:"));
    let owner = client(builder(&mock).ca_file(&pki.ca_file))
        .get_public_account_owner("demo-app", "pub-1")
        .unwrap();
    assert_eq!(owner.user_name, "zhangsan");
    assert_eq!(mock.stats().token_requests, 1);
}

#[test]
fn without_the_ca_verification_fails_as_a_transport_error_naming_the_certificate() {
    let pki = pki(&["127.0.0.1"]);
    let mock = https_mock(&pki);
    // Platform roots (or Mozilla's) only: our CA is unknown to them.
    let config =
        Config::builder(mock.base_url()).client_credentials(mock.client_id(), mock.client_secret());
    let err = client(config)
        .get_public_account_owner("demo-app", "pub-1")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    let message = err.to_string();
    assert!(
        message.contains("certificate verification failed"),
        "{message}"
    );
    assert!(message.contains("UnknownIssuer"), "{message}");
    assert_eq!(mock.stats().requests, 0, "nothing got through");
}

#[test]
fn a_certificate_for_another_host_name_fails() {
    let pki = pki(&["idaas.example.com"]);
    let mock = https_mock(&pki);
    let err = client(builder(&mock).ca_file(&pki.ca_file))
        .get_public_account_owner("demo-app", "pub-1")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    let message = err.to_string();
    assert!(
        message.contains("certificate verification failed"),
        "{message}"
    );
    assert!(message.contains("not valid for name"), "{message}");
    assert_eq!(mock.stats().requests, 0);
}

#[test]
fn the_dangerous_no_verify_option_accepts_any_certificate() {
    let pki = pki(&["idaas.example.com"]);
    let mock = https_mock(&pki);
    let config = Config::builder(mock.base_url())
        .client_credentials(mock.client_id(), mock.client_secret())
        .danger_accept_invalid_certs(true);
    let owner = client(config)
        .get_public_account_owner("demo-app", "pub-1")
        .unwrap();
    assert_eq!(owner.user_name, "zhangsan");
}

/// A directory removed on drop.
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    fn new() -> Self {
        let path = std::env::temp_dir().join(format!(
            "eiam-tls-{}-{}",
            std::process::id(),
            fastrand::u64(..)
        ));
        std::fs::create_dir_all(&path).unwrap();
        TempDir { path }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// A cancellable call reads its answer in slices: over TLS too, a slow
/// answer arrives whole, and a cancel ends the wait.
#[test]
fn cancellable_calls_read_tls_answers_whole_and_stop_when_cancelled() {
    use std::time::{Duration, Instant};

    let pki = pki(&["127.0.0.1"]);
    let mock = https_mock(&pki);
    let client = client(builder(&mock).ca_file(&pki.ca_file));
    client.authenticate().unwrap();
    let token = eiam::CancelToken::new();
    let cancellable = client.with_cancel(&token);
    // Slower than many slices of the wait: the answer must still arrive intact.
    mock.inject(Fault::delay(Duration::from_millis(300)));
    mock.inject(Fault::trickle(Duration::from_millis(2)));
    for _ in 0..2 {
        let owner = cancellable
            .get_public_account_owner("demo-app", "pub-1")
            .unwrap();
        assert_eq!(owner.user_name, "zhangsan");
    }

    mock.inject(Fault::delay(Duration::from_secs(10)));
    let before = mock.stats().requests;
    std::thread::scope(|s| {
        let call = s.spawn(|| cancellable.get_public_account_owner("demo-app", "pub-1"));
        while mock.stats().requests == before {
            std::thread::yield_now();
        }
        let cancelled_at = Instant::now();
        token.cancel();
        let err = call.join().unwrap().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Cancelled, "{err}");
        assert!(cancelled_at.elapsed() < Duration::from_millis(100));
    });
}

/// An HTTPS mock that closes every connection after one answer, with or
/// without TLS session resumption, and a client that trusts it.
fn reconnecting(resumption: bool) -> (Pki, MockServer, eiam::Client) {
    let pki = pki(&["127.0.0.1"]);
    let config = MockConfig {
        close_connections: true,
        tls_resumption: resumption,
        ..MockConfig::default()
    };
    let mock = MockServer::start_https(config, &pki.server_chain_pem, &pki.server_key_pem).unwrap();
    let client = client(builder(&mock).ca_file(&pki.ca_file));
    (pki, mock, client)
}

/// Each new connection of a client resumes the TLS session of an earlier
/// one (an abbreviated handshake: no certificate sent or verified again).
#[test]
fn a_client_resumes_its_tls_session_on_each_new_connection() {
    let (_pki, mock, client) = reconnecting(true);
    for _ in 0..3 {
        client
            .get_public_account_owner("demo-app", "pub-1")
            .unwrap();
    }
    let stats = mock.stats();
    // The token request's connection, then one per call.
    assert_eq!(stats.connections, 4, "{stats:?}");
    assert_eq!(
        stats.tls_resumed, 3,
        "every connection after the first: {stats:?}"
    );
}

/// The same calls with a server that keeps no sessions: the counter above
/// counts resumptions, not connections.
#[test]
fn without_server_support_every_connection_is_a_full_handshake() {
    let (_pki, mock, client) = reconnecting(false);
    for _ in 0..3 {
        client
            .get_public_account_owner("demo-app", "pub-1")
            .unwrap();
    }
    let stats = mock.stats();
    assert_eq!(stats.connections, 4, "{stats:?}");
    assert_eq!(stats.tls_resumed, 0, "{stats:?}");
}
