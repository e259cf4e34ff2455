//! A workspace's devices and their lifecycle.
//!
//! ```text
//! provisioning → stopped ⇄ starting → running ⇄ stopping
//!                restarting, resetting, failed(reason), expired, unknown(raw), deleting → deleted
//! ```
//!
//! A request checks the transition (start only from stopped or failed), moves the device to
//! the transitional state and queues a `phones.op` job in one transaction. The job asks the
//! provider, then polls it with backoff (2 s doubling to 30 s, on the injected clock) until the
//! device reaches the state the operation aims at, or the operation times out (failed). A
//! provider that refuses a device puts it back where it was, with the reason. A GeeLark device
//! is created tagged with our id: a create whose answer was lost is found by that tag before a
//! second create is sent, so one request never makes two devices.

use crate::provider::{CallError, Op, PhoneProvider, Refusal, Seen, Spec, Why};
use crate::repo::{self as q, Activity, Device, Provider};
use crate::{adb, geelark, meter, Phones, OP, SYNC_PROVIDER};
use frontdesk_core::{DeviceActivityId, DeviceId, DeviceProfileId, JobId, Timestamp, WorkspaceId};
use frontdesk_platform::audit::{self, Actor};
use frontdesk_platform::error::ErrorKind;
use frontdesk_platform::jobs::JobError;
use frontdesk_platform::repo::jobs::{self as jq, Job, NewJob};
use frontdesk_platform::vault::Place;
use frontdesk_platform::workspaces::Access;
use frontdesk_platform::{AppError, AppResult, Platform};
use frontdesk_store::Conn;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The states a device can be in.
pub const STATES: &[&str] = &[
    "provisioning",
    "stopped",
    "starting",
    "running",
    "stopping",
    "restarting",
    "resetting",
    "failed",
    "expired",
    "unknown",
    "deleting",
    "deleted",
];

/// The provider a row describes, built with its opened secret.
pub fn provider_of(ph: &Phones, p: &Provider) -> AppResult<Box<dyn PhoneProvider>> {
    let timeout = Duration::from_secs(ph.settings.call_timeout_secs);
    match p.kind.as_str() {
        "geelark" => {
            let sealed = p.secret.as_deref().ok_or_else(|| AppError::corrupt("phone_providers.secret", "NULL"))?;
            let key = ph
                .vault
                .open(secret_place(p), sealed)
                .map_err(|_| AppError::corrupt("phone_providers.secret", "unopenable"))?;
            let key = String::from_utf8(key).map_err(|_| AppError::internal())?;
            let app_id = p.app_id.clone().unwrap_or_default();
            Ok(Box::new(geelark::GeeLark::new(ph.http.clone(), &p.endpoint, &app_id, &key, timeout)))
        }
        "adb" => Ok(Box::new(adb::Adb::new(&p.endpoint, timeout))),
        other => Err(AppError::corrupt("phone_providers.kind", other)),
    }
}

pub fn secret_place(p: &Provider) -> Place<'_> {
    Place { workspace: "operator", table: "phone_providers", column: "secret", row: p.id.as_str() }
}

/// Whether the provider's status tells powered on from off (GeeLark) or only reachable from
/// not (ADB, where start and stop open and close our billed session).
fn observes_power(p: &Provider) -> bool {
    p.kind == "geelark"
}

fn conflict(code: &'static str, message: &str) -> AppError {
    AppError::new(ErrorKind::Conflict, code, message)
}

fn not_found() -> AppError {
    AppError::not_found("The device")
}

fn parse_id(id: &str) -> AppResult<DeviceId> {
    DeviceId::parse(id).ok_or_else(not_found)
}

// Reading.

pub async fn list(ph: &Phones, ws: &WorkspaceId) -> AppResult<Vec<Device>> {
    let mut c = ph.db.conn().await?;
    Ok(q::devices(&mut c, ws).await?)
}

pub async fn get(ph: &Phones, ws: &WorkspaceId, id: &str) -> AppResult<Device> {
    let id = parse_id(id)?;
    let mut c = ph.db.conn().await?;
    q::device(&mut c, ws, &id).await?.ok_or_else(not_found)
}

/// Someone has the device's page open: it is not idle.
pub async fn watch(ph: &Phones, ws: &WorkspaceId, id: &str) -> AppResult<Device> {
    let d = get(ph, ws, id).await?;
    let mut c = ph.db.conn().await?;
    q::viewed(&mut c, ws, &d.id, ph.now().0).await?;
    Ok(d)
}

pub fn tags(d: &Device) -> Vec<String> {
    serde_json::from_str(&d.tags).unwrap_or_default()
}

/// The lease holder other people see, while it lasts.
pub fn lease(d: &Device, now: i64) -> Option<(String, String, i64)> {
    match (&d.lease_user_id, d.lease_until) {
        (Some(u), Some(until)) if until > now => Some((u.clone(), d.lease_name.clone().unwrap_or_default(), until)),
        _ => None,
    }
}

// Activity.

pub(crate) fn actor_of(a: &Actor) -> String {
    match &a.id {
        Some(id) => format!("{}:{id}", a.kind),
        None => a.kind.to_string(),
    }
}

async fn actor_name(c: &mut Conn, a: &Actor) -> AppResult<Option<String>> {
    if a.kind != "user" {
        return Ok(None);
    }
    let Some(u) = a.id.as_deref().and_then(frontdesk_core::UserId::parse) else { return Ok(None) };
    Ok(frontdesk_platform::repo::users::by_id(c, &u).await?.map(|u| u.name))
}

/// Records who did what to a device from where, and puts the row's id (never the IP) in the
/// audit chain.
pub(crate) async fn record(
    ph: &Phones,
    c: &mut Conn,
    ws: &WorkspaceId,
    device: &DeviceId,
    actor: &Actor,
    action: &str,
    outcome: &str,
) -> AppResult<()> {
    let a = Activity {
        id: DeviceActivityId::new(),
        workspace_id: ws.clone(),
        device_id: device.clone(),
        actor: actor_of(actor),
        actor_name: actor_name(c, actor).await?,
        action: action.to_string(),
        outcome: outcome.to_string(),
        ip: actor.ip.clone(),
        at: ph.now().0,
    };
    q::insert_activity(c, &a).await?;
    let system = Actor { kind: actor.kind, id: actor.id.clone(), ip: None };
    let p: &Platform = ph.as_ref();
    audit::record(
        p,
        c,
        ws.as_str(),
        &system,
        &format!("device.{action}"),
        Some(("device_activity", a.id.as_str())),
        outcome,
    )
    .await
}

pub fn system() -> Actor {
    Actor { kind: "system", id: None, ip: None }
}

// Adding.

#[derive(Deserialize, JsonSchema)]
pub struct AddInput {
    /// One of the operator's profiles (`GET /api/v1/device-profiles`).
    pub profile_id: String,
    pub name: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

fn clean_name(name: &str) -> AppResult<String> {
    let n = crate::clean(name);
    if n.is_empty() || n.chars().count() > 80 {
        return Err(AppError::invalid("name", "invalid_device_name", "Give the device a name of 1 to 80 characters."));
    }
    Ok(n)
}

fn clean_tags(tags: &[String]) -> AppResult<String> {
    let mut out: Vec<String> = Vec::new();
    for t in tags {
        let t = crate::clean(t);
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > 30 || out.len() >= 20 {
            return Err(AppError::invalid("tags", "invalid_tags", "Use at most 20 tags of up to 30 characters."));
        }
        if !out.contains(&t) {
            out.push(t);
        }
    }
    Ok(serde_json::to_string(&out).unwrap_or_else(|_| "[]".into()))
}

fn clean_notes(n: Option<&str>) -> AppResult<Option<String>> {
    let n = n.map(crate::clean).filter(|s| !s.is_empty());
    if n.as_ref().is_some_and(|s| s.chars().count() > 2000) {
        return Err(AppError::invalid("notes", "invalid_notes", "Notes are at most 2,000 characters."));
    }
    Ok(n)
}

/// Adds a device from a profile: a new GeeLark phone (made by a job), or a free device of the
/// operator's ADB pool (at once).
pub async fn add(ph: &Phones, access: &Access, input: &AddInput) -> AppResult<Device> {
    let name = clean_name(&input.name)?;
    let tags = clean_tags(&input.tags)?;
    let notes = clean_notes(input.notes.as_deref())?;
    let pid = DeviceProfileId::parse(&input.profile_id).ok_or_else(unknown_profile)?;
    let ws = &access.workspace.id;
    let now = ph.now().0;
    let p: &Platform = ph.as_ref();
    let mut tx = ph.db.begin().await?;
    let profile = q::profile(&mut tx, &pid).await?.filter(|p| p.active).ok_or_else(unknown_profile)?;
    let provider = q::provider(&mut tx, &profile.provider_id).await?.ok_or_else(unknown_profile)?;
    let d = if provider.kind == "adb" {
        let id = q::claim_pool(&mut tx, &provider.id, ws, now).await?.ok_or_else(|| {
            conflict("no_device_free", "Every device of this profile is in use; ask the operator for more.")
        })?;
        let mut d = q::device_any(&mut tx, &id).await?.ok_or_else(AppError::internal)?;
        let read = d.updated_at;
        d.name = name;
        d.tags = tags;
        d.notes = notes;
        d.profile_id = Some(pid.clone());
        d.updated_at = now;
        if !q::save(&mut tx, &d, read).await? {
            return Err(busy());
        }
        d
    } else {
        let d = Device {
            id: DeviceId::new(),
            workspace_id: Some(ws.clone()),
            provider_id: provider.id.clone(),
            profile_id: Some(pid.clone()),
            name,
            tags,
            notes,
            state: "provisioning".into(),
            op: Some("add".into()),
            op_by: Some(actor_of(&access.actor)),
            op_started_at: Some(now),
            created_at: now,
            updated_at: now,
            ..Default::default()
        };
        q::insert_device(&mut tx, &d).await?;
        queue(p, &mut tx, &d, 0, now).await?;
        d
    };
    record(ph, &mut tx, ws, &d.id, &access.actor, "add", "ok").await?;
    tx.commit().await?;
    Ok(d)
}

fn unknown_profile() -> AppError {
    AppError::invalid("profile_id", "unknown_profile", "Choose one of the device profiles offered.")
}

fn busy() -> AppError {
    conflict("device_changed", "The device changed while you asked; look again and retry.")
}

#[derive(Deserialize, JsonSchema)]
pub struct EditInput {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    #[serde(default)]
    pub notes: Option<String>,
}

pub async fn edit(ph: &Phones, access: &Access, id: &str, input: &EditInput) -> AppResult<Device> {
    let id = parse_id(id)?;
    let ws = &access.workspace.id;
    let mut tx = ph.db.begin().await?;
    let mut d = q::device(&mut tx, ws, &id).await?.ok_or_else(not_found)?;
    let read = d.updated_at;
    if let Some(n) = &input.name {
        d.name = clean_name(n)?;
    }
    if let Some(t) = &input.tags {
        d.tags = clean_tags(t)?;
    }
    if input.notes.is_some() {
        d.notes = clean_notes(input.notes.as_deref())?;
    }
    d.updated_at = ph.now().0.max(read + 1);
    if !q::save(&mut tx, &d, read).await? {
        return Err(busy());
    }
    record(ph, &mut tx, ws, &d.id, &access.actor, "edit", "ok").await?;
    tx.commit().await?;
    Ok(d)
}

// Operations.

/// What a request asks of a device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ask {
    Start,
    Stop,
    Restart,
    Reset,
    Delete,
}

impl Ask {
    pub fn as_str(self) -> &'static str {
        match self {
            Ask::Start => "start",
            Ask::Stop => "stop",
            Ask::Restart => "restart",
            Ask::Reset => "reset",
            Ask::Delete => "delete",
        }
    }
    fn transitional(self) -> &'static str {
        match self {
            Ask::Start => "starting",
            Ask::Stop => "stopping",
            Ask::Restart => "restarting",
            Ask::Reset => "resetting",
            Ask::Delete => "deleting",
        }
    }
}

/// Checks the transition; the refusal a person sees.
fn guard(d: &Device, ask: Ask) -> AppResult<()> {
    if d.op.is_some() {
        return Err(conflict("device_busy", "The device is already changing state; wait for it to finish."));
    }
    let s = d.state.as_str();
    match ask {
        Ask::Start if s == "running" => Err(conflict("device_running", "The device is already running.")),
        Ask::Start if !matches!(s, "stopped" | "failed") => {
            Err(conflict("device_not_startable", "A device starts only when it is stopped or failed."))
        }
        Ask::Stop | Ask::Restart if s != "running" => Err(conflict("device_not_running", "The device is not running.")),
        Ask::Reset | Ask::Delete if s == "running" => {
            Err(conflict("device_running_stop_first", "Stop the device first."))
        }
        Ask::Reset if !matches!(s, "stopped" | "failed") => {
            Err(conflict("device_not_stopped", "A device is reset only when it is stopped."))
        }
        _ => Ok(()),
    }
}

/// Asks for a change of state; the job does it.
pub async fn request(ph: &Phones, access: &Access, id: &str, ask: Ask) -> AppResult<Device> {
    let id = parse_id(id)?;
    let ws = &access.workspace.id;
    let now = ph.now().0;
    let p: &Platform = ph.as_ref();
    let mut tx = ph.db.begin().await?;
    let mut d = q::device(&mut tx, ws, &id).await?.ok_or_else(not_found)?;
    if let Some((holder, name, _)) = lease(&d, now) {
        if access.actor.id.as_deref() != holder.strip_prefix("user:") {
            return Err(conflict("device_leased", &format!("{name} is driving this device; ask them first.")));
        }
    }
    guard(&d, ask)?;
    let provider = q::provider(&mut tx, &d.provider_id).await?.ok_or_else(AppError::internal)?;
    if ask == Ask::Reset && provider.kind != "adb" {
        return Err(conflict("not_supported", "This provider's devices cannot be reset from here."));
    }
    if ask == Ask::Start {
        p.entitlements().allow(&mut tx, ws, frontdesk_platform::ports::Use::DeviceStart).await?;
    }
    let read = d.updated_at;
    begin_op(&mut d, ask, &actor_of(&access.actor), now);
    if !q::save(&mut tx, &d, read).await? {
        return Err(busy());
    }
    queue(p, &mut tx, &d, 0, now).await?;
    record(ph, &mut tx, ws, &d.id, &access.actor, ask.as_str(), "asked").await?;
    tx.commit().await?;
    Ok(d)
}

fn begin_op(d: &mut Device, ask: Ask, by: &str, now: i64) {
    d.state = ask.transitional().into();
    d.state_detail = None;
    d.op = Some(ask.as_str().into());
    d.op_by = Some(by.to_string());
    d.op_started_at = Some(now);
    d.op_called_at = None;
    d.last_error = None;
    d.updated_at = now.max(d.updated_at + 1);
}

/// The system stops a device (idle, no credit); `false` when it is not running or busy.
pub async fn system_stop(ph: &Phones, c: &mut Conn, d: &Device, why: &str) -> AppResult<bool> {
    let Some(ws) = d.workspace_id.clone() else { return Ok(false) };
    if d.state != "running" || d.op.is_some() {
        return Ok(false);
    }
    let now = ph.now().0;
    let mut n = d.clone();
    begin_op(&mut n, Ask::Stop, &format!("system:{why}"), now);
    if !q::save(c, &n, d.updated_at).await? {
        return Ok(false);
    }
    let p: &Platform = ph.as_ref();
    queue(p, c, &n, 0, now).await?;
    record(ph, c, &ws, &n.id, &system(), "stop", why).await?;
    Ok(true)
}

#[derive(Serialize, Deserialize)]
struct OpPayload {
    device: String,
    started: i64,
    poll: i64,
}

/// Queues the op job's next step, `poll` steps in (with its backoff).
async fn queue(p: &Platform, c: &mut Conn, d: &Device, poll: i64, now: i64) -> AppResult<()> {
    let started = d.op_started_at.unwrap_or(now);
    let payload = serde_json::to_string(&OpPayload { device: d.id.to_string(), started, poll })
        .map_err(|_| AppError::internal())?;
    let delay = if poll == 0 { 0 } else { (2_000i64 << (poll - 1).min(4)).min(30_000) };
    let key = format!("phones.op:{}:{started}:{poll}", d.id);
    let job =
        NewJob { kind: OP, payload: &payload, run_at: Timestamp(now + delay), max_attempts: 8, dedupe_key: Some(&key) };
    jq::enqueue(c, &JobId::new(), job, Timestamp(now)).await?;
    p.jobs_notify.notify_waiters();
    Ok(())
}

/// Where an operation's device goes back to when the provider refuses it.
fn before(op: &str) -> &'static str {
    match op {
        "stop" | "restart" => "running",
        "add" => "failed",
        _ => "stopped",
    }
}

fn describe(r: &Refusal) -> String {
    let what = match r.why {
        Why::Busy => "busy with a task or a remote user",
        Why::NoResources => "the provider has no capacity now",
        Why::Gone => "the provider no longer has this device",
        Why::Expired => "the device has expired at the provider",
        Why::WrongState => "the provider refused it in this state",
        Why::Other => "refused by the provider",
    };
    format!("{what} ({}: {})", r.code, r.message)
}

/// The op job: one step of an operation (the call, or a poll).
pub async fn op_job(ph: Phones, job: Job) -> Result<(), JobError> {
    let pl: OpPayload = serde_json::from_str(&job.payload).map_err(|e| JobError::Permanent(e.to_string()))?;
    step(&ph, &pl).await.map_err(|e| match e {
        Step::Retry(m) => JobError::Transient(m),
        Step::Fail(e) => JobError::Transient(e.to_string()),
    })
}

enum Step {
    Retry(String),
    Fail(AppError),
}

impl From<AppError> for Step {
    fn from(e: AppError) -> Self {
        Step::Fail(e)
    }
}

impl From<frontdesk_store::SqlError> for Step {
    fn from(e: frontdesk_store::SqlError) -> Self {
        Step::Fail(e.into())
    }
}

async fn step(ph: &Phones, pl: &OpPayload) -> Result<(), Step> {
    let Some(id) = DeviceId::parse(&pl.device) else { return Ok(()) };
    let p: &Platform = ph.as_ref();
    let mut c = ph.db.conn().await?;
    let Some(d) = q::device_any(&mut c, &id).await? else { return Ok(()) };
    // A newer operation, or none: this step is stale.
    if d.op_started_at != Some(pl.started) || d.op.is_none() {
        return Ok(());
    }
    let op = d.op.clone().unwrap_or_default();
    let provider = q::provider(&mut c, &d.provider_id).await?.ok_or_else(AppError::internal)?;
    let api = provider_of(ph, &provider)?;
    drop(c);
    let now = ph.now().0;
    if now - pl.started > ph.settings.op_timeout_minutes * Timestamp::MINUTE {
        return finish(
            ph,
            &d,
            |n| {
                n.state = "failed".into();
                n.state_detail = Some(format!("{op} timed out waiting for the provider"));
            },
            "timed_out",
        )
        .await;
    }
    if d.op_called_at.is_none() || (op == "add" && d.provider_ref.is_none()) {
        return call(ph, &d, &provider, api.as_ref(), &op, pl).await;
    }
    // Called: ask how it is going.
    let Some(r) = d.provider_ref.clone() else { return Ok(()) };
    let seen = match api.status(std::slice::from_ref(&r)).await {
        Ok(l) => l.into_iter().find(|(x, _)| x == &r).map(|(_, s)| s).unwrap_or(Seen::Gone),
        Err(e) => return provider_down(ph, &provider, e).await,
    };
    let power = observes_power(&provider);
    let done: Option<&str> = match (op.as_str(), &seen) {
        ("add", Seen::Stopped) => Some("stopped"),
        ("add", Seen::Running) => Some("running"),
        ("start", Seen::Running) => Some("running"),
        ("stop", Seen::Stopped) => Some("stopped"),
        ("restart", Seen::Running) if !power || pl.poll >= 2 => Some("running"),
        ("delete", Seen::Gone) => Some("deleted"),
        (_, Seen::Expired) => Some("expired"),
        (o, Seen::Gone) if o != "delete" => Some("gone"),
        _ => None,
    };
    match done {
        Some("gone") => {
            finish(
                ph,
                &d,
                |n| {
                    n.state = "failed".into();
                    n.state_detail = Some("the provider no longer has this device".into());
                },
                "gone",
            )
            .await
        }
        Some(state) => {
            let state = state.to_string();
            finish(ph, &d, move |n| n.state = state.clone(), "ok").await
        }
        None => {
            let mut tx = ph.db.begin().await?;
            queue(p, &mut tx, &d, pl.poll + 1, now).await?;
            tx.commit().await?;
            Ok(())
        }
    }
}

/// The provider call of an operation.
async fn call(
    ph: &Phones,
    d: &Device,
    provider: &Provider,
    api: &dyn PhoneProvider,
    op: &str,
    pl: &OpPayload,
) -> Result<(), Step> {
    let p: &Platform = ph.as_ref();
    let now = ph.now().0;
    if op == "add" {
        let tag = format!("fd-{}", d.id);
        // A create was sent before and its answer lost: the device may exist already.
        let mut made = None;
        if d.op_called_at.is_some() {
            made = match api.find_tagged(&tag).await {
                Ok(x) => x,
                Err(e) => return provider_down(ph, provider, e).await,
            };
        }
        if made.is_none() {
            // Written before the call, so a retry after a lost answer looks first.
            let mut tx = ph.db.begin().await?;
            let mut n = d.clone();
            n.op_called_at = Some(now);
            n.updated_at = now.max(d.updated_at + 1);
            if !q::save(&mut tx, &n, d.updated_at).await? {
                return Ok(());
            }
            tx.commit().await?;
            let mut c = ph.db.conn().await?;
            let profile = match &d.profile_id {
                Some(pid) => q::profile(&mut c, pid).await?,
                None => None,
            };
            drop(c);
            let spec = Spec {
                name: d.name.clone(),
                tag: tag.clone(),
                android_version: profile.as_ref().map(|p| p.android_version.clone()).unwrap_or_default(),
                region: profile.and_then(|p| p.region),
            };
            match api.create(&spec).await {
                Ok(Ok(r)) => made = Some(r),
                Ok(Err(refusal)) => return refused(ph, &n, &describe(&refusal)).await,
                Err(e) => return provider_down(ph, provider, e).await,
            }
            return adopt(ph, &n, made.unwrap_or_default(), pl).await;
        }
        return adopt(ph, d, made.unwrap_or_default(), pl).await;
    }
    let Some(r) = d.provider_ref.clone() else { return Ok(()) };
    let want = match op {
        "start" => Op::Start,
        "stop" => Op::Stop,
        "restart" => Op::Restart,
        "reset" => Op::Reset,
        _ => Op::Delete,
    };
    // ADB devices are reset before they go back to the pool: that is their "delete".
    let answer = match api.act(want, std::slice::from_ref(&r)).await {
        Ok(l) => l.into_iter().find(|(x, _)| x == &r).map(|(_, a)| a),
        Err(e) => return provider_down(ph, provider, e).await,
    };
    match answer {
        Some(Err(refusal)) => refused(ph, d, &describe(&refusal)).await,
        None => refused(ph, d, "the provider did not answer for this device").await,
        Some(Ok(url)) => {
            let power = observes_power(provider);
            // Operations whose end the provider's status cannot show end with the call.
            let ends_now = match op {
                "reset" => Some("stopped"),
                "delete" if !power => Some("released"),
                "start" if !power => Some("running"),
                "stop" if !power => Some("stopped"),
                _ => None,
            };
            if let Some(state) = ends_now {
                let state = state.to_string();
                return finish(
                    ph,
                    d,
                    move |n| {
                        n.state = state.clone();
                        if url.is_some() {
                            n.stream_url = url.clone();
                        }
                    },
                    "ok",
                )
                .await;
            }
            let mut tx = ph.db.begin().await?;
            let mut n = d.clone();
            n.op_called_at = Some(now);
            if url.is_some() {
                n.stream_url = url;
            }
            n.updated_at = now.max(d.updated_at + 1);
            if q::save(&mut tx, &n, d.updated_at).await? {
                queue(p, &mut tx, &n, 1, now).await?;
            }
            tx.commit().await?;
            Ok(())
        }
    }
}

async fn adopt(ph: &Phones, d: &Device, r: String, pl: &OpPayload) -> Result<(), Step> {
    let p: &Platform = ph.as_ref();
    let now = ph.now().0;
    let mut tx = ph.db.begin().await?;
    let Some(cur) = q::device_any(&mut tx, &d.id).await? else { return Ok(()) };
    let mut n = cur.clone();
    n.provider_ref = Some(r);
    n.op_called_at = Some(now);
    n.updated_at = now.max(cur.updated_at + 1);
    if q::save(&mut tx, &n, cur.updated_at).await? {
        queue(p, &mut tx, &n, pl.poll + 1, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The provider refused this device: back where it was, with why.
async fn refused(ph: &Phones, d: &Device, why: &str) -> Result<(), Step> {
    let op = d.op.clone().unwrap_or_default();
    let back = before(&op);
    let why = why.to_string();
    finish(
        ph,
        d,
        move |n| {
            n.state = back.into();
            n.last_error = Some(why.clone());
            if back == "failed" {
                n.state_detail = Some(why.clone());
            }
        },
        "refused",
    )
    .await
}

/// The provider as a whole failed: credentials refused end the operation (the operator is
/// told on the providers page); anything else is retried by the queue with backoff.
async fn provider_down(ph: &Phones, provider: &Provider, e: CallError) -> Result<(), Step> {
    let now = ph.now().0;
    let mut c = ph.db.conn().await?;
    match &e {
        CallError::Auth(m) => {
            q::set_provider_status(&mut c, &provider.id, "auth_failed", Some(m), now).await?;
            drop(c);
            // Every device this provider is driving stops waiting.
            let mut c = ph.db.conn().await?;
            let stuck: Vec<Device> = q::all_devices(&mut c)
                .await?
                .into_iter()
                .filter(|d| d.provider_id == provider.id && d.op.is_some())
                .collect();
            drop(c);
            for d in stuck {
                refused(ph, &d, "provider_auth_failed: the provider refused the operator's credentials").await?;
            }
            Ok(())
        }
        CallError::Refused(m) => {
            drop(c);
            let mut c = ph.db.conn().await?;
            let stuck: Vec<Device> = q::all_devices(&mut c)
                .await?
                .into_iter()
                .filter(|d| d.provider_id == provider.id && d.op.is_some() && d.op_called_at.is_none())
                .collect();
            drop(c);
            for d in stuck.into_iter().take(1) {
                refused(ph, &d, &format!("refused by the provider: {m}")).await?;
            }
            Ok(())
        }
        CallError::Unavailable(m) => {
            q::set_provider_status(&mut c, &provider.id, "unreachable", Some(m), now).await?;
            Err(Step::Retry(format!("provider {}: {m}", provider.name)))
        }
    }
}

/// Ends the operation: applies `change`, closes or opens the running interval, and records it.
async fn finish(ph: &Phones, d: &Device, change: impl Fn(&mut Device), outcome: &str) -> Result<(), Step> {
    let now = ph.now().0;
    let mut c = ph.db.conn().await?;
    let Some(cur) = q::device_any(&mut c, &d.id).await? else { return Ok(()) };
    drop(c);
    if cur.op_started_at != d.op_started_at || cur.op.is_none() {
        return Ok(());
    }
    let mut probe = cur.clone();
    change(&mut probe);
    // Leaving `running`: the minutes up to now are recorded before the interval closes.
    if probe.state != "running" && cur.running_since.is_some() {
        meter::close(ph, &cur, now).await?;
    }
    let mut tx = ph.db.begin().await?;
    let Some(cur) = q::device_any(&mut tx, &d.id).await? else { return Ok(()) };
    if cur.op_started_at != d.op_started_at || cur.op.is_none() {
        return Ok(());
    }
    let op = cur.op.clone().unwrap_or_default();
    let mut n = cur.clone();
    change(&mut n);
    let ws = n.workspace_id.clone();
    if n.state == "released" {
        // Reset, back to the operator's pool, without anything of the workspace.
        n.state = "stopped".into();
        n.workspace_id = None;
        n.name = n.provider_ref.clone().unwrap_or_else(|| n.name.clone());
        n.tags = "[]".into();
        n.notes = None;
        n.profile_id = None;
        n.lease_user_id = None;
        n.lease_name = None;
        n.lease_until = None;
    }
    if op == "reset" || op == "delete" {
        n.needs_reset = false;
    }
    if n.state == "running" && n.running_since.is_none() {
        n.running_since = Some(now);
        n.metered = 0;
    }
    if n.state != "running" {
        n.running_since = None;
        n.metered = 0;
        n.stream_url = None;
    }
    n.op = None;
    n.op_by = None;
    n.op_called_at = None;
    n.updated_at = now.max(cur.updated_at + 1);
    if !q::save(&mut tx, &n, cur.updated_at).await? {
        return Err(Step::Retry("the device changed; retrying".into()));
    }
    if let Some(ws) = ws {
        record(ph, &mut tx, &ws, &n.id, &system(), &format!("{op}.done"), &format!("{outcome}:{}", n.state)).await?;
    }
    tx.commit().await?;
    Ok(())
}

// Syncing with the providers.

/// Asks every provider about its settled devices and applies what changed outside us (a
/// device stopped by GeeLark's energy saving, expired, an ADB device that went away).
pub async fn sync_all(ph: &Phones) -> AppResult<usize> {
    let mut c = ph.db.conn().await?;
    let providers = q::providers(&mut c).await?;
    drop(c);
    let mut changed = 0;
    for p in providers {
        changed += sync_provider(ph, &p).await.unwrap_or_else(|e| {
            tracing::warn!(provider = %p.name, error = %e, "phone provider sync failed");
            0
        });
    }
    Ok(changed)
}

pub async fn sync_provider(ph: &Phones, provider: &Provider) -> AppResult<usize> {
    let mut c = ph.db.conn().await?;
    let devices: Vec<Device> = q::settled(&mut c).await?.into_iter().filter(|d| d.provider_id == provider.id).collect();
    drop(c);
    if devices.is_empty() {
        return Ok(0);
    }
    let api = provider_of(ph, provider)?;
    let refs: Vec<String> = devices.iter().filter_map(|d| d.provider_ref.clone()).collect();
    let now = ph.now().0;
    let seen = match api.status(&refs).await {
        Ok(s) => s,
        Err(e) => {
            let (status, m) = match &e {
                CallError::Auth(m) => ("auth_failed", m.clone()),
                other => ("unreachable", other.to_string()),
            };
            let mut c = ph.db.conn().await?;
            q::set_provider_status(&mut c, &provider.id, status, Some(&m), now).await?;
            return Ok(0);
        }
    };
    let mut c = ph.db.conn().await?;
    q::set_provider_status(&mut c, &provider.id, "ok", None, now).await?;
    drop(c);
    let power = observes_power(provider);
    let mut changed = 0;
    for d in devices {
        let Some(s) = seen.iter().find(|(r, _)| Some(r) == d.provider_ref.as_ref()).map(|(_, s)| s.clone()) else {
            continue;
        };
        let (state, detail): (&str, Option<String>) = match (&s, power) {
            (Seen::Running, true) => ("running", None),
            (Seen::Stopped, true) => ("stopped", None),
            (Seen::Starting, true) | (Seen::Stopping, true) => continue,
            (Seen::Expired, _) => ("expired", None),
            (Seen::Gone, true) => ("failed", Some("the provider no longer has this device".into())),
            (Seen::Gone, false) | (Seen::Offline, _) => ("failed", Some("offline".into())),
            (Seen::Running, false) => {
                if d.state == "failed" && d.state_detail.as_deref() == Some("offline") {
                    ("stopped", None)
                } else {
                    continue;
                }
            }
            (Seen::Unknown(raw), _) => ("unknown", Some(raw.clone())),
            _ => continue,
        };
        if d.state == state && d.state_detail == detail {
            continue;
        }
        let mut n = d.clone();
        n.state = state.into();
        n.state_detail = detail;
        n.updated_at = now.max(d.updated_at + 1);
        if state == "running" && d.running_since.is_none() {
            n.running_since = Some(now);
            n.metered = 0;
        }
        let mut read = d.updated_at;
        if state != "running" && state != "unknown" && d.running_since.is_some() {
            meter::close(ph, &d, now).await?;
            let mut c = ph.db.conn().await?;
            read = q::device_any(&mut c, &d.id).await?.map(|x| x.updated_at).unwrap_or(read);
            n.running_since = None;
            n.metered = 0;
            n.stream_url = None;
            n.updated_at = now.max(read + 1);
        }
        let mut tx = ph.db.begin().await?;
        if q::save(&mut tx, &n, read).await? {
            if let Some(ws) = &n.workspace_id {
                record(ph, &mut tx, ws, &n.id, &system(), "observed", &n.state).await?;
            }
            changed += 1;
        }
        tx.commit().await?;
    }
    Ok(changed)
}

/// A provider's callback asks for a sync of that provider (never trusted for a state).
pub async fn sync_provider_job(ph: Phones, job: Job) -> Result<(), JobError> {
    let id = serde_json::from_str::<serde_json::Value>(&job.payload)
        .ok()
        .and_then(|v| v.get("provider").and_then(|p| p.as_str()).map(str::to_string))
        .and_then(|s| frontdesk_core::PhoneProviderId::parse(&s))
        .ok_or_else(|| JobError::Permanent("no provider".into()))?;
    let mut c = ph.db.conn().await.map_err(|e| JobError::Transient(e.to_string()))?;
    let Some(p) = q::provider(&mut c, &id).await.map_err(|e| JobError::Transient(e.to_string()))? else {
        return Ok(());
    };
    drop(c);
    sync_provider(&ph, &p).await.map(|_| ()).map_err(|e| JobError::Transient(e.to_string()))
}

/// Queues a sync of one provider (its verified callback arrived).
pub async fn poke(ph: &Phones, provider: &frontdesk_core::PhoneProviderId) -> AppResult<()> {
    let p: &Platform = ph.as_ref();
    let now = ph.now();
    let payload = serde_json::json!({ "provider": provider.as_str() }).to_string();
    // One queued sync per provider and second is enough however many callbacks arrive.
    let key = format!("phones.sync:{provider}:{}", now.0 / 1000);
    let mut c = ph.db.conn().await?;
    let job = NewJob { kind: SYNC_PROVIDER, payload: &payload, run_at: now, max_attempts: 5, dedupe_key: Some(&key) };
    jq::enqueue(&mut c, &JobId::new(), job, now).await?;
    p.jobs_notify.notify_waiters();
    Ok(())
}

// The control lease.

#[derive(Deserialize, JsonSchema)]
pub struct LeaseInput {
    /// How long you will drive the device, 1 to 120 minutes (default 30).
    #[serde(default)]
    pub minutes: Option<i64>,
}

pub async fn take_lease(ph: &Phones, access: &Access, id: &str, input: &LeaseInput) -> AppResult<Device> {
    let minutes = input.minutes.unwrap_or(30);
    if !(1..=120).contains(&minutes) {
        return Err(AppError::invalid("minutes", "invalid_minutes", "A lease lasts 1 to 120 minutes."));
    }
    let Some(user) = access.actor.id.clone().filter(|_| access.actor.kind == "user") else {
        return Err(AppError::new(ErrorKind::Conflict, "people_only", "Only a person signed in can drive a device."));
    };
    let id = parse_id(id)?;
    let ws = &access.workspace.id;
    let now = ph.now().0;
    let mut tx = ph.db.begin().await?;
    let mut d = q::device(&mut tx, ws, &id).await?.ok_or_else(not_found)?;
    if let Some((holder, name, _)) = lease(&d, now) {
        if holder != format!("user:{user}") {
            return Err(conflict("device_leased", &format!("{name} is driving this device; ask them first.")));
        }
    }
    let read = d.updated_at;
    d.lease_user_id = Some(format!("user:{user}"));
    d.lease_name = actor_name(&mut tx, &access.actor).await?;
    d.lease_until = Some(now + minutes * Timestamp::MINUTE);
    d.viewed_at = Some(now);
    d.updated_at = now.max(read + 1);
    if !q::save(&mut tx, &d, read).await? {
        return Err(busy());
    }
    record(ph, &mut tx, ws, &d.id, &access.actor, "lease", &format!("{minutes}m")).await?;
    tx.commit().await?;
    Ok(d)
}

pub async fn release_lease(ph: &Phones, access: &Access, id: &str) -> AppResult<Device> {
    let id = parse_id(id)?;
    let ws = &access.workspace.id;
    let now = ph.now().0;
    let mut tx = ph.db.begin().await?;
    let mut d = q::device(&mut tx, ws, &id).await?.ok_or_else(not_found)?;
    let mine = access.actor.id.as_ref().map(|u| format!("user:{u}"));
    let admin = frontdesk_core::role::allows(access.role, frontdesk_core::Action::ManageDevices);
    if let Some((holder, name, _)) = lease(&d, now) {
        if Some(&holder) != mine.as_ref() && !admin {
            return Err(conflict("device_leased", &format!("{name} is driving this device; ask them first.")));
        }
    }
    let read = d.updated_at;
    d.lease_user_id = None;
    d.lease_name = None;
    d.lease_until = None;
    d.updated_at = now.max(read + 1);
    if !q::save(&mut tx, &d, read).await? {
        return Err(busy());
    }
    record(ph, &mut tx, ws, &d.id, &access.actor, "lease.release", "ok").await?;
    tx.commit().await?;
    Ok(d)
}

// Settings.

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct SettingsInput {
    /// Minutes without a viewer, a lease or a task before a running device is stopped.
    pub idle_stop_minutes: i64,
    /// The most minutes a device is charged per day in the business's time zone (none: no cap).
    #[serde(default)]
    pub daily_cap_minutes: Option<i64>,
}

pub async fn settings(ph: &Phones, c: &mut Conn, ws: &WorkspaceId) -> AppResult<SettingsInput> {
    Ok(match q::settings(c, ws).await? {
        Some((idle, cap)) => SettingsInput { idle_stop_minutes: idle, daily_cap_minutes: cap },
        None => SettingsInput { idle_stop_minutes: ph.settings.idle_stop_minutes, daily_cap_minutes: None },
    })
}

pub async fn set_settings(ph: &Phones, access: &Access, input: &SettingsInput) -> AppResult<SettingsInput> {
    if !(1..=1440).contains(&input.idle_stop_minutes) {
        return Err(AppError::invalid(
            "idle_stop_minutes",
            "invalid_idle_stop",
            "The idle stop is 1 to 1,440 minutes.",
        ));
    }
    if input.daily_cap_minutes.is_some_and(|m| !(1..=1440).contains(&m)) {
        return Err(AppError::invalid("daily_cap_minutes", "invalid_daily_cap", "A daily cap is 1 to 1,440 minutes."));
    }
    let ws = &access.workspace.id;
    let p: &Platform = ph.as_ref();
    let mut tx = ph.db.begin().await?;
    q::set_settings(&mut tx, ws, input.idle_stop_minutes, input.daily_cap_minutes, ph.now().0).await?;
    let detail = format!("idle:{} cap:{:?}", input.idle_stop_minutes, input.daily_cap_minutes);
    audit::record(p, &mut tx, ws.as_str(), &access.actor, "phones.settings", Some(("workspace", ws.as_str())), &detail)
        .await?;
    tx.commit().await?;
    Ok(input.clone())
}
