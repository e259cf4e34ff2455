//! Invoices over JSON: the invoice profile, drafts, issuing, credit notes, PDFs, a contact's
//! tax details, and the accountant's CSV and ZIP.

use crate::inbox::api::current;
use crate::kit::answer::{Answer, Api, Done, Time};
use crate::kit::body::ApiJson;
use crate::kit::error::WebError;
use crate::kit::extract::ApiCaller;
use crate::{Access, AppState, Table};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use frontdesk_core::Action;
use frontdesk_invoices::export::{self, PeriodInput};
use frontdesk_invoices::invoices::{
    self as inv, CreditInput, DraftInput, InvoiceProfileInput, InvoiceProfileOut, IssueInput, ListQuery, TaxDetails,
};
use frontdesk_invoices::repo::{Export, Invoice, Line};
use frontdesk_platform::{AppError, Platform};
use schemars::JsonSchema;
use serde::Serialize;

pub(crate) fn routes(t: Table) -> Table {
    use Access::*;
    use Action::{ManagePayments, ViewPayments};
    t.add(
        "GET",
        "/api/v1/invoice-profile",
        Current(ViewPayments),
        "The invoice profile: legal name, tax id, series, tax rates",
        get(profile),
    )
    .returns::<InvoiceProfileOut>()
    .add(
        "PUT",
        "/api/v1/invoice-profile",
        Current(ManagePayments),
        "Set the invoice profile (owners and admins)",
        put(set_profile),
    )
    .body::<InvoiceProfileInput>()
    .returns::<InvoiceProfileOut>()
    .add("GET", "/api/v1/invoices", Current(ViewPayments), "Invoices and credit notes, newest first", get(list))
    .query::<ListQuery>()
    .returns::<InvoicesOut>()
    .add("POST", "/api/v1/invoices", Current(ManagePayments), "A draft invoice (prices include tax)", post(create))
    .body::<DraftInput>()
    .created::<InvoiceOut>()
    .add("GET", "/api/v1/invoices/{id}", Current(ViewPayments), "An invoice with its lines and tax summary", get(one))
    .returns::<InvoiceOut>()
    .add(
        "PUT",
        "/api/v1/invoices/{id}",
        Current(ManagePayments),
        "Replace a draft (an issued invoice answers 409)",
        put(update),
    )
    .body::<DraftInput>()
    .returns::<InvoiceOut>()
    .add("DELETE", "/api/v1/invoices/{id}", Current(ManagePayments), "Delete a draft", delete(remove))
    .done()
    .add(
        "POST",
        "/api/v1/invoices/{id}/issue",
        Current(ManagePayments),
        "Issue a draft: its number, its date, emailed to the customer",
        post(issue),
    )
    .body::<IssueInput>()
    .returns::<InvoiceOut>()
    .add(
        "POST",
        "/api/v1/invoices/{id}/send",
        Current(ManagePayments),
        "Email an issued invoice to the customer again",
        post(send),
    )
    .no_body()
    .returns::<InvoiceOut>()
    .add(
        "POST",
        "/api/v1/invoices/{id}/credit-notes",
        Current(ManagePayments),
        "Correct an issued invoice with a credit note (issued at once)",
        post(credit),
    )
    .body::<CreditInput>()
    .created::<InvoiceOut>()
    .add("GET", "/api/v1/invoices/{id}/pdf", Current(ViewPayments), "An invoice as a PDF in its language", get(pdf))
    .produces(&["application/pdf"])
    .add(
        "PUT",
        "/api/v1/contacts/{id}/tax-details",
        Current(ManagePayments),
        "A customer's tax id and billing address, for their invoices",
        put(tax_details),
    )
    .body::<TaxDetails>()
    .returns::<TaxDetails>()
    .add(
        "GET",
        "/api/v1/invoice-exports/csv",
        Current(ManagePayments),
        "A period's issued invoices and credit notes as CSV, one row per tax rate",
        get(csv),
    )
    .query::<PeriodInput>()
    .produces(&["text/csv"])
    .add(
        "POST",
        "/api/v1/invoice-exports",
        Current(ManagePayments),
        "Start a ZIP of a period's PDFs for the accountant (built by a job)",
        post(start_export),
    )
    .body::<PeriodInput>()
    .created::<ExportOut>()
    .add("GET", "/api/v1/invoice-exports/{id}", Current(ManagePayments), "An export's progress", get(export_one))
    .returns::<ExportOut>()
    .add(
        "GET",
        "/api/v1/invoice-exports/{id}/zip",
        Current(ManagePayments),
        "A finished export's ZIP (kept 7 days)",
        get(export_zip),
    )
    .produces(&["application/zip"])
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct LineOut {
    description: String,
    /// A decimal quantity (negative on credit notes).
    quantity: String,
    unit_price_minor: i64,
    /// A percentage.
    discount: String,
    /// A percentage.
    tax_rate: String,
    base_minor: i64,
    tax_minor: i64,
    total_minor: i64,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct TaxOut {
    tax_rate: String,
    base_minor: i64,
    tax_minor: i64,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct BuyerOut {
    name: Option<String>,
    tax_id: Option<String>,
    address: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

/// An invoice or credit note as the API shows it.
#[derive(Serialize, JsonSchema)]
pub(crate) struct InvoiceOut {
    id: String,
    /// `invoice` or `credit_note`.
    kind: String,
    /// `draft` or `issued`.
    status: String,
    /// `2027-0001` (issued only).
    number: Option<String>,
    issue_date: Option<String>,
    currency: String,
    lang: String,
    contact_id: Option<String>,
    buyer: BuyerOut,
    notes: Option<String>,
    /// A credit note's invoice.
    corrects_id: Option<String>,
    /// The payment it invoices or that paid it.
    payment_id: Option<String>,
    /// A credit note made for a refund.
    refund_id: Option<String>,
    lines: Vec<LineOut>,
    taxes: Vec<TaxOut>,
    base_minor: i64,
    tax_minor: i64,
    total_minor: i64,
    /// The hash of the invoice before it in its series.
    prev_hash: Option<String>,
    /// The customer's page (issued only): view, PDF, pay.
    public_url: Option<String>,
    created_at: Time,
}

pub(crate) fn invoice_out(p: &Platform, i: &Invoice, lines: &[Line]) -> InvoiceOut {
    use frontdesk_invoices::money::{percent_text, quantity_text};
    let taxes = inv::taxes(lines);
    InvoiceOut {
        id: i.id.to_string(),
        kind: i.kind.clone(),
        status: i.status.clone(),
        number: i.number_text.clone(),
        issue_date: i.issue_date.clone(),
        currency: i.currency.clone(),
        lang: i.lang.clone(),
        contact_id: i.contact_id.clone(),
        buyer: BuyerOut {
            name: i.buyer_name.clone(),
            tax_id: i.buyer_tax_id.clone(),
            address: i.buyer_address.clone(),
            email: i.buyer_email.clone(),
            phone: i.buyer_phone.clone(),
        },
        notes: i.notes.clone(),
        corrects_id: i.corrects_id.clone(),
        payment_id: i.payment_id.clone(),
        refund_id: i.refund_id.clone(),
        lines: lines
            .iter()
            .map(|l| LineOut {
                description: l.description.clone(),
                quantity: quantity_text(l.quantity_milli),
                unit_price_minor: l.unit_price,
                discount: percent_text(l.discount_bp),
                tax_rate: percent_text(l.tax_rate_bp),
                base_minor: l.base,
                tax_minor: l.tax,
                total_minor: l.total,
            })
            .collect(),
        base_minor: taxes.iter().map(|t| t.1).sum(),
        tax_minor: taxes.iter().map(|t| t.2).sum(),
        taxes: taxes.iter().map(|t| TaxOut { tax_rate: percent_text(t.0), base_minor: t.1, tax_minor: t.2 }).collect(),
        total_minor: i.total,
        prev_hash: i.prev_hash.clone(),
        public_url: (i.status == "issued").then(|| inv::url(p, i)),
        created_at: Time::of(i.created_at),
    }
}

#[derive(Serialize, JsonSchema)]
struct InvoicesOut {
    invoices: Vec<InvoiceSummary>,
}

#[derive(Serialize, JsonSchema)]
struct InvoiceSummary {
    id: String,
    kind: String,
    status: String,
    number: Option<String>,
    issue_date: Option<String>,
    buyer_name: Option<String>,
    currency: String,
    total_minor: i64,
    created_at: Time,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ExportOut {
    id: String,
    from: String,
    to: String,
    /// `queued`, `running`, `done` or `failed`.
    status: String,
    done: i64,
    total: i64,
    /// When done: the ZIP.
    zip_url: Option<String>,
    created_at: Time,
}

fn export_out(e: &Export) -> ExportOut {
    ExportOut {
        id: e.id.to_string(),
        from: e.period_from.clone(),
        to: e.period_to.clone(),
        status: e.status.clone(),
        done: e.done,
        total: e.total,
        zip_url: (e.status == "done").then(|| format!("/api/v1/invoice-exports/{}/zip", e.id)),
        created_at: Time::of(e.created_at),
    }
}

async fn profile(State(s): State<AppState>, c: ApiCaller) -> Api<InvoiceProfileOut> {
    let a = current(&s, &c, Action::ViewPayments).await?;
    let p = inv::profile(&s.invoices, &a).await?.ok_or_else(|| AppError::not_found("The invoice profile"))?;
    let mut conn = s.app.db.conn().await.map_err(AppError::from)?;
    Ok(Answer::ok(inv::profile_out(&s.invoices, &mut conn, &a.workspace.id, &p).await?))
}

async fn set_profile(
    State(s): State<AppState>,
    c: ApiCaller,
    ApiJson(b): ApiJson<InvoiceProfileInput>,
) -> Api<InvoiceProfileOut> {
    let a = current(&s, &c, Action::ManagePayments).await?;
    let p = inv::set_profile(&s.invoices, &a, &b).await?;
    let mut conn = s.app.db.conn().await.map_err(AppError::from)?;
    Ok(Answer::ok(inv::profile_out(&s.invoices, &mut conn, &a.workspace.id, &p).await?))
}

async fn list(State(s): State<AppState>, c: ApiCaller, Query(q): Query<ListQuery>) -> Api<InvoicesOut> {
    let a = current(&s, &c, Action::ViewPayments).await?;
    let list = inv::list(&s.invoices, &a, &q).await?;
    Ok(Answer::ok(InvoicesOut {
        invoices: list
            .iter()
            .map(|i| InvoiceSummary {
                id: i.id.to_string(),
                kind: i.kind.clone(),
                status: i.status.clone(),
                number: i.number_text.clone(),
                issue_date: i.issue_date.clone(),
                buyer_name: i.buyer_name.clone(),
                currency: i.currency.clone(),
                total_minor: i.total,
                created_at: Time::of(i.created_at),
            })
            .collect(),
    }))
}

async fn full(s: &AppState, a: &frontdesk_platform::workspaces::Access, id: &str) -> Result<InvoiceOut, AppError> {
    let (i, lines) = inv::get(&s.invoices, a, id).await?;
    Ok(invoice_out(&s.app.platform, &i, &lines))
}

async fn create(State(s): State<AppState>, c: ApiCaller, ApiJson(b): ApiJson<DraftInput>) -> Api<InvoiceOut> {
    let a = current(&s, &c, Action::ManagePayments).await?;
    let i = inv::create(&s.invoices, &a, &b).await?;
    Ok(Answer::created(full(&s, &a, i.id.as_str()).await?))
}

async fn one(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<InvoiceOut> {
    let a = current(&s, &c, Action::ViewPayments).await?;
    Ok(Answer::ok(full(&s, &a, &id).await?))
}

async fn update(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<DraftInput>,
) -> Api<InvoiceOut> {
    let a = current(&s, &c, Action::ManagePayments).await?;
    inv::update(&s.invoices, &a, &id, &b).await?;
    Ok(Answer::ok(full(&s, &a, &id).await?))
}

async fn remove(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Result<Done, WebError> {
    let a = current(&s, &c, Action::ManagePayments).await?;
    inv::delete(&s.invoices, &a, &id).await?;
    Ok(Done)
}

async fn issue(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<IssueInput>,
) -> Api<InvoiceOut> {
    let a = current(&s, &c, Action::ManagePayments).await?;
    inv::issue(&s.invoices, &a, &id, &b).await?;
    Ok(Answer::ok(full(&s, &a, &id).await?))
}

async fn send(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<InvoiceOut> {
    let a = current(&s, &c, Action::ManagePayments).await?;
    inv::send(&s.invoices, &a, &id).await?;
    Ok(Answer::ok(full(&s, &a, &id).await?))
}

async fn credit(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<CreditInput>,
) -> Api<InvoiceOut> {
    let a = current(&s, &c, Action::ManagePayments).await?;
    let cn = inv::credit(&s.invoices, &a, &id, &b).await?;
    Ok(Answer::created(full(&s, &a, cn.id.as_str()).await?))
}

pub(crate) fn file_response(bytes: Vec<u8>, content_type: &'static str, filename: &str, inline: bool) -> Response {
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let how = if inline { "inline" } else { "attachment" };
    let safe: String = filename.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).collect();
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("{how}; filename=\"{safe}\"")).unwrap_or(HeaderValue::from_static("attachment")),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    r
}

pub(crate) async fn pdf_of(s: &AppState, i: &Invoice, lines: &[Line]) -> Result<Vec<u8>, AppError> {
    let mut conn = s.app.db.conn().await.map_err(AppError::from)?;
    frontdesk_invoices::layout::pdf(&s.invoices, &mut conn, i, lines).await
}

pub(crate) fn pdf_name(i: &Invoice) -> String {
    format!("{}.pdf", i.number_text.clone().unwrap_or_else(|| format!("draft-{}", i.id)))
}

async fn pdf(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Result<Response, WebError> {
    let a = current(&s, &c, Action::ViewPayments).await?;
    let (i, lines) = inv::get(&s.invoices, &a, &id).await?;
    let bytes = pdf_of(&s, &i, &lines).await?;
    Ok(file_response(bytes, "application/pdf", &pdf_name(&i), true))
}

async fn tax_details(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<TaxDetails>,
) -> Api<TaxDetails> {
    let a = current(&s, &c, Action::ManagePayments).await?;
    Ok(Answer::ok(inv::set_tax_details(&s.invoices, &a, &id, &b).await?))
}

/// The CSV's period as the query string carries it: read leniently so that a caller without
/// the permission hears 403 first and a missing day is the JSON error of a bad field.
#[derive(serde::Deserialize)]
struct PeriodQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

async fn csv(State(s): State<AppState>, c: ApiCaller, Query(q): Query<PeriodQuery>) -> Result<Response, WebError> {
    let a = current(&s, &c, Action::ManagePayments).await?;
    let q = PeriodInput { from: q.from, to: q.to };
    let text = export::csv(&s.invoices, &a, &q).await?;
    let name = format!("invoices-{}-{}.csv", q.from.trim(), q.to.trim());
    Ok(file_response(text.into_bytes(), "text/csv; charset=utf-8", &name, false))
}

async fn start_export(State(s): State<AppState>, c: ApiCaller, ApiJson(b): ApiJson<PeriodInput>) -> Api<ExportOut> {
    let a = current(&s, &c, Action::ManagePayments).await?;
    Ok(Answer::created(export_out(&export::start(&s.invoices, &a, &b).await?)))
}

async fn export_one(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<ExportOut> {
    let a = current(&s, &c, Action::ManagePayments).await?;
    Ok(Answer::ok(export_out(&export::get(&s.invoices, &a, &id).await?)))
}

async fn export_zip(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Result<Response, WebError> {
    let a = current(&s, &c, Action::ManagePayments).await?;
    let (e, bytes) = export::bytes(&s.invoices, &a, &id).await?;
    Ok(file_response(bytes, "application/zip", &format!("invoices-{}-{}.zip", e.period_from, e.period_to), false))
}
