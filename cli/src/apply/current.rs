//! Reading the tenant's current state for a plan: the public accounts of
//! every application the file names (the list), and the owner and members
//! of the accounts the file manages them for, read concurrently.

use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;

use eiam::{AccountType, Client, DEFAULT_PAGE_SIZE};

use super::plan::{Current, Desired};

/// What to read about one account.
struct Details {
    index: usize,
    owner: bool,
    members: bool,
}

pub fn read(
    client: &Client,
    desired: &[Desired],
    concurrency: usize,
) -> eiam::Result<Vec<Current>> {
    let mut apps: Vec<&str> = Vec::new();
    for row in desired {
        if !apps.contains(&row.app_id.as_str()) {
            apps.push(&row.app_id);
        }
    }
    let mut current = Vec::new();
    for app_id in apps {
        for account in client.iter_accounts(app_id, Some(AccountType::Public), DEFAULT_PAGE_SIZE) {
            let account = account?;
            current.push(Current {
                app_id: app_id.to_owned(),
                id: account.id,
                account_name: account.account_name,
                disabled: account.disabled,
                owner: None,
                members: Default::default(),
            });
        }
    }
    let managed: HashMap<(&str, &str), &Desired> = desired
        .iter()
        .map(|d| ((d.app_id.as_str(), d.account_name.as_str()), d))
        .collect();
    let wanted: Vec<Details> = current
        .iter()
        .enumerate()
        .filter_map(|(index, a)| {
            let row = managed.get(&(a.app_id.as_str(), a.account_name.as_str()))?;
            let details = Details {
                index,
                owner: row.owner.is_some(),
                members: row.members.is_some(),
            };
            (details.owner || details.members).then_some(details)
        })
        .collect();
    let mut failure: Option<eiam::Error> = None;
    let mut read = Vec::with_capacity(wanted.len());
    let snapshot = &current;
    eiam::run_bulk(
        wanted.into_iter(),
        concurrency,
        |d| details_of(client, &snapshot[d.index], d),
        |done| match done.result {
            Ok(found) => {
                read.push((done.item.index, found));
                ControlFlow::Continue(())
            }
            Err(e) => {
                failure.get_or_insert(e);
                ControlFlow::Break(())
            }
        },
    );
    if let Some(e) = failure {
        return Err(e);
    }
    for (index, (owner, members)) in read {
        current[index].owner = owner;
        current[index].members = members;
    }
    Ok(current)
}

type Found = (Option<String>, std::collections::BTreeSet<String>);

fn details_of(client: &Client, account: &Current, wanted: &Details) -> eiam::Result<Found> {
    let owner = if wanted.owner {
        client
            .find_public_account_owner(&account.app_id, &account.id)?
            .map(|owner| owner.user_name)
    } else {
        None
    };
    let mut members = std::collections::BTreeSet::new();
    if wanted.members {
        let mut seen = HashSet::new();
        for user in
            client.iter_public_account_users(&account.app_id, &account.id, DEFAULT_PAGE_SIZE)
        {
            let user = user?;
            if seen.insert(user.id) {
                members.insert(user.user_name);
            }
        }
    }
    Ok((owner, members))
}
