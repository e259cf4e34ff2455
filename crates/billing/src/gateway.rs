//! The payment-provider port: what billing asks of a provider (a webhook endpoint, a hosted
//! checkout, its status, its expiry, a refund) and what a provider's verified event means, in
//! the provider's own terms translated to ours. Stripe implements it today ([`crate::stripe`]);
//! Redsys and PayPal come behind the same port.

use frontdesk_platform::ports::Fut;

/// A checkout to open on the provider's hosted page.
#[derive(Clone, Debug)]
pub struct CheckoutRequest {
    /// Derived from our payment's id: a retried request never opens a second checkout.
    pub idempotency_key: String,
    pub amount_minor: i64,
    /// ISO 4217, upper case.
    pub currency: String,
    /// What the customer sees on the provider's page.
    pub description: String,
    pub success_url: String,
    pub cancel_url: String,
    /// Our payment's id (also sent as metadata; never trusted back alone).
    pub reference: String,
    pub customer_email: Option<String>,
    /// When the provider should expire it (ms; providers may ask for a minimum).
    pub expires_at: i64,
    /// `en` or `es`.
    pub locale: String,
    /// The provider's customer whose card is kept for later charges made without them
    /// (automatic top-ups); none for a one-off payment.
    pub keep_card_for: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckoutStatus {
    Open,
    Complete,
    Expired,
}

/// A checkout as the provider reports it.
#[derive(Clone, Debug)]
pub struct Checkout {
    pub id: String,
    pub url: Option<String>,
    pub status: CheckoutStatus,
    /// The money was taken (not merely authorised or pending).
    pub paid: bool,
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    pub intent_id: Option<String>,
    /// When the provider will expire it (ms).
    pub expires_at: Option<i64>,
}

#[derive(Clone, Debug)]
pub struct RefundRequest {
    pub idempotency_key: String,
    pub intent_id: String,
    pub amount_minor: i64,
    /// `requested_by_customer` or `duplicate`.
    pub reason: String,
    pub reference: String,
}

#[derive(Clone, Debug)]
pub struct Refund {
    pub id: String,
    /// `succeeded`, `pending`, `failed`, …
    pub status: String,
}

/// The webhook endpoint made at the provider for one account.
#[derive(Clone, Debug)]
pub struct Endpoint {
    pub id: String,
    pub secret: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GatewayError {
    /// The provider said no (a bad key, a request it refuses): its code and message.
    Rejected { status: u16, code: String, message: String },
    /// The provider could not be reached or failed; worth retrying.
    Unavailable(String),
}

impl std::fmt::Display for GatewayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GatewayError::Rejected { status, code, message } => write!(f, "refused ({status} {code}): {message}"),
            GatewayError::Unavailable(e) => write!(f, "unavailable: {e}"),
        }
    }
}

/// What a verified provider event says happened, in our terms. Every reference is the
/// provider's own id, looked up only among the payments of the account whose secret verified
/// the event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Happened {
    CheckoutPaid {
        checkout_id: String,
        intent_id: Option<String>,
        amount_minor: Option<i64>,
        currency: Option<String>,
    },
    /// Completed, the money still on its way (a delayed method): nothing is booked yet.
    CheckoutPending {
        checkout_id: String,
        intent_id: Option<String>,
    },
    CheckoutExpired {
        checkout_id: String,
    },
    CheckoutFailed {
        checkout_id: String,
    },
    IntentSucceeded {
        intent_id: String,
        amount_minor: Option<i64>,
    },
    IntentFailed {
        intent_id: String,
        reason: Option<String>,
    },
    Refunded {
        intent_id: String,
        amount_refunded: i64,
        card: Option<String>,
    },
    DisputeOpened {
        intent_id: String,
        status: String,
    },
    DisputeClosed {
        intent_id: String,
        status: String,
    },
    /// An event we do not act on.
    Other,
}

impl Happened {
    /// The provider's payment an intent-based event names.
    pub fn intent(&self) -> Option<&str> {
        match self {
            Happened::IntentSucceeded { intent_id, .. }
            | Happened::IntentFailed { intent_id, .. }
            | Happened::Refunded { intent_id, .. }
            | Happened::DisputeOpened { intent_id, .. }
            | Happened::DisputeClosed { intent_id, .. } => Some(intent_id),
            _ => None,
        }
    }
}

/// A verified event: its id (stored once), its type, and what it means.
#[derive(Clone, Debug)]
pub struct Event {
    pub id: String,
    pub kind: String,
    pub happened: Happened,
}

/// Why a delivery is refused before anything is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No signature header, or not one we understand.
    Missing,
    /// No signature matches the body.
    Mismatch,
    /// Signed too long ago (or in the future).
    Stale,
}

/// A payment provider, reached with one account's secret key.
pub trait PaymentGateway: Send + Sync {
    /// `stripe`.
    fn provider(&self) -> &'static str;
    /// Where the customer's browser is sent to pay (`scheme://host`), for the pay pages' CSP.
    fn checkout_origin(&self) -> String;
    /// Checks a secret key's form (before any call).
    fn key_looks_valid(&self, key: &str) -> bool;
    fn create_endpoint<'a>(&'a self, key: &'a str, url: &'a str) -> Fut<'a, Result<Endpoint, GatewayError>>;
    fn delete_endpoint<'a>(&'a self, key: &'a str, id: &'a str) -> Fut<'a, Result<(), GatewayError>>;
    fn create_checkout<'a>(&'a self, key: &'a str, r: &'a CheckoutRequest) -> Fut<'a, Result<Checkout, GatewayError>>;
    fn checkout<'a>(&'a self, key: &'a str, id: &'a str) -> Fut<'a, Result<Checkout, GatewayError>>;
    /// The checkout that made a provider payment, asked of the provider (an event about the
    /// payment may come before the one that tells us which checkout it belongs to).
    fn checkout_of_intent<'a>(
        &'a self,
        key: &'a str,
        intent: &'a str,
    ) -> Fut<'a, Result<Option<Checkout>, GatewayError>>;
    /// Expires an open checkout now; a checkout that completed meanwhile is returned as it is.
    fn expire_checkout<'a>(&'a self, key: &'a str, id: &'a str) -> Fut<'a, Result<Checkout, GatewayError>>;
    fn refund<'a>(&'a self, key: &'a str, r: &'a RefundRequest) -> Fut<'a, Result<Refund, GatewayError>>;
    /// Verifies a delivery on its raw bytes with the endpoint's secret (`header`: the
    /// provider's signature header), at `now_secs`.
    fn verify(&self, secret: &str, header: Option<&str>, body: &[u8], now_secs: i64) -> Result<(), Refusal>;
    /// The name of the signature header.
    fn signature_header(&self) -> &'static str;
    /// Reads a verified body; `None` when it is not an event we can read.
    fn parse(&self, body: &[u8]) -> Option<Event>;
}
