//! Inbox intake end to end: providers' documented payloads, signed and posted over real HTTP to
//! the webhooks, processed by the intake worker, read back through the JSON API.

use crate::helpers::*;
use crate::inbox::providers::{file_bytes, FakeProviders};
use frontdesk_channels::verify::meta_signature_header;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("../../../../channels/tests/fixtures/", $name))
    };
}

pub const APP_ID: &str = "1111222233";
pub const SECRET: &str = "meta-app-secret";
pub const PHONE_A: &str = "106540352242922";
const PHONE_B: &str = "106540352242999";
pub const IG_ACCOUNT: &str = "17841470026191358";
pub const BOT_TOKEN: &str = "7000000001:AAH-test-token-abcdefghijklmnop";

pub struct Setup {
    pub t: TestApp,
    pub owner: Client,
    pub ws: String,
    pub token: String,
    pub fake: FakeProviders,
}

pub async fn setup_with(o: Options) -> Setup {
    let fake = FakeProviders::start().await;
    let mut inbox = o.inbox.clone().unwrap_or_else(|| fake.inbox_settings());
    if let Some(m) = o.media_max_bytes {
        inbox.media_max_bytes = m;
    }
    if let Some(ms) = o.send_timeout_ms {
        inbox.send_timeout_ms = ms;
    }
    if o.platform_model.is_some() {
        inbox.platform_model = o.platform_model.clone();
    }
    let o = Options { inbox: Some(inbox), ..o };
    let t = spawn_with(o).await;
    let owner = t.signed_in_user("owner@example.com").await;
    let ws = t.workspace(&owner, "Salon A").await;
    let token = t.api_token(&owner, &ws, "admin").await;
    Setup { t, owner, ws, token, fake }
}

pub async fn setup() -> Setup {
    setup_with(Options::default()).await
}

pub async fn api(t: &TestApp, token: &str, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let mut rb = Client::new().request(method.parse().unwrap(), t.url(path)).bearer_auth(token);
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let r = rb.send().await.unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

pub async fn wa_channel(t: &TestApp, token: &str, phone: &str) -> String {
    let (s, v) = api(
        t,
        token,
        "POST",
        "/api/v1/channels",
        Some(json!({ "kind": "whatsapp", "name": format!("WhatsApp {phone}"), "phone_number_id": phone, "waba_id": "102290129340398",
                     "app_id": APP_ID, "access_token": "wa-access-token", "app_secret": SECRET, "verify_token": "hub-verify" })),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    v["id"].as_str().unwrap().to_string()
}

/// An Instagram channel (access token "ig-token"); returns its id.
pub async fn ig_channel(t: &TestApp, token: &str) -> String {
    let (s, v) = api(
        t,
        token,
        "POST",
        "/api/v1/channels",
        Some(json!({ "kind": "instagram", "name": "IG", "instagram_account_id": IG_ACCOUNT, "app_id": APP_ID,
                     "access_token": "ig-token", "app_secret": SECRET, "verify_token": "hub-verify" })),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    v["id"].as_str().unwrap().to_string()
}

/// A Telegram channel for `BOT_TOKEN`: its id and the webhook secret it registered.
pub async fn tg_channel(t: &TestApp, token: &str, fake: &crate::inbox::providers::FakeProviders) -> (String, String) {
    let (s, v) = api(
        t,
        token,
        "POST",
        "/api/v1/channels",
        Some(json!({ "kind": "telegram", "name": "Bot", "bot_token": BOT_TOKEN })),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let secret =
        fake.rec.named("telegram setWebhook").last().unwrap()["body"]["secret_token"].as_str().unwrap().to_string();
    (v["id"].as_str().unwrap().to_string(), secret)
}

/// Posts a Telegram update with the channel's secret token and waits for intake.
pub async fn tg_update(t: &TestApp, ch: &str, secret: &str, update: &Value) {
    let r = Client::new()
        .post(t.url(&format!("/webhooks/telegram/{ch}")))
        .header("x-telegram-bot-api-secret-token", secret)
        .json(update)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    t.settle().await;
}

pub async fn post_signed(t: &TestApp, path: &str, body: &str, secret: &str) -> StatusCode {
    Client::new()
        .post(t.url(path))
        .header("content-type", "application/json")
        .header("x-hub-signature-256", meta_signature_header(secret.as_bytes(), body.as_bytes()))
        .body(body.to_string())
        .send()
        .await
        .unwrap()
        .status()
}

async fn threads(t: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let (s, v) = api(t, token, "GET", &format!("/api/v1/threads{query}"), None).await;
    assert_eq!(s, 200, "{v}");
    v["threads"].as_array().unwrap().clone()
}

async fn thread(t: &TestApp, token: &str, id: &str) -> Value {
    let (s, v) = api(t, token, "GET", &format!("/api/v1/threads/{id}"), None).await;
    assert_eq!(s, 200, "{v}");
    v
}

/// Every message of the workspace, oldest thread first.
async fn all_messages(t: &TestApp, token: &str) -> Vec<Value> {
    let mut out = vec![];
    let mut list = threads(t, token, "?limit=200").await;
    list.reverse();
    for th in list {
        let v = thread(t, token, th["id"].as_str().unwrap()).await;
        out.extend(v["messages"].as_array().unwrap().iter().cloned());
    }
    out
}

async fn message_count(t: &TestApp) -> i64 {
    let mut c = t.app().db.conn().await.unwrap();
    frontdesk_inbox::repo::inbox::count_messages(&mut c, None).await.unwrap()
}

#[tokio::test]
async fn whatsapp_batch_routes_each_entry_to_its_own_channel_even_across_workspaces() {
    let s = setup().await;
    let t = &s.t;
    let a = wa_channel(t, &s.token, PHONE_A).await;
    // Workspace B has the other number of the same Meta app.
    let bob = t.signed_in_user("bob@example.com").await;
    let ws_b = t.workspace(&bob, "Studio B").await;
    let token_b = t.api_token(&bob, &ws_b, "admin").await;
    wa_channel(t, &token_b, PHONE_B).await;

    // One delivery to A's URL carrying entries for both numbers, plus an entry for a number
    // nobody connected on this app.
    let mut batch: Value = serde_json::from_str(fixture!("wa_batch.json")).unwrap();
    let mut stray = batch["entry"][1].clone();
    stray["changes"][0]["value"]["metadata"]["phone_number_id"] = json!("999999999999");
    stray["changes"][0]["value"]["messages"][0]["id"] = json!("wamid.STRAY");
    batch["entry"].as_array_mut().unwrap().push(stray);
    let body = batch.to_string();
    assert_eq!(post_signed(t, &format!("/webhooks/whatsapp/{a}"), &body, SECRET).await, 200);
    t.settle().await;

    let mine = threads(t, &s.token, "").await;
    assert_eq!(mine.len(), 2, "Sheena and Kai wrote to A's number");
    let names: Vec<&str> = mine.iter().map(|th| th["contact"]["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"Sheena Nelson") && names.contains(&"Kai Brown"), "{names:?}");
    assert!(mine.iter().all(|th| th["status"] == "open" && th["channel_kind"] == "whatsapp"));
    let theirs = threads(t, &token_b, "").await;
    assert_eq!(theirs.len(), 1, "the entry for B's number went to B, not to A");
    let m = &thread(t, &token_b, theirs[0]["id"].as_str().unwrap()).await["messages"][0];
    assert_eq!(m["direction"], "in");
    assert_eq!(message_count(t).await, 3, "the stray entry is not filed anywhere");

    // Workspace A's token finds nothing of B's: threads, contacts, channels are "not found".
    let b_thread = theirs[0]["id"].as_str().unwrap();
    let b_contact = theirs[0]["contact"]["id"].as_str().unwrap();
    let b_channel = theirs[0]["channel_id"].as_str().unwrap();
    for (m, path, body) in [
        ("GET", format!("/api/v1/threads/{b_thread}"), None),
        ("PATCH", format!("/api/v1/threads/{b_thread}"), Some(json!({ "status": "resolved" }))),
        ("POST", format!("/api/v1/threads/{b_thread}/notes"), Some(json!({ "body": "x" }))),
        ("GET", format!("/api/v1/threads/{b_thread}/drafts"), None),
        ("POST", format!("/api/v1/threads/{b_thread}/drafts"), None),
        ("GET", format!("/api/v1/contacts/{b_contact}"), None),
        ("PATCH", format!("/api/v1/contacts/{b_contact}"), Some(json!({ "name": "x" }))),
        ("GET", format!("/api/v1/contacts/{b_contact}/consent"), None),
        ("GET", format!("/api/v1/channels/{b_channel}"), None),
        ("PATCH", format!("/api/v1/channels/{b_channel}"), Some(json!({ "disabled": true }))),
    ] {
        assert_eq!(api(t, &s.token, m, &path, body).await.0, 404, "{m} {path}");
    }
    assert_eq!(thread(t, &token_b, b_thread).await["status"], "open");

    // The refusal is audited on the chain of the workspace whose URL was used.
    let entries = frontdesk_platform::audit::export(t.app(), &s.ws).await.unwrap();
    assert!(entries.iter().any(|e| e.action == "intake.reject" && e.outcome == "unknown_account"));
    assert_eq!(entries.iter().filter(|e| e.action == "message.receive").count(), 2);

    // The same delivery again, and through the app-level route: still three messages.
    assert_eq!(post_signed(t, &format!("/webhooks/whatsapp/{a}"), &body, SECRET).await, 200);
    assert_eq!(post_signed(t, &format!("/webhooks/meta/{APP_ID}"), &body, SECRET).await, 200);
    t.settle().await;
    assert_eq!(message_count(t).await, 3);
    // The app route files each entry by its number too: a new message for B arrives at B.
    let mut one: Value = serde_json::from_str(fixture!("wa_text.json")).unwrap();
    one["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = json!(PHONE_B);
    one["entry"][0]["changes"][0]["value"]["messages"][0]["id"] = json!("wamid.VIA_APP");
    assert_eq!(post_signed(t, &format!("/webhooks/meta/{APP_ID}"), &one.to_string(), SECRET).await, 200);
    t.settle().await;
    let theirs = threads(t, &token_b, "").await;
    assert_eq!(thread(t, &token_b, theirs[0]["id"].as_str().unwrap()).await["messages"].as_array().unwrap().len(), 2);
    s.t.stop().await;
}

#[tokio::test]
async fn every_message_kind_is_kept_and_media_is_fetched_privately() {
    let s = setup().await;
    let t = &s.t;
    let a = wa_channel(t, &s.token, PHONE_A).await;
    for body in [fixture!("wa_media.json"), fixture!("wa_kinds.json")] {
        assert_eq!(post_signed(t, &format!("/webhooks/whatsapp/{a}"), body, SECRET).await, 200);
    }
    t.settle().await;
    let msgs = all_messages(t, &s.token).await;
    let kinds: Vec<&str> = msgs.iter().map(|m| m["kind"].as_str().unwrap()).collect();
    for k in [
        "image",
        "audio",
        "video",
        "document",
        "sticker",
        "location",
        "contacts",
        "interactive",
        "reaction",
        "text",
        "unsupported",
    ] {
        assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
    }
    assert_eq!(msgs.len(), 14, "5 media + 9 other kinds, none dropped");
    let unsupported: Vec<&Value> = msgs.iter().filter(|m| m["kind"] == "unsupported").collect();
    assert!(!unsupported.is_empty());
    let loc = msgs.iter().find(|m| m["kind"] == "location").unwrap();
    assert!(loc["data"]["location"]["latitude"].is_number());
    let reply = msgs.iter().find(|m| m["kind"] == "text" && m["reply_to"] == "wamid.OUT1");
    assert!(reply.is_some(), "the reply keeps its context");
    let reaction = msgs.iter().find(|m| m["kind"] == "reaction").unwrap();
    assert_eq!(reaction["data"]["reacts_to"], "wamid.OUT1");

    // Media: fetched through the Graph API with the channel's token into the blob store.
    let image = msgs.iter().find(|m| m["kind"] == "image").unwrap();
    let file = &image["media"][0];
    let media_url = file["url"].as_str().unwrap().to_string();
    let mut stored = Value::Null;
    for _ in 0..100 {
        let th = threads(t, &s.token, "").await;
        let v = thread(t, &s.token, th[0]["id"].as_str().unwrap()).await;
        stored = v["messages"].as_array().unwrap().iter().find(|m| m["kind"] == "image").unwrap()["media"][0].clone();
        if stored["status"] == "stored" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(stored["status"], "stored", "{stored}");
    let calls = s.fake.rec.calls();
    assert!(calls.iter().any(|(w, v)| w.starts_with("graph GET /") && v["authorization"] == "Bearer wa-access-token"));
    let r = Client::new().get(t.url(&media_url)).bearer_auth(&s.token).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/jpeg");
    assert!(r.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(r.headers()["content-security-policy"].to_str().unwrap().contains("sandbox"));
    let media_id = image["data"]["media"]["media_id"].as_str().unwrap().to_string();
    assert_eq!(r.bytes().await.unwrap().to_vec(), file_bytes(&media_id));
    // Private: no anonymous access, and another workspace's token finds nothing.
    assert_eq!(Client::new().get(t.url(&media_url)).send().await.unwrap().status(), 401);
    let bob = t.signed_in_user("bob@example.com").await;
    let ws_b = t.workspace(&bob, "B").await;
    let token_b = t.api_token(&bob, &ws_b, "viewer").await;
    assert_eq!(Client::new().get(t.url(&media_url)).bearer_auth(&token_b).send().await.unwrap().status(), 404);
    s.t.stop().await;
}

#[tokio::test]
async fn statuses_only_move_forward_and_failed_keeps_the_providers_error() {
    let s = setup().await;
    let t = &s.t;
    let a = wa_channel(t, &s.token, PHONE_A).await;
    assert_eq!(post_signed(t, &format!("/webhooks/whatsapp/{a}"), fixture!("wa_text.json"), SECRET).await, 200);
    t.settle().await;
    // Two replies we sent (the outbox comes with the replies issue; here they are written
    // as the outbox will write them: before the provider call, with the id it returned).
    let th = &threads(t, &s.token, "").await[0];
    let first = thread(t, &s.token, th["id"].as_str().unwrap()).await["messages"][0].clone();
    {
        use frontdesk_core::*;
        let mut c = t.app().db.conn().await.unwrap();
        let q = |id: &str| frontdesk_inbox::repo::inbox::Message {
            id: MessageId::new(),
            workspace_id: WorkspaceId::parse(&s.ws).unwrap(),
            thread_id: ThreadId::parse(th["id"].as_str().unwrap()).unwrap(),
            channel_id: ChannelId::parse(&a).unwrap(),
            contact_id: ContactId::parse(th["contact"]["id"].as_str().unwrap()).unwrap(),
            direction: "out".into(),
            provider_id: Some(id.into()),
            kind: "text".into(),
            body: Some("Yes, in blue too.".into()),
            status: "sent".into(),
            created_at: t.app().now().0,
            updated_at: t.app().now().0,
            ..Default::default()
        };
        for id in ["wamid.OUT1", "wamid.OUT2"] {
            assert!(frontdesk_inbox::repo::inbox::insert_message(&mut c, &q(id)).await.unwrap());
        }
    }
    let statuses: Value = serde_json::from_str(fixture!("wa_statuses.json")).unwrap();
    let each = statuses["entry"][0]["changes"][0]["value"]["statuses"].as_array().unwrap().clone();
    let single = |st: &Value| {
        let mut b = statuses.clone();
        b["entry"][0]["changes"][0]["value"]["statuses"] = json!([st]);
        b.to_string()
    };
    let status_of = |id: &'static str| {
        let token = s.token.clone();
        let th = th["id"].as_str().unwrap().to_string();
        async move {
            let v = thread(t, &token, &th).await;
            v["messages"].as_array().unwrap().iter().find(|m| m["provider_id"] == id).unwrap().clone()
        }
    };
    // read arrives first, then delivered, then sent: the message stays read.
    for st in [&each[2], &each[1], &each[0]] {
        assert_eq!(post_signed(t, &format!("/webhooks/whatsapp/{a}"), &single(st), SECRET).await, 200);
        t.settle().await;
        assert_eq!(status_of("wamid.OUT1").await["status"], "read");
    }
    // failed is terminal and keeps Meta's code, title and details; a late delivered changes nothing.
    assert_eq!(
        post_signed(t, &format!("/webhooks/whatsapp/{a}"), fixture!("wa_failed_131047.json"), SECRET).await,
        200
    );
    t.settle().await;
    let failed = status_of("wamid.OUT2").await;
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["error"]["code"], 131047);
    assert_eq!(failed["error"]["title"], "Re-engagement message");
    assert!(failed["error"]["details"].as_str().unwrap().contains("24 hours"));
    let mut late = each[1].clone();
    late["id"] = json!("wamid.OUT2");
    late["timestamp"] = json!("1999999999");
    assert_eq!(post_signed(t, &format!("/webhooks/whatsapp/{a}"), &single(&late), SECRET).await, 200);
    t.settle().await;
    assert_eq!(status_of("wamid.OUT2").await["status"], "failed");
    assert_eq!(first["status"], "received");
    s.t.stop().await;
}

#[tokio::test]
async fn bsuid_and_phone_find_the_same_contact() {
    let s = setup().await;
    let t = &s.t;
    let a = wa_channel(t, &s.token, PHONE_A).await;
    for body in [fixture!("wa_bsuid.json"), fixture!("wa_bsuid_only.json")] {
        assert_eq!(post_signed(t, &format!("/webhooks/whatsapp/{a}"), body, SECRET).await, 200);
        t.settle().await;
    }
    let list = threads(t, &s.token, "").await;
    assert_eq!(list.len(), 1, "one person, one thread");
    assert_eq!(thread(t, &s.token, list[0]["id"].as_str().unwrap()).await["messages"].as_array().unwrap().len(), 2);
    let contact = list[0]["contact"]["id"].as_str().unwrap();
    let (_, k) = api(t, &s.token, "GET", &format!("/api/v1/contacts/{contact}"), None).await;
    assert_eq!(k["phone"], "16505550001");
    let ids: Vec<(String, String)> = k["identities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["kind"].as_str().unwrap().to_string(), i["value"].as_str().unwrap().to_string()))
        .collect();
    assert!(ids.contains(&("bsuid".into(), "US.1502576394655843".into())), "{ids:?}");
    assert!(ids.contains(&("phone".into(), "16505550001".into())), "{ids:?}");
    assert!(k["channels"][0]["last_inbound_at"].is_string(), "the reply window belongs to the pair");
    s.t.stop().await;
}

#[tokio::test]
async fn consent_keywords_and_provider_signals_write_the_ledger() {
    let s = setup().await;
    let t = &s.t;
    let a = wa_channel(t, &s.token, PHONE_A).await;
    let text: Value = serde_json::from_str(fixture!("wa_text.json")).unwrap();
    let say = |n: usize, words: &str| {
        let mut b = text.clone();
        b["entry"][0]["changes"][0]["value"]["messages"][0]["id"] = json!(format!("wamid.C{n}"));
        b["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"] = json!(words);
        b["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"] = json!(format!("{}", 1_800_000_000 + n));
        b.to_string()
    };
    for (n, words) in [(1, "Do you open on Sunday?"), (2, " stop "), (3, "please stop the reminders"), (4, "thanks")] {
        assert_eq!(post_signed(t, &format!("/webhooks/whatsapp/{a}"), &say(n, words), SECRET).await, 200);
        t.settle().await;
    }
    let contact = threads(t, &s.token, "").await[0]["contact"]["id"].as_str().unwrap().to_string();
    let consent = |c: String| {
        let token = s.token.clone();
        async move { api(t, &token, "GET", &format!("/api/v1/contacts/{c}/consent"), None).await.1 }
    };
    let v = consent(contact.clone()).await;
    assert_eq!(v["state"][0]["state"], "opt_out", "{v}");
    assert_eq!(
        v["events"].as_array().unwrap().len(),
        1,
        "only the exact keyword counts; later messages do not opt back in"
    );
    assert_eq!(v["events"][0]["source"], "keyword");
    assert_eq!(v["events"][0]["evidence"], "wamid.C2");
    assert_eq!(post_signed(t, &format!("/webhooks/whatsapp/{a}"), &say(5, "START"), SECRET).await, 200);
    t.settle().await;
    assert_eq!(consent(contact.clone()).await["state"][0]["state"], "opt_in");
    // WhatsApp's user_preferences "stop" is an opt-out too.
    assert_eq!(
        post_signed(t, &format!("/webhooks/whatsapp/{a}"), fixture!("wa_user_preferences.json"), SECRET).await,
        200
    );
    t.settle().await;
    let v = consent(contact.clone()).await;
    let sources: Vec<&str> = v["events"].as_array().unwrap().iter().map(|e| e["source"].as_str().unwrap()).collect();
    assert!(sources.contains(&"user_preferences"), "{sources:?}");
    let entries = frontdesk_platform::audit::export(t.app(), &s.ws).await.unwrap();
    assert!(entries.iter().filter(|e| e.action == "consent.opt_out").count() >= 2);
    assert!(entries.iter().any(|e| e.action == "consent.opt_in"));
    s.t.stop().await;
}

#[tokio::test]
async fn bad_deliveries_get_clear_errors_and_store_nothing() {
    let mut inbox = frontdesk_inbox::InboxSettings { unverified_per_minute: 12, ..Default::default() };
    let fake = FakeProviders::start().await;
    inbox.meta_graph_url = fake.inbox_settings().meta_graph_url;
    let s = setup_with(Options { inbox: Some(inbox), body_limit: Some(256 * 1024), ..Default::default() }).await;
    let t = &s.t;
    let a = wa_channel(t, &s.token, PHONE_A).await;
    let body = fixture!("wa_text.json");
    let url = format!("/webhooks/whatsapp/{a}");
    let c = Client::new();
    let send = |path: String, sig: Option<String>, body: String| {
        let mut rb = c.post(t.url(&path)).header("content-type", "application/json").body(body);
        if let Some(sig) = sig {
            rb = rb.header("x-hub-signature-256", sig);
        }
        rb.send()
    };
    let tampered = format!("{body} ");
    let cases: Vec<(String, Option<String>, String, u16, &str)> = vec![
        (url.clone(), None, body.into(), 401, "bad_signature"),
        (url.clone(), Some("sha256=00".into()), body.into(), 401, "bad_signature"),
        (url.clone(), Some(meta_signature_header(b"wrong secret", body.as_bytes())), body.into(), 401, "bad_signature"),
        (url.clone(), Some(meta_signature_header(SECRET.as_bytes(), body.as_bytes())), tampered, 401, "bad_signature"),
        ("/webhooks/whatsapp/not-a-channel".into(), None, body.into(), 404, "unknown_channel"),
        (format!("/webhooks/whatsapp/{}", frontdesk_core::ChannelId::new()), None, body.into(), 404, "unknown_channel"),
        (format!("/webhooks/instagram/{a}"), None, body.into(), 404, "unknown_channel"),
        ("/webhooks/meta/424242".into(), None, body.into(), 404, "unknown_channel"),
    ];
    for (path, sig, b, status, code) in cases {
        let r = send(path.clone(), sig, b).await.unwrap();
        assert_eq!(r.status().as_u16(), status, "{path}");
        assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], code, "{path}");
    }
    let big = format!("{{\"object\":\"whatsapp_business_account\",\"pad\":\"{}\"}}", "x".repeat(300 * 1024));
    let r = send(url.clone(), Some(meta_signature_header(SECRET.as_bytes(), big.as_bytes())), big).await.unwrap();
    assert_eq!(r.status(), 413);
    let mut conn = t.app().db.conn().await.unwrap();
    let raw = frontdesk_inbox::repo::channels::events_with_status(&mut conn, "pending", 10).await.unwrap().len()
        + frontdesk_inbox::repo::channels::events_with_status(&mut conn, "processed", 10).await.unwrap().len();
    drop(conn);
    assert_eq!(raw, 0, "nothing stored for unverified traffic");
    let entries = frontdesk_platform::audit::export(t.app(), &s.ws).await.unwrap();
    assert_eq!(entries.iter().filter(|e| e.action == "intake.reject" && e.outcome == "bad_signature").count(), 4);
    // Unverified traffic is rate-limited per address; verified traffic is not.
    let mut limited = false;
    for _ in 0..10 {
        if send(url.clone(), None, body.into()).await.unwrap().status() == 429 {
            limited = true;
            break;
        }
    }
    assert!(limited, "failed verifications are throttled");
    assert_eq!(post_signed(t, &url, body, SECRET).await, 200, "a genuine delivery still gets through");
    // A disabled channel: 410, nothing stored (after the throttling window above).
    t.clock.advance_ms(61_000);
    let (st, _) = api(t, &s.token, "PATCH", &format!("/api/v1/channels/{a}"), Some(json!({ "disabled": true }))).await;
    assert_eq!(st, 200);
    let mut other: Value = serde_json::from_str(body).unwrap();
    other["entry"][0]["changes"][0]["value"]["messages"][0]["id"] = json!("wamid.AFTER_DISABLE");
    let other = other.to_string();
    assert_eq!(post_signed(t, &url, &other, SECRET).await, 410);
    t.settle().await;
    assert_eq!(message_count(t).await, 1);
    s.t.stop().await;
}

#[tokio::test]
async fn authentic_but_unreadable_deliveries_are_kept_for_operators() {
    let s = setup().await;
    let t = &s.t;
    let a = wa_channel(t, &s.token, PHONE_A).await;
    for body in ["not json at all", "{\"object\":\"page\",\"entry\":[]}", "[1,2,3]"] {
        assert_eq!(post_signed(t, &format!("/webhooks/whatsapp/{a}"), body, SECRET).await, 200, "{body}");
    }
    // One good message inside a batch with a broken one is not lost either.
    let mut b: Value = serde_json::from_str(fixture!("wa_text.json")).unwrap();
    let msgs = b["entry"][0]["changes"][0]["value"]["messages"].as_array_mut().unwrap();
    msgs.push(json!({ "id": "wamid.BROKEN", "type": 42, "from": "16505551234", "timestamp": "soon" }));
    assert_eq!(post_signed(t, &format!("/webhooks/whatsapp/{a}"), &b.to_string(), SECRET).await, 200);
    t.settle().await;
    assert_eq!(message_count(t).await, 2, "the good message and the broken one, kept as unsupported");
    frontdesk_platform::operator::set_operator(t.app(), "owner@example.com", true).await.unwrap();
    let r = s.owner.get(t.url("/api/v1/admin/inbound-events?status=unparseable")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let list: Value = r.json().await.unwrap();
    assert_eq!(list.as_array().unwrap().len(), 3, "{list}");
    assert!(list.as_array().unwrap().iter().all(|e| !e["reason"].as_str().unwrap_or("").is_empty()));
    assert_eq!(
        Client::new().get(t.url("/api/v1/admin/inbound-events")).bearer_auth(&s.token).send().await.unwrap().status(),
        403
    );
    s.t.stop().await;
}

#[tokio::test]
async fn meta_handshake_echoes_the_challenge_only_for_the_right_token() {
    let s = setup().await;
    let t = &s.t;
    let a = wa_channel(t, &s.token, PHONE_A).await;
    let get = |q: &str| Client::new().get(t.url(&format!("/webhooks/whatsapp/{a}?{q}"))).send();
    let r = get("hub.mode=subscribe&hub.verify_token=hub-verify&hub.challenge=1158201444").await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), "1158201444");
    for q in [
        "hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1",
        "hub.mode=unsubscribe&hub.verify_token=hub-verify&hub.challenge=1",
        "",
    ] {
        assert_eq!(get(q).await.unwrap().status(), 403, "{q}");
    }
    let r = Client::new()
        .get(t.url(&format!("/webhooks/meta/{APP_ID}?hub.mode=subscribe&hub.verify_token=hub-verify&hub.challenge=77")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.text().await.unwrap(), "77");
    s.t.stop().await;
}

#[tokio::test]
async fn duplicate_storm_stores_each_message_exactly_once() {
    let s = setup().await;
    let t = &s.t;
    let a = wa_channel(t, &s.token, PHONE_A).await;
    let template: Value = serde_json::from_str(fixture!("wa_text.json")).unwrap();
    let n = 1000usize;
    let bodies: Vec<(String, String)> = (0..n)
        .map(|i| {
            let mut b = template.clone();
            let v = &mut b["entry"][0]["changes"][0]["value"];
            let wa = format!("3460000{i:04}");
            v["contacts"][0]["wa_id"] = json!(wa);
            v["contacts"][0]["profile"]["name"] = json!(format!("Customer {i}"));
            v["messages"][0]["from"] = json!(wa);
            v["messages"][0]["id"] = json!(format!("wamid.STORM{i}"));
            let body = b.to_string();
            let sig = meta_signature_header(SECRET.as_bytes(), body.as_bytes());
            (body, sig)
        })
        .collect();
    // Every delivery 10 times, from 32 concurrent clients, in shuffled order.
    let mut sends: Vec<usize> = (0..n * 10).map(|k| k % n).collect();
    let mut seed = 12345u64;
    for i in (1..sends.len()).rev() {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        sends.swap(i, (seed >> 33) as usize % (i + 1));
    }
    let bodies = std::sync::Arc::new(bodies);
    let sends = std::sync::Arc::new(sends);
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let url = t.url(&format!("/webhooks/whatsapp/{a}"));
    let mut tasks = vec![];
    for _ in 0..32 {
        let (bodies, sends, next, url) = (bodies.clone(), sends.clone(), next.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            let c = Client::new();
            loop {
                let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&i) = sends.get(k) else { break };
                let (body, sig) = &bodies[i];
                let r = c
                    .post(&url)
                    .header("content-type", "application/json")
                    .header("x-hub-signature-256", sig)
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200);
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    t.settle().await;
    assert_eq!(message_count(t).await, n as i64);
    let (_, contacts) = api(t, &s.token, "GET", "/api/v1/contacts?limit=200", None).await;
    assert_eq!(contacts["contacts"].as_array().unwrap().len(), 200);
    let entries = frontdesk_platform::audit::export(t.app(), &s.ws).await.unwrap();
    assert_eq!(entries.iter().filter(|e| e.action == "message.receive").count(), n);
    s.t.stop().await;
}

#[tokio::test]
async fn telegram_channel_sets_its_webhook_and_takes_updates() {
    let s = setup().await;
    let t = &s.t;
    // A token Telegram refuses: a clear error and no channel.
    *s.fake.rec.refuse_token.lock().unwrap() = Some("7000000002:AAH-refused-token-abcdefghij".into());
    let (st, v) = api(
        t,
        &s.token,
        "POST",
        "/api/v1/channels",
        Some(json!({ "kind": "telegram", "name": "Bot", "bot_token": "7000000002:AAH-refused-token-abcdefghij" })),
    )
    .await;
    assert_eq!(st, 422, "{v}");
    assert_eq!(v["error"]["code"], "provider_rejected");
    let (st, v) = api(
        t,
        &s.token,
        "POST",
        "/api/v1/channels",
        Some(json!({ "kind": "telegram", "name": "Bot", "bot_token": "nonsense" })),
    )
    .await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str().unwrap()), (422, "invalid_bot_token"));

    let (st, ch) = api(
        t,
        &s.token,
        "POST",
        "/api/v1/channels",
        Some(json!({ "kind": "telegram", "name": "Shop bot", "bot_token": BOT_TOKEN })),
    )
    .await;
    assert_eq!(st, 201, "{ch}");
    assert_eq!(ch["account_id"], "7000000001");
    assert!(!ch.to_string().contains("AAH-test-token"), "secrets are write-only");
    assert_eq!(ch["credentials_set"], json!(["bot_token"]));
    let id = ch["id"].as_str().unwrap().to_string();
    let calls = s.fake.rec.calls();
    let (_, set) = calls.iter().rev().find(|(w, v)| w == "telegram setWebhook" && v["token"] == BOT_TOKEN).unwrap();
    assert_eq!(set["body"]["url"], t.url(&format!("/webhooks/telegram/{id}")));
    let secret = set["body"]["secret_token"].as_str().unwrap().to_string();
    assert!(secret.len() >= 32);
    assert!(set["body"]["allowed_updates"].as_array().unwrap().contains(&json!("my_chat_member")));

    let post = |body: &'static str, secret: Option<String>| {
        let mut rb = Client::new()
            .post(t.url(&format!("/webhooks/telegram/{id}")))
            .header("content-type", "application/json")
            .body(body);
        if let Some(s) = secret {
            rb = rb.header("x-telegram-bot-api-secret-token", s);
        }
        rb.send()
    };
    assert_eq!(post(fixture!("tg_text.json"), None).await.unwrap().status(), 401);
    assert_eq!(post(fixture!("tg_text.json"), Some("wrong".into())).await.unwrap().status(), 401);
    for body in
        [fixture!("tg_text.json"), fixture!("tg_photo.json"), fixture!("tg_edited.json"), fixture!("tg_kicked.json")]
    {
        assert_eq!(post(body, Some(secret.clone())).await.unwrap().status(), 200);
        t.settle().await;
    }
    let list = threads(t, &s.token, "").await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["contact"]["name"], "Ann");
    assert_eq!(list[0]["contact"]["username"], "ann");
    let v = thread(t, &s.token, list[0]["id"].as_str().unwrap()).await;
    let msgs = v["messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 2);
    let text = msgs.iter().find(|m| m["kind"] == "text").unwrap();
    assert_eq!(text["provider_id"], "123456789:11");
    assert!(text["edited_at"].is_string(), "the edit changed the message: {text}");
    assert_eq!(text["data"]["edits"][0]["previous"], "Hello, do you ship to Berlin?");
    // The photo is fetched through getFile.
    for _ in 0..100 {
        if s.fake.rec.calls().iter().any(|(w, _)| w.starts_with("telegram file photos/")) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(s.fake.rec.calls().iter().any(|(w, _)| w == "telegram getFile"));
    // Blocking the bot is an opt-out.
    let contact = list[0]["contact"]["id"].as_str().unwrap();
    let (_, consent) = api(t, &s.token, "GET", &format!("/api/v1/contacts/{contact}/consent"), None).await;
    assert_eq!(consent["state"][0]["state"], "opt_out");
    assert_eq!(consent["events"][0]["source"], "telegram_blocked");
    s.t.stop().await;
}

#[tokio::test]
async fn instagram_messages_echoes_reads_and_reactions() {
    let s = setup().await;
    let t = &s.t;
    let id = &ig_channel(t, &s.token).await;
    let url = format!("/webhooks/instagram/{id}");
    for body in [
        fixture!("ig_text.json"),
        fixture!("ig_echo.json"),
        fixture!("ig_echo.json"),
        fixture!("ig_read.json"),
        fixture!("ig_reaction.json"),
        fixture!("ig_quick_reply.json"),
    ] {
        assert_eq!(post_signed(t, &url, body, SECRET).await, 200);
        t.settle().await;
    }
    let list = threads(t, &s.token, "").await;
    assert_eq!(list.len(), 1);
    let v = thread(t, &s.token, list[0]["id"].as_str().unwrap()).await;
    let msgs = v["messages"].as_array().unwrap();
    let echoes: Vec<&Value> = msgs.iter().filter(|m| m["direction"] == "out").collect();
    assert_eq!(echoes.len(), 1, "an echo is stored once, as our own message");
    assert_eq!(echoes[0]["status"], "read", "the read receipt reached it");
    assert!(msgs.iter().any(|m| m["kind"] == "reaction"));
    assert!(msgs.iter().any(|m| m["kind"] == "interactive" && m["data"]["payload"] == "SIZE_M"));
    s.t.stop().await;
}

#[tokio::test]
async fn threads_are_triaged_filtered_and_paged() {
    let s = setup().await;
    let t = &s.t;
    let a = wa_channel(t, &s.token, PHONE_A).await;
    let template: Value = serde_json::from_str(fixture!("wa_text.json")).unwrap();
    let write = |i: usize, words: &str| {
        let mut b = template.clone();
        let v = &mut b["entry"][0]["changes"][0]["value"];
        let wa = format!("4470000{i:04}");
        v["contacts"][0]["wa_id"] = json!(wa);
        v["contacts"][0]["profile"]["name"] = json!(format!("Person {i}"));
        v["messages"][0]["from"] = json!(wa);
        v["messages"][0]["id"] = json!(format!("wamid.T{i}.{}", words.len()));
        v["messages"][0]["text"]["body"] = json!(words);
        b.to_string()
    };
    for i in 0..5 {
        assert_eq!(
            post_signed(t, &format!("/webhooks/whatsapp/{a}"), &write(i, &format!("question {i}")), SECRET).await,
            200
        );
        t.settle().await;
        t.clock.advance_ms(1000);
    }
    // Newest activity first, paged with a cursor.
    let (_, p1) = api(t, &s.token, "GET", "/api/v1/threads?limit=2", None).await;
    let names = |v: &Value| {
        v["threads"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["contact"]["name"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&p1), ["Person 4", "Person 3"]);
    let (_, p2) = api(
        t,
        &s.token,
        "GET",
        &format!("/api/v1/threads?limit=2&cursor={}", p1["next_cursor"].as_str().unwrap()),
        None,
    )
    .await;
    assert_eq!(names(&p2), ["Person 2", "Person 1"]);
    let (_, p3) = api(
        t,
        &s.token,
        "GET",
        &format!("/api/v1/threads?limit=2&cursor={}", p2["next_cursor"].as_str().unwrap()),
        None,
    )
    .await;
    assert_eq!(names(&p3), ["Person 0"]);
    assert!(p3["next_cursor"].is_null());

    let owner_id = s.owner.get(t.url("/api/v1/me")).send().await.unwrap().json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let th = p1["threads"][0]["id"].as_str().unwrap().to_string();
    let (st, v) = api(
        t,
        &s.token,
        "PATCH",
        &format!("/api/v1/threads/{th}"),
        Some(json!({ "status": "pending", "assignee_id": owner_id, "labels": ["VIP", "booking", "vip"] })),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["labels"], json!(["booking", "vip"]));
    assert_eq!(names(&api(t, &s.token, "GET", "/api/v1/threads?status=pending", None).await.1), ["Person 4"]);
    assert_eq!(names(&api(t, &s.token, "GET", "/api/v1/threads?label=vip", None).await.1), ["Person 4"]);
    assert_eq!(
        names(&api(t, &s.token, "GET", &format!("/api/v1/threads?assignee={owner_id}"), None).await.1),
        ["Person 4"]
    );
    assert_eq!(
        api(t, &s.token, "GET", "/api/v1/threads?assignee=none", None).await.1["threads"].as_array().unwrap().len(),
        4
    );
    assert_eq!(names(&api(t, &s.token, "GET", "/api/v1/threads?q=question%202", None).await.1), ["Person 2"]);
    assert_eq!(names(&api(t, &s.token, "GET", "/api/v1/threads?q=person%201", None).await.1), ["Person 1"]);
    // Bad input: clear 4xx with stable codes.
    for (m, path, body, code) in [
        ("GET", "/api/v1/threads?status=done".to_string(), None, "invalid_status"),
        ("GET", "/api/v1/threads?cursor=garbage".to_string(), None, "invalid_cursor"),
        ("GET", "/api/v1/threads?limit=abc".to_string(), None, "invalid_query"),
        ("PATCH", format!("/api/v1/threads/{th}"), Some(json!({ "status": "closed" })), "invalid_status"),
        (
            "PATCH",
            format!("/api/v1/threads/{th}"),
            Some(json!({ "assignee_id": frontdesk_core::UserId::new() })),
            "invalid_assignee",
        ),
        ("PATCH", format!("/api/v1/threads/{th}"), Some(json!({ "status": "snoozed" })), "required"),
        ("PATCH", format!("/api/v1/threads/{th}"), Some(json!({ "colour": "red" })), "invalid_field"),
        ("PATCH", format!("/api/v1/threads/{th}"), Some(json!({ "labels": "vip" })), "invalid_field"),
        ("POST", format!("/api/v1/threads/{th}/notes"), Some(json!({ "body": "  " })), "required"),
    ] {
        let (st, v) = api(t, &s.token, m, &path, body).await;
        assert_eq!(st, 422, "{path}: {v}");
        assert_eq!(v["error"]["code"], code, "{path}: {v}");
    }
    let (st, _) = api(t, &s.token, "GET", &format!("/api/v1/threads/{}", frontdesk_core::ThreadId::new()), None).await;
    assert_eq!(st, 404);
    // Notes are private: stored on the thread, audited, never sent.
    let (st, n) = api(
        t,
        &s.token,
        "POST",
        &format!("/api/v1/threads/{th}/notes"),
        Some(json!({ "body": "Regular customer, prefers mornings." })),
    )
    .await;
    assert_eq!(st, 201);
    assert_eq!(n["author_kind"], "api_token");
    assert_eq!(thread(t, &s.token, &th).await["notes"][0]["body"], "Regular customer, prefers mornings.");

    // Resolved, then the customer writes again: the same thread reopens (default) ...
    api(t, &s.token, "PATCH", &format!("/api/v1/threads/{th}"), Some(json!({ "status": "resolved" }))).await;
    assert_eq!(post_signed(t, &format!("/webhooks/whatsapp/{a}"), &write(4, "one more thing"), SECRET).await, 200);
    t.settle().await;
    let v = thread(t, &s.token, &th).await;
    assert_eq!(v["status"], "open");
    assert_eq!(v["messages"].as_array().unwrap().len(), 2);
    // ... or, with the setting off, a new thread starts.
    let (st, _) = api(t, &s.token, "PATCH", "/api/v1/inbox/settings", Some(json!({ "reopen_resolved": false }))).await;
    assert_eq!(st, 200);
    api(t, &s.token, "PATCH", &format!("/api/v1/threads/{th}"), Some(json!({ "status": "resolved" }))).await;
    assert_eq!(post_signed(t, &format!("/webhooks/whatsapp/{a}"), &write(4, "and another"), SECRET).await, 200);
    t.settle().await;
    assert_eq!(threads(t, &s.token, "").await.len(), 6);
    assert_eq!(thread(t, &s.token, &th).await["status"], "resolved");

    // Contacts: edit with validation, and the audit trail.
    let contact = v["contact"]["id"].as_str().unwrap().to_string();
    let (st, k) = api(
        t,
        &s.token,
        "PATCH",
        &format!("/api/v1/contacts/{contact}"),
        Some(json!({ "name": "Pat Doe", "email": "pat@example.com" })),
    )
    .await;
    assert_eq!(st, 200, "{k}");
    assert_eq!(k["name"], "Pat Doe");
    let (st, k) =
        api(t, &s.token, "PATCH", &format!("/api/v1/contacts/{contact}"), Some(json!({ "email": "nope" }))).await;
    assert_eq!((st.as_u16(), k["error"]["code"].as_str().unwrap()), (422, "invalid_email"));
    let entries = frontdesk_platform::audit::export(t.app(), &s.ws).await.unwrap();
    assert!(entries.iter().any(|e| e.action == "thread.update"));
    assert!(entries.iter().any(|e| e.action == "thread.note"));
    assert!(entries.iter().any(|e| e.action == "contact.update"));
    s.t.stop().await;
}

#[tokio::test]
async fn channels_are_managed_by_admins_and_never_show_secrets() {
    let s = setup().await;
    let t = &s.t;
    let a = wa_channel(t, &s.token, PHONE_A).await;
    let (_, list) = api(t, &s.token, "GET", "/api/v1/channels", None).await;
    let text = list.to_string();
    assert!(!text.contains("wa-access-token") && !text.contains(SECRET) && !text.contains("hub-verify"));
    assert_eq!(list[0]["credentials_set"], json!(["access_token", "app_secret", "verify_token"]));
    assert_eq!(list[0]["webhook_url"], t.url(&format!("/webhooks/whatsapp/{a}")));
    // The same number cannot be connected twice.
    let (st, v) = api(t, &s.token, "POST", "/api/v1/channels", Some(json!({ "kind": "whatsapp", "name": "x", "phone_number_id": PHONE_A, "waba_id": "1", "app_id": APP_ID, "access_token": "a", "app_secret": "b", "verify_token": "c" }))).await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str().unwrap()), (409, "channel_exists"));
    // Missing and malformed fields.
    for (body, field, code) in [
        (json!({ "kind": "fax", "name": "x" }), "kind", "invalid_kind"),
        (json!({ "kind": "whatsapp", "name": "x" }), "waba_id", "required"),
        (json!({ "kind": "whatsapp", "name": "x", "waba_id": "12a" }), "waba_id", "invalid_id"),
        (
            json!({ "kind": "webchat", "name": "x", "allowed_origins": ["javascript:alert(1)"] }),
            "allowed_origins",
            "invalid_origin",
        ),
        (json!({ "kind": "webchat" }), "name", "required"),
    ] {
        let (st, v) = api(t, &s.token, "POST", "/api/v1/channels", Some(body)).await;
        assert_eq!(st, 422, "{v}");
        assert_eq!(v["error"]["field"], field, "{v}");
        assert_eq!(v["error"]["code"], code, "{v}");
    }
    // Replacing a credential is audited by name, never by value.
    let (st, _) =
        api(t, &s.token, "PATCH", &format!("/api/v1/channels/{a}"), Some(json!({ "access_token": "rotated-token" })))
            .await;
    assert_eq!(st, 200);
    let entries = frontdesk_platform::audit::export(t.app(), &s.ws).await.unwrap();
    assert!(entries.iter().any(|e| e.action == "channel.update" && e.outcome == "credentials:access_token"));
    let dump = frontdesk_store::row::dump_table_as_text(&t.app().db, "channels").await.unwrap();
    assert!(!dump.contains("rotated-token") && !dump.contains(SECRET), "credentials are sealed at rest");
    // Agents and viewers see channels but cannot change them.
    let viewer = t.api_token(&s.owner, &s.ws, "agent").await;
    assert_eq!(api(t, &viewer, "GET", "/api/v1/channels", None).await.0, 200);
    assert_eq!(api(t, &viewer, "PATCH", &format!("/api/v1/channels/{a}"), Some(json!({ "name": "x" }))).await.0, 403);
    s.t.stop().await;
}

#[tokio::test]
async fn kill_9_in_a_storm_then_restart_stores_every_message_exactly_once() {
    use frontdesk_platform::workspaces::{self as wsp, Principal};
    const N: usize = 600;
    let dir = temp_dir("intake-kill9");
    let db = test_database_url(&dir).await;
    let port = free_port();
    let mut server = Binary::start(&dir, &db, port, "run1.log").await;
    let app = frontdesk_server::build_app(&config_for(&dir, &db), std::sync::Arc::new(frontdesk_platform::SystemClock))
        .await
        .unwrap();
    let user =
        frontdesk_platform::operator::create_user(&app, "owner@example.com", Option::<&str>::None, PASSWORD, false)
            .await
            .unwrap();
    let actor = frontdesk_platform::audit::Actor::cli();
    let ws = wsp::create(&app, &user, "Salon", &actor).await.unwrap();
    let p = Principal::User { id: user.clone(), ip: None };
    let access = wsp::authorize(&app, &p, ws.id.as_str(), frontdesk_core::Action::ManageChannels).await.unwrap();
    let input: frontdesk_inbox::channels::Input =
        serde_json::from_value(json!({ "kind": "whatsapp", "name": "WA", "phone_number_id": PHONE_A,
        "waba_id": "1", "app_id": APP_ID, "access_token": "t", "app_secret": SECRET, "verify_token": "v" }))
        .unwrap();
    let ch = frontdesk_inbox::channels::create(&app, &access, input).await.unwrap();

    let template: Value = serde_json::from_str(fixture!("wa_text.json")).unwrap();
    let bodies: Vec<(String, String)> = (0..N)
        .map(|i| {
            let mut b = template.clone();
            let v = &mut b["entry"][0]["changes"][0]["value"];
            let wa = format!("4990000{i:04}");
            v["contacts"][0]["wa_id"] = json!(wa);
            v["messages"][0]["from"] = json!(wa);
            v["messages"][0]["id"] = json!(format!("wamid.K{i}"));
            let body = b.to_string();
            let sig = meta_signature_header(SECRET.as_bytes(), body.as_bytes());
            (body, sig)
        })
        .collect();
    let bodies = std::sync::Arc::new(bodies);
    let url = format!("http://127.0.0.1:{port}/webhooks/whatsapp/{}", ch.id);
    // The storm: 32 senders; a provider redelivers whatever was not acknowledged.
    let storm = |bodies: std::sync::Arc<Vec<(String, String)>>, url: String| async move {
        let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let acked = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut tasks = vec![];
        for _ in 0..32 {
            let (bodies, url, next, acked) = (bodies.clone(), url.clone(), next.clone(), acked.clone());
            tasks.push(tokio::spawn(async move {
                let c = Client::new();
                loop {
                    let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some((body, sig)) = bodies.get(k) else { break };
                    let r = c
                        .post(&url)
                        .header("content-type", "application/json")
                        .header("x-hub-signature-256", sig)
                        .body(body.clone())
                        .send()
                        .await;
                    if r.is_ok_and(|r| r.status() == 200) {
                        acked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            }));
        }
        (tasks, acked)
    };
    let (tasks, acked) = storm(bodies.clone(), url.clone()).await;
    while acked.load(std::sync::atomic::Ordering::Relaxed) < N / 3 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    server.kill9();
    for t in tasks {
        t.await.unwrap();
    }
    let at_kill = acked.load(std::sync::atomic::Ordering::Relaxed);
    assert!(at_kill < N, "the kill must land mid-storm ({at_kill} acknowledged)");

    let mut server = Binary::start(&dir, &db, port, "run2.log").await;
    let (tasks, _) = storm(bodies.clone(), url.clone()).await;
    for t in tasks {
        t.await.unwrap();
    }
    let mut stored = 0;
    for _ in 0..600 {
        let mut c = app.db.conn().await.unwrap();
        stored = frontdesk_inbox::repo::inbox::count_messages(&mut c, None).await.unwrap();
        let pending = frontdesk_inbox::repo::channels::count_pending(&mut c).await.unwrap();
        if stored == N as i64 && pending == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    server.stop();
    assert_eq!(stored, N as i64, "every message stored exactly once");
    let entries = frontdesk_platform::audit::export(&app, ws.id.as_str()).await.unwrap();
    assert_eq!(entries.iter().filter(|e| e.action == "message.receive").count(), N);
    assert!(frontdesk_platform::audit::verify_all(&app).await.unwrap().is_ok());
    app.db.close().await;
    drop_test_database(&db).await;
}

#[tokio::test]
async fn the_inbox_pages_show_conversations_and_take_triage() {
    let s = setup().await;
    let t = &s.t;
    let a = wa_channel(t, &s.token, PHONE_A).await;
    assert_eq!(post_signed(t, &format!("/webhooks/whatsapp/{a}"), fixture!("wa_text.json"), SECRET).await, 200);
    t.settle().await;
    let ws = &s.ws;
    let html = s.owner.get(t.url(&format!("/w/{ws}/inbox"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Sheena Nelson"), "{html}");
    let th = threads(t, &s.token, "").await[0]["id"].as_str().unwrap().to_string();
    let html = s.owner.get(t.url(&format!("/w/{ws}/inbox/{th}"))).send().await.unwrap().text().await.unwrap();
    let body = thread(t, &s.token, &th).await["messages"][0]["text"].as_str().unwrap().to_string();
    assert!(html.contains(&body.replace('\'', "&#39;")) || html.contains(&body), "{html}");
    let r = s
        .owner
        .post(t.url(&format!("/w/{ws}/inbox/{th}")))
        .form(&[("status", "resolved"), ("assignee", ""), ("labels", "billing, vip")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let v = thread(t, &s.token, &th).await;
    assert_eq!(v["status"], "resolved");
    assert_eq!(v["labels"], json!(["billing", "vip"]));
    let r = s
        .owner
        .post(t.url(&format!("/w/{ws}/inbox/{th}/notes")))
        .form(&[("body", "Called back.")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let html =
        s.owner.get(t.url(&format!("/w/{ws}/inbox?status=resolved"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Sheena Nelson") && html.contains("vip"));
    // Channels page: the webhook URL to paste into Meta's dashboard, and a web chat in two clicks.
    let html = s.owner.get(t.url(&format!("/w/{ws}/channels"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(&t.url(&format!("/webhooks/whatsapp/{a}"))));
    let r = s
        .owner
        .post(t.url(&format!("/w/{ws}/channels")))
        .form(&[("name", "Site chat"), ("allowed_origins", "https://salon.example")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let html = s.owner.get(t.url(&format!("/w/{ws}/channels"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("/chat/widget.js"));
    // A Telegram bot through the form; a bad token shows the reason on the page.
    let r = s
        .owner
        .post(t.url(&format!("/w/{ws}/channels")))
        .form(&[("kind", "telegram"), ("name", "Bot"), ("bot_token", "oops")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("A bot token looks like"));
    let r = s
        .owner
        .post(t.url(&format!("/w/{ws}/channels")))
        .form(&[("kind", "telegram"), ("name", "Bot"), ("bot_token", BOT_TOKEN)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let html = s.owner.get(t.url(&format!("/w/{ws}/channels"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("7000000001") && !html.contains("AAH-test-token"));
    s.t.stop().await;
}

#[tokio::test]
async fn raw_deliveries_are_purged_by_the_scheduler_after_30_days_and_messages_stay() {
    let s = setup().await;
    let t = &s.t;
    let a = wa_channel(t, &s.token, PHONE_A).await;
    assert_eq!(post_signed(t, &format!("/webhooks/whatsapp/{a}"), fixture!("wa_text.json"), SECRET).await, 200);
    assert_eq!(post_signed(t, &format!("/webhooks/whatsapp/{a}"), "garbage", SECRET).await, 200);
    t.settle().await;
    let raw = |t: &TestApp| {
        let db = t.app().db.clone();
        async move {
            let mut c = db.conn().await.unwrap();
            let mut n = 0;
            for st in ["processed", "unparseable"] {
                n += frontdesk_inbox::repo::channels::events_with_status(&mut c, st, 100).await.unwrap().len();
            }
            n
        }
    };
    assert_eq!(raw(t).await, 2);
    // 29 days on: still kept.
    t.clock.advance_ms(29 * 24 * 3600 * 1000);
    frontdesk_platform::jobs::tick_scheduler(t.app(), &frontdesk_server::schedules()).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(raw(t).await, 2);
    // Past 30 days: the hourly maintenance run purges them; the message itself stays.
    t.clock.advance_ms(2 * 24 * 3600 * 1000);
    frontdesk_platform::jobs::tick_scheduler(t.app(), &frontdesk_server::schedules()).await.unwrap();
    for _ in 0..100 {
        if raw(t).await == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(raw(t).await, 0);
    assert_eq!(message_count(t).await, 1);
    s.t.stop().await;
}

#[tokio::test]
async fn an_unknown_channel_kind_in_the_database_is_an_error_never_a_web_chat() {
    let s = setup().await;
    let t = &s.t;
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    let mut c = t.app().db.conn().await.unwrap();
    frontdesk_store::row::raw_execute(&mut c, &format!("UPDATE channels SET kind = 'pigeon' WHERE id = '{ch}'"))
        .await
        .unwrap();
    drop(c);
    // Read back, the row is refused where it is parsed: no guessed kind ever reaches a caller.
    let (st, v) = api(t, &s.token, "GET", &format!("/api/v1/channels/{ch}"), None).await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (500, Some("internal")), "{v}");
    let body = fixture!("wa_text.json");
    assert_ne!(post_signed(t, &format!("/webhooks/whatsapp/{ch}"), body, SECRET).await, 200);
    s.t.stop().await;
}

#[tokio::test]
async fn a_database_from_before_byte_exact_bodies_keeps_its_pending_deliveries() {
    // A database at migration 7 (bodies stored as text), with a delivery still pending.
    let dir = temp_dir("upgrade");
    let url = test_database_url(&dir).await;
    let db = frontdesk_store::Db::connect(&url, 2).await.unwrap();
    let old: Vec<frontdesk_store::Migration> =
        frontdesk_server::MIGRATIONS.iter().flat_map(|set| set.iter().copied()).filter(|m| m.version < 8).collect();
    assert_eq!(db.migrate(&[&old]).await.unwrap(), 7);
    let body = "{\"object\":\"whatsapp_business_account\",\"entry\":[],\"note\":\"ñ 🙂\"}";
    let mut c = db.conn().await.unwrap();
    frontdesk_store::row::raw_execute(
        &mut c,
        &format!(
            "INSERT INTO inbound_events (id, provider, route, body_sha256, body, status, attempts, received_at) \
             VALUES ('00000000-0000-7000-8000-000000000001', 'whatsapp', 'r', 'h', '{body}', 'pending', 0, 1)"
        ),
    )
    .await
    .unwrap();
    drop(c);
    // Upgrading keeps it, byte for byte, still pending.
    let newer = frontdesk_server::MIGRATIONS.iter().flat_map(|set| set.iter()).filter(|m| m.version >= 8).count();
    assert_eq!(db.migrate(frontdesk_server::MIGRATIONS).await.unwrap(), newer);
    let mut c = db.conn().await.unwrap();
    let pending = frontdesk_inbox::repo::channels::events_with_status(&mut c, "pending", 10).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].body, body.as_bytes());
    assert_eq!(pending[0].signature, None);
    drop(c);
    db.close().await;
    drop_test_database(&url).await;
}
