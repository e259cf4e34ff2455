//! Sign-up, email confirmation, sign-in with an optional second factor, password reset.

use crate::kit::body::PageForm;
use crate::kit::extract::{cookie, session_cookie, ClientInfo, MaybeUser};
use crate::kit::layout::{field, fill, page, safe_next, FormErrors, SLOTS};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use frontdesk_i18n::t;
use frontdesk_platform::auth::{self, SignupInput};
use frontdesk_platform::error::ErrorKind;
use frontdesk_platform::{AppError, SignupMode};
use maud::{html, Markup};
use serde::Deserialize;

/// An error's sentence in the page's language.
fn error_text(e: &AppError) -> String {
    frontdesk_i18n::error_text(frontdesk_i18n::current(), e.code, &e.message)
}

fn status_for(e: &AppError) -> StatusCode {
    crate::kit::error::status_of(e.kind)
}

/// A form page answered with the status of its error (and Retry-After when rate limited).
fn form_response(e: &AppError, body: Markup) -> Response {
    let mut r = (status_for(e), body).into_response();
    if let ErrorKind::RateLimited { retry_after_secs } = e.kind {
        if let Ok(v) = retry_after_secs.to_string().parse() {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    r
}

#[derive(Deserialize, Default)]
pub struct SignupQuery {
    #[serde(default)]
    invitation: Option<String>,
    #[serde(default)]
    email: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct SignupForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    adult: Option<String>,
    #[serde(default)]
    invitation: Option<String>,
}

fn signup_page(s: &AppState, f: &SignupForm, errors: &FormErrors) -> Markup {
    let closed = s.app.settings.signup == SignupMode::InviteOnly && f.invitation.is_none();
    page(
        &t!("auth-signup-title"),
        None,
        html! {
            section {
                @if closed {
                    p.notice { (t!("auth-signup-closed")) }
                }
                (errors.summary())
                form method="post" action="/signup" novalidate {
                    @if let Some(i) = &f.invitation { input type="hidden" name="invitation" value=(i); }
                    (field(errors, "name", &t!("auth-your-name"), "text", &f.name, "name"))
                    (field(errors, "email", &t!("platform-email"), "email", &f.email, "email"))
                    (field(errors, "password", &t!("auth-password-hint"), "password", "", "new-password"))
                    label for="adult" {
                        input id="adult" type="checkbox" name="adult" value="yes" checked[f.adult.is_some()];
                        " " (t!("auth-adult"))
                    }
                    @if let Some(m) = errors.of("adult") { p.error { (m) } }
                    button type="submit" { (t!("auth-create-account")) }
                }
                p { (t!("auth-have-account")) " " a href="/login" { (t!("auth-sign-in")) } }
            }
        },
    )
}

pub async fn signup_form(State(s): State<AppState>, Query(q): Query<SignupQuery>) -> Markup {
    let f = SignupForm { invitation: q.invitation, email: q.email.unwrap_or_default(), ..Default::default() };
    signup_page(&s, &f, &FormErrors::default())
}

pub async fn signup(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageForm(f): PageForm<SignupForm>,
) -> Response {
    // Every field's problem at once, not one per submit.
    let mut errors = FormErrors::default();
    let checks: [(&'static str, Result<(), AppError>); 4] = [
        ("name", frontdesk_core::values::parse_label("name", &f.name).map(|_| ()).map_err(AppError::from)),
        ("email", frontdesk_core::Email::parse(&f.email).map(|_| ()).map_err(AppError::from)),
        ("password", frontdesk_core::Password::parse(&f.password).map(|_| ()).map_err(AppError::from)),
        (
            "adult",
            if f.adult.is_some() {
                Ok(())
            } else {
                Err(AppError::invalid(
                    "adult",
                    "adult_attestation_required",
                    "Confirm that you are at least 18 years old.",
                ))
            },
        ),
    ];
    for (name, r) in checks {
        if let Err(e) = r {
            errors.fields.push((name, error_text(&e)));
        }
    }
    if !errors.fields.is_empty() {
        return (StatusCode::UNPROCESSABLE_ENTITY, signup_page(&s, &f, &errors)).into_response();
    }
    let input = SignupInput {
        email: &f.email,
        name: &f.name,
        password: &f.password,
        adult: f.adult.is_some(),
        invitation: f.invitation.as_deref().filter(|i| !i.is_empty()),
    };
    match auth::signup(&s.app, input, &client).await {
        Ok(o) if o.verified => page(
            &t!("auth-account-created"),
            None,
            html! { section { p.notice role="status" { (t!("auth-account-ready")) } p { a href="/login" { (t!("auth-sign-in")) } } } },
        )
        .into_response(),
        Ok(_) => page(
            &t!("auth-check-email"),
            None,
            html! { section { p.notice role="status" {
                (fill(&t!("auth-link-sent", email = SLOTS[0]), &[html! { strong { (f.email.trim()) } }]))
            } } },
        )
        .into_response(),
        Err(e) => form_response(&e, signup_page(&s, &f, &FormErrors::from_error(&e))),
    }
}

#[derive(Deserialize, Default)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

pub async fn verify_form(Query(q): Query<TokenQuery>) -> Markup {
    page(
        &t!("auth-confirm-title"),
        None,
        html! { section { form method="post" action="/verify-email" {
            input type="hidden" name="token" value=(q.token);
            button type="submit" { (t!("auth-confirm-button")) }
        } } },
    )
}

pub async fn verify(State(s): State<AppState>, PageForm(q): PageForm<TokenQuery>) -> Response {
    match auth::verify_email(&s.app, &q.token).await {
        Ok(_) => page(&t!("auth-confirmed-title"), None, html! { section { p.notice role="status" { (t!("auth-confirmed")) } p { a href="/login" { (t!("auth-sign-in")) } } } }).into_response(),
        Err(e) => form_response(&e, page(&t!("auth-confirm-title"), None, html! { section {
            p.alert role="alert" { (error_text(&e)) }
            (resend_form(""))
        } })),
    }
}

fn resend_form(email: &str) -> Markup {
    html! {
        form method="post" action="/verify-email/resend" {
            label for="resend-email" { (t!("platform-email")) }
            input id="resend-email" name="email" type="email" value=(email) autocomplete="email";
            button type="submit" { (t!("auth-resend-button")) }
        }
    }
}

#[derive(Deserialize, Default)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

pub async fn resend(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageForm(f): PageForm<EmailForm>,
) -> Response {
    match auth::resend_verification(&s.app, &f.email, &client).await {
        Ok(()) => page(
            &t!("auth-check-email"),
            None,
            html! { section { p.notice role="status" { (t!("auth-resend-sent")) } } },
        )
        .into_response(),
        Err(e) => form_response(
            &e,
            page(
                &t!("auth-confirm-title"),
                None,
                html! { section { p.alert role="alert" { (error_text(&e)) } (resend_form(&f.email)) } },
            ),
        ),
    }
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    #[serde(default)]
    next: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
    /// The device's time zone (filled by the page's script).
    #[serde(default)]
    tz: Option<String>,
}

/// The other ways in, under a sign-in form: an emailed link, and Google when configured.
pub(crate) fn other_ways(s: &AppState, next: Option<&str>) -> Markup {
    let q = next.map(|n| format!("?next={}", crate::kit::layout::url_encode(n))).unwrap_or_default();
    html! {
        p #sign-in-other {
            a #sign-in-link href={ "/login/link" (q) } { (t!("auth-email-me-a-link")) }
            @if s.app.settings.google.is_some() {
                " · " a #sign-in-google href={ "/auth/google" (q) } { (t!("auth-google")) }
            }
        }
    }
}

/// A client with the time zone a sign-in form reported.
pub(crate) fn with_zone(
    client: &frontdesk_platform::auth::Client,
    tz: Option<&str>,
) -> frontdesk_platform::auth::Client {
    let tz = tz.map(str::trim).filter(|z| !z.is_empty() && z.len() <= 64).map(str::to_string);
    frontdesk_platform::auth::Client { time_zone: tz, ..client.clone() }
}

fn login_page(s: &AppState, f: &LoginForm, errors: &FormErrors, unverified: bool) -> Markup {
    page(
        &t!("auth-sign-in"),
        None,
        html! {
            section {
                (errors.summary())
                form method="post" action="/login" {
                    @if let Some(n) = &f.next { input type="hidden" name="next" value=(n); }
                    input type="hidden" name="tz" value="";
                    (field(errors, "email", &t!("platform-email"), "email", &f.email, "username"))
                    (field(errors, "password", &t!("auth-password"), "password", "", "current-password"))
                    button type="submit" { (t!("auth-sign-in")) }
                }
                (other_ways(s, f.next.as_deref()))
                p { a href="/forgot-password" { (t!("auth-forgot")) } " · " a href="/signup" { (t!("auth-create-an-account")) } }
            }
            @if unverified { section { (resend_form(&f.email)) } }
        },
    )
}

pub async fn login_form(State(s): State<AppState>, MaybeUser(u): MaybeUser, Query(q): Query<LoginQuery>) -> Response {
    if u.is_some() {
        return Redirect::to(&safe_next(q.next.as_deref())).into_response();
    }
    login_page(&s, &LoginForm { next: q.next, ..Default::default() }, &FormErrors::default(), false).into_response()
}

pub async fn login(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageForm(f): PageForm<LoginForm>,
) -> Response {
    let client = with_zone(&client, f.tz.as_deref());
    match auth::login(&s.app, &f.email, &f.password, &client).await {
        Ok(o) => {
            let to = if o.needs_second_factor {
                format!("/login/2fa?next={}", crate::kit::layout::url_encode(&safe_next(f.next.as_deref())))
            } else {
                safe_next(f.next.as_deref())
            };
            let mut r = Redirect::to(&to).into_response();
            r.headers_mut().insert(header::SET_COOKIE, session_cookie(&s, &o.token.0));
            r
        }
        Err(e) => {
            let errors = FormErrors { fields: vec![], general: Some(error_text(&e)) };
            form_response(&e, login_page(&s, &f, &errors, e.code == "email_not_verified"))
        }
    }
}

#[derive(Deserialize, Default)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: Option<String>,
}

fn second_factor_page(next: Option<&str>, errors: &FormErrors) -> Markup {
    page(
        &t!("auth-2fa-title"),
        None,
        html! { section {
            (errors.summary())
            form method="post" action="/login/2fa" {
                @if let Some(n) = next { input type="hidden" name="next" value=(n); }
                (field(errors, "code", &t!("auth-2fa-code"), "text", "", "one-time-code"))
                button type="submit" { (t!("auth-continue")) }
            }
        } },
    )
}

pub async fn second_factor_form(Query(q): Query<LoginQuery>) -> Markup {
    second_factor_page(q.next.as_deref(), &FormErrors::default())
}

pub async fn second_factor(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    headers: HeaderMap,
    PageForm(f): PageForm<CodeForm>,
) -> Response {
    let token = cookie(&headers, s.web.session_cookie()).unwrap_or_default();
    match auth::complete_second_factor(&s.app, &token, &f.code, &client).await {
        Ok(new) => {
            let mut r = Redirect::to(&safe_next(f.next.as_deref())).into_response();
            r.headers_mut().insert(header::SET_COOKIE, session_cookie(&s, &new.0));
            r
        }
        Err(e) if e.kind == ErrorKind::Unauthenticated => Redirect::to("/login").into_response(),
        Err(e) => form_response(&e, second_factor_page(f.next.as_deref(), &FormErrors::from_error(&e))),
    }
}

pub async fn forgot_form() -> Markup {
    forgot_page("", &FormErrors::default())
}

fn forgot_page(email: &str, errors: &FormErrors) -> Markup {
    page(
        &t!("auth-reset-title"),
        None,
        html! { section {
            (errors.summary())
            form method="post" action="/forgot-password" {
                (field(errors, "email", &t!("platform-email"), "email", email, "email"))
                button type="submit" { (t!("auth-reset-button")) }
            }
        } },
    )
}

pub async fn forgot(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageForm(f): PageForm<EmailForm>,
) -> Response {
    match auth::request_password_reset(&s.app, &f.email, &client).await {
        Ok(()) => page(
            &t!("auth-check-email"),
            None,
            html! { section { p.notice role="status" { (t!("auth-reset-sent")) } } },
        )
        .into_response(),
        Err(e) => form_response(&e, forgot_page(&f.email, &FormErrors::from_error(&e))),
    }
}

#[derive(Deserialize, Default)]
pub struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

fn reset_page(token: &str, errors: &FormErrors) -> Markup {
    page(
        &t!("auth-new-password-title"),
        None,
        html! { section {
            (errors.summary())
            form method="post" action="/reset-password" {
                input type="hidden" name="token" value=(token);
                (field(errors, "password", &t!("auth-new-password"), "password", "", "new-password"))
                button type="submit" { (t!("auth-set-password")) }
            }
            p { a href="/forgot-password" { (t!("auth-new-link")) } }
        } },
    )
}

pub async fn reset_form(Query(q): Query<TokenQuery>) -> Markup {
    reset_page(&q.token, &FormErrors::default())
}

pub async fn reset(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageForm(f): PageForm<ResetForm>,
) -> Response {
    match auth::reset_password(&s.app, &f.token, &f.password, &client).await {
        Ok(()) => page(&t!("auth-password-changed-title"), None, html! { section { p.notice role="status" { (t!("auth-password-changed")) } p { a href="/login" { (t!("auth-sign-in")) } } } }).into_response(),
        Err(e) => form_response(&e, reset_page(&f.token, &FormErrors::from_error(&e))),
    }
}
