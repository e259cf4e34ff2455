//! The staff's invoice pages: the list with the accountant's export (CSV at once, a ZIP of
//! PDFs built by a job whose progress the page shows), the editor of a draft (buyer, lines),
//! an issued invoice with its PDF, link and credit note, and the invoice profile's settings.
//! Writing, issuing and the profile are for owners and admins.

use super::api::{file_response, pdf_name, pdf_of};
use crate::bookings::pages::{field, money, Fields};
use crate::kit::body::PageForm;
use crate::kit::error::{status_of, WebError};
use crate::kit::extract::{page_access as access, ClientInfo, PageUser};
use crate::kit::layout::FormErrors;
use crate::kit::shell::{Nav, Shell};
use crate::{Access, AppState, Table};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use frontdesk_core::Action;
use frontdesk_i18n::t;
use frontdesk_invoices::export::{self, PeriodInput};
use frontdesk_invoices::invoices::{
    self as inv, CreditInput, DraftInput, InvoiceProfileInput, IssueInput, LineInput, ListQuery,
};
use frontdesk_invoices::money::{percent_text, quantity_text};
use frontdesk_invoices::repo::{Invoice, Line};
use frontdesk_platform::auth::SignedIn;
use frontdesk_platform::error::ErrorKind;
use frontdesk_platform::workspaces::Access as WorkspaceAccess;
use frontdesk_platform::AppError;
use maud::{html, Markup};

pub(crate) fn routes(t: Table) -> Table {
    use Access::*;
    use Action::{ManagePayments, ViewPayments};
    t.add(
        "GET",
        "/w/{ws}/invoices",
        Workspace(ViewPayments),
        "Invoices and credit notes, and the accountant's export",
        get(list),
    )
    .add("GET", "/w/{ws}/invoices/new", Workspace(ManagePayments), "Write a new invoice", get(new_page))
    .add("POST", "/w/{ws}/invoices", Workspace(ManagePayments), "Save a new draft invoice", post(create))
    .add("GET", "/w/{ws}/invoices/export.csv", Workspace(ManagePayments), "A period's invoices as CSV", get(csv))
    .add(
        "POST",
        "/w/{ws}/invoices/exports",
        Workspace(ManagePayments),
        "Start a ZIP of a period's PDFs",
        post(start_export),
    )
    .add("GET", "/w/{ws}/invoices/exports/{id}", Workspace(ManagePayments), "A finished export's ZIP", get(export_zip))
    .add("GET", "/w/{ws}/invoices/{id}", Workspace(ViewPayments), "An invoice: its editor while a draft", get(show))
    .add("POST", "/w/{ws}/invoices/{id}", Workspace(ManagePayments), "Save a draft", post(save))
    .add("POST", "/w/{ws}/invoices/{id}/issue", Workspace(ManagePayments), "Issue a draft", post(issue))
    .add("POST", "/w/{ws}/invoices/{id}/delete", Workspace(ManagePayments), "Delete a draft", post(remove))
    .add(
        "POST",
        "/w/{ws}/invoices/{id}/credit",
        Workspace(ManagePayments),
        "Correct an invoice with a credit note",
        post(credit),
    )
    .add("POST", "/w/{ws}/invoices/{id}/send", Workspace(ManagePayments), "Email an invoice again", post(send))
    .add("GET", "/w/{ws}/invoices/{id}/pdf", Workspace(ViewPayments), "An invoice's PDF", get(pdf))
    .add("GET", "/w/{ws}/settings/invoices", Workspace(ManagePayments), "The invoice profile", get(settings))
    .add(
        "POST",
        "/w/{ws}/settings/invoices",
        Workspace(ManagePayments),
        "Save the invoice profile",
        post(save_settings),
    )
}

fn can(a: &WorkspaceAccess, action: Action) -> bool {
    frontdesk_core::role::allows(a.role, action)
}

fn refusal(e: AppError) -> Result<(axum::http::StatusCode, FormErrors), WebError> {
    match e.kind {
        ErrorKind::Invalid | ErrorKind::Conflict => Ok((status_of(e.kind), FormErrors::from_error(&e))),
        _ => Err(WebError::page(e)),
    }
}

/// Every error of a form at once: the general one and each field's.
fn all(errors: &FormErrors) -> Markup {
    html! {
        @if let Some(g) = &errors.general { p.alert role="alert" { (g) } }
        @for (_, m) in &errors.fields { p.alert role="alert" { (m) } }
    }
}

fn kind_name(i: &Invoice) -> String {
    if i.kind == "credit_note" {
        t!("invoice-credit-note")
    } else {
        t!("invoice-one")
    }
}

fn status_name(s: &str) -> String {
    t!("invoice-status", status = s)
}

// ---- the list ----

#[derive(serde::Deserialize)]
pub struct PeriodQuery {
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
}

async fn list(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ViewPayments).await?;
    render_list(&s, &u, &a, &FormErrors::default()).await
}

async fn render_list(
    s: &AppState,
    u: &SignedIn,
    a: &WorkspaceAccess,
    errors: &FormErrors,
) -> Result<Response, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let w = a.workspace.id.as_str();
    let list = inv::list(&s.invoices, a, &ListQuery::default()).await.map_err(WebError::page)?;
    let profile = inv::profile(&s.invoices, a).await.map_err(WebError::page)?;
    let manage = can(a, Action::ManagePayments);
    let exports = if manage { export::recent(&s.invoices, a).await.map_err(WebError::page)? } else { vec![] };
    let busy = exports.iter().any(|e| matches!(e.status.as_str(), "queued" | "running"));
    let today = frontdesk_core::hours::local_date(sh.times.time_zone(), s.app.now().0).unwrap_or_default();
    let month_start = format!("{}-01", today.get(..7).unwrap_or(""));
    let page = sh.page(
        &t!("invoice-nav"),
        Nav::Invoices,
        html! {
            @if profile.is_none() {
                p.notice #invoice-no-profile { (t!("invoice-no-profile")) " "
                    @if manage { a href={ "/w/" (w) "/settings/invoices" } { (t!("invoice-profile-link")) } } }
            } @else if manage {
                p { a.button #invoice-new href={ "/w/" (w) "/invoices/new" } { (t!("invoice-new")) } }
            }
            @if list.is_empty() {
                p.muted #invoices-empty { (t!("invoice-none")) }
            } @else {
                table.stack #invoices {
                    thead { tr { th { (t!("invoice-number")) } th { (t!("invoice-date")) } th { (t!("invoice-buyer")) } th { (t!("invoice-total")) } th { (t!("invoice-status-label")) } } }
                    tbody { @for i in &list { tr data-invoice=(i.id) data-status=(i.status) data-kind=(i.kind) {
                        td { a href={ "/w/" (w) "/invoices/" (i.id) } { (i.number_text.clone().unwrap_or_else(|| t!("invoice-draft"))) } " " small.muted { (kind_name(i)) } }
                        td { (i.issue_date.clone().unwrap_or_default()) }
                        td { (i.buyer_name.clone().unwrap_or_default()) }
                        td { (money(i.total, &i.currency)) }
                        td { (status_name(&i.status)) }
                    } } }
                }
            }
            @if manage {
                section aria-labelledby="invoice-export-h" {
                    h2 #invoice-export-h { (t!("invoice-export-title")) }
                    p.muted { (t!("invoice-export-intro")) }
                    (all(errors))
                    form #invoice-export method="post" action={ "/w/" (w) "/invoices/exports" } novalidate {
                        div.form-row { label for="ie-from" { (t!("invoice-from")) } input #ie-from type="date" name="from" required value=(month_start); }
                        div.form-row { label for="ie-to" { (t!("invoice-to")) } input #ie-to type="date" name="to" required value=(today); }
                        button type="submit" { (t!("invoice-export-zip")) } " "
                        button.secondary type="submit" formmethod="get" formaction={ "/w/" (w) "/invoices/export.csv" } { (t!("invoice-export-csv")) }
                    }
                    @if !exports.is_empty() {
                        table.stack #invoice-exports {
                            thead { tr { th { (t!("invoice-period")) } th { (t!("invoice-progress")) } th {} } }
                            tbody { @for e in &exports { tr data-export=(e.id) data-status=(e.status) {
                                td { (e.period_from) " – " (e.period_to) }
                                td { progress value=(e.done) max=(e.total.max(1)) aria-label=(t!("invoice-progress")) {} " " (t!("invoice-progress-of", done = e.done, total = e.total)) }
                                td { @if e.status == "done" { a href={ "/w/" (w) "/invoices/exports/" (e.id) } { (t!("invoice-download-zip")) } } @else { (t!("invoice-export-status", status = e.status.as_str())) } }
                            } } }
                        }
                    }
                }
            }
        },
    );
    let mut r = (status_code(errors), page).into_response();
    if busy {
        // The page looks again while a ZIP is being built.
        r.headers_mut().insert(axum::http::header::REFRESH, axum::http::HeaderValue::from_static("3"));
    }
    Ok(r)
}

fn status_code(errors: &FormErrors) -> axum::http::StatusCode {
    if errors.fields.is_empty() && errors.general.is_none() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    }
}

async fn csv(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManagePayments).await?;
    let period = PeriodInput { from: q.from.unwrap_or_default(), to: q.to.unwrap_or_default() };
    match export::csv(&s.invoices, &a, &period).await {
        Ok(text) => {
            let name = format!("invoices-{}-{}.csv", period.from.trim(), period.to.trim());
            Ok(file_response(text.into_bytes(), "text/csv; charset=utf-8", &name, false))
        }
        Err(e) => {
            let (_, errors) = refusal(e)?;
            render_list(&s, &u, &a, &errors).await
        }
    }
}

async fn start_export(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManagePayments).await?;
    let period = PeriodInput { from: field(&f, "from").into(), to: field(&f, "to").into() };
    match export::start(&s.invoices, &a, &period).await {
        Ok(_) => Ok(Redirect::to(&format!("/w/{w}/invoices")).into_response()),
        Err(e) => {
            let (_, errors) = refusal(e)?;
            render_list(&s, &u, &a, &errors).await
        }
    }
}

async fn export_zip(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManagePayments).await?;
    let (e, bytes) = export::bytes(&s.invoices, &a, &id).await.map_err(WebError::page)?;
    Ok(file_response(bytes, "application/zip", &format!("invoices-{}-{}.zip", e.period_from, e.period_to), false))
}

// ---- the editor ----

/// The draft a form describes: the buyer and up to 20 lines (`desc_N`, `qty_N`, `price_N`,
/// `disc_N`, `rate_N`; a line with no description is left out).
fn draft_of(f: &Fields) -> DraftInput {
    let opt = |k: &str| Some(field(f, k).to_string()).filter(|s| !s.is_empty());
    let mut lines = vec![];
    for n in 0..20 {
        let d = field(f, &format!("desc_{n}"));
        if d.is_empty() {
            continue;
        }
        lines.push(LineInput {
            description: d.into(),
            quantity: opt(&format!("qty_{n}")),
            unit_price: field(f, &format!("price_{n}")).into(),
            discount: opt(&format!("disc_{n}")),
            tax_rate: opt(&format!("rate_{n}")),
        });
    }
    DraftInput {
        contact_id: opt("contact_id"),
        buyer_name: opt("buyer_name"),
        buyer_tax_id: opt("buyer_tax_id"),
        buyer_address: opt("buyer_address"),
        buyer_email: opt("buyer_email"),
        buyer_phone: None,
        notes: opt("notes"),
        lang: opt("lang"),
        lines,
    }
}

/// The form's values for an existing draft.
fn fields_of(i: &Invoice, lines: &[Line]) -> Fields {
    let mut f = Fields::new();
    let mut put = |k: String, v: Option<String>| {
        if let Some(v) = v {
            f.insert(k, v);
        }
    };
    put("buyer_name".into(), i.buyer_name.clone());
    put("buyer_tax_id".into(), i.buyer_tax_id.clone());
    put("buyer_address".into(), i.buyer_address.clone());
    put("buyer_email".into(), i.buyer_email.clone());
    put("notes".into(), i.notes.clone());
    put("lang".into(), Some(i.lang.clone()));
    put("contact_id".into(), i.contact_id.clone());
    let cur = frontdesk_bookings::catalog::currency_of(&i.currency);
    for (n, l) in lines.iter().enumerate() {
        put(format!("desc_{n}"), Some(l.description.clone()));
        put(format!("qty_{n}"), Some(quantity_text(l.quantity_milli)));
        put(format!("price_{n}"), Some(frontdesk_core::money::Money::new(l.unit_price, cur).decimal()));
        put(format!("disc_{n}"), (l.discount_bp != 0).then(|| percent_text(l.discount_bp)));
        put(format!("rate_{n}"), Some(percent_text(l.tax_rate_bp)));
    }
    f
}

fn editor(w: &str, action: &str, rates: &[i64], f: &Fields, errors: &FormErrors) -> Markup {
    let rows = (0..20).filter(|n| !field(f, &format!("desc_{n}")).is_empty()).count().max(1) + 2;
    html! {
        form #invoice-editor method="post" action=(action) novalidate {
            (all(errors))
            input type="hidden" name="contact_id" value=(field(f, "contact_id"));
            fieldset {
                legend { (t!("invoice-buyer")) }
                div.form-row { label for="ie-name" { (t!("invoice-buyer-name")) } input #ie-name name="buyer_name" maxlength="200" value=(field(f, "buyer_name")); }
                div.form-row { label for="ie-tax" { (t!("invoice-buyer-tax-id")) } input #ie-tax name="buyer_tax_id" maxlength="40" value=(field(f, "buyer_tax_id")); }
                div.form-row { label for="ie-address" { (t!("invoice-buyer-address")) } textarea #ie-address name="buyer_address" rows="2" maxlength="500" { (field(f, "buyer_address")) } }
                div.form-row { label for="ie-email" { (t!("invoice-buyer-email")) } input #ie-email type="email" name="buyer_email" maxlength="254" value=(field(f, "buyer_email")); }
                div.form-row { label for="ie-lang" { (t!("invoice-lang")) }
                    select #ie-lang name="lang" { @for l in ["en", "es"] { option value=(l) selected[field(f, "lang") == l] { (t!("invoice-lang-name", lang = l)) } } } }
            }
            table.stack #invoice-lines-editor {
                thead { tr { th { (t!("invoice-description")) } th { (t!("invoice-quantity")) } th { (t!("invoice-unit-price")) } th { (t!("invoice-discount")) } th { (t!("invoice-tax-rate")) } } }
                tbody { @for n in 0..rows.min(20) { tr {
                    td { label.visually-hidden for={ "d" (n) } { (t!("invoice-description")) } input id={ "d" (n) } name={ "desc_" (n) } maxlength="500" value=(field(f, &format!("desc_{n}"))); }
                    td { label.visually-hidden for={ "q" (n) } { (t!("invoice-quantity")) } input id={ "q" (n) } name={ "qty_" (n) } size="5" inputmode="decimal" value=(field(f, &format!("qty_{n}"))); }
                    td { label.visually-hidden for={ "p" (n) } { (t!("invoice-unit-price")) } input id={ "p" (n) } name={ "price_" (n) } size="8" inputmode="decimal" value=(field(f, &format!("price_{n}"))); }
                    td { label.visually-hidden for={ "c" (n) } { (t!("invoice-discount")) } input id={ "c" (n) } name={ "disc_" (n) } size="4" inputmode="decimal" value=(field(f, &format!("disc_{n}"))); }
                    td { label.visually-hidden for={ "r" (n) } { (t!("invoice-tax-rate")) }
                        select id={ "r" (n) } name={ "rate_" (n) } { @for r in rates { @let v = percent_text(*r); option value=(v) selected[field(f, &format!("rate_{n}")) == v] { (v) " %" } } } }
                } } }
            }
            p.muted.small { (t!("invoice-prices-include-tax")) }
            div.form-row { label for="ie-notes" { (t!("invoice-notes")) } textarea #ie-notes name="notes" rows="2" maxlength="2000" { (field(f, "notes")) } }
            button type="submit" { (t!("invoice-save-draft")) }
            " " a href={ "/w/" (w) "/invoices" } { (t!("invoice-back")) }
        }
    }
}

async fn rates_of(s: &AppState, a: &WorkspaceAccess) -> Result<Vec<i64>, WebError> {
    Ok(inv::profile(&s.invoices, a).await.map_err(WebError::page)?.map(|p| p.rates()).unwrap_or_default())
}

async fn new_page(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManagePayments).await?;
    render_new(&s, &u, &a, &Fields::new(), &FormErrors::default()).await
}

async fn render_new(
    s: &AppState,
    u: &SignedIn,
    a: &WorkspaceAccess,
    f: &Fields,
    errors: &FormErrors,
) -> Result<Response, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let w = a.workspace.id.as_str();
    let rates = rates_of(s, a).await?;
    if rates.is_empty() {
        return Ok(Redirect::to(&format!("/w/{w}/settings/invoices")).into_response());
    }
    let page = sh.page(&t!("invoice-new"), Nav::Invoices, editor(w, &format!("/w/{w}/invoices"), &rates, f, errors));
    Ok((status_code(errors), page).into_response())
}

async fn create(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManagePayments).await?;
    match inv::create(&s.invoices, &a, &draft_of(&f)).await {
        Ok(i) => Ok(Redirect::to(&format!("/w/{w}/invoices/{}", i.id)).into_response()),
        Err(e) => {
            let (_, errors) = refusal(e)?;
            render_new(&s, &u, &a, &f, &errors).await
        }
    }
}

async fn show(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ViewPayments).await?;
    render_one(&s, &u, &a, &id, None, &FormErrors::default()).await
}

async fn render_one(
    s: &AppState,
    u: &SignedIn,
    a: &WorkspaceAccess,
    id: &str,
    form: Option<&Fields>,
    errors: &FormErrors,
) -> Result<Response, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let w = a.workspace.id.as_str();
    let (i, lines) = inv::get(&s.invoices, a, id).await.map_err(WebError::page)?;
    let manage = can(a, Action::ManagePayments);
    let (paid, corrects, credits) = {
        let mut c = s.app.db.conn().await.map_err(|e| WebError::page(e.into()))?;
        let paid = inv::paid(&mut c, &i).await.map_err(WebError::page)?;
        let corrects = match i.corrects_id.as_deref().and_then(frontdesk_core::InvoiceId::parse) {
            Some(cid) => frontdesk_invoices::repo::invoice(&mut c, &a.workspace.id, &cid)
                .await
                .map_err(|e| WebError::page(e.into()))?,
            None => None,
        };
        let credits = frontdesk_invoices::repo::credits_of(&mut c, &a.workspace.id, &i.id)
            .await
            .map_err(|e| WebError::page(e.into()))?;
        (paid, corrects, credits)
    };
    let title = match &i.number_text {
        Some(n) => format!("{} {n}", kind_name(&i)),
        None => t!("invoice-draft-title"),
    };
    let taxes = inv::taxes(&lines);
    let body = html! {
        @if i.status == "draft" && manage {
            (editor(w, &format!("/w/{w}/invoices/{}", i.id), &rates_of(s, a).await?, form.unwrap_or(&fields_of(&i, &lines)), errors))
            section aria-labelledby="invoice-issue-h" {
                h2 #invoice-issue-h { (t!("invoice-issue-title")) }
                p.muted { (t!("invoice-issue-intro")) }
                form #invoice-issue method="post" action={ "/w/" (w) "/invoices/" (i.id) "/issue" } {
                    div.form-row { label for="ii-date" { (t!("invoice-date")) } input #ii-date type="date" name="issue_date"; }
                    div.form-row { label { input type="checkbox" name="send" value="yes" checked; " " (t!("invoice-send-on-issue")) } }
                    button type="submit" data-confirm=(t!("invoice-issue-confirm")) { (t!("invoice-issue")) }
                }
                form.inline method="post" action={ "/w/" (w) "/invoices/" (i.id) "/delete" } {
                    button.secondary.small type="submit" data-confirm=(t!("invoice-delete")) { (t!("invoice-delete")) }
                }
            }
        } @else {
            (all(errors))
            dl.facts #invoice-head {
                dt { (t!("invoice-status-label")) } dd data-status=(i.status) { (status_name(&i.status)) @if paid { " · " span.badge { (t!("invoice-paid-badge")) } } }
                @if let Some(d) = &i.issue_date { dt { (t!("invoice-date")) } dd { (d) } }
                @if let Some(c) = &corrects { dt { (t!("invoice-corrects")) } dd { a href={ "/w/" (w) "/invoices/" (c.id) } { (c.number_text.clone().unwrap_or_default()) } } }
                @if let Some(b) = &i.buyer_name { dt { (t!("invoice-buyer")) } dd { (b) @if let Some(t) = &i.buyer_tax_id { " · " (t) } } }
                @if let Some(n) = &i.notes { dt { (t!("invoice-notes")) } dd { (n) } }
            }
            table.stack #invoice-lines {
                thead { tr { th { (t!("invoice-description")) } th { (t!("invoice-quantity")) } th { (t!("invoice-unit-price")) } th { (t!("invoice-discount")) } th { (t!("invoice-tax-rate")) } th { (t!("invoice-amount")) } } }
                tbody { @for l in &lines { tr {
                    td { (l.description) } td { (quantity_text(l.quantity_milli)) } td { (money(l.unit_price, &i.currency)) }
                    td { @if l.discount_bp > 0 { (percent_text(l.discount_bp)) " %" } } td { (percent_text(l.tax_rate_bp)) " %" } td { (money(l.total, &i.currency)) }
                } } }
            }
            dl.facts #invoice-taxes {
                @for (rate, base, tax) in &taxes {
                    dt { (t!("invoice-base-at", rate = percent_text(*rate))) } dd { (money(*base, &i.currency)) }
                    dt { (t!("invoice-tax-at", rate = percent_text(*rate))) } dd { (money(*tax, &i.currency)) }
                }
                dt { strong { (t!("invoice-total")) } } dd { strong #invoice-total { (money(i.total, &i.currency)) } }
            }
            p {
                a #invoice-pdf href={ "/w/" (w) "/invoices/" (i.id) "/pdf" } { (t!("invoice-download-pdf")) }
                @if i.status == "issued" { " · " a #invoice-public href=(inv::url(&s.app.platform, &i)) { (t!("invoice-public-link")) } }
            }
            @if !credits.is_empty() {
                h2 { (t!("invoice-credit-notes")) }
                ul #invoice-credits { @for c in &credits { li { a href={ "/w/" (w) "/invoices/" (c.id) } { (c.number_text.clone().unwrap_or_default()) } " · " (money(c.total, &c.currency)) } } }
            }
            @if manage && i.status == "issued" {
                @if i.buyer_email.is_some() {
                    form.inline method="post" action={ "/w/" (w) "/invoices/" (i.id) "/send" } { button.secondary type="submit" { (t!("invoice-send")) } }
                }
                @if i.kind == "invoice" && credits.is_empty() {
                    section aria-labelledby="invoice-credit-h" {
                        h2 #invoice-credit-h { (t!("invoice-credit-title")) }
                        p.muted { (t!("invoice-credit-intro")) }
                        form #invoice-credit method="post" action={ "/w/" (w) "/invoices/" (i.id) "/credit" } {
                            div.form-row { label for="ic-reason" { (t!("invoice-credit-reason")) } input #ic-reason name="reason" maxlength="500"; }
                            button type="submit" data-confirm=(t!("invoice-credit")) { (t!("invoice-credit")) }
                        }
                    }
                }
            }
        }
    };
    let page = sh.page(&title, Nav::Invoices, body);
    Ok((status_code(errors), page).into_response())
}

async fn save(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManagePayments).await?;
    match inv::update(&s.invoices, &a, &id, &draft_of(&f)).await {
        Ok(_) => Ok(Redirect::to(&format!("/w/{w}/invoices/{id}")).into_response()),
        Err(e) => {
            let issued = e.code == "invoice_issued";
            let (_, errors) = refusal(e)?;
            render_one(&s, &u, &a, &id, (!issued).then_some(&f), &errors).await
        }
    }
}

async fn issue(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManagePayments).await?;
    let input = IssueInput {
        issue_date: Some(field(&f, "issue_date").to_string()).filter(|d| !d.is_empty()),
        send: Some(field(&f, "send") == "yes"),
    };
    match inv::issue(&s.invoices, &a, &id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/w/{w}/invoices/{id}")).into_response()),
        Err(e) => {
            let (_, errors) = refusal(e)?;
            render_one(&s, &u, &a, &id, None, &errors).await
        }
    }
}

async fn remove(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManagePayments).await?;
    match inv::delete(&s.invoices, &a, &id).await {
        Ok(()) => Ok(Redirect::to(&format!("/w/{w}/invoices")).into_response()),
        Err(e) => {
            let (_, errors) = refusal(e)?;
            render_one(&s, &u, &a, &id, None, &errors).await
        }
    }
}

async fn credit(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManagePayments).await?;
    let input = CreditInput { reason: Some(field(&f, "reason").to_string()), lines: None, send: None };
    match inv::credit(&s.invoices, &a, &id, &input).await {
        Ok(cn) => Ok(Redirect::to(&format!("/w/{w}/invoices/{}", cn.id)).into_response()),
        Err(e) => {
            let (_, errors) = refusal(e)?;
            render_one(&s, &u, &a, &id, None, &errors).await
        }
    }
}

async fn send(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManagePayments).await?;
    match inv::send(&s.invoices, &a, &id).await {
        Ok(_) => Ok(Redirect::to(&format!("/w/{w}/invoices/{id}?sent=1")).into_response()),
        Err(e) => {
            let (_, errors) = refusal(e)?;
            render_one(&s, &u, &a, &id, None, &errors).await
        }
    }
}

async fn pdf(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ViewPayments).await?;
    let (i, lines) = inv::get(&s.invoices, &a, &id).await.map_err(WebError::page)?;
    let bytes = pdf_of(&s, &i, &lines).await.map_err(WebError::page)?;
    Ok(file_response(bytes, "application/pdf", &pdf_name(&i), true))
}

// ---- the profile ----

async fn settings(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManagePayments).await?;
    let f = match inv::profile(&s.invoices, &a).await.map_err(WebError::page)? {
        Some(p) => {
            let mut f = Fields::new();
            f.insert("legal_name".into(), p.legal_name.clone());
            f.insert("tax_id".into(), p.tax_id.clone());
            f.insert("series".into(), p.series.clone());
            f.insert("credit_series".into(), p.credit_series.clone());
            f.insert("tax_rates".into(), p.rates().into_iter().map(percent_text).collect::<Vec<_>>().join(", "));
            if p.auto_issue {
                f.insert("auto_issue".into(), "yes".into());
            }
            f.insert("footer".into(), p.footer.clone().unwrap_or_default());
            f
        }
        None => {
            let mut f = Fields::new();
            f.insert("credit_series".into(), "R".into());
            f.insert("tax_rates".into(), "21, 10, 4, 0".into());
            f
        }
    };
    render_settings(&s, &u, &a, &f, &FormErrors::default()).await
}

async fn render_settings(
    s: &AppState,
    u: &SignedIn,
    a: &WorkspaceAccess,
    f: &Fields,
    errors: &FormErrors,
) -> Result<Response, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let w = a.workspace.id.as_str();
    let err = |k: &str| errors.of(k).map(str::to_string);
    let page = sh.page(
        &t!("invoice-settings-title"),
        Nav::InvoiceSettings,
        html! {
            p.muted { (t!("invoice-settings-intro")) " " a href={ "/w/" (w) "/settings/profile" } { (t!("invoice-business-profile")) } }
            form #invoice-profile method="post" action={ "/w/" (w) "/settings/invoices" } novalidate {
                (all(errors))
                div.form-row { label for="ip-legal" { (t!("invoice-legal-name")) } input #ip-legal name="legal_name" required maxlength="200" value=(field(f, "legal_name")); @if let Some(m) = err("legal_name") { p.error { (m) } } }
                div.form-row { label for="ip-tax" { (t!("invoice-tax-id")) } input #ip-tax name="tax_id" required maxlength="40" value=(field(f, "tax_id")); @if let Some(m) = err("tax_id") { p.error { (m) } } }
                div.form-row { label for="ip-series" { (t!("invoice-series")) } input #ip-series name="series" maxlength="10" value=(field(f, "series")); p.muted.small { (t!("invoice-series-help")) } @if let Some(m) = err("series") { p.error { (m) } } }
                div.form-row { label for="ip-credit" { (t!("invoice-credit-series")) } input #ip-credit name="credit_series" maxlength="10" value=(field(f, "credit_series")); @if let Some(m) = err("credit_series") { p.error { (m) } } }
                div.form-row { label for="ip-rates" { (t!("invoice-tax-rates")) } input #ip-rates name="tax_rates" required value=(field(f, "tax_rates")); p.muted.small { (t!("invoice-tax-rates-help")) } @if let Some(m) = err("tax_rates") { p.error { (m) } } }
                div.form-row { label { input type="checkbox" name="auto_issue" value="yes" checked[field(f, "auto_issue") == "yes"]; " " (t!("invoice-auto-issue")) } }
                div.form-row { label for="ip-footer" { (t!("invoice-footer")) } textarea #ip-footer name="footer" rows="2" maxlength="500" { (field(f, "footer")) } }
                button type="submit" { (t!("invoice-save-profile")) }
            }
        },
    );
    Ok((status_code(errors), page).into_response())
}

async fn save_settings(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManagePayments).await?;
    let input = InvoiceProfileInput {
        legal_name: field(&f, "legal_name").into(),
        tax_id: field(&f, "tax_id").into(),
        series: field(&f, "series").into(),
        credit_series: Some(field(&f, "credit_series").to_string()).filter(|s| !s.is_empty()),
        tax_rates: field(&f, "tax_rates")
            .split([',', ';', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        auto_issue: field(&f, "auto_issue") == "yes",
        footer: Some(field(&f, "footer").to_string()),
    };
    match inv::set_profile(&s.invoices, &a, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/w/{w}/invoices")).into_response()),
        Err(e) => {
            let (_, errors) = refusal(e)?;
            render_settings(&s, &u, &a, &f, &errors).await
        }
    }
}
