//! Workspaces, memberships, invitations and API tokens. Every query that reads or changes a
//! workspace's data is confined by its `WorkspaceId`.

use frontdesk_core::{ApiTokenId, InvitationId, Role, Timestamp, UserId, WorkspaceId};
use frontdesk_store::row::{self, opt_i64, opt_str, FromRow};
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

fn workspace(r: &AnyRow) -> Workspace {
    Workspace {
        id: WorkspaceId::from_db(r.get("id")),
        name: r.get("name"),
        data_role: r.get("data_role"),
        suspended_at: opt_i64(r, "suspended_at"),
        created_at: r.get("created_at"),
    }
}

pub async fn insert(c: &mut AnyConnection, id: &WorkspaceId, name: &str, now: Timestamp) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO workspaces (id, name, created_at, updated_at) VALUES ($1, $2, $3, $3)")
        .bind(id.as_str())
        .bind(name)
        .bind(now.0)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn by_id(c: &mut AnyConnection, id: &WorkspaceId) -> sqlx::Result<Option<Workspace>> {
    Ok(sqlx::query("SELECT id, name, data_role, suspended_at, created_at FROM workspaces WHERE id = $1")
        .bind(id.as_str())
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(workspace))
}

pub async fn rename(c: &mut AnyConnection, id: &WorkspaceId, name: &str, now: Timestamp) -> sqlx::Result<()> {
    sqlx::query("UPDATE workspaces SET name = $2, updated_at = $3 WHERE id = $1")
        .bind(id.as_str())
        .bind(name)
        .bind(now.0)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn list_all(c: &mut AnyConnection, limit: i64) -> sqlx::Result<Vec<(Workspace, i64)>> {
    Ok(sqlx::query(
        "SELECT w.id, w.name, w.data_role, w.suspended_at, w.created_at, (SELECT COUNT(*) FROM memberships m WHERE m.workspace_id = w.id) AS members FROM workspaces w ORDER BY w.created_at LIMIT $1",
    )
    .bind(limit)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| (workspace(r), r.get::<i64, _>("members")))
    .collect())
}

pub async fn set_suspended(c: &mut AnyConnection, id: &WorkspaceId, at: Option<Timestamp>) -> sqlx::Result<bool> {
    row::one_changed(
        c,
        sqlx::query("UPDATE workspaces SET suspended_at = $2 WHERE id = $1").bind(id.as_str()).bind(at.map(|t| t.0)),
    )
    .await
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

pub async fn add_member(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    user: &UserId,
    role: Role,
    now: Timestamp,
) -> sqlx::Result<bool> {
    row::one_changed(
        c,
        sqlx::query(
            "INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (workspace_id, user_id) DO NOTHING",
        )
        .bind(ws.as_str())
        .bind(user.as_str())
        .bind(role.as_str())
        .bind(now.0),
    )
    .await
}

pub async fn role_of_member(c: &mut AnyConnection, ws: &WorkspaceId, user: &UserId) -> sqlx::Result<Option<Role>> {
    sqlx::query("SELECT role FROM memberships WHERE workspace_id = $1 AND user_id = $2")
        .bind(ws.as_str())
        .bind(user.as_str())
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(role_of)
        .transpose()
}

pub async fn members(c: &mut AnyConnection, ws: &WorkspaceId) -> sqlx::Result<Vec<Member>> {
    sqlx::query(
        "SELECT m.user_id, u.email, u.name, m.role, m.created_at FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = $1 ORDER BY m.created_at",
    )
    .bind(ws.as_str())
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok(Member {
            user_id: UserId::from_db(r.get("user_id")),
            email: r.get("email"),
            name: r.get("name"),
            role: role_of(r)?,
            created_at: r.get("created_at"),
        })
    })
    .collect()
}

pub async fn count_owners(c: &mut AnyConnection, ws: &WorkspaceId) -> sqlx::Result<i64> {
    sqlx::query("SELECT COUNT(*) FROM memberships WHERE workspace_id = $1 AND role = 'owner'")
        .bind(ws.as_str())
        .fetch_one(c)
        .await
        .map(|r| r.get(0))
}

pub async fn set_role(c: &mut AnyConnection, ws: &WorkspaceId, user: &UserId, role: Role) -> sqlx::Result<bool> {
    row::one_changed(
        c,
        sqlx::query("UPDATE memberships SET role = $3 WHERE workspace_id = $1 AND user_id = $2")
            .bind(ws.as_str())
            .bind(user.as_str())
            .bind(role.as_str()),
    )
    .await
}

pub async fn remove_member(c: &mut AnyConnection, ws: &WorkspaceId, user: &UserId) -> sqlx::Result<bool> {
    row::one_changed(
        c,
        sqlx::query("DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2")
            .bind(ws.as_str())
            .bind(user.as_str()),
    )
    .await
}

/// The workspaces a user belongs to, with their role in each.
pub async fn workspaces_of(c: &mut AnyConnection, user: &UserId) -> sqlx::Result<Vec<(Workspace, Role)>> {
    sqlx::query(
        "SELECT w.id, w.name, w.data_role, w.suspended_at, w.created_at, m.role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id WHERE m.user_id = $1 ORDER BY w.created_at",
    )
    .bind(user.as_str())
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| Ok((workspace(r), role_of(r)?)))
    .collect()
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

const INVITE_COLS: &str = "id, workspace_id, email, role, invited_by, expires_at, accepted_at, revoked_at, created_at";

impl FromRow for Invitation {
    fn from_row(r: &AnyRow) -> sqlx::Result<Self> {
        Ok(Invitation {
            id: InvitationId::from_db(r.get("id")),
            workspace_id: WorkspaceId::from_db(r.get("workspace_id")),
            email: r.get("email"),
            role: role_of(r)?,
            invited_by: opt_str(r, "invited_by").map(UserId::from_db),
            expires_at: r.get("expires_at"),
            accepted_at: opt_i64(r, "accepted_at"),
            revoked_at: opt_i64(r, "revoked_at"),
            created_at: r.get("created_at"),
        })
    }
}

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
    sqlx::query(
        "INSERT INTO invitations (id, workspace_id, email, role, token_hash, invited_by, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(i.id.as_str())
    .bind(i.workspace_id.as_str())
    .bind(i.email)
    .bind(i.role.as_str())
    .bind(i.token_hash)
    .bind(i.invited_by.map(|u| u.as_str()))
    .bind(i.expires_at.0)
    .bind(i.now.0)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn invitations(c: &mut AnyConnection, ws: &WorkspaceId) -> sqlx::Result<Vec<Invitation>> {
    row::all(
        c,
        sqlx::query(&format!(
            "SELECT {INVITE_COLS} FROM invitations WHERE workspace_id = $1 ORDER BY created_at DESC LIMIT 200"
        ))
        .bind(ws.as_str()),
    )
    .await
}

pub async fn invitation_by_hash(c: &mut AnyConnection, hash: &str) -> sqlx::Result<Option<Invitation>> {
    row::optional(c, sqlx::query(&format!("SELECT {INVITE_COLS} FROM invitations WHERE token_hash = $1")).bind(hash))
        .await
}

/// Accepts a pending invitation once; `false` when used, revoked or expired meanwhile.
pub async fn accept_invitation(
    c: &mut AnyConnection,
    id: &InvitationId,
    user: &UserId,
    now: Timestamp,
) -> sqlx::Result<bool> {
    row::one_changed(
        c,
        sqlx::query(
            "UPDATE invitations SET accepted_at = $3, accepted_by = $2 WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $3",
        )
        .bind(id.as_str())
        .bind(user.as_str())
        .bind(now.0),
    )
    .await
}

pub async fn revoke_invitation(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    id: &InvitationId,
    now: Timestamp,
) -> sqlx::Result<bool> {
    row::one_changed(
        c,
        sqlx::query(
            "UPDATE invitations SET revoked_at = $3 WHERE id = $1 AND workspace_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL",
        )
        .bind(id.as_str())
        .bind(ws.as_str())
        .bind(now.0),
    )
    .await
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

const TOKEN_COLS: &str = "id, workspace_id, name, role, prefix, created_by, created_at, last_used_at, revoked_at";

impl FromRow for ApiToken {
    fn from_row(r: &AnyRow) -> sqlx::Result<Self> {
        Ok(ApiToken {
            id: ApiTokenId::from_db(r.get("id")),
            workspace_id: WorkspaceId::from_db(r.get("workspace_id")),
            name: r.get("name"),
            role: role_of(r)?,
            prefix: r.get("prefix"),
            created_by: opt_str(r, "created_by").map(UserId::from_db),
            created_at: r.get("created_at"),
            last_used_at: opt_i64(r, "last_used_at"),
            revoked_at: opt_i64(r, "revoked_at"),
        })
    }
}

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
    sqlx::query(
        "INSERT INTO api_tokens (id, workspace_id, name, role, token_hash, prefix, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(t.id.as_str())
    .bind(t.workspace_id.as_str())
    .bind(t.name)
    .bind(t.role.as_str())
    .bind(t.token_hash)
    .bind(t.prefix)
    .bind(t.created_by.map(|u| u.as_str()))
    .bind(t.now.0)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn api_tokens(c: &mut AnyConnection, ws: &WorkspaceId) -> sqlx::Result<Vec<ApiToken>> {
    row::all(
        c,
        sqlx::query(&format!("SELECT {TOKEN_COLS} FROM api_tokens WHERE workspace_id = $1 ORDER BY created_at DESC"))
            .bind(ws.as_str()),
    )
    .await
}

pub async fn api_token_by_hash(c: &mut AnyConnection, hash: &str) -> sqlx::Result<Option<ApiToken>> {
    row::optional(
        c,
        sqlx::query(&format!("SELECT {TOKEN_COLS} FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL"))
            .bind(hash),
    )
    .await
}

pub async fn touch_api_token(c: &mut AnyConnection, id: &ApiTokenId, now: Timestamp) -> sqlx::Result<()> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
        .bind(id.as_str())
        .bind(now.0)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn revoke_api_token(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    id: &ApiTokenId,
    now: Timestamp,
) -> sqlx::Result<bool> {
    let r =
        sqlx::query("UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND workspace_id = $2 AND revoked_at IS NULL")
            .bind(id.as_str())
            .bind(ws.as_str())
            .bind(now.0)
            .execute(c)
            .await?;
    Ok(r.rows_affected() == 1)
}
