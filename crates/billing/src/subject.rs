//! Billing's part in data-subject requests: a customer's payments, refunds, passes and
//! memberships exported as JSON. Payments and refunds are financial records kept for seven
//! years (`Legal`, P30): erasure keeps them as they are (amounts, dates, the contact they were
//! for) and clears the providers' payloads of their events; passes and memberships lose the
//! link to the person and to their Stripe customer.

use crate::Billing;
use frontdesk_platform::error::AppResult;
use frontdesk_platform::ports::{Erased, Fut, Held, Person, Subject};
use frontdesk_store::{row, Conn};
use serde_json::{json, Value};

/// Billing as a data subject's area (registered by the server).
#[derive(Clone)]
pub struct BillingSubject(pub Billing);

async fn export(c: &mut Conn, who: &Person) -> AppResult<Held> {
    let args = (&who.workspace, who.contact.as_str());
    let payments: Vec<Value> = row::all_with(
        c,
        "SELECT id, kind, method, status, amount_minor, refunded_minor, currency, card, created_at, paid_at \
         FROM payments WHERE workspace_id = $1 AND contact_id = $2 ORDER BY created_at",
        args,
        |r| {
            let t = |k: &str| row::opt_str(r, k);
            let n = |k: &str| row::opt_i64(r, k);
            Ok(json!({ "id": t("id"), "kind": t("kind"), "method": t("method"), "status": t("status"),
                "amount_minor": n("amount_minor"), "refunded_minor": n("refunded_minor"), "currency": t("currency"),
                "card": t("card"), "created_at": n("created_at"), "paid_at": n("paid_at") }))
        },
    )
    .await?;
    let held_plans: Vec<Value> = row::all_with(
        c,
        "SELECT m.id, p.name, p.kind, m.status, m.sessions_left, m.valid_until, m.created_at FROM customer_memberships m \
         JOIN membership_plans p ON p.id = m.plan_id WHERE m.workspace_id = $1 AND m.contact_id = $2",
        args,
        |r| {
            Ok(json!({ "id": row::opt_str(r, "id"), "plan": row::opt_str(r, "name"), "kind": row::opt_str(r, "kind"),
                "status": row::opt_str(r, "status"), "sessions_left": row::opt_i64(r, "sessions_left"),
                "valid_until": row::opt_i64(r, "valid_until"), "created_at": row::opt_i64(r, "created_at") }))
        },
    )
    .await?;
    let mut held = Held::default();
    if !payments.is_empty() || !held_plans.is_empty() {
        held.files.push(("payments.json".into(), json!({ "payments": payments, "memberships": held_plans })));
    }
    Ok(held)
}

async fn erase(c: &mut Conn, who: &Person) -> AppResult<Erased> {
    let args = || (&who.workspace, who.contact.as_str());
    let mut done = Erased::default();
    for sql in [
        "UPDATE payment_events SET payload = NULL WHERE workspace_id = $1 AND payload IS NOT NULL AND payment_id IN \
         (SELECT id FROM payments WHERE workspace_id = $1 AND contact_id = $2)",
        "UPDATE customer_memberships SET contact_id = NULL, stripe_customer_id = NULL WHERE workspace_id = $1 AND contact_id = $2",
        "UPDATE membership_sales SET contact_id = NULL WHERE workspace_id = $1 AND contact_id = $2",
    ] {
        done.rows += row::changed(c, sql, args()).await?;
    }
    Ok(done)
}

impl Subject for BillingSubject {
    fn area(&self) -> &'static str {
        "billing"
    }
    fn export<'a>(&'a self, c: &'a mut Conn, who: &'a Person) -> Fut<'a, AppResult<Held>> {
        Box::pin(export(c, who))
    }
    fn erase<'a>(&'a self, c: &'a mut Conn, who: &'a Person) -> Fut<'a, AppResult<Erased>> {
        Box::pin(erase(c, who))
    }
}
