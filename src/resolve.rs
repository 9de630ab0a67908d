//! Host resolution for the HTTP agent.
//!
//! ureq's default resolver runs every lookup on a new thread when the
//! request has a timeout (ours always do), so that a hanging DNS server
//! cannot outlive the deadline. That is a thread per request, even when the
//! host is an IP address and the connection comes from the pool: profiling
//! the benchmarks showed it as the largest single cost of a call. An IP
//! literal needs no lookup, so it is answered here; names still go through
//! ureq's resolver and keep its timeout.
//!
//! This uses ureq's `unversioned` resolver API, which may change in a minor
//! release; `Cargo.toml` pins ureq to 3.5.x for that reason.

use std::net::{IpAddr, SocketAddr};

use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

#[derive(Debug, Default)]
pub(crate) struct LiteralsInline(DefaultResolver);

impl Resolver for LiteralsInline {
    fn resolve(
        &self,
        uri: &Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        match ip_literal(uri) {
            Some(addr) => {
                let mut addrs = self.empty();
                addrs.push(addr);
                Ok(addrs)
            }
            None => self.0.resolve(uri, config, timeout),
        }
    }
}

/// The socket address of a URI whose host is an IP address (`127.0.0.1`,
/// `[::1]`), with the scheme's default port if none is given.
fn ip_literal(uri: &Uri) -> Option<SocketAddr> {
    let authority = uri.authority()?;
    let host = authority.host();
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    let ip: IpAddr = host.parse().ok()?;
    let port = authority.port_u16().or(match uri.scheme_str()? {
        "https" => Some(443),
        "http" => Some(80),
        _ => None,
    })?;
    Some(SocketAddr::new(ip, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literal(uri: &str) -> Option<SocketAddr> {
        ip_literal(&uri.parse().unwrap())
    }

    #[test]
    fn ip_literals_are_answered_without_a_lookup() {
        assert_eq!(
            literal("http://127.0.0.1:8080/x"),
            Some("127.0.0.1:8080".parse().unwrap())
        );
        assert_eq!(
            literal("https://[::1]/x"),
            Some("[::1]:443".parse().unwrap())
        );
        assert_eq!(
            literal("http://10.0.0.1/"),
            Some("10.0.0.1:80".parse().unwrap())
        );
    }

    #[test]
    fn names_are_left_to_the_resolver() {
        assert_eq!(literal("https://localhost:8443/"), None);
        assert_eq!(literal("https://idaas.example.com/"), None);
        assert_eq!(literal("https://127.0.0.1.example.com/"), None);
    }
}
