//! The durable job queue's worker and the scheduler. Jobs live in the database, so a crash
//! loses none: a job whose worker died is claimed again when its lease runs out (on SQLite,
//! which has one node, at once on restart). Jobs whose only effect is in the database commit
//! that effect with their completion, so they run exactly once.

use crate::repo::jobs::{self as q, Job, NewJob};
use crate::{AppResult, Platform};
use frontdesk_core::{JobId, Timestamp};
use frontdesk_store::{Backend, Conn};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug)]
pub enum JobError {
    /// Worth retrying with backoff (network, 4xx from SMTP, provider 5xx).
    Transient(String),
    /// Retrying cannot help; the job is marked dead with this reason.
    Permanent(String),
    /// Worth retrying, not before this many milliseconds (a provider's Retry-After).
    RetryAfter(String, i64),
}

pub type HandlerFuture = Pin<Box<dyn Future<Output = Result<(), JobError>> + Send>>;
pub type Handler = Arc<dyn Fn(Job) -> HandlerFuture + Send + Sync>;

/// Job kinds and their handlers. The queue knows no area: each area exports its handlers, each
/// with the context it runs in, and the server puts them together.
#[derive(Clone, Default)]
pub struct Handlers(HashMap<&'static str, Handler>);

impl Handlers {
    /// Adds the handler of one job kind; it runs with (a clone of) `ctx`.
    pub fn with<C, F, Fut>(mut self, kind: &'static str, ctx: &C, f: F) -> Self
    where
        C: Clone + Send + Sync + 'static,
        F: Fn(C, Job) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobError>> + Send + 'static,
    {
        let ctx = ctx.clone();
        self.0.insert(kind, Arc::new(move |job| Box::pin(f(ctx.clone(), job))));
        self
    }

    /// Both sets of handlers (a kind registered twice is a programming error).
    pub fn and(mut self, other: Handlers) -> Self {
        for (k, h) in other.0 {
            assert!(self.0.insert(k, h).is_none(), "job kind {k} has two handlers");
        }
        self
    }
}

/// Queues a job inside the caller's transaction (or on a plain connection).
pub async fn enqueue_with_id(
    app: &Platform,
    c: &mut Conn,
    id: &JobId,
    kind: &str,
    payload: &str,
    dedupe_key: Option<&str>,
    max_attempts: i64,
) -> AppResult<Option<JobId>> {
    let now = app.now();
    let r = q::enqueue(c, id, NewJob { kind, payload, run_at: now, max_attempts, dedupe_key }, now).await?;
    app.jobs_notify.notify_waiters();
    Ok(r)
}

/// Backoff before attempt `n + 1`: 5 s, 10 s, 20 s … capped at one hour.
pub fn backoff_ms(attempts: i64) -> i64 {
    let exp = attempts.clamp(1, 20) as u32 - 1;
    (5_000i64.saturating_mul(1i64 << exp)).min(3_600_000)
}

/// Worker tuning.
#[derive(Clone, Copy, Debug)]
pub struct WorkerConfig {
    pub workers: usize,
    pub lease_ms: i64,
    pub idle_poll_ms: u64,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self { workers: 2, lease_ms: 5 * 60_000, idle_poll_ms: 1000 }
    }
}

/// Runs one job if one is due; `false` when the queue had nothing for us. Public so tests and
/// the CLI can drain the queue deterministically.
pub async fn run_one(app: &Platform, handlers: &Handlers, worker: &str, lease_ms: i64) -> AppResult<bool> {
    let job = {
        let mut c = app.db.conn().await?;
        q::claim(&mut c, app.db.backend(), worker, app.now(), lease_ms).await?
    };
    let Some(job) = job else { return Ok(false) };
    let id = job.id.clone();
    let attempts = job.attempts;
    let max = job.max_attempts;
    let kind = job.kind.clone();
    let result = match handlers.0.get(kind.as_str()) {
        Some(h) => {
            let fut = h(job);
            // A panicking handler fails its job instead of killing the worker.
            match tokio::spawn(fut).await {
                Ok(r) => r,
                Err(_) => Err(JobError::Transient("the handler panicked".into())),
            }
        }
        None => Err(JobError::Permanent(format!("no handler for job kind {kind}"))),
    };
    let now = app.now();
    let mut c = app.db.conn().await?;
    match result {
        Ok(()) => {
            q::complete(&mut c, &id, worker, now).await?;
            app.metrics.jobs_done.fetch_add(1, Ordering::Relaxed);
        }
        Err(e) => {
            app.metrics.jobs_failed.fetch_add(1, Ordering::Relaxed);
            let (msg, retry) = match e {
                JobError::Transient(m) if attempts < max => (m, Some(now.plus_millis(backoff_ms(attempts)))),
                JobError::RetryAfter(m, ms) if attempts < max => (m, Some(now.plus_millis(ms.max(1)))),
                JobError::Transient(m) | JobError::Permanent(m) | JobError::RetryAfter(m, _) => (m, None),
            };
            tracing::warn!(job = %id, kind = %kind, attempts, dead = retry.is_none(), error = %msg, "job failed");
            q::fail(&mut c, &id, worker, &msg, retry, now).await?;
        }
    }
    Ok(true)
}

/// Starts the worker tasks; they stop when `shutdown` flips to true.
pub fn spawn_workers(
    app: Platform,
    handlers: Handlers,
    cfg: WorkerConfig,
    shutdown: tokio::sync::watch::Receiver<bool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let node = frontdesk_core::JobId::new();
    (0..cfg.workers)
        .map(|i| {
            let app = app.clone();
            let handlers = handlers.clone();
            let mut shutdown = shutdown.clone();
            let worker = format!("{node}/{i}");
            tokio::spawn(async move {
                loop {
                    if *shutdown.borrow() {
                        break;
                    }
                    let notified = app.jobs_notify.notified();
                    match run_one(&app, &handlers, &worker, cfg.lease_ms).await {
                        Ok(true) => continue,
                        Ok(false) => {}
                        Err(e) => tracing::warn!(error = %e, "job queue unavailable"),
                    }
                    tokio::select! {
                        _ = notified => {}
                        _ = tokio::time::sleep(Duration::from_millis(cfg.idle_poll_ms)) => {}
                        _ = shutdown.changed() => {}
                    }
                }
            })
        })
        .collect()
}

/// On SQLite there is exactly one node, so at start-up any job marked running belonged to a
/// process that died: hand it back at once instead of waiting for its lease.
pub async fn recover_after_crash(app: &Platform) -> AppResult<u64> {
    if app.db.backend() != Backend::Sqlite {
        return Ok(0);
    }
    let mut c = app.db.conn().await?;
    Ok(q::release_running(&mut c).await?)
}

// ---- scheduler ----

pub const MAINTENANCE: &str = "maintenance.purge";

/// A periodic task: its schedule name, the job kind it enqueues, and its interval.
#[derive(Clone, Copy, Debug)]
pub struct Schedule {
    pub name: &'static str,
    pub kind: &'static str,
    pub every_ms: i64,
}

/// The platform's periodic tasks.
pub const SCHEDULES: &[Schedule] = &[Schedule { name: "maintenance", kind: MAINTENANCE, every_ms: Timestamp::HOUR }];

/// Enqueues every periodic task of `schedules` that is due. Safe on many nodes: a
/// compare-and-set on the schedule row lets exactly one node enqueue each run.
pub async fn tick_scheduler(app: &Platform, schedules: &[Schedule]) -> AppResult<usize> {
    let now = app.now();
    let mut c = app.db.conn().await?;
    for s in schedules {
        q::ensure_schedule(&mut c, s.name, now).await?;
    }
    let mut n = 0;
    for (name, expected) in q::due_schedules(&mut c, now).await? {
        let Some(Schedule { kind, every_ms: every, .. }) = schedules.iter().find(|s| s.name == name) else {
            continue;
        };
        if q::advance_schedule(&mut c, &name, expected, now.plus_millis(*every)).await? {
            let key = format!("schedule:{name}:{expected}");
            enqueue_with_id(app, &mut c, &JobId::new(), kind, "", Some(&key), 3).await?;
            n += 1;
        }
    }
    Ok(n)
}

pub fn spawn_scheduler(
    app: Platform,
    schedules: Vec<Schedule>,
    every: Duration,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(e) = tick_scheduler(&app, &schedules).await {
                tracing::warn!(error = %e, "scheduler tick failed");
            }
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = shutdown.changed() => { if *shutdown.borrow() { break; } }
            }
        }
    })
}

/// Purges expired sessions and tokens, finished jobs after 7 days, and anonymises the IP
/// addresses in audit entries older than 90 days.
pub async fn maintenance(app: Platform, _job: Job) -> Result<(), JobError> {
    let now = app.now();
    let run = async {
        let mut c = app.db.conn().await?;
        let a = crate::repo::users::purge_expired(&mut c, now).await?;
        let b = q::purge_finished(&mut c, now.plus_millis(-7 * Timestamp::DAY)).await?;
        let d = crate::repo::audit::anonymise_before(&mut c, now.plus_millis(-90 * Timestamp::DAY)).await?;
        let e = crate::profile::purge_retired_slugs(&mut c, now).await?;
        Ok::<_, frontdesk_store::SqlError>((a, b, d, e))
    };
    let (a, b, d, e) = run.await.map_err(|e| JobError::Transient(e.to_string()))?;
    tracing::info!(
        expired_credentials = a,
        finished_jobs = b,
        anonymised_audit_ips = d,
        retired_slugs = e,
        "maintenance done"
    );
    Ok(())
}

/// Jobs per status, for metrics.
pub async fn queue_depth(c: &mut Conn) -> Result<Vec<(String, i64)>, frontdesk_store::SqlError> {
    q::counts(c).await
}
