//! The staff's booking pages: the calendar (a day per resource, or a week; live), a booking with
//! its answers, history and actions, booking a slot (from the calendar or a conversation), and
//! the catalog's settings for owners and admins (resources, services with their extras and
//! questions, coupons). Plain forms that work without scripts.

mod booking;
mod calendar;
mod catalog;
mod feeds;

use crate::kit::error::WebError;
use crate::{Access, AppState, Table};
use axum::routing::{get, post};
use frontdesk_bookings::repo::{Booking, Resource, Service};
use frontdesk_core::money::Money;
use frontdesk_core::Action;
use frontdesk_i18n::t;
use frontdesk_platform::workspaces::Access as WorkspaceAccess;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::collections::HashMap;

pub(crate) fn routes(t: Table) -> Table {
    use Access::*;
    use Action::{ManageBookings, ManageCatalog, ViewBookings};
    t.add(
        "GET",
        "/w/{ws}/bookings",
        Workspace(ViewBookings),
        "The bookings calendar (day or week)",
        get(calendar::page),
    )
    .add(
        "GET",
        "/w/{ws}/bookings/events",
        Workspace(ViewBookings),
        "Booking changes, live (SSE)",
        get(calendar::events),
    )
    .add("GET", "/assets/bookings.js", Public, "The calendar's script (live updates)", get(calendar::script))
    .add("GET", "/w/{ws}/bookings/new", Workspace(ManageBookings), "Book a slot for a customer", get(booking::new_page))
    .add("POST", "/w/{ws}/bookings", Workspace(ManageBookings), "Book a slot for a customer", post(booking::create))
    .add("GET", "/w/{ws}/bookings/{id}", Workspace(ViewBookings), "A booking", get(booking::show))
    .add(
        "POST",
        "/w/{ws}/bookings/{id}/status",
        Workspace(ManageBookings),
        "Confirm, decline, cancel, complete a booking, or mark arrived or no-show",
        post(booking::change),
    )
    .add(
        "POST",
        "/w/{ws}/bookings/{id}/reschedule",
        Workspace(ManageBookings),
        "Move a booking to another free slot",
        post(booking::reschedule),
    )
    .add("GET", "/w/{ws}/settings/resources", Workspace(ManageCatalog), "Resources", get(catalog::resources_page))
    .add(
        "POST",
        "/w/{ws}/settings/resources",
        Workspace(ManageCatalog),
        "Add a resource",
        post(catalog::create_resource),
    )
    .add("GET", "/w/{ws}/settings/resources/{id}", Workspace(ManageCatalog), "A resource", get(catalog::resource_page))
    .add(
        "POST",
        "/w/{ws}/settings/resources/{id}",
        Workspace(ManageCatalog),
        "Change a resource and its weekly hours",
        post(catalog::update_resource),
    )
    .add(
        "POST",
        "/w/{ws}/settings/resources/{id}/exceptions",
        Workspace(ManageCatalog),
        "Give a resource its own hours on a date (or the day off)",
        post(catalog::set_exception),
    )
    .add(
        "POST",
        "/w/{ws}/settings/resources/{id}/exceptions/delete",
        Workspace(ManageCatalog),
        "Back to the weekly hours on a date",
        post(catalog::delete_exception),
    )
    .add(
        "POST",
        "/w/{ws}/settings/resources/{id}/blocks",
        Workspace(ManageCatalog),
        "Block a resource for a while",
        post(catalog::add_block),
    )
    .add(
        "POST",
        "/w/{ws}/settings/resources/{id}/blocks/delete",
        Workspace(ManageCatalog),
        "Remove a blocked time",
        post(catalog::delete_block),
    )
    .add(
        "POST",
        "/w/{ws}/settings/resources/{id}/google",
        Workspace(ManageCatalog),
        "Connect a resource to a Google calendar (to Google's consent page)",
        post(catalog::google_connect),
    )
    .add(
        "POST",
        "/w/{ws}/settings/resources/{id}/google/disconnect",
        Workspace(ManageCatalog),
        "Disconnect a resource from its Google calendar",
        post(catalog::google_disconnect),
    )
    .add(
        "GET",
        "/calendar/google/callback",
        Account,
        "Google's answer to a calendar connection",
        get(catalog::google_callback),
    )
    .add(
        "GET",
        "/w/{ws}/settings/calendars",
        Workspace(ManageCatalog),
        "Calendar feeds: subscribe to the bookings in a calendar app",
        get(feeds::page),
    )
    .add(
        "POST",
        "/w/{ws}/settings/calendars",
        Workspace(ManageCatalog),
        "Turn a calendar feed on or off, or give it a new URL",
        post(feeds::save),
    )
    .add(
        "GET",
        "/w/{ws}/settings/booking-page",
        Workspace(ManageCatalog),
        "The booking page: its link, the embed code, the sites that may embed it",
        get(catalog::booking_page_page),
    )
    .add(
        "POST",
        "/w/{ws}/settings/booking-page",
        Workspace(ManageCatalog),
        "Set the sites that may embed the booking page",
        post(catalog::save_booking_page),
    )
    .add("GET", "/w/{ws}/settings/services", Workspace(ManageCatalog), "Services", get(catalog::services_page))
    .add(
        "GET",
        "/w/{ws}/settings/services/new",
        Workspace(ManageCatalog),
        "Add a service",
        get(catalog::new_service_page),
    )
    .add("POST", "/w/{ws}/settings/services", Workspace(ManageCatalog), "Add a service", post(catalog::create_service))
    .add(
        "GET",
        "/w/{ws}/settings/services/{id}",
        Workspace(ManageCatalog),
        "A service with its extras and questions",
        get(catalog::service_page),
    )
    .add(
        "POST",
        "/w/{ws}/settings/services/{id}",
        Workspace(ManageCatalog),
        "Change a service",
        post(catalog::update_service),
    )
    .add(
        "POST",
        "/w/{ws}/settings/services/{id}/extras",
        Workspace(ManageCatalog),
        "Add an extra to a service",
        post(catalog::add_extra),
    )
    .add(
        "POST",
        "/w/{ws}/settings/services/{id}/extras/remove",
        Workspace(ManageCatalog),
        "Stop offering an extra",
        post(catalog::remove_extra),
    )
    .add(
        "POST",
        "/w/{ws}/settings/services/{id}/questions",
        Workspace(ManageCatalog),
        "Add a question to a service",
        post(catalog::add_question),
    )
    .add(
        "POST",
        "/w/{ws}/settings/services/{id}/questions/remove",
        Workspace(ManageCatalog),
        "Remove a question",
        post(catalog::remove_question),
    )
    .add("GET", "/w/{ws}/settings/coupons", Workspace(ManageCatalog), "Coupons", get(catalog::coupons_page))
    .add("POST", "/w/{ws}/settings/coupons", Workspace(ManageCatalog), "Add a coupon", post(catalog::create_coupon))
    .add(
        "POST",
        "/w/{ws}/settings/coupons/{id}/toggle",
        Workspace(ManageCatalog),
        "Turn a coupon on or off",
        post(catalog::toggle_coupon),
    )
}

/// A form as the pages read it: every field by name (day rows, group checkboxes, answers).
pub(crate) type Fields = HashMap<String, String>;

/// A field's trimmed text ("" when absent).
pub(crate) fn field<'a>(f: &'a Fields, name: &str) -> &'a str {
    f.get(name).map(|v| v.trim()).unwrap_or("")
}

/// A booking's status as people read it.
pub(super) fn status_name(status: &str) -> String {
    t!("bookings-status", status = status)
}

/// The time zone the pages show times in (the shell's: the person's, else the workspace's).
pub(super) fn zone_of(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap_or(TimeZone::UTC)
}

pub(super) fn zoned(tz: &TimeZone, ms: i64) -> Option<jiff::Zoned> {
    Some(jiff::Timestamp::from_millisecond(ms).ok()?.to_zoned(tz.clone()))
}

/// `10:30` in the zone.
pub(super) fn clock(tz: &TimeZone, ms: i64) -> String {
    zoned(tz, ms).map(|z| z.strftime("%H:%M").to_string()).unwrap_or_default()
}

/// The instant a date starts in the zone.
pub(super) fn day_start(tz: &TimeZone, d: Date) -> i64 {
    d.to_zoned(tz.clone()).map(|z| z.timestamp().as_millisecond()).unwrap_or(0)
}

pub(super) fn today(tz: &TimeZone, now: i64) -> Date {
    zoned(tz, now).map(|z| z.date()).unwrap_or_default()
}

pub(super) fn add_days(d: Date, n: i64) -> Date {
    d.checked_add(jiff::Span::new().days(n)).unwrap_or(d)
}

/// A date in words: `Wednesday, 2 Dec 2026`, `miércoles, 2 dic 2026`.
pub(super) fn date_title(d: Date) -> String {
    let lang = frontdesk_i18n::current();
    t!(
        "bookings-date",
        weekday = lang.weekday_names()[d.weekday().to_monday_zero_offset() as usize],
        day = d.day().to_string(),
        month = lang.months()[(d.month() - 1) as usize],
        year = d.year().to_string()
    )
}

/// A short date: `2 Dec`, `2 dic`.
pub(super) fn day_month(d: Date) -> String {
    let lang = frontdesk_i18n::current();
    format!("{} {}", d.day(), lang.months()[(d.month() - 1) as usize])
}

/// An amount in minor units of a currency, as the page's language writes it.
pub(crate) fn money(minor: i64, currency: &str) -> String {
    frontdesk_i18n::current().money(Money::new(minor, frontdesk_bookings::catalog::currency_of(currency)))
}

/// The resources a booking holds (its JSON list of ids).
pub(super) fn resource_ids(b: &Booking) -> Vec<String> {
    serde_json::from_str(&b.resources).unwrap_or_default()
}

pub(super) fn resource_names(b: &Booking, resources: &[Resource]) -> String {
    resource_ids(b)
        .iter()
        .filter_map(|id| resources.iter().find(|r| r.id.as_str() == id).map(|r| r.name.clone()))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn service_name<'a>(id: &frontdesk_core::ServiceId, services: &'a [Service]) -> &'a str {
    services.iter().find(|s| &s.id == id).map(|s| s.name.as_str()).unwrap_or("")
}

/// The customers of some bookings by contact: their name as the contacts list shows it.
pub(super) async fn customers(
    s: &AppState,
    a: &WorkspaceAccess,
    list: &[Booking],
) -> Result<HashMap<String, String>, WebError> {
    let mut out = HashMap::new();
    let mut c = s.app.db.conn().await.map_err(|e| WebError::page(e.into()))?;
    for b in list {
        let Some(id) = &b.contact_id else { continue };
        if out.contains_key(id.as_str()) {
            continue;
        }
        if let Some(k) = frontdesk_inbox::repo::inbox::contact(&mut c, &a.workspace.id, id)
            .await
            .map_err(|e| WebError::page(e.into()))?
        {
            out.insert(id.to_string(), frontdesk_inbox::threads::contact_label(&k));
        }
    }
    Ok(out)
}

/// Who a booking is for: its contact's name, else the name typed in with it.
pub(super) fn customer_of(b: &Booking, names: &HashMap<String, String>) -> String {
    b.contact_id
        .as_ref()
        .and_then(|c| names.get(c.as_str()).cloned())
        .or_else(|| b.customer_name.clone())
        .unwrap_or_else(|| t!("bookings-no-customer"))
}

/// Bookings that no longer hold their time.
pub(super) fn is_gone(status: &str) -> bool {
    matches!(status, "cancelled" | "declined" | "expired")
}

/// Today's bookings of a workspace for Home: how many, and the next few from now (`None` when
/// it has no services yet).
pub(crate) async fn today_for_home(s: &AppState, a: &WorkspaceAccess, zone: &str) -> Result<Option<Today>, WebError> {
    let services = frontdesk_bookings::catalog::services(&s.bookings, a).await.map_err(WebError::page)?;
    if services.is_empty() {
        return Ok(None);
    }
    let services: Vec<Service> = services.into_iter().map(|(x, _)| x).collect();
    let tz = zone_of(zone);
    let now = s.app.now().0;
    let day = today(&tz, now);
    let (from, to) = (day_start(&tz, day), day_start(&tz, add_days(day, 1)));
    let list: Vec<Booking> = frontdesk_bookings::book::list(&s.bookings, &a.workspace.id, from, to, None)
        .await
        .map_err(WebError::page)?
        .into_iter()
        .filter(|b| !is_gone(&b.status) && b.status != "hold")
        .collect();
    let names = customers(s, a, &list).await?;
    let next = list
        .iter()
        .filter(|b| b.ends_at > now)
        .take(5)
        .map(|b| TodayItem {
            id: b.id.to_string(),
            time: clock(&tz, b.starts_at),
            service: service_name(&b.service_id, &services).to_string(),
            customer: customer_of(b, &names),
            status: b.status.clone(),
        })
        .collect();
    Ok(Some(Today { count: list.len() as i64, next }))
}

/// Home's card of today's bookings.
pub(crate) struct Today {
    pub count: i64,
    pub next: Vec<TodayItem>,
}

pub(crate) struct TodayItem {
    pub id: String,
    pub time: String,
    pub service: String,
    pub customer: String,
    pub status: String,
}

pub(crate) fn today_card(w: &str, d: &Today) -> maud::Markup {
    maud::html! {
        section #today-bookings aria-labelledby="today-bookings-h" data-count=(d.count) {
            div.page-head {
                h2 #today-bookings-h { (t!("bookings-home-title")) }
                div.actions { a.button.secondary.small href={ "/w/" (w) "/bookings" } { (t!("bookings-home-calendar")) } }
            }
            p { (t!("bookings-home-count", count = d.count)) }
            @if !d.next.is_empty() {
                ul.threads {
                    @for b in &d.next {
                        li { a.row href={ "/w/" (w) "/bookings/" (b.id) } data-booking=(b.id) {
                            span.line {
                                span.who { strong { (b.time) } " " (b.service) }
                                span.preview { (b.customer) " · " (status_name(&b.status)) }
                            }
                        } }
                    }
                }
            }
        }
    }
}
