//! Instagram Messaging webhooks: `object: "instagram"`.
//!
//! Shapes handled (Meta's "Instagram Messaging → Webhooks" reference, both the Messenger
//! Platform flavour and the Instagram Login flavour):
//!
//! * `entry[] {id, time, messaging[]}` where each messaging item has `sender.id`,
//!   `recipient.id`, `timestamp` (milliseconds) and one of `message`, `reaction`, `read`,
//!   `postback`, `message_edit`;
//! * `entry[].changes[]` whose `value` is shaped like a messaging item, for the fields
//!   `messages`, `message_echoes`, `message_reactions`, `messaging_postbacks`,
//!   `messaging_seen` and `message_edit` (Instagram Login apps, and the dashboard's test
//!   deliveries). Other fields (`comments`, `mentions`, …) and `standby[]` are ignored.
//!
//! `account_id` is `entry[].id`, the Instagram professional account. A message's `raw` is
//! the whole messaging item (sender, recipient, timestamp and the event).
//!
//! Choices where a payload is odd:
//!
//! * `timestamp` is milliseconds; a value below 10^11 can only be seconds (the test
//!   deliveries send seconds, as strings) and is multiplied by 1000.
//! * An echo (`is_echo: true`) is a message the business sent: the customer, and so
//!   [`Sender`], is the *recipient*, and [`Message::echo`] is set.
//! * Several attachments in one message: the first decides kind and media, all of them stay
//!   in `raw`. Attachment types `image`, `video`/`ig_reel`/`reel`, `audio`, `file` map to
//!   media kinds; `share`, `story_mention`, and the rest become [`Kind::Unsupported`].
//!   Media carry the CDN `url` (no media id). An attachment without a `payload.url` is
//!   unsupported too.
//! * `is_deleted` becomes an [`Event::Edit`] with `text: None`: the customer unsent that
//!   message. A deletion without `mid` names nothing and is skipped. `message_edit {mid,
//!   text}` becomes an [`Event::Edit`] with the new text (`Some("")` when it has none, so
//!   that an edit never reads as a deletion).
//! * A reply to a story (`reply_to.story`) has no message to point at: `reply_to` is `None`
//!   and the story stays in `raw`.
//! * A reaction has no id of its own: `provider_id` is `"{mid}:reaction:{sender}:{at_ms}"`.
//! * `read` becomes a [`StatusKind::Read`] for `mid` (empty `provider_id` when only a
//!   `watermark` is given); a `read` with neither is skipped.
//! * Anything else becomes an unsupported message with the deterministic id
//!   `"ig:{entry id}:{sender}:{at_ms}:{index}"`, `index` counting the entry's events in
//!   order (messaging items, then changes), so a redelivery gets the same id.

use serde_json::Value;

use crate::json::{get_array, get_bool, get_i64, get_id, get_object, get_str, get_string, object_body};
use crate::{Edit, Event, Item, Kind, Media, Message, Sender, Status, StatusKind, Unparseable};

/// The `object` of every Instagram webhook.
const OBJECT: &str = "instagram";

/// `changes[].field`s whose `value` is a messaging item.
const MESSAGING_FIELDS: &[&str] =
    &["messages", "message_echoes", "message_reactions", "messaging_postbacks", "messaging_seen", "message_edit"];

/// Parses one Instagram webhook delivery into normalised items, in payload order.
///
/// Fails only when the body is not the Instagram envelope at all: not JSON, not an object,
/// `object` other than `"instagram"`, or `entry` missing or not an array.
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
        let account_id = get_id(entry, "id").unwrap_or_default();
        let from_changes = get_array(entry, "changes").iter().filter_map(|change| {
            let field = get_str(change, "field")?;
            MESSAGING_FIELDS.contains(&field).then(|| get_object(change, "value")).flatten()
        });
        let events = get_array(entry, "messaging").iter().filter(|i| i.is_object()).chain(from_changes);
        for (index, event) in events.enumerate() {
            if let Some(event) = parse_event(event, &account_id, index) {
                items.push(Item { account_id: account_id.clone(), event });
            }
        }
    }
    Ok(items)
}

/// Provider time to milliseconds: milliseconds as sent, or seconds when the value is too
/// small to be milliseconds of this era; 0 when missing or negative.
fn to_ms(t: Option<i64>) -> i64 {
    match t {
        Some(t) if t >= 100_000_000_000 => t,
        Some(t) if t >= 0 => t.saturating_mul(1000),
        _ => 0,
    }
}

/// An Instagram person: the IGSID is both the id and the address.
fn person(igsid: &str) -> Sender {
    Sender { id: igsid.to_owned(), address: igsid.to_owned(), ..Sender::default() }
}

/// A message with no content yet (kind unsupported).
fn blank(provider_id: String, sender: Sender, at_ms: i64, raw: &Value) -> Message {
    Message {
        provider_id,
        sender,
        at_ms,
        kind: Kind::Unsupported,
        text: None,
        media: None,
        location: None,
        contacts: None,
        payload: None,
        reply_to: None,
        reacts_to: None,
        echo: false,
        raw: raw.clone(),
    }
}

/// One messaging item (or messaging-shaped change value).
fn parse_event(item: &Value, entry_id: &str, index: usize) -> Option<Event> {
    let id_of = |key: &str| get_object(item, key).and_then(|o| get_id(o, "id")).unwrap_or_default();
    let sender_id = id_of("sender");
    let recipient_id = id_of("recipient");
    let at_ms = to_ms(get_i64(item, "timestamp"));
    let derived = format!("ig:{entry_id}:{sender_id}:{at_ms}:{index}");

    if let Some(message) = get_object(item, "message") {
        return parse_message(item, message, &sender_id, &recipient_id, at_ms, derived);
    }
    if let Some(reaction) = get_object(item, "reaction") {
        if let Some(target) = get_string(reaction, "mid") {
            let mut m = blank(format!("{target}:reaction:{sender_id}:{at_ms}"), person(&sender_id), at_ms, item);
            m.kind = Kind::Reaction;
            m.text = match get_str(reaction, "action") {
                Some("unreact") => None,
                _ => get_string(reaction, "emoji").or_else(|| get_string(reaction, "reaction")),
            };
            m.reacts_to = Some(target);
            return Some(Event::Message(m));
        }
    }
    if let Some(read) = get_object(item, "read") {
        let mid = get_string(read, "mid");
        let watermark_ms = get_i64(read, "watermark").map(|w| to_ms(Some(w)));
        if mid.is_none() && watermark_ms.is_none() {
            return None;
        }
        return Some(Event::Status(Status {
            provider_id: mid.unwrap_or_default(),
            status: StatusKind::Read,
            at_ms,
            recipient: (!sender_id.is_empty()).then(|| sender_id.clone()),
            error: None,
            watermark_ms,
            raw: item.clone(),
        }));
    }
    if let Some(postback) = get_object(item, "postback") {
        let mut m = blank(get_string(postback, "mid").unwrap_or(derived), person(&sender_id), at_ms, item);
        m.kind = Kind::Interactive;
        m.text = get_string(postback, "title");
        m.payload = get_string(postback, "payload");
        return Some(Event::Message(m));
    }
    if let Some(edit) = get_object(item, "message_edit") {
        if let Some(mid) = get_string(edit, "mid") {
            return Some(Event::Edit(Edit {
                provider_id: mid,
                sender: person(&sender_id),
                // `None` would read as a deletion: an edit to nothing is an empty text.
                text: Some(get_str(edit, "text").unwrap_or_default().to_owned()),
                at_ms,
                raw: item.clone(),
            }));
        }
    }
    Some(Event::Message(blank(derived, person(&sender_id), at_ms, item)))
}

/// A `message` event: text, attachments, quick reply, echo, deletion.
fn parse_message(
    item: &Value,
    message: &Value,
    sender_id: &str,
    recipient_id: &str,
    at_ms: i64,
    derived: String,
) -> Option<Event> {
    let mid = get_string(message, "mid");
    let echo = get_bool(message, "is_echo");
    let sender = person(if echo { recipient_id } else { sender_id });

    if get_bool(message, "is_deleted") {
        return mid.map(|provider_id| Event::Edit(Edit { provider_id, sender, text: None, at_ms, raw: item.clone() }));
    }

    let mut m = blank(mid.unwrap_or(derived), sender, at_ms, item);
    m.echo = echo;
    m.reply_to = get_object(message, "reply_to").and_then(|r| get_string(r, "mid"));
    let text = get_string(message, "text");

    if get_bool(message, "is_unsupported") {
        return Some(Event::Message(m));
    }
    if let Some(payload) = get_object(message, "quick_reply").and_then(|q| get_string(q, "payload")) {
        m.kind = Kind::Interactive;
        m.text = text;
        m.payload = Some(payload);
    } else if let Some(first) = get_array(message, "attachments").first() {
        let url = get_object(first, "payload").and_then(|p| get_string(p, "url"));
        let kind = match get_str(first, "type") {
            Some("image") => Kind::Image,
            Some("video" | "ig_reel" | "reel") => Kind::Video,
            Some("audio") => Kind::Audio,
            Some("file") => Kind::Document,
            _ => Kind::Unsupported,
        };
        if let (Some(url), false) = (url, kind == Kind::Unsupported) {
            m.kind = kind;
            m.text = text;
            m.media = Some(Media { url: Some(url), ..Media::default() });
        }
    } else if text.is_some() {
        m.kind = Kind::Text;
        m.text = text;
    }
    Some(Event::Message(m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ACCOUNT: &str = "17841470026191358";
    const CUSTOMER: &str = "1234567890123456";
    const ECHO_MID: &str = "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODECHO";

    fn parse_ok(body: &str) -> Vec<Item> {
        let items = parse(body.as_bytes()).expect("fixture parses");
        assert!(items.iter().all(|i| i.account_id == ACCOUNT));
        items
    }

    fn message(item: &Item) -> &Message {
        match &item.event {
            Event::Message(m) => m,
            other => panic!("expected a message, got {other:?}"),
        }
    }

    #[test]
    fn text() {
        let items = parse_ok(include_str!("../tests/fixtures/ig_text.json"));
        assert_eq!(items.len(), 1);
        let m = message(&items[0]);
        assert_eq!(m.provider_id, "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODTEXT1");
        assert_eq!(m.kind, Kind::Text);
        assert_eq!(m.text.as_deref(), Some("Hi! Do you have this jacket in size M?"));
        assert_eq!(m.sender, Sender { id: CUSTOMER.into(), address: CUSTOMER.into(), ..Sender::default() });
        assert_eq!(m.at_ms, 1_749_416_383_000);
        assert!(!m.echo);
        assert_eq!(m.raw["sender"]["id"], CUSTOMER);
    }

    #[test]
    fn attachments() {
        let items = parse_ok(include_str!("../tests/fixtures/ig_attachments.json"));
        let m: Vec<&Message> = items.iter().map(message).collect();
        assert_eq!(m.iter().map(|m| m.kind).collect::<Vec<_>>(), [Kind::Image, Kind::Video, Kind::Document]);
        for (m, asset) in m.iter().zip(["18023456789012345", "18023456789012346", "18023456789012347"]) {
            let media = m.media.as_ref().unwrap();
            assert!(media.url.as_deref().unwrap().contains(asset));
            assert_eq!(media.media_id, None);
            assert_eq!(m.text, None);
            assert_eq!(m.sender.id, CUSTOMER);
        }
    }

    #[test]
    fn several_attachments_use_the_first() {
        let body = json!({"object": "instagram", "entry": [{"id": ACCOUNT, "messaging": [{"sender": {"id": CUSTOMER},
            "recipient": {"id": ACCOUNT}, "timestamp": 1, "message": {"mid": "m.1", "attachments": [
                {"type": "audio", "payload": {"url": "https://cdn/a"}}, {"type": "image", "payload": {"url": "https://cdn/b"}}]}}]}]});
        let items = parse(body.to_string().as_bytes()).unwrap();
        let m = message(&items[0]);
        assert_eq!(m.kind, Kind::Audio);
        assert_eq!(m.media.as_ref().unwrap().url.as_deref(), Some("https://cdn/a"));
        assert_eq!(m.raw["message"]["attachments"][1]["payload"]["url"], "https://cdn/b");
    }

    #[test]
    fn echo_is_attributed_to_the_customer() {
        let items = parse_ok(include_str!("../tests/fixtures/ig_echo.json"));
        let m = message(&items[0]);
        assert!(m.echo);
        assert_eq!(m.provider_id, ECHO_MID);
        assert_eq!((m.sender.id.as_str(), m.sender.address.as_str()), (CUSTOMER, CUSTOMER));
        assert_eq!(m.text.as_deref(), Some("Yes, size M is in stock."));
    }

    #[test]
    fn read() {
        let items = parse_ok(include_str!("../tests/fixtures/ig_read.json"));
        let Event::Status(s) = &items[0].event else { panic!("expected a status") };
        assert_eq!((s.provider_id.as_str(), s.status), (ECHO_MID, StatusKind::Read));
        assert_eq!(s.recipient.as_deref(), Some(CUSTOMER));
        assert_eq!((s.at_ms, s.watermark_ms), (1_749_416_520_000, None));
    }

    #[test]
    fn read_by_watermark_only() {
        let body = json!({"object": "instagram", "entry": [{"id": ACCOUNT, "messaging": [
            {"sender": {"id": CUSTOMER}, "recipient": {"id": ACCOUNT}, "timestamp": 1_749_416_520_000_i64,
             "read": {"watermark": 1_749_416_510_000_i64}},
            {"sender": {"id": CUSTOMER}, "recipient": {"id": ACCOUNT}, "timestamp": 1, "read": {}}]}]});
        let items = parse(body.to_string().as_bytes()).unwrap();
        assert_eq!(items.len(), 1, "a read naming nothing is skipped");
        let Event::Status(s) = &items[0].event else { panic!("expected a status") };
        assert_eq!((s.provider_id.as_str(), s.watermark_ms), ("", Some(1_749_416_510_000)));
    }

    #[test]
    fn reaction_and_unreact() {
        let items = parse_ok(include_str!("../tests/fixtures/ig_reaction.json"));
        let (r, u) = (message(&items[0]), message(&items[1]));
        assert_eq!(r.kind, Kind::Reaction);
        assert_eq!(r.provider_id, format!("{ECHO_MID}:reaction:{CUSTOMER}:1749416530000"));
        assert_eq!((r.text.as_deref(), r.reacts_to.as_deref()), (Some("❤️"), Some(ECHO_MID)));
        assert_eq!(u.kind, Kind::Reaction);
        assert_eq!(u.provider_id, format!("{ECHO_MID}:reaction:{CUSTOMER}:1749416540000"));
        assert_eq!((u.text.as_deref(), u.reacts_to.as_deref()), (None, Some(ECHO_MID)));
        assert_eq!(u.sender.id, CUSTOMER);
    }

    #[test]
    fn quick_reply() {
        let items = parse_ok(include_str!("../tests/fixtures/ig_quick_reply.json"));
        let m = message(&items[0]);
        assert_eq!(m.kind, Kind::Interactive);
        assert_eq!((m.text.as_deref(), m.payload.as_deref()), (Some("Size M"), Some("SIZE_M")));
    }

    #[test]
    fn reply_to_message_and_story() {
        let items = parse_ok(include_str!("../tests/fixtures/ig_reply_to.json"));
        let (a, b) = (message(&items[0]), message(&items[1]));
        assert_eq!((a.kind, a.reply_to.as_deref()), (Kind::Text, Some(ECHO_MID)));
        assert_eq!(a.text.as_deref(), Some("Is it also available in blue?"));
        assert_eq!((b.kind, b.reply_to.as_deref()), (Kind::Text, None));
        assert_eq!(b.raw["message"]["reply_to"]["story"]["id"], "18034567890123456");
    }

    #[test]
    fn unsupported_and_share() {
        let items = parse_ok(include_str!("../tests/fixtures/ig_unsupported.json"));
        let (a, b) = (message(&items[0]), message(&items[1]));
        assert_eq!(
            (a.kind, a.provider_id.as_str()),
            (Kind::Unsupported, "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODUNSUP1")
        );
        assert_eq!(
            (b.kind, b.provider_id.as_str()),
            (Kind::Unsupported, "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODSHARE1")
        );
        assert_eq!((b.text.as_ref(), b.media.as_ref()), (None, None));
        assert_eq!(b.raw["message"]["attachments"][0]["type"], "share");
        assert_eq!(b.sender.id, CUSTOMER);
    }

    #[test]
    fn deletion_edit_postback_and_unknown_events() {
        let body = json!({"object": "instagram", "entry": [{"id": ACCOUNT, "time": 1, "messaging": [
            {"sender": {"id": CUSTOMER}, "recipient": {"id": ACCOUNT}, "timestamp": 1_749_416_600_000_i64,
             "message": {"mid": "m.DEL", "is_deleted": true}},
            {"sender": {"id": CUSTOMER}, "recipient": {"id": ACCOUNT}, "timestamp": 1_749_416_600_000_i64,
             "message": {"is_deleted": true}},
            {"sender": {"id": CUSTOMER}, "recipient": {"id": ACCOUNT}, "timestamp": 1_749_416_601_000_i64,
             "message_edit": {"mid": "m.ED", "text": "fixed typo", "num_edit": 1}},
            {"sender": {"id": CUSTOMER}, "recipient": {"id": ACCOUNT}, "timestamp": 1_749_416_602_000_i64,
             "postback": {"mid": "m.PB", "title": "Book now", "payload": "BOOK"}},
            {"sender": {"id": CUSTOMER}, "recipient": {"id": ACCOUNT}, "timestamp": 1_749_416_603_000_i64,
             "postback": {"title": "Menu", "payload": "MENU"}},
            {"sender": {"id": CUSTOMER}, "recipient": {"id": ACCOUNT}, "timestamp": 1_749_416_604_000_i64,
             "referral": {"ref": "ad_1", "source": "ADS", "type": "OPEN_THREAD"}},
            {"sender": {"id": CUSTOMER}, "recipient": {"id": ACCOUNT}, "timestamp": 1_749_416_605_000_i64,
             "message_edit": {"mid": "m.ED2", "num_edit": 2}}
        ]}]});
        let items = parse(body.to_string().as_bytes()).unwrap();
        assert_eq!(items.len(), 6, "a deletion without mid is skipped");
        let Event::Edit(deleted) = &items[0].event else { panic!("expected an edit") };
        assert_eq!((deleted.provider_id.as_str(), deleted.text.as_ref()), ("m.DEL", None));
        assert_eq!(deleted.sender.id, CUSTOMER);
        let Event::Edit(edited) = &items[1].event else { panic!("expected an edit") };
        assert_eq!((edited.provider_id.as_str(), edited.text.as_deref()), ("m.ED", Some("fixed typo")));
        let pb = message(&items[2]);
        assert_eq!((pb.kind, pb.provider_id.as_str()), (Kind::Interactive, "m.PB"));
        assert_eq!((pb.text.as_deref(), pb.payload.as_deref()), (Some("Book now"), Some("BOOK")));
        let derived = message(&items[3]);
        assert_eq!(derived.provider_id, format!("ig:{ACCOUNT}:{CUSTOMER}:1749416603000:4"));
        assert_eq!(derived.payload.as_deref(), Some("MENU"));
        let unknown = message(&items[4]);
        assert_eq!(
            (unknown.kind, unknown.provider_id.clone()),
            (Kind::Unsupported, format!("ig:{ACCOUNT}:{CUSTOMER}:1749416604000:5"))
        );
        assert_eq!(unknown.raw["referral"]["ref"], "ad_1");
        let Event::Edit(emptied) = &items[5].event else { panic!("expected an edit") };
        assert_eq!(emptied.text.as_deref(), Some(""), "an edit is never mistaken for a deletion");
        // Redelivery derives the same ids.
        assert_eq!(parse(body.to_string().as_bytes()).unwrap(), items);
    }

    #[test]
    fn changes_shaped_like_messaging_items() {
        let body = json!({"object": "instagram", "entry": [{"id": ACCOUNT, "time": 1, "changes": [
            {"field": "messages", "value": {"sender": {"id": "12334"}, "recipient": {"id": "23245"},
             "timestamp": "1527459824", "message": {"mid": "random_mid", "text": "random_text"}}},
            {"field": "comments", "value": {"id": "c1", "text": "nice", "from": {"id": "1"}}},
            {"field": "messaging_seen", "value": {"sender": {"id": "12334"}, "recipient": {"id": "23245"},
             "timestamp": 1_527_459_825_000_i64, "read": {"mid": "random_mid"}}}
        ]}]});
        let items = parse(body.to_string().as_bytes()).unwrap();
        assert_eq!(items.len(), 2);
        let m = message(&items[0]);
        assert_eq!((m.provider_id.as_str(), m.text.as_deref()), ("random_mid", Some("random_text")));
        assert_eq!((m.sender.id.as_str(), m.at_ms), ("12334", 1_527_459_824_000), "seconds become milliseconds");
        assert!(matches!(&items[1].event, Event::Status(s) if s.provider_id == "random_mid"));
    }

    #[test]
    fn envelope_errors_are_explained() {
        let reason = |body: &str| parse(body.as_bytes()).unwrap_err().reason;
        assert!(reason("").contains("not JSON"));
        assert!(reason("\"instagram\"").contains("not an object"));
        assert!(reason(r#"{"object":"page","entry":[]}"#).contains("\"page\""));
        assert!(reason(r#"{"object":"instagram"}"#).contains("entry"));
        assert!(reason(r#"{"object":"instagram","entry":null}"#).contains("entry"));
    }

    #[test]
    fn one_malformed_item_does_not_lose_the_batch() {
        let body = json!({"object": "instagram", "entry": [
            {"id": ACCOUNT, "messaging": [
                "garbage",
                {"sender": "nobody", "timestamp": "yesterday", "message": {"text": 5, "attachments": {"type": "image"}}},
                {"sender": {"id": CUSTOMER}, "recipient": {"id": ACCOUNT}, "timestamp": 1_749_416_383_000_i64,
                 "message": {"mid": "m.OK", "text": "fine"}}
            ]},
            {"id": 17841470026191358_i64, "messaging": {"not": "an array"}}
        ]});
        let items = parse(body.to_string().as_bytes()).unwrap();
        assert_eq!(items.len(), 2);
        let odd = message(&items[0]);
        assert_eq!(
            (odd.kind, odd.provider_id.as_str(), odd.at_ms),
            (Kind::Unsupported, "ig:17841470026191358::0:0", 0)
        );
        assert_eq!(message(&items[1]).text.as_deref(), Some("fine"));
    }
}
