//! The inbox's JSON API: channels, threads, notes, contacts, consent, media, settings. These
//! routes act in the caller's workspace (an API token's own, or a session's current one).

use crate::kit::answer::{Answer, Api, Done, Time};
use crate::kit::body::present;
use crate::kit::body::ApiJson;
use crate::kit::error::WebError;
use crate::kit::extract::ApiCaller;
use crate::{Access, AppState, Table};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use frontdesk_core::inbox::{ChannelKind, ConsentChange};
use frontdesk_core::policy::Denial;
use frontdesk_core::{Action, Timestamp};
use frontdesk_inbox::channels::{self, Channel};
use frontdesk_inbox::threads::{self as inbox, ContactPatch, ThreadPatch, ThreadQuery};
use frontdesk_inbox::{intake, outbox};
use frontdesk_platform::error::ErrorKind;
use frontdesk_platform::workspaces::{self as ws, Principal};
use frontdesk_platform::AppError;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub(crate) fn routes(t: Table) -> Table {
    use Access::*;
    t.add(
        "GET",
        "/api/v1/channels",
        Current(Action::ViewInbox),
        "Channels (never their credentials)",
        get(list_channels),
    )
    .returns::<Vec<ChannelOut>>()
    .add("POST", "/api/v1/channels", Current(Action::ManageChannels), "Connect a channel", post(create_channel))
    .body::<ChannelBody>()
    .created::<ChannelOut>()
    .add("GET", "/api/v1/channels/{id}", Current(Action::ViewInbox), "A channel", get(show_channel))
    .returns::<ChannelOut>()
    .add(
        "PATCH",
        "/api/v1/channels/{id}",
        Current(Action::ManageChannels),
        "Rename, replace credentials, set allowed origins, disable or enable a channel",
        patch(update_channel),
    )
    .body::<ChannelBody>()
    .returns::<ChannelOut>()
    .add(
        "GET",
        "/api/v1/threads",
        Current(Action::ViewInbox),
        "Threads, newest activity first (paged)",
        get(list_threads),
    )
    .query::<ThreadParams>()
    .returns::<ThreadPageOut>()
    .add(
        "GET",
        "/api/v1/threads/{id}",
        Current(Action::ViewInbox),
        "A thread with its messages (paged)",
        get(show_thread),
    )
    .query::<PageParams>()
    .returns::<ThreadDetailOut>()
    .add(
        "PATCH",
        "/api/v1/threads/{id}",
        Current(Action::TriageThreads),
        "Change a thread's status, assignee or labels",
        patch(update_thread),
    )
    .body::<ThreadBody>()
    .returns::<ThreadOut>()
    .add("POST", "/api/v1/threads/{id}/notes", Current(Action::TriageThreads), "Add a private note", post(add_note))
    .body::<NoteBody>()
    .created::<NoteOut>()
    .add(
        "POST",
        "/api/v1/threads/{id}/messages",
        Current(Action::SendMessages),
        "Reply in a thread (policy-gated, queued, sent by the outbox; honours Idempotency-Key)",
        post(send_message),
    )
    .body::<MessageBody>()
    .created_or_repeated::<MessageOut>()
    .add(
        "GET",
        "/api/v1/threads/{id}/reply",
        Current(Action::ViewInbox),
        "Whether a reply is allowed now, why not, and when the reply window closes",
        get(reply_state),
    )
    .returns::<ReplyOut>()
    .add("GET", "/api/v1/webhooks", Current(Action::ManageChannels), "Outgoing webhooks", get(list_hooks))
    .returns::<WebhooksOut>()
    .add(
        "POST",
        "/api/v1/webhooks",
        Current(Action::ManageChannels),
        "Add an outgoing webhook {url, events?}; the answer holds its signing secret",
        post(create_hook),
    )
    .body::<HookBody>()
    .created::<WebhookWithSecretOut>()
    .add(
        "GET",
        "/api/v1/webhooks/{id}",
        Current(Action::ManageChannels),
        "An outgoing webhook with its signing secret",
        get(show_hook),
    )
    .returns::<WebhookWithSecretOut>()
    .add(
        "DELETE",
        "/api/v1/webhooks/{id}",
        Current(Action::ManageChannels),
        "Delete an outgoing webhook and its log",
        axum::routing::delete(delete_hook),
    )
    .done()
    .add(
        "GET",
        "/api/v1/webhooks/{id}/deliveries",
        Current(Action::ManageChannels),
        "The webhook's delivery log, newest first",
        get(hook_deliveries),
    )
    .returns::<DeliveriesOut>()
    .add(
        "GET",
        "/api/v1/saved-replies",
        Current(Action::ViewInbox),
        "Saved replies (canned responses)",
        get(list_saved),
    )
    .returns::<SavedRepliesOut>()
    .add(
        "POST",
        "/api/v1/saved-replies",
        Current(Action::TriageThreads),
        "Add a saved reply {shortcut, body}; the body may use {{first_name}}, {{name}}, {{business}}",
        post(create_saved),
    )
    .body::<SavedBody>()
    .created::<SavedReplyOut>()
    .add(
        "PATCH",
        "/api/v1/saved-replies/{id}",
        Current(Action::TriageThreads),
        "Change a saved reply",
        patch(update_saved),
    )
    .body::<SavedBody>()
    .returns::<SavedReplyOut>()
    .add(
        "DELETE",
        "/api/v1/saved-replies/{id}",
        Current(Action::TriageThreads),
        "Delete a saved reply",
        axum::routing::delete(delete_saved),
    )
    .done()
    .add(
        "GET",
        "/api/v1/threads/{id}/saved-replies",
        Current(Action::ViewInbox),
        "Saved replies with the variables filled in for this thread's contact",
        get(thread_saved),
    )
    .returns::<FilledSavedRepliesOut>()
    .add("GET", "/api/v1/contacts", Current(Action::ViewInbox), "Contacts, newest first (paged)", get(list_contacts))
    .query::<ContactParams>()
    .returns::<ContactPageOut>()
    .add(
        "GET",
        "/api/v1/contacts/{id}",
        Current(Action::ViewInbox),
        "A contact and how each channel knows them",
        get(show_contact),
    )
    .returns::<ContactDetailOut>()
    .add("PATCH", "/api/v1/contacts/{id}", Current(Action::EditContacts), "Edit a contact", patch(update_contact))
    .body::<ContactBody>()
    .returns::<ContactOut>()
    .add(
        "GET",
        "/api/v1/contacts/{id}/consent",
        Current(Action::ViewInbox),
        "The contact's consent ledger and current state per channel",
        get(contact_consent),
    )
    .returns::<ConsentOut>()
    .add("GET", "/api/v1/media/{id}", Current(Action::ViewInbox), "Download a media file (never inline)", get(media))
    .produces(&["*/*"])
    .add("GET", "/api/v1/inbox/settings", Current(Action::ViewInbox), "Inbox settings", get(settings))
    .returns::<InboxSettingsOut>()
    .add(
        "PATCH",
        "/api/v1/inbox/settings",
        Current(Action::ManageChannels),
        "Change inbox settings",
        patch(set_settings),
    )
    .body::<SettingsBody>()
    .returns::<InboxSettingsOut>()
    .add(
        "GET",
        "/api/v1/admin/inbound-events",
        Operator,
        "Deliveries kept as unparseable or failed (operators)",
        get(admin_events),
    )
    .query::<EventParams>()
    .returns::<Vec<InboundEventOut>>()
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

/// A kind of channel.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum ChannelKindOut {
    Whatsapp,
    Instagram,
    Telegram,
    Webchat,
}

impl From<ChannelKind> for ChannelKindOut {
    fn from(k: ChannelKind) -> Self {
        match k {
            ChannelKind::Whatsapp => Self::Whatsapp,
            ChannelKind::Instagram => Self::Instagram,
            ChannelKind::Telegram => Self::Telegram,
            ChannelKind::Webchat => Self::Webchat,
        }
    }
}

/// A channel (never its credentials).
#[derive(Serialize, JsonSchema)]
pub(crate) struct ChannelOut {
    id: String,
    kind: ChannelKindOut,
    name: String,
    /// The provider's id of the account: the WhatsApp phone number id, the Instagram account
    /// id, the Telegram bot's id; for a web chat, its own id.
    account_id: String,
    /// The Meta app its webhooks come from, if set.
    app_id: Option<String>,
    disabled: bool,
    /// The names of the credentials that are set (`access_token`, `app_secret`,
    /// `verify_token`, `bot_token`), never their values.
    credentials_set: Vec<String>,
    /// Where the provider delivers to (null for a web chat).
    webhook_url: Option<String>,
    /// Where Meta delivers for every channel of the channel's app (null without `app_id`).
    app_webhook_url: Option<String>,
    created_at: Time,
    updated_at: Time,
    /// WhatsApp Business Account id, when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    waba_id: Option<String>,
    /// Web chat only: the sites that may embed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<String>")]
    allowed_origins: Option<Vec<String>>,
    /// Web chat only: the HTML that embeds it in a site.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    embed: Option<String>,
}

impl ChannelOut {
    pub(crate) fn new(s: &AppState, ch: &Channel) -> Self {
        let settings = channels::settings_of(ch);
        let secrets = channels::secrets_of(&s.app, ch).map(|x| x.names()).unwrap_or_default();
        let webchat = ch.kind == ChannelKind::Webchat;
        Self {
            id: ch.id.to_string(),
            kind: ch.kind.into(),
            name: ch.name.clone(),
            account_id: ch.account_id.clone(),
            app_id: ch.app_id.clone(),
            disabled: ch.disabled_at.is_some(),
            credentials_set: secrets.into_iter().map(String::from).collect(),
            webhook_url: channels::webhook_url(&s.app, ch),
            app_webhook_url: channels::app_webhook_url(&s.app, ch),
            created_at: Time::of(ch.created_at),
            updated_at: Time::of(ch.updated_at),
            waba_id: settings.waba_id,
            allowed_origins: webchat.then_some(settings.allowed_origins),
            embed: webchat.then(|| {
                format!(
                    "<script src=\"{}/chat/widget.js\" data-channel=\"{}\" async></script>",
                    s.app.settings.base_url, ch.id
                )
            }),
        }
    }
}

async fn list_channels(State(s): State<AppState>, c: ApiCaller) -> Api<Vec<ChannelOut>> {
    let a = current(&s, &c, Action::ViewInbox).await?;
    let list = channels::list(&s.app, &a).await?;
    Ok(Answer::ok(list.iter().map(|ch| ChannelOut::new(&s, ch)).collect()))
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

async fn create_channel(
    State(s): State<AppState>,
    c: ApiCaller,
    ApiJson(input): ApiJson<ChannelBody>,
) -> Api<ChannelOut> {
    let a = current(&s, &c, Action::ManageChannels).await?;
    let ch = channels::create(&s.app, &a, input.into()).await?;
    Ok(Answer::created(ChannelOut::new(&s, &ch)))
}

async fn show_channel(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<ChannelOut> {
    let a = current(&s, &c, Action::ViewInbox).await?;
    Ok(Answer::ok(ChannelOut::new(&s, &channels::get(&s.app, &a, &id).await?)))
}

async fn update_channel(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ChannelBody>,
) -> Api<ChannelOut> {
    let a = current(&s, &c, Action::ManageChannels).await?;
    Ok(Answer::ok(ChannelOut::new(&s, &channels::update(&s.app, &a, &id, input.into()).await?)))
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

/// A conversation with a contact on a channel.
#[derive(Serialize, JsonSchema)]
pub(crate) struct ThreadOut {
    id: String,
    /// `open`, `pending`, `snoozed` or `resolved`.
    status: String,
    channel_id: String,
    /// The channel's kind: `whatsapp`, `instagram`, `telegram` or `webchat`.
    channel_kind: String,
    contact: Option<ContactOut>,
    /// The member it is assigned to; null: unassigned.
    assignee_id: Option<String>,
    labels: Vec<String>,
    snoozed_until: Option<Time>,
    /// The customer's latest message.
    last_inbound_at: Option<Time>,
    last_message_at: Time,
    /// The start of the latest message.
    preview: Option<String>,
    created_at: Time,
    updated_at: Time,
    resolved_at: Option<Time>,
}

impl From<&inbox::ThreadRow> for ThreadOut {
    fn from(r: &inbox::ThreadRow) -> Self {
        let t = &r.thread;
        Self {
            id: t.id.to_string(),
            status: t.status.clone(),
            channel_id: t.channel_id.to_string(),
            channel_kind: r.channel_kind.clone(),
            contact: r.contact.as_ref().map(ContactOut::from),
            assignee_id: t.assignee_id.as_ref().map(ToString::to_string),
            labels: r.labels.clone(),
            snoozed_until: Time::of_opt(t.snoozed_until),
            last_inbound_at: Time::of_opt(t.last_inbound_at),
            last_message_at: Time::of(t.last_message_at),
            preview: t.preview.clone(),
            created_at: Time::of(t.created_at),
            updated_at: Time::of(t.updated_at),
            resolved_at: Time::of_opt(t.resolved_at),
        }
    }
}

/// A contact: someone who wrote on a channel.
#[derive(Serialize, JsonSchema)]
struct ContactOut {
    id: String,
    name: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    /// Their user name on the channel (Instagram, Telegram).
    username: Option<String>,
    /// The language they write in, when known.
    language: Option<String>,
    /// Blocked: they get no message.
    blocked: bool,
    created_at: Time,
    updated_at: Time,
}

impl From<&inbox::Contact> for ContactOut {
    fn from(k: &inbox::Contact) -> Self {
        Self {
            id: k.id.to_string(),
            name: k.name.clone(),
            phone: k.phone.clone(),
            email: k.email.clone(),
            username: k.username.clone(),
            language: k.language.clone(),
            blocked: k.blocked_at.is_some(),
            created_at: Time::of(k.created_at),
            updated_at: Time::of(k.updated_at),
        }
    }
}

/// A file of a message.
#[derive(Serialize, JsonSchema)]
struct MediaOut {
    id: String,
    /// `pending` (being fetched from the provider), `stored` or `failed`.
    status: String,
    mime: Option<String>,
    filename: Option<String>,
    /// Bytes.
    size: Option<i64>,
    /// Why it could not be fetched.
    error: Option<String>,
    /// Where to download it (`GET /api/v1/media/{id}`).
    url: String,
}

/// What the provider said when it refused or failed a message.
#[derive(Serialize, JsonSchema)]
struct MessageErrorOut {
    code: Option<i64>,
    title: Option<String>,
    details: Option<String>,
}

/// Who wrote an outgoing message.
#[derive(Serialize, JsonSchema)]
struct AuthorOut {
    /// `user`, `api_token` or `system`.
    kind: String,
    /// The user's or the token's id.
    id: Option<String>,
}

/// A message in a thread.
#[derive(Serialize, JsonSchema)]
pub(crate) struct MessageOut {
    id: String,
    /// `in` (from the customer) or `out`.
    direction: String,
    /// `text`, `image`, `audio`, `video`, `document`, `sticker`, `location`, `contacts`,
    /// `interactive`, `reaction` or `unsupported`.
    kind: String,
    text: Option<String>,
    /// `received`, `queued`, `sent`, `delivered`, `read` or `failed`.
    status: String,
    /// The provider's id of the message.
    provider_id: Option<String>,
    /// The id of the message this one answers.
    reply_to: Option<String>,
    /// What else the channel said about it (a location, a contact card, …), as stored.
    data: Value,
    media: Vec<MediaOut>,
    /// The provider's error, if it gave one.
    error: Option<MessageErrorOut>,
    /// Why it failed: a code of ours (a policy denial, `provider_rejected`, `unknown_outcome`, …).
    failure: Option<String>,
    /// Who wrote it (outgoing messages).
    author: Option<AuthorOut>,
    /// When the provider says it happened.
    provider_at: Option<Time>,
    edited_at: Option<Time>,
    created_at: Time,
}

impl MessageOut {
    /// The message, with the files of `media` that belong to it.
    pub(crate) fn new(m: &inbox::Message, media: &[inbox::Media]) -> Self {
        let data: Value = m.data.as_deref().and_then(|d| serde_json::from_str(d).ok()).unwrap_or(Value::Null);
        let files = media
            .iter()
            .filter(|x| x.message_id == m.id)
            .map(|x| MediaOut {
                id: x.id.to_string(),
                status: x.status.clone(),
                mime: x.mime.clone(),
                filename: x.filename.clone(),
                size: x.size,
                error: x.error.clone(),
                url: format!("/api/v1/media/{}", x.id),
            })
            .collect();
        let error = (m.error_code.is_some() || m.error_title.is_some()).then(|| MessageErrorOut {
            code: m.error_code,
            title: m.error_title.clone(),
            details: m.error_details.clone(),
        });
        Self {
            id: m.id.to_string(),
            direction: m.direction.clone(),
            kind: m.kind.clone(),
            text: m.body.clone(),
            status: m.status.clone(),
            provider_id: m.provider_id.clone(),
            reply_to: m.reply_to.clone(),
            data,
            media: files,
            error,
            failure: m.failure.clone(),
            author: m.author_kind.as_ref().map(|k| AuthorOut { kind: k.clone(), id: m.author_id.clone() }),
            provider_at: Time::of_opt(m.provider_at),
            edited_at: Time::of_opt(m.edited_at),
            created_at: Time::of(m.created_at),
        }
    }
}

/// Why a reply may not be sent now.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum DenialOut {
    NotPermitted,
    ChannelDisabled,
    ContactBlocked,
    ContactOptedOut,
    ReplyOnlyNoInbound,
    ReplyWindowClosed,
    WorkspaceRestricted,
    InsufficientCredit,
}

impl From<Denial> for DenialOut {
    fn from(d: Denial) -> Self {
        match d {
            Denial::NotPermitted => Self::NotPermitted,
            Denial::ChannelDisabled => Self::ChannelDisabled,
            Denial::ContactBlocked => Self::ContactBlocked,
            Denial::ContactOptedOut => Self::ContactOptedOut,
            Denial::ReplyOnlyNoInbound => Self::ReplyOnlyNoInbound,
            Denial::ReplyWindowClosed => Self::ReplyWindowClosed,
            Denial::WorkspaceRestricted => Self::WorkspaceRestricted,
            Denial::InsufficientCredit => Self::InsufficientCredit,
        }
    }
}

/// Whether a reply is allowed now.
#[derive(Serialize, JsonSchema)]
pub(crate) struct ReplyOut {
    allowed: bool,
    /// Why not (null when allowed).
    reason: Option<DenialOut>,
    /// Why not, for people (null when allowed).
    message: Option<String>,
    /// When free-form replies stop being possible, if the channel has a reply window (null
    /// when not allowed).
    closes_at: Option<Time>,
}

impl From<&outbox::ReplyState> for ReplyOut {
    fn from(r: &outbox::ReplyState) -> Self {
        match r.decision.denial() {
            None => Self { allowed: true, reason: None, message: None, closes_at: Time::of_opt(r.closes_at()) },
            Some(d) => {
                Self { allowed: false, reason: Some(d.into()), message: Some(d.message().into()), closes_at: None }
            }
        }
    }
}

async fn reply_state(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<ReplyOut> {
    let a = current(&s, &c, Action::ViewInbox).await?;
    Ok(Answer::ok(ReplyOut::from(&outbox::reply_state(&s.app, &a, &id).await?)))
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
) -> Api<MessageOut> {
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
    Ok(Answer::created_if(q.created, MessageOut::new(&q.message, &[])))
}

/// A thread in a list.
#[derive(Serialize, JsonSchema)]
struct ThreadItemOut {
    #[serde(flatten)]
    thread: ThreadOut,
    /// Customer messages the signed-in agent has not seen (absent for API tokens).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "i64")]
    unread: Option<i64>,
}

/// A page of threads.
#[derive(Serialize, JsonSchema)]
struct ThreadPageOut {
    threads: Vec<ThreadItemOut>,
    /// The `cursor` of the next page; null on the last one.
    next_cursor: Option<String>,
}

async fn list_threads(
    State(s): State<AppState>,
    c: ApiCaller,
    q: Result<Query<ThreadParams>, axum::extract::rejection::QueryRejection>,
) -> Api<ThreadPageOut> {
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
    let person = matches!(c.principal, Principal::User { .. });
    let threads = page
        .threads
        .iter()
        .map(|r| ThreadItemOut {
            thread: ThreadOut::from(r),
            unread: person.then(|| unread.get(&r.thread.id).copied().unwrap_or(0)),
        })
        .collect();
    Ok(Answer::ok(ThreadPageOut { threads, next_cursor: page.next }))
}

/// A private note in a thread, for the team only.
#[derive(Serialize, JsonSchema)]
struct NoteOut {
    id: String,
    /// Who wrote it: `user` or `api_token`.
    author_kind: String,
    author_id: Option<String>,
    body: String,
    created_at: Time,
}

impl From<&inbox::Note> for NoteOut {
    fn from(n: &inbox::Note) -> Self {
        Self {
            id: n.id.to_string(),
            author_kind: n.author_kind.clone(),
            author_id: n.author_id.clone(),
            body: n.body.clone(),
            created_at: Time::of(n.created_at),
        }
    }
}

/// A thread with a page of its messages.
#[derive(Serialize, JsonSchema)]
struct ThreadDetailOut {
    #[serde(flatten)]
    thread: ThreadOut,
    /// Oldest first.
    messages: Vec<MessageOut>,
    /// The `after` of the next page of messages; null on the last one.
    next_cursor: Option<String>,
    reply: ReplyOut,
    notes: Vec<NoteOut>,
}

async fn show_thread(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    q: Result<Query<PageParams>, axum::extract::rejection::QueryRejection>,
) -> Api<ThreadDetailOut> {
    let a = current(&s, &c, Action::ViewInbox).await?;
    let p = query(q)?;
    let d = inbox::thread(&s.app, &a, &id, p.after.as_deref().or(p.cursor.as_deref()), p.limit).await?;
    let reply = ReplyOut::from(&outbox::reply_state(&s.app, &a, &id).await?);
    frontdesk_inbox::notifications::mark_read(&s.app, &a, &d.row.thread.id).await?;
    Ok(Answer::ok(ThreadDetailOut {
        thread: ThreadOut::from(&d.row),
        messages: d.messages.iter().map(|m| MessageOut::new(m, &d.media)).collect(),
        next_cursor: d.next,
        reply,
        notes: d.notes.iter().map(NoteOut::from).collect(),
    }))
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
) -> Api<ThreadOut> {
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
    Ok(Answer::ok(ThreadOut::from(&d.row)))
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
) -> Api<NoteOut> {
    let a = current(&s, &c, Action::TriageThreads).await?;
    let n = inbox::add_note(&s.app, &a, &id, &b.body).await?;
    Ok(Answer::created(NoteOut::from(&n)))
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

/// A page of contacts.
#[derive(Serialize, JsonSchema)]
struct ContactPageOut {
    contacts: Vec<ContactOut>,
    /// The `cursor` of the next page; null on the last one.
    next_cursor: Option<String>,
}

async fn list_contacts(
    State(s): State<AppState>,
    c: ApiCaller,
    q: Result<Query<ContactParams>, axum::extract::rejection::QueryRejection>,
) -> Api<ContactPageOut> {
    let a = current(&s, &c, Action::ViewInbox).await?;
    let Query(p) = q.map_err(|e| WebError::from(AppError::new(ErrorKind::Invalid, "invalid_query", e.body_text())))?;
    let (list, next) = inbox::list_contacts(&s.app, &a, p.q.as_deref(), p.cursor.as_deref(), p.limit).await?;
    Ok(Answer::ok(ContactPageOut { contacts: list.iter().map(ContactOut::from).collect(), next_cursor: next }))
}

/// How a channel knows a contact.
#[derive(Serialize, JsonSchema)]
struct IdentityOut {
    channel_id: String,
    /// What the value is: a phone number, the provider's user id, a web chat visitor, ….
    kind: String,
    value: String,
}

/// A channel a contact wrote on.
#[derive(Serialize, JsonSchema)]
struct ContactChannelOut {
    channel_id: String,
    /// Where replies go on that channel.
    address: String,
    /// The contact's latest message there.
    last_inbound_at: Option<Time>,
}

/// A contact, with how each channel knows them.
#[derive(Serialize, JsonSchema)]
struct ContactDetailOut {
    #[serde(flatten)]
    contact: ContactOut,
    identities: Vec<IdentityOut>,
    channels: Vec<ContactChannelOut>,
}

async fn show_contact(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<ContactDetailOut> {
    let a = current(&s, &c, Action::ViewInbox).await?;
    let d = inbox::contact(&s.app, &a, &id).await?;
    Ok(Answer::ok(ContactDetailOut {
        contact: ContactOut::from(&d.contact),
        identities: d
            .identities
            .iter()
            .map(|i| IdentityOut { channel_id: i.channel_id.to_string(), kind: i.kind.clone(), value: i.value.clone() })
            .collect(),
        channels: d
            .channels
            .iter()
            .map(|x| ContactChannelOut {
                channel_id: x.channel_id.to_string(),
                address: x.address.clone(),
                last_inbound_at: Time::of_opt(x.last_inbound_at),
            })
            .collect(),
    }))
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
) -> Api<ContactOut> {
    let a = current(&s, &c, Action::EditContacts).await?;
    let p = ContactPatch { name: body.name, email: body.email, phone: body.phone, blocked: body.blocked };
    let k = inbox::update_contact(&s.app, &a, &id, p).await?;
    Ok(Answer::ok(ContactOut::from(&k)))
}

/// Whether a contact wants messages.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum ConsentStateOut {
    OptIn,
    OptOut,
}

impl From<ConsentChange> for ConsentStateOut {
    fn from(c: ConsentChange) -> Self {
        match c {
            ConsentChange::OptIn => Self::OptIn,
            ConsentChange::OptOut => Self::OptOut,
        }
    }
}

/// A contact's consent on one channel, as the ledger leaves it.
#[derive(Serialize, JsonSchema)]
struct ChannelConsentOut {
    channel_id: String,
    state: ConsentStateOut,
}

/// One entry of the consent ledger.
#[derive(Serialize, JsonSchema)]
struct ConsentEventOut {
    id: String,
    channel_id: String,
    /// `opt_out` or `opt_in`.
    change: String,
    /// What recorded it, like `keyword` (the customer sent one) or `provider` (it refused a
    /// message).
    source: String,
    /// What shows it, like the provider's id of the customer's message.
    evidence: String,
    /// When it happened.
    at: Time,
    /// When it was recorded.
    recorded_at: Time,
}

/// A contact's consent: the state per channel and the ledger it comes from.
#[derive(Serialize, JsonSchema)]
struct ConsentOut {
    state: Vec<ChannelConsentOut>,
    events: Vec<ConsentEventOut>,
}

async fn contact_consent(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<ConsentOut> {
    let a = current(&s, &c, Action::ViewInbox).await?;
    let v = inbox::consent(&s.app, &a, &id).await?;
    Ok(Answer::ok(ConsentOut {
        state: v
            .state
            .iter()
            .map(|(ch, st)| ChannelConsentOut { channel_id: ch.to_string(), state: (*st).into() })
            .collect(),
        events: v
            .events
            .iter()
            .map(|e| ConsentEventOut {
                id: e.id.to_string(),
                channel_id: e.channel_id.to_string(),
                change: e.change.clone(),
                source: e.source.clone(),
                evidence: e.evidence.clone(),
                at: Time::of(e.at),
                recorded_at: Time::of(e.created_at),
            })
            .collect(),
    }))
}

/// A media file as a download: its own type, `nosniff`, a sandboxing CSP, never inline.
async fn media(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Result<Response, WebError> {
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

/// The inbox settings.
#[derive(Serialize, JsonSchema)]
struct InboxSettingsOut {
    /// A customer's message reopens a resolved thread (otherwise it starts a new one).
    reopen_resolved: bool,
}

async fn settings(State(s): State<AppState>, c: ApiCaller) -> Api<InboxSettingsOut> {
    let a = current(&s, &c, Action::ViewInbox).await?;
    Ok(Answer::ok(InboxSettingsOut { reopen_resolved: inbox::reopen(&s.app, &a).await? }))
}

/// The inbox settings.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "InboxSettings")]
struct SettingsBody {
    /// A customer's message reopens a resolved thread (otherwise it starts a new one).
    reopen_resolved: bool,
}

async fn set_settings(
    State(s): State<AppState>,
    c: ApiCaller,
    ApiJson(b): ApiJson<SettingsBody>,
) -> Api<InboxSettingsOut> {
    let a = current(&s, &c, Action::ManageChannels).await?;
    inbox::set_reopen(&s.app, &a, b.reopen_resolved).await?;
    Ok(Answer::ok(InboxSettingsOut { reopen_resolved: b.reopen_resolved }))
}

/// Which kept deliveries to list.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct EventParams {
    /// `unparseable` (the default), `failed`, `pending` or `processed`.
    status: Option<String>,
}

/// A provider's delivery as kept.
#[derive(Serialize, JsonSchema)]
struct InboundEventOut {
    id: String,
    /// `whatsapp`, `instagram`, `telegram` or `meta`.
    provider: String,
    /// The id of the channel it came for, or `app:{app id}` for a Meta app's deliveries.
    route: String,
    /// `unparseable`, `failed`, `pending` or `processed`.
    status: String,
    /// Why it is unparseable or failed.
    reason: Option<String>,
    attempts: i64,
    received_at: Time,
    processed_at: Option<Time>,
    /// The delivery as received (any bytes that are not UTF-8 as U+FFFD).
    body: String,
    /// The delivery is UTF-8, as `body` shows it.
    body_is_utf8: bool,
}

async fn admin_events(
    State(s): State<AppState>,
    c: ApiCaller,
    q: Result<Query<EventParams>, axum::extract::rejection::QueryRejection>,
) -> Api<Vec<InboundEventOut>> {
    c.operator()?;
    let Query(p) = q.map_err(|e| WebError::from(AppError::new(ErrorKind::Invalid, "invalid_query", e.body_text())))?;
    let status = p.status.unwrap_or_else(|| "unparseable".into());
    if !["unparseable", "failed", "pending", "processed"].contains(&status.as_str()) {
        return Err(
            AppError::invalid("status", "invalid_status", "Use unparseable, failed, pending or processed.").into()
        );
    }
    let list = intake::troubled_events(&s.app, &status, 200).await?;
    Ok(Answer::ok(
        list.iter()
            .map(|e| InboundEventOut {
                id: e.id.to_string(),
                provider: e.provider.clone(),
                route: e.route.clone(),
                status: e.status.clone(),
                reason: e.reason.clone(),
                attempts: e.attempts,
                received_at: Time::of(e.received_at),
                processed_at: Time::of_opt(e.processed_at),
                body: String::from_utf8_lossy(&e.body).into_owned(),
                body_is_utf8: std::str::from_utf8(&e.body).is_ok(),
            })
            .collect(),
    ))
}

// ---- saved replies ----

/// A saved reply (a canned response).
#[derive(Serialize, JsonSchema)]
struct SavedReplyOut {
    id: String,
    /// What an agent types to find it.
    shortcut: String,
    /// The text, with its `{{first_name}}`, `{{name}}` and `{{business}}` as written.
    body: String,
    created_at: Time,
    updated_at: Time,
}

impl From<&frontdesk_inbox::saved_replies::SavedReply> for SavedReplyOut {
    fn from(r: &frontdesk_inbox::saved_replies::SavedReply) -> Self {
        Self {
            id: r.id.to_string(),
            shortcut: r.shortcut.clone(),
            body: r.body.clone(),
            created_at: Time::of(r.created_at),
            updated_at: Time::of(r.updated_at),
        }
    }
}

/// The workspace's saved replies.
#[derive(Serialize, JsonSchema)]
struct SavedRepliesOut {
    saved_replies: Vec<SavedReplyOut>,
}

async fn list_saved(State(s): State<AppState>, c: ApiCaller) -> Api<SavedRepliesOut> {
    let a = current(&s, &c, Action::ViewInbox).await?;
    let list = frontdesk_inbox::saved_replies::list(&s.app, &a).await?;
    Ok(Answer::ok(SavedRepliesOut { saved_replies: list.iter().map(SavedReplyOut::from).collect() }))
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

async fn create_saved(State(s): State<AppState>, c: ApiCaller, ApiJson(b): ApiJson<SavedBody>) -> Api<SavedReplyOut> {
    let a = current(&s, &c, Action::TriageThreads).await?;
    let r = frontdesk_inbox::saved_replies::create(
        &s.app,
        &a,
        b.shortcut.as_deref().unwrap_or(""),
        b.body.as_deref().unwrap_or(""),
    )
    .await?;
    Ok(Answer::created(SavedReplyOut::from(&r)))
}

async fn update_saved(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<SavedBody>,
) -> Api<SavedReplyOut> {
    let a = current(&s, &c, Action::TriageThreads).await?;
    let r = frontdesk_inbox::saved_replies::update(&s.app, &a, &id, b.shortcut.as_deref(), b.body.as_deref()).await?;
    Ok(Answer::ok(SavedReplyOut::from(&r)))
}

async fn delete_saved(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Result<Done, WebError> {
    let a = current(&s, &c, Action::TriageThreads).await?;
    frontdesk_inbox::saved_replies::delete(&s.app, &a, &id).await?;
    Ok(Done)
}

/// A saved reply with its variables filled in for a thread's contact.
#[derive(Serialize, JsonSchema)]
struct FilledSavedReplyOut {
    id: String,
    shortcut: String,
    /// The text to send.
    text: String,
}

/// The saved replies, filled in for a thread.
#[derive(Serialize, JsonSchema)]
struct FilledSavedRepliesOut {
    saved_replies: Vec<FilledSavedReplyOut>,
}

async fn thread_saved(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<FilledSavedRepliesOut> {
    let a = current(&s, &c, Action::ViewInbox).await?;
    let list = frontdesk_inbox::saved_replies::for_thread(&s.app, &a, &id).await?;
    Ok(Answer::ok(FilledSavedRepliesOut {
        saved_replies: list
            .into_iter()
            .map(|(r, text)| FilledSavedReplyOut { id: r.id.to_string(), shortcut: r.shortcut, text })
            .collect(),
    }))
}

// ---- outgoing webhooks ----

/// An outgoing webhook (its signing secret only where said).
#[derive(Serialize, JsonSchema)]
struct WebhookOut {
    id: String,
    /// Where the events are POSTed.
    url: String,
    /// The events it gets.
    events: Vec<String>,
    disabled: bool,
    created_at: Time,
    /// The header that carries each delivery's signature.
    signature_header: String,
}

impl From<&frontdesk_inbox::webhooks::Webhook> for WebhookOut {
    fn from(w: &frontdesk_inbox::webhooks::Webhook) -> Self {
        Self {
            id: w.id.to_string(),
            url: w.url.clone(),
            events: w.events.clone(),
            disabled: w.disabled_at.is_some(),
            created_at: Time::of(w.created_at),
            signature_header: frontdesk_inbox::webhooks::HEADER.to_string(),
        }
    }
}

/// An outgoing webhook with its signing secret.
#[derive(Serialize, JsonSchema)]
struct WebhookWithSecretOut {
    #[serde(flatten)]
    webhook: WebhookOut,
    /// The key (`whsec_…`) that signs each delivery.
    secret: String,
}

impl WebhookWithSecretOut {
    fn new(s: &AppState, w: &frontdesk_inbox::webhooks::Webhook) -> Result<Self, WebError> {
        Ok(Self { webhook: WebhookOut::from(w), secret: frontdesk_inbox::webhooks::secret_of(&s.app, w)? })
    }
}

/// The workspace's outgoing webhooks.
#[derive(Serialize, JsonSchema)]
struct WebhooksOut {
    webhooks: Vec<WebhookOut>,
}

async fn list_hooks(State(s): State<AppState>, c: ApiCaller) -> Api<WebhooksOut> {
    let a = current(&s, &c, Action::ManageChannels).await?;
    let list = frontdesk_inbox::webhooks::list(&s.app, &a).await?;
    Ok(Answer::ok(WebhooksOut { webhooks: list.iter().map(WebhookOut::from).collect() }))
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

async fn create_hook(
    State(s): State<AppState>,
    c: ApiCaller,
    ApiJson(b): ApiJson<HookBody>,
) -> Api<WebhookWithSecretOut> {
    let a = current(&s, &c, Action::ManageChannels).await?;
    let w = frontdesk_inbox::webhooks::create(&s.app, &a, &b.url, b.events).await?;
    Ok(Answer::created(WebhookWithSecretOut::new(&s, &w)?))
}

async fn show_hook(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<WebhookWithSecretOut> {
    let a = current(&s, &c, Action::ManageChannels).await?;
    let w = frontdesk_inbox::webhooks::get(&s.app, &a, &id).await?;
    Ok(Answer::ok(WebhookWithSecretOut::new(&s, &w)?))
}

async fn delete_hook(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Result<Done, WebError> {
    let a = current(&s, &c, Action::ManageChannels).await?;
    frontdesk_inbox::webhooks::delete(&s.app, &a, &id).await?;
    Ok(Done)
}

/// One delivery of an event to an outgoing webhook.
#[derive(Serialize, JsonSchema)]
struct DeliveryOut {
    id: String,
    /// The event, like `message.created`.
    event: String,
    /// `pending`, `delivered` or `failed`.
    status: String,
    attempts: i64,
    /// The HTTP status the webhook answered, if it answered.
    response_status: Option<i64>,
    /// Why the latest attempt failed.
    error: Option<String>,
    /// The event as sent.
    payload: Value,
    created_at: Time,
    updated_at: Time,
}

impl From<&frontdesk_inbox::webhooks::Delivery> for DeliveryOut {
    fn from(d: &frontdesk_inbox::webhooks::Delivery) -> Self {
        Self {
            id: d.id.to_string(),
            event: d.event.clone(),
            status: d.status.clone(),
            attempts: d.attempts,
            response_status: d.response_status,
            error: d.error.clone(),
            payload: serde_json::from_str::<Value>(&d.payload).unwrap_or(Value::Null),
            created_at: Time::of(d.created_at),
            updated_at: Time::of(d.updated_at),
        }
    }
}

/// A webhook's delivery log, newest first.
#[derive(Serialize, JsonSchema)]
struct DeliveriesOut {
    deliveries: Vec<DeliveryOut>,
}

async fn hook_deliveries(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<DeliveriesOut> {
    let a = current(&s, &c, Action::ManageChannels).await?;
    let list = frontdesk_inbox::webhooks::deliveries(&s.app, &a, &id, 100).await?;
    Ok(Answer::ok(DeliveriesOut { deliveries: list.iter().map(DeliveryOut::from).collect() }))
}
