//! The platform's pages: sign-up, sign-in, 2FA, password reset, account and sessions,
//! workspaces, members, invitations, API tokens, audit, the operator's console, and the
//! start, health and metrics endpoints.

mod account;
mod admin;
mod auth;
mod profile;
mod sign_in;
mod workspace;

pub(crate) use profile::zone_options;

use crate::kit::extract::ClientInfo;
use crate::kit::layout;
use crate::{Access, AppState, Table};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use frontdesk_core::Action;
use frontdesk_i18n::t;

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
        .add("GET", "/login/link", Public, "Ask for a sign-in link, or use one", get(sign_in::link_page))
        .add("POST", "/login/link", Public, "Email a sign-in link", post(sign_in::send_link))
        .add("POST", "/login/link/confirm", Public, "Sign in with an emailed link", post(sign_in::use_link))
        .add("GET", "/auth/google", Public, "Sign in with Google: to Google", get(sign_in::google_start))
        .add(
            "GET",
            "/auth/google/callback",
            Public,
            "Sign in with Google: Google's answer",
            get(sign_in::google_callback),
        )
        .add(
            "GET",
            "/auth/google/link",
            Public,
            "Connect a Google account from the emailed link",
            get(sign_in::google_link_page),
        )
        .add("POST", "/auth/google/link", Public, "Connect a Google account and sign in", post(sign_in::google_link))
        .add("GET", "/account/email", Public, "Confirm a new email address", get(account::email_page))
        .add("POST", "/account/email/confirm", Public, "Apply a confirmed email change", post(account::confirm_email))
        .add("POST", "/account/name", Account, "Change your name", post(account::save_name))
        .add(
            "POST",
            "/account/email",
            Account,
            "Change your email address (a link to the new one)",
            post(account::change_email),
        )
        .add("POST", "/account/password", Account, "Change your password", post(account::change_password))
        .add("POST", "/account/google", Account, "Connect your Google account", post(sign_in::google_connect))
        .add("POST", "/logout", Account, "Sign out", post(account::logout))
        .add("GET", "/account", Account, "Account, sessions and 2FA", get(account::account))
        .add(
            "POST",
            "/account/notifications",
            Account,
            "Save notification preferences",
            post(account::save_notifications),
        )
        .add("POST", "/account/preferences", Account, "Save time zone and theme", post(profile::save_prefs))
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
        .add(
            "GET",
            "/w/{ws}/settings/members",
            Workspace(Action::ViewWorkspace),
            "Members, invitations and API tokens",
            get(workspace::show),
        )
        .add(
            "GET",
            "/w/{ws}/settings/profile",
            Workspace(Action::ManageSettings),
            "Business profile",
            get(profile::page),
        )
        .add(
            "POST",
            "/w/{ws}/settings/profile",
            Workspace(Action::ManageSettings),
            "Save the business profile",
            post(profile::save),
        )
        .add(
            "POST",
            "/w/{ws}/settings/profile/logo",
            Workspace(Action::ManageSettings),
            "Upload the logo (the body is the image)",
            post(profile::upload_logo),
        )
        .add(
            "POST",
            "/w/{ws}/settings/profile/logo/remove",
            Workspace(Action::ManageSettings),
            "Remove the logo",
            post(profile::remove_logo),
        )
        .add("GET", "/w/{ws}/logo", Workspace(Action::ViewWorkspace), "The workspace's logo", get(profile::logo))
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
        .add("GET", "/admin", Operator, "Operator console", get(admin::console))
        .add("POST", "/admin/users/{id}/suspend", Operator, "Suspend an account", post(admin::suspend_user))
        .add("POST", "/admin/users/{id}/restore", Operator, "Restore an account", post(admin::restore_user))
        .add("POST", "/admin/workspaces/{id}/suspend", Operator, "Suspend a workspace", post(admin::suspend_workspace))
        .add("POST", "/admin/workspaces/{id}/restore", Operator, "Restore a workspace", post(admin::restore_workspace))
}

async fn home(crate::kit::extract::MaybeUser(user): crate::kit::extract::MaybeUser) -> Response {
    if user.is_some() {
        return Redirect::to("/home").into_response();
    }
    let links = t!("start-links", signin = layout::SLOTS[0], signup = layout::SLOTS[1]);
    layout::page(
        &t!("start-title"),
        None,
        maud::html! {
            section {
                p { (t!("start-intro")) }
                p { (layout::fill(&links, &[
                    maud::html! { a href="/login" { (t!("start-sign-in")) } },
                    maud::html! { a href="/signup" { (t!("start-create-account")) } },
                ])) }
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
        crate::kit::error::json_error(
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
        return crate::kit::middleware::no_such("/metrics");
    }
    let up = s.app.db.ping().await;
    let jobs = match s.app.db.conn().await {
        Ok(mut c) => frontdesk_platform::jobs::queue_depth(&mut c).await.unwrap_or_default(),
        Err(_) => vec![],
    };
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], s.app.metrics.render(&jobs, up)).into_response()
}
