//! The listening socket, one thread per connection, and the dispatch of
//! each request to the admin endpoints, a queued fault or the API.

use std::collections::HashMap;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use crate::admin;
use crate::api::{self, Route};
use crate::faults::{Delivery, FaultAction};
use crate::http::{Connection, Persistence, ReadError, Request, Response};
use crate::state::{InFlight, Kind, Shared};
use crate::wire::{Acceptor, Wire};

/// Open connections, so stopping can shut them down (their threads are
/// blocked reading and would otherwise keep serving).
#[derive(Default)]
struct Connections {
    open: Mutex<HashMap<u64, TcpStream>>,
    next_id: AtomicU64,
}

impl Connections {
    /// Registers a connection; `None` if it cannot be tracked (it is then
    /// not served, as it could not be shut down).
    fn add(&self, stream: &TcpStream) -> Option<u64> {
        let clone = stream.try_clone().ok()?;
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.lock().insert(id, clone);
        Some(id)
    }

    fn remove(&self, id: u64) {
        self.lock().remove(&id);
    }

    fn shut_down_all(&self) {
        for (_, stream) in self.lock().drain() {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, TcpStream>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running listener; stopping it closes every open connection.
pub(crate) struct Running {
    pub addr: SocketAddr,
    /// `http` or `https`.
    pub scheme: &'static str,
    pub shared: Arc<Shared>,
    connections: Arc<Connections>,
    acceptor: Option<JoinHandle<()>>,
}

impl Running {
    pub fn start(shared: Arc<Shared>, port: u16, wrap: Acceptor) -> std::io::Result<Running> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let addr = listener.local_addr()?;
        let scheme = wrap.scheme();
        let connections = Arc::new(Connections::default());
        let acceptor = {
            let (shared, connections) = (shared.clone(), connections.clone());
            std::thread::Builder::new()
                .name("eiam-mock-accept".into())
                .spawn(move || accept_loop(&listener, &shared, &connections, &wrap))?
        };
        Ok(Running {
            addr,
            scheme,
            shared,
            connections,
            acceptor: Some(acceptor),
        })
    }

    fn stop(&mut self) {
        let Some(acceptor) = self.acceptor.take() else {
            return;
        };
        self.shared.stop();
        // accept() blocks: a connection of our own wakes it to see the flag.
        let _ = TcpStream::connect(self.addr);
        let _ = acceptor.join();
        // The acceptor is gone, so no connection is added after this.
        self.connections.shut_down_all();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop();
    }
}

fn accept_loop(
    listener: &TcpListener,
    shared: &Arc<Shared>,
    connections: &Arc<Connections>,
    wrap: &Acceptor,
) {
    for stream in listener.incoming() {
        if shared.is_stopping() {
            return;
        }
        let Ok(stream) = stream else { continue };
        let Some(id) = connections.add(&stream) else {
            continue;
        };
        let (shared, conns, wrap) = (shared.clone(), connections.clone(), wrap.clone());
        let spawned = std::thread::Builder::new()
            .name("eiam-mock-conn".into())
            .spawn(move || {
                let _ = stream.set_nodelay(true);
                if let Ok(wire) = wrap.wrap(stream) {
                    serve(&shared, wire);
                }
                conns.remove(id);
            });
        if spawned.is_err() {
            connections.remove(id);
        }
    }
}

/// What a request gets.
enum Outcome {
    Respond(Response),
    /// An answer that a fault damages on its way out.
    Deliver(Response, Delivery),
    /// Close the connection without answering.
    Close,
}

/// Serves one connection until the client closes it, asks to close, or
/// a fault closes it.
fn serve(shared: &Shared, stream: Box<dyn Wire>) {
    let mut conn = Connection::new(stream);
    let mut counted = false;
    loop {
        let request = match conn.read_request() {
            Ok(request) => request,
            Err(ReadError::Bad(status)) => {
                if conn
                    .send(&api::sys_error(status), Persistence::Close)
                    .is_ok()
                {
                    conn.linger();
                }
                return;
            }
            Err(ReadError::Closed | ReadError::Io) => return,
        };
        if shared.is_stopping() {
            return;
        }
        let persistence = if shared.close_connections() {
            Persistence::Close
        } else {
            request.persistence
        };
        let outcome = match request.path().strip_prefix("/__mock/") {
            Some(admin_path) => Outcome::Respond(admin::handle(shared, &request, admin_path)),
            None => {
                if !counted {
                    // The handshake is done once a request has been read.
                    shared.counters.count_connection(conn.tls_resumed());
                    counted = true;
                }
                handle_api(shared, Arc::new(request))
            }
        };
        match outcome {
            Outcome::Respond(response) => {
                if conn.send(&response, persistence).is_err() || persistence == Persistence::Close {
                    return;
                }
            }
            Outcome::Deliver(response, delivery) => {
                let _ = conn.deliver(&response, delivery, &|d| {
                    shared.pause(d);
                    !shared.is_stopping()
                });
                return;
            }
            Outcome::Close => return,
        }
    }
}

/// Counts, records and answers a request to the (mock) service, applying
/// the first queued fault that matches it.
fn handle_api(shared: &Shared, request: Arc<Request>) -> Outcome {
    let route = api::route(request.path());
    let kind = match route {
        Route::Token => Kind::Token,
        _ => Kind::Api,
    };
    shared.counters.count(kind);
    let _in_flight = (kind == Kind::Api).then(|| InFlight::enter(&shared.counters));
    if kind == Kind::Api && !shared.latency().is_zero() {
        // Before taking the lock, so that waiting requests never hold up
        // each other.
        shared.pause(shared.latency());
        if shared.is_stopping() {
            return Outcome::Close;
        }
    }

    let mut state = shared.state();
    state.record(request.clone());
    let Some(fault) = state.faults.take(kind == Kind::Token) else {
        // The common case: one lock for recording and answering.
        return Outcome::Respond(api::respond(&route, &request, &mut state.tenant));
    };
    drop(state);
    shared.pause(fault.delay);
    if shared.is_stopping() {
        // The delay was cut short: the server is going away, so answering
        // now would be a lie about the delay.
        return Outcome::Close;
    }
    let response = match fault.action {
        FaultAction::Respond {
            status,
            body,
            content_type,
            retry_after,
        } => {
            let mut response = Response::new(status, content_type.into(), body);
            if let Some(value) = retry_after {
                response = response.with_header("Retry-After", value);
            }
            response
        }
        FaultAction::Close => return Outcome::Close,
        FaultAction::Normal => {
            let mut state = shared.state();
            api::respond(&route, &request, &mut state.tenant)
        }
    };
    match fault.delivery {
        Delivery::Whole => Outcome::Respond(response),
        delivery => Outcome::Deliver(response, delivery),
    }
}
