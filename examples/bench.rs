//! The Rust side of the benchmark harness (`bench/bench.py`): times the
//! owner query or the bind against a running mock, one client shared by
//! `threads` threads. The harness interleaves short slices of every
//! contender, so this program keeps its client between slices: it sets up
//! and warms up, prints `{"first_call_us":...}`, then for each line of
//! stdin (a number of calls) makes that many calls and prints
//! `{"seconds":...}`, until end of input.
//!
//! `EIAM_MOCK_URL=... EIAM_MOCK_CLIENT_ID=... EIAM_MOCK_CLIENT_SECRET=... \
//!  cargo run --release --example bench -- get 1 <<< 20000`
//! (with `EIAM_MOCK_CA_FILE=...` for a mock serving HTTPS).

use std::io::{BufRead, Write};
use std::time::Instant;

use eiam::{Client, Config};

const WARMUP_CALLS: u64 = 200;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [op, threads] = args.as_slice() else {
        return Err("usage: bench <get|bind> <threads>  (stdin: call counts, one a line)".into());
    };
    let bind = match op.as_str() {
        "get" => false,
        "bind" => true,
        other => return Err(format!("unknown operation {other}").into()),
    };
    let threads: u64 = threads.parse()?;
    let env = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));

    let started = Instant::now();
    let mut config = Config::builder(env("EIAM_MOCK_URL")?)
        .client_credentials(env("EIAM_MOCK_CLIENT_ID")?, env("EIAM_MOCK_CLIENT_SECRET")?);
    // An HTTPS mock's CA, trusted beside the platform store (whose loading
    // is part of the first call's time).
    if let Ok(ca_file) = std::env::var("EIAM_MOCK_CA_FILE") {
        config = config.ca_file(ca_file);
    }
    let client = Client::new(config.build()?)?;
    let call = |client: &Client| -> eiam::Result<()> {
        if bind {
            client
                .bind_public_account_owner("demo-app", "pub-2", "zhangsan")
                .map(drop)
        } else {
            client
                .get_public_account_owner("demo-app", "pub-1")
                .map(drop)
        }
    };
    call(&client)?;
    let first_call = started.elapsed();
    for _ in 1..WARMUP_CALLS {
        call(&client)?;
    }
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{{\"first_call_us\":{}}}", first_call.as_micros())?;
    stdout.flush()?;

    for line in std::io::stdin().lock().lines() {
        let calls: u64 = line?.trim().parse()?;
        let started = Instant::now();
        if threads == 1 {
            (0..calls).try_for_each(|_| call(&client))?;
        } else {
            run_in_threads(&client, calls, threads, &call)?;
        }
        let seconds = started.elapsed().as_secs_f64();
        writeln!(stdout, "{{\"seconds\":{seconds}}}")?;
        stdout.flush()?;
    }
    Ok(())
}

/// `calls` calls shared out between `threads` threads, one client.
fn run_in_threads(
    client: &Client,
    calls: u64,
    threads: u64,
    call: &(dyn Fn(&Client) -> eiam::Result<()> + Sync),
) -> eiam::Result<()> {
    std::thread::scope(|scope| -> eiam::Result<()> {
        let workers: Vec<_> = (0..threads)
            .map(|i| {
                let share = calls / threads + u64::from(i < calls % threads);
                scope.spawn(move || (0..share).try_for_each(|_| call(client)))
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().expect("worker panicked"))
    })
}
