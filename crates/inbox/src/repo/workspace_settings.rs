//! The inbox's settings kept on the workspace row (columns the inbox's migrations add to
//! `workspaces`): reopening resolved threads, business hours and the away reply.

use frontdesk_core::{Timestamp, WorkspaceId};
use frontdesk_store::row::{self, opt_str};
use sqlx::{AnyConnection, Row};

/// Whether a customer writing again reopens their last resolved thread (else: a new thread).
pub async fn inbox_reopen(c: &mut AnyConnection, id: &WorkspaceId) -> sqlx::Result<bool> {
    let sql = "SELECT inbox_reopen FROM workspaces WHERE id = $1";
    let reopen = row::optional_with(c, sql, id, |r| Ok(r.get::<i64, _>("inbox_reopen") != 0));
    Ok(reopen.await?.unwrap_or(true))
}

pub async fn set_inbox_reopen(c: &mut AnyConnection, id: &WorkspaceId, reopen: bool) -> sqlx::Result<()> {
    row::execute(c, "UPDATE workspaces SET inbox_reopen = $2 WHERE id = $1", (id, reopen)).await
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
    let sql = "SELECT w.business_hours, w.away_enabled, w.away_text, p.time_zone FROM workspaces w LEFT JOIN workspace_profiles p ON p.workspace_id = w.id WHERE w.id = $1";
    let hours = row::optional_with(c, sql, id, |r| {
        Ok(HoursRow {
            schedule: opt_str(r, "business_hours"),
            away_enabled: r.get::<i64, _>("away_enabled") != 0,
            away_text: opt_str(r, "away_text"),
            time_zone: opt_str(r, "time_zone"),
        })
    });
    Ok(hours.await?.unwrap_or_default())
}

pub async fn set_hours(c: &mut AnyConnection, id: &WorkspaceId, h: &HoursRow, now: Timestamp) -> sqlx::Result<()> {
    let sql =
        "UPDATE workspaces SET business_hours = $2, away_enabled = $3, away_text = $4, updated_at = $5 WHERE id = $1";
    row::execute(c, sql, (id, &h.schedule, h.away_enabled, &h.away_text, now)).await
}
