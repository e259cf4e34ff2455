//! The page frame, form fields with their errors, and small helpers shared by the pages.

use axum::http::StatusCode;
use frontdesk_platform::auth::SignedIn;
use frontdesk_platform::AppError;
use maud::{html, Markup, PreEscaped, DOCTYPE};

const CSS: &str = r#"
body{font-family:system-ui,sans-serif;margin:0;color:#1d232a;background:#f6f7f9;line-height:1.45}
header{background:#1f3a5f;color:#fff;padding:.6rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
header a,header button{color:#fff}header nav{display:flex;gap:1rem;align-items:center;flex-wrap:wrap;margin-left:auto}
main{max-width:60rem;margin:1.5rem auto;padding:0 1rem}
section{background:#fff;border:1px solid #dde1e6;border-radius:.5rem;padding:1rem 1.25rem;margin-bottom:1.25rem}
label{display:block;font-weight:600;margin-top:.75rem}
input,select{font:inherit;padding:.45rem;border:1px solid #aab2bd;border-radius:.3rem;width:100%;max-width:26rem;box-sizing:border-box}
input[type=checkbox]{width:auto}
button{font:inherit;padding:.45rem .9rem;border-radius:.3rem;border:1px solid #1f3a5f;background:#1f3a5f;color:#fff;cursor:pointer;margin-top:.75rem}
button.link{background:none;border:none;color:#1f3a5f;text-decoration:underline;padding:0;margin:0}
button.danger{background:#a61b1b;border-color:#a61b1b}
.error{color:#a61b1b;margin:.25rem 0 0}.notice{background:#e6f4ea;border:1px solid #9ccfaa;padding:.6rem;border-radius:.3rem}
.alert{background:#fdecea;border:1px solid #e3a29b;padding:.6rem;border-radius:.3rem}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.35rem;border-bottom:1px solid #e6e8eb;vertical-align:top}
form.inline{display:inline}code{background:#eef1f4;padding:.1rem .3rem;border-radius:.2rem;word-break:break-all}
textarea{font:inherit;padding:.45rem;border:1px solid #aab2bd;border-radius:.3rem;width:100%;box-sizing:border-box}
button:disabled,textarea:disabled{opacity:.55;cursor:not-allowed}
.threads{list-style:none;padding:0}.threads li{background:#fff;border:1px solid #dde1e6;border-radius:.4rem;padding:.5rem .75rem;margin:.4rem 0;overflow-wrap:anywhere}
#saved-suggest{list-style:none;margin:.2rem 0;padding:0;border:1px solid #dde1e6;border-radius:.4rem;background:#fff;max-height:12rem;overflow:auto}#saved-suggest li{padding:.35rem .6rem;cursor:pointer;overflow-wrap:anywhere}#saved-suggest li[aria-selected=true]{background:#eef3fb}
.messages{list-style:none;padding:0;display:flex;flex-direction:column}
.msg{max-width:85%;margin:.3rem 0;padding:.45rem .7rem;border-radius:.7rem;background:#fff;border:1px solid #dde1e6;align-self:flex-start;overflow-wrap:anywhere}
.msg[data-direction=out]{align-self:flex-end;background:#e3f1e6;border-color:#b9dcc1}
.msg .meta{display:block;color:#5a6472;font-size:.8rem}.msg .body{white-space:pre-wrap}
.msg img.preview{display:block;max-width:100%;max-height:16rem;border-radius:.4rem;margin-top:.3rem}
.tick[data-status=read]{color:#1a73e8}.tick[data-status=failed]{color:#a61b1b}
.hint{color:#5a6472}
@media (max-width:40rem){main{margin:.75rem auto;padding:0 .5rem}section{padding:.75rem}.msg{max-width:95%}}
"#;

pub fn page(title: &str, user: Option<&SignedIn>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Frontdesk" }
                // No favicon request (and no 404 in the console): an empty inline icon.
                link rel="icon" href="data:,";
                style { (PreEscaped(CSS)) }
            }
            body {
                header {
                    a href="/" { strong { "Frontdesk" } }
                    nav aria-label="Main" {
                        @if let Some(u) = user {
                            a href="/app" { "Workspaces" }
                            a href="/account" { "Account" }
                            @if u.user.is_operator { a href="/admin" { "Operator" } }
                            form.inline method="post" action="/logout" { button.link type="submit" { "Sign out" } }
                        } @else {
                            a href="/login" { "Sign in" }
                            a href="/signup" { "Sign up" }
                        }
                    }
                }
                main id="main" { h1 { (title) } (body) }
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
        match e.field {
            Some(f) => Self { fields: vec![(f, e.message.clone())], general: None },
            None => Self { fields: vec![], general: Some(e.message.clone()) },
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
    html! {
        select name=(name) id=(name) {
            @for r in options {
                option value=(r.as_str()) selected[r.as_str() == selected] { (r.as_str()) }
            }
        }
    }
}

pub fn time(ms: i64) -> String {
    frontdesk_core::Timestamp(ms).to_rfc3339().replace('T', " ")[..16].to_string() + " UTC"
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
        _ => "/app".to_string(),
    }
}
