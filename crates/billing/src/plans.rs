//! Platform billing (the operator's, on when `[platform_billing]` is configured): plans with
//! hard limits (seats, channels) and metered quotas (messages, AI calls, device minutes; beyond
//! the quota each unit is paid from the wallet at its overage price), each workspace's
//! subscription state, top-ups through the platform's Stripe Checkout, and what the platform
//! Stripe account's events do. Subscription events are never applied as they come: Frontdesk
//! fetches the subscription and applies its current state, and an event older than the state
//! held changes nothing. `active → past_due` (a grace of `grace_days`) `→ restricted` (no sends,
//! no paid AI, no new bookings, no device starts; intake, privacy requests and sign-in always
//! work; nothing is deleted) `→ active` when paid.

use crate::wallet::{self, Posted, Posting};
use crate::Billing;
use frontdesk_core::money::{Currency, Micros};
use frontdesk_core::{Timestamp, WorkspaceId};
use frontdesk_platform::audit::{self, Actor};
use frontdesk_platform::error::{AppError, AppResult, ErrorKind};
use frontdesk_platform::ports::{Entitlements, Fut, Meter, TokenPrices, Use};
use frontdesk_store::{row, Conn};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `[platform_billing]`: the operator's own Stripe account and terms.
#[derive(Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct PlatformBillingSettings {
    /// The wallet's and the plans' currency.
    pub currency: String,
    /// The operator's Stripe secret key.
    #[serde(skip_serializing)]
    pub stripe_secret_key: String,
    /// The signing secret of the endpoint the operator made at `/webhooks/stripe/platform`.
    #[serde(skip_serializing)]
    pub webhook_secret: String,
    /// The plan of a workspace that subscribed to none (its id or name); none: no limits, no
    /// quotas.
    pub default_plan: Option<String>,
    /// Days a past-due workspace keeps working.
    pub grace_days: i64,
    /// The smallest and largest top-up, in minor units.
    pub topup_min_minor: i64,
    pub topup_max_minor: i64,
    /// A workspace younger than `new_days` may top up at most this many times a day.
    pub new_topups_per_day: i64,
    pub new_days: i64,
    /// Below this balance (a decimal, `2.00`) the owners are told once by email.
    pub low_balance: String,
}

impl Default for PlatformBillingSettings {
    fn default() -> Self {
        Self {
            currency: "EUR".into(),
            stripe_secret_key: String::new(),
            webhook_secret: String::new(),
            default_plan: None,
            grace_days: 7,
            topup_min_minor: 500,
            topup_max_minor: 50_000,
            new_topups_per_day: 3,
            new_days: 7,
            low_balance: "2.00".into(),
        }
    }
}

impl std::fmt::Debug for PlatformBillingSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlatformBillingSettings")
            .field("currency", &self.currency)
            .field("stripe_secret_key", &"<redacted>")
            .field("webhook_secret", &"<redacted>")
            .field("default_plan", &self.default_plan)
            .field("grace_days", &self.grace_days)
            .finish_non_exhaustive()
    }
}

impl PlatformBillingSettings {
    pub fn check(&self) -> Result<(), String> {
        if Currency::parse(&self.currency).is_none() {
            return Err(format!("platform_billing.currency: {:?} is not a currency", self.currency));
        }
        if self.stripe_secret_key.trim().is_empty() || self.webhook_secret.trim().is_empty() {
            return Err("platform_billing needs stripe_secret_key and webhook_secret".into());
        }
        if Micros::parse(&self.low_balance).is_err() {
            return Err(format!("platform_billing.low_balance: {:?} is not an amount", self.low_balance));
        }
        if self.topup_min_minor <= 0 || self.topup_max_minor < self.topup_min_minor {
            return Err("platform_billing: topup_min_minor must be above 0 and at most topup_max_minor".into());
        }
        Ok(())
    }
    pub fn currency(&self) -> Currency {
        Currency::parse(&self.currency).unwrap_or_else(|| Currency::parse("EUR").expect("EUR"))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub id: String,
    pub name: String,
    pub monthly_minor: i64,
    pub yearly_minor: Option<i64>,
    pub stripe_price_monthly: Option<String>,
    pub stripe_price_yearly: Option<String>,
    pub trial_days: i64,
    pub seats: Option<i64>,
    pub channels: Option<i64>,
    pub included_messages: i64,
    pub included_ai_calls: i64,
    pub included_device_minutes: i64,
    pub message_micros: i64,
    pub ai_call_micros: i64,
    pub device_minute_micros: i64,
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
    /// Beyond the AI quota, what the model's tokens cost besides the call's price (micro-units
    /// per million input and output tokens).
    pub ai_input_mtok_micros: i64,
    pub ai_output_mtok_micros: i64,
}

row::table!(Plan in "billing_plans" {
    id, name, monthly_minor, yearly_minor, stripe_price_monthly, stripe_price_yearly, trial_days, seats, channels,
    included_messages, included_ai_calls, included_device_minutes, message_micros, ai_call_micros,
    device_minute_micros, active, created_at, updated_at, ai_input_mtok_micros, ai_output_mtok_micros
});

impl Plan {
    fn included(&self, m: Meter) -> i64 {
        match m {
            Meter::Message => self.included_messages,
            Meter::AiCall => self.included_ai_calls,
            Meter::DeviceMinute => self.included_device_minutes,
        }
    }
    fn price(&self, m: Meter) -> i64 {
        match m {
            Meter::Message => self.message_micros,
            Meter::AiCall => self.ai_call_micros,
            Meter::DeviceMinute => self.device_minute_micros,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subscription {
    pub workspace_id: WorkspaceId,
    pub plan_id: Option<String>,
    pub status: String,
    pub stripe_customer_id: Option<String>,
    pub stripe_subscription_id: Option<String>,
    pub period_start: Option<i64>,
    pub period_end: Option<i64>,
    pub past_due_since: Option<i64>,
    pub state_at: i64,
    pub updated_at: i64,
}

row::table!(Subscription in "billing_subscriptions" {
    workspace_id, plan_id, status, stripe_customer_id, stripe_subscription_id, period_start, period_end,
    past_due_since, state_at, updated_at
});

/// A plan as the operator writes it (prices as decimals: `29.00`, overage `0.007`).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    pub name: String,
    pub monthly_price: String,
    #[serde(default)]
    pub yearly_price: Option<String>,
    #[serde(default)]
    pub stripe_price_monthly: Option<String>,
    #[serde(default)]
    pub stripe_price_yearly: Option<String>,
    #[serde(default)]
    pub trial_days: i64,
    #[serde(default)]
    pub seats: Option<i64>,
    #[serde(default)]
    pub channels: Option<i64>,
    #[serde(default)]
    pub included_messages: i64,
    #[serde(default)]
    pub included_ai_calls: i64,
    #[serde(default)]
    pub included_device_minutes: i64,
    #[serde(default)]
    pub message_price: Option<String>,
    #[serde(default)]
    pub ai_call_price: Option<String>,
    #[serde(default)]
    pub device_minute_price: Option<String>,
    /// Beyond the AI quota, the price of a million input tokens of the operator's model
    /// (`0.50`), on top of the call's price.
    #[serde(default)]
    pub ai_input_price_per_million: Option<String>,
    /// And of a million output tokens (`1.50`).
    #[serde(default)]
    pub ai_output_price_per_million: Option<String>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct PlanOut {
    pub id: String,
    pub name: String,
    pub currency: String,
    pub monthly_price: String,
    pub yearly_price: Option<String>,
    pub trial_days: i64,
    pub seats: Option<i64>,
    pub channels: Option<i64>,
    pub included_messages: i64,
    pub included_ai_calls: i64,
    pub included_device_minutes: i64,
    pub message_price: String,
    pub ai_call_price: String,
    pub device_minute_price: String,
    pub ai_input_price_per_million: String,
    pub ai_output_price_per_million: String,
    pub active: bool,
}

fn off() -> AppError {
    AppError::new(ErrorKind::NotFound, "platform_billing_off", "Platform billing is not configured on this server.")
}

pub fn settings(b: &Billing) -> AppResult<&PlatformBillingSettings> {
    b.platform_settings.as_deref().ok_or_else(off)
}

pub fn plan_out(b: &Billing, p: &Plan) -> PlanOut {
    let cur =
        b.platform_settings.as_deref().map(|s| s.currency()).unwrap_or_else(|| Currency::parse("EUR").expect("EUR"));
    let money = |m: i64| frontdesk_core::money::Money::new(m, cur).decimal();
    PlanOut {
        id: p.id.clone(),
        name: p.name.clone(),
        currency: cur.code().to_string(),
        monthly_price: money(p.monthly_minor),
        yearly_price: p.yearly_minor.map(money),
        trial_days: p.trial_days,
        seats: p.seats,
        channels: p.channels,
        included_messages: p.included_messages,
        included_ai_calls: p.included_ai_calls,
        included_device_minutes: p.included_device_minutes,
        message_price: Micros(p.message_micros).decimal(),
        ai_call_price: Micros(p.ai_call_micros).decimal(),
        device_minute_price: Micros(p.device_minute_micros).decimal(),
        ai_input_price_per_million: Micros(p.ai_input_mtok_micros).decimal(),
        ai_output_price_per_million: Micros(p.ai_output_mtok_micros).decimal(),
        active: p.active,
    }
}

fn price_of(field: &'static str, v: Option<&str>) -> AppResult<i64> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(0),
        Some(s) => match Micros::parse(s) {
            Ok(m) if m.0 >= 0 => Ok(m.0),
            _ => Err(AppError::invalid(field, "invalid_price", "Give a price like 0.007 (up to six decimals).")),
        },
    }
}

/// The operator adds a plan.
pub async fn create_plan(b: &Billing, actor: &Actor, i: &PlanInput) -> AppResult<Plan> {
    let s = settings(b)?;
    let cur = s.currency();
    let name = i.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(AppError::invalid("name", "invalid_name", "Give the plan a name of at most 80 characters."));
    }
    let minor = |field: &'static str, v: &str| {
        frontdesk_core::money::Money::parse(v, cur)
            .ok()
            .map(|m| m.minor())
            .filter(|m| *m >= 0)
            .ok_or_else(|| AppError::invalid(field, "invalid_amount", "Use an amount such as 25 or 25.50."))
    };
    let monthly = minor("monthly_price", &i.monthly_price)?;
    let yearly = match i.yearly_price.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(y) => Some(minor("yearly_price", y)?),
        None => None,
    };
    for (f, v) in [("seats", i.seats), ("channels", i.channels)] {
        if v.is_some_and(|n| !(0..=100_000).contains(&n)) {
            return Err(AppError::invalid(f, "out_of_range", "Use a number from 0 to 100000, or none."));
        }
    }
    for (f, v) in [
        ("included_messages", i.included_messages),
        ("included_ai_calls", i.included_ai_calls),
        ("included_device_minutes", i.included_device_minutes),
        ("trial_days", i.trial_days),
    ] {
        if !(0..=100_000_000).contains(&v) {
            return Err(AppError::invalid(f, "out_of_range", "Use a number from 0 up."));
        }
    }
    let now = b.now().0;
    let p = Plan {
        id: frontdesk_core::JobId::new().to_string(),
        name: name.to_string(),
        monthly_minor: monthly,
        yearly_minor: yearly,
        stripe_price_monthly: i.stripe_price_monthly.clone().filter(|s| !s.trim().is_empty()),
        stripe_price_yearly: i.stripe_price_yearly.clone().filter(|s| !s.trim().is_empty()),
        trial_days: i.trial_days,
        seats: i.seats,
        channels: i.channels,
        included_messages: i.included_messages,
        included_ai_calls: i.included_ai_calls,
        included_device_minutes: i.included_device_minutes,
        message_micros: price_of("message_price", i.message_price.as_deref())?,
        ai_call_micros: price_of("ai_call_price", i.ai_call_price.as_deref())?,
        device_minute_micros: price_of("device_minute_price", i.device_minute_price.as_deref())?,
        active: true,
        created_at: now,
        updated_at: now,
        ai_input_mtok_micros: price_of("ai_input_price_per_million", i.ai_input_price_per_million.as_deref())?,
        ai_output_mtok_micros: price_of("ai_output_price_per_million", i.ai_output_price_per_million.as_deref())?,
    };
    let mut tx = b.db.begin().await?;
    row::insert(&mut tx, &p).await?;
    audit::record(
        b,
        &mut tx,
        frontdesk_core::audit::PLATFORM_CHAIN,
        actor,
        "plan.create",
        Some(("plan", p.id.as_str())),
        "ok",
    )
    .await?;
    tx.commit().await?;
    Ok(p)
}

pub async fn plans(b: &Billing) -> AppResult<Vec<Plan>> {
    settings(b)?;
    let mut c = b.db.conn().await?;
    Ok(row::find_all(&mut c, "WHERE active = 1 ORDER BY monthly_minor, name", ()).await?)
}

async fn plan_by_id(c: &mut Conn, id: &str) -> AppResult<Option<Plan>> {
    Ok(row::find(c, "WHERE id = $1", id).await?)
}

async fn plan_by_price(c: &mut Conn, price: &str) -> AppResult<Option<Plan>> {
    Ok(row::find(c, "WHERE stripe_price_monthly = $1 OR stripe_price_yearly = $1", price).await?)
}

pub async fn subscription(c: &mut Conn, ws: &WorkspaceId) -> AppResult<Option<Subscription>> {
    Ok(row::find(c, "WHERE workspace_id = $1", ws).await?)
}

/// The plan a workspace is on now: its subscription's, else the default plan.
async fn plan_of(b: &Billing, c: &mut Conn, ws: &WorkspaceId) -> AppResult<(Option<Subscription>, Option<Plan>)> {
    let s = settings(b)?;
    let sub = subscription(c, ws).await?;
    let live = sub.as_ref().filter(|x| matches!(x.status.as_str(), "trialing" | "active" | "past_due" | "restricted"));
    let plan = match live.and_then(|x| x.plan_id.clone()) {
        Some(id) => plan_by_id(c, &id).await?,
        // The default plan, by its id or its name.
        None => match &s.default_plan {
            Some(d) => row::find(c, "WHERE (id = $1 OR name = $1) AND active = 1", d.as_str()).await?,
            None => None,
        },
    };
    Ok((sub, plan))
}

/// Is the workspace restricted now (its plan unpaid past the grace, or a debt in its wallet)?
pub async fn restricted(b: &Billing, c: &mut Conn, ws: &WorkspaceId) -> AppResult<bool> {
    let sub = subscription(c, ws).await?;
    if sub.as_ref().is_some_and(|s| s.status == "restricted") {
        return Ok(true);
    }
    let grace = settings(b)?.grace_days * Timestamp::DAY;
    if sub.as_ref().and_then(|s| s.past_due_since).is_some_and(|t| t + grace <= b.now().0) {
        return Ok(true);
    }
    Ok(wallet::balance_in(c, ws).await?.0 < 0)
}

fn restricted_error() -> AppError {
    AppError::new(
        ErrorKind::Forbidden,
        "workspace_restricted",
        "This workspace is restricted until its plan is paid; incoming messages still arrive.",
    )
}

fn limit_error(what: &str) -> AppError {
    AppError::new(
        ErrorKind::Conflict,
        "plan_limit_reached",
        format!("The workspace's plan includes no more {what}; choose a larger plan."),
    )
}

fn today(now: i64) -> String {
    Timestamp(now).to_rfc3339().get(..10).unwrap_or("1970-01-01").to_string()
}

/// The start of the period usage counts in: the subscription's, else the calendar month.
fn period_start(sub: Option<&Subscription>, now: i64) -> String {
    match sub.and_then(|s| s.period_start) {
        Some(t) => today(t),
        None => format!("{}-01", &today(now)[..7]),
    }
}

/// Billing's implementation of the plans port (registered when platform billing is on).
#[derive(Clone)]
pub struct PlanGate(pub Billing);

impl Entitlements for PlanGate {
    fn allow<'a>(&'a self, c: &'a mut Conn, ws: &'a WorkspaceId, what: Use) -> Fut<'a, AppResult<()>> {
        Box::pin(async move {
            let b = &self.0;
            match what {
                Use::Send | Use::PaidAi | Use::Booking | Use::DeviceStart => {
                    if restricted(b, c, ws).await? {
                        return Err(restricted_error());
                    }
                    Ok(())
                }
                Use::Seat => {
                    let (_, plan) = plan_of(b, c, ws).await?;
                    let Some(max) = plan.and_then(|p| p.seats) else { return Ok(()) };
                    let members: i64 =
                        row::scalar(c, "SELECT COUNT(*) FROM memberships WHERE workspace_id = $1", ws).await?;
                    let pending: i64 = row::scalar(
                        c,
                        "SELECT COUNT(*) FROM invitations WHERE workspace_id = $1 AND accepted_at IS NULL \
                         AND revoked_at IS NULL AND expires_at > $2",
                        (ws, b.now().0),
                    )
                    .await?;
                    if members + pending >= max {
                        return Err(limit_error("seats"));
                    }
                    Ok(())
                }
                Use::Channel => {
                    let (_, plan) = plan_of(b, c, ws).await?;
                    let Some(max) = plan.and_then(|p| p.channels) else { return Ok(()) };
                    let n: i64 = row::scalar(
                        c,
                        "SELECT COUNT(*) FROM channels WHERE workspace_id = $1 AND disabled_at IS NULL",
                        ws,
                    )
                    .await?;
                    if n >= max {
                        return Err(limit_error("channels"));
                    }
                    Ok(())
                }
            }
        })
    }

    fn charge<'a>(
        &'a self,
        c: &'a mut Conn,
        ws: &'a WorkspaceId,
        meter: Meter,
        quantity: i64,
        key: &'a str,
    ) -> Fut<'a, AppResult<()>> {
        Box::pin(async move { charge(&self.0, c, ws, meter, quantity, key).await })
    }

    fn token_prices<'a>(&'a self, c: &'a mut Conn, ws: &'a WorkspaceId) -> Fut<'a, AppResult<Option<TokenPrices>>> {
        Box::pin(async move { token_prices(&self.0, c, ws).await })
    }
}

/// The plan's token prices when the workspace has used its AI quota this period (the call
/// being made is counted already), else `None`: within the quota, tokens are free.
pub async fn token_prices(b: &Billing, c: &mut Conn, ws: &WorkspaceId) -> AppResult<Option<TokenPrices>> {
    let (sub, plan) = plan_of(b, c, ws).await?;
    let Some(plan) = plan.filter(|p| p.ai_input_mtok_micros > 0 || p.ai_output_mtok_micros > 0) else {
        return Ok(None);
    };
    let from = period_start(sub.as_ref(), b.now().0);
    let used: i64 = row::scalar(
        c,
        "SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM usage_days WHERE workspace_id = $1 AND meter = $2 \
         AND day >= $3",
        (ws, Meter::AiCall.as_str(), from.as_str()),
    )
    .await?;
    if used <= plan.included_ai_calls {
        return Ok(None);
    }
    Ok(Some(TokenPrices {
        input_per_million: plan.ai_input_mtok_micros,
        output_per_million: plan.ai_output_mtok_micros,
    }))
}

/// Counts usage; beyond the plan's quota the wallet pays (or the work is refused).
pub async fn charge(
    b: &Billing,
    c: &mut Conn,
    ws: &WorkspaceId,
    meter: Meter,
    quantity: i64,
    key: &str,
) -> AppResult<()> {
    if quantity <= 0 {
        return Ok(());
    }
    let now = b.now().0;
    let (sub, plan) = plan_of(b, c, ws).await?;
    let from = period_start(sub.as_ref(), now);
    let used: i64 = row::scalar(
        c,
        "SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM usage_days WHERE workspace_id = $1 AND meter = $2 \
         AND day >= $3",
        (ws, meter.as_str(), from.as_str()),
    )
    .await?;
    let (included, price) = plan.as_ref().map(|p| (p.included(meter), p.price(meter))).unwrap_or((i64::MAX, 0));
    let over_before = (used - included).max(0);
    let over_after = (used.saturating_add(quantity) - included).max(0);
    let cost = Micros((over_after - over_before).saturating_mul(price));
    let p = Posting {
        kind: "debit",
        amount: Micros(-cost.0),
        key,
        reason: Some(meter.as_str()),
        actor: "system",
        may_owe: false,
    };
    match wallet::post(c, ws, &p, now).await? {
        Posted::Repeated => return Ok(()),
        Posted::Refused => return Err(wallet::no_credit()),
        Posted::Done(_) => {}
    }
    if cost.0 > 0 {
        low_balance_check(b, c, ws).await?;
        crate::autotopup::check(b, c, ws).await?;
    }
    row::execute(
        c,
        "INSERT INTO usage_days (workspace_id, day, meter, quantity, billed_micros) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (workspace_id, day, meter) DO UPDATE SET quantity = usage_days.quantity + excluded.quantity, \
         billed_micros = usage_days.billed_micros + excluded.billed_micros",
        (ws, today(now).as_str(), meter.as_str(), quantity, cost.0),
    )
    .await?;
    Ok(())
}

/// The wallet port, over the same ledger.
impl frontdesk_platform::ports::Wallet for PlanGate {
    fn reserve<'a>(
        &'a self,
        c: &'a mut Conn,
        ws: &'a WorkspaceId,
        key: &'a str,
        amount: Micros,
    ) -> Fut<'a, AppResult<()>> {
        Box::pin(async move {
            wallet::reserve(c, ws, key, amount, self.0.now().0).await?;
            crate::autotopup::check(&self.0, c, ws).await
        })
    }
    fn settle<'a>(
        &'a self,
        c: &'a mut Conn,
        ws: &'a WorkspaceId,
        key: &'a str,
        actual: Micros,
    ) -> Fut<'a, AppResult<()>> {
        Box::pin(async move {
            let now = self.0.now().0;
            let paid = wallet::settle(c, ws, key, actual, now).await?;
            // An AI call's tokens: what they cost joins the day's AI usage (the usage page's
            // "paid" column).
            if paid.0 > 0 && key.starts_with("ai_call:") {
                row::execute(
                    c,
                    "INSERT INTO usage_days (workspace_id, day, meter, quantity, billed_micros) VALUES ($1, $2, $3, 0, $4) \
                     ON CONFLICT (workspace_id, day, meter) DO UPDATE SET billed_micros = usage_days.billed_micros + excluded.billed_micros",
                    (ws, today(now).as_str(), Meter::AiCall.as_str(), paid.0),
                )
                .await?;
            }
            Ok(())
        })
    }
    fn release<'a>(&'a self, c: &'a mut Conn, ws: &'a WorkspaceId, key: &'a str) -> Fut<'a, AppResult<()>> {
        Box::pin(async move { wallet::release(c, ws, key, self.0.now().0).await })
    }
}

// The operator's adjustments.

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustInput {
    /// A decimal amount in the operator's currency: positive credits, negative debits.
    pub amount: String,
    /// Why (required, kept in the ledger and the audit).
    pub reason: String,
}

/// The operator credits or debits a workspace's wallet, with a reason.
pub async fn adjust(b: &Billing, actor: &Actor, ws: &str, i: &AdjustInput) -> AppResult<Micros> {
    settings(b)?;
    let ws = WorkspaceId::parse(ws).ok_or_else(|| AppError::not_found("The workspace"))?;
    let amount = Micros::parse(&i.amount).ok().filter(|m| m.0 != 0).ok_or_else(|| {
        AppError::invalid("amount", "invalid_adjustment", "Give an amount other than zero, like 10.00.")
    })?;
    let reason = i.reason.trim();
    if reason.is_empty() || reason.chars().count() > 300 {
        return Err(AppError::invalid("reason", "reason_required", "Say why, in at most 300 characters."));
    }
    let mut tx = b.db.begin().await?;
    frontdesk_platform::repo::workspaces::by_id(&mut tx, &ws)
        .await?
        .ok_or_else(|| AppError::not_found("The workspace"))?;
    let key = format!("adjust:{}", frontdesk_core::JobId::new());
    let who = crate::accounts::actor_label(actor);
    let p = Posting { kind: "adjust", amount, key: &key, reason: Some(reason), actor: &who, may_owe: false };
    let balance = match wallet::post(&mut tx, &ws, &p, b.now().0).await? {
        Posted::Done(m) => m,
        Posted::Refused => return Err(wallet::no_credit()),
        Posted::Repeated => return Err(AppError::internal()),
    };
    audit::record(b, &mut tx, ws.as_str(), actor, "wallet.adjust", Some(("workspace", ws.as_str())), &amount.decimal())
        .await?;
    if amount.0 < 0 {
        crate::autotopup::check(b, &mut tx, &ws).await?;
    }
    tx.commit().await?;
    Ok(balance)
}

// Top-ups and subscriptions through the platform's Stripe account.

fn gateway(b: &Billing) -> AppResult<(&dyn crate::gateway::PaymentGateway, String)> {
    let s = settings(b)?;
    Ok((b.stripe.as_ref(), s.stripe_secret_key.clone()))
}

/// A top-up's amount (a hand-made or an automatic one) within the operator's limits.
pub fn in_topup_range(s: &PlatformBillingSettings, amount_minor: i64) -> AppResult<()> {
    if amount_minor < s.topup_min_minor || amount_minor > s.topup_max_minor {
        return Err(AppError::invalid(
            "amount_minor",
            "topup_out_of_range",
            format!("A top-up is from {} to {} minor units.", s.topup_min_minor, s.topup_max_minor),
        ));
    }
    Ok(())
}

/// A top-up: a Checkout on the platform's account, credited when Stripe says it was paid.
pub async fn start_topup(
    b: &Billing,
    access: &frontdesk_platform::workspaces::Access,
    amount_minor: i64,
    keep_card: bool,
) -> AppResult<(String, String)> {
    let s = settings(b)?;
    if !frontdesk_core::role::allows(access.role, frontdesk_core::Action::ManagePayments) {
        return Err(AppError::forbidden("Only owners and admins top up the wallet."));
    }
    if amount_minor <= 0 {
        return Err(AppError::invalid("amount_minor", "amount_not_positive", "The amount must be more than zero."));
    }
    in_topup_range(s, amount_minor)?;
    let ws = &access.workspace.id;
    let now = b.now().0;
    {
        let mut c = b.db.conn().await?;
        if access.workspace.created_at > now - s.new_days * Timestamp::DAY {
            let n: i64 = row::scalar(
                &mut c,
                "SELECT COUNT(*) FROM wallet_topups WHERE workspace_id = $1 AND created_at > $2",
                (ws, now - Timestamp::DAY),
            )
            .await?;
            if n >= s.new_topups_per_day {
                return Err(AppError::new(
                    ErrorKind::RateLimited { retry_after_secs: 3600 },
                    "topup_limit",
                    "A new workspace tops up a few times a day at most; try again later.",
                ));
            }
        }
    }
    // The card is kept on the workspace's Stripe customer, for automatic top-ups.
    let keep_card_for = if keep_card { Some(customer_of(b, access).await?) } else { None };
    let (g, key) = gateway(b)?;
    let id = frontdesk_core::JobId::new().to_string();
    let base = b.platform.settings.base_url.clone();
    let req = crate::gateway::CheckoutRequest {
        idempotency_key: format!("topup:{id}"),
        amount_minor,
        currency: s.currency().code().to_string(),
        description: format!("{} · wallet top-up", access.workspace.name),
        success_url: format!("{base}/w/{ws}/billing?topup={id}"),
        cancel_url: format!("{base}/w/{ws}/billing"),
        reference: id.clone(),
        customer_email: None,
        expires_at: now + 60 * Timestamp::MINUTE,
        locale: "auto".into(),
        keep_card_for,
    };
    let co = g.create_checkout(&key, &req).await.map_err(crate::accounts::refused)?;
    let url = co.url.clone().unwrap_or_default();
    let mut tx = b.db.begin().await?;
    row::execute(
        &mut tx,
        "INSERT INTO wallet_topups (id, workspace_id, amount_minor, currency, checkout_id, checkout_url, status, \
         created_by, created_at, updated_at, save_card) VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $8, $9)",
        (
            id.as_str(),
            ws,
            amount_minor,
            s.currency().code(),
            co.id.as_str(),
            url.as_str(),
            crate::accounts::actor_label(&access.actor),
            now,
            keep_card,
        ),
    )
    .await?;
    audit::record(b, &mut tx, ws.as_str(), &access.actor, "wallet.topup_open", Some(("topup", id.as_str())), "open")
        .await?;
    tx.commit().await?;
    Ok((id, url))
}

/// A platform Stripe delivery: verified with the operator's endpoint secret on the raw bytes,
/// stored once, then applied. Subscriptions are fetched and their current state applied.
pub async fn receive(b: &Billing, signature: Option<&str>, body: &[u8]) -> AppResult<&'static str> {
    let s = settings(b)?;
    let g = b.stripe.as_ref();
    if g.verify(&s.webhook_secret, signature, body, b.now().0 / 1000).is_err() {
        return Err(AppError::new(ErrorKind::Unauthenticated, "invalid_signature", "The signature does not match."));
    }
    let now = b.now().0;
    let v: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(_) => return Ok("unparseable"),
    };
    let (Some(id), Some(kind)) = (v["id"].as_str(), v["type"].as_str()) else { return Ok("unparseable") };
    let created = v["created"].as_i64().unwrap_or(0) * 1000;
    let o = &v["data"]["object"];
    {
        let mut c = b.db.conn().await?;
        let n = row::changed(
            &mut c,
            "INSERT INTO platform_billing_events (event_id, kind, outcome, payload, received_at) VALUES ($1, $2, 'received', $3, $4) \
             ON CONFLICT (event_id) DO NOTHING",
            (id, kind, String::from_utf8_lossy(body).replace('\0', ""), now),
        )
        .await?;
        if n == 0 {
            return Ok("repeated");
        }
    }
    let applied: AppResult<&'static str> = async {
        Ok(match kind {
            "checkout.session.completed" | "checkout.session.async_payment_succeeded"
                if o["mode"].as_str() != Some("subscription") =>
            {
                topup_paid(b, o).await?
            }
            "charge.refunded" => topup_taken_back(b, o, o["amount_refunded"].as_i64().unwrap_or(0), "refund").await?,
            "charge.dispute.closed" if o["status"].as_str() == Some("lost") => {
                topup_taken_back(b, o, o["amount"].as_i64().unwrap_or(0), "dispute").await?
            }
            k if k.starts_with("customer.subscription.")
                || k.starts_with("invoice.")
                || k == "checkout.session.completed" =>
            {
                let sub_id = match o["object"].as_str() {
                    Some("subscription") => o["id"].as_str().map(str::to_string),
                    _ => o["subscription"]
                        .as_str()
                        .map(str::to_string)
                        .or_else(|| o["parent"]["subscription_details"]["subscription"].as_str().map(str::to_string)),
                };
                match sub_id {
                    Some(sid) => sync_subscription(b, &sid, created).await?,
                    None => "ignored",
                }
            }
            _ => "ignored",
        })
    }
    .await;
    let outcome = match applied {
        Ok(o) => o,
        Err(e) => {
            // Not applied (the provider could not be asked): forget the event, so Stripe's
            // retry brings it again.
            let mut c = b.db.conn().await?;
            row::execute(&mut c, "DELETE FROM platform_billing_events WHERE event_id = $1", id).await?;
            return Err(e);
        }
    };
    let mut c = b.db.conn().await?;
    row::execute(&mut c, "UPDATE platform_billing_events SET outcome = $1 WHERE event_id = $2", (outcome, id)).await?;
    Ok(outcome)
}

async fn topup_paid(b: &Billing, o: &Value) -> AppResult<&'static str> {
    if o["payment_status"].as_str() != Some("paid") {
        return Ok("ignored");
    }
    let Some(session) = o["id"].as_str() else { return Ok("ignored") };
    let mut tx = b.db.begin().await?;
    let found: Option<(String, i64, bool)> = row::optional_with(
        &mut tx,
        "SELECT workspace_id, amount_minor, save_card FROM wallet_topups WHERE checkout_id = $1",
        session,
        |r| {
            Ok((
                row::FromColumn::from_column(r, "workspace_id")?,
                row::FromColumn::from_column(r, "amount_minor")?,
                row::FromColumn::from_column(r, "save_card")?,
            ))
        },
    )
    .await?;
    let Some((ws, amount, keep_card)) = found else { return Ok("unmatched") };
    let ws = WorkspaceId::from_db(ws);
    let cur = settings(b)?.currency();
    let micros = Micros::from_minor(amount, cur).ok_or_else(AppError::internal)?;
    let key = format!("topup:{session}");
    let p = Posting { kind: "topup", amount: micros, key: &key, reason: None, actor: "stripe", may_owe: false };
    let now = b.now().0;
    let posted = wallet::post(&mut tx, &ws, &p, now).await?;
    row::execute(
        &mut tx,
        "UPDATE wallet_topups SET status = 'paid', updated_at = $1, intent_id = COALESCE($2, intent_id)          WHERE checkout_id = $3",
        (now, o["payment_intent"].as_str(), session),
    )
    .await?;
    row::execute(&mut tx, "UPDATE wallet_balances SET low_notified_at = NULL WHERE workspace_id = $1", &ws).await?;
    if let Posted::Done(after) = posted {
        wallet_audit(b, &mut tx, &ws, "wallet.topup", &micros.decimal()).await?;
        receipt(b, &mut tx, &ws, amount, after, session).await?;
    }
    tx.commit().await?;
    // The card the customer agreed to keep: its payment method, read from the intent (an
    // error here brings the event back: the credit above is once per key).
    if let (true, Some(intent)) = (keep_card, o["payment_intent"].as_str()) {
        let (_, key) = gateway(b)?;
        let v = b.stripe_client().payment_intent(&key, intent).await.map_err(crate::accounts::refused)?;
        let pm = &v["payment_method"];
        let pm_id = pm["id"].as_str().or(pm.as_str());
        if let Some(pm_id) = pm_id {
            let card = match (pm["card"]["brand"].as_str(), pm["card"]["last4"].as_str()) {
                (Some(brand), Some(l)) if l.len() == 4 && l.bytes().all(|x| x.is_ascii_digit()) => Some(format!(
                    "{} ·{l}",
                    brand.chars().filter(char::is_ascii_alphanumeric).take(20).collect::<String>()
                )),
                _ => None,
            };
            crate::autotopup::keep_card(b, &ws, pm_id, card.as_deref()).await?;
        }
    }
    Ok("applied")
}

/// A top-up's payment refunded or lost in a dispute: what went back is taken from the wallet,
/// into a debt if it was spent (the only way below zero; the workspace is restricted until it
/// tops up again). `total` is what Stripe says has gone back so far (refunds add up).
async fn topup_taken_back(b: &Billing, o: &Value, total: i64, why: &str) -> AppResult<&'static str> {
    let Some(intent) = o["payment_intent"].as_str() else { return Ok("ignored") };
    let mut tx = b.db.begin().await?;
    let found: Option<String> =
        row::opt_scalar(&mut tx, "SELECT workspace_id FROM wallet_topups WHERE intent_id = $1", intent).await?;
    let Some(ws) = found else { return Ok("unmatched") };
    let ws = WorkspaceId::from_db(ws);
    let cur = settings(b)?.currency();
    // What was taken back before, for this payment and reason.
    let prefix = format!("topup_{why}:{intent}:");
    let before: i64 = row::scalar(
        &mut tx,
        "SELECT CAST(COALESCE(SUM(amount_micros), 0) AS BIGINT) FROM wallet_entries WHERE workspace_id = $1          AND entry_key LIKE $2",
        (&ws, format!("{prefix}%")),
    )
    .await?;
    let want = -Micros::from_minor(total, cur).ok_or_else(AppError::internal)?.0;
    let delta = want - before;
    if delta >= 0 {
        return Ok("ignored");
    }
    let key = format!("{prefix}{total}");
    let reason = format!("top-up {why}");
    let p = Posting {
        kind: "refund",
        amount: Micros(delta),
        key: &key,
        reason: Some(&reason),
        actor: "stripe",
        may_owe: true,
    };
    let posted = wallet::post(&mut tx, &ws, &p, b.now().0).await?;
    if let Posted::Done(after) = posted {
        wallet_audit(b, &mut tx, &ws, "wallet.taken_back", &after.decimal()).await?;
    }
    tx.commit().await?;
    Ok("applied")
}

/// Tells the owners, once until the next top-up, that the balance fell below the threshold.
pub async fn low_balance_check(b: &Billing, c: &mut Conn, ws: &WorkspaceId) -> AppResult<()> {
    let s = settings(b)?;
    let low = Micros::parse(&s.low_balance).unwrap_or_default();
    let now = b.now().0;
    let due = row::one_changed(
        c,
        "UPDATE wallet_balances SET low_notified_at = $1 WHERE workspace_id = $2 AND balance_micros < $3          AND low_notified_at IS NULL",
        (now, ws, low.0),
    )
    .await?;
    if !due {
        return Ok(());
    }
    let p: &frontdesk_platform::Platform = b.as_ref();
    let cur = s.currency();
    let balance = wallet::balance_in(c, ws).await?;
    let name = frontdesk_platform::repo::workspaces::by_id(c, ws).await?.map(|w| w.name).unwrap_or_default();
    let balance = format!("{} {}", balance.decimal(), cur.code());
    let link = format!("{}/w/{ws}/billing", p.settings.base_url);
    crate::accounts::mail_owners(b, c, ws, |lang| {
        (
            frontdesk_i18n::tl!(lang, "plan-low-subject", workspace = name.as_str()),
            frontdesk_i18n::tl!(
                lang,
                "plan-low-body",
                workspace = name.as_str(),
                balance = balance.as_str(),
                link = link.as_str()
            ),
        )
    })
    .await?;
    Ok(())
}

/// Audits a change billing made to a workspace's wallet on the provider's word.
async fn wallet_audit(b: &Billing, c: &mut Conn, ws: &WorkspaceId, action: &str, outcome: &str) -> AppResult<()> {
    let system = Actor { kind: "system", id: Some("billing".into()), ip: None };
    audit::record(b, c, ws.as_str(), &system, action, Some(("workspace", ws.as_str())), outcome).await
}

/// Every owner gets the top-up's receipt by email (P52), in their own language.
pub(crate) async fn receipt(
    b: &Billing,
    c: &mut Conn,
    ws: &WorkspaceId,
    amount_minor: i64,
    balance: Micros,
    reference: &str,
) -> AppResult<()> {
    let p: &frontdesk_platform::Platform = b.as_ref();
    let cur = settings(b)?.currency();
    let name = frontdesk_platform::repo::workspaces::by_id(c, ws).await?.map(|w| w.name).unwrap_or_default();
    let balance = format!("{} {}", balance.decimal(), cur.code());
    let link = format!("{}/w/{ws}/billing", p.settings.base_url);
    crate::accounts::mail_owners(b, c, ws, |lang| {
        let amount = lang.money(frontdesk_core::money::Money::new(amount_minor, cur));
        (
            frontdesk_i18n::tl!(lang, "plan-receipt-subject", workspace = name.as_str()),
            frontdesk_i18n::tl!(
                lang,
                "plan-receipt-body",
                workspace = name.as_str(),
                amount = amount,
                balance = balance.as_str(),
                reference = reference,
                link = link.as_str()
            ),
        )
    })
    .await?;
    Ok(())
}

/// Fetches a subscription and applies its current state to the workspace whose Stripe
/// customer it belongs to (found by the customer id we stored, never by metadata).
async fn sync_subscription(b: &Billing, sid: &str, event_at: i64) -> AppResult<&'static str> {
    let (_, key) = gateway(b)?;
    let stripe = b.stripe_client();
    let v = match stripe.subscription(&key, sid).await {
        Ok(v) => v,
        Err(crate::gateway::GatewayError::Rejected { .. }) => return Ok("unmatched"),
        Err(e) => return Err(crate::accounts::refused(e)),
    };
    let Some(customer) = v["customer"].as_str() else { return Ok("unmatched") };
    let mut tx = b.db.begin().await?;
    let Some(sub) = row::find::<Subscription>(&mut tx, "WHERE stripe_customer_id = $1", customer).await? else {
        return Ok("unmatched");
    };
    if event_at > 0 && event_at < sub.state_at {
        return Ok("stale");
    }
    let price = v["items"]["data"][0]["price"]["id"].as_str().unwrap_or("");
    let plan = plan_by_price(&mut tx, price).await?;
    let stripe_status = v["status"].as_str().unwrap_or("canceled");
    let now = b.now().0;
    let status = match stripe_status {
        "trialing" => "trialing",
        "active" => "active",
        "past_due" | "unpaid" | "incomplete" => "past_due",
        _ => "canceled",
    };
    let past_due_since = if status == "past_due" { sub.past_due_since.or(Some(now)) } else { None };
    let item = &v["items"]["data"][0];
    let start = v["current_period_start"].as_i64().or(item["current_period_start"].as_i64()).map(|s| s * 1000);
    let end = v["current_period_end"].as_i64().or(item["current_period_end"].as_i64()).map(|s| s * 1000);
    row::execute(
        &mut tx,
        "UPDATE billing_subscriptions SET plan_id = $1, status = $2, stripe_subscription_id = $3, period_start = $4, \
         period_end = $5, past_due_since = $6, state_at = $7, updated_at = $8 WHERE workspace_id = $9",
        (
            plan.map(|p| p.id),
            status,
            sid,
            start,
            end,
            past_due_since,
            event_at.max(sub.state_at),
            now,
            &sub.workspace_id,
        ),
    )
    .await?;
    let system = Actor { kind: "system", id: Some("billing".into()), ip: None };
    audit::record(
        b,
        &mut tx,
        sub.workspace_id.as_str(),
        &system,
        "plan.state",
        Some(("workspace", sub.workspace_id.as_str())),
        status,
    )
    .await?;
    tx.commit().await?;
    Ok("applied")
}

/// The workspace's Stripe customer on the platform account (made once, idempotently).
async fn customer_of(b: &Billing, access: &frontdesk_platform::workspaces::Access) -> AppResult<String> {
    let ws = &access.workspace.id;
    {
        let mut c = b.db.conn().await?;
        if let Some(id) = subscription(&mut c, ws).await?.and_then(|s| s.stripe_customer_id) {
            return Ok(id);
        }
    }
    let (_, key) = gateway(b)?;
    let id = b
        .stripe_client()
        .create_customer(&key, &access.workspace.name, ws.as_str())
        .await
        .map_err(crate::accounts::refused)?;
    let now = b.now().0;
    let mut c = b.db.conn().await?;
    row::execute(
        &mut c,
        "INSERT INTO billing_subscriptions (workspace_id, status, stripe_customer_id, state_at, updated_at) \
         VALUES ($1, 'none', $2, 0, $3) ON CONFLICT (workspace_id) DO UPDATE SET stripe_customer_id = excluded.stripe_customer_id",
        (ws, id.as_str(), now),
    )
    .await?;
    Ok(id)
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscribeInput {
    pub plan_id: String,
    /// `month` (default) or `year`.
    #[serde(default)]
    pub interval: Option<String>,
}

/// Subscribes the workspace to a plan: a Checkout in subscription mode (with the plan's
/// trial), its URL.
pub async fn subscribe(
    b: &Billing,
    access: &frontdesk_platform::workspaces::Access,
    i: &SubscribeInput,
) -> AppResult<String> {
    settings(b)?;
    if !frontdesk_core::role::allows(access.role, frontdesk_core::Action::ManagePayments) {
        return Err(AppError::forbidden("Only owners and admins choose the plan."));
    }
    let unknown = || AppError::invalid("plan_id", "unknown_plan", "There is no such plan.");
    let plan = {
        let mut c = b.db.conn().await?;
        plan_by_id(&mut c, i.plan_id.trim()).await?.filter(|p| p.active).ok_or_else(unknown)?
    };
    let yearly = i.interval.as_deref() == Some("year");
    let price = if yearly { plan.stripe_price_yearly.clone() } else { plan.stripe_price_monthly.clone() }
        .ok_or_else(|| AppError::invalid("interval", "plan_not_sold", "This plan is not sold for that interval."))?;
    let customer = customer_of(b, access).await?;
    let (_, key) = gateway(b)?;
    let ws = &access.workspace.id;
    let base = b.platform.settings.base_url.clone();
    b.stripe_client()
        .subscription_checkout(
            &key,
            crate::stripe::SubscriptionCheckout {
                customer: &customer,
                price: &price,
                trial_days: plan.trial_days,
                success_url: &format!("{base}/w/{ws}/billing?subscribed=1"),
                cancel_url: &format!("{base}/w/{ws}/billing"),
                idempotency_key: &format!("subscribe:{ws}:{}:{}", plan.id, b.now().0 / Timestamp::HOUR),
            },
        )
        .await
        .map_err(crate::accounts::refused)
}

/// Stripe's customer portal for the workspace (change the card, see invoices, cancel).
pub async fn portal(b: &Billing, access: &frontdesk_platform::workspaces::Access) -> AppResult<String> {
    settings(b)?;
    if !frontdesk_core::role::allows(access.role, frontdesk_core::Action::ManagePayments) {
        return Err(AppError::forbidden("Only owners and admins manage the plan's payment."));
    }
    let customer = customer_of(b, access).await?;
    let (_, key) = gateway(b)?;
    let back = format!("{}/w/{}/billing", b.platform.settings.base_url, access.workspace.id);
    b.stripe_client().portal(&key, &customer, &back).await.map_err(crate::accounts::refused)
}

/// The workspace's plan, state, balance and this period's usage.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Overview {
    pub plan: Option<PlanOut>,
    /// `none`, `trialing`, `active`, `past_due`, `restricted` or `canceled`.
    pub status: String,
    pub restricted: bool,
    pub currency: String,
    pub balance: String,
    /// Usage this period per meter: (meter, used, included).
    pub usage: Vec<UsageOut>,
    /// Automatic top-ups with the kept card.
    pub autotopup: crate::autotopup::AutoTopupOut,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct UsageOut {
    pub meter: String,
    pub used: i64,
    pub included: Option<i64>,
    pub paid: String,
}

/// Usage per day for the last `days` days (UTC), oldest first: (day, meter, quantity).
pub async fn daily(b: &Billing, ws: &WorkspaceId, days: i64) -> AppResult<Vec<(String, String, i64)>> {
    let from = today(b.now().0 - (days - 1) * Timestamp::DAY);
    let mut c = b.db.conn().await?;
    Ok(row::all_with(
        &mut c,
        "SELECT day, meter, quantity FROM usage_days WHERE workspace_id = $1 AND day >= $2 ORDER BY day, meter",
        (ws, from.as_str()),
        |r| {
            Ok((
                row::FromColumn::from_column(r, "day")?,
                row::FromColumn::from_column(r, "meter")?,
                row::FromColumn::from_column(r, "quantity")?,
            ))
        },
    )
    .await?)
}

pub async fn overview(b: &Billing, ws: &WorkspaceId) -> AppResult<Overview> {
    let s = settings(b)?;
    let mut c = b.db.conn().await?;
    let (sub, plan) = plan_of(b, &mut c, ws).await?;
    let restricted = restricted(b, &mut c, ws).await?;
    let balance = wallet::balance_in(&mut c, ws).await?;
    let from = period_start(sub.as_ref(), b.now().0);
    let mut usage = vec![];
    for m in [Meter::Message, Meter::AiCall, Meter::DeviceMinute] {
        let (used, paid): (i64, i64) = row::optional_with(
            &mut c,
            "SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) AS q, CAST(COALESCE(SUM(billed_micros), 0) AS BIGINT) AS p \
             FROM usage_days WHERE workspace_id = $1 AND meter = $2 AND day >= $3",
            (ws, m.as_str(), from.as_str()),
            |r| Ok((row::FromColumn::from_column(r, "q")?, row::FromColumn::from_column(r, "p")?)),
        )
        .await?
        .unwrap_or((0, 0));
        usage.push(UsageOut {
            meter: m.as_str().into(),
            used,
            included: plan.as_ref().map(|p| p.included(m)),
            paid: Micros(paid).decimal(),
        });
    }
    let status =
        if restricted { "restricted".to_string() } else { sub.map(|x| x.status).unwrap_or_else(|| "none".into()) };
    let autotopup = crate::autotopup::out(crate::autotopup::of(&mut c, ws).await?.as_ref());
    Ok(Overview {
        plan: plan.as_ref().map(|p| plan_out(b, p)),
        status,
        restricted,
        currency: s.currency().code().to_string(),
        balance: balance.decimal(),
        usage,
        autotopup,
    })
}

/// Past-due workspaces past their grace become restricted (the scheduler, hourly).
pub async fn sweep(b: &Billing) -> AppResult<u64> {
    let Ok(s) = settings(b) else { return Ok(0) };
    let now = b.now().0;
    let mut c = b.db.conn().await?;
    Ok(row::changed(
        &mut c,
        "UPDATE billing_subscriptions SET status = 'restricted', updated_at = $1 WHERE status = 'past_due' \
         AND past_due_since <= $2",
        (now, now - s.grace_days * Timestamp::DAY),
    )
    .await?)
}
