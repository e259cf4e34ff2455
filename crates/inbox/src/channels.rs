//! Channels: a workspace's WhatsApp numbers, Instagram accounts, Telegram bots and web chats.
//! Credentials are sealed by the vault and write-only: nothing ever returns them.

use crate::repo::channels::{self as q, ChannelUpdate, NewChannel};
use crate::{AppError, AppResult, Inbox};
use frontdesk_core::inbox::ChannelKind;
use frontdesk_core::ChannelId;
use frontdesk_platform::audit;
use frontdesk_platform::crypto::random_token;
use frontdesk_platform::error::ErrorKind;
use frontdesk_platform::vault::Place;
use frontdesk_platform::workspaces::Access;
use serde::{Deserialize, Serialize};

pub use crate::repo::channels::Channel;

/// Settings that are not secret.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Settings {
    /// WhatsApp Business Account id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waba_id: Option<String>,
    /// Web chat: the sites (origins) allowed to embed it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allowed_origins: Vec<String>,
}

/// Credentials, sealed together.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Secrets {
    pub access_token: Option<String>,
    pub app_secret: Option<String>,
    pub verify_token: Option<String>,
    pub bot_token: Option<String>,
    /// Telegram: the secret we asked Telegram to send back on every delivery.
    pub secret_token: Option<String>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets(<redacted>)")
    }
}

impl Secrets {
    /// Which credentials are set (names only).
    pub fn names(&self) -> Vec<&'static str> {
        let mut v = vec![];
        for (n, s) in [
            ("access_token", &self.access_token),
            ("app_secret", &self.app_secret),
            ("verify_token", &self.verify_token),
            ("bot_token", &self.bot_token),
        ] {
            if s.is_some() {
                v.push(n);
            }
        }
        v
    }
}

/// What a caller sends to connect or change a channel. Absent fields stay as they are.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    pub kind: Option<String>,
    pub name: Option<String>,
    /// WhatsApp phone number id.
    pub phone_number_id: Option<String>,
    pub waba_id: Option<String>,
    /// Instagram professional account id.
    pub instagram_account_id: Option<String>,
    /// The Meta app the webhooks come from.
    pub app_id: Option<String>,
    pub access_token: Option<String>,
    pub app_secret: Option<String>,
    pub verify_token: Option<String>,
    pub bot_token: Option<String>,
    pub allowed_origins: Option<Vec<String>>,
    pub disabled: Option<bool>,
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Input").field("kind", &self.kind).field("name", &self.name).finish_non_exhaustive()
    }
}

pub fn settings_of(c: &Channel) -> Settings {
    serde_json::from_str(&c.config).unwrap_or_default()
}

fn place(c: &Channel) -> Place<'_> {
    Place { workspace: c.workspace_id.as_str(), table: "channels", column: "secrets", row: c.id.as_str() }
}

/// Opens a channel's credentials.
pub fn secrets_of(app: &Inbox, c: &Channel) -> AppResult<Secrets> {
    let Some(sealed) = &c.secrets else {
        return Ok(Secrets::default());
    };
    let bytes = app.vault.open(place(c), sealed).map_err(|e| {
        tracing::error!(channel = %c.id, error = %e, "channel credentials do not open");
        AppError::internal()
    })?;
    serde_json::from_slice(&bytes).map_err(|_| AppError::internal())
}

/// The URL providers deliver to.
pub fn webhook_url(app: &Inbox, c: &Channel) -> Option<String> {
    match c.kind {
        ChannelKind::Webchat => None,
        k => Some(format!("{}/webhooks/{}/{}", app.settings.base_url, k.as_str(), c.id)),
    }
}

/// The app-level URL for Meta channels that share one app.
pub fn app_webhook_url(app: &Inbox, c: &Channel) -> Option<String> {
    c.app_id.as_ref().map(|a| format!("{}/webhooks/meta/{a}", app.settings.base_url))
}

fn text_field(field: &'static str, v: Option<&str>, max: usize) -> AppResult<Option<String>> {
    match v.map(str::trim) {
        None => Ok(None),
        Some("") => Err(AppError::invalid(field, "required", "This field cannot be empty.")),
        Some(s) if s.chars().count() > max => {
            Err(AppError::invalid(field, "too_long", format!("At most {max} characters.")))
        }
        Some(s) if s.chars().any(char::is_control) => {
            Err(AppError::invalid(field, "invalid_value", "Control characters are not allowed."))
        }
        Some(s) => Ok(Some(s.to_string())),
    }
}

fn digits(field: &'static str, v: Option<&str>) -> AppResult<Option<String>> {
    let v = text_field(field, v, 40)?;
    if let Some(s) = &v {
        if !s.chars().all(|c| c.is_ascii_digit()) {
            return Err(AppError::invalid(field, "invalid_id", "Use the numeric id Meta shows for it."));
        }
    }
    Ok(v)
}

fn required<T>(field: &'static str, v: Option<T>) -> AppResult<T> {
    v.ok_or_else(|| AppError::invalid(field, "required", "This field is required for this kind of channel."))
}

fn origin(s: &str) -> AppResult<String> {
    let bad = || {
        AppError::invalid(
            "allowed_origins",
            "invalid_origin",
            format!("\"{s}\" is not an origin like https://example.com"),
        )
    };
    let u = url_parts(s).ok_or_else(bad)?;
    Ok(u)
}

/// `scheme://host[:port]` normalised to lower case, or `None`.
pub fn url_parts(s: &str) -> Option<String> {
    let s = s.trim().trim_end_matches('/');
    let (scheme, rest) = s.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    if rest.is_empty() || rest.contains('/') || rest.contains('?') || rest.contains('#') || rest.contains('@') {
        return None;
    }
    let ok = rest.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    ok.then(|| format!("{scheme}://{}", rest.to_ascii_lowercase()))
}

fn bot_id(token: &str) -> AppResult<String> {
    let bad = || {
        AppError::invalid("bot_token", "invalid_bot_token", "A bot token looks like 123456789:AA… (from @BotFather).")
    };
    let (id, secret) = token.split_once(':').ok_or_else(bad)?;
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_digit()) || secret.len() < 20 {
        return Err(bad());
    }
    if !secret.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return Err(bad());
    }
    Ok(id.to_string())
}

fn conflict() -> AppError {
    AppError::new(
        ErrorKind::Conflict,
        "channel_exists",
        "This account is already connected as a channel on this server.",
    )
}

async fn account_taken(app: &Inbox, kind: ChannelKind, account: &str, except: Option<&ChannelId>) -> AppResult<bool> {
    let mut c = app.db.conn().await?;
    let taken = q::active_by_account(&mut c, kind.as_str(), account).await?;
    Ok(taken.is_some_and(|t| Some(&t.id) != except))
}

/// Connects a channel.
pub async fn create(app: &Inbox, access: &Access, input: Input) -> AppResult<Channel> {
    let kind =
        input.kind.as_deref().and_then(ChannelKind::parse).ok_or_else(|| {
            AppError::invalid("kind", "invalid_kind", "Use whatsapp, instagram, telegram or webchat.")
        })?;
    let name = required("name", text_field("name", input.name.as_deref(), 80)?)?;
    {
        let mut c = app.db.conn().await?;
        app.entitlements().allow(&mut c, &access.workspace.id, frontdesk_platform::ports::Use::Channel).await?;
    }
    let id = ChannelId::new();
    let mut settings = Settings::default();
    let mut secrets = Secrets::default();
    let (account_id, app_id) = match kind {
        ChannelKind::Whatsapp => {
            settings.waba_id = Some(required("waba_id", digits("waba_id", input.waba_id.as_deref())?)?);
            secrets.access_token =
                Some(required("access_token", text_field("access_token", input.access_token.as_deref(), 1000)?)?);
            secrets.app_secret =
                Some(required("app_secret", text_field("app_secret", input.app_secret.as_deref(), 200)?)?);
            secrets.verify_token =
                Some(required("verify_token", text_field("verify_token", input.verify_token.as_deref(), 200)?)?);
            (
                required("phone_number_id", digits("phone_number_id", input.phone_number_id.as_deref())?)?,
                Some(required("app_id", digits("app_id", input.app_id.as_deref())?)?),
            )
        }
        ChannelKind::Instagram => {
            secrets.access_token =
                Some(required("access_token", text_field("access_token", input.access_token.as_deref(), 1000)?)?);
            secrets.app_secret =
                Some(required("app_secret", text_field("app_secret", input.app_secret.as_deref(), 200)?)?);
            secrets.verify_token =
                Some(required("verify_token", text_field("verify_token", input.verify_token.as_deref(), 200)?)?);
            (
                required(
                    "instagram_account_id",
                    digits("instagram_account_id", input.instagram_account_id.as_deref())?,
                )?,
                Some(required("app_id", digits("app_id", input.app_id.as_deref())?)?),
            )
        }
        ChannelKind::Telegram => {
            let token = required("bot_token", text_field("bot_token", input.bot_token.as_deref(), 200)?)?;
            let bot = bot_id(&token)?;
            secrets.bot_token = Some(token);
            secrets.secret_token = Some(random_token());
            (bot, None)
        }
        ChannelKind::Webchat => {
            settings.allowed_origins =
                input.allowed_origins.unwrap_or_default().iter().map(|o| origin(o)).collect::<AppResult<_>>()?;
            (id.to_string(), None)
        }
    };
    if account_taken(app, kind, &account_id, None).await? {
        return Err(conflict());
    }
    // Telegram is told where to deliver before the channel exists for us: if it refuses the
    // token, nothing is stored.
    if kind == ChannelKind::Telegram {
        let url = format!("{}/webhooks/telegram/{id}", app.settings.base_url);
        let (Some(token), Some(secret)) = (&secrets.bot_token, &secrets.secret_token) else {
            return Err(AppError::internal());
        };
        crate::providers::telegram_set_webhook(app, token, &url, secret).await?;
    }
    let config = serde_json::to_string(&settings).map_err(|_| AppError::internal())?;
    let ws = &access.workspace.id;
    let sealed = app.vault.seal(
        Place { workspace: ws.as_str(), table: "channels", column: "secrets", row: id.as_str() },
        &serde_json::to_vec(&secrets).map_err(|_| AppError::internal())?,
    );
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let new = NewChannel {
        id: &id,
        workspace_id: ws,
        kind: kind.as_str(),
        name: &name,
        account_id: &account_id,
        app_id: app_id.as_deref(),
        config: &config,
        secrets: Some(&sealed),
    };
    if let Err(e) = q::insert(&mut tx, new, now).await {
        return Err(if frontdesk_store::is_unique_violation(&e) { conflict() } else { e.into() });
    }
    audit::record(
        app,
        &mut tx,
        ws.as_str(),
        &access.actor,
        "channel.create",
        Some(("channel", id.as_str())),
        kind.as_str(),
    )
    .await?;
    let ch = q::by_id(&mut tx, &id).await?.ok_or_else(AppError::internal)?;
    tx.commit().await?;
    Ok(ch)
}

pub async fn list(app: &Inbox, access: &Access) -> AppResult<Vec<Channel>> {
    let mut c = app.db.conn().await?;
    Ok(q::list(&mut c, &access.workspace.id).await?)
}

pub async fn get(app: &Inbox, access: &Access, id: &str) -> AppResult<Channel> {
    let id = ChannelId::parse(id).ok_or_else(|| AppError::not_found("The channel"))?;
    let mut c = app.db.conn().await?;
    q::in_workspace(&mut c, &access.workspace.id, &id).await?.ok_or_else(|| AppError::not_found("The channel"))
}

/// Renames, replaces credentials, changes allowed origins, disables or enables a channel.
pub async fn update(app: &Inbox, access: &Access, id: &str, input: Input) -> AppResult<Channel> {
    let ch = get(app, access, id).await?;
    let kind = ch.kind;
    if input.kind.as_deref().is_some_and(|k| k != kind.as_str()) {
        return Err(AppError::invalid("kind", "immutable", "A channel's kind cannot change; connect a new channel."));
    }
    let fixed = [
        ("phone_number_id", input.phone_number_id.is_some()),
        ("instagram_account_id", input.instagram_account_id.is_some()),
        ("app_id", input.app_id.is_some()),
    ];
    if let Some((f, _)) = fixed.iter().find(|(_, set)| *set) {
        return Err(AppError::invalid(
            f,
            "immutable",
            "The account of a channel cannot change; connect a new channel.",
        ));
    }
    let name = text_field("name", input.name.as_deref(), 80)?.unwrap_or_else(|| ch.name.clone());
    let mut settings = settings_of(&ch);
    let mut secrets = secrets_of(app, &ch)?;
    if let Some(w) = digits("waba_id", input.waba_id.as_deref())? {
        settings.waba_id = Some(w);
    }
    if let Some(o) = &input.allowed_origins {
        if kind != ChannelKind::Webchat {
            return Err(AppError::invalid("allowed_origins", "not_applicable", "Only web chats have allowed origins."));
        }
        settings.allowed_origins = o.iter().map(|o| origin(o)).collect::<AppResult<_>>()?;
    }
    let mut changed_secrets = vec![];
    for (field, slot, value) in [
        ("access_token", &mut secrets.access_token, &input.access_token),
        ("app_secret", &mut secrets.app_secret, &input.app_secret),
        ("verify_token", &mut secrets.verify_token, &input.verify_token),
    ] {
        if let Some(v) = text_field(field, value.as_deref(), 1000)? {
            *slot = Some(v);
            changed_secrets.push(field);
        }
    }
    if let Some(t) = text_field("bot_token", input.bot_token.as_deref(), 200)? {
        if kind != ChannelKind::Telegram {
            return Err(AppError::invalid("bot_token", "not_applicable", "Only Telegram channels have a bot token."));
        }
        if bot_id(&t)? != ch.account_id {
            return Err(AppError::invalid(
                "bot_token",
                "immutable",
                "This token belongs to another bot; connect a new channel.",
            ));
        }
        let secret = random_token();
        let url = format!("{}/webhooks/telegram/{}", app.settings.base_url, ch.id);
        crate::providers::telegram_set_webhook(app, &t, &url, &secret).await?;
        secrets.bot_token = Some(t);
        secrets.secret_token = Some(secret);
        changed_secrets.push("bot_token");
    }
    let disabled_at = match input.disabled {
        Some(true) => ch.disabled_at.or(Some(app.now().0)),
        Some(false) => {
            if ch.disabled_at.is_some() && account_taken(app, kind, &ch.account_id, Some(&ch.id)).await? {
                return Err(conflict());
            }
            None
        }
        None => ch.disabled_at,
    };
    let config = serde_json::to_string(&settings).map_err(|_| AppError::internal())?;
    let sealed = app.vault.seal(place(&ch), &serde_json::to_vec(&secrets).map_err(|_| AppError::internal())?);
    let ws = &access.workspace.id;
    let mut tx = app.db.begin().await?;
    let u = ChannelUpdate { name: &name, config: &config, secrets: Some(&sealed), disabled_at };
    if let Err(e) = q::update(&mut tx, ws, &ch.id, u, app.now()).await {
        return Err(if frontdesk_store::is_unique_violation(&e) { conflict() } else { e.into() });
    }
    let target = Some(("channel", ch.id.as_str()));
    if disabled_at.is_some() != ch.disabled_at.is_some() {
        let action = if disabled_at.is_some() { "channel.disable" } else { "channel.enable" };
        audit::record(app, &mut tx, ws.as_str(), &access.actor, action, target, "ok").await?;
    }
    let outcome = if changed_secrets.is_empty() {
        "ok".to_string()
    } else {
        format!("credentials:{}", changed_secrets.join(","))
    };
    audit::record(app, &mut tx, ws.as_str(), &access.actor, "channel.update", target, &outcome).await?;
    let out = q::by_id(&mut tx, &ch.id).await?.ok_or_else(AppError::internal)?;
    tx.commit().await?;
    Ok(out)
}
