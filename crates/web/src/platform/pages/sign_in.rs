//! The other ways in: a sign-in link by email, and Sign in with Google (with the link that
//! connects a Google account to an existing one). Links open a page with a button: following a
//! link uses nothing, so a mail scanner that fetches it does not spend it.

use super::auth::with_zone;
use crate::kit::body::PageForm;
use crate::kit::extract::{session_cookie, ClientInfo, MaybeUser, PageUser};
use crate::kit::layout::{field, page, safe_next, url_encode, FormErrors};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use frontdesk_i18n::t;
use frontdesk_platform::auth::LoginOutcome;
use frontdesk_platform::error::ErrorKind;
use frontdesk_platform::{account, google, AppError};
use maud::{html, Markup};
use serde::Deserialize;

fn error_text(e: &AppError) -> String {
    frontdesk_i18n::error_text(frontdesk_i18n::current(), e.code, &e.message)
}

fn failed(e: &AppError, title: &str) -> Response {
    let mut r = (
        crate::kit::error::status_of(e.kind),
        page(title, None, html! { section { p.alert role="alert" { (error_text(e)) } p { a href="/login" { (t!("auth-sign-in")) } } } }),
    )
        .into_response();
    if let ErrorKind::RateLimited { retry_after_secs } = e.kind {
        if let Ok(v) = retry_after_secs.to_string().parse() {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    r
}

/// The session cookie set and the browser sent on: to the second factor when it is pending.
fn signed_in(s: &AppState, o: LoginOutcome, next: &str) -> Response {
    let next = safe_next(Some(next).filter(|n| !n.is_empty()));
    let to = if o.needs_second_factor { format!("/login/2fa?next={}", url_encode(&next)) } else { next };
    let mut r = Redirect::to(&to).into_response();
    r.headers_mut().insert(header::SET_COOKIE, session_cookie(s, &o.token.0));
    r
}

#[derive(Deserialize, Default)]
pub struct LinkQuery {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    next: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct LinkForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    token: String,
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    tz: Option<String>,
}

fn ask_page(f: &LinkForm, errors: &FormErrors) -> Markup {
    page(
        &t!("auth-link-title"),
        None,
        html! { section {
            (errors.summary())
            p { (t!("auth-link-intro")) }
            form method="post" action="/login/link" {
                @if let Some(n) = &f.next { input type="hidden" name="next" value=(n); }
                (field(errors, "email", &t!("platform-email"), "email", &f.email, "username"))
                button type="submit" { (t!("auth-link-send")) }
            }
            p { a href="/login" { (t!("auth-sign-in-password")) } }
        } },
    )
}

/// The page an emailed link opens: while the link can still be used, a button that posts it
/// to `action` (following a link spends nothing); otherwise the reason, with its status.
pub(crate) struct LinkButton<'a> {
    pub purpose: &'a str,
    pub title: String,
    pub intro: Option<String>,
    pub action: &'a str,
    pub id: &'a str,
    pub label: String,
}

pub(crate) async fn link_button(s: &AppState, token: &str, b: LinkButton<'_>) -> Response {
    match account::link_open(&s.app, b.purpose, token).await {
        Ok(true) => page(
            &b.title,
            None,
            html! { section {
                @if let Some(i) = &b.intro { p { (i) } }
                form method="post" action=(b.action) {
                    input type="hidden" name="token" value=(token);
                    input type="hidden" name="tz" value="";
                    button id=(b.id) type="submit" { (b.label) }
                }
            } },
        )
        .into_response(),
        Ok(false) => failed(&account::link_gone(), &b.title),
        Err(e) => failed(&e, &b.title),
    }
}

/// The form that asks for a link, or (with `?token=`) the button that uses one.
pub async fn link_page(State(s): State<AppState>, Query(q): Query<LinkQuery>) -> Response {
    let Some(token) = q.token.filter(|t| !t.is_empty()) else {
        return ask_page(&LinkForm { next: q.next, ..Default::default() }, &FormErrors::default()).into_response();
    };
    let b = LinkButton {
        purpose: account::MAGIC,
        title: t!("auth-link-title"),
        intro: None,
        action: "/login/link/confirm",
        id: "sign-in-by-link",
        label: t!("auth-link-use"),
    };
    link_button(&s, &token, b).await
}

/// Emails a sign-in link (the same answer whether the address has an account or not).
pub async fn send_link(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageForm(f): PageForm<LinkForm>,
) -> Response {
    match account::request_magic_link(&s.app, &f.email, f.next.as_deref(), &client).await {
        Ok(()) => page(
            &t!("auth-check-email"),
            None,
            html! { section { p.notice role="status" #link-sent { (t!("auth-link-sent-any")) } } },
        )
        .into_response(),
        Err(e) if e.field.is_some() => {
            (StatusCode::UNPROCESSABLE_ENTITY, ask_page(&f, &FormErrors::from_error(&e))).into_response()
        }
        Err(e) => failed(&e, &t!("auth-link-title")),
    }
}

/// Signs in with the link's token.
pub async fn use_link(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageForm(f): PageForm<LinkForm>,
) -> Response {
    let client = with_zone(&client, f.tz.as_deref());
    match account::sign_in_by_link(&s.app, &f.token, &client).await {
        Ok((o, next)) => signed_in(&s, o, &next),
        Err(e) => failed(&e, &t!("auth-link-title")),
    }
}

#[derive(Deserialize, Default)]
pub struct StartQuery {
    #[serde(default)]
    next: Option<String>,
}

/// To Google's sign-in page.
pub async fn google_start(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    Query(q): Query<StartQuery>,
) -> Response {
    match google::start(&s.app, None, q.next.as_deref(), &client).await {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(e) => failed(&e, &t!("auth-google")),
    }
}

/// The signed-in person connects their Google account.
pub async fn google_connect(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
) -> Response {
    match google::start(&s.app, Some(&u), Some("/account"), &client).await {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(e) => failed(&e, &t!("auth-google")),
    }
}

#[derive(Deserialize, Default)]
pub struct CallbackQuery {
    #[serde(default)]
    state: String,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

/// Google's answer.
pub async fn google_callback(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    MaybeUser(u): MaybeUser,
    Query(q): Query<CallbackQuery>,
) -> Response {
    let out = google::callback(&s.app, &q.state, q.code.as_deref(), q.error.as_deref(), u.as_ref(), &client).await;
    match out {
        Ok(google::Outcome::SignedIn(o, next)) => signed_in(&s, o, &next),
        Ok(google::Outcome::Linked) => Redirect::to("/account?saved=1#signin").into_response(),
        Ok(google::Outcome::LinkSent(email)) => page(
            &t!("auth-check-email"),
            None,
            html! { section { p.notice role="status" #google-link-sent { (t!("auth-google-link-sent", email = email)) } } },
        )
        .into_response(),
        Err(e) => failed(&e, &t!("auth-google")),
    }
}

/// The emailed link that connects a Google account: its button.
pub async fn google_link_page(State(s): State<AppState>, Query(q): Query<LinkQuery>) -> Response {
    let b = LinkButton {
        purpose: google::LINK,
        title: t!("auth-google-link-title"),
        intro: Some(t!("auth-google-link-intro")),
        action: "/auth/google/link",
        id: "google-link-confirm",
        label: t!("auth-google-link-button"),
    };
    link_button(&s, &q.token.unwrap_or_default(), b).await
}

pub async fn google_link(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageForm(f): PageForm<LinkForm>,
) -> Response {
    match google::confirm_link(&s.app, &f.token, &client).await {
        Ok(o) => signed_in(&s, o, "/account"),
        Err(e) => failed(&e, &t!("auth-google-link-title")),
    }
}
