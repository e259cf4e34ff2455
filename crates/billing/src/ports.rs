//! What billing gives the areas below it: the refund policy when a booking ends.

use crate::Billing;
use frontdesk_core::{BookingId, WorkspaceId};
use frontdesk_platform::ports::{BookingEnded, Ending, Fut};
use frontdesk_platform::AppResult;
use frontdesk_store::Conn;

/// Billing's ports, registered by the server.
#[derive(Clone)]
pub struct BillingPorts(pub Billing);

impl BookingEnded for BillingPorts {
    fn ended<'a>(
        &'a self,
        c: &'a mut Conn,
        ws: &'a WorkspaceId,
        booking: &'a BookingId,
        how: Ending,
    ) -> Fut<'a, AppResult<()>> {
        Box::pin(async move { crate::pay::booking_ended(&self.0, c, ws, booking, how).await })
    }
}

impl frontdesk_platform::ports::ContactMerged for BillingPorts {
    fn merged<'a>(
        &'a self,
        c: &'a mut Conn,
        ws: &'a WorkspaceId,
        kept: &'a frontdesk_core::ContactId,
        gone: &'a frontdesk_core::ContactId,
    ) -> Fut<'a, AppResult<()>> {
        Box::pin(async move {
            frontdesk_store::row::execute(
                c,
                "UPDATE payments SET contact_id = $1 WHERE workspace_id = $2 AND contact_id = $3",
                (kept.as_str(), ws, gone.as_str()),
            )
            .await?;
            Ok(())
        })
    }
}

impl frontdesk_platform::ports::ContactFacts for BillingPorts {
    fn section<'a>(
        &'a self,
        c: &'a mut Conn,
        ws: &'a WorkspaceId,
        contact: &'a frontdesk_core::ContactId,
    ) -> Fut<'a, AppResult<Option<frontdesk_platform::ports::ContactSection>>> {
        Box::pin(async move {
            let list: Vec<crate::repo::Payment> = frontdesk_store::row::find_all(
                c,
                "WHERE workspace_id = $1 AND contact_id = $2 ORDER BY created_at DESC LIMIT 20",
                (ws, contact.as_str()),
            )
            .await?;
            if list.is_empty() {
                return Ok(None);
            }
            let lang = frontdesk_i18n::current();
            let lines = list
                .iter()
                .map(|p| {
                    let amount = lang.money(frontdesk_core::money::Money::new(
                        p.amount_minor,
                        frontdesk_bookings::catalog::currency_of(&p.currency),
                    ));
                    let status = frontdesk_i18n::t!("pay-status", status = p.status.as_str());
                    let kind = frontdesk_i18n::t!("pay-kind", kind = p.kind.as_str());
                    format!(
                        "{} · {kind} · {amount} · {status}",
                        frontdesk_core::Timestamp(p.created_at).to_rfc3339().get(..10).unwrap_or("")
                    )
                })
                .collect();
            Ok(Some(frontdesk_platform::ports::ContactSection { title: frontdesk_i18n::t!("pay-nav"), lines }))
        })
    }
}
