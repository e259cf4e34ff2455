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
    let base: &'static str = Box::leak(t.base.clone().into_boxed_str());
    for (site, origin) in [
        (Some("cross-site"), None),
        (Some("same-site"), None),
        (None, Some("https://evil.example")),
        (None, Some("null")),
        (Some("cross-site"), Some(base)),
    ] {
        let r = create(site, origin).await.unwrap();
        assert_eq!(r.status(), 403, "{site:?} {origin:?}");
        assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "cross_origin_refused");
    }
    let list: Value = c.get(t.url("/api/v1/workspaces")).send().await.unwrap().json().await.unwrap();
    assert!(list.as_array().unwrap().is_empty(), "nothing was created by the refused requests");

    assert_eq!(create(Some("same-origin"), None).await.unwrap().status(), 303);
    assert_eq!(create(None, Some(base)).await.unwrap().status(), 303);
    assert_eq!(create(Some("none"), None).await.unwrap().status(), 303, "typed by the user");
    assert_eq!(create(Some("none"), Some(base)).await.unwrap().status(), 303);
    // Under our no-referrer policy a browser may withhold a form's origin; it still says same-origin.
    assert_eq!(create(Some("same-origin"), Some("null")).await.unwrap().status(), 303);
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
async fn a_foreign_origin_is_refused_whatever_sec_fetch_site_claims() {
    let t = spawn_app().await;
    let c = t.signed_in_user("ana@example.com").await;
    for site in [Some("none"), Some("same-origin"), None] {
        for origin in ["https://evil.example", "http://127.0.0.1", "http://localhost:1"] {
            let mut rb = c.post(t.url("/app/workspaces")).form(&[("name", "Forged")]).header("origin", origin);
            if let Some(s) = site {
                rb = rb.header("sec-fetch-site", s);
            }
            let r = rb.send().await.unwrap();
            assert_eq!(r.status(), 403, "{site:?} {origin}");
            assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "cross_origin_refused");
        }
    }
    let list: Value = c.get(t.url("/api/v1/workspaces")).send().await.unwrap().json().await.unwrap();
    assert!(list.as_array().unwrap().is_empty(), "nothing was created");
    t.stop().await;
}

#[tokio::test]
async fn with_an_https_base_url_a_plain_http_origin_is_refused() {
    let t = spawn_with(Options { https_base_url: true, ..Default::default() }).await;
    let host = t.base.trim_start_matches("http://").to_string();
    // Sign-in is an unsafe request without a session: a forged one would sign the victim in.
    let post = |origin: String, host_header: Option<&str>| {
        let mut rb = t
            .client()
            .post(t.url("/login"))
            .header("sec-fetch-site", "same-origin")
            .header("origin", origin)
            .form(&[("email", "ana@example.com"), ("password", "wrong password!")]);
        if let Some(h) = host_header {
            rb = rb.header("host", h);
        }
        rb.send()
    };
    for (origin, host_header) in
        [(format!("http://{host}"), None), ("http://desk.internal".to_string(), Some("desk.internal"))]
    {
        let r = post(origin.clone(), host_header).await.unwrap();
        assert_eq!(r.status(), 403, "{origin}");
        assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "cross_origin_refused");
    }
    // The base URL's origin, or the Host the request was sent to with the base URL's scheme.
    for (origin, host_header) in
        [(format!("https://{host}"), None), ("https://desk.internal".to_string(), Some("desk.internal"))]
    {
        assert_eq!(post(origin.clone(), host_header).await.unwrap().status(), 401, "{origin}: a wrong password");
    }
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
    // The tests connect from 127.0.0.1: loopback may read the metrics by default.
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

    // Bodies and query strings are described by the handlers' own types.
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let resolve = |s: &Value| -> Value {
        match s["$ref"].as_str() {
            Some(r) => schemas[r.strip_prefix("#/components/schemas/").expect("a component")].clone(),
            None => s.clone(),
        }
    };
    let body = |method: &str, path: &str| -> (bool, Value) {
        let b = &paths[path][method]["requestBody"];
        assert!(b.is_object(), "{method} {path} has no requestBody");
        (b["required"].as_bool().unwrap(), resolve(&b["content"]["application/json"]["schema"]))
    };
    let props = |s: &Value| -> Vec<String> { s["properties"].as_object().unwrap().keys().cloned().collect() };
    let (required, saved) = body("patch", "/api/v1/saved-replies/{id}");
    assert!(required);
    assert_eq!(props(&saved), ["body", "shortcut"]);
    assert_eq!(saved["additionalProperties"], false, "unknown fields are refused");
    let (_, hours) = body("put", "/api/v1/business-hours");
    assert_eq!(props(&hours), ["away_reply", "hours"]);
    let schedule = resolve(&hours["properties"]["hours"]["anyOf"][0]);
    assert_eq!(props(&schedule), ["closed_dates", "ranges", "time_zone"]);
    assert_eq!(schedule["required"], serde_json::json!(["time_zone"]));
    let (_, assistant) = body("put", "/api/v1/assistant");
    for p in ["mode", "channel_modes", "provider", "base_url", "model", "api_key", "disclosure", "retention_days"] {
        assert!(assistant["properties"].get(p).is_some(), "PUT /api/v1/assistant: {p}");
    }
    let (_, knowledge) = body("put", "/api/v1/assistant/knowledge");
    assert_eq!(props(&knowledge), ["documents", "faq", "profile", "services"]);
    let (_, message) = body("post", "/api/v1/threads/{id}/messages");
    assert_eq!(message["required"], serde_json::json!(["text"]));
    let (_, thread) = body("patch", "/api/v1/threads/{id}");
    assert_eq!(props(&thread), ["assignee_id", "labels", "snoozed_until", "status"]);
    assert!(thread["properties"]["assignee_id"].get("default").is_none(), "absent is not null");
    // An optional body: none sends the draft as written.
    assert_eq!(body("post", "/api/v1/drafts/{id}/send"), (false, schemas["DraftEdit"].clone()));
    let upload = &paths["/api/v1/threads/{id}/attachments"]["post"]["requestBody"]["content"];
    assert!(upload.get("application/octet-stream").is_some(), "{upload}");

    // Query parameters, one per field, never required here and never null.
    let query = |path: &str| -> Vec<(String, Value)> {
        paths[path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["in"] == "query")
            .map(|p| {
                assert_eq!(p["required"], false, "{path}: {p}");
                (p["name"].as_str().unwrap().to_string(), p["schema"].clone())
            })
            .collect()
    };
    let threads = query("/api/v1/threads");
    let names: Vec<&str> = threads.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["assignee", "channel", "contact", "cursor", "label", "limit", "q", "status"]);
    assert_eq!(threads[5].1["type"], "integer");
    assert_eq!(threads[6].1["type"], "string");
    let page: Vec<String> = query("/api/v1/threads/{id}").into_iter().map(|(n, _)| n).collect();
    assert_eq!(page, ["after", "cursor", "limit"]);
    assert_eq!(query("/api/v1/contacts").len(), 3);
    assert_eq!(query("/api/v1/assistant/ledger").len(), 2);
    let upload_params: Vec<String> = paths["/api/v1/threads/{id}/attachments"]["post"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["in"] == "query")
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(upload_params, ["filename", "reply_to", "text"]);

    // A route that reads no body documents none; every requestBody is one a handler reads.
    let no_body = [
        ("post", "/api/v1/threads/{id}/drafts"),
        ("post", "/api/v1/drafts/{id}/discard"),
        ("post", "/api/v1/threads/{id}/assistant/resume"),
        ("post", "/api/v1/admin/users/{id}/suspend"),
        ("post", "/api/v1/admin/workspaces/{id}/restore"),
        ("delete", "/api/v1/workspaces/{ws}/api-tokens/{id}"),
        ("delete", "/api/v1/saved-replies/{id}"),
    ];
    for (method, path) in no_body {
        assert!(paths[path][method].is_object(), "{method} {path}");
        assert!(paths[path][method].get("requestBody").is_none(), "{method} {path} reads no body");
    }
    let mut with_body = 0;
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            if op.get("requestBody").is_some() {
                with_body += 1;
                assert!(["post", "put", "patch"].contains(&method.as_str()), "{method} {path}");
                assert!(!no_body.contains(&(method.as_str(), path.as_str())));
            }
            // Every error status answers the JSON error.
            for status in ["4XX", "5XX"] {
                assert_eq!(
                    op["responses"][status]["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/Error"
                );
            }
        }
    }
    assert_eq!(with_body, 70, "the routes that read a body");
    for (name, s) in schemas {
        assert!(!name.contains('<') && s.is_object(), "{name}");
    }
    t.stop().await;
}

#[tokio::test]
async fn metrics_are_hidden_from_other_addresses_unless_the_scraper_presents_the_token() {
    let token = "scrape-token-0123456789abcdef";
    let t = spawn_with(Options {
        metrics_allow: Some(vec!["10.0.0.0/8".into()]),
        metrics_token: Some(token.into()),
        trusted_proxies: vec!["127.0.0.1".into()],
        ..Default::default()
    })
    .await;
    let c = t.client();
    let get = |bearer: Option<&str>, forwarded: Option<&str>| {
        let mut rb = c.get(t.url("/metrics"));
        if let Some(b) = bearer {
            rb = rb.bearer_auth(b);
        }
        if let Some(f) = forwarded {
            rb = rb.header("x-forwarded-for", f);
        }
        rb.send()
    };
    let unknown = c.get(t.url("/no-such-page")).send().await.unwrap().text().await.unwrap();
    // Loopback is not on this allow list; a wrong token or another address is no better.
    for (bearer, forwarded) in [
        (None, None),
        (Some("wrong"), None),
        (Some(""), None),
        (None, Some("203.0.113.9")),
        (Some("x"), Some("11.0.0.1")),
    ] {
        let r = get(bearer, forwarded).await.unwrap();
        assert_eq!(r.status(), 404, "{bearer:?} {forwarded:?}");
        assert_eq!(r.text().await.unwrap(), unknown, "the same answer as a page that does not exist");
    }
    let r = get(Some(token), Some("203.0.113.9")).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("frontdesk_database_up 1"));
    // An address on the list needs no token (as seen through the trusted proxy).
    assert_eq!(get(None, Some("10.1.2.3")).await.unwrap().status(), 200);
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
    assert_eq!(r.headers()["allow"], "GET,HEAD");
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "method_not_allowed");
    // A path that does not decode to UTF-8 is a clean 400 too, not the extractor's plain text.
    let r = c.get(t.url("/api/v1/workspaces/%FF/members")).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "invalid_path");
    let r = c.get(t.url("/w/%FF/inbox")).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("not valid"));
    let r = c.delete(t.url("/login")).send().await.unwrap();
    assert_eq!(r.status(), 405);
    assert!(r.text().await.unwrap().contains("does not take this method"));
    t.stop().await;
}
