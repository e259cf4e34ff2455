//! Frontdesk's storage layer: connects to SQLite or PostgreSQL through one driver, runs the
//! single migration set, and holds every query. Queries are written once in the SQL subset
//! both backends share; the few backend-specific statements live in [`Db`] methods.

mod db;
pub mod repo;

pub use db::{Backend, Db, DbError, Tx};
pub use sqlx::postgres::PgListener;
pub use sqlx::AnyConnection as Conn;
pub use sqlx::Error as SqlError;

/// `true` when the error is a unique-constraint violation (a duplicate insert).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

pub type Result<T, E = sqlx::Error> = std::result::Result<T, E>;
