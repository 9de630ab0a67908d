//! Socket timeouts that change in steps. ureq sets a socket's read and
//! write timeouts to what is left of the call's deadline whenever that
//! differs from the last value set, which it does on every call: two
//! `setsockopt` a call. This layer, right over the TCP connection, hands
//! down timeouts rounded down to a whole number of steps, so that calls
//! made close together hand down the same value.

use std::time::{Duration, Instant};

use ureq::unversioned::transport::time::Duration as UreqDuration;
use ureq::unversioned::transport::{Buffers, ConnectionDetails, Connector, NextTimeout, Transport};

/// Timeouts longer than two steps are rounded down to whole steps. A read
/// that times out early goes on waiting; a write cannot be resumed, so a
/// send that stalls ends at most one step before the deadline.
const STEP: Duration = Duration::from_millis(100);

/// `after`, rounded down to a whole number of [`STEP`]s when it is longer
/// than two.
fn steady(after: UreqDuration) -> UreqDuration {
    match after {
        UreqDuration::Exact(left) if left > 2 * STEP => {
            let steps = left.as_nanos() / STEP.as_nanos();
            UreqDuration::Exact(STEP * u32::try_from(steps).unwrap_or(u32::MAX))
        }
        other => other,
    }
}

/// `after` less `elapsed`.
fn less(after: UreqDuration, elapsed: Duration) -> UreqDuration {
    match after {
        UreqDuration::Exact(left) => UreqDuration::Exact(left.saturating_sub(elapsed)),
        UreqDuration::NotHappening => UreqDuration::NotHappening,
    }
}

/// Wraps every connection the chain before it makes in [`Steady`].
#[derive(Debug)]
pub(crate) struct SteadyConnector;

impl<In: Transport> Connector<In> for SteadyConnector {
    type Out = Steady<In>;

    fn connect(
        &self,
        _details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(chained.map(Steady))
    }
}

#[derive(Debug)]
pub(crate) struct Steady<T>(T);

impl<T: Transport> Transport for Steady<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.0.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        let timeout = NextTimeout {
            after: steady(timeout.after),
            ..timeout
        };
        self.0.transmit_output(amount, timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        let mut left = timeout.after;
        loop {
            let wait = steady(left);
            let started = Instant::now();
            match self.0.await_input(NextTimeout {
                after: wait,
                ..timeout
            }) {
                // Only the whole of what was left ends the wait.
                Err(ureq::Error::Timeout(_)) if wait != left => {
                    left = less(left, started.elapsed());
                }
                other => return other,
            }
        }
    }

    fn is_open(&mut self) -> bool {
        self.0.is_open()
    }

    fn is_tls(&self) -> bool {
        self.0.is_tls()
    }
}

#[cfg(test)]
mod tests {
    use ureq::unversioned::transport::LazyBuffers;

    use super::*;

    /// Records the timeout of each wait.
    #[derive(Debug)]
    struct Socket {
        buffers: LazyBuffers,
        waits: Vec<UreqDuration>,
    }

    impl Transport for Socket {
        fn buffers(&mut self) -> &mut dyn Buffers {
            &mut self.buffers
        }

        fn transmit_output(&mut self, _: usize, _: NextTimeout) -> Result<(), ureq::Error> {
            Ok(())
        }

        fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
            self.waits.push(timeout.after);
            Ok(true)
        }

        fn is_open(&mut self) -> bool {
            true
        }
    }

    fn wait(conn: &mut Steady<Socket>, after: Duration) {
        let timeout = NextTimeout {
            after: UreqDuration::Exact(after),
            ..NextTimeout::default()
        };
        assert!(conn.await_input(timeout).unwrap());
    }

    fn connection() -> Steady<Socket> {
        Steady(Socket {
            buffers: LazyBuffers::new(64, 64),
            waits: Vec::new(),
        })
    }

    #[test]
    fn calls_close_together_give_the_socket_the_same_timeout() {
        let mut conn = connection();
        wait(&mut conn, Duration::from_micros(29_999_970));
        wait(&mut conn, Duration::from_micros(29_999_950));
        let step = UreqDuration::Exact(Duration::from_millis(29_900));
        assert_eq!(conn.0.waits, [step, step]);
    }

    #[test]
    fn short_timeouts_reach_the_socket_exactly() {
        let mut conn = connection();
        wait(&mut conn, Duration::from_micros(199_999));
        assert_eq!(
            conn.0.waits,
            [UreqDuration::Exact(Duration::from_micros(199_999))]
        );
    }
}
