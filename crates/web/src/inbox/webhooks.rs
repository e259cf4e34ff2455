//! Provider webhooks: Meta's subscription handshake and signed deliveries (WhatsApp,
//! Instagram, or one Meta app for many channels), Telegram deliveries with their secret token.
//! The raw bytes are verified before anything is parsed.

use crate::kit::error::WebError;
use crate::kit::extract::ClientInfo;
use crate::{Access, AppState, Table};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::routing::post;
use frontdesk_core::inbox::ChannelKind;
use frontdesk_inbox::intake::{self, Delivery, Route};
use serde::Deserialize;

pub(crate) fn routes(t: Table) -> Table {
    use Access::*;
    t.add("GET", "/webhooks/whatsapp/{id}", Public, "Meta webhook handshake (WhatsApp channel)", get(wa_handshake))
        .add(
            "POST",
            "/webhooks/whatsapp/{id}",
            Public,
            "WhatsApp Cloud API deliveries (X-Hub-Signature-256)",
            post(wa_deliver),
        )
        .add("GET", "/webhooks/instagram/{id}", Public, "Meta webhook handshake (Instagram channel)", get(ig_handshake))
        .add(
            "POST",
            "/webhooks/instagram/{id}",
            Public,
            "Instagram messaging deliveries (X-Hub-Signature-256)",
            post(ig_deliver),
        )
        .add(
            "POST",
            "/webhooks/telegram/{id}",
            Public,
            "Telegram Bot API updates (X-Telegram-Bot-Api-Secret-Token)",
            post(tg_deliver),
        )
        .add(
            "GET",
            "/webhooks/meta/{app_id}",
            Public,
            "Meta webhook handshake for every channel of one Meta app",
            get(app_handshake),
        )
        .add(
            "POST",
            "/webhooks/meta/{app_id}",
            Public,
            "Deliveries for every WhatsApp/Instagram channel of one Meta app",
            post(app_deliver),
        )
}

async fn wa_handshake(s: State<AppState>, c: ClientInfo, p: Path<String>, q: Query<Hub>) -> Result<Response, WebError> {
    handshake(s, c, p, q, ChannelKind::Whatsapp).await
}
async fn ig_handshake(s: State<AppState>, c: ClientInfo, p: Path<String>, q: Query<Hub>) -> Result<Response, WebError> {
    handshake(s, c, p, q, ChannelKind::Instagram).await
}
async fn wa_deliver(
    s: State<AppState>,
    c: ClientInfo,
    p: Path<String>,
    h: HeaderMap,
    b: Bytes,
) -> Result<Response, WebError> {
    deliver(s, c, p, h, b, ChannelKind::Whatsapp).await
}
async fn ig_deliver(
    s: State<AppState>,
    c: ClientInfo,
    p: Path<String>,
    h: HeaderMap,
    b: Bytes,
) -> Result<Response, WebError> {
    deliver(s, c, p, h, b, ChannelKind::Instagram).await
}
async fn tg_deliver(
    s: State<AppState>,
    c: ClientInfo,
    p: Path<String>,
    h: HeaderMap,
    b: Bytes,
) -> Result<Response, WebError> {
    deliver(s, c, p, h, b, ChannelKind::Telegram).await
}

#[derive(Deserialize)]
pub(crate) struct Hub {
    #[serde(rename = "hub.mode")]
    mode: Option<String>,
    #[serde(rename = "hub.verify_token")]
    token: Option<String>,
    #[serde(rename = "hub.challenge")]
    challenge: Option<String>,
}

async fn handshake(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    Path(id): Path<String>,
    Query(h): Query<Hub>,
    kind: ChannelKind,
) -> Result<Response, WebError> {
    answer_handshake(&s, &client.ip, Route::Channel(kind, &id), h).await
}

async fn app_handshake(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    Path(app_id): Path<String>,
    Query(h): Query<Hub>,
) -> Result<Response, WebError> {
    answer_handshake(&s, &client.ip, Route::MetaApp(&app_id), h).await
}

async fn answer_handshake(s: &AppState, ip: &str, route: Route<'_>, h: Hub) -> Result<Response, WebError> {
    let c = intake::handshake(&s.app, route, h.mode.as_deref(), h.token.as_deref(), h.challenge.as_deref(), ip).await?;
    Ok((StatusCode::OK, [("content-type", "text/plain; charset=utf-8")], c).into_response())
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

async fn deliver(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
    kind: ChannelKind,
) -> Result<Response, WebError> {
    store(&s, &client.ip, Route::Channel(kind, &id), &headers, &body).await
}

async fn app_deliver(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    Path(app_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    store(&s, &client.ip, Route::MetaApp(&app_id), &headers, &body).await
}

/// Verifies and stores a delivery; 200 once it is stored (or was already).
async fn store(
    s: &AppState,
    ip: &str,
    route: Route<'_>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, WebError> {
    let d = Delivery {
        route,
        signature: header(headers, "x-hub-signature-256"),
        telegram_secret: header(headers, "x-telegram-bot-api-secret-token"),
        body,
        ip,
    };
    intake::receive(&s.app, d).await?;
    Ok(StatusCode::OK.into_response())
}
