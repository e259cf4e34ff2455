//! Platform billing over HTTP: the workspace's plan, usage, wallet, top-ups and subscription
//! (JSON and a page), the operator's plans and wallet credits, and the platform Stripe
//! account's webhook. Off (404 `platform_billing_off`, and a page that says so) unless
//! `[platform_billing]` is configured.

use crate::inbox::api::current;
use crate::kit::answer::{Answer, Api, Time};
use crate::kit::body::{ApiJson, PageForm};
use crate::kit::error::{status_of, WebError};
use crate::kit::extract::{page_access as access, ApiCaller, ClientInfo, PageUser};
use crate::kit::layout::FormErrors;
use crate::kit::shell::{Nav, Shell};
use crate::{Access, AppState, Table};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use frontdesk_billing::autotopup::{AutoTopupInput, AutoTopupOut};
use frontdesk_billing::plans::{self, AdjustInput, Overview, PlanInput, PlanOut, SubscribeInput};
use frontdesk_billing::wallet;
use frontdesk_core::money::Micros;
use frontdesk_core::Action;
use frontdesk_i18n::t;
use frontdesk_platform::audit;
use frontdesk_platform::error::ErrorKind;
use maud::{html, Markup};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub(crate) fn routes(t: Table) -> Table {
    use Access::*;
    use Action::{ManagePayments, ViewPayments};
    t.add(
        "GET",
        "/api/v1/billing",
        Current(ViewPayments),
        "The workspace's plan, its state, balance and usage",
        get(overview),
    )
    .returns::<Overview>()
    .add("GET", "/api/v1/billing/plans", Current(ViewPayments), "The plans a workspace may choose", get(list_plans))
    .returns::<PlansOut>()
    .add(
        "GET",
        "/api/v1/billing/wallet",
        Current(ViewPayments),
        "The wallet's entries, newest first",
        get(wallet_entries),
    )
    .returns::<WalletOut>()
    .add(
        "POST",
        "/api/v1/billing/topups",
        Current(ManagePayments),
        "Top up the wallet: a Checkout on the operator's Stripe account",
        post(topup),
    )
    .body::<TopupInput>()
    .created::<CheckoutOut>()
    .add(
        "PUT",
        "/api/v1/billing/autotopup",
        Current(ManagePayments),
        "Automatic top-ups: below a balance, the kept card is charged a set amount",
        axum::routing::put(autotopup),
    )
    .body::<AutoTopupInput>()
    .returns::<AutoTopupOut>()
    .add(
        "POST",
        "/api/v1/billing/subscription",
        Current(ManagePayments),
        "Subscribe to a plan: a Checkout in subscription mode",
        post(subscribe),
    )
    .body::<SubscribeInput>()
    .created::<CheckoutOut>()
    .add(
        "POST",
        "/api/v1/billing/portal",
        Current(ManagePayments),
        "Stripe's customer portal: the card on file, invoices, cancelling",
        post(portal),
    )
    .no_body()
    .created::<CheckoutOut>()
    .add("POST", "/api/v1/admin/plans", Operator, "Add a plan", post(create_plan))
    .body::<PlanInput>()
    .created::<PlanOut>()
    .add(
        "POST",
        "/api/v1/admin/workspaces/{id}/wallet",
        Operator,
        "Credit or debit a workspace's wallet, with a reason",
        post(adjust),
    )
    .body::<AdjustInput>()
    .returns::<BalanceOut>()
    .add(
        "POST",
        "/webhooks/stripe/platform",
        Public,
        "The operator's Stripe account: top-ups, subscriptions, invoices (Stripe-Signature)",
        post(webhook),
    )
    .add(
        "GET",
        "/admin/billing",
        Operator,
        "The operator's plans and every workspace's plan and credit",
        get(admin_page),
    )
    .add("POST", "/admin/billing/plans", Operator, "Add a plan", post(admin_plan))
    .add(
        "POST",
        "/admin/billing/workspaces/{id}/credit",
        Operator,
        "Credit or debit a workspace's wallet, with a reason",
        post(admin_credit),
    )
    .add("GET", "/w/{ws}/billing", Workspace(ViewPayments), "Plan, usage and wallet", get(page))
    .add("POST", "/w/{ws}/billing/topup", Workspace(ManagePayments), "Top up the wallet", post(page_topup))
    .add(
        "POST",
        "/w/{ws}/billing/autotopup",
        Workspace(ManagePayments),
        "Automatic top-ups with the kept card",
        post(page_autotopup),
    )
}

#[derive(Serialize, JsonSchema)]
struct PlansOut {
    plans: Vec<PlanOut>,
}

#[derive(Serialize, JsonSchema)]
struct EntryOut {
    /// `topup`, `debit`, `reserve`, `settle`, `release`, `refund` or `adjust`.
    kind: String,
    amount: String,
    balance_after: String,
    reason: Option<String>,
    at: Time,
}

#[derive(Serialize, JsonSchema)]
struct WalletOut {
    currency: String,
    balance: String,
    entries: Vec<EntryOut>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct TopupInput {
    /// In the operator's currency's minor units.
    amount_minor: i64,
    /// Keep the card for automatic top-ups (charged later without the holder present).
    #[serde(default)]
    save_card: bool,
}

#[derive(Serialize, JsonSchema)]
struct CheckoutOut {
    /// Where the customer pays (Stripe Checkout).
    url: String,
}

#[derive(Serialize, JsonSchema)]
struct BalanceOut {
    balance: String,
}

async fn overview(State(s): State<AppState>, c: ApiCaller) -> Api<Overview> {
    let a = current(&s, &c, Action::ViewPayments).await?;
    Ok(Answer::ok(plans::overview(&s.billing, &a.workspace.id).await?))
}

async fn list_plans(State(s): State<AppState>, c: ApiCaller) -> Api<PlansOut> {
    current(&s, &c, Action::ViewPayments).await?;
    let list = plans::plans(&s.billing).await?;
    Ok(Answer::ok(PlansOut { plans: list.iter().map(|p| plans::plan_out(&s.billing, p)).collect() }))
}

async fn wallet_entries(State(s): State<AppState>, c: ApiCaller) -> Api<WalletOut> {
    let a = current(&s, &c, Action::ViewPayments).await?;
    let st = plans::settings(&s.billing)?;
    let mut conn = s.app.db.conn().await.map_err(|e| WebError::from(frontdesk_platform::AppError::from(e)))?;
    let balance = wallet::balance_in(&mut conn, &a.workspace.id).await?;
    let list = wallet::history(&mut conn, &a.workspace.id, 200).await?;
    Ok(Answer::ok(WalletOut {
        currency: st.currency().code().to_string(),
        balance: balance.decimal(),
        entries: list
            .iter()
            .map(|e| EntryOut {
                kind: e.kind.clone(),
                amount: Micros(e.amount_micros).decimal(),
                balance_after: Micros(e.balance_after).decimal(),
                reason: e.reason.clone(),
                at: Time::of(e.created_at),
            })
            .collect(),
    }))
}

async fn topup(State(s): State<AppState>, c: ApiCaller, ApiJson(b): ApiJson<TopupInput>) -> Api<CheckoutOut> {
    let a = current(&s, &c, Action::ManagePayments).await?;
    let (_, url) = plans::start_topup(&s.billing, &a, b.amount_minor, b.save_card).await?;
    Ok(Answer::created(CheckoutOut { url }))
}

async fn autotopup(State(s): State<AppState>, c: ApiCaller, ApiJson(b): ApiJson<AutoTopupInput>) -> Api<AutoTopupOut> {
    let a = current(&s, &c, Action::ManagePayments).await?;
    Ok(Answer::ok(frontdesk_billing::autotopup::set(&s.billing, &a, &b).await?))
}

async fn subscribe(State(s): State<AppState>, c: ApiCaller, ApiJson(b): ApiJson<SubscribeInput>) -> Api<CheckoutOut> {
    let a = current(&s, &c, Action::ManagePayments).await?;
    Ok(Answer::created(CheckoutOut { url: plans::subscribe(&s.billing, &a, &b).await? }))
}

async fn portal(State(s): State<AppState>, c: ApiCaller) -> Api<CheckoutOut> {
    let a = current(&s, &c, Action::ManagePayments).await?;
    Ok(Answer::created(CheckoutOut { url: plans::portal(&s.billing, &a).await? }))
}

fn operator_actor(c: &ApiCaller) -> Result<audit::Actor, WebError> {
    let signed = c.operator()?;
    Ok(audit::Actor { kind: "operator", id: Some(signed.user.id.to_string()), ip: None })
}

async fn create_plan(State(s): State<AppState>, c: ApiCaller, ApiJson(b): ApiJson<PlanInput>) -> Api<PlanOut> {
    let actor = operator_actor(&c)?;
    let p = plans::create_plan(&s.billing, &actor, &b).await?;
    Ok(Answer::created(plans::plan_out(&s.billing, &p)))
}

async fn adjust(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<AdjustInput>,
) -> Api<BalanceOut> {
    let actor = operator_actor(&c)?;
    let balance = plans::adjust(&s.billing, &actor, &id, &b).await?;
    Ok(Answer::ok(BalanceOut { balance: balance.decimal() }))
}

async fn webhook(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> Result<Response, WebError> {
    let sig = headers.get("stripe-signature").and_then(|v| v.to_str().ok());
    let got = plans::receive(&s.billing, sig, &body).await?;
    Ok((StatusCode::OK, axum::Json(serde_json::json!({ "received": got }))).into_response())
}

type Fields = HashMap<String, String>;

async fn page(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ViewPayments).await?;
    render(&s, &u, &a, &FormErrors::default()).await
}

async fn render(
    s: &AppState,
    u: &frontdesk_platform::auth::SignedIn,
    a: &frontdesk_platform::workspaces::Access,
    errors: &FormErrors,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let w = a.workspace.id.as_str();
    let Ok(st) = plans::settings(&s.billing) else {
        return Ok(sh.page(&t!("plan-title"), Nav::Plan, html! { p.muted #billing-off { (t!("plan-off")) } }));
    };
    let o = plans::overview(&s.billing, &a.workspace.id).await.map_err(WebError::page)?;
    let entries = {
        let mut c = s.app.db.conn().await.map_err(|e| WebError::page(e.into()))?;
        wallet::history(&mut c, &a.workspace.id, 50).await.map_err(WebError::page)?
    };
    let days = plans::daily(&s.billing, &a.workspace.id, 30).await.map_err(WebError::page)?;
    let may_pay = frontdesk_core::role::allows(a.role, Action::ManagePayments);
    let cur = st.currency().code();
    Ok(sh.page(
        &t!("plan-title"),
        Nav::Plan,
        html! {
            @if o.restricted { p.notice.warn #plan-restricted role="alert" { (t!("plan-restricted")) } }
            dl.facts #plan {
                dt { (t!("plan-plan")) } dd { @if let Some(p) = &o.plan { (p.name) } @else { (t!("plan-none")) } }
                dt { (t!("plan-status")) } dd #plan-status { (t!("plan-state", status = o.status.as_str())) }
                dt { (t!("plan-balance")) } dd #wallet-balance { (o.balance) " " (cur) }
            }
            h2 { (t!("plan-usage")) }
            (chart(&days, s.app.now().0))
            table.stack #usage {
                thead { tr { th { (t!("plan-meter")) } th { (t!("plan-used")) } th { (t!("plan-included")) } th { (t!("plan-paid")) } } }
                tbody { @for m in &o.usage { tr { td { (t!("plan-meter-name", meter = m.meter.as_str())) } td { (m.used) }
                    td { @if let Some(i) = m.included { (i) } @else { "—" } } td { (m.paid) " " (cur) } } } }
            }
            @if may_pay {
                section aria-labelledby="topup-h" {
                    h2 #topup-h { (t!("plan-topup")) }
                    form #topup-form method="post" action={ "/w/" (w) "/billing/topup" } novalidate {
                        (errors.summary())
                        div.form-row {
                            label for="tp-amount" { (t!("pay-amount")) " (" (cur) ")" }
                            input #tp-amount name="amount" inputmode="decimal" required value="20.00";
                        }
                        div.form-row.check {
                            input #tp-keep type="checkbox" name="save_card" value="1";
                            label for="tp-keep" { (t!("plan-keep-card")) }
                        }
                        button type="submit" { (t!("plan-topup-button")) }
                    }
                }
                section aria-labelledby="auto-h" {
                    h2 #auto-h { (t!("plan-auto")) }
                    @let au = &o.autotopup;
                    @if let Some(e) = &au.last_error { p.notice.warn #auto-failed role="alert" { (t!("plan-auto-failed", reason = e.as_str())) } }
                    @match &au.card {
                        Some(card) => {
                            p #auto-card { (t!("plan-auto-card", card = card.as_str())) }
                            form #auto-form method="post" action={ "/w/" (w) "/billing/autotopup" } novalidate {
                                div.form-row.check {
                                    input #au-on type="checkbox" name="enabled" value="1" checked[au.enabled];
                                    label for="au-on" { (t!("plan-auto-on")) }
                                }
                                div.form-row {
                                    label for="au-below" { (t!("plan-auto-below")) " (" (cur) ")" }
                                    input #au-below name="threshold" inputmode="decimal" required value=(au.threshold);
                                }
                                div.form-row {
                                    label for="au-amount" { (t!("plan-auto-amount")) " (" (cur) ")" }
                                    input #au-amount name="amount" inputmode="decimal" required
                                        value=(frontdesk_core::money::Money::new(au.amount_minor, st.currency()).decimal());
                                }
                                button type="submit" { (t!("plan-auto-save")) }
                            }
                        }
                        None => { p.muted #auto-no-card { (t!("plan-auto-no-card")) } }
                    }
                }
            }
            h2 { (t!("plan-wallet")) }
            @if entries.is_empty() { p.muted { (t!("plan-no-entries")) } } @else {
                table.stack #wallet {
                    thead { tr { th { (t!("pay-when")) } th { (t!("plan-entry")) } th { (t!("pay-amount")) } th { (t!("plan-balance")) } } }
                    tbody { @for e in &entries { tr {
                        td { (sh.times.exact(e.created_at)) } td { (t!("plan-entry-kind", kind = e.kind.as_str())) @if let Some(r) = &e.reason { " · " (r) } }
                        td { (Micros(e.amount_micros).decimal()) } td { (Micros(e.balance_after).decimal()) }
                    } } }
                }
            }
        },
    ))
}

async fn page_topup(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManagePayments).await?;
    let cur = plans::settings(&s.billing).map_err(WebError::page)?.currency();
    let amount = f.get("amount").map(|v| v.trim()).unwrap_or("");
    let result = match frontdesk_core::money::Money::parse(amount, cur) {
        Ok(m) => plans::start_topup(&s.billing, &a, m.minor(), f.get("save_card").is_some_and(|v| v == "1")).await,
        Err(_) => Err(frontdesk_platform::AppError::invalid("amount", "not_an_amount", "Give an amount like 12.50.")),
    };
    match result {
        // A link, not a redirect: the app's pages send forms to themselves only.
        Ok((_, url)) => {
            let sh = Shell::load(&s, &u, Some(&a)).await?;
            let body = html! {
                p { (t!("plan-topup-ready")) }
                p { a.button #topup-continue href=(url) { (t!("plan-topup-continue")) } }
            };
            Ok(sh.page(&t!("plan-topup"), Nav::Plan, body).into_response())
        }
        Err(e) if matches!(e.kind, ErrorKind::Invalid | ErrorKind::Conflict | ErrorKind::RateLimited { .. }) => {
            let errors = FormErrors::from_error(&e);
            Ok((status_of(e.kind), render(&s, &u, &a, &errors).await?).into_response())
        }
        Err(e) => Err(WebError::page(e)),
    }
}

async fn page_autotopup(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManagePayments).await?;
    let cur = plans::settings(&s.billing).map_err(WebError::page)?.currency();
    let amount = f.get("amount").map(|v| v.trim()).unwrap_or("");
    let result = match frontdesk_core::money::Money::parse(amount, cur) {
        Ok(m) => {
            let i = AutoTopupInput {
                enabled: f.get("enabled").is_some_and(|v| v == "1"),
                threshold: f.get("threshold").cloned().unwrap_or_default(),
                amount_minor: m.minor(),
            };
            frontdesk_billing::autotopup::set(&s.billing, &a, &i).await
        }
        Err(_) => Err(frontdesk_platform::AppError::invalid("amount", "not_an_amount", "Give an amount like 12.50.")),
    };
    match result {
        Ok(_) => Ok(axum::response::Redirect::to(&format!("/w/{w}/billing?saved=1")).into_response()),
        Err(e) if matches!(e.kind, ErrorKind::Invalid | ErrorKind::Conflict) => {
            let errors = FormErrors::from_error(&e);
            Ok((status_of(e.kind), render(&s, &u, &a, &errors).await?).into_response())
        }
        Err(e) => Err(WebError::page(e)),
    }
}

fn page_actor(u: &frontdesk_platform::auth::SignedIn, ip: &str) -> audit::Actor {
    audit::Actor { kind: "operator", id: Some(u.user.id.to_string()), ip: Some(ip.to_string()) }
}

async fn admin_page(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    crate::kit::extract::PageOperator(u): crate::kit::extract::PageOperator,
) -> Result<Markup, WebError> {
    admin_render(&s, &u, &client.ip, &FormErrors::default()).await
}

async fn admin_render(
    s: &AppState,
    u: &frontdesk_platform::auth::SignedIn,
    ip: &str,
    errors: &FormErrors,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, None).await?;
    let Ok(st) = plans::settings(&s.billing) else {
        return Ok(sh.page(
            &t!("plan-admin-title"),
            Nav::Operator,
            html! { p.muted #billing-off { (t!("plan-off")) } },
        ));
    };
    let cur = st.currency().code();
    let list = plans::plans(&s.billing).await.map_err(WebError::page)?;
    let workspaces =
        frontdesk_platform::operator::workspaces(&s.app, &page_actor(u, ip)).await.map_err(WebError::page)?;
    let mut rows = vec![];
    for (w, _) in &workspaces {
        let o = plans::overview(&s.billing, &w.id).await.map_err(WebError::page)?;
        rows.push((w.clone(), o));
    }
    Ok(sh.page(
        &t!("plan-admin-title"),
        Nav::Operator,
        html! {
            section aria-labelledby="plans-h" {
                h2 #plans-h { (t!("plan-admin-plans")) }
                @if list.is_empty() { p.muted { (t!("plan-admin-no-plans")) } } @else {
                    div.scroll-x { table.stack #plans {
                        thead { tr { th { (t!("plan-plan")) } th { (t!("plan-admin-price")) } th { (t!("plan-admin-limits")) } th { (t!("plan-included")) } } }
                        tbody { @for p in &list { @let o = plans::plan_out(&s.billing, p); tr {
                            td { (o.name) } td { (o.monthly_price) " " (cur) }
                            td { (t!("plan-admin-seats")) " " (o.seats.map(|n| n.to_string()).unwrap_or_else(|| "∞".into())) " · " (t!("plan-admin-channels")) " " (o.channels.map(|n| n.to_string()).unwrap_or_else(|| "∞".into())) }
                            td { (o.included_messages) " · " (o.message_price) " " (cur) " | AI " (o.included_ai_calls) " · " (o.ai_call_price) " + " (o.ai_input_price_per_million) "/" (o.ai_output_price_per_million) " " (cur) " " (t!("plan-admin-per-million")) }
                        } } }
                    } }
                }
                form #plan-form method="post" action="/admin/billing/plans" novalidate {
                    (errors.summary())
                    div.form-row { label for="pl-name" { (t!("plan-plan")) } input #pl-name name="name" required; }
                    div.form-row { label for="pl-price" { (t!("plan-admin-price")) " (" (cur) ")" } input #pl-price name="monthly_price" inputmode="decimal" required; }
                    div.form-row { label for="pl-stripe" { (t!("plan-admin-stripe-price")) } input #pl-stripe name="stripe_price_monthly"; }
                    div.form-row { label for="pl-seats" { (t!("plan-admin-seats")) } input #pl-seats name="seats" inputmode="numeric"; }
                    div.form-row { label for="pl-channels" { (t!("plan-admin-channels")) } input #pl-channels name="channels" inputmode="numeric"; }
                    div.form-row { label for="pl-messages" { (t!("plan-admin-messages")) } input #pl-messages name="included_messages" inputmode="numeric" value="0"; }
                    div.form-row { label for="pl-message-price" { (t!("plan-admin-message-price")) } input #pl-message-price name="message_price" inputmode="decimal"; }
                    div.form-row { label for="pl-ai" { (t!("plan-admin-ai-calls")) } input #pl-ai name="included_ai_calls" inputmode="numeric" value="0"; }
                    div.form-row { label for="pl-ai-price" { (t!("plan-admin-ai-call-price")) } input #pl-ai-price name="ai_call_price" inputmode="decimal"; }
                    div.form-row { label for="pl-ai-in" { (t!("plan-admin-ai-input-price")) } input #pl-ai-in name="ai_input_price_per_million" inputmode="decimal"; }
                    div.form-row { label for="pl-ai-out" { (t!("plan-admin-ai-output-price")) } input #pl-ai-out name="ai_output_price_per_million" inputmode="decimal"; }
                    div.form-row { label for="pl-min" { (t!("plan-admin-device-minutes")) } input #pl-min name="included_device_minutes" inputmode="numeric" value="0"; }
                    div.form-row { label for="pl-min-price" { (t!("plan-admin-device-minute-price")) } input #pl-min-price name="device_minute_price" inputmode="decimal"; }
                    button type="submit" { (t!("plan-admin-add")) }
                }
            }
            section aria-labelledby="ws-h" {
                h2 #ws-h { (t!("plan-admin-workspaces")) }
                div.scroll-x { table.stack #plan-workspaces {
                    thead { tr { th { (t!("platform-name")) } th { (t!("plan-plan")) } th { (t!("plan-status")) } th { (t!("plan-balance")) } th { (t!("plan-admin-credit")) } } }
                    tbody { @for (w, o) in &rows { tr data-workspace=(w.id) {
                        td { (w.name) } td { @if let Some(p) = &o.plan { (p.name) } @else { (t!("plan-none")) } }
                        td { (t!("plan-state", status = o.status.as_str())) } td { (o.balance) " " (cur) }
                        td { form.inline method="post" action={ "/admin/billing/workspaces/" (w.id) "/credit" } {
                            label.visually-hidden for={ "cr-" (w.id) } { (t!("pay-amount")) }
                            input id={ "cr-" (w.id) } name="amount" inputmode="decimal" size="6" placeholder="10.00";
                            label.visually-hidden for={ "rs-" (w.id) } { (t!("pay-reason")) }
                            input id={ "rs-" (w.id) } name="reason" size="14" placeholder=(t!("pay-reason"));
                            button.secondary.small type="submit" { (t!("plan-admin-credit")) }
                        } }
                    } } }
                } }
            }
        },
    ))
}

async fn admin_plan(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    crate::kit::extract::PageOperator(u): crate::kit::extract::PageOperator,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let get = |k: &str| f.get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let num = |k: &str| get(k).and_then(|v| v.parse::<i64>().ok());
    let input = PlanInput {
        name: get("name").unwrap_or_default(),
        monthly_price: get("monthly_price").unwrap_or_default(),
        yearly_price: None,
        stripe_price_monthly: get("stripe_price_monthly"),
        stripe_price_yearly: None,
        trial_days: 0,
        seats: num("seats"),
        channels: num("channels"),
        included_messages: num("included_messages").unwrap_or(0),
        included_ai_calls: num("included_ai_calls").unwrap_or(0),
        included_device_minutes: num("included_device_minutes").unwrap_or(0),
        message_price: get("message_price"),
        ai_call_price: get("ai_call_price"),
        device_minute_price: get("device_minute_price"),
        ai_input_price_per_million: get("ai_input_price_per_million"),
        ai_output_price_per_million: get("ai_output_price_per_million"),
    };
    match plans::create_plan(&s.billing, &page_actor(&u, &client.ip), &input).await {
        Ok(_) => Ok(axum::response::Redirect::to("/admin/billing?saved=1").into_response()),
        Err(e) if matches!(e.kind, ErrorKind::Invalid) => {
            let errors = FormErrors::from_error(&e);
            Ok((status_of(e.kind), admin_render(&s, &u, &client.ip, &errors).await?).into_response())
        }
        Err(e) => Err(WebError::page(e)),
    }
}

async fn admin_credit(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    crate::kit::extract::PageOperator(u): crate::kit::extract::PageOperator,
    Path(id): Path<String>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let input = AdjustInput {
        amount: f.get("amount").cloned().unwrap_or_default(),
        reason: f.get("reason").cloned().unwrap_or_default(),
    };
    match plans::adjust(&s.billing, &page_actor(&u, &client.ip), &id, &input).await {
        Ok(_) => Ok(axum::response::Redirect::to("/admin/billing?saved=1").into_response()),
        Err(e) if matches!(e.kind, ErrorKind::Invalid | ErrorKind::Conflict) => {
            let errors = FormErrors::from_error(&e);
            Ok((status_of(e.kind), admin_render(&s, &u, &client.ip, &errors).await?).into_response())
        }
        Err(e) => Err(WebError::page(e)),
    }
}

/// Messages a day over the last 30 days, as bars (an inline SVG with a text alternative).
fn chart(days: &[(String, String, i64)], now: i64) -> Markup {
    let mut per_day: Vec<(String, i64)> = (0..30)
        .rev()
        .map(|k| {
            let d = frontdesk_core::Timestamp(now - k * frontdesk_core::Timestamp::DAY).to_rfc3339();
            (d.get(..10).unwrap_or("").to_string(), 0)
        })
        .collect();
    for (day, meter, q) in days {
        if meter == "message" {
            if let Some(slot) = per_day.iter_mut().find(|(d, _)| d == day) {
                slot.1 += q;
            }
        }
    }
    let max = per_day.iter().map(|(_, q)| *q).max().unwrap_or(0).max(1);
    let total: i64 = per_day.iter().map(|(_, q)| *q).sum();
    let (w, h) = (300, 60);
    html! {
        figure #usage-chart {
            svg viewBox={ "0 0 " (w) " " (h) } width="100%" height="60" role="img" aria-label=(t!("plan-chart-label", count = total)) {
                @for (i, (day, q)) in per_day.iter().enumerate() {
                    @let bh = (q * (h - 4) / max).max(if *q > 0 { 2 } else { 0 });
                    rect x=(i * 10 + 1) y=(h - bh) width="8" height=(bh) fill="currentColor" { title { (day) ": " (q) } }
                }
            }
            figcaption.muted.small { (t!("plan-chart-label", count = total)) }
        }
    }
}
