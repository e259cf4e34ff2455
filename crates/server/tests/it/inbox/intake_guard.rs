//! What a tenant controls cannot reach another tenant or the server's network: a delivery is
//! filed only under a channel whose own app secret signed it, and URLs that arrive in payloads
//! are fetched through the request-forgery guard.

use crate::helpers::*;
use crate::inbox::intake::{
    api, ig_channel, post_signed, setup, setup_with, wa_channel, APP_ID, IG_ACCOUNT, PHONE_A, SECRET,
};
use axum::response::IntoResponse;
use reqwest::Client;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("../../../../channels/tests/fixtures/", $name))
    };
}

/// Mallory's own app secret: she may declare any app id, but cannot sign with its secret.
const EVIL: &str = "mallory-own-app-secret";
const MALLORY_PHONE: &str = "106540352200001";
const MALLORY_IG: &str = "17841400000000001";

async fn count(t: &TestApp, token: &str, path: &str, key: &str) -> usize {
    let (s, v) = api(t, token, "GET", path, None).await;
    assert_eq!(s, 200, "{v}");
    v[key].as_array().map(Vec::len).unwrap_or_else(|| panic!("{path}: {v}"))
}

fn wa_text(phone: &str, wamid: &str, text: &str) -> String {
    let mut v: Value = serde_json::from_str(fixture!("wa_text.json")).unwrap();
    let value = &mut v["entry"][0]["changes"][0]["value"];
    value["metadata"]["phone_number_id"] = json!(phone);
    value["messages"][0]["id"] = json!(wamid);
    value["messages"][0]["text"]["body"] = json!(text);
    v.to_string()
}

fn ig_text(account: &str, mid: &str, text: &str) -> String {
    let mut v: Value = serde_json::from_str(fixture!("ig_text.json")).unwrap();
    v["entry"][0]["id"] = json!(account);
    v["entry"][0]["messaging"][0]["recipient"]["id"] = json!(account);
    v["entry"][0]["messaging"][0]["message"]["mid"] = json!(mid);
    v["entry"][0]["messaging"][0]["message"]["text"] = json!(text);
    v.to_string()
}

#[tokio::test]
async fn a_channel_declaring_another_workspaces_meta_app_cannot_put_messages_into_it() {
    let s = setup().await;
    let t = &s.t;
    wa_channel(t, &s.token, PHONE_A).await;
    let victim_ig = ig_channel(t, &s.token).await;

    // Mallory's workspace declares the victim's (public) Meta app id with a secret of her own.
    let mallory = t.signed_in_user("mallory@example.com").await;
    let ws_m = t.workspace(&mallory, "Mallory").await;
    let token_m = t.api_token(&mallory, &ws_m, "admin").await;
    let (st, v) = api(
        t,
        &token_m,
        "POST",
        "/api/v1/channels",
        Some(json!({ "kind": "whatsapp", "name": "Mine", "phone_number_id": MALLORY_PHONE, "waba_id": "1",
                     "app_id": APP_ID, "access_token": "t", "app_secret": EVIL, "verify_token": "mallory-verify" })),
    )
    .await;
    assert_eq!(st, 201, "declaring a shared app id is never refused (that would let anyone squat it): {v}");
    let m_wa = v["id"].as_str().unwrap().to_string();
    let (st, v) = api(
        t,
        &token_m,
        "POST",
        "/api/v1/channels",
        Some(json!({ "kind": "instagram", "name": "Mine IG", "instagram_account_id": MALLORY_IG, "app_id": APP_ID,
                     "access_token": "t", "app_secret": EVIL, "verify_token": "mallory-verify" })),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    let m_ig = v["id"].as_str().unwrap().to_string();

    // Deliveries for the victim's number and account, signed with Mallory's secret, through her
    // channels' URLs and through the app URL: each verifies (against her channel) and is kept...
    let attacks = [
        (format!("/webhooks/whatsapp/{m_wa}"), wa_text(PHONE_A, "wamid.EVIL1", "Injected through her channel")),
        (format!("/webhooks/whatsapp/{m_wa}"), wa_text(PHONE_A, "wamid.EVIL2", "STOP")),
        (format!("/webhooks/meta/{APP_ID}"), wa_text(PHONE_A, "wamid.EVIL3", "Injected through the app URL")),
        (format!("/webhooks/instagram/{m_ig}"), ig_text(IG_ACCOUNT, "ig.EVIL1", "Injected IG")),
        (format!("/webhooks/meta/{APP_ID}"), ig_text(IG_ACCOUNT, "ig.EVIL2", "STOP")),
    ];
    for (path, body) in &attacks {
        assert_eq!(post_signed(t, path, body, EVIL).await, 200, "{path}");
    }
    t.settle().await;
    // ...but nothing reaches the victim's workspace: no thread, no contact, no consent entry.
    assert_eq!(count(t, &s.token, "/api/v1/threads", "threads").await, 0);
    assert_eq!(count(t, &s.token, "/api/v1/contacts", "contacts").await, 0);
    assert_eq!(count(t, &token_m, "/api/v1/threads", "threads").await, 0, "nor is it filed with Mallory");
    let victim_chain = frontdesk_platform::audit::export(t.app(), &s.ws).await.unwrap();
    assert!(!victim_chain.iter().any(|e| e.action == "message.receive" || e.action.starts_with("consent")));
    // Each item is audited as a refusal where the delivery came in (her chain, or the platform's
    // for the app URL), with the same outcome as an unknown account: nothing tells her whether
    // the account exists.
    let hers = frontdesk_platform::audit::export(t.app(), &ws_m).await.unwrap();
    let refused = hers.iter().filter(|e| e.action == "intake.reject" && e.outcome == "unknown_account").count();
    assert_eq!(refused, 3, "{hers:?}");
    let platform = frontdesk_platform::audit::export(t.app(), frontdesk_core::audit::PLATFORM_CHAIN).await.unwrap();
    assert_eq!(platform.iter().filter(|e| e.action == "intake.reject" && e.outcome == "unknown_account").count(), 2);

    // Mallory signing for the victim's own URL is refused outright, and so is her verify token.
    let body = wa_text(PHONE_A, "wamid.EVIL4", "x");
    let (_, chans) = api(t, &s.token, "GET", "/api/v1/channels", None).await;
    let victim_wa = chans.as_array().unwrap().iter().find(|c| c["kind"] == "whatsapp").unwrap()["id"].clone();
    let victim_wa = victim_wa.as_str().unwrap();
    assert_eq!(post_signed(t, &format!("/webhooks/whatsapp/{victim_wa}"), &body, EVIL).await, 401);
    let hub = |path: String, token: &str| {
        Client::new()
            .get(t.url(&path))
            .query(&[("hub.mode", "subscribe"), ("hub.verify_token", token), ("hub.challenge", "4242")])
            .send()
    };
    assert_eq!(hub(format!("/webhooks/whatsapp/{victim_wa}"), "mallory-verify").await.unwrap().status(), 403);
    assert_eq!(hub(format!("/webhooks/instagram/{victim_ig}"), "mallory-verify").await.unwrap().status(), 403);
    let ok = hub(format!("/webhooks/meta/{APP_ID}"), "hub-verify").await.unwrap();
    assert_eq!((ok.status().as_u16(), ok.text().await.unwrap()), (200, "4242".to_string()));

    // The genuine app still reaches the victim on both routes, and Mallory's own number and
    // account reach her: the two sets of channels share an app id and stay apart.
    for (path, body, secret) in [
        (format!("/webhooks/meta/{APP_ID}"), wa_text(PHONE_A, "wamid.REAL1", "Real customer"), SECRET),
        (format!("/webhooks/instagram/{victim_ig}"), ig_text(IG_ACCOUNT, "ig.REAL1", "Real IG customer"), SECRET),
        (format!("/webhooks/meta/{APP_ID}"), wa_text(MALLORY_PHONE, "wamid.HERS1", "Her customer"), EVIL),
        (format!("/webhooks/meta/{APP_ID}"), ig_text(MALLORY_IG, "ig.HERS1", "Her IG customer"), EVIL),
    ] {
        assert_eq!(post_signed(t, &path, &body, secret).await, 200, "{path}");
    }
    t.settle().await;
    assert_eq!(count(t, &s.token, "/api/v1/threads", "threads").await, 2);
    assert_eq!(count(t, &token_m, "/api/v1/threads", "threads").await, 2);
    let (_, th) = api(t, &s.token, "GET", "/api/v1/threads?q=Injected", None).await;
    assert_eq!(th["threads"].as_array().unwrap().len(), 0, "{th}");
    s.t.stop().await;
}

/// A loopback server recording how often it was reached: stands for the server's own network.
async fn internal_server(ip: &str) -> (u16, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let listener = tokio::net::TcpListener::bind((ip, 0)).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let h = hits.clone();
    let app = axum::Router::new().fallback(move || {
        let h = h.clone();
        async move {
            h.fetch_add(1, Ordering::SeqCst);
            "INTERNAL SECRET"
        }
    });
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (port, hits)
}

/// A stand-in for Instagram's CDN on 127.0.0.2, the only internal address the test allows.
async fn cdn(internal_port: u16) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.2:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let b = base.clone();
    let app = axum::Router::new()
        .route(
            "/cdn/ok.jpg",
            axum::routing::get(|| async { ([("content-type", "image/jpeg")], b"\xff\xd8\xffJPEG".to_vec()) }),
        )
        .route(
            "/cdn/to-inside",
            axum::routing::get(move || async move {
                axum::response::Redirect::temporary(&format!("http://127.0.0.1:{internal_port}/secret")).into_response()
            }),
        )
        .route(
            "/cdn/to-ok",
            axum::routing::get(move || {
                let b = b.clone();
                async move { axum::response::Redirect::temporary(&format!("{b}/cdn/ok.jpg")).into_response() }
            }),
        );
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    base
}

fn ig_attachment(i: usize, url: &str) -> Value {
    json!({ "sender": { "id": "1234567890123456" }, "recipient": { "id": IG_ACCOUNT }, "timestamp": 1749416400000i64 + i as i64,
            "message": { "mid": format!("ig.MEDIA{i}"), "attachments": [{ "type": "image", "payload": { "url": url } }] } })
}

#[tokio::test]
async fn media_urls_in_payloads_never_reach_the_servers_own_network() {
    // Only 127.0.0.2 may be reached: it proves the guard, not a lucky unreachable address.
    let s = setup_with(Options { allow_private: vec!["127.0.0.2/32".into()], ..Default::default() }).await;
    let t = &s.t;
    let ch = ig_channel(t, &s.token).await;
    let (inside, hits) = internal_server("127.0.0.1").await;
    let cdn = cdn(inside).await;
    let cases = [
        (format!("{cdn}/cdn/ok.jpg"), None),
        (format!("{cdn}/cdn/to-ok"), None),
        (format!("http://127.0.0.1:{inside}/secret"), Some("loopback")),
        (format!("{cdn}/cdn/to-inside"), Some("redirect")),
        ("http://169.254.169.254/latest/meta-data/iam/security-credentials/".to_string(), Some("link_local")),
        ("http://10.0.0.1/x".to_string(), Some("private")),
        (format!("http://[2002:7f00:1::]:{inside}/secret"), Some("loopback")),
        (format!("http://localhost.:{inside}/secret"), Some("loopback")),
        (format!("http://[::ffff:127.0.0.1]:{inside}/secret"), Some("loopback")),
    ];
    let messaging: Vec<Value> = cases.iter().enumerate().map(|(i, (u, _))| ig_attachment(i, u)).collect();
    let body = json!({ "object": "instagram", "entry": [{ "time": 1749416402512i64, "id": IG_ACCOUNT, "messaging": messaging }] });
    assert_eq!(post_signed(t, &format!("/webhooks/instagram/{ch}"), &body.to_string(), SECRET).await, 200);
    t.settle().await;

    let mut media = vec![];
    for _ in 0..200 {
        let (_, th) = api(t, &s.token, "GET", "/api/v1/threads", None).await;
        let id = th["threads"][0]["id"].as_str().unwrap().to_string();
        let (_, v) = api(t, &s.token, "GET", &format!("/api/v1/threads/{id}"), None).await;
        media = v["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["provider_id"].clone(), m["media"][0].clone()))
            .collect();
        if media.len() == cases.len() && media.iter().all(|(_, f)| f["status"] == "stored" || f["status"] == "failed") {
            break;
        }
        t.run_jobs().await;
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    for (i, (url, refused)) in cases.iter().enumerate() {
        let (_, f) =
            media.iter().find(|(p, _)| *p == format!("ig.MEDIA{i}")).unwrap_or_else(|| panic!("{url}: {media:?}"));
        let file = Client::new().get(t.url(f["url"].as_str().unwrap())).bearer_auth(&s.token).send().await.unwrap();
        let status = file.status();
        let bytes = file.bytes().await.unwrap();
        match refused {
            None => {
                assert_eq!(f["status"], "stored", "{url}: {f}");
                assert_eq!((status.as_u16(), &bytes[..]), (200, &b"\xff\xd8\xffJPEG"[..]), "{url}");
            }
            Some(why) => {
                assert_eq!(f["status"], "failed", "{url}: {f}");
                let err = f["error"].as_str().unwrap_or_default();
                assert!(err.contains("refused") && err.contains(why), "{url}: the media row says why: {err}");
                assert_ne!(status, 200, "{url}");
                assert!(!String::from_utf8_lossy(&bytes).contains("INTERNAL SECRET"), "{url}");
            }
        }
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0, "no request ever reached the internal server");
    s.t.stop().await;
}

#[tokio::test]
async fn internal_and_plain_http_assistant_urls_are_refused_when_saved() {
    let s = setup_with(Options { allow_private: vec!["127.0.0.2/32".into()], ..Default::default() }).await;
    let t = &s.t;
    let put = |u: &str| {
        api(
            t,
            &s.token,
            "PUT",
            "/api/v1/assistant",
            Some(json!({ "provider": "openai", "base_url": u, "model": "llama3" })),
        )
    };
    for (u, code) in [
        ("http://localhost./v1", "url_not_allowed"),
        ("http://[2002:7f00:1::]/v1", "url_not_allowed"),
        ("http://127.0.0.1:11434/v1", "url_not_allowed"),
        // Public, but the key would travel in clear.
        ("http://93.184.215.14/v1", "insecure_url"),
    ] {
        let (st, v) = put(u).await;
        assert_eq!((st.as_u16(), v["error"]["code"].as_str().unwrap_or_default()), (422, code), "{u}: {v}");
    }
    // Inside the operator's allowed range, plain http is fine (a local model server).
    let (st, v) = put("http://127.0.0.2:11434/v1").await;
    assert_eq!(st, 200, "{v}");
    let (st, v) = api(t, &s.token, "POST", "/api/v1/webhooks", Some(json!({ "url": "http://localhost.:9/x" }))).await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str().unwrap_or_default()), (422, "url_not_allowed"), "{v}");
    s.t.stop().await;
}
