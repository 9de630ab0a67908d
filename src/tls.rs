//! TLS for `https://` base URLs: one rustls configuration per client, made
//! when the client is, and a connector that wraps every new connection in
//! it.
//!
//! ureq's own TLS connector builds a new rustls configuration for every
//! connection of a request with request-level options, which every request
//! of ours has (its deadline): the trust roots were parsed again and no
//! TLS session was ever resumed, since each configuration had its own
//! empty session cache. Here the configuration, with its roots and its
//! cache, is shared by all of a client's connections, so a reconnect
//! resumes the session when the server allows it. Built on ureq's
//! `unversioned::transport` traits like `interruptible.rs`.

use std::fmt;
use std::io::{Read, Write};
use std::sync::{Arc, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::Resumption;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, RootCertStore, StreamOwned};
use ureq::tls::PemItem;
use ureq::unversioned::transport::time::{Duration as UreqDuration, Instant as UreqInstant};
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, Transport,
    TransportAdapter,
};

use crate::config::Config;
use crate::error::{Error, Result};

/// The rustls configuration of a client: its trust roots (or none, when
/// verification is explicitly off) and the TLS versions rustls supports.
pub(crate) fn client_config(config: &Config) -> Result<Arc<ClientConfig>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(rustls::ALL_VERSIONS)
        .map_err(|e| Error::invalid_argument(format!("TLS versions: {e}")))?;
    let tls = if config.danger_accept_invalid_certs {
        log::warn!(
            "eiam: TLS certificate verification is OFF for {}",
            config.base_url
        );
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(provider)))
            .with_no_client_auth()
    } else {
        builder
            .with_root_certificates(roots(config)?)
            .with_no_client_auth()
    };
    Ok(Arc::new(tls))
}

/// The same configuration with a session cache of its own: a forked child
/// must not present the tickets its parent holds (each is meant for one
/// connection).
pub(crate) fn with_new_session_cache(config: &ClientConfig) -> Arc<ClientConfig> {
    let mut fresh = config.clone();
    fresh.resumption = Resumption::default();
    Arc::new(fresh)
}

/// The platform store (unless turned off) and the configured CA file; with
/// neither certificate found, Mozilla's roots.
fn roots(config: &Config) -> Result<RootCertStore> {
    let mut roots = RootCertStore::empty();
    if config.use_platform_roots {
        roots.roots.extend(platform_roots().roots.iter().cloned());
    }
    if let Some(path) = &config.ca_file {
        let (added, _) = roots.add_parsable_certificates(read_ca_file(path)?);
        if added == 0 {
            return Err(Error::invalid_argument(format!(
                "ca_file {}: no usable CA certificate",
                path.display()
            )));
        }
    }
    if roots.is_empty() {
        // No platform store on this machine: fall back to Mozilla's roots.
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    }
    Ok(roots)
}

/// The platform's trust store, read and parsed once per process: it is the
/// same for every client, and reading it is most of a client's creation.
fn platform_roots() -> &'static RootCertStore {
    static ROOTS: OnceLock<RootCertStore> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let found = rustls_native_certs::load_native_certs();
        for error in &found.errors {
            log::debug!("eiam: platform trust store: {error}");
        }
        let mut roots = RootCertStore::empty();
        roots.add_parsable_certificates(found.certs);
        roots
    })
}

fn read_ca_file(path: &std::path::Path) -> Result<Vec<CertificateDer<'static>>> {
    let bad = |why: String| Error::invalid_argument(format!("ca_file {}: {why}", path.display()));
    let pem = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(&pem) {
        match item.map_err(|e| bad(e.to_string()))? {
            PemItem::Certificate(cert) => certs.push(CertificateDer::from(cert.der().to_vec())),
            _ => continue,
        }
    }
    if certs.is_empty() {
        return Err(bad("no PEM certificate found".into()));
    }
    Ok(certs)
}

/// Wraps each new `https://` connection in TLS with one configuration.
pub(crate) struct TlsConnector {
    /// `None` for an `http://` base URL.
    config: Option<Arc<ClientConfig>>,
}

impl TlsConnector {
    pub(crate) fn new(config: Option<Arc<ClientConfig>>) -> Self {
        TlsConnector { config }
    }
}

impl fmt::Debug for TlsConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsConnector").finish_non_exhaustive()
    }
}

impl<In: Transport> Connector<In> for TlsConnector {
    type Out = Either<In, TlsTransport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> std::result::Result<Option<Self::Out>, ureq::Error> {
        let Some(transport) = chained else {
            return Ok(None);
        };
        if !details.needs_tls() || transport.is_tls() {
            return Ok(Some(Either::A(transport)));
        }
        let Some(config) = &self.config else {
            return Err(ureq::Error::Tls("https:// without a TLS configuration"));
        };
        let host = details
            .uri
            .host()
            .ok_or(ureq::Error::Tls("no host to verify"))?;
        // An IPv6 literal is bracketed in a URI, not in a certificate.
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let name = ServerName::try_from(host.to_owned())
            .map_err(|_| ureq::Error::Tls("the host is not a valid DNS name or IP address"))?;
        let mut conn = ClientConnection::new(config.clone(), name)?;
        let mut sock = TransportAdapter::new(transport.boxed(), details.current_time.clone());
        sock.set_timeout(handshake_timeout(details));
        conn.complete_io(&mut sock)?;
        Ok(Some(Either::B(TlsTransport {
            buffers: LazyBuffers::new(
                details.config.input_buffer_size(),
                details.config.output_buffer_size(),
            ),
            stream: StreamOwned::new(conn, sock),
        })))
    }
}

/// What is left of the connection's timeout, which started before the TCP
/// connection was made.
fn handshake_timeout(details: &ConnectionDetails) -> NextTimeout {
    let mut timeout = details.timeout;
    if let (UreqDuration::Exact(left), UreqInstant::Exact(now), UreqInstant::Exact(then)) =
        (timeout.after, (details.current_time)(), details.now)
    {
        timeout.after =
            UreqDuration::Exact(left.saturating_sub(now.saturating_duration_since(then)));
    }
    timeout
}

/// A connection in TLS.
pub(crate) struct TlsTransport {
    buffers: LazyBuffers,
    stream: StreamOwned<ClientConnection, TransportAdapter>,
}

impl fmt::Debug for TlsTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsTransport").finish_non_exhaustive()
    }
}

impl Transport for TlsTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(
        &mut self,
        amount: usize,
        timeout: NextTimeout,
    ) -> std::result::Result<(), ureq::Error> {
        self.stream.get_mut().set_timeout(timeout);
        let output = &self.buffers.output()[..amount];
        self.stream.write_all(output)?;
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> std::result::Result<bool, ureq::Error> {
        self.stream.get_mut().set_timeout(timeout);
        let input = self.buffers.input_append_buf();
        let amount = self.stream.read(input)?;
        self.buffers.input_appended(amount);
        Ok(amount > 0)
    }

    fn is_open(&mut self) -> bool {
        self.stream.get_mut().get_mut().is_open()
    }

    fn is_tls(&self) -> bool {
        true
    }
}

/// `danger_accept_invalid_certs`: any certificate, for any name, is taken;
/// signatures are still checked, so the handshake itself stays sound.
#[derive(Debug)]
struct AcceptAnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
