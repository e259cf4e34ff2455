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
use frontdesk_inbox::threads::{self as inbox, ThreadPatch, ThreadQuery};
use frontdesk_inbox::{channels, intake, notifications, outbox};
use frontdesk_platform::auth::SignedIn;
use frontdesk_platform::workspaces::{self as ws, Access};
use maud::{html, Markup};
use serde::Deserialize;

pub(super) use crate::kit::extract::page_access as access;

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
            h1 { "Inbox" }
            span.muted.small #unread-total data-unread=(unread_total) {
                @match unread_total { 0 => { "Nothing unread" } 1 => { "1 unread" } n => { (n) " unread" } }
            }
            @if prefs.browser {
                button #notify-enable .secondary.small type="button" hidden { "Turn on notifications" }
            }
        }
        form.filters method="get" action={ "/w/" (w) "/inbox" } role="search" aria-label="Filter conversations" {
            nav.tabs aria-label="Status" {
                @for (st, label) in [("open", "Open"), ("pending", "Pending"), ("snoozed", "Snoozed"), ("resolved", "Resolved"), ("all", "All")] {
                    a href={ "/w/" (w) "/inbox?" (p.query(st)) } aria-current=[(status == st).then_some("page")] { (label) }
                }
            }
            input type="hidden" name="status" value=(status);
            label.visually-hidden for="assignee" { "Assigned to" }
            select id="assignee" name="assignee" {
                @for (v, l) in [("", "Anyone"), ("me", "Mine"), ("none", "Unassigned")] {
                    option value=(v) selected[assignee == v] { (l) }
                }
            }
            label.visually-hidden for="channel" { "Channel" }
            select id="channel" name="channel" {
                option value="" { "All channels" }
                @for c in &chans { option value=(c.id) selected[channel == c.id.as_str()] { (c.name) } }
            }
            label.visually-hidden for="label" { "Label" }
            input id="label" name="label" placeholder="Label" value=(p.label.clone().unwrap_or_default());
            label.visually-hidden for="q" { "Search" }
            input id="q" name="q" type="search" placeholder="Search (/)" aria-keyshortcuts="/" value=(p.q.clone().unwrap_or_default());
            button.secondary type="submit" { "Filter" }
        }
        @if pg.threads.is_empty() {
            div.empty #empty {
                @if chans.is_empty() {
                    strong { "No channel yet." }
                    "Connect a web chat, WhatsApp, Instagram or Telegram and conversations arrive here. "
                    a href={ "/w/" (w) "/channels" } { "Connect a channel" }
                } @else {
                    strong { "No conversations here." }
                    "When a customer writes, the conversation shows up here at once."
                }
            }
        }
        ul.threads #threads aria-live="polite" aria-label="Conversations" {
            @for r in &pg.threads {
                @let n = unread.get(&r.thread.id).copied().unwrap_or(0);
                @let name = inbox::row_label(r);
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
                                @if n > 0 { span.unread aria-label={ (n) " unread" } { (n) } " " }
                                @if status == "all" { (r.thread.status) " " }
                                @for l in &r.labels { span.label { (l) } " " }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(n) = &pg.next { p style="padding:.75rem 1rem" { a href={ "/w/" (w) "/inbox?" (filters) "&cursor=" (url_encode(n)) } { "Older conversations" } } }
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
        0 => format!("Inbox · {}", a.workspace.name),
        n => format!("({n}) Inbox · {}", a.workspace.name),
    };
    Ok(sh.wide(
        &title,
        Nav::Inbox,
        html! {
            div.inbox.no-thread data-live={ "/w/" (w) "/inbox/events" } {
                div.pane.list { (pane) }
                div.pane.conversation {
                    div.empty { strong { "Pick a conversation" } "Use j and k to move through the list, r to reply." }
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
        Some(d) => d.message().to_string(),
        None => match f {
            "unknown_outcome" => {
                "The server stopped while sending; check with the customer before sending again.".into()
            }
            "provider_unavailable" => "The provider could not be reached after several attempts.".into(),
            other => format!("Not delivered ({other})."),
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

fn remaining(ms: i64) -> String {
    let mins = (ms.max(0) + 59_999) / 60_000;
    if mins >= 48 * 60 {
        format!("{} days", mins / (24 * 60))
    } else if mins >= 60 {
        format!("{} h {} min", mins / 60, mins % 60)
    } else {
        format!("{mins} min")
    }
}

/// Who sent an outbound message, in words.
fn sender(m: &inbox::Message, members: &[frontdesk_platform::repo::workspaces::Member]) -> String {
    match (m.author_kind.as_deref(), m.author_id.as_deref()) {
        (Some("user"), Some(id)) => members
            .iter()
            .find(|x| x.user_id.as_str() == id)
            .map_or_else(|| "A former member".into(), |x| x.name.clone()),
        (Some("api_token"), _) => "Sent through the API".into(),
        (Some("system"), Some("away_reply")) => "Away reply".into(),
        (Some("system"), Some("assistant")) => "Assistant".into(),
        (Some("system"), _) => "Sent automatically".into(),
        _ => "Your team".into(),
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
        chans.iter().find(|c| &c.id == id).map(|c| c.name.clone()).unwrap_or_else(|| "removed channel".into())
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
    let who = inbox::row_label(&d.row);
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
                    a.back.button.secondary.small href=(back) aria-label="Back to the conversations" { (icon("back")) "Back" }
                    (avatar(&who))
                    h2 #thread-title { (who) }
                    (channel_mark(&d.row.channel_kind))
                    span.badge data-status=(t.status) { (t.status) }
                    @if let Some(at) = t.last_inbound_at { span.muted.small { "wrote " (sh.ago(at)) } }
                }
                ol.messages id="messages" aria-live="polite" aria-label="Messages" {
                    @for m in &d.messages {
                        li.msg data-id=(m.id) data-direction=(m.direction) data-status=(m.status) {
                            @if m.direction == "out" { span.sender { (sender(m, &members)) } }
                            @if let Some(b) = &m.body { span.body { (b) } }
                            @for f in d.media.iter().filter(|f| f.message_id == m.id) {
                                @let name = f.filename.clone().unwrap_or_else(|| "file".into());
                                @let image = f.mime.as_deref().is_some_and(|x| x.starts_with("image/"));
                                @if image && f.status == "stored" {
                                    a.media href={ "/w/" (w) "/media/" (f.id) } { img.preview src={ "/w/" (w) "/media/" (f.id) } alt=(name) loading="lazy"; }
                                } @else {
                                    " " a.media href={ "/w/" (w) "/media/" (f.id) } download { "📎 " (name) " (" (f.mime.clone().unwrap_or_default()) @if f.status != "stored" { ", " (f.status) } ")" }
                                }
                            }
                            @if m.body.is_none() && !d.media.iter().any(|f| f.message_id == m.id) { em { (m.kind) } }
                            small.meta {
                                (sh.short(m.created_at)) @if m.edited_at.is_some() { " · edited" }
                                @if m.direction == "out" {
                                    " " span.tick data-status=(m.status) title=(m.status) { (tick(&m.status)) " " (m.status) }
                                }
                            }
                            @if let Some(e) = failure_text(m) { p.alert.failure { (e) } }
                        }
                    }
                }
                div.composer #composer aria-labelledby="reply-h" {
                    h2.visually-hidden id="reply-h" { "Reply" }
                    @let allowed = reply.allowed();
                    @if let Some(e) = &error {
                        p #reply-state .alert role="alert" { (e) }
                    } @else if let Some(d) = reply.decision.denial() {
                        p #reply-state .alert role="status" data-reason=(d.code()) { (d.message()) }
                    } @else if let Some(end) = reply.closes_at() {
                        p #reply-state .hint.small role="status" {
                            "Reply window closes in " span data-closes-at=(end) { (remaining(end - now)) } "."
                        }
                    } @else {
                        p #reply-state .hint.small role="status" { "This channel has no reply window." }
                    }
                    (ai_panel)
                    form #reply-form method="post" action={ "/w/" (w) "/inbox/" (t.id) "/reply" } {
                        input type="hidden" name="key" value=(frontdesk_platform::crypto::random_token());
                        label.visually-hidden for="reply" { "Message to " (who) }
                        textarea #reply name="text" rows="3" maxlength="4096" required disabled[!allowed]
                            aria-keyshortcuts="R" placeholder={ "Reply to " (who) " (Ctrl+Enter sends, / inserts a saved reply)" } { (draft) }
                        div.row {
                            button #send type="submit" disabled[!allowed] { "Send" }
                            // Files: the page's script posts the chosen file (the text above is its caption).
                            input #attach type="file" hidden disabled[!allowed] aria-label="Attach a file"
                                accept="image/jpeg,image/png,application/pdf,text/plain,.doc,.docx,.xls,.xlsx,.ppt,.pptx"
                                data-action={ "/w/" (w) "/inbox/" (t.id) "/attachments" };
                            button #attach-button .secondary type="button" hidden disabled[!allowed] { "Attach a file" }
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
            aside.pane.details aria-label="About this conversation" {
            section #contact aria-labelledby="contact-h" {
                h2 id="contact-h" { "Contact" }
                p { strong { (who) }
                    @if let Some(p) = &person.contact.phone { br; "Phone " (p) }
                    @if let Some(e) = &person.contact.email { br; "Email " (e) }
                    @if person.contact.blocked_at.is_some() { br; strong.alert { "Blocked" } } }
                ul #identities {
                    @for i in &person.identities { li { (chan_name(&i.channel_id)) ": " (i.kind) " " code { (i.value) } } }
                }
                h3 { "Consent" }
                ul #consent {
                    @for (ch, st) in &consent.state {
                        li data-consent=(st.as_str()) { (chan_name(ch)) ": "
                            @if st.as_str() == "opt_out" { strong { "opted out" } } @else { "may be answered" } }
                    }
                }
                @if !consent.events.is_empty() {
                    details { summary { "History (" (consent.events.len()) ")" }
                        ol { @for e in consent.events.iter().rev() {
                            li { (sh.at(e.at)) " · " (e.change.replace('_', " ")) " · " (e.source) " · " (chan_name(&e.channel_id)) }
                        } }
                    }
                }
                @let other: Vec<_> = others.threads.iter().filter(|r| r.thread.id != t.id).collect();
                @if !other.is_empty() {
                    h3 { "Other conversations" }
                    ul #other-threads { @for r in other {
                        li { a href={ "/w/" (w) "/inbox/" (r.thread.id) } { (r.channel_kind) " · " (r.thread.status) " · " (sh.short(r.thread.last_message_at)) } }
                    } }
                }
            }
            @if can_triage {
                section aria-labelledby="triage" {
                    h2 id="triage" { "Status and assignee" }
                    form method="post" action={ "/w/" (w) "/inbox/" (t.id) } {
                        label for="t-status" { "Status" }
                        select id="t-status" name="status" {
                            @for st in ["open", "pending", "snoozed", "resolved"] { option value=(st) selected[t.status == st] { (st) } }
                        }
                        label for="t-snooze" { "Snooze for (when snoozed)" }
                        select id="t-snooze" name="snooze_hours" {
                            @for (h, l) in [("1", "1 hour"), ("4", "4 hours"), ("24", "1 day"), ("72", "3 days"), ("168", "1 week")] {
                                option value=(h) { (l) }
                            }
                        }
                        @if let Some(until) = t.snoozed_until { p.hint { "Snoozed until " (sh.at(until)) "." } }
                        label for="t-assignee" { "Assignee" }
                        select id="t-assignee" name="assignee" {
                            option value="" { "Nobody" }
                            @for m in &members { option value=(m.user_id) selected[t.assignee_id.as_ref() == Some(&m.user_id)] { (m.name) } }
                        }
                        label for="t-labels" { "Labels (comma separated)" }
                        input id="t-labels" name="labels" value=(d.row.labels.join(", "));
                        button type="submit" { "Save" }
                    }
                }
            }
            section aria-labelledby="notes" {
                h2 id="notes" { "Private notes" }
                ul { @for n in &d.notes { li { (n.body) " — " small { (sh.ago(n.created_at)) } } } }
                @if can_triage {
                    form method="post" action={ "/w/" (w) "/inbox/" (t.id) "/notes" } {
                        label for="note" { "Note (only your team sees it)" }
                        textarea id="note" name="body" required maxlength="10000" {}
                        button.secondary type="submit" { "Add note" }
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
        "Channels",
        Nav::Channels,
        html! {
            @if list.is_empty() {
                div.card.empty { strong { "No channel yet." } "Start with the web chat below (a minute), or connect WhatsApp, Instagram or Telegram." }
            }
            @for (name, sites) in &refused {
                div.warn #refused role="status" {
                    strong { (name) " refused " (sites.len()) @if sites.len() == 1 { " site" } @else { " sites" } " in the last 7 days:" }
                    ul { @for (site, n, last) in sites {
                        li data-refused=(site) { code { (site) } ", " (n) @if *n == 1 { " time" } @else { " times" } " (last " (sh.ago(*last)) ")" }
                    } }
                    "If a site is yours, add its address to the channel's allowed sites."
                }
            }
            @if !list.is_empty() {
            table.stack {
                thead { tr { th { "Name" } th { "Kind" } th { "Account" } th { "Webhook or embed" } th { "State" } } }
                tbody {
                    @for ch in &list {
                        tr data-channel=(ch.id) {
                            td { (channel_mark(ch.kind.as_str())) " " strong { (ch.name) } } td data-label="Kind" { (ch.kind.as_str()) } td data-label="Account" { code { (ch.account_id) } }
                            td data-label="Webhook or embed" {
                                @if let Some(u) = channels::webhook_url(&s.app, ch) { code { (u) } }
                                @else { code { "<script src=\"" (s.app.settings.base_url) "/chat/widget.js\" data-channel=\"" (ch.id) "\" async></script>" } }
                            }
                            td data-label="State" {
                                @if ch.disabled_at.is_some() { span.badge.off { "disabled" } } @else { span.badge.ok { "active" } }
                                @if manage {
                                    " "
                                    @if ch.disabled_at.is_some() {
                                        form.inline method="post" action={ "/w/" (w) "/channels/" (ch.id) "/toggle" } {
                                            button.secondary.small type="submit" { "Enable" }
                                        }
                                    } @else {
                                        form.inline method="post" action={ "/w/" (w) "/channels/" (ch.id) "/toggle" } data-confirm={ "Disable " (ch.name) "? Customers' messages on it stop arriving until you enable it again." } data-confirm-label="Disable" {
                                            button.danger.small type="submit" { "Disable" }
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
                    h2 id="new-wa" { "Connect a WhatsApp number" }
                    form method="post" action={ "/w/" (w) "/channels" } {
                        input type="hidden" name="kind" value="whatsapp";
                        (text_input("wa-name", "name", "Name", true))
                        (text_input("wa-phone", "phone_number_id", "Phone number ID", true))
                        (text_input("wa-waba", "waba_id", "WhatsApp Business Account ID", true))
                        (text_input("wa-app", "app_id", "Meta app ID", true))
                        (secret_input("wa-token", "access_token", "Access token"))
                        (secret_input("wa-secret", "app_secret", "App secret"))
                        (secret_input("wa-verify", "verify_token", "Verify token (you choose it; paste it in Meta's dashboard too)"))
                        button type="submit" { "Connect WhatsApp" }
                    }
                }
                section aria-labelledby="new-ig" {
                    h2 id="new-ig" { "Connect an Instagram account" }
                    form method="post" action={ "/w/" (w) "/channels" } {
                        input type="hidden" name="kind" value="instagram";
                        (text_input("ig-name", "name", "Name", true))
                        (text_input("ig-account", "instagram_account_id", "Instagram professional account ID", true))
                        (text_input("ig-app", "app_id", "Meta app ID", true))
                        (secret_input("ig-token", "access_token", "Access token"))
                        (secret_input("ig-secret", "app_secret", "App secret"))
                        (secret_input("ig-verify", "verify_token", "Verify token"))
                        button type="submit" { "Connect Instagram" }
                    }
                }
                section aria-labelledby="new-tg" {
                    h2 id="new-tg" { "Connect a Telegram bot" }
                    form method="post" action={ "/w/" (w) "/channels" } {
                        input type="hidden" name="kind" value="telegram";
                        (text_input("tg-name", "name", "Name", true))
                        (secret_input("tg-token", "bot_token", "Bot token (from @BotFather)"))
                        button type="submit" { "Connect Telegram" }
                    }
                }
                section aria-labelledby="new-chat" {
                    h2 id="new-chat" { "Add a web chat to your site" }
                    form method="post" action={ "/w/" (w) "/channels" } {
                        input type="hidden" name="kind" value="webchat";
                        label for="c-name" { "Name" }
                        input id="c-name" name="name" required maxlength="80";
                        label for="c-origins" { "Your site's address (origin), e.g. https://example.com" }
                        input id="c-origins" name="allowed_origins";
                        button type="submit" { "Create web chat" }
                    }
                }
            }
            p.muted.small { "Deliveries waiting to be processed on this server: " (troubled) " · checked " (sh.at(s.app.now().0)) }
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
            let msg = match e.field {
                Some(f) => format!("{f}: {}", e.message),
                None => e.message.clone(),
            };
            Ok((status, render_channels(&s, &u, &a, &w, Some(msg)).await?).into_response())
        }
        Err(e) => Err(WebError::page(e)),
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
                        Ok(e) if e.workspace_id == ws_id => {
                            let data = serde_json::json!({ "kind": e.kind, "thread_id": e.thread_id, "message_id": e.message_id });
                            pending.push_back(Event::default().event("change").data(data.to_string()));
                            // A desktop notification for a new customer message on the agent's
                            // own or an unassigned thread.
                            if let Ok(Some(n)) = notifications::notice_for(&app, &user, &e).await {
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
    Ok(sh.page(
        "Saved replies",
        Nav::SavedReplies,
        html! {
            p.hint { "In a conversation, type / and the shortcut to insert one. Variables: "
                @for (i, (v, what)) in frontdesk_inbox::saved_replies::VARIABLES.iter().enumerate() {
                    @if i > 0 { ", " } code { "{{" (v) "}}" } " (" (what) ")"
                } "." }
            @if list.is_empty() { div.card.empty #empty { strong { "No saved replies yet." } "Write the answers you give every day once, then insert them with / in any conversation." } }
            @if !list.is_empty() {
            section { table.stack #saved {
                tbody {
                @for r in &list {
                    tr data-id=(r.id) {
                        td { code { "/" (r.shortcut) } }
                        td { (r.body) }
                        @if can_edit {
                            td { form method="post" action={ "/w/" (w) "/saved-replies/" (r.id) "/delete" } data-confirm={ "Delete the saved reply /" (r.shortcut) "?" } data-confirm-label="Delete" {
                                button.danger.small type="submit" { "Delete" } } }
                        }
                    }
                }
                }
            } }
            }
            @if can_edit {
                form.card method="post" action={ "/w/" (w) "/saved-replies" } {
                    h2 { "Add a saved reply" }
                    @if let Some(e) = &error { p.alert role="alert" { (e) } }
                    label for="sr-shortcut" { "Shortcut" }
                    input #sr-shortcut name="shortcut" required maxlength="33" placeholder="hours" value=(form.shortcut);
                    label for="sr-body" { "Reply" }
                    textarea #sr-body name="body" required maxlength="4096" rows="3"
                        placeholder="Hi {{first_name}}, we are open Tuesday to Saturday, 9 to 18." { (form.body) }
                    button type="submit" { "Add saved reply" }
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
    Ok(sh.page(
        "Webhooks",
        Nav::Webhooks,
        html! {
            p.hint { "Your endpoints receive " code { "message.created" } ", " code { "message.status" } " and "
                code { "thread.updated" } " as JSON with ids (fetch details with the API). Each request is signed: "
                code { "Frontdesk-Signature: t=<unix time>,v1=<HMAC-SHA256 of \"t.body\" with the secret, hex>" }
                ". Check it, and that t is recent, before trusting the body. Failed deliveries are retried for about three hours." }
            @if list.is_empty() { div.card.empty #empty { strong { "No webhooks yet." } "Add an endpoint below to have your own systems told about new messages." } }
            @for (h, secret, log) in &rows {
                section.webhook data-id=(h.id) {
                    h3 { code { (h.url) } }
                    p { "Events: " (h.events.join(", ")) }
                    details { summary { "Signing secret" } code.secret { (secret) } }
                    h4 { "Recent deliveries" }
                    @if log.is_empty() { p { "None yet." } }
                    @else {
                        table.deliveries.stack {
                            thead { tr { th { "When" } th { "Event" } th { "Status" } th { "Attempts" } th { "Last answer" } } }
                            tbody {
                            @for d in log {
                                tr data-status=(d.status) {
                                    td { (sh.ago(d.created_at)) } td data-label="Event" { (d.event) } td data-label="Status" { (d.status) } td data-label="Attempts" { (d.attempts) }
                                    td data-label="Last answer" { @if let Some(c) = d.response_status { "HTTP " (c) } @else if let Some(e) = &d.error { (e) } }
                                }
                            }
                            }
                        }
                    }
                    form method="post" action={ "/w/" (w) "/webhooks/" (h.id) "/delete" } data-confirm={ "Delete the webhook to " (h.url) "? Deliveries stop at once." } data-confirm-label="Delete" { button.danger type="submit" { "Delete webhook" } }
                }
            }
            form.card method="post" action={ "/w/" (w) "/webhooks" } {
                h2 { "Add a webhook" }
                @if let Some(e) = &error { p.alert role="alert" { (e) } }
                label for="wh-url" { "Endpoint URL" }
                input #wh-url name="url" type="url" required maxlength="2000" placeholder="https://example.com/frontdesk" value=(url);
                button type="submit" { "Add webhook" }
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
