//! Faults only a real proxy can make: toxiproxy (Shopify's fault-injecting
//! TCP proxy) between the client and the mock, stalling an answer, slicing
//! it into 1-byte segments, resetting the connection after some bytes, and
//! limiting the bandwidth. `scripts/test.sh` installs toxiproxy
//! (`ensure_toxiproxy` in `scripts/lib.sh`); without it this test fails,
//! unless `EIAM_SKIP_TOXIPROXY=1` says to skip it (CI never does).
//!
//! Each row has its own mock and its own proxy, with its toxics in place
//! before the client connects, and a client with a token issued by the
//! mock, so that the API call is the only traffic through the proxy. The
//! table in `docs/reliability.md` is generated from these rows; this test
//! fails when it is stale (`EIAM_BLESS=1` rewrites it).

mod common;

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::fault_table::{self, Expect, TableRow};
use common::*;
use eiam::{AccountFields, Client, Config, ErrorKind};
use serde_json::{json, Value};

/// The toxiproxy server, on a free loopback port, driven through its HTTP API.
struct Toxiproxy {
    child: Child,
    api: String,
}

impl Toxiproxy {
    fn binary() -> PathBuf {
        std::env::var_os("EIAM_TOXIPROXY_SERVER")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/target/tools/bin/server"
                ))
            })
    }

    fn start(binary: &PathBuf) -> Toxiproxy {
        let port = {
            let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
            listener.local_addr().unwrap().port()
        };
        let child = Command::new(binary)
            .args(["-host", "127.0.0.1", "-port", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let proxy = Toxiproxy {
            child,
            api: format!("http://127.0.0.1:{port}"),
        };
        // Ready once it accepts connections.
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "toxiproxy did not start listening"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        proxy
    }

    fn post(&self, path: &str, body: Value) -> Value {
        let mut response = ureq::post(format!("{}{path}", self.api))
            .header("Content-Type", "application/json")
            .send(body.to_string())
            .unwrap_or_else(|e| panic!("toxiproxy POST {path} {body}: {e}"));
        let text = response.body_mut().read_to_string().expect("an answer");
        serde_json::from_str(&text).expect("toxiproxy answers JSON")
    }

    /// A proxy on a free loopback port to `upstream` with these toxics;
    /// returns its base URL.
    fn proxy(&self, name: &str, upstream: &str, toxics: &[Value]) -> String {
        let created = self.post(
            "/proxies",
            json!({"name": name, "listen": "127.0.0.1:0", "upstream": upstream}),
        );
        for toxic in toxics {
            self.post(&format!("/proxies/{name}/toxics"), toxic.clone());
        }
        format!("http://{}", created["listen"].as_str().expect("listen"))
    }
}

impl Drop for Toxiproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Clone, Copy)]
enum Call {
    GetOwner,
    /// A page of 100 of `paging-app`'s 250 accounts.
    ListPage,
    /// Creates an orphan account: not idempotent.
    Create,
}

struct Row {
    fault: &'static str,
    toxics: fn() -> Vec<Value>,
    call: Call,
    timeout: Duration,
    expect: Expect,
    /// API requests the mock saw (each a try of the call).
    api_requests: u64,
    /// The time the call took must lie in this range.
    time: (Duration, Duration),
}

const fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// A toxic on the answers (toxiproxy's "downstream").
fn on_answers(kind: &str, attributes: Value) -> Value {
    json!({"type": kind, "stream": "downstream", "attributes": attributes})
}

fn rows() -> Vec<Row> {
    use ErrorKind::*;
    let row = |fault, toxics, expect, api_requests, max| Row {
        fault,
        toxics,
        call: Call::GetOwner,
        timeout: ms(3000),
        expect,
        api_requests,
        time: (Duration::ZERO, max),
    };
    vec![
        Row {
            timeout: ms(1000),
            time: (ms(950), ms(1500)),
            ..row(
                "answer stalled, the connection kept open (`timeout`, 0), deadline 1 s",
                || vec![on_answers("timeout", json!({"timeout": 0}))],
                Expect::Err(Timeout, None),
                1,
                ms(0),
            )
        },
        row(
            "answer stalled, the connection closed after 200 ms (`timeout`, 200), every time",
            || vec![on_answers("timeout", json!({"timeout": 200}))],
            Expect::Err(Transport, None),
            3,
            ms(2000),
        ),
        row(
            "answer sliced into 1-byte segments (`slicer`)",
            || vec![slicer()],
            Expect::Ok,
            1,
            ms(1000),
        ),
        Row {
            call: Call::ListPage,
            ..row(
                "answer sliced into 1-byte segments (`slicer`)",
                || vec![slicer()],
                Expect::Ok,
                1,
                ms(3000),
            )
        },
        row(
            "connection reset after 100 bytes of the answer (`limit_data` + `reset_peer`), every time",
            reset_after_100_bytes,
            Expect::Err(Transport, Some(200)),
            3,
            ms(1500),
        ),
        Row {
            call: Call::Create,
            ..row(
                "connection reset after 100 bytes of the answer (`limit_data` + `reset_peer`)",
                reset_after_100_bytes,
                Expect::Err(Transport, Some(201)),
                1,
                ms(500),
            )
        },
        Row {
            call: Call::ListPage,
            timeout: ms(10_000),
            time: (ms(1500), ms(4000)),
            ..row(
                "bandwidth 10 KB/s (`bandwidth`), deadline 10 s",
                || vec![on_answers("bandwidth", json!({"rate": 10}))],
                Expect::Ok,
                1,
                ms(0),
            )
        },
        Row {
            call: Call::ListPage,
            timeout: ms(1000),
            time: (ms(950), ms(1500)),
            ..row(
                "bandwidth 10 KB/s (`bandwidth`), deadline 1 s",
                || vec![on_answers("bandwidth", json!({"rate": 10}))],
                Expect::Err(Timeout, Some(200)),
                1,
                ms(0),
            )
        },
    ]
}

fn slicer() -> Value {
    on_answers(
        "slicer",
        json!({"average_size": 1, "size_variation": 0, "delay": 0}),
    )
}

/// `limit_data` ends the answer after 100 bytes. A `reset_peer` toxic on
/// the requests that never fires (toxicity 0) makes that end a reset: the
/// proxy sets its sockets to linger 0 when a link has one.
fn reset_after_100_bytes() -> Vec<Value> {
    vec![
        on_answers("limit_data", json!({"bytes": 100})),
        json!({"type": "reset_peer", "stream": "upstream", "toxicity": 0.0,
               "attributes": {"timeout": 0}}),
    ]
}

/// What a row did.
struct Outcome {
    result: Result<(), eiam::Error>,
    elapsed: Duration,
    api_requests: u64,
}

fn run(toxiproxy: &Toxiproxy, index: usize, row: &Row) -> Outcome {
    let mock = MockServer::start().expect("mock starts");
    let base_url = toxiproxy.proxy(
        &format!("row-{index}"),
        &mock.addr().to_string(),
        &(row.toxics)(),
    );
    let config = Config::builder(base_url)
        .access_token(mock.issue_token())
        .timeout(row.timeout)
        .build()
        .expect("valid config");
    let client = Client::new(config).expect("client");
    let started = Instant::now();
    let result = match row.call {
        Call::GetOwner => client
            .get_public_account_owner("demo-app", "pub-1")
            .map(drop),
        Call::ListPage => client
            .list_accounts("paging-app", None, 0, 100)
            .map(|page| assert_eq!(page.items.len(), 100)),
        Call::Create => client
            .create_orphan_account("demo-app", "toxi", &AccountFields::default())
            .map(drop),
    };
    Outcome {
        result,
        elapsed: started.elapsed(),
        api_requests: mock.stats().api_requests,
    }
}

fn check(row: &Row, outcome: &Outcome) -> Vec<String> {
    let mut problems = Vec::new();
    let got = Expect::of(&outcome.result);
    if got != row.expect {
        problems.push(format!(
            "expected {:?}, got {got:?}: {:?}",
            row.expect, outcome.result
        ));
    }
    if outcome.api_requests != row.api_requests {
        problems.push(format!(
            "expected {} API requests, saw {}",
            row.api_requests, outcome.api_requests
        ));
    }
    let (min, max) = row.time;
    if outcome.elapsed < min || outcome.elapsed > max {
        problems.push(format!(
            "took {:?}, expected {min:?} to {max:?}",
            outcome.elapsed
        ));
    }
    problems
}

#[test]
fn toxiproxy_faults() {
    let binary = Toxiproxy::binary();
    if !binary.exists() {
        if std::env::var_os("EIAM_SKIP_TOXIPROXY").is_some() {
            eprintln!("skipped: EIAM_SKIP_TOXIPROXY is set");
            return;
        }
        panic!(
            "no toxiproxy server at {}: run `source scripts/lib.sh && ensure_toxiproxy` \
             (GOBIN=target/tools/bin go install github.com/Shopify/toxiproxy/v2/cmd/server@v2.5.0), \
             point EIAM_TOXIPROXY_SERVER at one, or set EIAM_SKIP_TOXIPROXY=1 to skip",
            binary.display()
        );
    }
    let toxiproxy = Toxiproxy::start(&binary);
    let rows = rows();
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let toxiproxy = &toxiproxy;
                scope.spawn(move || run(toxiproxy, i, row))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut failures = Vec::new();
    for (row, outcome) in rows.iter().zip(&outcomes) {
        println!(
            "{:<90} {:>6.0?} {:?}",
            row.fault, outcome.elapsed, outcome.result
        );
        for problem in check(row, outcome) {
            failures.push(format!("{}: {problem}", row.fault));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    fault_table::check_generated_section(
        "docs/reliability.md",
        "toxiproxy-faults",
        "tests/toxiproxy.rs",
        &table(&rows),
    );
}

/// The table of docs/reliability.md, one line per row.
fn table(rows: &[Row]) -> String {
    let rows: Vec<TableRow> = rows
        .iter()
        .map(|row| TableRow {
            fault: match row.call {
                Call::GetOwner => row.fault.to_owned(),
                Call::ListPage => format!("{} (a page of 100 accounts)", row.fault),
                Call::Create => format!("{} (create: POST, not idempotent)", row.fault),
            },
            expect: row.expect,
            requests: row.api_requests.to_string(),
            time: row.time,
        })
        .collect();
    fault_table::table(
        "Fault, through toxiproxy (GET owner unless noted; deadline 3 s unless noted)",
        "API requests",
        &rows,
    )
}
