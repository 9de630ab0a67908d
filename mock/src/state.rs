//! What the server's threads share: the tenant, queued faults, recorded
//! requests (behind one briefly held lock) and lock-free counters.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::faults::FaultQueue;
use crate::http::Request;
use crate::tenant::Tenant;
use crate::{MockConfig, RecordedRequest, Stats};

/// How many requests `requests()` remembers.
const RECORDED_MAX: usize = 1000;

/// Mutable state behind one lock. It is held only to look things up or
/// change them, never while writing to a socket or waiting out a delay.
pub(crate) struct State {
    pub tenant: Tenant,
    pub faults: FaultQueue,
    /// Shared with the connection thread handling it, so recording costs a
    /// reference count, not a copy.
    recorded: VecDeque<Arc<Request>>,
}

impl State {
    pub fn record(&mut self, request: Arc<Request>) {
        if self.recorded.len() >= RECORDED_MAX {
            self.recorded.pop_front();
        }
        self.recorded.push_back(request);
    }

    pub fn recorded(&self) -> Vec<RecordedRequest> {
        self.recorded
            .iter()
            .map(|r| RecordedRequest {
                method: r.method.clone(),
                raw_path: r.target.clone(),
                headers: r.headers.clone(),
                body: r.body.clone(),
            })
            .collect()
    }
}

/// Which counter a request goes to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Token,
    Api,
}

/// Request counters; atomics so counting never waits for the lock.
#[derive(Default)]
pub(crate) struct Counters {
    requests: AtomicU64,
    token_requests: AtomicU64,
    api_requests: AtomicU64,
    in_flight: AtomicU64,
    max_in_flight: AtomicU64,
    connections: AtomicU64,
    tls_resumed: AtomicU64,
}

impl Counters {
    pub fn count(&self, kind: Kind) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        match kind {
            Kind::Token => &self.token_requests,
            Kind::Api => &self.api_requests,
        }
        .fetch_add(1, Ordering::Relaxed);
    }

    /// A connection's first request: `resumed` if its TLS handshake
    /// resumed a session.
    pub fn count_connection(&self, resumed: bool) {
        self.connections.fetch_add(1, Ordering::Relaxed);
        if resumed {
            self.tls_resumed.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn snapshot(&self) -> Stats {
        Stats {
            requests: self.requests.load(Ordering::Relaxed),
            token_requests: self.token_requests.load(Ordering::Relaxed),
            api_requests: self.api_requests.load(Ordering::Relaxed),
            in_flight: self.in_flight.load(Ordering::Relaxed),
            max_in_flight: self.max_in_flight.load(Ordering::Relaxed),
            connections: self.connections.load(Ordering::Relaxed),
            tls_resumed: self.tls_resumed.load(Ordering::Relaxed),
        }
    }

    /// Zeroes the totals. `in_flight` is left alone: those requests are
    /// still being handled and will decrement it.
    fn reset(&self) {
        for c in [
            &self.requests,
            &self.token_requests,
            &self.api_requests,
            &self.max_in_flight,
            &self.connections,
            &self.tls_resumed,
        ] {
            c.store(0, Ordering::Relaxed);
        }
    }
}

/// Counts an API request as in flight for as long as it lives.
pub(crate) struct InFlight<'a>(&'a Counters);

impl<'a> InFlight<'a> {
    pub fn enter(counters: &'a Counters) -> Self {
        let now = counters.in_flight.fetch_add(1, Ordering::AcqRel) + 1;
        counters.max_in_flight.fetch_max(now, Ordering::AcqRel);
        InFlight(counters)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Everything the server threads share.
pub(crate) struct Shared {
    /// What `reset` goes back to.
    config: MockConfig,
    state: Mutex<State>,
    pub counters: Counters,
    stopping: AtomicBool,
    /// Wakes delayed requests when the server stops.
    stop_lock: Mutex<()>,
    stop_signal: Condvar,
}

impl Shared {
    pub fn new(config: MockConfig) -> Self {
        Shared {
            state: Mutex::new(State {
                tenant: Tenant::new(&config),
                faults: FaultQueue::default(),
                recorded: VecDeque::new(),
            }),
            config,
            counters: Counters::default(),
            stopping: AtomicBool::new(false),
            stop_lock: Mutex::new(()),
            stop_signal: Condvar::new(),
        }
    }

    /// Locks the state. A panic elsewhere cannot leave it half-updated in
    /// a way that matters to a mock, so poisoning is ignored.
    pub fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Data back to the seed (issued tokens included), faults, counters
    /// and recorded requests cleared.
    pub fn reset(&self) {
        let mut state = self.state();
        state.tenant = Tenant::new(&self.config);
        state.faults.clear();
        state.recorded.clear();
        self.counters.reset();
    }

    /// The configured wait before each API answer.
    pub fn latency(&self) -> Duration {
        self.config.latency
    }

    pub fn close_connections(&self) -> bool {
        self.config.close_connections
    }

    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::Acquire)
    }

    /// Marks the server as stopping and ends every pending delay.
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::Release);
        let _guard = self
            .stop_lock
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        self.stop_signal.notify_all();
    }

    /// Waits for `delay`, or less if the server stops meanwhile (a condvar,
    /// not a sleep, so that dropping a mock never waits for a delay).
    pub fn pause(&self, delay: Duration) {
        if delay.is_zero() {
            return;
        }
        let guard = self
            .stop_lock
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let _ = self
            .stop_signal
            .wait_timeout_while(guard, delay, |_| !self.is_stopping());
    }
}
