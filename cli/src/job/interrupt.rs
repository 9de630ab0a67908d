//! SIGINT and SIGTERM during a bulk job. The first asks the job to stop
//! starting items (it finishes what is in flight and writes its report);
//! the second runs the job's last word (write what is known, mark the rest
//! truthfully) and exits at once.

use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crate::output;

/// What runs on a second signal, given the signal; it must not return (it
/// ends with `std::process::exit`).
type LastWord = Box<dyn FnOnce(i32) + Send>;

/// Watches for the signals once installed; cheap to clone.
#[derive(Clone)]
pub struct Interrupt {
    first: Arc<AtomicI32>,
    last_word: Arc<Mutex<Option<LastWord>>>,
}

/// The exit code for a job interrupted by `signal`: 128 + its number, as a
/// shell reports a process the signal killed (130 for SIGINT, 143 for
/// SIGTERM).
pub fn exit_code(signal: i32) -> u8 {
    u8::try_from(128 + signal).unwrap_or(u8::MAX)
}

pub fn name(signal: i32) -> &'static str {
    match signal {
        signal_hook::consts::SIGINT => "SIGINT",
        signal_hook::consts::SIGTERM => "SIGTERM",
        _ => "a signal",
    }
}

impl Interrupt {
    /// Starts listening for SIGINT and SIGTERM (on a thread of its own:
    /// nothing but a flag is touched inside the signal handler).
    pub fn install() -> std::io::Result<Interrupt> {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let interrupt = Interrupt {
            first: Arc::new(AtomicI32::new(0)),
            last_word: Arc::new(Mutex::new(None)),
        };
        let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
        let watcher = interrupt.clone();
        std::thread::Builder::new()
            .name("eiam-signals".into())
            .spawn(move || {
                for signal in signals.forever() {
                    watcher.on_signal(signal);
                }
            })?;
        Ok(interrupt)
    }

    fn on_signal(&self, signal: i32) {
        if self
            .first
            .compare_exchange(0, signal, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
        {
            output::note(format_args!(
                "eiam: {}: starting nothing more; waiting for the calls in flight \
                 (send it again to stop at once)",
                name(signal)
            ));
            return;
        }
        let last_word = self
            .last_word
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        match last_word {
            Some(last_word) => last_word(signal),
            None => std::process::exit(i32::from(exit_code(signal))),
        }
    }

    /// The first signal received, if any.
    pub fn signal(&self) -> Option<i32> {
        match self.first.load(Ordering::Acquire) {
            0 => None,
            signal => Some(signal),
        }
    }

    /// Sets what a second signal runs before the process exits.
    pub fn on_second(&self, last_word: impl FnOnce(i32) + Send + 'static) {
        *self
            .last_word
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(Box::new(last_word));
    }

    /// Forgets the last word (the job is over; a signal now exits plainly).
    pub fn clear(&self) {
        self.last_word
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
    }
}
