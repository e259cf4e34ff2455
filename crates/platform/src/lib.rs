//! Frontdesk's platform: the services every area uses (errors, jobs and the scheduler, audit,
//! mail, the vault, blobs, rate limits, metrics, the request-forgery guard, the clock) and the
//! accounts (sign-up and sign-in, sessions, 2FA, workspaces, members, invitations, API tokens,
//! operators). Services take parsed values from `core`, run their writes in one transaction
//! together with the audit entry that records them, and return `AppError`s with stable codes.
//! They never see HTTP. Higher areas reach back down only through [`ports`].

pub mod account;
pub mod audit;
pub mod auth;
pub mod blobs;
pub mod captcha;
pub mod clock;
pub mod context;
pub mod crypto;
pub mod error;
pub mod google;
pub mod jobs;
pub mod mail;
pub mod metrics;
pub mod netguard;
pub mod oidc;
pub mod operator;
pub mod pii;
pub mod ports;
pub mod profile;
pub mod ratelimit;
pub mod repo;
pub mod signed_link;
pub mod vault;
pub mod workspaces;
pub mod zip;

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
    /// The human check on public forms (`[captcha]`), off when `None`.
    pub captcha: Option<captcha::CaptchaSettings>,
    /// Sign in with Google (`[google]`), off when `None`.
    pub google: Option<google::GoogleSettings>,
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
            captcha: None,
            google: None,
        }
    }
}

/// The platform's services, cheap to clone. Each area's context holds one (and derefs to it),
/// so a platform function takes `&Platform` whichever area calls it.
#[derive(Clone)]
pub struct Platform {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub vault: Arc<vault::Vault>,
    pub settings: Arc<Settings>,
    pub limits: Arc<ratelimit::Limits>,
    pub metrics: Arc<metrics::Metrics>,
    pub mailer: Arc<mail::Transport>,
    /// Wakes the job workers when something is enqueued.
    pub jobs_notify: Arc<tokio::sync::Notify>,
    pub blobs: Arc<blobs::Blobs>,
    /// Outgoing HTTP to providers whose base URLs the operator configured.
    pub http: reqwest::Client,
    /// Outgoing HTTP to URLs nobody on the operator's side chose (tenant-supplied, or arriving
    /// in payloads), guarded against request forgery.
    pub tenant_http: reqwest::Client,
    /// The product's words for the platform's mails (registered by the server).
    pub words: Arc<dyn ports::Words>,
    /// The operator's plans and wallets, registered once by the server when platform billing
    /// is configured (until then, and without it, nothing is limited or metered).
    pub metering: Arc<std::sync::OnceLock<ports::Metering>>,
}

impl Platform {
    pub fn now(&self) -> frontdesk_core::Timestamp {
        self.clock.now()
    }
    /// What the workspace's plan allows (everything when platform billing is off).
    pub fn entitlements(&self) -> &dyn ports::Entitlements {
        match self.metering.get() {
            Some(m) => m.entitlements.as_ref(),
            None => &ports::Unmetered,
        }
    }
    /// The workspace's wallet (one that records nothing when platform billing is off).
    pub fn wallet(&self) -> &dyn ports::Wallet {
        match self.metering.get() {
            Some(m) => m.wallet.as_ref(),
            None => &ports::Unmetered,
        }
    }
    /// The words in `lang`, for `tl!(app.speak(lang), "id", name = value)`.
    pub fn speak(&self, lang: frontdesk_core::lang::Lang) -> ports::Speaker<'_> {
        ports::Speaker { words: self.words.as_ref(), lang }
    }
}

/// `tl!(app.speak(lang), "id", name = value, …)`: a message of the product's catalogues.
#[macro_export]
macro_rules! tl {
    ($speaker:expr, $id:expr) => { $speaker.text($id, &[]) };
    ($speaker:expr, $id:expr, $($k:ident = $v:expr),+ $(,)?) => {
        $speaker.text($id, &[$((stringify!($k), $crate::ports::WordArg::from($v))),+])
    };
}

impl Platform {}

impl AsRef<Platform> for Platform {
    fn as_ref(&self) -> &Platform {
        self
    }
}

/// The platform's tables, in the global migration order.
pub const MIGRATIONS: &[frontdesk_store::Migration] = &[
    frontdesk_store::Migration { version: 1, name: "platform", sql: include_str!("../migrations/0001_platform.sql") },
    frontdesk_store::Migration {
        version: 9,
        name: "profile",
        sql: include_str!("../migrations/0009_platform_profile.sql"),
    },
    frontdesk_store::Migration {
        version: 14,
        name: "language",
        sql: include_str!("../migrations/0014_platform_language.sql"),
    },
    frontdesk_store::Migration {
        version: 35,
        name: "erased_accounts",
        sql: include_str!("../migrations/0035_platform_erased_accounts.sql"),
    },
    frontdesk_store::Migration {
        version: 37,
        name: "accounts",
        sql: include_str!("../migrations/0037_platform_accounts.sql"),
    },
];

/// The platform's own jobs and their handlers.
pub fn job_handlers(p: &Platform) -> jobs::Handlers {
    jobs::Handlers::default().with(mail::KIND, p, mail::handle).with(jobs::MAINTENANCE, p, jobs::maintenance)
}
