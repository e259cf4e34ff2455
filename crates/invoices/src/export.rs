//! The accountant's export of a period: a CSV of every issued invoice and credit note, one row
//! per tax rate (number, date, buyer, tax id, rate, base, tax, total), answered at once; and a
//! ZIP of their PDFs, built by a job that records its progress (the page shows it) and keeps
//! the file 7 days.

use crate::invoices::{self, bad, conflict, of_period};
use crate::repo::{self as q, Export};
use crate::Invoices;
use frontdesk_core::{InvoiceExportId, JobId, Timestamp, WorkspaceId};
use frontdesk_platform::audit;
use frontdesk_platform::error::{AppError, AppResult};
use frontdesk_platform::jobs::{self, JobError};
use frontdesk_platform::workspaces::Access;
use frontdesk_platform::Platform;
use frontdesk_store::row;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub const JOB: &str = "invoices.export";
/// Days an export's ZIP is kept.
pub const KEEP_DAYS: i64 = 7;

#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct PeriodInput {
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, `YYYY-MM-DD`.
    pub to: String,
}

fn period(i: &PeriodInput) -> AppResult<(String, String)> {
    let d = |s: &str, f: &'static str| -> AppResult<String> {
        s.trim()
            .parse::<jiff::civil::Date>()
            .map(|d| d.to_string())
            .map_err(|_| bad(f, "invalid_date", "Write the date as YYYY-MM-DD."))
    };
    let (from, to) = (d(&i.from, "from")?, d(&i.to, "to")?);
    if from > to {
        return Err(bad("to", "invalid_period", "The period ends before it starts."));
    }
    Ok((from, to))
}

fn csv_cell(s: &str) -> String {
    // A leading =, +, - or @ would be a formula in a spreadsheet.
    let s =
        if s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err() { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn decimal(minor: i64, currency: &str) -> String {
    frontdesk_core::money::Money::new(minor, frontdesk_bookings::catalog::currency_of(currency)).decimal()
}

/// The period's CSV (owners and admins).
pub async fn csv(x: &Invoices, access: &Access, i: &PeriodInput) -> AppResult<String> {
    may(access)?;
    let (from, to) = period(i)?;
    let ws = &access.workspace.id;
    let mut c = x.db.conn().await?;
    let list = of_period(&mut c, ws, &from, &to).await?;
    let mut out =
        String::from("number,kind,issue_date,corrects,buyer_name,buyer_tax_id,currency,tax_rate,base,tax,total\n");
    for inv in list {
        let lines = q::lines(&mut c, ws, &inv.id).await?;
        let corrects = match inv.corrects_id.as_deref().and_then(frontdesk_core::InvoiceId::parse) {
            Some(id) => q::invoice(&mut c, ws, &id).await?.and_then(|i| i.number_text),
            None => None,
        };
        for (rate, base, tax) in invoices::taxes(&lines) {
            let cells = [
                inv.number_text.clone().unwrap_or_default(),
                inv.kind.clone(),
                inv.issue_date.clone().unwrap_or_default(),
                corrects.clone().unwrap_or_default(),
                inv.buyer_name.clone().unwrap_or_default(),
                inv.buyer_tax_id.clone().unwrap_or_default(),
                inv.currency.clone(),
                crate::money::percent_text(rate),
                decimal(base, &inv.currency),
                decimal(tax, &inv.currency),
                decimal(base + tax, &inv.currency),
            ];
            out.push_str(&cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
            out.push('\n');
        }
    }
    Ok(out)
}

fn may(access: &Access) -> AppResult<()> {
    if !frontdesk_core::role::allows(access.role, frontdesk_core::Action::ManagePayments) {
        return Err(AppError::forbidden("Only owners and admins export invoices."));
    }
    Ok(())
}

/// Starts the ZIP of a period's PDFs (a job); the export shows its progress.
pub async fn start(x: &Invoices, access: &Access, i: &PeriodInput) -> AppResult<Export> {
    may(access)?;
    let (from, to) = period(i)?;
    let ws = &access.workspace.id;
    let p: &Platform = x.as_ref();
    let now = x.now().0;
    let mut tx = x.db.begin().await?;
    let total: i64 = row::scalar(
        &mut tx,
        "SELECT COUNT(*) FROM invoices WHERE workspace_id = $1 AND status = 'issued' AND issue_date >= $2 AND issue_date <= $3",
        (ws, from.as_str(), to.as_str()),
    )
    .await?;
    if total == 0 {
        return Err(conflict("nothing_to_export", "No invoice was issued in that period."));
    }
    let e = Export {
        id: InvoiceExportId::new(),
        workspace_id: ws.clone(),
        period_from: from,
        period_to: to,
        status: "queued".into(),
        done: 0,
        total,
        blob_key: None,
        created_by: access.actor.id.clone(),
        created_at: now,
        finished_at: None,
    };
    row::insert(&mut tx, &e).await?;
    let payload = serde_json::json!({ "workspace": ws, "export": e.id }).to_string();
    jobs::enqueue_with_id(p, &mut tx, &JobId::new(), JOB, &payload, Some(&format!("invoice_export:{}", e.id)), 3)
        .await?;
    audit::record(
        p,
        &mut tx,
        ws.as_str(),
        &access.actor,
        "invoice.export",
        Some(("invoice_export", e.id.as_str())),
        "queued",
    )
    .await?;
    tx.commit().await?;
    Ok(e)
}

pub async fn get(x: &Invoices, access: &Access, id: &str) -> AppResult<Export> {
    may(access)?;
    let id = InvoiceExportId::parse(id).ok_or_else(|| AppError::not_found("The export"))?;
    let mut c = x.db.conn().await?;
    q::export(&mut c, &access.workspace.id, &id).await?.ok_or_else(|| AppError::not_found("The export"))
}

pub async fn recent(x: &Invoices, access: &Access) -> AppResult<Vec<Export>> {
    may(access)?;
    let mut c = x.db.conn().await?;
    Ok(row::find_all(&mut c, "WHERE workspace_id = $1 ORDER BY created_at DESC LIMIT 10", &access.workspace.id).await?)
}

/// The finished ZIP's bytes.
pub async fn bytes(x: &Invoices, access: &Access, id: &str) -> AppResult<(Export, Vec<u8>)> {
    let e = get(x, access, id).await?;
    let Some(key) = e.blob_key.clone().filter(|_| e.status == "done") else {
        return Err(conflict("export_not_ready", "The export is still being built."));
    };
    let p: &Platform = x.as_ref();
    let b = p.blobs.get(&key).await.map_err(|_| AppError::not_found("The export"))?;
    Ok((e, b))
}

/// The job: each PDF in turn, progress written every 10, the ZIP stored at the end.
pub async fn job(x: Invoices, job: frontdesk_platform::repo::jobs::Job) -> Result<(), JobError> {
    let v: serde_json::Value = serde_json::from_str(&job.payload).map_err(|e| JobError::Permanent(e.to_string()))?;
    let ws = v["workspace"].as_str().and_then(WorkspaceId::parse);
    let id = v["export"].as_str().and_then(InvoiceExportId::parse);
    let (Some(ws), Some(id)) = (ws, id) else { return Err(JobError::Permanent("a malformed export job".into())) };
    build(&x, &ws, &id).await.map_err(|e| JobError::Transient(e.to_string()))
}

async fn build(x: &Invoices, ws: &WorkspaceId, id: &InvoiceExportId) -> AppResult<()> {
    let p: &Platform = x.as_ref();
    let mut c = x.db.conn().await?;
    let Some(e) = q::export(&mut c, ws, id).await? else { return Ok(()) };
    if e.status == "done" {
        return Ok(());
    }
    row::execute(&mut c, "UPDATE invoice_exports SET status = 'running', done = 0 WHERE id = $1", id).await?;
    let list = of_period(&mut c, ws, &e.period_from, &e.period_to).await?;
    let mut entries = vec![];
    let mut csv_rows = 0;
    for (n, inv) in list.iter().enumerate() {
        let lines = q::lines(&mut c, ws, &inv.id).await?;
        let pdf = crate::layout::pdf(x, &mut c, inv, &lines).await?;
        let name = inv.number_text.clone().unwrap_or_else(|| inv.id.to_string());
        entries.push((format!("{name}.pdf"), pdf));
        csv_rows += 1;
        if (n + 1) % 10 == 0 {
            row::execute(&mut c, "UPDATE invoice_exports SET done = $1 WHERE id = $2", ((n + 1) as i64, id)).await?;
        }
    }
    let zip = frontdesk_platform::zip::build(&entries);
    let key = format!("invoices/{ws}/{id}-export");
    p.blobs.put(&key, &zip).await.map_err(|err| {
        tracing::error!(error = %err, "an invoice export could not be stored");
        AppError::internal()
    })?;
    let now = x.now().0;
    row::execute(
        &mut c,
        "UPDATE invoice_exports SET status = 'done', done = $1, total = $1, blob_key = $2, finished_at = $3 WHERE id = $4",
        (csv_rows as i64, key.as_str(), now, id),
    )
    .await?;
    Ok(())
}

/// Exports older than 7 days go (their file and their row).
pub async fn prune(x: &Invoices) -> AppResult<u64> {
    let p: &Platform = x.as_ref();
    let before = x.now().0 - KEEP_DAYS * Timestamp::DAY;
    let mut c = x.db.conn().await?;
    let old: Vec<Export> = row::find_all(&mut c, "WHERE created_at < $1", before).await?;
    for e in &old {
        if let Some(k) = &e.blob_key {
            let _ = p.blobs.delete(k).await;
        }
        row::execute(&mut c, "DELETE FROM invoice_exports WHERE id = $1", &e.id).await?;
    }
    Ok(old.len() as u64)
}
