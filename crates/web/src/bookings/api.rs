//! The bookings over JSON: resources with their hours, date exceptions and blocks; services with
//! their extras and questions; coupons; free slots; bookings and their lifecycle.

use crate::inbox::api::current;
use crate::kit::answer::{Answer, Api, Done, Time};
use crate::kit::body::{ApiJson, OptionalJson};
use crate::kit::error::WebError;
use crate::kit::extract::ApiCaller;
use crate::{Access, AppState, Table};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::routing::{delete, get, post, put};
use frontdesk_bookings::book::{self, BookingInput, Change, Origin};
use frontdesk_bookings::catalog::{
    self, BlockInput, BlockOut, BookingResourceInput, BookingResourceOut, BookingServiceInput, BookingServiceOut,
    CouponInput, CouponOut, ExceptionInput, ExceptionOut, ExtraInput, ExtraOut, RequirementInput, RequirementOut,
};
use frontdesk_bookings::page::{self, BookingPage, BookingPageInput};
use frontdesk_bookings::repo::Booking;
use frontdesk_bookings::slots::{self, FreeSlot, SlotQuery};
use frontdesk_core::money::Money;
use frontdesk_core::Action;
use frontdesk_platform::workspaces::Principal;
use frontdesk_platform::AppError;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub(crate) fn routes(t: Table) -> Table {
    use Access::*;
    use Action::{ManageBookings, ManageCatalog, ViewBookings};
    t.add(
        "GET",
        "/api/v1/booking/resources",
        Current(ViewBookings),
        "Staff, rooms, equipment and units",
        get(list_resources),
    )
    .returns::<ResourcesOut>()
    .add(
        "POST",
        "/api/v1/booking/resources",
        Current(ManageCatalog),
        "Add a resource with its weekly hours in its own time zone",
        post(create_resource),
    )
    .body::<BookingResourceInput>()
    .created::<BookingResourceOut>()
    .add("GET", "/api/v1/booking/resources/{id}", Current(ViewBookings), "A resource", get(get_resource))
    .returns::<BookingResourceOut>()
    .add("PUT", "/api/v1/booking/resources/{id}", Current(ManageCatalog), "Change a resource", put(update_resource))
    .body::<BookingResourceInput>()
    .returns::<BookingResourceOut>()
    .add(
        "GET",
        "/api/v1/booking/resources/{id}/exceptions",
        Current(ViewBookings),
        "A resource's dates with their own hours",
        get(list_exceptions),
    )
    .returns::<ExceptionsOut>()
    .add(
        "PUT",
        "/api/v1/booking/resources/{id}/exceptions/{date}",
        Current(ManageCatalog),
        "Set a date's own hours (no ranges: a day off)",
        put(set_exception),
    )
    .body::<ExceptionInput>()
    .returns::<ExceptionOut>()
    .add(
        "DELETE",
        "/api/v1/booking/resources/{id}/exceptions/{date}",
        Current(ManageCatalog),
        "Back to the weekly hours on a date",
        delete(delete_exception),
    )
    .done()
    .add(
        "GET",
        "/api/v1/booking/resources/{id}/blocks",
        Current(ViewBookings),
        "A resource's blocked times",
        get(list_blocks),
    )
    .returns::<BlocksOut>()
    .add(
        "POST",
        "/api/v1/booking/resources/{id}/blocks",
        Current(ManageCatalog),
        "Block a resource for a while (holidays, maintenance)",
        post(add_block),
    )
    .body::<BlockInput>()
    .created::<BlockOut>()
    .add("DELETE", "/api/v1/booking/blocks/{id}", Current(ManageCatalog), "Remove a blocked time", delete(delete_block))
    .done()
    .add(
        "GET",
        "/api/v1/booking/feeds",
        Current(ManageCatalog),
        "Calendar feeds: the workspace's and each resource's, with their secret URLs while on",
        get(list_feeds),
    )
    .returns::<FeedsOut>()
    .add(
        "POST",
        "/api/v1/booking/feeds/{target}",
        Current(ManageCatalog),
        "Turn a calendar feed on, or give it a new URL (the old one stops); target `all` or a resource id",
        post(renew_feed),
    )
    .no_body()
    .returns::<FeedUrlOut>()
    .add(
        "DELETE",
        "/api/v1/booking/feeds/{target}",
        Current(ManageCatalog),
        "Turn a calendar feed off",
        delete(remove_feed),
    )
    .done()
    .add("GET", "/api/v1/booking/services", Current(ViewBookings), "The services customers book", get(list_services))
    .returns::<ServicesOut>()
    .add(
        "POST",
        "/api/v1/booking/services",
        Current(ManageCatalog),
        "Add a service (duration, price, buffers, notice, window, capacity, unit, resources, payment)",
        post(create_service),
    )
    .body::<BookingServiceInput>()
    .created::<BookingServiceOut>()
    .add("GET", "/api/v1/booking/services/{id}", Current(ViewBookings), "A service", get(get_service))
    .returns::<BookingServiceOut>()
    .add("PUT", "/api/v1/booking/services/{id}", Current(ManageCatalog), "Change a service", put(update_service))
    .body::<BookingServiceInput>()
    .returns::<BookingServiceOut>()
    .add("GET", "/api/v1/booking/services/{id}/extras", Current(ViewBookings), "A service's extras", get(list_extras))
    .returns::<ExtrasOut>()
    .add(
        "POST",
        "/api/v1/booking/services/{id}/extras",
        Current(ManageCatalog),
        "Add an extra (more time and/or price)",
        post(add_extra),
    )
    .body::<ExtraInput>()
    .created::<ExtraOut>()
    .add(
        "DELETE",
        "/api/v1/booking/extras/{id}",
        Current(ManageCatalog),
        "Stop offering an extra",
        delete(remove_extra),
    )
    .done()
    .add(
        "GET",
        "/api/v1/booking/services/{id}/requirements",
        Current(ViewBookings),
        "A service's intake questions",
        get(list_requirements),
    )
    .returns::<RequirementsOut>()
    .add(
        "POST",
        "/api/v1/booking/services/{id}/requirements",
        Current(ManageCatalog),
        "Add an intake question (text, choice or checkbox; required; sensitive)",
        post(add_requirement),
    )
    .body::<RequirementInput>()
    .created::<RequirementOut>()
    .add(
        "DELETE",
        "/api/v1/booking/requirements/{id}",
        Current(ManageCatalog),
        "Remove an intake question",
        delete(remove_requirement),
    )
    .done()
    .add(
        "GET",
        "/api/v1/booking/page",
        Current(ManageCatalog),
        "The booking page: its address and the sites that may embed it",
        get(get_page),
    )
    .returns::<BookingPage>()
    .add(
        "PUT",
        "/api/v1/booking/page",
        Current(ManageCatalog),
        "Set the sites that may embed the booking page",
        put(set_page),
    )
    .body::<BookingPageInput>()
    .returns::<BookingPage>()
    .add("GET", "/api/v1/booking/coupons", Current(ManageCatalog), "Coupons", get(list_coupons))
    .returns::<CouponsOut>()
    .add("POST", "/api/v1/booking/coupons", Current(ManageCatalog), "Add a coupon", post(create_coupon))
    .body::<CouponInput>()
    .created::<CouponOut>()
    .add("PUT", "/api/v1/booking/coupons/{id}", Current(ManageCatalog), "Turn a coupon on or off", put(set_coupon))
    .body::<CouponActiveBody>()
    .done()
    .add(
        "GET",
        "/api/v1/booking/slots",
        Current(ViewBookings),
        "Free slots of a service over a date range, in the customer's time zone",
        get(free_slots),
    )
    .query::<SlotQuery>()
    .returns::<SlotsOut>()
    .add("GET", "/api/v1/bookings", Current(ViewBookings), "Bookings that start in a range", get(list_bookings))
    .query::<ListQuery>()
    .returns::<BookingsOut>()
    .add(
        "POST",
        "/api/v1/bookings",
        Current(ManageBookings),
        "Book a slot (or hold it with hold: true); honours Idempotency-Key",
        post(create_booking),
    )
    .body::<BookingInput>()
    .created_or_repeated::<BookingOut>()
    .add(
        "GET",
        "/api/v1/bookings/{id}",
        Current(ViewBookings),
        "A booking with its answers and history",
        get(get_booking),
    )
    .returns::<BookingDetailOut>()
    .add(
        "POST",
        "/api/v1/bookings/{id}/{change}",
        Current(ManageBookings),
        "confirm, decline, cancel, complete, no-show or arrived (with an optional reason)",
        post(change_booking),
    )
    .optional_body::<ReasonBody>()
    .returns::<BookingOut>()
    .add(
        "POST",
        "/api/v1/bookings/{id}/reschedule",
        Current(ManageBookings),
        "Move a booking to another free slot (its history keeps the old time)",
        post(reschedule),
    )
    .body::<RescheduleBody>()
    .returns::<BookingOut>()
}

#[derive(Serialize, JsonSchema)]
struct ResourcesOut {
    resources: Vec<BookingResourceOut>,
}

async fn list_resources(State(s): State<AppState>, c: ApiCaller) -> Api<ResourcesOut> {
    let a = current(&s, &c, Action::ViewBookings).await?;
    let list = catalog::resources(&s.bookings, &a).await?;
    Ok(Answer::ok(ResourcesOut { resources: list.iter().map(catalog::resource_out).collect() }))
}

async fn create_resource(
    State(s): State<AppState>,
    c: ApiCaller,
    ApiJson(b): ApiJson<BookingResourceInput>,
) -> Api<BookingResourceOut> {
    let a = current(&s, &c, Action::ManageCatalog).await?;
    Ok(Answer::created(catalog::resource_out(&catalog::create_resource(&s.bookings, &a, &b).await?)))
}

async fn get_resource(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<BookingResourceOut> {
    let a = current(&s, &c, Action::ViewBookings).await?;
    Ok(Answer::ok(catalog::resource_out(&catalog::resource(&s.bookings, &a, &id).await?)))
}

async fn update_resource(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<BookingResourceInput>,
) -> Api<BookingResourceOut> {
    let a = current(&s, &c, Action::ManageCatalog).await?;
    Ok(Answer::ok(catalog::resource_out(&catalog::update_resource(&s.bookings, &a, &id, &b).await?)))
}

#[derive(Serialize, JsonSchema)]
struct ExceptionsOut {
    exceptions: Vec<ExceptionOut>,
}

async fn list_exceptions(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<ExceptionsOut> {
    let a = current(&s, &c, Action::ViewBookings).await?;
    let list = catalog::exceptions(&s.bookings, &a, &id).await?;
    Ok(Answer::ok(ExceptionsOut { exceptions: list.iter().map(catalog::exception_out).collect() }))
}

async fn set_exception(
    State(s): State<AppState>,
    c: ApiCaller,
    Path((id, date)): Path<(String, String)>,
    ApiJson(b): ApiJson<ExceptionInput>,
) -> Api<ExceptionOut> {
    let a = current(&s, &c, Action::ManageCatalog).await?;
    Ok(Answer::ok(catalog::exception_out(&catalog::set_exception(&s.bookings, &a, &id, &date, &b).await?)))
}

async fn delete_exception(
    State(s): State<AppState>,
    c: ApiCaller,
    Path((id, date)): Path<(String, String)>,
) -> Result<Done, WebError> {
    let a = current(&s, &c, Action::ManageCatalog).await?;
    catalog::delete_exception(&s.bookings, &a, &id, &date).await?;
    Ok(Done)
}

#[derive(Serialize, JsonSchema)]
struct BlocksOut {
    blocks: Vec<BlockOut>,
}

async fn list_blocks(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<BlocksOut> {
    let a = current(&s, &c, Action::ViewBookings).await?;
    let list = catalog::blocks(&s.bookings, &a, &id).await?;
    Ok(Answer::ok(BlocksOut { blocks: list.iter().map(catalog::block_out).collect() }))
}

async fn add_block(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<BlockInput>,
) -> Api<BlockOut> {
    let a = current(&s, &c, Action::ManageCatalog).await?;
    Ok(Answer::created(catalog::block_out(&catalog::add_block(&s.bookings, &a, &id, &b).await?)))
}

#[derive(Serialize, JsonSchema)]
struct FeedsOut {
    feeds: Vec<frontdesk_bookings::feeds::Feed>,
}

#[derive(Serialize, JsonSchema)]
struct FeedUrlOut {
    url: String,
}

async fn list_feeds(State(s): State<AppState>, c: ApiCaller) -> Api<FeedsOut> {
    let a = current(&s, &c, Action::ManageCatalog).await?;
    Ok(Answer::ok(FeedsOut { feeds: frontdesk_bookings::feeds::list(&s.bookings, &a).await? }))
}

async fn renew_feed(State(s): State<AppState>, c: ApiCaller, Path(target): Path<String>) -> Api<FeedUrlOut> {
    let a = current(&s, &c, Action::ManageCatalog).await?;
    Ok(Answer::created(FeedUrlOut { url: frontdesk_bookings::feeds::renew(&s.bookings, &a, &target).await? }))
}

async fn remove_feed(State(s): State<AppState>, c: ApiCaller, Path(target): Path<String>) -> Result<Done, WebError> {
    let a = current(&s, &c, Action::ManageCatalog).await?;
    frontdesk_bookings::feeds::remove(&s.bookings, &a, &target).await?;
    Ok(Done)
}

async fn delete_block(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Result<Done, WebError> {
    let a = current(&s, &c, Action::ManageCatalog).await?;
    catalog::delete_block(&s.bookings, &a, &id).await?;
    Ok(Done)
}

#[derive(Serialize, JsonSchema)]
struct ServicesOut {
    services: Vec<BookingServiceOut>,
}

async fn list_services(State(s): State<AppState>, c: ApiCaller) -> Api<ServicesOut> {
    let a = current(&s, &c, Action::ViewBookings).await?;
    let list = catalog::services(&s.bookings, &a).await?;
    Ok(Answer::ok(ServicesOut { services: list.iter().map(|(x, g)| catalog::service_out(x, g)).collect() }))
}

async fn create_service(
    State(s): State<AppState>,
    c: ApiCaller,
    ApiJson(b): ApiJson<BookingServiceInput>,
) -> Api<BookingServiceOut> {
    let a = current(&s, &c, Action::ManageCatalog).await?;
    let (x, g) = catalog::create_service(&s.bookings, &a, &b).await?;
    Ok(Answer::created(catalog::service_out(&x, &g)))
}

async fn get_service(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<BookingServiceOut> {
    let a = current(&s, &c, Action::ViewBookings).await?;
    let (x, g) = catalog::service(&s.bookings, &a, &id).await?;
    Ok(Answer::ok(catalog::service_out(&x, &g)))
}

async fn update_service(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<BookingServiceInput>,
) -> Api<BookingServiceOut> {
    let a = current(&s, &c, Action::ManageCatalog).await?;
    let (x, g) = catalog::update_service(&s.bookings, &a, &id, &b).await?;
    Ok(Answer::ok(catalog::service_out(&x, &g)))
}

#[derive(Serialize, JsonSchema)]
struct ExtrasOut {
    extras: Vec<ExtraOut>,
}

async fn list_extras(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<ExtrasOut> {
    let a = current(&s, &c, Action::ViewBookings).await?;
    let (svc, list) = catalog::extras(&s.bookings, &a, &id).await?;
    Ok(Answer::ok(ExtrasOut { extras: list.iter().map(|e| catalog::extra_out(e, &svc.currency)).collect() }))
}

async fn add_extra(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ExtraInput>,
) -> Api<ExtraOut> {
    let a = current(&s, &c, Action::ManageCatalog).await?;
    let (svc, e) = catalog::add_extra(&s.bookings, &a, &id, &b).await?;
    Ok(Answer::created(catalog::extra_out(&e, &svc.currency)))
}

async fn remove_extra(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Result<Done, WebError> {
    let a = current(&s, &c, Action::ManageCatalog).await?;
    catalog::remove_extra(&s.bookings, &a, &id).await?;
    Ok(Done)
}

#[derive(Serialize, JsonSchema)]
struct RequirementsOut {
    requirements: Vec<RequirementOut>,
}

async fn list_requirements(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<RequirementsOut> {
    let a = current(&s, &c, Action::ViewBookings).await?;
    let list = catalog::requirements(&s.bookings, &a, &id).await?;
    Ok(Answer::ok(RequirementsOut { requirements: list.iter().map(catalog::requirement_out).collect() }))
}

async fn add_requirement(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<RequirementInput>,
) -> Api<RequirementOut> {
    let a = current(&s, &c, Action::ManageCatalog).await?;
    Ok(Answer::created(catalog::requirement_out(&catalog::add_requirement(&s.bookings, &a, &id, &b).await?)))
}

async fn remove_requirement(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Result<Done, WebError> {
    let a = current(&s, &c, Action::ManageCatalog).await?;
    catalog::remove_requirement(&s.bookings, &a, &id).await?;
    Ok(Done)
}

#[derive(Serialize, JsonSchema)]
struct CouponsOut {
    coupons: Vec<CouponOut>,
}

async fn get_page(State(s): State<AppState>, c: ApiCaller) -> Api<BookingPage> {
    let a = current(&s, &c, Action::ManageCatalog).await?;
    Ok(Answer::ok(page::get(&s.bookings, &a).await?))
}

async fn set_page(State(s): State<AppState>, c: ApiCaller, ApiJson(b): ApiJson<BookingPageInput>) -> Api<BookingPage> {
    let a = current(&s, &c, Action::ManageCatalog).await?;
    Ok(Answer::ok(page::set(&s.bookings, &a, &b).await?))
}

async fn list_coupons(State(s): State<AppState>, c: ApiCaller) -> Api<CouponsOut> {
    let a = current(&s, &c, Action::ManageCatalog).await?;
    let list = catalog::coupons(&s.bookings, &a).await?;
    Ok(Answer::ok(CouponsOut { coupons: list.iter().map(catalog::coupon_out).collect() }))
}

async fn create_coupon(State(s): State<AppState>, c: ApiCaller, ApiJson(b): ApiJson<CouponInput>) -> Api<CouponOut> {
    let a = current(&s, &c, Action::ManageCatalog).await?;
    Ok(Answer::created(catalog::coupon_out(&catalog::create_coupon(&s.bookings, &a, &b).await?)))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CouponActiveBody {
    active: bool,
}

async fn set_coupon(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<CouponActiveBody>,
) -> Result<Done, WebError> {
    let a = current(&s, &c, Action::ManageCatalog).await?;
    catalog::set_coupon_active(&s.bookings, &a, &id, b.active).await?;
    Ok(Done)
}

#[derive(Serialize, JsonSchema)]
struct SlotsOut {
    slots: Vec<FreeSlot>,
}

async fn free_slots(State(s): State<AppState>, c: ApiCaller, Query(q): Query<SlotQuery>) -> Api<SlotsOut> {
    let a = current(&s, &c, Action::ViewBookings).await?;
    Ok(Answer::ok(SlotsOut { slots: slots::for_access(&s.bookings, &a, &q).await? }))
}

/// A booking as the API shows it.
#[derive(Serialize, JsonSchema)]
struct BookingOut {
    id: String,
    service_id: String,
    contact_id: Option<String>,
    /// `hold`, `pending`, `confirmed`, `completed`, `cancelled`, `no_show`, `declined` or
    /// `expired`.
    status: String,
    /// RFC 3339 with the customer's offset.
    start: String,
    end: String,
    time_zone: String,
    seats: i64,
    quantity: i64,
    resource_ids: Vec<String>,
    extra_ids: Vec<String>,
    /// Decimal amounts in `currency`.
    price: String,
    discount: String,
    total: String,
    currency: String,
    /// Until when a hold keeps its slot.
    hold_expires_at: Option<Time>,
    /// `arrived` or `no_show`.
    attendance: Option<String>,
    cancel_reason: Option<String>,
    notes: Option<String>,
    created_at: Time,
    updated_at: Time,
}

impl From<&Booking> for BookingOut {
    fn from(b: &Booking) -> Self {
        let cur = catalog::currency_of(&b.currency);
        let amount = |m: i64| Money::new(m, cur).decimal();
        Self {
            id: b.id.to_string(),
            service_id: b.service_id.to_string(),
            contact_id: b.contact_id.as_ref().map(|c| c.to_string()),
            status: b.status.clone(),
            start: slots::offset_time_in(&b.time_zone, b.starts_at),
            end: slots::offset_time_in(&b.time_zone, b.ends_at),
            time_zone: b.time_zone.clone(),
            seats: b.seats,
            quantity: b.quantity,
            resource_ids: serde_json::from_str(&b.resources).unwrap_or_default(),
            extra_ids: serde_json::from_str(&b.extras).unwrap_or_default(),
            price: amount(b.price_minor),
            discount: amount(b.discount_minor),
            total: amount(b.total_minor),
            currency: b.currency.clone(),
            hold_expires_at: Time::of_opt(b.hold_expires_at),
            attendance: b.attendance.clone(),
            cancel_reason: b.cancel_reason.clone(),
            notes: b.notes.clone(),
            created_at: Time::of(b.created_at),
            updated_at: Time::of(b.updated_at),
        }
    }
}

#[derive(Serialize, JsonSchema)]
struct BookingsOut {
    bookings: Vec<BookingOut>,
}

#[derive(Deserialize, JsonSchema)]
struct ListQuery {
    /// RFC 3339; now when left out.
    #[serde(default)]
    from: Option<String>,
    /// RFC 3339; `from` + 7 days when left out (at most 93 days after `from`).
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    status: Option<String>,
}

async fn list_bookings(State(s): State<AppState>, c: ApiCaller, Query(q): Query<ListQuery>) -> Api<BookingsOut> {
    let a = current(&s, &c, Action::ViewBookings).await?;
    let now = s.app.now().0;
    let from = match q.from.as_deref().filter(|x| !x.is_empty()) {
        Some(f) => catalog::instant("from", f)?,
        None => now,
    };
    let to = match q.to.as_deref().filter(|x| !x.is_empty()) {
        Some(t) => catalog::instant("to", t)?,
        None => from + 7 * frontdesk_core::Timestamp::DAY,
    };
    if to <= from || to - from > 93 * frontdesk_core::Timestamp::DAY {
        return Err(AppError::invalid("to", "range_too_long", "Ask for up to 93 days, with to after from.").into());
    }
    let list = book::list(&s.bookings, &a.workspace.id, from, to, q.status.as_deref()).await?;
    Ok(Answer::ok(BookingsOut { bookings: list.iter().map(Into::into).collect() }))
}

fn key_of(headers: &HeaderMap) -> Result<Option<String>, WebError> {
    match headers.get("idempotency-key") {
        None => Ok(None),
        Some(v) => Ok(Some(v.to_str().map(str::to_string).map_err(|_| {
            AppError::invalid("idempotency_key", "invalid_idempotency_key", "Use 1 to 255 visible ASCII characters.")
        })?)),
    }
}

fn ip_of(c: &ApiCaller) -> Option<String> {
    match &c.principal {
        Principal::User { ip, .. } | Principal::Token { ip, .. } => ip.clone(),
    }
}

async fn create_booking(
    State(s): State<AppState>,
    c: ApiCaller,
    headers: HeaderMap,
    ApiJson(b): ApiJson<BookingInput>,
) -> Api<BookingOut> {
    let a = current(&s, &c, Action::ManageBookings).await?;
    let key = key_of(&headers)?;
    let ip = ip_of(&c);
    let origin = Origin { actor: &a.actor, visitor: None, ip: ip.as_deref() };
    let (booking, repeated) = book::create(&s.bookings, &a.workspace.id, &origin, &b, key.as_deref()).await?;
    Ok(Answer::created_if(!repeated, (&booking).into()))
}

/// An answer to an intake question.
#[derive(Serialize, JsonSchema)]
struct AnswerOut {
    requirement_id: String,
    question: String,
    value: String,
    /// Health or similar: kept from AI providers, calendars, feeds and webhooks.
    sensitive: bool,
}

/// One step of a booking's history.
#[derive(Serialize, JsonSchema)]
struct BookingEventOut {
    at: Time,
    actor: String,
    change: String,
    detail: Option<String>,
}

#[derive(Serialize, JsonSchema)]
struct BookingDetailOut {
    booking: BookingOut,
    answers: Vec<AnswerOut>,
    history: Vec<BookingEventOut>,
}

async fn get_booking(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<BookingDetailOut> {
    let a = current(&s, &c, Action::ViewBookings).await?;
    let (b, answers, events) = book::details(&s.bookings, &a.workspace.id, &id).await?;
    Ok(Answer::ok(BookingDetailOut {
        booking: (&b).into(),
        answers: answers
            .into_iter()
            .map(|x| AnswerOut {
                requirement_id: x.requirement_id,
                question: x.label,
                value: x.value,
                sensitive: x.sensitive,
            })
            .collect(),
        history: events
            .into_iter()
            .map(|e| BookingEventOut { at: Time::of(e.at), actor: e.actor, change: e.change, detail: e.detail })
            .collect(),
    }))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ReasonBody {
    #[serde(default)]
    reason: Option<String>,
}

async fn change_booking(
    State(s): State<AppState>,
    c: ApiCaller,
    Path((id, change)): Path<(String, String)>,
    OptionalJson(body): OptionalJson<ReasonBody>,
) -> Api<BookingOut> {
    let a = current(&s, &c, Action::ManageBookings).await?;
    let what = match change.as_str() {
        "confirm" => Change::Confirm,
        "decline" => Change::Decline,
        "cancel" => Change::Cancel,
        "complete" => Change::Complete,
        "no-show" => Change::NoShow,
        "arrived" => Change::Arrived,
        _ => return Err(AppError::not_found("The action").into()),
    };
    let reason = body.and_then(|b| b.reason);
    let b = book::change(&s.bookings, &a.workspace.id, &a.actor, &id, what, reason.as_deref()).await?;
    Ok(Answer::ok((&b).into()))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RescheduleBody {
    /// The new start, RFC 3339.
    start: String,
    #[serde(default)]
    resource_ids: Vec<String>,
}

async fn reschedule(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<RescheduleBody>,
) -> Api<BookingOut> {
    let a = current(&s, &c, Action::ManageBookings).await?;
    let out = book::reschedule(&s.bookings, &a.workspace.id, &a.actor, &id, &b.start, &b.resource_ids).await?;
    Ok(Answer::ok((&out).into()))
}
