//! Data-subject requests over HTTP: the business's public privacy page and the requester's
//! own page of their request (a signed link: the code, the state, the export), the owners'
//! Privacy page and JSON API (verify, fulfil, refuse, lift; the workspace's data role), and the
//! operator's list of overdue requests.

use crate::inbox::api::current;
use crate::kit::answer::{Answer, Api};
use crate::kit::body::{ApiJson, PageForm};
use crate::kit::error::{status_of, WebError};
use crate::kit::extract::{page_access as access, ApiCaller, ClientInfo, PageUser};
use crate::kit::layout::FormErrors;
use crate::kit::shell::{Nav, Shell};
use crate::{Access, AppState, Table};
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use frontdesk_core::Action;
use frontdesk_i18n::t;
use frontdesk_platform::error::{AppError, ErrorKind};
use frontdesk_privacy::requests::{
    self, DecideInput, PublicInput, Request, RequestOut, SettingsBody, StaffInput, VerifyInput,
};
use maud::{html, Markup};
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::HashMap;

pub(crate) fn routes(t: Table) -> Table {
    use Access::*;
    use Action::HandlePrivacy;
    t.add("GET", "/api/v1/privacy/requests", Current(HandlePrivacy), "The workspace's privacy requests", get(list))
        .returns::<RequestsOut>()
        .add(
            "POST",
            "/api/v1/privacy/requests",
            Current(HandlePrivacy),
            "Record a request for a contact whose identity staff checked",
            post(create),
        )
        .body::<StaffInput>()
        .created::<RequestOut>()
        .add("GET", "/api/v1/privacy/requests/{id}", Current(HandlePrivacy), "A privacy request", get(one))
        .returns::<RequestOut>()
        .add(
            "POST",
            "/api/v1/privacy/requests/{id}/verify",
            Current(HandlePrivacy),
            "Verify the person by hand (say how), linking the contact",
            post(verify),
        )
        .body::<VerifyInput>()
        .returns::<RequestOut>()
        .add(
            "POST",
            "/api/v1/privacy/requests/{id}/fulfil",
            Current(HandlePrivacy),
            "Fulfil a verified request: export, erase, restrict, withdraw consent or record a correction",
            post(fulfil),
        )
        .body::<DecideInput>()
        .returns::<RequestOut>()
        .add(
            "POST",
            "/api/v1/privacy/requests/{id}/refuse",
            Current(HandlePrivacy),
            "Refuse a request, with a reason",
            post(refuse),
        )
        .body::<DecideInput>()
        .returns::<RequestOut>()
        .add(
            "POST",
            "/api/v1/privacy/requests/{id}/lift",
            Current(HandlePrivacy),
            "Lift a restriction (audited)",
            post(lift),
        )
        .no_body()
        .returns::<RequestOut>()
        .add(
            "GET",
            "/api/v1/privacy/requests/{id}/export",
            Current(HandlePrivacy),
            "The export of an access or export request (a ZIP, kept 7 days)",
            get(api_export),
        )
        .produces(&["application/zip"])
        .add(
            "GET",
            "/api/v1/privacy/settings",
            Current(HandlePrivacy),
            "The workspace's role for its customers' data",
            get(settings),
        )
        .returns::<SettingsBody>()
        .add(
            "PUT",
            "/api/v1/privacy/settings",
            Current(HandlePrivacy),
            "Set the workspace's data role",
            axum::routing::put(set_settings),
        )
        .body::<SettingsBody>()
        .returns::<SettingsBody>()
        .add(
            "POST",
            "/api/v1/privacy/{slug}/requests",
            Public,
            "A customer's request to a business (the same answer whether or not the business exists)",
            post(api_submit),
        )
        .body::<PublicInput>()
        .returns::<ReceivedOut>()
        .add("GET", "/privacy/{slug}", Public, "A business's privacy page: ask for your data", get(public_page))
        .add("POST", "/privacy/{slug}", Public, "Send a privacy request", post(public_submit))
        .add("GET", "/privacy/requests/{token}", Public, "The requester's page of their request", get(status_page))
        .add(
            "POST",
            "/privacy/requests/{token}/verify",
            Public,
            "Confirm the request with the emailed code",
            post(status_verify),
        )
        .add("POST", "/privacy/requests/{token}/code", Public, "Send a new code", post(status_code))
        .add(
            "GET",
            "/privacy/requests/{token}/export",
            Public,
            "Download the export of a fulfilled request",
            get(status_export),
        )
        .add("GET", "/w/{ws}/privacy", Workspace(HandlePrivacy), "Privacy requests", get(page))
        .add(
            "POST",
            "/w/{ws}/privacy/settings",
            Workspace(HandlePrivacy),
            "The workspace's data role",
            post(page_settings),
        )
        .add(
            "POST",
            "/w/{ws}/privacy/{id}/{action}",
            Workspace(HandlePrivacy),
            "Verify, fulfil, refuse or lift a request",
            post(page_act),
        )
        .add(
            "GET",
            "/w/{ws}/privacy/{id}/export",
            Workspace(HandlePrivacy),
            "Download a request's export",
            get(page_export),
        )
        .add(
            "GET",
            "/admin/privacy",
            Operator,
            "Account holders' requests and overdue requests across workspaces",
            get(admin),
        )
        .add(
            "POST",
            "/admin/privacy/{id}/{action}",
            Operator,
            "Fulfil or refuse an account holder's request",
            post(admin_act),
        )
        .add(
            "GET",
            "/account/privacy",
            Account,
            "Your account's data: a copy, a correction, a restriction",
            get(account_page),
        )
        .add("POST", "/account/privacy", Account, "Ask about your account's data", post(account_submit))
        .add("GET", "/account/privacy/{id}/export", Account, "Download your account's export", get(account_export))
}

#[derive(Serialize, JsonSchema)]
struct RequestsOut {
    requests: Vec<RequestOut>,
}

#[derive(Serialize, JsonSchema)]
struct ReceivedOut {
    /// Always true: the answer says nothing of whether the business or the person exists.
    received: bool,
}

fn zip_response(bytes: Vec<u8>, id: &str) -> Response {
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/zip"));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"privacy-{id}.zip\""))
            .unwrap_or(HeaderValue::from_static("attachment")),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    r
}

async fn list(State(s): State<AppState>, c: ApiCaller) -> Api<RequestsOut> {
    let a = current(&s, &c, Action::HandlePrivacy).await?;
    let list = requests::list(&s.privacy, &a).await?;
    Ok(Answer::ok(RequestsOut { requests: list.iter().map(|r| requests::out(&s.privacy, r)).collect() }))
}

async fn create(State(s): State<AppState>, c: ApiCaller, ApiJson(b): ApiJson<StaffInput>) -> Api<RequestOut> {
    let a = current(&s, &c, Action::HandlePrivacy).await?;
    let r = requests::create(&s.privacy, &a, &b).await?;
    Ok(Answer::created(requests::out(&s.privacy, &r)))
}

async fn one(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<RequestOut> {
    let a = current(&s, &c, Action::HandlePrivacy).await?;
    Ok(Answer::ok(requests::out(&s.privacy, &requests::get(&s.privacy, &a, &id).await?)))
}

async fn verify(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<VerifyInput>,
) -> Api<RequestOut> {
    let a = current(&s, &c, Action::HandlePrivacy).await?;
    Ok(Answer::ok(requests::out(&s.privacy, &requests::verify(&s.privacy, &a, &id, &b).await?)))
}

async fn fulfil(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<DecideInput>,
) -> Api<RequestOut> {
    let a = current(&s, &c, Action::HandlePrivacy).await?;
    Ok(Answer::ok(requests::out(&s.privacy, &requests::fulfil(&s.privacy, &a, &id, &b).await?)))
}

async fn refuse(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<DecideInput>,
) -> Api<RequestOut> {
    let a = current(&s, &c, Action::HandlePrivacy).await?;
    Ok(Answer::ok(requests::out(&s.privacy, &requests::refuse(&s.privacy, &a, &id, &b).await?)))
}

async fn lift(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<RequestOut> {
    let a = current(&s, &c, Action::HandlePrivacy).await?;
    Ok(Answer::ok(requests::out(&s.privacy, &requests::lift(&s.privacy, &a, &id).await?)))
}

async fn api_export(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Result<Response, WebError> {
    let a = current(&s, &c, Action::HandlePrivacy).await?;
    let r = requests::get(&s.privacy, &a, &id).await?;
    Ok(zip_response(requests::export_bytes(&s.privacy, &r).await?, &r.id))
}

async fn settings(State(s): State<AppState>, c: ApiCaller) -> Api<SettingsBody> {
    let a = current(&s, &c, Action::HandlePrivacy).await?;
    Ok(Answer::ok(requests::settings(&s.privacy, &a.workspace.id).await?))
}

async fn set_settings(State(s): State<AppState>, c: ApiCaller, ApiJson(b): ApiJson<SettingsBody>) -> Api<SettingsBody> {
    let a = current(&s, &c, Action::HandlePrivacy).await?;
    Ok(Answer::ok(requests::set_settings(&s.privacy, &a, &b).await?))
}

async fn api_submit(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    Path(slug): Path<String>,
    ApiJson(b): ApiJson<PublicInput>,
) -> Api<ReceivedOut> {
    requests::submit(&s.privacy, &slug, &b, frontdesk_i18n::current(), &client.ip).await?;
    Ok(Answer::ok(ReceivedOut { received: true }))
}

// The public pages.

type Fields = HashMap<String, String>;

async fn business(s: &AppState, slug: &str) -> Option<String> {
    let p: &frontdesk_platform::Platform = s.app.as_ref();
    let ws = match frontdesk_platform::profile::resolve_slug(p, slug).await.ok()?? {
        frontdesk_platform::profile::SlugTarget::Current(ws) => ws,
        frontdesk_platform::profile::SlugTarget::Moved { workspace, .. } => workspace,
    };
    let mut c = s.app.db.conn().await.ok()?;
    frontdesk_platform::repo::workspaces::by_id(&mut c, &ws).await.ok()?.map(|w| w.name)
}

fn public(status: StatusCode, title: &str, body: Markup) -> Response {
    (status, crate::kit::layout::page(title, None, body)).into_response()
}

fn form(slug: &str, name: Option<&str>, errors: &FormErrors, f: &Fields) -> Markup {
    let kind = f.get("kind").map(String::as_str).unwrap_or("access");
    html! {
        p { @match name { Some(n) => (t!("privacy-page-intro", business = n)), None => (t!("privacy-page-intro-any")) } }
        form #privacy-form method="post" action={ "/privacy/" (slug) } novalidate {
            (errors.summary())
            div.form-row {
                label for="pr-kind" { (t!("privacy-kind-label")) }
                select #pr-kind name="kind" {
                    @for k in requests::KINDS { option value=(k) selected[*k == kind] { (t!("privacy-kind", kind = *k)) } }
                }
            }
            div.form-row {
                label for="pr-email" { (t!("privacy-email-label")) }
                input #pr-email name="email" type="email" required autocomplete="email" value=(f.get("email").map(String::as_str).unwrap_or(""))
                    aria-describedby="pr-email-hint";
                p.hint #pr-email-hint { (t!("privacy-email-hint")) }
            }
            div.form-row {
                label for="pr-details" { (t!("privacy-details-label")) }
                textarea #pr-details name="details" rows="4" maxlength="2000" { (f.get("details").map(String::as_str).unwrap_or("")) }
            }
            button type="submit" { (t!("privacy-send")) }
        }
    }
}

async fn public_page(State(s): State<AppState>, Path(slug): Path<String>) -> Response {
    let name = business(&s, &slug).await;
    public(
        StatusCode::OK,
        &t!("privacy-page-title"),
        form(&slug, name.as_deref(), &FormErrors::default(), &Fields::new()),
    )
}

async fn public_submit(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    Path(slug): Path<String>,
    PageForm(f): PageForm<Fields>,
) -> Response {
    let i = PublicInput {
        kind: f.get("kind").cloned().unwrap_or_default(),
        email: f.get("email").cloned().unwrap_or_default(),
        details: f.get("details").cloned(),
    };
    match requests::submit(&s.privacy, &slug, &i, frontdesk_i18n::current(), &client.ip).await {
        Ok(()) => public(
            StatusCode::OK,
            &t!("privacy-page-title"),
            html! { p #privacy-sent role="status" { (t!("privacy-sent")) } },
        ),
        Err(e) if matches!(e.kind, ErrorKind::Invalid) => {
            let name = business(&s, &slug).await;
            public(
                status_of(e.kind),
                &t!("privacy-page-title"),
                form(&slug, name.as_deref(), &FormErrors::from_error(&e), &f),
            )
        }
        Err(e) => WebError::page(e).into_response(),
    }
}

async fn status_body(s: &AppState, token: &str, r: &Request, errors: &FormErrors) -> Markup {
    let lang = frontdesk_i18n::current();
    let now = s.app.now().0;
    let tz = {
        match s.app.db.conn().await {
            Ok(mut c) => {
                frontdesk_platform::profile::of(&mut c, &r.workspace_id).await.map(|p| p.time_zone).unwrap_or_default()
            }
            Err(_) => String::new(),
        }
    };
    let times = frontdesk_core::time::LocalTimes::new(&tz, now).in_lang(lang);
    html! {
        dl.facts #privacy-request data-status=(r.status) {
            dt { (t!("privacy-kind-label-short")) } dd { (t!("privacy-kind", kind = r.kind.as_str())) }
            dt { (t!("privacy-status-label")) } dd #privacy-status { (t!("privacy-status", status = r.status.as_str())) }
            dt { (t!("privacy-due")) } dd { (times.exact(r.due_at)) }
            @if r.status == "refused" { @if let Some(o) = &r.outcome { dt { (t!("privacy-reason")) } dd { (o) } } }
        }
        @if r.status == "received" {
            @if r.code_hash.is_some() {
                form #privacy-code method="post" action={ "/privacy/requests/" (token) "/verify" } novalidate {
                    (errors.summary())
                    div.form-row {
                        label for="pr-code" { (t!("privacy-code-label")) }
                        input #pr-code name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required;
                    }
                    button type="submit" { (t!("privacy-verify")) }
                }
                form.inline method="post" action={ "/privacy/requests/" (token) "/code" } {
                    button.link type="submit" { (t!("privacy-new-code")) }
                }
            } @else {
                (errors.summary())
                p { (t!("privacy-manual-note")) }
            }
        }
        @if matches!(r.status.as_str(), "verified" | "in_progress") { p { (t!("privacy-verified-note")) } }
        @if r.status == "done" && r.kind == "erase" { p #privacy-erased { (t!("privacy-erased-note")) } }
        @if requests::export_ready(r, now) {
            p { a.button #privacy-download href={ "/privacy/requests/" (token) "/export" } { (t!("privacy-download")) } }
        }
    }
}

async fn status_page(State(s): State<AppState>, Path(token): Path<String>) -> Response {
    match requests::opened(&s.privacy, &token).await {
        Ok(r) => public(
            StatusCode::OK,
            &t!("privacy-request-title"),
            status_body(&s, &token, &r, &FormErrors::default()).await,
        ),
        Err(e) => WebError::page(e).into_response(),
    }
}

async fn status_verify(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    Path(token): Path<String>,
    PageForm(f): PageForm<Fields>,
) -> Response {
    let code = f.get("code").cloned().unwrap_or_default();
    match requests::verify_code(&s.privacy, &token, &code, &client.ip).await {
        Ok(_) => Redirect::to(&format!("/privacy/requests/{token}")).into_response(),
        Err(e) if matches!(e.kind, ErrorKind::Invalid | ErrorKind::Conflict | ErrorKind::RateLimited { .. }) => {
            match requests::opened(&s.privacy, &token).await {
                Ok(r) => public(
                    status_of(e.kind),
                    &t!("privacy-request-title"),
                    status_body(&s, &token, &r, &FormErrors::from_error(&e)).await,
                ),
                Err(e) => WebError::page(e).into_response(),
            }
        }
        Err(e) => WebError::page(e).into_response(),
    }
}

async fn status_code(State(s): State<AppState>, ClientInfo(client): ClientInfo, Path(token): Path<String>) -> Response {
    match requests::resend_code(&s.privacy, &token, &client.ip).await {
        Ok(()) => Redirect::to(&format!("/privacy/requests/{token}")).into_response(),
        Err(e) if matches!(e.kind, ErrorKind::Conflict | ErrorKind::RateLimited { .. }) => {
            match requests::opened(&s.privacy, &token).await {
                Ok(r) => public(
                    status_of(e.kind),
                    &t!("privacy-request-title"),
                    status_body(&s, &token, &r, &FormErrors::from_error(&e)).await,
                ),
                Err(e) => WebError::page(e).into_response(),
            }
        }
        Err(e) => WebError::page(e).into_response(),
    }
}

async fn status_export(State(s): State<AppState>, Path(token): Path<String>) -> Response {
    let run = async {
        let r = requests::opened(&s.privacy, &token).await?;
        Ok::<_, AppError>((requests::export_bytes(&s.privacy, &r).await?, r.id))
    };
    match run.await {
        Ok((bytes, id)) => zip_response(bytes, &id),
        Err(e) => WebError::page(e).into_response(),
    }
}

// The owners' page.

async fn page(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::HandlePrivacy).await?;
    render(&s, &u, &a, &FormErrors::default()).await
}

async fn render(
    s: &AppState,
    u: &frontdesk_platform::auth::SignedIn,
    a: &frontdesk_platform::workspaces::Access,
    errors: &FormErrors,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let w = a.workspace.id.as_str();
    let list = requests::list(&s.privacy, a).await.map_err(WebError::page)?;
    let role = requests::settings(&s.privacy, &a.workspace.id).await.map_err(WebError::page)?.data_role;
    let slug = {
        let mut c = s.app.db.conn().await.map_err(|e| WebError::page(e.into()))?;
        frontdesk_platform::profile::of(&mut c, &a.workspace.id).await.map_err(WebError::page)?.slug
    };
    let public_link = format!("{}/privacy/{slug}", s.web.base_url);
    // Each request's contact, by name.
    let mut names: HashMap<String, String> = HashMap::new();
    {
        let mut c = s.app.db.conn().await.map_err(|e| WebError::page(e.into()))?;
        for id in list.iter().filter_map(|r| r.contact_id.as_deref()) {
            let Some(cid) = frontdesk_core::ContactId::parse(id) else { continue };
            if let Some(k) = frontdesk_inbox::repo::inbox::contact(&mut c, &a.workspace.id, &cid)
                .await
                .map_err(|e| WebError::page(e.into()))?
            {
                names.insert(id.to_string(), k.name.unwrap_or_else(|| t!("privacy-contact-unnamed")));
            }
        }
    }
    Ok(sh.page(
        &t!("privacy-title"),
        Nav::Privacy,
        html! {
            (errors.summary())
            p #privacy-link { (t!("privacy-public-link", link = public_link.as_str())) }
            form #privacy-role method="post" action={ "/w/" (w) "/privacy/settings" } {
                div.form-row {
                    label for="pv-role" { (t!("privacy-role-label")) }
                    select #pv-role name="data_role" {
                        @for r in ["processor", "controller"] { option value=(r) selected[r == role] { (t!("privacy-role", role = r)) } }
                    }
                }
                button.secondary type="submit" { (t!("privacy-role-save")) }
            }
            @if list.is_empty() { p.muted #privacy-none { (t!("privacy-none")) } } @else {
                div.scroll-x { table.stack #privacy-requests {
                    thead { tr { th { (t!("privacy-col-received")) } th { (t!("privacy-col-kind")) } th { (t!("privacy-col-status")) } th { (t!("privacy-col-due")) } th { (t!("privacy-col-contact")) } th {} } }
                    tbody { @for r in &list { @let o = requests::out(&s.privacy, r); tr data-request=(r.id) data-status=(r.status) {
                        td { (sh.times.exact(r.created_at)) } td { (t!("privacy-kind", kind = r.kind.as_str())) @if let Some(e) = &r.email { br; small { (e) } } @if let Some(d) = &r.details { br; small { (d) } } }
                        td { (t!("privacy-status", status = r.status.as_str())) @if o.overdue { " " span.badge.off { (t!("privacy-overdue")) } } }
                        td { (sh.times.exact(r.due_at)) }
                        td { @if let Some(c) = &r.contact_id { a href={ "/w/" (w) "/contacts/" (c) } { (names.get(c).map(String::as_str).unwrap_or(c.as_str())) } } }
                        td {
                            @if r.status == "received" {
                                form.stack method="post" action={ "/w/" (w) "/privacy/" (r.id) "/verify" } {
                                    label for={ "how-" (r.id) } { (t!("privacy-verify-how")) } input id={ "how-" (r.id) } name="how" required;
                                    @if r.contact_id.is_none() { label for={ "ct-" (r.id) } { (t!("privacy-contact-id")) } input id={ "ct-" (r.id) } name="contact_id"; }
                                    button.secondary.small type="submit" { (t!("privacy-verify-button")) }
                                }
                            }
                            @if matches!(r.status.as_str(), "verified" | "in_progress") {
                                form.inline method="post" action={ "/w/" (w) "/privacy/" (r.id) "/fulfil" } {
                                    input type="hidden" name="note" value="";
                                    button.small type="submit" data-confirm=[(r.kind == "erase").then(|| t!("privacy-fulfil"))] { (t!("privacy-fulfil")) }
                                }
                            }
                            @if matches!(r.status.as_str(), "received" | "verified" | "in_progress") {
                                form.inline method="post" action={ "/w/" (w) "/privacy/" (r.id) "/refuse" } {
                                    label.visually-hidden for={ "nt-" (r.id) } { (t!("privacy-note")) }
                                    input id={ "nt-" (r.id) } name="note" size="14" placeholder=(t!("privacy-note"));
                                    button.secondary.small type="submit" { (t!("privacy-refuse")) }
                                }
                            }
                            @if r.status == "done" && matches!(r.kind.as_str(), "restrict" | "object") && r.outcome.as_deref() != Some("lifted") {
                                form.inline method="post" action={ "/w/" (w) "/privacy/" (r.id) "/lift" } {
                                    button.secondary.small type="submit" { (t!("privacy-lift")) }
                                }
                            }
                            @if o.export_ready { a href={ "/w/" (w) "/privacy/" (r.id) "/export" } { (t!("privacy-export-link")) } }
                        }
                    } } }
                } }
            }
        },
    ))
}

async fn page_settings(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::HandlePrivacy).await?;
    let b = SettingsBody { data_role: f.get("data_role").cloned().unwrap_or_default() };
    match requests::set_settings(&s.privacy, &a, &b).await {
        Ok(_) => Ok(Redirect::to(&format!("/w/{w}/privacy?saved=1")).into_response()),
        Err(e) if matches!(e.kind, ErrorKind::Invalid) => {
            Ok((status_of(e.kind), render(&s, &u, &a, &FormErrors::from_error(&e)).await?).into_response())
        }
        Err(e) => Err(WebError::page(e)),
    }
}

async fn page_act(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id, action)): Path<(String, String, String)>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::HandlePrivacy).await?;
    let x = &s.privacy;
    let note = DecideInput { note: f.get("note").cloned().filter(|n| !n.trim().is_empty()) };
    let result = match action.as_str() {
        "verify" => {
            let i = VerifyInput {
                how: f.get("how").cloned().unwrap_or_default(),
                contact_id: f.get("contact_id").cloned().filter(|c| !c.trim().is_empty()),
            };
            requests::verify(x, &a, &id, &i).await
        }
        "fulfil" => requests::fulfil(x, &a, &id, &note).await,
        "refuse" => requests::refuse(x, &a, &id, &note).await,
        "lift" => requests::lift(x, &a, &id).await,
        _ => Err(AppError::not_found("The action")),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/w/{w}/privacy")).into_response()),
        Err(e) if matches!(e.kind, ErrorKind::Invalid | ErrorKind::Conflict) => {
            Ok((status_of(e.kind), render(&s, &u, &a, &FormErrors::from_error(&e)).await?).into_response())
        }
        Err(e) => Err(WebError::page(e)),
    }
}

async fn page_export(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::HandlePrivacy).await?;
    let r = requests::get(&s.privacy, &a, &id).await.map_err(WebError::page)?;
    let bytes = requests::export_bytes(&s.privacy, &r).await.map_err(WebError::page)?;
    Ok(zip_response(bytes, &r.id))
}

async fn admin(
    State(s): State<AppState>,
    crate::kit::extract::PageOperator(u): crate::kit::extract::PageOperator,
) -> Result<Markup, WebError> {
    admin_render(&s, &u, &FormErrors::default()).await
}

async fn admin_render(
    s: &AppState,
    u: &frontdesk_platform::auth::SignedIn,
    errors: &FormErrors,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, None).await?;
    let list = requests::overdue(&s.privacy).await.map_err(WebError::page)?;
    let accounts = frontdesk_privacy::account::open(&s.privacy).await.map_err(WebError::page)?;
    Ok(sh.page(
        &t!("privacy-admin-title"),
        Nav::Operator,
        html! {
            (errors.summary())
            h2 { (t!("privacy-admin-accounts")) }
            @if accounts.is_empty() { p.muted #privacy-accounts-none { (t!("privacy-none")) } } @else {
                table.stack #privacy-accounts {
                    thead { tr { th { (t!("privacy-col-received")) } th { (t!("privacy-col-kind")) } th { (t!("privacy-col-due")) } th {} } }
                    tbody { @for r in &accounts { tr data-request=(r.id) {
                        td { (sh.times.exact(r.created_at)) @if let Some(e) = &r.email { br; small { (e) } } }
                        td { (t!("privacy-kind", kind = r.kind.as_str())) @if let Some(d) = &r.details { br; small { (d) } } }
                        td { (sh.times.exact(r.due_at)) }
                        td {
                            form.inline method="post" action={ "/admin/privacy/" (r.id) "/fulfil" } {
                                label.visually-hidden for={ "an-" (r.id) } { (t!("privacy-note")) }
                                input id={ "an-" (r.id) } name="note" size="14" placeholder=(t!("privacy-note"));
                                button.small type="submit" data-confirm=[(r.kind == "erase").then(|| t!("privacy-fulfil"))] { (t!("privacy-fulfil")) }
                            }
                            form.inline method="post" action={ "/admin/privacy/" (r.id) "/refuse" } {
                                label.visually-hidden for={ "ar-" (r.id) } { (t!("privacy-reason")) }
                                input id={ "ar-" (r.id) } name="note" size="14" placeholder=(t!("privacy-reason"));
                                button.secondary.small type="submit" { (t!("privacy-refuse")) }
                            }
                        }
                    } } }
                }
            }
            h2 { (t!("privacy-admin-overdue")) }
            @if list.is_empty() { p.muted #privacy-overdue-none { (t!("privacy-admin-none")) } } @else {
                table.stack #privacy-overdue {
                    thead { tr { th { (t!("platform-name")) } th { (t!("privacy-col-kind")) } th { (t!("privacy-col-status")) } th { (t!("privacy-col-due")) } } }
                    tbody { @for (r, name) in &list { tr data-request=(r.id) {
                        td { @if r.user_id.is_some() { (t!("privacy-account-request")) } @else { (name) } } td { (t!("privacy-kind", kind = r.kind.as_str())) }
                        td { (t!("privacy-status", status = r.status.as_str())) } td { (sh.times.exact(r.due_at)) }
                    } } }
                }
            }
        },
    ))
}

async fn admin_act(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    crate::kit::extract::PageOperator(u): crate::kit::extract::PageOperator,
    Path((id, action)): Path<(String, String)>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let actor = frontdesk_platform::audit::Actor {
        kind: "operator",
        id: Some(u.user.id.to_string()),
        ip: Some(client.ip.clone()),
    };
    let note = f.get("note").map(String::as_str);
    let result = match action.as_str() {
        "fulfil" => frontdesk_privacy::account::fulfil(&s.privacy, &actor, &id, note).await,
        "refuse" => frontdesk_privacy::account::refuse(&s.privacy, &actor, &id, note).await,
        _ => Err(AppError::not_found("The action")),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/admin/privacy").into_response()),
        Err(e) if matches!(e.kind, ErrorKind::Invalid | ErrorKind::Conflict) => {
            Ok((status_of(e.kind), admin_render(&s, &u, &FormErrors::from_error(&e)).await?).into_response())
        }
        Err(e) => Err(WebError::page(e)),
    }
}

// The account door.

async fn account_page(State(s): State<AppState>, PageUser(u): PageUser) -> Result<Markup, WebError> {
    account_render(&s, &u, &FormErrors::default()).await
}

async fn account_render(
    s: &AppState,
    u: &frontdesk_platform::auth::SignedIn,
    errors: &FormErrors,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, None).await?;
    let mine = frontdesk_privacy::account::mine(&s.privacy, &u.user.id).await.map_err(WebError::page)?;
    let now = s.app.now().0;
    Ok(sh.page(
        &t!("privacy-account-title"),
        Nav::Account,
        html! {
            p { (t!("privacy-account-intro")) }
            form #account-privacy method="post" action="/account/privacy" novalidate {
                (errors.summary())
                div.form-row {
                    label for="ap-kind" { (t!("privacy-kind-label")) }
                    select #ap-kind name="kind" {
                        @for k in frontdesk_privacy::account::KINDS { option value=(k) { (t!("privacy-kind", kind = *k)) } }
                    }
                }
                div.form-row {
                    label for="ap-details" { (t!("privacy-details-label")) }
                    textarea #ap-details name="details" rows="3" maxlength="2000" {}
                }
                button type="submit" { (t!("privacy-send")) }
            }
            @if !mine.is_empty() {
                table.stack #account-requests {
                    thead { tr { th { (t!("privacy-col-received")) } th { (t!("privacy-col-kind")) } th { (t!("privacy-col-status")) } th { (t!("privacy-col-due")) } th {} } }
                    tbody { @for r in &mine { tr data-request=(r.id) data-status=(r.status) {
                        td { (sh.times.exact(r.created_at)) } td { (t!("privacy-kind", kind = r.kind.as_str())) }
                        td { (t!("privacy-status", status = r.status.as_str())) @if r.status == "refused" { @if let Some(o) = &r.outcome { br; small { (o) } } } }
                        td { (sh.times.exact(r.due_at)) }
                        td { @if requests::export_ready(r, now) { a href={ "/account/privacy/" (r.id) "/export" } { (t!("privacy-download")) } } }
                    } } }
                }
            }
        },
    ))
}

async fn account_submit(
    State(s): State<AppState>,
    PageUser(u): PageUser,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let kind = f.get("kind").cloned().unwrap_or_default();
    match frontdesk_privacy::account::submit(&s.privacy, &u.user, &kind, f.get("details").map(String::as_str)).await {
        Ok(_) => Ok(Redirect::to("/account/privacy?sent=1").into_response()),
        Err(e) if matches!(e.kind, ErrorKind::Invalid) => {
            Ok((status_of(e.kind), account_render(&s, &u, &FormErrors::from_error(&e)).await?).into_response())
        }
        Err(e) => Err(WebError::page(e)),
    }
}

async fn account_export(
    State(s): State<AppState>,
    PageUser(u): PageUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let (bytes, id) =
        frontdesk_privacy::account::my_export(&s.privacy, &u.user.id, &id).await.map_err(WebError::page)?;
    Ok(zip_response(bytes, &id))
}
