//! The phones area's SQL. Every workspace query takes the workspace; the operator's (providers,
//! profiles, the pool) are the only ones without.

use frontdesk_core::{DeviceActivityId, DeviceId, DeviceProfileId, PhoneProviderId, WorkspaceId};
use frontdesk_store::row;
use sqlx::AnyConnection;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provider {
    pub id: PhoneProviderId,
    pub name: String,
    /// `geelark` or `adb`.
    pub kind: String,
    pub endpoint: String,
    pub app_id: Option<String>,
    /// Sealed.
    pub secret: Option<String>,
    pub secret_hint: Option<String>,
    /// `ok`, `auth_failed` or `unreachable`.
    pub status: String,
    pub status_detail: Option<String>,
    pub checked_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

row::table!(Provider in "phone_providers" {
    id, name, kind, endpoint, app_id, secret, secret_hint, status, status_detail, checked_at, created_at, updated_at
});

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub id: DeviceProfileId,
    pub provider_id: PhoneProviderId,
    pub name: String,
    pub region: Option<String>,
    pub android_version: String,
    pub size: Option<String>,
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

row::table!(Profile in "phone_profiles" {
    id, provider_id, name, region, android_version, size, active, created_at, updated_at
});

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Device {
    pub id: DeviceId,
    /// `None`: in the operator's pool.
    pub workspace_id: Option<WorkspaceId>,
    pub provider_id: PhoneProviderId,
    pub profile_id: Option<DeviceProfileId>,
    pub provider_ref: Option<String>,
    pub name: String,
    /// A JSON array of strings.
    pub tags: String,
    pub notes: Option<String>,
    pub state: String,
    pub state_detail: Option<String>,
    pub op: Option<String>,
    pub op_by: Option<String>,
    pub op_started_at: Option<i64>,
    pub op_called_at: Option<i64>,
    pub last_error: Option<String>,
    pub stream_url: Option<String>,
    pub running_since: Option<i64>,
    pub metered: i64,
    pub viewed_at: Option<i64>,
    pub lease_user_id: Option<String>,
    pub lease_name: Option<String>,
    pub lease_until: Option<i64>,
    pub needs_reset: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

row::table!(Device in "devices" {
    id, workspace_id, provider_id, profile_id, provider_ref, name, tags, notes, state, state_detail, op, op_by,
    op_started_at, op_called_at, last_error, stream_url, running_since, metered, viewed_at,
    lease_user_id, lease_name, lease_until, needs_reset, created_at, updated_at
});

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Activity {
    pub id: DeviceActivityId,
    pub workspace_id: WorkspaceId,
    pub device_id: DeviceId,
    /// `user:<id>`, `api_token:<id>`, `system`.
    pub actor: String,
    pub actor_name: Option<String>,
    pub action: String,
    pub outcome: String,
    pub ip: Option<String>,
    pub at: i64,
}

row::table!(Activity in "device_activity" { id, workspace_id, device_id, actor, actor_name, action, outcome, ip, at });

// Providers and profiles (the operator's).

pub async fn providers(c: &mut AnyConnection) -> sqlx::Result<Vec<Provider>> {
    row::find_all(c, "ORDER BY name", ()).await
}

pub async fn provider(c: &mut AnyConnection, id: &PhoneProviderId) -> sqlx::Result<Option<Provider>> {
    row::find(c, "WHERE id = $1", id).await
}

pub async fn insert_provider(c: &mut AnyConnection, p: &Provider) -> sqlx::Result<()> {
    row::insert(c, p).await
}

pub async fn set_provider_status(
    c: &mut AnyConnection,
    id: &PhoneProviderId,
    status: &str,
    detail: Option<&str>,
    now: i64,
) -> sqlx::Result<()> {
    let sql = "UPDATE phone_providers SET status = $1, status_detail = $2, checked_at = $3 WHERE id = $4";
    row::execute(c, sql, (status, detail, now, id)).await
}

pub async fn profiles(c: &mut AnyConnection) -> sqlx::Result<Vec<Profile>> {
    row::find_all(c, "ORDER BY name", ()).await
}

pub async fn profile(c: &mut AnyConnection, id: &DeviceProfileId) -> sqlx::Result<Option<Profile>> {
    row::find(c, "WHERE id = $1", id).await
}

pub async fn insert_profile(c: &mut AnyConnection, p: &Profile) -> sqlx::Result<()> {
    row::insert(c, p).await
}

// Devices.

pub async fn insert_device(c: &mut AnyConnection, d: &Device) -> sqlx::Result<()> {
    row::insert(c, d).await
}

pub async fn device(c: &mut AnyConnection, ws: &WorkspaceId, id: &DeviceId) -> sqlx::Result<Option<Device>> {
    row::find(c, "WHERE workspace_id = $1 AND id = $2 AND state <> 'deleted'", (ws, id)).await
}

/// A device whoever holds it (jobs, which carry the id they were queued with).
pub async fn device_any(c: &mut AnyConnection, id: &DeviceId) -> sqlx::Result<Option<Device>> {
    row::find(c, "WHERE id = $1", id).await
}

pub async fn by_ref(c: &mut AnyConnection, provider: &PhoneProviderId, r: &str) -> sqlx::Result<Option<Device>> {
    row::find(c, "WHERE provider_id = $1 AND provider_ref = $2", (provider, r)).await
}

pub async fn devices(c: &mut AnyConnection, ws: &WorkspaceId) -> sqlx::Result<Vec<Device>> {
    row::find_all(c, "WHERE workspace_id = $1 AND state <> 'deleted' ORDER BY name, id", ws).await
}

/// The operator's pool and every workspace's devices (the operator's page).
pub async fn all_devices(c: &mut AnyConnection) -> sqlx::Result<Vec<Device>> {
    row::find_all(c, "WHERE state <> 'deleted' ORDER BY provider_id, name", ()).await
}

/// Devices the sync asks their provider about: not being driven by a job, not deleted.
pub async fn settled(c: &mut AnyConnection) -> sqlx::Result<Vec<Device>> {
    row::find_all(
        c,
        "WHERE op IS NULL AND provider_ref IS NOT NULL AND state NOT IN ('deleted', 'provisioning') ORDER BY provider_id",
        (),
    )
    .await
}

pub async fn running(c: &mut AnyConnection) -> sqlx::Result<Vec<Device>> {
    row::find_all(c, "WHERE running_since IS NOT NULL AND workspace_id IS NOT NULL ORDER BY id", ()).await
}

/// Writes the device back, only if nobody changed it since it was read (`updated_at`).
pub async fn save(c: &mut AnyConnection, d: &Device, read_at: i64) -> sqlx::Result<bool> {
    let sql = "UPDATE devices SET workspace_id = $1, profile_id = $2, provider_ref = $3, name = $4, tags = $5, \
               notes = $6, state = $7, state_detail = $8, op = $9, op_by = $10, op_started_at = $11, \
               op_called_at = $12, last_error = $13, stream_url = $14, running_since = $15, metered = $16, \
               viewed_at = $17, lease_user_id = $18, lease_name = $19, lease_until = $20, needs_reset = $21, \
               updated_at = $22 WHERE id = $23 AND updated_at = $24";
    let args = (
        (&d.workspace_id, &d.profile_id, &d.provider_ref, &d.name, &d.tags, &d.notes, &d.state, &d.state_detail),
        (&d.op, &d.op_by, d.op_started_at, d.op_called_at, &d.last_error),
        (&d.stream_url, d.running_since, d.metered, d.viewed_at, &d.lease_user_id, &d.lease_name, d.lease_until),
        (d.needs_reset, d.updated_at, &d.id, read_at),
    );
    row::one_changed(c, sql, args).await
}

/// Claims a free device of the pool for a workspace (one that was reset).
pub async fn claim_pool(
    c: &mut AnyConnection,
    provider: &PhoneProviderId,
    ws: &WorkspaceId,
    now: i64,
) -> sqlx::Result<Option<DeviceId>> {
    let free: Option<String> = row::opt_scalar(
        c,
        "SELECT id FROM devices WHERE provider_id = $1 AND workspace_id IS NULL AND needs_reset = 0 \
         AND state = 'stopped' AND op IS NULL ORDER BY created_at, id LIMIT 1",
        provider,
    )
    .await?;
    let Some(id) = free else { return Ok(None) };
    let took = row::one_changed(
        c,
        "UPDATE devices SET workspace_id = $1, updated_at = $2 WHERE id = $3 AND workspace_id IS NULL",
        (ws, now, &id),
    )
    .await?;
    Ok(took.then(|| DeviceId::from_db(id)))
}

pub async fn viewed(c: &mut AnyConnection, ws: &WorkspaceId, id: &DeviceId, now: i64) -> sqlx::Result<()> {
    row::execute(c, "UPDATE devices SET viewed_at = $1 WHERE workspace_id = $2 AND id = $3", (now, ws, id)).await
}

// Minutes.

/// Records a minute once; `false` when it was recorded before.
pub async fn insert_minute(
    c: &mut AnyConnection,
    d: &DeviceId,
    ws: &WorkspaceId,
    minute: i64,
    day: &str,
    outcome: &str,
) -> sqlx::Result<bool> {
    let sql = "INSERT INTO device_minutes (device_id, minute, workspace_id, day, outcome) VALUES ($1, $2, $3, $4, $5) \
               ON CONFLICT DO NOTHING";
    row::one_changed(c, sql, (d, minute, ws, day, outcome)).await
}

pub async fn charged_on(c: &mut AnyConnection, d: &DeviceId, day: &str) -> sqlx::Result<i64> {
    row::scalar(
        c,
        "SELECT COUNT(*) FROM device_minutes WHERE device_id = $1 AND day = $2 AND outcome = 'charged'",
        (d, day),
    )
    .await
}

/// Minutes per local day (and how many were past the cap), newest first.
pub async fn usage(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    device: Option<&DeviceId>,
    from_day: &str,
) -> sqlx::Result<Vec<(String, i64, i64)>> {
    let rows: Vec<sqlx::any::AnyRow> = match device {
        Some(d) => {
            row::query(
                "SELECT day, COUNT(*) AS n, SUM(CASE WHEN outcome = 'capped' THEN 1 ELSE 0 END) AS capped \
                 FROM device_minutes WHERE workspace_id = $1 AND device_id = $2 AND day >= $3 GROUP BY day ORDER BY day DESC",
                (ws, d, from_day),
            )
            .fetch_all(&mut *c)
            .await?
        }
        None => {
            row::query(
                "SELECT day, COUNT(*) AS n, SUM(CASE WHEN outcome = 'capped' THEN 1 ELSE 0 END) AS capped \
                 FROM device_minutes WHERE workspace_id = $1 AND day >= $2 GROUP BY day ORDER BY day DESC",
                (ws, from_day),
            )
            .fetch_all(&mut *c)
            .await?
        }
    };
    use sqlx::Row;
    rows.iter()
        .map(|r| Ok((r.try_get::<String, _>("day")?, r.try_get::<i64, _>("n")?, r.try_get::<i64, _>("capped")?)))
        .collect()
}

pub async fn minutes_of(c: &mut AnyConnection, d: &DeviceId) -> sqlx::Result<i64> {
    row::scalar(c, "SELECT COUNT(*) FROM device_minutes WHERE device_id = $1", d).await
}

// Activity.

pub async fn insert_activity(c: &mut AnyConnection, a: &Activity) -> sqlx::Result<()> {
    row::insert(c, a).await
}

pub async fn activity(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    device: Option<&DeviceId>,
    limit: i64,
) -> sqlx::Result<Vec<Activity>> {
    match device {
        Some(d) => {
            row::find_all(
                c,
                "WHERE workspace_id = $1 AND device_id = $2 ORDER BY at DESC, id DESC LIMIT $3",
                (ws, d, limit),
            )
            .await
        }
        None => row::find_all(c, "WHERE workspace_id = $1 ORDER BY at DESC, id DESC LIMIT $2", (ws, limit)).await,
    }
}

/// Activity IPs older than `before` are cleared (P37's 90 days).
pub async fn anonymise_activity(c: &mut AnyConnection, before: i64) -> sqlx::Result<u64> {
    row::changed(c, "UPDATE device_activity SET ip = NULL WHERE at < $1 AND ip IS NOT NULL", before).await
}

// Settings.

pub async fn settings(c: &mut AnyConnection, ws: &WorkspaceId) -> sqlx::Result<Option<(i64, Option<i64>)>> {
    let r: Option<sqlx::any::AnyRow> =
        row::query("SELECT idle_stop_minutes, daily_cap_minutes FROM phone_settings WHERE workspace_id = $1", ws)
            .fetch_optional(&mut *c)
            .await?;
    use sqlx::Row;
    r.map(|r| Ok((r.try_get("idle_stop_minutes")?, row::opt_i64(&r, "daily_cap_minutes")))).transpose()
}

pub async fn set_settings(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    idle: i64,
    cap: Option<i64>,
    now: i64,
) -> sqlx::Result<()> {
    let sql = "INSERT INTO phone_settings (workspace_id, idle_stop_minutes, daily_cap_minutes, updated_at) \
               VALUES ($1, $2, $3, $4) ON CONFLICT (workspace_id) DO UPDATE SET idle_stop_minutes = $2, \
               daily_cap_minutes = $3, updated_at = $4";
    row::execute(c, sql, (ws, idle, cap, now)).await
}
