//! Carrying out a plan: one bulk-engine item per account, its steps in
//! order, a failed step stopping the ones after it. Creates go through the
//! core's create call, which is never sent twice unless the first
//! certainly did not arrive; a later run plans from the tenant again, so
//! an account created once is found by name and never created again.

use std::ops::ControlFlow;

use eiam::{AccountFields, Client, ErrorKind};

use super::plan::{AccountPlan, Plan, Step};

/// What became of one step.
pub enum Outcome {
    /// Done; the account's id.
    Ok(String),
    Failed(eiam::Error),
    /// Not tried: an earlier step of its account failed, or the job
    /// stopped first.
    NotStarted,
}

/// Every step's outcome, by account then step, in plan order; and the
/// authentication error that stopped the job, if one did.
pub fn run(
    client: &Client,
    plan: &Plan,
    concurrency: usize,
    mut on_account: impl FnMut() + Send,
) -> (Vec<Vec<Outcome>>, Option<eiam::Error>) {
    let mut outcomes: Vec<Option<Vec<Outcome>>> = plan.accounts.iter().map(|_| None).collect();
    let mut stopped = None;
    eiam::run_bulk(
        plan.accounts.iter(),
        concurrency,
        |account| run_account(client, account),
        |done| {
            on_account();
            let auth = done.result.iter().find_map(|o| match o {
                Outcome::Failed(e) if e.kind() == ErrorKind::Auth => Some(e.clone()),
                _ => None,
            });
            outcomes[done.index] = Some(done.result);
            match auth {
                Some(e) => {
                    stopped.get_or_insert(e);
                    ControlFlow::Break(())
                }
                None => ControlFlow::Continue(()),
            }
        },
    );
    let outcomes = outcomes
        .into_iter()
        .zip(&plan.accounts)
        .map(|(o, a)| o.unwrap_or_else(|| a.steps.iter().map(|_| Outcome::NotStarted).collect()))
        .collect();
    (outcomes, stopped)
}

fn run_account(client: &Client, account: &AccountPlan) -> Vec<Outcome> {
    let mut id = account.account_id.clone();
    let mut outcomes = Vec::with_capacity(account.steps.len());
    for step in &account.steps {
        if matches!(
            outcomes.last(),
            Some(Outcome::Failed(_) | Outcome::NotStarted)
        ) {
            outcomes.push(Outcome::NotStarted);
            continue;
        }
        let result = match (step, id.as_deref()) {
            (Step::Create { disabled }, _) => client.create_public_account(
                &account.app_id,
                &account.account_name,
                &AccountFields {
                    disabled: Some(*disabled),
                    ..AccountFields::default()
                },
            ),
            (_, None) => Err(eiam::Error::internal("a step before the account exists")),
            (Step::Enable, Some(id)) => client.enable_account(&account.app_id, id),
            (Step::Disable, Some(id)) => client.disable_account(&account.app_id, id),
            (Step::SetOwner { to, .. }, Some(id)) => {
                client.bind_public_account_owner(&account.app_id, id, to)
            }
            (Step::AddMembers(names), Some(id)) => {
                client.add_public_account_users(&account.app_id, id, names)
            }
            (Step::RemoveMembers(names), Some(id)) => {
                client.remove_public_account_users(&account.app_id, id, names)
            }
        };
        outcomes.push(match result {
            Ok(account_id) => {
                id.get_or_insert_with(|| account_id.clone());
                Outcome::Ok(account_id)
            }
            Err(e) => Outcome::Failed(e),
        });
    }
    outcomes
}
