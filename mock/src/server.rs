//! The listening socket, one thread per connection, and the dispatch of
//! each request to the faults, the admin endpoints or the API.

use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::api::{self, Credentials, Route};
use crate::faults::{FaultAction, FaultQueue};
use crate::http::{Connection, ReadError, Request, Response};
use crate::tenant::Tenant;
use crate::{admin, RecordedRequest, Stats};

/// How many requests `requests()` remembers.
const RECORDED_MAX: usize = 1000;

/// Mutable state behind one lock, held only briefly (never while writing
/// to a socket or waiting out a delay).
pub(crate) struct State {
    pub tenant: Tenant,
    pub faults: FaultQueue,
    pub recorded: VecDeque<RecordedRequest>,
    pub token_lifetime: Duration,
}

#[derive(Default)]
pub(crate) struct Counters {
    pub requests: AtomicU64,
    pub token_requests: AtomicU64,
    pub api_requests: AtomicU64,
    pub in_flight: AtomicU64,
    pub max_in_flight: AtomicU64,
}

impl Counters {
    pub fn snapshot(&self) -> Stats {
        Stats {
            requests: self.requests.load(Ordering::Relaxed),
            token_requests: self.token_requests.load(Ordering::Relaxed),
            api_requests: self.api_requests.load(Ordering::Relaxed),
            in_flight: self.in_flight.load(Ordering::Relaxed),
            max_in_flight: self.max_in_flight.load(Ordering::Relaxed),
        }
    }

    pub fn reset(&self) {
        for c in [
            &self.requests,
            &self.token_requests,
            &self.api_requests,
            &self.max_in_flight,
        ] {
            c.store(0, Ordering::Relaxed);
        }
    }
}

/// What the server threads share.
pub(crate) struct Shared {
    pub client_id: String,
    pub client_secret: String,
    pub default_lifetime: Duration,
    pub seed_demo_data: bool,
    pub state: Mutex<State>,
    pub counters: Counters,
    stopping: AtomicBool,
    /// Wakes delayed requests when the server stops.
    stop_lock: Mutex<()>,
    stop_signal: Condvar,
    connections: Mutex<HashMap<u64, TcpStream>>,
    next_connection: AtomicU64,
}

impl Shared {
    pub fn new(
        client_id: String,
        client_secret: String,
        lifetime: Duration,
        seed_demo_data: bool,
    ) -> Self {
        Shared {
            client_id,
            client_secret,
            default_lifetime: lifetime,
            seed_demo_data,
            state: Mutex::new(State {
                tenant: Shared::seed(seed_demo_data),
                faults: FaultQueue::default(),
                recorded: VecDeque::new(),
                token_lifetime: lifetime,
            }),
            counters: Counters::default(),
            stopping: AtomicBool::new(false),
            stop_lock: Mutex::new(()),
            stop_signal: Condvar::new(),
            connections: Mutex::new(HashMap::new()),
            next_connection: AtomicU64::new(0),
        }
    }

    pub fn seed(demo: bool) -> Tenant {
        if demo {
            Tenant::demo()
        } else {
            Tenant::default()
        }
    }

    pub fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn reset(&self) {
        let mut state = self.state();
        state.tenant = Shared::seed(self.seed_demo_data);
        state.faults.clear();
        state.recorded.clear();
        state.token_lifetime = self.default_lifetime;
        self.counters.reset();
    }

    /// Sleeps for `delay`, or less if the server stops meanwhile.
    fn pause(&self, delay: Duration) {
        let guard = self
            .stop_lock
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let _ = self
            .stop_signal
            .wait_timeout_while(guard, delay, |_| !self.stopping.load(Ordering::Acquire));
    }
}

/// A running listener; stopping it closes every open connection.
pub(crate) struct Running {
    pub addr: SocketAddr,
    pub shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl Running {
    pub fn start(shared: Arc<Shared>, port: u16) -> std::io::Result<Running> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let addr = listener.local_addr()?;
        let accept_shared = shared.clone();
        let acceptor = std::thread::Builder::new()
            .name("eiam-mock-accept".into())
            .spawn(move || accept_loop(listener, accept_shared))?;
        Ok(Running {
            addr,
            shared,
            acceptor: Some(acceptor),
        })
    }

    pub fn stop(&mut self) {
        let Some(acceptor) = self.acceptor.take() else {
            return;
        };
        self.shared.stopping.store(true, Ordering::Release);
        {
            let _guard = self.shared.stop_lock.lock();
            self.shared.stop_signal.notify_all();
        }
        // Wake the blocking accept() so the thread sees the flag.
        let _ = TcpStream::connect(self.addr);
        let _ = acceptor.join();
        let connections = std::mem::take(
            &mut *self
                .shared
                .connections
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        for stream in connections.values() {
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop();
    }
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stopping.load(Ordering::Acquire) {
            return;
        }
        let Ok(stream) = stream else { continue };
        let id = shared.next_connection.fetch_add(1, Ordering::Relaxed);
        if let Ok(clone) = stream.try_clone() {
            shared
                .connections
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(id, clone);
        }
        let conn_shared = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("eiam-mock-conn".into())
            .spawn(move || {
                serve(&conn_shared, stream);
                conn_shared
                    .connections
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .remove(&id);
            });
        if spawned.is_err() {
            shared
                .connections
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&id);
        }
    }
}

/// What to do with a request.
enum Outcome {
    Respond(Response),
    /// Close the connection without answering.
    Close,
}

fn serve(shared: &Shared, stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let mut conn = Connection::new(stream);
    loop {
        let request = match conn.read_request() {
            Ok(request) => request,
            Err(ReadError::Bad(status)) => {
                let response = Response::json(
                    status,
                    &serde_json::json!({"error_code": format!(" SYS.{status}"), "error_msg": "bad request"}),
                );
                let _ = conn.stream().write_all(&response.to_bytes(true));
                return;
            }
            Err(ReadError::Closed | ReadError::Io) => return,
        };
        if shared.stopping.load(Ordering::Acquire) {
            return;
        }
        match handle(shared, &request) {
            Outcome::Respond(response) => {
                let bytes = response.to_bytes(request.close);
                if conn.stream().write_all(&bytes).is_err() || request.close {
                    return;
                }
            }
            Outcome::Close => return,
        }
    }
}

/// Counts an API request as in flight for as long as it is handled.
struct InFlight<'a>(&'a Counters);

impl<'a> InFlight<'a> {
    fn enter(counters: &'a Counters) -> Self {
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

fn handle(shared: &Shared, request: &Request) -> Outcome {
    if let Some(admin_path) = request.path().strip_prefix("/__mock/") {
        return Outcome::Respond(admin::handle(shared, request, admin_path));
    }
    let route = api::route(request.path());
    let is_token = matches!(route, Route::Token);
    let counters = &shared.counters;
    counters.requests.fetch_add(1, Ordering::Relaxed);
    if is_token {
        counters.token_requests.fetch_add(1, Ordering::Relaxed);
    } else {
        counters.api_requests.fetch_add(1, Ordering::Relaxed);
    }
    let _in_flight = (!is_token).then(|| InFlight::enter(counters));

    let fault = {
        let mut state = shared.state();
        if state.recorded.len() >= RECORDED_MAX {
            state.recorded.pop_front();
        }
        state.recorded.push_back(RecordedRequest {
            method: request.method.clone(),
            raw_path: request.target.clone(),
            headers: request.headers.clone(),
            body: request.body.clone(),
        });
        state.faults.take(is_token)
    };
    if let Some(fault) = fault {
        if !fault.delay.is_zero() {
            shared.pause(fault.delay);
        }
        match fault.action {
            FaultAction::Respond {
                status,
                body,
                content_type,
                retry_after,
            } => {
                let mut response = Response {
                    status,
                    content_type,
                    extra_headers: Vec::new(),
                    body: body.into_bytes(),
                };
                if let Some(value) = retry_after {
                    response.extra_headers.push(("Retry-After".into(), value));
                }
                return Outcome::Respond(response);
            }
            FaultAction::Close => return Outcome::Close,
            FaultAction::Normal => {}
        }
    }

    let mut state = shared.state();
    let response = match route {
        Route::Token => {
            let creds = Credentials {
                client_id: &shared.client_id,
                client_secret: &shared.client_secret,
                token_lifetime: state.token_lifetime,
            };
            api::token(request, &creds, &mut state.tenant)
        }
        Route::Owner {
            app_id,
            app_user_id,
        } => match api::authenticate(request, &state.tenant) {
            Err(rejection) => rejection,
            Ok(()) => api::owner(request, &app_id, &app_user_id, &mut state.tenant),
        },
        Route::NotFound => api::not_found(),
    };
    Outcome::Respond(response)
}
