//! Channels and the raw inbound events their webhooks deliver.

use frontdesk_core::inbox::ChannelKind;
use frontdesk_core::{ChannelId, InboundEventId, Timestamp, WorkspaceId};
use frontdesk_store::row;
use sqlx::AnyConnection;

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

row::table!(Channel in "channels" {
    id, workspace_id, kind, name, account_id, app_id, config, secrets, disabled_at, created_at, updated_at
});

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
    let sql = "INSERT INTO channels (id, workspace_id, kind, name, account_id, app_id, config, secrets, created_at, \
               updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)";
    row::execute(c, sql, (n.id, n.workspace_id, n.kind, n.name, n.account_id, n.app_id, n.config, n.secrets, now)).await
}

/// A channel by id, whatever its workspace (webhook routing); callers check the workspace.
pub async fn by_id(c: &mut AnyConnection, id: &ChannelId) -> sqlx::Result<Option<Channel>> {
    row::find(c, "WHERE id = $1", id).await
}

pub async fn in_workspace(c: &mut AnyConnection, ws: &WorkspaceId, id: &ChannelId) -> sqlx::Result<Option<Channel>> {
    row::find(c, "WHERE workspace_id = $1 AND id = $2", (ws, id)).await
}

pub async fn list(c: &mut AnyConnection, ws: &WorkspaceId) -> sqlx::Result<Vec<Channel>> {
    row::find_all(c, "WHERE workspace_id = $1 ORDER BY created_at, id", ws).await
}

/// Every channel (enabled or not) of a kind that shares a Meta app.
pub async fn by_app(c: &mut AnyConnection, kind: &str, app_id: &str) -> sqlx::Result<Vec<Channel>> {
    row::find_all(c, "WHERE kind = $1 AND app_id = $2 ORDER BY created_at, id", (kind, app_id)).await
}

/// Every channel with a Meta app id, whatever the kind (the app-level route).
pub async fn by_any_app(c: &mut AnyConnection, app_id: &str) -> sqlx::Result<Vec<Channel>> {
    row::find_all(c, "WHERE app_id = $1 ORDER BY created_at, id", app_id).await
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
    let sql = "UPDATE channels SET name = $3, config = $4, secrets = $5, disabled_at = $6, updated_at = $7 \
               WHERE workspace_id = $1 AND id = $2";
    row::one_changed(c, sql, (ws, id, u.name, u.config, u.secrets, u.disabled_at, now)).await
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

row::table!(InboundEvent in "inbound_events" {
    id, provider, route, body, signature, status, reason, attempts, received_at, processed_at
});

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
    let sql = "INSERT INTO inbound_events (id, provider, route, body_sha256, body, signature, status, attempts, \
               received_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7) ON CONFLICT DO NOTHING";
    row::one_changed(c, sql, (e.id, e.provider, e.route, e.sha256, e.body.to_vec(), e.signature, now)).await
}

/// `FOR UPDATE SKIP LOCKED` on PostgreSQL: other nodes skip the rows this transaction holds.
fn skip_locked(postgres: bool) -> &'static str {
    if postgres {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    }
}

/// Pending events, oldest first, locked for this transaction on PostgreSQL (other nodes skip
/// them). Runs inside the transaction that processes them.
pub async fn claim_pending(c: &mut AnyConnection, postgres: bool, limit: i64) -> sqlx::Result<Vec<InboundEvent>> {
    let clause = format!("WHERE status = 'pending' ORDER BY received_at, id LIMIT $1{}", skip_locked(postgres));
    row::find_all(c, &clause, limit).await
}

pub async fn finish_event(
    c: &mut AnyConnection,
    id: &InboundEventId,
    status: &str,
    reason: Option<&str>,
    now: Timestamp,
) -> sqlx::Result<()> {
    let sql = "UPDATE inbound_events SET status = $2, reason = $3, processed_at = $4, attempts = attempts + 1 \
               WHERE id = $1";
    row::execute(c, sql, (id, status, reason, now)).await
}

/// Marks many events processed in one statement.
pub async fn finish_processed(c: &mut AnyConnection, ids: &[InboundEventId], now: Timestamp) -> sqlx::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE inbound_events SET status = 'processed', reason = NULL, processed_at = $1, attempts = attempts + 1 \
         WHERE id IN ({})",
        row::placeholders(2, ids.len())
    );
    row::execute(c, &sql, (now, ids)).await
}

/// An event that hit an unexpected error: retried later, until `max_attempts`, then `failed`.
pub async fn retry_event(
    c: &mut AnyConnection,
    id: &InboundEventId,
    reason: &str,
    max_attempts: i64,
    now: Timestamp,
) -> sqlx::Result<()> {
    let sql = "UPDATE inbound_events SET attempts = attempts + 1, reason = $2, \
               status = CASE WHEN attempts + 1 >= $3 THEN 'failed' ELSE 'pending' END, \
               processed_at = CASE WHEN attempts + 1 >= $3 THEN $4 ELSE NULL END WHERE id = $1";
    row::execute(c, sql, (id, reason, max_attempts, now)).await
}

pub async fn count_pending(c: &mut AnyConnection) -> sqlx::Result<i64> {
    row::scalar(c, "SELECT COUNT(*) AS n FROM inbound_events WHERE status = 'pending'", ()).await
}

/// Whether anything is pending (an index probe, for the idle worker).
pub async fn any_pending(c: &mut AnyConnection) -> sqlx::Result<bool> {
    let id: Option<String> =
        row::opt_scalar(c, "SELECT id FROM inbound_events WHERE status = 'pending' LIMIT 1", ()).await?;
    Ok(id.is_some())
}

/// Events by status for operators (`unparseable`, `failed`, `rejected`), newest first.
pub async fn events_with_status(c: &mut AnyConnection, status: &str, limit: i64) -> sqlx::Result<Vec<InboundEvent>> {
    row::find_all(c, "WHERE status = $1 ORDER BY received_at DESC, id DESC LIMIT $2", (status, limit)).await
}

/// Deletes processed raw events received before `before`; pending ones are kept.
pub async fn purge_events(c: &mut AnyConnection, before: Timestamp) -> sqlx::Result<u64> {
    row::changed(c, "DELETE FROM inbound_events WHERE received_at < $1 AND status <> 'pending'", before).await
}

/// The enabled channel of a kind that owns a provider account, if any.
pub async fn active_by_account(c: &mut AnyConnection, kind: &str, account_id: &str) -> sqlx::Result<Option<Channel>> {
    row::find(c, "WHERE kind = $1 AND account_id = $2 AND disabled_at IS NULL", (kind, account_id)).await
}

/// Every channel of a kind owning a provider account, enabled or not (routing explains why an
/// item was refused).
pub async fn by_account(c: &mut AnyConnection, kind: &str, account_id: &str) -> sqlx::Result<Vec<Channel>> {
    row::find_all(c, "WHERE kind = $1 AND account_id = $2 ORDER BY created_at DESC", (kind, account_id)).await
}

/// Takes one pending event again (a batch that failed is retried one event at a time).
pub async fn claim_one(
    c: &mut AnyConnection,
    postgres: bool,
    id: &InboundEventId,
) -> sqlx::Result<Option<InboundEvent>> {
    row::find(c, &format!("WHERE id = $1 AND status = 'pending'{}", skip_locked(postgres)), id).await
}
