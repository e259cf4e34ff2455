//! Loopback stand-ins for the providers' HTTP APIs, speaking their documented wire formats:
//! the Graph API's media lookup and download, and the Telegram Bot API's `setWebhook`,
//! `getFile` and file download. Every request is recorded for the test to inspect.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
pub struct Recorded {
    pub calls: Arc<Mutex<Vec<(String, Value)>>>,
    /// Telegram `setWebhook` answers `ok: false` for this token.
    pub refuse_token: Arc<Mutex<Option<String>>>,
}

impl Recorded {
    pub fn calls(&self) -> Vec<(String, Value)> {
        self.calls.lock().unwrap().clone()
    }
    fn push(&self, what: String, v: Value) {
        self.calls.lock().unwrap().push((what, v));
    }
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
    body: axum::body::Bytes,
) -> impl IntoResponse {
    let token = bot.strip_prefix("bot").unwrap_or("").to_string();
    let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    rec.push(format!("telegram {method}"), json!({ "token": token, "body": v, "query": q }));
    match method.as_str() {
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
            .route("/files/{id}", get(graph_file))
            .route("/tg/{bot}/{method}", post(tg_method).get(tg_method))
            .route("/tg/file/{bot}/{dir}/{name}", get(tg_file))
            .with_state((rec.clone(), base.clone()));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { base, rec }
    }

    pub fn inbox_settings(&self) -> frontdesk_app::InboxSettings {
        frontdesk_app::InboxSettings {
            meta_graph_url: format!("{}/graph", self.base),
            telegram_api_url: format!("{}/tg", self.base),
            ..Default::default()
        }
    }
}
