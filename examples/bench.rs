//! The Rust side of the benchmark harness (`bench/run`): times the owner
//! query or the bind against a running mock, one client shared by
//! `threads` threads. Prints one JSON line.
//!
//! `EIAM_MOCK_URL=... EIAM_MOCK_CLIENT_ID=... EIAM_MOCK_CLIENT_SECRET=... \
//!  cargo run --release --example bench -- get 20000 1`

use std::time::Instant;

use eiam::{Client, Config};

const WARMUP_CALLS: u64 = 200;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [op, calls, threads] = args.as_slice() else {
        return Err("usage: bench <get|bind> <calls> <threads>".into());
    };
    let bind = match op.as_str() {
        "get" => false,
        "bind" => true,
        other => return Err(format!("unknown operation {other}").into()),
    };
    let calls: u64 = calls.parse()?;
    let threads: u64 = threads.parse()?;
    let env = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));

    let started = Instant::now();
    let client = Client::new(
        Config::builder(env("EIAM_MOCK_URL")?)
            .client_credentials(env("EIAM_MOCK_CLIENT_ID")?, env("EIAM_MOCK_CLIENT_SECRET")?)
            .build()?,
    )?;
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

    let started = Instant::now();
    if threads == 1 {
        (0..calls).try_for_each(|_| call(&client))?;
    } else {
        run_in_threads(&client, calls, threads, &call)?;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{{\"calls\":{calls},\"seconds\":{seconds},\"first_call_us\":{}}}",
        first_call.as_micros()
    );
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
