//! The durable job queue and the scheduler's table. Claiming is one statement per backend:
//! PostgreSQL skips rows other nodes hold (`FOR UPDATE SKIP LOCKED`); SQLite has one writer.

use frontdesk_core::{JobId, Timestamp};
use frontdesk_store::row::{self, opt_str, Table};
use frontdesk_store::Backend;
use sqlx::{AnyConnection, Row};

#[derive(Clone, Debug)]
pub struct Job {
    pub id: JobId,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
    pub max_attempts: i64,
}

pub struct NewJob<'a> {
    pub kind: &'a str,
    pub payload: &'a str,
    pub run_at: Timestamp,
    pub max_attempts: i64,
    /// A second job with the same key is not enqueued.
    pub dedupe_key: Option<&'a str>,
}

row::table!(Job in "jobs" { id, kind, payload, attempts, max_attempts });

/// Enqueues a job; `None` when a job with the same dedupe key exists.
pub async fn enqueue(c: &mut AnyConnection, id: &JobId, j: NewJob<'_>, now: Timestamp) -> sqlx::Result<Option<JobId>> {
    let sql = "INSERT INTO jobs (id, kind, payload, status, dedupe_key, run_at, attempts, max_attempts, created_at) \
               VALUES ($1, $2, $3, 'queued', $4, $5, 0, $6, $7) ON CONFLICT DO NOTHING";
    let new = row::one_changed(c, sql, (id, j.kind, j.payload, j.dedupe_key, j.run_at, j.max_attempts, now)).await?;
    Ok(new.then(|| id.clone()))
}

/// Takes the next due job (or one whose lease ran out because its worker died) for `worker`.
pub async fn claim(
    c: &mut AnyConnection,
    backend: Backend,
    worker: &str,
    now: Timestamp,
    lease_ms: i64,
) -> sqlx::Result<Option<Job>> {
    let skip = if backend == Backend::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
    let sql = format!(
        "UPDATE jobs SET status = 'running', locked_by = $1, locked_until = $2, attempts = attempts + 1 \
         WHERE id = (SELECT id FROM jobs WHERE (status = 'queued' AND run_at <= $3) OR (status = 'running' AND locked_until < $3) \
         ORDER BY run_at, id LIMIT 1{skip}) \
         RETURNING {}",
        Job::COLUMNS
    );
    row::optional(c, &sql, (worker, now.0 + lease_ms, now)).await
}

/// Marks a job done if `worker` still holds it; the payload is cleared (it may hold personal
/// data). Call it in the same transaction as the job's own writes.
pub async fn complete(c: &mut AnyConnection, id: &JobId, worker: &str, now: Timestamp) -> sqlx::Result<bool> {
    let sql = "UPDATE jobs SET status = 'done', finished_at = $3, payload = '', locked_by = NULL, locked_until = NULL \
               WHERE id = $1 AND locked_by = $2 AND status = 'running'";
    row::one_changed(c, sql, (id, worker, now)).await
}

/// Puts a failed job back for a later attempt, or marks it dead when `retry_at` is `None`.
pub async fn fail(
    c: &mut AnyConnection,
    id: &JobId,
    worker: &str,
    error: &str,
    retry_at: Option<Timestamp>,
    now: Timestamp,
) -> sqlx::Result<()> {
    let error: String = error.chars().take(1000).collect();
    let (set, at) = match retry_at {
        Some(at) => ("status = 'queued', run_at = $3", at),
        None => ("status = 'dead', finished_at = $3", now),
    };
    let sql = format!(
        "UPDATE jobs SET {set}, last_error = $4, locked_by = NULL, locked_until = NULL WHERE id = $1 AND locked_by = $2"
    );
    row::execute(c, &sql, (id, worker, at, error)).await
}

/// Number of jobs per status, for `/metrics` and the operator page.
pub async fn counts(c: &mut AnyConnection) -> sqlx::Result<Vec<(String, i64)>> {
    let sql = "SELECT status, COUNT(*) FROM jobs GROUP BY status ORDER BY status";
    row::all_with(c, sql, (), |r| Ok((r.get(0), r.get(1)))).await
}

/// Dead jobs for operators to see (kind, attempts, last error; never the payload).
pub async fn dead(c: &mut AnyConnection, limit: i64) -> sqlx::Result<Vec<(JobId, String, i64, Option<String>)>> {
    let sql =
        "SELECT id, kind, attempts, last_error FROM jobs WHERE status = 'dead' ORDER BY finished_at DESC LIMIT $1";
    row::all_with(c, sql, limit, |r| Ok((JobId::from_db(r.get(0)), r.get(1), r.get(2), opt_str(r, "last_error")))).await
}

/// Deletes finished jobs older than `before`.
pub async fn purge_finished(c: &mut AnyConnection, before: Timestamp) -> sqlx::Result<u64> {
    row::changed(c, "DELETE FROM jobs WHERE status = 'done' AND finished_at < $1", before).await
}

// ---- scheduler ----

/// Registers a periodic task if it is new.
pub async fn ensure_schedule(c: &mut AnyConnection, name: &str, first_run: Timestamp) -> sqlx::Result<()> {
    let sql = "INSERT INTO schedules (name, next_run_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";
    row::execute(c, sql, (name, first_run)).await
}

pub async fn due_schedules(c: &mut AnyConnection, now: Timestamp) -> sqlx::Result<Vec<(String, i64)>> {
    let sql = "SELECT name, next_run_at FROM schedules WHERE next_run_at <= $1";
    row::all_with(c, sql, now, |r| Ok((r.get(0), r.get(1)))).await
}

/// Moves a schedule forward only if no other node did (compare-and-set on `next_run_at`).
pub async fn advance_schedule(c: &mut AnyConnection, name: &str, expected: i64, next: Timestamp) -> sqlx::Result<bool> {
    let sql = "UPDATE schedules SET next_run_at = $3 WHERE name = $1 AND next_run_at = $2";
    row::one_changed(c, sql, (name, expected, next)).await
}

/// Hands every running job back to the queue (single-node restart after a crash).
pub async fn release_running(c: &mut AnyConnection) -> sqlx::Result<u64> {
    let sql = "UPDATE jobs SET status = 'queued', locked_by = NULL, locked_until = NULL WHERE status = 'running'";
    row::changed(c, sql, ()).await
}
