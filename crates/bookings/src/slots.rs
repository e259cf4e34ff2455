//! Free slots of a service: loads the engine's inputs (resources, their date exceptions and
//! blocks, live allocations, class occurrences, the business's hours and closed dates) in a few
//! statements and asks `frontdesk_core::slots`. The same loading serves a booking's own check,
//! inside its transaction.

use crate::catalog;
use crate::repo::{self as q, Resource, Service};
use crate::Bookings;
use frontdesk_core::slots::{self as engine, Ask, DayRanges, Span, Unit};
use frontdesk_core::{BookingId, ExtraId, ResourceId, Timestamp, WorkspaceId};
use frontdesk_platform::error::{AppError, AppResult};
use frontdesk_platform::workspaces::Access;
use frontdesk_store::Conn;
use jiff::tz::TimeZone;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What to look for.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
pub struct SlotQuery {
    pub service_id: String,
    /// First date (`YYYY-MM-DD`) in `time_zone`; today when left out.
    #[serde(default)]
    pub from: Option<String>,
    /// Last date, included; `from` + 6 days when left out.
    #[serde(default)]
    pub to: Option<String>,
    /// The customer's IANA zone for dates and answers; the business's when left out.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Only with this resource (a chosen stylist).
    #[serde(default)]
    pub resource_id: Option<String>,
    /// Seats of a class (default 1).
    #[serde(default)]
    pub seats: Option<i64>,
    /// Nights or days of a stay (default 1).
    #[serde(default)]
    pub quantity: Option<i64>,
    /// Extras, comma separated ids (they add time).
    #[serde(default)]
    pub extras: Option<String>,
}

/// A free slot as the API shows it.
#[derive(Clone, Debug, Serialize, JsonSchema, PartialEq, Eq)]
pub struct FreeSlot {
    /// RFC 3339 with the customer's offset.
    pub start: String,
    pub end: String,
    /// The resources it would take, one per group.
    pub resources: Vec<SlotResource>,
    pub seats_left: i64,
}

#[derive(Clone, Debug, Serialize, JsonSchema, PartialEq, Eq)]
pub struct SlotResource {
    pub id: String,
    pub name: String,
}

/// An instant with the offset of `tz`: `2026-12-02T10:00:00+01:00`.
pub fn offset_time(tz: &TimeZone, ms: i64) -> String {
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(t) => t.to_zoned(tz.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        Err(_) => Timestamp(ms).to_rfc3339(),
    }
}

pub fn zone(field: &'static str, name: Option<&str>, fallback: &str) -> AppResult<TimeZone> {
    let n = name.map(str::trim).filter(|s| !s.is_empty()).unwrap_or(fallback);
    TimeZone::get(n)
        .map_err(|_| AppError::invalid(field, "unknown_time_zone", "Use a time zone name such as Europe/Madrid."))
}

/// The engine's inputs for one service, loaded once.
pub(crate) struct Loaded {
    pub service: Service,
    pub resources: Vec<Resource>,
    pub engine: Vec<engine::Resource>,
    pub business: Option<engine::Resource>,
    pub closed: Vec<Span>,
    pub occurrences: Vec<engine::Occurrence>,
    pub occurrence_ids: Vec<frontdesk_core::OccurrenceId>,
    pub ask: Ask,
}

impl Loaded {
    pub fn query(&self, from: i64, to: i64, now: i64) -> engine::Query<'_> {
        engine::Query {
            ask: &self.ask,
            resources: &self.engine,
            closed: &self.closed,
            occurrences: &self.occurrences,
            business: self.business.as_ref(),
            from,
            to,
            now,
        }
    }
}

fn day_ranges(json: &str) -> DayRanges {
    serde_json::from_str(json).unwrap_or_default()
}

/// Options of one load.
pub(crate) struct Want<'a> {
    pub extras: &'a [ExtraId],
    pub seats: i64,
    pub quantity: i64,
    pub only: Option<&'a ResourceId>,
    /// A booking being moved: its own allocations do not count.
    pub except: Option<&'a BookingId>,
}

pub(crate) async fn load(
    c: &mut Conn,
    ws: &WorkspaceId,
    service: Service,
    want: &Want<'_>,
    from: i64,
    to: i64,
    now: i64,
) -> AppResult<Loaded> {
    let groups = catalog::groups(c, ws, &service.id).await?;
    let all = q::resources(c, ws).await?;
    let mut resources: Vec<Resource> = vec![];
    let mut index: Vec<Vec<usize>> = vec![];
    for g in &groups {
        let mut idx = vec![];
        for id in g {
            if want.only.is_some_and(|o| o != id) && g.iter().any(|x| Some(x) == want.only) {
                continue;
            }
            let Some(r) = all.iter().find(|r| &r.id == id && r.active) else { continue };
            let i = match resources.iter().position(|x| x.id == r.id) {
                Some(i) => i,
                None => {
                    resources.push(r.clone());
                    resources.len() - 1
                }
            };
            idx.push(i);
        }
        index.push(idx);
    }
    if let Some(o) = want.only {
        if !groups.iter().any(|g| g.contains(o)) {
            return Err(AppError::invalid(
                "resource_id",
                "unknown_resource",
                "That resource does not give this service.",
            ));
        }
    }
    let extras = q::extras(c, ws, &service.id).await?;
    let mut extra_min = 0;
    for e in want.extras {
        let x = extras.iter().find(|x| &x.id == e && x.active).ok_or_else(|| {
            AppError::invalid("extras", "unknown_extra", "An extra is not offered with this service.")
        })?;
        extra_min += x.minutes;
    }
    let unit = match service.unit.as_str() {
        "night" => Unit::Night { check_in: service.check_in_min as u16, check_out: service.check_out_min as u16 },
        "day" => Unit::Day { check_in: service.check_in_min as u16, check_out: service.check_out_min as u16 },
        _ => Unit::Slot,
    };
    let ask = Ask {
        duration: service.duration_min + extra_min,
        buffer_before: service.buffer_before_min,
        buffer_after: service.buffer_after_min,
        interval: service.interval_min,
        min_notice: service.min_notice_min,
        window_days: service.window_days,
        unit,
        quantity: want.quantity.max(1),
        capacity: service.capacity.max(1) as u32,
        seats: want.seats.max(1) as u32,
        groups: index,
    };
    // What can touch the range: a stay's length, the buffers, a day either side for zones.
    let span = (ask.duration + ask.quantity * 1440 + ask.buffer_before + ask.buffer_after) * engine::MINUTE;
    let (lo, hi) = (from - engine::DAY - span, to + engine::DAY + span);
    let ids: Vec<ResourceId> = resources.iter().map(|r| r.id.clone()).collect();
    let allocations = q::allocations(c, ws, &ids, lo, hi, now).await?;
    let exceptions = q::exceptions(c, ws, &ids).await?;
    let blocks = q::blocks(c, ws, &ids, lo, hi).await?;
    let pulled = q::calendar_busy(c, ws, &ids, lo, hi).await?;
    let occ = q::occurrences(c, ws, &service.id, lo, hi).await?;
    let own_occ: Vec<_> = occ.iter().map(|o| o.id.clone()).collect();
    let engine_res = resources
        .iter()
        .map(|r| {
            let schedule: frontdesk_core::hours::Schedule = serde_json::from_str(&r.hours).unwrap_or_default();
            let (weekly, days_off) = match schedule.check() {
                Ok((_, h)) => (h.week().clone(), h.closed().to_vec()),
                Err(_) => (Default::default(), vec![]),
            };
            let mut ex: Vec<(jiff::civil::Date, DayRanges)> = days_off.into_iter().map(|d| (d, vec![])).collect();
            for e in exceptions.iter().filter(|e| e.resource_id == r.id) {
                if let Ok(d) = e.day.parse::<jiff::civil::Date>() {
                    ex.retain(|(x, _)| *x != d);
                    ex.push((d, day_ranges(&e.ranges)));
                }
            }
            engine::Resource {
                id: r.id.to_string(),
                time_zone: r.time_zone.clone(),
                weekly,
                exceptions: ex,
                blocked: blocks
                    .iter()
                    .filter(|b| b.resource_id == r.id)
                    .map(|b| Span::new(b.starts_at, b.ends_at))
                    .chain(pulled.iter().filter(|p| p.0 == r.id.as_str()).map(|p| Span::new(p.1, p.2)))
                    .collect(),
                busy: allocations
                    .iter()
                    .filter(|a| a.resource_id == r.id)
                    .filter(|a| a.booking_id.is_none() || a.booking_id.as_ref() != want.except)
                    .filter(|a| a.occurrence_id.as_ref().is_none_or(|o| !own_occ.contains(o)))
                    .map(|a| Span::new(a.starts_at, a.ends_at))
                    .collect(),
            }
        })
        .collect();
    // A class's occurrences count seats; the booking being moved gives its seats back.
    let mut occurrences = vec![];
    let mut occurrence_ids = vec![];
    for o in &occ {
        let holders: Vec<usize> = allocations
            .iter()
            .filter(|a| a.occurrence_id.as_ref() == Some(&o.id))
            .filter_map(|a| resources.iter().position(|r| r.id == a.resource_id))
            .collect();
        if holders.is_empty() {
            continue;
        }
        occurrences.push(engine::Occurrence { start: o.starts_at, taken: o.taken as u32, resources: holders });
        occurrence_ids.push(o.id.clone());
    }
    if let Some(except) = want.except {
        if let Some(b) = q::booking(c, ws, except).await? {
            if let Some(oid) = &b.occurrence_id {
                if let Some(i) = occurrence_ids.iter().position(|x| x == oid) {
                    occurrences[i].taken = occurrences[i].taken.saturating_sub(b.seats as u32);
                }
            }
        }
    }
    // The business's hours (slot services) and closed dates (every unit).
    let mut closed = vec![];
    let mut business = None;
    if let Some(s) = frontdesk_inbox::hours::schedule(c, ws).await? {
        if let Ok((_, h)) = s.check() {
            let tz = TimeZone::get(h.time_zone()).unwrap_or(TimeZone::UTC);
            for d in h.closed() {
                let start = d.to_zoned(tz.clone()).ok().map(|z| z.timestamp().as_millisecond());
                let end =
                    d.tomorrow().ok().and_then(|n| n.to_zoned(tz.clone()).ok()).map(|z| z.timestamp().as_millisecond());
                if let (Some(a), Some(z)) = (start, end) {
                    closed.push(Span::new(a, z));
                }
            }
            if h.week().iter().any(|d| !d.is_empty()) {
                business = Some(engine::Resource {
                    id: "business".into(),
                    time_zone: h.time_zone().to_string(),
                    weekly: h.week().clone(),
                    ..Default::default()
                });
            }
        }
    }
    Ok(Loaded { service, resources, engine: engine_res, business, closed, occurrences, occurrence_ids, ask })
}

fn date(field: &'static str, raw: &str) -> AppResult<jiff::civil::Date> {
    raw.trim().parse().map_err(|_| AppError::invalid(field, "invalid_date", "Use a date as YYYY-MM-DD."))
}

pub fn extras_list(raw: Option<&str>) -> AppResult<Vec<ExtraId>> {
    let mut out = vec![];
    for part in raw.unwrap_or("").split(',').map(str::trim).filter(|s| !s.is_empty()) {
        out.push(ExtraId::parse(part).ok_or_else(|| {
            AppError::invalid("extras", "unknown_extra", "An extra is not offered with this service.")
        })?);
    }
    Ok(out)
}

pub(crate) fn check_counts(seats: Option<i64>, quantity: Option<i64>) -> AppResult<(i64, i64)> {
    let seats = seats.unwrap_or(1);
    if !(1..=50).contains(&seats) {
        return Err(AppError::invalid("seats", "out_of_range", "Book 1 to 50 seats."));
    }
    let quantity = quantity.unwrap_or(1);
    if !(1..=60).contains(&quantity) {
        return Err(AppError::invalid("quantity", "out_of_range", "Book 1 to 60 nights or days."));
    }
    Ok((seats, quantity))
}

/// Free slots for a service, in the customer's zone (staff and the API; the public page
/// later through the same function).
pub async fn free(b: &Bookings, ws: &WorkspaceId, query: &SlotQuery, public: bool) -> AppResult<Vec<FreeSlot>> {
    let mut c = b.db.conn().await?;
    let sid = frontdesk_core::ServiceId::parse(&query.service_id)
        .ok_or_else(|| AppError::invalid("service_id", "unknown_service", "No such service."))?;
    let service = q::service(&mut c, ws, &sid)
        .await?
        .filter(|s| s.active && !(public && s.hidden))
        .ok_or_else(|| AppError::invalid("service_id", "unknown_service", "No such service, or it is not bookable."))?;
    let profile = frontdesk_platform::profile::of(&mut c, ws).await?;
    let tz = zone("time_zone", query.time_zone.as_deref(), &profile.time_zone)?;
    let now = b.now().0;
    let today = jiff::Timestamp::from_millisecond(now).map_err(|_| AppError::internal())?.to_zoned(tz.clone()).date();
    let from = match &query.from {
        Some(f) if !f.trim().is_empty() => date("from", f)?,
        _ => today,
    };
    let to = match &query.to {
        Some(t) if !t.trim().is_empty() => date("to", t)?,
        _ => from.checked_add(jiff::Span::new().days(6)).unwrap_or(from),
    };
    if to < from {
        return Err(AppError::invalid("to", "end_before_start", "The last date comes before the first."));
    }
    let days = (to - from).get_days() as i64 + 1;
    if days > b.settings.max_range_days {
        return Err(AppError::invalid(
            "to",
            "range_too_long",
            format!("Ask for at most {} days at once.", b.settings.max_range_days),
        ));
    }
    let start = from.to_zoned(tz.clone()).map_err(|_| AppError::internal())?.timestamp().as_millisecond();
    let end = to
        .tomorrow()
        .ok()
        .and_then(|d| d.to_zoned(tz.clone()).ok())
        .map(|z| z.timestamp().as_millisecond())
        .ok_or_else(AppError::internal)?
        - 1;
    let (seats, quantity) = check_counts(query.seats, query.quantity)?;
    let extras = extras_list(query.extras.as_deref())?;
    let only = match query.resource_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(r) => Some(ResourceId::parse(r).ok_or_else(|| {
            AppError::invalid("resource_id", "unknown_resource", "That resource does not give this service.")
        })?),
        None => None,
    };
    let want = Want { extras: &extras, seats, quantity, only: only.as_ref(), except: None };
    let loaded = load(&mut c, ws, service, &want, start, end, now).await?;
    let slots = engine::free_slots(&loaded.query(start, end, now));
    Ok(slots
        .into_iter()
        .map(|s| FreeSlot {
            start: offset_time(&tz, s.start),
            end: offset_time(&tz, s.end),
            resources: s
                .resources
                .iter()
                .map(|&i| SlotResource {
                    id: loaded.resources[i].id.to_string(),
                    name: loaded.resources[i].name.clone(),
                })
                .collect(),
            seats_left: s.seats_left as i64,
        })
        .collect())
}

pub async fn for_access(b: &Bookings, access: &Access, query: &SlotQuery) -> AppResult<Vec<FreeSlot>> {
    free(b, &access.workspace.id, query, false).await
}

/// [`offset_time`] for a zone by name (UTC when unknown).
pub fn offset_time_in(zone: &str, ms: i64) -> String {
    offset_time(&TimeZone::get(zone).unwrap_or(TimeZone::UTC), ms)
}
