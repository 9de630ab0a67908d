//! The account-family calls under `applications/{app_id}/accounts`: create,
//! get, list, update, disable/enable and delete any account, and a public
//! account's members and owner, with the documented success statuses and
//! error codes.

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::accounts::{self, Account, AccountType, Accounts};
use crate::api::AccountCall;
use crate::errors::*;
use crate::http::{Request, Response};
use crate::paging::Page;
use crate::tenant::{new_id, Tenant};

/// Answers an account-family call (already authenticated).
pub(crate) fn respond(
    call: &AccountCall<'_>,
    app_id: &str,
    req: &Request,
    tenant: &mut Tenant,
) -> Response {
    let answer = match call {
        AccountCall::List => list(req, app_id, tenant),
        AccountCall::Create(account_type) => create(req, app_id, *account_type, tenant),
        AccountCall::Owner(id) if req.method == "POST" => bind_owner(req, app_id, id, tenant),
        AccountCall::Owner(id) => owner(app_id, id, tenant),
        AccountCall::Members(id) => members(req, app_id, id, tenant),
        AccountCall::Bind(id) => bind(req, app_id, id, tenant),
        AccountCall::Unbind(id) => unbind(req, app_id, id, tenant),
        AccountCall::One(id) => match req.method.as_str() {
            "GET" => get(app_id, id, tenant),
            "PUT" => update(req, app_id, id, tenant),
            _ => delete(app_id, id, tenant),
        },
        AccountCall::SetDisabled(id, disabled) => set_disabled(app_id, id, *disabled, tenant),
    };
    answer.unwrap_or_else(eiam_error)
}

/// What an account call answers.
type Answer = Result<Response, Code>;

#[derive(Serialize)]
struct AccountIdBody<'a> {
    account_id: &'a str,
}

/// `{"account_id": id}` with this status.
fn account_id(status: u16, id: &str) -> Answer {
    Ok(Response::json(status, &AccountIdBody { account_id: id }))
}

/// An application's accounts: a blank id gives APP.0006, an unknown one
/// `no_app` (the documented code differs between calls).
fn accounts_of<'t>(
    apps: &'t mut HashMap<String, Accounts>,
    app_id: &str,
    no_app: Code,
) -> Result<&'t mut Accounts, Code> {
    if app_id.trim().is_empty() {
        return Err(APP_ID_EMPTY);
    }
    apps.get_mut(app_id).ok_or(no_app)
}

/// The account a call names: as [`accounts_of`], then a blank account id
/// gives APP.ACCOUNT.0047 and an unknown one `no_account`.
fn account_of<'t>(
    apps: &'t mut HashMap<String, Accounts>,
    app_id: &str,
    account_id: &str,
    no_app: Code,
    no_account: Code,
) -> Result<&'t mut Account, Code> {
    let accounts = accounts_of(apps, app_id, no_app)?;
    given(account_id)?;
    accounts.get_mut(account_id).ok_or(no_account)
}

/// A blank account id is APP.ACCOUNT.0047.
fn given(account_id: &str) -> Result<(), Code> {
    if account_id.trim().is_empty() {
        Err(ACCOUNT_ID_EMPTY)
    } else {
        Ok(())
    }
}

/// A public account: as [`account_of`], and an account that is not public
/// is as missing (APP.ACCOUNT.0038).
fn public_account_of<'t>(
    apps: &'t mut HashMap<String, Accounts>,
    app_id: &str,
    account_id: &str,
    no_app: Code,
) -> Result<&'t mut Account, Code> {
    let account = account_of(apps, app_id, account_id, no_app, PUBLIC_ACCOUNT_NOT_FOUND)?;
    if account.is_public() {
        Ok(account)
    } else {
        Err(PUBLIC_ACCOUNT_NOT_FOUND)
    }
}

/// A JSON object body as `T`; anything else (not JSON, not an object, a
/// field of the wrong type) is BAD_BODY.
fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, Code> {
    let is_object = body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{');
    if !is_object {
        return Err(BAD_BODY);
    }
    serde_json::from_slice(body).map_err(|_| BAD_BODY)
}

/// The body of create and update; every field optional on the wire.
#[derive(Deserialize)]
struct AccountFields {
    account_name: Option<String>,
    user_id: Option<String>,
    name: Option<String>,
    org_code: Option<String>,
    password: Option<String>,
    disabled: Option<bool>,
    extension: Option<Box<RawValue>>,
}

impl AccountFields {
    /// A non-blank `account_name`, else APP.ACCOUNT.0001.
    fn required_name(&mut self) -> Result<String, Code> {
        self.account_name
            .take()
            .filter(|name| !name.trim().is_empty())
            .ok_or(ACCOUNT_NAME_EMPTY)
    }

    /// Changes the fields present (a partial update), all or none:
    /// `org_code` is resolved first (unknown: APP.ORG.0024; empty: no
    /// organization), and an `extension` that is not an object is BAD_BODY.
    fn apply(self, account: &mut Account) -> Result<(), Code> {
        let org_id = match self.org_code.as_deref() {
            None => None,
            Some("") => Some(None),
            Some(code) => Some(Some(accounts::org_id(code).ok_or(ORG_NOT_FOUND)?)),
        };
        if let Some(extension) = &self.extension {
            if !extension.get().starts_with('{') {
                return Err(BAD_BODY);
            }
        }
        if let Some(org_id) = org_id {
            account.org_id = org_id.map(str::to_owned);
        }
        if let Some(name) = self.name {
            account.name = Some(name);
        }
        if let Some(password) = self.password {
            account.set_password(Some(password));
        }
        if let Some(disabled) = self.disabled {
            account.disabled = disabled;
        }
        if let Some(extension) = self.extension {
            account.extension = extension;
        }
        Ok(())
    }
}

/// `POST public-account`, `basic-account`, `orphan-account` → 201. A basic
/// account's `user_id` must be a user's (else USER.0001) and its
/// `account_name` defaults to that user's name; the other two require an
/// `account_name`.
fn create(req: &Request, app_id: &str, account_type: AccountType, tenant: &mut Tenant) -> Answer {
    let mut fields: AccountFields = parse_body(&req.body)?;
    let accounts = accounts_of(&mut tenant.apps, app_id, APP_NOT_FOUND)?;
    let (account_name, user_id) = if account_type == AccountType::Basic {
        let user_id = fields.user_id.take().unwrap_or_default();
        let user_name = tenant
            .users
            .iter()
            .find(|(_, user)| user.user_id == user_id)
            .map(|(name, _)| name.clone())
            .ok_or(USER_NOT_FOUND)?;
        let account_name = fields.required_name().unwrap_or(user_name);
        (account_name, Some(user_id))
    } else {
        (fields.required_name()?, None)
    };
    let mut account = Account::new(new_id(), account_type, account_name);
    account.user_id = user_id;
    fields.apply(&mut account)?;
    let id = account.id.clone();
    accounts.insert(id.clone(), account);
    account_id(201, &id)
}

/// `PUT {id}` → 201: a partial update; `account_name` is required.
fn update(req: &Request, app_id: &str, id: &str, tenant: &mut Tenant) -> Answer {
    let mut fields: AccountFields = parse_body(&req.body)?;
    let account = account_of(
        &mut tenant.apps,
        app_id,
        id,
        APP_NOT_FOUND,
        ACCOUNT_NOT_FOUND,
    )?;
    let account_name = fields.required_name()?;
    fields.apply(account)?;
    account.account_name = account_name;
    account_id(201, id)
}

/// `PUT {id}/disable` and `{id}/enable` → 200. Their documented errors are
/// APP.ACCOUNT.0028 only, so an unknown application gives it too.
fn set_disabled(app_id: &str, id: &str, disabled: bool, tenant: &mut Tenant) -> Answer {
    let account = account_of(
        &mut tenant.apps,
        app_id,
        id,
        ACCOUNT_NOT_FOUND,
        ACCOUNT_NOT_FOUND,
    )?;
    account.disabled = disabled;
    account_id(200, id)
}

/// `DELETE {id}` → 204 with no body, for any account type.
fn delete(app_id: &str, id: &str, tenant: &mut Tenant) -> Answer {
    let accounts = accounts_of(&mut tenant.apps, app_id, APP_NOT_FOUND)?;
    given(id)?;
    // shift_remove keeps the others in order, so paging stays stable.
    accounts.shift_remove(id).ok_or(ACCOUNT_NOT_FOUND)?;
    Ok(Response::no_content())
}

/// An account as get and list answer it; the password is never part of
/// it.
#[derive(Serialize)]
struct AccountBody<'a> {
    id: &'a str,
    account_name: &'a str,
    name: Option<&'a str>,
    org_id: Option<&'a str>,
    account_type: AccountType,
    disabled: bool,
    /// Always null: the mock keeps no account managers.
    attr_manager_id: Option<&'a str>,
    extension: &'a RawValue,
}

impl<'a> From<&'a Account> for AccountBody<'a> {
    fn from(account: &'a Account) -> Self {
        AccountBody {
            id: &account.id,
            account_name: &account.account_name,
            name: account.name.as_deref(),
            org_id: account.org_id.as_deref(),
            account_type: account.account_type,
            disabled: account.disabled,
            attr_manager_id: None,
            extension: &account.extension,
        }
    }
}

/// `GET {id}` → 200, the account. Its documented error is
/// `" APP.ACCOUNT. 0028"` (inner space included), for an unknown
/// application too.
fn get(app_id: &str, id: &str, tenant: &mut Tenant) -> Answer {
    let account = account_of(
        &mut tenant.apps,
        app_id,
        id,
        ACCOUNT_NOT_FOUND_ON_GET,
        ACCOUNT_NOT_FOUND_ON_GET,
    )?;
    Ok(Response::json(200, &AccountBody::from(&*account)))
}

#[derive(Serialize)]
struct AccountList<'a> {
    total: usize,
    accounts: Vec<AccountBody<'a>>,
}

/// `GET ?account_type=&offset=&limit=` → 200 `{total, accounts}`, in
/// creation order; an empty or absent `account_type` lists every type,
/// an unknown one gives APP.ACCOUNT.0045.
fn list(req: &Request, app_id: &str, tenant: &mut Tenant) -> Answer {
    let accounts = accounts_of(&mut tenant.apps, app_id, APP_NOT_FOUND)?;
    let wanted = match req.param("account_type").as_deref() {
        None | Some("") => None,
        Some(name) => Some(AccountType::from_name(name).ok_or(ACCOUNT_TYPE_BAD)?),
    };
    let page = Page::from_query(req)?;
    let matching = || {
        accounts
            .values()
            .filter(|a| wanted.is_none_or(|t| a.account_type == t))
    };
    let body = AccountList {
        total: matching().count(),
        accounts: page.of(matching()).map(AccountBody::from).collect(),
    };
    Ok(Response::json(200, &body))
}

/// The body of bind and unbind. A missing or non-list `user_names` is
/// BAD_BODY; an empty list changes nothing.
#[derive(Deserialize)]
struct UserNames {
    user_names: Vec<String>,
}

/// `POST public-account/{id}/users/bind` → 200. Every user name must be a
/// user's (else USER.0001 and nothing is bound; the service's answer is
/// undocumented); users bound already stay where they are.
fn bind(req: &Request, app_id: &str, id: &str, tenant: &mut Tenant) -> Answer {
    let UserNames { user_names } = parse_body(&req.body)?;
    let account = public_account_of(&mut tenant.apps, app_id, id, APP_NOT_FOUND)?;
    if !user_names.iter().all(|n| tenant.users.contains_key(n)) {
        return Err(USER_NOT_FOUND);
    }
    for user_name in user_names {
        account.add_user(user_name);
    }
    account_id(200, id)
}

/// `POST public-account/{id}/users/unbind` → 200. Names that are not
/// members (or not users) are ignored.
fn unbind(req: &Request, app_id: &str, id: &str, tenant: &mut Tenant) -> Answer {
    let UserNames { user_names } = parse_body(&req.body)?;
    let account = public_account_of(&mut tenant.apps, app_id, id, APP_NOT_FOUND)?;
    account.users.retain(|member| !user_names.contains(member));
    account_id(200, id)
}

/// A member as the members list answers it: camelCase `userName`, unlike
/// the rest of the API.
#[derive(Serialize)]
struct MemberBody<'a> {
    id: &'a str,
    #[serde(rename = "userName")]
    user_name: &'a str,
    disabled: bool,
}

#[derive(Serialize)]
struct MemberList<'a> {
    total: usize,
    associated_users: Vec<MemberBody<'a>>,
}

/// `GET public-account/{id}/users?offset=&limit=` → 200 `{total,
/// associated_users}` in binding order. Its documented errors are
/// APP.ACCOUNT.0038 and OAP.PAGE.*, so an unknown application gives 0038.
/// Members that are not users of the tenant (only the admin API can add
/// such) are left out.
fn members(req: &Request, app_id: &str, id: &str, tenant: &mut Tenant) -> Answer {
    let account = public_account_of(&mut tenant.apps, app_id, id, PUBLIC_ACCOUNT_NOT_FOUND)?;
    let page = Page::from_query(req)?;
    let users = &tenant.users;
    let all: Vec<MemberBody> = account
        .users
        .iter()
        .filter_map(|name| {
            let user = users.get(name)?;
            Some(MemberBody {
                id: &user.user_id,
                user_name: name,
                disabled: user.disabled,
            })
        })
        .collect();
    let body = MemberList {
        total: all.len(),
        associated_users: page.of(all.into_iter()).collect(),
    };
    Ok(Response::json(200, &body))
}

#[derive(Serialize)]
struct OwnerBody<'a> {
    user_id: &'a str,
    user_name: &'a str,
    disabled: bool,
}

/// `GET public-account/{id}/owner` → 200 the owner, or APP.ACCOUNT.0037.
fn owner(app_id: &str, id: &str, tenant: &mut Tenant) -> Answer {
    let account = public_account_of(&mut tenant.apps, app_id, id, APP_NOT_FOUND)?;
    let (user_name, user) = account
        .owner
        .as_deref()
        .and_then(|name| Some((name, tenant.users.get(name)?)))
        .ok_or(OWNER_NOT_FOUND)?;
    Ok(Response::json(
        200,
        &OwnerBody {
            user_id: &user.user_id,
            user_name,
            disabled: user.disabled,
        },
    ))
}

/// `POST public-account/{id}/owner` → 200. Binding again replaces the
/// owner; a disabled user can own.
fn bind_owner(req: &Request, app_id: &str, id: &str, tenant: &mut Tenant) -> Answer {
    let user_name = user_name(&req.body)?;
    let account = public_account_of(&mut tenant.apps, app_id, id, APP_NOT_FOUND)?;
    if !tenant.users.contains_key(&user_name) {
        return Err(OWNER_NOT_FOUND);
    }
    account.owner = Some(user_name);
    account_id(200, id)
}

/// The `user_name` of an owner bind's body.
fn user_name(body: &[u8]) -> Result<String, Code> {
    use serde_json::Value;
    let Ok(Value::Object(mut fields)) = serde_json::from_slice(body) else {
        return Err(BAD_BODY);
    };
    match fields.remove("user_name") {
        Some(Value::String(name)) if !name.trim().is_empty() => Ok(name),
        _ => Err(USER_NAME_EMPTY),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_bind_bodies_are_checked() {
        assert_eq!(user_name(br#"{"user_name":"lisi"}"#), Ok("lisi".into()));
        assert_eq!(user_name(br#"{"user_name":" "}"#), Err(USER_NAME_EMPTY));
        assert_eq!(user_name(br#"{"user_name":7}"#), Err(USER_NAME_EMPTY));
        assert_eq!(user_name(b"{}"), Err(USER_NAME_EMPTY));
        assert_eq!(user_name(b"{oops"), Err(BAD_BODY));
        assert_eq!(user_name(b"[1]"), Err(BAD_BODY));
    }

    #[test]
    fn account_bodies_must_be_objects_with_an_object_extension() {
        let fields = |body: &str| parse_body::<AccountFields>(body.as_bytes()).map(|_| ());
        assert_eq!(fields(r#" {"account_name":"a"}"#), Ok(()));
        assert_eq!(fields(r#"["a"]"#), Err(BAD_BODY));
        assert_eq!(fields(r#"{"disabled":"yes"}"#), Err(BAD_BODY));
        assert_eq!(fields(""), Err(BAD_BODY));
        let mut account = Account::new("x".into(), AccountType::Orphan, "x".into());
        let apply = |body: &str, account: &mut Account| {
            parse_body::<AccountFields>(body.as_bytes())
                .unwrap()
                .apply(account)
        };
        assert_eq!(
            apply(r#"{"extension":[1],"name":"n"}"#, &mut account),
            Err(BAD_BODY)
        );
        assert_eq!(
            apply(r#"{"org_code":"nope","name":"n"}"#, &mut account),
            Err(ORG_NOT_FOUND)
        );
        assert_eq!(account.name, None, "nothing applied after an error");
        assert_eq!(apply(r#"{"org_code":"root"}"#, &mut account), Ok(()));
        assert_eq!(account.org_id.as_deref(), accounts::org_id("root"));
        assert_eq!(apply(r#"{"org_code":""}"#, &mut account), Ok(()));
        assert_eq!(account.org_id, None);
    }
}
