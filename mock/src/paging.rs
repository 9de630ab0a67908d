//! The lists' paging: `offset` is a 0-based page number, not a row offset,
//! and `limit` (10 to 100) the page size; both are required.

use crate::errors::{Code, PAGE_LIMIT_BAD, PAGE_OFFSET_BAD};
use crate::http::Request;

/// The documented bounds of `limit`.
const LIMITS: std::ops::RangeInclusive<usize> = 10..=100;

/// One page of a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Page {
    /// The page number, from 0.
    offset: usize,
    /// Rows per page.
    limit: usize,
}

impl Page {
    /// From the query: `limit` missing, not an integer or outside 10–100
    /// gives OAP.PAGE.0002; `offset` missing, negative or not an integer
    /// gives OAP.PAGE.0003.
    pub fn from_query(req: &Request) -> Result<Page, Code> {
        let limit = req
            .param("limit")
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|limit| LIMITS.contains(limit))
            .ok_or(PAGE_LIMIT_BAD)?;
        let offset = req
            .param("offset")
            .and_then(|v| v.parse::<usize>().ok())
            .ok_or(PAGE_OFFSET_BAD)?;
        Ok(Page { offset, limit })
    }

    /// The rows of this page; none past the end.
    pub fn of<T>(self, rows: impl Iterator<Item = T>) -> impl Iterator<Item = T> {
        rows.skip(self.offset.saturating_mul(self.limit))
            .take(self.limit)
    }
}
