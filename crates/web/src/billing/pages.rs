//! The staff's payment pages: the list (status, booking, refunds, disputes, flags) with a form
//! to record a payment taken at the desk, one payment with its refunds and provider events and
//! a refund form, and the payment account's settings (connect Stripe). Money actions and the
//! account are for owners and admins.

use crate::kit::body::PageForm;
use crate::kit::error::{status_of, WebError};
use crate::kit::extract::{page_access as access, ClientInfo, PageUser};
use crate::kit::layout::FormErrors;
use crate::kit::shell::{Nav, Shell};
use crate::{Access, AppState, Table};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use frontdesk_billing::accounts::{self, AccountInput};
use frontdesk_billing::pay::{self, ManualInput, RefundInput};
use frontdesk_core::Action;
use frontdesk_i18n::t;
use frontdesk_platform::auth::SignedIn;
use frontdesk_platform::error::ErrorKind;
use frontdesk_platform::workspaces::Access as WorkspaceAccess;
use frontdesk_platform::AppError;
use maud::{html, Markup};

use crate::bookings::pages::{field, money, Fields};

pub(crate) fn routes(t: Table) -> Table {
    use Access::*;
    use Action::{ManagePayments, ViewPayments};
    t.add("GET", "/w/{ws}/payments", Workspace(ViewPayments), "Payments: status, booking, refunds, disputes", get(list))
        .add(
            "POST",
            "/w/{ws}/payments/manual",
            Workspace(ManagePayments),
            "Record a payment taken at the desk",
            post(manual),
        )
        .add(
            "GET",
            "/w/{ws}/payments/{id}",
            Workspace(ViewPayments),
            "A payment with its refunds and events",
            get(show),
        )
        .add("POST", "/w/{ws}/payments/{id}/refund", Workspace(ManagePayments), "Refund a payment", post(refund))
        .add(
            "GET",
            "/w/{ws}/settings/payments",
            Workspace(ManagePayments),
            "The payment account: connect Stripe",
            get(settings),
        )
        .add(
            "POST",
            "/w/{ws}/settings/payments",
            Workspace(ManagePayments),
            "Connect, replace or disconnect the Stripe account",
            post(save_settings),
        )
}

fn refusal(e: AppError) -> Result<(axum::http::StatusCode, FormErrors), WebError> {
    match e.kind {
        ErrorKind::Invalid | ErrorKind::Conflict | ErrorKind::Unavailable => {
            Ok((status_of(e.kind), FormErrors::from_error(&e)))
        }
        _ => Err(WebError::page(e)),
    }
}

/// Minor units from what people type (`12`, `12.5`, `12,50`).
fn minor_of(raw: &str) -> Result<i64, AppError> {
    let bad = || AppError::invalid("amount", "not_an_amount", "Give an amount like 12.50.");
    let s = raw.trim().replace(',', ".");
    let (units, cents) = s.split_once('.').unwrap_or((&s, ""));
    if units.is_empty() && cents.is_empty() {
        return Err(bad());
    }
    let u: i64 = if units.is_empty() { 0 } else { units.parse().map_err(|_| bad())? };
    let c: i64 = match cents.len() {
        0 => 0,
        1 => cents.parse::<i64>().map_err(|_| bad())? * 10,
        2 => cents.parse().map_err(|_| bad())?,
        _ => return Err(bad()),
    };
    if u < 0 || units.starts_with('-') {
        return Err(AppError::invalid("amount_minor", "amount_not_positive", "The amount must be more than zero."));
    }
    u.checked_mul(100).and_then(|x| x.checked_add(c)).ok_or_else(bad)
}

pub(crate) fn status_name(status: &str) -> String {
    t!("pay-status", status = status)
}

fn can(a: &WorkspaceAccess, action: Action) -> bool {
    frontdesk_core::role::allows(a.role, action)
}

#[derive(serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    booking: Option<String>,
}

async fn list(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ViewPayments).await?;
    render_list(&s, &u, &a, q.status.as_deref(), q.booking.as_deref(), &Fields::new(), &FormErrors::default()).await
}

async fn render_list(
    s: &AppState,
    u: &SignedIn,
    a: &WorkspaceAccess,
    status: Option<&str>,
    booking: Option<&str>,
    f: &Fields,
    errors: &FormErrors,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let w = a.workspace.id.as_str();
    let list = pay::list(&s.billing, &a.workspace.id, status, booking).await.map_err(WebError::page)?;
    let (currency, connected) = {
        let mut c = s.app.db.conn().await.map_err(|e| WebError::page(e.into()))?;
        let cur = pay::workspace_currency(&mut c, &a.workspace.id).await.map_err(WebError::page)?;
        let acc = frontdesk_billing::repo::account(&mut c, &a.workspace.id, "stripe")
            .await
            .map_err(|e| WebError::page(e.into()))?;
        (cur, acc)
    };
    Ok(sh.page(
        &t!("pay-nav"),
        Nav::Payments,
        html! {
            @if connected.is_none() && can(a, Action::ManagePayments) {
                p.notice #pay-not-connected { (t!("pay-not-connected")) " " a href={ "/w/" (w) "/settings/payments" } { (t!("pay-connect-link")) } }
            }
            nav.filters aria-label=(t!("pay-filter")) {
                @for st in ["", "open", "paid", "refunded", "expired", "failed"] {
                    @let label = if st.is_empty() { t!("pay-all") } else { status_name(st) };
                    @if status.unwrap_or("") == st { strong { (label) } } @else { a href={ "/w/" (w) "/payments" @if !st.is_empty() { "?status=" (st) } } { (label) } }
                    " "
                }
            }
            @if list.is_empty() {
                p.muted #payments-empty { (t!("pay-none")) }
            } @else {
                table.stack #payments {
                    thead { tr { th { (t!("pay-when")) } th { (t!("pay-amount")) } th { (t!("pay-status-label")) } th { (t!("pay-kind-label")) } th { (t!("bookings-nav")) } } }
                    tbody {
                        @for p in &list {
                            tr data-payment=(p.id) data-status=(p.status) data-flag=[p.flag.as_deref()] {
                                td { a href={ "/w/" (w) "/payments/" (p.id) } { (sh.times.exact(p.created_at)) } }
                                td { (money(p.amount_minor, &p.currency)) @if p.refunded_minor > 0 { " (" (t!("pay-refunded-amount", amount = money(p.refunded_minor, &p.currency))) ")" } }
                                td { (status_name(&p.status))
                                    @if let Some(d) = &p.dispute { " · " span.badge.warn { (t!("pay-dispute", status = d.as_str())) } }
                                    @if let Some(fl) = &p.flag { " · " span.badge.warn { (t!("pay-flag", flag = fl.as_str())) } } }
                                td { (t!("pay-kind", kind = p.kind.as_str())) " · " (t!("pay-method-name", method = p.method.as_str())) }
                                td { @if let Some(b) = &p.booking_id { a href={ "/w/" (w) "/bookings/" (b) } { (t!("pay-booking")) } } }
                            }
                        }
                    }
                }
            }
            @if can(a, Action::ManagePayments) {
                section aria-labelledby="pay-manual-h" {
                    h2 #pay-manual-h { (t!("pay-manual-title")) }
                    p.muted { (t!("pay-manual-intro")) }
                    form #manual-form method="post" action={ "/w/" (w) "/payments/manual" } novalidate {
                        (errors.summary())
                        input type="hidden" name="booking_id" value=(field(f, "booking_id").to_string() + booking.unwrap_or(""));
                        div.form-row {
                            label for="pm-amount" { (t!("pay-amount")) " (" (currency) ")" }
                            input #pm-amount name="amount" inputmode="decimal" required value=(field(f, "amount"));
                            @if let Some(m) = errors.of("amount_minor").or(errors.of("amount")) { p.error { (m) } }
                        }
                        div.form-row {
                            label for="pm-method" { (t!("pay-method")) }
                            select #pm-method name="method" {
                                @for m in pay::METHODS { option value=(m) selected[field(f, "method") == *m] { (t!("pay-method-name", method = *m)) } }
                            }
                        }
                        div.form-row {
                            label for="pm-note" { (t!("pay-note")) }
                            input #pm-note name="note" maxlength="500" value=(field(f, "note"));
                        }
                        button type="submit" { (t!("pay-manual-record")) }
                    }
                }
            }
        },
    ))
}

async fn manual(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManagePayments).await?;
    let currency = {
        let mut c = s.app.db.conn().await.map_err(|e| WebError::page(e.into()))?;
        pay::workspace_currency(&mut c, &a.workspace.id).await.map_err(WebError::page)?
    };
    let result = match minor_of(field(&f, "amount")) {
        Ok(amount) => {
            let input = ManualInput {
                booking_id: Some(field(&f, "booking_id").to_string()).filter(|b| !b.is_empty()),
                amount_minor: amount,
                currency,
                method: field(&f, "method").to_string(),
                note: Some(field(&f, "note").to_string()),
            };
            pay::record_manual(&s.billing, &a, &input).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(p) => Ok(Redirect::to(&format!("/w/{w}/payments/{}?saved=1", p.id)).into_response()),
        Err(e) => {
            let (status, errors) = refusal(e)?;
            Ok((status, render_list(&s, &u, &a, None, None, &f, &errors).await?).into_response())
        }
    }
}

async fn show(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ViewPayments).await?;
    render_payment(&s, &u, &a, &id, &Fields::new(), &FormErrors::default()).await
}

async fn render_payment(
    s: &AppState,
    u: &SignedIn,
    a: &WorkspaceAccess,
    id: &str,
    f: &Fields,
    errors: &FormErrors,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let w = a.workspace.id.as_str();
    let (p, refunds, events) = pay::get(&s.billing, &a.workspace.id, id).await.map_err(WebError::page)?;
    let left = p.amount_minor - refunds.iter().filter(|r| r.status != "failed").map(|r| r.amount_minor).sum::<i64>();
    let title = t!("pay-one-title", amount = money(p.amount_minor, &p.currency));
    Ok(sh.page(
        &title,
        Nav::Payments,
        html! {
            p { a href={ "/w/" (w) "/payments" } { "← " (t!("pay-nav")) } }
            dl.facts #payment data-status=(p.status) {
                dt { (t!("pay-status-label")) } dd #payment-status { (status_name(&p.status)) }
                dt { (t!("pay-kind-label")) } dd { (t!("pay-kind", kind = p.kind.as_str())) " · " (t!("pay-method-name", method = p.method.as_str())) }
                @if p.refunded_minor > 0 { dt { (t!("pay-refund")) } dd #payment-refunded { (money(p.refunded_minor, &p.currency)) } }
                @if let Some(c) = &p.card { dt { (t!("pay-card")) } dd { (c) } }
                @if let Some(d) = &p.dispute { dt { (t!("pay-dispute-label")) } dd #payment-dispute { (t!("pay-dispute", status = d.as_str())) } }
                @if let Some(fl) = &p.flag { dt { (t!("pay-flag-label")) } dd #payment-flag { (t!("pay-flag", flag = fl.as_str())) } }
                @if let Some(n) = &p.note { dt { (t!("pay-note")) } dd { (n) } }
                @if let Some(b) = &p.booking_id { dt { (t!("pay-booking")) } dd { a href={ "/w/" (w) "/bookings/" (b) } { (t!("pay-open-booking")) } } }
                @if let Some(at) = p.paid_at { dt { (t!("pay-paid-at")) } dd { (sh.times.exact(at)) } }
                dt { (t!("pay-when")) } dd { (sh.times.exact(p.created_at)) }
                @if let Some(x) = &p.checkout_id { dt { (t!("pay-provider-ref")) } dd { code { (x) } @if let Some(i) = &p.intent_id { " · " code { (i) } } } }
                @if p.status == "open" { dt { (t!("pay-link")) } dd { code.book-wrap #pay-link { (pay::url(s.bookings.as_ref(), &p)) } } }
            }
            @if !refunds.is_empty() {
                h2 { (t!("pay-refunds")) }
                table.stack #refunds {
                    thead { tr { th { (t!("pay-when")) } th { (t!("pay-amount")) } th { (t!("pay-status-label")) } th { (t!("pay-reason")) } } }
                    tbody { @for r in &refunds { tr data-status=(r.status) {
                        td { (sh.times.exact(r.created_at)) } td { (money(r.amount_minor, &r.currency)) }
                        td { (t!("pay-refund-status", status = r.status.as_str())) @if let Some(e) = &r.error { " · " (e) } }
                        td { (r.reason) }
                    } } }
                }
            }
            @if can(a, Action::ManagePayments) && matches!(p.status.as_str(), "paid") && left > 0 {
                section aria-labelledby="refund-h" {
                    h2 #refund-h { (t!("pay-refund-title")) }
                    form #refund-form method="post" action={ "/w/" (w) "/payments/" (p.id) "/refund" } data-confirm=(t!("pay-refund-ask")) novalidate {
                        (errors.summary())
                        div.form-row {
                            label for="rf-amount" { (t!("pay-amount")) " (" (p.currency) ")" }
                            input #rf-amount name="amount" inputmode="decimal" value=(if field(f, "amount").is_empty() { format!("{}.{:02}", left / 100, left % 100) } else { field(f, "amount").to_string() });
                            @if let Some(m) = errors.of("amount_minor").or(errors.of("amount")) { p.error { (m) } }
                        }
                        div.form-row {
                            label for="rf-reason" { (t!("pay-reason")) }
                            input #rf-reason name="reason" maxlength="300" value=(field(f, "reason"));
                        }
                        button type="submit" { (t!("pay-refund-button")) }
                    }
                }
            }
            h2 { (t!("pay-events")) }
            @if events.is_empty() { p.muted { (t!("pay-no-events")) } } @else {
                table.stack #events {
                    thead { tr { th { (t!("pay-when")) } th { (t!("pay-event")) } th { (t!("pay-outcome")) } } }
                    tbody { @for e in &events { tr {
                        td { (sh.times.exact(e.received_at)) } td { code { (e.kind) } " " small.muted { (e.event_id) } } td { (e.outcome) }
                    } } }
                }
            }
        },
    ))
}

async fn refund(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManagePayments).await?;
    let result = match minor_of(field(&f, "amount")) {
        Ok(amount) => {
            let input = RefundInput { amount_minor: Some(amount), reason: Some(field(&f, "reason").to_string()) };
            pay::refund(&s.billing, &a, &id, &input).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/w/{w}/payments/{id}?saved=1")).into_response()),
        Err(e) => {
            let (status, errors) = refusal(e)?;
            Ok((status, render_payment(&s, &u, &a, &id, &f, &errors).await?).into_response())
        }
    }
}

async fn settings(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManagePayments).await?;
    render_settings(&s, &u, &a, &FormErrors::default()).await
}

async fn render_settings(
    s: &AppState,
    u: &SignedIn,
    a: &WorkspaceAccess,
    errors: &FormErrors,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let w = a.workspace.id.as_str();
    let list = accounts::list(&s.billing, a).await.map_err(WebError::page)?;
    let stripe = list.iter().find(|x| x.provider == "stripe");
    Ok(sh.page(
        &t!("pay-settings-title"),
        Nav::PaymentSettings,
        html! {
            p.muted { (t!("pay-settings-intro")) }
            @if let Some(x) = stripe {
                dl.facts #stripe-account {
                    dt { (t!("pay-settings-key")) } dd { "…" (x.key_hint) " · " @if x.livemode { (t!("pay-live")) } @else { (t!("pay-test")) } }
                    dt { (t!("pay-settings-webhook")) } dd { code.book-wrap { (accounts::webhook_url(&s.billing, "stripe", &x.id)) } }
                    dt { (t!("pay-settings-since")) } dd { (sh.times.exact(x.updated_at)) }
                }
            } @else {
                p.notice #stripe-none { (t!("pay-settings-none")) }
            }
            form #stripe-form method="post" action={ "/w/" (w) "/settings/payments" } novalidate {
                (errors.summary())
                input type="hidden" name="action" value="connect";
                div.form-row {
                    label for="sk" { (t!("pay-settings-secret")) }
                    input #sk name="secret_key" type="password" autocomplete="off" required placeholder="sk_live_…";
                    @if let Some(m) = errors.of("secret_key") { p.error { (m) } } @else { p.hint.small { (t!("pay-settings-secret-hint")) } }
                }
                button type="submit" { @if stripe.is_some() { (t!("pay-settings-replace")) } @else { (t!("pay-settings-connect")) } }
            }
            @if stripe.is_some() {
                form method="post" action={ "/w/" (w) "/settings/payments" } data-confirm=(t!("pay-settings-disconnect-ask")) {
                    input type="hidden" name="action" value="disconnect";
                    button.secondary type="submit" { (t!("pay-settings-disconnect")) }
                }
            }
        },
    ))
}

async fn save_settings(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManagePayments).await?;
    let result = if field(&f, "action") == "disconnect" {
        accounts::disconnect(&s.billing, &a, "stripe").await
    } else {
        let input = AccountInput { secret_key: field(&f, "secret_key").to_string() };
        accounts::connect(&s.billing, &a, "stripe", &input).await.map(|_| ())
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/w/{w}/settings/payments?saved=1")).into_response()),
        Err(e) => {
            let (status, errors) = refusal(e)?;
            Ok((status, render_settings(&s, &u, &a, &errors).await?).into_response())
        }
    }
}

/// A booking's payments on its staff page, with the way to record or ask for one.
pub(crate) async fn booking_section(
    s: &AppState,
    a: &WorkspaceAccess,
    b: &frontdesk_bookings::repo::Booking,
) -> Result<Markup, WebError> {
    if !can(a, Action::ViewPayments) {
        return Ok(html! {});
    }
    let w = a.workspace.id.as_str();
    let id = b.id.to_string();
    let list = pay::list(&s.billing, &a.workspace.id, None, Some(&id)).await.map_err(WebError::page)?;
    Ok(html! {
        section #bk-payments aria-labelledby="bk-payments-h" {
            h2 #bk-payments-h { (t!("pay-nav")) }
            @if list.is_empty() { p.muted { (t!("pay-none")) } }
            ul {
                @for p in &list {
                    li { a href={ "/w/" (w) "/payments/" (p.id) } { (t!("pay-kind", kind = p.kind.as_str())) " · " (money(p.amount_minor, &p.currency)) } " · " (status_name(&p.status))
                        @if let Some(fl) = &p.flag { " · " span.badge.warn { (t!("pay-flag", flag = fl.as_str())) } } }
                }
            }
            @if can(a, Action::ManagePayments) {
                p { a href={ "/w/" (w) "/payments?booking=" (id) "#manual-form" } { (t!("pay-manual-title")) } }
            }
        }
    })
}
