//! Application accounts as the mock holds them: one id per account (the id
//! in every URL is the id the create and bind calls answer with), kept in
//! insertion order so that paging is stable.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;

/// The application organizations every application has, as
/// `(org_code, org_id)`: requests name them by code, answers by id.
pub const APP_ORGANIZATIONS: &[(&str, &str)] = &[
    ("root", "20220401000000001-0A0A-000000001"),
    ("sales", "20220401000000002-0A0A-000000002"),
];

/// The id of the application organization with this code.
pub(crate) fn org_id(org_code: &str) -> Option<&'static str> {
    APP_ORGANIZATIONS
        .iter()
        .find(|(code, _)| *code == org_code)
        .map(|(_, id)| *id)
}

/// The three kinds of application account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AccountType {
    /// A compliance account, tied to one user (`BASIC_ACCOUNT`).
    #[serde(rename = "BASIC_ACCOUNT")]
    Basic,
    /// An account with no user (`ORPHAN_ACCOUNT`).
    #[serde(rename = "ORPHAN_ACCOUNT")]
    Orphan,
    /// A shared account with member users and one owner (`PUBLIC_ACCOUNT`).
    #[serde(rename = "PUBLIC_ACCOUNT")]
    Public,
}

impl AccountType {
    /// The name the API uses: `BASIC_ACCOUNT`, `ORPHAN_ACCOUNT` or
    /// `PUBLIC_ACCOUNT`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountType::Basic => "BASIC_ACCOUNT",
            AccountType::Orphan => "ORPHAN_ACCOUNT",
            AccountType::Public => "PUBLIC_ACCOUNT",
        }
    }

    /// The type with this API name.
    pub fn from_name(name: &str) -> Option<AccountType> {
        [AccountType::Basic, AccountType::Orphan, AccountType::Public]
            .into_iter()
            .find(|t| t.as_str() == name)
    }
}

/// An account to add through the admin API ([`crate::MockServer::add_account`]):
/// any type with any fields, checked against nothing. As JSON (`POST
/// /__mock/accounts`) only `account_type` and `account_name` are required.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct NewAccount {
    /// Its id; `None` generates one in the service's style.
    #[serde(default)]
    pub id: Option<String>,
    /// Its type.
    pub account_type: AccountType,
    /// The login name in the application.
    pub account_name: String,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Application organization id (see [`APP_ORGANIZATIONS`]).
    #[serde(default)]
    pub org_id: Option<String>,
    /// Whether it is disabled.
    #[serde(default)]
    pub disabled: bool,
    /// Stored, never answered; `None` (or `""`) for no password.
    #[serde(default)]
    pub password: Option<String>,
    /// Custom attributes, answered as given (normally an object).
    #[serde(default = "empty_object")]
    pub extension: Value,
    /// The user id of a basic account's user.
    #[serde(default)]
    pub user_id: Option<String>,
    /// A public account's owner (a user name).
    #[serde(default)]
    pub owner: Option<String>,
    /// A public account's member users (user names); duplicates are
    /// dropped.
    #[serde(default)]
    pub users: Vec<String>,
}

fn empty_object() -> Value {
    Value::Object(Default::default())
}

impl NewAccount {
    /// An account of this type and name, every other field empty.
    pub fn new(account_type: AccountType, account_name: &str) -> NewAccount {
        NewAccount {
            id: None,
            account_type,
            account_name: account_name.to_owned(),
            name: None,
            org_id: None,
            disabled: false,
            password: None,
            extension: empty_object(),
            user_id: None,
            owner: None,
            users: Vec::new(),
        }
    }
}

/// An account as the mock holds it ([`crate::MockServer::account`]), for
/// test assertions. The password itself is left out: see
/// [`crate::MockServer::password_is`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AccountInfo {
    /// Its id, the one in the URLs.
    pub id: String,
    /// Its type.
    pub account_type: AccountType,
    /// The login name in the application.
    pub account_name: String,
    /// Display name.
    pub name: Option<String>,
    /// Application organization id.
    pub org_id: Option<String>,
    /// Whether it is disabled.
    pub disabled: bool,
    /// Whether a (non-empty) password is stored.
    pub has_password: bool,
    /// Custom attributes as stored.
    pub extension: Value,
    /// The user id of a basic account's user.
    pub user_id: Option<String>,
    /// A public account's owner (a user name).
    pub owner: Option<String>,
    /// A public account's member users (user names), in binding order.
    pub users: Vec<String>,
}

/// One account.
#[derive(Clone, Debug)]
pub(crate) struct Account {
    pub id: String,
    pub account_type: AccountType,
    pub account_name: String,
    pub name: Option<String>,
    pub org_id: Option<String>,
    pub disabled: bool,
    /// `None` for no password; `""` is never stored.
    pub password: Option<String>,
    /// Kept as the request's bytes, so it is answered exactly as given.
    pub extension: Box<RawValue>,
    /// Basic accounts: the user's id.
    pub user_id: Option<String>,
    /// Public accounts: the owner's user name.
    pub owner: Option<String>,
    /// Public accounts: member user names, in binding order, no duplicates.
    pub users: Vec<String>,
}

/// `{}`, the extension of an account created without one.
pub(crate) fn empty_extension() -> Box<RawValue> {
    RawValue::from_string("{}".to_owned()).expect("{} is JSON")
}

impl Account {
    /// An account with this id, type and name, every other field empty.
    pub fn new(id: String, account_type: AccountType, account_name: String) -> Account {
        Account {
            id,
            account_type,
            account_name,
            name: None,
            org_id: None,
            disabled: false,
            password: None,
            extension: empty_extension(),
            user_id: None,
            owner: None,
            users: Vec::new(),
        }
    }

    /// From the admin API's description, with this id.
    pub fn from_new(id: String, new: NewAccount) -> Account {
        let mut account = Account::new(id, new.account_type, new.account_name);
        account.name = new.name;
        account.org_id = new.org_id;
        account.disabled = new.disabled;
        account.set_password(new.password);
        account.extension =
            RawValue::from_string(new.extension.to_string()).expect("a Value serializes to JSON");
        account.user_id = new.user_id;
        account.owner = new.owner;
        for user in new.users {
            account.add_user(user);
        }
        account
    }

    /// What the admin API shows of it.
    pub fn info(&self) -> AccountInfo {
        AccountInfo {
            id: self.id.clone(),
            account_type: self.account_type,
            account_name: self.account_name.clone(),
            name: self.name.clone(),
            org_id: self.org_id.clone(),
            disabled: self.disabled,
            has_password: self.password.is_some(),
            extension: serde_json::from_str(self.extension.get()).expect("stored extensions parse"),
            user_id: self.user_id.clone(),
            owner: self.owner.clone(),
            users: self.users.clone(),
        }
    }

    /// Sets the password; `""` means none, as the documented examples send
    /// it for "no password".
    pub fn set_password(&mut self, password: Option<String>) {
        self.password = password.filter(|p| !p.is_empty());
    }

    /// Adds a member user unless it is one already.
    pub fn add_user(&mut self, user_name: String) {
        if !self.users.contains(&user_name) {
            self.users.push(user_name);
        }
    }

    pub fn is_public(&self) -> bool {
        self.account_type == AccountType::Public
    }
}

/// An application's accounts by id, in insertion order.
pub(crate) type Accounts = IndexMap<String, Account>;
