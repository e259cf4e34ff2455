//! The catalog: resources (with weekly hours, date exceptions and blocks), services, extras,
//! intake requirements and coupons. Owners and admins change it; every field is checked and a
//! refusal names the field.

use crate::repo::{self as q, Block, Coupon, Exception, Extra, Requirement, Resource, Service};
use crate::Bookings;
use frontdesk_core::hours::{Range, Schedule};
use frontdesk_core::money::{Currency, Money};
use frontdesk_core::{
    BlockId, CouponId, ExtraId, RequirementId, ResourceId, ServiceId, Timestamp, UserId, WorkspaceId,
};
use frontdesk_platform::audit;
use frontdesk_platform::error::{AppError, AppResult, ErrorKind};
use frontdesk_platform::workspaces::Access;
use frontdesk_store::Conn;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub const KINDS: [&str; 4] = ["staff", "room", "equipment", "unit"];
pub const UNITS: [&str; 3] = ["slot", "night", "day"];
pub const PAYMENTS: [&str; 3] = ["none", "deposit", "full"];
pub const QUESTION_KINDS: [&str; 3] = ["text", "choice", "checkbox"];

fn yes() -> bool {
    true
}

/// One weekly opening range of a resource, in its own time zone.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct HoursRange {
    /// `mon` … `sun`.
    pub day: String,
    /// `HH:MM`.
    pub open: String,
    /// `HH:MM` (`24:00` for midnight).
    pub close: String,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
pub struct BookingResourceInput {
    /// `staff`, `room`, `equipment` or `unit` (a rentable unit).
    pub kind: String,
    pub name: String,
    /// The member this staff resource is (a user id of the workspace).
    #[serde(default)]
    pub user_id: Option<String>,
    /// IANA zone of its hours; the business's when left out.
    #[serde(default)]
    pub time_zone: Option<String>,
    #[serde(default)]
    pub hours: Vec<HoursRange>,
    /// Dates off (`YYYY-MM-DD`).
    #[serde(default)]
    pub days_off: Vec<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

/// A resource as the API shows it.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct BookingResourceOut {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub user_id: Option<String>,
    pub time_zone: String,
    pub hours: Vec<HoursRange>,
    pub days_off: Vec<String>,
    pub active: bool,
}

pub fn resource_out(r: &Resource) -> BookingResourceOut {
    let s: Schedule = serde_json::from_str(&r.hours).unwrap_or_default();
    BookingResourceOut {
        id: r.id.to_string(),
        kind: r.kind.clone(),
        name: r.name.clone(),
        user_id: r.user_id.clone(),
        time_zone: r.time_zone.clone(),
        hours: s.ranges.into_iter().map(|x| HoursRange { day: x.day, open: x.open, close: x.close }).collect(),
        days_off: s.closed_dates,
        active: r.active,
    }
}

fn name_of(field: &'static str, raw: &str, max: usize) -> AppResult<String> {
    let n = raw.trim();
    if n.is_empty() {
        return Err(AppError::invalid(field, "required", "Give it a name."));
    }
    if n.chars().count() > max {
        return Err(AppError::invalid(field, "too_long", format!("At most {max} characters.")));
    }
    Ok(n.to_string())
}

/// Audits a catalog change in the workspace's chain, inside its transaction.
async fn note(
    b: &Bookings,
    tx: &mut Conn,
    access: &Access,
    action: &str,
    target: (&str, &str),
    outcome: &str,
) -> AppResult<()> {
    audit::record(b, tx, access.workspace.id.as_str(), &access.actor, action, Some(target), outcome).await
}

fn resource_not_found() -> AppError {
    AppError::not_found("The resource")
}

fn service_not_found() -> AppError {
    AppError::not_found("The service")
}

async fn business(c: &mut Conn, ws: &WorkspaceId) -> AppResult<frontdesk_platform::repo::profiles::Profile> {
    frontdesk_platform::profile::of(c, ws).await
}

async fn check_resource(b: &Bookings, c: &mut Conn, ws: &WorkspaceId, i: &BookingResourceInput) -> AppResult<Resource> {
    let kind = i.kind.trim().to_ascii_lowercase();
    if !KINDS.contains(&kind.as_str()) {
        return Err(AppError::invalid("kind", "invalid_kind", "Choose staff, room, equipment or unit."));
    }
    let name = name_of("name", &i.name, 80)?;
    let user_id = match i.user_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(u) => {
            let id = UserId::parse(u).ok_or_else(|| AppError::invalid("user_id", "not_a_member", "Pick a member."))?;
            let member = frontdesk_platform::repo::workspaces::role_of_member(c, ws, &id).await?;
            if member.is_none() {
                return Err(AppError::invalid("user_id", "not_a_member", "Pick a member of this workspace."));
            }
            Some(id.to_string())
        }
    };
    let zone = match i.time_zone.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(z) => z.to_string(),
        None => business(c, ws).await?.time_zone,
    };
    let schedule = Schedule {
        time_zone: zone,
        ranges: i
            .hours
            .iter()
            .map(|r| Range { day: r.day.clone(), open: r.open.clone(), close: r.close.clone() })
            .collect(),
        closed_dates: i.days_off.clone(),
    };
    let (schedule, _) = schedule.check().map_err(AppError::from)?;
    let now = b.now().0;
    Ok(Resource {
        id: ResourceId::new(),
        workspace_id: ws.clone(),
        kind,
        name,
        user_id,
        time_zone: schedule.time_zone.clone(),
        hours: serde_json::to_string(&schedule).map_err(|_| AppError::internal())?,
        active: i.active,
        created_at: now,
        updated_at: now,
    })
}

pub async fn resources(b: &Bookings, access: &Access) -> AppResult<Vec<Resource>> {
    let mut c = b.db.conn().await?;
    Ok(q::resources(&mut c, &access.workspace.id).await?)
}

pub async fn resource(b: &Bookings, access: &Access, id: &str) -> AppResult<Resource> {
    let id = ResourceId::parse(id).ok_or_else(resource_not_found)?;
    let mut c = b.db.conn().await?;
    q::resource(&mut c, &access.workspace.id, &id).await?.ok_or_else(resource_not_found)
}

pub async fn create_resource(b: &Bookings, access: &Access, i: &BookingResourceInput) -> AppResult<Resource> {
    let ws = &access.workspace.id;
    let mut tx = b.db.begin().await?;
    let r = check_resource(b, &mut tx, ws, i).await?;
    q::insert_resource(&mut tx, &r).await?;
    note(b, &mut tx, access, "booking.resource.create", ("resource", r.id.as_str()), "ok").await?;
    tx.commit().await?;
    Ok(r)
}

pub async fn update_resource(b: &Bookings, access: &Access, id: &str, i: &BookingResourceInput) -> AppResult<Resource> {
    let id = ResourceId::parse(id).ok_or_else(resource_not_found)?;
    let ws = &access.workspace.id;
    let mut tx = b.db.begin().await?;
    let old = q::resource(&mut tx, ws, &id).await?.ok_or_else(resource_not_found)?;
    let mut r = check_resource(b, &mut tx, ws, i).await?;
    r.id = old.id;
    r.created_at = old.created_at;
    q::update_resource(&mut tx, &r).await?;
    note(b, &mut tx, access, "booking.resource.update", ("resource", r.id.as_str()), "ok").await?;
    tx.commit().await?;
    Ok(r)
}

/// A date's own hours (`ranges` empty: the resource is off that day).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ExceptionInput {
    #[serde(default)]
    pub ranges: Vec<OpenClose>,
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct OpenClose {
    pub open: String,
    pub close: String,
}

/// A date's own hours as the API shows them.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct ExceptionOut {
    pub resource_id: String,
    pub date: String,
    pub ranges: Vec<OpenClose>,
}

fn hhmm(m: i64) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

pub fn exception_out(e: &Exception) -> ExceptionOut {
    let ranges: Vec<(u16, u16)> = serde_json::from_str(&e.ranges).unwrap_or_default();
    ExceptionOut {
        resource_id: e.resource_id.to_string(),
        date: e.day.clone(),
        ranges: ranges.iter().map(|&(o, c)| OpenClose { open: hhmm(o as i64), close: hhmm(c as i64) }).collect(),
    }
}

pub async fn exceptions(b: &Bookings, access: &Access, resource: &str) -> AppResult<Vec<Exception>> {
    let r = self::resource(b, access, resource).await?;
    let mut c = b.db.conn().await?;
    Ok(q::exceptions(&mut c, &access.workspace.id, std::slice::from_ref(&r.id)).await?)
}

pub async fn set_exception(
    b: &Bookings,
    access: &Access,
    resource: &str,
    date: &str,
    i: &ExceptionInput,
) -> AppResult<Exception> {
    let day: jiff::civil::Date =
        date.trim().parse().map_err(|_| AppError::invalid("date", "invalid_date", "Use a date as YYYY-MM-DD."))?;
    // The weekly checker validates the times: each range as a Monday.
    let probe = Schedule {
        time_zone: "UTC".into(),
        ranges: i
            .ranges
            .iter()
            .map(|r| Range { day: "mon".into(), open: r.open.clone(), close: r.close.clone() })
            .collect(),
        closed_dates: vec![],
    };
    let (_, hours) = probe.check().map_err(AppError::from)?;
    let ranges = hours.week()[0].clone();
    let ws = &access.workspace.id;
    let r = self::resource(b, access, resource).await?;
    let e = Exception {
        resource_id: r.id.clone(),
        day: day.to_string(),
        ranges: serde_json::to_string(&ranges).map_err(|_| AppError::internal())?,
    };
    let mut tx = b.db.begin().await?;
    q::set_exception(&mut tx, ws, &e).await?;
    note(b, &mut tx, access, "booking.resource.exception", ("resource", r.id.as_str()), "ok").await?;
    tx.commit().await?;
    Ok(e)
}

pub async fn delete_exception(b: &Bookings, access: &Access, resource: &str, date: &str) -> AppResult<()> {
    let r = self::resource(b, access, resource).await?;
    let ws = &access.workspace.id;
    let mut tx = b.db.begin().await?;
    if !q::delete_exception(&mut tx, ws, &r.id, date.trim()).await? {
        return Err(AppError::not_found("The day's own schedule"));
    }
    note(b, &mut tx, access, "booking.resource.exception", ("resource", r.id.as_str()), "removed").await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
pub struct BlockInput {
    /// RFC 3339.
    pub start: String,
    /// RFC 3339, after `start`.
    pub end: String,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct BlockOut {
    pub id: String,
    pub resource_id: String,
    pub start: String,
    pub end: String,
    pub reason: Option<String>,
}

pub fn block_out(x: &Block) -> BlockOut {
    BlockOut {
        id: x.id.to_string(),
        resource_id: x.resource_id.to_string(),
        start: Timestamp(x.starts_at).to_rfc3339(),
        end: Timestamp(x.ends_at).to_rfc3339(),
        reason: x.reason.clone(),
    }
}

pub fn instant(field: &'static str, raw: &str) -> AppResult<i64> {
    Timestamp::parse_rfc3339(raw.trim()).map(|t| t.0).ok_or_else(|| {
        AppError::invalid(field, "invalid_time", "Use a time as RFC 3339, such as 2027-03-01T10:00:00+01:00.")
    })
}

pub async fn blocks(b: &Bookings, access: &Access, resource: &str) -> AppResult<Vec<Block>> {
    let r = self::resource(b, access, resource).await?;
    let mut c = b.db.conn().await?;
    let now = b.now().0;
    Ok(q::blocks(&mut c, &access.workspace.id, std::slice::from_ref(&r.id), now - 30 * Timestamp::DAY, i64::MAX)
        .await?)
}

pub async fn add_block(b: &Bookings, access: &Access, resource: &str, i: &BlockInput) -> AppResult<Block> {
    let r = self::resource(b, access, resource).await?;
    let (start, end) = (instant("start", &i.start)?, instant("end", &i.end)?);
    if end <= start {
        return Err(AppError::invalid("end", "end_before_start", "The end must come after the start."));
    }
    let reason = i.reason.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    if reason.as_ref().is_some_and(|r| r.chars().count() > 200) {
        return Err(AppError::invalid("reason", "too_long", "At most 200 characters."));
    }
    let x = Block { id: BlockId::new(), resource_id: r.id.clone(), starts_at: start, ends_at: end, reason };
    let ws = &access.workspace.id;
    let mut tx = b.db.begin().await?;
    q::insert_block(&mut tx, ws, &x).await?;
    note(b, &mut tx, access, "booking.resource.block", ("resource", r.id.as_str()), "ok").await?;
    tx.commit().await?;
    Ok(x)
}

pub async fn delete_block(b: &Bookings, access: &Access, id: &str) -> AppResult<()> {
    let id = BlockId::parse(id).ok_or_else(|| AppError::not_found("The blocked time"))?;
    let ws = &access.workspace.id;
    let mut tx = b.db.begin().await?;
    if !q::delete_block(&mut tx, ws, &id).await? {
        return Err(AppError::not_found("The blocked time"));
    }
    note(b, &mut tx, access, "booking.resource.block", ("block", id.as_str()), "removed").await?;
    tx.commit().await?;
    Ok(())
}

// Services.

#[derive(Clone, Debug, Deserialize, JsonSchema)]
pub struct BookingServiceInput {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Minutes (for `slot` services).
    #[serde(default)]
    pub duration_min: i64,
    /// A decimal amount in the currency (`25`, `25.50`); per night or day for rentals.
    pub price: String,
    /// ISO 4217; the business's currency when left out.
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub buffer_before_min: i64,
    #[serde(default)]
    pub buffer_after_min: i64,
    /// Minutes between possible starts; 0 means the duration.
    #[serde(default)]
    pub interval_min: i64,
    #[serde(default)]
    pub min_notice_min: i64,
    /// How many days ahead customers may book (default 60).
    #[serde(default)]
    pub window_days: Option<i64>,
    /// 1: an appointment; more: a class with that many seats.
    #[serde(default)]
    pub capacity: Option<i64>,
    /// `slot` (default), `night` or `day`.
    #[serde(default)]
    pub unit: Option<String>,
    /// `HH:MM`, for nights and days.
    #[serde(default)]
    pub check_in: Option<String>,
    /// `HH:MM`, for nights and days.
    #[serde(default)]
    pub check_out: Option<String>,
    #[serde(default)]
    pub requires_confirmation: bool,
    /// The resources it needs: one of each group (e.g. `[[ana, luis], [chair1, chair2]]`).
    pub resources: Vec<Vec<String>>,
    #[serde(default = "yes")]
    pub active: bool,
    /// Bookable through the API and by staff, not listed on the public page.
    #[serde(default)]
    pub hidden: bool,
    /// Customers may cancel until this many minutes before the start.
    #[serde(default)]
    pub cancel_notice_min: i64,
    /// `none` (default), `deposit` or `full`.
    #[serde(default)]
    pub payment: Option<String>,
    /// The deposit as an amount (`10.00`), or …
    #[serde(default)]
    pub deposit: Option<String>,
    /// … as a percent of the price (1–100).
    #[serde(default)]
    pub deposit_percent: Option<i64>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct BookingServiceOut {
    pub id: String,
    pub name: String,
    pub description: String,
    pub duration_min: i64,
    /// Decimal, in `currency`.
    pub price: String,
    pub currency: String,
    pub buffer_before_min: i64,
    pub buffer_after_min: i64,
    pub interval_min: i64,
    pub min_notice_min: i64,
    pub window_days: i64,
    pub capacity: i64,
    pub unit: String,
    pub check_in: Option<String>,
    pub check_out: Option<String>,
    pub requires_confirmation: bool,
    pub resources: Vec<Vec<String>>,
    pub active: bool,
    pub hidden: bool,
    pub cancel_notice_min: i64,
    pub payment: String,
    pub deposit: Option<String>,
    pub deposit_percent: Option<i64>,
}

pub fn currency_of(code: &str) -> Currency {
    Currency::parse(code).or_else(|| Currency::parse("EUR")).expect("EUR is a currency")
}

pub fn service_out(s: &Service, groups: &[Vec<ResourceId>]) -> BookingServiceOut {
    let cur = currency_of(&s.currency);
    let stay = s.unit != "slot";
    BookingServiceOut {
        id: s.id.to_string(),
        name: s.name.clone(),
        description: s.description.clone(),
        duration_min: s.duration_min,
        price: Money::new(s.price_minor, cur).decimal(),
        currency: s.currency.clone(),
        buffer_before_min: s.buffer_before_min,
        buffer_after_min: s.buffer_after_min,
        interval_min: s.interval_min,
        min_notice_min: s.min_notice_min,
        window_days: s.window_days,
        capacity: s.capacity,
        unit: s.unit.clone(),
        check_in: stay.then(|| hhmm(s.check_in_min)),
        check_out: stay.then(|| hhmm(s.check_out_min)),
        requires_confirmation: s.requires_confirmation,
        resources: groups.iter().map(|g| g.iter().map(|r| r.to_string()).collect()).collect(),
        active: s.active,
        hidden: s.hidden,
        cancel_notice_min: s.cancel_notice_min,
        payment: s.payment.clone(),
        deposit: s.deposit_minor.map(|m| Money::new(m, cur).decimal()),
        deposit_percent: s.deposit_percent,
    }
}

fn range(field: &'static str, v: i64, lo: i64, hi: i64) -> AppResult<i64> {
    if v < lo || v > hi {
        return Err(AppError::invalid(field, "out_of_range", format!("Use a number from {lo} to {hi}.")));
    }
    Ok(v)
}

fn clock(field: &'static str, raw: Option<&str>, default: i64) -> AppResult<i64> {
    let Some(s) = raw.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(default) };
    let bad = || AppError::invalid(field, "invalid_time", "Use a time as HH:MM.");
    let (h, m) = s.split_once(':').ok_or_else(bad)?;
    let (h, m): (i64, i64) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if !(0..24).contains(&h) || !(0..60).contains(&m) || s.len() != 5 {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

pub fn money(field: &'static str, raw: &str, cur: Currency) -> AppResult<i64> {
    let m = Money::parse(raw.trim(), cur)
        .map_err(|_| AppError::invalid(field, "invalid_amount", "Use an amount such as 25 or 25.50."))?;
    if m.minor() < 0 {
        return Err(AppError::invalid(field, "invalid_amount", "An amount cannot be negative."));
    }
    Ok(m.minor())
}

async fn check_service(
    b: &Bookings,
    c: &mut Conn,
    ws: &WorkspaceId,
    i: &BookingServiceInput,
) -> AppResult<(Service, Vec<Vec<ResourceId>>)> {
    let name = name_of("name", &i.name, 120)?;
    let description = i.description.trim().to_string();
    if description.chars().count() > 2000 {
        return Err(AppError::invalid("description", "too_long", "At most 2000 characters."));
    }
    let profile = business(c, ws).await?;
    let code = i.currency.clone().filter(|s| !s.trim().is_empty()).or(profile.currency).unwrap_or_else(|| "EUR".into());
    let cur = Currency::parse(&code)
        .ok_or_else(|| AppError::invalid("currency", "invalid_currency", "Use an ISO 4217 code such as EUR."))?;
    let unit = i.unit.as_deref().map(|u| u.trim().to_ascii_lowercase()).unwrap_or_else(|| "slot".into());
    if !UNITS.contains(&unit.as_str()) {
        return Err(AppError::invalid("unit", "invalid_unit", "Choose slot, night or day."));
    }
    let stay = unit != "slot";
    let duration = if stay { 0 } else { range("duration_min", i.duration_min, 5, 24 * 60)? };
    let price = money("price", &i.price, cur)?;
    let capacity = range("capacity", i.capacity.unwrap_or(1), 1, 500)?;
    if stay && capacity > 1 {
        return Err(AppError::invalid("capacity", "out_of_range", "Nights and days are booked whole: capacity 1."));
    }
    let (check_in, check_out) = if unit == "night" {
        (clock("check_in", i.check_in.as_deref(), 15 * 60)?, clock("check_out", i.check_out.as_deref(), 11 * 60)?)
    } else if unit == "day" {
        let (a, z) =
            (clock("check_in", i.check_in.as_deref(), 9 * 60)?, clock("check_out", i.check_out.as_deref(), 19 * 60)?);
        if z <= a {
            return Err(AppError::invalid("check_out", "end_before_start", "Check-out must come after check-in."));
        }
        (a, z)
    } else {
        (0, 0)
    };
    let interval = i.interval_min;
    if interval != 0 {
        range("interval_min", interval, 5, 24 * 60)?;
    }
    let payment = i.payment.as_deref().map(|p| p.trim().to_ascii_lowercase()).unwrap_or_else(|| "none".into());
    if !PAYMENTS.contains(&payment.as_str()) {
        return Err(AppError::invalid("payment", "invalid_payment", "Choose none, deposit or full."));
    }
    let (mut deposit_minor, mut deposit_percent) = (None, None);
    if payment == "deposit" {
        match (i.deposit.as_deref().filter(|d| !d.trim().is_empty()), i.deposit_percent) {
            (Some(d), None) => {
                let m = money("deposit", d, cur)?;
                if m == 0 || m > price {
                    return Err(AppError::invalid(
                        "deposit",
                        "invalid_deposit",
                        "A deposit is more than 0 and at most the price.",
                    ));
                }
                deposit_minor = Some(m);
            }
            (None, Some(p)) => deposit_percent = Some(range("deposit_percent", p, 1, 100)?),
            _ => {
                return Err(AppError::invalid(
                    "deposit",
                    "invalid_deposit",
                    "Give the deposit as an amount or as a percent, one of the two.",
                ))
            }
        }
    }
    if i.resources.is_empty() || i.resources.len() > 3 {
        return Err(AppError::invalid(
            "resources",
            "resources_required",
            "Choose who or what it needs: one to three groups.",
        ));
    }
    let known = q::resources(c, ws).await?;
    let mut groups = vec![];
    for g in &i.resources {
        if g.is_empty() || g.len() > 50 {
            return Err(AppError::invalid(
                "resources",
                "resources_required",
                "Each group needs at least one resource.",
            ));
        }
        let mut ids = vec![];
        for raw in g {
            let r = ResourceId::parse(raw).and_then(|id| known.iter().find(|k| k.id == id)).ok_or_else(|| {
                AppError::invalid("resources", "unknown_resource", "A resource is not in this workspace.")
            })?;
            if !ids.contains(&r.id) {
                ids.push(r.id.clone());
            }
        }
        groups.push(ids);
    }
    let now = b.now().0;
    let s = Service {
        id: ServiceId::new(),
        workspace_id: ws.clone(),
        name,
        description,
        duration_min: duration,
        price_minor: price,
        currency: cur.code().to_string(),
        buffer_before_min: range("buffer_before_min", i.buffer_before_min, 0, 240)?,
        buffer_after_min: range("buffer_after_min", i.buffer_after_min, 0, 240)?,
        interval_min: interval,
        min_notice_min: range("min_notice_min", i.min_notice_min, 0, 90 * 24 * 60)?,
        window_days: range("window_days", i.window_days.unwrap_or(60), 1, 730)?,
        capacity,
        unit,
        check_in_min: check_in,
        check_out_min: check_out,
        requires_confirmation: i.requires_confirmation,
        active: i.active,
        hidden: i.hidden,
        cancel_notice_min: range("cancel_notice_min", i.cancel_notice_min, 0, 90 * 24 * 60)?,
        payment,
        deposit_minor,
        deposit_percent,
        created_at: now,
        updated_at: now,
    };
    Ok((s, groups))
}

/// A service with its resource groups.
pub async fn groups(c: &mut Conn, ws: &WorkspaceId, s: &ServiceId) -> AppResult<Vec<Vec<ResourceId>>> {
    let mut out: Vec<Vec<ResourceId>> = vec![];
    for (g, r) in q::service_resources(c, ws, s).await? {
        while out.len() <= g as usize {
            out.push(vec![]);
        }
        out[g as usize].push(r);
    }
    Ok(out)
}

pub async fn services(b: &Bookings, access: &Access) -> AppResult<Vec<(Service, Vec<Vec<ResourceId>>)>> {
    let ws = &access.workspace.id;
    let mut c = b.db.conn().await?;
    let list = q::services(&mut c, ws).await?;
    let mut out = vec![];
    for s in list {
        let g = groups(&mut c, ws, &s.id).await?;
        out.push((s, g));
    }
    Ok(out)
}

pub async fn service(b: &Bookings, access: &Access, id: &str) -> AppResult<(Service, Vec<Vec<ResourceId>>)> {
    let ws = &access.workspace.id;
    let id = ServiceId::parse(id).ok_or_else(service_not_found)?;
    let mut c = b.db.conn().await?;
    let s = q::service(&mut c, ws, &id).await?.ok_or_else(service_not_found)?;
    let g = groups(&mut c, ws, &s.id).await?;
    Ok((s, g))
}

pub async fn create_service(
    b: &Bookings,
    access: &Access,
    i: &BookingServiceInput,
) -> AppResult<(Service, Vec<Vec<ResourceId>>)> {
    let ws = &access.workspace.id;
    let mut tx = b.db.begin().await?;
    let (s, groups) = check_service(b, &mut tx, ws, i).await?;
    q::insert_service(&mut tx, &s).await?;
    q::set_service_resources(&mut tx, ws, &s.id, &groups).await?;
    note(b, &mut tx, access, "booking.service.create", ("service", s.id.as_str()), "ok").await?;
    tx.commit().await?;
    Ok((s, groups))
}

pub async fn update_service(
    b: &Bookings,
    access: &Access,
    id: &str,
    i: &BookingServiceInput,
) -> AppResult<(Service, Vec<Vec<ResourceId>>)> {
    let ws = &access.workspace.id;
    let id = ServiceId::parse(id).ok_or_else(service_not_found)?;
    let mut tx = b.db.begin().await?;
    let old = q::service(&mut tx, ws, &id).await?.ok_or_else(service_not_found)?;
    let (mut s, groups) = check_service(b, &mut tx, ws, i).await?;
    s.id = old.id;
    s.created_at = old.created_at;
    q::update_service(&mut tx, &s).await?;
    q::set_service_resources(&mut tx, ws, &s.id, &groups).await?;
    note(b, &mut tx, access, "booking.service.update", ("service", s.id.as_str()), "ok").await?;
    tx.commit().await?;
    Ok((s, groups))
}

// Extras and requirements.

#[derive(Clone, Debug, Deserialize, JsonSchema)]
pub struct ExtraInput {
    pub name: String,
    /// Minutes it adds (0 or more).
    #[serde(default)]
    pub minutes: i64,
    /// Decimal amount it adds.
    #[serde(default)]
    pub price: Option<String>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct ExtraOut {
    pub id: String,
    pub service_id: String,
    pub name: String,
    pub minutes: i64,
    pub price: String,
    pub active: bool,
}

pub fn extra_out(e: &Extra, currency: &str) -> ExtraOut {
    ExtraOut {
        id: e.id.to_string(),
        service_id: e.service_id.to_string(),
        name: e.name.clone(),
        minutes: e.minutes,
        price: Money::new(e.price_minor, currency_of(currency)).decimal(),
        active: e.active,
    }
}

pub async fn extras(b: &Bookings, access: &Access, service: &str) -> AppResult<(Service, Vec<Extra>)> {
    let (s, _) = self::service(b, access, service).await?;
    let mut c = b.db.conn().await?;
    let list = q::extras(&mut c, &access.workspace.id, &s.id).await?;
    Ok((s, list))
}

pub async fn add_extra(b: &Bookings, access: &Access, service: &str, i: &ExtraInput) -> AppResult<(Service, Extra)> {
    let (s, _) = self::service(b, access, service).await?;
    let e = Extra {
        id: ExtraId::new(),
        workspace_id: access.workspace.id.clone(),
        service_id: s.id.clone(),
        name: name_of("name", &i.name, 80)?,
        minutes: range("minutes", i.minutes, 0, 8 * 60)?,
        price_minor: match i.price.as_deref().filter(|p| !p.trim().is_empty()) {
            Some(p) => money("price", p, currency_of(&s.currency))?,
            None => 0,
        },
        active: true,
    };
    let mut tx = b.db.begin().await?;
    q::insert_extra(&mut tx, &e).await?;
    note(b, &mut tx, access, "booking.extra.create", ("extra", e.id.as_str()), "ok").await?;
    tx.commit().await?;
    Ok((s, e))
}

pub async fn remove_extra(b: &Bookings, access: &Access, id: &str) -> AppResult<()> {
    let id = ExtraId::parse(id).ok_or_else(|| AppError::not_found("The extra"))?;
    let ws = &access.workspace.id;
    let mut tx = b.db.begin().await?;
    if !q::delete_extra(&mut tx, ws, &id).await? {
        return Err(AppError::not_found("The extra"));
    }
    note(b, &mut tx, access, "booking.extra.remove", ("extra", id.as_str()), "ok").await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
pub struct RequirementInput {
    /// The question, as the customer reads it.
    pub label: String,
    /// `text` (default), `choice` or `checkbox`.
    #[serde(default)]
    pub kind: Option<String>,
    /// The choices of a `choice` question.
    #[serde(default)]
    pub choices: Vec<String>,
    #[serde(default)]
    pub required: bool,
    /// Health or similar: never sent to an AI provider, a calendar, a feed or a webhook.
    #[serde(default)]
    pub sensitive: bool,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct RequirementOut {
    pub id: String,
    pub service_id: String,
    pub label: String,
    pub kind: String,
    pub choices: Vec<String>,
    pub required: bool,
    pub sensitive: bool,
}

pub fn requirement_out(r: &Requirement) -> RequirementOut {
    RequirementOut {
        id: r.id.to_string(),
        service_id: r.service_id.to_string(),
        label: r.label.clone(),
        kind: r.kind.clone(),
        choices: serde_json::from_str(&r.choices).unwrap_or_default(),
        required: r.required,
        sensitive: r.sensitive,
    }
}

pub async fn requirements(b: &Bookings, access: &Access, service: &str) -> AppResult<Vec<Requirement>> {
    let (s, _) = self::service(b, access, service).await?;
    let mut c = b.db.conn().await?;
    Ok(q::requirements(&mut c, &access.workspace.id, &s.id).await?)
}

pub async fn add_requirement(
    b: &Bookings,
    access: &Access,
    service: &str,
    i: &RequirementInput,
) -> AppResult<Requirement> {
    let (s, _) = self::service(b, access, service).await?;
    let kind = i.kind.as_deref().map(|k| k.trim().to_ascii_lowercase()).unwrap_or_else(|| "text".into());
    if !QUESTION_KINDS.contains(&kind.as_str()) {
        return Err(AppError::invalid("kind", "invalid_kind", "Choose text, choice or checkbox."));
    }
    let choices: Vec<String> = i.choices.iter().map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect();
    if kind == "choice" && (choices.len() < 2 || choices.len() > 20) {
        return Err(AppError::invalid("choices", "choices_required", "A choice question needs 2 to 20 choices."));
    }
    if choices.iter().any(|c| c.chars().count() > 100) {
        return Err(AppError::invalid("choices", "too_long", "At most 100 characters per choice."));
    }
    let ws = &access.workspace.id;
    let mut tx = b.db.begin().await?;
    let position = q::requirements(&mut tx, ws, &s.id).await?.len() as i64;
    if position >= 30 {
        return Err(AppError::invalid("label", "too_many", "At most 30 questions per service."));
    }
    let r = Requirement {
        id: RequirementId::new(),
        workspace_id: ws.clone(),
        service_id: s.id.clone(),
        position,
        label: name_of("label", &i.label, 200)?,
        kind,
        choices: serde_json::to_string(&choices).map_err(|_| AppError::internal())?,
        required: i.required,
        sensitive: i.sensitive,
    };
    q::insert_requirement(&mut tx, &r).await?;
    note(b, &mut tx, access, "booking.requirement.create", ("requirement", r.id.as_str()), "ok").await?;
    tx.commit().await?;
    Ok(r)
}

pub async fn remove_requirement(b: &Bookings, access: &Access, id: &str) -> AppResult<()> {
    let id = RequirementId::parse(id).ok_or_else(|| AppError::not_found("The question"))?;
    let ws = &access.workspace.id;
    let mut tx = b.db.begin().await?;
    if !q::delete_requirement(&mut tx, ws, &id).await? {
        return Err(AppError::not_found("The question"));
    }
    note(b, &mut tx, access, "booking.requirement.remove", ("requirement", id.as_str()), "ok").await?;
    tx.commit().await?;
    Ok(())
}

// Coupons.

#[derive(Clone, Debug, Deserialize, JsonSchema)]
pub struct CouponInput {
    /// Letters, digits and dashes; stored in capitals.
    pub code: String,
    /// `percent` or `amount`.
    pub kind: String,
    /// A percent (`10`) or an amount (`5.00`, in the service's currency).
    pub value: String,
    #[serde(default)]
    pub valid_from: Option<String>,
    #[serde(default)]
    pub valid_to: Option<String>,
    #[serde(default)]
    pub max_uses: Option<i64>,
    #[serde(default)]
    pub once_per_customer: bool,
    /// Only for this service.
    #[serde(default)]
    pub service_id: Option<String>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct CouponOut {
    pub id: String,
    pub code: String,
    pub kind: String,
    /// A percent, or an amount in minor units.
    pub value: i64,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub max_uses: Option<i64>,
    pub uses: i64,
    pub once_per_customer: bool,
    pub service_id: Option<String>,
    pub active: bool,
}

pub fn coupon_out(k: &Coupon) -> CouponOut {
    CouponOut {
        id: k.id.to_string(),
        code: k.code.clone(),
        kind: k.kind.clone(),
        value: k.value,
        valid_from: k.valid_from.map(|t| Timestamp(t).to_rfc3339()),
        valid_to: k.valid_to.map(|t| Timestamp(t).to_rfc3339()),
        max_uses: k.max_uses,
        uses: k.uses,
        once_per_customer: k.once_per_customer,
        service_id: k.service_id.as_ref().map(|s| s.to_string()),
        active: k.active,
    }
}

pub async fn coupons(b: &Bookings, access: &Access) -> AppResult<Vec<Coupon>> {
    let mut c = b.db.conn().await?;
    Ok(q::coupons(&mut c, &access.workspace.id).await?)
}

pub async fn create_coupon(b: &Bookings, access: &Access, i: &CouponInput) -> AppResult<Coupon> {
    let ws = &access.workspace.id;
    let code = i.code.trim().to_ascii_uppercase();
    if code.len() < 3 || code.len() > 32 || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(AppError::invalid("code", "invalid_code", "Use 3 to 32 letters, digits or dashes."));
    }
    let mut tx = b.db.begin().await?;
    let service = match i.service_id.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(sid) => {
            let id = ServiceId::parse(sid)
                .ok_or_else(|| AppError::invalid("service_id", "unknown_service", "No such service."))?;
            Some(
                q::service(&mut tx, ws, &id)
                    .await?
                    .ok_or_else(|| AppError::invalid("service_id", "unknown_service", "No such service."))?,
            )
        }
        None => None,
    };
    let kind = i.kind.trim().to_ascii_lowercase();
    let value = match kind.as_str() {
        "percent" => {
            let v: i64 = i.value.trim().parse().map_err(|_| {
                AppError::invalid("value", "invalid_percent", "A percent is a whole number from 1 to 100.")
            })?;
            range("value", v, 1, 100)?
        }
        "amount" => {
            let code = match &service {
                Some(s) => s.currency.clone(),
                None => business(&mut tx, ws).await?.currency.unwrap_or_else(|| "EUR".into()),
            };
            let m = money("value", &i.value, currency_of(&code))?;
            if m == 0 {
                return Err(AppError::invalid("value", "invalid_amount", "A discount is more than 0."));
            }
            m
        }
        _ => return Err(AppError::invalid("kind", "invalid_kind", "Choose percent or amount.")),
    };
    let from =
        i.valid_from.as_deref().filter(|s| !s.trim().is_empty()).map(|s| instant("valid_from", s)).transpose()?;
    let to = i.valid_to.as_deref().filter(|s| !s.trim().is_empty()).map(|s| instant("valid_to", s)).transpose()?;
    if let (Some(f), Some(t)) = (from, to) {
        if t <= f {
            return Err(AppError::invalid("valid_to", "end_before_start", "The end must come after the start."));
        }
    }
    if let Some(m) = i.max_uses {
        range("max_uses", m, 1, 1_000_000)?;
    }
    let k = Coupon {
        id: CouponId::new(),
        workspace_id: ws.clone(),
        code,
        kind,
        value,
        valid_from: from,
        valid_to: to,
        max_uses: i.max_uses,
        uses: 0,
        once_per_customer: i.once_per_customer,
        service_id: service.map(|s| s.id),
        active: true,
        created_at: b.now().0,
    };
    q::insert_coupon(&mut tx, &k).await.map_err(|e| {
        if frontdesk_store::is_unique_violation(&e) {
            AppError {
                kind: ErrorKind::Conflict,
                ..AppError::invalid("code", "code_taken", "Another coupon has this code.")
            }
        } else {
            e.into()
        }
    })?;
    note(b, &mut tx, access, "booking.coupon.create", ("coupon", k.id.as_str()), "ok").await?;
    tx.commit().await?;
    Ok(k)
}

pub async fn set_coupon_active(b: &Bookings, access: &Access, id: &str, on: bool) -> AppResult<()> {
    let id = CouponId::parse(id).ok_or_else(|| AppError::not_found("The coupon"))?;
    let ws = &access.workspace.id;
    let mut tx = b.db.begin().await?;
    if !q::set_coupon_active(&mut tx, ws, &id, on).await? {
        return Err(AppError::not_found("The coupon"));
    }
    let outcome = if on { "on" } else { "off" };
    note(b, &mut tx, access, "booking.coupon.active", ("coupon", id.as_str()), outcome).await?;
    tx.commit().await?;
    Ok(())
}

/// The discount of a coupon on an amount: percent rounded half away from zero, an amount at
/// most the amount itself.
pub fn discount(k: &Coupon, amount: i64) -> i64 {
    match k.kind.as_str() {
        "percent" => {
            let x = amount as i128 * k.value as i128;
            let d = (x + 50 * x.signum()) / 100;
            (d as i64).min(amount)
        }
        _ => k.value.min(amount),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_discounts_round_half_away_from_zero() {
        let k = Coupon {
            id: CouponId::new(),
            workspace_id: WorkspaceId::new(),
            code: "TEN".into(),
            kind: "percent".into(),
            value: 10,
            valid_from: None,
            valid_to: None,
            max_uses: None,
            uses: 0,
            once_per_customer: false,
            service_id: None,
            active: true,
            created_at: 0,
        };
        assert_eq!(discount(&k, 2500), 250);
        assert_eq!(discount(&k, 2505), 251, "250.5 cents rounds up");
        assert_eq!(discount(&k, 2504), 250);
        let amount = Coupon { kind: "amount".into(), value: 5000, ..k };
        assert_eq!(discount(&amount, 2500), 2500, "never more than the price");
    }
}
