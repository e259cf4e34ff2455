//! Business hours and the away reply: set over the API and the settings page; a customer who
//! writes while the business is closed gets one away reply per closed period, sent through the
//! policy gate like any reply (none after an opt-out), none while open.

use crate::helpers::*;
use crate::inbox::intake::{api, wa_channel, PHONE_A};
use crate::inbox::outbox::{audit_outcomes, deliver, first_thread, setup, thread, wa_text, CUSTOMER};
use serde_json::{json, Value};

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Today's weekday in UTC (Monday = 0) by the server's clock.
fn weekday(t: &TestApp) -> usize {
    let days = t.app().now().0.div_euclid(86_400_000);
    (days + 3).rem_euclid(7) as usize
}

/// Hours (UTC) open only on the day after tomorrow: closed now, whatever the time.
fn closed_now(t: &TestApp) -> Value {
    json!({ "time_zone": "UTC", "ranges": [{ "day": DAYS[(weekday(t) + 2) % 7], "open": "09:00", "close": "17:00" }] })
}

fn open_now(t: &TestApp) -> Value {
    json!({ "time_zone": "UTC", "ranges": [{ "day": DAYS[weekday(t)], "open": "00:00", "close": "24:00" }] })
}

async fn put_hours(t: &TestApp, token: &str, body: Value) -> (u16, Value) {
    let (st, v) = api(t, token, "PUT", "/api/v1/business-hours", Some(body)).await;
    (st.as_u16(), v)
}

/// Runs jobs until none is left (the away reply job queues a send job).
async fn drain(t: &TestApp) -> usize {
    let mut n = 0;
    loop {
        let k = t.run_jobs().await;
        if k == 0 {
            return n;
        }
        n += k;
    }
}

#[tokio::test]
async fn a_customer_who_writes_while_closed_gets_one_away_reply_through_the_gate() {
    let s = setup().await;
    let t = &s.t;
    let ch = wa_channel(t, &s.token, PHONE_A).await;

    // Refusals with a code.
    let (st, v) = put_hours(t, &s.token, json!({ "away_reply": { "enabled": true } })).await;
    assert_eq!((st, v["error"]["code"].as_str()), (422, Some("hours_required")), "{v}");
    let (st, v) = put_hours(t, &s.token, json!({ "hours": { "time_zone": "Mars/Olympus" } })).await;
    assert_eq!((st, v["error"]["code"].as_str()), (422, Some("unknown_time_zone")), "{v}");
    let bad_range =
        json!({ "hours": { "time_zone": "UTC", "ranges": [{ "day": "mon", "open": "18:00", "close": "09:00" }] } });
    let (st, v) = put_hours(t, &s.token, bad_range).await;
    assert_eq!((st, v["error"]["code"].as_str()), (422, Some("invalid_range")), "{v}");
    let (st, v) = put_hours(t, &s.token, json!({ "away_reply": { "text": "Back {{soon}}" } })).await;
    assert_eq!((st, v["error"]["code"].as_str()), (422, Some("unknown_variable")), "{v}");

    let body = json!({ "hours": closed_now(t), "away_reply": { "enabled": true, "text": "Hi {{first_name}}, we are closed; we answer when we open." } });
    let (st, v) = put_hours(t, &s.token, body).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["open_now"], false, "{v}");
    assert!(v["opens_at"].is_string(), "{v}");
    assert_eq!(v["away_reply"]["enabled"], true);

    // The customer writes twice while closed: one away reply.
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.A1", "Hello, can I book for Friday?")).await;
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.A2", "Anyone there?")).await;
    drain(t).await;
    let sends = s.fake.rec.named("whatsapp send");
    assert_eq!(sends.len(), 1, "one away reply per closed period: {sends:?}");
    assert_eq!(sends[0]["body"]["text"]["body"], "Hi Sheena, we are closed; we answer when we open.");
    let th = first_thread(t, &s.token).await["id"].as_str().unwrap().to_string();
    let msgs = thread(t, &s.token, &th).await["messages"].clone();
    let away =
        msgs.as_array().unwrap().iter().find(|m| m["direction"] == "out").expect("the away reply is in the thread");
    assert_eq!(away["author"]["kind"], "system", "{away}");
    assert_eq!(away["author"]["id"], "away_reply", "marked as the away reply: {away}");
    let page = s.owner.get(t.url(&format!("/w/{}/inbox/{th}", s.ws))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"<span class="sender">Away reply</span>"#), "the page says who sent it: {page}");
    assert_eq!(away["status"], "sent", "{away}");
    assert!(audit_outcomes(t, &s.ws, "message.gate").await.contains(&"allowed:away_reply".to_string()));

    // Another customer opted out: the gate refuses the away reply, nothing is sent.
    deliver(t, &ch, &wa_text(t, "16505550000", "wamid.B1", "STOP")).await;
    deliver(t, &ch, &wa_text(t, "16505550000", "wamid.B2", "what time do you open?")).await;
    drain(t).await;
    assert_eq!(s.fake.rec.named("whatsapp send").len(), 1, "no away reply after an opt-out");
    assert!(audit_outcomes(t, &s.ws, "message.gate").await.contains(&"contact_opted_out:away_reply".to_string()));

    // Open now: no away reply.
    let (st, v) = put_hours(t, &s.token, json!({ "hours": open_now(t) })).await;
    assert_eq!((st, &v["open_now"]), (200, &json!(true)), "{v}");
    deliver(t, &ch, &wa_text(t, "16505559999", "wamid.C1", "Hi there")).await;
    drain(t).await;
    assert_eq!(s.fake.rec.named("whatsapp send").len(), 1, "no away reply while open");

    // Removing the hours turns the away reply off.
    let (st, v) = put_hours(t, &s.token, json!({ "hours": null })).await;
    assert_eq!(st, 200);
    assert_eq!((v["hours"].is_null(), &v["open_now"]), (true, &Value::Null), "{v}");
    let (st, v) = put_hours(t, &s.token, json!({ "away_reply": { "enabled": true } })).await;
    assert_eq!((st, v["error"]["code"].as_str()), (422, Some("hours_required")));
    s.t.stop().await;
}

#[tokio::test]
async fn hours_are_edited_on_the_settings_page() {
    let s = setup().await;
    let t = &s.t;
    let url = t.url(&format!("/w/{}/settings/hours", s.ws));
    let p = s.owner.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(p.contains("No business hours set"), "{p}");
    let today = DAYS[weekday(t)];
    let (open, close) = (format!("{today}_open"), format!("{today}_close"));
    let r = s
        .owner
        .post(&url)
        .form(&[
            ("time_zone", "Europe/Madrid"),
            ("mon_open", "09:00"),
            ("mon_close", "14:00"),
            ("mon_open2", "16:00"),
            ("mon_close2", "20:00"),
            ("closed_dates", "2026-12-25\n2027-01-01"),
            ("away_enabled", "1"),
            ("away_text", "We are closed, {{first_name}}."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, v) = api(t, &s.token, "GET", "/api/v1/business-hours", None).await;
    assert_eq!(v["hours"]["time_zone"], "Europe/Madrid");
    assert_eq!(v["hours"]["ranges"].as_array().unwrap().len(), 2, "{v}");
    assert_eq!(v["hours"]["closed_dates"], json!(["2026-12-25", "2027-01-01"]));
    assert_eq!(v["away_reply"], json!({ "enabled": true, "text": "We are closed, {{first_name}}." }));
    let p = s.owner.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(p.contains(r#"value="16:00""#), "the second range is shown: {p}");

    // A mistake keeps what was typed and says what is wrong.
    let r = s
        .owner
        .post(&url)
        .form(&[("time_zone", "UTC"), (open.as_str(), "10:00"), (close.as_str(), "09:00")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let p = r.text().await.unwrap();
    assert!(p.contains("opening must be before closing"), "{p}");
    assert!(p.contains(r#"value="10:00""#), "{p}");

    // Agents see the state in the API but cannot change the hours.
    let agent = t.api_token(&s.owner, &s.ws, "agent").await;
    let (st, _) = api(t, &agent, "GET", "/api/v1/business-hours", None).await;
    assert_eq!(st, 200);
    let (st, _) = api(t, &agent, "PUT", "/api/v1/business-hours", Some(json!({ "hours": null }))).await;
    assert_eq!(st, 403);
    s.t.stop().await;
}

#[tokio::test]
async fn an_assistant_answering_at_all_hours_replaces_the_away_reply() {
    let s = setup().await;
    let t = &s.t;
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    let body = json!({ "hours": closed_now(t), "away_reply": { "enabled": true, "text": "We are closed." } });
    assert_eq!(put_hours(t, &s.token, body).await.0, 200);
    let kb = serde_json::to_value(frontdesk_assistant::Knowledge::demo()).unwrap();
    let (st, _) = api(t, &s.token, "PUT", "/api/v1/assistant/knowledge", Some(kb)).await;
    assert_eq!(st, 200);
    let auto = json!({ "mode": "auto", "auto_in_hours_only": false, "allow_topics": ["services"], "disclosure": { "enabled": false } });
    let (st, _) = api(t, &s.token, "PUT", "/api/v1/assistant", Some(auto)).await;
    assert_eq!(st, 200);
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.H1", "How much is a women's haircut?")).await;
    drain(t).await;
    let sends = s.fake.rec.named("whatsapp send");
    assert_eq!(sends.len(), 1, "one automatic answer, not two: {sends:?}");
    assert!(sends[0]["body"]["text"]["body"].as_str().unwrap().contains("35"));
    s.t.stop().await;
}

/// A visitor of the web chat starts (in `lang`, with a name), writes once, and reads back what
/// the business sent after the jobs ran.
async fn visitor_gets(t: &TestApp, chat: &str, lang: &str, name: &str, text: &str) -> Vec<String> {
    let c = reqwest::Client::new();
    let site = "https://salon.example";
    let r = c
        .post(t.url(&format!("/chat/{chat}/conversations")))
        .header("origin", site)
        .json(&json!({ "name": name, "lang": lang }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let token = r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string();
    let r = c
        .post(t.url(&format!("/chat/{chat}/messages")))
        .header("origin", site)
        .bearer_auth(&token)
        .json(&json!({ "text": text }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    drain(t).await;
    let r = c.get(t.url(&format!("/chat/{chat}/messages"))).bearer_auth(&token).send().await.unwrap();
    let list: Value = r.json().await.unwrap();
    list["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["from"] == "business")
        .map(|m| m["text"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn the_default_away_reply_speaks_the_contacts_language_and_the_businesss_own_text_stays() {
    let s = setup().await;
    let t = &s.t;
    // The away reply on, with the default text (none written).
    let (st, v) = put_hours(t, &s.token, json!({ "hours": closed_now(t), "away_reply": { "enabled": true } })).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(
        v["away_reply"]["text"],
        "Hi {{first_name}}, thanks for your message! We are closed right now and will answer as soon as we open.",
        "{v}"
    );
    let (st, ch) = api(
        t,
        &s.token,
        "POST",
        "/api/v1/channels",
        Some(json!({ "kind": "webchat", "name": "Site", "allowed_origins": ["https://salon.example"] })),
    )
    .await;
    assert_eq!(st, 201, "{ch}");
    let chat = ch["id"].as_str().unwrap().to_string();

    // A visitor on a Spanish page gets it in Spanish; one on an English page, in English.
    let got = visitor_gets(t, &chat, "es", "Lucía García", "Hola, ¿abrís mañana?").await;
    assert_eq!(
        got,
        ["Hola Lucía, ¡gracias por tu mensaje! Ahora mismo estamos cerrados y te responderemos en cuanto abramos."]
    );
    let got = visitor_gets(t, &chat, "en", "Lia", "Hello, are you open tomorrow?").await;
    assert_eq!(got, ["Hi Lia, thanks for your message! We are closed right now and will answer as soon as we open."]);

    // A WhatsApp customer (no language known): the workspace's first language, Spanish here.
    let (st, v) = api(t, &s.token, "PUT", "/api/v1/profile", Some(json!({ "languages": ["es", "en"] }))).await;
    assert_eq!(st, 200, "{v}");
    let wa = wa_channel(t, &s.token, PHONE_A).await;
    deliver(t, &wa, &wa_text(t, CUSTOMER, "wamid.L1", "Hello?")).await;
    drain(t).await;
    let sends = s.fake.rec.named("whatsapp send");
    assert_eq!(sends.len(), 1, "{sends:?}");
    assert_eq!(
        sends[0]["body"]["text"]["body"],
        "Hola Sheena, ¡gracias por tu mensaje! Ahora mismo estamos cerrados y te responderemos en cuanto abramos."
    );

    // The default saved as shown (in either language) stays the default; a text the business
    // wrote itself goes to everyone as written.
    let spanish = "Hola {{first_name}}, ¡gracias por tu mensaje! Ahora mismo estamos cerrados y te responderemos en cuanto abramos.";
    let (st, _) = put_hours(t, &s.token, json!({ "away_reply": { "enabled": true, "text": spanish } })).await;
    assert_eq!(st, 200);
    let got = visitor_gets(t, &chat, "en", "Max", "Hi").await;
    assert_eq!(got, ["Hi Max, thanks for your message! We are closed right now and will answer as soon as we open."]);
    let (st, _) =
        put_hours(t, &s.token, json!({ "away_reply": { "enabled": true, "text": "Closed, {{first_name}}." } })).await;
    assert_eq!(st, 200);
    let got = visitor_gets(t, &chat, "es", "Ana", "Hola").await;
    assert_eq!(got, ["Closed, Ana."]);
    s.t.stop().await;
}
