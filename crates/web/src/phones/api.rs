//! Devices over JSON: list, add, one, edit, start/stop/restart/reset, delete, usage, activity,
//! the control lease, the workspace's phone settings; the operator's providers, profiles and
//! pool; GeeLark's callbacks (verified, then only a re-poll).

use crate::inbox::api::current;
use crate::kit::answer::{Answer, Api, Time};
use crate::kit::body::ApiJson;
use crate::kit::error::WebError;
use crate::kit::extract::ApiCaller;
use crate::{Access, AppState, Table};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post, put};
use frontdesk_core::Action;
use frontdesk_phones::devices::{self, AddInput, Ask, EditInput, LeaseInput, SettingsInput};
use frontdesk_phones::operator::{self, ProfileInput, ProviderInput};
use frontdesk_phones::repo::{Activity, Device, Profile, Provider};
use frontdesk_platform::audit;
use schemars::JsonSchema;
use serde::Serialize;

pub(crate) fn routes(t: Table) -> Table {
    use Access::*;
    use Action::{ManageDevices, UseDevices, ViewDevices};
    t.add("GET", "/api/v1/devices", Current(ViewDevices), "The workspace's cloud phones and their state", get(list))
        .returns::<DevicesOut>()
        .add(
            "POST",
            "/api/v1/devices",
            Current(ManageDevices),
            "Add a cloud phone from one of the operator's profiles",
            post(add),
        )
        .body::<AddInput>()
        .created::<DeviceOut>()
        .add(
            "GET",
            "/api/v1/devices/{id}",
            Current(ViewDevices),
            "A cloud phone (a viewer keeps it from idling)",
            get(one),
        )
        .returns::<DeviceOut>()
        .add(
            "PATCH",
            "/api/v1/devices/{id}",
            Current(ManageDevices),
            "Rename a phone, change its tags or notes",
            patch(edit),
        )
        .body::<EditInput>()
        .returns::<DeviceOut>()
        .add("POST", "/api/v1/devices/{id}/start", Current(UseDevices), "Start a stopped or failed phone", post(start))
        .no_body()
        .returns::<DeviceOut>()
        .add("POST", "/api/v1/devices/{id}/stop", Current(UseDevices), "Stop a running phone", post(stop))
        .no_body()
        .returns::<DeviceOut>()
        .add("POST", "/api/v1/devices/{id}/restart", Current(UseDevices), "Restart a running phone", post(restart))
        .no_body()
        .returns::<DeviceOut>()
        .add(
            "POST",
            "/api/v1/devices/{id}/reset",
            Current(ManageDevices),
            "Reset a stopped phone: its apps and files are removed",
            post(reset),
        )
        .no_body()
        .returns::<DeviceOut>()
        .add(
            "DELETE",
            "/api/v1/devices/{id}",
            Current(ManageDevices),
            "Delete a phone (a pool device is reset and handed back)",
            delete(remove),
        )
        .returns::<DeviceOut>()
        .add("GET", "/api/v1/devices/{id}/usage", Current(ViewDevices), "Minutes a phone ran, per day", get(usage))
        .returns::<UsageOut>()
        .add("GET", "/api/v1/devices/{id}/activity", Current(ViewDevices), "Who did what to a phone", get(activity))
        .returns::<ActivityOut>()
        .add(
            "POST",
            "/api/v1/devices/{id}/lease",
            Current(UseDevices),
            "Take the phone's control lease (others see who drives it)",
            post(take_lease),
        )
        .optional_body::<LeaseInput>()
        .returns::<DeviceOut>()
        .add(
            "DELETE",
            "/api/v1/devices/{id}/lease",
            Current(UseDevices),
            "Give the control lease back",
            delete(drop_lease),
        )
        .returns::<DeviceOut>()
        .add(
            "GET",
            "/api/v1/device-usage",
            Current(ViewDevices),
            "Minutes the workspace's phones ran, per day",
            get(ws_usage),
        )
        .returns::<UsageOut>()
        .add(
            "GET",
            "/api/v1/device-profiles",
            Current(ViewDevices),
            "The profiles a phone can be added from",
            get(profiles),
        )
        .returns::<DeviceProfilesOut>()
        .add("GET", "/api/v1/phone-settings", Current(ViewDevices), "Idle stop and the daily cap", get(settings))
        .returns::<SettingsInput>()
        .add(
            "PUT",
            "/api/v1/phone-settings",
            Current(ManageDevices),
            "Change the idle stop and the daily cap",
            put(set_settings),
        )
        .body::<SettingsInput>()
        .returns::<SettingsInput>()
        .add(
            "GET",
            "/api/v1/admin/phone-providers",
            Operator,
            "The operator's phone providers (never their keys)",
            get(providers),
        )
        .returns::<PhoneProvidersOut>()
        .add(
            "POST",
            "/api/v1/admin/phone-providers",
            Operator,
            "Add a phone provider (its credentials are checked first, then sealed)",
            post(add_provider),
        )
        .body::<ProviderInput>()
        .created::<PhoneProviderOut>()
        .add(
            "POST",
            "/api/v1/admin/phone-providers/{id}/sync",
            Operator,
            "List an ADB host's devices into the pool",
            post(sync_pool),
        )
        .no_body()
        .returns::<SyncOut>()
        .add(
            "GET",
            "/api/v1/admin/phone-profiles",
            Operator,
            "The profiles workspaces add phones from",
            get(admin_profiles),
        )
        .returns::<DeviceProfilesOut>()
        .add("POST", "/api/v1/admin/phone-profiles", Operator, "Add a profile", post(add_profile))
        .body::<ProfileInput>()
        .created::<DeviceProfileOut>()
        .add("GET", "/api/v1/admin/devices", Operator, "Every device: the pool and the workspaces'", get(admin_devices))
        .returns::<DevicesOut>()
        .add(
            "POST",
            "/webhooks/geelark/{provider_id}",
            Public,
            "GeeLark's callbacks for one provider (signed headers; they only trigger a re-poll)",
            post(geelark_callback),
        )
}

/// A device as the API shows it.
#[derive(Serialize, JsonSchema)]
pub(crate) struct DeviceOut {
    pub id: String,
    pub name: String,
    pub tags: Vec<String>,
    pub notes: Option<String>,
    /// `provisioning`, `stopped`, `starting`, `running`, `stopping`, `restarting`, `resetting`,
    /// `failed`, `expired`, `unknown`, `deleting` or `deleted`.
    pub state: String,
    /// Why it failed, or the provider's raw state when it is `unknown`.
    pub state_detail: Option<String>,
    /// The operation under way.
    pub operation: Option<String>,
    /// Why the last operation was refused.
    pub last_error: Option<String>,
    pub provider: String,
    pub profile_id: Option<String>,
    /// Since when it has been running (each minute of it is metered).
    pub running_since: Option<Time>,
    /// Minutes of the current run recorded so far.
    pub minutes_this_run: i64,
    /// The provider's own remote-view link, while running.
    pub stream_url: Option<String>,
    /// Who drives it, until when.
    pub lease_holder: Option<String>,
    pub lease_until: Option<Time>,
    pub created_at: Time,
}

pub(crate) fn device_out(d: &Device, provider: &str, now: i64) -> DeviceOut {
    let lease = devices::lease(d, now);
    DeviceOut {
        id: d.id.to_string(),
        name: d.name.clone(),
        tags: devices::tags(d),
        notes: d.notes.clone(),
        state: d.state.clone(),
        state_detail: d.state_detail.clone(),
        operation: d.op.clone(),
        last_error: d.last_error.clone(),
        provider: provider.to_string(),
        profile_id: d.profile_id.as_ref().map(|p| p.to_string()),
        running_since: Time::of_opt(d.running_since),
        minutes_this_run: d.metered,
        stream_url: d.stream_url.clone(),
        lease_holder: lease.as_ref().map(|(_, n, _)| n.clone()),
        lease_until: lease.map(|(_, _, u)| Time::of(u)),
        created_at: Time::of(d.created_at),
    }
}

#[derive(Serialize, JsonSchema)]
struct DevicesOut {
    devices: Vec<DeviceOut>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct DayOut {
    /// The business's local date.
    day: String,
    minutes: i64,
    /// Of them, minutes past the daily cap (not charged).
    capped: i64,
}

#[derive(Serialize, JsonSchema)]
struct UsageOut {
    days: Vec<DayOut>,
    total_minutes: i64,
}

#[derive(Serialize, JsonSchema)]
struct ActivityRow {
    action: String,
    outcome: String,
    /// `user:<id>`, `api_token:<id>` or `system`.
    actor: String,
    actor_name: Option<String>,
    ip: Option<String>,
    at: Time,
}

fn activity_out(a: &Activity) -> ActivityRow {
    ActivityRow {
        action: a.action.clone(),
        outcome: a.outcome.clone(),
        actor: a.actor.clone(),
        actor_name: a.actor_name.clone(),
        ip: a.ip.clone(),
        at: Time::of(a.at),
    }
}

#[derive(Serialize, JsonSchema)]
struct ActivityOut {
    activity: Vec<ActivityRow>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct DeviceProfileOut {
    id: String,
    provider_id: String,
    name: String,
    android_version: String,
    region: Option<String>,
    size: Option<String>,
}

fn profile_out(p: &Profile) -> DeviceProfileOut {
    DeviceProfileOut {
        id: p.id.to_string(),
        provider_id: p.provider_id.to_string(),
        name: p.name.clone(),
        android_version: p.android_version.clone(),
        region: p.region.clone(),
        size: p.size.clone(),
    }
}

#[derive(Serialize, JsonSchema)]
struct DeviceProfilesOut {
    profiles: Vec<DeviceProfileOut>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct PhoneProviderOut {
    id: String,
    name: String,
    /// `geelark` or `adb`.
    kind: String,
    endpoint: String,
    app_id: Option<String>,
    /// The key's last four characters.
    key_hint: Option<String>,
    /// `ok`, `auth_failed` or `unreachable`.
    status: String,
    status_detail: Option<String>,
    /// Where GeeLark sends this provider's callbacks.
    callback_url: Option<String>,
}

fn provider_out(s: &AppState, p: &Provider) -> PhoneProviderOut {
    PhoneProviderOut {
        id: p.id.to_string(),
        name: p.name.clone(),
        kind: p.kind.clone(),
        endpoint: p.endpoint.clone(),
        app_id: p.app_id.clone(),
        key_hint: p.secret_hint.clone(),
        status: p.status.clone(),
        status_detail: p.status_detail.clone(),
        callback_url: (p.kind == "geelark")
            .then(|| format!("{}/webhooks/geelark/{}", s.app.settings.base_url.trim_end_matches('/'), p.id)),
    }
}

#[derive(Serialize, JsonSchema)]
struct PhoneProvidersOut {
    providers: Vec<PhoneProviderOut>,
}

#[derive(Serialize, JsonSchema)]
struct SyncOut {
    /// Devices new to the pool.
    added: usize,
}

/// Provider names by id, for answers.
pub(crate) async fn names(s: &AppState) -> Result<Vec<(String, String)>, WebError> {
    Ok(operator::providers(&s.phones).await?.into_iter().map(|p| (p.id.to_string(), p.name)).collect())
}

pub(crate) fn name_of(names: &[(String, String)], d: &Device) -> String {
    names.iter().find(|(id, _)| *id == d.provider_id.as_str()).map(|(_, n)| n.clone()).unwrap_or_default()
}

async fn out(s: &AppState, d: &Device) -> Result<DeviceOut, WebError> {
    let n = names(s).await?;
    Ok(device_out(d, &name_of(&n, d), s.app.now().0))
}

async fn list(State(s): State<AppState>, c: ApiCaller) -> Api<DevicesOut> {
    let a = current(&s, &c, Action::ViewDevices).await?;
    let list = devices::list(&s.phones, &a.workspace.id).await?;
    let n = names(&s).await?;
    let now = s.app.now().0;
    Ok(Answer::ok(DevicesOut { devices: list.iter().map(|d| device_out(d, &name_of(&n, d), now)).collect() }))
}

async fn add(State(s): State<AppState>, c: ApiCaller, ApiJson(b): ApiJson<AddInput>) -> Api<DeviceOut> {
    let a = current(&s, &c, Action::ManageDevices).await?;
    let d = devices::add(&s.phones, &a, &b).await?;
    Ok(Answer::created(out(&s, &d).await?))
}

async fn one(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<DeviceOut> {
    let a = current(&s, &c, Action::ViewDevices).await?;
    let d = devices::watch(&s.phones, &a.workspace.id, &id).await?;
    Ok(Answer::ok(out(&s, &d).await?))
}

async fn edit(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<EditInput>,
) -> Api<DeviceOut> {
    let a = current(&s, &c, Action::ManageDevices).await?;
    let d = devices::edit(&s.phones, &a, &id, &b).await?;
    Ok(Answer::ok(out(&s, &d).await?))
}

async fn act(s: &AppState, c: &ApiCaller, id: &str, ask: Ask) -> Api<DeviceOut> {
    let need = match ask {
        Ask::Reset | Ask::Delete => Action::ManageDevices,
        _ => Action::UseDevices,
    };
    let a = current(s, c, need).await?;
    let d = devices::request(&s.phones, &a, id, ask).await?;
    Ok(Answer::ok(out(s, &d).await?))
}

async fn start(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<DeviceOut> {
    act(&s, &c, &id, Ask::Start).await
}

async fn stop(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<DeviceOut> {
    act(&s, &c, &id, Ask::Stop).await
}

async fn restart(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<DeviceOut> {
    act(&s, &c, &id, Ask::Restart).await
}

async fn reset(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<DeviceOut> {
    act(&s, &c, &id, Ask::Reset).await
}

async fn remove(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<DeviceOut> {
    act(&s, &c, &id, Ask::Delete).await
}

pub(crate) async fn days(
    s: &AppState,
    ws: &frontdesk_core::WorkspaceId,
    device: Option<&Device>,
) -> Result<Vec<(String, i64, i64)>, WebError> {
    let from = frontdesk_core::Timestamp(s.app.now().0 - 31 * frontdesk_core::Timestamp::DAY).to_rfc3339();
    let mut c = s.app.db.conn().await.map_err(frontdesk_platform::AppError::from)?;
    Ok(frontdesk_phones::repo::usage(&mut c, ws, device.map(|d| &d.id), &from[..10])
        .await
        .map_err(frontdesk_platform::AppError::from)?)
}

fn usage_out(list: Vec<(String, i64, i64)>) -> UsageOut {
    let total_minutes = list.iter().map(|(_, n, _)| n).sum();
    UsageOut {
        days: list.into_iter().map(|(day, minutes, capped)| DayOut { day, minutes, capped }).collect(),
        total_minutes,
    }
}

async fn usage(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<UsageOut> {
    let a = current(&s, &c, Action::ViewDevices).await?;
    let d = devices::get(&s.phones, &a.workspace.id, &id).await?;
    Ok(Answer::ok(usage_out(days(&s, &a.workspace.id, Some(&d)).await?)))
}

async fn ws_usage(State(s): State<AppState>, c: ApiCaller) -> Api<UsageOut> {
    let a = current(&s, &c, Action::ViewDevices).await?;
    Ok(Answer::ok(usage_out(days(&s, &a.workspace.id, None).await?)))
}

async fn activity(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<ActivityOut> {
    let a = current(&s, &c, Action::ViewDevices).await?;
    let d = devices::get(&s.phones, &a.workspace.id, &id).await?;
    let mut conn = s.app.db.conn().await.map_err(frontdesk_platform::AppError::from)?;
    let rows = frontdesk_phones::repo::activity(&mut conn, &a.workspace.id, Some(&d.id), 200)
        .await
        .map_err(frontdesk_platform::AppError::from)?;
    Ok(Answer::ok(ActivityOut { activity: rows.iter().map(activity_out).collect() }))
}

async fn take_lease(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    crate::kit::body::OptionalJson(b): crate::kit::body::OptionalJson<LeaseInput>,
) -> Api<DeviceOut> {
    let a = current(&s, &c, Action::UseDevices).await?;
    let input = b.unwrap_or(LeaseInput { minutes: None });
    let d = devices::take_lease(&s.phones, &a, &id, &input).await?;
    Ok(Answer::ok(out(&s, &d).await?))
}

async fn drop_lease(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<DeviceOut> {
    let a = current(&s, &c, Action::UseDevices).await?;
    let d = devices::release_lease(&s.phones, &a, &id).await?;
    Ok(Answer::ok(out(&s, &d).await?))
}

async fn profiles(State(s): State<AppState>, c: ApiCaller) -> Api<DeviceProfilesOut> {
    current(&s, &c, Action::ViewDevices).await?;
    let list = operator::profiles(&s.phones).await?;
    Ok(Answer::ok(DeviceProfilesOut { profiles: list.iter().filter(|p| p.active).map(profile_out).collect() }))
}

async fn settings(State(s): State<AppState>, c: ApiCaller) -> Api<SettingsInput> {
    let a = current(&s, &c, Action::ViewDevices).await?;
    let mut conn = s.app.db.conn().await.map_err(frontdesk_platform::AppError::from)?;
    Ok(Answer::ok(devices::settings(&s.phones, &mut conn, &a.workspace.id).await?))
}

async fn set_settings(
    State(s): State<AppState>,
    c: ApiCaller,
    ApiJson(b): ApiJson<SettingsInput>,
) -> Api<SettingsInput> {
    let a = current(&s, &c, Action::ManageDevices).await?;
    Ok(Answer::ok(devices::set_settings(&s.phones, &a, &b).await?))
}

fn operator_actor(c: &ApiCaller) -> Result<audit::Actor, WebError> {
    let signed = c.operator()?;
    Ok(audit::Actor { kind: "operator", id: Some(signed.user.id.to_string()), ip: None })
}

async fn providers(State(s): State<AppState>, c: ApiCaller) -> Api<PhoneProvidersOut> {
    operator_actor(&c)?;
    let list = operator::providers(&s.phones).await?;
    Ok(Answer::ok(PhoneProvidersOut { providers: list.iter().map(|p| provider_out(&s, p)).collect() }))
}

async fn add_provider(
    State(s): State<AppState>,
    c: ApiCaller,
    ApiJson(b): ApiJson<ProviderInput>,
) -> Api<PhoneProviderOut> {
    let actor = operator_actor(&c)?;
    let p = operator::add_provider(&s.phones, &actor, &b).await?;
    Ok(Answer::created(provider_out(&s, &p)))
}

async fn sync_pool(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<SyncOut> {
    let actor = operator_actor(&c)?;
    Ok(Answer::ok(SyncOut { added: operator::sync_pool(&s.phones, &actor, &id).await? }))
}

async fn admin_profiles(State(s): State<AppState>, c: ApiCaller) -> Api<DeviceProfilesOut> {
    operator_actor(&c)?;
    let list = operator::profiles(&s.phones).await?;
    Ok(Answer::ok(DeviceProfilesOut { profiles: list.iter().map(profile_out).collect() }))
}

async fn add_profile(
    State(s): State<AppState>,
    c: ApiCaller,
    ApiJson(b): ApiJson<ProfileInput>,
) -> Api<DeviceProfileOut> {
    let actor = operator_actor(&c)?;
    Ok(Answer::created(profile_out(&operator::add_profile(&s.phones, &actor, &b).await?)))
}

async fn admin_devices(State(s): State<AppState>, c: ApiCaller) -> Api<DevicesOut> {
    operator_actor(&c)?;
    let list = operator::all_devices(&s.phones).await?;
    let n = names(&s).await?;
    let now = s.app.now().0;
    Ok(Answer::ok(DevicesOut { devices: list.iter().map(|d| device_out(d, &name_of(&n, d), now)).collect() }))
}

async fn geelark_callback(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let header = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).map(str::to_string);
    if operator::callback(&s.phones, &id, &header).await? {
        Ok((StatusCode::OK, axum::Json(serde_json::json!({ "code": 0, "msg": "success" }))).into_response())
    } else {
        Err(frontdesk_platform::AppError::new(
            frontdesk_platform::error::ErrorKind::Unauthenticated,
            "bad_signature",
            "The delivery's signature is missing or wrong.",
        )
        .into())
    }
}
