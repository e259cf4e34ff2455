//! The personal-data registry: every column of the schema is declared here, personal or not,
//! with its category, what erasure does to it and how long it is kept. A test compares this
//! list with the live schema and fails on any column missing from it.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    /// Who someone is: name, email, phone.
    Identity,
    /// Credentials and their derivatives: password hashes, 2FA secrets.
    Credential,
    /// IP addresses, user agents: kept for security auditing only.
    SecurityMetadata,
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
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Personal(Category, Erasure, Retention),
    /// Ids, codes, times, hashes of random tokens: no personal data.
    NotPersonal,
}

use Category::*;
use Class::*;
use Erasure::*;
use Retention::*;

/// (table, column, class) for every column.
pub const REGISTRY: &[(&str, &str, Class)] = &[
    ("schema_migrations", "version", NotPersonal),
    ("schema_migrations", "name", NotPersonal),
    ("schema_migrations", "applied_at", NotPersonal),
    ("users", "id", NotPersonal),
    ("users", "email", Personal(Identity, Anonymise, Account)),
    ("users", "name", Personal(Identity, Anonymise, Account)),
    ("users", "password_hash", Personal(Credential, Clear, Account)),
    ("users", "email_verified_at", NotPersonal),
    ("users", "is_operator", NotPersonal),
    ("users", "suspended_at", NotPersonal),
    ("users", "totp_secret", Personal(Credential, Clear, Account)),
    ("users", "totp_enabled_at", NotPersonal),
    ("users", "totp_last_step", NotPersonal),
    ("users", "created_at", NotPersonal),
    ("users", "updated_at", NotPersonal),
    ("recovery_codes", "id", NotPersonal),
    ("recovery_codes", "user_id", NotPersonal),
    ("recovery_codes", "code_hash", Personal(Credential, DeleteRow, Account)),
    ("recovery_codes", "used_at", NotPersonal),
    ("recovery_codes", "created_at", NotPersonal),
    ("sessions", "id", NotPersonal),
    ("sessions", "user_id", NotPersonal),
    ("sessions", "token_hash", NotPersonal),
    ("sessions", "mfa_pending", NotPersonal),
    ("sessions", "ip", Personal(SecurityMetadata, DeleteRow, UntilExpiry)),
    ("sessions", "user_agent", Personal(SecurityMetadata, DeleteRow, UntilExpiry)),
    ("sessions", "current_workspace_id", NotPersonal),
    ("sessions", "created_at", NotPersonal),
    ("sessions", "last_seen_at", NotPersonal),
    ("sessions", "expires_at", NotPersonal),
    ("sessions", "revoked_at", NotPersonal),
    ("email_tokens", "id", NotPersonal),
    ("email_tokens", "user_id", NotPersonal),
    ("email_tokens", "purpose", NotPersonal),
    ("email_tokens", "token_hash", NotPersonal),
    ("email_tokens", "expires_at", NotPersonal),
    ("email_tokens", "used_at", NotPersonal),
    ("email_tokens", "created_at", NotPersonal),
    ("workspaces", "id", NotPersonal),
    ("workspaces", "name", NotPersonal),
    ("workspaces", "data_role", NotPersonal),
    ("workspaces", "suspended_at", NotPersonal),
    ("workspaces", "created_at", NotPersonal),
    ("workspaces", "updated_at", NotPersonal),
    ("memberships", "workspace_id", NotPersonal),
    ("memberships", "user_id", NotPersonal),
    ("memberships", "role", NotPersonal),
    ("memberships", "created_at", NotPersonal),
    ("invitations", "id", NotPersonal),
    ("invitations", "workspace_id", NotPersonal),
    ("invitations", "email", Personal(Identity, Anonymise, UntilExpiry)),
    ("invitations", "role", NotPersonal),
    ("invitations", "token_hash", NotPersonal),
    ("invitations", "invited_by", NotPersonal),
    ("invitations", "expires_at", NotPersonal),
    ("invitations", "accepted_at", NotPersonal),
    ("invitations", "accepted_by", NotPersonal),
    ("invitations", "revoked_at", NotPersonal),
    ("invitations", "created_at", NotPersonal),
    ("api_tokens", "id", NotPersonal),
    ("api_tokens", "workspace_id", NotPersonal),
    ("api_tokens", "name", NotPersonal),
    ("api_tokens", "role", NotPersonal),
    ("api_tokens", "token_hash", NotPersonal),
    ("api_tokens", "prefix", NotPersonal),
    ("api_tokens", "created_by", NotPersonal),
    ("api_tokens", "created_at", NotPersonal),
    ("api_tokens", "last_used_at", NotPersonal),
    ("api_tokens", "revoked_at", NotPersonal),
    ("audit_log", "id", NotPersonal),
    ("audit_log", "chain", NotPersonal),
    ("audit_log", "seq", NotPersonal),
    ("audit_log", "at", NotPersonal),
    ("audit_log", "actor_kind", NotPersonal),
    ("audit_log", "actor_id", NotPersonal),
    ("audit_log", "action", NotPersonal),
    ("audit_log", "target_kind", NotPersonal),
    ("audit_log", "target_id", NotPersonal),
    ("audit_log", "outcome", NotPersonal),
    ("audit_log", "ip", Personal(SecurityMetadata, Clear, Days90)),
    ("audit_log", "prev_hash", NotPersonal),
    ("audit_log", "hash", NotPersonal),
    ("jobs", "id", NotPersonal),
    ("jobs", "kind", NotPersonal),
    // Mail jobs carry recipients and links; the payload is sealed by the vault and cleared
    // when the job finishes.
    ("jobs", "payload", Personal(Identity, Clear, UntilExpiry)),
    ("jobs", "status", NotPersonal),
    ("jobs", "dedupe_key", NotPersonal),
    ("jobs", "run_at", NotPersonal),
    ("jobs", "attempts", NotPersonal),
    ("jobs", "max_attempts", NotPersonal),
    ("jobs", "locked_by", NotPersonal),
    ("jobs", "locked_until", NotPersonal),
    ("jobs", "last_error", NotPersonal),
    ("jobs", "created_at", NotPersonal),
    ("jobs", "finished_at", NotPersonal),
    ("schedules", "name", NotPersonal),
    ("schedules", "next_run_at", NotPersonal),
];

/// The class of a column, if declared.
pub fn class_of(table: &str, column: &str) -> Option<Class> {
    REGISTRY.iter().find(|(t, c, _)| *t == table && *c == column).map(|(_, _, k)| *k)
}
