//! Queries, one module per table family. Every function takes a connection (a pooled one or a
//! transaction), and every tenant query takes the `WorkspaceId` it is confined to.

pub mod audit;
pub mod jobs;
pub mod users;
pub mod workspaces;

use sqlx::any::AnyRow;
use sqlx::Row;

pub(crate) fn opt_i64(r: &AnyRow, col: &str) -> Option<i64> {
    r.try_get::<Option<i64>, _>(col).ok().flatten()
}

pub(crate) fn opt_str(r: &AnyRow, col: &str) -> Option<String> {
    r.try_get::<Option<String>, _>(col).ok().flatten()
}

/// Runs one statement without parameters (operator tooling and tests: `CREATE DATABASE`).
pub async fn raw_execute(c: &mut sqlx::AnyConnection, sql: &str) -> sqlx::Result<u64> {
    use sqlx::Executor;
    Ok(c.execute(sql).await?.rows_affected())
}
