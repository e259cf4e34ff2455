//! Files from agents: checked and stored before the send, then uploaded or linked the way each
//! provider takes them (WhatsApp media upload + media id, Telegram multipart sendPhoto /
//! sendDocument, Instagram and web chat a signed link that expires), refused with a code when
//! too large, of the wrong type, or not allowed by the gate or the channel.

use crate::helpers::*;
use crate::inbox::intake::{
    api, ig_channel, post_signed, setup_with, tg_channel, tg_update, wa_channel, Setup, IG_ACCOUNT, PHONE_A, SECRET,
};
use crate::inbox::outbox::{deliver, first_thread, message, wa_text, CUSTOMER};
use reqwest::Client;
use serde_json::{json, Value};

/// A small PNG: the signature, then our marker.
fn png() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.extend_from_slice(b"frontdesk-test-image-bytes");
    b
}

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\nfrontdesk-test-price-list\n%%EOF".to_vec()
}

async fn setup() -> Setup {
    setup_with(Options { job_workers: Some(0), media_max_bytes: Some(64 * 1024), ..Default::default() }).await
}

async fn upload(t: &TestApp, token: &str, th: &str, mime: &str, query: &str, bytes: Vec<u8>) -> (u16, Value) {
    let r = Client::new()
        .post(t.url(&format!("/api/v1/threads/{th}/attachments?{query}")))
        .bearer_auth(token)
        .header("content-type", mime)
        .body(bytes)
        .send()
        .await
        .unwrap();
    let st = r.status().as_u16();
    (st, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn an_image_goes_to_whatsapp_as_an_uploaded_media_id_with_its_caption() {
    let s = setup().await;
    let t = &s.t;
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.F1", "Can you send me the price list?")).await;
    let th = first_thread(t, &s.token).await["id"].as_str().unwrap().to_string();

    // Refused with a code, nothing queued.
    let (st, v) = upload(t, &s.token, &th, "image/png", "filename=x.png", vec![]).await;
    assert_eq!((st, v["error"]["code"].as_str()), (422, Some("required")), "{v}");
    let (st, v) = upload(t, &s.token, &th, "image/png", "filename=x.png", pdf()).await;
    assert_eq!((st, v["error"]["code"].as_str()), (422, Some("attachment_type_mismatch")), "{v}");
    let (st, v) = upload(t, &s.token, &th, "application/zip", "filename=x.zip", b"PK\x03\x04zip".to_vec()).await;
    assert_eq!((st, v["error"]["code"].as_str()), (415, Some("unsupported_media_type")), "{v}");
    let (st, _) = upload(t, &s.token, &th, "application/pdf", "filename=big.pdf", vec![b'%'; 65 * 1024]).await;
    assert_eq!(st, 413, "larger than the configured media size");
    t.run_jobs().await;
    assert!(s.fake.rec.named("whatsapp").is_empty(), "nothing reached the provider");

    // An image with a caption; the file name is cleaned of any path.
    let r = Client::new()
        .post(t.url(&format!("/api/v1/threads/{th}/attachments?filename=..%2F..%2Fprices.png&text=Our%20prices")))
        .bearer_auth(&s.token)
        .header("content-type", "image/png")
        .header("idempotency-key", "file-1")
        .body(png())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let m: Value = r.json().await.unwrap();
    assert_eq!(
        (m["kind"].as_str(), m["status"].as_str(), m["text"].as_str()),
        (Some("image"), Some("queued"), Some("Our prices"))
    );
    assert_eq!(m["media"][0]["filename"], "prices.png", "{m}");
    // A retry with the same key is the same message.
    let (st, again) = upload(t, &s.token, &th, "image/png", "filename=prices.png", png()).await;
    assert_eq!(st, 201, "a different request without the key is a new message: {again}");
    let r = Client::new()
        .post(t.url(&format!("/api/v1/threads/{th}/attachments?filename=prices.png&text=Our%20prices")))
        .bearer_auth(&s.token)
        .header("content-type", "image/png")
        .header("idempotency-key", "file-1")
        .body(png())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["id"], m["id"]);

    t.run_jobs().await;
    let uploads = s.fake.rec.named("whatsapp upload");
    assert_eq!(uploads.len(), 2, "one upload per message");
    let up = &uploads[0];
    assert!(up["content_type"].as_str().unwrap().starts_with("multipart/form-data"), "{up}");
    assert_eq!(up["parts"], json!(["messaging_product", "type", "file"]), "{up}");
    assert!(up["text"].as_str().unwrap().contains("frontdesk-test-image-bytes"));
    assert_eq!(up["authorization"], "Bearer wa-access-token");
    let sends = s.fake.rec.named("whatsapp send");
    let send = &sends[0]["body"];
    assert_eq!(send["type"], "image", "{send}");
    assert_eq!(send["image"]["id"], "media.1");
    assert_eq!(send["image"]["caption"], "Our prices");
    let m = message(t, &s.token, &th, m["id"].as_str().unwrap()).await;
    assert_eq!(m["status"], "sent", "{m}");
    // The agent's copy is kept and served to the team.
    let url = m["media"][0]["url"].as_str().unwrap();
    let got = Client::new().get(t.url(url)).bearer_auth(&s.token).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(got.to_vec(), png());
    let p = s.owner.get(t.url(&format!("/w/{}/inbox/{th}", s.ws))).send().await.unwrap().text().await.unwrap();
    assert!(p.contains(r#"class="preview""#), "an image preview in the thread: {p}");

    // After STOP the gate refuses, and nothing is stored or sent.
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.F2", "STOP")).await;
    let (st, v) = upload(t, &s.token, &th, "application/pdf", "filename=list.pdf", pdf()).await;
    assert_eq!((st, v["error"]["code"].as_str()), (409, Some("contact_opted_out")), "{v}");
    s.t.stop().await;
}

#[tokio::test]
async fn telegram_gets_multipart_and_instagram_a_signed_link() {
    let s = setup().await;
    let t = &s.t;
    let rec = &s.fake.rec;
    let (tg, secret) = tg_channel(t, &s.token, &s.fake).await;
    let now = t.app().now().0 / 1000;
    let update = json!({ "update_id": 501, "message": { "message_id": 78, "date": now,
        "from": { "id": 434343, "is_bot": false, "first_name": "Ana" },
        "chat": { "id": 434343, "type": "private", "first_name": "Ana" }, "text": "¿Me mandas la lista de precios?" } });
    tg_update(t, &tg, &secret, &update).await;
    let th = first_thread(t, &s.token).await["id"].as_str().unwrap().to_string();
    let (st, m) =
        upload(t, &s.token, &th, "application/pdf", "filename=precios.pdf&text=Aqu%C3%AD%20la%20tienes", pdf()).await;
    assert_eq!(st, 201, "{m}");
    t.run_jobs().await;
    let calls = rec.named("telegram sendDocument");
    assert_eq!(calls.len(), 1);
    let body = &calls[0]["body"];
    assert!(body["content_type"].as_str().unwrap().starts_with("multipart/form-data"), "{body}");
    assert_eq!(body["parts"], json!(["chat_id", "document", "caption"]), "{body}");
    let text = body["text"].as_str().unwrap();
    assert!(
        text.contains("434343") && text.contains("frontdesk-test-price-list") && text.contains("precios.pdf"),
        "{text}"
    );
    let m = message(t, &s.token, &th, m["id"].as_str().unwrap()).await;
    assert_eq!((m["status"].as_str(), m["provider_id"].as_str()), (Some("sent"), Some("434343:9001")), "{m}");

    // Instagram: images only, no caption, fetched by Instagram from a signed link.
    let ig = ig_channel(t, &s.token).await;
    let dm = json!({ "object": "instagram", "entry": [{ "time": t.app().now().0, "id": IG_ACCOUNT, "messaging": [{
        "sender": { "id": "1914016295355102" }, "recipient": { "id": IG_ACCOUNT }, "timestamp": t.app().now().0,
        "message": { "mid": "aWdfZAG1IN9", "text": "Photo of the salon?" } }] }] })
    .to_string();
    assert_eq!(post_signed(t, &format!("/webhooks/instagram/{ig}"), &dm, SECRET).await, 200);
    t.settle().await;
    let th = first_thread(t, &s.token).await["id"].as_str().unwrap().to_string();
    let (st, v) = upload(t, &s.token, &th, "application/pdf", "filename=a.pdf", pdf()).await;
    assert_eq!((st, v["error"]["code"].as_str()), (422, Some("attachment_not_supported")), "{v}");
    let (st, v) = upload(t, &s.token, &th, "image/png", "filename=a.png&text=hi", png()).await;
    assert_eq!((st, v["error"]["code"].as_str()), (422, Some("caption_not_supported")), "{v}");
    let (st, v) = upload(t, &s.token, &th, "image/png", "filename=salon.png", png()).await;
    assert_eq!(st, 201, "{v}");
    t.run_jobs().await;
    let calls = rec.named("instagram send");
    let att = &calls[0]["message"]["attachment"];
    assert_eq!(att["type"], "image", "{}", calls[0]);
    let link = att["payload"]["url"].as_str().unwrap().to_string();
    assert!(link.starts_with(&t.url("/files/")), "{link}");
    let r = Client::new().get(&link).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.bytes().await.unwrap().to_vec(), png());
    let tampered = link.replace("sig=", "sig=0");
    assert_eq!(Client::new().get(&tampered).send().await.unwrap().status(), 404);
    for mangled in [
        link.replace("exp=", "exp=x"),
        link.replace("exp=", "exp=99999999999999999999"),
        link.replace("/files/", "/files/nope"),
    ] {
        assert_eq!(Client::new().get(&mangled).send().await.unwrap().status(), 404, "{mangled}");
    }
    t.clock.advance_ms(25 * 3_600_000);
    assert_eq!(Client::new().get(&link).send().await.unwrap().status(), 404, "the link expires");
    s.t.stop().await;
}

#[tokio::test]
async fn a_web_chat_visitor_gets_a_link_to_the_file() {
    let s = setup().await;
    let t = &s.t;
    let site = "https://salon.example";
    let (st, ch) = api(
        t,
        &s.token,
        "POST",
        "/api/v1/channels",
        Some(json!({ "kind": "webchat", "name": "Site chat", "allowed_origins": [site] })),
    )
    .await;
    assert_eq!(st, 201, "{ch}");
    let id = ch["id"].as_str().unwrap().to_string();
    let c = Client::new();
    let r = c
        .post(t.url(&format!("/chat/{id}/conversations")))
        .header("origin", site)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let token = r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string();
    let r = c
        .post(t.url(&format!("/chat/{id}/messages")))
        .header("origin", site)
        .bearer_auth(&token)
        .json(&json!({ "text": "Menu please", "client_id": "m1" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let th = first_thread(t, &s.token).await["id"].as_str().unwrap().to_string();
    let (st, v) = upload(t, &s.token, &th, "application/pdf", "filename=menu.pdf&text=Here%20it%20is", pdf()).await;
    assert_eq!(st, 201, "{v}");
    t.run_jobs().await;
    let r =
        c.get(t.url(&format!("/chat/{id}/messages"))).header("origin", site).bearer_auth(&token).send().await.unwrap();
    let list: Value = r.json().await.unwrap();
    let m = list["messages"].as_array().unwrap().iter().find(|m| m["from"] == "business").cloned().expect("the reply");
    assert_eq!((m["text"].as_str(), m["file"]["name"].as_str()), (Some("Here it is"), Some("menu.pdf")), "{m}");
    let got = c.get(m["file"]["url"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.bytes().await.unwrap().to_vec(), pdf());
    s.t.stop().await;
}
