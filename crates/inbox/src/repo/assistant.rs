//! The assistant's settings and knowledge base, its drafts, and the disclosure ledger.

use frontdesk_core::{AiCallId, DraftId, ThreadId, Timestamp, WorkspaceId};
use frontdesk_store::row::{self, opt_i64, Table};
use sqlx::{AnyConnection, Row};

/// A workspace's assistant settings as stored (the app parses and checks them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SettingsRow {
    pub mode: String,
    pub channel_modes: String,
    pub provider: String,
    pub base_url: Option<String>,
    pub model: Option<String>,
    /// Sealed by the vault.
    pub api_key: Option<String>,
    pub allow_topics: String,
    pub auto_in_hours_only: bool,
    pub disclosure_enabled: bool,
    pub disclosure_text: Option<String>,
    pub mask_personal_data: bool,
    pub retention_days: i64,
    pub knowledge: String,
    pub updated_at: i64,
}

row::table!(SettingsRow in "assistant_settings" {
    mode, channel_modes, provider, base_url, model, api_key, allow_topics, auto_in_hours_only, disclosure_enabled,
    disclosure_text, mask_personal_data, retention_days, knowledge, updated_at
});

pub async fn settings(c: &mut AnyConnection, ws: &WorkspaceId) -> sqlx::Result<Option<SettingsRow>> {
    row::find(c, "WHERE workspace_id = $1", ws).await
}

pub async fn save_settings(c: &mut AnyConnection, ws: &WorkspaceId, s: &SettingsRow) -> sqlx::Result<()> {
    let sql = format!(
        "INSERT INTO assistant_settings (workspace_id, {}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
         ON CONFLICT (workspace_id) DO UPDATE SET mode = excluded.mode, channel_modes = excluded.channel_modes, provider = excluded.provider, \
         base_url = excluded.base_url, model = excluded.model, api_key = excluded.api_key, allow_topics = excluded.allow_topics, \
         auto_in_hours_only = excluded.auto_in_hours_only, disclosure_enabled = excluded.disclosure_enabled, disclosure_text = excluded.disclosure_text, \
         mask_personal_data = excluded.mask_personal_data, retention_days = excluded.retention_days, knowledge = excluded.knowledge, updated_at = excluded.updated_at",
        SettingsRow::COLUMNS
    );
    row::execute(c, &sql, (ws, s)).await
}

/// Only what decides whether a message gets the assistant: (mode, channel modes JSON, auto
/// replies only in business hours). Intake reads this per batch, never the knowledge base.
pub async fn modes(c: &mut AnyConnection, ws: &WorkspaceId) -> sqlx::Result<Option<(String, String, bool)>> {
    let sql = "SELECT mode, channel_modes, auto_in_hours_only FROM assistant_settings WHERE workspace_id = $1";
    row::optional_with(c, sql, ws, |r| {
        Ok((r.get("mode"), r.get("channel_modes"), r.get::<i64, _>("auto_in_hours_only") != 0))
    })
    .await
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    pub id: DraftId,
    pub workspace_id: WorkspaceId,
    pub thread_id: ThreadId,
    pub message_id: Option<String>,
    pub text: String,
    pub lang: String,
    pub outcome: String,
    pub provider: String,
    pub model: Option<String>,
    pub facts: String,
    pub grounded: bool,
    pub status: String,
    pub held_because: Option<String>,
    pub sent_message_id: Option<String>,
    pub decided_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

row::table!(Draft in "ai_drafts" {
    id, workspace_id, thread_id, message_id, text, lang, outcome, provider, model, facts, grounded, status,
    held_because, sent_message_id, decided_by, created_at, updated_at
});

pub async fn insert_draft(c: &mut AnyConnection, d: &Draft) -> sqlx::Result<()> {
    row::insert(c, d).await
}

pub async fn draft_in(c: &mut AnyConnection, ws: &WorkspaceId, id: &DraftId) -> sqlx::Result<Option<Draft>> {
    row::find(c, "WHERE workspace_id = $1 AND id = $2", (ws, id)).await
}

/// The drafts of a thread, oldest first.
pub async fn drafts_of_thread(c: &mut AnyConnection, ws: &WorkspaceId, thread: &ThreadId) -> sqlx::Result<Vec<Draft>> {
    row::find_all(c, "WHERE workspace_id = $1 AND thread_id = $2 ORDER BY created_at, id", (ws, thread)).await
}

/// Moves a draft out of `draft` (sent, discarded); `false` when it was already decided.
pub async fn decide_draft(
    c: &mut AnyConnection,
    id: &DraftId,
    status: &str,
    text: Option<&str>,
    sent_message_id: Option<&str>,
    by: Option<&str>,
    now: Timestamp,
) -> sqlx::Result<bool> {
    let sql = "UPDATE ai_drafts SET status = $2, text = COALESCE($3, text), sent_message_id = $4, decided_by = $5, \
               updated_at = $6 WHERE id = $1 AND status = 'draft'";
    row::one_changed(c, sql, (id, status, text, sent_message_id, by, now)).await
}

/// An automatic reply that stays a draft, and why.
pub async fn hold_draft(c: &mut AnyConnection, id: &DraftId, why: &str) -> sqlx::Result<()> {
    row::execute(c, "UPDATE ai_drafts SET held_because = $2 WHERE id = $1", (id, why)).await
}

/// Deletes a workspace's drafts (AI turned off) or those older than `before`.
pub async fn purge_drafts(c: &mut AnyConnection, ws: Option<&WorkspaceId>, before: Option<i64>) -> sqlx::Result<u64> {
    let sql = "DELETE FROM ai_drafts WHERE ($1 IS NULL OR workspace_id = $1) AND ($2 IS NULL OR created_at < $2)";
    row::changed(c, sql, (ws, before)).await
}

/// Each workspace's draft retention, for the scheduler.
pub async fn retentions(c: &mut AnyConnection) -> sqlx::Result<Vec<(WorkspaceId, i64)>> {
    let sql = "SELECT workspace_id, retention_days FROM assistant_settings";
    row::all_with(c, sql, (), |r| Ok((WorkspaceId::from_db(r.get("workspace_id")), r.get("retention_days")))).await
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Call {
    pub id: AiCallId,
    pub workspace_id: WorkspaceId,
    pub thread_id: Option<String>,
    pub provider: String,
    pub model: Option<String>,
    pub purpose: String,
    pub bytes_sent: i64,
    pub bytes_received: i64,
    pub tokens_in: Option<i64>,
    pub tokens_out: Option<i64>,
    pub payload_sha256: String,
    pub outcome: String,
    pub at: i64,
}

row::table!(Call in "ai_calls" {
    id, workspace_id, thread_id, provider, model, purpose, bytes_sent, bytes_received, tokens_in, tokens_out,
    payload_sha256, outcome, at
});

pub async fn insert_call(c: &mut AnyConnection, x: &Call) -> sqlx::Result<()> {
    row::insert(c, x).await
}

/// The ledger, newest first.
pub async fn calls(c: &mut AnyConnection, ws: &WorkspaceId, limit: i64) -> sqlx::Result<Vec<Call>> {
    row::find_all(c, "WHERE workspace_id = $1 ORDER BY at DESC, id DESC LIMIT $2", (ws, limit)).await
}

/// The customer asked for a person (or an agent resumed the assistant: `None`).
pub async fn pause_thread(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    thread: &ThreadId,
    at: Option<i64>,
) -> sqlx::Result<()> {
    row::execute(c, "UPDATE threads SET ai_paused_at = $3 WHERE workspace_id = $1 AND id = $2", (ws, thread, at)).await
}

pub async fn thread_paused(c: &mut AnyConnection, ws: &WorkspaceId, thread: &ThreadId) -> sqlx::Result<Option<i64>> {
    let sql = "SELECT ai_paused_at FROM threads WHERE workspace_id = $1 AND id = $2";
    Ok(row::optional_with(c, sql, (ws, thread), |r| Ok(opt_i64(r, "ai_paused_at"))).await?.flatten())
}
