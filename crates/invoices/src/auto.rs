//! Automatic invoices: with `auto_issue` on, every payment paid from `auto_since` on gets an
//! invoice (one line, the amount charged, tax included at the profile's default rate, so the
//! invoice's total equals the payment), and every refund of an invoiced payment gets a credit
//! note for the refunded amount (its tax split like the invoice's). A scheduled job finds them
//! every minute; the unique indexes on (payment) and (refund) make a repeat a no-op, so billing
//! never waits on invoicing and a crash in between loses nothing.

use crate::invoices::{self, system};
use crate::money;
use crate::repo::{self as q, Invoice};
use crate::Invoices;
use frontdesk_core::{InvoiceId, PaymentId, WorkspaceId};
use frontdesk_i18n::{tl, Lang};
use frontdesk_platform::error::AppResult;
use frontdesk_store::row;

/// Payments to invoice and refunds to credit, at most `limit` of each per run.
pub async fn run(x: &Invoices) -> AppResult<(usize, usize)> {
    let mut c = x.db.conn().await?;
    let payments: Vec<(String, String)> = row::all_with(
        &mut c,
        "SELECT p.workspace_id, p.id FROM payments p JOIN invoice_profiles f ON f.workspace_id = p.workspace_id \
         WHERE f.auto_issue = 1 AND p.status IN ('paid', 'refunded') AND p.paid_at >= f.auto_since \
         AND p.amount_minor > 0 AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.workspace_id = p.workspace_id \
         AND i.payment_id = p.id) ORDER BY p.paid_at LIMIT 100",
        (),
        |r| Ok((row::FromColumn::from_column(r, "workspace_id")?, row::FromColumn::from_column(r, "id")?)),
    )
    .await?;
    let refunds: Vec<(String, String)> = row::all_with(
        &mut c,
        "SELECT r.workspace_id, r.id FROM payment_refunds r JOIN invoices i ON i.workspace_id = r.workspace_id \
         AND i.payment_id = r.payment_id AND i.kind = 'invoice' AND i.status = 'issued' \
         WHERE r.status = 'succeeded' AND NOT EXISTS (SELECT 1 FROM invoices n WHERE n.workspace_id = r.workspace_id \
         AND n.refund_id = r.id) ORDER BY r.created_at LIMIT 100",
        (),
        |r| Ok((row::FromColumn::from_column(r, "workspace_id")?, row::FromColumn::from_column(r, "id")?)),
    )
    .await?;
    drop(c);
    let (mut made, mut credited) = (0, 0);
    for (ws, id) in payments {
        match for_payment(x, &WorkspaceId::from_db(ws), &id).await {
            Ok(true) => made += 1,
            Ok(false) => {}
            Err(e) => tracing::warn!(payment = %id, code = e.code, "no automatic invoice yet"),
        }
    }
    for (ws, id) in refunds {
        match for_refund(x, &WorkspaceId::from_db(ws), &id).await {
            Ok(true) => credited += 1,
            Ok(false) => {}
            Err(e) => tracing::warn!(refund = %id, code = e.code, "no credit note for the refund yet"),
        }
    }
    Ok((made, credited))
}

/// The invoice of a paid payment, issued and emailed.
pub async fn for_payment(x: &Invoices, ws: &WorkspaceId, id: &str) -> AppResult<bool> {
    let Some(pid) = PaymentId::parse(id) else { return Ok(false) };
    let mut tx = x.db.begin().await?;
    let n: i64 =
        row::scalar(&mut tx, "SELECT COUNT(*) FROM invoices WHERE workspace_id = $1 AND payment_id = $2", (ws, id))
            .await?;
    if n > 0 {
        return Ok(false);
    }
    let Some(pay) = frontdesk_billing::repo::payment(&mut tx, ws, &pid).await? else { return Ok(false) };
    let p = invoices::need_profile(&mut tx, ws).await?;
    let business_lang = {
        let bp = frontdesk_platform::profile::of(&mut tx, ws).await?;
        bp.languages.first().and_then(|l| Lang::parse(l)).unwrap_or(Lang::En)
    };
    let mut inv = Invoice {
        id: InvoiceId::new(),
        workspace_id: ws.clone(),
        kind: "invoice".into(),
        status: "draft".into(),
        series: p.series.clone(),
        number: None,
        number_text: None,
        issue_date: None,
        currency: pay.currency.to_ascii_uppercase(),
        lang: business_lang.code().into(),
        contact_id: None,
        buyer_name: None,
        buyer_tax_id: None,
        buyer_address: None,
        buyer_email: None,
        buyer_phone: None,
        notes: None,
        seller: None,
        payment_id: Some(pay.id.to_string()),
        refund_id: None,
        corrects_id: None,
        total: pay.amount_minor,
        prev_hash: None,
        created_at: x.now().0,
        updated_at: x.now().0,
    };
    if let Some(cid) = pay.contact_id.as_deref().and_then(frontdesk_core::ContactId::parse) {
        if let Some(k) =
            frontdesk_inbox::repo::inbox::contact(&mut tx, ws, &cid).await?.filter(|k| k.erased_at.is_none())
        {
            let (tax_id, address) = invoices::tax_details(&mut tx, ws, &cid).await?;
            inv.contact_id = Some(cid.to_string());
            inv.buyer_name = k.name.clone();
            inv.buyer_email = k.email.clone();
            inv.buyer_phone = k.phone.clone();
            inv.buyer_tax_id = tax_id;
            inv.buyer_address = address;
            if let Some(l) = k.language.as_deref().and_then(Lang::parse) {
                inv.lang = l.code().into();
            }
        }
    }
    let lang = Lang::parse(&inv.lang).unwrap_or(Lang::En);
    // What was paid for: the booking's service and time, a pass, or the payment's note.
    let mut what = pay.note.clone().unwrap_or_else(|| tl!(lang, "invoice-auto-payment"));
    if let Some(bid) = &pay.booking_id {
        if let Some(bk) = frontdesk_bookings::repo::booking(&mut tx, ws, bid).await? {
            if let Some(s) = frontdesk_bookings::repo::service(&mut tx, ws, &bk.service_id).await? {
                let tz = frontdesk_platform::profile::of(&mut tx, ws).await?.time_zone;
                let day = frontdesk_core::hours::local_date(&tz, bk.starts_at).unwrap_or_default();
                what = format!("{} · {day}", s.name);
            }
        }
        if matches!(pay.kind.as_str(), "deposit") {
            what = format!("{what} · {}", tl!(lang, "invoice-auto-deposit"));
        }
    }
    let rate = p.rates().first().copied().unwrap_or(0);
    let amounts = money::line(1000, pay.amount_minor, 0, rate).unwrap_or((pay.amount_minor, 0, pay.amount_minor));
    row::insert(&mut tx, &inv).await?;
    let line = crate::repo::Line {
        id: frontdesk_core::InvoiceLineId::new(),
        invoice_id: inv.id.clone(),
        workspace_id: ws.clone(),
        position: 0,
        description: what.chars().take(500).collect(),
        quantity_milli: 1000,
        unit_price: pay.amount_minor,
        discount_bp: 0,
        tax_rate_bp: rate,
        base: amounts.0,
        tax: amounts.1,
        total: amounts.2,
    };
    row::insert(&mut tx, &line).await?;
    let issued = invoices::issue_in(x, &mut tx, ws, &inv.id, None, &system()).await?;
    invoices::send_in(x, &mut tx, &issued).await?;
    tx.commit().await?;
    Ok(true)
}

/// The credit note of a refund of an invoiced payment: the refunded amount, split over the
/// invoice's tax rates in proportion to their totals (the last rate takes the remainder).
pub async fn for_refund(x: &Invoices, ws: &WorkspaceId, id: &str) -> AppResult<bool> {
    let mut tx = x.db.begin().await?;
    let n: i64 =
        row::scalar(&mut tx, "SELECT COUNT(*) FROM invoices WHERE workspace_id = $1 AND refund_id = $2", (ws, id))
            .await?;
    if n > 0 {
        return Ok(false);
    }
    let refund: Option<(String, i64)> = row::all_with(
        &mut tx,
        "SELECT payment_id, amount_minor FROM payment_refunds WHERE workspace_id = $1 AND id = $2 AND status = 'succeeded'",
        (ws, id),
        |r| Ok((row::FromColumn::from_column(r, "payment_id")?, row::FromColumn::from_column(r, "amount_minor")?)),
    )
    .await?
    .into_iter()
    .next();
    let Some((payment, amount)) = refund else { return Ok(false) };
    let original: Option<Invoice> = row::find(
        &mut tx,
        "WHERE workspace_id = $1 AND payment_id = $2 AND kind = 'invoice' AND status = 'issued'",
        (ws, payment.as_str()),
    )
    .await?;
    let Some(original) = original else { return Ok(false) };
    let lines = q::lines(&mut tx, ws, &original.id).await?;
    let lang = Lang::parse(&original.lang).unwrap_or(Lang::En);
    let number = original.number_text.clone().unwrap_or_default();
    let summary = invoices::taxes(&lines);
    let whole: i64 = summary.iter().map(|(_, b, t)| b + t).sum::<i64>().max(1);
    let mut out = vec![];
    let mut left = amount;
    for (i, (rate, base, tax)) in summary.iter().enumerate() {
        let part = if i + 1 == summary.len() {
            left
        } else {
            money::div_round((amount as i128) * ((base + tax) as i128), whole as i128) as i64
        };
        left -= part;
        let amounts = money::line(-1000, part, 0, *rate).unwrap_or((-part, 0, -part));
        out.push((tl!(lang, "invoice-auto-refund", number = number.as_str()), -1000, part, 0, *rate, amounts));
    }
    let cn = invoices::credit_in(x, &mut tx, &original, out, None, Some(id), &system()).await?;
    invoices::send_in(x, &mut tx, &cn).await?;
    tx.commit().await?;
    Ok(true)
}
