//! Workspace settings and the agent's own preferences over JSON: business hours with the away
//! reply, notification preferences and unread counts.

use crate::inbox::api::current;
use crate::kit::body::present;
use crate::kit::body::ApiJson;
use crate::kit::error::WebError;
use crate::kit::extract::ApiCaller;
use crate::{Access, AppState, Table};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Json;
use frontdesk_core::hours::{OpenState, Range, Schedule};
use frontdesk_core::{Action, Timestamp, UserId};
use frontdesk_inbox::hours::{self, Settings};
use frontdesk_inbox::notifications::{self, Prefs};
use frontdesk_platform::workspaces::Principal;
use frontdesk_platform::AppError;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Value};

pub(crate) fn routes(t: Table) -> Table {
    use Access::*;
    t.add(
        "GET",
        "/api/v1/business-hours",
        Current(Action::ViewInbox),
        "Business hours, the away reply and whether the business is open now",
        get(get_hours),
    )
    .add(
        "PUT",
        "/api/v1/business-hours",
        Current(Action::ManageSettings),
        "Set business hours {hours: {time_zone, ranges, closed_dates} | null, away_reply: {enabled, text}}",
        axum::routing::put(put_hours),
    )
    .body::<HoursBody>()
    .add(
        "GET",
        "/api/v1/me/notifications",
        Current(Action::ViewInbox),
        "The signed-in agent's notification preferences and unread conversations",
        get(get_notifications),
    )
    .add(
        "PUT",
        "/api/v1/me/notifications",
        Current(Action::ViewInbox),
        "Set the signed-in agent's notification preferences {browser, email_on_assign}",
        axum::routing::put(put_notifications),
    )
    .body::<PrefsBody>()
}

fn signed_in_user(c: &ApiCaller) -> Result<UserId, WebError> {
    match &c.principal {
        Principal::User { id, .. } => Ok(id.clone()),
        Principal::Token { .. } => Err(AppError::invalid(
            "principal",
            "user_only",
            "Notification preferences belong to a person; sign in instead of using an API token.",
        )
        .into()),
    }
}

fn prefs_json(p: &Prefs, unread: i64) -> Value {
    json!({ "browser": p.browser, "email_on_assign": p.email_on_assign, "unread_threads": unread })
}

async fn get_notifications(State(s): State<AppState>, c: ApiCaller) -> ApiResult {
    let a = current(&s, &c, Action::ViewInbox).await?;
    let user = signed_in_user(&c)?;
    let p = notifications::prefs(&s.app, &user).await?;
    Ok(Json(prefs_json(&p, notifications::unread_threads(&s.app, &a).await?)).into_response())
}

/// The signed-in agent's notification preferences; absent fields stay as they are.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "NotificationPrefs")]
struct PrefsBody {
    browser: Option<bool>,
    email_on_assign: Option<bool>,
}

async fn put_notifications(State(s): State<AppState>, c: ApiCaller, ApiJson(b): ApiJson<PrefsBody>) -> ApiResult {
    let a = current(&s, &c, Action::ViewInbox).await?;
    let user = signed_in_user(&c)?;
    let mut p = notifications::prefs(&s.app, &user).await?;
    p.browser = b.browser.unwrap_or(p.browser);
    p.email_on_assign = b.email_on_assign.unwrap_or(p.email_on_assign);
    let p = notifications::set_prefs(&s.app, &user, p).await?;
    Ok(Json(prefs_json(&p, notifications::unread_threads(&s.app, &a).await?)).into_response())
}

type ApiResult = Result<Response, WebError>;

fn ts(ms: i64) -> String {
    Timestamp(ms).to_rfc3339()
}

pub(crate) fn state_json(state: Option<OpenState>) -> Value {
    match state {
        None => json!({ "open_now": null }),
        Some(OpenState::Open { closes_at }) => json!({ "open_now": true, "closes_at": ts(closes_at) }),
        Some(OpenState::Closed { opens_at, .. }) => json!({ "open_now": false, "opens_at": opens_at.map(ts) }),
    }
}

fn hours_json(s: &Settings, now: Timestamp) -> Value {
    let mut v = json!({
        "hours": s.schedule,
        "away_reply": { "enabled": s.away_enabled, "text": s.away_text },
    });
    if let (Value::Object(m), Value::Object(st)) = (&mut v, state_json(s.state(now))) {
        m.extend(st);
    }
    v
}

async fn get_hours(State(s): State<AppState>, c: ApiCaller) -> ApiResult {
    let a = current(&s, &c, Action::ViewInbox).await?;
    let h = hours::get(&s.app, &a).await?;
    Ok(Json(hours_json(&h, s.app.now())).into_response())
}

/// The away reply, sent once per closed period and thread; absent fields stay as they are.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "AwayReply")]
struct AwayBody {
    enabled: Option<bool>,
    text: Option<String>,
}

/// Business hours and the away reply; absent fields stay as they are.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "BusinessHours")]
struct HoursBody {
    /// The weekly schedule; null: no hours (and no away reply).
    #[serde(default, deserialize_with = "present::deserialize")]
    #[schemars(with = "Option<ScheduleBody>", transform = present::schema)]
    hours: Option<Option<ScheduleBody>>,
    away_reply: Option<AwayBody>,
}

/// A weekly schedule in the workspace's time zone: the fields of [`Schedule`], which it
/// becomes one for one (unknown fields are ignored, as there).
#[derive(Deserialize, JsonSchema)]
#[schemars(rename = "Schedule")]
struct ScheduleBody {
    /// An IANA time zone, like `Europe/Madrid`.
    time_zone: String,
    #[serde(default)]
    ranges: Vec<RangeBody>,
    /// Whole days closed (holidays), `YYYY-MM-DD` in the workspace's time zone.
    #[serde(default)]
    closed_dates: Vec<String>,
}

/// One opening range on a weekday, like `{"day": "mon", "open": "09:00", "close": "18:00"}`;
/// `close` may be `24:00` (until midnight).
#[derive(Deserialize, JsonSchema)]
#[schemars(rename = "OpeningRange")]
struct RangeBody {
    /// `mon`, `tue`, `wed`, `thu`, `fri`, `sat` or `sun`.
    day: String,
    /// `HH:MM`.
    open: String,
    /// `HH:MM`.
    close: String,
}

impl From<ScheduleBody> for Schedule {
    fn from(b: ScheduleBody) -> Self {
        let ScheduleBody { time_zone, ranges, closed_dates } = b;
        let ranges = ranges.into_iter().map(|RangeBody { day, open, close }| Range { day, open, close }).collect();
        Schedule { time_zone, ranges, closed_dates }
    }
}

async fn put_hours(State(s): State<AppState>, c: ApiCaller, ApiJson(b): ApiJson<HoursBody>) -> ApiResult {
    let a = current(&s, &c, Action::ManageSettings).await?;
    let mut h = hours::get(&s.app, &a).await?;
    if let Some(x) = b.hours {
        // No hours, no away reply (unless this request turns it on, which is refused).
        h.away_enabled &= x.is_some();
        h.schedule = x.map(Schedule::from);
    }
    if let Some(away) = b.away_reply {
        if let Some(e) = away.enabled {
            h.away_enabled = e;
        }
        if let Some(t) = away.text {
            h.away_text = t;
        }
    }
    let h = hours::update(&s.app, &a, h).await?;
    Ok(Json(hours_json(&h, s.app.now())).into_response())
}
