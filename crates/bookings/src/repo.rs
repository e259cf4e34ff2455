//! The bookings' SQL: every statement is scoped by the workspace.

use frontdesk_core::{
    BlockId, BookingId, ContactId, CouponId, ExtraId, OccurrenceId, RequirementId, ResourceId, ServiceId, ThreadId,
    WorkspaceId,
};
use frontdesk_store::row;
use sqlx::AnyConnection;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    pub id: ResourceId,
    pub workspace_id: WorkspaceId,
    /// `staff`, `room`, `equipment` or `unit`.
    pub kind: String,
    pub name: String,
    /// The member this staff resource is, if any.
    pub user_id: Option<String>,
    pub time_zone: String,
    /// A `core::hours::Schedule` as JSON (ranges; closed_dates are days off).
    pub hours: String,
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

row::table!(Resource in "booking_resources" {
    id, workspace_id, kind, name, user_id, time_zone, hours, active, created_at, updated_at
});

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exception {
    pub resource_id: ResourceId,
    /// `YYYY-MM-DD` in the resource's zone.
    pub day: String,
    /// JSON `[[open, close], …]` in minutes.
    pub ranges: String,
}

row::table!(Exception in "booking_exceptions" { resource_id, day, ranges });

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub id: BlockId,
    pub resource_id: ResourceId,
    pub starts_at: i64,
    pub ends_at: i64,
    pub reason: Option<String>,
}

row::table!(Block in "booking_blocks" { id, resource_id, starts_at, ends_at, reason });

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Service {
    pub id: ServiceId,
    pub workspace_id: WorkspaceId,
    pub name: String,
    pub description: String,
    pub duration_min: i64,
    pub price_minor: i64,
    pub currency: String,
    pub buffer_before_min: i64,
    pub buffer_after_min: i64,
    pub interval_min: i64,
    pub min_notice_min: i64,
    pub window_days: i64,
    pub capacity: i64,
    /// `slot`, `night` or `day`.
    pub unit: String,
    pub check_in_min: i64,
    pub check_out_min: i64,
    pub requires_confirmation: bool,
    pub active: bool,
    pub hidden: bool,
    pub cancel_notice_min: i64,
    /// `none`, `deposit` or `full`.
    pub payment: String,
    pub deposit_minor: Option<i64>,
    pub deposit_percent: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

row::table!(Service in "booking_services" {
    id, workspace_id, name, description, duration_min, price_minor, currency, buffer_before_min, buffer_after_min,
    interval_min, min_notice_min, window_days, capacity, unit, check_in_min, check_out_min, requires_confirmation,
    active, hidden, cancel_notice_min, payment, deposit_minor, deposit_percent, created_at, updated_at
});

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extra {
    pub id: ExtraId,
    pub workspace_id: WorkspaceId,
    pub service_id: ServiceId,
    pub name: String,
    pub minutes: i64,
    pub price_minor: i64,
    pub active: bool,
}

row::table!(Extra in "booking_extras" { id, workspace_id, service_id, name, minutes, price_minor, active });

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    pub id: RequirementId,
    pub workspace_id: WorkspaceId,
    pub service_id: ServiceId,
    pub position: i64,
    pub label: String,
    /// `text`, `choice` or `checkbox`.
    pub kind: String,
    /// JSON list of the choices (for `choice`).
    pub choices: String,
    pub required: bool,
    /// Health and similar answers: never sent to an AI provider, a calendar, a feed or a webhook.
    pub sensitive: bool,
}

row::table!(Requirement in "booking_requirements" {
    id, workspace_id, service_id, position, label, kind, choices, required, sensitive
});

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coupon {
    pub id: CouponId,
    pub workspace_id: WorkspaceId,
    /// Upper case.
    pub code: String,
    /// `percent` or `amount`.
    pub kind: String,
    /// Percent (1–100) or minor units.
    pub value: i64,
    pub valid_from: Option<i64>,
    pub valid_to: Option<i64>,
    pub max_uses: Option<i64>,
    pub uses: i64,
    pub once_per_customer: bool,
    pub service_id: Option<ServiceId>,
    pub active: bool,
    pub created_at: i64,
}

row::table!(Coupon in "booking_coupons" {
    id, workspace_id, code, kind, value, valid_from, valid_to, max_uses, uses, once_per_customer, service_id, active,
    created_at
});

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Booking {
    pub id: BookingId,
    pub workspace_id: WorkspaceId,
    pub service_id: ServiceId,
    pub occurrence_id: Option<OccurrenceId>,
    pub contact_id: Option<ContactId>,
    pub status: String,
    pub starts_at: i64,
    pub ends_at: i64,
    /// The customer's zone, for what they are told.
    pub time_zone: String,
    pub seats: i64,
    pub quantity: i64,
    /// JSON list of resource ids, one per group.
    pub resources: String,
    /// JSON list of extra ids.
    pub extras: String,
    pub price_minor: i64,
    pub discount_minor: i64,
    pub total_minor: i64,
    pub currency: String,
    pub coupon_id: Option<CouponId>,
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    pub customer_phone: Option<String>,
    pub notes: Option<String>,
    pub hold_expires_at: Option<i64>,
    pub visitor: Option<String>,
    pub client_ip: Option<String>,
    /// `arrived` or `no_show`, once known.
    pub attendance: Option<String>,
    pub cancel_reason: Option<String>,
    pub idempotency_key: Option<String>,
    pub request_hash: Option<String>,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// The customer's manage link is signed over this; bumped when the links sent must stop
    /// working (a cancellation).
    pub manage_version: i64,
    /// The language the customer booked in (`en`, `es`), for what they are sent.
    pub lang: Option<String>,
    /// The conversation it was made from (its confirmation goes there too).
    pub thread_id: Option<ThreadId>,
}

// A booking has more columns than `row::table!` binds at once (25): read it the same way, and
// insert it in two statements' worth of parameters by hand.
const BOOKING_COLUMNS: &str = "id, workspace_id, service_id, occurrence_id, contact_id, status, starts_at, ends_at, time_zone, seats, quantity, resources, extras, price_minor, discount_minor, total_minor, currency, coupon_id, customer_name, customer_email, customer_phone, notes, hold_expires_at, visitor, client_ip, attendance, cancel_reason, idempotency_key, request_hash, created_by, created_at, updated_at, manage_version, lang, thread_id";

impl row::Table for Booking {
    const FROM: &'static str = "bookings";
    const COLUMNS: &'static str = BOOKING_COLUMNS;
}

impl row::FromRow for Booking {
    fn from_row(r: &row::AnyRow) -> sqlx::Result<Self> {
        use row::FromColumn;
        Ok(Booking {
            id: FromColumn::from_column(r, "id")?,
            workspace_id: FromColumn::from_column(r, "workspace_id")?,
            service_id: FromColumn::from_column(r, "service_id")?,
            occurrence_id: FromColumn::from_column(r, "occurrence_id")?,
            contact_id: FromColumn::from_column(r, "contact_id")?,
            status: FromColumn::from_column(r, "status")?,
            starts_at: FromColumn::from_column(r, "starts_at")?,
            ends_at: FromColumn::from_column(r, "ends_at")?,
            time_zone: FromColumn::from_column(r, "time_zone")?,
            seats: FromColumn::from_column(r, "seats")?,
            quantity: FromColumn::from_column(r, "quantity")?,
            resources: FromColumn::from_column(r, "resources")?,
            extras: FromColumn::from_column(r, "extras")?,
            price_minor: FromColumn::from_column(r, "price_minor")?,
            discount_minor: FromColumn::from_column(r, "discount_minor")?,
            total_minor: FromColumn::from_column(r, "total_minor")?,
            currency: FromColumn::from_column(r, "currency")?,
            coupon_id: FromColumn::from_column(r, "coupon_id")?,
            customer_name: FromColumn::from_column(r, "customer_name")?,
            customer_email: FromColumn::from_column(r, "customer_email")?,
            customer_phone: FromColumn::from_column(r, "customer_phone")?,
            notes: FromColumn::from_column(r, "notes")?,
            hold_expires_at: FromColumn::from_column(r, "hold_expires_at")?,
            visitor: FromColumn::from_column(r, "visitor")?,
            client_ip: FromColumn::from_column(r, "client_ip")?,
            attendance: FromColumn::from_column(r, "attendance")?,
            cancel_reason: FromColumn::from_column(r, "cancel_reason")?,
            idempotency_key: FromColumn::from_column(r, "idempotency_key")?,
            request_hash: FromColumn::from_column(r, "request_hash")?,
            created_by: FromColumn::from_column(r, "created_by")?,
            created_at: FromColumn::from_column(r, "created_at")?,
            updated_at: FromColumn::from_column(r, "updated_at")?,
            manage_version: FromColumn::from_column(r, "manage_version")?,
            lang: FromColumn::from_column(r, "lang")?,
            thread_id: FromColumn::from_column(r, "thread_id")?,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub requirement_id: String,
    pub label: String,
    pub value: String,
    pub sensitive: bool,
}

row::table!(Answer in "booking_answers" { requirement_id, label, value, sensitive });

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub at: i64,
    pub actor: String,
    pub change: String,
    pub detail: Option<String>,
}

row::table!(Event in "booking_events" { at, actor, change, detail });

/// A live allocation: who holds which resource when (buffers included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allocation {
    pub resource_id: ResourceId,
    pub booking_id: Option<BookingId>,
    pub occurrence_id: Option<OccurrenceId>,
    pub starts_at: i64,
    pub ends_at: i64,
}

row::table!(Allocation in "booking_allocations" { resource_id, booking_id, occurrence_id, starts_at, ends_at });

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub id: OccurrenceId,
    pub service_id: ServiceId,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: i64,
    pub taken: i64,
}

row::table!(Occurrence in "booking_occurrences" { id, service_id, starts_at, ends_at, capacity, taken });

// Resources.

pub async fn resources(c: &mut AnyConnection, ws: &WorkspaceId) -> sqlx::Result<Vec<Resource>> {
    row::find_all(c, "WHERE workspace_id = $1 ORDER BY name, id", ws).await
}

pub async fn resource(c: &mut AnyConnection, ws: &WorkspaceId, id: &ResourceId) -> sqlx::Result<Option<Resource>> {
    row::find(c, "WHERE workspace_id = $1 AND id = $2", (ws, id)).await
}

pub async fn insert_resource(c: &mut AnyConnection, r: &Resource) -> sqlx::Result<()> {
    row::insert(c, r).await
}

pub async fn update_resource(c: &mut AnyConnection, r: &Resource) -> sqlx::Result<bool> {
    let sql = "UPDATE booking_resources SET kind = $1, name = $2, user_id = $3, time_zone = $4, hours = $5, \
               active = $6, updated_at = $7 WHERE workspace_id = $8 AND id = $9";
    row::one_changed(
        c,
        sql,
        (&r.kind, &r.name, &r.user_id, &r.time_zone, &r.hours, r.active, r.updated_at, &r.workspace_id, &r.id),
    )
    .await
}

pub async fn exceptions(c: &mut AnyConnection, ws: &WorkspaceId, ids: &[ResourceId]) -> sqlx::Result<Vec<Exception>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let clause =
        format!("WHERE workspace_id = $1 AND resource_id IN ({}) ORDER BY day", row::placeholders(2, ids.len()));
    row::find_all(c, &clause, (ws, ids)).await
}

pub async fn set_exception(c: &mut AnyConnection, ws: &WorkspaceId, e: &Exception) -> sqlx::Result<()> {
    row::execute(c, "DELETE FROM booking_exceptions WHERE resource_id = $1 AND day = $2", (&e.resource_id, &e.day))
        .await?;
    let sql = "INSERT INTO booking_exceptions (workspace_id, resource_id, day, ranges) VALUES ($1, $2, $3, $4)";
    row::execute(c, sql, (ws, &e.resource_id, &e.day, &e.ranges)).await
}

pub async fn delete_exception(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    r: &ResourceId,
    day: &str,
) -> sqlx::Result<bool> {
    let sql = "DELETE FROM booking_exceptions WHERE workspace_id = $1 AND resource_id = $2 AND day = $3";
    row::one_changed(c, sql, (ws, r, day)).await
}

/// Busy times pulled from the resources' own calendars that touch [from, to).
pub async fn calendar_busy(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    ids: &[ResourceId],
    from: i64,
    to: i64,
) -> sqlx::Result<Vec<(String, i64, i64)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT resource_id, starts_at, ends_at FROM calendar_busy WHERE workspace_id = $1 AND ends_at > $2 \
         AND starts_at < $3 AND resource_id IN ({})",
        row::placeholders(4, ids.len())
    );
    row::all_with(c, &sql, (ws, from, to, ids), |r| {
        Ok((
            row::FromColumn::from_column(r, "resource_id")?,
            row::FromColumn::from_column(r, "starts_at")?,
            row::FromColumn::from_column(r, "ends_at")?,
        ))
    })
    .await
}

pub async fn blocks(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    ids: &[ResourceId],
    from: i64,
    to: i64,
) -> sqlx::Result<Vec<Block>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let clause = format!(
        "WHERE workspace_id = $1 AND ends_at > $2 AND starts_at < $3 AND resource_id IN ({}) ORDER BY starts_at",
        row::placeholders(4, ids.len())
    );
    row::find_all(c, &clause, (ws, from, to, ids)).await
}

pub async fn insert_block(c: &mut AnyConnection, ws: &WorkspaceId, b: &Block) -> sqlx::Result<()> {
    let sql = "INSERT INTO booking_blocks (id, workspace_id, resource_id, starts_at, ends_at, reason) \
               VALUES ($1, $2, $3, $4, $5, $6)";
    row::execute(c, sql, (&b.id, ws, &b.resource_id, b.starts_at, b.ends_at, &b.reason)).await
}

pub async fn delete_block(c: &mut AnyConnection, ws: &WorkspaceId, id: &BlockId) -> sqlx::Result<bool> {
    row::one_changed(c, "DELETE FROM booking_blocks WHERE workspace_id = $1 AND id = $2", (ws, id)).await
}

// Services.

pub async fn services(c: &mut AnyConnection, ws: &WorkspaceId) -> sqlx::Result<Vec<Service>> {
    row::find_all(c, "WHERE workspace_id = $1 ORDER BY name, id", ws).await
}

pub async fn service(c: &mut AnyConnection, ws: &WorkspaceId, id: &ServiceId) -> sqlx::Result<Option<Service>> {
    row::find(c, "WHERE workspace_id = $1 AND id = $2", (ws, id)).await
}

pub async fn insert_service(c: &mut AnyConnection, s: &Service) -> sqlx::Result<()> {
    row::insert(c, s).await
}

pub async fn update_service(c: &mut AnyConnection, s: &Service) -> sqlx::Result<bool> {
    let sql = "UPDATE booking_services SET name = $1, description = $2, duration_min = $3, price_minor = $4, \
               currency = $5, buffer_before_min = $6, buffer_after_min = $7, interval_min = $8, min_notice_min = $9, \
               window_days = $10, capacity = $11, unit = $12, check_in_min = $13, check_out_min = $14, \
               requires_confirmation = $15, active = $16, hidden = $17, cancel_notice_min = $18, payment = $19, \
               deposit_minor = $20, deposit_percent = $21, updated_at = $22 WHERE workspace_id = $23 AND id = $24";
    row::one_changed(
        c,
        sql,
        (
            &s.name,
            &s.description,
            s.duration_min,
            s.price_minor,
            &s.currency,
            s.buffer_before_min,
            s.buffer_after_min,
            s.interval_min,
            s.min_notice_min,
            s.window_days,
            s.capacity,
            &s.unit,
            s.check_in_min,
            s.check_out_min,
            s.requires_confirmation,
            s.active,
            s.hidden,
            s.cancel_notice_min,
            &s.payment,
            s.deposit_minor,
            s.deposit_percent,
            s.updated_at,
            &s.workspace_id,
            &s.id,
        ),
    )
    .await
}

/// The resource groups of a service: `(group, resource)` in order.
pub async fn service_resources(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    service: &ServiceId,
) -> sqlx::Result<Vec<(i64, ResourceId)>> {
    let sql = "SELECT grp, resource_id FROM booking_service_resources WHERE workspace_id = $1 AND service_id = $2 \
               ORDER BY grp, resource_id";
    row::all_with(c, sql, (ws, service), |r| {
        use sqlx::Row;
        Ok((r.try_get::<i64, _>(0)?, ResourceId::from_db(r.try_get(1)?)))
    })
    .await
}

pub async fn set_service_resources(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    service: &ServiceId,
    groups: &[Vec<ResourceId>],
) -> sqlx::Result<()> {
    row::execute(c, "DELETE FROM booking_service_resources WHERE workspace_id = $1 AND service_id = $2", (ws, service))
        .await?;
    for (g, ids) in groups.iter().enumerate() {
        for id in ids {
            let sql = "INSERT INTO booking_service_resources (workspace_id, service_id, grp, resource_id) \
                       VALUES ($1, $2, $3, $4)";
            row::execute(c, sql, (ws, service, g as i64, id)).await?;
        }
    }
    Ok(())
}

pub async fn extras(c: &mut AnyConnection, ws: &WorkspaceId, service: &ServiceId) -> sqlx::Result<Vec<Extra>> {
    row::find_all(c, "WHERE workspace_id = $1 AND service_id = $2 ORDER BY name, id", (ws, service)).await
}

pub async fn insert_extra(c: &mut AnyConnection, e: &Extra) -> sqlx::Result<()> {
    row::insert(c, e).await
}

pub async fn delete_extra(c: &mut AnyConnection, ws: &WorkspaceId, id: &ExtraId) -> sqlx::Result<bool> {
    row::one_changed(c, "UPDATE booking_extras SET active = 0 WHERE workspace_id = $1 AND id = $2", (ws, id)).await
}

pub async fn requirements(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    service: &ServiceId,
) -> sqlx::Result<Vec<Requirement>> {
    row::find_all(c, "WHERE workspace_id = $1 AND service_id = $2 ORDER BY position, id", (ws, service)).await
}

pub async fn insert_requirement(c: &mut AnyConnection, r: &Requirement) -> sqlx::Result<()> {
    row::insert(c, r).await
}

pub async fn delete_requirement(c: &mut AnyConnection, ws: &WorkspaceId, id: &RequirementId) -> sqlx::Result<bool> {
    row::one_changed(c, "DELETE FROM booking_requirements WHERE workspace_id = $1 AND id = $2", (ws, id)).await
}

// Coupons.

pub async fn coupons(c: &mut AnyConnection, ws: &WorkspaceId) -> sqlx::Result<Vec<Coupon>> {
    row::find_all(c, "WHERE workspace_id = $1 ORDER BY code", ws).await
}

pub async fn coupon_by_code(c: &mut AnyConnection, ws: &WorkspaceId, code: &str) -> sqlx::Result<Option<Coupon>> {
    row::find(c, "WHERE workspace_id = $1 AND code = $2", (ws, code)).await
}

pub async fn insert_coupon(c: &mut AnyConnection, k: &Coupon) -> sqlx::Result<()> {
    row::insert(c, k).await
}

pub async fn set_coupon_active(c: &mut AnyConnection, ws: &WorkspaceId, id: &CouponId, on: bool) -> sqlx::Result<bool> {
    row::one_changed(c, "UPDATE booking_coupons SET active = $1 WHERE workspace_id = $2 AND id = $3", (on, ws, id))
        .await
}

/// Takes one use of a coupon; `false` when none is left.
pub async fn use_coupon(c: &mut AnyConnection, ws: &WorkspaceId, id: &CouponId) -> sqlx::Result<bool> {
    let sql = "UPDATE booking_coupons SET uses = uses + 1 WHERE workspace_id = $1 AND id = $2 \
               AND (max_uses IS NULL OR uses < max_uses)";
    row::one_changed(c, sql, (ws, id)).await
}

pub async fn release_coupon(c: &mut AnyConnection, ws: &WorkspaceId, id: &CouponId) -> sqlx::Result<()> {
    row::execute(
        c,
        "UPDATE booking_coupons SET uses = uses - 1 WHERE workspace_id = $1 AND id = $2 AND uses > 0",
        (ws, id),
    )
    .await
}

/// Whether the contact already used the coupon on a live or past booking.
pub async fn coupon_used_by(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    coupon: &CouponId,
    contact: &ContactId,
) -> sqlx::Result<bool> {
    let sql = "SELECT COUNT(*) FROM bookings WHERE workspace_id = $1 AND coupon_id = $2 AND contact_id = $3 \
               AND status NOT IN ('cancelled', 'declined', 'expired')";
    Ok(row::scalar::<i64>(c, sql, (ws, coupon, contact)).await? > 0)
}

// Bookings and allocations.

pub async fn booking(c: &mut AnyConnection, ws: &WorkspaceId, id: &BookingId) -> sqlx::Result<Option<Booking>> {
    row::find(c, "WHERE workspace_id = $1 AND id = $2", (ws, id)).await
}

pub async fn booking_by_key(c: &mut AnyConnection, ws: &WorkspaceId, key: &str) -> sqlx::Result<Option<Booking>> {
    row::find(c, "WHERE workspace_id = $1 AND idempotency_key = $2", (ws, key)).await
}

/// Bookings that start in `[from, to)`, with an optional status.
pub async fn bookings_between(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    from: i64,
    to: i64,
    status: Option<&str>,
    limit: i64,
) -> sqlx::Result<Vec<Booking>> {
    match status {
        Some(st) => {
            let clause = "WHERE workspace_id = $1 AND starts_at >= $2 AND starts_at < $3 AND status = $4 \
                          ORDER BY starts_at, id LIMIT $5";
            row::find_all(c, clause, (ws, from, to, st, limit)).await
        }
        None => {
            let clause =
                "WHERE workspace_id = $1 AND starts_at >= $2 AND starts_at < $3 ORDER BY starts_at, id LIMIT $4";
            row::find_all(c, clause, (ws, from, to, limit)).await
        }
    }
}

pub async fn contact_bookings(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    contact: &ContactId,
) -> sqlx::Result<Vec<Booking>> {
    row::find_all(c, "WHERE workspace_id = $1 AND contact_id = $2 ORDER BY starts_at DESC LIMIT 20", (ws, contact))
        .await
}

pub async fn move_contact(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    kept: &ContactId,
    gone: &ContactId,
) -> sqlx::Result<()> {
    row::execute(c, "UPDATE bookings SET contact_id = $1 WHERE workspace_id = $2 AND contact_id = $3", (kept, ws, gone))
        .await
}

pub async fn insert_booking(c: &mut AnyConnection, b: &Booking) -> sqlx::Result<()> {
    let sql = format!("INSERT INTO bookings ({BOOKING_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35)");
    sqlx::query(&sql)
        .bind(b.id.as_str())
        .bind(b.workspace_id.as_str())
        .bind(b.service_id.as_str())
        .bind(b.occurrence_id.as_ref().map(|x| x.as_str().to_string()))
        .bind(b.contact_id.as_ref().map(|x| x.as_str().to_string()))
        .bind(&b.status)
        .bind(b.starts_at)
        .bind(b.ends_at)
        .bind(&b.time_zone)
        .bind(b.seats)
        .bind(b.quantity)
        .bind(&b.resources)
        .bind(&b.extras)
        .bind(b.price_minor)
        .bind(b.discount_minor)
        .bind(b.total_minor)
        .bind(&b.currency)
        .bind(b.coupon_id.as_ref().map(|x| x.as_str().to_string()))
        .bind(&b.customer_name)
        .bind(&b.customer_email)
        .bind(&b.customer_phone)
        .bind(&b.notes)
        .bind(b.hold_expires_at)
        .bind(&b.visitor)
        .bind(&b.client_ip)
        .bind(&b.attendance)
        .bind(&b.cancel_reason)
        .bind(&b.idempotency_key)
        .bind(&b.request_hash)
        .bind(&b.created_by)
        .bind(b.created_at)
        .bind(b.updated_at)
        .bind(b.manage_version)
        .bind(&b.lang)
        .bind(b.thread_id.as_ref().map(|x| x.as_str().to_string()))
        .execute(c)
        .await
        .map(drop)
}

/// Moves a booking from one status to another (compare-and-swap: `false` when it was not in
/// `from` any more).
pub async fn set_status(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    id: &BookingId,
    from: &[&str],
    to: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let sql = format!(
        "UPDATE bookings SET status = $1, updated_at = $2, hold_expires_at = NULL WHERE workspace_id = $3 AND id = $4 \
         AND status IN ({})",
        (0..from.len()).map(|i| format!("${}", i + 5)).collect::<Vec<_>>().join(", ")
    );
    let mut q = sqlx::query(&sql).bind(to).bind(now).bind(ws.as_str()).bind(id.as_str());
    for f in from {
        q = q.bind(*f);
    }
    Ok(q.execute(c).await?.rows_affected() == 1)
}

/// Stops every manage link sent so far.
pub async fn bump_manage_version(c: &mut AnyConnection, ws: &WorkspaceId, id: &BookingId) -> sqlx::Result<()> {
    let sql = "UPDATE bookings SET manage_version = manage_version + 1 WHERE workspace_id = $1 AND id = $2";
    row::execute(c, sql, (ws, id)).await
}

pub async fn set_attendance(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    id: &BookingId,
    attendance: &str,
    now: i64,
) -> sqlx::Result<()> {
    let sql = "UPDATE bookings SET attendance = $1, updated_at = $2 WHERE workspace_id = $3 AND id = $4";
    row::execute(c, sql, (attendance, now, ws, id)).await
}

pub async fn set_cancel_reason(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    id: &BookingId,
    reason: &str,
) -> sqlx::Result<()> {
    row::execute(c, "UPDATE bookings SET cancel_reason = $1 WHERE workspace_id = $2 AND id = $3", (reason, ws, id))
        .await
}

pub async fn set_time(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    id: &BookingId,
    (start, end): (i64, i64),
    resources: &str,
    occurrence: Option<&OccurrenceId>,
    now: i64,
) -> sqlx::Result<()> {
    let sql = "UPDATE bookings SET starts_at = $1, ends_at = $2, resources = $3, occurrence_id = $4, updated_at = $5 \
               WHERE workspace_id = $6 AND id = $7";
    row::execute(c, sql, (start, end, resources, occurrence, now, ws, id)).await
}

pub async fn insert_answer(c: &mut AnyConnection, ws: &WorkspaceId, b: &BookingId, a: &Answer) -> sqlx::Result<()> {
    let sql = "INSERT INTO booking_answers (booking_id, workspace_id, requirement_id, label, value, sensitive) \
               VALUES ($1, $2, $3, $4, $5, $6)";
    row::execute(c, sql, (b, ws, &a.requirement_id, &a.label, &a.value, a.sensitive)).await
}

pub async fn answers(c: &mut AnyConnection, ws: &WorkspaceId, b: &BookingId) -> sqlx::Result<Vec<Answer>> {
    row::find_all(c, "WHERE workspace_id = $1 AND booking_id = $2 ORDER BY requirement_id", (ws, b)).await
}

pub async fn add_event(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    b: &BookingId,
    at: i64,
    actor: &str,
    change: &str,
    detail: Option<&str>,
) -> sqlx::Result<()> {
    let sql = "INSERT INTO booking_events (id, workspace_id, booking_id, at, actor, change, detail) \
               VALUES ($1, $2, $3, $4, $5, $6, $7)";
    let id = uuid_like();
    row::execute(c, sql, (&id, ws, b, at, actor, change, detail)).await
}

fn uuid_like() -> String {
    frontdesk_core::AuditId::new().to_string()
}

pub async fn events(c: &mut AnyConnection, ws: &WorkspaceId, b: &BookingId) -> sqlx::Result<Vec<Event>> {
    row::find_all(c, "WHERE workspace_id = $1 AND booking_id = $2 ORDER BY at, id", (ws, b)).await
}

/// Live allocations of some resources overlapping `[from, to)`; a hold whose time ran out at
/// `now` no longer counts, even before the sweep expires it.
pub async fn allocations(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    ids: &[ResourceId],
    from: i64,
    to: i64,
    now: i64,
) -> sqlx::Result<Vec<Allocation>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let clause = format!(
        "WHERE workspace_id = $1 AND ends_at > $2 AND starts_at < $3 AND NOT EXISTS (SELECT 1 FROM bookings b \
         WHERE b.id = booking_allocations.booking_id AND b.status = 'hold' AND b.hold_expires_at <= $4) \
         AND resource_id IN ({})",
        row::placeholders(5, ids.len())
    );
    row::find_all(c, &clause, (ws, from, to, now, ids)).await
}

pub async fn insert_allocation(c: &mut AnyConnection, ws: &WorkspaceId, a: &Allocation) -> sqlx::Result<()> {
    let sql = "INSERT INTO booking_allocations (id, workspace_id, resource_id, booking_id, occurrence_id, starts_at, \
               ends_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    let id = uuid_like();
    row::execute(c, sql, (&id, ws, &a.resource_id, &a.booking_id, &a.occurrence_id, a.starts_at, a.ends_at)).await
}

pub async fn delete_booking_allocations(c: &mut AnyConnection, ws: &WorkspaceId, b: &BookingId) -> sqlx::Result<()> {
    row::execute(c, "DELETE FROM booking_allocations WHERE workspace_id = $1 AND booking_id = $2", (ws, b)).await
}

pub async fn occurrences(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    service: &ServiceId,
    from: i64,
    to: i64,
) -> sqlx::Result<Vec<Occurrence>> {
    let clause =
        "WHERE workspace_id = $1 AND service_id = $2 AND starts_at >= $3 AND starts_at <= $4 ORDER BY starts_at";
    row::find_all(c, clause, (ws, service, from, to)).await
}

pub async fn occurrence_at(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    service: &ServiceId,
    start: i64,
) -> sqlx::Result<Option<Occurrence>> {
    row::find(c, "WHERE workspace_id = $1 AND service_id = $2 AND starts_at = $3", (ws, service, start)).await
}

pub async fn insert_occurrence(c: &mut AnyConnection, ws: &WorkspaceId, o: &Occurrence) -> sqlx::Result<()> {
    let sql = "INSERT INTO booking_occurrences (id, workspace_id, service_id, starts_at, ends_at, capacity, taken) \
               VALUES ($1, $2, $3, $4, $5, $6, $7)";
    row::execute(c, sql, (&o.id, ws, &o.service_id, o.starts_at, o.ends_at, o.capacity, o.taken)).await
}

/// Takes `n` seats; `false` when they no longer fit.
pub async fn take_seats(c: &mut AnyConnection, ws: &WorkspaceId, o: &OccurrenceId, n: i64) -> sqlx::Result<bool> {
    let sql = "UPDATE booking_occurrences SET taken = taken + $1 WHERE workspace_id = $2 AND id = $3 \
               AND taken + $1 <= capacity";
    row::one_changed(c, sql, (n, ws, o)).await
}

/// Gives `n` seats back; an occurrence left empty is deleted with its allocations.
pub async fn give_seats(c: &mut AnyConnection, ws: &WorkspaceId, o: &OccurrenceId, n: i64) -> sqlx::Result<()> {
    let sql = "UPDATE booking_occurrences SET taken = CASE WHEN taken >= $1 THEN taken - $1 ELSE 0 END \
               WHERE workspace_id = $2 AND id = $3";
    row::execute(c, sql, (n, ws, o)).await?;
    row::execute(c, "UPDATE bookings SET occurrence_id = NULL WHERE workspace_id = $1 AND occurrence_id = $2 AND status IN ('cancelled', 'declined', 'expired')", (ws, o)).await?;
    let sql = "DELETE FROM booking_occurrences WHERE workspace_id = $1 AND id = $2 AND taken = 0";
    row::execute(c, sql, (ws, o)).await
}

/// Holds whose time ran out, oldest first.
pub async fn lapsed_holds(c: &mut AnyConnection, ws: Option<&WorkspaceId>, now: i64) -> sqlx::Result<Vec<Booking>> {
    match ws {
        Some(ws) => {
            row::find_all(
                c,
                "WHERE workspace_id = $1 AND status = 'hold' AND hold_expires_at <= $2 LIMIT 500",
                (ws, now),
            )
            .await
        }
        None => row::find_all(c, "WHERE status = 'hold' AND hold_expires_at <= $1 LIMIT 500", now).await,
    }
}

/// Requests waiting for the business since before `before`.
pub async fn stale_pending(c: &mut AnyConnection, before: i64) -> sqlx::Result<Vec<Booking>> {
    row::find_all(c, "WHERE status = 'pending' AND created_at <= $1 LIMIT 500", before).await
}

/// Live holds of a visitor or a client address.
pub async fn live_holds(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    visitor: Option<&str>,
    ip: Option<&str>,
    now: i64,
) -> sqlx::Result<(i64, i64)> {
    let sql = "SELECT COUNT(*) FROM bookings WHERE workspace_id = $1 AND status = 'hold' AND hold_expires_at > $2 \
               AND visitor = $3";
    let by_visitor = match visitor {
        Some(v) => row::scalar::<i64>(c, sql, (ws, now, v)).await?,
        None => 0,
    };
    let sql = "SELECT COUNT(*) FROM bookings WHERE workspace_id = $1 AND status = 'hold' AND hold_expires_at > $2 \
               AND client_ip = $3";
    let by_ip = match ip {
        Some(v) => row::scalar::<i64>(c, sql, (ws, now, v)).await?,
        None => 0,
    };
    Ok((by_visitor, by_ip))
}

/// Confirmed bookings starting in `(now, until]` whose reminder has not gone, booked before the
/// reminder time (one booked inside it just got its confirmation).
pub async fn due_reminders(c: &mut AnyConnection, now: i64, until: i64, hours_ms: i64) -> sqlx::Result<Vec<Booking>> {
    let clause = "WHERE status = 'confirmed' AND reminded_at IS NULL AND starts_at > $1 AND starts_at <= $2 \
                  AND created_at < starts_at - $3 ORDER BY starts_at LIMIT 500";
    row::find_all(c, clause, (now, until, hours_ms)).await
}

/// Marks a booking's reminder as queued; `false` when another node did it first.
pub async fn set_reminded(c: &mut AnyConnection, ws: &WorkspaceId, id: &BookingId, now: i64) -> sqlx::Result<bool> {
    let sql = "UPDATE bookings SET reminded_at = $1 WHERE workspace_id = $2 AND id = $3 AND reminded_at IS NULL";
    row::one_changed(c, sql, (now, ws, id)).await
}

/// A moved booking gets its reminder again.
pub async fn clear_reminded(c: &mut AnyConnection, ws: &WorkspaceId, id: &BookingId) -> sqlx::Result<()> {
    row::execute(c, "UPDATE bookings SET reminded_at = NULL WHERE workspace_id = $1 AND id = $2", (ws, id)).await
}
