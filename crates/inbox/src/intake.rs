//! The inbound pipeline. A webhook is verified on its raw bytes, stored as a raw event (the
//! same bytes on the same route are stored once) and answered at once; the intake worker then
//! claims pending events in batches and, in one transaction per batch, parses every item,
//! routes it to its channel, and upserts contact, thread and message (unique provider id per
//! channel), statuses, edits and consent, with an audit entry per routing decision. An event
//! is marked processed in the same transaction, so a crash at any point leaves it pending and
//! it is processed again, exactly once.

use crate::channels::{self, Channel};
use crate::live::{live, LiveEvent};
use crate::repo::channels as cq;
use crate::repo::inbox::{self as q, ConsentEvent, Contact, Media, Message};
use crate::repo::workspace_settings as wq;
use crate::{AppError, AppResult, Inbox};
use frontdesk_channels::{self as wire, Event, Item};
use frontdesk_core::audit::PLATFORM_CHAIN;
use frontdesk_core::inbox::{ChannelKind, ConsentChange, MessageStatus};
use frontdesk_core::{
    ChannelId, ConsentEventId, ContactId, InboundEventId, JobId, MediaId, MessageId, ThreadId, Timestamp,
};
use frontdesk_platform::audit::{self, Actor};
use frontdesk_platform::error::ErrorKind;
use frontdesk_platform::jobs::{self, JobError};
use frontdesk_store::{Backend, Conn};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::time::Duration;

/// Where a webhook arrived.
#[derive(Clone, Copy, Debug)]
pub enum Route<'a> {
    /// `/webhooks/{kind}/{channel id}`.
    Channel(ChannelKind, &'a str),
    /// `/webhooks/meta/{app id}`: every WhatsApp and Instagram channel of one Meta app.
    MetaApp(&'a str),
}

/// A webhook request, as far as intake cares.
pub struct Delivery<'a> {
    pub route: Route<'a>,
    /// `X-Hub-Signature-256`.
    pub signature: Option<&'a str>,
    /// `X-Telegram-Bot-Api-Secret-Token`.
    pub telegram_secret: Option<&'a str>,
    pub body: &'a [u8],
    pub ip: &'a str,
}

fn unknown_channel() -> AppError {
    AppError::new(ErrorKind::NotFound, "unknown_channel", "No channel is connected at this address.")
}

fn bad_signature() -> AppError {
    AppError::new(ErrorKind::Unauthenticated, "bad_signature", "The delivery's signature is missing or wrong.")
}

/// Unverified traffic is rate-limited per client address (verified traffic never is).
fn refuse(app: &Inbox, ip: &str, e: AppError) -> AppError {
    let rule = frontdesk_platform::ratelimit::Rule { max: app.inbox.unverified_per_minute, window_secs: 60 };
    match app.limits.hit(app.clock.as_ref(), format!("webhook-unverified|{ip}"), rule) {
        Ok(()) => e,
        Err(limited) => limited,
    }
}

async fn channel_for(app: &Inbox, kind: ChannelKind, id: &str) -> AppResult<Channel> {
    let id = ChannelId::parse(id).ok_or_else(unknown_channel)?;
    let mut c = app.db.conn().await?;
    let ch = cq::by_id(&mut c, &id).await?.ok_or_else(unknown_channel)?;
    if ch.kind != kind {
        return Err(unknown_channel());
    }
    Ok(ch)
}

async fn app_channels(app: &Inbox, app_id: &str) -> AppResult<Vec<Channel>> {
    if app_id.is_empty() || app_id.len() > 40 || !app_id.chars().all(|c| c.is_ascii_digit()) {
        return Err(unknown_channel());
    }
    let mut c = app.db.conn().await?;
    let list: Vec<Channel> =
        cq::by_any_app(&mut c, app_id).await?.into_iter().filter(|c| c.disabled_at.is_none()).collect();
    if list.is_empty() {
        return Err(unknown_channel());
    }
    Ok(list)
}

async fn audit_refusal(app: &Inbox, chain: &str, ip: &str, target: Option<(&str, &str)>, why: &str) {
    let actor = Actor { kind: "provider", id: None, ip: Some(ip.to_string()) };
    if let Err(e) = audit::record_alone(app, chain, &actor, "intake.reject", target, why).await {
        tracing::warn!(error = %e, "could not audit a refused delivery");
    }
}

/// Meta's subscription handshake: echo `hub.challenge` when the mode is `subscribe` and the
/// verify token matches the channel's (or, on the app route, one of the app's channels').
pub async fn handshake(
    app: &Inbox,
    route: Route<'_>,
    mode: Option<&str>,
    token: Option<&str>,
    challenge: Option<&str>,
    ip: &str,
) -> AppResult<String> {
    let forbidden = || AppError::new(ErrorKind::Forbidden, "verification_failed", "The verify token does not match.");
    let channels = match route {
        Route::Channel(kind, id) => vec![channel_for(app, kind, id).await.map_err(|e| refuse(app, ip, e))?],
        Route::MetaApp(a) => app_channels(app, a).await.map_err(|e| refuse(app, ip, e))?,
    };
    let (Some("subscribe"), Some(token), Some(challenge)) = (mode, token, challenge) else {
        return Err(refuse(app, ip, forbidden()));
    };
    for ch in &channels {
        let s = channels::secrets_of(app, ch)?;
        // A GET carries no signature, so the token only names a channel; a channel without an
        // app secret could never receive a delivery and does not answer for the app.
        if s.app_secret.as_deref().is_some_and(|k| !k.is_empty())
            && s.verify_token.as_deref().is_some_and(|v| wire::verify::same_secret(v, Some(token)))
        {
            return Ok(challenge.chars().take(200).collect());
        }
    }
    Err(refuse(app, ip, forbidden()))
}

/// Verifies a delivery and stores it. `Ok(true)` when it is new, `Ok(false)` for a redelivery
/// of the same bytes. Nothing is stored when verification fails.
pub async fn receive(app: &Inbox, d: Delivery<'_>) -> AppResult<bool> {
    let (route_key, provider, verified, audit_chain, target) = match d.route {
        Route::Channel(kind, id) => {
            let ch = match channel_for(app, kind, id).await {
                Ok(ch) => ch,
                Err(e) => return Err(refuse(app, d.ip, e)),
            };
            if ch.disabled_at.is_some() {
                audit_refusal(
                    app,
                    ch.workspace_id.as_str(),
                    d.ip,
                    Some(("channel", ch.id.as_str())),
                    "channel_disabled",
                )
                .await;
                return Err(refuse(
                    app,
                    d.ip,
                    AppError::new(ErrorKind::Gone, "channel_disabled", "This channel is disabled."),
                ));
            }
            let s = channels::secrets_of(app, &ch)?;
            let ok = match kind {
                ChannelKind::Telegram => {
                    s.secret_token.as_deref().is_some_and(|t| wire::verify::telegram_secret(t, d.telegram_secret))
                }
                ChannelKind::Whatsapp | ChannelKind::Instagram => s
                    .app_secret
                    .as_deref()
                    .is_some_and(|k| wire::verify::meta_signature(k.as_bytes(), d.signature, d.body)),
                ChannelKind::Webchat => false,
            };
            (ch.id.to_string(), kind.as_str(), ok, ch.workspace_id.to_string(), Some(ch.id.to_string()))
        }
        Route::MetaApp(a) => {
            let list = match app_channels(app, a).await {
                Ok(l) => l,
                Err(e) => return Err(refuse(app, d.ip, e)),
            };
            let mut ok = false;
            for ch in &list {
                let s = channels::secrets_of(app, ch)?;
                if s.app_secret
                    .as_deref()
                    .is_some_and(|k| wire::verify::meta_signature(k.as_bytes(), d.signature, d.body))
                {
                    ok = true;
                    break;
                }
            }
            (format!("app:{a}"), "meta", ok, PLATFORM_CHAIN.to_string(), None)
        }
    };
    if !verified {
        audit_refusal(app, &audit_chain, d.ip, target.as_deref().map(|t| ("channel", t)), "bad_signature").await;
        return Err(refuse(app, d.ip, bad_signature()));
    }
    let row = RawEvent {
        provider,
        route: route_key,
        sha256: hex::encode(Sha256::digest(d.body)),
        body: d.body.to_vec(),
        // Kept so intake can check, per item, that the channel it is for holds the secret
        // that signed these bytes (a signature header is ASCII hex, else it did not verify).
        signature: if provider == "telegram" { None } else { d.signature.map(|s| s.chars().take(200).collect()) },
    };
    let new = match app.intake_writer.get() {
        Some(w) => w.store(row).await?,
        None => {
            let mut tx = app.db.begin().await?;
            let new = insert_raw(app, &mut tx, &row).await?;
            tx.commit().await?;
            new
        }
    };
    if new {
        app.intake_notify.notify_one();
    }
    Ok(new)
}

/// A verified delivery on its way to `inbound_events`.
pub struct RawEvent {
    provider: &'static str,
    route: String,
    sha256: String,
    body: Vec<u8>,
    signature: Option<String>,
}

async fn insert_raw(app: &Inbox, c: &mut Conn, r: &RawEvent) -> AppResult<bool> {
    let e = cq::NewEvent {
        id: &InboundEventId::new(),
        provider: r.provider,
        route: &r.route,
        sha256: &r.sha256,
        body: &r.body,
        signature: r.signature.as_deref(),
    };
    Ok(cq::insert_event(c, e, app.now()).await?)
}

type Ack = tokio::sync::oneshot::Sender<Result<bool, String>>;

/// Group commit for raw events: concurrent webhook requests hand their delivery to one task,
/// which stores everything waiting in one transaction and then answers them all. Each request
/// is answered only after its row is committed.
#[derive(Clone)]
pub struct Writer {
    tx: tokio::sync::mpsc::Sender<(RawEvent, Ack)>,
}

impl Writer {
    async fn store(&self, r: RawEvent) -> AppResult<bool> {
        let (ack, done) = tokio::sync::oneshot::channel();
        let unavailable =
            || AppError::new(ErrorKind::Unavailable, "intake_unavailable", "The server is shutting down; retry.");
        self.tx.send((r, ack)).await.map_err(|_| unavailable())?;
        match done.await.map_err(|_| unavailable())? {
            Ok(new) => Ok(new),
            Err(e) => {
                tracing::warn!(error = %e, "storing a delivery failed");
                Err(unavailable())
            }
        }
    }
}

/// Starts the raw-event writer; it stops when `shutdown` flips to true, after storing what
/// was handed to it.
pub fn spawn_writer(app: &Inbox, mut shutdown: tokio::sync::watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<(RawEvent, Ack)>(4096);
    let _ = app.intake_writer.set(Writer { tx });
    let app = app.clone();
    tokio::spawn(async move {
        let mut stopping = false;
        loop {
            let first = if stopping {
                rx.try_recv().ok()
            } else {
                tokio::select! {
                    x = rx.recv() => x,
                    r = shutdown.changed() => {
                        stopping = r.is_err() || *shutdown.borrow();
                        continue;
                    }
                }
            };
            let Some(first) = first else { break };
            let mut batch = vec![first];
            while batch.len() < 512 {
                match rx.try_recv() {
                    Ok(x) => batch.push(x),
                    Err(_) => break,
                }
            }
            let result = async {
                let mut tx = app.db.begin().await?;
                let mut out = Vec::with_capacity(batch.len());
                for (r, _) in &batch {
                    out.push(insert_raw(&app, &mut tx, r).await?);
                }
                tx.commit().await?;
                Ok::<_, AppError>(out)
            }
            .await;
            let out: Vec<Result<bool, String>> = match result {
                Ok(out) => out.into_iter().map(Ok).collect(),
                // One delivery the database refuses must not fail the others it shared the
                // transaction with: each is stored again on its own, and only the ones that
                // fail alone are answered with an error.
                // (Not when the database is unreachable: each retry would wait out the pool
                // again, and every delivery gets the same answer anyway.)
                Err(e) if batch.len() > 1 && e.kind != ErrorKind::Unavailable => {
                    tracing::warn!(error = %e, "a batch of deliveries was refused; storing each on its own");
                    let mut out = Vec::with_capacity(batch.len());
                    for (r, _) in &batch {
                        let one = async {
                            let mut tx = app.db.begin().await?;
                            let new = insert_raw(&app, &mut tx, r).await?;
                            tx.commit().await?;
                            Ok::<_, AppError>(new)
                        }
                        .await;
                        out.push(one.map_err(|e| e.to_string()));
                    }
                    out
                }
                Err(e) => batch.iter().map(|_| Err(e.to_string())).collect(),
            };
            if out.iter().any(|n| matches!(n, Ok(true))) {
                app.intake_notify.notify_one();
            }
            for ((_, ack), r) in batch.into_iter().zip(out) {
                let _ = ack.send(r);
            }
        }
    })
}

// ---- the worker ----

/// Processes pending events until none is left; returns how many were handled.
pub async fn drain(app: &Inbox) -> AppResult<usize> {
    let mut n = 0;
    loop {
        let k = process_batch(app).await?;
        if k == 0 {
            return Ok(n);
        }
        n += k;
    }
}

/// Starts the intake worker; it stops when `shutdown` flips to true.
pub fn spawn_worker(app: Inbox, mut shutdown: tokio::sync::watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if *shutdown.borrow() {
                break;
            }
            let notified = app.intake_notify.notified();
            match process_batch(&app).await {
                Ok(0) => {}
                Ok(_) => continue,
                Err(e) => tracing::warn!(error = %e, "intake unavailable"),
            }
            tokio::select! {
                _ = notified => {}
                _ = tokio::time::sleep(Duration::from_millis(1000)) => {}
                _ = shutdown.changed() => {}
            }
        }
    })
}

const MAX_ATTEMPTS: i64 = 5;

/// One batch in one transaction. If anything in it fails, the batch is rolled back and its
/// events are processed one per transaction, so one bad event cannot hold up the others.
pub async fn process_batch(app: &Inbox) -> AppResult<usize> {
    let pg = app.db.backend() == Backend::Postgres;
    // A cheap read first, so an idle worker never takes the write lock.
    if !cq::any_pending(&mut *app.db.conn().await?).await? {
        return Ok(0);
    }
    let mut tx = app.db.begin().await?;
    let events = cq::claim_pending(&mut tx, pg, app.inbox.intake_batch).await?;
    if events.is_empty() {
        return Ok(0);
    }
    let mut ctx = Ctx::default();
    let mut failed = false;
    // Plainly processed events are marked in one statement at the end of the batch.
    let mut done = Vec::with_capacity(events.len());
    for ev in &events {
        match process_event(app, &mut tx, ev, &mut ctx).await {
            Ok(("processed", None)) => done.push(ev.id.clone()),
            Ok((status, reason)) => cq::finish_event(&mut tx, &ev.id, status, reason.as_deref(), app.now()).await?,
            Err(e) => {
                tracing::warn!(event = %ev.id, error = %e, "intake batch failed; retrying its events one by one");
                failed = true;
                break;
            }
        }
    }
    if !failed {
        for chunk in done.chunks(500) {
            cq::finish_processed(&mut tx, chunk, app.now()).await?;
        }
        tx.commit().await?;
        ctx.publish(app);
        return Ok(events.len());
    }
    tx.rollback().await?;
    for ev in &events {
        let mut ctx = Ctx::default();
        let mut tx = app.db.begin().await?;
        let Some(ev) = cq::claim_one(&mut tx, pg, &ev.id).await? else {
            continue;
        };
        match process_event(app, &mut tx, &ev, &mut ctx).await {
            Ok((status, reason)) => {
                cq::finish_event(&mut tx, &ev.id, status, reason.as_deref(), app.now()).await?;
                tx.commit().await?;
                ctx.publish(app);
            }
            Err(e) => {
                tx.rollback().await?;
                let mut c = app.db.conn().await?;
                cq::retry_event(&mut c, &ev.id, &e.to_string(), MAX_ATTEMPTS, app.now()).await?;
            }
        }
    }
    Ok(events.len())
}

/// Per-transaction caches and the live events to publish after the commit.
#[derive(Default)]
struct Ctx {
    channels: HashMap<String, Option<Channel>>,
    by_account: HashMap<(String, String), Vec<Channel>>,
    reopen: HashMap<String, bool>,
    /// Per workspace: its away reply, when on.
    away: HashMap<String, Option<crate::hours::AwayRule>>,
    /// Per workspace: its assistant, once set up.
    assistant: HashMap<String, Option<crate::assistant::Modes>>,
    live: Vec<LiveEvent>,
    heads: audit::Heads,
    /// Per channel: its app secret, opened from the vault once per batch.
    secrets: HashMap<String, Option<String>>,
    /// Per (event, channel): whether that channel's secret signed the event.
    signed: HashMap<(String, String), bool>,
}

impl Ctx {
    fn app_secret(&mut self, app: &Inbox, ch: &Channel) -> AppResult<Option<String>> {
        if let Some(s) = self.secrets.get(ch.id.as_str()) {
            return Ok(s.clone());
        }
        let s = channels::secrets_of(app, ch)?.app_secret.filter(|k| !k.is_empty());
        self.secrets.insert(ch.id.to_string(), s.clone());
        Ok(s)
    }

    fn publish(self, app: &Inbox) {
        for e in self.live {
            app.live.publish(e);
        }
    }
}

type Outcome = (&'static str, Option<String>);

async fn process_event(app: &Inbox, c: &mut Conn, ev: &cq::InboundEvent, ctx: &mut Ctx) -> AppResult<Outcome> {
    // Which channel (or app) the delivery came through.
    let (url_channel, app_id) = if let Some(a) = ev.route.strip_prefix("app:") {
        (None, Some(a.to_string()))
    } else {
        let Some(id) = ChannelId::parse(&ev.route) else {
            return Ok(("rejected", Some("unknown route".into())));
        };
        if !ctx.channels.contains_key(&ev.route) {
            let ch = cq::by_id(c, &id).await?;
            ctx.channels.insert(ev.route.clone(), ch);
        }
        let Some(ch) = ctx.channels.get(&ev.route).cloned().flatten() else {
            return Ok(("rejected", Some("the channel no longer exists".into())));
        };
        let a = ch.app_id.clone();
        (Some(ch), a)
    };
    let provider = match ev.provider.as_str() {
        "meta" => match serde_json::from_slice::<serde_json::Value>(&ev.body)
            .ok()
            .and_then(|v| v["object"].as_str().map(str::to_string))
        {
            Some(o) if o == "whatsapp_business_account" => "whatsapp",
            Some(o) if o == "instagram" => "instagram",
            _ => return Ok(("unparseable", Some("not a WhatsApp or Instagram delivery".into()))),
        },
        p => match p {
            "whatsapp" => "whatsapp",
            "instagram" => "instagram",
            "telegram" => "telegram",
            _ => return Ok(("rejected", Some(format!("unknown provider {p}")))),
        },
    };
    let parsed = match provider {
        "whatsapp" => wire::whatsapp::parse(&ev.body),
        "instagram" => wire::instagram::parse(&ev.body),
        _ => wire::telegram::parse(&ev.body),
    };
    let items = match parsed {
        Ok(items) => items,
        Err(u) => {
            if let Some(ch) = &url_channel {
                let actor = Actor { kind: "provider", id: None, ip: None };
                audit::record_batched(
                    app,
                    c,
                    &mut ctx.heads,
                    ch.workspace_id.as_str(),
                    &actor,
                    "intake.unparseable",
                    Some(("inbound_event", ev.id.as_str())),
                    "kept",
                )
                .await?;
            }
            return Ok(("unparseable", Some(u.reason)));
        }
    };
    let kind = ChannelKind::parse(provider).unwrap_or(ChannelKind::Telegram);
    let mut rejected = 0usize;
    for item in &items {
        let target = match kind {
            ChannelKind::Telegram => url_channel.clone().filter(|c| enabled_at(c, ev.received_at)),
            _ => route_item(app, c, ctx, kind, app_id.as_deref(), &item.account_id, ev, url_channel.as_ref()).await?,
        };
        let Some(ch) = target else {
            rejected += 1;
            let why = format!("no enabled {} channel for account {} on this app", kind.as_str(), item.account_id);
            let (chain, tgt) = match &url_channel {
                Some(u) => (u.workspace_id.to_string(), Some(u.id.to_string())),
                None => (PLATFORM_CHAIN.to_string(), None),
            };
            let actor = Actor { kind: "provider", id: None, ip: None };
            audit::record_batched(
                app,
                c,
                &mut ctx.heads,
                &chain,
                &actor,
                "intake.reject",
                tgt.as_deref().map(|t| ("channel", t)),
                "unknown_account",
            )
            .await?;
            tracing::warn!(event = %ev.id, reason = %why, "delivery item refused");
            continue;
        };
        if !apply(app, c, ctx, &ch, item).await? {
            rejected += 1;
        }
    }
    let reason = (rejected > 0).then(|| format!("{rejected} of {} items refused", items.len()));
    Ok(("processed", reason))
}

/// Whether a channel was enabled when a delivery was accepted: a delivery acknowledged to the
/// provider just before the channel was disabled is still stored, never silently dropped.
fn enabled_at(ch: &Channel, received_at: i64) -> bool {
    ch.disabled_at.is_none_or(|d| d > received_at)
}

/// The channel an item is for: the channel of the same Meta app owning the account id in the
/// payload, enabled when the delivery was accepted, **whose own app secret verifies the
/// delivery's bytes**. Meta app ids are not secret, so anyone can declare another business's app id
/// on a channel of their own; what proves a delivery is the secret that signed it. Two
/// channels that declare one app id with different secrets therefore stay apart (neither is
/// refused, or anyone could squat an app id), and channels sharing a real app (same secret)
/// each get their own accounts' items. Never another app's channel, never a guess.
#[allow(clippy::too_many_arguments)]
async fn route_item(
    app: &Inbox,
    c: &mut Conn,
    ctx: &mut Ctx,
    kind: ChannelKind,
    app_id: Option<&str>,
    account: &str,
    ev: &cq::InboundEvent,
    url_channel: Option<&Channel>,
) -> AppResult<Option<Channel>> {
    let Some(app_id) = app_id else { return Ok(None) };
    let key = (kind.as_str().to_string(), account.to_string());
    if !ctx.by_account.contains_key(&key) {
        let list = cq::by_account(c, kind.as_str(), account).await?;
        ctx.by_account.insert(key.clone(), list);
    }
    let candidates: Vec<Channel> = ctx.by_account[&key]
        .iter()
        .filter(|ch| enabled_at(ch, ev.received_at) && ch.app_id.as_deref() == Some(app_id))
        .cloned()
        .collect();
    for ch in candidates {
        if signed_by(app, ctx, &ch, ev, url_channel)? {
            return Ok(Some(ch));
        }
    }
    Ok(None)
}

/// Whether `ch`'s app secret signed the event's bytes. An event stored before signatures were
/// kept was verified with its URL channel's secret, so it may reach only channels holding that
/// same secret (an app-route event of that age reaches none).
fn signed_by(
    app: &Inbox,
    ctx: &mut Ctx,
    ch: &Channel,
    ev: &cq::InboundEvent,
    url_channel: Option<&Channel>,
) -> AppResult<bool> {
    let Some(secret) = ctx.app_secret(app, ch)? else { return Ok(false) };
    match ev.signature.as_deref() {
        // A delivery with many entries asks once per channel, not once per entry.
        Some(sig) => {
            let key = (ev.id.to_string(), ch.id.to_string());
            if let Some(v) = ctx.signed.get(&key) {
                return Ok(*v);
            }
            let v = wire::verify::meta_signature(secret.as_bytes(), Some(sig), &ev.body);
            ctx.signed.insert(key, v);
            Ok(v)
        }
        None => match url_channel {
            Some(u) => Ok(ctx.app_secret(app, u)?.is_some_and(|k| wire::verify::same_secret(&k, Some(&secret)))),
            None => Ok(false),
        },
    }
}

/// Applies one item to its channel; `false` when it had to be refused.
async fn apply(app: &Inbox, c: &mut Conn, ctx: &mut Ctx, ch: &Channel, item: &Item) -> AppResult<bool> {
    match &item.event {
        Event::Message(m) => apply_message(app, c, ctx, ch, m).await,
        Event::Status(s) => apply_status(app, c, ctx, ch, s).await.map(|_| true),
        Event::Edit(e) => apply_edit(app, c, ctx, ch, e).await.map(|_| true),
        Event::Consent(k) => apply_consent(app, c, ctx, ch, k).await,
    }
}

/// How a channel knows the sender, most stable first.
fn identities(kind: ChannelKind, s: &wire::Sender) -> Vec<(&'static str, String)> {
    let mut v = vec![];
    match kind {
        ChannelKind::Whatsapp => {
            if let Some(b) = s.bsuid.as_ref().filter(|b| !b.is_empty()) {
                v.push(("bsuid", b.clone()));
            }
            if let Some(p) = s.phone.as_ref().filter(|p| !p.is_empty()) {
                v.push(("phone", p.clone()));
            }
            if v.is_empty() && !s.id.is_empty() {
                v.push(("phone", s.id.clone()));
            }
        }
        ChannelKind::Instagram => v.push(("igsid", s.id.clone())),
        ChannelKind::Telegram => v.push(("user", s.id.clone())),
        ChannelKind::Webchat => v.push(("visitor", s.id.clone())),
    }
    v.retain(|(_, val)| !val.is_empty());
    v
}

fn clip(s: Option<&str>, max: usize) -> Option<String> {
    s.map(|s| s.trim()).filter(|s| !s.is_empty()).map(|s| s.chars().take(max).collect())
}

/// Finds the contact a channel knows by any of the sender's ids (adding the ids it did not
/// know yet), or creates one. One person never splits in two: a BSUID and a phone number in
/// the same payload land on the same contact.
pub(crate) async fn resolve_contact(
    app: &Inbox,
    c: &mut Conn,
    ch: &Channel,
    s: &wire::Sender,
) -> AppResult<Option<(ContactId, bool)>> {
    let kind = ch.kind;
    let ids = identities(kind, s);
    if ids.is_empty() {
        return Ok(None);
    }
    let now = app.now();
    let ws = &ch.workspace_id;
    let mut found = None;
    let mut known = 0;
    for (k, v) in &ids {
        match q::find_identity(c, &ch.id, k, v).await? {
            Some(id) if found.is_none() || found.as_ref() == Some(&id) => {
                found = Some(id);
                known += 1;
            }
            _ => {}
        }
    }
    // Someone typed this number on a contact (an import, an edit): a WhatsApp message from it
    // proves it is theirs, so the channel's ids join that contact instead of a new one.
    let owner = if found.is_none() && kind == ChannelKind::Whatsapp { typed_owner(c, ch, s).await? } else { None };
    if owner.is_some() {
        found = owner;
    }
    let is_new = found.is_none();
    let contact = match found {
        Some(id) => {
            if let Some(mut k) = q::contact_by_id(c, &id).await? {
                let mut changed = false;
                for (slot, val) in [
                    (&mut k.name, clip(s.name.as_deref(), 200)),
                    (&mut k.phone, clip(s.phone.as_deref(), 40)),
                    (&mut k.username, clip(s.username.as_deref(), 100)),
                    (&mut k.language, clip(s.language.as_deref(), 20)),
                ] {
                    if slot.is_none() && val.is_some() {
                        *slot = val;
                        changed = true;
                    }
                }
                if changed {
                    k.updated_at = now.0;
                    q::update_contact(c, &k).await?;
                }
            }
            id
        }
        None => {
            let k = Contact {
                id: ContactId::new(),
                workspace_id: ws.clone(),
                name: clip(s.name.as_deref(), 200),
                phone: clip(s.phone.as_deref(), 40),
                email: None,
                username: clip(s.username.as_deref(), 100),
                language: clip(s.language.as_deref(), 20),
                created_at: now.0,
                updated_at: now.0,
                blocked_at: None,
                erased_at: None,
                restricted_at: None,
            };
            q::insert_contact(c, &k).await?;
            let (k0, v0) = &ids[0];
            if !q::insert_identity(c, ws, &k.id, &ch.id, k0, v0, now).await? {
                // Another node created this person meanwhile: use theirs.
                q::delete_contact(c, &k.id).await?;
                q::find_identity(c, &ch.id, k0, v0).await?.ok_or_else(AppError::internal)?
            } else {
                k.id
            }
        }
    };
    // Ids seen with this person for the first time are attached to them (a new contact
    // already has the first one).
    if known < ids.len() {
        for (k, v) in ids.iter().skip(usize::from(is_new)) {
            q::insert_identity(c, ws, &contact, &ch.id, k, v, now).await?;
        }
    }
    Ok(Some((contact, is_new)))
}

/// The one contact whose typed phone is the WhatsApp sender's number and whom this channel
/// does not know yet (none, or two or more: nobody).
async fn typed_owner(c: &mut Conn, ch: &Channel, s: &wire::Sender) -> AppResult<Option<ContactId>> {
    let digits: String = s.phone.as_deref().unwrap_or(&s.id).chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 8 {
        return Ok(None);
    }
    let spellings = [format!("+{digits}"), digits];
    let found = crate::repo::contacts::typed_phone_owners(c, &ch.workspace_id, &ch.id, &spellings).await?;
    Ok(if found.len() == 1 { found.into_iter().next() } else { None })
}

/// The thread a new message of (channel, contact) belongs to: the open one; else, per the
/// workspace's setting, the last resolved one (reopened) or a new one, which starts with this
/// message (`true`: nothing more to update on it).
async fn thread_for(
    app: &Inbox,
    c: &mut Conn,
    ctx: &mut Ctx,
    ch: &Channel,
    contact: &ContactId,
    new_contact: bool,
    first: q::FirstMessage<'_>,
) -> AppResult<(ThreadId, bool)> {
    let now = app.now();
    if new_contact {
        // Nobody could have a thread with a contact created in this transaction.
        let id = ThreadId::new();
        let f = q::FirstMessage { preview: first.preview, ..first };
        if q::insert_thread(c, &id, &ch.workspace_id, &ch.id, contact, f, now).await? {
            return Ok((id, true));
        }
    }
    if let Some(t) = q::open_thread(c, &ch.id, contact).await? {
        return Ok((t.id, false));
    }
    let ws = ch.workspace_id.as_str().to_string();
    if !ctx.reopen.contains_key(&ws) {
        let r = wq::inbox_reopen(c, &ch.workspace_id).await?;
        ctx.reopen.insert(ws.clone(), r);
    }
    if ctx.reopen[&ws] {
        if let Some(t) = q::last_resolved_thread(c, &ch.id, contact).await? {
            q::set_thread_state(c, &ch.workspace_id, &t.id, "open", t.assignee_id.as_ref(), None, now).await?;
            return Ok((t.id, false));
        }
    }
    let id = ThreadId::new();
    if q::insert_thread(c, &id, &ch.workspace_id, &ch.id, contact, first, now).await? {
        return Ok((id, true));
    }
    Ok((q::open_thread(c, &ch.id, contact).await?.ok_or_else(AppError::internal)?.id, false))
}

fn preview(m: &wire::Message) -> String {
    let text = m.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let p = match (m.kind, text) {
        (wire::Kind::Text, Some(t)) => t.to_string(),
        (k, Some(t)) => format!("[{}] {t}", k.as_str()),
        (k, None) => format!("[{}]", k.as_str()),
    };
    p.chars().take(140).collect()
}

fn message_data(m: &wire::Message) -> Option<String> {
    let mut d = serde_json::Map::new();
    if let Some(x) = &m.media {
        d.insert("media".into(), json!(x));
    }
    if let Some(x) = &m.location {
        d.insert("location".into(), json!(x));
    }
    if let Some(x) = &m.contacts {
        d.insert("contacts".into(), x.clone());
    }
    if let Some(x) = &m.payload {
        d.insert("payload".into(), json!(x));
    }
    if let Some(x) = &m.reacts_to {
        d.insert("reacts_to".into(), json!(x));
    }
    (!d.is_empty()).then(|| serde_json::Value::Object(d).to_string())
}

fn provider_actor() -> Actor {
    Actor { kind: "provider", id: None, ip: None }
}

async fn apply_message(app: &Inbox, c: &mut Conn, ctx: &mut Ctx, ch: &Channel, m: &wire::Message) -> AppResult<bool> {
    if m.provider_id.is_empty() {
        return Ok(false);
    }
    // A redelivery, or an echo of something we sent, is matched, not stored twice.
    if q::message_by_provider_id(c, &ch.id, &m.provider_id).await?.is_some() {
        return Ok(true);
    }
    let Some((contact, new_contact)) = resolve_contact(app, c, ch, &m.sender).await? else {
        let actor = provider_actor();
        audit::record_batched(
            app,
            c,
            &mut ctx.heads,
            ch.workspace_id.as_str(),
            &actor,
            "intake.reject",
            Some(("channel", ch.id.as_str())),
            "unattributable",
        )
        .await?;
        return Ok(false);
    };
    let now = app.now();
    let at = if m.at_ms > 0 { m.at_ms } else { now.0 };
    let preview_text = preview(m);
    let first = q::FirstMessage { at: at.max(now.0), inbound: !m.echo, preview: Some(&preview_text) };
    let (thread, fresh) = thread_for(app, c, ctx, ch, &contact, new_contact, first).await?;
    let id = MessageId::new();
    let msg = Message {
        id: id.clone(),
        workspace_id: ch.workspace_id.clone(),
        thread_id: thread.clone(),
        channel_id: ch.id.clone(),
        contact_id: contact.clone(),
        direction: if m.echo { "out".into() } else { "in".into() },
        provider_id: Some(m.provider_id.clone()),
        kind: m.kind.as_str().into(),
        body: m.text.clone(),
        data: message_data(m),
        raw: Some(m.raw.to_string()),
        reply_to: m.reply_to.clone(),
        status: if m.echo { MessageStatus::Sent.as_str().into() } else { MessageStatus::Received.as_str().into() },
        provider_at: (m.at_ms > 0).then_some(m.at_ms),
        created_at: now.0,
        updated_at: now.0,
        ..Default::default()
    };
    if !q::insert_message(c, &msg).await? {
        return Ok(true);
    }
    if !fresh {
        q::thread_activity(c, &thread, at.max(now.0), !m.echo, Some(&preview_text), now).await?;
    }
    if !m.echo {
        q::touch_contact_channel(c, &ch.workspace_id, &ch.id, &contact, &m.sender.address, Some(at), now).await?;
    }
    if let Some(media) = &m.media {
        let mid = MediaId::new();
        q::insert_media(
            c,
            &Media {
                id: mid.clone(),
                workspace_id: ch.workspace_id.clone(),
                message_id: id.clone(),
                channel_id: ch.id.clone(),
                provider_media_id: media.media_id.clone(),
                url: media.url.clone(),
                mime: media.mime.clone(),
                filename: media.filename.clone(),
                sha256: media.sha256.clone(),
                size: media.size,
                status: "pending".into(),
                created_at: now.0,
                ..Default::default()
            },
        )
        .await?;
        jobs::enqueue_with_id(app, c, &JobId::new(), MEDIA_FETCH, mid.as_str(), Some(&format!("media:{mid}")), 8)
            .await?;
    }
    let actor = provider_actor();
    audit::record_batched(
        app,
        c,
        &mut ctx.heads,
        ch.workspace_id.as_str(),
        &actor,
        "message.receive",
        Some(("message", id.as_str())),
        &format!("thread:{thread}"),
    )
    .await?;
    let keyword = match (m.echo, m.kind) {
        (false, wire::Kind::Text) => m.text.as_deref().and_then(|t| app.inbox.keywords.classify(t)),
        _ => None,
    };
    if let Some(change) = keyword {
        record_consent(app, c, ctx, ch, &contact, change, "keyword", &m.provider_id, at).await?;
    } else if !m.echo {
        let ws = ch.workspace_id.as_str().to_string();
        if !ctx.away.contains_key(&ws) {
            let rule = crate::hours::away_rule(c, &ch.workspace_id).await?;
            ctx.away.insert(ws.clone(), rule);
        }
        if let Some(Some(rule)) = ctx.away.get(&ws) {
            crate::hours::after_inbound(app, c, rule, &ch.workspace_id, &thread, at.max(now.0)).await?;
        }
        if !ctx.assistant.contains_key(&ws) {
            let s = crate::assistant::rule(c, &ch.workspace_id).await?;
            ctx.assistant.insert(ws.clone(), s);
        }
        if let Some(Some(s)) = ctx.assistant.get(&ws) {
            crate::assistant::after_inbound(app, c, s, &ch.workspace_id, ch.id.as_str(), &id).await?;
        }
    }
    ctx.live.push(live("message.created", ch, &thread, &contact, Some(&id)));
    Ok(true)
}

/// Stores a message that did not come through a webhook (web chat) through the same path:
/// contact, thread, dedupe by provider id, consent keywords, audit, live event.
pub(crate) async fn store_direct(app: &Inbox, ch: &Channel, m: &wire::Message) -> AppResult<()> {
    let mut tx = app.db.begin().await?;
    let mut ctx = Ctx::default();
    apply_message(app, &mut tx, &mut ctx, ch, m).await?;
    tx.commit().await?;
    ctx.publish(app);
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn record_consent(
    app: &Inbox,
    c: &mut Conn,
    ctx: &mut Ctx,
    ch: &Channel,
    contact: &ContactId,
    change: ConsentChange,
    source: &str,
    evidence: &str,
    at: i64,
) -> AppResult<()> {
    let e = ConsentEvent {
        id: ConsentEventId::new(),
        contact_id: contact.clone(),
        channel_id: ch.id.clone(),
        change: change.as_str().into(),
        source: source.into(),
        evidence: evidence.chars().take(300).collect(),
        at,
        created_at: app.now().0,
    };
    if q::insert_consent(c, &ch.workspace_id, &e).await? {
        let action = match change {
            ConsentChange::OptOut => "consent.opt_out",
            ConsentChange::OptIn => "consent.opt_in",
        };
        audit::record_batched(
            app,
            c,
            &mut ctx.heads,
            ch.workspace_id.as_str(),
            &provider_actor(),
            action,
            Some(("contact", contact.as_str())),
            source,
        )
        .await?;
    }
    Ok(())
}

async fn apply_status(app: &Inbox, c: &mut Conn, ctx: &mut Ctx, ch: &Channel, s: &wire::Status) -> AppResult<()> {
    let now = app.now();
    let new = match s.status {
        wire::StatusKind::Sent => MessageStatus::Sent,
        wire::StatusKind::Delivered => MessageStatus::Delivered,
        wire::StatusKind::Read => MessageStatus::Read,
        wire::StatusKind::Failed => MessageStatus::Failed,
    };
    if s.provider_id.is_empty() {
        // Instagram read watermark: everything sent to this customer up to then is read.
        if let (Some(w), Some(r)) = (s.watermark_ms, s.recipient.as_ref()) {
            let sender = wire::Sender { id: r.clone(), address: r.clone(), ..Default::default() };
            for (k, v) in identities(ch.kind, &sender) {
                if let Some(contact) = q::find_identity(c, &ch.id, k, &v).await? {
                    q::read_up_to(c, &ch.id, &contact, w, now).await?;
                }
            }
        }
        return Ok(());
    }
    let mut found = q::message_by_provider_id(c, &ch.id, &s.provider_id).await?;
    if found.is_none() {
        // A send whose answer we never got (the server stopped mid-call): WhatsApp echoes our id.
        let ours = s.raw["biz_opaque_callback_data"]
            .as_str()
            .and_then(|d| d.strip_prefix(crate::outbox::CALLBACK_PREFIX))
            .and_then(MessageId::parse);
        if let Some(id) = ours {
            if q::reconcile_provider_id(c, &ch.id, &id, &s.provider_id, now).await? {
                tracing::info!(message = %id, "send outcome reconciled from a provider status");
                found = q::message_by_id(c, &id).await?;
            }
        }
    }
    let Some(m) = found else {
        tracing::debug!(channel = %ch.id, "status for a message we do not know");
        return Ok(());
    };
    let current = MessageStatus::parse(&m.status).ok_or_else(|| AppError::corrupt("messages.status", &m.status))?;
    let Some(next) = current.advance(new) else {
        return Ok(());
    };
    let err = s.error.as_ref().map(|e| (e.code, e.title.as_deref(), e.details.as_deref()));
    q::set_status(c, &m.id, next.as_str(), err, now).await?;
    if let (MessageStatus::Failed, Some(e)) = (next, &s.error) {
        // A refusal that arrives as a status (WhatsApp 131047 usually does) changes the thread.
        let effect = crate::outbox::refusal_effect(ch.kind, e.code, e.title.as_deref().unwrap_or(""));
        let failure = effect.map(|d| d.code()).unwrap_or("provider_rejected");
        q::set_failure(c, &m.id, failure).await?;
        crate::outbox::record_refusal(app, c, &mut ctx.heads, ch, &m.contact_id, effect, &format!("status:{}", m.id))
            .await?;
    }
    ctx.live.push(live("message.updated", ch, &m.thread_id, &m.contact_id, Some(&m.id)));
    Ok(())
}

async fn apply_edit(app: &Inbox, c: &mut Conn, ctx: &mut Ctx, ch: &Channel, e: &wire::Edit) -> AppResult<()> {
    let Some(m) = q::message_by_provider_id(c, &ch.id, &e.provider_id).await? else {
        return Ok(());
    };
    let mut data: serde_json::Map<String, serde_json::Value> =
        m.data.as_deref().and_then(|d| serde_json::from_str(d).ok()).unwrap_or_default();
    let history = data.entry("edits").or_insert_with(|| json!([]));
    if let Some(a) = history.as_array_mut() {
        a.push(json!({ "previous": m.body, "at": e.at_ms }));
    }
    if e.text.is_none() {
        data.insert("deleted".into(), json!(true));
    }
    let at = if e.at_ms > 0 { e.at_ms } else { app.now().0 };
    q::edit_message(c, &m.id, e.text.as_deref(), Some(&serde_json::Value::Object(data).to_string()), at, app.now())
        .await?;
    ctx.live.push(live("message.updated", ch, &m.thread_id, &m.contact_id, Some(&m.id)));
    Ok(())
}

async fn apply_consent(app: &Inbox, c: &mut Conn, ctx: &mut Ctx, ch: &Channel, k: &wire::Consent) -> AppResult<bool> {
    let Some((contact, _)) = resolve_contact(app, c, ch, &k.sender).await? else {
        return Ok(false);
    };
    let change = match k.change {
        wire::ConsentChange::OptOut => ConsentChange::OptOut,
        wire::ConsentChange::OptIn => ConsentChange::OptIn,
    };
    let at = if k.at_ms > 0 { k.at_ms } else { app.now().0 };
    record_consent(app, c, ctx, ch, &contact, change, k.source, &k.evidence, at).await?;
    Ok(true)
}

// ---- media ----

pub const MEDIA_FETCH: &str = "media.fetch";

/// Fetches a media file through its provider into the blob store.
pub async fn fetch_media(app: Inbox, job: frontdesk_platform::repo::jobs::Job) -> Result<(), JobError> {
    let db = |e: frontdesk_store::SqlError| JobError::Transient(e.to_string());
    let id = MediaId::parse(&job.payload).ok_or_else(|| JobError::Permanent("bad media id".into()))?;
    let mut c = app.db.conn().await.map_err(db)?;
    let Some(m) = q::media_by_id(&mut c, &id).await.map_err(db)? else {
        return Ok(());
    };
    if m.status == "stored" {
        return Ok(());
    }
    let ch = cq::by_id(&mut c, &m.channel_id)
        .await
        .map_err(db)?
        .ok_or_else(|| JobError::Permanent("channel gone".into()))?;
    drop(c);
    let secrets = channels::secrets_of(&app, &ch).map_err(|e| JobError::Permanent(e.to_string()))?;
    let missing = || JobError::Permanent("the provider gave no way to fetch this file".into());
    let result = match ch.kind {
        ChannelKind::Whatsapp => {
            let token = secrets.access_token.as_deref().ok_or_else(missing)?;
            crate::providers::whatsapp_media(&app, token, m.provider_media_id.as_deref().ok_or_else(missing)?).await
        }
        ChannelKind::Instagram => crate::providers::instagram_media(&app, m.url.as_deref().ok_or_else(missing)?).await,
        ChannelKind::Telegram => {
            let token = secrets.bot_token.as_deref().ok_or_else(missing)?;
            crate::providers::telegram_media(&app, token, m.provider_media_id.as_deref().ok_or_else(missing)?).await
        }
        ChannelKind::Webchat => Err(missing()),
    };
    let now = app.now();
    let mut c = app.db.conn().await.map_err(db)?;
    match result {
        Ok(d) => {
            let key = format!("media/{}/{}", m.workspace_id, m.id);
            app.blobs.put(&key, &d.bytes).await.map_err(|e| JobError::Transient(format!("blob store: {e}")))?;
            let mime = m.mime.clone().or(d.mime);
            q::finish_media(
                &mut c,
                &m.id,
                "stored",
                Some(&key),
                mime.as_deref(),
                Some(d.bytes.len() as i64),
                None,
                now,
            )
            .await
            .map_err(db)?;
            Ok(())
        }
        Err(JobError::Permanent(e)) => {
            q::finish_media(&mut c, &m.id, "failed", None, None, None, Some(&e), now).await.map_err(db)?;
            Err(JobError::Permanent(e))
        }
        Err(e) => Err(e),
    }
}

/// Deletes raw deliveries older than the configured days (pending ones stay).
pub async fn purge_raw_events(app: &Inbox) -> AppResult<u64> {
    let before = app.now().plus_millis(-app.inbox.raw_event_days * Timestamp::DAY);
    let mut c = app.db.conn().await?;
    Ok(cq::purge_events(&mut c, before).await?)
}

/// Counts for operators and metrics.
pub async fn pending(app: &Inbox) -> AppResult<i64> {
    let mut c = app.db.conn().await?;
    Ok(cq::count_pending(&mut c).await?)
}

/// Raw events kept as `unparseable` or `failed`, for operators.
pub async fn troubled_events(app: &Inbox, status: &str, limit: i64) -> AppResult<Vec<cq::InboundEvent>> {
    let mut c = app.db.conn().await?;
    Ok(cq::events_with_status(&mut c, status, limit).await?)
}
