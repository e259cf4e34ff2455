//! Workspace settings and the agent's own preferences over JSON: business hours with the away
//! reply, notification preferences and unread counts.

use crate::inbox::api::current;
use crate::kit::answer::{Answer, Api, Time};
use crate::kit::body::present;
use crate::kit::body::ApiJson;
use crate::kit::error::WebError;
use crate::kit::extract::ApiCaller;
use crate::{Access, AppState, Table};
use axum::extract::State;
use axum::routing::get;
use frontdesk_core::hours::{OpenState, Range, Schedule};
use frontdesk_core::{Action, Timestamp, UserId};
use frontdesk_inbox::hours::{self, Settings};
use frontdesk_inbox::notifications::{self, Prefs};
use frontdesk_platform::workspaces::Principal;
use frontdesk_platform::AppError;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub(crate) fn routes(t: Table) -> Table {
    use Access::*;
    t.add(
        "GET",
        "/api/v1/business-hours",
        Current(Action::ViewInbox),
        "Business hours, the away reply and whether the business is open now",
        get(get_hours),
    )
    .returns::<BusinessHoursOut>()
    .add(
        "PUT",
        "/api/v1/business-hours",
        Current(Action::ManageSettings),
        "Set business hours {hours: {time_zone, ranges, closed_dates} | null, away_reply: {enabled, text}}",
        axum::routing::put(put_hours),
    )
    .body::<HoursBody>()
    .returns::<BusinessHoursOut>()
    .add(
        "GET",
        "/api/v1/me/notifications",
        Current(Action::ViewInbox),
        "The signed-in agent's notification preferences and unread conversations",
        get(get_notifications),
    )
    .returns::<NotificationPrefsOut>()
    .add(
        "PUT",
        "/api/v1/me/notifications",
        Current(Action::ViewInbox),
        "Set the signed-in agent's notification preferences {browser, email_on_assign}",
        axum::routing::put(put_notifications),
    )
    .body::<PrefsBody>()
    .returns::<NotificationPrefsOut>()
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

/// The signed-in agent's notification preferences, and their unread conversations.
#[derive(Serialize, JsonSchema)]
struct NotificationPrefsOut {
    /// Desktop notifications for new customer messages on their own or unassigned threads.
    browser: bool,
    /// An email when a conversation is assigned to them while they are not online.
    email_on_assign: bool,
    /// Threads with customer messages they have not seen.
    unread_threads: i64,
}

impl NotificationPrefsOut {
    fn new(p: &Prefs, unread: i64) -> Self {
        Self { browser: p.browser, email_on_assign: p.email_on_assign, unread_threads: unread }
    }
}

async fn get_notifications(State(s): State<AppState>, c: ApiCaller) -> Api<NotificationPrefsOut> {
    let a = current(&s, &c, Action::ViewInbox).await?;
    let user = signed_in_user(&c)?;
    let p = notifications::prefs(&s.app, &user).await?;
    Ok(Answer::ok(NotificationPrefsOut::new(&p, notifications::unread_threads(&s.app, &a).await?)))
}

/// The signed-in agent's notification preferences; absent fields stay as they are.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "NotificationPrefs")]
struct PrefsBody {
    browser: Option<bool>,
    email_on_assign: Option<bool>,
}

async fn put_notifications(
    State(s): State<AppState>,
    c: ApiCaller,
    ApiJson(b): ApiJson<PrefsBody>,
) -> Api<NotificationPrefsOut> {
    let a = current(&s, &c, Action::ViewInbox).await?;
    let user = signed_in_user(&c)?;
    let mut p = notifications::prefs(&s.app, &user).await?;
    p.browser = b.browser.unwrap_or(p.browser);
    p.email_on_assign = b.email_on_assign.unwrap_or(p.email_on_assign);
    let p = notifications::set_prefs(&s.app, &user, p).await?;
    Ok(Answer::ok(NotificationPrefsOut::new(&p, notifications::unread_threads(&s.app, &a).await?)))
}

/// One opening range on a weekday.
#[derive(Serialize, JsonSchema)]
struct OpeningRangeOut {
    /// `mon`, `tue`, `wed`, `thu`, `fri`, `sat` or `sun`.
    day: String,
    /// `HH:MM`.
    open: String,
    /// `HH:MM`; `24:00` is midnight.
    close: String,
}

/// A weekly schedule in the workspace's time zone.
#[derive(Serialize, JsonSchema)]
struct ScheduleOut {
    /// An IANA time zone, like `Europe/Madrid`.
    time_zone: String,
    ranges: Vec<OpeningRangeOut>,
    /// Whole days closed (holidays), `YYYY-MM-DD` in the workspace's time zone.
    closed_dates: Vec<String>,
}

impl From<&Schedule> for ScheduleOut {
    fn from(s: &Schedule) -> Self {
        Self {
            time_zone: s.time_zone.clone(),
            ranges: s
                .ranges
                .iter()
                .map(|r| OpeningRangeOut { day: r.day.clone(), open: r.open.clone(), close: r.close.clone() })
                .collect(),
            closed_dates: s.closed_dates.clone(),
        }
    }
}

/// The away reply, sent once per closed period and thread.
#[derive(Serialize, JsonSchema)]
struct AwayReplyOut {
    enabled: bool,
    text: String,
}

/// Business hours, the away reply and whether the business is open now.
#[derive(Serialize, JsonSchema)]
struct BusinessHoursOut {
    /// Null: no hours set.
    hours: Option<ScheduleOut>,
    away_reply: AwayReplyOut,
    /// Open now; null without hours (or with hours that no longer check out).
    open_now: Option<bool>,
    /// When open: when it closes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Time")]
    closes_at: Option<Time>,
    /// When closed: when it opens again (null: not within the next eight days).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Time>")]
    opens_at: Option<Option<Time>>,
}

impl BusinessHoursOut {
    fn new(s: &Settings, now: Timestamp) -> Self {
        let (open_now, closes_at, opens_at) = match s.state(now) {
            None => (None, None, None),
            Some(OpenState::Open { closes_at }) => (Some(true), Some(Time::of(closes_at)), None),
            Some(OpenState::Closed { opens_at, .. }) => (Some(false), None, Some(Time::of_opt(opens_at))),
        };
        Self {
            hours: s.schedule.as_ref().map(ScheduleOut::from),
            away_reply: AwayReplyOut { enabled: s.away_enabled, text: s.away_text.clone() },
            open_now,
            closes_at,
            opens_at,
        }
    }
}

async fn get_hours(State(s): State<AppState>, c: ApiCaller) -> Api<BusinessHoursOut> {
    let a = current(&s, &c, Action::ViewInbox).await?;
    let h = hours::get(&s.app, &a).await?;
    Ok(Answer::ok(BusinessHoursOut::new(&h, s.app.now())))
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

async fn put_hours(State(s): State<AppState>, c: ApiCaller, ApiJson(b): ApiJson<HoursBody>) -> Api<BusinessHoursOut> {
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
    Ok(Answer::ok(BusinessHoursOut::new(&h, s.app.now())))
}
