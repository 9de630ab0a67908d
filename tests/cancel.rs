//! Cancelling calls: before they start, while they wait for the service's
//! answer, a retry, a rate-limit pause or a token, and what is left after.

mod common;

use std::time::{Duration, Instant};

use common::*;
use eiam::{CancelToken, ErrorKind};

/// Cancels `token` once the mock has received `requests` requests (API
/// and token alike), and returns when it did; no sleeping.
fn cancel_when_received(mock: &MockServer, token: &CancelToken, requests: u64) -> Instant {
    while mock.stats().requests < requests {
        std::thread::yield_now();
    }
    token.cancel();
    Instant::now()
}

#[test]
fn a_call_waiting_for_its_answer_ends_soon_after_the_cancel() {
    let mock = mock();
    let client = client_for(&mock);
    client.authenticate().unwrap();
    mock.inject(Fault::delay(Duration::from_secs(10)));
    let token = CancelToken::new();
    let cancellable = client.with_cancel(&token);
    let (result, cancelled_at) = std::thread::scope(|s| {
        let call = s.spawn(|| {
            let r = cancellable.get_public_account_owner("demo-app", "pub-1");
            (r, Instant::now())
        });
        let at = cancel_when_received(&mock, &token, 2);
        let (r, ended) = call.join().unwrap();
        (r, ended.duration_since(at))
    });
    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Cancelled, "{err}");
    assert!(
        cancelled_at < Duration::from_millis(100),
        "ended {cancelled_at:?} after the cancel"
    );
    assert_eq!(mock.stats().api_requests, 1, "not retried");

    // The client and its other views go on working.
    assert_eq!(
        client
            .get_public_account_owner("demo-app", "pub-1")
            .unwrap()
            .user_name,
        "zhangsan"
    );
}

#[test]
fn a_cancelled_token_stops_calls_before_anything_is_sent() {
    let mock = mock();
    let token = CancelToken::new();
    token.cancel();
    let client = client_for(&mock).with_cancel(&token);
    for err in [
        client.authenticate().unwrap_err(),
        client.get_account("demo-app", "pub-1").unwrap_err(),
    ] {
        assert_eq!(err.kind(), ErrorKind::Cancelled, "{err}");
    }
    assert_eq!(mock.stats().requests, 0);
}

#[test]
fn a_retry_pause_is_cut_short() {
    let mock = mock();
    let client = client_for(&mock);
    client.authenticate().unwrap();
    mock.inject(Fault::status(503).retry_after("5"));
    let token = CancelToken::new();
    let cancellable = client.with_cancel(&token);
    let started = Instant::now();
    std::thread::scope(|s| {
        let call = s.spawn(|| cancellable.disable_account("demo-app", "pub-1"));
        cancel_when_received(&mock, &token, 2);
        let err = call.join().unwrap().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Cancelled, "{err}");
    });
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "did not wait out Retry-After"
    );
}

#[test]
fn a_wait_for_the_token_is_cut_short_and_the_others_still_get_one() {
    let mock = mock();
    mock.inject(Fault::delay(Duration::from_millis(1500)).target(FaultTarget::Token));
    let client = client_for(&mock);
    let token = CancelToken::new();
    let cancellable = client.with_cancel(&token);
    std::thread::scope(|s| {
        let fetcher = s.spawn(|| cancellable.get_public_account_owner("demo-app", "pub-1"));
        cancel_when_received(&mock, &token, 1);
        let err = fetcher.join().unwrap().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Cancelled, "{err}");
    });
    // The cancelled fetch is not everyone's failure.
    assert_eq!(
        client
            .get_public_account_owner("demo-app", "pub-1")
            .unwrap()
            .user_name,
        "zhangsan"
    );
}
