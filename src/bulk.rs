//! Binding many owners at once: bounded concurrency over one shared
//! client, results in input order, progress reports and cancellation.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};

/// Workers used when the caller does not say.
pub const DEFAULT_CONCURRENCY: usize = 8;
/// Most workers a job uses; a larger concurrency is treated as this. More
/// calls at once than this only queue at the service (and at its rate
/// limit), while each worker costs a thread.
pub const MAX_CONCURRENCY: usize = 64;

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
pub trait AsBindItem: Sync {
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

/// Where a bulk job stands, as reported after each finished item.
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
        progress: F,
    ) -> Vec<Result<String>>
    where
        T: AsBindItem,
        F: FnMut(Progress) -> ControlFlow<()> + Send,
    {
        let total = items.len();
        let workers = match concurrency {
            0 => DEFAULT_CONCURRENCY,
            n => n.min(MAX_CONCURRENCY),
        }
        .min(total.max(1));
        let next = AtomicUsize::new(0);
        let cancelled = AtomicBool::new(false);
        let results: Mutex<Vec<Option<Result<String>>>> = Mutex::new(vec![None; total]);
        // Holding this lock while calling `progress` keeps reports in order
        // and spares the callback from being reentrant.
        let reporter = Mutex::new((
            progress,
            Progress {
                done: 0,
                total,
                failures: 0,
                last_error: None,
            },
        ));

        let work = || loop {
            if cancelled.load(Ordering::Acquire) {
                return;
            }
            let index = next.fetch_add(1, Ordering::AcqRel);
            let Some(item) = items.get(index) else {
                return;
            };
            let result = match item.as_bind_item() {
                Ok(item) => {
                    self.bind_public_account_owner(&item.app_id, &item.app_user_id, &item.user_name)
                }
                Err(unreadable) => Err(unreadable.clone()),
            };
            let last_error = result.as_ref().err().map(Error::kind);
            lock(&results)[index] = Some(result);
            let mut report = lock(&reporter);
            let (callback, state) = &mut *report;
            state.done += 1;
            state.failures += usize::from(last_error.is_some());
            state.last_error = last_error;
            if callback(*state).is_break() {
                cancelled.store(true, Ordering::Release);
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
            // The calling thread is a worker too, so the job runs even when
            // no thread can be started at all.
            work();
        });

        results
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
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
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
