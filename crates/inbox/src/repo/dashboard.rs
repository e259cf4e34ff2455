//! What the workspace's Home shows of the inbox: counts, and the conversations whose customer
//! has waited longest for an answer.

use frontdesk_core::{ThreadId, UserId, WorkspaceId};
use frontdesk_store::row::{self, opt_str, FromRow};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// Open conversations: all of them, those nobody is assigned to, and those assigned to `me`.
pub async fn counts(c: &mut AnyConnection, ws: &WorkspaceId, me: &UserId) -> sqlx::Result<(i64, i64, i64)> {
    let sql = "SELECT COUNT(*) AS open, COALESCE(SUM(CASE WHEN assignee_id IS NULL THEN 1 ELSE 0 END), 0) AS unassigned, COALESCE(SUM(CASE WHEN assignee_id = $2 THEN 1 ELSE 0 END), 0) AS mine FROM threads WHERE workspace_id = $1 AND status = 'open'";
    let counts = row::optional_with(c, sql, (ws, me), |r| {
        Ok((r.try_get("open")?, r.try_get("unassigned")?, r.try_get("mine")?))
    });
    Ok(counts.await?.unwrap_or_default())
}

/// An open conversation whose last message is the customer's.
#[derive(Clone, Debug)]
pub struct Waiting {
    pub thread: ThreadId,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub username: Option<String>,
    pub channel_kind: String,
    pub preview: Option<String>,
    pub since: i64,
}

impl FromRow for Waiting {
    fn from_row(r: &AnyRow) -> sqlx::Result<Self> {
        Ok(Waiting {
            thread: ThreadId::from_db(r.try_get("id")?),
            name: opt_str(r, "name"),
            phone: opt_str(r, "phone"),
            username: opt_str(r, "username"),
            channel_kind: r.try_get("kind")?,
            preview: opt_str(r, "preview"),
            since: r.try_get("last_inbound_at")?,
        })
    }
}

/// The open conversations waiting for an answer, longest first.
pub async fn waiting(c: &mut AnyConnection, ws: &WorkspaceId, limit: i64) -> sqlx::Result<Vec<Waiting>> {
    let sql = "SELECT t.id, k.name, k.phone, k.username, ch.kind, t.preview, t.last_inbound_at FROM threads t JOIN contacts k ON k.id = t.contact_id JOIN channels ch ON ch.id = t.channel_id WHERE t.workspace_id = $1 AND t.status = 'open' AND t.last_inbound_at IS NOT NULL AND t.last_inbound_at >= t.last_message_at ORDER BY t.last_inbound_at, t.id LIMIT $2";
    row::all(c, sql, (ws, limit)).await
}
