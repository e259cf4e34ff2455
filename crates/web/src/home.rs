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
use frontdesk_core::Action;
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
    text: &'static str,
    hint: &'static str,
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
            text: "Set up your business profile and opening hours",
            hint: "Your address, phone, time zone and when you are open: the assistant answers from them.",
        },
        Step {
            done: channels,
            href: format!("/w/{w}/channels"),
            text: "Connect your first channel",
            hint: "A web chat for your site takes a minute; WhatsApp, Instagram and Telegram too.",
        },
        Step {
            done: colleagues,
            href: format!("/w/{w}/settings/members"),
            text: "Invite a colleague",
            hint: "Answer together: assign conversations and leave private notes.",
        },
        Step {
            done: saved,
            href: format!("/w/{w}/saved-replies"),
            text: "Save a reply you often write",
            hint: "Type / in a reply to insert it.",
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
    let skipped =
        frontdesk_platform::profile::get(&s.app, &a).await.map_err(WebError::page)?.setup_skipped_at.is_some();
    let first = u.user.name.split_whitespace().next().unwrap_or("");
    Ok(sh.page(
        &a.workspace.name,
        Nav::Home,
        html! {
            p.muted { "Hello " (first) ". Here is your day at " (a.workspace.name) "." }
            @if let Some(steps) = setup.as_ref().filter(|st| st.iter().any(|x| !x.done)) {
                @let done = steps.iter().filter(|x| x.done).count();
                @if skipped {
                    form.card method="post" action={ "/w/" (w) "/setup" } {
                        input type="hidden" name="skip" value="no";
                        "Setup: " (done) " of " (steps.len()) " done. "
                        button.link type="submit" { "Resume the checklist" }
                    }
                } @else {
                    section #onboarding aria-labelledby="onboarding-h" {
                        div.page-head {
                            h2 #onboarding-h { "Get started" }
                            form.actions method="post" action={ "/w/" (w) "/setup" } {
                                input type="hidden" name="skip" value="yes";
                                button.secondary.small type="submit" { "Skip for now" }
                            }
                        }
                        p.muted { (done) " of " (steps.len()) " done" }
                        div.progress role="progressbar" aria-valuemin="0" aria-valuemax=(steps.len()) aria-valuenow=(done) aria-label="Setup progress" {
                            span style={ "width:" (done * 100 / steps.len()) "%" } {}
                        }
                        ol.checklist {
                            @for st in steps {
                                li data-done=(st.done) {
                                    span.mark aria-hidden="true" { @if st.done { "✓" } }
                                    div {
                                        @if st.done { span.text { (st.text) } span.visually-hidden { " (done)" } }
                                        @else { a href=(st.href) { (st.text) } }
                                        br; span.small.muted { (st.hint) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if let Some(d) = &inbox {
                div.grid {
                    a.card.stat href={ "/w/" (w) "/inbox?status=open" } data-stat="open" { strong { (d.open) } span { "open conversations" } }
                    a.card.stat href={ "/w/" (w) "/inbox?status=open&assignee=none" } data-stat="unassigned" { strong { (d.unassigned) } span { "not assigned to anyone" } }
                    a.card.stat href={ "/w/" (w) "/inbox?status=open&assignee=me" } data-stat="mine" { strong { (d.mine) } span { "assigned to you" } }
                }
                section aria-labelledby="waiting-h" {
                    h2 #waiting-h { "Waiting longest" }
                    @if d.waiting.is_empty() {
                        div.empty { strong { "Nobody is waiting." } "New messages from customers show up here and in the inbox." }
                    } @else {
                        ul.threads #waiting {
                            @for t in &d.waiting {
                                li { a.row href={ "/w/" (w) "/inbox/" (t.thread) } {
                                    (channel_mark(&t.channel_kind))
                                    span.line {
                                        span.who { strong { (customer_label(t.name.as_deref(), t.phone.as_deref(), t.username.as_deref(), &t.channel_kind)) } " " span.muted.small title=(sh.times.exact(t.since)) { @match sh.times.relative(t.since).as_str() { "just now" => { "wrote just now" } r => { "waiting " (r.trim_end_matches(" ago")) } } } }
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
        "Help",
        Nav::Help,
        html! {
            @if let Some(ch) = channel {
                section {
                    p { "Write to us here: the conversation stays open while you use Frontdesk, and we answer in this window." }
                    p.muted.small { "Signed in as " (u.user.name) " (" (u.user.email) ")." }
                    div #help-chat data-name=(u.user.name) data-email=(u.user.email) {}
                }
                script src="/chat/widget.js" data-channel=(ch) data-open="true" async {}
            } @else {
                div.empty { strong { "No help desk is set up on this server." } "Ask the person who runs this Frontdesk." }
            }
        },
    ))
}
