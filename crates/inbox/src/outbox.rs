//! Replies: the outbox and its send worker.
//!
//! A reply is stored as a `queued` message with a `message.send` job in the same transaction,
//! before any provider call. The worker runs the policy gate again, marks the message in flight,
//! calls the provider once and records the outcome. Delivery is at most once: when the server
//! stops during the provider call, the claimed-again job finds the message still in flight and
//! marks it `failed` with `unknown_outcome` instead of sending it twice, unless a provider status
//! echoing our id (WhatsApp `biz_opaque_callback_data`) has already matched it.

use crate::attachments;
use crate::channels::{self, Channel};
use crate::live::live;
use crate::providers::{self, IgContent, SendError, TgContent, WaContent};
use crate::repo::channels as cq;
use crate::repo::inbox::{self as q, ConsentEvent, Media, Message, Thread};
use crate::{AppError, AppResult, Inbox};
use frontdesk_core::inbox::{consent_state, ChannelKind, ConsentChange, MessageStatus};
use frontdesk_core::policy::{self, Decision, Denial, SendContext, Sender};
use frontdesk_core::role::allows;
use frontdesk_core::{Action, ConsentEventId, JobId, MediaId, MessageId, ThreadId, Timestamp};
use frontdesk_platform::audit::{self, Actor};
use frontdesk_platform::error::ErrorKind;
use frontdesk_platform::jobs::{self, JobError};
use frontdesk_platform::workspaces::Access;
use frontdesk_store::Conn;

pub const SEND: &str = "message.send";
/// Attempts per message before it is marked failed (backoff 5 s, 10 s, 20 s … between them).
pub const MAX_ATTEMPTS: i64 = 8;
/// Longest reply text (WhatsApp's and Telegram's limit).
pub const MAX_TEXT: usize = 4096;
/// Prefix of our id in the provider's callback data.
pub const CALLBACK_PREFIX: &str = "fd:";

#[derive(Debug, Default, Clone)]
pub struct SendInput {
    pub text: String,
    /// A message of the same thread to quote.
    pub reply_to: Option<String>,
    pub idempotency_key: Option<String>,
    /// A file to send with the text (the text is then its caption and may be empty).
    pub attachment: Option<attachments::Upload>,
}

pub struct Queued {
    pub message: Message,
    /// `false` when an earlier request with the same Idempotency-Key created it.
    pub created: bool,
}

/// The gate's answer for a thread right now, for the composer and the API.
#[derive(Debug, Clone)]
pub struct ReplyState {
    pub decision: Decision,
}

impl ReplyState {
    pub fn allowed(&self) -> bool {
        self.decision.denial().is_none()
    }
    pub fn closes_at(&self) -> Option<i64> {
        match self.decision {
            Decision::Allow { closes_at, .. } => closes_at,
            Decision::Deny(_) => None,
        }
    }
}

fn thread_not_found() -> AppError {
    AppError::not_found("The thread")
}

/// The error an agent sees for a denial: 403 for the role, 409 for the thread's state.
pub fn denial_error(d: Denial) -> AppError {
    let kind = if d == Denial::NotPermitted { ErrorKind::Forbidden } else { ErrorKind::Conflict };
    AppError::new(kind, d.code(), d.message())
}

/// Reads everything the gate needs about (thread's channel, contact).
async fn context(
    c: &mut Conn,
    t: &Thread,
    ch: Option<&Channel>,
    may_send: bool,
    sender: Sender,
    now: Timestamp,
) -> AppResult<SendContext> {
    let contact = q::contact(c, &t.workspace_id, &t.contact_id).await?;
    let cc = q::contact_channel(c, &t.channel_id, &t.contact_id).await?;
    let events: Vec<(i64, ConsentChange)> = q::consent_events(c, &t.workspace_id, &t.contact_id)
        .await?
        .into_iter()
        .filter(|e| e.channel_id == t.channel_id)
        .filter_map(|e| ConsentChange::parse(&e.change).map(|k| (e.at, k)))
        .collect();
    Ok(SendContext {
        channel: ch.map(|c| c.kind).unwrap_or(ChannelKind::Webchat),
        channel_enabled: ch.is_some_and(|c| c.disabled_at.is_none()),
        may_send,
        sender,
        last_inbound_at: cc.as_ref().and_then(|c| c.last_inbound_at),
        window_closed_at: cc.as_ref().and_then(|c| c.window_closed_at),
        consent: consent_state(&events),
        contact_blocked: contact.is_none_or(|k| k.blocked_at.is_some()),
        now: now.0,
    })
}

/// What the gate says about replying in a thread now (the composer shows it).
pub async fn reply_state(app: &Inbox, access: &Access, thread: &str) -> AppResult<ReplyState> {
    let id = ThreadId::parse(thread).ok_or_else(thread_not_found)?;
    let ws = &access.workspace.id;
    let mut c = app.db.conn().await?;
    let t = q::thread(&mut c, ws, &id).await?.ok_or_else(thread_not_found)?;
    let ch = cq::in_workspace(&mut c, ws, &t.channel_id).await?;
    let may = allows(access.role, Action::SendMessages);
    let x = context(&mut c, &t, ch.as_ref(), may, Sender::Human, app.now()).await?;
    Ok(ReplyState { decision: policy::decide(&x) })
}

fn valid_key(k: &str) -> bool {
    (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic())
}

/// Queues a reply in a thread after the gate allowed it. Every decision is an audit row.
pub async fn send(app: &Inbox, access: &Access, thread: &str, input: SendInput) -> AppResult<Queued> {
    let id = ThreadId::parse(thread).ok_or_else(thread_not_found)?;
    let ws = &access.workspace.id;
    let text = input.text.trim().to_string();
    let file = input.attachment.map(|u| attachments::check(app, u)).transpose()?;
    if text.is_empty() && file.is_none() {
        return Err(AppError::invalid("text", "required", "Write a reply."));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(AppError::invalid("text", "too_long", format!("At most {MAX_TEXT} characters.")));
    }
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(AppError::invalid("text", "invalid_value", "Control characters are not allowed."));
    }
    let key = match input.idempotency_key.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) if !valid_key(k) => {
            return Err(AppError::invalid(
                "idempotency_key",
                "invalid_idempotency_key",
                "Use 1 to 255 visible ASCII characters.",
            ))
        }
        k => k.map(str::to_string),
    };
    let replay = |m: Message| -> AppResult<Queued> {
        if m.thread_id != id {
            return Err(AppError::new(
                ErrorKind::Conflict,
                "idempotency_key_reused",
                "This Idempotency-Key was already used for another message.",
            ));
        }
        Ok(Queued { message: m, created: false })
    };
    if let Some(k) = &key {
        let mut c = app.db.conn().await?;
        if let Some(m) = q::message_by_idempotency_key(&mut c, ws, k).await? {
            return replay(m);
        }
    }
    // A file is checked against the channel and stored before the transaction (no slow I/O
    // while holding it); a failed transaction leaves an unreferenced blob, never a lost reply.
    let stored = match file {
        None => None,
        Some(f) => {
            let mut c = app.db.conn().await?;
            let t = q::thread(&mut c, ws, &id).await?.ok_or_else(thread_not_found)?;
            let ch = cq::in_workspace(&mut c, ws, &t.channel_id).await?;
            let may = allows(access.role, Action::SendMessages);
            let x = context(&mut c, &t, ch.as_ref(), may, Sender::Human, app.now()).await?;
            drop(c);
            // Nothing is stored for a reply the gate refuses (it decides again, for good, below).
            if policy::decide(&x).denial().is_some() {
                let mut tx = app.db.begin().await?;
                let draft = Draft {
                    text: text.clone(),
                    reply_to: None,
                    key: None,
                    actor: &access.actor,
                    sender: Sender::Human,
                    may_send: may,
                    purpose: None,
                    file: None,
                };
                if let Queue::Denied(d) = queue(app, &mut tx, &t, draft).await? {
                    tx.commit().await?;
                    return Err(denial_error(d));
                }
                return Err(AppError::internal());
            }
            let kind = ch.as_ref().map(|c| c.kind).unwrap_or(ChannelKind::Webchat);
            attachments::channel_accepts(kind, &f, &text)?;
            let (media_id, key) = attachments::store(app, ws, &f).await?;
            Some(NewFile { media_id, key, file: f })
        }
    };
    let mut tx = app.db.begin().await?;
    let t = q::thread(&mut tx, ws, &id).await?.ok_or_else(thread_not_found)?;
    let reply_to = match input.reply_to.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(r) => {
            let bad = || AppError::invalid("reply_to", "invalid_reply_to", "Quote a message of this thread.");
            let mid = MessageId::parse(r).ok_or_else(bad)?;
            let m = q::message(&mut tx, ws, &mid).await?.filter(|m| m.thread_id == id).ok_or_else(bad)?;
            Some(m.provider_id.ok_or_else(|| {
                AppError::invalid("reply_to", "reply_to_not_sent", "That message has not reached the customer yet.")
            })?)
        }
    };
    let draft = Draft {
        text,
        reply_to,
        key: key.clone(),
        actor: &access.actor,
        sender: Sender::Human,
        may_send: allows(access.role, Action::SendMessages),
        purpose: None,
        file: stored,
    };
    let blob = draft.file.as_ref().map(|f| f.key.clone());
    let outcome = queue(app, &mut tx, &t, draft).await?;
    if let (Some(key), Queue::Denied(_) | Queue::KeyTaken) = (&blob, &outcome) {
        if let Err(e) = app.blobs.delete(key).await {
            tracing::warn!(error = %e, "an unsent file stays in the blob store");
        }
    }
    match outcome {
        Queue::Denied(d) => {
            tx.commit().await?;
            Err(denial_error(d))
        }
        Queue::KeyTaken => {
            // A concurrent request with the same key won.
            tx.rollback().await?;
            let mut c = app.db.conn().await?;
            let k = key.as_deref().ok_or_else(AppError::internal)?;
            let m = q::message_by_idempotency_key(&mut c, ws, k).await?.ok_or_else(AppError::internal)?;
            replay(m)
        }
        Queue::Queued(q) => {
            let (m, ch) = *q;
            tx.commit().await?;
            crate::notifications::mark_read(app, access, &id).await?;
            app.live.publish(live("message.created", &ch, &id, &t.contact_id, Some(&m.id)));
            Ok(Queued { message: m, created: true })
        }
    }
}

/// A reply about to be queued.
pub(crate) struct Draft<'a> {
    pub text: String,
    /// The provider id of the quoted message.
    pub reply_to: Option<String>,
    pub key: Option<String>,
    pub actor: &'a Actor,
    pub sender: Sender,
    pub may_send: bool,
    /// Why an automated message is sent ("away_reply"), added to its audit rows.
    pub purpose: Option<&'static str>,
    pub file: Option<NewFile>,
}

/// A checked file already in the blob store, waiting for its message.
pub(crate) struct NewFile {
    pub media_id: MediaId,
    pub key: String,
    pub file: attachments::Checked,
}

pub(crate) enum Queue {
    Queued(Box<(Message, Channel)>),
    Denied(Denial),
    /// Another message holds this Idempotency-Key (roll back and replay it).
    KeyTaken,
}

/// The gate, then the message stored `queued` with its send job, inside the caller's
/// transaction; the decision is audited either way. The caller commits and publishes.
pub(crate) async fn queue(app: &Inbox, tx: &mut Conn, t: &Thread, d: Draft<'_>) -> AppResult<Queue> {
    let ws = &t.workspace_id;
    let now = app.now();
    let ch = cq::in_workspace(tx, ws, &t.channel_id).await?;
    let x = context(tx, t, ch.as_ref(), d.may_send, d.sender, now).await?;
    let mut decision = policy::decide(&x);
    // The operator's plan (platform billing) comes after the customer's rules.
    if decision.denial().is_none() {
        match app.platform.entitlements().allow(tx, ws, frontdesk_platform::ports::Use::Send).await {
            Ok(()) => {}
            Err(e) if e.code == "workspace_restricted" => {
                decision = policy::Decision::Deny(Denial::WorkspaceRestricted)
            }
            Err(e) => return Err(e),
        }
    }
    let detail = |code: &str| match d.purpose {
        Some(p) => format!("{code}:{p}"),
        None => code.to_string(),
    };
    if let Some(denial) = decision.denial() {
        audit::record(
            app,
            tx,
            ws.as_str(),
            d.actor,
            "message.gate",
            Some(("thread", t.id.as_str())),
            &detail(denial.code()),
        )
        .await?;
        return Ok(Queue::Denied(denial));
    }
    let ch = ch.ok_or_else(AppError::internal)?;
    let m = Message {
        id: MessageId::new(),
        workspace_id: ws.clone(),
        thread_id: t.id.clone(),
        channel_id: t.channel_id.clone(),
        contact_id: t.contact_id.clone(),
        direction: "out".into(),
        kind: d.file.as_ref().map_or("text", |f| f.file.kind).into(),
        body: (!d.text.is_empty()).then(|| d.text.clone()),
        reply_to: d.reply_to,
        status: MessageStatus::Queued.as_str().into(),
        created_at: now.0,
        updated_at: now.0,
        author_kind: Some(d.actor.kind.to_string()),
        author_id: d.actor.id.clone(),
        idempotency_key: d.key,
        ..Default::default()
    };
    if !q::insert_message(tx, &m).await? {
        return Ok(Queue::KeyTaken);
    }
    let key = format!("message:{}", m.id);
    let meter = frontdesk_platform::ports::Meter::Message;
    if let Err(e) = app.platform.entitlements().charge(tx, ws, meter, 1, &key).await {
        if e.code != "insufficient_credit" {
            return Err(e);
        }
        // Beyond the quota and the wallet is empty: no message after all.
        frontdesk_store::row::execute(tx, "DELETE FROM messages WHERE id = $1", m.id.as_str()).await?;
        let denial = Denial::InsufficientCredit;
        audit::record(
            app,
            tx,
            ws.as_str(),
            d.actor,
            "message.gate",
            Some(("thread", t.id.as_str())),
            &detail(denial.code()),
        )
        .await?;
        return Ok(Queue::Denied(denial));
    }
    if let Some(f) = &d.file {
        let media = Media {
            id: f.media_id.clone(),
            workspace_id: ws.clone(),
            message_id: m.id.clone(),
            channel_id: t.channel_id.clone(),
            mime: Some(f.file.mime.to_string()),
            filename: Some(f.file.filename.clone()),
            sha256: Some(attachments::sha256_hex(&f.file.bytes)),
            size: Some(f.file.bytes.len() as i64),
            status: "stored".into(),
            blob_key: Some(f.key.clone()),
            created_at: now.0,
            ..Default::default()
        };
        q::insert_media(tx, &media).await?;
    }
    let preview: String = match &d.file {
        Some(f) if d.text.is_empty() => format!("📎 {}", f.file.filename),
        _ => d.text.chars().take(140).collect(),
    };
    q::thread_activity(tx, &t.id, now.0, false, Some(&preview), now).await?;
    jobs::enqueue_with_id(app, tx, &JobId::new(), SEND, m.id.as_str(), Some(&format!("send:{}", m.id)), MAX_ATTEMPTS)
        .await?;
    audit::record(app, tx, ws.as_str(), d.actor, "message.gate", Some(("message", m.id.as_str())), &detail("allowed"))
        .await?;
    Ok(Queue::Queued(Box::new((m, ch))))
}

/// The author of automated notices (a booking made in the conversation).
pub const NOTICE_AUTHOR: &str = "booking_notice";

/// Queues an automated notice in a thread inside the caller's transaction (a booking made from
/// this conversation), through the gate as [`Sender::Notice`]; the key makes a repeat a no-op.
/// Returns the denial when the gate refused it (audited as `message.gate`); the notice is then
/// simply not sent.
pub async fn queue_notice(
    app: &Inbox,
    tx: &mut Conn,
    ws: &frontdesk_core::WorkspaceId,
    thread: &ThreadId,
    text: String,
    key: &str,
) -> AppResult<Option<Denial>> {
    queue_system(app, tx, (ws, thread), text, key, "booking_notice").await
}

/// Queues an automated message for `purpose` (`booking_notice`, `privacy_code`) in a thread
/// inside the caller's transaction, through the gate as [`Sender::Notice`]; the key makes a
/// repeat a no-op; the denial when the gate refused it.
pub async fn queue_system(
    app: &Inbox,
    tx: &mut Conn,
    (ws, thread): (&frontdesk_core::WorkspaceId, &ThreadId),
    text: String,
    key: &str,
    purpose: &'static str,
) -> AppResult<Option<Denial>> {
    let Some(t) = q::thread(tx, ws, thread).await? else { return Ok(None) };
    if q::message_by_idempotency_key(tx, ws, key).await?.is_some() {
        return Ok(None);
    }
    let actor = Actor { kind: "system", id: Some(NOTICE_AUTHOR.into()), ip: None };
    let text: String = text.chars().take(MAX_TEXT).collect();
    let draft = Draft {
        text,
        reply_to: None,
        key: Some(key.to_string()),
        actor: &actor,
        sender: Sender::Notice,
        may_send: true,
        purpose: Some(purpose),
        file: None,
    };
    Ok(match queue(app, tx, &t, draft).await? {
        Queue::Denied(d) => Some(d),
        Queue::Queued(_) | Queue::KeyTaken => None,
    })
}

pub(crate) fn system() -> Actor {
    Actor { kind: "system", id: None, ip: None }
}

fn db(e: impl std::fmt::Display) -> JobError {
    JobError::Transient(e.to_string())
}

/// Marks a message failed, audits why and tells open inboxes.
async fn fail(
    app: &Inbox,
    m: &Message,
    ch: Option<&Channel>,
    failure: &str,
    provider_error: (Option<i64>, Option<&str>, Option<&str>),
) -> Result<(), JobError> {
    let now = app.now();
    let mut tx = app.db.begin().await.map_err(db)?;
    let changed = q::fail_message(&mut tx, &m.id, failure, provider_error, now).await.map_err(db)?;
    if changed {
        audit::record(
            app,
            &mut tx,
            m.workspace_id.as_str(),
            &system(),
            "message.send",
            Some(("message", m.id.as_str())),
            &format!("failed:{failure}"),
        )
        .await
        .map_err(db)?;
    }
    tx.commit().await.map_err(db)?;
    if let (true, Some(ch)) = (changed, ch) {
        app.live.publish(live("message.updated", ch, &m.thread_id, &m.contact_id, Some(&m.id)));
    }
    Ok(())
}

/// The `message.send` job: gate again, then one provider call.
pub async fn deliver(app: Inbox, job: frontdesk_platform::repo::jobs::Job) -> Result<(), JobError> {
    let id = MessageId::parse(&job.payload).ok_or_else(|| JobError::Permanent("bad message id".into()))?;
    let mut c = app.db.conn().await.map_err(db)?;
    let Some(m) = q::message_by_id(&mut c, &id).await.map_err(db)? else {
        return Ok(());
    };
    if m.status != MessageStatus::Queued.as_str() || m.direction != "out" {
        return Ok(());
    }
    let ch = cq::by_id(&mut c, &m.channel_id).await.map_err(db)?;
    if m.send_started_at.is_some() {
        drop(c);
        tracing::warn!(message = %m.id, "the server stopped during a send; outcome unknown, not resending");
        return fail(
            &app,
            &m,
            ch.as_ref(),
            "unknown_outcome",
            (None, Some("The server stopped while this message was being sent; check the conversation before sending it again."), None),
        )
        .await;
    }
    let Some(t) = q::thread(&mut c, &m.workspace_id, &m.thread_id).await.map_err(db)? else {
        return Ok(());
    };
    let sender = match (m.author_kind.as_deref(), m.author_id.as_deref()) {
        (Some("system"), Some(NOTICE_AUTHOR)) => Sender::Notice,
        (Some("system"), _) => Sender::Automated,
        _ => Sender::Human,
    };
    let x = context(&mut c, &t, ch.as_ref(), true, sender, app.now()).await.map_err(db)?;
    let decision = policy::decide(&x);
    if let Some(d) = decision.denial() {
        drop(c);
        let mut tx = app.db.begin().await.map_err(db)?;
        audit::record(
            &app,
            &mut tx,
            m.workspace_id.as_str(),
            &system(),
            "message.gate",
            Some(("message", m.id.as_str())),
            d.code(),
        )
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        return fail(&app, &m, ch.as_ref(), d.code(), (None, Some(d.message()), None)).await;
    }
    let ch = ch.ok_or_else(|| JobError::Permanent("channel gone".into()))?;
    let cc = q::contact_channel(&mut c, &m.channel_id, &m.contact_id)
        .await
        .map_err(db)?
        .ok_or_else(|| JobError::Permanent("no address for this contact".into()))?;
    if !q::begin_send(&mut c, &m.id, app.now()).await.map_err(db)? {
        return Ok(());
    }
    drop(c);
    let human_agent_tag = matches!(decision, Decision::Allow { human_agent_tag: true, .. });
    let result = call_provider(&app, &ch, &m, &cc.address, human_agent_tag).await;
    let now = app.now();
    match result {
        Ok(provider_id) => {
            let mut tx = app.db.begin().await.map_err(db)?;
            q::finish_send(&mut tx, &m.id, &provider_id, now).await.map_err(db)?;
            audit::record(
                &app,
                &mut tx,
                m.workspace_id.as_str(),
                &system(),
                "message.send",
                Some(("message", m.id.as_str())),
                "sent",
            )
            .await
            .map_err(db)?;
            tx.commit().await.map_err(db)?;
            app.live.publish(live("message.updated", &ch, &m.thread_id, &m.contact_id, Some(&m.id)));
            if ch.kind == ChannelKind::Whatsapp {
                mark_inbound_read(&app, &ch, &m).await;
            }
            Ok(())
        }
        Err(SendError::Transient { reason, retry_after_ms }) => {
            let mut c = app.db.conn().await.map_err(db)?;
            q::abandon_send(&mut c, &m.id, now).await.map_err(db)?;
            drop(c);
            if job.attempts >= job.max_attempts {
                fail(&app, &m, Some(&ch), "provider_unavailable", (None, Some(&reason), None)).await?;
                return Ok(());
            }
            Err(match retry_after_ms {
                Some(ms) => JobError::RetryAfter(reason, ms),
                None => JobError::Transient(reason),
            })
        }
        Err(SendError::Rejected { code, title, details }) => {
            let failure = provider_refusal(&app, &ch, &m, code, &title).await.map_err(db)?;
            fail(&app, &m, Some(&ch), failure, (code, Some(&title), details.as_deref())).await
        }
    }
}

async fn call_provider(
    app: &Inbox,
    ch: &Channel,
    m: &Message,
    address: &str,
    human_agent_tag: bool,
) -> Result<String, SendError> {
    let text = m.body.as_deref().unwrap_or_default();
    let file = if m.kind == "image" || m.kind == "document" {
        let gone = |why: String| SendError::Rejected { code: None, title: why, details: None };
        let mut c =
            app.db.conn().await.map_err(|e| SendError::Transient { reason: e.to_string(), retry_after_ms: None })?;
        let media = q::media_of_message(&mut c, &m.id)
            .await
            .map_err(|e| SendError::Transient { reason: e.to_string(), retry_after_ms: None })?
            .ok_or_else(|| gone("the file of this message is missing".into()))?;
        drop(c);
        let key = media.blob_key.clone().ok_or_else(|| gone("the file was never stored".into()))?;
        let bytes = app.blobs.get(&key).await.map_err(|e| gone(format!("the stored file cannot be read: {e}")))?;
        Some((media, bytes))
    } else {
        None
    };
    let part = file.as_ref().map(|(media, bytes)| providers::FilePart {
        bytes,
        mime: media.mime.as_deref().unwrap_or("application/octet-stream"),
        filename: media.filename.as_deref().unwrap_or("file"),
    });
    let secrets = channels::secrets_of(app, ch).map_err(|e| SendError::Rejected {
        code: None,
        title: format!("the channel's credentials cannot be read: {e}"),
        details: None,
    })?;
    let no_token =
        || SendError::Rejected { code: None, title: "the channel has no access token".into(), details: None };
    match ch.kind {
        ChannelKind::Whatsapp => {
            let token = secrets.access_token.as_deref().ok_or_else(no_token)?;
            let callback = format!("{CALLBACK_PREFIX}{}", m.id);
            let uploaded;
            let content = match &part {
                None => WaContent::Text(text),
                Some(p) => {
                    uploaded = providers::whatsapp_upload(app, token, &ch.account_id, p).await?;
                    WaContent::Media { kind: &m.kind, media_id: &uploaded, caption: text, filename: p.filename }
                }
            };
            providers::whatsapp_send(app, token, &ch.account_id, address, content, m.reply_to.as_deref(), &callback)
                .await
        }
        ChannelKind::Instagram => {
            let token = secrets.access_token.as_deref().ok_or_else(no_token)?;
            let link = file.as_ref().map(|(media, _)| attachments::signed_link(app, &media.id, app.now().0));
            let content = match &link {
                None => IgContent::Text(text),
                Some(url) => IgContent::Image(url),
            };
            providers::instagram_send(app, token, &ch.account_id, address, content, human_agent_tag).await
        }
        ChannelKind::Telegram => {
            let token = secrets.bot_token.as_deref().ok_or_else(no_token)?;
            let reply = m.reply_to.as_deref().and_then(|r| r.rsplit(':').next()).and_then(|n| n.parse::<i64>().ok());
            let content = match part {
                None => TgContent::Text(text),
                Some(file) => TgContent::File { kind: &m.kind, file, caption: text },
            };
            providers::telegram_send(app, token, address, content, reply).await
        }
        // The visitor's open page reads it from us: stored is sent.
        ChannelKind::Webchat => Ok(m.id.to_string()),
    }
}

/// What a provider's refusal means beyond this message: a closed window or an opt-out changes
/// the thread's state for every later reply. Returns our failure code.
async fn provider_refusal(
    app: &Inbox,
    ch: &Channel,
    m: &Message,
    code: Option<i64>,
    title: &str,
) -> AppResult<&'static str> {
    let kind = ch.kind;
    let effect = refusal_effect(kind, code, title);
    let mut tx = app.db.begin().await?;
    record_refusal(app, &mut tx, &mut audit::Heads::new(), ch, &m.contact_id, effect, &format!("send:{}", m.id))
        .await?;
    tx.commit().await?;
    Ok(match effect {
        Some(d) => d.code(),
        None => "provider_rejected",
    })
}

/// Which refusals change state: WhatsApp 131047 (window) and 131050 (stopped messages),
/// Instagram 2018278 (window), Telegram 403 "bot was blocked by the user".
pub fn refusal_effect(kind: ChannelKind, code: Option<i64>, title: &str) -> Option<Denial> {
    match (kind, code) {
        (ChannelKind::Whatsapp, Some(131047)) | (ChannelKind::Instagram, Some(2018278)) => {
            Some(Denial::ReplyWindowClosed)
        }
        (ChannelKind::Whatsapp, Some(131050)) => Some(Denial::ContactOptedOut),
        (ChannelKind::Telegram, Some(403)) if title.to_lowercase().contains("blocked") => Some(Denial::ContactOptedOut),
        _ => None,
    }
}

/// Records a provider-reported closed window or opt-out for (channel, contact), inside the
/// caller's transaction (the intake batch passes its audit heads).
pub async fn record_refusal(
    app: &Inbox,
    c: &mut Conn,
    heads: &mut audit::Heads,
    ch: &Channel,
    contact: &frontdesk_core::ContactId,
    effect: Option<Denial>,
    evidence: &str,
) -> AppResult<()> {
    let now = app.now();
    match effect {
        Some(Denial::ReplyWindowClosed) => q::close_window(c, &ch.id, contact, now.0).await?,
        Some(Denial::ContactOptedOut) => {
            let e = ConsentEvent {
                id: ConsentEventId::new(),
                contact_id: contact.clone(),
                channel_id: ch.id.clone(),
                change: ConsentChange::OptOut.as_str().into(),
                source: "provider".into(),
                evidence: evidence.to_string(),
                at: now.0,
                created_at: now.0,
            };
            if q::insert_consent(c, &ch.workspace_id, &e).await? {
                audit::record_batched(
                    app,
                    c,
                    heads,
                    ch.workspace_id.as_str(),
                    &system(),
                    "consent.opt_out",
                    Some(("contact", contact.as_str())),
                    "provider",
                )
                .await?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// WhatsApp: the customer's latest message in the thread is marked read once we answered.
async fn mark_inbound_read(app: &Inbox, ch: &Channel, m: &Message) {
    let Ok(secrets) = channels::secrets_of(app, ch) else { return };
    let Some(token) = secrets.access_token else { return };
    let latest = async {
        let mut c = app.db.conn().await.ok()?;
        q::latest_inbound(&mut c, &m.thread_id).await.ok().flatten()
    };
    if let Some(wamid) = latest.await {
        if let Err(e) = providers::whatsapp_mark_read(app, &token, &ch.account_id, &wamid).await {
            tracing::debug!(channel = %ch.id, error = ?e, "marking the customer's message read failed");
        }
    }
}
