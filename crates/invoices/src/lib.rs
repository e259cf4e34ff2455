//! Frontdesk's invoices (payments, part 2): an invoice profile per workspace (legal name, tax
//! id, series, tax rates; the address, logo and time zone come from the business profile),
//! drafts with lines whose prices include tax, numbers assigned at issue inside the issuing
//! transaction (gapless per series and year, dates never going back, each invoice holding the
//! hash of the one before), credit notes in their own series (refunds make them), PDFs in
//! English or Spanish, emailed through the job queue and viewable and payable at a signed
//! link, the accountant's CSV and ZIP, and seven years of keeping (P30).

pub mod auto;
pub mod demo;
pub mod export;
pub mod invoices;
pub mod layout;
pub mod money;
pub mod pdf;
pub mod pii;
pub mod repo;
pub mod subject;

pub use frontdesk_platform::{AppError, AppResult, Platform};

use frontdesk_billing::Billing;
use frontdesk_core::Timestamp;
use frontdesk_platform::jobs::{Handlers, JobError, Schedule};
use frontdesk_store::{row, Migration};

/// The invoices' context: billing's (which holds the bookings', the inbox's and the
/// platform's). It derefs to [`Billing`].
#[derive(Clone)]
pub struct Invoices {
    pub billing: Billing,
}

impl Invoices {
    pub fn new(billing: Billing) -> Self {
        Self { billing }
    }
}

impl std::ops::Deref for Invoices {
    type Target = Billing;
    fn deref(&self) -> &Billing {
        &self.billing
    }
}

impl AsRef<Platform> for Invoices {
    fn as_ref(&self) -> &Platform {
        self.billing.as_ref()
    }
}

pub const MIGRATIONS: &[Migration] =
    &[Migration { version: 36, name: "invoices", sql: include_str!("../migrations/0036_invoices.sql") }];

pub const AUTO: &str = "invoices_auto";
pub const RETENTION: &str = "invoices_retention";

/// Every minute: invoices for paid payments and credit notes for refunds (with `auto_issue`
/// on). Daily: exports older than 7 days go; invoices past their seven years are purged.
pub const SCHEDULES: &[Schedule] = &[
    Schedule { name: "invoices_auto", kind: AUTO, every_ms: Timestamp::MINUTE },
    Schedule { name: "invoices_retention", kind: RETENTION, every_ms: Timestamp::DAY },
];

pub fn job_handlers(x: &Invoices) -> Handlers {
    Handlers::default().with(AUTO, x, auto_job).with(RETENTION, x, retention_job).with(export::JOB, x, export::job)
}

async fn auto_job(x: Invoices, _job: frontdesk_platform::repo::jobs::Job) -> Result<(), JobError> {
    auto::run(&x).await.map(|_| ()).map_err(|e| JobError::Transient(e.to_string()))
}

async fn retention_job(x: Invoices, _job: frontdesk_platform::repo::jobs::Job) -> Result<(), JobError> {
    export::prune(&x).await.map_err(|e| JobError::Transient(e.to_string()))?;
    retention(&x).await.map(|_| ()).map_err(|e| JobError::Transient(e.to_string()))
}

/// Issued invoices and credit notes dated before 1 January seven years ago go, with their
/// lines (drafts are not financial records and stay until deleted).
pub async fn retention(x: &Invoices) -> AppResult<u64> {
    let cutoff = frontdesk_billing::pay::legal_cutoff(x.now().0);
    let day = frontdesk_core::hours::local_date("UTC", cutoff).unwrap_or_default();
    let mut tx = x.db.begin().await?;
    row::execute(
        &mut tx,
        "DELETE FROM invoice_lines WHERE invoice_id IN (SELECT id FROM invoices WHERE status = 'issued' AND issue_date < $1)",
        day.as_str(),
    )
    .await?;
    let n =
        row::changed(&mut tx, "DELETE FROM invoices WHERE status = 'issued' AND issue_date < $1", day.as_str()).await?;
    tx.commit().await?;
    Ok(n)
}
