//! A value that belongs to the process that made it, such as a connection
//! pool: after `fork()`, the child makes its own instead of sharing the
//! parent's sockets, which would cross the two processes' answers.

use std::sync::{PoisonError, RwLock};

pub(crate) struct PerProcess<T> {
    /// The value and the id of the process that made it.
    current: RwLock<(u32, T)>,
    make: Box<dyn Fn() -> T + Send + Sync>,
}

impl<T: Clone> PerProcess<T> {
    pub(crate) fn new(make: impl Fn() -> T + Send + Sync + 'static) -> Self {
        PerProcess {
            current: RwLock::new((std::process::id(), make())),
            make: Box::new(make),
        }
    }

    /// This process's value, made anew in a process that did not make it.
    pub(crate) fn get(&self) -> T {
        let pid = std::process::id();
        {
            let current = self.current.read().unwrap_or_else(PoisonError::into_inner);
            if current.0 == pid {
                return current.1.clone();
            }
        }
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        if current.0 != pid {
            // Dropping the inherited pool only closes this process's copies
            // of the parent's sockets, which leaves the parent's open: ureq
            // shuts sockets down (which would reach the parent) only when
            // told to, and rustls sends nothing on drop.
            drop(std::mem::replace(&mut current.1, (self.make)()));
            current.0 = pid;
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
        value.current.write().unwrap().0 = std::process::id().wrapping_add(1);
        assert_eq!(value.get(), 1);
        assert_eq!(value.get(), 1);
        assert_eq!(made.load(Ordering::SeqCst), 2);
    }
}
