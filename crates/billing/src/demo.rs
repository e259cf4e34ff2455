//! `--demo` for billing: two of the demo salon's bookings were paid at the desk (cash, Bizum),
//! recorded as manual payments through the same function staff use. No payment account is
//! connected (no provider keys in the demo): the booking page books without payment until an
//! owner connects Stripe under Settings → Payment account.

use crate::pay::{self, ManualInput};
use crate::Billing;
use frontdesk_core::Action;
use frontdesk_platform::workspaces::{self, Principal};
use frontdesk_platform::AppResult;

/// Seeds the demo's payments once (nothing when it already has some).
pub async fn seed(b: &Billing, owner_email: &str, workspace_id: &str) -> AppResult<usize> {
    let user = frontdesk_platform::operator::user_by_email(b, owner_email).await?;
    let principal = Principal::User { id: user.id.clone(), ip: None };
    let access = workspaces::authorize(b, &principal, workspace_id, Action::ManagePayments).await?;
    let ws = &access.workspace.id;
    if !pay::list(b, ws, None, None).await?.is_empty() {
        return Ok(0);
    }
    let currency = {
        let mut c = b.db.conn().await?;
        pay::workspace_currency(&mut c, ws).await?
    };
    let bookings = frontdesk_bookings::book::list(&b.bookings, ws, 0, i64::MAX, Some("confirmed")).await?;
    let mut made = 0;
    for (bk, method) in bookings.iter().zip(["cash", "bizum"]) {
        let input = ManualInput {
            booking_id: Some(bk.id.to_string()),
            amount_minor: bk.total_minor,
            currency: currency.clone(),
            method: method.into(),
            note: Some("Paid at the desk".into()),
        };
        pay::record_manual(b, &access, &input).await?;
        made += 1;
    }
    Ok(made)
}
