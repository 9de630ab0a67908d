//! Host resolution for the HTTP agent, with a short cache.
//!
//! ureq resolves the host of every request before it looks in its
//! connection pool, so a reused keep-alive connection still pays for a
//! lookup. And its default resolver runs each lookup on a new thread when
//! the request has a timeout (ours always do), so that a hanging DNS server
//! cannot outlive the deadline: a thread and a DNS query per call.
//!
//! So answers are kept for [`NAME_TTL`], as curl keeps them by default; IP
//! literals need no lookup at all and are answered inline. A name is looked
//! up again once its answer is older than that, and a failed lookup is not
//! kept.
//!
//! This uses ureq's `unversioned` resolver API, which may change in a minor
//! release; `Cargo.toml` pins ureq to 3.5.x for that reason alone.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long the addresses of a host name are reused (curl's default).
pub(crate) const NAME_TTL: Duration = Duration::from_secs(60);

/// Hosts remembered at once: the service, and perhaps a proxy.
const MAX_ENTRIES: usize = 8;

#[derive(Debug)]
pub(crate) struct CachingResolver<R = DefaultResolver> {
    lookup: R,
    name_ttl: Duration,
    entries: Mutex<Vec<Entry>>,
}

/// The answer for one `scheme://authority`.
#[derive(Debug)]
struct Entry {
    scheme: String,
    authority: String,
    addrs: Vec<SocketAddr>,
    /// `None` for an IP literal: its answer never changes.
    expires: Option<Instant>,
}

impl Default for CachingResolver {
    fn default() -> Self {
        CachingResolver::new(DefaultResolver::default(), NAME_TTL)
    }
}

impl<R: Resolver> CachingResolver<R> {
    pub(crate) fn new(lookup: R, name_ttl: Duration) -> Self {
        CachingResolver {
            lookup,
            name_ttl,
            entries: Mutex::new(Vec::new()),
        }
    }

    /// The cached answer for `uri`'s host, if it is still fresh.
    fn cached(&self, scheme: &str, authority: &str) -> Option<ResolvedSocketAddrs> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = entries
            .iter()
            .find(|e| e.authority == authority && e.scheme == scheme)?;
        if entry.expires.is_some_and(|at| at <= Instant::now()) {
            return None;
        }
        let mut addrs = self.lookup.empty();
        for addr in &entry.addrs {
            addrs.push(*addr);
        }
        Some(addrs)
    }

    fn remember(&self, scheme: &str, authority: &str, addrs: &[SocketAddr], literal: bool) {
        let expires = (!literal).then(|| Instant::now() + self.name_ttl);
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.retain(|e| !(e.authority == authority && e.scheme == scheme));
        if entries.len() >= MAX_ENTRIES {
            entries.remove(0);
        }
        entries.push(Entry {
            scheme: scheme.to_owned(),
            authority: authority.to_owned(),
            addrs: addrs.to_vec(),
            expires,
        });
    }
}

impl<R: Resolver> Resolver for CachingResolver<R> {
    fn resolve(
        &self,
        uri: &Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
            // Not a full URL: the lookup reports it.
            return self.lookup.resolve(uri, config, timeout);
        };
        if let Some(addrs) = self.cached(scheme, authority.as_str()) {
            return Ok(addrs);
        }
        let (addrs, literal) = match ip_literal(uri) {
            Some(addr) => {
                let mut addrs = self.lookup.empty();
                addrs.push(addr);
                (addrs, true)
            }
            None => {
                // The timeout is what is left of the call's deadline; ureq's
                // resolver runs the lookup on a thread it stops waiting for.
                if timeout.after.is_zero() {
                    return Err(ureq::Error::Timeout(timeout.reason));
                }
                (self.lookup.resolve(uri, config, timeout)?, false)
            }
        };
        self.remember(scheme, authority.as_str(), &addrs, literal);
        Ok(addrs)
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
    use std::sync::atomic::{AtomicUsize, Ordering};

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

    /// Answers every name with 10.0.0.N, N counting the lookups, or fails
    /// when told to.
    #[derive(Debug, Default)]
    struct CountingLookup {
        lookups: AtomicUsize,
        fail: std::sync::atomic::AtomicBool,
        last_timeout: Mutex<Option<NextTimeout>>,
    }

    impl Resolver for CountingLookup {
        fn resolve(
            &self,
            _uri: &Uri,
            _config: &ureq::config::Config,
            timeout: NextTimeout,
        ) -> Result<ResolvedSocketAddrs, ureq::Error> {
            *self.last_timeout.lock().unwrap() = Some(timeout);
            let n = self.lookups.fetch_add(1, Ordering::SeqCst) + 1;
            if self.fail.load(Ordering::SeqCst) {
                return Err(ureq::Error::HostNotFound);
            }
            let mut addrs = self.empty();
            addrs.push(SocketAddr::from(([10, 0, 0, n as u8], 443)));
            Ok(addrs)
        }
    }

    fn resolve(
        resolver: &CachingResolver<CountingLookup>,
        uri: &str,
    ) -> Result<Vec<SocketAddr>, ureq::Error> {
        let config = ureq::Agent::config_builder().build();
        let timeout = NextTimeout {
            after: std::time::Duration::from_secs(5).into(),
            reason: ureq::Timeout::Resolve,
            per_read: None,
            per_write: None,
        };
        resolver
            .resolve(&uri.parse().unwrap(), &config, timeout)
            .map(|addrs| addrs.to_vec())
    }

    fn lookups(resolver: &CachingResolver<CountingLookup>) -> usize {
        resolver.lookup.lookups.load(Ordering::SeqCst)
    }

    #[test]
    fn a_name_is_looked_up_once_while_its_answer_is_fresh() {
        let resolver = CachingResolver::new(CountingLookup::default(), NAME_TTL);
        let first = resolve(&resolver, "https://idaas.example.com/a").unwrap();
        let again = resolve(&resolver, "https://idaas.example.com/b").unwrap();
        assert_eq!(first, again);
        assert_eq!(lookups(&resolver), 1);
        // Another port is another host to the cache.
        resolve(&resolver, "https://idaas.example.com:8443/a").unwrap();
        assert_eq!(lookups(&resolver), 2);
    }

    #[test]
    fn a_stale_answer_is_looked_up_again() {
        let resolver = CachingResolver::new(CountingLookup::default(), Duration::ZERO);
        let first = resolve(&resolver, "https://idaas.example.com/").unwrap();
        let again = resolve(&resolver, "https://idaas.example.com/").unwrap();
        assert_eq!(lookups(&resolver), 2);
        assert_ne!(first, again, "the new answer replaces the old one");
    }

    #[test]
    fn a_failed_lookup_is_not_kept() {
        let resolver = CachingResolver::new(CountingLookup::default(), NAME_TTL);
        resolver.lookup.fail.store(true, Ordering::SeqCst);
        assert!(resolve(&resolver, "https://idaas.example.com/").is_err());
        resolver.lookup.fail.store(false, Ordering::SeqCst);
        assert!(resolve(&resolver, "https://idaas.example.com/").is_ok());
        assert_eq!(lookups(&resolver), 2);
    }

    #[test]
    fn literals_never_reach_the_lookup() {
        let resolver = CachingResolver::new(CountingLookup::default(), Duration::ZERO);
        for _ in 0..3 {
            assert_eq!(
                resolve(&resolver, "http://127.0.0.1:8080/").unwrap(),
                ["127.0.0.1:8080".parse().unwrap()]
            );
        }
        assert_eq!(lookups(&resolver), 0);
    }

    #[test]
    fn a_lookup_gets_ureqs_timeout_and_none_starts_without_time_left() {
        let resolver = CachingResolver::new(CountingLookup::default(), Duration::ZERO);
        resolve(&resolver, "https://idaas.example.com/").unwrap();
        let seen = resolver.lookup.last_timeout.lock().unwrap().unwrap();
        assert_eq!(*seen.after, Duration::from_secs(5));

        let config = ureq::Agent::config_builder().build();
        let none_left = NextTimeout {
            after: Duration::ZERO.into(),
            reason: ureq::Timeout::Global,
            per_read: None,
            per_write: None,
        };
        let err = resolver
            .resolve(
                &"https://idaas.example.com/".parse().unwrap(),
                &config,
                none_left,
            )
            .unwrap_err();
        assert!(matches!(err, ureq::Error::Timeout(ureq::Timeout::Global)));
        assert_eq!(lookups(&resolver), 1, "no lookup once no time is left");
    }

    #[test]
    fn the_cache_stays_small() {
        let resolver = CachingResolver::new(CountingLookup::default(), NAME_TTL);
        for port in 0..(MAX_ENTRIES as u16 + 5) {
            resolve(
                &resolver,
                &format!("https://h.example.com:{}/", 1000 + port),
            )
            .unwrap();
        }
        assert_eq!(resolver.entries.lock().unwrap().len(), MAX_ENTRIES);
    }
}
