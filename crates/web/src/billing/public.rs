//! The customer's pay pages (no sign-in, a signed link): what is due and until when, a button
//! that sends them to the provider's hosted checkout, the page they come back to (which asks
//! the provider at once, so a lost event never leaves them "pending"), and the receipt. The
//! pages' CSP lets a form go to the configured provider's checkout and nowhere else.

use crate::bookings::public::{business_of, frame, lang, money, page_response, when, Biz, BookPage};
use crate::kit::error::WebError;
use crate::{Access, AppState, Table};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use frontdesk_billing::pay;
use frontdesk_billing::repo::Payment;
use frontdesk_bookings::repo::Booking;
use frontdesk_i18n::t;
use frontdesk_platform::Platform;
use maud::html;

pub(crate) fn routes(t: Table) -> Table {
    use Access::Public;
    t.add("GET", "/pay/{token}", Public, "A customer's payment: what is due, and the button to pay it", get(page))
        .add("POST", "/pay/{token}", Public, "Sends the customer to the provider's checkout", axum::routing::post(go))
        .add(
            "GET",
            "/pay/{token}/return",
            Public,
            "Where the provider sends the customer back: the payment is checked at once",
            get(back),
        )
        .add("GET", "/pay/{token}/receipt", Public, "The customer's receipt of a payment", get(receipt))
}

/// The pay pages' policy: the business's booking-page policy, with the provider's checkout
/// as the one place a form may go besides our own pages.
fn pay_policy(s: &AppState, biz: &Biz) -> String {
    let origins = s.billing.checkout_origins().join(" ");
    biz.policy.replace("form-action 'self'", &format!("form-action 'self' {origins}"))
}

fn framed(s: &AppState, biz: &Biz, title: &str, body: maud::Markup) -> BookPage {
    let mut m = frame(biz, title, body);
    m.policy = pay_policy(s, biz);
    m
}

struct Opened {
    pay: Payment,
    biz: Biz,
    booking: Option<Booking>,
    service: String,
}

async fn open(s: &AppState, token: &str) -> Result<Opened, WebError> {
    let pay = pay::opened(&s.billing, token).await.map_err(WebError::page)?;
    let biz = business_of(s, &pay.workspace_id).await?;
    let db = |e: sqlx::Error| WebError::page(e.into());
    let mut c = s.app.db.conn().await.map_err(db)?;
    let booking = match &pay.booking_id {
        Some(b) => frontdesk_bookings::repo::booking(&mut c, &pay.workspace_id, b).await.map_err(db)?,
        None => None,
    };
    let service = match &booking {
        Some(bk) => frontdesk_bookings::repo::service(&mut c, &pay.workspace_id, &bk.service_id)
            .await
            .map_err(db)?
            .map(|x| x.name)
            .unwrap_or_default(),
        None => frontdesk_billing::memberships::sold_plan_name(&mut c, &pay.workspace_id, pay.id.as_str())
            .await
            .map_err(WebError::page)?
            .unwrap_or_default(),
    };
    Ok(Opened { pay, biz, booking, service })
}

fn kind_name(kind: &str) -> String {
    t!("pay-kind", kind = kind)
}

fn summary(s: &AppState, o: &Opened) -> maud::Markup {
    let now = s.app.now().0;
    html! {
        dl.book-summary {
            @if !o.service.is_empty() { dt { (t!("book-step-service")) } dd { (o.service) } }
            @if let Some(bk) = &o.booking { dt { (t!("book-when")) } dd { (when(&bk.time_zone, now, bk.starts_at)) } }
            dt { (kind_name(&o.pay.kind)) } dd { strong #pay-amount { (money(o.pay.amount_minor, &o.pay.currency)) } }
            @if let Some(bk) = &o.booking {
                @if o.pay.amount_minor < bk.total_minor {
                    dt { (t!("book-total")) } dd { (money(bk.total_minor, &bk.currency)) }
                }
            }
        }
    }
}

async fn page(State(s): State<AppState>, Path(token): Path<String>) -> Response {
    match show(&s, &token, None).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn show(s: &AppState, token: &str, error: Option<String>) -> Result<Response, WebError> {
    let o = open(s, token).await?;
    if matches!(o.pay.status.as_str(), "paid" | "refunded") {
        return Ok(Redirect::to(&format!("/pay/{token}/receipt")).into_response());
    }
    let now = s.app.now().0;
    let live = o.pay.status == "open" && o.pay.expires_at.is_none_or(|t| t > now);
    let zone = o.booking.as_ref().map(|b| b.time_zone.clone()).unwrap_or_else(|| o.biz.profile.time_zone.clone());
    let until = o.pay.expires_at.map(|t| frontdesk_core::time::LocalTimes::new(&zone, now).in_lang(lang()).exact(t));
    let body = html! {
        (summary(s, &o))
        @if live {
            @if let Some(u) = &until { p.muted #pay-until { (t!("pay-held-until", until = u.as_str())) } }
            @if let Some(e) = &error { p.error role="alert" { (e) } }
            form method="post" action=(format!("/pay/{token}")) target="_top" {
                button #pay-button type="submit" { (t!("pay-button", amount = money(o.pay.amount_minor, &o.pay.currency))) }
            }
            p.muted.small { (t!("pay-provider-note")) }
        } @else {
            p.notice role="status" #pay-closed { (t!("pay-closed")) }
            @if !o.biz.profile.slug.is_empty() {
                p { a href=(format!("/book/{}", o.biz.profile.slug)) { (t!("pay-book-again")) } }
            }
        }
    };
    let status = if live { StatusCode::OK } else { StatusCode::GONE };
    Ok(page_response(status, framed(s, &o.biz, &t!("pay-title"), body)))
}

async fn go(State(s): State<AppState>, Path(token): Path<String>) -> Response {
    let o = match open(&s, &token).await {
        Ok(o) => o,
        Err(e) => return e.into_response(),
    };
    match pay::checkout_url(&s.billing, &o.pay, lang()).await {
        Ok(u) => Redirect::to(&u).into_response(),
        Err(e) => {
            let text = frontdesk_i18n::error_text(lang(), e.code, &e.message);
            match show(&s, &token, Some(text)).await {
                Ok(r) => r,
                Err(e) => e.into_response(),
            }
        }
    }
}

async fn back(State(s): State<AppState>, Path(token): Path<String>) -> Response {
    let run = async {
        let o = open(&s, &token).await?;
        let pay = pay::refresh(&s.billing, &o.pay).await.map_err(WebError::page)?;
        let p: &Platform = s.bookings.as_ref();
        if pay.status == "paid" && pay.flag.is_none() {
            if let Some(bk) = &o.booking {
                let mut c = s.app.db.conn().await.map_err(|e| WebError::page(e.into()))?;
                let fresh = frontdesk_bookings::repo::booking(&mut c, &bk.workspace_id, &bk.id)
                    .await
                    .map_err(|e| WebError::page(e.into()))?;
                if let Some(fresh) = fresh.filter(|b| matches!(b.status.as_str(), "pending" | "confirmed")) {
                    let to = format!("/book/manage/{}?booked=1", frontdesk_bookings::manage::token(p, &fresh));
                    return Ok(Redirect::to(&to).into_response());
                }
            }
        }
        if pay.status != "open" {
            return Ok(Redirect::to(&format!("/pay/{token}/receipt")).into_response());
        }
        // Not known yet (the provider is slow to say): this page looks again in a moment.
        let body = html! {
            (summary(&s, &o))
            p.notice role="status" #pay-pending { (t!("pay-pending")) }
            p { a href=(format!("/pay/{token}/return")) { (t!("pay-check-again")) } }
        };
        let mut r = page_response(StatusCode::OK, framed(&s, &o.biz, &t!("pay-title"), body));
        if let Ok(v) = axum::http::HeaderValue::from_str(&format!("3; url=/pay/{token}/return")) {
            r.headers_mut().insert(axum::http::header::REFRESH, v);
        }
        Ok::<_, WebError>(r)
    };
    match run.await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn receipt(State(s): State<AppState>, Path(token): Path<String>) -> Response {
    let run = async {
        let o = open(&s, &token).await?;
        if o.pay.status == "open" {
            return Ok(Redirect::to(&format!("/pay/{token}")).into_response());
        }
        let refunds = {
            let mut c = s.app.db.conn().await.map_err(|e| WebError::page(e.into()))?;
            frontdesk_billing::repo::refunds(&mut c, &o.pay.workspace_id, &o.pay.id)
                .await
                .map_err(|e| WebError::page(e.into()))?
        };
        let now = s.app.now().0;
        let zone = o.booking.as_ref().map(|b| b.time_zone.clone()).unwrap_or_else(|| o.biz.profile.time_zone.clone());
        let times = frontdesk_core::time::LocalTimes::new(&zone, now).in_lang(lang());
        let paid = matches!(o.pay.status.as_str(), "paid" | "refunded");
        let body = html! {
            @if paid {
                p.notice role="status" #pay-receipt-status { (t!("pay-receipt-paid")) }
            } @else {
                p.notice role="status" #pay-receipt-status { (t!("pay-closed")) }
            }
            (summary(&s, &o))
            @if paid {
                dl.book-summary {
                    @if let Some(at) = o.pay.paid_at { dt { (t!("pay-paid-at")) } dd { (times.exact(at)) } }
                    dt { (t!("pay-method")) } dd { (o.pay.card.clone().unwrap_or_else(|| t!("pay-method-name", method = o.pay.method.as_str()))) }
                    dt { (t!("pay-reference")) } dd.book-wrap { code { (o.pay.id) } }
                    @for r in refunds.iter().filter(|r| r.status != "failed") {
                        dt { (t!("pay-refund")) } dd { "−" (money(r.amount_minor, &r.currency)) " · " (times.exact(r.created_at)) }
                    }
                }
            }
            @if o.pay.flag.is_some() { p.muted #pay-flag { (t!("pay-flag-note")) } }
            p.muted.small { (o.biz.name) @if let Some(a) = &o.biz.profile.address { " · " (a) } }
        };
        Ok::<_, WebError>(page_response(StatusCode::OK, framed(&s, &o.biz, &t!("pay-receipt-title"), body)))
    };
    match run.await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}
