//! The bulk form of every write call: one CSV row per call, run by the
//! job machinery (`job`). The columns are the single-call commands'
//! arguments, by the same names.

use eiam::{AccountFields, AccountType, Client, Secret, NO_SUCH_ACCOUNT};

use crate::accounts::json_object;
use crate::job::{CsvJob, Job, RowError, RowResult};

/// `owner bind-many`: app_id,app_user_id,user_name.
pub struct BindOwners;

const OWNER_COLUMNS: &[&str] = &["app_id", "app_user_id", "user_name"];

/// The three columns of the owner and member jobs.
pub struct PublicAccountRow {
    app_id: String,
    app_user_id: String,
    user_name: String,
}

fn public_account_row<'r>(get: &dyn Fn(&str) -> Option<&'r str>) -> PublicAccountRow {
    let value = |c: &str| get(c).unwrap_or_default().to_owned();
    PublicAccountRow {
        app_id: value("app_id"),
        app_user_id: value("app_user_id"),
        user_name: value("user_name"),
    }
}

impl Job for BindOwners {
    type Item = PublicAccountRow;

    fn columns(&self) -> &'static [&'static str] {
        OWNER_COLUMNS
    }

    fn done_word(&self) -> &'static str {
        "bound"
    }

    fn call(&self, client: &Client, row: &PublicAccountRow, _recheck: bool) -> RowResult {
        Ok(client.bind_public_account_owner(&row.app_id, &row.app_user_id, &row.user_name)?)
    }
}

impl CsvJob for BindOwners {
    fn required(&self) -> &'static [&'static str] {
        OWNER_COLUMNS
    }

    fn parse<'r>(&self, get: &dyn Fn(&str) -> Option<&'r str>) -> Result<PublicAccountRow, String> {
        Ok(public_account_row(get))
    }
}

/// `public-account users add-many` / `remove-many`:
/// app_id,app_user_id,user_name, one user a row.
pub struct Members {
    pub add: bool,
}

impl Job for Members {
    type Item = PublicAccountRow;

    fn columns(&self) -> &'static [&'static str] {
        OWNER_COLUMNS
    }

    fn done_word(&self) -> &'static str {
        if self.add {
            "added"
        } else {
            "removed"
        }
    }

    fn call(&self, client: &Client, row: &PublicAccountRow, _recheck: bool) -> RowResult {
        let users = [row.user_name.as_str()];
        Ok(if self.add {
            client.add_public_account_users(&row.app_id, &row.app_user_id, &users)?
        } else {
            client.remove_public_account_users(&row.app_id, &row.app_user_id, &users)?
        })
    }
}

impl CsvJob for Members {
    fn required(&self) -> &'static [&'static str] {
        OWNER_COLUMNS
    }

    fn parse<'r>(&self, get: &dyn Fn(&str) -> Option<&'r str>) -> Result<PublicAccountRow, String> {
        Ok(public_account_row(get))
    }
}

/// `account disable-many` / `enable-many` / `delete-many`: app_id,account_id.
#[derive(Clone, Copy)]
pub enum StateChange {
    Disable,
    Enable,
    Delete,
}

const STATE_COLUMNS: &[&str] = &["app_id", "account_id"];

pub struct AccountRef {
    app_id: String,
    account_id: String,
}

impl Job for StateChange {
    type Item = AccountRef;

    fn columns(&self) -> &'static [&'static str] {
        STATE_COLUMNS
    }

    fn done_word(&self) -> &'static str {
        match self {
            StateChange::Disable => "disabled",
            StateChange::Enable => "enabled",
            StateChange::Delete => "deleted",
        }
    }

    fn call(&self, client: &Client, row: &AccountRef, recheck: bool) -> RowResult {
        let (app, id) = (row.app_id.as_str(), row.account_id.as_str());
        match self {
            StateChange::Disable => Ok(client.disable_account(app, id)?),
            StateChange::Enable => Ok(client.enable_account(app, id)?),
            StateChange::Delete => match client.delete_account(app, id) {
                Ok(()) => Ok(row.account_id.clone()),
                // An earlier run may have deleted it: gone is what was asked.
                Err(e) if recheck && e.code() == Some(NO_SUCH_ACCOUNT) => {
                    Ok(row.account_id.clone())
                }
                Err(e) => Err(e.into()),
            },
        }
    }
}

impl CsvJob for StateChange {
    fn required(&self) -> &'static [&'static str] {
        STATE_COLUMNS
    }

    fn parse<'r>(&self, get: &dyn Fn(&str) -> Option<&'r str>) -> Result<AccountRef, String> {
        Ok(AccountRef {
            app_id: get("app_id").unwrap_or_default().to_owned(),
            account_id: get("account_id").unwrap_or_default().to_owned(),
        })
    }
}

/// `account create-many`: app_id,account_type and optionally
/// account_name, user_id, name, org_code, disabled, extension, password.
/// The password column is never repeated in the report or the output.
pub struct CreateAccounts;

const CREATE_COLUMNS: &[&str] = &[
    "app_id",
    "account_type",
    "account_name",
    "user_id",
    "name",
    "org_code",
    "disabled",
    "extension",
];

/// The column that holds each account's password (optional).
pub const PASSWORD_COLUMN: &str = "password";

pub struct NewAccountRow {
    app_id: String,
    account_type: AccountType,
    account_name: Option<String>,
    user_id: String,
    fields: AccountFields,
}

impl Job for CreateAccounts {
    type Item = NewAccountRow;

    fn columns(&self) -> &'static [&'static str] {
        CREATE_COLUMNS
    }

    fn done_word(&self) -> &'static str {
        "created"
    }

    fn call(&self, client: &Client, row: &NewAccountRow, recheck: bool) -> RowResult {
        if recheck {
            if let Some(id) = existing(client, row)? {
                return Ok(id);
            }
        }
        let name = row.account_name.as_deref();
        Ok(match row.account_type {
            AccountType::Basic => {
                client.create_basic_account(&row.app_id, &row.user_id, name, &row.fields)?
            }
            AccountType::Orphan => {
                client.create_orphan_account(&row.app_id, name.unwrap_or_default(), &row.fields)?
            }
            _ => {
                client.create_public_account(&row.app_id, name.unwrap_or_default(), &row.fields)?
            }
        })
    }
}

/// The id of the account an earlier run may have created for this row:
/// one of the row's type and name in its application.
fn existing(client: &Client, row: &NewAccountRow) -> Result<Option<String>, RowError> {
    let Some(name) = &row.account_name else {
        return Err(RowError::unknown(
            "unchecked",
            "an earlier run may have created this account, and without an account_name \
             there is no way to look for it: not created again",
        ));
    };
    for page in client.account_pages(&row.app_id, Some(row.account_type), eiam::MAX_PAGE_SIZE) {
        if let Some(found) = page?.items.into_iter().find(|a| &a.account_name == name) {
            return Ok(Some(found.id));
        }
    }
    Ok(None)
}

impl CsvJob for CreateAccounts {
    fn required(&self) -> &'static [&'static str] {
        &["app_id", "account_type"]
    }

    fn parse<'r>(&self, get: &dyn Fn(&str) -> Option<&'r str>) -> Result<NewAccountRow, String> {
        let given = |c: &str| get(c).filter(|v| !v.is_empty()).map(str::to_owned);
        let account_type: AccountType = get("account_type")
            .unwrap_or_default()
            .parse()
            .map_err(|e: eiam::Error| e.message().to_owned())?;
        let account_name = given("account_name");
        let user_id = given("user_id").unwrap_or_default();
        match account_type {
            AccountType::Basic if user_id.is_empty() => {
                return Err("a BASIC_ACCOUNT row needs a user_id".into())
            }
            AccountType::Basic => {}
            _ if account_name.is_none() => {
                return Err(format!("a {account_type} row needs an account_name"))
            }
            _ => {}
        }
        let disabled = match get("disabled").unwrap_or_default() {
            "" => None,
            "true" => Some(true),
            "false" => Some(false),
            _ => return Err("disabled must be true, false or empty".into()),
        };
        let extension = given("extension")
            .map(|text| json_object(&text, "the extension column"))
            .transpose()?;
        Ok(NewAccountRow {
            app_id: get("app_id").unwrap_or_default().to_owned(),
            account_type,
            account_name,
            user_id,
            fields: AccountFields {
                name: given("name"),
                org_code: given("org_code"),
                password: given(PASSWORD_COLUMN).map(Secret::new),
                disabled,
                extension,
            },
        })
    }
}
