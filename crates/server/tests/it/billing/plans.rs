//! Platform billing (the operator's plans and the prepaid wallet), against the strict loopback
//! Stripe: off by default (nothing limited); the wallet's ledger under 200 concurrent debits;
//! messages beyond the plan's quota paid from credit and refused without it; hard limits on
//! seats and channels; a subscription that follows Stripe through past due, restricted and paid
//! again; top-ups credited once; bad input refused with its codes.

use super::stripe::FakeStripe;
use crate::helpers::*;
use crate::inbox::intake::{api, setup_with, Setup};
use frontdesk_billing::plans::{self, AdjustInput, PlanInput, PlatformBillingSettings};
use frontdesk_billing::wallet::{self, Posted, Posting};
use frontdesk_core::money::Micros;
use serde_json::{json, Value};

const HOOK_SECRET: &str = "whsec_platform_test";

async fn on(default_plan: Option<&str>) -> (Setup, FakeStripe) {
    let stripe = FakeStripe::start().await;
    let o = Options {
        billing: Some(stripe.settings()),
        job_workers: Some(0),
        platform_billing: Some(PlatformBillingSettings {
            currency: "EUR".into(),
            stripe_secret_key: "sk_test_platform_000000001".into(),
            webhook_secret: HOOK_SECRET.into(),
            default_plan: default_plan.map(str::to_string),
            ..Default::default()
        }),
        ..Default::default()
    };
    let s = setup_with(o).await;
    stripe.use_clock(s.t.clock.clone());
    (s, stripe)
}

fn billing(t: &TestApp) -> &frontdesk_billing::Billing {
    &t.running.as_ref().unwrap().billing
}

fn ws(s: &Setup) -> frontdesk_core::WorkspaceId {
    frontdesk_core::WorkspaceId::parse(&s.ws).unwrap()
}

async fn plan(t: &TestApp, body: Value) -> plans::Plan {
    let i: PlanInput = serde_json::from_value(body).unwrap();
    plans::create_plan(billing(t), &frontdesk_platform::audit::Actor::cli(), &i).await.unwrap()
}

async fn credit(s: &Setup, amount: &str) {
    let i = AdjustInput { amount: amount.into(), reason: "Test credit".into() };
    plans::adjust(billing(&s.t), &frontdesk_platform::audit::Actor::cli(), &s.ws, &i).await.unwrap();
}

async fn balance(s: &Setup) -> (Micros, Micros) {
    let mut c = s.t.app().db.conn().await.unwrap();
    (wallet::balance_in(&mut c, &ws(s)).await.unwrap(), wallet::replay(&mut c, &ws(s)).await.unwrap())
}

fn ana_says(s: &Setup, id: i64, text: &str) -> Value {
    json!({ "update_id": id, "message": { "message_id": id, "date": s.t.app().now().0 / 1000,
        "from": { "id": 515151, "is_bot": false, "first_name": "Ana" },
        "chat": { "id": 515151, "type": "private", "first_name": "Ana" }, "text": text } })
}

/// A Telegram conversation with Ana, ready for replies: the thread's id (and the bot's channel
/// and secret, for more of her messages).
async fn chat(s: &Setup) -> (String, String, String) {
    let (tg, secret) = crate::inbox::intake::tg_channel(&s.t, &s.token, &s.fake).await;
    crate::inbox::intake::tg_update(&s.t, &tg, &secret, &ana_says(s, 700, "Hello?")).await;
    let th = crate::inbox::outbox::first_thread(&s.t, &s.token).await["id"].as_str().unwrap().to_string();
    (th, tg, secret)
}

async fn conversation(s: &Setup) -> String {
    chat(s).await.0
}

async fn reply(s: &Setup, thread: &str, text: &str) -> (u16, Value) {
    let (st, v) =
        api(&s.t, &s.token, "POST", &format!("/api/v1/threads/{thread}/messages"), Some(json!({ "text": text }))).await;
    (st.as_u16(), v)
}

/// A signed event on the operator's endpoint; what Frontdesk says it did.
async fn platform_event(s: &Setup, stripe: &FakeStripe, kind: &str, object: Value, created: Option<i64>) -> String {
    let mut ev = stripe.event(kind, object);
    if let Some(c) = created {
        ev["created"] = json!(c);
    }
    let body = serde_json::to_vec(&ev).unwrap();
    let sig = stripe.sign(HOOK_SECRET, &body);
    let r = reqwest::Client::new()
        .post(s.t.url("/webhooks/stripe/platform"))
        .header("stripe-signature", sig)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json::<Value>().await.unwrap()["received"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn with_platform_billing_off_nothing_is_limited_or_metered() {
    let s = setup_with(Options::default()).await;
    let (st, v) = api(&s.t, &s.token, "GET", "/api/v1/billing", None).await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (404, Some("platform_billing_off")), "{v}");
    let html = s.owner.get(s.t.url(&format!("/w/{}/billing", s.ws))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("billing-off"), "{html}");
    // Replies go out without any wallet.
    let th = conversation(&s).await;
    for i in 0..3 {
        assert_eq!(reply(&s, &th, &format!("Reply {i}")).await.0, 201);
    }
    let mut c = s.t.app().db.conn().await.unwrap();
    let rows: i64 = frontdesk_store::row::scalar(&mut c, "SELECT COUNT(*) FROM wallet_entries", ()).await.unwrap();
    assert_eq!(rows, 0, "nothing is metered");
    drop(c);
    s.t.stop().await;
}

#[tokio::test]
async fn two_hundred_concurrent_debits_against_fifty_leave_exactly_fifty_and_the_ledger_replays() {
    let (s, _stripe) = on(None).await;
    credit(&s, "0.000050").await;
    let db = s.t.app().db.clone();
    let w = ws(&s);
    let mut tasks = vec![];
    for i in 0..200 {
        let db = db.clone();
        let w = w.clone();
        tasks.push(tokio::spawn(async move {
            let mut tx = db.begin().await.unwrap();
            let key = format!("debit:{i}");
            let p =
                Posting { kind: "debit", amount: Micros(-1), key: &key, reason: None, actor: "test", may_owe: false };
            let got = wallet::post(&mut tx, &w, &p, 1).await.unwrap();
            tx.commit().await.unwrap();
            got
        }));
    }
    let mut done = 0;
    for h in tasks {
        if let Posted::Done(_) = h.await.unwrap() {
            done += 1;
        }
    }
    assert_eq!(done, 50);
    assert_eq!(balance(&s).await, (Micros(0), Micros(0)), "balance 0, and the ledger replays to it");
    // A retried job posts once.
    credit(&s, "1.00").await;
    let mut c = db.conn().await.unwrap();
    let p = Posting {
        kind: "debit",
        amount: Micros(-100_000),
        key: "ai_call:retried",
        reason: None,
        actor: "test",
        may_owe: false,
    };
    assert!(matches!(wallet::post(&mut c, &w, &p, 1).await.unwrap(), Posted::Done(_)));
    assert_eq!(wallet::post(&mut c, &w, &p, 1).await.unwrap(), Posted::Repeated);
    // A reservation settled at its real price, another released.
    wallet::reserve(&mut c, &w, "ai_call:1", Micros(300_000), 1).await.unwrap();
    assert_eq!(wallet::balance_in(&mut c, &w).await.unwrap(), Micros(600_000));
    wallet::settle(&mut c, &w, "ai_call:1", Micros(120_000), 1).await.unwrap();
    wallet::settle(&mut c, &w, "ai_call:1", Micros(120_000), 1).await.unwrap();
    assert_eq!(wallet::balance_in(&mut c, &w).await.unwrap(), Micros(780_000));
    wallet::reserve(&mut c, &w, "ai_call:2", Micros(500_000), 1).await.unwrap();
    wallet::release(&mut c, &w, "ai_call:2", 1).await.unwrap();
    assert_eq!(wallet::balance_in(&mut c, &w).await.unwrap(), Micros(780_000));
    let err = wallet::reserve(&mut c, &w, "ai_call:3", Micros(900_000), 1).await.unwrap_err();
    assert_eq!(err.code, "insufficient_credit");
    drop(c);
    let (b, r) = balance(&s).await;
    assert_eq!(b, r, "the ledger replays to the balance");
    s.t.stop().await;
}

#[tokio::test]
async fn messages_beyond_the_quota_are_paid_from_credit_and_seats_and_channels_are_capped() {
    let (s, _stripe) = on(Some("Starter")).await;
    plan(
        &s.t,
        json!({ "name": "Starter", "monthly_price": "0", "seats": 1, "channels": 1, "included_messages": 2,
                "message_price": "0.05" }),
    )
    .await;
    let th = conversation(&s).await;
    assert_eq!(reply(&s, &th, "One").await.0, 201);
    assert_eq!(reply(&s, &th, "Two").await.0, 201);
    let (st, v) = reply(&s, &th, "Three").await;
    assert_eq!((st, v["error"]["code"].as_str()), (409, Some("insufficient_credit")), "{v}");
    credit(&s, "0.10").await;
    assert_eq!(reply(&s, &th, "Three").await.0, 201);
    assert_eq!(reply(&s, &th, "Four").await.0, 201);
    let (st, v) = reply(&s, &th, "Five").await;
    assert_eq!((st, v["error"]["code"].as_str()), (409, Some("insufficient_credit")), "{v}");
    // The owners were told once that the credit ran low.
    let low = s.t.wait_mail("owner@example.com", 2).await;
    assert!(low.subject.contains("running low"), "{}", low.subject);
    s.t.run_jobs().await;
    assert_eq!(s.t.mail_count("owner@example.com"), 2, "told once");
    let (_, o) = api(&s.t, &s.token, "GET", "/api/v1/billing", None).await;
    assert_eq!(o["balance"], "0.00", "{o}");
    let messages = o["usage"].as_array().unwrap().iter().find(|u| u["meter"] == "message").unwrap().clone();
    assert_eq!((messages["used"].as_i64(), messages["paid"].as_str()), (Some(4), Some("0.10")), "{o}");
    let (b, r) = balance(&s).await;
    assert_eq!(b, r);
    let (st, w) = api(&s.t, &s.token, "GET", "/api/v1/billing/wallet", None).await;
    assert_eq!(st, 200);
    assert_eq!(w["entries"].as_array().unwrap().len(), 3, "the credit and two paid messages: {w}");
    // Hard limits: one seat (the owner's), one channel (the Telegram bot).
    let r = s
        .owner
        .post(s.t.url(&format!("/api/v1/workspaces/{}/invitations", s.ws)))
        .json(&json!({ "email": "zoe@example.com", "role": "agent" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "plan_limit_reached");
    let (st, v) =
        api(&s.t, &s.token, "POST", "/api/v1/channels", Some(json!({ "kind": "webchat", "name": "Site" }))).await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (409, Some("plan_limit_reached")), "{v}");
    // The page shows the plan, the balance and the usage.
    let html = s.owner.get(s.t.url(&format!("/w/{}/billing", s.ws))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("wallet-balance") && html.contains("Starter"), "{html}");
    assert!(html.contains("usage-chart") && html.contains("4 messages in the last 30 days"), "{html}");
    s.t.stop().await;
}

#[tokio::test]
async fn a_subscription_follows_stripe_through_past_due_and_restricted_and_back() {
    let (s, stripe) = on(None).await;
    let t = &s.t;
    let pro = plan(
        t,
        json!({ "name": "Pro", "monthly_price": "29.00", "stripe_price_monthly": "price_pro", "trial_days": 14 }),
    )
    .await;
    let (th, tg, secret) = chat(&s).await;
    let (st, v) = api(t, &s.token, "POST", "/api/v1/billing/subscription", Some(json!({ "plan_id": pro.id }))).await;
    assert_eq!(st, 201, "{v}");
    assert!(v["url"].as_str().unwrap().starts_with(&stripe.base), "{v}");
    let form = stripe.calls("POST /v1/checkout/sessions").pop().unwrap();
    assert!(form.iter().any(|(k, v)| k == "subscription_data[trial_period_days]" && v == "14"), "{form:?}");
    let customer = stripe.customer_of(&s.ws).expect("a Stripe customer for the workspace");
    // The customer portal, for the card on file and invoices.
    let (st, v) = api(t, &s.token, "POST", "/api/v1/billing/portal", None).await;
    assert_eq!(st, 201, "{v}");
    assert!(v["url"].as_str().unwrap().contains("/p/session/"), "{v}");
    let now = t.app().now().0 / 1000;
    stripe.set_subscription("sub_1", &customer, "active", "price_pro", (now, now + 30 * 86_400));
    let sub = json!({ "id": "sub_1", "object": "subscription", "customer": customer });
    assert_eq!(platform_event(&s, &stripe, "customer.subscription.created", sub.clone(), None).await, "applied");
    let (_, o) = api(t, &s.token, "GET", "/api/v1/billing", None).await;
    assert_eq!((o["status"].as_str(), o["plan"]["name"].as_str()), (Some("active"), Some("Pro")), "{o}");
    // The card fails: past due, still working during the grace.
    stripe.set_subscription("sub_1", &customer, "past_due", "price_pro", (now, now + 30 * 86_400));
    let invoice = json!({ "id": "in_1", "object": "invoice", "customer": customer,
                          "parent": { "subscription_details": { "subscription": "sub_1" } } });
    assert_eq!(platform_event(&s, &stripe, "invoice.payment_failed", invoice.clone(), None).await, "applied");
    assert_eq!(api(t, &s.token, "GET", "/api/v1/billing", None).await.1["status"], "past_due");
    assert_eq!(reply(&s, &th, "Still here").await.0, 201);
    // An event older than the state held changes nothing.
    assert_eq!(
        platform_event(&s, &stripe, "customer.subscription.updated", sub.clone(), Some(now - 3600)).await,
        "stale"
    );
    // Past the grace: restricted. No replies, no new bookings; a customer's message still arrives.
    t.clock.advance_ms(8 * 86_400_000);
    plans::sweep(billing(t)).await.unwrap();
    let (_, o) = api(t, &s.token, "GET", "/api/v1/billing", None).await;
    assert_eq!((o["status"].as_str(), o["restricted"].as_bool()), (Some("restricted"), Some(true)), "{o}");
    let (st, v) = reply(&s, &th, "Nope").await;
    assert_eq!((st, v["error"]["code"].as_str()), (409, Some("workspace_restricted")), "{v}");
    let body = json!({ "kind": "staff", "name": "Eva", "time_zone": "Europe/Madrid",
                       "hours": [{ "day": "mon", "open": "09:00", "close": "17:00" }] });
    let (_, r) = api(t, &s.token, "POST", "/api/v1/booking/resources", Some(body)).await;
    let (_, svc) = api(
        t,
        &s.token,
        "POST",
        "/api/v1/booking/services",
        Some(json!({ "name": "Cut", "duration_min": 30, "price": "10", "resources": [[r["id"]]] })),
    )
    .await;
    let when = (t.app().now().0 / 86_400_000 + 8) * 86_400_000;
    let start = frontdesk_core::Timestamp(when + 10 * 3_600_000).to_rfc3339();
    let (st, v) = api(
        t,
        &s.token,
        "POST",
        "/api/v1/bookings",
        Some(json!({ "service_id": svc["id"], "start": start, "customer": { "name": "X" } })),
    )
    .await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (403, Some("workspace_restricted")), "{v}");
    crate::inbox::intake::tg_update(t, &tg, &secret, &ana_says(&s, 701, "Are you open?")).await;
    t.settle().await;
    let (_, detail) = api(t, &s.token, "GET", &format!("/api/v1/threads/{th}"), None).await;
    assert!(detail.to_string().contains("Are you open?"), "intake never stops: {detail}");
    let html = s.owner.get(t.url(&format!("/w/{}/billing", s.ws))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("plan-restricted"), "the banner: {html}");
    // Paid: active again, replies go out.
    stripe.set_subscription("sub_1", &customer, "active", "price_pro", (now, now + 30 * 86_400));
    assert_eq!(platform_event(&s, &stripe, "invoice.paid", invoice, None).await, "applied");
    assert_eq!(api(t, &s.token, "GET", "/api/v1/billing", None).await.1["status"], "active");
    assert_eq!(reply(&s, &th, "Back").await.0, 201);
    s.t.stop().await;
}

#[tokio::test]
async fn top_ups_are_credited_once_and_bad_input_is_refused() {
    let (s, stripe) = on(None).await;
    let t = &s.t;
    for (amount, code) in [(0, "amount_not_positive"), (-5, "amount_not_positive"), (10, "topup_out_of_range")] {
        let (st, v) = api(t, &s.token, "POST", "/api/v1/billing/topups", Some(json!({ "amount_minor": amount }))).await;
        assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (422, Some(code)), "{v}");
    }
    let (st, v) = api(t, &s.token, "POST", "/api/v1/billing/topups", Some(json!({ "amount_minor": 1000 }))).await;
    assert_eq!(st, 201, "{v}");
    let cs = v["url"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
    let mut paid = stripe.session(&cs);
    paid["status"] = json!("complete");
    paid["payment_status"] = json!("paid");
    paid["payment_intent"] = json!("pi_topup_1");
    let ev = stripe.event("checkout.session.completed", paid.clone());
    let body = serde_json::to_vec(&ev).unwrap();
    let post = |sig: String, body: Vec<u8>| async move {
        reqwest::Client::new()
            .post(t.url("/webhooks/stripe/platform"))
            .header("stripe-signature", sig)
            .body(body)
            .send()
            .await
            .unwrap()
    };
    assert_eq!(post(stripe.sign(HOOK_SECRET, &body), body.clone()).await.status(), 200);
    assert_eq!(
        post(stripe.sign(HOOK_SECRET, &body), body.clone()).await.json::<Value>().await.unwrap()["received"],
        "repeated"
    );
    assert_eq!(balance(&s).await, (Micros(10_000_000), Micros(10_000_000)));
    let m = t.wait_mail("owner@example.com", 2).await;
    assert!(m.subject.contains("receipt") && m.body.contains("10.00"), "{} {}", m.subject, m.body);
    // Another customer's session, signed by the operator's endpoint: no effect.
    let mut other = paid.clone();
    other["id"] = json!("cs_not_ours");
    assert_eq!(platform_event(&s, &stripe, "checkout.session.completed", other, None).await, "unmatched");
    assert_eq!(balance(&s).await.0, Micros(10_000_000));
    // A bad signature: 401.
    assert_eq!(post(stripe.sign("whsec_wrong", &body), body.clone()).await.status(), 401);
    // An unknown plan.
    let (st, v) = api(t, &s.token, "POST", "/api/v1/billing/subscription", Some(json!({ "plan_id": "nope" }))).await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (422, Some("unknown_plan")), "{v}");
    // The operator's API: a plan and a credit with its reason (an operator only).
    frontdesk_platform::operator::create_user(t.app(), "op@example.com", Option::<&str>::None, PASSWORD, true)
        .await
        .unwrap();
    let op = t.client();
    assert_eq!(t.login(&op, "op@example.com", PASSWORD).await.status(), 303);
    let r = op
        .post(t.url("/api/v1/admin/plans"))
        .json(&json!({ "name": "Team", "monthly_price": "49.00", "seats": 5 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let html = op.get(t.url("/admin/billing")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("plan-workspaces") && html.contains("Team"), "{html}");
    let r = op
        .post(t.url(&format!("/admin/billing/workspaces/{}/credit", s.ws)))
        .form(&[("amount", "0.50"), ("reason", "Welcome")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let r = op
        .post(t.url(&format!("/api/v1/admin/workspaces/{}/wallet", s.ws)))
        .json(&json!({ "amount": "-2.50", "reason": "Goodwill reversed" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["balance"], "8.00");
    let r = op
        .post(t.url(&format!("/api/v1/admin/workspaces/{}/wallet", s.ws)))
        .json(&json!({ "amount": "1.00", "reason": " " }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let (st, _) =
        api(t, &s.token, "POST", "/api/v1/admin/plans", Some(json!({ "name": "X", "monthly_price": "1" }))).await;
    assert_eq!(st, 403, "tokens are no operators");
    // The top-up is refunded after 2.00 of it was spent: a debt of 2.00, and the workspace is
    // restricted until it tops up again; the same refund told twice takes once.
    let refund = json!({ "id": "ch_topup_1", "object": "charge", "payment_intent": "pi_topup_1", "amount": 1000, "amount_refunded": 1000 });
    assert_eq!(platform_event(&s, &stripe, "charge.refunded", refund.clone(), None).await, "applied");
    assert_eq!(platform_event(&s, &stripe, "charge.refunded", refund, None).await, "ignored");
    assert_eq!(balance(&s).await, (Micros(-2_000_000), Micros(-2_000_000)));
    let (_, o) = api(t, &s.token, "GET", "/api/v1/billing", None).await;
    assert_eq!(o["restricted"], true, "{o}");
    s.t.stop().await;
}

async fn charge_messages(s: &Setup, n: i64, key: &str) {
    let mut tx = s.t.app().db.begin().await.unwrap();
    plans::charge(billing(&s.t), &mut tx, &ws(s), frontdesk_platform::ports::Meter::Message, n, key).await.unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn below_its_threshold_the_kept_card_tops_up_once_per_charge_and_a_declined_card_turns_it_off() {
    let (s, stripe) = on(Some("Pay as you go")).await;
    let t = &s.t;
    plan(t, json!({ "name": "Pay as you go", "monthly_price": "0", "message_price": "1.00" })).await;
    let auto = json!({ "enabled": true, "threshold": "8.00", "amount_minor": 2000 });
    // No card kept yet: refused.
    let (st, v) = api(t, &s.token, "PUT", "/api/v1/billing/autotopup", Some(auto.clone())).await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (409, Some("no_saved_card")), "{v}");
    let bad = json!({ "enabled": false, "threshold": "-1", "amount_minor": 2000 });
    let (st, v) = api(t, &s.token, "PUT", "/api/v1/billing/autotopup", Some(bad)).await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (422, Some("invalid_threshold")), "{v}");
    // A top-up that keeps the card (Checkout with the workspace's customer, for off-session use).
    let (st, v) =
        api(t, &s.token, "POST", "/api/v1/billing/topups", Some(json!({ "amount_minor": 1000, "save_card": true })))
            .await;
    assert_eq!(st, 201, "{v}");
    let cs = v["url"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
    let session = stripe.session(&cs);
    assert_eq!(session["setup_future_usage"], "off_session", "{session}");
    assert!(session["customer"].as_str().is_some_and(|c| c.starts_with("cus_")), "{session}");
    for e in stripe.pay(&cs, false).await {
        platform_event(&s, &stripe, e["type"].as_str().unwrap(), e["data"]["object"].clone(), None).await;
    }
    assert_eq!(balance(&s).await.0, Micros(10_000_000));
    let (_, o) = api(t, &s.token, "GET", "/api/v1/billing", None).await;
    assert_eq!(
        (o["autotopup"]["card"].as_str(), o["autotopup"]["enabled"].as_bool()),
        (Some("visa ·4242"), Some(false)),
        "{o}"
    );
    let (st, v) = api(t, &s.token, "PUT", "/api/v1/billing/autotopup", Some(auto)).await;
    assert_eq!((st.as_u16(), v["enabled"].as_bool()), (200, Some(true)), "{v}");

    // Usage takes the balance below 8.00: one charge for the burst, credited once.
    for i in 0..4 {
        charge_messages(&s, 1, &format!("m:{i}")).await;
    }
    t.run_jobs().await;
    let calls = stripe.calls("POST /v1/payment_intents");
    assert_eq!(calls.len(), 1, "{calls:?}");
    let field = |c: &Vec<(String, String)>, k: &str| c.iter().find(|(x, _)| x == k).map(|(_, v)| v.clone());
    assert_eq!(field(&calls[0], "Idempotency-Key"), Some(format!("autotopup:{}:1", s.ws)));
    assert_eq!(
        (field(&calls[0], "off_session"), field(&calls[0], "amount")),
        (Some("true".into()), Some("2000".into()))
    );
    assert_eq!(balance(&s).await, (Micros(26_000_000), Micros(26_000_000)));
    let m = t.wait_mail("owner@example.com", 3).await;
    assert!(m.subject.contains("receipt") && m.body.contains("20.00"), "{} {}", m.subject, m.body);

    // Stripe fails once: the job tries again with the same key, and the wallet is credited once.
    stripe.fail_next_off_session();
    charge_messages(&s, 21, "m:burst").await;
    t.run_jobs().await;
    assert_eq!(balance(&s).await.0, Micros(5_000_000), "not credited while Stripe fails");
    t.clock.advance_ms(60_000);
    t.run_jobs().await;
    let calls = stripe.calls("POST /v1/payment_intents");
    assert_eq!(calls.len(), 3);
    assert_eq!(field(&calls[1], "Idempotency-Key"), field(&calls[2], "Idempotency-Key"));
    assert_eq!(field(&calls[2], "Idempotency-Key"), Some(format!("autotopup:{}:2", s.ws)));
    assert_eq!(balance(&s).await, (Micros(25_000_000), Micros(25_000_000)));

    // The card is declined: automatic top-ups turn off, the owners are told, nothing else stops.
    stripe.decline_next_off_session("card_declined");
    charge_messages(&s, 18, "m:more").await;
    t.run_jobs().await;
    assert_eq!(balance(&s).await.0, Micros(7_000_000));
    let (_, o) = api(t, &s.token, "GET", "/api/v1/billing", None).await;
    assert_eq!(
        (o["autotopup"]["enabled"].as_bool(), o["autotopup"]["last_error"].as_str()),
        (Some(false), Some("card_declined")),
        "{o}"
    );
    let m = t.wait_mail("owner@example.com", 5).await;
    assert!(
        m.subject.contains("automatic top-up failed") && m.body.contains("card_declined"),
        "{} {}",
        m.subject,
        m.body
    );
    charge_messages(&s, 1, "m:after").await;
    t.run_jobs().await;
    assert_eq!(stripe.calls("POST /v1/payment_intents").len(), 4, "off: no more charges");
    let html = s.owner.get(t.url(&format!("/w/{}/billing", s.ws))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("auto-failed") && html.contains("visa ·4242"), "{html}");
    s.t.stop().await;
}
