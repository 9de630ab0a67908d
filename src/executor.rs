//! Calls that run on the library's own threads: the one way every binding
//! starts a call without blocking its caller, and cancels it.

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use crate::cancel::CancelToken;
use crate::client::Client;
use crate::error::{Error, Result};

/// How long an idle worker waits for work before it ends.
const IDLE: Duration = Duration::from_secs(30);

type Job = Box<dyn FnOnce() + Send>;

/// A bounded pool of worker threads, started as jobs need them.
pub(crate) struct Executor {
    max_workers: usize,
    state: Mutex<Queue>,
    ready: Condvar,
}

#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    workers: usize,
    idle: usize,
}

impl Executor {
    pub(crate) fn new(max_workers: u32) -> Arc<Self> {
        Arc::new(Executor {
            max_workers: max_workers.max(1) as usize,
            state: Mutex::new(Queue::default()),
            ready: Condvar::new(),
        })
    }

    fn submit(self: &Arc<Self>, job: Job) {
        let mut queue = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        queue.jobs.push_back(job);
        if queue.idle >= queue.jobs.len() || queue.workers >= self.max_workers {
            self.ready.notify_one();
            return;
        }
        queue.workers += 1;
        drop(queue);
        let pool = self.clone();
        let started = std::thread::Builder::new()
            .name("eiam-worker".into())
            .spawn(move || pool.work());
        if let Err(e) = started {
            // The jobs wait for a worker that is running, or for the next
            // submit to try again.
            log::warn!("eiam: could not start a worker thread: {e}");
            self.state
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .workers -= 1;
        }
    }

    fn work(&self) {
        let mut queue = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(job) = queue.jobs.pop_front() {
                drop(queue);
                job();
                queue = self.state.lock().unwrap_or_else(PoisonError::into_inner);
                continue;
            }
            queue.idle += 1;
            let (next, waited) = self
                .ready
                .wait_timeout(queue, IDLE)
                .unwrap_or_else(PoisonError::into_inner);
            queue = next;
            queue.idle -= 1;
            if waited.timed_out() && queue.jobs.is_empty() {
                queue.workers -= 1;
                return;
            }
        }
    }
}

/// A call started with [`Client::spawn`]: cancel it, or ask whether it
/// has finished. Dropping the handle neither cancels nor waits.
#[derive(Clone, Debug)]
pub struct Task {
    cancel: CancelToken,
    finished: Arc<AtomicBool>,
}

impl Task {
    /// Cancels the call: it finishes with
    /// [`ErrorKind::Cancelled`](crate::ErrorKind::Cancelled) within a few
    /// tens of milliseconds, or at once if it has not started. A request
    /// already sent may still take effect on the service. Harmless after
    /// the call has finished.
    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    /// Whether the call's `on_done` has returned.
    pub fn is_finished(&self) -> bool {
        self.finished.load(Ordering::Acquire)
    }
}

impl Client {
    /// Runs `work` on one of this client's worker threads (at most
    /// `async_workers` at once; the others wait their turn) and hands its
    /// result (a panic in `work` becomes an
    /// [`ErrorKind::Internal`](crate::ErrorKind::Internal) error) to
    /// `on_done` on that thread. `work` gets this client with the task's
    /// cancel token, so [`Task::cancel`] ends the calls it makes (and so
    /// does this client's own token, if it was made by
    /// [`Client::with_cancel`]). `on_done` runs exactly once, even when
    /// cancelled; it may call the client again (but should not block for
    /// long: it holds a worker).
    pub fn spawn<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Client) -> Result<T> + Send + 'static,
        on_done: impl FnOnce(Result<T>) + Send + 'static,
    ) -> Task {
        let task = Task {
            cancel: self.task_cancel(),
            finished: Arc::new(AtomicBool::new(false)),
        };
        let client = self.with_cancel(&task.cancel);
        let finished = task.finished.clone();
        self.executor().submit(Box::new(move || {
            // A panic is the call's error, so that `on_done` still runs.
            let result = catch_unwind(AssertUnwindSafe(|| work(&client)))
                .unwrap_or_else(|_| Err(Error::internal("panic inside an eiam call")));
            on_done(result);
            finished.store(true, Ordering::Release);
        }));
        task
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn jobs_run_on_at_most_max_workers_threads() {
        let pool = Executor::new(3);
        let (tx, rx) = mpsc::channel();
        let gate = Arc::new((Mutex::new(false), Condvar::new()));
        for _ in 0..10 {
            let (tx, gate) = (tx.clone(), gate.clone());
            pool.submit(Box::new(move || {
                let (lock, cv) = &*gate;
                let mut open = lock.lock().unwrap();
                while !*open {
                    open = cv.wait(open).unwrap();
                }
                tx.send(std::thread::current().id()).unwrap();
            }));
        }
        assert!(pool.state.lock().unwrap().workers <= 3);
        *gate.0.lock().unwrap() = true;
        gate.1.notify_all();
        let threads: std::collections::HashSet<_> = (0..10).map(|_| rx.recv().unwrap()).collect();
        assert!(
            !threads.is_empty() && threads.len() <= 3,
            "{}",
            threads.len()
        );
    }
}
