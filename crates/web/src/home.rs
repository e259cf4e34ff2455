//! Across the areas: a workspace's Home (the day at a glance and the setup checklist), where a
//! signed-in person lands, Help, and the shell's style sheet and script. Each area adds its
//! cards to Home as it arrives (today's bookings, payments).

use crate::kit::body::PageForm;
use crate::kit::error::WebError;
use crate::kit::extract::{page_access as access, ClientInfo, PageUser};
use crate::kit::layout::{APP_CSS, APP_JS};
use crate::kit::shell::{channel_mark, Nav, Shell};
use crate::{Access as RouteAccess, AppState, Table};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use frontdesk_core::{Action, Timestamp};
use frontdesk_i18n::t;
use frontdesk_inbox::threads::{self, customer_label};
use frontdesk_platform::auth::SignedIn;
use frontdesk_platform::workspaces::{self as ws, Access};
use maud::{html, Markup};
use serde::Deserialize;

pub(crate) fn routes(t: Table) -> Table {
    use RouteAccess::*;
    t.add("GET", "/assets/app.css", Public, "The pages' style sheet", get(css))
        .add("GET", "/assets/app.js", Public, "The pages' shell script", get(js))
        .add("GET", "/home", Account, "Where a signed-in person lands: their workspace's Home", get(landing))
        .add("GET", "/help", Account, "Help: a conversation with the operator's support", get(help))
        .add("GET", "/w/{ws}", Workspace(Action::ViewWorkspace), "Home: the day at a glance", get(home))
        .add(
            "POST",
            "/w/{ws}/setup",
            Workspace(Action::ManageSettings),
            "Skip or resume the setup checklist",
            post(setup),
        )
}

async fn css() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=300")], APP_CSS)
        .into_response()
}

async fn js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        APP_JS,
    )
        .into_response()
}

/// The current workspace's Home (the session's, or the only one), else the workspace list.
async fn landing(State(s): State<AppState>, PageUser(u): PageUser) -> Result<Response, WebError> {
    let list = ws::list_for(&s.app, &u.user.id).await.map_err(WebError::page)?;
    let current = u.session.current_workspace_id.as_ref().filter(|id| list.iter().any(|(w, _)| &w.id == *id));
    let target = match (current, list.as_slice()) {
        (Some(id), _) => format!("/w/{id}"),
        (None, [(only, _)]) => format!("/w/{}", only.id),
        _ => "/app".to_string(),
    };
    Ok(Redirect::to(&target).into_response())
}

/// One step of the setup checklist: done or not, where to do it, what it says.
struct Step {
    done: bool,
    href: String,
    text: String,
    hint: String,
}

async fn checklist(s: &AppState, a: &Access) -> Result<Vec<Step>, WebError> {
    let w = a.workspace.id.as_str();
    let app = &s.app;
    let profile = frontdesk_platform::profile::get(app, a).await.map_err(WebError::page)?;
    let hours = frontdesk_inbox::hours::get(app, a).await.map_err(WebError::page)?.schedule.is_some();
    let profile_done = profile.updated_at > 0 && (profile.phone.is_some() || profile.address.is_some());
    let channels = !frontdesk_inbox::channels::list(app, a).await.map_err(WebError::page)?.is_empty();
    let colleagues = ws::members(app, a).await.map_err(WebError::page)?.len() > 1
        || !ws::invitations(app, a).await.map_err(WebError::page)?.is_empty();
    let saved = !frontdesk_inbox::saved_replies::list(app, a).await.map_err(WebError::page)?.is_empty();
    Ok(vec![
        Step {
            done: profile_done && hours,
            href: if profile_done { format!("/w/{w}/settings/hours") } else { format!("/w/{w}/settings/profile") },
            text: t!("home-step-profile"),
            hint: t!("home-step-profile-hint"),
        },
        Step {
            done: channels,
            href: format!("/w/{w}/channels"),
            text: t!("home-step-channel"),
            hint: t!("home-step-channel-hint"),
        },
        Step {
            done: colleagues,
            href: format!("/w/{w}/settings/members"),
            text: t!("home-step-invite"),
            hint: t!("home-step-invite-hint"),
        },
        Step {
            done: saved,
            href: format!("/w/{w}/saved-replies"),
            text: t!("home-step-saved"),
            hint: t!("home-step-saved-hint"),
        },
    ])
}

async fn home(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Response, WebError> {
    // `/w/{slug}` is the workspace's short link: its current slug, or an old one for 90 days.
    if frontdesk_core::WorkspaceId::parse(&w).is_none() {
        use frontdesk_platform::profile::{resolve_slug, SlugTarget};
        return match resolve_slug(&s.app, &w).await.map_err(WebError::page)? {
            Some(SlugTarget::Current(id)) | Some(SlugTarget::Moved { workspace: id, .. }) => {
                Ok(Redirect::to(&format!("/w/{id}")).into_response())
            }
            None => Err(WebError::page(frontdesk_platform::AppError::not_found("The workspace"))),
        };
    }
    Ok(home_page(&s, &u, &client.ip, &w).await?.into_response())
}

async fn home_page(s: &AppState, u: &SignedIn, ip: &str, w: &str) -> Result<Markup, WebError> {
    let a = access(s, u, ip, w, Action::ViewWorkspace).await?;
    let sh = Shell::load(s, u, Some(&a)).await?;
    let can = |action| frontdesk_core::role::allows(a.role, action);
    let inbox = if can(Action::ViewInbox) {
        Some(threads::dashboard(&s.app, &a, &u.user.id).await.map_err(WebError::page)?)
    } else {
        None
    };
    let setup = if can(Action::ManageSettings) { Some(checklist(s, &a).await?) } else { None };
    let bookings = if can(Action::ViewBookings) {
        crate::bookings::pages::today_for_home(s, &a, sh.times.time_zone()).await?
    } else {
        None
    };
    let skipped =
        frontdesk_platform::profile::get(&s.app, &a).await.map_err(WebError::page)?.setup_skipped_at.is_some();
    let first = u.user.name.split_whitespace().next().unwrap_or("");
    let lang = frontdesk_i18n::current();
    Ok(sh.page(
        &a.workspace.name,
        Nav::Home,
        html! {
            p.muted { (t!("home-hello", name = first, workspace = &a.workspace.name)) }
            @if let Some(steps) = setup.as_ref().filter(|st| st.iter().any(|x| !x.done)) {
                @let done = steps.iter().filter(|x| x.done).count();
                @if skipped {
                    form.card method="post" action={ "/w/" (w) "/setup" } {
                        input type="hidden" name="skip" value="no";
                        (t!("home-setup-skipped", done = done, total = steps.len())) " "
                        button.link type="submit" { (t!("home-setup-resume")) }
                    }
                } @else {
                    section #onboarding aria-labelledby="onboarding-h" {
                        div.page-head {
                            h2 #onboarding-h { (t!("home-get-started")) }
                            form.actions method="post" action={ "/w/" (w) "/setup" } {
                                input type="hidden" name="skip" value="yes";
                                button.secondary.small type="submit" { (t!("home-setup-skip")) }
                            }
                        }
                        p.muted { (t!("home-setup-done", done = done, total = steps.len())) }
                        div.progress role="progressbar" aria-valuemin="0" aria-valuemax=(steps.len()) aria-valuenow=(done) aria-label=(t!("home-setup-progress")) {
                            span style={ "width:" (done * 100 / steps.len()) "%" } {}
                        }
                        ol.checklist {
                            @for st in steps {
                                li data-done=(st.done) {
                                    span.mark aria-hidden="true" { @if st.done { "✓" } }
                                    div {
                                        @if st.done { span.text { (st.text) } span.visually-hidden { " " (t!("home-step-done")) } }
                                        @else { a href=(st.href) { (st.text) } }
                                        br; span.small.muted { (st.hint) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if let Some(d) = &bookings { (crate::bookings::pages::today_card(w, d)) }
            @if let Some(d) = &inbox {
                div.grid {
                    a.card.stat href={ "/w/" (w) "/inbox?status=open" } data-stat="open" { strong { (lang.number(d.open)) } span { (t!("home-open", count = d.open)) } }
                    a.card.stat href={ "/w/" (w) "/inbox?status=open&assignee=none" } data-stat="unassigned" { strong { (lang.number(d.unassigned)) } span { (t!("home-unassigned")) } }
                    a.card.stat href={ "/w/" (w) "/inbox?status=open&assignee=me" } data-stat="mine" { strong { (lang.number(d.mine)) } span { (t!("home-mine")) } }
                }
                section aria-labelledby="waiting-h" {
                    h2 #waiting-h { (t!("home-waiting")) }
                    @if d.waiting.is_empty() {
                        div.empty { strong { (t!("home-nobody-waiting")) } (t!("home-nobody-waiting-hint")) }
                    } @else {
                        ul.threads #waiting {
                            @for t in &d.waiting {
                                li { a.row href={ "/w/" (w) "/inbox/" (t.thread) } {
                                    (channel_mark(&t.channel_kind))
                                    span.line {
                                        span.who { strong { (customer_label(t.name.as_deref(), t.phone.as_deref(), t.username.as_deref(), &t.channel_kind)) } " " span.muted.small title=(sh.times.exact(t.since)) { (waiting_for(&sh, t.since)) } }
                                        span.preview { (t.preview.clone().unwrap_or_default()) }
                                    }
                                } }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// How long a customer has waited: "wrote just now", "waiting 5 min" (in Spanish "esperando
/// desde hace 5 min": the relative time keeps its own word order).
fn waiting_for(sh: &Shell, since: i64) -> String {
    if (sh.times.now() - since).abs() < Timestamp::MINUTE {
        return t!("home-wrote-just-now");
    }
    let r = sh.times.relative(since);
    let time = if sh.times.lang() == frontdesk_i18n::Lang::En { r.trim_end_matches(" ago").to_string() } else { r };
    t!("home-waiting-for", time = time)
}

#[derive(Deserialize, Default)]
pub struct SetupForm {
    #[serde(default)]
    skip: String,
}

async fn setup(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<SetupForm>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageSettings).await?;
    frontdesk_platform::profile::skip_setup(&s.app, &a, f.skip == "yes").await.map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/w/{w}")).into_response())
}

/// Help: a conversation with the operator's support desk, in the web chat.
async fn help(State(s): State<AppState>, PageUser(u): PageUser) -> Result<Markup, WebError> {
    let sh = Shell::load(&s, &u, None).await?;
    let channel = s.web.support_channel.clone();
    Ok(sh.page(
        &t!("nav-help"),
        Nav::Help,
        html! {
            @if let Some(ch) = channel {
                section {
                    p { (t!("help-intro")) }
                    p.muted.small { (t!("help-signed-in", name = &u.user.name, email = &u.user.email)) }
                    div #help-chat data-name=(u.user.name) data-email=(u.user.email) {}
                }
                script src="/chat/widget.js" data-channel=(ch) data-open="true" async {}
            } @else {
                div.empty { strong { (t!("help-none")) } (t!("help-none-hint")) }
            }
        },
    ))
}
