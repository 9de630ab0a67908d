//! Faults injected on purpose, so tests can see how a client copes with
//! throttling, gateway errors, dropped connections and slow answers.

use std::collections::VecDeque;
use std::time::Duration;

/// Which requests a fault applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultTarget {
    /// Token and API requests alike.
    Any,
    /// Only `POST /api/v2/tenant/token`.
    Token,
    /// Only the management API calls (everything but the token endpoint).
    Api,
}

/// What a faulted request gets instead of its normal answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultAction {
    /// Answer with this status and body.
    Respond {
        /// The HTTP status.
        status: u16,
        /// The body, sent as is (any bytes, not only UTF-8).
        body: Vec<u8>,
        /// The `Content-Type` header.
        content_type: String,
        /// A `Retry-After` header (seconds or an HTTP date), if any.
        retry_after: Option<String>,
    },
    /// Close the connection without answering.
    Close,
    /// Answer normally (used with a delay).
    Normal,
}

/// Where a [`Delivery::Cut`] stops sending the answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CutPoint {
    /// Before the first byte: no status line at all.
    BeforeStatusLine,
    /// After the status line, part way through the headers.
    InHeaders,
    /// After the headers and half of the body (which `Content-Length`
    /// announced in full).
    MidBody,
}

/// How a cut connection ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// An abortive close: the peer sees a connection reset (RST).
    Reset,
    /// An orderly close (FIN): the peer sees end of stream early.
    Close,
}

/// The names the admin API and the Python `MockServer` give these enums,
/// read in one place: `"api".parse::<FaultTarget>()`. The error says what
/// the names are.
macro_rules! named {
    ($type:ident, $what:literal, $($name:literal => $variant:ident),+ $(,)?) => {
        impl std::str::FromStr for $type {
            type Err = String;
            fn from_str(name: &str) -> Result<Self, String> {
                match name {
                    $($name => Ok($type::$variant),)+
                    other => {
                        let names: Vec<String> = [$($name),+].iter().map(|n| format!("'{n}'")).collect();
                        Err(format!("{} must be one of {}; got {other:?}", $what, names.join(", ")))
                    }
                }
            }
        }
    };
}

named!(FaultTarget, "target", "api" => Api, "token" => Token, "any" => Any);

#[cfg(test)]
mod name_tests {
    use super::*;

    #[test]
    fn names_parse_and_a_wrong_one_lists_them() {
        assert_eq!("token".parse::<FaultTarget>(), Ok(FaultTarget::Token));
        assert_eq!("mid_body".parse::<CutPoint>(), Ok(CutPoint::MidBody));
        assert_eq!("close".parse::<Ending>(), Ok(Ending::Close));
        assert_eq!(
            "x".parse::<Ending>(),
            Err("ending must be one of 'reset', 'close'; got \"x\"".to_owned())
        );
    }
}
named!(CutPoint, "cut", "before_status_line" => BeforeStatusLine, "in_headers" => InHeaders, "mid_body" => MidBody);
named!(Ending, "ending", "reset" => Reset, "close" => Close);

/// How a faulted answer reaches the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// In one piece, as normal.
    Whole,
    /// Only up to `at`, then the connection ends with `ending`.
    Cut {
        /// Where sending stops.
        at: CutPoint,
        /// How the connection then ends.
        ending: Ending,
    },
    /// Whole, but one byte every interval: slower than any sane deadline.
    Trickle(Duration),
}

/// A fault for the next `count` matching requests, after waiting `delay`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    /// Which requests it applies to.
    pub target: FaultTarget,
    /// How many matching requests it applies to; 0 is never queued.
    pub count: usize,
    /// What those requests get.
    pub action: FaultAction,
    /// How long to wait before acting (ends early if the server stops).
    pub delay: Duration,
    /// How the answer goes on the wire (ignored by [`FaultAction::Close`]).
    pub delivery: Delivery,
}

impl Fault {
    /// Answer an API request with `status` and an EIAM-style error body
    /// (`{"error_code":" SYS.0503","error_msg":"Service Unavailable"}`).
    pub fn status(status: u16) -> Self {
        Fault {
            target: FaultTarget::Api,
            count: 1,
            action: FaultAction::Respond {
                status,
                body: default_body(status),
                content_type: crate::http::JSON.to_owned(),
                retry_after: None,
            },
            delay: Duration::ZERO,
            delivery: Delivery::Whole,
        }
    }

    /// Close the connection of an API request without answering.
    pub fn close() -> Self {
        Fault {
            action: FaultAction::Close,
            ..Fault::status(500)
        }
    }

    /// Answer an API request normally, but only after `delay`.
    pub fn delay(delay: Duration) -> Self {
        Fault {
            action: FaultAction::Normal,
            delay,
            ..Fault::status(500)
        }
    }

    /// Answers an API request normally, but resets the connection at `at`.
    pub fn reset(at: CutPoint) -> Self {
        Fault::normal().cut(at, Ending::Reset)
    }

    /// Answers an API request normally, but closes the connection half way
    /// through the body that `Content-Length` announced in full.
    pub fn truncated_body() -> Self {
        Fault::normal().cut(CutPoint::MidBody, Ending::Close)
    }

    /// Answers an API request normally, one byte every `interval`.
    pub fn trickle(interval: Duration) -> Self {
        Fault::normal().delivered(Delivery::Trickle(interval))
    }

    fn normal() -> Self {
        Fault {
            action: FaultAction::Normal,
            ..Fault::status(500)
        }
    }

    /// Sends only part of the answer, then ends the connection.
    pub fn cut(self, at: CutPoint, ending: Ending) -> Self {
        self.delivered(Delivery::Cut { at, ending })
    }

    /// How the answer goes on the wire (default: whole).
    pub fn delivered(mut self, delivery: Delivery) -> Self {
        self.delivery = delivery;
        self
    }

    /// Applies to the next `count` matching requests (default 1).
    pub fn times(mut self, count: usize) -> Self {
        self.count = count;
        self
    }

    /// Which requests it applies to (default: API calls).
    pub fn target(mut self, target: FaultTarget) -> Self {
        self.target = target;
        self
    }

    /// Waits this long before acting.
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Replaces the body of a `status` fault (text or any bytes).
    pub fn body(mut self, text: impl Into<Vec<u8>>) -> Self {
        if let FaultAction::Respond { body, .. } = &mut self.action {
            *body = text.into();
        }
        self
    }

    /// Replaces the content type of a `status` fault.
    pub fn content_type(mut self, value: impl Into<String>) -> Self {
        if let FaultAction::Respond { content_type, .. } = &mut self.action {
            *content_type = value.into();
        }
        self
    }

    /// Adds a `Retry-After` header to a `status` fault.
    pub fn retry_after(mut self, value: impl Into<String>) -> Self {
        if let FaultAction::Respond { retry_after, .. } = &mut self.action {
            *retry_after = Some(value.into());
        }
        self
    }
}

/// The EIAM-style body a fault sends unless told otherwise, e.g.
/// `{"error_code":" SYS.0503","error_msg":"Service Unavailable"}`.
pub(crate) fn default_body(status: u16) -> Vec<u8> {
    crate::api::sys_error_body(status).into_bytes()
}

/// Faults waiting to be applied, oldest first.
#[derive(Default)]
pub(crate) struct FaultQueue(VecDeque<Fault>);

impl FaultQueue {
    pub fn push(&mut self, fault: Fault) {
        if fault.count > 0 {
            self.0.push_back(fault);
        }
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// Takes one use of the oldest fault that applies to this request.
    pub fn take(&mut self, is_token_request: bool) -> Option<Fault> {
        let index = self.0.iter().position(|f| match f.target {
            FaultTarget::Any => true,
            FaultTarget::Token => is_token_request,
            FaultTarget::Api => !is_token_request,
        })?;
        let fault = &mut self.0[index];
        fault.count -= 1;
        let taken = fault.clone();
        if fault.count == 0 {
            self.0.remove(index);
        }
        Some(taken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_request_takes_one_use_of_the_oldest_matching_fault() {
        let mut queue = FaultQueue::default();
        queue.push(Fault::status(429).times(2));
        queue.push(Fault::close().target(FaultTarget::Token));
        queue.push(Fault::status(503).target(FaultTarget::Any).times(0));
        let status = |f: Option<Fault>| match f.map(|f| f.action) {
            Some(FaultAction::Respond { status, .. }) => status,
            Some(FaultAction::Close) => 1,
            _ => 0,
        };
        assert_eq!(
            status(queue.take(true)),
            1,
            "the token fault, not the API one"
        );
        assert_eq!(
            status(queue.take(true)),
            0,
            "used up; count 0 was never queued"
        );
        assert_eq!(status(queue.take(false)), 429);
        assert_eq!(status(queue.take(false)), 429);
        assert_eq!(status(queue.take(false)), 0);
    }

    #[test]
    fn the_default_body_names_the_status() {
        assert_eq!(
            default_body(503),
            r#"{"error_code":" SYS.0503","error_msg":"Service Unavailable"}"#.as_bytes()
        );
    }
}
