//! Users, their sessions, single-use email tokens and 2FA recovery codes.

use frontdesk_core::{SessionId, Timestamp, UserId, WorkspaceId};
use frontdesk_store::row::{self, opt_i64, opt_str};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

#[derive(Clone)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub email_verified_at: Option<i64>,
    pub is_operator: bool,
    pub suspended_at: Option<i64>,
    /// Encrypted by the vault; never plaintext.
    pub totp_secret: Option<String>,
    pub totp_enabled_at: Option<i64>,
    pub totp_last_step: Option<i64>,
    pub created_at: i64,
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("verified", &self.email_verified_at.is_some())
            .field("operator", &self.is_operator)
            .field("totp", &self.totp_enabled_at.is_some())
            .finish_non_exhaustive()
    }
}

const USER_COLS: &str = "id, email, name, password_hash, email_verified_at, is_operator, suspended_at, totp_secret, totp_enabled_at, totp_last_step, created_at";

fn user(r: &AnyRow) -> User {
    User {
        id: UserId::from_db(r.get("id")),
        email: r.get("email"),
        name: r.get("name"),
        password_hash: r.get("password_hash"),
        email_verified_at: opt_i64(r, "email_verified_at"),
        is_operator: r.get::<i64, _>("is_operator") != 0,
        suspended_at: opt_i64(r, "suspended_at"),
        totp_secret: opt_str(r, "totp_secret"),
        totp_enabled_at: opt_i64(r, "totp_enabled_at"),
        totp_last_step: opt_i64(r, "totp_last_step"),
        created_at: r.get("created_at"),
    }
}

pub struct NewUser<'a> {
    pub id: &'a UserId,
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub verified: bool,
    pub is_operator: bool,
    pub now: Timestamp,
}

pub async fn insert(c: &mut AnyConnection, u: NewUser<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO users (id, email, name, password_hash, email_verified_at, is_operator, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(u.id.as_str())
    .bind(u.email)
    .bind(u.name)
    .bind(u.password_hash)
    .bind(u.verified.then_some(u.now.0))
    .bind(i64::from(u.is_operator))
    .bind(u.now.0)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn by_email(c: &mut AnyConnection, email: &str) -> sqlx::Result<Option<User>> {
    Ok(sqlx::query(&format!("SELECT {USER_COLS} FROM users WHERE email = $1"))
        .bind(email)
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(user))
}

pub async fn by_id(c: &mut AnyConnection, id: &UserId) -> sqlx::Result<Option<User>> {
    Ok(sqlx::query(&format!("SELECT {USER_COLS} FROM users WHERE id = $1"))
        .bind(id.as_str())
        .fetch_optional(c)
        .await?
        .as_ref()
        .map(user))
}

pub async fn list(c: &mut AnyConnection, limit: i64) -> sqlx::Result<Vec<User>> {
    Ok(sqlx::query(&format!("SELECT {USER_COLS} FROM users ORDER BY created_at LIMIT $1"))
        .bind(limit)
        .fetch_all(c)
        .await?
        .iter()
        .map(user)
        .collect())
}

pub async fn set_verified(c: &mut AnyConnection, id: &UserId, now: Timestamp) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET email_verified_at = COALESCE(email_verified_at, $2), updated_at = $2 WHERE id = $1")
        .bind(id.as_str())
        .bind(now.0)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn set_password(c: &mut AnyConnection, id: &UserId, hash: &str, now: Timestamp) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1")
        .bind(id.as_str())
        .bind(hash)
        .bind(now.0)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn set_operator(c: &mut AnyConnection, id: &UserId, on: bool) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET is_operator = $2 WHERE id = $1")
        .bind(id.as_str())
        .bind(i64::from(on))
        .execute(c)
        .await?;
    Ok(())
}

pub async fn set_suspended(c: &mut AnyConnection, id: &UserId, at: Option<Timestamp>) -> sqlx::Result<bool> {
    row::one_changed(
        c,
        sqlx::query("UPDATE users SET suspended_at = $2 WHERE id = $1").bind(id.as_str()).bind(at.map(|t| t.0)),
    )
    .await
}

/// Stores a not-yet-confirmed TOTP secret (encrypted).
pub async fn set_totp_pending(c: &mut AnyConnection, id: &UserId, sealed: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET totp_secret = $2, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $1")
        .bind(id.as_str())
        .bind(sealed)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn enable_totp(c: &mut AnyConnection, id: &UserId, step: i64, now: Timestamp) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET totp_enabled_at = $2, totp_last_step = $3 WHERE id = $1")
        .bind(id.as_str())
        .bind(now.0)
        .bind(step)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn disable_totp(c: &mut AnyConnection, id: &UserId) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $1")
        .bind(id.as_str())
        .execute(&mut *c)
        .await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(id.as_str()).execute(c).await?;
    Ok(())
}

/// Records a used TOTP step; `false` when that step (or a later one) was already used, which
/// is the replay guard.
pub async fn claim_totp_step(c: &mut AnyConnection, id: &UserId, step: i64) -> sqlx::Result<bool> {
    row::one_changed(
        c,
        sqlx::query(
            "UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)",
        )
        .bind(id.as_str())
        .bind(step),
    )
    .await
}

pub async fn replace_recovery_codes(
    c: &mut AnyConnection,
    id: &UserId,
    hashes: &[String],
    now: Timestamp,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(id.as_str()).execute(&mut *c).await?;
    for h in hashes {
        sqlx::query("INSERT INTO recovery_codes (id, user_id, code_hash, created_at) VALUES ($1, $2, $3, $4)")
            .bind(UserId::new().as_str())
            .bind(id.as_str())
            .bind(h)
            .bind(now.0)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

/// Uses a recovery code once; `false` when unknown or already used.
pub async fn use_recovery_code(c: &mut AnyConnection, id: &UserId, hash: &str, now: Timestamp) -> sqlx::Result<bool> {
    let r =
        sqlx::query("UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL")
            .bind(id.as_str())
            .bind(hash)
            .bind(now.0)
            .execute(c)
            .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn unused_recovery_codes(c: &mut AnyConnection, id: &UserId) -> sqlx::Result<i64> {
    sqlx::query("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(id.as_str())
        .fetch_one(c)
        .await
        .map(|r| r.get(0))
}

// ---- sessions ----

#[derive(Clone, Debug)]
pub struct Session {
    pub id: SessionId,
    pub user_id: UserId,
    pub mfa_pending: bool,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub current_workspace_id: Option<WorkspaceId>,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
}

const SESSION_COLS: &str =
    "id, user_id, mfa_pending, ip, user_agent, current_workspace_id, created_at, last_seen_at, expires_at";

fn session(r: &AnyRow) -> Session {
    Session {
        id: SessionId::from_db(r.get("id")),
        user_id: UserId::from_db(r.get("user_id")),
        mfa_pending: r.get::<i64, _>("mfa_pending") != 0,
        ip: opt_str(r, "ip"),
        user_agent: opt_str(r, "user_agent"),
        current_workspace_id: opt_str(r, "current_workspace_id").map(WorkspaceId::from_db),
        created_at: r.get("created_at"),
        last_seen_at: r.get("last_seen_at"),
        expires_at: r.get("expires_at"),
    }
}

pub struct NewSession<'a> {
    pub id: &'a SessionId,
    pub user_id: &'a UserId,
    pub token_hash: &'a str,
    pub mfa_pending: bool,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    pub current_workspace_id: Option<&'a WorkspaceId>,
    pub now: Timestamp,
    pub expires_at: Timestamp,
}

pub async fn insert_session(c: &mut AnyConnection, s: NewSession<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sessions (id, user_id, token_hash, mfa_pending, ip, user_agent, current_workspace_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)",
    )
    .bind(s.id.as_str())
    .bind(s.user_id.as_str())
    .bind(s.token_hash)
    .bind(i64::from(s.mfa_pending))
    .bind(s.ip)
    .bind(s.user_agent)
    .bind(s.current_workspace_id.map(|w| w.as_str()))
    .bind(s.now.0)
    .bind(s.expires_at.0)
    .execute(c)
    .await?;
    Ok(())
}

/// The live session behind a token hash.
pub async fn session_by_hash(c: &mut AnyConnection, hash: &str, now: Timestamp) -> sqlx::Result<Option<Session>> {
    Ok(sqlx::query(&format!(
        "SELECT {SESSION_COLS} FROM sessions WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2"
    ))
    .bind(hash)
    .bind(now.0)
    .fetch_optional(c)
    .await?
    .as_ref()
    .map(session))
}

pub async fn touch_session(
    c: &mut AnyConnection,
    id: &SessionId,
    now: Timestamp,
    ip: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $2, ip = COALESCE($3, ip) WHERE id = $1")
        .bind(id.as_str())
        .bind(now.0)
        .bind(ip)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn set_session_workspace(c: &mut AnyConnection, id: &SessionId, ws: &WorkspaceId) -> sqlx::Result<()> {
    sqlx::query("UPDATE sessions SET current_workspace_id = $2 WHERE id = $1")
        .bind(id.as_str())
        .bind(ws.as_str())
        .execute(c)
        .await?;
    Ok(())
}

pub async fn sessions_of(c: &mut AnyConnection, user: &UserId, now: Timestamp) -> sqlx::Result<Vec<Session>> {
    Ok(sqlx::query(&format!(
        "SELECT {SESSION_COLS} FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 AND mfa_pending = 0 ORDER BY last_seen_at DESC"
    ))
    .bind(user.as_str())
    .bind(now.0)
    .fetch_all(c)
    .await?
    .iter()
    .map(session)
    .collect())
}

/// Revokes one of the user's sessions; `false` when it is not theirs or already gone.
pub async fn revoke_session(
    c: &mut AnyConnection,
    user: &UserId,
    id: &SessionId,
    now: Timestamp,
) -> sqlx::Result<bool> {
    row::one_changed(
        c,
        sqlx::query("UPDATE sessions SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL")
            .bind(id.as_str())
            .bind(user.as_str())
            .bind(now.0),
    )
    .await
}

/// Revokes every session of a user except `keep`; returns how many.
pub async fn revoke_all_sessions(
    c: &mut AnyConnection,
    user: &UserId,
    keep: Option<&SessionId>,
    now: Timestamp,
) -> sqlx::Result<u64> {
    let r = sqlx::query("UPDATE sessions SET revoked_at = $3 WHERE user_id = $1 AND revoked_at IS NULL AND id <> $2")
        .bind(user.as_str())
        .bind(keep.map(|k| k.as_str()).unwrap_or(""))
        .bind(now.0)
        .execute(c)
        .await?;
    Ok(r.rows_affected())
}

/// Deletes sessions and email tokens that expired or were revoked before `before`.
pub async fn purge_expired(c: &mut AnyConnection, before: Timestamp) -> sqlx::Result<u64> {
    let a = sqlx::query("DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1")
        .bind(before.0)
        .execute(&mut *c)
        .await?;
    let b = sqlx::query("DELETE FROM email_tokens WHERE expires_at < $1").bind(before.0).execute(&mut *c).await?;
    Ok(a.rows_affected() + b.rows_affected())
}

// ---- single-use email tokens (verification, password reset) ----

pub async fn insert_email_token(
    c: &mut AnyConnection,
    user: &UserId,
    purpose: &str,
    hash: &str,
    now: Timestamp,
    expires_at: Timestamp,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO email_tokens (id, user_id, purpose, token_hash, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(frontdesk_core::EmailTokenId::new().as_str())
    .bind(user.as_str())
    .bind(purpose)
    .bind(hash)
    .bind(expires_at.0)
    .bind(now.0)
    .execute(c)
    .await?;
    Ok(())
}

/// Marks a token used and returns its user, only if it exists, has this purpose, is unused
/// and has not expired. One statement, so two concurrent uses cannot both succeed.
pub async fn consume_email_token(
    c: &mut AnyConnection,
    purpose: &str,
    hash: &str,
    now: Timestamp,
) -> sqlx::Result<Option<UserId>> {
    Ok(sqlx::query(
        "UPDATE email_tokens SET used_at = $3 WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 RETURNING user_id",
    )
    .bind(hash)
    .bind(purpose)
    .bind(now.0)
    .fetch_optional(c)
    .await?
    .map(|r| UserId::from_db(r.get(0))))
}

/// Invalidates a user's other unused tokens of a purpose (a new reset link voids older ones).
pub async fn void_email_tokens(
    c: &mut AnyConnection,
    user: &UserId,
    purpose: &str,
    now: Timestamp,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE email_tokens SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL")
        .bind(user.as_str())
        .bind(purpose)
        .bind(now.0)
        .execute(c)
        .await?;
    Ok(())
}
