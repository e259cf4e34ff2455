//! The customer's manage link: a signed link (`platform::signed_link`, purpose
//! `booking.manage`, scope the workspace) over the booking's id and `manage_version`, so a link
//! opens one booking of one workspace, and none sent before a cancellation opens any more.

use crate::repo::{self as q, Booking};
use crate::Bookings;
use frontdesk_core::{BookingId, WorkspaceId};
use frontdesk_platform::{signed_link, AppError, AppResult, Platform};

pub const PURPOSE: &str = "booking.manage";

/// The token of a booking's manage link (valid while its version stands).
pub fn token(p: &Platform, bk: &Booking) -> String {
    signed_link::sign(&p.vault, PURPOSE, bk.workspace_id.as_str(), bk.id.as_str(), bk.manage_version)
}

/// The whole link, as emailed.
pub fn url(p: &Platform, bk: &Booking) -> String {
    format!("{}/book/manage/{}", p.settings.base_url.trim_end_matches('/'), token(p, bk))
}

fn gone() -> AppError {
    AppError::not_found("The booking")
}

/// The booking a manage link names, while the link is valid; "not found" for every other
/// token (forged, for another purpose or workspace, or sent before the version changed).
pub async fn open(b: &Bookings, token: &str) -> AppResult<Booking> {
    let link = signed_link::verify(&b.vault, PURPOSE, token).ok_or_else(gone)?;
    let ws = WorkspaceId::parse(&link.scope).ok_or_else(gone)?;
    let id = BookingId::parse(&link.id).ok_or_else(gone)?;
    let mut c = b.db.conn().await?;
    let bk = q::booking(&mut c, &ws, &id).await?.ok_or_else(gone)?;
    if bk.manage_version != link.stamp {
        return Err(gone());
    }
    Ok(bk)
}
