//! The audit log: hash-chained per workspace and for the platform, checked by
//! `frontdesk admin verify-audit`, which names the first broken entry.

use crate::helpers::*;
use serde_json::Value;
use std::process::Command;

fn verify_audit(t: &TestApp) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .args(["admin", "verify-audit"])
        .envs(binary_env(&t.dir, &t.config.database.url, free_port()))
        .current_dir(&t.dir)
        .output()
        .unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr))
}

#[tokio::test]
async fn tampered_row_is_reported_by_verify_audit() {
    let t = spawn_app().await;
    let ana = t.signed_in_user("ana@example.com").await;
    let ws = t.workspace(&ana, "Salon").await;
    for role in ["agent", "viewer"] {
        let r = ana
            .post(t.url(&format!("/api/v1/workspaces/{ws}/api-tokens")))
            .json(&serde_json::json!({"name": role, "role": role}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
    }
    // Owners see and export the chain; it holds ids, never names or emails.
    let export: Value =
        ana.get(t.url(&format!("/api/v1/workspaces/{ws}/audit"))).send().await.unwrap().json().await.unwrap();
    let entries = export["entries"].as_array().unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["workspace.create", "member.add", "api_token.create", "api_token.create"]);
    assert!(!export.to_string().contains("ana@example.com"));
    let page = ana.get(t.url(&format!("/w/{ws}/audit"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("api_token.create"));

    let (ok, out) = verify_audit(&t);
    assert!(ok, "{out}");
    assert!(out.contains("ok: 2 chains"), "{out}");

    // Someone edits the third entry in the database.
    let mut c = t.app().db.conn().await.unwrap();
    let sql = format!("UPDATE audit_log SET target_id = 'someone-else' WHERE chain = '{ws}' AND seq = 3");
    assert_eq!(frontdesk_store::row::raw_execute(&mut c, &sql).await.unwrap(), 1);
    let (ok, out) = verify_audit(&t);
    assert!(!ok);
    assert!(out.contains(&format!("chain {ws} at entry 3")), "{out}");

    // A deleted entry is found too.
    let sql = format!(
        "UPDATE audit_log SET target_id = '{}' WHERE chain = '{ws}' AND seq = 3",
        entries[2]["target_id"].as_str().unwrap()
    );
    frontdesk_store::row::raw_execute(&mut c, &sql).await.unwrap();
    assert!(verify_audit(&t).0);
    frontdesk_store::row::raw_execute(&mut c, &format!("DELETE FROM audit_log WHERE chain = '{ws}' AND seq = 2"))
        .await
        .unwrap();
    let (ok, out) = verify_audit(&t);
    assert!(!ok && out.contains("at entry 3"), "{out}");
    drop(c);
    t.stop().await;
}
