//! The operator's console: every account and workspace, with suspend and restore. Every action
//! is audited on the platform chain.

use crate::kit::error::WebError;
use crate::kit::extract::{ClientInfo, PageOperator};
use crate::kit::shell::{Nav, Shell};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use frontdesk_i18n::t;
use frontdesk_platform::audit::Actor;
use frontdesk_platform::operator;
use maud::{html, Markup};

fn actor(u: &frontdesk_platform::auth::SignedIn, ip: &str) -> Actor {
    Actor { kind: "operator", id: Some(u.user.id.to_string()), ip: Some(ip.to_string()) }
}

pub async fn console(
    State(s): State<AppState>,
    ClientInfo(c): ClientInfo,
    PageOperator(u): PageOperator,
) -> Result<Markup, WebError> {
    let users = operator::users(&s.app, &actor(&u, &c.ip)).await.map_err(WebError::page)?;
    let workspaces = operator::workspaces(&s.app, &actor(&u, &c.ip)).await.map_err(WebError::page)?;
    let sh = Shell::load(&s, &u, None).await?;
    let lang = frontdesk_i18n::current();
    Ok(sh.page(
        &t!("admin-title"),
        Nav::Operator,
        html! {
            @if s.billing.platform_settings.is_some() { p { a #admin-billing href="/admin/billing" { (t!("plan-admin-title")) } } }
            p { a #admin-phones href="/admin/phones" { (t!("phones-admin-title")) } }
            section aria-labelledby="users" {
                h2 id="users" { (t!("admin-accounts", count = lang.number(users.len() as i64))) }
                div.scroll-x { table.stack {
                    thead { tr { th { (t!("platform-email")) } th { (t!("platform-name")) } th { (t!("platform-created")) } th { (t!("platform-state")) } th {} } }
                    tbody { @for x in &users {
                        tr data-user=(x.id) {
                            td { (x.email) } td data-label=(t!("platform-name")) { (x.name) } td data-label=(t!("platform-created")) { (sh.at(x.created_at)) }
                            td { @if x.suspended_at.is_some() { (t!("admin-suspended")) } @else if x.email_verified_at.is_none() { (t!("admin-unverified")) } @else { (t!("admin-active")) } @if x.is_operator { " · " (t!("admin-operator")) } }
                            td { @if x.suspended_at.is_some() {
                                form.inline method="post" action={ "/admin/users/" (x.id) "/restore" } { button.secondary.small type="submit" { (t!("admin-restore")) } }
                            } @else if x.id != u.user.id {
                                form.inline method="post" action={ "/admin/users/" (x.id) "/suspend" } data-confirm=(t!("admin-suspend-user-confirm", email = &x.email)) data-confirm-label=(t!("admin-suspend")) { button.danger.small type="submit" { (t!("admin-suspend")) } }
                            } }
                        }
                    } }
                } }
            }
            section aria-labelledby="workspaces" {
                h2 id="workspaces" { (t!("admin-workspaces", count = lang.number(workspaces.len() as i64))) }
                div.scroll-x { table.stack {
                    thead { tr { th { (t!("platform-name")) } th { (t!("nav-members")) } th { (t!("platform-created")) } th { (t!("platform-state")) } th {} } }
                    tbody { @for (w, n) in &workspaces {
                        tr data-workspace=(w.id) {
                            td { (w.name) } td data-label=(t!("nav-members")) { (lang.number(*n)) } td data-label=(t!("platform-created")) { (sh.at(w.created_at)) }
                            td { @if w.suspended_at.is_some() { (t!("admin-workspace-suspended")) } @else { (t!("admin-workspace-active")) } }
                            td { @if w.suspended_at.is_some() {
                                form.inline method="post" action={ "/admin/workspaces/" (w.id) "/restore" } { button.secondary.small type="submit" { (t!("admin-restore")) } }
                            } @else {
                                form.inline method="post" action={ "/admin/workspaces/" (w.id) "/suspend" } data-confirm=(t!("admin-suspend-workspace-confirm", name = &w.name)) data-confirm-label=(t!("admin-suspend")) { button.danger.small type="submit" { (t!("admin-suspend")) } }
                            } }
                        }
                    } }
                } }
            }
        },
    ))
}

async fn user_state(
    s: AppState,
    u: frontdesk_platform::auth::SignedIn,
    ip: String,
    id: String,
    on: bool,
) -> Result<Response, WebError> {
    operator::set_user_suspended(&s.app, &actor(&u, &ip), &id, on).await.map_err(WebError::page)?;
    Ok(Redirect::to("/admin").into_response())
}

async fn ws_state(
    s: AppState,
    u: frontdesk_platform::auth::SignedIn,
    ip: String,
    id: String,
    on: bool,
) -> Result<Response, WebError> {
    operator::set_workspace_suspended(&s.app, &actor(&u, &ip), &id, on).await.map_err(WebError::page)?;
    Ok(Redirect::to("/admin").into_response())
}

pub async fn suspend_user(
    State(s): State<AppState>,
    ClientInfo(c): ClientInfo,
    PageOperator(u): PageOperator,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    user_state(s, u, c.ip, id, true).await
}
pub async fn restore_user(
    State(s): State<AppState>,
    ClientInfo(c): ClientInfo,
    PageOperator(u): PageOperator,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    user_state(s, u, c.ip, id, false).await
}
pub async fn suspend_workspace(
    State(s): State<AppState>,
    ClientInfo(c): ClientInfo,
    PageOperator(u): PageOperator,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    ws_state(s, u, c.ip, id, true).await
}
pub async fn restore_workspace(
    State(s): State<AppState>,
    ClientInfo(c): ClientInfo,
    PageOperator(u): PageOperator,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    ws_state(s, u, c.ip, id, false).await
}
