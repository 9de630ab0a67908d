//! When to retry and how long to wait first.

use std::time::{Duration, SystemTime};

/// First backoff ceiling; doubled on each retry.
const BASE_BACKOFF: Duration = Duration::from_millis(200);
/// Largest backoff ceiling, whatever the attempt.
const MAX_BACKOFF: Duration = Duration::from_secs(5);
/// A `Retry-After` beyond this is not waited for in any case.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(300);

/// Statuses that say "try again later": rate limiting and gateway trouble.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// How long to wait before retry number `attempt + 1`: the server's
/// `Retry-After` when it sent one, otherwise exponential backoff with full
/// jitter (a random pause between zero and the ceiling), which spreads
/// retries of many clients apart.
pub(crate) fn pause(attempt: u32, retry_after: Option<Duration>) -> Duration {
    if let Some(hint) = retry_after {
        return hint.min(MAX_RETRY_AFTER);
    }
    let ceiling = BASE_BACKOFF
        .saturating_mul(1u32.checked_shl(attempt).unwrap_or(u32::MAX))
        .min(MAX_BACKOFF);
    let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(fastrand::u64(0..=nanos))
}

/// `Retry-After` is either whole seconds or an HTTP date.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_and_as_a_date() {
        assert_eq!(parse_retry_after(" 3 "), Some(Duration::from_secs(3)));
        let in_a_minute = SystemTime::now() + Duration::from_secs(60);
        let parsed = parse_retry_after(&httpdate::fmt_http_date(in_a_minute)).unwrap();
        assert!(parsed > Duration::from_secs(55) && parsed <= Duration::from_secs(60));
        let past = httpdate::fmt_http_date(SystemTime::UNIX_EPOCH);
        assert_eq!(parse_retry_after(&past), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(parse_retry_after("-1"), None);
    }

    #[test]
    fn backoff_is_jittered_below_a_growing_ceiling() {
        for attempt in 0..40 {
            let ceiling = BASE_BACKOFF
                .saturating_mul(1u32.checked_shl(attempt).unwrap_or(u32::MAX))
                .min(MAX_BACKOFF);
            for _ in 0..50 {
                assert!(pause(attempt, None) <= ceiling);
            }
        }
        let spread: std::collections::HashSet<_> = (0..20).map(|_| pause(3, None)).collect();
        assert!(spread.len() > 1, "full jitter must vary the pause");
    }

    #[test]
    fn server_hint_wins_but_is_bounded() {
        assert_eq!(
            pause(0, Some(Duration::from_secs(2))),
            Duration::from_secs(2)
        );
        assert_eq!(pause(0, Some(Duration::from_secs(86_400))), MAX_RETRY_AFTER);
    }

    #[test]
    fn only_throttling_and_gateway_statuses_are_retried() {
        for s in [429, 502, 503, 504] {
            assert!(is_retryable_status(s));
        }
        for s in [200, 400, 401, 404, 500, 501] {
            assert!(!is_retryable_status(s));
        }
    }
}
