//! The byte stream under a connection: plain TCP, or (with the `tls`
//! feature) TLS over it, so the same server code serves `http://` and
//! `https://`.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
#[cfg(feature = "tls")]
use std::sync::Arc;

/// A connection's stream, with access to the TCP socket underneath.
pub(crate) trait Wire: Read + Write + Send {
    /// The socket, for timeouts and linger.
    fn tcp(&self) -> &TcpStream;

    /// Ends our sending side, so the peer sees end of stream.
    fn finish(&mut self) {
        let _ = self.tcp().shutdown(Shutdown::Write);
    }

    /// Whether a TLS handshake, once done, resumed an earlier session.
    fn tls_resumed(&self) -> bool {
        false
    }
}

impl Wire for TcpStream {
    fn tcp(&self) -> &TcpStream {
        self
    }
}

#[cfg(feature = "tls")]
impl Wire for rustls::StreamOwned<rustls::ServerConnection, TcpStream> {
    fn tcp(&self) -> &TcpStream {
        &self.sock
    }

    fn finish(&mut self) {
        // close_notify first: without it a TLS peer sees a truncation
        // attack, not an orderly end.
        self.conn.send_close_notify();
        let _ = self.conn.complete_io(&mut self.sock);
        let _ = self.sock.shutdown(Shutdown::Write);
    }

    fn tls_resumed(&self) -> bool {
        self.conn.handshake_kind() == Some(rustls::HandshakeKind::Resumed)
    }
}

/// Wraps accepted sockets: in TLS when the server has a certificate.
#[derive(Clone, Default)]
pub(crate) struct Acceptor {
    #[cfg(feature = "tls")]
    tls: Option<Arc<rustls::ServerConfig>>,
}

impl Acceptor {
    #[cfg(feature = "tls")]
    pub fn tls(config: Arc<rustls::ServerConfig>) -> Self {
        Acceptor { tls: Some(config) }
    }

    pub fn scheme(&self) -> &'static str {
        #[cfg(feature = "tls")]
        if self.tls.is_some() {
            return "https";
        }
        "http"
    }

    pub fn wrap(&self, stream: TcpStream) -> io::Result<Box<dyn Wire>> {
        #[cfg(feature = "tls")]
        if let Some(config) = &self.tls {
            let conn = rustls::ServerConnection::new(config.clone()).map_err(io::Error::other)?;
            return Ok(Box::new(rustls::StreamOwned::new(conn, stream)));
        }
        Ok(Box::new(stream))
    }
}
