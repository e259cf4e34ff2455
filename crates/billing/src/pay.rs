//! Payments: a checkout for a booking's deposit or full price (the booking is a hold until
//! paid), a payment asked for on demand, manual payments, refunds, and what the provider's
//! events and answers do to them. Every change of a payment is a compare-and-swap on its status,
//! so a redelivered or out-of-order event never undoes a later state; a success is applied with
//! its booking in one transaction; money going back is an audited refund with an idempotency key
//! derived from its own id, sent by a job.

use crate::accounts::{self, actor_label};
use crate::gateway::{Checkout, CheckoutRequest, CheckoutStatus, GatewayError, Happened, RefundRequest, Refusal};
use crate::repo::{self as q, Account, Payment, Refund};
use crate::Billing;
use frontdesk_bookings::book::{self, Paid};
use frontdesk_bookings::repo::Booking;
use frontdesk_core::money::Money;
use frontdesk_core::time::LocalTimes;
use frontdesk_core::{
    Action, BookingId, JobId, PaymentAccountId, PaymentEventId, PaymentId, RefundId, Timestamp, WorkspaceId,
};
use frontdesk_i18n::{tl, Lang};
use frontdesk_platform::audit::{self, Actor};
use frontdesk_platform::error::{AppError, AppResult, ErrorKind};
use frontdesk_platform::jobs::JobError;
use frontdesk_platform::mail::{self, Mail};
use frontdesk_platform::workspaces::Access;
use frontdesk_platform::{signed_link, Platform};
use frontdesk_store::Conn;
use schemars::JsonSchema;
use serde::Deserialize;
use sha2::{Digest, Sha256};

const PAY_LINK: &str = "payment.pay";

fn system() -> Actor {
    Actor { kind: "system", id: Some("billing".into()), ip: None }
}

fn not_found() -> AppError {
    AppError::not_found("The payment")
}

fn conflict(code: &'static str, message: &str) -> AppError {
    AppError::new(ErrorKind::Conflict, code, message)
}

/// The customer's pay link of a payment (signed over its purpose, workspace and id).
pub fn token(p: &Platform, pay: &Payment) -> String {
    signed_link::sign(&p.vault, PAY_LINK, pay.workspace_id.as_str(), pay.id.as_str(), 1)
}

pub fn url(p: &Platform, pay: &Payment) -> String {
    format!("{}/pay/{}", p.settings.base_url, token(p, pay))
}

/// The payment a pay link names.
pub async fn opened(b: &Billing, token: &str) -> AppResult<Payment> {
    let p: &Platform = b.as_ref();
    let l = signed_link::verify(&p.vault, PAY_LINK, token).filter(|l| l.stamp == 1).ok_or_else(not_found)?;
    let ws = WorkspaceId::parse(&l.scope).ok_or_else(not_found)?;
    let id = PaymentId::parse(&l.id).ok_or_else(not_found)?;
    let mut c = b.db.conn().await?;
    q::payment(&mut c, &ws, &id).await?.ok_or_else(not_found)
}

/// What a service asks to be paid for a booking of `total` (0: nothing up front).
pub fn due(service: &frontdesk_bookings::repo::Service, total: i64) -> i64 {
    let amount = match service.payment.as_str() {
        "full" => total,
        "deposit" => match (service.deposit_minor, service.deposit_percent) {
            (Some(m), _) => m,
            (None, Some(pct)) => (total * pct + 50) / 100,
            _ => 0,
        },
        _ => 0,
    };
    amount.clamp(0, total.max(0))
}

/// Does booking this service online take a payment now (it asks for one, and the workspace has
/// a payment account to take it)?
pub async fn takes_payment(
    b: &Billing,
    ws: &WorkspaceId,
    service: &frontdesk_bookings::repo::Service,
) -> AppResult<bool> {
    if service.payment == "none" {
        return Ok(false);
    }
    let mut c = b.db.conn().await?;
    Ok(q::account(&mut c, ws, "stripe").await?.is_some())
}

fn description(business: &str, service: &str, kind: &str, lang: Lang) -> String {
    let what = match kind {
        "deposit" => tl!(lang, "pay-kind-deposit"),
        "full" => tl!(lang, "pay-kind-full"),
        _ => tl!(lang, "pay-kind-request"),
    };
    let s: String = format!("{business} · {service} · {what}").chars().take(250).collect();
    s
}

/// For a booking just held on the booking page: its payment (deposit or full price), open and
/// with a checkout at the provider when it could be made. `None` when nothing is due (then the
/// hold is booked at once).
pub async fn start_for_booking(b: &Billing, ws: &WorkspaceId, bk: &Booking, lang: Lang) -> AppResult<Option<Payment>> {
    let mut c = b.db.conn().await?;
    let service =
        frontdesk_bookings::repo::service(&mut c, ws, &bk.service_id).await?.ok_or_else(AppError::internal)?;
    let amount = due(&service, bk.total_minor);
    let account = q::account(&mut c, ws, "stripe").await?;
    drop(c);
    let (Some(account), true) = (account, amount > 0) else {
        if bk.status == "hold" {
            let mut tx = b.db.begin().await?;
            let out = book::paid(&b.bookings, &mut tx, ws, &bk.id).await?;
            tx.commit().await?;
            if let Paid::Booked(x) | Paid::Rebooked(x) = out {
                book::announce(&b.bookings, &x);
            }
        }
        return Ok(None);
    };
    if let Some(open) = {
        let mut c = b.db.conn().await?;
        q::open_for_booking(&mut c, ws, &bk.id).await?
    } {
        return Ok(Some(open));
    }
    let now = b.now().0;
    let pay = Payment {
        account_id: Some(account.id.clone()),
        booking_id: Some(bk.id.clone()),
        contact_id: bk.contact_id.as_ref().map(|c| c.to_string()),
        provider: Some(account.provider.clone()),
        expires_at: bk.hold_expires_at.or(Some(now + b.bookings.settings.hold_minutes * Timestamp::MINUTE)),
        created_by: Some("customer".into()),
        ..new_payment(
            (ws.clone(), if service.payment == "full" { "full" } else { "deposit" }.into(), "card".into()),
            (amount, bk.currency.clone()),
            "open".into(),
            now,
        )
    };
    {
        let mut tx = b.db.begin().await?;
        q::insert_payment(&mut tx, &pay).await?;
        audit::record(
            b,
            &mut tx,
            ws.as_str(),
            &system(),
            "payment.open",
            Some(("payment", pay.id.as_str())),
            &pay.kind,
        )
        .await?;
        tx.commit().await?;
    }
    // The checkout itself: if the provider cannot be reached now, the pay page tries again.
    match open_checkout(b, &account, &pay, &service.name, lang).await {
        Ok(p) => Ok(Some(p)),
        Err(e) => {
            tracing::warn!(payment = %pay.id, error = %e, "checkout not opened yet");
            Ok(Some(pay))
        }
    }
}

/// A payment row with nothing but its essentials (the caller fills in the rest).
fn new_payment(
    (ws, kind, method): (WorkspaceId, String, String),
    (amount_minor, currency): (i64, String),
    status: String,
    now: i64,
) -> Payment {
    Payment {
        id: PaymentId::new(),
        workspace_id: ws,
        account_id: None,
        booking_id: None,
        contact_id: None,
        kind,
        method,
        provider: None,
        status,
        amount_minor,
        currency,
        refunded_minor: 0,
        checkout_id: None,
        checkout_url: None,
        intent_id: None,
        card: None,
        dispute: None,
        flag: None,
        note: None,
        expires_at: None,
        checked_at: None,
        paid_at: None,
        created_by: None,
        created_at: now,
        updated_at: now,
    }
}

/// A pass or membership bought online: its payment, open with a checkout at the provider (a
/// checkout that could not be made is tried again from the pay page).
pub async fn start_sale(
    b: &Billing,
    ws: &WorkspaceId,
    plan: &crate::memberships::Plan,
    contact: &frontdesk_core::ContactId,
    lang: Lang,
) -> AppResult<Payment> {
    let account = {
        let mut c = b.db.conn().await?;
        q::account(&mut c, ws, "stripe").await?
    }
    .ok_or_else(|| conflict("no_payment_account", "This business takes no online payments now."))?;
    let now = b.now().0;
    let pay = Payment {
        account_id: Some(account.id.clone()),
        contact_id: Some(contact.to_string()),
        provider: Some(account.provider.clone()),
        expires_at: Some(now + 60 * Timestamp::MINUTE),
        created_by: Some("customer".into()),
        note: Some(plan.name.clone()),
        ..new_payment(
            (ws.clone(), "pass".into(), "card".into()),
            (plan.price_minor, plan.currency.clone()),
            "open".into(),
            now,
        )
    };
    let mut tx = b.db.begin().await?;
    q::insert_payment(&mut tx, &pay).await?;
    frontdesk_store::row::execute(
        &mut tx,
        "INSERT INTO membership_sales (payment_id, workspace_id, plan_id, contact_id, created_at) VALUES ($1, $2, $3, $4, $5)",
        (pay.id.as_str(), ws, plan.id.as_str(), contact.as_str(), now),
    )
    .await?;
    audit::record(b, &mut tx, ws.as_str(), &system(), "payment.open", Some(("payment", pay.id.as_str())), "pass")
        .await?;
    tx.commit().await?;
    match open_checkout(b, &account, &pay, &plan.name, lang).await {
        Ok(p) => Ok(p),
        Err(e) => {
            tracing::warn!(payment = %pay.id, error = %e, "checkout not opened yet");
            Ok(pay)
        }
    }
}

/// An issued invoice paid online from its public link: its payment, open for a day with a
/// checkout at the provider (made again from the pay page if it could not be made now).
pub async fn start_for_invoice(
    b: &Billing,
    ws: &WorkspaceId,
    (amount_minor, currency): (i64, &str),
    contact: Option<&str>,
    number: &str,
    lang: Lang,
) -> AppResult<Payment> {
    let account = {
        let mut c = b.db.conn().await?;
        q::account(&mut c, ws, "stripe").await?
    }
    .ok_or_else(|| conflict("no_payment_account", "This business takes no online payments now."))?;
    let now = b.now().0;
    let pay = Payment {
        account_id: Some(account.id.clone()),
        contact_id: contact.map(str::to_string),
        provider: Some(account.provider.clone()),
        expires_at: Some(now + 23 * Timestamp::HOUR),
        created_by: Some("customer".into()),
        note: Some(number.to_string()),
        ..new_payment(
            (ws.clone(), "invoice".into(), "card".into()),
            (amount_minor, currency.to_string()),
            "open".into(),
            now,
        )
    };
    let mut tx = b.db.begin().await?;
    q::insert_payment(&mut tx, &pay).await?;
    audit::record(b, &mut tx, ws.as_str(), &system(), "payment.open", Some(("payment", pay.id.as_str())), "invoice")
        .await?;
    tx.commit().await?;
    match open_checkout(b, &account, &pay, number, lang).await {
        Ok(p) => Ok(p),
        Err(e) => {
            tracing::warn!(payment = %pay.id, error = %e, "checkout not opened yet");
            Ok(pay)
        }
    }
}

/// Opens (or finds again: the idempotency key is the payment's) the provider's checkout.
async fn open_checkout(b: &Billing, account: &Account, pay: &Payment, service: &str, lang: Lang) -> AppResult<Payment> {
    let p: &Platform = b.as_ref();
    let g = b.gateway(&account.provider).ok_or_else(AppError::internal)?;
    let (key, _) = accounts::secrets(b, account)?;
    let mut c = b.db.conn().await?;
    let business = frontdesk_platform::repo::workspaces::by_id(&mut c, &pay.workspace_id)
        .await?
        .map(|w| w.name)
        .unwrap_or_default();
    let email = match pay.contact_id.as_deref().and_then(frontdesk_core::ContactId::parse) {
        Some(cid) => {
            frontdesk_inbox::repo::inbox::contact(&mut c, &pay.workspace_id, &cid).await?.and_then(|k| k.email)
        }
        None => None,
    };
    drop(c);
    let now = b.now().0;
    let link = url(p, pay);
    let req = CheckoutRequest {
        idempotency_key: format!("checkout:{}", pay.id),
        amount_minor: pay.amount_minor,
        currency: pay.currency.to_ascii_uppercase(),
        description: description(&business, service, &pay.kind, lang),
        success_url: format!("{link}/return?session={{CHECKOUT_SESSION_ID}}"),
        cancel_url: link,
        reference: pay.id.to_string(),
        customer_email: email,
        keep_card_for: None,
        // Stripe keeps a session at least 30 minutes; a shorter hold is ended by our sweeper.
        expires_at: pay.expires_at.unwrap_or(now).max(now + 31 * Timestamp::MINUTE).min(now + 23 * Timestamp::HOUR),
        locale: lang.code().to_string(),
    };
    let co = g.create_checkout(&key, &req).await.map_err(accounts::refused)?;
    let mut c = b.db.conn().await?;
    q::set_checkout(&mut c, &pay.workspace_id, &pay.id, (&co.id, co.url.as_deref()), now).await?;
    q::payment(&mut c, &pay.workspace_id, &pay.id).await?.ok_or_else(AppError::internal)
}

/// Where the pay page sends the customer: the open checkout's page (made now if it could not
/// be made before). Refused once the payment is no longer open.
pub async fn checkout_url(b: &Billing, pay: &Payment, lang: Lang) -> AppResult<String> {
    let now = b.now().0;
    if pay.status != "open" || pay.expires_at.is_some_and(|t| t <= now) {
        return Err(conflict("payment_not_open", "This payment can no longer be made; book again."));
    }
    if let Some(u) = &pay.checkout_url {
        return Ok(u.clone());
    }
    let mut c = b.db.conn().await?;
    let account = match &pay.account_id {
        Some(a) => q::account_by_id(&mut c, a).await?,
        None => None,
    }
    .filter(|a| a.workspace_id == pay.workspace_id)
    .ok_or_else(|| conflict("no_payment_account", "This business takes no online payments now."))?;
    let service = match &pay.booking_id {
        Some(bid) => match frontdesk_bookings::repo::booking(&mut c, &pay.workspace_id, bid).await? {
            Some(bk) => {
                frontdesk_bookings::repo::service(&mut c, &pay.workspace_id, &bk.service_id).await?.map(|s| s.name)
            }
            None => None,
        },
        None => None,
    }
    .unwrap_or_default();
    drop(c);
    let p = open_checkout(b, &account, pay, &service, lang).await?;
    p.checkout_url.ok_or_else(|| {
        AppError::new(
            ErrorKind::Unavailable,
            "payments_unavailable",
            "The payment provider cannot be reached right now; try again in a moment.",
        )
    })
}

/// Asks the provider how an open checkout stands and applies the answer (the return URL, the
/// sweeper): a lost event never leaves a payment pending.
pub async fn refresh(b: &Billing, pay: &Payment) -> AppResult<Payment> {
    if pay.status != "open" {
        return Ok(pay.clone());
    }
    let (Some(account_id), Some(checkout)) = (&pay.account_id, &pay.checkout_id) else { return Ok(pay.clone()) };
    let account = {
        let mut c = b.db.conn().await?;
        q::account_by_id(&mut c, account_id).await?
    };
    let Some(account) = account.filter(|a| a.workspace_id == pay.workspace_id) else { return Ok(pay.clone()) };
    let g = b.gateway(&account.provider).ok_or_else(AppError::internal)?;
    let (key, _) = accounts::secrets(b, &account)?;
    let now = b.now().0;
    let co = if pay.expires_at.is_some_and(|t| t <= now) {
        g.expire_checkout(&key, checkout).await
    } else {
        g.checkout(&key, checkout).await
    };
    let co = match co {
        Ok(co) => co,
        Err(GatewayError::Unavailable(e)) => {
            tracing::warn!(payment = %pay.id, error = %e, "checkout status unknown for now");
            return Ok(pay.clone());
        }
        Err(e) => return Err(accounts::refused(e)),
    };
    apply_checkout(b, pay, &co).await?;
    let mut c = b.db.conn().await?;
    q::payment(&mut c, &pay.workspace_id, &pay.id).await?.ok_or_else(AppError::internal)
}

async fn apply_checkout(b: &Billing, pay: &Payment, co: &Checkout) -> AppResult<()> {
    let ws = &pay.workspace_id;
    let mut tx = b.db.begin().await?;
    let now = b.now().0;
    q::set_checked(&mut tx, ws, &pay.id, now).await?;
    let mut after = After::default();
    if co.paid {
        paid(b, &mut tx, pay, co.amount_minor, co.intent_id.as_deref(), &mut after).await?;
    } else if co.status == CheckoutStatus::Expired {
        unpaid(b, &mut tx, pay, "expired").await?;
    }
    tx.commit().await?;
    after.run(b);
    Ok(())
}

/// What to do once the transaction commits.
#[derive(Default)]
struct After {
    announce: Vec<Booking>,
}

impl After {
    fn run(self, b: &Billing) {
        for bk in &self.announce {
            book::announce(&b.bookings, bk);
        }
    }
}

async fn lock(b: &Billing, c: &mut Conn, pay: &Payment) -> AppResult<()> {
    let key = match &pay.booking_id {
        Some(bid) => format!("payments:booking:{bid}"),
        None => format!("payments:payment:{}", pay.id),
    };
    b.db.lock_stream(c, &key).await?;
    Ok(())
}

/// The money was taken: once, then what it means for the booking. A second payment for one
/// booking is flagged and refunded; a payment that arrives after its hold lapsed books the slot
/// if it is still free, else goes back in full, and the customer is told.
async fn paid(
    b: &Billing,
    c: &mut Conn,
    pay: &Payment,
    amount: Option<i64>,
    intent: Option<&str>,
    after: &mut After,
) -> AppResult<bool> {
    lock(b, c, pay).await?;
    let ws = &pay.workspace_id;
    let now = b.now().0;
    if !q::set_paid(c, ws, &pay.id, (amount, intent), now).await? {
        if let Some(i) = intent {
            q::set_intent(c, ws, &pay.id, i).await?;
        }
        return Ok(false);
    }
    audit::record(b, c, ws.as_str(), &system(), "payment.paid", Some(("payment", pay.id.as_str())), &pay.kind).await?;
    if pay.kind == "pass" {
        crate::memberships::grant_sold(b, c, pay).await?;
        return Ok(true);
    }
    let Some(bid) = &pay.booking_id else { return Ok(true) };
    if !matches!(pay.kind.as_str(), "deposit" | "full") {
        return Ok(true);
    }
    let fresh = q::payment(c, ws, &pay.id).await?.ok_or_else(AppError::internal)?;
    let others: Vec<Payment> = q::paid_for_booking(c, ws, bid, &pay.id)
        .await?
        .into_iter()
        .filter(|p| matches!(p.kind.as_str(), "deposit" | "full"))
        .collect();
    if !others.is_empty() {
        q::set_flag(c, ws, &pay.id, "duplicate").await?;
        audit::record(b, c, ws.as_str(), &system(), "payment.duplicate", Some(("payment", pay.id.as_str())), "flagged")
            .await?;
        if b.settings.refund_duplicates {
            refund_in(b, c, &fresh, fresh.amount_minor, "duplicate", &system()).await?;
        }
        return Ok(true);
    }
    match book::paid(&b.bookings, c, ws, bid).await? {
        Paid::Booked(bk) | Paid::Rebooked(bk) => after.announce.push(bk),
        Paid::AlreadyBooked => {}
        Paid::SlotGone => {
            q::set_flag(c, ws, &pay.id, "late").await?;
            refund_in(b, c, &fresh, fresh.amount_minor, "requested_by_customer", &system()).await?;
            tell_customer_late(b, c, &fresh).await?;
        }
        Paid::Ended => {
            q::set_flag(c, ws, &pay.id, "ended").await?;
            refund_in(b, c, &fresh, fresh.amount_minor, "requested_by_customer", &system()).await?;
        }
    }
    Ok(true)
}

/// An open checkout ended unpaid: its hold lets go of the slot.
async fn unpaid(b: &Billing, c: &mut Conn, pay: &Payment, status: &str) -> AppResult<bool> {
    lock(b, c, pay).await?;
    let ws = &pay.workspace_id;
    if !q::set_unpaid(c, ws, &pay.id, status, b.now().0).await? {
        return Ok(false);
    }
    audit::record(b, c, ws.as_str(), &system(), "payment.unpaid", Some(("payment", pay.id.as_str())), status).await?;
    if let (Some(bid), true) = (&pay.booking_id, matches!(pay.kind.as_str(), "deposit" | "full")) {
        book::release_hold(&b.bookings, c, ws, bid).await?;
    }
    Ok(true)
}

/// A customer mail's From name: "<business> via <product>", in the customer's language.
pub(crate) fn from_business(p: &Platform, lang: Lang, business: &str) -> String {
    tl!(lang, "book-mail-from", business = business, product = p.settings.product_name.as_str())
}

/// Tells the customer their late payment is going back (the slot was taken meanwhile).
async fn tell_customer_late(b: &Billing, c: &mut Conn, pay: &Payment) -> AppResult<()> {
    let p: &Platform = b.as_ref();
    let ws = &pay.workspace_id;
    let Some(bid) = &pay.booking_id else { return Ok(()) };
    let Some(bk) = frontdesk_bookings::repo::booking(c, ws, bid).await? else { return Ok(()) };
    let Some(cid) = &bk.contact_id else { return Ok(()) };
    let Some(contact) = frontdesk_inbox::repo::inbox::contact(c, ws, cid).await? else { return Ok(()) };
    let Some(to) = contact.email.clone() else { return Ok(()) };
    let lang = frontdesk_bookings::notify::lang_of(c, &bk, contact.language.as_deref()).await?;
    let business = frontdesk_platform::repo::workspaces::by_id(c, ws).await?.map(|w| w.name).unwrap_or_default();
    let service = frontdesk_bookings::repo::service(c, ws, &bk.service_id).await?.map(|s| s.name).unwrap_or_default();
    let when = LocalTimes::new(&bk.time_zone, b.now().0).in_lang(lang).exact(bk.starts_at);
    let amount = lang.money(Money::new(pay.amount_minor, frontdesk_bookings::catalog::currency_of(&pay.currency)));
    let mail = Mail {
        to,
        subject: tl!(lang, "pay-late-mail-subject", business = business.as_str()),
        text: tl!(
            lang,
            "pay-late-mail-body",
            business = business.as_str(),
            service = service.as_str(),
            when = when,
            amount = amount,
            link = format!("{}/book/{}", p.settings.base_url, frontdesk_platform::profile::of(c, ws).await?.slug)
        ),
        from_name: Some(from_business(p, lang, &business)),
        ..Default::default()
    };
    mail::enqueue(p, c, &mail).await
}

// Provider events.

/// What became of a delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Received {
    Applied,
    /// Verified and stored, but nothing of ours to change (an event we do not use, or about a
    /// payment this account does not have).
    Ignored,
    /// Already had it.
    Repeated,
    /// Verified, but not an event we can read: kept for operators.
    Unparseable,
}

fn unknown_account() -> AppError {
    AppError::new(ErrorKind::NotFound, "unknown_payment_account", "There is no such payment account.")
}

/// A provider's webhook delivery for account `account_id`: verified on its raw bytes with that
/// account's secret before anything is read, stored once, and applied only to that account's
/// payments (found by the provider's own ids), in one transaction.
pub async fn receive(
    b: &Billing,
    provider: &str,
    account_id: &str,
    signature: Option<&str>,
    body: &[u8],
) -> AppResult<Received> {
    let id = PaymentAccountId::parse(account_id).ok_or_else(unknown_account)?;
    let account = {
        let mut c = b.db.conn().await?;
        q::account_by_id(&mut c, &id).await?
    }
    .filter(|a| a.provider == provider)
    .ok_or_else(unknown_account)?;
    let g = b.gateway(provider).ok_or_else(unknown_account)?;
    let (_, secret) = accounts::secrets(b, &account)?;
    if let Err(r) = g.verify(&secret, signature, body, b.now().0 / 1000) {
        let why = match r {
            Refusal::Missing => "no signature",
            Refusal::Mismatch => "signature mismatch",
            Refusal::Stale => "signature too old",
        };
        tracing::info!(account = %account.id, why, "payment webhook refused");
        return Err(AppError::new(ErrorKind::Unauthenticated, "invalid_signature", "The signature does not match."));
    }
    let payload = String::from_utf8_lossy(&body[..body.len().min(256 * 1024)]).replace('\0', "");
    let now = b.now().0;
    let Some(ev) = g.parse(body) else {
        let mut c = b.db.conn().await?;
        let e = q::Event {
            id: PaymentEventId::new(),
            workspace_id: account.workspace_id.clone(),
            account_id: account.id.clone(),
            provider: provider.to_string(),
            event_id: format!("unparseable:{}", hex::encode(Sha256::digest(body))),
            kind: "unparseable".into(),
            payment_id: None,
            outcome: "unparseable".into(),
            payload: Some(payload),
            received_at: now,
        };
        q::insert_event(&mut c, &e).await?;
        tracing::warn!(account = %account.id, "a verified payment webhook could not be read; kept as unparseable");
        return Ok(Received::Unparseable);
    };
    let ws = account.workspace_id.clone();
    // A monthly membership's subscription: its current state is fetched (event order cannot
    // be trusted) and applied with the event, once.
    let subscription = match crate::memberships::subscription_named(&ev.kind, body) {
        Some((sid, at)) => Some((crate::memberships::fetch_subscription(b, &account, &sid).await?, at)),
        None => None,
    };
    if let Some(intent) = ev.happened.intent().filter(|_| subscription.is_none()) {
        link_intent(b, &account, intent).await?;
    }
    let mut tx = b.db.begin().await?;
    let row = q::Event {
        id: PaymentEventId::new(),
        workspace_id: ws.clone(),
        account_id: account.id.clone(),
        provider: provider.to_string(),
        event_id: ev.id.clone(),
        kind: ev.kind.clone(),
        payment_id: None,
        outcome: "received".into(),
        payload: Some(payload),
        received_at: now,
    };
    if !q::insert_event(&mut tx, &row).await? {
        return Ok(Received::Repeated);
    }
    if let Some((v, at)) = subscription {
        let outcome = match v {
            Some(v) => crate::memberships::apply_subscription(b, &mut tx, &account, &v, at).await?,
            None => "unmatched",
        };
        q::set_event_outcome(&mut tx, &row.id, None, outcome).await?;
        tx.commit().await?;
        return Ok(if outcome == "applied" { Received::Applied } else { Received::Ignored });
    }
    let mut after = After::default();
    let (payment, outcome) = apply(b, &mut tx, &account, &ev.happened, &mut after).await?;
    q::set_event_outcome(&mut tx, &row.id, payment.as_ref(), outcome).await?;
    tx.commit().await?;
    after.run(b);
    Ok(if outcome == "applied" { Received::Applied } else { Received::Ignored })
}

/// An event names a provider payment we do not know yet (it came before the checkout's own
/// event): the provider says which of this account's checkouts made it.
async fn link_intent(b: &Billing, account: &Account, intent: &str) -> AppResult<()> {
    let ws = &account.workspace_id;
    {
        let mut c = b.db.conn().await?;
        if q::by_intent(&mut c, ws, &account.id, intent).await?.is_some() {
            return Ok(());
        }
    }
    let g = b.gateway(&account.provider).ok_or_else(AppError::internal)?;
    let (key, _) = accounts::secrets(b, account)?;
    let co = match g.checkout_of_intent(&key, intent).await {
        Ok(Some(co)) => co,
        Ok(None) => return Ok(()),
        Err(e) => {
            tracing::warn!(error = %e, "the checkout of a provider payment could not be asked for");
            return Ok(());
        }
    };
    let mut c = b.db.conn().await?;
    if let Some(p) = q::by_checkout(&mut c, ws, &account.id, &co.id).await? {
        q::set_intent(&mut c, ws, &p.id, intent).await?;
    }
    Ok(())
}

/// Applies what an event says to this account's payment it names.
async fn apply(
    b: &Billing,
    c: &mut Conn,
    account: &Account,
    h: &Happened,
    after: &mut After,
) -> AppResult<(Option<PaymentId>, &'static str)> {
    let ws = &account.workspace_id;
    let pay = match h {
        Happened::CheckoutPaid { checkout_id, .. }
        | Happened::CheckoutPending { checkout_id, .. }
        | Happened::CheckoutExpired { checkout_id }
        | Happened::CheckoutFailed { checkout_id } => q::by_checkout(c, ws, &account.id, checkout_id).await?,
        Happened::IntentSucceeded { intent_id, .. }
        | Happened::IntentFailed { intent_id, .. }
        | Happened::Refunded { intent_id, .. }
        | Happened::DisputeOpened { intent_id, .. }
        | Happened::DisputeClosed { intent_id, .. } => q::by_intent(c, ws, &account.id, intent_id).await?,
        Happened::Other => return Ok((None, "ignored")),
    };
    let Some(pay) = pay else { return Ok((None, "unmatched")) };
    let id = Some(pay.id.clone());
    let now = b.now().0;
    // A refund or a dispute means the money was taken, whatever came first: the payment is
    // paid before either is applied (events arrive in any order).
    let implied =
        matches!(h, Happened::Refunded { .. } | Happened::DisputeOpened { .. } | Happened::DisputeClosed { .. });
    let mut changed_first = false;
    let pay = if implied && matches!(pay.status.as_str(), "open" | "expired" | "failed") {
        changed_first = paid(b, c, &pay, None, pay.intent_id.clone().as_deref(), after).await?;
        q::payment(c, ws, &pay.id).await?.ok_or_else(AppError::internal)?
    } else {
        pay
    };
    let changed = match h {
        Happened::CheckoutPaid { intent_id, amount_minor, currency, .. } => {
            if currency.as_deref().is_some_and(|cur| !cur.eq_ignore_ascii_case(&pay.currency)) {
                tracing::warn!(payment = %pay.id, "a payment in another currency than asked; recorded as asked");
            }
            paid(b, c, &pay, amount_minor.filter(|_| currency.is_some()), intent_id.as_deref(), after).await?
        }
        Happened::CheckoutPending { intent_id, .. } => {
            if let Some(i) = intent_id {
                q::set_intent(c, ws, &pay.id, i).await?;
            }
            false
        }
        Happened::IntentSucceeded { intent_id, amount_minor } => {
            paid(b, c, &pay, *amount_minor, Some(intent_id), after).await?
        }
        Happened::CheckoutExpired { .. } => unpaid(b, c, &pay, "expired").await?,
        Happened::CheckoutFailed { .. } => unpaid(b, c, &pay, "failed").await?,
        Happened::IntentFailed { .. } => false,
        Happened::Refunded { amount_refunded, card, .. } => {
            if let Some(k) = card {
                q::set_card(c, ws, &pay.id, k).await?;
            }
            let done = q::set_refunded(c, ws, &pay.id, *amount_refunded, now).await?;
            audit_if(b, c, &pay, done, "payment.refunded", "provider").await?
        }
        Happened::DisputeOpened { status, .. } => {
            let done = q::set_dispute(c, ws, &pay.id, status, false, now).await?;
            audit_if(b, c, &pay, done, "payment.dispute", status).await?
        }
        Happened::DisputeClosed { status, .. } => {
            let done = q::set_dispute(c, ws, &pay.id, status, true, now).await?;
            audit_if(b, c, &pay, done, "payment.dispute", status).await?
        }
        Happened::Other => false,
    };
    Ok((id, if changed || changed_first { "applied" } else { "ignored" }))
}

/// Audits a change the provider told of, when it changed something; whether it did.
async fn audit_if(
    b: &Billing,
    c: &mut Conn,
    pay: &Payment,
    done: bool,
    action: &str,
    outcome: &str,
) -> AppResult<bool> {
    if done {
        let ws = pay.workspace_id.as_str();
        audit::record(b, c, ws, &system(), action, Some(("payment", pay.id.as_str())), outcome).await?;
    }
    Ok(done)
}

// Refunds.

/// A refund asked for.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
pub struct RefundInput {
    /// In minor units; what is left of the payment when left out.
    #[serde(default)]
    pub amount_minor: Option<i64>,
    /// Why (kept with the refund).
    #[serde(default)]
    pub reason: Option<String>,
}

fn check_money(access: &Access) -> AppResult<()> {
    if !frontdesk_core::role::allows(access.role, Action::ManagePayments) {
        return Err(AppError::forbidden("Only owners and admins refund or record payments."));
    }
    Ok(())
}

/// Refunds part or all of a paid payment (owners and admins).
pub async fn refund(b: &Billing, access: &Access, id: &str, input: &RefundInput) -> AppResult<Refund> {
    check_money(access)?;
    let ws = &access.workspace.id;
    let id = PaymentId::parse(id).ok_or_else(not_found)?;
    let reason = input.reason.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or("requested_by_customer");
    if reason.chars().count() > 300 {
        return Err(AppError::invalid("reason", "too_long", "At most 300 characters."));
    }
    let mut tx = b.db.begin().await?;
    let pay = q::payment(&mut tx, ws, &id).await?.ok_or_else(not_found)?;
    lock(b, &mut tx, &pay).await?;
    let left = pay.amount_minor - q::refunding(&mut tx, ws, &pay.id).await?;
    let amount = input.amount_minor.unwrap_or(left);
    let r = refund_in(b, &mut tx, &pay, amount, reason, &access.actor).await?;
    tx.commit().await?;
    Ok(r)
}

/// Records a refund inside the caller's transaction: one by the provider goes out by a job
/// (its idempotency key is the refund's id); one of a manual payment is money handed back.
async fn refund_in(
    b: &Billing,
    c: &mut Conn,
    pay: &Payment,
    amount: i64,
    reason: &str,
    actor: &Actor,
) -> AppResult<Refund> {
    if amount <= 0 {
        return Err(AppError::invalid("amount_minor", "amount_not_positive", "The amount must be more than zero."));
    }
    if pay.status != "paid" && pay.status != "refunded" {
        return Err(conflict("not_refundable", "Only a paid payment can be refunded."));
    }
    let left = pay.amount_minor - q::refunding(c, &pay.workspace_id, &pay.id).await?;
    if amount > left {
        return Err(AppError::invalid(
            "amount_minor",
            "over_refund",
            "This is more than is left to refund of the payment.",
        ));
    }
    let now = b.now().0;
    let manual = pay.provider.is_none();
    let r = Refund {
        id: RefundId::new(),
        workspace_id: pay.workspace_id.clone(),
        payment_id: pay.id.clone(),
        amount_minor: amount,
        currency: pay.currency.clone(),
        reason: reason.to_string(),
        status: if manual { "succeeded" } else { "pending" }.into(),
        provider_refund_id: None,
        error: None,
        requested_by: actor_label(actor),
        created_at: now,
        updated_at: now,
    };
    q::insert_refund(c, &r).await?;
    if manual {
        let total = pay.refunded_minor + amount;
        q::set_refunded(c, &pay.workspace_id, &pay.id, total, now).await?;
    } else {
        let p: &Platform = b.as_ref();
        let payload = serde_json::json!({ "workspace_id": r.workspace_id, "refund_id": r.id }).to_string();
        frontdesk_platform::jobs::enqueue_with_id(
            p,
            c,
            &JobId::new(),
            crate::REFUND,
            &payload,
            Some(&format!("refund:{}", r.id)),
            12,
        )
        .await?;
    }
    let outcome = format!("{amount} {}", pay.currency);
    audit::record(
        b,
        c,
        pay.workspace_id.as_str(),
        actor,
        "payment.refund",
        Some(("payment", pay.id.as_str())),
        &outcome,
    )
    .await?;
    Ok(r)
}

/// The job that asks the provider for a refund.
pub async fn refund_job(b: Billing, job: frontdesk_platform::repo::jobs::Job) -> Result<(), JobError> {
    let v: serde_json::Value =
        serde_json::from_str(&job.payload).map_err(|e| JobError::Permanent(format!("bad refund job: {e}")))?;
    let ws = v["workspace_id"].as_str().and_then(WorkspaceId::parse);
    let id = v["refund_id"].as_str().and_then(RefundId::parse);
    let (Some(ws), Some(id)) = (ws, id) else { return Err(JobError::Permanent("bad refund job".into())) };
    send_refund(&b, &ws, &id).await.map_err(|e| JobError::Transient(e.to_string()))?.map_err(JobError::Transient)
}

async fn send_refund(b: &Billing, ws: &WorkspaceId, id: &RefundId) -> AppResult<Result<(), String>> {
    let mut c = b.db.conn().await?;
    let Some(r) = q::refund(&mut c, ws, id).await? else { return Ok(Ok(())) };
    if r.status != "pending" {
        return Ok(Ok(()));
    }
    let pay = q::payment(&mut c, ws, &r.payment_id).await?.ok_or_else(AppError::internal)?;
    let account = match &pay.account_id {
        Some(a) => q::account_by_id(&mut c, a).await?.filter(|a| &a.workspace_id == ws),
        None => None,
    };
    drop(c);
    let fail = |why: String| async move {
        let mut tx = b.db.begin().await?;
        if q::finish_refund(&mut tx, ws, id, ("failed", None, Some(&why)), b.now().0).await? {
            audit::record(
                b,
                &mut tx,
                ws.as_str(),
                &system(),
                "payment.refund_failed",
                Some(("payment", r.payment_id.as_str())),
                &why,
            )
            .await?;
        }
        tx.commit().await?;
        AppResult::Ok(())
    };
    let (Some(account), Some(intent)) = (account, pay.intent_id.clone()) else {
        fail("no payment account or provider payment to refund".into()).await?;
        return Ok(Ok(()));
    };
    let g = b.gateway(&account.provider).ok_or_else(AppError::internal)?;
    let (key, _) = accounts::secrets(b, &account)?;
    let req = RefundRequest {
        idempotency_key: format!("refund:{}", r.id),
        intent_id: intent,
        amount_minor: r.amount_minor,
        reason: if r.reason == "duplicate" { "duplicate" } else { "requested_by_customer" }.into(),
        reference: r.id.to_string(),
    };
    match g.refund(&key, &req).await {
        Ok(done) => {
            let status = if matches!(done.status.as_str(), "failed" | "canceled") { "failed" } else { "succeeded" };
            let mut tx = b.db.begin().await?;
            let now = b.now().0;
            if q::finish_refund(&mut tx, ws, id, (status, Some(&done.id), None), now).await? && status == "succeeded" {
                let total: i64 = q::refunds(&mut tx, ws, &pay.id)
                    .await?
                    .iter()
                    .filter(|x| x.status == "succeeded")
                    .map(|x| x.amount_minor)
                    .sum();
                q::set_refunded(&mut tx, ws, &pay.id, total, now).await?;
            }
            tx.commit().await?;
            Ok(Ok(()))
        }
        Err(GatewayError::Unavailable(e)) => Ok(Err(e)),
        Err(GatewayError::Rejected { code, message, .. }) => {
            fail(format!("{code}: {message}")).await?;
            Ok(Ok(()))
        }
    }
}

// Payments by hand and on demand.

/// A payment taken outside the provider (cash, a card terminal, Bizum, a transfer).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
pub struct ManualInput {
    #[serde(default)]
    pub booking_id: Option<String>,
    pub amount_minor: i64,
    /// ISO 4217; the workspace's currency.
    pub currency: String,
    /// `cash`, `card_terminal`, `bizum`, `transfer` or `other`.
    pub method: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// A payment asked of a customer for a booking: a checkout whose link staff send them.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
pub struct RequestInput {
    pub booking_id: String,
    pub amount_minor: i64,
    /// ISO 4217; the workspace's currency.
    pub currency: String,
}

/// The workspace's own currency (its profile's; euros until it says).
pub async fn workspace_currency(c: &mut Conn, ws: &WorkspaceId) -> AppResult<String> {
    let profile = frontdesk_platform::profile::of(c, ws).await?;
    Ok(profile.currency.filter(|c| !c.is_empty()).unwrap_or_else(|| "EUR".into()).to_ascii_uppercase())
}

pub const METHODS: &[&str] = &["cash", "card_terminal", "bizum", "transfer", "other"];

async fn check_amount(c: &mut Conn, ws: &WorkspaceId, amount: i64, currency: &str) -> AppResult<String> {
    if amount <= 0 {
        return Err(AppError::invalid("amount_minor", "amount_not_positive", "The amount must be more than zero."));
    }
    if amount > 100_000_000 {
        return Err(AppError::invalid("amount_minor", "out_of_range", "This amount is too large."));
    }
    let cur = currency.trim().to_ascii_uppercase();
    if cur != workspace_currency(c, ws).await? {
        return Err(AppError::invalid(
            "currency",
            "currency_mismatch",
            "Payments are taken in the workspace's own currency.",
        ));
    }
    Ok(cur)
}

async fn booking_of(c: &mut Conn, ws: &WorkspaceId, id: Option<&str>) -> AppResult<Option<Booking>> {
    let Some(raw) = id.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    let bad = || AppError::invalid("booking_id", "unknown_booking", "No such booking.");
    let bid = BookingId::parse(raw).ok_or_else(bad)?;
    Ok(Some(frontdesk_bookings::repo::booking(c, ws, &bid).await?.ok_or_else(bad)?))
}

/// Records a manual payment (owners and admins).
pub async fn record_manual(b: &Billing, access: &Access, input: &ManualInput) -> AppResult<Payment> {
    check_money(access)?;
    let ws = &access.workspace.id;
    if !METHODS.contains(&input.method.as_str()) {
        return Err(AppError::invalid(
            "method",
            "invalid_method",
            "Pick cash, card terminal, Bizum, transfer or other.",
        ));
    }
    let note = input.note.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    if note.as_ref().is_some_and(|n| n.chars().count() > 500) {
        return Err(AppError::invalid("note", "too_long", "At most 500 characters."));
    }
    let mut tx = b.db.begin().await?;
    let currency = check_amount(&mut tx, ws, input.amount_minor, &input.currency).await?;
    let bk = booking_of(&mut tx, ws, input.booking_id.as_deref()).await?;
    let now = b.now().0;
    let pay = Payment {
        booking_id: bk.as_ref().map(|x| x.id.clone()),
        contact_id: bk.as_ref().and_then(|x| x.contact_id.as_ref().map(|c| c.to_string())),
        note,
        paid_at: Some(now),
        created_by: Some(actor_label(&access.actor)),
        ..new_payment(
            (ws.clone(), "manual".into(), input.method.clone()),
            (input.amount_minor, currency),
            "paid".into(),
            now,
        )
    };
    q::insert_payment(&mut tx, &pay).await?;
    audit::record(
        b,
        &mut tx,
        ws.as_str(),
        &access.actor,
        "payment.manual",
        Some(("payment", pay.id.as_str())),
        &pay.method,
    )
    .await?;
    tx.commit().await?;
    Ok(pay)
}

/// Asks a customer to pay for a booking: a checkout at the provider, its link to send them
/// (owners and admins). It stays open a day.
pub async fn request(b: &Billing, access: &Access, input: &RequestInput) -> AppResult<Payment> {
    check_money(access)?;
    let ws = &access.workspace.id;
    let mut c = b.db.conn().await?;
    let currency = check_amount(&mut c, ws, input.amount_minor, &input.currency).await?;
    let bk = booking_of(&mut c, ws, Some(&input.booking_id))
        .await?
        .ok_or_else(|| AppError::invalid("booking_id", "unknown_booking", "No such booking."))?;
    let account = q::account(&mut c, ws, "stripe")
        .await?
        .ok_or_else(|| conflict("no_payment_account", "Connect a payment account first."))?;
    let service =
        frontdesk_bookings::repo::service(&mut c, ws, &bk.service_id).await?.map(|s| s.name).unwrap_or_default();
    let lang = frontdesk_bookings::notify::lang_of(&mut c, &bk, None).await?;
    drop(c);
    let now = b.now().0;
    let pay = Payment {
        account_id: Some(account.id.clone()),
        booking_id: Some(bk.id.clone()),
        contact_id: bk.contact_id.as_ref().map(|c| c.to_string()),
        provider: Some(account.provider.clone()),
        expires_at: Some(now + 23 * Timestamp::HOUR),
        created_by: Some(actor_label(&access.actor)),
        ..new_payment((ws.clone(), "request".into(), "card".into()), (input.amount_minor, currency), "open".into(), now)
    };
    {
        let mut tx = b.db.begin().await?;
        q::insert_payment(&mut tx, &pay).await?;
        audit::record(
            b,
            &mut tx,
            ws.as_str(),
            &access.actor,
            "payment.request",
            Some(("payment", pay.id.as_str())),
            "open",
        )
        .await?;
        tx.commit().await?;
    }
    let opened = open_checkout(b, &account, &pay, &service, lang).await?;
    // The customer gets the link by email (the API answer carries it too).
    let mut c = b.db.conn().await?;
    if let Some(cid) = &bk.contact_id {
        if let Some(k) =
            frontdesk_inbox::repo::inbox::contact(&mut c, ws, cid).await?.filter(|k| k.blocked_at.is_none())
        {
            if let Some(to) = k.email.clone() {
                let p: &Platform = b.as_ref();
                let business = access.workspace.name.clone();
                let amount = lang
                    .money(Money::new(opened.amount_minor, frontdesk_bookings::catalog::currency_of(&opened.currency)));
                let mail = Mail {
                    to,
                    subject: tl!(lang, "pay-request-subject", business = business.as_str()),
                    text: tl!(
                        lang,
                        "pay-request-body",
                        business = business.as_str(),
                        service = service.as_str(),
                        amount = amount,
                        link = url(p, &opened)
                    ),
                    from_name: Some(from_business(p, lang, &business)),
                    ..Default::default()
                };
                mail::enqueue(p, &mut c, &mail).await?;
            }
        }
    }
    Ok(opened)
}

// Reading.

pub async fn list(
    b: &Billing,
    ws: &WorkspaceId,
    status: Option<&str>,
    booking: Option<&str>,
) -> AppResult<Vec<Payment>> {
    let booking = match booking.map(str::trim).filter(|s| !s.is_empty()) {
        Some(raw) => Some(
            BookingId::parse(raw)
                .ok_or_else(|| AppError::invalid("booking_id", "unknown_booking", "No such booking."))?,
        ),
        None => None,
    };
    let mut c = b.db.conn().await?;
    Ok(q::payments(&mut c, ws, status.filter(|s| !s.is_empty()), booking.as_ref(), 500).await?)
}

pub async fn get(b: &Billing, ws: &WorkspaceId, id: &str) -> AppResult<(Payment, Vec<Refund>, Vec<q::Event>)> {
    let id = PaymentId::parse(id).ok_or_else(not_found)?;
    let mut c = b.db.conn().await?;
    let pay = q::payment(&mut c, ws, &id).await?.ok_or_else(not_found)?;
    let refunds = q::refunds(&mut c, ws, &id).await?;
    let events = q::events(&mut c, ws, &id).await?;
    Ok((pay, refunds, events))
}

// The scheduler.

/// Open checkouts past their hold are expired at the provider (a success meanwhile is applied
/// instead); the others are asked about every `check_every_minutes`.
pub async fn sweep(b: &Billing) -> AppResult<usize> {
    let now = b.now().0;
    let open = {
        let mut c = b.db.conn().await?;
        q::open_to_check(&mut c, now, b.settings.check_every_minutes * Timestamp::MINUTE).await?
    };
    let mut n = 0;
    for pay in &open {
        match refresh(b, pay).await {
            Ok(after) if after.status != pay.status => n += 1,
            Ok(_) => {}
            Err(e) => tracing::warn!(payment = %pay.id, error = %e, "open checkout not checked"),
        }
    }
    Ok(n)
}

/// Raw provider payloads go after 90 days; financial records 7 years after the end of their
/// (calendar) year.
pub async fn retention(b: &Billing) -> AppResult<u64> {
    let now = b.now().0;
    let mut c = b.db.conn().await?;
    let mut n = q::clear_payloads(&mut c, now - 90 * Timestamp::DAY).await?;
    n += q::purge_before(&mut c, legal_cutoff(now)).await?;
    Ok(n)
}

/// The first instant still kept: 1 January (UTC) of the year seven years before this one.
pub fn legal_cutoff(now: i64) -> i64 {
    let year =
        jiff::Timestamp::from_millisecond(now).map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).year()).unwrap_or(1970);
    jiff::civil::date(year - 7, 1, 1)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_millisecond())
        .unwrap_or(0)
}

/// Refunds what the policy requires when a booking ends, inside the booking's transaction: a
/// cancellation in time, by staff, or a decline gets its payments back in full; a late
/// cancellation or a no-show keeps the deposit. Open checkouts of the booking end at once.
pub async fn booking_ended(
    b: &Billing,
    c: &mut Conn,
    ws: &WorkspaceId,
    booking: &BookingId,
    how: frontdesk_platform::ports::Ending,
) -> AppResult<()> {
    use frontdesk_platform::ports::Ending;
    let now = b.now().0;
    frontdesk_store::row::execute(
        c,
        "UPDATE payments SET expires_at = $1 WHERE workspace_id = $2 AND booking_id = $3 AND status = 'open'",
        (now, ws, booking),
    )
    .await?;
    let give_back = match how {
        Ending::CancelledByCustomer { in_notice } => in_notice,
        Ending::CancelledByStaff | Ending::Declined => true,
        Ending::NoShow => false,
    };
    if !give_back {
        return Ok(());
    }
    crate::memberships::give_back(b, c, ws, booking.as_str()).await?;
    let payments = q::payments(c, ws, Some("paid"), Some(booking), 50).await?;
    for pay in payments.iter().filter(|p| p.provider.is_some() && p.flag.is_none()) {
        let left = pay.amount_minor - q::refunding(c, ws, &pay.id).await?;
        if left > 0 {
            refund_in(b, c, pay, left, "requested_by_customer", &system()).await?;
        }
    }
    Ok(())
}
