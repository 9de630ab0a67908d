//! A tiny raw HTTP/1.1 client over `TcpStream`: the tests see exactly what
//! the mock puts on the wire, with no HTTP library in between.

#![allow(dead_code)] // each test binary uses a different part

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use serde_json::Value;

/// A guard against a hung test, not a synchronisation device.
const READ_TIMEOUT: Duration = Duration::from_secs(20);

pub const TOKEN: &str = "/api/v2/tenant/token";
pub const OWNER: &str = "/api/v2/tenant/applications/demo-app/accounts/public-account/pub-1/owner";
pub const CREDENTIALS: &str =
    "grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret";

/// `/api/v2/tenant/applications/{app}/accounts/public-account/{account}/owner`,
/// with the segments as given (already encoded).
pub fn owner_path(app: &str, account: &str) -> String {
    format!("/api/v2/tenant/applications/{app}/accounts/public-account/{account}/owner")
}

/// A response as received.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON (`Null` if it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// One connection; requests on it are kept alive.
pub struct Conn {
    reader: BufReader<TcpStream>,
}

impl Conn {
    pub fn open(addr: SocketAddr) -> Conn {
        let stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(READ_TIMEOUT)).unwrap();
        Conn {
            reader: BufReader::new(stream),
        }
    }

    pub fn write_raw(&mut self, bytes: &[u8]) {
        self.reader.get_mut().write_all(bytes).unwrap();
    }

    /// Sends a request (with `Host` and `Content-Length` added) and reads
    /// the response.
    pub fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Reply {
        self.write_raw(request_bytes(method, path, headers, body).as_bytes());
        self.read_reply()
            .unwrap_or_else(|| panic!("{method} {path}: connection closed without an answer"))
    }

    /// Reads one response; `None` if the connection closed (or was reset)
    /// before any of it arrived.
    pub fn read_reply(&mut self) -> Option<Reply> {
        let mut status_line = String::new();
        match self.reader.read_line(&mut status_line) {
            Ok(0) => return None,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return None,
            Err(e) => panic!("reading a response: {e}"),
            Ok(_) => {}
        }
        assert!(status_line.starts_with("HTTP/1.1 "), "{status_line:?}");
        let status = status_line[9..12].parse().unwrap();
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            assert!(
                self.reader.read_line(&mut line).unwrap() > 0,
                "truncated head"
            );
            let line = line.trim_end_matches("\r\n");
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').expect("header line");
            headers.push((name.to_owned(), value.trim().to_owned()));
        }
        let mut reply = Reply {
            status,
            headers,
            body: Vec::new(),
        };
        // A 204 has no body and no Content-Length.
        let length: usize = match reply.header("content-length") {
            None if status == 204 => 0,
            length => length.expect("Content-Length").parse().unwrap(),
        };
        reply.body = vec![0; length];
        self.reader.read_exact(&mut reply.body).unwrap();
        Some(reply)
    }

    /// Reads exactly `n` bytes.
    pub fn read_raw(&mut self, n: usize) -> Vec<u8> {
        let mut bytes = vec![0; n];
        self.reader.read_exact(&mut bytes).unwrap();
        bytes
    }

    /// Whether the server closed the connection: reads until EOF and
    /// returns what arrived before it.
    pub fn read_to_end(&mut self) -> Vec<u8> {
        let mut rest = Vec::new();
        match self.reader.read_to_end(&mut rest) {
            Ok(_) => rest,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => rest,
            Err(e) => panic!("waiting for the server to close: {e}"),
        }
    }
}

pub fn request_bytes(method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> String {
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: mock\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    request
}

/// One request on a new connection.
pub fn call(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Reply {
    Conn::open(addr).send(method, path, headers, body)
}

/// A fresh token for the demo client.
pub fn token(addr: SocketAddr) -> String {
    let reply = call(addr, "POST", TOKEN, &[], CREDENTIALS);
    assert_eq!(reply.status, 200, "{:?}", reply.json());
    reply.json()["access_token"].as_str().unwrap().to_owned()
}

/// `/api/v2/tenant/applications/{app}/accounts{tail}`, with the segments
/// as given (already encoded).
pub fn accounts_path(app: &str, tail: &str) -> String {
    format!("/api/v2/tenant/applications/{app}/accounts{tail}")
}

/// One request with this bearer token.
pub fn authed(addr: SocketAddr, method: &str, path: &str, token: &str, body: &str) -> Reply {
    let bearer = format!("Bearer {token}");
    call(addr, method, path, &[("Authorization", &bearer)], body)
}

/// `GET` of an owner path with this token.
pub fn get_owner(addr: SocketAddr, path: &str, token: &str) -> Reply {
    authed(addr, "GET", path, token, "")
}

/// `POST` of an owner path with this token and body.
pub fn bind_owner(addr: SocketAddr, path: &str, token: &str, body: &str) -> Reply {
    authed(addr, "POST", path, token, body)
}
