//! Outgoing webhooks: a workspace's endpoints receive `message.created`, `message.status` and
//! `thread.updated` as thin JSON events (ids and times, never message content; the receiver
//! fetches what it needs through the API), signed like this:
//!
//! `Frontdesk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`
//!
//! Deliveries are rows (the log the workspace sees) sent by the job queue, retried with backoff
//! (12 attempts over about three hours), to URLs that pass the server-side-request-forgery guard
//! when saved and at every connection (`netguard`).

use crate::live::LiveEvent;
use crate::repo::webhooks as q;
use crate::Inbox;
use frontdesk_core::{JobId, WebhookDeliveryId, WebhookId};
use frontdesk_platform::audit;
use frontdesk_platform::error::{AppError, AppResult, ErrorKind};
use frontdesk_platform::jobs::{self, JobError};
use frontdesk_platform::repo::jobs::Job;
use frontdesk_platform::vault::Place;
use frontdesk_platform::workspaces::Access;
use hmac::{Hmac, Mac};
pub use q::{Delivery, Webhook};
use sha2::Sha256;

pub const DELIVER: &str = "webhook.deliver";
pub const EVENTS: &[&str] = &["message.created", "message.status", "thread.updated"];
pub const HEADER: &str = "Frontdesk-Signature";
const MAX_PER_WORKSPACE: usize = 10;
const MAX_ATTEMPTS: i64 = 12;

fn place<'a>(ws: &'a str, id: &'a str) -> Place<'a> {
    Place { workspace: ws, table: "webhooks", column: "secret", row: id }
}

fn not_found() -> AppError {
    AppError::not_found("The webhook")
}

/// `t=…,v1=…` for a body sent at `t` (unix seconds).
pub fn signature(secret: &str, t: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{t}.{body}").as_bytes());
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// The signing secret, for its owners to copy into the receiver.
pub fn secret_of(app: &Inbox, w: &Webhook) -> AppResult<String> {
    let bytes = app.vault.open(place(w.workspace_id.as_str(), w.id.as_str()), &w.secret).map_err(|e| {
        tracing::error!(error = %e, webhook = %w.id, "webhook secret cannot be opened");
        AppError::internal()
    })?;
    String::from_utf8(bytes).map_err(|_| AppError::internal())
}

pub async fn create(app: &Inbox, access: &Access, url: &str, events: Option<Vec<String>>) -> AppResult<Webhook> {
    let url = frontdesk_platform::netguard::check_url(url, &app.settings.allow_private)
        .map_err(|e| AppError { field: Some("url"), ..e })?
        .to_string();
    let events = match events {
        None => EVENTS.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
        Some(list) => {
            let mut out: Vec<String> = vec![];
            for e in list {
                if !EVENTS.contains(&e.as_str()) {
                    return Err(AppError::invalid(
                        "events",
                        "unknown_event",
                        format!("{e:?} is not an event; use {}.", EVENTS.join(", ")),
                    ));
                }
                if !out.contains(&e) {
                    out.push(e);
                }
            }
            if out.is_empty() {
                return Err(AppError::invalid("events", "required", "Choose at least one event."));
            }
            out
        }
    };
    let ws = &access.workspace.id;
    let mut tx = app.db.begin().await?;
    if q::list(&mut tx, ws).await?.len() >= MAX_PER_WORKSPACE {
        return Err(AppError::new(
            ErrorKind::Conflict,
            "too_many_webhooks",
            format!("A workspace has at most {MAX_PER_WORKSPACE} webhooks."),
        ));
    }
    let id = WebhookId::new();
    let secret = format!("whsec_{}", frontdesk_platform::crypto::random_token());
    let now = app.now().0;
    let w = Webhook {
        secret: app.vault.seal(place(ws.as_str(), id.as_str()), secret.as_bytes()),
        id,
        workspace_id: ws.clone(),
        url,
        events,
        disabled_at: None,
        created_at: now,
        updated_at: now,
    };
    q::insert(&mut tx, &w).await?;
    audit::record(app, &mut tx, ws.as_str(), &access.actor, "webhook.create", Some(("webhook", w.id.as_str())), "ok")
        .await?;
    tx.commit().await?;
    Ok(w)
}

pub async fn list(app: &Inbox, access: &Access) -> AppResult<Vec<Webhook>> {
    let mut c = app.db.conn().await?;
    Ok(q::list(&mut c, &access.workspace.id).await?)
}

pub async fn get(app: &Inbox, access: &Access, id: &str) -> AppResult<Webhook> {
    let id = WebhookId::parse(id).ok_or_else(not_found)?;
    let mut c = app.db.conn().await?;
    q::get(&mut c, &access.workspace.id, &id).await?.ok_or_else(not_found)
}

pub async fn delete(app: &Inbox, access: &Access, id: &str) -> AppResult<()> {
    let id = WebhookId::parse(id).ok_or_else(not_found)?;
    let ws = &access.workspace.id;
    let mut tx = app.db.begin().await?;
    if !q::delete(&mut tx, ws, &id).await? {
        return Err(not_found());
    }
    audit::record(app, &mut tx, ws.as_str(), &access.actor, "webhook.delete", Some(("webhook", id.as_str())), "ok")
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn deliveries(app: &Inbox, access: &Access, id: &str, limit: i64) -> AppResult<Vec<Delivery>> {
    let w = get(app, access, id).await?;
    let mut c = app.db.conn().await?;
    Ok(q::deliveries(&mut c, &access.workspace.id, &w.id, limit.clamp(1, 200)).await?)
}

/// The webhook event name of a live event.
fn event_name(kind: &str) -> Option<&'static str> {
    match kind {
        "message.created" => Some("message.created"),
        "message.updated" => Some("message.status"),
        "thread.updated" => Some("thread.updated"),
        _ => None,
    }
}

/// Writes one delivery (and its job) per subscribed, enabled webhook of the event's workspace.
pub async fn dispatch(app: &Inbox, e: &LiveEvent) -> AppResult<usize> {
    let Some(event) = event_name(e.kind) else { return Ok(0) };
    let Some(ws) = frontdesk_core::WorkspaceId::parse(&e.workspace_id) else { return Ok(0) };
    let mut tx = app.db.begin().await?;
    let hooks: Vec<Webhook> = q::list(&mut tx, &ws)
        .await?
        .into_iter()
        .filter(|w| w.disabled_at.is_none() && w.events.iter().any(|x| x == event))
        .collect();
    if hooks.is_empty() {
        return Ok(0);
    }
    let now = app.now();
    for w in &hooks {
        let id = WebhookDeliveryId::new();
        let payload = serde_json::json!({
            "id": id, "type": event, "created_at": now.to_rfc3339(), "workspace_id": e.workspace_id,
            "data": { "thread_id": e.thread_id, "message_id": e.message_id, "channel_id": e.channel_id, "contact_id": e.contact_id },
        })
        .to_string();
        let d = Delivery {
            id: id.clone(),
            webhook_id: w.id.clone(),
            workspace_id: ws.clone(),
            event: event.to_string(),
            payload,
            status: "pending".into(),
            attempts: 0,
            response_status: None,
            error: None,
            created_at: now.0,
            updated_at: now.0,
        };
        q::insert_delivery(&mut tx, &d).await?;
        jobs::enqueue_with_id(app, &mut tx, &JobId::new(), DELIVER, id.as_str(), Some(id.as_str()), MAX_ATTEMPTS)
            .await?;
    }
    tx.commit().await?;
    app.jobs_notify.notify_one();
    Ok(hooks.len())
}

/// Turns the events this node publishes into deliveries (other nodes do their own).
pub fn spawn_dispatcher(app: Inbox, mut shutdown: tokio::sync::watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
    let mut rx = app.live.local_events();
    tokio::spawn(async move {
        loop {
            let e = tokio::select! {
                e = rx.recv() => match e { Some(e) => e, None => break },
                _ = shutdown.changed() => break,
            };
            if let Err(err) = dispatch(&app, &e).await {
                tracing::warn!(code = err.code, "webhook deliveries not written");
            }
        }
    })
}

fn db(e: impl std::fmt::Display) -> JobError {
    JobError::Transient(e.to_string())
}

/// The delivery job: one signed POST; 2xx is delivered, anything else is retried with backoff
/// until the last attempt marks the delivery failed.
pub async fn deliver(app: Inbox, job: Job) -> Result<(), JobError> {
    let id = WebhookDeliveryId::parse(&job.payload).ok_or_else(|| JobError::Permanent("bad delivery id".into()))?;
    let mut c = app.db.conn().await.map_err(db)?;
    let Some(d) = q::delivery_by_id(&mut c, &id).await.map_err(db)? else { return Ok(()) };
    if d.status != "pending" {
        return Ok(());
    }
    let now = app.now();
    let Some(w) = q::by_id(&mut c, &d.webhook_id).await.map_err(db)?.filter(|w| w.disabled_at.is_none()) else {
        q::record_attempt(&mut c, &id, "failed", None, Some("webhook_disabled"), now.0).await.map_err(db)?;
        return Ok(());
    };
    drop(c);
    let last = job.attempts >= job.max_attempts;
    let outcome: Result<u16, String> = async {
        let url =
            frontdesk_platform::netguard::check_url(&w.url, &app.settings.allow_private).map_err(|e| e.message)?;
        let secret = secret_of(&app, &w).map_err(|_| "secret unavailable".to_string())?;
        let sig = signature(&secret, now.0 / 1000, &d.payload);
        let r = app
            .tenant_http
            .post(url)
            .header("content-type", "application/json")
            .header("user-agent", "Frontdesk-Webhooks/1")
            .header(HEADER, sig)
            .header("Frontdesk-Event", d.event.as_str())
            .header("Frontdesk-Delivery", d.id.as_str())
            .body(d.payload.clone())
            .send()
            .await
            .map_err(|e| {
                let mut s = e.to_string();
                let mut src = std::error::Error::source(&e);
                while let Some(x) = src {
                    s = format!("{s}: {x}");
                    src = x.source();
                }
                s
            })?;
        Ok(r.status().as_u16())
    }
    .await;
    let mut c = app.db.conn().await.map_err(db)?;
    let now = app.now().0;
    match outcome {
        Ok(code) if (200..300).contains(&code) => {
            q::record_attempt(&mut c, &id, "delivered", Some(code as i64), None, now).await.map_err(db)?;
            Ok(())
        }
        other => {
            let (code, error) = match other {
                Ok(code) => (Some(code as i64), format!("HTTP {code}")),
                Err(e) => (None, e.chars().take(500).collect()),
            };
            let status = if last { "failed" } else { "pending" };
            q::record_attempt(&mut c, &id, status, code, Some(&error), now).await.map_err(db)?;
            if last {
                Ok(())
            } else {
                Err(JobError::Transient(error))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_over_time_dot_body() {
        // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
        assert_eq!(
            signature("whsec_test", 1_700_000_000, r#"{"a":1}"#),
            "t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789"
        );
    }
}
