//! The operator's commands: start-up refusals, migrate, admin bootstrap, tokens, backup.

use crate::helpers::*;
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn frontdesk(t_env: &[(String, String)], dir: &std::path::Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .args(args)
        .envs(t_env.iter().cloned())
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

#[test]
fn unknown_or_malformed_database_url_stops_start_up_with_a_clear_message() {
    let dir = temp_dir("badurl");
    for url in ["mysql://root@localhost/x", "sqlite://", "frontdesk.db"] {
        let env = vec![
            ("FRONTDESK__DATABASE__URL".to_string(), url.to_string()),
            ("FRONTDESK__SERVER__BIND".into(), format!("127.0.0.1:{}", free_port())),
        ];
        let o = frontdesk(&env, &dir, &["serve"], None);
        assert!(!o.status.success(), "{url} must not start");
        let out = text(&o);
        assert!(out.contains("database"), "{url}: {out}");
        assert!(!out.contains("panicked"), "{url}: {out}");
    }
    assert!(!dir.join("frontdesk.db").exists(), "a typo never creates a stray database file");
    let env = vec![("FRONTDESK__SERVER__BASE_URL".to_string(), "ftp://x".to_string())];
    let o = frontdesk(&env, &dir, &["migrate"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("base_url"));
}

#[test]
fn the_metrics_token_is_never_printed_and_a_bad_metrics_range_stops_start_up() {
    let dir = temp_dir("metricscfg");
    let env = vec![("FRONTDESK__METRICS__TOKEN".to_string(), "scrape-token-do-not-print".to_string())];
    let o = frontdesk(&env, &dir, &["print-config"], None);
    assert!(o.status.success(), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("metrics") && !out.contains("scrape-token-do-not-print"), "{out}");
    for (key, value) in [("FRONTDESK__METRICS__ALLOW", "[not-a-range]"), ("FRONTDESK__METRICS__TOKEN", "")] {
        let o = frontdesk(&[(key.to_string(), value.to_string())], &dir, &["migrate"], None);
        assert_eq!(o.status.code(), Some(2), "{key}={value}: {}", text(&o));
        assert!(text(&o).contains("metrics."), "{key}={value}: {}", text(&o));
    }
    assert!(!dir.join("data").exists(), "refused before anything is created");
}

#[tokio::test]
async fn admin_commands_bootstrap_an_account_workspace_and_token_that_work_over_http() {
    let t = spawn_app().await;
    let env = binary_env(&t.dir, &t.config.database.url, free_port());
    let o = frontdesk(&env, &t.dir, &["migrate"], None);
    assert!(o.status.success(), "{}", text(&o));

    let o = frontdesk(
        &env,
        &t.dir,
        &["admin", "create-user", "--email", "Owner@Example.com", "--password-stdin"],
        Some(&format!("{PASSWORD}\n")),
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = frontdesk(
        &env,
        &t.dir,
        &["admin", "create-user", "--email", "owner@example.com", "--password-stdin"],
        Some(PASSWORD),
    );
    assert!(!o.status.success() && text(&o).contains("already exists"));
    let o = frontdesk(
        &env,
        &t.dir,
        &["admin", "create-user", "--email", "weak@example.com", "--password-stdin"],
        Some("short"),
    );
    assert!(!o.status.success() && text(&o).contains("at least 10"));

    let o = frontdesk(
        &env,
        &t.dir,
        &["admin", "create-workspace", "--owner", "owner@example.com", "--name", "Clinic"],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let ws = String::from_utf8(o.stdout).unwrap().trim().to_string();
    assert!(frontdesk_core::WorkspaceId::parse(&ws).is_some(), "prints the workspace id: {ws}");
    let o =
        frontdesk(&env, &t.dir, &["admin", "create-workspace", "--owner", "nobody@example.com", "--name", "X"], None);
    assert!(!o.status.success() && text(&o).contains("not found"));

    let o = frontdesk(
        &env,
        &t.dir,
        &["admin", "create-api-token", "--workspace", &ws, "--name", "integration", "--role", "agent"],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let token = String::from_utf8(o.stdout).unwrap().trim().to_string();
    assert!(token.starts_with("fdt_"));
    let me: Value =
        reqwest::Client::new().get(t.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["workspace_id"], ws.as_str());
    assert_eq!(me["role"], "agent");
    let o = frontdesk(
        &env,
        &t.dir,
        &["admin", "create-api-token", "--workspace", &ws, "--name", "x", "--role", "owner"],
        None,
    );
    assert!(!o.status.success());
    let o = frontdesk(&env, &t.dir, &["admin", "create-api-token", "--workspace", "nope", "--name", "x"], None);
    assert!(!o.status.success() && text(&o).contains("not a workspace id"), "{}", text(&o));

    // The CLI-made account signs in (verified), and an operator account sees the console.
    let c = t.client();
    assert_eq!(t.login(&c, "owner@example.com", PASSWORD).await.status(), 303);
    let o = frontdesk(&env, &t.dir, &["admin", "set-operator", "--email", "owner@example.com"], None);
    assert!(o.status.success());
    assert_eq!(c.get(t.url("/admin")).send().await.unwrap().status(), 200);
    let platform = frontdesk_platform::audit::export(t.app(), "platform").await.unwrap();
    assert!(platform.iter().any(|e| e.action == "operator.create_user" && e.actor_kind == "cli"));
    assert!(platform.iter().any(|e| e.action == "operator.grant"));

    if t.config.database.url.starts_with("sqlite") {
        let backup = t.dir.join("backup.db");
        let o = frontdesk(&env, &t.dir, &["backup", "--to", backup.to_str().unwrap()], None);
        assert!(o.status.success(), "{}", text(&o));
        // The copy is a working database with the same accounts.
        let copy = frontdesk_store::Db::connect(&format!("sqlite://{}", backup.display()), 2).await.unwrap();
        let mut conn = copy.conn().await.unwrap();
        assert!(frontdesk_platform::repo::users::by_email(&mut conn, "owner@example.com").await.unwrap().is_some());
        drop(conn);
        copy.close().await;
        let o = frontdesk(&env, &t.dir, &["backup", "--to", backup.to_str().unwrap()], None);
        assert!(!o.status.success() && text(&o).contains("already exists"));
    }
    t.stop().await;
}

/// `frontdesk serve --demo`: the printed sign-in works and shows a workspace with a web chat and
/// a few conversations; a second demo start keeps the data and prints a new password.
#[tokio::test]
async fn serve_demo_prints_a_sign_in_that_opens_a_ready_inbox() {
    let t = spawn_app().await;
    let db = t.config.database.url.clone();
    let demo_password = |log: std::path::PathBuf| async move {
        for _ in 0..200 {
            let out = std::fs::read_to_string(&log).unwrap_or_default();
            if let Some(rest) = out.split("sign in as demo@example.com with the password ").nth(1) {
                return rest.split_whitespace().next().unwrap().to_string();
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("no demo sign-in printed: {}", std::fs::read_to_string(&log).unwrap_or_default());
    };
    let port = free_port();
    let mut b = Binary::start_with(&t.dir, &db, port, "demo1.log", &["--demo"]).await;
    let first = demo_password(b.log.clone()).await;
    assert!(std::fs::read_to_string(&b.log).unwrap().contains("Demo ready"));
    let c = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let login = |c: &reqwest::Client, pw: String| {
        let c = c.clone();
        let base = format!("http://127.0.0.1:{port}");
        async move {
            c.post(format!("{base}/login"))
                .header("origin", base.clone())
                .form(&[("email", "demo@example.com"), ("password", pw.as_str())])
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(login(&c, first.clone()).await, 303);
    let threads: Value = c.get(format!("{}/api/v1/threads", b.base)).send().await.unwrap().json().await.unwrap();
    let names: Vec<&str> =
        threads["threads"].as_array().unwrap().iter().filter_map(|t| t["contact"]["name"].as_str()).collect();
    assert_eq!(names.len(), 3, "{threads}");
    for n in ["Maria Lopez", "Tom Becker", "Aiko Tanaka"] {
        assert!(names.contains(&n), "{n} in {names:?}");
    }
    let ch: Value = c.get(format!("{}/api/v1/channels", b.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(ch[0]["kind"], "webchat", "{ch}");
    // The assistant knows the demo salon: Tom's question about a beard trim gets a priced draft.
    let tom = threads["threads"].as_array().unwrap().iter().find(|t| t["contact"]["name"] == "Tom Becker").unwrap();
    let url = format!("{}/api/v1/threads/{}/drafts", b.base, tom["id"].as_str().unwrap());
    let mut draft = Value::Null;
    for _ in 0..100 {
        let v: Value = c.get(&url).send().await.unwrap().json().await.unwrap();
        if let Some(d) = v["drafts"].as_array().and_then(|d| d.first()) {
            draft = d.clone();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(draft["outcome"], "answer", "{draft}");
    assert!(draft["text"].as_str().unwrap().contains("12"), "{draft}");
    // The salon's bookings: three services, two stylists and two chairs, a week of bookings.
    let services: Value =
        c.get(format!("{}/api/v1/booking/services", b.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(services["services"].as_array().unwrap().len(), 3, "{services}");
    let resources: Value =
        c.get(format!("{}/api/v1/booking/resources", b.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(resources["resources"].as_array().unwrap().len(), 4, "{resources}");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let to = frontdesk_core::Timestamp(now + 14 * 86_400_000).to_rfc3339();
    let booked: Value =
        c.get(format!("{}/api/v1/bookings?to={to}", b.base)).send().await.unwrap().json().await.unwrap();
    assert!(booked["bookings"].as_array().unwrap().len() >= 10, "{booked}");
    // The operator's demo lab lends the salon a tablet, stopped until someone starts it.
    let phones: Value = c.get(format!("{}/api/v1/devices", b.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(phones["devices"][0]["name"], "Front desk tablet", "{phones}");
    assert_eq!(phones["devices"][0]["state"], "stopped");
    // A customer's privacy request waits for the owner to check who she is.
    let asked: Value = c.get(format!("{}/api/v1/privacy/requests", b.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(asked["requests"][0]["status"], "received", "{asked}");
    b.stop();

    // Again: the data stays, the password is new, the old one no longer works.
    let b2 = Binary::start_with(&t.dir, &db, port, "demo2.log", &["--demo"]).await;
    let second = demo_password(b2.log.clone()).await;
    assert!(std::fs::read_to_string(&b2.log).unwrap().contains("Demo kept"));
    assert_ne!(first, second);
    let c2 = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    assert_ne!(login(&c2, first).await, 303, "the old demo password no longer works");
    assert_eq!(login(&c2, second).await, 303);
    let threads: Value = c2.get(format!("{}/api/v1/threads", b2.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(threads["threads"].as_array().unwrap().len(), 3, "nothing was added twice");
    let mut b2 = b2;
    b2.stop();
    t.stop().await;
}
