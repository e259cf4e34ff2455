//! The JSON API under `/api/v1`. Callers authenticate with a workspace API token
//! (`Authorization: Bearer fdt_…`, acting with the token's role) or a cookie session.

use crate::kit::answer::{Answer, Api, Done, Time};
use crate::kit::body::ApiJson;
use crate::kit::error::WebError;
use crate::kit::extract::ApiCaller;
use crate::{Access, AppState, Table};
use axum::extract::{Path, State};
use axum::routing::{delete, get, patch, post};
use frontdesk_core::{Action, Role};
use frontdesk_platform::auth::{self, Client};
use frontdesk_platform::workspaces::{self as ws, ApiToken, Invitation, Member, Principal, Workspace};
use frontdesk_platform::{audit, operator, AppError};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub(crate) fn routes(t: Table) -> Table {
    use Access::*;
    t.add("GET", "/api/openapi.json", Public, "This document", get(crate::kit::openapi::document))
        .add("GET", "/api/v1/me", Account, "The caller: a person or an API token", get(me))
        .returns::<MeOut>()
        .add("GET", "/api/v1/sessions", Account, "The person's signed-in sessions", get(sessions))
        .returns::<Vec<SessionOut>>()
        .add("DELETE", "/api/v1/sessions/{id}", Account, "Sign a session out", delete(revoke_session))
        .done()
        .add("GET", "/api/v1/workspaces", Account, "Workspaces the caller can see", get(list_workspaces))
        .returns::<Vec<WorkspaceOut>>()
        .add("POST", "/api/v1/workspaces", Account, "Create a workspace (people only)", post(create_workspace))
        .body::<NameBody>()
        .created::<WorkspaceOut>()
        .add("GET", "/api/v1/workspaces/{ws}", Workspace(Action::ViewWorkspace), "A workspace", get(show_workspace))
        .returns::<WorkspaceOut>()
        .add(
            "PATCH",
            "/api/v1/workspaces/{ws}",
            Workspace(Action::RenameWorkspace),
            "Rename a workspace",
            patch(rename_workspace),
        )
        .body::<NameBody>()
        .returns::<WorkspaceOut>()
        .add(
            "GET",
            "/api/v1/workspaces/{ws}/members",
            Workspace(Action::ViewMembers),
            "Members and roles",
            get(members),
        )
        .returns::<Vec<MemberOut>>()
        .add(
            "PATCH",
            "/api/v1/workspaces/{ws}/members/{user}",
            Workspace(Action::ChangeRoles),
            "Change a member's role",
            patch(change_role),
        )
        .body::<RoleBody>()
        .done()
        .add(
            "DELETE",
            "/api/v1/workspaces/{ws}/members/{user}",
            Workspace(Action::RemoveMembers),
            "Remove a member",
            delete(remove_member),
        )
        .done()
        .add(
            "GET",
            "/api/v1/workspaces/{ws}/invitations",
            Workspace(Action::InviteMembers),
            "Invitations",
            get(invitations),
        )
        .returns::<Vec<InvitationOut>>()
        .add(
            "POST",
            "/api/v1/workspaces/{ws}/invitations",
            Workspace(Action::InviteMembers),
            "Invite someone by email",
            post(invite),
        )
        .body::<InviteBody>()
        .created::<InvitationOut>()
        .add(
            "DELETE",
            "/api/v1/workspaces/{ws}/invitations/{id}",
            Workspace(Action::InviteMembers),
            "Withdraw an invitation",
            delete(revoke_invitation),
        )
        .done()
        .add(
            "GET",
            "/api/v1/workspaces/{ws}/api-tokens",
            Workspace(Action::ManageApiTokens),
            "API tokens (never their secrets)",
            get(tokens),
        )
        .returns::<Vec<ApiTokenOut>>()
        .add(
            "POST",
            "/api/v1/workspaces/{ws}/api-tokens",
            Workspace(Action::ManageApiTokens),
            "Create an API token (secret shown once)",
            post(create_token),
        )
        .body::<TokenBody>()
        .created::<NewApiTokenOut>()
        .add(
            "DELETE",
            "/api/v1/workspaces/{ws}/api-tokens/{id}",
            Workspace(Action::ManageApiTokens),
            "Revoke an API token",
            delete(revoke_token),
        )
        .done()
        .add(
            "GET",
            "/api/v1/workspaces/{ws}/audit",
            Workspace(Action::ViewAudit),
            "The workspace's audit chain (JSON export)",
            get(audit_export),
        )
        .returns::<AuditExportOut>()
        .add("GET", "/api/v1/admin/users", Operator, "All accounts", get(admin_users))
        .returns::<Vec<AdminUserOut>>()
        .add("GET", "/api/v1/admin/workspaces", Operator, "All workspaces", get(admin_workspaces))
        .returns::<Vec<AdminWorkspaceOut>>()
        .add("POST", "/api/v1/admin/users/{id}/suspend", Operator, "Suspend an account", post(admin_suspend_user))
        .no_body()
        .done()
        .add("POST", "/api/v1/admin/users/{id}/restore", Operator, "Restore an account", post(admin_restore_user))
        .no_body()
        .done()
        .add(
            "POST",
            "/api/v1/admin/workspaces/{id}/suspend",
            Operator,
            "Suspend a workspace",
            post(admin_suspend_workspace),
        )
        .no_body()
        .done()
        .add(
            "POST",
            "/api/v1/admin/workspaces/{id}/restore",
            Operator,
            "Restore a workspace",
            post(admin_restore_workspace),
        )
        .no_body()
        .done()
}

/// A workspace role.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum RoleOut {
    Owner,
    Admin,
    Agent,
    Viewer,
}

impl From<Role> for RoleOut {
    fn from(r: Role) -> Self {
        match r {
            Role::Owner => Self::Owner,
            Role::Admin => Self::Admin,
            Role::Agent => Self::Agent,
            Role::Viewer => Self::Viewer,
        }
    }
}

/// A workspace, with the caller's role in it.
#[derive(Serialize, JsonSchema)]
struct WorkspaceOut {
    id: String,
    name: String,
    /// The caller's role (an API token's own).
    role: RoleOut,
    /// Under data protection law: `processor` (the default) or `controller`.
    data_role: String,
    /// Suspended by an operator: nothing in it can be changed.
    suspended: bool,
    created_at: Time,
}

impl WorkspaceOut {
    fn new(w: &Workspace, role: Role) -> Self {
        Self {
            id: w.id.to_string(),
            name: w.name.clone(),
            role: role.into(),
            data_role: w.data_role.clone(),
            suspended: w.suspended_at.is_some(),
            created_at: Time::of(w.created_at),
        }
    }
}

/// A member of a workspace.
#[derive(Serialize, JsonSchema)]
struct MemberOut {
    user_id: String,
    name: String,
    email: String,
    role: RoleOut,
    joined_at: Time,
}

impl From<&Member> for MemberOut {
    fn from(m: &Member) -> Self {
        Self {
            user_id: m.user_id.to_string(),
            name: m.name.clone(),
            email: m.email.clone(),
            role: m.role.into(),
            joined_at: Time::of(m.created_at),
        }
    }
}

/// Where an invitation stands.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum InvitationStatusOut {
    Pending,
    Accepted,
    Revoked,
    Expired,
}

/// An invitation to join a workspace.
#[derive(Serialize, JsonSchema)]
struct InvitationOut {
    id: String,
    email: String,
    /// The role the invited person gets.
    role: RoleOut,
    status: InvitationStatusOut,
    expires_at: Time,
    created_at: Time,
}

impl InvitationOut {
    fn new(i: &Invitation, now: i64) -> Self {
        let status = if i.accepted_at.is_some() {
            InvitationStatusOut::Accepted
        } else if i.revoked_at.is_some() {
            InvitationStatusOut::Revoked
        } else if i.expires_at <= now {
            InvitationStatusOut::Expired
        } else {
            InvitationStatusOut::Pending
        };
        Self {
            id: i.id.to_string(),
            email: i.email.clone(),
            role: i.role.into(),
            status,
            expires_at: Time::of(i.expires_at),
            created_at: Time::of(i.created_at),
        }
    }
}

/// An API token (never its secret).
#[derive(Serialize, JsonSchema)]
struct ApiTokenOut {
    id: String,
    name: String,
    /// The role it acts with.
    role: RoleOut,
    /// The start of the secret, to tell tokens apart.
    prefix: String,
    created_at: Time,
    /// Null: never used.
    last_used_at: Option<Time>,
    revoked: bool,
}

impl From<&ApiToken> for ApiTokenOut {
    fn from(t: &ApiToken) -> Self {
        Self {
            id: t.id.to_string(),
            name: t.name.clone(),
            role: t.role.into(),
            prefix: t.prefix.clone(),
            created_at: Time::of(t.created_at),
            last_used_at: Time::of_opt(t.last_used_at),
            revoked: t.revoked_at.is_some(),
        }
    }
}

/// A new API token, with its secret (shown this once, never stored).
#[derive(Serialize, JsonSchema)]
struct NewApiTokenOut {
    #[serde(flatten)]
    api_token: ApiTokenOut,
    /// The secret (`fdt_…`), for `Authorization: Bearer`.
    token: String,
}

fn client_of(c: &ApiCaller) -> Client {
    let ip = match &c.principal {
        Principal::User { ip, .. } | Principal::Token { ip, .. } => ip.clone().unwrap_or_default(),
    };
    Client { ip, user_agent: None, time_zone: None }
}

/// The caller: a signed-in person, or an API token.
#[derive(Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum MeOut {
    /// A signed-in person.
    User {
        id: String,
        email: String,
        name: String,
        /// A platform operator.
        operator: bool,
        /// Signs in with a second factor.
        two_factor: bool,
    },
    /// An API token, acting in its workspace.
    ApiToken { id: String, name: String, workspace_id: String, role: RoleOut },
}

async fn me(c: ApiCaller) -> Api<MeOut> {
    match (&c.principal, &c.signed) {
        (_, Some(s)) => Ok(Answer::ok(MeOut::User {
            id: s.user.id.to_string(),
            email: s.user.email.clone(),
            name: s.user.name.clone(),
            operator: s.user.is_operator,
            two_factor: s.user.totp_enabled_at.is_some(),
        })),
        (Principal::Token { token, .. }, None) => Ok(Answer::ok(MeOut::ApiToken {
            id: token.id.to_string(),
            name: token.name.clone(),
            workspace_id: token.workspace_id.to_string(),
            role: token.role.into(),
        })),
        _ => Err(AppError::unauthenticated().into()),
    }
}

/// A signed-in session of the person.
#[derive(Serialize, JsonSchema)]
struct SessionOut {
    id: String,
    /// The session of this request.
    current: bool,
    ip: Option<String>,
    user_agent: Option<String>,
    created_at: Time,
    last_seen_at: Time,
    expires_at: Time,
}

async fn sessions(State(s): State<AppState>, c: ApiCaller) -> Api<Vec<SessionOut>> {
    let p = c.person()?;
    let list = auth::sessions(&s.app, &p.user.id).await?;
    Ok(Answer::ok(
        list.iter()
            .map(|x| SessionOut {
                id: x.id.to_string(),
                current: x.id == p.session.id,
                ip: x.ip.clone(),
                user_agent: x.user_agent.clone(),
                created_at: Time::of(x.created_at),
                last_seen_at: Time::of(x.last_seen_at),
                expires_at: Time::of(x.expires_at),
            })
            .collect(),
    ))
}

async fn revoke_session(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Result<Done, WebError> {
    auth::revoke_session(&s.app, c.person()?, &id, &client_of(&c)).await?;
    Ok(Done)
}

async fn list_workspaces(State(s): State<AppState>, c: ApiCaller) -> Api<Vec<WorkspaceOut>> {
    match &c.principal {
        Principal::Token { token, .. } => {
            let a = ws::authorize(&s.app, &c.principal, token.workspace_id.as_str(), Action::ViewWorkspace).await?;
            Ok(Answer::ok(vec![WorkspaceOut::new(&a.workspace, a.role)]))
        }
        Principal::User { id, .. } => {
            let list = ws::list_for(&s.app, id).await?;
            Ok(Answer::ok(list.iter().map(|(w, r)| WorkspaceOut::new(w, *r)).collect()))
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

async fn create_workspace(State(s): State<AppState>, c: ApiCaller, ApiJson(b): ApiJson<NameBody>) -> Api<WorkspaceOut> {
    let p = c.person()?;
    let w = ws::create(&s.app, &p.user.id, &b.name, &c.principal.actor()).await?;
    Ok(Answer::created(WorkspaceOut::new(&w, Role::Owner)))
}

async fn show_workspace(State(s): State<AppState>, c: ApiCaller, Path(w): Path<String>) -> Api<WorkspaceOut> {
    let a = ws::authorize(&s.app, &c.principal, &w, Action::ViewWorkspace).await?;
    Ok(Answer::ok(WorkspaceOut::new(&a.workspace, a.role)))
}

async fn rename_workspace(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(w): Path<String>,
    ApiJson(b): ApiJson<NameBody>,
) -> Api<WorkspaceOut> {
    let a = ws::authorize(&s.app, &c.principal, &w, Action::RenameWorkspace).await?;
    let w = ws::rename(&s.app, &a, &b.name).await?;
    Ok(Answer::ok(WorkspaceOut::new(&w, a.role)))
}

async fn members(State(s): State<AppState>, c: ApiCaller, Path(w): Path<String>) -> Api<Vec<MemberOut>> {
    let a = ws::authorize(&s.app, &c.principal, &w, Action::ViewMembers).await?;
    Ok(Answer::ok(ws::members(&s.app, &a).await?.iter().map(MemberOut::from).collect()))
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
) -> Result<Done, WebError> {
    let role = parse_role(&b.role)?;
    ws::change_member(&s.app, &c.principal, &w, &user, Some(role)).await?;
    Ok(Done)
}

async fn remove_member(
    State(s): State<AppState>,
    c: ApiCaller,
    Path((w, user)): Path<(String, String)>,
) -> Result<Done, WebError> {
    ws::change_member(&s.app, &c.principal, &w, &user, None).await?;
    Ok(Done)
}

async fn invitations(State(s): State<AppState>, c: ApiCaller, Path(w): Path<String>) -> Api<Vec<InvitationOut>> {
    let a = ws::authorize(&s.app, &c.principal, &w, Action::InviteMembers).await?;
    let now = s.app.now().0;
    Ok(Answer::ok(ws::invitations(&s.app, &a).await?.iter().map(|i| InvitationOut::new(i, now)).collect()))
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
) -> Api<InvitationOut> {
    let a = ws::authorize(&s.app, &c.principal, &w, Action::InviteMembers).await?;
    let role = parse_role(&b.role)?;
    let i = ws::invite(&s.app, &a, &b.email, role).await?;
    Ok(Answer::created(InvitationOut::new(&i, s.app.now().0)))
}

async fn revoke_invitation(
    State(s): State<AppState>,
    c: ApiCaller,
    Path((w, id)): Path<(String, String)>,
) -> Result<Done, WebError> {
    let a = ws::authorize(&s.app, &c.principal, &w, Action::InviteMembers).await?;
    ws::revoke_invitation(&s.app, &a, &id).await?;
    Ok(Done)
}

async fn tokens(State(s): State<AppState>, c: ApiCaller, Path(w): Path<String>) -> Api<Vec<ApiTokenOut>> {
    let a = ws::authorize(&s.app, &c.principal, &w, Action::ManageApiTokens).await?;
    Ok(Answer::ok(ws::tokens(&s.app, &a).await?.iter().map(ApiTokenOut::from).collect()))
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
) -> Api<NewApiTokenOut> {
    let a = ws::authorize(&s.app, &c.principal, &w, Action::ManageApiTokens).await?;
    let role = parse_role(&b.role)?;
    let t = ws::create_token(&s.app, &a, &b.name, role).await?;
    Ok(Answer::created(NewApiTokenOut { api_token: ApiTokenOut::from(&t.token), token: t.secret }))
}

async fn revoke_token(
    State(s): State<AppState>,
    c: ApiCaller,
    Path((w, id)): Path<(String, String)>,
) -> Result<Done, WebError> {
    let a = ws::authorize(&s.app, &c.principal, &w, Action::ManageApiTokens).await?;
    ws::revoke_token(&s.app, &a, &id).await?;
    Ok(Done)
}

/// One entry of an audit chain: each entry's `hash` covers its fields and the previous hash.
#[derive(Serialize, JsonSchema)]
struct AuditEntryOut {
    /// Its place in the chain, from 1.
    seq: i64,
    at: Time,
    /// `user`, `api_token`, `operator`, `system`, …
    actor_kind: String,
    actor_id: Option<String>,
    /// What was done, like `workspace.rename`.
    action: String,
    target_kind: Option<String>,
    target_id: Option<String>,
    outcome: String,
    ip: Option<String>,
    prev_hash: String,
    hash: String,
}

impl From<&audit::Entry> for AuditEntryOut {
    fn from(e: &audit::Entry) -> Self {
        Self {
            seq: e.seq,
            at: Time::of(e.at),
            actor_kind: e.actor_kind.clone(),
            actor_id: e.actor_id.clone(),
            action: e.action.clone(),
            target_kind: e.target_kind.clone(),
            target_id: e.target_id.clone(),
            outcome: e.outcome.clone(),
            ip: e.ip.clone(),
            prev_hash: e.prev_hash.clone(),
            hash: e.hash.clone(),
        }
    }
}

/// A workspace's audit chain.
#[derive(Serialize, JsonSchema)]
struct AuditExportOut {
    workspace_id: String,
    /// The chain's name: the workspace's id.
    chain: String,
    /// Oldest first.
    entries: Vec<AuditEntryOut>,
}

async fn audit_export(State(s): State<AppState>, c: ApiCaller, Path(w): Path<String>) -> Api<AuditExportOut> {
    let a = ws::authorize(&s.app, &c.principal, &w, Action::ViewAudit).await?;
    let entries = audit::export(&s.app, a.workspace.id.as_str()).await?;
    Ok(Answer::ok(AuditExportOut {
        workspace_id: a.workspace.id.to_string(),
        chain: a.workspace.id.to_string(),
        entries: entries.iter().map(AuditEntryOut::from).collect(),
    }))
}

fn operator_actor(c: &ApiCaller) -> Result<audit::Actor, WebError> {
    let s = c.operator()?;
    Ok(audit::Actor { kind: "operator", id: Some(s.user.id.to_string()), ip: Some(client_of(c).ip) })
}

/// An account, as operators see it.
#[derive(Serialize, JsonSchema)]
struct AdminUserOut {
    id: String,
    email: String,
    name: String,
    /// The email address is confirmed.
    verified: bool,
    operator: bool,
    suspended: bool,
    two_factor: bool,
    created_at: Time,
}

async fn admin_users(State(s): State<AppState>, c: ApiCaller) -> Api<Vec<AdminUserOut>> {
    let users = operator::users(&s.app, &operator_actor(&c)?).await?;
    Ok(Answer::ok(
        users
            .iter()
            .map(|u| AdminUserOut {
                id: u.id.to_string(),
                email: u.email.clone(),
                name: u.name.clone(),
                verified: u.email_verified_at.is_some(),
                operator: u.is_operator,
                suspended: u.suspended_at.is_some(),
                two_factor: u.totp_enabled_at.is_some(),
                created_at: Time::of(u.created_at),
            })
            .collect(),
    ))
}

/// A workspace, as operators see it.
#[derive(Serialize, JsonSchema)]
struct AdminWorkspaceOut {
    id: String,
    name: String,
    /// How many members it has.
    members: i64,
    suspended: bool,
    created_at: Time,
}

async fn admin_workspaces(State(s): State<AppState>, c: ApiCaller) -> Api<Vec<AdminWorkspaceOut>> {
    let list = operator::workspaces(&s.app, &operator_actor(&c)?).await?;
    Ok(Answer::ok(
        list.iter()
            .map(|(w, n)| AdminWorkspaceOut {
                id: w.id.to_string(),
                name: w.name.clone(),
                members: *n,
                suspended: w.suspended_at.is_some(),
                created_at: Time::of(w.created_at),
            })
            .collect(),
    ))
}

async fn admin_suspend_user(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Result<Done, WebError> {
    operator::set_user_suspended(&s.app, &operator_actor(&c)?, &id, true).await?;
    Ok(Done)
}

async fn admin_restore_user(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Result<Done, WebError> {
    operator::set_user_suspended(&s.app, &operator_actor(&c)?, &id, false).await?;
    Ok(Done)
}

async fn admin_suspend_workspace(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
) -> Result<Done, WebError> {
    operator::set_workspace_suspended(&s.app, &operator_actor(&c)?, &id, true).await?;
    Ok(Done)
}

async fn admin_restore_workspace(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
) -> Result<Done, WebError> {
    operator::set_workspace_suspended(&s.app, &operator_actor(&c)?, &id, false).await?;
    Ok(Done)
}
