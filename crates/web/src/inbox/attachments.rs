//! Files agents send. The upload is the request body itself (`Content-Type` is the file's
//! type, `?filename=` its name, `?text=` the caption), so neither the API nor the page needs a
//! multipart parser; the inbox page's script posts the chosen file this way. Providers and web
//! chat visitors fetch a sent file through a signed link that expires.

use crate::inbox::api::{current, MessageOut};
use crate::kit::answer::{Answer, Api};
use crate::kit::error::WebError;
use crate::kit::extract::{ApiCaller, ClientInfo, PageUser};
use crate::{Access, AppState, Table};
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use axum::routing::{get, post};
use frontdesk_core::Action;
use frontdesk_inbox::attachments::{self, Upload};
use frontdesk_inbox::outbox;
use frontdesk_platform::error::ErrorKind;
use frontdesk_platform::workspaces::{self as ws, Principal};
use frontdesk_platform::AppError;
use schemars::JsonSchema;
use serde::Deserialize;

pub(crate) fn routes(t: Table) -> Table {
    use Access::*;
    t.add(
        "POST",
        "/api/v1/threads/{id}/attachments",
        Current(Action::SendMessages),
        "Send a file: the body is the file, Content-Type its type, ?filename= and ?text= (caption); honours Idempotency-Key",
        post(api_upload).layer(DefaultBodyLimit::disable()),
    )
    .file_body()
    .query::<UploadParams>()
    .created_or_repeated::<MessageOut>()
    .add(
        "POST",
        "/w/{ws}/inbox/{id}/attachments",
        Workspace(Action::ViewInbox),
        "Send a file from the composer (the policy gate decides, including the role)",
        post(page_upload).layer(DefaultBodyLimit::disable()),
    )
    .add("GET", "/files/{id}", Public, "A sent file, through a signed link that expires", get(signed_file))
}

/// The file's name, the caption and what it answers.
#[derive(Deserialize, Default, JsonSchema)]
pub struct UploadParams {
    /// The file's name as the customer will see it.
    filename: Option<String>,
    /// A caption sent with the file.
    text: Option<String>,
    /// The id of the message this one answers.
    reply_to: Option<String>,
}

/// The body, up to the configured media size (the middleware already refused a larger
/// Content-Length; this also stops a chunked body).
async fn read_upload(s: &AppState, headers: &HeaderMap, p: &UploadParams, body: Body) -> Result<Upload, AppError> {
    let max = s.app.inbox.media_max_bytes as usize;
    let bytes = axum::body::to_bytes(body, max).await.map_err(|_| {
        AppError::new(
            ErrorKind::TooLarge,
            "attachment_too_large",
            format!("The file is larger than {} MB.", max / (1024 * 1024)),
        )
    })?;
    let mime = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    Ok(Upload { filename: p.filename.clone().unwrap_or_default(), mime, bytes: bytes.to_vec() })
}

fn key_of(headers: &HeaderMap) -> Result<Option<String>, AppError> {
    match headers.get("idempotency-key") {
        None => Ok(None),
        Some(v) => Ok(Some(v.to_str().map(str::to_string).map_err(|_| {
            AppError::invalid("idempotency_key", "invalid_idempotency_key", "Use 1 to 255 visible ASCII characters.")
        })?)),
    }
}

async fn api_upload(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    q: Result<Query<UploadParams>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Api<MessageOut> {
    let a = current(&s, &c, Action::SendMessages).await?;
    let p = crate::inbox::api::query(q)?;
    let upload = read_upload(&s, &headers, &p, body).await?;
    let input = outbox::SendInput {
        text: p.text.clone().unwrap_or_default(),
        reply_to: p.reply_to.clone(),
        idempotency_key: key_of(&headers)?,
        attachment: Some(upload),
    };
    let q = outbox::send(&s.app, &a, &id, input).await?;
    let detail = frontdesk_inbox::threads::thread(&s.app, &a, &id, None, Some(1)).await.ok();
    let media = detail.map(|d| d.media).unwrap_or_default();
    Ok(Answer::created_if(q.created, MessageOut::new(&q.message, &media)))
}

async fn page_upload(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    Query(p): Query<UploadParams>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let principal = Principal::User { id: u.user.id.clone(), ip: Some(client.ip.clone()) };
    let a = ws::authorize(&s.app, &principal, &w, Action::ViewInbox).await.map_err(WebError::page)?;
    let sent = async {
        let upload = read_upload(&s, &headers, &p, body).await?;
        let input = outbox::SendInput {
            text: p.text.clone().unwrap_or_default(),
            reply_to: None,
            idempotency_key: key_of(&headers)?,
            attachment: Some(upload),
        };
        outbox::send(&s.app, &a, &id, input).await
    };
    let sent = sent.await;
    crate::inbox::pages::thread_outcome(&s, &u, &a, &w, &id, p.text.clone().unwrap_or_default(), sent).await
}

/// Strings, so that a mangled link is a plain 404 like any wrong one.
#[derive(Deserialize)]
pub struct LinkParams {
    exp: Option<String>,
    sig: Option<String>,
}

async fn signed_file(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(p): Query<LinkParams>,
) -> Result<Response, WebError> {
    let exp = p.exp.as_deref().and_then(|e| e.parse::<i64>().ok()).unwrap_or(0);
    let sig = p.sig.unwrap_or_default();
    let (media, bytes) = attachments::by_link(&s.app, &id, exp, &sig).await?;
    let mut r = crate::inbox::api::file_response(frontdesk_inbox::threads::MediaFile { media, bytes });
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
    Ok(r)
}
