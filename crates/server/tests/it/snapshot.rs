//! The route list and one recorded answer per API resource, compared with a committed copy
//! (`snapshots/api.json`): a refactoring that should change no behaviour proves it here. Ids,
//! times and secrets are replaced by placeholders (the same id by the same placeholder), so the
//! copy holds the shape and the values that do not vary from run to run.
//! `UPDATE_SNAPSHOTS=1 cargo test -p frontdesk-server --test it snapshot` writes the copy anew.

use crate::inbox::intake::{api, post_signed, setup, wa_channel, PHONE_A, SECRET};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("../../../channels/tests/fixtures/", $name))
    };
}

/// Placeholders for what varies between runs.
struct Normalizer {
    ids: HashMap<String, String>,
}

impl Normalizer {
    fn text(&mut self, s: &str) -> String {
        let uuid = |w: &str| {
            w.len() == 36
                && w.char_indices()
                    .all(|(i, c)| if [8, 13, 18, 23].contains(&i) { c == '-' } else { c.is_ascii_hexdigit() })
        };
        // Whole-value rules first: times, tokens.
        if s.len() >= 20 && s.as_bytes().get(4) == Some(&b'-') && s.contains('T') && s.ends_with('Z') {
            return "<time>".into();
        }
        for p in ["fdt_", "fdv_", "whsec_"] {
            if s.starts_with(p) {
                return format!("<{p}secret>");
            }
        }
        // Ids anywhere inside the text (URLs, embeds).
        let mut out = String::new();
        let mut i = 0;
        while i < s.len() {
            if s.is_char_boundary(i) && i + 36 <= s.len() && s.is_char_boundary(i + 36) && uuid(&s[i..i + 36]) {
                let n = self.ids.len();
                let id = self.ids.entry(s[i..i + 36].to_string()).or_insert_with(|| format!("<id{n}>")).clone();
                out.push_str(&id);
                i += 36;
            } else {
                let c = s[i..].chars().next().unwrap();
                out.push(c);
                i += c.len_utf8();
            }
        }
        // Server ports differ per run.
        let mut cleaned = String::new();
        let mut rest = out.as_str();
        while let Some(at) = rest.find("127.0.0.1:") {
            cleaned.push_str(&rest[..at + 10]);
            rest = rest[at + 10..].trim_start_matches(|c: char| c.is_ascii_digit());
            cleaned.push_str("<port>");
        }
        cleaned.push_str(rest);
        cleaned
    }

    fn value(&mut self, v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(self.text(s)),
            Value::Array(a) => Value::Array(a.iter().map(|x| self.value(x)).collect()),
            Value::Object(m) => {
                let mut out = Map::new();
                for (k, x) in m {
                    let x = match k.as_str() {
                        // Durations and counters that depend on the clock.
                        "seconds_left" | "expires_in" | "latency_ms" | "duration_ms" => json!("<varies>"),
                        _ => self.value(x),
                    };
                    out.insert(self.text(k), x);
                }
                Value::Object(out)
            }
            x => x.clone(),
        }
    }
}

#[tokio::test]
async fn the_route_list_and_recorded_api_answers_stay_the_same() {
    let s = setup().await;
    let t = &s.t;
    let ws = s.ws.clone();
    let wa = wa_channel(t, &s.token, PHONE_A).await;
    assert_eq!(post_signed(t, &format!("/webhooks/whatsapp/{wa}"), fixture!("wa_text.json"), SECRET).await, 200);
    t.settle().await;
    let (_, web) = api(
        t,
        &s.token,
        "POST",
        "/api/v1/channels",
        Some(json!({ "kind": "webchat", "name": "Site", "allowed_origins": ["https://salon.example"] })),
    )
    .await;
    let (_, threads) = api(t, &s.token, "GET", "/api/v1/threads", None).await;
    let th = threads["threads"][0]["id"].as_str().unwrap().to_string();
    let contact = threads["threads"][0]["contact"]["id"].as_str().unwrap().to_string();
    api(t, &s.token, "POST", &format!("/api/v1/threads/{th}/notes"), Some(json!({ "body": "Prefers mornings" }))).await;
    let (_, saved) = api(
        t,
        &s.token,
        "POST",
        "/api/v1/saved-replies",
        Some(json!({ "shortcut": "hi", "body": "Hello {{first_name}}!" })),
    )
    .await;
    let (_, hook) = api(
        t,
        &s.token,
        "POST",
        "/api/v1/webhooks",
        Some(json!({ "url": "https://hooks.example.com/fd", "events": ["message.created"] })),
    )
    .await;
    api(
        t,
        &s.token,
        "PUT",
        "/api/v1/business-hours",
        Some(json!({ "time_zone": "Europe/Madrid", "weekly": { "mon": [["09:00", "18:00"]] }, "closed_dates": [] })),
    )
    .await;
    let (_, inv) = api(
        t,
        &s.token,
        "POST",
        &format!("/api/v1/workspaces/{ws}/invitations"),
        Some(json!({ "email": "new@example.com", "role": "agent" })),
    )
    .await;
    frontdesk_platform::operator::set_operator(t.app(), "owner@example.com", true).await.unwrap();

    let web_id = web["id"].as_str().unwrap_or_default();
    let _ = saved;
    let hook_id = hook["id"].as_str().unwrap_or_default();
    let _ = inv;
    let gets = [
        "/api/v1/me".to_string(),
        "/api/v1/me/notifications".into(),
        "/api/v1/workspaces".into(),
        format!("/api/v1/workspaces/{ws}"),
        format!("/api/v1/workspaces/{ws}/members"),
        format!("/api/v1/workspaces/{ws}/invitations"),
        format!("/api/v1/workspaces/{ws}/api-tokens"),
        "/api/v1/channels".into(),
        format!("/api/v1/channels/{wa}"),
        format!("/api/v1/channels/{web_id}"),
        "/api/v1/threads".into(),
        "/api/v1/threads?status=open&limit=5".into(),
        format!("/api/v1/threads/{th}"),
        format!("/api/v1/threads/{th}/drafts"),
        format!("/api/v1/threads/{th}/saved-replies"),
        "/api/v1/contacts".into(),
        format!("/api/v1/contacts/{contact}"),
        format!("/api/v1/contacts/{contact}/consent"),
        "/api/v1/saved-replies".into(),
        "/api/v1/sessions".into(),
        "/api/v1/webhooks".into(),
        format!("/api/v1/webhooks/{hook_id}"),
        format!("/api/v1/webhooks/{hook_id}/deliveries"),
        "/api/v1/business-hours".into(),
        "/api/v1/inbox/settings".into(),
        "/api/v1/assistant".into(),
        "/api/v1/assistant/knowledge".into(),
        "/api/v1/assistant/ledger".into(),
        "/api/v1/admin/users".into(),
        "/api/v1/admin/workspaces".into(),
        "/api/v1/admin/inbound-events?status=processed".into(),
        "/api/v1/threads/00000000-0000-0000-0000-000000000000".into(),
    ];
    let mut n = Normalizer { ids: HashMap::new() };
    let mut answers = Map::new();
    for path in &gets {
        // A signed-in session for what needs a person (me, workspaces, admin), the token otherwise.
        let person = path.starts_with("/api/v1/me")
            || path.starts_with("/api/v1/sessions")
            || path.starts_with("/api/v1/workspaces")
            || path.starts_with("/api/v1/admin");
        let r = if person {
            s.owner.get(t.url(path)).send().await.unwrap()
        } else {
            reqwest::Client::new().get(t.url(path)).bearer_auth(&s.token).send().await.unwrap()
        };
        let status = r.status().as_u16();
        let body: Value = r.json().await.unwrap_or(Value::Null);
        let key = n.text(path);
        answers.insert(key, json!({ "status": status, "body": n.value(&body) }));
    }
    // As a sorted list: which area's table declares a route first is not behaviour.
    let mut routes: Vec<String> = frontdesk_web::route_specs()
        .iter()
        .map(|r| format!("{} {} {:?} — {}", r.path, r.method, r.access, r.summary))
        .collect();
    routes.sort();
    let got = json!({ "routes": routes, "answers": answers });
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/snapshots/api.json");
    let text = serde_json::to_string_pretty(&got).unwrap() + "\n";
    if std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, &text).unwrap();
    } else {
        let want = std::fs::read_to_string(&file).expect("snapshots/api.json (UPDATE_SNAPSHOTS=1 writes it)");
        if want != text {
            let w: Vec<&str> = want.lines().collect();
            let g: Vec<&str> = text.lines().collect();
            let first = w.iter().zip(&g).position(|(a, b)| a != b).unwrap_or(w.len().min(g.len()));
            panic!(
                "the API changed at line {}:\n  recorded: {}\n  now:      {}\n(run with UPDATE_SNAPSHOTS=1 if the change is intended)",
                first + 1,
                w.get(first).unwrap_or(&"<end>"),
                g.get(first).unwrap_or(&"<end>")
            );
        }
    }
    s.t.stop().await;
}
