//! Workspace settings pages: business hours and the away reply. Plain forms, no script needed.

use super::inbox::{access, rich, slot};
use crate::kit::body::PageForm;
use crate::kit::error::WebError;
use crate::kit::extract::{ClientInfo, PageUser};
use crate::kit::shell::{Nav, Shell};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use frontdesk_core::hours::{OpenState, Range, Schedule, DAYS};
use frontdesk_core::Action;
use frontdesk_i18n::t;
use frontdesk_inbox::hours::{self, Settings};
use frontdesk_platform::auth::SignedIn;
use frontdesk_platform::workspaces::Access;
use maud::{html, Markup};
use std::collections::HashMap;

/// A weekday's name as a label starts: `Monday`, `Lunes`.
fn capitalized(name: &str) -> String {
    let mut c = name.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

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
    let names = frontdesk_i18n::current().weekday_names();
    let day = |d: &str| DAYS.iter().position(|x| *x == d).map(|i| names[i]).unwrap_or("");
    Some(match hours.state(now) {
        OpenState::Open { closes_at } => match hours.local(closes_at) {
            Some((_, time)) => t!("inbox-hours-open-until", time = time),
            None => t!("inbox-hours-open"),
        },
        OpenState::Closed { opens_at: Some(at), .. } => match hours.local(at) {
            Some((d, time)) => t!("inbox-hours-closed-opens", day = day(d), time = time),
            None => t!("inbox-hours-closed"),
        },
        OpenState::Closed { opens_at: None, .. } => t!("inbox-hours-closed-always"),
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
    let day_names = frontdesk_i18n::current().weekday_names();
    let profile_link = html! { a href={ "/w/" (w) "/settings/profile" } { (t!("inbox-hours-profile-link")) } };
    Ok(sh.page(
        &t!("inbox-hours-title"),
        Nav::Hours,
        html! {
            @if let Some(line) = &state { p #hours-state { (line) } }
            @else { p #hours-state { (t!("inbox-hours-none")) } }
            form method="post" action={ "/w/" (w) "/settings/hours" } {
                @if let Some(e) = &error { p.alert role="alert" { (e) } }
                label for="tz" { (t!("profile-time-zone")) }
                select #tz name="time_zone" required aria-describedby="tz-hint" {
                    (crate::platform::pages::zone_options(if schedule.time_zone.is_empty() { &business_tz } else { &schedule.time_zone }, None))
                }
                p.hint.small #tz-hint { (rich(&t!("inbox-hours-tz-hint", profile = slot(0)), &[profile_link])) }
                p.hint { (t!("inbox-hours-hint")) }
                table.hours.stack {
                    thead { tr { th { (t!("inbox-hours-day")) } th { (t!("inbox-hours-opens")) } th { (t!("inbox-hours-closes")) } th { (t!("inbox-hours-opens-again")) } th { (t!("inbox-hours-closes")) } } }
                    tbody {
                    @for (i, d) in DAYS.iter().enumerate() {
                        @let r = ranges(d);
                        @let day = day_names[i];
                        tr {
                            td { strong { (capitalized(day)) } }
                            td data-label=(t!("inbox-hours-opens")) { input type="time" name={ (d) "_open" } aria-label=(t!("inbox-hours-day-opens", day = day)) value=[r.first().map(|x| x.open.as_str())]; }
                            td data-label=(t!("inbox-hours-closes")) { input type="time" name={ (d) "_close" } aria-label=(t!("inbox-hours-day-closes", day = day)) value=[r.first().map(|x| x.close.as_str())]; }
                            td data-label=(t!("inbox-hours-opens-again")) { input type="time" name={ (d) "_open2" } aria-label=(t!("inbox-hours-day-opens-again", day = day)) value=[r.get(1).map(|x| x.open.as_str())]; }
                            td data-label=(t!("inbox-hours-closes-again")) { input type="time" name={ (d) "_close2" } aria-label=(t!("inbox-hours-day-closes-again", day = day)) value=[r.get(1).map(|x| x.close.as_str())]; }
                        }
                    }
                    }
                }
                label for="closed" { (t!("inbox-hours-closed-dates")) }
                textarea #closed name="closed_dates" rows="3" { (schedule.closed_dates.join("\n")) }
                h3 { (t!("inbox-sender-away")) }
                label.check {
                    input type="checkbox" name="away_enabled" value="1" checked[h.away_enabled];
                    (t!("inbox-hours-away-enabled"))
                }
                label for="away" { (t!("inbox-sender-away")) }
                textarea #away name="away_text" rows="3" maxlength="1000" { (h.away_text) }
                p.hint { (t!("inbox-hours-away-hint")) }
                button type="submit" { (t!("inbox-hours-save")) }
            }
            form method="post" action={ "/w/" (w) "/settings/hours/clear" } data-confirm=(t!("inbox-hours-remove-confirm")) data-confirm-label=(t!("inbox-hours-remove-label")) {
                button.danger type="submit" { (t!("inbox-hours-remove")) }
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
