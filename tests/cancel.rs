//! Cancelling calls: before they start, while they wait for the service's
//! answer, a retry, a rate-limit pause or a token, and what is left after.

mod common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
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

/// A watch for `eiam::while_watching` that says to stop once `stop` is set,
/// and counts how often it was asked.
#[derive(Clone, Default)]
struct Watch {
    stop: Arc<AtomicBool>,
    asked: Arc<AtomicUsize>,
}

impl Watch {
    fn check(&self) -> impl Fn() -> bool + 'static {
        let watch = self.clone();
        move || {
            watch.asked.fetch_add(1, Ordering::SeqCst);
            watch.stop.load(Ordering::SeqCst)
        }
    }

    /// Says to stop once the mock has received `requests` requests.
    fn stop_when_received(&self, mock: &MockServer, requests: u64) -> Instant {
        while mock.stats().requests < requests {
            std::thread::yield_now();
        }
        self.stop.store(true, Ordering::SeqCst);
        Instant::now()
    }
}

#[test]
fn a_watch_is_not_asked_during_calls_that_wait_less_than_a_slice() {
    let mock = mock();
    let client = client_for(&mock);
    let watch = Watch::default();
    eiam::while_watching(watch.check(), || {
        client.authenticate().unwrap();
        for _ in 0..5 {
            client
                .get_public_account_owner("demo-app", "pub-1")
                .unwrap();
        }
    });
    assert_eq!(watch.asked.load(Ordering::SeqCst), 0);
}

#[test]
fn a_watched_call_ends_soon_after_its_watch_says_stop_and_so_do_later_ones() {
    let mock = mock();
    let client = client_for(&mock);
    client.authenticate().unwrap();
    mock.inject(Fault::delay(Duration::from_secs(10)));
    let watch = Watch::default();
    let (first, later, after_stop) = std::thread::scope(|s| {
        let call = s.spawn(|| {
            eiam::while_watching(watch.check(), || {
                let first = client.get_public_account_owner("demo-app", "pub-1");
                let ended = Instant::now();
                (first, client.get_account("demo-app", "pub-1"), ended)
            })
        });
        let at = watch.stop_when_received(&mock, 2);
        let (first, later, ended) = call.join().unwrap();
        (first, later, ended.duration_since(at))
    });
    for err in [first.unwrap_err(), later.unwrap_err()] {
        assert_eq!(err.kind(), ErrorKind::Cancelled, "{err}");
    }
    assert!(
        after_stop < Duration::from_millis(200),
        "ended {after_stop:?} after the watch said stop"
    );
    assert_eq!(
        mock.stats().api_requests,
        1,
        "neither retried nor sent later"
    );
    // Outside the watch, the client goes on working.
    assert!(client.get_account("demo-app", "pub-1").is_ok());
}

#[test]
fn a_watch_that_does_not_stop_lets_a_slow_call_finish() {
    let mock = mock();
    let client = client_for(&mock);
    client.authenticate().unwrap();
    mock.inject(Fault::delay(Duration::from_millis(300)));
    let watch = Watch::default();
    let owner = eiam::while_watching(watch.check(), || {
        client.get_public_account_owner("demo-app", "pub-1")
    });
    assert_eq!(owner.unwrap().user_name, "zhangsan");
    assert!(
        watch.asked.load(Ordering::SeqCst) >= 2,
        "asked while the call waited"
    );
}

#[test]
fn a_watch_cuts_a_retry_pause_and_a_wait_for_the_token_short() {
    let mock = mock();
    let client = client_for(&mock);
    client.authenticate().unwrap();
    mock.inject(Fault::status(503).retry_after("5"));
    let watch = Watch::default();
    let started = Instant::now();
    std::thread::scope(|s| {
        let call = s.spawn(|| {
            eiam::while_watching(watch.check(), || {
                client.disable_account("demo-app", "pub-1")
            })
        });
        watch.stop_when_received(&mock, 2);
        let err = call.join().unwrap().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Cancelled, "{err}");
    });
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "did not wait out Retry-After"
    );

    // A watched call waiting for the token another thread is fetching.
    let mock = self::mock();
    mock.inject(Fault::delay(Duration::from_millis(1500)).target(FaultTarget::Token));
    let client = client_for(&mock);
    let watch = Watch::default();
    std::thread::scope(|s| {
        let fetcher = s.spawn(|| client.authenticate());
        while mock.stats().requests < 1 {
            std::thread::yield_now();
        }
        let waiter = s.spawn(|| {
            eiam::while_watching(watch.check(), || client.get_account("demo-app", "pub-1"))
        });
        // Asked once the waiter has waited a slice for the fetch.
        while watch.asked.load(Ordering::SeqCst) == 0 {
            std::thread::yield_now();
        }
        watch.stop.store(true, Ordering::SeqCst);
        let err = waiter.join().unwrap().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Cancelled, "{err}");
        fetcher.join().unwrap().unwrap();
    });
    assert_eq!(mock.stats().api_requests, 0);
}

#[test]
fn idle_connections_counts_the_open_connections_no_call_is_using() {
    let mock = mock();
    let client = client_for(&mock);
    assert_eq!(client.idle_connections(), 0);
    client.authenticate().unwrap();
    assert_eq!(client.idle_connections(), 1);
    mock.inject(Fault::delay(Duration::from_secs(2)));
    std::thread::scope(|s| {
        let call = s.spawn(|| client.get_account("demo-app", "pub-1"));
        while mock.stats().in_flight < 1 {
            std::thread::yield_now();
        }
        assert_eq!(client.idle_connections(), 0, "the one connection is in use");
        call.join().unwrap().unwrap();
    });
    assert_eq!(client.idle_connections(), 1);
}
