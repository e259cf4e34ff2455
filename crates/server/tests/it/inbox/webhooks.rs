//! Outgoing webhooks: a workspace's endpoint receives signed, thin events for new messages,
//! statuses and thread changes, retried with backoff, with a delivery log; tenant URLs that
//! point inside the operator's network are refused.

use crate::helpers::*;
use crate::inbox::intake::{api, post_signed, setup_with, wa_channel, PHONE_A, SECRET};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

type Seen = Arc<Mutex<Vec<(String, String, String)>>>;

/// A receiver on loopback: records (signature, event header, body); answers 500 to the first
/// request and 200 afterwards.
async fn receiver() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let s2 = seen.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |h: axum::http::HeaderMap, body: String| {
            let seen = s2.clone();
            async move {
                let get = |n: &str| h.get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                let mut v = seen.lock().unwrap();
                v.push((get("frontdesk-signature"), get("frontdesk-event"), body));
                if v.len() == 1 {
                    axum::http::StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    axum::http::StatusCode::OK
                }
            }
        }),
    );
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", l.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    (url, seen)
}

fn verify(secret: &str, header: &str, body: &str) -> bool {
    let mut t = "";
    let mut v1 = "";
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", x)) => t = x,
            Some(("v1", x)) => v1 = x,
            _ => {}
        }
    }
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    !t.is_empty() && hex::encode(mac.finalize().into_bytes()) == v1
}

#[tokio::test]
async fn a_workspace_receives_signed_events_retried_and_logged() {
    let s =
        setup_with(Options { job_workers: Some(0), allow_private: vec!["127.0.0.0/8".into()], ..Default::default() })
            .await;
    let t = &s.t;
    let (url, seen) = receiver().await;

    // Internal addresses outside the operator's allowance are refused when saved.
    for bad in [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.7/hook",
        "http://[::ffff:192.168.1.1]/",
        "ftp://x.example/",
    ] {
        let (st, e) = api(t, &s.token, "POST", "/api/v1/webhooks", Some(json!({ "url": bad }))).await;
        assert_eq!((st.as_u16(), e["error"]["code"].as_str()), (422, Some("url_not_allowed")), "{bad}: {e}");
    }
    let (st, e) =
        api(t, &s.token, "POST", "/api/v1/webhooks", Some(json!({ "url": url, "events": ["message.deleted"] }))).await;
    assert_eq!((st.as_u16(), e["error"]["code"].as_str()), (422, Some("unknown_event")), "{e}");

    let (st, hook) = api(t, &s.token, "POST", "/api/v1/webhooks", Some(json!({ "url": url }))).await;
    assert_eq!(st, 201, "{hook}");
    let secret = hook["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"), "{hook}");
    assert_eq!(hook["events"], json!(["message.created", "message.status", "thread.updated"]));
    let id = hook["id"].as_str().unwrap().to_string();
    let (_, list) = api(t, &s.token, "GET", "/api/v1/webhooks", None).await;
    assert!(list["webhooks"][0].get("secret").is_none(), "the list does not repeat the secret");
    let (_, one) = api(t, &s.token, "GET", &format!("/api/v1/webhooks/{id}"), None).await;
    assert_eq!(one["secret"], secret.as_str(), "owners can see it again to set up the receiver");

    // A customer writes: one message.created delivery.
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    let body = json!({ "object": "whatsapp_business_account", "entry": [{ "id": "102290129340398", "changes": [{ "field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": { "display_phone_number": "15550783881", "phone_number_id": PHONE_A },
        "contacts": [{ "profile": { "name": "Sheena Nelson" }, "wa_id": "16505551234" }],
        "messages": [{ "from": "16505551234", "id": "wamid.H1", "timestamp": (t.app().now().0 / 1000).to_string(), "type": "text", "text": { "body": "Secret plans for Saturday" } }] } }] }] })
    .to_string();
    assert_eq!(post_signed(t, &format!("/webhooks/whatsapp/{ch}"), &body, SECRET).await, 200);
    t.settle().await;
    let deliveries = |t: &TestApp| {
        let (token, id) = (s.token.clone(), id.clone());
        let url = t.url(&format!("/api/v1/webhooks/{id}/deliveries"));
        async move {
            let r = reqwest::Client::new().get(url).bearer_auth(token).send().await.unwrap();
            r.json::<Value>().await.unwrap()["deliveries"].as_array().unwrap().clone()
        }
    };
    let mut log = vec![];
    for _ in 0..100 {
        log = deliveries(t).await;
        if !log.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!((log[0]["event"].as_str(), log[0]["status"].as_str()), (Some("message.created"), Some("pending")));

    // First attempt: the receiver answers 500; the log says so and the job retries later.
    t.run_jobs().await;
    let log = deliveries(t).await;
    assert_eq!((log[0]["status"].as_str(), log[0]["attempts"].as_i64()), (Some("pending"), Some(1)), "{log:?}");
    assert_eq!(log[0]["response_status"], 500);
    t.clock.advance_ms(5_100);
    t.run_jobs().await;
    let log = deliveries(t).await;
    assert_eq!((log[0]["status"].as_str(), log[0]["attempts"].as_i64()), (Some("delivered"), Some(2)), "{log:?}");
    assert_eq!(log[0]["response_status"], 200);

    let got = seen.lock().unwrap().clone();
    assert_eq!(got.len(), 2, "one retry");
    for (sig, event, body) in &got {
        assert_eq!(event, "message.created");
        assert!(verify(&secret, sig, body), "signed with the secret over t.body: {sig}");
        assert!(!verify("whsec_other", sig, body));
        assert!(!body.contains("Secret plans"), "events carry ids, never content: {body}");
        let v: Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["type"], "message.created");
        assert!(v["data"]["thread_id"].is_string() && v["data"]["message_id"].is_string(), "{v}");
    }
    assert_eq!(got[0].2, got[1].2, "the retry sends the same event");

    // The owner's page shows the secret and the log.
    let page = s.owner.get(t.url(&format!("/w/{}/webhooks", s.ws))).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains(&secret) && page.contains(r#"data-status="delivered""#) && page.contains("HTTP 200"),
        "{page}"
    );

    let (st, _) = api(t, &s.token, "DELETE", &format!("/api/v1/webhooks/{id}"), None).await;
    assert_eq!(st, 204);
    let (st, _) = api(t, &s.token, "GET", &format!("/api/v1/webhooks/{id}/deliveries"), None).await;
    assert_eq!(st, 404);
    s.t.stop().await;
}

#[tokio::test]
async fn without_the_operators_allowance_loopback_is_refused_even_behind_a_name() {
    let s = setup_with(Options { job_workers: Some(0), ..Default::default() }).await;
    let t = &s.t;
    for bad in ["http://127.0.0.1:9/hook", "http://localhost:9/hook", "http://[::1]:9/"] {
        let (st, e) = api(t, &s.token, "POST", "/api/v1/webhooks", Some(json!({ "url": bad }))).await;
        assert_eq!((st.as_u16(), e["error"]["code"].as_str()), (422, Some("url_not_allowed")), "{bad}: {e}");
        assert!(e["error"]["message"].as_str().unwrap().contains("loopback"), "{e}");
    }
    // The page shows the same refusal next to the form, keeping what was typed.
    let r = s
        .owner
        .post(t.url(&format!("/w/{}/webhooks", s.ws)))
        .form(&[("url", "http://127.0.0.1:9/hook")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("loopback") && page.contains("http://127.0.0.1:9/hook"), "{page}");
    s.t.stop().await;
}
