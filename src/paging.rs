//! Paged lists: one page on request, or every page, fetched lazily, with
//! the stopping rules written once for every list.

use std::collections::VecDeque;

use crate::error::{Error, ErrorKind, Result};

/// Smallest page size the service accepts.
pub const MIN_PAGE_SIZE: u32 = 10;
/// Largest page size the service accepts.
pub const MAX_PAGE_SIZE: u32 = 100;
/// The page size of the iterators unless told otherwise: the largest, so a
/// walk over a list takes as few requests as it can.
pub const DEFAULT_PAGE_SIZE: u32 = MAX_PAGE_SIZE;

/// One page of a list.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// This page's items (at most the page size).
    pub items: Vec<T>,
    /// How many items the whole list has, as the service counts them.
    pub total: u64,
    /// This page's number, from 0.
    pub page: u32,
}

/// Rejects a page size the service would refuse, with its code for it.
pub(crate) fn check_page_size(page_size: u32) -> Result<()> {
    if (MIN_PAGE_SIZE..=MAX_PAGE_SIZE).contains(&page_size) {
        return Ok(());
    }
    Err(Error::invalid_argument(format!(
        "page_size must be {MIN_PAGE_SIZE} to {MAX_PAGE_SIZE}; got {page_size}"
    ))
    .with_code("OAP.PAGE.0002"))
}

/// An item's id, which tells it apart from the others of its list.
pub(crate) type IdOf<T> = fn(&T) -> &str;

/// Fetches page `page` of `page_size` items.
pub(crate) type FetchPage<T> = Box<dyn FnMut(u32, u32) -> Result<Page<T>> + Send>;

/// Every page of a list, in order, fetched one at a time as it is asked
/// for.
///
/// It stops after the page that brings the items seen to the list's
/// `total`, or at the first empty page, whichever comes first. A page with
/// exactly the items of the page before it means the service ignores the
/// page number: that ends the walk with an error instead of looping. So
/// does any failed page.
pub struct Pages<T> {
    fetch: FetchPage<T>,
    id_of: IdOf<T>,
    page_size: u32,
    next: u32,
    seen: u64,
    previous_ids: Vec<String>,
    done: bool,
}

impl<T> Pages<T> {
    pub(crate) fn new(page_size: u32, fetch: FetchPage<T>, id_of: IdOf<T>) -> Self {
        Pages {
            fetch,
            id_of,
            page_size,
            next: 0,
            seen: 0,
            previous_ids: Vec::new(),
            done: false,
        }
    }

    /// Iterates over the items of every page instead.
    pub fn items(self) -> Items<T> {
        Items {
            pages: self,
            buffered: VecDeque::new(),
        }
    }

    fn next_page(&mut self) -> Result<Option<Page<T>>> {
        if self.done {
            return Ok(None);
        }
        // Ends the walk whatever happens below, unless a full page that
        // leaves items to fetch says otherwise.
        self.done = true;
        check_page_size(self.page_size)?;
        let page = (self.fetch)(self.next, self.page_size)?;
        if page.items.is_empty() {
            return Ok(None);
        }
        let ids: Vec<String> = page
            .items
            .iter()
            .map(|i| (self.id_of)(i).to_owned())
            .collect();
        if ids == self.previous_ids {
            return Err(Error::new(
                ErrorKind::Protocol,
                format!(
                    "the service answered page {} with the same {} items as page {}; \
                     stopped rather than loop",
                    self.next,
                    ids.len(),
                    self.next.saturating_sub(1)
                ),
            ));
        }
        self.seen = self.seen.saturating_add(ids.len() as u64);
        self.previous_ids = ids;
        if let Some(after) = self.next.checked_add(1) {
            self.done = self.seen >= page.total;
            self.next = after;
        }
        Ok(Some(page))
    }
}

impl<T> Iterator for Pages<T> {
    type Item = Result<Page<T>>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_page().transpose()
    }
}

impl<T> std::fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("page_size", &self.page_size)
            .field("next", &self.next)
            .field("seen", &self.seen)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// Every item of a list, fetched a page at a time as it is needed (see
/// [`Pages`] for when it stops). After an error it ends.
#[derive(Debug)]
pub struct Items<T> {
    pages: Pages<T>,
    buffered: VecDeque<T>,
}

impl<T> Iterator for Items<T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.buffered.pop_front() {
                return Some(Ok(item));
            }
            match self.pages.next()? {
                Ok(page) => self.buffered.extend(page.items),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Row(String);

    /// A list of `total` rows; `repeat` makes every page answer page 0.
    fn pages(
        total: u64,
        page_size: u32,
        repeat: bool,
    ) -> (Pages<Row>, std::sync::Arc<std::sync::atomic::AtomicU32>) {
        let calls = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
        let counter = calls.clone();
        let fetch = Box::new(move |page: u32, size: u32| {
            counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let page = if repeat { 0 } else { page };
            let start = u64::from(page) * u64::from(size);
            let items = (start..total.min(start + u64::from(size)))
                .map(|i| Row(format!("r{i}")))
                .collect();
            Ok(Page { items, total, page })
        });
        (Pages::new(page_size, fetch, |r| &r.0), calls)
    }

    #[test]
    fn every_item_once_and_no_request_past_the_total() {
        let (p, calls) = pages(250, 100, false);
        let rows: Vec<Row> = p.items().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 250);
        assert_eq!(rows[249], Row("r249".into()));
        assert_eq!(calls.load(std::sync::atomic::Ordering::Relaxed), 3);
        let (p, calls) = pages(200, 100, false);
        assert_eq!(p.items().count(), 200);
        assert_eq!(
            calls.load(std::sync::atomic::Ordering::Relaxed),
            2,
            "the total says page 2 is not needed"
        );
    }

    #[test]
    fn a_repeated_page_ends_the_walk_with_an_error() {
        let (p, calls) = pages(250, 100, true);
        let out: Vec<Result<Row>> = p.items().collect();
        assert_eq!(out.len(), 101);
        assert!(out[..100].iter().all(|r| r.is_ok()));
        let err = out[100].as_ref().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Protocol);
        assert!(
            err.message().contains("same 100 items"),
            "{}",
            err.message()
        );
        assert_eq!(calls.load(std::sync::atomic::Ordering::Relaxed), 2);
    }

    #[test]
    fn an_empty_page_ends_the_walk_even_if_the_total_says_more() {
        let (p, calls) = pages(0, 10, false);
        assert_eq!(p.items().count(), 0);
        assert_eq!(calls.load(std::sync::atomic::Ordering::Relaxed), 1);
        let fetch: FetchPage<Row> = Box::new(|page, _| {
            Ok(Page {
                items: if page == 0 {
                    vec![Row("a".into())]
                } else {
                    vec![]
                },
                total: 1000,
                page,
            })
        });
        assert_eq!(Pages::new(10, fetch, |r| &r.0).items().count(), 1);
    }

    #[test]
    fn a_bad_page_size_is_the_first_and_only_item() {
        let (p, calls) = pages(250, 5, false);
        let out: Vec<Result<Row>> = p.items().collect();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].as_ref().unwrap_err().code(), Some("OAP.PAGE.0002"));
        assert_eq!(calls.load(std::sync::atomic::Ordering::Relaxed), 0);
        assert!(check_page_size(10).is_ok() && check_page_size(100).is_ok());
        assert!(check_page_size(9).is_err() && check_page_size(101).is_err());
    }
}
