//! The inbox's JSON API: channels, threads, notes, contacts, consent, media, settings. These
//! routes act in the caller's workspace (an API token's own, or a session's current one).

use crate::kit::body::present;
use crate::kit::body::ApiJson;
use crate::kit::error::WebError;
use crate::kit::extract::ApiCaller;
use crate::{Access, AppState, Table};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::Json;
use frontdesk_core::{Action, Timestamp};
use frontdesk_inbox::channels::{self, Channel};
use frontdesk_inbox::threads::{self as inbox, ContactPatch, ThreadPatch, ThreadQuery};
use frontdesk_inbox::{intake, outbox};
use frontdesk_platform::error::ErrorKind;
use frontdesk_platform::workspaces::{self as ws, Principal};
use frontdesk_platform::AppError;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Value};

pub(crate) fn routes(t: Table) -> Table {
    use Access::*;
    t.add(
        "GET",
        "/api/v1/channels",
        Current(Action::ViewInbox),
        "Channels (never their credentials)",
        get(list_channels),
    )
    .add("POST", "/api/v1/channels", Current(Action::ManageChannels), "Connect a channel", post(create_channel))
    .body::<ChannelBody>()
    .add("GET", "/api/v1/channels/{id}", Current(Action::ViewInbox), "A channel", get(show_channel))
    .add(
        "PATCH",
        "/api/v1/channels/{id}",
        Current(Action::ManageChannels),
        "Rename, replace credentials, set allowed origins, disable or enable a channel",
        patch(update_channel),
    )
    .body::<ChannelBody>()
    .add(
        "GET",
        "/api/v1/threads",
        Current(Action::ViewInbox),
        "Threads, newest activity first (paged)",
        get(list_threads),
    )
    .query::<ThreadParams>()
    .add(
        "GET",
        "/api/v1/threads/{id}",
        Current(Action::ViewInbox),
        "A thread with its messages (paged)",
        get(show_thread),
    )
    .query::<PageParams>()
    .add(
        "PATCH",
        "/api/v1/threads/{id}",
        Current(Action::TriageThreads),
        "Change a thread's status, assignee or labels",
        patch(update_thread),
    )
    .body::<ThreadBody>()
    .add("POST", "/api/v1/threads/{id}/notes", Current(Action::TriageThreads), "Add a private note", post(add_note))
    .body::<NoteBody>()
    .add(
        "POST",
        "/api/v1/threads/{id}/messages",
        Current(Action::SendMessages),
        "Reply in a thread (policy-gated, queued, sent by the outbox; honours Idempotency-Key)",
        post(send_message),
    )
    .body::<MessageBody>()
    .add(
        "GET",
        "/api/v1/threads/{id}/reply",
        Current(Action::ViewInbox),
        "Whether a reply is allowed now, why not, and when the reply window closes",
        get(reply_state),
    )
    .add("GET", "/api/v1/webhooks", Current(Action::ManageChannels), "Outgoing webhooks", get(list_hooks))
    .add(
        "POST",
        "/api/v1/webhooks",
        Current(Action::ManageChannels),
        "Add an outgoing webhook {url, events?}; the answer holds its signing secret",
        post(create_hook),
    )
    .body::<HookBody>()
    .add(
        "GET",
        "/api/v1/webhooks/{id}",
        Current(Action::ManageChannels),
        "An outgoing webhook with its signing secret",
        get(show_hook),
    )
    .add(
        "DELETE",
        "/api/v1/webhooks/{id}",
        Current(Action::ManageChannels),
        "Delete an outgoing webhook and its log",
        axum::routing::delete(delete_hook),
    )
    .add(
        "GET",
        "/api/v1/webhooks/{id}/deliveries",
        Current(Action::ManageChannels),
        "The webhook's delivery log, newest first",
        get(hook_deliveries),
    )
    .add(
        "GET",
        "/api/v1/saved-replies",
        Current(Action::ViewInbox),
        "Saved replies (canned responses)",
        get(list_saved),
    )
    .add(
        "POST",
        "/api/v1/saved-replies",
        Current(Action::TriageThreads),
        "Add a saved reply {shortcut, body}; the body may use {{first_name}}, {{name}}, {{business}}",
        post(create_saved),
    )
    .body::<SavedBody>()
    .add(
        "PATCH",
        "/api/v1/saved-replies/{id}",
        Current(Action::TriageThreads),
        "Change a saved reply",
        patch(update_saved),
    )
    .body::<SavedBody>()
    .add(
        "DELETE",
        "/api/v1/saved-replies/{id}",
        Current(Action::TriageThreads),
        "Delete a saved reply",
        axum::routing::delete(delete_saved),
    )
    .add(
        "GET",
        "/api/v1/threads/{id}/saved-replies",
        Current(Action::ViewInbox),
        "Saved replies with the variables filled in for this thread's contact",
        get(thread_saved),
    )
    .add("GET", "/api/v1/contacts", Current(Action::ViewInbox), "Contacts, newest first (paged)", get(list_contacts))
    .query::<ContactParams>()
    .add(
        "GET",
        "/api/v1/contacts/{id}",
        Current(Action::ViewInbox),
        "A contact and how each channel knows them",
        get(show_contact),
    )
    .add("PATCH", "/api/v1/contacts/{id}", Current(Action::EditContacts), "Edit a contact", patch(update_contact))
    .body::<ContactBody>()
    .add(
        "GET",
        "/api/v1/contacts/{id}/consent",
        Current(Action::ViewInbox),
        "The contact's consent ledger and current state per channel",
        get(contact_consent),
    )
    .add("GET", "/api/v1/media/{id}", Current(Action::ViewInbox), "Download a media file (never inline)", get(media))
    .produces(&["*/*"])
    .add("GET", "/api/v1/inbox/settings", Current(Action::ViewInbox), "Inbox settings", get(settings))
    .add(
        "PATCH",
        "/api/v1/inbox/settings",
        Current(Action::ManageChannels),
        "Change inbox settings",
        patch(set_settings),
    )
    .body::<SettingsBody>()
    .add(
        "GET",
        "/api/v1/admin/inbound-events",
        Operator,
        "Deliveries kept as unparseable or failed (operators)",
        get(admin_events),
    )
    .query::<EventParams>()
}

/// The caller's workspace for `/api/v1/...` routes without one in the path.
pub(crate) async fn current(s: &AppState, c: &ApiCaller, action: Action) -> Result<ws::Access, WebError> {
    let id = match (&c.principal, &c.signed) {
        (Principal::Token { token, .. }, _) => token.workspace_id.to_string(),
        (Principal::User { id, .. }, Some(signed)) => match &signed.session.current_workspace_id {
            Some(w) => w.to_string(),
            None => {
                let list = ws::list_for(&s.app, id).await?;
                match list.as_slice() {
                    [(w, _)] => w.id.to_string(),
                    _ => {
                        return Err(AppError::new(
                            ErrorKind::Invalid,
                            "workspace_required",
                            "Switch to a workspace first, or call with that workspace's API token.",
                        )
                        .into())
                    }
                }
            }
        },
        _ => return Err(AppError::unauthenticated().into()),
    };
    Ok(ws::authorize(&s.app, &c.principal, &id, action).await?)
}

fn ts(ms: i64) -> String {
    Timestamp(ms).to_rfc3339()
}

fn opt_ts(ms: Option<i64>) -> Value {
    ms.map(|m| Value::from(ts(m))).unwrap_or(Value::Null)
}

type ApiResult = Result<Response, WebError>;

fn ok(v: Value) -> ApiResult {
    Ok(Json(v).into_response())
}

pub(crate) fn channel_json(s: &AppState, ch: &Channel) -> Value {
    let settings = channels::settings_of(ch);
    let secrets = channels::secrets_of(&s.app, ch).map(|x| x.names()).unwrap_or_default();
    let kind = ch.kind;
    let mut v = json!({
        "id": ch.id, "kind": kind.as_str(), "name": ch.name, "account_id": ch.account_id, "app_id": ch.app_id,
        "disabled": ch.disabled_at.is_some(), "credentials_set": secrets,
        "webhook_url": channels::webhook_url(&s.app, ch), "app_webhook_url": channels::app_webhook_url(&s.app, ch),
        "created_at": ts(ch.created_at), "updated_at": ts(ch.updated_at),
    });
    if let Some(w) = settings.waba_id {
        v["waba_id"] = Value::from(w);
    }
    if kind == frontdesk_core::inbox::ChannelKind::Webchat {
        v["allowed_origins"] = json!(settings.allowed_origins);
        v["embed"] = Value::from(format!(
            "<script src=\"{}/chat/widget.js\" data-channel=\"{}\" async></script>",
            s.app.settings.base_url, ch.id
        ));
    }
    v
}

async fn list_channels(State(s): State<AppState>, c: ApiCaller) -> ApiResult {
    let a = current(&s, &c, Action::ViewInbox).await?;
    let list = channels::list(&s.app, &a).await?;
    ok(Value::Array(list.iter().map(|ch| channel_json(&s, ch)).collect()))
}

/// What a caller sends to connect or change a channel; absent fields stay as they are. The
/// fields of [`channels::Input`], which it becomes one for one.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ChannelInput")]
struct ChannelBody {
    /// `whatsapp`, `instagram`, `telegram` or `webchat` (when connecting).
    kind: Option<String>,
    name: Option<String>,
    /// WhatsApp phone number id.
    phone_number_id: Option<String>,
    /// WhatsApp Business Account id.
    waba_id: Option<String>,
    /// Instagram professional account id.
    instagram_account_id: Option<String>,
    /// The Meta app the webhooks come from.
    app_id: Option<String>,
    access_token: Option<String>,
    app_secret: Option<String>,
    verify_token: Option<String>,
    bot_token: Option<String>,
    /// Web chat: the sites (`https://host`) that may embed it.
    allowed_origins: Option<Vec<String>>,
    disabled: Option<bool>,
}

impl From<ChannelBody> for channels::Input {
    fn from(b: ChannelBody) -> Self {
        let ChannelBody {
            kind,
            name,
            phone_number_id,
            waba_id,
            instagram_account_id,
            app_id,
            access_token,
            app_secret,
            verify_token,
            bot_token,
            allowed_origins,
            disabled,
        } = b;
        channels::Input {
            kind,
            name,
            phone_number_id,
            waba_id,
            instagram_account_id,
            app_id,
            access_token,
            app_secret,
            verify_token,
            bot_token,
            allowed_origins,
            disabled,
        }
    }
}

async fn create_channel(State(s): State<AppState>, c: ApiCaller, ApiJson(input): ApiJson<ChannelBody>) -> ApiResult {
    let a = current(&s, &c, Action::ManageChannels).await?;
    let ch = channels::create(&s.app, &a, input.into()).await?;
    Ok((StatusCode::CREATED, Json(channel_json(&s, &ch))).into_response())
}

async fn show_channel(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> ApiResult {
    let a = current(&s, &c, Action::ViewInbox).await?;
    ok(channel_json(&s, &channels::get(&s.app, &a, &id).await?))
}

async fn update_channel(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ChannelBody>,
) -> ApiResult {
    let a = current(&s, &c, Action::ManageChannels).await?;
    ok(channel_json(&s, &channels::update(&s.app, &a, &id, input.into()).await?))
}

/// Which threads to list.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ThreadParams {
    /// `open`, `pending`, `snoozed` or `resolved`.
    status: Option<String>,
    /// A member's id, `me` or `none`.
    assignee: Option<String>,
    label: Option<String>,
    /// Text to look for (at most 200 characters).
    q: Option<String>,
    /// A channel's id.
    channel: Option<String>,
    /// A contact's id.
    contact: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Threads per page.
    limit: Option<i64>,
}

/// Which page of a thread's messages to show.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
struct PageParams {
    /// `next_cursor` of the previous page.
    after: Option<String>,
    /// The same as `after`.
    cursor: Option<String>,
    /// Messages per page.
    limit: Option<i64>,
}

/// A query string, or `invalid_query` (422) saying what is wrong with it.
pub(crate) fn query<T>(q: Result<Query<T>, axum::extract::rejection::QueryRejection>) -> Result<T, WebError> {
    q.map(|Query(p)| p).map_err(|e| {
        AppError::new(ErrorKind::Invalid, "invalid_query", format!("The query string is not valid: {}", e.body_text()))
            .into()
    })
}

fn thread_json(r: &inbox::ThreadRow) -> Value {
    let t = &r.thread;
    json!({
        "id": t.id, "status": t.status, "channel_id": t.channel_id, "channel_kind": r.channel_kind,
        "contact": r.contact.as_ref().map(contact_json), "assignee_id": t.assignee_id, "labels": r.labels,
        "snoozed_until": opt_ts(t.snoozed_until), "last_inbound_at": opt_ts(t.last_inbound_at),
        "last_message_at": ts(t.last_message_at), "preview": t.preview,
        "created_at": ts(t.created_at), "updated_at": ts(t.updated_at), "resolved_at": opt_ts(t.resolved_at),
    })
}

fn contact_json(k: &inbox::Contact) -> Value {
    json!({ "id": k.id, "name": k.name, "phone": k.phone, "email": k.email, "username": k.username, "language": k.language,
            "blocked": k.blocked_at.is_some(), "created_at": ts(k.created_at), "updated_at": ts(k.updated_at) })
}

pub(crate) fn message_json(m: &inbox::Message, media: &[inbox::Media]) -> Value {
    let data: Value = m.data.as_deref().and_then(|d| serde_json::from_str(d).ok()).unwrap_or(Value::Null);
    let files: Vec<Value> = media
        .iter()
        .filter(|x| x.message_id == m.id)
        .map(|x| {
            json!({ "id": x.id, "status": x.status, "mime": x.mime, "filename": x.filename, "size": x.size,
                         "error": x.error, "url": format!("/api/v1/media/{}", x.id) })
        })
        .collect();
    let error = m.error_code.is_some() || m.error_title.is_some();
    json!({
        "id": m.id, "direction": m.direction, "kind": m.kind, "text": m.body, "status": m.status,
        "provider_id": m.provider_id, "reply_to": m.reply_to, "data": data, "media": files,
        "error": if error { json!({ "code": m.error_code, "title": m.error_title, "details": m.error_details }) } else { Value::Null },
        "failure": m.failure, "author": m.author_kind.as_ref().map(|k| json!({ "kind": k, "id": m.author_id })),
        "provider_at": opt_ts(m.provider_at), "edited_at": opt_ts(m.edited_at), "created_at": ts(m.created_at),
    })
}

pub(crate) fn reply_json(r: &outbox::ReplyState) -> Value {
    match r.decision.denial() {
        None => json!({ "allowed": true, "reason": null, "message": null, "closes_at": opt_ts(r.closes_at()) }),
        Some(d) => json!({ "allowed": false, "reason": d.code(), "message": d.message(), "closes_at": null }),
    }
}

async fn reply_state(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> ApiResult {
    let a = current(&s, &c, Action::ViewInbox).await?;
    ok(reply_json(&outbox::reply_state(&s.app, &a, &id).await?))
}

/// A reply.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "NewMessage")]
struct MessageBody {
    /// The reply (absent or null: `required`).
    #[schemars(required, with = "String")]
    text: Option<String>,
    /// The id of the message this one answers.
    reply_to: Option<String>,
}

async fn send_message(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    ApiJson(body): ApiJson<MessageBody>,
) -> ApiResult {
    let a = current(&s, &c, Action::SendMessages).await?;
    let text = body.text.ok_or_else(|| AppError::invalid("text", "required", "Write a reply."))?;
    let key = match headers.get("idempotency-key") {
        None => None,
        Some(v) => Some(v.to_str().map(str::to_string).map_err(|_| {
            AppError::invalid("idempotency_key", "invalid_idempotency_key", "Use 1 to 255 visible ASCII characters.")
        })?),
    };
    let input = outbox::SendInput { text, reply_to: body.reply_to, idempotency_key: key, attachment: None };
    let q = outbox::send(&s.app, &a, &id, input).await?;
    let status = if q.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(message_json(&q.message, &[]))).into_response())
}

async fn list_threads(
    State(s): State<AppState>,
    c: ApiCaller,
    q: Result<Query<ThreadParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    let a = current(&s, &c, Action::ViewInbox).await?;
    let p = query(q)?;
    let query = ThreadQuery {
        status: p.status,
        assignee: p.assignee,
        label: p.label,
        q: p.q,
        channel: p.channel,
        contact: p.contact,
        cursor: p.cursor,
        limit: p.limit,
    };
    let page = inbox::list_threads(&s.app, &a, &query).await?;
    let ids: Vec<_> = page.threads.iter().map(|r| r.thread.id.clone()).collect();
    let unread = frontdesk_inbox::notifications::unread_counts(&s.app, &a, &ids).await?;
    let threads: Vec<Value> = page
        .threads
        .iter()
        .map(|r| {
            let mut v = thread_json(r);
            // Customer messages the signed-in agent has not seen (API tokens: absent).
            if matches!(c.principal, Principal::User { .. }) {
                v["unread"] = json!(unread.get(&r.thread.id).copied().unwrap_or(0));
            }
            v
        })
        .collect();
    ok(json!({ "threads": threads, "next_cursor": page.next }))
}

async fn show_thread(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    q: Result<Query<PageParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    let a = current(&s, &c, Action::ViewInbox).await?;
    let p = query(q)?;
    let d = inbox::thread(&s.app, &a, &id, p.after.as_deref().or(p.cursor.as_deref()), p.limit).await?;
    let mut v = thread_json(&d.row);
    v["messages"] = Value::Array(d.messages.iter().map(|m| message_json(m, &d.media)).collect());
    v["next_cursor"] = json!(d.next);
    v["reply"] = reply_json(&outbox::reply_state(&s.app, &a, &id).await?);
    frontdesk_inbox::notifications::mark_read(&s.app, &a, &d.row.thread.id).await?;
    v["notes"] = Value::Array(
        d.notes
            .iter()
            .map(|n| json!({ "id": n.id, "author_kind": n.author_kind, "author_id": n.author_id, "body": n.body, "created_at": ts(n.created_at) }))
            .collect(),
    );
    ok(v)
}

/// What to change in a thread; absent fields stay as they are.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ThreadChange")]
struct ThreadBody {
    /// `open`, `pending`, `snoozed` (with `snoozed_until`) or `resolved`.
    status: Option<String>,
    /// A member's id; null unassigns.
    #[serde(default, deserialize_with = "present::deserialize")]
    #[schemars(with = "Option<String>", transform = present::schema)]
    assignee_id: Option<Option<String>>,
    /// The thread's labels; null or `[]` removes them all.
    #[serde(default, deserialize_with = "present::deserialize")]
    #[schemars(with = "Option<Vec<String>>", transform = present::schema)]
    labels: Option<Option<Vec<String>>>,
    /// An RFC 3339 time like `2026-12-01T09:00:00Z`.
    snoozed_until: Option<String>,
}

async fn update_thread(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ThreadBody>,
) -> ApiResult {
    let a = current(&s, &c, Action::TriageThreads).await?;
    let snoozed_until = match body.snoozed_until {
        Some(t) => Some(Timestamp::parse_rfc3339(&t).map(|t| t.0).ok_or_else(|| {
            AppError::invalid("snoozed_until", "invalid_time", "Use an RFC 3339 time like 2026-12-01T09:00:00Z.")
        })?),
        None => None,
    };
    let patch = ThreadPatch {
        status: body.status,
        assignee: body.assignee_id,
        labels: body.labels.map(Option::unwrap_or_default),
        snoozed_until,
    };
    inbox::update_thread(&s.app, &a, &id, patch).await?;
    let d = inbox::thread(&s.app, &a, &id, None, Some(1)).await?;
    ok(thread_json(&d.row))
}

/// A private note.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "NewNote")]
struct NoteBody {
    body: String,
}

async fn add_note(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<NoteBody>,
) -> ApiResult {
    let a = current(&s, &c, Action::TriageThreads).await?;
    let n = inbox::add_note(&s.app, &a, &id, &b.body).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": n.id, "author_kind": n.author_kind, "author_id": n.author_id, "body": n.body, "created_at": ts(n.created_at) })),
    )
        .into_response())
}

/// Which contacts to list.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ContactParams {
    /// Text to look for.
    q: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Contacts per page.
    limit: Option<i64>,
}

async fn list_contacts(
    State(s): State<AppState>,
    c: ApiCaller,
    q: Result<Query<ContactParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    let a = current(&s, &c, Action::ViewInbox).await?;
    let Query(p) = q.map_err(|e| WebError::from(AppError::new(ErrorKind::Invalid, "invalid_query", e.body_text())))?;
    let (list, next) = inbox::list_contacts(&s.app, &a, p.q.as_deref(), p.cursor.as_deref(), p.limit).await?;
    ok(json!({ "contacts": list.iter().map(contact_json).collect::<Vec<_>>(), "next_cursor": next }))
}

async fn show_contact(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> ApiResult {
    let a = current(&s, &c, Action::ViewInbox).await?;
    let d = inbox::contact(&s.app, &a, &id).await?;
    let mut v = contact_json(&d.contact);
    v["identities"] = Value::Array(
        d.identities.iter().map(|i| json!({ "channel_id": i.channel_id, "kind": i.kind, "value": i.value })).collect(),
    );
    v["channels"] = Value::Array(
        d.channels
            .iter()
            .map(|x| json!({ "channel_id": x.channel_id, "address": x.address, "last_inbound_at": opt_ts(x.last_inbound_at) }))
            .collect(),
    );
    ok(v)
}

/// What to change in a contact; absent fields stay as they are, null clears one.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ContactChange")]
struct ContactBody {
    #[serde(default, deserialize_with = "present::deserialize")]
    #[schemars(with = "Option<String>", transform = present::schema)]
    name: Option<Option<String>>,
    #[serde(default, deserialize_with = "present::deserialize")]
    #[schemars(with = "Option<String>", transform = present::schema)]
    email: Option<Option<String>>,
    #[serde(default, deserialize_with = "present::deserialize")]
    #[schemars(with = "Option<String>", transform = present::schema)]
    phone: Option<Option<String>>,
    /// Block (true) or unblock (false): a blocked contact gets no message.
    blocked: Option<bool>,
}

async fn update_contact(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ContactBody>,
) -> ApiResult {
    let a = current(&s, &c, Action::EditContacts).await?;
    let p = ContactPatch { name: body.name, email: body.email, phone: body.phone, blocked: body.blocked };
    let k = inbox::update_contact(&s.app, &a, &id, p).await?;
    ok(contact_json(&k))
}

async fn contact_consent(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> ApiResult {
    let a = current(&s, &c, Action::ViewInbox).await?;
    let v = inbox::consent(&s.app, &a, &id).await?;
    ok(json!({
        "state": v.state.iter().map(|(ch, st)| json!({ "channel_id": ch, "state": st.as_str() })).collect::<Vec<_>>(),
        "events": v.events.iter().map(|e| json!({ "id": e.id, "channel_id": e.channel_id, "change": e.change, "source": e.source,
            "evidence": e.evidence, "at": ts(e.at), "recorded_at": ts(e.created_at) })).collect::<Vec<_>>(),
    }))
}

/// A media file as a download: its own type, `nosniff`, a sandboxing CSP, never inline.
async fn media(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> ApiResult {
    let a = current(&s, &c, Action::ViewInbox).await?;
    let f = inbox::media_file(&s.app, &a, &id).await?;
    Ok(file_response(f))
}

pub(crate) fn file_response(f: inbox::MediaFile) -> Response {
    let mime = f
        .media
        .mime
        .as_deref()
        .filter(|m| m.len() < 100 && m.chars().all(|c| c.is_ascii_alphanumeric() || "/.+-".contains(c)))
        .unwrap_or("application/octet-stream")
        .to_string();
    let name: String = f
        .media
        .filename
        .as_deref()
        .unwrap_or("file")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' })
        .take(100)
        .collect();
    let mut r = f.bytes.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&mime).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
            .unwrap_or(HeaderValue::from_static("attachment")),
    );
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox; default-src 'none'"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    r
}

async fn settings(State(s): State<AppState>, c: ApiCaller) -> ApiResult {
    let a = current(&s, &c, Action::ViewInbox).await?;
    ok(json!({ "reopen_resolved": inbox::reopen(&s.app, &a).await? }))
}

/// The inbox settings.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "InboxSettings")]
struct SettingsBody {
    /// A customer's message reopens a resolved thread (otherwise it starts a new one).
    reopen_resolved: bool,
}

async fn set_settings(State(s): State<AppState>, c: ApiCaller, ApiJson(b): ApiJson<SettingsBody>) -> ApiResult {
    let a = current(&s, &c, Action::ManageChannels).await?;
    inbox::set_reopen(&s.app, &a, b.reopen_resolved).await?;
    ok(json!({ "reopen_resolved": b.reopen_resolved }))
}

/// Which kept deliveries to list.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct EventParams {
    /// `unparseable` (the default), `failed`, `pending` or `processed`.
    status: Option<String>,
}

async fn admin_events(
    State(s): State<AppState>,
    c: ApiCaller,
    q: Result<Query<EventParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    c.operator()?;
    let Query(p) = q.map_err(|e| WebError::from(AppError::new(ErrorKind::Invalid, "invalid_query", e.body_text())))?;
    let status = p.status.unwrap_or_else(|| "unparseable".into());
    if !["unparseable", "failed", "pending", "processed"].contains(&status.as_str()) {
        return Err(
            AppError::invalid("status", "invalid_status", "Use unparseable, failed, pending or processed.").into()
        );
    }
    let list = intake::troubled_events(&s.app, &status, 200).await?;
    ok(Value::Array(
        list.iter()
            .map(|e| json!({ "id": e.id, "provider": e.provider, "route": e.route, "status": e.status, "reason": e.reason,
                             "attempts": e.attempts, "received_at": ts(e.received_at), "processed_at": opt_ts(e.processed_at),
                             "body": String::from_utf8_lossy(&e.body), "body_is_utf8": std::str::from_utf8(&e.body).is_ok() }))
            .collect(),
    ))
}

// ---- saved replies ----

fn saved_json(r: &frontdesk_inbox::saved_replies::SavedReply) -> Value {
    json!({ "id": r.id, "shortcut": r.shortcut, "body": r.body, "created_at": ts(r.created_at), "updated_at": ts(r.updated_at) })
}

async fn list_saved(State(s): State<AppState>, c: ApiCaller) -> ApiResult {
    let a = current(&s, &c, Action::ViewInbox).await?;
    let list = frontdesk_inbox::saved_replies::list(&s.app, &a).await?;
    ok(json!({ "saved_replies": list.iter().map(saved_json).collect::<Vec<_>>() }))
}

/// A saved reply; when changing one, absent fields stay as they are.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "SavedReplyInput")]
struct SavedBody {
    /// What an agent types to find it (required for a new one).
    shortcut: Option<String>,
    /// The text; it may use `{{first_name}}`, `{{name}}` and `{{business}}` (required for a new one).
    body: Option<String>,
}

async fn create_saved(State(s): State<AppState>, c: ApiCaller, ApiJson(b): ApiJson<SavedBody>) -> ApiResult {
    let a = current(&s, &c, Action::TriageThreads).await?;
    let r = frontdesk_inbox::saved_replies::create(
        &s.app,
        &a,
        b.shortcut.as_deref().unwrap_or(""),
        b.body.as_deref().unwrap_or(""),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(saved_json(&r))).into_response())
}

async fn update_saved(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<SavedBody>,
) -> ApiResult {
    let a = current(&s, &c, Action::TriageThreads).await?;
    let r = frontdesk_inbox::saved_replies::update(&s.app, &a, &id, b.shortcut.as_deref(), b.body.as_deref()).await?;
    ok(saved_json(&r))
}

async fn delete_saved(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> ApiResult {
    let a = current(&s, &c, Action::TriageThreads).await?;
    frontdesk_inbox::saved_replies::delete(&s.app, &a, &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn thread_saved(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> ApiResult {
    let a = current(&s, &c, Action::ViewInbox).await?;
    let list = frontdesk_inbox::saved_replies::for_thread(&s.app, &a, &id).await?;
    ok(
        json!({ "saved_replies": list.iter().map(|(r, text)| json!({ "id": r.id, "shortcut": r.shortcut, "text": text })).collect::<Vec<_>>() }),
    )
}

// ---- outgoing webhooks ----

fn hook_json(s: &AppState, w: &frontdesk_inbox::webhooks::Webhook, with_secret: bool) -> Result<Value, WebError> {
    let mut v = json!({ "id": w.id, "url": w.url, "events": w.events, "disabled": w.disabled_at.is_some(),
        "created_at": ts(w.created_at), "signature_header": frontdesk_inbox::webhooks::HEADER });
    if with_secret {
        v["secret"] = Value::from(frontdesk_inbox::webhooks::secret_of(&s.app, w)?);
    }
    Ok(v)
}

async fn list_hooks(State(s): State<AppState>, c: ApiCaller) -> ApiResult {
    let a = current(&s, &c, Action::ManageChannels).await?;
    let list = frontdesk_inbox::webhooks::list(&s.app, &a).await?;
    let items = list.iter().map(|w| hook_json(&s, w, false)).collect::<Result<Vec<_>, _>>()?;
    ok(json!({ "webhooks": items }))
}

/// A new outgoing webhook.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "NewWebhook")]
struct HookBody {
    /// Where to POST the events.
    url: String,
    /// The events to send (all of them when absent).
    events: Option<Vec<String>>,
}

async fn create_hook(State(s): State<AppState>, c: ApiCaller, ApiJson(b): ApiJson<HookBody>) -> ApiResult {
    let a = current(&s, &c, Action::ManageChannels).await?;
    let w = frontdesk_inbox::webhooks::create(&s.app, &a, &b.url, b.events).await?;
    Ok((StatusCode::CREATED, Json(hook_json(&s, &w, true)?)).into_response())
}

async fn show_hook(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> ApiResult {
    let a = current(&s, &c, Action::ManageChannels).await?;
    let w = frontdesk_inbox::webhooks::get(&s.app, &a, &id).await?;
    ok(hook_json(&s, &w, true)?)
}

async fn delete_hook(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> ApiResult {
    let a = current(&s, &c, Action::ManageChannels).await?;
    frontdesk_inbox::webhooks::delete(&s.app, &a, &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn delivery_json(d: &frontdesk_inbox::webhooks::Delivery) -> Value {
    json!({ "id": d.id, "event": d.event, "status": d.status, "attempts": d.attempts,
        "response_status": d.response_status, "error": d.error,
        "payload": serde_json::from_str::<Value>(&d.payload).unwrap_or(Value::Null),
        "created_at": ts(d.created_at), "updated_at": ts(d.updated_at) })
}

async fn hook_deliveries(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> ApiResult {
    let a = current(&s, &c, Action::ManageChannels).await?;
    let list = frontdesk_inbox::webhooks::deliveries(&s.app, &a, &id, 100).await?;
    ok(json!({ "deliveries": list.iter().map(delivery_json).collect::<Vec<_>>() }))
}
