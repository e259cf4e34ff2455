//! Saved replies of a workspace.

use frontdesk_core::{SavedReplyId, WorkspaceId};
use frontdesk_store::row;
use sqlx::AnyConnection;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedReply {
    pub id: SavedReplyId,
    pub shortcut: String,
    pub body: String,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

row::table!(SavedReply in "saved_replies" { id, shortcut, body, created_by, created_at, updated_at });

pub async fn list(c: &mut AnyConnection, ws: &WorkspaceId) -> sqlx::Result<Vec<SavedReply>> {
    row::find_all(c, "WHERE workspace_id = $1 ORDER BY shortcut", ws).await
}

pub async fn get(c: &mut AnyConnection, ws: &WorkspaceId, id: &SavedReplyId) -> sqlx::Result<Option<SavedReply>> {
    row::find(c, "WHERE workspace_id = $1 AND id = $2", (ws, id)).await
}

pub async fn insert(c: &mut AnyConnection, ws: &WorkspaceId, r: &SavedReply) -> sqlx::Result<()> {
    let sql = "INSERT INTO saved_replies (id, workspace_id, shortcut, body, created_by, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7)";
    row::execute(c, sql, (&r.id, ws, &r.shortcut, &r.body, &r.created_by, r.created_at, r.updated_at)).await
}

/// `false` when there is no such saved reply in the workspace.
pub async fn update(c: &mut AnyConnection, ws: &WorkspaceId, r: &SavedReply) -> sqlx::Result<bool> {
    let sql = "UPDATE saved_replies SET shortcut = $1, body = $2, updated_at = $3 WHERE workspace_id = $4 AND id = $5";
    row::one_changed(c, sql, (&r.shortcut, &r.body, r.updated_at, ws, &r.id)).await
}

pub async fn delete(c: &mut AnyConnection, ws: &WorkspaceId, id: &SavedReplyId) -> sqlx::Result<bool> {
    row::one_changed(c, "DELETE FROM saved_replies WHERE workspace_id = $1 AND id = $2", (ws, id)).await
}
