//! The signed-in person's own account: sessions (device, IP, last seen; revoke) and TOTP 2FA.

use crate::kit::body::PageForm;
use crate::kit::error::WebError;
use crate::kit::extract::{clear_session_cookie, session_cookie, ClientInfo, PageUser};
use crate::kit::layout::{field, FormErrors};
use crate::kit::shell::{Nav, Shell};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use frontdesk_i18n::t;
use frontdesk_inbox::notifications::{self, Prefs};
use frontdesk_platform::auth::{self, SignedIn};
use maud::{html, Markup, PreEscaped};
use serde::Deserialize;

pub async fn logout(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
) -> Result<Response, WebError> {
    auth::logout(&s.app, &u, &client).await.map_err(WebError::page)?;
    let mut r = Redirect::to("/login").into_response();
    r.headers_mut().insert(header::SET_COOKIE, clear_session_cookie(&s));
    Ok(r)
}

fn device(ua: Option<&str>) -> String {
    let ua = ua.unwrap_or("");
    let browser = ["Firefox", "Edg", "Chrome", "Safari", "curl", "reqwest"]
        .iter()
        .find(|b| ua.contains(*b))
        .copied()
        .unwrap_or("Browser");
    let os = ["Android", "iPhone", "iPad", "Windows", "Mac OS", "Linux"].iter().find(|o| ua.contains(*o)).copied();
    match os {
        Some(os) => format!("{} on {os}", if browser == "Edg" { "Edge" } else { browser }),
        None => browser.to_string(),
    }
}

pub async fn account(State(s): State<AppState>, PageUser(u): PageUser) -> Result<Markup, WebError> {
    let sessions = auth::sessions(&s.app, &u.user.id).await.map_err(WebError::page)?;
    let codes_left = auth::recovery_codes_left(&s.app, &u.user.id).await.map_err(WebError::page)?;
    let prefs = notifications::prefs(&s.app, &u.user.id).await.map_err(WebError::page)?;
    let display = frontdesk_platform::profile::prefs(&s.app, &u.user.id).await.map_err(WebError::page)?;
    let sh = Shell::load(&s, &u, None).await?;
    Ok(sh.page(
        "Your account",
        Nav::Account,
        html! {
            section aria-labelledby="profile" {
                h2 id="profile" { "Profile" }
                p { (u.user.name) " · " (u.user.email) }
            }
            section aria-labelledby="display" {
                h2 id="display" { "Time zone and appearance" }
                form method="post" action="/account/preferences" {
                    label for="pref-lang" { (t!("account-language")) }
                    select id="pref-lang" name="lang" {
                        option value="" selected[display.lang.is_none()] { (t!("account-language-browser")) }
                        @for l in frontdesk_i18n::Lang::ALL {
                            option value=(l.code()) lang=(l.code()) selected[display.lang.as_deref() == Some(l.code())] { (l.name()) }
                        }
                    }
                    label for="pref-tz" { "Show times in" }
                    select id="pref-tz" name="time_zone" {
                        (crate::platform::pages::zone_options(display.time_zone.as_deref().unwrap_or(""), Some("The workspace's time zone")))
                    }
                    p.hint.small { "Times are now shown in " (sh.times.time_zone().replace('_', " ")) "." }
                    label for="pref-theme" { "Theme" }
                    select id="pref-theme" name="theme" {
                        @for (v, l) in [("system", "As my device (light or dark)"), ("light", "Light"), ("dark", "Dark")] {
                            option value=(v) selected[display.theme == v] { (l) }
                        }
                    }
                    button type="submit" { "Save" }
                }
            }
            section aria-labelledby="notifications" {
                h2 id="notifications" { "Notifications" }
                form method="post" action="/account/notifications" {
                    label.check { input type="checkbox" name="browser" value="1" checked[prefs.browser]; "Desktop notifications for new messages on my conversations and unassigned ones (while the inbox is open)" }
                    label.check { input type="checkbox" name="email_on_assign" value="1" checked[prefs.email_on_assign]; "Email me when a conversation is assigned to me while I am not online" }
                    button type="submit" { "Save notifications" }
                }
            }
            section aria-labelledby="sessions" {
                h2 id="sessions" { "Signed-in devices" }
                table.stack {
                    thead { tr { th { "Device" } th { "IP address" } th { "Last seen" } th { "Signed in" } th { span.visually-hidden { "Actions" } } } }
                    tbody {
                        @for sess in &sessions {
                            tr data-session=(sess.id) {
                                td { (device(sess.user_agent.as_deref())) @if sess.id == u.session.id { " (this device)" } }
                                td data-label="IP address" { (sess.ip.as_deref().unwrap_or("-")) }
                                td data-label="Last seen" { (sh.ago(sess.last_seen_at)) }
                                td data-label="Signed in" { (sh.at(sess.created_at)) }
                                td { form method="post" action={ "/account/sessions/" (sess.id) "/revoke" } data-confirm="Sign this device out?" data-confirm-label="Sign out" { button.danger.small type="submit" { "Sign out" } } }
                            }
                        }
                    }
                }
            }
            section aria-labelledby="twofa" {
                h2 id="twofa" { "Two-factor authentication" }
                @if u.user.totp_enabled_at.is_some() {
                    p { "On. " (codes_left) " recovery codes left." }
                    form method="post" action="/account/2fa/disable" data-confirm="Turn off two-factor authentication? Your account will be protected by your password alone." data-confirm-label="Turn off" {
                        label for="password" { "Password" }
                        input id="password" name="password" type="password" autocomplete="current-password";
                        button.danger type="submit" { "Turn off two-factor authentication" }
                    }
                } @else {
                    p { "Off. " a href="/account/2fa" { "Set it up" } " with an authenticator app." }
                }
            }
        },
    ))
}

pub async fn revoke_session(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    auth::revoke_session(&s.app, &u, &id, &client).await.map_err(WebError::page)?;
    if id == u.session.id.as_str() {
        let mut r = Redirect::to("/login").into_response();
        r.headers_mut().insert(header::SET_COOKIE, clear_session_cookie(&s));
        return Ok(r);
    }
    Ok(Redirect::to("/account").into_response())
}

async fn enrol_page(
    s: &AppState,
    u: &SignedIn,
    e: &auth::TotpEnrollment,
    errors: &FormErrors,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, None).await?;
    Ok(sh.page(
        "Set up two-factor authentication",
        Nav::Account,
        html! { section {
            p { "Scan this code with an authenticator app, or enter the key by hand, then type the 6-digit code it shows." }
            figure aria-label="QR code for your authenticator app" { (PreEscaped(&e.qr_svg)) }
            p { "Key: " code data-secret { (e.secret_base32) } }
            p { a href=(e.otpauth_uri) { "Open in an authenticator app on this device" } }
            form method="post" action="/account/2fa" {
                (field(errors, "code", "6-digit code", "text", "", "one-time-code"))
                button type="submit" { "Turn on" }
            }
        } },
    ))
}

pub async fn totp_form(State(s): State<AppState>, PageUser(u): PageUser) -> Result<Response, WebError> {
    if u.user.totp_enabled_at.is_some() {
        return Ok(Redirect::to("/account").into_response());
    }
    let e = auth::begin_totp(&s.app, &u.user).await.map_err(WebError::page)?;
    Ok(enrol_page(&s, &u, &e, &FormErrors::default()).await?.into_response())
}

#[derive(Deserialize, Default)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

pub async fn totp_confirm(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    PageForm(f): PageForm<CodeForm>,
) -> Result<Response, WebError> {
    match auth::confirm_totp(&s.app, &u, &f.code, &client).await {
        Ok((codes, token)) => {
            let sh = Shell::load(&s, &u, None).await?;
            let body = sh.page(
                "Two-factor authentication is on",
                Nav::Account,
                html! { section {
                    p.notice role="status" { "Keep these recovery codes somewhere safe. Each works once if you lose your phone. They are shown only now." }
                    ul data-recovery-codes { @for c in &codes { li { code { (c) } } } }
                    p { a href="/account" { "Back to your account" } }
                } },
            );
            let mut r = body.into_response();
            r.headers_mut().insert(header::SET_COOKIE, session_cookie(&s, &token.0));
            Ok(r)
        }
        Err(e) if e.field.is_some() => {
            let errors = FormErrors::from_error(&e);
            let enrol = auth::pending_totp(&s.app, &u.user).await.map_err(WebError::page)?;
            match enrol {
                Some(en) => {
                    Ok((crate::kit::error::status_of(e.kind), enrol_page(&s, &u, &en, &errors).await?).into_response())
                }
                None => Ok(Redirect::to("/account").into_response()),
            }
        }
        Err(e) => Err(WebError::page(e)),
    }
}

#[derive(Deserialize, Default)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
}

pub async fn totp_disable(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    PageForm(f): PageForm<PasswordForm>,
) -> Result<Response, WebError> {
    auth::disable_totp(&s.app, &u, &f.password, &client).await.map_err(WebError::page)?;
    Ok(Redirect::to("/account").into_response())
}

#[derive(Deserialize)]
pub struct PrefsForm {
    browser: Option<String>,
    email_on_assign: Option<String>,
}

pub async fn save_notifications(
    State(s): State<AppState>,
    PageUser(u): PageUser,
    PageForm(f): PageForm<PrefsForm>,
) -> Result<Response, WebError> {
    let p = Prefs { browser: f.browser.is_some(), email_on_assign: f.email_on_assign.is_some() };
    notifications::set_prefs(&s.app, &u.user.id, p).await.map_err(WebError::page)?;
    Ok(Redirect::to("/account?saved=1#notifications").into_response())
}
