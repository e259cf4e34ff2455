//! The contacts screen: the list with its filters, merging two contacts (two open threads on
//! one channel and a STOP on one side), the CSV import with bad rows and duplicates, the export
//! with a formula cell, and possible matches by phone.

use crate::helpers::*;
use crate::inbox::intake::{api, setup, wa_channel, PHONE_A};
use crate::inbox::outbox::{deliver, wa_text, CUSTOMER};
use serde_json::Value;

async fn page(c: &reqwest::Client, t: &TestApp, path: &str) -> (u16, String) {
    let r = c.get(t.url(path)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn post(c: &reqwest::Client, t: &TestApp, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let r = c.post(t.url(path)).form(form).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn contact_of(t: &TestApp, token: &str, thread: &str) -> String {
    let (_, v) = api(t, token, "GET", &format!("/api/v1/threads/{thread}"), None).await;
    v["contact"]["id"].as_str().unwrap_or_else(|| panic!("{v}")).to_string()
}

#[tokio::test]
async fn merging_keeps_one_open_thread_per_channel_and_never_loses_an_opt_out() {
    let s = setup().await;
    let t = &s.t;
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    const OTHER: &str = "16505550000";
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.M1", "Hi, from my phone")).await;
    deliver(t, &ch, &wa_text(t, OTHER, "wamid.M2", "Hi, from my other phone")).await;
    deliver(t, &ch, &wa_text(t, OTHER, "wamid.M3", "STOP")).await;
    let (_, v) = api(t, &s.token, "GET", "/api/v1/threads", None).await;
    let threads: Vec<String> =
        v["threads"].as_array().unwrap().iter().map(|x| x["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(threads.len(), 2, "{v}");
    let mut ids = Vec::new();
    for th in &threads {
        ids.push(contact_of(t, &s.token, th).await);
    }
    let (older, newer) = (&threads[1], &threads[0]);
    let (keep, gone) = (contact_of(t, &s.token, older).await, contact_of(t, &s.token, newer).await);
    assert_ne!(keep, gone);

    // The list's filters: consent, channel, last contacted.
    let count = |q: &'static str| {
        let url = t.url(&format!("/w/{}/contacts?{q}", s.ws));
        let c = s.owner.clone();
        async move {
            let html = c.get(url).send().await.unwrap().text().await.unwrap();
            html.split("data-count=\"").nth(1).and_then(|r| r.split('"').next()).unwrap().parse::<i64>().unwrap()
        }
    };
    assert_eq!(count("consent=opted_out").await, 1);
    assert_eq!(count("consent=reachable").await, 1);
    assert_eq!(count("").await, 2);
    assert_eq!(count("contacted=7").await, 2);
    assert_eq!(count("contacted=quiet90").await, 0);
    let by_channel = format!("channel={ch}");
    let (_, html) = page(&s.owner, t, &format!("/w/{}/contacts?{by_channel}", s.ws)).await;
    assert!(html.contains(r#"data-count="2""#), "{html}");
    let other_channel = frontdesk_core::ChannelId::new();
    let (_, html) = page(&s.owner, t, &format!("/w/{}/contacts?channel={other_channel}", s.ws)).await;
    assert!(html.contains(r#"data-count="0""#), "{html}");

    // Not with itself, not across workspaces.
    let (st, html) = post(&s.owner, t, &format!("/w/{}/contacts/{keep}/merge", s.ws), &[("other", &keep)]).await;
    assert_eq!(st, 422, "{html}");
    assert!(html.contains("cannot be merged with itself"));
    let bob = t.signed_in_user("bob@example.com").await;
    let b = t.workspace(&bob, "Other").await;
    let (st, _) = post(&bob, t, &format!("/w/{b}/contacts/{keep}/merge"), &[("other", &gone)]).await;
    assert_eq!(st, 404);

    let (st, _) = post(&s.owner, t, &format!("/w/{}/contacts/{keep}/merge", s.ws), &[("other", &gone)]).await;
    assert_eq!(st, 303);
    // One contact, both conversations, one of them open: the newer was resolved.
    let (st, _) = api(t, &s.token, "GET", &format!("/api/v1/contacts/{gone}"), None).await;
    assert_eq!(st, 404, "the merged contact is gone");
    let (_, v) = api(t, &s.token, "GET", "/api/v1/threads", None).await;
    let all = v["threads"].as_array().unwrap();
    assert_eq!(all.len(), 2);
    for th in &threads {
        assert_eq!(contact_of(t, &s.token, th).await, keep);
    }
    let open: Vec<&Value> = all.iter().filter(|x| x["status"] != "resolved").collect();
    assert_eq!(open.len(), 1, "{v}");
    assert_eq!(open[0]["id"].as_str(), Some(older.as_str()), "the older stays open");
    // The STOP of one side holds for the merged contact.
    let (_, c) = api(t, &s.token, "GET", &format!("/api/v1/contacts/{keep}/consent"), None).await;
    assert!(c.to_string().contains("opt_out"), "{c}");
    let (_, html) = page(&s.owner, t, &format!("/w/{}/contacts/{keep}", s.ws)).await;
    assert!(html.contains(r#"data-consent="opt_out""#), "{html}");
    assert!(html.contains(CUSTOMER) && html.contains(OTHER), "both numbers are the contact's now: {html}");
    // After the merge the one contact is opted out.
    assert_eq!(count("consent=opted_out").await, 1);
    assert_eq!(count("consent=reachable").await, 0);
    // A customer writing again on the channel lands in the open thread of the kept contact.
    deliver(t, &ch, &wa_text(t, OTHER, "wamid.M4", "Hello again")).await;
    let (_, v) = api(t, &s.token, "GET", "/api/v1/threads", None).await;
    assert_eq!(v["threads"].as_array().unwrap().len(), 2, "no new thread: {v}");
    assert!(audit_actions(t, &s.ws).await.contains(&"contact.merge".to_string()));
    s.t.stop().await;
}

async fn audit_actions(t: &TestApp, ws: &str) -> Vec<String> {
    let a = frontdesk_platform::audit::recent(t.app(), ws, 500).await.unwrap();
    a.into_iter().map(|e| e.action).collect()
}

#[tokio::test]
async fn the_import_previews_refuses_bad_rows_skips_duplicates_and_grants_no_consent() {
    let s = setup().await;
    let t = &s.t;
    let w = &s.ws;
    // The business is in Spain: national numbers are Spanish.
    let r = s
        .owner
        .post(t.url(&format!("/w/{w}/settings/profile")))
        .form(&[("name", "Salon A"), ("slug", "salon-a"), ("time_zone", "Europe/Madrid"), ("country", "ES")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let bad = "name,phone,email,labels,notes\nAna,600 11 22 33,ana@example.com,vip;madrid,likes mornings\nBad phone,12,,,\nNo email,,not-an-email,,\nAna again,+34600112233,,,\n";
    let (st, html) = post(&s.owner, t, &format!("/w/{w}/contacts/import"), &[("csv", bad)]).await;
    assert_eq!(st, 200, "{html}");
    assert_eq!(html.matches(r#"data-outcome="error""#).count(), 2, "{html}");
    assert_eq!(html.matches(r#"data-outcome="duplicate""#).count(), 1, "a repeat within the file: {html}");
    assert!(html.contains("+34600112233"), "phones in E.164: {html}");
    // Importing while a row is wrong imports nothing.
    let (st, html) = post(&s.owner, t, &format!("/w/{w}/contacts/import"), &[("csv", bad), ("confirm", "yes")]).await;
    assert_eq!(st, 422, "{html}");
    assert!(html.contains("Nothing was imported"));
    let (_, list) = page(&s.owner, t, &format!("/w/{w}/contacts")).await;
    assert!(list.contains(r#"data-count="0""#), "{list}");

    let good = "name,phone,email,labels,notes\nAna,600 11 22 33,ana@example.com,vip;madrid,likes mornings\n\"=HYPERLINK(\"\"http://x\"\")\",,eve@example.com,,\nAna again,+34600112233,,,\n";
    let (st, html) = post(&s.owner, t, &format!("/w/{w}/contacts/import"), &[("csv", good), ("confirm", "yes")]).await;
    assert_eq!(st, 200, "{html}");
    assert!(html.contains("2 contacts imported, 1 already there."), "{html}");
    assert!(html.contains(r#"data-count="2""#));
    // The same file again: everyone is already there.
    let (_, html) = post(&s.owner, t, &format!("/w/{w}/contacts/import"), &[("csv", good)]).await;
    assert_eq!(html.matches(r#"data-outcome="duplicate""#).count(), 3, "{html}");
    // Labels filter; no consent events for imported contacts.
    let (_, html) = page(&s.owner, t, &format!("/w/{w}/contacts?label=vip")).await;
    assert!(html.contains(r#"data-count="1""#) && html.contains("Ana"), "{html}");
    let mut c = t.app().db.conn().await.unwrap();
    let n: i64 = frontdesk_store::row::scalar(&mut c, "SELECT COUNT(*) FROM consent_events", ()).await.unwrap();
    assert_eq!(n, 0, "a list is not consent");
    drop(c);

    // The export defuses formulas and is audited.
    let r = s.owner.get(t.url(&format!("/w/{w}/contacts.csv"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = r.text().await.unwrap();
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{csv}");
    assert!(csv.contains("'+34600112233"), "a leading + is defused too: {csv}");
    let actions = audit_actions(t, w).await;
    assert!(actions.contains(&"contact.import".to_string()) && actions.contains(&"contact.export".to_string()));

    // Not CSV, not UTF-8: clear refusals.
    let (st, html) = post(&s.owner, t, &format!("/w/{w}/contacts/import"), &[("csv", "just words")]).await;
    assert_eq!(st, 422);
    assert!(html.contains("must name the columns"), "{html}");
    let (st, html) = post(&s.owner, t, &format!("/w/{w}/contacts/import"), &[("csv", "name\n\"open")]).await;
    assert_eq!(st, 422);
    assert!(html.contains("not a valid CSV"), "{html}");
    s.t.stop().await;
}

#[tokio::test]
async fn a_typed_phone_is_a_possible_match_never_a_silent_join() {
    let s = setup().await;
    let t = &s.t;
    let w = &s.ws;
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.P1", "Hello")).await;
    // An import of the same number is shown as already there, and skipped.
    let csv = "name,phone\nSheena N.,+1 650 555 1234\n";
    let (_, html) = post(&s.owner, t, &format!("/w/{w}/contacts/import"), &[("csv", csv)]).await;
    assert!(html.contains(r#"data-outcome="duplicate""#) && html.contains("already there: Sheena Nelson"), "{html}");
    // Another number imported, then typed to the customer's: two records until staff merge them.
    let csv = "name,phone\nSheena N.,+1 650 555 9999\n";
    let (st, _) = post(&s.owner, t, &format!("/w/{w}/contacts/import"), &[("csv", csv), ("confirm", "yes")]).await;
    assert_eq!(st, 200);
    let (_, v) = page(&s.owner, t, &format!("/w/{w}/contacts?q=sheena%20n.")).await;
    let imported = v.split("data-contact=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let (st, html) = post(
        &s.owner,
        t,
        &format!("/w/{w}/contacts/{imported}"),
        &[("name", "Sheena N."), ("phone", "+1 650 555 1234")],
    )
    .await;
    assert_eq!(st, 303, "{html}");
    let (_, list) = page(&s.owner, t, &format!("/w/{w}/contacts?q=sheena")).await;
    assert!(list.contains(r#"data-count="2""#), "two records until staff merge them: {list}");
    let (_, v) = api(t, &s.token, "GET", "/api/v1/threads", None).await;
    let th = v["threads"][0]["id"].as_str().unwrap().to_string();
    let wa = contact_of(t, &s.token, &th).await;
    let (_, html) = page(&s.owner, t, &format!("/w/{w}/contacts/{wa}")).await;
    assert!(html.contains(r#"id="possible-matches""#) && html.contains("Sheena N."), "{html}");
    // An edit that empties the only way to reach an imported contact is refused.
    let (st, html) = post(
        &s.owner,
        t,
        &format!("/w/{w}/contacts/{imported}"),
        &[("name", "Sheena N."), ("phone", ""), ("email", "")],
    )
    .await;
    assert_eq!(st, 422, "{html}");
    assert!(html.contains("only way to reach"), "{html}");
    s.t.stop().await;
}

#[tokio::test]
async fn the_crm_has_an_api() {
    let s = setup().await;
    let t = &s.t;
    let c = reqwest::Client::new();
    let csv = "name,phone,email\nAna,+34 600 11 22 33,ana@example.com\nAna bis,+34600112233,\n";
    let import = |dry: bool| {
        c.post(t.url(&format!("/api/v1/contacts/import{}", if dry { "?dry_run=true" } else { "" })))
            .bearer_auth(&s.token)
            .header("content-type", "text/csv")
            .body(csv)
            .send()
    };
    let v: Value = import(true).await.unwrap().json().await.unwrap();
    assert_eq!(
        (v["dry_run"].as_bool(), v["new_contacts"].as_i64(), v["duplicates"].as_i64()),
        (Some(true), Some(1), Some(1)),
        "{v}"
    );
    let (_, list) = api(t, &s.token, "GET", "/api/v1/contacts", None).await;
    assert_eq!(list["contacts"].as_array().map(Vec::len), Some(0), "a dry run writes nothing: {list}");
    let v: Value = import(false).await.unwrap().json().await.unwrap();
    assert_eq!(v["rows"][1]["outcome"], "duplicate", "{v}");
    let (_, list) = api(t, &s.token, "GET", "/api/v1/contacts", None).await;
    let ana = list["contacts"][0]["id"].as_str().unwrap().to_string();
    let (st, v) = api(
        t,
        &s.token,
        "PUT",
        &format!("/api/v1/contacts/{ana}/labels"),
        Some(serde_json::json!({ "labels": ["VIP", " vip ", "madrid"] })),
    )
    .await;
    assert_eq!((st.as_u16(), v["labels"].clone()), (200, serde_json::json!(["madrid", "vip"])), "{v}");
    let (st, v) = api(
        t,
        &s.token,
        "POST",
        &format!("/api/v1/contacts/{ana}/notes"),
        Some(serde_json::json!({ "body": "Prefers mornings" })),
    )
    .await;
    assert_eq!(st, 201, "{v}");
    let (_, v) = api(t, &s.token, "GET", &format!("/api/v1/contacts/{ana}/notes"), None).await;
    assert_eq!(v["notes"][0]["body"], "Prefers mornings");
    let (st, v) =
        api(t, &s.token, "POST", &format!("/api/v1/contacts/{ana}/merge"), Some(serde_json::json!({ "other": ana })))
            .await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (422, Some("merge_with_itself")), "{v}");
    let r = c.get(t.url("/api/v1/contacts/export")).bearer_auth(&s.token).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    assert!(text.starts_with("name,phone,email") && text.contains("'+34600112233"), "{text}");
    // Too large, not UTF-8.
    let r = c
        .post(t.url("/api/v1/contacts/import"))
        .bearer_auth(&s.token)
        .body(vec![0xff, 0xfe, b'a'])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "not_utf8");
    let r = c
        .post(t.url("/api/v1/contacts/import"))
        .bearer_auth(&s.token)
        .body(vec![b'a'; frontdesk_inbox::contacts::MAX_IMPORT_BYTES + 1])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let many = format!("name\n{}", "Someone\n".repeat(frontdesk_inbox::contacts::MAX_IMPORT_ROWS + 1));
    let r = c.post(t.url("/api/v1/contacts/import")).bearer_auth(&s.token).body(many).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "import_too_large");
    s.t.stop().await;
}

#[tokio::test]
async fn a_whatsapp_message_from_a_typed_number_proves_it_and_joins_that_contact() {
    let s = setup().await;
    let t = &s.t;
    let w = &s.ws;
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    let csv = "name,phone,labels\nSheena (imported),+1 650 555 1234,vip\n";
    let (st, _) = post(&s.owner, t, &format!("/w/{w}/contacts/import"), &[("csv", csv), ("confirm", "yes")]).await;
    assert_eq!(st, 200);
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.J1", "Hello, it's me")).await;
    let (_, list) = page(&s.owner, t, &format!("/w/{w}/contacts")).await;
    assert!(list.contains(r#"data-count="1""#), "one person, not two: {list}");
    assert!(
        list.contains("Sheena (imported)") && list.contains("vip"),
        "the typed record kept its name and labels: {list}"
    );
    let (_, v) = api(t, &s.token, "GET", "/api/v1/threads", None).await;
    let th = v["threads"][0]["id"].as_str().unwrap().to_string();
    let k = contact_of(t, &s.token, &th).await;
    let (_, d) = api(t, &s.token, "GET", &format!("/api/v1/contacts/{k}"), None).await;
    assert!(d.to_string().contains(CUSTOMER), "the channel's id joined the contact: {d}");
    s.t.stop().await;
}

/// A later area, as the contact ports see it: it shows a section and moves its rows on a merge
/// (or refuses, which undoes the merge).
struct Area {
    seen: std::sync::Mutex<Vec<(String, String)>>,
    refuse: bool,
}

impl frontdesk_platform::ports::ContactMerged for Area {
    fn merged<'a>(
        &'a self,
        _c: &'a mut frontdesk_store::Conn,
        _ws: &'a frontdesk_core::WorkspaceId,
        kept: &'a frontdesk_core::ContactId,
        gone: &'a frontdesk_core::ContactId,
    ) -> frontdesk_platform::ports::Fut<'a, frontdesk_platform::AppResult<()>> {
        Box::pin(async move {
            if self.refuse {
                return Err(frontdesk_platform::AppError::invalid("other", "busy", "Not now."));
            }
            self.seen.lock().unwrap().push((kept.to_string(), gone.to_string()));
            Ok(())
        })
    }
}

impl frontdesk_platform::ports::ContactFacts for Area {
    fn section<'a>(
        &'a self,
        _c: &'a mut frontdesk_store::Conn,
        _ws: &'a frontdesk_core::WorkspaceId,
        contact: &'a frontdesk_core::ContactId,
    ) -> frontdesk_platform::ports::Fut<
        'a,
        frontdesk_platform::AppResult<Option<frontdesk_platform::ports::ContactSection>>,
    > {
        Box::pin(async move {
            Ok(Some(frontdesk_platform::ports::ContactSection {
                title: "Bookings".into(),
                lines: vec![format!("Haircut for {contact}")],
            }))
        })
    }
}

#[tokio::test]
async fn later_areas_show_their_part_of_a_contact_and_move_theirs_on_a_merge() {
    use std::sync::Arc;
    let s = setup().await;
    let t = &s.t;
    let csv = "name,email\nAna,ana@example.com\nAna bis,ana.bis@example.com\n";
    let (st, _) = post(&s.owner, t, &format!("/w/{}/contacts/import", s.ws), &[("csv", csv), ("confirm", "yes")]).await;
    assert_eq!(st, 200);
    let (_, list) = api(t, &s.token, "GET", "/api/v1/contacts", None).await;
    let ids: Vec<String> =
        list["contacts"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_string()).collect();
    let mut c = t.app().db.conn().await.unwrap();
    let user = frontdesk_platform::repo::users::by_email(&mut c, "owner@example.com").await.unwrap().unwrap();
    drop(c);
    let p = frontdesk_platform::workspaces::Principal::User { id: user.id, ip: None };
    let access = frontdesk_platform::workspaces::authorize(t.app(), &p, &s.ws, frontdesk_core::Action::EditContacts)
        .await
        .unwrap();

    let refusing = Arc::new(Area { seen: Default::default(), refuse: true });
    let app = t.app().clone().with_contact_ports(frontdesk_inbox::ContactPorts {
        facts: vec![],
        merged: vec![refusing],
        slots: None,
    });
    let e = frontdesk_inbox::contacts::merge(&app, &access, &ids[0], &ids[1]).await.unwrap_err();
    assert_eq!(e.code, "busy");
    let (st, _) = api(t, &s.token, "GET", &format!("/api/v1/contacts/{}", ids[1]), None).await;
    assert_eq!(st, 200, "a refusal undoes the whole merge");

    let area = Arc::new(Area { seen: Default::default(), refuse: false });
    let app = t.app().clone().with_contact_ports(frontdesk_inbox::ContactPorts {
        facts: vec![area.clone()],
        merged: vec![area.clone()],
        slots: None,
    });
    let sections = frontdesk_inbox::contacts::sections(&app, &access, &ids[0]).await.unwrap();
    assert_eq!(sections[0].title, "Bookings");
    frontdesk_inbox::contacts::merge(&app, &access, &ids[0], &ids[1]).await.unwrap();
    assert_eq!(*area.seen.lock().unwrap(), vec![(ids[0].clone(), ids[1].clone())]);
    s.t.stop().await;
}

#[tokio::test]
async fn the_list_pages_sorts_labels_in_bulk_and_blocks() {
    let s = setup().await;
    let t = &s.t;
    let w = &s.ws;
    let mut csv = String::from("name,email\n");
    for i in 0..51 {
        csv.push_str(&format!("Person {i:02},p{i}@example.com\n"));
    }
    csv.push_str("Aaron First,aaron@example.com\n");
    let (st, _) = post(&s.owner, t, &format!("/w/{w}/contacts/import"), &[("csv", &csv), ("confirm", "yes")]).await;
    assert_eq!(st, 200);
    // 52 contacts: two pages of 50.
    let (_, html) = page(&s.owner, t, &format!("/w/{w}/contacts?sort=name")).await;
    assert!(html.contains(r#"data-count="52""#) && html.contains("Page 1 of 2"), "{html}");
    assert_eq!(html.matches("<tr data-contact=").count(), 50);
    let first = html.split("<tr data-contact=\"").nth(1).unwrap();
    assert!(first.contains("Aaron First"), "sorted by name: {first}");
    let (_, html) = page(&s.owner, t, &format!("/w/{w}/contacts?sort=name&page=2")).await;
    assert_eq!(html.matches("<tr data-contact=").count(), 2, "{html}");
    assert!(html.contains("Person 50"), "{html}");
    // A label for two of them at once.
    let ids: Vec<String> =
        html.split("<tr data-contact=\"").skip(1).map(|r| r.split('"').next().unwrap().to_string()).collect();
    let mut form: Vec<(String, String)> = ids.iter().map(|i| (format!("sel_{i}"), "on".to_string())).collect();
    form.push(("label".into(), "Late".into()));
    form.push(("back".into(), "sort=name".into()));
    let r = s.owner.post(t.url(&format!("/w/{w}/contacts/labels"))).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let (_, html) = page(&s.owner, t, &format!("/w/{w}/contacts?label=late")).await;
    assert!(html.contains(r#"data-count="2""#), "{html}");
    // Blocked from the contact page: the API says so, the list shows it.
    let (st, _) = post(
        &s.owner,
        t,
        &format!("/w/{w}/contacts/{}", ids[0]),
        &[("name", "Person 50"), ("email", "p50@example.com"), ("blocked", "on")],
    )
    .await;
    assert_eq!(st, 303);
    let (_, v) = api(t, &s.token, "GET", &format!("/api/v1/contacts/{}", ids[0]), None).await;
    assert_eq!(v["blocked"], true, "{v}");
    let (_, html) = page(&s.owner, t, &format!("/w/{w}/contacts?label=late")).await;
    assert!(html.contains("blocked"), "{html}");
    s.t.stop().await;
}

#[tokio::test]
async fn the_contacts_pages_home_and_the_assistant_settings_speak_spanish() {
    let s = setup().await;
    let t = &s.t;
    let w = &s.ws;
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.ES1", "Hola")).await;
    let es = |path: String| {
        let r = s.owner.get(t.url(&path)).header("accept-language", "es-ES,es;q=0.9");
        async move { r.send().await.unwrap().text().await.unwrap() }
    };
    let html = es(format!("/w/{w}/contacts")).await;
    assert!(html.contains(r#"<html lang="es""#), "{html}");
    for words in [
        "<h1>Contactos</h1>",
        "1 contacto",
        "Último contacto",
        "Bandeja de entrada",
        "Cerrar sesión",
        "Saltar al contenido",
        "Guardado.",
    ] {
        assert!(html.contains(words), "{words}: {html}");
    }
    assert!(!html.contains("Last contacted") && !html.contains("Sign out"), "{html}");
    let contact = html.split("<tr data-contact=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let html = es(format!("/w/{w}/contacts/{contact}")).await;
    for words in [
        "← Todos los contactos",
        "Guardar contacto",
        "Añadido el",
        "Conversaciones",
        "abierta",
        "Nota (solo la ve tu equipo)",
    ] {
        assert!(html.contains(words), "{words}: {html}");
    }
    let html = es(format!("/w/{w}/contacts/import")).await;
    assert!(html.contains("Importar contactos") && html.contains("20.000 filas por la API"), "{html}");
    t.clock.advance_ms(5 * 60_000);
    let html = es(format!("/w/{w}")).await;
    for words in ["Primeros pasos", "conversación abierta", "Esperan desde hace más tiempo", "esperando desde hace"] {
        assert!(html.contains(words), "{words}: {html}");
    }
    let html = es(format!("/w/{w}/settings/assistant")).await;
    for words in ["Guardar ajustes del asistente", "(Respuesta automática)", "horario y festivos"] {
        assert!(html.contains(words), "{words}: {html}");
    }
    s.t.stop().await;
}
