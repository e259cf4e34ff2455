//! Server-rendered pages: sign-up, sign-in, 2FA, password reset, account and sessions,
//! workspaces, members, invitations, API tokens, audit, and the operator's console.

mod account;
mod admin;
mod assistant;
mod auth;
mod inbox;
pub mod layout;
mod settings;
mod workspace;

use crate::extract::ClientInfo;
use crate::{Access, AppState, Table};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use frontdesk_core::Action;

/// A form's refusal a person can act on (invalid input, a conflict such as a taken name): its
/// status and sentence, to show the form again; anything else is an error page.
pub(crate) fn refusal(
    e: frontdesk_platform::AppError,
) -> Result<(axum::http::StatusCode, String), crate::error::WebError> {
    use frontdesk_platform::error::ErrorKind;
    match e.kind {
        ErrorKind::Invalid | ErrorKind::Conflict => Ok((crate::error::status_of(e.kind), e.message)),
        _ => Err(crate::error::WebError::page(e)),
    }
}

/// After an action on a thread: back to the thread, or (for a refusal a person can act on) the
/// thread page with the reason, the text they wrote kept in the composer.
pub(crate) async fn thread_outcome<T>(
    s: &AppState,
    u: &frontdesk_platform::auth::SignedIn,
    a: &frontdesk_platform::workspaces::Access,
    w: &str,
    thread: &str,
    draft: String,
    r: Result<T, frontdesk_platform::AppError>,
) -> Result<Response, crate::error::WebError> {
    use frontdesk_platform::error::ErrorKind;
    match r {
        Ok(_) => Ok(Redirect::to(&format!("/w/{w}/inbox/{thread}")).into_response()),
        Err(e) if e.kind != ErrorKind::Internal && e.kind != ErrorKind::NotFound => {
            let status = crate::error::status_of(e.kind);
            Ok((status, inbox::render_thread(s, u, a, w, thread, Some((draft, e.message.clone()))).await?)
                .into_response())
        }
        Err(e) => Err(crate::error::WebError::page(e)),
    }
}

pub(crate) fn routes(t: Table) -> Table {
    use Access::*;
    t.add("GET", "/", Public, "Start page", get(home))
        .add("GET", "/healthz", Public, "Liveness", get(healthz))
        .add("GET", "/readyz", Public, "Readiness: database reachable", get(readyz))
        .add("GET", "/metrics", Public, "Prometheus metrics", get(metrics))
        .add("GET", "/signup", Public, "Sign-up form", get(auth::signup_form))
        .add("POST", "/signup", Public, "Sign up", post(auth::signup))
        .add("GET", "/verify-email", Public, "Confirm-email page", get(auth::verify_form))
        .add("POST", "/verify-email", Public, "Confirm an email address", post(auth::verify))
        .add("POST", "/verify-email/resend", Public, "Send a new confirmation link", post(auth::resend))
        .add("GET", "/login", Public, "Sign-in form", get(auth::login_form))
        .add("POST", "/login", Public, "Sign in", post(auth::login))
        .add("GET", "/login/2fa", Public, "Second-factor form", get(auth::second_factor_form))
        .add("POST", "/login/2fa", Public, "Complete sign-in with a second factor", post(auth::second_factor))
        .add("GET", "/forgot-password", Public, "Forgotten-password form", get(auth::forgot_form))
        .add("POST", "/forgot-password", Public, "Email a reset link", post(auth::forgot))
        .add("GET", "/reset-password", Public, "New-password form", get(auth::reset_form))
        .add("POST", "/reset-password", Public, "Set a new password", post(auth::reset))
        .add("GET", "/invitations/{token}", Public, "Invitation page", get(workspace::invitation_page))
        .add("POST", "/invitations/{token}", Public, "Accept an invitation", post(workspace::accept_invitation))
        .add("POST", "/logout", Account, "Sign out", post(account::logout))
        .add("GET", "/account", Account, "Account, sessions and 2FA", get(account::account))
        .add(
            "POST",
            "/account/notifications",
            Account,
            "Save notification preferences",
            post(account::save_notifications),
        )
        .add("POST", "/account/sessions/{id}/revoke", Account, "Sign a session out", post(account::revoke_session))
        .add("GET", "/account/2fa", Account, "Set up two-factor authentication", get(account::totp_form))
        .add("POST", "/account/2fa", Account, "Confirm two-factor authentication", post(account::totp_confirm))
        .add("POST", "/account/2fa/disable", Account, "Turn two-factor authentication off", post(account::totp_disable))
        .add("GET", "/app", Account, "Your workspaces", get(workspace::list))
        .add("POST", "/app/workspaces", Account, "Create a workspace", post(workspace::create))
        .add(
            "POST",
            "/w/{ws}/switch",
            Workspace(Action::ViewWorkspace),
            "Switch to a workspace",
            post(workspace::switch),
        )
        .add("GET", "/w/{ws}", Workspace(Action::ViewWorkspace), "Workspace settings", get(workspace::show))
        .add(
            "POST",
            "/w/{ws}/rename",
            Workspace(Action::RenameWorkspace),
            "Rename a workspace",
            post(workspace::rename),
        )
        .add(
            "POST",
            "/w/{ws}/members/{user}/role",
            Workspace(Action::ChangeRoles),
            "Change a member's role",
            post(workspace::change_role),
        )
        .add(
            "POST",
            "/w/{ws}/members/{user}/remove",
            Workspace(Action::RemoveMembers),
            "Remove a member",
            post(workspace::remove_member),
        )
        .add("POST", "/w/{ws}/invitations", Workspace(Action::InviteMembers), "Invite someone", post(workspace::invite))
        .add(
            "POST",
            "/w/{ws}/invitations/{id}/revoke",
            Workspace(Action::InviteMembers),
            "Withdraw an invitation",
            post(workspace::revoke_invitation),
        )
        .add(
            "POST",
            "/w/{ws}/tokens",
            Workspace(Action::ManageApiTokens),
            "Create an API token",
            post(workspace::create_token),
        )
        .add(
            "POST",
            "/w/{ws}/tokens/{id}/revoke",
            Workspace(Action::ManageApiTokens),
            "Revoke an API token",
            post(workspace::revoke_token),
        )
        .add("GET", "/w/{ws}/audit", Workspace(Action::ViewAudit), "Audit log", get(workspace::audit))
        .add("GET", "/w/{ws}/inbox", Workspace(Action::ViewInbox), "Inbox", get(inbox::list))
        .add("GET", "/w/{ws}/inbox/{id}", Workspace(Action::ViewInbox), "A conversation", get(inbox::show))
        .add(
            "GET",
            "/w/{ws}/inbox/events",
            Workspace(Action::ViewInbox),
            "Inbox changes, live (SSE)",
            get(inbox::events),
        )
        .add(
            "POST",
            "/w/{ws}/inbox/{id}/reply",
            Workspace(Action::ViewInbox),
            "Send a reply (the policy gate decides, including the role)",
            post(inbox::reply),
        )
        .add("GET", "/assets/inbox.js", Public, "The inbox pages' script", get(inbox::script))
        .add(
            "POST",
            "/w/{ws}/inbox/{id}",
            Workspace(Action::TriageThreads),
            "Change status, assignee, labels",
            post(inbox::triage),
        )
        .add(
            "POST",
            "/w/{ws}/inbox/{id}/notes",
            Workspace(Action::TriageThreads),
            "Add a private note",
            post(inbox::note),
        )
        .add(
            "GET",
            "/w/{ws}/webhooks",
            Workspace(Action::ManageChannels),
            "Outgoing webhooks",
            get(inbox::webhooks_page),
        )
        .add(
            "POST",
            "/w/{ws}/webhooks",
            Workspace(Action::ManageChannels),
            "Add an outgoing webhook",
            post(inbox::create_webhook),
        )
        .add(
            "POST",
            "/w/{ws}/webhooks/{id}/delete",
            Workspace(Action::ManageChannels),
            "Delete an outgoing webhook",
            post(inbox::delete_webhook),
        )
        .add(
            "POST",
            "/w/{ws}/inbox/{id}/drafts",
            Workspace(Action::SendMessages),
            "Ask the assistant for a draft",
            post(assistant::ask),
        )
        .add(
            "POST",
            "/w/{ws}/drafts/{id}/send",
            Workspace(Action::ViewInbox),
            "Send a draft, as edited (the policy gate decides, including the role)",
            post(assistant::send),
        )
        .add(
            "POST",
            "/w/{ws}/drafts/{id}/discard",
            Workspace(Action::SendMessages),
            "Discard a draft",
            post(assistant::discard),
        )
        .add(
            "POST",
            "/w/{ws}/inbox/{id}/assistant/resume",
            Workspace(Action::TriageThreads),
            "Let the assistant answer again in this conversation",
            post(assistant::resume),
        )
        .add(
            "GET",
            "/w/{ws}/settings/assistant",
            Workspace(Action::ManageSettings),
            "Assistant settings",
            get(assistant::settings_page),
        )
        .add(
            "POST",
            "/w/{ws}/settings/assistant",
            Workspace(Action::ManageSettings),
            "Save assistant settings",
            post(assistant::save_settings),
        )
        .add(
            "GET",
            "/w/{ws}/settings/knowledge",
            Workspace(Action::ManageSettings),
            "Knowledge base editor",
            get(assistant::knowledge_page),
        )
        .add(
            "POST",
            "/w/{ws}/settings/knowledge",
            Workspace(Action::ManageSettings),
            "Save the knowledge base",
            post(assistant::save_knowledge),
        )
        .add(
            "GET",
            "/w/{ws}/settings/assistant/ledger",
            Workspace(Action::ViewAudit),
            "Calls to external AI providers",
            get(assistant::ledger_page),
        )
        .add(
            "GET",
            "/w/{ws}/settings/assistant/ledger.csv",
            Workspace(Action::ViewAudit),
            "The provider ledger as CSV",
            get(assistant::ledger_csv),
        )
        .add(
            "GET",
            "/w/{ws}/settings/hours",
            Workspace(Action::ManageSettings),
            "Business hours and the away reply",
            get(settings::hours_page),
        )
        .add(
            "POST",
            "/w/{ws}/settings/hours",
            Workspace(Action::ManageSettings),
            "Save business hours and the away reply",
            post(settings::save_hours),
        )
        .add(
            "POST",
            "/w/{ws}/settings/hours/clear",
            Workspace(Action::ManageSettings),
            "Remove business hours (turns the away reply off)",
            post(settings::clear_hours),
        )
        .add("GET", "/w/{ws}/saved-replies", Workspace(Action::ViewInbox), "Saved replies", get(inbox::saved_page))
        .add(
            "POST",
            "/w/{ws}/saved-replies",
            Workspace(Action::TriageThreads),
            "Add a saved reply",
            post(inbox::create_saved),
        )
        .add(
            "POST",
            "/w/{ws}/saved-replies/{id}/delete",
            Workspace(Action::TriageThreads),
            "Delete a saved reply",
            post(inbox::delete_saved),
        )
        .add("GET", "/w/{ws}/media/{id}", Workspace(Action::ViewInbox), "Download a media file", get(inbox::media))
        .add("GET", "/w/{ws}/channels", Workspace(Action::ViewInbox), "Channels", get(inbox::channels_page))
        .add(
            "POST",
            "/w/{ws}/channels",
            Workspace(Action::ManageChannels),
            "Create a web chat",
            post(inbox::create_chat),
        )
        .add(
            "POST",
            "/w/{ws}/channels/{id}/toggle",
            Workspace(Action::ManageChannels),
            "Disable or enable a channel",
            post(inbox::toggle),
        )
        .add("GET", "/admin", Operator, "Operator console", get(admin::console))
        .add("POST", "/admin/users/{id}/suspend", Operator, "Suspend an account", post(admin::suspend_user))
        .add("POST", "/admin/users/{id}/restore", Operator, "Restore an account", post(admin::restore_user))
        .add("POST", "/admin/workspaces/{id}/suspend", Operator, "Suspend a workspace", post(admin::suspend_workspace))
        .add("POST", "/admin/workspaces/{id}/restore", Operator, "Restore a workspace", post(admin::restore_workspace))
}

async fn home(crate::extract::MaybeUser(user): crate::extract::MaybeUser) -> Response {
    if user.is_some() {
        return Redirect::to("/app").into_response();
    }
    layout::page(
        "Welcome",
        None,
        maud::html! {
            section {
                p { "One front office for your business: messages, bookings and invoices in one place." }
                p { a href="/login" { "Sign in" } " or " a href="/signup" { "create an account" } "." }
            }
        },
    )
    .into_response()
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(s): State<AppState>) -> Response {
    if s.app.db.ping().await {
        (StatusCode::OK, "ready").into_response()
    } else {
        crate::error::json_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "database_unavailable",
            "The database is not reachable.",
        )
    }
}

async fn metrics(State(s): State<AppState>, ClientInfo(client): ClientInfo, headers: HeaderMap) -> Response {
    let bearer =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if !s.web.metrics.admits(client.ip.parse().ok(), bearer.map(str::trim)) {
        // As if there were nothing here: a scanner learns neither the route nor who may read it.
        return crate::middleware::no_such("/metrics");
    }
    let up = s.app.db.ping().await;
    let jobs = match s.app.db.conn().await {
        Ok(mut c) => frontdesk_platform::jobs::queue_depth(&mut c).await.unwrap_or_default(),
        Err(_) => vec![],
    };
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], s.app.metrics.render(&jobs, up)).into_response()
}
