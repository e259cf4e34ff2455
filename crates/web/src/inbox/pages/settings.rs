//! Workspace settings pages: business hours and the away reply. Plain forms, no script needed.

use super::inbox::access;
use crate::kit::body::PageForm;
use crate::kit::error::WebError;
use crate::kit::extract::{ClientInfo, PageUser};
use crate::kit::shell::{Nav, Shell};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use frontdesk_core::hours::{OpenState, Range, Schedule, DAYS};
use frontdesk_core::Action;
use frontdesk_inbox::hours::{self, Settings};
use frontdesk_platform::auth::SignedIn;
use frontdesk_platform::workspaces::Access;
use maud::{html, Markup};
use std::collections::HashMap;

const DAY_NAMES: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

pub async fn hours_page(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageSettings).await?;
    let h = hours::get(&s.app, &a).await.map_err(WebError::page)?;
    render(&s, &u, &a, &w, &h, None).await
}

/// "Open now, until 18:00" / "Closed now; opens Monday 09:00" in the workspace's zone.
fn state_line(h: &Settings, now: i64) -> Option<String> {
    let (_, hours) = h.schedule.as_ref()?.check().ok()?;
    let day = |d: &str| DAYS.iter().position(|x| *x == d).map(|i| DAY_NAMES[i]).unwrap_or("");
    Some(match hours.state(now) {
        OpenState::Open { closes_at } => match hours.local(closes_at) {
            Some((_, t)) => format!("Open now, until {t}."),
            None => "Open now.".into(),
        },
        OpenState::Closed { opens_at: Some(at), .. } => match hours.local(at) {
            Some((d, t)) => format!("Closed now; opens {} {t}.", day(d)),
            None => "Closed now.".into(),
        },
        OpenState::Closed { opens_at: None, .. } => "Closed (no opening hours).".into(),
    })
}

async fn render(
    s: &AppState,
    u: &SignedIn,
    a: &Access,
    w: &str,
    h: &Settings,
    error: Option<String>,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let business_tz = frontdesk_platform::profile::get(&s.app, a).await.map_err(WebError::page)?.time_zone;
    let schedule = h.schedule.clone().unwrap_or_default();
    let ranges = |d: &str| schedule.ranges.iter().filter(|r| r.day == d).collect::<Vec<_>>();
    let state = state_line(h, s.app.now().0);
    Ok(sh.page(
        "Business hours",
        Nav::Hours,
        html! {
            @if let Some(line) = &state { p #hours-state { (line) } }
            @else { p #hours-state { "No business hours set: the away reply is off." } }
            form method="post" action={ "/w/" (w) "/settings/hours" } {
                @if let Some(e) = &error { p.alert role="alert" { (e) } }
                label for="tz" { "Time zone" }
                select #tz name="time_zone" required aria-describedby="tz-hint" {
                    (crate::platform::pages::zone_options(if schedule.time_zone.is_empty() { &business_tz } else { &schedule.time_zone }, None))
                }
                p.hint.small #tz-hint { "Your business's time zone (the same as in the " a href={ "/w/" (w) "/settings/profile" } { "business profile" } ")." }
                p.hint { "Leave a day's times empty when you are closed. The second range is for a break (for example 16:00–20:00)." }
                table.hours.stack {
                    thead { tr { th { "Day" } th { "Opens" } th { "Closes" } th { "Opens again" } th { "Closes" } } }
                    tbody {
                    @for (i, d) in DAYS.iter().enumerate() {
                        @let r = ranges(d);
                        tr {
                            td { strong { (DAY_NAMES[i]) } }
                            td data-label="Opens" { input type="time" name={ (d) "_open" } aria-label={ (DAY_NAMES[i]) " opens" } value=[r.first().map(|x| x.open.as_str())]; }
                            td data-label="Closes" { input type="time" name={ (d) "_close" } aria-label={ (DAY_NAMES[i]) " closes" } value=[r.first().map(|x| x.close.as_str())]; }
                            td data-label="Opens again" { input type="time" name={ (d) "_open2" } aria-label={ (DAY_NAMES[i]) " opens again" } value=[r.get(1).map(|x| x.open.as_str())]; }
                            td data-label="Closes again" { input type="time" name={ (d) "_close2" } aria-label={ (DAY_NAMES[i]) " closes again" } value=[r.get(1).map(|x| x.close.as_str())]; }
                        }
                    }
                    }
                }
                label for="closed" { "Closed dates (one per line, YYYY-MM-DD)" }
                textarea #closed name="closed_dates" rows="3" { (schedule.closed_dates.join("\n")) }
                h3 { "Away reply" }
                label.check {
                    input type="checkbox" name="away_enabled" value="1" checked[h.away_enabled];
                    "Answer customers who write while you are closed (once per thread until you open again)"
                }
                label for="away" { "Away reply" }
                textarea #away name="away_text" rows="3" maxlength="1000" { (h.away_text) }
                p.hint { "You may use {{first_name}}, {{name}} and {{business}}. It is sent like any reply: never after an opt-out, only inside the channel's reply window." }
                button type="submit" { "Save hours" }
            }
            form method="post" action={ "/w/" (w) "/settings/hours/clear" } data-confirm="Remove your business hours? The away reply turns off and the assistant no longer knows when you are open." data-confirm-label="Remove hours" {
                button.danger type="submit" { "Remove business hours" }
            }
        },
    ))
}

fn from_form(f: &HashMap<String, String>) -> Settings {
    let get = |k: &str| f.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let mut ranges = vec![];
    for d in DAYS {
        for (o, c) in [("_open", "_close"), ("_open2", "_close2")] {
            match (get(&format!("{d}{o}")), get(&format!("{d}{c}"))) {
                (None, None) => {}
                (open, close) => ranges.push(Range {
                    day: d.to_string(),
                    open: open.unwrap_or("").to_string(),
                    close: close.unwrap_or("").to_string(),
                }),
            }
        }
    }
    let closed_dates =
        f.get("closed_dates").map(|v| v.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect());
    Settings {
        schedule: Some(Schedule {
            time_zone: get("time_zone").unwrap_or("UTC").to_string(),
            ranges,
            closed_dates: closed_dates.unwrap_or_default(),
        }),
        away_enabled: get("away_enabled").is_some(),
        away_text: f.get("away_text").cloned().unwrap_or_default(),
    }
}

pub async fn save_hours(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageSettings).await?;
    let input = from_form(&f);
    match hours::update(&s.app, &a, input.clone()).await {
        Ok(_) => Ok(Redirect::to(&format!("/w/{w}/settings/hours?saved=1")).into_response()),
        Err(e) => {
            let (status, msg) = crate::kit::error::refusal(e)?;
            Ok((status, render(&s, &u, &a, &w, &input, Some(msg)).await?).into_response())
        }
    }
}

pub async fn clear_hours(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageSettings).await?;
    let h = hours::get(&s.app, &a).await.map_err(WebError::page)?;
    hours::update(&s.app, &a, Settings { schedule: None, away_enabled: false, ..h }).await.map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/w/{w}/settings/hours?saved=1")).into_response())
}
