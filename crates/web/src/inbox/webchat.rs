//! The web chat's public API, for the embeddable script: start a conversation, send, read
//! (JSON, or live over SSE), with CORS for the business's allowed sites. Visitors authenticate
//! with their token (`Authorization: Bearer fdv_…`; SSE takes it in the query, as
//! `EventSource` cannot set headers). No cookies are read or set here.

use crate::kit::answer::{Answer, Time};
use crate::kit::body::{ApiJson, OptionalJson};
use crate::kit::error::WebError;
use crate::kit::extract::ClientInfo;
use crate::{Access, AppState, Table};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use frontdesk_i18n::{tl, Lang};
use frontdesk_inbox::threads::Message;
use frontdesk_inbox::webchat;
use serde::{Deserialize, Serialize};
use std::convert::Infallible;
use std::time::Duration;

const WIDGET: &str = include_str!("assets/widget.js");

pub(crate) fn routes(t: Table) -> Table {
    use Access::*;
    t.add("GET", "/chat/widget.js", Public, "The embeddable web-chat script", get(widget))
        .add(
            "POST",
            "/chat/{id}/conversations",
            Public,
            "Web chat: start a conversation (returns the visitor token)",
            post(start).options(preflight),
        )
        .add("GET", "/chat/{id}/messages", Public, "Web chat: the conversation so far (visitor token)", get(list))
        .add(
            "POST",
            "/chat/{id}/messages",
            Public,
            "Web chat: send a message (visitor token)",
            post(send).options(preflight),
        )
        .add(
            "GET",
            "/chat/{id}/config",
            Public,
            "Web chat: the business's name, colour, whether it is open now, and the widget's words (?lang=en|es)",
            get(config).options(preflight),
        )
        .add("GET", "/chat/{id}/logo", Public, "Web chat: the business's logo (for the widget's header)", get(logo))
        .add(
            "GET",
            "/chat/{id}/events",
            Public,
            "Web chat: new messages, live (SSE, visitor token in ?token=)",
            get(events),
        )
}

async fn widget() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        WIDGET,
    )
        .into_response()
}

/// The business's logo for the widget: public like the widget itself (it is on the business's
/// own site), typed by its magic bytes when it was uploaded, never sniffed.
async fn logo(State(s): State<AppState>, Path(id): Path<String>) -> Response {
    let found = async {
        let ch = webchat::channel(&s.app, &id).await?;
        frontdesk_platform::profile::logo(&s.app, &ch.workspace_id).await
    };
    match found.await {
        Ok(Some((bytes, mime))) => (
            [
                (header::CONTENT_TYPE, mime),
                (header::CACHE_CONTROL, "public, max-age=3600".to_string()),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => WebError::from(frontdesk_platform::AppError::not_found("The logo")).into_response(),
        Err(e) => WebError::from(e).into_response(),
    }
}

fn origin(h: &HeaderMap) -> Option<&str> {
    h.get(header::ORIGIN).and_then(|v| v.to_str().ok()).filter(|o| *o != "null")
}

fn bearer(h: &HeaderMap) -> Option<&str> {
    h.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).map(str::trim)
}

/// CORS headers for an allowed origin (none otherwise: the browser then refuses the answer).
async fn with_cors(s: &AppState, id: &str, h: &HeaderMap, mut r: Response) -> Response {
    if let Some(o) = origin(h) {
        if let Ok(ch) = webchat::channel(&s.app, id).await {
            if webchat::origin_allowed(&s.app, &ch, o) {
                if let Ok(v) = HeaderValue::from_str(o) {
                    let hs = r.headers_mut();
                    hs.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
                    hs.insert(
                        header::ACCESS_CONTROL_ALLOW_HEADERS,
                        HeaderValue::from_static("authorization, content-type"),
                    );
                    hs.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST, OPTIONS"));
                    hs.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
                }
            }
        }
        r.headers_mut().insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    r
}

async fn preflight(State(s): State<AppState>, Path(id): Path<String>, h: HeaderMap) -> Response {
    with_cors(&s, &id, &h, StatusCode::NO_CONTENT.into_response()).await
}

/// Who wrote a message, as the widget tells them apart.
#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum Side {
    Visitor,
    Business,
}

/// A file the business sent, through a signed link that expires.
#[derive(Serialize)]
struct FileLink {
    name: String,
    url: String,
}

/// A message as the widget shows it.
#[derive(Serialize)]
struct VisitorMessage {
    id: String,
    from: Side,
    text: Option<String>,
    kind: String,
    /// The message's status, `received` shown as `sent`.
    status: String,
    created_at: Time,
    /// The `after` that lists the messages after this one.
    cursor: String,
    /// The business's file, if it sent one.
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<FileLink>,
}

impl VisitorMessage {
    fn new(m: &Message) -> Self {
        let status = match m.status.as_str() {
            "received" => "sent",
            s => s,
        };
        Self {
            id: m.id.to_string(),
            from: if m.direction == "in" { Side::Visitor } else { Side::Business },
            text: m.body.clone(),
            kind: m.kind.clone(),
            status: status.to_string(),
            created_at: Time::of(m.created_at),
            cursor: format!("{}_{}", m.created_at, m.id),
            file: None,
        }
    }
}

/// A message as the widget shows it, with a link to the business's file if it sent one.
async fn visitor_view(s: &AppState, m: &Message) -> VisitorMessage {
    let mut v = VisitorMessage::new(m);
    if let Ok(Some((name, url))) = webchat::file_of(&s.app, m).await {
        v.file = Some(FileLink { name, url });
    }
    v
}

/// A new conversation.
#[derive(Serialize)]
struct Started {
    /// The visitor token (`fdv_…`).
    token: String,
    visitor_id: String,
}

/// The conversation so far.
#[derive(Serialize)]
struct Messages {
    messages: Vec<VisitorMessage>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct StartBody {
    name: Option<String>,
    /// The pre-chat form's email or phone (unverified).
    contact: Option<String>,
    /// The visitor's language (`en`, `es`: the page's or the browser's), kept on the contact
    /// for the automatic replies.
    lang: Option<String>,
}

async fn start(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    Path(id): Path<String>,
    h: HeaderMap,
    body: Result<OptionalJson<StartBody>, Response>,
) -> Response {
    // The body is optional: `{}` or nothing at all.
    let b = match body {
        Ok(OptionalJson(b)) => b.unwrap_or_default(),
        Err(r) => return with_cors(&s, &id, &h, r).await,
    };
    let who = webchat::Who { name: b.name.as_deref(), contact: b.contact.as_deref(), lang: b.lang.as_deref() };
    let r = match webchat::start(&s.app, &id, origin(&h), &client.ip, who).await {
        Ok(st) => Answer::created(Started { token: st.token, visitor_id: st.visitor_id.to_string() }).into_response(),
        Err(e) => WebError::from(e).into_response(),
    };
    with_cors(&s, &id, &h, r).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SendBody {
    text: String,
    client_id: Option<String>,
}

async fn send(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    Path(id): Path<String>,
    h: HeaderMap,
    body: Result<ApiJson<SendBody>, Response>,
) -> Response {
    let r = match body {
        Err(r) => r,
        Ok(ApiJson(b)) => {
            match webchat::send(&s.app, &id, bearer(&h), origin(&h), b.client_id.as_deref(), &b.text, &client.ip).await
            {
                Ok(m) => Answer::created(VisitorMessage::new(&m)).into_response(),
                Err(e) => WebError::from(e).into_response(),
            }
        }
    };
    with_cors(&s, &id, &h, r).await
}

#[derive(Deserialize, Default)]
struct ListQuery {
    after: Option<String>,
    token: Option<String>,
}

async fn list(State(s): State<AppState>, Path(id): Path<String>, h: HeaderMap, Query(q): Query<ListQuery>) -> Response {
    let token = bearer(&h).map(str::to_string).or(q.token);
    let r = match webchat::messages(&s.app, &id, token.as_deref(), origin(&h), q.after.as_deref()).await {
        Ok(list) => {
            let mut out = Vec::with_capacity(list.len());
            for m in &list {
                out.push(visitor_view(&s, m).await);
            }
            Answer::ok(Messages { messages: out }).into_response()
        }
        Err(e) => WebError::from(e).into_response(),
    };
    with_cors(&s, &id, &h, r).await
}

/// New and changed messages of the visitor's conversation, as SSE `message` events.
async fn events(
    State(s): State<AppState>,
    Path(id): Path<String>,
    h: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    let token = bearer(&h).map(str::to_string).or(q.token);
    let (ch, v) = match webchat::visitor(&s.app, &id, token.as_deref(), origin(&h)).await {
        Ok(x) => x,
        Err(e) => return with_cors(&s, &id, &h, WebError::from(e).into_response()).await,
    };
    let rx = s.app.live.subscribe();
    let app = s.clone();
    let contact = v.contact_id.to_string();
    let channel = ch.id.to_string();
    let ws = ch.workspace_id.clone();
    let stream = futures_util::stream::unfold(rx, move |mut rx| {
        let (app, contact, channel, ws) = (app.clone(), contact.clone(), channel.clone(), ws.clone());
        async move {
            loop {
                match rx.recv().await {
                    Ok(e) if e.contact_id == contact && e.channel_id == channel => {
                        let Some(mid) = e.message_id.as_deref().and_then(frontdesk_core::MessageId::parse) else {
                            continue;
                        };
                        let Ok(mut c) = app.app.db.conn().await else { continue };
                        let Ok(Some(m)) = frontdesk_inbox::threads::message_in(&mut c, &ws, &mid).await else {
                            continue;
                        };
                        drop(c);
                        // Sorted keys, as the API's answers (see `Answer`).
                        let data = serde_json::to_value(visitor_view(&app, &m).await).unwrap_or_default();
                        let ev = Event::default().event("message").data(data.to_string());
                        return Some((Ok::<_, Infallible>(ev), rx));
                    }
                    Ok(_) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                        let ev = Event::default().event("resync").data("{}");
                        return Some((Ok(ev), rx));
                    }
                    Err(_) => return None,
                }
            }
        }
    });
    let r = Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response();
    with_cors(&s, &id, &h, r).await
}

/// What the widget shows before anyone writes.
#[derive(Serialize)]
struct ConfigOut {
    /// The business's name.
    business: String,
    /// `#rrggbb`, from the business profile.
    colour: Option<String>,
    /// When the business has a logo: a version to fetch `/chat/{id}/logo?v=` with.
    logo: Option<String>,
    /// Open now (`null` without business hours).
    open: Option<bool>,
    /// When closed: the weekday (`mon`…`sun`) and local time it opens next.
    opens: Option<(String, String)>,
    /// The widget's words in the language asked for (`?lang=`, else the browser's): `title`,
    /// `greeting`, `name`, `contact`, `message`, `send`, `offline`, `refused`, `failed` (with
    /// `{reason}` where the server's reason goes) and `closed` (the notice while closed, with
    /// the day and time it opens).
    words: std::collections::BTreeMap<&'static str, String>,
}

#[derive(Deserialize, Default)]
struct ConfigQuery {
    lang: Option<String>,
}

/// The widget's words in `lang`; `opens` is when the business opens next, for the notice.
fn widget_words(lang: Lang, opens: Option<&(String, String)>) -> std::collections::BTreeMap<&'static str, String> {
    let closed = match opens {
        Some((day, time)) => {
            let i = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].iter().position(|d| d == day);
            let day = i.map_or_else(|| day.clone(), |i| lang.weekdays()[i].to_string());
            tl!(lang, "customer-chat-closed-until", day = day, time = time)
        }
        None => tl!(lang, "customer-chat-closed"),
    };
    [
        ("title", tl!(lang, "customer-chat-title")),
        ("greeting", tl!(lang, "customer-chat-greeting")),
        ("name", tl!(lang, "customer-chat-name")),
        ("contact", tl!(lang, "customer-chat-contact")),
        ("message", tl!(lang, "customer-chat-message")),
        ("send", tl!(lang, "customer-chat-send")),
        ("offline", tl!(lang, "customer-chat-offline")),
        ("refused", tl!(lang, "customer-chat-refused")),
        ("failed", tl!(lang, "customer-chat-failed", reason = "{reason}")),
        ("closed", closed),
    ]
    .into_iter()
    .collect()
}

async fn config(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Query(q): Query<ConfigQuery>,
) -> Response {
    let lang = q.lang.as_deref().and_then(Lang::parse).unwrap_or_else(frontdesk_i18n::current);
    let answer = async {
        let ch = webchat::channel(&s.app, &id).await?;
        let name = frontdesk_platform::workspaces::workspace_name(&s.app, &ch.workspace_id).await?;
        let mut c = s.app.db.conn().await?;
        let profile = frontdesk_platform::profile::of(&mut c, &ch.workspace_id).await?;
        drop(c);
        let state = frontdesk_inbox::hours::open_now(&s.app, &ch.workspace_id).await?;
        let opens = state.as_ref().and_then(|(_, at)| at.clone()).map(|(d, t)| (d.to_string(), t));
        Ok::<_, frontdesk_platform::AppError>(ConfigOut {
            business: name,
            colour: profile.brand_colour,
            logo: profile.logo_blob.as_ref().map(|_| profile.updated_at.to_string()),
            open: state.as_ref().map(|(open, _)| *open),
            words: widget_words(lang, opens.as_ref()),
            opens,
        })
    };
    let r = match answer.await {
        Ok(c) => Answer::ok(c).into_response(),
        Err(e) => WebError::from(e).into_response(),
    };
    with_cors(&s, &id, &headers, r).await
}
