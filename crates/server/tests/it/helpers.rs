//! One `spawn_app()` per test: the real server on a free loopback port, its own database
//! (an SQLite file, or a fresh PostgreSQL database when `TEST_DATABASE_URL` is set), a real
//! SMTP server (aiosmtpd) on loopback, and an adjustable clock.

use frontdesk_platform::OffsetClock;
use frontdesk_server::{config::Config, start, Running};
use reqwest::redirect::Policy;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

pub fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// A port that is free now, picked below Linux's ephemeral range (32768 and up), where the
/// port-0 listeners of loopback fakes and outgoing connections take theirs: a port handed out
/// here is not given to someone else before the server binds it.
pub fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let seed = std::process::id().wrapping_mul(2_654_435_761)
        ^ std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    loop {
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let port = 20_000 + (seed.wrapping_add(n.wrapping_mul(7_919)) % 12_000) as u16;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

pub fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("frontdesk-test-{tag}-{}", uuid_like()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

pub fn uuid_like() -> String {
    frontdesk_core::JobId::new().as_str().replace('-', "")
}

/// A database for one test.
pub async fn test_database_url(dir: &Path) -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin) if !admin.is_empty() => {
            let name = format!("fd_{}", uuid_like());
            let db = frontdesk_store::Db::connect(&admin, 2).await.expect("TEST_DATABASE_URL must be reachable");
            sqlx_exec(&db, &format!("CREATE DATABASE {name}")).await;
            db.close().await;
            let (base, _) = admin.rsplit_once('/').expect("TEST_DATABASE_URL needs a database name");
            format!("{base}/{name}")
        }
        _ => format!("sqlite://{}/frontdesk.db", dir.display()),
    }
}

/// Drops a database made by [`test_database_url`] (PostgreSQL only; SQLite files live in the
/// test's temporary folder).
pub async fn drop_test_database(url: &str) {
    let Ok(admin) = std::env::var("TEST_DATABASE_URL") else {
        return;
    };
    let Some((_, name)) = url.rsplit_once('/') else {
        return;
    };
    if !url.starts_with("postgres") || !name.starts_with("fd_") {
        return;
    }
    if let Ok(db) = frontdesk_store::Db::connect(&admin, 2).await {
        sqlx_exec(&db, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
        db.close().await;
    }
}

async fn sqlx_exec(db: &frontdesk_store::Db, sql: &str) {
    let mut c = db.conn().await.unwrap();
    frontdesk_store::row::raw_execute(&mut c, sql).await.unwrap();
}

/// A real SMTP server on loopback (Python's aiosmtpd) writing a maildir. Without aiosmtpd the
/// server falls back to its outbox folder, except under CI where that is a failure.
pub struct Smtp {
    child: Option<Child>,
    pub port: u16,
    pub maildir: PathBuf,
}

impl Smtp {
    pub fn start(dir: &Path) -> Option<Self> {
        let available = Command::new("python3").args(["-c", "import aiosmtpd"]).status().is_ok_and(|s| s.success());
        if !available {
            assert!(!ci(), "aiosmtpd is required under CI (pip install aiosmtpd)");
            return None;
        }
        let port = free_port();
        let maildir = dir.join("maildir");
        let mut child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(Self { child: Some(child), port, maildir });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("aiosmtpd did not start");
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// One received email.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl Mail {
    /// The first link in the body starting with `base`.
    pub fn link(&self, base: &str) -> String {
        let start = self.body.find(base).unwrap_or_else(|| panic!("no link {base} in mail: {}", self.body));
        self.body[start..].split_whitespace().next().unwrap().to_string()
    }
    /// The `token=` value (or last path segment) of the first link starting with `base`.
    pub fn token(&self, base: &str) -> String {
        let l = self.link(base);
        match l.split_once("token=") {
            Some((_, t)) => t.to_string(),
            None => l.rsplit('/').next().unwrap().to_string(),
        }
    }
}

fn decode_qp(s: &str) -> String {
    let s = s.replace("=\r\n", "").replace("=\n", "");
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn parse_mail(raw: &str) -> Mail {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
    let header = |name: &str| header_of(head, name);
    Mail { to: header("To"), subject: header("Subject"), body: text_of(head, body) }
}

/// A header's value, folded lines joined.
fn header_of(head: &str, name: &str) -> String {
    let unfolded = head.replace("\n ", " ").replace("\n\t", " ");
    unfolded
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with(&format!("{}:", name.to_ascii_lowercase())))
        .map(|l| l.split_once(':').unwrap().1.trim().to_string())
        .unwrap_or_default()
}

/// The readable text of a part: decoded, and for a multipart, its first text part.
fn text_of(head: &str, body: &str) -> String {
    let ctype = header_of(head, "Content-Type");
    if ctype.to_ascii_lowercase().starts_with("multipart/") {
        let boundary = ctype
            .split(';')
            .filter_map(|p| p.trim().strip_prefix("boundary="))
            .next()
            .map(|b| b.trim_matches('"').to_string())
            .unwrap_or_default();
        for part in body.split(&format!("--{boundary}")).skip(1) {
            let part = part.strip_prefix('\n').unwrap_or(part);
            let (h, b) = part.split_once("\n\n").unwrap_or((part, ""));
            let t = header_of(h, "Content-Type").to_ascii_lowercase();
            if t.starts_with("text/plain") || t.starts_with("multipart/") {
                return text_of(h, b);
            }
        }
        return body.to_string();
    }
    if header_of(head, "Content-Transfer-Encoding").eq_ignore_ascii_case("quoted-printable") {
        decode_qp(body)
    } else {
        body.to_string()
    }
}

pub struct TestApp {
    pub running: Option<Running>,
    pub base: String,
    pub clock: Arc<OffsetClock>,
    pub dir: PathBuf,
    pub smtp: Option<Smtp>,
    pub config: Config,
}

#[derive(Default)]
pub struct Options {
    pub invite_only: bool,
    pub rate: Option<frontdesk_platform::ratelimit::RateRules>,
    pub trusted_proxies: Vec<String>,
    pub body_limit: Option<usize>,
    pub inbox: Option<frontdesk_inbox::InboxSettings>,
    pub database_url: Option<String>,
    /// Job workers on the server (default 2); 0 lets the test run jobs itself.
    pub job_workers: Option<usize>,
    /// `network.allow_private`: internal ranges tenant URLs may reach (loopback receivers).
    pub allow_private: Vec<String>,
    /// `inbox.media_max_bytes` on top of the fake providers' settings (`inbox::setup_with`).
    pub media_max_bytes: Option<u64>,
    /// `inbox.send_timeout_ms` (provider and model calls), likewise.
    pub send_timeout_ms: Option<u64>,
    /// An https `server.base_url` (as behind a TLS proxy); the server still listens on http.
    pub https_base_url: bool,
    /// `metrics.allow` (default: loopback).
    pub metrics_allow: Option<Vec<String>>,
    /// `metrics.token`.
    pub metrics_token: Option<String>,
    /// `support.chat_channel`: the operator's support web chat behind Help.
    pub support_channel: Option<String>,
    /// `[captcha]`: the human check on the public booking page.
    pub captcha: Option<frontdesk_platform::captcha::CaptchaSettings>,
    /// `[billing]` (a loopback Stripe's addresses).
    pub billing: Option<frontdesk_billing::BillingSettings>,
    /// `[bookings]`.
    pub bookings: Option<frontdesk_bookings::BookingSettings>,
    /// `[platform_billing]` (off when none).
    pub platform_billing: Option<frontdesk_billing::plans::PlatformBillingSettings>,
    /// `[inbox.platform_model]`, on top of the fake providers' settings (`inbox::setup_with`).
    pub platform_model: Option<frontdesk_inbox::PlatformModel>,
    /// `[phones]`.
    pub phones: Option<frontdesk_phones::PhonesSettings>,
    /// `[google]` (a loopback OpenID provider).
    pub google: Option<frontdesk_platform::google::GoogleSettings>,
}

pub async fn spawn_app() -> TestApp {
    spawn_with(Options::default()).await
}

pub async fn spawn_with(o: Options) -> TestApp {
    let dir = temp_dir("app");
    let smtp = Smtp::start(&dir);
    let port = free_port();
    let scheme = if o.https_base_url { "https" } else { "http" };
    let mut cfg = Config::default();
    cfg.server.bind = format!("127.0.0.1:{port}");
    cfg.server.base_url = format!("{scheme}://127.0.0.1:{port}");
    cfg.server.trusted_proxies = o.trusted_proxies;
    if let Some(b) = o.body_limit {
        cfg.server.body_limit_bytes = b;
    }
    cfg.database.url = match o.database_url {
        Some(u) => u,
        None => test_database_url(&dir).await,
    };
    cfg.network.allow_private = o.allow_private;
    if let Some(i) = o.inbox {
        cfg.inbox = i;
    }
    cfg.data_dir = dir.clone();
    if o.invite_only {
        cfg.signup.mode = frontdesk_platform::SignupMode::InviteOnly;
    }
    if let Some(r) = o.rate {
        cfg.rate_limit = r;
    }
    if let Some(s) = &smtp {
        cfg.smtp = Some(serde_json::from_value(serde_json::json!({ "host": "127.0.0.1", "port": s.port, "tls": "none", "from": "Frontdesk <frontdesk@example.test>" })).unwrap());
    }
    cfg.jobs.lease_secs = 5;
    if let Some(w) = o.job_workers {
        cfg.jobs.workers = w;
    }
    if let Some(a) = o.metrics_allow {
        cfg.metrics.allow = a;
    }
    cfg.metrics.token = o.metrics_token.map(frontdesk_platform::crypto::BearerSecret::new);
    cfg.support.chat_channel = o.support_channel;
    cfg.captcha = o.captcha;
    if let Some(b) = o.billing {
        cfg.billing = b;
    }
    if let Some(b) = o.bookings {
        cfg.bookings = b;
    }
    cfg.platform_billing = o.platform_billing;
    cfg.google = o.google;
    if let Some(p) = o.phones {
        cfg.phones = p;
    }
    let clock = Arc::new(OffsetClock::default());
    // The port was free a moment ago; another test (or a loopback fake) may have taken it
    // since, so a taken port means another try with a new one.
    let mut attempt = 0;
    let running = loop {
        match start(&cfg, Some(clock.clone())).await {
            Ok(r) => break r,
            Err(e) if attempt < 5 && e.to_string().contains("in use") => {
                attempt += 1;
                let port = free_port();
                cfg.server.bind = format!("127.0.0.1:{port}");
                cfg.server.base_url = format!("{scheme}://127.0.0.1:{port}");
            }
            Err(e) => panic!("server starts: {e:?}"),
        }
    };
    let base = format!("http://{}", cfg.server.bind);
    TestApp { running: Some(running), base, clock, dir, smtp, config: cfg }
}

impl TestApp {
    /// Moves the clock on to the next 10:00 UTC, so a test whose days and hours matter runs
    /// at the same time of day whenever it runs.
    pub fn at_ten_utc(&self) {
        let now = self.app().now().0;
        let day = 86_400_000;
        let ten = now - now % day + 10 * 3_600_000;
        self.clock.advance_ms(if ten > now { ten - now } else { ten + day - now });
    }

    pub fn app(&self) -> &frontdesk_inbox::Inbox {
        &self.running.as_ref().unwrap().app
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A browser-like client: keeps cookies, does not follow redirects.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder().cookie_store(true).redirect(Policy::none()).build().unwrap()
    }

    /// Every mail received so far (SMTP maildir, or the outbox folder without aiosmtpd).
    pub fn all_mails(&self) -> Vec<Mail> {
        let dirs = match &self.smtp {
            Some(s) => vec![s.maildir.join("new"), s.maildir.join("cur")],
            None => vec![self.dir.join("outbox")],
        };
        let mut files: Vec<PathBuf> = dirs
            .iter()
            .filter_map(|d| std::fs::read_dir(d).ok())
            .flatten()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.file_name().is_some_and(|n| !n.to_string_lossy().starts_with('.')))
            .collect();
        files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        files.iter().filter_map(|p| std::fs::read_to_string(p).ok()).map(|r| parse_mail(&r)).collect()
    }

    /// The mails a test of some other feature counts: every mail but the owners' "new API
    /// token" alert, which nearly every setup sets off (`platform::accounts` asserts it, through
    /// [`TestApp::all_mails`]).
    pub fn mails(&self) -> Vec<Mail> {
        self.all_mails().into_iter().filter(|m| !m.subject.contains(": A new API token")).collect()
    }

    /// Waits (up to 10 s) for the `n`-th mail to `to` (1-based) and returns it.
    pub async fn wait_mail(&self, to: &str, n: usize) -> Mail {
        for _ in 0..200 {
            if self.config.jobs.workers == 0 {
                // No job workers on this server: the test delivers the mail itself.
                self.run_jobs().await;
            }
            let m: Vec<Mail> = self.mails().into_iter().filter(|m| m.to.contains(to)).collect();
            if m.len() >= n {
                return m[n - 1].clone();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut c = self.app().db.conn().await.unwrap();
        let jobs: Vec<String> = frontdesk_store::row::scalars(
            &mut c,
            "SELECT kind || ' ' || status || ' ' || COALESCE(last_error, '') FROM jobs WHERE status <> 'done'",
            (),
        )
        .await
        .unwrap_or_default();
        panic!(
            "no mail #{n} to {to}; have {:?}; jobs not done: {jobs:?}",
            self.mails().iter().map(|m| (&m.to, &m.subject)).collect::<Vec<_>>()
        );
    }

    pub fn mail_count(&self, to: &str) -> usize {
        self.mails().iter().filter(|m| m.to.contains(to)).count()
    }

    /// Signs up through the form, follows the emailed link, and returns a signed-in client.
    pub async fn signed_in_user(&self, email: &str) -> reqwest::Client {
        let c = self.client();
        let r = c
            .post(self.url("/signup"))
            .form(&[("email", email), ("name", "Test Person"), ("password", PASSWORD), ("adult", "yes")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        let mail = self.wait_mail(email, 1).await;
        let token = mail.token(&self.url("/verify-email"));
        let r = c.post(self.url("/verify-email")).form(&[("token", token.as_str())]).send().await.unwrap();
        assert_eq!(r.status(), 200);
        self.login(&c, email, PASSWORD).await;
        c
    }

    pub async fn login(&self, c: &reqwest::Client, email: &str, password: &str) -> reqwest::Response {
        c.post(self.url("/login")).form(&[("email", email), ("password", password)]).send().await.unwrap()
    }

    /// Creates a workspace through the API as `c` and returns its id.
    pub async fn workspace(&self, c: &reqwest::Client, name: &str) -> String {
        let r = c.post(self.url("/api/v1/workspaces")).json(&serde_json::json!({ "name": name })).send().await.unwrap();
        assert_eq!(r.status(), 201);
        r.json::<serde_json::Value>().await.unwrap()["id"].as_str().unwrap().to_string()
    }

    /// A workspace API token with `role`, made by its owner `c`.
    pub async fn api_token(&self, c: &reqwest::Client, ws: &str, role: &str) -> String {
        let r = c
            .post(self.url(&format!("/api/v1/workspaces/{ws}/api-tokens")))
            .json(&serde_json::json!({ "name": format!("{role} token"), "role": role }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        r.json::<serde_json::Value>().await.unwrap()["token"].as_str().unwrap().to_string()
    }

    /// Waits (up to 30 s) until the intake worker has processed every stored delivery.
    /// Runs every job that is due now (for servers started with `job_workers: Some(0)`).
    pub async fn run_jobs(&self) -> usize {
        let r = self.running.as_ref().unwrap();
        let areas = frontdesk_server::Areas {
            app: r.app.clone(),
            bookings: r.bookings.clone(),
            billing: r.billing.clone(),
            phones: r.phones.clone(),
            privacy: r.privacy.clone(),
            invoices: r.invoices.clone(),
        };
        let handlers = frontdesk_server::job_handlers(&areas);
        let mut n = 0;
        while frontdesk_platform::jobs::run_one(self.app(), &handlers, "test", 5_000).await.unwrap() {
            n += 1;
        }
        n
    }

    pub async fn settle(&self) {
        for _ in 0..600 {
            if frontdesk_inbox::intake::pending(self.app()).await.unwrap() == 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("deliveries still pending after 30 s");
    }

    /// Stops the server but keeps its database (to reopen it from the test).
    pub async fn halt(mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await;
        }
    }

    pub async fn stop(mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await;
        }
        drop_test_database(&self.config.database.url).await;
    }
}

pub const PASSWORD: &str = "correct horse battery staple";

/// The real `frontdesk serve` binary as a child process, for crash and log tests.
pub struct Binary {
    pub child: Child,
    pub base: String,
    pub log: PathBuf,
}

/// Environment for a `frontdesk` process on `dir`, `db` and `port`.
pub fn binary_env(dir: &Path, db: &str, port: u16) -> Vec<(String, String)> {
    vec![
        ("FRONTDESK__DATABASE__URL".into(), db.into()),
        ("FRONTDESK__DATA_DIR".into(), dir.display().to_string()),
        ("FRONTDESK__SERVER__BIND".into(), format!("127.0.0.1:{port}")),
        ("FRONTDESK__SERVER__BASE_URL".into(), format!("http://127.0.0.1:{port}")),
        ("FRONTDESK__JOBS__LEASE_SECS".into(), "2".into()),
        ("FRONTDESK__LOG__LEVEL".into(), "debug".into()),
    ]
}

impl Binary {
    pub async fn start(dir: &Path, db: &str, port: u16, log_name: &str) -> Self {
        Self::start_with(dir, db, port, log_name, &[]).await
    }

    /// `frontdesk serve <extra…>`.
    pub async fn start_with(dir: &Path, db: &str, port: u16, log_name: &str, extra: &[&str]) -> Self {
        Self::start_env(dir, db, port, log_name, extra, &[]).await
    }

    /// `frontdesk serve <extra…>` with more environment.
    pub async fn start_env(
        dir: &Path,
        db: &str,
        port: u16,
        log_name: &str,
        extra: &[&str],
        env: &[(&str, String)],
    ) -> Self {
        let log = dir.join(log_name);
        let out = std::fs::File::create(&log).unwrap();
        let err = out.try_clone().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
            .arg("serve")
            .args(extra)
            .envs(binary_env(dir, db, port))
            .envs(env.iter().map(|(k, v)| (k.to_string(), v.clone())))
            .current_dir(dir)
            .stdout(out)
            .stderr(err)
            .spawn()
            .expect("start frontdesk");
        let base = format!("http://127.0.0.1:{port}");
        for _ in 0..200 {
            if reqwest::get(format!("{base}/readyz")).await.is_ok_and(|r| r.status() == 200) {
                return Self { child, base, log };
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("frontdesk did not start: {}", std::fs::read_to_string(&log).unwrap_or_default());
    }

    pub fn kill9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    pub fn stop(&mut self) {
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let _ = self.child.wait();
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

/// A `Config` pointing at the same database and data folder as a spawned binary, to inspect
/// or seed its state from the test.
pub fn config_for(dir: &Path, db: &str) -> Config {
    let mut cfg = Config::default();
    cfg.database.url = db.to_string();
    cfg.data_dir = dir.to_path_buf();
    cfg
}
