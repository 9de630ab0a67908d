//! The mock tenant's data: applications, public accounts, users, owners
//! and issued tokens.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

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
#[derive(Clone, Debug, Default)]
pub(crate) struct Tenant {
    /// app id → (public account id → account)
    pub apps: HashMap<String, HashMap<String, PublicAccount>>,
    pub users: HashMap<String, User>,
    /// token → when it stops being valid
    pub tokens: HashMap<String, Instant>,
}

/// The documented example ids, so the demo data matches the API pages.
pub(crate) const ZHANGSAN_ID: &str = "20220331164602949-904C-D475B60AE";
const PUB1_ACCOUNT_ID: &str = "20220415171558023-84A4-ED5C390B8";
const PUB2_ACCOUNT_ID: &str = "20220415171558023-84A4-ED5C390B9";

impl Tenant {
    /// Demo data: `demo-app` with `pub-1` (owned by `zhangsan`) and `pub-2`
    /// (no owner); users `zhangsan`, `cq04130006` and `lisi` (disabled).
    pub fn demo() -> Self {
        let mut t = Tenant::default();
        t.users.insert(
            "zhangsan".into(),
            User {
                user_id: ZHANGSAN_ID.into(),
                disabled: false,
            },
        );
        t.add_user("cq04130006", false);
        t.add_user("lisi", true);
        let accounts = t.apps.entry("demo-app".into()).or_default();
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
        t
    }

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

    pub fn issue_token(&mut self, lifetime: Duration) -> String {
        let token = new_token();
        let now = Instant::now();
        // Keep the table small under load: drop what has expired.
        if self.tokens.len() > 1024 {
            self.tokens.retain(|_, expiry| *expiry > now);
        }
        self.tokens.insert(token.clone(), now + lifetime);
        token
    }

    pub fn token_is_valid(&self, token: &str) -> bool {
        self.tokens
            .get(token)
            .is_some_and(|expiry| *expiry > Instant::now())
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(1);

/// A fresh pseudo-random 64-bit value; uniqueness comes from the counter,
/// unpredictability enough for a mock from the clock.
fn next_random() -> u64 {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    // splitmix64 of (time, counter)
    let mut z = nanos ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// An id in the service's style: `20220415171558023-84A4-ED5C390B8`.
fn new_id() -> String {
    let n = COUNTER.load(Ordering::Relaxed);
    let r = next_random();
    format!(
        "2022041517{:07}-{:04X}-{:09X}",
        n % 10_000_000,
        (r >> 48) & 0xFFFF,
        r & 0xF_FFFF_FFFF
    )
}

/// A token in the service's style: a UUID.
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
        let token = new_token();
        assert_eq!(token.len(), 36, "{token}");
        assert_ne!(new_token(), new_token());
    }
}
