//! Frontdesk's billing: a business takes payments from its customers through its own payment
//! account (Stripe today, behind the [`gateway::PaymentGateway`] port): a deposit or the full
//! price when a service asks for it at booking, a payment asked for on demand, refunds (by hand,
//! and the ones the cancellation policy requires), disputes, and manual payments (cash, a card
//! terminal, Bizum). A booking that needs payment is a hold until paid; every provider event is
//! stored once in the transaction that applies it; a lost event never leaves a payment pending,
//! because open checkouts are asked about on the return URL and every 10 minutes.

pub mod accounts;
pub mod autotopup;
pub mod demo;
pub mod gateway;
pub mod memberships;
pub mod pay;
pub mod pii;
pub mod plans;
pub mod ports;
pub mod repo;
pub mod stripe;
pub mod subject;
pub mod wallet;

pub use frontdesk_platform::{AppError, AppResult, Platform};

use frontdesk_bookings::Bookings;
use frontdesk_core::Timestamp;
use frontdesk_platform::jobs::{Handlers, JobError, Schedule};
use frontdesk_store::Migration;
use gateway::PaymentGateway;
use std::sync::Arc;

/// Billing settings (the server's `[billing]` config section).
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct BillingSettings {
    /// Stripe's API (a loopback stand-in in tests).
    pub stripe_api_base: String,
    /// Where Stripe's hosted checkout lives: the pay pages may send a form there (their CSP).
    pub stripe_checkout_origin: String,
    /// A second successful payment for the same booking is refunded at once (it is flagged
    /// to staff either way).
    pub refund_duplicates: bool,
    /// How often an open checkout is asked about, in minutes, in case an event was lost.
    pub check_every_minutes: i64,
}

impl Default for BillingSettings {
    fn default() -> Self {
        Self {
            stripe_api_base: "https://api.stripe.com".into(),
            stripe_checkout_origin: "https://checkout.stripe.com".into(),
            refund_duplicates: true,
            check_every_minutes: 10,
        }
    }
}

impl BillingSettings {
    /// Checks the settings when the configuration loads.
    pub fn check(&self) -> Result<(), String> {
        for (name, v) in
            [("stripe_api_base", &self.stripe_api_base), ("stripe_checkout_origin", &self.stripe_checkout_origin)]
        {
            let ok = url::Url::parse(v).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
            if !ok {
                return Err(format!("billing.{name} must be an http(s) URL, not {v:?}"));
            }
        }
        if !(1..=60).contains(&self.check_every_minutes) {
            return Err("billing.check_every_minutes must be 1 to 60".into());
        }
        Ok(())
    }
}

/// Billing's context: the bookings' (which hold the inbox's and the platform's), its settings
/// and its providers. It derefs to [`Bookings`].
#[derive(Clone)]
pub struct Billing {
    pub bookings: Bookings,
    pub settings: Arc<BillingSettings>,
    pub stripe: Arc<dyn PaymentGateway>,
    stripe_client: Arc<stripe::Stripe>,
    /// `[platform_billing]`: the operator's plans and wallets (none: off).
    pub platform_settings: Option<Arc<plans::PlatformBillingSettings>>,
}

impl Billing {
    pub fn new(bookings: Bookings, settings: BillingSettings) -> Self {
        let http = bookings.platform.http.clone();
        let client = Arc::new(stripe::Stripe::new(http, &settings.stripe_api_base, &settings.stripe_checkout_origin));
        Self {
            bookings,
            settings: Arc::new(settings),
            stripe: client.clone(),
            stripe_client: client,
            platform_settings: None,
        }
    }

    /// With the operator's platform billing.
    pub fn with_platform(mut self, p: Option<plans::PlatformBillingSettings>) -> Self {
        self.platform_settings = p.map(Arc::new);
        self
    }

    /// Stripe itself, for what only the platform account does (customers, subscriptions).
    pub fn stripe_client(&self) -> &stripe::Stripe {
        &self.stripe_client
    }

    /// The gateway of a provider.
    pub fn gateway(&self, provider: &str) -> Option<&dyn PaymentGateway> {
        (provider == "stripe").then_some(self.stripe.as_ref())
    }

    /// The origins the pay pages may send the customer's browser to.
    pub fn checkout_origins(&self) -> Vec<String> {
        vec![self.stripe.checkout_origin()]
    }
}

impl std::ops::Deref for Billing {
    type Target = Bookings;
    fn deref(&self) -> &Bookings {
        &self.bookings
    }
}

impl AsRef<Platform> for Billing {
    fn as_ref(&self) -> &Platform {
        &self.bookings.inbox.platform
    }
}

/// Billing's tables, in the global migration order.
pub const MIGRATIONS: &[Migration] = &[
    Migration { version: 19, name: "billing", sql: include_str!("../migrations/0019_billing.sql") },
    Migration { version: 20, name: "platform_billing", sql: include_str!("../migrations/0020_platform_billing.sql") },
    Migration { version: 21, name: "wallet_debt", sql: include_str!("../migrations/0021_wallet_debt.sql") },
    Migration { version: 22, name: "memberships", sql: include_str!("../migrations/0022_memberships.sql") },
    Migration { version: 23, name: "membership_sales", sql: include_str!("../migrations/0023_membership_sales.sql") },
    Migration {
        version: 31,
        name: "billing_tokens_autotopup",
        sql: include_str!("../migrations/0031_billing_tokens_autotopup.sql"),
    },
    Migration {
        version: 32,
        name: "membership_renewals",
        sql: include_str!("../migrations/0032_membership_renewals.sql"),
    },
];

pub const SWEEP: &str = "billing_sweep";
pub const RETENTION: &str = "billing_retention";
pub const REFUND: &str = "billing.refund";
pub const PLANS: &str = "billing_plans";

/// Every minute: open checkouts past their hold are expired at the provider, and the others
/// are asked about every `check_every_minutes`. Daily: raw payloads older than 90 days are
/// cleared, financial records past their 7 years purged.
pub const SCHEDULES: &[Schedule] = &[
    Schedule { name: "billing_sweep", kind: SWEEP, every_ms: Timestamp::MINUTE },
    Schedule { name: "billing_retention", kind: RETENTION, every_ms: Timestamp::DAY },
    Schedule { name: "billing_plans", kind: PLANS, every_ms: Timestamp::HOUR },
];

pub fn job_handlers(b: &Billing) -> Handlers {
    Handlers::default()
        .with(SWEEP, b, sweep)
        .with(RETENTION, b, retention)
        .with(REFUND, b, pay::refund_job)
        .with(PLANS, b, plans_sweep)
        .with(autotopup::JOB, b, autotopup::job)
}

async fn sweep(b: Billing, _job: frontdesk_platform::repo::jobs::Job) -> Result<(), JobError> {
    pay::sweep(&b).await.map(|_| ()).map_err(|e| JobError::Transient(e.to_string()))
}

async fn plans_sweep(b: Billing, _job: frontdesk_platform::repo::jobs::Job) -> Result<(), JobError> {
    plans::sweep(&b).await.map(|_| ()).map_err(|e| JobError::Transient(e.to_string()))
}

async fn retention(b: Billing, _job: frontdesk_platform::repo::jobs::Job) -> Result<(), JobError> {
    pay::retention(&b).await.map(|_| ()).map_err(|e| JobError::Transient(e.to_string()))
}
