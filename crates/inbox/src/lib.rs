//! Frontdesk's inbox: the inbound pipeline (webhooks, intake, contacts, threads, consent), the
//! outbound path (the policy gate's callers, the outbox, provider calls), the web chat,
//! attachments, business hours and the away reply, notifications, outgoing webhooks, saved
//! replies, live events, and the assistant service with its model providers. It owns its
//! tables, queries, jobs, schedules and slice of the personal-data registry.

pub mod assistant;
pub mod attachments;
pub mod channels;
pub mod contacts;
pub mod demo;
pub mod hours;
pub mod intake;
pub mod live;
pub mod llm;
pub mod notifications;
pub mod outbox;
pub mod pii;
pub mod providers;
pub mod repo;
pub mod saved_replies;
pub mod subject;
pub mod threads;
pub mod webchat;
pub mod webhooks;

pub use frontdesk_platform::{AppError, AppResult, Platform};

use frontdesk_core::Timestamp;
use frontdesk_platform::jobs::{Handlers, JobError, Schedule};
use frontdesk_store::Migration;
use std::sync::Arc;

/// The language of the automatic text a customer gets (the away reply, the assistant's
/// disclosure): the contact's own (`contacts.language`, such as Telegram's `language_code`),
/// else the first of the workspace's languages (business profile) that Frontdesk speaks, else
/// English.
pub fn customer_lang(contact: Option<&str>, workspace: &[String]) -> frontdesk_i18n::Lang {
    contact
        .and_then(frontdesk_i18n::Lang::parse)
        .or_else(|| workspace.iter().find_map(|l| frontdesk_i18n::Lang::parse(l)))
        .unwrap_or_default()
}

/// [`customer_lang`] for a contact of a workspace, the workspace's languages read from its
/// business profile.
pub async fn customer_lang_in(
    c: &mut frontdesk_store::Conn,
    ws: &frontdesk_core::WorkspaceId,
    contact: Option<&str>,
) -> AppResult<frontdesk_i18n::Lang> {
    if let Some(l) = contact.and_then(frontdesk_i18n::Lang::parse) {
        return Ok(l);
    }
    let profile = frontdesk_platform::profile::of(c, ws).await?;
    Ok(customer_lang(None, &profile.languages))
}

/// Whether `text` is the catalogue's message `id` in one of the languages: a default text the
/// business kept, which goes to each customer in their own language.
pub fn is_default_text(text: &str, id: &str) -> bool {
    frontdesk_i18n::Lang::ALL.iter().any(|l| frontdesk_i18n::t(*l, id, &[]).trim() == text.trim())
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
    /// The operator's own model, offered to workspaces as the assistant's `platform` provider
    /// (with platform billing, its calls count against the plan's AI quota and the wallet).
    pub platform_model: Option<PlatformModel>,
}

/// `[inbox.platform_model]`: an OpenAI-compatible or Anthropic endpoint the operator pays for.
#[derive(Clone, serde::Deserialize, serde::Serialize)]
pub struct PlatformModel {
    /// `openai` (any OpenAI-compatible endpoint) or `anthropic`.
    pub kind: String,
    pub base_url: String,
    pub model: String,
    #[serde(default, skip_serializing)]
    pub api_key: Option<String>,
}

impl std::fmt::Debug for PlatformModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlatformModel")
            .field("kind", &self.kind)
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .finish()
    }
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
            platform_model: None,
        }
    }
}

/// The inbox's context: the platform's services plus the inbox's own, cheap to clone. It
/// derefs to [`Platform`], so `inbox.db` and `audit::record(&inbox, …)` read as before.
#[derive(Clone)]
pub struct Inbox {
    pub platform: Platform,
    pub inbox: Arc<InboxSettings>,
    /// Wakes the intake worker when a delivery is stored.
    pub intake_notify: Arc<tokio::sync::Notify>,
    pub live: Arc<live::Live>,
    /// The raw-event writer (group commit), once started; without it deliveries are stored
    /// one by one.
    pub intake_writer: Arc<std::sync::OnceLock<intake::Writer>>,
    /// The areas above the inbox that show a part of a contact's page, or hold something of a
    /// contact that a merge must move (registered by the server).
    pub contact_ports: Arc<ContactPorts>,
}

/// The implementations of the contact ports, from the areas above the inbox.
#[derive(Default)]
pub struct ContactPorts {
    pub facts: Vec<Arc<dyn frontdesk_platform::ports::ContactFacts>>,
    pub merged: Vec<Arc<dyn frontdesk_platform::ports::ContactMerged>>,
    /// Free slots the assistant offers (from bookings).
    pub slots: Option<Arc<dyn frontdesk_platform::ports::SlotSource>>,
}

impl Inbox {
    pub fn new(platform: Platform, settings: InboxSettings) -> Self {
        Self {
            platform,
            inbox: Arc::new(settings),
            intake_notify: Arc::default(),
            live: Arc::default(),
            intake_writer: Arc::default(),
            contact_ports: Arc::default(),
        }
    }

    /// The same, with the areas' contact ports.
    pub fn with_contact_ports(mut self, ports: ContactPorts) -> Self {
        self.contact_ports = Arc::new(ports);
        self
    }
}

impl std::ops::Deref for Inbox {
    type Target = Platform;
    fn deref(&self) -> &Platform {
        &self.platform
    }
}

impl AsRef<Platform> for Inbox {
    fn as_ref(&self) -> &Platform {
        &self.platform
    }
}

/// The inbox's tables, in the global migration order.
pub const MIGRATIONS: &[Migration] = &[
    Migration { version: 2, name: "inbox", sql: include_str!("../migrations/0002_inbox.sql") },
    Migration { version: 3, name: "outbox", sql: include_str!("../migrations/0003_inbox_outbox.sql") },
    Migration { version: 4, name: "saved_replies", sql: include_str!("../migrations/0004_inbox_saved_replies.sql") },
    Migration { version: 5, name: "webhooks", sql: include_str!("../migrations/0005_inbox_webhooks.sql") },
    Migration {
        version: 6,
        name: "hours_notifications",
        sql: include_str!("../migrations/0006_inbox_hours_notifications.sql"),
    },
    Migration { version: 7, name: "assistant", sql: include_str!("../migrations/0007_inbox_assistant.sql") },
    Migration { version: 8, name: "raw_bytes", sql: include_str!("../migrations/0008_inbox_raw_bytes.sql") },
    Migration {
        version: 10,
        name: "profile_time_zone",
        sql: include_str!("../migrations/0010_inbox_profile_time_zone.sql"),
    },
    Migration { version: 11, name: "contacts", sql: include_str!("../migrations/0011_inbox_contacts.sql") },
    Migration {
        version: 12,
        name: "contact_phone_index",
        sql: include_str!("../migrations/0012_inbox_contact_phone_index.sql"),
    },
    Migration {
        version: 13,
        name: "webchat_refusals",
        sql: include_str!("../migrations/0013_inbox_webchat_refusals.sql"),
    },
    Migration { version: 33, name: "inbox_privacy", sql: include_str!("../migrations/0033_inbox_privacy.sql") },
];

/// The inbox's jobs and their handlers.
pub fn job_handlers(inbox: &Inbox) -> Handlers {
    Handlers::default()
        .with(intake::MEDIA_FETCH, inbox, intake::fetch_media)
        .with(outbox::SEND, inbox, outbox::deliver)
        .with(webhooks::DELIVER, inbox, webhooks::deliver)
        .with(hours::AWAY, inbox, hours::reply)
        .with(assistant::REPLY_JOB, inbox, assistant::reply)
        .with(MAINTENANCE, inbox, maintenance)
}

pub const MAINTENANCE: &str = "inbox.maintenance";

/// The inbox's periodic jobs.
pub const SCHEDULES: &[Schedule] =
    &[Schedule { name: "inbox_maintenance", kind: MAINTENANCE, every_ms: Timestamp::HOUR }];

/// Hourly: purges raw deliveries after `inbox.raw_event_days`, wakes snoozed threads, and
/// deletes assistant drafts past their workspace's retention.
async fn maintenance(inbox: Inbox, _job: frontdesk_platform::repo::jobs::Job) -> Result<(), JobError> {
    let now = inbox.now();
    let run = async {
        let mut c = inbox.db.conn().await?;
        let raw =
            repo::channels::purge_events(&mut c, now.plus_millis(-inbox.inbox.raw_event_days * Timestamp::DAY)).await?;
        let woke = repo::inbox::wake_snoozed(&mut c, now).await?;
        let day = frontdesk_core::hours::local_date("UTC", now.0 - 30 * Timestamp::DAY).unwrap_or_default();
        repo::refusals::purge_before(&mut c, &day).await?;
        Ok::<_, frontdesk_store::SqlError>((raw, woke))
    };
    let (raw, woke) = run.await.map_err(|e| JobError::Transient(e.to_string()))?;
    let drafts = assistant::purge_expired(&inbox).await.map_err(|e| JobError::Transient(e.message))?;
    tracing::info!(
        purged_ai_drafts = drafts,
        purged_raw_events = raw,
        woke_snoozed_threads = woke,
        "inbox maintenance done"
    );
    Ok(())
}
