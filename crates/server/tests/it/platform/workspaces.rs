//! Workspaces as their people use them: invitations by email, roles and the last owner, API
//! tokens acting with their role, switching workspaces, the operator's console, and the JSON
//! API's stable error codes.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

async fn get_json(c: &Client, url: String) -> (StatusCode, Value) {
    let r = c.get(url).send().await.unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn invite(t: &TestApp, c: &Client, ws: &str, email: &str, role: &str) -> (StatusCode, Value) {
    let r = c
        .post(t.url(&format!("/api/v1/workspaces/{ws}/invitations")))
        .json(&json!({ "email": email, "role": role }))
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap())
}

/// The invitation link mailed to `email` (the `n`-th mail to that address), as its token.
async fn invitation_token(t: &TestApp, email: &str, n: usize) -> String {
    let mail = t.wait_mail(email, n).await;
    assert!(mail.subject.contains("invited you to") || mail.subject.starts_with("Invitation to"), "{}", mail.subject);
    assert!(mail.body.contains("expires in 7 days"), "{}", mail.body);
    mail.token(&t.url("/invitations/"))
}

async fn user_id(c: &Client, t: &TestApp) -> String {
    get_json(c, t.url("/api/v1/me")).await.1["id"].as_str().unwrap().to_string()
}

async fn member_role(t: &TestApp, c: &Client, ws: &str, email: &str) -> Option<String> {
    let (status, list) = get_json(c, t.url(&format!("/api/v1/workspaces/{ws}/members"))).await;
    assert_eq!(status, 200);
    list.as_array().unwrap().iter().find(|m| m["email"] == email).map(|m| m["role"].as_str().unwrap().to_string())
}

async fn invitation_status(t: &TestApp, c: &Client, ws: &str, email: &str) -> String {
    let (_, list) = get_json(c, t.url(&format!("/api/v1/workspaces/{ws}/invitations"))).await;
    list.as_array().unwrap().iter().find(|i| i["email"] == email).unwrap()["status"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn invitation_flow_single_use_and_expiring() {
    let t = spawn_app().await;
    let owner = t.signed_in_user("owner@example.com").await;
    let ws = t.workspace(&owner, "Salon Lumière").await;

    // A new person: the mailed link leads to sign-up; the invitation stands in for email
    // verification, so the account works at once and joins with the invited role.
    let (status, inv) = invite(&t, &owner, &ws, "Bea@Example.com", "agent").await;
    assert_eq!(status, 201);
    assert_eq!(inv["status"], "pending");
    assert_eq!(inv["email"], "bea@example.com");
    let token = invitation_token(&t, "bea@example.com", 1).await;
    let bea = t.client();
    let page = bea.get(t.url(&format!("/invitations/{token}"))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Salon Lumière") && html.contains("as agent"), "{html}");
    assert!(html.contains(&format!("/signup?invitation={token}")));
    let form = |email: &'static str| {
        vec![
            ("email", email.to_string()),
            ("name", "Bea".to_string()),
            ("password", PASSWORD.to_string()),
            ("adult", "yes".to_string()),
            ("invitation", token.clone()),
        ]
    };
    // Someone else cannot use Bea's invitation to sign up.
    let r = bea.post(t.url("/signup")).form(&form("mallory@example.com")).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("the address the invitation was sent to"));
    let r = bea.post(t.url("/signup")).form(&form("bea@example.com")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("you have joined the workspace"));
    assert_eq!(t.mail_count("bea@example.com"), 1, "no confirmation mail is needed");
    assert_eq!(t.login(&bea, "bea@example.com", PASSWORD).await.status(), 303);
    let (_, mine) = get_json(&bea, t.url("/api/v1/workspaces")).await;
    assert_eq!(mine[0]["id"], ws.as_str());
    assert_eq!(mine[0]["role"], "agent");
    assert_eq!(invitation_status(&t, &owner, &ws, "bea@example.com").await, "accepted");

    // Single use: the link is gone now, for the page, for sign-up and for accepting.
    let r = t.client().get(t.url(&format!("/invitations/{token}"))).send().await.unwrap();
    assert_eq!(r.status(), 410);
    assert!(r.text().await.unwrap().contains("already accepted"));
    let r = bea.post(t.url(&format!("/invitations/{token}"))).send().await.unwrap();
    assert_eq!(r.status(), 410);
    let r = t.client().get(t.url("/invitations/not-a-real-token")).send().await.unwrap();
    assert_eq!(r.status(), 404);

    // An existing account accepts while signed in and lands in the workspace.
    let fay = t.signed_in_user("fay@example.com").await;
    invite(&t, &owner, &ws, "fay@example.com", "viewer").await;
    let token = invitation_token(&t, "fay@example.com", 2).await;
    let html = fay.get(t.url(&format!("/invitations/{token}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Join the workspace"));
    let r = fay.post(t.url(&format!("/invitations/{token}"))).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], format!("/w/{ws}").as_str());
    assert_eq!(member_role(&t, &owner, &ws, "fay@example.com").await.as_deref(), Some("viewer"));
    // Inviting a member again is refused with a field error.
    let (status, body) = invite(&t, &owner, &ws, "fay@example.com", "agent").await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["code"], "already_member");
    assert_eq!(body["error"]["field"], "email");

    // Signed in as someone else: the link does not work for them.
    invite(&t, &owner, &ws, "gus@example.com", "agent").await;
    let token = invitation_token(&t, "gus@example.com", 1).await;
    let html = fay.get(t.url(&format!("/invitations/{token}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("sent to another email address"));
    let r = fay.post(t.url(&format!("/invitations/{token}"))).send().await.unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(invitation_status(&t, &owner, &ws, "gus@example.com").await, "pending");
    // Not signed in: accepting asks to sign in first and comes back.
    let r = t.client().post(t.url(&format!("/invitations/{token}"))).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], format!("/login?next=/invitations/{token}").as_str());

    // Withdrawn: the owner takes it back and the link stops working.
    let (_, dan) = invite(&t, &owner, &ws, "dan@example.com", "agent").await;
    let dan_token = invitation_token(&t, "dan@example.com", 1).await;
    let r = owner
        .delete(t.url(&format!("/api/v1/workspaces/{ws}/invitations/{}", dan["id"].as_str().unwrap())))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = t.client().get(t.url(&format!("/invitations/{dan_token}"))).send().await.unwrap();
    assert_eq!(r.status(), 410);
    assert!(r.text().await.unwrap().contains("withdrawn"));
    assert_eq!(invitation_status(&t, &owner, &ws, "dan@example.com").await, "revoked");

    // Expiring: a week later Gus's link has expired, even for sign-up.
    t.clock.advance_ms(8 * 24 * 3600 * 1000);
    let r = t.client().get(t.url(&format!("/invitations/{token}"))).send().await.unwrap();
    assert_eq!(r.status(), 410);
    assert!(r.text().await.unwrap().contains("expired"));
    let r = t
        .client()
        .post(t.url("/signup"))
        .form(&[
            ("email", "gus@example.com"),
            ("name", "Gus"),
            ("password", PASSWORD),
            ("adult", "yes"),
            ("invitation", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 410);
    assert_eq!(invitation_status(&t, &owner, &ws, "gus@example.com").await, "expired");
    assert_eq!(member_role(&t, &owner, &ws, "gus@example.com").await, None);

    // Everything above is on the workspace's audit chain.
    let entries = frontdesk_platform::audit::export(t.app(), &ws).await.unwrap();
    let count = |a: &str| entries.iter().filter(|e| e.action == a).count();
    assert_eq!(count("invitation.create"), 4);
    assert_eq!(count("invitation.accept"), 2);
    assert_eq!(count("invitation.revoke"), 1);
    t.stop().await;
}

#[tokio::test]
async fn only_owners_and_admins_invite_and_never_above_themselves() {
    let t = spawn_app().await;
    let owner = t.signed_in_user("owner@example.com").await;
    let ws = t.workspace(&owner, "Studio").await;
    let admin = t.signed_in_user("admin@example.com").await;
    let agent = t.signed_in_user("agent@example.com").await;
    for (email, role, c, n) in [("admin@example.com", "admin", &admin, 2), ("agent@example.com", "agent", &agent, 2)] {
        invite(&t, &owner, &ws, email, role).await;
        let token = invitation_token(&t, email, n).await;
        assert_eq!(c.post(t.url(&format!("/invitations/{token}"))).send().await.unwrap().status(), 303);
    }
    let (status, body) = invite(&t, &admin, &ws, "new@example.com", "owner").await;
    assert_eq!(status, 403, "{body}");
    let (status, _) = invite(&t, &admin, &ws, "new@example.com", "admin").await;
    assert_eq!(status, 201);
    let (status, _) = invite(&t, &agent, &ws, "other@example.com", "viewer").await;
    assert_eq!(status, 403);
    let (status, body) = invite(&t, &owner, &ws, "not-an-email", "viewer").await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["code"], "invalid_email");
    let (status, body) = invite(&t, &owner, &ws, "x@example.com", "boss").await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["code"], "invalid_role");
    t.stop().await;
}

#[tokio::test]
async fn roles_change_and_last_owner_cannot_be_removed() {
    let t = spawn_app().await;
    let owner = t.signed_in_user("owner@example.com").await;
    let ws = t.workspace(&owner, "Clinic").await;
    let admin = t.signed_in_user("admin@example.com").await;
    let agent = t.signed_in_user("agent@example.com").await;
    for (email, role, c) in [("admin@example.com", "admin", &admin), ("agent@example.com", "agent", &agent)] {
        invite(&t, &owner, &ws, email, role).await;
        let token = invitation_token(&t, email, 2).await;
        assert_eq!(c.post(t.url(&format!("/invitations/{token}"))).send().await.unwrap().status(), 303);
    }
    let owner_id = user_id(&owner, &t).await;
    let admin_id = user_id(&admin, &t).await;
    let agent_id = user_id(&agent, &t).await;
    let member = |id: &str| t.url(&format!("/api/v1/workspaces/{ws}/members/{id}"));
    let set_role = |c: &Client, id: &str, role: &str| c.patch(member(id)).json(&json!({ "role": role })).send();

    // The only owner can neither leave nor step down.
    let r = owner.delete(member(&owner_id)).send().await.unwrap();
    assert_eq!(r.status(), 409);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "last_owner");
    let r = set_role(&owner, &owner_id, "admin").await.unwrap();
    assert_eq!(r.status(), 409);
    // An admin manages agents and viewers, but not owners and not the owner role.
    assert_eq!(set_role(&admin, &owner_id, "viewer").await.unwrap().status(), 403);
    assert_eq!(admin.delete(member(&owner_id)).send().await.unwrap().status(), 403);
    assert_eq!(set_role(&admin, &agent_id, "owner").await.unwrap().status(), 403);
    assert_eq!(set_role(&admin, &agent_id, "viewer").await.unwrap().status(), 204);
    assert_eq!(member_role(&t, &owner, &ws, "agent@example.com").await.as_deref(), Some("viewer"));
    // A viewer changes nothing.
    assert_eq!(set_role(&agent, &admin_id, "viewer").await.unwrap().status(), 403);
    // With a second owner the first may step down.
    assert_eq!(set_role(&owner, &admin_id, "owner").await.unwrap().status(), 204);
    assert_eq!(set_role(&owner, &owner_id, "admin").await.unwrap().status(), 204);
    assert_eq!(member_role(&t, &admin, &ws, "owner@example.com").await.as_deref(), Some("admin"));
    // Removing a member ends their access at once; the workspace is then "not found" to them.
    assert_eq!(admin.delete(member(&agent_id)).send().await.unwrap().status(), 204);
    let (status, body) = get_json(&agent, t.url(&format!("/api/v1/workspaces/{ws}"))).await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");
    assert_eq!(admin.delete(member(&agent_id)).send().await.unwrap().status(), 404);
    // A member may leave on their own.
    assert_eq!(owner.delete(member(&owner_id)).send().await.unwrap().status(), 204);
    let (_, mine) = get_json(&owner, t.url("/api/v1/workspaces")).await;
    assert_eq!(mine, json!([]));
    // And the new sole owner is again the last owner.
    let r = admin.delete(member(&admin_id)).send().await.unwrap();
    assert_eq!(r.status(), 409);

    let entries = frontdesk_platform::audit::export(t.app(), &ws).await.unwrap();
    let changes: Vec<_> =
        entries.iter().filter(|e| e.action == "member.role_change").map(|e| e.outcome.as_str()).collect();
    assert_eq!(changes, ["viewer", "owner", "admin"]);
    assert_eq!(entries.iter().filter(|e| e.action == "member.remove").count(), 2);
    t.stop().await;
}

#[tokio::test]
async fn api_token_acts_with_its_role() {
    let t = spawn_app().await;
    let owner = t.signed_in_user("owner@example.com").await;
    let ws = t.workspace(&owner, "Repair shop").await;
    let other_ws = t.workspace(&owner, "Second shop").await;
    let tokens_url = t.url(&format!("/api/v1/workspaces/{ws}/api-tokens"));
    let create = |name: &str, role: &str| owner.post(&tokens_url).json(&json!({ "name": name, "role": role })).send();

    let r = create("integration", "viewer").await.unwrap();
    assert_eq!(r.status(), 201);
    let body: Value = r.json().await.unwrap();
    let secret = body["token"].as_str().unwrap().to_string();
    assert!(secret.starts_with("fdt_") && secret.len() > 40, "{secret}");
    assert!(secret.starts_with(body["prefix"].as_str().unwrap()));
    // Shown once: the list never carries it, and the database keeps only a hash.
    let listed = owner.get(&tokens_url).send().await.unwrap().text().await.unwrap();
    assert!(listed.contains("integration") && !listed.contains(&secret));
    let dump = frontdesk_store::row::dump_table_as_text(&t.app().db, "api_tokens").await.unwrap();
    assert!(!dump.contains(&secret[4..]), "the token secret is stored in clear");

    let bearer = |s: &str| {
        let s = s.to_string();
        move |rb: reqwest::RequestBuilder| rb.bearer_auth(&s)
    };
    let viewer = bearer(&secret);
    let anon = Client::new();
    let me: Value = viewer(anon.get(t.url("/api/v1/me"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["kind"], "api_token");
    assert_eq!(me["role"], "viewer");
    assert_eq!(me["workspace_id"], ws.as_str());
    // It reads its own workspace, but a viewer renames nothing.
    let r = viewer(anon.get(t.url(&format!("/api/v1/workspaces/{ws}")))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = viewer(anon.patch(t.url(&format!("/api/v1/workspaces/{ws}"))))
        .json(&json!({ "name": "Hijacked" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let list: Value = viewer(anon.get(t.url("/api/v1/workspaces"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1, "a token sees its own workspace only");
    // Another workspace of the same owner does not exist for it.
    let r = viewer(anon.get(t.url(&format!("/api/v1/workspaces/{other_ws}")))).send().await.unwrap();
    assert_eq!(r.status(), 404);
    // Account-level endpoints belong to people.
    let r = viewer(anon.post(t.url("/api/v1/workspaces"))).json(&json!({ "name": "X" })).send().await.unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(viewer(anon.get(t.url("/api/v1/sessions"))).send().await.unwrap().status(), 403);

    // An admin token renames, creates tokens up to its own role, and is audited as itself.
    let admin: Value = create("ops", "admin").await.unwrap().json().await.unwrap();
    let admin_secret = admin["token"].as_str().unwrap().to_string();
    let admin_call = bearer(&admin_secret);
    let r = admin_call(anon.patch(t.url(&format!("/api/v1/workspaces/{ws}"))))
        .json(&json!({ "name": "Repair shop & café" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["name"], "Repair shop & café");
    let r = admin_call(anon.post(&tokens_url)).json(&json!({ "name": "a", "role": "agent" })).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let entries = frontdesk_platform::audit::export(t.app(), &ws).await.unwrap();
    let rename = entries.iter().find(|e| e.action == "workspace.rename").unwrap();
    assert_eq!(rename.actor_kind, "api_token");
    assert_eq!(rename.actor_id.as_deref(), admin["id"].as_str());
    // No token is an owner.
    let r = create("root", "owner").await.unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "invalid_role");

    // Use is recorded; revoking ends it at once.
    let list: Value = owner.get(&tokens_url).send().await.unwrap().json().await.unwrap();
    let row = list.as_array().unwrap().iter().find(|x| x["id"] == body["id"]).unwrap().clone();
    assert!(row["last_used_at"].is_string(), "{row}");
    let r = owner.delete(format!("{tokens_url}/{}", body["id"].as_str().unwrap())).send().await.unwrap();
    assert_eq!(r.status(), 204);
    let r = viewer(anon.get(t.url("/api/v1/me"))).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "invalid_token");
    for bad in ["Bearer fdt_nope", "Bearer ", "Basic abc", "Bearer fdt_ünïcode"] {
        let r = anon.get(t.url("/api/v1/me")).header("authorization", bad).send().await.unwrap();
        assert_eq!(r.status(), 401, "{bad}");
        assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "invalid_token");
    }
    t.stop().await;
}

#[tokio::test]
async fn switching_workspaces_and_pages() {
    let t = spawn_app().await;
    let ana = t.signed_in_user("ana@example.com").await;
    let html = ana.get(t.url("/app")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("You are not in any workspace yet"));
    let mut ids = vec![];
    for name in ["North studio", "South studio"] {
        let r = ana.post(t.url("/app/workspaces")).form(&[("name", name)]).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let loc = r.headers()["location"].to_str().unwrap().to_string();
        ids.push(loc.strip_prefix("/w/").unwrap().to_string());
    }
    // The workspace created last is the current one; switching moves the marker.
    let html = ana.get(t.url("/app")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("North studio") && html.contains("South studio"));
    assert!(html.contains(&format!("action=\"/w/{}/switch\"", ids[0])));
    assert!(!html.contains(&format!("action=\"/w/{}/switch\"", ids[1])));
    let r = ana.post(t.url(&format!("/w/{}/switch", ids[0]))).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let html = ana.get(t.url("/app")).send().await.unwrap().text().await.unwrap();
    assert!(!html.contains(&format!("action=\"/w/{}/switch\"", ids[0])));
    assert!(html.contains(&format!("action=\"/w/{}/switch\"", ids[1])));

    // The settings page: an owner sees the member list and the forms to invite and make tokens.
    let html = ana.get(t.url(&format!("/w/{}/settings/members", ids[0]))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("North studio") && html.contains("ana@example.com"));
    assert!(html.contains("Send invitation"));
    // Invite through the page form and see the invitation listed.
    let vic = t.signed_in_user("vic@example.com").await;
    let r = ana
        .post(t.url(&format!("/w/{}/invitations", ids[0])))
        .form(&[("email", "vic@example.com"), ("role", "viewer")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let html = ana.get(t.url(&format!("/w/{}/settings/members", ids[0]))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("vic@example.com"));
    // A viewer sees the workspace but no invitation form.
    let token = invitation_token(&t, "vic@example.com", 2).await;
    assert_eq!(vic.post(t.url(&format!("/invitations/{token}"))).send().await.unwrap().status(), 303);
    let html = vic.get(t.url(&format!("/w/{}/settings/members", ids[0]))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("North studio") && !html.contains("Send invitation"));
    // Someone else's workspace: not found, on the page and when switching.
    assert_eq!(vic.get(t.url(&format!("/w/{}", ids[1]))).send().await.unwrap().status(), 404);
    assert_eq!(vic.post(t.url(&format!("/w/{}/switch", ids[1]))).send().await.unwrap().status(), 404);
    // Creating a workspace with an empty name shows the error on the form.
    let r = ana.post(t.url("/app/workspaces")).form(&[("name", "  ")]).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("id=\"name-error\""));
    t.stop().await;
}

#[tokio::test]
async fn operator_lists_and_suspends() {
    let t = spawn_app().await;
    let op = t.signed_in_user("op@example.com").await;
    frontdesk_platform::operator::set_operator(t.app(), "op@example.com", true).await.unwrap();
    let ana = t.signed_in_user("ana@example.com").await;
    let ws = t.workspace(&ana, "Ana's salon").await;
    let ana_id = user_id(&ana, &t).await;

    // Not for ordinary accounts.
    assert_eq!(ana.get(t.url("/api/v1/admin/users")).send().await.unwrap().status(), 403);
    assert_eq!(ana.get(t.url("/admin")).send().await.unwrap().status(), 403);
    assert_eq!(t.client().get(t.url("/admin")).send().await.unwrap().status(), 303);

    let (status, users) = get_json(&op, t.url("/api/v1/admin/users")).await;
    assert_eq!(status, 200);
    let emails: Vec<_> = users.as_array().unwrap().iter().map(|u| u["email"].as_str().unwrap()).collect();
    assert!(emails.contains(&"ana@example.com") && emails.contains(&"op@example.com"));
    let (_, list) = get_json(&op, t.url("/api/v1/admin/workspaces")).await;
    let row = list.as_array().unwrap().iter().find(|w| w["id"] == ws.as_str()).unwrap();
    assert_eq!(row["members"], 1);
    assert_eq!(row["suspended"], false);
    let html = op.get(t.url("/admin")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("ana@example.com") && html.contains("Ana's salon"), "{html}");

    // Suspending a workspace stops its members and its tokens; restoring brings them back.
    let token: Value = ana
        .post(t.url(&format!("/api/v1/workspaces/{ws}/api-tokens")))
        .json(&json!({ "name": "t", "role": "agent" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = token["token"].as_str().unwrap();
    let r = op.post(t.url(&format!("/api/v1/admin/workspaces/{ws}/suspend"))).send().await.unwrap();
    assert_eq!(r.status(), 204);
    let (status, body) = get_json(&ana, t.url(&format!("/api/v1/workspaces/{ws}"))).await;
    assert_eq!(status, 403);
    assert_eq!(body["error"]["code"], "workspace_suspended");
    let r = Client::new().get(t.url(&format!("/api/v1/workspaces/{ws}"))).bearer_auth(secret).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = op.post(t.url(&format!("/api/v1/admin/workspaces/{ws}/restore"))).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(get_json(&ana, t.url(&format!("/api/v1/workspaces/{ws}"))).await.0, 200);

    // Suspending an account ends its sessions and refuses sign-in until restored.
    let r = op.post(t.url(&format!("/api/v1/admin/users/{ana_id}/suspend"))).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(ana.get(t.url("/api/v1/me")).send().await.unwrap().status(), 401);
    let r = t.login(&t.client(), "ana@example.com", PASSWORD).await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("suspended"));
    let r = op.post(t.url(&format!("/api/v1/admin/users/{ana_id}/restore"))).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(t.login(&t.client(), "ana@example.com", PASSWORD).await.status(), 303);
    // The page forms do the same.
    let r = op.post(t.url(&format!("/admin/users/{ana_id}/suspend"))).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let (_, users) = get_json(&op, t.url("/api/v1/admin/users")).await;
    assert_eq!(users.as_array().unwrap().iter().find(|u| u["id"] == ana_id.as_str()).unwrap()["suspended"], true);
    // Unknown ids are "not found".
    for path in ["/api/v1/admin/users/nope/suspend", "/api/v1/admin/workspaces/nope/suspend"] {
        let r = op.post(t.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 404, "{path}");
    }

    // Every operator action, looking included, is on the platform audit chain, and it holds.
    let entries = frontdesk_platform::audit::export(t.app(), "platform").await.unwrap();
    let ops: Vec<_> = entries.iter().filter(|e| e.actor_kind == "operator").map(|e| e.action.as_str()).collect();
    for a in [
        "operator.list_users",
        "operator.list_workspaces",
        "operator.suspend_workspace",
        "operator.restore_workspace",
        "operator.suspend_user",
        "operator.restore_user",
    ] {
        assert!(ops.contains(&a), "{a} not audited: {ops:?}");
    }
    assert!(frontdesk_platform::audit::verify_all(t.app()).await.unwrap().is_ok());
    t.stop().await;
}

#[tokio::test]
async fn bad_json_input_gets_stable_error_codes() {
    let t = spawn_app().await;
    let c = t.signed_in_user("ana@example.com").await;
    let ws = t.workspace(&c, "Bakery").await;
    let url = t.url("/api/v1/workspaces");
    let send = |body: &'static str, ctype: Option<&'static str>| {
        let mut rb = c.post(&url).body(body);
        if let Some(ct) = ctype {
            rb = rb.header("content-type", ct);
        }
        rb.send()
    };
    let cases: &[(&str, Option<&str>, u16, &str)] = &[
        ("{\"name\": ", Some("application/json"), 400, "malformed_json"),
        ("not json at all", Some("application/json"), 400, "malformed_json"),
        ("{\"name\": 5}", Some("application/json"), 422, "invalid_field"),
        ("{}", Some("application/json"), 422, "invalid_field"),
        ("{\"name\": \"A\", \"owner\": \"me\"}", Some("application/json"), 422, "invalid_field"),
        ("[]", Some("application/json"), 422, "body_not_object"),
        // A struct's fields given by position, or one field given twice, are refused.
        ("[\"A\"]", Some("application/json"), 422, "body_not_object"),
        ("\"A\"", Some("application/json"), 422, "body_not_object"),
        ("{\"name\": \"A\", \"name\": \"B\"}", Some("application/json"), 422, "duplicate_field"),
        ("{\"name\": \"A\"}", None, 415, "unsupported_media_type"),
        ("{\"name\": \"A\"}", Some("text/plain"), 415, "unsupported_media_type"),
        ("{\"name\": \"   \"}", Some("application/json"), 422, "required"),
    ];
    for (body, ctype, status, code) in cases {
        let r = send(body, *ctype).await.unwrap();
        assert_eq!(r.status().as_u16(), *status, "{body}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"]["code"], *code, "{body}: {v}");
        assert!(v["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let long = "x".repeat(500);
    let r = c.post(&url).json(&json!({ "name": long })).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "too_long");
    assert_eq!(v["error"]["field"], "name");
    // Nothing was created by any of the refused calls.
    let (_, mine) = get_json(&c, url.clone()).await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    // Unknown ids of every shape are a plain 404 with the same code.
    for (method, path) in [
        (reqwest::Method::GET, "/api/v1/workspaces/nope".to_string()),
        (reqwest::Method::GET, "/api/v1/workspaces/00000000-0000-0000-0000-000000000000".to_string()),
        (reqwest::Method::DELETE, format!("/api/v1/workspaces/{ws}/members/nope")),
        (reqwest::Method::DELETE, format!("/api/v1/workspaces/{ws}/invitations/nope")),
        (reqwest::Method::DELETE, format!("/api/v1/workspaces/{ws}/api-tokens/00000000-0000-0000-0000-000000000000")),
    ] {
        let r = c.request(method, t.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), 404, "{path}");
        assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "not_found", "{path}");
    }
    // Without a session or token: 401 with its own code.
    let r = Client::new().get(t.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "unauthenticated");
    t.stop().await;
}
