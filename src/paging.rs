//! Paged lists: one page on request, or every page, fetched lazily, with
//! the stopping rules written once for every list.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

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

/// Where a walk over a list stands, and the rules for going on: the one
/// home of when a walk stops.
///
/// It stops after the page that brings the items seen to the list's
/// `total`, or at the first empty page, whichever comes first. A page with
/// exactly the items of the page before it means the service ignores the
/// page number: that ends the walk with an error instead of looping. So
/// does any failed page. It is plain data, so that a walk driven from
/// elsewhere (an async binding, one page per call) keeps these rules too.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Cursor {
    /// The next page to fetch.
    pub next: u32,
    seen: u64,
    /// A digest of the ids of the last page.
    previous: Option<u64>,
    pub done: bool,
}

impl Cursor {
    /// Takes `page` (page `self.next`) into account: `Ok(false)` when it
    /// ends the walk without items, an error when it repeats the page
    /// before. Marks the walk done when nothing is left to fetch.
    fn advance<T>(&mut self, page: &Page<T>, id_of: IdOf<T>) -> Result<bool> {
        // Ends the walk whatever happens below, unless a page that leaves
        // items to fetch says otherwise.
        self.done = true;
        if page.items.is_empty() {
            return Ok(false);
        }
        let digest = digest(page.items.iter().map(id_of));
        if self.previous == Some(digest) {
            return Err(Error::new(
                ErrorKind::Protocol,
                format!(
                    "the service answered page {} with the same {} items as page {}; \
                     stopped rather than loop",
                    self.next,
                    page.items.len(),
                    self.next.saturating_sub(1)
                ),
            ));
        }
        self.seen = self.seen.saturating_add(page.items.len() as u64);
        self.previous = Some(digest);
        if let Some(after) = self.next.checked_add(1) {
            self.done = self.seen >= page.total;
            self.next = after;
        }
        Ok(true)
    }

    /// Fetches and takes in the next page; `None` once the walk is over.
    pub(crate) fn next_page<T>(
        &mut self,
        page_size: u32,
        id_of: IdOf<T>,
        fetch: impl FnOnce(u32, u32) -> Result<Page<T>>,
    ) -> Result<Option<Page<T>>> {
        if self.done {
            return Ok(None);
        }
        self.done = true;
        check_page_size(page_size)?;
        let page = fetch(self.next, page_size)?;
        Ok(self.advance(&page, id_of)?.then_some(page))
    }
}

/// The digests fit in 53 bits: a cursor goes through the JSON of
/// `eiam_call_async`, and JavaScript reads a JSON number as a double.
const JSON_SAFE_BITS: u64 = (1 << 53) - 1;

/// FNV-1a over the ids, each ended by a NUL (which no id holds), cut to
/// [`JSON_SAFE_BITS`].
fn digest<'a>(ids: impl Iterator<Item = &'a str>) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for id in ids {
        for byte in id.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash & JSON_SAFE_BITS
}

/// Every page of a list, in order, fetched one at a time as it is asked
/// for, stopping as its cursor says: after the page that brings the items
/// seen to the list's `total`, at the first empty page, or with an error
/// at a page that repeats the one before or fails.
pub struct Pages<T> {
    fetch: FetchPage<T>,
    id_of: IdOf<T>,
    page_size: u32,
    cursor: Cursor,
}

impl<T> Pages<T> {
    pub(crate) fn new(page_size: u32, fetch: FetchPage<T>, id_of: IdOf<T>) -> Self {
        Pages {
            fetch,
            id_of,
            page_size,
            cursor: Cursor::default(),
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
        self.cursor
            .next_page(self.page_size, self.id_of, &mut self.fetch)
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
            .field("cursor", &self.cursor)
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

    #[test]
    fn a_cursor_survives_json_numbers_that_are_doubles() {
        // Node's JSON.parse reads every number as a double: the cursor it
        // passes back must be the one it was given.
        let mut cursor = Cursor::default();
        let page = Page {
            items: vec![Row("acct-001".into()), Row("acct-002".into())],
            total: 250,
            page: 0,
        };
        cursor.advance(&page, |r: &Row| &r.0).unwrap();
        let text = serde_json::to_string(&cursor).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let as_doubles: serde_json::Map<_, _> = value
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| match v.as_u64() {
                Some(n) => (k.clone(), serde_json::json!(n as f64 as u64)),
                None => (k.clone(), v.clone()),
            })
            .collect();
        let back: Cursor = serde_json::from_value(as_doubles.into()).unwrap();
        assert_eq!(back, cursor);
    }

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
