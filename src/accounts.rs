//! Application accounts: create (public, compliance and orphan accounts),
//! get, list, update, disable, enable and delete, and the members of a
//! public account.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::client::{ApiCall, Client};
use crate::error::{Error, ErrorKind, Result};
use crate::paging::{self, Items, Page, Pages};
use crate::path::{self, AccountsPath, Param};
use crate::response::{self, Endpoint};
use crate::secret::Secret;
use crate::transport::Method;

/// The kinds of application account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AccountType {
    /// A compliance account, tied to one user (`BASIC_ACCOUNT`).
    Basic,
    /// An account with no user (`ORPHAN_ACCOUNT`).
    Orphan,
    /// A shared account with members and one owner (`PUBLIC_ACCOUNT`).
    Public,
}

impl AccountType {
    /// Every type.
    pub const ALL: [AccountType; 3] =
        [AccountType::Basic, AccountType::Orphan, AccountType::Public];

    /// The service's name: `"BASIC_ACCOUNT"`, `"ORPHAN_ACCOUNT"` or
    /// `"PUBLIC_ACCOUNT"`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountType::Basic => "BASIC_ACCOUNT",
            AccountType::Orphan => "ORPHAN_ACCOUNT",
            AccountType::Public => "PUBLIC_ACCOUNT",
        }
    }
}

impl fmt::Display for AccountType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AccountType {
    type Err = Error;

    /// The service's names, exactly.
    fn from_str(name: &str) -> Result<Self> {
        AccountType::ALL
            .into_iter()
            .find(|t| t.as_str() == name)
            .ok_or_else(|| {
                Error::invalid_argument(format!(
                    "account_type must be BASIC_ACCOUNT, ORPHAN_ACCOUNT or PUBLIC_ACCOUNT; got {}",
                    crate::error::quoted(name)
                ))
                .with_code("APP.ACCOUNT.0045")
            })
    }
}

/// An application account, as get and list answer it.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct Account {
    /// The account's id: the `{id}` of every call on it.
    pub id: String,
    /// The login name in the application.
    #[serde(default, deserialize_with = "null_as_default")]
    pub account_name: String,
    /// The display name, if it has one.
    #[serde(default)]
    pub name: Option<String>,
    /// The application organization's id (requests name it by
    /// `org_code`), if any.
    #[serde(default)]
    pub org_id: Option<String>,
    /// `"BASIC_ACCOUNT"`, `"ORPHAN_ACCOUNT"` or `"PUBLIC_ACCOUNT"` as the
    /// service sends it (compare with [`AccountType::as_str`]); kept as
    /// text so that a type added later does not break reading the list.
    #[serde(default, deserialize_with = "null_as_default")]
    pub account_type: String,
    /// Whether the account is disabled.
    #[serde(default, deserialize_with = "null_as_default")]
    pub disabled: bool,
    /// Custom attributes, exactly as the service sent them.
    #[serde(default, deserialize_with = "null_as_default")]
    pub extension: Map<String, Value>,
}

/// A member of a public account.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub struct AccountUser {
    /// The user's id.
    pub id: String,
    /// The user's name (the service spells this key `userName`; eiam
    /// writes it `user_name`, as everywhere else).
    #[serde(rename(deserialize = "userName"), alias = "user_name")]
    pub user_name: String,
    /// Whether the user is disabled.
    #[serde(default, deserialize_with = "null_as_default")]
    pub disabled: bool,
}

/// The optional fields of a create or an update. A field left `None` is
/// not sent (an update then leaves it as it is).
#[derive(Clone, Default, PartialEq)]
pub struct AccountFields {
    /// The display (real) name.
    pub name: Option<String>,
    /// The application organization's code.
    pub org_code: Option<String>,
    /// The account's password in the application. Never shown in a
    /// message, a log line or `Debug`.
    pub password: Option<Secret>,
    /// Whether the account is disabled.
    pub disabled: Option<bool>,
    /// Custom attributes of the application's account model, sent as they
    /// are.
    pub extension: Option<Map<String, Value>>,
}

impl fmt::Debug for AccountFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccountFields")
            .field("name", &self.name)
            .field("org_code", &self.org_code)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .field("disabled", &self.disabled)
            .field("extension", &self.extension)
            .finish()
    }
}

/// A create or update body. The password goes on the wire only here.
#[derive(Serialize)]
struct AccountBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    account_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    org_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extension: Option<&'a Map<String, Value>>,
}

impl<'a> AccountBody<'a> {
    fn new(
        account_name: Option<&'a str>,
        user_id: Option<&'a str>,
        fields: &'a AccountFields,
    ) -> Result<Self> {
        if let Some(account_name) = account_name {
            path::check(Param::AccountName, account_name)?;
        }
        if let Some(user_id) = user_id {
            path::check(Param::UserId, user_id)?;
        }
        for (name, value) in [("name", &fields.name), ("org_code", &fields.org_code)] {
            if let Some(value) = value {
                path::check_text(name, value)?;
            }
        }
        Ok(AccountBody {
            account_name,
            user_id,
            name: fields.name.as_deref(),
            org_code: fields.org_code.as_deref(),
            password: fields.password.as_ref().map(Secret::expose),
            disabled: fields.disabled,
            extension: fields.extension.as_ref(),
        })
    }

    /// The JSON, in a buffer wiped when dropped (it may hold a password).
    fn encode(&self) -> Result<Zeroizing<Vec<u8>>> {
        serde_json::to_vec(self)
            .map(Zeroizing::new)
            .map_err(|e| Error::internal(format!("encoding the request failed: {e}")))
    }
}

#[derive(Serialize)]
struct UserNames<'a> {
    user_names: Vec<&'a str>,
}

#[derive(Deserialize)]
struct AccountIdAnswer {
    #[serde(default)]
    account_id: Option<String>,
}

#[derive(Deserialize)]
struct AccountList {
    #[serde(default)]
    total: u64,
    #[serde(default, deserialize_with = "null_as_default")]
    accounts: Vec<Account>,
}

#[derive(Deserialize)]
struct UserList {
    #[serde(default)]
    total: u64,
    #[serde(default, deserialize_with = "null_as_default")]
    associated_users: Vec<AccountUser>,
}

fn null_as_default<'de, D: Deserializer<'de>, T: Default + Deserialize<'de>>(
    deserializer: D,
) -> std::result::Result<T, D::Error> {
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// The service's code for "no such account" ([`Error::code`] of a call
/// on an account that does not exist).
pub const NO_SUCH_ACCOUNT: &str = "APP.ACCOUNT.0028";

/// How a write call is sent and what its answer must carry.
struct Write<'a> {
    method: Method,
    path: String,
    body: &'a [u8],
    idempotent: bool,
    password: Option<&'a str>,
}

impl Client {
    /// Sends a write and returns the `account_id` of its answer, or
    /// `fallback_id` when a successful answer has none (any 2xx is a
    /// success; the service documents a body, but a gateway may drop it).
    fn write(&self, write: Write<'_>, fallback_id: Option<&str>) -> Result<String> {
        let call = ApiCall {
            method: write.method,
            path: &write.path,
            body: write.body,
            idempotent: write.idempotent,
            secret: write.password,
        };
        let answer: Option<AccountIdAnswer> = self.exchange(&call, |received, secrets| {
            response::decode_optional(received, Endpoint::Api, secrets)
        })?;
        match answer
            .and_then(|a| a.account_id)
            .filter(|id| !id.trim().is_empty())
        {
            Some(id) => Ok(id),
            None => fallback_id.map(str::to_owned).ok_or_else(|| {
                Error::new(
                    ErrorKind::Protocol,
                    "the service said the account was created but sent no account_id",
                )
            }),
        }
    }

    fn create(
        &self,
        app_id: &str,
        kind: &'static str,
        account_name: Option<&str>,
        user_id: Option<&str>,
        fields: &AccountFields,
    ) -> Result<String> {
        let path = AccountsPath::new(app_id)?.then(kind).into_string();
        let body = AccountBody::new(account_name, user_id, fields)?.encode()?;
        self.write(
            Write {
                method: Method::Post,
                path,
                body: &body,
                // A second create would make a second account: sent again
                // only when the first certainly did not arrive.
                idempotent: false,
                password: fields.password.as_ref().map(Secret::expose),
            },
            None,
        )
    }

    /// Creates a public (shared) account named `account_name` in
    /// application `app_id` and returns its id. Not retried once the
    /// request may have reached the service (see the README on retries).
    pub fn create_public_account(
        &self,
        app_id: &str,
        account_name: &str,
        fields: &AccountFields,
    ) -> Result<String> {
        self.create(app_id, "/public-account", Some(account_name), None, fields)
    }

    /// Creates a compliance (basic) account of user `user_id` in
    /// application `app_id` and returns its id. Without an `account_name`
    /// the service names it after the user. Retried as
    /// [`create_public_account`](Self::create_public_account) is.
    pub fn create_basic_account(
        &self,
        app_id: &str,
        user_id: &str,
        account_name: Option<&str>,
        fields: &AccountFields,
    ) -> Result<String> {
        self.create(
            app_id,
            "/basic-account",
            account_name,
            Some(user_id),
            fields,
        )
    }

    /// Creates an orphan account (one with no user) named `account_name`
    /// in application `app_id` and returns its id. Retried as
    /// [`create_public_account`](Self::create_public_account) is.
    pub fn create_orphan_account(
        &self,
        app_id: &str,
        account_name: &str,
        fields: &AccountFields,
    ) -> Result<String> {
        self.create(app_id, "/orphan-account", Some(account_name), None, fields)
    }

    fn members(
        &self,
        app_id: &str,
        app_user_id: &str,
        user_names: &[impl AsRef<str>],
        action: &'static str,
    ) -> Result<String> {
        let path = AccountsPath::new(app_id)?
            .then("/public-account")
            .id(Param::AppUserId, app_user_id)?
            .then(action)
            .into_string();
        if user_names.is_empty() {
            return Err(Error::invalid_argument("user_names must not be empty"));
        }
        let user_names: Vec<&str> = user_names.iter().map(AsRef::as_ref).collect();
        for (i, name) in user_names.iter().enumerate() {
            path::check_as(Param::UserName, &format!("user_names[{i}]"), name)?;
        }
        let body = serde_json::to_vec(&UserNames { user_names })
            .map_err(|e| Error::internal(format!("encoding the request failed: {e}")))?;
        self.write(
            Write {
                method: Method::Post,
                path,
                body: &body,
                // Adding a member twice leaves one membership.
                idempotent: true,
                password: None,
            },
            Some(app_user_id),
        )
    }

    /// Gives the users named `user_names` access to public account
    /// `app_user_id` and returns the account's id.
    pub fn add_public_account_users(
        &self,
        app_id: &str,
        app_user_id: &str,
        user_names: &[impl AsRef<str>],
    ) -> Result<String> {
        self.members(app_id, app_user_id, user_names, "/users/bind")
    }

    /// Takes access to public account `app_user_id` away from the users
    /// named `user_names` and returns the account's id.
    pub fn remove_public_account_users(
        &self,
        app_id: &str,
        app_user_id: &str,
        user_names: &[impl AsRef<str>],
    ) -> Result<String> {
        self.members(app_id, app_user_id, user_names, "/users/unbind")
    }

    /// One page (from 0) of the members of public account `app_user_id`;
    /// `page_size` is 10 to 100.
    pub fn list_public_account_users(
        &self,
        app_id: &str,
        app_user_id: &str,
        page: u32,
        page_size: u32,
    ) -> Result<Page<AccountUser>> {
        paging::check_page_size(page_size)?;
        let path = AccountsPath::new(app_id)?
            .then("/public-account")
            .id(Param::AppUserId, app_user_id)?
            .then("/users")
            .query(&[
                ("offset", &page.to_string()),
                ("limit", &page_size.to_string()),
            ])
            .into_string();
        let list: UserList = self.call(Method::Get, &path, None)?;
        Ok(Page {
            items: list.associated_users,
            total: list.total,
            page,
        })
    }

    /// Every member of public account `app_user_id`, a page of
    /// `page_size` at a time (see [`Pages`] for when it stops).
    pub fn public_account_user_pages(
        &self,
        app_id: &str,
        app_user_id: &str,
        page_size: u32,
    ) -> Pages<AccountUser> {
        let (client, app_id, app_user_id) =
            (self.clone(), app_id.to_owned(), app_user_id.to_owned());
        Pages::new(
            page_size,
            Box::new(move |page, size| {
                client.list_public_account_users(&app_id, &app_user_id, page, size)
            }),
            |user| &user.id,
        )
    }

    /// Every member of public account `app_user_id`, fetched lazily.
    pub fn iter_public_account_users(
        &self,
        app_id: &str,
        app_user_id: &str,
        page_size: u32,
    ) -> Items<AccountUser> {
        self.public_account_user_pages(app_id, app_user_id, page_size)
            .items()
    }

    /// The account `account_id` of application `app_id`.
    pub fn get_account(&self, app_id: &str, account_id: &str) -> Result<Account> {
        let path = AccountsPath::new(app_id)?
            .id(Param::AccountId, account_id)?
            .into_string();
        self.call(Method::Get, &path, None)
    }

    /// One page (from 0) of the accounts of application `app_id`, of one
    /// type or of every type; `page_size` is 10 to 100.
    pub fn list_accounts(
        &self,
        app_id: &str,
        account_type: Option<AccountType>,
        page: u32,
        page_size: u32,
    ) -> Result<Page<Account>> {
        paging::check_page_size(page_size)?;
        let (page_text, size_text) = (page.to_string(), page_size.to_string());
        let mut query = vec![
            ("offset", page_text.as_str()),
            ("limit", size_text.as_str()),
        ];
        if let Some(t) = account_type {
            query.insert(0, ("account_type", t.as_str()));
        }
        let path = AccountsPath::new(app_id)?.query(&query).into_string();
        let list: AccountList = self.call(Method::Get, &path, None)?;
        Ok(Page {
            items: list.accounts,
            total: list.total,
            page,
        })
    }

    /// Every account of application `app_id` (of one type or all), a page
    /// of `page_size` at a time (see [`Pages`] for when it stops).
    pub fn account_pages(
        &self,
        app_id: &str,
        account_type: Option<AccountType>,
        page_size: u32,
    ) -> Pages<Account> {
        let (client, app_id) = (self.clone(), app_id.to_owned());
        Pages::new(
            page_size,
            Box::new(move |page, size| client.list_accounts(&app_id, account_type, page, size)),
            |account| &account.id,
        )
    }

    /// Every account of application `app_id`, fetched lazily.
    pub fn iter_accounts(
        &self,
        app_id: &str,
        account_type: Option<AccountType>,
        page_size: u32,
    ) -> Items<Account> {
        self.account_pages(app_id, account_type, page_size).items()
    }

    /// Updates account `account_id`: `account_name` (which the service
    /// requires) and the fields that are set; the others stay as they are.
    /// Returns the account's id.
    pub fn update_account(
        &self,
        app_id: &str,
        account_id: &str,
        account_name: &str,
        fields: &AccountFields,
    ) -> Result<String> {
        let path = AccountsPath::new(app_id)?
            .id(Param::AccountId, account_id)?
            .into_string();
        let body = AccountBody::new(Some(account_name), None, fields)?.encode()?;
        self.write(
            Write {
                method: Method::Put,
                path,
                body: &body,
                idempotent: true,
                password: fields.password.as_ref().map(Secret::expose),
            },
            Some(account_id),
        )
    }

    fn set_state(&self, app_id: &str, account_id: &str, action: &'static str) -> Result<String> {
        let path = AccountsPath::new(app_id)?
            .id(Param::AccountId, account_id)?
            .then(action)
            .into_string();
        self.write(
            Write {
                method: Method::Put,
                path,
                body: b"",
                idempotent: true,
                password: None,
            },
            Some(account_id),
        )
    }

    /// Disables account `account_id` and returns its id.
    pub fn disable_account(&self, app_id: &str, account_id: &str) -> Result<String> {
        self.set_state(app_id, account_id, "/disable")
    }

    /// Enables account `account_id` and returns its id.
    pub fn enable_account(&self, app_id: &str, account_id: &str) -> Result<String> {
        self.set_state(app_id, account_id, "/enable")
    }

    /// Deletes account `account_id` (of any type).
    ///
    /// A delete is retried like a read. When an earlier attempt may have
    /// reached the service (its answer was lost) and the retry answers
    /// `APP.ACCOUNT.0028` (no such account), that attempt deleted it: the
    /// call succeeds.
    pub fn delete_account(&self, app_id: &str, account_id: &str) -> Result<()> {
        let path = AccountsPath::new(app_id)?
            .id(Param::AccountId, account_id)?
            .into_string();
        let call = ApiCall {
            method: Method::Delete,
            path: &path,
            body: b"",
            idempotent: true,
            secret: None,
        };
        self.exchange(&call, |received, secrets| {
            match response::decode_optional::<Value>(received, Endpoint::Api, secrets) {
                Err(e) if received.after_possible_delivery && e.code() == Some(NO_SUCH_ACCOUNT) => {
                    log::info!(
                        "eiam: DELETE {path}: an earlier attempt's answer was lost and the \
                         account is gone: deleted"
                    );
                    Ok(())
                }
                other => other.map(|_| ()),
            }
        })
    }
}
