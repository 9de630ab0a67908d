//! Carrying out a plan as a bulk job (`crate::job`: its report, interrupt
//! and summary): one row per account, its steps in order, a failed step
//! stopping the ones after it.
//!
//! Creates go through the core's create call, which is never sent twice
//! unless the first certainly did not arrive. A run that stops early is
//! resumed by running `apply` again: it plans from the tenant, so what was
//! done is not planned again, and an account once created is found by
//! name and never created a second time.

use eiam::{AccountFields, Client};

use super::plan::{AccountPlan, Plan, Step};
use crate::job::{Job, Row, RowError, RowResult};

/// The report's columns after `line`.
const COLUMNS: &[&str] = &["app_id", "account_name", "changes"];

pub struct ApplyJob;

impl Job for ApplyJob {
    type Item = AccountPlan;

    fn columns(&self) -> &'static [&'static str] {
        COLUMNS
    }

    fn done_word(&self) -> &'static str {
        "applied"
    }

    fn call(&self, client: &Client, account: &AccountPlan, _recheck: bool) -> RowResult {
        let mut id = account.account_id.clone();
        for (done, step) in account.steps.iter().enumerate() {
            let result = run_step(client, account, step, id.as_deref());
            match result {
                Ok(account_id) => {
                    id.get_or_insert(account_id);
                }
                Err(e) => {
                    let left = account.steps.len() - done - 1;
                    return Err(RowError::from(e).in_context(&format!(
                        "{} failed{}",
                        step.action(),
                        if left > 0 {
                            format!(" ({left} later change(s) not made)")
                        } else {
                            String::new()
                        }
                    )));
                }
            }
        }
        Ok(id.unwrap_or_default())
    }
}

fn run_step(
    client: &Client,
    account: &AccountPlan,
    step: &Step,
    id: Option<&str>,
) -> eiam::Result<String> {
    let app = account.app_id.as_str();
    let Some(id) = id else {
        return match step {
            Step::Create { disabled } => client.create_public_account(
                app,
                &account.account_name,
                &AccountFields {
                    disabled: Some(*disabled),
                    ..AccountFields::default()
                },
            ),
            _ => Err(eiam::Error::internal(
                "a change planned before the account exists",
            )),
        };
    };
    match step {
        Step::Create { .. } => Err(eiam::Error::internal(
            "a create planned for an account that exists",
        )),
        Step::Enable => client.enable_account(app, id),
        Step::Disable => client.disable_account(app, id),
        Step::SetOwner { to, .. } => client.bind_public_account_owner(app, id, to),
        Step::AddMembers(names) => client.add_public_account_users(app, id, names),
        Step::RemoveMembers(names) => client.remove_public_account_users(app, id, names),
    }
}

/// The job's rows: one per account with changes, numbered by the desired
/// file's line; a pruned account (no line) takes a number after the last
/// one, in plan order, so every row has its own.
pub fn rows(plan: Plan, last_line: u64) -> impl Iterator<Item = Row<AccountPlan>> + Send {
    let mut next_free = last_line;
    plan.accounts.into_iter().map(move |account| {
        let line = account.line.unwrap_or_else(|| {
            next_free += 1;
            next_free
        });
        let changes: Vec<String> = account
            .steps
            .iter()
            .map(|s| match s.detail() {
                d if d.is_empty() => s.action().to_owned(),
                d => format!("{} {d}", s.action()),
            })
            .collect();
        Row {
            line,
            fields: vec![
                account.app_id.clone(),
                account.account_name.clone(),
                changes.join(", "),
            ],
            item: Ok(account),
        }
    })
}
