//! A new owner's first visit in Chromium — sign up, confirm, land on Home with the checklist,
//! connect a web chat, answer a visitor in the three-pane inbox, find, edit and merge contacts,
//! sign out — and, in the same
//! browser, the page sweep: every GET page of the route table at 1280 px and at 375 px answers
//! 200, nothing scrolls sideways, the console stays quiet, and axe-core finds no violation of
//! impact serious or critical. Screenshots of every page at both widths go to
//! `target/screenshots/` for review.

use crate::helpers::{spawn_app, PASSWORD};
use crate::inbox::webchat::{browser_tools, BrowserScript};
use serde_json::{json, Value};

/// GET routes that are not pages a person looks at (streams, files, scripts, machine endpoints)
/// or that need a secret link of their own.
fn is_page(path: &str) -> bool {
    !(path.starts_with("/api/")
        || path.starts_with("/assets/")
        || path.starts_with("/chat/")
        || path.starts_with("/webhooks/")
        || path.starts_with("/files/")
        || path.starts_with("/invitations/")
        || path.starts_with("/admin")
        || ["/healthz", "/readyz", "/metrics", "/home", "/"].contains(&path)
        || path.ends_with("/events")
        || path.ends_with(".csv")
        || path.contains("/media/")
        || path.ends_with("/logo")
        || path.ends_with("/ics")
        || path.ends_with("/pdf")
        || path.starts_with("/auth/")
        || path.starts_with("/calendars/")
        || path.starts_with("/calendar/")
        || path == "/account/email"
        || path.contains("/invoices/exports/")
        || path.ends_with("/export"))
}

#[tokio::test]
async fn a_new_owner_signs_up_answers_a_web_chat_and_every_page_fits_and_passes_axe() {
    let Some(dir) = browser_tools() else { return };
    let t = spawn_app().await;
    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    let email = "lucia@example.com";
    let args = [t.base.clone(), email.into(), PASSWORD.into(), shots.display().to_string()];
    let mut b = BrowserScript::start(&dir, "sweep.mjs", &args);

    // Sign-up, then the emailed link.
    let v = b.step("signed-up").await;
    assert!(v["text"].as_str().unwrap().contains(email), "{v}");
    let link = t.wait_mail(email, 1).await.link(&t.url("/verify-email"));
    say(&mut b, link).await;
    let v = b.step("home").await;
    assert_eq!(v["landed"], t.url("/app"), "no workspace yet: the list, to create one: {v}");
    let home = v["url"].as_str().unwrap().to_string();
    let ws = home.strip_prefix(&t.url("/w/")).expect("lands on the new workspace's Home").to_string();
    assert!(frontdesk_core::WorkspaceId::parse(&ws).is_some(), "{v}");
    assert_eq!(v["checklist"], 4, "the whole checklist to do: {v}");
    assert_eq!(v["signOutVisible"], true, "{v}");

    // The web chat made from the checklist; a visitor of the salon's site writes.
    let v = b.step("channel").await;
    let ch = v["channel"].as_str().expect("a web chat channel").to_string();
    let c = reqwest::Client::new();
    let site = "https://salon.example";
    let r = c
        .post(t.url(&format!("/chat/{ch}/conversations")))
        .header("origin", site)
        .json(&json!({ "name": "Ana" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let token = r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string();
    let r = c
        .post(t.url(&format!("/chat/{ch}/messages")))
        .header("origin", site)
        .bearer_auth(&token)
        .json(&json!({ "text": "Hi! Can I come on Saturday at 10?", "client_id": "c1" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    b.go().await;
    let v = b.step("replied").await;
    assert!(v["preview"].as_str().unwrap().contains("Ana"), "the customer by name, never an id: {v}");
    assert_eq!(v["panes"], json!(["list", "conversation", "details"]), "three panes: {v}");
    assert_eq!(v["sender"], "Lucía Pérez", "{v}");
    assert_eq!(v["errors"], json!([]), "{v}");
    let thread = v["url"].as_str().unwrap().rsplit('/').next().unwrap().split('?').next().unwrap().to_string();
    // The visitor has the answer.
    let mut answered = false;
    for _ in 0..50 {
        let r = c
            .get(t.url(&format!("/chat/{ch}/messages")))
            .header("origin", site)
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        let list: Value = r.json().await.unwrap();
        if list["messages"].as_array().unwrap().iter().any(|m| m["text"] == "Hola Ana, yes: Saturday at 10 is free.") {
            answered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(answered, "the visitor sees the reply");

    // Contacts: an imported customer with an email; the browser finds, edits and merges.
    let access = {
        let mut c = t.app().db.conn().await.unwrap();
        let user = frontdesk_platform::repo::users::by_email(&mut c, email).await.unwrap().unwrap();
        drop(c);
        let p = frontdesk_platform::workspaces::Principal::User { id: user.id, ip: None };
        frontdesk_platform::workspaces::authorize(t.app(), &p, &ws, frontdesk_core::Action::ManageSettings)
            .await
            .unwrap()
    };
    let csv = "name,email\nAna García,ana@example.com\n";
    frontdesk_inbox::contacts::import(t.app(), &access, csv.as_bytes()).await.unwrap();
    b.go().await;
    let v = b.step("contacts").await;
    assert_eq!(v["found"], 2, "both Anas: {v}");
    assert!(v["match"].as_str().unwrap().contains("Ana García"), "the same email is a possible match: {v}");
    assert!(v["asked"].as_str().unwrap().starts_with("Merge Ana García into Ana?"), "{v}");
    assert_eq!(v["after"], 1, "one Ana after the merge: {v}");
    assert_eq!((v["toast"].as_bool(), v["cleanUrl"].as_bool()), (Some(true), Some(true)), "a saved toast: {v}");

    // The sweep, over this workspace (a contact's page with the visitor's contact).
    let mut c = t.app().db.conn().await.unwrap();
    let contact: String =
        frontdesk_store::row::scalar(&mut c, "SELECT contact_id FROM threads WHERE id = $1", thread.as_str())
            .await
            .unwrap();
    drop(c);
    let (resource, service, booking) = bookings_of(&t, &access, &contact).await;
    let (slug, manage) = crate::bookings::public::sweep_booking(&t, email, &ws).await;
    // A payment taken at the desk for the booking: its staff page and the customer's pages.
    let billing = &t.running.as_ref().unwrap().billing;
    let manual = frontdesk_billing::pay::ManualInput {
        booking_id: Some(booking.clone()),
        amount_minor: 1800,
        currency: "EUR".into(),
        method: "cash".into(),
        note: Some("Caja 1".into()),
    };
    let paid = frontdesk_billing::pay::record_manual(billing, &access, &manual).await.unwrap();
    let pay_token = frontdesk_billing::pay::token(&t.app().platform, &paid);
    let payment = paid.id.to_string();
    // A pass the customer holds, for its page.
    let plan: frontdesk_billing::memberships::PlanInput = serde_json::from_value(json!({
        "kind": "pass", "name": "Bono 5", "price": "80", "sessions": 5, "valid_days": 90, "service_ids": [service]
    }))
    .unwrap();
    let plan = frontdesk_billing::memberships::create_plan(billing, &access, &plan).await.unwrap();
    let sold = frontdesk_billing::memberships::SellInput {
        plan_id: plan.id,
        contact_id: contact.clone(),
        method: "cash".into(),
    };
    let held = frontdesk_billing::memberships::sell(billing, &access, &sold).await.unwrap();
    let member_link = frontdesk_billing::memberships::link(&t.app().platform, &held);
    let member_token = member_link.rsplit('/').next().unwrap().to_string();
    // The demo's lab: a provider, a profile and a phone of this workspace, for the phone pages.
    let phones = &t.running.as_ref().unwrap().phones;
    frontdesk_phones::demo::seed(phones, &ws).await.unwrap();
    let device = frontdesk_phones::devices::list(phones, &access.workspace.id).await.unwrap()[0].id.to_string();
    // A privacy request about the customer, for the requester's page and the owners' list.
    let privacy = &t.running.as_ref().unwrap().privacy;
    let asked = frontdesk_privacy::requests::StaffInput {
        kind: "access".into(),
        contact_id: contact.clone(),
        details: None,
        verified_how: Some("in person".into()),
        thread_id: None,
    };
    let asked = frontdesk_privacy::requests::create(privacy, &access, &asked).await.unwrap();
    let privacy_token = frontdesk_privacy::requests::token(&t.app().platform, &asked);
    // An issued invoice to the customer, for its staff page and the customer's link.
    let invoices = &t.running.as_ref().unwrap().invoices;
    let profile: frontdesk_invoices::invoices::InvoiceProfileInput = serde_json::from_value(json!({
        "legal_name": "Peluquería Ñandú S.L.", "tax_id": "B12345678", "tax_rates": ["21", "10"], "footer": "Pago en 15 días."
    }))
    .unwrap();
    frontdesk_invoices::invoices::set_profile(invoices, &access, &profile).await.unwrap();
    let draft: frontdesk_invoices::invoices::DraftInput = serde_json::from_value(json!({
        "contact_id": contact, "buyer_tax_id": "12345678Z", "buyer_address": "Calle Mayor 1, 28013 Madrid",
        "lines": [{ "description": "Corte y peinado", "quantity": "1", "unit_price": "25.00", "tax_rate": "21" },
                  { "description": "Champú 250 ml", "quantity": "2", "unit_price": "9.90", "discount": "10", "tax_rate": "10" }]
    }))
    .unwrap();
    let draft = frontdesk_invoices::invoices::create(invoices, &access, &draft).await.unwrap();
    let issued = frontdesk_invoices::invoices::IssueInput { issue_date: None, send: Some(false) };
    let issued = frontdesk_invoices::invoices::issue(invoices, &access, draft.id.as_str(), &issued).await.unwrap();
    let invoice = issued.id.to_string();
    let invoice_token = frontdesk_invoices::invoices::token(&t.app().platform, &issued);
    let mut pages: Vec<(String, String)> = frontdesk_web::route_specs()
        .into_iter()
        .filter(|r| r.method == "GET" && is_page(r.path))
        .map(|r| {
            let id = if r.path.contains("/contacts/") {
                &contact
            } else if r.path.starts_with("/w/{ws}/bookings/") {
                &booking
            } else if r.path.starts_with("/w/{ws}/settings/resources/") {
                &resource
            } else if r.path.starts_with("/w/{ws}/settings/services/") {
                &service
            } else if r.path.starts_with("/w/{ws}/payments/") {
                &payment
            } else if r.path.starts_with("/w/{ws}/devices/") {
                &device
            } else if r.path.starts_with("/w/{ws}/invoices/") {
                &invoice
            } else {
                &thread
            };
            let token = if r.path.starts_with("/pay/") {
                &pay_token
            } else if r.path.starts_with("/memberships/") {
                &member_token
            } else if r.path.starts_with("/privacy/requests/") {
                &privacy_token
            } else if r.path.starts_with("/invoices/") {
                &invoice_token
            } else {
                &manage
            };
            let path =
                r.path.replace("{ws}", &ws).replace("{id}", id).replace("{slug}", &slug).replace("{token}", token);
            let name = r.path.trim_start_matches('/').replace(['/', '{', '}'], "-");
            (if name.is_empty() { "start".into() } else { name }, path)
        })
        .collect();
    pages.sort();
    pages.dedup();
    let mut failures = Vec::new();
    let ids = message_ids();
    // Every page in English, then once more in Spanish.
    for (name, path, lang) in pages.iter().map(|(n, p)| (n, p, "en")).chain(pages.iter().map(|(n, p)| (n, p, "es"))) {
        say(&mut b, json!({ "name": name, "path": path, "lang": lang }).to_string()).await;
        let v = b.step("page").await;
        for (width, r) in v["widths"].as_object().unwrap() {
            if r["htmlLang"] != lang {
                failures.push(format!("{path} at {width}: <html lang={}> on a {lang} browser", r["htmlLang"]));
            }
            if let Some(text) = r["text"].as_str().filter(|t| !t.is_empty()) {
                for word in text.split(|c: char| c.is_whitespace() || ",.:;()¿?¡!\"'«»".contains(c)) {
                    if word.contains('-') && ids.contains(word) {
                        failures.push(format!("{path} in Spanish: the raw message id {word}"));
                    }
                }
                for english in ENGLISH_ONLY {
                    if has_phrase(text, english) {
                        failures.push(format!("{path} in Spanish: English left: {english:?}"));
                    }
                }
            }
            let status = r["status"].as_u64().unwrap_or(0);
            if status != 200 {
                failures.push(format!("{path} at {width}: status {status}"));
            }
            if r["overflow"].as_i64().unwrap_or(0) > 0 {
                failures.push(format!("{path} at {width}: scrolls sideways by {} px", r["overflow"]));
            }
            for e in r["errors"].as_array().unwrap() {
                failures.push(format!("{path} at {width}: console {e}"));
            }
            for a in r["axe"].as_array().unwrap() {
                failures.push(format!("{path} at {width}: axe {} ({}) at {}", a["id"], a["impact"], a["nodes"]));
            }
        }
    }
    say(&mut b, String::new()).await;
    let v = b.step("done").await;
    assert_eq!(v["signedOut"], t.url("/login"), "signing out works: {v}");
    b.finish().await;
    assert!(pages.len() >= 20, "the sweep saw {} pages", pages.len());
    failures.sort();
    failures.dedup();
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
    t.stop().await;
}

/// A resource, a service with an extra and a sensitive question, and a booking of the contact
/// with its answer, for the booking pages' `{id}`s: (resource, service, booking).
async fn bookings_of(
    t: &crate::helpers::TestApp,
    access: &frontdesk_platform::workspaces::Access,
    contact: &str,
) -> (String, String, String) {
    use frontdesk_bookings::{book, catalog, slots};
    let b = &t.running.as_ref().unwrap().bookings;
    let hours = frontdesk_core::hours::DAYS
        .iter()
        .map(|d| catalog::HoursRange { day: d.to_string(), open: "09:00".into(), close: "18:00".into() })
        .collect();
    let r = catalog::BookingResourceInput {
        kind: "staff".into(),
        name: "Ana".into(),
        user_id: None,
        time_zone: Some("Europe/Madrid".into()),
        hours,
        days_off: vec![],
        active: true,
    };
    let r = catalog::create_resource(b, access, &r).await.unwrap();
    let svc: catalog::BookingServiceInput = serde_json::from_value(json!({
        "name": "Haircut", "duration_min": 45, "price": "18", "resources": [[r.id.to_string()]]
    }))
    .unwrap();
    let (svc, _) = catalog::create_service(b, access, &svc).await.unwrap();
    let extra = catalog::ExtraInput { name: "Wash".into(), minutes: 15, price: Some("5".into()) };
    catalog::add_extra(b, access, svc.id.as_str(), &extra).await.unwrap();
    let q: catalog::RequirementInput =
        serde_json::from_value(json!({ "label": "Allergies?", "sensitive": true })).unwrap();
    let q = catalog::add_requirement(b, access, svc.id.as_str(), &q).await.unwrap();
    let query = slots::SlotQuery { service_id: svc.id.to_string(), ..Default::default() };
    let free = slots::for_access(b, access, &query).await.unwrap();
    let input = book::BookingInput {
        service_id: svc.id.to_string(),
        start: free.first().expect("a free slot this week").start.clone(),
        contact_id: Some(contact.to_string()),
        answers: vec![book::AnswerInput { requirement_id: q.id.to_string(), value: "None".into() }],
        ..Default::default()
    };
    let origin = book::Origin { actor: &access.actor, visitor: None, ip: None };
    let (booking, _) = book::create(b, &access.workspace.id, &origin, &input, None).await.unwrap();
    (r.id.to_string(), svc.id.to_string(), booking.id.to_string())
}

/// Words and phrases that are English only: none may show on a page in Spanish.
const ENGLISH_ONLY: &[&str] = &[
    "Settings",
    "Save",
    "Saved",
    "Sign out",
    "Sign in",
    "Search",
    "Delete",
    "Remove",
    "Cancel",
    "Confirm",
    "Your account",
    "Members",
    "Contacts",
    "Business profile",
    "Saved replies",
    "Help",
    "Home",
    "Inbox",
    "Assistant",
    "Channels",
    "Hours",
    "Back",
    "Send",
    "Open",
    "Closed",
    "Workspace",
    "Workspaces",
    "Invite",
    "Add",
    "Edit",
    "Name",
    "Phone",
    "Email address",
    "Language",
    "Time zone",
    "the",
    "and",
    "your",
    "with",
    "Nothing",
    "Yes",
    "minutes",
    "ago",
    "just now",
    "Today",
    "Monday",
    "Tuesday",
    "Sunday",
];

/// Whether `text` holds `phrase` as whole words.
fn has_phrase(text: &str, phrase: &str) -> bool {
    let phrase = phrase.trim_end();
    text.match_indices(phrase).any(|(i, _)| {
        let before = text[..i].chars().last();
        let after = text[i + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Every message id of the catalogues.
fn message_ids() -> std::collections::HashSet<String> {
    frontdesk_i18n::SOURCES
        .iter()
        .flat_map(|(_, files)| files.iter())
        .flat_map(|(_, text)| text.lines())
        .filter(|l| !l.starts_with([' ', '#', '\t', '*', '[', '.']) && l.contains(" ="))
        .filter_map(|l| l.split(" =").next())
        .map(|id| id.trim().to_string())
        .collect()
}

/// Hands the browser script a line.
async fn say(b: &mut BrowserScript, line: String) {
    use tokio::io::AsyncWriteExt;
    b.stdin.write_all((line + "\n").as_bytes()).await.unwrap();
}
