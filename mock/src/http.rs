//! Just enough HTTP/1.1 for the mock: read one request at a time from a
//! keep-alive connection, write one response with a single `write_all`.
//!
//! Hand-rolled over `httparse` on purpose: tests need socket-level control
//! (closing without an answer, resetting, truncating or trickling bytes)
//! that a server framework hides. Everything that reaches the wire goes
//! through [`Connection::send`], or [`Connection::deliver`] for faults.

use std::borrow::Cow;
use std::io::{self, Read, Write};
use std::time::{Duration, Instant};

use crate::faults::{CutPoint, Delivery, Ending};
use crate::wire::Wire;

/// Largest request head accepted (answered with 431 beyond).
const MAX_HEAD: usize = 16 * 1024;
/// Largest request body accepted (answered with 413 beyond).
const MAX_BODY: usize = 1024 * 1024;
/// Headers beyond this many make the request malformed (400).
const MAX_HEADERS: usize = 64;
/// How long a connection that is being closed after an error keeps
/// reading, so the client sees our answer rather than a reset.
const LINGER: Duration = Duration::from_millis(500);
/// The output buffer is kept between responses unless it grew past this
/// (an injected multi-megabyte body should not stay pinned per connection).
const KEEP_OUT_BUFFER: usize = 64 * 1024;

pub const JSON: &str = "application/json;charset=UTF-8";

/// Whether the connection stays open after the answer, and how to say so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Persistence {
    /// Answer with `Connection: close`, then close.
    Close,
    /// HTTP/1.1 default: nothing to say.
    KeepAlive,
    /// An HTTP/1.0 client asked for keep-alive: it must be confirmed.
    KeepAliveHttp10,
}

/// A parsed request.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// Path and query as sent, still percent-encoded.
    pub target: String,
    /// Headers in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub persistence: Persistence,
}

impl Request {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The path without its query string.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// The query string, without the `?`.
    pub fn query(&self) -> &str {
        self.target.split_once('?').map_or("", |(_, q)| q)
    }

    /// The first query parameter with this name, decoded.
    pub fn param(&self, name: &str) -> Option<String> {
        form_urlencoded::parse(self.query().as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Whether a comma-separated header value lists `token`.
fn lists(value: Option<&str>, token: &str) -> bool {
    value.is_some_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
}

/// Why no request could be read.
#[derive(Debug)]
pub enum ReadError {
    /// The peer closed the connection between requests.
    Closed,
    /// The request was malformed or too large: answer with this status,
    /// then close.
    Bad(u16),
    /// The connection failed or ended mid-request.
    Io,
}

/// A request head, parsed; the body is read afterwards.
struct Head {
    request: Request,
    head_len: usize,
    body_len: usize,
    expect_continue: bool,
}

/// One client connection: reads requests (keeping bytes of a pipelined
/// next request) and writes responses.
pub struct Connection {
    stream: Box<dyn Wire>,
    /// Received bytes not yet consumed.
    buf: Vec<u8>,
    /// Serialized response, reused between responses.
    out: Vec<u8>,
    /// What each read fills, kept: zeroing a fresh one for every read was
    /// the mock's largest cost per request.
    chunk: Box<[u8; 8192]>,
}

impl Connection {
    pub fn new(stream: Box<dyn Wire>) -> Self {
        Connection {
            stream,
            buf: Vec::with_capacity(4096),
            out: Vec::with_capacity(1024),
            chunk: Box::new([0; 8192]),
        }
    }

    /// Whether the connection's TLS handshake resumed an earlier session.
    pub fn tls_resumed(&self) -> bool {
        self.stream.tls_resumed()
    }

    /// Reads the next request.
    pub fn read_request(&mut self) -> Result<Request, ReadError> {
        let head = loop {
            if let Some(head) = parse_head(&self.buf)? {
                break head;
            }
            if self.buf.len() > MAX_HEAD {
                return Err(ReadError::Bad(431));
            }
            if self.fill()? == 0 {
                return Err(if self.buf.is_empty() {
                    ReadError::Closed
                } else {
                    ReadError::Io
                });
            }
        };
        let total = head.head_len + head.body_len;
        if head.expect_continue && self.buf.len() < total {
            // curl and others wait (about a second) for this before sending
            // a body; answering at once keeps them fast.
            self.stream
                .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                .map_err(|_| ReadError::Io)?;
        }
        if self.buf.len() < total {
            self.buf.reserve(total - self.buf.len());
        }
        while self.buf.len() < total {
            if self.fill()? == 0 {
                return Err(ReadError::Io);
            }
        }
        let mut request = head.request;
        if head.body_len > 0 {
            request.body = self.buf[head.head_len..total].to_vec();
        }
        self.buf.drain(..total);
        Ok(request)
    }

    /// Reads more bytes into `buf`; 0 means the peer closed.
    fn fill(&mut self) -> Result<usize, ReadError> {
        loop {
            match self.stream.read(&mut self.chunk[..]) {
                Ok(n) => {
                    self.buf.extend_from_slice(&self.chunk[..n]);
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => return Err(ReadError::Io),
            }
        }
    }

    /// Writes a response damaged by a fault (cut short or trickled), then
    /// ends the connection. `pause` sleeps, returning false once the server
    /// is stopping.
    pub fn deliver(
        mut self,
        response: &Response,
        delivery: Delivery,
        pause: &dyn Fn(Duration) -> bool,
    ) -> io::Result<()> {
        self.out.clear();
        response.serialize(Persistence::Close, &mut self.out);
        match delivery {
            Delivery::Whole => self.stream.write_all(&self.out),
            Delivery::Trickle(interval) => {
                for byte in self.out.chunks(1) {
                    if !pause(interval) {
                        break;
                    }
                    self.stream.write_all(byte)?;
                }
                Ok(())
            }
            Delivery::Cut { at, ending } => {
                let cut = cut_offset(&self.out, response.body.len(), at);
                self.stream.write_all(&self.out[..cut])?;
                match ending {
                    // A zero linger time makes close() send RST, not FIN.
                    Ending::Reset => {
                        socket2::SockRef::from(self.stream.tcp()).set_linger(Some(Duration::ZERO))
                    }
                    Ending::Close => {
                        self.linger();
                        Ok(())
                    }
                }
            }
        }
    }

    /// Writes a response with a single `write_all`.
    pub fn send(&mut self, response: &Response, persistence: Persistence) -> io::Result<()> {
        self.out.clear();
        response.serialize(persistence, &mut self.out);
        let written = self.stream.write_all(&self.out);
        if self.out.capacity() > KEEP_OUT_BUFFER {
            self.out = Vec::with_capacity(1024);
        }
        written
    }

    /// Closes after an error answer without destroying it: closing a socket
    /// with unread input makes the kernel send a reset, which can discard
    /// our answer before the client reads it. So stop writing, and read
    /// (briefly) whatever the client still sends.
    pub fn linger(mut self) {
        self.stream.finish();
        let deadline = Instant::now() + LINGER;
        let mut sink = [0u8; 8192];
        let mut drained = 0;
        while drained < 2 * MAX_BODY {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || self.stream.tcp().set_read_timeout(Some(left)).is_err() {
                return;
            }
            match self.stream.read(&mut sink) {
                Ok(0) | Err(_) => return,
                Ok(n) => drained += n,
            }
        }
    }
}

/// Where in a serialized answer (`body_len` bytes of body at its end) a cut
/// at `at` falls.
fn cut_offset(wire: &[u8], body_len: usize, at: CutPoint) -> usize {
    let head_len = wire.len() - body_len;
    match at {
        CutPoint::BeforeStatusLine => 0,
        CutPoint::InHeaders => {
            let status_line = wire.windows(2).position(|w| w == b"\r\n").unwrap_or(0) + 2;
            (status_line + 10).min(head_len - 2)
        }
        CutPoint::MidBody => head_len + body_len / 2,
    }
}

/// Parses a request head if `buf` holds all of it.
fn parse_head(buf: &[u8]) -> Result<Option<Head>, ReadError> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    let head_len = match parsed.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(_) => return Err(ReadError::Bad(400)),
    };
    let headers: Vec<(String, String)> = parsed
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_owned(),
                String::from_utf8_lossy(h.value).into_owned(),
            )
        })
        .collect();
    if find_header(&headers, "transfer-encoding").is_some() {
        // Chunked request bodies are not supported: ask for a length.
        return Err(ReadError::Bad(411));
    }
    let body_len = match find_header(&headers, "content-length") {
        None => 0,
        Some(v) => v.trim().parse::<usize>().map_err(|_| ReadError::Bad(400))?,
    };
    if body_len > MAX_BODY {
        return Err(ReadError::Bad(413));
    }
    let connection = find_header(&headers, "connection");
    let persistence = if lists(connection, "close") {
        Persistence::Close
    } else if parsed.version == Some(0) {
        if lists(connection, "keep-alive") {
            Persistence::KeepAliveHttp10
        } else {
            Persistence::Close
        }
    } else {
        Persistence::KeepAlive
    };
    let expect_continue = lists(find_header(&headers, "expect"), "100-continue");
    Ok(Some(Head {
        request: Request {
            method: parsed.method.unwrap_or("").to_owned(),
            target: parsed.path.unwrap_or("").to_owned(),
            headers,
            body: Vec::new(),
            persistence,
        },
        head_len,
        body_len,
        expect_continue,
    }))
}

/// A response to write.
#[derive(Clone, Debug)]
pub struct Response {
    pub status: u16,
    pub content_type: Cow<'static, str>,
    pub extra_headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: Cow<'static, str>, body: Vec<u8>) -> Self {
        Response {
            status,
            content_type,
            extra_headers: Vec::new(),
            body,
        }
    }

    /// A JSON response.
    pub fn json<T: serde::Serialize + ?Sized>(status: u16, value: &T) -> Self {
        let body = serde_json::to_vec(value).expect("mock bodies serialize");
        Response::new(status, Cow::Borrowed(JSON), body)
    }

    /// 204 No Content.
    pub fn no_content() -> Self {
        Response::new(204, Cow::Borrowed(JSON), Vec::new())
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.extra_headers.push((name, value.into()));
        self
    }

    /// Head and body, as they go on the wire.
    fn serialize(&self, persistence: Persistence, out: &mut Vec<u8>) {
        out.reserve(160 + self.body.len());
        // Writing to a Vec cannot fail.
        let _ = write!(out, "HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        // A 204 has no body, and RFC 9110 forbids saying how long it is
        // (a fault may still give one a body: then it is framed as usual).
        if self.status != 204 || !self.body.is_empty() {
            let _ = write!(
                out,
                "Content-Type: {}\r\nContent-Length: {}\r\n",
                self.content_type,
                self.body.len()
            );
        }
        for (name, value) in &self.extra_headers {
            let _ = write!(out, "{name}: {value}\r\n");
        }
        match persistence {
            Persistence::Close => out.extend_from_slice(b"Connection: close\r\n"),
            Persistence::KeepAliveHttp10 => out.extend_from_slice(b"Connection: keep-alive\r\n"),
            Persistence::KeepAlive => {}
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&self.body);
    }
}

/// The reason phrase of a status (only informative in HTTP/1.1).
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(raw: &str) -> Result<Option<Head>, ReadError> {
        parse_head(raw.as_bytes())
    }

    #[test]
    fn persistence_follows_version_and_connection_header() {
        let p = |raw: &str| head(raw).unwrap().unwrap().request.persistence;
        assert_eq!(p("GET / HTTP/1.1\r\n\r\n"), Persistence::KeepAlive);
        assert_eq!(
            p("GET / HTTP/1.1\r\nConnection: TE, Close\r\n\r\n"),
            Persistence::Close
        );
        assert_eq!(p("GET / HTTP/1.0\r\n\r\n"), Persistence::Close);
        assert_eq!(
            p("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"),
            Persistence::KeepAliveHttp10
        );
    }

    #[test]
    fn bad_heads_get_their_status() {
        let status = |raw: &str| match head(raw) {
            Err(ReadError::Bad(s)) => s,
            _ => 0,
        };
        assert_eq!(status("POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n"), 400);
        assert_eq!(
            status("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"),
            411
        );
        assert_eq!(
            status("POST / HTTP/1.1\r\nContent-Length: 1048577\r\n\r\n"),
            413
        );
        assert!(matches!(head("GET / HTTP/1.1\r\nHost"), Ok(None)));
    }

    #[test]
    fn cuts_fall_before_the_status_line_in_the_headers_or_mid_body() {
        let mut wire = Vec::new();
        Response::new(200, JSON.into(), b"0123456789".to_vec())
            .serialize(Persistence::Close, &mut wire);
        let cut = |at| String::from_utf8_lossy(&wire[..cut_offset(&wire, 10, at)]).into_owned();
        assert_eq!(cut(CutPoint::BeforeStatusLine), "");
        let in_headers = cut(CutPoint::InHeaders);
        assert!(
            in_headers.starts_with("HTTP/1.1 200 OK\r\nContent-Ty"),
            "{in_headers}"
        );
        assert!(!in_headers.ends_with("\r\n\r\n"));
        assert!(cut(CutPoint::MidBody).ends_with("\r\n\r\n01234"));
    }

    #[test]
    fn responses_serialize_with_length_and_connection_headers() {
        let mut out = Vec::new();
        Response::json(503, &serde_json::json!({"a": 1}))
            .with_header("Retry-After", "2")
            .serialize(Persistence::Close, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json;charset=UTF-8\r\n\
             Content-Length: 7\r\nRetry-After: 2\r\nConnection: close\r\n\r\n{\"a\":1}"
        );
    }
}
