//! Outgoing webhooks and their delivery log.

use frontdesk_core::{WebhookDeliveryId, WebhookId, WorkspaceId};
use frontdesk_store::row::{opt_i64, opt_str};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

#[derive(Clone, Debug)]
pub struct Webhook {
    pub id: WebhookId,
    pub workspace_id: WorkspaceId,
    pub url: String,
    pub events: Vec<String>,
    /// Sealed.
    pub secret: String,
    pub disabled_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug)]
pub struct Delivery {
    pub id: WebhookDeliveryId,
    pub webhook_id: WebhookId,
    pub workspace_id: WorkspaceId,
    pub event: String,
    pub payload: String,
    pub status: String,
    pub attempts: i64,
    pub response_status: Option<i64>,
    pub error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const HOOK_COLS: &str = "id, workspace_id, url, events, secret, disabled_at, created_at, updated_at";
const DELIVERY_COLS: &str =
    "id, webhook_id, workspace_id, event, payload, status, attempts, response_status, error, created_at, updated_at";

fn hook(r: &AnyRow) -> Webhook {
    Webhook {
        id: WebhookId::from_db(r.get("id")),
        workspace_id: WorkspaceId::from_db(r.get("workspace_id")),
        url: r.get("url"),
        events: r.get::<String, _>("events").split(',').filter(|e| !e.is_empty()).map(str::to_string).collect(),
        secret: r.get("secret"),
        disabled_at: opt_i64(r, "disabled_at"),
        created_at: r.get("created_at"),
        updated_at: r.get("updated_at"),
    }
}

fn delivery(r: &AnyRow) -> Delivery {
    Delivery {
        id: WebhookDeliveryId::from_db(r.get("id")),
        webhook_id: WebhookId::from_db(r.get("webhook_id")),
        workspace_id: WorkspaceId::from_db(r.get("workspace_id")),
        event: r.get("event"),
        payload: r.get("payload"),
        status: r.get("status"),
        attempts: r.get("attempts"),
        response_status: opt_i64(r, "response_status"),
        error: opt_str(r, "error"),
        created_at: r.get("created_at"),
        updated_at: r.get("updated_at"),
    }
}

pub async fn insert(c: &mut AnyConnection, w: &Webhook) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO webhooks (id, workspace_id, url, events, secret, disabled_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(w.id.as_str())
    .bind(w.workspace_id.as_str())
    .bind(w.url.as_str())
    .bind(w.events.join(","))
    .bind(w.secret.as_str())
    .bind(w.disabled_at)
    .bind(w.created_at)
    .bind(w.updated_at)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn list(c: &mut AnyConnection, ws: &WorkspaceId) -> sqlx::Result<Vec<Webhook>> {
    Ok(sqlx::query(&format!("SELECT {HOOK_COLS} FROM webhooks WHERE workspace_id = $1 ORDER BY created_at, id"))
        .bind(ws.as_str())
        .fetch_all(c)
        .await?
        .iter()
        .map(hook)
        .collect())
}

pub async fn get(c: &mut AnyConnection, ws: &WorkspaceId, id: &WebhookId) -> sqlx::Result<Option<Webhook>> {
    Ok(sqlx::query(&format!("SELECT {HOOK_COLS} FROM webhooks WHERE workspace_id = $1 AND id = $2"))
        .bind(ws.as_str())
        .bind(id.as_str())
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(hook))
}

pub async fn delete(c: &mut AnyConnection, ws: &WorkspaceId, id: &WebhookId) -> sqlx::Result<bool> {
    // The log goes with it (the foreign key cascades on PostgreSQL; SQLite may not enforce it).
    sqlx::query("DELETE FROM webhook_deliveries WHERE workspace_id = $1 AND webhook_id = $2")
        .bind(ws.as_str())
        .bind(id.as_str())
        .execute(&mut *c)
        .await?;
    let done = sqlx::query("DELETE FROM webhooks WHERE workspace_id = $1 AND id = $2")
        .bind(ws.as_str())
        .bind(id.as_str())
        .execute(c)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn insert_delivery(c: &mut AnyConnection, d: &Delivery) -> sqlx::Result<()> {
    sqlx::query(&format!(
        "INSERT INTO webhook_deliveries ({DELIVERY_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    ))
    .bind(d.id.as_str())
    .bind(d.webhook_id.as_str())
    .bind(d.workspace_id.as_str())
    .bind(d.event.as_str())
    .bind(d.payload.as_str())
    .bind(d.status.as_str())
    .bind(d.attempts)
    .bind(d.response_status)
    .bind(d.error.as_deref())
    .bind(d.created_at)
    .bind(d.updated_at)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn delivery_by_id(c: &mut AnyConnection, id: &WebhookDeliveryId) -> sqlx::Result<Option<Delivery>> {
    Ok(sqlx::query(&format!("SELECT {DELIVERY_COLS} FROM webhook_deliveries WHERE id = $1"))
        .bind(id.as_str())
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(delivery))
}

/// Hooks are looked up by id alone only by the delivery job (the delivery row names the workspace).
pub async fn by_id(c: &mut AnyConnection, id: &WebhookId) -> sqlx::Result<Option<Webhook>> {
    Ok(sqlx::query(&format!("SELECT {HOOK_COLS} FROM webhooks WHERE id = $1"))
        .bind(id.as_str())
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(hook))
}

pub async fn record_attempt(
    c: &mut AnyConnection,
    id: &WebhookDeliveryId,
    status: &str,
    response_status: Option<i64>,
    error: Option<&str>,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1, response_status = $2, error = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(status)
    .bind(response_status)
    .bind(error)
    .bind(now)
    .bind(id.as_str())
    .execute(c)
    .await?;
    Ok(())
}

pub async fn deliveries(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    hook: &WebhookId,
    limit: i64,
) -> sqlx::Result<Vec<Delivery>> {
    Ok(sqlx::query(&format!(
        "SELECT {DELIVERY_COLS} FROM webhook_deliveries WHERE workspace_id = $1 AND webhook_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3"
    ))
    .bind(ws.as_str())
    .bind(hook.as_str())
    .bind(limit)
    .fetch_all(c)
    .await?
    .iter()
    .map(delivery)
    .collect())
}
