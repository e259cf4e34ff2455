//! Invoices' rows. Every statement is scoped by the workspace.

use frontdesk_core::{InvoiceExportId, InvoiceId, InvoiceLineId, WorkspaceId};
use frontdesk_store::row;
use sqlx::AnyConnection;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    pub workspace_id: String,
    pub legal_name: String,
    pub tax_id: String,
    pub series: String,
    pub credit_series: String,
    pub tax_rates: String,
    pub auto_issue: bool,
    pub auto_since: Option<i64>,
    pub footer: Option<String>,
    pub updated_at: i64,
}

row::table!(Profile in "invoice_profiles" {
    workspace_id, legal_name, tax_id, series, credit_series, tax_rates, auto_issue, auto_since, footer, updated_at
});

impl Profile {
    /// The rates in basis points, the default first.
    pub fn rates(&self) -> Vec<i64> {
        self.tax_rates.split(',').filter_map(|s| s.trim().parse().ok()).collect()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invoice {
    pub id: InvoiceId,
    pub workspace_id: WorkspaceId,
    /// `invoice` or `credit_note`.
    pub kind: String,
    /// `draft` or `issued`.
    pub status: String,
    pub series: String,
    pub number: Option<i64>,
    /// `2027-0001`, `R2027-0001`.
    pub number_text: Option<String>,
    /// `YYYY-MM-DD`, in the business's time zone.
    pub issue_date: Option<String>,
    pub currency: String,
    pub lang: String,
    pub contact_id: Option<String>,
    pub buyer_name: Option<String>,
    pub buyer_tax_id: Option<String>,
    pub buyer_address: Option<String>,
    pub buyer_email: Option<String>,
    pub buyer_phone: Option<String>,
    pub notes: Option<String>,
    /// JSON: the seller as issued.
    pub seller: Option<String>,
    pub payment_id: Option<String>,
    pub refund_id: Option<String>,
    pub corrects_id: Option<String>,
    pub total: i64,
    pub prev_hash: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

row::table!(Invoice in "invoices" {
    id, workspace_id, kind, status, series, number, number_text, issue_date, currency, lang, contact_id, buyer_name,
    buyer_tax_id, buyer_address, buyer_email, buyer_phone, notes, seller, payment_id, refund_id, corrects_id, total,
    prev_hash, created_at, updated_at
});

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub id: InvoiceLineId,
    pub invoice_id: InvoiceId,
    pub workspace_id: WorkspaceId,
    pub position: i64,
    pub description: String,
    pub quantity_milli: i64,
    pub unit_price: i64,
    pub discount_bp: i64,
    pub tax_rate_bp: i64,
    pub base: i64,
    pub tax: i64,
    pub total: i64,
}

row::table!(Line in "invoice_lines" {
    id, invoice_id, workspace_id, position, description, quantity_milli, unit_price, discount_bp, tax_rate_bp, base,
    tax, total
});

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    pub id: InvoiceExportId,
    pub workspace_id: WorkspaceId,
    pub period_from: String,
    pub period_to: String,
    /// `queued`, `running`, `done` or `failed`.
    pub status: String,
    pub done: i64,
    pub total: i64,
    pub blob_key: Option<String>,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

row::table!(Export in "invoice_exports" {
    id, workspace_id, period_from, period_to, status, done, total, blob_key, created_by, created_at, finished_at
});

pub async fn profile(c: &mut AnyConnection, ws: &WorkspaceId) -> sqlx::Result<Option<Profile>> {
    row::find(c, "WHERE workspace_id = $1", ws).await
}

pub async fn invoice(c: &mut AnyConnection, ws: &WorkspaceId, id: &InvoiceId) -> sqlx::Result<Option<Invoice>> {
    row::find(c, "WHERE workspace_id = $1 AND id = $2", (ws, id)).await
}

pub async fn lines(c: &mut AnyConnection, ws: &WorkspaceId, id: &InvoiceId) -> sqlx::Result<Vec<Line>> {
    row::find_all(c, "WHERE workspace_id = $1 AND invoice_id = $2 ORDER BY position", (ws, id)).await
}

pub async fn export(c: &mut AnyConnection, ws: &WorkspaceId, id: &InvoiceExportId) -> sqlx::Result<Option<Export>> {
    row::find(c, "WHERE workspace_id = $1 AND id = $2", (ws, id)).await
}

/// The credit notes that correct an invoice, oldest first.
pub async fn credits_of(c: &mut AnyConnection, ws: &WorkspaceId, id: &InvoiceId) -> sqlx::Result<Vec<Invoice>> {
    row::find_all(c, "WHERE workspace_id = $1 AND corrects_id = $2 ORDER BY created_at", (ws, id)).await
}
