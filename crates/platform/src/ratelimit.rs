//! Keyed rate limits for sign-in, 2FA, password reset and invitation acceptance: per client
//! IP and per account, on the injected clock. In-process (per node); see ARCHITECTURE.md.

use crate::{AppError, Clock};
use std::collections::HashMap;
use std::sync::Mutex;

/// `max` attempts per `window_secs`.
#[derive(Clone, Copy, Debug, serde::Deserialize, serde::Serialize)]
pub struct Rule {
    pub max: u32,
    pub window_secs: u64,
}

#[derive(Clone, Copy, Debug, serde::Deserialize, serde::Serialize)]
pub struct RateRules {
    pub per_ip: Rule,
    pub per_account: Rule,
}

impl Default for RateRules {
    fn default() -> Self {
        Self { per_ip: Rule { max: 30, window_secs: 300 }, per_account: Rule { max: 10, window_secs: 900 } }
    }
}

pub struct Limits {
    rules: RateRules,
    // key -> (window start ms, count)
    buckets: Mutex<HashMap<String, (i64, u32)>>,
}

impl Limits {
    pub fn new(rules: RateRules) -> Self {
        Self { rules, buckets: Mutex::new(HashMap::new()) }
    }

    /// Counts one hit on `key` under `rule`.
    pub fn hit(&self, clock: &dyn Clock, key: String, rule: Rule) -> Result<(), AppError> {
        let now = clock.now().0;
        let window = (rule.window_secs as i64) * 1000;
        let mut b = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if b.len() > 100_000 {
            b.retain(|_, (start, _)| now - *start < window);
        }
        let e = b.entry(key).or_insert((now, 0));
        if now - e.0 >= window {
            *e = (now, 0);
        }
        if e.1 >= rule.max {
            let retry = ((e.0 + window - now).max(1000) + 999) / 1000;
            return Err(AppError::rate_limited(retry as u64));
        }
        e.1 += 1;
        Ok(())
    }

    /// Counts one attempt of `scope` (e.g. "login") from `ip` on `account` (if known); fails
    /// with `rate_limited` and the seconds to wait when either budget is spent.
    pub fn check(&self, clock: &dyn Clock, scope: &str, ip: &str, account: Option<&str>) -> Result<(), AppError> {
        self.hit(clock, format!("{scope}|ip|{ip}"), self.rules.per_ip)?;
        if let Some(a) = account {
            self.check_account(clock, scope, a)?;
        }
        Ok(())
    }

    /// The per-account half of [`Limits::check`], for a caller that decides itself what a
    /// spent budget means.
    pub fn check_account(&self, clock: &dyn Clock, scope: &str, account: &str) -> Result<(), AppError> {
        self.hit(clock, account_key(scope, account), self.rules.per_account)
    }

    /// Forgets the attempts of `scope` on `account` (this node only), once its owner has proved
    /// who they are some other way.
    pub fn clear_account(&self, scope: &str, account: &str) {
        self.buckets.lock().unwrap_or_else(|p| p.into_inner()).remove(&account_key(scope, account));
    }
}

fn account_key(scope: &str, account: &str) -> String {
    format!("{scope}|acct|{}", crate::crypto::token_hash(account))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::OffsetClock;

    #[test]
    fn blocks_after_budget_and_recovers_after_window() {
        let clock = OffsetClock::default();
        let l = Limits::new(RateRules {
            per_ip: Rule { max: 2, window_secs: 60 },
            per_account: Rule { max: 100, window_secs: 60 },
        });
        assert!(l.check(&clock, "login", "1.2.3.4", None).is_ok());
        assert!(l.check(&clock, "login", "1.2.3.4", None).is_ok());
        let e = l.check(&clock, "login", "1.2.3.4", None).unwrap_err();
        assert_eq!(e.code, "rate_limited");
        assert!(l.check(&clock, "login", "5.6.7.8", None).is_ok());
        clock.advance_ms(61_000);
        assert!(l.check(&clock, "login", "1.2.3.4", None).is_ok());
    }

    #[test]
    fn a_cleared_account_starts_a_new_budget_in_that_scope_only() {
        let clock = OffsetClock::default();
        let l = Limits::new(RateRules {
            per_ip: Rule { max: 100, window_secs: 60 },
            per_account: Rule { max: 1, window_secs: 60 },
        });
        for scope in ["login", "reset"] {
            assert!(l.check_account(&clock, scope, "ana@example.com").is_ok());
            assert!(l.check_account(&clock, scope, "ana@example.com").is_err());
        }
        l.clear_account("login", "ana@example.com");
        assert!(l.check(&clock, "login", "1.2.3.4", Some("ana@example.com")).is_ok());
        assert!(l.check_account(&clock, "reset", "ana@example.com").is_err());
    }
}
