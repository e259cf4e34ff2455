//! Agents' notifications: unread counts per agent (API and page), preferences, and an email
//! when a conversation is assigned to an agent who is not online (never when they are online
//! or have turned it off). The desktop notification itself is in the browser test
//! (`outbox::an_agent_answers_live_in_a_real_browser`).

use crate::helpers::*;
use crate::inbox::intake::{api, wa_channel, PHONE_A};
use crate::inbox::outbox::{deliver, first_thread, setup, wa_text, CUSTOMER};
use crate::platform::tenancy::member_user;
use frontdesk_core::Role;
use reqwest::Client;
use serde_json::{json, Value};

async fn get_json(t: &TestApp, c: &Client, path: &str) -> Value {
    let r = c.get(t.url(path)).send().await.unwrap();
    assert_eq!(r.status(), 200, "{path}");
    r.json().await.unwrap()
}

async fn page(t: &TestApp, c: &Client, path: &str) -> String {
    c.get(t.url(path)).send().await.unwrap().text().await.unwrap()
}

#[tokio::test]
async fn unread_counts_follow_what_each_agent_has_seen() {
    let s = setup().await;
    let t = &s.t;
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.U1", "Hello")).await;
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.U2", "Are you there?")).await;
    let th = first_thread(t, &s.token).await["id"].as_str().unwrap().to_string();

    let v = get_json(t, &s.owner, "/api/v1/threads").await;
    assert_eq!(v["threads"][0]["unread"], 2, "{v}");
    let v = get_json(t, &s.owner, "/api/v1/me/notifications").await;
    assert_eq!(v, json!({ "browser": true, "email_on_assign": true, "unread_threads": 1 }));
    let inbox = format!("/w/{}/inbox", s.ws);
    let p = page(t, &s.owner, &inbox).await;
    assert!(p.contains(r#"data-unread="2""#), "{p}");
    assert!(p.contains("<title>(1) Inbox"), "{p}");

    // Opening the thread reads it (for this agent only).
    page(t, &s.owner, &format!("/w/{}/inbox/{th}", s.ws)).await;
    let v = get_json(t, &s.owner, "/api/v1/threads").await;
    assert_eq!(v["threads"][0]["unread"], 0, "{v}");
    assert!(!page(t, &s.owner, &inbox).await.contains("<title>(1)"));
    let colleague = member_user(t, &s.ws, "colleague@example.com", Role::Agent).await;
    let v = get_json(t, &colleague, "/api/v1/threads").await;
    assert_eq!(v["threads"][0]["unread"], 2, "a colleague has not seen it: {v}");

    // A new message is unread again; API tokens have no "unread".
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.U3", "Hello?")).await;
    let v = get_json(t, &s.owner, "/api/v1/threads").await;
    assert_eq!(v["threads"][0]["unread"], 1, "{v}");
    let (_, v) = api(t, &s.token, "GET", "/api/v1/threads", None).await;
    assert!(v["threads"][0].get("unread").is_none(), "{v}");
    let (st, v) = api(t, &s.token, "GET", "/api/v1/me/notifications", None).await;
    assert_eq!((st.as_u16(), v["error"]["code"].as_str()), (422, Some("user_only")), "{v}");

    // A conversation assigned to someone else is not in my unread count.
    let me = get_json(t, &colleague, "/api/v1/me").await["id"].as_str().unwrap().to_string();
    let (st, v) = api(t, &s.token, "PATCH", &format!("/api/v1/threads/{th}"), Some(json!({ "assignee_id": me }))).await;
    assert_eq!(st, 200, "{v}");
    let v = get_json(t, &s.owner, "/api/v1/me/notifications").await;
    assert_eq!(v["unread_threads"], 0, "{v}");
    let v = get_json(t, &colleague, "/api/v1/me/notifications").await;
    assert_eq!(v["unread_threads"], 1, "{v}");
    s.t.stop().await;
}

#[tokio::test]
async fn an_offline_agent_gets_an_email_when_a_conversation_is_assigned_to_them() {
    let s = setup().await;
    let t = &s.t;
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.E1", "My secret question about my appointment")).await;
    let th = first_thread(t, &s.token).await["id"].as_str().unwrap().to_string();
    let agent = member_user(t, &s.ws, "agent@example.com", Role::Agent).await;
    let agent_id = get_json(t, &agent, "/api/v1/me").await["id"].as_str().unwrap().to_string();
    let assign = |who: Option<&str>| {
        let body = json!({ "assignee_id": who });
        let (token, th) = (s.token.clone(), th.clone());
        async move { api(t, &token, "PATCH", &format!("/api/v1/threads/{th}"), Some(body)).await.0 }
    };

    // Offline (never opened the inbox): one email with a link, without the customer's words.
    assert_eq!(assign(Some(&agent_id)).await, 200);
    t.run_jobs().await;
    let mail = t.wait_mail("agent@example.com", 1).await;
    assert!(mail.subject.contains("Sheena Nelson was assigned to you"), "{}", mail.subject);
    assert!(mail.body.contains(&format!("/w/{}/inbox/{th}", s.ws)), "{}", mail.body);
    assert!(!mail.body.contains("secret question"), "no message content in the email");

    // Online (the inbox page's live stream is open): no email.
    let stream = agent.get(t.url(&format!("/w/{}/inbox/events", s.ws))).send().await.unwrap();
    assert_eq!(stream.status(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(assign(None).await, 200);
    assert_eq!(assign(Some(&agent_id)).await, 200);
    t.run_jobs().await;
    drop(stream);

    // Offline again (three minutes later), but the agent turned the email off.
    t.clock.advance_ms(180_000);
    let r = agent
        .put(t.url("/api/v1/me/notifications"))
        .header("origin", t.url(""))
        .json(&json!({ "email_on_assign": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["email_on_assign"], false);
    assert_eq!(assign(None).await, 200);
    assert_eq!(assign(Some(&agent_id)).await, 200);
    t.run_jobs().await;

    // Back on, offline: an email again. Assigning to oneself never mails.
    let r = agent.post(t.url("/account/notifications")).form(&[("email_on_assign", "1")]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(assign(None).await, 200);
    assert_eq!(assign(Some(&agent_id)).await, 200);
    t.run_jobs().await;
    t.wait_mail("agent@example.com", 2).await;
    let r = agent
        .patch(t.url(&format!("/api/v1/threads/{th}")))
        .header("origin", t.url(""))
        .json(&json!({ "assignee_id": null }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = agent
        .patch(t.url(&format!("/api/v1/threads/{th}")))
        .header("origin", t.url(""))
        .json(&json!({ "assignee_id": agent_id }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    t.run_jobs().await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(t.mail_count("agent@example.com"), 2, "two emails: the online and the opted-out assignments sent none");
    let p = page(t, &agent, "/account").await;
    assert!(p.contains("Email me when a conversation is assigned"), "{p}");
    s.t.stop().await;
}
