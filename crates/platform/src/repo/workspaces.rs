//! Workspaces, memberships, invitations and API tokens. Every query that reads or changes a
//! workspace's data is confined by its `WorkspaceId`.

use frontdesk_core::{ApiTokenId, InvitationId, Role, Timestamp, UserId, WorkspaceId};
use frontdesk_store::row::{self, FromRow};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

#[derive(Clone, Debug)]
pub struct Workspace {
    pub id: WorkspaceId,
    pub name: String,
    pub data_role: String,
    pub suspended_at: Option<i64>,
    pub created_at: i64,
}

row::table!(Workspace in "workspaces" { id, name, data_role, suspended_at, created_at });

pub async fn insert(c: &mut AnyConnection, id: &WorkspaceId, name: &str, now: Timestamp) -> sqlx::Result<()> {
    let sql = "INSERT INTO workspaces (id, name, created_at, updated_at) VALUES ($1, $2, $3, $3)";
    row::execute(c, sql, (id, name, now)).await
}

pub async fn by_id(c: &mut AnyConnection, id: &WorkspaceId) -> sqlx::Result<Option<Workspace>> {
    row::find(c, "WHERE id = $1", id).await
}

pub async fn rename(c: &mut AnyConnection, id: &WorkspaceId, name: &str, now: Timestamp) -> sqlx::Result<()> {
    row::execute(c, "UPDATE workspaces SET name = $2, updated_at = $3 WHERE id = $1", (id, name, now)).await
}

pub async fn list_all(c: &mut AnyConnection, limit: i64) -> sqlx::Result<Vec<(Workspace, i64)>> {
    let sql = "SELECT w.id, w.name, w.data_role, w.suspended_at, w.created_at, \
               (SELECT COUNT(*) FROM memberships m WHERE m.workspace_id = w.id) AS members \
               FROM workspaces w ORDER BY w.created_at LIMIT $1";
    row::all_with(c, sql, limit, |r| Ok((Workspace::from_row(r)?, r.get("members")))).await
}

pub async fn set_suspended(c: &mut AnyConnection, id: &WorkspaceId, at: Option<Timestamp>) -> sqlx::Result<bool> {
    row::one_changed(c, "UPDATE workspaces SET suspended_at = $2 WHERE id = $1", (id, at)).await
}

// ---- memberships ----

#[derive(Clone, Debug)]
pub struct Member {
    pub user_id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub created_at: i64,
}

/// The `role` column: an unknown value is an error (never a guessed privilege).
fn role_of(r: &AnyRow) -> sqlx::Result<Role> {
    row::parsed(r, "role", Role::parse)
}

impl FromRow for Member {
    fn from_row(r: &AnyRow) -> sqlx::Result<Self> {
        Ok(Member {
            user_id: UserId::from_db(r.get("user_id")),
            email: r.get("email"),
            name: r.get("name"),
            role: role_of(r)?,
            created_at: r.get("created_at"),
        })
    }
}

pub async fn add_member(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    user: &UserId,
    role: Role,
    now: Timestamp,
) -> sqlx::Result<bool> {
    let sql = "INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES ($1, $2, $3, $4) \
               ON CONFLICT (workspace_id, user_id) DO NOTHING";
    row::one_changed(c, sql, (ws, user, role, now)).await
}

pub async fn role_of_member(c: &mut AnyConnection, ws: &WorkspaceId, user: &UserId) -> sqlx::Result<Option<Role>> {
    row::optional_with(c, "SELECT role FROM memberships WHERE workspace_id = $1 AND user_id = $2", (ws, user), role_of)
        .await
}

pub async fn members(c: &mut AnyConnection, ws: &WorkspaceId) -> sqlx::Result<Vec<Member>> {
    let sql = "SELECT m.user_id, u.email, u.name, m.role, m.created_at FROM memberships m \
               JOIN users u ON u.id = m.user_id WHERE m.workspace_id = $1 ORDER BY m.created_at";
    row::all(c, sql, ws).await
}

pub async fn count_owners(c: &mut AnyConnection, ws: &WorkspaceId) -> sqlx::Result<i64> {
    row::scalar(c, "SELECT COUNT(*) FROM memberships WHERE workspace_id = $1 AND role = 'owner'", ws).await
}

pub async fn set_role(c: &mut AnyConnection, ws: &WorkspaceId, user: &UserId, role: Role) -> sqlx::Result<bool> {
    let sql = "UPDATE memberships SET role = $3 WHERE workspace_id = $1 AND user_id = $2";
    row::one_changed(c, sql, (ws, user, role)).await
}

pub async fn remove_member(c: &mut AnyConnection, ws: &WorkspaceId, user: &UserId) -> sqlx::Result<bool> {
    row::one_changed(c, "DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2", (ws, user)).await
}

/// The workspaces a user belongs to, with their role in each.
pub async fn workspaces_of(c: &mut AnyConnection, user: &UserId) -> sqlx::Result<Vec<(Workspace, Role)>> {
    let sql = "SELECT w.id, w.name, w.data_role, w.suspended_at, w.created_at, m.role FROM memberships m \
               JOIN workspaces w ON w.id = m.workspace_id WHERE m.user_id = $1 ORDER BY w.created_at";
    row::all_with(c, sql, user, |r| Ok((Workspace::from_row(r)?, role_of(r)?))).await
}

// ---- invitations ----

#[derive(Clone, Debug)]
pub struct Invitation {
    pub id: InvitationId,
    pub workspace_id: WorkspaceId,
    pub email: String,
    pub role: Role,
    pub invited_by: Option<UserId>,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub created_at: i64,
}

row::table!(Invitation in "invitations" {
    id, workspace_id, email, role, invited_by, expires_at, accepted_at, revoked_at, created_at
});

pub struct NewInvitation<'a> {
    pub id: &'a InvitationId,
    pub workspace_id: &'a WorkspaceId,
    pub email: &'a str,
    pub role: Role,
    pub token_hash: &'a str,
    pub invited_by: Option<&'a UserId>,
    pub now: Timestamp,
    pub expires_at: Timestamp,
}

pub async fn insert_invitation(c: &mut AnyConnection, i: NewInvitation<'_>) -> sqlx::Result<()> {
    let sql = "INSERT INTO invitations (id, workspace_id, email, role, token_hash, invited_by, expires_at, \
               created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    let values = (i.id, i.workspace_id, i.email, i.role, i.token_hash, i.invited_by, i.expires_at, i.now);
    row::execute(c, sql, values).await
}

pub async fn invitations(c: &mut AnyConnection, ws: &WorkspaceId) -> sqlx::Result<Vec<Invitation>> {
    row::find_all(c, "WHERE workspace_id = $1 ORDER BY created_at DESC LIMIT 200", ws).await
}

pub async fn invitation_by_hash(c: &mut AnyConnection, hash: &str) -> sqlx::Result<Option<Invitation>> {
    row::find(c, "WHERE token_hash = $1", hash).await
}

/// Accepts a pending invitation once; `false` when used, revoked or expired meanwhile.
pub async fn accept_invitation(
    c: &mut AnyConnection,
    id: &InvitationId,
    user: &UserId,
    now: Timestamp,
) -> sqlx::Result<bool> {
    let sql = "UPDATE invitations SET accepted_at = $3, accepted_by = $2 \
               WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $3";
    row::one_changed(c, sql, (id, user, now)).await
}

pub async fn revoke_invitation(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    id: &InvitationId,
    now: Timestamp,
) -> sqlx::Result<bool> {
    let sql = "UPDATE invitations SET revoked_at = $3 \
               WHERE id = $1 AND workspace_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL";
    row::one_changed(c, sql, (id, ws, now)).await
}

// ---- API tokens ----

#[derive(Clone, Debug)]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub workspace_id: WorkspaceId,
    pub name: String,
    pub role: Role,
    pub prefix: String,
    pub created_by: Option<UserId>,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

row::table!(ApiToken in "api_tokens" {
    id, workspace_id, name, role, prefix, created_by, created_at, last_used_at, revoked_at
});

pub struct NewApiToken<'a> {
    pub id: &'a ApiTokenId,
    pub workspace_id: &'a WorkspaceId,
    pub name: &'a str,
    pub role: Role,
    pub token_hash: &'a str,
    pub prefix: &'a str,
    pub created_by: Option<&'a UserId>,
    pub now: Timestamp,
}

pub async fn insert_api_token(c: &mut AnyConnection, t: NewApiToken<'_>) -> sqlx::Result<()> {
    let sql = "INSERT INTO api_tokens (id, workspace_id, name, role, token_hash, prefix, created_by, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    row::execute(c, sql, (t.id, t.workspace_id, t.name, t.role, t.token_hash, t.prefix, t.created_by, t.now)).await
}

pub async fn api_tokens(c: &mut AnyConnection, ws: &WorkspaceId) -> sqlx::Result<Vec<ApiToken>> {
    row::find_all(c, "WHERE workspace_id = $1 ORDER BY created_at DESC", ws).await
}

pub async fn api_token_by_hash(c: &mut AnyConnection, hash: &str) -> sqlx::Result<Option<ApiToken>> {
    row::find(c, "WHERE token_hash = $1 AND revoked_at IS NULL", hash).await
}

pub async fn touch_api_token(c: &mut AnyConnection, id: &ApiTokenId, now: Timestamp) -> sqlx::Result<()> {
    row::execute(c, "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1", (id, now)).await
}

pub async fn revoke_api_token(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    id: &ApiTokenId,
    now: Timestamp,
) -> sqlx::Result<bool> {
    let sql = "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND workspace_id = $2 AND revoked_at IS NULL";
    row::one_changed(c, sql, (id, ws, now)).await
}
