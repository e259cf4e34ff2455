//! The team's phone pages: the fleet (live state, add a phone, usage per day, the settings) and
//! one phone (its actions, the control lease, usage, activity, and the warning that a closed
//! tab does not stop billing); the operator's page of providers, profiles and the pool.

use crate::bookings::pages::{field, Fields};
use crate::kit::body::PageForm;
use crate::kit::error::{status_of, WebError};
use crate::kit::extract::{page_access as access, ClientInfo, PageOperator, PageUser};
use crate::kit::layout::FormErrors;
use crate::kit::shell::{Nav, Shell};
use crate::phones::api::{days, name_of, names};
use crate::{Access, AppState, Table};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use frontdesk_core::Action;
use frontdesk_i18n::t;
use frontdesk_phones::devices::{self, AddInput, Ask, LeaseInput, SettingsInput};
use frontdesk_phones::operator::{self, ProfileInput, ProviderInput};
use frontdesk_phones::repo::Device;
use frontdesk_platform::audit;
use frontdesk_platform::auth::SignedIn;
use frontdesk_platform::error::ErrorKind;
use frontdesk_platform::workspaces::Access as WorkspaceAccess;
use frontdesk_platform::AppError;
use maud::{html, Markup};

pub(crate) fn routes(t: Table) -> Table {
    use Access::*;
    use Action::{ManageDevices, UseDevices, ViewDevices};
    t.add("GET", "/w/{ws}/devices", Workspace(ViewDevices), "Cloud phones: state, usage, add one", get(list))
        .add("POST", "/w/{ws}/devices", Workspace(ManageDevices), "Add a cloud phone", post(add))
        .add(
            "POST",
            "/w/{ws}/devices/settings",
            Workspace(ManageDevices),
            "Idle stop and the daily cap",
            post(save_settings),
        )
        .add("GET", "/w/{ws}/devices/{id}", Workspace(ViewDevices), "A cloud phone", get(show))
        .add(
            "POST",
            "/w/{ws}/devices/{id}/action",
            Workspace(UseDevices),
            "Start, stop, restart, reset or delete a phone; take or give back its lease",
            post(action),
        )
        .add("GET", "/admin/phones", Operator, "Phone providers, profiles and the pool", get(admin))
        .add("POST", "/admin/phones/providers", Operator, "Add a phone provider", post(admin_provider))
        .add("POST", "/admin/phones/profiles", Operator, "Add a phone profile", post(admin_profile))
        .add("POST", "/admin/phones/providers/{id}/sync", Operator, "Sync an ADB host's pool", post(admin_sync))
}

fn refusal(e: AppError) -> Result<(axum::http::StatusCode, FormErrors), WebError> {
    match e.kind {
        ErrorKind::Invalid | ErrorKind::Conflict | ErrorKind::Unavailable | ErrorKind::Forbidden => {
            Ok((status_of(e.kind), FormErrors::from_error(&e)))
        }
        _ => Err(WebError::page(e)),
    }
}

/// What the page's script compares with the API's answer to know it must reload.
fn sig(d: &Device) -> String {
    format!("{}:{}:{}", d.id, d.state, d.op.as_deref().unwrap_or(""))
}

fn state_badge(d: &Device) -> Markup {
    let tone = match d.state.as_str() {
        "running" => "ok",
        "failed" | "expired" | "unknown" => "bad",
        "stopped" => "muted",
        _ => "busy",
    };
    html! { span.badge class=(tone) data-state=(d.state) { (t!("phones-state", state = d.state.as_str())) } }
}

/// Bars of minutes per day (newest last), with the numbers for screen readers and copy.
fn chart(list: &[(String, i64, i64)]) -> Markup {
    let max = list.iter().map(|(_, n, _)| *n).max().unwrap_or(0).max(1);
    let mut days: Vec<&(String, i64, i64)> = list.iter().collect();
    days.reverse();
    html! {
        @if days.is_empty() { p.muted #usage-none { (t!("phones-usage-none")) } } @else {
            figure.usage-chart #usage {
                div.bars role="img" aria-label=(t!("phones-usage-chart")) {
                    @for (day, n, _) in &days {
                        div.bar style={ "height:" (n * 100 / max) "%" } title={ (day) ": " (n) } {}
                    }
                }
                table.stack {
                    thead { tr { th { (t!("phones-day")) } th { (t!("phones-minutes")) } th { (t!("phones-capped")) } } }
                    tbody { @for (day, n, capped) in days.iter().rev() { tr { td { (day) } td { (n) } td { (capped) } } } }
                }
            }
        }
    }
}

async fn list(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ViewDevices).await?;
    render_list(&s, &u, &a, &Fields::new(), &FormErrors::default()).await
}

async fn render_list(
    s: &AppState,
    u: &SignedIn,
    a: &WorkspaceAccess,
    f: &Fields,
    errors: &FormErrors,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let w = a.workspace.id.as_str();
    let list = devices::list(&s.phones, &a.workspace.id).await.map_err(WebError::page)?;
    let n = names(s).await?;
    let profiles = operator::profiles(&s.phones).await.map_err(WebError::page)?;
    let usage = days(s, &a.workspace.id, None).await?;
    let settings = {
        let mut c = s.app.db.conn().await.map_err(|e| WebError::page(e.into()))?;
        devices::settings(&s.phones, &mut c, &a.workspace.id).await.map_err(WebError::page)?
    };
    let manage = frontdesk_core::role::allows(a.role, Action::ManageDevices);
    let watch: String = list.iter().map(sig).collect::<Vec<_>>().join(",");
    Ok(sh.page(
        &t!("phones-title"),
        Nav::Devices,
        html! {
            p.muted { (t!("phones-intro")) }
            p.notice #billing-warning { (t!("phones-tab-warning", minutes = settings.idle_stop_minutes)) }
            @if list.is_empty() { p.muted #devices-none { (t!("phones-none")) } } @else {
                div.scroll-x { table.stack #devices data-watch="/api/v1/devices" data-sig=(watch) {
                    thead { tr { th { (t!("phones-name")) } th { (t!("phones-status")) } th { (t!("phones-provider")) } th { (t!("phones-tags")) } } }
                    tbody { @for d in &list { tr data-device=(d.id) {
                        td { a href={ "/w/" (w) "/devices/" (d.id) } { (d.name) } }
                        td data-label=(t!("phones-status")) { (state_badge(d)) }
                        td data-label=(t!("phones-provider")) { (name_of(&n, d)) }
                        td data-label=(t!("phones-tags")) { (devices::tags(d).join(", ")) }
                    } } }
                } }
            }
            section aria-labelledby="usage-h" {
                h2 #usage-h { (t!("phones-usage")) }
                (chart(&usage))
            }
            @if manage {
                section aria-labelledby="add-h" {
                    h2 #add-h { (t!("phones-add")) }
                    @if profiles.iter().all(|p| !p.active) { p.muted #profiles-none { (t!("phones-no-profiles")) } } @else {
                        form #add-form method="post" action={ "/w/" (w) "/devices" } novalidate {
                            (errors.summary())
                            div.form-row {
                                label for="ph-profile" { (t!("phones-profile")) }
                                select #ph-profile name="profile_id" {
                                    @for p in profiles.iter().filter(|p| p.active) {
                                        option value=(p.id) selected[field(f, "profile_id") == p.id.as_str()] {
                                            (p.name) " · " (p.android_version) @if let Some(r) = &p.region { " · " (r) }
                                        }
                                    }
                                }
                            }
                            div.form-row {
                                label for="ph-name" { (t!("phones-name")) }
                                input #ph-name name="name" required maxlength="80" value=(field(f, "name"));
                                @if let Some(m) = errors.of("name") { p.error { (m) } }
                            }
                            div.form-row {
                                label for="ph-tags" { (t!("phones-tags")) }
                                input #ph-tags name="tags" value=(field(f, "tags"));
                                p.hint.small { (t!("phones-tags-hint")) }
                            }
                            button type="submit" { (t!("phones-add")) }
                        }
                    }
                }
                section aria-labelledby="set-h" {
                    h2 #set-h { (t!("phones-settings")) }
                    form #settings-form method="post" action={ "/w/" (w) "/devices/settings" } novalidate {
                        div.form-row {
                            label for="ph-idle" { (t!("phones-idle")) }
                            input #ph-idle name="idle_stop_minutes" inputmode="numeric" value=(settings.idle_stop_minutes);
                            @if let Some(m) = errors.of("idle_stop_minutes") { p.error { (m) } }
                        }
                        div.form-row {
                            label for="ph-cap" { (t!("phones-cap")) }
                            input #ph-cap name="daily_cap_minutes" inputmode="numeric" value=(settings.daily_cap_minutes.map(|c| c.to_string()).unwrap_or_default());
                            @if let Some(m) = errors.of("daily_cap_minutes") { p.error { (m) } } @else { p.hint.small { (t!("phones-cap-hint")) } }
                        }
                        button.secondary type="submit" { (t!("phones-save")) }
                    }
                }
            }
        },
    ))
}

async fn add(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageDevices).await?;
    let input = AddInput {
        profile_id: field(&f, "profile_id").to_string(),
        name: field(&f, "name").to_string(),
        tags: field(&f, "tags").split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect(),
        notes: None,
    };
    match devices::add(&s.phones, &a, &input).await {
        Ok(d) => Ok(Redirect::to(&format!("/w/{w}/devices/{}?saved=1", d.id)).into_response()),
        Err(e) => {
            let (status, errors) = refusal(e)?;
            Ok((status, render_list(&s, &u, &a, &f, &errors).await?).into_response())
        }
    }
}

async fn save_settings(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageDevices).await?;
    let num = |k: &str| field(&f, k).trim().parse::<i64>().ok();
    let cap_raw = field(&f, "daily_cap_minutes").trim();
    let result = match (num("idle_stop_minutes"), cap_raw.is_empty(), num("daily_cap_minutes")) {
        (None, _, _) => {
            Err(AppError::invalid("idle_stop_minutes", "invalid_idle_stop", "The idle stop is 1 to 1,440 minutes."))
        }
        (_, false, None) => {
            Err(AppError::invalid("daily_cap_minutes", "invalid_daily_cap", "A daily cap is 1 to 1,440 minutes."))
        }
        (Some(idle), _, cap) => {
            devices::set_settings(&s.phones, &a, &SettingsInput { idle_stop_minutes: idle, daily_cap_minutes: cap })
                .await
        }
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/w/{w}/devices?saved=1")).into_response()),
        Err(e) => {
            let (status, errors) = refusal(e)?;
            Ok((status, render_list(&s, &u, &a, &f, &errors).await?).into_response())
        }
    }
}

async fn show(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ViewDevices).await?;
    render_device(&s, &u, &a, &id, &FormErrors::default()).await
}

async fn render_device(
    s: &AppState,
    u: &SignedIn,
    a: &WorkspaceAccess,
    id: &str,
    errors: &FormErrors,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let w = a.workspace.id.as_str();
    let d = devices::watch(&s.phones, &a.workspace.id, id).await.map_err(WebError::page)?;
    let n = names(s).await?;
    let now = s.app.now().0;
    let usage = days(s, &a.workspace.id, Some(&d)).await?;
    let rows = {
        let mut c = s.app.db.conn().await.map_err(|e| WebError::page(e.into()))?;
        frontdesk_phones::repo::activity(&mut c, &a.workspace.id, Some(&d.id), 50)
            .await
            .map_err(|e| WebError::page(e.into()))?
    };
    let settings = {
        let mut c = s.app.db.conn().await.map_err(|e| WebError::page(e.into()))?;
        devices::settings(&s.phones, &mut c, &a.workspace.id).await.map_err(WebError::page)?
    };
    let can_use = frontdesk_core::role::allows(a.role, Action::UseDevices);
    let manage = frontdesk_core::role::allows(a.role, Action::ManageDevices);
    let lease = devices::lease(&d, now);
    let mine = lease.as_ref().is_some_and(|(h, _, _)| *h == format!("user:{}", u.user.id));
    let button = |what: &str, label: String, danger: bool| {
        html! {
            form.inline method="post" action={ "/w/" (w) "/devices/" (d.id) "/action" } data-confirm=[danger.then(|| t!("phones-confirm"))] {
                input type="hidden" name="do" value=(what);
                button.secondary[!danger].danger[danger] type="submit" data-do=(what) { (label) }
            }
        }
    };
    Ok(sh.page(
        &d.name,
        Nav::Devices,
        html! {
            p { a href={ "/w/" (w) "/devices" } { "← " (t!("phones-title")) } }
            (errors.summary())
            div #device data-watch={ "/api/v1/devices/" (d.id) } data-sig=(sig(&d)) {
                dl.facts {
                    dt { (t!("phones-status")) } dd #device-state { (state_badge(&d)) @if let Some(op) = &d.op { " · " (t!("phones-op", op = op.as_str())) } }
                    @if let Some(x) = &d.state_detail { dt { (t!("phones-detail")) } dd #device-detail { (x) } }
                    @if let Some(x) = &d.last_error { dt { (t!("phones-last-error")) } dd #device-error { (x) } }
                    dt { (t!("phones-provider")) } dd { (name_of(&n, &d)) }
                    @if let Some(since) = d.running_since {
                        dt { (t!("phones-running-since")) } dd #device-since { (sh.ago(since)) " · " (t!("phones-minutes-run", minutes = d.metered)) }
                    }
                    @if let Some(url) = &d.stream_url { dt { (t!("phones-remote")) } dd { a href=(url) rel="noopener noreferrer" target="_blank" { (t!("phones-open-remote")) } } }
                    @if !devices::tags(&d).is_empty() { dt { (t!("phones-tags")) } dd { (devices::tags(&d).join(", ")) } }
                    @if let Some(x) = &d.notes { dt { (t!("phones-notes")) } dd { (x) } }
                }
            }
            p.notice #billing-warning { (t!("phones-tab-warning", minutes = settings.idle_stop_minutes)) }
            @if let Some((_, name, until)) = &lease {
                p.notice #lease { (t!("phones-leased", name = name.as_str())) " " (sh.short(*until)) }
            }
            @if can_use && d.op.is_none() {
                div.actions #device-actions {
                    @if matches!(d.state.as_str(), "stopped" | "failed") { (button("start", t!("phones-start"), false)) }
                    @if d.state == "running" { (button("stop", t!("phones-stop"), false)) (button("restart", t!("phones-restart"), false)) }
                    @if mine { (button("release", t!("phones-release"), false)) } @else if lease.is_none() { (button("lease", t!("phones-lease"), false)) }
                    @if manage && matches!(d.state.as_str(), "stopped" | "failed") { (button("reset", t!("phones-reset"), true)) }
                    @if manage && d.state != "running" { (button("delete", t!("phones-delete"), true)) }
                }
            }
            section aria-labelledby="usage-h" { h2 #usage-h { (t!("phones-usage")) } (chart(&usage)) }
            section aria-labelledby="act-h" {
                h2 #act-h { (t!("phones-activity")) }
                div.scroll-x { table.stack #activity {
                    thead { tr { th { (t!("phones-when")) } th { (t!("phones-who")) } th { (t!("phones-what")) } th { (t!("phones-from")) } } }
                    tbody { @for r in &rows { tr {
                        td { (sh.short(r.at)) }
                        td { @if let Some(n) = &r.actor_name { (n) } @else if r.actor == "system" { (t!("phones-system")) } @else { (r.actor) } }
                        td { (r.action) " · " (r.outcome) }
                        td { (r.ip.as_deref().unwrap_or("—")) }
                    } } }
                } }
            }
        },
    ))
}

async fn action(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let what = field(&f, "do");
    let need = if matches!(what, "reset" | "delete") { Action::ManageDevices } else { Action::UseDevices };
    let a = access(&s, &u, &client.ip, &w, need).await?;
    let ph = &s.phones;
    let result = match what {
        "start" => devices::request(ph, &a, &id, Ask::Start).await.map(|_| ()),
        "stop" => devices::request(ph, &a, &id, Ask::Stop).await.map(|_| ()),
        "restart" => devices::request(ph, &a, &id, Ask::Restart).await.map(|_| ()),
        "reset" => devices::request(ph, &a, &id, Ask::Reset).await.map(|_| ()),
        "delete" => devices::request(ph, &a, &id, Ask::Delete).await.map(|_| ()),
        "lease" => devices::take_lease(ph, &a, &id, &LeaseInput { minutes: None }).await.map(|_| ()),
        "release" => devices::release_lease(ph, &a, &id).await.map(|_| ()),
        _ => Err(AppError::invalid("do", "unknown_action", "Choose one of the buttons.")),
    };
    match result {
        Ok(()) if what == "delete" => Ok(Redirect::to(&format!("/w/{w}/devices?saved=1")).into_response()),
        Ok(()) => Ok(Redirect::to(&format!("/w/{w}/devices/{id}?saved=1")).into_response()),
        Err(e) => {
            let (status, errors) = refusal(e)?;
            Ok((status, render_device(&s, &u, &a, &id, &errors).await?).into_response())
        }
    }
}

// The operator's page.

fn actor(u: &SignedIn, ip: &str) -> audit::Actor {
    audit::Actor { kind: "operator", id: Some(u.user.id.to_string()), ip: Some(ip.to_string()) }
}

async fn admin(State(s): State<AppState>, PageOperator(u): PageOperator) -> Result<Markup, WebError> {
    admin_render(&s, &u, &Fields::new(), &FormErrors::default()).await
}

async fn admin_render(s: &AppState, u: &SignedIn, f: &Fields, errors: &FormErrors) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, None).await?;
    let providers = operator::providers(&s.phones).await.map_err(WebError::page)?;
    let profiles = operator::profiles(&s.phones).await.map_err(WebError::page)?;
    let all = operator::all_devices(&s.phones).await.map_err(WebError::page)?;
    let n = names(s).await?;
    Ok(sh.page(
        &t!("phones-admin-title"),
        Nav::Operator,
        html! {
            (errors.summary())
            section aria-labelledby="prov-h" {
                h2 #prov-h { (t!("phones-admin-providers")) }
                @if providers.is_empty() { p.muted { (t!("phones-admin-no-providers")) } } @else {
                    div.scroll-x { table.stack #providers {
                        thead { tr { th { (t!("phones-name")) } th { (t!("phones-admin-kind")) } th { (t!("phones-admin-endpoint")) } th { (t!("phones-status")) } th {} } }
                        tbody { @for p in &providers { tr data-provider=(p.id) {
                            td { (p.name) } td { (p.kind) } td { code { (p.endpoint) } @if let Some(h) = &p.secret_hint { " · …" (h) } }
                            td { (t!("phones-provider-status", status = p.status.as_str())) @if let Some(d) = &p.status_detail { br; span.small.muted { (d) } } }
                            td { @if p.kind == "adb" {
                                form.inline method="post" action={ "/admin/phones/providers/" (p.id) "/sync" } { button.secondary.small type="submit" { (t!("phones-admin-sync")) } }
                            } @else {
                                span.small { (t!("phones-admin-callback")) " " code { (s.app.settings.base_url.trim_end_matches('/')) "/webhooks/geelark/" (p.id) } }
                            } }
                        } } }
                    } }
                }
                form #provider-form method="post" action="/admin/phones/providers" novalidate {
                    div.form-row { label for="pv-name" { (t!("phones-name")) } input #pv-name name="name" required value=(field(f, "name")); @if let Some(m) = errors.of("name") { p.error { (m) } } }
                    div.form-row { label for="pv-kind" { (t!("phones-admin-kind")) }
                        select #pv-kind name="kind" { option value="adb" selected[field(f, "kind") != "geelark"] { "ADB" } option value="geelark" selected[field(f, "kind") == "geelark"] { "GeeLark" } } }
                    div.form-row { label for="pv-endpoint" { (t!("phones-admin-endpoint")) } input #pv-endpoint name="endpoint" required placeholder="127.0.0.1:5037" value=(field(f, "endpoint")); @if let Some(m) = errors.of("endpoint") { p.error { (m) } } }
                    div.form-row { label for="pv-app" { (t!("phones-admin-app-id")) } input #pv-app name="app_id" autocomplete="off" value=(field(f, "app_id")); }
                    div.form-row { label for="pv-key" { (t!("phones-admin-key")) } input #pv-key name="api_key" type="password" autocomplete="off"; @if let Some(m) = errors.of("api_key") { p.error { (m) } } }
                    button type="submit" { (t!("phones-admin-add-provider")) }
                }
            }
            section aria-labelledby="prof-h" {
                h2 #prof-h { (t!("phones-admin-profiles")) }
                ul #profiles { @for p in &profiles { li { (p.name) " · " (p.android_version) @if let Some(r) = &p.region { " · " (r) } } } }
                @if !providers.is_empty() {
                    form #profile-form method="post" action="/admin/phones/profiles" novalidate {
                        div.form-row { label for="pf-provider" { (t!("phones-provider")) } select #pf-provider name="provider_id" { @for p in &providers { option value=(p.id) { (p.name) } } } }
                        div.form-row { label for="pf-name" { (t!("phones-name")) } input #pf-name name="profile_name" required; }
                        div.form-row { label for="pf-android" { (t!("phones-admin-android")) } input #pf-android name="android_version" required placeholder="Android 13"; @if let Some(m) = errors.of("android_version") { p.error { (m) } } }
                        div.form-row { label for="pf-region" { (t!("phones-admin-region")) } input #pf-region name="region" placeholder="sgp"; }
                        button type="submit" { (t!("phones-admin-add-profile")) }
                    }
                }
            }
            section aria-labelledby="pool-h" {
                h2 #pool-h { (t!("phones-admin-devices")) }
                div.scroll-x { table.stack #pool {
                    thead { tr { th { (t!("phones-name")) } th { (t!("phones-provider")) } th { (t!("phones-status")) } th { (t!("phones-admin-held-by")) } } }
                    tbody { @for d in &all { tr {
                        td { (d.name) } td { (name_of(&n, d)) } td { (state_badge(d)) }
                        td { @if let Some(ws) = &d.workspace_id { code { (ws) } } @else { (t!("phones-admin-pool")) } }
                    } } }
                } }
            }
        },
    ))
}

async fn admin_done(s: &AppState, u: &SignedIn, f: &Fields, r: Result<(), AppError>) -> Result<Response, WebError> {
    match r {
        Ok(()) => Ok(Redirect::to("/admin/phones?saved=1").into_response()),
        Err(e) => {
            let (status, errors) = refusal(e)?;
            Ok((status, admin_render(s, u, f, &errors).await?).into_response())
        }
    }
}

async fn admin_provider(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageOperator(u): PageOperator,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let opt = |k: &str| Some(field(&f, k).trim().to_string()).filter(|v| !v.is_empty());
    let input = ProviderInput {
        name: field(&f, "name").to_string(),
        kind: field(&f, "kind").to_string(),
        endpoint: field(&f, "endpoint").to_string(),
        app_id: opt("app_id"),
        api_key: opt("api_key"),
    };
    let r = operator::add_provider(&s.phones, &actor(&u, &client.ip), &input).await.map(|_| ());
    admin_done(&s, &u, &f, r).await
}

async fn admin_profile(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageOperator(u): PageOperator,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let opt = |k: &str| Some(field(&f, k).trim().to_string()).filter(|v| !v.is_empty());
    let input = ProfileInput {
        provider_id: field(&f, "provider_id").to_string(),
        name: field(&f, "profile_name").to_string(),
        android_version: field(&f, "android_version").to_string(),
        region: opt("region"),
        size: None,
    };
    let r = operator::add_profile(&s.phones, &actor(&u, &client.ip), &input).await.map(|_| ());
    admin_done(&s, &u, &f, r).await
}

async fn admin_sync(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageOperator(u): PageOperator,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let r = operator::sync_pool(&s.phones, &actor(&u, &client.ip), &id).await.map(|_| ());
    admin_done(&s, &u, &Fields::new(), r).await
}
