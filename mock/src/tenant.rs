//! The mock tenant: its settings (client credentials, token lifetime) and
//! data (applications, public accounts, users, owners, issued tokens).

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::MockConfig;

/// A user of the tenant.
#[derive(Clone, Debug)]
pub(crate) struct User {
    pub user_id: String,
    pub disabled: bool,
}

/// A public account of an application.
#[derive(Clone, Debug)]
pub(crate) struct PublicAccount {
    pub account_id: String,
    /// The owner's user name.
    pub owner: Option<String>,
}

/// Everything the tenant knows.
#[derive(Clone, Debug)]
pub(crate) struct Tenant {
    pub client_id: String,
    pub client_secret: String,
    /// Lifetime of tokens issued from now on.
    pub token_lifetime: Duration,
    /// app id → (public account id → account)
    pub apps: HashMap<String, HashMap<String, PublicAccount>>,
    /// Users are global to the tenant, by user name.
    pub users: HashMap<String, User>,
    /// token → when it stops being valid
    tokens: HashMap<String, Instant>,
    /// Token count at which expired tokens are next pruned.
    prune_at: usize,
}

/// The documented example ids, so the demo data matches the API pages.
pub(crate) const ZHANGSAN_ID: &str = "20220331164602949-904C-D475B60AE";
const PUB1_ACCOUNT_ID: &str = "20220415171558023-84A4-ED5C390B8";
const PUB2_ACCOUNT_ID: &str = "20220415171558023-84A4-ED5C390B9";

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

    /// `demo-app` with `pub-1` (owned by `zhangsan`) and `pub-2` (no
    /// owner); users `zhangsan`, `cq04130006` and `lisi` (disabled).
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
        let accounts = self.apps.entry("demo-app".into()).or_default();
        accounts.insert(
            "pub-1".into(),
            PublicAccount {
                account_id: PUB1_ACCOUNT_ID.into(),
                owner: Some("zhangsan".into()),
            },
        );
        accounts.insert(
            "pub-2".into(),
            PublicAccount {
                account_id: PUB2_ACCOUNT_ID.into(),
                owner: None,
            },
        );
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

    /// Adds a public account (and its application if needed); returns the
    /// account id, the existing one if the account exists.
    pub fn add_public_account(&mut self, app_id: &str, app_user_id: &str) -> String {
        self.apps
            .entry(app_id.to_owned())
            .or_default()
            .entry(app_user_id.to_owned())
            .or_insert_with(|| PublicAccount {
                account_id: new_id(),
                owner: None,
            })
            .account_id
            .clone()
    }

    /// The owner's user name of a public account, if it has one.
    pub fn owner_of(&self, app_id: &str, app_user_id: &str) -> Option<String> {
        self.apps.get(app_id)?.get(app_user_id)?.owner.clone()
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

static COUNTER: AtomicU64 = AtomicU64::new(1);

/// A pseudo-random 64-bit value, distinct for each call in this process
/// (splitmix64 is a bijection of a counter) and different between runs
/// (the seed comes from std's randomly keyed hasher).
fn next_random() -> u64 {
    static SEED: OnceLock<u64> = OnceLock::new();
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
fn new_id() -> String {
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
        let empty = Tenant::new(&MockConfig {
            seed_demo_data: false,
            ..MockConfig::default()
        });
        assert!(empty.apps.is_empty() && empty.users.is_empty());
    }
}
