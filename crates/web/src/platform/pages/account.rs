//! The signed-in person's own account: sessions (device, IP, last seen; revoke) and TOTP 2FA.

use crate::kit::body::PageForm;
use crate::kit::error::WebError;
use crate::kit::extract::{clear_session_cookie, session_cookie, ClientInfo, PageUser};
use crate::kit::layout::{field, fill, FormErrors, SLOTS};
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

fn device(s: &AppState, ua: Option<&str>) -> String {
    frontdesk_platform::account::device_name(&s.app, frontdesk_i18n::current(), ua)
}

pub async fn account(State(s): State<AppState>, PageUser(u): PageUser) -> Result<Markup, WebError> {
    account_page(&s, &u, &FormErrors::default(), None).await
}

/// The account page, with a form's errors or a notice.
async fn account_page(
    s: &AppState,
    u: &SignedIn,
    errors: &FormErrors,
    notice: Option<String>,
) -> Result<Markup, WebError> {
    let (s, u) = (s.clone(), u.clone());
    let google = match s.app.settings.google {
        Some(_) => Some(frontdesk_platform::google::linked_email(&s.app, &u.user.id).await.map_err(WebError::page)?),
        None => None,
    };
    let sessions = auth::sessions(&s.app, &u.user.id).await.map_err(WebError::page)?;
    let codes_left = auth::recovery_codes_left(&s.app, &u.user.id).await.map_err(WebError::page)?;
    let prefs = notifications::prefs(&s.app, &u.user.id).await.map_err(WebError::page)?;
    let display = frontdesk_platform::profile::prefs(&s.app, &u.user.id).await.map_err(WebError::page)?;
    let sh = Shell::load(&s, &u, None).await?;
    Ok(sh.page(
        &t!("account-title"),
        Nav::Account,
        html! {
            section aria-labelledby="profile" {
                h2 id="profile" { (t!("account-profile")) }
                form #account-name method="post" action="/account/name" {
                    (field(errors, "name", &t!("auth-your-name"), "text", &u.user.name, "name"))
                    button type="submit" { (t!("account-save-name")) }
                }
                p { a #account-privacy-link href="/account/privacy" { (t!("privacy-account-link")) } }
            }
            section aria-labelledby="signin" {
                h2 id="signin" { (t!("account-sign-in")) }
                (errors.summary())
                @if let Some(n) = &notice { p.notice role="status" #account-notice { (n) } }
                h3 { (t!("account-email-title")) }
                p { (u.user.email) }
                form #account-email method="post" action="/account/email" {
                    (field(errors, "email", &t!("account-new-email"), "email", "", "email"))
                    @if !u.user.password_hash.is_empty() {
                        (field(errors, "email_password", &t!("account-current-password"), "password", "", "current-password"))
                    }
                    p.hint.small { (t!("account-email-hint")) }
                    button type="submit" { (t!("account-change-email")) }
                }
                h3 { (t!("account-password-title")) }
                form #account-password method="post" action="/account/password" {
                    @if !u.user.password_hash.is_empty() {
                        (field(errors, "current_password", &t!("account-current-password"), "password", "", "current-password"))
                    }
                    (field(errors, "new_password", &t!("account-new-password"), "password", "", "new-password"))
                    p.hint.small { (t!("account-password-hint")) }
                    button type="submit" { (t!("account-change-password")) }
                }
                @if let Some(linked) = &google {
                    h3 { "Google" }
                    @match linked {
                        Some(email) => p #account-google { (t!("account-google-linked", email = email.as_str())) },
                        None => form #account-google method="post" action="/account/google" {
                            button type="submit" { (t!("account-google-connect")) }
                        },
                    }
                }
            }
            section aria-labelledby="display" {
                h2 id="display" { (t!("account-display")) }
                form method="post" action="/account/preferences" {
                    label for="pref-lang" { (t!("account-language")) }
                    select id="pref-lang" name="lang" {
                        option value="" selected[display.lang.is_none()] { (t!("account-language-browser")) }
                        @for l in frontdesk_i18n::Lang::ALL {
                            option value=(l.code()) lang=(l.code()) selected[display.lang.as_deref() == Some(l.code())] { (l.name()) }
                        }
                    }
                    label for="pref-tz" { (t!("account-show-times-in")) }
                    select id="pref-tz" name="time_zone" {
                        (crate::platform::pages::zone_options(display.time_zone.as_deref().unwrap_or(""), Some(t!("account-zone-workspace").as_str())))
                    }
                    p.hint.small { (t!("account-times-now", zone = sh.times.time_zone().replace('_', " "))) }
                    label for="pref-theme" { (t!("account-theme")) }
                    select id="pref-theme" name="theme" {
                        @for (v, l) in [("system", t!("account-theme-system")), ("light", t!("account-theme-light")), ("dark", t!("account-theme-dark"))] {
                            option value=(v) selected[display.theme == v] { (l) }
                        }
                    }
                    button type="submit" { (t!("account-save")) }
                }
            }
            section aria-labelledby="notifications" {
                h2 id="notifications" { (t!("account-notifications")) }
                form method="post" action="/account/notifications" {
                    label.check { input type="checkbox" name="browser" value="1" checked[prefs.browser]; (t!("account-notify-browser")) }
                    label.check { input type="checkbox" name="email_on_assign" value="1" checked[prefs.email_on_assign]; (t!("account-notify-email")) }
                    button type="submit" { (t!("account-save-notifications")) }
                }
            }
            section aria-labelledby="sessions" {
                h2 id="sessions" { (t!("account-devices")) }
                table.stack {
                    thead { tr { th { (t!("account-device")) } th { (t!("account-ip")) } th { (t!("account-last-seen")) } th { (t!("account-signed-in")) } th { span.visually-hidden { (t!("platform-actions")) } } } }
                    tbody {
                        @for sess in &sessions {
                            tr data-session=(sess.id) {
                                td { (device(&s, sess.user_agent.as_deref())) @if let Some(z) = &sess.time_zone { " · " (z.replace('_', " ")) } @if sess.id == u.session.id { " " (t!("account-this-device")) } }
                                td data-label=(t!("account-ip")) { (sess.ip.as_deref().unwrap_or("-")) }
                                td data-label=(t!("account-last-seen")) { (sh.ago(sess.last_seen_at)) }
                                td data-label=(t!("account-signed-in")) { (sh.at(sess.created_at)) }
                                td { form method="post" action={ "/account/sessions/" (sess.id) "/revoke" } data-confirm=(t!("account-sign-out-confirm")) data-confirm-label=(t!("nav-sign-out")) { button.danger.small type="submit" { (t!("nav-sign-out")) } } }
                            }
                        }
                    }
                }
            }
            section aria-labelledby="twofa" {
                h2 id="twofa" { (t!("auth-2fa-title")) }
                @if u.user.totp_enabled_at.is_some() {
                    p { (t!("account-2fa-on", count = codes_left)) }
                    form method="post" action="/account/2fa/disable" data-confirm=(t!("account-2fa-off-confirm")) data-confirm-label=(t!("account-2fa-turn-off-label")) {
                        label for="password" { (t!("auth-password")) }
                        input id="password" name="password" type="password" autocomplete="current-password";
                        button.danger type="submit" { (t!("account-2fa-turn-off")) }
                    }
                } @else {
                    p { (fill(&t!("account-2fa-off", link = SLOTS[0]), &[html! { a href="/account/2fa" { (t!("account-2fa-set-up")) } }])) }
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
        &t!("account-2fa-setup-title"),
        Nav::Account,
        html! { section {
            p { (t!("account-2fa-scan")) }
            figure aria-label=(t!("account-2fa-qr")) { (PreEscaped(&e.qr_svg)) }
            p { (fill(&t!("account-2fa-key", key = SLOTS[0]), &[html! { code data-secret { (e.secret_base32) } }])) }
            p { a href=(e.otpauth_uri) { (t!("account-2fa-open")) } }
            form method="post" action="/account/2fa" {
                (field(errors, "code", &t!("account-2fa-code"), "text", "", "one-time-code"))
                button type="submit" { (t!("account-2fa-turn-on")) }
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
                &t!("account-2fa-on-title"),
                Nav::Account,
                html! { section {
                    p.notice role="status" { (t!("account-2fa-codes")) }
                    ul data-recovery-codes { @for c in &codes { li { code { (c) } } } }
                    p { a href="/account" { (t!("account-back")) } }
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

#[derive(Deserialize, Default)]
pub struct NameForm {
    #[serde(default)]
    name: String,
}

/// A form's error shown on the account page (with its status), anything else as an error page.
async fn refused(
    s: &AppState,
    u: &SignedIn,
    e: frontdesk_platform::AppError,
    field: Option<&'static str>,
) -> Result<Response, WebError> {
    if e.field.is_none() && !matches!(e.kind, frontdesk_platform::error::ErrorKind::RateLimited { .. }) {
        return Err(WebError::page(e));
    }
    let mut errors = FormErrors::from_error(&e);
    if let (Some(f), Some(first)) = (field, errors.fields.first_mut()) {
        first.0 = f;
    }
    let status = crate::kit::error::status_of(e.kind);
    Ok((status, account_page(s, u, &errors, None).await?).into_response())
}

pub async fn save_name(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    PageForm(f): PageForm<NameForm>,
) -> Result<Response, WebError> {
    match frontdesk_platform::account::rename(&s.app, &u, &f.name, &client).await {
        Ok(()) => Ok(Redirect::to("/account?saved=1#profile").into_response()),
        Err(e) => refused(&s, &u, e, None).await,
    }
}

#[derive(Deserialize, Default)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    email_password: String,
}

pub async fn change_email(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    PageForm(f): PageForm<EmailForm>,
) -> Result<Response, WebError> {
    match frontdesk_platform::account::request_email_change(&s.app, &u, &f.email, &f.email_password, &client).await {
        Ok(()) => {
            let notice = t!("account-email-sent", email = f.email.trim());
            Ok(account_page(&s, &u, &FormErrors::default(), Some(notice)).await?.into_response())
        }
        Err(e) => {
            let field = (e.field == Some("current_password")).then_some("email_password");
            refused(&s, &u, e, field).await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct NewPasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

pub async fn change_password(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    PageForm(f): PageForm<NewPasswordForm>,
) -> Result<Response, WebError> {
    match frontdesk_platform::account::change_password(&s.app, &u, &f.current_password, &f.new_password, &client).await
    {
        Ok(token) => {
            let mut r = Redirect::to("/account?saved=1#signin").into_response();
            r.headers_mut().insert(header::SET_COOKIE, session_cookie(&s, &token.0));
            Ok(r)
        }
        Err(e) => {
            let field = (e.field == Some("password")).then_some("new_password");
            refused(&s, &u, e, field).await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// The link sent to a new address: a button that confirms it.
pub async fn email_page(
    State(s): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<TokenQuery>,
) -> Response {
    let b = super::sign_in::LinkButton {
        purpose: frontdesk_platform::account::EMAIL_CHANGE,
        title: t!("account-email-confirm-title"),
        intro: None,
        action: "/account/email/confirm",
        id: "account-email-confirm",
        label: t!("account-email-confirm"),
    };
    super::sign_in::link_button(&s, &q.token, b).await
}

fn email_failed(e: &frontdesk_platform::AppError) -> Response {
    let text = frontdesk_i18n::error_text(frontdesk_i18n::current(), e.code, &e.message);
    (
        crate::kit::error::status_of(e.kind),
        crate::kit::layout::page(
            &t!("account-email-confirm-title"),
            None,
            html! { section { p.alert role="alert" { (text) } } },
        ),
    )
        .into_response()
}

#[derive(Deserialize, Default)]
pub struct TokenForm {
    #[serde(default)]
    token: String,
}

pub async fn confirm_email(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageForm(f): PageForm<TokenForm>,
) -> Response {
    match frontdesk_platform::account::confirm_email_change(&s.app, &f.token, &client).await {
        Ok(email) => crate::kit::layout::page(
            &t!("account-email-confirm-title"),
            None,
            html! { section {
                p.notice role="status" #account-email-changed { (t!("account-email-changed", email = email)) }
                p { a href="/account" { (t!("account-back")) } }
            } },
        )
        .into_response(),
        Err(e) => email_failed(&e),
    }
}
