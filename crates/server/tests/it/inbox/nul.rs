//! A NUL character anywhere a client or provider sends text: PostgreSQL refuses it in text, so
//! every edge stores U+FFFD instead, raw deliveries are kept byte-exact, and one bad delivery
//! never fails the others it shares a batch with. Meaningful on both backends; CI runs it on
//! PostgreSQL too.

use crate::helpers::*;
use crate::inbox::intake::{api, post_signed, setup, wa_channel, PHONE_A, SECRET};
use frontdesk_channels::verify::meta_signature_header;
use reqwest::Client;
use serde_json::{json, Value};

const R: &str = "\u{FFFD}";

async fn post_raw(t: &TestApp, path: &str, body: Vec<u8>, secret: &str) -> u16 {
    Client::new()
        .post(t.url(path))
        .header("content-type", "application/json")
        .header("x-hub-signature-256", meta_signature_header(secret.as_bytes(), &body))
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn wa_text(n: usize, name: &str, text: &str) -> String {
    json!({ "object": "whatsapp_business_account", "entry": [{ "id": "102290129340398", "changes": [{ "field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": { "display_phone_number": "15550783881", "phone_number_id": PHONE_A },
        "contacts": [{ "profile": { "name": name }, "wa_id": format!("1650555{n:04}") }],
        "messages": [{ "from": format!("1650555{n:04}"), "id": format!("wamid.NUL{n}"), "timestamp": "1749416383", "type": "text", "text": { "body": text } }]
    } }] }] })
    .to_string()
}

#[tokio::test]
async fn nul_in_any_text_is_stored_as_the_replacement_character_and_fails_nothing_else() {
    let s = setup().await;
    let t = &s.t;
    let a = wa_channel(t, &s.token, PHONE_A).await;
    let path = format!("/webhooks/whatsapp/{a}");

    // A raw NUL byte and invalid UTF-8 in signed bodies, sent together with 60 genuine
    // deliveries: every one is answered 200 and every genuine message is stored.
    let mut raw_nul = wa_text(9000, "Raw", "x").into_bytes();
    let at = raw_nul.windows(3).position(|w| w == b"\"x\"").unwrap() + 1;
    raw_nul[at] = 0;
    let mut bad_utf8 = wa_text(9001, "Bytes", "x").into_bytes();
    bad_utf8[at] = 0xff;
    let mut sends = vec![];
    for (i, body) in [raw_nul.clone(), bad_utf8.clone()].into_iter().enumerate() {
        let path = path.clone();
        let t = t.base.clone();
        sends.push(tokio::spawn(async move {
            let r = Client::new()
                .post(format!("{t}{path}"))
                .header("content-type", "application/json")
                .header("x-hub-signature-256", meta_signature_header(SECRET.as_bytes(), &body))
                .body(body)
                .send()
                .await
                .unwrap();
            (i, r.status().as_u16())
        }));
    }
    for n in 0..60 {
        let path = path.clone();
        let t = t.base.clone();
        sends.push(tokio::spawn(async move {
            let body = wa_text(n, "Genuine", "Hello");
            let r = Client::new()
                .post(format!("{t}{path}"))
                .header("content-type", "application/json")
                .header("x-hub-signature-256", meta_signature_header(SECRET.as_bytes(), body.as_bytes()))
                .body(body)
                .send()
                .await
                .unwrap();
            (n, r.status().as_u16())
        }));
    }
    for h in sends {
        let (n, status) = h.await.unwrap();
        assert_eq!(status, 200, "delivery {n}");
    }
    // Escaped NUL (`\u0000`) in a message text and a profile name.
    assert_eq!(post_signed(t, &path, &wa_text(9002, "Ana\u{0}Ruiz", "Hi\u{0}there"), SECRET).await, 200);
    t.settle().await;

    let (_, list) = api(t, &s.token, "GET", "/api/v1/threads?limit=200", None).await;
    let threads = list["threads"].as_array().unwrap();
    assert_eq!(threads.len(), 61, "60 genuine conversations and the escaped one; the raw ones are kept apart");
    let escaped = threads.iter().find(|th| th["contact"]["name"] == format!("Ana{R}Ruiz")).expect("the name is kept");
    let (_, th) = api(t, &s.token, "GET", &format!("/api/v1/threads/{}", escaped["id"].as_str().unwrap()), None).await;
    assert_eq!(th["messages"][0]["text"], format!("Hi{R}there"));
    // The raw bodies are kept byte for byte (not lossily as text) for operators.
    let mut c = t.app().db.conn().await.unwrap();
    let kept = frontdesk_inbox::repo::channels::events_with_status(&mut c, "unparseable", 10).await.unwrap();
    drop(c);
    let bodies: Vec<&[u8]> = kept.iter().map(|e| e.body.as_slice()).collect();
    assert!(bodies.contains(&raw_nul.as_slice()), "the NUL byte is kept");
    assert!(bodies.contains(&bad_utf8.as_slice()), "the invalid UTF-8 is kept exactly");
    // The same bytes again are a redelivery, not a second copy.
    assert_eq!(post_raw(t, &path, raw_nul.clone(), SECRET).await, 200);

    // What people type: notes, saved replies, contact names, searches, the web chat.
    let th_id = escaped["id"].as_str().unwrap();
    let contact = escaped["contact"]["id"].as_str().unwrap();
    let (st, v) =
        api(t, &s.token, "POST", &format!("/api/v1/threads/{th_id}/notes"), Some(json!({ "body": "a\u{0}b" }))).await;
    assert_eq!((st.as_u16(), v["body"].clone()), (201, json!(format!("a{R}b"))), "{v}");
    let (st, v) =
        api(t, &s.token, "POST", "/api/v1/saved-replies", Some(json!({ "shortcut": "nul", "body": "We\u{0}open" })))
            .await;
    assert_eq!((st.as_u16(), v["body"].clone()), (201, json!(format!("We{R}open"))), "{v}");
    let (st, v) =
        api(t, &s.token, "PATCH", &format!("/api/v1/contacts/{contact}"), Some(json!({ "name": "Ana\u{0}" }))).await;
    assert_eq!((st.as_u16(), v["name"].clone()), (200, json!(format!("Ana{R}"))), "{v}");
    for q in ["/api/v1/threads?q=%00", "/api/v1/contacts?q=a%00b", &format!("/w/{}/inbox?q=%00", s.ws)] {
        let r = s.owner.get(t.url(q)).bearer_auth(&s.token).send().await.unwrap();
        assert_eq!(r.status(), 200, "{q}");
    }
    let (st, ch) = api(
        t,
        &s.token,
        "POST",
        "/api/v1/channels",
        Some(json!({ "kind": "webchat", "name": "Site", "allowed_origins": ["https://salon.example"] })),
    )
    .await;
    assert_eq!(st, 201, "{ch}");
    let chat = ch["id"].as_str().unwrap();
    let c = Client::new();
    let r = c
        .post(t.url(&format!("/chat/{chat}/conversations")))
        .header("origin", "https://salon.example")
        .json(&json!({ "name": "Lia\u{0}" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let token = r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string();
    let r = c
        .post(t.url(&format!("/chat/{chat}/messages")))
        .header("origin", "https://salon.example")
        .bearer_auth(&token)
        .json(&json!({ "text": "hola\u{0}", "client_id": "c-1" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(r.json::<Value>().await.unwrap()["text"], format!("hola{R}"));
    // A page form with `%00` in a field.
    let r = s
        .owner
        .post(t.url(&format!("/w/{}/saved-replies", s.ws)))
        .header("origin", t.base.clone())
        .header("content-type", "application/x-www-form-urlencoded")
        .body("shortcut=pagenul&body=a%00b")
        .send()
        .await
        .unwrap();
    assert!(r.status().as_u16() < 500, "{}", r.status());
    let (_, saved) = api(t, &s.token, "GET", "/api/v1/saved-replies", None).await;
    let bodies: Vec<String> = saved["saved_replies"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| r["body"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(bodies.contains(&format!("a{R}b")), "{saved}");
    s.t.stop().await;
}
