//! The personal-data registry's terms: every column of the schema is declared, personal or not,
//! with its category, what erasure does to it and how long it is kept. Each area declares its
//! own slice (`<area>::pii::SLICE`); a test compares all slices with the live schema and fails
//! on any column missing from them.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    /// Who someone is: name, email, phone.
    Identity,
    /// Credentials and their derivatives: password hashes, 2FA secrets.
    Credential,
    /// IP addresses, user agents: kept for security auditing only.
    SecurityMetadata,
    /// What customers wrote and sent: message text, media, provider payloads, notes about them.
    Content,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Erasure {
    /// The row goes when the person is erased.
    DeleteRow,
    /// The value is replaced by a placeholder; the row stays for integrity.
    Anonymise,
    /// Cleared to NULL.
    Clear,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retention {
    /// While the account exists; purged within 30 days of deletion.
    Account,
    /// Until the row expires (sessions, tokens), then purged by the scheduler.
    UntilExpiry,
    /// Anonymised after 90 days.
    Days90,
    /// Customer data a workspace holds as processor: kept while the workspace keeps it, erased
    /// on a data-subject request or with the workspace.
    Workspace,
    /// Raw provider deliveries: purged after `inbox.raw_event_days` (default 30).
    RawEvents,
    /// Financial records: kept 7 years from the end of the fiscal (calendar) year they belong
    /// to, whatever else is erased, then purged by a scheduled job.
    Legal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Personal(Category, Erasure, Retention),
    /// Ids, codes, times, hashes of random tokens: no personal data.
    NotPersonal,
}

/// One row of the registry: (table, column, class).
pub type Entry = (&'static str, &'static str, Class);

/// The class of a column, looked up in every area's slice of the registry (each area declares
/// the columns of its own tables, and of the columns it adds to other areas' tables).
pub fn class_in(slices: &[&[Entry]], table: &str, column: &str) -> Option<Class> {
    slices.iter().flat_map(|s| s.iter()).find(|(t, c, _)| *t == table && *c == column).map(|(_, _, k)| *k)
}
