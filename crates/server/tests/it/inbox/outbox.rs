//! Replies end to end: the API queues, the policy gate decides (and is audited), the send job
//! calls a loopback provider speaking the documented wire format once, statuses follow. The
//! servers here run without job workers, so each test decides when the send job runs.

use crate::helpers::*;
use crate::inbox::intake::{
    api, ig_channel, post_signed, setup_with, tg_channel, tg_update, wa_channel, Setup, BOT_TOKEN, IG_ACCOUNT, PHONE_A,
    SECRET,
};
use crate::inbox::providers::Scripted;
use reqwest::Client;
use serde_json::{json, Value};

pub(crate) const CUSTOMER: &str = "16505551234";

pub(crate) async fn setup() -> Setup {
    setup_with(Options { job_workers: Some(0), ..Default::default() }).await
}

fn now_secs(t: &TestApp) -> i64 {
    t.app().now().0 / 1000
}

/// A customer's WhatsApp text, as Meta delivers it.
pub(crate) fn wa_text(t: &TestApp, from: &str, id: &str, text: &str) -> String {
    json!({ "object": "whatsapp_business_account", "entry": [{ "id": "102290129340398", "changes": [{ "field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": { "display_phone_number": "15550783881", "phone_number_id": PHONE_A },
        "contacts": [{ "profile": { "name": "Sheena Nelson" }, "wa_id": from }],
        "messages": [{ "from": from, "id": id, "timestamp": now_secs(t).to_string(), "type": "text", "text": { "body": text } }] } }] }] })
    .to_string()
}

fn wa_status(t: &TestApp, wamid: &str, status: &str, callback: Option<&str>) -> String {
    let mut st =
        json!({ "id": wamid, "status": status, "timestamp": now_secs(t).to_string(), "recipient_id": CUSTOMER });
    if let Some(c) = callback {
        st["biz_opaque_callback_data"] = json!(c);
    }
    json!({ "object": "whatsapp_business_account", "entry": [{ "id": "102290129340398", "changes": [{ "field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": { "display_phone_number": "15550783881", "phone_number_id": PHONE_A },
        "statuses": [st] } }] }] })
    .to_string()
}

/// Posts a signed delivery and waits for the intake worker.
pub(crate) async fn deliver(t: &TestApp, ch: &str, body: &str) {
    assert_eq!(post_signed(t, &format!("/webhooks/whatsapp/{ch}"), body, SECRET).await, 200);
    t.settle().await;
}

pub(crate) async fn first_thread(t: &TestApp, token: &str) -> Value {
    let (_, v) = api(t, token, "GET", "/api/v1/threads", None).await;
    v["threads"][0].clone()
}

pub(crate) async fn thread(t: &TestApp, token: &str, id: &str) -> Value {
    let (st, v) = api(t, token, "GET", &format!("/api/v1/threads/{id}"), None).await;
    assert_eq!(st, 200, "{v}");
    v
}

pub(crate) async fn message(t: &TestApp, token: &str, thread_id: &str, id: &str) -> Value {
    let v = thread(t, token, thread_id).await;
    v["messages"].as_array().unwrap().iter().find(|m| m["id"] == id).cloned().expect("message in thread")
}

async fn reply(t: &TestApp, token: &str, thread_id: &str, text: &str) -> (u16, Value) {
    let (st, v) =
        api(t, token, "POST", &format!("/api/v1/threads/{thread_id}/messages"), Some(json!({ "text": text }))).await;
    (st.as_u16(), v)
}

pub(crate) async fn audit_outcomes(t: &TestApp, ws: &str, action: &str) -> Vec<String> {
    frontdesk_platform::audit::export(t.app(), ws)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == action)
        .map(|e| e.outcome)
        .collect()
}

/// A WhatsApp workspace with one customer who wrote: (setup, channel id, thread id).
pub(crate) async fn whatsapp_thread() -> (Setup, String, String) {
    let s = setup().await;
    // The owners' mail about the setup's API token goes first, so jobs below are this test's.
    s.t.run_jobs().await;
    let ch = wa_channel(&s.t, &s.token, PHONE_A).await;
    deliver(&s.t, &ch, &wa_text(&s.t, CUSTOMER, "wamid.IN1", "Hi! Are you open on Saturday?")).await;
    let th = first_thread(&s.t, &s.token).await["id"].as_str().unwrap().to_string();
    (s, ch, th)
}

#[tokio::test]
async fn a_reply_is_queued_sent_once_and_followed_to_read() {
    let (s, ch, th) = whatsapp_thread().await;
    let t = &s.t;
    let (_, r) = api(t, &s.token, "GET", &format!("/api/v1/threads/{th}/reply"), None).await;
    assert_eq!(r["allowed"], true, "{r}");
    assert!(r["closes_at"].is_string(), "the composer can show the 24 h countdown: {r}");
    let inbound = thread(t, &s.token, &th).await["messages"][0]["id"].as_str().unwrap().to_string();

    // 32 clients retry the same request at once: one message, one provider call.
    let url = t.url(&format!("/api/v1/threads/{th}/messages"));
    let body = json!({ "text": "Yes, we open at 9 on Saturday.", "reply_to": inbound });
    let mut tasks = vec![];
    for _ in 0..32 {
        let (url, body, token) = (url.clone(), body.clone(), s.token.clone());
        tasks.push(tokio::spawn(async move {
            let r = Client::new()
                .post(url)
                .bearer_auth(token)
                .header("idempotency-key", "reply-1")
                .json(&body)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }));
    }
    let mut created = 0;
    let mut ids = std::collections::HashSet::new();
    for task in tasks {
        let (st, v) = task.await.unwrap();
        assert!(st == 201 || st == 200, "{st} {v}");
        created += (st == 201) as usize;
        assert_eq!(v["status"], "queued", "stored as queued before any provider call");
        ids.insert(v["id"].as_str().unwrap().to_string());
    }
    assert_eq!((created, ids.len()), (1, 1), "one message for one Idempotency-Key");
    let id = ids.into_iter().next().unwrap();
    assert!(s.fake.rec.named("whatsapp send").is_empty(), "nothing sent before the worker runs");

    assert_eq!(t.run_jobs().await, 1);
    assert_eq!(t.run_jobs().await, 0);
    let sends = s.fake.rec.named("whatsapp send");
    assert_eq!(sends.len(), 1, "exactly one provider call");
    let sent = &sends[0]["body"];
    assert_eq!(sends[0]["authorization"], "Bearer wa-access-token");
    assert_eq!(sent["messaging_product"], "whatsapp");
    assert_eq!(sent["to"], CUSTOMER);
    assert_eq!(sent["type"], "text");
    assert_eq!(sent["text"]["body"], "Yes, we open at 9 on Saturday.");
    assert_eq!(sent["context"]["message_id"], "wamid.IN1", "the customer sees which message is answered");
    assert_eq!(sent["biz_opaque_callback_data"], format!("fd:{id}"));
    let read = s.fake.rec.named("whatsapp read");
    assert_eq!(read.len(), 1, "the customer's message is marked read");
    assert_eq!(read[0]["message_id"], "wamid.IN1");

    let m = message(t, &s.token, &th, &id).await;
    assert_eq!((m["status"].as_str(), m["provider_id"].as_str()), (Some("sent"), Some("wamid.OUT1")));
    assert_eq!(m["direction"], "out");
    assert_eq!(m["author"]["kind"], "api_token");
    let v = first_thread(t, &s.token).await;
    assert_eq!(v["preview"], "Yes, we open at 9 on Saturday.");

    // Statuses out of order end at the highest.
    deliver(t, &ch, &wa_status(t, "wamid.OUT1", "read", None)).await;
    deliver(t, &ch, &wa_status(t, "wamid.OUT1", "delivered", None)).await;
    assert_eq!(message(t, &s.token, &th, &id).await["status"], "read");

    assert_eq!(audit_outcomes(t, &s.ws, "message.gate").await, vec!["allowed"]);
    assert_eq!(audit_outcomes(t, &s.ws, "message.send").await, vec!["sent"]);
    s.t.stop().await;
}

#[tokio::test]
async fn the_gate_refuses_with_a_reason_and_every_decision_is_audited() {
    let (s, ch, th) = whatsapp_thread().await;
    let t = &s.t;
    let owner = &s.owner;
    let state = |th: String| {
        let token = s.token.clone();
        async move { api(t, &token, "GET", &format!("/api/v1/threads/{th}/reply"), None).await.1 }
    };

    // Viewers cannot send.
    let viewer = t.api_token(owner, &s.ws, "viewer").await;
    let (st, v) = reply(t, &viewer, &th, "hello").await;
    assert_eq!((st, v["error"]["code"].as_str()), (403, Some("forbidden")), "{v}");

    // The 24 h window.
    t.clock.advance_ms(24 * 3_600_000 + 1000);
    let (st, v) = reply(t, &s.token, &th, "Sorry for the delay").await;
    assert_eq!((st, v["error"]["code"].as_str()), (409, Some("reply_window_closed")), "{v}");
    let r = state(th.clone()).await;
    assert_eq!((r["allowed"].as_bool(), r["reason"].as_str()), (Some(false), Some("reply_window_closed")));
    assert!(r["message"].as_str().unwrap().contains("window"));
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.IN2", "Hello?")).await;
    assert_eq!(state(th.clone()).await["allowed"], true, "a new customer message reopens the window");

    // Opt-out and opt-in.
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.IN3", "STOP")).await;
    let (st, v) = reply(t, &s.token, &th, "Noted").await;
    assert_eq!((st, v["error"]["code"].as_str()), (409, Some("contact_opted_out")), "{v}");
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.IN4", "START")).await;
    assert_eq!(reply(t, &s.token, &th, "Welcome back").await.0, 201);

    // A blocked contact.
    let contact = first_thread(t, &s.token).await["contact"]["id"].as_str().unwrap().to_string();
    let (st, k) =
        api(t, &s.token, "PATCH", &format!("/api/v1/contacts/{contact}"), Some(json!({ "blocked": true }))).await;
    assert_eq!((st.as_u16(), k["blocked"].as_bool()), (200, Some(true)), "{k}");
    assert_eq!(reply(t, &s.token, &th, "hi").await.1["error"]["code"], "contact_blocked");
    api(t, &s.token, "PATCH", &format!("/api/v1/contacts/{contact}"), Some(json!({ "blocked": false }))).await;

    // A disabled channel.
    api(t, &s.token, "PATCH", &format!("/api/v1/channels/{ch}"), Some(json!({ "disabled": true }))).await;
    assert_eq!(reply(t, &s.token, &th, "hi").await.1["error"]["code"], "channel_disabled");
    api(t, &s.token, "PATCH", &format!("/api/v1/channels/{ch}"), Some(json!({ "disabled": false }))).await;

    // Bad input: clear 4xx, nothing queued.
    let path = format!("/api/v1/threads/{th}/messages");
    for (body, status, code) in [
        (json!({ "text": "" }), 422, "required"),
        (json!({ "text": "   " }), 422, "required"),
        (json!({}), 422, "required"),
        (json!({ "text": "x".repeat(4097) }), 422, "too_long"),
        (json!({ "text": 5 }), 422, "invalid_field"),
        (json!({ "text": "hi", "to": "+1555" }), 422, "invalid_field"),
        (json!({ "text": "hi", "reply_to": "nonsense" }), 422, "invalid_reply_to"),
        (json!({ "text": "bell \u{7}" }), 422, "invalid_value"),
    ] {
        let (st, v) = api(t, &s.token, "POST", &path, Some(body.clone())).await;
        assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (status, Some(code)), "{body} -> {v}");
    }
    let (st, _) =
        api(t, &s.token, "POST", "/api/v1/threads/not-a-thread/messages", Some(json!({ "text": "hi" }))).await;
    assert_eq!(st, 404);
    let r = Client::new()
        .post(t.url(&path))
        .bearer_auth(&s.token)
        .header("idempotency-key", "has spaces")
        .json(&json!({ "text": "hi" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);

    // The same key for another thread is a conflict, not a silent replay.
    deliver(t, &ch, &wa_text(t, "447700900123", "wamid.OTHER", "Hi, a question")).await;
    let other = first_thread(t, &s.token).await["id"].as_str().unwrap().to_string();
    assert_ne!(other, th);
    let send_with_key = |th: &str| {
        Client::new()
            .post(t.url(&format!("/api/v1/threads/{th}/messages")))
            .bearer_auth(&s.token)
            .header("idempotency-key", "same-key")
            .json(&json!({ "text": "hi" }))
            .send()
    };
    assert_eq!(send_with_key(&th).await.unwrap().status(), 201);
    let r = send_with_key(&other).await.unwrap();
    assert_eq!(r.status(), 409);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "idempotency_key_reused");

    let gate = audit_outcomes(t, &s.ws, "message.gate").await;
    for code in ["reply_window_closed", "contact_opted_out", "contact_blocked", "channel_disabled", "allowed"] {
        assert!(gate.iter().any(|g| g == code), "{code} audited: {gate:?}");
    }
    assert_eq!(gate.iter().filter(|g| *g == "allowed").count(), 2);
    s.t.stop().await;
}

#[tokio::test]
async fn a_stop_or_a_closing_window_before_the_send_means_no_provider_call() {
    let (s, ch, th) = whatsapp_thread().await;
    let t = &s.t;
    let (st, m) = reply(t, &s.token, &th, "Saturday 10:00 is free").await;
    assert_eq!(st, 201);
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.STOP", "stop")).await;
    t.run_jobs().await;
    let m = message(t, &s.token, &th, m["id"].as_str().unwrap()).await;
    assert_eq!((m["status"].as_str(), m["failure"].as_str()), (Some("failed"), Some("contact_opted_out")), "{m}");
    assert!(s.fake.rec.named("whatsapp send").is_empty(), "zero provider calls");

    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.START", "START")).await;
    let (_, m) = reply(t, &s.token, &th, "Still want Saturday?").await;
    t.clock.advance_ms(25 * 3_600_000);
    t.run_jobs().await;
    let m = message(t, &s.token, &th, m["id"].as_str().unwrap()).await;
    assert_eq!(m["failure"], "reply_window_closed");
    assert!(s.fake.rec.named("whatsapp send").is_empty(), "zero provider calls");
    let sends = audit_outcomes(t, &s.ws, "message.send").await;
    assert_eq!(sends, vec!["failed:contact_opted_out", "failed:reply_window_closed"]);
    s.t.stop().await;
}

#[tokio::test]
async fn provider_errors_are_retried_or_end_in_failed_with_the_providers_reason() {
    let s = setup().await;
    let t = &s.t;
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.IN1", "Price of a haircut?")).await;
    let th = first_thread(t, &s.token).await["id"].as_str().unwrap().to_string();
    let rec = &s.fake.rec;
    let calls = || rec.named("whatsapp send").len();

    // 500, then 429 with Retry-After, then success: three calls, one message sent.
    rec.script(Scripted::graph(500, 1, "An unknown error occurred"));
    rec.script(Scripted { retry_after: Some(30), ..Scripted::graph(429, 130429, "Rate limit hit") });
    let (_, m) = reply(t, &s.token, &th, "25 EUR").await;
    let id = m["id"].as_str().unwrap().to_string();
    t.run_jobs().await;
    assert_eq!(
        (calls(), message(t, &s.token, &th, &id).await["status"].as_str().map(str::to_string)),
        (1, Some("queued".into()))
    );
    t.clock.advance_ms(5_100);
    t.run_jobs().await;
    assert_eq!(calls(), 2);
    t.clock.advance_ms(10_000);
    assert_eq!(t.run_jobs().await, 0, "Retry-After is honoured");
    t.clock.advance_ms(21_000);
    t.run_jobs().await;
    assert_eq!(calls(), 3);
    assert_eq!(message(t, &s.token, &th, &id).await["status"], "sent");

    // A closed window reported by the provider closes it for later replies too.
    rec.script(Scripted::graph(400, 131047, "Re-engagement message"));
    let (_, m) = reply(t, &s.token, &th, "Anything else?").await;
    t.run_jobs().await;
    let m = message(t, &s.token, &th, m["id"].as_str().unwrap()).await;
    assert_eq!((m["status"].as_str(), m["failure"].as_str()), (Some("failed"), Some("reply_window_closed")), "{m}");
    assert_eq!(m["error"]["code"], 131047);
    assert_eq!(m["error"]["title"], "Re-engagement message");
    let (st, v) = reply(t, &s.token, &th, "Hello?").await;
    assert_eq!((st, v["error"]["code"].as_str()), (409, Some("reply_window_closed")));
    // The customer writes again (provider timestamps have whole seconds).
    t.clock.advance_ms(2_000);
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.IN2", "Yes, a beard trim")).await;

    // 131050: the customer stopped messages from the business: an opt-out in the ledger.
    rec.script(Scripted::graph(400, 131050, "User has stopped messages from this business"));
    let (_, m) = reply(t, &s.token, &th, "15 EUR").await;
    t.run_jobs().await;
    let m = message(t, &s.token, &th, m["id"].as_str().unwrap()).await;
    assert_eq!(m["failure"], "contact_opted_out");
    let contact = first_thread(t, &s.token).await["contact"]["id"].as_str().unwrap().to_string();
    let (_, consent) = api(t, &s.token, "GET", &format!("/api/v1/contacts/{contact}/consent"), None).await;
    assert_eq!(consent["state"][0]["state"], "opt_out", "{consent}");
    assert!(consent["events"].as_array().unwrap().iter().any(|e| e["source"] == "provider"));
    t.clock.advance_ms(2_000);
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.IN3", "start")).await;

    // Any other refusal: failed with the provider's code and sentence.
    rec.script(Scripted::graph(400, 100, "Invalid parameter"));
    let (_, m) = reply(t, &s.token, &th, "See you").await;
    t.run_jobs().await;
    let m = message(t, &s.token, &th, m["id"].as_str().unwrap()).await;
    assert_eq!((m["failure"].as_str(), m["error"]["code"].as_i64()), (Some("provider_rejected"), Some(100)));
    // The thread stays answerable after an unrelated refusal.
    assert_eq!(reply(t, &s.token, &th, "See you on Saturday").await.0, 201);
    s.t.stop().await;
}

#[tokio::test]
async fn a_provider_that_times_out_is_retried() {
    let fake = crate::inbox::providers::FakeProviders::start().await;
    let mut inbox = fake.inbox_settings();
    inbox.send_timeout_ms = 300;
    let s = setup_with(Options { job_workers: Some(0), inbox: Some(inbox), ..Default::default() }).await;
    let t = &s.t;
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.IN1", "Hello")).await;
    let th = first_thread(t, &s.token).await["id"].as_str().unwrap().to_string();
    fake.rec.script(Scripted { status: 500, body: json!({}), retry_after: None, delay_ms: 1_500 });
    let (_, m) = reply(t, &s.token, &th, "Hi!").await;
    let id = m["id"].as_str().unwrap().to_string();
    t.run_jobs().await;
    assert_eq!(message(t, &s.token, &th, &id).await["status"], "queued", "a timeout is retried later");
    t.clock.advance_ms(5_100);
    t.run_jobs().await;
    assert_eq!(message(t, &s.token, &th, &id).await["status"], "sent");
    assert_eq!(fake.rec.named("whatsapp send").len(), 2);
    s.t.stop().await;
}

#[tokio::test]
async fn a_send_cut_short_by_a_crash_is_never_repeated_and_is_matched_by_its_status() {
    let (s, ch, th) = whatsapp_thread().await;
    let t = &s.t;
    let begin = |id: String| async move {
        let mut c = t.app().db.conn().await.unwrap();
        let id = frontdesk_core::MessageId::parse(&id).unwrap();
        assert!(frontdesk_inbox::repo::inbox::begin_send(&mut c, &id, t.app().now()).await.unwrap());
    };
    // The server stopped during the provider call: the answer was lost.
    let (_, m) = reply(t, &s.token, &th, "First").await;
    let first = m["id"].as_str().unwrap().to_string();
    begin(first.clone()).await;
    t.run_jobs().await;
    let m = message(t, &s.token, &th, &first).await;
    assert_eq!((m["status"].as_str(), m["failure"].as_str()), (Some("failed"), Some("unknown_outcome")));
    assert!(s.fake.rec.named("whatsapp send").is_empty(), "never sent twice");

    // The same, but WhatsApp's status carries our id back: the message is matched.
    let (_, m) = reply(t, &s.token, &th, "Second").await;
    let second = m["id"].as_str().unwrap().to_string();
    begin(second.clone()).await;
    deliver(t, &ch, &wa_status(t, "wamid.LOST", "delivered", Some(&format!("fd:{second}")))).await;
    t.run_jobs().await;
    let m = message(t, &s.token, &th, &second).await;
    assert_eq!((m["status"].as_str(), m["provider_id"].as_str()), (Some("delivered"), Some("wamid.LOST")), "{m}");
    assert!(s.fake.rec.named("whatsapp send").is_empty());
    s.t.stop().await;
}

#[tokio::test]
async fn telegram_and_instagram_replies_use_their_wire_formats() {
    let s = setup().await;
    let t = &s.t;
    let rec = &s.fake.rec;
    // Telegram.
    let (tg, secret) = tg_channel(t, &s.token, &s.fake).await;
    let update = json!({ "update_id": 500, "message": { "message_id": 77, "date": now_secs(t),
        "from": { "id": 424242, "is_bot": false, "first_name": "Ana", "language_code": "es" },
        "chat": { "id": 424242, "type": "private", "first_name": "Ana" }, "text": "¿Tenéis cita mañana?" } });
    tg_update(t, &tg, &secret, &update).await;
    let th = first_thread(t, &s.token).await["id"].as_str().unwrap().to_string();
    let inbound = thread(t, &s.token, &th).await["messages"][0]["id"].as_str().unwrap().to_string();
    let (st, m) = api(
        t,
        &s.token,
        "POST",
        &format!("/api/v1/threads/{th}/messages"),
        Some(json!({ "text": "Sí, a las 11.", "reply_to": inbound })),
    )
    .await;
    assert_eq!(st, 201, "{m}");
    t.run_jobs().await;
    let calls = rec.named("telegram sendMessage");
    assert_eq!(calls.len(), 1);
    let body = &calls[0]["body"];
    assert_eq!((body["chat_id"].as_i64(), body["text"].as_str()), (Some(424242), Some("Sí, a las 11.")));
    assert_eq!(body["reply_parameters"]["message_id"], 77);
    assert_eq!(calls[0]["token"], BOT_TOKEN);
    let m = message(t, &s.token, &th, m["id"].as_str().unwrap()).await;
    assert_eq!((m["status"].as_str(), m["provider_id"].as_str()), (Some("sent"), Some("424242:9001")));
    // Blocked by the user: the ledger records the opt-out and the composer says why.
    rec.script(Scripted::error(
        403,
        json!({ "ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user" }),
    ));
    reply(t, &s.token, &th, "¿Confirmamos?").await;
    t.run_jobs().await;
    let (_, r) = api(t, &s.token, "GET", &format!("/api/v1/threads/{th}/reply"), None).await;
    assert_eq!(r["reason"], "contact_opted_out", "{r}");

    // Instagram: RESPONSE within 24 h, HUMAN_AGENT up to 7 days for a person.
    let ig = ig_channel(t, &s.token).await;
    let dm = json!({ "object": "instagram", "entry": [{ "time": t.app().now().0, "id": IG_ACCOUNT, "messaging": [{
        "sender": { "id": "1914016295355101" }, "recipient": { "id": IG_ACCOUNT }, "timestamp": t.app().now().0,
        "message": { "mid": "aWdfZAG1IN1", "text": "Do you do nails?" } }] }] })
    .to_string();
    assert_eq!(post_signed(t, &format!("/webhooks/instagram/{ig}"), &dm, SECRET).await, 200);
    t.settle().await;
    let th = first_thread(t, &s.token).await["id"].as_str().unwrap().to_string();
    reply(t, &s.token, &th, "Yes!").await;
    t.run_jobs().await;
    t.clock.advance_ms(30 * 3_600_000);
    assert_eq!(reply(t, &s.token, &th, "Still interested?").await.0, 201);
    t.run_jobs().await;
    let calls = rec.named("instagram send");
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0]["recipient"]["id"], "1914016295355101");
    assert_eq!(calls[0]["message"]["text"], "Yes!");
    assert_eq!(calls[0]["messaging_type"], "RESPONSE");
    assert_eq!(
        (calls[1]["messaging_type"].as_str(), calls[1]["tag"].as_str()),
        (Some("MESSAGE_TAG"), Some("HUMAN_AGENT"))
    );
    t.clock.advance_ms(7 * 24 * 3_600_000);
    assert_eq!(reply(t, &s.token, &th, "Hello?").await.1["error"]["code"], "reply_window_closed");
    s.t.stop().await;
}

#[tokio::test]
async fn an_agent_answers_live_in_a_real_browser() {
    let Some(dir) = crate::inbox::webchat::browser_tools() else { return };
    // Job workers on, as in production: the reply goes out by itself.
    let s = setup_with(Options::default()).await;
    let t = &s.t;
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    let (st, v) = api(
        t,
        &s.token,
        "POST",
        "/api/v1/saved-replies",
        Some(json!({ "shortcut": "saturday", "body": "Hi {{first_name}}, we open at 9 on Saturday." })),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    let args = [t.url(""), "owner@example.com".into(), PASSWORD.into(), s.ws.clone()];
    let mut b = crate::inbox::webchat::BrowserScript::start(&dir, "inbox.mjs", &args);
    let v = b.step("inbox").await;
    assert_eq!(v["empty"], 1, "a new inbox says it is empty: {v}");
    assert_eq!(v["home"], t.url(&format!("/w/{}", s.ws)), "signing in lands on Home: {v}");
    assert_eq!(v["checklist"], 1, "with the setup checklist: {v}");
    assert_eq!(v["url"], t.url(&format!("/w/{}/inbox", s.ws)), "the sidebar leads to the inbox: {v}");

    // A customer writes while the agent looks at the inbox.
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.IN1", "Hi! Are you open on Saturday?")).await;
    b.go().await;
    let v = b.step("live").await;
    assert!(v["preview"].as_str().unwrap().contains("Sheena Nelson"), "{v}");
    assert_eq!(v["unread"], "1", "one unread message: {v}");
    assert!(v["title"].as_str().unwrap().starts_with("(1) Inbox"), "the tab shows the unread count: {v}");
    let th = first_thread(t, &s.token).await["id"].as_str().unwrap().to_string();
    assert_eq!(
        v["notes"],
        json!([{ "title": "Sheena Nelson", "body": "Hi! Are you open on Saturday?", "tag": th }]),
        "a desktop notification for the unassigned thread"
    );

    // The agent replied with the keyboard; the send job delivered it to the provider once.
    let v = b.step("sent").await;
    assert_eq!(v["focused"], "reply", "r focuses the composer: {v}");
    assert_eq!(v["suggested"], 1, "/sat offers the saved reply: {v}");
    assert_eq!(v["inserted"], "Hi Sheena, we open at 9 on Saturday.", "filled in for the contact");
    assert!(v["windowText"].as_str().unwrap().starts_with("Reply window closes in 24 h"), "{v}");
    assert_eq!(v["text"], "Hi Sheena, we open at 9 on Saturday.");
    assert_eq!(v["cleared"], "", "the composer is emptied after sending");
    assert_eq!(v["sender"], "Test Person", "a sent message says who sent it: {v}");
    assert_eq!(v["panes"], json!(["list", "conversation", "details"]), "three panes at 1280 px: {v}");
    let sends = s.fake.rec.named("whatsapp send");
    assert_eq!(sends.len(), 1, "one provider call");
    assert_eq!(sends[0]["body"]["text"]["body"], "Hi Sheena, we open at 9 on Saturday.");
    // The agent attached an image with a caption from the composer.
    let v = b.step("attached").await;
    assert_eq!(
        (v["caption"].as_str(), v["alt"].as_str(), v["cleared"].as_str()),
        (Some("Our price list"), Some("prices.png"), Some("")),
        "{v}"
    );
    let sends = s.fake.rec.named("whatsapp send");
    assert_eq!(sends.len(), 2);
    assert_eq!(
        (sends[1]["body"]["type"].as_str(), sends[1]["body"]["image"]["caption"].as_str()),
        (Some("image"), Some("Our price list"))
    );
    assert_eq!(s.fake.rec.named("whatsapp upload").len(), 1);
    let msgs = thread(t, &s.token, &th).await["messages"].clone();
    let wamid = msgs.as_array().unwrap().iter().find(|m| m["direction"] == "out").unwrap()["provider_id"]
        .as_str()
        .expect("the provider's id is kept")
        .to_string();

    // Meta reports the delivery.
    deliver(t, &ch, &wa_status(t, &wamid, "delivered", None)).await;
    b.go().await;
    let v = b.step("delivered").await;
    assert_eq!(v["tick"], "✓✓ delivered");

    // The customer opts out: the composer is closed, with the reason.
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.IN2", "STOP")).await;
    b.go().await;
    let v = b.step("stopped").await;
    assert_eq!(v["reason"], "contact_opted_out", "{v}");
    assert_eq!(v["sendDisabled"], true);
    assert!(v["text"].as_str().unwrap().to_lowercase().contains("opted out"), "{v}");

    let v = b.step("done").await;
    assert!(v["overflow"].as_i64().unwrap() <= 0, "no sideways scrolling on a phone: {v}");
    assert_eq!(v["errors"], json!([]), "no script errors");
    assert_eq!(v["phonePanes"], json!(["conversation"]), "one pane at a time on a phone: {v}");
    assert_eq!(v["back"], true, "with a way back to the list: {v}");
    assert_eq!(v["signOut"]["visible"], true, "{v}");
    assert_ne!(v["signOut"]["contrast"]["color"], v["signOut"]["contrast"]["background"], "{v}");
    assert_eq!(v["signOut"]["url"], t.url("/login"), "signing out works: {v}");
    assert_eq!(s.fake.rec.named("whatsapp send").len(), 2, "nothing else was sent");
    b.finish().await;
    s.t.stop().await;
}

/// Two server nodes on one PostgreSQL database: an agent whose inbox page is connected to node
/// B sees, live, a reply that another agent sent through node A (LISTEN/NOTIFY). The reply's
/// `message.created` is published by the node that took the request, so only the fan-out can
/// bring it to B. On SQLite one process owns the database: there is no second node to test.
#[tokio::test]
async fn live_events_cross_server_nodes_on_postgres() {
    if std::env::var("TEST_DATABASE_URL").map_or(true, |u| u.is_empty()) {
        eprintln!("PostgreSQL only: CI runs it in the PostgreSQL pass");
        return;
    }
    let (s, _ch, th) = whatsapp_thread().await;
    let a = &s.t;
    let b = spawn_with(Options {
        database_url: Some(a.config.database.url.clone()),
        inbox: Some(s.fake.inbox_settings()),
        job_workers: Some(0),
        ..Default::default()
    })
    .await;
    let agent = b.client();
    assert_eq!(b.login(&agent, "owner@example.com", PASSWORD).await.status(), 303);
    let mut stream = agent.get(b.url(&format!("/w/{}/inbox/events", s.ws))).send().await.unwrap();
    assert_eq!(stream.status(), 200);
    assert!(stream.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    // Let node B's listener finish connecting.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    let (st, m) = reply(a, &s.token, &th, "Sent through node A").await;
    assert_eq!(st, 201, "{m}");
    let id = m["id"].as_str().unwrap().to_string();
    let mut seen = String::new();
    let got = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        while let Some(chunk) = stream.chunk().await.unwrap() {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains(&id) {
                return true;
            }
        }
        false
    })
    .await;
    assert!(matches!(got, Ok(true)), "node B streams node A's new message: {seen:?}");
    assert!(seen.contains("message.created") && seen.contains(&th), "{seen}");
    drop(stream);
    // Node B goes first; node A drops the shared database when it stops.
    let mut b = b;
    b.running.take().unwrap().stop().await;
    s.t.stop().await;
}

#[tokio::test]
async fn saved_replies_are_managed_and_filled_in_for_the_thread() {
    let (s, _ch, th) = whatsapp_thread().await;
    let t = &s.t;
    let post = |body: Value| api(t, &s.token, "POST", "/api/v1/saved-replies", Some(body));
    let (st, hours) =
        post(json!({ "shortcut": "/Hours", "body": "Hi {{first_name}}, {{business}} opens at 9." })).await;
    assert_eq!(st, 201, "{hours}");
    assert_eq!(hours["shortcut"], "hours", "the slash and case are dropped");
    let (st, e) = post(json!({ "shortcut": "hours", "body": "Again" })).await;
    assert_eq!((st.as_u16(), e["error"]["code"].as_str()), (409, Some("shortcut_taken")), "{e}");
    let (st, e) = post(json!({ "shortcut": "bye", "body": "Bye {{surname}}" })).await;
    assert_eq!((st.as_u16(), e["error"]["code"].as_str()), (422, Some("unknown_variable")), "{e}");
    let (st, e) = post(json!({ "shortcut": "two words", "body": "x" })).await;
    assert_eq!((st.as_u16(), e["error"]["field"].as_str()), (422, Some("shortcut")), "{e}");

    let (_, filled) = api(t, &s.token, "GET", &format!("/api/v1/threads/{th}/saved-replies"), None).await;
    assert_eq!(filled["saved_replies"][0]["text"], "Hi Sheena, Salon A opens at 9.", "{filled}");
    // The thread page offers them to the composer, filled in.
    let page = s.owner.get(t.url(&format!("/w/{}/inbox/{th}", s.ws))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"data-shortcut="hours""#) && page.contains("Hi Sheena, Salon A opens at 9."), "{page}");

    let id = hours["id"].as_str().unwrap();
    let (st, v) =
        api(t, &s.token, "PATCH", &format!("/api/v1/saved-replies/{id}"), Some(json!({ "body": "We open at 10." })))
            .await;
    assert_eq!((st.as_u16(), v["body"].as_str()), (200, Some("We open at 10.")), "{v}");
    let (st, _) = api(t, &s.token, "DELETE", &format!("/api/v1/saved-replies/{id}"), None).await;
    assert_eq!(st, 204);
    let (_, list) = api(t, &s.token, "GET", "/api/v1/saved-replies", None).await;
    assert_eq!(list["saved_replies"], json!([]));
    assert_eq!(audit_outcomes(t, &s.ws, "saved_reply.create").await.len(), 1);
    assert_eq!(audit_outcomes(t, &s.ws, "saved_reply.delete").await.len(), 1);
    s.t.stop().await;
}

#[tokio::test]
async fn the_inbox_page_filters_by_assignee_and_channel() {
    let (s, ch, th) = whatsapp_thread().await;
    let t = &s.t;
    let page = |q: &str| {
        let url = t.url(&format!("/w/{}/inbox?{q}", s.ws));
        let c = s.owner.clone();
        async move { c.get(url).send().await.unwrap().text().await.unwrap() }
    };
    let row = format!(r#"data-thread="{th}""#);
    assert!(page("assignee=none").await.contains(&row), "unassigned");
    assert!(!page("assignee=me").await.contains(&row), "not mine yet");
    assert!(page(&format!("channel={ch}")).await.contains(&row));
    let other = crate::inbox::intake::wa_channel(t, &s.token, "106540352242999").await;
    assert!(!page(&format!("channel={other}")).await.contains(&row), "another channel's list");
    let me = s.owner.get(t.url("/api/v1/me")).send().await.unwrap().json::<Value>().await.unwrap()["id"].clone();
    let (st, _) = api(t, &s.token, "PATCH", &format!("/api/v1/threads/{th}"), Some(json!({ "assignee_id": me }))).await;
    assert_eq!(st, 200);
    let mine = page("assignee=me").await;
    assert!(mine.contains(&row), "assigned to me");
    assert!(mine.contains(r#"<option value="me" selected>"#), "the filter stays chosen");
    s.t.stop().await;
}

#[tokio::test]
async fn the_thread_page_shows_the_contact_with_consent_and_other_conversations() {
    let (s, ch, th) = whatsapp_thread().await;
    let t = &s.t;
    let page = || {
        let url = t.url(&format!("/w/{}/inbox/{th}", s.ws));
        let c = s.owner.clone();
        async move { c.get(url).send().await.unwrap().text().await.unwrap() }
    };
    let p = page().await;
    assert!(p.contains(r#"id="contact""#) && p.contains("Sheena Nelson"), "{p}");
    assert!(p.contains(CUSTOMER), "the WhatsApp number is shown: {p}");
    assert!(p.contains(r#"data-consent="opt_in""#), "{p}");
    assert!(!p.contains("other-threads"), "no other conversations yet");

    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.IN9", "STOP")).await;
    let p = page().await;
    assert!(p.contains(r#"data-consent="opt_out""#) && p.contains("History (1)"), "{p}");

    // Resolved, then the customer writes again: a second thread, linked from the first.
    let (st, _) = api(t, &s.token, "PATCH", "/api/v1/inbox/settings", Some(json!({ "reopen_resolved": false }))).await;
    assert_eq!(st, 200);
    let (st, _) =
        api(t, &s.token, "PATCH", &format!("/api/v1/threads/{th}"), Some(json!({ "status": "resolved" }))).await;
    assert_eq!(st, 200);
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.IN10", "START")).await;
    let (_, list) = api(t, &s.token, "GET", "/api/v1/threads?status=open", None).await;
    let newer = list["threads"][0]["id"].as_str().unwrap().to_string();
    assert_ne!(newer, th, "a new thread");
    let p = page().await;
    assert!(p.contains("other-threads") && p.contains(&newer), "{p}");
    assert!(p.contains(r#"data-consent="opt_in""#) && p.contains("History (2)"), "START again: {p}");
    s.t.stop().await;
}

#[tokio::test]
async fn an_agent_snoozes_a_thread_from_its_page() {
    let (s, _ch, th) = whatsapp_thread().await;
    let t = &s.t;
    let r = s
        .owner
        .post(t.url(&format!("/w/{}/inbox/{th}", s.ws)))
        .form(&[("status", "snoozed"), ("assignee", ""), ("labels", ""), ("snooze_hours", "4")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let v = thread(t, &s.token, &th).await;
    assert_eq!(v["status"], "snoozed", "{v}");
    assert!(v["snoozed_until"].is_string(), "{v}");
    let p = s.owner.get(t.url(&format!("/w/{}/inbox/{th}", s.ws))).send().await.unwrap().text().await.unwrap();
    assert!(p.contains("Snoozed until"), "{p}");
    s.t.stop().await;
}

#[tokio::test]
async fn a_new_workspace_gets_a_checklist_on_its_home_until_it_is_set_up() {
    let s = setup().await;
    let t = &s.t;
    let inbox = || {
        let url = t.url(&format!("/w/{}", s.ws));
        let c = s.owner.clone();
        async move { c.get(url).send().await.unwrap().text().await.unwrap() }
    };
    let p = inbox().await;
    assert!(p.contains(r#"id="onboarding""#), "{p}");
    assert_eq!(p.matches(r#"data-done="false""#).count(), 4, "{p}");
    wa_channel(t, &s.token, PHONE_A).await;
    assert_eq!(inbox().await.matches(r#"data-done="false""#).count(), 3);
    // Skippable and resumable.
    let skip = |v: &'static str| {
        let url = t.url(&format!("/w/{}/setup", s.ws));
        let c = s.owner.clone();
        async move { c.post(url).form(&[("skip", v)]).send().await.unwrap().status() }
    };
    assert_eq!(skip("yes").await, 303);
    let p = inbox().await;
    assert!(!p.contains(r#"id="onboarding""#) && p.contains("Resume the checklist"), "{p}");
    assert_eq!(skip("no").await, 303);
    assert!(inbox().await.contains(r#"id="onboarding""#));
    // The first step wants the business profile and the hours.
    let hours = json!({ "hours": { "time_zone": "Europe/Madrid", "ranges": [{ "day": "mon", "open": "09:00", "close": "18:00" }] } });
    let (st, _) = api(t, &s.token, "PUT", "/api/v1/business-hours", Some(hours)).await;
    assert_eq!(st, 200);
    assert_eq!(inbox().await.matches(r#"data-done="false""#).count(), 3, "hours alone are not the profile");
    let r = s
        .owner
        .post(t.url(&format!("/w/{}/settings/profile", s.ws)))
        .form(&[
            ("name", "Salon"),
            ("slug", "salon-checklist"),
            ("time_zone", "Europe/Madrid"),
            ("phone", "+34 600 000 000"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(inbox().await.matches(r#"data-done="false""#).count(), 2);
    let (st, _) = api(
        t,
        &s.token,
        "POST",
        &format!("/api/v1/workspaces/{}/invitations", s.ws),
        Some(json!({ "email": "colleague@example.com", "role": "agent" })),
    )
    .await;
    assert_eq!(st, 201);
    let (st, _) =
        api(t, &s.token, "POST", "/api/v1/saved-replies", Some(json!({ "shortcut": "hi", "body": "Hello!" }))).await;
    assert_eq!(st, 201);
    assert!(!inbox().await.contains(r#"id="onboarding""#), "gone once everything is done");
    s.t.stop().await;
}
