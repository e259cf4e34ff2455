//! Wiring: turns a [`Config`] into a running server (HTTP, job workers, scheduler) or into
//! the pieces the operator commands need.

pub mod config;

pub use config::Config;

use frontdesk_inbox::Inbox;
use frontdesk_platform::jobs::{self, Handlers, Schedule, WorkerConfig};
use frontdesk_platform::mail::Transport;
use frontdesk_platform::ratelimit::Limits;
use frontdesk_platform::vault::Vault;
use frontdesk_platform::{Clock, Platform, Settings, SystemClock};
use frontdesk_store::{Db, Migration};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// The contexts of every area the server runs. Today the inbox's holds the platform's.
pub type App = Inbox;

/// Every area's migrations (one global order of versions).
pub const MIGRATIONS: &[&[Migration]] = &[
    frontdesk_platform::MIGRATIONS,
    frontdesk_inbox::MIGRATIONS,
    frontdesk_bookings::MIGRATIONS,
    frontdesk_billing::MIGRATIONS,
    frontdesk_phones::MIGRATIONS,
    frontdesk_privacy::MIGRATIONS,
    frontdesk_invoices::MIGRATIONS,
];

/// Every area's slice of the personal-data registry.
pub const REGISTRY: &[&[frontdesk_core::pii::Entry]] = &[
    frontdesk_platform::pii::SLICE,
    frontdesk_inbox::pii::SLICE,
    frontdesk_bookings::pii::SLICE,
    frontdesk_billing::pii::SLICE,
    frontdesk_phones::pii::SLICE,
    frontdesk_privacy::pii::SLICE,
    frontdesk_invoices::pii::SLICE,
];

/// Every area's periodic jobs.
pub fn schedules() -> Vec<Schedule> {
    [
        jobs::SCHEDULES,
        frontdesk_inbox::SCHEDULES,
        frontdesk_bookings::SCHEDULES,
        frontdesk_billing::SCHEDULES,
        frontdesk_phones::SCHEDULES,
        frontdesk_privacy::SCHEDULES,
        frontdesk_invoices::SCHEDULES,
    ]
    .concat()
}

/// Opens the database (running migrations), the vault and the mail transport.
pub async fn build_app(cfg: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<App> {
    let db = Db::connect(&cfg.database.url, cfg.database.max_connections).await?;
    let applied = db.migrate(MIGRATIONS).await?;
    if applied > 0 {
        tracing::info!(applied, "database migrated");
    }
    let key = match &cfg.secrets.key {
        Some(k) => Vault::key_from_base64(k)?,
        None => {
            let path = cfg.key_file();
            let (key, created) = Vault::key_from_file(&path)?;
            if created {
                tracing::warn!(path = %path.display(), "created a new secrets key: back this file up, without it stored secrets cannot be read");
            }
            key
        }
    };
    let old: Vec<[u8; 32]> =
        cfg.secrets.old_keys.iter().map(|k| Vault::key_from_base64(k)).collect::<Result<_, _>>()?;
    let mailer = match &cfg.smtp {
        Some(s) => {
            tracing::info!(host = %s.host, port = s.port, "mail goes through SMTP");
            Transport::smtp(s).map_err(anyhow::Error::msg)?
        }
        None => {
            let dir = cfg.data_dir.join("outbox");
            tracing::warn!(dir = %dir.display(), "no SMTP server configured (FRONTDESK__SMTP__HOST): emails are written to this folder as .eml files");
            Transport::folder(dir, &cfg.mail.from).map_err(anyhow::Error::msg)?
        }
    };
    let allow_private = cfg.network.allowed_ranges()?;
    let tenant_http = frontdesk_platform::netguard::client(&allow_private, std::time::Duration::from_secs(10));
    let settings = Settings {
        base_url: cfg.server.base_url.clone(),
        signup: cfg.signup.mode,
        allow_private,
        captcha: cfg.captcha.clone(),
        google: cfg.google.clone(),
        ..Settings::default()
    };
    let platform = Platform {
        db,
        clock,
        vault: Arc::new(Vault::new(key, &old)),
        settings: Arc::new(settings),
        limits: Arc::new(Limits::new(cfg.rate_limit)),
        metrics: Arc::default(),
        mailer: Arc::new(mailer),
        jobs_notify: Arc::default(),
        blobs: Arc::new(frontdesk_platform::blobs::Blobs::new(cfg.data_dir.join("blobs"))),
        http: frontdesk_inbox::providers::http_client()?,
        tenant_http,
        words: Arc::new(Catalogue),
        metering: Arc::default(),
    };
    Ok(Inbox::new(platform, cfg.inbox.clone()))
}

/// The Fluent catalogues, for the platform's mails (`platform::ports::Words`).
pub struct Catalogue;

impl frontdesk_platform::ports::Words for Catalogue {
    fn text(
        &self,
        lang: frontdesk_core::lang::Lang,
        id: &str,
        args: &[(&str, frontdesk_platform::ports::WordArg)],
    ) -> String {
        use frontdesk_platform::ports::WordArg;
        let args: Vec<(&str, frontdesk_i18n::Arg)> = args
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    WordArg::Text(t) => frontdesk_i18n::Arg::Text(t.clone()),
                    WordArg::Number(n) => frontdesk_i18n::Arg::Number(*n),
                };
                (*k, v)
            })
            .collect();
        frontdesk_i18n::t(lang, id, &args)
    }
    fn current(&self) -> frontdesk_core::lang::Lang {
        frontdesk_i18n::current()
    }
}

pub fn web_config(cfg: &Config) -> anyhow::Result<frontdesk_web::WebConfig> {
    Ok(frontdesk_web::WebConfig {
        base_url: cfg.server.base_url.clone(),
        trusted_proxies: cfg
            .server
            .trusted_proxies
            .iter()
            .filter_map(|p| frontdesk_web::TrustedProxy::parse(p))
            .collect(),
        body_limit_bytes: cfg.server.body_limit_bytes,
        metrics: cfg.metrics.access().map_err(anyhow::Error::msg)?,
        support_channel: cfg.support.chat_channel.clone().filter(|c| !c.trim().is_empty()),
    })
}

/// The areas above the inbox, on top of the inbox's context, with their ports registered in
/// it (a contact's bookings on the contact page, bookings moved on a merge, free slots for
/// the assistant) and in the bookings (billing's refund policy when a booking ends).
pub fn areas(app: App, cfg: &Config) -> Areas {
    let first = frontdesk_bookings::Bookings::new(app.clone(), cfg.bookings.clone());
    let ports = Arc::new(frontdesk_bookings::ports::BookingPorts(first.clone()));
    let money =
        Arc::new(frontdesk_billing::ports::BillingPorts(frontdesk_billing::Billing::new(first, cfg.billing.clone())));
    let app = app.with_contact_ports(frontdesk_inbox::ContactPorts {
        facts: vec![ports.clone(), money.clone()],
        merged: vec![ports.clone(), money],
        slots: Some(ports),
    });
    let plain = frontdesk_bookings::Bookings::new(app.clone(), cfg.bookings.clone());
    let billing_ports =
        frontdesk_billing::ports::BillingPorts(frontdesk_billing::Billing::new(plain, cfg.billing.clone()));
    let billing_ports = Arc::new(billing_ports);
    let bookings = frontdesk_bookings::Bookings::new(app.clone(), cfg.bookings.clone())
        .with_ended(billing_ports.clone())
        .with_benefits(billing_ports);
    let billing = frontdesk_billing::Billing::new(bookings.clone(), cfg.billing.clone())
        .with_platform(cfg.platform_billing.clone());
    if billing.platform_settings.is_some() {
        // Platform billing on: every area asks the plans and the wallet from now on.
        let gate = Arc::new(frontdesk_billing::plans::PlanGate(billing.clone()));
        let _ =
            app.platform.metering.set(frontdesk_platform::ports::Metering { entitlements: gate.clone(), wallet: gate });
    }
    let phones = frontdesk_phones::Phones::new(billing.clone(), cfg.phones.clone());
    // Every area's part in a data-subject request.
    let privacy = frontdesk_privacy::Privacy::new(
        app.clone(),
        vec![
            Arc::new(frontdesk_inbox::subject::InboxSubject(app.clone())),
            Arc::new(frontdesk_bookings::subject::BookingsSubject(bookings.clone())),
            Arc::new(frontdesk_billing::subject::BillingSubject(billing.clone())),
            Arc::new(frontdesk_phones::subject::PhonesSubject),
            Arc::new(frontdesk_invoices::subject::InvoicesSubject),
        ],
    );
    let invoices = frontdesk_invoices::Invoices::new(billing.clone());
    Areas { app, bookings, billing, phones, privacy, invoices }
}

/// Every area's context, each on top of the one below.
#[derive(Clone)]
pub struct Areas {
    pub app: App,
    pub bookings: frontdesk_bookings::Bookings,
    pub billing: frontdesk_billing::Billing,
    pub phones: frontdesk_phones::Phones,
    pub privacy: frontdesk_privacy::Privacy,
    pub invoices: frontdesk_invoices::Invoices,
}

/// A running server: its address, its services, and a handle to stop it.
pub struct Running {
    pub addr: SocketAddr,
    pub app: App,
    pub bookings: frontdesk_bookings::Bookings,
    pub billing: frontdesk_billing::Billing,
    pub phones: frontdesk_phones::Phones,
    pub privacy: frontdesk_privacy::Privacy,
    pub invoices: frontdesk_invoices::Invoices,
    shutdown: tokio::sync::watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Running {
    /// Stops accepting requests, lets workers finish their current job, and waits.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        for t in self.tasks {
            let _ = tokio::time::timeout(Duration::from_secs(10), t).await;
        }
        self.app.db.close().await;
    }
}

/// Every job kind the server runs, with its handler and the context it runs in.
pub fn job_handlers(a: &Areas) -> Handlers {
    frontdesk_platform::job_handlers(&a.app.platform)
        .and(frontdesk_inbox::job_handlers(&a.app))
        .and(frontdesk_bookings::job_handlers(&a.bookings))
        .and(frontdesk_billing::job_handlers(&a.billing))
        .and(frontdesk_phones::job_handlers(&a.phones))
        .and(frontdesk_privacy::job_handlers(&a.privacy))
        .and(frontdesk_invoices::job_handlers(&a.invoices))
}

/// Starts HTTP, the job workers and the scheduler. `bind` may use port 0.
pub async fn start(cfg: &Config, clock: Option<Arc<dyn Clock>>) -> anyhow::Result<Running> {
    let clock = clock.unwrap_or_else(|| Arc::new(SystemClock));
    let web = web_config(cfg)?;
    let areas = areas(build_app(cfg, clock).await?, cfg);
    let app = areas.app.clone();
    let released = jobs::recover_after_crash(&app).await?;
    if released > 0 {
        tracing::info!(released, "jobs of a previous run handed back to the queue");
    }
    let listener = tokio::net::TcpListener::bind(&cfg.server.bind)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", cfg.server.bind))?;
    let addr = listener.local_addr()?;
    let (tx, rx) = tokio::sync::watch::channel(false);
    let worker_cfg = WorkerConfig {
        // 0: a web-only node; another node (or `frontdesk` with workers) runs the jobs.
        workers: cfg.jobs.workers,
        lease_ms: cfg.jobs.lease_secs as i64 * 1000,
        idle_poll_ms: 1000,
    };
    let mut tasks = jobs::spawn_workers(app.platform.clone(), job_handlers(&areas), worker_cfg, rx.clone());
    tasks.push(frontdesk_inbox::intake::spawn_worker(app.clone(), rx.clone()));
    tasks.push(frontdesk_inbox::intake::spawn_writer(&app, rx.clone()));
    tasks.push(frontdesk_inbox::webhooks::spawn_dispatcher(app.clone(), rx.clone()));
    tasks.extend(frontdesk_inbox::live::spawn_fanout(&app, &cfg.database.url, rx.clone()));
    tasks.push(jobs::spawn_scheduler(
        app.platform.clone(),
        schedules(),
        Duration::from_secs(cfg.jobs.scheduler_tick_secs.max(1)),
        rx.clone(),
    ));
    let router = frontdesk_web::router(areas.phones.clone(), areas.privacy.clone(), areas.invoices.clone(), web);
    let mut stop = rx.clone();
    tasks.push(tokio::spawn(async move {
        let serve = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async move {
                let _ = stop.wait_for(|s| *s).await;
            });
        if let Err(e) = serve.await {
            tracing::error!(error = %e, "HTTP server stopped");
        }
    }));
    tracing::info!(%addr, base_url = %cfg.server.base_url, "frontdesk is listening");
    let Areas { bookings, billing, phones, privacy, invoices, .. } = areas;
    Ok(Running { addr, app, bookings, billing, phones, privacy, invoices, shutdown: tx, tasks })
}

/// Installs the process-wide log subscriber (JSON lines by default).
pub fn init_logging(cfg: &Config) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_new(format!("{},sqlx=warn", cfg.log.level)).unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stdout);
    let _ = if cfg.log.format == "pretty" {
        builder.try_init()
    } else {
        builder.json().flatten_event(true).with_current_span(true).with_span_list(false).try_init()
    };
}
