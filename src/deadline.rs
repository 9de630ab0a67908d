//! The moment a call must be finished by. A call (token fetch and retries
//! included) has one deadline, so each attempt may only take what is left
//! of it.

use std::time::{Duration, Instant};

use crate::cancel::{self, cancelled_error, CancelToken, POLL};
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

    /// A cancellation error once the call has been cancelled, or its
    /// thread's watch has said to stop.
    pub(crate) fn check_cancelled(&self) -> Result<()> {
        match &self.cancel {
            Some(token) if token.is_cancelled() => Err(cancelled_error()),
            _ if cancel::watch_stopped() => Err(cancelled_error()),
            _ => Ok(()),
        }
    }

    /// [`check_cancelled`](Self::check_cancelled) after a wait, which also
    /// asks this thread's watch.
    pub(crate) fn check_after_wait(&self) -> Result<()> {
        self.check_cancelled()?;
        if cancel::watch_says_stop() {
            return Err(cancelled_error());
        }
        Ok(())
    }

    /// Whether the waits of this call must come in slices of
    /// [`POLL`], to look at the token or the watch between them.
    pub(crate) fn waits_in_slices(&self) -> bool {
        self.cancel.is_some() || cancel::is_watched()
    }

    /// Sleeps for `duration` (a backoff, a rate-limit pause), cut short by
    /// a cancel.
    pub(crate) fn sleep(&self, duration: Duration) -> Result<()> {
        if !cancel::is_watched() {
            return self.sleep_unwatched(duration);
        }
        let until = Instant::now() + duration;
        while let Some(left) = until.checked_duration_since(Instant::now()) {
            if left.is_zero() {
                break;
            }
            self.sleep_unwatched(left.min(POLL))?;
            self.check_after_wait()?;
        }
        Ok(())
    }

    fn sleep_unwatched(&self, duration: Duration) -> Result<()> {
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
