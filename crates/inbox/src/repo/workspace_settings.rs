//! The inbox's settings kept on the workspace row (columns the inbox's migrations add to
//! `workspaces`): reopening resolved threads, business hours and the away reply.

use frontdesk_core::{Timestamp, WorkspaceId};
use sqlx::{AnyConnection, Row};

/// Whether a customer writing again reopens their last resolved thread (else: a new thread).
pub async fn inbox_reopen(c: &mut AnyConnection, id: &WorkspaceId) -> sqlx::Result<bool> {
    Ok(sqlx::query("SELECT inbox_reopen FROM workspaces WHERE id = $1")
        .bind(id.as_str())
        .fetch_optional(c)
        .await?
        .map(|r| r.get::<i64, _>("inbox_reopen") != 0)
        .unwrap_or(true))
}

pub async fn set_inbox_reopen(c: &mut AnyConnection, id: &WorkspaceId, reopen: bool) -> sqlx::Result<()> {
    sqlx::query("UPDATE workspaces SET inbox_reopen = $2 WHERE id = $1")
        .bind(id.as_str())
        .bind(reopen as i64)
        .execute(c)
        .await?;
    Ok(())
}

/// Business hours (JSON schedule) and the away reply of a workspace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HoursRow {
    pub schedule: Option<String>,
    pub away_enabled: bool,
    pub away_text: Option<String>,
    /// The business profile's time zone, which the hours are kept in (read, never written here).
    pub time_zone: Option<String>,
}

pub async fn hours(c: &mut AnyConnection, id: &WorkspaceId) -> sqlx::Result<HoursRow> {
    let r = sqlx::query(
        "SELECT w.business_hours, w.away_enabled, w.away_text, p.time_zone FROM workspaces w LEFT JOIN workspace_profiles p ON p.workspace_id = w.id WHERE w.id = $1",
    )
        .bind(id.as_str())
        .fetch_optional(c)
        .await?;
    Ok(r.map(|r| HoursRow {
        schedule: frontdesk_store::row::opt_str(&r, "business_hours"),
        away_enabled: r.get::<i64, _>("away_enabled") != 0,
        away_text: frontdesk_store::row::opt_str(&r, "away_text"),
        time_zone: frontdesk_store::row::opt_str(&r, "time_zone"),
    })
    .unwrap_or_default())
}

pub async fn set_hours(c: &mut AnyConnection, id: &WorkspaceId, h: &HoursRow, now: Timestamp) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE workspaces SET business_hours = $2, away_enabled = $3, away_text = $4, updated_at = $5 WHERE id = $1",
    )
    .bind(id.as_str())
    .bind(h.schedule.as_deref())
    .bind(h.away_enabled as i64)
    .bind(h.away_text.as_deref())
    .bind(now.0)
    .execute(c)
    .await?;
    Ok(())
}
