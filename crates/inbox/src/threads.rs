//! The inbox as agents see it: threads (filter, page, triage), their messages, private notes,
//! contacts and the consent each one has given or withdrawn.

use crate::live::live;
use crate::repo::channels as cq;
use crate::repo::inbox::{self as q, ThreadFilter};
use crate::repo::workspace_settings as ws_settings;
use crate::{AppError, AppResult, Inbox};
use frontdesk_core::inbox::{consent_state, ConsentChange, ThreadStatus};
use frontdesk_core::{ChannelId, ContactId, MediaId, NoteId, ThreadId, UserId};
use frontdesk_platform::audit;
use frontdesk_platform::error::ErrorKind;
use frontdesk_platform::repo::workspaces as wq;
use frontdesk_platform::workspaces::Access;

pub use crate::repo::inbox::{ConsentEvent, Contact, ContactChannel, Identity, Media, Message, Note, Thread};

const MAX_PAGE: i64 = 200;

fn page_size(limit: Option<i64>) -> i64 {
    limit.unwrap_or(50).clamp(1, MAX_PAGE)
}

/// A keyset cursor `"<ms>_<id>"`.
pub fn cursor(at: i64, id: &str) -> String {
    format!("{at}_{id}")
}

fn parse_cursor(s: Option<&str>) -> AppResult<Option<(i64, String)>> {
    let Some(s) = s.filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let bad = || AppError::invalid("cursor", "invalid_cursor", "Use the cursor from the previous page.");
    let (a, id) = s.split_once('_').ok_or_else(bad)?;
    let at = a.parse::<i64>().map_err(|_| bad())?;
    if uuid_like(id) {
        Ok(Some((at, id.to_string())))
    } else {
        Err(bad())
    }
}

fn uuid_like(s: &str) -> bool {
    s.len() == 36 && s.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}

#[derive(Default, Debug)]
pub struct ThreadQuery {
    pub status: Option<String>,
    /// A user id, `none` (unassigned) or `me`.
    pub assignee: Option<String>,
    pub label: Option<String>,
    pub q: Option<String>,
    pub channel: Option<String>,
    pub contact: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

pub struct ThreadRow {
    pub thread: Thread,
    pub contact: Option<Contact>,
    pub channel_kind: String,
    pub labels: Vec<String>,
}

pub struct ThreadPage {
    pub threads: Vec<ThreadRow>,
    pub next: Option<String>,
}

fn not_found() -> AppError {
    AppError::not_found("The thread")
}

pub async fn list_threads(app: &Inbox, access: &Access, query: &ThreadQuery) -> AppResult<ThreadPage> {
    let status = match query.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            ThreadStatus::parse(s)
                .ok_or_else(|| {
                    AppError::invalid("status", "invalid_status", "Use open, pending, snoozed or resolved.")
                })?
                .as_str(),
        ),
    };
    let me = access.actor.id.clone().filter(|_| access.actor.kind == "user");
    let assignee = match query.assignee.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some("none") => Some(None),
        Some("me") => Some(Some(me.clone().ok_or_else(|| {
            AppError::invalid("assignee", "invalid_assignee", "An API token has no \"me\"; use a user id.")
        })?)),
        Some(id) => Some(Some(
            UserId::parse(id)
                .ok_or_else(|| AppError::invalid("assignee", "invalid_assignee", "Use a user id, none or me."))?
                .to_string(),
        )),
    };
    let limit = page_size(query.limit);
    let label = query.label.as_deref().filter(|s| !s.is_empty()).map(|l| l.trim().to_lowercase());
    let text = query.q.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if text.is_some_and(|t| t.chars().count() > 200) {
        return Err(AppError::invalid("q", "too_long", "At most 200 characters."));
    }
    let f = ThreadFilter {
        status,
        assignee: assignee.as_ref().map(|a| a.as_deref()),
        label: label.as_deref(),
        q: text,
        channel: query.channel.as_deref().filter(|s| !s.is_empty()),
        contact: query.contact.as_deref().filter(|s| !s.is_empty()),
        before: parse_cursor(query.cursor.as_deref())?,
        limit: limit + 1,
    };
    let ws = &access.workspace.id;
    let mut c = app.db.conn().await?;
    let mut threads = q::list_threads(&mut c, ws, &f).await?;
    let next = if threads.len() as i64 > limit {
        threads.truncate(limit as usize);
        threads.last().map(|t| cursor(t.last_message_at, t.id.as_str()))
    } else {
        None
    };
    let mut kinds = std::collections::HashMap::new();
    let mut rows = Vec::with_capacity(threads.len());
    for t in threads {
        if !kinds.contains_key(&t.channel_id) {
            let k = cq::in_workspace(&mut c, ws, &t.channel_id)
                .await?
                .map(|ch| ch.kind.as_str().to_string())
                .unwrap_or_default();
            kinds.insert(t.channel_id.clone(), k);
        }
        let contact = q::contact(&mut c, ws, &t.contact_id).await?;
        let labels = q::labels(&mut c, ws, &t.id).await?;
        rows.push(ThreadRow { channel_kind: kinds[&t.channel_id].clone(), thread: t, contact, labels });
    }
    Ok(ThreadPage { threads: rows, next })
}

pub struct ThreadDetail {
    pub row: ThreadRow,
    pub messages: Vec<Message>,
    pub media: Vec<Media>,
    pub notes: Vec<Note>,
    /// Cursor for the next page of messages.
    pub next: Option<String>,
}

pub async fn thread(
    app: &Inbox,
    access: &Access,
    id: &str,
    after: Option<&str>,
    limit: Option<i64>,
) -> AppResult<ThreadDetail> {
    let id = ThreadId::parse(id).ok_or_else(not_found)?;
    let ws = &access.workspace.id;
    let after = parse_cursor(after)?;
    let limit = page_size(limit);
    let mut c = app.db.conn().await?;
    let t = q::thread(&mut c, ws, &id).await?.ok_or_else(not_found)?;
    let mut messages = q::messages(&mut c, ws, &id, after, limit + 1).await?;
    let next = if messages.len() as i64 > limit {
        messages.truncate(limit as usize);
        messages.last().map(|m| cursor(m.created_at, m.id.as_str()))
    } else {
        None
    };
    let media = q::media_of_messages(&mut c, ws, &id).await?;
    let notes = q::notes(&mut c, ws, &id).await?;
    let contact = q::contact(&mut c, ws, &t.contact_id).await?;
    let labels = q::labels(&mut c, ws, &id).await?;
    let kind =
        cq::in_workspace(&mut c, ws, &t.channel_id).await?.map(|ch| ch.kind.as_str().to_string()).unwrap_or_default();
    Ok(ThreadDetail { row: ThreadRow { thread: t, contact, channel_kind: kind, labels }, messages, media, notes, next })
}

#[derive(Default, Debug)]
pub struct ThreadPatch {
    pub status: Option<String>,
    /// `Some(None)` unassigns.
    pub assignee: Option<Option<String>>,
    pub labels: Option<Vec<String>>,
    /// Milliseconds; required with `status: snoozed`.
    pub snoozed_until: Option<i64>,
}

fn labels(v: &[String]) -> AppResult<Vec<String>> {
    if v.len() > 20 {
        return Err(AppError::invalid("labels", "too_many", "At most 20 labels."));
    }
    let mut out: Vec<String> = vec![];
    for l in v {
        let l = l.trim().to_lowercase();
        if l.is_empty() || l.chars().count() > 40 || l.chars().any(|c| c.is_control() || c == ',') {
            return Err(AppError::invalid("labels", "invalid_label", "A label has 1 to 40 characters and no commas."));
        }
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out.sort();
    Ok(out)
}

pub async fn update_thread(app: &Inbox, access: &Access, id: &str, p: ThreadPatch) -> AppResult<Thread> {
    let id = ThreadId::parse(id).ok_or_else(not_found)?;
    let ws = &access.workspace.id;
    let now = app.now();
    let status =
        match p.status.as_deref() {
            None => None,
            Some(s) => Some(ThreadStatus::parse(s).ok_or_else(|| {
                AppError::invalid("status", "invalid_status", "Use open, pending, snoozed or resolved.")
            })?),
        };
    let new_labels = p.labels.as_deref().map(labels).transpose()?;
    let mut tx = app.db.begin().await?;
    let t = q::thread(&mut tx, ws, &id).await?.ok_or_else(not_found)?;
    let assignee = match &p.assignee {
        None => t.assignee_id.clone(),
        Some(None) => None,
        Some(Some(u)) => {
            let bad = || {
                AppError::invalid("assignee", "invalid_assignee", "The assignee must be a member of this workspace.")
            };
            let uid = UserId::parse(u).ok_or_else(bad)?;
            wq::role_of_member(&mut tx, ws, &uid).await?.ok_or_else(bad)?;
            Some(uid)
        }
    };
    let status = match status {
        Some(s) => s,
        None => ThreadStatus::parse(&t.status).ok_or_else(|| AppError::corrupt("threads.status", &t.status))?,
    };
    let snoozed_until = match status {
        ThreadStatus::Snoozed => {
            let until = p.snoozed_until.or(t.snoozed_until).ok_or_else(|| {
                AppError::invalid("snoozed_until", "required", "Say until when the thread is snoozed.")
            })?;
            if until <= now.0 {
                return Err(AppError::invalid("snoozed_until", "in_the_past", "Snooze until a time in the future."));
            }
            Some(until)
        }
        _ => None,
    };
    q::set_thread_state(&mut tx, ws, &id, status.as_str(), assignee.as_ref(), snoozed_until, now).await?;
    if let Some(l) = &new_labels {
        q::set_labels(&mut tx, ws, &id, l).await?;
    }
    if let Some(uid) = assignee.as_ref().filter(|a| t.assignee_id.as_ref() != Some(*a)) {
        crate::notifications::assigned(app, &mut tx, ws, &access.workspace.name, &t, uid, &access.actor).await?;
    }
    let mut changes = vec![];
    if status.as_str() != t.status {
        changes.push(format!("status:{}", status.as_str()));
    }
    if assignee != t.assignee_id {
        changes.push(format!("assignee:{}", assignee.as_ref().map(|a| a.as_str()).unwrap_or("none")));
    }
    if new_labels.is_some() {
        changes.push("labels".into());
    }
    if !changes.is_empty() {
        audit::record(
            app,
            &mut tx,
            ws.as_str(),
            &access.actor,
            "thread.update",
            Some(("thread", id.as_str())),
            &changes.join(" "),
        )
        .await?;
    }
    let out = q::thread(&mut tx, ws, &id).await?.ok_or_else(AppError::internal)?;
    tx.commit().await?;
    if let Some(ch) = channel_of(app, &out).await? {
        app.live.publish(live("thread.updated", &ch, &out.id, &out.contact_id, None));
    }
    Ok(out)
}

async fn channel_of(app: &Inbox, t: &Thread) -> AppResult<Option<crate::channels::Channel>> {
    let mut c = app.db.conn().await?;
    Ok(cq::in_workspace(&mut c, &t.workspace_id, &t.channel_id).await?)
}

pub async fn add_note(app: &Inbox, access: &Access, id: &str, body: &str) -> AppResult<Note> {
    let id = ThreadId::parse(id).ok_or_else(not_found)?;
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::invalid("body", "required", "Write something."));
    }
    if body.chars().count() > 10_000 {
        return Err(AppError::invalid("body", "too_long", "At most 10,000 characters."));
    }
    let ws = &access.workspace.id;
    let note = Note {
        id: NoteId::new(),
        author_kind: access.actor.kind.to_string(),
        author_id: access.actor.id.clone(),
        body: body.to_string(),
        created_at: app.now().0,
    };
    let mut tx = app.db.begin().await?;
    q::thread(&mut tx, ws, &id).await?.ok_or_else(not_found)?;
    q::insert_note(&mut tx, ws, &id, &note).await?;
    audit::record(
        app,
        &mut tx,
        ws.as_str(),
        &access.actor,
        "thread.note",
        Some(("thread", id.as_str())),
        note.id.as_str(),
    )
    .await?;
    tx.commit().await?;
    Ok(note)
}

// ---- contacts ----

pub struct ContactDetail {
    pub contact: Contact,
    pub identities: Vec<Identity>,
    pub channels: Vec<ContactChannel>,
}

fn contact_not_found() -> AppError {
    AppError::not_found("The contact")
}

pub async fn contact(app: &Inbox, access: &Access, id: &str) -> AppResult<ContactDetail> {
    let id = ContactId::parse(id).ok_or_else(contact_not_found)?;
    let ws = &access.workspace.id;
    let mut c = app.db.conn().await?;
    let contact = q::contact(&mut c, ws, &id).await?.ok_or_else(contact_not_found)?;
    let identities = q::identities(&mut c, ws, &id).await?;
    let channels = q::contact_channels(&mut c, ws, &id).await?;
    Ok(ContactDetail { contact, identities, channels })
}

pub async fn list_contacts(
    app: &Inbox,
    access: &Access,
    text: Option<&str>,
    cursor_s: Option<&str>,
    limit: Option<i64>,
) -> AppResult<(Vec<Contact>, Option<String>)> {
    let limit = page_size(limit);
    let before = parse_cursor(cursor_s)?;
    let mut c = app.db.conn().await?;
    let mut list = q::list_contacts(
        &mut c,
        &access.workspace.id,
        text.map(str::trim).filter(|s| !s.is_empty()),
        before.as_ref().map(|(a, i)| (*a, i.as_str())),
        limit + 1,
    )
    .await?;
    let next = if list.len() as i64 > limit {
        list.truncate(limit as usize);
        list.last().map(|k| cursor(k.created_at, k.id.as_str()))
    } else {
        None
    };
    Ok((list, next))
}

#[derive(Default, Debug)]
pub struct ContactPatch {
    pub name: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    /// Block (true) or unblock (false): a blocked contact gets no message.
    pub blocked: Option<bool>,
}

fn opt_text(field: &'static str, v: Option<String>, max: usize) -> AppResult<Option<String>> {
    match v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) if s.chars().count() > max => {
            Err(AppError::invalid(field, "too_long", format!("At most {max} characters.")))
        }
        Some(s) if s.chars().any(char::is_control) => {
            Err(AppError::invalid(field, "invalid_value", "Control characters are not allowed."))
        }
        Some(s) => Ok(Some(s)),
    }
}

pub async fn update_contact(app: &Inbox, access: &Access, id: &str, p: ContactPatch) -> AppResult<Contact> {
    let id = ContactId::parse(id).ok_or_else(contact_not_found)?;
    let ws = &access.workspace.id;
    let mut tx = app.db.begin().await?;
    let mut k = q::contact(&mut tx, ws, &id).await?.ok_or_else(contact_not_found)?;
    let mut fields = vec![];
    if let Some(n) = p.name {
        k.name = opt_text("name", n, 200)?;
        fields.push("name");
    }
    if let Some(e) = p.email {
        k.email = match opt_text("email", e, 254)? {
            Some(e) => Some(frontdesk_core::Email::parse(&e).map_err(AppError::from)?.to_string()),
            None => None,
        };
        fields.push("email");
    }
    if let Some(ph) = p.phone {
        k.phone = match opt_text("phone", ph, 40)? {
            Some(ph) => {
                let digits: String = ph.chars().filter(|c| c.is_ascii_digit()).collect();
                let ok =
                    (6..=15).contains(&digits.len()) && ph.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
                if !ok {
                    return Err(AppError::invalid(
                        "phone",
                        "invalid_phone",
                        "Use an international number like +34 600 000 000.",
                    ));
                }
                Some(digits)
            }
            None => None,
        };
        fields.push("phone");
    }
    if let Some(b) = p.blocked {
        if b != k.blocked_at.is_some() {
            k.blocked_at = b.then_some(app.now().0);
            fields.push(if b { "blocked" } else { "unblocked" });
        }
    }
    k.updated_at = app.now().0;
    q::update_contact(&mut tx, &k).await?;
    if !fields.is_empty() {
        audit::record(
            app,
            &mut tx,
            ws.as_str(),
            &access.actor,
            "contact.update",
            Some(("contact", id.as_str())),
            &fields.join(","),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(k)
}

pub struct ConsentView {
    /// Current state per channel the contact is known on.
    pub state: Vec<(ChannelId, ConsentChange)>,
    pub events: Vec<ConsentEvent>,
}

pub async fn consent(app: &Inbox, access: &Access, id: &str) -> AppResult<ConsentView> {
    let d = contact(app, access, id).await?;
    let mut c = app.db.conn().await?;
    let events = q::consent_events(&mut c, &access.workspace.id, &d.contact.id).await?;
    let mut channels: Vec<ChannelId> = d.channels.iter().map(|x| x.channel_id.clone()).collect();
    for e in &events {
        if !channels.contains(&e.channel_id) {
            channels.push(e.channel_id.clone());
        }
    }
    let state = channels
        .into_iter()
        .map(|ch| {
            let evs: Vec<(i64, ConsentChange)> = events
                .iter()
                .filter(|e| e.channel_id == ch)
                .filter_map(|e| ConsentChange::parse(&e.change).map(|c| (e.at, c)))
                .collect();
            (ch, consent_state(&evs))
        })
        .collect();
    Ok(ConsentView { state, events })
}

// ---- media ----

pub struct MediaFile {
    pub media: Media,
    pub bytes: Vec<u8>,
}

pub async fn media_file(app: &Inbox, access: &Access, id: &str) -> AppResult<MediaFile> {
    let nf = || AppError::not_found("The file");
    let id = MediaId::parse(id).ok_or_else(nf)?;
    let mut c = app.db.conn().await?;
    let m = q::media_in(&mut c, &access.workspace.id, &id).await?.ok_or_else(nf)?;
    drop(c);
    let Some(key) = m.blob_key.clone().filter(|_| m.status == "stored") else {
        return Err(AppError::new(
            ErrorKind::Conflict,
            "media_not_ready",
            "This file has not been fetched from the provider yet.",
        ));
    };
    let bytes = app.blobs.get(&key).await.map_err(|e| {
        tracing::error!(media = %m.id, error = %e, "stored media is missing");
        AppError::internal()
    })?;
    Ok(MediaFile { media: m, bytes })
}

// ---- settings ----

pub async fn set_reopen(app: &Inbox, access: &Access, reopen: bool) -> AppResult<()> {
    let ws = &access.workspace.id;
    let mut tx = app.db.begin().await?;
    ws_settings::set_inbox_reopen(&mut tx, ws, reopen).await?;
    audit::record(
        app,
        &mut tx,
        ws.as_str(),
        &access.actor,
        "inbox.settings",
        Some(("workspace", ws.as_str())),
        if reopen { "reopen" } else { "new_thread" },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn reopen(app: &Inbox, access: &Access) -> AppResult<bool> {
    let mut c = app.db.conn().await?;
    Ok(ws_settings::inbox_reopen(&mut c, &access.workspace.id).await?)
}

/// One message of a workspace (live streams look up what changed).
pub async fn message_in(
    c: &mut frontdesk_store::Conn,
    ws: &frontdesk_core::WorkspaceId,
    id: &frontdesk_core::MessageId,
) -> AppResult<Option<Message>> {
    Ok(q::message(c, ws, id).await?)
}

/// How a customer is named on a page: their name, else their phone or username, else what
/// the channel knows them as; never a bare id.
pub fn customer_label(name: Option<&str>, phone: Option<&str>, username: Option<&str>, channel_kind: &str) -> String {
    let pick = |v: Option<&str>| v.map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    pick(name)
        .or_else(|| pick(phone))
        .or_else(|| pick(username).map(|u| if u.starts_with('@') { u } else { format!("@{u}") }))
        .unwrap_or_else(|| {
            match channel_kind {
                "whatsapp" => "WhatsApp customer",
                "instagram" => "Instagram customer",
                "telegram" => "Telegram customer",
                _ => "Web chat visitor",
            }
            .to_string()
        })
}

/// How a contact is named on the contacts screen: their name, phone, email or username, else
/// "Unnamed contact" (an imported row may have only an email).
pub fn contact_label(k: &Contact) -> String {
    let pick = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    pick(&k.name)
        .or_else(|| pick(&k.phone))
        .or_else(|| pick(&k.email))
        .or_else(|| pick(&k.username).map(|u| if u.starts_with('@') { u } else { format!("@{u}") }))
        .unwrap_or_else(|| "Unnamed contact".to_string())
}

/// The label of a thread row's customer.
pub fn row_label(r: &ThreadRow) -> String {
    let c = r.contact.as_ref();
    customer_label(
        c.and_then(|c| c.name.as_deref()),
        c.and_then(|c| c.phone.as_deref()),
        c.and_then(|c| c.username.as_deref()),
        &r.channel_kind,
    )
}

/// What the workspace's Home shows of the inbox.
pub struct Dashboard {
    pub open: i64,
    pub unassigned: i64,
    /// Open and assigned to the person looking.
    pub mine: i64,
    /// Open conversations waiting for an answer, longest first (at most five).
    pub waiting: Vec<crate::repo::dashboard::Waiting>,
}

pub async fn dashboard(app: &Inbox, access: &Access, me: &UserId) -> AppResult<Dashboard> {
    let mut c = app.db.conn().await?;
    let ws = &access.workspace.id;
    let (open, unassigned, mine) = crate::repo::dashboard::counts(&mut c, ws, me).await?;
    let waiting = crate::repo::dashboard::waiting(&mut c, ws, 5).await?;
    Ok(Dashboard { open, unassigned, mine, waiting })
}
