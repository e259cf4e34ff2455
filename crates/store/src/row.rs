//! Small helpers every area's queries share: optional columns, and statements for operator
//! tooling and tests. The queries themselves live in the areas that own their tables.

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{Any, AnyConnection, Row};

/// A query with its bound parameters, ready to run.
pub type Query<'q> = sqlx::query::Query<'q, Any, AnyArguments<'q>>;

/// A row type built from a query's columns. Building can fail: a column holding an enum is
/// parsed into the enum, and an unknown value is an error, never a silent default.
pub trait FromRow: Sized {
    fn from_row(r: &AnyRow) -> sqlx::Result<Self>;
}

/// The row a query finds, if any.
pub async fn optional<T: FromRow>(c: &mut AnyConnection, q: Query<'_>) -> sqlx::Result<Option<T>> {
    q.fetch_optional(c).await?.as_ref().map(T::from_row).transpose()
}

/// Every row a query finds, in its order.
pub async fn all<T: FromRow>(c: &mut AnyConnection, q: Query<'_>) -> sqlx::Result<Vec<T>> {
    q.fetch_all(c).await?.iter().map(T::from_row).collect()
}

/// Whether a statement changed exactly one row (an update or delete by id).
pub async fn one_changed(c: &mut AnyConnection, q: Query<'_>) -> sqlx::Result<bool> {
    Ok(q.execute(c).await?.rows_affected() == 1)
}

/// A TEXT column parsed into an enum (`parse` is the enum's own parser).
pub fn parsed<T>(r: &AnyRow, col: &str, parse: impl Fn(&str) -> Option<T>) -> sqlx::Result<T> {
    let raw: String = r.try_get(col)?;
    parse(&raw).ok_or_else(|| sqlx::Error::ColumnDecode {
        index: col.to_string(),
        source: format!("unknown value {raw:?}").into(),
    })
}

/// An optional BIGINT column (`None` for NULL or a missing column).
pub fn opt_i64(r: &AnyRow, col: &str) -> Option<i64> {
    r.try_get::<Option<i64>, _>(col).ok().flatten()
}

/// An optional TEXT column.
pub fn opt_str(r: &AnyRow, col: &str) -> Option<String> {
    r.try_get::<Option<String>, _>(col).ok().flatten()
}

/// Runs one statement without parameters (operator tooling and tests: `CREATE DATABASE`).
pub async fn raw_execute(c: &mut sqlx::AnyConnection, sql: &str) -> sqlx::Result<u64> {
    use sqlx::Executor;
    Ok(c.execute(sql).await?.rows_affected())
}

/// Every row of a table as text (PostgreSQL: `row_to_json`; SQLite: `quote()` of each column).
/// Used by the privacy tests to search stored bytes for secrets.
pub async fn dump_table_as_text(db: &crate::Db, table: &str) -> sqlx::Result<String> {
    if !table.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(sqlx::Error::Protocol("bad table name".into()));
    }
    let sql = match db.backend() {
        crate::Backend::Postgres => format!("SELECT row_to_json(t)::text FROM {table} t"),
        crate::Backend::Sqlite => {
            let cols: Vec<String> = db
                .columns()
                .await?
                .into_iter()
                .filter(|(t, _)| t == table)
                .map(|(_, c)| format!("quote({c})"))
                .collect();
            format!("SELECT {} FROM {table}", cols.join(" || ',' || "))
        }
    };
    let rows = sqlx::query(&sql).fetch_all(db.pool()).await?;
    Ok(rows.iter().map(|r| r.get::<String, _>(0)).collect::<Vec<_>>().join("\n"))
}
