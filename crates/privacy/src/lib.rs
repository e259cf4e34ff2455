//! Frontdesk's privacy area: data-subject requests to a workspace about its customers (access,
//! export, rectify, erase, restrict, object, withdraw consent), with the person's identity
//! checked before anything is released or erased, a 30-day clock, and every step audited. It
//! works over every area through one port, [`frontdesk_platform::ports::Subject`], which the
//! inbox, bookings, billing and cloud phones implement and the server registers; a later area
//! joins by implementing it. The workspace is the controller of its customers' data, so the
//! requests go to its owners, who decide; the platform never fulfils them by itself (P10).

pub mod account;
pub mod demo;
pub mod pii;
pub mod requests;

pub use frontdesk_platform::{AppError, AppResult, Platform};

use frontdesk_core::Timestamp;
use frontdesk_inbox::Inbox;
use frontdesk_platform::jobs::{Handlers, JobError, Schedule};
use frontdesk_platform::ports::Subject;
use frontdesk_store::Migration;
use std::sync::Arc;

/// The privacy area's context: the inbox's (which holds the platform's) and every area's part
/// in a request.
#[derive(Clone)]
pub struct Privacy {
    pub inbox: Inbox,
    pub subjects: Arc<Vec<Arc<dyn Subject>>>,
}

impl Privacy {
    pub fn new(inbox: Inbox, subjects: Vec<Arc<dyn Subject>>) -> Self {
        Self { inbox, subjects: Arc::new(subjects) }
    }
}

impl std::ops::Deref for Privacy {
    type Target = Inbox;
    fn deref(&self) -> &Inbox {
        &self.inbox
    }
}

impl AsRef<Platform> for Privacy {
    fn as_ref(&self) -> &Platform {
        &self.inbox.platform
    }
}

pub const MIGRATIONS: &[Migration] =
    &[Migration { version: 34, name: "privacy", sql: include_str!("../migrations/0034_privacy.sql") }];

pub const SWEEP: &str = "privacy_sweep";

/// Hourly: unverified requests expire, owners are reminded 7 and 2 days before a request is
/// due, exports older than 7 days are deleted.
pub const SCHEDULES: &[Schedule] = &[Schedule { name: "privacy_sweep", kind: SWEEP, every_ms: Timestamp::HOUR }];

pub fn job_handlers(x: &Privacy) -> Handlers {
    Handlers::default().with(SWEEP, x, sweep)
}

async fn sweep(x: Privacy, _job: frontdesk_platform::repo::jobs::Job) -> Result<(), JobError> {
    requests::sweep(&x).await.map(|_| ()).map_err(|e| JobError::Transient(e.to_string()))
}
