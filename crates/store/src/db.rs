//! Connection, pragmas, migrations, write transactions and backups.

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor, Row};
use std::str::FromStr;
use std::time::Duration;

/// SQLite's `secure_delete` on every connection (zeroing what is deleted or overwritten, so an
/// erased person's data does not linger in free pages). Always on in the server; only the
/// ingest benchmark turns it off, to measure what it costs.
pub static SECURE_DELETE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL {0:?}: use sqlite://path/to/file.db or postgres://user@host/db")]
    UnsupportedUrl(String),
    #[error("cannot open the database: {0}")]
    Connect(sqlx::Error),
    #[error("migration {version} ({name}) failed: {source}")]
    Migration { version: i64, name: &'static str, source: sqlx::Error },
    #[error("{0}")]
    Duplicate(String),
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
}

/// A write transaction. On SQLite it also holds the process's write gate, so writers queue in
/// order instead of polling SQLite's lock with growing sleeps (`busy_timeout`), which made a
/// webhook wait up to 100 ms behind an intake batch.
pub struct Tx {
    inner: sqlx::Transaction<'static, Any>,
    _gate: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl std::ops::Deref for Tx {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &Self::Target {
        &self.inner
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.inner
    }
}

impl Tx {
    pub async fn commit(self) -> sqlx::Result<()> {
        let Tx { inner, _gate } = self;
        inner.commit().await
    }
    pub async fn rollback(self) -> sqlx::Result<()> {
        let Tx { inner, _gate } = self;
        inner.rollback().await
    }
}

/// The database handle shared by every service.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    gate: std::sync::Arc<tokio::sync::Mutex<()>>,
}

/// One schema change of an area. Versions are one global order across all areas (a new
/// migration takes the next free number, whichever area it belongs to); files are named
/// `<version>_<area>_<what>.sql`.
#[derive(Clone, Copy, Debug)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every area's migrations in one order; two with the same version are a programming error.
pub fn ordered(sets: &[&[Migration]]) -> Result<Vec<Migration>, String> {
    let mut all: Vec<Migration> = sets.iter().flat_map(|s| s.iter().copied()).collect();
    all.sort_by_key(|m| m.version);
    for w in all.windows(2) {
        if w[0].version == w[1].version {
            return Err(format!("two migrations have version {}: {} and {}", w[0].version, w[0].name, w[1].name));
        }
    }
    Ok(all)
}

impl Db {
    /// Which backend a URL names; refuses anything else so a typo never creates a stray file.
    pub fn backend_of(url: &str) -> Result<Backend, DbError> {
        let lower = url.to_ascii_lowercase();
        if lower.starts_with("sqlite:") {
            let path = url["sqlite:".len()..].trim_start_matches("//");
            let path = path.split('?').next().unwrap_or("");
            if path.is_empty() {
                return Err(DbError::UnsupportedUrl(url.to_string()));
            }
            Ok(Backend::Sqlite)
        } else if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(DbError::UnsupportedUrl(url.to_string()))
        }
    }

    /// Connects (creating the SQLite file and its folder if missing) and sets the pragmas.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        let backend = Self::backend_of(url)?;
        let url = match backend {
            Backend::Sqlite => {
                let path = url["sqlite:".len()..].trim_start_matches("//");
                let file = path.split('?').next().unwrap_or("");
                if let Some(dir) = std::path::Path::new(file).parent() {
                    if !dir.as_os_str().is_empty() {
                        std::fs::create_dir_all(dir).map_err(|e| DbError::Connect(sqlx::Error::Io(e)))?;
                    }
                }
                if path.contains('?') {
                    format!("sqlite://{path}")
                } else {
                    format!("sqlite://{path}?mode=rwc")
                }
            }
            Backend::Postgres => url.to_string(),
        };
        let opts = AnyConnectOptions::from_str(&url).map_err(DbError::Connect)?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections.max(2))
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        // Deleted and overwritten content is zeroed in the file, so an erased
                        // person's data is not left in free pages (the privacy area truncates
                        // the write-ahead log after an erasure).
                        if SECURE_DELETE.load(std::sync::atomic::Ordering::Relaxed) {
                            conn.execute("PRAGMA secure_delete = ON").await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(opts)
            .await
            .map_err(DbError::Connect)?;
        Ok(Self { pool, backend, gate: Default::default() })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A pooled connection for reads and single-statement writes.
    pub async fn conn(&self) -> sqlx::Result<sqlx::pool::PoolConnection<Any>> {
        self.pool.acquire().await
    }

    /// A write transaction. On SQLite it takes the write lock up front (`BEGIN IMMEDIATE`) so a
    /// read-then-write transaction never fails to upgrade under WAL.
    pub async fn begin(&self) -> sqlx::Result<Tx> {
        match self.backend {
            Backend::Sqlite => {
                let gate = self.gate.clone().lock_owned().await;
                Ok(Tx { inner: self.pool.begin_with("BEGIN IMMEDIATE").await?, _gate: Some(gate) })
            }
            Backend::Postgres => Ok(Tx { inner: self.pool.begin().await?, _gate: None }),
        }
    }

    /// Serialises writers of one logical stream (an audit chain) inside a transaction.
    /// SQLite transactions already hold the single write lock.
    pub async fn lock_stream(&self, tx: &mut sqlx::AnyConnection, key: &str) -> sqlx::Result<()> {
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))").bind(key).execute(&mut *tx).await?;
        }
        Ok(())
    }

    /// Applies every migration of `sets` not yet applied, in version order, each in its own
    /// transaction.
    pub async fn migrate(&self, sets: &[&[Migration]]) -> Result<usize, DbError> {
        let migrations = ordered(sets).map_err(DbError::Duplicate)?;
        let mut conn = self.pool.acquire().await?;
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
        )
        .await?;
        drop(conn);
        let mut applied = 0;
        for Migration { version, name, sql } in migrations {
            let mut tx = self.begin().await?;
            if self.backend == Backend::Postgres {
                // Two nodes starting together must not both migrate.
                sqlx::query("SELECT pg_advisory_xact_lock(7231001)").execute(&mut *tx).await?;
            }
            let done: Option<i64> = sqlx::query("SELECT version FROM schema_migrations WHERE version = $1")
                .bind(version)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.get(0));
            if done.is_some() {
                continue;
            }
            for stmt in split_statements(sql, self.backend) {
                (&mut *tx).execute(stmt.as_str()).await.map_err(|source| DbError::Migration {
                    version,
                    name,
                    source,
                })?;
            }
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or(0);
            sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                .bind(version)
                .bind(name)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            applied += 1;
        }
        Ok(applied)
    }

    /// PostgreSQL `NOTIFY` (for the nodes' `LISTEN`); a no-op on SQLite, where one process
    /// holds the database.
    pub async fn notify(&self, channel: &str, payload: &str) -> sqlx::Result<()> {
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_notify($1, $2)").bind(channel).bind(payload).execute(&self.pool).await?;
        }
        Ok(())
    }

    /// `true` when a trivial query succeeds.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// A consistent copy of an SQLite database (`VACUUM INTO`). PostgreSQL is backed up with
    /// `pg_dump` (see the README).
    pub async fn backup_to(&self, path: &str) -> Result<(), DbError> {
        match self.backend {
            Backend::Sqlite => {
                sqlx::query("VACUUM INTO $1").bind(path).execute(&self.pool).await?;
                Ok(())
            }
            Backend::Postgres => Err(DbError::UnsupportedUrl("backup of PostgreSQL: use pg_dump (see README)".into())),
        }
    }

    /// Every (table, column) of the schema, for the personal-data registry check.
    pub async fn columns(&self) -> sqlx::Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        match self.backend {
            Backend::Sqlite => {
                let tables =
                    sqlx::query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                        .fetch_all(&self.pool)
                        .await?;
                for t in tables {
                    let table: String = t.get(0);
                    let cols = sqlx::query(&format!("SELECT name FROM pragma_table_info('{table}')"))
                        .fetch_all(&self.pool)
                        .await?;
                    for c in cols {
                        out.push((table.clone(), c.get::<String, _>(0)));
                    }
                }
            }
            Backend::Postgres => {
                let rows = sqlx::query(
                    "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = current_schema()",
                )
                .fetch_all(&self.pool)
                .await?;
                for r in rows {
                    out.push((r.get(0), r.get(1)));
                }
            }
        }
        Ok(out)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Splits a migration file on `;` at line ends, dropping comments. A line `-- only: sqlite`
/// or `-- only: postgres` makes the statements after it apply to that backend alone (for the
/// few changes the two cannot share, such as a column's type); `-- only: all` ends that.
fn split_statements(sql: &str, backend: Backend) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut applies = true;
    for line in sql.lines() {
        let t = line.trim();
        if let Some(which) = t.strip_prefix("-- only:") {
            applies = match which.trim() {
                "sqlite" => backend == Backend::Sqlite,
                "postgres" => backend == Backend::Postgres,
                _ => true,
            };
            continue;
        }
        if t.starts_with("--") || t.is_empty() || !applies {
            continue;
        }
        cur.push_str(line);
        cur.push('\n');
        if t.ends_with(';') {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_migrations_with_one_version_are_refused() {
        let a = [Migration { version: 1, name: "platform", sql: "" }, Migration { version: 3, name: "x", sql: "" }];
        let b = [Migration { version: 2, name: "inbox", sql: "" }];
        let order: Vec<i64> = ordered(&[&b, &a]).unwrap().iter().map(|m| m.version).collect();
        assert_eq!(order, [1, 2, 3]);
        let c = [Migration { version: 2, name: "bookings", sql: "" }];
        assert!(ordered(&[&a, &b, &c]).unwrap_err().contains("version 2"));
    }

    #[test]
    fn backend_sections_apply_to_their_backend_only() {
        let sql = "CREATE TABLE a (x TEXT);\n-- only: sqlite\nSELECT 1;\n-- only: postgres\nSELECT 2;\n-- only: all\nSELECT 3;\n";
        let s = split_statements(sql, Backend::Sqlite);
        assert_eq!(
            s.iter().map(|x| x.trim()).collect::<Vec<_>>(),
            ["CREATE TABLE a (x TEXT);", "SELECT 1;", "SELECT 3;"]
        );
        let p = split_statements(sql, Backend::Postgres);
        assert_eq!(
            p.iter().map(|x| x.trim()).collect::<Vec<_>>(),
            ["CREATE TABLE a (x TEXT);", "SELECT 2;", "SELECT 3;"]
        );
    }
}
