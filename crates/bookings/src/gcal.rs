//! Two-way Google Calendar sync, per resource. An owner or admin connects a resource to a
//! Google calendar (OAuth 2.0, offline access; both tokens sealed in the vault). A job every 5
//! minutes (and once right after connecting) pushes the resource's bookings as events and
//! pulls the calendar's busy times:
//! - **Push**: each booking is an event whose id is derived from the booking's (`fd` + its hex),
//!   so a retried insert meets `409 duplicate` and becomes a patch, never a second event; a
//!   changed booking is patched with `If-Match` on the etag we last saw; a cancelled one deleted.
//! - **Pull**: `events.list` with the last `syncToken` (a full listing the first time and after
//!   `410 Gone`), page by page; an event keeps only (calendar, event id, start, end) (P26), and
//!   blocks the resource's slots unless it is transparent or cancelled. Our own events are not
//!   pulled back. Slot queries read the stored busy times and never call Google.
//! - **Grants**: an access token is refreshed a minute before it expires and after a `401`; a
//!   refused refresh (`invalid_grant`: revoked or expired) marks the connection revoked, tells
//!   every owner by email and shows on the resource's page: never a silent stop.

use crate::notify::first_name;
use crate::repo::{self as q, Booking};
use crate::Bookings;
use frontdesk_core::{Action, ResourceId, Timestamp, UserId, WorkspaceId};
use frontdesk_i18n::{tl, Lang};
use frontdesk_platform::audit::{self, Actor};
use frontdesk_platform::auth::{Client, SignedIn};
use frontdesk_platform::error::{AppError, AppResult, ErrorKind};
use frontdesk_platform::google::{self, GrantError};
use frontdesk_platform::vault::Place;
use frontdesk_platform::workspaces::Access;
use frontdesk_platform::Platform;
use frontdesk_store::{row, Conn};
use serde_json::{json, Value};
use std::time::Duration;

pub const SCOPE: &str = "https://www.googleapis.com/auth/calendar.events";
pub const CALLBACK: &str = "/calendar/google/callback";
/// The sync job (scheduled every 5 minutes; a payload names one resource to sync now).
pub const SYNC: &str = "calendar_sync";
const PUSH_BEHIND: i64 = Timestamp::DAY;
const AHEAD: i64 = 365 * Timestamp::DAY;

/// A resource's connection to a Google calendar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connection {
    pub resource_id: ResourceId,
    pub workspace_id: WorkspaceId,
    pub calendar_id: String,
    /// Sealed.
    pub access_token: Option<String>,
    pub access_expires_at: Option<i64>,
    /// Sealed.
    pub refresh_token: String,
    pub sync_token: Option<String>,
    /// `ok`, `error` (the last sync failed; it is tried again) or `revoked` (connect again).
    pub status: String,
    pub last_sync_at: Option<i64>,
    pub last_error: Option<String>,
    pub connected_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

row::table!(Connection in "calendar_connections" {
    resource_id, workspace_id, calendar_id, access_token, access_expires_at, refresh_token, sync_token, status,
    last_sync_at, last_error, connected_by, created_at, updated_at
});

fn place<'a>(c: &'a Connection, column: &'a str) -> Place<'a> {
    Place { workspace: c.workspace_id.as_str(), table: "calendar_connections", column, row: c.resource_id.as_str() }
}

fn google_of(b: &Bookings) -> Option<&google::GoogleSettings> {
    let p: &Platform = b.as_ref();
    p.settings.google.as_ref()
}

fn may(access: &Access) -> AppResult<()> {
    if frontdesk_core::role::allows(access.role, Action::ManageCatalog) {
        Ok(())
    } else {
        Err(AppError::forbidden("Only owners and admins connect calendars."))
    }
}

/// The connection of a resource, if any.
pub async fn of(b: &Bookings, ws: &WorkspaceId, resource: &ResourceId) -> AppResult<Option<Connection>> {
    let mut c = b.db.conn().await?;
    Ok(row::find(&mut c, "WHERE workspace_id = $1 AND resource_id = $2", (ws, resource)).await?)
}

async fn resource_of(c: &mut Conn, ws: &WorkspaceId, id: &str) -> AppResult<ResourceId> {
    let id = ResourceId::parse(id).ok_or_else(|| AppError::not_found("The resource"))?;
    q::resource(c, ws, &id).await?.ok_or_else(|| AppError::not_found("The resource"))?;
    Ok(id)
}

/// Google's consent page for connecting `resource` (owners and admins).
pub async fn connect_url(
    b: &Bookings,
    access: &Access,
    me: &SignedIn,
    resource: &str,
    client: &Client,
) -> AppResult<String> {
    may(access)?;
    let ws = &access.workspace.id;
    let id = {
        let mut c = b.db.conn().await?;
        resource_of(&mut c, ws, resource).await?
    };
    google::start_grant(b.as_ref(), me, SCOPE, CALLBACK, &format!("{ws}:{id}"), client).await
}

/// Google came back with a code: the connection is stored (tokens sealed) and synced at once.
/// Returns the workspace and resource, for the page to go back to.
pub async fn finish(
    b: &Bookings,
    me: &SignedIn,
    state: &str,
    code: Option<&str>,
    error: Option<&str>,
    client: &Client,
) -> AppResult<(WorkspaceId, ResourceId)> {
    let p: &Platform = b.as_ref();
    let (grant, next) = google::finish_grant(p, state, code, error, CALLBACK, me).await?;
    let (ws, resource) = next.split_once(':').ok_or_else(AppError::internal)?;
    let principal =
        frontdesk_platform::workspaces::Principal::User { id: me.user.id.clone(), ip: Some(client.ip.clone()) };
    let access = frontdesk_platform::workspaces::authorize(p, &principal, ws, Action::ManageCatalog).await?;
    may(&access)?;
    let ws = access.workspace.id.clone();
    let refresh = grant.refresh_token.clone().filter(|r| !r.is_empty()).ok_or_else(|| {
        AppError::new(
            ErrorKind::Unavailable,
            "google_no_refresh_token",
            "Google gave no lasting access; remove Frontdesk from your Google account's connections and connect again.",
        )
    })?;
    let now = b.now().0;
    let mut tx = b.db.begin().await?;
    let id = resource_of(&mut tx, &ws, resource).await?;
    let mut conn = Connection {
        resource_id: id.clone(),
        workspace_id: ws.clone(),
        calendar_id: "primary".into(),
        access_token: None,
        access_expires_at: Some(now + grant.expires_in * 1000),
        refresh_token: String::new(),
        sync_token: None,
        status: "ok".into(),
        last_sync_at: None,
        last_error: None,
        connected_by: Some(me.user.id.to_string()),
        created_at: now,
        updated_at: now,
    };
    conn.access_token = Some(p.vault.seal(place(&conn, "access_token"), grant.access_token.as_bytes()));
    conn.refresh_token = p.vault.seal(place(&conn, "refresh_token"), refresh.as_bytes());
    row::execute(&mut tx, "DELETE FROM calendar_connections WHERE workspace_id = $1 AND resource_id = $2", (&ws, &id))
        .await?;
    row::execute(&mut tx, "DELETE FROM calendar_busy WHERE workspace_id = $1 AND resource_id = $2", (&ws, &id)).await?;
    row::insert(&mut tx, &conn).await?;
    audit::record(
        p,
        &mut tx,
        ws.as_str(),
        &access.actor,
        "calendar.connect",
        Some(("resource", id.as_str())),
        "google",
    )
    .await?;
    let job = frontdesk_core::JobId::new();
    let key = format!("{SYNC}:{id}:{now}");
    frontdesk_platform::jobs::enqueue_with_id(p, &mut tx, &job, SYNC, id.as_str(), Some(key.as_str()), 5).await?;
    tx.commit().await?;
    Ok((ws, id))
}

/// Disconnects a resource: its pulled busy times go; events already in Google stay there.
pub async fn disconnect(b: &Bookings, access: &Access, resource: &str) -> AppResult<()> {
    may(access)?;
    let ws = &access.workspace.id;
    let mut tx = b.db.begin().await?;
    let id = resource_of(&mut tx, ws, resource).await?;
    for sql in [
        "DELETE FROM calendar_busy WHERE workspace_id = $1 AND resource_id = $2",
        "DELETE FROM calendar_pushes WHERE workspace_id = $1 AND resource_id = $2",
    ] {
        row::execute(&mut tx, sql, (ws, &id)).await?;
    }
    let n = row::changed(
        &mut tx,
        "DELETE FROM calendar_connections WHERE workspace_id = $1 AND resource_id = $2",
        (ws, &id),
    )
    .await?;
    if n == 0 {
        return Err(AppError::not_found("The calendar connection"));
    }
    audit::record(
        b.as_ref(),
        &mut tx,
        ws.as_str(),
        &access.actor,
        "calendar.disconnect",
        Some(("resource", id.as_str())),
        "ok",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What went wrong in a sync.
enum SyncError {
    Revoked,
    Failed(String),
}

impl From<AppError> for SyncError {
    fn from(e: AppError) -> Self {
        Self::Failed(e.message)
    }
}

impl From<frontdesk_store::SqlError> for SyncError {
    fn from(e: frontdesk_store::SqlError) -> Self {
        Self::Failed(AppError::from(e).message)
    }
}

/// Every connection not revoked (or just `only`), synced; returns how many succeeded.
pub async fn sync_all(b: &Bookings, only: Option<&str>) -> AppResult<usize> {
    let list: Vec<Connection> = {
        let mut c = b.db.conn().await?;
        match only.and_then(ResourceId::parse) {
            Some(r) => row::find_all(&mut c, "WHERE resource_id = $1 AND status <> 'revoked'", &r).await?,
            None => row::find_all(&mut c, "WHERE status <> 'revoked' ORDER BY resource_id", ()).await?,
        }
    };
    if list.is_empty() || google_of(b).is_none() {
        return Ok(0);
    }
    let mut ok = 0;
    for conn in list {
        let id = conn.resource_id.clone();
        let ws = conn.workspace_id.clone();
        match sync_one(b, conn).await {
            Ok(()) => ok += 1,
            Err(SyncError::Revoked) => revoked(b, &ws, &id).await?,
            Err(SyncError::Failed(why)) => {
                tracing::warn!(resource = %id, why, "calendar sync failed");
                let mut c = b.db.conn().await?;
                row::execute(
                    &mut c,
                    "UPDATE calendar_connections SET status = 'error', last_error = $3, updated_at = $4 \
                     WHERE workspace_id = $1 AND resource_id = $2",
                    (&ws, &id, why.chars().take(300).collect::<String>(), b.now().0),
                )
                .await?;
            }
        }
    }
    Ok(ok)
}

/// A refused refresh: the connection is marked revoked and every owner is told, once.
async fn revoked(b: &Bookings, ws: &WorkspaceId, id: &ResourceId) -> AppResult<()> {
    let p: &Platform = b.as_ref();
    let mut tx = b.db.begin().await?;
    let n = row::changed(
        &mut tx,
        "UPDATE calendar_connections SET status = 'revoked', access_token = NULL, last_error = $3, updated_at = $4 \
         WHERE workspace_id = $1 AND resource_id = $2 AND status <> 'revoked'",
        (ws, id, "Google no longer accepts this connection (revoked or expired).", b.now().0),
    )
    .await?;
    if n > 0 {
        let name = q::resource(&mut tx, ws, id).await?.map(|r| r.name).unwrap_or_default();
        let link = format!("{}/w/{ws}/settings/resources/{id}", p.settings.base_url);
        frontdesk_platform::mail::to_owners(p, &mut tx, ws, |lang: Lang| {
            (
                tl!(lang, "gcal-revoked-subject", resource = name.as_str()),
                tl!(lang, "gcal-revoked-body", resource = name.as_str(), link = link.as_str()),
            )
        })
        .await?;
        audit::record(
            p,
            &mut tx,
            ws.as_str(),
            &Actor { kind: "system", id: None, ip: None },
            "calendar.revoked",
            Some(("resource", id.as_str())),
            "google",
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Google's Calendar API for one connection: the bearer token, refreshed when due or refused.
struct Api<'a> {
    b: &'a Bookings,
    conn: Connection,
    token: String,
    base: String,
}

fn enc(s: &str) -> String {
    frontdesk_platform::oidc::with_query("", &[("x", s)]).trim_start_matches("?x=").to_string()
}

impl<'a> Api<'a> {
    async fn new(b: &'a Bookings, conn: Connection) -> Result<Api<'a>, SyncError> {
        let base = google_of(b).map(|g| g.calendar_api.trim_end_matches('/').to_string()).unwrap_or_default();
        let p: &Platform = b.as_ref();
        let fresh = conn.access_expires_at.is_some_and(|e| e > b.now().0 + Timestamp::MINUTE);
        let token = match (&conn.access_token, fresh) {
            (Some(sealed), true) => {
                p.vault.open(place(&conn, "access_token"), sealed).ok().and_then(|v| String::from_utf8(v).ok())
            }
            _ => None,
        };
        let mut api = Api { b, conn, token: token.unwrap_or_default(), base };
        if api.token.is_empty() {
            api.refresh().await?;
        }
        Ok(api)
    }

    async fn refresh(&mut self) -> Result<(), SyncError> {
        let p: &Platform = self.b.as_ref();
        let rt = p
            .vault
            .open(place(&self.conn, "refresh_token"), &self.conn.refresh_token)
            .ok()
            .and_then(|v| String::from_utf8(v).ok())
            .ok_or(SyncError::Revoked)?;
        let g = match google::refresh(p, &rt).await {
            Ok(g) => g,
            Err(GrantError::Revoked) => return Err(SyncError::Revoked),
            Err(GrantError::Unavailable(why)) => return Err(SyncError::Failed(why)),
        };
        let now = self.b.now().0;
        let sealed = p.vault.seal(place(&self.conn, "access_token"), g.access_token.as_bytes());
        let mut c = self.b.db.conn().await?;
        row::execute(
            &mut c,
            "UPDATE calendar_connections SET access_token = $3, access_expires_at = $4, updated_at = $5 \
             WHERE workspace_id = $1 AND resource_id = $2",
            (&self.conn.workspace_id, &self.conn.resource_id, &sealed, now + g.expires_in * 1000, now),
        )
        .await?;
        self.token = g.access_token;
        Ok(())
    }

    fn events_url(&self) -> String {
        format!("{}/calendars/{}/events", self.base, enc(&self.conn.calendar_id))
    }

    /// One call; a 401 refreshes the token and tries once more. Returns (status, JSON body).
    async fn call(
        &mut self,
        method: &str,
        url: &str,
        body: Option<&Value>,
        if_match: Option<&str>,
    ) -> Result<(u16, Value), SyncError> {
        let p: &Platform = self.b.as_ref();
        for attempt in 0..2 {
            let m = reqwest::Method::from_bytes(method.as_bytes()).map_err(|e| SyncError::Failed(e.to_string()))?;
            let mut rb = p.http.request(m, url).timeout(Duration::from_secs(15)).bearer_auth(&self.token);
            if let Some(e) = if_match {
                rb = rb.header("If-Match", e);
            }
            if let Some(b) = body {
                rb = rb.json(b);
            }
            let r = rb.send().await.map_err(|e| SyncError::Failed(format!("Google Calendar unreachable: {e}")))?;
            let status = r.status().as_u16();
            if status == 401 && attempt == 0 {
                self.refresh().await?;
                continue;
            }
            let v: Value = r.json().await.unwrap_or(Value::Null);
            if status == 401 {
                return Err(SyncError::Revoked);
            }
            if status >= 500 || status == 429 {
                return Err(SyncError::Failed(format!("Google Calendar answered {status}")));
            }
            return Ok((status, v));
        }
        Err(SyncError::Failed("Google Calendar refused the token twice".into()))
    }
}

fn event_id(bk: &Booking) -> String {
    format!("fd{}", bk.id.as_str().replace('-', "").to_ascii_lowercase())
}

fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map(|t| t.to_string()).unwrap_or_default()
}

/// A pulled event's (start, end) in ms: a timed event's instants, an all-day event's days from
/// midnight in the resource's zone.
fn span_of(e: &Value, tz: &str) -> Option<(i64, i64)> {
    let at = |k: &str| -> Option<i64> {
        let v = &e[k];
        if let Some(dt) = v["dateTime"].as_str() {
            return Timestamp::parse_rfc3339(dt).map(|t| t.0);
        }
        let d: jiff::civil::Date = v["date"].as_str()?.parse().ok()?;
        let zone = jiff::tz::TimeZone::get(tz).ok()?;
        Some(d.to_zoned(zone).ok()?.timestamp().as_millisecond())
    };
    let (s, e) = (at("start")?, at("end")?);
    (s < e).then_some((s, e))
}

struct Push {
    booking_id: String,
    event_id: String,
    etag: Option<String>,
    pushed_version: i64,
    deleted: bool,
}

async fn sync_one(b: &Bookings, conn: Connection) -> Result<(), SyncError> {
    let ws = conn.workspace_id.clone();
    let rid = conn.resource_id.clone();
    let tz = {
        let mut c = b.db.conn().await?;
        q::resource(&mut c, &ws, &rid).await?.map(|r| r.time_zone).unwrap_or_else(|| "UTC".into())
    };
    let mut api = Api::new(b, conn).await?;
    let pushed = push(b, &mut api, &ws, &rid).await?;
    pull(b, &mut api, &ws, &rid, &tz, &pushed).await?;
    let mut c = b.db.conn().await?;
    row::execute(
        &mut c,
        "UPDATE calendar_connections SET status = 'ok', last_error = NULL, last_sync_at = $3, updated_at = $3 \
         WHERE workspace_id = $1 AND resource_id = $2",
        (&ws, &rid, b.now().0),
    )
    .await?;
    Ok(())
}

/// Pushes the resource's bookings; returns the ids of our events (not to be pulled back).
async fn push(b: &Bookings, api: &mut Api<'_>, ws: &WorkspaceId, rid: &ResourceId) -> Result<Vec<String>, SyncError> {
    let now = b.now().0;
    let (active, pushes, services) = {
        let mut c = b.db.conn().await?;
        let active: Vec<Booking> = row::find_all(
            &mut c,
            "WHERE workspace_id = $1 AND status IN ('confirmed', 'pending') AND ends_at > $2 AND starts_at < $3 AND id IN \
             (SELECT booking_id FROM booking_allocations WHERE workspace_id = $1 AND resource_id = $4 AND booking_id IS NOT NULL) \
             ORDER BY starts_at",
            (ws, now - PUSH_BEHIND, now + AHEAD, rid),
        )
        .await?;
        let pushes = row::all_with(
            &mut c,
            "SELECT booking_id, event_id, etag, pushed_version, deleted FROM calendar_pushes \
             WHERE workspace_id = $1 AND resource_id = $2",
            (ws, rid),
            |r| {
                Ok(Push {
                    booking_id: row::FromColumn::from_column(r, "booking_id")?,
                    event_id: row::FromColumn::from_column(r, "event_id")?,
                    etag: row::opt_str(r, "etag"),
                    pushed_version: row::FromColumn::from_column(r, "pushed_version")?,
                    deleted: <i64 as row::FromColumn>::from_column(r, "deleted")? != 0,
                })
            },
        )
        .await?;
        let services: std::collections::HashMap<String, String> =
            q::services(&mut c, ws).await?.into_iter().map(|s| (s.id.to_string(), s.name)).collect();
        (active, pushes, services)
    };
    let url = api.events_url();
    let mut ours: Vec<String> = pushes.iter().map(|p| p.event_id.clone()).collect();
    for bk in &active {
        let id = event_id(bk);
        let prev = pushes.iter().find(|p| p.booking_id == bk.id.as_str());
        if prev.is_some_and(|p| !p.deleted && p.pushed_version >= bk.updated_at) {
            continue;
        }
        let service = services.get(bk.service_id.as_str()).cloned().unwrap_or_default();
        let first = first_name(bk.customer_name.as_deref().unwrap_or(""));
        let summary = if first.is_empty() { service } else { format!("{service} · {first}") };
        let body = json!({
            "id": id,
            "summary": summary,
            "start": { "dateTime": rfc3339(bk.starts_at) },
            "end": { "dateTime": rfc3339(bk.ends_at) },
            "status": "confirmed",
            "transparency": "opaque",
            "extendedProperties": { "private": { "frontdesk": "booking" } },
        });
        let item = format!("{url}/{id}");
        let (st, v) = match prev {
            None => match api.call("POST", &url, Some(&body), None).await? {
                // Inserted before (a retry after a lost answer): the same event, patched.
                (409, _) => api.call("PATCH", &item, Some(&body), None).await?,
                other => other,
            },
            Some(p) => match api.call("PATCH", &item, Some(&body), p.etag.as_deref().filter(|_| !p.deleted)).await? {
                // Changed in Google since: read its etag, then patch over it.
                (412, _) => {
                    let (_, cur) = api.call("GET", &item, None, None).await?;
                    api.call("PATCH", &item, Some(&body), cur["etag"].as_str()).await?
                }
                (404, _) => api.call("POST", &url, Some(&body), None).await?,
                other => other,
            },
        };
        if !(200..300).contains(&st) {
            return Err(SyncError::Failed(format!(
                "Google Calendar refused an event ({st}): {}",
                v["error"]["message"]
            )));
        }
        record_push(b, ws, rid, bk, &id, v["etag"].as_str()).await?;
        ours.push(id);
    }
    for p in pushes.iter().filter(|p| !p.deleted && !active.iter().any(|bk| bk.id.as_str() == p.booking_id)) {
        let (st, _) = api.call("DELETE", &format!("{url}/{}", p.event_id), None, None).await?;
        if !(matches!(st, 204 | 200 | 404 | 410)) {
            return Err(SyncError::Failed(format!("Google Calendar refused a deletion ({st})")));
        }
        let mut c = b.db.conn().await?;
        row::execute(
            &mut c,
            "UPDATE calendar_pushes SET deleted = 1 WHERE workspace_id = $1 AND resource_id = $2 AND booking_id = $3",
            (ws, rid, p.booking_id.as_str()),
        )
        .await?;
    }
    Ok(ours)
}

async fn record_push(
    b: &Bookings,
    ws: &WorkspaceId,
    rid: &ResourceId,
    bk: &Booking,
    id: &str,
    etag: Option<&str>,
) -> Result<(), SyncError> {
    let mut c = b.db.conn().await?;
    row::execute(
        &mut c,
        "INSERT INTO calendar_pushes (workspace_id, resource_id, booking_id, event_id, etag, pushed_version, deleted) \
         VALUES ($1, $2, $3, $4, $5, $6, 0) ON CONFLICT (resource_id, booking_id) \
         DO UPDATE SET event_id = $4, etag = $5, pushed_version = $6, deleted = 0",
        (ws, rid, bk.id.as_str(), id, etag, bk.updated_at),
    )
    .await?;
    Ok(())
}

/// Pulls the calendar's changes since the last sync token (everything from a day ago the first
/// time, and after Google's `410`).
async fn pull(
    b: &Bookings,
    api: &mut Api<'_>,
    ws: &WorkspaceId,
    rid: &ResourceId,
    tz: &str,
    ours: &[String],
) -> Result<(), SyncError> {
    let url = api.events_url();
    let mut sync = api.conn.sync_token.clone();
    let mut page: Option<String> = None;
    let mut restarts = 0;
    for _ in 0..200 {
        let time_min = rfc3339(b.now().0 - PUSH_BEHIND);
        let mut params: Vec<(&str, &str)> = vec![("maxResults", "250")];
        match &sync {
            Some(t) => params.push(("syncToken", t.as_str())),
            None => {
                params.push(("timeMin", time_min.as_str()));
                params.push(("singleEvents", "true"));
            }
        }
        if let Some(pt) = &page {
            params.push(("pageToken", pt.as_str()));
        }
        let (st, v) = api.call("GET", &frontdesk_platform::oidc::with_query(&url, &params), None, None).await?;
        if st == 410 && restarts == 0 {
            // The sync token expired: start over with a full listing.
            restarts += 1;
            sync = None;
            page = None;
            let mut c = b.db.conn().await?;
            row::execute(&mut c, "DELETE FROM calendar_busy WHERE workspace_id = $1 AND resource_id = $2", (ws, rid))
                .await?;
            continue;
        }
        if st != 200 {
            return Err(SyncError::Failed(format!(
                "Google Calendar refused the listing ({st}): {}",
                v["error"]["message"]
            )));
        }
        let mut c = b.db.conn().await?;
        for e in v["items"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
            let Some(id) = e["id"].as_str().filter(|i| !i.is_empty() && i.len() <= 1024) else { continue };
            if ours.iter().any(|o| o == id) {
                continue;
            }
            let gone = e["status"].as_str() == Some("cancelled") || e["transparency"].as_str() == Some("transparent");
            match span_of(e, tz).filter(|_| !gone) {
                Some((s, en)) => {
                    row::execute(
                        &mut c,
                        "INSERT INTO calendar_busy (workspace_id, resource_id, event_id, starts_at, ends_at) \
                         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (resource_id, event_id) DO UPDATE SET starts_at = $4, ends_at = $5",
                        (ws, rid, id, s, en),
                    )
                    .await?;
                }
                None => {
                    row::execute(
                        &mut c,
                        "DELETE FROM calendar_busy WHERE workspace_id = $1 AND resource_id = $2 AND event_id = $3",
                        (ws, rid, id),
                    )
                    .await?;
                }
            }
        }
        if let Some(next) = v["nextPageToken"].as_str() {
            page = Some(next.to_string());
            continue;
        }
        let token = v["nextSyncToken"].as_str().map(str::to_string);
        row::execute(
            &mut c,
            "UPDATE calendar_connections SET sync_token = $3 WHERE workspace_id = $1 AND resource_id = $2",
            (ws, rid, token.as_deref()),
        )
        .await?;
        return Ok(());
    }
    Err(SyncError::Failed("Google Calendar kept paging".into()))
}

/// The connection's state for its page, with who connected it.
pub fn connected_by(c: &Connection) -> Option<UserId> {
    c.connected_by.as_deref().and_then(UserId::parse)
}
