//! `eiam mock` and `eiam demo`: the embedded mock server, in the
//! foreground or behind a guided tour of the API.

use std::ops::ControlFlow;
use std::process::ExitCode;

use eiam::{BindItem, Client, Config};
use eiam_mock::{MockConfig, MockServer};

use crate::exit::Failure;
use crate::output::line;

pub fn run_mock(port: u16) -> Result<ExitCode, Failure> {
    let mock = MockServer::start_with(MockConfig {
        port,
        ..MockConfig::default()
    })
    .map_err(|e| Failure::Input(format!("cannot start the mock server: {e}")))?;
    line("eiam mock server with demo data, until interrupted (Ctrl-C)")?;
    line(format_args!("EIAM_BASE_URL={}", mock.base_url()))?;
    line(format_args!("EIAM_CLIENT_ID={}", mock.client_id()))?;
    line(format_args!("EIAM_CLIENT_SECRET={}", mock.client_secret()))?;
    line(format_args!(
        "applications: demo-app (public accounts pub-1 owned by zhangsan, pub-2 without owner), \
         paging-app (250 accounts)"
    ))?;
    line("users: zhangsan, cq04130006, lisi (disabled)")?;
    loop {
        std::thread::park();
    }
}

pub fn run_demo() -> Result<ExitCode, Failure> {
    let mock = MockServer::start()
        .map_err(|e| Failure::Input(format!("cannot start the mock server: {e}")))?;
    line(format_args!(
        "eiam {} demo against the embedded mock server at {}",
        eiam::VERSION,
        mock.base_url()
    ))?;
    let client = Client::new(
        Config::builder(mock.base_url())
            .client_credentials(mock.client_id(), mock.client_secret())
            .build()?,
    )?;

    line("\n1. Get an access token (client credentials, POST /api/v2/tenant/token)")?;
    client.authenticate()?;
    line(format_args!(
        "   token cached: {} token request so far",
        mock.stats().token_requests
    ))?;

    line("\n2. Bind cq04130006 as owner of demo-app/pub-2 (POST .../owner)")?;
    let account_id = client.bind_public_account_owner("demo-app", "pub-2", "cq04130006")?;
    line(format_args!("   account_id {account_id}"))?;

    line("\n3. Query the owner of demo-app/pub-2 (GET .../owner)")?;
    let owner = client.get_public_account_owner("demo-app", "pub-2")?;
    line(format_args!(
        "   {} (user_id {}, disabled {})",
        owner.user_name, owner.user_id, owner.disabled
    ))?;

    line("\n4. Bulk bind of 4 rows, 8 workers; two rows fail on purpose")?;
    let rows = [
        BindItem::new("demo-app", "pub-1", "lisi"),
        BindItem::new("demo-app", "pub-2", "zhangsan"),
        BindItem::new("demo-app", "no-such-account", "zhangsan"),
        BindItem::new("demo-app", "pub-1", "nobody"),
    ];
    let results = client.bind_public_account_owners(&rows, 8, |_| ControlFlow::Continue(()));
    for (row, result) in rows.iter().zip(&results) {
        let outcome = match result {
            Ok(id) => format!("ok, account_id {id}"),
            Err(e) => e.to_string(),
        };
        line(format_args!(
            "   {}/{} -> {}: {outcome}",
            row.app_id, row.app_user_id, row.user_name
        ))?;
    }
    let stats = mock.stats();
    line(format_args!(
        "\ndemo complete: {} token request, {} API requests",
        stats.token_requests, stats.api_requests
    ))?;
    Ok(ExitCode::SUCCESS)
}
