//! Bookings over the JSON API: the catalog with its field errors, free slots, the lifecycle
//! (hold, expiry, confirmation, cancellation, reschedule, attendance), idempotency, coupons and
//! questions, and the database refusing double bookings under 100 concurrent clients. The staff's
//! pages are in `pages`.

mod gcal;
mod pages;

pub(crate) mod public;

use crate::helpers::*;
use crate::inbox::intake::{api, setup, Setup};
use serde_json::{json, Value};

const MADRID: &str = "Europe/Madrid";

fn every_day(open: &str, close: &str) -> Value {
    json!(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .map(|d| json!({ "day": d, "open": open, "close": close }))
        .collect::<Vec<_>>())
}

/// A date `days` from now in Madrid (`YYYY-MM-DD`).
fn day(s: &Setup, days: i64) -> String {
    let now = s.t.app().now().0;
    frontdesk_core::hours::local_date(MADRID, now + days * 86_400_000).unwrap()
}

async fn resource(s: &Setup, kind: &str, name: &str, open: &str, close: &str) -> String {
    let body = json!({ "kind": kind, "name": name, "time_zone": MADRID, "hours": every_day(open, close) });
    let (st, v) = api(&s.t, &s.token, "POST", "/api/v1/booking/resources", Some(body)).await;
    assert_eq!(st, 201, "{v}");
    v["id"].as_str().unwrap().to_string()
}

async fn service(s: &Setup, body: Value) -> String {
    let (st, v) = api(&s.t, &s.token, "POST", "/api/v1/booking/services", Some(body)).await;
    assert_eq!(st, 201, "{v}");
    v["id"].as_str().unwrap().to_string()
}

async fn slots(s: &Setup, query: &str) -> Vec<Value> {
    let (st, v) = api(&s.t, &s.token, "GET", &format!("/api/v1/booking/slots?{query}"), None).await;
    assert_eq!(st, 200, "{v}");
    v["slots"].as_array().unwrap().clone()
}

fn starts(list: &[Value]) -> Vec<String> {
    list.iter().map(|x| x["start"].as_str().unwrap().to_string()).collect()
}

async fn book(s: &Setup, body: Value) -> (u16, Value) {
    let (st, v) = api(&s.t, &s.token, "POST", "/api/v1/bookings", Some(body)).await;
    (st.as_u16(), v)
}

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("")
}

#[tokio::test]
async fn the_catalog_refuses_bad_input_with_field_errors() {
    let s = setup().await;
    let t = &s.t;
    let cases = [
        ("/api/v1/booking/resources", json!({ "kind": "robot", "name": "R2" }), "kind", "invalid_kind"),
        ("/api/v1/booking/resources", json!({ "kind": "staff", "name": " " }), "name", "required"),
        (
            "/api/v1/booking/resources",
            json!({ "kind": "staff", "name": "Ana", "time_zone": "Mars/Base" }),
            "time_zone",
            "unknown_time_zone",
        ),
        (
            "/api/v1/booking/resources",
            json!({ "kind": "staff", "name": "Ana", "hours": [{ "day": "mon", "open": "18:00", "close": "09:00" }] }),
            "ranges",
            "invalid_range",
        ),
        (
            "/api/v1/booking/services",
            json!({ "name": "Cut", "duration_min": 30, "price": "18", "resources": [] }),
            "resources",
            "resources_required",
        ),
        (
            "/api/v1/booking/services",
            json!({ "name": "Cut", "duration_min": 30, "price": "18", "resources": [["00000000-0000-7000-8000-000000000000"]] }),
            "resources",
            "unknown_resource",
        ),
    ];
    for (path, body, field, want) in cases {
        let (st, v) = api(t, &s.token, "POST", path, Some(body.clone())).await;
        assert_eq!(st, 422, "{body} → {v}");
        assert_eq!(code(&v), want, "{body} → {v}");
        assert_eq!(v["error"]["field"], field, "{body} → {v}");
    }
    let ana = resource(&s, "staff", "Ana", "09:00", "17:00").await;
    for (body, field, want) in [
        (
            json!({ "name": "Cut", "duration_min": 30, "price": "18.123", "resources": [[ana]] }),
            "price",
            "invalid_amount",
        ),
        (
            json!({ "name": "Cut", "duration_min": 2, "price": "18", "resources": [[ana]] }),
            "duration_min",
            "out_of_range",
        ),
        (
            json!({ "name": "Cut", "duration_min": 30, "price": "18", "unit": "hour", "resources": [[ana]] }),
            "unit",
            "invalid_unit",
        ),
        (
            json!({ "name": "Cut", "duration_min": 30, "price": "18", "payment": "deposit", "resources": [[ana]] }),
            "deposit",
            "invalid_deposit",
        ),
    ] {
        let (st, v) = api(t, &s.token, "POST", "/api/v1/booking/services", Some(body.clone())).await;
        assert_eq!((st.as_u16(), code(&v), v["error"]["field"].as_str()), (422, want, Some(field)), "{body} → {v}");
    }
    let (st, v) = api(
        t,
        &s.token,
        "POST",
        "/api/v1/booking/coupons",
        Some(json!({ "code": "x", "kind": "percent", "value": "10" })),
    )
    .await;
    assert_eq!((st.as_u16(), code(&v)), (422, "invalid_code"), "{v}");
    let (st, v) = api(
        t,
        &s.token,
        "POST",
        "/api/v1/booking/coupons",
        Some(json!({ "code": "SPRING", "kind": "percent", "value": "150" })),
    )
    .await;
    assert_eq!((st.as_u16(), code(&v)), (422, "out_of_range"), "{v}");
    // An agent sees the catalog but cannot change it.
    let agent = t.api_token(&s.owner, &s.ws, "agent").await;
    let (st, _) = api(t, &agent, "GET", "/api/v1/booking/resources", None).await;
    assert_eq!(st, 200);
    let (st, _) =
        api(t, &agent, "POST", "/api/v1/booking/resources", Some(json!({ "kind": "staff", "name": "Eve" }))).await;
    assert_eq!(st, 403);
}

#[tokio::test]
async fn slots_follow_hours_buffers_and_bookings_through_the_lifecycle() {
    let s = setup().await;
    let t = &s.t;
    let ana = resource(&s, "staff", "Ana", "09:00", "12:00").await;
    let chair = resource(&s, "room", "Chair 1", "08:00", "20:00").await;
    let cut = service(
        &s,
        json!({ "name": "Haircut", "duration_min": 60, "price": "18.00", "buffer_after_min": 30,
                "resources": [[ana], [chair]], "cancel_notice_min": 60 }),
    )
    .await;
    let d = day(&s, 3);
    let q = format!("service_id={cut}&from={d}&to={d}&time_zone={MADRID}");
    let free = slots(&s, &q).await;
    assert_eq!(starts(&free).iter().map(|x| &x[11..16]).collect::<Vec<_>>(), ["09:00", "10:00", "11:00"], "{free:?}");
    assert_eq!(free[0]["resources"][0]["name"], "Ana");
    // The same slots seen from New York: six hours earlier.
    let ny = slots(&s, &format!("service_id={cut}&from={d}&to={}&time_zone=America/New_York", day(&s, 4))).await;
    assert!(starts(&ny).iter().any(|x| x.ends_with("03:00:00-05:00") || x.ends_with("04:00:00-04:00")), "{ny:?}");

    // Book 09:00: its buffer (until 10:30) takes 10:00 too.
    let nine = free[0]["start"].as_str().unwrap().to_string();
    let body =
        json!({ "service_id": cut, "start": nine, "customer": { "name": "Maria Lopez", "phone": "+34 612 345 678" } });
    let (st, v) = book(&s, body.clone()).await;
    assert_eq!(st, 201, "{v}");
    assert_eq!((v["status"].as_str(), v["total"].as_str()), (Some("confirmed"), Some("18.00")), "{v}");
    let booking = v["id"].as_str().unwrap().to_string();
    assert_eq!(starts(&slots(&s, &q).await).iter().map(|x| &x[11..16]).collect::<Vec<_>>(), ["11:00"]);
    let (st, v) = book(&s, body.clone()).await;
    assert_eq!((st, code(&v)), (409, "slot_taken"), "{v}");

    // Idempotency: the same key and body give the same booking; another body is refused.
    let ten_thirty = format!("{}11:00{}", &nine[..11], &nine[16..]);
    let body = json!({ "service_id": cut, "start": ten_thirty, "customer": { "name": "Tom" } });
    let keyed = |b: Value| {
        let url = t.url("/api/v1/bookings");
        let token = s.token.clone();
        async move {
            let r = reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .header("Idempotency-Key", "k-1")
                .json(&b)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let (st1, v1) = keyed(body.clone()).await;
    let (st2, v2) = keyed(body.clone()).await;
    assert_eq!((st1, st2), (201, 200), "{v1} {v2}");
    assert_eq!(v1["id"], v2["id"]);
    let (st3, v3) =
        keyed(json!({ "service_id": cut, "start": ten_thirty, "customer": { "name": "Someone else" } })).await;
    assert_eq!((st3, code(&v3)), (422, "idempotency_key_reused"), "{v3}");
    let tom = v1["id"].as_str().unwrap().to_string();

    // Cancelling gives the slot back; a cancelled booking cannot be moved.
    let (st, v) =
        api(t, &s.token, "POST", &format!("/api/v1/bookings/{tom}/cancel"), Some(json!({ "reason": "ill" }))).await;
    assert_eq!((st.as_u16(), v["status"].as_str()), (200, Some("cancelled")), "{v}");
    assert_eq!(starts(&slots(&s, &q).await).len(), 1);
    let (st, v) =
        api(t, &s.token, "POST", &format!("/api/v1/bookings/{tom}/reschedule"), Some(json!({ "start": nine }))).await;
    assert_eq!((st.as_u16(), code(&v)), (409, "not_reschedulable"), "{v}");

    // Reschedule Maria to 11:00: 09:00 and 10:00 free again, the history keeps the old time.
    let (st, v) = api(
        t,
        &s.token,
        "POST",
        &format!("/api/v1/bookings/{booking}/reschedule"),
        Some(json!({ "start": ten_thirty })),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(starts(&slots(&s, &q).await).iter().map(|x| &x[11..16]).collect::<Vec<_>>(), ["09:00"]);
    let (_, v) = api(t, &s.token, "GET", &format!("/api/v1/bookings/{booking}"), None).await;
    let history: Vec<&str> = v["history"].as_array().unwrap().iter().map(|e| e["change"].as_str().unwrap()).collect();
    assert_eq!(history, ["confirmed", "rescheduled"], "{v}");
    assert!(v["history"][1]["detail"].as_str().unwrap().contains('→'));
    // Attendance only once it started.
    let (st, v) = api(t, &s.token, "POST", &format!("/api/v1/bookings/{booking}/arrived"), None).await;
    assert_eq!((st.as_u16(), code(&v)), (409, "not_started"), "{v}");

    // A hold keeps its slot for 15 minutes, then the slot is free again.
    let (st, v) =
        book(&s, json!({ "service_id": cut, "start": nine, "hold": true, "customer": { "name": "Aiko" } })).await;
    assert_eq!((st, v["status"].as_str()), (201, Some("hold")), "{v}");
    let held = v["id"].as_str().unwrap().to_string();
    assert!(slots(&s, &q).await.is_empty());
    t.clock.advance_ms(16 * 60_000);
    assert_eq!(slots(&s, &q).await.len(), 1, "a lapsed hold no longer counts, before any sweep");
    let (st, v) = api(t, &s.token, "POST", &format!("/api/v1/bookings/{held}/confirm"), None).await;
    assert_eq!((st.as_u16(), code(&v)), (409, "hold_expired"), "{v}");
    assert_eq!(starts(&slots(&s, &q).await).len(), 1);

    // Bad input: the past, out of the window, an unknown service, a bad zone.
    let past = format!("{}T10:00:00+01:00", day(&s, -2));
    let (st, v) = book(&s, json!({ "service_id": cut, "start": past, "customer": { "name": "X" } })).await;
    assert_eq!((st, code(&v)), (422, "in_the_past"), "{v}");
    let far = format!("{}T10:00:00+01:00", day(&s, 90));
    let (st, v) = book(&s, json!({ "service_id": cut, "start": far, "customer": { "name": "X" } })).await;
    assert_eq!((st, code(&v)), (422, "outside_booking_window"), "{v}");
    let (st, v) = book(&s, json!({ "service_id": "nope", "start": nine, "customer": { "name": "X" } })).await;
    assert_eq!((st, code(&v)), (422, "unknown_service"), "{v}");
    let (st, v) =
        api(t, &s.token, "GET", &format!("/api/v1/booking/slots?service_id={cut}&time_zone=Nowhere"), None).await;
    assert_eq!((st.as_u16(), code(&v)), (422, "unknown_time_zone"), "{v}");
    let (st, v) = book(&s, json!({ "service_id": cut, "start": nine })).await;
    assert_eq!((st, code(&v)), (422, "customer_required"), "{v}");
}

#[tokio::test]
async fn coupons_extras_and_questions_shape_the_booking() {
    let s = setup().await;
    let t = &s.t;
    let ana = resource(&s, "staff", "Ana", "09:00", "18:00").await;
    let colour = service(
        &s,
        json!({ "name": "Colour", "duration_min": 60, "interval_min": 30, "price": "45.05", "resources": [[ana]] }),
    )
    .await;
    let (st, x) = api(
        t,
        &s.token,
        "POST",
        &format!("/api/v1/booking/services/{colour}/extras"),
        Some(json!({ "name": "Treatment", "minutes": 30, "price": "10" })),
    )
    .await;
    assert_eq!(st, 201, "{x}");
    let (_, q1) = api(
        t,
        &s.token,
        "POST",
        &format!("/api/v1/booking/services/{colour}/requirements"),
        Some(json!({ "label": "Allergies?", "required": true, "sensitive": true })),
    )
    .await;
    let (_, q2) = api(
        t,
        &s.token,
        "POST",
        &format!("/api/v1/booking/services/{colour}/requirements"),
        Some(json!({ "label": "Length", "kind": "choice", "choices": ["short", "long"] })),
    )
    .await;
    let (st, _) = api(
        t,
        &s.token,
        "POST",
        "/api/v1/booking/coupons",
        Some(json!({ "code": "ten", "kind": "percent", "value": "10", "max_uses": 1 })),
    )
    .await;
    assert_eq!(st, 201);
    let d = day(&s, 2);
    let free = slots(
        &s,
        &format!("service_id={colour}&from={d}&to={d}&time_zone={MADRID}&extras={}", x["id"].as_str().unwrap()),
    )
    .await;
    // 90 minutes with the extra: the last start is 16:30.
    assert_eq!(free.last().unwrap()["start"].as_str().unwrap()[11..16], *"16:30");
    let start = free[0]["start"].as_str().unwrap();
    let base = json!({ "service_id": colour, "start": start, "extras": [x["id"]], "coupon": "TEN", "customer": { "name": "Elena" } });
    let mut missing = base.clone();
    missing["answers"] = json!([{ "requirement_id": q2["id"], "value": "short" }]);
    let (st, v) = book(&s, missing).await;
    assert_eq!((st, code(&v)), (422, "answer_required"), "{v}");
    let mut bad = base.clone();
    bad["answers"] =
        json!([{ "requirement_id": q1["id"], "value": "none" }, { "requirement_id": q2["id"], "value": "medium" }]);
    let (st, v) = book(&s, bad).await;
    assert_eq!((st, code(&v)), (422, "invalid_choice"), "{v}");
    let mut good = base.clone();
    good["answers"] =
        json!([{ "requirement_id": q1["id"], "value": "Latex" }, { "requirement_id": q2["id"], "value": "long" }]);
    let (st, v) = book(&s, good).await;
    assert_eq!(st, 201, "{v}");
    // 45.05 + 10 = 55.05; 10 % is 5.505, rounded half away from zero: 5.51.
    assert_eq!(
        (v["price"].as_str(), v["discount"].as_str(), v["total"].as_str()),
        (Some("55.05"), Some("5.51"), Some("49.54")),
        "{v}"
    );
    let (_, detail) = api(t, &s.token, "GET", &format!("/api/v1/bookings/{}", v["id"].as_str().unwrap()), None).await;
    assert_eq!(detail["answers"][0]["sensitive"], true, "{detail}");
    // The coupon had one use.
    let next = free[3]["start"].as_str().unwrap();
    let (st, v) = book(&s, json!({ "service_id": colour, "start": next, "coupon": "TEN", "customer": { "name": "Jordi" }, "answers": [{ "requirement_id": q1["id"], "value": "no" }] })).await;
    assert_eq!((st, code(&v)), (422, "coupon_used_up"), "{v}");
    let (st, v) = book(&s, json!({ "service_id": colour, "start": next, "coupon": "NOPE", "customer": { "name": "Jordi" }, "answers": [{ "requirement_id": q1["id"], "value": "no" }] })).await;
    assert_eq!((st, code(&v)), (422, "coupon_unknown"), "{v}");
}

/// 100 clients at once for the last free slot: exactly one gets it. A class of 5 seats: 5.
#[tokio::test]
async fn the_database_refuses_double_bookings_under_a_race() {
    let s = setup().await;
    let t = &s.t;
    let ana = resource(&s, "staff", "Ana", "10:00", "11:00").await;
    let cut = service(&s, json!({ "name": "Haircut", "duration_min": 60, "price": "18", "resources": [[ana]] })).await;
    let studio = resource(&s, "room", "Studio", "18:00", "19:00").await;
    let yoga = service(
        &s,
        json!({ "name": "Yoga", "duration_min": 60, "price": "12", "capacity": 5, "resources": [[studio]] }),
    )
    .await;
    let d = day(&s, 5);
    let race = |service: String| {
        let s = &s;
        let d = d.clone();
        async move {
            let start = slots(s, &format!("service_id={service}&from={d}&to={d}")).await[0]["start"]
                .as_str()
                .unwrap()
                .to_string();
            let mut tasks = vec![];
            for i in 0..100 {
                let url = t.url("/api/v1/bookings");
                let token = s.token.clone();
                let body =
                    json!({ "service_id": service, "start": start, "customer": { "name": format!("Client {i}") } });
                tasks.push(tokio::spawn(async move {
                    let r = reqwest::Client::new().post(url).bearer_auth(token).json(&body).send().await.unwrap();
                    let st = r.status().as_u16();
                    let v: Value = r.json().await.unwrap_or(Value::Null);
                    (st, v["error"]["code"].as_str().unwrap_or("").to_string())
                }));
            }
            let mut out = vec![];
            for task in tasks {
                out.push(task.await.unwrap());
            }
            out
        }
    };
    let results = race(cut.clone()).await;
    let won = results.iter().filter(|(st, _)| *st == 201).count();
    let lost: Vec<_> = results.iter().filter(|(st, _)| *st != 201).collect();
    assert_eq!(won, 1, "{results:?}");
    assert!(lost.iter().all(|(st, c)| *st == 409 && c == "slot_taken"), "{lost:?}");
    let results = race(yoga.clone()).await;
    let won = results.iter().filter(|(st, _)| *st == 201).count();
    assert_eq!(won, 5, "{results:?}");
    assert!(
        results
            .iter()
            .filter(|(st, _)| *st != 201)
            .all(|(st, c)| *st == 409 && (c == "class_full" || c == "slot_taken")),
        "{results:?}"
    );
    // The allocations table holds one row for the haircut and one for the class.
    let mut c = t.app().db.conn().await.unwrap();
    let n: i64 = frontdesk_store::row::scalar(&mut c, "SELECT COUNT(*) FROM booking_allocations", ()).await.unwrap();
    assert_eq!(n, 2);
}

/// On PostgreSQL the exclusion constraint itself refuses an overlap written behind the
/// engine's back (another node, a bug).
#[tokio::test]
async fn overlapping_allocations_are_refused_by_the_database() {
    let s = setup().await;
    let t = &s.t;
    let ana = resource(&s, "staff", "Ana", "09:00", "17:00").await;
    let cut = service(&s, json!({ "name": "Haircut", "duration_min": 60, "price": "18", "resources": [[ana]] })).await;
    let d = day(&s, 2);
    let start = slots(&s, &format!("service_id={cut}&from={d}&to={d}")).await[0]["start"].as_str().unwrap().to_string();
    let (st, v) = book(&s, json!({ "service_id": cut, "start": start, "customer": { "name": "A" } })).await;
    assert_eq!(st, 201, "{v}");
    let db = &t.app().db;
    let mut c = db.conn().await.unwrap();
    let from: i64 =
        frontdesk_store::row::scalar(&mut c, "SELECT starts_at FROM booking_allocations", ()).await.unwrap();
    let to: i64 = frontdesk_store::row::scalar(&mut c, "SELECT ends_at FROM booking_allocations", ()).await.unwrap();
    let sql = "INSERT INTO booking_allocations (id, workspace_id, resource_id, starts_at, ends_at) VALUES ($1, $2, $3, $4, $5)";
    let r = frontdesk_store::row::execute(
        &mut c,
        sql,
        (uuid_like().as_str(), s.ws.as_str(), ana.as_str(), from + 1, to + 1),
    )
    .await;
    if db.backend() == frontdesk_store::Backend::Postgres {
        let e = r.expect_err("the constraint refuses it");
        assert!(frontdesk_store::is_exclusion_violation(&e), "{e}");
    } else {
        // SQLite has one writer: the booking transaction's own check is the guard there.
        assert!(r.is_ok());
    }
}

#[tokio::test]
async fn the_assistant_gets_real_free_slots() {
    let s = setup().await;
    let ana = resource(&s, "staff", "Ana", "16:00", "18:00").await;
    service(&s, json!({ "name": "Haircut", "duration_min": 60, "price": "18", "resources": [[ana]] })).await;
    let app = s.t.app();
    let src = app.contact_ports.slots.clone().expect("bookings registered the slot source");
    let ws = frontdesk_core::WorkspaceId::parse(&s.ws).unwrap();
    let offered = src.offer(&ws, 3).await.unwrap();
    assert!(!offered.is_empty());
    assert!(offered.iter().all(|o| o.service == "Haircut"), "{offered:?}");
    // Ana works 16:00–18:00 in Madrid; the business's own zone (UTC, unset) says 15:00 and 16:00.
    assert!(offered.iter().all(|o| o.start.ends_with("15:00") || o.start.ends_with("16:00")), "{offered:?}");
}

/// A request waits for the business; unanswered for a day it is declined and its slot freed. A
/// visitor (or address) holds at most two slots at once.
#[tokio::test]
async fn requests_are_declined_after_a_day_and_holds_are_limited() {
    let s = setup().await;
    let t = &s.t;
    let ana = resource(&s, "staff", "Ana", "09:00", "13:00").await;
    let cut = service(
        &s,
        json!({ "name": "Consultation", "duration_min": 60, "price": "0", "requires_confirmation": true, "resources": [[ana]] }),
    )
    .await;
    let d = day(&s, 4);
    let q = format!("service_id={cut}&from={d}&to={d}&time_zone={MADRID}");
    let free = starts(&slots(&s, &q).await);
    assert_eq!(free.len(), 4);
    let (st, v) = book(&s, json!({ "service_id": cut, "start": free[0], "customer": { "name": "Ana Pérez" } })).await;
    assert_eq!((st, v["status"].as_str()), (201, Some("pending")), "{v}");
    let pending = v["id"].as_str().unwrap().to_string();
    assert_eq!(starts(&slots(&s, &q).await).len(), 3, "a request keeps its slot");
    // Two holds from one address; the third is refused.
    for start in &free[1..3] {
        let (st, v) =
            book(&s, json!({ "service_id": cut, "start": start, "hold": true, "customer": { "name": "Web" } })).await;
        assert_eq!(st, 201, "{v}");
    }
    let (st, v) =
        book(&s, json!({ "service_id": cut, "start": free[3], "hold": true, "customer": { "name": "Web" } })).await;
    assert_eq!((st, code(&v)), (409, "too_many_holds"), "{v}");
    // A day later the sweep declines the request and the holds have lapsed: all free again.
    t.clock.advance_ms(25 * 3_600_000);
    let bookings = &t.running.as_ref().unwrap().bookings;
    assert!(frontdesk_bookings::book::sweep(bookings).await.unwrap() >= 3);
    let (_, v) = api(t, &s.token, "GET", &format!("/api/v1/bookings/{pending}"), None).await;
    assert_eq!(v["booking"]["status"], "declined", "{v}");
    assert_eq!(v["history"][1]["change"], "declined");
    let (st, v) = api(t, &s.token, "POST", &format!("/api/v1/bookings/{pending}/confirm"), None).await;
    assert_eq!((st.as_u16(), code(&v)), (409, "invalid_transition"), "{v}");
    // The window moved by a day, so look at the same date again.
    assert_eq!(starts(&slots(&s, &q).await).len(), 4);
}

/// A date's own hours and a blocked time shape the day; a flat is rented by the night from
/// check-in to check-out; an expired coupon is refused.
#[tokio::test]
async fn exceptions_blocks_nights_and_expired_coupons() {
    let s = setup().await;
    let t = &s.t;
    let ana = resource(&s, "staff", "Ana", "09:00", "12:00").await;
    let cut = service(&s, json!({ "name": "Cut", "duration_min": 60, "price": "18", "resources": [[ana]] })).await;
    let (d1, d2) = (day(&s, 3), day(&s, 4));
    let hours = |d: &str| format!("service_id={cut}&from={d}&to={d}&time_zone={MADRID}");
    let times = |v: Vec<Value>| starts(&v).iter().map(|x| x[11..16].to_string()).collect::<Vec<_>>();
    // On d1 Ana works 16:00–18:00 instead; on d2 she is blocked 10:00–11:00.
    let (st, v) = api(
        t,
        &s.token,
        "PUT",
        &format!("/api/v1/booking/resources/{ana}/exceptions/{d1}"),
        Some(json!({ "ranges": [{ "open": "16:00", "close": "18:00" }] })),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(times(slots(&s, &hours(&d1)).await), ["16:00", "17:00"]);
    // Madrid's offset that day, from the slots themselves (+01:00 in winter, +02:00 in summer).
    let first = slots(&s, &hours(&d2)).await[0]["start"].as_str().unwrap().to_string();
    let off = &first[19..];
    let block =
        json!({ "start": format!("{d2}T10:00:00{off}"), "end": format!("{d2}T11:00:00{off}"), "reason": "dentist" });
    let (st, v) = api(t, &s.token, "POST", &format!("/api/v1/booking/resources/{ana}/blocks"), Some(block)).await;
    assert_eq!(st, 201, "{v}");
    let block_id = v["id"].as_str().unwrap().to_string();
    assert_eq!(times(slots(&s, &hours(&d2)).await), ["09:00", "11:00"]);
    // Taken back: the weekly hours again.
    let (st, _) = api(t, &s.token, "DELETE", &format!("/api/v1/booking/resources/{ana}/exceptions/{d1}"), None).await;
    assert_eq!(st, 204);
    let (st, _) = api(t, &s.token, "DELETE", &format!("/api/v1/booking/blocks/{block_id}"), None).await;
    assert_eq!(st, 204);
    assert_eq!(times(slots(&s, &hours(&d1)).await), ["09:00", "10:00", "11:00"]);
    assert_eq!(times(slots(&s, &hours(&d2)).await), ["09:00", "10:00", "11:00"]);

    // A flat by the night: check-in 15:00, check-out 11:00; two nights from d1 take d1 and d1+1.
    let body = json!({ "kind": "unit", "name": "Flat 1", "time_zone": MADRID });
    let (_, v) = api(t, &s.token, "POST", "/api/v1/booking/resources", Some(body)).await;
    let flat = v["id"].as_str().unwrap().to_string();
    let stay = service(&s, json!({ "name": "Stay", "unit": "night", "price": "80", "resources": [[flat]] })).await;
    let nights = format!("service_id={stay}&from={d1}&to={}&time_zone={MADRID}&quantity=2", day(&s, 7));
    let free = slots(&s, &nights).await;
    assert_eq!(free.len(), 5, "{free:?}");
    assert_eq!(&free[0]["start"].as_str().unwrap()[11..16], "15:00", "{free:?}");
    assert_eq!(&free[0]["end"].as_str().unwrap()[11..16], "11:00", "{free:?}");
    let (st, v) = book(
        &s,
        json!({ "service_id": stay, "start": free[0]["start"], "quantity": 2, "customer": { "name": "Kim" } }),
    )
    .await;
    assert_eq!((st, v["total"].as_str()), (201, Some("160.00")), "{v}");
    // The next two check-ins would overlap those nights; the third is free again.
    let after = starts(&slots(&s, &nights).await);
    assert!(!after.contains(&free[1]["start"].as_str().unwrap().to_string()), "{after:?}");
    assert!(after.contains(&free[2]["start"].as_str().unwrap().to_string()), "{after:?}");

    // A coupon past its end date.
    let past = format!("{}T00:00:00Z", day(&s, -1));
    let (st, v) = api(
        t,
        &s.token,
        "POST",
        "/api/v1/booking/coupons",
        Some(json!({ "code": "OLD", "kind": "amount", "value": "5", "valid_to": past })),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    let start = slots(&s, &hours(&d2)).await[0]["start"].clone();
    let (st, v) =
        book(&s, json!({ "service_id": cut, "start": start, "coupon": "old", "customer": { "name": "Lee" } })).await;
    assert_eq!((st, code(&v)), (422, "coupon_expired"), "{v}");
    // Nothing half-written: the slot is still free and the coupon unused.
    assert_eq!(slots(&s, &hours(&d2)).await.len(), 3);
    let (_, v) = api(t, &s.token, "GET", "/api/v1/booking/coupons", None).await;
    assert_eq!(v["coupons"][0]["uses"], 0, "{v}");
}

/// "¿Tenéis hueco mañana por la tarde?" gets tomorrow afternoon's real free times in the draft,
/// and the grounding check accepts them (the draft is an answer, not a hand-over).
#[tokio::test]
async fn the_assistant_offers_tomorrows_free_afternoon_times_in_a_draft() {
    use crate::inbox::intake::{setup_with, wa_channel, PHONE_A};
    use crate::inbox::outbox::{deliver, first_thread, wa_text, CUSTOMER};
    let s = setup_with(Options { job_workers: Some(0), ..Default::default() }).await;
    let t = &s.t;
    let knowledge = serde_json::to_value(frontdesk_assistant::Knowledge::demo()).unwrap();
    let (st, v) = api(t, &s.token, "PUT", "/api/v1/assistant/knowledge", Some(knowledge)).await;
    assert_eq!(st, 200, "{v}");
    let body = json!({ "kind": "staff", "name": "Ana", "time_zone": "UTC", "hours": every_day("16:00", "18:00") });
    let (_, v) = api(t, &s.token, "POST", "/api/v1/booking/resources", Some(body)).await;
    let ana = v["id"].as_str().unwrap().to_string();
    service(&s, json!({ "name": "Haircut", "duration_min": 60, "price": "18", "resources": [[ana]] })).await;
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.S1", "¿Tenéis hueco mañana por la tarde?")).await;
    while t.run_jobs().await > 0 {}
    let th = first_thread(t, &s.token).await["id"].as_str().unwrap().to_string();
    let (_, v) = api(t, &s.token, "GET", &format!("/api/v1/threads/{th}/drafts"), None).await;
    let d = &v["drafts"][0];
    assert_eq!(d["outcome"], "answer", "{v}");
    let text = d["text"].as_str().unwrap();
    assert!(text.contains("16:00") && text.contains("17:00"), "{text}");
}

/// The day before, the customer gets a reminder by email — once, never over a messenger — and a
/// booking moved gets one again; a booking made inside the last day gets none (it just got its
/// confirmation).
#[tokio::test]
async fn the_day_before_a_reminder_goes_by_email_once() {
    let s = setup().await;
    let t = &s.t;
    // At 11:00 in Madrid, the first 09:00 three days ahead is 70 hours away.
    t.at_ten_utc();
    let ana = resource(&s, "staff", "Ana", "09:00", "18:00").await;
    let cut = service(&s, json!({ "name": "Haircut", "duration_min": 60, "price": "18", "resources": [[ana]] })).await;
    let d = day(&s, 3);
    let free = starts(&slots(&s, &format!("service_id={cut}&from={d}&to={d}&time_zone={MADRID}")).await);
    let customer = json!({ "name": "Maria Lopez", "email": "maria@example.com" });
    let (st, v) = book(&s, json!({ "service_id": cut, "start": free[0], "customer": customer })).await;
    assert_eq!(st, 201, "{v}");
    let id = v["id"].as_str().unwrap().to_string();
    t.wait_mail("maria@example.com", 1).await;
    let bookings = &t.running.as_ref().unwrap().bookings;
    frontdesk_bookings::book::sweep(bookings).await.unwrap();
    assert_eq!(t.mail_count("maria@example.com"), 1, "three days ahead: no reminder yet");
    // Two and a half days later it starts within 24 hours.
    t.clock.advance_ms(60 * 3_600_000);
    frontdesk_bookings::book::sweep(bookings).await.unwrap();
    frontdesk_bookings::book::sweep(bookings).await.unwrap();
    let mail = t.wait_mail("maria@example.com", 2).await;
    assert!(mail.subject.starts_with("Reminder: Haircut"), "{}", mail.subject);
    assert!(mail.body.contains("/book/manage/"), "the manage link: {}", mail.body);
    assert_eq!(t.mail_count("maria@example.com"), 2, "one reminder");
    let (_, v) = api(t, &s.token, "GET", &format!("/api/v1/bookings/{id}"), None).await;
    assert!(v["history"].as_array().unwrap().iter().any(|e| e["change"] == "reminded"), "{v}");
    // Nothing went to the customer over a messenger.
    let mut c = t.app().db.conn().await.unwrap();
    let sent: i64 = frontdesk_store::row::scalar(&mut c, "SELECT COUNT(*) FROM messages WHERE direction = 'out'", ())
        .await
        .unwrap();
    assert_eq!(sent, 0);
    drop(c);
    // Moved to later that day: the move's mail, then a reminder again.
    let (st, v) =
        api(t, &s.token, "POST", &format!("/api/v1/bookings/{id}/reschedule"), Some(json!({ "start": free[2] }))).await;
    assert_eq!(st, 200, "{v}");
    frontdesk_bookings::book::sweep(bookings).await.unwrap();
    t.wait_mail("maria@example.com", 4).await;
    // Booked inside the last day: the confirmation only.
    let (st, _) = book(
        &s,
        json!({ "service_id": cut, "start": free[5], "customer": { "name": "Tom", "email": "tom@example.com" } }),
    )
    .await;
    assert_eq!(st, 201);
    frontdesk_bookings::book::sweep(bookings).await.unwrap();
    t.wait_mail("tom@example.com", 1).await;
    assert_eq!(t.mail_count("tom@example.com"), 1);
}

/// A Telegram message from Ana (chat 424242) at the clock's time.
fn ana_says(t: &TestApp, id: i64, text: &str) -> Value {
    json!({ "update_id": id, "message": { "message_id": id, "date": t.app().now().0 / 1000,
        "from": { "id": 424242, "is_bot": false, "first_name": "Ana" },
        "chat": { "id": 424242, "type": "private", "first_name": "Ana" }, "text": text } })
}

#[tokio::test]
async fn a_booking_made_in_a_chat_is_confirmed_there_only_while_the_customer_is_recent() {
    // The test runs the jobs itself: a mail a background worker had in hand when the clock
    // jumps days ahead would look abandoned (its lease lapsed) and go out twice.
    let s = crate::inbox::intake::setup_with(Options { job_workers: Some(0), ..Default::default() }).await;
    let t = &s.t;
    t.at_ten_utc();
    let rec = &s.fake.rec;
    let (tg, secret) = crate::inbox::intake::tg_channel(t, &s.token, &s.fake).await;
    crate::inbox::intake::tg_update(t, &tg, &secret, &ana_says(t, 600, "Can I book a haircut?")).await;
    let th = crate::inbox::outbox::first_thread(t, &s.token).await["id"].as_str().unwrap().to_string();
    let (_, v) = api(t, &s.token, "GET", &format!("/api/v1/threads/{th}"), None).await;
    let ana = v["contact"]["id"].as_str().unwrap().to_string();
    let (st, v) =
        api(t, &s.token, "PATCH", &format!("/api/v1/contacts/{ana}"), Some(json!({ "email": "ana@example.com" })))
            .await;
    assert_eq!(st, 200, "{v}");
    let staff = resource(&s, "staff", "Eva", "09:00", "18:00").await;
    let cut =
        service(&s, json!({ "name": "Haircut", "duration_min": 60, "price": "18", "resources": [[staff]] })).await;
    let query = |d: String| format!("service_id={cut}&from={d}&to={d}&time_zone={MADRID}");

    // Another customer's booking cannot claim Ana's conversation.
    let first = starts(&slots(&s, &query(day(&s, 2))).await);
    let (st, v) = book(
        &s,
        json!({ "service_id": cut, "start": first[0], "customer": { "name": "Tom", "email": "tom@example.com" }, "thread_id": th }),
    )
    .await;
    assert_eq!((st, code(&v)), (422, "unknown_thread"), "{v}");

    // Booked while she is chatting: the confirmation is a reply in her chat, and an email.
    let (st, v) = book(&s, json!({ "service_id": cut, "start": first[1], "contact_id": ana, "thread_id": th })).await;
    assert_eq!(st, 201, "{v}");
    // The send job may be a background worker's: wait for its call.
    let mut sent = vec![];
    for _ in 0..200 {
        t.run_jobs().await;
        sent = rec.named("telegram sendMessage");
        if !sent.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(sent.len(), 1, "{sent:?}");
    let text = sent[0]["body"]["text"].as_str().unwrap();
    assert!(text.starts_with("Booked at ") && text.contains("Haircut") && text.contains("/book/manage/"), "{text}");
    t.wait_mail("ana@example.com", 1).await;
    // The same booking confirmed again (a repeated request) sends nothing more.
    t.run_jobs().await;
    assert_eq!(rec.named("telegram sendMessage").len(), 1);

    // Thirty days of silence: a booking made for her from that thread is confirmed by email
    // only; the gate refused the chat message, and says why in the audit log.
    t.clock.advance_ms(30 * 86_400_000);
    let later = starts(&slots(&s, &query(day(&s, 3))).await);
    let (st, v) = book(&s, json!({ "service_id": cut, "start": later[0], "contact_id": ana, "thread_id": th })).await;
    assert_eq!(st, 201, "{v}");
    let id = v["id"].as_str().unwrap().to_string();
    t.run_jobs().await;
    t.wait_mail("ana@example.com", 2).await;
    assert_eq!(rec.named("telegram sendMessage").len(), 1, "no message to a customer silent for 30 days");
    let mut c = t.app().db.conn().await.unwrap();
    let refused: i64 = frontdesk_store::row::scalar(
        &mut c,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'message.gate' AND outcome = 'reply_window_closed:booking_notice'",
        (),
    )
    .await
    .unwrap();
    assert_eq!(refused, 1);
    drop(c);
    // The day before, the reminder is an email, never a chat message.
    t.clock.advance_ms(2 * 86_400_000 + 12 * 3_600_000);
    let bookings = &t.running.as_ref().unwrap().bookings;
    frontdesk_bookings::book::sweep(bookings).await.unwrap();
    t.wait_mail("ana@example.com", 3).await;
    let subjects: Vec<String> =
        t.mails().into_iter().filter(|m| m.to.contains("ana@example.com")).map(|m| m.subject).collect();
    assert_eq!(subjects.iter().filter(|s| s.starts_with("Reminder: Haircut")).count(), 1, "{subjects:?}");
    assert_eq!(subjects.len(), 3, "{subjects:?}");
    t.run_jobs().await;
    assert_eq!(rec.named("telegram sendMessage").len(), 1, "reminders never go over a messenger");
    let (_, v) = api(t, &s.token, "GET", &format!("/api/v1/bookings/{id}"), None).await;
    assert!(v["history"].as_array().unwrap().iter().any(|e| e["change"] == "reminded"), "{v}");
}

/// A calendar feed as Python's `icalendar` reads it: its name and every event (summary, UTC
/// start and end as Unix seconds, uid, status). Without the library (outside CI): `None`.
fn feed_events(t: &TestApp, ics: &str) -> Option<Value> {
    let file = t.dir.join(format!("feed-{}.ics", rand::random::<u64>()));
    std::fs::write(&file, ics).unwrap();
    let script = "import sys, json, icalendar\n\
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n\
ev = [{'summary': str(e['SUMMARY']), 'start': int(e.decoded('DTSTART').timestamp()), 'end': int(e.decoded('DTEND').timestamp()), 'uid': str(e['UID']), 'status': str(e['STATUS'])} for e in cal.walk('VEVENT')]\n\
print(json.dumps({'name': str(cal.get('X-WR-CALNAME')), 'events': ev}))\n";
    let out = std::process::Command::new("python3").arg("-c").arg(script).arg(&file).output().unwrap();
    if !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("No module named 'icalendar'") {
        assert!(!ci(), "CI installs icalendar (python3 -m pip install icalendar)");
        return None;
    }
    assert!(out.status.success(), "icalendar reads the feed: {}\n{ics}", String::from_utf8_lossy(&out.stderr));
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

#[tokio::test]
async fn calendar_feeds_carry_each_resources_bookings_in_utc_across_dst_with_first_names_only() {
    let s = setup().await;
    let t = &s.t;
    // A week before Madrid moves its clocks forward (the last Sunday of March 2027).
    let target = frontdesk_core::Timestamp::parse_rfc3339("2027-03-20T12:00:00Z").unwrap().0;
    let now = t.app().now().0;
    if target > now {
        t.clock.advance_ms(target - now);
    }
    let ana = resource(&s, "staff", "Ana", "09:00", "20:00").await;
    let bea = resource(&s, "staff", "Bea", "09:00", "20:00").await;
    let cut = service(&s, json!({ "name": "Corte", "duration_min": 45, "price": "18", "resources": [[ana]] })).await;
    let color = service(&s, json!({ "name": "Color", "duration_min": 60, "price": "40", "resources": [[bea]] })).await;
    let customer = json!({ "name": "Maria Lopez", "phone": "+34 612 345 678", "email": "maria@example.com" });
    let (st, before) =
        book(&s, json!({ "service_id": cut, "start": "2027-03-27T09:45:00+01:00", "customer": customer })).await;
    assert_eq!(st, 201, "{before}");
    let (st, after) =
        book(&s, json!({ "service_id": color, "start": "2027-03-29T10:00:00+02:00", "customer": { "name": "Tom" } }))
            .await;
    assert_eq!(st, 201, "{after}");

    // Off until turned on.
    let (st, v) = api(t, &s.token, "GET", "/api/v1/booking/feeds", None).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["feeds"].as_array().unwrap().len(), 3, "the workspace's and each resource's: {v}");
    assert!(v["feeds"].as_array().unwrap().iter().all(|f| f["url"].is_null()));
    let (st, all) = api(t, &s.token, "POST", "/api/v1/booking/feeds/all", None).await;
    assert_eq!(st, 201, "{all}");
    let all = all["url"].as_str().unwrap().to_string();
    let (_, mine) = api(t, &s.token, "POST", &format!("/api/v1/booking/feeds/{ana}"), None).await;
    let mine = mine["url"].as_str().unwrap().to_string();
    let get = |url: String| async move { t.client().get(url).send().await.unwrap() };

    let r = get(all.clone()).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let text = r.text().await.unwrap();
    assert!(!text.contains("Lopez") && !text.contains("612") && !text.contains("maria@"), "first names only:\n{text}");
    if let Some(cal) = feed_events(t, &text) {
        let ev = cal["events"].as_array().unwrap();
        assert_eq!(ev.len(), 2, "{cal}");
        let at = |s: &str| frontdesk_core::Timestamp::parse_rfc3339(s).unwrap().0 / 1000;
        assert_eq!(
            (ev[0]["summary"].as_str(), ev[0]["start"].as_i64()),
            (Some("Corte · Maria"), Some(at("2027-03-27T08:45:00Z")))
        );
        assert_eq!(ev[0]["end"].as_i64(), Some(at("2027-03-27T09:30:00Z")));
        assert_eq!(
            (ev[1]["summary"].as_str(), ev[1]["start"].as_i64()),
            (Some("Color · Tom"), Some(at("2027-03-29T08:00:00Z")))
        );
        assert!(ev[0]["uid"].as_str().unwrap().contains(before["id"].as_str().unwrap()));
        assert_eq!(cal["name"], "Salon A");
    }
    let text = get(mine.clone()).await.text().await.unwrap();
    if let Some(cal) = feed_events(t, &text) {
        let ev = cal["events"].as_array().unwrap();
        assert_eq!(ev.len(), 1, "Ana's own: {cal}");
        assert_eq!(ev[0]["summary"], "Corte · Maria");
    }
    // A cancelled booking leaves the feed.
    let (st, _) = api(
        t,
        &s.token,
        "POST",
        &format!("/api/v1/bookings/{}/cancel", before["id"].as_str().unwrap()),
        Some(json!({})),
    )
    .await;
    assert_eq!(st, 200);
    let text = get(mine.clone()).await.text().await.unwrap();
    assert!(!text.contains("BEGIN:VEVENT"), "{text}");

    // A new link stops the old one; turning a feed off stops every link; a changed link is nothing.
    let (_, renewed) = api(t, &s.token, "POST", &format!("/api/v1/booking/feeds/{ana}"), None).await;
    let renewed = renewed["url"].as_str().unwrap().to_string();
    assert_ne!(renewed, mine);
    assert_eq!(get(mine.clone()).await.status(), 404);
    assert_eq!(get(renewed.clone()).await.status(), 200);
    assert_eq!(get(format!("{}x", all.trim_end_matches(".ics"))).await.status(), 404);
    let (st, _) = api(t, &s.token, "DELETE", "/api/v1/booking/feeds/all", None).await;
    assert_eq!(st, 204);
    assert_eq!(get(all.clone()).await.status(), 404);
    let (st, v) = api(t, &s.token, "DELETE", "/api/v1/booking/feeds/all", None).await;
    assert_eq!((st.as_u16(), code(&v)), (404, "not_found"), "{v}");
    let (st, v) = api(t, &s.token, "POST", "/api/v1/booking/feeds/not-a-resource", None).await;
    assert_eq!((st.as_u16(), code(&v)), (404, "not_found"), "{v}");
    s.t.stop().await;
}

#[tokio::test]
async fn a_resource_syncs_with_google_calendar_both_ways_and_a_revoked_grant_is_shown_and_mailed() {
    let g = gcal::FakeGoogle::start().await;
    let google = frontdesk_platform::google::GoogleSettings {
        client_id: "cal-client".into(),
        client_secret: "cal-secret".into(),
        issuer: g.base.clone(),
        auth_url: g.auth_url(),
        token_url: g.token_url(),
        calendar_api: g.api_base(),
    };
    let s =
        crate::inbox::intake::setup_with(Options { google: Some(google), job_workers: Some(0), ..Default::default() })
            .await;
    let t = &s.t;
    let bookings = &t.running.as_ref().unwrap().bookings;
    let ana = resource(&s, "staff", "Ana", "09:00", "20:00").await;
    let cut = service(&s, json!({ "name": "Corte", "duration_min": 45, "price": "18", "resources": [[ana]] })).await;
    let d = day(&s, 2);
    let at = |hm: &str| format!("{d}T{hm}:00");
    let zoned = |hm: &str| {
        let dt: jiff::civil::DateTime = at(hm).parse().unwrap();
        dt.to_zoned(jiff::tz::TimeZone::get(MADRID).unwrap()).unwrap().timestamp().to_string()
    };
    let (st, first) =
        book(&s, json!({ "service_id": cut, "start": zoned("10:30"), "customer": { "name": "Maria Lopez" } })).await;
    assert_eq!(st, 201, "{first}");
    let (st, second) =
        book(&s, json!({ "service_id": cut, "start": zoned("12:00"), "customer": { "name": "Tom" } })).await;
    assert_eq!(st, 201, "{second}");
    let q = format!("service_id={cut}&from={d}&to={d}&time_zone={MADRID}");
    let free = |list: Vec<Value>| starts(&list).into_iter().map(|x| x[11..16].to_string()).collect::<Vec<_>>();

    // Connect: Google's consent page asks for offline access to events, with PKCE.
    let page = format!("/w/{}/settings/resources/{ana}", s.ws);
    let r = s.owner.post(t.url(&format!("{page}/google"))).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let to = url::Url::parse(r.headers()["location"].to_str().unwrap()).unwrap();
    assert!(to.as_str().starts_with(&g.auth_url()), "{to}");
    let qs: std::collections::HashMap<String, String> = to.query_pairs().into_owned().collect();
    assert_eq!(qs["scope"], "https://www.googleapis.com/auth/calendar.events");
    assert_eq!(
        (qs["access_type"].as_str(), qs["prompt"].as_str(), qs["code_challenge_method"].as_str()),
        ("offline", "consent", "S256")
    );
    assert_eq!(qs["redirect_uri"], t.url("/calendar/google/callback"));
    g.grant_code("code-1", "rt-1");
    let back = s
        .owner
        .get(t.url(&format!("/calendar/google/callback?state={}&code=code-1", qs["state"])))
        .send()
        .await
        .unwrap();
    assert_eq!(back.status(), 303);
    assert!(back.headers()["location"].to_str().unwrap().starts_with(&page));
    let replay = s
        .owner
        .get(t.url(&format!("/calendar/google/callback?state={}&code=code-1", qs["state"])))
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 410, "a state works once");
    t.run_jobs().await; // the first sync, right after connecting

    // Pushed: one event per booking, its id derived from the booking's, first names only.
    let events = g.events("primary");
    assert_eq!(events.len(), 2, "{events:?}");
    let id_of = |b: &Value| format!("fd{}", b["id"].as_str().unwrap().replace('-', ""));
    let e1 = events.iter().find(|e| e["id"] == id_of(&first)).expect("the first booking's event");
    assert_eq!(e1["summary"], "Corte · Maria");
    assert!(!e1.to_string().contains("Lopez"));
    // Syncing again changes nothing in Google (no duplicate, no needless write).
    let writes = g.count("POST", "/calendar/v3") + g.count("PATCH", "/calendar/v3");
    frontdesk_bookings::gcal::sync_all(bookings, None).await.unwrap();
    assert_eq!(g.count("POST", "/calendar/v3") + g.count("PATCH", "/calendar/v3"), writes);
    assert_eq!(g.events("primary").len(), 2);

    // Pulled: Ana's own appointment blocks her slots; a transparent one and our own events do not.
    let before = free(slots(&s, &q).await);
    assert!(before.contains(&"15:00".to_string()) && before.contains(&"15:45".to_string()), "{before:?}");
    let z = |hm: &str| {
        let dt: jiff::civil::DateTime = at(hm).parse().unwrap();
        dt.to_zoned(jiff::tz::TimeZone::get(MADRID).unwrap()).unwrap().timestamp().to_string()
    };
    g.add_busy("primary", "dentist1", &z("15:00"), &z("16:00"));
    g.add_transparent("primary", "reminder1", &z("17:15"), &z("18:00"));
    frontdesk_bookings::gcal::sync_all(bookings, None).await.unwrap();
    let after = free(slots(&s, &q).await);
    assert!(!after.contains(&"15:00".to_string()) && !after.contains(&"15:45".to_string()), "{after:?}");
    assert!(after.contains(&"14:15".to_string()) && after.contains(&"17:15".to_string()), "{after:?}");
    assert!(g.requests().iter().any(|(m, p)| m == "GET" && p.contains("syncToken=")), "an incremental listing");
    // An all-day event blocks the whole day in the resource's zone.
    let d3 = day(&s, 3);
    let d4 = day(&s, 4);
    g.add_all_day("primary", "holiday1", &d3, &d4);
    frontdesk_bookings::gcal::sync_all(bookings, None).await.unwrap();
    assert!(slots(&s, &format!("service_id={cut}&from={d3}&to={d3}&time_zone={MADRID}")).await.is_empty());
    // Cancelled in Google: free again.
    g.cancel_event("primary", "dentist1");
    frontdesk_bookings::gcal::sync_all(bookings, None).await.unwrap();
    assert!(free(slots(&s, &q).await).contains(&"15:00".to_string()));

    // A moved booking is patched (over the etag we last saw), not duplicated.
    let path = format!("/api/v1/bookings/{}/reschedule", first["id"].as_str().unwrap());
    let (st, v) = api(t, &s.token, "POST", &path, Some(json!({ "start": zoned("13:30") }))).await;
    assert_eq!(st, 200, "{v}");
    frontdesk_bookings::gcal::sync_all(bookings, None).await.unwrap();
    let moved = g.events("primary").into_iter().find(|e| e["id"] == id_of(&first)).unwrap();
    let starts_at = frontdesk_core::Timestamp::parse_rfc3339(moved["start"]["dateTime"].as_str().unwrap()).unwrap();
    assert_eq!(starts_at.0, frontdesk_core::Timestamp::parse_rfc3339(&zoned("13:30")).unwrap().0, "{moved}");
    let ours = g.events("primary").into_iter().filter(|e| e["id"].as_str().unwrap().starts_with("fd")).count();
    assert_eq!(ours, 2, "the same event, moved");
    assert!(g.count("PATCH", "/calendar/v3") >= 1);
    // Edited in Google meanwhile (a new etag): the next change meets 412, reads the event and
    // patches over its etag.
    let item = format!("/calendar/v3/calendars/primary/events/{}", id_of(&first));
    g.edit_event("primary", &id_of(&first), "description", "typed in Google");
    let (st, v) = api(t, &s.token, "POST", &path, Some(json!({ "start": zoned("14:15") }))).await;
    assert_eq!(st, 200, "{v}");
    let reads = g.count("GET", &item);
    frontdesk_bookings::gcal::sync_all(bookings, None).await.unwrap();
    assert_eq!(g.count("GET", &item), reads + 1, "read after the 412");
    let moved = g.events("primary").into_iter().find(|e| e["id"] == id_of(&first)).unwrap();
    let starts_at = frontdesk_core::Timestamp::parse_rfc3339(moved["start"]["dateTime"].as_str().unwrap()).unwrap();
    assert_eq!(starts_at.0, frontdesk_core::Timestamp::parse_rfc3339(&zoned("14:15")).unwrap().0, "{moved}");
    // An insert whose answer was lost (no record of it here): Google's 409 makes it a patch.
    {
        let mut c = t.app().db.conn().await.unwrap();
        frontdesk_store::row::execute(
            &mut c,
            "DELETE FROM calendar_pushes WHERE booking_id = $1",
            first["id"].as_str().unwrap(),
        )
        .await
        .unwrap();
    }
    let inserts = g.count("POST", "/calendar/v3");
    frontdesk_bookings::gcal::sync_all(bookings, None).await.unwrap();
    assert_eq!(g.count("POST", "/calendar/v3"), inserts + 1);
    let ours = g.events("primary").into_iter().filter(|e| e["id"].as_str().unwrap().starts_with("fd")).count();
    assert_eq!(ours, 2, "still one event per booking");

    // A cancelled booking is deleted from Google.
    let (st, _) = api(
        t,
        &s.token,
        "POST",
        &format!("/api/v1/bookings/{}/cancel", second["id"].as_str().unwrap()),
        Some(json!({})),
    )
    .await;
    assert_eq!(st, 200);
    frontdesk_bookings::gcal::sync_all(bookings, None).await.unwrap();
    let e2 = g.events("primary").into_iter().find(|e| e["id"] == id_of(&second)).unwrap();
    assert_eq!(e2["status"], "cancelled");

    // Google forgets the sync token (410): a full listing, paged, rebuilds the busy times.
    for i in 0..260 {
        let start = format!("{}T08:{:02}:00Z", day(&s, 10), i % 60);
        let end = format!("{}T08:{:02}:30Z", day(&s, 10), i % 60);
        g.add_busy("primary", &format!("many{i:03}"), &start, &end);
    }
    g.invalidate_sync_tokens();
    frontdesk_bookings::gcal::sync_all(bookings, None).await.unwrap();
    assert!(g.requests().iter().any(|(m, p)| m == "GET" && p.contains("pageToken=")), "paged");
    let kept: i64 = {
        let mut c = t.app().db.conn().await.unwrap();
        frontdesk_store::row::scalar(&mut c, "SELECT COUNT(*) FROM calendar_busy", ()).await.unwrap()
    };
    assert_eq!(kept, 261, "260 and the holiday, nothing cancelled or transparent");

    // An expired access token is refreshed and the call made again.
    let refreshes = g.count("POST", "/token");
    g.expire_access_tokens();
    frontdesk_bookings::gcal::sync_all(bookings, None).await.unwrap();
    assert_eq!(g.count("POST", "/token"), refreshes + 1, "one refresh");
    let status = frontdesk_bookings::gcal::of(
        bookings,
        &frontdesk_core::WorkspaceId::parse(&s.ws).unwrap(),
        &frontdesk_core::ResourceId::parse(&ana).unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!((status.status.as_str(), status.last_error.as_deref()), ("ok", None));

    // A revoked grant: shown on the page and mailed to every owner, never a silent stop.
    g.revoke_refresh_token("rt-1");
    g.expire_access_tokens();
    frontdesk_bookings::gcal::sync_all(bookings, None).await.unwrap();
    let html = s.owner.get(t.url(&page)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("data-status=\"revoked\""), "the page says so");
    let m = t.wait_mail("owner@example.com", 2).await;
    assert!(m.subject.contains("Google Calendar disconnected for Ana"), "{}", m.subject);
    frontdesk_bookings::gcal::sync_all(bookings, None).await.unwrap();
    assert_eq!(t.mails().iter().filter(|m| m.subject.contains("Google Calendar disconnected")).count(), 1, "told once");

    // Disconnecting lets the pulled times go.
    let r = s.owner.post(t.url(&format!("{page}/google/disconnect"))).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let left: i64 = {
        let mut c = t.app().db.conn().await.unwrap();
        frontdesk_store::row::scalar(&mut c, "SELECT COUNT(*) FROM calendar_busy", ()).await.unwrap()
    };
    assert_eq!(left, 0);
    assert!(!slots(&s, &format!("service_id={cut}&from={d3}&to={d3}&time_zone={MADRID}")).await.is_empty());
    s.t.stop().await;
}
