//! Saved replies of a workspace.

use frontdesk_core::{SavedReplyId, WorkspaceId};
use sqlx::{AnyConnection, Row};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedReply {
    pub id: SavedReplyId,
    pub shortcut: String,
    pub body: String,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

fn row(r: &sqlx::any::AnyRow) -> SavedReply {
    SavedReply {
        id: SavedReplyId::from_db(r.get("id")),
        shortcut: r.get("shortcut"),
        body: r.get("body"),
        created_by: r.try_get::<Option<String>, _>("created_by").ok().flatten(),
        created_at: r.get("created_at"),
        updated_at: r.get("updated_at"),
    }
}

pub async fn list(c: &mut AnyConnection, ws: &WorkspaceId) -> sqlx::Result<Vec<SavedReply>> {
    Ok(sqlx::query(
        "SELECT id, shortcut, body, created_by, created_at, updated_at FROM saved_replies WHERE workspace_id = $1 ORDER BY shortcut",
    )
    .bind(ws.as_str())
    .fetch_all(c)
    .await?
    .iter()
    .map(row)
    .collect())
}

pub async fn get(c: &mut AnyConnection, ws: &WorkspaceId, id: &SavedReplyId) -> sqlx::Result<Option<SavedReply>> {
    Ok(sqlx::query(
        "SELECT id, shortcut, body, created_by, created_at, updated_at FROM saved_replies WHERE workspace_id = $1 AND id = $2",
    )
    .bind(ws.as_str())
    .bind(id.as_str())
    .fetch_optional(c)
    .await?
    .as_ref()
    .map(row))
}

pub async fn insert(c: &mut AnyConnection, ws: &WorkspaceId, r: &SavedReply) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO saved_replies (id, workspace_id, shortcut, body, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(r.id.as_str())
    .bind(ws.as_str())
    .bind(r.shortcut.as_str())
    .bind(r.body.as_str())
    .bind(r.created_by.as_deref())
    .bind(r.created_at)
    .bind(r.updated_at)
    .execute(c)
    .await?;
    Ok(())
}

/// `false` when there is no such saved reply in the workspace.
pub async fn update(c: &mut AnyConnection, ws: &WorkspaceId, r: &SavedReply) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE saved_replies SET shortcut = $1, body = $2, updated_at = $3 WHERE workspace_id = $4 AND id = $5",
    )
    .bind(r.shortcut.as_str())
    .bind(r.body.as_str())
    .bind(r.updated_at)
    .bind(ws.as_str())
    .bind(r.id.as_str())
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete(c: &mut AnyConnection, ws: &WorkspaceId, id: &SavedReplyId) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM saved_replies WHERE workspace_id = $1 AND id = $2")
        .bind(ws.as_str())
        .bind(id.as_str())
        .execute(c)
        .await?;
    Ok(done.rows_affected() == 1)
}
