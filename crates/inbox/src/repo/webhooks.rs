//! Outgoing webhooks and their delivery log.

use frontdesk_core::{WebhookDeliveryId, WebhookId, WorkspaceId};
use frontdesk_store::row::{self, opt_i64, FromRow, Table};
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

impl Table for Webhook {
    const FROM: &'static str = "webhooks";
    const COLUMNS: &'static str = "id, workspace_id, url, events, secret, disabled_at, created_at, updated_at";
}

impl FromRow for Webhook {
    fn from_row(r: &AnyRow) -> sqlx::Result<Self> {
        Ok(Webhook {
            id: WebhookId::from_db(r.get("id")),
            workspace_id: WorkspaceId::from_db(r.get("workspace_id")),
            url: r.get("url"),
            events: r.get::<String, _>("events").split(',').filter(|e| !e.is_empty()).map(str::to_string).collect(),
            secret: r.get("secret"),
            disabled_at: opt_i64(r, "disabled_at"),
            created_at: r.get("created_at"),
            updated_at: r.get("updated_at"),
        })
    }
}

row::table!(Delivery in "webhook_deliveries" {
    id, webhook_id, workspace_id, event, payload, status, attempts, response_status, error, created_at, updated_at
});

pub async fn insert(c: &mut AnyConnection, w: &Webhook) -> sqlx::Result<()> {
    let sql = format!("INSERT INTO webhooks ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", Webhook::COLUMNS);
    let values =
        (&w.id, &w.workspace_id, &w.url, w.events.join(","), &w.secret, w.disabled_at, w.created_at, w.updated_at);
    row::execute(c, &sql, values).await
}

pub async fn list(c: &mut AnyConnection, ws: &WorkspaceId) -> sqlx::Result<Vec<Webhook>> {
    row::find_all(c, "WHERE workspace_id = $1 ORDER BY created_at, id", ws).await
}

pub async fn get(c: &mut AnyConnection, ws: &WorkspaceId, id: &WebhookId) -> sqlx::Result<Option<Webhook>> {
    row::find(c, "WHERE workspace_id = $1 AND id = $2", (ws, id)).await
}

pub async fn delete(c: &mut AnyConnection, ws: &WorkspaceId, id: &WebhookId) -> sqlx::Result<bool> {
    // The log goes with it (the foreign key cascades on PostgreSQL; SQLite may not enforce it).
    row::execute(&mut *c, "DELETE FROM webhook_deliveries WHERE workspace_id = $1 AND webhook_id = $2", (ws, id))
        .await?;
    row::one_changed(c, "DELETE FROM webhooks WHERE workspace_id = $1 AND id = $2", (ws, id)).await
}

pub async fn insert_delivery(c: &mut AnyConnection, d: &Delivery) -> sqlx::Result<()> {
    row::insert(c, d).await
}

pub async fn delivery_by_id(c: &mut AnyConnection, id: &WebhookDeliveryId) -> sqlx::Result<Option<Delivery>> {
    row::find(c, "WHERE id = $1", id).await
}

/// Hooks are looked up by id alone only by the delivery job (the delivery row names the workspace).
pub async fn by_id(c: &mut AnyConnection, id: &WebhookId) -> sqlx::Result<Option<Webhook>> {
    row::find(c, "WHERE id = $1", id).await
}

pub async fn record_attempt(
    c: &mut AnyConnection,
    id: &WebhookDeliveryId,
    status: &str,
    response_status: Option<i64>,
    error: Option<&str>,
    now: i64,
) -> sqlx::Result<()> {
    let sql = "UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1, response_status = $2, error = $3, \
               updated_at = $4 WHERE id = $5";
    row::execute(c, sql, (status, response_status, error, now, id)).await
}

pub async fn deliveries(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    hook: &WebhookId,
    limit: i64,
) -> sqlx::Result<Vec<Delivery>> {
    let clause = "WHERE workspace_id = $1 AND webhook_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3";
    row::find_all(c, clause, (ws, hook, limit)).await
}
