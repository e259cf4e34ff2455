//! Contacts and their channel identities, threads, labels, notes, messages, media, the consent
//! ledger and web-chat visitors. Every query is confined by a `WorkspaceId` except the lookups
//! the intake pipeline makes by channel (a channel belongs to exactly one workspace).

use frontdesk_core::{
    ChannelId, ConsentEventId, ContactId, MediaId, MessageId, NoteId, ThreadId, Timestamp, UserId, VisitorId,
    WorkspaceId,
};
use frontdesk_store::row::{self, Table};
use sqlx::AnyConnection;

// ---- contacts ----

#[derive(Clone, Debug, Default)]
pub struct Contact {
    pub id: ContactId,
    pub workspace_id: WorkspaceId,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub username: Option<String>,
    pub language: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Blocked contacts get nothing from the business.
    pub blocked_at: Option<i64>,
    /// Erased on a data-subject request: an anonymous row that keeps what names it whole.
    pub erased_at: Option<i64>,
    /// Processing restricted on a data-subject request: no AI drafts, no automatic replies.
    pub restricted_at: Option<i64>,
}

row::table!(Contact in "contacts" {
    id, workspace_id, name, phone, email, username, language, created_at, updated_at, blocked_at, erased_at,
    restricted_at
});

pub async fn insert_contact(c: &mut AnyConnection, k: &Contact) -> sqlx::Result<()> {
    let sql = "INSERT INTO contacts (id, workspace_id, name, phone, email, username, language, created_at, \
               updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    let values =
        (&k.id, &k.workspace_id, &k.name, &k.phone, &k.email, &k.username, &k.language, k.created_at, k.updated_at);
    row::execute(c, sql, values).await
}

pub async fn contact(c: &mut AnyConnection, ws: &WorkspaceId, id: &ContactId) -> sqlx::Result<Option<Contact>> {
    row::find(c, "WHERE workspace_id = $1 AND id = $2", (ws, id)).await
}

pub async fn contact_by_id(c: &mut AnyConnection, id: &ContactId) -> sqlx::Result<Option<Contact>> {
    row::find(c, "WHERE id = $1", id).await
}

pub async fn delete_contact(c: &mut AnyConnection, id: &ContactId) -> sqlx::Result<()> {
    row::execute(c, "DELETE FROM contacts WHERE id = $1", id).await
}

/// Saves every field of the contact (the caller merged the changes).
pub async fn update_contact(c: &mut AnyConnection, k: &Contact) -> sqlx::Result<bool> {
    let sql = "UPDATE contacts SET name = $3, phone = $4, email = $5, username = $6, language = $7, updated_at = $8, \
               blocked_at = $9 WHERE workspace_id = $1 AND id = $2";
    let values =
        (&k.workspace_id, &k.id, &k.name, &k.phone, &k.email, &k.username, &k.language, k.updated_at, k.blocked_at);
    row::one_changed(c, sql, values).await
}

/// The contact a channel knows by any of `(kind, value)`.
pub async fn find_identity(
    c: &mut AnyConnection,
    channel: &ChannelId,
    kind: &str,
    value: &str,
) -> sqlx::Result<Option<ContactId>> {
    let sql = "SELECT contact_id FROM contact_identities WHERE channel_id = $1 AND kind = $2 AND value = $3";
    Ok(row::opt_scalar(c, sql, (channel, kind, value)).await?.map(ContactId::from_db))
}

/// Adds an identity; `false` when the channel already knows that value (for anyone).
pub async fn insert_identity(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    contact: &ContactId,
    channel: &ChannelId,
    kind: &str,
    value: &str,
    now: Timestamp,
) -> sqlx::Result<bool> {
    let sql = "INSERT INTO contact_identities (id, workspace_id, contact_id, channel_id, kind, value, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING";
    row::one_changed(c, sql, (&ContactId::new(), ws, contact, channel, kind, value, now)).await
}

#[derive(Clone, Debug)]
pub struct Identity {
    pub channel_id: ChannelId,
    pub kind: String,
    pub value: String,
}

row::table!(Identity in "contact_identities" { channel_id, kind, value });

pub async fn identities(c: &mut AnyConnection, ws: &WorkspaceId, contact: &ContactId) -> sqlx::Result<Vec<Identity>> {
    row::find_all(c, "WHERE workspace_id = $1 AND contact_id = $2 ORDER BY created_at, kind", (ws, contact)).await
}

/// Records the (channel, contact) pair: where replies go and the customer's last message time
/// (only ever moved forward).
pub async fn touch_contact_channel(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    channel: &ChannelId,
    contact: &ContactId,
    address: &str,
    inbound_at: Option<i64>,
    now: Timestamp,
) -> sqlx::Result<()> {
    let sql = "INSERT INTO contact_channels (channel_id, contact_id, workspace_id, address, last_inbound_at, \
               created_at) VALUES ($1, $2, $3, $4, $5, $6) \
               ON CONFLICT (channel_id, contact_id) DO UPDATE SET address = excluded.address, \
               last_inbound_at = CASE WHEN contact_channels.last_inbound_at IS NULL \
               OR excluded.last_inbound_at > contact_channels.last_inbound_at \
               THEN excluded.last_inbound_at ELSE contact_channels.last_inbound_at END";
    row::execute(c, sql, (channel, contact, ws, address, inbound_at, now)).await
}

#[derive(Clone, Debug)]
pub struct ContactChannel {
    pub channel_id: ChannelId,
    pub address: String,
    pub last_inbound_at: Option<i64>,
    /// The provider said the reply window closed (WhatsApp 131047).
    pub window_closed_at: Option<i64>,
}

row::table!(ContactChannel in "contact_channels" { channel_id, address, last_inbound_at, window_closed_at });

/// Where replies to a contact on a channel go, and its reply-window facts.
pub async fn contact_channel(
    c: &mut AnyConnection,
    channel: &ChannelId,
    contact: &ContactId,
) -> sqlx::Result<Option<ContactChannel>> {
    row::find(c, "WHERE channel_id = $1 AND contact_id = $2", (channel, contact)).await
}

/// Records that the provider refused a free-form message because the window is closed.
pub async fn close_window(
    c: &mut AnyConnection,
    channel: &ChannelId,
    contact: &ContactId,
    at: i64,
) -> sqlx::Result<()> {
    let sql = "UPDATE contact_channels SET window_closed_at = $3 WHERE channel_id = $1 AND contact_id = $2";
    row::execute(c, sql, (channel, contact, at)).await
}

pub async fn contact_channels(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    contact: &ContactId,
) -> sqlx::Result<Vec<ContactChannel>> {
    row::find_all(c, "WHERE workspace_id = $1 AND contact_id = $2 ORDER BY created_at", (ws, contact)).await
}

pub async fn list_contacts(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    q: Option<&str>,
    before: Option<(i64, &str)>,
    limit: i64,
) -> sqlx::Result<Vec<Contact>> {
    let like = q.map(|q| format!("%{}%", q.to_lowercase()));
    let (b_at, b_id) = before.map(|(a, i)| (Some(a), Some(i.to_string()))).unwrap_or((None, None));
    let clause = "WHERE workspace_id = $1 \
                  AND ($2 IS NULL OR LOWER(COALESCE(name, '')) LIKE $2 OR COALESCE(phone, '') LIKE $2 \
                  OR LOWER(COALESCE(email, '')) LIKE $2 OR LOWER(COALESCE(username, '')) LIKE $2) \
                  AND ($3 IS NULL OR created_at < $3 OR (created_at = $3 AND id < $4)) \
                  ORDER BY created_at DESC, id DESC LIMIT $5";
    row::find_all(c, clause, (ws, like, b_at, b_id, limit)).await
}

// ---- threads ----

#[derive(Clone, Debug)]
pub struct Thread {
    pub id: ThreadId,
    pub workspace_id: WorkspaceId,
    pub channel_id: ChannelId,
    pub contact_id: ContactId,
    pub status: String,
    pub assignee_id: Option<UserId>,
    pub snoozed_until: Option<i64>,
    pub last_inbound_at: Option<i64>,
    pub last_message_at: i64,
    pub preview: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub resolved_at: Option<i64>,
}

row::table!(Thread in "threads" as t {
    id, workspace_id, channel_id, contact_id, status, assignee_id, snoozed_until, last_inbound_at, last_message_at,
    preview, created_at, updated_at, resolved_at
});

/// The thread that is not resolved for (channel, contact), if any.
pub async fn open_thread(
    c: &mut AnyConnection,
    channel: &ChannelId,
    contact: &ContactId,
) -> sqlx::Result<Option<Thread>> {
    let clause = "WHERE t.channel_id = $1 AND t.contact_id = $2 AND t.status <> 'resolved'";
    row::find(c, clause, (channel, contact)).await
}

/// The most recently active resolved thread of (channel, contact).
pub async fn last_resolved_thread(
    c: &mut AnyConnection,
    channel: &ChannelId,
    contact: &ContactId,
) -> sqlx::Result<Option<Thread>> {
    let clause = "WHERE t.channel_id = $1 AND t.contact_id = $2 AND t.status = 'resolved' \
                  ORDER BY t.last_message_at DESC, t.id DESC LIMIT 1";
    row::find(c, clause, (channel, contact)).await
}

/// The first message of a new thread.
pub struct FirstMessage<'a> {
    pub at: i64,
    pub inbound: bool,
    pub preview: Option<&'a str>,
}

/// Opens a thread, with its first message's time and preview; `false` when another open
/// thread for the pair appeared meanwhile.
pub async fn insert_thread(
    c: &mut AnyConnection,
    id: &ThreadId,
    ws: &WorkspaceId,
    channel: &ChannelId,
    contact: &ContactId,
    first: FirstMessage<'_>,
    now: Timestamp,
) -> sqlx::Result<bool> {
    let sql = "INSERT INTO threads (id, workspace_id, channel_id, contact_id, status, last_inbound_at, last_message_at, \
               preview, created_at, updated_at) VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8, $8) ON CONFLICT DO NOTHING";
    let inbound_at = first.inbound.then_some(first.at);
    row::one_changed(c, sql, (id, ws, channel, contact, inbound_at, first.at, first.preview, now)).await
}

/// A new message in a thread: activity time and preview move forward only; an inbound message
/// also reopens a pending/snoozed/resolved thread and moves the reply-window clock.
pub async fn thread_activity(
    c: &mut AnyConnection,
    id: &ThreadId,
    at: i64,
    inbound: bool,
    preview: Option<&str>,
    now: Timestamp,
) -> sqlx::Result<()> {
    let sql = if inbound {
        "UPDATE threads SET status = 'open', snoozed_until = NULL, resolved_at = NULL, \
         last_inbound_at = CASE WHEN last_inbound_at IS NULL OR last_inbound_at < $2 THEN $2 ELSE last_inbound_at END, \
         preview = CASE WHEN last_message_at <= $2 THEN $3 ELSE preview END, \
         last_message_at = CASE WHEN last_message_at < $2 THEN $2 ELSE last_message_at END, updated_at = $4 WHERE id = $1"
    } else {
        "UPDATE threads SET preview = CASE WHEN last_message_at <= $2 THEN $3 ELSE preview END, \
         last_message_at = CASE WHEN last_message_at < $2 THEN $2 ELSE last_message_at END, updated_at = $4 WHERE id = $1"
    };
    row::execute(c, sql, (id, at, preview, now)).await
}

pub async fn thread(c: &mut AnyConnection, ws: &WorkspaceId, id: &ThreadId) -> sqlx::Result<Option<Thread>> {
    row::find(c, "WHERE t.workspace_id = $1 AND t.id = $2", (ws, id)).await
}

pub struct ThreadFilter<'a> {
    pub status: Option<&'a str>,
    /// `Some(None)`: unassigned; `Some(Some(id))`: assigned to that user.
    pub assignee: Option<Option<&'a str>>,
    pub label: Option<&'a str>,
    pub q: Option<&'a str>,
    pub channel: Option<&'a str>,
    pub contact: Option<&'a str>,
    /// Keyset cursor: threads strictly older than (last_message_at, id).
    pub before: Option<(i64, String)>,
    pub limit: i64,
}

/// Threads, newest activity first.
pub async fn list_threads(c: &mut AnyConnection, ws: &WorkspaceId, f: &ThreadFilter<'_>) -> sqlx::Result<Vec<Thread>> {
    let like = f.q.map(|q| format!("%{}%", q.to_lowercase()));
    let (unassigned, assignee) = match f.assignee {
        Some(None) => (1i64, None),
        Some(Some(a)) => (0, Some(a)),
        None => (0, None),
    };
    let (b_at, b_id) = f.before.clone().map(|(a, i)| (Some(a), Some(i))).unwrap_or((None, None));
    let clause = "WHERE t.workspace_id = $1 \
         AND ($2 IS NULL OR t.status = $2) \
         AND ($3 = 0 OR t.assignee_id IS NULL) \
         AND ($4 IS NULL OR t.assignee_id = $4) \
         AND ($5 IS NULL OR EXISTS (SELECT 1 FROM thread_labels l WHERE l.thread_id = t.id AND l.label = $5)) \
         AND ($6 IS NULL OR EXISTS (SELECT 1 FROM contacts k WHERE k.id = t.contact_id AND (LOWER(COALESCE(k.name, '')) LIKE $6 OR COALESCE(k.phone, '') LIKE $6 OR LOWER(COALESCE(k.username, '')) LIKE $6)) \
              OR EXISTS (SELECT 1 FROM messages m WHERE m.thread_id = t.id AND LOWER(COALESCE(m.body, '')) LIKE $6)) \
         AND ($7 IS NULL OR t.channel_id = $7) \
         AND ($8 IS NULL OR t.contact_id = $8) \
         AND ($9 IS NULL OR t.last_message_at < $9 OR (t.last_message_at = $9 AND t.id < $10)) \
         ORDER BY t.last_message_at DESC, t.id DESC LIMIT $11";
    let values = (ws, f.status, unassigned, assignee, f.label, like, f.channel, f.contact, b_at, b_id, f.limit);
    row::find_all(c, clause, values).await
}

pub async fn set_thread_state(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    id: &ThreadId,
    status: &str,
    assignee: Option<&UserId>,
    snoozed_until: Option<i64>,
    now: Timestamp,
) -> sqlx::Result<bool> {
    let sql = "UPDATE threads SET status = $3, assignee_id = $4, snoozed_until = $5, \
               resolved_at = CASE WHEN $3 = 'resolved' THEN COALESCE(resolved_at, $6) ELSE NULL END, updated_at = $6 \
               WHERE workspace_id = $1 AND id = $2";
    row::one_changed(c, sql, (ws, id, status, assignee, snoozed_until, now)).await
}

/// Snoozed threads whose time has come are open again.
pub async fn wake_snoozed(c: &mut AnyConnection, now: Timestamp) -> sqlx::Result<u64> {
    let sql = "UPDATE threads SET status = 'open', snoozed_until = NULL, updated_at = $1 \
               WHERE status = 'snoozed' AND snoozed_until IS NOT NULL AND snoozed_until <= $1";
    row::changed(c, sql, now).await
}

pub async fn labels(c: &mut AnyConnection, ws: &WorkspaceId, thread: &ThreadId) -> sqlx::Result<Vec<String>> {
    let sql = "SELECT label FROM thread_labels WHERE workspace_id = $1 AND thread_id = $2 ORDER BY label";
    row::scalars(c, sql, (ws, thread)).await
}

pub async fn set_labels(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    thread: &ThreadId,
    labels: &[String],
) -> sqlx::Result<()> {
    row::execute(&mut *c, "DELETE FROM thread_labels WHERE workspace_id = $1 AND thread_id = $2", (ws, thread)).await?;
    let sql = "INSERT INTO thread_labels (thread_id, workspace_id, label) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
    for l in labels {
        row::execute(&mut *c, sql, (thread, ws, l)).await?;
    }
    Ok(())
}

#[derive(Clone, Debug)]
pub struct Note {
    pub id: NoteId,
    pub author_kind: String,
    pub author_id: Option<String>,
    pub body: String,
    pub created_at: i64,
}

row::table!(Note in "thread_notes" { id, author_kind, author_id, body, created_at });

pub async fn insert_note(c: &mut AnyConnection, ws: &WorkspaceId, thread: &ThreadId, n: &Note) -> sqlx::Result<()> {
    let sql = "INSERT INTO thread_notes (id, workspace_id, thread_id, author_kind, author_id, body, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7)";
    row::execute(c, sql, (&n.id, ws, thread, &n.author_kind, &n.author_id, &n.body, n.created_at)).await
}

pub async fn notes(c: &mut AnyConnection, ws: &WorkspaceId, thread: &ThreadId) -> sqlx::Result<Vec<Note>> {
    row::find_all(c, "WHERE workspace_id = $1 AND thread_id = $2 ORDER BY created_at, id", (ws, thread)).await
}

// ---- messages ----

#[derive(Clone, Debug, Default)]
pub struct Message {
    pub id: MessageId,
    pub workspace_id: WorkspaceId,
    pub thread_id: ThreadId,
    pub channel_id: ChannelId,
    pub contact_id: ContactId,
    pub direction: String,
    pub provider_id: Option<String>,
    pub kind: String,
    pub body: Option<String>,
    pub data: Option<String>,
    pub raw: Option<String>,
    pub reply_to: Option<String>,
    pub status: String,
    pub error_code: Option<i64>,
    pub error_title: Option<String>,
    pub error_details: Option<String>,
    pub provider_at: Option<i64>,
    pub edited_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Outbound: `user` or `api_token` (with `author_id`), `system`.
    pub author_kind: Option<String>,
    pub author_id: Option<String>,
    pub idempotency_key: Option<String>,
    /// Set while a provider call is in flight.
    pub send_started_at: Option<i64>,
    /// Our stable failure code (a gate denial, `provider_rejected`, `unknown_outcome`).
    pub failure: Option<String>,
}

row::table!(Message in "messages" {
    id, workspace_id, thread_id, channel_id, contact_id, direction, provider_id, kind, body, data, raw, reply_to,
    status, error_code, error_title, error_details, provider_at, edited_at, created_at, updated_at, author_kind,
    author_id, idempotency_key, send_started_at, failure
});

/// Stores a message; `false` when the channel already has one with this provider id.
pub async fn insert_message(c: &mut AnyConnection, m: &Message) -> sqlx::Result<bool> {
    let sql = format!("{} ON CONFLICT DO NOTHING", row::insert_sql::<Message>());
    row::one_changed(c, &sql, m).await
}

/// The message a client created with this Idempotency-Key.
pub async fn message_by_idempotency_key(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    key: &str,
) -> sqlx::Result<Option<Message>> {
    row::find(c, "WHERE workspace_id = $1 AND idempotency_key = $2", (ws, key)).await
}

/// Any message by id (the send worker and reconciliation, which act for the system).
pub async fn message_by_id(c: &mut AnyConnection, id: &MessageId) -> sqlx::Result<Option<Message>> {
    row::find(c, "WHERE id = $1", id).await
}

/// Marks a queued message as in flight; `false` when it is no longer queued or already in
/// flight (another attempt holds it).
pub async fn begin_send(c: &mut AnyConnection, id: &MessageId, now: Timestamp) -> sqlx::Result<bool> {
    let sql = "UPDATE messages SET send_started_at = $2, updated_at = $2 \
               WHERE id = $1 AND status = 'queued' AND send_started_at IS NULL";
    row::one_changed(c, sql, (id, now)).await
}

/// The provider accepted the message: its id (to match statuses) and `sent`. A status that
/// arrived first (reconciled through our callback data) is not moved back.
pub async fn finish_send(c: &mut AnyConnection, id: &MessageId, provider_id: &str, now: Timestamp) -> sqlx::Result<()> {
    let sql = "UPDATE messages SET provider_id = COALESCE(provider_id, $2), \
               status = CASE WHEN status = 'queued' THEN 'sent' ELSE status END, send_started_at = NULL, \
               provider_at = COALESCE(provider_at, $3), updated_at = $3 WHERE id = $1";
    row::execute(c, sql, (id, provider_id, now)).await
}

/// The attempt ended without a result (a transient error): the message is queued again.
pub async fn abandon_send(c: &mut AnyConnection, id: &MessageId, now: Timestamp) -> sqlx::Result<()> {
    row::execute(c, "UPDATE messages SET send_started_at = NULL, updated_at = $2 WHERE id = $1", (id, now)).await
}

/// The message will not be sent (or the provider refused it): `failed`, with our code and the
/// provider's code and sentence when there are.
pub async fn fail_message(
    c: &mut AnyConnection,
    id: &MessageId,
    failure: &str,
    provider_error: (Option<i64>, Option<&str>, Option<&str>),
    now: Timestamp,
) -> sqlx::Result<bool> {
    let sql = "UPDATE messages SET status = 'failed', failure = $2, error_code = $3, error_title = $4, \
               error_details = $5, send_started_at = NULL, updated_at = $6 \
               WHERE id = $1 AND status IN ('queued', 'sent')";
    row::one_changed(c, sql, (id, failure, provider_error, now)).await
}

/// Gives an outbound message whose send outcome was unknown the provider id a status carried
/// back (our id in the provider's callback data).
pub async fn reconcile_provider_id(
    c: &mut AnyConnection,
    channel: &ChannelId,
    id: &MessageId,
    provider_id: &str,
    now: Timestamp,
) -> sqlx::Result<bool> {
    let sql = "UPDATE messages SET provider_id = $3, send_started_at = NULL, updated_at = $4 \
               WHERE id = $1 AND channel_id = $2 AND direction = 'out' AND provider_id IS NULL";
    row::one_changed(c, sql, (id, channel, provider_id, now)).await
}

pub async fn message_by_provider_id(
    c: &mut AnyConnection,
    channel: &ChannelId,
    provider_id: &str,
) -> sqlx::Result<Option<Message>> {
    row::find(c, "WHERE channel_id = $1 AND provider_id = $2", (channel, provider_id)).await
}

pub async fn set_status(
    c: &mut AnyConnection,
    id: &MessageId,
    status: &str,
    error: Option<(Option<i64>, Option<&str>, Option<&str>)>,
    now: Timestamp,
) -> sqlx::Result<()> {
    let error = error.unwrap_or((None, None, None));
    let sql = "UPDATE messages SET status = $2, error_code = COALESCE($3, error_code), \
               error_title = COALESCE($4, error_title), error_details = COALESCE($5, error_details), updated_at = $6 \
               WHERE id = $1";
    row::execute(c, sql, (id, status, error, now)).await
}

/// Outbound messages on (channel, contact) sent up to `watermark` become read (Instagram's
/// read receipts carry a time, not a message id). Failed ones stay failed.
pub async fn read_up_to(
    c: &mut AnyConnection,
    channel: &ChannelId,
    contact: &ContactId,
    watermark: i64,
    now: Timestamp,
) -> sqlx::Result<u64> {
    let sql = "UPDATE messages SET status = 'read', updated_at = $4 \
               WHERE channel_id = $1 AND contact_id = $2 AND direction = 'out' AND status IN ('sent', 'delivered') \
               AND COALESCE(provider_at, created_at) <= $3";
    row::changed(c, sql, (channel, contact, watermark, now)).await
}

pub async fn edit_message(
    c: &mut AnyConnection,
    id: &MessageId,
    body: Option<&str>,
    data: Option<&str>,
    at: i64,
    now: Timestamp,
) -> sqlx::Result<()> {
    let sql = "UPDATE messages SET body = $2, data = $3, edited_at = $4, updated_at = $5 WHERE id = $1";
    row::execute(c, sql, (id, body, data, at, now)).await
}

/// Messages after a keyset cursor (created_at, id), oldest first, where `col1 = a AND col2 = b`.
async fn messages_where(
    c: &mut AnyConnection,
    cols: (&str, &str),
    vals: (impl row::Bind, impl row::Bind),
    after: Option<(i64, String)>,
    limit: i64,
) -> sqlx::Result<Vec<Message>> {
    let (a_at, a_id) = after.map(|(a, i)| (Some(a), Some(i))).unwrap_or((None, None));
    let clause = format!(
        "WHERE {} = $1 AND {} = $2 AND ($3 IS NULL OR created_at > $3 OR (created_at = $3 AND id > $4)) \
         ORDER BY created_at, id LIMIT $5",
        cols.0, cols.1
    );
    row::find_all(c, &clause, (vals, a_at, a_id, limit)).await
}

/// A page of a thread's messages, oldest first, after the keyset cursor (created_at, id).
pub async fn messages(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    thread: &ThreadId,
    after: Option<(i64, String)>,
    limit: i64,
) -> sqlx::Result<Vec<Message>> {
    messages_where(c, ("workspace_id", "thread_id"), (ws, thread), after, limit).await
}

pub async fn message(c: &mut AnyConnection, ws: &WorkspaceId, id: &MessageId) -> sqlx::Result<Option<Message>> {
    row::find(c, "WHERE workspace_id = $1 AND id = $2", (ws, id)).await
}

pub async fn count_messages(c: &mut AnyConnection, ws: Option<&WorkspaceId>) -> sqlx::Result<i64> {
    row::scalar(c, "SELECT COUNT(*) AS n FROM messages WHERE ($1 IS NULL OR workspace_id = $1)", ws).await
}

// ---- media ----

#[derive(Clone, Debug, Default)]
pub struct Media {
    pub id: MediaId,
    pub workspace_id: WorkspaceId,
    pub message_id: MessageId,
    pub channel_id: ChannelId,
    pub provider_media_id: Option<String>,
    pub url: Option<String>,
    pub mime: Option<String>,
    pub filename: Option<String>,
    pub sha256: Option<String>,
    pub size: Option<i64>,
    pub status: String,
    pub blob_key: Option<String>,
    pub error: Option<String>,
    pub created_at: i64,
}

row::table!(Media in "media" {
    id, workspace_id, message_id, channel_id, provider_media_id, url, mime, filename, sha256, size, status, blob_key,
    error, created_at
});

pub async fn insert_media(c: &mut AnyConnection, m: &Media) -> sqlx::Result<()> {
    let sql = format!(
        "INSERT INTO media ({}, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)",
        Media::COLUMNS
    );
    let values = (
        &m.id,
        &m.workspace_id,
        &m.message_id,
        &m.channel_id,
        &m.provider_media_id,
        &m.url,
        &m.mime,
        &m.filename,
        &m.sha256,
        m.size,
        &m.status,
        &m.blob_key,
        &m.error,
        m.created_at,
    );
    row::execute(c, &sql, values).await
}

pub async fn media_by_id(c: &mut AnyConnection, id: &MediaId) -> sqlx::Result<Option<Media>> {
    row::find(c, "WHERE id = $1", id).await
}

pub async fn media_in(c: &mut AnyConnection, ws: &WorkspaceId, id: &MediaId) -> sqlx::Result<Option<Media>> {
    row::find(c, "WHERE workspace_id = $1 AND id = $2", (ws, id)).await
}

pub async fn media_of_messages(c: &mut AnyConnection, ws: &WorkspaceId, thread: &ThreadId) -> sqlx::Result<Vec<Media>> {
    let clause = "WHERE workspace_id = $1 AND message_id IN (SELECT id FROM messages WHERE thread_id = $2) \
                  ORDER BY created_at, id";
    row::find_all(c, clause, (ws, thread)).await
}

#[allow(clippy::too_many_arguments)]
pub async fn finish_media(
    c: &mut AnyConnection,
    id: &MediaId,
    status: &str,
    blob_key: Option<&str>,
    mime: Option<&str>,
    size: Option<i64>,
    error: Option<&str>,
    now: Timestamp,
) -> sqlx::Result<()> {
    let sql = "UPDATE media SET status = $2, blob_key = $3, mime = COALESCE($4, mime), size = COALESCE($5, size), \
               error = $6, updated_at = $7 WHERE id = $1";
    row::execute(c, sql, (id, status, blob_key, mime, size, error, now)).await
}

// ---- consent ----

#[derive(Clone, Debug)]
pub struct ConsentEvent {
    pub id: ConsentEventId,
    pub contact_id: ContactId,
    pub channel_id: ChannelId,
    pub change: String,
    pub source: String,
    pub evidence: String,
    pub at: i64,
    pub created_at: i64,
}

row::table!(ConsentEvent in "consent_events" { id, contact_id, channel_id, change, source, evidence, at, created_at });

/// Appends to the ledger; `false` when the same evidence was already recorded.
pub async fn insert_consent(c: &mut AnyConnection, ws: &WorkspaceId, e: &ConsentEvent) -> sqlx::Result<bool> {
    let sql = "INSERT INTO consent_events (id, workspace_id, contact_id, channel_id, change, source, evidence, at, \
               created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING";
    let values = (&e.id, ws, &e.contact_id, &e.channel_id, &e.change, &e.source, &e.evidence, e.at, e.created_at);
    row::one_changed(c, sql, values).await
}

pub async fn consent_events(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    contact: &ContactId,
) -> sqlx::Result<Vec<ConsentEvent>> {
    row::find_all(c, "WHERE workspace_id = $1 AND contact_id = $2 ORDER BY at, created_at, id", (ws, contact)).await
}

// ---- web-chat visitors ----

#[derive(Clone, Debug)]
pub struct Visitor {
    pub id: VisitorId,
    pub workspace_id: WorkspaceId,
    pub channel_id: ChannelId,
    pub contact_id: ContactId,
}

row::table!(Visitor in "webchat_visitors" { id, workspace_id, channel_id, contact_id });

pub async fn insert_visitor(
    c: &mut AnyConnection,
    v: &Visitor,
    token_hash: &str,
    ip: Option<&str>,
    now: Timestamp,
) -> sqlx::Result<()> {
    let sql = "INSERT INTO webchat_visitors (id, workspace_id, channel_id, contact_id, token_hash, ip, created_at, \
               last_seen_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)";
    row::execute(c, sql, (&v.id, &v.workspace_id, &v.channel_id, &v.contact_id, token_hash, ip, now)).await
}

pub async fn visitor_by_token(
    c: &mut AnyConnection,
    channel: &ChannelId,
    token_hash: &str,
) -> sqlx::Result<Option<Visitor>> {
    row::find(c, "WHERE channel_id = $1 AND token_hash = $2", (channel, token_hash)).await
}

pub async fn touch_visitor(c: &mut AnyConnection, id: &VisitorId, now: Timestamp) -> sqlx::Result<()> {
    row::execute(c, "UPDATE webchat_visitors SET last_seen_at = $2 WHERE id = $1", (id, now)).await
}

/// A visitor's thread messages (both directions), after the cursor, oldest first.
pub async fn visitor_messages(
    c: &mut AnyConnection,
    channel: &ChannelId,
    contact: &ContactId,
    after: Option<(i64, String)>,
    limit: i64,
) -> sqlx::Result<Vec<Message>> {
    messages_where(c, ("channel_id", "contact_id"), (channel, contact), after, limit).await
}

/// The provider id of the customer's latest message in a thread.
pub async fn latest_inbound(c: &mut AnyConnection, thread: &ThreadId) -> sqlx::Result<Option<String>> {
    let sql = "SELECT provider_id FROM messages WHERE thread_id = $1 AND direction = 'in' AND provider_id IS NOT NULL \
               ORDER BY created_at DESC, id DESC LIMIT 1";
    row::opt_scalar(c, sql, thread).await
}

/// Our failure code for a message the provider failed later (a status).
pub async fn set_failure(c: &mut AnyConnection, id: &MessageId, failure: &str) -> sqlx::Result<()> {
    row::execute(c, "UPDATE messages SET failure = $2 WHERE id = $1", (id, failure)).await
}

/// The file of a message (agents send one per message).
pub async fn media_of_message(c: &mut AnyConnection, message: &MessageId) -> sqlx::Result<Option<Media>> {
    row::find(c, "WHERE message_id = $1 ORDER BY created_at, id LIMIT 1", message).await
}

/// The customer's latest message in a thread, whole.
pub async fn latest_inbound_message(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    thread: &ThreadId,
) -> sqlx::Result<Option<Message>> {
    let clause =
        "WHERE workspace_id = $1 AND thread_id = $2 AND direction = 'in' ORDER BY created_at DESC, id DESC LIMIT 1";
    row::find(c, clause, (ws, thread)).await
}
