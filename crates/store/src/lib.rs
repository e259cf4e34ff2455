//! Frontdesk's storage layer: connects to SQLite or PostgreSQL through one driver, runs the
//! migrations the areas hand it in one global order, and offers small row helpers. It holds
//! no business SQL: each area owns its tables and queries. Queries are written once in the SQL
//! subset both backends share; the few backend-specific statements live in [`Db`] methods.

mod db;
pub mod row;

pub use db::{Backend, Db, DbError, Migration, Tx, SECURE_DELETE};
pub use sqlx::postgres::PgListener;
pub use sqlx::AnyConnection as Conn;
pub use sqlx::Error as SqlError;

/// `true` when the error is a unique-constraint violation (a duplicate insert).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// An exclusion constraint refused the row (PostgreSQL `23P01`: two bookings of one resource
/// at once).
pub fn is_exclusion_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.code().as_deref() == Some("23P01"))
}

pub type Result<T, E = sqlx::Error> = std::result::Result<T, E>;
