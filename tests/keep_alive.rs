//! Pooled keep-alive connections: one the server has closed, or one with
//! bytes nobody asked for waiting on it, is never used for the next call.
//! (ureq probes a pooled connection before it hands it out.) The calls run
//! with no retries, so a reused dead connection would fail the call instead
//! of being papered over by a second attempt.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::thread;
use std::time::Duration;

use eiam::{Client, Config};

const OWNER: &str = r#"{"user_id":"u-1","user_name":"zhangsan","disabled":false}"#;

/// What the server does with a connection after its one answer.
enum After {
    /// Closes the connection, then says it has. Until then the client could
    /// not know, and a call that raced the close would be the test's fault.
    Close { closed: Sender<()> },
    /// Once told to (after the client has read the answer and pooled the
    /// connection), sends bytes nobody asked for, then says it has.
    SendGarbage { go: Receiver<()>, sent: Sender<()> },
}

/// A server that answers one request per connection and then does `after`,
/// for `connections` connections; returns the requests it read, one list
/// per connection.
fn serve(after: After, connections: usize) -> (String, thread::JoinHandle<Vec<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = thread::spawn(move || {
        let mut kept_open = Vec::new();
        let mut seen = Vec::new();
        for _ in 0..connections {
            let (mut stream, _) = listener.accept().unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            seen.push(vec![read_request_line(&mut stream)]);
            let answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{OWNER}",
                OWNER.len()
            );
            stream.write_all(answer.as_bytes()).unwrap();
            match after {
                After::Close { ref closed } => {
                    drop(stream);
                    // Only the first close is waited for.
                    let _ = closed.send(());
                }
                After::SendGarbage { ref go, ref sent } => {
                    if go.recv().is_ok() {
                        // On loopback the bytes are in the client's receive
                        // queue when write returns.
                        stream.write_all(b"HTTP/1.1 500 Surprise\r\n\r\n").unwrap();
                        sent.send(()).unwrap();
                    }
                    kept_open.push(stream);
                }
            }
        }
        // Anything more sent on the kept connections would be a request
        // the client should not have made there.
        for (stream, requests) in kept_open.iter_mut().zip(seen.iter_mut()) {
            stream
                .set_read_timeout(Some(Duration::from_millis(200)))
                .unwrap();
            let mut rest = Vec::new();
            let _ = stream.read_to_end(&mut rest);
            if !rest.is_empty() {
                requests.push(String::from_utf8_lossy(&rest).into_owned());
            }
        }
        seen
    });
    (url, server)
}

/// Reads one request head and returns its first line.
fn read_request_line(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0];
    while !head.ends_with(b"\r\n\r\n") {
        assert_eq!(stream.read(&mut byte).unwrap(), 1, "request ended early");
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).unwrap();
    head.lines().next().unwrap().to_string()
}

fn client(url: &str) -> Client {
    let config = Config::builder(url)
        .access_token("a-token")
        .max_retries(0)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

/// Two calls, with `between` run after the first; each call must have had
/// a connection of its own.
fn two_calls_on_fresh_connections(after: After, between: impl FnOnce()) {
    let (url, server) = serve(after, 2);
    let client = client(&url);
    let mut between = Some(between);
    for call in 1..=2 {
        let owner = client
            .get_public_account_owner("app", &format!("pub-{call}"))
            .unwrap_or_else(|e| panic!("call {call}: {e}"));
        assert_eq!(owner.user_name, "zhangsan");
        if let Some(between) = between.take() {
            between();
        }
    }
    drop(client);
    let seen = server.join().unwrap();
    assert_eq!(seen.len(), 2);
    for (i, requests) in seen.iter().enumerate() {
        assert_eq!(requests.len(), 1, "connection {i}: {requests:?}");
        assert!(
            requests[0].contains(&format!("/public-account/pub-{}/owner", i + 1)),
            "{requests:?}"
        );
    }
}

#[test]
fn a_connection_the_server_closed_is_not_reused() {
    let (closed_tx, closed) = channel();
    two_calls_on_fresh_connections(After::Close { closed: closed_tx }, move || {
        closed.recv().unwrap();
    });
}

#[test]
fn a_connection_with_unasked_for_bytes_is_not_reused() {
    let (go, go_rx) = channel();
    let (sent_tx, sent) = channel();
    let after = After::SendGarbage {
        go: go_rx,
        sent: sent_tx,
    };
    two_calls_on_fresh_connections(after, move || {
        go.send(()).unwrap();
        sent.recv().unwrap();
    });
}
