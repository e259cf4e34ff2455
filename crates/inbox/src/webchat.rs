//! The web chat: the channel a business embeds on its own site, needing no provider. A visitor
//! starts a conversation (an anonymous token, kept in the browser's storage, only its hash
//! here), sends messages and reads the thread; messages go through the same path as webhook
//! deliveries (contact, thread, dedupe, consent keywords, audit, live events).

use crate::channels::{self, Channel};
use crate::repo::channels as cq;
use crate::repo::inbox::{self as q, Contact, Message, Visitor};
use crate::{AppError, AppResult, Inbox};
use frontdesk_channels as wire;
use frontdesk_core::inbox::ChannelKind;
use frontdesk_core::{ChannelId, ContactId, VisitorId};
use frontdesk_platform::crypto::{random_token, token_hash};
use frontdesk_platform::error::ErrorKind;
use frontdesk_platform::ratelimit::Rule;

pub const TOKEN_PREFIX: &str = "fdv_";
pub const MAX_TEXT: usize = 4000;

fn unknown() -> AppError {
    AppError::new(ErrorKind::NotFound, "unknown_channel", "No web chat is connected at this address.")
}

/// The web chat channel, enabled.
pub async fn channel(app: &Inbox, id: &str) -> AppResult<Channel> {
    let id = ChannelId::parse(id).ok_or_else(unknown)?;
    let mut c = app.db.conn().await?;
    let ch = cq::by_id(&mut c, &id).await?.ok_or_else(unknown)?;
    if ch.kind != ChannelKind::Webchat {
        return Err(unknown());
    }
    if ch.disabled_at.is_some() {
        return Err(AppError::new(ErrorKind::Gone, "channel_disabled", "This chat is closed."));
    }
    Ok(ch)
}

/// Whether a browser on `origin` may use this chat: the business's listed sites, or our own.
pub fn origin_allowed(app: &Inbox, ch: &Channel, origin: &str) -> bool {
    let Some(o) = channels::url_parts(origin) else {
        return false;
    };
    let own = channels::url_parts(&app.settings.base_url);
    own.as_deref() == Some(o.as_str()) || channels::settings_of(ch).allowed_origins.contains(&o)
}

/// Refuses a site that is not on the channel's list, and counts the refusal for the channels
/// page (at most 200 counted per channel and hour: a flood cannot grow the table).
async fn check_origin(app: &Inbox, ch: &Channel, origin: Option<&str>) -> AppResult<()> {
    match origin {
        Some(o) if !origin_allowed(app, ch, o) => {
            if let Some(site) = channels::url_parts(o) {
                if limit(app, format!("chat-refusal|{}", ch.id), 200, 3600).is_ok() {
                    let now = app.now().0;
                    let day = frontdesk_core::hours::local_date("UTC", now).unwrap_or_default();
                    let mut c = app.db.conn().await?;
                    crate::repo::refusals::count(&mut c, &ch.workspace_id, &ch.id, &site, &day, now).await?;
                }
            }
            Err(AppError::new(ErrorKind::Forbidden, "origin_not_allowed", "This site is not allowed to use this chat."))
        }
        _ => Ok(()),
    }
}

/// The sites this web chat refused in the last 7 days: (origin, times, last time).
pub async fn refusals(app: &Inbox, ch: &Channel) -> AppResult<Vec<(String, i64, i64)>> {
    let day =
        frontdesk_core::hours::local_date("UTC", app.now().0 - 6 * frontdesk_core::Timestamp::DAY).unwrap_or_default();
    let mut c = app.db.conn().await?;
    Ok(crate::repo::refusals::since(&mut c, &ch.workspace_id, &ch.id, &day).await?)
}

fn limit(app: &Inbox, key: String, max: u32, window_secs: u64) -> AppResult<()> {
    app.limits.hit(app.clock.as_ref(), key, Rule { max, window_secs })
}

pub struct Started {
    pub token: String,
    pub visitor_id: VisitorId,
}

/// What a visitor says about themselves when they start: the pre-chat form's name and email or
/// phone, and the page's language.
#[derive(Clone, Copy, Debug, Default)]
pub struct Who<'a> {
    pub name: Option<&'a str>,
    pub contact: Option<&'a str>,
    /// `en`, `es` (another or none: the workspace's language serves them).
    pub lang: Option<&'a str>,
}

/// Starts a conversation: a new anonymous visitor (and contact) with its token.
pub async fn start(app: &Inbox, channel_id: &str, origin: Option<&str>, ip: &str, who: Who<'_>) -> AppResult<Started> {
    let Who { name, contact, lang } = who;
    let ch = channel(app, channel_id).await?;
    check_origin(app, &ch, origin).await?;
    limit(app, format!("chat-start|{ip}"), 30, 3600)?;
    let name = name.map(str::trim).filter(|n| !n.is_empty()).map(|n| n.chars().take(100).collect::<String>());
    if name.as_ref().is_some_and(|n| n.chars().any(char::is_control)) {
        return Err(AppError::invalid("name", "invalid_value", "Control characters are not allowed."));
    }
    // The pre-chat form's email or phone: typed by the visitor, so unverified — kept on the
    // contact, never used to find another contact (see `contacts`).
    let (mut email, mut phone) = (None, None);
    if let Some(v) = contact.map(str::trim).filter(|v| !v.is_empty()) {
        if v.contains('@') {
            email = Some(frontdesk_core::Email::parse(v).map_err(|_| {
                AppError::invalid("contact", "invalid_contact", "Write an email address or a phone number.")
            })?);
        } else {
            let mut c = app.db.conn().await?;
            let country = frontdesk_platform::profile::of(&mut c, &ch.workspace_id).await?.country;
            phone = Some(frontdesk_core::phone::e164(v, country.as_deref()).map_err(|_| {
                AppError::invalid("contact", "invalid_contact", "Write an email address or a phone number.")
            })?);
        }
    }
    let now = app.now();
    let visitor = Visitor {
        id: VisitorId::new(),
        workspace_id: ch.workspace_id.clone(),
        channel_id: ch.id.clone(),
        contact_id: ContactId::new(),
    };
    let token = format!("{TOKEN_PREFIX}{}", random_token());
    let mut tx = app.db.begin().await?;
    q::insert_contact(
        &mut tx,
        &Contact {
            id: visitor.contact_id.clone(),
            workspace_id: ch.workspace_id.clone(),
            name,
            email: email.map(|e| e.as_str().to_string()),
            phone,
            language: lang.and_then(frontdesk_core::lang::Lang::parse).map(|l| l.code().to_string()),
            created_at: now.0,
            updated_at: now.0,
            ..Default::default()
        },
    )
    .await?;
    q::insert_identity(&mut tx, &ch.workspace_id, &visitor.contact_id, &ch.id, "visitor", visitor.id.as_str(), now)
        .await?;
    q::insert_visitor(&mut tx, &visitor, &token_hash(&token), Some(ip), now).await?;
    tx.commit().await?;
    Ok(Started { token, visitor_id: visitor.id })
}

fn bad_token() -> AppError {
    AppError::new(
        ErrorKind::Unauthenticated,
        "invalid_visitor_token",
        "Start a conversation first; this token is not valid.",
    )
}

/// The visitor behind a token on this channel.
pub async fn visitor(
    app: &Inbox,
    channel_id: &str,
    token: Option<&str>,
    origin: Option<&str>,
) -> AppResult<(Channel, Visitor)> {
    let ch = channel(app, channel_id).await?;
    check_origin(app, &ch, origin).await?;
    let token = token.filter(|t| t.starts_with(TOKEN_PREFIX) && t.len() < 100).ok_or_else(bad_token)?;
    let mut c = app.db.conn().await?;
    let v = q::visitor_by_token(&mut c, &ch.id, &token_hash(token)).await?.ok_or_else(bad_token)?;
    Ok((ch, v))
}

/// A visitor's message. `client_id` (from the browser) makes a retried send a no-op.
pub async fn send(
    app: &Inbox,
    channel_id: &str,
    token: Option<&str>,
    origin: Option<&str>,
    client_id: Option<&str>,
    text: &str,
    ip: &str,
) -> AppResult<Message> {
    let (ch, v) = visitor(app, channel_id, token, origin).await?;
    limit(app, format!("chat-send|{}", v.id), 20, 60)?;
    limit(app, format!("chat-send-ip|{ip}"), 120, 60)?;
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid("text", "required", "Write a message."));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(AppError::invalid("text", "too_long", format!("At most {MAX_TEXT} characters.")));
    }
    let provider_id = match client_id {
        Some(c)
            if !c.is_empty()
                && c.len() <= 64
                && c.chars().all(|x| x.is_ascii_alphanumeric() || x == '-' || x == '_') =>
        {
            format!("{}:{c}", v.id)
        }
        Some(_) => {
            return Err(AppError::invalid("client_id", "invalid_value", "Use up to 64 letters, digits, - or _."))
        }
        None => format!("{}:{}", v.id, VisitorId::new()),
    };
    let msg = wire::Message {
        provider_id: provider_id.clone(),
        sender: wire::Sender { id: v.id.to_string(), address: v.id.to_string(), ..Default::default() },
        at_ms: app.now().0,
        kind: wire::Kind::Text,
        text: Some(text.to_string()),
        media: None,
        location: None,
        contacts: None,
        payload: None,
        reply_to: None,
        reacts_to: None,
        echo: false,
        raw: serde_json::json!({ "text": text, "client_id": client_id }),
    };
    crate::intake::store_direct(app, &ch, &msg).await?;
    let mut c = app.db.conn().await?;
    q::touch_visitor(&mut c, &v.id, app.now()).await?;
    q::message_by_provider_id(&mut c, &ch.id, &provider_id).await?.ok_or_else(AppError::internal)
}

/// The conversation as the visitor sees it (both directions), after a cursor; what the
/// business sent is marked read, since the visitor's page now shows it.
pub async fn messages(
    app: &Inbox,
    channel_id: &str,
    token: Option<&str>,
    origin: Option<&str>,
    after: Option<&str>,
) -> AppResult<Vec<Message>> {
    let (ch, v) = visitor(app, channel_id, token, origin).await?;
    let after = match after.filter(|a| !a.is_empty()) {
        None => None,
        Some(a) => {
            let bad = || AppError::invalid("after", "invalid_cursor", "Use the cursor of the last message you have.");
            let (at, id) = a.split_once('_').ok_or_else(bad)?;
            Some((at.parse::<i64>().map_err(|_| bad())?, id.to_string()))
        }
    };
    let mut c = app.db.conn().await?;
    q::read_up_to(&mut c, &ch.id, &v.contact_id, app.now().0, app.now()).await?;
    Ok(q::visitor_messages(&mut c, &ch.id, &v.contact_id, after, 200).await?)
}

/// A file the business sent, for the visitor: its name and a signed link that expires.
pub async fn file_of(app: &Inbox, m: &Message) -> AppResult<Option<(String, String)>> {
    if m.direction != "out" || !(m.kind == "image" || m.kind == "document") {
        return Ok(None);
    }
    let mut c = app.db.conn().await?;
    let Some(media) = q::media_of_message(&mut c, &m.id).await? else { return Ok(None) };
    let name = media.filename.clone().unwrap_or_else(|| "file".into());
    Ok(Some((name, crate::attachments::signed_link(app, &media.id, app.now().0))))
}
