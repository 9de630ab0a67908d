//! `eiam account ...` and `eiam public-account users ...`: the account
//! family of the API.

use clap::{Args, Subcommand};
use eiam::{AccountFields, AccountType, Client, Page, Pages, Secret};
use serde_json::{json, Map, Value};

use std::process::ExitCode;

use crate::bulk::{CreateAccounts, Members, StateChange};
use crate::exit::Failure;
use crate::input;
use crate::job::{self, BulkArgs};
use crate::output;
use crate::rows::{self, Format, Row};

/// Where a create or an update finds the account's password when
/// `--password-stdin` is not given. There is no flag that takes the
/// password itself: other users could read it in the process list.
pub const PASSWORD_VARIABLE: &str = "EIAM_ACCOUNT_PASSWORD";

#[derive(Subcommand)]
pub enum AccountCommand {
    /// Create an account (prints its id).
    #[command(subcommand)]
    Create(CreateCommand),
    /// Show one account.
    Get { app_id: String, account_id: String },
    /// List an application's accounts, every page unless --page is given.
    List {
        app_id: String,
        /// Only accounts of this type: BASIC_ACCOUNT, ORPHAN_ACCOUNT or
        /// PUBLIC_ACCOUNT.
        #[arg(long = "type", value_name = "TYPE", value_parser = account_type)]
        account_type: Option<AccountType>,
        #[command(flatten)]
        paging: PageArgs,
    },
    /// Update an account: its ACCOUNT_NAME (the service requires it) and the
    /// fields given; the others stay as they are.
    Update {
        app_id: String,
        account_id: String,
        account_name: String,
        #[command(flatten)]
        fields: FieldArgs,
    },
    /// Disable an account.
    Disable { app_id: String, account_id: String },
    /// Enable an account.
    Enable { app_id: String, account_id: String },
    /// Delete an account (of any type).
    Delete { app_id: String, account_id: String },
    /// Create accounts from a CSV file with the columns app_id,
    /// account_type (BASIC_ACCOUNT, ORPHAN_ACCOUNT or PUBLIC_ACCOUNT) and
    /// optionally account_name, user_id, name, org_code, disabled,
    /// extension, password (never repeated in the report). A resumed job
    /// never creates an account twice.
    CreateMany(BulkArgs),
    /// Disable accounts from a CSV file with the columns app_id,account_id.
    DisableMany(BulkArgs),
    /// Enable accounts from a CSV file with the columns app_id,account_id.
    EnableMany(BulkArgs),
    /// Delete accounts from a CSV file with the columns app_id,account_id.
    DeleteMany(BulkArgs),
}

#[derive(Subcommand)]
pub enum CreateCommand {
    /// A public (shared) account named ACCOUNT_NAME.
    Public {
        app_id: String,
        account_name: String,
        #[command(flatten)]
        fields: FieldArgs,
    },
    /// A compliance account of the user USER_ID (named after the user
    /// unless --account-name is given).
    Basic {
        app_id: String,
        user_id: String,
        /// The login name in the application.
        #[arg(long)]
        account_name: Option<String>,
        #[command(flatten)]
        fields: FieldArgs,
    },
    /// An orphan account (no user) named ACCOUNT_NAME.
    Orphan {
        app_id: String,
        account_name: String,
        #[command(flatten)]
        fields: FieldArgs,
    },
}

#[derive(Subcommand)]
pub enum PublicAccountCommand {
    /// The users who may use a public account.
    #[command(subcommand)]
    Users(UsersCommand),
}

#[derive(Subcommand)]
pub enum UsersCommand {
    /// Give users (by user name) access to a public account.
    Add {
        app_id: String,
        app_user_id: String,
        #[arg(required = true)]
        user_names: Vec<String>,
    },
    /// Take access to a public account away from users (by user name).
    Remove {
        app_id: String,
        app_user_id: String,
        #[arg(required = true)]
        user_names: Vec<String>,
    },
    /// List a public account's users, every page unless --page is given.
    List {
        app_id: String,
        app_user_id: String,
        #[command(flatten)]
        paging: PageArgs,
    },
    /// Give users access from a CSV file with the columns
    /// app_id,app_user_id,user_name (one user a row).
    AddMany(BulkArgs),
    /// Take access away from a CSV file with the columns
    /// app_id,app_user_id,user_name (one user a row).
    RemoveMany(BulkArgs),
}

/// The optional fields of a create or an update.
#[derive(Args)]
pub struct FieldArgs {
    /// The display (real) name.
    #[arg(long)]
    name: Option<String>,
    /// The application organization's code.
    #[arg(long)]
    org_code: Option<String>,
    /// Whether the account is disabled (update: left as it is unless given).
    #[arg(long, value_name = "true|false")]
    disabled: Option<bool>,
    /// Custom attributes: a JSON object, sent as it is.
    #[arg(long, value_name = "JSON")]
    extension: Option<String>,
    /// Read the account's password from standard input (one line; the line
    /// end is dropped). Without it, the EIAM_ACCOUNT_PASSWORD variable is
    /// used if set. No flag takes the password itself.
    #[arg(long)]
    password_stdin: bool,
}

/// Paging and format of the list commands.
#[derive(Args)]
pub struct PageArgs {
    /// Items per request, 10 to 100.
    #[arg(long, default_value_t = eiam::DEFAULT_PAGE_SIZE)]
    page_size: u32,
    /// Print only this page (from 0) instead of streaming every page.
    #[arg(long)]
    page: Option<u32>,
    /// Output format [default: table, or jsonl with --json].
    #[arg(long, value_enum)]
    format: Option<Format>,
}

impl PageArgs {
    /// Prints one page (`--page`) or streams them all.
    fn print<R: Row>(
        &self,
        json: bool,
        one: impl FnOnce(u32, u32) -> eiam::Result<Page<R>>,
        all: impl FnOnce(u32) -> Pages<R>,
    ) -> Result<(), Failure> {
        let format = Format::choose(self.format, json);
        match self.page {
            Some(page) => rows::one_page(one(page, self.page_size)?, format),
            None => rows::stream(all(self.page_size), format),
        }
    }
}

fn account_type(name: &str) -> Result<AccountType, String> {
    name.parse()
        .map_err(|e: eiam::Error| e.message().to_owned())
}

impl FieldArgs {
    /// The fields to send; the extension is checked and the password read
    /// here, before any request.
    fn into_fields(self) -> Result<AccountFields, Failure> {
        let extension = self.extension.as_deref().map(extension).transpose()?;
        Ok(AccountFields {
            name: self.name,
            org_code: self.org_code,
            password: password(self.password_stdin)?,
            disabled: self.disabled,
            extension,
        })
    }
}

fn extension(text: &str) -> Result<Map<String, Value>, Failure> {
    json_object(text, "--extension").map_err(Failure::Input)
}

/// `text` as a JSON object, or a message that names `what` and says what
/// it is instead.
pub fn json_object(text: &str, what: &str) -> Result<Map<String, Value>, String> {
    let not = |found: &str| {
        format!("{what} must be a JSON object such as {{\"key\": \"value\"}}; got {found}")
    };
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(Value::Array(_)) => Err(not("an array")),
        Ok(Value::String(_)) => Err(not("a string")),
        Ok(Value::Number(_)) => Err(not("a number")),
        Ok(Value::Bool(_)) => Err(not("a boolean")),
        Ok(Value::Null) => Err(not("null")),
        Err(e) => Err(not(&format!("invalid JSON ({e})"))),
    }
}

/// The password from standard input or the environment, if any. Neither
/// the value nor a part of it is ever put in a message, and it is held in a
/// [`Secret`] (wiped when dropped) from the moment it is read.
fn password(from_stdin: bool) -> Result<Option<Secret>, Failure> {
    let from_env = std::env::var_os(PASSWORD_VARIABLE);
    let secret = match (from_stdin, from_env) {
        (true, Some(_)) => {
            return Err(Failure::Input(format!(
                "give the password through --password-stdin or {PASSWORD_VARIABLE}, not both"
            )))
        }
        (true, None) => {
            let mut text = input::stdin_text("--password-stdin")?;
            let line = text
                .strip_suffix('\n')
                .map(|t| t.strip_suffix('\r').unwrap_or(t))
                .unwrap_or(&text)
                .len();
            text.truncate(line);
            let secret = Secret::new(text);
            if secret.expose().contains(['\n', '\r']) {
                return Err(Failure::Input(
                    "--password-stdin: standard input holds more than one line".into(),
                ));
            }
            secret
        }
        (false, Some(value)) => Secret::new(
            value
                .into_string()
                .map_err(|_| Failure::Input(format!("{PASSWORD_VARIABLE} is not valid UTF-8")))?,
        ),
        (false, None) => return Ok(None),
    };
    if secret.expose().is_empty() {
        return Err(Failure::Input(format!(
            "the password is empty; to send none, leave out --password-stdin and unset {PASSWORD_VARIABLE}"
        )));
    }
    Ok(Some(secret))
}

/// What a write printed: the sentence, or `{"account_id": ...}`.
fn done(text: impl std::fmt::Display, account_id: &str, json: bool) -> Result<(), Failure> {
    if json {
        output::line(json!({ "account_id": account_id }))
    } else {
        output::line(text)
    }
}

pub fn run_account(
    client: &Client,
    command: AccountCommand,
    json: bool,
) -> Result<ExitCode, Failure> {
    let single = match command {
        AccountCommand::CreateMany(args) => {
            return job::run_csv(client, &CreateAccounts, &args, json)
        }
        AccountCommand::DisableMany(args) => {
            return job::run_csv(client, &StateChange::Disable, &args, json)
        }
        AccountCommand::EnableMany(args) => {
            return job::run_csv(client, &StateChange::Enable, &args, json)
        }
        AccountCommand::DeleteMany(args) => {
            return job::run_csv(client, &StateChange::Delete, &args, json)
        }
        single => single,
    };
    run_single_account(client, single, json)?;
    Ok(ExitCode::SUCCESS)
}

fn run_single_account(client: &Client, command: AccountCommand, json: bool) -> Result<(), Failure> {
    match command {
        AccountCommand::Create(command) => {
            let id = match command {
                CreateCommand::Public {
                    app_id,
                    account_name,
                    fields,
                } => client.create_public_account(&app_id, &account_name, &fields.into_fields()?),
                CreateCommand::Basic {
                    app_id,
                    user_id,
                    account_name,
                    fields,
                } => client.create_basic_account(
                    &app_id,
                    &user_id,
                    account_name.as_deref(),
                    &fields.into_fields()?,
                ),
                CreateCommand::Orphan {
                    app_id,
                    account_name,
                    fields,
                } => client.create_orphan_account(&app_id, &account_name, &fields.into_fields()?),
            }?;
            done(&id, &id, json)
        }
        AccountCommand::Get { app_id, account_id } => {
            let account = client.get_account(&app_id, &account_id)?;
            if json {
                output::line(account.to_json())
            } else {
                rows::record(&account)
            }
        }
        AccountCommand::List {
            app_id,
            account_type,
            paging,
        } => paging.print(
            json,
            |page, size| client.list_accounts(&app_id, account_type, page, size),
            |size| client.account_pages(&app_id, account_type, size),
        ),
        AccountCommand::Update {
            app_id,
            account_id,
            account_name,
            fields,
        } => {
            let fields = fields.into_fields()?;
            let id = client.update_account(&app_id, &account_id, &account_name, &fields)?;
            done(format_args!("updated account {id}"), &id, json)
        }
        AccountCommand::Disable { app_id, account_id } => {
            let id = client.disable_account(&app_id, &account_id)?;
            done(format_args!("disabled account {id}"), &id, json)
        }
        AccountCommand::Enable { app_id, account_id } => {
            let id = client.enable_account(&app_id, &account_id)?;
            done(format_args!("enabled account {id}"), &id, json)
        }
        AccountCommand::Delete { app_id, account_id } => {
            client.delete_account(&app_id, &account_id)?;
            done(
                format_args!("deleted account {account_id}"),
                &account_id,
                json,
            )
        }
        AccountCommand::CreateMany(_)
        | AccountCommand::DisableMany(_)
        | AccountCommand::EnableMany(_)
        | AccountCommand::DeleteMany(_) => unreachable!("bulk commands run in run_account"),
    }
}

pub fn run_public_account(
    client: &Client,
    command: PublicAccountCommand,
    json: bool,
) -> Result<ExitCode, Failure> {
    let PublicAccountCommand::Users(command) = command;
    let (verb, preposition, app_id, app_user_id, user_names, account_id) = match command {
        UsersCommand::AddMany(args) => {
            return job::run_csv(client, &Members { add: true }, &args, json)
        }
        UsersCommand::RemoveMany(args) => {
            return job::run_csv(client, &Members { add: false }, &args, json)
        }
        UsersCommand::List {
            app_id,
            app_user_id,
            paging,
        } => {
            paging.print(
                json,
                |page, size| client.list_public_account_users(&app_id, &app_user_id, page, size),
                |size| client.public_account_user_pages(&app_id, &app_user_id, size),
            )?;
            return Ok(ExitCode::SUCCESS);
        }
        UsersCommand::Add {
            app_id,
            app_user_id,
            user_names,
        } => {
            let id = client.add_public_account_users(&app_id, &app_user_id, &user_names)?;
            ("added", "to", app_id, app_user_id, user_names, id)
        }
        UsersCommand::Remove {
            app_id,
            app_user_id,
            user_names,
        } => {
            let id = client.remove_public_account_users(&app_id, &app_user_id, &user_names)?;
            ("removed", "from", app_id, app_user_id, user_names, id)
        }
    };
    if json {
        output::line(json!({ "account_id": account_id, "user_names": user_names }))?;
    } else {
        output::line(format_args!(
            "{verb} {} {preposition} {app_id}/{app_user_id}",
            user_names.join(", ")
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}
