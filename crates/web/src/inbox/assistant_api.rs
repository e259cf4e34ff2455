//! The assistant over JSON: settings, knowledge base, drafts (ask, send, edit, discard), and
//! the disclosure ledger (JSON or CSV).

use crate::inbox::api::{current, MessageOut};
use crate::kit::answer::{Answer, Api, Done, Time};
use crate::kit::body::ApiJson;
use crate::kit::body::{present, OptionalJson};
use crate::kit::error::WebError;
use crate::kit::extract::ApiCaller;
use crate::{Access, AppState, Table};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Json;
use frontdesk_assistant::Knowledge;
use frontdesk_core::{Action, Timestamp};
use frontdesk_inbox::assistant::{self as ai, Settings, SettingsInput};
use frontdesk_inbox::assistant::{Call, Draft};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

pub(crate) fn routes(t: Table) -> Table {
    use Access::*;
    t.add("GET", "/api/v1/assistant", Current(Action::ViewInbox), "The assistant's settings (never the API key)", get(get_settings))
        .returns::<AssistantSettingsOut>()
        .add(
            "PUT",
            "/api/v1/assistant",
            Current(Action::ManageSettings),
            "Change the assistant: mode, per-channel modes, provider, base URL, model, API key, allow-list, hours, disclosure, masking, retention",
            axum::routing::put(put_settings),
        )
        .body::<SettingsBody>()
        .returns::<AssistantSettingsOut>()
        .add("GET", "/api/v1/assistant/knowledge", Current(Action::ViewInbox), "The knowledge base", get(get_knowledge))
        .returns::<Knowledge>()
        .add(
            "PUT",
            "/api/v1/assistant/knowledge",
            Current(Action::ManageSettings),
            "Replace the knowledge base {profile, services, faq, documents}",
            axum::routing::put(put_knowledge),
        )
        .body::<Knowledge>()
        .returns::<Knowledge>()
        .add(
            "GET",
            "/api/v1/assistant/ledger",
            Current(Action::ViewAudit),
            "Calls to external AI providers (no content); ?format=csv exports",
            get(ledger),
        )
        .query::<LedgerParams>()
        .returns::<LedgerOut>()
        .produces(&["application/json", "text/csv"])
        .add("GET", "/api/v1/threads/{id}/drafts", Current(Action::ViewInbox), "The assistant's drafts in a thread", get(list_drafts))
        .returns::<DraftsOut>()
        .add(
            "POST",
            "/api/v1/threads/{id}/drafts",
            Current(Action::SendMessages),
            "Ask the assistant for a draft answer to the customer's latest message",
            post(ask_draft),
        )
        .no_body()
        .created::<DraftOut>()
        .add(
            "POST",
            "/api/v1/drafts/{id}/send",
            Current(Action::SendMessages),
            "Send a draft, optionally edited {text}; the policy gate decides",
            post(send_draft),
        )
        .optional_body::<SendBody>()
        .created_or_repeated::<MessageOut>()
        .add("POST", "/api/v1/drafts/{id}/discard", Current(Action::SendMessages), "Discard a draft", post(discard_draft))
        .no_body()
        .done()
        .add(
            "POST",
            "/api/v1/threads/{id}/assistant/resume",
            Current(Action::TriageThreads),
            "Let the assistant answer again in a thread where the customer asked for a person",
            post(resume),
        )
        .no_body()
        .done()
}

fn ts(ms: i64) -> String {
    Timestamp(ms).to_rfc3339()
}

/// How the assistant works: `off`, `draft` (drafts for an agent to send) or `auto` (it
/// answers itself).
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum ModeOut {
    Off,
    Draft,
    Auto,
}

impl From<ai::Mode> for ModeOut {
    fn from(m: ai::Mode) -> Self {
        match m {
            ai::Mode::Off => Self::Off,
            ai::Mode::Draft => Self::Draft,
            ai::Mode::Auto => Self::Auto,
        }
    }
}

/// The line that tells customers an answer is automated.
#[derive(Serialize, JsonSchema)]
struct DisclosureOut {
    enabled: bool,
    text: String,
}

/// A topic of the allow-list.
#[derive(Serialize, JsonSchema)]
struct TopicOut {
    name: String,
    /// What it covers, for people.
    covers: String,
}

/// The assistant's settings (never the API key).
#[derive(Serialize, JsonSchema)]
struct AssistantSettingsOut {
    mode: ModeOut,
    /// A mode per channel id, instead of `mode` there.
    channel_modes: BTreeMap<String, ModeOut>,
    /// `local`, `openai` or `anthropic`.
    provider: String,
    /// The provider's API base URL (null: its usual one).
    base_url: Option<String>,
    model: Option<String>,
    /// An API key is set (it is never shown).
    api_key_set: bool,
    /// The topics the assistant may answer (see `topics`).
    allow_topics: Vec<String>,
    /// It answers automatically only within business hours.
    auto_in_hours_only: bool,
    disclosure: DisclosureOut,
    /// Personal data is masked before it goes to an external provider.
    mask_personal_data: bool,
    /// Days the drafts are kept.
    retention_days: i64,
    /// Every topic there is.
    topics: Vec<TopicOut>,
}

impl From<&Settings> for AssistantSettingsOut {
    fn from(s: &Settings) -> Self {
        Self {
            mode: s.mode.into(),
            channel_modes: s.channel_modes.iter().map(|(k, m)| (k.clone(), (*m).into())).collect(),
            provider: s.provider.clone(),
            base_url: s.base_url.clone(),
            model: s.model.clone(),
            api_key_set: s.has_api_key,
            allow_topics: s.allow_topics.clone(),
            auto_in_hours_only: s.auto_in_hours_only,
            disclosure: DisclosureOut { enabled: s.disclosure_enabled, text: s.disclosure_text.clone() },
            mask_personal_data: s.mask_personal_data,
            retention_days: s.retention_days,
            topics: ai::TOPICS.iter().map(|(n, d)| TopicOut { name: n.to_string(), covers: d.to_string() }).collect(),
        }
    }
}

/// An answer the assistant drafted for a customer's message.
#[derive(Serialize, JsonSchema)]
struct DraftOut {
    id: String,
    thread_id: String,
    /// The customer's message it answers.
    message_id: Option<String>,
    text: String,
    /// The language it is written in.
    lang: String,
    /// `answer`, `handover` (it has no answer: a person should) or `human_requested` (the
    /// customer asked for a person).
    outcome: String,
    /// The provider that wrote it (`local`: the built-in one).
    provider: String,
    model: Option<String>,
    /// The facts of the knowledge base it used, as stored.
    facts: Value,
    /// Every number, price, time, date, phone number, email, web address and street name in
    /// it appears in those facts.
    grounded: bool,
    /// `draft`, `sent` or `discarded`.
    status: String,
    /// Why it was not sent on its own (auto mode).
    held_because: Option<String>,
    /// The message it became.
    sent_message_id: Option<String>,
    created_at: Time,
    updated_at: Time,
}

impl From<&Draft> for DraftOut {
    fn from(d: &Draft) -> Self {
        Self {
            id: d.id.to_string(),
            thread_id: d.thread_id.to_string(),
            message_id: d.message_id.clone(),
            text: d.text.clone(),
            lang: d.lang.clone(),
            outcome: d.outcome.clone(),
            provider: d.provider.clone(),
            model: d.model.clone(),
            facts: serde_json::from_str(&d.facts).unwrap_or(Value::Null),
            grounded: d.grounded,
            status: d.status.clone(),
            held_because: d.held_because.clone(),
            sent_message_id: d.sent_message_id.clone(),
            created_at: Time::of(d.created_at),
            updated_at: Time::of(d.updated_at),
        }
    }
}

async fn get_settings(State(s): State<AppState>, c: ApiCaller) -> Api<AssistantSettingsOut> {
    let a = current(&s, &c, Action::ViewInbox).await?;
    Ok(Answer::ok(AssistantSettingsOut::from(&ai::settings(&s.app, &a).await?)))
}

/// The line that tells customers an answer is automated; absent fields stay as they are.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Disclosure {
    enabled: Option<bool>,
    text: Option<String>,
}

/// The assistant's settings; absent fields stay as they are, null clears an optional one.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "AssistantSettings")]
struct SettingsBody {
    /// `off`, `draft` or `auto`.
    mode: Option<String>,
    /// A mode (`off`, `draft` or `auto`) per channel id, instead of `mode` there.
    channel_modes: Option<BTreeMap<String, String>>,
    /// `local`, `openai` or `anthropic`.
    provider: Option<String>,
    /// The provider's API base URL.
    #[serde(default, deserialize_with = "present::deserialize")]
    #[schemars(with = "Option<String>", transform = present::schema)]
    base_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "present::deserialize")]
    #[schemars(with = "Option<String>", transform = present::schema)]
    model: Option<Option<String>>,
    /// Never shown again once set.
    #[serde(default, deserialize_with = "present::deserialize")]
    #[schemars(with = "Option<String>", transform = present::schema)]
    api_key: Option<Option<String>>,
    /// The topics the assistant may answer (see `topics` in the settings).
    allow_topics: Option<Vec<String>>,
    /// Answer automatically only within business hours.
    auto_in_hours_only: Option<bool>,
    disclosure: Option<Disclosure>,
    /// Mask personal data before it goes to an external provider.
    mask_personal_data: Option<bool>,
    /// Days to keep the drafts (1 to 365).
    retention_days: Option<i64>,
}

async fn put_settings(
    State(s): State<AppState>,
    c: ApiCaller,
    ApiJson(b): ApiJson<SettingsBody>,
) -> Api<AssistantSettingsOut> {
    let a = current(&s, &c, Action::ManageSettings).await?;
    let input = SettingsInput {
        mode: b.mode,
        channel_modes: b.channel_modes,
        provider: b.provider,
        base_url: b.base_url,
        model: b.model,
        api_key: b.api_key,
        allow_topics: b.allow_topics,
        auto_in_hours_only: b.auto_in_hours_only,
        disclosure_enabled: b.disclosure.as_ref().and_then(|d| d.enabled),
        disclosure_text: b.disclosure.and_then(|d| d.text),
        mask_personal_data: b.mask_personal_data,
        retention_days: b.retention_days,
    };
    Ok(Answer::ok(AssistantSettingsOut::from(&ai::update_settings(&s.app, &a, input).await?)))
}

// The knowledge base is answered as its type writes it, straight (its fields in their order,
// as always), not through `Answer`.

async fn get_knowledge(State(s): State<AppState>, c: ApiCaller) -> Result<Json<Knowledge>, WebError> {
    let a = current(&s, &c, Action::ViewInbox).await?;
    Ok(Json(ai::settings(&s.app, &a).await?.knowledge()))
}

async fn put_knowledge(
    State(s): State<AppState>,
    c: ApiCaller,
    ApiJson(k): ApiJson<Knowledge>,
) -> Result<Json<Knowledge>, WebError> {
    let a = current(&s, &c, Action::ManageSettings).await?;
    Ok(Json(ai::set_knowledge(&s.app, &a, k).await?))
}

/// How to export the ledger.
#[derive(Deserialize, Default, JsonSchema)]
struct LedgerParams {
    /// `csv` for a CSV file; JSON otherwise.
    format: Option<String>,
    /// The newest calls to include (1000 by default).
    limit: Option<i64>,
}

/// A call to an AI provider (never its content).
#[derive(Serialize, JsonSchema)]
struct CallOut {
    id: String,
    at: Time,
    thread_id: Option<String>,
    provider: String,
    model: Option<String>,
    /// What it was for, like `draft_reply`.
    purpose: String,
    bytes_sent: i64,
    bytes_received: i64,
    /// Tokens, as the provider counted them.
    tokens_in: Option<i64>,
    tokens_out: Option<i64>,
    /// SHA-256 of what was sent.
    payload_sha256: String,
    /// `ok`, or the error code.
    outcome: String,
}

impl From<&Call> for CallOut {
    fn from(x: &Call) -> Self {
        Self {
            id: x.id.to_string(),
            at: Time::of(x.at),
            thread_id: x.thread_id.clone(),
            provider: x.provider.clone(),
            model: x.model.clone(),
            purpose: x.purpose.clone(),
            bytes_sent: x.bytes_sent,
            bytes_received: x.bytes_received,
            tokens_in: x.tokens_in,
            tokens_out: x.tokens_out,
            payload_sha256: x.payload_sha256.clone(),
            outcome: x.outcome.clone(),
        }
    }
}

/// The ledger of calls to AI providers, newest first.
#[derive(Serialize, JsonSchema)]
struct LedgerOut {
    calls: Vec<CallOut>,
}

/// A CSV field, quoted when needed.
fn csv(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The ledger as CSV (the API's `?format=csv` and the page's export).
pub(crate) fn ledger_csv(calls: &[Call]) -> String {
    let mut out = String::from(
        "at,thread_id,provider,model,purpose,bytes_sent,bytes_received,tokens_in,tokens_out,payload_sha256,outcome\n",
    );
    for x in calls {
        let row = [
            ts(x.at),
            x.thread_id.clone().unwrap_or_default(),
            x.provider.clone(),
            x.model.clone().unwrap_or_default(),
            x.purpose.clone(),
            x.bytes_sent.to_string(),
            x.bytes_received.to_string(),
            x.tokens_in.map(|n| n.to_string()).unwrap_or_default(),
            x.tokens_out.map(|n| n.to_string()).unwrap_or_default(),
            x.payload_sha256.clone(),
            x.outcome.clone(),
        ];
        out.push_str(&row.iter().map(|f| csv(f)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    out
}

async fn ledger(
    State(s): State<AppState>,
    c: ApiCaller,
    q: Result<Query<LedgerParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, WebError> {
    let a = current(&s, &c, Action::ViewAudit).await?;
    let p = crate::inbox::api::query(q)?;
    let calls = ai::calls(&s.app, &a, p.limit.unwrap_or(1000)).await?;
    if p.format.as_deref() == Some("csv") {
        let out = ledger_csv(&calls);
        return Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"ai-ledger.csv\""),
            ],
            out,
        )
            .into_response());
    }
    Ok(Answer::ok(LedgerOut { calls: calls.iter().map(CallOut::from).collect() }).into_response())
}

/// The assistant's drafts in a thread.
#[derive(Serialize, JsonSchema)]
struct DraftsOut {
    drafts: Vec<DraftOut>,
}

async fn list_drafts(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<DraftsOut> {
    let a = current(&s, &c, Action::ViewInbox).await?;
    let list = ai::drafts(&s.app, &a, &id).await?;
    Ok(Answer::ok(DraftsOut { drafts: list.iter().map(DraftOut::from).collect() }))
}

async fn ask_draft(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<DraftOut> {
    let a = current(&s, &c, Action::SendMessages).await?;
    let d = ai::draft_now(&s.app, &a, &id).await?;
    Ok(Answer::created(DraftOut::from(&d)))
}

/// The draft's text as edited; without it (or without a body) the draft is sent as written.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "DraftEdit")]
struct SendBody {
    text: Option<String>,
}

async fn send_draft(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    OptionalJson(body): OptionalJson<SendBody>,
) -> Api<MessageOut> {
    let a = current(&s, &c, Action::SendMessages).await?;
    // The body is optional: none sends the draft as written.
    let q = ai::send_draft(&s.app, &a, &id, body.and_then(|b| b.text)).await?;
    Ok(Answer::created_if(q.created, MessageOut::new(&q.message, &[])))
}

async fn discard_draft(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Result<Done, WebError> {
    let a = current(&s, &c, Action::SendMessages).await?;
    ai::discard_draft(&s.app, &a, &id).await?;
    Ok(Done)
}

async fn resume(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Result<Done, WebError> {
    let a = current(&s, &c, Action::TriageThreads).await?;
    ai::resume(&s.app, &a, &id).await?;
    Ok(Done)
}
