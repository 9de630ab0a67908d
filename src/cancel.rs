//! Cancelling calls from another thread: a token that a call's every wait
//! and every read of its answer look at.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use crate::error::{Error, ErrorKind};

/// How often a call blocked on the network looks at its token, so that a
/// cancelled call ends within about this long.
pub(crate) const POLL: Duration = Duration::from_millis(25);

/// Cancels the calls of the clients made with
/// [`Client::with_cancel`](crate::Client::with_cancel).
///
/// Cancelling is immediate for a call that waits (for a retry, a rate
/// limit or a token) and takes at most a few tens of milliseconds for one
/// waiting for the service's answer; the call then fails with
/// [`ErrorKind::Cancelled`]. A request already sent may still take effect
/// on the service. Clones share one state; cancelling cannot be undone.
#[derive(Clone, Default)]
pub struct CancelToken(Arc<Shared>);

#[derive(Default)]
struct Shared {
    cancelled: AtomicBool,
    lock: Mutex<()>,
    woken: Condvar,
    /// The tokens of [`CancelToken::child`], cancelled with this one.
    children: Mutex<Vec<Weak<Shared>>>,
}

impl Shared {
    fn cancel(&self) {
        self.cancelled.store(true, Ordering::Release);
        {
            let _guard = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
            self.woken.notify_all();
        }
        // A child made from now on sees the flag itself (see `child`).
        let children =
            std::mem::take(&mut *self.children.lock().unwrap_or_else(PoisonError::into_inner));
        for child in children.iter().filter_map(Weak::upgrade) {
            child.cancel();
        }
    }
}

impl CancelToken {
    /// A token not yet cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels every call that watches this token, now and later.
    pub fn cancel(&self) {
        self.0.cancel();
    }

    /// A token cancelled with this one (now, if it already is), which can
    /// also be cancelled alone: a task started on a client whose calls a
    /// token ends.
    pub(crate) fn child(&self) -> CancelToken {
        let child = CancelToken::new();
        let mut children = self
            .0
            .children
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        children.retain(|c| c.strong_count() > 0);
        children.push(Arc::downgrade(&child.0));
        drop(children);
        // Registered first, so a concurrent cancel either finds the child
        // or has set the flag read here.
        if self.is_cancelled() {
            child.cancel();
        }
        child
    }

    /// Whether [`cancel`](Self::cancel) was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.load(Ordering::Acquire)
    }

    /// Sleeps for `duration`, or less if the token is cancelled meanwhile;
    /// `false` when it was.
    pub(crate) fn sleep(&self, duration: Duration) -> bool {
        let until = Instant::now() + duration;
        let mut guard = self.0.lock.lock().unwrap_or_else(PoisonError::into_inner);
        while !self.is_cancelled() {
            let Some(left) = until.checked_duration_since(Instant::now()) else {
                return true;
            };
            guard = self
                .0
                .woken
                .wait_timeout(guard, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        false
    }
}

impl fmt::Debug for CancelToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CancelToken")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

pub(crate) fn cancelled_error() -> Error {
    Error::new(ErrorKind::Cancelled, "the call was cancelled")
}

thread_local! {
    /// The token of the call this thread is sending, read by the transport
    /// while it waits for the answer (ureq runs a request on the calling
    /// thread, so the token needs no way through ureq's API).
    static CURRENT: RefCell<Option<CancelToken>> = const { RefCell::new(None) };
}

/// Runs `f` with `token` as this thread's current token.
pub(crate) fn while_current<T>(token: Option<&CancelToken>, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<CancelToken>);
    impl Drop for Restore {
        fn drop(&mut self) {
            CURRENT.with(|c| *c.borrow_mut() = self.0.take());
        }
    }
    let previous = CURRENT.with(|c| c.replace(token.cloned()));
    let _restore = Restore(previous);
    f()
}

/// Whether the call this thread is sending can be cancelled.
pub(crate) fn has_current() -> bool {
    CURRENT.with(|c| c.borrow().is_some())
}

/// Whether the call this thread is sending has been cancelled.
pub(crate) fn current_is_cancelled() -> bool {
    CURRENT.with(|c| c.borrow().as_ref().is_some_and(CancelToken::is_cancelled))
}

thread_local! {
    /// The check of [`while_watching`] on this thread, and whether it has
    /// said to stop.
    static WATCH: RefCell<Option<Rc<dyn Fn() -> bool>>> = const { RefCell::new(None) };
    static STOPPED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` so that every call it makes on this thread asks `stop` whether
/// to end, each time one of the call's waits (for the service's answer, a
/// retry, a rate-limit pause or a token) has lasted about 25 ms; once
/// `stop` returns `true`, the call fails with [`ErrorKind::Cancelled`], and
/// so does every later call within `f`. Calls on other threads (a bulk
/// job's workers, async tasks) are not watched.
///
/// For a runtime that delivers interrupts to the calling thread, such as
/// Python's Ctrl-C, whose handlers only run between bytecodes: `stop` can
/// run them. It is never asked during a call that waits less than a slice,
/// so a fast call costs nothing more. Opening a connection is not sliced:
/// a call that must connect notices `stop` once it has connected, or has
/// failed to within the connect timeout (see
/// [`Client::idle_connections`](crate::Client::idle_connections)).
pub fn while_watching<T>(stop: impl Fn() -> bool + 'static, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<Rc<dyn Fn() -> bool>>, bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            WATCH.with(|w| *w.borrow_mut() = self.0.take());
            STOPPED.with(|s| s.set(self.1));
        }
    }
    let previous = WATCH.with(|w| w.replace(Some(Rc::new(stop))));
    let _restore = Restore(previous, STOPPED.with(|s| s.replace(false)));
    f()
}

/// Whether this thread's calls are watched (so their waits come in slices).
pub(crate) fn is_watched() -> bool {
    WATCH.with(|w| w.borrow().is_some())
}

/// Whether the watch of this thread has said to stop.
pub(crate) fn watch_stopped() -> bool {
    STOPPED.with(Cell::get)
}

/// Asks the watch (after a wait of a slice) whether to stop, and
/// remembers a yes; `false` when the thread is not watched.
pub(crate) fn watch_says_stop() -> bool {
    if watch_stopped() {
        return true;
    }
    // Taken out while it runs: a call that `stop` makes is not watched.
    let Some(stop) = WATCH.with(|w| w.borrow_mut().take()) else {
        return false;
    };
    struct PutBack(Option<Rc<dyn Fn() -> bool>>);
    impl Drop for PutBack {
        fn drop(&mut self) {
            WATCH.with(|w| *w.borrow_mut() = self.0.take());
        }
    }
    let stop = PutBack(Some(stop));
    let stopping = stop.0.as_ref().is_some_and(|stop| stop());
    if stopping {
        STOPPED.with(|s| s.set(true));
    }
    stopping
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sleep_ends_when_the_token_is_cancelled() {
        let token = CancelToken::new();
        let other = token.clone();
        let started = Instant::now();
        let sleeper = std::thread::spawn(move || other.sleep(Duration::from_secs(30)));
        token.cancel();
        assert!(!sleeper.join().unwrap(), "the sleep reports the cancel");
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(token.is_cancelled());
        assert!(
            !token.sleep(Duration::from_secs(30)),
            "cancelled stays cancelled"
        );
        assert!(CancelToken::new().sleep(Duration::from_millis(1)));
    }

    #[test]
    fn a_child_is_cancelled_with_its_parent_not_the_other_way() {
        let parent = CancelToken::new();
        let (child, other) = (parent.child(), parent.child());
        child.cancel();
        assert!(!parent.is_cancelled() && !other.is_cancelled());
        parent.cancel();
        assert!(other.is_cancelled());
        assert!(parent.child().is_cancelled(), "made after the cancel");

        // The children that are gone are forgotten.
        let parent = CancelToken::new();
        for _ in 0..3 {
            drop(parent.child());
        }
        let _kept = parent.child();
        assert_eq!(parent.0.children.lock().unwrap().len(), 1);
    }

    #[test]
    fn the_current_token_is_per_thread_and_restored() {
        let token = CancelToken::new();
        token.cancel();
        assert!(!current_is_cancelled());
        while_current(Some(&token), || {
            assert!(current_is_cancelled());
            let elsewhere = std::thread::spawn(current_is_cancelled).join().unwrap();
            assert!(!elsewhere);
        });
        assert!(!current_is_cancelled());
    }
}
