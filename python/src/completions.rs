//! How a worker hands an async call's result to the event loop without
//! the GIL: it queues the result and, if the queue was empty, writes one
//! byte to a pipe the loop watches (`loop.add_reader`); the loop's thread
//! then settles every queued future at once. Taking the GIL on 100 worker
//! threads to call `call_soon_threadsafe` made them queue for it behind
//! the busy loop thread (the interpreter hands the GIL over only every
//! 5 ms): measured 3,425 calls/s at 100 in flight and 20 ms latency,
//! against aiohttp's 4,411.

use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::mem::ManuallyDrop;
use std::os::fd::{FromRawFd, RawFd};
use std::sync::{Arc, Mutex, PoisonError};

use pyo3::prelude::*;

/// Turns a call's outcome into its Python value (`Ok`) or exception
/// (`Err`); runs on the loop's thread, with the GIL.
pub(crate) type Outcome = Box<dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send>;

/// The queue and the pipe of one event loop.
pub(crate) struct Channel {
    queue: Mutex<Vec<(Py<PyAny>, Outcome)>>,
    read_fd: RawFd,
    write_fd: RawFd,
}

impl Channel {
    /// Queues `outcome` for `fut`; callable from any thread, without the GIL.
    pub(crate) fn push(&self, fut: Py<PyAny>, outcome: Outcome) {
        let was_empty = {
            let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
            queue.push((fut, outcome));
            queue.len() == 1
        };
        if was_empty {
            // Non-blocking: a full pipe already has a wake-up waiting.
            let mut pipe = ManuallyDrop::new(unsafe_file(self.write_fd));
            let _ = pipe.write(&[1]);
        }
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        // SAFETY: the fds were handed to this channel, which owns them.
        unsafe {
            libc::close(self.read_fd);
            libc::close(self.write_fd);
        }
    }
}

fn unsafe_file(fd: RawFd) -> File {
    // SAFETY: `fd` is open for the channel's life; the caller wraps the
    // file in `ManuallyDrop`, so it is never closed here.
    unsafe { File::from_raw_fd(fd) }
}

/// `eiam._aio` keeps one per event loop and registers `drain` as the
/// reader of its pipe.
#[pyclass(module = "eiam._eiam", name = "_Completions", frozen)]
pub struct Completions {
    pub(crate) channel: Arc<Channel>,
}

#[pymethods]
impl Completions {
    /// Takes ownership of a pipe's two ends, both non-blocking.
    #[new]
    fn new(read_fd: RawFd, write_fd: RawFd) -> Self {
        Completions {
            channel: Arc::new(Channel {
                queue: Mutex::new(Vec::new()),
                read_fd,
                write_fd,
            }),
        }
    }

    /// The pipe's read end, for `loop.add_reader`.
    #[getter]
    fn fileno(&self) -> RawFd {
        self.channel.read_fd
    }

    /// On the loop's thread: empties the pipe, then settles every queued
    /// future (one cancelled meanwhile keeps its cancellation).
    fn drain(&self, py: Python<'_>) -> PyResult<()> {
        let mut pipe = ManuallyDrop::new(unsafe_file(self.channel.read_fd));
        let mut buf = [0u8; 256];
        loop {
            match pipe.read(&mut buf) {
                Ok(n) if n == buf.len() => continue,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                _ => break,
            }
        }
        let ready = std::mem::take(
            &mut *self
                .channel
                .queue
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        for (fut, outcome) in ready {
            let fut = fut.bind(py);
            if fut.call_method0("done")?.is_truthy()? {
                continue;
            }
            match outcome(py) {
                Ok(value) => fut.call_method1("set_result", (value,))?,
                Err(e) => fut.call_method1("set_exception", (e.into_value(py),))?,
            };
        }
        Ok(())
    }
}
