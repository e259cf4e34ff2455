//! Frontdesk's use cases. Services take parsed values from `core`, run their writes in one
//! transaction together with the audit entry that records them, and return `AppError`s with
//! stable codes. They never see HTTP.

pub mod assistant;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod blobs;
pub mod channels;
pub mod clock;
pub mod crypto;
pub mod demo;
pub mod error;
pub mod hours;
pub mod inbox;
pub mod intake;
pub mod jobs;
pub mod live;
pub mod llm;
pub mod mail;
pub mod metrics;
pub mod netguard;
pub mod notifications;
pub mod operator;
pub mod outbox;
pub mod providers;
pub mod ratelimit;
pub mod saved_replies;
pub mod vault;
pub mod webchat;
pub mod webhooks;
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
    /// Internal address ranges tenant-supplied URLs may still reach (outgoing webhooks, AI
    /// providers): the operator's exceptions to the request-forgery guard.
    pub allow_private: Vec<frontdesk_core::netguard::Cidr>,
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
            allow_private: vec![],
        }
    }
}

/// Inbox settings (the server's `[inbox]` config section).
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct InboxSettings {
    /// Opt-out / opt-in keywords by locale.
    pub keywords: frontdesk_core::inbox::Keywords,
    /// Raw provider deliveries are purged after this many days.
    pub raw_event_days: i64,
    /// Graph API base, with its version (WhatsApp media).
    pub meta_graph_url: String,
    /// Instagram API base (Instagram Login), with its version: replies to Instagram.
    pub instagram_graph_url: String,
    /// Telegram Bot API base.
    pub telegram_api_url: String,
    /// How long one send call to a provider may take before it counts as a timeout (retried).
    pub send_timeout_ms: u64,
    /// Deliveries processed per intake transaction.
    pub intake_batch: i64,
    /// Largest media file fetched from a provider.
    pub media_max_bytes: u64,
    /// Failed webhook verifications allowed per client address and minute.
    pub unverified_per_minute: u32,
}

impl Default for InboxSettings {
    fn default() -> Self {
        Self {
            keywords: Default::default(),
            raw_event_days: 30,
            meta_graph_url: "https://graph.facebook.com/v21.0".into(),
            instagram_graph_url: "https://graph.instagram.com/v21.0".into(),
            telegram_api_url: "https://api.telegram.org".into(),
            send_timeout_ms: 20_000,
            intake_batch: 256,
            media_max_bytes: 25 * 1024 * 1024,
            unverified_per_minute: 60,
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
    pub inbox: Arc<InboxSettings>,
    /// Wakes the intake worker when a delivery is stored.
    pub intake_notify: Arc<tokio::sync::Notify>,
    pub live: Arc<live::Live>,
    pub blobs: Arc<blobs::Blobs>,
    /// Outgoing HTTP to providers.
    pub http: reqwest::Client,
    /// Outgoing HTTP to tenant-supplied URLs, guarded against request forgery.
    pub tenant_http: reqwest::Client,
    /// The raw-event writer (group commit), once started; without it deliveries are stored
    /// one by one.
    pub intake_writer: Arc<std::sync::OnceLock<intake::Writer>>,
}

impl App {
    pub fn now(&self) -> frontdesk_core::Timestamp {
        self.clock.now()
    }
}
