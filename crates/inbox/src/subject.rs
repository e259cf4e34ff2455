//! The inbox's part in data-subject requests ([`frontdesk_platform::ports::Subject`]): a
//! contact's identities, conversations, notes, attachments and consent, exported as JSON with
//! the attachments' files, and erased by the registry's action for each column: identities,
//! channel addresses, notes, drafts and web-chat visitors deleted; message text, extras and the
//! provider's JSON, previews, thread notes and attachments' names and links cleared (the blobs
//! deleted after the transaction); the contact's row kept, anonymised (`erased_at`), so the
//! threads, bookings and payments that name it stay whole; raw deliveries that carry one of the
//! person's identities deleted. Restriction and withdrawal of consent are the contact's too.

use crate::Inbox;
use frontdesk_core::{ChannelId, ConsentEventId, ContactId, UserId, WorkspaceId};
use frontdesk_platform::error::AppResult;
use frontdesk_platform::ports::{Erased, Fut, Held, Person, Subject};
use frontdesk_store::{row, Conn};
use serde_json::{json, Value};

/// The inbox as a data subject's area (registered by the server).
#[derive(Clone)]
pub struct InboxSubject(pub Inbox);

const THREADS: &str = "SELECT id FROM threads WHERE workspace_id = $1 AND contact_id = $2";

fn text(r: &row::AnyRow, k: &str) -> Value {
    row::opt_str(r, k).map(Value::String).unwrap_or(Value::Null)
}

fn num(r: &row::AnyRow, k: &str) -> Value {
    row::opt_i64(r, k).map(Value::from).unwrap_or(Value::Null)
}

async fn rows(c: &mut Conn, sql: &str, who: &Person, cols: &[(&'static str, bool)]) -> AppResult<Vec<Value>> {
    Ok(row::all_with(c, sql, (&who.workspace, who.contact.as_str()), |r| {
        let mut o = serde_json::Map::new();
        for (k, is_num) in cols {
            o.insert((*k).to_string(), if *is_num { num(r, k) } else { text(r, k) });
        }
        Ok(Value::Object(o))
    })
    .await?)
}

/// The values that name the person in this workspace (email, phone, names, channel identities).
pub async fn identities(c: &mut Conn, ws: &WorkspaceId, contact: &ContactId) -> AppResult<Vec<String>> {
    let mut out: Vec<String> = row::scalars(
        c,
        "SELECT value FROM contact_identities WHERE workspace_id = $1 AND contact_id = $2",
        (ws, contact.as_str()),
    )
    .await?;
    out.extend(
        row::scalars::<String>(
            c,
            "SELECT address FROM contact_channels WHERE workspace_id = $1 AND contact_id = $2",
            (ws, contact.as_str()),
        )
        .await?,
    );
    if let Some(k) = crate::repo::inbox::contact(c, ws, contact).await? {
        out.extend([k.email, k.phone, k.username, k.name].into_iter().flatten());
    }
    out.retain(|v| v.trim().chars().count() >= 4);
    out.sort();
    out.dedup();
    Ok(out)
}

async fn export(app: &Inbox, c: &mut Conn, who: &Person) -> AppResult<Held> {
    let mut held = Held::default();
    let contact = rows(
        c,
        "SELECT name, email, phone, username, language, created_at FROM contacts WHERE workspace_id = $1 AND id = $2",
        who,
        &[
            ("name", false),
            ("email", false),
            ("phone", false),
            ("username", false),
            ("language", false),
            ("created_at", true),
        ],
    )
    .await?;
    let Some(contact) = contact.into_iter().next() else { return Ok(held) };
    let identities = rows(
        c,
        "SELECT kind, value, created_at FROM contact_identities WHERE workspace_id = $1 AND contact_id = $2",
        who,
        &[("kind", false), ("value", false), ("created_at", true)],
    )
    .await?;
    let notes = rows(
        c,
        "SELECT body, created_at FROM contact_notes WHERE workspace_id = $1 AND contact_id = $2 ORDER BY created_at",
        who,
        &[("body", false), ("created_at", true)],
    )
    .await?;
    let consent = rows(
        c,
        "SELECT channel_id, change, source, at FROM consent_events WHERE workspace_id = $1 AND contact_id = $2 ORDER BY at",
        who,
        &[("channel_id", false), ("change", false), ("source", false), ("at", true)],
    )
    .await?;
    held.files.push((
        "contact.json".into(),
        json!({ "contact": contact, "identities": identities, "notes": notes, "consent": consent }),
    ));
    let messages = rows(
        c,
        &format!(
            "SELECT thread_id, channel_id, direction, kind, body, data, status, created_at FROM messages \
             WHERE workspace_id = $1 AND thread_id IN ({THREADS}) ORDER BY created_at, id"
        ),
        who,
        &[
            ("thread_id", false),
            ("channel_id", false),
            ("direction", false),
            ("kind", false),
            ("body", false),
            ("data", false),
            ("status", false),
            ("created_at", true),
        ],
    )
    .await?;
    held.files.push(("messages.json".into(), json!({ "messages": messages })));
    let media: Vec<(String, Option<String>, Option<String>)> = row::all_with(
        c,
        &format!(
            "SELECT m.id, m.filename, m.blob_key FROM media m JOIN messages x ON x.id = m.message_id \
             WHERE m.workspace_id = $1 AND x.thread_id IN ({THREADS}) AND m.blob_key IS NOT NULL"
        ),
        (&who.workspace, who.contact.as_str()),
        |r| Ok((row::FromColumn::from_column(r, "id")?, row::opt_str(r, "filename"), row::opt_str(r, "blob_key"))),
    )
    .await?;
    for (id, name, key) in media {
        let Some(key) = key else { continue };
        let safe: String = name
            .unwrap_or_else(|| "file".into())
            .chars()
            .map(|ch| if ch.is_alphanumeric() || ".-_".contains(ch) { ch } else { '_' })
            .take(80)
            .collect();
        held.blobs.push((format!("attachments/{id}-{safe}"), key));
    }
    let _ = app;
    Ok(held)
}

async fn erase(app: &Inbox, c: &mut Conn, who: &Person) -> AppResult<Erased> {
    let (ws, contact) = (&who.workspace, &who.contact);
    let args = || (ws, contact.as_str());
    let mut done = Erased::default();
    let Some(k) = crate::repo::inbox::contact(c, ws, contact).await? else { return Ok(done) };
    let values = identities(c, ws, contact).await?;
    // Raw deliveries on the person's channels that carry one of their identities.
    let channels: Vec<String> =
        row::scalars(c, "SELECT DISTINCT channel_id FROM threads WHERE workspace_id = $1 AND contact_id = $2", args())
            .await?;
    let channels: Vec<ChannelId> = channels.iter().filter_map(|c| ChannelId::parse(c)).collect();
    if !channels.is_empty() && !values.is_empty() {
        // The channels' own routes and Meta's app-level route, read once.
        let sql = format!(
            "SELECT id, body FROM inbound_events WHERE route IN ({}) OR route LIKE 'app:%'",
            row::placeholders(1, channels.len())
        );
        let raw: Vec<(String, Vec<u8>)> = row::all_with(c, &sql, channels.as_slice(), |r| {
            Ok((row::FromColumn::from_column(r, "id")?, row::FromColumn::from_column(r, "body")?))
        })
        .await?;
        for (id, body) in raw {
            let body = String::from_utf8_lossy(&body);
            if values.iter().any(|v| body.contains(v.as_str())) {
                done.rows += row::changed(c, "DELETE FROM inbound_events WHERE id = $1", id.as_str()).await?;
            }
        }
    }
    done.blobs = row::scalars(
        c,
        &format!(
            "SELECT m.blob_key FROM media m JOIN messages x ON x.id = m.message_id \
             WHERE m.workspace_id = $1 AND x.thread_id IN ({THREADS}) AND m.blob_key IS NOT NULL"
        ),
        args(),
    )
    .await?;
    // Provider ids that carry the person's (Telegram's `<chat>:<message>`): their hash, so a
    // redelivery still finds the message and stores nothing new.
    let ids: Vec<(String, String)> = row::all_with(
        c,
        &format!(
            "SELECT id, provider_id FROM messages WHERE workspace_id = $1 AND thread_id IN ({THREADS}) \
             AND provider_id IS NOT NULL AND provider_id NOT LIKE 'erased-%'"
        ),
        args(),
        |r| Ok((row::FromColumn::from_column(r, "id")?, row::FromColumn::from_column(r, "provider_id")?)),
    )
    .await?;
    for (id, pid) in ids {
        use sha2::Digest;
        let hashed = format!("erased-{}", hex::encode(sha2::Sha256::digest(pid.as_bytes())));
        done.rows +=
            row::changed(c, "UPDATE messages SET provider_id = $1 WHERE id = $2", (hashed.as_str(), id.as_str()))
                .await?;
    }
    let statements = [
        format!(
            "UPDATE media SET blob_key = NULL, filename = NULL, url = NULL, provider_media_id = NULL WHERE workspace_id = $1 \
             AND message_id IN (SELECT id FROM messages WHERE workspace_id = $1 AND thread_id IN ({THREADS}))"
        ),
        format!("UPDATE messages SET body = NULL, data = NULL, raw = NULL WHERE workspace_id = $1 AND thread_id IN ({THREADS})"),
        "UPDATE threads SET preview = NULL WHERE workspace_id = $1 AND contact_id = $2".into(),
        format!("UPDATE thread_notes SET body = '' WHERE workspace_id = $1 AND thread_id IN ({THREADS})"),
        format!("DELETE FROM ai_drafts WHERE workspace_id = $1 AND thread_id IN ({THREADS})"),
        "DELETE FROM contact_notes WHERE workspace_id = $1 AND contact_id = $2".into(),
        "DELETE FROM contact_identities WHERE workspace_id = $1 AND contact_id = $2".into(),
        "DELETE FROM contact_channels WHERE workspace_id = $1 AND contact_id = $2".into(),
        "DELETE FROM webchat_visitors WHERE workspace_id = $1 AND contact_id = $2".into(),
    ];
    for sql in &statements {
        done.rows += row::changed(c, sql, args()).await?;
    }
    if k.erased_at.is_none() {
        done.rows += row::changed(
            c,
            "UPDATE contacts SET name = $1, email = NULL, phone = NULL, username = NULL, language = NULL, \
             erased_at = $2, updated_at = $2 WHERE workspace_id = $3 AND id = $4",
            ("Erased contact", app.now().0, ws, contact.as_str()),
        )
        .await?;
    }
    Ok(done)
}

async fn withdraw(app: &Inbox, c: &mut Conn, who: &Person) -> AppResult<()> {
    let channels: Vec<String> = row::scalars(
        c,
        "SELECT channel_id FROM contact_channels WHERE workspace_id = $1 AND contact_id = $2 UNION \
         SELECT channel_id FROM threads WHERE workspace_id = $1 AND contact_id = $2",
        (&who.workspace, who.contact.as_str()),
    )
    .await?;
    let now = app.now().0;
    for ch in channels {
        let Some(channel) = ChannelId::parse(&ch) else { continue };
        let e = crate::repo::inbox::ConsentEvent {
            id: ConsentEventId::new(),
            contact_id: who.contact.clone(),
            channel_id: channel,
            change: frontdesk_core::inbox::ConsentChange::OptOut.as_str().into(),
            source: "privacy_request".into(),
            evidence: format!("privacy request {now}"),
            at: now,
            created_at: now,
        };
        crate::repo::inbox::insert_consent(c, &who.workspace, &e).await?;
    }
    Ok(())
}

impl Subject for InboxSubject {
    fn area(&self) -> &'static str {
        "inbox"
    }
    fn find<'a>(&'a self, c: &'a mut Conn, ws: &'a WorkspaceId, email: &'a str) -> Fut<'a, AppResult<Vec<ContactId>>> {
        Box::pin(async move {
            let e = email.trim().to_lowercase();
            if e.is_empty() {
                return Ok(vec![]);
            }
            let ids: Vec<String> = row::scalars(
                c,
                "SELECT id FROM contacts WHERE workspace_id = $1 AND LOWER(email) = $2 AND erased_at IS NULL",
                (ws, e.as_str()),
            )
            .await?;
            Ok(ids.iter().filter_map(|i| ContactId::parse(i)).collect())
        })
    }
    fn names<'a>(&'a self, c: &'a mut Conn, who: &'a Person) -> Fut<'a, AppResult<Vec<String>>> {
        Box::pin(identities(c, &who.workspace, &who.contact))
    }
    fn export<'a>(&'a self, c: &'a mut Conn, who: &'a Person) -> Fut<'a, AppResult<Held>> {
        Box::pin(export(&self.0, c, who))
    }
    fn erase<'a>(&'a self, c: &'a mut Conn, who: &'a Person) -> Fut<'a, AppResult<Erased>> {
        Box::pin(erase(&self.0, c, who))
    }
    fn erase_account<'a>(&'a self, c: &'a mut Conn, user: &'a UserId) -> Fut<'a, AppResult<Erased>> {
        Box::pin(async move {
            for sql in [
                "DELETE FROM thread_reads WHERE user_id = $1",
                "DELETE FROM notification_prefs WHERE user_id = $1",
                "UPDATE threads SET assignee_id = NULL WHERE assignee_id = $1",
                "UPDATE users SET last_seen_at = NULL WHERE id = $1",
            ] {
                row::execute(&mut *c, sql, user).await?;
            }
            Ok(Erased::default())
        })
    }
    fn restrict<'a>(&'a self, c: &'a mut Conn, who: &'a Person, on: bool) -> Fut<'a, AppResult<()>> {
        Box::pin(async move {
            let at = on.then(|| self.0.now().0);
            row::execute(
                c,
                "UPDATE contacts SET restricted_at = $1 WHERE workspace_id = $2 AND id = $3",
                (at, &who.workspace, who.contact.as_str()),
            )
            .await?;
            Ok(())
        })
    }
    fn withdraw_consent<'a>(&'a self, c: &'a mut Conn, who: &'a Person) -> Fut<'a, AppResult<()>> {
        Box::pin(withdraw(&self.0, c, who))
    }
}
