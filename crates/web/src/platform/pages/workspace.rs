//! Workspaces: the list and creation, the settings page (members, invitations, API tokens),
//! the audit log, and invitation links.

use crate::kit::body::PageForm;
use crate::kit::error::WebError;
use crate::kit::extract::{ClientInfo, MaybeUser, PageUser};
use crate::kit::layout::{field, page, role_select, role_select_id, FormErrors};
use crate::kit::shell::{avatar, Nav, Shell};
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
    crate::kit::extract::page_access(s, u, &client.ip, w, action).await
}

#[derive(Deserialize, Default)]
pub struct NameForm {
    #[serde(default)]
    name: String,
}

async fn list_page(
    s: &AppState,
    u: &SignedIn,
    list: &[(ws::Workspace, Role)],
    f: &NameForm,
    errors: &FormErrors,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, None).await?;
    Ok(sh.page(
        "Your workspaces",
        Nav::Workspaces,
        html! {
            section {
                @if list.is_empty() {
                    div.empty { strong { "You are not in any workspace yet." } "Create one for your business below, or ask a colleague to invite you." }
                }
                ul.threads {
                    @for (w, role) in list {
                        li { div.row style="display:flex;gap:.75rem;align-items:center;padding:.5rem 0" {
                            (avatar(&w.name))
                            span style="flex:1" { a href={ "/w/" (w.id) } { strong { (w.name) } } br; span.muted.small { (role) @if w.suspended_at.is_some() { " · suspended" } } }
                            @if u.session.current_workspace_id.as_ref() == Some(&w.id) { span.badge.ok { "current" } } @else {
                                form.inline method="post" action={ "/w/" (w.id) "/switch" } { button.secondary.small type="submit" { "Switch to it" } }
                            }
                        } }
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
    ))
}

pub async fn list(State(s): State<AppState>, PageUser(u): PageUser) -> Result<Markup, WebError> {
    let list = ws::list_for(&s.app, &u.user.id).await.map_err(WebError::page)?;
    list_page(&s, &u, &list, &NameForm::default(), &FormErrors::default()).await
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
            Ok((crate::kit::error::status_of(e.kind), list_page(&s, &u, &list, &f, &FormErrors::from_error(&e)).await?)
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
    let sh = Shell::load(s, u, Some(a)).await?;
    Ok(sh.page(
        "Members",
        Nav::Members,
        html! {
            p.muted { "Your role in " (a.workspace.name) ": " strong { (a.role) } "." }
            section aria-labelledby="members" {
                h2 id="members" { "Members" }
                @if let Some(m) = &flash.member_error { p.alert role="alert" { (m) } }
                table.stack {
                    thead { tr { th { "Name" } th { "Email" } th { "Role" } th { span.visually-hidden { "Actions" } } } }
                    tbody {
                        @for m in &members {
                            tr data-member=(m.user_id) {
                                td { (avatar(&m.name)) " " (m.name) } td data-label="Email" { (m.email) }
                                td data-label="Role" {
                                    @if can(Action::ChangeRoles) && (m.role != Role::Owner || a.role == Role::Owner) {
                                        form.inline method="post" action={ "/w/" (id) "/members/" (m.user_id) "/role" } {
                                            label.visually-hidden for={ "role-" (m.user_id) } { "Role of " (m.name) }
                                            (role_select_id("role", &format!("role-{}", m.user_id), m.role.as_str(), &assignable))
                                            " " button.secondary.small type="submit" { "Change" }
                                        }
                                    } @else { (m.role) }
                                }
                                td {
                                    @if can(Action::RemoveMembers) || m.user_id == u.user.id {
                                        @let leaving = m.user_id == u.user.id;
                                        form.inline method="post" action={ "/w/" (id) "/members/" (m.user_id) "/remove" }
                                            data-confirm=(if leaving { format!("Leave {}? You will need a new invitation to come back.", a.workspace.name) } else { format!("Remove {} from {}?", m.name, a.workspace.name) })
                                            data-confirm-label=(if leaving { "Leave" } else { "Remove" }) {
                                            button.danger.small type="submit" { @if leaving { "Leave" } @else { "Remove" } }
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
                        table.stack {
                            thead { tr { th { "Email" } th { "Role" } th { "Status" } th { span.visually-hidden { "Actions" } } } }
                            tbody { @for i in &invites {
                                tr {
                                    td { (i.email) } td { (i.role) }
                                    td { @if i.accepted_at.is_some() { "accepted" } @else if i.revoked_at.is_some() { "withdrawn" } @else if i.expires_at <= now { "expired" } @else { "pending until " (sh.at(i.expires_at)) } }
                                    td { @if i.accepted_at.is_none() && i.revoked_at.is_none() && i.expires_at > now {
                                        form.inline method="post" action={ "/w/" (id) "/invitations/" (i.id) "/revoke" } data-confirm={ "Withdraw the invitation to " (i.email) "?" } data-confirm-label="Withdraw" { button.danger.small type="submit" { "Withdraw" } }
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
                        table.stack {
                            thead { tr { th { "Name" } th { "Role" } th { "Starts with" } th { "Last used" } th { span.visually-hidden { "Actions" } } } }
                            tbody { @for t in &tokens {
                                tr {
                                    td { (t.name) } td { (t.role) } td { code { (t.prefix) "…" } }
                                    td data-label="Last used" { @if let Some(l) = t.last_used_at { (sh.ago(l)) } @else { "never" } }
                                    td { @if t.revoked_at.is_some() { "revoked" } @else {
                                        form.inline method="post" action={ "/w/" (id) "/tokens/" (t.id) "/revoke" } data-confirm={ "Revoke the token " (t.name) "? Programs using it stop working at once." } data-confirm-label="Revoke" { button.danger.small type="submit" { "Revoke" } }
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
        Ok(_) => Ok(Redirect::to(&format!("/w/{w}/settings/members?saved=1")).into_response()),
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
        Ok(()) => Ok(Redirect::to(&format!("/w/{w}/settings/members?saved=1")).into_response()),
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
        Ok(()) => Ok(Redirect::to(&format!("/w/{w}/settings/members?saved=1")).into_response()),
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
    Ok(Redirect::to(&format!("/w/{w}/settings/members?saved=1")).into_response())
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
    Ok(Redirect::to(&format!("/w/{w}/settings/members?saved=1")).into_response())
}

/// An audit action in words.
fn action_words(action: &str) -> String {
    let known = match action {
        "workspace.create" => "created the workspace",
        "workspace.rename" => "renamed the workspace",
        "workspace.profile" => "changed the business profile",
        "workspace.slug" => "changed the short name",
        "workspace.logo" => "changed the logo",
        "workspace.hours" => "changed the business hours",
        "member.add" => "added a member",
        "member.role" => "changed a member's role",
        "member.remove" => "removed a member",
        "invitation.create" => "sent an invitation",
        "invitation.revoke" => "withdrew an invitation",
        "invitation.accept" => "accepted an invitation",
        "api_token.create" => "created an API token",
        "api_token.revoke" => "revoked an API token",
        "auth.sign_in" => "signed in",
        "auth.second_factor" => "confirmed a second factor",
        "channel.create" => "connected a channel",
        "channel.update" => "changed a channel",
        "contact.update" => "edited a contact",
        "consent.opt_in" => "recorded a consent",
        "consent.opt_out" => "recorded an opt-out",
        "thread.update" => "changed a conversation",
        "thread.note" => "added a private note",
        "message.send" => "sent a message",
        "message.gate" => "had a message checked by the policy gate",
        "message.receive" => "received a message",
        "webhook.create" => "added an outgoing webhook",
        "webhook.delete" => "deleted an outgoing webhook",
        "assistant.settings" => "changed the assistant's settings",
        "assistant.knowledge" => "changed the knowledge base",
        "inbox.settings" => "changed the inbox settings",
        "ai.draft" => "drafted a reply",
        "ai.approve" => "approved a draft",
        "ai.edit" => "edited a draft",
        "ai.discard" => "discarded a draft",
        "ai.auto_send" => "answered on its own",
        "ai.hold" => "held back an answer",
        "ai.handover" => "handed over to a person",
        "ai.resume" => "let the assistant answer again",
        _ => "",
    };
    if known.is_empty() {
        action.replace(['.', '_'], " ")
    } else {
        known.to_string()
    }
}

fn target_words(kind: Option<&str>) -> &'static str {
    match kind {
        Some("workspace") => "workspace",
        Some("user") => "person",
        Some("thread") => "conversation",
        Some("message") => "message",
        Some("contact") => "contact",
        Some("channel") => "channel",
        Some("invitation") => "invitation",
        Some("api_token") | Some("token") => "API token",
        Some("webhook") => "webhook",
        Some("draft") => "draft",
        Some(_) => "item",
        None => "",
    }
}

pub async fn audit(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client, &w, Action::ViewAudit).await?;
    let sh = Shell::load(&s, &u, Some(&a)).await?;
    let entries = audit::recent(&s.app, a.workspace.id.as_str(), 200).await.map_err(WebError::page)?;
    // Names are resolved now, for this page; the stored chain keeps ids only.
    let members = ws::members(&s.app, &a).await.map_err(WebError::page)?;
    let name_of = |id: Option<&str>| -> Option<String> {
        let id = id?;
        members.iter().find(|m| m.user_id.as_str() == id).map(|m| m.name.clone())
    };
    let who = |e: &frontdesk_platform::repo::audit::Entry| -> String {
        match e.actor_kind.as_str() {
            "user" => name_of(e.actor_id.as_deref()).unwrap_or_else(|| "A former member".into()),
            "api_token" => "An API token".into(),
            "cli" => "The operator (command line)".into(),
            "provider" => "A channel provider".into(),
            "anonymous" => "Someone not signed in".into(),
            "system" => "Frontdesk".into(),
            other => other.replace('_', " "),
        }
    };
    Ok(sh.page(
        "Audit log",
        Nav::Audit,
        html! {
            p { a.button.secondary.small href={ "/api/v1/workspaces/" (w) "/audit" } download="audit.json" { "Export as JSON" } }
            section { div.scroll-x { table.stack #audit {
                thead { tr { th { "When" } th { "Who" } th { "What" } th { "Outcome" } } }
                tbody { @for e in &entries {
                    tr data-seq=(e.seq) data-action=(e.action) {
                        td data-label="When" { (sh.ago(e.at)) }
                        td data-label="Who" { (who(e)) }
                        td data-label="What" {
                            (action_words(&e.action))
                            @let target = target_words(e.target_kind.as_deref());
                            @if e.target_kind.as_deref() == Some("user") {
                                @if let Some(n) = name_of(e.target_id.as_deref()) { ": " (n) }
                            } @else if !target.is_empty() && e.target_kind.as_deref() != Some("workspace") {
                                " " span.muted.small { "(" (target) ")" }
                            }
                        }
                        td data-label="Outcome" { (e.outcome) }
                    }
                } }
            } } }
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
