//! The page frame, form fields with their errors, and small helpers shared by the pages.

use axum::http::StatusCode;
use frontdesk_i18n::t;
use frontdesk_platform::auth::SignedIn;
use frontdesk_platform::AppError;
use maud::{html, Markup, DOCTYPE};

/// The design system's style sheet and the shell's script, served from the binary.
pub const APP_CSS: &str = include_str!("assets/app.css");
pub const APP_JS: &str = include_str!("assets/app.js");

/// The dialog that asks before a destructive action (forms with `data-confirm`), in the
/// current language.
pub fn confirm_dialog() -> Markup {
    html! {
        dialog id="confirm" aria-labelledby="confirm-text" {
            form method="dialog" {
                p id="confirm-text" data-confirm-text {}
                div class="actions" {
                    button class="secondary" value="cancel" type="submit" { (t!("confirm-cancel")) }
                    button class="danger solid" value="ok" type="submit" data-confirm-ok { (t!("confirm-ok")) }
                }
            }
        }
    }
}

/// Where [`fill`] puts pieces of markup inside a message: pass `SLOTS[i]` as the message's
/// variable (`t!("id", email = SLOTS[0])`), and the `i`-th piece goes where the language put
/// that variable, so the words around it keep each language's order.
pub const SLOTS: [&str; 3] = ["\u{E000}", "\u{E001}", "\u{E002}"];

/// A message with markup (a link, a bold name) where its [`SLOTS`] are.
pub fn fill(text: &str, parts: &[Markup]) -> Markup {
    let mut out = String::new();
    let mut rest = text;
    while let Some((at, i)) =
        rest.char_indices().find_map(|(at, c)| SLOTS.iter().position(|s| s.starts_with(c)).map(|i| (at, i)))
    {
        out.push_str(&html! { (rest[..at]) }.into_string());
        if let Some(p) = parts.get(i) {
            out.push_str(&p.0);
        }
        rest = &rest[at + SLOTS[i].len()..];
    }
    out.push_str(&html! { (rest) }.into_string());
    maud::PreEscaped(out)
}

/// A role as people read it ("owner", "propietario").
pub fn role_name(r: frontdesk_core::Role) -> String {
    match r {
        frontdesk_core::Role::Owner => t!("role-owner"),
        frontdesk_core::Role::Admin => t!("role-admin"),
        frontdesk_core::Role::Agent => t!("role-agent"),
        frontdesk_core::Role::Viewer => t!("role-viewer"),
    }
}

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
                    nav aria-label=(t!("public-nav-main")) {
                        @if user.is_some() {
                            a href="/app" { (t!("workspaces-title")) }
                            form.inline method="post" action="/logout" { button.link type="submit" { (t!("nav-sign-out")) } }
                        } @else {
                            a href="/login" { (t!("auth-sign-in")) }
                            a href="/signup" { (t!("auth-sign-up")) }
                        }
                    }
                }
                main.public-main id="main" { h1 { (title) } (body) }
                (confirm_dialog())
                script src="/assets/app.js" defer {}
            }
        }
    }
}

/// The title of an error page: the status in words.
fn status_title(status: StatusCode) -> String {
    match status.as_u16() {
        400 => t!("status-bad-request"),
        401 => t!("status-unauthorized"),
        403 => t!("status-forbidden"),
        404 => t!("status-not-found"),
        405 => t!("status-method-not-allowed"),
        409 => t!("status-conflict"),
        410 => t!("status-gone"),
        413 => t!("status-payload-too-large"),
        415 => t!("status-unsupported-media-type"),
        422 => t!("status-unprocessable-entity"),
        429 => t!("status-too-many-requests"),
        500 => t!("status-internal-server-error"),
        503 => t!("status-service-unavailable"),
        _ => match status.canonical_reason() {
            Some(r) if frontdesk_i18n::current() == frontdesk_i18n::Lang::En => r.to_string(),
            _ => t!("status-error"),
        },
    }
}

pub fn error_page(status: StatusCode, message: &str) -> Markup {
    let title = status_title(status);
    page(&title, None, html! { p.alert role="alert" { (message) } p { a href="/" { (t!("public-back-to-start")) } } })
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
                option value=(r.as_str()) selected[r.as_str() == selected] { (role_name(*r)) }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_confirm_dialog_keeps_its_markup() {
        let old = r#"<dialog id="confirm" aria-labelledby="confirm-text"><form method="dialog"><p id="confirm-text" data-confirm-text></p><div class="actions"><button class="secondary" value="cancel" type="submit">Cancel</button><button class="danger solid" value="ok" type="submit" data-confirm-ok>Confirm</button></div></form></dialog>"#;
        assert_eq!(confirm_dialog().into_string(), old);
    }

    #[test]
    fn fill_puts_markup_where_the_slots_are() {
        let text = format!("See {}, hello {}.", SLOTS[1], SLOTS[0]);
        let m = fill(&text, &[html! { strong { "Ana" } }, html! { a href="/x" { "<here>" } }]);
        assert_eq!(m.into_string(), r#"See <a href="/x">&lt;here&gt;</a>, hello <strong>Ana</strong>."#);
        assert_eq!(fill("No slot & all", &[]).into_string(), "No slot &amp; all");
    }
}
