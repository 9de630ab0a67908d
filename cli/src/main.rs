//! `eiam`: the command line of the eiam SDK.

mod accounts;
mod apply;
mod audit;
mod bulk;
mod connection;
mod demo;
mod exit;
mod input;
mod job;
mod output;
mod raw;
mod rows;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use connection::Connection;
use eiam::Client;
use exit::Failure;

/// Manage EIAM application accounts, their users and owners, or make any
/// management API call.
///
/// Connection settings come from flags or the environment. Prefer the
/// environment (or a file read by your shell) for secrets: values given as
/// flags are visible to other users in the process list.
#[derive(Parser)]
#[command(name = "eiam", version, after_help = exit::HELP)]
struct Cli {
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,

    #[command(flatten, next_help_heading = "Connection")]
    connection: Connection,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Public-account owners.
    #[command(subcommand)]
    Owner(OwnerCommand),
    /// Application accounts: create, get, list, update, disable, enable,
    /// delete.
    #[command(subcommand)]
    Account(accounts::AccountCommand),
    /// Public accounts: the users who may use them.
    #[command(subcommand)]
    PublicAccount(accounts::PublicAccountCommand),
    /// Make the public accounts match a desired-state file: prints the plan,
    /// then applies it with --yes or after a confirmation on a terminal.
    Apply(apply::ApplyArgs),
    /// List the public accounts of an application that need attention: no
    /// owner, a disabled owner, disabled members, no members. Exits with 10
    /// when it finds any (for cron jobs).
    Audit(audit::AuditArgs),
    /// Any management API call, with the same token, retries and errors;
    /// prints the JSON answer.
    Request(raw::RequestArgs),
    /// Run the embedded mock server in the foreground, with demo data.
    Mock {
        /// Port on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
    /// Walk through token, bind, query and a bulk bind against an embedded mock.
    Demo,
}

#[derive(Subcommand)]
enum OwnerCommand {
    /// Show the owner of a public account.
    Get { app_id: String, app_user_id: String },
    /// Make USER_NAME the owner of a public account.
    Bind {
        app_id: String,
        app_user_id: String,
        user_name: String,
    },
    /// Bind owners from a CSV file with the columns app_id,app_user_id,user_name.
    BindMany(job::BulkArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Owner(command) => run_owner(&cli.connection, command, cli.json),
        Command::Account(command) => cli
            .connection
            .client()
            .and_then(|client| accounts::run_account(&client, command, cli.json)),
        Command::PublicAccount(command) => cli
            .connection
            .client()
            .and_then(|client| accounts::run_public_account(&client, command, cli.json)),
        Command::Request(args) => {
            connected(&cli.connection, |client| raw::run(client, args, cli.json))
        }
        Command::Apply(args) => {
            connection_then(&cli.connection, |client| apply::run(client, args, cli.json))
        }
        Command::Audit(args) => {
            connection_then(&cli.connection, |client| audit::run(client, args, cli.json))
        }
        Command::Mock { port } => demo::run_mock(port),
        Command::Demo => demo::run_demo(),
    };
    match result {
        Ok(code) => code,
        Err(failure) => failure.report(cli.json),
    }
}

/// Runs a command that needs a client and picks its own exit code.
fn connection_then(
    connection: &Connection,
    run: impl FnOnce(&Client) -> Result<ExitCode, Failure>,
) -> Result<ExitCode, Failure> {
    run(&connection.client()?)
}

/// Runs a command that needs a client and succeeds with exit code 0.
fn connected(
    connection: &Connection,
    run: impl FnOnce(&Client) -> Result<(), Failure>,
) -> Result<ExitCode, Failure> {
    run(&connection.client()?)?;
    Ok(ExitCode::SUCCESS)
}

fn run_owner(
    connection: &Connection,
    command: OwnerCommand,
    json: bool,
) -> Result<ExitCode, Failure> {
    let client = connection.client()?;
    match command {
        OwnerCommand::Get {
            app_id,
            app_user_id,
        } => {
            let owner = client.get_public_account_owner(&app_id, &app_user_id)?;
            output::owner(&app_id, &app_user_id, &owner, json)?;
        }
        OwnerCommand::Bind {
            app_id,
            app_user_id,
            user_name,
        } => {
            let account_id = client.bind_public_account_owner(&app_id, &app_user_id, &user_name)?;
            output::bound(&app_id, &app_user_id, &user_name, &account_id, json)?;
        }
        OwnerCommand::BindMany(args) => {
            return job::run_csv(&client, &bulk::BindOwners, &args, json)
        }
    }
    Ok(ExitCode::SUCCESS)
}
