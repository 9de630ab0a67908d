//! `eiam-mock`: the embedded mock server as a program, for C programs,
//! other languages' tests and manual use. Prints its URL and credentials,
//! then serves until killed (or until stdin closes, with
//! `--exit-on-stdin-eof`).

use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

use eiam_mock::{MockConfig, MockServer};

const USAGE: &str = "\
usage: eiam-mock [--port N] [--token-lifetime SECS] [--client-id ID]
                 [--client-secret S] [--no-demo-data] [--latency-ms N]
                 [--https CA_FILE] [--no-tls-resumption] [--close-connections]
                 [--seed N] [--exit-on-stdin-eof]

Runs the embedded EIAM mock server on 127.0.0.1 and prints
EIAM_MOCK_URL=..., EIAM_MOCK_CLIENT_ID=... and EIAM_MOCK_CLIENT_SECRET=...
--latency-ms N answers every management API request N ms late (not token
or /__mock/ requests), like a round trip over a network.
--https CA_FILE serves https://127.0.0.1:PORT with a certificate from a CA
made at start, and writes that CA (PEM) to CA_FILE for clients to trust;
--no-tls-resumption makes every TLS connection a full handshake.
--close-connections closes each connection after one answer, so every
call pays a new connection (and handshake).
--seed N makes the ids and tokens it issues the same in every run.";

struct Args {
    config: MockConfig,
    /// Serve HTTPS, writing the generated CA here.
    https_ca_file: Option<std::path::PathBuf>,
    exit_on_stdin_eof: bool,
}

fn parse_args() -> Result<Args, lexopt::Error> {
    use lexopt::prelude::*;
    let mut args = Args {
        config: MockConfig::default(),
        https_ca_file: None,
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
            Long("https") => args.https_ca_file = Some(parser.value()?.into()),
            Long("no-tls-resumption") => args.config.tls_resumption = false,
            Long("close-connections") => args.config.close_connections = true,
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

fn start(config: MockConfig, https_ca_file: Option<&Path>) -> Result<MockServer, String> {
    let Some(ca_file) = https_ca_file else {
        return MockServer::start_with(config).map_err(|e| format!("cannot listen: {e}"));
    };
    #[cfg(feature = "tls")]
    {
        let (mock, ca_pem) = MockServer::start_https_with_new_ca(config)
            .map_err(|e| format!("cannot serve HTTPS: {e}"))?;
        std::fs::write(ca_file, ca_pem)
            .map_err(|e| format!("cannot write the CA to {}: {e}", ca_file.display()))?;
        Ok(mock)
    }
    #[cfg(not(feature = "tls"))]
    {
        let _ = (config, ca_file);
        Err("--https: built without the `tls` feature".into())
    }
}

fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("eiam-mock: {e}\n{USAGE}");
            std::process::exit(2);
        }
    };
    let mock = match start(args.config, args.https_ca_file.as_deref()) {
        Ok(mock) => mock,
        Err(e) => {
            eprintln!("eiam-mock: {e}");
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
