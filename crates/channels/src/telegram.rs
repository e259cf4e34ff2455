//! Telegram Bot API webhooks: one [`Update`](https://core.telegram.org/bots/api#update) per body.
//!
//! Shapes handled (Bot API reference, "Update", "Message", "CallbackQuery",
//! "ChatMemberUpdated"):
//!
//! * `message` / `business_message` → [`Event::Message`] with `provider_id`
//!   `"{chat.id}:{message_id}"`: text, photo (largest size), document, voice, audio, video,
//!   video note, animation, sticker, location, venue, contact; `caption` is the text;
//!   `reply_to_message` gives `reply_to`. Any other message (service messages, polls, dice,
//!   …) is [`Kind::Unsupported`] with its raw JSON.
//! * `edited_message` / `edited_business_message` → [`Event::Edit`] whose text is the new
//!   text or caption, `Some("")` when there is none (Telegram has no deletion updates).
//! * `callback_query` → an [`Kind::Interactive`] message with `provider_id` `"cb:{id}"`.
//! * `my_chat_member` in a private chat: the user blocked the bot (`kicked`) or unblocked it
//!   (`kicked` → `member`) → [`Event::Consent`].
//!
//! `account_id` is always empty: the webhook URL names the bot's channel.
//!
//! Choices where a payload is odd:
//!
//! * Every other update (`channel_post`, `poll`, `chat_member`, other `my_chat_member`
//!   changes, …) becomes an unsupported message with `provider_id` `"update:{update_id}"`
//!   and the whole update as `raw`. Its sender is built from the first `from` found in the
//!   update, else it is an empty [`Sender`] whose `id` is `""`: the consumer treats an empty
//!   sender id as unattributable. A `message` without `chat.id` or `message_id` is handled
//!   the same way.
//! * A `business_message` in a private chat whose `from` is not the chat's user was written
//!   by the business account itself: it is an echo, the sender is the chat's user.
//! * A callback query carries no time of its own: its `at_ms` is 0. Its `reply_to` is the
//!   message that carried the button.

use serde_json::Value;

use crate::json::{get_array, get_f64, get_i64, get_id, get_object, get_str, get_string, object_body, secs_to_ms};
use crate::{Consent, ConsentChange, Edit, Event, Item, Kind, Location, Media, Message, Sender, Unparseable};

/// Parses one Telegram `Update` into normalised items (at most one).
///
/// Fails only when the body is not an update at all: not JSON, not an object, or no
/// integer `update_id`.
pub fn parse(body: &[u8]) -> Result<Vec<Item>, Unparseable> {
    let update = object_body(body)?;
    let update_id = match update.get("update_id") {
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
        _ => return Err(Unparseable::new("no integer `update_id`: not a Telegram update")),
    };
    let event = parse_update(&update, &update_id).unwrap_or_else(|| Event::Message(unsupported(&update, &update_id)));
    Ok(vec![Item { account_id: String::new(), event }])
}

/// The event of a known update kind; `None` sends the update to [`unsupported`].
fn parse_update(update: &Value, update_id: &str) -> Option<Event> {
    if let Some(msg) = get_object(update, "message") {
        return parse_message(msg, false).map(Event::Message);
    }
    if let Some(msg) = get_object(update, "business_message") {
        return parse_message(msg, true).map(Event::Message);
    }
    if let Some(msg) = get_object(update, "edited_message") {
        return parse_edit(msg, false).map(Event::Edit);
    }
    if let Some(msg) = get_object(update, "edited_business_message") {
        return parse_edit(msg, true).map(Event::Edit);
    }
    if let Some(query) = get_object(update, "callback_query") {
        return parse_callback(query).map(Event::Message);
    }
    if let Some(member) = get_object(update, "my_chat_member") {
        return parse_chat_member(member, update_id).map(Event::Consent);
    }
    None
}

/// A person from a Telegram `User` (or private `Chat`) object; replies go to `address`.
fn person(user: &Value, address: String) -> Sender {
    let parts: Vec<&str> = ["first_name", "last_name"]
        .iter()
        .filter_map(|k| get_str(user, k))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let name = if parts.is_empty() { get_string(user, "title") } else { Some(parts.join(" ")) };
    Sender {
        id: get_id(user, "id").unwrap_or_default(),
        bsuid: None,
        phone: None,
        name,
        username: get_string(user, "username"),
        language: get_string(user, "language_code"),
        address,
    }
}

/// `"{chat.id}:{message_id}"` of a message, and its chat id.
fn message_key(msg: &Value) -> Option<(String, String)> {
    let chat_id = get_object(msg, "chat").and_then(|c| get_id(c, "id"))?;
    let message_id = get_id(msg, "message_id")?;
    Some((format!("{chat_id}:{message_id}"), chat_id))
}

/// The customer of a message and whether the business wrote it (see the module doc).
fn message_sender(msg: &Value, chat_id: &str, business: bool) -> (Sender, bool) {
    let chat = get_object(msg, "chat");
    match (get_object(msg, "from"), chat) {
        (Some(from), Some(chat)) => {
            let private = get_str(chat, "type") == Some("private");
            if business && private && get_id(from, "id").as_deref() != Some(chat_id) {
                (person(chat, chat_id.to_owned()), true)
            } else {
                (person(from, chat_id.to_owned()), false)
            }
        }
        (Some(from), None) => (person(from, chat_id.to_owned()), false),
        (None, Some(chat)) => (person(chat, chat_id.to_owned()), false),
        (None, None) => (Sender::default(), false),
    }
}

/// A `message` / `business_message`; `None` without a chat id or message id.
fn parse_message(msg: &Value, business: bool) -> Option<Message> {
    let (provider_id, chat_id) = message_key(msg)?;
    let (sender, echo) = message_sender(msg, &chat_id, business);
    let mut m = Message {
        provider_id,
        sender,
        at_ms: secs_to_ms(get_i64(msg, "date")),
        kind: Kind::Unsupported,
        text: None,
        media: None,
        location: None,
        contacts: None,
        payload: None,
        reply_to: get_object(msg, "reply_to_message")
            .and_then(|r| get_id(r, "message_id"))
            .map(|id| format!("{chat_id}:{id}")),
        reacts_to: None,
        echo,
        raw: msg.clone(),
    };
    if !fill_kind(&mut m, msg) {
        m.kind = Kind::Unsupported;
        m.text = None;
        m.media = None;
        m.location = None;
        m.contacts = None;
    }
    Some(m)
}

/// A Telegram file object (`file_id` required) as media.
fn file(obj: &Value) -> Option<Media> {
    Some(Media {
        media_id: Some(get_id(obj, "file_id")?),
        url: None,
        mime: get_string(obj, "mime_type"),
        filename: get_string(obj, "file_name"),
        sha256: None,
        size: get_i64(obj, "file_size"),
    })
}

/// The largest of a `photo` array of `PhotoSize`s: by pixels, then bytes, last on a tie
/// (Telegram lists sizes from small to large).
fn largest_photo(sizes: &[Value]) -> Option<&Value> {
    sizes.iter().filter(|s| get_id(s, "file_id").is_some()).max_by_key(|s| {
        let px = get_i64(s, "width").unwrap_or(0).saturating_mul(get_i64(s, "height").unwrap_or(0));
        (px, get_i64(s, "file_size").unwrap_or(0))
    })
}

/// A location object's coordinates.
fn location(obj: &Value) -> Option<Location> {
    Some(Location {
        latitude: get_f64(obj, "latitude")?,
        longitude: get_f64(obj, "longitude")?,
        name: None,
        address: None,
    })
}

/// Sets kind and content; false for a message of no kind we map.
fn fill_kind(m: &mut Message, msg: &Value) -> bool {
    let caption = get_string(msg, "caption");
    if let Some(text) = get_string(msg, "text") {
        m.kind = Kind::Text;
        m.text = Some(text);
        return true;
    }
    // `animation` comes with a `document` copy, and `venue` with a `location` copy: the
    // more specific key is read first.
    let media = [
        ("animation", Kind::Video),
        ("document", Kind::Document),
        ("video", Kind::Video),
        ("video_note", Kind::Video),
        ("voice", Kind::Audio),
        ("audio", Kind::Audio),
        ("sticker", Kind::Sticker),
    ];
    let found = if msg.get("photo").is_some() {
        Some((largest_photo(get_array(msg, "photo")).and_then(file), Kind::Image))
    } else {
        media.iter().find_map(|(key, kind)| get_object(msg, key).map(|obj| (file(obj), *kind)))
    };
    if let Some((media, kind)) = found {
        let Some(media) = media else { return false };
        m.kind = kind;
        m.media = Some(media);
        m.text = caption;
        return true;
    }
    if let Some(venue) = get_object(msg, "venue") {
        let Some(mut loc) = get_object(venue, "location").and_then(location) else { return false };
        loc.name = get_string(venue, "title");
        loc.address = get_string(venue, "address");
        m.kind = Kind::Location;
        m.location = Some(loc);
        return true;
    }
    if let Some(obj) = get_object(msg, "location") {
        let Some(loc) = location(obj) else { return false };
        m.kind = Kind::Location;
        m.location = Some(loc);
        return true;
    }
    if let Some(contact) = get_object(msg, "contact") {
        m.kind = Kind::Contacts;
        m.contacts = Some(contact.clone());
        return true;
    }
    false
}

/// An `edited_message` / `edited_business_message`; `None` without chat id or message id.
fn parse_edit(msg: &Value, business: bool) -> Option<Edit> {
    let (provider_id, chat_id) = message_key(msg)?;
    let (sender, _) = message_sender(msg, &chat_id, business);
    Some(Edit {
        provider_id,
        sender,
        // Never `None`, which would read as a deletion: no text left is an empty text.
        text: Some(get_string(msg, "text").or_else(|| get_string(msg, "caption")).unwrap_or_default()),
        at_ms: secs_to_ms(get_i64(msg, "edit_date").or_else(|| get_i64(msg, "date"))),
        raw: msg.clone(),
    })
}

/// A `callback_query` (an inline button pressed); `None` without an `id`.
fn parse_callback(query: &Value) -> Option<Message> {
    let id = get_id(query, "id")?;
    let from = get_object(query, "from");
    let button_message = get_object(query, "message");
    let key = button_message.and_then(message_key);
    let address = key
        .as_ref()
        .map(|(_, chat_id)| chat_id.clone())
        .or_else(|| from.and_then(|f| get_id(f, "id")))
        .unwrap_or_default();
    let data = get_string(query, "data");
    Some(Message {
        provider_id: format!("cb:{id}"),
        sender: match from {
            Some(f) => person(f, address),
            None => Sender { address, ..Sender::default() },
        },
        at_ms: 0,
        kind: Kind::Interactive,
        text: data.clone(),
        media: None,
        location: None,
        contacts: None,
        payload: data,
        reply_to: key.map(|(provider_id, _)| provider_id),
        reacts_to: None,
        echo: false,
        raw: query.clone(),
    })
}

/// A `my_chat_member` change that is a consent signal; `None` for any other change.
fn parse_chat_member(member: &Value, update_id: &str) -> Option<Consent> {
    let chat = get_object(member, "chat")?;
    if get_str(chat, "type") != Some("private") {
        return None;
    }
    let status = |key: &str| get_object(member, key).and_then(|m| get_str(m, "status"));
    let (change, source) = match (status("old_chat_member"), status("new_chat_member")?) {
        (_, "kicked") => (ConsentChange::OptOut, "telegram_blocked"),
        (Some("kicked"), "member") => (ConsentChange::OptIn, "telegram_unblocked"),
        _ => return None,
    };
    let chat_id = get_id(chat, "id").unwrap_or_default();
    let sender = match get_object(member, "from") {
        Some(from) => person(from, chat_id),
        None => person(chat, chat_id),
    };
    Some(Consent {
        sender,
        change,
        source,
        at_ms: secs_to_ms(get_i64(member, "date")),
        evidence: format!("update:{update_id}"),
        raw: member.clone(),
    })
}

/// Any update we do not map: an unsupported message keyed by the update id.
fn unsupported(update: &Value, update_id: &str) -> Message {
    let parts = || update.as_object().into_iter().flat_map(|o| o.values()).filter(|v| v.is_object());
    let sender = parts()
        .find_map(|part| {
            let from = get_object(part, "from")?;
            let address = get_object(part, "chat").and_then(|c| get_id(c, "id")).or_else(|| get_id(from, "id"));
            Some(person(from, address.unwrap_or_default()))
        })
        .unwrap_or_default();
    let at_ms = secs_to_ms(parts().find_map(|part| get_i64(part, "date")));
    Message {
        provider_id: format!("update:{update_id}"),
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
        raw: update.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse_one(body: &str) -> Event {
        let mut items = parse(body.as_bytes()).expect("fixture parses");
        assert_eq!(items.len(), 1);
        let item = items.remove(0);
        assert_eq!(item.account_id, "");
        item.event
    }

    fn message(event: Event) -> Message {
        match event {
            Event::Message(m) => m,
            other => panic!("expected a message, got {other:?}"),
        }
    }

    fn ann() -> Sender {
        Sender {
            id: "123456789".into(),
            bsuid: None,
            phone: None,
            name: Some("Ann".into()),
            username: Some("ann".into()),
            language: Some("en".into()),
            address: "123456789".into(),
        }
    }

    #[test]
    fn text() {
        let m = message(parse_one(include_str!("../tests/fixtures/tg_text.json")));
        assert_eq!(m.provider_id, "123456789:11");
        assert_eq!(m.sender, ann());
        assert_eq!((m.kind, m.text.as_deref()), (Kind::Text, Some("Hello, do you ship to Berlin?")));
        assert_eq!(m.at_ms, 1_749_416_383_000);
        assert_eq!((m.reply_to.as_ref(), m.echo), (None, false));
        assert_eq!(m.raw["message_id"], 11);
    }

    #[test]
    fn photo_takes_the_largest_size() {
        let m = message(parse_one(include_str!("../tests/fixtures/tg_photo.json")));
        assert_eq!((m.provider_id.as_str(), m.kind), ("123456789:12", Kind::Image));
        assert_eq!(m.text.as_deref(), Some("Is this one in stock?"));
        let media = m.media.unwrap();
        assert_eq!(media.media_id.as_deref(), Some("AgACAgIAAxkBAAMMZk1aPhotoLarge1280"));
        assert_eq!(media.size, Some(171_220));
    }

    #[test]
    fn document() {
        let m = message(parse_one(include_str!("../tests/fixtures/tg_document.json")));
        assert_eq!((m.kind, m.text.as_deref()), (Kind::Document, Some("My order")));
        let media = m.media.unwrap();
        assert_eq!(media.media_id.as_deref(), Some("BQACAgIAAxkBAAMNZk1aDocument1042"));
        assert_eq!(media.filename.as_deref(), Some("order-1042.pdf"));
        assert_eq!(media.mime.as_deref(), Some("application/pdf"));
        assert_eq!(media.size, Some(48_213));
    }

    #[test]
    fn voice() {
        let m = message(parse_one(include_str!("../tests/fixtures/tg_voice.json")));
        assert_eq!((m.kind, m.text.as_ref()), (Kind::Audio, None));
        let media = m.media.unwrap();
        assert_eq!(media.media_id.as_deref(), Some("AwACAgIAAxkBAAMOZk1aVoiceNote04"));
        assert_eq!((media.mime.as_deref(), media.size), (Some("audio/ogg"), Some(13_952)));
    }

    #[test]
    fn location() {
        let m = message(parse_one(include_str!("../tests/fixtures/tg_location.json")));
        assert_eq!(m.kind, Kind::Location);
        assert_eq!(m.location, Some(Location { latitude: 52.520008, longitude: 13.404954, name: None, address: None }));
    }

    #[test]
    fn venue_is_a_named_location() {
        let body = json!({"update_id": 1, "message": {"message_id": 3, "chat": {"id": 5, "type": "private"},
            "from": {"id": 5, "first_name": "Ann"}, "date": 1,
            "location": {"latitude": 52.5, "longitude": 13.4},
            "venue": {"location": {"latitude": 52.52, "longitude": 13.41}, "title": "Café Einstein", "address": "Unter den Linden 42"}}});
        let m = message(parse_one(&body.to_string()));
        let loc = m.location.unwrap();
        assert_eq!((loc.latitude, loc.name.as_deref()), (52.52, Some("Café Einstein")));
        assert_eq!(loc.address.as_deref(), Some("Unter den Linden 42"));
    }

    #[test]
    fn contact() {
        let m = message(parse_one(include_str!("../tests/fixtures/tg_contact.json")));
        assert_eq!(m.kind, Kind::Contacts);
        let c = m.contacts.unwrap();
        assert_eq!((c["first_name"].as_str(), c["phone_number"].as_str()), (Some("Ben"), Some("+4915112345678")));
    }

    #[test]
    fn sticker() {
        let m = message(parse_one(include_str!("../tests/fixtures/tg_sticker.json")));
        assert_eq!(m.kind, Kind::Sticker);
        assert_eq!(m.media.unwrap().media_id.as_deref(), Some("CAACAgIAAxkBAAMRZk1aStickerThumbsUp"));
    }

    #[test]
    fn animation_is_a_video_not_its_document_copy() {
        let body = json!({"update_id": 1, "message": {"message_id": 3, "chat": {"id": 5, "type": "private"}, "date": 1,
            "animation": {"file_id": "ANIM", "mime_type": "video/mp4"}, "document": {"file_id": "ANIM", "mime_type": "video/mp4"}}});
        let m = message(parse_one(&body.to_string()));
        assert_eq!(m.kind, Kind::Video);
        assert_eq!((m.sender.id.as_str(), m.sender.address.as_str()), ("5", "5"), "no `from`: the chat is the sender");
    }

    #[test]
    fn edited() {
        let Event::Edit(e) = parse_one(include_str!("../tests/fixtures/tg_edited.json")) else {
            panic!("expected an edit")
        };
        assert_eq!(e.provider_id, "123456789:11");
        assert_eq!(e.text.as_deref(), Some("Hello, do you ship to Hamburg?"));
        assert_eq!(e.at_ms, 1_749_416_443_000);
        assert_eq!(e.sender, ann());
    }

    #[test]
    fn edit_without_text_is_an_empty_text_not_a_deletion() {
        let body = json!({"update_id": 7, "edited_message": {"message_id": 12, "chat": {"id": 5, "type": "private"},
            "from": {"id": 5, "first_name": "Ann"}, "date": 10, "photo": [{"file_id": "P", "width": 1, "height": 1}]}});
        let Event::Edit(e) = parse_one(&body.to_string()) else { panic!("expected an edit") };
        assert_eq!((e.provider_id.as_str(), e.text.as_deref(), e.at_ms), ("5:12", Some(""), 10_000));
    }

    #[test]
    fn callback() {
        let m = message(parse_one(include_str!("../tests/fixtures/tg_callback.json")));
        assert_eq!((m.provider_id.as_str(), m.kind), ("cb:4382bfdwdsb323b2d9", Kind::Interactive));
        assert_eq!((m.text.as_deref(), m.payload.as_deref()), (Some("slot:tue-10"), Some("slot:tue-10")));
        assert_eq!(m.reply_to.as_deref(), Some("123456789:20"));
        assert_eq!(m.sender, ann());
        assert_eq!(m.at_ms, 0);
    }

    #[test]
    fn reply() {
        let m = message(parse_one(include_str!("../tests/fixtures/tg_reply.json")));
        assert_eq!(m.provider_id, "123456789:21");
        assert_eq!(m.reply_to.as_deref(), Some("123456789:20"));
        assert_eq!(m.text.as_deref(), Some("Tuesday works for me"));
    }

    #[test]
    fn blocked_and_unblocked() {
        let Event::Consent(out) = parse_one(include_str!("../tests/fixtures/tg_kicked.json")) else {
            panic!("consent")
        };
        assert_eq!((out.change, out.source), (ConsentChange::OptOut, "telegram_blocked"));
        assert_eq!((out.evidence.as_str(), out.at_ms), ("update:861234511", 1_749_416_480_000));
        assert_eq!(out.sender, ann());
        let Event::Consent(back) = parse_one(include_str!("../tests/fixtures/tg_member_again.json")) else {
            panic!("consent")
        };
        assert_eq!((back.change, back.source), (ConsentChange::OptIn, "telegram_unblocked"));
        assert_eq!(back.evidence, "update:861234512");
        assert_eq!(back.sender.id, "123456789");
    }

    #[test]
    fn other_member_changes_are_unsupported() {
        let body = json!({"update_id": 9, "my_chat_member": {"chat": {"id": -100, "type": "group", "title": "Team"},
            "from": {"id": 7, "first_name": "Bo"}, "date": 1,
            "old_chat_member": {"status": "left"}, "new_chat_member": {"status": "member"}}});
        let m = message(parse_one(&body.to_string()));
        assert_eq!((m.kind, m.provider_id.as_str()), (Kind::Unsupported, "update:9"));
        assert_eq!((m.sender.id.as_str(), m.sender.address.as_str()), ("7", "-100"));
    }

    #[test]
    fn channel_post_is_unattributable() {
        let m = message(parse_one(include_str!("../tests/fixtures/tg_channel_post.json")));
        assert_eq!((m.kind, m.provider_id.as_str()), (Kind::Unsupported, "update:861234513"));
        assert_eq!(m.sender, Sender::default());
        assert_eq!(m.at_ms, 1_749_416_500_000);
        assert_eq!(m.raw["channel_post"]["text"], "New arrivals this week!");
    }

    #[test]
    fn business_message_from_the_owner_is_an_echo() {
        let body = json!({"update_id": 2, "business_message": {"message_id": 8, "business_connection_id": "bc1",
            "from": {"id": 42, "first_name": "Shop", "last_name": "Owner"},
            "chat": {"id": 123456789, "type": "private", "first_name": "Ann", "username": "ann"}, "date": 1, "text": "Hi Ann"}});
        let m = message(parse_one(&body.to_string()));
        assert!(m.echo);
        assert_eq!((m.sender.id.as_str(), m.sender.name.as_deref()), ("123456789", Some("Ann")));
        let body = json!({"update_id": 3, "business_message": {"message_id": 9,
            "from": {"id": 123456789, "first_name": "Ann", "last_name": " Lee "},
            "chat": {"id": 123456789, "type": "private"}, "date": 1, "text": "Hi"}});
        let m = message(parse_one(&body.to_string()));
        assert!(!m.echo);
        assert_eq!(m.sender.name.as_deref(), Some("Ann Lee"));
    }

    #[test]
    fn odd_messages_are_unsupported_not_errors() {
        let body = json!({"update_id": 4, "message": {"message_id": 10, "chat": {"id": 5, "type": "private"},
            "from": {"id": 5}, "date": 1, "photo": [], "caption": "lost"}});
        let m = message(parse_one(&body.to_string()));
        assert_eq!((m.kind, m.text.as_ref(), m.provider_id.as_str()), (Kind::Unsupported, None, "5:10"));
        let body = json!({"update_id": 5, "message": {"chat": {"id": 5}, "text": "no message id"}});
        let m = message(parse_one(&body.to_string()));
        assert_eq!((m.kind, m.provider_id.as_str()), (Kind::Unsupported, "update:5"));
        let body = json!({"update_id": 6, "message": {"message_id": 1, "chat": {"id": 5}, "date": 1,
            "new_chat_title": "renamed"}});
        assert_eq!(message(parse_one(&body.to_string())).kind, Kind::Unsupported);
    }

    #[test]
    fn envelope_errors_are_explained() {
        let reason = |body: &str| parse(body.as_bytes()).unwrap_err().reason;
        assert!(reason("{").contains("not JSON"));
        assert!(reason("17").contains("not an object"));
        assert!(reason(r#"{"message":{}}"#).contains("update_id"));
        assert!(reason(r#"{"update_id":"861234501"}"#).contains("update_id"));
        assert!(reason(r#"{"update_id":1.5}"#).contains("update_id"));
        assert!(parse(br#"{"update_id":18446744073709551615}"#).is_ok());
    }
}
