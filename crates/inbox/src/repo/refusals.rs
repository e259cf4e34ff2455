//! The sites a web chat refused, counted per day.

use frontdesk_core::{ChannelId, WorkspaceId};
use frontdesk_store::row;
use sqlx::{AnyConnection, Row};

/// Counts one refusal of `origin` on `day` (`YYYY-MM-DD`, UTC).
pub async fn count(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    channel: &ChannelId,
    origin: &str,
    day: &str,
    at: i64,
) -> sqlx::Result<()> {
    let sql = "INSERT INTO webchat_refusals (channel_id, workspace_id, origin, day, count, last_at) VALUES ($1, $2, $3, $4, 1, $5) ON CONFLICT (channel_id, origin, day) DO UPDATE SET count = webchat_refusals.count + 1, last_at = excluded.last_at";
    row::execute(c, sql, (channel, ws, origin, day, at)).await
}

/// A refused site of a channel since a day: (origin, refusals, last time).
pub async fn since(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    channel: &ChannelId,
    day: &str,
) -> sqlx::Result<Vec<(String, i64, i64)>> {
    let sql = "SELECT origin, CAST(SUM(count) AS BIGINT) AS n, MAX(last_at) AS last_at FROM webchat_refusals WHERE workspace_id = $1 AND channel_id = $2 AND day >= $3 GROUP BY origin ORDER BY n DESC, origin LIMIT 20";
    row::all_with(c, sql, (ws, channel, day), |r| Ok((r.try_get("origin")?, r.try_get("n")?, r.try_get("last_at")?)))
        .await
}

/// Forgets refusals of days before `day`.
pub async fn purge_before(c: &mut AnyConnection, day: &str) -> sqlx::Result<u64> {
    row::changed(c, "DELETE FROM webchat_refusals WHERE day < $1", day).await
}
