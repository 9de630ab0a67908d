//! The outermost layer of every connection. A cancelled call can leave it
//! while it waits for the service's answer: with a cancel token or a watch
//! (`cancel.rs`), the wait for input is cut into slices, and they are
//! looked at between them. It also counts the connections open, and
//! writes a request in one piece.
//!
//! Built on ureq's `unversioned::transport` traits, like the resolver in
//! `resolve.rs` (hence the `~3.5` pin in Cargo.toml): ureq reads the
//! answer on the calling thread, with no other way in to end the wait.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use ureq::unversioned::transport::time::Duration as UreqDuration;
use ureq::unversioned::transport::{Buffers, ConnectionDetails, Connector, NextTimeout, Transport};

use crate::cancel::{self, POLL};

/// The `ureq::Error` a cancelled wait ends with; `transport.rs` reports it
/// as a cancellation.
pub(crate) fn cancelled() -> ureq::Error {
    ureq::Error::Io(std::io::Error::new(
        std::io::ErrorKind::Interrupted,
        "the call was cancelled",
    ))
}

/// The connections of one agent: open (in its pool or in use), and in use
/// by a call.
#[derive(Debug, Default)]
pub(crate) struct Connections {
    open: AtomicUsize,
    in_use: AtomicUsize,
}

impl Connections {
    /// Connections open and not in use: a call made now most likely
    /// reuses one rather than connecting. A hint, since another thread may
    /// take it first, or the service may have closed it.
    pub(crate) fn idle(&self) -> usize {
        let open = self.open.load(Ordering::Relaxed);
        open.saturating_sub(self.in_use.load(Ordering::Relaxed))
    }

    /// Counts a call as using a connection until the guard drops.
    pub(crate) fn use_one(self: &Arc<Self>) -> InUse {
        self.in_use.fetch_add(1, Ordering::Relaxed);
        InUse(self.clone())
    }
}

pub(crate) struct InUse(Arc<Connections>);

impl Drop for InUse {
    fn drop(&mut self) {
        self.0.in_use.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Wraps every connection the chain before it makes in [`Interruptible`].
#[derive(Debug)]
pub(crate) struct InterruptibleConnector {
    connections: Arc<Connections>,
}

impl InterruptibleConnector {
    pub(crate) fn new(connections: Arc<Connections>) -> Self {
        InterruptibleConnector { connections }
    }
}

impl<In: Transport> Connector<In> for InterruptibleConnector {
    type Out = Interruptible<In>;

    fn connect(
        &self,
        _details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(chained.map(|inner| {
            self.connections.open.fetch_add(1, Ordering::Relaxed);
            Interruptible {
                inner,
                connections: self.connections.clone(),
                held: Vec::new(),
            }
        }))
    }
}

#[derive(Debug)]
pub(crate) struct Interruptible<T> {
    inner: T,
    connections: Arc<Connections>,
    /// Output ureq has handed over and that is not yet written: it goes
    /// out when the answer is awaited, so that a request's head and body
    /// leave in one write (one segment, one TLS record), not one each.
    held: Vec<u8>,
}

/// Held output is written at once from this size on, so that a large body
/// streams rather than piling up.
const HOLD_AT_MOST: usize = 16 * 1024;

impl<T> Drop for Interruptible<T> {
    fn drop(&mut self) {
        self.connections.open.fetch_sub(1, Ordering::Relaxed);
    }
}

impl<T: Transport> Interruptible<T> {
    /// Writes the held output, through the inner transport's own buffer.
    fn write_held(&mut self, timeout: NextTimeout) -> Result<(), ureq::Error> {
        let mut from = 0;
        while from < self.held.len() {
            let output = self.inner.buffers().output();
            let amount = output.len().min(self.held.len() - from);
            output[..amount].copy_from_slice(&self.held[from..from + amount]);
            let written = self.inner.transmit_output(amount, timeout);
            if written.is_err() {
                // The connection is unusable after a failed write: nothing
                // held is sent again on it.
                self.held.clear();
            }
            written?;
            from += amount;
        }
        self.held.clear();
        Ok(())
    }
}

impl<T: Transport> Transport for Interruptible<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        if cancel::current_is_cancelled() || cancel::watch_stopped() {
            return Err(cancelled());
        }
        let output = &self.inner.buffers().output()[..amount];
        self.held.extend_from_slice(output);
        if self.held.len() >= HOLD_AT_MOST {
            self.write_held(timeout)?;
        }
        Ok(())
    }

    fn await_input(&mut self, mut timeout: NextTimeout) -> Result<bool, ureq::Error> {
        if !self.held.is_empty() {
            let started = Instant::now();
            self.write_held(timeout)?;
            if let UreqDuration::Exact(left) = timeout.after {
                timeout.after = UreqDuration::Exact(left.saturating_sub(started.elapsed()));
            }
        }
        // Without a token or a watch, waits exactly as ureq does.
        if !cancel::has_current() && !cancel::is_watched() {
            return self.inner.await_input(timeout);
        }
        loop {
            if cancel::current_is_cancelled() || cancel::watch_stopped() {
                return Err(cancelled());
            }
            let longer_than_a_slice = match timeout.after {
                UreqDuration::Exact(left) => left > POLL,
                UreqDuration::NotHappening => true,
            };
            if !longer_than_a_slice {
                return self.inner.await_input(timeout);
            }
            let started = Instant::now();
            let slice = NextTimeout {
                after: UreqDuration::Exact(POLL),
                ..timeout
            };
            match self.inner.await_input(slice) {
                Err(ureq::Error::Timeout(_)) => {
                    if cancel::watch_says_stop() {
                        return Err(cancelled());
                    }
                    if let UreqDuration::Exact(left) = timeout.after {
                        timeout.after = UreqDuration::Exact(left.saturating_sub(started.elapsed()));
                    }
                }
                other => return other,
            }
        }
    }

    fn is_open(&mut self) -> bool {
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use ureq::unversioned::transport::LazyBuffers;

    use super::*;

    /// Records each write that reaches the socket.
    #[derive(Debug)]
    struct Recorder {
        buffers: LazyBuffers,
        writes: Vec<Vec<u8>>,
    }

    impl Transport for Recorder {
        fn buffers(&mut self) -> &mut dyn Buffers {
            &mut self.buffers
        }

        fn transmit_output(&mut self, amount: usize, _: NextTimeout) -> Result<(), ureq::Error> {
            self.writes.push(self.buffers.output()[..amount].to_vec());
            Ok(())
        }

        fn await_input(&mut self, _: NextTimeout) -> Result<bool, ureq::Error> {
            Ok(true)
        }

        fn is_open(&mut self) -> bool {
            true
        }
    }

    fn connection() -> Interruptible<Recorder> {
        let recorder = Recorder {
            buffers: LazyBuffers::new(1024, 1024),
            writes: Vec::new(),
        };
        Interruptible {
            inner: recorder,
            connections: Arc::default(),
            held: Vec::new(),
        }
    }

    fn send(conn: &mut Interruptible<Recorder>, bytes: &[u8]) {
        conn.buffers().output()[..bytes.len()].copy_from_slice(bytes);
        conn.transmit_output(bytes.len(), NextTimeout::default())
            .unwrap();
    }

    fn wait(conn: &mut Interruptible<Recorder>, after: Duration) {
        let timeout = NextTimeout {
            after: UreqDuration::Exact(after),
            ..NextTimeout::default()
        };
        assert!(conn.await_input(timeout).unwrap());
    }

    #[test]
    fn a_request_head_and_body_leave_in_one_write() {
        let mut conn = connection();
        send(&mut conn, b"POST / HTTP/1.1\r\n\r\n");
        send(&mut conn, b"{}");
        assert!(conn.inner.writes.is_empty());
        wait(&mut conn, Duration::from_secs(30));
        assert_eq!(conn.inner.writes, [b"POST / HTTP/1.1\r\n\r\n{}".to_vec()]);
    }
}
