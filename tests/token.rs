//! Token caching, renewal before expiry, single-flight fetching, and the
//! renew-and-retry-once rule for rejected tokens.

mod common;

use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

use common::*;
use eiam::{Config, ErrorKind};

#[test]
fn many_calls_share_one_token() {
    let mock = mock();
    let c = client_for(&mock);
    for _ in 0..10 {
        c.get_public_account_owner("demo-app", "pub-1").unwrap();
    }
    let stats = mock.stats();
    assert_eq!((stats.token_requests, stats.api_requests), (1, 10));
}

#[test]
fn the_token_is_renewed_shortly_before_it_expires() {
    let mock = mock();
    // A 1 s token is renewed once less than 0.1 s of it is left.
    mock.set_token_lifetime(Duration::from_secs(1));
    let c = client_for(&mock);
    c.get_public_account_owner("demo-app", "pub-1").unwrap();
    c.get_public_account_owner("demo-app", "pub-1").unwrap();
    assert_eq!(mock.stats().token_requests, 1);
    // Time passing is what is tested here, not a synchronisation.
    thread::sleep(Duration::from_millis(950));
    c.get_public_account_owner("demo-app", "pub-1").unwrap();
    // The renewal runs in the background; the call did not wait for it.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while mock.stats().token_requests < 2 && std::time::Instant::now() < deadline {
        thread::yield_now();
    }
    let stats = mock.stats();
    assert_eq!(stats.token_requests, 2, "renewed before expiry");
    assert_eq!(stats.api_requests, 3, "no call was rejected first");
}

#[test]
fn eight_threads_wait_for_one_token_request() {
    let mock = mock();
    // Slow token endpoint: every thread arrives while the fetch is under way.
    mock.inject(Fault::delay(Duration::from_millis(300)).target(FaultTarget::Token));
    let c = Arc::new(client_for(&mock));
    let start = Arc::new(Barrier::new(8));
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (c, start) = (c.clone(), start.clone());
            thread::spawn(move || {
                start.wait();
                c.get_public_account_owner("demo-app", "pub-1")
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap().unwrap().user_name, "zhangsan");
    }
    let stats = mock.stats();
    assert_eq!((stats.token_requests, stats.api_requests), (1, 8));
}

#[test]
fn a_rejected_token_is_renewed_and_the_call_retried_once() {
    let mock = mock();
    let c = client_for(&mock);
    c.get_public_account_owner("demo-app", "pub-1").unwrap();
    mock.expire_tokens();
    let owner = c.get_public_account_owner("demo-app", "pub-1").unwrap();
    assert_eq!(owner.user_name, "zhangsan");
    let stats = mock.stats();
    assert_eq!((stats.token_requests, stats.api_requests), (2, 3));
}

#[test]
fn a_second_rejection_is_an_auth_error_without_the_token() {
    let mock = mock();
    let rejection =
        r#"{"error":"invalid_token","error_description":"Invalid access token: SEE-ME"}"#;
    mock.inject(Fault::status(400).body(rejection).times(2));
    let c = client_for(&mock);
    let err = c.get_public_account_owner("demo-app", "pub-1").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth, "{err}");
    assert_eq!(err.code(), Some("invalid_token"));
    let stats = mock.stats();
    assert_eq!((stats.token_requests, stats.api_requests), (2, 2));
}

#[test]
fn the_echoed_token_never_reaches_the_error_message() {
    let mock = mock();
    let c = client_for(&mock);
    c.get_public_account_owner("demo-app", "pub-1").unwrap();
    mock.expire_tokens();
    // Both the first and the renewed token are now rejected by the mock,
    // which echoes each one back.
    mock.inject(
        Fault::status(400)
            .body(r#"{"error":"invalid_token","error_description":"Invalid access token: x"}"#)
            .times(1),
    );
    let mut static_token = None;
    for r in mock.requests() {
        for (k, v) in &r.headers {
            if k.eq_ignore_ascii_case("authorization") && v.starts_with("Bearer ") {
                static_token = Some(v["Bearer ".len()..].to_owned());
            }
        }
    }
    let token = static_token.expect("a bearer token was sent");
    let c2 = client(Config::builder(mock.base_url()).access_token(token.clone()));
    let err = c2
        .get_public_account_owner("demo-app", "pub-1")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    for shown in [err.to_string(), format!("{err:?}"), format!("{c2:?}")] {
        assert!(!shown.contains(&token), "token leaked: {shown}");
    }
}

#[test]
fn a_static_token_is_not_renewed() {
    let mock = mock();
    let c = client(Config::builder(mock.base_url()).access_token("not-a-real-token"));
    let err = c.get_public_account_owner("demo-app", "pub-1").unwrap_err();
    assert_eq!(
        (err.kind(), err.http_status()),
        (ErrorKind::Auth, Some(400))
    );
    assert!(!err.message().contains("not-a-real-token"), "{err}");
    let stats = mock.stats();
    assert_eq!((stats.token_requests, stats.api_requests), (0, 1));
}

#[test]
fn bad_client_credentials_are_an_auth_error_that_hides_the_secret() {
    let mock = mock();
    let c = client(
        Config::builder(mock.base_url()).client_credentials(mock.client_id(), "wrong-secret-99"),
    );
    let err = c.get_public_account_owner("demo-app", "pub-1").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(
        (err.code(), err.http_status()),
        (Some("invalid_client"), Some(401))
    );
    for shown in [err.to_string(), format!("{err:?}"), format!("{c:?}")] {
        assert!(!shown.contains("wrong-secret-99"), "secret leaked: {shown}");
    }
    assert_eq!(mock.stats().api_requests, 0);
}

#[test]
fn authenticate_fetches_the_token_up_front() {
    let mock = mock();
    let c = client_for(&mock);
    c.authenticate().unwrap();
    c.authenticate().unwrap();
    assert_eq!(mock.stats().token_requests, 1);
    c.get_public_account_owner("demo-app", "pub-1").unwrap();
    assert_eq!(mock.stats().token_requests, 1);
    let bad = client(Config::builder(mock.base_url()).client_credentials("demo-client", "nope"));
    assert_eq!(
        bad.authenticate().unwrap_err().code(),
        Some("invalid_client")
    );
}

#[test]
fn a_call_in_the_renewal_window_uses_the_valid_token_without_waiting() {
    let mock = mock();
    // A 5 s token is renewed once less than 0.5 s of it is left.
    mock.set_token_lifetime(Duration::from_secs(5));
    let c = client(config_for(&mock).timeout(Duration::from_secs(1)));
    c.get_public_account_owner("demo-app", "pub-1").unwrap();
    mock.inject(Fault::delay(Duration::from_secs(5)).target(FaultTarget::Token));
    // Time passing is what is tested here, not a synchronisation: the call
    // lands in the renewal window with 0.4 s of the token left.
    thread::sleep(Duration::from_millis(4600));
    let started = std::time::Instant::now();
    let owner = c.get_public_account_owner("demo-app", "pub-1");
    assert_eq!(owner.unwrap().user_name, "zhangsan");
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(mock.stats().api_requests, 2);
}

#[test]
fn a_waiter_with_time_left_fetches_again_after_the_fetchers_deadline_passed() {
    let mock = mock();
    // The first token request outlasts the first caller's deadline.
    mock.inject(Fault::delay(Duration::from_millis(1500)).target(FaultTarget::Token));
    let c = Arc::new(client(config_for(&mock).timeout(Duration::from_secs(1))));
    let first = {
        let c = c.clone();
        thread::spawn(move || c.get_public_account_owner("demo-app", "pub-1"))
    };
    while mock.stats().token_requests == 0 {
        thread::yield_now();
    }
    // Half a second later, with its own deadline half a second later too.
    thread::sleep(Duration::from_millis(500));
    let second = c.get_public_account_owner("demo-app", "pub-1");
    let first = first.join().unwrap();
    assert_eq!(first.unwrap_err().kind(), eiam::ErrorKind::Timeout);
    assert_eq!(second.unwrap().user_name, "zhangsan");
    assert_eq!(mock.stats().token_requests, 2);
}

#[test]
fn a_malformed_token_response_never_shows_its_token() {
    let mock = mock();
    let token = "AT-live-5f3c2b1a9d8e7f60";
    for body in [
        format!(r#"{{"access_token":"{token}","token_type":1}}"#),
        // Escaped as JSON allows, and cut short.
        r#"{"access_token":"AT\u002dlive\/5f3c2b1a9d8e7f60","token_type":1}"#.to_owned(),
        format!(r#"{{"token_type":1, "access_token":"{}"#, &token[..14]),
    ] {
        mock.inject(
            Fault::status(200)
                .target(FaultTarget::Token)
                .body(body.clone()),
        );
        let err = client_for(&mock).authenticate().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Protocol, "{err}");
        for shown in [err.to_string(), format!("{err:?}")] {
            assert!(!shown.contains("AT-live"), "{body} -> {shown}");
            assert!(!shown.contains("5f3c2b1a"), "{body} -> {shown}");
            assert!(!shown.contains("live/5f3c"), "{body} -> {shown}");
        }
    }
}

#[test]
fn credentials_echoed_by_the_token_endpoint_are_redacted_in_every_form() {
    use base64::Engine as _;
    let mock = mock();
    let (id, secret) = (mock.client_id(), mock.client_secret());
    let pair = format!("{id}:{secret}");
    let basic = base64::engine::general_purpose::STANDARD.encode(&pair);
    mock.inject(Fault::status(400).target(FaultTarget::Token).body(format!(
        r#"{{"error":"invalid_client {basic}","error_description":"bad Basic {basic} for {pair}"}}"#
    )));
    let err = client_for(&mock).authenticate().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth, "{err}");
    for shown in [
        err.to_string(),
        format!("{err:?}"),
        err.code().unwrap_or("").to_owned(),
    ] {
        assert!(!shown.contains(&basic), "{shown}");
        assert!(!shown.contains(&secret), "{shown}");
    }
}
