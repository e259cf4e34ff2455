//! The customer's invoice page (a signed link, no sign-in): the invoice as issued, its PDF, and
//! a button to pay it online while it is unpaid and the business takes online payments.

use super::api::{file_response, pdf_name, pdf_of};
use crate::bookings::public::{business_of, frame, lang, money, page_response};
use crate::kit::error::WebError;
use crate::{Access, AppState, Table};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use frontdesk_i18n::t;
use frontdesk_invoices::invoices as inv;
use frontdesk_invoices::money::{percent_text, quantity_text};
use maud::html;

pub(crate) fn routes(t: Table) -> Table {
    use Access::Public;
    t.add(
        "GET",
        "/invoices/{token}",
        Public,
        "A customer's invoice: what it says, its PDF, and how to pay it",
        get(page),
    )
    .add("GET", "/invoices/{token}/pdf", Public, "A customer's invoice as a PDF", get(pdf))
    .add("POST", "/invoices/{token}/pay", Public, "Pay an invoice online: to the provider's checkout", post(pay))
}

async fn page(State(s): State<AppState>, Path(token): Path<String>) -> Response {
    match show(&s, &token, None).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn show(s: &AppState, token: &str, error: Option<String>) -> Result<Response, WebError> {
    let (i, lines) = inv::opened(&s.invoices, token).await.map_err(WebError::page)?;
    let biz = business_of(s, &i.workspace_id).await?;
    let (paid, payable) = {
        let mut c = s.app.db.conn().await.map_err(|e| WebError::page(e.into()))?;
        let paid = inv::paid(&mut c, &i).await.map_err(WebError::page)?;
        let account = frontdesk_billing::repo::account(&mut c, &i.workspace_id, "stripe")
            .await
            .map_err(|e| WebError::page(e.into()))?;
        (paid, !paid && account.is_some() && i.kind == "invoice" && i.total > 0)
    };
    let title = if i.kind == "credit_note" { t!("invoice-credit-note") } else { t!("invoice-one") };
    let number = i.number_text.clone().unwrap_or_default();
    let taxes = inv::taxes(&lines);
    let body = html! {
        dl.book-summary #invoice-summary {
            dt { (t!("invoice-number")) } dd #invoice-number { (number) }
            dt { (t!("invoice-date")) } dd { (i.issue_date.clone().unwrap_or_default()) }
            @if let Some(b) = &i.buyer_name { dt { (t!("invoice-buyer")) } dd { (b) } }
        }
        table.stack #invoice-lines {
            thead { tr { th { (t!("invoice-description")) } th { (t!("invoice-quantity")) } th { (t!("invoice-tax-rate")) } th { (t!("invoice-amount")) } } }
            tbody { @for l in &lines { tr {
                td { (l.description) } td { (quantity_text(l.quantity_milli)) } td { (percent_text(l.tax_rate_bp)) " %" } td { (money(l.total, &i.currency)) }
            } } }
        }
        dl.book-summary #invoice-taxes {
            @for (rate, base, tax) in &taxes {
                dt { (t!("invoice-base-at", rate = percent_text(*rate))) } dd { (money(*base, &i.currency)) }
                dt { (t!("invoice-tax-at", rate = percent_text(*rate))) } dd { (money(*tax, &i.currency)) }
            }
            dt { strong { (t!("invoice-total")) } } dd { strong #invoice-total { (money(i.total, &i.currency)) } }
        }
        p { a #invoice-pdf href=(format!("/invoices/{token}/pdf")) { (t!("invoice-download-pdf")) } }
        @if paid { p.notice role="status" #invoice-paid { (t!("invoice-paid")) } }
        @if let Some(e) = &error { p.error role="alert" { (e) } }
        @if payable {
            form method="post" action=(format!("/invoices/{token}/pay")) target="_top" {
                button #invoice-pay type="submit" { (t!("invoice-pay", amount = money(i.total, &i.currency))) }
            }
        }
    };
    Ok(page_response(StatusCode::OK, frame(&biz, &format!("{title} {number}"), body)))
}

async fn pdf(State(s): State<AppState>, Path(token): Path<String>) -> Response {
    let run = async {
        let (i, lines) = inv::opened(&s.invoices, &token).await.map_err(WebError::page)?;
        let bytes = pdf_of(&s, &i, &lines).await.map_err(WebError::page)?;
        Ok::<_, WebError>(file_response(bytes, "application/pdf", &pdf_name(&i), true))
    };
    match run.await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn pay(State(s): State<AppState>, Path(token): Path<String>) -> Response {
    match inv::pay(&s.invoices, &token, lang()).await {
        Ok(u) => Redirect::to(&u).into_response(),
        Err(e) if e.kind == frontdesk_platform::error::ErrorKind::NotFound => WebError::page(e).into_response(),
        Err(e) => {
            let text = frontdesk_i18n::error_text(lang(), e.code, &e.message);
            match show(&s, &token, Some(text)).await {
                Ok(r) => r,
                Err(e) => e.into_response(),
            }
        }
    }
}
