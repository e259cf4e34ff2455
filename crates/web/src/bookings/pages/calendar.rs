//! The calendar: a day with one column per resource, or a week with one column per day (a list
//! per day on a phone), bookings placed by their local times, filtered by resource and service.
//! Live: the inbox's event stream carries `booking.changed`, and `assets/bookings.js` reloads the
//! calendar's part of the page when one arrives.

use super::{
    add_days, clock, customer_of, customers, date_title, day_month, day_start, is_gone, resource_ids, service_name,
    status_name, today, zone_of, zoned,
};
use crate::kit::error::WebError;
use crate::kit::extract::{page_access as access, ClientInfo, PageUser};
use crate::kit::layout::url_encode;
use crate::kit::shell::{Nav, Shell};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use frontdesk_bookings::book;
use frontdesk_bookings::catalog;
use frontdesk_bookings::repo::{Booking, Resource};
use frontdesk_core::hours::Schedule;
use frontdesk_core::Action;
use frontdesk_i18n::t;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize, Default, Clone)]
pub struct CalendarQuery {
    /// `day` (default) or `week`.
    #[serde(default)]
    view: Option<String>,
    /// `YYYY-MM-DD` in the page's time zone; today when absent or not a date.
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    resource: Option<String>,
    #[serde(default)]
    service: Option<String>,
}

fn some(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|x| !x.is_empty()).map(str::to_string)
}

/// The calendar's address with these choices.
fn url(w: &str, week: bool, date: Date, resource: &Option<String>, service: &Option<String>) -> String {
    let mut u = format!("/w/{w}/bookings?view={}&date={date}", if week { "week" } else { "day" });
    if let Some(r) = some(resource) {
        u.push_str(&format!("&resource={}", url_encode(&r)));
    }
    if let Some(sv) = some(service) {
        u.push_str(&format!("&service={}", url_encode(&sv)));
    }
    u
}

/// Minutes of 15 per grid row.
const STEP: i64 = 15;

/// The wall-clock minutes in `tz` that `[from, to)` covers of a day (from its start, or
/// midnight, to its end, or the next midnight), when it touches that day.
fn minutes_on(tz: &TimeZone, day: Date, (from, to): (i64, i64)) -> Option<(i64, i64)> {
    let (ds, de) = (day_start(tz, day), day_start(tz, add_days(day, 1)));
    if to <= ds || from >= de {
        return None;
    }
    let wall = |ms: i64| zoned(tz, ms).map(|z| z.hour() as i64 * 60 + z.minute() as i64).unwrap_or(0);
    let start = if from <= ds { 0 } else { wall(from) };
    let end = if to >= de { 24 * 60 } else { wall(to) };
    Some((start, end.max(start + STEP)))
}

/// The instant of a wall-clock minute of a date in a zone.
fn instant(tz: &TimeZone, day: Date, minute: u16) -> Option<i64> {
    let (day, minute) = if minute >= 24 * 60 { (add_days(day, 1), 0) } else { (day, minute) };
    let t = jiff::civil::Time::new((minute / 60) as i8, (minute % 60) as i8, 0, 0).ok()?;
    Some(day.to_datetime(t).to_zoned(tz.clone()).ok()?.timestamp().as_millisecond())
}

/// One booking placed in a column: its rows and its lane (bookings that overlap sit side by
/// side).
struct Placed<'a> {
    b: &'a Booking,
    start: i64,
    end: i64,
    lane: usize,
}

/// Gives overlapping bookings of a column their own lanes; the number of lanes.
fn lanes(items: &mut [Placed<'_>]) -> usize {
    items.sort_by_key(|p| (p.start, p.end));
    let mut ends: Vec<i64> = vec![];
    for p in items.iter_mut() {
        match ends.iter().position(|e| *e <= p.start) {
            Some(i) => {
                ends[i] = p.end;
                p.lane = i;
            }
            None => {
                ends.push(p.end);
                p.lane = ends.len() - 1;
            }
        }
    }
    ends.len().max(1)
}

pub async fn page(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    Query(q): Query<CalendarQuery>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ViewBookings).await?;
    let sh = Shell::load(&s, &u, Some(&a)).await?;
    let w = a.workspace.id.to_string();
    let tz = zone_of(sh.times.time_zone());
    let now = s.app.now().0;
    let date = q.date.as_deref().and_then(|d| d.trim().parse::<Date>().ok()).unwrap_or_else(|| today(&tz, now));
    let week = q.view.as_deref() == Some("week");
    let first = if week { add_days(date, -(date.weekday().to_monday_zero_offset() as i64)) } else { date };
    let days: Vec<Date> = (0..if week { 7 } else { 1 }).map(|i| add_days(first, i)).collect();
    let (from, to) = (day_start(&tz, first), day_start(&tz, add_days(first, days.len() as i64)));
    let resources = catalog::resources(&s.bookings, &a).await.map_err(WebError::page)?;
    let services = catalog::services(&s.bookings, &a).await.map_err(WebError::page)?;
    let (only_resource, only_service) = (some(&q.resource), some(&q.service));
    let list: Vec<Booking> = book::list(&s.bookings, &a.workspace.id, from, to, None)
        .await
        .map_err(WebError::page)?
        .into_iter()
        .filter(|b| only_service.as_deref().is_none_or(|x| b.service_id.as_str() == x))
        .filter(|b| only_resource.as_deref().is_none_or(|r| resource_ids(b).iter().any(|x| x == r)))
        .collect();
    let names = customers(&s, &a, &list).await?;
    let plain: Vec<_> = services.iter().map(|(x, _)| x.clone()).collect();
    let (shown, gone): (Vec<&Booking>, Vec<&Booking>) = list.iter().partition(|b| !is_gone(&b.status));

    // The resources shown: the one asked for, else those of the service asked for, else all
    // that are active (or hold a booking of these days).
    let of_service = |r: &Resource| match &only_service {
        Some(sv) => services.iter().any(|(x, g)| x.id.as_str() == sv && g.iter().flatten().any(|id| id == &r.id)),
        None => true,
    };
    let holds = |r: &Resource| shown.iter().any(|b| resource_ids(b).iter().any(|x| x == r.id.as_str()));
    let columns: Vec<&Resource> = resources
        .iter()
        .filter(|r| only_resource.as_deref().is_none_or(|x| r.id.as_str() == x))
        .filter(|r| of_service(r))
        .filter(|r| r.active || holds(r))
        .collect();

    // The hours the grid spans: the resources' opening hours on these days and every booking,
    // in whole hours (08:00–20:00 when nothing says otherwise).
    let (mut lo, mut hi) = (24 * 60, 0);
    for r in &columns {
        let schedule: Schedule = serde_json::from_str(&r.hours).unwrap_or_default();
        let Ok((_, h)) = schedule.check() else { continue };
        let own = zone_of(&r.time_zone);
        // Its hours on the days around each day shown, in its own zone, as the page's zone
        // reads them.
        for d in &days {
            for near in [add_days(*d, -1), *d, add_days(*d, 1)] {
                for &(o, c) in &h.week()[near.weekday().to_monday_zero_offset() as usize] {
                    let (Some(a), Some(z)) = (instant(&own, near, o), instant(&own, near, c)) else { continue };
                    if let Some(m) = minutes_on(&tz, *d, (a, z)) {
                        (lo, hi) = (lo.min(m.0), hi.max(m.1));
                    }
                }
            }
        }
    }
    let mut spans: HashMap<(usize, String), (i64, i64)> = HashMap::new();
    for b in &shown {
        for (i, d) in days.iter().enumerate() {
            if let Some(m) = minutes_on(&tz, *d, (b.starts_at, b.ends_at)) {
                (lo, hi) = (lo.min(m.0), hi.max(m.1));
                spans.insert((i, b.id.to_string()), m);
            }
        }
    }
    if lo >= hi {
        (lo, hi) = (8 * 60, 20 * 60);
    }
    let (lo, hi) = (lo / 60 * 60, (hi + 59) / 60 * 60);
    let rows = (hi - lo) / STEP;

    // The columns: resources on a day, days in a week.
    let heads: Vec<Markup> = if week {
        let names = frontdesk_i18n::current().weekdays();
        days.iter()
            .map(|d| {
                let href = url(&w, false, *d, &q.resource, &q.service);
                html! { a href=(href) { (names[d.weekday().to_monday_zero_offset() as usize]) " " (day_month(*d)) } }
            })
            .collect()
    } else {
        columns.iter().map(|r| html! { (r.name) }).collect()
    };
    let mut cols: Vec<Vec<Placed>> = (0..heads.len()).map(|_| vec![]).collect();
    for b in &shown {
        for (i, _) in days.iter().enumerate() {
            let Some(&(start, end)) = spans.get(&(i, b.id.to_string())) else { continue };
            if week {
                cols[i].push(Placed { b, start, end, lane: 0 });
            } else {
                for (c, r) in columns.iter().enumerate() {
                    if resource_ids(b).iter().any(|x| x == r.id.as_str()) {
                        cols[c].push(Placed { b, start, end, lane: 0 });
                    }
                }
            }
        }
    }
    let widths: Vec<usize> = cols.iter_mut().map(|c| lanes(c)).collect();
    let row_of = |m: i64| ((m - lo) / STEP).clamp(0, rows) + 1;
    let row_end = |m: i64| ((m - lo + STEP - 1) / STEP).clamp(1, rows) + 1;

    let can_book = frontdesk_core::role::allows(a.role, Action::ManageBookings);
    let can_catalog = frontdesk_core::role::allows(a.role, Action::ManageCatalog);
    let title = if week {
        t!(
            "bookings-week-of",
            first = day_month(first),
            last = day_month(add_days(first, 6)),
            year = first.year().to_string()
        )
    } else {
        date_title(date)
    };
    let step = if week { 7 } else { 1 };
    let item = |p: &Placed| {
        let b = p.b;
        let label = format!(
            "{}–{} · {} · {} · {}",
            clock(&tz, b.starts_at),
            clock(&tz, b.ends_at),
            service_name(&b.service_id, &plain),
            customer_of(b, &names),
            status_name(&b.status)
        );
        html! {
            a.cal-item href={ "/w/" (w) "/bookings/" (b.id) } data-booking=(b.id) data-status=(b.status) title=(label)
                style={ "grid-row:" (row_of(p.start)) " / " (row_end(p.end).max(row_of(p.start) + 1)) ";grid-column:" (p.lane + 1) } {
                strong { (clock(&tz, b.starts_at)) } " "
                span { (service_name(&b.service_id, &plain)) } " "
                span.who { (customer_of(b, &names)) } " "
                span.badge { (status_name(&b.status)) }
                @if b.attendance.as_deref() == Some("arrived") { " " span.badge.ok { (t!("bookings-arrived")) } }
            }
        }
    };
    let sel = |v: &Option<String>, x: &str| v.as_deref() == Some(x);
    Ok(sh.page(
        &t!("bookings-title"),
        Nav::Bookings,
        html! {
            div #calendar data-live={ "/w/" (w) "/bookings/events" } {
                div.page-head {
                    h2 #cal-range style="margin:0" { (title) }
                    div.actions {
                        @if can_book { a.button.small href={ "/w/" (w) "/bookings/new?date=" (date) } { (t!("bookings-new")) } }
                    }
                }
                div.cal-bar {
                    nav.cal-nav aria-label=(t!("bookings-dates")) {
                        a.button.secondary.small href=(url(&w, week, add_days(date, -step), &q.resource, &q.service)) { "← " (if week { t!("bookings-previous-week") } else { t!("bookings-previous-day") }) }
                        a.button.secondary.small href=(url(&w, week, today(&tz, now), &q.resource, &q.service)) { (t!("bookings-today")) }
                        a.button.secondary.small href=(url(&w, week, add_days(date, step), &q.resource, &q.service)) { (if week { t!("bookings-next-week") } else { t!("bookings-next-day") }) " →" }
                    }
                    nav.tabs aria-label=(t!("bookings-view")) {
                        a href=(url(&w, false, date, &q.resource, &q.service)) aria-current=[(!week).then_some("page")] { (t!("bookings-day")) }
                        a href=(url(&w, true, date, &q.resource, &q.service)) aria-current=[week.then_some("page")] { (t!("bookings-week")) }
                    }
                }
                form.card.filters method="get" action={ "/w/" (w) "/bookings" } aria-label=(t!("bookings-filters")) {
                    input type="hidden" name="view" value=(if week { "week" } else { "day" });
                    label.visually-hidden for="cal-date" { (t!("bookings-date-label")) }
                    input #cal-date type="date" name="date" value=(date);
                    label.visually-hidden for="cal-resource" { (t!("bookings-resource")) }
                    select #cal-resource name="resource" {
                        option value="" { (t!("bookings-all-resources")) }
                        @for r in &resources { option value=(r.id) selected[sel(&only_resource, r.id.as_str())] { (r.name) } }
                    }
                    label.visually-hidden for="cal-service" { (t!("bookings-service")) }
                    select #cal-service name="service" {
                        option value="" { (t!("bookings-all-services")) }
                        @for (x, _) in &services { option value=(x.id) selected[sel(&only_service, x.id.as_str())] { (x.name) } }
                    }
                    button.secondary type="submit" { (t!("bookings-show")) }
                }
                @if resources.is_empty() {
                    div.card.empty #cal-empty {
                        strong { (t!("bookings-no-resources")) }
                        @if can_catalog { a href={ "/w/" (w) "/settings/resources" } { (t!("bookings-add-resources")) } }
                        @else { (t!("bookings-no-resources-hint")) }
                    }
                } @else if heads.is_empty() {
                    div.card.empty #cal-empty { strong { (t!("bookings-nothing-matches")) } }
                } @else {
                    p.muted.small #cal-count data-count=(shown.len()) { (t!("bookings-count", count = shown.len())) }
                    div.cal-scroll.week[week] role="region" aria-label=(title) tabindex="0" {
                        div.cal style={ "--cols:" (heads.len()) ";--rows:" (rows) } {
                            div.cal-corner {}
                            @for (i, h) in heads.iter().enumerate() { div.cal-head style={ "grid-column:" (i + 2) } { (h) } }
                            @for hour in (lo / 60)..(hi / 60) {
                                div.cal-hour style={ "grid-row:" (row_of(hour * 60) + 1) " / span 4" } { (format!("{hour:02}:00")) }
                            }
                            @for (i, col) in cols.iter().enumerate() {
                                div.cal-col style={ "grid-column:" (i + 2) ";grid-template-columns:repeat(" (widths[i]) ",minmax(0,1fr))" } {
                                    @for p in col { (item(p)) }
                                }
                            }
                        }
                    }
                    @if week {
                        div.cal-list {
                            @for (i, d) in days.iter().enumerate() {
                                h3 { (date_title(*d)) }
                                @let on: Vec<&&Booking> = shown.iter().filter(|b| spans.contains_key(&(i, b.id.to_string()))).collect();
                                @if on.is_empty() { p.muted.small { (t!("bookings-none-this-day")) } }
                                @else {
                                    ul.threads {
                                        @for b in on {
                                            li { a.row href={ "/w/" (w) "/bookings/" (b.id) } {
                                                span.line {
                                                    span.who { strong { (clock(&tz, b.starts_at)) "–" (clock(&tz, b.ends_at)) } " " (service_name(&b.service_id, &plain)) }
                                                    span.preview { (customer_of(b, &names)) " · " (status_name(&b.status)) }
                                                }
                                            } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @if !gone.is_empty() {
                    details.card #cal-gone {
                        summary { (t!("bookings-gone", count = gone.len())) }
                        ul {
                            @for b in &gone {
                                li data-booking=(b.id) { a href={ "/w/" (w) "/bookings/" (b.id) } { (clock(&tz, b.starts_at)) " · " (service_name(&b.service_id, &plain)) " · " (customer_of(b, &names)) } " · " (status_name(&b.status)) }
                            }
                        }
                    }
                }
            }
            script src="/assets/bookings.js" defer {}
        },
    ))
}

/// Booking changes of the workspace, live (SSE): `change` with the booking's id.
pub async fn events(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Response, WebError> {
    use axum::response::sse::{Event, KeepAlive, Sse};
    use frontdesk_inbox::live::BOOKING_CHANGED;
    let a = access(&s, &u, &client.ip, &w, Action::ViewBookings).await?;
    let ws_id = a.workspace.id.to_string();
    let stream = futures_util::stream::unfold(s.app.live.subscribe(), move |mut rx| {
        let ws_id = ws_id.clone();
        async move {
            loop {
                let ev = match rx.recv().await {
                    Ok(e) if e.workspace_id == ws_id && e.kind == BOOKING_CHANGED => {
                        let data = serde_json::json!({ "booking_id": e.message_id });
                        Event::default().event("change").data(data.to_string())
                    }
                    Ok(_) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                        Event::default().event("resync").data("{}")
                    }
                    Err(_) => return None,
                };
                return Some((Ok::<_, std::convert::Infallible>(ev), rx));
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(15))).into_response())
}

/// The calendar's script.
pub async fn script() -> Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, "application/javascript; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=300"),
        ],
        include_str!("../assets/bookings.js"),
    )
        .into_response()
}
