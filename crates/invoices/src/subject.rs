//! Invoices' part in data-subject requests. Issued invoices and credit notes are financial
//! records kept seven years (`Legal`, P30): erasure keeps on them the buyer's name, tax id,
//! address and the amounts (what the law asks an invoice to show), and clears the buyer's
//! email, phone and the notes; the person's drafts are deleted; their tax details on the
//! contact go. The hash chain stays valid: it covers what is kept, not what is cleared.

use frontdesk_platform::error::AppResult;
use frontdesk_platform::ports::{Erased, Fut, Held, Person, Subject};
use frontdesk_store::{row, Conn};
use serde_json::{json, Value};

/// Invoices as a data subject's area (registered by the server).
#[derive(Clone)]
pub struct InvoicesSubject;

async fn export(c: &mut Conn, who: &Person) -> AppResult<Held> {
    let list: Vec<Value> = row::all_with(
        c,
        "SELECT id, kind, status, number_text, issue_date, buyer_name, buyer_tax_id, buyer_address, buyer_email, \
         buyer_phone, notes, currency, total FROM invoices WHERE workspace_id = $1 AND contact_id = $2 ORDER BY created_at",
        (&who.workspace, who.contact.as_str()),
        |r| {
            let t = |k: &str| row::opt_str(r, k);
            Ok(json!({ "id": t("id"), "kind": t("kind"), "status": t("status"), "number": t("number_text"),
                "issue_date": t("issue_date"), "buyer_name": t("buyer_name"), "buyer_tax_id": t("buyer_tax_id"),
                "buyer_address": t("buyer_address"), "buyer_email": t("buyer_email"), "buyer_phone": t("buyer_phone"),
                "notes": t("notes"), "currency": t("currency"), "total": row::opt_i64(r, "total") }))
        },
    )
    .await?;
    let details: Vec<Value> = row::all_with(
        c,
        "SELECT tax_id, billing_address FROM contacts WHERE workspace_id = $1 AND id = $2 \
         AND (tax_id IS NOT NULL OR billing_address IS NOT NULL)",
        (&who.workspace, who.contact.as_str()),
        |r| Ok(json!({ "tax_id": row::opt_str(r, "tax_id"), "billing_address": row::opt_str(r, "billing_address") })),
    )
    .await?;
    let mut held = Held::default();
    if !list.is_empty() || !details.is_empty() {
        held.files.push(("invoices.json".into(), json!({ "invoices": list, "tax_details": details.first() })));
    }
    Ok(held)
}

async fn erase(c: &mut Conn, who: &Person) -> AppResult<Erased> {
    let args = || (&who.workspace, who.contact.as_str());
    let mut done = Erased::default();
    for sql in [
        "DELETE FROM invoice_lines WHERE workspace_id = $1 AND invoice_id IN \
         (SELECT id FROM invoices WHERE workspace_id = $1 AND contact_id = $2 AND status = 'draft')",
        "DELETE FROM invoices WHERE workspace_id = $1 AND contact_id = $2 AND status = 'draft'",
        "UPDATE invoices SET buyer_email = NULL, buyer_phone = NULL, notes = NULL WHERE workspace_id = $1 \
         AND contact_id = $2 AND (buyer_email IS NOT NULL OR buyer_phone IS NOT NULL OR notes IS NOT NULL)",
        "UPDATE contacts SET tax_id = NULL, billing_address = NULL WHERE workspace_id = $1 AND id = $2 \
         AND (tax_id IS NOT NULL OR billing_address IS NOT NULL)",
    ] {
        done.rows += row::changed(c, sql, args()).await?;
    }
    Ok(done)
}

async fn names(c: &mut Conn, who: &Person) -> AppResult<Vec<String>> {
    Ok(row::scalars::<String>(
        c,
        "SELECT buyer_email FROM invoices WHERE workspace_id = $1 AND contact_id = $2 AND buyer_email IS NOT NULL",
        (&who.workspace, who.contact.as_str()),
    )
    .await?)
}

impl Subject for InvoicesSubject {
    fn area(&self) -> &'static str {
        "invoices"
    }
    fn names<'a>(&'a self, c: &'a mut Conn, who: &'a Person) -> Fut<'a, AppResult<Vec<String>>> {
        Box::pin(names(c, who))
    }
    fn export<'a>(&'a self, c: &'a mut Conn, who: &'a Person) -> Fut<'a, AppResult<Held>> {
        Box::pin(export(c, who))
    }
    fn erase<'a>(&'a self, c: &'a mut Conn, who: &'a Person) -> Fut<'a, AppResult<Erased>> {
        Box::pin(erase(c, who))
    }
}
