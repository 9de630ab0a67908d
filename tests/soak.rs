//! Load: 8 threads share one client for at least 20,000 calls, and at
//! least five token lifetimes, while the service's tokens expire every 2 s.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use common::*;
use eiam_mock::MockConfig;

const THREADS: u64 = 8;
const CALLS: u64 = 20_000;
const TOKEN_LIFETIME: Duration = Duration::from_secs(2);
/// Long enough for five renewals (every 1.8 s), whatever the call rate.
const MIN_DURATION: Duration = Duration::from_secs(9);

#[test]
fn eight_threads_20000_calls_one_token_request_per_expiry_window() {
    let mock = MockServer::start_with(MockConfig {
        token_lifetime: TOKEN_LIFETIME,
        ..MockConfig::default()
    })
    .unwrap();
    let client = client_for(&mock);
    let made = AtomicU64::new(0);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| loop {
                let n = made.fetch_add(1, Ordering::Relaxed);
                if n >= CALLS && started.elapsed() >= MIN_DURATION {
                    made.fetch_sub(1, Ordering::Relaxed);
                    return;
                }
                // Any error at all panics, and so fails the test.
                if n % 4 == 0 {
                    client
                        .bind_public_account_owner("demo-app", "pub-1", "zhangsan")
                        .unwrap();
                } else {
                    let owner = client
                        .get_public_account_owner("demo-app", "pub-1")
                        .unwrap();
                    assert_eq!(owner.user_name, "zhangsan");
                }
            });
        }
    });
    let elapsed = started.elapsed();
    let calls = made.load(Ordering::Relaxed);
    let stats = mock.stats();
    assert!(calls >= CALLS);
    // Not one token was ever rejected: a rejection costs a second attempt.
    assert_eq!(stats.api_requests, calls);
    // The client renews a 2 s token 0.2 s before it expires, so a new
    // window opens every 1.8 s; one token request each, no more.
    let windows = elapsed.as_secs_f64() / 1.8;
    println!(
        "{calls} calls in {elapsed:?} ({:.0} calls/s), {} token requests, {:.1} windows",
        calls as f64 / elapsed.as_secs_f64(),
        stats.token_requests,
        windows
    );
    assert!(
        stats.token_requests as f64 <= windows.ceil() + 1.0,
        "{} token requests in {elapsed:?}",
        stats.token_requests
    );
    // And no fewer: every token request's token served its whole window
    // (a token lives 2 s, and none was rejected).
    let lifetimes = (elapsed.as_secs_f64() / TOKEN_LIFETIME.as_secs_f64()).floor();
    assert!(
        stats.token_requests as f64 >= lifetimes,
        "{} token requests in {elapsed:?}",
        stats.token_requests
    );
}
