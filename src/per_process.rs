//! A value that belongs to the process that made it, such as a connection
//! pool: after `fork()`, the child makes its own instead of sharing the
//! parent's sockets, which would cross the two processes' answers.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{PoisonError, RwLock};

/// The fork()s between the first process that used a [`PerProcess`] and
/// this one (0 there, 1 in its children, 2 in theirs): an inherited value
/// was stamped with a smaller number. Counted in each child by a
/// `pthread_atfork` handler, so reading it costs no system call, unlike
/// `getpid` on every call. (A process made by a raw `clone` system call,
/// which runs no fork handlers, is not seen.)
pub(crate) fn generation() -> u64 {
    static FORKS: AtomicU64 = AtomicU64::new(0);
    #[cfg(unix)]
    {
        extern "C" fn count_fork_in_child() {
            FORKS.fetch_add(1, Ordering::Relaxed);
        }
        static REGISTERED: std::sync::Once = std::sync::Once::new();
        REGISTERED.call_once(|| {
            // SAFETY: the handler only increments an atomic, which is
            // async-signal-safe, as a fork handler must be.
            unsafe { libc::pthread_atfork(None, None, Some(count_fork_in_child)) };
        });
    }
    FORKS.load(Ordering::Relaxed)
}

pub(crate) struct PerProcess<T> {
    /// The value and the [`generation`] of the process that made it.
    current: RwLock<(u64, T)>,
    make: Box<dyn Fn() -> T + Send + Sync>,
}

impl<T: Clone> PerProcess<T> {
    pub(crate) fn new(make: impl Fn() -> T + Send + Sync + 'static) -> Self {
        PerProcess {
            current: RwLock::new((generation(), make())),
            make: Box::new(make),
        }
    }

    /// This process's value, made anew in a process that did not make it.
    pub(crate) fn get(&self) -> T {
        let here = generation();
        {
            let current = self.current.read().unwrap_or_else(PoisonError::into_inner);
            if current.0 == here {
                return current.1.clone();
            }
        }
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        if current.0 != here {
            // Dropping the inherited pool only closes this process's copies
            // of the parent's sockets, which leaves the parent's open: ureq
            // shuts sockets down (which would reach the parent) only when
            // told to, and rustls sends nothing on drop.
            drop(std::mem::replace(&mut current.1, (self.make)()));
            current.0 = here;
            log::debug!("eiam: running in a new process; the parent's connections are not reused");
        }
        current.1.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[test]
    fn the_same_process_keeps_its_value() {
        let made = Arc::new(AtomicUsize::new(0));
        let counter = made.clone();
        let value = PerProcess::new(move || counter.fetch_add(1, Ordering::SeqCst));
        assert_eq!((value.get(), value.get()), (0, 0));
        assert_eq!(made.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn another_process_makes_its_own() {
        let made = Arc::new(AtomicUsize::new(0));
        let counter = made.clone();
        let value = PerProcess::new(move || counter.fetch_add(1, Ordering::SeqCst));
        // As a forked child would see it: made by some other process.
        value.current.write().unwrap().0 = generation().wrapping_add(1);
        assert_eq!(value.get(), 1);
        assert_eq!(value.get(), 1);
        assert_eq!(made.load(Ordering::SeqCst), 2);
    }
}
