//! Calls that Ctrl-C can interrupt.
//!
//! Python runs signal handlers on its main thread, between bytecodes: a
//! main thread blocked in the core would raise `KeyboardInterrupt` only
//! once the answer came. So on the main thread a call runs under the
//! core's `while_watching`, which runs the signal handlers whenever the
//! call has waited a slice, and ends the call when one raises. The core
//! cannot cut a connect short, so a call that would have to connect (the
//! client has no idle connection) runs on a helper thread instead, while
//! the main thread waits for it in slices. Signals never reach other
//! threads, so their calls run the core directly.

use std::cell::{Cell, RefCell};
use std::mem;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use eiam::Error;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use crate::errors::{detached, guarded, to_py};

/// How long the main thread waits before it runs the signal handlers again.
const SLICE: Duration = Duration::from_millis(50);

type Job = Box<dyn FnOnce() + Send>;

/// A thread that runs the main thread's core calls, one at a time.
struct Helper {
    jobs: mpsc::Sender<Job>,
}

/// What a thread knows about itself, valid for one process: a fork()
/// child has none of its parent's helper threads, and its one thread is
/// its main thread.
struct ThreadState {
    forks: u64,
    is_main: Option<bool>,
    /// The idle helper; taken while a call is out on it.
    helper: Option<Helper>,
}

thread_local! {
    static STATE: RefCell<ThreadState> = const {
        RefCell::new(ThreadState { forks: 0, is_main: None, helper: None })
    };
}

/// fork()s this process has been through (counted in the child).
static FORKS: AtomicU64 = AtomicU64::new(0);

#[cfg(unix)]
extern "C" fn count_fork_in_child() {
    FORKS.fetch_add(1, Ordering::Relaxed);
}

/// Registers the fork counter (once per process).
pub fn install() {
    #[cfg(unix)]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            // SAFETY: the handler only increments an atomic, which is
            // async-signal-safe, as a fork handler must be.
            unsafe { libc::pthread_atfork(None, None, Some(count_fork_in_child)) };
        });
    }
}

fn with_state<R>(f: impl FnOnce(&mut ThreadState) -> R) -> R {
    STATE.with(|state| {
        let mut state = state.borrow_mut();
        let forks = FORKS.load(Ordering::Relaxed);
        if state.forks != forks {
            // The parent's helper thread does not exist here. Leaked, not
            // dropped: its channel may have been mid-operation in a thread
            // of the parent when the fork happened.
            mem::forget(state.helper.take());
            state.is_main = None;
            state.forks = forks;
        }
        f(&mut state)
    })
}

/// Whether this is the thread Python runs signal handlers on.
fn on_main_thread(py: Python<'_>) -> bool {
    if let Some(known) = with_state(|s| s.is_main) {
        return known;
    }
    let found = (|| -> PyResult<bool> {
        let threading = py.import("threading")?;
        let main = threading.call_method0("main_thread")?.getattr("ident")?;
        main.eq(threading.call_method0("get_ident")?)
    })()
    .unwrap_or(false);
    with_state(|s| s.is_main = Some(found));
    found
}

fn spawn_helper() -> Option<Helper> {
    let (jobs, queue) = mpsc::channel::<Job>();
    thread::Builder::new()
        .name("eiam-call".into())
        .spawn(move || queue.into_iter().for_each(|job| job()))
        .ok()?;
    Some(Helper { jobs })
}

/// A core call under way on a helper thread.
pub struct Running<T> {
    result: mpsc::Receiver<Result<T, Error>>,
    /// Given back to the thread once the call is done. Dropped with an
    /// abandoned call, so the helper ends when that call does, and the
    /// next call gets a fresh one instead of waiting behind it.
    helper: Option<Helper>,
}

impl<T: Send + 'static> Running<T> {
    /// Starts `f` on this thread's helper. Without one (the system refused
    /// a thread), `f` runs here, and cannot be interrupted.
    pub fn start<F>(py: Python<'_>, f: F) -> Self
    where
        F: FnOnce() -> Result<T, Error> + Send + 'static,
    {
        let (send, result) = mpsc::sync_channel(1);
        let job: Job = Box::new(move || {
            // The receiver is gone if the call was abandoned.
            let _ = send.send(guarded(f));
        });
        let helper = match with_state(|s| s.helper.take()).or_else(spawn_helper) {
            Some(helper) => match helper.jobs.send(job) {
                Ok(()) => Some(helper),
                Err(mpsc::SendError(job)) => {
                    py.detach(job);
                    None
                }
            },
            None => {
                py.detach(job);
                None
            }
        };
        Running { result, helper }
    }

    /// Waits for the call's result. If a signal handler raises meanwhile
    /// (`KeyboardInterrupt` for Ctrl-C), that exception comes back at once
    /// and the call goes on; `wait` may be called again.
    pub fn wait(&mut self, py: Python<'_>) -> PyResult<Result<T, Error>> {
        loop {
            let result = &mut self.result;
            match py.detach(move || result.recv_timeout(SLICE)) {
                Ok(result) => {
                    if let Some(helper) = self.helper.take() {
                        with_state(|s| {
                            s.helper.get_or_insert(helper);
                        });
                    }
                    return Ok(result);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => py.check_signals()?,
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Ok(Err(Error::internal("a call ended without a result")))
                }
            }
        }
    }
}

/// Whether a call on this thread must wait in slices: on the main thread,
/// while SIGINT has a Python handler (by default the one that raises
/// `KeyboardInterrupt`). With `SIG_DFL` Ctrl-C ends the process at once,
/// and with `SIG_IGN` it does nothing, so calls need not watch for it.
pub fn interruptible(py: Python<'_>) -> bool {
    static GETSIGNAL: PyOnceLock<(Py<PyAny>, Py<PyAny>)> = PyOnceLock::new();
    if !on_main_thread(py) {
        return false;
    }
    let handler = GETSIGNAL
        .get_or_try_init(py, || -> PyResult<_> {
            // `_signal`, not `signal`, whose wrapper makes an enum member
            // of the answer by running Python code, on every call.
            let signal = py.import("_signal")?;
            Ok((
                signal.getattr("getsignal")?.unbind(),
                signal.getattr("SIGINT")?.unbind(),
            ))
        })
        .and_then(|(getsignal, sigint)| getsignal.call1(py, (sigint,)));
    // If the handler cannot be read, watch anyway.
    handler.map_or(true, |h| h.bind(py).is_callable())
}

/// Runs a blocking core call with the GIL released. When it is
/// [`interruptible`], a signal handler's exception (`KeyboardInterrupt`)
/// ends the wait within one slice, and the call goes on, abandoned, on a
/// helper thread: whatever it leaves behind is there for the next call.
pub fn call_to_completion<T, F>(py: Python<'_>, f: F) -> PyResult<T>
where
    F: FnOnce() -> Result<T, Error> + Send + 'static,
    T: Send + 'static,
{
    if !interruptible(py) {
        return detached(py, f);
    }
    on_helper(py, f)
}

fn on_helper<T, F>(py: Python<'_>, f: F) -> PyResult<T>
where
    F: FnOnce() -> Result<T, Error> + Send + 'static,
    T: Send + 'static,
{
    Running::start(py, f).wait(py)?.map_err(|e| to_py(py, &e))
}

/// Runs a blocking core call of `client` with the GIL released. When it
/// is [`interruptible`], a signal handler's exception (`KeyboardInterrupt`)
/// ends the wait within one slice, and the call with it (or, when it had
/// to connect, the call is abandoned); its request may still take effect
/// on the service.
pub fn call<T, F>(py: Python<'_>, client: &eiam::Client, f: F) -> PyResult<T>
where
    F: FnOnce() -> Result<T, Error> + Send + 'static,
    T: Send + 'static,
{
    if !interruptible(py) {
        return detached(py, f);
    }
    if client.idle_connections() == 0 {
        return on_helper(py, f);
    }
    watched(py, f)
}

/// Runs `f` here, without the GIL, running the signal handlers whenever
/// it has waited a slice; the call ends when one raises.
fn watched<T, F>(py: Python<'_>, f: F) -> PyResult<T>
where
    F: FnOnce() -> Result<T, Error> + Send,
    T: Send,
{
    let (result, raised) = py.detach(move || {
        let raised = Rc::new(Cell::new(None));
        let slot = raised.clone();
        let run_handlers = move || {
            Python::attach(|py| match py.check_signals() {
                Ok(()) => false,
                Err(e) => {
                    slot.set(Some(e));
                    true
                }
            })
        };
        let result = eiam::while_watching(run_handlers, || guarded(f));
        (result, raised.take())
    });
    match raised {
        // The call ended because of it (as cancelled).
        Some(e) => Err(e),
        None => result.map_err(|e| to_py(py, &e)),
    }
}
