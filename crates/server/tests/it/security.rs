//! Request hygiene: same-origin checks, body limits, security headers, health and metrics,
//! the OpenAPI document, and clean 4xx answers for unknown routes.

use crate::helpers::*;
use serde_json::{json, Value};

#[tokio::test]
async fn unsafe_cross_site_post_with_cookie_is_refused() {
    let t = spawn_app().await;
    let c = t.signed_in_user("ana@example.com").await;
    let create = |site: Option<&'static str>, origin: Option<&'static str>| {
        let mut rb = c.post(t.url("/app/workspaces")).form(&[("name", "Forged")]);
        if let Some(s) = site {
            rb = rb.header("sec-fetch-site", s);
        }
        if let Some(o) = origin {
            rb = rb.header("origin", o);
        }
        rb.send()
    };
    for (site, origin) in [(Some("cross-site"), None), (Some("same-site"), None), (None, Some("https://evil.example"))]
    {
        let r = create(site, origin).await.unwrap();
        assert_eq!(r.status(), 403, "{site:?} {origin:?}");
        assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "cross_origin_refused");
    }
    let list: Value = c.get(t.url("/api/v1/workspaces")).send().await.unwrap().json().await.unwrap();
    assert!(list.as_array().unwrap().is_empty(), "nothing was created by the refused requests");

    assert_eq!(create(Some("same-origin"), None).await.unwrap().status(), 303);
    assert_eq!(create(None, Some(Box::leak(t.base.clone().into_boxed_str()))).await.unwrap().status(), 303);
    // API tokens are not sent by browsers on their own, so they are exempt.
    let ws = t.workspace(&c, "Salon").await;
    let tok: Value = c
        .post(t.url(&format!("/api/v1/workspaces/{ws}/api-tokens")))
        .json(&json!({"name": "ci", "role": "admin"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let r = reqwest::Client::new()
        .patch(t.url(&format!("/api/v1/workspaces/{ws}")))
        .bearer_auth(tok["token"].as_str().unwrap())
        .header("sec-fetch-site", "cross-site")
        .json(&json!({"name": "Renamed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    t.stop().await;
}

#[tokio::test]
async fn body_limit_answers_413() {
    let t = spawn_with(Options { body_limit: Some(4096), ..Default::default() }).await;
    let c = t.signed_in_user("ana@example.com").await;
    let big = json!({ "name": "x".repeat(10_000) });
    let r = c.post(t.url("/api/v1/workspaces")).json(&big).send().await.unwrap();
    assert_eq!(r.status(), 413);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "payload_too_large");
    let form = "x".repeat(10_000);
    let r = c.post(t.url("/login")).form(&[("email", form.as_str()), ("password", "x")]).send().await.unwrap();
    assert_eq!(r.status(), 413);
    t.stop().await;
}

#[tokio::test]
async fn security_headers_are_present() {
    let t = spawn_app().await;
    let r = t.client().get(t.url("/login")).send().await.unwrap();
    let h = r.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'self'"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(h["x-frame-options"], "DENY");
    assert!(!h["x-request-id"].is_empty());
    assert!(h.get("strict-transport-security").is_none(), "no HSTS on plain http");
    t.stop().await;
}

#[tokio::test]
async fn health_ready_metrics_and_openapi() {
    let t = spawn_app().await;
    let c = t.client();
    assert_eq!(c.get(t.url("/healthz")).send().await.unwrap().text().await.unwrap(), "ok");
    assert_eq!(c.get(t.url("/readyz")).send().await.unwrap().status(), 200);
    let _ = t.login(&c, "nobody@example.com", "wrong password!").await;
    let m = c.get(t.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(m.contains("frontdesk_http_responses_total{class=\"4xx\"} 1"), "{m}");
    assert!(m.contains("frontdesk_login_failures_total 1"));
    assert!(m.contains("frontdesk_database_up 1"));
    let doc: Value = c.get(t.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for r in frontdesk_web::route_specs().iter().filter(|r| r.api) {
        assert!(
            paths.get(r.path).and_then(|p| p.get(r.method.to_lowercase())).is_some(),
            "{} {} undocumented",
            r.method,
            r.path
        );
    }
    assert!(paths["/api/v1/workspaces/{ws}/members"]["get"]["parameters"][0]["name"] == "ws");
    t.stop().await;
}

#[tokio::test]
async fn unknown_routes_and_methods_are_clean_4xx() {
    let t = spawn_app().await;
    let c = t.client();
    let r = c.get(t.url("/api/v1/nope")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "not_found");
    let r = c.get(t.url("/nope")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("does not exist"));
    let r = c.put(t.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(r.status(), 405);
    t.stop().await;
}
