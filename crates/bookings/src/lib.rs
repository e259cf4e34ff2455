//! Frontdesk's bookings: the catalog (resources with their hours, services, extras, intake
//! requirements, coupons), free slots (the engine is `frontdesk_core::slots`), holds and bookings
//! through their lifecycle. No double booking: every live booking holds one allocation row per
//! resource, and two rows of one resource never overlap — PostgreSQL refuses them with an
//! exclusion constraint, SQLite's single writer checks inside the same transaction.

pub mod book;
pub mod catalog;
pub mod demo;
pub mod feeds;
pub mod gcal;
pub mod ics;
pub mod manage;
pub mod notify;
pub mod page;
pub mod pii;
pub mod ports;
pub mod repo;
pub mod slots;
pub mod subject;

pub use frontdesk_platform::{AppError, AppResult, Platform};

use frontdesk_core::Timestamp;
use frontdesk_inbox::Inbox;
use frontdesk_platform::jobs::{Handlers, JobError, Schedule};
use frontdesk_store::Migration;
use std::sync::Arc;

/// Booking settings (the server's `[bookings]` config section).
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct BookingSettings {
    /// How long a hold keeps its slot while the customer pays or confirms.
    pub hold_minutes: i64,
    /// Live holds allowed per visitor and per client address.
    pub holds_per_visitor: i64,
    /// Bookings waiting for the business's confirmation are declined after this many hours.
    pub pending_hours: i64,
    /// The longest date range one slot query may ask for.
    pub max_range_days: i64,
    /// The customer's reminder email goes this many hours before the start (0: none). Only by
    /// email: a reminder over a messenger would be the business writing first.
    pub reminder_hours: i64,
}

impl Default for BookingSettings {
    fn default() -> Self {
        Self { hold_minutes: 15, holds_per_visitor: 2, pending_hours: 24, max_range_days: 62, reminder_hours: 24 }
    }
}

/// The bookings' context: the inbox's (which holds the platform's) plus its own settings. It
/// derefs to [`Inbox`] and so to [`Platform`].
#[derive(Clone)]
pub struct Bookings {
    pub inbox: Inbox,
    pub settings: Arc<BookingSettings>,
    /// Told when a booking ends (billing: the refund policy), inside the change's transaction.
    pub ended: Option<Arc<dyn frontdesk_platform::ports::BookingEnded>>,
    /// Asked when a booking is priced (billing: passes and memberships).
    pub benefits: Option<Arc<dyn frontdesk_platform::ports::Benefits>>,
}

impl Bookings {
    pub fn new(inbox: Inbox, settings: BookingSettings) -> Self {
        Self { inbox, settings: Arc::new(settings), ended: None, benefits: None }
    }

    /// The same bookings, asking `port` what a customer's passes and memberships take off.
    pub fn with_benefits(mut self, port: Arc<dyn frontdesk_platform::ports::Benefits>) -> Self {
        self.benefits = Some(port);
        self
    }

    /// The same bookings, telling `port` when a booking ends.
    pub fn with_ended(mut self, port: Arc<dyn frontdesk_platform::ports::BookingEnded>) -> Self {
        self.ended = Some(port);
        self
    }
}

impl std::ops::Deref for Bookings {
    type Target = Inbox;
    fn deref(&self) -> &Inbox {
        &self.inbox
    }
}

impl AsRef<Platform> for Bookings {
    fn as_ref(&self) -> &Platform {
        &self.inbox.platform
    }
}

/// The bookings' tables, in the global migration order.
pub const MIGRATIONS: &[Migration] = &[
    Migration { version: 15, name: "bookings", sql: include_str!("../migrations/0015_bookings.sql") },
    Migration { version: 16, name: "bookings_manage", sql: include_str!("../migrations/0016_bookings_manage.sql") },
    Migration {
        version: 17,
        name: "bookings_reminders",
        sql: include_str!("../migrations/0017_bookings_reminders.sql"),
    },
    Migration {
        version: 18,
        name: "bookings_thread_embed",
        sql: include_str!("../migrations/0018_bookings_thread_embed.sql"),
    },
    Migration { version: 38, name: "bookings_feeds", sql: include_str!("../migrations/0038_bookings_feeds.sql") },
    Migration {
        version: 39,
        name: "bookings_calendar_sync",
        sql: include_str!("../migrations/0039_bookings_calendar_sync.sql"),
    },
];

pub const SWEEP: &str = "bookings_sweep";

/// Every minute: lapsed holds release their slots, unanswered requests are declined.
/// Every 5 minutes: connected Google calendars are synced (bookings out, busy times in).
pub const SCHEDULES: &[Schedule] = &[
    Schedule { name: "bookings_sweep", kind: SWEEP, every_ms: Timestamp::MINUTE },
    Schedule { name: "calendar_sync", kind: gcal::SYNC, every_ms: 5 * Timestamp::MINUTE },
];

pub fn job_handlers(b: &Bookings) -> Handlers {
    Handlers::default().with(SWEEP, b, sweep).with(gcal::SYNC, b, calendar_sync)
}

async fn calendar_sync(b: Bookings, job: frontdesk_platform::repo::jobs::Job) -> Result<(), JobError> {
    let only = Some(job.payload.as_str()).filter(|p| !p.is_empty());
    gcal::sync_all(&b, only).await.map(|_| ()).map_err(|e| JobError::Transient(e.to_string()))
}

async fn sweep(b: Bookings, _job: frontdesk_platform::repo::jobs::Job) -> Result<(), JobError> {
    book::sweep(&b).await.map(|_| ()).map_err(|e| JobError::Transient(e.to_string()))
}
