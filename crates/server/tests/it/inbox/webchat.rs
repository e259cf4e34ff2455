//! The web chat, as a visitor's browser uses it: CORS for the business's sites only, an
//! anonymous token, idempotent sends, the conversation read back and pushed live over SSE.

use crate::helpers::PASSWORD;
use crate::inbox::intake::{api, setup};
use reqwest::Client;
use serde_json::{json, Value};
use std::time::Duration;

const SITE: &str = "https://salon.example";

#[tokio::test]
async fn a_visitor_chats_from_an_allowed_site_and_the_business_sees_the_thread() {
    let s = setup().await;
    let t = &s.t;
    let (st, ch) = api(
        t,
        &s.token,
        "POST",
        "/api/v1/channels",
        Some(json!({ "kind": "webchat", "name": "Site chat", "allowed_origins": [format!("{SITE}/")] })),
    )
    .await;
    assert_eq!(st, 201, "{ch}");
    assert_eq!(ch["allowed_origins"], json!([SITE]));
    let id = ch["id"].as_str().unwrap().to_string();
    assert!(ch["embed"].as_str().unwrap().contains(&format!("data-channel=\"{id}\"")));
    let c = Client::new();

    // The script is served for embedding.
    let r = c.get(t.url("/chat/widget.js")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("application/javascript"));
    assert!(r.text().await.unwrap().contains("localStorage"));

    // Preflight and start from the allowed site; another site gets no CORS and a 403.
    let r = c
        .request(reqwest::Method::OPTIONS, t.url(&format!("/chat/{id}/messages")))
        .header("origin", SITE)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(r.headers()["access-control-allow-origin"], SITE);
    let r = c
        .post(t.url(&format!("/chat/{id}/conversations")))
        .header("origin", "https://evil.example")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.headers().get("access-control-allow-origin").is_none());
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "origin_not_allowed");
    // A pre-chat answer that is neither an email nor a phone is refused with its field.
    let r = c
        .post(t.url(&format!("/chat/{id}/conversations")))
        .header("origin", SITE)
        .json(&json!({ "name": "Lia", "contact": "tomorrow" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    assert_eq!(
        (e["error"]["code"].as_str(), e["error"]["field"].as_str()),
        (Some("invalid_contact"), Some("contact")),
        "{e}"
    );
    // The owner is told on the channels page.
    let page = s.owner.get(t.url(&format!("/w/{}/channels", s.ws))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"data-refused="https://evil.example""#) && page.contains("1 time"), "{page}");
    let r = c
        .post(t.url(&format!("/chat/{id}/conversations")))
        .header("origin", SITE)
        .header("sec-fetch-site", "cross-site")
        .json(&json!({ "name": "Lia" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(r.headers()["access-control-allow-origin"], SITE);
    assert!(r.headers().get("set-cookie").is_none(), "no cookies");
    let token = r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("fdv_"));

    // Live: the visitor's page listens while it sends.
    let mut sse =
        c.get(t.url(&format!("/chat/{id}/events?token={token}"))).header("origin", SITE).send().await.unwrap();
    assert_eq!(sse.status(), 200);
    assert!(sse.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));

    let send = |text: &str, client_id: &str| {
        c.post(t.url(&format!("/chat/{id}/messages")))
            .header("origin", SITE)
            .bearer_auth(&token)
            .json(&json!({ "text": text, "client_id": client_id }))
            .send()
    };
    let r = send("Hi! Can I book a haircut on Saturday?", "c1").await.unwrap();
    assert_eq!(r.status(), 201);
    let first: Value = r.json().await.unwrap();
    assert_eq!(first["from"], "visitor");
    assert_eq!(first["status"], "sent");
    // A retried send (same client id) is the same message.
    let again: Value = send("Hi! Can I book a haircut on Saturday?", "c1").await.unwrap().json().await.unwrap();
    assert_eq!(again["id"], first["id"]);

    let mut got = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !got.contains("event: message") {
        let chunk =
            tokio::time::timeout_at(deadline, sse.chunk()).await.expect("an SSE event within 5 s").unwrap().unwrap();
        got.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(got.contains("book a haircut"), "{got}");

    let r =
        c.get(t.url(&format!("/chat/{id}/messages"))).header("origin", SITE).bearer_auth(&token).send().await.unwrap();
    let list: Value = r.json().await.unwrap();
    assert_eq!(list["messages"].as_array().unwrap().len(), 1);
    let cursor = list["messages"][0]["cursor"].as_str().unwrap().to_string();
    send("Or Sunday.", "c2").await.unwrap();
    let r = c.get(t.url(&format!("/chat/{id}/messages?after={cursor}"))).bearer_auth(&token).send().await.unwrap();
    let newer: Value = r.json().await.unwrap();
    assert_eq!(newer["messages"].as_array().unwrap().len(), 1);
    assert_eq!(newer["messages"][0]["text"], "Or Sunday.");

    // The business sees one thread with the visitor as a contact.
    let (_, list) = api(t, &s.token, "GET", "/api/v1/threads", None).await;
    let threads = list["threads"].as_array().unwrap();
    assert_eq!(threads.len(), 1);
    assert_eq!(threads[0]["channel_kind"], "webchat");
    assert_eq!(threads[0]["contact"]["name"], "Lia");
    assert_eq!(threads[0]["preview"], "Or Sunday.");

    // Bad input and bad tokens: clear errors.
    for (body, status, code) in [
        (json!({ "text": "   " }), 422, "required"),
        (json!({ "text": "x".repeat(4001) }), 422, "too_long"),
        (json!({ "text": "hi", "client_id": "bad id!" }), 422, "invalid_value"),
        (json!({ "txt": "hi" }), 422, "invalid_field"),
    ] {
        let r = c.post(t.url(&format!("/chat/{id}/messages"))).bearer_auth(&token).json(&body).send().await.unwrap();
        assert_eq!(r.status().as_u16(), status, "{body}");
        assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], code, "{body}");
    }
    let r = c
        .post(t.url(&format!("/chat/{id}/messages")))
        .bearer_auth("fdv_forged")
        .json(&json!({ "text": "hi" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = c
        .get(t.url(&format!("/chat/{}/messages", frontdesk_core::ChannelId::new())))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // STOP from the chat is an opt-out like on any channel.
    send("STOP", "c3").await.unwrap();
    let contact = threads[0]["contact"]["id"].as_str().unwrap();
    let (_, consent) = api(t, &s.token, "GET", &format!("/api/v1/contacts/{contact}/consent"), None).await;
    assert_eq!(consent["state"][0]["state"], "opt_out");

    // The widget's config brings its words: in the language it asks for (the page's), else the
    // browser's, else English; the notice while closed names when it opens, in that language.
    let config = |q: &'static str, accept: &'static str| {
        let r = c.get(t.url(&format!("/chat/{id}/config{q}"))).header("accept-language", accept);
        async move { r.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let en = config("", "").await;
    assert_eq!(
        (en["business"].as_str(), en["words"]["title"].as_str(), en["words"]["send"].as_str()),
        (Some("Salon A"), Some("Chat with us"), Some("Send")),
        "{en}"
    );
    assert_eq!(en["words"]["failed"], "Not sent: {reason}", "{en}");
    let es = config("?lang=es", "en").await;
    assert_eq!(
        (es["words"]["title"].as_str(), es["words"]["send"].as_str(), es["words"]["message"].as_str()),
        (Some("Escríbenos"), Some("Enviar"), Some("Mensaje")),
        "{es}"
    );
    assert_eq!(es["words"]["greeting"], "¡Hola! Pregúntanos lo que quieras; te respondemos aquí.", "{es}");
    assert_eq!(config("", "es-ES,es;q=0.9").await["words"]["title"], "Escríbenos");
    assert_eq!(config("?lang=en", "es").await["words"]["title"], "Chat with us");
    let closed =
        json!({ "hours": { "time_zone": "UTC", "ranges": [{ "day": "mon", "open": "09:00", "close": "09:01" }] } });
    let (st, _) = api(t, &s.token, "PUT", "/api/v1/business-hours", Some(closed)).await;
    assert_eq!(st, 200);
    let es = config("?lang=es", "").await;
    assert_eq!(es["open"], false, "{es}");
    assert_eq!(es["words"]["closed"], "Ahora estamos cerrados y respondemos cuando abramos (lun 09:00).", "{es}");
    let en = config("?lang=en", "").await;
    assert_eq!(en["words"]["closed"], "We are closed now and answer when we open (Mon 09:00).", "{en}");
    // The business's logo shows in the widget's header: the config says it has one and the
    // widget fetches it from the chat's own address (public, typed, not sniffed).
    assert_eq!(en["logo"], Value::Null, "{en}");
    assert_eq!(c.get(t.url(&format!("/chat/{id}/logo"))).send().await.unwrap().status(), 404);
    let png = [b"\x89PNG\r\n\x1a\n".as_slice(), b"rest-of-a-png"].concat();
    let r = s.owner.post(t.url(&format!("/w/{}/settings/profile/logo", s.ws))).body(png.clone()).send().await.unwrap();
    assert_eq!(r.status(), 204);
    let en = config("", "").await;
    let v = en["logo"].as_str().unwrap_or_else(|| panic!("{en}"));
    let r = c.get(t.url(&format!("/chat/{id}/logo?v={v}"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert_eq!(r.bytes().await.unwrap().to_vec(), png);
    s.t.stop().await;
}

#[tokio::test]
async fn web_chat_is_rate_limited_per_visitor_and_closes_when_disabled() {
    let s = setup().await;
    let t = &s.t;
    let (_, ch) =
        api(t, &s.token, "POST", "/api/v1/channels", Some(json!({ "kind": "webchat", "name": "Chat" }))).await;
    let id = ch["id"].as_str().unwrap().to_string();
    let c = Client::new();
    let start: Value = c.post(t.url(&format!("/chat/{id}/conversations"))).send().await.unwrap().json().await.unwrap();
    let token = start["token"].as_str().unwrap().to_string();
    let mut codes = vec![];
    for i in 0..22 {
        let r = c
            .post(t.url(&format!("/chat/{id}/messages")))
            .bearer_auth(&token)
            .json(&json!({ "text": format!("message {i}") }))
            .send()
            .await
            .unwrap();
        codes.push(r.status().as_u16());
    }
    assert_eq!(codes.iter().filter(|c| **c == 201).count(), 20);
    assert_eq!(codes.last(), Some(&429));
    t.clock.advance_ms(61_000);
    let r = c
        .post(t.url(&format!("/chat/{id}/messages")))
        .bearer_auth(&token)
        .json(&json!({ "text": "later" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    // The business closes the chat.
    api(t, &s.token, "PATCH", &format!("/api/v1/channels/{id}"), Some(json!({ "disabled": true }))).await;
    let r = c
        .post(t.url(&format!("/chat/{id}/messages")))
        .bearer_auth(&token)
        .json(&json!({ "text": "hello?" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 410);
    s.t.stop().await;
}

/// The browser test's tools: Debian's Chromium and playwright-core from npm (installed by
/// `.ci/run`). Missing tools skip the test locally and fail it under CI.
pub fn browser_tools() -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let ok = dir.join("node_modules/playwright-core").exists()
        && std::path::Path::new(&chromium).exists()
        && std::process::Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok {
        assert!(!crate::helpers::ci(), "browser tests need chromium, node and `npm ci` in {}", dir.display());
        eprintln!("skipping: chromium, node or playwright-core missing");
        return None;
    }
    Some(dir)
}

/// A browser script of `tests/browser` run by node, with its stdin (the test's "go on") and its
/// stdout lines (one JSON object per step).
pub struct BrowserScript {
    pub node: tokio::process::Child,
    pub stdin: tokio::process::ChildStdin,
    pub out: tokio::io::Lines<tokio::io::BufReader<tokio::process::ChildStdout>>,
}

impl BrowserScript {
    pub fn start(dir: &std::path::Path, script: &str, args: &[String]) -> Self {
        use tokio::io::AsyncBufReadExt;
        let mut node = tokio::process::Command::new("node")
            .arg(script)
            .args(args)
            .current_dir(dir)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let out = tokio::io::BufReader::new(node.stdout.take().unwrap()).lines();
        let stdin = node.stdin.take().unwrap();
        Self { node, stdin, out }
    }

    /// The script's next step, which must be `name`.
    pub async fn step(&mut self, name: &str) -> Value {
        let line = tokio::time::timeout(Duration::from_secs(60), self.out.next_line())
            .await
            .expect("the browser answers within a minute")
            .unwrap()
            .expect("a line from the browser script");
        let v: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["step"], name, "{v}");
        v
    }

    /// Hands the script a line (a value it waits for).
    pub async fn say(&mut self, line: &str) {
        use tokio::io::AsyncWriteExt;
        self.stdin.write_all(format!("{line}\n").as_bytes()).await.unwrap();
    }

    /// Tells the script to go on.
    pub async fn go(&mut self) {
        use tokio::io::AsyncWriteExt;
        self.stdin.write_all(b"go\n").await.unwrap();
    }

    pub async fn finish(self) {
        let mut node = self.node;
        drop(self.stdin);
        let _ = tokio::time::timeout(Duration::from_secs(30), node.wait()).await;
    }
}

#[tokio::test]
async fn the_widget_works_in_a_real_browser_on_another_site() {
    let Some(dir) = browser_tools() else { return };
    let stripe = crate::billing::stripe::FakeStripe::start().await;
    let s = crate::inbox::intake::setup_with(crate::helpers::Options {
        billing: Some(stripe.settings()),
        ..Default::default()
    })
    .await;
    stripe.use_clock(s.t.clock.clone());
    let t = &s.t;
    // The business's own site, on another origin, embedding the script with one tag.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let site = format!("http://{}", listener.local_addr().unwrap());
    let (_, ch) = api(
        t,
        &s.token,
        "POST",
        "/api/v1/channels",
        Some(json!({ "kind": "webchat", "name": "Site", "allowed_origins": [site] })),
    )
    .await;
    let embed = ch["embed"].as_str().unwrap().to_string();
    // A site whose CSS would restyle anything it reaches.
    let hostile = "<style>body{font:30px serif;color:red} header{background:brown;font-size:40px} button{background:lime;font-size:40px;border-radius:0} input{border:5px solid red;font-size:40px} li{background:yellow}</style>";
    let html = format!(
        "<!doctype html><html lang=en><head><title>Salon</title>{hostile}</head><body><header>Salon</header><h1>Salon</h1>{embed}</body></html>"
    );
    let prechat = embed.replace(" async>", " data-prechat=\"true\" async>");
    assert_ne!(prechat, embed);
    let es = format!("<!doctype html><html lang=es><head><title>Salón</title>{hostile}</head><body><h1>Salón</h1>{prechat}</body></html>");
    // The same site's booking page, embedded with the code the settings page gives.
    let book = format!(
        "<!doctype html><html lang=en><head><title>Book</title><meta name=viewport content=\"width=device-width\"></head><body style=\"margin:0\"><h1>Book</h1><iframe id=booking src=\"{}/book/salon-a\" title=\"Book with Salon A\" style=\"width:100%;min-height:1200px;border:0\"></iframe></body></html>",
        t.config.server.base_url
    );
    let app = axum::Router::new()
        .route("/", axum::routing::get(move || async move { axum::response::Html(html) }))
        .route("/book", axum::routing::get(move || async move { axum::response::Html(book) }))
        .route("/es", axum::routing::get(move || async move { axum::response::Html(es) }))
        .route("/favicon.ico", axum::routing::get(|| async { axum::http::StatusCode::NO_CONTENT }));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    // The business's colour, and hours that say it is closed now.
    let (st, _) = api(t, &s.token, "PUT", "/api/v1/profile", Some(json!({ "brand_colour": "#a1306b" }))).await;
    assert_eq!(st, 200);
    let closed =
        json!({ "hours": { "time_zone": "UTC", "ranges": [{ "day": "mon", "open": "09:00", "close": "09:01" }] } });
    let (st, _) = api(t, &s.token, "PUT", "/api/v1/business-hours", Some(closed)).await;
    assert_eq!(st, 200);
    let service = bookable(&s, &site).await;
    let args = [format!("{site}/"), t.url(""), "owner@example.com".into(), PASSWORD.into(), s.ws.clone()];
    let mut b = BrowserScript::start(&dir, "webchat.mjs", &args);
    let sent = b.step("sent").await;
    assert_eq!(sent["tokens"], 1, "the visitor token is kept in localStorage");
    assert_eq!(sent["cookies"], 0, "no cookies");
    assert_eq!(sent["globals"], json!([]), "no globals on the host page: {sent}");
    // The business's name, colour, a greeting, and that it is closed now.
    let shown = &sent["shown"];
    assert_eq!(shown["head"], "Salon A", "{sent}");
    assert!(shown["greeting"].as_str().unwrap().starts_with("Hi!"), "{sent}");
    assert!(
        shown["notice"].as_str().unwrap().starts_with("We are closed now and answer when we open (Mon 09:00"),
        "{sent}"
    );
    assert_eq!(shown["launcher"], "rgb(161, 48, 107)", "{sent}");
    // The host's CSS does not reach the widget.
    let st = &sent["styles"];
    assert_eq!(st["header"]["bg"], "rgb(255, 255, 255)", "{sent}");
    assert_eq!(st["header"]["size"], "14px", "{sent}");
    assert_eq!(st["send"]["bg"], "rgb(161, 48, 107)", "the business's colour, not the host's: {sent}");
    assert_eq!(st["input"]["size"], "16px", "16 px inputs: no zoom on phones: {sent}");
    assert!(!st["header"]["family"].as_str().unwrap().starts_with("serif"), "{sent}");
    // A dropped request and a double-click: one message.
    assert_eq!(sent["dropped"], 1, "{sent}");
    assert_eq!(sent["visitorMessages"], 1, "{sent}");

    // The business sees the message; its reply reaches the open widget live.
    let (_, list) = api(t, &s.token, "GET", "/api/v1/threads", None).await;
    let th = &list["threads"][0];
    assert_eq!(th["preview"], "Hello from the widget");
    let (_, detail) = api(t, &s.token, "GET", &format!("/api/v1/threads/{}", th["id"].as_str().unwrap()), None).await;
    assert_eq!(detail["messages"].as_array().map(Vec::len), Some(1), "stored once: {detail}");
    {
        use frontdesk_core::*;
        let now = t.app().now().0;
        let m = frontdesk_inbox::repo::inbox::Message {
            id: MessageId::new(),
            workspace_id: WorkspaceId::parse(&s.ws).unwrap(),
            thread_id: ThreadId::parse(th["id"].as_str().unwrap()).unwrap(),
            channel_id: ChannelId::parse(ch["id"].as_str().unwrap()).unwrap(),
            contact_id: ContactId::parse(th["contact"]["id"].as_str().unwrap()).unwrap(),
            direction: "out".into(),
            kind: "text".into(),
            body: Some("Yes, Saturday at 10 works.".into()),
            status: "sent".into(),
            created_at: now,
            updated_at: now,
            ..Default::default()
        };
        let mut c = t.app().db.conn().await.unwrap();
        frontdesk_inbox::repo::inbox::insert_message(&mut c, &m).await.unwrap();
        t.app().live.publish(frontdesk_inbox::live::LiveEvent {
            workspace_id: s.ws.clone(),
            kind: "message.created",
            thread_id: m.thread_id.to_string(),
            channel_id: m.channel_id.to_string(),
            contact_id: m.contact_id.to_string(),
            message_id: Some(m.id.to_string()),
        });
    }
    b.go().await;
    let done = b.step("done").await;
    assert_eq!(done["reply"], "Yes, Saturday at 10 works.");
    assert_eq!(
        (done["badge"].as_str(), done["badgeAfter"].as_bool()),
        (Some("1"), Some(false)),
        "an unread badge while closed: {done}"
    );
    assert_eq!(done["afterReload"], 2, "the conversation comes back after a reload");
    assert_eq!(
        (done["spanish"].as_i64(), done["spanishSend"].as_i64()),
        (Some(1), Some(1)),
        "Spanish on a lang=es page: {done}"
    );
    assert_eq!(done["errors"], json!([]), "no script errors");
    assert_eq!(done["axe"], json!([]), "axe inside the widget's shadow root: {done}");
    assert!(done["axeSawWidget"].as_i64().unwrap_or(0) > 5, "axe looked inside the shadow root: {done}");

    // The booking page in a frame on the site, on a phone in New York; the salon opens in the
    // mornings now, and the staff watch the day of its first free time.
    let (day, first) = first_free(&s, &service).await;
    b.say(&day).await;
    let booked = b.step("booked").await;
    assert!(booked["confirmed"].as_str().unwrap().contains("Your booking is confirmed."), "{booked}");
    assert_eq!(booked["fits"], true, "no sideways scrolling at 375 px: {booked}");
    assert_eq!(booked["frameWidth"], 375, "{booked}");
    assert_eq!(booked["foreign"], json!([]), "no third-party requests: {booked}");
    let start = booked["start"].as_str().unwrap();
    assert!(start.ends_with("-05:00") || start.ends_with("-04:00"), "times in the visitor's zone: {start}");
    assert_eq!(frontdesk_core::Timestamp::parse_rfc3339(start).unwrap().0, first, "the first free time");
    let seen = booked["seen"].as_str().unwrap();
    assert!(seen.contains("Haircut") && seen.contains("Lucía Díaz") && seen.contains("Confirmed"), "live: {booked}");
    // The email, with an .ics a calendar program reads: the same instant.
    let (_, _, ics) = crate::bookings::public::mail_with_ics(t, "lucia@example.com", 1).await;
    let ics = ics.expect("the confirmation carries the .ics");
    if let Some(read) = crate::bookings::public::icalendar(t, &ics) {
        assert_eq!(read["summary"], "Haircut", "{read}");
        assert_eq!(read["start"].as_i64(), Some(first / 1000), "{read}");
        assert_eq!(read["end"].as_i64(), Some(first / 1000 + 3600), "{read}");
    }
    b.go().await;
    let moved = b.step("moved").await;
    assert!(moved["moved"].as_str().unwrap().contains("Your booking has moved"), "{moved}");
    assert_ne!(moved["seenMoved"], booked["seen"], "the calendar moved it live: {moved}");
    let later = frontdesk_core::Timestamp::parse_rfc3339(moved["other"].as_str().unwrap()).unwrap().0;
    let (_, _, ics) = crate::bookings::public::mail_with_ics(t, "lucia@example.com", 2).await;
    if let Some(read) = crate::bookings::public::icalendar(t, &ics.unwrap()) {
        assert_eq!(read["start"].as_i64(), Some(later / 1000), "the moved time: {read}");
    }
    // The appointment's time comes; she walks in.
    t.clock.advance_ms(later - t.app().now().0 + 5 * 60_000);
    b.go().await;
    let arrived = b.step("arrived").await;
    assert_eq!(arrived["arrived"], 1, "{arrived}");
    assert_eq!(arrived["errors"], json!([]), "no script errors: {arrived}");
    // The salon now asks a 5 € deposit, through its Stripe account: the next visitor books in
    // the frame, pays on the (loopback) Checkout page and comes back to a confirmed booking.
    let (st, v) = api(
        t,
        &s.token,
        "PUT",
        "/api/v1/payment-accounts/stripe",
        Some(json!({ "secret_key": "sk_test_journey_00000001" })),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    let (_, svc) = api(t, &s.token, "GET", &format!("/api/v1/booking/services/{service}"), None).await;
    let mut body = svc.clone();
    body["payment"] = json!("deposit");
    body["deposit"] = json!("5.00");
    let (st, v) = api(t, &s.token, "PUT", &format!("/api/v1/booking/services/{service}"), Some(body)).await;
    assert_eq!(st, 200, "{v}");
    b.go().await;
    let paid = b.step("paid").await;
    assert!(paid["due"].as_str().unwrap().contains("5.00"), "the deposit is shown: {paid}");
    assert!(paid["checkout"].as_str().unwrap().starts_with(&stripe.base), "{paid}");
    assert!(paid["confirmed"].as_str().unwrap().contains("Your booking is confirmed."), "{paid}");
    assert_eq!(paid["errors"], json!([]), "no script errors: {paid}");
    let (_, list) = api(t, &s.token, "GET", "/api/v1/payments", None).await;
    let p = &list["payments"][0];
    assert_eq!((p["status"].as_str(), p["amount_minor"].as_i64()), (Some("paid"), Some(500)), "{list}");
    b.finish().await;
    s.t.stop().await;
}

/// A salon's catalog for the booking journey (Madrid, a day's notice), its booking page
/// embeddable on `site`: the service's id.
async fn bookable(s: &crate::inbox::intake::Setup, site: &str) -> String {
    let t = &s.t;
    let (st, v) = api(t, &s.token, "PUT", "/api/v1/profile", Some(json!({ "time_zone": MADRID }))).await;
    assert_eq!((st.as_u16(), v["slug"].as_str()), (200, Some("salon-a")), "{v}");
    let body = json!({ "kind": "staff", "name": "Eva", "time_zone": MADRID, "hours": mornings() });
    let (st, v) = api(t, &s.token, "POST", "/api/v1/booking/resources", Some(body)).await;
    assert_eq!(st, 201, "{v}");
    let body = json!({ "name": "Haircut", "duration_min": 60, "price": "18", "resources": [[v["id"]]],
                       "min_notice_min": 1440, "cancel_notice_min": 60 });
    let (st, v) = api(t, &s.token, "POST", "/api/v1/booking/services", Some(body)).await;
    assert_eq!(st, 201, "{v}");
    let (st, p) = api(t, &s.token, "PUT", "/api/v1/booking/page", Some(json!({ "embed_origins": [site] }))).await;
    assert_eq!(st, 200, "{p}");
    v["id"].as_str().unwrap().to_string()
}

const MADRID: &str = "Europe/Madrid";

fn mornings() -> Vec<Value> {
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .map(|d| json!({ "day": d, "open": "09:00", "close": "12:00" }))
        .collect()
}

/// Opens the business in the mornings (Madrid): the day (in Madrid) and instant of the
/// service's first free time.
async fn first_free(s: &crate::inbox::intake::Setup, service: &str) -> (String, i64) {
    let t = &s.t;
    let hours = json!({ "hours": { "time_zone": MADRID, "ranges": mornings() } });
    let (st, v) = api(t, &s.token, "PUT", "/api/v1/business-hours", Some(hours)).await;
    assert_eq!(st, 200, "{v}");
    let now = t.app().now().0;
    let from = frontdesk_core::hours::local_date(MADRID, now).unwrap();
    let to = frontdesk_core::hours::local_date(MADRID, now + 6 * 86_400_000).unwrap();
    let q = format!("/api/v1/booking/slots?service_id={service}&from={from}&to={to}&time_zone={MADRID}");
    let (st, v) = api(t, &s.token, "GET", &q, None).await;
    assert_eq!(st, 200, "{v}");
    let first = frontdesk_core::Timestamp::parse_rfc3339(v["slots"][0]["start"].as_str().unwrap()).unwrap().0;
    (frontdesk_core::hours::local_date(MADRID, first).unwrap(), first)
}
