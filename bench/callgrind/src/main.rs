//! The program `scripts/callgrind-gate.sh` counts instructions of, under
//! callgrind: against a running mock (another process, so only the client
//! is counted), one client makes `calls` calls of one kind after a
//! warm-up, and checks each answer so that a row cannot measure the wrong
//! path. The gate runs it with N and 2N calls: the difference is N calls,
//! set-up and warm-up cancelled.
//!
//! `EIAM_MOCK_URL=... EIAM_MOCK_CLIENT_ID=... EIAM_MOCK_CLIENT_SECRET=... \
//!  cargo run --release -p eiam-callgrind -- get 100`

use eiam::{Client, Config, ErrorKind};

/// Calls before the counted ones: the first fetches the token and opens
/// the connection, the others fill whatever is filled lazily.
const WARMUP_CALLS: u64 = 10;

/// One call, checked: `Err` says what was wrong with the answer.
type Call = fn(&Client) -> Result<(), String>;

/// The calls the gate measures, by the name its baseline gives them.
const OPERATIONS: &[(&str, Call)] = &[
    ("get", owner_query),
    ("bind", bind),
    ("error", api_error),
    ("account", get_account),
    ("list", list_page),
];

fn owner_query(client: &Client) -> Result<(), String> {
    let owner = client
        .get_public_account_owner("demo-app", "pub-1")
        .map_err(|e| e.to_string())?;
    expect(owner.user_name == "zhangsan", "the owner of pub-1")
}

fn bind(client: &Client) -> Result<(), String> {
    client
        .bind_public_account_owner("demo-app", "pub-2", "zhangsan")
        .map(drop)
        .map_err(|e| e.to_string())
}

/// The API-error path: the service's `{"error_code","error_msg"}` answer
/// to an account that does not exist, made into an `Error`.
fn api_error(client: &Client) -> Result<(), String> {
    match client.get_public_account_owner("demo-app", "no-such-account") {
        Err(e) if e.kind() == ErrorKind::Api && e.code().is_some() => Ok(()),
        Err(e) => Err(format!("expected an API error, got {e}")),
        Ok(_) => Err("expected an API error, got an owner".into()),
    }
}

fn get_account(client: &Client) -> Result<(), String> {
    let account = client
        .get_account("demo-app", "pub-1")
        .map_err(|e| e.to_string())?;
    expect(account.id == "pub-1", "account pub-1")
}

/// A full page of 100 accounts: the JSON-heavy end of a call.
fn list_page(client: &Client) -> Result<(), String> {
    let page = client
        .list_accounts("paging-app", None, 0, 100)
        .map_err(|e| e.to_string())?;
    expect(page.items.len() == 100, "a page of 100 accounts")
}

fn expect(ok: bool, what: &str) -> Result<(), String> {
    ok.then_some(())
        .ok_or_else(|| format!("wrong answer: {what}"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let names: Vec<&str> = OPERATIONS.iter().map(|(name, _)| *name).collect();
    let usage = || format!("usage: callgrind <{}> <calls>", names.join("|"));
    let [op, calls] = args.as_slice() else {
        return Err(usage().into());
    };
    let Some((_, call)) = OPERATIONS.iter().find(|(name, _)| name == op) else {
        return Err(usage().into());
    };
    let calls: u64 = calls.parse()?;
    let env = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
    let client = Client::new(
        Config::builder(env("EIAM_MOCK_URL")?)
            .client_credentials(env("EIAM_MOCK_CLIENT_ID")?, env("EIAM_MOCK_CLIENT_SECRET")?)
            .build()?,
    )?;
    for _ in 0..WARMUP_CALLS + calls {
        call(&client)?;
    }
    Ok(())
}
