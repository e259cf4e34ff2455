//! The durable job queue: a `kill -9` with jobs pending loses none and runs none twice.

use crate::helpers::*;
use frontdesk_platform::mail::{self, Mail};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

async fn job_states(app: &frontdesk_inbox::Inbox) -> Vec<(String, i64)> {
    let mut c = app.db.conn().await.unwrap();
    frontdesk_platform::jobs::queue_depth(&mut c).await.unwrap()
}

fn count(states: &[(String, i64)], status: &str) -> i64 {
    states.iter().find(|(s, _)| s == status).map(|(_, n)| *n).unwrap_or(0)
}

#[tokio::test]
async fn kill_9_with_pending_jobs_then_restart_runs_each_job_exactly_once() {
    const N: usize = 400;
    let dir = temp_dir("kill9");
    let db = test_database_url(&dir).await;
    let port = free_port();
    let mut server = Binary::start(&dir, &db, port, "run1.log").await;

    // Queue a storm of mails through the same services the server uses.
    let app =
        frontdesk_server::build_app(&config_for(&dir, &db), Arc::new(frontdesk_platform::SystemClock)).await.unwrap();
    let mut tx = app.db.begin().await.unwrap();
    for i in 0..N {
        let m = Mail {
            to: format!("guest{i}@example.com"),
            subject: format!("Mail {i}"),
            text: format!("Body {i}"),
            ..Default::default()
        };
        mail::enqueue(&app, &mut tx, &m).await.unwrap();
    }
    tx.commit().await.unwrap();
    tokio::time::sleep(Duration::from_millis(150)).await;
    server.kill9();

    let at_kill = job_states(&app).await;
    let pending = count(&at_kill, "queued") + count(&at_kill, "running");
    assert!(pending > 0, "the kill must land while jobs are pending: {at_kill:?}");

    let mut server = Binary::start(&dir, &db, port, "run2.log").await;
    let mut states = vec![];
    for _ in 0..300 {
        states = job_states(&app).await;
        if count(&states, "queued") + count(&states, "running") == 0 && count(&states, "done") >= N as i64 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    server.stop();
    assert_eq!(count(&states, "queued") + count(&states, "running"), 0, "every job done after the restart: {states:?}");
    assert_eq!(count(&states, "dead"), 0);

    // One .eml per job, each mail exactly once.
    let files: Vec<String> = std::fs::read_dir(dir.join("outbox"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".eml"))
        .collect();
    assert_eq!(files.len(), N);
    let mut subjects = HashSet::new();
    for f in &files {
        let m = parse_mail(&std::fs::read_to_string(dir.join("outbox").join(f)).unwrap());
        assert!(subjects.insert(m.subject.clone()), "duplicate mail {}", m.subject);
    }
    assert_eq!(subjects.len(), N);
    app.db.close().await;
    drop_test_database(&db).await;
}

#[tokio::test]
async fn failing_mail_is_retried_with_backoff_then_marked_dead() {
    let t = spawn_app().await;
    let mut cfg = t.config.clone();
    let clock = t.clock.clone();
    t.halt().await;
    // Same database, but an SMTP server that refuses connections: every attempt fails.
    cfg.smtp = Some(
        serde_json::from_value(
            serde_json::json!({"host": "127.0.0.1", "port": free_port(), "tls": "none", "from": "x@example.com"}),
        )
        .unwrap(),
    );
    let app = frontdesk_server::build_app(&cfg, clock.clone()).await.unwrap();
    let mut c = app.db.conn().await.unwrap();
    mail::enqueue(
        &app,
        &mut c,
        &Mail { to: "x@example.com".into(), subject: "s".into(), text: "t".into(), ..Default::default() },
    )
    .await
    .unwrap();
    drop(c);
    let areas = frontdesk_server::areas(app, &cfg);
    let handlers = frontdesk_server::job_handlers(&areas);
    let app = areas.app.clone();
    let drain =
        || async { while frontdesk_platform::jobs::run_one(&app, &handlers, "test-worker", 60_000).await.unwrap() {} };
    drain().await;
    // After a failure the mail waits for its backoff instead of being retried at once.
    assert_eq!(count(&job_states(&app).await, "queued"), 1);
    for _ in 0..20 {
        clock.advance_ms(2 * 3_600_000);
        drain().await;
        if count(&job_states(&app).await, "dead") == 1 {
            break;
        }
    }
    let mut c = app.db.conn().await.unwrap();
    let dead = frontdesk_platform::repo::jobs::dead(&mut c, 10).await.unwrap();
    assert_eq!(dead.len(), 1);
    let (_, kind, attempts, error) = &dead[0];
    assert_eq!(kind, "mail.send");
    assert_eq!(*attempts, 8, "mail gives up after 8 attempts");
    assert!(error.as_deref().unwrap_or("").contains("SMTP"), "{error:?}");
    drop(c);
    app.db.close().await;
    drop_test_database(&cfg.database.url).await;
}
