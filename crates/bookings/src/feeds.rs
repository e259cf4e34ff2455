//! Calendar feeds: the workspace's bookings, or one resource's, as an iCalendar feed a
//! calendar app subscribes to. The URL is a signed link over (purpose, workspace, target,
//! version): a new link raises the version, so the old one stops at once; turning a feed off
//! deletes its row, so no link works. Events carry the service and the customer's first name
//! only (P26), in UTC; the window is the last 30 days and the next 365.

use crate::ics;
use crate::notify::first_name;
use crate::repo::{self as q, Booking};
use crate::Bookings;
use frontdesk_core::{Action, ResourceId, Timestamp, WorkspaceId};
use frontdesk_platform::error::{AppError, AppResult};
use frontdesk_platform::workspaces::Access;
use frontdesk_platform::{audit, signed_link, Platform};
use frontdesk_store::{row, Conn};
use schemars::JsonSchema;
use serde::Serialize;

const LINK: &str = "ics_feed";
/// The workspace's own feed (every resource).
pub const ALL: &str = "all";
const PAST: i64 = 30 * Timestamp::DAY;
const AHEAD: i64 = 365 * Timestamp::DAY;

/// A feed the page lists: the workspace's, or a resource's, with its URL when it is on.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Feed {
    /// `all`, or the resource's id.
    pub target: String,
    /// The resource's name (none for the workspace's feed).
    pub name: Option<String>,
    /// The secret subscription URL, while the feed is on.
    pub url: Option<String>,
}

fn may(access: &Access) -> AppResult<()> {
    if frontdesk_core::role::allows(access.role, Action::ManageCatalog) {
        Ok(())
    } else {
        Err(AppError::forbidden("Only owners and admins manage calendar feeds."))
    }
}

fn not_found() -> AppError {
    AppError::not_found("The calendar feed")
}

async fn version(c: &mut Conn, ws: &WorkspaceId, target: &str) -> AppResult<Option<i64>> {
    Ok(row::opt_scalar(c, "SELECT version FROM booking_feeds WHERE workspace_id = $1 AND target = $2", (ws, target))
        .await?)
}

fn url(p: &Platform, ws: &WorkspaceId, target: &str, version: i64) -> String {
    format!("{}/calendars/{}.ics", p.settings.base_url, signed_link::sign(&p.vault, LINK, ws.as_str(), target, version))
}

/// The target as stored: `all`, or a resource of this workspace.
async fn target_of(c: &mut Conn, ws: &WorkspaceId, target: &str) -> AppResult<String> {
    if target == ALL {
        return Ok(ALL.into());
    }
    let id = ResourceId::parse(target).ok_or_else(not_found)?;
    q::resource(c, ws, &id).await?.ok_or_else(not_found)?;
    Ok(id.to_string())
}

/// The workspace's feed and each resource's.
pub async fn list(b: &Bookings, access: &Access) -> AppResult<Vec<Feed>> {
    may(access)?;
    let ws = &access.workspace.id;
    let p: &Platform = b.as_ref();
    let mut c = b.db.conn().await?;
    let mut out = vec![];
    let v = version(&mut c, ws, ALL).await?;
    out.push(Feed { target: ALL.into(), name: None, url: v.map(|v| url(p, ws, ALL, v)) });
    for r in q::resources(&mut c, ws).await? {
        let v = version(&mut c, ws, r.id.as_str()).await?;
        out.push(Feed { target: r.id.to_string(), name: Some(r.name), url: v.map(|v| url(p, ws, r.id.as_str(), v)) });
    }
    Ok(out)
}

/// Turns a feed on, or gives it a new URL (the old one stops working). Returns the URL.
pub async fn renew(b: &Bookings, access: &Access, target: &str) -> AppResult<String> {
    may(access)?;
    let ws = &access.workspace.id;
    let now = b.now().0;
    let mut tx = b.db.begin().await?;
    let target = target_of(&mut tx, ws, target).await?;
    let next = version(&mut tx, ws, &target).await?.unwrap_or(0) + 1;
    row::execute(
        &mut tx,
        "INSERT INTO booking_feeds (workspace_id, target, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) \
         ON CONFLICT (workspace_id, target) DO UPDATE SET version = $3, updated_at = $4",
        (ws, target.as_str(), next, now),
    )
    .await?;
    let action = if next == 1 { "calendar_feed.create" } else { "calendar_feed.renew" };
    audit::record(
        b.as_ref(),
        &mut tx,
        ws.as_str(),
        &access.actor,
        action,
        Some(("calendar_feed", target.as_str())),
        "ok",
    )
    .await?;
    tx.commit().await?;
    Ok(url(b.as_ref(), ws, &target, next))
}

/// Turns a feed off: no link to it works any more.
pub async fn remove(b: &Bookings, access: &Access, target: &str) -> AppResult<()> {
    may(access)?;
    let ws = &access.workspace.id;
    let mut tx = b.db.begin().await?;
    let target = target_of(&mut tx, ws, target).await?;
    let n = row::changed(
        &mut tx,
        "DELETE FROM booking_feeds WHERE workspace_id = $1 AND target = $2",
        (ws, target.as_str()),
    )
    .await?;
    if n == 0 {
        return Err(not_found());
    }
    audit::record(
        b.as_ref(),
        &mut tx,
        ws.as_str(),
        &access.actor,
        "calendar_feed.delete",
        Some(("calendar_feed", target.as_str())),
        "ok",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The feed a link names, as iCalendar text (any link not current answers "not found").
pub async fn feed(b: &Bookings, token: &str) -> AppResult<String> {
    let p: &Platform = b.as_ref();
    let token = token.strip_suffix(".ics").unwrap_or(token);
    let link = signed_link::verify(&p.vault, LINK, token).ok_or_else(not_found)?;
    let ws = WorkspaceId::parse(&link.scope).ok_or_else(not_found)?;
    let mut c = b.db.conn().await?;
    if version(&mut c, &ws, &link.id).await? != Some(link.stamp) {
        return Err(not_found());
    }
    let workspace = frontdesk_platform::repo::workspaces::by_id(&mut c, &ws).await?.ok_or_else(not_found)?;
    if workspace.suspended_at.is_some() {
        return Err(not_found());
    }
    let now = b.now().0;
    let (from, to) = (now - PAST, now + AHEAD);
    let statuses = "status IN ('confirmed', 'pending')";
    let bookings: Vec<Booking> = if link.id == ALL {
        row::find_all(
            &mut c,
            &format!("WHERE workspace_id = $1 AND {statuses} AND ends_at > $2 AND starts_at < $3 ORDER BY starts_at"),
            (&ws, from, to),
        )
        .await?
    } else {
        row::find_all(
            &mut c,
            &format!(
                "WHERE workspace_id = $1 AND {statuses} AND ends_at > $2 AND starts_at < $3 AND id IN \
                 (SELECT booking_id FROM booking_allocations WHERE workspace_id = $1 AND resource_id = $4 \
                 AND booking_id IS NOT NULL) ORDER BY starts_at"
            ),
            (&ws, from, to, link.id.as_str()),
        )
        .await?
    };
    let name = if link.id == ALL {
        workspace.name.clone()
    } else {
        let r = ResourceId::parse(&link.id).ok_or_else(not_found)?;
        let r = q::resource(&mut c, &ws, &r).await?.ok_or_else(not_found)?;
        format!("{} · {}", workspace.name, r.name)
    };
    let services: std::collections::HashMap<String, String> =
        q::services(&mut c, &ws).await?.into_iter().map(|s| (s.id.to_string(), s.name)).collect();
    let host = p.settings.base_url.split("://").nth(1).unwrap_or("frontdesk").split(['/', ':']).next().unwrap_or("");
    let texts: Vec<(String, String)> = bookings
        .iter()
        .map(|bk| {
            let service = services.get(bk.service_id.as_str()).cloned().unwrap_or_default();
            let first = first_name(bk.customer_name.as_deref().unwrap_or(""));
            let summary = if first.is_empty() { service } else { format!("{service} · {first}") };
            (format!("booking-{}@{host}", bk.id), summary)
        })
        .collect();
    let events: Vec<ics::Event<'_>> = bookings
        .iter()
        .zip(&texts)
        .map(|(bk, (uid, summary))| ics::Event {
            uid,
            sequence: ((bk.updated_at - bk.created_at) / 1000).max(0),
            stamp: now,
            start: bk.starts_at,
            end: bk.ends_at,
            summary,
            description: None,
            location: None,
            cancelled: false,
        })
        .collect();
    Ok(ics::feed(&events, &p.settings.product_name, Some(&name)))
}
