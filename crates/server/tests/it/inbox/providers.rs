//! Loopback stand-ins for the providers' HTTP APIs, speaking their documented wire formats:
//! the Graph API's media lookup and download and WhatsApp's and Instagram's send endpoints,
//! and the Telegram Bot API's `setWebhook`, `getFile`, `sendMessage` and file download. Every
//! request is recorded for the test to inspect; sends answer from a script (success when empty).

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A scripted answer to the next send: HTTP status, JSON body, Retry-After, delay.
#[derive(Clone, Debug)]
pub struct Scripted {
    pub status: u16,
    pub body: Value,
    pub retry_after: Option<u64>,
    pub delay_ms: u64,
}

impl Scripted {
    pub fn error(status: u16, body: Value) -> Self {
        Self { status, body, retry_after: None, delay_ms: 0 }
    }
    /// The Graph API's error envelope.
    pub fn graph(status: u16, code: i64, message: &str) -> Self {
        Self::error(
            status,
            json!({ "error": { "message": message, "type": "OAuthException", "code": code,
                               "error_data": { "messaging_product": "whatsapp", "details": message }, "fbtrace_id": "Axyz" } }),
        )
    }
}

#[derive(Clone, Default)]
pub struct Recorded {
    pub calls: Arc<Mutex<Vec<(String, Value)>>>,
    /// Telegram `setWebhook` answers `ok: false` for this token.
    pub refuse_token: Arc<Mutex<Option<String>>>,
    /// Answers for the next sends, in order.
    pub script: Arc<Mutex<std::collections::VecDeque<Scripted>>>,
    pub sent: Arc<std::sync::atomic::AtomicU64>,
}

impl Recorded {
    pub fn calls(&self) -> Vec<(String, Value)> {
        self.calls.lock().unwrap().clone()
    }
    fn push(&self, what: String, v: Value) {
        self.calls.lock().unwrap().push((what, v));
    }
    /// Calls whose name starts with `prefix`.
    pub fn named(&self, prefix: &str) -> Vec<Value> {
        self.calls().into_iter().filter(|(n, _)| n.starts_with(prefix)).map(|(_, v)| v).collect()
    }
    pub fn script(&self, s: Scripted) {
        self.script.lock().unwrap().push_back(s);
    }
    /// The scripted answer for this send, or `None` for success (after any delay).
    async fn next(&self) -> Option<axum::response::Response> {
        let s = self.script.lock().unwrap().pop_front()?;
        if s.delay_ms > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(s.delay_ms)).await;
            if s.status == 200 {
                return None;
            }
        }
        let mut r = (StatusCode::from_u16(s.status).unwrap(), Json(s.body)).into_response();
        if let Some(ra) = s.retry_after {
            r.headers_mut().insert("retry-after", ra.to_string().parse().unwrap());
        }
        Some(r)
    }
    fn next_id(&self) -> u64 {
        self.sent.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1
    }
}

/// WhatsApp `POST /{phone_number_id}/messages`: a text message, or a read receipt.
async fn graph_send(
    State((rec, _)): State<(Recorded, String)>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> axum::response::Response {
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    if body["status"] == "read" {
        rec.push(format!("whatsapp read {id}"), body);
        return Json(json!({ "success": true })).into_response();
    }
    rec.push(format!("whatsapp send {id}"), json!({ "authorization": auth, "body": body }));
    if let Some(r) = rec.next().await {
        return r;
    }
    let to = body["to"].clone();
    Json(json!({ "messaging_product": "whatsapp", "contacts": [{ "input": to, "wa_id": to }],
                 "messages": [{ "id": format!("wamid.OUT{}", rec.next_id()) }] }))
    .into_response()
}

/// Instagram `POST /{ig account id}/messages`.
async fn ig_send(
    State((rec, _)): State<(Recorded, String)>,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> axum::response::Response {
    rec.push(format!("instagram send {id}"), body.clone());
    if let Some(r) = rec.next().await {
        return r;
    }
    Json(json!({ "recipient_id": body["recipient"]["id"], "message_id": format!("aWdfZAG1OUT{}", rec.next_id()) }))
        .into_response()
}

/// WhatsApp `POST /{phone_number_id}/media`: a multipart upload; answers with a media id.
async fn graph_upload(
    State((rec, _)): State<(Recorded, String)>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> axum::response::Response {
    rec.push(format!("whatsapp upload {id}"), multipart_summary(&headers, &body));
    Json(json!({ "id": format!("media.{}", rec.next_id()) })).into_response()
}

/// What a multipart request carried, for assertions: its content type, the names of its
/// parts and its text, lossily (test files are ASCII).
pub fn multipart_summary(headers: &HeaderMap, body: &[u8]) -> Value {
    let ct = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let text = String::from_utf8_lossy(body).to_string();
    let names: Vec<String> = text
        .split("form-data; name=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next().map(str::to_string))
        .collect();
    json!({ "content_type": ct, "parts": names, "text": text, "authorization": headers.get("authorization").and_then(|v| v.to_str().ok()) })
}

pub struct FakeProviders {
    pub base: String,
    pub rec: Recorded,
}

/// Bytes served for a media or file id: deterministic, so tests can compare.
pub fn file_bytes(id: &str) -> Vec<u8> {
    format!("FILE:{id}:").repeat(20).into_bytes()
}

async fn graph_media(
    State((rec, base)): State<(Recorded, String)>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> impl IntoResponse {
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    rec.push(format!("graph GET /{id}"), json!({ "authorization": auth }));
    if auth != "Bearer wa-access-token" {
        return (
            StatusCode::UNAUTHORIZED,
            Json(
                json!({ "error": { "message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190 } }),
            ),
        )
            .into_response();
    }
    Json(json!({ "url": format!("{base}/files/{id}"), "mime_type": "image/jpeg", "sha256": "x", "file_size": file_bytes(&id).len(), "id": id, "messaging_product": "whatsapp" }))
        .into_response()
}

async fn graph_file(
    State((rec, _)): State<(Recorded, String)>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> impl IntoResponse {
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    rec.push(format!("file GET /files/{id}"), json!({ "authorization": auth }));
    ([("content-type", "application/octet-stream")], file_bytes(&id))
}

async fn tg_method(
    State((rec, _)): State<(Recorded, String)>,
    Path((bot, method)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> impl IntoResponse {
    let token = bot.strip_prefix("bot").unwrap_or("").to_string();
    let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let files = method == "sendPhoto" || method == "sendDocument";
    let recorded = if files { multipart_summary(&headers, &body) } else { v.clone() };
    rec.push(format!("telegram {method}"), json!({ "token": token, "body": recorded, "query": q }));
    match method.as_str() {
        "sendMessage" | "sendPhoto" | "sendDocument" => {
            if let Some(r) = rec.next().await {
                let st = r.status();
                let body = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap();
                return (st, Json(serde_json::from_slice(&body).unwrap_or(Value::Null)));
            }
            let n = rec.next_id();
            (
                StatusCode::OK,
                Json(json!({ "ok": true, "result": { "message_id": 9000 + n, "date": 1760000000,
                    "chat": { "id": v["chat_id"], "type": "private" }, "text": v["text"] } })),
            )
        }
        "setWebhook" => {
            if rec.refuse_token.lock().unwrap().as_deref() == Some(token.as_str()) {
                return (
                    StatusCode::UNAUTHORIZED,
                    Json(json!({ "ok": false, "error_code": 401, "description": "Unauthorized" })),
                );
            }
            (StatusCode::OK, Json(json!({ "ok": true, "result": true, "description": "Webhook was set" })))
        }
        "getFile" => {
            let id = q.get("file_id").cloned().unwrap_or_default();
            (
                StatusCode::OK,
                Json(
                    json!({ "ok": true, "result": { "file_id": id, "file_unique_id": "u", "file_size": 10, "file_path": format!("photos/{id}.jpg") } }),
                ),
            )
        }
        _ => (StatusCode::NOT_FOUND, Json(json!({ "ok": false, "error_code": 404, "description": "Not Found" }))),
    }
}

async fn tg_file(
    State((rec, _)): State<(Recorded, String)>,
    Path((bot, dir, name)): Path<(String, String, String)>,
) -> impl IntoResponse {
    rec.push(format!("telegram file {dir}/{name}"), json!({ "bot": bot }));
    let id = name.trim_end_matches(".jpg").to_string();
    ([("content-type", "image/jpeg")], file_bytes(&id))
}

impl FakeProviders {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let rec = Recorded::default();
        let app = Router::new()
            .route("/graph/{id}", get(graph_media))
            .route("/graph/{id}/messages", post(graph_send))
            .route("/graph/{id}/media", post(graph_upload))
            .route("/ig/{id}/messages", post(ig_send))
            .route("/files/{id}", get(graph_file))
            .route("/tg/{bot}/{method}", post(tg_method).get(tg_method))
            .route("/tg/file/{bot}/{dir}/{name}", get(tg_file))
            .with_state((rec.clone(), base.clone()));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { base, rec }
    }

    pub fn inbox_settings(&self) -> frontdesk_inbox::InboxSettings {
        frontdesk_inbox::InboxSettings {
            meta_graph_url: format!("{}/graph", self.base),
            instagram_graph_url: format!("{}/ig", self.base),
            telegram_api_url: format!("{}/tg", self.base),
            ..Default::default()
        }
    }
}
