//! The fault matrix: every way the network or the service can misbehave,
//! what the client answers, how many requests it made and how long it took.
//!
//! Each row runs in its own thread against its own mock. The table of
//! docs/reliability.md is generated from these rows; this test fails when it is stale
//! (`EIAM_BLESS=1 cargo test --test fault_matrix` rewrites it). Every error
//! message, `Debug` string and log line of the whole run is checked for
//! the client secret and every token.

mod common;

use std::net::TcpListener;
use std::sync::{Mutex, OnceLock, PoisonError};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use common::fault_table::{self, Expect, TableRow};
use common::*;
use eiam::{Client, Config, ErrorKind};
use eiam_mock::{CutPoint, MockConfig};

/// A client secret no message may ever contain.
const SECRET: &str = "matrix-secret-5f0c9e1d";
/// An account password no message may ever contain either.
const PASSWORD: &str = "matrix-password-7a21b4";

const HTML_502: &str = "<html><head><title>502 Bad Gateway</title></head>\
    <body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";

#[derive(Clone, Copy)]
enum Call {
    Get,
    Bind,
    /// Creates an orphan account with a password: not idempotent.
    Create,
    Delete,
}

struct Row {
    fault: &'static str,
    /// Faults to inject; `None` means no server at all (connection refused).
    setup: Option<fn(&MockServer)>,
    call: Call,
    /// How many times the call is made (token rows look at reuse).
    calls: u32,
    timeout: Duration,
    expect: Expect,
    /// Token requests and API requests seen by the server (or, with no
    /// server, attempts counted from the client's retry log).
    token_requests: u64,
    api_requests: u64,
    /// The time the calls took must lie in this range.
    time: (Duration, Duration),
}

const fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn rows() -> Vec<Row> {
    let row = |fault, setup: fn(&MockServer), expect, api_requests, max: Duration| Row {
        fault,
        setup: Some(setup),
        call: Call::Get,
        calls: 1,
        timeout: ms(3000),
        expect,
        token_requests: 1,
        api_requests,
        time: (Duration::ZERO, max),
    };
    use ErrorKind::*;
    use Expect::{Err, Ok};
    let protocol_200 = Err(Protocol, Some(200));
    vec![
        Row {
            setup: None,
            token_requests: 3,
            api_requests: 0,
            ..row(
                "connection refused",
                |_| {},
                Err(Transport, None),
                0,
                ms(1000),
            )
        },
        row(
            "reset before the status line, once",
            |m| m.inject(Fault::reset(CutPoint::BeforeStatusLine)),
            Ok,
            2,
            ms(600),
        ),
        row(
            "reset before the status line, every time",
            |m| m.inject(Fault::reset(CutPoint::BeforeStatusLine).times(9)),
            Err(Transport, None),
            3,
            ms(1000),
        ),
        row(
            "reset in the headers, once",
            |m| m.inject(Fault::reset(CutPoint::InHeaders)),
            Ok,
            2,
            ms(600),
        ),
        row(
            "reset mid-body, once",
            |m| m.inject(Fault::reset(CutPoint::MidBody)),
            Ok,
            2,
            ms(600),
        ),
        row(
            "reset mid-body, every time",
            |m| m.inject(Fault::reset(CutPoint::MidBody).times(9)),
            Err(Transport, Some(200)),
            3,
            ms(1000),
        ),
        row(
            "truncated body (Content-Length larger than sent), once",
            |m| m.inject(Fault::truncated_body()),
            Ok,
            2,
            ms(600),
        ),
        row(
            "truncated body, every time",
            |m| m.inject(Fault::truncated_body().times(9)),
            Err(Transport, Some(200)),
            3,
            ms(1000),
        ),
        row(
            "closed without an answer, once",
            |m| m.inject(Fault::close()),
            Ok,
            2,
            ms(600),
        ),
        Row {
            timeout: ms(1000),
            time: (ms(950), ms(1500)),
            ..row(
                "answer trickled 1 byte per 50 ms, deadline 1 s",
                |m| m.inject(Fault::trickle(ms(50))),
                Err(Timeout, None),
                1,
                ms(0),
            )
        },
        row(
            "502 with an HTML page, once",
            |m| m.inject(Fault::status(502).body(HTML_502).content_type("text/html")),
            Ok,
            2,
            ms(600),
        ),
        row(
            "502 with an HTML page, every time",
            |m| {
                let fault = Fault::status(502).body(HTML_502).content_type("text/html");
                m.inject(fault.times(9));
            },
            Err(Protocol, Some(502)),
            3,
            ms(1000),
        ),
        row(
            "503 twice without Retry-After, then success",
            |m| m.inject(Fault::status(503).times(2)),
            Ok,
            3,
            ms(1000),
        ),
        row(
            "503 every time",
            |m| m.inject(Fault::status(503).times(9)),
            Err(Api, Some(503)),
            3,
            ms(1000),
        ),
        Row {
            time: (ms(1000), ms(1500)),
            ..row(
                "429 with Retry-After: 1 once, then success",
                |m| m.inject(Fault::status(429).retry_after("1")),
                Ok,
                2,
                ms(0),
            )
        },
        Row {
            timeout: ms(1500),
            time: (ms(1000), ms(1400)),
            ..row(
                "429 with Retry-After: 1 every time, deadline 1.5 s",
                |m| m.inject(Fault::status(429).retry_after("1").times(9)),
                Err(Api, Some(429)),
                2,
                ms(0),
            )
        },
        row(
            "503 with Retry-After: 30, beyond the deadline",
            |m| m.inject(Fault::status(503).retry_after("30").times(9)),
            Err(Api, Some(503)),
            1,
            ms(300),
        ),
        row(
            "10 MiB body",
            |m| m.inject(Fault::status(200).body(vec![b' '; 10 << 20])),
            protocol_200,
            1,
            ms(1000),
        ),
        row(
            "invalid UTF-8 in the body",
            |m| m.inject(Fault::status(200).body(b"{\"user_name\":\"\xff\xfe\"}".to_vec())),
            protocol_200,
            1,
            ms(300),
        ),
        row(
            "invalid JSON",
            |m| m.inject(Fault::status(200).body("{\"user_id\":")),
            protocol_200,
            1,
            ms(300),
        ),
        row(
            "400 with a body that is not JSON",
            |m| {
                m.inject(
                    Fault::status(400)
                        .body("Bad Request")
                        .content_type("text/plain"),
                )
            },
            Err(Protocol, Some(400)),
            1,
            ms(300),
        ),
        row(
            "extra fields",
            |m| {
                let body = r#"{"user_id":"u1","user_name":"zhangsan","disabled":false,"x":[1,{}]}"#;
                m.inject(Fault::status(200).body(body));
            },
            Ok,
            1,
            ms(300),
        ),
        row(
            "a missing field",
            |m| m.inject(Fault::status(200).body(r#"{"user_id":"u1","disabled":false}"#)),
            protocol_200,
            1,
            ms(300),
        ),
        row(
            "a null field",
            |m| {
                let body = r#"{"user_id":"u1","user_name":"zhangsan","disabled":null}"#;
                m.inject(Fault::status(200).body(body));
            },
            protocol_200,
            1,
            ms(300),
        ),
        row(
            "a wrongly typed field",
            |m| {
                let body = r#"{"user_id":"u1","user_name":"zhangsan","disabled":"no"}"#;
                m.inject(Fault::status(200).body(body));
            },
            protocol_200,
            1,
            ms(300),
        ),
        Row {
            call: Call::Bind,
            ..row(
                "bind answered without account_id",
                |m| m.inject(Fault::status(200).body("{}")),
                protocol_200,
                1,
                ms(300),
            )
        },
        Row {
            api_requests: 0,
            ..row(
                "token endpoint: 500",
                |m| m.inject(Fault::status(500).target(FaultTarget::Token)),
                Err(Api, Some(500)),
                0,
                ms(300),
            )
        },
        Row {
            token_requests: 2,
            ..row(
                "token endpoint: 503 once, then success",
                |m| m.inject(Fault::status(503).target(FaultTarget::Token)),
                Ok,
                1,
                ms(600),
            )
        },
        Row {
            api_requests: 0,
            ..row(
                "token endpoint: 200 with garbage",
                |m| m.inject(token_answer("<<garbage>>")),
                protocol_200,
                0,
                ms(300),
            )
        },
        Row {
            api_requests: 0,
            ..row(
                "token endpoint: 200 without access_token",
                |m| m.inject(token_answer(r#"{"expires_in":1800}"#)),
                protocol_200,
                0,
                ms(300),
            )
        },
        Row {
            call: Call::Create,
            ..row(
                "reset before the status line, once",
                |m| m.inject(Fault::reset(CutPoint::BeforeStatusLine)),
                Err(Transport, None),
                1,
                ms(300),
            )
        },
        Row {
            call: Call::Create,
            ..row(
                "503, once",
                |m| m.inject(Fault::status(503)),
                Err(Api, Some(503)),
                1,
                ms(300),
            )
        },
        Row {
            call: Call::Create,
            ..row(
                "429 with Retry-After: 0, once",
                |m| m.inject(Fault::status(429).retry_after("0")),
                Ok,
                2,
                ms(300),
            )
        },
        Row {
            call: Call::Create,
            ..row(
                "400 echoing the password",
                |m| {
                    let body =
                        format!(r#"{{"error_code":" APP.0001","error_msg":"bad {PASSWORD}"}}"#);
                    m.inject(Fault::status(400).body(body));
                },
                Err(Api, Some(400)),
                1,
                ms(300),
            )
        },
        Row {
            call: Call::Delete,
            ..row(
                "reset before the status line, once (the retry finds it gone)",
                |m| m.inject(Fault::reset(CutPoint::BeforeStatusLine)),
                Ok,
                2,
                ms(600),
            )
        },
        token_row("token endpoint: expires_in 0 (used once)", "0", 2),
        token_row("token endpoint: expires_in negative (used once)", "-5", 2),
        token_row("token endpoint: expires_in missing (default 1800 s)", "", 1),
        token_row("token endpoint: expires_in huge (capped)", "1e300", 1),
        token_row(
            "token endpoint: expires_in not a number (default)",
            "\"soon\"",
            1,
        ),
    ]
}

/// A token answer of the token endpoint, sent once.
fn token_answer(body: &str) -> Fault {
    Fault::status(200)
        .target(FaultTarget::Token)
        .body(body.to_owned())
}

/// Two calls after a token answer whose `expires_in` is `expires_in` (raw
/// JSON; empty: no such field): `token_requests` tells whether the token
/// was reused.
fn token_row(fault: &'static str, expires_in: &'static str, token_requests: u64) -> Row {
    Row {
        fault,
        setup: Some(match expires_in {
            "0" => |m| odd_token(m, "0"),
            "-5" => |m| odd_token(m, "-5"),
            "" => |m| odd_token(m, ""),
            "1e300" => |m| odd_token(m, "1e300"),
            _ => |m| odd_token(m, "\"soon\""),
        }),
        call: Call::Get,
        calls: 2,
        timeout: ms(3000),
        expect: Expect::Ok,
        token_requests,
        api_requests: 2,
        time: (Duration::ZERO, ms(300)),
    }
}

/// Serves the next token request a valid token with this `expires_in`.
fn odd_token(mock: &MockServer, expires_in: &str) {
    let token = mock.issue_token();
    let lifetime = if expires_in.is_empty() {
        String::new()
    } else {
        format!(r#","expires_in":{expires_in}"#)
    };
    mock.inject(token_answer(&format!(
        r#"{{"access_token":"{token}"{lifetime}}}"#
    )));
}

/// What a row did.
struct Outcome {
    results: Vec<Result<(), eiam::Error>>,
    elapsed: Duration,
    token_requests: u64,
    api_requests: u64,
    /// Every string the run produced that a user could see or log.
    visible: Vec<String>,
    /// Tokens that were in play (sent by the client or issued).
    tokens: Vec<String>,
}

fn run(row: &Row) -> Outcome {
    let config = MockConfig {
        client_secret: SECRET.into(),
        ..MockConfig::default()
    };
    let mock = MockServer::start_with(config).expect("mock starts");
    let base_url = match row.setup {
        Some(setup) => {
            setup(&mock);
            mock.base_url()
        }
        None => closed_port_url(),
    };
    let config = Config::builder(base_url)
        .client_credentials(mock.client_id(), SECRET)
        .timeout(row.timeout)
        .build()
        .expect("valid config");
    let mut visible = vec![format!("{config:?}")];
    let client = Client::new(config).expect("client");
    let started = Instant::now();
    let results: Vec<_> = (0..row.calls)
        .map(|_| match row.call {
            Call::Get => client
                .get_public_account_owner("demo-app", "pub-1")
                .map(drop),
            Call::Bind => client
                .bind_public_account_owner("demo-app", "pub-2", "lisi")
                .map(drop),
            Call::Create => client
                .create_orphan_account(
                    "demo-app",
                    "matrix",
                    &eiam::AccountFields {
                        password: Some(PASSWORD.into()),
                        ..eiam::AccountFields::default()
                    },
                )
                .map(drop),
            Call::Delete => client.delete_account("demo-app", "pub-2"),
        })
        .collect();
    let elapsed = started.elapsed();
    visible.push(format!("{client:?}"));
    for err in results.iter().filter_map(|r| r.as_ref().err()) {
        visible.push(err.to_string());
        visible.push(format!("{err:?}"));
        visible.extend(err.code().map(str::to_owned));
    }
    let all_log = log_lines_of(std::thread::current().id());
    let log: Vec<String> = all_log.iter().filter(|l| supported(l)).cloned().collect();
    let (token_requests, api_requests) = match row.setup {
        Some(_) => (mock.stats().token_requests, mock.stats().api_requests),
        // No server to count: each retry of the token request is logged.
        None => (
            1 + log.iter().filter(|l| l.contains(" retry ")).count() as u64,
            0,
        ),
    };
    visible.extend(reassembled_dumps(&log));
    visible.extend(log);
    let mut tokens: Vec<String> = mock
        .requests()
        .iter()
        .flat_map(|r| r.headers.iter())
        .filter(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        .filter_map(|(_, value)| value.strip_prefix("Bearer "))
        .map(str::to_owned)
        .collect();
    tokens.push(mock.issue_token()); // the format, at least, must not leak
    Outcome {
        results,
        elapsed,
        token_requests,
        api_requests,
        visible,
        tokens,
    }
}

fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}

fn check(row: &Row, outcome: &Outcome) -> Vec<String> {
    let mut problems = Vec::new();
    for result in &outcome.results {
        let got = Expect::of(result);
        if got != row.expect {
            problems.push(format!(
                "expected {:?}, got {got:?}: {result:?}",
                row.expect
            ));
        }
    }
    if (outcome.token_requests, outcome.api_requests) != (row.token_requests, row.api_requests) {
        problems.push(format!(
            "expected {} token and {} API requests, saw {} and {}",
            row.token_requests, row.api_requests, outcome.token_requests, outcome.api_requests
        ));
    }
    let (min, max) = row.time;
    if outcome.elapsed < min || outcome.elapsed > max {
        problems.push(format!(
            "took {:?}, expected {min:?} to {max:?}",
            outcome.elapsed
        ));
    }
    for text in &outcome.visible {
        for (what, secret) in [("the client secret", SECRET), ("the password", PASSWORD)]
            .into_iter()
            .chain(outcome.tokens.iter().map(|t| ("a token", t.as_str())))
        {
            if leaks(text, secret) {
                problems.push(format!("{what} leaked: {text}"));
            }
        }
    }
    problems
}

#[test]
fn fault_matrix() {
    install_logger();
    let rows = rows();
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = rows
            .iter()
            .map(|row| scope.spawn(move || run(row)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut failures = Vec::new();
    for (row, outcome) in rows.iter().zip(&outcomes) {
        println!("{:<60} {:>6.0?}", row.fault, outcome.elapsed);
        for problem in check(row, outcome) {
            failures.push(format!("{}: {problem}", row.fault));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The secret check above saw real log output, ureq's trace included.
    let log = log_lines_of_all();
    for target in ["eiam::transport", "eiam::token", "ureq"] {
        assert!(
            log.iter().any(|line| line.contains(&format!(" {target}"))),
            "no log line from {target}"
        );
    }
    check_docs_table(&table(&rows));
}

/// The table of docs/reliability.md, one line per row.
fn table(rows: &[Row]) -> String {
    let rows: Vec<TableRow> = rows
        .iter()
        .map(|row| {
            let fault = match row.call {
                Call::Get => row.fault.to_owned(),
                Call::Bind => format!("{} (POST)", row.fault),
                Call::Create => format!("{} (create: POST, not idempotent)", row.fault),
                Call::Delete => format!("{} (DELETE)", row.fault),
            };
            let fault = if row.calls > 1 {
                format!("{fault}; two calls")
            } else {
                fault
            };
            let requests = if row.setup.is_none() {
                format!("{} connection attempts", row.token_requests)
            } else {
                format!("{} + {}", row.token_requests, row.api_requests)
            };
            TableRow {
                fault,
                expect: row.expect,
                requests,
                time: row.time,
            }
        })
        .collect();
    fault_table::table(
        "Fault (GET owner unless noted; deadline 3 s unless noted)",
        "Requests (token + API)",
        &rows,
    )
}

fn check_docs_table(table: &str) {
    fault_table::check_generated_section(
        "docs/reliability.md",
        "fault-matrix",
        "tests/fault_matrix.rs",
        table,
    );
}

/// Whether a log line is one that a supported setting shows: eiam's own at
/// every level, the libraries' up to DEBUG. ureq-proto's TRACE records dump
/// the raw bytes on the wire, 16 to a line, headers and bodies included.
fn supported(line: &str) -> bool {
    !line.starts_with("TRACE ") || line.starts_with("TRACE eiam")
}

/// Whether `secret` shows in `text` as it is, in hex (as a dump shows
/// bytes), or in base64 (`id:secret`, as in a Basic header).
fn leaks(text: &str, secret: &str) -> bool {
    use base64::Engine as _;
    let hex: String = secret.bytes().map(|b| format!("{b:02x}")).collect();
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("demo-client:{secret}"));
    text.contains(secret)
        || compact.contains(&hex)
        || (secret == SECRET && text.contains(&basic[..basic.len() - 4]))
}

/// Consecutive rows of ureq-proto's hex dumps put back together as the
/// text they show, so that a secret split across rows is found.
fn reassembled_dumps(lines: &[String]) -> Vec<String> {
    let mut dumps = Vec::new();
    let mut current: Vec<u8> = Vec::new();
    for line in lines {
        match dump_row(line) {
            Some(bytes) => current.extend(bytes),
            None if !current.is_empty() => {
                dumps.push(String::from_utf8_lossy(&current).into_owned());
                current.clear();
            }
            None => {}
        }
    }
    if !current.is_empty() {
        dumps.push(String::from_utf8_lossy(&current).into_owned());
    }
    dumps
}

/// The bytes of one dump row: `TRACE ureq_proto::util: 4745 5420 ... GET ...`.
fn dump_row(line: &str) -> Option<Vec<u8>> {
    let rest = line.strip_prefix("TRACE ureq_proto")?;
    let (_, row) = rest.split_once(": ")?;
    let mut bytes = Vec::new();
    for group in row.split(' ').take(8) {
        for pair in [group.get(0..2)?, group.get(2..4)?] {
            if pair == "--" {
                return Some(bytes);
            }
            bytes.push(u8::from_str_radix(pair, 16).ok()?);
        }
    }
    Some(bytes)
}

#[test]
fn ureqs_own_trace_dump_shows_the_wire_when_put_together() {
    install_logger();
    let mock = MockServer::start_with(MockConfig {
        client_secret: SECRET.into(),
        ..MockConfig::default()
    })
    .expect("mock starts");
    let client = Client::new(
        Config::builder(mock.base_url())
            .client_credentials(mock.client_id(), SECRET)
            .build()
            .unwrap(),
    )
    .unwrap();
    client
        .get_public_account_owner("demo-app", "pub-1")
        .unwrap();
    let log = log_lines_of(std::thread::current().id());
    let dumps = reassembled_dumps(&log).join("\n");
    // What docs/reliability.md says a Rust user who enables ureq's TRACE sees.
    assert!(
        dumps.to_ascii_lowercase().contains("authorization: basic "),
        "{dumps}"
    );
    assert!(dumps.contains("authorization: Bearer "), "{dumps}");
    assert!(dumps.contains("\"access_token\""), "{dumps}");
    // No single line holds the whole header: only the put-together dump does.
    assert!(!log.iter().any(|l| l.contains("authorization: Bearer")));
    // And none of it is in what a supported setting shows.
    let shown: Vec<String> = log.iter().filter(|l| supported(l)).cloned().collect();
    assert!(reassembled_dumps(&shown).is_empty());
}

/// Every log record of the run, with the thread that logged it.
static LOG: OnceLock<Mutex<Vec<(ThreadId, String)>>> = OnceLock::new();

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let line = format!("{} {}: {}", record.level(), record.target(), record.args());
        LOG.get_or_init(Mutex::default)
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((std::thread::current().id(), line));
    }

    fn flush(&self) {}
}

fn install_logger() {
    static CAPTURE: Capture = Capture;
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        log::set_logger(&CAPTURE).expect("the only logger");
        log::set_max_level(log::LevelFilter::Trace);
    });
}

fn log_lines_of_all() -> Vec<String> {
    LOG.get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .map(|(_, line)| line.clone())
        .collect()
}

fn log_lines_of(thread: ThreadId) -> Vec<String> {
    LOG.get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .filter(|(t, _)| *t == thread)
        .map(|(_, line)| line.clone())
        .collect()
}
