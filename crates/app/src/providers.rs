//! Calls to the providers' HTTP APIs: Telegram `setWebhook` and `getFile`, the Graph API's
//! media endpoint. Base URLs come from settings, so tests point them at loopback servers that
//! speak the documented wire formats.

use crate::error::ErrorKind;
use crate::jobs::JobError;
use crate::{App, AppError};
use serde_json::{json, Value};
use std::time::Duration;

/// The client for provider calls: our user agent, bounded connect time and redirects.
pub fn http_client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .user_agent(concat!("Frontdesk/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::limited(3))
        .build()
}

/// The updates a Telegram channel subscribes to.
pub const TELEGRAM_UPDATES: &[&str] =
    &["message", "edited_message", "callback_query", "my_chat_member", "business_message", "edited_business_message"];

fn unreachable(e: reqwest::Error) -> AppError {
    AppError::new(
        ErrorKind::Unavailable,
        "provider_unreachable",
        format!("The provider could not be reached: {}", e.without_url()),
    )
}

/// Points a bot's webhook at us with a secret token. The bot token is checked by Telegram: a
/// wrong one is a clear error, not a half-connected channel.
pub async fn telegram_set_webhook(app: &App, bot_token: &str, url: &str, secret: &str) -> Result<(), AppError> {
    let endpoint = format!("{}/bot{bot_token}/setWebhook", app.inbox.telegram_api_url);
    let body = json!({ "url": url, "secret_token": secret, "allowed_updates": TELEGRAM_UPDATES, "drop_pending_updates": false });
    let r = app.http.post(&endpoint).timeout(Duration::from_secs(15)).json(&body).send().await.map_err(unreachable)?;
    let status = r.status();
    let v: Value = r.json().await.unwrap_or(Value::Null);
    if status.is_success() && v["ok"] == true {
        return Ok(());
    }
    let desc = v["description"].as_str().unwrap_or("no description").to_string();
    Err(AppError::invalid("bot_token", "provider_rejected", format!("Telegram refused the webhook: {desc}")))
}

/// Downloaded bytes and their content type.
pub struct Download {
    pub bytes: Vec<u8>,
    pub mime: Option<String>,
}

fn transient(e: reqwest::Error) -> JobError {
    JobError::Transient(format!("provider unreachable: {}", e.without_url()))
}

fn by_status(what: &str, s: reqwest::StatusCode) -> JobError {
    if s.is_server_error() || s == reqwest::StatusCode::TOO_MANY_REQUESTS {
        JobError::Transient(format!("{what}: HTTP {}", s.as_u16()))
    } else {
        JobError::Permanent(format!("{what}: HTTP {}", s.as_u16()))
    }
}

async fn get_bytes(app: &App, url: &str, bearer: Option<&str>) -> Result<Download, JobError> {
    let mut rb = app.http.get(url).timeout(Duration::from_secs(60));
    if let Some(b) = bearer {
        rb = rb.bearer_auth(b);
    }
    let mut r = rb.send().await.map_err(transient)?;
    if !r.status().is_success() {
        return Err(by_status("download", r.status()));
    }
    let mime = r.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
    let max = app.inbox.media_max_bytes;
    if r.content_length().is_some_and(|n| n > max) {
        return Err(JobError::Permanent(format!("the file is larger than {max} bytes")));
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = r.chunk().await.map_err(transient)? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() as u64 > max {
            return Err(JobError::Permanent(format!("the file is larger than {max} bytes")));
        }
    }
    Ok(Download { bytes, mime })
}

/// WhatsApp: `GET /{media id}` gives a short-lived URL, fetched with the same token.
pub async fn whatsapp_media(app: &App, token: &str, media_id: &str) -> Result<Download, JobError> {
    let url = format!("{}/{media_id}", app.inbox.meta_graph_url);
    let r = app.http.get(&url).bearer_auth(token).timeout(Duration::from_secs(30)).send().await.map_err(transient)?;
    if !r.status().is_success() {
        return Err(by_status("media lookup", r.status()));
    }
    let v: Value = r.json().await.map_err(|e| JobError::Transient(format!("media lookup: {}", e.without_url())))?;
    let Some(file_url) = v["url"].as_str() else {
        return Err(JobError::Permanent("media lookup: no url in the answer".into()));
    };
    let mut d = get_bytes(app, file_url, Some(token)).await?;
    if let Some(m) = v["mime_type"].as_str() {
        d.mime = Some(m.to_string());
    }
    Ok(d)
}

/// Instagram attachments carry their own (signed, short-lived) URL.
pub async fn instagram_media(app: &App, url: &str) -> Result<Download, JobError> {
    get_bytes(app, url, None).await
}

/// Telegram: `getFile` gives a path under `/file/bot<token>/`.
pub async fn telegram_media(app: &App, bot_token: &str, file_id: &str) -> Result<Download, JobError> {
    let base = &app.inbox.telegram_api_url;
    let r = app
        .http
        .get(format!("{base}/bot{bot_token}/getFile"))
        .query(&[("file_id", file_id)])
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .map_err(transient)?;
    if !r.status().is_success() {
        return Err(by_status("getFile", r.status()));
    }
    let v: Value = r.json().await.map_err(|e| JobError::Transient(format!("getFile: {}", e.without_url())))?;
    let Some(path) = v["result"]["file_path"].as_str() else {
        return Err(JobError::Permanent("getFile: no file_path in the answer".into()));
    };
    get_bytes(app, &format!("{base}/file/bot{bot_token}/{path}"), None).await
}
