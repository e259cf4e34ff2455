//! Property-based fuzzing of the three webhook parsers.
//!
//! 1. Arbitrary bytes (and byte-level damage to real fixtures) never panic.
//! 2. Arbitrary JSON values (depth ≤ 5), bare or inside each provider's envelope, never panic.
//! 3. Structure-aware: every fixture, mutated (a key dropped, a leaf replaced by a value of
//!    another type, a subtree replaced, array elements duplicated), never panics, and what it
//!    parses to keeps the parsers' invariants.
//!
//! The number of cases is `PROPTEST_CASES` (default 256), e.g.
//! `PROPTEST_CASES=20000 cargo test -p frontdesk-channels --test fuzz`.

use std::path::Path;
use std::sync::OnceLock;

use frontdesk_channels::{instagram, telegram, whatsapp, Event, Item, Unparseable};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::ValueTree;
use serde_json::{Number, Value};

type Parser = fn(&[u8]) -> Result<Vec<Item>, Unparseable>;

/// Fixture file prefix → its parser.
const PARSERS: [(&str, Parser); 3] = [("wa_", whatsapp::parse), ("ig_", instagram::parse), ("tg_", telegram::parse)];

/// Keys and strings the parsers look for, so random JSON reaches deep into them.
const WORDS: &[&str] = &[
    "object",
    "entry",
    "changes",
    "field",
    "value",
    "messages",
    "statuses",
    "contacts",
    "metadata",
    "phone_number_id",
    "user_preferences",
    "id",
    "from",
    "from_user_id",
    "user_id",
    "wa_id",
    "timestamp",
    "type",
    "text",
    "body",
    "image",
    "interactive",
    "button_reply",
    "reaction",
    "context",
    "errors",
    "status",
    "messaging",
    "sender",
    "recipient",
    "message",
    "mid",
    "attachments",
    "payload",
    "url",
    "is_echo",
    "is_deleted",
    "read",
    "watermark",
    "postback",
    "update_id",
    "chat",
    "message_id",
    "date",
    "photo",
    "file_id",
    "callback_query",
    "my_chat_member",
    "new_chat_member",
    "kicked",
    "member",
    "private",
    "whatsapp_business_account",
    "instagram",
    "stop",
    "failed",
];

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256);
    ProptestConfig { cases, ..ProptestConfig::default() }
}

/// Every fixture, with its parser.
fn fixtures() -> &'static [(String, Parser, Value)] {
    static FIXTURES: OnceLock<Vec<(String, Parser, Value)>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut all = Vec::new();
        for entry in std::fs::read_dir(&dir).expect("fixtures folder") {
            let path = entry.expect("fixture entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
            if !name.ends_with(".json") {
                continue;
            }
            let parser = PARSERS.iter().find(|(prefix, _)| name.starts_with(prefix)).expect("known prefix").1;
            let value = serde_json::from_slice(&std::fs::read(&path).expect("read fixture")).expect("fixture is JSON");
            all.push((name, parser, value));
        }
        all.sort_by(|a, b| a.0.cmp(&b.0));
        assert!(all.len() >= 30, "expected the fixtures, found {}", all.len());
        all
    })
}

/// What every successful parse must satisfy.
fn check(result: Result<Vec<Item>, Unparseable>) {
    let Ok(items) = result else { return };
    for item in items {
        match item.event {
            Event::Message(m) => {
                assert!(!m.provider_id.is_empty(), "a message always has an id to dedupe on");
                assert!(m.at_ms >= 0);
            }
            Event::Edit(e) => {
                assert!(!e.provider_id.is_empty());
                assert!(e.at_ms >= 0);
            }
            Event::Status(s) => {
                assert!(s.at_ms >= 0);
                assert!(!s.provider_id.is_empty() || s.watermark_ms.is_some());
            }
            Event::Consent(c) => {
                assert!(c.at_ms >= 0);
                assert!(!c.evidence.is_empty());
            }
        }
    }
}

fn check_all(body: &[u8]) {
    for (_, parse) in PARSERS {
        check(parse(body));
    }
}

fn arb_string() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(WORDS).prop_map(str::to_owned),
        2 => "[a-zA-Z0-9_.:+ -]{0,12}",
        1 => any::<String>(),
        1 => "[0-9]{1,20}",
    ]
}

fn arb_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        prop_oneof![Just(0i64), Just(-1), Just(1_749_416_383), Just(1_749_416_383_000), Just(i64::MAX), Just(i64::MIN)]
            .prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        arb_string().prop_map(Value::String),
    ]
}

/// Arbitrary JSON, at most 5 levels deep.
fn arb_json() -> impl Strategy<Value = Value> {
    arb_leaf().prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((arb_string(), inner), 0..6).prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// A step from a node to one of its children.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    At(usize),
}

/// Paths to every node of `v`, root first.
fn paths(v: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(here.clone());
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                here.push(Step::Key(k.clone()));
                paths(child, here, out);
                here.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                here.push(Step::At(i));
                paths(child, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn node<'a>(v: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(v, |node, step| match step {
        Step::Key(k) => node.get(k.as_str()),
        Step::At(i) => node.get(*i),
    })
}

fn node_mut<'a>(v: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |node, step| match step {
        Step::Key(k) => node.get_mut(k.as_str()),
        Step::At(i) => node.get_mut(*i),
    })
}

fn same_type(a: &Value, b: &Value) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Remove one key of one object.
    DropKey(Index, Index),
    /// Replace one leaf with a value of another type.
    ReplaceLeaf(Index, Value),
    /// Replace any node (often a whole object or array) with another value.
    ReplaceNode(Index, Value),
    /// Duplicate one element of one array, in place.
    Duplicate(Index, Index),
}

fn arb_mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::DropKey(a, b)),
        3 => (any::<Index>(), arb_json()).prop_map(|(a, v)| Mutation::ReplaceLeaf(a, v)),
        1 => (any::<Index>(), arb_json()).prop_map(|(a, v)| Mutation::ReplaceNode(a, v)),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::Duplicate(a, b)),
    ]
}

fn mutate(doc: &mut Value, mutation: &Mutation) {
    let mut all = Vec::new();
    paths(doc, &mut Vec::new(), &mut all);
    let pick = |doc: &Value, keep: &dyn Fn(&Value) -> bool| -> Vec<Vec<Step>> {
        all.iter().filter(|p| node(doc, p).is_some_and(keep)).cloned().collect()
    };
    match mutation {
        Mutation::DropKey(which, key) => {
            let objects = pick(doc, &|n| n.as_object().is_some_and(|o| !o.is_empty()));
            if objects.is_empty() {
                return;
            }
            if let Some(Value::Object(map)) = node_mut(doc, which.get::<Vec<Step>>(&objects)) {
                let k = key.get(&map.keys().cloned().collect::<Vec<_>>()).clone();
                map.remove(&k);
            }
        }
        Mutation::ReplaceLeaf(which, new) => {
            let leaves = pick(doc, &|n| !n.is_object() && !n.is_array());
            if leaves.is_empty() {
                return;
            }
            if let Some(leaf) = node_mut(doc, which.get::<Vec<Step>>(&leaves)) {
                *leaf = if same_type(leaf, new) {
                    // Same type drawn: flip to a type the leaf certainly is not.
                    if leaf.is_string() {
                        Value::from(7)
                    } else {
                        Value::from("7")
                    }
                } else {
                    new.clone()
                };
            }
        }
        Mutation::ReplaceNode(which, new) => {
            if let Some(node) = node_mut(doc, which.get::<Vec<Step>>(&all)) {
                *node = new.clone();
            }
        }
        Mutation::Duplicate(which, element) => {
            let arrays = pick(doc, &|n| n.as_array().is_some_and(|a| !a.is_empty()));
            if arrays.is_empty() {
                return;
            }
            if let Some(Value::Array(items)) = node_mut(doc, which.get::<Vec<Step>>(&arrays)) {
                let i = element.index(items.len());
                let copy = items[i].clone();
                items.insert(i, copy);
            }
        }
    }
}

#[test]
fn every_fixture_parses_with_its_parser_only() {
    for (name, parse, value) in fixtures() {
        let body = serde_json::to_vec(value).unwrap();
        let items = parse(&body).unwrap_or_else(|e| panic!("{name}: {}", e.reason));
        assert!(!items.is_empty(), "{name} yields items");
        check(Ok(items));
        for (_, other) in PARSERS.iter().filter(|(prefix, _)| !name.starts_with(prefix)) {
            assert!(other(&body).is_err(), "{name} is not another provider's envelope");
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check_all(&bytes);
    }

    #[test]
    fn damaged_fixture_bytes_never_panic(
        which in any::<Index>(),
        cut in any::<Index>(),
        edits in prop::collection::vec((any::<Index>(), any::<u8>()), 0..8),
    ) {
        let (_, parse, value) = which.get(fixtures());
        let mut bytes = serde_json::to_vec(value).unwrap();
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        bytes.truncate(cut.index(bytes.len() + 1));
        check(parse(&bytes));
    }

    #[test]
    fn arbitrary_json_never_panics(value in arb_json()) {
        check_all(&serde_json::to_vec(&value).unwrap());
    }

    #[test]
    fn arbitrary_json_in_an_envelope_never_panics(
        entry in arb_json(),
        update_id in any::<i64>(),
        key in prop::sample::select(&["message", "business_message", "edited_message", "callback_query",
            "my_chat_member", "channel_post"][..]),
    ) {
        for object in ["whatsapp_business_account", "instagram"] {
            let body = serde_json::json!({"object": object, "entry": [entry.clone(), {"id": "1", "changes": [entry.clone()],
                "messaging": [entry.clone()]}]});
            check_all(&serde_json::to_vec(&body).unwrap());
        }
        let body = serde_json::json!({"update_id": update_id, key: entry});
        check(telegram::parse(&serde_json::to_vec(&body).unwrap()));
    }

    #[test]
    fn mutated_fixtures_never_panic(which in any::<Index>(), mutations in prop::collection::vec(arb_mutation(), 1..6)) {
        let (_, parse, value) = which.get(fixtures());
        let mut doc = value.clone();
        for m in &mutations {
            mutate(&mut doc, m);
        }
        let body = serde_json::to_vec(&doc).unwrap();
        check(parse(&body));
        check_all(&body);
    }
}

#[test]
fn mutations_do_change_the_fixture() {
    let (_, _, original) = &fixtures()[0];
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut index = || any::<Index>().new_tree(&mut runner).expect("an index").current();
    let cases = [
        Mutation::DropKey(index(), index()),
        Mutation::ReplaceLeaf(index(), Value::Null),
        Mutation::ReplaceNode(index(), Value::Bool(true)),
        Mutation::Duplicate(index(), index()),
    ];
    for m in cases {
        let mut doc = original.clone();
        mutate(&mut doc, &m);
        assert_ne!(&doc, original, "{m:?} changed nothing");
    }
}
