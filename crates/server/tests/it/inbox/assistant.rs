//! The AI assistant end to end: the local grounded assistant drafts from the knowledge base and
//! a person sends, edits or discards; auto mode sends only what passes every condition; a
//! request for a person pauses it; external providers (a loopback server speaking the OpenAI
//! and Anthropic formats) get only retrieved facts and the masked question, every call is in
//! the ledger without content, and errors are clear. AI off: no job, no call, drafts purged.

use crate::helpers::*;
use crate::inbox::intake::{api, setup_with, wa_channel, Setup, PHONE_A};
use crate::inbox::outbox::{audit_outcomes, deliver, first_thread, wa_text, CUSTOMER};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

async fn setup() -> Setup {
    setup_with(Options { job_workers: Some(0), allow_private: vec!["127.0.0.0/8".into()], ..Default::default() }).await
}

fn demo() -> Value {
    serde_json::to_value(frontdesk_assistant::Knowledge::demo()).unwrap()
}

async fn drain(t: &TestApp) {
    while t.run_jobs().await > 0 {}
}

async fn drafts(t: &TestApp, token: &str, th: &str) -> Vec<Value> {
    let (st, v) = api(t, token, "GET", &format!("/api/v1/threads/{th}/drafts"), None).await;
    assert_eq!(st, 200, "{v}");
    v["drafts"].as_array().unwrap().clone()
}

async fn put(t: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    let (st, v) = api(t, token, "PUT", path, Some(body)).await;
    (st.as_u16(), v)
}

/// A customer message, then every job; returns the thread (the latest active one).
async fn ask(s: &Setup, ch: &str, from: &str, id: &str, text: &str) -> String {
    deliver(&s.t, ch, &wa_text(&s.t, from, id, text)).await;
    drain(&s.t).await;
    first_thread(&s.t, &s.token).await["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_local_assistant_drafts_from_the_knowledge_base_and_a_person_decides() {
    let s = setup().await;
    let t = &s.t;
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    let (_, v) = api(t, &s.token, "GET", "/api/v1/assistant", None).await;
    assert_eq!((v["mode"].as_str(), v["provider"].as_str()), (Some("draft"), Some("local")), "{v}");

    // Not set up yet: no job, no draft.
    let th = ask(&s, &ch, CUSTOMER, "wamid.K0", "Hello!").await;
    assert!(drafts(t, &s.token, &th).await.is_empty());

    // A knowledge base with a mistake is refused; the demo one is taken.
    let mut bad = demo();
    bad["profile"]["hours"][0]["open"] = json!("25:00");
    let (st, v) = put(t, &s.token, "/api/v1/assistant/knowledge", bad).await;
    assert_eq!(st, 422, "{v}");
    let (st, v) = put(t, &s.token, "/api/v1/assistant/knowledge", demo()).await;
    assert_eq!(st, 200, "{v}");

    let th = ask(&s, &ch, CUSTOMER, "wamid.K1", "How much is a women's haircut?").await;
    let list = drafts(t, &s.token, &th).await;
    assert_eq!(list.len(), 1, "{list:?}");
    let d = &list[0];
    assert_eq!(
        (d["outcome"].as_str(), d["provider"].as_str(), d["status"].as_str()),
        (Some("answer"), Some("local"), Some("draft"))
    );
    assert!(d["text"].as_str().unwrap().contains("35"), "{d}");
    assert_eq!(d["grounded"], true);
    assert!(s.fake.rec.named("whatsapp send").is_empty(), "draft mode sends nothing by itself");

    // A person edits and sends it: an ordinary reply through the gate.
    let id = d["id"].as_str().unwrap();
    let (st, m) = api(
        t,
        &s.token,
        "POST",
        &format!("/api/v1/drafts/{id}/send"),
        Some(json!({ "text": "Hi! A women's haircut is €35.00." })),
    )
    .await;
    assert_eq!(st, 201, "{m}");
    let (st, again) = api(t, &s.token, "POST", &format!("/api/v1/drafts/{id}/send"), None).await;
    assert_eq!((st.as_u16(), &again["id"]), (200, &m["id"]), "a second click is the same message");
    drain(t).await;
    let sends = s.fake.rec.named("whatsapp send");
    assert_eq!(sends.len(), 1);
    assert_eq!(sends[0]["body"]["text"]["body"], "Hi! A women's haircut is €35.00.");
    let d = &drafts(t, &s.token, &th).await[0];
    assert_eq!((d["status"].as_str(), d["sent_message_id"].as_str()), (Some("sent"), m["id"].as_str()));

    // Unanswerable: a hand-over draft, discarded.
    ask(&s, &ch, CUSTOMER, "wamid.K2", "Do you do tattoos?").await;
    let list = drafts(t, &s.token, &th).await;
    let d = list.last().unwrap();
    assert_eq!(d["outcome"], "handover", "{d}");
    let id = d["id"].as_str().unwrap();
    let (st, _) = api(t, &s.token, "POST", &format!("/api/v1/drafts/{id}/discard"), None).await;
    assert_eq!(st, 204);
    let (st, v) = api(t, &s.token, "POST", &format!("/api/v1/drafts/{id}/discard"), None).await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (409, Some("draft_decided")));
    // On demand, from the composer.
    let (st, v) = api(t, &s.token, "POST", &format!("/api/v1/threads/{th}/drafts"), None).await;
    assert_eq!(st, 201, "{v}");
    let actions = ["ai.draft", "ai.edit", "ai.discard"];
    for a in actions {
        assert!(!audit_outcomes(t, &s.ws, a).await.is_empty(), "{a} is audited");
    }

    // Off: drafts purged, no job for a new message, none on demand.
    let (st, v) = put(t, &s.token, "/api/v1/assistant", json!({ "mode": "off" })).await;
    assert_eq!(st, 200, "{v}");
    assert!(drafts(t, &s.token, &th).await.is_empty(), "drafts are purged when AI is turned off");
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.K3", "And a men's haircut?")).await;
    assert_eq!(t.run_jobs().await, 0, "no assistant job while off");
    let (st, v) = api(t, &s.token, "POST", &format!("/api/v1/threads/{th}/drafts"), None).await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (409, Some("ai_off")));
    s.t.stop().await;
}

#[tokio::test]
async fn auto_mode_sends_only_what_passes_every_condition() {
    let s = setup().await;
    let t = &s.t;
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    put(t, &s.token, "/api/v1/assistant/knowledge", demo()).await;
    let body = json!({ "mode": "auto", "allow_topics": ["services", "hours", "location", "contact"], "auto_in_hours_only": false,
                       "disclosure": { "enabled": true, "text": "(Automated reply)" } });
    let (st, v) = put(t, &s.token, "/api/v1/assistant", body).await;
    assert_eq!(st, 200, "{v}");

    let th = ask(&s, &ch, CUSTOMER, "wamid.A1", "How much is a women's haircut?").await;
    let sends = s.fake.rec.named("whatsapp send");
    assert_eq!(sends.len(), 1, "a grounded answer on an allowed topic goes out");
    let text = sends[0]["body"]["text"]["body"].as_str().unwrap();
    assert!(text.contains("35") && text.ends_with("(Automated reply)"), "{text}");
    assert_eq!(drafts(t, &s.token, &th).await[0]["status"], "auto_sent");
    assert!(audit_outcomes(t, &s.ws, "message.gate").await.contains(&"allowed:ai_auto".to_string()));
    assert_eq!(audit_outcomes(t, &s.ws, "ai.auto_send").await, vec!["gate:allowed"]);
    let page = s.owner.get(t.url(&format!("/w/{}/inbox/{th}", s.ws))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"<span class="sender">Assistant</span>"#), "the page says the assistant sent it");

    // A topic that is not on the allow-list stays a draft, with the reason.
    ask(&s, &ch, CUSTOMER, "wamid.A2", "Is there parking nearby?").await;
    let d = drafts(t, &s.token, &th).await.last().cloned().unwrap();
    assert_eq!((d["status"].as_str(), d["held_because"].as_str()), (Some("draft"), Some("topic_not_allowed")), "{d}");
    assert_eq!(s.fake.rec.named("whatsapp send").len(), 1);

    // Outside business hours, when the workspace asks for that: held.
    put(t, &s.token, "/api/v1/assistant", json!({ "auto_in_hours_only": true })).await;
    let closed = json!({ "hours": { "time_zone": "UTC", "ranges": [], "closed_dates": [] } });
    put(t, &s.token, "/api/v1/business-hours", closed).await;
    ask(&s, &ch, CUSTOMER, "wamid.A3", "What is your address?").await;
    let d = drafts(t, &s.token, &th).await.last().cloned().unwrap();
    assert_eq!(d["held_because"], "outside_hours", "{d}");
    put(t, &s.token, "/api/v1/assistant", json!({ "auto_in_hours_only": false })).await;

    // The customer asks for a person: told so, and the assistant stops for this thread.
    ask(&s, &ch, CUSTOMER, "wamid.A4", "Can I talk to a real person please?").await;
    let sends = s.fake.rec.named("whatsapp send");
    assert_eq!(sends.len(), 2);
    assert!(sends[1]["body"]["text"]["body"].as_str().unwrap().contains("colleague"), "{}", sends[1]);
    assert!(audit_outcomes(t, &s.ws, "ai.handover").await.contains(&"human_requested".to_string()));
    ask(&s, &ch, CUSTOMER, "wamid.A5", "How much is a men's haircut?").await;
    assert_eq!(s.fake.rec.named("whatsapp send").len(), 2, "paused: nothing automatic");
    let (st, _) = api(t, &s.token, "POST", &format!("/api/v1/threads/{th}/assistant/resume"), None).await;
    assert_eq!(st, 204);
    ask(&s, &ch, CUSTOMER, "wamid.A6", "How much is a men's haircut?").await;
    assert_eq!(s.fake.rec.named("whatsapp send").len(), 3, "resumed");

    // After STOP the gate refuses the automatic reply.
    ask(&s, &ch, CUSTOMER, "wamid.A7", "STOP").await;
    ask(&s, &ch, CUSTOMER, "wamid.A8", "How much is a women's haircut?").await;
    assert_eq!(s.fake.rec.named("whatsapp send").len(), 3);
    let d = drafts(t, &s.token, &th).await.last().cloned().unwrap();
    assert_eq!(d["held_because"], "contact_opted_out", "{d}");
    s.t.stop().await;
}

/// A loopback model server speaking the OpenAI chat-completions and Anthropic Messages formats.
#[derive(Clone, Default)]
struct Model {
    calls: Arc<Mutex<Vec<Value>>>,
    /// (status, body, delay ms) for the next calls; empty: a normal answer.
    script: Arc<Mutex<VecDeque<(u16, Value, u64)>>>,
    answer: Arc<Mutex<String>>,
}

impl Model {
    async fn start() -> (Self, String) {
        let m =
            Model { answer: Arc::new(Mutex::new("A women's haircut costs €35.00.".into())), ..Default::default() };
        let app = Router::new()
            .route("/v1/chat/completions", post(openai))
            .route("/v1/messages", post(anthropic))
            .with_state(m.clone());
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", l.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(l, app).await;
        });
        (m, base)
    }
    fn script(&self, status: u16, body: Value, delay: u64) {
        self.script.lock().unwrap().push_back((status, body, delay));
    }
    fn calls(&self) -> Vec<Value> {
        self.calls.lock().unwrap().clone()
    }
    async fn next(&self, headers: &HeaderMap, body: Value, ok: Value) -> axum::response::Response {
        let h = |k: &str| headers.get(k).and_then(|v| v.to_str().ok()).map(str::to_string);
        self.calls.lock().unwrap().push(json!({ "body": body, "authorization": h("authorization"), "x-api-key": h("x-api-key"), "anthropic-version": h("anthropic-version") }));
        let next = self.script.lock().unwrap().pop_front();
        match next {
            None => Json(ok).into_response(),
            Some((status, body, delay)) => {
                tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
                if status == 200 && body.is_string() {
                    return ([("content-type", "application/json")], body.as_str().unwrap().to_string())
                        .into_response();
                }
                (axum::http::StatusCode::from_u16(status).unwrap(), Json(body)).into_response()
            }
        }
    }
}

async fn openai(State(m): State<Model>, headers: HeaderMap, Json(body): Json<Value>) -> axum::response::Response {
    let text = m.answer.lock().unwrap().clone();
    let ok = json!({ "id": "chatcmpl-1", "object": "chat.completion", "model": body["model"],
        "choices": [{ "index": 0, "message": { "role": "assistant", "content": text }, "finish_reason": "stop" }],
        "usage": { "prompt_tokens": 120, "completion_tokens": 12, "total_tokens": 132 } });
    m.next(&headers, body, ok).await
}

async fn anthropic(State(m): State<Model>, headers: HeaderMap, Json(body): Json<Value>) -> axum::response::Response {
    let text = m.answer.lock().unwrap().clone();
    let ok = json!({ "id": "msg_1", "type": "message", "role": "assistant", "model": body["model"],
        "content": [{ "type": "text", "text": text }], "stop_reason": "end_turn",
        "usage": { "input_tokens": 130, "output_tokens": 14 } });
    m.next(&headers, body, ok).await
}

#[tokio::test]
async fn external_providers_get_only_facts_and_the_ledger_keeps_no_content() {
    let s = setup_with(Options {
        job_workers: Some(0),
        allow_private: vec!["127.0.0.0/8".into()],
        send_timeout_ms: Some(800),
        ..Default::default()
    })
    .await;
    let t = &s.t;
    let (model, base) = Model::start().await;
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    put(t, &s.token, "/api/v1/assistant/knowledge", demo()).await;
    // The metadata address is refused even with loopback allowed.
    let (st, v) = put(
        t,
        &s.token,
        "/api/v1/assistant",
        json!({ "provider": "openai", "base_url": "http://169.254.169.254/v1", "model": "m" }),
    )
    .await;
    assert_eq!((st, v["error"]["code"].as_str()), (422, Some("url_not_allowed")), "{v}");
    let (st, v) = put(t, &s.token, "/api/v1/assistant", json!({ "provider": "openai" })).await;
    assert_eq!((st, v["error"]["code"].as_str()), (422, Some("provider_incomplete")), "{v}");
    let body = json!({ "provider": "openai", "base_url": format!("{base}/v1"), "model": "gpt-test", "api_key": "sk-canary-key-4411" });
    let (st, v) = put(t, &s.token, "/api/v1/assistant", body).await;
    assert_eq!((st, v["api_key_set"].as_bool()), (200, Some(true)), "{v}");
    assert!(!v.to_string().contains("sk-canary"), "the key is never shown");

    // Another customer's words must never reach the model.
    put(t, &s.token, "/api/v1/assistant", json!({ "mode": "off" })).await;
    deliver(t, &ch, &wa_text(t, "16505550001", "wamid.O1", "OTHER-CONTACT-SECRET what time is it")).await;
    drain(t).await;
    assert!(model.calls().is_empty(), "AI off: no provider call at all");
    put(t, &s.token, "/api/v1/assistant", json!({ "mode": "draft" })).await;

    let question = "CANARY-7731 my number is +34 600 111 222, how much is a women's haircut?";
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.X1", question)).await;
    drain(t).await;
    let calls = model.calls();
    assert_eq!(calls.len(), 1);
    let sent = &calls[0];
    assert_eq!(sent["authorization"], "Bearer sk-canary-key-4411");
    assert_eq!(sent["body"]["model"], "gpt-test");
    let system = sent["body"]["messages"][0]["content"].as_str().unwrap();
    let user = sent["body"]["messages"][1]["content"].as_str().unwrap();
    assert!(system.contains("35"), "retrieved facts are in the prompt: {system}");
    assert!(user.contains("[phone]") && !user.contains("600 111 222"), "the phone number is masked: {user}");
    assert!(!sent.to_string().contains("OTHER-CONTACT-SECRET"), "nothing of other contacts");
    let th = first_thread(t, &s.token).await["id"].as_str().unwrap().to_string();
    let d = drafts(t, &s.token, &th).await.last().cloned().unwrap();
    assert_eq!(
        (d["provider"].as_str(), d["model"].as_str(), d["grounded"].as_bool()),
        (Some("openai"), Some("gpt-test"), Some(true)),
        "{d}"
    );
    assert_eq!(d["text"], "A women's haircut costs €35.00.");

    // The ledger: who got what, never the content.
    let (_, v) = api(t, &s.token, "GET", "/api/v1/assistant/ledger", None).await;
    let row = &v["calls"][0];
    assert_eq!(
        (row["provider"].as_str(), row["model"].as_str(), row["purpose"].as_str()),
        (Some("openai"), Some("gpt-test"), Some("draft_reply"))
    );
    assert_eq!(
        (row["tokens_in"].as_i64(), row["tokens_out"].as_i64(), row["outcome"].as_str()),
        (Some(120), Some(12), Some("ok"))
    );
    assert!(row["bytes_sent"].as_i64().unwrap() > 100 && row["payload_sha256"].as_str().unwrap().len() == 64, "{row}");
    let table = frontdesk_store::row::dump_table_as_text(&t.app().db, "ai_calls").await.unwrap();
    assert!(!table.contains("CANARY") && !table.contains("haircut") && !table.contains("sk-canary"), "{table}");
    let (st, v) = api(t, &s.token, "GET", "/api/v1/assistant/ledger?limit=many", None).await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (422, Some("invalid_query")), "{v}");
    let r = s.owner.get(t.url("/api/v1/assistant/ledger?format=csv")).send().await.unwrap();
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(r.text().await.unwrap().lines().count() >= 2);
    let settings = frontdesk_store::row::dump_table_as_text(&t.app().db, "assistant_settings").await.unwrap();
    assert!(!settings.contains("sk-canary"), "the key is sealed at rest");

    // Anthropic's format and headers.
    let body = json!({ "provider": "anthropic", "base_url": base, "model": "claude-test", "api_key": "ak-test" });
    assert_eq!(put(t, &s.token, "/api/v1/assistant", body).await.0, 200);
    let (st, d) = api(t, &s.token, "POST", &format!("/api/v1/threads/{th}/drafts"), None).await;
    assert_eq!(st, 201, "{d}");
    let call = model.calls().last().cloned().unwrap();
    assert_eq!((call["x-api-key"].as_str(), call["anthropic-version"].as_str()), (Some("ak-test"), Some("2023-06-01")));
    assert!(call["body"]["system"].as_str().unwrap().contains("35"));
    assert_eq!(call["body"]["messages"][0]["role"], "user");
    assert_eq!(d["provider"], "anthropic");

    // Errors: a 429 is retried once; two 5xx are a clear 503; malformed and timeouts too.
    let ask_now = || async { api(t, &s.token, "POST", &format!("/api/v1/threads/{th}/drafts"), None).await };
    model.script(429, json!({ "error": { "message": "slow down" } }), 0);
    assert_eq!(ask_now().await.0, 201, "retried after a 429");
    model.script(500, json!({ "error": { "message": "boom" } }), 0);
    model.script(502, json!({ "error": { "message": "boom" } }), 0);
    let (st, v) = ask_now().await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (503, Some("provider_unavailable")), "{v}");
    model.script(200, json!("{not json"), 0);
    let (st, v) = ask_now().await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (409, Some("provider_bad_answer")), "{v}");
    model.script(401, json!({ "error": { "message": "invalid x-api-key" } }), 0);
    let (st, v) = ask_now().await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (409, Some("provider_auth_failed")), "{v}");
    model.script(200, json!({}), 2000);
    model.script(200, json!({}), 2000);
    let (st, v) = ask_now().await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (503, Some("provider_timeout")), "{v}");
    let (_, v) = api(t, &s.token, "GET", "/api/v1/assistant/ledger", None).await;
    let outcomes: Vec<&str> = v["calls"].as_array().unwrap().iter().filter_map(|c| c["outcome"].as_str()).collect();
    for o in [
        "provider_rate_limited",
        "provider_unavailable",
        "provider_bad_answer",
        "provider_auth_failed",
        "provider_timeout",
    ] {
        assert!(outcomes.contains(&o), "{o} is in the ledger: {outcomes:?}");
    }

    // "HANDOVER" from the model, and an answer with a price no fact has: not grounded.
    *model.answer.lock().unwrap() = "HANDOVER".into();
    let (_, d) = ask_now().await;
    assert_eq!(d["outcome"], "handover", "{d}");
    *model.answer.lock().unwrap() = "A women's haircut costs €99.".into();
    let (_, d) = ask_now().await;
    assert_eq!((d["outcome"].as_str(), d["grounded"].as_bool()), (Some("answer"), Some(false)), "{d}");
    s.t.stop().await;
}

#[tokio::test]
async fn the_pages_edit_the_knowledge_base_and_handle_drafts() {
    let s = setup().await;
    let t = &s.t;
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    let w = &s.ws;
    let post = |path: String, form: Vec<(String, String)>| {
        let c = s.owner.clone();
        let url = t.url(&path);
        async move { c.post(url).form(&form).send().await.unwrap() }
    };
    let get = |path: String| {
        let c = s.owner.clone();
        let url = t.url(&path);
        async move { c.get(url).send().await.unwrap().text().await.unwrap() }
    };

    // The editor: a profile, services as lines, FAQ as Q/A blocks, documents under "# Title".
    let r = post(
        format!("/w/{w}/settings/knowledge"),
        pairs(&[
            ("name", "Salon A"),
            ("address", "Calle Mayor 5, Madrid"),
            ("phone", "+34 910 000 000"),
            ("languages", "English, Spanish"),
            ("currency", "EUR"),
            ("services", "Women's haircut | 35 | 45 | Wash, cut and style\nBeard trim | 12,50 | 15"),
            ("faq", "Q: Is there parking?\nA: Yes, the Plaza Mayor car park is 100 m away.\n\nQ: Do you take cards?\nA: Yes, all cards."),
            ("documents", "# About us\nA family salon since 1990."),
        ]),
    )
    .await;
    assert_eq!(r.status(), 303);
    let (_, k) = api(t, &s.token, "GET", "/api/v1/assistant/knowledge", None).await;
    assert_eq!(k["services"][1]["price_cents"], 1250, "{k}");
    assert_eq!(k["services"][0]["duration_min"], 45);
    assert_eq!(k["faq"].as_array().unwrap().len(), 2);
    assert_eq!(k["documents"][0]["title"], "About us");
    let p = get(format!("/w/{w}/settings/knowledge")).await;
    assert!(p.contains("Beard trim | 12.50 | 15"), "the editor shows what was saved: {p}");
    for price in ["cheap", "99999999999999999999", "92233720368547759"] {
        let services = format!("Cut | {price}");
        let r =
            post(format!("/w/{w}/settings/knowledge"), pairs(&[("name", "Salon A"), ("services", &services)])).await;
        assert_eq!(r.status(), 422, "{price}");
        assert!(r.text().await.unwrap().contains("is not a price"), "{price}");
    }

    // Hours come from the business hours page when the knowledge base gives none.
    let hours = json!({ "hours": { "time_zone": "Europe/Madrid", "ranges": [{ "day": "mon", "open": "09:00", "close": "18:00" }] } });
    put(t, &s.token, "/api/v1/business-hours", hours).await;
    let th = ask(&s, &ch, CUSTOMER, "wamid.P1", "What are your opening hours?").await;
    let d = drafts(t, &s.token, &th).await.last().cloned().unwrap();
    assert!(d["text"].as_str().unwrap().contains("09:00"), "{d}");

    // The thread page shows the draft; the agent edits and sends it from the page.
    let p = get(format!("/w/{w}/inbox/{th}")).await;
    assert!(p.contains(r#"id="drafts""#) && p.contains("Send draft") && p.contains("Suggest a reply"), "{p}");
    let id = d["id"].as_str().unwrap();
    let r = post(format!("/w/{w}/drafts/{id}/send"), pairs(&[("text", "We open Mondays 09:00 to 18:00.")])).await;
    assert_eq!(r.status(), 303);
    drain(t).await;
    let sends = s.fake.rec.named("whatsapp send");
    assert_eq!(sends.last().unwrap()["body"]["text"]["body"], "We open Mondays 09:00 to 18:00.");
    // Ask for another and discard it.
    assert_eq!(post(format!("/w/{w}/inbox/{th}/drafts"), pairs(&[])).await.status(), 303);
    let d = drafts(t, &s.token, &th).await.last().cloned().unwrap();
    let id = d["id"].as_str().unwrap();
    assert_eq!(post(format!("/w/{w}/drafts/{id}/discard"), pairs(&[])).await.status(), 303);
    assert_eq!(drafts(t, &s.token, &th).await.last().unwrap()["status"], "discarded");

    // Settings page: switch to automatic for one channel only, with a disclosure.
    let r = post(
        format!("/w/{w}/settings/assistant"),
        pairs(&[
            ("mode", "draft"),
            ("provider", "local"),
            (format!("channel_mode:{ch}").as_str(), "auto"),
            ("topic:services", "1"),
            ("disclosure_enabled", "1"),
            ("disclosure_text", "Sent by our assistant"),
            ("retention_days", "14"),
            ("mask_personal_data", "1"),
        ]),
    )
    .await;
    assert_eq!(r.status(), 303);
    let (_, v) = api(t, &s.token, "GET", "/api/v1/assistant", None).await;
    assert_eq!(v["channel_modes"][&ch], "auto", "{v}");
    assert_eq!((v["retention_days"].as_i64(), v["allow_topics"].clone()), (Some(14), json!(["services"])));
    let r = post(format!("/w/{w}/settings/assistant"), pairs(&[("mode", "sometimes")])).await;
    assert_eq!(r.status(), 422);

    // The ledger page (empty with the local assistant) and its CSV.
    assert!(get(format!("/w/{w}/settings/assistant/ledger")).await.contains("No calls to external providers"));
    let csv = get(format!("/w/{w}/settings/assistant/ledger.csv")).await;
    assert!(csv.starts_with("at,thread_id,provider"), "{csv}");
    s.t.stop().await;
}

/// The operator's model at the fake `base`, platform billing on with `plan` as the default plan.
async fn with_operator_model(base: &str, plan: &str) -> Setup {
    setup_with(Options {
        job_workers: Some(0),
        platform_model: Some(frontdesk_inbox::PlatformModel {
            kind: "openai".into(),
            base_url: format!("{base}/v1"),
            model: "operator-model".into(),
            api_key: Some("sk-operator-0001".into()),
        }),
        platform_billing: Some(frontdesk_billing::plans::PlatformBillingSettings {
            stripe_secret_key: "sk_test_platform_000000001".into(),
            webhook_secret: "whsec_platform_test".into(),
            default_plan: Some(plan.into()),
            ..Default::default()
        }),
        ..Default::default()
    })
    .await
}

#[tokio::test]
async fn the_operators_model_counts_against_the_plan_and_without_credit_the_local_assistant_answers() {
    let (model, base) = Model::start().await;
    let s = with_operator_model(&base, "Starter").await;
    let t = &s.t;
    let billing = &t.running.as_ref().unwrap().billing;
    let plan: frontdesk_billing::plans::PlanInput = serde_json::from_value(
        json!({ "name": "Starter", "monthly_price": "0", "included_ai_calls": 1, "ai_call_price": "0.02" }),
    )
    .unwrap();
    frontdesk_billing::plans::create_plan(billing, &frontdesk_platform::audit::Actor::cli(), &plan).await.unwrap();
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    put(t, &s.token, "/api/v1/assistant/knowledge", demo()).await;
    let (st, v) = put(t, &s.token, "/api/v1/assistant", json!({ "provider": "platform", "mode": "draft" })).await;
    assert_eq!(st, 200, "{v}");
    // Within the plan's one included call: the operator's model answers.
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.P1", "How much is a women's haircut?")).await;
    drain(t).await;
    assert_eq!(model.calls().len(), 1);
    assert_eq!(model.calls()[0]["authorization"], "Bearer sk-operator-0001");
    let th = first_thread(t, &s.token).await["id"].as_str().unwrap().to_string();
    let d = drafts(t, &s.token, &th).await.last().cloned().unwrap();
    assert_eq!((d["provider"].as_str(), d["model"].as_str()), (Some("openai"), Some("operator-model")), "{d}");
    // Beyond it with no credit: the local assistant drafts, the model is not called.
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.P2", "How much is a women's haircut?")).await;
    drain(t).await;
    assert_eq!(model.calls().len(), 1, "no call without credit");
    assert_eq!(drafts(t, &s.token, &th).await.last().unwrap()["provider"], "local");
    // With credit, the wallet pays the call, once for the message even when drafted again.
    let credit = frontdesk_billing::plans::AdjustInput { amount: "0.05".into(), reason: "Test".into() };
    frontdesk_billing::plans::adjust(billing, &frontdesk_platform::audit::Actor::cli(), &s.ws, &credit).await.unwrap();
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.P3", "How much is a women's haircut?")).await;
    drain(t).await;
    assert_eq!(model.calls().len(), 2);
    let (st, _) = api(t, &s.token, "POST", &format!("/api/v1/threads/{th}/drafts"), None).await;
    assert_eq!(st, 201);
    let (_, o) = api(t, &s.token, "GET", "/api/v1/billing", None).await;
    assert_eq!(o["balance"], "0.03", "one call paid, the redraft of the same message not again: {o}");
    s.t.stop().await;
}

#[tokio::test]
async fn beyond_the_quota_the_wallet_reserves_the_most_a_call_can_cost_and_keeps_what_its_tokens_cost() {
    let (model, base) = Model::start().await;
    let s = with_operator_model(&base, "Tokens").await;
    let t = &s.t;
    let billing = &t.running.as_ref().unwrap().billing;
    // No call included; beyond: 0.01 a call, 1,000 a million input tokens, 2,000 a million
    // output tokens (the fake model reports 120 in, 12 out: 0.12 + 0.024).
    let plan: frontdesk_billing::plans::PlanInput = serde_json::from_value(json!({
        "name": "Tokens", "monthly_price": "0", "included_ai_calls": 0, "ai_call_price": "0.01",
        "ai_input_price_per_million": "1000", "ai_output_price_per_million": "2000" }))
    .unwrap();
    frontdesk_billing::plans::create_plan(billing, &frontdesk_platform::audit::Actor::cli(), &plan).await.unwrap();
    let credit = frontdesk_billing::plans::AdjustInput { amount: "10.00".into(), reason: "Test".into() };
    frontdesk_billing::plans::adjust(billing, &frontdesk_platform::audit::Actor::cli(), &s.ws, &credit).await.unwrap();
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    put(t, &s.token, "/api/v1/assistant/knowledge", demo()).await;
    let (st, v) = put(t, &s.token, "/api/v1/assistant", json!({ "provider": "platform", "mode": "draft" })).await;
    assert_eq!(st, 200, "{v}");
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.T1", "How much is a women's haircut?")).await;
    drain(t).await;
    assert_eq!(model.calls().len(), 1);
    let (_, o) = api(t, &s.token, "GET", "/api/v1/billing", None).await;
    assert_eq!(o["balance"], "9.846", "the call's price and its tokens: {o}");
    let ai = o["usage"].as_array().unwrap().iter().find(|u| u["meter"] == "ai_call").unwrap().clone();
    assert_eq!((ai["used"].as_i64(), ai["paid"].as_str()), (Some(1), Some("0.154")), "{o}");
    let (_, w) = api(t, &s.token, "GET", "/api/v1/billing/wallet", None).await;
    let kinds: Vec<&str> = w["entries"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"reserve") && kinds.contains(&"settle"), "reserved before, settled after: {w}");
    let reserved = w["entries"].as_array().unwrap().iter().find(|e| e["kind"] == "reserve").unwrap()["amount"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(reserved.parse::<f64>().unwrap() < -0.154, "the most it could cost: {reserved}");

    // A call the provider refuses: its reservation goes back in full (the call's price stays:
    // the message was counted).
    model.script(400, json!({ "error": { "message": "bad model", "type": "invalid_request_error" } }), 0);
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.T2", "How much is a women's haircut?")).await;
    drain(t).await;
    assert_eq!(model.calls().len(), 2);
    let (_, o) = api(t, &s.token, "GET", "/api/v1/billing", None).await;
    assert_eq!(o["balance"], "9.836", "{o}");

    // Too little credit for the most a call can cost: the local assistant answers, nothing is
    // kept and the model is not called.
    let debit = frontdesk_billing::plans::AdjustInput { amount: "-9.00".into(), reason: "Test".into() };
    frontdesk_billing::plans::adjust(billing, &frontdesk_platform::audit::Actor::cli(), &s.ws, &debit).await.unwrap();
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.T3", "How much is a women's haircut?")).await;
    drain(t).await;
    assert_eq!(model.calls().len(), 2, "no call the wallet cannot cover");
    let th = first_thread(t, &s.token).await["id"].as_str().unwrap().to_string();
    assert_eq!(drafts(t, &s.token, &th).await.last().unwrap()["provider"], "local");
    let (_, o) = api(t, &s.token, "GET", "/api/v1/billing", None).await;
    assert_eq!(o["balance"], "0.836", "{o}");
    s.t.stop().await;
}

#[tokio::test]
async fn drafts_are_purged_after_the_workspaces_retention_days() {
    let s = setup().await;
    let t = &s.t;
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    put(t, &s.token, "/api/v1/assistant/knowledge", demo()).await;
    let (st, _) = put(t, &s.token, "/api/v1/assistant", json!({ "retention_days": 2 })).await;
    assert_eq!(st, 200);
    let th = ask(&s, &ch, CUSTOMER, "wamid.R1", "What is your address?").await;
    assert_eq!(drafts(t, &s.token, &th).await.len(), 1);
    // A day later: kept.
    t.clock.advance_ms(24 * 3_600_000);
    frontdesk_platform::jobs::tick_scheduler(t.app(), &frontdesk_server::schedules()).await.unwrap();
    drain(t).await;
    assert_eq!(drafts(t, &s.token, &th).await.len(), 1);
    // Past two days: the maintenance run deletes it; the conversation stays.
    t.clock.advance_ms(2 * 24 * 3_600_000);
    frontdesk_platform::jobs::tick_scheduler(t.app(), &frontdesk_server::schedules()).await.unwrap();
    drain(t).await;
    assert!(drafts(t, &s.token, &th).await.is_empty());
    let (st, _) = api(t, &s.token, "GET", &format!("/api/v1/threads/{th}"), None).await;
    assert_eq!(st, 200);
    s.t.stop().await;
}

#[tokio::test]
async fn drafts_of_another_workspaces_thread_or_of_no_thread_are_not_found() {
    let s = setup().await;
    let t = &s.t;
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    put(t, &s.token, "/api/v1/assistant/knowledge", demo()).await;
    let th = ask(&s, &ch, CUSTOMER, "wamid.X1", "What is your address?").await;
    assert_eq!(drafts(t, &s.token, &th).await.len(), 1);

    let bob = t.signed_in_user("bob@example.com").await;
    let ws_b = t.workspace(&bob, "Studio B").await;
    let token_b = t.api_token(&bob, &ws_b, "viewer").await;
    let unknown = frontdesk_core::ThreadId::new().to_string();
    for id in [th.as_str(), unknown.as_str(), "not-an-id"] {
        let (st, v) = api(t, &token_b, "GET", &format!("/api/v1/threads/{id}/drafts"), None).await;
        assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (404, Some("not_found")), "{id}: {v}");
    }
    // Bob's session, like his token, sees nothing of A's thread.
    let r = bob.get(t.url(&format!("/api/v1/threads/{th}/drafts"))).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(drafts(t, &s.token, &th).await.len(), 1, "A still sees its draft");
    s.t.stop().await;
}

#[tokio::test]
async fn drafts_appear_live_and_are_sent_from_the_page_in_a_real_browser() {
    let Some(dir) = crate::inbox::webchat::browser_tools() else { return };
    // Job workers on, as in production: drafts and sends happen by themselves.
    let s = setup_with(Options { allow_private: vec!["127.0.0.0/8".into()], ..Default::default() }).await;
    let t = &s.t;
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    put(t, &s.token, "/api/v1/assistant/knowledge", demo()).await;
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.B1", "Hello!")).await;
    let th = first_thread(t, &s.token).await["id"].as_str().unwrap().to_string();
    // The greeting gets a (hand-over) draft; it is discarded first so the page starts clean.
    let mut discarded = false;
    for _ in 0..300 {
        let list = drafts(t, &s.token, &th).await;
        if let Some(d) = list.iter().find(|d| d["status"] == "draft") {
            api(t, &s.token, "POST", &format!("/api/v1/drafts/{}/discard", d["id"].as_str().unwrap()), None).await;
            discarded = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(discarded, "the greeting's draft was made");
    let args = [t.url(""), "owner@example.com".into(), PASSWORD.into(), s.ws.clone(), th.clone()];
    let mut b = crate::inbox::webchat::BrowserScript::start(&dir, "assistant.mjs", &args);
    let v = b.step("open").await;
    assert_eq!(v["drafts"], 0, "{v}");
    assert_eq!(v["error"], Value::Null);

    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.B2", "How much is a women's haircut?")).await;
    b.go().await;
    let v = b.step("sent").await;
    assert_eq!(v["error"], Value::Null);
    let suggested = v["suggested"].as_str().unwrap();
    assert!(suggested.contains("35"), "{v}");
    assert_eq!(v["text"].as_str().unwrap(), format!("{suggested} See you soon!"), "the edited draft was sent");
    assert_eq!(v["left"], 0, "{v}");
    let sends = s.fake.rec.named("whatsapp send");
    assert_eq!(sends.len(), 1);
    assert_eq!(sends[0]["body"]["text"]["body"].as_str().unwrap(), format!("{suggested} See you soon!"));

    let v = b.step("done").await;
    assert_eq!((v["again"].as_i64(), v["after"].as_i64()), (Some(1), Some(0)), "{v}");
    assert!(v["asked"].as_str().unwrap().starts_with("Discard this draft?"), "a destructive action asks first: {v}");
    assert_eq!(v["kept"], 1, "Cancel keeps the draft: {v}");
    assert_eq!(v["errors"], json!([]), "no script errors");
    assert!(audit_outcomes(t, &s.ws, "ai.edit").await.contains(&"gate:allowed".to_string()));
    b.finish().await;
    s.t.stop().await;
}

/// A form's fields as owned pairs.
fn pairs(kv: &[(&str, &str)]) -> Vec<(String, String)> {
    kv.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}
