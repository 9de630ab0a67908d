//! Retries, backoff, Retry-After and deadlines.

mod common;

use std::time::{Duration, Instant};

use common::*;
use eiam::ErrorKind;

#[test]
fn unavailable_twice_then_success() {
    let mock = mock();
    mock.inject(Fault::status(503).retry_after("0").times(2));
    let owner = client_for(&mock)
        .get_public_account_owner("demo-app", "pub-1")
        .unwrap();
    assert_eq!(owner.user_name, "zhangsan");
    assert_eq!(mock.stats().api_requests, 3);
}

#[test]
fn retry_after_is_honoured() {
    let mock = mock();
    mock.inject(Fault::status(429).retry_after("1"));
    let started = Instant::now();
    client_for(&mock)
        .bind_public_account_owner("demo-app", "pub-1", "zhangsan")
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(mock.stats().api_requests, 2);
}

#[test]
fn no_retries_when_max_retries_is_zero() {
    let mock = mock();
    mock.inject(Fault::status(503).retry_after("0").times(5));
    let err = client(config_for(&mock).max_retries(0))
        .get_public_account_owner("demo-app", "pub-1")
        .unwrap_err();
    assert_eq!(err.http_status(), Some(503), "{err}");
    assert_eq!(mock.stats().api_requests, 1);
}

#[test]
fn retries_stop_after_max_retries() {
    let mock = mock();
    mock.inject(Fault::status(502).retry_after("0").times(10));
    let err = client(config_for(&mock).max_retries(3))
        .get_public_account_owner("demo-app", "pub-1")
        .unwrap_err();
    assert_eq!(err.http_status(), Some(502));
    assert_eq!(mock.stats().api_requests, 4);
}

#[test]
fn a_retry_after_beyond_the_deadline_fails_promptly_with_the_last_status() {
    let mock = mock();
    mock.inject(Fault::status(503).retry_after("30").times(3));
    let started = Instant::now();
    let err = client(config_for(&mock).timeout(Duration::from_secs(2)))
        .get_public_account_owner("demo-app", "pub-1")
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(err.http_status(), Some(503), "{err}");
    assert_eq!(mock.stats().api_requests, 1);
}

#[test]
fn client_errors_are_not_retried() {
    let mock = mock();
    let err = client_for(&mock)
        .get_public_account_owner("no-such-app", "pub-1")
        .unwrap_err();
    assert_eq!(err.code(), Some("APP.0001"));
    assert_eq!(mock.stats().api_requests, 1);
}

#[test]
fn a_dropped_connection_is_retried() {
    let mock = mock();
    mock.inject(Fault::close());
    let owner = client_for(&mock)
        .get_public_account_owner("demo-app", "pub-1")
        .unwrap();
    assert_eq!(owner.user_name, "zhangsan");
    assert_eq!(mock.stats().api_requests, 2);
}

#[test]
fn the_deadline_holds_against_a_server_that_never_answers() {
    let (_listener, url) = silent_server();
    let c = client(
        eiam::Config::builder(url)
            .client_credentials("id", "secret")
            .timeout(Duration::from_millis(500)),
    );
    let started = Instant::now();
    let err = c.get_public_account_owner("demo-app", "pub-1").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn the_deadline_covers_a_slow_answer() {
    let mock = mock();
    mock.inject(Fault::delay(std::time::Duration::from_secs(5)));
    let started = Instant::now();
    let err = client(config_for(&mock).timeout(Duration::from_millis(400)))
        .get_public_account_owner("demo-app", "pub-1")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    // Not before the deadline either: a call gives up when its time is up.
    assert!(
        (Duration::from_millis(400)..Duration::from_millis(1400)).contains(&started.elapsed()),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_refused_connection_is_a_transport_error() {
    let c = client(
        eiam::Config::builder("http://127.0.0.1:1")
            .client_credentials("id", "secret")
            .max_retries(0),
    );
    let err = c.get_public_account_owner("demo-app", "pub-1").unwrap_err();
    assert_eq!(
        (err.kind(), err.http_status()),
        (ErrorKind::Transport, None)
    );
}

#[test]
fn unexpected_bodies_are_protocol_errors() {
    let mock = mock();
    let c = client(config_for(&mock).max_retries(0));
    c.get_public_account_owner("demo-app", "pub-1").unwrap(); // token cached

    mock.inject(Fault::status(200).body("this is not json"));
    let err = c.get_public_account_owner("demo-app", "pub-1").unwrap_err();
    assert_eq!(
        (err.kind(), err.http_status()),
        (ErrorKind::Protocol, Some(200))
    );
    assert!(err.message().contains("this is not json"), "{err}");

    mock.inject(
        Fault::status(502)
            .body("<html><body><h1>502 Bad Gateway</h1></body></html>")
            .content_type("text/html"),
    );
    let err = c.get_public_account_owner("demo-app", "pub-1").unwrap_err();
    assert_eq!(
        (err.kind(), err.http_status()),
        (ErrorKind::Protocol, Some(502))
    );

    mock.inject(Fault::status(200).body(format!("{{\"pad\":\"{}\"}}", "x".repeat(2 << 20))));
    let err = c.get_public_account_owner("demo-app", "pub-1").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Protocol, "{err}");
    assert!(err.message().contains("larger than"), "{err}");

    mock.inject(Fault::status(200).body(r#"{"user_id":"u","disabled":false}"#));
    let err = c.get_public_account_owner("demo-app", "pub-1").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Protocol);
    assert!(err.message().contains("user_name"), "{err}");
}

#[test]
fn a_429_pause_past_the_deadline_fails_later_calls_at_once_without_sending() {
    let mock = mock();
    mock.inject(Fault::status(429).retry_after("30"));
    let c = client(config_for(&mock).timeout(Duration::from_secs(1)));
    let first = c.get_public_account_owner("demo-app", "pub-1").unwrap_err();
    assert_eq!(
        (first.kind(), first.http_status()),
        (ErrorKind::Api, Some(429))
    );
    let pause = c.rate_limit_pause().expect("the 429 set a pause");
    assert!(
        pause > Duration::from_secs(25) && pause <= Duration::from_secs(30),
        "{pause:?}"
    );
    assert!(
        c.clone().rate_limit_pause().is_some(),
        "clones share the pause"
    );
    let sent = mock.stats().api_requests;
    for _ in 0..3 {
        let started = Instant::now();
        let e = c.get_public_account_owner("demo-app", "pub-1").unwrap_err();
        assert!(
            started.elapsed() < Duration::from_millis(200),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(
            (e.kind(), e.http_status()),
            (ErrorKind::Api, Some(429)),
            "{e}"
        );
        assert!(e.message().contains("s left"), "{e}");
    }
    assert_eq!(
        mock.stats().api_requests,
        sent,
        "nothing was sent during the pause"
    );
}

#[test]
fn a_429_pause_within_the_deadline_is_waited_out_by_the_next_call() {
    let mock = mock();
    assert_eq!(client_for(&mock).rate_limit_pause(), None);
    mock.inject(Fault::status(429).retry_after("1"));
    let c = client(
        config_for(&mock)
            .timeout(Duration::from_secs(3))
            .max_retries(0),
    );
    let first = c.get_public_account_owner("demo-app", "pub-1").unwrap_err();
    assert_eq!(first.http_status(), Some(429));
    let started = Instant::now();
    assert_eq!(
        c.get_public_account_owner("demo-app", "pub-1")
            .unwrap()
            .user_name,
        "zhangsan"
    );
    assert!(
        started.elapsed() >= Duration::from_millis(800),
        "{:?}",
        started.elapsed()
    );
}
