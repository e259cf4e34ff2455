//! `ingest` mode: signed WhatsApp Cloud API deliveries (one text message each) sent over real
//! HTTP to `POST /webhooks/whatsapp/{channel}` of the real server, on SQLite (a temporary
//! folder) or PostgreSQL (a fresh database created from `BENCH_DATABASE_URL`).
//!
//! Measured, in one run:
//! - full load (closed loop, `--concurrency` clients): accepted/s (HTTP 200 per second of the
//!   sending phase), request latency, and stored messages/s end to end (first request until
//!   the intake worker has written every message);
//! - half load: the same number of new messages, paced open-loop at half the accepted rate;
//! - the ceiling: a bare axum handler (no Frontdesk middleware) doing one INSERT of the same
//!   body per request into a separate database of the same backend, same generator;
//! - with `--split`, a profile: the same deliveries accepted over HTTP with no intake worker
//!   running, then drained by calling `intake::process_batch` directly (timed per batch), and
//!   the SQL statements each path runs per delivery.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use frontdesk_core::Action;
use frontdesk_inbox::Inbox as App;
use frontdesk_platform::workspaces::Principal;
use frontdesk_platform::SystemClock;
use frontdesk_server::{start, Config};
use frontdesk_store::{Backend, Db};
use reqwest::header::HeaderValue;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Connection, Executor};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const APP_SECRET: &str = "bench-secret";
const PHONE_NUMBER_ID: &str = "106540352242922";
const WABA_ID: &str = "102290129340398";

pub const USAGE: &str =
    "usage: frontdesk-bench ingest [--concurrency N] [--messages N] [--contacts N] [--timeout-secs N]
                              [--intake-batch N] [--split | --split-only] [--assistant]
  --concurrency N   concurrent HTTP clients (default 32)
  --messages N      deliveries per phase, one text message each (default 20000)
  --contacts N      distinct senders (default 10000)
  --timeout-secs N  how long to wait for the intake worker to store everything (default 600)
  --intake-batch N  deliveries per intake transaction (default: the server's, 256)
  --split           also profile: accept with no worker running, then drain with process_batch,
                    and count the SQL statements per delivery
  --split-only      only that profile
  --assistant       the workspace has the AI assistant set up (demo knowledge base, draft mode):
                    every message also queues a draft job, run by the server's job workers
  --no-secure-delete  SQLite without `secure_delete` (always on in the server), to measure it
  BENCH_DATABASE_URL=postgres://user@host/db runs on PostgreSQL (fresh databases are created
  next to that one and dropped at the end); otherwise SQLite in a temporary folder.";

#[derive(Clone, Debug)]
pub struct Opts {
    pub concurrency: usize,
    pub messages: usize,
    pub contacts: usize,
    pub timeout: Duration,
    pub intake_batch: Option<i64>,
    pub split: bool,
    pub split_only: bool,
    pub assistant: bool,
    pub no_secure_delete: bool,
}

impl Opts {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut o = Opts {
            concurrency: 32,
            messages: 20_000,
            contacts: 10_000,
            timeout: Duration::from_secs(600),
            intake_batch: None,
            split: false,
            split_only: false,
            assistant: false,
            no_secure_delete: false,
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut num = |name: &str| -> Result<usize, String> {
                let v = it.next().ok_or_else(|| format!("{name} needs a value"))?;
                match v.parse::<usize>() {
                    Ok(n) if n > 0 => Ok(n),
                    _ => Err(format!("{name}: {v:?} is not a positive number")),
                }
            };
            match a.as_str() {
                "--concurrency" => o.concurrency = num(a)?,
                "--messages" => o.messages = num(a)?,
                "--contacts" => o.contacts = num(a)?,
                "--timeout-secs" => o.timeout = Duration::from_secs(num(a)? as u64),
                "--intake-batch" => o.intake_batch = Some(num(a)? as i64),
                "--split" => o.split = true,
                "--split-only" => o.split_only = true,
                "--assistant" => o.assistant = true,
                "--no-secure-delete" => o.no_secure_delete = true,
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        Ok(o)
    }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

trait Ctx<T> {
    fn ctx(self, what: &str) -> Result<T, String>;
}

impl<T, E: std::fmt::Display> Ctx<T> for Result<T, E> {
    fn ctx(self, what: &str) -> Result<T, String> {
        self.map_err(|e| format!("{what}: {e}"))
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// `VmRSS` and `VmHWM` (peak) of this process, in MiB.
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map(|kb| kb / 1024.0)
            .unwrap_or(0.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// CPU time of this process and of the whole machine, for "how busy were we" per phase.
#[derive(Clone, Copy)]
struct Cpu {
    /// utime + stime of this process, in clock ticks (USER_HZ = 100).
    process: u64,
    /// Busy and total ticks of all CPUs (`/proc/stat`).
    busy: u64,
    total: u64,
    at: Instant,
}

impl Cpu {
    fn now() -> Self {
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        // Fields after the command name, which is in parentheses: utime and stime are the 12th
        // and 13th of them (14th and 15th of the line).
        let after = stat.rsplit_once(')').map(|x| x.1).unwrap_or("");
        let f: Vec<u64> = after.split_whitespace().map(|v| v.parse().unwrap_or(0)).collect();
        let process = f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0);
        let all = std::fs::read_to_string("/proc/stat").unwrap_or_default();
        let t: Vec<u64> =
            all.lines().next().unwrap_or("").split_whitespace().skip(1).map(|v| v.parse().unwrap_or(0)).collect();
        let total: u64 = t.iter().take(8).sum();
        let idle = t.get(3).copied().unwrap_or(0) + t.get(4).copied().unwrap_or(0);
        Cpu { process, busy: total - idle, total, at: Instant::now() }
    }

    /// "process X cores, machine Y of N cores busy" since `self`.
    fn since(&self) -> String {
        let now = Cpu::now();
        let wall = now.at.duration_since(self.at).as_secs_f64().max(1e-9);
        let cores = std::thread::available_parallelism().map(|p| p.get()).unwrap_or(1) as f64;
        let process = (now.process - self.process) as f64 / 100.0 / wall;
        let machine = (now.busy - self.busy) as f64 / (now.total - self.total).max(1) as f64 * cores;
        format!("process {process:.2} cores, machine {machine:.2} of {cores:.0} cores busy")
    }
}

/// A progress line on stderr (also a marker for attaching a profiler to one phase).
fn phase(name: &str) {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    let t0 = *START.get_or_init(Instant::now);
    eprintln!("[{:7.2} s] {name}", t0.elapsed().as_secs_f64());
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

// ---------------------------------------------------------------------------------------------
// Databases

/// The databases of one run: SQLite files in a temporary folder, or fresh PostgreSQL
/// databases next to the one `BENCH_DATABASE_URL` names (dropped at the end).
struct Databases {
    backend: Backend,
    dir: PathBuf,
    admin: Option<String>,
    created: Vec<String>,
}

impl Databases {
    fn new(dir: &Path) -> Self {
        let admin = std::env::var("BENCH_DATABASE_URL").ok().filter(|u| !u.is_empty());
        let backend = if admin.is_some() { Backend::Postgres } else { Backend::Sqlite };
        Databases { backend, dir: dir.to_path_buf(), admin, created: vec![] }
    }

    /// A URL for a new, empty database called `name`.
    async fn fresh(&mut self, name: &str) -> Result<String, String> {
        match &self.admin {
            None => Ok(format!("sqlite://{}/{name}.db", self.dir.display())),
            Some(admin) => {
                let db = format!("frontdesk_bench_{name}_{}", std::process::id());
                let mut c = sqlx::PgConnection::connect(admin).await.ctx("connecting to BENCH_DATABASE_URL")?;
                c.execute(format!("DROP DATABASE IF EXISTS \"{db}\"").as_str()).await.ctx("dropping")?;
                c.execute(format!("CREATE DATABASE \"{db}\"").as_str()).await.ctx("creating a database")?;
                let _ = c.close().await;
                self.created.push(db.clone());
                Ok(with_database(admin, &db))
            }
        }
    }

    async fn drop_all(&self) {
        let Some(admin) = &self.admin else { return };
        let Ok(mut c) = sqlx::PgConnection::connect(admin).await else { return };
        for db in &self.created {
            if c.execute(format!("DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)").as_str()).await.is_err() {
                let _ = c.execute(format!("DROP DATABASE IF EXISTS \"{db}\"").as_str()).await;
            }
        }
        let _ = c.close().await;
    }
}

/// `postgres://u@h:5432/test?x=y` with the database replaced by `db`.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let start = base.find("://").map(|i| i + 3).unwrap_or(0);
    let prefix = match base[start..].find('/') {
        Some(slash) => &base[..start + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{prefix}/{db}?{q}"),
        None => format!("{prefix}/{db}"),
    }
}

// ---------------------------------------------------------------------------------------------
// The server, its channel, the deliveries

/// The server's configuration, built the way the platform bench builds it.
fn config(db_url: &str, data_dir: &Path, o: &Opts) -> Config {
    let port = free_port();
    let mut cfg = Config::default();
    cfg.server.bind = format!("127.0.0.1:{port}");
    cfg.server.base_url = format!("http://127.0.0.1:{port}");
    cfg.database.url = db_url.to_string();
    cfg.data_dir = data_dir.to_path_buf();
    cfg.rate_limit.per_ip.max = 1_000_000;
    cfg.rate_limit.per_account.max = 1_000_000;
    if let Some(b) = o.intake_batch {
        cfg.inbox.intake_batch = b;
    }
    cfg
}

/// A user, their workspace and a WhatsApp channel (and, with `assistant`, the assistant set up
/// with the demo knowledge base); returns the channel id.
async fn whatsapp_channel(app: &App, assistant: bool) -> Result<String, String> {
    let user = frontdesk_platform::operator::create_user(
        app,
        "bench@example.com",
        None,
        "bench passphrase long enough",
        false,
    )
    .await
    .ctx("creating the user")?;
    let ws = frontdesk_platform::workspaces::create(app, &user, "Bench", &frontdesk_platform::audit::Actor::cli())
        .await
        .ctx("creating the workspace")?;
    let principal = Principal::User { id: user, ip: None };
    let access = frontdesk_platform::workspaces::authorize(app, &principal, ws.id.as_str(), Action::ManageChannels)
        .await
        .ctx("authorizing")?;
    let input = frontdesk_inbox::channels::Input {
        kind: Some("whatsapp".into()),
        name: Some("Bench WhatsApp".into()),
        phone_number_id: Some(PHONE_NUMBER_ID.into()),
        waba_id: Some(WABA_ID.into()),
        app_id: Some("1234567890".into()),
        access_token: Some("t".into()),
        app_secret: Some(APP_SECRET.into()),
        verify_token: Some("v".into()),
        ..Default::default()
    };
    let ch = frontdesk_inbox::channels::create(app, &access, input).await.ctx("creating the channel")?;
    if assistant {
        frontdesk_inbox::assistant::set_knowledge(app, &access, frontdesk_assistant::Knowledge::demo())
            .await
            .ctx("setting up the assistant")?;
    }
    Ok(ch.id.to_string())
}

/// One pre-built, pre-signed delivery.
#[derive(Clone)]
struct Delivery {
    body: Bytes,
    signature: HeaderValue,
}

/// `n` deliveries, one text message each; message `i` comes from contact
/// `first_contact + i % contacts` and has the provider id `wamid.BENCH<tag><i>`.
fn deliveries(tag: &str, n: usize, first_contact: usize, contacts: usize) -> Vec<Delivery> {
    (0..n)
        .map(|i| {
            let k = first_contact + i % contacts;
            let wa = format!("1650555{k:05}");
            let body = format!(
                r#"{{"object":"whatsapp_business_account","entry":[{{"id":"{WABA_ID}","changes":[{{"value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"15550783881","phone_number_id":"{PHONE_NUMBER_ID}"}},"contacts":[{{"profile":{{"name":"Customer {k}"}},"wa_id":"{wa}"}}],"messages":[{{"from":"{wa}","id":"wamid.BENCH{tag}{i}","timestamp":"1749416383","type":"text","text":{{"body":"Hello {i}"}}}}]}},"field":"messages"}}]}}]}}"#
            );
            let sig = frontdesk_channels::verify::meta_signature_header(APP_SECRET.as_bytes(), body.as_bytes());
            Delivery { body: Bytes::from(body), signature: HeaderValue::from_str(&sig).expect("hex is a valid header") }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Load

#[derive(Default)]
struct Load {
    ok: usize,
    errors: usize,
    first_error: Option<String>,
    wall: Duration,
    /// Sorted.
    latencies: Vec<Duration>,
}

impl Load {
    fn rate(&self) -> f64 {
        self.ok as f64 / self.wall.as_secs_f64()
    }
    fn p(&self, q: f64) -> f64 {
        ms(percentile(&self.latencies, q))
    }
    fn max(&self) -> f64 {
        ms(self.latencies.last().copied().unwrap_or_default())
    }
    fn check(&self, what: &str) {
        if self.errors > 0 {
            eprintln!("{what}: {} requests failed; first: {}", self.errors, self.first_error.as_deref().unwrap_or("?"));
        }
    }
}

fn client(concurrency: usize) -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("an HTTP client")
}

/// Sends every delivery with `concurrency` clients. With `rate`, request `i` is due at
/// `i / rate` seconds (open loop) and its latency counts from when it was due if no client was
/// free then (so a slow server cannot hide its queueing); without, each client sends its next
/// request as soon as it has the previous answer (closed loop).
async fn send(
    http: &reqwest::Client,
    url: &str,
    set: &Arc<Vec<Delivery>>,
    concurrency: usize,
    rate: Option<f64>,
) -> Load {
    let next = Arc::new(AtomicUsize::new(0));
    let t0 = tokio::time::Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (http, url, set, next) = (http.clone(), url.to_string(), set.clone(), next.clone());
            tokio::spawn(async move {
                let mut out = Load::default();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(d) = set.get(i) else { break };
                    let start = match rate {
                        Some(r) => {
                            let due = t0 + Duration::from_secs_f64(i as f64 / r);
                            if tokio::time::Instant::now() < due {
                                tokio::time::sleep_until(due).await;
                                Instant::now()
                            } else {
                                due.into_std()
                            }
                        }
                        None => Instant::now(),
                    };
                    let r = http
                        .post(&url)
                        .header("content-type", "application/json")
                        .header("x-hub-signature-256", d.signature.clone())
                        .body(d.body.clone())
                        .send()
                        .await;
                    let failure = match r {
                        Ok(resp) if resp.status() == 200 => match resp.bytes().await {
                            Ok(_) => None,
                            Err(e) => Some(e.to_string()),
                        },
                        Ok(resp) => {
                            let s = resp.status();
                            Some(format!("HTTP {s}: {}", resp.text().await.unwrap_or_default()))
                        }
                        Err(e) => Some(e.to_string()),
                    };
                    match failure {
                        None => {
                            out.ok += 1;
                            out.latencies.push(start.elapsed());
                        }
                        Some(e) => {
                            out.errors += 1;
                            out.first_error.get_or_insert(e);
                        }
                    }
                }
                out
            })
        })
        .collect();
    let mut load = Load::default();
    for t in tasks {
        let part = t.await.expect("a load task");
        load.ok += part.ok;
        load.errors += part.errors;
        if load.first_error.is_none() {
            load.first_error = part.first_error;
        }
        load.latencies.extend(part.latencies);
    }
    load.wall = t0.elapsed();
    load.latencies.sort();
    load
}

async fn count_messages(db: &Db) -> Result<i64, String> {
    let mut c = db.conn().await.ctx("a connection")?;
    frontdesk_inbox::repo::inbox::count_messages(&mut c, None).await.ctx("counting messages")
}

/// Polls every 50 ms until `target` messages are stored; the time since `t0` when seen.
async fn wait_stored(db: &Db, target: i64, t0: Instant, timeout: Duration) -> Result<Duration, String> {
    let deadline = Instant::now() + timeout;
    let mut report = Instant::now() + Duration::from_secs(5);
    loop {
        let n = count_messages(db).await?;
        if n >= target {
            return Ok(t0.elapsed());
        }
        if Instant::now() > deadline {
            return Err(format!("timeout: {n} of {target} messages stored after {:.0} s", t0.elapsed().as_secs_f64()));
        }
        if Instant::now() > report {
            eprintln!("  … {n} of {target} messages stored after {:.1} s", t0.elapsed().as_secs_f64());
            report += Duration::from_secs(5);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

// ---------------------------------------------------------------------------------------------
// The ceiling: bare axum, one INSERT per request

async fn ceiling_insert(State(pool): State<AnyPool>, body: Bytes) -> StatusCode {
    let text = String::from_utf8_lossy(&body).into_owned();
    match sqlx::query("INSERT INTO deliveries (body) VALUES ($1)").bind(text).execute(&pool).await {
        Ok(_) => StatusCode::OK,
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

struct Ceiling {
    url: String,
    pool: AnyPool,
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

async fn start_ceiling(db_url: &str, backend: Backend, max_connections: u32) -> Result<Ceiling, String> {
    sqlx::any::install_default_drivers();
    let url = match backend {
        Backend::Sqlite => format!("{db_url}?mode=rwc"),
        Backend::Postgres => db_url.to_string(),
    };
    let pool = AnyPoolOptions::new()
        .max_connections(max_connections)
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = NORMAL").await?;
                }
                Ok(())
            })
        })
        .connect(&url)
        .await
        .ctx("opening the ceiling database")?;
    let ddl = match backend {
        Backend::Sqlite => "CREATE TABLE deliveries (id INTEGER PRIMARY KEY, body TEXT NOT NULL)",
        Backend::Postgres => "CREATE TABLE deliveries (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL)",
    };
    pool.execute(ddl).await.ctx("creating the ceiling table")?;
    let router = axum::Router::new().route("/ingest", axum::routing::post(ceiling_insert)).with_state(pool.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.ctx("listening")?;
    let addr = listener.local_addr().ctx("address")?;
    let (stop, mut rx) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                let _ = rx.wait_for(|s| *s).await;
            })
            .await;
    });
    Ok(Ceiling { url: format!("http://{addr}/ingest"), pool, stop, task })
}

// ---------------------------------------------------------------------------------------------
// Counting SQL statements (profile only)

mod sqlcount {
    use std::collections::HashMap;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Mutex, OnceLock};
    use tracing::field::{Field, Visit};
    use tracing::level_filters::LevelFilter;
    use tracing::subscriber::Interest;
    use tracing::{span, Event, Metadata, Subscriber};

    /// sqlx reports every statement it runs as a `tracing` event with this target.
    const TARGET: &str = "sqlx::query";

    #[derive(Default)]
    struct Counts {
        on: AtomicBool,
        by_sql: Mutex<HashMap<String, u64>>,
    }

    static COUNTS: OnceLock<&'static Counts> = OnceLock::new();

    struct Counter(&'static Counts);

    #[derive(Default)]
    struct Sql {
        summary: String,
        statement: String,
    }

    impl Visit for Sql {
        fn record_str(&mut self, f: &Field, v: &str) {
            match f.name() {
                "summary" => self.summary = v.to_string(),
                "db.statement" => self.statement = v.to_string(),
                _ => {}
            }
        }
        fn record_debug(&mut self, f: &Field, v: &dyn std::fmt::Debug) {
            match f.name() {
                "summary" => self.summary = format!("{v:?}").trim_matches('"').to_string(),
                "db.statement" => self.statement = format!("{v:?}").trim_matches('"').replace("\\n", " "),
                _ => {}
            }
        }
    }

    impl Subscriber for Counter {
        fn register_callsite(&self, m: &'static Metadata<'static>) -> Interest {
            if m.target() == TARGET {
                Interest::sometimes()
            } else {
                Interest::never()
            }
        }
        fn enabled(&self, m: &Metadata<'_>) -> bool {
            m.target() == TARGET && self.0.on.load(Ordering::Relaxed)
        }
        fn max_level_hint(&self) -> Option<LevelFilter> {
            Some(LevelFilter::TRACE)
        }
        fn new_span(&self, _: &span::Attributes<'_>) -> span::Id {
            span::Id::from_u64(1)
        }
        fn record(&self, _: &span::Id, _: &span::Record<'_>) {}
        fn record_follows_from(&self, _: &span::Id, _: &span::Id) {}
        fn event(&self, e: &Event<'_>) {
            let mut sql = Sql::default();
            e.record(&mut sql);
            let text = if sql.statement.trim().is_empty() { sql.summary } else { sql.statement };
            let key = text.split_whitespace().collect::<Vec<_>>().join(" ");
            *self.0.by_sql.lock().unwrap().entry(key).or_default() += 1;
        }
        fn enter(&self, _: &span::Id) {}
        fn exit(&self, _: &span::Id) {}
    }

    /// Installs the counter as the process's subscriber (once); counting starts switched off.
    pub fn install() -> bool {
        let counts = *COUNTS.get_or_init(|| Box::leak(Box::default()));
        tracing::subscriber::set_global_default(Counter(counts)).is_ok()
    }

    pub fn set(on: bool) {
        if let Some(c) = COUNTS.get() {
            c.on.store(on, Ordering::SeqCst);
        }
    }

    /// The statements counted since the last call, most frequent first.
    pub fn take() -> Vec<(String, u64)> {
        let Some(c) = COUNTS.get() else { return vec![] };
        let mut v: Vec<_> = std::mem::take(&mut *c.by_sql.lock().unwrap()).into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }
}

fn print_statements(title: &str, per: usize, stmts: &[(String, u64)]) {
    let total: u64 = stmts.iter().map(|s| s.1).sum();
    println!();
    println!("{title}: {:.1} statements per delivery ({total} for {per})", total as f64 / per as f64);
    println!();
    println!("| per delivery | statement |");
    println!("|---:|---|");
    for (sql, n) in stmts {
        let short: String = sql.chars().take(110).collect();
        let ell = if sql.chars().count() > 110 { "…" } else { "" };
        println!("| {:.2} | `{short}{ell}` |", *n as f64 / per as f64);
    }
}

// ---------------------------------------------------------------------------------------------
// The run

pub async fn run(o: Opts) {
    if o.no_secure_delete {
        frontdesk_store::SECURE_DELETE.store(false, std::sync::atomic::Ordering::Relaxed);
    }
    let dir = std::env::temp_dir().join(format!("frontdesk-bench-ingest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let mut dbs = Databases::new(&dir);
    let result = run_inner(&o, &mut dbs, &dir).await;
    dbs.drop_all().await;
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = result {
        eprintln!("ingest bench failed: {e}");
        std::process::exit(1);
    }
}

async fn run_inner(o: &Opts, dbs: &mut Databases, dir: &Path) -> Result<(), String> {
    let backend = dbs.backend;
    let backend_name = if backend == Backend::Sqlite { "SQLite" } else { "PostgreSQL" };
    let n = o.messages;
    println!(
        "# Ingest bench: {backend_name}, {n} deliveries from {} contacts, concurrency {}, intake batch {}, {} cores",
        o.contacts.min(n),
        o.concurrency,
        o.intake_batch.unwrap_or(frontdesk_inbox::InboxSettings::default().intake_batch),
        std::thread::available_parallelism().map(|p| p.get()).unwrap_or(1)
    );
    phase("starting");
    if o.split_only {
        return split(o, dbs, dir).await;
    }

    // The real server, started the way the platform bench starts it.
    let url = dbs.fresh("ingest").await?;
    let cfg = config(&url, &dir.join("server"), o);
    let running = start(&cfg, None).await.ctx("starting the server")?;
    let app = running.app.clone();
    let channel = whatsapp_channel(&app, o.assistant).await?;
    let webhook = format!("{}/webhooks/whatsapp/{channel}", cfg.server.base_url);
    let (rss_start, _) = memory();

    let t = Instant::now();
    let full_set = Arc::new(deliveries("", n, 0, o.contacts));
    let half_set = Arc::new(deliveries("H", n, 0, o.contacts));
    eprintln!("built and signed {} deliveries in {:.0} ms", 2 * n, ms(t.elapsed()));
    let http = client(o.concurrency);

    // Full load, closed loop; then wait until the worker has stored every message.
    let before = count_messages(&app.db).await?;
    phase("full load: sending");
    let cpu = Cpu::now();
    let t0 = Instant::now();
    let full = send(&http, &webhook, &full_set, o.concurrency, None).await;
    full.check("full load");
    let full_cpu = cpu.since();
    let stored_when_sent = count_messages(&app.db).await? - before;
    phase("full load: waiting for the intake worker");
    let stored_at = wait_stored(&app.db, before + full.ok as i64, t0, o.timeout).await?;
    let stored_rate = full.ok as f64 / stored_at.as_secs_f64();
    let (rss_full, _) = memory();

    // Half load, open loop, new message ids from the same contacts.
    let rate = full.rate() / 2.0;
    let before = count_messages(&app.db).await?;
    phase("half load: sending");
    let cpu = Cpu::now();
    let t0 = Instant::now();
    let half = send(&http, &webhook, &half_set, o.concurrency, Some(rate)).await;
    half.check("half load");
    let half_cpu = cpu.since();
    let half_stored_at = wait_stored(&app.db, before + half.ok as i64, t0, o.timeout).await?;
    let half_lag = half_stored_at.saturating_sub(half.wall);
    let (rss_end, hwm_end) = memory();
    running.stop().await;

    // The ceiling: same bodies, same concurrency, bare axum, one INSERT per request.
    let curl = dbs.fresh("ceiling").await?;
    let ceiling = start_ceiling(&curl, backend, cfg.database.max_connections).await?;
    phase("ceiling: sending");
    let cpu = Cpu::now();
    let ceil = send(&client(o.concurrency), &ceiling.url, &full_set, o.concurrency, None).await;
    ceil.check("ceiling");
    let ceil_cpu = cpu.since();
    phase("done");
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM deliveries")
        .fetch_one(&ceiling.pool)
        .await
        .ctx("counting ceiling rows")?;
    let _ = ceiling.stop.send(true);
    let _ = ceiling.task.await;
    ceiling.pool.close().await;
    let ratio = stored_rate / ceil.rate();

    println!();
    println!("| measure | value |");
    println!("|---|---|");
    println!(
        "| full load: accepted (HTTP 200), closed loop, {} clients | {} of {n} in {:.2} s = **{:.0}/s** |",
        o.concurrency,
        full.ok,
        full.wall.as_secs_f64(),
        full.rate()
    );
    println!(
        "| full load: request latency p50 / p99 / max | {:.2} / {:.2} / {:.1} ms |",
        full.p(0.5),
        full.p(0.99),
        full.max()
    );
    println!("| full load: CPU while sending | {full_cpu} |");
    println!(
        "| full load: stored end to end (first request → last message written) | {} in {:.2} s = **{:.0} messages/s** ({} stored when sending ended) |",
        full.ok,
        stored_at.as_secs_f64(),
        stored_rate,
        stored_when_sent
    );
    println!(
        "| half load: open loop at {:.0}/s (half the accepted rate), {n} new messages | achieved {:.0}/s; {} of {n} accepted |",
        rate,
        half.rate(),
        half.ok
    );
    println!(
        "| half load: request latency p50 / p99 / max | **{:.2} / {:.2}** / {:.1} ms |",
        half.p(0.5),
        half.p(0.99),
        half.max()
    );
    println!("| half load: last message stored after the last answer | {:.0} ms |", ms(half_lag));
    println!("| half load: CPU while sending | {half_cpu} |");
    println!(
        "| RSS (whole process, generator included): server started / after full load / at the end (peak) | {rss_start:.0} / {rss_full:.0} / {rss_end:.0} MiB (peak {hwm_end:.0} MiB) |"
    );
    println!(
        "| ceiling: bare axum, one INSERT per request ({rows} rows) | **{:.0} req/s**, p50 {:.2} ms, p99 {:.2} ms |",
        ceil.rate(),
        ceil.p(0.5),
        ceil.p(0.99)
    );
    println!("| ceiling: CPU | {ceil_cpu} |");
    println!("| stored messages/s ÷ ceiling req/s | **{:.0} %** |", ratio * 100.0);
    let target = if backend == Backend::Sqlite { 10_000.0 } else { 5_000.0 };
    println!();
    println!(
        "Issue 4 targets: stored ≥ {target:.0}/s: {}; ≥ 60 % of the ceiling: {}; p99 ≤ 25 ms at half load: {}.",
        if stored_rate >= target { "met" } else { "missed" },
        if ratio >= 0.6 { "met" } else { "missed" },
        if half.p(0.99) <= 25.0 { "met" } else { "missed" }
    );

    if o.split {
        split(o, dbs, dir).await?;
    }
    Ok(())
}

/// The profile: HTTP accept with no intake worker, then the drain alone, then statement counts.
async fn split(o: &Opts, dbs: &mut Databases, dir: &Path) -> Result<(), String> {
    let n = o.messages;
    let url = dbs.fresh("split").await?;
    let cfg = config(&url, &dir.join("split"), o);
    let app = frontdesk_server::build_app(&cfg, Arc::new(SystemClock)).await.ctx("building the app")?;
    let channel = whatsapp_channel(&app, o.assistant).await?;
    // The HTTP stack of `start`, without the intake worker, job workers and scheduler.
    let areas = frontdesk_server::areas(app, &cfg);
    let app = areas.app.clone();
    let router = frontdesk_web::router(
        areas.phones,
        areas.privacy,
        areas.invoices,
        frontdesk_server::web_config(&cfg).ctx("the web settings")?,
    );
    let listener = tokio::net::TcpListener::bind(&cfg.server.bind).await.ctx("listening")?;
    let (stop, mut rx) = tokio::sync::watch::channel(false);
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async move {
                let _ = rx.wait_for(|s| *s).await;
            })
            .await;
    });
    let webhook = format!("{}/webhooks/whatsapp/{channel}", cfg.server.base_url);
    let http = client(o.concurrency);

    // Accept alone.
    let set = Arc::new(deliveries("", n, 0, o.contacts));
    phase("split: accept only");
    let cpu = Cpu::now();
    let accept = send(&http, &webhook, &set, o.concurrency, None).await;
    accept.check("accept only");
    let accept_cpu = cpu.since();

    // Drain alone, one batch at a time.
    phase("split: drain only");
    let cpu = Cpu::now();
    let drain = timed_drain(&app).await?;
    let drain_cpu = cpu.since();
    phase("split: counting statements");
    let stored = count_messages(&app.db).await?;

    // The floor under any statement: one round trip on one pooled connection.
    let rounds = 2_000u32;
    let mut c = app.db.conn().await.ctx("a connection")?;
    let t = Instant::now();
    for _ in 0..rounds {
        sqlx::query("SELECT 1").execute(&mut *c).await.ctx("SELECT 1")?;
    }
    let round_trip = t.elapsed() / rounds;
    drop(c);

    // Statements per delivery: 500 new contacts, then 500 messages from those same contacts.
    let m = 500;
    let counting = sqlcount::install();
    let first = o.contacts + 1_000;
    let new_contacts = Arc::new(deliveries("S", m, first, m));
    let known_contacts = Arc::new(deliveries("T", m, first, m));
    sqlcount::set(true);
    let a = send(&http, &webhook, &new_contacts, o.concurrency, None).await;
    sqlcount::set(false);
    let accept_sql = sqlcount::take();
    sqlcount::set(true);
    frontdesk_inbox::intake::drain(&app).await.ctx("draining")?;
    sqlcount::set(false);
    let new_sql = sqlcount::take();
    let b = send(&http, &webhook, &known_contacts, o.concurrency, None).await;
    sqlcount::set(true);
    frontdesk_inbox::intake::drain(&app).await.ctx("draining")?;
    sqlcount::set(false);
    let known_sql = sqlcount::take();
    a.check("counted accept");
    b.check("counted accept");

    let _ = stop.send(true);
    let _ = server.await;
    app.db.close().await;
    phase("done");

    println!();
    println!("## Profile (--split): HTTP accept with no intake worker, then the drain alone");
    println!();
    println!("| phase | value |");
    println!("|---|---|");
    println!(
        "| accept only (HTTP → verify → raw event stored), {} clients | {} of {n} in {:.2} s = **{:.0}/s**, p50 {:.2} ms, p99 {:.2} ms |",
        o.concurrency,
        accept.ok,
        accept.wall.as_secs_f64(),
        accept.rate(),
        accept.p(0.5),
        accept.p(0.99)
    );
    println!(
        "| drain only (`intake::process_batch`, {} per batch, one transaction each) | {stored} messages in {:.2} s = **{:.0} messages/s**, {:.0} µs per message |",
        cfg.inbox.intake_batch,
        drain.total.as_secs_f64(),
        drain.events as f64 / drain.total.as_secs_f64(),
        drain.total.as_secs_f64() * 1e6 / drain.events.max(1) as f64
    );
    println!(
        "| drain: batches, time per batch p50 / max | {} batches, {:.1} / {:.1} ms; first half (new contacts) {:.0}/s, second half (known contacts) {:.0}/s |",
        drain.batches.len(),
        drain.p50_ms(),
        drain.max_ms(),
        drain.rate_of(0, n / 2),
        drain.rate_of(n / 2, n)
    );
    println!("| CPU: accept only / drain only | {accept_cpu} / {drain_cpu} |");
    println!(
        "| accept and drain one after the other, 1 / (1/accept + 1/drain) | {:.0}/s |",
        1.0 / (1.0 / accept.rate() + drain.total.as_secs_f64() / drain.events.max(1) as f64)
    );
    println!(
        "| one statement round trip (`SELECT 1`, sequential, one pooled connection) | {:.1} µs |",
        round_trip.as_secs_f64() * 1e6
    );
    if counting {
        print_statements("Accept (per HTTP request)", m, &accept_sql);
        print_statements("Intake, a message from a new contact", m, &new_sql);
        print_statements("Intake, a message from a known contact with an open thread", m, &known_sql);
    } else {
        println!("(statement counts unavailable: a tracing subscriber was already installed)");
    }
    Ok(())
}

struct Drain {
    total: Duration,
    events: usize,
    /// (events, time) per batch, in order.
    batches: Vec<(usize, Duration)>,
}

impl Drain {
    fn p50_ms(&self) -> f64 {
        let mut v: Vec<Duration> = self.batches.iter().map(|b| b.1).collect();
        v.sort();
        ms(percentile(&v, 0.5))
    }
    fn max_ms(&self) -> f64 {
        self.batches.iter().map(|b| ms(b.1)).fold(0.0, f64::max)
    }
    /// Events per second over the batches holding events `from..to`.
    fn rate_of(&self, from: usize, to: usize) -> f64 {
        let (mut seen, mut events, mut time) = (0usize, 0usize, Duration::ZERO);
        for (k, d) in &self.batches {
            if seen >= from && seen < to {
                events += k;
                time += *d;
            }
            seen += k;
        }
        events as f64 / time.as_secs_f64().max(1e-9)
    }
}

async fn timed_drain(app: &App) -> Result<Drain, String> {
    let mut batches = vec![];
    let t0 = Instant::now();
    loop {
        let t = Instant::now();
        let k = frontdesk_inbox::intake::process_batch(app).await.ctx("processing a batch")?;
        if k == 0 {
            break;
        }
        batches.push((k, t.elapsed()));
    }
    let total = t0.elapsed();
    let events = batches.iter().map(|b| b.0).sum();
    Ok(Drain { total, events, batches })
}
