//! Calls to the providers' HTTP APIs: Telegram `setWebhook` and `getFile`, the Graph API's
//! media endpoint. Base URLs come from settings, so tests point them at loopback servers that
//! speak the documented wire formats.

use crate::{AppError, Inbox};
use frontdesk_platform::error::ErrorKind;
use frontdesk_platform::jobs::JobError;
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

/// A provider's JSON answer, with no NUL left in its text (its messages may be stored).
async fn json_of(r: reqwest::Response) -> reqwest::Result<Value> {
    let mut v: Value = r.json().await?;
    frontdesk_channels::scrub_nul(&mut v);
    Ok(v)
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
pub async fn telegram_set_webhook(app: &Inbox, bot_token: &str, url: &str, secret: &str) -> Result<(), AppError> {
    let endpoint = format!("{}/bot{bot_token}/setWebhook", app.inbox.telegram_api_url);
    let body = json!({ "url": url, "secret_token": secret, "allowed_updates": TELEGRAM_UPDATES, "drop_pending_updates": false });
    let r = app.http.post(&endpoint).timeout(Duration::from_secs(15)).json(&body).send().await.map_err(unreachable)?;
    let status = r.status();
    let v: Value = json_of(r).await.unwrap_or(Value::Null);
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

/// Whether `url` is on the origin of a provider base URL the operator configured.
fn under(url: &str, base: &str) -> bool {
    match (reqwest::Url::parse(url), reqwest::Url::parse(base)) {
        (Ok(u), Ok(b)) => u.origin() == b.origin(),
        _ => false,
    }
}

/// Downloads a file. A URL on the origin of `trusted_base` (the provider's API as the operator
/// configured it) is fetched with the provider client; any other URL (an Instagram CDN link in
/// a payload, a media URL a lookup answered with) goes through the request-forgery guard, which
/// checks every address at connect time and every redirect hop.
async fn get_bytes(
    app: &Inbox,
    url: &str,
    bearer: Option<&str>,
    trusted_base: Option<&str>,
) -> Result<Download, JobError> {
    let timeout = Duration::from_secs(60);
    let mut r = if trusted_base.is_some_and(|b| under(url, b)) {
        let mut rb = app.http.get(url).timeout(timeout);
        if let Some(b) = bearer {
            rb = rb.bearer_auth(b);
        }
        rb.send().await.map_err(transient)?
    } else {
        frontdesk_platform::netguard::get(&app.tenant_http, url, &app.settings.allow_private, bearer, timeout)
            .await
            .map_err(|e| match e {
                frontdesk_platform::netguard::FetchError::Refused(why) => {
                    JobError::Permanent(format!("download refused: {why}"))
                }
                frontdesk_platform::netguard::FetchError::Transport(e) => transient(e),
            })?
    };
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

/// A provider's media or file id as it may go into a URL path: letters, digits, `-` and `_`
/// (Meta's ids are digits, Telegram's are base64url), so a signed payload cannot steer the
/// request elsewhere on the provider's host.
fn path_id(id: &str) -> Result<&str, JobError> {
    if !id.is_empty() && id.len() <= 256 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        Ok(id)
    } else {
        Err(JobError::Permanent("the provider's file id is not one we can fetch".into()))
    }
}

/// WhatsApp: `GET /{media id}` gives a short-lived URL, fetched with the same token.
pub async fn whatsapp_media(app: &Inbox, token: &str, media_id: &str) -> Result<Download, JobError> {
    let base = &app.inbox.meta_graph_url;
    let url = format!("{base}/{}", path_id(media_id)?);
    let r = app.http.get(&url).bearer_auth(token).timeout(Duration::from_secs(30)).send().await.map_err(transient)?;
    if !r.status().is_success() {
        return Err(by_status("media lookup", r.status()));
    }
    let v: Value = json_of(r).await.map_err(|e| JobError::Transient(format!("media lookup: {}", e.without_url())))?;
    let Some(file_url) = v["url"].as_str() else {
        return Err(JobError::Permanent("media lookup: no url in the answer".into()));
    };
    let mut d = get_bytes(app, file_url, Some(token), Some(base)).await?;
    if let Some(m) = v["mime_type"].as_str() {
        d.mime = Some(m.to_string());
    }
    Ok(d)
}

/// Instagram attachments carry their own (signed, short-lived) URL: it arrives in a payload,
/// so it is fetched through the guard.
pub async fn instagram_media(app: &Inbox, url: &str) -> Result<Download, JobError> {
    get_bytes(app, url, None, None).await
}

/// Telegram: `getFile` gives a path under `/file/bot<token>/`.
pub async fn telegram_media(app: &Inbox, bot_token: &str, file_id: &str) -> Result<Download, JobError> {
    let base = &app.inbox.telegram_api_url;
    let r = app
        .http
        .get(format!("{base}/bot{bot_token}/getFile"))
        .query(&[("file_id", path_id(file_id)?)])
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .map_err(transient)?;
    if !r.status().is_success() {
        return Err(by_status("getFile", r.status()));
    }
    let v: Value = json_of(r).await.map_err(|e| JobError::Transient(format!("getFile: {}", e.without_url())))?;
    let Some(path) = v["result"]["file_path"].as_str() else {
        return Err(JobError::Permanent("getFile: no file_path in the answer".into()));
    };
    get_bytes(app, &format!("{base}/file/bot{bot_token}/{path}"), None, Some(base)).await
}

// ---- sending ----

/// Why a provider did not take a message.
#[derive(Debug, Clone, PartialEq)]
pub enum SendError {
    /// Worth another attempt: unreachable, timed out, 5xx, rate limited (with the provider's
    /// Retry-After when it gave one).
    Transient { reason: String, retry_after_ms: Option<i64> },
    /// The provider refused this message for good, with its code and sentence.
    Rejected { code: Option<i64>, title: String, details: Option<String> },
}

fn send_timeout(app: &Inbox) -> Duration {
    Duration::from_millis(app.inbox.send_timeout_ms.max(1))
}

fn send_transient(e: reqwest::Error) -> SendError {
    let what = if e.is_timeout() { "timed out" } else { "unreachable" };
    SendError::Transient { reason: format!("provider {what}: {}", e.without_url()), retry_after_ms: None }
}

fn retry_after_header(r: &reqwest::Response) -> Option<i64> {
    r.headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .map(|s| s.clamp(0, 24 * 3600) * 1000)
}

/// Graph API codes that mean "slow down" or "try again", not "no".
fn graph_transient(code: i64) -> bool {
    matches!(code, 1 | 2 | 4 | 17 | 80007 | 130429 | 131000 | 131016 | 131056 | 133004)
}

/// Reads a Graph API answer: the JSON on success, or the error envelope
/// `{"error":{"message","code","error_subcode","error_data":{"details"}}}`.
async fn graph_answer(r: reqwest::Response) -> Result<Value, SendError> {
    let status = r.status();
    let retry = retry_after_header(&r);
    let v: Value = json_of(r).await.unwrap_or(Value::Null);
    if status.is_success() {
        return Ok(v);
    }
    let e = &v["error"];
    let code = e["code"].as_i64();
    let title = e["message"].as_str().or(e["error_user_title"].as_str()).unwrap_or("no message").to_string();
    let details = e["error_data"]["details"].as_str().or(e["error_user_msg"].as_str()).map(str::to_string);
    if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS || code.is_some_and(graph_transient)
    {
        return Err(SendError::Transient {
            reason: format!("HTTP {}: {title}", status.as_u16()),
            retry_after_ms: retry,
        });
    }
    // Instagram's "outside the allowed window" arrives as code 10 with subcode 2018278.
    let code = match (code, e["error_subcode"].as_i64()) {
        (Some(10), Some(sub)) => Some(sub),
        (c, _) => c,
    };
    Err(SendError::Rejected { code, title, details })
}

/// WhatsApp Cloud API: `POST /{phone_number_id}/messages` with a text body, the quoted message
/// as `context`, and our message id as `biz_opaque_callback_data` (echoed in every status, so a
/// send whose answer was lost is still matched).
pub async fn whatsapp_send(
    app: &Inbox,
    token: &str,
    phone_number_id: &str,
    to: &str,
    content: WaContent<'_>,
    reply_to: Option<&str>,
    callback: &str,
) -> Result<String, SendError> {
    let url = format!("{}/{phone_number_id}/messages", app.inbox.meta_graph_url);
    let mut body = json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "biz_opaque_callback_data": callback,
    });
    match content {
        WaContent::Text(text) => {
            body["type"] = json!("text");
            body["text"] = json!({ "preview_url": false, "body": text });
        }
        WaContent::Media { kind, media_id, caption, filename } => {
            let mut part = json!({ "id": media_id });
            if !caption.is_empty() {
                part["caption"] = json!(caption);
            }
            if kind == "document" {
                part["filename"] = json!(filename);
            }
            body["type"] = json!(kind);
            body[kind] = part;
        }
    }
    if let Some(r) = reply_to {
        body["context"] = json!({ "message_id": r });
    }
    let r = app.http.post(&url).bearer_auth(token).timeout(send_timeout(app)).json(&body).send().await;
    let v = graph_answer(r.map_err(send_transient)?).await?;
    v["messages"][0]["id"].as_str().map(str::to_string).ok_or_else(|| SendError::Transient {
        reason: "the provider's answer had no message id".into(),
        retry_after_ms: None,
    })
}

/// What a WhatsApp message carries: text, or an uploaded image/document with its caption.
pub enum WaContent<'a> {
    Text(&'a str),
    Media { kind: &'a str, media_id: &'a str, caption: &'a str, filename: &'a str },
}

/// A file to upload.
pub struct FilePart<'a> {
    pub bytes: &'a [u8],
    pub mime: &'a str,
    pub filename: &'a str,
}

fn file_part(f: &FilePart<'_>) -> Result<reqwest::multipart::Part, SendError> {
    reqwest::multipart::Part::bytes(f.bytes.to_vec()).file_name(f.filename.to_string()).mime_str(f.mime).map_err(|e| {
        SendError::Rejected { code: None, title: format!("the file's type cannot be sent: {e}"), details: None }
    })
}

/// WhatsApp Cloud API: `POST /{phone_number_id}/media` (multipart: messaging_product, type,
/// file) gives the media id a message then refers to.
pub async fn whatsapp_upload(
    app: &Inbox,
    token: &str,
    phone_number_id: &str,
    f: &FilePart<'_>,
) -> Result<String, SendError> {
    let url = format!("{}/{phone_number_id}/media", app.inbox.meta_graph_url);
    let form = reqwest::multipart::Form::new()
        .text("messaging_product", "whatsapp")
        .text("type", f.mime.to_string())
        .part("file", file_part(f)?);
    let r = app.http.post(&url).bearer_auth(token).timeout(send_timeout(app)).multipart(form).send().await;
    let v = graph_answer(r.map_err(send_transient)?).await?;
    v["id"].as_str().map(str::to_string).ok_or_else(|| SendError::Transient {
        reason: "the provider's answer had no media id".into(),
        retry_after_ms: None,
    })
}

/// WhatsApp: marks a customer's message read (blue ticks on their side). Best effort.
pub async fn whatsapp_mark_read(app: &Inbox, token: &str, phone_number_id: &str, wamid: &str) -> Result<(), SendError> {
    let url = format!("{}/{phone_number_id}/messages", app.inbox.meta_graph_url);
    let body = json!({ "messaging_product": "whatsapp", "status": "read", "message_id": wamid });
    let r = app.http.post(&url).bearer_auth(token).timeout(send_timeout(app)).json(&body).send().await;
    graph_answer(r.map_err(send_transient)?).await.map(|_| ())
}

/// What an Instagram message carries: text, or an image Instagram fetches from a link.
pub enum IgContent<'a> {
    Text(&'a str),
    Image(&'a str),
}

/// Instagram messaging API: `POST /{ig account id}/messages`; after 24 h a person's reply is
/// sent with the HUMAN_AGENT tag (the gate never allows that for automation).
pub async fn instagram_send(
    app: &Inbox,
    token: &str,
    account_id: &str,
    igsid: &str,
    content: IgContent<'_>,
    human_agent_tag: bool,
) -> Result<String, SendError> {
    let url = format!("{}/{account_id}/messages", app.inbox.instagram_graph_url);
    let message = match content {
        IgContent::Text(text) => json!({ "text": text }),
        IgContent::Image(url) => json!({ "attachment": { "type": "image", "payload": { "url": url } } }),
    };
    let mut body = json!({ "recipient": { "id": igsid }, "message": message });
    if human_agent_tag {
        body["messaging_type"] = json!("MESSAGE_TAG");
        body["tag"] = json!("HUMAN_AGENT");
    } else {
        body["messaging_type"] = json!("RESPONSE");
    }
    let r = app.http.post(&url).bearer_auth(token).timeout(send_timeout(app)).json(&body).send().await;
    let v = graph_answer(r.map_err(send_transient)?).await?;
    v["message_id"].as_str().map(str::to_string).ok_or_else(|| SendError::Transient {
        reason: "the provider's answer had no message id".into(),
        retry_after_ms: None,
    })
}

/// What a Telegram message carries: text, or a photo/document uploaded with its caption.
pub enum TgContent<'a> {
    Text(&'a str),
    File { kind: &'a str, file: FilePart<'a>, caption: &'a str },
}

/// Telegram Bot API `sendMessage`, `sendPhoto` or `sendDocument`; the provider id is `"<chat id>:<message id>"`, as for
/// inbound messages.
pub async fn telegram_send(
    app: &Inbox,
    bot_token: &str,
    chat_id: &str,
    content: TgContent<'_>,
    reply_to_message_id: Option<i64>,
) -> Result<String, SendError> {
    let chat: Value = chat_id.parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::from(chat_id));
    let reply = reply_to_message_id.map(|m| json!({ "message_id": m, "allow_sending_without_reply": true }));
    let rb = match content {
        TgContent::Text(text) => {
            let mut body = json!({ "chat_id": chat, "text": text });
            if let Some(r) = reply {
                body["reply_parameters"] = r;
            }
            app.http.post(format!("{}/bot{bot_token}/sendMessage", app.inbox.telegram_api_url)).json(&body)
        }
        TgContent::File { kind, file, caption } => {
            let (method, field) = if kind == "image" { ("sendPhoto", "photo") } else { ("sendDocument", "document") };
            let mut form =
                reqwest::multipart::Form::new().text("chat_id", chat.to_string()).part(field, file_part(&file)?);
            if !caption.is_empty() {
                form = form.text("caption", caption.to_string());
            }
            if let Some(r) = reply {
                form = form.text("reply_parameters", r.to_string());
            }
            app.http.post(format!("{}/bot{bot_token}/{method}", app.inbox.telegram_api_url)).multipart(form)
        }
    };
    let r = rb.timeout(send_timeout(app)).send().await.map_err(send_transient)?;
    let status = r.status();
    let retry = retry_after_header(&r);
    let v: Value = json_of(r).await.unwrap_or(Value::Null);
    if status.is_success() && v["ok"] == true {
        let id = v["result"]["message_id"].as_i64().ok_or_else(|| SendError::Transient {
            reason: "the provider's answer had no message id".into(),
            retry_after_ms: None,
        })?;
        let chat = match &v["result"]["chat"]["id"] {
            Value::Number(n) => n.to_string(),
            _ => chat_id.to_string(),
        };
        return Ok(format!("{chat}:{id}"));
    }
    let description = v["description"].as_str().unwrap_or("no description").to_string();
    if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        let retry = v["parameters"]["retry_after"].as_i64().map(|s| s.clamp(0, 24 * 3600) * 1000).or(retry);
        return Err(SendError::Transient {
            reason: format!("HTTP {}: {description}", status.as_u16()),
            retry_after_ms: retry,
        });
    }
    Err(SendError::Rejected {
        code: v["error_code"].as_i64().or(Some(status.as_u16() as i64)),
        title: description,
        details: None,
    })
}
