//! Data-subject requests end to end: a customer asks at the business's privacy page, proves who
//! they are with the emailed code, the owners are told and decide; an export is a ZIP of what
//! every area holds; an erasure leaves nothing of the person but what the law keeps (the
//! canary test searches the database's bytes, the blobs, the log and the exports); a
//! restriction stops AI drafts and automatic replies until it is lifted.

mod canary;

use crate::helpers::*;
use crate::inbox::intake::{api, setup_with, tg_channel, tg_update, Setup};
use serde_json::{json, Value};

pub(crate) fn ana_says(s: &Setup, id: i64, text: &str) -> Value {
    json!({ "update_id": id, "message": { "message_id": id, "date": s.t.app().now().0 / 1000,
        "from": { "id": 616161, "is_bot": false, "first_name": "Ana", "username": "ana_tg" },
        "chat": { "id": 616161, "type": "private", "first_name": "Ana" }, "text": text } })
}

/// Ana writes on Telegram and staff note her email: her contact id.
async fn ana(s: &Setup) -> (String, String) {
    let (tg, secret) = tg_channel(&s.t, &s.token, &s.fake).await;
    tg_update(&s.t, &tg, &secret, &ana_says(s, 900, "Hola, ¿tenéis cita el martes?")).await;
    let th = crate::inbox::outbox::first_thread(&s.t, &s.token).await;
    let contact = th["contact"]["id"].as_str().unwrap().to_string();
    let (st, v) = api(
        &s.t,
        &s.token,
        "PATCH",
        &format!("/api/v1/contacts/{contact}"),
        Some(json!({ "email": "ana@example.com" })),
    )
    .await;
    assert_eq!(st, 200, "{v}");
    (contact, th["id"].as_str().unwrap().to_string())
}

async fn ask(s: &Setup, slug: &str, kind: &str, email: &str) -> u16 {
    s.t.client()
        .post(s.t.url(&format!("/privacy/{slug}")))
        .form(&[("kind", kind), ("email", email), ("details", "Please")])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn code_of(m: &Mail) -> String {
    m.subject.rsplit(' ').next().unwrap().to_string()
}

async fn requests(s: &Setup) -> Vec<Value> {
    let (st, v) = api(&s.t, &s.token, "GET", "/api/v1/privacy/requests", None).await;
    assert_eq!(st, 200, "{v}");
    v["requests"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_request_is_verified_by_the_emailed_code_and_the_export_holds_every_area() {
    let s = setup_with(Options { job_workers: Some(0), ..Default::default() }).await;
    let t = &s.t;
    let (contact, _) = ana(&s).await;
    let c = t.client();
    let page = c.get(t.url("/privacy/salon-a")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("privacy-form") && page.contains("Salon A"), "{page}");
    // Bad input: clear codes.
    let r = c
        .post(t.url("/privacy/salon-a"))
        .form(&[("kind", "everything"), ("email", "ana@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let (st, v) = api(
        t,
        &s.token,
        "POST",
        "/api/v1/privacy/salon-a/requests",
        Some(json!({ "kind": "export", "email": "nope" })),
    )
    .await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (422, Some("invalid_email")), "{v}");
    // A slug nobody holds gets the same answer, and nothing is stored or sent.
    let known = c
        .post(t.url("/privacy/salon-a"))
        .form(&[("kind", "export"), ("email", "ana@example.com")])
        .send()
        .await
        .unwrap();
    let unknown = c
        .post(t.url("/privacy/no-such-salon"))
        .form(&[("kind", "export"), ("email", "ana@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!((known.status().as_u16(), unknown.status().as_u16()), (200, 200));
    let (a, b) = (known.text().await.unwrap(), unknown.text().await.unwrap());
    assert!(a.contains("privacy-sent") && b.contains("privacy-sent"));
    assert_eq!(requests(&s).await.len(), 1, "only the real business's request is stored");
    // The code goes to the address on file; the owners are told.
    let m = t.wait_mail("ana@example.com", 1).await;
    let code = code_of(&m);
    assert_eq!(code.len(), 6, "{}", m.subject);
    let link = m.link(&t.url("/privacy/requests/"));
    let owner = t.wait_mail("owner@example.com", 2).await;
    assert!(owner.subject.contains("privacy request") && owner.body.contains("/privacy"), "{}", owner.body);
    // Before it is verified, nothing is released.
    let id = requests(&s).await[0]["id"].as_str().unwrap().to_string();
    let (st, v) = api(t, &s.token, "POST", &format!("/api/v1/privacy/requests/{id}/fulfil"), Some(json!({}))).await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (409, Some("not_verified")), "{v}");
    // A wrong code, then the right one.
    let path = link.trim_start_matches(&t.url(""));
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let r = c.post(t.url(&format!("{path}/verify"))).form(&[("code", wrong)]).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let r = c.post(t.url(&format!("{path}/verify"))).form(&[("code", code.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let page = c.get(t.url(path)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("data-status=\"verified\""), "{page}");
    let r = c.post(t.url(&format!("{path}/verify"))).form(&[("code", code.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 409, "a used code");
    // The owner fulfils it: a ZIP with every area's part, for the requester's link.
    let (st, v) = api(t, &s.token, "POST", &format!("/api/v1/privacy/requests/{id}/fulfil"), Some(json!({}))).await;
    assert_eq!(
        (st.as_u16(), v["status"].as_str(), v["export_ready"].as_bool()),
        (200, Some("done"), Some(true)),
        "{v}"
    );
    let r = c.get(t.url(&format!("{path}/export"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/zip");
    let zip = r.bytes().await.unwrap().to_vec();
    let names = unzip_names(&zip);
    assert!(
        names.contains(&"inbox/contact.json".to_string()) && names.contains(&"inbox/messages.json".to_string()),
        "{names:?}"
    );
    let text = String::from_utf8_lossy(&zip);
    assert!(text.contains("ana@example.com") && text.contains("tenéis cita"), "the export holds her data");
    let done = t.wait_mail("ana@example.com", 2).await;
    assert!(done.subject.contains("answered"), "{}", done.subject);
    // Another workspace's contact is nobody here.
    let bob = t.signed_in_user("bob@example.com").await;
    let ws_b = t.workspace(&bob, "Studio B").await;
    let token_b = t.api_token(&bob, &ws_b, "admin").await;
    let body = json!({ "kind": "erase", "contact_id": contact, "verified_how": "in person" });
    let (st, v) = api(t, &token_b, "POST", "/api/v1/privacy/requests", Some(body)).await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (404, Some("not_found")), "{v}");
    let (st, _) = api(t, &token_b, "GET", &format!("/api/v1/privacy/requests/{id}"), None).await;
    assert_eq!(st, 404);
    // The workspace's data role (P09): the business is the controller, Frontdesk its processor.
    let (st, v) = api(t, &s.token, "GET", "/api/v1/privacy/settings", None).await;
    assert_eq!((st.as_u16(), v["data_role"].as_str()), (200, Some("processor")), "{v}");
    let (st, v) = api(t, &s.token, "PUT", "/api/v1/privacy/settings", Some(json!({ "data_role": "owner" }))).await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (422, Some("invalid_data_role")), "{v}");
    let html = s.owner.get(t.url(&format!("/w/{}/privacy", s.ws))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("privacy-role") && html.contains("/privacy/salon-a"), "{html}");
    // Seven days on, the export is gone.
    t.clock.advance_ms(8 * 86_400_000);
    frontdesk_privacy::requests::sweep(&t.running.as_ref().unwrap().privacy).await.unwrap();
    let r = c.get(t.url(&format!("{path}/export"))).send().await.unwrap();
    assert_eq!(r.status(), 404);
    s.t.stop().await;
}

/// The names of a ZIP's entries (its central directory).
pub(crate) fn unzip_names(z: &[u8]) -> Vec<String> {
    let end = z.len() - 22;
    assert_eq!(&z[end..end + 4], b"PK\x05\x06");
    let count = u16::from_le_bytes([z[end + 10], z[end + 11]]) as usize;
    let mut at = u32::from_le_bytes([z[end + 16], z[end + 17], z[end + 18], z[end + 19]]) as usize;
    let mut out = vec![];
    for _ in 0..count {
        assert_eq!(&z[at..at + 4], b"PK\x01\x02");
        let n = u16::from_le_bytes([z[at + 28], z[at + 29]]) as usize;
        let extra = u16::from_le_bytes([z[at + 30], z[at + 31]]) as usize;
        let comment = u16::from_le_bytes([z[at + 32], z[at + 33]]) as usize;
        out.push(String::from_utf8_lossy(&z[at + 46..at + 46 + n]).into_owned());
        at += 46 + n + extra + comment;
    }
    out
}

#[tokio::test]
async fn without_the_address_on_file_the_owner_verifies_by_hand_and_a_restriction_stops_drafts_until_lifted() {
    let s = setup_with(Options { job_workers: Some(0), ..Default::default() }).await;
    let t = &s.t;
    let (contact, th) = ana(&s).await;
    assert_eq!(ask(&s, "salon-a", "restrict", "someone-else@example.com").await, 200);
    let m = t.wait_mail("someone-else@example.com", 1).await;
    assert!(
        m.subject.contains("was received") && !m.body.contains("code"),
        "no code to an address off file: {} {}",
        m.subject,
        m.body
    );
    let r = &requests(&s).await[0];
    let id = r["id"].as_str().unwrap().to_string();
    assert_eq!((r["status"].as_str(), r["contact_id"].as_str()), (Some("received"), None), "{r}");
    // By hand, saying how, and naming the contact.
    let (st, v) =
        api(t, &s.token, "POST", &format!("/api/v1/privacy/requests/{id}/verify"), Some(json!({ "how": " " }))).await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (422, Some("how_required")), "{v}");
    let (st, v) = api(
        t,
        &s.token,
        "POST",
        &format!("/api/v1/privacy/requests/{id}/verify"),
        Some(json!({ "how": "called her back" })),
    )
    .await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (422, Some("contact_required")), "{v}");
    let body = json!({ "how": "called her back on the number on file", "contact_id": contact });
    let (st, v) = api(t, &s.token, "POST", &format!("/api/v1/privacy/requests/{id}/verify"), Some(body)).await;
    assert_eq!((st.as_u16(), v["status"].as_str()), (200, Some("verified")), "{v}");
    let (st, v) = api(t, &s.token, "POST", &format!("/api/v1/privacy/requests/{id}/fulfil"), Some(json!({}))).await;
    assert_eq!((st.as_u16(), v["status"].as_str()), (200, Some("done")), "{v}");
    // Restricted: no AI draft, a banner for staff.
    let (st, v) = api(t, &s.token, "POST", &format!("/api/v1/threads/{th}/drafts"), None).await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (409, Some("processing_restricted")), "{v}");
    let html =
        s.owner.get(t.url(&format!("/w/{}/contacts/{contact}", s.ws))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("restricted-banner"), "{html}");
    let page = s.owner.get(t.url(&format!("/w/{}/privacy", s.ws))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("privacy-requests") && page.contains("/lift"), "{page}");
    // Lifted (audited): drafts again.
    let (st, v) = api(t, &s.token, "POST", &format!("/api/v1/privacy/requests/{id}/lift"), None).await;
    assert_eq!(st, 200, "{v}");
    let (st, _) = api(t, &s.token, "POST", &format!("/api/v1/threads/{th}/drafts"), None).await;
    assert_ne!(st.as_u16(), 409);
    let audit = frontdesk_platform::audit::export(t.app(), &s.ws).await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    for a in ["privacy.request", "privacy.verify", "privacy.fulfil", "privacy.lift"] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
    // Withdrawing consent opts her out on her channel.
    let body = json!({ "kind": "withdraw_consent", "contact_id": contact, "verified_how": "in person, ID shown" });
    let (st, v) = api(t, &s.token, "POST", "/api/v1/privacy/requests", Some(body)).await;
    assert_eq!((st.as_u16(), v["status"].as_str()), (201, Some("verified")), "{v}");
    let wid = v["id"].as_str().unwrap().to_string();
    let (st, _) = api(t, &s.token, "POST", &format!("/api/v1/privacy/requests/{wid}/fulfil"), Some(json!({}))).await;
    assert_eq!(st, 200);
    let (st, v) =
        api(t, &s.token, "POST", &format!("/api/v1/threads/{th}/messages"), Some(json!({ "text": "Hola" }))).await;
    assert_eq!(
        (st.as_u16(), v["error"]["code"].as_str()),
        (409, Some("contact_opted_out")),
        "no message after consent is withdrawn: {v}"
    );
    s.t.stop().await;
}

#[tokio::test]
async fn unverified_requests_expire_owners_are_reminded_and_the_operator_sees_what_is_overdue() {
    let s = setup_with(Options { job_workers: Some(0), ..Default::default() }).await;
    let t = &s.t;
    let (contact, _) = ana(&s).await;
    assert_eq!(ask(&s, "salon-a", "access", "ana@example.com").await, 200);
    let body = json!({ "kind": "rectify", "contact_id": contact, "verified_how": "in person", "details": "My name is Ana María" });
    let (st, _) = api(t, &s.token, "POST", "/api/v1/privacy/requests", Some(body)).await;
    assert_eq!(st, 201);
    let x = t.running.as_ref().unwrap().privacy.clone();
    t.run_jobs().await;
    let before = t.mails().iter().filter(|m| m.to.contains("owner@example.com")).count();
    // Fifteen days on, the unverified one has expired.
    t.clock.advance_ms(15 * 86_400_000);
    let (expired, _, _) = frontdesk_privacy::requests::sweep(&x).await.unwrap();
    assert_eq!(expired, 1);
    // Twenty-four days on: 6 days left, the first reminder; twenty-nine: the second.
    t.clock.advance_ms(9 * 86_400_000);
    assert_eq!(frontdesk_privacy::requests::sweep(&x).await.unwrap().1, 1);
    assert_eq!(frontdesk_privacy::requests::sweep(&x).await.unwrap().1, 0, "once");
    t.clock.advance_ms(5 * 86_400_000);
    assert_eq!(frontdesk_privacy::requests::sweep(&x).await.unwrap().1, 1);
    let m = t.wait_mail("owner@example.com", before + 2).await;
    assert!(m.subject.contains("due in 2 days"), "{}", m.subject);
    // Past the due date the operator sees it.
    t.clock.advance_ms(2 * 86_400_000);
    frontdesk_platform::operator::create_user(t.app(), "op@example.com", Option::<&str>::None, PASSWORD, true)
        .await
        .unwrap();
    let op = t.client();
    assert_eq!(t.login(&op, "op@example.com", PASSWORD).await.status(), 303);
    let html = op.get(t.url("/admin/privacy")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("privacy-overdue") && html.contains("Salon A"), "{html}");
    let list = requests(&s).await;
    assert!(list.iter().any(|r| r["overdue"] == true && r["kind"] == "rectify"), "{list:?}");
    s.t.stop().await;
}

#[tokio::test]
async fn a_request_made_in_the_conversation_gets_its_code_there_through_the_gate() {
    let s = setup_with(Options { job_workers: Some(0), ..Default::default() }).await;
    let t = &s.t;
    let (contact, th) = ana(&s).await;
    // Neither a way of checking nor a conversation: refused.
    let (st, v) =
        api(t, &s.token, "POST", "/api/v1/privacy/requests", Some(json!({ "kind": "erase", "contact_id": contact })))
            .await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (422, Some("how_required")), "{v}");
    let body = json!({ "kind": "erase", "contact_id": contact, "thread_id": th });
    let (st, v) = api(t, &s.token, "POST", "/api/v1/privacy/requests", Some(body)).await;
    assert_eq!((st.as_u16(), v["status"].as_str()), (201, Some("received")), "{v}");
    t.run_jobs().await;
    let sent = s.fake.rec.named("telegram sendMessage");
    let text = sent.last().expect("a reply in her conversation")["body"]["text"].as_str().unwrap().to_string();
    let code: String = text.split("code ").nth(1).unwrap().chars().take(6).collect();
    let link = text.split_whitespace().find(|w| w.contains("/privacy/requests/")).unwrap().to_string();
    let path = link.trim_start_matches(&t.url("")).to_string();
    let c = t.client();
    let r = c.post(t.url(&format!("{path}/verify"))).form(&[("code", code.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 303, "{text}");
    let (_, v) = api(t, &s.token, "GET", "/api/v1/privacy/requests", None).await;
    assert_eq!(v["requests"][0]["status"], "verified", "{v}");
    s.t.stop().await;
}

#[tokio::test]
async fn an_account_holder_asks_about_their_own_account_and_the_operator_answers() {
    let s = setup_with(Options { job_workers: Some(0), ..Default::default() }).await;
    let t = &s.t;
    frontdesk_platform::operator::create_user(t.app(), "op@example.com", Option::<&str>::None, PASSWORD, true)
        .await
        .unwrap();
    let page = s.owner.get(t.url("/account")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("/account/privacy"), "the account settings link to it");
    let r = s.owner.post(t.url("/account/privacy")).form(&[("kind", "everything")]).send().await.unwrap();
    assert_eq!(r.status(), 422, "an unknown kind is refused");
    let r = s
        .owner
        .post(t.url("/account/privacy"))
        .form(&[("kind", "export"), ("details", "All of it")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let page = s.owner.get(t.url("/account/privacy")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("data-status=\"verified\""), "signed in is who they are: {page}");
    // It goes to the operator (Frontdesk is the controller of account data), not to a workspace.
    let m = t.wait_mail("op@example.com", 1).await;
    assert!(m.subject.contains("about an account"), "{}", m.subject);
    let (_, ws_list) = api(t, &s.token, "GET", "/api/v1/privacy/requests", None).await;
    assert!(ws_list["requests"].as_array().unwrap().is_empty(), "{ws_list}");
    let op = t.client();
    assert_eq!(t.login(&op, "op@example.com", PASSWORD).await.status(), 303);
    let admin = op.get(t.url("/admin/privacy")).send().await.unwrap().text().await.unwrap();
    let id = admin.split("data-request=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let r = op.post(t.url(&format!("/admin/privacy/{id}/fulfil"))).form(&[("note", "")]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    // The export: the account, its workspaces, its sign-ins, its activity; only theirs.
    let r = s.owner.get(t.url(&format!("/account/privacy/{id}/export"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let zip = r.bytes().await.unwrap().to_vec();
    let names = unzip_names(&zip);
    assert!(names.contains(&"account/sessions.json".to_string()), "{names:?}");
    let text = String::from_utf8_lossy(&zip);
    assert!(text.contains("owner@example.com") && text.contains("Salon A"), "their data");
    let r = op.get(t.url(&format!("/account/privacy/{id}/export"))).send().await.unwrap();
    assert_eq!(r.status(), 404, "another account's export is not found");
    let done = t.wait_mail("owner@example.com", 2).await;
    assert!(done.subject.contains("answered"), "{}", done.subject);
    s.t.stop().await;
}
