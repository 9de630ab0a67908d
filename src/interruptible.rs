//! A transport that a cancelled call can leave while it waits for the
//! service's answer: with a cancel token or a watch (`cancel.rs`), the
//! wait for input is cut into slices, and they are looked at between
//! them. It also counts the connections open.
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
            }
        }))
    }
}

#[derive(Debug)]
pub(crate) struct Interruptible<T> {
    inner: T,
    connections: Arc<Connections>,
}

impl<T> Drop for Interruptible<T> {
    fn drop(&mut self) {
        self.connections.open.fetch_sub(1, Ordering::Relaxed);
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
        self.inner.transmit_output(amount, timeout)
    }

    fn await_input(&mut self, mut timeout: NextTimeout) -> Result<bool, ureq::Error> {
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
