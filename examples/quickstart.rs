//! The Rust quickstart against the embedded mock server:
//! `cargo run --example quickstart`.
//!
//! Point `Config::builder` at your tenant's URL, with your application's
//! client id and secret, to run the same calls for real.

use eiam::{Client, Config, ErrorKind};
use eiam_mock::MockServer;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockServer::start()?;
    let client = Client::new(
        Config::builder(mock.base_url())
            .client_credentials(mock.client_id(), mock.client_secret())
            .build()?,
    )?;

    let account_id = client.bind_public_account_owner("demo-app", "pub-2", "cq04130006")?;
    println!("bound cq04130006 as owner of demo-app/pub-2: account_id {account_id}");

    let owner = client.get_public_account_owner("demo-app", "pub-2")?;
    println!(
        "owner of demo-app/pub-2: {} (user_id {}, disabled {})",
        owner.user_name, owner.user_id, owner.disabled
    );

    match client.get_public_account_owner("no-such-app", "pub-1") {
        Err(e) if e.kind() == ErrorKind::Api => println!("unknown application -> {e}"),
        other => return Err(format!("expected an API error, got {other:?}").into()),
    }
    Ok(())
}
