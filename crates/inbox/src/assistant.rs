//! The AI assistant: drafts replies from the workspace's own knowledge base, with the local
//! grounded assistant (default, no network) or an external model, and never sends what the
//! policy gate or the workspace's AI policy forbids.
//!
//! Modes (per workspace, overridable per channel): `off` (no drafts, no provider call),
//! `draft` (default: a draft per customer message, a person sends, edits or discards it),
//! `auto` (sent by itself only when the gate allows it as automated text, the answer is
//! grounded, every fact it uses is of an allowed topic, the business is open when the workspace
//! asks for that, and the customer has not asked for a person; otherwise it stays a draft with
//! the reason). A customer asking for a person pauses the assistant for that thread.
//!
//! Every draft, approval, edit, discard and automatic send is audited; every call to an
//! external provider writes a ledger row (sizes, tokens, a payload hash; never content).

use crate::llm::{self, Endpoint};
use crate::outbox::{self, Draft as OutDraft, Queue, SendInput};
use crate::repo::assistant::{self as q, SettingsRow};
pub use crate::repo::assistant::{Call, Draft};
use crate::repo::channels as cq;
use crate::repo::inbox::{self as iq, Message, Thread};
use crate::repo::workspace_settings as ws_settings;
use crate::Inbox;
use frontdesk_assistant::{grounded, wants_human, Context, FactKind, Index, Knowledge, Lang, Outcome, Reply};
use frontdesk_core::hours::OpenState;
use frontdesk_core::policy::Sender;
use frontdesk_core::{AiCallId, DraftId, JobId, MessageId, ThreadId, WorkspaceId};
use frontdesk_platform::audit::{self, Actor};
use frontdesk_platform::error::{AppError, AppResult, ErrorKind};
use frontdesk_platform::jobs::{self, JobError};
use frontdesk_platform::repo::workspaces as wq;
use frontdesk_platform::vault::Place;
use frontdesk_platform::workspaces::Access;
use frontdesk_store::Conn;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

pub const REPLY_JOB: &str = "ai.reply";

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Off,
    Draft,
    Auto,
}

impl Mode {
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "off" => Some(Mode::Off),
            "draft" => Some(Mode::Draft),
            "auto" => Some(Mode::Auto),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Off => "off",
            Mode::Draft => "draft",
            Mode::Auto => "auto",
        }
    }
}

/// Topics of the allow-list, as the fact kinds they cover.
pub const TOPICS: &[(&str, &str)] = &[
    ("hours", "opening hours and holidays"),
    ("location", "address"),
    ("contact", "phone, email, website, languages"),
    ("services", "services, prices and durations"),
    ("faq", "answers from the FAQ"),
    ("documents", "passages of your documents"),
    ("slots", "free slots"),
];

fn topic_of(kind: FactKind) -> &'static str {
    match kind {
        FactKind::Hours | FactKind::Holiday => "hours",
        FactKind::Address => "location",
        FactKind::Phone | FactKind::Email | FactKind::Website | FactKind::Languages => "contact",
        FactKind::Catalogue | FactKind::Service => "services",
        FactKind::Faq => "faq",
        FactKind::Document => "documents",
        FactKind::Slot => "slots",
    }
}

/// The English default disclosure (the catalogue's `customer-ai-disclosure`).
pub const DEFAULT_DISCLOSURE: &str = "(Automated reply)";

/// Whether `text` is the default disclosure in one of the languages: the business kept it, so
/// it goes out in the reply's language.
pub fn is_default_disclosure(text: &str) -> bool {
    crate::is_default_text(text, "customer-ai-disclosure")
}

/// A workspace's assistant settings, parsed. The API key is never returned, only whether one
/// is set.
#[derive(Clone, Debug)]
pub struct Settings {
    pub mode: Mode,
    pub channel_modes: BTreeMap<String, Mode>,
    /// `local`, `openai` or `anthropic`.
    pub provider: String,
    pub base_url: Option<String>,
    pub model: Option<String>,
    pub has_api_key: bool,
    pub allow_topics: Vec<String>,
    pub auto_in_hours_only: bool,
    pub disclosure_enabled: bool,
    pub disclosure_text: String,
    pub mask_personal_data: bool,
    pub retention_days: i64,
    pub updated_at: i64,
    /// The knowledge base as stored (parsed by [`Settings::knowledge`] only when needed: the
    /// job path uses the cached index).
    knowledge_json: String,
    /// The API key, sealed.
    sealed_key: Option<String>,
    /// The business hours ([`effective`] fills them in): the assistant's hours when the
    /// knowledge base has none, "today" and "open now".
    schedule: Option<frontdesk_core::hours::Schedule>,
    /// Changes when the business hours change (they feed the knowledge the assistant uses).
    hours_version: i64,
    /// The business profile ([`effective`] fills it in): its name and contact details are the
    /// knowledge's, whatever the knowledge base says.
    business: Option<(String, frontdesk_platform::profile::Profile)>,
}

fn defaults(business: &str) -> SettingsRow {
    let mut k = Knowledge::default();
    k.profile.name = business.to_string();
    SettingsRow {
        mode: "draft".into(),
        channel_modes: "{}".into(),
        provider: "local".into(),
        allow_topics: serde_json::to_string(&["hours", "location", "contact", "services"]).unwrap_or_default(),
        auto_in_hours_only: true,
        disclosure_enabled: true,
        disclosure_text: Some(DEFAULT_DISCLOSURE.into()),
        mask_personal_data: true,
        retention_days: 30,
        knowledge: serde_json::to_string(&k).unwrap_or_default(),
        ..Default::default()
    }
}

fn parse_row(r: &SettingsRow) -> AppResult<Settings> {
    Ok(Settings {
        mode: Mode::parse(&r.mode).ok_or_else(|| AppError::corrupt("assistant_settings.mode", &r.mode))?,
        channel_modes: serde_json::from_str(&r.channel_modes).unwrap_or_default(),
        provider: r.provider.clone(),
        base_url: r.base_url.clone(),
        model: r.model.clone(),
        has_api_key: r.api_key.is_some(),
        allow_topics: serde_json::from_str(&r.allow_topics).unwrap_or_default(),
        auto_in_hours_only: r.auto_in_hours_only,
        disclosure_enabled: r.disclosure_enabled,
        disclosure_text: r.disclosure_text.clone().unwrap_or_else(|| DEFAULT_DISCLOSURE.into()),
        mask_personal_data: r.mask_personal_data,
        retention_days: r.retention_days,
        updated_at: r.updated_at,
        knowledge_json: r.knowledge.clone(),
        sealed_key: r.api_key.clone(),
        schedule: None,
        hours_version: 0,
        business: None,
    })
}

async fn row(c: &mut Conn, ws: &WorkspaceId) -> AppResult<SettingsRow> {
    if let Some(r) = q::settings(c, ws).await? {
        return Ok(r);
    }
    let name = wq::by_id(c, ws).await?.map(|w| w.name).unwrap_or_default();
    Ok(defaults(&name))
}

pub async fn settings(app: &Inbox, access: &Access) -> AppResult<Settings> {
    let mut c = app.db.conn().await?;
    parse_row(&row(&mut c, &access.workspace.id).await?)
}

impl Settings {
    /// The mode for a channel (its override, else the workspace's).
    pub fn mode_for(&self, channel: &str) -> Mode {
        self.channel_modes.get(channel).copied().unwrap_or(self.mode)
    }

    /// The knowledge base as the workspace wrote it.
    pub fn knowledge(&self) -> Knowledge {
        serde_json::from_str(&self.knowledge_json).unwrap_or_default()
    }

    /// Open now by the business hours (`None`: no hours set).
    fn open_at(&self, now: i64) -> Option<bool> {
        let (_, hours) = self.schedule.as_ref()?.check().ok()?;
        Some(matches!(hours.state(now), OpenState::Open { .. }))
    }

    /// Today's date in the business's time zone (UTC without hours), for "tomorrow" and "Sunday".
    fn today(&self, now: i64) -> Option<String> {
        let tz = self.schedule.as_ref().map_or("UTC", |s| s.time_zone.as_str());
        frontdesk_core::hours::local_date(tz, now)
    }
}

/// A change of settings; `None` leaves a field as it is. `api_key: Some(None)` removes it.
#[derive(Clone, Debug, Default)]
pub struct SettingsInput {
    pub mode: Option<String>,
    pub channel_modes: Option<BTreeMap<String, String>>,
    pub provider: Option<String>,
    pub base_url: Option<Option<String>>,
    pub model: Option<Option<String>>,
    pub api_key: Option<Option<String>>,
    pub allow_topics: Option<Vec<String>>,
    pub auto_in_hours_only: Option<bool>,
    pub disclosure_enabled: Option<bool>,
    pub disclosure_text: Option<String>,
    pub mask_personal_data: Option<bool>,
    pub retention_days: Option<i64>,
}

fn key_place(ws: &str) -> Place<'_> {
    Place { workspace: ws, table: "assistant_settings", column: "api_key", row: ws }
}

pub async fn update_settings(app: &Inbox, access: &Access, input: SettingsInput) -> AppResult<Settings> {
    let ws = &access.workspace.id;
    let mut tx = app.db.begin().await?;
    let mut r = row(&mut tx, ws).await?;
    let was_off = Mode::parse(&r.mode) == Some(Mode::Off);
    if let Some(m) = &input.mode {
        r.mode = Mode::parse(m)
            .ok_or_else(|| AppError::invalid("mode", "invalid_mode", "Use off, draft or auto."))?
            .as_str()
            .into();
    }
    if let Some(cm) = &input.channel_modes {
        let mut out = BTreeMap::new();
        for (ch, m) in cm {
            let id = frontdesk_core::ChannelId::parse(ch).ok_or_else(|| {
                AppError::invalid("channel_modes", "unknown_channel", "A channel id is not one of yours.")
            })?;
            cq::in_workspace(&mut tx, ws, &id).await?.ok_or_else(|| {
                AppError::invalid("channel_modes", "unknown_channel", "A channel id is not one of yours.")
            })?;
            let m = Mode::parse(m)
                .ok_or_else(|| AppError::invalid("channel_modes", "invalid_mode", "Use off, draft or auto."))?;
            out.insert(id.to_string(), m);
        }
        r.channel_modes = serde_json::to_string(&out).unwrap_or_else(|_| "{}".into());
    }
    if let Some(p) = &input.provider {
        let platform = p == "platform" && app.inbox.platform_model.is_some();
        if !(platform || matches!(p.as_str(), "local" | "openai" | "anthropic")) {
            return Err(AppError::invalid(
                "provider",
                "invalid_provider",
                "Use local, openai, anthropic, or platform where the server offers its own model.",
            ));
        }
        r.provider = p.clone();
    }
    if let Some(u) = &input.base_url {
        r.base_url = match u.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(u) => {
                let url = frontdesk_platform::netguard::check_url(u, &app.settings.allow_private)?;
                // The API key travels with every call: in clear only to the operator's own hosts.
                frontdesk_platform::netguard::check_plain_http(&url, &app.settings.allow_private).await?;
                Some(url.to_string())
            }
        };
    }
    if let Some(m) = &input.model {
        let m = m.as_deref().map(str::trim).filter(|s| !s.is_empty());
        if m.is_some_and(|m| m.len() > 200 || m.chars().any(char::is_control)) {
            return Err(AppError::invalid(
                "model",
                "invalid_value",
                "A model name has at most 200 visible characters.",
            ));
        }
        r.model = m.map(str::to_string);
    }
    if let Some(k) = &input.api_key {
        r.api_key = match k.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(k) if k.len() > 500 => {
                return Err(AppError::invalid("api_key", "too_long", "An API key has at most 500 characters."))
            }
            Some(k) => Some(app.vault.seal(key_place(ws.as_str()), k.as_bytes())),
        };
    }
    if let Some(t) = &input.allow_topics {
        for x in t {
            if !TOPICS.iter().any(|(n, _)| n == x) {
                let known = TOPICS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ");
                return Err(AppError::invalid(
                    "allow_topics",
                    "unknown_topic",
                    format!("\"{x}\" is not a topic; use {known}."),
                ));
            }
        }
        r.allow_topics = serde_json::to_string(t).unwrap_or_else(|_| "[]".into());
    }
    if let Some(b) = input.auto_in_hours_only {
        r.auto_in_hours_only = b;
    }
    if let Some(b) = input.disclosure_enabled {
        r.disclosure_enabled = b;
    }
    if let Some(t) = &input.disclosure_text {
        let t = t.trim();
        if t.chars().count() > 200 {
            return Err(AppError::invalid("disclosure_text", "too_long", "At most 200 characters."));
        }
        r.disclosure_text = (!t.is_empty()).then(|| t.to_string());
    }
    if let Some(b) = input.mask_personal_data {
        r.mask_personal_data = b;
    }
    if let Some(d) = input.retention_days {
        if !(1..=365).contains(&d) {
            return Err(AppError::invalid("retention_days", "out_of_range", "Keep drafts 1 to 365 days."));
        }
        r.retention_days = d;
    }
    if !matches!(r.provider.as_str(), "local" | "platform") && (r.base_url.is_none() || r.model.is_none()) {
        return Err(AppError::invalid(
            "base_url",
            "provider_incomplete",
            "An external provider needs a base URL and a model.",
        ));
    }
    r.updated_at = app.now().0;
    q::save_settings(&mut tx, ws, &r).await?;
    let off = Mode::parse(&r.mode) == Some(Mode::Off);
    let purged = if off && !was_off { q::purge_drafts(&mut tx, Some(ws), None).await? } else { 0 };
    let detail = format!("mode:{} provider:{} purged:{purged}", r.mode, r.provider);
    audit::record(
        app,
        &mut tx,
        ws.as_str(),
        &access.actor,
        "assistant.settings",
        Some(("workspace", ws.as_str())),
        &detail,
    )
    .await?;
    tx.commit().await?;
    parse_row(&r)
}

pub async fn set_knowledge(app: &Inbox, access: &Access, k: Knowledge) -> AppResult<Knowledge> {
    if let Err(problems) = k.validate() {
        let first = &problems[0];
        let all = problems.iter().take(5).map(|p| format!("{}: {}", p.field, p.message)).collect::<Vec<_>>().join("; ");
        let code: &'static str = match first.code.as_str() {
            "too_long" => "too_long",
            "too_many" => "too_many",
            "required" => "required",
            _ => "invalid_knowledge",
        };
        return Err(AppError::invalid("knowledge", code, all));
    }
    let ws = &access.workspace.id;
    let mut tx = app.db.begin().await?;
    let mut r = row(&mut tx, ws).await?;
    r.knowledge = serde_json::to_string(&k).map_err(|_| AppError::internal())?;
    r.updated_at = app.now().0;
    q::save_settings(&mut tx, ws, &r).await?;
    let detail = format!("services:{} faq:{} documents:{}", k.services.len(), k.faq.len(), k.documents.len());
    audit::record(
        app,
        &mut tx,
        ws.as_str(),
        &access.actor,
        "assistant.knowledge",
        Some(("workspace", ws.as_str())),
        &detail,
    )
    .await?;
    tx.commit().await?;
    Ok(k)
}

/// Built indexes per workspace, rebuilt when the settings change (building a large base takes
/// a tenth of a second; answering takes microseconds).
type IndexCache = Mutex<HashMap<String, (i64, Arc<Index>)>>;

fn index_for(ws: &WorkspaceId, s: &Settings) -> Arc<Index> {
    static CACHE: OnceLock<IndexCache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    // The business's name (a rename touches only the workspace row) and profile feed the index too.
    let business = s.business.as_ref().map_or(0, |(name, p)| {
        name.bytes().fold(p.updated_at.rotate_left(17) as u64, |a, b| (a ^ b as u64).wrapping_mul(0x100_0000_01b3))
            as i64
    });
    let version = s.updated_at ^ s.hours_version ^ business;
    if let Some((at, idx)) = cache.lock().ok().and_then(|m| m.get(ws.as_str()).cloned()) {
        if at == version {
            return idx;
        }
    }
    let idx = Arc::new(Index::build(&with_business(
        with_business_hours(s.knowledge(), s.schedule.as_ref()),
        s.business.as_ref(),
    )));
    if let Ok(mut m) = cache.lock() {
        if m.len() > 512 {
            m.clear();
        }
        m.insert(ws.to_string(), (version, idx.clone()));
    }
    idx
}

/// The business hours page is the one place for opening hours: when the knowledge base gives
/// none, the assistant answers from the workspace's business hours and closed dates.
fn with_business_hours(mut k: Knowledge, schedule: Option<&frontdesk_core::hours::Schedule>) -> Knowledge {
    let Some(s) = schedule else { return k };
    if k.profile.hours.is_empty() {
        k.profile.hours = s
            .ranges
            .iter()
            .filter_map(|r| {
                serde_json::from_value(serde_json::json!({ "day": r.day, "open": r.open, "close": r.close })).ok()
            })
            .collect();
    }
    if k.profile.holidays.is_empty() {
        k.profile.holidays =
            s.closed_dates.iter().map(|d| frontdesk_assistant::Holiday { date: d.clone(), note: None }).collect();
    }
    k
}

/// The business profile is the one place for the business's name and contact details: what
/// it gives replaces the knowledge base's own.
fn with_business(mut k: Knowledge, business: Option<&(String, frontdesk_platform::profile::Profile)>) -> Knowledge {
    let Some((name, p)) = business else { return k };
    if !name.trim().is_empty() {
        k.profile.name = name.clone();
    }
    for (field, value) in [
        (&mut k.profile.address, &p.address),
        (&mut k.profile.phone, &p.phone),
        (&mut k.profile.email, &p.email),
        (&mut k.profile.website, &p.website),
    ] {
        if value.is_some() {
            field.clone_from(value);
        }
    }
    if !p.languages.is_empty() {
        k.profile.languages = p
            .languages
            .iter()
            .map(|code| {
                frontdesk_core::profile::LANGUAGES
                    .iter()
                    .find(|(c, _)| c == code)
                    .map_or_else(|| code.clone(), |(_, name)| name.to_string())
            })
            .collect();
    }
    k
}

/// Settings with the business hours the assistant uses alongside its knowledge base.
async fn effective(c: &mut Conn, ws: &WorkspaceId) -> AppResult<Settings> {
    let mut s = parse_row(&row(c, ws).await?)?;
    let h = ws_settings::hours(c, ws).await?;
    s.hours_version = h.schedule.as_deref().map_or(0, |x| {
        x.bytes()
            .chain(h.time_zone.as_deref().unwrap_or_default().bytes())
            .fold(0xcbf2_9ce4_8422_2325u64, |a, b| (a ^ b as u64).wrapping_mul(0x100_0000_01b3)) as i64
    });
    s.schedule = crate::hours::schedule_of(&h);
    let name = wq::by_id(c, ws).await?.map(|w| w.name).unwrap_or_default();
    s.business = Some((name, frontdesk_platform::profile::of(c, ws).await?));
    Ok(s)
}

/// Phone numbers and email addresses replaced before text leaves for an external provider.
pub fn mask(text: &str) -> String {
    let emails: String = text
        .split_inclusive(char::is_whitespace)
        .map(|w| {
            let core = w.trim_end().trim_end_matches(['.', ',', ';', '!', '?', ')']);
            let at = core.find('@');
            if at.is_some_and(|i| i > 0 && core[i..].contains('.')) {
                w.replacen(core, "[email]", 1)
            } else {
                w.to_string()
            }
        })
        .collect();
    // Phone numbers: a run of digits, spaces and + - ( ) . with at least seven digits.
    let chars: Vec<char> = emails.chars().collect();
    let mut out = String::with_capacity(emails.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts = (c.is_ascii_digit() || c == '+' || c == '(') && (i == 0 || !chars[i - 1].is_alphanumeric());
        if starts {
            let mut end = i;
            while end < chars.len() && (chars[end].is_ascii_digit() || " -().+".contains(chars[end])) {
                end += 1;
            }
            while end > i && !chars[end - 1].is_ascii_digit() {
                end -= 1;
            }
            let run: String = chars[i..end].iter().collect();
            let digits = run.chars().filter(|c| c.is_ascii_digit()).count();
            // 2026-11-24 is a date, not a phone number.
            let date = run.len() == 10
                && run.chars().enumerate().all(|(k, c)| if k == 4 || k == 7 { c == '-' } else { c.is_ascii_digit() });
            if digits >= 7 && !date && (end == chars.len() || !chars[end].is_alphanumeric()) {
                out.push_str("[phone]");
                i = end;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

fn lang_of(s: Option<&str>) -> Option<Lang> {
    s.and_then(|l| Lang::parse(l.get(..2).unwrap_or(l)))
}

fn system_prompt(business: &str, lang: Lang, facts: &[String]) -> String {
    let lang = match lang {
        Lang::En => "English",
        Lang::Es => "Spanish",
    };
    format!(
        "You answer customers of {business} in {lang}, briefly and politely. Use only the facts below; never invent prices, \
         times, dates, addresses or numbers. If the facts do not answer the question, reply with exactly HANDOVER.\n\nFacts:\n{}",
        facts.iter().map(|f| format!("- {f}")).collect::<Vec<_>>().join("\n")
    )
}

/// What the assistant made of the customer's latest message.
struct Made {
    reply: Reply,
    grounded: bool,
    provider: String,
    model: Option<String>,
}

async fn ledger(
    app: &Inbox,
    ws: &WorkspaceId,
    thread: &ThreadId,
    provider: &str,
    model: &str,
    calls: &[llm::Call],
    first: AiCallId,
) -> AppResult<()> {
    let mut c = app.db.conn().await?;
    for (k, x) in calls.iter().enumerate() {
        q::insert_call(
            &mut c,
            &Call {
                id: if k == 0 { first.clone() } else { AiCallId::new() },
                workspace_id: ws.clone(),
                thread_id: Some(thread.to_string()),
                provider: provider.into(),
                model: Some(model.into()),
                purpose: "draft_reply".into(),
                bytes_sent: x.bytes_sent,
                bytes_received: x.bytes_received,
                tokens_in: x.tokens_in,
                tokens_out: x.tokens_out,
                payload_sha256: x.payload_sha256.clone(),
                outcome: x.outcome.clone(),
                at: app.now().0,
            },
        )
        .await?;
    }
    Ok(())
}

/// Answers `question` with the workspace's provider. Nothing but the retrieved facts of this
/// workspace and the customer's (masked) question leaves for an external provider.
async fn make(
    app: &Inbox,
    ws: &WorkspaceId,
    (thread, call_key): (&ThreadId, &str),
    s: &Settings,
    question: &str,
    ctx: &Context,
    business: &str,
) -> AppResult<Made> {
    let index = index_for(ws, s);
    let local = index.answer(question, ctx);
    if s.provider == "local" || matches!(local.outcome, Outcome::HumanRequested(_)) {
        let grounded = local.is_answer();
        return Ok(Made { reply: local, grounded, provider: "local".into(), model: None });
    }
    let lang = local.lang;
    let hits = index.retrieve(question, 8);
    let facts: Vec<String> = hits.iter().map(|h| h.fact.text(lang).to_string()).collect();
    let used: Vec<&frontdesk_assistant::Fact> = hits.iter().map(|h| h.fact).collect();
    let user = if s.mask_personal_data { mask(question) } else { question.to_string() };
    let system = system_prompt(business, lang, &facts);
    let call_id = AiCallId::new();
    // The wallet's reservation for the tokens of this call, when it pays for them.
    let mut tokens: Option<(String, frontdesk_platform::ports::TokenPrices)> = None;
    let (kind, base, model, key) = match (&app.inbox.platform_model, s.provider.as_str()) {
        // The operator's model: the plan allows it and the call is counted (the wallet pays
        // beyond the quota) before it is made, once per message; beyond the quota the wallet
        // also reserves the most its tokens can cost (a token is at least a byte: the prompt's
        // bytes bound its input tokens; the answer is capped at MAX_TOKENS), under
        // `ai_call:<call id>`, settled at the tokens the provider reports. Without credit, or
        // while restricted, the local assistant answers.
        (Some(pm), "platform") => {
            let mut tx = app.db.begin().await?;
            let plan = app.entitlements();
            let ok = async {
                plan.allow(&mut tx, ws, frontdesk_platform::ports::Use::PaidAi).await?;
                plan.charge(&mut tx, ws, frontdesk_platform::ports::Meter::AiCall, 1, call_key).await?;
                if let Some(prices) = plan.token_prices(&mut tx, ws).await? {
                    let bound = (system.len() + user.len()) as i64 + 64;
                    let most = prices.cost(bound, llm::MAX_TOKENS);
                    let key = format!("ai_call:{call_id}");
                    app.platform.wallet().reserve(&mut tx, ws, &key, most).await?;
                    tokens = Some((key, prices));
                }
                Ok::<(), AppError>(())
            }
            .await;
            match ok {
                Ok(()) => tx.commit().await?,
                Err(e) if matches!(e.code, "workspace_restricted" | "insufficient_credit") => {
                    tracing::info!(workspace = %ws, reason = e.code, "the operator's model is not available: local answer");
                    let grounded = local.is_answer();
                    return Ok(Made { reply: local, grounded, provider: "local".into(), model: None });
                }
                Err(e) => return Err(e),
            }
            let kind = if pm.kind == "anthropic" { llm::Kind::Anthropic } else { llm::Kind::OpenAi };
            (kind, pm.base_url.clone(), pm.model.clone(), pm.api_key.clone())
        }
        (None, "platform") => {
            let grounded = local.is_answer();
            return Ok(Made { reply: local, grounded, provider: "local".into(), model: None });
        }
        _ => {
            let kind = if s.provider == "anthropic" { llm::Kind::Anthropic } else { llm::Kind::OpenAi };
            let key = match &s.sealed_key {
                None => None,
                Some(sealed) => Some(
                    String::from_utf8(
                        app.vault.open(key_place(ws.as_str()), sealed).map_err(|_| AppError::internal())?,
                    )
                    .map_err(|_| AppError::internal())?,
                ),
            };
            (kind, s.base_url.clone().unwrap_or_default(), s.model.clone().unwrap_or_default(), key)
        }
    };
    let endpoint = Endpoint { kind, base_url: &base, model: &model, api_key: key.as_deref() };
    let (result, calls) = llm::complete(app, &endpoint, &system, &user).await;
    ledger(app, ws, thread, kind.as_str(), &model, &calls, call_id).await?;
    if let Some((key, prices)) = &tokens {
        // Settled at what the provider reports it used (all of the reservation when it reports
        // nothing), or given back when the call failed.
        let mut tx = app.db.begin().await?;
        if result.is_ok() {
            let ok: Vec<&llm::Call> = calls.iter().filter(|x| x.outcome == "ok").collect();
            let actual = match ok.iter().map(|x| x.tokens_in.zip(x.tokens_out)).collect::<Option<Vec<_>>>() {
                Some(t) if !t.is_empty() => {
                    let (i, o) = t.iter().fold((0, 0), |(a, b), (x, y)| (a + x, b + y));
                    prices.cost(i, o)
                }
                _ => frontdesk_core::money::Micros(i64::MAX),
            };
            app.platform.wallet().settle(&mut tx, ws, key, actual).await?;
        } else {
            app.platform.wallet().release(&mut tx, ws, key).await?;
        }
        tx.commit().await?;
    }
    let text = result.map_err(|e| {
        let kind = if e.transient { ErrorKind::Unavailable } else { ErrorKind::Conflict };
        AppError::new(kind, e.code, e.message)
    })?;
    let text = text.trim().to_string();
    let ids: Vec<String> = hits.iter().map(|h| h.fact.id.clone()).collect();
    let (outcome, ok) = if text.is_empty() || text.contains("HANDOVER") {
        (Outcome::Handover(frontdesk_assistant::handover_text(lang).into()), false)
    } else {
        let ok = grounded(&text, &used).is_ok();
        (Outcome::Answer(text), ok)
    };
    Ok(Made {
        reply: Reply { lang, outcome, facts: ids },
        grounded: ok,
        provider: kind.as_str().into(),
        model: Some(model),
    })
}

fn outcome_code(o: &Outcome) -> &'static str {
    match o {
        Outcome::Answer(_) => "answer",
        Outcome::Handover(_) => "handover",
        Outcome::HumanRequested(_) => "human_requested",
    }
}

/// Drafts an answer to the customer's message `m` (the latest in thread `t`) and stores it;
/// `None` when the message has no text to answer.
async fn draft_thread(
    app: &Inbox,
    t: &Thread,
    m: &Message,
    s: &Settings,
    actor: &Actor,
) -> AppResult<Option<(Draft, Made)>> {
    let (ws, thread) = (&t.workspace_id, &t.id);
    let Some(question) = m.body.clone().filter(|b| !b.trim().is_empty()) else { return Ok(None) };
    let mut c = app.db.conn().await?;
    let contact = iq::contact(&mut c, ws, &t.contact_id).await?;
    let business = wq::by_id(&mut c, ws).await?.map(|w| w.name).unwrap_or_default();
    drop(c);
    let slots = match &app.contact_ports.slots {
        Some(src) => src.offer(ws, 7).await.unwrap_or_else(|e| {
            tracing::warn!(error = %e.message, "free slots unavailable for the assistant");
            vec![]
        }),
        None => vec![],
    };
    let ctx = Context {
        lang_hint: lang_of(contact.as_ref().and_then(|k| k.language.as_deref())),
        today: s.today(app.now().0),
        slots: slots
            .into_iter()
            .map(|o| frontdesk_assistant::FreeSlot { service: Some(o.service), start: o.start })
            .collect(),
    };
    // Counted once per message, however often it is drafted again.
    let call_key = format!("ai_draft:{}", m.id);
    let made = make(app, ws, (thread, &call_key), s, &question, &ctx, &business).await?;
    let now = app.now().0;
    let d = Draft {
        id: DraftId::new(),
        workspace_id: ws.clone(),
        thread_id: thread.clone(),
        message_id: Some(m.id.to_string()),
        text: made.reply.text().to_string(),
        lang: made.reply.lang.as_str().into(),
        outcome: outcome_code(&made.reply.outcome).into(),
        provider: made.provider.clone(),
        model: made.model.clone(),
        facts: serde_json::to_string(&made.reply.facts).unwrap_or_else(|_| "[]".into()),
        grounded: made.grounded,
        status: "draft".into(),
        created_at: now,
        updated_at: now,
        ..Default::default()
    };
    let mut tx = app.db.begin().await?;
    q::insert_draft(&mut tx, &d).await?;
    let detail = format!("{}:{} grounded:{}", d.provider, d.outcome, d.grounded);
    audit::record(app, &mut tx, ws.as_str(), actor, "ai.draft", Some(("thread", thread.as_str())), &detail).await?;
    let ch = cq::in_workspace(&mut tx, ws, &t.channel_id).await?;
    tx.commit().await?;
    if let Some(ch) = ch {
        // Open inbox pages show the new draft.
        app.live.publish(crate::live::live("thread.updated", &ch, thread, &t.contact_id, None));
    }
    Ok(Some((d, made)))
}

fn ai_off() -> AppError {
    AppError::new(ErrorKind::Conflict, "ai_off", "The assistant is off for this conversation's channel.")
}

/// Is the contact's processing restricted (a data-subject request): no AI drafts, no
/// automatic replies.
pub async fn restricted(c: &mut Conn, ws: &WorkspaceId, contact: &frontdesk_core::ContactId) -> AppResult<bool> {
    Ok(iq::contact(c, ws, contact).await?.is_some_and(|k| k.restricted_at.is_some()))
}

/// An agent asks for a draft now (the composer's button).
pub async fn draft_now(app: &Inbox, access: &Access, thread: &str) -> AppResult<Draft> {
    let id = ThreadId::parse(thread).ok_or_else(|| AppError::not_found("The thread"))?;
    let ws = &access.workspace.id;
    let mut c = app.db.conn().await?;
    let s = effective(&mut c, ws).await?;
    let t = iq::thread(&mut c, ws, &id).await?.ok_or_else(|| AppError::not_found("The thread"))?;
    if restricted(&mut c, ws, &t.contact_id).await? {
        return Err(AppError::new(
            ErrorKind::Conflict,
            "processing_restricted",
            "This customer asked to restrict the processing of their data: no AI drafts.",
        ));
    }
    let latest = iq::latest_inbound_message(&mut c, ws, &id).await?;
    drop(c);
    if s.mode_for(t.channel_id.as_str()) == Mode::Off {
        return Err(ai_off());
    }
    let nothing =
        || AppError::new(ErrorKind::Conflict, "nothing_to_answer", "The customer has not written anything to answer.");
    let m = latest.ok_or_else(nothing)?;
    draft_thread(app, &t, &m, &s, &access.actor).await?.map(|(d, _)| d).ok_or_else(nothing)
}

pub async fn drafts(app: &Inbox, access: &Access, thread: &str) -> AppResult<Vec<Draft>> {
    let id = ThreadId::parse(thread).ok_or_else(|| AppError::not_found("The thread"))?;
    let ws = &access.workspace.id;
    let mut c = app.db.conn().await?;
    // An empty list would tell a caller nothing is there; another workspace's thread is not found.
    iq::thread(&mut c, ws, &id).await?.ok_or_else(|| AppError::not_found("The thread"))?;
    Ok(q::drafts_of_thread(&mut c, ws, &id).await?)
}

fn draft_not_found() -> AppError {
    AppError::not_found("The draft")
}

pub async fn draft(app: &Inbox, access: &Access, id: &DraftId) -> AppResult<Draft> {
    let mut c = app.db.conn().await?;
    q::draft_in(&mut c, &access.workspace.id, id).await?.ok_or_else(draft_not_found)
}

/// A person sends a draft, as written or edited. The send is an ordinary reply (the gate
/// decides, as for any agent), idempotent per draft.
pub async fn send_draft(app: &Inbox, access: &Access, id: &str, edited: Option<String>) -> AppResult<outbox::Queued> {
    let did = DraftId::parse(id).ok_or_else(draft_not_found)?;
    let ws = &access.workspace.id;
    let mut c = app.db.conn().await?;
    let d = q::draft_in(&mut c, ws, &did).await?.ok_or_else(draft_not_found)?;
    drop(c);
    let text = edited.clone().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).unwrap_or(d.text.clone());
    let changed = text != d.text;
    if d.status == "sent" {
        // A retried click: the same message.
        let input = SendInput { text, idempotency_key: Some(format!("draft:{did}")), ..Default::default() };
        return outbox::send(app, access, d.thread_id.as_str(), input).await;
    }
    if d.status != "draft" {
        return Err(AppError::new(ErrorKind::Conflict, "draft_decided", "This draft was already discarded or sent."));
    }
    let input = SendInput { text: text.clone(), idempotency_key: Some(format!("draft:{did}")), ..Default::default() };
    let sent = outbox::send(app, access, d.thread_id.as_str(), input).await;
    let mut tx = app.db.begin().await?;
    let (action, detail) = match &sent {
        Ok(_) if changed => ("ai.edit", "gate:allowed".to_string()),
        Ok(_) => ("ai.approve", "gate:allowed".to_string()),
        Err(e) => (if changed { "ai.edit" } else { "ai.approve" }, format!("gate:{}", e.code)),
    };
    if let Ok(q_) = &sent {
        q::decide_draft(
            &mut tx,
            &did,
            "sent",
            changed.then_some(text.as_str()),
            Some(q_.message.id.as_str()),
            access.actor.id.as_deref(),
            app.now(),
        )
        .await?;
    }
    audit::record(app, &mut tx, ws.as_str(), &access.actor, action, Some(("draft", did.as_str())), &detail).await?;
    tx.commit().await?;
    sent
}

pub async fn discard_draft(app: &Inbox, access: &Access, id: &str) -> AppResult<()> {
    let did = DraftId::parse(id).ok_or_else(draft_not_found)?;
    let ws = &access.workspace.id;
    let mut tx = app.db.begin().await?;
    q::draft_in(&mut tx, ws, &did).await?.ok_or_else(draft_not_found)?;
    if !q::decide_draft(&mut tx, &did, "discarded", None, None, access.actor.id.as_deref(), app.now()).await? {
        return Err(AppError::new(ErrorKind::Conflict, "draft_decided", "This draft was already discarded or sent."));
    }
    audit::record(app, &mut tx, ws.as_str(), &access.actor, "ai.discard", Some(("draft", did.as_str())), "discarded")
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The ledger of calls to external providers, newest first.
pub async fn calls(app: &Inbox, access: &Access, limit: i64) -> AppResult<Vec<Call>> {
    let mut c = app.db.conn().await?;
    Ok(q::calls(&mut c, &access.workspace.id, limit.clamp(1, 10_000)).await?)
}

/// Whether (and how) the assistant answers on each channel: what intake and the away reply
/// need, without the knowledge base.
#[derive(Clone, Debug)]
pub(crate) struct Modes {
    mode: Mode,
    channel_modes: BTreeMap<String, Mode>,
    pub auto_in_hours_only: bool,
}

impl Modes {
    pub fn mode_for(&self, channel: &str) -> Mode {
        self.channel_modes.get(channel).copied().unwrap_or(self.mode)
    }
}

/// A workspace's assistant as intake sees it: `None` until it is set up (a workspace that never
/// saved assistant settings or a knowledge base gets no drafts and no jobs).
pub(crate) async fn rule(c: &mut Conn, ws: &WorkspaceId) -> AppResult<Option<Modes>> {
    let Some((mode, channel_modes, auto_in_hours_only)) = q::modes(c, ws).await? else { return Ok(None) };
    Ok(Some(Modes {
        mode: Mode::parse(&mode).ok_or_else(|| AppError::corrupt("assistant_settings.mode", &mode))?,
        channel_modes: serde_json::from_str(&channel_modes).unwrap_or_default(),
        auto_in_hours_only,
    }))
}

/// Intake, after storing a customer's message: queue the assistant's job unless it is off for
/// the channel (no job, no provider call).
pub(crate) async fn after_inbound(
    app: &Inbox,
    c: &mut Conn,
    s: &Modes,
    ws: &WorkspaceId,
    channel: &str,
    message: &MessageId,
) -> AppResult<()> {
    if s.mode_for(channel) == Mode::Off {
        return Ok(());
    }
    jobs::enqueue_with_id(
        app,
        c,
        &JobId::new(),
        REPLY_JOB,
        &format!("{ws} {message}"),
        Some(&format!("ai:{message}")),
        5,
    )
    .await?;
    Ok(())
}

/// The assistant acting on its own (an automatic answer): marked as the assistant's.
fn system_actor() -> Actor {
    Actor { kind: "system", id: Some("assistant".into()), ip: None }
}

fn db(e: impl std::fmt::Display) -> JobError {
    JobError::Transient(e.to_string())
}

/// What the automatic-reply decision looks at, read by the job.
#[derive(Clone, Copy, Debug)]
pub struct AutoFacts {
    /// The customer asked for a person earlier in this thread.
    pub paused: bool,
    /// `answer`, `handover` or `human_requested`.
    pub outcome: &'static str,
    pub grounded: bool,
    /// Every fact the answer uses is of an allowed topic.
    pub topics_allowed: bool,
    /// The workspace wants automatic replies only while open.
    pub hours_only: bool,
    /// Open now (`None`: no business hours set).
    pub open: Option<bool>,
}

/// Why an automatic reply stays a draft; `None`: it may go to the policy gate. (The gate
/// decides last, as automated text.) A request for a person is answered with the hand-over
/// sentence, which promises a person and nothing else.
pub fn hold(f: AutoFacts) -> Option<&'static str> {
    match f.outcome {
        "human_requested" => return None,
        _ if f.paused => return Some("assistant_paused"),
        "handover" => return Some("no_answer"),
        _ => {}
    }
    if !f.grounded {
        Some("not_grounded")
    } else if !f.topics_allowed {
        Some("topic_not_allowed")
    } else if f.hours_only && f.open == Some(false) {
        Some("outside_hours")
    } else {
        None
    }
}

fn hold_reason(app: &Inbox, ws: &WorkspaceId, s: &Settings, made: &Made, paused: bool) -> Option<&'static str> {
    let index = index_for(ws, s);
    let topics_allowed = made
        .reply
        .facts
        .iter()
        .all(|id| index.fact(id).is_some_and(|f| s.allow_topics.iter().any(|t| t == topic_of(f.kind))));
    hold(AutoFacts {
        paused,
        outcome: outcome_code(&made.reply.outcome),
        grounded: made.grounded,
        topics_allowed,
        hours_only: s.auto_in_hours_only,
        open: s.open_at(app.now().0),
    })
}

/// The `ai.reply` job: a draft for the customer's message; in auto mode, sent when every
/// condition holds. A request for a person pauses the assistant for the thread.
pub async fn reply(app: Inbox, job: frontdesk_platform::repo::jobs::Job) -> Result<(), JobError> {
    let bad = || JobError::Permanent("bad ai payload".into());
    let (ws, mid) = job.payload.split_once(' ').ok_or_else(bad)?;
    let ws = WorkspaceId::parse(ws).ok_or_else(bad)?;
    let mid = MessageId::parse(mid).ok_or_else(bad)?;
    let mut c = app.db.conn().await.map_err(db)?;
    let Some(m) = iq::message(&mut c, &ws, &mid).await.map_err(db)? else { return Ok(()) };
    let Some(t) = iq::thread(&mut c, &ws, &m.thread_id).await.map_err(db)? else { return Ok(()) };
    let s = effective(&mut c, &ws).await.map_err(db)?;
    let mode = s.mode_for(t.channel_id.as_str());
    let paused = q::thread_paused(&mut c, &ws, &t.id).await.map_err(db)?.is_some();
    // A contact whose processing is restricted (a data-subject request) gets no AI drafts.
    if restricted(&mut c, &ws, &t.contact_id).await.map_err(db)? {
        return Ok(());
    }
    // Only the customer's latest message gets a draft (a burst of messages: one draft).
    let latest = iq::latest_inbound_message(&mut c, &ws, &t.id).await.map_err(db)?.map(|x| x.id);
    drop(c);
    if mode == Mode::Off || latest.as_ref() != Some(&mid) {
        return Ok(());
    }
    if paused && !m.body.as_deref().is_some_and(wants_human) {
        return Ok(());
    }
    let actor = system_actor();
    let made = match draft_thread(&app, &t, &m, &s, &actor).await {
        Ok(Some(x)) => x,
        Ok(None) => return Ok(()),
        Err(e) if e.kind == ErrorKind::Unavailable => return Err(JobError::Transient(e.message)),
        Err(e) => {
            tracing::info!(code = e.code, "the assistant could not draft");
            return Ok(());
        }
    };
    let (draft, made) = made;
    let mut tx = app.db.begin().await.map_err(db)?;
    if matches!(made.reply.outcome, Outcome::HumanRequested(_)) {
        q::pause_thread(&mut tx, &ws, &t.id, Some(app.now().0)).await.map_err(db)?;
        audit::record(
            &app,
            &mut tx,
            ws.as_str(),
            &actor,
            "ai.handover",
            Some(("thread", t.id.as_str())),
            "human_requested",
        )
        .await
        .map_err(db)?;
    }
    if mode != Mode::Auto {
        tx.commit().await.map_err(db)?;
        return Ok(());
    }
    if let Some(why) = hold_reason(&app, &ws, &s, &made, paused) {
        q::hold_draft(&mut tx, &draft.id, why).await.map_err(db)?;
        audit::record(&app, &mut tx, ws.as_str(), &actor, "ai.hold", Some(("draft", draft.id.as_str())), why)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        return Ok(());
    }
    let mut text = draft.text.clone();
    if s.disclosure_enabled && !s.disclosure_text.is_empty() {
        let disclosure = if is_default_disclosure(&s.disclosure_text) {
            let lang = match made.reply.lang {
                Lang::Es => frontdesk_i18n::Lang::Es,
                Lang::En => frontdesk_i18n::Lang::En,
            };
            frontdesk_i18n::tl!(lang, "customer-ai-disclosure")
        } else {
            s.disclosure_text.clone()
        };
        text = format!("{text}\n\n{disclosure}");
    }
    let out = OutDraft {
        text,
        reply_to: None,
        key: Some(format!("draft:{}", draft.id)),
        actor: &actor,
        sender: Sender::Automated,
        may_send: true,
        purpose: Some("ai_auto"),
        file: None,
    };
    match outbox::queue(&app, &mut tx, &t, out).await.map_err(db)? {
        Queue::Queued(qd) => {
            let (msg, ch) = *qd;
            q::decide_draft(&mut tx, &draft.id, "auto_sent", None, Some(msg.id.as_str()), None, app.now())
                .await
                .map_err(db)?;
            audit::record(
                &app,
                &mut tx,
                ws.as_str(),
                &actor,
                "ai.auto_send",
                Some(("draft", draft.id.as_str())),
                "gate:allowed",
            )
            .await
            .map_err(db)?;
            tx.commit().await.map_err(db)?;
            app.live.publish(crate::live::live("message.created", &ch, &t.id, &t.contact_id, Some(&msg.id)));
        }
        Queue::Denied(d) => {
            q::hold_draft(&mut tx, &draft.id, d.code()).await.map_err(db)?;
            audit::record(&app, &mut tx, ws.as_str(), &actor, "ai.hold", Some(("draft", draft.id.as_str())), d.code())
                .await
                .map_err(db)?;
            tx.commit().await.map_err(db)?;
        }
        Queue::KeyTaken => tx.commit().await.map_err(db)?,
    }
    Ok(())
}

/// Whether the customer asked for a person in this thread (the assistant stays out).
pub async fn paused(app: &Inbox, access: &Access, thread: &ThreadId) -> AppResult<bool> {
    let mut c = app.db.conn().await?;
    Ok(q::thread_paused(&mut c, &access.workspace.id, thread).await?.is_some())
}

/// Resumes the assistant in a thread where the customer had asked for a person.
pub async fn resume(app: &Inbox, access: &Access, thread: &str) -> AppResult<()> {
    let id = ThreadId::parse(thread).ok_or_else(|| AppError::not_found("The thread"))?;
    let ws = &access.workspace.id;
    let mut tx = app.db.begin().await?;
    iq::thread(&mut tx, ws, &id).await?.ok_or_else(|| AppError::not_found("The thread"))?;
    q::pause_thread(&mut tx, ws, &id, None).await?;
    audit::record(app, &mut tx, ws.as_str(), &access.actor, "ai.resume", Some(("thread", id.as_str())), "resumed")
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The scheduler's retention pass: drafts older than each workspace's retention days.
pub async fn purge_expired(app: &Inbox) -> AppResult<u64> {
    let mut c = app.db.conn().await?;
    let mut n = 0;
    for (ws, days) in q::retentions(&mut c).await? {
        let before = app.now().0 - days.max(1) * 86_400_000;
        n += q::purge_drafts(&mut c, Some(&ws), Some(before)).await?;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::{hold, mask, with_business, AutoFacts};

    #[test]
    fn the_business_profile_is_the_knowledge_bases_name_and_contact_details() {
        let mut k = frontdesk_assistant::Knowledge::default();
        k.profile.name = "Old name".into();
        k.profile.phone = Some("111".into());
        k.profile.website = Some("https://kb.example".into());
        let p = frontdesk_platform::profile::Profile {
            phone: Some("+34 600 11 22 33".into()),
            languages: vec!["es".into(), "en".into()],
            ..Default::default()
        };
        let k = with_business(k, Some(&("Salón Lucía".to_string(), p)));
        assert_eq!(k.profile.name, "Salón Lucía");
        assert_eq!(k.profile.phone.as_deref(), Some("+34 600 11 22 33"));
        // What the profile leaves empty, the knowledge base still gives.
        assert_eq!(k.profile.website.as_deref(), Some("https://kb.example"));
        assert_eq!(k.profile.languages, ["Español", "English"]);
    }

    #[test]
    fn the_automatic_reply_table() {
        let ok = AutoFacts {
            paused: false,
            outcome: "answer",
            grounded: true,
            topics_allowed: true,
            hours_only: true,
            open: Some(true),
        };
        let cases: &[(AutoFacts, Option<&str>)] = &[
            (ok, None),
            (AutoFacts { open: None, ..ok }, None),
            (AutoFacts { open: Some(false), hours_only: false, ..ok }, None),
            (AutoFacts { open: Some(false), ..ok }, Some("outside_hours")),
            (AutoFacts { grounded: false, ..ok }, Some("not_grounded")),
            (AutoFacts { topics_allowed: false, ..ok }, Some("topic_not_allowed")),
            (AutoFacts { grounded: false, topics_allowed: false, ..ok }, Some("not_grounded")),
            (AutoFacts { outcome: "handover", ..ok }, Some("no_answer")),
            (AutoFacts { paused: true, ..ok }, Some("assistant_paused")),
            (AutoFacts { paused: true, outcome: "handover", ..ok }, Some("assistant_paused")),
            (AutoFacts { outcome: "human_requested", grounded: false, topics_allowed: false, ..ok }, None),
            (AutoFacts { outcome: "human_requested", paused: true, open: Some(false), ..ok }, None),
        ];
        for (facts, want) in cases {
            assert_eq!(hold(*facts), *want, "{facts:?}");
        }
    }

    #[test]
    fn phones_and_emails_are_masked_and_prices_and_times_are_not() {
        assert_eq!(
            mask("call me at +34 600 111 222 or ana.lopez@example.com, ok?"),
            "call me at [phone] or [email], ok?"
        );
        assert_eq!(mask("(650) 555-1234."), "[phone].");
        assert_eq!(mask("is 35 € right for 10:30 on 2026-11-24?"), "is 35 € right for 10:30 on 2026-11-24?");
        assert_eq!(mask("order A1234567"), "order A1234567");
    }
}
