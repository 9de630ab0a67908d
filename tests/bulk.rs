//! Bulk owner binding: order, per-item errors, bounded concurrency,
//! cancellation, and one shared pause on 429.

mod common;

use std::ops::ControlFlow;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use common::*;
use eiam::{BindItem, ErrorKind};

fn items(n: usize) -> Vec<BindItem> {
    (0..n)
        .map(|i| BindItem::new("demo-app", format!("acct-{i}"), "zhangsan"))
        .collect()
}

fn add_accounts(mock: &MockServer, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| mock.add_public_account("demo-app", &format!("acct-{i}")))
        .collect()
}

#[test]
fn results_keep_input_order_and_failures_stay_with_their_item() {
    let mock = mock();
    let ids = add_accounts(&mock, 10);
    let mut job = items(10);
    job[3].app_user_id = "missing".into();
    job[7].user_name = "nobody".into();
    job[8].app_id = " ".into();
    let results =
        client_for(&mock).bind_public_account_owners(&job, 4, |_| ControlFlow::Continue(()));
    assert_eq!(results.len(), 10);
    for (i, result) in results.iter().enumerate() {
        match i {
            3 => assert_eq!(
                result.as_ref().unwrap_err().code(),
                Some("APP.ACCOUNT.0038")
            ),
            7 => assert_eq!(
                result.as_ref().unwrap_err().code(),
                Some("APP.ACCOUNT.0037")
            ),
            8 => assert_eq!(
                result.as_ref().unwrap_err().kind(),
                ErrorKind::InvalidArgument
            ),
            _ => assert_eq!(result.as_ref().unwrap(), &ids[i], "item {i}"),
        }
    }
    assert_eq!(
        mock.owner_of("demo-app", "acct-9").as_deref(),
        Some("zhangsan")
    );
}

#[test]
fn never_more_calls_in_flight_than_workers() {
    let mock = mock();
    add_accounts(&mock, 24);
    mock.inject(Fault::delay(Duration::from_millis(50)).times(24));
    let results =
        client_for(&mock).bind_public_account_owners(&items(24), 4, |_| ControlFlow::Continue(()));
    assert!(results.iter().all(Result::is_ok));
    let stats = mock.stats();
    assert!(stats.max_in_flight <= 4, "{stats:?}");
    assert!(
        stats.max_in_flight >= 2,
        "the workers ran concurrently: {stats:?}"
    );
    assert_eq!(stats.token_requests, 1);
}

#[test]
fn progress_is_reported_in_order_and_can_cancel() {
    let mock = mock();
    add_accounts(&mock, 10);
    let mut seen = Vec::new();
    let results = client_for(&mock).bind_public_account_owners(&items(10), 1, |p| {
        seen.push(p);
        if p.done == 3 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    assert_eq!(seen.iter().map(|p| p.done).collect::<Vec<_>>(), [1, 2, 3]);
    assert!(seen.iter().all(|p| p.total == 10 && p.failures == 0));
    assert!(results[..3].iter().all(Result::is_ok));
    for r in &results[3..] {
        assert_eq!(r.as_ref().unwrap_err().kind(), ErrorKind::Cancelled);
    }
    assert_eq!(mock.stats().api_requests, 3);
}

#[test]
fn a_429_slows_every_worker_down_together() {
    install_pause_watcher();
    let mock = mock();
    add_accounts(&mock, 6);
    let client = client_for(&mock);
    client
        .get_public_account_owner("demo-app", "pub-1")
        .unwrap(); // token cached
    mock.inject(Fault::status(429).retry_after("1"));
    let started = Instant::now();
    let finished_at = Mutex::new(Vec::new());
    let results = client.bind_public_account_owners(&items(6), 2, |_| {
        // The worker that did not get the 429 may finish an item before the
        // other one has even read it; hold it here until the pause is set,
        // so that what follows does not depend on thread scheduling.
        assert!(
            wait_for_429_pause(Duration::from_secs(10)),
            "the 429 was never retried"
        );
        finished_at.lock().unwrap().push(started.elapsed());
        ControlFlow::Continue(())
    });
    assert!(results.iter().all(Result::is_ok));
    let finished_at = finished_at.into_inner().unwrap();
    // Once the pause is set, no worker starts a call until it is over:
    // only an item already in flight may finish early. Without a shared
    // pause the second worker would finish all its items while the first
    // sleeps out the Retry-After.
    let early = finished_at
        .iter()
        .filter(|t| **t < Duration::from_millis(700))
        .count();
    assert!(early <= 1, "{finished_at:?}");
    assert_eq!(mock.stats().api_requests, 8);
}

/// Set once a worker has logged that it will retry a 429, which it does
/// right after setting the client's shared pause.
static PAUSE_SET: (Mutex<bool>, Condvar) = (Mutex::new(false), Condvar::new());

struct PauseWatcher;

impl log::Log for PauseWatcher {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.target().starts_with("eiam")
    }

    fn log(&self, record: &log::Record<'_>) {
        if record.args().to_string().contains("(HTTP 429), retry") {
            *PAUSE_SET.0.lock().unwrap() = true;
            PAUSE_SET.1.notify_all();
        }
    }

    fn flush(&self) {}
}

fn install_pause_watcher() {
    static WATCHER: PauseWatcher = PauseWatcher;
    log::set_logger(&WATCHER).expect("the only logger");
    log::set_max_level(log::LevelFilter::Info);
}

fn wait_for_429_pause(timeout: Duration) -> bool {
    let (set, changed) = &PAUSE_SET;
    let guard = set.lock().unwrap();
    let (guard, _) = changed
        .wait_timeout_while(guard, timeout, |set| !*set)
        .unwrap();
    *guard
}

#[test]
fn an_empty_job_makes_no_request() {
    let mock = mock();
    let none: &[BindItem] = &[];
    let results =
        client_for(&mock).bind_public_account_owners(none, 8, |_| ControlFlow::Continue(()));
    assert!(results.is_empty());
    assert_eq!(mock.stats().requests, 0);
}

#[test]
fn items_that_could_not_be_read_fail_alone_and_count_in_the_progress() {
    let mock = mock();
    let ids = add_accounts(&mock, 3);
    let unreadable = eiam::Error::new(ErrorKind::InvalidArgument, "user_name is NULL");
    let job: Vec<eiam::Result<BindItem>> = vec![
        Ok(items(1).remove(0)),
        Err(unreadable.clone()),
        Ok(BindItem::new("demo-app", "acct-2", "zhangsan")),
    ];
    let mut last = None;
    let results = client_for(&mock).bind_public_account_owners(&job, 2, |p| {
        last = Some(p);
        ControlFlow::Continue(())
    });
    assert_eq!(results[0].as_ref().unwrap(), &ids[0]);
    assert_eq!(results[1].as_ref().unwrap_err(), &unreadable);
    assert_eq!(results[2].as_ref().unwrap(), &ids[2]);
    let last = last.expect("progress was reported");
    assert_eq!((last.done, last.total, last.failures), (3, 3, 1));
    assert_eq!(mock.stats().api_requests, 2);
}

#[test]
fn progress_says_what_kind_of_error_the_last_item_had() {
    let mock = mock();
    add_accounts(&mock, 1);
    let job = vec![
        BindItem::new("demo-app", "acct-0", "zhangsan"),
        BindItem::new("demo-app", "missing", "zhangsan"),
    ];
    let mut seen = Vec::new();
    client_for(&mock).bind_public_account_owners(&job, 1, |p| {
        seen.push(p.last_error);
        ControlFlow::Continue(())
    });
    assert_eq!(seen, [None, Some(ErrorKind::Api)]);
}

/// An iterator that counts how many items were taken from it.
struct Counted<I> {
    inner: I,
    taken: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl<I: Iterator> Iterator for Counted<I> {
    type Item = I::Item;
    fn next(&mut self) -> Option<I::Item> {
        let item = self.inner.next()?;
        self.taken.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Some(item)
    }
}

#[test]
fn a_stream_is_taken_only_as_workers_free_up_and_every_item_comes_back_once() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let taken = std::sync::Arc::new(AtomicUsize::new(0));
    // No size hint: the job cannot know how long the input is.
    let input = Counted {
        inner: (0..5_000u64).filter(|_| true),
        taken: taken.clone(),
    };
    let mut seen = vec![false; 5_000];
    let mut handed = 0usize;
    let mut most_held = 0usize;
    let summary = eiam::run_bulk(
        input,
        8,
        |n| n * 2,
        |done| {
            assert_eq!(done.result, done.item * 2);
            assert_eq!(
                done.index as u64, done.item,
                "items are numbered in input order"
            );
            assert!(!std::mem::replace(&mut seen[done.index], true));
            handed += 1;
            most_held = most_held.max(taken.load(Ordering::SeqCst) - handed);
            ControlFlow::Continue(())
        },
    );
    assert_eq!(summary.started, 5_000);
    assert!(!summary.stopped);
    assert!(seen.iter().all(|s| *s));
    // Each worker holds at most the one item it is calling.
    assert!(
        most_held < 8,
        "{most_held} items were taken but not handed back"
    );
}

#[test]
fn a_stopped_stream_starts_nothing_more_and_leaves_the_rest_in_the_iterator() {
    let mut input = 0..1_000usize;
    let mut handed = Vec::new();
    let summary = eiam::run_bulk(
        input.by_ref(),
        4,
        |n| *n,
        |done| {
            handed.push(done.item);
            if handed.len() == 10 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        },
    );
    assert!(summary.stopped);
    // What was started came back, and only up to one more item per other
    // worker was started after the stop was decided.
    assert_eq!(handed.len(), summary.started);
    assert!((10..=13).contains(&summary.started), "{summary:?}");
    handed.sort_unstable();
    assert_eq!(handed, (0..summary.started).collect::<Vec<_>>());
    assert_eq!(
        input.next(),
        Some(summary.started),
        "the rest was never taken"
    );
}

#[test]
fn streaming_binds_hand_each_item_back_with_its_result() {
    let mock = mock();
    let ids = add_accounts(&mock, 6);
    let unreadable = Err(eiam::Error::new(
        ErrorKind::InvalidArgument,
        "row 3 unreadable",
    ));
    let job = (0..6).map(|i| {
        if i == 3 {
            unreadable.clone()
        } else {
            Ok(BindItem::new("demo-app", format!("acct-{i}"), "lisi"))
        }
    });
    let mut results = vec![None; 6];
    let summary = client_for(&mock).bind_public_account_owners_streaming(job, 3, |done| {
        results[done.index] = Some((done.item.is_ok(), done.result));
        ControlFlow::Continue(())
    });
    assert_eq!(summary.started, 6);
    for (i, slot) in results.into_iter().enumerate() {
        let (readable, result) = slot.expect("every item is handed back");
        if i == 3 {
            assert!(!readable);
            assert_eq!(result.unwrap_err().message(), "row 3 unreadable");
        } else {
            assert_eq!(result.unwrap(), ids[i]);
        }
    }
    assert_eq!(mock.owner_of("demo-app", "acct-5").as_deref(), Some("lisi"));
    assert_eq!(mock.owner_of("demo-app", "acct-3"), None);
}
