//! Bulk jobs: one call per item, at most `concurrency` calls in flight over
//! one shared client, every result handed over as soon as it is known.
//! Items are pulled from an iterator as workers free up, so neither the
//! items nor the results of a job are ever all in memory.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};

/// Workers used when the caller does not say.
pub const DEFAULT_CONCURRENCY: usize = 8;
/// Most workers a job uses; a larger concurrency is treated as this. More
/// calls at once than this only queue at the service (and at its rate
/// limit), while each worker costs a thread.
pub const MAX_CONCURRENCY: usize = 64;

/// An item of a streaming job once its call has finished: where it was in
/// the input, the item itself (handed back, so the caller need not keep a
/// copy), and what its call returned.
#[derive(Debug)]
pub struct Finished<T, R> {
    /// The item's position in the input, from 0.
    pub index: usize,
    /// The item, as the input gave it.
    pub item: T,
    /// What the call returned for it.
    pub result: R,
}

/// How a streaming job ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct JobSummary {
    /// Items taken from the input and called; each was handed to the
    /// callback exactly once.
    pub started: usize,
    /// The callback stopped the job: items after the last started one were
    /// never taken from the input (the caller can still read them from the
    /// iterator it lent, to report them as not started).
    pub stopped: bool,
}

/// Runs `call` on every item of `items`, with at most `concurrency` calls
/// at once (0 means [`DEFAULT_CONCURRENCY`]; at most [`MAX_CONCURRENCY`]),
/// and hands each finished item to `on_done` as soon as its call returns:
/// in completion order, one at a time (so `on_done` need not be
/// reentrant), on whichever worker finished it.
///
/// Items are taken from the iterator one at a time, in order, only when a
/// worker is free, so a job over a file or a generator holds at most
/// `concurrency` items at once. Pass `iter.by_ref()` to keep the iterator:
/// after a stop, what it still yields was never started.
///
/// Returning [`ControlFlow::Break`] from `on_done` stops the job: no item
/// is started after it, the calls in flight finish (each within its own
/// deadline) and are handed over as usual, then the job returns. The
/// calling thread is one of the workers; when the system cannot start as
/// many threads as asked, the job runs with those it could start.
pub fn run_bulk<I, T, R, C, F>(items: I, concurrency: usize, call: C, on_done: F) -> JobSummary
where
    I: Iterator<Item = T> + Send,
    T: Send,
    R: Send,
    C: Fn(&T) -> R + Sync,
    F: FnMut(Finished<T, R>) -> ControlFlow<()> + Send,
{
    let upper_bound = items.size_hint().1.unwrap_or(usize::MAX);
    let workers = match concurrency {
        0 => DEFAULT_CONCURRENCY,
        n => n.min(MAX_CONCURRENCY),
    }
    .min(upper_bound.max(1));
    // The index travels with the iterator so items are numbered in the
    // order they are taken.
    let input = Mutex::new((items, 0usize));
    let stopped = AtomicBool::new(false);
    let on_done = Mutex::new(on_done);

    let take = || -> Option<(usize, T)> {
        if stopped.load(Ordering::Acquire) {
            return None;
        }
        let mut input = lock(&input);
        // Checked again under the lock: a stop decided while this worker
        // waited for the input must not start one more item.
        if stopped.load(Ordering::Acquire) {
            return None;
        }
        let (items, next) = &mut *input;
        let item = items.next()?;
        let index = *next;
        *next += 1;
        Some((index, item))
    };
    let work = || {
        while let Some((index, item)) = take() {
            let result = call(&item);
            let mut on_done = lock(&on_done);
            if (on_done)(Finished {
                index,
                item,
                result,
            })
            .is_break()
            {
                stopped.store(true, Ordering::Release);
            }
        }
    };
    std::thread::scope(|scope| {
        let started = (1..workers)
            .take_while(|_| {
                std::thread::Builder::new()
                    .spawn_scoped(scope, work)
                    .is_ok()
            })
            .count();
        if started + 1 < workers {
            log::warn!(
                "eiam: started {} of {workers} bulk workers; the system refused more threads",
                started + 1
            );
        }
        // The calling thread is a worker too, so the job runs even when no
        // thread can be started at all.
        work();
    });
    let started = lock(&input).1;
    JobSummary {
        started,
        stopped: stopped.into_inner(),
    }
}

/// One owner binding of a bulk job.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BindItem {
    /// Target application id.
    pub app_id: String,
    /// The public account's id in that application.
    pub app_user_id: String,
    /// The user name of the new owner.
    pub user_name: String,
}

impl BindItem {
    /// Builds an item from its three fields.
    pub fn new(
        app_id: impl Into<String>,
        app_user_id: impl Into<String>,
        user_name: impl Into<String>,
    ) -> Self {
        BindItem {
            app_id: app_id.into(),
            app_user_id: app_user_id.into(),
            user_name: user_name.into(),
        }
    }
}

/// An item of a bulk job: a [`BindItem`], or the error of an input that
/// could not even be read (a binding's NULL or non-UTF-8 field, say). Such
/// an item fails alone, with its own error, and counts in the progress
/// like any other.
pub trait AsBindItem {
    /// The item to bind, or why there is none.
    fn as_bind_item(&self) -> std::result::Result<&BindItem, &Error>;
}

impl AsBindItem for BindItem {
    fn as_bind_item(&self) -> std::result::Result<&BindItem, &Error> {
        Ok(self)
    }
}

impl AsBindItem for Result<BindItem> {
    fn as_bind_item(&self) -> std::result::Result<&BindItem, &Error> {
        self.as_ref()
    }
}

impl<T: AsBindItem + ?Sized> AsBindItem for &T {
    fn as_bind_item(&self) -> std::result::Result<&BindItem, &Error> {
        (**self).as_bind_item()
    }
}

/// Where a bulk job over a slice stands, as reported after each finished
/// item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Items finished so far, successfully or not.
    pub done: usize,
    /// Items in the job.
    pub total: usize,
    /// Items that failed so far.
    pub failures: usize,
    /// The kind of error of the item that just finished, or `None` if it
    /// succeeded: a caller can stop a job on an [`ErrorKind::Auth`] failure,
    /// which every later item would meet too.
    pub last_error: Option<ErrorKind>,
}

impl Client {
    /// Binds the owner of every item the iterator yields, with at most
    /// `concurrency` calls in flight, and hands each item with its result
    /// (the account id, or the item's own error) to `on_done` as soon as it
    /// is known, in completion order. One item's failure never stops the
    /// others; returning [`ControlFlow::Break`] stops the job as
    /// [`run_bulk`] describes. Memory stays flat whatever the number of
    /// items.
    ///
    /// All workers share this client's token and its rate-limit pause: a
    /// 429 seen by one slows them all down.
    pub fn bind_public_account_owners_streaming<I, F>(
        &self,
        items: I,
        concurrency: usize,
        on_done: F,
    ) -> JobSummary
    where
        I: IntoIterator,
        I::IntoIter: Send,
        I::Item: AsBindItem + Send,
        F: FnMut(Finished<I::Item, Result<String>>) -> ControlFlow<()> + Send,
    {
        run_bulk(
            items.into_iter(),
            concurrency,
            |item| self.bind_item(item),
            on_done,
        )
    }

    /// Binds the owner of every item (an `app_id`, `app_user_id` and
    /// `user_name`) with at most `concurrency` calls in flight (the library's
    /// default is 8, the most 64) and returns one result per item, in input
    /// order: the account id, or the item's own error. One item's failure never
    /// stops the others.
    ///
    /// Errors: Each item's result carries the errors of
    /// `bind_public_account_owner`; items not started when the job is cancelled
    /// fail with [`ErrorKind::Cancelled`](crate::ErrorKind::Cancelled).
    ///
    /// For inputs too large to hold, use
    /// [`bind_public_account_owners_streaming`](Client::bind_public_account_owners_streaming).
    ///
    /// `progress` is called after each item finishes, one call at a time.
    /// Returning [`ControlFlow::Break`] cancels the job: calls under way
    /// finish, and every item not yet started fails with
    /// [`ErrorKind::Cancelled`].
    ///
    /// All workers share this client's token and its rate-limit pause: a
    /// 429 seen by one slows them all down. When the system cannot start
    /// as many threads as asked, the job runs with those it could start (at
    /// worst on the calling thread alone).
    ///
    /// # Examples
    ///
    /// ```
    /// # let mock = eiam_mock::MockServer::start()?;
    /// # let config = eiam::Config::builder(mock.base_url())
    /// #     .client_credentials(mock.client_id(), mock.client_secret())
    /// #     .build()?;
    /// # let client = eiam::Client::new(config)?;
    /// use eiam::BindItem;
    /// use std::ops::ControlFlow;
    ///
    /// let items = [
    ///     BindItem::new("demo-app", "pub-1", "cq04130006"),
    ///     BindItem::new("demo-app", "no-such", "lisi"),
    /// ];
    /// let results = client.bind_public_account_owners(&items, 0, |_| ControlFlow::Continue(()));
    /// assert_eq!(results[0].as_deref().ok(), Some("pub-1"));
    /// assert_eq!(results[1].as_ref().unwrap_err().code(), Some("APP.ACCOUNT.0038"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bind_public_account_owners<T, F>(
        &self,
        items: &[T],
        concurrency: usize,
        mut progress: F,
    ) -> Vec<Result<String>>
    where
        T: AsBindItem + Sync,
        F: FnMut(Progress) -> ControlFlow<()> + Send,
    {
        let mut results: Vec<Option<Result<String>>> = vec![None; items.len()];
        let mut state = Progress {
            done: 0,
            total: items.len(),
            failures: 0,
            last_error: None,
        };
        self.bind_public_account_owners_streaming(items, concurrency, |done| {
            state.done += 1;
            state.last_error = done.result.as_ref().err().map(Error::kind);
            state.failures += usize::from(state.last_error.is_some());
            results[done.index] = Some(done.result);
            progress(state)
        });
        results
            .into_iter()
            .map(|slot| {
                slot.unwrap_or_else(|| {
                    Err(Error::new(
                        ErrorKind::Cancelled,
                        "cancelled before it was started",
                    ))
                })
            })
            .collect()
    }

    fn bind_item(&self, item: &impl AsBindItem) -> Result<String> {
        match item.as_bind_item() {
            Ok(item) => {
                self.bind_public_account_owner(&item.app_id, &item.app_user_id, &item.user_name)
            }
            Err(unreadable) => Err(unreadable.clone()),
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
