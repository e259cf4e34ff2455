//! What each agent has read, their notification preferences and presence.

use frontdesk_core::{ThreadId, Timestamp, UserId, WorkspaceId};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// Marks a thread read for an agent up to `at` (never moves backwards).
pub async fn mark_read(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    thread: &ThreadId,
    user: &UserId,
    at: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO thread_reads (thread_id, user_id, workspace_id, read_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (thread_id, user_id) DO UPDATE SET read_at = CASE WHEN thread_reads.read_at > excluded.read_at THEN thread_reads.read_at ELSE excluded.read_at END",
    )
    .bind(thread.as_str())
    .bind(user.as_str())
    .bind(ws.as_str())
    .bind(at)
    .execute(c)
    .await?;
    Ok(())
}

/// Customer messages an agent has not seen, per thread (threads with none are absent).
pub async fn unread_counts(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    user: &UserId,
    threads: &[ThreadId],
) -> sqlx::Result<HashMap<ThreadId, i64>> {
    if threads.is_empty() {
        return Ok(HashMap::new());
    }
    let marks: Vec<String> = (0..threads.len()).map(|i| format!("${}", i + 3)).collect();
    let sql = format!(
        "SELECT m.thread_id AS thread_id, COUNT(*) AS n FROM messages m \
         LEFT JOIN thread_reads r ON r.thread_id = m.thread_id AND r.user_id = $2 \
         WHERE m.workspace_id = $1 AND m.direction = 'in' AND m.thread_id IN ({}) \
         AND m.created_at > COALESCE(r.read_at, 0) GROUP BY m.thread_id",
        marks.join(", ")
    );
    let mut q = sqlx::query(&sql).bind(ws.as_str()).bind(user.as_str());
    for t in threads {
        q = q.bind(t.as_str());
    }
    Ok(q.fetch_all(c).await?.iter().map(|r| (ThreadId::from_db(r.get("thread_id")), r.get::<i64, _>("n"))).collect())
}

/// Open conversations that are the agent's (or nobody's) with customer messages they have not
/// seen: the count on the inbox link.
pub async fn unread_threads(c: &mut AnyConnection, ws: &WorkspaceId, user: &UserId) -> sqlx::Result<i64> {
    sqlx::query(
        "SELECT COUNT(*) AS n FROM threads t LEFT JOIN thread_reads r ON r.thread_id = t.id AND r.user_id = $2 \
         WHERE t.workspace_id = $1 AND t.status <> 'resolved' AND (t.assignee_id IS NULL OR t.assignee_id = $2) \
         AND t.last_inbound_at IS NOT NULL AND t.last_inbound_at > COALESCE(r.read_at, 0)",
    )
    .bind(ws.as_str())
    .bind(user.as_str())
    .fetch_one(c)
    .await
    .map(|r| r.get::<i64, _>("n"))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prefs {
    /// Desktop notifications for new customer messages on one's own or unassigned threads.
    pub browser: bool,
    /// An email when a conversation is assigned to the agent while they are not online.
    pub email_on_assign: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        Self { browser: true, email_on_assign: true }
    }
}

pub async fn prefs(c: &mut AnyConnection, user: &UserId) -> sqlx::Result<Prefs> {
    let r = sqlx::query("SELECT browser, email_on_assign FROM notification_prefs WHERE user_id = $1")
        .bind(user.as_str())
        .fetch_optional(c)
        .await?;
    Ok(r.map(|r| Prefs {
        browser: r.get::<i64, _>("browser") != 0,
        email_on_assign: r.get::<i64, _>("email_on_assign") != 0,
    })
    .unwrap_or_default())
}

pub async fn set_prefs(c: &mut AnyConnection, user: &UserId, p: Prefs, now: Timestamp) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO notification_prefs (user_id, browser, email_on_assign, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id) DO UPDATE SET browser = excluded.browser, email_on_assign = excluded.email_on_assign, updated_at = excluded.updated_at",
    )
    .bind(user.as_str())
    .bind(p.browser as i64)
    .bind(p.email_on_assign as i64)
    .bind(now.0)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn seen(c: &mut AnyConnection, user: &UserId, now: Timestamp) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET last_seen_at = $2 WHERE id = $1").bind(user.as_str()).bind(now.0).execute(c).await?;
    Ok(())
}

pub async fn last_seen(c: &mut AnyConnection, user: &UserId) -> sqlx::Result<Option<i64>> {
    let r = sqlx::query("SELECT last_seen_at FROM users WHERE id = $1").bind(user.as_str()).fetch_optional(c).await?;
    Ok(r.and_then(|r| frontdesk_store::row::opt_i64(&r, "last_seen_at")))
}
