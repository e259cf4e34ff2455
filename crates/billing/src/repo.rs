//! Billing's SQL: every statement is scoped by the workspace (an event's payment is looked up
//! only among the payments of the account that verified it).

use frontdesk_core::{BookingId, PaymentAccountId, PaymentEventId, PaymentId, RefundId, WorkspaceId};
use frontdesk_store::row;
use sqlx::AnyConnection;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub id: PaymentAccountId,
    pub workspace_id: WorkspaceId,
    pub provider: String,
    /// Sealed.
    pub secret_key: String,
    /// Sealed.
    pub webhook_secret: String,
    pub webhook_endpoint_id: String,
    /// The key's last four characters.
    pub key_hint: String,
    pub livemode: bool,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

row::table!(Account in "payment_accounts" {
    id, workspace_id, provider, secret_key, webhook_secret, webhook_endpoint_id, key_hint, livemode, created_by,
    created_at, updated_at
});

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payment {
    pub id: PaymentId,
    pub workspace_id: WorkspaceId,
    pub account_id: Option<PaymentAccountId>,
    pub booking_id: Option<BookingId>,
    pub contact_id: Option<String>,
    /// `deposit`, `full`, `request` or `manual`.
    pub kind: String,
    /// `card` (through the provider), `cash`, `card_terminal`, `bizum`, `transfer`, `other`.
    pub method: String,
    pub provider: Option<String>,
    /// `open`, `paid`, `expired`, `failed` or `refunded`.
    pub status: String,
    pub amount_minor: i64,
    pub currency: String,
    pub refunded_minor: i64,
    pub checkout_id: Option<String>,
    pub checkout_url: Option<String>,
    pub intent_id: Option<String>,
    /// `brand ·last4`, when the provider sent it.
    pub card: Option<String>,
    /// A dispute's status, while or after there is one.
    pub dispute: Option<String>,
    /// `duplicate`, `late` or `ended`: paid when it should not have been (refunded).
    pub flag: Option<String>,
    pub note: Option<String>,
    /// When an open checkout stops being offered (the booking's hold).
    pub expires_at: Option<i64>,
    /// When the provider was last asked about it.
    pub checked_at: Option<i64>,
    pub paid_at: Option<i64>,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

row::table!(Payment in "payments" {
    id, workspace_id, account_id, booking_id, contact_id, kind, method, provider, status, amount_minor, currency,
    refunded_minor, checkout_id, checkout_url, intent_id, card, dispute, flag, note, expires_at, checked_at, paid_at,
    created_by, created_at, updated_at
});

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refund {
    pub id: RefundId,
    pub workspace_id: WorkspaceId,
    pub payment_id: PaymentId,
    pub amount_minor: i64,
    pub currency: String,
    pub reason: String,
    /// `pending`, `succeeded` or `failed`.
    pub status: String,
    pub provider_refund_id: Option<String>,
    pub error: Option<String>,
    pub requested_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

row::table!(Refund in "payment_refunds" {
    id, workspace_id, payment_id, amount_minor, currency, reason, status, provider_refund_id, error, requested_by,
    created_at, updated_at
});

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub id: PaymentEventId,
    pub workspace_id: WorkspaceId,
    pub account_id: PaymentAccountId,
    pub provider: String,
    pub event_id: String,
    pub kind: String,
    pub payment_id: Option<PaymentId>,
    pub outcome: String,
    pub payload: Option<String>,
    pub received_at: i64,
}

row::table!(Event in "payment_events" {
    id, workspace_id, account_id, provider, event_id, kind, payment_id, outcome, payload, received_at
});

// Accounts.

pub async fn account(c: &mut AnyConnection, ws: &WorkspaceId, provider: &str) -> sqlx::Result<Option<Account>> {
    row::find(c, "WHERE workspace_id = $1 AND provider = $2", (ws, provider)).await
}

pub async fn account_by_id(c: &mut AnyConnection, id: &PaymentAccountId) -> sqlx::Result<Option<Account>> {
    row::find(c, "WHERE id = $1", id).await
}

pub async fn accounts(c: &mut AnyConnection, ws: &WorkspaceId) -> sqlx::Result<Vec<Account>> {
    row::find_all(c, "WHERE workspace_id = $1 ORDER BY provider", ws).await
}

pub async fn insert_account(c: &mut AnyConnection, a: &Account) -> sqlx::Result<()> {
    row::insert(c, a).await
}

pub async fn delete_account(c: &mut AnyConnection, ws: &WorkspaceId, id: &PaymentAccountId) -> sqlx::Result<bool> {
    row::one_changed(c, "DELETE FROM payment_accounts WHERE workspace_id = $1 AND id = $2", (ws, id)).await
}

// Payments.

pub async fn insert_payment(c: &mut AnyConnection, p: &Payment) -> sqlx::Result<()> {
    row::insert(c, p).await
}

pub async fn payment(c: &mut AnyConnection, ws: &WorkspaceId, id: &PaymentId) -> sqlx::Result<Option<Payment>> {
    row::find(c, "WHERE workspace_id = $1 AND id = $2", (ws, id)).await
}

pub async fn by_checkout(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    account: &PaymentAccountId,
    checkout: &str,
) -> sqlx::Result<Option<Payment>> {
    row::find(c, "WHERE workspace_id = $1 AND account_id = $2 AND checkout_id = $3", (ws, account, checkout)).await
}

pub async fn by_intent(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    account: &PaymentAccountId,
    intent: &str,
) -> sqlx::Result<Option<Payment>> {
    row::find(c, "WHERE workspace_id = $1 AND account_id = $2 AND intent_id = $3", (ws, account, intent)).await
}

pub async fn payments(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    status: Option<&str>,
    booking: Option<&BookingId>,
    limit: i64,
) -> sqlx::Result<Vec<Payment>> {
    let order = "ORDER BY created_at DESC, id DESC";
    match (status, booking) {
        (Some(s), Some(b)) => {
            let sql = format!("WHERE workspace_id = $1 AND status = $2 AND booking_id = $3 {order} LIMIT $4");
            row::find_all(c, &sql, (ws, s, b, limit)).await
        }
        (Some(s), None) => {
            row::find_all(c, &format!("WHERE workspace_id = $1 AND status = $2 {order} LIMIT $3"), (ws, s, limit)).await
        }
        (None, Some(b)) => {
            let sql = format!("WHERE workspace_id = $1 AND booking_id = $2 {order} LIMIT $3");
            row::find_all(c, &sql, (ws, b, limit)).await
        }
        (None, None) => row::find_all(c, &format!("WHERE workspace_id = $1 {order} LIMIT $2"), (ws, limit)).await,
    }
}

/// The booking's payments that took money, but `except`.
pub async fn paid_for_booking(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    booking: &BookingId,
    except: &PaymentId,
) -> sqlx::Result<Vec<Payment>> {
    let sql = "WHERE workspace_id = $1 AND booking_id = $2 AND id <> $3 AND status = 'paid' AND flag IS NULL \
               ORDER BY paid_at";
    row::find_all(c, sql, (ws, booking, except)).await
}

/// The booking's open checkout, if any (offered again rather than a second one).
pub async fn open_for_booking(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    booking: &BookingId,
) -> sqlx::Result<Option<Payment>> {
    row::find(
        c,
        "WHERE workspace_id = $1 AND booking_id = $2 AND status = 'open' AND kind <> 'request' ORDER BY created_at DESC",
        (ws, booking),
    )
    .await
}

/// Records that the money was taken (compare-and-swap: once, and never after a refund).
pub async fn set_paid(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    id: &PaymentId,
    (amount, intent): (Option<i64>, Option<&str>),
    now: i64,
) -> sqlx::Result<bool> {
    let sql = "UPDATE payments SET status = 'paid', paid_at = $1, updated_at = $1, \
               amount_minor = COALESCE($2, amount_minor), intent_id = COALESCE($3, intent_id) \
               WHERE workspace_id = $4 AND id = $5 AND status IN ('open', 'expired', 'failed')";
    row::one_changed(c, sql, (now, amount, intent, ws, id)).await
}

pub async fn set_intent(c: &mut AnyConnection, ws: &WorkspaceId, id: &PaymentId, intent: &str) -> sqlx::Result<()> {
    let sql = "UPDATE payments SET intent_id = $1 WHERE workspace_id = $2 AND id = $3 AND intent_id IS NULL";
    row::execute(c, sql, (intent, ws, id)).await
}

/// An open checkout ends unpaid (`expired` or `failed`); never undoes a payment.
pub async fn set_unpaid(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    id: &PaymentId,
    status: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let sql =
        "UPDATE payments SET status = $1, updated_at = $2 WHERE workspace_id = $3 AND id = $4 AND status = 'open'";
    row::one_changed(c, sql, (status, now, ws, id)).await
}

pub async fn set_checked(c: &mut AnyConnection, ws: &WorkspaceId, id: &PaymentId, now: i64) -> sqlx::Result<()> {
    row::execute(c, "UPDATE payments SET checked_at = $1 WHERE workspace_id = $2 AND id = $3", (now, ws, id)).await
}

pub async fn set_checkout(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    id: &PaymentId,
    (checkout, url): (&str, Option<&str>),
    now: i64,
) -> sqlx::Result<()> {
    let sql = "UPDATE payments SET checkout_id = $1, checkout_url = $2, checked_at = $3, updated_at = $3 \
               WHERE workspace_id = $4 AND id = $5";
    row::execute(c, sql, (checkout, url, now, ws, id)).await
}

pub async fn set_flag(c: &mut AnyConnection, ws: &WorkspaceId, id: &PaymentId, flag: &str) -> sqlx::Result<()> {
    let sql = "UPDATE payments SET flag = $1 WHERE workspace_id = $2 AND id = $3 AND flag IS NULL";
    row::execute(c, sql, (flag, ws, id)).await
}

/// What the provider says was refunded so far (it only grows; fully refunded is `refunded`).
pub async fn set_refunded(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    id: &PaymentId,
    total: i64,
    now: i64,
) -> sqlx::Result<bool> {
    let sql = "UPDATE payments SET refunded_minor = $1, updated_at = $2, \
               status = CASE WHEN $1 >= amount_minor THEN 'refunded' ELSE status END \
               WHERE workspace_id = $3 AND id = $4 AND refunded_minor < $1 AND status IN ('paid', 'refunded')";
    row::one_changed(c, sql, (total, now, ws, id)).await
}

pub async fn set_card(c: &mut AnyConnection, ws: &WorkspaceId, id: &PaymentId, card: &str) -> sqlx::Result<()> {
    let sql = "UPDATE payments SET card = $1 WHERE workspace_id = $2 AND id = $3 AND card IS NULL";
    row::execute(c, sql, (card, ws, id)).await
}

/// A dispute opened (never over one that has closed: events come out of order) or closed.
pub async fn set_dispute(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    id: &PaymentId,
    status: &str,
    closed: bool,
    now: i64,
) -> sqlx::Result<bool> {
    let sql = if closed {
        "UPDATE payments SET dispute = $1, updated_at = $2 WHERE workspace_id = $3 AND id = $4 \
         AND (dispute IS NULL OR dispute NOT IN ('won', 'lost', 'warning_closed'))"
    } else {
        "UPDATE payments SET dispute = $1, updated_at = $2 WHERE workspace_id = $3 AND id = $4 AND dispute IS NULL"
    };
    row::one_changed(c, sql, (status, now, ws, id)).await
}

/// Open checkouts to ask the provider about: past their hold, or not checked for `every` ms.
pub async fn open_to_check(c: &mut AnyConnection, now: i64, every: i64) -> sqlx::Result<Vec<Payment>> {
    let sql = "WHERE status = 'open' AND checkout_id IS NOT NULL AND (expires_at <= $1 OR checked_at IS NULL \
               OR checked_at <= $2) ORDER BY created_at LIMIT 200";
    row::find_all(c, sql, (now, now - every)).await
}

// Refunds.

pub async fn insert_refund(c: &mut AnyConnection, r: &Refund) -> sqlx::Result<()> {
    row::insert(c, r).await
}

pub async fn refund(c: &mut AnyConnection, ws: &WorkspaceId, id: &RefundId) -> sqlx::Result<Option<Refund>> {
    row::find(c, "WHERE workspace_id = $1 AND id = $2", (ws, id)).await
}

pub async fn refunds(c: &mut AnyConnection, ws: &WorkspaceId, payment: &PaymentId) -> sqlx::Result<Vec<Refund>> {
    row::find_all(c, "WHERE workspace_id = $1 AND payment_id = $2 ORDER BY created_at, id", (ws, payment)).await
}

/// What has been refunded or is being refunded of a payment (failed refunds aside).
pub async fn refunding(c: &mut AnyConnection, ws: &WorkspaceId, payment: &PaymentId) -> sqlx::Result<i64> {
    let sql = "SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM payment_refunds \
               WHERE workspace_id = $1 AND payment_id = $2 AND status <> 'failed'";
    row::scalar(c, sql, (ws, payment)).await
}

pub async fn finish_refund(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    id: &RefundId,
    (status, provider_id, error): (&str, Option<&str>, Option<&str>),
    now: i64,
) -> sqlx::Result<bool> {
    let sql = "UPDATE payment_refunds SET status = $1, provider_refund_id = COALESCE($2, provider_refund_id), \
               error = $3, updated_at = $4 WHERE workspace_id = $5 AND id = $6 AND status = 'pending'";
    row::one_changed(c, sql, (status, provider_id, error, now, ws, id)).await
}

// Events.

/// Stores an event once: `false` when this account already has it.
pub async fn insert_event(c: &mut AnyConnection, e: &Event) -> sqlx::Result<bool> {
    let sql = "INSERT INTO payment_events (id, workspace_id, account_id, provider, event_id, kind, payment_id, \
               outcome, payload, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
               ON CONFLICT (account_id, event_id) DO NOTHING";
    let n = row::changed(
        c,
        sql,
        (
            &e.id,
            &e.workspace_id,
            &e.account_id,
            &e.provider,
            &e.event_id,
            &e.kind,
            &e.payment_id,
            &e.outcome,
            &e.payload,
            e.received_at,
        ),
    )
    .await?;
    Ok(n == 1)
}

pub async fn set_event_outcome(
    c: &mut AnyConnection,
    id: &PaymentEventId,
    payment: Option<&PaymentId>,
    outcome: &str,
) -> sqlx::Result<()> {
    row::execute(c, "UPDATE payment_events SET payment_id = $1, outcome = $2 WHERE id = $3", (payment, outcome, id))
        .await
}

pub async fn events(c: &mut AnyConnection, ws: &WorkspaceId, payment: &PaymentId) -> sqlx::Result<Vec<Event>> {
    row::find_all(c, "WHERE workspace_id = $1 AND payment_id = $2 ORDER BY received_at, id", (ws, payment)).await
}

pub async fn unparseable(c: &mut AnyConnection, ws: &WorkspaceId, limit: i64) -> sqlx::Result<Vec<Event>> {
    row::find_all(
        c,
        "WHERE workspace_id = $1 AND outcome = 'unparseable' ORDER BY received_at DESC LIMIT $2",
        (ws, limit),
    )
    .await
}

// Retention.

/// Raw payloads older than `before` are cleared.
pub async fn clear_payloads(c: &mut AnyConnection, before: i64) -> sqlx::Result<u64> {
    let n = row::changed(
        c,
        "UPDATE platform_billing_events SET payload = NULL WHERE payload IS NOT NULL AND received_at < $1",
        before,
    )
    .await?;
    Ok(n + row::changed(
        c,
        "UPDATE payment_events SET payload = NULL WHERE payload IS NOT NULL AND received_at < $1",
        before,
    )
    .await?)
}

/// Financial records from before `before` (the start of the first year still kept) go.
pub async fn purge_before(c: &mut AnyConnection, before: i64) -> sqlx::Result<u64> {
    let mut n = row::changed(c, "DELETE FROM payment_events WHERE received_at < $1", before).await?;
    n += row::changed(
        c,
        "DELETE FROM payment_refunds WHERE payment_id IN (SELECT id FROM payments WHERE created_at < $1)",
        before,
    )
    .await?;
    n += row::changed(c, "DELETE FROM payments WHERE created_at < $1", before).await?;
    Ok(n)
}

/// Erasing a customer: their payments stay (amounts, dates, provider ids), without the link to
/// them or anything they typed.
pub async fn forget_contact(c: &mut AnyConnection, ws: &WorkspaceId, contact: &str) -> sqlx::Result<u64> {
    row::changed(
        c,
        "UPDATE payments SET contact_id = NULL, note = NULL, card = NULL WHERE workspace_id = $1 AND contact_id = $2",
        (ws, contact),
    )
    .await
}
