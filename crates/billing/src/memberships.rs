//! What a business sells its customers beyond single bookings: class passes (N sessions of the
//! services they cover, valid for some days) and memberships (a percentage off the services they
//! cover while they last). Sold at the desk for now (recorded with a manual payment); bookings
//! ask [`frontdesk_platform::ports::Benefits`] when they price one, inside their transaction, so
//! a pass's session is taken by exactly the booking that used it, and given back when that
//! booking is cancelled in time, by staff, or declined. The customer sees theirs through a
//! signed link.

use crate::pay::{self, ManualInput};
use crate::Billing;
use frontdesk_core::{Action, ContactId, Timestamp, WorkspaceId};
use frontdesk_platform::audit;
use frontdesk_platform::error::{AppError, AppResult};
use frontdesk_platform::ports::{Benefit, Benefits, Fut};
use frontdesk_platform::workspaces::Access;
use frontdesk_platform::{signed_link, Platform};
use frontdesk_store::{row, Conn};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

const LINK: &str = "membership.view";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub id: String,
    pub workspace_id: WorkspaceId,
    /// `pass` or `membership`.
    pub kind: String,
    pub name: String,
    pub price_minor: i64,
    pub currency: String,
    pub sessions: Option<i64>,
    pub valid_days: i64,
    pub discount_percent: Option<i64>,
    /// JSON list of the services it covers.
    pub service_ids: String,
    pub active: bool,
    pub created_at: i64,
    /// Renews every month (a subscription on the business's Stripe account); else it lasts
    /// `valid_days` from the sale.
    pub renews: bool,
}

row::table!(Plan in "membership_plans" {
    id, workspace_id, kind, name, price_minor, currency, sessions, valid_days, discount_percent, service_ids, active,
    created_at, renews
});

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holding {
    pub id: String,
    pub workspace_id: WorkspaceId,
    pub plan_id: String,
    pub contact_id: Option<String>,
    /// `pending` (a renewing one before its first payment), `active`, `used_up`, `lapsed` or
    /// `cancelled`.
    pub status: String,
    pub sessions_left: Option<i64>,
    pub valid_until: i64,
    pub payment_id: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// A renewing one: the customer and the subscription on the business's Stripe account.
    pub stripe_customer_id: Option<String>,
    pub stripe_subscription_id: Option<String>,
    /// Renews at the period's end (0 once cancelled, or for one that does not renew).
    pub renewing: bool,
    /// Stripe's time of the subscription state held (an older event changes nothing).
    pub state_at: i64,
}

row::table!(Holding in "customer_memberships" {
    id, workspace_id, plan_id, contact_id, status, sessions_left, valid_until, payment_id, created_by, created_at,
    updated_at, stripe_customer_id, stripe_subscription_id, renewing, state_at
});

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    /// `pass` (N sessions) or `membership` (a discount).
    pub kind: String,
    pub name: String,
    /// A decimal in the workspace's currency (`60.00`).
    pub price: String,
    /// A pass's sessions.
    #[serde(default)]
    pub sessions: Option<i64>,
    /// How long it lasts from the sale.
    pub valid_days: i64,
    /// A membership's discount on the services it covers.
    #[serde(default)]
    pub discount_percent: Option<i64>,
    /// The services it covers (at least one).
    pub service_ids: Vec<String>,
    /// Renews every month, paid by card through the business's Stripe account (bought online);
    /// `valid_days` then only counts for a sale at the desk.
    #[serde(default)]
    pub renews: bool,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct PlanOut {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub price: String,
    pub currency: String,
    pub sessions: Option<i64>,
    pub valid_days: i64,
    pub discount_percent: Option<i64>,
    pub service_ids: Vec<String>,
    pub renews: bool,
}

pub fn plan_out(p: &Plan) -> PlanOut {
    let cur = frontdesk_bookings::catalog::currency_of(&p.currency);
    PlanOut {
        id: p.id.clone(),
        kind: p.kind.clone(),
        name: p.name.clone(),
        price: frontdesk_core::money::Money::new(p.price_minor, cur).decimal(),
        currency: p.currency.clone(),
        sessions: p.sessions,
        valid_days: p.valid_days,
        discount_percent: p.discount_percent,
        service_ids: serde_json::from_str(&p.service_ids).unwrap_or_default(),
        renews: p.renews,
    }
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SellInput {
    pub plan_id: String,
    pub contact_id: String,
    /// How it was paid at the desk: `cash`, `card_terminal`, `bizum`, `transfer` or `other`.
    pub method: String,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct HoldingOut {
    pub id: String,
    pub plan_id: String,
    pub name: String,
    pub kind: String,
    pub contact_id: Option<String>,
    /// `active`, `used_up`, `lapsed` or `cancelled`.
    pub status: String,
    pub sessions_left: Option<i64>,
    pub valid_until: String,
    /// Renews at `valid_until` (a monthly one the customer has not cancelled).
    pub renewing: bool,
    /// The customer's own page of it (a signed link).
    pub link: String,
}

fn bad(field: &'static str, code: &'static str, message: &str) -> AppError {
    AppError::invalid(field, code, message)
}

/// The status as of `now` (a lapsed one reads as lapsed before any job marks it).
fn status_now(h: &Holding, now: i64) -> String {
    if h.status == "active" && h.valid_until <= now {
        "lapsed".into()
    } else {
        h.status.clone()
    }
}

pub fn link(p: &Platform, h: &Holding) -> String {
    let t = signed_link::sign(&p.vault, LINK, h.workspace_id.as_str(), &h.id, 1);
    format!("{}/memberships/{t}", p.settings.base_url)
}

pub fn holding_out(b: &Billing, h: &Holding, plan: Option<&Plan>) -> HoldingOut {
    HoldingOut {
        id: h.id.clone(),
        plan_id: h.plan_id.clone(),
        name: plan.map(|p| p.name.clone()).unwrap_or_default(),
        kind: plan.map(|p| p.kind.clone()).unwrap_or_default(),
        contact_id: h.contact_id.clone(),
        status: status_now(h, b.now().0),
        sessions_left: h.sessions_left,
        valid_until: Timestamp(h.valid_until).to_rfc3339(),
        renewing: h.renewing,
        link: link(b.as_ref(), h),
    }
}

/// Adds a pass or a membership to what the business sells (owners and admins).
pub async fn create_plan(b: &Billing, access: &Access, i: &PlanInput) -> AppResult<Plan> {
    if !frontdesk_core::role::allows(access.role, Action::ManageCatalog) {
        return Err(AppError::forbidden("Only owners and admins change what the business sells."));
    }
    let ws = &access.workspace.id;
    let name = i.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(bad("name", "invalid_name", "Give the plan a name of at most 80 characters."));
    }
    let (sessions, discount) = match i.kind.as_str() {
        "pass" => match i.sessions {
            Some(n) if (1..=1000).contains(&n) => (Some(n), None),
            _ => return Err(bad("sessions", "out_of_range", "A pass has 1 to 1000 sessions.")),
        },
        "membership" => match i.discount_percent {
            Some(p) if (1..=100).contains(&p) => (None, Some(p)),
            _ => return Err(bad("discount_percent", "out_of_range", "A membership takes 1 to 100 % off.")),
        },
        _ => return Err(bad("kind", "invalid_plan_kind", "Use pass or membership.")),
    };
    if !(1..=3660).contains(&i.valid_days) {
        return Err(bad("valid_days", "out_of_range", "It lasts 1 to 3660 days."));
    }
    let mut tx = b.db.begin().await?;
    let currency = pay::workspace_currency(&mut tx, ws).await?;
    let cur = frontdesk_bookings::catalog::currency_of(&currency);
    let price = frontdesk_core::money::Money::parse(&i.price, cur)
        .ok()
        .map(|m| m.minor())
        .filter(|m| *m >= 0)
        .ok_or_else(|| bad("price", "invalid_amount", "Use an amount such as 25 or 25.50."))?;
    if i.service_ids.is_empty() {
        return Err(bad("service_ids", "unknown_service", "Name the services it covers."));
    }
    let mut ids = vec![];
    for sid in &i.service_ids {
        let s = frontdesk_core::ServiceId::parse(sid)
            .ok_or_else(|| bad("service_ids", "unknown_service", "No such service."))?;
        frontdesk_bookings::repo::service(&mut tx, ws, &s)
            .await?
            .ok_or_else(|| bad("service_ids", "unknown_service", "No such service."))?;
        ids.push(s.to_string());
    }
    let p = Plan {
        id: frontdesk_core::JobId::new().to_string(),
        workspace_id: ws.clone(),
        kind: i.kind.clone(),
        name: name.to_string(),
        price_minor: price,
        currency,
        sessions,
        valid_days: i.valid_days,
        discount_percent: discount,
        service_ids: serde_json::to_string(&ids).map_err(|_| AppError::internal())?,
        active: true,
        created_at: b.now().0,
        renews: i.renews,
    };
    row::insert(&mut tx, &p).await?;
    audit::record(
        b,
        &mut tx,
        ws.as_str(),
        &access.actor,
        "membership_plan.create",
        Some(("membership_plan", p.id.as_str())),
        &p.kind,
    )
    .await?;
    tx.commit().await?;
    Ok(p)
}

pub async fn plans(b: &Billing, ws: &WorkspaceId) -> AppResult<Vec<Plan>> {
    let mut c = b.db.conn().await?;
    Ok(row::find_all(&mut c, "WHERE workspace_id = $1 AND active = 1 ORDER BY name", ws).await?)
}

async fn plan_in(c: &mut Conn, ws: &WorkspaceId, id: &str) -> AppResult<Option<Plan>> {
    Ok(row::find(c, "WHERE workspace_id = $1 AND id = $2", (ws, id)).await?)
}

/// Sells a pass or a membership at the desk: the customer holds it from now, and the payment
/// is recorded as taken by hand (owners and admins).
pub async fn sell(b: &Billing, access: &Access, i: &SellInput) -> AppResult<Holding> {
    let ws = &access.workspace.id;
    let (plan, contact) = {
        let mut c = b.db.conn().await?;
        let plan = plan_in(&mut c, ws, i.plan_id.trim())
            .await?
            .filter(|p| p.active)
            .ok_or_else(|| bad("plan_id", "unknown_plan", "There is no such plan."))?;
        let cid =
            ContactId::parse(&i.contact_id).ok_or_else(|| bad("contact_id", "unknown_contact", "No such contact."))?;
        let contact = frontdesk_inbox::repo::inbox::contact(&mut c, ws, &cid)
            .await?
            .ok_or_else(|| bad("contact_id", "unknown_contact", "No such contact."))?;
        (plan, contact)
    };
    let payment = if plan.price_minor > 0 {
        let input = ManualInput {
            booking_id: None,
            amount_minor: plan.price_minor,
            currency: plan.currency.clone(),
            method: i.method.clone(),
            note: Some(plan.name.clone()),
        };
        Some(pay::record_manual(b, access, &input).await?)
    } else {
        if !frontdesk_core::role::allows(access.role, Action::ManagePayments) {
            return Err(AppError::forbidden("Only owners and admins sell passes and memberships."));
        }
        None
    };
    let now = b.now().0;
    let h = Holding {
        id: frontdesk_core::JobId::new().to_string(),
        workspace_id: ws.clone(),
        plan_id: plan.id.clone(),
        contact_id: Some(contact.id.to_string()),
        status: "active".into(),
        sessions_left: plan.sessions,
        valid_until: now + plan.valid_days * Timestamp::DAY,
        payment_id: payment.map(|p| p.id.to_string()),
        created_by: crate::accounts::actor_label(&access.actor),
        created_at: now,
        updated_at: now,
        stripe_customer_id: None,
        stripe_subscription_id: None,
        renewing: false,
        state_at: 0,
    };
    let mut tx = b.db.begin().await?;
    if let Some(pid) = &h.payment_id {
        row::execute(
            &mut tx,
            "UPDATE payments SET contact_id = $1 WHERE workspace_id = $2 AND id = $3",
            (contact.id.as_str(), ws, pid.as_str()),
        )
        .await?;
    }
    row::insert(&mut tx, &h).await?;
    audit::record(
        b,
        &mut tx,
        ws.as_str(),
        &access.actor,
        "membership.sell",
        Some(("membership", h.id.as_str())),
        &plan.kind,
    )
    .await?;
    tx.commit().await?;
    Ok(h)
}

pub async fn of_contact(b: &Billing, ws: &WorkspaceId, contact: &str) -> AppResult<Vec<(Holding, Option<Plan>)>> {
    let mut c = b.db.conn().await?;
    let list: Vec<Holding> =
        row::find_all(&mut c, "WHERE workspace_id = $1 AND contact_id = $2 ORDER BY created_at DESC", (ws, contact))
            .await?;
    let mut out = vec![];
    for h in list {
        let p = plan_in(&mut c, ws, &h.plan_id).await?;
        out.push((h, p));
    }
    Ok(out)
}

/// The holding a customer's link names.
pub async fn opened(b: &Billing, token: &str) -> AppResult<(Holding, Option<Plan>)> {
    let p: &Platform = b.as_ref();
    let nf = || AppError::not_found("The membership");
    let l = signed_link::verify(&p.vault, LINK, token).filter(|l| l.stamp == 1).ok_or_else(nf)?;
    let ws = WorkspaceId::parse(&l.scope).ok_or_else(nf)?;
    let mut c = b.db.conn().await?;
    let h: Holding =
        row::find(&mut c, "WHERE workspace_id = $1 AND id = $2", (&ws, l.id.as_str())).await?.ok_or_else(nf)?;
    let plan = plan_in(&mut c, &ws, &h.plan_id).await?;
    Ok((h, plan))
}

/// Billing's benefits port: the best benefit the contact holds for the service, taken now.
pub async fn apply(
    b: &Billing,
    c: &mut Conn,
    ws: &WorkspaceId,
    contact: &ContactId,
    service: &str,
    booking: &str,
    price: i64,
) -> AppResult<Option<Benefit>> {
    if price <= 0 {
        return Ok(None);
    }
    let now = b.now().0;
    let held: Vec<Holding> = row::find_all(
        c,
        "WHERE workspace_id = $1 AND contact_id = $2 AND status = 'active' AND valid_until > $3 ORDER BY valid_until",
        (ws, contact.as_str(), now),
    )
    .await?;
    let mut best: Option<(Holding, Plan, i64)> = None;
    for h in held {
        let Some(p) = plan_in(c, ws, &h.plan_id).await? else { continue };
        let covers: Vec<String> = serde_json::from_str(&p.service_ids).unwrap_or_default();
        if !covers.iter().any(|s| s == service) {
            continue;
        }
        let off = match (p.kind.as_str(), h.sessions_left, p.discount_percent) {
            ("pass", Some(n), _) if n > 0 => price,
            ("membership", _, Some(pct)) => (price * pct + 50) / 100,
            _ => 0,
        };
        if off > 0 && best.as_ref().is_none_or(|(_, _, o)| off > *o) {
            best = Some((h, p, off));
        }
    }
    let Some((h, p, off)) = best else { return Ok(None) };
    if p.kind == "pass" {
        let taken = row::one_changed(
            c,
            "UPDATE customer_memberships SET sessions_left = sessions_left - 1, updated_at = $1, \
             status = CASE WHEN sessions_left - 1 <= 0 THEN 'used_up' ELSE status END \
             WHERE workspace_id = $2 AND id = $3 AND sessions_left > 0",
            (now, ws, h.id.as_str()),
        )
        .await?;
        if !taken {
            return Ok(None);
        }
    }
    row::execute(
        c,
        "INSERT INTO membership_uses (membership_id, workspace_id, booking_id, discount_minor, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
        (h.id.as_str(), ws, booking, off, now),
    )
    .await?;
    Ok(Some(Benefit { holding: h.id, discount_minor: off }))
}

/// A booking that used a pass ended before it happened (in time, by staff, declined): the
/// session goes back.
pub async fn give_back(b: &Billing, c: &mut Conn, ws: &WorkspaceId, booking: &str) -> AppResult<()> {
    let used: Option<String> = row::opt_scalar(
        c,
        "SELECT membership_id FROM membership_uses WHERE workspace_id = $1 AND booking_id = $2",
        (ws, booking),
    )
    .await?;
    let Some(h) = used else { return Ok(()) };
    row::execute(c, "DELETE FROM membership_uses WHERE workspace_id = $1 AND booking_id = $2", (ws, booking)).await?;
    row::execute(
        c,
        "UPDATE customer_memberships SET sessions_left = sessions_left + 1, updated_at = $1, \
         status = CASE WHEN status = 'used_up' THEN 'active' ELSE status END \
         WHERE workspace_id = $2 AND id = $3 AND sessions_left IS NOT NULL",
        (b.now().0, ws, h.as_str()),
    )
    .await?;
    Ok(())
}

impl Benefits for crate::ports::BillingPorts {
    fn apply<'a>(
        &'a self,
        c: &'a mut Conn,
        ws: &'a WorkspaceId,
        contact: &'a ContactId,
        service: &'a str,
        booking: &'a str,
        price_minor: i64,
    ) -> Fut<'a, AppResult<Option<Benefit>>> {
        Box::pin(async move { apply(&self.0, c, ws, contact, service, booking, price_minor).await })
    }
}

/// A paid online sale: the customer holds the pass or membership from now (once per payment),
/// and gets its link by email. Inside the payment's transaction.
pub async fn grant_sold(b: &Billing, c: &mut Conn, pay: &crate::repo::Payment) -> AppResult<()> {
    let ws = &pay.workspace_id;
    let sale: Option<(String, Option<String>)> = row::optional_with(
        c,
        "SELECT plan_id, contact_id FROM membership_sales WHERE workspace_id = $1 AND payment_id = $2",
        (ws, pay.id.as_str()),
        |r| Ok((row::FromColumn::from_column(r, "plan_id")?, row::FromColumn::from_column(r, "contact_id")?)),
    )
    .await?;
    let Some((plan_id, contact)) = sale else { return Ok(()) };
    let exists: Option<String> = row::opt_scalar(
        c,
        "SELECT id FROM customer_memberships WHERE workspace_id = $1 AND payment_id = $2",
        (ws, pay.id.as_str()),
    )
    .await?;
    if exists.is_some() {
        return Ok(());
    }
    let Some(plan) = plan_in(c, ws, &plan_id).await? else { return Ok(()) };
    let now = b.now().0;
    let h = Holding {
        id: frontdesk_core::JobId::new().to_string(),
        workspace_id: ws.clone(),
        plan_id: plan.id.clone(),
        contact_id: contact.clone(),
        status: "active".into(),
        sessions_left: plan.sessions,
        valid_until: now + plan.valid_days * Timestamp::DAY,
        payment_id: Some(pay.id.to_string()),
        created_by: "customer".into(),
        created_at: now,
        updated_at: now,
        stripe_customer_id: None,
        stripe_subscription_id: None,
        renewing: false,
        state_at: 0,
    };
    row::insert(c, &h).await?;
    let system = audit::Actor { kind: "system", id: Some("billing".into()), ip: None };
    audit::record(b, c, ws.as_str(), &system, "membership.sell", Some(("membership", h.id.as_str())), "online").await?;
    mail_link(b, c, &h, &plan).await
}

/// The customer gets their link by email (when they gave an address).
async fn mail_link(b: &Billing, c: &mut Conn, h: &Holding, plan: &Plan) -> AppResult<()> {
    let ws = &h.workspace_id;
    let Some(cid) = h.contact_id.as_deref().and_then(ContactId::parse) else { return Ok(()) };
    let Some(k) = frontdesk_inbox::repo::inbox::contact(c, ws, &cid).await? else { return Ok(()) };
    let Some(to) = k.email.clone() else { return Ok(()) };
    let p: &Platform = b.as_ref();
    let lang = frontdesk_inbox::customer_lang_in(c, ws, k.language.as_deref()).await?;
    let business = frontdesk_platform::repo::workspaces::by_id(c, ws).await?.map(|w| w.name).unwrap_or_default();
    let mail = frontdesk_platform::mail::Mail {
        to,
        subject: frontdesk_i18n::tl!(
            lang,
            "member-mail-subject",
            business = business.as_str(),
            plan = plan.name.as_str()
        ),
        text: frontdesk_i18n::tl!(
            lang,
            "member-mail-body",
            business = business.as_str(),
            plan = plan.name.as_str(),
            link = link(p, h)
        ),
        from_name: Some(crate::pay::from_business(p, lang, &business)),
        ..Default::default()
    };
    frontdesk_platform::mail::enqueue(p, c, &mail).await
}

/// A customer buys a pass or membership on the business's page: a contact for them (their
/// typed email is unverified: it joins nobody), and the payment to make.
pub async fn buy_online(
    b: &Billing,
    ws: &WorkspaceId,
    plan_id: &str,
    customer: &frontdesk_bookings::book::CustomerInput,
    lang: frontdesk_core::lang::Lang,
) -> AppResult<Bought> {
    let plan = {
        let mut c = b.db.conn().await?;
        plan_in(&mut c, ws, plan_id).await?.filter(|p| p.active && p.price_minor > 0)
    }
    .ok_or_else(|| bad("plan_id", "unknown_plan", "There is no such plan."))?;
    if customer.email.as_deref().map(str::trim).is_none_or(str::is_empty) {
        return Err(bad("customer.email", "required", "Give your email address."));
    }
    let contact = {
        let mut tx = b.db.begin().await?;
        let id = frontdesk_bookings::book::new_contact(&b.bookings, &mut tx, ws, customer, Some(lang)).await?;
        tx.commit().await?;
        id
    };
    if plan.renews {
        let email = customer.email.as_deref().map(str::trim).unwrap_or_default();
        return subscribe_online(b, ws, &plan, &contact, (customer.name.trim(), email), lang)
            .await
            .map(Bought::Subscribe);
    }
    pay::start_sale(b, ws, &plan, &contact, lang).await.map(|p| Bought::Pay(Box::new(p)))
}

/// What buying online leads to: a payment to make, or (a monthly one) Stripe's subscription
/// Checkout.
pub enum Bought {
    Pay(Box<crate::repo::Payment>),
    Subscribe(String),
}

/// A monthly membership bought online: a pending holding, the customer on the business's
/// Stripe account, and a Checkout in subscription mode; its URL. The holding becomes active
/// when Stripe says the subscription is paid.
async fn subscribe_online(
    b: &Billing,
    ws: &WorkspaceId,
    plan: &Plan,
    contact: &ContactId,
    (name, email): (&str, &str),
    lang: frontdesk_core::lang::Lang,
) -> AppResult<String> {
    let account = {
        let mut c = b.db.conn().await?;
        crate::repo::account(&mut c, ws, "stripe").await?
    }
    .ok_or_else(|| {
        AppError::new(
            frontdesk_platform::error::ErrorKind::Conflict,
            "no_payment_account",
            "This business takes no online payments now.",
        )
    })?;
    let (key, _) = crate::accounts::secrets(b, &account)?;
    let now = b.now().0;
    let mut h = Holding {
        id: frontdesk_core::JobId::new().to_string(),
        workspace_id: ws.clone(),
        plan_id: plan.id.clone(),
        contact_id: Some(contact.to_string()),
        status: "pending".into(),
        sessions_left: plan.sessions,
        valid_until: now,
        payment_id: None,
        created_by: "customer".into(),
        created_at: now,
        updated_at: now,
        stripe_customer_id: None,
        stripe_subscription_id: None,
        renewing: false,
        state_at: 0,
    };
    let stripe = b.stripe_client();
    let customer = stripe.create_member_customer(&key, email, name, &h.id).await.map_err(crate::accounts::refused)?;
    h.stripe_customer_id = Some(customer.clone());
    {
        let mut tx = b.db.begin().await?;
        row::insert(&mut tx, &h).await?;
        let system = audit::Actor { kind: "system", id: Some("billing".into()), ip: None };
        audit::record(
            b,
            &mut tx,
            ws.as_str(),
            &system,
            "membership.subscribe",
            Some(("membership", h.id.as_str())),
            "open",
        )
        .await?;
        tx.commit().await?;
    }
    let p: &Platform = b.as_ref();
    let slug = {
        let mut c = b.db.conn().await?;
        frontdesk_platform::profile::of(&mut c, ws).await?.slug
    };
    stripe
        .member_checkout(
            &key,
            crate::stripe::MemberCheckout {
                customer: &customer,
                currency: &plan.currency,
                amount_minor: plan.price_minor,
                name: &plan.name,
                success_url: &link(p, &h),
                cancel_url: &format!("{}/book/{slug}/passes", p.settings.base_url),
                reference: &h.id,
                locale: lang.code(),
            },
        )
        .await
        .map_err(crate::accounts::refused)
}

/// The subscription an event of the business's account is about, for the subscription
/// events (`customer.subscription.*`, `invoice.*`, a Checkout completed in subscription mode).
pub fn subscription_named(kind: &str, body: &[u8]) -> Option<(String, i64)> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let o = &v["data"]["object"];
    let sid = if kind.starts_with("customer.subscription.") {
        o["id"].as_str()
    } else if kind.starts_with("invoice.") {
        o["subscription"].as_str().or(o["parent"]["subscription_details"]["subscription"].as_str())
    } else if kind == "checkout.session.completed" && o["mode"].as_str() == Some("subscription") {
        o["subscription"].as_str()
    } else {
        None
    }?;
    Some((sid.to_string(), v["created"].as_i64().unwrap_or(0) * 1000))
}

/// Asks the business's Stripe account for a subscription as it stands now (`None`: not theirs).
pub async fn fetch_subscription(
    b: &Billing,
    account: &crate::repo::Account,
    sid: &str,
) -> AppResult<Option<serde_json::Value>> {
    let (key, _) = crate::accounts::secrets(b, account)?;
    match b.stripe_client().subscription(&key, sid).await {
        Ok(v) => Ok(Some(v)),
        Err(crate::gateway::GatewayError::Rejected { .. }) => Ok(None),
        Err(e) => Err(crate::accounts::refused(e)),
    }
}

/// Applies a subscription's current state to the holding of its customer (found by the
/// customer id we stored, in the account's own workspace; never by metadata), inside the
/// event's transaction. Paid up (`active`, `trialing`): active to the period's end, a pass's
/// sessions back at each new period; `past_due`: unchanged, so it lapses at the period's end
/// unless paid; ended (`canceled`, `unpaid`, `incomplete_expired`): lapsed now.
pub async fn apply_subscription(
    b: &Billing,
    c: &mut Conn,
    account: &crate::repo::Account,
    v: &serde_json::Value,
    event_at: i64,
) -> AppResult<&'static str> {
    let ws = &account.workspace_id;
    let (Some(sid), Some(customer)) = (v["id"].as_str(), v["customer"].as_str()) else { return Ok("unmatched") };
    let Some(h) =
        row::find::<Holding>(c, "WHERE workspace_id = $1 AND stripe_customer_id = $2", (ws, customer)).await?
    else {
        return Ok("unmatched");
    };
    if event_at > 0 && event_at < h.state_at {
        return Ok("stale");
    }
    let Some(plan) = plan_in(c, ws, &h.plan_id).await? else { return Ok("unmatched") };
    let item = &v["items"]["data"][0];
    let end = v["current_period_end"].as_i64().or(item["current_period_end"].as_i64()).map(|s| s * 1000);
    let now = b.now().0;
    let renewing = v["cancel_at_period_end"].as_bool() != Some(true);
    let (status, until, sessions) = match v["status"].as_str().unwrap_or("") {
        "active" | "trialing" => {
            let until = end.unwrap_or(h.valid_until).max(h.valid_until);
            // A new period: a pass's sessions come back.
            let sessions = if until > h.valid_until { plan.sessions } else { h.sessions_left };
            let status = if h.status == "used_up" && sessions == h.sessions_left { "used_up" } else { "active" };
            (status, until, sessions)
        }
        "past_due" | "incomplete" => {
            (if h.status == "pending" { "pending" } else { h.status.as_str() }, h.valid_until, h.sessions_left)
        }
        _ => (if h.status == "pending" { "cancelled" } else { "lapsed" }, h.valid_until.min(now), h.sessions_left),
    };
    let status = status.to_string();
    let ended = matches!(status.as_str(), "lapsed" | "cancelled");
    row::execute(
        c,
        "UPDATE customer_memberships SET status = $1, valid_until = $2, sessions_left = $3, stripe_subscription_id = $4,          renewing = $5, state_at = $6, updated_at = $7 WHERE workspace_id = $8 AND id = $9",
        (status.as_str(), until, sessions, sid, renewing && !ended, event_at.max(h.state_at), now, ws, h.id.as_str()),
    )
    .await?;
    let system = audit::Actor { kind: "system", id: Some("billing".into()), ip: None };
    audit::record(b, c, ws.as_str(), &system, "membership.state", Some(("membership", h.id.as_str())), &status).await?;
    if h.status == "pending" && status == "active" {
        let mut held = h.clone();
        held.status = status;
        mail_link(b, c, &held, &plan).await?;
    }
    Ok("applied")
}

/// The customer stops their monthly membership from its link: it lasts to the period's end.
pub async fn cancel(b: &Billing, token: &str) -> AppResult<Holding> {
    let (h, _) = opened(b, token).await?;
    let Some(sid) = h.stripe_subscription_id.clone().filter(|_| h.renewing) else {
        return Err(AppError::new(
            frontdesk_platform::error::ErrorKind::Conflict,
            "not_renewing",
            "This does not renew, so there is nothing to cancel.",
        ));
    };
    let account = {
        let mut c = b.db.conn().await?;
        crate::repo::account(&mut c, &h.workspace_id, "stripe").await?
    }
    .ok_or_else(AppError::internal)?;
    let (key, _) = crate::accounts::secrets(b, &account)?;
    let v = b.stripe_client().cancel_at_period_end(&key, &sid).await.map_err(crate::accounts::refused)?;
    let mut tx = b.db.begin().await?;
    apply_subscription(b, &mut tx, &account, &v, 0).await?;
    let customer = audit::Actor { kind: "customer", id: h.contact_id.clone(), ip: None };
    audit::record(
        b,
        &mut tx,
        h.workspace_id.as_str(),
        &customer,
        "membership.cancel",
        Some(("membership", h.id.as_str())),
        "period_end",
    )
    .await?;
    let h: Holding = row::find(&mut tx, "WHERE workspace_id = $1 AND id = $2", (&h.workspace_id, h.id.as_str()))
        .await?
        .ok_or_else(AppError::internal)?;
    tx.commit().await?;
    Ok(h)
}

/// The plan name a sale's payment buys (for its pay page).
pub async fn sold_plan_name(c: &mut Conn, ws: &WorkspaceId, payment: &str) -> AppResult<Option<String>> {
    Ok(row::opt_scalar(
        c,
        "SELECT p.name FROM membership_sales s JOIN membership_plans p ON p.id = s.plan_id          WHERE s.workspace_id = $1 AND s.payment_id = $2",
        (ws, payment),
    )
    .await?)
}
