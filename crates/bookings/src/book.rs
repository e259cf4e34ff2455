//! Holds and bookings through their lifecycle: hold → pending → confirmed → completed |
//! cancelled | no-show, with declines, expiries and reschedules. Every write runs in one
//! transaction that first expires lapsed holds, checks the slot with the engine, and writes the
//! allocations the database guards; every change is audited and kept in the booking's history.

use crate::repo::{self as q, Allocation, Answer, Booking};
use crate::slots::{self, Loaded, Want};
use crate::Bookings;
use crate::{catalog, notify};
use frontdesk_core::slots as engine;
use frontdesk_core::{
    BookingId, ContactId, ExtraId, OccurrenceId, ResourceId, ServiceId, ThreadId, Timestamp, WorkspaceId,
};
use frontdesk_platform::audit::{self, Actor};
use frontdesk_platform::error::{AppError, AppResult, ErrorKind};
use frontdesk_platform::ports::Ending;
use frontdesk_store::Conn;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A booking asked for.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct BookingInput {
    pub service_id: String,
    /// The slot's start, RFC 3339 (as the slots list gives it).
    pub start: String,
    /// One resource per group; the least busy free one of each when left out.
    #[serde(default)]
    pub resource_ids: Vec<String>,
    /// The customer's IANA zone; the business's when left out.
    #[serde(default)]
    pub time_zone: Option<String>,
    #[serde(default)]
    pub seats: Option<i64>,
    /// Nights or days of a stay.
    #[serde(default)]
    pub quantity: Option<i64>,
    #[serde(default)]
    pub extras: Vec<String>,
    #[serde(default)]
    pub answers: Vec<AnswerInput>,
    #[serde(default)]
    pub coupon: Option<String>,
    /// An existing contact; or `customer` for a new one.
    #[serde(default)]
    pub contact_id: Option<String>,
    #[serde(default)]
    pub customer: Option<CustomerInput>,
    #[serde(default)]
    pub notes: Option<String>,
    /// Keep the slot for a while (the customer pays or confirms) instead of booking it now.
    #[serde(default)]
    pub hold: bool,
    /// The conversation with this customer the booking is made from: its confirmation is also
    /// sent there, as a reply inside the channel's window (never a new conversation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_id: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct AnswerInput {
    pub requirement_id: String,
    /// Text, the chosen choice, or `true`/`false` for a checkbox.
    pub value: String,
}

/// A new customer: their typed email and phone are unverified (they never join another contact
/// without proof).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct CustomerInput {
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// Who asks, and from where (holds are limited per visitor and per address).
pub struct Origin<'a> {
    pub actor: &'a Actor,
    pub visitor: Option<&'a str>,
    pub ip: Option<&'a str>,
}

fn not_found() -> AppError {
    AppError::not_found("The booking")
}

fn conflict(code: &'static str, message: &str) -> AppError {
    AppError::new(ErrorKind::Conflict, code, message)
}

pub fn slot_taken() -> AppError {
    conflict("slot_taken", "This time is no longer free. Pick another slot.")
}

/// An insert the database refused because the resource is taken (PostgreSQL's exclusion
/// constraint) is `slot_taken`, not an error of ours.
fn guarded(e: sqlx::Error) -> AppError {
    if frontdesk_store::is_exclusion_violation(&e) {
        slot_taken()
    } else {
        e.into()
    }
}

fn actor_label(a: &Actor) -> String {
    match &a.id {
        Some(id) => format!("{}:{id}", a.kind),
        None => a.kind.to_string(),
    }
}

/// Tells open calendars (over the inbox's live stream) that a booking changed, after its commit.
pub fn announce(b: &Bookings, bk: &Booking) {
    let contact = bk.contact_id.as_ref().map(|c| c.as_str());
    b.live.publish(frontdesk_inbox::live::booking_changed(bk.workspace_id.as_str(), bk.id.as_str(), contact));
}

fn system() -> Actor {
    Actor { kind: "system", id: Some("bookings".into()), ip: None }
}

fn hash_of(i: &BookingInput) -> String {
    hex::encode(Sha256::digest(serde_json::to_vec(i).unwrap_or_default()))
}

fn clip(field: &'static str, v: Option<&str>, max: usize) -> AppResult<Option<String>> {
    let Some(s) = v.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    if s.chars().count() > max {
        return Err(AppError::invalid(field, "too_long", format!("At most {max} characters.")));
    }
    Ok(Some(s.to_string()))
}

/// Frees what a booking holds: its allocations, its seats of a class, its coupon use.
async fn release(c: &mut Conn, ws: &WorkspaceId, b: &Booking, coupon_too: bool) -> AppResult<()> {
    q::delete_booking_allocations(c, ws, &b.id).await?;
    if let Some(o) = &b.occurrence_id {
        q::give_seats(c, ws, o, b.seats).await?;
    }
    if coupon_too {
        if let Some(k) = &b.coupon_id {
            q::release_coupon(c, ws, k).await?;
        }
    }
    Ok(())
}

/// Expires the workspace's lapsed holds (the first step of every booking transaction).
async fn expire_holds(b: &Bookings, c: &mut Conn, ws: Option<&WorkspaceId>) -> AppResult<usize> {
    let now = b.now().0;
    let lapsed = q::lapsed_holds(c, ws, now).await?;
    for h in &lapsed {
        if q::set_status(c, &h.workspace_id, &h.id, &["hold"], "expired", now).await? {
            release(c, &h.workspace_id, h, true).await?;
            q::add_event(c, &h.workspace_id, &h.id, now, "system", "expired", None).await?;
            audit::record(
                b,
                c,
                h.workspace_id.as_str(),
                &system(),
                "booking.expire",
                Some(("booking", h.id.as_str())),
                "ok",
            )
            .await?;
        }
    }
    Ok(lapsed.len())
}

/// The scheduler's sweep: lapsed holds expire, requests left unanswered are declined.
pub async fn sweep(b: &Bookings) -> AppResult<usize> {
    let mut tx = b.db.begin().await?;
    let now = b.now().0;
    let mut changed = q::lapsed_holds(&mut tx, None, now).await?;
    let mut n = expire_holds(b, &mut tx, None).await?;
    for p in q::stale_pending(&mut tx, now - b.settings.pending_hours * Timestamp::HOUR).await? {
        if q::set_status(&mut tx, &p.workspace_id, &p.id, &["pending"], "declined", now).await? {
            changed.push(p.clone());
            release(&mut tx, &p.workspace_id, &p, true).await?;
            q::add_event(&mut tx, &p.workspace_id, &p.id, now, "system", "declined", Some("not answered in time"))
                .await?;
            q::bump_manage_version(&mut tx, &p.workspace_id, &p.id).await?;
            tell_ended(b, &mut tx, &p.workspace_id, &p.id, Ending::Declined).await?;
            if let Some(out) = q::booking(&mut tx, &p.workspace_id, &p.id).await? {
                notify::queue(b, &mut tx, &out, notify::Notice::Declined).await?;
            }
            audit::record(
                b,
                &mut tx,
                p.workspace_id.as_str(),
                &system(),
                "booking.decline",
                Some(("booking", p.id.as_str())),
                "timeout",
            )
            .await?;
            n += 1;
        }
    }
    // Reminders by email only: over a messenger it would be the business writing first.
    let hours = b.settings.reminder_hours;
    if hours > 0 {
        let window = hours * Timestamp::HOUR;
        for bk in q::due_reminders(&mut tx, now, now + window, window).await? {
            if q::set_reminded(&mut tx, &bk.workspace_id, &bk.id, now).await? {
                notify::queue(b, &mut tx, &bk, notify::Notice::Reminder).await?;
                q::add_event(&mut tx, &bk.workspace_id, &bk.id, now, "system", "reminded", None).await?;
                n += 1;
            }
        }
    }
    tx.commit().await?;
    for bk in &changed {
        announce(b, bk);
    }
    Ok(n)
}

/// Checks a start against the service's notice and window.
fn check_time(s: &q::Service, start: i64, now: i64) -> AppResult<()> {
    if start < now {
        return Err(AppError::invalid("start", "in_the_past", "This time has passed."));
    }
    if start < now + s.min_notice_min * Timestamp::MINUTE {
        return Err(AppError::invalid("start", "too_soon", "This is too soon to book; pick a later time."));
    }
    if start > now + s.window_days * Timestamp::DAY {
        return Err(AppError::invalid(
            "start",
            "outside_booking_window",
            "This is further ahead than bookings are open.",
        ));
    }
    Ok(())
}

/// Picks the resources for a start: the ones asked for (checked), else the engine's choice.
/// For a class, the occurrence at that start if there is one.
fn choose(l: &Loaded, start: i64, asked: &[String], now: i64) -> AppResult<(Vec<usize>, Option<OccurrenceId>)> {
    let query = l.query(start, start, now);
    if let Some(i) = l.occurrences.iter().position(|o| o.start == start) {
        let o = &l.occurrences[i];
        if l.ask.capacity.saturating_sub(o.taken) < l.ask.seats {
            return Err(conflict("class_full", "Not enough seats are left in this class."));
        }
        return Ok((o.resources.clone(), Some(l.occurrence_ids[i].clone())));
    }
    if !asked.is_empty() {
        if asked.len() != l.ask.groups.len() {
            return Err(AppError::invalid("resource_ids", "unknown_resource", "Give one resource per group, or none."));
        }
        let mut idx = vec![];
        for (g, raw) in asked.iter().enumerate() {
            let i = ResourceId::parse(raw)
                .and_then(|id| l.resources.iter().position(|r| r.id == id))
                .filter(|i| l.ask.groups[g].contains(i))
                .ok_or_else(|| {
                    AppError::invalid("resource_ids", "unknown_resource", "That resource does not give this service.")
                })?;
            idx.push(i);
        }
        if !engine::bookable(&query, start, &idx) {
            return Err(slot_taken());
        }
        return Ok((idx, None));
    }
    match engine::free_slots(&query).into_iter().find(|s| s.start == start) {
        Some(s) => Ok((s.resources, None)),
        None => Err(slot_taken()),
    }
}

/// Where a booking goes: the loaded service, its start, the resources chosen (indexes into
/// `loaded.resources`), the class occurrence it joins (if one exists) and its seats.
struct Placement<'a> {
    loaded: &'a Loaded,
    start: i64,
    chosen: &'a [usize],
    occurrence: Option<OccurrenceId>,
    seats: i64,
}

impl Placement<'_> {
    /// The slot's end.
    fn end(&self) -> AppResult<i64> {
        let l = self.loaded;
        let tz = &l.resources[self.chosen[0]].time_zone;
        Ok(engine::period(&l.ask, tz, self.start).ok_or_else(AppError::internal)?.0.end)
    }
}

/// A class booking's part: the occurrence at that start (made, with its allocations, by the
/// first booking) and its seats.
async fn allocate_class(b: &Bookings, c: &mut Conn, ws: &WorkspaceId, p: Placement<'_>) -> AppResult<OccurrenceId> {
    let l = p.loaded;
    // Two first bookings of one class wait for each other here, so one creates it.
    b.db.lock_stream(c, &format!("occurrence:{}:{}", l.service.id, p.start)).await?;
    let end = p.end()?;
    let id = match p.occurrence {
        Some(o) => o,
        None => match q::occurrence_at(c, ws, &l.service.id, p.start).await? {
            Some(o) => o.id,
            None => {
                let o = q::Occurrence {
                    id: OccurrenceId::new(),
                    service_id: l.service.id.clone(),
                    starts_at: p.start,
                    ends_at: end,
                    capacity: l.service.capacity,
                    taken: 0,
                };
                q::insert_occurrence(c, ws, &o).await?;
                allocate_rows(c, ws, l, p.start, p.chosen, None, Some(&o.id)).await?;
                o.id
            }
        },
    };
    if !q::take_seats(c, ws, &id, p.seats).await? {
        return Err(conflict("class_full", "Not enough seats are left in this class."));
    }
    Ok(id)
}

/// A new contact for a customer typed in (name, unverified email and phone).
pub async fn new_contact(
    b: &Bookings,
    c: &mut Conn,
    ws: &WorkspaceId,
    k: &CustomerInput,
    lang: Option<frontdesk_core::lang::Lang>,
) -> AppResult<ContactId> {
    let name = clip("customer.name", Some(&k.name), 120)?
        .ok_or_else(|| AppError::invalid("customer.name", "required", "Give the customer's name."))?;
    let email = match k.email.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(e) => Some(
            frontdesk_core::Email::parse(e)
                .map_err(|_| AppError::invalid("customer.email", "invalid_email", "This is not an email address."))?
                .to_string(),
        ),
        None => None,
    };
    let country = frontdesk_platform::profile::of(c, ws).await?.country;
    let phone = match k.phone.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(p) => Some(
            frontdesk_core::phone::e164(p, country.as_deref())
                .map_err(|_| AppError::invalid("customer.phone", "invalid_phone", "This is not a phone number."))?,
        ),
        None => None,
    };
    let now = b.now().0;
    let contact = frontdesk_inbox::repo::inbox::Contact {
        id: ContactId::new(),
        workspace_id: ws.clone(),
        name: Some(name),
        phone,
        email,
        username: None,
        language: lang.map(|l| l.code().to_string()),
        created_at: now,
        updated_at: now,
        ..Default::default()
    };
    frontdesk_inbox::repo::inbox::insert_contact(c, &contact).await?;
    Ok(contact.id)
}

fn answers_of(reqs: &[q::Requirement], given: &[AnswerInput]) -> AppResult<Vec<Answer>> {
    let mut out = vec![];
    for r in reqs {
        let v = given.iter().find(|a| a.requirement_id == r.id.as_str()).map(|a| a.value.trim().to_string());
        let v = v.filter(|v| !(v.is_empty() || (r.kind == "checkbox" && v == "false")));
        let Some(v) = v else {
            if r.required {
                return Err(AppError::invalid("answers", "answer_required", "Answer every required question."));
            }
            continue;
        };
        match r.kind.as_str() {
            "choice" => {
                let choices: Vec<String> = serde_json::from_str(&r.choices).unwrap_or_default();
                if !choices.contains(&v) {
                    return Err(AppError::invalid("answers", "invalid_choice", "Pick one of the offered choices."));
                }
            }
            "checkbox" if v != "true" => {
                return Err(AppError::invalid("answers", "invalid_value", "A checkbox is true or false."));
            }
            _ if v.chars().count() > 2000 => {
                return Err(AppError::invalid("answers", "too_long", "At most 2000 characters per answer."));
            }
            _ => {}
        }
        out.push(Answer { requirement_id: r.id.to_string(), label: r.label.clone(), value: v, sensitive: r.sensitive });
    }
    if given.iter().any(|a| !reqs.iter().any(|r| r.id.as_str() == a.requirement_id)) {
        return Err(AppError::invalid(
            "answers",
            "unknown_question",
            "An answer is for a question this service does not ask.",
        ));
    }
    Ok(out)
}

/// Creates a hold or a booking. With an idempotency key, the same request again returns the
/// first booking (`true`: repeated); the same key with another request is refused.
pub async fn create(
    b: &Bookings,
    ws: &WorkspaceId,
    origin: &Origin<'_>,
    i: &BookingInput,
    key: Option<&str>,
) -> AppResult<(Booking, bool)> {
    create_in(b, ws, origin, i, key, None).await
}

/// [`create`] for a customer booking in `lang` (the public page's language): their emails are
/// in it, and a new contact gets it as their language.
pub async fn create_in(
    b: &Bookings,
    ws: &WorkspaceId,
    origin: &Origin<'_>,
    i: &BookingInput,
    key: Option<&str>,
    lang: Option<frontdesk_core::lang::Lang>,
) -> AppResult<(Booking, bool)> {
    let hash = hash_of(i);
    if let Some(k) = key {
        if k.is_empty() || k.len() > 255 {
            return Err(AppError::invalid(
                "idempotency_key",
                "invalid_idempotency_key",
                "Use an Idempotency-Key of 1 to 255 characters.",
            ));
        }
        let mut c = b.db.conn().await?;
        if let Some(found) = q::booking_by_key(&mut c, ws, k).await? {
            return repeated(found, &hash);
        }
    }
    match create_once(b, ws, origin, i, key, &hash, lang).await {
        Err(e) if key.is_some() && e.code == "idempotency_race" => {
            let mut c = b.db.conn().await?;
            let found = q::booking_by_key(&mut c, ws, key.unwrap_or_default()).await?.ok_or_else(AppError::internal)?;
            repeated(found, &hash)
        }
        other => other.map(|x| (x, false)),
    }
}

fn repeated(found: Booking, hash: &str) -> AppResult<(Booking, bool)> {
    if found.request_hash.as_deref() == Some(hash) {
        Ok((found, true))
    } else {
        Err(AppError::invalid(
            "idempotency_key",
            "idempotency_key_reused",
            "This Idempotency-Key was used for another request.",
        ))
    }
}

async fn create_once(
    b: &Bookings,
    ws: &WorkspaceId,
    origin: &Origin<'_>,
    i: &BookingInput,
    key: Option<&str>,
    hash: &str,
    lang: Option<frontdesk_core::lang::Lang>,
) -> AppResult<Booking> {
    let sid = ServiceId::parse(&i.service_id)
        .ok_or_else(|| AppError::invalid("service_id", "unknown_service", "No such service."))?;
    let start = catalog::instant("start", &i.start)?;
    let (seats, quantity) = slots::check_counts(i.seats, i.quantity)?;
    let extras: Vec<ExtraId> = i
        .extras
        .iter()
        .map(|e| {
            ExtraId::parse(e).ok_or_else(|| {
                AppError::invalid("extras", "unknown_extra", "An extra is not offered with this service.")
            })
        })
        .collect::<AppResult<_>>()?;
    let notes = clip("notes", i.notes.as_deref(), 1000)?;
    let mut tx = b.db.begin().await?;
    expire_holds(b, &mut tx, Some(ws)).await?;
    b.platform.entitlements().allow(&mut tx, ws, frontdesk_platform::ports::Use::Booking).await?;
    let now = b.now().0;
    let service = q::service(&mut tx, ws, &sid)
        .await?
        .ok_or_else(|| AppError::invalid("service_id", "unknown_service", "No such service."))?;
    if !service.active {
        return Err(AppError::invalid("service_id", "service_inactive", "This service is not bookable now."));
    }
    if seats > 1 && service.capacity == 1 {
        return Err(AppError::invalid("seats", "out_of_range", "This service is booked one at a time."));
    }
    let profile = frontdesk_platform::profile::of(&mut tx, ws).await?;
    let tz = slots::zone("time_zone", i.time_zone.as_deref(), &profile.time_zone)?;
    check_time(&service, start, now)?;
    if i.hold {
        let (v, p) = q::live_holds(&mut tx, ws, origin.visitor, origin.ip, now).await?;
        if v >= b.settings.holds_per_visitor || p >= b.settings.holds_per_visitor {
            return Err(conflict("too_many_holds", "Finish or let go of the slots you are holding first."));
        }
    }
    let reqs = q::requirements(&mut tx, ws, &service.id).await?;
    let answers = answers_of(&reqs, &i.answers)?;
    let want = Want { extras: &extras, seats, quantity, only: None, except: None };
    let loaded = slots::load(&mut tx, ws, service, &want, start, start, now).await?;
    let (chosen, occurrence) = choose(&loaded, start, &i.resource_ids, now)?;
    let service = &loaded.service;
    // Price: per seat and per night or day, extras once per seat; the coupon on the whole.
    let all_extras = q::extras(&mut tx, ws, &service.id).await?;
    let extras_minor: i64 = all_extras.iter().filter(|x| extras.contains(&x.id)).map(|x| x.price_minor).sum();
    let per = if service.unit == "slot" { 1 } else { quantity };
    let gross = (service.price_minor * per + extras_minor) * seats;
    let contact = match (i.contact_id.as_deref().filter(|s| !s.trim().is_empty()), &i.customer) {
        (Some(id), _) => {
            let cid = ContactId::parse(id)
                .ok_or_else(|| AppError::invalid("contact_id", "unknown_contact", "No such contact."))?;
            frontdesk_inbox::repo::inbox::contact(&mut tx, ws, &cid)
                .await?
                .ok_or_else(|| AppError::invalid("contact_id", "unknown_contact", "No such contact."))?
                .id
        }
        (None, Some(k)) => new_contact(b, &mut tx, ws, k, lang).await?,
        (None, None) => {
            return Err(AppError::invalid(
                "customer",
                "customer_required",
                "Say who the booking is for: a contact or a customer.",
            ))
        }
    };
    let thread_id = match i.thread_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(t) => {
            let bad = || AppError::invalid("thread_id", "unknown_thread", "No such conversation with this customer.");
            let tid = ThreadId::parse(t).ok_or_else(bad)?;
            let th = frontdesk_inbox::repo::inbox::thread(&mut tx, ws, &tid).await?.ok_or_else(bad)?;
            if th.contact_id != contact {
                return Err(bad());
            }
            Some(tid)
        }
    };
    let (coupon_id, discount) = match i.coupon.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => (None, 0),
        Some(code) => {
            let k = q::coupon_by_code(&mut tx, ws, &code.to_ascii_uppercase())
                .await?
                .ok_or_else(|| AppError::invalid("coupon", "coupon_unknown", "There is no such coupon."))?;
            if !k.active || k.valid_to.is_some_and(|t| t < now) {
                return Err(AppError::invalid("coupon", "coupon_expired", "This coupon has expired."));
            }
            if k.valid_from.is_some_and(|t| t > now) {
                return Err(AppError::invalid("coupon", "coupon_not_yet_valid", "This coupon is not valid yet."));
            }
            if k.service_id.as_ref().is_some_and(|s| s != &service.id) {
                return Err(AppError::invalid(
                    "coupon",
                    "coupon_not_for_service",
                    "This coupon is for another service.",
                ));
            }
            if k.once_per_customer && q::coupon_used_by(&mut tx, ws, &k.id, &contact).await? {
                return Err(AppError::invalid("coupon", "coupon_already_used", "This customer has used this coupon."));
            }
            if !q::use_coupon(&mut tx, ws, &k.id).await? {
                return Err(AppError::invalid("coupon", "coupon_used_up", "This coupon has been used up."));
            }
            let d = catalog::discount(&k, gross);
            (Some(k.id), d)
        }
    };
    // A pass or a membership the customer holds for this service (billing's port).
    let id = BookingId::new();
    let discount = match &b.benefits {
        Some(port) => {
            match port.apply(&mut tx, ws, &contact, service.id.as_str(), id.as_str(), gross - discount).await? {
                Some(benefit) => discount + benefit.discount_minor.clamp(0, gross - discount),
                None => discount,
            }
        }
        None => discount,
    };
    let status = if i.hold {
        "hold"
    } else if service.requires_confirmation {
        "pending"
    } else {
        "confirmed"
    };
    let place = Placement { loaded: &loaded, start, chosen: &chosen, occurrence, seats };
    let end = place.end()?;
    let occ = if service.capacity > 1 { Some(allocate_class(b, &mut tx, ws, place).await?) } else { None };
    let booking = Booking {
        id: id.clone(),
        workspace_id: ws.clone(),
        service_id: service.id.clone(),
        occurrence_id: occ,
        contact_id: Some(contact),
        status: status.into(),
        starts_at: start,
        ends_at: end,
        time_zone: tz.iana_name().unwrap_or("UTC").to_string(),
        seats,
        quantity: per,
        resources: serde_json::to_string(
            &chosen.iter().map(|&x| loaded.resources[x].id.to_string()).collect::<Vec<_>>(),
        )
        .map_err(|_| AppError::internal())?,
        extras: serde_json::to_string(&extras.iter().map(|e| e.to_string()).collect::<Vec<_>>())
            .map_err(|_| AppError::internal())?,
        price_minor: gross,
        discount_minor: discount,
        total_minor: gross - discount,
        currency: service.currency.clone(),
        coupon_id,
        customer_name: i.customer.as_ref().map(|k| k.name.trim().to_string()).filter(|s| !s.is_empty()),
        customer_email: None,
        customer_phone: None,
        notes,
        hold_expires_at: i.hold.then_some(now + b.settings.hold_minutes * Timestamp::MINUTE),
        visitor: origin.visitor.map(str::to_string),
        client_ip: origin.ip.map(str::to_string),
        attendance: None,
        cancel_reason: None,
        idempotency_key: key.map(str::to_string),
        request_hash: Some(hash.to_string()),
        created_by: Some(actor_label(origin.actor)),
        created_at: now,
        updated_at: now,
        manage_version: 1,
        lang: lang.map(|l| l.code().to_string()),
        thread_id,
    };
    q::insert_booking(&mut tx, &booking).await.map_err(|e| {
        if frontdesk_store::is_unique_violation(&e) {
            AppError::new(ErrorKind::Conflict, "idempotency_race", "The same request is being handled.")
        } else {
            e.into()
        }
    })?;
    if booking.occurrence_id.is_none() {
        allocate_rows(&mut tx, ws, &loaded, start, &chosen, Some(&id), None).await?;
    }
    for a in &answers {
        q::insert_answer(&mut tx, ws, &id, a).await?;
    }
    q::add_event(&mut tx, ws, &id, now, &actor_label(origin.actor), status, None).await?;
    audit::record(b, &mut tx, ws.as_str(), origin.actor, "booking.create", Some(("booking", id.as_str())), status)
        .await?;
    if let Some(n) = notify::Notice::for_new(status) {
        notify::queue(b, &mut tx, &booking, n).await?;
    }
    tx.commit().await?;
    announce(b, &booking);
    Ok(booking)
}

/// The allocations of one holder (a booking, or a class occurrence): one row per resource for
/// the slot widened by the buffers. PostgreSQL's constraint refuses an overlap that slipped
/// past the check.
async fn allocate_rows(
    c: &mut Conn,
    ws: &WorkspaceId,
    l: &Loaded,
    start: i64,
    chosen: &[usize],
    booking: Option<&BookingId>,
    occurrence: Option<&OccurrenceId>,
) -> AppResult<()> {
    for &i in chosen {
        let (_, p) = engine::period(&l.ask, &l.resources[i].time_zone, start).ok_or_else(AppError::internal)?;
        let a = Allocation {
            resource_id: l.resources[i].id.clone(),
            booking_id: booking.cloned(),
            occurrence_id: occurrence.cloned(),
            starts_at: p.start,
            ends_at: p.end,
        };
        q::insert_allocation(c, ws, &a).await.map_err(guarded)?;
    }
    Ok(())
}

pub async fn get(b: &Bookings, ws: &WorkspaceId, id: &str) -> AppResult<Booking> {
    let id = BookingId::parse(id).ok_or_else(not_found)?;
    let mut c = b.db.conn().await?;
    q::booking(&mut c, ws, &id).await?.ok_or_else(not_found)
}

pub async fn details(b: &Bookings, ws: &WorkspaceId, id: &str) -> AppResult<(Booking, Vec<Answer>, Vec<q::Event>)> {
    let booking = get(b, ws, id).await?;
    let mut c = b.db.conn().await?;
    let answers = q::answers(&mut c, ws, &booking.id).await?;
    let events = q::events(&mut c, ws, &booking.id).await?;
    Ok((booking, answers, events))
}

pub async fn list(b: &Bookings, ws: &WorkspaceId, from: i64, to: i64, status: Option<&str>) -> AppResult<Vec<Booking>> {
    let mut c = b.db.conn().await?;
    Ok(q::bookings_between(&mut c, ws, from, to, status, 500).await?)
}

/// A change of status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Confirm,
    Decline,
    Cancel,
    /// A customer cancelling: only until the service's cancellation notice.
    CustomerCancel,
    Complete,
    NoShow,
    Arrived,
}

impl Change {
    fn rule(self) -> (&'static [&'static str], &'static str, &'static str) {
        match self {
            Change::Confirm => (&["hold", "pending"], "confirmed", "booking.confirm"),
            Change::Decline => (&["pending"], "declined", "booking.decline"),
            Change::Cancel | Change::CustomerCancel => {
                (&["hold", "pending", "confirmed"], "cancelled", "booking.cancel")
            }
            Change::Complete => (&["confirmed"], "completed", "booking.complete"),
            Change::NoShow => (&["confirmed"], "no_show", "booking.no_show"),
            Change::Arrived => (&["confirmed"], "confirmed", "booking.arrived"),
        }
    }
}

/// Moves a booking through its lifecycle (compare-and-swap on the status: two staff confirming
/// at once confirm once).
pub async fn change(
    b: &Bookings,
    ws: &WorkspaceId,
    actor: &Actor,
    id: &str,
    what: Change,
    reason: Option<&str>,
) -> AppResult<Booking> {
    let id = BookingId::parse(id).ok_or_else(not_found)?;
    let reason = clip("reason", reason, 500)?;
    // Lapsed holds expire for good first, even when this change is then refused.
    let mut tx = b.db.begin().await?;
    expire_holds(b, &mut tx, Some(ws)).await?;
    tx.commit().await?;
    let mut tx = b.db.begin().await?;
    let now = b.now().0;
    let bk = q::booking(&mut tx, ws, &id).await?.ok_or_else(not_found)?;
    let (from, to, action) = what.rule();
    if !from.contains(&bk.status.as_str()) {
        let code = if bk.status == "expired" { "hold_expired" } else { "invalid_transition" };
        return Err(conflict(
            code,
            &format!("A booking that is {} cannot be changed this way.", bk.status.replace('_', " ")),
        ));
    }
    if what == Change::CustomerCancel {
        let service = q::service(&mut tx, ws, &bk.service_id).await?.ok_or_else(AppError::internal)?;
        if now > bk.starts_at - service.cancel_notice_min * Timestamp::MINUTE {
            return Err(conflict(
                "cancellation_too_late",
                "It is too late to cancel online; please contact the business.",
            ));
        }
    }
    if matches!(what, Change::Complete | Change::NoShow | Change::Arrived) && bk.starts_at > now {
        return Err(conflict("not_started", "This booking has not started yet."));
    }
    match what {
        Change::Arrived => q::set_attendance(&mut tx, ws, &id, "arrived", now).await?,
        _ => {
            if !q::set_status(&mut tx, ws, &id, from, to, now).await? {
                return Err(conflict("invalid_transition", "The booking changed meanwhile; reload it."));
            }
        }
    }
    match what {
        Change::Decline | Change::Cancel | Change::CustomerCancel => {
            release(&mut tx, ws, &bk, true).await?;
            if let Some(r) = &reason {
                q::set_cancel_reason(&mut tx, ws, &id, r).await?;
            }
            // The manage links sent so far stop working.
            q::bump_manage_version(&mut tx, ws, &id).await?;
        }
        Change::NoShow => q::set_attendance(&mut tx, ws, &id, "no_show", now).await?,
        _ => {}
    }
    let ending = match what {
        Change::Cancel => Some(Ending::CancelledByStaff),
        Change::CustomerCancel => Some(Ending::CancelledByCustomer { in_notice: true }),
        Change::Decline => Some(Ending::Declined),
        Change::NoShow => Some(Ending::NoShow),
        _ => None,
    };
    if let Some(how) = ending {
        tell_ended(b, &mut tx, ws, &id, how).await?;
    }
    let label = action.trim_start_matches("booking.");
    q::add_event(&mut tx, ws, &id, now, &actor_label(actor), label, reason.as_deref()).await?;
    audit::record(b, &mut tx, ws.as_str(), actor, action, Some(("booking", id.as_str())), "ok").await?;
    let out = q::booking(&mut tx, ws, &id).await?.ok_or_else(AppError::internal)?;
    let notice = match what {
        Change::Confirm => Some(notify::Notice::Confirmed),
        Change::Cancel | Change::CustomerCancel => Some(notify::Notice::Cancelled),
        Change::Decline => Some(notify::Notice::Declined),
        _ => None,
    };
    if let Some(n) = notice {
        notify::queue(b, &mut tx, &out, n).await?;
    }
    tx.commit().await?;
    announce(b, &out);
    Ok(out)
}

/// A new time for a live booking: the allocation moves in place (its history keeps the old
/// time); the new slot is checked as a new booking would be, without the booking's own hold.
pub async fn reschedule(
    b: &Bookings,
    ws: &WorkspaceId,
    actor: &Actor,
    id: &str,
    start: &str,
    resource_ids: &[String],
) -> AppResult<Booking> {
    let id = BookingId::parse(id).ok_or_else(not_found)?;
    let start = catalog::instant("start", start)?;
    let mut tx = b.db.begin().await?;
    expire_holds(b, &mut tx, Some(ws)).await?;
    let now = b.now().0;
    let bk = q::booking(&mut tx, ws, &id).await?.ok_or_else(not_found)?;
    if !["hold", "pending", "confirmed"].contains(&bk.status.as_str()) {
        return Err(conflict(
            "not_reschedulable",
            &format!("A booking that is {} cannot be moved.", bk.status.replace('_', " ")),
        ));
    }
    let service = q::service(&mut tx, ws, &bk.service_id).await?.ok_or_else(AppError::internal)?;
    check_time(&service, start, now)?;
    let extras: Vec<ExtraId> = serde_json::from_str::<Vec<String>>(&bk.extras)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| ExtraId::parse(e))
        .collect();
    let want = Want { extras: &extras, seats: bk.seats, quantity: bk.quantity, only: None, except: Some(&id) };
    let loaded = slots::load(&mut tx, ws, service, &want, start, start, now).await?;
    let (chosen, occurrence) = choose(&loaded, start, resource_ids, now)?;
    release(&mut tx, ws, &bk, false).await?;
    let place = Placement { loaded: &loaded, start, chosen: &chosen, occurrence, seats: bk.seats };
    let end = place.end()?;
    let occ = if loaded.service.capacity > 1 {
        Some(allocate_class(b, &mut tx, ws, place).await?)
    } else {
        allocate_rows(&mut tx, ws, &loaded, start, &chosen, Some(&id), None).await?;
        None
    };
    let resources =
        serde_json::to_string(&chosen.iter().map(|&x| loaded.resources[x].id.to_string()).collect::<Vec<_>>())
            .map_err(|_| AppError::internal())?;
    q::set_time(&mut tx, ws, &id, (start, end), &resources, occ.as_ref(), now).await?;
    q::clear_reminded(&mut tx, ws, &id).await?;
    let detail = format!("{} → {}", Timestamp(bk.starts_at).to_rfc3339(), Timestamp(start).to_rfc3339());
    q::add_event(&mut tx, ws, &id, now, &actor_label(actor), "rescheduled", Some(&detail)).await?;
    audit::record(b, &mut tx, ws.as_str(), actor, "booking.reschedule", Some(("booking", id.as_str())), "ok").await?;
    let out = q::booking(&mut tx, ws, &id).await?.ok_or_else(AppError::internal)?;
    if out.status != "hold" {
        notify::queue(b, &mut tx, &out, notify::Notice::Rescheduled).await?;
    }
    tx.commit().await?;
    announce(b, &out);
    Ok(out)
}

/// Tells the registered port (billing) that a booking ended, in the change's transaction.
async fn tell_ended(b: &Bookings, c: &mut Conn, ws: &WorkspaceId, id: &BookingId, how: Ending) -> AppResult<()> {
    match &b.ended {
        Some(port) => port.ended(c, ws, id, how).await,
        None => Ok(()),
    }
}

/// What a successful payment did to its booking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Paid {
    /// The hold became a booking (confirmed, or pending where the business accepts each one).
    Booked(Booking),
    /// The hold had lapsed, the slot was still free: booked again.
    Rebooked(Booking),
    /// Already booked (another payment, or staff confirmed it): nothing changed.
    AlreadyBooked,
    /// The hold had lapsed and the slot is gone (or has passed): the payment must go back.
    SlotGone,
    /// The booking was cancelled or declined meanwhile: the payment must go back.
    Ended,
}

/// A payment for booking `id` succeeded: inside the caller's transaction (which also records
/// the payment), its hold becomes a booking; a hold that lapsed meanwhile is booked again if
/// its slot is still free. The caller announces the booking after its commit ([`announce`]).
pub async fn paid(b: &Bookings, c: &mut Conn, ws: &WorkspaceId, id: &BookingId) -> AppResult<Paid> {
    expire_holds(b, c, Some(ws)).await?;
    let now = b.now().0;
    let actor = Actor { kind: "system", id: Some("billing".into()), ip: None };
    let Some(bk) = q::booking(c, ws, id).await? else { return Ok(Paid::Ended) };
    let service = q::service(c, ws, &bk.service_id).await?.ok_or_else(AppError::internal)?;
    let to = if service.requires_confirmation { "pending" } else { "confirmed" };
    let rebooked = match bk.status.as_str() {
        "hold" => {
            if !q::set_status(c, ws, id, &["hold"], to, now).await? {
                return Ok(Paid::AlreadyBooked);
            }
            false
        }
        "expired" => {
            if rebook(b, c, ws, &bk, service, to, now).await?.is_none() {
                return Ok(Paid::SlotGone);
            }
            true
        }
        "pending" | "confirmed" | "completed" => return Ok(Paid::AlreadyBooked),
        _ => return Ok(Paid::Ended),
    };
    let detail = if rebooked { Some("paid after the hold lapsed; the slot was still free") } else { None };
    q::add_event(c, ws, id, now, "system:billing", "paid", detail).await?;
    let action = if to == "confirmed" { "booking.confirm" } else { "booking.request" };
    audit::record(b, c, ws.as_str(), &actor, action, Some(("booking", id.as_str())), "paid").await?;
    let out = q::booking(c, ws, id).await?.ok_or_else(AppError::internal)?;
    if let Some(n) = notify::Notice::for_new(to) {
        notify::queue(b, c, &out, n).await?;
    }
    Ok(if rebooked { Paid::Rebooked(out) } else { Paid::Booked(out) })
}

/// Books a lapsed hold's slot again if it is still free (and has not passed): `None` if not.
async fn rebook(
    b: &Bookings,
    c: &mut Conn,
    ws: &WorkspaceId,
    bk: &Booking,
    service: q::Service,
    to: &str,
    now: i64,
) -> AppResult<Option<()>> {
    if bk.starts_at <= now {
        return Ok(None);
    }
    let extras: Vec<ExtraId> = serde_json::from_str::<Vec<String>>(&bk.extras)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| ExtraId::parse(e))
        .collect();
    let want = Want { extras: &extras, seats: bk.seats, quantity: bk.quantity, only: None, except: Some(&bk.id) };
    let loaded = slots::load(c, ws, service, &want, bk.starts_at, bk.starts_at, now).await?;
    let (chosen, occurrence) = match choose(&loaded, bk.starts_at, &[], now) {
        Ok(x) => x,
        Err(e) if matches!(e.code, "slot_taken" | "class_full") => return Ok(None),
        Err(e) => return Err(e),
    };
    let place = Placement { loaded: &loaded, start: bk.starts_at, chosen: &chosen, occurrence, seats: bk.seats };
    let end = place.end()?;
    let occ = if loaded.service.capacity > 1 {
        match allocate_class(b, c, ws, place).await {
            Ok(o) => Some(o),
            Err(e) if e.code == "class_full" => return Ok(None),
            Err(e) => return Err(e),
        }
    } else {
        match allocate_rows(c, ws, &loaded, bk.starts_at, &chosen, Some(&bk.id), None).await {
            Ok(()) => None,
            Err(e) if e.code == "slot_taken" => return Ok(None),
            Err(e) => return Err(e),
        }
    };
    let resources =
        serde_json::to_string(&chosen.iter().map(|&x| loaded.resources[x].id.to_string()).collect::<Vec<_>>())
            .map_err(|_| AppError::internal())?;
    q::set_time(c, ws, &bk.id, (bk.starts_at, end), &resources, occ.as_ref(), now).await?;
    if !q::set_status(c, ws, &bk.id, &["expired"], to, now).await? {
        return Ok(None);
    }
    Ok(Some(()))
}

/// Lets go of a hold now (its checkout expired or failed): the slot is free again.
pub async fn release_hold(b: &Bookings, c: &mut Conn, ws: &WorkspaceId, id: &BookingId) -> AppResult<bool> {
    let now = b.now().0;
    let Some(bk) = q::booking(c, ws, id).await? else { return Ok(false) };
    if !q::set_status(c, ws, id, &["hold"], "expired", now).await? {
        return Ok(false);
    }
    release(c, ws, &bk, true).await?;
    q::add_event(c, ws, id, now, "system:billing", "expired", Some("the checkout was not completed")).await?;
    audit::record(b, c, ws.as_str(), &system(), "booking.expire", Some(("booking", id.as_str())), "checkout").await?;
    Ok(true)
}
