//! The one error type of the use cases: a kind (which the web layer maps to a status), a
//! stable machine code and a sentence for people.

use frontdesk_core::Invalid;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Invalid,
    Unauthenticated,
    Forbidden,
    NotFound,
    Conflict,
    Gone,
    /// The body or file is larger than allowed (413).
    TooLarge,
    /// A file type we do not accept (415).
    UnsupportedMedia,
    RateLimited {
        retry_after_secs: u64,
    },
    Unavailable,
    Internal,
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("{code}: {message}")]
pub struct AppError {
    pub kind: ErrorKind,
    pub code: &'static str,
    pub message: String,
    /// The form field the error concerns, when there is one.
    pub field: Option<&'static str>,
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn new(kind: ErrorKind, code: &'static str, message: impl Into<String>) -> Self {
        Self { kind, code, message: message.into(), field: None }
    }
    pub fn invalid(field: &'static str, code: &'static str, message: impl Into<String>) -> Self {
        Self { kind: ErrorKind::Invalid, code, message: message.into(), field: Some(field) }
    }
    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorKind::NotFound, "not_found", format!("{what} was not found."))
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Forbidden, "forbidden", message)
    }
    pub fn unauthenticated() -> Self {
        Self::new(ErrorKind::Unauthenticated, "unauthenticated", "Sign in to continue.")
    }
    pub fn rate_limited(retry_after_secs: u64) -> Self {
        Self::new(
            ErrorKind::RateLimited { retry_after_secs },
            "rate_limited",
            format!("Too many attempts. Try again in {retry_after_secs} seconds."),
        )
    }
    /// A stored value our own code could not have written (an unknown enum value): logged with
    /// where it was found, answered as an internal error, never replaced by a guess.
    pub fn corrupt(what: &str, value: &str) -> Self {
        tracing::error!(column = what, value, "a stored value is not one this version knows");
        Self::internal()
    }
    pub fn internal() -> Self {
        Self::new(ErrorKind::Internal, "internal", "Something went wrong on our side; it has been logged.")
    }
}

impl From<Invalid> for AppError {
    fn from(i: Invalid) -> Self {
        Self::invalid(i.field, i.code, i.message)
    }
}

impl From<frontdesk_store::SqlError> for AppError {
    fn from(e: frontdesk_store::SqlError) -> Self {
        tracing::error!(error = %e, "database error");
        if database_unreachable(&e) {
            Self::new(
                ErrorKind::Unavailable,
                "database_unavailable",
                "The database is not answering; try again shortly.",
            )
        } else {
            // The database answered and refused the statement: our bug, not an outage, so a
            // client is not told to retry what will fail again.
            Self::internal()
        }
    }
}

/// Whether an error means the database could not be reached or is overloaded (worth a retry),
/// as opposed to a statement it refused.
fn database_unreachable(e: &frontdesk_store::SqlError) -> bool {
    use frontdesk_store::SqlError as E;
    match e {
        E::Io(_) | E::Tls(_) | E::PoolTimedOut | E::PoolClosed | E::WorkerCrashed | E::Protocol(_) => true,
        E::Database(d) => {
            let code = d.code().unwrap_or_default();
            // PostgreSQL: connection exceptions (08), insufficient resources (53), operator
            // intervention (57: shutdown, cancelled), serialization/deadlock (40).
            // SQLite: BUSY (5), LOCKED (6), IOERR (10), FULL (13), CANTOPEN (14), and their
            // extended codes (the primary code is the low byte).
            // A SQLSTATE has five characters; SQLite's codes have at most four digits.
            if code.len() == 5 {
                ["08", "53", "57", "40"].iter().any(|p| code.starts_with(p))
            } else {
                matches!(code.parse::<i64>().map(|n| n & 0xff), Ok(5 | 6 | 10 | 13 | 14))
            }
        }
        _ => false,
    }
}
