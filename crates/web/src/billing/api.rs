//! Payments over JSON: the list, one payment with its refunds and events, a payment asked of a
//! customer, a manual payment, a refund; the workspace's payment accounts. Provider webhooks.

use crate::inbox::api::current;
use crate::kit::answer::{Answer, Api, Done, Time};
use crate::kit::body::ApiJson;
use crate::kit::error::WebError;
use crate::kit::extract::ApiCaller;
use crate::{Access, AppState, Table};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use frontdesk_billing::accounts::{self, AccountInput, AccountOut};
use frontdesk_billing::pay::{self, ManualInput, Received, RefundInput, RequestInput};
use frontdesk_billing::repo::{Event, Payment, Refund};
use frontdesk_core::Action;
use frontdesk_platform::Platform;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub(crate) fn routes(t: Table) -> Table {
    use Access::*;
    use Action::{ManagePayments, ViewPayments};
    t.add("GET", "/api/v1/payments", Current(ViewPayments), "Payments, newest first (by status, by booking)", get(list))
        .query::<ListQuery>()
        .returns::<PaymentsOut>()
        .add(
            "POST",
            "/api/v1/payments",
            Current(ManagePayments),
            "Ask a customer to pay for a booking: a checkout and its link to send them",
            post(request),
        )
        .body::<RequestInput>()
        .created::<PaymentOut>()
        .add(
            "POST",
            "/api/v1/payments/manual",
            Current(ManagePayments),
            "Record a payment taken at the desk (cash, card terminal, Bizum, transfer)",
            post(manual),
        )
        .body::<ManualInput>()
        .created::<PaymentOut>()
        .add("GET", "/api/v1/payments/{id}", Current(ViewPayments), "A payment with its refunds and events", get(one))
        .returns::<PaymentDetailOut>()
        .add(
            "POST",
            "/api/v1/payments/{id}/refunds",
            Current(ManagePayments),
            "Refund part or all of a paid payment",
            post(refund),
        )
        .body::<RefundInput>()
        .created::<RefundOut>()
        .add(
            "GET",
            "/api/v1/payment-accounts",
            Current(ManagePayments),
            "The workspace's payment accounts (never their keys)",
            get(list_accounts),
        )
        .returns::<AccountsOut>()
        .add(
            "PUT",
            "/api/v1/payment-accounts/{provider}",
            Current(ManagePayments),
            "Connect a payment account with its secret key, or replace the key (the webhook endpoint is made there)",
            put(connect),
        )
        .body::<AccountInput>()
        .returns::<AccountOut>()
        .add(
            "DELETE",
            "/api/v1/payment-accounts/{provider}",
            Current(ManagePayments),
            "Disconnect a payment account (its payments stay)",
            axum::routing::delete(disconnect),
        )
        .done()
        .add(
            "POST",
            "/webhooks/stripe/{account_id}",
            Public,
            "Stripe events of one payment account (Stripe-Signature)",
            post(stripe_webhook),
        )
}

#[derive(Deserialize, JsonSchema)]
struct ListQuery {
    /// `open`, `paid`, `expired`, `failed` or `refunded`.
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    booking_id: Option<String>,
}

/// A payment as the API shows it.
#[derive(Serialize, JsonSchema)]
pub(crate) struct PaymentOut {
    id: String,
    booking_id: Option<String>,
    /// `deposit`, `full`, `request` or `manual`.
    kind: String,
    /// `card`, `cash`, `card_terminal`, `bizum`, `transfer` or `other`.
    method: String,
    provider: Option<String>,
    /// `open`, `paid`, `expired`, `failed` or `refunded`.
    status: String,
    amount_minor: i64,
    currency: String,
    refunded_minor: i64,
    /// `brand ·last4`, when the provider sent it.
    card: Option<String>,
    /// A dispute's status, if there is or was one.
    dispute: Option<String>,
    /// `duplicate`, `late` or `ended`: paid when it should not have been, and refunded.
    flag: Option<String>,
    note: Option<String>,
    /// The customer's pay page, while it is open.
    pay_url: Option<String>,
    provider_checkout_id: Option<String>,
    provider_payment_id: Option<String>,
    paid_at: Option<Time>,
    created_at: Time,
}

pub(crate) fn payment_out(p: &Platform, x: &Payment) -> PaymentOut {
    PaymentOut {
        id: x.id.to_string(),
        booking_id: x.booking_id.as_ref().map(|b| b.to_string()),
        kind: x.kind.clone(),
        method: x.method.clone(),
        provider: x.provider.clone(),
        status: x.status.clone(),
        amount_minor: x.amount_minor,
        currency: x.currency.clone(),
        refunded_minor: x.refunded_minor,
        card: x.card.clone(),
        dispute: x.dispute.clone(),
        flag: x.flag.clone(),
        note: x.note.clone(),
        pay_url: (x.status == "open").then(|| pay::url(p, x)),
        provider_checkout_id: x.checkout_id.clone(),
        provider_payment_id: x.intent_id.clone(),
        paid_at: Time::of_opt(x.paid_at),
        created_at: Time::of(x.created_at),
    }
}

#[derive(Serialize, JsonSchema)]
struct PaymentsOut {
    payments: Vec<PaymentOut>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct RefundOut {
    id: String,
    payment_id: String,
    amount_minor: i64,
    currency: String,
    reason: String,
    /// `pending` (asked of the provider), `succeeded` or `failed`.
    status: String,
    error: Option<String>,
    created_at: Time,
}

fn refund_out(r: &Refund) -> RefundOut {
    RefundOut {
        id: r.id.to_string(),
        payment_id: r.payment_id.to_string(),
        amount_minor: r.amount_minor,
        currency: r.currency.clone(),
        reason: r.reason.clone(),
        status: r.status.clone(),
        error: r.error.clone(),
        created_at: Time::of(r.created_at),
    }
}

#[derive(Serialize, JsonSchema)]
struct EventOut {
    /// The provider's event id.
    event_id: String,
    kind: String,
    /// `applied`, `ignored`, `unmatched` or `unparseable`.
    outcome: String,
    received_at: Time,
}

fn event_out(e: &Event) -> EventOut {
    EventOut {
        event_id: e.event_id.clone(),
        kind: e.kind.clone(),
        outcome: e.outcome.clone(),
        received_at: Time::of(e.received_at),
    }
}

#[derive(Serialize, JsonSchema)]
struct PaymentDetailOut {
    payment: PaymentOut,
    refunds: Vec<RefundOut>,
    events: Vec<EventOut>,
}

#[derive(Serialize, JsonSchema)]
struct AccountsOut {
    accounts: Vec<AccountOut>,
}

async fn list(State(s): State<AppState>, c: ApiCaller, Query(q): Query<ListQuery>) -> Api<PaymentsOut> {
    let a = current(&s, &c, Action::ViewPayments).await?;
    let list = pay::list(&s.billing, &a.workspace.id, q.status.as_deref(), q.booking_id.as_deref()).await?;
    let p: &Platform = &s.app.platform;
    Ok(Answer::ok(PaymentsOut { payments: list.iter().map(|x| payment_out(p, x)).collect() }))
}

async fn one(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<PaymentDetailOut> {
    let a = current(&s, &c, Action::ViewPayments).await?;
    let (x, refunds, events) = pay::get(&s.billing, &a.workspace.id, &id).await?;
    Ok(Answer::ok(PaymentDetailOut {
        payment: payment_out(&s.app.platform, &x),
        refunds: refunds.iter().map(refund_out).collect(),
        events: events.iter().map(event_out).collect(),
    }))
}

async fn request(State(s): State<AppState>, c: ApiCaller, ApiJson(b): ApiJson<RequestInput>) -> Api<PaymentOut> {
    let a = current(&s, &c, Action::ManagePayments).await?;
    let x = pay::request(&s.billing, &a, &b).await?;
    Ok(Answer::created(payment_out(&s.app.platform, &x)))
}

async fn manual(State(s): State<AppState>, c: ApiCaller, ApiJson(b): ApiJson<ManualInput>) -> Api<PaymentOut> {
    let a = current(&s, &c, Action::ManagePayments).await?;
    let x = pay::record_manual(&s.billing, &a, &b).await?;
    Ok(Answer::created(payment_out(&s.app.platform, &x)))
}

async fn refund(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<RefundInput>,
) -> Api<RefundOut> {
    let a = current(&s, &c, Action::ManagePayments).await?;
    Ok(Answer::created(refund_out(&pay::refund(&s.billing, &a, &id, &b).await?)))
}

async fn list_accounts(State(s): State<AppState>, c: ApiCaller) -> Api<AccountsOut> {
    let a = current(&s, &c, Action::ManagePayments).await?;
    let list = accounts::list(&s.billing, &a).await?;
    Ok(Answer::ok(AccountsOut { accounts: list.iter().map(|x| accounts::out(&s.billing, x)).collect() }))
}

async fn connect(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(provider): Path<String>,
    ApiJson(b): ApiJson<AccountInput>,
) -> Api<AccountOut> {
    let a = current(&s, &c, Action::ManagePayments).await?;
    let x = accounts::connect(&s.billing, &a, &provider, &b).await?;
    Ok(Answer::ok(accounts::out(&s.billing, &x)))
}

async fn disconnect(State(s): State<AppState>, c: ApiCaller, Path(provider): Path<String>) -> Result<Done, WebError> {
    let a = current(&s, &c, Action::ManagePayments).await?;
    accounts::disconnect(&s.billing, &a, &provider).await?;
    Ok(Done)
}

/// Stripe's deliveries: verified on the raw bytes with the account's own secret before
/// anything is read; 200 once stored (also for one we had, or one we cannot read).
async fn stripe_webhook(
    State(s): State<AppState>,
    Path(account): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    let sig = headers.get("stripe-signature").and_then(|v| v.to_str().ok());
    let got = pay::receive(&s.billing, "stripe", &account, sig, &body).await?;
    let what = match got {
        Received::Applied => "applied",
        Received::Ignored => "ignored",
        Received::Repeated => "repeated",
        Received::Unparseable => "unparseable",
    };
    Ok((StatusCode::OK, axum::Json(serde_json::json!({ "received": what }))).into_response())
}
