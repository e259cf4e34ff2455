//! The JSON API under `/api/v1`. Callers authenticate with a workspace API token
//! (`Authorization: Bearer fdt_…`, acting with the token's role) or a cookie session.

use crate::kit::body::ApiJson;
use crate::kit::error::WebError;
use crate::kit::extract::ApiCaller;
use crate::{Access, AppState, Table};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use axum::Json;
use frontdesk_core::{Action, Role, Timestamp};
use frontdesk_platform::auth::{self, Client};
use frontdesk_platform::workspaces::{self as ws, ApiToken, Invitation, Member, Principal, Workspace};
use frontdesk_platform::{audit, operator, AppError};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Value};

pub(crate) fn routes(t: Table) -> Table {
    use Access::*;
    t.add("GET", "/api/openapi.json", Public, "This document", get(crate::kit::openapi::document))
        .add("GET", "/api/v1/me", Account, "The caller: a person or an API token", get(me))
        .add("GET", "/api/v1/sessions", Account, "The person's signed-in sessions", get(sessions))
        .add("DELETE", "/api/v1/sessions/{id}", Account, "Sign a session out", delete(revoke_session))
        .add("GET", "/api/v1/workspaces", Account, "Workspaces the caller can see", get(list_workspaces))
        .add("POST", "/api/v1/workspaces", Account, "Create a workspace (people only)", post(create_workspace))
        .body::<NameBody>()
        .add("GET", "/api/v1/workspaces/{ws}", Workspace(Action::ViewWorkspace), "A workspace", get(show_workspace))
        .add(
            "PATCH",
            "/api/v1/workspaces/{ws}",
            Workspace(Action::RenameWorkspace),
            "Rename a workspace",
            patch(rename_workspace),
        )
        .body::<NameBody>()
        .add(
            "GET",
            "/api/v1/workspaces/{ws}/members",
            Workspace(Action::ViewMembers),
            "Members and roles",
            get(members),
        )
        .add(
            "PATCH",
            "/api/v1/workspaces/{ws}/members/{user}",
            Workspace(Action::ChangeRoles),
            "Change a member's role",
            patch(change_role),
        )
        .body::<RoleBody>()
        .add(
            "DELETE",
            "/api/v1/workspaces/{ws}/members/{user}",
            Workspace(Action::RemoveMembers),
            "Remove a member",
            delete(remove_member),
        )
        .add(
            "GET",
            "/api/v1/workspaces/{ws}/invitations",
            Workspace(Action::InviteMembers),
            "Invitations",
            get(invitations),
        )
        .add(
            "POST",
            "/api/v1/workspaces/{ws}/invitations",
            Workspace(Action::InviteMembers),
            "Invite someone by email",
            post(invite),
        )
        .body::<InviteBody>()
        .add(
            "DELETE",
            "/api/v1/workspaces/{ws}/invitations/{id}",
            Workspace(Action::InviteMembers),
            "Withdraw an invitation",
            delete(revoke_invitation),
        )
        .add(
            "GET",
            "/api/v1/workspaces/{ws}/api-tokens",
            Workspace(Action::ManageApiTokens),
            "API tokens (never their secrets)",
            get(tokens),
        )
        .add(
            "POST",
            "/api/v1/workspaces/{ws}/api-tokens",
            Workspace(Action::ManageApiTokens),
            "Create an API token (secret shown once)",
            post(create_token),
        )
        .body::<TokenBody>()
        .add(
            "DELETE",
            "/api/v1/workspaces/{ws}/api-tokens/{id}",
            Workspace(Action::ManageApiTokens),
            "Revoke an API token",
            delete(revoke_token),
        )
        .add(
            "GET",
            "/api/v1/workspaces/{ws}/audit",
            Workspace(Action::ViewAudit),
            "The workspace's audit chain (JSON export)",
            get(audit_export),
        )
        .add("GET", "/api/v1/admin/users", Operator, "All accounts", get(admin_users))
        .add("GET", "/api/v1/admin/workspaces", Operator, "All workspaces", get(admin_workspaces))
        .add("POST", "/api/v1/admin/users/{id}/suspend", Operator, "Suspend an account", post(admin_suspend_user))
        .no_body()
        .add("POST", "/api/v1/admin/users/{id}/restore", Operator, "Restore an account", post(admin_restore_user))
        .no_body()
        .add(
            "POST",
            "/api/v1/admin/workspaces/{id}/suspend",
            Operator,
            "Suspend a workspace",
            post(admin_suspend_workspace),
        )
        .no_body()
        .add(
            "POST",
            "/api/v1/admin/workspaces/{id}/restore",
            Operator,
            "Restore a workspace",
            post(admin_restore_workspace),
        )
        .no_body()
}

type ApiResult = Result<Response, WebError>;

fn ts(ms: i64) -> String {
    Timestamp(ms).to_rfc3339()
}

fn opt_ts(ms: Option<i64>) -> Value {
    ms.map(|m| Value::from(ts(m))).unwrap_or(Value::Null)
}

fn workspace_json(w: &Workspace, role: Role) -> Value {
    json!({ "id": w.id, "name": w.name, "role": role, "data_role": w.data_role, "suspended": w.suspended_at.is_some(), "created_at": ts(w.created_at) })
}

fn member_json(m: &Member) -> Value {
    json!({ "user_id": m.user_id, "name": m.name, "email": m.email, "role": m.role, "joined_at": ts(m.created_at) })
}

fn invitation_json(i: &Invitation, now: i64) -> Value {
    let status = if i.accepted_at.is_some() {
        "accepted"
    } else if i.revoked_at.is_some() {
        "revoked"
    } else if i.expires_at <= now {
        "expired"
    } else {
        "pending"
    };
    json!({ "id": i.id, "email": i.email, "role": i.role, "status": status, "expires_at": ts(i.expires_at), "created_at": ts(i.created_at) })
}

fn token_json(t: &ApiToken) -> Value {
    json!({ "id": t.id, "name": t.name, "role": t.role, "prefix": t.prefix, "created_at": ts(t.created_at), "last_used_at": opt_ts(t.last_used_at), "revoked": t.revoked_at.is_some() })
}

fn ok(v: Value) -> ApiResult {
    Ok(Json(v).into_response())
}

fn created(v: Value) -> ApiResult {
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

fn no_content() -> ApiResult {
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn client_of(c: &ApiCaller) -> Client {
    let ip = match &c.principal {
        Principal::User { ip, .. } | Principal::Token { ip, .. } => ip.clone().unwrap_or_default(),
    };
    Client { ip, user_agent: None }
}

async fn me(c: ApiCaller) -> ApiResult {
    match (&c.principal, &c.signed) {
        (_, Some(s)) => ok(
            json!({ "kind": "user", "id": s.user.id, "email": s.user.email, "name": s.user.name, "operator": s.user.is_operator, "two_factor": s.user.totp_enabled_at.is_some() }),
        ),
        (Principal::Token { token, .. }, None) => ok(
            json!({ "kind": "api_token", "id": token.id, "name": token.name, "workspace_id": token.workspace_id, "role": token.role }),
        ),
        _ => Err(AppError::unauthenticated().into()),
    }
}

async fn sessions(State(s): State<AppState>, c: ApiCaller) -> ApiResult {
    let p = c.person()?;
    let list = auth::sessions(&s.app, &p.user.id).await?;
    ok(Value::Array(
        list.iter()
            .map(|x| json!({ "id": x.id, "current": x.id == p.session.id, "ip": x.ip, "user_agent": x.user_agent, "created_at": ts(x.created_at), "last_seen_at": ts(x.last_seen_at), "expires_at": ts(x.expires_at) }))
            .collect(),
    ))
}

async fn revoke_session(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> ApiResult {
    auth::revoke_session(&s.app, c.person()?, &id, &client_of(&c)).await?;
    no_content()
}

async fn list_workspaces(State(s): State<AppState>, c: ApiCaller) -> ApiResult {
    match &c.principal {
        Principal::Token { token, .. } => {
            let a = ws::authorize(&s.app, &c.principal, token.workspace_id.as_str(), Action::ViewWorkspace).await?;
            ok(json!([workspace_json(&a.workspace, a.role)]))
        }
        Principal::User { id, .. } => {
            let list = ws::list_for(&s.app, id).await?;
            ok(Value::Array(list.iter().map(|(w, r)| workspace_json(w, *r)).collect()))
        }
    }
}

/// A workspace's name.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "WorkspaceName")]
struct NameBody {
    name: String,
}

async fn create_workspace(State(s): State<AppState>, c: ApiCaller, ApiJson(b): ApiJson<NameBody>) -> ApiResult {
    let p = c.person()?;
    let w = ws::create(&s.app, &p.user.id, &b.name, &c.principal.actor()).await?;
    created(workspace_json(&w, Role::Owner))
}

async fn show_workspace(State(s): State<AppState>, c: ApiCaller, Path(w): Path<String>) -> ApiResult {
    let a = ws::authorize(&s.app, &c.principal, &w, Action::ViewWorkspace).await?;
    ok(workspace_json(&a.workspace, a.role))
}

async fn rename_workspace(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(w): Path<String>,
    ApiJson(b): ApiJson<NameBody>,
) -> ApiResult {
    let a = ws::authorize(&s.app, &c.principal, &w, Action::RenameWorkspace).await?;
    let w = ws::rename(&s.app, &a, &b.name).await?;
    ok(workspace_json(&w, a.role))
}

async fn members(State(s): State<AppState>, c: ApiCaller, Path(w): Path<String>) -> ApiResult {
    let a = ws::authorize(&s.app, &c.principal, &w, Action::ViewMembers).await?;
    ok(Value::Array(ws::members(&s.app, &a).await?.iter().map(member_json).collect()))
}

fn parse_role(s: &str) -> Result<Role, AppError> {
    Role::parse(s).ok_or_else(|| AppError::invalid("role", "invalid_role", "Use owner, admin, agent or viewer."))
}

/// A member's new role.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "MemberRole")]
struct RoleBody {
    /// `owner`, `admin`, `agent` or `viewer`.
    role: String,
}

async fn change_role(
    State(s): State<AppState>,
    c: ApiCaller,
    Path((w, user)): Path<(String, String)>,
    ApiJson(b): ApiJson<RoleBody>,
) -> ApiResult {
    let role = parse_role(&b.role)?;
    ws::change_member(&s.app, &c.principal, &w, &user, Some(role)).await?;
    no_content()
}

async fn remove_member(State(s): State<AppState>, c: ApiCaller, Path((w, user)): Path<(String, String)>) -> ApiResult {
    ws::change_member(&s.app, &c.principal, &w, &user, None).await?;
    no_content()
}

async fn invitations(State(s): State<AppState>, c: ApiCaller, Path(w): Path<String>) -> ApiResult {
    let a = ws::authorize(&s.app, &c.principal, &w, Action::InviteMembers).await?;
    let now = s.app.now().0;
    ok(Value::Array(ws::invitations(&s.app, &a).await?.iter().map(|i| invitation_json(i, now)).collect()))
}

/// Whom to invite, with which role.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "NewInvitation")]
struct InviteBody {
    email: String,
    /// `owner`, `admin`, `agent` or `viewer`.
    role: String,
}

async fn invite(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(w): Path<String>,
    ApiJson(b): ApiJson<InviteBody>,
) -> ApiResult {
    let a = ws::authorize(&s.app, &c.principal, &w, Action::InviteMembers).await?;
    let role = parse_role(&b.role)?;
    let i = ws::invite(&s.app, &a, &b.email, role).await?;
    created(invitation_json(&i, s.app.now().0))
}

async fn revoke_invitation(
    State(s): State<AppState>,
    c: ApiCaller,
    Path((w, id)): Path<(String, String)>,
) -> ApiResult {
    let a = ws::authorize(&s.app, &c.principal, &w, Action::InviteMembers).await?;
    ws::revoke_invitation(&s.app, &a, &id).await?;
    no_content()
}

async fn tokens(State(s): State<AppState>, c: ApiCaller, Path(w): Path<String>) -> ApiResult {
    let a = ws::authorize(&s.app, &c.principal, &w, Action::ManageApiTokens).await?;
    ok(Value::Array(ws::tokens(&s.app, &a).await?.iter().map(token_json).collect()))
}

/// A new API token's name and role.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "NewApiToken")]
struct TokenBody {
    name: String,
    /// `admin`, `agent` or `viewer` (a token never owns a workspace).
    role: String,
}

async fn create_token(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(w): Path<String>,
    ApiJson(b): ApiJson<TokenBody>,
) -> ApiResult {
    let a = ws::authorize(&s.app, &c.principal, &w, Action::ManageApiTokens).await?;
    let role = parse_role(&b.role)?;
    let t = ws::create_token(&s.app, &a, &b.name, role).await?;
    let mut v = token_json(&t.token);
    v["token"] = Value::from(t.secret);
    created(v)
}

async fn revoke_token(State(s): State<AppState>, c: ApiCaller, Path((w, id)): Path<(String, String)>) -> ApiResult {
    let a = ws::authorize(&s.app, &c.principal, &w, Action::ManageApiTokens).await?;
    ws::revoke_token(&s.app, &a, &id).await?;
    no_content()
}

fn entry_json(e: &frontdesk_platform::audit::Entry) -> Value {
    json!({ "seq": e.seq, "at": ts(e.at), "actor_kind": e.actor_kind, "actor_id": e.actor_id, "action": e.action,
            "target_kind": e.target_kind, "target_id": e.target_id, "outcome": e.outcome, "ip": e.ip,
            "prev_hash": e.prev_hash, "hash": e.hash })
}

async fn audit_export(State(s): State<AppState>, c: ApiCaller, Path(w): Path<String>) -> ApiResult {
    let a = ws::authorize(&s.app, &c.principal, &w, Action::ViewAudit).await?;
    let entries = audit::export(&s.app, a.workspace.id.as_str()).await?;
    ok(
        json!({ "workspace_id": a.workspace.id, "chain": a.workspace.id, "entries": entries.iter().map(entry_json).collect::<Vec<_>>() }),
    )
}

fn operator_actor(c: &ApiCaller) -> Result<frontdesk_platform::audit::Actor, WebError> {
    let s = c.operator()?;
    Ok(frontdesk_platform::audit::Actor {
        kind: "operator",
        id: Some(s.user.id.to_string()),
        ip: Some(client_of(c).ip),
    })
}

async fn admin_users(State(s): State<AppState>, c: ApiCaller) -> ApiResult {
    let users = operator::users(&s.app, &operator_actor(&c)?).await?;
    ok(Value::Array(
        users
            .iter()
            .map(|u| json!({ "id": u.id, "email": u.email, "name": u.name, "verified": u.email_verified_at.is_some(), "operator": u.is_operator, "suspended": u.suspended_at.is_some(), "two_factor": u.totp_enabled_at.is_some(), "created_at": ts(u.created_at) }))
            .collect(),
    ))
}

async fn admin_workspaces(State(s): State<AppState>, c: ApiCaller) -> ApiResult {
    let list = operator::workspaces(&s.app, &operator_actor(&c)?).await?;
    ok(Value::Array(
        list.iter()
            .map(|(w, n)| json!({ "id": w.id, "name": w.name, "members": n, "suspended": w.suspended_at.is_some(), "created_at": ts(w.created_at) }))
            .collect(),
    ))
}

async fn admin_suspend_user(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> ApiResult {
    operator::set_user_suspended(&s.app, &operator_actor(&c)?, &id, true).await?;
    no_content()
}

async fn admin_restore_user(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> ApiResult {
    operator::set_user_suspended(&s.app, &operator_actor(&c)?, &id, false).await?;
    no_content()
}

async fn admin_suspend_workspace(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> ApiResult {
    operator::set_workspace_suspended(&s.app, &operator_actor(&c)?, &id, true).await?;
    no_content()
}

async fn admin_restore_workspace(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> ApiResult {
    operator::set_workspace_suspended(&s.app, &operator_actor(&c)?, &id, false).await?;
    no_content()
}
