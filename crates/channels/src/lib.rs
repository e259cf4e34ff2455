//! Channel adapters without I/O: verify a webhook on its raw bytes, then turn a provider's
//! delivery into normalised [`Item`]s, every entry, change, message and status of a batch.
//!
//! Parsers never fail on a single odd item: an item they do not understand becomes a message
//! of kind [`Kind::Unsupported`] carrying its raw JSON. Only a body that is not the provider's
//! envelope at all (not JSON, wrong `object`, no `entry`) is an [`Unparseable`] error, which the
//! caller keeps with its reason.

pub mod instagram;
mod json;
pub use json::scrub_nul;
pub mod telegram;
pub mod verify;
pub mod whatsapp;

use serde::Serialize;
use serde_json::Value;

/// A delivery that is authentic but cannot be read; `reason` is kept for operators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unparseable {
    pub reason: String,
}

impl Unparseable {
    pub fn new(reason: impl Into<String>) -> Self {
        Self { reason: reason.into() }
    }
}

/// One normalised item of a delivery, with the provider account it is addressed to.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The id that routes the item to a channel: WhatsApp `metadata.phone_number_id`,
    /// Instagram `entry[].id` (the professional account). Telegram: empty (the URL decides).
    pub account_id: String,
    pub event: Event,
}

// Items are few per delivery and moved, not copied, so a boxed `Message` would buy nothing
// but an allocation and a less direct API.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A message from a customer, or an echo of one the business sent (`Message::echo`).
    Message(Message),
    /// A change of one of our sent messages: sent, delivered, read, failed.
    Status(Status),
    /// The customer edited an earlier message (Telegram `edited_message`, Instagram
    /// `message_edit`) or unsent it (Instagram `is_deleted`: `Edit::text` is `None`).
    Edit(Edit),
    /// An explicit consent signal that is not a message: WhatsApp `user_preferences`,
    /// Telegram `my_chat_member` kicked / member again.
    Consent(Consent),
}

/// Who wrote. `id` is the channel's stable key for the person: WhatsApp `user_id` (BSUID)
/// when present, else `wa_id`; Instagram IGSID; Telegram user id (as a decimal string).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Sender {
    pub id: String,
    /// WhatsApp BSUID (`user_id`), when the payload carries one.
    pub bsuid: Option<String>,
    /// WhatsApp `wa_id` / `from` (the phone number, digits only), when present.
    pub phone: Option<String>,
    pub name: Option<String>,
    /// Telegram `username`, WhatsApp username when present.
    pub username: Option<String>,
    /// Telegram `language_code`.
    pub language: Option<String>,
    /// Where replies go: WhatsApp the BSUID or wa_id, Instagram the IGSID, Telegram the chat id.
    pub address: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Text,
    Image,
    Audio,
    Video,
    Document,
    Sticker,
    Location,
    Contacts,
    /// Interactive button/list reply, quick reply, Telegram callback button, WhatsApp `button`.
    Interactive,
    Reaction,
    /// A share, story mention, order, system message, or a type we do not know. Raw JSON kept.
    Unsupported,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Image => "image",
            Kind::Audio => "audio",
            Kind::Video => "video",
            Kind::Document => "document",
            Kind::Sticker => "sticker",
            Kind::Location => "location",
            Kind::Contacts => "contacts",
            Kind::Interactive => "interactive",
            Kind::Reaction => "reaction",
            Kind::Unsupported => "unsupported",
        }
    }
}

/// A media attachment: fetched later through the provider's media API (WhatsApp media id,
/// Telegram file id) or from `url` (Instagram).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Media {
    pub media_id: Option<String>,
    pub url: Option<String>,
    pub mime: Option<String>,
    pub filename: Option<String>,
    pub sha256: Option<String>,
    pub size: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Location {
    pub latitude: f64,
    pub longitude: f64,
    pub name: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// Unique per channel: WhatsApp wamid, Instagram mid, Telegram `<chat id>:<message id>`.
    pub provider_id: String,
    pub sender: Sender,
    /// Provider time, milliseconds since the epoch (0 when missing).
    pub at_ms: i64,
    pub kind: Kind,
    /// The text, caption, button title, or emoji of a reaction.
    pub text: Option<String>,
    pub media: Option<Media>,
    pub location: Option<Location>,
    /// Shared contact cards, as the provider sent them.
    pub contacts: Option<Value>,
    /// Button/list reply id or quick-reply / callback payload.
    pub payload: Option<String>,
    /// The provider id of the message this one replies to (context / reply_to).
    pub reply_to: Option<String>,
    /// For a reaction: the provider id of the message reacted to.
    pub reacts_to: Option<String>,
    /// True for an echo of a message the business sent (Instagram `is_echo`).
    pub echo: bool,
    /// The message's own JSON as received.
    pub raw: Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusKind {
    Sent,
    Delivered,
    Read,
    Failed,
}

impl StatusKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusKind::Sent => "sent",
            StatusKind::Delivered => "delivered",
            StatusKind::Read => "read",
            StatusKind::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ProviderError {
    pub code: Option<i64>,
    pub title: Option<String>,
    pub details: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    /// The provider id of our message (WhatsApp wamid; Instagram: the `mid` read up to).
    pub provider_id: String,
    pub status: StatusKind,
    pub at_ms: i64,
    /// The customer: WhatsApp `recipient_id` / `recipient_user_id`, Instagram sender IGSID.
    pub recipient: Option<String>,
    pub error: Option<ProviderError>,
    /// Instagram `read` events carry no message id but a watermark: every message sent up to
    /// this time (ms) is read. `provider_id` is then empty.
    pub watermark_ms: Option<i64>,
    pub raw: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    pub provider_id: String,
    pub sender: Sender,
    /// The new text (or caption); `Some("")` when the edited message has none left. `None`
    /// only when the message was deleted (Instagram `is_deleted`).
    pub text: Option<String>,
    pub at_ms: i64,
    pub raw: Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentChange {
    OptOut,
    OptIn,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Consent {
    pub sender: Sender,
    pub change: ConsentChange,
    /// `user_preferences`, `telegram_blocked`, `telegram_unblocked`.
    pub source: &'static str,
    pub at_ms: i64,
    /// Evidence: the provider's own id or a digest of the item.
    pub evidence: String,
    pub raw: Value,
}
