//! What keeps candidates' accounts safe besides their argon2id passwords and hashed session tokens (skillcert-core's
//! ops::self_service): random tokens for the forms shown before signing in, and a limit on failed logins per account
//! and per address.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A new random token: 32 bytes as 64 hex characters.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    hex(&bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Failed logins per account and per address within a window; more than the limit refuses further tries until the
/// oldest failure leaves the window. Kept in memory: a restart forgets it, which only gives a few more tries.
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
    window: Duration,
    per_account: usize,
    per_address: usize,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        LoginLimiter {
            failures: Mutex::default(),
            window: Duration::from_secs(15 * 60),
            per_account: 5,
            per_address: 20,
        }
    }
}

impl LoginLimiter {
    /// Minutes to wait, when this account or address has failed too often.
    pub fn blocked(&self, account: &str, address: IpAddr) -> Option<u64> {
        let mut failures = self.failures.lock().ok()?;
        let now = Instant::now();
        let mut wait = None;
        for (key, limit) in [(format!("a:{account}"), self.per_account), (format!("i:{address}"), self.per_address)] {
            let list = failures.entry(key).or_default();
            list.retain(|t| now.duration_since(*t) < self.window);
            if list.len() >= limit {
                let left = self.window.saturating_sub(now.duration_since(list[0]));
                wait = Some(left.as_secs().div_ceil(60).max(1));
            }
        }
        wait
    }

    pub fn failed(&self, account: &str, address: IpAddr) {
        if let Ok(mut failures) = self.failures.lock() {
            let now = Instant::now();
            failures.entry(format!("a:{account}")).or_default().push(now);
            failures.entry(format!("i:{address}")).or_default().push(now);
        }
    }

    pub fn succeeded(&self, account: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(&format!("a:{account}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_limited_per_account_and_per_address() {
        let limiter = LoginLimiter::default();
        let here: IpAddr = "127.0.0.1".parse().unwrap();
        let there: IpAddr = "10.0.0.2".parse().unwrap();
        for _ in 0..5 {
            assert_eq!(limiter.blocked("A", here), None);
            limiter.failed("A", here);
        }
        assert!(limiter.blocked("A", here).is_some());
        // The same account from elsewhere is blocked too; another account from here is not (yet).
        assert!(limiter.blocked("A", there).is_some());
        assert_eq!(limiter.blocked("B", here), None);
        for i in 0..15 {
            limiter.failed(&format!("C{i}"), here);
        }
        assert!(limiter.blocked("D", here).is_some(), "20 failures from one address");
        assert_eq!(limiter.blocked("D", there), None);
    }

    #[test]
    fn tokens_are_random() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
    }
}
