//! The plain TCP transport under the HTTP agent: ureq's own, without the
//! system calls a keep-alive request does not need.
//!
//! Profiling sequential calls on loopback (strace, then A/B runs against
//! `wrk -c1`) showed ureq's TCP transport making 11 system calls per request
//! where wrk makes 3, and the difference was worth about 5% of throughput:
//!
//! - its liveness probe of a pooled connection, made when the connection
//!   goes back to the pool and again when it comes out, switches the socket
//!   to non-blocking, reads and switches back: three calls where one
//!   non-blocking peek does. And the first of the two probes is redundant:
//!   ureq's pool probes every connection again before handing it out
//!   (`Pool::get` in ureq 3.5, pinned in `Cargo.toml`; `tests/keep_alive.rs`
//!   fails if that stops), and that probe sees everything the earlier one
//!   would, later. So a probe right after I/O
//!   (the connection going back to the pool) answers "open" without a
//!   system call, and the one before reuse looks at the socket;
//! - it sets the socket's read and write timeouts before every request,
//!   because the time left to a call's deadline is never the same twice.
//!   Here the socket gets the time left rounded *down* to a coarse grain, so
//!   successive requests ask for the same value and nothing is set. A read
//!   whose timer fires early (by less than a grain) sets the exact remainder
//!   and reads again, so a deadline is never overshot;
//! - it sends a request's head and body in two writes, so a bind crossed
//!   the wire as two segments. Small output is held back until the next
//!   read and leaves in one (see [`HOLD_BACK_LIMIT`]).
//!
//! Connections through a CONNECT proxy and TLS are still made by ureq's
//! connectors, chained around this one as in its `DefaultConnector`.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use ureq::unversioned::transport::{
    Buffers, ConnectProxyConnector, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout,
    RustlsConnector, ShutdownHandle, Transport,
};
use ureq::Timeout;

use crate::deadline;

/// Output up to this size is held back until the transport next reads.
/// ureq hands over a request's head and its body in two writes; sent as
/// they come, a bind is two segments, and the server wakes up for the head
/// alone, then again for the body. Held back, they leave in one write, as
/// curl and wrk send them. Nothing is lost by waiting: after writing a
/// request, HTTP/1.1 always reads (the answer, or a `100 Continue`).
const HOLD_BACK_LIMIT: usize = 16 * 1024;

/// Socket timeouts are the time left rounded down to this.
const TIMEOUT_GRAIN: Duration = Duration::from_millis(100);

/// The agent's connector chain: a CONNECT proxy when configured, then TCP,
/// then TLS for `https://`.
pub(crate) fn connector() -> impl Connector<()> {
    ().chain(ConnectProxyConnector::default())
        .chain(TcpConnector)
        .chain(RustlsConnector::default())
}

/// Opens the TCP connection, unless a connector before it (the CONNECT
/// proxy) already has.
#[derive(Debug)]
pub(crate) struct TcpConnector;

impl<In: Transport> Connector<In> for TcpConnector {
    type Out = Either<In, TcpTransport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        if let Some(chained) = chained {
            return Ok(Some(Either::A(chained)));
        }
        let stream = connect_first(&details.addrs, details.timeout)?;
        if details.config.no_delay() {
            stream.set_nodelay(true)?;
        }
        let stream = Arc::new(stream);
        // So that `Agent::shutdown` can interrupt I/O blocked on it.
        (details.register_shutdown)(Arc::downgrade(&stream) as Weak<dyn ShutdownHandle>)?;
        let config = details.config;
        Ok(Some(Either::B(TcpTransport {
            stream,
            buffers: LazyBuffers::new(config.input_buffer_size(), config.output_buffer_size()),
            read_timeout: None,
            write_timeout: None,
            used_since_probe: false,
            unsent: Vec::new(),
        })))
    }
}

/// Connects to the first address that answers. Each address gets an equal
/// share of the time still left, so one that drops packets cannot use up
/// the budget of the ones after it.
fn connect_first(addrs: &[SocketAddr], timeout: NextTimeout) -> Result<TcpStream, ureq::Error> {
    let limit = IoLimit::new(timeout)?;
    let mut last_error = None;
    for (i, addr) in addrs.iter().enumerate() {
        let attempt = match limit.left()? {
            None => TcpStream::connect(addr),
            Some(left) => {
                let share = left / u32::try_from(addrs.len() - i).unwrap_or(u32::MAX);
                TcpStream::connect_timeout(addr, share.max(Duration::from_millis(10)).min(left))
            }
        };
        match attempt {
            Ok(stream) => return Ok(stream),
            Err(e) => {
                log::trace!("eiam: connecting to {addr} failed: {e}");
                last_error = Some(e);
            }
        }
    }
    Err(match last_error {
        Some(e) if is_timer(&e) => {
            limit.left()?;
            ureq::Error::Timeout(Timeout::Connect)
        }
        Some(e) => e.into(),
        None => io::Error::new(io::ErrorKind::ConnectionRefused, "no address to connect to").into(),
    })
}

/// A connected socket, its buffers, and the timeouts the socket has now.
pub(crate) struct TcpTransport {
    /// Shared (weakly) with the agent's shutdown handle.
    stream: Arc<TcpStream>,
    buffers: LazyBuffers,
    read_timeout: Option<Duration>,
    write_timeout: Option<Duration>,
    /// I/O happened since the last liveness probe: the next probe is the
    /// one ureq makes as the connection goes back to the pool.
    used_since_probe: bool,
    /// Output held back until the next read (see [`HOLD_BACK_LIMIT`]).
    unsent: Vec<u8>,
}

impl Transport for TcpTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.used_since_probe = true;
        let output = &self.buffers.output()[..amount];
        if self.unsent.len() + amount <= HOLD_BACK_LIMIT {
            self.unsent.extend_from_slice(output);
            return Ok(());
        }
        let limit = IoLimit::new(timeout.for_write())?;
        send_all(&self.stream, &mut self.write_timeout, &self.unsent, &limit)?;
        self.unsent.clear();
        send_all(&self.stream, &mut self.write_timeout, output, &limit)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.used_since_probe = true;
        if !self.unsent.is_empty() {
            let limit = IoLimit::new(timeout.for_write())?;
            send_all(&self.stream, &mut self.write_timeout, &self.unsent, &limit)?;
            self.unsent.clear();
        }
        let limit = IoLimit::new(timeout.for_read())?;
        loop {
            let left = limit.left()?;
            fit_timeout(&mut self.read_timeout, left, |t| {
                self.stream.set_read_timeout(t)
            })?;
            match (&*self.stream).read(self.buffers.input_append_buf()) {
                Ok(n) => {
                    self.buffers.input_appended(n);
                    return Ok(n > 0);
                }
                Err(e) if is_timer(&e) || e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
    }

    fn is_open(&mut self) -> bool {
        // Half a request was never sent: the connection is out of step.
        if !self.unsent.is_empty() {
            return false;
        }
        // Going back to the pool: the pool probes again before reuse.
        if std::mem::take(&mut self.used_since_probe) {
            return true;
        }
        is_idle_and_open(&self.stream)
    }
}

impl fmt::Debug for TcpTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpTransport")
            .field("peer", &self.stream.peer_addr().ok())
            .finish()
    }
}

/// The time one read, write or connect may take: what ureq asks for, and
/// never past the deadline of the call under way on this thread.
struct IoLimit {
    /// `None`: no limit.
    until: Option<Instant>,
    reason: Timeout,
}

impl IoLimit {
    fn new(timeout: NextTimeout) -> Result<Self, ureq::Error> {
        let timeout = deadline::bound(timeout);
        let limit = IoLimit {
            until: (!timeout.after.is_not_happening()).then(|| Instant::now() + *timeout.after),
            reason: timeout.reason,
        };
        limit.left()?;
        Ok(limit)
    }

    /// The time left (`None`: no limit), or the timeout error once none is.
    fn left(&self) -> Result<Option<Duration>, ureq::Error> {
        match self.until {
            None => Ok(None),
            Some(until) => match until.checked_duration_since(Instant::now()) {
                Some(left) if !left.is_zero() => Ok(Some(left)),
                _ => Err(ureq::Error::Timeout(self.reason)),
            },
        }
    }
}

/// Writes all of `bytes` within `limit`.
fn send_all(
    stream: &TcpStream,
    write_timeout: &mut Option<Duration>,
    mut bytes: &[u8],
    limit: &IoLimit,
) -> Result<(), ureq::Error> {
    while !bytes.is_empty() {
        let left = limit.left()?;
        fit_timeout(write_timeout, left, |t| stream.set_write_timeout(t))?;
        match (&*stream).write(bytes) {
            Ok(0) => return Err(io::Error::from(io::ErrorKind::WriteZero).into()),
            Ok(n) => bytes = &bytes[n..],
            // The timer fired (perhaps a grain early) or a signal came:
            // the limit decides whether to go on.
            Err(e) if is_timer(&e) || e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// Gives the socket a timeout that ends no later than `left`, setting it
/// only when the value changes: `left` is rounded down to the grain, so
/// requests a little apart ask for the same timeout.
fn fit_timeout(
    current: &mut Option<Duration>,
    left: Option<Duration>,
    set: impl FnOnce(Option<Duration>) -> io::Result<()>,
) -> io::Result<()> {
    let wanted = left.map(round_down_to_grain);
    if wanted != *current {
        set(wanted)?;
        *current = wanted;
    }
    Ok(())
}

/// `left` rounded down to [`TIMEOUT_GRAIN`]; under one grain, unchanged
/// (and so never zero, which would mean "no timeout" to the socket).
fn round_down_to_grain(left: Duration) -> Duration {
    if left < TIMEOUT_GRAIN {
        return left;
    }
    let grain = TIMEOUT_GRAIN.as_nanos();
    let rounded = left.as_nanos() / grain * grain;
    Duration::from_nanos(u64::try_from(rounded).unwrap_or(u64::MAX))
}

/// How a socket timer firing shows: `WouldBlock` on Unix, `TimedOut` on
/// Windows.
fn is_timer(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// Whether a pooled connection can take another request: nothing waiting
/// to be read (a byte would be garbage from the server, end of stream its
/// close) and no error pending. One non-blocking peek.
#[cfg(unix)]
fn is_idle_and_open(stream: &TcpStream) -> bool {
    use std::os::fd::AsRawFd;
    let mut byte = 0u8;
    // SAFETY: the buffer is one writable byte that outlives the call, and
    // the descriptor is owned by `stream`, which is borrowed for the call.
    let n = unsafe {
        libc::recv(
            stream.as_raw_fd(),
            (&raw mut byte).cast(),
            1,
            libc::MSG_PEEK | libc::MSG_DONTWAIT,
        )
    };
    n < 0 && io::Error::last_os_error().kind() == io::ErrorKind::WouldBlock
}

/// Elsewhere, as ureq does it: a peek with the socket made non-blocking.
#[cfg(not(unix))]
fn is_idle_and_open(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return false;
    }
    let idle = matches!(stream.peek(&mut [0]), Err(e) if e.kind() == io::ErrorKind::WouldBlock);
    stream.set_nonblocking(false).is_ok() && idle
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    /// A connected client and server; a broken test fails its server's
    /// reads after 5 s instead of hanging.
    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        server
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        (client, server)
    }

    #[test]
    fn timeouts_are_rounded_down_never_up_and_never_to_zero() {
        let ms = Duration::from_millis;
        assert_eq!(round_down_to_grain(ms(29_999)), ms(29_900));
        assert_eq!(round_down_to_grain(ms(29_900)), ms(29_900));
        assert_eq!(round_down_to_grain(ms(150)), ms(100));
        assert_eq!(round_down_to_grain(ms(99)), ms(99));
        assert_eq!(
            round_down_to_grain(Duration::from_nanos(1)),
            Duration::from_nanos(1)
        );
    }

    #[test]
    fn the_socket_timeout_is_set_only_when_the_rounded_value_changes() {
        let mut current = None;
        let mut sets = Vec::new();
        let ms = Duration::from_millis;
        for left in [ms(30_000), ms(29_990), ms(29_950), ms(29_899), ms(50)] {
            fit_timeout(&mut current, Some(left), |t| {
                sets.push(t);
                Ok(())
            })
            .unwrap();
            assert!(current.unwrap() <= left, "{current:?} > {left:?}");
        }
        assert_eq!(
            sets,
            [
                Some(ms(30_000)),
                Some(ms(29_900)),
                Some(ms(29_800)),
                Some(ms(50))
            ]
        );
    }

    #[test]
    fn a_failed_set_leaves_the_recorded_timeout_alone() {
        let mut current = Some(Duration::from_secs(1));
        let err = fit_timeout(&mut current, Some(Duration::from_secs(5)), |_| {
            Err(io::Error::other("refused"))
        });
        assert!(err.is_err());
        assert_eq!(current, Some(Duration::from_secs(1)));
    }

    fn transport(stream: TcpStream) -> TcpTransport {
        TcpTransport {
            stream: Arc::new(stream),
            buffers: LazyBuffers::new(1024, 1024),
            read_timeout: None,
            write_timeout: None,
            used_since_probe: false,
            unsent: Vec::new(),
        }
    }

    fn transmit(transport: &mut TcpTransport, bytes: &[u8]) {
        transport.buffers().output()[..bytes.len()].copy_from_slice(bytes);
        transport
            .transmit_output(bytes.len(), within(Duration::from_secs(5)))
            .unwrap();
    }

    /// Whether the server could read anything now, without waiting.
    fn nothing_arrived(server: &TcpStream) -> bool {
        server.set_nonblocking(true).unwrap();
        let idle = matches!(server.peek(&mut [0]), Err(e) if e.kind() == io::ErrorKind::WouldBlock);
        server.set_nonblocking(false).unwrap();
        idle
    }

    fn within(after: Duration) -> NextTimeout {
        NextTimeout {
            after: ureq::unversioned::transport::time::Duration::Exact(after),
            reason: Timeout::Global,
            per_read: None,
            per_write: None,
        }
    }

    #[test]
    fn the_probe_tells_idle_from_garbage_and_from_closed() {
        let (client, mut server) = pair();
        assert!(is_idle_and_open(&client), "idle connection");
        // The probe leaves the socket blocking: a read waits for its timer.
        client
            .set_read_timeout(Some(Duration::from_millis(50)))
            .unwrap();
        let started = Instant::now();
        assert!(is_timer(&(&client).read(&mut [0; 4]).unwrap_err()));
        assert!(started.elapsed() >= Duration::from_millis(40));

        server.write_all(b"x").unwrap();
        client.peek(&mut [0]).unwrap(); // wait until the byte is there
        assert!(!is_idle_and_open(&client), "unread byte from the server");

        let (client, server) = pair();
        drop(server);
        client.peek(&mut [0]).unwrap(); // 0 bytes: end of stream
        assert!(!is_idle_and_open(&client), "closed by the server");
    }

    #[test]
    fn bytes_go_out_and_come_in_through_the_buffers() {
        let (client, mut server) = pair();
        let mut transport = transport(client);
        transmit(&mut transport, b"ping");
        server.write_all(b"pong").unwrap();
        assert!(transport
            .await_input(within(Duration::from_secs(5)))
            .unwrap());
        let mut got = [0; 4];
        server.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"ping");
        assert_eq!(transport.buffers().input(), b"pong");
        transport.buffers().input_consume(4);
        server.write_all(b"garbage").unwrap();
        let mut byte = [0];
        // Wait until it has arrived.
        transport.stream.peek(&mut byte).unwrap();
        // Right after I/O (going back to the pool) the probe trusts the
        // connection; the next one (before reuse) looks and sees garbage.
        assert!(transport.is_open());
        assert!(!transport.is_open());
        let _ = transport.await_input(within(Duration::from_secs(5)));

        drop(server);
        transport.buffers().input_consume(4);
        assert!(!transport
            .await_input(within(Duration::from_secs(5)))
            .unwrap());
    }

    #[test]
    fn a_head_and_a_small_body_leave_together_when_the_answer_is_awaited() {
        let (client, mut server) = pair();
        let mut transport = transport(client);
        transmit(&mut transport, b"POST / HTTP/1.1\r\n\r\n");
        transmit(&mut transport, b"{}");
        assert!(nothing_arrived(&server));
        // Half a request must not go back to the pool.
        assert!(!transport.is_open());

        server.write_all(b"ok").unwrap();
        assert!(transport
            .await_input(within(Duration::from_secs(5)))
            .unwrap());
        let mut got = [0; 21];
        server.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"POST / HTTP/1.1\r\n\r\n{}");
        assert!(transport.unsent.is_empty());
    }

    #[test]
    fn output_past_the_hold_back_limit_goes_out_at_once_and_in_order() {
        let (client, mut server) = pair();
        let mut transport = transport(client);
        let chunks: Vec<Vec<u8>> = (0..=HOLD_BACK_LIMIT / 1000)
            .map(|i| vec![b'a' + (i % 26) as u8; 1000])
            .collect();
        for chunk in &chunks {
            transmit(&mut transport, chunk);
        }
        // No read was awaited, yet everything arrives.
        let mut got = vec![0; chunks.len() * 1000];
        server.read_exact(&mut got).unwrap();
        assert_eq!(got, chunks.concat());
        assert!(transport.unsent.is_empty());
    }

    #[test]
    fn a_read_ends_at_its_limit_not_at_the_rounded_timer_and_not_later() {
        let (client, _server) = pair();
        let mut transport = transport(client);
        let started = Instant::now();
        let err = transport
            .await_input(within(Duration::from_millis(250)))
            .unwrap_err();
        let took = started.elapsed();
        assert!(
            matches!(err, ureq::Error::Timeout(Timeout::Global)),
            "{err}"
        );
        // The socket's timer fired at 200 ms (rounded down), then once more
        // for the exact rest.
        assert!(took >= Duration::from_millis(250), "{took:?}");
        assert!(took < Duration::from_secs(2), "{took:?}");
        let last = transport.read_timeout.unwrap();
        assert!(last < TIMEOUT_GRAIN, "{last:?}");
    }

    #[test]
    fn a_read_with_no_timer_of_its_own_ends_at_the_call_deadline() {
        let (client, _server) = pair();
        let mut transport = transport(client);
        let no_timer = NextTimeout {
            after: ureq::unversioned::transport::time::Duration::NotHappening,
            reason: Timeout::RecvResponse,
            per_read: None,
            per_write: None,
        };
        let started = Instant::now();
        let err = {
            let _entered = crate::deadline::Deadline::after(Duration::from_millis(250)).enter();
            transport.await_input(no_timer).unwrap_err()
        };
        let took = started.elapsed();
        assert!(
            matches!(err, ureq::Error::Timeout(Timeout::Global)),
            "{err}"
        );
        assert!(took >= Duration::from_millis(250), "{took:?}");
        assert!(took < Duration::from_secs(2), "{took:?}");
    }

    #[test]
    fn a_spent_limit_fails_before_any_io() {
        let (client, _server) = pair();
        let mut transport = transport(client);
        let err = transport.await_input(within(Duration::ZERO)).unwrap_err();
        assert!(
            matches!(err, ureq::Error::Timeout(Timeout::Global)),
            "{err}"
        );
        assert_eq!(transport.read_timeout, None, "no timeout was set");
    }

    #[test]
    fn connecting_tries_the_next_address_after_a_refusal() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let refused = {
            let l = TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap()
        };
        let addrs = [refused, listener.local_addr().unwrap()];
        let stream = connect_first(&addrs, within(Duration::from_secs(5))).unwrap();
        assert_eq!(stream.peer_addr().unwrap(), addrs[1]);

        let err = connect_first(&[refused], within(Duration::from_secs(5))).unwrap_err();
        assert!(
            matches!(&err, ureq::Error::Io(e) if e.kind() == io::ErrorKind::ConnectionRefused),
            "{err}"
        );
    }
}
