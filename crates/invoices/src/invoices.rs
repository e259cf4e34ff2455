//! Invoices and credit notes: the profile, drafts, issuing (the number, the date check and the
//! hash chain in the issuing transaction), credit notes, reading, the public link, the PDF and
//! the mail to the customer.

use crate::money;
use crate::repo::{self as q, Invoice, Line, Profile};
use crate::Invoices;
use frontdesk_core::money::{Currency, Money};
use frontdesk_core::role::allows;
use frontdesk_core::{Action, ContactId, InvoiceId, InvoiceLineId, WorkspaceId};
use frontdesk_i18n::{tl, Lang};
use frontdesk_platform::audit::{self, Actor};
use frontdesk_platform::error::{AppError, AppResult, ErrorKind};
use frontdesk_platform::mail::{self, Attachment, Mail};
use frontdesk_platform::workspaces::Access;
use frontdesk_platform::{signed_link, Platform};
use frontdesk_store::{row, Conn};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The purpose of an invoice's public link.
pub const LINK: &str = "invoice";

pub(crate) fn bad(field: &'static str, code: &'static str, message: &str) -> AppError {
    AppError::invalid(field, code, message)
}

pub(crate) fn conflict(code: &'static str, message: &str) -> AppError {
    AppError::new(ErrorKind::Conflict, code, message)
}

pub(crate) fn not_found() -> AppError {
    AppError::not_found("The invoice")
}

fn may_issue(access: &Access) -> AppResult<()> {
    if !allows(access.role, Action::ManagePayments) {
        return Err(AppError::forbidden("Only owners and admins write and issue invoices."));
    }
    Ok(())
}

fn may_view(access: &Access) -> AppResult<()> {
    if !allows(access.role, Action::ViewPayments) {
        return Err(AppError::forbidden("You cannot see invoices in this workspace."));
    }
    Ok(())
}

fn clean(s: Option<&str>, field: &'static str, max: usize) -> AppResult<Option<String>> {
    let s = s.map(|s| frontdesk_core::text::scrub_nul(s.trim()).into_owned()).filter(|s| !s.is_empty());
    if s.as_ref().is_some_and(|s| s.chars().count() > max) {
        return Err(bad(field, "too_long", &format!("Write at most {max} characters.")));
    }
    Ok(s)
}

// ---- the profile ----

#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct InvoiceProfileInput {
    /// The business's legal name, as it must appear on invoices.
    pub legal_name: String,
    /// Its tax id (NIF, VAT number).
    pub tax_id: String,
    /// The invoices' series: letters and digits before the year (empty: `2027-0001`).
    #[serde(default)]
    pub series: String,
    /// The credit notes' series (default `R`: `R2027-0001`).
    #[serde(default)]
    pub credit_series: Option<String>,
    /// Tax rates as percentages (`"21"`, `"10"`, `"4"`, `"0"`), the default first.
    pub tax_rates: Vec<String>,
    /// Issue an invoice for every payment paid from now on (and a credit note for its refunds).
    #[serde(default)]
    pub auto_issue: bool,
    /// Printed at the foot of every invoice (payment terms, a legal mention).
    #[serde(default)]
    pub footer: Option<String>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct InvoiceProfileOut {
    pub legal_name: String,
    pub tax_id: String,
    pub series: String,
    pub credit_series: String,
    pub tax_rates: Vec<String>,
    pub auto_issue: bool,
    pub footer: Option<String>,
    /// From the business profile (one source): the address printed on invoices.
    pub address: Option<String>,
    /// From the business profile: the time zone of the issue date and its numbering year.
    pub time_zone: String,
}

fn series_of(s: &str, field: &'static str) -> AppResult<String> {
    let s = s.trim().to_ascii_uppercase();
    if s.len() > 10
        || !s.chars().all(|c| c.is_ascii_alphanumeric())
        || s.chars().next().is_some_and(|c| c.is_ascii_digit())
    {
        return Err(bad(field, "invalid_series", "A series is up to 10 letters and digits, starting with a letter."));
    }
    Ok(s)
}

pub async fn profile_out(x: &Invoices, c: &mut Conn, ws: &WorkspaceId, p: &Profile) -> AppResult<InvoiceProfileOut> {
    let bp = frontdesk_platform::profile::of(c, ws).await?;
    let _ = x;
    Ok(InvoiceProfileOut {
        legal_name: p.legal_name.clone(),
        tax_id: p.tax_id.clone(),
        series: p.series.clone(),
        credit_series: p.credit_series.clone(),
        tax_rates: p.rates().into_iter().map(money::percent_text).collect(),
        auto_issue: p.auto_issue,
        footer: p.footer.clone(),
        address: bp.address,
        time_zone: bp.time_zone,
    })
}

pub async fn profile(x: &Invoices, access: &Access) -> AppResult<Option<Profile>> {
    may_view(access)?;
    let mut c = x.db.conn().await?;
    Ok(q::profile(&mut c, &access.workspace.id).await?)
}

pub async fn set_profile(x: &Invoices, access: &Access, i: &InvoiceProfileInput) -> AppResult<Profile> {
    may_issue(access)?;
    let legal_name = clean(Some(&i.legal_name), "legal_name", 200)?
        .ok_or_else(|| bad("legal_name", "legal_name_required", "Write the business's legal name."))?;
    let tax_id = clean(Some(&i.tax_id), "tax_id", 40)?
        .ok_or_else(|| bad("tax_id", "tax_id_required", "Write the business's tax id."))?;
    let series = series_of(&i.series, "series")?;
    let credit_series = series_of(i.credit_series.as_deref().unwrap_or("R"), "credit_series")?;
    if credit_series == series {
        return Err(bad("credit_series", "same_series", "Credit notes need a series of their own."));
    }
    let mut rates = vec![];
    for r in &i.tax_rates {
        let bp = money::parse_percent(r)
            .ok_or_else(|| bad("tax_rates", "invalid_tax_rate", "A tax rate is a percentage from 0 to 100."))?;
        if !rates.contains(&bp) {
            rates.push(bp);
        }
    }
    if rates.is_empty() || rates.len() > 8 {
        return Err(bad("tax_rates", "tax_rates_required", "Give one to eight tax rates, the default first."));
    }
    let footer = clean(i.footer.as_deref(), "footer", 500)?;
    let ws = &access.workspace.id;
    let now = x.now().0;
    let mut tx = x.db.begin().await?;
    let before = q::profile(&mut tx, ws).await?;
    let auto_since = match (&before, i.auto_issue) {
        (Some(b), true) if b.auto_issue => b.auto_since,
        (_, true) => Some(now),
        (_, false) => None,
    };
    let p = Profile {
        workspace_id: ws.to_string(),
        legal_name,
        tax_id,
        series,
        credit_series,
        tax_rates: rates.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(","),
        auto_issue: i.auto_issue,
        auto_since,
        footer,
        updated_at: now,
    };
    row::execute(&mut tx, "DELETE FROM invoice_profiles WHERE workspace_id = $1", ws).await?;
    row::insert(&mut tx, &p).await?;
    audit::record(x.as_ref(), &mut tx, ws.as_str(), &access.actor, "invoice.profile", None, "ok").await?;
    tx.commit().await?;
    Ok(p)
}

// ---- drafts ----

/// A line ready to store: (description, quantity in thousandths, unit price, discount and rate
/// in basis points, its (base, tax, total)).
pub(crate) type NewLine = (String, i64, i64, i64, i64, (i64, i64, i64));

#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct LineInput {
    pub description: String,
    /// A decimal quantity (`1`, `1.5`); default 1.
    #[serde(default)]
    pub quantity: Option<String>,
    /// The unit price, tax included (`"25.00"`).
    pub unit_price: String,
    /// A discount percentage (`"10"`).
    #[serde(default)]
    pub discount: Option<String>,
    /// One of the profile's tax rates (`"21"`); default: the profile's first.
    #[serde(default)]
    pub tax_rate: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct DraftInput {
    /// The customer (their name, email, phone and tax details fill what is not given).
    #[serde(default)]
    pub contact_id: Option<String>,
    #[serde(default)]
    pub buyer_name: Option<String>,
    #[serde(default)]
    pub buyer_tax_id: Option<String>,
    #[serde(default)]
    pub buyer_address: Option<String>,
    #[serde(default)]
    pub buyer_email: Option<String>,
    #[serde(default)]
    pub buyer_phone: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    /// `en` or `es` (default: the customer's, else the business's).
    #[serde(default)]
    pub lang: Option<String>,
    pub lines: Vec<LineInput>,
}

/// Checks and works out the lines (negative quantities only on credit notes).
pub(crate) fn lines_of(p: &Profile, currency: Currency, inputs: &[LineInput], credit: bool) -> AppResult<Vec<NewLine>> {
    if inputs.is_empty() || inputs.len() > 200 {
        return Err(bad("lines", "lines_required", "Give one to 200 lines."));
    }
    let rates = p.rates();
    let mut out = vec![];
    for l in inputs {
        let description = clean(Some(&l.description), "lines", 500)?
            .ok_or_else(|| bad("lines", "line_description_required", "Every line needs a description."))?;
        let quantity = match l.quantity.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => 1000,
            Some(s) => money::parse_quantity(s)
                .ok_or_else(|| bad("lines", "invalid_quantity", "A quantity is a number with up to 3 decimals."))?,
        };
        if quantity == 0 || quantity.abs() > 1_000_000_000 {
            return Err(bad("lines", "invalid_quantity", "A quantity is a number with up to 3 decimals."));
        }
        if quantity < 0 && !credit {
            return Err(bad(
                "lines",
                "negative_quantity",
                "An invoice's quantities are positive; a correction is a credit note.",
            ));
        }
        let price = Money::parse(l.unit_price.trim(), currency)
            .map_err(|_| bad("lines", "invalid_unit_price", "A unit price is an amount like 25.00."))?
            .minor();
        if !(0..=100_000_000_000).contains(&price) {
            return Err(bad("lines", "invalid_unit_price", "A unit price is an amount like 25.00."));
        }
        let discount = match l.discount.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => 0,
            Some(s) => money::parse_percent(s)
                .ok_or_else(|| bad("lines", "invalid_discount", "A discount is a percentage from 0 to 100."))?,
        };
        let rate = match l.tax_rate.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => rates.first().copied().unwrap_or(0),
            Some(s) => money::parse_percent(s)
                .filter(|r| rates.contains(r))
                .ok_or_else(|| bad("lines", "unknown_tax_rate", "Use one of the tax rates of the invoice profile."))?,
        };
        let amounts = money::line(quantity, price, discount, rate)
            .ok_or_else(|| bad("lines", "invalid_unit_price", "A unit price is an amount like 25.00."))?;
        out.push((description, quantity, price, discount, rate, amounts));
    }
    Ok(out)
}

pub(crate) async fn need_profile(c: &mut Conn, ws: &WorkspaceId) -> AppResult<Profile> {
    q::profile(c, ws).await?.ok_or_else(|| {
        conflict("no_invoice_profile", "Set up the invoice profile first (legal name, tax id, tax rates).")
    })
}

async fn write_lines(c: &mut Conn, inv: &Invoice, lines: &[NewLine]) -> AppResult<i64> {
    row::execute(
        &mut *c,
        "DELETE FROM invoice_lines WHERE workspace_id = $1 AND invoice_id = $2",
        (&inv.workspace_id, &inv.id),
    )
    .await?;
    let mut total = 0i64;
    for (n, (description, quantity, price, discount, rate, (base, tax, line_total))) in lines.iter().enumerate() {
        let l = Line {
            id: InvoiceLineId::new(),
            invoice_id: inv.id.clone(),
            workspace_id: inv.workspace_id.clone(),
            position: n as i64,
            description: description.clone(),
            quantity_milli: *quantity,
            unit_price: *price,
            discount_bp: *discount,
            tax_rate_bp: *rate,
            base: *base,
            tax: *tax,
            total: *line_total,
        };
        row::insert(&mut *c, &l).await?;
        total = total.saturating_add(*line_total);
    }
    Ok(total)
}

/// The buyer's fields: what was given, else the contact's.
async fn buyer(c: &mut Conn, ws: &WorkspaceId, i: &DraftInput, inv: &mut Invoice) -> AppResult<()> {
    inv.contact_id = None;
    if let Some(id) = i.contact_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let cid = ContactId::parse(id).ok_or_else(|| bad("contact_id", "unknown_contact", "No such contact."))?;
        let k = frontdesk_inbox::repo::inbox::contact(c, ws, &cid)
            .await?
            .filter(|k| k.erased_at.is_none())
            .ok_or_else(|| bad("contact_id", "unknown_contact", "No such contact."))?;
        let (tax_id, address) = tax_details(c, ws, &cid).await?;
        inv.contact_id = Some(cid.to_string());
        inv.buyer_name = k.name.clone();
        inv.buyer_email = k.email.clone();
        inv.buyer_phone = k.phone.clone();
        inv.buyer_tax_id = tax_id;
        inv.buyer_address = address;
        if i.lang.is_none() {
            if let Some(l) = k.language.as_deref().and_then(Lang::parse) {
                inv.lang = l.code().to_string();
            }
        }
    }
    let pick = |given: &Option<String>, field, max, had: &mut Option<String>| -> AppResult<()> {
        if let Some(v) = clean(given.as_deref(), field, max)? {
            *had = Some(v);
        }
        Ok(())
    };
    pick(&i.buyer_name, "buyer_name", 200, &mut inv.buyer_name)?;
    pick(&i.buyer_tax_id, "buyer_tax_id", 40, &mut inv.buyer_tax_id)?;
    pick(&i.buyer_address, "buyer_address", 500, &mut inv.buyer_address)?;
    pick(&i.buyer_phone, "buyer_phone", 40, &mut inv.buyer_phone)?;
    if let Some(e) = clean(i.buyer_email.as_deref(), "buyer_email", 254)? {
        if !e.contains('@') || e.contains(char::is_whitespace) {
            return Err(bad("buyer_email", "invalid_email", "Enter an email address like name@example.com."));
        }
        inv.buyer_email = Some(e.to_lowercase());
    }
    inv.notes = clean(i.notes.as_deref(), "notes", 2000)?;
    if let Some(l) = i.lang.as_deref() {
        inv.lang = Lang::parse(l)
            .ok_or_else(|| bad("lang", "invalid_language", "Choose English or Spanish."))?
            .code()
            .to_string();
    }
    Ok(())
}

/// The contact's tax id and billing address.
pub async fn tax_details(
    c: &mut Conn,
    ws: &WorkspaceId,
    id: &ContactId,
) -> AppResult<(Option<String>, Option<String>)> {
    let r = row::all_with(
        c,
        "SELECT tax_id, billing_address FROM contacts WHERE workspace_id = $1 AND id = $2",
        (ws, id.as_str()),
        |r| Ok((row::opt_str(r, "tax_id"), row::opt_str(r, "billing_address"))),
    )
    .await?;
    Ok(r.into_iter().next().unwrap_or((None, None)))
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct TaxDetails {
    #[serde(default)]
    pub tax_id: Option<String>,
    #[serde(default)]
    pub billing_address: Option<String>,
}

/// Sets a contact's tax details (used on their next invoices).
pub async fn set_tax_details(x: &Invoices, access: &Access, id: &str, i: &TaxDetails) -> AppResult<TaxDetails> {
    may_issue(access)?;
    let ws = &access.workspace.id;
    let cid = ContactId::parse(id).ok_or_else(|| AppError::not_found("The contact"))?;
    let tax_id = clean(i.tax_id.as_deref(), "tax_id", 40)?;
    let billing_address = clean(i.billing_address.as_deref(), "billing_address", 500)?;
    let mut c = x.db.conn().await?;
    let n = row::changed(
        &mut c,
        "UPDATE contacts SET tax_id = $1, billing_address = $2 WHERE workspace_id = $3 AND id = $4 AND erased_at IS NULL",
        (tax_id.as_deref(), billing_address.as_deref(), ws, cid.as_str()),
    )
    .await?;
    if n == 0 {
        return Err(AppError::not_found("The contact"));
    }
    Ok(TaxDetails { tax_id, billing_address })
}

fn blank(ws: &WorkspaceId, kind: &str, series: &str, currency: &str, lang: &str, now: i64) -> Invoice {
    Invoice {
        id: InvoiceId::new(),
        workspace_id: ws.clone(),
        kind: kind.into(),
        status: "draft".into(),
        series: series.into(),
        number: None,
        number_text: None,
        issue_date: None,
        currency: currency.into(),
        lang: lang.into(),
        contact_id: None,
        buyer_name: None,
        buyer_tax_id: None,
        buyer_address: None,
        buyer_email: None,
        buyer_phone: None,
        notes: None,
        seller: None,
        payment_id: None,
        refund_id: None,
        corrects_id: None,
        total: 0,
        prev_hash: None,
        created_at: now,
        updated_at: now,
    }
}

async fn business_lang(c: &mut Conn, ws: &WorkspaceId) -> AppResult<String> {
    let p = frontdesk_platform::profile::of(c, ws).await?;
    Ok(p.languages.first().and_then(|l| Lang::parse(l)).unwrap_or(Lang::En).code().to_string())
}

/// A new draft invoice (owners and admins).
pub async fn create(x: &Invoices, access: &Access, i: &DraftInput) -> AppResult<Invoice> {
    may_issue(access)?;
    let ws = &access.workspace.id;
    let mut tx = x.db.begin().await?;
    let p = need_profile(&mut tx, ws).await?;
    let currency = frontdesk_billing::pay::workspace_currency(&mut tx, ws).await?;
    let cur = frontdesk_bookings::catalog::currency_of(&currency);
    let lines = lines_of(&p, cur, &i.lines, false)?;
    let lang = business_lang(&mut tx, ws).await?;
    let mut inv = blank(ws, "invoice", &p.series, &currency, &lang, x.now().0);
    buyer(&mut tx, ws, i, &mut inv).await?;
    row::insert(&mut tx, &inv).await?;
    inv.total = write_lines(&mut tx, &inv, &lines).await?;
    row::execute(&mut tx, "UPDATE invoices SET total = $1 WHERE id = $2", (inv.total, &inv.id)).await?;
    audit::record(
        x.as_ref(),
        &mut tx,
        ws.as_str(),
        &access.actor,
        "invoice.draft",
        Some(("invoice", inv.id.as_str())),
        "ok",
    )
    .await?;
    tx.commit().await?;
    Ok(inv)
}

fn parse_id(id: &str) -> AppResult<InvoiceId> {
    InvoiceId::parse(id).ok_or_else(not_found)
}

fn issued_error() -> AppError {
    conflict("invoice_issued", "An issued invoice cannot change; correct it with a credit note.")
}

/// Replaces a draft's buyer, notes and lines.
pub async fn update(x: &Invoices, access: &Access, id: &str, i: &DraftInput) -> AppResult<Invoice> {
    may_issue(access)?;
    let ws = &access.workspace.id;
    let id = parse_id(id)?;
    let mut tx = x.db.begin().await?;
    let mut inv = q::invoice(&mut tx, ws, &id).await?.ok_or_else(not_found)?;
    if inv.status != "draft" {
        return Err(issued_error());
    }
    let p = need_profile(&mut tx, ws).await?;
    let cur = frontdesk_bookings::catalog::currency_of(&inv.currency);
    let lines = lines_of(&p, cur, &i.lines, inv.kind == "credit_note")?;
    buyer(&mut tx, ws, i, &mut inv).await?;
    inv.total = write_lines(&mut tx, &inv, &lines).await?;
    inv.updated_at = x.now().0.max(inv.updated_at + 1);
    row::execute(
        &mut tx,
        "UPDATE invoices SET contact_id = $1, buyer_name = $2, buyer_tax_id = $3, buyer_address = $4, buyer_email = $5, \
         buyer_phone = $6, notes = $7, lang = $8, total = $9, updated_at = $10 WHERE id = $11 AND status = 'draft'",
        (
            &inv.contact_id,
            &inv.buyer_name,
            &inv.buyer_tax_id,
            &inv.buyer_address,
            &inv.buyer_email,
            &inv.buyer_phone,
            &inv.notes,
            &inv.lang,
            inv.total,
            inv.updated_at,
            &inv.id,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(inv)
}

/// Deletes a draft (an issued invoice is never deleted).
pub async fn delete(x: &Invoices, access: &Access, id: &str) -> AppResult<()> {
    may_issue(access)?;
    let ws = &access.workspace.id;
    let id = parse_id(id)?;
    let mut tx = x.db.begin().await?;
    let inv = q::invoice(&mut tx, ws, &id).await?.ok_or_else(not_found)?;
    if inv.status != "draft" {
        return Err(issued_error());
    }
    row::execute(&mut tx, "DELETE FROM invoice_lines WHERE workspace_id = $1 AND invoice_id = $2", (ws, &id)).await?;
    row::execute(&mut tx, "DELETE FROM invoices WHERE workspace_id = $1 AND id = $2 AND status = 'draft'", (ws, &id))
        .await?;
    tx.commit().await?;
    Ok(())
}

// ---- issuing ----

#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct IssueInput {
    /// `YYYY-MM-DD` (default: today in the business's time zone); never before the series'
    /// last issue date, never in the future.
    #[serde(default)]
    pub issue_date: Option<String>,
    /// Email it to the customer (default: yes, when there is an address).
    #[serde(default)]
    pub send: Option<bool>,
}

/// The hash of an issued invoice: SHA-256 over the previous one's hash and what the invoice
/// says (number, date, parties, lines, total).
pub fn hash(inv: &Invoice, lines: &[Line]) -> String {
    let mut h = Sha256::new();
    let mut put = |s: &str| {
        h.update(s.as_bytes());
        h.update([0x1f]);
    };
    put(inv.prev_hash.as_deref().unwrap_or(""));
    put(inv.workspace_id.as_str());
    put(&inv.kind);
    put(inv.number_text.as_deref().unwrap_or(""));
    put(inv.issue_date.as_deref().unwrap_or(""));
    put(inv.seller.as_deref().unwrap_or(""));
    put(inv.buyer_name.as_deref().unwrap_or(""));
    put(inv.buyer_tax_id.as_deref().unwrap_or(""));
    put(&inv.currency);
    put(&inv.total.to_string());
    put(inv.corrects_id.as_deref().unwrap_or(""));
    for l in lines {
        put(&format!(
            "{}|{}|{}|{}|{}|{}|{}|{}",
            l.description, l.quantity_milli, l.unit_price, l.discount_bp, l.tax_rate_bp, l.base, l.tax, l.total
        ));
    }
    hex::encode(h.finalize())
}

fn valid_date(s: &str) -> Option<String> {
    let d: jiff::civil::Date = s.trim().parse().ok()?;
    Some(d.to_string())
}

/// Issues a draft inside `tx`: the series' counter row is locked, the date checked against the
/// series' last and today, the next number taken (1 again in a new year), the seller frozen,
/// the hash chained. The caller commits (a rollback gives the number back: no gap).
pub(crate) async fn issue_in(
    x: &Invoices,
    tx: &mut Conn,
    ws: &WorkspaceId,
    id: &InvoiceId,
    date: Option<&str>,
    actor: &Actor,
) -> AppResult<Invoice> {
    let mut inv = q::invoice(tx, ws, id).await?.ok_or_else(not_found)?;
    if inv.status != "draft" {
        return Err(issued_error());
    }
    let p = need_profile(tx, ws).await?;
    let bp = frontdesk_platform::profile::of(tx, ws).await?;
    let today = frontdesk_core::hours::local_date(&bp.time_zone, x.now().0)
        .or_else(|| frontdesk_core::hours::local_date("UTC", x.now().0))
        .ok_or_else(AppError::internal)?;
    let date = match date.map(str::trim).filter(|s| !s.is_empty()) {
        None => today.clone(),
        Some(d) => valid_date(d).ok_or_else(|| bad("issue_date", "invalid_date", "Write the date as YYYY-MM-DD."))?,
    };
    if date > today {
        return Err(bad("issue_date", "issue_date_in_future", "An invoice cannot be dated in the future."));
    }
    let year: i64 = date.get(..4).and_then(|y| y.parse().ok()).ok_or_else(AppError::internal)?;
    x.db.lock_stream(tx, &format!("invoice_series:{ws}:{}", inv.series)).await?;
    row::execute(
        &mut *tx,
        "INSERT INTO invoice_series (workspace_id, series, year, last_number) VALUES ($1, $2, $3, 0) \
         ON CONFLICT (workspace_id, series) DO NOTHING",
        (ws, &inv.series, year),
    )
    .await?;
    let (last_year, last_number, last_date, last_hash): (i64, i64, Option<String>, Option<String>) = row::all_with(
        &mut *tx,
        "SELECT year, last_number, last_date, last_hash FROM invoice_series WHERE workspace_id = $1 AND series = $2",
        (ws, &inv.series),
        |r| {
            Ok((
                row::FromColumn::from_column(r, "year")?,
                row::FromColumn::from_column(r, "last_number")?,
                row::opt_str(r, "last_date"),
                row::opt_str(r, "last_hash"),
            ))
        },
    )
    .await?
    .into_iter()
    .next()
    .ok_or_else(AppError::internal)?;
    if last_date.as_ref().is_some_and(|d| date < *d) {
        return Err(bad(
            "issue_date",
            "date_before_last",
            "This series' last invoice has a later date; an invoice cannot be dated before it.",
        ));
    }
    let number = if year == last_year { last_number + 1 } else { 1 };
    let seller = serde_json::json!({ "legal_name": p.legal_name, "tax_id": p.tax_id, "address": bp.address });
    inv.status = "issued".into();
    inv.number = Some(number);
    inv.number_text = Some(format!("{}{year}-{number:04}", inv.series));
    inv.issue_date = Some(date.clone());
    inv.seller = Some(seller.to_string());
    inv.prev_hash = last_hash;
    inv.updated_at = x.now().0.max(inv.updated_at + 1);
    let lines = q::lines(tx, ws, id).await?;
    inv.total = lines.iter().map(|l| l.total).sum();
    let h = hash(&inv, &lines);
    let changed = row::changed(
        &mut *tx,
        "UPDATE invoices SET status = 'issued', number = $1, number_text = $2, issue_date = $3, seller = $4, \
         prev_hash = $5, total = $6, updated_at = $7 WHERE workspace_id = $8 AND id = $9 AND status = 'draft'",
        (number, &inv.number_text, &inv.issue_date, &inv.seller, &inv.prev_hash, inv.total, inv.updated_at, ws, id),
    )
    .await?;
    if changed != 1 {
        return Err(issued_error());
    }
    row::execute(
        &mut *tx,
        "UPDATE invoice_series SET year = $1, last_number = $2, last_date = $3, last_hash = $4 \
         WHERE workspace_id = $5 AND series = $6",
        (year, number, &date, &h, ws, &inv.series),
    )
    .await?;
    let what = if inv.kind == "credit_note" { "credit_note.issue" } else { "invoice.issue" };
    audit::record(x.as_ref(), tx, ws.as_str(), actor, what, Some(("invoice", inv.id.as_str())), "ok").await?;
    Ok(inv)
}

/// Issues a draft (owners and admins), and emails it to the customer unless told not to.
pub async fn issue(x: &Invoices, access: &Access, id: &str, i: &IssueInput) -> AppResult<Invoice> {
    may_issue(access)?;
    let ws = &access.workspace.id;
    let id = parse_id(id)?;
    let mut tx = x.db.begin().await?;
    let inv = issue_in(x, &mut tx, ws, &id, i.issue_date.as_deref(), &access.actor).await?;
    if i.send.unwrap_or(true) {
        send_in(x, &mut tx, &inv).await?;
    }
    tx.commit().await?;
    Ok(inv)
}

/// Queues the mail with the PDF and the public link to the buyer (when there is an address).
pub(crate) async fn send_in(x: &Invoices, c: &mut Conn, inv: &Invoice) -> AppResult<bool> {
    let Some(to) = inv.buyer_email.clone() else { return Ok(false) };
    let p: &Platform = x.as_ref();
    let lines = q::lines(c, &inv.workspace_id, &inv.id).await?;
    let pdf = crate::layout::pdf(x, c, inv, &lines).await?;
    let lang = Lang::parse(&inv.lang).unwrap_or(Lang::En);
    let business =
        frontdesk_platform::repo::workspaces::by_id(c, &inv.workspace_id).await?.map(|w| w.name).unwrap_or_default();
    let number = inv.number_text.clone().unwrap_or_default();
    let total = lang.money(Money::new(inv.total, frontdesk_bookings::catalog::currency_of(&inv.currency)));
    let kind = if inv.kind == "credit_note" { "credit" } else { "invoice" };
    let mail = Mail {
        to,
        subject: tl!(lang, "invoice-mail-subject", kind = kind, number = number.as_str(), business = business.as_str()),
        text: tl!(
            lang,
            "invoice-mail-body",
            kind = kind,
            number = number.as_str(),
            business = business.as_str(),
            total = total,
            link = url(p, inv)
        ),
        from_name: Some(tl!(lang, "invoice-mail-from", business = business.as_str())),
        attachments: vec![Attachment::new(&format!("{number}.pdf"), "application/pdf", &pdf)],
        ..Default::default()
    };
    mail::enqueue(p, c, &mail).await?;
    Ok(true)
}

/// Sends an issued invoice again.
pub async fn send(x: &Invoices, access: &Access, id: &str) -> AppResult<Invoice> {
    may_issue(access)?;
    let ws = &access.workspace.id;
    let id = parse_id(id)?;
    let mut tx = x.db.begin().await?;
    let inv = q::invoice(&mut tx, ws, &id).await?.ok_or_else(not_found)?;
    if inv.status != "issued" {
        return Err(conflict("invoice_not_issued", "Issue the invoice before sending it."));
    }
    if !send_in(x, &mut tx, &inv).await? {
        return Err(bad("buyer_email", "no_buyer_email", "This invoice has no email address to send it to."));
    }
    audit::record(
        x.as_ref(),
        &mut tx,
        ws.as_str(),
        &access.actor,
        "invoice.send",
        Some(("invoice", inv.id.as_str())),
        "ok",
    )
    .await?;
    tx.commit().await?;
    Ok(inv)
}

// ---- credit notes ----

#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct CreditInput {
    /// Why the invoice is corrected (printed on the credit note).
    #[serde(default)]
    pub reason: Option<String>,
    /// What is credited, as positive quantities (default: every line of the invoice).
    #[serde(default)]
    pub lines: Option<Vec<LineInput>>,
    #[serde(default)]
    pub send: Option<bool>,
}

/// What is still creditable on an invoice (its total less its credit notes').
async fn creditable(c: &mut Conn, inv: &Invoice) -> AppResult<i64> {
    let credited: i64 = row::scalar(
        c,
        "SELECT CAST(COALESCE(SUM(total), 0) AS BIGINT) FROM invoices WHERE workspace_id = $1 AND corrects_id = $2 AND kind = 'credit_note'",
        (&inv.workspace_id, inv.id.as_str()),
    )
    .await?;
    Ok(inv.total + credited)
}

/// Makes and issues, in one transaction, a credit note correcting an issued invoice: in its own
/// series, naming the invoice, its lines negative; never more than what is left to credit.
pub(crate) async fn credit_in(
    x: &Invoices,
    tx: &mut Conn,
    original: &Invoice,
    lines: Vec<NewLine>,
    reason: Option<String>,
    refund: Option<&str>,
    actor: &Actor,
) -> AppResult<Invoice> {
    let ws = &original.workspace_id;
    let p = need_profile(tx, ws).await?;
    let left = creditable(tx, original).await?;
    let sum: i64 = lines.iter().map(|l| l.5 .2).sum();
    if -sum > left {
        return Err(bad(
            "lines",
            "credit_exceeds_invoice",
            "A credit note cannot credit more than is left on its invoice.",
        ));
    }
    let mut cn = blank(ws, "credit_note", &p.credit_series, &original.currency, &original.lang, x.now().0);
    cn.contact_id = original.contact_id.clone();
    cn.buyer_name = original.buyer_name.clone();
    cn.buyer_tax_id = original.buyer_tax_id.clone();
    cn.buyer_address = original.buyer_address.clone();
    cn.buyer_email = original.buyer_email.clone();
    cn.buyer_phone = original.buyer_phone.clone();
    cn.notes = reason;
    cn.corrects_id = Some(original.id.to_string());
    cn.refund_id = refund.map(str::to_string);
    row::insert(&mut *tx, &cn).await?;
    write_lines(tx, &cn, &lines).await?;
    issue_in(x, tx, ws, &cn.id, None, actor).await
}

pub async fn credit(x: &Invoices, access: &Access, id: &str, i: &CreditInput) -> AppResult<Invoice> {
    may_issue(access)?;
    let ws = &access.workspace.id;
    let id = parse_id(id)?;
    let reason = clean(i.reason.as_deref(), "reason", 500)?;
    let mut tx = x.db.begin().await?;
    let inv = q::invoice(&mut tx, ws, &id).await?.ok_or_else(not_found)?;
    if inv.status != "issued" || inv.kind != "invoice" {
        return Err(conflict("not_creditable", "Only an issued invoice can be corrected by a credit note."));
    }
    let p = need_profile(&mut tx, ws).await?;
    let lines = match &i.lines {
        Some(given) => {
            let cur = frontdesk_bookings::catalog::currency_of(&inv.currency);
            let mut ls = lines_of(&p, cur, given, false)?;
            for l in &mut ls {
                l.1 = -l.1;
                l.5 = (-l.5 .0, -l.5 .1, -l.5 .2);
            }
            ls
        }
        None => {
            let left = creditable(&mut tx, &inv).await?;
            if left != inv.total {
                return Err(conflict(
                    "partly_credited",
                    "This invoice is partly credited already; say which lines to credit.",
                ));
            }
            q::lines(&mut tx, ws, &id)
                .await?
                .into_iter()
                .map(|l| {
                    (
                        l.description,
                        -l.quantity_milli,
                        l.unit_price,
                        l.discount_bp,
                        l.tax_rate_bp,
                        (-l.base, -l.tax, -l.total),
                    )
                })
                .collect()
        }
    };
    let cn = credit_in(x, &mut tx, &inv, lines, reason, None, &access.actor).await?;
    if i.send.unwrap_or(true) {
        send_in(x, &mut tx, &cn).await?;
    }
    tx.commit().await?;
    Ok(cn)
}

// ---- reading ----

#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
pub struct ListQuery {
    /// `draft` or `issued`.
    #[serde(default)]
    pub status: Option<String>,
    /// `invoice` or `credit_note`.
    #[serde(default)]
    pub kind: Option<String>,
    /// Issued on or after (`YYYY-MM-DD`).
    #[serde(default)]
    pub from: Option<String>,
    /// Issued on or before (`YYYY-MM-DD`).
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub contact_id: Option<String>,
}

pub async fn list(x: &Invoices, access: &Access, f: &ListQuery) -> AppResult<Vec<Invoice>> {
    may_view(access)?;
    let ws = &access.workspace.id;
    let mut c = x.db.conn().await?;
    let all: Vec<Invoice> =
        row::find_all(&mut c, "WHERE workspace_id = $1 ORDER BY created_at DESC LIMIT 2000", ws).await?;
    let from = f.from.as_deref().and_then(valid_date);
    let to = f.to.as_deref().and_then(valid_date);
    Ok(all
        .into_iter()
        .filter(|i| f.status.as_deref().is_none_or(|s| s == i.status))
        .filter(|i| f.kind.as_deref().is_none_or(|k| k == i.kind))
        .filter(|i| f.contact_id.as_deref().is_none_or(|k| i.contact_id.as_deref() == Some(k)))
        .filter(|i| from.as_ref().is_none_or(|d| i.issue_date.as_ref().is_some_and(|x| x >= d)))
        .filter(|i| to.as_ref().is_none_or(|d| i.issue_date.as_ref().is_some_and(|x| x <= d)))
        .collect())
}

/// Issued invoices and credit notes of a period, in number order (the accountant's).
pub async fn of_period(c: &mut Conn, ws: &WorkspaceId, from: &str, to: &str) -> AppResult<Vec<Invoice>> {
    Ok(row::find_all(
        c,
        "WHERE workspace_id = $1 AND status = 'issued' AND issue_date >= $2 AND issue_date <= $3 \
         ORDER BY kind, series, issue_date, number",
        (ws, from, to),
    )
    .await?)
}

pub async fn get(x: &Invoices, access: &Access, id: &str) -> AppResult<(Invoice, Vec<Line>)> {
    may_view(access)?;
    let ws = &access.workspace.id;
    let id = parse_id(id)?;
    let mut c = x.db.conn().await?;
    let inv = q::invoice(&mut c, ws, &id).await?.ok_or_else(not_found)?;
    let lines = q::lines(&mut c, ws, &id).await?;
    Ok((inv, lines))
}

/// The tax summary: (rate, base, tax) per rate, in the order the rates first appear.
pub fn taxes(lines: &[Line]) -> Vec<(i64, i64, i64)> {
    let mut out: Vec<(i64, i64, i64)> = vec![];
    for l in lines {
        match out.iter_mut().find(|t| t.0 == l.tax_rate_bp) {
            Some(t) => {
                t.1 += l.base;
                t.2 += l.tax;
            }
            None => out.push((l.tax_rate_bp, l.base, l.tax)),
        }
    }
    out
}

/// Whether the invoice's payment went through.
pub async fn paid(c: &mut Conn, inv: &Invoice) -> AppResult<bool> {
    let Some(pid) = &inv.payment_id else { return Ok(false) };
    let n: i64 = row::scalar(
        c,
        "SELECT COUNT(*) FROM payments WHERE workspace_id = $1 AND id = $2 AND status IN ('paid', 'refunded')",
        (&inv.workspace_id, pid.as_str()),
    )
    .await?;
    Ok(n > 0)
}

/// Checks a series' hash chain from its first invoice: each one's `prev_hash` is the hash of
/// the one before, and the last one's hash is the series' head.
pub async fn verify_chain(x: &Invoices, ws: &WorkspaceId, series: &str) -> AppResult<bool> {
    let mut c = x.db.conn().await?;
    let list: Vec<Invoice> = row::find_all(
        &mut c,
        "WHERE workspace_id = $1 AND series = $2 AND status = 'issued' ORDER BY issue_date, number",
        (ws, series),
    )
    .await?;
    let mut prev: Option<String> = None;
    for inv in &list {
        if inv.prev_hash != prev {
            return Ok(false);
        }
        let lines = q::lines(&mut c, ws, &inv.id).await?;
        prev = Some(hash(inv, &lines));
    }
    let head: Option<String> = row::scalars::<String>(
        &mut c,
        "SELECT last_hash FROM invoice_series WHERE workspace_id = $1 AND series = $2 AND last_hash IS NOT NULL",
        (ws, series),
    )
    .await?
    .into_iter()
    .next();
    Ok(head == prev)
}

// ---- the public link ----

pub fn token(p: &Platform, inv: &Invoice) -> String {
    signed_link::sign(&p.vault, LINK, inv.workspace_id.as_str(), inv.id.as_str(), 1)
}

pub fn url(p: &Platform, inv: &Invoice) -> String {
    format!("{}/invoices/{}", p.settings.base_url, token(p, inv))
}

/// The issued invoice a public link names.
pub async fn opened(x: &Invoices, token: &str) -> AppResult<(Invoice, Vec<Line>)> {
    let p: &Platform = x.as_ref();
    let link = signed_link::verify(&p.vault, LINK, token).filter(|l| l.stamp == 1).ok_or_else(not_found)?;
    let ws = WorkspaceId::parse(&link.scope).ok_or_else(not_found)?;
    let id = InvoiceId::parse(&link.id).ok_or_else(not_found)?;
    let mut c = x.db.conn().await?;
    let inv = q::invoice(&mut c, &ws, &id).await?.filter(|i| i.status == "issued").ok_or_else(not_found)?;
    let lines = q::lines(&mut c, &ws, &id).await?;
    Ok((inv, lines))
}

/// The customer pays an issued invoice from its link: its open payment, or a new one.
pub async fn pay(x: &Invoices, token: &str, lang: Lang) -> AppResult<String> {
    let (inv, _) = opened(x, token).await?;
    let p: &Platform = x.as_ref();
    let mut c = x.db.conn().await?;
    if inv.kind != "invoice" || inv.total <= 0 || paid(&mut c, &inv).await? {
        return Err(conflict("invoice_not_payable", "This invoice has nothing left to pay."));
    }
    if let Some(pid) = inv.payment_id.as_deref().and_then(frontdesk_core::PaymentId::parse) {
        if let Some(pay) = frontdesk_billing::repo::payment(&mut c, &inv.workspace_id, &pid).await? {
            if pay.status == "open" && pay.expires_at.is_none_or(|t| t > x.now().0) {
                return Ok(frontdesk_billing::pay::url(p, &pay));
            }
        }
    }
    drop(c);
    let number = inv.number_text.clone().unwrap_or_default();
    let pay = frontdesk_billing::pay::start_for_invoice(
        &x.billing,
        &inv.workspace_id,
        (inv.total, &inv.currency),
        inv.contact_id.as_deref(),
        &number,
        lang,
    )
    .await?;
    let mut c = x.db.conn().await?;
    row::execute(
        &mut c,
        "UPDATE invoices SET payment_id = $1 WHERE workspace_id = $2 AND id = $3",
        (pay.id.as_str(), &inv.workspace_id, &inv.id),
    )
    .await?;
    Ok(frontdesk_billing::pay::url(p, &pay))
}

pub(crate) fn system() -> Actor {
    Actor { kind: "system", id: None, ip: None }
}
