//! The CRM's queries: the contact list with its filters, labels and notes on a contact, and the
//! statements of a merge. Every query is confined to its workspace.

use super::inbox::Contact;
use frontdesk_core::{ChannelId, ContactId, NoteId, ThreadId, WorkspaceId};
use frontdesk_store::row::{self, opt_str, FromRow};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// How the list is sorted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Sort {
    /// Most recently in touch first (never-contacted last).
    #[default]
    LastContacted,
    Name,
    Newest,
}

/// The list's filters.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Name, phone, email or username contains this (case-insensitive).
    pub text: Option<String>,
    pub channel: Option<ChannelId>,
    pub label: Option<String>,
    /// Contacts who opted out on some channel (`true`) or on none (`false`).
    pub opted_out: Option<bool>,
    /// In touch at or after this instant.
    pub contacted_since: Option<i64>,
    /// In touch before this instant, or never.
    pub not_contacted_since: Option<i64>,
}

/// A row of the list: the contact and when the business was last in touch.
#[derive(Clone, Debug)]
pub struct Listed {
    pub contact: Contact,
    pub last_contacted_at: Option<i64>,
}

impl FromRow for Listed {
    fn from_row(r: &AnyRow) -> sqlx::Result<Self> {
        Ok(Listed { contact: Contact::from_row(r)?, last_contacted_at: frontdesk_store::row::opt_i64(r, "last_at") })
    }
}

const COLS: &str =
    "k.id, k.workspace_id, k.name, k.phone, k.email, k.username, k.language, k.created_at, k.updated_at, k.blocked_at";
const LAST: &str = "(SELECT MAX(t.last_message_at) FROM threads t WHERE t.contact_id = k.id)";
/// A contact's latest consent change per channel is an opt-out.
const OPTED_OUT: &str = "EXISTS (SELECT 1 FROM consent_events e WHERE e.contact_id = k.id AND e.change = 'opt_out' AND NOT EXISTS (SELECT 1 FROM consent_events l WHERE l.contact_id = k.id AND l.channel_id = e.channel_id AND l.change = 'opt_in' AND (l.at > e.at OR (l.at = e.at AND l.id > e.id))))";

/// The WHERE clause and its parameters ($1 is the workspace).
fn conditions(f: &Filter) -> (String, Vec<String>) {
    let mut sql = String::from("k.workspace_id = $1");
    let mut args = Vec::new();
    let next = |args: &mut Vec<String>, v: String| {
        args.push(v);
        format!("${}", args.len() + 1)
    };
    if let Some(t) = &f.text {
        let p = next(&mut args, format!("%{}%", t.to_lowercase().replace(['%', '_'], "")));
        sql.push_str(&format!(
            " AND (LOWER(COALESCE(k.name, '')) LIKE {p} OR LOWER(COALESCE(k.email, '')) LIKE {p} OR COALESCE(k.phone, '') LIKE {p} OR LOWER(COALESCE(k.username, '')) LIKE {p} OR EXISTS (SELECT 1 FROM contact_identities i WHERE i.contact_id = k.id AND LOWER(i.value) LIKE {p}))"
        ));
    }
    if let Some(ch) = &f.channel {
        let p = next(&mut args, ch.to_string());
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM contact_channels cc WHERE cc.contact_id = k.id AND cc.channel_id = {p})"
        ));
    }
    if let Some(l) = &f.label {
        let p = next(&mut args, l.clone());
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM contact_labels cl WHERE cl.contact_id = k.id AND cl.label = {p})"
        ));
    }
    match f.opted_out {
        Some(true) => sql.push_str(&format!(" AND {OPTED_OUT}")),
        Some(false) => sql.push_str(&format!(" AND NOT {OPTED_OUT}")),
        None => {}
    }
    if let Some(at) = f.contacted_since {
        let p = next(&mut args, at.to_string());
        sql.push_str(&format!(" AND {LAST} >= CAST({p} AS BIGINT)"));
    }
    if let Some(at) = f.not_contacted_since {
        let p = next(&mut args, at.to_string());
        sql.push_str(&format!(" AND ({LAST} IS NULL OR {LAST} < CAST({p} AS BIGINT))"));
    }
    (sql, args)
}

/// One page of the list (`offset`, `limit`), sorted.
pub async fn search(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    f: &Filter,
    sort: Sort,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<Listed>> {
    let (cond, args) = conditions(f);
    let order: String = match sort {
        // PostgreSQL takes an output column's name alone in ORDER BY, not inside an expression.
        Sort::LastContacted => format!("CASE WHEN {LAST} IS NULL THEN 1 ELSE 0 END, last_at DESC, k.id DESC"),
        Sort::Name => "LOWER(COALESCE(k.name, k.phone, k.username, k.email, '')), k.id".to_string(),
        Sort::Newest => "k.created_at DESC, k.id DESC".to_string(),
    };
    let sql = format!(
        "SELECT {COLS}, {LAST} AS last_at FROM contacts k WHERE {cond} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
    );
    rows(c, &sql, ws, &args).await
}

/// A statement whose text parameters are as many as its filters: `$1` the workspace, then `args`.
async fn rows<T: FromRow>(c: &mut AnyConnection, sql: &str, ws: &WorkspaceId, args: &[String]) -> sqlx::Result<Vec<T>> {
    let mut q = row::query(sql, ws);
    for a in args {
        q = q.bind(a.as_str());
    }
    q.fetch_all(c).await?.iter().map(T::from_row).collect()
}

/// How many contacts the filter finds.
pub async fn count(c: &mut AnyConnection, ws: &WorkspaceId, f: &Filter) -> sqlx::Result<i64> {
    let (cond, args) = conditions(f);
    let sql = format!("SELECT COUNT(*) AS n FROM contacts k WHERE {cond}");
    let mut q = row::query(&sql, ws);
    for a in &args {
        q = q.bind(a.as_str());
    }
    q.fetch_one(c).await?.try_get("n")
}

/// Every contact of the filter, in list order (for an export).
pub async fn all(c: &mut AnyConnection, ws: &WorkspaceId, f: &Filter, sort: Sort) -> sqlx::Result<Vec<Listed>> {
    search(c, ws, f, sort, i64::MAX / 2, 0).await
}

pub async fn labels(c: &mut AnyConnection, ws: &WorkspaceId, contact: &ContactId) -> sqlx::Result<Vec<String>> {
    let sql = "SELECT label FROM contact_labels WHERE workspace_id = $1 AND contact_id = $2 ORDER BY label";
    row::scalars(c, sql, (ws, contact)).await
}

/// Every label used on the workspace's contacts, for the filter.
pub async fn all_labels(c: &mut AnyConnection, ws: &WorkspaceId) -> sqlx::Result<Vec<String>> {
    row::scalars(c, "SELECT DISTINCT label FROM contact_labels WHERE workspace_id = $1 ORDER BY label", ws).await
}

pub async fn add_label(c: &mut AnyConnection, ws: &WorkspaceId, contact: &ContactId, label: &str) -> sqlx::Result<()> {
    let sql = "INSERT INTO contact_labels (contact_id, workspace_id, label) VALUES ($1, $2, $3) ON CONFLICT (contact_id, label) DO NOTHING";
    row::execute(c, sql, (contact, ws, label)).await
}

pub async fn clear_labels(c: &mut AnyConnection, ws: &WorkspaceId, contact: &ContactId) -> sqlx::Result<()> {
    row::execute(c, "DELETE FROM contact_labels WHERE workspace_id = $1 AND contact_id = $2", (ws, contact)).await
}

/// A private note on a contact.
#[derive(Clone, Debug)]
pub struct ContactNote {
    pub id: NoteId,
    pub author_kind: String,
    pub author_id: Option<String>,
    pub body: String,
    pub created_at: i64,
}

impl FromRow for ContactNote {
    fn from_row(r: &AnyRow) -> sqlx::Result<Self> {
        Ok(ContactNote {
            id: NoteId::from_db(r.try_get("id")?),
            author_kind: r.try_get("author_kind")?,
            author_id: opt_str(r, "author_id"),
            body: r.try_get("body")?,
            created_at: r.try_get("created_at")?,
        })
    }
}

pub async fn notes(c: &mut AnyConnection, ws: &WorkspaceId, contact: &ContactId) -> sqlx::Result<Vec<ContactNote>> {
    let sql = "SELECT id, author_kind, author_id, body, created_at FROM contact_notes WHERE workspace_id = $1 AND contact_id = $2 ORDER BY created_at, id";
    row::all(c, sql, (ws, contact)).await
}

pub async fn add_note(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    contact: &ContactId,
    n: &ContactNote,
) -> sqlx::Result<()> {
    let sql = "INSERT INTO contact_notes (id, workspace_id, contact_id, author_kind, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    row::execute(c, sql, (&n.id, ws, contact, &n.author_kind, &n.author_id, &n.body, n.created_at)).await
}

/// Other contacts of the workspace with this phone (any of its stored spellings) or email.
pub async fn with_phone_or_email(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    not: &ContactId,
    phones: &[String],
    email: Option<&str>,
) -> sqlx::Result<Vec<Contact>> {
    let mut cond = Vec::new();
    let mut args: Vec<String> = Vec::new();
    for p in phones {
        args.push(p.clone());
        let n = args.len() + 2;
        cond.push(format!("k.phone = ${n}"));
        cond.push(format!(
            "EXISTS (SELECT 1 FROM contact_identities i WHERE i.contact_id = k.id AND i.kind = 'phone' AND i.value = ${n})"
        ));
    }
    if let Some(e) = email {
        args.push(e.to_lowercase());
        cond.push(format!("LOWER(k.email) = ${}", args.len() + 2));
    }
    if cond.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {COLS} FROM contacts k WHERE k.workspace_id = $1 AND k.id <> $2 AND ({}) ORDER BY k.created_at LIMIT 20",
        cond.join(" OR ")
    );
    let mut q = row::query(&sql, (ws, not));
    for a in &args {
        q = q.bind(a.as_str());
    }
    q.fetch_all(c).await?.iter().map(Contact::from_row).collect()
}

/// The open (not resolved) threads of a contact, by channel.
pub async fn open_threads(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    contact: &ContactId,
) -> sqlx::Result<Vec<(ThreadId, ChannelId, i64)>> {
    let sql = "SELECT id, channel_id, created_at FROM threads WHERE workspace_id = $1 AND contact_id = $2 AND status <> 'resolved'";
    row::all_with(c, sql, (ws, contact), |r| {
        Ok((
            ThreadId::from_db(r.try_get("id")?),
            ChannelId::from_db(r.try_get("channel_id")?),
            r.try_get("created_at")?,
        ))
    })
    .await
}

/// Resolves a thread (the newer of two open ones on one channel, when their contacts merge).
pub async fn resolve_thread(c: &mut AnyConnection, ws: &WorkspaceId, thread: &ThreadId, now: i64) -> sqlx::Result<()> {
    let sql =
        "UPDATE threads SET status = 'resolved', resolved_at = $3, updated_at = $3 WHERE workspace_id = $1 AND id = $2";
    row::execute(c, sql, (ws, thread, now)).await
}

/// Moves everything of `from` to `into` (both of `ws`): identities, channels, threads,
/// messages, consent events, web-chat visitors, labels and notes; then deletes `from`.
pub async fn move_all(c: &mut AnyConnection, ws: &WorkspaceId, from: &ContactId, into: &ContactId) -> sqlx::Result<()> {
    let ids = (ws, from, into);
    // A channel both know: keep the kept contact's row, with the later last message.
    row::execute(
        &mut *c,
        "UPDATE contact_channels SET last_inbound_at = (SELECT MAX(o.last_inbound_at) FROM contact_channels o WHERE o.channel_id = contact_channels.channel_id AND o.contact_id IN ($2, $3)) WHERE workspace_id = $1 AND contact_id = $3 AND channel_id IN (SELECT channel_id FROM contact_channels WHERE contact_id = $2)",
        ids,
    )
    .await?;
    row::execute(
        &mut *c,
        "DELETE FROM contact_channels WHERE workspace_id = $1 AND contact_id = $2 AND channel_id IN (SELECT channel_id FROM contact_channels WHERE contact_id = $3)",
        ids,
    )
    .await?;
    for table in [
        "contact_channels",
        "contact_identities",
        "threads",
        "messages",
        "consent_events",
        "webchat_visitors",
        "contact_notes",
    ] {
        let sql = format!("UPDATE {table} SET contact_id = $3 WHERE workspace_id = $1 AND contact_id = $2");
        row::execute(&mut *c, &sql, ids).await?;
    }
    row::execute(
        &mut *c,
        "INSERT INTO contact_labels (contact_id, workspace_id, label) SELECT $3, workspace_id, label FROM contact_labels WHERE workspace_id = $1 AND contact_id = $2 ON CONFLICT (contact_id, label) DO NOTHING",
        ids,
    )
    .await?;
    row::execute(c, "DELETE FROM contacts WHERE workspace_id = $1 AND id = $2", (ws, from)).await
}

/// Contacts of the workspace whose typed phone is one of `phones` (its spellings) and whom
/// `channel` does not know yet: a message from that number on that channel proves the number
/// is theirs. At most two, so that an ambiguous match is seen as one.
pub async fn typed_phone_owners(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    channel: &ChannelId,
    phones: &[String],
) -> sqlx::Result<Vec<ContactId>> {
    if phones.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT k.id FROM contacts k WHERE k.workspace_id = $1 AND k.phone IN ({}) AND NOT EXISTS (SELECT 1 FROM contact_identities i WHERE i.contact_id = k.id AND i.channel_id = $2) ORDER BY k.created_at LIMIT 2",
        row::placeholders(3, phones.len())
    );
    let mut q = row::query(&sql, (ws, channel));
    for p in phones {
        q = q.bind(p.as_str());
    }
    q.fetch_all(c).await?.iter().map(|r| Ok(ContactId::from_db(r.try_get("id")?))).collect()
}

/// The labels of these contacts, by contact (one statement for a page of the list).
pub async fn labels_of(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    ids: &[ContactId],
) -> sqlx::Result<std::collections::HashMap<ContactId, Vec<String>>> {
    let mut out: std::collections::HashMap<ContactId, Vec<String>> = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let sql = format!(
        "SELECT contact_id, label FROM contact_labels WHERE workspace_id = $1 AND contact_id IN ({}) ORDER BY label",
        row::placeholders(2, ids.len())
    );
    let rows = row::all_with(c, &sql, (ws, ids), |r| {
        Ok((ContactId::from_db(r.try_get("contact_id")?), r.try_get::<String, _>("label")?))
    })
    .await?;
    for (k, l) in rows {
        out.entry(k).or_default().push(l);
    }
    Ok(out)
}

/// Every label of the workspace's contacts, by contact (for an export of all of them).
pub async fn all_labels_by_contact(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
) -> sqlx::Result<std::collections::HashMap<ContactId, Vec<String>>> {
    let sql = "SELECT contact_id, label FROM contact_labels WHERE workspace_id = $1 ORDER BY label";
    let rows = row::all_with(c, sql, ws, |r| {
        Ok((ContactId::from_db(r.try_get("contact_id")?), r.try_get::<String, _>("label")?))
    })
    .await?;
    let mut out: std::collections::HashMap<ContactId, Vec<String>> = std::collections::HashMap::new();
    for (k, l) in rows {
        out.entry(k).or_default().push(l);
    }
    Ok(out)
}

/// The workspace's contacts that someone can be recognised by: a typed phone or email, or a
/// phone a channel proved (with the contact it belongs to). For an import's duplicate check,
/// read once instead of once per row.
pub async fn reachable(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
) -> sqlx::Result<(Vec<Contact>, Vec<(String, ContactId)>)> {
    let typed = format!(
        "SELECT {COLS} FROM contacts k WHERE k.workspace_id = $1 AND (k.phone IS NOT NULL OR k.email IS NOT NULL OR EXISTS (SELECT 1 FROM contact_identities i WHERE i.contact_id = k.id AND i.kind = 'phone'))"
    );
    let contacts = row::all(&mut *c, &typed, ws).await?;
    let sql = "SELECT value, contact_id FROM contact_identities WHERE workspace_id = $1 AND kind = 'phone'";
    let phones =
        row::all_with(c, sql, ws, |r| Ok((r.try_get("value")?, ContactId::from_db(r.try_get("contact_id")?)))).await?;
    Ok((contacts, phones))
}
