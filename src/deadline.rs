//! The moment a call must be finished by, and how the I/O under ureq
//! learns of it.
//!
//! A call (token fetch and retries included) has one deadline, so each
//! attempt may only take what is left of it. ureq can be told that per
//! request, but its per-request configuration copies the agent's whole
//! configuration into each request: about 2,700 instructions, 8% of a
//! keep-alive call, measured with callgrind. Instead, the attempt
//! [enters](Deadline::enter) its call's deadline on the current thread
//! (ureq is synchronous: every lookup, connect, read and write of the
//! attempt runs on the thread that made it), and the resolver and the TCP
//! transport bound their waits by it.

use std::cell::Cell;
use std::time::{Duration, Instant};

use ureq::unversioned::transport::NextTimeout;
use ureq::Timeout;

use crate::error::{Error, ErrorKind};

#[derive(Clone, Copy, Debug)]
pub(crate) struct Deadline {
    at: Instant,
    budget: Duration,
}

impl Deadline {
    pub(crate) fn after(budget: Duration) -> Self {
        Deadline {
            at: Instant::now() + budget,
            budget,
        }
    }

    /// Time left, or `None` once the deadline has passed.
    pub(crate) fn remaining(&self) -> Option<Duration> {
        self.at
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
    }

    pub(crate) fn expired_error(&self) -> Error {
        Error::new(
            ErrorKind::Timeout,
            format!("the call's deadline of {:?} passed", self.budget),
        )
    }

    /// Bounds the transport's I/O on this thread by this deadline until
    /// the returned guard is dropped.
    pub(crate) fn enter(&self) -> Entered {
        Entered {
            previous: CURRENT.replace(Some(self.at)),
        }
    }
}

thread_local! {
    static CURRENT: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// The deadline of the call under way on this thread, if any.
pub(crate) fn current() -> Option<Instant> {
    CURRENT.get()
}

/// `timeout` (ureq's, for one lookup, connect, read or write), cut short
/// to end by the deadline of the call under way on this thread when that
/// comes first. Reaching that deadline is reported as ureq's
/// `Timeout::Global`, which the transport maps to the call's timeout error.
pub(crate) fn bound(timeout: NextTimeout) -> NextTimeout {
    let Some(call) = current() else {
        return timeout;
    };
    let left = call.saturating_duration_since(Instant::now());
    if timeout.after.is_not_happening() || left < *timeout.after {
        NextTimeout {
            after: left.into(),
            reason: Timeout::Global,
            ..timeout
        }
    } else {
        timeout
    }
}

/// While alive, [`current`] is the entered deadline; dropping it restores
/// the one before.
#[must_use]
pub(crate) struct Entered {
    previous: Option<Instant>,
}

impl Drop for Entered {
    fn drop(&mut self) {
        CURRENT.set(self.previous);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entering_a_deadline_lasts_as_long_as_the_guard() {
        assert_eq!(current(), None);
        let outer = Deadline::after(Duration::from_secs(30));
        let inner = Deadline::after(Duration::from_secs(1));
        {
            let _outer = outer.enter();
            assert_eq!(current(), Some(outer.at));
            {
                let _inner = inner.enter();
                assert_eq!(current(), Some(inner.at));
            }
            assert_eq!(current(), Some(outer.at));
        }
        assert_eq!(current(), None);
    }

    fn ureq_timeout(after: Option<Duration>) -> NextTimeout {
        NextTimeout {
            after: after.map_or(
                ureq::unversioned::transport::time::Duration::NotHappening,
                Into::into,
            ),
            reason: Timeout::RecvResponse,
            per_read: None,
            per_write: None,
        }
    }

    #[test]
    fn a_wait_ends_by_the_call_deadline_when_that_comes_first() {
        // No call under way: ureq's timeout as it is.
        assert_eq!(bound(ureq_timeout(None)), ureq_timeout(None));
        let _entered = Deadline::after(Duration::from_secs(10)).enter();
        for asked in [None, Some(Duration::from_secs(60))] {
            let bounded = bound(ureq_timeout(asked));
            assert_eq!(bounded.reason, Timeout::Global);
            assert!(*bounded.after <= Duration::from_secs(10));
            assert!(*bounded.after > Duration::from_secs(9));
        }
        // ureq's own, shorter timer stays in charge.
        let short = ureq_timeout(Some(Duration::from_secs(1)));
        assert_eq!(bound(short), short);
    }

    #[test]
    fn a_passed_deadline_leaves_no_time() {
        let _entered = Deadline::after(Duration::ZERO).enter();
        let bounded = bound(ureq_timeout(None));
        assert!(!bounded.after.is_not_happening());
        assert!(bounded.after.is_zero());
        assert_eq!(bounded.reason, Timeout::Global);
    }

    #[test]
    fn other_threads_do_not_see_it() {
        let _entered = Deadline::after(Duration::from_secs(30)).enter();
        assert!(current().is_some());
        assert_eq!(std::thread::spawn(current).join().unwrap(), None);
    }
}
