//! Channels and the raw inbound events their webhooks deliver.

use frontdesk_core::inbox::ChannelKind;
use frontdesk_core::{ChannelId, InboundEventId, Timestamp, WorkspaceId};
use frontdesk_store::row::{self, opt_i64, opt_str, FromRow};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

#[derive(Clone, Debug)]
pub struct Channel {
    pub id: ChannelId,
    pub workspace_id: WorkspaceId,
    pub kind: ChannelKind,
    pub name: String,
    pub account_id: String,
    pub app_id: Option<String>,
    pub config: String,
    /// Sealed credentials (never shown).
    pub secrets: Option<String>,
    pub disabled_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLS: &str =
    "id, workspace_id, kind, name, account_id, app_id, config, secrets, disabled_at, created_at, updated_at";

impl FromRow for Channel {
    fn from_row(r: &AnyRow) -> sqlx::Result<Self> {
        Ok(Channel {
            id: ChannelId::from_db(r.get("id")),
            workspace_id: WorkspaceId::from_db(r.get("workspace_id")),
            kind: row::parsed(r, "kind", ChannelKind::parse)?,
            name: r.get("name"),
            account_id: r.get("account_id"),
            app_id: opt_str(r, "app_id"),
            config: r.get("config"),
            secrets: opt_str(r, "secrets"),
            disabled_at: opt_i64(r, "disabled_at"),
            created_at: r.get("created_at"),
            updated_at: r.get("updated_at"),
        })
    }
}

pub struct NewChannel<'a> {
    pub id: &'a ChannelId,
    pub workspace_id: &'a WorkspaceId,
    pub kind: &'a str,
    pub name: &'a str,
    pub account_id: &'a str,
    pub app_id: Option<&'a str>,
    pub config: &'a str,
    pub secrets: Option<&'a str>,
}

pub async fn insert(c: &mut AnyConnection, n: NewChannel<'_>, now: Timestamp) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO channels (id, workspace_id, kind, name, account_id, app_id, config, secrets, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(n.id.as_str())
    .bind(n.workspace_id.as_str())
    .bind(n.kind)
    .bind(n.name)
    .bind(n.account_id)
    .bind(n.app_id)
    .bind(n.config)
    .bind(n.secrets)
    .bind(now.0)
    .execute(c)
    .await?;
    Ok(())
}

/// A channel by id, whatever its workspace (webhook routing); callers check the workspace.
pub async fn by_id(c: &mut AnyConnection, id: &ChannelId) -> sqlx::Result<Option<Channel>> {
    row::optional(c, sqlx::query(&format!("SELECT {COLS} FROM channels WHERE id = $1")).bind(id.as_str())).await
}

pub async fn in_workspace(c: &mut AnyConnection, ws: &WorkspaceId, id: &ChannelId) -> sqlx::Result<Option<Channel>> {
    row::optional(
        c,
        sqlx::query(&format!("SELECT {COLS} FROM channels WHERE workspace_id = $1 AND id = $2"))
            .bind(ws.as_str())
            .bind(id.as_str()),
    )
    .await
}

pub async fn list(c: &mut AnyConnection, ws: &WorkspaceId) -> sqlx::Result<Vec<Channel>> {
    row::all(
        c,
        sqlx::query(&format!("SELECT {COLS} FROM channels WHERE workspace_id = $1 ORDER BY created_at, id"))
            .bind(ws.as_str()),
    )
    .await
}

/// Every channel (enabled or not) of a kind that shares a Meta app.
pub async fn by_app(c: &mut AnyConnection, kind: &str, app_id: &str) -> sqlx::Result<Vec<Channel>> {
    row::all(
        c,
        sqlx::query(&format!("SELECT {COLS} FROM channels WHERE kind = $1 AND app_id = $2 ORDER BY created_at, id"))
            .bind(kind)
            .bind(app_id),
    )
    .await
}

/// Every channel with a Meta app id, whatever the kind (the app-level route).
pub async fn by_any_app(c: &mut AnyConnection, app_id: &str) -> sqlx::Result<Vec<Channel>> {
    row::all(
        c,
        sqlx::query(&format!("SELECT {COLS} FROM channels WHERE app_id = $1 ORDER BY created_at, id")).bind(app_id),
    )
    .await
}

pub struct ChannelUpdate<'a> {
    pub name: &'a str,
    pub config: &'a str,
    pub secrets: Option<&'a str>,
    pub disabled_at: Option<i64>,
}

pub async fn update(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    id: &ChannelId,
    u: ChannelUpdate<'_>,
    now: Timestamp,
) -> sqlx::Result<bool> {
    row::one_changed(
        c,
        sqlx::query(
            "UPDATE channels SET name = $3, config = $4, secrets = $5, disabled_at = $6, updated_at = $7 WHERE workspace_id = $1 AND id = $2",
        )
        .bind(ws.as_str())
        .bind(id.as_str())
        .bind(u.name)
        .bind(u.config)
        .bind(u.secrets)
        .bind(u.disabled_at)
        .bind(now.0),
    )
    .await
}

// ---- raw inbound events ----

#[derive(Clone, Debug)]
pub struct InboundEvent {
    pub id: InboundEventId,
    pub provider: String,
    pub route: String,
    /// The delivery's bytes exactly as received.
    pub body: Vec<u8>,
    /// The `X-Hub-Signature-256` it came with (Meta deliveries).
    pub signature: Option<String>,
    pub status: String,
    pub reason: Option<String>,
    pub attempts: i64,
    pub received_at: i64,
    pub processed_at: Option<i64>,
}

const EVENT_COLS: &str = "id, provider, route, body, signature, status, reason, attempts, received_at, processed_at";

fn event(r: &AnyRow) -> InboundEvent {
    InboundEvent {
        id: InboundEventId::from_db(r.get("id")),
        provider: r.get("provider"),
        route: r.get("route"),
        body: r.get("body"),
        signature: opt_str(r, "signature"),
        status: r.get("status"),
        reason: opt_str(r, "reason"),
        attempts: r.get("attempts"),
        received_at: r.get("received_at"),
        processed_at: opt_i64(r, "processed_at"),
    }
}

/// A verified delivery as it is stored.
pub struct NewEvent<'a> {
    pub id: &'a InboundEventId,
    pub provider: &'a str,
    pub route: &'a str,
    pub sha256: &'a str,
    pub body: &'a [u8],
    pub signature: Option<&'a str>,
}

/// Stores a delivery as received; `false` when the same bytes on the same route are already
/// stored (a redelivery).
pub async fn insert_event(c: &mut AnyConnection, e: NewEvent<'_>, now: Timestamp) -> sqlx::Result<bool> {
    row::one_changed(
        c,
        sqlx::query(
            "INSERT INTO inbound_events (id, provider, route, body_sha256, body, signature, status, attempts, received_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7) ON CONFLICT DO NOTHING",
        )
        .bind(e.id.as_str())
        .bind(e.provider)
        .bind(e.route)
        .bind(e.sha256)
        .bind(e.body.to_vec())
        .bind(e.signature)
        .bind(now.0),
    )
    .await
}

/// Pending events, oldest first, locked for this transaction on PostgreSQL (other nodes skip
/// them). Runs inside the transaction that processes them.
pub async fn claim_pending(c: &mut AnyConnection, postgres: bool, limit: i64) -> sqlx::Result<Vec<InboundEvent>> {
    let lock = if postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
    Ok(sqlx::query(&format!(
        "SELECT {EVENT_COLS} FROM inbound_events WHERE status = 'pending' ORDER BY received_at, id LIMIT $1{lock}"
    ))
    .bind(limit)
    .fetch_all(c)
    .await?
    .iter()
    .map(event)
    .collect())
}

pub async fn finish_event(
    c: &mut AnyConnection,
    id: &InboundEventId,
    status: &str,
    reason: Option<&str>,
    now: Timestamp,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE inbound_events SET status = $2, reason = $3, processed_at = $4, attempts = attempts + 1 WHERE id = $1",
    )
    .bind(id.as_str())
    .bind(status)
    .bind(reason)
    .bind(now.0)
    .execute(c)
    .await?;
    Ok(())
}

/// Marks many events processed in one statement.
pub async fn finish_processed(c: &mut AnyConnection, ids: &[InboundEventId], now: Timestamp) -> sqlx::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let marks: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "UPDATE inbound_events SET status = 'processed', reason = NULL, processed_at = $1, attempts = attempts + 1 WHERE id IN ({})",
        marks.join(", ")
    );
    let mut q = sqlx::query(&sql).bind(now.0);
    for id in ids {
        q = q.bind(id.as_str());
    }
    q.execute(c).await?;
    Ok(())
}

/// An event that hit an unexpected error: retried later, until `max_attempts`, then `failed`.
pub async fn retry_event(
    c: &mut AnyConnection,
    id: &InboundEventId,
    reason: &str,
    max_attempts: i64,
    now: Timestamp,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE inbound_events SET attempts = attempts + 1, reason = $2, status = CASE WHEN attempts + 1 >= $3 THEN 'failed' ELSE 'pending' END, processed_at = CASE WHEN attempts + 1 >= $3 THEN $4 ELSE NULL END WHERE id = $1",
    )
    .bind(id.as_str())
    .bind(reason)
    .bind(max_attempts)
    .bind(now.0)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn count_pending(c: &mut AnyConnection) -> sqlx::Result<i64> {
    Ok(sqlx::query("SELECT COUNT(*) AS n FROM inbound_events WHERE status = 'pending'").fetch_one(c).await?.get("n"))
}

/// Whether anything is pending (an index probe, for the idle worker).
pub async fn any_pending(c: &mut AnyConnection) -> sqlx::Result<bool> {
    Ok(sqlx::query("SELECT id FROM inbound_events WHERE status = 'pending' LIMIT 1").fetch_optional(c).await?.is_some())
}

/// Events by status for operators (`unparseable`, `failed`, `rejected`), newest first.
pub async fn events_with_status(c: &mut AnyConnection, status: &str, limit: i64) -> sqlx::Result<Vec<InboundEvent>> {
    Ok(sqlx::query(&format!(
        "SELECT {EVENT_COLS} FROM inbound_events WHERE status = $1 ORDER BY received_at DESC, id DESC LIMIT $2"
    ))
    .bind(status)
    .bind(limit)
    .fetch_all(c)
    .await?
    .iter()
    .map(event)
    .collect())
}

/// Deletes processed raw events received before `before`; pending ones are kept.
pub async fn purge_events(c: &mut AnyConnection, before: Timestamp) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM inbound_events WHERE received_at < $1 AND status <> 'pending'")
        .bind(before.0)
        .execute(c)
        .await?
        .rows_affected())
}

/// The enabled channel of a kind that owns a provider account, if any.
pub async fn active_by_account(c: &mut AnyConnection, kind: &str, account_id: &str) -> sqlx::Result<Option<Channel>> {
    row::optional(
        c,
        sqlx::query(&format!(
            "SELECT {COLS} FROM channels WHERE kind = $1 AND account_id = $2 AND disabled_at IS NULL"
        ))
        .bind(kind)
        .bind(account_id),
    )
    .await
}

/// Every channel of a kind owning a provider account, enabled or not (routing explains why an
/// item was refused).
pub async fn by_account(c: &mut AnyConnection, kind: &str, account_id: &str) -> sqlx::Result<Vec<Channel>> {
    row::all(
        c,
        sqlx::query(&format!(
            "SELECT {COLS} FROM channels WHERE kind = $1 AND account_id = $2 ORDER BY created_at DESC"
        ))
        .bind(kind)
        .bind(account_id),
    )
    .await
}

/// Takes one pending event again (a batch that failed is retried one event at a time).
pub async fn claim_one(
    c: &mut AnyConnection,
    postgres: bool,
    id: &InboundEventId,
) -> sqlx::Result<Option<InboundEvent>> {
    let lock = if postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
    Ok(sqlx::query(&format!("SELECT {EVENT_COLS} FROM inbound_events WHERE id = $1 AND status = 'pending'{lock}"))
        .bind(id.as_str())
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(event))
}
