//! The page frame, form fields with their errors, and small helpers shared by the pages.

use axum::http::StatusCode;
use frontdesk_platform::auth::SignedIn;
use frontdesk_platform::AppError;
use maud::{html, Markup, PreEscaped, DOCTYPE};

/// The design system's style sheet and the shell's script, served from the binary.
pub const APP_CSS: &str = include_str!("assets/app.css");
pub const APP_JS: &str = include_str!("assets/app.js");

/// The dialog that asks before a destructive action (forms with `data-confirm`).
pub const CONFIRM_DIALOG: &str = r#"<dialog id="confirm" aria-labelledby="confirm-text"><form method="dialog"><p id="confirm-text" data-confirm-text></p><div class="actions"><button class="secondary" value="cancel" type="submit">Cancel</button><button class="danger solid" value="ok" type="submit" data-confirm-ok>Confirm</button></div></form></dialog>"#;

/// The `<head>` of every page.
pub fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · Frontdesk" }
            // No favicon request (and no 404 in the console): an empty inline icon.
            link rel="icon" href="data:,";
            link rel="stylesheet" href="/assets/app.css";
        }
    }
}

/// A page outside the app (sign-in, sign-up, invitations, errors): a plain top bar. A
/// signed-in person's pages use [`crate::kit::shell::Shell`] instead.
pub fn page(title: &str, user: Option<&SignedIn>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(frontdesk_i18n::current().code()) {
            (head(title))
            body {
                header.public-top {
                    a.brand href="/" { (crate::kit::shell::icon("logo")) "Frontdesk" }
                    nav aria-label="Main" {
                        @if user.is_some() {
                            a href="/app" { "Your workspaces" }
                            form.inline method="post" action="/logout" { button.link type="submit" { "Sign out" } }
                        } @else {
                            a href="/login" { "Sign in" }
                            a href="/signup" { "Sign up" }
                        }
                    }
                }
                main.public-main id="main" { h1 { (title) } (body) }
                (PreEscaped(CONFIRM_DIALOG))
                script src="/assets/app.js" defer {}
            }
        }
    }
}

pub fn error_page(status: StatusCode, message: &str) -> Markup {
    let title = status.canonical_reason().unwrap_or("Error");
    page(title, None, html! { p.alert role="alert" { (message) } p { a href="/" { "Back to the start page" } } })
}

/// Errors of one form: per field, plus one for the whole form.
#[derive(Default, Debug)]
pub struct FormErrors {
    pub fields: Vec<(&'static str, String)>,
    pub general: Option<String>,
}

impl FormErrors {
    pub fn from_error(e: &AppError) -> Self {
        let text = frontdesk_i18n::error_text(frontdesk_i18n::current(), e.code, &e.message);
        match e.field {
            Some(f) => Self { fields: vec![(f, text)], general: None },
            None => Self { fields: vec![], general: Some(text) },
        }
    }
    pub fn of(&self, field: &str) -> Option<&str> {
        self.fields.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }
    pub fn summary(&self) -> Markup {
        html! { @if let Some(g) = &self.general { p.alert role="alert" { (g) } } }
    }
}

/// A labelled input with its error right under it, linked for screen readers.
pub fn field(
    errors: &FormErrors,
    name: &'static str,
    label: &str,
    kind: &str,
    value: &str,
    autocomplete: &str,
) -> Markup {
    let err = errors.of(name);
    let err_id = format!("{name}-error");
    html! {
        label for=(name) { (label) }
        input id=(name) name=(name) type=(kind) value=(value) autocomplete=(autocomplete)
            aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| err_id.as_str())];
        @if let Some(m) = err { p.error id=(err_id) { (m) } }
    }
}

pub fn role_select(name: &'static str, selected: &str, options: &[frontdesk_core::Role]) -> Markup {
    role_select_id(name, name, selected, options)
}

/// A role picker with its own id (several on one page).
pub fn role_select_id(name: &str, id: &str, selected: &str, options: &[frontdesk_core::Role]) -> Markup {
    html! {
        select name=(name) id=(id) {
            @for r in options {
                option value=(r.as_str()) selected[r.as_str() == selected] { (r.as_str()) }
            }
        }
    }
}

pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Only local paths are followed after sign-in (no open redirect).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') && n.len() < 300 => n.to_string(),
        _ => "/home".to_string(),
    }
}
