//! Billing's slice of the personal-data registry. Payments are financial records (P30): kept
//! 7 years from the end of their year whatever else is erased; erasing a customer keeps the
//! amounts, dates and provider ids and clears the link to them and what was typed about them.
//! No card number is ever stored (P28): the card's brand and last four digits at most.

use frontdesk_core::pii::Category::*;
use frontdesk_core::pii::Class::*;
use frontdesk_core::pii::Entry;
use frontdesk_core::pii::Erasure::*;
use frontdesk_core::pii::Retention::*;

/// (table, column, class) for every column billing owns.
pub const SLICE: &[Entry] = &[
    ("payment_accounts", "id", NotPersonal),
    ("payment_accounts", "workspace_id", NotPersonal),
    ("payment_accounts", "provider", NotPersonal),
    ("payment_accounts", "secret_key", Personal(Credential, DeleteRow, Workspace)),
    ("payment_accounts", "webhook_secret", Personal(Credential, DeleteRow, Workspace)),
    ("payment_accounts", "webhook_endpoint_id", NotPersonal),
    ("payment_accounts", "key_hint", NotPersonal),
    ("payment_accounts", "livemode", NotPersonal),
    ("payment_accounts", "created_by", NotPersonal),
    ("payment_accounts", "created_at", NotPersonal),
    ("payment_accounts", "updated_at", NotPersonal),
    ("payments", "id", NotPersonal),
    ("payments", "workspace_id", NotPersonal),
    ("payments", "account_id", NotPersonal),
    ("payments", "booking_id", NotPersonal),
    ("payments", "contact_id", Personal(Identity, Clear, Legal)),
    ("payments", "kind", NotPersonal),
    ("payments", "method", NotPersonal),
    ("payments", "provider", NotPersonal),
    ("payments", "status", NotPersonal),
    ("payments", "amount_minor", NotPersonal),
    ("payments", "currency", NotPersonal),
    ("payments", "refunded_minor", NotPersonal),
    ("payments", "checkout_id", NotPersonal),
    ("payments", "checkout_url", NotPersonal),
    ("payments", "intent_id", NotPersonal),
    ("payments", "card", Personal(Identity, Clear, Legal)),
    ("payments", "dispute", NotPersonal),
    ("payments", "flag", NotPersonal),
    ("payments", "note", Personal(Content, Clear, Legal)),
    ("payments", "expires_at", NotPersonal),
    ("payments", "checked_at", NotPersonal),
    ("payments", "paid_at", NotPersonal),
    ("payments", "created_by", NotPersonal),
    ("payments", "created_at", NotPersonal),
    ("payments", "updated_at", NotPersonal),
    ("payment_refunds", "id", NotPersonal),
    ("payment_refunds", "workspace_id", NotPersonal),
    ("payment_refunds", "payment_id", NotPersonal),
    ("payment_refunds", "amount_minor", NotPersonal),
    ("payment_refunds", "currency", NotPersonal),
    ("payment_refunds", "reason", Personal(Content, Clear, Legal)),
    ("payment_refunds", "status", NotPersonal),
    ("payment_refunds", "provider_refund_id", NotPersonal),
    ("payment_refunds", "error", NotPersonal),
    ("payment_refunds", "requested_by", NotPersonal),
    ("payment_refunds", "created_at", NotPersonal),
    ("payment_refunds", "updated_at", NotPersonal),
    ("payment_events", "id", NotPersonal),
    ("payment_events", "workspace_id", NotPersonal),
    ("payment_events", "account_id", NotPersonal),
    ("payment_events", "provider", NotPersonal),
    ("payment_events", "event_id", NotPersonal),
    ("payment_events", "kind", NotPersonal),
    ("payment_events", "payment_id", NotPersonal),
    ("payment_events", "outcome", NotPersonal),
    // The provider's payload may carry the payer's name and email: cleared after 90 days.
    ("payment_events", "payload", Personal(Content, Clear, Days90)),
    ("payment_events", "received_at", NotPersonal),
];
