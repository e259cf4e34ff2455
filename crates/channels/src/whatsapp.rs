//! WhatsApp Cloud API webhooks: `object: "whatsapp_business_account"`.
//!
//! Shapes handled (Meta's "Webhooks → messages" and "user_preferences" references):
//!
//! * `entry[].changes[]` with `field: "messages"`: `value.metadata.phone_number_id` (the
//!   account), `value.contacts[]` (`wa_id`, `user_id` BSUID, `profile.name`,
//!   `profile.username`), `value.messages[]`, `value.statuses[]`, and `value.errors[]`
//!   (system-level errors, which carry nothing to route and are ignored).
//! * `entry[].changes[]` with `field: "user_preferences"`: `value.user_preferences[]` with
//!   `value: "stop" | "resume"` becomes an [`Event::Consent`].
//! * Every other `field` (account updates, template status, …) is ignored.
//!
//! Every entry, change, message and status is read, not only the first of each.
//!
//! Choices where a payload is odd:
//!
//! * A message without an `id` is **skipped**: there is nothing to deduplicate a redelivery
//!   on, so keeping it would duplicate it every time Meta retries. A message with an `id` but
//!   a missing or wrongly typed `type` (or a body that does not fit its type, e.g. a `text`
//!   without `text.body`) becomes a [`Kind::Unsupported`] message with its raw JSON.
//! * A status whose `status` is not `sent`, `delivered`, `read` or `failed` (Meta also sends
//!   `deleted` and `warning`) is skipped, as is a status without an `id`.
//! * The sender is keyed by the BSUID (`user_id`) when present, else by the phone `wa_id`;
//!   likewise a status's `recipient` prefers `recipient_user_id` over `recipient_id`, so both
//!   name the same person the same way.
//! * `account_id` is `value.metadata.phone_number_id`; when a change has no metadata (as
//!   some `user_preferences` deliveries) the entry `id` (the WABA id) is used instead.

use serde_json::Value;

use crate::json::{get_array, get_f64, get_i64, get_id, get_object, get_str, get_string, object_body, secs_to_ms};
use crate::{
    Consent, ConsentChange, Event, Item, Kind, Location, Media, Message, ProviderError, Sender, Status, StatusKind,
    Unparseable,
};

/// The `object` of every WhatsApp Business Account webhook.
const OBJECT: &str = "whatsapp_business_account";

/// Parses one WhatsApp Cloud API webhook delivery into normalised items, in payload order.
///
/// Fails only when the body is not the WhatsApp envelope at all: not JSON, not an object,
/// `object` other than `"whatsapp_business_account"`, or `entry` missing or not an array.
pub fn parse(body: &[u8]) -> Result<Vec<Item>, Unparseable> {
    let root = object_body(body)?;
    match get_str(&root, "object") {
        Some(OBJECT) => {}
        Some(other) => return Err(Unparseable::new(format!("object is {other:?}, expected {OBJECT:?}"))),
        None => return Err(Unparseable::new(format!("no string `object`, expected {OBJECT:?}"))),
    }
    let entries = root
        .get("entry")
        .and_then(Value::as_array)
        .ok_or_else(|| Unparseable::new("`entry` is missing or not an array"))?;

    let mut items = Vec::new();
    for entry in entries {
        let entry_id = get_id(entry, "id").unwrap_or_default();
        for change in get_array(entry, "changes") {
            let Some(value) = get_object(change, "value") else { continue };
            let account_id = get_object(value, "metadata")
                .and_then(|m| get_id(m, "phone_number_id"))
                .unwrap_or_else(|| entry_id.clone());
            match get_str(change, "field") {
                Some("messages") => {
                    let contacts = get_array(value, "contacts");
                    for message in get_array(value, "messages") {
                        if let Some(m) = parse_message(message, contacts) {
                            items.push(Item { account_id: account_id.clone(), event: Event::Message(m) });
                        }
                    }
                    for status in get_array(value, "statuses") {
                        if let Some(s) = parse_status(status) {
                            items.push(Item { account_id: account_id.clone(), event: Event::Status(s) });
                        }
                    }
                    // `value.errors[]`: system-level errors with nothing to attach them to.
                }
                Some("user_preferences") => {
                    for pref in get_array(value, "user_preferences") {
                        if let Some(c) = parse_preference(pref) {
                            items.push(Item { account_id: account_id.clone(), event: Event::Consent(c) });
                        }
                    }
                }
                _ => {}
            }
        }
    }
    Ok(items)
}

/// Digits of a phone number (`wa_id` / `from`), or `None` when it has none.
fn digits(s: &str) -> Option<String> {
    let d: String = s.chars().filter(char::is_ascii_digit).collect();
    (!d.is_empty()).then_some(d)
}

/// Builds the sender from the message's own ids and its matching `contacts[]` element.
fn sender(message: &Value, contacts: &[Value]) -> Sender {
    let from = get_string(message, "from");
    let from_user = get_string(message, "from_user_id").or_else(|| get_string(message, "user_id"));
    let contact = contacts.iter().find(|c| {
        (from.is_some() && get_string(c, "wa_id") == from)
            || (from_user.is_some() && get_string(c, "user_id") == from_user)
    });
    let bsuid = from_user.or_else(|| contact.and_then(|c| get_string(c, "user_id")));
    let phone = from.as_deref().and_then(digits).or_else(|| contact.and_then(|c| get_str(c, "wa_id")).and_then(digits));
    let profile = contact.and_then(|c| get_object(c, "profile"));
    let id = bsuid.clone().or_else(|| phone.clone()).unwrap_or_default();
    Sender {
        address: id.clone(),
        id,
        bsuid,
        phone,
        name: profile.and_then(|p| get_string(p, "name")),
        username: profile.and_then(|p| get_string(p, "username")),
        language: None,
    }
}

/// One `messages[]` element; `None` when it has no `id` (see the module doc).
fn parse_message(message: &Value, contacts: &[Value]) -> Option<Message> {
    let provider_id = get_string(message, "id")?;
    let mut m = Message {
        provider_id,
        sender: sender(message, contacts),
        at_ms: secs_to_ms(get_i64(message, "timestamp")),
        kind: Kind::Unsupported,
        text: None,
        media: None,
        location: None,
        contacts: None,
        payload: None,
        reply_to: get_object(message, "context").and_then(|c| get_string(c, "id")),
        reacts_to: None,
        echo: false,
        raw: message.clone(),
    };
    if !fill_kind(&mut m, message) {
        // Whatever was half-filled goes: an unsupported message carries only its raw JSON.
        m.kind = Kind::Unsupported;
        m.text = None;
        m.media = None;
        m.location = None;
        m.contacts = None;
        m.payload = None;
        m.reacts_to = None;
    }
    Some(m)
}

/// Sets kind and content from the message's `type`; false when the type is unknown or its
/// body does not fit it.
fn fill_kind(m: &mut Message, message: &Value) -> bool {
    let Some(kind) = get_str(message, "type") else { return false };
    match kind {
        "text" => {
            let Some(body) = get_object(message, "text").and_then(|t| get_str(t, "body")) else { return false };
            m.kind = Kind::Text;
            m.text = Some(body.to_owned());
        }
        "image" | "video" | "audio" | "document" | "sticker" => {
            let Some(obj) = get_object(message, kind) else { return false };
            let media = Media {
                media_id: get_id(obj, "id"),
                url: get_string(obj, "url"),
                mime: get_string(obj, "mime_type"),
                filename: get_string(obj, "filename"),
                sha256: get_string(obj, "sha256"),
                size: get_i64(obj, "file_size"),
            };
            if media.media_id.is_none() && media.url.is_none() {
                return false;
            }
            m.kind = match kind {
                "image" => Kind::Image,
                "video" => Kind::Video,
                "audio" => Kind::Audio,
                "document" => Kind::Document,
                _ => Kind::Sticker,
            };
            m.text = get_string(obj, "caption");
            m.media = Some(media);
        }
        "location" => {
            let Some(loc) = get_object(message, "location") else { return false };
            let (Some(latitude), Some(longitude)) = (get_f64(loc, "latitude"), get_f64(loc, "longitude")) else {
                return false;
            };
            m.kind = Kind::Location;
            m.location = Some(Location {
                latitude,
                longitude,
                name: get_string(loc, "name"),
                address: get_string(loc, "address"),
            });
        }
        "contacts" => {
            let Some(cards) = message.get("contacts").filter(|c| c.is_array()) else { return false };
            m.kind = Kind::Contacts;
            m.contacts = Some(cards.clone());
        }
        "interactive" => {
            let Some(interactive) = get_object(message, "interactive") else { return false };
            let reply = match get_str(interactive, "type") {
                Some(t @ ("button_reply" | "list_reply")) => get_object(interactive, t),
                // A WhatsApp Flow's answer: the form's JSON stays in `raw`.
                Some("nfm_reply") => {
                    m.kind = Kind::Interactive;
                    return true;
                }
                _ => None,
            };
            let Some(reply) = reply else { return false };
            m.kind = Kind::Interactive;
            m.text = get_string(reply, "title");
            m.payload = get_id(reply, "id");
        }
        "button" => {
            let Some(button) = get_object(message, "button") else { return false };
            m.kind = Kind::Interactive;
            m.text = get_string(button, "text");
            m.payload = get_string(button, "payload");
        }
        "reaction" => {
            let Some(reaction) = get_object(message, "reaction") else { return false };
            let Some(target) = get_string(reaction, "message_id") else { return false };
            m.kind = Kind::Reaction;
            // An empty emoji means the customer removed their reaction.
            m.text = get_string(reaction, "emoji");
            m.reacts_to = Some(target);
        }
        // order, system, unsupported, request_welcome, and anything new.
        _ => return false,
    }
    true
}

/// One `statuses[]` element; `None` without an `id` or with a status we do not track.
fn parse_status(status: &Value) -> Option<Status> {
    let provider_id = get_string(status, "id")?;
    let kind = match get_str(status, "status")? {
        "sent" => StatusKind::Sent,
        "delivered" => StatusKind::Delivered,
        "read" => StatusKind::Read,
        "failed" => StatusKind::Failed,
        _ => return None,
    };
    let error = get_array(status, "errors").first().filter(|e| e.is_object()).map(|e| ProviderError {
        code: get_i64(e, "code"),
        title: get_string(e, "title"),
        details: get_object(e, "error_data")
            .and_then(|d| get_string(d, "details"))
            .or_else(|| get_string(e, "message")),
    });
    Some(Status {
        provider_id,
        status: kind,
        at_ms: secs_to_ms(get_i64(status, "timestamp")),
        recipient: get_string(status, "recipient_user_id").or_else(|| get_string(status, "recipient_id")),
        error,
        watermark_ms: None,
        raw: status.clone(),
    })
}

/// One `user_preferences[]` element: `stop` / `resume` of marketing messages.
fn parse_preference(pref: &Value) -> Option<Consent> {
    let change = match get_str(pref, "value")? {
        "stop" => ConsentChange::OptOut,
        "resume" => ConsentChange::OptIn,
        _ => return None,
    };
    let bsuid = get_string(pref, "user_id");
    let phone = get_str(pref, "wa_id").and_then(digits);
    let id = bsuid.clone().or_else(|| phone.clone())?;
    let timestamp = get_i64(pref, "timestamp");
    let evidence = format!(
        "user_preferences:{id}:{}:{}:{}",
        get_str(pref, "category").unwrap_or_default(),
        get_str(pref, "value").unwrap_or_default(),
        timestamp.unwrap_or(0),
    );
    Some(Consent {
        sender: Sender { address: id.clone(), id, bsuid, phone, ..Sender::default() },
        change,
        source: "user_preferences",
        at_ms: secs_to_ms(timestamp),
        evidence,
        raw: pref.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PHONE1: &str = "106540352242922";
    const PHONE2: &str = "106540352242999";

    fn parse_ok(body: &str) -> Vec<Item> {
        parse(body.as_bytes()).expect("fixture parses")
    }

    fn message(item: &Item) -> &Message {
        match &item.event {
            Event::Message(m) => m,
            other => panic!("expected a message, got {other:?}"),
        }
    }

    fn status(item: &Item) -> &Status {
        match &item.event {
            Event::Status(s) => s,
            other => panic!("expected a status, got {other:?}"),
        }
    }

    fn wrap(message: serde_json::Value) -> Vec<u8> {
        let body = json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages",
            "value": {"metadata": {"phone_number_id": PHONE1}, "messages": [message]}}]}]});
        body.to_string().into_bytes()
    }

    #[test]
    fn text() {
        let items = parse_ok(include_str!("../tests/fixtures/wa_text.json"));
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].account_id, PHONE1);
        let m = message(&items[0]);
        assert_eq!(m.provider_id, "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQTEXT01AA==");
        assert_eq!(m.kind, Kind::Text);
        assert_eq!(m.text.as_deref(), Some("Hi! Are you open on Saturday?"));
        assert_eq!(m.at_ms, 1_749_416_383_000);
        assert_eq!(
            m.sender,
            Sender {
                id: "16505551234".into(),
                bsuid: None,
                phone: Some("16505551234".into()),
                name: Some("Sheena Nelson".into()),
                username: None,
                language: None,
                address: "16505551234".into(),
            }
        );
        assert_eq!(m.reply_to, None);
        assert!(!m.echo);
        assert_eq!(m.raw["text"]["body"], "Hi! Are you open on Saturday?");
    }

    #[test]
    fn batch_reads_every_entry_message_and_status() {
        let items = parse_ok(include_str!("../tests/fixtures/wa_batch.json"));
        assert_eq!(items.len(), 4);
        let accounts: Vec<&str> = items.iter().map(|i| i.account_id.as_str()).collect();
        assert_eq!(accounts, [PHONE1, PHONE1, PHONE1, PHONE2]);
        let (a, b, d) = (message(&items[0]), message(&items[1]), message(&items[3]));
        assert_eq!((a.sender.id.as_str(), a.sender.name.as_deref()), ("16505551234", Some("Sheena Nelson")));
        assert_eq!((b.sender.id.as_str(), b.sender.name.as_deref()), ("16505559876", Some("Kai Brown")));
        assert_eq!(b.text.as_deref(), Some("Do you deliver to Palo Alto?"));
        assert_eq!(d.sender.id, "16505551234");
        assert_eq!(d.provider_id, "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQBATCH3AA==");
        let s = status(&items[2]);
        assert_eq!((s.provider_id.as_str(), s.status), ("wamid.OUT1", StatusKind::Delivered));
        assert_eq!(s.recipient.as_deref(), Some("16505551234"));
        assert_eq!(s.at_ms, 1_749_416_410_000);
    }

    #[test]
    fn media() {
        let items = parse_ok(include_str!("../tests/fixtures/wa_media.json"));
        let kinds: Vec<Kind> = items.iter().map(|i| message(i).kind).collect();
        assert_eq!(kinds, [Kind::Image, Kind::Audio, Kind::Video, Kind::Document, Kind::Sticker]);
        assert!(items.iter().all(|i| i.account_id == PHONE1));

        let image = message(&items[0]);
        assert_eq!(image.text.as_deref(), Some("This one, in blue"));
        let media = image.media.as_ref().unwrap();
        assert_eq!(media.media_id.as_deref(), Some("1479537139650973"));
        assert_eq!(media.mime.as_deref(), Some("image/jpeg"));
        assert_eq!(media.sha256.as_deref(), Some("Lq0NmRJ8Xh0/qYlP5tC3bHqgZ8m3sA1X7W2kNzO9uVY="));
        assert_eq!(media.url, None);

        let audio = message(&items[1]).media.as_ref().unwrap();
        assert_eq!(audio.mime.as_deref(), Some("audio/ogg; codecs=opus"));
        assert_eq!(message(&items[1]).text, None);

        let doc = message(&items[3]);
        assert_eq!(doc.text.as_deref(), Some("My invoice"));
        let media = doc.media.as_ref().unwrap();
        assert_eq!(media.filename.as_deref(), Some("invoice-0042.pdf"));
        assert_eq!(media.mime.as_deref(), Some("application/pdf"));
        assert_eq!(media.media_id.as_deref(), Some("1090413662519874"));

        let sticker = message(&items[4]).media.as_ref().unwrap();
        assert_eq!(
            (sticker.media_id.as_deref(), sticker.mime.as_deref()),
            (Some("1291939621929349"), Some("image/webp"))
        );
    }

    #[test]
    fn kinds() {
        let items = parse_ok(include_str!("../tests/fixtures/wa_kinds.json"));
        assert_eq!(items.len(), 9);
        let m: Vec<&Message> = items.iter().map(message).collect();
        let kinds: Vec<Kind> = m.iter().map(|m| m.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Location,
                Kind::Contacts,
                Kind::Interactive,
                Kind::Interactive,
                Kind::Interactive,
                Kind::Reaction,
                Kind::Text,
                Kind::Unsupported,
                Kind::Unsupported
            ]
        );

        let loc = m[0].location.as_ref().unwrap();
        assert_eq!((loc.latitude, loc.longitude), (37.4847, -122.1477));
        assert_eq!(loc.name.as_deref(), Some("Philz Coffee"));
        assert_eq!(loc.address.as_deref(), Some("101 Forest Ave, Palo Alto, CA 94301"));

        let cards = m[1].contacts.as_ref().unwrap();
        assert_eq!(cards[0]["name"]["formatted_name"], "Kai Brown");
        assert_eq!(m[1].text, None);

        assert_eq!((m[2].text.as_deref(), m[2].payload.as_deref()), (Some("Yes, confirm"), Some("confirm_yes")));
        assert_eq!(m[2].reply_to.as_deref(), Some("wamid.OUT1"));
        assert_eq!((m[3].text.as_deref(), m[3].payload.as_deref()), (Some("10:00"), Some("slot_1000")));
        assert_eq!((m[4].text.as_deref(), m[4].payload.as_deref()), (Some("Stop promotions"), Some("STOP_PROMO")));

        assert_eq!(m[5].text.as_deref(), Some("👍"));
        assert_eq!(m[5].reacts_to.as_deref(), Some("wamid.OUT1"));
        assert_eq!(m[5].reply_to, None);

        assert_eq!(m[6].text.as_deref(), Some("Yes, 7pm works"));
        assert_eq!(m[6].reply_to.as_deref(), Some("wamid.OUT1"));

        for unsupported in &m[7..] {
            assert_eq!(unsupported.text, None);
            assert_eq!(unsupported.media, None);
            assert_eq!(unsupported.sender.id, "16505551234");
        }
        assert_eq!(m[7].raw["errors"][0]["code"], 131051);
        assert_eq!(m[8].raw["order"]["product_items"][0]["product_retailer_id"], "latte-12oz");
    }

    #[test]
    fn removed_reaction_and_flow_reply() {
        let items = parse(&wrap(json!({"from": "16505551234", "id": "wamid.R", "timestamp": "1", "type": "reaction",
            "reaction": {"message_id": "wamid.OUT1", "emoji": ""}})))
        .unwrap();
        let m = message(&items[0]);
        assert_eq!((m.kind, m.text.as_deref(), m.reacts_to.as_deref()), (Kind::Reaction, None, Some("wamid.OUT1")));

        let items = parse(&wrap(json!({"from": "16505551234", "id": "wamid.F", "timestamp": "1", "type": "interactive",
            "interactive": {"type": "nfm_reply", "nfm_reply": {"name": "flow", "body": "Sent", "response_json": "{}"}}})))
        .unwrap();
        let m = message(&items[0]);
        assert_eq!((m.kind, m.text.as_deref()), (Kind::Interactive, None));
        assert_eq!(m.raw["interactive"]["nfm_reply"]["response_json"], "{}");
    }

    #[test]
    fn statuses() {
        let items = parse_ok(include_str!("../tests/fixtures/wa_statuses.json"));
        let s: Vec<&Status> = items.iter().map(status).collect();
        assert_eq!(
            s.iter().map(|s| s.status).collect::<Vec<_>>(),
            [StatusKind::Sent, StatusKind::Delivered, StatusKind::Read]
        );
        assert!(s.iter().all(|s| s.provider_id == "wamid.OUT1" && s.error.is_none() && s.watermark_ms.is_none()));
        assert!(items.iter().all(|i| i.account_id == PHONE1));
        assert_eq!(s[2].at_ms, 1_749_416_760_000);
    }

    #[test]
    fn failed_131047() {
        let items = parse_ok(include_str!("../tests/fixtures/wa_failed_131047.json"));
        assert_eq!(items.len(), 1);
        let s = status(&items[0]);
        assert_eq!((s.provider_id.as_str(), s.status), ("wamid.OUT2", StatusKind::Failed));
        let e = s.error.as_ref().unwrap();
        assert_eq!(e.code, Some(131047));
        assert_eq!(e.title.as_deref(), Some("Re-engagement message"));
        assert_eq!(
            e.details.as_deref(),
            Some("Message failed to send because more than 24 hours have passed since the customer last replied to this number.")
        );
    }

    #[test]
    fn status_error_details_fall_back_to_message_and_odd_statuses_are_skipped() {
        let body = json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages",
            "value": {"metadata": {"phone_number_id": PHONE1}, "statuses": [
                {"id": "wamid.A", "status": "failed", "timestamp": "1", "recipient_id": "1",
                 "recipient_user_id": "US.1", "errors": [{"code": "130472", "message": "User's number is part of an experiment"}]},
                {"id": "wamid.B", "status": "deleted", "timestamp": "1"},
                {"id": "wamid.C", "status": "warning", "timestamp": "1"},
                {"status": "read", "timestamp": "1"}
            ], "errors": [{"code": 131000, "title": "Something went wrong"}]}}]}]});
        let items = parse(body.to_string().as_bytes()).unwrap();
        assert_eq!(items.len(), 1);
        let s = status(&items[0]);
        assert_eq!(s.recipient.as_deref(), Some("US.1"));
        let e = s.error.as_ref().unwrap();
        assert_eq!((e.code, e.title.as_deref()), (Some(130472), None));
        assert_eq!(e.details.as_deref(), Some("User's number is part of an experiment"));
    }

    #[test]
    fn user_preferences_stop() {
        let items = parse_ok(include_str!("../tests/fixtures/wa_user_preferences.json"));
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].account_id, PHONE1);
        let Event::Consent(c) = &items[0].event else { panic!("expected consent") };
        assert_eq!(c.change, ConsentChange::OptOut);
        assert_eq!(c.source, "user_preferences");
        assert_eq!((c.sender.id.as_str(), c.sender.phone.as_deref()), ("16505551234", Some("16505551234")));
        assert_eq!(c.at_ms, 1_749_418_000_000);
        assert_eq!(c.evidence, "user_preferences:16505551234:marketing_messages:stop:1749418000");
        assert_eq!(c.raw["detail"], "User requested to stop marketing messages");
    }

    #[test]
    fn user_preferences_without_metadata_use_the_entry_id() {
        let body = json!({"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [
        {"field": "user_preferences", "value": {"user_preferences": [
            {"user_id": "US.9", "category": "marketing_messages", "value": "resume", "timestamp": 5},
            {"wa_id": "1", "value": "maybe", "timestamp": 5},
            {"value": "stop", "timestamp": 5}
        ]}}]}]});
        let items = parse(body.to_string().as_bytes()).unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].account_id, "102290129340398");
        let Event::Consent(c) = &items[0].event else { panic!("expected consent") };
        assert_eq!(
            (c.change, c.sender.id.as_str(), c.sender.bsuid.as_deref()),
            (ConsentChange::OptIn, "US.9", Some("US.9"))
        );
    }

    #[test]
    fn bsuid_with_and_without_phone_is_the_same_sender() {
        let with_phone = parse_ok(include_str!("../tests/fixtures/wa_bsuid.json"));
        let without = parse_ok(include_str!("../tests/fixtures/wa_bsuid_only.json"));
        let (a, b) = (message(&with_phone[0]), message(&without[0]));
        assert_eq!(a.sender.id, "US.1502576394655843");
        assert_eq!(b.sender.id, "US.1502576394655843");
        assert_eq!(a.sender.address, "US.1502576394655843");
        assert_eq!(b.sender.address, "US.1502576394655843");
        assert_eq!(a.sender.bsuid.as_deref(), Some("US.1502576394655843"));
        assert_eq!(b.sender.bsuid.as_deref(), Some("US.1502576394655843"));
        assert_eq!(a.sender.phone.as_deref(), Some("16505550001"));
        assert_eq!(b.sender.phone, None);
        for m in [a, b] {
            assert_eq!(m.sender.name.as_deref(), Some("Rosa Diaz"));
            assert_eq!(m.sender.username.as_deref(), Some("rosadiaz"));
            assert_eq!(m.kind, Kind::Text);
        }
        assert_eq!(with_phone[0].account_id, PHONE1);
        assert_eq!(without[0].account_id, PHONE1);
    }

    #[test]
    fn envelope_errors_are_explained() {
        let reason = |body: &str| parse(body.as_bytes()).unwrap_err().reason;
        assert!(reason("<xml/>").contains("not JSON"));
        assert!(reason("[]").contains("not an object"));
        assert!(reason(r#"{"object":"instagram","entry":[]}"#).contains("\"instagram\""));
        assert!(reason(r#"{"entry":[]}"#).contains("object"));
        assert!(reason(r#"{"object":"whatsapp_business_account"}"#).contains("entry"));
        assert!(reason(r#"{"object":"whatsapp_business_account","entry":{}}"#).contains("entry"));
        assert_eq!(parse(br#"{"object":"whatsapp_business_account","entry":[]}"#).unwrap(), vec![]);
    }

    #[test]
    fn one_malformed_message_does_not_lose_the_batch() {
        let body = json!({"object": "whatsapp_business_account", "entry": [
            "not an entry",
            {"id": "1", "changes": [
                {"field": "account_update", "value": {"event": "VERIFIED_ACCOUNT"}},
                {"field": "messages", "value": "not an object"},
                {"field": "messages", "value": {"metadata": {"phone_number_id": PHONE1}, "messages": [
                    {"from": "16505551234", "timestamp": "1", "type": "text", "text": {"body": "no id: skipped"}},
                    {"from": "16505551234", "id": "wamid.T", "timestamp": "1", "type": 7, "text": {"body": "odd type"}},
                    {"from": "16505551234", "id": "wamid.X", "timestamp": "soon", "type": "text", "text": "not an object"},
                    {"from": "16505551234", "id": "wamid.I", "timestamp": "1", "type": "image", "image": {"caption": "no id"}},
                    42,
                    {"from": "16505551234", "id": "wamid.OK", "timestamp": "1749416383", "type": "text", "text": {"body": "fine"}}
                ]}}
            ]}
        ]});
        let items = parse(body.to_string().as_bytes()).unwrap();
        let m: Vec<&Message> = items.iter().map(message).collect();
        let summary: Vec<(&str, Kind)> = m.iter().map(|m| (m.provider_id.as_str(), m.kind)).collect();
        assert_eq!(
            summary,
            [
                ("wamid.T", Kind::Unsupported),
                ("wamid.X", Kind::Unsupported),
                ("wamid.I", Kind::Unsupported),
                ("wamid.OK", Kind::Text)
            ]
        );
        assert_eq!(m[0].text, None);
        assert_eq!(m[1].at_ms, 0);
        assert_eq!(m[3].text.as_deref(), Some("fine"));
    }

    #[test]
    fn sender_without_matching_contact_still_has_an_id() {
        let items =
            parse(&wrap(json!({"from": "+1 650 555 1234", "id": "wamid.N", "timestamp": "99999999999999999999",
            "type": "text", "text": {"body": "hi"}})))
            .unwrap();
        let m = message(&items[0]);
        assert_eq!((m.sender.id.as_str(), m.sender.name.as_deref()), ("16505551234", None));
        assert_eq!(m.at_ms, 0, "an unparseable timestamp is 0");
        let items =
            parse(&wrap(json!({"from": "1", "id": "wamid.N", "timestamp": "9223372036854775807", "type": "text",
            "text": {"body": "hi"}})))
            .unwrap();
        assert_eq!(message(&items[0]).at_ms, i64::MAX, "saturates");
    }
}
