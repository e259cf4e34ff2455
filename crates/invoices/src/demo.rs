//! `--demo`: an invoice profile (21 % and 10 %), one issued invoice with two lines and a
//! credit note for part of it.

use crate::invoices::{self, CreditInput, DraftInput, InvoiceProfileInput, IssueInput, LineInput};
use crate::Invoices;
use frontdesk_platform::audit::Actor;
use frontdesk_platform::error::AppResult;
use frontdesk_platform::workspaces::Access;

pub async fn seed(x: &Invoices, workspace_id: &str) -> AppResult<()> {
    let Some(ws) = frontdesk_core::WorkspaceId::parse(workspace_id) else { return Ok(()) };
    let ws = &ws;
    let mut c = x.db.conn().await?;
    if crate::repo::profile(&mut c, ws).await?.is_some() {
        return Ok(());
    }
    let workspace =
        frontdesk_platform::repo::workspaces::by_id(&mut c, ws).await?.ok_or_else(crate::AppError::internal)?;
    drop(c);
    let access =
        Access { workspace, role: frontdesk_core::Role::Owner, actor: Actor { kind: "cli", id: None, ip: None } };
    invoices::set_profile(
        x,
        &access,
        &InvoiceProfileInput {
            legal_name: "Salón Lucía S.L.".into(),
            tax_id: "B12345678".into(),
            series: String::new(),
            credit_series: Some("R".into()),
            tax_rates: vec!["21".into(), "10".into()],
            auto_issue: false,
            footer: Some("Payment within 15 days by bank transfer.".into()),
        },
    )
    .await?;
    let line = |d: &str, q: &str, p: &str, r: &str| LineInput {
        description: d.into(),
        quantity: Some(q.into()),
        unit_price: p.into(),
        discount: None,
        tax_rate: Some(r.into()),
    };
    let draft = invoices::create(
        x,
        &access,
        &DraftInput {
            buyer_name: Some("Peluquería Ñandú".into()),
            buyer_tax_id: Some("B87654321".into()),
            buyer_address: Some("Calle Mayor 1, 28013 Madrid".into()),
            lines: vec![line("Corte y peinado", "2", "25.00", "21"), line("Champú", "1", "12.10", "10")],
            ..Default::default()
        },
    )
    .await?;
    let inv =
        invoices::issue(x, &access, draft.id.as_str(), &IssueInput { issue_date: None, send: Some(false) }).await?;
    invoices::credit(
        x,
        &access,
        inv.id.as_str(),
        &CreditInput {
            reason: Some("Champú devuelto".into()),
            lines: Some(vec![line("Champú", "1", "12.10", "10")]),
            send: Some(false),
        },
    )
    .await?;
    Ok(())
}
