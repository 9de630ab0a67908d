//! The progress line of a bulk job on a terminal: rows done, failures, and
//! while a 429 holds every call back, the pause and what is left of it.

use std::io::{self, IsTerminal};
use std::sync::mpsc;
use std::time::Duration;

use eiam::Client;
use indicatif::{ProgressBar, ProgressStyle};

/// How often the pause is looked at while nothing finishes.
const REFRESH: Duration = Duration::from_millis(200);

pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar on a terminal; nothing otherwise.
    pub fn new() -> Progress {
        if !io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let bar = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {pos} rows done {msg}") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(REFRESH);
        Progress { bar: Some(bar) }
    }

    /// No bar at all.
    pub fn hidden() -> Progress {
        Progress { bar: None }
    }

    pub fn row_done(&self, failures: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if failures > 0 {
                bar.set_prefix(format!("{failures} failed"));
            }
        }
    }

    /// Prints a line above the bar.
    pub fn note(&self, text: impl std::fmt::Display) {
        match &self.bar {
            Some(bar) => bar.suspend(|| crate::output::note(text)),
            None => crate::output::note(text),
        }
    }

    /// Shows the client's rate-limit pause until `stop` is dropped or sent.
    pub fn watch_pause(&self, client: &Client, stop: &mpsc::Receiver<()>) {
        let Some(bar) = &self.bar else { return };
        while let Err(mpsc::RecvTimeoutError::Timeout) = stop.recv_timeout(REFRESH) {
            let failed = bar.prefix();
            let pause = client.rate_limit_pause().map_or(String::new(), |left| {
                format!(
                    " - rate limited: every call paused, {:.1} s left",
                    left.as_secs_f64()
                )
            });
            bar.set_message(format!("{failed}{pause}"));
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
