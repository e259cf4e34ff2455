//! Privacy promises kept in code: every column is classified in the personal-data registry,
//! and no secret (password, token, 2FA seed, recovery code) reaches the logs or the database.

use crate::helpers::*;
use frontdesk_core::pii::class_in;
use reqwest::redirect::Policy;
use std::time::Duration;

#[tokio::test]
async fn every_column_is_in_the_personal_data_registry() {
    let t = spawn_app().await;
    let cols = t.app().db.columns().await.unwrap();
    assert!(cols.len() > 50);
    let missing: Vec<String> = cols
        .iter()
        .filter(|(tb, c)| class_in(frontdesk_server::REGISTRY, tb, c).is_none())
        .map(|(tb, c)| format!("{tb}.{c}"))
        .collect();
    assert!(
        missing.is_empty(),
        "columns missing from every area's pii::SLICE (frontdesk_server::REGISTRY): {missing:?}"
    );
    t.stop().await;
}

fn outbox_mails(dir: &std::path::Path) -> Vec<Mail> {
    let mut v: Vec<(std::time::SystemTime, Mail)> = std::fs::read_dir(dir.join("outbox"))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().ends_with(".eml"))
                .map(|e| {
                    (e.metadata().unwrap().modified().unwrap(), parse_mail(&std::fs::read_to_string(e.path()).unwrap()))
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort_by_key(|(t, _)| *t);
    v.into_iter().map(|(_, m)| m).collect()
}

async fn wait_outbox(dir: &std::path::Path, to: &str, n: usize) -> Mail {
    for _ in 0..200 {
        let m: Vec<Mail> = outbox_mails(dir)
            .into_iter()
            .filter(|m| m.to.contains(to) && !m.subject.contains(": A new API token"))
            .collect();
        if m.len() >= n {
            return m[n - 1].clone();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no mail {n} to {to}");
}

/// Every database byte we can reach: the SQLite files, or each PostgreSQL row as JSON.
async fn database_bytes(dir: &std::path::Path, db: &str) -> Vec<u8> {
    if db.starts_with("sqlite") {
        let mut bytes = Vec::new();
        for f in ["frontdesk.db", "frontdesk.db-wal"] {
            bytes.extend(std::fs::read(dir.join(f)).unwrap_or_default());
        }
        return bytes;
    }
    let app = frontdesk_server::build_app(&config_for(dir, db), std::sync::Arc::new(frontdesk_platform::SystemClock))
        .await
        .unwrap();
    let mut tables: Vec<String> = app.db.columns().await.unwrap().into_iter().map(|(t, _)| t).collect();
    tables.dedup();
    let mut out = Vec::new();
    for t in tables {
        out.extend(frontdesk_store::row::dump_table_as_text(&app.db, &t).await.unwrap().into_bytes());
    }
    app.db.close().await;
    out
}

#[tokio::test]
async fn no_secret_in_logs_or_database_bytes() {
    let dir = temp_dir("secrets");
    let db = test_database_url(&dir).await;
    let port = free_port();
    let mut server = Binary::start(&dir, &db, port, "server.log").await;
    let base = server.base.clone();
    let url = |p: &str| format!("{base}{p}");
    let c = reqwest::Client::builder().cookie_store(true).redirect(Policy::none()).build().unwrap();
    let mut secrets: Vec<(String, String)> = vec![];

    let pw = "Zebra-Quartz-Melon-4471";
    secrets.push(("password".into(), pw.into()));
    c.post(url("/signup"))
        .form(&[("email", "ana@example.com"), ("name", "Ana"), ("password", pw), ("adult", "yes")])
        .send()
        .await
        .unwrap();
    let verify = wait_outbox(&dir, "ana@example.com", 1).await.token(&url("/verify-email"));
    secrets.push(("verification token".into(), verify.clone()));
    c.post(url("/verify-email")).form(&[("token", verify.as_str())]).send().await.unwrap();
    let r = c.post(url("/login")).form(&[("email", "ana@example.com"), ("password", pw)]).send().await.unwrap();
    let cookie =
        r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().split_once('=').unwrap().1.to_string();
    secrets.push(("session token".into(), cookie));

    let page = c.get(url("/account/2fa")).send().await.unwrap().text().await.unwrap();
    let secret = page.split("data-secret>").nth(1).unwrap().split('<').next().unwrap().to_string();
    let raw = totp_rs::Secret::Encoded(secret.clone()).to_bytes().unwrap();
    let code = totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, raw.clone()).unwrap().generate_current().unwrap();
    let page = c.post(url("/account/2fa")).form(&[("code", code.as_str())]).send().await.unwrap().text().await.unwrap();
    secrets.push(("totp secret".into(), secret));
    secrets.push(("totp secret (hex)".into(), raw.iter().map(|b| format!("{b:02x}")).collect()));
    let recovery = page.split("<li><code>").nth(1).unwrap().split('<').next().unwrap().to_string();
    secrets.push(("recovery code".into(), recovery));

    let ws: serde_json::Value = c
        .post(url("/api/v1/workspaces"))
        .json(&serde_json::json!({"name": "Salon"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ws = ws["id"].as_str().unwrap().to_string();
    let tok: serde_json::Value = c
        .post(url(&format!("/api/v1/workspaces/{ws}/api-tokens")))
        .json(&serde_json::json!({"name": "t", "role": "agent"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let api_token = tok["token"].as_str().unwrap().to_string();
    assert_eq!(
        reqwest::Client::new().get(url("/api/v1/me")).bearer_auth(&api_token).send().await.unwrap().status(),
        200
    );
    secrets.push(("api token".into(), api_token));
    c.post(url(&format!("/api/v1/workspaces/{ws}/invitations")))
        .json(&serde_json::json!({"email": "bob@example.com", "role": "agent"}))
        .send()
        .await
        .unwrap();
    let invite = wait_outbox(&dir, "bob@example.com", 1).await.token(&url("/invitations/"));
    secrets.push(("invitation token".into(), invite));

    let other = reqwest::Client::new();
    other.post(url("/forgot-password")).form(&[("email", "ana@example.com")]).send().await.unwrap();
    let reset = wait_outbox(&dir, "ana@example.com", 2).await.token(&url("/reset-password"));
    let new_pw = "Violet-Harbor-Tiger-9032";
    other.post(url("/reset-password")).form(&[("token", reset.as_str()), ("password", new_pw)]).send().await.unwrap();
    secrets.push(("reset token".into(), reset));
    secrets.push(("new password".into(), new_pw.into()));
    // A failed sign-in with a mistyped password must not log it either.
    let typo = "Violet-Harbor-Tiger-9033";
    other.post(url("/login")).form(&[("email", "ana@example.com"), ("password", typo)]).send().await.unwrap();
    secrets.push(("mistyped password".into(), typo.into()));

    tokio::time::sleep(Duration::from_millis(300)).await;
    server.stop();
    let log = server.log_text();
    assert!(log.lines().count() > 15, "the log captured the flows");
    assert!(log.contains("\"route\":\"/reset-password\""), "requests are logged by route");
    let bytes = database_bytes(&dir, &db).await;
    assert!(bytes.len() > 1000);
    let text = String::from_utf8_lossy(&bytes);
    for (what, s) in &secrets {
        assert!(!log.contains(s.as_str()), "{what} found in the log");
        assert!(!text.contains(s.as_str()), "{what} found in the database bytes");
    }
    drop_test_database(&db).await;
}
