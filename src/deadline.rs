//! The moment a call must be finished by. A call (token fetch and retries
//! included) has one deadline, so each attempt may only take what is left
//! of it.

use std::time::{Duration, Instant};

use crate::cancel::{cancelled_error, CancelToken};
use crate::error::{Error, ErrorKind, Result};

#[derive(Clone, Debug)]
pub(crate) struct Deadline {
    at: Instant,
    budget: Duration,
    /// Ends the call early when cancelled.
    cancel: Option<CancelToken>,
}

impl Deadline {
    /// `budget` from now. The configuration bounds budgets; a clock that
    /// cannot go that far (none can overflow within a day) gives the
    /// farthest instant it can.
    pub(crate) fn after(budget: Duration) -> Self {
        let now = Instant::now();
        Deadline {
            at: now
                .checked_add(budget)
                .unwrap_or_else(|| now + crate::config::MAX_TIMEOUT),
            budget,
            cancel: None,
        }
    }

    /// The same deadline, also ended by `cancel`.
    pub(crate) fn with_cancel(mut self, cancel: Option<CancelToken>) -> Self {
        self.cancel = cancel;
        self
    }

    pub(crate) fn cancel_token(&self) -> Option<&CancelToken> {
        self.cancel.as_ref()
    }

    /// A cancellation error once the call has been cancelled.
    pub(crate) fn check_cancelled(&self) -> Result<()> {
        match &self.cancel {
            Some(token) if token.is_cancelled() => Err(cancelled_error()),
            _ => Ok(()),
        }
    }

    /// Sleeps for `duration` (a backoff, a rate-limit pause), cut short by
    /// a cancel.
    pub(crate) fn sleep(&self, duration: Duration) -> Result<()> {
        match &self.cancel {
            Some(token) if !token.sleep(duration) => Err(cancelled_error()),
            Some(_) => Ok(()),
            None => {
                std::thread::sleep(duration);
                Ok(())
            }
        }
    }

    /// Time left, or `None` once the deadline has passed.
    pub(crate) fn remaining(&self) -> Option<Duration> {
        self.at
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
    }

    /// Whether this deadline comes before `other`.
    pub(crate) fn is_before(&self, other: &Deadline) -> bool {
        self.at < other.at
    }

    pub(crate) fn expired_error(&self) -> Error {
        Error::new(
            ErrorKind::Timeout,
            format!("the call's deadline of {:?} passed", self.budget),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_budget_does_not_overflow_the_clock() {
        let d = Deadline::after(Duration::MAX);
        assert!(d.remaining().is_some());
    }

    #[test]
    fn time_runs_out() {
        assert!(Deadline::after(Duration::ZERO).remaining().is_none());
        let short = Deadline::after(Duration::from_secs(1));
        let long = Deadline::after(Duration::from_secs(60));
        assert!(short.is_before(&long) && !long.is_before(&short));
        assert!(long.remaining().unwrap() > Duration::from_secs(59));
    }
}
