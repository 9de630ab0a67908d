//! A transport that a cancelled call can leave while it waits for the
//! service's answer: with a cancel token, the wait for input is cut into
//! slices, and the token is looked at between them.
//!
//! Built on ureq's `unversioned::transport` traits, like the resolver in
//! `resolve.rs` (hence the `~3.5` pin in Cargo.toml): ureq reads the
//! answer on the calling thread, with no other way in to end the wait.

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

/// Wraps every connection the chain before it makes in [`Interruptible`].
#[derive(Debug)]
pub(crate) struct InterruptibleConnector;

impl<In: Transport> Connector<In> for InterruptibleConnector {
    type Out = Interruptible<In>;

    fn connect(
        &self,
        _details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(chained.map(|inner| Interruptible { inner }))
    }
}

#[derive(Debug)]
pub(crate) struct Interruptible<T> {
    inner: T,
}

impl<T: Transport> Transport for Interruptible<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        if cancel::current_is_cancelled() {
            return Err(cancelled());
        }
        self.inner.transmit_output(amount, timeout)
    }

    fn await_input(&mut self, mut timeout: NextTimeout) -> Result<bool, ureq::Error> {
        // Without a token, waits exactly as ureq does.
        if !cancel::has_current() {
            return self.inner.await_input(timeout);
        }
        loop {
            if cancel::current_is_cancelled() {
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
