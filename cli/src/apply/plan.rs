//! The plan of `eiam apply`: what must change for the tenant's public
//! accounts to match the desired file. A pure function of the two states,
//! so it is tested without a server, and applying a plan and planning
//! again gives an empty plan.

use std::collections::{BTreeSet, HashMap};

/// One row of the desired file: a public account as it should be. A field
/// left `None` is not managed (the file has no such column, or the row
/// leaves it empty where "empty" cannot be meant as a value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Desired {
    /// The line of the file where the row starts.
    pub line: u64,
    pub app_id: String,
    pub account_name: String,
    /// The owner's user name. No call removes an owner, so there is no
    /// "no owner" to ask for.
    pub owner: Option<String>,
    /// Every member, by user name.
    pub members: Option<BTreeSet<String>>,
    pub disabled: Option<bool>,
}

/// A public account as the tenant has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Current {
    pub app_id: String,
    pub id: String,
    pub account_name: String,
    pub disabled: bool,
    pub owner: Option<String>,
    /// The members; read only for the accounts the file names.
    pub members: BTreeSet<String>,
}

/// One change to one account, in the order they are made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Create the account (disabled from the start if the file says so).
    Create {
        disabled: bool,
    },
    Enable,
    SetOwner {
        from: Option<String>,
        to: String,
    },
    AddMembers(Vec<String>),
    RemoveMembers(Vec<String>),
    Disable,
}

impl Step {
    /// The action's name in the plan and the report.
    pub fn action(&self) -> &'static str {
        match self {
            Step::Create { .. } => "create",
            Step::Enable => "enable",
            Step::SetOwner { .. } => "set_owner",
            Step::AddMembers(_) => "add_members",
            Step::RemoveMembers(_) => "remove_members",
            Step::Disable => "disable",
        }
    }

    /// What the action is about: the user names, the new owner, or
    /// nothing.
    pub fn detail(&self) -> String {
        match self {
            Step::Create { disabled: true } => "disabled".into(),
            Step::Create { disabled: false } | Step::Enable | Step::Disable => String::new(),
            Step::SetOwner { from, to } => match from {
                Some(from) => format!("{from} -> {to}"),
                None => format!("(none) -> {to}"),
            },
            Step::AddMembers(names) | Step::RemoveMembers(names) => names.join(";"),
        }
    }
}

/// The changes to one account, made in order; a failed step stops the
/// ones after it (an owner cannot be bound to an account whose create
/// failed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountPlan {
    /// The desired row's line; `None` for an account pruned because the
    /// file does not name it.
    pub line: Option<u64>,
    pub app_id: String,
    pub account_name: String,
    /// `None` until the account is created.
    pub account_id: Option<String>,
    pub steps: Vec<Step>,
}

/// Every change, account by account in the file's order (pruned accounts
/// last, in the tenant's order). Accounts that need no change are left
/// out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub accounts: Vec<AccountPlan>,
}

/// How many changes of each kind a plan holds; members count one per
/// user.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub create: usize,
    pub set_owner: usize,
    pub add_members: usize,
    pub remove_members: usize,
    pub disable: usize,
    pub enable: usize,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
    }

    pub fn steps(&self) -> impl Iterator<Item = (&AccountPlan, &Step)> {
        self.accounts
            .iter()
            .flat_map(|a| a.steps.iter().map(move |s| (a, s)))
    }

    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for (_, step) in self.steps() {
            match step {
                Step::Create { .. } => counts.create += 1,
                Step::Enable => counts.enable += 1,
                Step::SetOwner { .. } => counts.set_owner += 1,
                Step::AddMembers(names) => counts.add_members += names.len(),
                Step::RemoveMembers(names) => counts.remove_members += names.len(),
                Step::Disable => counts.disable += 1,
            }
        }
        counts
    }
}

/// Why no plan can be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Conflict {
    /// Two rows name the same account.
    Duplicate { line: u64, first_line: u64 },
    /// The tenant has more than one public account of that name, so the
    /// row cannot say which it means.
    Ambiguous { line: u64, ids: Vec<String> },
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Conflict::Duplicate { line, first_line } => write!(
                f,
                "line {line}: names the same account as line {first_line}"
            ),
            Conflict::Ambiguous { line, ids } => write!(
                f,
                "line {line}: the application has {} public accounts of this name ({}); \
                 rename all but one first",
                ids.len(),
                ids.join(", ")
            ),
        }
    }
}

/// The changes that make `current` match `desired`. Accounts the file
/// does not name are left alone, unless `prune`: then those of the
/// applications the file names are disabled (a reversible change; they
/// are never deleted). Accounts are matched by application and name.
pub fn plan(desired: &[Desired], current: &[Current], prune: bool) -> Result<Plan, Vec<Conflict>> {
    let mut by_name: HashMap<(&str, &str), Vec<&Current>> = HashMap::new();
    for account in current {
        by_name
            .entry((&account.app_id, &account.account_name))
            .or_default()
            .push(account);
    }
    let mut conflicts = Vec::new();
    let mut seen: HashMap<(&str, &str), u64> = HashMap::new();
    let mut named: BTreeSet<&str> = BTreeSet::new();
    let mut plan = Plan::default();
    for row in desired {
        let key = (row.app_id.as_str(), row.account_name.as_str());
        named.insert(&row.app_id);
        if let Some(&first_line) = seen.get(&key) {
            conflicts.push(Conflict::Duplicate {
                line: row.line,
                first_line,
            });
            continue;
        }
        seen.insert(key, row.line);
        let existing = match by_name.get(&key).map(Vec::as_slice) {
            None | Some([]) => None,
            Some([one]) => Some(*one),
            Some(many) => {
                conflicts.push(Conflict::Ambiguous {
                    line: row.line,
                    ids: many.iter().map(|a| a.id.clone()).collect(),
                });
                continue;
            }
        };
        let steps = steps_for(row, existing);
        if !steps.is_empty() {
            plan.accounts.push(AccountPlan {
                line: Some(row.line),
                app_id: row.app_id.clone(),
                account_name: row.account_name.clone(),
                account_id: existing.map(|a| a.id.clone()),
                steps,
            });
        }
    }
    if prune {
        for account in current {
            let key = (account.app_id.as_str(), account.account_name.as_str());
            if named.contains(key.0) && !seen.contains_key(&key) && !account.disabled {
                plan.accounts.push(AccountPlan {
                    line: None,
                    app_id: account.app_id.clone(),
                    account_name: account.account_name.clone(),
                    account_id: Some(account.id.clone()),
                    steps: vec![Step::Disable],
                });
            }
        }
    }
    if conflicts.is_empty() {
        Ok(plan)
    } else {
        Err(conflicts)
    }
}

fn steps_for(row: &Desired, existing: Option<&Current>) -> Vec<Step> {
    let empty = BTreeSet::new();
    let (owner, members, disabled) = match existing {
        Some(a) => (a.owner.as_deref(), &a.members, Some(a.disabled)),
        None => (None, &empty, None),
    };
    let mut steps = Vec::new();
    match (disabled, row.disabled) {
        (None, wanted) => steps.push(Step::Create {
            disabled: wanted.unwrap_or(false),
        }),
        (Some(true), Some(false)) => steps.push(Step::Enable),
        _ => {}
    }
    if let Some(to) = &row.owner {
        if owner != Some(to.as_str()) {
            steps.push(Step::SetOwner {
                from: owner.map(str::to_owned),
                to: to.clone(),
            });
        }
    }
    if let Some(wanted) = &row.members {
        let add: Vec<String> = wanted.difference(members).cloned().collect();
        let remove: Vec<String> = members.difference(wanted).cloned().collect();
        if !add.is_empty() {
            steps.push(Step::AddMembers(add));
        }
        if !remove.is_empty() {
            steps.push(Step::RemoveMembers(remove));
        }
    }
    if disabled == Some(false) && row.disabled == Some(true) {
        steps.push(Step::Disable);
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|n| (*n).to_owned()).collect()
    }

    fn want(line: u64, name: &str, owner: Option<&str>, members: Option<&[&str]>) -> Desired {
        Desired {
            line,
            app_id: "app".into(),
            account_name: name.into(),
            owner: owner.map(str::to_owned),
            members: members.map(names),
            disabled: None,
        }
    }

    fn have(id: &str, name: &str, owner: Option<&str>, members: &[&str]) -> Current {
        Current {
            app_id: "app".into(),
            id: id.into(),
            account_name: name.into(),
            disabled: false,
            owner: owner.map(str::to_owned),
            members: names(members),
        }
    }

    /// The state after `plan` is applied to `current`, as the tenant
    /// would hold it (new accounts get the id `new-<name>`).
    fn applied(current: &[Current], plan: &Plan) -> Vec<Current> {
        let mut state = current.to_vec();
        for account in &plan.accounts {
            let index = match &account.account_id {
                Some(id) => state.iter().position(|a| &a.id == id).unwrap(),
                None => {
                    state.push(Current {
                        app_id: account.app_id.clone(),
                        id: format!("new-{}", account.account_name),
                        account_name: account.account_name.clone(),
                        disabled: false,
                        owner: None,
                        members: BTreeSet::new(),
                    });
                    state.len() - 1
                }
            };
            let a = &mut state[index];
            for step in &account.steps {
                match step {
                    Step::Create { disabled } => a.disabled = *disabled,
                    Step::Enable => a.disabled = false,
                    Step::Disable => a.disabled = true,
                    Step::SetOwner { to, .. } => a.owner = Some(to.clone()),
                    Step::AddMembers(n) => a.members.extend(n.iter().cloned()),
                    Step::RemoveMembers(n) => n.iter().for_each(|u| {
                        a.members.remove(u);
                    }),
                }
            }
        }
        state
    }

    #[test]
    fn an_account_not_there_is_created_with_its_owner_and_members() {
        let desired = [want(2, "mailbox", Some("zhangsan"), Some(&["a", "b"]))];
        let plan = plan(&desired, &[], false).unwrap();
        assert_eq!(
            plan.accounts,
            [AccountPlan {
                line: Some(2),
                app_id: "app".into(),
                account_name: "mailbox".into(),
                account_id: None,
                steps: vec![
                    Step::Create { disabled: false },
                    Step::SetOwner {
                        from: None,
                        to: "zhangsan".into()
                    },
                    Step::AddMembers(vec!["a".into(), "b".into()]),
                ],
            }]
        );
        assert_eq!(
            plan.counts(),
            Counts {
                create: 1,
                set_owner: 1,
                add_members: 2,
                ..Counts::default()
            }
        );
    }

    #[test]
    fn owners_and_members_change_only_where_they_differ() {
        let current = [
            have("1", "same", Some("x"), &["a"]),
            have("2", "other-owner", Some("x"), &["a"]),
            have("3", "members", Some("x"), &["a", "b"]),
        ];
        let desired = [
            want(2, "same", Some("x"), Some(&["a"])),
            want(3, "other-owner", Some("y"), None),
            want(4, "members", None, Some(&["b", "c"])),
        ];
        let plan = plan(&desired, &current, false).unwrap();
        let steps: Vec<(&str, &[Step])> = plan
            .accounts
            .iter()
            .map(|a| (a.account_name.as_str(), a.steps.as_slice()))
            .collect();
        assert_eq!(
            steps,
            [
                (
                    "other-owner",
                    &[Step::SetOwner {
                        from: Some("x".into()),
                        to: "y".into()
                    }][..]
                ),
                (
                    "members",
                    &[
                        Step::AddMembers(vec!["c".into()]),
                        Step::RemoveMembers(vec!["a".into()])
                    ][..]
                ),
            ]
        );
    }

    #[test]
    fn disabled_is_managed_only_when_given() {
        let mut off = have("1", "off", None, &[]);
        off.disabled = true;
        let current = [
            off,
            have("2", "on", None, &[]),
            have("3", "left", None, &[]),
        ];
        let mut enable = want(2, "off", None, None);
        enable.disabled = Some(false);
        let mut disable = want(3, "on", None, None);
        disable.disabled = Some(true);
        let mut create = want(4, "new", None, None);
        create.disabled = Some(true);
        let desired = [enable, disable, create, want(5, "left", None, None)];
        let plan = plan(&desired, &current, false).unwrap();
        let steps: Vec<&[Step]> = plan.accounts.iter().map(|a| a.steps.as_slice()).collect();
        assert_eq!(
            steps,
            [
                &[Step::Enable][..],
                &[Step::Disable][..],
                &[Step::Create { disabled: true }][..]
            ]
        );
    }

    #[test]
    fn prune_disables_the_enabled_accounts_the_file_leaves_out() {
        let mut already = have("3", "already-off", None, &[]);
        already.disabled = true;
        let mut elsewhere = have("4", "elsewhere", None, &[]);
        elsewhere.app_id = "other-app".into();
        let current = [
            have("1", "kept", None, &[]),
            have("2", "extra", None, &[]),
            already,
            elsewhere,
        ];
        let desired = [want(2, "kept", None, None)];
        assert!(plan(&desired, &current, false).unwrap().is_empty());
        let pruned = plan(&desired, &current, true).unwrap();
        assert_eq!(
            pruned.accounts,
            [AccountPlan {
                line: None,
                app_id: "app".into(),
                account_name: "extra".into(),
                account_id: Some("2".into()),
                steps: vec![Step::Disable],
            }],
            "only the application the file names, only accounts still enabled"
        );
    }

    #[test]
    fn planning_again_after_applying_plans_nothing() {
        let current = [
            have("1", "a", Some("x"), &["u1", "u2"]),
            have("2", "b", None, &[]),
            have("3", "stray", None, &["u1"]),
        ];
        let mut b = want(3, "b", Some("y"), Some(&["u3"]));
        b.disabled = Some(true);
        let desired = [
            want(2, "a", Some("z"), Some(&["u2", "u4"])),
            b,
            want(4, "c", Some("x"), Some(&["u1"])),
        ];
        let first = plan(&desired, &current, true).unwrap();
        assert_eq!(first.accounts.len(), 4);
        let after = applied(&current, &first);
        assert_eq!(plan(&desired, &after, true).unwrap(), Plan::default());
    }

    #[test]
    fn duplicate_rows_and_ambiguous_names_are_refused() {
        let current = [have("1", "twice", None, &[]), have("2", "twice", None, &[])];
        let desired = [
            want(2, "twice", None, None),
            want(3, "once", None, None),
            want(4, "once", None, None),
        ];
        assert_eq!(
            plan(&desired, &current, false).unwrap_err(),
            [
                Conflict::Ambiguous {
                    line: 2,
                    ids: vec!["1".into(), "2".into()]
                },
                Conflict::Duplicate {
                    line: 4,
                    first_line: 3
                },
            ]
        );
    }
}
