//! Load generator for the platform core. Starts the real server (SQLite in a temporary folder,
//! or PostgreSQL from `BENCH_DATABASE_URL`) on loopback and measures, over real HTTP:
//! sign-in latency (Argon2id dominates), authenticated JSON API throughput under concurrency,
//! and how fast the durable job queue drains queued mail. Run with
//! `cargo run --release -p frontdesk-bench`; figures go to docs/PERFORMANCE.md.
//!
//! `cargo run --release -p frontdesk-bench -- ingest [--concurrency N] [--messages N]
//! [--contacts N] [--split]` measures webhook ingest instead (see `ingest.rs`);
//! `frontdesk-bench slots` the free-slot engine (see `slots.rs`).

mod ingest;
mod pdf;
mod slots;

use frontdesk_platform::mail::{self, Mail};
use frontdesk_server::{start, Config};
use std::time::{Duration, Instant};

const PASSWORD: &str = "bench passphrase long enough";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn report(name: &str, mut samples: Vec<Duration>, wall: Duration) {
    samples.sort();
    println!(
        "{name}: n={} p50={:.2}ms p99={:.2}ms max={:.2}ms throughput={:.0}/s",
        samples.len(),
        percentile(&samples, 0.5).as_secs_f64() * 1e3,
        percentile(&samples, 0.99).as_secs_f64() * 1e3,
        samples.last().unwrap().as_secs_f64() * 1e3,
        samples.len() as f64 / wall.as_secs_f64()
    );
}

const USAGE: &str = "usage: frontdesk-bench [platform]    sign-in, API and job-queue figures (the default)
       frontdesk-bench ingest [options]  webhook ingest figures (ingest --help)
       frontdesk-bench slots             the free-slot engine at a busy salon's scale
       frontdesk-bench pdf               an invoice's PDF: time to lay out and write, size";

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None | Some("platform") => platform().await,
        Some("ingest") if args.iter().any(|a| a == "-h" || a == "--help") => println!("{}", ingest::USAGE),
        Some("ingest") => match ingest::Opts::parse(&args[1..]) {
            Ok(o) => ingest::run(o).await,
            Err(e) => {
                eprintln!("{e}\n{}", ingest::USAGE);
                std::process::exit(2);
            }
        },
        Some("slots") => slots::run(),
        Some("pdf") => pdf::run(),
        Some("-h" | "--help" | "help") => println!("{USAGE}"),
        Some(other) => {
            eprintln!("unknown mode {other:?}\n{USAGE}");
            std::process::exit(2);
        }
    }
}

async fn platform() {
    let dir = std::env::temp_dir().join(format!("frontdesk-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut cfg = Config::default();
    cfg.server.bind = format!("127.0.0.1:{port}");
    cfg.server.base_url = format!("http://127.0.0.1:{port}");
    cfg.database.url =
        std::env::var("BENCH_DATABASE_URL").unwrap_or_else(|_| format!("sqlite://{}/frontdesk.db", dir.display()));
    cfg.data_dir = dir.clone();
    cfg.rate_limit.per_ip.max = 1_000_000;
    cfg.rate_limit.per_account.max = 1_000_000;
    let running = start(&cfg, None).await.unwrap();
    let app = running.app.clone();
    let base = cfg.server.base_url.clone();
    println!("backend: {}", if cfg.database.url.starts_with("sqlite") { "sqlite" } else { "postgres" });

    frontdesk_platform::operator::create_user(&app, "bench@example.com", None, PASSWORD, false).await.unwrap();

    // Sign-in latency, one at a time.
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut samples = vec![];
    let t0 = Instant::now();
    for _ in 0..50 {
        let t = Instant::now();
        let r = client
            .post(format!("{base}/login"))
            .form(&[("email", "bench@example.com"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        samples.push(t.elapsed());
    }
    report("sign-in (POST /login, sequential)", samples, t0.elapsed());

    // API throughput with a token, 32 concurrent clients for 5 seconds.
    let user = frontdesk_platform::operator::user_by_email(&app, "bench@example.com").await.unwrap();
    let ws = frontdesk_platform::workspaces::create(&app, &user.id, "Bench", &frontdesk_platform::audit::Actor::cli())
        .await
        .unwrap();
    let token = frontdesk_platform::workspaces::create_token_unchecked(
        &app,
        &ws.id,
        "bench",
        frontdesk_core::Role::Viewer,
        &frontdesk_platform::audit::Actor::cli(),
    )
    .await
    .unwrap()
    .secret;
    let url = format!("{base}/api/v1/workspaces/{}/members", ws.id);
    let deadline = Instant::now() + Duration::from_secs(5);
    let t0 = Instant::now();
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let (url, token) = (url.clone(), token.clone());
            tokio::spawn(async move {
                let c = reqwest::Client::new();
                let mut s = vec![];
                while Instant::now() < deadline {
                    let t = Instant::now();
                    let r = c.get(&url).bearer_auth(&token).send().await.unwrap();
                    assert_eq!(r.status(), 200);
                    r.bytes().await.unwrap();
                    s.push(t.elapsed());
                }
                s
            })
        })
        .collect();
    let mut samples = vec![];
    for t in tasks {
        samples.extend(t.await.unwrap());
    }
    report("GET /api/v1/workspaces/{ws}/members with a token (32 concurrent)", samples, t0.elapsed());

    // Job queue: 2000 queued mails drained to the outbox folder by the server's workers.
    let n = 2000;
    let t0 = Instant::now();
    let mut tx = app.db.begin().await.unwrap();
    for i in 0..n {
        mail::enqueue(
            &app,
            &mut tx,
            &Mail {
                to: format!("g{i}@example.com"),
                subject: format!("s{i}"),
                text: "hello".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let enqueued = t0.elapsed();
    loop {
        let mut c = app.db.conn().await.unwrap();
        let depth = frontdesk_platform::jobs::queue_depth(&mut c).await.unwrap();
        let pending: i64 = depth.iter().filter(|(s, _)| s == "queued" || s == "running").map(|(_, n)| n).sum();
        if pending == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let total = t0.elapsed();
    println!(
        "job queue: {n} mails enqueued in {:.0}ms (one transaction), drained in {:.0}ms ({:.0} jobs/s, 2 workers)",
        enqueued.as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3,
        n as f64 / (total - enqueued).as_secs_f64()
    );
    running.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}
