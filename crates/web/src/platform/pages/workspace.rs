//! Workspaces: the list and creation, the settings page (members, invitations, API tokens),
//! the audit log, and invitation links.

use crate::kit::body::PageForm;
use crate::kit::error::WebError;
use crate::kit::extract::{ClientInfo, MaybeUser, PageUser};
use crate::kit::layout::{field, fill, page, role_name, role_select, role_select_id, FormErrors, SLOTS};
use crate::kit::shell::{avatar, Nav, Shell};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use frontdesk_core::{Action, Role};
use frontdesk_i18n::t;
use frontdesk_platform::auth::SignedIn;
use frontdesk_platform::workspaces::{self as ws, Access, Principal};
use frontdesk_platform::{audit, AppError};
use maud::{html, Markup};
use serde::Deserialize;

/// An error's sentence in the page's language.
fn error_text(e: &AppError) -> String {
    frontdesk_i18n::error_text(frontdesk_i18n::current(), e.code, &e.message)
}

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
        &t!("workspaces-title"),
        Nav::Workspaces,
        html! {
            section {
                @if list.is_empty() {
                    div.empty { strong { (t!("workspaces-empty")) } (t!("workspaces-empty-hint")) }
                }
                ul.threads {
                    @for (w, role) in list {
                        li { div.row style="display:flex;gap:.75rem;align-items:center;padding:.5rem 0" {
                            (avatar(&w.name))
                            span style="flex:1" { a href={ "/w/" (w.id) } { strong { (w.name) } } br; span.muted.small { (role_name(*role)) @if w.suspended_at.is_some() { " · " (t!("admin-workspace-suspended")) } } }
                            @if u.session.current_workspace_id.as_ref() == Some(&w.id) { span.badge.ok { (t!("workspaces-current")) } } @else {
                                form.inline method="post" action={ "/w/" (w.id) "/switch" } { button.secondary.small type="submit" { (t!("workspaces-switch")) } }
                            }
                        } }
                    }
                }
            }
            section aria-labelledby="new-ws" {
                h2 id="new-ws" { (t!("workspaces-new")) }
                (errors.summary())
                form method="post" action="/app/workspaces" {
                    (field(errors, "name", &t!("platform-name"), "text", &f.name, "organization"))
                    button type="submit" { (t!("workspaces-create")) }
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
        &t!("nav-members"),
        Nav::Members,
        html! {
            p.muted { (fill(
                &t!("members-your-role", workspace = &a.workspace.name, role = SLOTS[0]),
                &[html! { strong { (role_name(a.role)) } }],
            )) }
            section aria-labelledby="members" {
                h2 id="members" { (t!("nav-members")) }
                @if let Some(m) = &flash.member_error { p.alert role="alert" { (m) } }
                table.stack {
                    thead { tr { th { (t!("platform-name")) } th { (t!("platform-email")) } th { (t!("platform-role")) } th { span.visually-hidden { (t!("platform-actions")) } } } }
                    tbody {
                        @for m in &members {
                            tr data-member=(m.user_id) {
                                td { (avatar(&m.name)) " " (m.name) } td data-label=(t!("platform-email")) { (m.email) }
                                td data-label=(t!("platform-role")) {
                                    @if can(Action::ChangeRoles) && (m.role != Role::Owner || a.role == Role::Owner) {
                                        form.inline method="post" action={ "/w/" (id) "/members/" (m.user_id) "/role" } {
                                            label.visually-hidden for={ "role-" (m.user_id) } { (t!("members-role-of", name = &m.name)) }
                                            (role_select_id("role", &format!("role-{}", m.user_id), m.role.as_str(), &assignable))
                                            " " button.secondary.small type="submit" { (t!("members-change")) }
                                        }
                                    } @else { (role_name(m.role)) }
                                }
                                td {
                                    @if can(Action::RemoveMembers) || m.user_id == u.user.id {
                                        @let leaving = m.user_id == u.user.id;
                                        form.inline method="post" action={ "/w/" (id) "/members/" (m.user_id) "/remove" }
                                            data-confirm=(if leaving { t!("members-leave-confirm", workspace = &a.workspace.name) } else { t!("members-remove-confirm", name = &m.name, workspace = &a.workspace.name) })
                                            data-confirm-label=(if leaving { t!("members-leave") } else { t!("members-remove") }) {
                                            button.danger.small type="submit" { @if leaving { (t!("members-leave")) } @else { (t!("members-remove")) } }
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
                    h2 id="invite" { (t!("members-invite")) }
                    (flash.invite_errors.summary())
                    form method="post" action={ "/w/" (id) "/invitations" } {
                        (field(&flash.invite_errors, "email", &t!("platform-email"), "email", &flash.invite_email, "off"))
                        label for="role" { (t!("platform-role")) }
                        (role_select("role", "agent", &assignable))
                        button type="submit" { (t!("members-send-invitation")) }
                    }
                    @if !invites.is_empty() {
                        h3 { (t!("invitations-title")) }
                        table.stack {
                            thead { tr { th { (t!("platform-email")) } th { (t!("platform-role")) } th { (t!("platform-status")) } th { span.visually-hidden { (t!("platform-actions")) } } } }
                            tbody { @for i in &invites {
                                tr {
                                    td { (i.email) } td { (role_name(i.role)) }
                                    td { @if i.accepted_at.is_some() { (t!("invitations-accepted")) } @else if i.revoked_at.is_some() { (t!("invitations-withdrawn")) } @else if i.expires_at <= now { (t!("invitations-expired")) } @else { (fill(&t!("invitations-pending-until", time = SLOTS[0]), &[sh.at(i.expires_at)])) } }
                                    td { @if i.accepted_at.is_none() && i.revoked_at.is_none() && i.expires_at > now {
                                        form.inline method="post" action={ "/w/" (id) "/invitations/" (i.id) "/revoke" } data-confirm=(t!("invitations-withdraw-confirm", email = &i.email)) data-confirm-label=(t!("invitations-withdraw")) { button.danger.small type="submit" { (t!("invitations-withdraw")) } }
                                    } }
                                }
                            } }
                        }
                    }
                }
            }
            @if can(Action::ManageApiTokens) {
                section aria-labelledby="tokens" {
                    h2 id="tokens" { (t!("tokens-title")) }
                    @if let Some(secret) = &flash.new_token {
                        p.notice role="status" { (fill(&t!("tokens-copy", token = SLOTS[0]), &[html! { code data-new-token { (secret) } }])) }
                    }
                    (flash.token_errors.summary())
                    form method="post" action={ "/w/" (id) "/tokens" } {
                        (field(&flash.token_errors, "name", &t!("tokens-name"), "text", "", "off"))
                        label for="token-role" { (t!("platform-role")) }
                        select name="role" id="token-role" {
                            @for r in [Role::Admin, Role::Agent, Role::Viewer] { @if r <= a.role { option value=(r.as_str()) selected[r == Role::Agent] { (role_name(r)) } } }
                        }
                        button type="submit" { (t!("tokens-create")) }
                    }
                    @if !tokens.is_empty() {
                        table.stack {
                            thead { tr { th { (t!("platform-name")) } th { (t!("platform-role")) } th { (t!("tokens-starts-with")) } th { (t!("tokens-last-used")) } th { span.visually-hidden { (t!("platform-actions")) } } } }
                            tbody { @for tk in &tokens {
                                tr {
                                    td { (tk.name) } td { (role_name(tk.role)) } td { code { (tk.prefix) "…" } }
                                    td data-label=(t!("tokens-last-used")) { @if let Some(l) = tk.last_used_at { (sh.ago(l)) } @else { (t!("tokens-never")) } }
                                    td { @if tk.revoked_at.is_some() { (t!("tokens-revoked")) } @else {
                                        form.inline method="post" action={ "/w/" (id) "/tokens/" (tk.id) "/revoke" } data-confirm=(t!("tokens-revoke-confirm", name = &tk.name)) data-confirm-label=(t!("tokens-revoke")) { button.danger.small type="submit" { (t!("tokens-revoke")) } }
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
            let flash = Flash { member_error: Some(error_text(&e)), ..Default::default() };
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
            let flash = Flash { member_error: Some(error_text(&e)), ..Default::default() };
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
    match action {
        "workspace.create" => t!("audit-workspace-create"),
        "workspace.rename" => t!("audit-workspace-rename"),
        "workspace.profile" => t!("audit-workspace-profile"),
        "workspace.slug" => t!("audit-workspace-slug"),
        "workspace.logo" => t!("audit-workspace-logo"),
        "workspace.hours" => t!("audit-workspace-hours"),
        "member.add" => t!("audit-member-add"),
        "member.role" => t!("audit-member-role"),
        "member.remove" => t!("audit-member-remove"),
        "invitation.create" => t!("audit-invitation-create"),
        "invitation.revoke" => t!("audit-invitation-revoke"),
        "invitation.accept" => t!("audit-invitation-accept"),
        "api_token.create" => t!("audit-api-token-create"),
        "api_token.revoke" => t!("audit-api-token-revoke"),
        "auth.sign_in" => t!("audit-auth-sign-in"),
        "auth.second_factor" => t!("audit-auth-second-factor"),
        "channel.create" => t!("audit-channel-create"),
        "channel.update" => t!("audit-channel-update"),
        "contact.update" => t!("audit-contact-update"),
        "consent.opt_in" => t!("audit-consent-opt-in"),
        "consent.opt_out" => t!("audit-consent-opt-out"),
        "thread.update" => t!("audit-thread-update"),
        "thread.note" => t!("audit-thread-note"),
        "message.send" => t!("audit-message-send"),
        "message.gate" => t!("audit-message-gate"),
        "message.receive" => t!("audit-message-receive"),
        "webhook.create" => t!("audit-webhook-create"),
        "webhook.delete" => t!("audit-webhook-delete"),
        "assistant.settings" => t!("audit-assistant-settings"),
        "assistant.knowledge" => t!("audit-assistant-knowledge"),
        "inbox.settings" => t!("audit-inbox-settings"),
        "ai.draft" => t!("audit-ai-draft"),
        "ai.approve" => t!("audit-ai-approve"),
        "ai.edit" => t!("audit-ai-edit"),
        "ai.discard" => t!("audit-ai-discard"),
        "ai.auto_send" => t!("audit-ai-auto-send"),
        "ai.hold" => t!("audit-ai-hold"),
        "ai.handover" => t!("audit-ai-handover"),
        "ai.resume" => t!("audit-ai-resume"),
        "member.role_change" => t!("audit-member-role-change"),
        "saved_reply.create" => t!("audit-saved-reply-create"),
        "saved_reply.update" => t!("audit-saved-reply-update"),
        "saved_reply.delete" => t!("audit-saved-reply-delete"),
        "contact.note" => t!("audit-contact-note"),
        "contact.merge" => t!("audit-contact-merge"),
        "contact.import" => t!("audit-contact-import"),
        "contact.export" => t!("audit-contact-export"),
        "channel.enable" => t!("audit-channel-enable"),
        "channel.disable" => t!("audit-channel-disable"),
        "intake.reject" => t!("audit-intake-reject"),
        "intake.unparseable" => t!("audit-intake-unparseable"),
        "operator.suspend_workspace" => t!("audit-operator-suspend-workspace"),
        "operator.restore_workspace" => t!("audit-operator-restore-workspace"),
        _ => action.replace(['.', '_'], " "),
    }
}

/// An audit outcome in words: the common ones; the rest are codes, shown as stored.
fn outcome_words(outcome: &str) -> String {
    match outcome {
        "ok" => t!("audit-outcome-ok"),
        "failed" => t!("audit-outcome-failed"),
        other => match Role::parse(other) {
            // Invitations, members and tokens record the role they gave.
            Some(r) => role_name(r),
            None => other.to_string(),
        },
    }
}

fn target_words(kind: Option<&str>) -> String {
    match kind {
        Some("workspace") => t!("audit-target-workspace"),
        Some("user") => t!("audit-target-user"),
        Some("thread") => t!("audit-target-thread"),
        Some("message") => t!("audit-target-message"),
        Some("contact") => t!("audit-target-contact"),
        Some("channel") => t!("audit-target-channel"),
        Some("invitation") => t!("audit-target-invitation"),
        Some("api_token") | Some("token") => t!("audit-target-api-token"),
        Some("webhook") => t!("audit-target-webhook"),
        Some("draft") => t!("audit-target-draft"),
        Some(_) => t!("audit-target-item"),
        None => String::new(),
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
            "user" => name_of(e.actor_id.as_deref()).unwrap_or_else(|| t!("audit-former-member")),
            "api_token" => t!("audit-actor-api-token"),
            "cli" => t!("audit-actor-cli"),
            "provider" => t!("audit-actor-provider"),
            "anonymous" => t!("audit-actor-anonymous"),
            "operator" => t!("audit-actor-operator"),
            "system" => "Frontdesk".into(),
            other => other.replace('_', " "),
        }
    };
    Ok(sh.page(
        &t!("nav-audit"),
        Nav::Audit,
        html! {
            p { a.button.secondary.small href={ "/api/v1/workspaces/" (w) "/audit" } download="audit.json" { (t!("audit-export")) } }
            section { div.scroll-x { table.stack #audit {
                thead { tr { th { (t!("audit-when")) } th { (t!("audit-who")) } th { (t!("audit-what")) } th { (t!("audit-outcome")) } } }
                tbody { @for e in &entries {
                    tr data-seq=(e.seq) data-action=(e.action) {
                        td data-label=(t!("audit-when")) { (sh.ago(e.at)) }
                        td data-label=(t!("audit-who")) { (who(e)) }
                        td data-label=(t!("audit-what")) {
                            (action_words(&e.action))
                            @let target = target_words(e.target_kind.as_deref());
                            @if e.target_kind.as_deref() == Some("user") {
                                @if let Some(n) = name_of(e.target_id.as_deref()) { ": " (n) }
                            } @else if !target.is_empty() && e.target_kind.as_deref() != Some("workspace") {
                                " " span.muted.small { "(" (target) ")" }
                            }
                        }
                        td data-label=(t!("audit-outcome")) { (outcome_words(&e.outcome)) }
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
        &t!("invitation-title"),
        u.as_ref(),
        html! { section {
            p { (fill(&t!("invitation-text", workspace = SLOTS[0], role = role_name(inv.role)), &[html! { strong { (name) } }])) }
            @match &u {
                Some(u) if u.user.email == inv.email => {
                    form method="post" action={ "/invitations/" (token) } { button type="submit" { (t!("invitation-join")) } }
                }
                Some(_) => { p.alert { (t!("invitation-other-address")) } }
                None => {
                    p { a href={ "/signup?invitation=" (token) "&email=" (crate::kit::layout::url_encode(&inv.email)) } { (t!("invitation-create-account")) } }
                    p { (t!("auth-have-account")) " " a href={ "/login?next=/invitations/" (token) } { (t!("auth-sign-in")) } }
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
