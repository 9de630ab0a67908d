//! The mock tenant: its settings (client credentials, token lifetime) and
//! data (applications and their accounts, users, issued tokens).

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::accounts::{Account, AccountInfo, AccountType, Accounts, NewAccount};
use crate::MockConfig;

/// A user of the tenant.
#[derive(Clone, Debug)]
pub(crate) struct User {
    pub user_id: String,
    pub disabled: bool,
}

/// Everything the tenant knows.
#[derive(Clone, Debug)]
pub(crate) struct Tenant {
    pub client_id: String,
    pub client_secret: String,
    /// Lifetime of tokens issued from now on.
    pub token_lifetime: Duration,
    /// app id → its accounts
    pub apps: HashMap<String, Accounts>,
    /// Users are global to the tenant, by user name.
    pub users: HashMap<String, User>,
    /// token → when it stops being valid
    tokens: HashMap<String, Instant>,
    /// Token count at which expired tokens are next pruned.
    prune_at: usize,
}

/// The documented example ids, so the demo data matches the API pages.
pub(crate) const ZHANGSAN_ID: &str = "20220331164602949-904C-D475B60AE";

/// How many accounts the seeded `paging-app` has: three pages of 100 at
/// most.
const PAGING_APP_ACCOUNTS: usize = 250;

/// Tokens are pruned no sooner than this many.
const MIN_PRUNE_AT: usize = 1024;

impl Tenant {
    /// A tenant as configured: the demo data if `seed_demo_data`, else
    /// empty.
    pub fn new(config: &MockConfig) -> Self {
        let mut t = Tenant {
            client_id: config.client_id.clone(),
            client_secret: config.client_secret.clone(),
            token_lifetime: config.token_lifetime,
            apps: HashMap::new(),
            users: HashMap::new(),
            tokens: HashMap::new(),
            prune_at: MIN_PRUNE_AT,
        };
        if config.seed_demo_data {
            t.seed_demo_data();
        }
        t
    }

    /// `demo-app` with public accounts `pub-1` (owned by `zhangsan`,
    /// members `zhangsan` and `cq04130006`) and `pub-2` (no owner, no
    /// members); `paging-app` with [`PAGING_APP_ACCOUNTS`] accounts; users
    /// `zhangsan`, `cq04130006` and `lisi` (disabled).
    fn seed_demo_data(&mut self) {
        self.users.insert(
            "zhangsan".into(),
            User {
                user_id: ZHANGSAN_ID.into(),
                disabled: false,
            },
        );
        self.add_user("cq04130006", false);
        self.add_user("lisi", true);
        let mut pub1 = Account::new("pub-1".into(), AccountType::Public, "pub-1".into());
        pub1.owner = Some("zhangsan".into());
        pub1.add_user("zhangsan".into());
        pub1.add_user("cq04130006".into());
        let pub2 = Account::new("pub-2".into(), AccountType::Public, "pub-2".into());
        let demo = self.apps.entry("demo-app".into()).or_default();
        for account in [pub1, pub2] {
            demo.insert(account.id.clone(), account);
        }
        let paging = self.apps.entry("paging-app".into()).or_default();
        for account in (1..=PAGING_APP_ACCOUNTS).map(paging_account) {
            paging.insert(account.id.clone(), account);
        }
    }

    pub fn add_application(&mut self, app_id: &str) {
        self.apps.entry(app_id.to_owned()).or_default();
    }

    /// Adds a user, or updates the `disabled` flag of an existing one;
    /// returns the user id.
    pub fn add_user(&mut self, user_name: &str, disabled: bool) -> String {
        let user = self
            .users
            .entry(user_name.to_owned())
            .or_insert_with(|| User {
                user_id: new_id(),
                disabled,
            });
        user.disabled = disabled;
        user.user_id.clone()
    }

    /// Adds a public account with this id (and its application if
    /// needed) unless it exists; returns the id.
    pub fn add_public_account(&mut self, app_id: &str, app_user_id: &str) -> String {
        self.apps
            .entry(app_id.to_owned())
            .or_default()
            .entry(app_user_id.to_owned())
            .or_insert_with(|| {
                Account::new(
                    app_user_id.to_owned(),
                    AccountType::Public,
                    app_user_id.to_owned(),
                )
            });
        app_user_id.to_owned()
    }

    /// Adds an account as described (and its application if needed),
    /// replacing one with the same id in place; returns its id.
    pub fn add_account(&mut self, app_id: &str, new: NewAccount) -> String {
        let id = new.id.clone().unwrap_or_else(new_id);
        let account = Account::from_new(id.clone(), new);
        self.apps
            .entry(app_id.to_owned())
            .or_default()
            .insert(id.clone(), account);
        id
    }

    /// An account, if the application and the account exist.
    pub fn account(&self, app_id: &str, account_id: &str) -> Option<&Account> {
        self.apps.get(app_id)?.get(account_id)
    }

    /// What the admin API shows of an account.
    pub fn account_info(&self, app_id: &str, account_id: &str) -> Option<AccountInfo> {
        self.account(app_id, account_id).map(Account::info)
    }

    /// Whether the account exists and its stored password is `password`.
    pub fn password_is(&self, app_id: &str, account_id: &str, password: &str) -> bool {
        self.account(app_id, account_id)
            .is_some_and(|a| a.password.as_deref() == Some(password))
    }

    /// How many accounts an application has (0 if it does not exist).
    pub fn account_count(&self, app_id: &str) -> usize {
        self.apps.get(app_id).map_or(0, |accounts| accounts.len())
    }

    /// A public account's member user names (none if there is no such
    /// account).
    pub fn members_of(&self, app_id: &str, account_id: &str) -> Vec<String> {
        self.account(app_id, account_id)
            .map_or_else(Vec::new, |a| a.users.clone())
    }

    /// The owner's user name of a public account, if it has one.
    pub fn owner_of(&self, app_id: &str, app_user_id: &str) -> Option<String> {
        self.account(app_id, app_user_id)?.owner.clone()
    }

    /// Issues a new token; older ones stay valid until they expire.
    pub fn issue_token(&mut self) -> String {
        let token = new_token();
        let now = Instant::now();
        // Keep the table bounded under load without scanning it on every
        // request: prune when it doubles.
        if self.tokens.len() >= self.prune_at {
            self.tokens.retain(|_, expiry| *expiry > now);
            self.prune_at = (2 * self.tokens.len()).max(MIN_PRUNE_AT);
        }
        self.tokens.insert(token.clone(), now + self.token_lifetime);
        token
    }

    pub fn token_is_valid(&self, token: &str) -> bool {
        self.tokens
            .get(token)
            .is_some_and(|expiry| *expiry > Instant::now())
    }

    /// Makes every token issued so far invalid.
    pub fn expire_tokens(&mut self) {
        self.tokens.clear();
    }
}

/// Account `n` of the seeded `paging-app`: `acct-001` ... `acct-250`,
/// named `account-001` ...; by `n % 3` public (0), basic (1, belonging to
/// `zhangsan`) or orphan (2), i.e. 83 public, 84 basic and 83 orphan.
fn paging_account(n: usize) -> Account {
    let account_type = match n % 3 {
        0 => AccountType::Public,
        1 => AccountType::Basic,
        _ => AccountType::Orphan,
    };
    let mut account = Account::new(
        format!("acct-{n:03}"),
        account_type,
        format!("account-{n:03}"),
    );
    account.name = Some(format!("Account {n:03}"));
    if account_type == AccountType::Basic {
        account.user_id = Some(ZHANGSAN_ID.into());
    }
    account
}

static COUNTER: AtomicU64 = AtomicU64::new(1);
static SEED: OnceLock<u64> = OnceLock::new();

/// Makes this process's ids and tokens the same from one run to the next
/// (see `next_random`); `false` if one was already drawn or fixed.
pub fn fix_random_seed(seed: u64) -> bool {
    SEED.set(seed).is_ok()
}

/// A pseudo-random 64-bit value, distinct for each call in this process
/// (splitmix64 is a bijection of a counter) and different between runs
/// (the seed comes from std's randomly keyed hasher, unless
/// [`fix_random_seed`] fixed it).
fn next_random() -> u64 {
    let seed = *SEED.get_or_init(|| std::collections::hash_map::RandomState::new().hash_one(0));
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut z = seed.wrapping_add(n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// An id in the service's style: `20220415171558023-84A4-ED5C390B8`
/// (17 timestamp-like digits, then hex). The digits end with a counter, so
/// ids are unique.
pub(crate) fn new_id() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let r = next_random();
    format!(
        "2022041517{:07}-{:04X}-{:09X}",
        n % 10_000_000,
        (r >> 48) & 0xFFFF,
        r & 0xF_FFFF_FFFF
    )
}

/// A token in the service's style: a UUID-like string.
fn new_token() -> String {
    let (a, b) = (next_random(), next_random());
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xFFFF,
        a & 0xFFFF,
        b >> 48,
        b & 0xFFFF_FFFF_FFFF
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_tokens_are_unique_and_shaped_like_the_services() {
        let ids: std::collections::HashSet<String> = (0..1000).map(|_| new_id()).collect();
        assert_eq!(ids.len(), 1000);
        let id = new_id();
        assert_eq!(id.len(), ZHANGSAN_ID.len(), "{id}");
        assert_eq!(id.split('-').map(str::len).collect::<Vec<_>>(), [17, 4, 9]);
        let token = new_token();
        assert_eq!(token.len(), 36, "{token}");
        assert_ne!(new_token(), new_token());
    }

    #[test]
    fn expired_tokens_are_pruned_as_the_table_grows() {
        let mut t = Tenant::new(&MockConfig {
            token_lifetime: Duration::ZERO,
            ..MockConfig::default()
        });
        for _ in 0..5000 {
            t.issue_token();
        }
        assert!(t.tokens.len() <= MIN_PRUNE_AT, "{}", t.tokens.len());
    }

    #[test]
    fn demo_data_is_optional() {
        let demo = Tenant::new(&MockConfig::default());
        assert_eq!(
            demo.owner_of("demo-app", "pub-1").as_deref(),
            Some("zhangsan")
        );
        assert!(demo.users["lisi"].disabled);
        let paging = &demo.apps["paging-app"];
        assert_eq!(paging.len(), PAGING_APP_ACCOUNTS);
        let count = |t| paging.values().filter(|a| a.account_type == t).count();
        assert_eq!(
            [AccountType::Public, AccountType::Basic, AccountType::Orphan].map(count),
            [83, 84, 83]
        );
        assert_eq!(paging.get_index(0).unwrap().0, "acct-001");
        assert_eq!(paging.get_index(249).unwrap().0, "acct-250");
        let empty = Tenant::new(&MockConfig {
            seed_demo_data: false,
            ..MockConfig::default()
        });
        assert!(empty.apps.is_empty() && empty.users.is_empty());
    }
}
