//! Workspaces: the list and creation, the settings page (members, invitations, API tokens),
//! the audit log, and invitation links.

use crate::kit::body::PageForm;
use crate::kit::error::WebError;
use crate::kit::extract::{ClientInfo, MaybeUser, PageUser};
use crate::kit::layout::{field, page, role_select, time, FormErrors};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use frontdesk_core::{Action, Role};
use frontdesk_platform::auth::SignedIn;
use frontdesk_platform::workspaces::{self as ws, Access, Principal};
use frontdesk_platform::{audit, AppError};
use maud::{html, Markup};
use serde::Deserialize;

fn principal(u: &SignedIn, client: &frontdesk_platform::auth::Client) -> Principal {
    Principal::User { id: u.user.id.clone(), ip: Some(client.ip.clone()) }
}

async fn access(
    s: &AppState,
    u: &SignedIn,
    client: &frontdesk_platform::auth::Client,
    w: &str,
    action: Action,
) -> Result<Access, WebError> {
    ws::authorize(&s.app, &principal(u, client), w, action).await.map_err(WebError::page)
}

#[derive(Deserialize, Default)]
pub struct NameForm {
    #[serde(default)]
    name: String,
}

fn list_page(u: &SignedIn, list: &[(ws::Workspace, Role)], f: &NameForm, errors: &FormErrors) -> Markup {
    page(
        "Your workspaces",
        Some(u),
        html! {
            section {
                @if list.is_empty() { p { "You are not in any workspace yet. Create one for your business, or ask to be invited." } }
                ul {
                    @for (w, role) in list {
                        li {
                            a href={ "/w/" (w.id) } { (w.name) } " (" (role) ")"
                            @if u.session.current_workspace_id.as_ref() == Some(&w.id) { " · current" } @else {
                                " " form.inline method="post" action={ "/w/" (w.id) "/switch" } { button.link type="submit" { "Switch to it" } }
                            }
                            @if w.suspended_at.is_some() { " · suspended" }
                        }
                    }
                }
            }
            section aria-labelledby="new-ws" {
                h2 id="new-ws" { "New workspace" }
                (errors.summary())
                form method="post" action="/app/workspaces" {
                    (field(errors, "name", "Name", "text", &f.name, "organization"))
                    button type="submit" { "Create workspace" }
                }
            }
        },
    )
}

pub async fn list(State(s): State<AppState>, PageUser(u): PageUser) -> Result<Markup, WebError> {
    let list = ws::list_for(&s.app, &u.user.id).await.map_err(WebError::page)?;
    Ok(list_page(&u, &list, &NameForm::default(), &FormErrors::default()))
}

pub async fn create(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    PageForm(f): PageForm<NameForm>,
) -> Result<Response, WebError> {
    let actor = principal(&u, &client).actor();
    match ws::create(&s.app, &u.user.id, &f.name, &actor).await {
        Ok(w) => {
            ws::switch(&s.app, &u, w.id.as_str()).await.map_err(WebError::page)?;
            Ok(Redirect::to(&format!("/w/{}", w.id)).into_response())
        }
        Err(e) if e.field.is_some() => {
            let list = ws::list_for(&s.app, &u.user.id).await.map_err(WebError::page)?;
            Ok((crate::kit::error::status_of(e.kind), list_page(&u, &list, &f, &FormErrors::from_error(&e)))
                .into_response())
        }
        Err(e) => Err(WebError::page(e)),
    }
}

pub async fn switch(
    State(s): State<AppState>,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Response, WebError> {
    ws::switch(&s.app, &u, &w).await.map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/w/{w}")).into_response())
}

/// A one-off message shown on the settings page (new token, errors of the small forms).
#[derive(Default)]
struct Flash {
    new_token: Option<String>,
    invite_errors: FormErrors,
    token_errors: FormErrors,
    member_error: Option<String>,
    invite_email: String,
}

async fn settings_page(s: &AppState, u: &SignedIn, a: &Access, flash: Flash) -> Result<Markup, WebError> {
    let members = ws::members(&s.app, a).await.map_err(WebError::page)?;
    let can = |action| frontdesk_core::role::allows(a.role, action);
    let invites =
        if can(Action::InviteMembers) { ws::invitations(&s.app, a).await.map_err(WebError::page)? } else { vec![] };
    let tokens =
        if can(Action::ManageApiTokens) { ws::tokens(&s.app, a).await.map_err(WebError::page)? } else { vec![] };
    let id = &a.workspace.id;
    let now = s.app.now().0;
    let assignable: Vec<Role> = Role::ALL.into_iter().filter(|r| *r != Role::Owner || a.role == Role::Owner).collect();
    Ok(page(
        &a.workspace.name,
        Some(u),
        html! {
            p { "Your role: " strong { (a.role) } @if can(Action::ViewAudit) { " · " a href={ "/w/" (id) "/audit" } { "Audit log" } } }
            @if can(Action::RenameWorkspace) {
                section aria-labelledby="rename" {
                    h2 id="rename" { "Name" }
                    form method="post" action={ "/w/" (id) "/rename" } {
                        label for="ws-name" { "Workspace name" }
                        input id="ws-name" name="name" value=(a.workspace.name);
                        button type="submit" { "Rename" }
                    }
                }
            }
            section aria-labelledby="members" {
                h2 id="members" { "Members" }
                @if let Some(m) = &flash.member_error { p.alert role="alert" { (m) } }
                table {
                    thead { tr { th { "Name" } th { "Email" } th { "Role" } th {} } }
                    tbody {
                        @for m in &members {
                            tr data-member=(m.user_id) {
                                td { (m.name) } td { (m.email) }
                                td {
                                    @if can(Action::ChangeRoles) && (m.role != Role::Owner || a.role == Role::Owner) {
                                        form.inline method="post" action={ "/w/" (id) "/members/" (m.user_id) "/role" } {
                                            (role_select("role", m.role.as_str(), &assignable))
                                            button type="submit" { "Change" }
                                        }
                                    } @else { (m.role) }
                                }
                                td {
                                    @if can(Action::RemoveMembers) || m.user_id == u.user.id {
                                        form.inline method="post" action={ "/w/" (id) "/members/" (m.user_id) "/remove" } {
                                            button.danger type="submit" { @if m.user_id == u.user.id { "Leave" } @else { "Remove" } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if can(Action::InviteMembers) {
                section aria-labelledby="invite" {
                    h2 id="invite" { "Invite someone" }
                    (flash.invite_errors.summary())
                    form method="post" action={ "/w/" (id) "/invitations" } {
                        (field(&flash.invite_errors, "email", "Email", "email", &flash.invite_email, "off"))
                        label for="role" { "Role" }
                        (role_select("role", "agent", &assignable))
                        button type="submit" { "Send invitation" }
                    }
                    @if !invites.is_empty() {
                        h3 { "Invitations" }
                        table {
                            thead { tr { th { "Email" } th { "Role" } th { "Status" } th {} } }
                            tbody { @for i in &invites {
                                tr {
                                    td { (i.email) } td { (i.role) }
                                    td { @if i.accepted_at.is_some() { "accepted" } @else if i.revoked_at.is_some() { "withdrawn" } @else if i.expires_at <= now { "expired" } @else { "pending until " (time(i.expires_at)) } }
                                    td { @if i.accepted_at.is_none() && i.revoked_at.is_none() && i.expires_at > now {
                                        form.inline method="post" action={ "/w/" (id) "/invitations/" (i.id) "/revoke" } { button.danger type="submit" { "Withdraw" } }
                                    } }
                                }
                            } }
                        }
                    }
                }
            }
            @if can(Action::ManageApiTokens) {
                section aria-labelledby="tokens" {
                    h2 id="tokens" { "API tokens" }
                    @if let Some(t) = &flash.new_token {
                        p.notice role="status" { "Copy this token now; it will not be shown again: " code data-new-token { (t) } }
                    }
                    (flash.token_errors.summary())
                    form method="post" action={ "/w/" (id) "/tokens" } {
                        (field(&flash.token_errors, "name", "Token name", "text", "", "off"))
                        label for="token-role" { "Role" }
                        select name="role" id="token-role" {
                            @for r in [Role::Admin, Role::Agent, Role::Viewer] { @if r <= a.role { option value=(r.as_str()) selected[r == Role::Agent] { (r.as_str()) } } }
                        }
                        button type="submit" { "Create token" }
                    }
                    @if !tokens.is_empty() {
                        table {
                            thead { tr { th { "Name" } th { "Role" } th { "Starts with" } th { "Last used" } th {} } }
                            tbody { @for t in &tokens {
                                tr {
                                    td { (t.name) } td { (t.role) } td { code { (t.prefix) "…" } }
                                    td { @if let Some(l) = t.last_used_at { (time(l)) } @else { "never" } }
                                    td { @if t.revoked_at.is_some() { "revoked" } @else {
                                        form.inline method="post" action={ "/w/" (id) "/tokens/" (t.id) "/revoke" } { button.danger type="submit" { "Revoke" } }
                                    } }
                                }
                            } }
                        }
                    }
                }
            }
        },
    ))
}

pub async fn show(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client, &w, Action::ViewWorkspace).await?;
    settings_page(&s, &u, &a, Flash::default()).await
}

pub async fn rename(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<NameForm>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client, &w, Action::RenameWorkspace).await?;
    match ws::rename(&s.app, &a, &f.name).await {
        Ok(_) => Ok(Redirect::to(&format!("/w/{w}")).into_response()),
        Err(e) => {
            let flash = Flash { member_error: Some(e.message.clone()), ..Default::default() };
            Ok((crate::kit::error::status_of(e.kind), settings_page(&s, &u, &a, flash).await?).into_response())
        }
    }
}

#[derive(Deserialize, Default)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

async fn member_change(
    s: AppState,
    u: SignedIn,
    client: frontdesk_platform::auth::Client,
    w: String,
    member: String,
    role: Option<Role>,
) -> Result<Response, WebError> {
    let p = principal(&u, &client);
    match ws::change_member(&s.app, &p, &w, &member, role).await {
        Ok(()) if role.is_none() && member == u.user.id.as_str() => Ok(Redirect::to("/app").into_response()),
        Ok(()) => Ok(Redirect::to(&format!("/w/{w}")).into_response()),
        Err(e) if matches!(e.code, "last_owner" | "forbidden") => {
            let a = access(&s, &u, &client, &w, Action::ViewWorkspace).await?;
            let flash = Flash { member_error: Some(e.message.clone()), ..Default::default() };
            Ok((crate::kit::error::status_of(e.kind), settings_page(&s, &u, &a, flash).await?).into_response())
        }
        Err(e) => Err(WebError::page(e)),
    }
}

pub async fn change_role(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, member)): Path<(String, String)>,
    PageForm(f): PageForm<RoleForm>,
) -> Result<Response, WebError> {
    let role = Role::parse(&f.role).ok_or_else(|| {
        WebError::page(AppError::invalid("role", "invalid_role", "Choose owner, admin, agent or viewer."))
    })?;
    member_change(s, u, client, w, member, Some(role)).await
}

pub async fn remove_member(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, member)): Path<(String, String)>,
) -> Result<Response, WebError> {
    member_change(s, u, client, w, member, None).await
}

#[derive(Deserialize, Default)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

pub async fn invite(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<InviteForm>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client, &w, Action::InviteMembers).await?;
    let result = match Role::parse(&f.role) {
        Some(role) => ws::invite(&s.app, &a, &f.email, role).await.map(|_| ()),
        None => Err(AppError::invalid("role", "invalid_role", "Choose a role.")),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/w/{w}")).into_response()),
        Err(e) => {
            let flash = Flash {
                invite_errors: FormErrors::from_error(&e),
                invite_email: f.email.clone(),
                ..Default::default()
            };
            Ok((crate::kit::error::status_of(e.kind), settings_page(&s, &u, &a, flash).await?).into_response())
        }
    }
}

pub async fn revoke_invitation(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client, &w, Action::InviteMembers).await?;
    ws::revoke_invitation(&s.app, &a, &id).await.map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/w/{w}")).into_response())
}

#[derive(Deserialize, Default)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
}

pub async fn create_token(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<TokenForm>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client, &w, Action::ManageApiTokens).await?;
    let result = match Role::parse(&f.role) {
        Some(role) => ws::create_token(&s.app, &a, &f.name, role).await,
        None => Err(AppError::invalid("role", "invalid_role", "Choose admin, agent or viewer.")),
    };
    let (status, flash) = match result {
        Ok(t) => (axum::http::StatusCode::CREATED, Flash { new_token: Some(t.secret), ..Default::default() }),
        Err(e) => (
            crate::kit::error::status_of(e.kind),
            Flash { token_errors: FormErrors::from_error(&e), ..Default::default() },
        ),
    };
    Ok((status, settings_page(&s, &u, &a, flash).await?).into_response())
}

pub async fn revoke_token(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client, &w, Action::ManageApiTokens).await?;
    ws::revoke_token(&s.app, &a, &id).await.map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/w/{w}")).into_response())
}

pub async fn audit(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client, &w, Action::ViewAudit).await?;
    let entries = audit::recent(&s.app, a.workspace.id.as_str(), 200).await.map_err(WebError::page)?;
    Ok(page(
        "Audit log",
        Some(&u),
        html! {
            p { a href={ "/w/" (w) } { "← " (a.workspace.name) } " · " a href={ "/api/v1/workspaces/" (w) "/audit" } download="audit.json" { "Export as JSON" } }
            section { table {
                thead { tr { th { "#" } th { "When" } th { "Who" } th { "Action" } th { "On" } th { "Outcome" } } }
                tbody { @for e in &entries {
                    tr { td { (e.seq) } td { (time(e.at)) } td { (e.actor_kind) " " (e.actor_id.as_deref().unwrap_or("")) }
                         td { (e.action) } td { (e.target_kind.as_deref().unwrap_or("")) " " (e.target_id.as_deref().unwrap_or("")) } td { (e.outcome) } }
                } }
            } }
        },
    ))
}

pub async fn invitation_page(
    State(s): State<AppState>,
    MaybeUser(u): MaybeUser,
    Path(token): Path<String>,
) -> Result<Markup, WebError> {
    let inv = ws::pending_invitation(&s.app, &token).await.map_err(WebError::page)?;
    let name = ws::workspace_name(&s.app, &inv.workspace_id).await.map_err(WebError::page)?;
    Ok(page(
        "Invitation",
        u.as_ref(),
        html! { section {
            p { "You are invited to join " strong { (name) } " as " (inv.role) "." }
            @match &u {
                Some(u) if u.user.email == inv.email => {
                    form method="post" action={ "/invitations/" (token) } { button type="submit" { "Join the workspace" } }
                }
                Some(_) => { p.alert { "This invitation was sent to another email address. Sign out and sign in with that address." } }
                None => {
                    p { a href={ "/signup?invitation=" (token) "&email=" (crate::kit::layout::url_encode(&inv.email)) } { "Create an account to join" } }
                    p { "Already have an account? " a href={ "/login?next=/invitations/" (token) } { "Sign in" } }
                }
            }
        } },
    ))
}

pub async fn accept_invitation(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    MaybeUser(u): MaybeUser,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let Some(u) = u else {
        return Ok(Redirect::to(&format!("/login?next=/invitations/{token}")).into_response());
    };
    let w = ws::accept(&s.app, &token, &u.user, &client.ip).await.map_err(WebError::page)?;
    ws::switch(&s.app, &u, w.as_str()).await.map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/w/{w}")).into_response())
}
