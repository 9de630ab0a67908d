//! The audit of an application's public accounts: the ones with no owner,
//! a disabled owner, disabled members or no members, found one account at
//! a time as the list is walked.

use std::collections::VecDeque;
use std::fmt;

use serde::Serialize;

use crate::accounts::{Account, AccountType};
use crate::client::Client;
use crate::error::Result;
use crate::paging::{Items, DEFAULT_PAGE_SIZE};

/// What needs attention on a public account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// Nobody owns the account.
    NoOwner,
    /// The owner's user is disabled.
    DisabledOwner,
    /// Some members' users are disabled.
    DisabledMembers,
    /// Nobody may use the account.
    NoMembers,
}

impl FindingKind {
    /// Every kind, in the order an account's findings come in.
    pub const ALL: [FindingKind; 4] = [
        FindingKind::NoOwner,
        FindingKind::DisabledOwner,
        FindingKind::DisabledMembers,
        FindingKind::NoMembers,
    ];

    /// `"no_owner"`, `"disabled_owner"`, `"disabled_members"` or
    /// `"no_members"`.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::NoOwner => "no_owner",
            FindingKind::DisabledOwner => "disabled_owner",
            FindingKind::DisabledMembers => "disabled_members",
            FindingKind::NoMembers => "no_members",
        }
    }
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing that needs attention on one public account.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Finding {
    /// The application.
    pub app_id: String,
    /// The public account's id.
    pub account_id: String,
    /// The public account's name.
    pub account_name: String,
    /// What is wrong.
    pub kind: FindingKind,
    /// The users concerned: the disabled owner, or the disabled members
    /// (in the service's order); empty for the other kinds.
    pub user_names: Vec<String>,
}

/// The findings of [`Client::audit_public_accounts`], account by account.
/// Only the account being looked at is held (its owner and its disabled
/// members), whatever the size of the application. After an error it
/// ends.
pub struct Audit {
    client: Client,
    app_id: String,
    accounts: Items<Account>,
    pending: VecDeque<Finding>,
    failed: bool,
}

impl fmt::Debug for Audit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Audit")
            .field("app_id", &self.app_id)
            .field("pending", &self.pending.len())
            .finish_non_exhaustive()
    }
}

impl Audit {
    /// Every finding of one account, in [`FindingKind::ALL`]'s order.
    fn examine(&self, account: Account) -> Result<Vec<Finding>> {
        let finding = |kind, user_names| Finding {
            app_id: self.app_id.clone(),
            account_id: account.id.clone(),
            account_name: account.account_name.clone(),
            kind,
            user_names,
        };
        let mut findings = Vec::new();
        match self
            .client
            .find_public_account_owner(&self.app_id, &account.id)?
        {
            Some(owner) if owner.disabled => {
                findings.push(finding(FindingKind::DisabledOwner, vec![owner.user_name]))
            }
            Some(_) => {}
            None => findings.push(finding(FindingKind::NoOwner, Vec::new())),
        }
        let mut members = 0usize;
        let mut disabled = Vec::new();
        for user in
            self.client
                .iter_public_account_users(&self.app_id, &account.id, DEFAULT_PAGE_SIZE)
        {
            let user = user?;
            members += 1;
            if user.disabled {
                disabled.push(user.user_name);
            }
        }
        if !disabled.is_empty() {
            findings.push(finding(FindingKind::DisabledMembers, disabled));
        }
        if members == 0 {
            findings.push(finding(FindingKind::NoMembers, Vec::new()));
        }
        Ok(findings)
    }
}

impl Iterator for Audit {
    type Item = Result<Finding>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(finding) = self.pending.pop_front() {
                return Some(Ok(finding));
            }
            if self.failed {
                return None;
            }
            let outcome = self
                .accounts
                .next()?
                .and_then(|account| self.examine(account));
            match outcome {
                Ok(findings) => self.pending.extend(findings),
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
        }
    }
}

impl Client {
    /// Audits every public account of application `app_id`: one
    /// [`Finding`] per problem (no owner, a disabled owner, disabled
    /// members, no members), fetched lazily, account by account, in the
    /// list's order. Costs the list's pages plus, per account, the owner
    /// query and the member list's pages.
    pub fn audit_public_accounts(&self, app_id: &str) -> Audit {
        Audit {
            client: self.clone(),
            app_id: app_id.to_owned(),
            accounts: self.iter_accounts(app_id, Some(AccountType::Public), DEFAULT_PAGE_SIZE),
            pending: VecDeque::new(),
            failed: false,
        }
    }
}
