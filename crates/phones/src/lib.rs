//! Frontdesk's cloud phones: a team's Android devices from the operator's providers (GeeLark's
//! cloud phones, devices on the operator's own ADB hosts). The operator holds the providers and
//! their credentials (sealed) and the pool; a workspace adds devices from the operator's
//! profiles and never types an address. Every change of state is a durable job that calls the
//! provider and polls it with backoff until the operation ends, so nothing blocks a request and
//! a crash loses nothing. Each minute a device runs is recorded once and charged through the
//! platform's `Entitlements` port (the plan's quota, then the wallet).

pub mod adb;
pub mod demo;
pub mod devices;
pub mod geelark;
pub mod meter;
pub mod operator;
pub mod pii;
pub mod provider;
pub mod repo;
pub mod subject;

pub use frontdesk_platform::{AppError, AppResult, Platform};

/// Typed text, trimmed and without NUL characters.
pub(crate) fn clean(s: &str) -> String {
    frontdesk_core::text::scrub_nul(s.trim()).into_owned()
}

use frontdesk_billing::Billing;
use frontdesk_core::Timestamp;
use frontdesk_platform::jobs::{Handlers, JobError, Schedule};
use frontdesk_store::Migration;
use std::sync::Arc;

/// The `[phones]` config section.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct PhonesSettings {
    /// Minutes a running device with no viewer, no lease and no task keeps running (a
    /// workspace may choose its own).
    pub idle_stop_minutes: i64,
    /// How long one provider call may take, in seconds.
    pub call_timeout_secs: u64,
    /// How long an operation may take before the device is marked failed, in minutes.
    pub op_timeout_minutes: i64,
}

impl Default for PhonesSettings {
    fn default() -> Self {
        Self { idle_stop_minutes: 30, call_timeout_secs: 10, op_timeout_minutes: 10 }
    }
}

impl PhonesSettings {
    pub fn check(&self) -> Result<(), String> {
        if !(1..=1440).contains(&self.idle_stop_minutes) {
            return Err("phones.idle_stop_minutes must be 1 to 1440".into());
        }
        if !(1..=120).contains(&self.call_timeout_secs) {
            return Err("phones.call_timeout_secs must be 1 to 120".into());
        }
        if !(1..=120).contains(&self.op_timeout_minutes) {
            return Err("phones.op_timeout_minutes must be 1 to 120".into());
        }
        Ok(())
    }
}

/// The phones' context: billing's (which holds the lower areas') and its settings.
#[derive(Clone)]
pub struct Phones {
    pub billing: Billing,
    pub settings: Arc<PhonesSettings>,
}

impl Phones {
    pub fn new(billing: Billing, settings: PhonesSettings) -> Self {
        Self { billing, settings: Arc::new(settings) }
    }
}

impl std::ops::Deref for Phones {
    type Target = Billing;
    fn deref(&self) -> &Billing {
        &self.billing
    }
}

impl AsRef<Platform> for Phones {
    fn as_ref(&self) -> &Platform {
        self.billing.as_ref()
    }
}

pub const MIGRATIONS: &[Migration] =
    &[Migration { version: 30, name: "phones", sql: include_str!("../migrations/0030_phones.sql") }];

pub const OP: &str = "phones.op";
pub const METER: &str = "phones_meter";
pub const SYNC: &str = "phones_sync";
pub const SYNC_PROVIDER: &str = "phones.sync_provider";
pub const RETENTION: &str = "phones_retention";

/// Every minute: running devices are metered (and idle ones stopped); settled devices are
/// asked about at their provider. Daily: activity IPs older than 90 days are cleared.
pub const SCHEDULES: &[Schedule] = &[
    Schedule { name: "phones_meter", kind: METER, every_ms: Timestamp::MINUTE },
    Schedule { name: "phones_sync", kind: SYNC, every_ms: Timestamp::MINUTE },
    Schedule { name: "phones_retention", kind: RETENTION, every_ms: Timestamp::DAY },
];

pub fn job_handlers(p: &Phones) -> Handlers {
    Handlers::default()
        .with(OP, p, devices::op_job)
        .with(METER, p, meter_job)
        .with(SYNC, p, sync_job)
        .with(SYNC_PROVIDER, p, devices::sync_provider_job)
        .with(RETENTION, p, retention_job)
}

fn transient(e: AppError) -> JobError {
    JobError::Transient(e.to_string())
}

async fn meter_job(p: Phones, _job: frontdesk_platform::repo::jobs::Job) -> Result<(), JobError> {
    meter::run(&p).await.map(|_| ()).map_err(transient)
}

async fn sync_job(p: Phones, _job: frontdesk_platform::repo::jobs::Job) -> Result<(), JobError> {
    devices::sync_all(&p).await.map(|_| ()).map_err(transient)
}

async fn retention_job(p: Phones, _job: frontdesk_platform::repo::jobs::Job) -> Result<(), JobError> {
    retention(&p).await.map(|_| ()).map_err(transient)
}

/// Clears the IPs of device activity older than 90 days (P37); answers how many.
pub async fn retention(p: &Phones) -> AppResult<u64> {
    let before = p.now().0 - 90 * Timestamp::DAY;
    let mut c = p.db.conn().await?;
    Ok(repo::anonymise_activity(&mut c, before).await?)
}
