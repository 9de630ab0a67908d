//! HTTPS for the mock (feature `tls`): a rustls server configuration from
//! a PEM certificate chain and key, with the same crypto provider (ring)
//! the eiam client uses.

use std::io;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::wire::Acceptor;

/// `resumption`: whether clients may resume a session on a new connection
/// (rustls's default: sessions kept in memory, TLS 1.3 tickets naming
/// them); without it, every connection pays a full handshake.
pub(crate) fn acceptor(
    cert_chain_pem: &str,
    key_pem: &str,
    resumption: bool,
) -> io::Result<Acceptor> {
    let invalid = |what: &str, e: &dyn std::fmt::Display| {
        io::Error::new(io::ErrorKind::InvalidInput, format!("{what}: {e}"))
    };
    let chain = CertificateDer::pem_slice_iter(cert_chain_pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| invalid("certificate chain", &e))?;
    if chain.is_empty() {
        return Err(invalid("certificate chain", &"no PEM certificate"));
    }
    let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes())
        .map_err(|e| invalid("private key", &e))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| invalid("TLS versions", &e))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| invalid("certificate and key", &e))?;
    if !resumption {
        config.session_storage = Arc::new(rustls::server::NoServerSessionStorage {});
        config.send_tls13_tickets = 0;
    }
    Ok(Acceptor::tls(Arc::new(config)))
}

/// A CA generated for one mock, and a server certificate it signed for
/// the addresses the mock answers on.
pub(crate) struct NewCa {
    pub ca_pem: String,
    pub server_chain_pem: String,
    pub server_key_pem: String,
}

impl NewCa {
    pub fn generate() -> io::Result<NewCa> {
        use rcgen::KeyUsagePurpose;
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
        let failed = |e: rcgen::Error| io::Error::other(format!("generating a certificate: {e}"));
        let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(failed)?;
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "eiam-mock CA");
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_key = KeyPair::generate().map_err(failed)?;
        let ca_cert = ca.self_signed(&ca_key).map_err(failed)?;
        let issuer = Issuer::new(ca, ca_key);

        let mut server =
            CertificateParams::new(vec!["127.0.0.1".into(), "localhost".into()]).map_err(failed)?;
        server
            .distinguished_name
            .push(DnType::CommonName, "eiam-mock");
        let server_key = KeyPair::generate().map_err(failed)?;
        let server_cert = server.signed_by(&server_key, &issuer).map_err(failed)?;
        Ok(NewCa {
            ca_pem: ca_cert.pem(),
            server_chain_pem: server_cert.pem(),
            server_key_pem: server_key.serialize_pem(),
        })
    }
}
