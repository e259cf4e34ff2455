//! The canary test: a customer's data planted in every personal-data column a business's
//! customer can reach, through the real API and intake paths; an export made; then the
//! erasure. Afterwards each canary is searched for — plain, lower-case, JSON-escaped,
//! URL-encoded and base64 — in the SQLite file and its WAL (on PostgreSQL: `pg_dump`, live rows
//! only), the blob directory, the server's log and the export link: zero hits. The registry is
//! walked too: a personal column of customer data that holds no canary here must be listed
//! below with the reason. The plaintext of the queue's sealed mails is searched as well.

use super::ana_says;
use crate::helpers::*;
use crate::inbox::intake::{api, setup_with, tg_channel, tg_update};
use crate::phones::Fleet;
use frontdesk_core::pii::{Class, Retention};
use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex};

/// (table, column): the columns this test plants a canary in.
const PLANTED: &[(&str, &str)] = &[
    ("contacts", "name"),
    ("contacts", "email"),
    ("contacts", "phone"),
    ("contacts", "username"),
    ("contact_identities", "value"),
    ("contact_channels", "address"),
    ("contact_notes", "body"),
    ("threads", "preview"),
    ("messages", "body"),
    ("messages", "data"),
    ("messages", "raw"),
    ("messages", "provider_id"),
    ("media", "provider_media_id"),
    ("media", "filename"),
    ("media", "blob_key"),
    ("media", "url"),
    ("thread_notes", "body"),
    ("inbound_events", "body"),
    ("bookings", "customer_name"),
    ("bookings", "customer_email"),
    ("bookings", "customer_phone"),
    ("bookings", "notes"),
    ("bookings", "cancel_reason"),
    ("booking_answers", "value"),
    ("booking_events", "detail"),
    ("privacy_requests", "email"),
    ("privacy_requests", "details"),
];

/// Personal columns of customer data with no canary here, and why.
const NOT_PLANTED: &[(&str, &str, &str)] = &[
    ("contacts", "language", "a language code (`es`), not free text"),
    ("ai_drafts", "text", "the assistant's words from the business's facts; the rows are deleted"),
    ("assistant_settings", "api_key", "the business's own provider key"),
    ("channels", "secrets", "the business's channel credentials"),
    ("webhooks", "secret", "the business's webhook secret"),
    ("payment_accounts", "secret_key", "the business's Stripe key"),
    ("payment_accounts", "webhook_secret", "the business's Stripe endpoint secret"),
    ("workspace_profiles", "address", "the business's own address"),
    ("workspace_profiles", "email", "the business's own email"),
    ("workspace_profiles", "phone", "the business's own phone"),
    ("audit_log", "ip", "staff and requester addresses (loopback here), anonymised after 90 days (P37)"),
    ("bookings", "client_ip", "the booking page's client address (loopback here), anonymised after 90 days"),
    ("webchat_visitors", "ip", "web-chat only (this customer writes on Telegram); the rows are deleted"),
    ("device_activity", "actor_name", "a team member's name (account data), never a customer's"),
    ("device_activity", "ip", "a team member's address, anonymised after 90 days"),
    ("devices", "notes", "about the business's device"),
    ("customer_memberships", "contact_id", "an id, not a value (cleared by billing's part)"),
    ("customer_memberships", "stripe_customer_id", "a provider id; cleared by billing's part"),
    ("membership_sales", "contact_id", "an id, not a value (cleared by billing's part)"),
    ("payment_events", "payload", "no payment in this test (billing's part clears them for the person's payments)"),
    ("payment_refunds", "reason", "Legal: a financial record kept 7 years (P30)"),
    ("payments", "card", "Legal: a financial record kept 7 years (P30)"),
    ("payments", "contact_id", "Legal: a financial record kept 7 years (P30)"),
    ("payments", "note", "Legal: a financial record kept 7 years (P30)"),
    ("platform_billing_events", "payload", "the operator's Stripe events, about workspaces"),
    ("wallet_autotopups", "card", "the business's own card"),
    ("wallet_autotopups", "payment_method", "the business's own card"),
    ("wallet_entries", "reason", "Legal: the operator's ledger about workspaces"),
    ("privacy_requests", "outcome", "the owner's note"),
    ("invoice_profiles", "legal_name", "the business's own legal name"),
    ("invoice_profiles", "tax_id", "the business's own tax id"),
    ("invoices", "contact_id", "no invoice in this test: billing::invoices' erasure test covers invoices"),
    ("invoices", "buyer_name", "Legal: an invoice's buyer, kept 7 years (P30)"),
    ("invoices", "buyer_tax_id", "Legal: an invoice's buyer, kept 7 years (P30)"),
    ("invoices", "buyer_address", "Legal: an invoice's buyer, kept 7 years (P30)"),
    ("invoices", "buyer_email", "no invoice in this test: billing::invoices' erasure test clears it"),
    ("invoices", "buyer_phone", "no invoice in this test: billing::invoices' erasure test clears it"),
    ("invoices", "notes", "no invoice in this test: billing::invoices' erasure test clears it"),
    ("invoices", "seller", "Legal: the business as it was on the invoice"),
    ("invoice_lines", "description", "Legal: what an invoice sold, kept 7 years (P30)"),
    ("contacts", "tax_id", "no tax details in this test: billing::invoices' erasure test clears them"),
    (
        "calendar_connections",
        "access_token",
        "a staff member's grant to their own Google calendar (sealed), not a customer's",
    ),
    (
        "calendar_connections",
        "refresh_token",
        "a staff member's grant to their own Google calendar (sealed), not a customer's",
    ),
    ("contacts", "billing_address", "no tax details in this test: billing::invoices' erasure test clears them"),
];

/// Every form a canary may take in bytes at rest: as is, lower-case, JSON-escaped,
/// URL-encoded, and base64 at each of the three alignments (its stable middle part).
fn forms(c: &str) -> Vec<Vec<u8>> {
    use base64::Engine;
    let mut out = vec![c.as_bytes().to_vec(), c.to_lowercase().into_bytes()];
    out.push(serde_json::to_string(c).unwrap().trim_matches('"').as_bytes().to_vec());
    out.push(url::form_urlencoded::byte_serialize(c.as_bytes()).collect::<String>().into_bytes());
    for pad in 0..3 {
        let text = format!("{}{c}", "x".repeat(pad));
        let b = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
        let skip = (pad * 4).div_ceil(3) + 4;
        if b.len() > skip + 8 {
            out.push(b.as_bytes()[skip..b.len() - 4].to_vec());
        }
    }
    out.sort();
    out.dedup();
    out
}

fn hits(hay: &[u8], canaries: &[(&str, String)]) -> Vec<String> {
    let mut found = vec![];
    for (col, c) in canaries {
        for f in forms(c) {
            if hay.windows(f.len()).any(|w| w == f.as_slice()) {
                found.push(format!("{col} ({})", String::from_utf8_lossy(&f)));
            }
        }
    }
    found
}

fn files_under(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn an_erased_customer_leaves_no_trace_in_the_database_the_blobs_the_log_or_the_exports() {
    // The server's log, at debug level, for this test (its tasks run on this thread).
    let log = Log::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // Every column in the registry that holds a business's customer data is planted here or
    // listed with its reason.
    for (table, column, class) in frontdesk_server::REGISTRY.iter().flat_map(|s| s.iter()) {
        if let Class::Personal(_, _, r) = class {
            if matches!(r, Retention::Workspace | Retention::RawEvents | Retention::Days90 | Retention::Legal) {
                let listed = PLANTED.contains(&(*table, *column))
                    || NOT_PLANTED.iter().any(|(t, c, _)| t == table && c == column);
                assert!(listed, "{table}.{column} holds customer data: plant a canary in it or list it with a reason");
            }
        }
    }

    let s = setup_with(Options { job_workers: Some(0), ..Default::default() }).await;
    let t = &s.t;
    let canary = |tag: &str| format!("Zq7{tag}Kx9");
    let name = canary("Name");
    let user = "zq7user_kx9".to_string();
    let tg_id: i64 = 77_700_011_123;
    let text = canary("Text");
    let file_id = canary("FileId");
    let file_name = format!("{}.pdf", canary("File"));
    let caption = canary("Caption");
    let email = "zq7mail.kx9@example.com".to_string();
    let phone_digits = "611777003";
    let note = canary("ContactNote");
    let thread_note = canary("ThreadNote");
    let booking_note = canary("BookingNote");
    let answer = canary("Answer");
    let cancel = canary("Cancel");
    let details = canary("Details");

    // Intake: her messages on Telegram, one with a document.
    let (tg, secret) = tg_channel(t, &s.token, &s.fake).await;
    let mut first = ana_says(&s, 901, &text);
    first["message"]["from"] = json!({ "id": tg_id, "is_bot": false, "first_name": name, "username": user });
    first["message"]["chat"] = json!({ "id": tg_id, "type": "private", "first_name": name });
    tg_update(t, &tg, &secret, &first).await;
    let doc = json!({ "update_id": 902, "message": { "message_id": 902, "date": t.app().now().0 / 1000,
        "from": { "id": tg_id, "is_bot": false, "first_name": name, "username": user },
        "chat": { "id": tg_id, "type": "private", "first_name": name }, "caption": caption,
        "document": { "file_id": file_id, "file_unique_id": "u902", "file_name": file_name, "mime_type": "application/pdf", "file_size": 200 } } });
    tg_update(t, &tg, &secret, &doc).await;
    t.run_jobs().await;
    let th = crate::inbox::outbox::first_thread(t, &s.token).await;
    let thread = th["id"].as_str().unwrap().to_string();
    let contact = th["contact"]["id"].as_str().unwrap().to_string();
    // Staff: her email and phone, a note on her, a note in the conversation.
    let (st, v) = api(
        t,
        &s.token,
        "PATCH",
        &format!("/api/v1/contacts/{contact}"),
        Some(json!({ "email": email, "phone": format!("+34 {phone_digits}") })),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    let (st, v) =
        api(t, &s.token, "POST", &format!("/api/v1/contacts/{contact}/notes"), Some(json!({ "body": note }))).await;
    assert_eq!(st, 201, "{v}");
    let (st, v) =
        api(t, &s.token, "POST", &format!("/api/v1/threads/{thread}/notes"), Some(json!({ "body": thread_note })))
            .await;
    assert_eq!(st, 201, "{v}");
    // A booking for her with a note and an answer, cancelled with a reason.
    let (st, v) =
        api(t, &s.token, "PUT", "/api/v1/profile", Some(json!({ "time_zone": "Europe/Madrid", "currency": "EUR" })))
            .await;
    assert_eq!(st, 200, "{v}");
    let days = json!(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .map(|d| json!({ "day": d, "open": "00:00", "close": "23:59" }))
        .collect::<Vec<_>>());
    let (st, v) = api(
        t,
        &s.token,
        "POST",
        "/api/v1/booking/resources",
        Some(json!({ "kind": "staff", "name": "Eva", "time_zone": "Europe/Madrid", "hours": days })),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    let eva = v["id"].as_str().unwrap().to_string();
    let (st, v) = api(
        t,
        &s.token,
        "POST",
        "/api/v1/booking/services",
        Some(json!({ "name": "Cut", "duration_min": 30, "price": "20.00", "resources": [[eva]], "min_notice_min": 0 })),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    let service = v["id"].as_str().unwrap().to_string();
    let (st, v) = api(
        t,
        &s.token,
        "POST",
        &format!("/api/v1/booking/services/{service}/requirements"),
        Some(json!({ "label": "Allergies?", "kind": "text" })),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    let req = v["id"].as_str().unwrap().to_string();
    let start = frontdesk_core::Timestamp((t.app().now().0 / 3_600_000 + 48) * 3_600_000).to_rfc3339();
    let body = json!({ "service_id": service, "start": start, "contact_id": contact, "notes": booking_note,
                       "answers": [{ "requirement_id": req, "value": answer }] });
    let (st, v) = api(t, &s.token, "POST", "/api/v1/bookings", Some(body)).await;
    assert_eq!(st, 201, "{v}");
    let booking = v["id"].as_str().unwrap().to_string();
    let (st, v) =
        api(t, &s.token, "POST", &format!("/api/v1/bookings/{booking}/cancel"), Some(json!({ "reason": cancel })))
            .await;
    assert_eq!(st, 200, "{v}");
    // She asks for her data first, at the privacy page; then to be erased.
    let r = t
        .client()
        .post(t.url("/privacy/salon-a"))
        .form(&[("kind", "export"), ("email", email.as_str()), ("details", details.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let mut n = 1;
    let m = loop {
        let m = t.wait_mail(&email, n).await;
        if m.subject.contains("your code is") {
            break m;
        }
        n += 1;
    };
    let code = m.subject.rsplit(' ').next().unwrap().to_string();
    let link = m.link(&t.url("/privacy/requests/"));
    let path = link.trim_start_matches(&t.url("")).to_string();
    let r = t.client().post(t.url(&format!("{path}/verify"))).form(&[("code", code.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let (_, list) = api(t, &s.token, "GET", "/api/v1/privacy/requests", None).await;
    let export_id = list["requests"][0]["id"].as_str().unwrap().to_string();
    let (st, v) =
        api(t, &s.token, "POST", &format!("/api/v1/privacy/requests/{export_id}/fulfil"), Some(json!({}))).await;
    assert_eq!(st, 200, "{v}");
    let zip = t.client().get(t.url(&format!("{path}/export"))).send().await.unwrap().bytes().await.unwrap().to_vec();
    // The "your request is answered" mail to her stays queued (sealed) until after the erasure.

    let canaries: Vec<(&str, String)> = vec![
        ("contacts.name", name.clone()),
        ("contacts.username", user.clone()),
        ("contacts.email", email.clone()),
        ("contacts.phone", phone_digits.to_string()),
        ("contact_identities.value", tg_id.to_string()),
        ("messages.body", text.clone()),
        ("media.blob_key / blob", file_id.clone()),
        ("media.filename", file_name.clone()),
        ("messages.data", caption.clone()),
        ("contact_notes.body", note.clone()),
        ("thread_notes.body", thread_note.clone()),
        ("bookings.notes", booking_note.clone()),
        ("booking_answers.value", answer.clone()),
        ("bookings.cancel_reason", cancel.clone()),
        ("privacy_requests.details", details.clone()),
    ];
    // Before: planted, and in the export.
    let before = db_bytes(t).await;
    for (col, c) in &canaries {
        assert!(!hits(&before, &[(col, c.clone())]).is_empty(), "{col}: the canary was planted");
    }
    let in_export = [
        "contacts.name",
        "contacts.email",
        "messages.body",
        "contact_notes.body",
        "bookings.notes",
        "booking_answers.value",
        "media.blob_key / blob",
    ];
    for (col, c) in canaries.iter().filter(|(col, _)| in_export.contains(col)) {
        assert!(!hits(&zip, &[(col, c.clone())]).is_empty(), "{col} is in her export");
    }

    // A mail to her waits in the queue, sealed.
    let queued = sealed_plaintext(t).await;
    assert!(!hits(&queued, &[("a queued mail", email.clone())]).is_empty(), "her mail is queued before the erasure");

    // The erasure, recorded by staff who checked who she is.
    let body = json!({ "kind": "erase", "contact_id": contact, "verified_how": "in person, with her ID" });
    let (st, v) = api(t, &s.token, "POST", "/api/v1/privacy/requests", Some(body)).await;
    assert_eq!(st, 201, "{v}");
    let erase = v["id"].as_str().unwrap().to_string();
    let (st, v) = api(t, &s.token, "POST", &format!("/api/v1/privacy/requests/{erase}/fulfil"), Some(json!({}))).await;
    assert_eq!((st.as_u16(), v["status"].as_str()), (200, Some("done")), "{v}");
    // Twice: nothing more to do, nothing breaks.
    let (st, _) = api(t, &s.token, "POST", &format!("/api/v1/privacy/requests/{erase}/fulfil"), Some(json!({}))).await;
    assert_eq!(st, 409);
    let r = t.client().get(t.url(&format!("{path}/export"))).send().await.unwrap();
    assert_eq!(r.status(), 404, "the export went with her data");
    // The plaintext of sealed values: the queued mails (the one to her was taken out).
    let sealed = sealed_plaintext(t).await;
    assert!(!sealed.is_empty(), "queued mails (the owners') were opened");
    let in_sealed = hits(&sealed, &canaries);
    assert!(in_sealed.is_empty(), "in sealed values: {in_sealed:?}");
    t.run_jobs().await;
    // The thread and the booking stay, without her.
    let (st, v) = api(t, &s.token, "GET", &format!("/api/v1/threads/{thread}"), None).await;
    assert_eq!(st, 200, "{v}");
    let (st, v) = api(t, &s.token, "GET", &format!("/api/v1/bookings/{booking}"), None).await;
    assert_eq!(st, 200, "{v}");
    // The audit chain still verifies (it holds ids only).
    assert!(frontdesk_platform::audit::verify_all(t.app()).await.unwrap().is_ok(), "the audit chains verify");

    let dir = t.dir.clone();
    let db = db_bytes(t).await;
    let log_text = log.0.lock().unwrap().clone();
    s.t.halt().await;
    let db_after_close = db_file_bytes(&dir).unwrap_or_default();
    let mut found = vec![];
    for (place, bytes) in [("database", &db), ("database file after close", &db_after_close), ("log", &log_text)] {
        for h in hits(bytes, &canaries) {
            found.push(format!("{place}: {h}"));
        }
    }
    let mut files = vec![];
    files_under(&dir.join("blobs"), &mut files);
    for f in files {
        let bytes = std::fs::read(&f).unwrap_or_default();
        for h in hits(&bytes, &canaries) {
            found.push(format!("{}: {h}", f.display()));
        }
    }
    assert!(found.is_empty(), "what erasure left behind: {found:#?}");
}

/// What the queue's sealed mails say (their plaintext, joined).
async fn sealed_plaintext(t: &TestApp) -> Vec<u8> {
    let mut c = t.app().db.conn().await.unwrap();
    let rows: Vec<(String, String)> = frontdesk_store::row::all_with(
        &mut c,
        "SELECT id, payload FROM jobs WHERE kind = $1 AND payload <> ''",
        frontdesk_platform::mail::KIND,
        |r| {
            Ok((
                frontdesk_store::row::FromColumn::from_column(r, "id")?,
                frontdesk_store::row::FromColumn::from_column(r, "payload")?,
            ))
        },
    )
    .await
    .unwrap();
    let mut out = vec![];
    for (id, payload) in rows {
        let plain = frontdesk_platform::mail::open_queued(t.app(), &id, &payload).expect("a sealed mail opens");
        out.extend(plain);
    }
    out
}

/// The database's bytes at rest: the SQLite file and its WAL, or PostgreSQL's dump.
async fn db_bytes(t: &TestApp) -> Vec<u8> {
    let url = t.config.database.url.clone();
    if url.starts_with("postgres") {
        let out = std::process::Command::new("pg_dump").arg("--data-only").arg(&url).output().expect("pg_dump runs");
        assert!(out.status.success(), "pg_dump: {}", String::from_utf8_lossy(&out.stderr));
        return out.stdout;
    }
    db_file_bytes(&t.dir).expect("the SQLite file")
}

fn db_file_bytes(dir: &std::path::Path) -> Option<Vec<u8>> {
    let mut files = vec![];
    files_under(dir, &mut files);
    let mut out = vec![];
    let mut any = false;
    for f in files {
        let n = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if n.ends_with(".db") || n.ends_with(".db-wal") || n.ends_with(".sqlite") || n.ends_with(".sqlite-wal") {
            out.extend(std::fs::read(&f).ok()?);
            any = true;
        }
    }
    any.then_some(out)
}

/// (table, column): the account data the account test plants a canary in.
const ACCOUNT_PLANTED: &[(&str, &str)] = &[
    ("users", "email"),
    ("users", "name"),
    ("users", "password_hash"),
    ("users", "totp_secret"),
    ("recovery_codes", "code_hash"),
    ("sessions", "user_agent"),
    ("invitations", "email"),
    ("device_activity", "actor_name"),
    ("devices", "lease_name"),
    ("jobs", "payload"),
    ("privacy_requests", "email"),
    ("privacy_requests", "details"),
    ("sessions", "time_zone"),
    ("user_devices", "device_hash"),
    ("email_tokens", "payload"),
    ("users", "picture_url"),
    ("oidc_identities", "subject"),
    ("oidc_identities", "email"),
    ("oidc_identities", "name"),
    ("oidc_identities", "picture_url"),
];

/// Account-lifetime columns with no canary in the account test, and why.
const ACCOUNT_NOT_PLANTED: &[(&str, &str, &str)] = &[
    ("sessions", "ip", "loopback here; the session rows are deleted with the user agent planted beside it"),
    ("users", "last_seen_at", "a time, not a value; cleared by the inbox's part"),
    ("phone_providers", "secret", "the operator's provider credentials, not a member's"),
    ("devices", "stream_url", "the device's viewing link, not the member's"),
];

#[tokio::test]
async fn an_erased_account_leaves_no_trace_and_its_sessions_end() {
    let log = Log::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // Every account-lifetime column in the registry is planted here or listed with its reason.
    for (table, column, class) in frontdesk_server::REGISTRY.iter().flat_map(|s| s.iter()) {
        if let Class::Personal(_, _, r) = class {
            if matches!(r, Retention::Account | Retention::UntilExpiry) {
                let listed = ACCOUNT_PLANTED.contains(&(*table, *column))
                    || ACCOUNT_NOT_PLANTED.iter().any(|(t, c, _)| t == table && c == column);
                assert!(listed, "{table}.{column} holds account data: plant a canary in it or list it with a reason");
            }
        }
    }

    let f = crate::phones::fleet(Options::default(), &["lab-00"]).await;
    let s = &f.s;
    let t = &s.t;
    let email = "zq7acct.kx9@example.com".to_string();
    let name = "Zq7AcctNameKx9".to_string();
    let agent = "Zq7AgentKx9/1.0".to_string();
    let details = "Zq7AcctDetailsKx9".to_string();

    // Invited by the owner; signs up from the invitation, on a browser that says who it is.
    let r = s
        .owner
        .post(t.url(&format!("/api/v1/workspaces/{}/invitations", s.ws)))
        .json(&json!({ "email": email, "role": "admin" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let token = t.wait_mail(&email, 1).await.token(&t.url("/invitations/"));
    let member = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(agent.as_str())
        .build()
        .unwrap();
    let form = [
        ("email", email.as_str()),
        ("name", name.as_str()),
        ("password", PASSWORD),
        ("adult", "yes"),
        ("invitation", token.as_str()),
    ];
    assert_eq!(member.post(t.url("/signup")).form(&form).send().await.unwrap().status(), 200);
    let zone = "Pacific/Chatham";
    let login = [("email", email.as_str()), ("password", PASSWORD), ("tz", zone)];
    assert_eq!(member.post(t.url("/login")).form(&login).send().await.unwrap().status(), 303);
    // An email change on its way (the new address rides on the link's token).
    let new_email = "zq7next.kx9@example.com".to_string();
    let change = [("email", new_email.as_str()), ("email_password", PASSWORD)];
    assert_eq!(member.post(t.url("/account/email")).form(&change).send().await.unwrap().status(), 200);
    // A Google identity linked to the account (as a Google sign-in leaves it).
    let (subject, picture) = ("Zq7SubjectKx9", "https://zq7picture.kx9.example/p.jpg");
    {
        let mut c = t.app().db.conn().await.unwrap();
        let id: String = frontdesk_store::row::scalar(&mut c, "SELECT id FROM users WHERE email = $1", email.as_str())
            .await
            .unwrap();
        frontdesk_store::row::execute(
            &mut c,
            "INSERT INTO oidc_identities (provider, subject, user_id, email, name, picture_url, created_at, last_used_at) \
             VALUES ('google', $1, $2, $3, $4, $5, 0, 0)",
            (subject, id.as_str(), email.as_str(), name.as_str(), picture),
        )
        .await
        .unwrap();
        frontdesk_store::row::execute(
            &mut c,
            "UPDATE users SET picture_url = $1 WHERE id = $2",
            (picture, id.as_str()),
        )
        .await
        .unwrap();
    }
    // Two-factor on, with its recovery codes.
    let page = member.get(t.url("/account/2fa")).send().await.unwrap().text().await.unwrap();
    let secret = page.split("data-secret>").nth(1).unwrap().split('<').next().unwrap().to_string();
    let raw = totp_rs::Secret::Encoded(secret).to_bytes().unwrap();
    let code = totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, raw)
        .unwrap()
        .generate(frontdesk_core::Timestamp(t.app().now().0).0 as u64 / 1000);
    let r = member.post(t.url("/account/2fa")).form(&[("code", code.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 200);
    // A phone the member drives: their name on its activity and on its lease.
    let phone = crate::phones::add(t, &s.token, &f.adb_profile, "Desk").await;
    crate::phones::drive(t, &s.token).await;
    let r = member.post(t.url(&format!("/api/v1/devices/{phone}/lease"))).json(&json!({})).send().await.unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    // A copy of their data first (its "answered" mail stays queued, sealed), then erasure.
    let r = member
        .post(t.url("/account/privacy"))
        .form(&[("kind", "access"), ("details", details.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let mine = member.get(t.url("/account/privacy")).send().await.unwrap().text().await.unwrap();
    let access = mine.split("data-request=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let r = f.op.post(t.url(&format!("/admin/privacy/{access}/fulfil"))).form(&[("note", "")]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let r = member.get(t.url(&format!("/account/privacy/{access}/export"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let zip = r.bytes().await.unwrap().to_vec();
    assert!(String::from_utf8_lossy(&zip).contains(&name), "their export holds their name");

    // The owner, the workspace's only owner, cannot be erased: the workspace would have nobody.
    let r = s.owner.post(t.url("/account/privacy")).form(&[("kind", "erase")]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let theirs = s.owner.get(t.url("/account/privacy")).send().await.unwrap().text().await.unwrap();
    let owner_erase = theirs.split("data-request=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let r =
        f.op.post(t.url(&format!("/admin/privacy/{owner_erase}/fulfil"))).form(&[("note", "")]).send().await.unwrap();
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("only owner of a workspace"));

    let r = member.post(t.url("/account/privacy")).form(&[("kind", "erase")]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let mine = member.get(t.url("/account/privacy")).send().await.unwrap().text().await.unwrap();
    let erase = mine.split("data-request=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    assert_ne!(erase, access);

    let one = |sql: &'static str| {
        let email = email.clone();
        async move {
            let mut c = t.app().db.conn().await.unwrap();
            frontdesk_store::row::scalars::<String>(&mut c, sql, email.as_str()).await.unwrap()
        }
    };
    let hash = one("SELECT password_hash FROM users WHERE email = $1").await.remove(0);
    let sealed_totp = one("SELECT totp_secret FROM users WHERE email = $1").await.remove(0);
    let recovery =
        one("SELECT r.code_hash FROM recovery_codes r JOIN users u ON u.id = r.user_id WHERE u.email = $1").await;
    assert_eq!(recovery.len(), 10);
    let canaries: Vec<(&str, String)> = vec![
        ("users.email / invitations.email / privacy_requests.email", email.clone()),
        ("users.name / device_activity.actor_name / devices.lease_name", name.clone()),
        ("users.password_hash", hash.rsplit('$').next().unwrap().to_string()),
        ("users.totp_secret", sealed_totp.clone()),
        ("recovery_codes.code_hash", recovery[0].clone()),
        ("sessions.user_agent", agent.clone()),
        ("privacy_requests.details", details.clone()),
        ("sessions.time_zone", zone.to_string()),
        ("user_devices.device_hash", frontdesk_platform::crypto::token_hash(&agent)),
        ("email_tokens.payload", new_email.clone()),
        ("oidc_identities.subject", subject.to_string()),
        ("users.picture_url / oidc_identities.picture_url", picture.to_string()),
    ];
    let before = db_bytes(t).await;
    for (col, v) in &canaries {
        assert!(!hits(&before, &[(col, v.clone())]).is_empty(), "{col}: the canary was planted");
    }
    let queued = sealed_plaintext(t).await;
    assert!(!hits(&queued, &[("a queued mail", email.clone())]).is_empty(), "a mail to them is queued");

    let r = f.op.post(t.url(&format!("/admin/privacy/{erase}/fulfil"))).form(&[("note", "")]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    // Twice: already answered.
    let r = f.op.post(t.url(&format!("/admin/privacy/{erase}/fulfil"))).form(&[("note", "")]).send().await.unwrap();
    assert_eq!(r.status(), 409);

    // Signed out everywhere, and the password no longer opens anything.
    assert_eq!(member.get(t.url("/api/v1/me")).send().await.unwrap().status(), 401);
    let again = t.client();
    assert_ne!(t.login(&again, &email, PASSWORD).await.status(), 303, "an erased account cannot sign in");
    // The workspace keeps its phone and its history, without their name.
    let members = s.owner.get(t.url(&format!("/api/v1/workspaces/{}/members", s.ws))).send().await.unwrap();
    let members = members.text().await.unwrap();
    assert!(members.contains("owner@example.com") && !members.contains(&email), "{members}");
    let d = crate::phones::device(t, &s.token, &phone).await;
    assert!(!d.to_string().contains(&name), "the lease ended with the account: {d}");
    let (_, act) = api(t, &s.token, "GET", &format!("/api/v1/devices/{phone}/activity"), None).await;
    let act = act["activity"].as_array().unwrap().clone();
    assert!(act.iter().any(|a| a["action"] == "lease"), "the activity stays: {act:?}");
    assert!(frontdesk_platform::audit::verify_all(t.app()).await.unwrap().is_ok(), "the audit chains verify");
    let sealed = sealed_plaintext(t).await;
    let in_sealed = hits(&sealed, &canaries);
    assert!(in_sealed.is_empty(), "in sealed values: {in_sealed:?}");

    let dir = t.dir.clone();
    let db = db_bytes(t).await;
    let log_text = log.0.lock().unwrap().clone();
    let Fleet { s, .. } = f;
    s.t.halt().await;
    let db_after_close = db_file_bytes(&dir).unwrap_or_default();
    let mut found = vec![];
    for (place, bytes) in [("database", &db), ("database file after close", &db_after_close), ("log", &log_text)] {
        for h in hits(bytes, &canaries) {
            found.push(format!("{place}: {h}"));
        }
    }
    let mut files = vec![];
    files_under(&dir.join("blobs"), &mut files);
    for f in files {
        let bytes = std::fs::read(&f).unwrap_or_default();
        for h in hits(&bytes, &canaries) {
            found.push(format!("{}: {h}", f.display()));
        }
    }
    assert!(found.is_empty(), "what the account's erasure left behind: {found:#?}");
}
