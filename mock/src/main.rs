//! `eiam-mock`: the embedded mock server as a program, for C programs,
//! other languages' tests and manual use. Prints its URL and credentials,
//! then serves until killed (or until stdin closes, with
//! `--exit-on-stdin-eof`).

use std::io::{Read, Write};
use std::time::Duration;

use eiam_mock::{MockConfig, MockServer};

const USAGE: &str = "\
usage: eiam-mock [--port N] [--token-lifetime SECS] [--client-id ID]
                 [--client-secret S] [--no-demo-data] [--latency-ms N]
                 [--seed N] [--exit-on-stdin-eof]

Runs the embedded EIAM mock server on 127.0.0.1 and prints
EIAM_MOCK_URL=..., EIAM_MOCK_CLIENT_ID=... and EIAM_MOCK_CLIENT_SECRET=...
--latency-ms N answers every management API request N ms late (not token
or /__mock/ requests), like a round trip over a network.
--seed N makes the ids and tokens it issues the same in every run.";

struct Args {
    config: MockConfig,
    exit_on_stdin_eof: bool,
}

fn parse_args() -> Result<Args, lexopt::Error> {
    use lexopt::prelude::*;
    let mut args = Args {
        config: MockConfig::default(),
        exit_on_stdin_eof: false,
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("port") => args.config.port = parser.value()?.parse()?,
            Long("token-lifetime") => {
                let secs: f64 = parser.value()?.parse()?;
                args.config.token_lifetime = Duration::try_from_secs_f64(secs)
                    .map_err(|e| lexopt::Error::Custom(Box::new(e)))?;
            }
            Long("client-id") => args.config.client_id = parser.value()?.string()?,
            Long("client-secret") => args.config.client_secret = parser.value()?.string()?,
            Long("no-demo-data") => args.config.seed_demo_data = false,
            Long("latency-ms") => {
                args.config.latency = Duration::from_millis(parser.value()?.parse()?);
            }
            Long("seed") => {
                eiam_mock::fix_random_seed(parser.value()?.parse()?);
            }
            Long("exit-on-stdin-eof") => args.exit_on_stdin_eof = true,
            Short('h') | Long("help") => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(args)
}

fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("eiam-mock: {e}\n{USAGE}");
            std::process::exit(2);
        }
    };
    let mock = match MockServer::start_with(args.config) {
        Ok(mock) => mock,
        Err(e) => {
            eprintln!("eiam-mock: cannot listen: {e}");
            std::process::exit(1);
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "EIAM_MOCK_URL={}", mock.base_url());
    let _ = writeln!(out, "EIAM_MOCK_CLIENT_ID={}", mock.client_id());
    let _ = writeln!(out, "EIAM_MOCK_CLIENT_SECRET={}", mock.client_secret());
    let _ = out.flush();
    drop(out);
    if args.exit_on_stdin_eof {
        let mut sink = [0u8; 256];
        let mut stdin = std::io::stdin().lock();
        while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
    } else {
        loop {
            std::thread::park();
        }
    }
    drop(mock);
}
