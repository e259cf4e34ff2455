//! What each agent has read, their notification preferences and presence.

use frontdesk_core::{ThreadId, Timestamp, UserId, WorkspaceId};
use frontdesk_store::row::{self, opt_i64};
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
    let sql = "INSERT INTO thread_reads (thread_id, user_id, workspace_id, read_at) VALUES ($1, $2, $3, $4) \
               ON CONFLICT (thread_id, user_id) DO UPDATE SET read_at = \
               CASE WHEN thread_reads.read_at > excluded.read_at THEN thread_reads.read_at ELSE excluded.read_at END";
    row::execute(c, sql, (thread, user, ws, at)).await
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
    let sql = format!(
        "SELECT m.thread_id AS thread_id, COUNT(*) AS n FROM messages m \
         LEFT JOIN thread_reads r ON r.thread_id = m.thread_id AND r.user_id = $2 \
         WHERE m.workspace_id = $1 AND m.direction = 'in' AND m.thread_id IN ({}) \
         AND m.created_at > COALESCE(r.read_at, 0) GROUP BY m.thread_id",
        row::placeholders(3, threads.len())
    );
    let counts = row::all_with(c, &sql, (ws, user, threads), |r| {
        Ok((ThreadId::from_db(r.get("thread_id")), r.get::<i64, _>("n")))
    });
    Ok(counts.await?.into_iter().collect())
}

/// Open conversations that are the agent's (or nobody's) with customer messages they have not
/// seen: the count on the inbox link.
pub async fn unread_threads(c: &mut AnyConnection, ws: &WorkspaceId, user: &UserId) -> sqlx::Result<i64> {
    let sql = "SELECT COUNT(*) AS n FROM threads t LEFT JOIN thread_reads r ON r.thread_id = t.id AND r.user_id = $2 \
               WHERE t.workspace_id = $1 AND t.status <> 'resolved' AND (t.assignee_id IS NULL OR t.assignee_id = $2) \
               AND t.last_inbound_at IS NOT NULL AND t.last_inbound_at > COALESCE(r.read_at, 0)";
    row::scalar(c, sql, (ws, user)).await
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
    let sql = "SELECT browser, email_on_assign FROM notification_prefs WHERE user_id = $1";
    let prefs = row::optional_with(c, sql, user, |r| {
        Ok(Prefs { browser: r.get::<i64, _>("browser") != 0, email_on_assign: r.get::<i64, _>("email_on_assign") != 0 })
    });
    Ok(prefs.await?.unwrap_or_default())
}

pub async fn set_prefs(c: &mut AnyConnection, user: &UserId, p: Prefs, now: Timestamp) -> sqlx::Result<()> {
    let sql = "INSERT INTO notification_prefs (user_id, browser, email_on_assign, updated_at) VALUES ($1, $2, $3, $4) \
               ON CONFLICT (user_id) DO UPDATE SET browser = excluded.browser, \
               email_on_assign = excluded.email_on_assign, updated_at = excluded.updated_at";
    row::execute(c, sql, (user, p.browser, p.email_on_assign, now)).await
}

pub async fn seen(c: &mut AnyConnection, user: &UserId, now: Timestamp) -> sqlx::Result<()> {
    row::execute(c, "UPDATE users SET last_seen_at = $2 WHERE id = $1", (user, now)).await
}

pub async fn last_seen(c: &mut AnyConnection, user: &UserId) -> sqlx::Result<Option<i64>> {
    let sql = "SELECT last_seen_at FROM users WHERE id = $1";
    Ok(row::optional_with(c, sql, user, |r| Ok(opt_i64(r, "last_seen_at"))).await?.flatten())
}
