//! Frontdesk's use cases. Services take parsed values from `core`, run their writes in one
//! transaction together with the audit entry that records them, and return `AppError`s with
//! stable codes. They never see HTTP.

pub mod audit;
pub mod auth;
pub mod clock;
pub mod crypto;
pub mod error;
pub mod jobs;
pub mod mail;
pub mod metrics;
pub mod operator;
pub mod ratelimit;
pub mod vault;
pub mod workspaces;

pub use clock::{Clock, OffsetClock, SystemClock};
pub use error::{AppError, AppResult};
pub use frontdesk_store::Db;

use std::sync::Arc;

/// Whether anyone may sign up, or only people holding an invitation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignupMode {
    Open,
    InviteOnly,
}

/// Settings the services need (a subset of the server's config).
#[derive(Clone, Debug)]
pub struct Settings {
    /// Public base URL without a trailing slash, used in emailed links.
    pub base_url: String,
    pub signup: SignupMode,
    pub product_name: String,
    pub session_ttl_ms: i64,
    pub session_idle_ms: i64,
    pub reset_ttl_ms: i64,
    pub verify_ttl_ms: i64,
    pub invite_ttl_ms: i64,
    /// Argon2id memory cost in KiB.
    pub argon2_m_kib: u32,
    pub argon2_t: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            base_url: "http://127.0.0.1:8080".into(),
            signup: SignupMode::Open,
            product_name: "Frontdesk".into(),
            session_ttl_ms: 30 * frontdesk_core::Timestamp::DAY,
            session_idle_ms: 14 * frontdesk_core::Timestamp::DAY,
            reset_ttl_ms: 30 * frontdesk_core::Timestamp::MINUTE,
            verify_ttl_ms: 2 * frontdesk_core::Timestamp::DAY,
            invite_ttl_ms: 7 * frontdesk_core::Timestamp::DAY,
            argon2_m_kib: 19_456,
            argon2_t: 2,
        }
    }
}

/// Everything a service needs, cheap to clone.
#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub vault: Arc<vault::Vault>,
    pub settings: Arc<Settings>,
    pub limits: Arc<ratelimit::Limits>,
    pub metrics: Arc<metrics::Metrics>,
    pub mailer: Arc<mail::Transport>,
    /// Wakes the job workers when something is enqueued.
    pub jobs_notify: Arc<tokio::sync::Notify>,
}

impl App {
    pub fn now(&self) -> frontdesk_core::Timestamp {
        self.clock.now()
    }
}
