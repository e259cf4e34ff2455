//! Agents' notifications: unread counts (per agent and thread), desktop notifications for new
//! customer messages on one's own or unassigned threads (the open inbox page shows them), and
//! an email when a conversation is assigned to an agent who is not online. Each is switchable
//! in the agent's preferences.
//!
//! Presence: an open inbox page (its live event stream) marks the agent seen every minute;
//! "online" means seen within [`ONLINE_MS`], on any server node (it is a column, not memory).

use crate::live::LiveEvent;
use crate::repo::channels as cq;
use crate::repo::inbox as iq;
use crate::repo::notifications as q;
use crate::{AppResult, Inbox};
use frontdesk_core::{MessageId, ThreadId, UserId, WorkspaceId};
use frontdesk_i18n::{tl, Lang};
use frontdesk_platform::audit::Actor;
use frontdesk_platform::mail::{self, Mail};
use frontdesk_platform::repo::users as uq;
use frontdesk_platform::workspaces::Access;
use frontdesk_store::Conn;
pub use q::Prefs;
use std::collections::HashMap;

/// Seen within two minutes: online.
pub const ONLINE_MS: i64 = 120_000;
/// How often an open inbox page refreshes the agent's presence.
pub const PRESENCE_EVERY_MS: u64 = 60_000;

fn user_of(actor: &Actor) -> Option<UserId> {
    (actor.kind == "user").then(|| actor.id.as_deref().and_then(UserId::parse)).flatten()
}

pub async fn prefs(app: &Inbox, user: &UserId) -> AppResult<Prefs> {
    let mut c = app.db.conn().await?;
    Ok(q::prefs(&mut c, user).await?)
}

pub async fn set_prefs(app: &Inbox, user: &UserId, p: Prefs) -> AppResult<Prefs> {
    let mut c = app.db.conn().await?;
    q::set_prefs(&mut c, user, p, app.now()).await?;
    Ok(p)
}

/// The signed-in agent has seen the thread (API tokens have no "read").
pub async fn mark_read(app: &Inbox, access: &Access, thread: &ThreadId) -> AppResult<()> {
    let Some(user) = user_of(&access.actor) else { return Ok(()) };
    let mut c = app.db.conn().await?;
    q::mark_read(&mut c, &access.workspace.id, thread, &user, app.now().0).await?;
    Ok(())
}

/// Unseen customer messages per thread for the signed-in agent (empty for API tokens).
pub async fn unread_counts(app: &Inbox, access: &Access, threads: &[ThreadId]) -> AppResult<HashMap<ThreadId, i64>> {
    let Some(user) = user_of(&access.actor) else { return Ok(HashMap::new()) };
    let mut c = app.db.conn().await?;
    Ok(q::unread_counts(&mut c, &access.workspace.id, &user, threads).await?)
}

/// Open threads (the agent's or unassigned) with unseen customer messages.
pub async fn unread_threads(app: &Inbox, access: &Access) -> AppResult<i64> {
    let Some(user) = user_of(&access.actor) else { return Ok(0) };
    let mut c = app.db.conn().await?;
    Ok(q::unread_threads(&mut c, &access.workspace.id, &user).await?)
}

pub async fn seen(app: &Inbox, user: &UserId) -> AppResult<()> {
    let mut c = app.db.conn().await?;
    q::seen(&mut c, user, app.now()).await?;
    Ok(())
}

/// A thread was assigned to `assignee` by someone else: email them if they are not online and
/// want it. Runs inside the assignment's transaction (the mail is a job of that transaction).
pub(crate) async fn assigned(
    app: &Inbox,
    tx: &mut Conn,
    ws: &WorkspaceId,
    ws_name: &str,
    t: &iq::Thread,
    assignee: &UserId,
    by: &Actor,
) -> AppResult<()> {
    if by.kind == "user" && by.id.as_deref() == Some(assignee.as_str()) {
        return Ok(());
    }
    if !q::prefs(tx, assignee).await?.email_on_assign {
        return Ok(());
    }
    let now = app.now().0;
    if q::last_seen(tx, assignee).await?.is_some_and(|at| now - at < ONLINE_MS) {
        return Ok(());
    }
    let Some(user) = uq::by_id(tx, assignee).await? else { return Ok(()) };
    // In the agent's own language (their setting), else English: a mail has no browser.
    let lang = user.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let contact = match iq::contact(tx, ws, &t.contact_id).await?.and_then(|c| c.name) {
        Some(name) => name,
        None => tl!(lang, "inbox-mail-a-customer"),
    };
    let channel = cq::in_workspace(tx, ws, &t.channel_id).await?.map(|c| c.name).unwrap_or_default();
    let link = format!("{}/w/{ws}/inbox/{}", app.settings.base_url.trim_end_matches('/'), t.id);
    let text = tl!(
        lang,
        "inbox-mail-assigned-text",
        workspace = ws_name,
        contact = &contact,
        channel = &channel,
        link = &link
    );
    let subject = tl!(lang, "inbox-mail-assigned-subject", workspace = ws_name, contact = &contact);
    mail::enqueue(app, tx, &Mail { to: user.email.to_string(), subject, text, ..Default::default() }).await
}

/// What an agent's open inbox shows as a desktop notification.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Notice {
    pub thread_id: String,
    pub title: String,
    pub body: String,
}

/// A new customer message on the agent's own or an unassigned thread, when the agent wants
/// desktop notifications; its words in `lang` (the agent's page's).
pub async fn notice_for(app: &Inbox, user: &UserId, e: &LiveEvent, lang: Lang) -> AppResult<Option<Notice>> {
    if e.kind != "message.created" {
        return Ok(None);
    }
    let Some(mid) = e.message_id.as_deref().and_then(MessageId::parse) else { return Ok(None) };
    let mut c = app.db.conn().await?;
    let Some(m) = iq::message_by_id(&mut c, &mid).await? else { return Ok(None) };
    if m.direction != "in" || m.workspace_id.as_str() != e.workspace_id {
        return Ok(None);
    }
    let Some(t) = iq::thread(&mut c, &m.workspace_id, &m.thread_id).await? else { return Ok(None) };
    if t.assignee_id.as_ref().is_some_and(|a| a != user) || !q::prefs(&mut c, user).await?.browser {
        return Ok(None);
    }
    let contact = iq::contact(&mut c, &m.workspace_id, &m.contact_id).await?.and_then(|k| k.name);
    let body: String = match m.body.as_deref() {
        Some(b) => b.chars().take(120).collect(),
        None => tl!(lang, "inbox-notice-attachment"),
    };
    let title = contact.unwrap_or_else(|| tl!(lang, "inbox-notice-new-message"));
    Ok(Some(Notice { thread_id: t.id.to_string(), title, body }))
}
