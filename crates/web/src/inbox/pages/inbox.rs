//! The inbox pages: the thread list with filters, a thread with its messages, delivery ticks,
//! composer and notes, the channels page, and media downloads for agents. Server-rendered HTML
//! that works without scripts; `assets/inbox.js` makes it live (SSE) and sends without a reload.

use crate::kit::body::PageForm;
use crate::kit::error::WebError;
use crate::kit::extract::{ClientInfo, PageUser};
use crate::kit::layout::url_encode;
use crate::kit::shell::{avatar, channel_mark, icon, Nav, Shell};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use frontdesk_core::policy::Denial;
use frontdesk_core::Action;
use frontdesk_i18n::t;
use frontdesk_inbox::threads::{self as inbox, ThreadPatch, ThreadQuery};
use frontdesk_inbox::{channels, intake, notifications, outbox};
use frontdesk_platform::auth::SignedIn;
use frontdesk_platform::workspaces::{self as ws, Access};
use maud::{html, Markup};
use serde::Deserialize;

pub(super) use crate::kit::extract::page_access as access;

/// A marker for a piece of markup inside a translated sentence: pass it as the message's
/// variable, then [`rich`] puts the piece where the language put the variable.
pub(super) fn slot(i: usize) -> String {
    format!("\u{E000}{i}\u{E001}")
}

/// A translated sentence whose variables were [`slot`]s, with `parts` (a link, a time, code)
/// in their places; the words are escaped as usual.
pub(super) fn rich(text: &str, parts: &[Markup]) -> Markup {
    enum Piece<'a> {
        Text(&'a str),
        Part(usize),
    }
    let mut pieces = vec![];
    let mut rest = text;
    while let Some(start) = rest.find('\u{E000}') {
        let Some(len) = rest[start..].find('\u{E001}') else { break };
        pieces.push(Piece::Text(&rest[..start]));
        match rest[start + '\u{E000}'.len_utf8()..start + len].parse::<usize>() {
            Ok(i) if i < parts.len() => pieces.push(Piece::Part(i)),
            _ => {}
        }
        rest = &rest[start + len + '\u{E001}'.len_utf8()..];
    }
    pieces.push(Piece::Text(rest));
    html! {
        @for p in &pieces {
            @match p { Piece::Text(t) => { (t) } Piece::Part(i) => { (parts[*i]) } }
        }
    }
}

/// A conversation's state as people read it (`open`, `abierta`).
pub(super) fn state_name(status: &str) -> String {
    match status {
        "open" => t!("inbox-state-open"),
        "pending" => t!("inbox-state-pending"),
        "snoozed" => t!("inbox-state-snoozed"),
        "resolved" => t!("inbox-state-resolved"),
        other => other.to_string(),
    }
}

/// A channel's kind as people read it.
pub(super) fn kind_name(kind: &str) -> String {
    match kind {
        "whatsapp" => t!("inbox-channel-kind-whatsapp"),
        "instagram" => t!("inbox-channel-kind-instagram"),
        "telegram" => t!("inbox-channel-kind-telegram"),
        "webchat" => t!("inbox-channel-kind-webchat"),
        other => other.to_string(),
    }
}

/// How a conversation's customer is named: [`inbox::row_label`], with the fallback for a
/// customer the channel knows nothing about ("WhatsApp customer") in the person's language.
fn row_name(r: &inbox::ThreadRow) -> String {
    let label = inbox::row_label(r);
    if label != inbox::customer_label(None, None, None, &r.channel_kind) {
        return label;
    }
    match r.channel_kind.as_str() {
        "whatsapp" => t!("inbox-unnamed-whatsapp"),
        "instagram" => t!("inbox-unnamed-instagram"),
        "telegram" => t!("inbox-unnamed-telegram"),
        _ => t!("inbox-unnamed-webchat"),
    }
}

/// A delivery state of an outbound message.
fn delivery_name(status: &str) -> String {
    match status {
        "received" => t!("inbox-delivery-received"),
        "queued" => t!("inbox-delivery-queued"),
        "sent" => t!("inbox-delivery-sent"),
        "delivered" => t!("inbox-delivery-delivered"),
        "read" => t!("inbox-delivery-read"),
        "failed" => t!("inbox-delivery-failed"),
        other => other.to_string(),
    }
}

/// What a message without text is (an image, a sticker…).
fn content_name(kind: &str) -> String {
    match kind {
        "text" => t!("inbox-content-text"),
        "image" => t!("inbox-content-image"),
        "audio" => t!("inbox-content-audio"),
        "video" => t!("inbox-content-video"),
        "document" => t!("inbox-content-document"),
        "sticker" => t!("inbox-content-sticker"),
        "location" => t!("inbox-content-location"),
        "contacts" => t!("inbox-content-contacts"),
        "interactive" => t!("inbox-content-interactive"),
        "reaction" => t!("inbox-content-reaction"),
        "unsupported" => t!("inbox-content-unsupported"),
        other => other.to_string(),
    }
}

/// A media file's state, when it is not stored yet.
fn media_state(status: &str) -> String {
    match status {
        "pending" => t!("inbox-media-pending"),
        "failed" => t!("inbox-media-failed"),
        "stored" => t!("inbox-media-stored"),
        other => other.to_string(),
    }
}

/// How a channel knows a contact (`phone`, `user`…).
fn identity_name(kind: &str) -> String {
    match kind {
        "phone" => t!("inbox-identity-phone"),
        "user" => t!("inbox-identity-user"),
        "visitor" => t!("inbox-identity-visitor"),
        "bsuid" => t!("inbox-identity-bsuid"),
        "igsid" => t!("inbox-identity-igsid"),
        other => other.to_string(),
    }
}

/// A change of consent and where it came from.
fn consent_change(change: &str) -> String {
    match change {
        "opt_out" => t!("inbox-consent-opt-out"),
        "opt_in" => t!("inbox-consent-opt-in"),
        other => other.replace('_', " "),
    }
}

fn consent_source(source: &str) -> String {
    match source {
        "keyword" => t!("inbox-consent-source-keyword"),
        "user_preferences" => t!("inbox-consent-source-user-preferences"),
        "telegram_blocked" => t!("inbox-consent-source-telegram-blocked"),
        "telegram_unblocked" => t!("inbox-consent-source-telegram-unblocked"),
        "provider" => t!("inbox-consent-source-provider"),
        "merge" => t!("inbox-consent-source-merge"),
        other => other.to_string(),
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct ListParams {
    status: Option<String>,
    q: Option<String>,
    label: Option<String>,
    cursor: Option<String>,
    assignee: Option<String>,
    channel: Option<String>,
}

impl ListParams {
    fn status(&self) -> String {
        self.status.clone().filter(|x| !x.is_empty()).unwrap_or_else(|| "open".into())
    }
    /// The filters as a query string (without the cursor), kept by every link of the list.
    fn query(&self, status: &str) -> String {
        let mut parts = vec![format!("status={}", url_encode(status))];
        for (k, v) in [("assignee", &self.assignee), ("channel", &self.channel), ("label", &self.label), ("q", &self.q)]
        {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                parts.push(format!("{k}={}", url_encode(v)));
            }
        }
        parts.join("&")
    }
}

/// The conversation list pane: status tabs, one compact bar of filters, the conversations.
async fn list_pane(
    s: &AppState,
    u: &SignedIn,
    a: &Access,
    sh: &Shell,
    p: &ListParams,
    current: Option<&str>,
) -> Result<(Markup, i64), WebError> {
    let w = a.workspace.id.as_str();
    let status = p.status();
    let nonempty = |v: &Option<String>| v.clone().filter(|x| !x.is_empty());
    let query = ThreadQuery {
        status: Some(status.clone()).filter(|x| x != "all"),
        q: nonempty(&p.q),
        label: nonempty(&p.label),
        assignee: nonempty(&p.assignee),
        channel: nonempty(&p.channel),
        cursor: p.cursor.clone(),
        limit: Some(50),
        ..Default::default()
    };
    let pg = inbox::list_threads(&s.app, a, &query).await.map_err(WebError::page)?;
    let ids: Vec<_> = pg.threads.iter().map(|r| r.thread.id.clone()).collect();
    let unread = notifications::unread_counts(&s.app, a, &ids).await.map_err(WebError::page)?;
    let unread_total = notifications::unread_threads(&s.app, a).await.map_err(WebError::page)?;
    let prefs = notifications::prefs(&s.app, &u.user.id).await.map_err(WebError::page)?;
    let chans = channels::list(&s.app, a).await.map_err(WebError::page)?;
    let assignee = p.assignee.clone().unwrap_or_default();
    let channel = p.channel.clone().unwrap_or_default();
    let filters = p.query(&status);
    let markup = html! {
        div.pane-head {
            h1 { (t!("inbox-title")) }
            span.muted.small #unread-total data-unread=(unread_total) {
                (t!("inbox-unread", count = unread_total))
            }
            @if prefs.browser {
                button #notify-enable .secondary.small type="button" hidden { (t!("inbox-notify-enable")) }
            }
        }
        form.filters method="get" action={ "/w/" (w) "/inbox" } role="search" aria-label=(t!("inbox-filter-conversations")) {
            nav.tabs aria-label=(t!("inbox-status")) {
                @for (st, label) in [("open", t!("inbox-status-open")), ("pending", t!("inbox-status-pending")), ("snoozed", t!("inbox-status-snoozed")), ("resolved", t!("inbox-status-resolved")), ("all", t!("inbox-status-all"))] {
                    a href={ "/w/" (w) "/inbox?" (p.query(st)) } aria-current=[(status == st).then_some("page")] { (label) }
                }
            }
            input type="hidden" name="status" value=(status);
            label.visually-hidden for="assignee" { (t!("inbox-assigned-to")) }
            select id="assignee" name="assignee" {
                @for (v, l) in [("", t!("inbox-anyone")), ("me", t!("inbox-mine")), ("none", t!("inbox-unassigned"))] {
                    option value=(v) selected[assignee == v] { (l) }
                }
            }
            label.visually-hidden for="channel" { (t!("inbox-channel")) }
            select id="channel" name="channel" {
                option value="" { (t!("inbox-all-channels")) }
                @for c in &chans { option value=(c.id) selected[channel == c.id.as_str()] { (c.name) } }
            }
            label.visually-hidden for="label" { (t!("inbox-label")) }
            input id="label" name="label" placeholder=(t!("inbox-label")) value=(p.label.clone().unwrap_or_default());
            label.visually-hidden for="q" { (t!("inbox-search-label")) }
            input id="q" name="q" type="search" placeholder=(t!("inbox-search")) aria-keyshortcuts="/" value=(p.q.clone().unwrap_or_default());
            button.secondary type="submit" { (t!("inbox-filter")) }
        }
        @if pg.threads.is_empty() {
            div.empty #empty {
                @if chans.is_empty() {
                    strong { (t!("inbox-no-channel")) }
                    (t!("inbox-no-channel-hint")) " "
                    a href={ "/w/" (w) "/channels" } { (t!("inbox-connect-channel")) }
                } @else {
                    strong { (t!("inbox-empty")) }
                    (t!("inbox-empty-hint"))
                }
            }
        }
        ul.threads #threads aria-live="polite" aria-label=(t!("inbox-conversations")) {
            @for r in &pg.threads {
                @let n = unread.get(&r.thread.id).copied().unwrap_or(0);
                @let name = row_name(r);
                li data-thread=(r.thread.id) data-unread=(n) aria-current=[(current == Some(r.thread.id.as_str())).then_some("true")] {
                    a.row href={ "/w/" (w) "/inbox/" (r.thread.id) "?" (filters) } {
                        (avatar(&name))
                        span.line {
                            span.who {
                                strong { (name) }
                                (channel_mark(&r.channel_kind))
                                (sh.short(r.thread.last_message_at))
                            }
                            span.preview { (r.thread.preview.clone().unwrap_or_default()) }
                            span.small.muted {
                                @if n > 0 { span.unread aria-label=(t!("inbox-unread", count = n)) { (n) } " " }
                                @if status == "all" { (state_name(&r.thread.status)) " " }
                                @for l in &r.labels { span.label { (l) } " " }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(n) = &pg.next { p style="padding:.75rem 1rem" { a href={ "/w/" (w) "/inbox?" (filters) "&cursor=" (url_encode(n)) } { (t!("inbox-older")) } } }
    };
    Ok((markup, unread_total))
}

pub async fn list(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    Query(p): Query<ListParams>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ViewInbox).await?;
    let sh = Shell::load(&s, &u, Some(&a)).await?;
    let (pane, unread_total) = list_pane(&s, &u, &a, &sh, &p, None).await?;
    let title = match unread_total {
        0 => format!("{} · {}", t!("inbox-title"), a.workspace.name),
        n => format!("({n}) {} · {}", t!("inbox-title"), a.workspace.name),
    };
    Ok(sh.wide(
        &title,
        Nav::Inbox,
        html! {
            div.inbox.no-thread data-live={ "/w/" (w) "/inbox/events" } {
                div.pane.list { (pane) }
                div.pane.conversation {
                    div.empty { strong { (t!("inbox-pick")) } (t!("inbox-pick-hint")) }
                }
            }
            script src="/assets/inbox.js" defer {}
        },
    ))
}

pub async fn show(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    Query(p): Query<ListParams>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ViewInbox).await?;
    let page = render_thread_in(&s, &u, &a, &w, &id, None, &p).await?;
    if let Some(t) = frontdesk_core::ThreadId::parse(&id) {
        notifications::mark_read(&s.app, &a, &t).await.map_err(WebError::page)?;
    }
    Ok(page)
}

/// The delivery tick of an outbound message.
fn tick(status: &str) -> &'static str {
    match status {
        "queued" => "🕓",
        "sent" => "✓",
        "delivered" => "✓✓",
        "read" => "✓✓",
        "failed" => "⚠",
        _ => "",
    }
}

/// A message's failure as a sentence: our reason, then the provider's.
fn failure_text(m: &inbox::Message) -> Option<String> {
    let ours = m.failure.as_deref().map(|f| match Denial::parse(f) {
        Some(d) => denial_text(d),
        None => match f {
            "unknown_outcome" => t!("inbox-failure-unknown-outcome"),
            "provider_unavailable" => t!("inbox-failure-provider-unavailable"),
            other => t!("inbox-failure-other", code = other),
        },
    });
    let theirs = m.error_title.as_ref().map(|t| match (&m.error_code, &m.error_details) {
        (Some(c), Some(d)) if d != t => format!("{t} ({c}): {d}"),
        (Some(c), _) => format!("{t} ({c})"),
        (None, Some(d)) if d != t => format!("{t}: {d}"),
        _ => t.clone(),
    });
    match (ours, theirs) {
        (Some(o), Some(t)) if !o.contains(&t) => Some(format!("{o} {t}")),
        (Some(o), _) => Some(o),
        (None, t) => t,
    }
}

/// Why the gate refuses, in the person's language (the error's sentence, by its code).
fn denial_text(d: Denial) -> String {
    frontdesk_i18n::error_text(frontdesk_i18n::current(), d.code(), d.message())
}

fn remaining(ms: i64) -> String {
    let mins = (ms.max(0) + 59_999) / 60_000;
    if mins >= 48 * 60 {
        t!("inbox-remaining-days", days = mins / (24 * 60))
    } else if mins >= 60 {
        t!("inbox-remaining-hours", hours = mins / 60, minutes = mins % 60)
    } else {
        t!("inbox-remaining-minutes", minutes = mins)
    }
}

/// Who sent an outbound message, in words.
fn sender(m: &inbox::Message, members: &[frontdesk_platform::repo::workspaces::Member]) -> String {
    match (m.author_kind.as_deref(), m.author_id.as_deref()) {
        (Some("user"), Some(id)) => members
            .iter()
            .find(|x| x.user_id.as_str() == id)
            .map_or_else(|| t!("inbox-sender-former"), |x| x.name.clone()),
        (Some("api_token"), _) => t!("inbox-sender-api"),
        (Some("system"), Some("away_reply")) => t!("inbox-sender-away"),
        (Some("system"), Some("assistant")) => t!("inbox-sender-assistant"),
        (Some("system"), _) => t!("inbox-sender-auto"),
        _ => t!("inbox-sender-team"),
    }
}

pub(crate) async fn render_thread(
    s: &AppState,
    u: &SignedIn,
    a: &Access,
    w: &str,
    id: &str,
    error: Option<(String, String)>,
) -> Result<Markup, WebError> {
    render_thread_in(s, u, a, w, id, error, &ListParams::default()).await
}

async fn render_thread_in(
    s: &AppState,
    u: &SignedIn,
    a: &Access,
    w: &str,
    id: &str,
    error: Option<(String, String)>,
    params: &ListParams,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let d = inbox::thread(&s.app, a, id, None, Some(200)).await.map_err(WebError::page)?;
    let (list, _) = list_pane(s, u, a, &sh, params, Some(id)).await?;
    let reply = outbox::reply_state(&s.app, a, id).await.map_err(WebError::page)?;
    let saved = frontdesk_inbox::saved_replies::for_thread(&s.app, a, id).await.map_err(WebError::page)?;
    let contact_id = d.row.thread.contact_id.to_string();
    let person = inbox::contact(&s.app, a, &contact_id).await.map_err(WebError::page)?;
    let consent = inbox::consent(&s.app, a, &contact_id).await.map_err(WebError::page)?;
    let others = inbox::list_threads(
        &s.app,
        a,
        &ThreadQuery { contact: Some(contact_id.clone()), limit: Some(20), ..Default::default() },
    )
    .await
    .map_err(WebError::page)?;
    let chans = channels::list(&s.app, a).await.map_err(WebError::page)?;
    let chan_name = |id: &frontdesk_core::ChannelId| {
        chans.iter().find(|c| &c.id == id).map(|c| c.name.clone()).unwrap_or_else(|| t!("inbox-removed-channel"))
    };
    let can_triage = frontdesk_core::role::allows(a.role, Action::TriageThreads);
    let members = ws::members(&s.app, a).await.map_err(WebError::page)?;
    let t = &d.row.thread;
    let now = s.app.now().0;
    let ai_settings = frontdesk_inbox::assistant::settings(&s.app, a).await.map_err(WebError::page)?;
    let ai_drafts = frontdesk_inbox::assistant::drafts(&s.app, a, id).await.map_err(WebError::page)?;
    let ai_paused = frontdesk_inbox::assistant::paused(&s.app, a, &t.id).await.map_err(WebError::page)?;
    let can_send = frontdesk_core::role::allows(a.role, Action::SendMessages);
    let ai_panel = super::assistant::drafts_panel(
        w,
        t.id.as_str(),
        &ai_drafts,
        ai_settings.mode_for(t.channel_id.as_str()),
        ai_paused,
        can_send,
    );
    let who = row_name(&d.row);
    let (draft, error) = match error {
        Some((text, e)) => (text, Some(e)),
        None => (String::new(), None),
    };
    let back = format!("/w/{w}/inbox?{}", params.query(&params.status()));
    Ok(sh.wide(
        &who,
        Nav::Inbox,
        html! {
            div.inbox.has-thread data-live={ "/w/" (w) "/inbox/events" } data-thread=(t.id) {
            div.pane.list { (list) }
            div.pane.conversation.thread {
                div.pane-head {
                    a.back.button.secondary.small href=(back) aria-label=(t!("inbox-back-to-list")) { (icon("back")) (t!("inbox-back")) }
                    (avatar(&who))
                    h2 #thread-title { (who) }
                    (channel_mark(&d.row.channel_kind))
                    span.badge data-status=(t.status) { (state_name(&t.status)) }
                    @if let Some(at) = t.last_inbound_at { span.muted.small { (rich(&t!("inbox-wrote", ago = slot(0)), &[sh.ago(at)])) } }
                }
                ol.messages id="messages" aria-live="polite" aria-label=(t!("inbox-messages")) {
                    @for m in &d.messages {
                        li.msg data-id=(m.id) data-direction=(m.direction) data-status=(m.status) {
                            @if m.direction == "out" { span.sender { (sender(m, &members)) } }
                            @if let Some(b) = &m.body { span.body { (b) } }
                            @for f in d.media.iter().filter(|f| f.message_id == m.id) {
                                @let name = f.filename.clone().unwrap_or_else(|| t!("inbox-file"));
                                @let image = f.mime.as_deref().is_some_and(|x| x.starts_with("image/"));
                                @if image && f.status == "stored" {
                                    a.media href={ "/w/" (w) "/media/" (f.id) } { img.preview src={ "/w/" (w) "/media/" (f.id) } alt=(name) loading="lazy"; }
                                } @else {
                                    " " a.media href={ "/w/" (w) "/media/" (f.id) } download { "📎 " (name) " (" (f.mime.clone().unwrap_or_default()) @if f.status != "stored" { ", " (media_state(&f.status)) } ")" }
                                }
                            }
                            @if m.body.is_none() && !d.media.iter().any(|f| f.message_id == m.id) { em { (content_name(&m.kind)) } }
                            small.meta {
                                (sh.short(m.created_at)) @if m.edited_at.is_some() { " · " (t!("inbox-edited")) }
                                @if m.direction == "out" {
                                    @let state = delivery_name(&m.status);
                                    " " span.tick data-status=(m.status) title=(state) { (tick(&m.status)) " " (state) }
                                }
                            }
                            @if let Some(e) = failure_text(m) { p.alert.failure { (e) } }
                        }
                    }
                }
                div.composer #composer aria-labelledby="reply-h" {
                    h2.visually-hidden id="reply-h" { (t!("inbox-reply")) }
                    @let allowed = reply.allowed();
                    @if let Some(e) = &error {
                        p #reply-state .alert role="alert" { (e) }
                    } @else if let Some(d) = reply.decision.denial() {
                        p #reply-state .alert role="status" data-reason=(d.code()) { (denial_text(d)) }
                    } @else if let Some(end) = reply.closes_at() {
                        p #reply-state .hint.small role="status" {
                            // The page's script keeps the countdown current, in these words.
                            (rich(&t!("inbox-window-closes", time = slot(0)), &[html! {
                                span data-closes-at=(end)
                                    data-days=(t!("inbox-remaining-days", days = "{d}"))
                                    data-hours=(t!("inbox-remaining-hours", hours = "{h}", minutes = "{m}"))
                                    data-minutes=(t!("inbox-remaining-minutes", minutes = "{m}"))
                                    { (remaining(end - now)) }
                            }]))
                        }
                    } @else {
                        p #reply-state .hint.small role="status" { (t!("inbox-no-window")) }
                    }
                    (ai_panel)
                    form #reply-form method="post" action={ "/w/" (w) "/inbox/" (t.id) "/reply" } {
                        input type="hidden" name="key" value=(frontdesk_platform::crypto::random_token());
                        label.visually-hidden for="reply" { (t!("inbox-message-to", name = &who)) }
                        textarea #reply name="text" rows="3" maxlength="4096" required disabled[!allowed]
                            aria-keyshortcuts="R" placeholder=(t!("inbox-reply-to", name = &who)) { (draft) }
                        div.row {
                            button #send type="submit" disabled[!allowed] { (t!("inbox-send")) }
                            // Files: the page's script posts the chosen file (the text above is its caption).
                            input #attach type="file" hidden disabled[!allowed] aria-label=(t!("inbox-attach"))
                                accept="image/jpeg,image/png,application/pdf,text/plain,.doc,.docx,.xls,.xlsx,.ppt,.pptx"
                                data-action={ "/w/" (w) "/inbox/" (t.id) "/attachments" };
                            button #attach-button .secondary type="button" hidden disabled[!allowed] { (t!("inbox-attach")) }
                        }
                    }
                    @if !saved.is_empty() {
                        // Filled in for this contact; the page's script offers them as you type.
                        ul #saved-replies hidden {
                            @for (r, text) in &saved { li data-shortcut=(r.shortcut) data-text=(text) { "/" (r.shortcut) } }
                        }
                    }
                }
            }
            aside.pane.details aria-label=(t!("inbox-about")) {
            section #contact aria-labelledby="contact-h" {
                h2 id="contact-h" { (t!("inbox-contact")) }
                p { strong { (who) }
                    @if let Some(p) = &person.contact.phone { br; (t!("inbox-phone")) " " (p) }
                    @if let Some(e) = &person.contact.email { br; (t!("inbox-email")) " " (e) }
                    @if person.contact.blocked_at.is_some() { br; strong.alert { (t!("inbox-blocked")) } } }
                @if person.contact.restricted_at.is_some() { p.notice.warn #restricted-banner role="status" { (t!("privacy-restricted-banner")) } }
                @if frontdesk_core::role::allows(a.role, Action::ManageBookings) {
                    p { a.button.secondary.small #book-contact href={ "/w/" (w) "/bookings/new?contact=" (person.contact.id) "&thread=" (t.id) } { (t!("bookings-book-contact")) } }
                }
                ul #identities {
                    @for i in &person.identities { li { (chan_name(&i.channel_id)) ": " (identity_name(&i.kind)) " " code { (i.value) } } }
                }
                h3 { (t!("inbox-consent")) }
                ul #consent {
                    @for (ch, st) in &consent.state {
                        li data-consent=(st.as_str()) { (chan_name(ch)) ": "
                            @if st.as_str() == "opt_out" { strong { (t!("inbox-opted-out")) } } @else { (t!("inbox-may-answer")) } }
                    }
                }
                @if !consent.events.is_empty() {
                    details { summary { (t!("inbox-consent-history", count = consent.events.len())) }
                        ol { @for e in consent.events.iter().rev() {
                            li { (sh.at(e.at)) " · " (consent_change(&e.change)) " · " (consent_source(&e.source)) " · " (chan_name(&e.channel_id)) }
                        } }
                    }
                }
                @let other: Vec<_> = others.threads.iter().filter(|r| r.thread.id != t.id).collect();
                @if !other.is_empty() {
                    h3 { (t!("inbox-other-conversations")) }
                    ul #other-threads { @for r in other {
                        li { a href={ "/w/" (w) "/inbox/" (r.thread.id) } { (kind_name(&r.channel_kind)) " · " (state_name(&r.thread.status)) " · " (sh.short(r.thread.last_message_at)) } }
                    } }
                }
            }
            @if can_triage {
                section aria-labelledby="triage" {
                    h2 id="triage" { (t!("inbox-triage")) }
                    form method="post" action={ "/w/" (w) "/inbox/" (t.id) } {
                        label for="t-status" { (t!("inbox-status")) }
                        select id="t-status" name="status" {
                            @for st in ["open", "pending", "snoozed", "resolved"] { option value=(st) selected[t.status == st] { (state_name(st)) } }
                        }
                        label for="t-snooze" { (t!("inbox-snooze-for")) }
                        select id="t-snooze" name="snooze_hours" {
                            @for (h, l) in [("1", t!("inbox-snooze-hours", count = 1)), ("4", t!("inbox-snooze-hours", count = 4)), ("24", t!("inbox-snooze-days", count = 1)), ("72", t!("inbox-snooze-days", count = 3)), ("168", t!("inbox-snooze-weeks", count = 1))] {
                                option value=(h) { (l) }
                            }
                        }
                        @if let Some(until) = t.snoozed_until { p.hint { (rich(&t!("inbox-snoozed-until", time = slot(0)), &[sh.at(until)])) } }
                        label for="t-assignee" { (t!("inbox-assignee")) }
                        select id="t-assignee" name="assignee" {
                            option value="" { (t!("inbox-nobody")) }
                            @for m in &members { option value=(m.user_id) selected[t.assignee_id.as_ref() == Some(&m.user_id)] { (m.name) } }
                        }
                        label for="t-labels" { (t!("inbox-labels")) }
                        input id="t-labels" name="labels" value=(d.row.labels.join(", "));
                        button type="submit" { (t!("inbox-save")) }
                    }
                }
            }
            section aria-labelledby="notes" {
                h2 id="notes" { (t!("inbox-notes")) }
                ul { @for n in &d.notes { li { (n.body) " — " small { (sh.ago(n.created_at)) } } } }
                @if can_triage {
                    form method="post" action={ "/w/" (w) "/inbox/" (t.id) "/notes" } {
                        label for="note" { (t!("inbox-note-label")) }
                        textarea id="note" name="body" required maxlength="10000" {}
                        button.secondary type="submit" { (t!("inbox-add-note")) }
                    }
                }
            }
            }
            }
            script src="/assets/inbox.js" defer {}
        },
    ))
}

#[derive(Deserialize, Default)]
pub struct TriageForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    assignee: String,
    #[serde(default)]
    labels: String,
    /// With status "snoozed": for how many hours.
    #[serde(default)]
    snooze_hours: String,
}

pub async fn triage(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    PageForm(f): PageForm<TriageForm>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::TriageThreads).await?;
    let labels = f.labels.split(',').map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
    let patch = ThreadPatch {
        status: Some(f.status).filter(|x| !x.is_empty()),
        assignee: Some(Some(f.assignee).filter(|x| !x.is_empty())),
        labels: Some(labels),
        snoozed_until: f
            .snooze_hours
            .parse::<i64>()
            .ok()
            .filter(|h| (1..=24 * 90).contains(h))
            .map(|h| s.app.now().0 + h * 3_600_000),
    };
    inbox::update_thread(&s.app, &a, &id, patch).await.map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/w/{w}/inbox/{id}")).into_response())
}

/// A private note, on a conversation or on a contact.
#[derive(Deserialize, Default)]
pub struct NoteForm {
    #[serde(default)]
    pub(super) body: String,
}

pub async fn note(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    PageForm(f): PageForm<NoteForm>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::TriageThreads).await?;
    inbox::add_note(&s.app, &a, &id, &f.body).await.map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/w/{w}/inbox/{id}")).into_response())
}

pub async fn media(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ViewInbox).await?;
    let f = inbox::media_file(&s.app, &a, &id).await.map_err(WebError::page)?;
    Ok(crate::inbox::api::file_response(f))
}

fn text_input(id: &str, name: &str, label: &str, required: bool) -> Markup {
    html! { label for=(id) { (label) } input id=(id) name=(name) required[required] maxlength="200"; }
}

fn secret_input(id: &str, name: &str, label: &str) -> Markup {
    html! { label for=(id) { (label) } input id=(id) name=(name) type="password" autocomplete="off" required maxlength="1000"; }
}

pub async fn channels_page(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ViewInbox).await?;
    render_channels(&s, &u, &a, &w, None).await
}

async fn render_channels(
    s: &AppState,
    u: &SignedIn,
    a: &Access,
    w: &str,
    error: Option<String>,
) -> Result<Markup, WebError> {
    let (s, u, a) = (s.clone(), u, a.clone());
    let list = channels::list(&s.app, &a).await.map_err(WebError::page)?;
    let manage = frontdesk_core::role::allows(a.role, Action::ManageChannels);
    let troubled = intake::pending(&s.app).await.unwrap_or(0);
    let sh = Shell::load(&s, u, Some(&a)).await?;
    // Sites a web chat refused lately: the owner should know (a new domain, a typo).
    let mut refused = Vec::new();
    for ch in list.iter().filter(|c| c.kind == frontdesk_core::inbox::ChannelKind::Webchat) {
        let r = frontdesk_inbox::webchat::refusals(&s.app, ch).await.map_err(WebError::page)?;
        if !r.is_empty() {
            refused.push((ch.name.clone(), r));
        }
    }
    Ok(sh.page(
        &t!("nav-channels"),
        Nav::Channels,
        html! {
            @if list.is_empty() {
                div.card.empty { strong { (t!("inbox-no-channel")) } (t!("inbox-channels-empty-hint")) }
            }
            @for (name, sites) in &refused {
                div.warn #refused role="status" {
                    strong { (t!("inbox-refused", name = name, count = sites.len())) }
                    ul { @for (site, n, last) in sites {
                        li data-refused=(site) { code { (site) } ", " (rich(&t!("inbox-refused-times", count = *n, ago = slot(0)), &[sh.ago(*last)])) }
                    } }
                    (t!("inbox-refused-hint"))
                }
            }
            @if !list.is_empty() {
            table.stack {
                thead { tr { th { (t!("inbox-name")) } th { (t!("inbox-kind")) } th { (t!("inbox-account")) } th { (t!("inbox-webhook-or-embed")) } th { (t!("inbox-channel-state")) } } }
                tbody {
                    @for ch in &list {
                        tr data-channel=(ch.id) {
                            td { (channel_mark(ch.kind.as_str())) " " strong { (ch.name) } } td data-label=(t!("inbox-kind")) { (kind_name(ch.kind.as_str())) } td data-label=(t!("inbox-account")) { code { (ch.account_id) } }
                            td data-label=(t!("inbox-webhook-or-embed")) {
                                @if let Some(u) = channels::webhook_url(&s.app, ch) { code { (u) } }
                                @else { code { "<script src=\"" (s.app.settings.base_url) "/chat/widget.js\" data-channel=\"" (ch.id) "\" async></script>" } }
                            }
                            td data-label=(t!("inbox-channel-state")) {
                                @if ch.disabled_at.is_some() { span.badge.off { (t!("inbox-channel-disabled")) } } @else { span.badge.ok { (t!("inbox-channel-active")) } }
                                @if manage {
                                    " "
                                    @if ch.disabled_at.is_some() {
                                        form.inline method="post" action={ "/w/" (w) "/channels/" (ch.id) "/toggle" } {
                                            button.secondary.small type="submit" { (t!("inbox-enable")) }
                                        }
                                    } @else {
                                        form.inline method="post" action={ "/w/" (w) "/channels/" (ch.id) "/toggle" } data-confirm=(t!("inbox-disable-confirm", name = &ch.name)) data-confirm-label=(t!("inbox-disable")) {
                                            button.danger.small type="submit" { (t!("inbox-disable")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            }
            @if manage {
                @if let Some(e) = &error { p.alert role="alert" { (e) } }
                section aria-labelledby="new-wa" {
                    h2 id="new-wa" { (t!("inbox-connect-whatsapp-title")) }
                    form method="post" action={ "/w/" (w) "/channels" } {
                        input type="hidden" name="kind" value="whatsapp";
                        (text_input("wa-name", "name", &t!("inbox-name"), true))
                        (text_input("wa-phone", "phone_number_id", &t!("inbox-phone-number-id"), true))
                        (text_input("wa-waba", "waba_id", &t!("inbox-waba-id"), true))
                        (text_input("wa-app", "app_id", &t!("inbox-meta-app-id"), true))
                        (secret_input("wa-token", "access_token", &t!("inbox-access-token")))
                        (secret_input("wa-secret", "app_secret", &t!("inbox-app-secret")))
                        (secret_input("wa-verify", "verify_token", &t!("inbox-verify-token-hint")))
                        button type="submit" { (t!("inbox-connect-whatsapp")) }
                    }
                }
                section aria-labelledby="new-ig" {
                    h2 id="new-ig" { (t!("inbox-connect-instagram-title")) }
                    form method="post" action={ "/w/" (w) "/channels" } {
                        input type="hidden" name="kind" value="instagram";
                        (text_input("ig-name", "name", &t!("inbox-name"), true))
                        (text_input("ig-account", "instagram_account_id", &t!("inbox-instagram-account-id"), true))
                        (text_input("ig-app", "app_id", &t!("inbox-meta-app-id"), true))
                        (secret_input("ig-token", "access_token", &t!("inbox-access-token")))
                        (secret_input("ig-secret", "app_secret", &t!("inbox-app-secret")))
                        (secret_input("ig-verify", "verify_token", &t!("inbox-verify-token")))
                        button type="submit" { (t!("inbox-connect-instagram")) }
                    }
                }
                section aria-labelledby="new-tg" {
                    h2 id="new-tg" { (t!("inbox-connect-telegram-title")) }
                    form method="post" action={ "/w/" (w) "/channels" } {
                        input type="hidden" name="kind" value="telegram";
                        (text_input("tg-name", "name", &t!("inbox-name"), true))
                        (secret_input("tg-token", "bot_token", &t!("inbox-bot-token-hint")))
                        button type="submit" { (t!("inbox-connect-telegram")) }
                    }
                }
                section aria-labelledby="new-chat" {
                    h2 id="new-chat" { (t!("inbox-add-webchat-title")) }
                    form method="post" action={ "/w/" (w) "/channels" } {
                        input type="hidden" name="kind" value="webchat";
                        label for="c-name" { (t!("inbox-name")) }
                        input id="c-name" name="name" required maxlength="80";
                        label for="c-origins" { (t!("inbox-origins")) }
                        input id="c-origins" name="allowed_origins";
                        button type="submit" { (t!("inbox-create-webchat")) }
                    }
                }
            }
            p.muted.small { (rich(&t!("inbox-deliveries-waiting", count = frontdesk_i18n::current().number(troubled), time = slot(0)), &[sh.at(s.app.now().0)])) }
        },
    ))
}

#[derive(Deserialize, Default)]
pub struct ChannelForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    allowed_origins: String,
    phone_number_id: Option<String>,
    waba_id: Option<String>,
    instagram_account_id: Option<String>,
    app_id: Option<String>,
    access_token: Option<String>,
    app_secret: Option<String>,
    verify_token: Option<String>,
    bot_token: Option<String>,
}

pub async fn create_chat(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<ChannelForm>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageChannels).await?;
    let kind = if f.kind.is_empty() { "webchat".to_string() } else { f.kind };
    let webchat = kind == "webchat";
    let origins: Vec<String> =
        f.allowed_origins.split([',', ' ']).map(str::trim).filter(|o| !o.is_empty()).map(str::to_string).collect();
    let input = channels::Input {
        kind: Some(kind),
        name: Some(f.name),
        allowed_origins: webchat.then_some(origins),
        phone_number_id: f.phone_number_id,
        waba_id: f.waba_id,
        instagram_account_id: f.instagram_account_id,
        app_id: f.app_id,
        access_token: f.access_token,
        app_secret: f.app_secret,
        verify_token: f.verify_token,
        bot_token: f.bot_token,
        disabled: None,
    };
    match channels::create(&s.app, &a, input).await {
        Ok(_) => Ok(Redirect::to(&format!("/w/{w}/channels")).into_response()),
        Err(e) if e.kind != frontdesk_platform::error::ErrorKind::Internal => {
            let status = crate::kit::error::status_of(e.kind);
            let text = frontdesk_i18n::error_text(frontdesk_i18n::current(), e.code, &e.message);
            let msg = match e.field {
                Some(f) => t!("inbox-field-error", field = field_name(f), message = text),
                None => text,
            };
            Ok((status, render_channels(&s, &u, &a, &w, Some(msg)).await?).into_response())
        }
        Err(e) => Err(WebError::page(e)),
    }
}

/// A channel form's field, as an error names it.
fn field_name(field: &str) -> String {
    match field {
        "kind" => t!("inbox-field-kind"),
        "name" => t!("inbox-field-name"),
        "allowed_origins" => t!("inbox-field-allowed-origins"),
        "phone_number_id" => t!("inbox-field-phone-number-id"),
        "waba_id" => t!("inbox-field-waba-id"),
        "instagram_account_id" => t!("inbox-field-instagram-account-id"),
        "app_id" => t!("inbox-field-app-id"),
        "access_token" => t!("inbox-field-access-token"),
        "app_secret" => t!("inbox-field-app-secret"),
        "verify_token" => t!("inbox-field-verify-token"),
        "bot_token" => t!("inbox-field-bot-token"),
        other => other.to_string(),
    }
}

pub async fn toggle(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageChannels).await?;
    let ch = channels::get(&s.app, &a, &id).await.map_err(WebError::page)?;
    let input = channels::Input { disabled: Some(ch.disabled_at.is_none()), ..Default::default() };
    channels::update(&s.app, &a, &id, input).await.map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/w/{w}/channels")).into_response())
}

#[derive(Deserialize, Default)]
pub struct ReplyForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    key: String,
}

/// The composer: queue a reply (the gate decides), then back to the thread. A refusal shows
/// the thread again with the reason and the draft kept.
pub async fn reply(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    PageForm(f): PageForm<ReplyForm>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ViewInbox).await?;
    let input = outbox::SendInput {
        text: f.text.clone(),
        reply_to: None,
        idempotency_key: Some(f.key).filter(|k| !k.is_empty()),
        attachment: None,
    };
    let sent = outbox::send(&s.app, &a, &id, input).await;
    super::thread_outcome(&s, &u, &a, &w, &id, f.text, sent).await
}

/// What changes in the workspace's inbox, live (SSE): `{kind, thread_id, message_id}`. Open
/// pages refresh the part that changed.
pub async fn events(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Response, WebError> {
    use axum::response::sse::{Event, KeepAlive, Sse};
    let a = access(&s, &u, &client.ip, &w, Action::ViewInbox).await?;
    let ws_id = a.workspace.id.to_string();
    let user = u.user.id.clone();
    let app = s.app.clone();
    // The stream's body runs outside this request's task: its words need the language now.
    let lang = frontdesk_i18n::current();
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(notifications::PRESENCE_EVERY_MS));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let state = (s.app.live.subscribe(), std::collections::VecDeque::<Event>::new(), tick);
    let stream = futures_util::stream::unfold(state, move |(mut rx, mut pending, mut tick)| {
        let (ws_id, user, app) = (ws_id.clone(), user.clone(), app.clone());
        async move {
            loop {
                if let Some(ev) = pending.pop_front() {
                    return Some((Ok::<_, std::convert::Infallible>(ev), (rx, pending, tick)));
                }
                tokio::select! {
                    r = rx.recv() => match r {
                        // Bookings have their own stream (the calendar's).
                        Ok(e) if e.workspace_id == ws_id && e.kind != frontdesk_inbox::live::BOOKING_CHANGED => {
                            let data = serde_json::json!({ "kind": e.kind, "thread_id": e.thread_id, "message_id": e.message_id });
                            pending.push_back(Event::default().event("change").data(data.to_string()));
                            // A desktop notification for a new customer message on the agent's
                            // own or an unassigned thread.
                            if let Ok(Some(n)) = notifications::notice_for(&app, &user, &e, lang).await {
                                let url = format!("/w/{}/inbox/{}", e.workspace_id, n.thread_id);
                                let data = serde_json::json!({ "thread_id": n.thread_id, "title": n.title, "body": n.body, "url": url });
                                pending.push_back(Event::default().event("notify").data(data.to_string()));
                            }
                        }
                        Ok(_) => continue,
                        Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                            pending.push_back(Event::default().event("resync").data("{}"));
                        }
                        Err(_) => return None,
                    },
                    // Presence: this agent is online while the page is open.
                    _ = tick.tick() => {
                        if let Err(e) = notifications::seen(&app, &user).await {
                            tracing::debug!(error = %e, "presence update failed");
                        }
                    }
                }
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(15))).into_response())
}

/// The inbox pages' script (live updates, sending without a reload, shortcuts).
pub async fn script() -> Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, "application/javascript; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=300"),
        ],
        INBOX_JS,
    )
        .into_response()
}

const INBOX_JS: &str = include_str!("../assets/inbox.js");

// ---- saved replies ----

#[derive(Deserialize, Default)]
pub struct SavedForm {
    #[serde(default)]
    shortcut: String,
    #[serde(default)]
    body: String,
}

pub async fn saved_page(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ViewInbox).await?;
    render_saved(&s, &u, &a, &w, None, SavedForm::default()).await
}

async fn render_saved(
    s: &AppState,
    u: &SignedIn,
    a: &Access,
    w: &str,
    error: Option<String>,
    form: SavedForm,
) -> Result<Markup, WebError> {
    let list = frontdesk_inbox::saved_replies::list(&s.app, a).await.map_err(WebError::page)?;
    let can_edit = frontdesk_core::role::allows(a.role, Action::TriageThreads);
    let sh = Shell::load(s, u, Some(a)).await?;
    let variables = html! {
        @for (i, (v, what)) in frontdesk_inbox::saved_replies::VARIABLES.iter().enumerate() {
            @let what = match *v {
                "first_name" => t!("inbox-saved-var-first-name"),
                "name" => t!("inbox-saved-var-name"),
                "business" => t!("inbox-saved-var-business"),
                _ => what.to_string(),
            };
            @if i > 0 { ", " } code { "{{" (v) "}}" } " (" (what) ")"
        }
    };
    Ok(sh.page(
        &t!("nav-saved-replies"),
        Nav::SavedReplies,
        html! {
            p.hint { (rich(&t!("inbox-saved-hint", variables = slot(0)), &[variables])) }
            @if list.is_empty() { div.card.empty #empty { strong { (t!("inbox-saved-empty")) } (t!("inbox-saved-empty-hint")) } }
            @if !list.is_empty() {
            section { table.stack #saved {
                tbody {
                @for r in &list {
                    tr data-id=(r.id) {
                        td { code { "/" (r.shortcut) } }
                        td { (r.body) }
                        @if can_edit {
                            td { form method="post" action={ "/w/" (w) "/saved-replies/" (r.id) "/delete" } data-confirm=(t!("inbox-saved-delete-confirm", shortcut = &r.shortcut)) data-confirm-label=(t!("inbox-delete")) {
                                button.danger.small type="submit" { (t!("inbox-delete")) } } }
                        }
                    }
                }
                }
            } }
            }
            @if can_edit {
                form.card method="post" action={ "/w/" (w) "/saved-replies" } {
                    h2 { (t!("inbox-saved-add-title")) }
                    @if let Some(e) = &error { p.alert role="alert" { (e) } }
                    label for="sr-shortcut" { (t!("inbox-saved-shortcut")) }
                    input #sr-shortcut name="shortcut" required maxlength="33" placeholder=(t!("inbox-saved-shortcut-example")) value=(form.shortcut);
                    label for="sr-body" { (t!("inbox-reply")) }
                    textarea #sr-body name="body" required maxlength="4096" rows="3"
                        placeholder=(t!("inbox-saved-body-example")) { (form.body) }
                    button type="submit" { (t!("inbox-saved-add")) }
                }
            }
        },
    ))
}

pub async fn create_saved(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<SavedForm>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::TriageThreads).await?;
    match frontdesk_inbox::saved_replies::create(&s.app, &a, &f.shortcut, &f.body).await {
        Ok(_) => Ok(Redirect::to(&format!("/w/{w}/saved-replies?saved=1")).into_response()),
        Err(e) => {
            let (status, msg) = crate::kit::error::refusal(e)?;
            Ok((status, render_saved(&s, &u, &a, &w, Some(msg), f).await?).into_response())
        }
    }
}

pub async fn delete_saved(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::TriageThreads).await?;
    frontdesk_inbox::saved_replies::delete(&s.app, &a, &id).await.map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/w/{w}/saved-replies?saved=1")).into_response())
}

// ---- outgoing webhooks ----

#[derive(Deserialize, Default)]
pub struct HookForm {
    #[serde(default)]
    url: String,
}

pub async fn webhooks_page(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageChannels).await?;
    render_webhooks(&s, &u, &a, &w, None, String::new()).await
}

async fn render_webhooks(
    s: &AppState,
    u: &SignedIn,
    a: &Access,
    w: &str,
    error: Option<String>,
    url: String,
) -> Result<Markup, WebError> {
    use frontdesk_inbox::webhooks as hooks;
    let list = hooks::list(&s.app, a).await.map_err(WebError::page)?;
    let mut rows = vec![];
    for h in &list {
        let secret = hooks::secret_of(&s.app, h).map_err(WebError::page)?;
        let log = hooks::deliveries(&s.app, a, h.id.as_str(), 20).await.map_err(WebError::page)?;
        rows.push((h, secret, log));
    }
    let sh = Shell::load(s, u, Some(a)).await?;
    let hook_state = |status: &str| match status {
        "pending" => t!("inbox-hook-pending"),
        "delivered" => t!("inbox-hook-delivered"),
        "failed" => t!("inbox-hook-failed"),
        other => other.to_string(),
    };
    let hint = t!("inbox-webhooks-hint", created = slot(0), status = slot(1), updated = slot(2), signature = slot(3));
    Ok(sh.page(
        &t!("nav-webhooks"),
        Nav::Webhooks,
        html! {
            p.hint { (rich(&hint, &[
                html! { code { "message.created" } },
                html! { code { "message.status" } },
                html! { code { "thread.updated" } },
                html! { code { (t!("inbox-webhooks-signature")) } },
            ])) }
            @if list.is_empty() { div.card.empty #empty { strong { (t!("inbox-webhooks-empty")) } (t!("inbox-webhooks-empty-hint")) } }
            @for (h, secret, log) in &rows {
                section.webhook data-id=(h.id) {
                    h3 { code { (h.url) } }
                    p { (t!("inbox-webhook-events", events = h.events.join(", "))) }
                    details { summary { (t!("inbox-webhook-secret")) } code.secret { (secret) } }
                    h4 { (t!("inbox-webhook-deliveries")) }
                    @if log.is_empty() { p { (t!("inbox-webhook-none")) } }
                    @else {
                        table.deliveries.stack {
                            thead { tr { th { (t!("inbox-webhook-when")) } th { (t!("inbox-webhook-event")) } th { (t!("inbox-status")) } th { (t!("inbox-webhook-attempts")) } th { (t!("inbox-webhook-last-answer")) } } }
                            tbody {
                            @for d in log {
                                tr data-status=(d.status) {
                                    td { (sh.ago(d.created_at)) } td data-label=(t!("inbox-webhook-event")) { (d.event) } td data-label=(t!("inbox-status")) { (hook_state(&d.status)) } td data-label=(t!("inbox-webhook-attempts")) { (d.attempts) }
                                    td data-label=(t!("inbox-webhook-last-answer")) { @if let Some(c) = d.response_status { "HTTP " (c) } @else if let Some(e) = &d.error { (e) } }
                                }
                            }
                            }
                        }
                    }
                    form method="post" action={ "/w/" (w) "/webhooks/" (h.id) "/delete" } data-confirm=(t!("inbox-webhook-delete-confirm", url = &h.url)) data-confirm-label=(t!("inbox-delete")) { button.danger type="submit" { (t!("inbox-webhook-delete")) } }
                }
            }
            form.card method="post" action={ "/w/" (w) "/webhooks" } {
                h2 { (t!("inbox-webhook-add-title")) }
                @if let Some(e) = &error { p.alert role="alert" { (e) } }
                label for="wh-url" { (t!("inbox-webhook-url")) }
                input #wh-url name="url" type="url" required maxlength="2000" placeholder="https://example.com/frontdesk" value=(url);
                button type="submit" { (t!("inbox-webhook-add")) }
            }
        },
    ))
}

pub async fn create_webhook(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<HookForm>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageChannels).await?;
    match frontdesk_inbox::webhooks::create(&s.app, &a, &f.url, None).await {
        Ok(_) => Ok(Redirect::to(&format!("/w/{w}/webhooks")).into_response()),
        Err(e) => {
            let (status, msg) = crate::kit::error::refusal(e)?;
            Ok((status, render_webhooks(&s, &u, &a, &w, Some(msg), f.url).await?).into_response())
        }
    }
}

pub async fn delete_webhook(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageChannels).await?;
    frontdesk_inbox::webhooks::delete(&s.app, &a, &id).await.map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/w/{w}/webhooks")).into_response())
}
