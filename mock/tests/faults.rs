//! Fault injection, request counters and recorded requests.

mod common;

use std::sync::{Arc, Barrier};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::*;
use eiam_mock::{Fault, FaultAction, FaultTarget, MockConfig, MockServer, Stats};
use serde_json::json;

/// Waits until the mock is handling `n` API requests at once. Polls the
/// mock's own counter: the condition is a state of the server, not time.
fn wait_in_flight(mock: &MockServer, n: u64) {
    let started = Instant::now();
    while mock.stats().in_flight < n {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "requests never arrived"
        );
        std::thread::yield_now();
    }
}

/// A `GET` of the demo owner on its own thread; returns the status, or
/// `None` if the connection closed without an answer.
fn spawn_get(mock: &MockServer, token: &str) -> JoinHandle<Option<u16>> {
    let (addr, bearer) = (mock.addr(), format!("Bearer {token}"));
    std::thread::spawn(move || {
        let mut conn = Conn::open(addr);
        conn.write_raw(request_bytes("GET", OWNER, &[("Authorization", &bearer)], "").as_bytes());
        conn.read_reply().map(|r| r.status)
    })
}

#[test]
fn status_faults_answer_with_their_status_body_and_retry_after() {
    let mock = MockServer::start().unwrap();
    let t = token(mock.addr());
    mock.inject(Fault::status(503).retry_after("1").times(2));
    for _ in 0..2 {
        let reply = get_owner(mock.addr(), OWNER, &t);
        assert_eq!(
            (reply.status, reply.header("retry-after")),
            (503, Some("1"))
        );
        assert_eq!(
            reply.json(),
            json!({"error_code":" SYS.0503","error_msg":"Service Unavailable"})
        );
    }
    assert_eq!(get_owner(mock.addr(), OWNER, &t).status, 200, "used up");

    mock.inject(
        Fault::status(502)
            .body("<html>bad gateway</html>")
            .content_type("text/html"),
    );
    let reply = get_owner(mock.addr(), OWNER, &t);
    assert_eq!(reply.status, 502);
    assert_eq!(reply.header("content-type"), Some("text/html"));
    assert_eq!(reply.body, b"<html>bad gateway</html>");
    assert_eq!(reply.header("retry-after"), None);
}

#[test]
fn each_request_takes_one_use_of_the_oldest_matching_fault() {
    let mock = MockServer::start().unwrap();
    let t = token(mock.addr());
    mock.inject(Fault::status(429));
    mock.inject(Fault::status(500).target(FaultTarget::Token));
    mock.inject(Fault::status(502).target(FaultTarget::Any).times(2));
    // The token request passes over the API fault to the token fault.
    assert_eq!(
        call(mock.addr(), "POST", TOKEN, &[], CREDENTIALS).status,
        500
    );
    assert_eq!(get_owner(mock.addr(), OWNER, &t).status, 429);
    assert_eq!(get_owner(mock.addr(), OWNER, &t).status, 502);
    assert_eq!(
        call(mock.addr(), "POST", TOKEN, &[], CREDENTIALS).status,
        502
    );
    assert_eq!(get_owner(mock.addr(), OWNER, &t).status, 200);
    assert_eq!(
        call(mock.addr(), "POST", TOKEN, &[], CREDENTIALS).status,
        200
    );

    mock.inject(Fault::status(503).times(5));
    mock.clear_faults();
    assert_eq!(get_owner(mock.addr(), OWNER, &t).status, 200);
}

#[test]
fn a_close_fault_drops_the_connection_without_an_answer() {
    let mock = MockServer::start().unwrap();
    let t = token(mock.addr());
    mock.inject(Fault::close());
    let mut conn = Conn::open(mock.addr());
    let bearer = format!("Bearer {t}");
    conn.write_raw(request_bytes("GET", OWNER, &[("Authorization", &bearer)], "").as_bytes());
    assert!(conn.read_reply().is_none(), "closed without an answer");
    assert_eq!(get_owner(mock.addr(), OWNER, &t).status, 200);
    assert_eq!(mock.stats().api_requests, 2);
}

#[test]
fn a_delayed_request_does_not_hold_up_other_connections() {
    let mock = MockServer::start().unwrap();
    let t = token(mock.addr());
    mock.inject(Fault::delay(Duration::from_secs(30)));
    let started = Instant::now();
    let slow = spawn_get(&mock, &t);
    wait_in_flight(&mock, 1);
    // A second connection is answered while the first is still delayed.
    assert_eq!(get_owner(mock.addr(), OWNER, &t).status, 200);
    let stats = mock.stats();
    assert_eq!((stats.in_flight, stats.max_in_flight), (1, 2));
    assert!(!slow.is_finished());
    // Stopping the server ends the delay early and closes the connection.
    drop(mock);
    assert_eq!(slow.join().unwrap(), None);
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn a_delay_comes_before_the_action() {
    let mock = MockServer::start().unwrap();
    let t = token(mock.addr());
    let delay = Duration::from_millis(150);
    mock.inject(Fault::delay(delay));
    mock.inject(Fault::status(504).delayed(delay));
    for expected in [200, 504] {
        let started = Instant::now();
        assert_eq!(get_owner(mock.addr(), OWNER, &t).status, expected);
        assert!(started.elapsed() >= delay, "{expected} came early");
    }
    let fault = Fault::status(503).delayed(delay).target(FaultTarget::Token);
    assert_eq!(
        (fault.count, fault.delay, fault.target),
        (1, delay, FaultTarget::Token)
    );
    assert!(matches!(
        fault.action,
        FaultAction::Respond { status: 503, .. }
    ));
}

#[test]
fn stats_count_requests_and_concurrency() {
    let mock = MockServer::start().unwrap();
    assert_eq!(mock.stats(), Stats::default());
    let t = token(mock.addr());
    get_owner(mock.addr(), OWNER, &t);
    call(mock.addr(), "GET", "/nope", &[], "");
    call(mock.addr(), "GET", "/__mock/stats", &[], "");
    let stats = mock.stats();
    assert_eq!(
        (
            stats.requests,
            stats.token_requests,
            stats.api_requests,
            stats.in_flight,
            stats.max_in_flight,
            stats.connections
        ),
        (3, 1, 2, 0, 1, 3),
        "a connection each, the admin one not counted"
    );
    // Requests on one keep-alive connection count it once.
    let mut conn = Conn::open(mock.addr());
    for _ in 0..2 {
        let reply = conn.send(
            "GET",
            OWNER,
            &[("Authorization", &format!("Bearer {t}"))],
            "",
        );
        assert_eq!(reply.status, 200);
    }
    assert_eq!(mock.stats().connections, 4);
    drop(conn);

    mock.inject(Fault::delay(Duration::from_secs(30)).times(3));
    let slow: Vec<_> = (0..3).map(|_| spawn_get(&mock, &t)).collect();
    wait_in_flight(&mock, 3);
    let stats = mock.stats();
    assert_eq!(
        (stats.in_flight, stats.max_in_flight, stats.api_requests),
        (3, 3, 7)
    );
    drop(mock);
    for handle in slow {
        assert_eq!(handle.join().unwrap(), None);
    }
}

#[test]
fn requests_are_recorded_as_received_up_to_a_thousand() {
    let mock = MockServer::start().unwrap();
    let path = owner_path("a%2Fb", "x");
    call(
        mock.addr(),
        "POST",
        &path,
        &[("X-Trace", "42")],
        r#"{"user_name":"lisi"}"#,
    );
    call(mock.addr(), "GET", "/__mock/stats", &[], "");
    let recorded = mock.requests();
    assert_eq!(recorded.len(), 1, "admin requests are not recorded");
    let r = &recorded[0];
    assert_eq!(
        (r.method.as_str(), r.raw_path.as_str()),
        ("POST", path.as_str())
    );
    assert!(
        r.headers.contains(&("X-Trace".into(), "42".into())),
        "{:?}",
        r.headers
    );
    assert_eq!(r.body, br#"{"user_name":"lisi"}"#);

    let mut conn = Conn::open(mock.addr());
    for i in 0..1005 {
        conn.send("GET", &format!("/nope/{i}"), &[], "");
    }
    let recorded = mock.requests();
    assert_eq!(recorded.len(), 1000);
    assert_eq!(recorded[0].raw_path, "/nope/5", "oldest first");
    assert_eq!(recorded[999].raw_path, "/nope/1004");
}

#[test]
fn reset_restores_the_seed_and_forgets_everything_else() {
    let mock = MockServer::start().unwrap();
    let t = token(mock.addr());
    let pub2 = owner_path("demo-app", "pub-2");
    assert_eq!(
        bind_owner(mock.addr(), &pub2, &t, r#"{"user_name":"lisi"}"#).status,
        200
    );
    mock.add_public_account("extra", "acc");
    mock.inject(Fault::status(503));
    mock.reset();
    assert_eq!(mock.owner_of("demo-app", "pub-2"), None);
    assert_eq!(
        mock.owner_of("demo-app", "pub-1").as_deref(),
        Some("zhangsan")
    );
    assert_eq!(mock.stats(), Stats::default());
    assert!(mock.requests().is_empty());
    assert_eq!(
        get_owner(mock.addr(), OWNER, &t).json()["error"],
        "invalid_token"
    );
    let t = token(mock.addr());
    let reply = get_owner(mock.addr(), &owner_path("extra", "acc"), &t);
    assert_eq!(
        reply.json()["error_code"],
        " APP.0001",
        "no fault left, extra app gone"
    );
}

fn start_with_latency(latency: Duration) -> MockServer {
    MockServer::start_with(MockConfig {
        latency,
        ..MockConfig::default()
    })
    .unwrap()
}

#[test]
fn latency_delays_every_api_answer_and_100_connections_wait_at_once() {
    let latency = Duration::from_millis(300);
    let mock = start_with_latency(latency);
    let t = token(mock.addr());
    // Every connection open before any request is sent, so that the 100
    // requests overlap unless the mock serves them one after another.
    let ready = Arc::new(Barrier::new(100));
    let callers: Vec<_> = (0..100)
        .map(|_| {
            let (addr, bearer, ready) = (mock.addr(), format!("Bearer {t}"), ready.clone());
            std::thread::spawn(move || {
                let mut conn = Conn::open(addr);
                ready.wait();
                let started = Instant::now();
                conn.write_raw(
                    request_bytes("GET", OWNER, &[("Authorization", &bearer)], "").as_bytes(),
                );
                let status = conn.read_reply().map(|r| r.status);
                (status, started.elapsed())
            })
        })
        .collect();
    let mut slowest = Duration::ZERO;
    for caller in callers {
        let (status, took) = caller.join().unwrap();
        assert_eq!(status, Some(200));
        assert!(took >= latency, "answered after {took:?}");
        slowest = slowest.max(took);
    }
    // Waited one after another, the last would take 100 latencies (30 s);
    // half of that is far beyond any scheduling noise.
    assert!(slowest < latency * 50, "the slowest took {slowest:?}");
    let stats = mock.stats();
    assert_eq!((stats.api_requests, stats.max_in_flight), (100, 100));
}

#[test]
fn latency_spares_token_and_admin_requests_and_ends_when_the_mock_stops() {
    let mock = start_with_latency(Duration::from_secs(3600));
    let t = token(mock.addr());
    let waiting = spawn_get(&mock, &t);
    wait_in_flight(&mock, 1);
    // Answered while the query still waits out its hour.
    token(mock.addr());
    let stats = call(mock.addr(), "GET", "/__mock/stats", &[], "").json();
    assert_eq!(
        (
            stats["token_requests"].as_u64(),
            stats["in_flight"].as_u64()
        ),
        (Some(2), Some(1))
    );
    drop(mock);
    assert_eq!(waiting.join().unwrap(), None, "closed, not answered early");
}
