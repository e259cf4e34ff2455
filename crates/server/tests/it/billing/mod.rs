//! Payments against a loopback Stripe that is strict like Stripe (`stripe`): a deposit paid at
//! booking confirms it, an abandoned one frees the slot, a late success books the slot if it is
//! still free or goes back, a second payment is flagged and refunded, refunds and disputes
//! follow Stripe's events, the same 200 events delivered 5 times concurrently and shuffled
//! apply once, an event signed by one workspace's account never touches another's, the
//! cancellation policy refunds, and bad input gets its codes.

mod invoices;
mod plans;
pub mod stripe;

use crate::helpers::*;
use crate::inbox::intake::{api, setup_with, Setup};
use reqwest::Client;
use serde_json::{json, Value};
use stripe::FakeStripe;

const MADRID: &str = "Europe/Madrid";

pub struct Shop {
    pub s: Setup,
    pub stripe: FakeStripe,
    pub service: String,
    pub key: String,
}

fn every_day() -> Value {
    json!(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .map(|d| json!({ "day": d, "open": "09:00", "close": "17:00" }))
        .collect::<Vec<_>>())
}

/// A salon whose haircut (an hour, 30 €, cancellable online until an hour before) asks for a
/// 10 € deposit, with its Stripe account connected (the key `key`).
pub async fn shop(name: &str, key: &str) -> Shop {
    let stripe = FakeStripe::start().await;
    let o = Options {
        billing: Some(stripe.settings()),
        job_workers: Some(0),
        bookings: Some(frontdesk_bookings::BookingSettings { holds_per_visitor: 1000, ..Default::default() }),
        ..Default::default()
    };
    let s = setup_with(o).await;
    stripe.use_clock(s.t.clock.clone());
    shop_in(s, stripe, name, key).await
}

async fn shop_in(s: Setup, stripe: FakeStripe, name: &str, key: &str) -> Shop {
    let service = catalog(&s.t, &s.token, name, key).await;
    Shop { s, stripe, service, key: key.to_string() }
}

/// The workspace's profile (Madrid, euros), a stylist, the haircut with its deposit, and its
/// Stripe account connected with `key`; the haircut's id.
async fn catalog(t: &TestApp, token: &str, name: &str, key: &str) -> String {
    let (st, v) = api(
        t,
        token,
        "PUT",
        "/api/v1/profile",
        Some(json!({ "time_zone": MADRID, "country": "ES", "currency": "EUR", "email": format!("hello@{name}.example") })),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    let body = json!({ "kind": "staff", "name": "Ana", "time_zone": MADRID, "hours": every_day() });
    let (st, v) = api(t, token, "POST", "/api/v1/booking/resources", Some(body)).await;
    assert_eq!(st, 201, "{v}");
    let ana = v["id"].as_str().unwrap().to_string();
    let body = json!({ "name": "Haircut", "duration_min": 60, "price": "30.00", "resources": [[ana]],
                       "cancel_notice_min": 60, "min_notice_min": 0, "payment": "deposit", "deposit": "10.00" });
    let (st, v) = api(t, token, "POST", "/api/v1/booking/services", Some(body)).await;
    assert_eq!(st, 201, "{v}");
    let service = v["id"].as_str().unwrap().to_string();
    let (st, v) = api(t, token, "PUT", "/api/v1/payment-accounts/stripe", Some(json!({ "secret_key": key }))).await;
    assert_eq!(st, 200, "{v}");
    service
}

fn billing(t: &TestApp) -> &frontdesk_billing::Billing {
    &t.running.as_ref().unwrap().billing
}

/// The free starts of the haircut over the next `days` days.
async fn free(x: &Shop, days: i64) -> Vec<String> {
    let from = frontdesk_core::hours::local_date(MADRID, x.s.t.app().now().0 + 86_400_000).unwrap();
    let to = frontdesk_core::hours::local_date(MADRID, x.s.t.app().now().0 + days * 86_400_000).unwrap();
    let q = format!("/api/v1/booking/slots?service_id={}&from={from}&to={to}", x.service);
    let (st, v) = api(&x.s.t, &x.s.token, "GET", &q, None).await;
    assert_eq!(st, 200, "{v}");
    v["slots"].as_array().unwrap().iter().map(|s| s["start"].as_str().unwrap().to_string()).collect()
}

/// Books `start` on the public page; returns the pay path it leads to.
async fn book_page(x: &Shop, c: &Client, start: &str, email: &str) -> String {
    let form = [
        ("service", x.service.clone()),
        ("tz", MADRID.to_string()),
        ("start", start.to_string()),
        ("name", "Maria Lopez".to_string()),
        ("email", email.to_string()),
        ("website", String::new()),
        ("key", uuid_like()),
        ("step", "confirm".to_string()),
    ];
    let r = c.post(x.s.t.url("/book/salon-a")).form(&form).send().await.unwrap();
    let loc = r.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    assert!(loc.starts_with("/pay/"), "a booking that needs a deposit goes to its pay page: {loc}");
    loc
}

/// The customer presses Pay: the checkout's id at the fake.
async fn press_pay(x: &Shop, c: &Client, pay: &str) -> String {
    let r = c.post(x.s.t.url(pay)).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with(&format!("{}/c/pay/cs_", x.stripe.base)), "{to}");
    to.rsplit('/').next().unwrap().to_string()
}

async fn payments(x: &Shop, query: &str) -> Vec<Value> {
    let (st, v) = api(&x.s.t, &x.s.token, "GET", &format!("/api/v1/payments{query}"), None).await;
    assert_eq!(st, 200, "{v}");
    v["payments"].as_array().unwrap().clone()
}

async fn payment(x: &Shop, id: &str) -> Value {
    let (st, v) = api(&x.s.t, &x.s.token, "GET", &format!("/api/v1/payments/{id}"), None).await;
    assert_eq!(st, 200, "{v}");
    v
}

async fn booking(x: &Shop, id: &str) -> Value {
    let (st, v) = api(&x.s.t, &x.s.token, "GET", &format!("/api/v1/bookings/{id}"), None).await;
    assert_eq!(st, 200, "{v}");
    let mut out = v["booking"].clone();
    out["history"] = v["history"].clone();
    out
}

/// The one payment made for the last booking page visit (newest first).
async fn newest(x: &Shop) -> Value {
    payments(x, "").await.into_iter().next().expect("a payment")
}

async fn sweep(x: &Shop) {
    frontdesk_bookings::book::sweep(&x.s.t.running.as_ref().unwrap().bookings).await.unwrap();
    frontdesk_billing::pay::sweep(billing(&x.s.t)).await.unwrap();
}

async fn count(t: &TestApp, sql: &str) -> i64 {
    let mut c = t.app().db.conn().await.unwrap();
    frontdesk_store::row::scalar::<i64>(&mut c, sql, ()).await.unwrap()
}

#[tokio::test]
async fn a_deposit_paid_at_booking_confirms_it_and_an_abandoned_checkout_frees_the_slot() {
    let x = shop("salon-a", "sk_test_salonA_000000000001").await;
    let t = &x.s.t;
    // Connecting made the webhook endpoint at Stripe, with the pinned version, and told the owner.
    let made = x.stripe.calls("POST /v1/webhook_endpoints");
    assert_eq!(made.len(), 1);
    let f = &made[0];
    let has = |k: &str, v: &str| f.iter().any(|(a, b)| a == k && b == v);
    assert!(has("api_version", frontdesk_billing::stripe::API_VERSION), "{f:?}");
    assert!(has("enabled_events[0]", "checkout.session.completed"), "{f:?}");
    let (url, _) = x.stripe.endpoint(&x.key).unwrap();
    assert!(url.starts_with(&t.url("/webhooks/stripe/")), "{url}");
    let mail = t.wait_mail("owner@example.com", 2).await;
    assert!(mail.subject.contains("Stripe"), "{}", mail.subject);

    let starts = free(&x, 3).await;
    let c = t.client();
    let pay = book_page(&x, &c, &starts[0], "maria@example.com").await;
    // The pay page: the deposit, the hold, and a CSP that lets its form go to Stripe only.
    let r = c.get(t.url(&pay)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains(&format!("form-action 'self' {}", x.stripe.base)), "{csp}");
    let html = r.text().await.unwrap();
    assert!(html.contains("10.00"), "{html}");
    let p = newest(&x).await;
    assert_eq!(
        (p["status"].as_str(), p["kind"].as_str(), p["amount_minor"].as_i64()),
        (Some("open"), Some("deposit"), Some(1000))
    );
    let bid = p["booking_id"].as_str().unwrap().to_string();
    assert_eq!(booking(&x, &bid).await["status"], "hold");
    assert!(!free(&x, 3).await.contains(&starts[0]), "the hold keeps its slot while the customer pays");
    // Other pages keep form-action to themselves.
    let r = c.get(t.url("/book/salon-a")).send().await.unwrap();
    let other = r.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(other.contains("form-action 'self';"), "{other}");

    let cs = press_pay(&x, &c, &pay).await;
    let session = x.stripe.session(&cs);
    assert_eq!(session["amount_total"], 1000);
    assert_eq!(session["currency"], "eur");
    assert_eq!(session["customer_email"], "maria@example.com");
    // Pressing again (a second tab) offers the same checkout, not a second one.
    assert_eq!(press_pay(&x, &c, &pay).await, cs);
    assert_eq!(x.stripe.calls("POST /v1/checkout/sessions").len(), 1);

    x.stripe.pay(&cs, true).await;
    let p = payment(&x, p["id"].as_str().unwrap()).await;
    assert_eq!(p["payment"]["status"], "paid");
    assert_eq!(p["events"].as_array().unwrap().len(), 2, "{p}");
    assert_eq!(booking(&x, &bid).await["status"], "confirmed");
    // Back from Stripe: the manage link of the confirmed booking.
    let r = c.get(t.url(&format!("{pay}/return?session={cs}"))).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/book/manage/"));
    let m = t.wait_mail("maria@example.com", 1).await;
    assert!(m.body.contains("/book/manage/"), "{}", m.body);
    let r = c.get(t.url(&format!("{pay}/receipt"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("pay-receipt-status"));

    // Abandoned: the hold lapses, the sweeper expires the session at Stripe, the slot is free.
    let pay2 = book_page(&x, &c, &starts[1], "tom@example.com").await;
    let cs2 = press_pay(&x, &c, &pay2).await;
    let p2 = newest(&x).await;
    t.clock.advance_ms(16 * 60_000);
    sweep(&x).await;
    assert_eq!(x.stripe.session(&cs2)["status"], "expired");
    let p2 = payment(&x, p2["id"].as_str().unwrap()).await;
    assert_eq!(p2["payment"]["status"], "expired");
    assert_eq!(booking(&x, p2["payment"]["booking_id"].as_str().unwrap()).await["status"], "expired");
    assert!(free(&x, 3).await.contains(&starts[1]), "the abandoned slot is free again");
    // Stripe's own expiry event then changes nothing; its pay page says it is closed.
    let ev = x.stripe.events().into_iter().find(|e| e["type"] == "checkout.session.expired").unwrap();
    assert_eq!(x.stripe.deliver(&x.key, &ev).await, 200);
    assert_eq!(payment(&x, p2["payment"]["id"].as_str().unwrap()).await["payment"]["status"], "expired");
    let r = c.get(t.url(&pay2)).send().await.unwrap();
    assert_eq!(r.status(), 410);
    let r = c.post(t.url(&pay2)).send().await.unwrap();
    assert_ne!(r.status(), 303, "an expired payment cannot be paid any more");
    x.s.t.stop().await;
}

#[tokio::test]
async fn a_lost_webhook_never_leaves_a_payment_pending_and_a_late_payment_books_or_goes_back() {
    let x = shop("salon-a", "sk_test_salonA_000000000002").await;
    let t = &x.s.t;
    let c = t.client();
    let starts = free(&x, 3).await;
    // Paid, but Stripe's events are lost: the return URL asks Stripe and books.
    let pay = book_page(&x, &c, &starts[0], "maria@example.com").await;
    let cs = press_pay(&x, &c, &pay).await;
    x.stripe.pay(&cs, false).await;
    let r = c.get(t.url(&format!("{pay}/return?session={cs}"))).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/book/manage/"));
    let bid = newest(&x).await["booking_id"].as_str().unwrap().to_string();
    assert_eq!(booking(&x, &bid).await["status"], "confirmed");

    // Paid and the customer never comes back, events lost too: the 10-minute check books it.
    let pay = book_page(&x, &c, &starts[1], "lu@example.com").await;
    let cs = press_pay(&x, &c, &pay).await;
    let p = newest(&x).await;
    x.stripe.pay(&cs, false).await;
    t.clock.advance_ms(11 * 60_000);
    frontdesk_billing::pay::sweep(billing(t)).await.unwrap();
    assert_eq!(payment(&x, p["id"].as_str().unwrap()).await["payment"]["status"], "paid");
    assert_eq!(booking(&x, p["booking_id"].as_str().unwrap()).await["status"], "confirmed");

    // Paid after the hold lapsed, the slot still free: booked again.
    let pay = book_page(&x, &c, &starts[2], "jo@example.com").await;
    let cs = press_pay(&x, &c, &pay).await;
    let p = newest(&x).await;
    t.clock.advance_ms(16 * 60_000);
    frontdesk_bookings::book::sweep(&t.running.as_ref().unwrap().bookings).await.unwrap();
    let bid = p["booking_id"].as_str().unwrap().to_string();
    assert_eq!(booking(&x, &bid).await["status"], "expired");
    x.stripe.pay(&cs, true).await;
    assert_eq!(booking(&x, &bid).await["status"], "confirmed", "the slot was still free");
    let b = booking(&x, &bid).await;
    assert!(b["history"].to_string().contains("paid"), "{b}");

    // Paid after the hold lapsed, someone else booked the slot meanwhile: it goes back in full.
    let pay = book_page(&x, &c, &starts[3], "eve@example.com").await;
    let cs = press_pay(&x, &c, &pay).await;
    let p = newest(&x).await;
    t.clock.advance_ms(16 * 60_000);
    frontdesk_bookings::book::sweep(&t.running.as_ref().unwrap().bookings).await.unwrap();
    let body = json!({ "service_id": x.service, "start": starts[3], "customer": { "name": "Walk In" } });
    let (st, v) = api(t, &x.s.token, "POST", "/api/v1/bookings", Some(body)).await;
    assert_eq!(st, 201, "{v}");
    x.stripe.pay(&cs, true).await;
    t.run_jobs().await;
    let p = payment(&x, p["id"].as_str().unwrap()).await;
    assert_eq!(p["payment"]["flag"], "late", "{p}");
    assert_eq!(p["refunds"][0]["amount_minor"], 1000, "{p}");
    assert_eq!(p["refunds"][0]["status"], "succeeded", "{p}");
    let refund = x.stripe.calls("POST /v1/refunds").pop().unwrap();
    assert!(refund.iter().any(|(k, v)| k == "amount" && v == "1000"), "{refund:?}");
    assert_eq!(booking(&x, p["payment"]["booking_id"].as_str().unwrap()).await["status"], "expired");
    let m = t.wait_mail("eve@example.com", 1).await;
    assert!(m.subject.contains("refund"), "{}", m.subject);
    // Stripe's refund event then agrees with what we recorded.
    let ev = x.stripe.events().into_iter().rfind(|e| e["type"] == "charge.refunded").unwrap();
    assert_eq!(x.stripe.deliver(&x.key, &ev).await, 200);
    let p = payment(&x, p["payment"]["id"].as_str().unwrap()).await;
    assert_eq!(
        (p["payment"]["status"].as_str(), p["payment"]["refunded_minor"].as_i64()),
        (Some("refunded"), Some(1000))
    );
    assert_eq!(p["payment"]["card"], "visa ·4242");
    x.s.t.stop().await;
}

#[tokio::test]
async fn a_second_payment_is_flagged_and_refunded_and_refunds_and_disputes_follow_stripe() {
    let x = shop("salon-a", "sk_test_salonA_000000000003").await;
    let t = &x.s.t;
    let c = t.client();
    let starts = free(&x, 3).await;
    let pay = book_page(&x, &c, &starts[0], "maria@example.com").await;
    let cs1 = press_pay(&x, &c, &pay).await;
    let p1 = newest(&x).await;
    let bid = p1["booking_id"].as_str().unwrap().to_string();
    // Two tabs: our side gave up on the first checkout and opened a second, and the customer
    // then pays both.
    {
        let mut conn = t.app().db.conn().await.unwrap();
        frontdesk_store::row::execute(
            &mut conn,
            "UPDATE payments SET status = 'expired' WHERE id = $1",
            p1["id"].as_str().unwrap(),
        )
        .await
        .unwrap();
    }
    let ws = frontdesk_core::WorkspaceId::parse(&x.s.ws).unwrap();
    let bk = frontdesk_bookings::book::get(&t.running.as_ref().unwrap().bookings, &ws, &bid).await.unwrap();
    let p2 = frontdesk_billing::pay::start_for_booking(billing(t), &ws, &bk, frontdesk_i18n::Lang::En)
        .await
        .unwrap()
        .unwrap();
    let cs2 = p2.checkout_id.clone().unwrap();
    assert_ne!(cs1, cs2);
    x.stripe.pay(&cs2, true).await;
    assert_eq!(booking(&x, &bid).await["status"], "confirmed");
    x.stripe.pay(&cs1, true).await;
    t.run_jobs().await;
    let dup = payment(&x, p1["id"].as_str().unwrap()).await;
    assert_eq!(dup["payment"]["status"], "refunded", "{dup}");
    assert_eq!(dup["payment"]["flag"], "duplicate", "{dup}");
    assert_eq!(dup["refunds"][0]["status"], "succeeded", "{dup}");
    assert_eq!(dup["refunds"][0]["amount_minor"], 1000);
    let kept = payment(&x, p2.id.as_str()).await;
    assert_eq!(kept["payment"]["flag"], Value::Null);

    // A refund by hand, in part; too much, or of an unpaid payment, is refused.
    let path = format!("/api/v1/payments/{}/refunds", p2.id);
    let (st, v) =
        api(t, &x.s.token, "POST", &path, Some(json!({ "amount_minor": 400, "reason": "Shorter cut" }))).await;
    assert_eq!(st, 201, "{v}");
    assert_eq!(v["status"], "pending");
    let (st, v) = api(t, &x.s.token, "POST", &path, Some(json!({ "amount_minor": 601 }))).await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (422, Some("over_refund")), "{v}");
    let (st, v) = api(t, &x.s.token, "POST", &path, Some(json!({ "amount_minor": 0 }))).await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (422, Some("amount_not_positive")), "{v}");
    t.run_jobs().await;
    let kept = payment(&x, p2.id.as_str()).await;
    assert_eq!(kept["refunds"][0]["status"], "succeeded", "{kept}");
    assert_eq!(kept["payment"]["refunded_minor"], 400);
    assert_eq!(kept["payment"]["status"], "paid", "partly refunded stays paid");
    let refund = x.stripe.calls("POST /v1/refunds").pop().unwrap();
    assert!(refund.iter().any(|(k, v)| k == "amount" && v == "400"), "{refund:?}");
    // A refund Stripe refuses is recorded as failed, and what is left stays refundable.
    x.stripe.refuse_next_refund("charge_disputed");
    let (st, v) = api(t, &x.s.token, "POST", &path, Some(json!({ "amount_minor": 100 }))).await;
    assert_eq!(st, 201, "{v}");
    t.run_jobs().await;
    let kept = payment(&x, p2.id.as_str()).await;
    assert_eq!(kept["refunds"][1]["status"], "failed", "{kept}");
    assert!(kept["refunds"][1]["error"].as_str().unwrap().contains("charge_disputed"), "{kept}");
    assert_eq!(kept["payment"]["refunded_minor"], 400);
    // An agent may not refund.
    let agent = t.api_token(&x.s.owner, &x.s.ws, "agent").await;
    let (st, _) = api(t, &agent, "POST", &path, Some(json!({ "amount_minor": 100 }))).await;
    assert_eq!(st, 403);

    // A dispute opens and closes as Stripe says, and an old "created" redelivered later does
    // not reopen it.
    let pi = kept["payment"]["provider_payment_id"].as_str().unwrap().to_string();
    let dispute = |status: &str| json!({ "id": "dp_1", "object": "dispute", "amount": 1000, "charge": format!("ch_for_{pi}"), "payment_intent": pi, "status": status, "reason": "fraudulent" });
    let opened = x.stripe.event("charge.dispute.created", dispute("needs_response"));
    assert_eq!(x.stripe.deliver(&x.key, &opened).await, 200);
    assert_eq!(payment(&x, p2.id.as_str()).await["payment"]["dispute"], "needs_response");
    let closed = x.stripe.event("charge.dispute.closed", dispute("lost"));
    assert_eq!(x.stripe.deliver(&x.key, &closed).await, 200);
    let late = x.stripe.event("charge.dispute.created", dispute("needs_response"));
    assert_eq!(x.stripe.deliver(&x.key, &late).await, 200);
    assert_eq!(payment(&x, p2.id.as_str()).await["payment"]["dispute"], "lost");
    // The page shows it all.
    let html = x.s.owner.get(t.url(&format!("/w/{}/payments", x.s.ws))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("data-flag=\"duplicate\""), "{html}");
    let html =
        x.s.owner.get(t.url(&format!("/w/{}/payments/{}", x.s.ws, p2.id))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("payment-dispute") && html.contains("charge.dispute.closed"), "{html}");
    x.s.t.stop().await;
}

#[tokio::test]
async fn the_same_200_events_delivered_five_times_concurrently_and_shuffled_apply_once() {
    use rand::seq::SliceRandom;
    let x = shop("salon-a", "sk_test_salonA_000000000004").await;
    let t = &x.s.t;
    let ws = frontdesk_core::WorkspaceId::parse(&x.s.ws).unwrap();
    let starts = free(&x, 10).await;
    assert!(starts.len() >= 40);
    let bookings = &t.running.as_ref().unwrap().bookings;
    let mut events = vec![];
    let mut ids = vec![];
    for (i, start) in starts.iter().take(40).enumerate() {
        let body = json!({ "service_id": x.service, "start": start, "hold": true,
                           "customer": { "name": format!("Customer {i}"), "email": format!("c{i}@example.com") } });
        let (st, v) = api(t, &x.s.token, "POST", "/api/v1/bookings", Some(body)).await;
        assert_eq!(st, 201, "{v}");
        let bk = frontdesk_bookings::book::get(bookings, &ws, v["id"].as_str().unwrap()).await.unwrap();
        let p = frontdesk_billing::pay::start_for_booking(billing(t), &ws, &bk, frontdesk_i18n::Lang::En)
            .await
            .unwrap()
            .unwrap();
        // Five events each: paid twice over (the session, the intent), disputed and won, refunded.
        let paid = x.stripe.pay(p.checkout_id.as_deref().unwrap(), false).await;
        let pi = paid[1]["data"]["object"]["id"].as_str().unwrap().to_string();
        let dispute = |status: &str| json!({ "id": format!("dp_{i}"), "object": "dispute", "payment_intent": pi, "status": status });
        events.extend(paid);
        events.push(x.stripe.event("charge.dispute.created", dispute("needs_response")));
        events.push(x.stripe.event("charge.dispute.closed", dispute("won")));
        events.push(x.stripe.event("charge.refunded", x.stripe.charge(&pi, 1000)));
        ids.push((p.id.to_string(), bk.id.to_string()));
    }
    assert_eq!(events.len(), 200);
    let mut all: Vec<Value> = (0..5).flat_map(|_| events.clone()).collect();
    all.shuffle(&mut rand::thread_rng());
    let stripe = x.stripe.clone();
    let key = x.key.clone();
    let mut statuses = vec![];
    for chunk in all.chunks(25) {
        let sends = chunk.iter().map(|e| {
            let stripe = stripe.clone();
            let key = key.clone();
            let e = e.clone();
            tokio::spawn(async move { stripe.deliver(&key, &e).await })
        });
        for h in sends.collect::<Vec<_>>() {
            statuses.push(h.await.unwrap());
        }
    }
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(count(t, "SELECT COUNT(*) FROM payment_events").await, 200, "each event stored once");
    for (pid, bid) in &ids {
        let p = payment(&x, pid).await;
        let p = &p["payment"];
        assert_eq!(
            (p["status"].as_str(), p["refunded_minor"].as_i64(), p["dispute"].as_str()),
            (Some("refunded"), Some(1000), Some("won")),
            "{p}"
        );
        let b = booking(&x, bid).await;
        assert_eq!(b["status"], "confirmed", "{b}");
    }
    assert_eq!(count(t, "SELECT COUNT(*) FROM audit_log WHERE action = 'payment.paid'").await, 40);
    assert_eq!(count(t, "SELECT COUNT(*) FROM booking_events WHERE change = 'paid'").await, 40);
    x.s.t.stop().await;
}

#[tokio::test]
async fn an_event_signed_by_one_workspaces_account_never_touches_anothers() {
    let a = shop("salon-a", "sk_test_salonA_000000000005").await;
    let t = &a.s.t;
    // Workspace B on the same server, with its own Stripe account and an open checkout.
    let owner_b = t.signed_in_user("owner-b@example.com").await;
    let ws_b = t.workspace(&owner_b, "Salon B").await;
    let token_b = t.api_token(&owner_b, &ws_b, "admin").await;
    let key_b = "sk_test_salonB_000000000005";
    let service_b = catalog(t, &token_b, "salon-b", key_b).await;
    let ws = frontdesk_core::WorkspaceId::parse(&ws_b).unwrap();
    let start = free(&a, 3).await[0].clone();
    let body = json!({ "service_id": service_b, "start": start, "hold": true, "customer": { "name": "Bea", "email": "bea@example.com" } });
    let (st, v) = api(t, &token_b, "POST", "/api/v1/bookings", Some(body)).await;
    assert_eq!(st, 201, "{v}");
    let bk = frontdesk_bookings::book::get(&t.running.as_ref().unwrap().bookings, &ws, v["id"].as_str().unwrap())
        .await
        .unwrap();
    let p_b = frontdesk_billing::pay::start_for_booking(billing(t), &ws, &bk, frontdesk_i18n::Lang::En)
        .await
        .unwrap()
        .unwrap();
    let cs_b = p_b.checkout_id.clone().unwrap();
    let status_b = || async {
        let (_, p) = api(t, &token_b, "GET", &format!("/api/v1/payments/{}", p_b.id), None).await;
        let (_, b) = api(t, &token_b, "GET", &format!("/api/v1/bookings/{}", bk.id), None).await;
        (p["payment"]["status"].as_str().unwrap().to_string(), b["booking"]["status"].as_str().unwrap().to_string())
    };
    // A signs "B's checkout is paid" with A's own secret, at A's endpoint: nothing changes in B.
    let mut forged = a.stripe.session(&cs_b);
    forged["payment_status"] = json!("paid");
    forged["status"] = json!("complete");
    forged["payment_intent"] = json!("pi_forged");
    let ev = a.stripe.event("checkout.session.completed", forged);
    assert_eq!(a.stripe.deliver(&a.key, &ev).await, 200);
    assert_eq!(status_b().await, ("open".to_string(), "hold".to_string()));
    assert_eq!(count(t, "SELECT COUNT(*) FROM payment_events WHERE outcome = 'unmatched'").await, 1);
    // … and sent to B's endpoint, A's signature does not verify.
    let (b_url, _) = a.stripe.endpoint(key_b).unwrap();
    let (_, a_secret) = a.stripe.endpoint(&a.key).unwrap();
    let body = serde_json::to_vec(&ev).unwrap();
    let before = count(t, "SELECT COUNT(*) FROM payment_events").await;
    assert_eq!(a.stripe.post_raw(&b_url, &body, Some(&a.stripe.sign(&a_secret, &body))).await, 401);
    assert_eq!(count(t, "SELECT COUNT(*) FROM payment_events").await, before);
    assert_eq!(status_b().await, ("open".to_string(), "hold".to_string()));
    // B's own signed event does change B.
    a.stripe.pay(&cs_b, true).await;
    assert_eq!(status_b().await, ("paid".to_string(), "confirmed".to_string()));
    a.s.t.stop().await;
}

#[tokio::test]
async fn the_cancellation_policy_refunds_in_time_and_keeps_the_deposit_of_a_no_show() {
    let x = shop("salon-a", "sk_test_salonA_000000000006").await;
    let t = &x.s.t;
    let c = t.client();
    let starts = free(&x, 3).await;
    let mut paid = vec![];
    for (i, start) in starts.iter().take(3).enumerate() {
        let pay = book_page(&x, &c, start, &format!("p{i}@example.com")).await;
        let cs = press_pay(&x, &c, &pay).await;
        x.stripe.pay(&cs, true).await;
        let r = c.get(t.url(&format!("{pay}/return"))).send().await.unwrap();
        let manage = r.headers()["location"].to_str().unwrap().trim_end_matches("?booked=1").to_string();
        paid.push((newest(&x).await, manage));
    }
    let paid: Vec<Value> = paid
        .into_iter()
        .map(|(p, m)| {
            let mut p = p;
            p["manage"] = json!(m);
            p
        })
        .collect();
    // The customer cancels through the manage link, in time: the deposit goes back.
    let manage = t.url(paid[0]["manage"].as_str().unwrap());
    let r = c.post(format!("{manage}/cancel")).send().await.unwrap();
    assert!(r.status().is_success() || r.status().is_redirection(), "{} {manage}", r.status());
    // Staff cancel the second: it goes back too.
    let bid = paid[1]["booking_id"].as_str().unwrap();
    let (st, v) = api(t, &x.s.token, "POST", &format!("/api/v1/bookings/{bid}/cancel"), Some(json!({}))).await;
    assert_eq!(st, 200, "{v}");
    // The third is a no-show: the deposit is kept.
    t.clock.advance_ms(4 * 86_400_000);
    let bid3 = paid[2]["booking_id"].as_str().unwrap();
    let (st, v) = api(t, &x.s.token, "POST", &format!("/api/v1/bookings/{bid3}/no-show"), Some(json!({}))).await;
    assert_eq!(st, 200, "{v}");
    t.run_jobs().await;
    for (i, want) in [(0, Some(1000)), (1, Some(1000)), (2, None)] {
        let p = payment(&x, paid[i]["id"].as_str().unwrap()).await;
        assert_eq!(p["refunds"][0]["amount_minor"].as_i64(), want, "payment {i}: {p}");
    }
    assert_eq!(
        count(t, "SELECT COUNT(*) FROM audit_log WHERE action = 'payment.refund' AND actor_kind = 'system'").await,
        2
    );
    x.s.t.stop().await;
}

#[tokio::test]
async fn bad_input_gets_clear_codes_and_nothing_is_stored_for_a_bad_signature() {
    let x = shop("salon-a", "sk_test_salonA_000000000007").await;
    let t = &x.s.t;
    let (url, secret) = x.stripe.endpoint(&x.key).unwrap();
    let events = || async { count(t, "SELECT COUNT(*) FROM payment_events").await };
    let body = serde_json::to_vec(&x.stripe.event("checkout.session.completed", json!({ "id": "cs_x" }))).unwrap();
    // Tampered, stale, missing, or another secret: 401 and nothing stored.
    let mut tampered = body.clone();
    tampered.push(b' ');
    assert_eq!(x.stripe.post_raw(&url, &tampered, Some(&x.stripe.sign(&secret, &body))).await, 401);
    let stale = frontdesk_billing::stripe::sign(&secret, &body, t.app().now().0 / 1000 - 301);
    assert_eq!(x.stripe.post_raw(&url, &body, Some(&stale)).await, 401);
    assert_eq!(x.stripe.post_raw(&url, &body, None).await, 401);
    assert_eq!(x.stripe.post_raw(&url, &body, Some("t=1,v1=zz")).await, 401);
    assert_eq!(events().await, 0);
    // An unknown payment account: 404.
    let sig = x.stripe.sign(&secret, &body);
    for bad in
        [format!("/webhooks/stripe/{}", frontdesk_core::PaymentAccountId::new()), "/webhooks/stripe/not-an-id".into()]
    {
        assert_eq!(x.stripe.post_raw(&t.url(&bad), &body, Some(&sig)).await, 404);
    }
    // Malformed JSON with a valid signature: 200, kept as unparseable for operators.
    let junk = b"{\"id\": \"evt_1\", \"type\": ".to_vec();
    assert_eq!(x.stripe.post_raw(&url, &junk, Some(&x.stripe.sign(&secret, &junk))).await, 200);
    assert_eq!(count(t, "SELECT COUNT(*) FROM payment_events WHERE outcome = 'unparseable'").await, 1);
    // A verified event about a checkout that is not ours: stored, unmatched.
    assert_eq!(x.stripe.post_raw(&url, &body, Some(&sig)).await, 200);
    assert_eq!(count(t, "SELECT COUNT(*) FROM payment_events WHERE outcome = 'unmatched'").await, 1);

    // Money by hand: amounts, currencies, methods, and who may.
    let (st, bk) = api(
        t,
        &x.s.token,
        "POST",
        "/api/v1/bookings",
        Some(json!({ "service_id": x.service, "start": free(&x, 3).await[0], "customer": { "name": "Walk In", "email": "walkin@example.com" } })),
    )
    .await;
    assert_eq!(st, 201, "{bk}");
    let bid = bk["id"].as_str().unwrap();
    for (body, status, code) in [
        (
            json!({ "booking_id": bid, "amount_minor": 0, "currency": "EUR", "method": "cash" }),
            422,
            "amount_not_positive",
        ),
        (
            json!({ "booking_id": bid, "amount_minor": -5, "currency": "EUR", "method": "cash" }),
            422,
            "amount_not_positive",
        ),
        (
            json!({ "booking_id": bid, "amount_minor": 500, "currency": "USD", "method": "cash" }),
            422,
            "currency_mismatch",
        ),
        (json!({ "booking_id": bid, "amount_minor": 500, "currency": "EUR", "method": "gold" }), 422, "invalid_method"),
        (
            json!({ "booking_id": "nope", "amount_minor": 500, "currency": "EUR", "method": "cash" }),
            422,
            "unknown_booking",
        ),
    ] {
        let (st, v) = api(t, &x.s.token, "POST", "/api/v1/payments/manual", Some(body)).await;
        assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (status, Some(code)), "{v}");
    }
    let (st, v) = api(
        t,
        &x.s.token,
        "POST",
        "/api/v1/payments/manual",
        Some(json!({ "booking_id": bid, "amount_minor": 3000, "currency": "eur", "method": "bizum", "note": "At the desk" })),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    assert_eq!((v["status"].as_str(), v["method"].as_str()), (Some("paid"), Some("bizum")));
    let agent = t.api_token(&x.s.owner, &x.s.ws, "agent").await;
    let (st, _) = api(
        t,
        &agent,
        "POST",
        "/api/v1/payments/manual",
        Some(json!({ "amount_minor": 100, "currency": "EUR", "method": "cash" })),
    )
    .await;
    assert_eq!(st, 403);
    let (st, _) = api(t, &agent, "GET", "/api/v1/payment-accounts", None).await;
    assert_eq!(st, 403, "credentials are for owners and admins");
    // A payment asked on demand: a checkout and its link; unpaid, it cannot be refunded.
    let (st, v) = api(
        t,
        &x.s.token,
        "POST",
        "/api/v1/payments",
        Some(json!({ "booking_id": bid, "amount_minor": 2000, "currency": "EUR" })),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    assert!(v["pay_url"].as_str().unwrap().contains("/pay/"), "{v}");
    // The customer gets the link by email (after the booking's confirmation).
    let m = t.wait_mail("walkin@example.com", 2).await;
    assert!(m.subject.contains("a payment for your booking") && m.body.contains("/pay/"), "{} {}", m.subject, m.body);
    let (st, r) =
        api(t, &x.s.token, "POST", &format!("/api/v1/payments/{}/refunds", v["id"].as_str().unwrap()), Some(json!({})))
            .await;
    assert_eq!((st.as_u16(), r["error"]["code"].as_str()), (409, Some("not_refundable")), "{r}");
    // A key that is not a Stripe secret key, or one Stripe refuses.
    for (key, code) in
        [("pk_test_123456789012345", "invalid_secret_key"), ("sk_test_revoked_000000000", "provider_refused")]
    {
        let (st, v) =
            api(t, &x.s.token, "PUT", "/api/v1/payment-accounts/stripe", Some(json!({ "secret_key": key }))).await;
        assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (422, Some(code)), "{v}");
    }
    // Replacing the key keeps the webhook address and removes the old endpoint at Stripe.
    let (st, v) = api(
        t,
        &x.s.token,
        "PUT",
        "/api/v1/payment-accounts/stripe",
        Some(json!({ "secret_key": "sk_test_salonA_000000000007" })),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(x.stripe.endpoints_live(&x.key), 1);
    assert_eq!(x.stripe.endpoint(&x.key).unwrap().0, url);
    // No key ever comes back.
    assert!(!v.to_string().contains("sk_test"), "{v}");
    x.s.t.stop().await;
}

#[tokio::test]
async fn payloads_go_after_90_days_and_payments_after_seven_years_from_their_year_end() {
    let x = shop("salon-a", "sk_test_salonA_000000000008").await;
    let t = &x.s.t;
    let c = t.client();
    let starts = free(&x, 3).await;
    let pay = book_page(&x, &c, &starts[0], "maria@example.com").await;
    let cs = press_pay(&x, &c, &pay).await;
    x.stripe.pay(&cs, true).await;
    let b = billing(t);
    t.clock.advance_ms(91 * 86_400_000);
    frontdesk_billing::pay::retention(b).await.unwrap();
    assert_eq!(count(t, "SELECT COUNT(*) FROM payment_events WHERE payload IS NOT NULL").await, 0);
    assert_eq!(count(t, "SELECT COUNT(*) FROM payments").await, 1, "a financial record stays");
    // Six years on it is still kept; past the seventh year's end it goes.
    t.clock.advance_ms(6 * 365 * 86_400_000);
    frontdesk_billing::pay::retention(b).await.unwrap();
    assert_eq!(count(t, "SELECT COUNT(*) FROM payments").await, 1);
    t.clock.advance_ms(2 * 365 * 86_400_000);
    frontdesk_billing::pay::retention(b).await.unwrap();
    assert_eq!(count(t, "SELECT COUNT(*) FROM payments").await, 0);
    x.s.t.stop().await;
}

#[tokio::test]
async fn the_verifier_accepts_headers_made_by_stripes_own_library() {
    let Some(dir) = crate::inbox::webchat::browser_tools() else { return };
    let x = shop("salon-a", "sk_test_salonA_000000000009").await;
    let t = &x.s.t;
    let (url, secret) = x.stripe.endpoint(&x.key).unwrap();
    let body = serde_json::to_vec(&x.stripe.event("customer.created", json!({ "id": "cus_1", "object": "customer" })))
        .unwrap();
    let mut node = std::process::Command::new("node")
        .arg("stripe_header.mjs")
        .arg(&secret)
        .arg((t.app().now().0 / 1000).to_string())
        .current_dir(&dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    node.stdin.take().unwrap().write_all(&body).unwrap();
    let out = node.wait_with_output().unwrap();
    assert!(out.status.success());
    let header = String::from_utf8(out.stdout).unwrap();
    assert!(header.starts_with("t=") && header.contains(",v1="), "{header}");
    assert_eq!(x.stripe.post_raw(&url, &body, Some(&header)).await, 200);
    assert_eq!(count(t, "SELECT COUNT(*) FROM payment_events WHERE kind = 'customer.created'").await, 1);
    x.s.t.stop().await;
}

#[test]
fn the_legal_cutoff_is_the_start_of_the_year_seven_years_back() {
    // 2026-12-02 → payments from 2019 are past their keep (kept until the end of 2026).
    let now = 1_796_169_600_000; // 2026-12-02T00:00:00Z
    let cut = frontdesk_billing::pay::legal_cutoff(now);
    assert_eq!(frontdesk_core::Timestamp(cut).to_rfc3339(), "2019-01-01T00:00:00.000Z");
}

#[tokio::test]
async fn passes_and_memberships_lower_the_price_a_pass_session_comes_back_on_cancellation() {
    let x = shop("salon-a", "sk_test_salonA_000000000010").await;
    let t = &x.s.t;
    let (token, service) = (&x.s.token, &x.service);
    let plan = |body: Value| async move {
        let (st, v) = api(t, token, "POST", "/api/v1/membership-plans", Some(body)).await;
        (st.as_u16(), v)
    };
    let (st, v) =
        plan(json!({ "kind": "gold", "name": "X", "price": "1", "valid_days": 30, "service_ids": [x.service] })).await;
    assert_eq!((st, v["error"]["code"].as_str()), (422, Some("invalid_plan_kind")), "{v}");
    let (st, v) = plan(json!({ "kind": "pass", "name": "X", "price": "1", "sessions": 0, "valid_days": 30, "service_ids": [x.service] })).await;
    assert_eq!((st, v["error"]["code"].as_str()), (422, Some("out_of_range")), "{v}");
    let (st, club) = plan(json!({ "kind": "membership", "name": "Club", "price": "20.00", "discount_percent": 20, "valid_days": 30, "service_ids": [x.service] })).await;
    assert_eq!(st, 201, "{club}");
    let (st, pass) = plan(json!({ "kind": "pass", "name": "Two cuts", "price": "50.00", "sessions": 2, "valid_days": 90, "service_ids": [x.service] })).await;
    assert_eq!(st, 201, "{pass}");
    // A customer (made by a first booking at full price).
    let starts = free(&x, 6).await;
    let book = |start: String, who: Value| async move {
        let mut body = json!({ "service_id": service, "start": start });
        body.as_object_mut().unwrap().extend(who.as_object().unwrap().clone());
        let (st, v) = api(t, token, "POST", "/api/v1/bookings", Some(body)).await;
        assert_eq!(st, 201, "{v}");
        v
    };
    let first = book(starts[0].clone(), json!({ "customer": { "name": "Ana", "email": "ana@example.com" } })).await;
    assert_eq!(first["total"], "30.00");
    let ana = first["contact_id"].as_str().unwrap().to_string();
    let who = json!({ "contact_id": ana });
    let ana_id = &ana;
    let sell = |plan: String| async move {
        let (st, v) = api(
            t,
            token,
            "POST",
            "/api/v1/memberships",
            Some(json!({ "plan_id": plan, "contact_id": ana_id, "method": "cash" })),
        )
        .await;
        assert_eq!(st, 201, "{v}");
        v
    };
    sell(club["id"].as_str().unwrap().to_string()).await;
    assert_eq!(book(starts[1].clone(), who.clone()).await["total"], "24.00", "the membership's 20 % off");
    let held = sell(pass["id"].as_str().unwrap().to_string()).await;
    assert_eq!(held["sessions_left"], 2);
    let b2 = book(starts[2].clone(), who.clone()).await;
    assert_eq!(b2["total"], "0.00", "a pass session beats the discount");
    assert_eq!(book(starts[3].clone(), who.clone()).await["total"], "0.00");
    assert_eq!(book(starts[4].clone(), who.clone()).await["total"], "24.00", "the pass is used up");
    // Both were paid at the desk.
    let manual: Vec<Value> = payments(&x, "").await.into_iter().filter(|p| p["kind"] == "manual").collect();
    assert_eq!(manual.len(), 2);
    // Staff cancel a booking that used the pass: the session comes back.
    let (st, v) =
        api(t, &x.s.token, "POST", &format!("/api/v1/bookings/{}/cancel", b2["id"].as_str().unwrap()), Some(json!({})))
            .await;
    assert_eq!(st, 200, "{v}");
    let (_, list) = api(t, &x.s.token, "GET", &format!("/api/v1/contacts/{ana}/memberships"), None).await;
    let p = list["memberships"].as_array().unwrap().iter().find(|m| m["kind"] == "pass").unwrap().clone();
    assert_eq!((p["sessions_left"].as_i64(), p["status"].as_str()), (Some(1), Some("active")), "{list}");
    // The customer's own page, in Spanish too.
    let link = p["link"].as_str().unwrap().to_string();
    let html = reqwest::get(&link).await.unwrap().text().await.unwrap();
    assert!(html.contains("membership-sessions") && html.contains("Two cuts"), "{html}");
    let es =
        reqwest::Client::new().get(&link).header("accept-language", "es").send().await.unwrap().text().await.unwrap();
    assert!(es.contains("Sesiones que quedan"), "{es}");
    let forged = link.replace(".1.", ".2.");
    assert_eq!(reqwest::get(&forged).await.unwrap().status(), 404);
    // A month on, the membership has lapsed: the pass's last session, then the full price.
    t.clock.advance_ms(31 * 86_400_000);
    let later = free(&x, 4).await;
    assert_eq!(book(later[0].clone(), who.clone()).await["total"], "0.00");
    assert_eq!(book(later[1].clone(), who.clone()).await["total"], "30.00", "no discount after the membership lapsed");
    x.s.t.stop().await;
}

#[tokio::test]
async fn a_pass_bought_online_is_held_once_paid_and_its_link_is_mailed() {
    let x = shop("salon-a", "sk_test_salonA_000000000011").await;
    let t = &x.s.t;
    let body = json!({ "kind": "pass", "name": "Two cuts", "price": "50.00", "sessions": 2, "valid_days": 90,
                       "service_ids": [x.service] });
    let (st, pass) = api(t, &x.s.token, "POST", "/api/v1/membership-plans", Some(body)).await;
    assert_eq!(st, 201, "{pass}");
    let id = pass["id"].as_str().unwrap().to_string();
    let c = t.client();
    let html = c.get(t.url("/book/salon-a/passes")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Two cuts") && html.contains("2 sessions"), "{html}");
    let r = c
        .post(t.url("/book/salon-a/passes"))
        .form(&[("plan_id", id.as_str()), ("name", "Eva"), ("email", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422, "an email is needed for the link");
    let r = c
        .post(t.url("/book/salon-a/passes"))
        .form(&[("plan_id", id.as_str()), ("name", "Eva"), ("email", "eva@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let pay = r.headers()["location"].to_str().unwrap().to_string();
    assert!(pay.starts_with("/pay/"), "{pay}");
    let page = c.get(t.url(&pay)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Two cuts") && page.contains("50.00"), "{page}");
    let cs = press_pay(&x, &c, &pay).await;
    assert_eq!(x.stripe.session(&cs)["amount_total"], 5000);
    x.stripe.pay(&cs, true).await;
    assert_eq!(count(t, "SELECT COUNT(*) FROM customer_memberships WHERE sessions_left = 2").await, 1);
    let m = t.wait_mail("eva@example.com", 1).await;
    assert!(m.body.contains("/memberships/"), "{}", m.body);
    // Stripe's events again: held once.
    for e in x.stripe.events() {
        assert_eq!(x.stripe.deliver(&x.key, &e).await, 200);
    }
    assert_eq!(count(t, "SELECT COUNT(*) FROM customer_memberships").await, 1);
    let r = c.get(t.url(&format!("{pay}/return"))).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"].to_str().unwrap().ends_with("/receipt"));
    x.s.t.stop().await;
}

/// The one customer membership of the test.
async fn held(t: &TestApp) -> frontdesk_billing::memberships::Holding {
    let mut c = t.app().db.conn().await.unwrap();
    frontdesk_store::row::find::<frontdesk_billing::memberships::Holding>(&mut c, "WHERE plan_id IS NOT NULL", ())
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn a_monthly_membership_renews_through_stripe_and_ends_when_cancelled() {
    let x = shop("salon-m", "sk_test_salonM_000000000012").await;
    let t = &x.s.t;
    let body = json!({ "kind": "membership", "name": "Club monthly", "price": "20.00", "discount_percent": 20,
                       "valid_days": 30, "service_ids": [x.service], "renews": true });
    let (st, club) = api(t, &x.s.token, "POST", "/api/v1/membership-plans", Some(body)).await;
    assert_eq!((st.as_u16(), club["renews"].as_bool()), (201, Some(true)), "{club}");
    let id = club["id"].as_str().unwrap().to_string();
    let c = t.client();
    let html = c.get(t.url("/book/salon-a/passes")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Club monthly") && html.contains("renews monthly"), "{html}");
    let r = c
        .post(t.url("/book/salon-a/passes"))
        .form(&[("plan_id", id.as_str()), ("name", "Eva"), ("email", "eva@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    let href =
        page.split("id=\"member-continue\" href=\"").nth(1).unwrap().split('"').next().unwrap().replace("&amp;", "&");
    let cs = href.rsplit('/').next().unwrap().to_string();
    // Stripe's subscription Checkout on the business's account, at the business's own price.
    let session = x.stripe.session(&cs);
    assert_eq!((session["mode"].as_str(), session["amount_total"].as_i64()), (Some("subscription"), Some(2000)));
    assert_eq!(session["price"]["recurring"]["interval"], "month", "{session}");
    assert_eq!(count(t, "SELECT COUNT(*) FROM customer_memberships WHERE status = 'pending'").await, 1);
    let events = x.stripe.pay(&cs, true).await;
    let h = held(t).await;
    let now = t.app().now().0;
    assert_eq!((h.status.as_str(), h.renewing), ("active", true), "{h:?}");
    assert!((h.valid_until - (now + 30 * 86_400_000)).abs() < 5_000, "to the period's end: {h:?}");
    let m = t.wait_mail("eva@example.com", 1).await;
    assert!(m.body.contains("/memberships/"), "{}", m.body);
    // Stripe's events again: once.
    for e in &events {
        assert_eq!(x.stripe.deliver(&x.key, e).await, 200);
    }
    assert_eq!(count(t, "SELECT COUNT(*) FROM customer_memberships").await, 1);
    // A month on, paid again: the period moves on.
    t.clock.advance_ms(30 * 86_400_000);
    let sub = h.stripe_subscription_id.clone().unwrap();
    let renewal = x.stripe.renew(&sub, true);
    assert_eq!(x.stripe.deliver(&x.key, &renewal).await, 200);
    let h2 = held(t).await;
    assert!(h2.valid_until >= h.valid_until + 29 * 86_400_000, "{h2:?}");
    // An event older than the state held changes nothing.
    let mut old = x.stripe.end_subscription(&sub);
    old["created"] = json!(h2.state_at / 1000 - 3600);
    x.stripe.renew(&sub, true);
    assert_eq!(x.stripe.deliver(&x.key, &old).await, 200);
    assert_eq!(count(t, "SELECT COUNT(*) FROM payment_events WHERE outcome = 'stale'").await, 1);
    assert_eq!(held(t).await.status, "active");
    // The customer stops it from their link: it lasts to the period's end, then lapses.
    let link = frontdesk_billing::memberships::link(t.app(), &h2);
    let path = link.split_once("/memberships/").map(|(_, p)| format!("/memberships/{p}")).unwrap();
    let page = c.get(t.url(&path)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("membership-renews") && page.contains("membership-cancel"), "{page}");
    let r = c.post(t.url(&format!("{path}/cancel"))).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let calls = x.stripe.calls("POST /v1/subscriptions");
    assert_eq!(calls.last().unwrap(), &vec![("cancel_at_period_end".to_string(), "true".to_string())]);
    let h3 = held(t).await;
    assert_eq!((h3.status.as_str(), h3.renewing), ("active", false), "{h3:?}");
    let page = c.get(t.url(&path)).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("membership-cancel"), "{page}");
    let r = c.post(t.url(&format!("{path}/cancel"))).send().await.unwrap();
    assert_eq!(r.status(), 409, "nothing left to cancel");
    t.clock.advance_ms(31 * 86_400_000);
    let ended = x.stripe.end_subscription(&sub);
    assert_eq!(x.stripe.deliver(&x.key, &ended).await, 200);
    assert_eq!(held(t).await.status, "lapsed");
    x.s.t.stop().await;
}
