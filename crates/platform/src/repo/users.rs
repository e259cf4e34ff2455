//! Users, their sessions, single-use email tokens and 2FA recovery codes.

use frontdesk_core::{SessionId, Timestamp, UserId, WorkspaceId};
use frontdesk_store::row;
use sqlx::AnyConnection;

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
    /// The person's own language (`en`, `es`); none: their browser's.
    pub lang: Option<String>,
    /// Set when the account was erased (a tombstone: no email, name or credentials).
    pub erased_at: Option<i64>,
    /// A Google account's picture URL (kept, never fetched).
    pub picture_url: Option<String>,
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

row::table!(User in "users" {
    id, email, name, password_hash, email_verified_at, is_operator, suspended_at, totp_secret, totp_enabled_at,
    totp_last_step, created_at, lang, erased_at, picture_url
});

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
    let sql = "INSERT INTO users (id, email, name, password_hash, email_verified_at, is_operator, created_at, \
               updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)";
    let verified_at = u.verified.then_some(u.now.0);
    row::execute(c, sql, (u.id, u.email, u.name, u.password_hash, verified_at, u.is_operator, u.now)).await
}

pub async fn by_email(c: &mut AnyConnection, email: &str) -> sqlx::Result<Option<User>> {
    row::find(c, "WHERE email = $1", email).await
}

pub async fn by_id(c: &mut AnyConnection, id: &UserId) -> sqlx::Result<Option<User>> {
    row::find(c, "WHERE id = $1", id).await
}

pub async fn list(c: &mut AnyConnection, limit: i64) -> sqlx::Result<Vec<User>> {
    row::find_all(c, "ORDER BY created_at LIMIT $1", limit).await
}

pub async fn set_verified(c: &mut AnyConnection, id: &UserId, now: Timestamp) -> sqlx::Result<()> {
    let sql = "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $2), updated_at = $2 WHERE id = $1";
    row::execute(c, sql, (id, now)).await
}

pub async fn set_password(c: &mut AnyConnection, id: &UserId, hash: &str, now: Timestamp) -> sqlx::Result<()> {
    row::execute(c, "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1", (id, hash, now)).await
}

pub async fn set_operator(c: &mut AnyConnection, id: &UserId, on: bool) -> sqlx::Result<()> {
    row::execute(c, "UPDATE users SET is_operator = $2 WHERE id = $1", (id, on)).await
}

pub async fn set_suspended(c: &mut AnyConnection, id: &UserId, at: Option<Timestamp>) -> sqlx::Result<bool> {
    row::one_changed(c, "UPDATE users SET suspended_at = $2 WHERE id = $1", (id, at)).await
}

/// Stores a not-yet-confirmed TOTP secret (encrypted).
pub async fn set_totp_pending(c: &mut AnyConnection, id: &UserId, sealed: &str) -> sqlx::Result<()> {
    let sql = "UPDATE users SET totp_secret = $2, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $1";
    row::execute(c, sql, (id, sealed)).await
}

pub async fn enable_totp(c: &mut AnyConnection, id: &UserId, step: i64, now: Timestamp) -> sqlx::Result<()> {
    row::execute(c, "UPDATE users SET totp_enabled_at = $2, totp_last_step = $3 WHERE id = $1", (id, now, step)).await
}

pub async fn disable_totp(c: &mut AnyConnection, id: &UserId) -> sqlx::Result<()> {
    let sql = "UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $1";
    row::execute(&mut *c, sql, id).await?;
    row::execute(c, "DELETE FROM recovery_codes WHERE user_id = $1", id).await
}

/// Records a used TOTP step; `false` when that step (or a later one) was already used, which
/// is the replay guard.
pub async fn claim_totp_step(c: &mut AnyConnection, id: &UserId, step: i64) -> sqlx::Result<bool> {
    let sql = "UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)";
    row::one_changed(c, sql, (id, step)).await
}

pub async fn replace_recovery_codes(
    c: &mut AnyConnection,
    id: &UserId,
    hashes: &[String],
    now: Timestamp,
) -> sqlx::Result<()> {
    row::execute(&mut *c, "DELETE FROM recovery_codes WHERE user_id = $1", id).await?;
    let sql = "INSERT INTO recovery_codes (id, user_id, code_hash, created_at) VALUES ($1, $2, $3, $4)";
    for h in hashes {
        row::execute(&mut *c, sql, (&UserId::new(), id, h, now)).await?;
    }
    Ok(())
}

/// Uses a recovery code once; `false` when unknown or already used.
pub async fn use_recovery_code(c: &mut AnyConnection, id: &UserId, hash: &str, now: Timestamp) -> sqlx::Result<bool> {
    let sql = "UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL";
    row::one_changed(c, sql, (id, hash, now)).await
}

pub async fn unused_recovery_codes(c: &mut AnyConnection, id: &UserId) -> sqlx::Result<i64> {
    row::scalar(c, "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL", id).await
}

/// The workspaces this account is the only owner of (an account cannot be erased while it is:
/// its workspaces would be left without an owner).
pub async fn sole_owner_of(c: &mut AnyConnection, id: &UserId) -> sqlx::Result<Vec<String>> {
    row::scalars(
        c,
        "SELECT w.name FROM memberships m JOIN workspaces w ON w.id = m.workspace_id \
         WHERE m.user_id = $1 AND m.role = 'owner' AND NOT EXISTS (SELECT 1 FROM memberships o \
         WHERE o.workspace_id = m.workspace_id AND o.role = 'owner' AND o.user_id <> m.user_id) ORDER BY w.name",
        id,
    )
    .await
}

/// The address an erased account keeps (unique, and no one's).
pub fn erased_email(id: &UserId) -> String {
    format!("erased-{id}@erased.invalid")
}

/// Erases an account in the platform's tables, following the registry: the row stays as a
/// tombstone (its id names the author of old messages) with its email and name anonymised and
/// its credentials cleared; recovery codes, sessions, email tokens and memberships go; an
/// invitation sent to its address is anonymised; the audit log keeps its ids but not its
/// addresses. A second call changes nothing.
pub async fn erase(c: &mut AnyConnection, id: &UserId, now: Timestamp) -> sqlx::Result<()> {
    let Some(u) = by_id(&mut *c, id).await? else { return Ok(()) };
    let gone = erased_email(id);
    row::execute(
        &mut *c,
        "UPDATE invitations SET email = $1 WHERE lower(email) = lower($2) OR accepted_by = $3",
        (&gone, &u.email, id),
    )
    .await?;
    row::execute(
        &mut *c,
        "UPDATE users SET email = $2, name = '', password_hash = '', totp_secret = NULL, totp_enabled_at = NULL, \
         totp_last_step = NULL, picture_url = NULL, is_operator = 0, suspended_at = COALESCE(suspended_at, $3), \
         erased_at = COALESCE(erased_at, $3), updated_at = $3 WHERE id = $1",
        (id, &gone, now),
    )
    .await?;
    for sql in [
        "DELETE FROM recovery_codes WHERE user_id = $1",
        "DELETE FROM sessions WHERE user_id = $1",
        "DELETE FROM email_tokens WHERE user_id = $1",
        "DELETE FROM user_devices WHERE user_id = $1",
        "DELETE FROM oidc_identities WHERE user_id = $1",
        "DELETE FROM oidc_flows WHERE user_id = $1",
        "DELETE FROM memberships WHERE user_id = $1",
        "UPDATE audit_log SET ip = NULL WHERE actor_kind = 'user' AND actor_id = $1",
    ] {
        row::execute(&mut *c, sql, id).await?;
    }
    Ok(())
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
    /// The device's time zone when it signed in (security metadata).
    pub time_zone: Option<String>,
}

row::table!(Session in "sessions" {
    id, user_id, mfa_pending, ip, user_agent, current_workspace_id, created_at, last_seen_at, expires_at, time_zone
});

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
    pub time_zone: Option<&'a str>,
}

pub async fn insert_session(c: &mut AnyConnection, s: NewSession<'_>) -> sqlx::Result<()> {
    let sql = "INSERT INTO sessions (id, user_id, token_hash, mfa_pending, ip, user_agent, current_workspace_id, \
               created_at, last_seen_at, expires_at, time_zone) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10)";
    let values = (
        s.id,
        s.user_id,
        s.token_hash,
        s.mfa_pending,
        s.ip,
        s.user_agent,
        s.current_workspace_id,
        s.now,
        s.expires_at,
        s.time_zone,
    );
    row::execute(c, sql, values).await
}

/// The live session behind a token hash.
pub async fn session_by_hash(c: &mut AnyConnection, hash: &str, now: Timestamp) -> sqlx::Result<Option<Session>> {
    row::find(c, "WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2", (hash, now)).await
}

pub async fn touch_session(
    c: &mut AnyConnection,
    id: &SessionId,
    now: Timestamp,
    ip: Option<&str>,
) -> sqlx::Result<()> {
    row::execute(c, "UPDATE sessions SET last_seen_at = $2, ip = COALESCE($3, ip) WHERE id = $1", (id, now, ip)).await
}

pub async fn set_session_workspace(c: &mut AnyConnection, id: &SessionId, ws: &WorkspaceId) -> sqlx::Result<()> {
    row::execute(c, "UPDATE sessions SET current_workspace_id = $2 WHERE id = $1", (id, ws)).await
}

pub async fn sessions_of(c: &mut AnyConnection, user: &UserId, now: Timestamp) -> sqlx::Result<Vec<Session>> {
    let clause = "WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 AND mfa_pending = 0 \
                  ORDER BY last_seen_at DESC";
    row::find_all(c, clause, (user, now)).await
}

/// Revokes one of the user's sessions; `false` when it is not theirs or already gone.
pub async fn revoke_session(
    c: &mut AnyConnection,
    user: &UserId,
    id: &SessionId,
    now: Timestamp,
) -> sqlx::Result<bool> {
    let sql = "UPDATE sessions SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL";
    row::one_changed(c, sql, (id, user, now)).await
}

/// Revokes every session of a user except `keep`; returns how many.
pub async fn revoke_all_sessions(
    c: &mut AnyConnection,
    user: &UserId,
    keep: Option<&SessionId>,
    now: Timestamp,
) -> sqlx::Result<u64> {
    let sql = "UPDATE sessions SET revoked_at = $3 WHERE user_id = $1 AND revoked_at IS NULL AND id <> $2";
    row::changed(c, sql, (user, keep.map(|k| k.as_str()).unwrap_or(""), now)).await
}

/// Deletes sessions and email tokens that expired or were revoked before `before`.
pub async fn purge_expired(c: &mut AnyConnection, before: Timestamp) -> sqlx::Result<u64> {
    let a = row::changed(&mut *c, "DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1", before).await?;
    let b = row::changed(&mut *c, "DELETE FROM email_tokens WHERE expires_at < $1", before).await?;
    let f = row::changed(&mut *c, "DELETE FROM oidc_flows WHERE expires_at < $1", before).await?;
    Ok(a + b + f)
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
    let sql = "INSERT INTO email_tokens (id, user_id, purpose, token_hash, expires_at, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6)";
    row::execute(c, sql, (&frontdesk_core::EmailTokenId::new(), user, purpose, hash, expires_at, now)).await
}

/// Marks a token used and returns its user, only if it exists, has this purpose, is unused
/// and has not expired. One statement, so two concurrent uses cannot both succeed.
pub async fn consume_email_token(
    c: &mut AnyConnection,
    purpose: &str,
    hash: &str,
    now: Timestamp,
) -> sqlx::Result<Option<UserId>> {
    let sql = "UPDATE email_tokens SET used_at = $3 \
               WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 RETURNING user_id";
    Ok(row::opt_scalar(c, sql, (hash, purpose, now)).await?.map(UserId::from_db))
}

/// Invalidates a user's other unused tokens of a purpose (a new reset link voids older ones).
pub async fn void_email_tokens(
    c: &mut AnyConnection,
    user: &UserId,
    purpose: &str,
    now: Timestamp,
) -> sqlx::Result<()> {
    let sql = "UPDATE email_tokens SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL";
    row::execute(c, sql, (user, purpose, now)).await
}

/// Like [`insert_email_token`], with what the link carries (an email change's new address).
pub async fn insert_email_token_with(
    c: &mut AnyConnection,
    user: &UserId,
    purpose: &str,
    hash: &str,
    payload: &str,
    now: Timestamp,
    expires_at: Timestamp,
) -> sqlx::Result<()> {
    let sql = "INSERT INTO email_tokens (id, user_id, purpose, token_hash, payload, expires_at, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7)";
    row::execute(c, sql, (&frontdesk_core::EmailTokenId::new(), user, purpose, hash, payload, expires_at, now)).await
}

/// Like [`consume_email_token`], also returning what the link carries.
pub async fn consume_email_token_with(
    c: &mut AnyConnection,
    purpose: &str,
    hash: &str,
    now: Timestamp,
) -> sqlx::Result<Option<(UserId, String)>> {
    let sql = "UPDATE email_tokens SET used_at = $3 \
               WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 \
               RETURNING user_id, COALESCE(payload, '') AS payload";
    let rows = row::all_with(c, sql, (hash, purpose, now), |r| {
        Ok((UserId::from_db(row::FromColumn::from_column(r, "user_id")?), row::FromColumn::from_column(r, "payload")?))
    })
    .await?;
    Ok(rows.into_iter().next())
}

/// Whether an unused, unexpired token with this hash and purpose exists (a page that shows a
/// confirm button first, so mail scanners that follow links use nothing).
pub async fn email_token_open(c: &mut AnyConnection, purpose: &str, hash: &str, now: Timestamp) -> sqlx::Result<bool> {
    let n: i64 = row::scalar(
        c,
        "SELECT COUNT(*) FROM email_tokens WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
        (hash, purpose, now),
    )
    .await?;
    Ok(n > 0)
}

pub async fn set_name(c: &mut AnyConnection, id: &UserId, name: &str, now: Timestamp) -> sqlx::Result<()> {
    row::execute(c, "UPDATE users SET name = $2, updated_at = $3 WHERE id = $1", (id, name, now)).await
}

/// Sets a new (verified) address; `false` when another account holds it.
pub async fn set_email(c: &mut AnyConnection, id: &UserId, email: &str, now: Timestamp) -> sqlx::Result<bool> {
    if by_email(&mut *c, email).await?.is_some_and(|u| u.id != *id) {
        return Ok(false);
    }
    row::execute(
        c,
        "UPDATE users SET email = $2, email_verified_at = COALESCE(email_verified_at, $3), updated_at = $3 WHERE id = $1",
        (id, email, now),
    )
    .await?;
    Ok(true)
}

/// Records a browser (by a hash of its user agent) for the account. Returns whether it is new
/// to an account that had signed in from somewhere before (the new-device alert).
pub async fn note_device(c: &mut AnyConnection, id: &UserId, device_hash: &str, now: Timestamp) -> sqlx::Result<bool> {
    let seen: i64 = row::scalar(
        &mut *c,
        "SELECT COUNT(*) FROM user_devices WHERE user_id = $1 AND device_hash = $2",
        (id, device_hash),
    )
    .await?;
    if seen > 0 {
        let sql = "UPDATE user_devices SET last_seen_at = $3 WHERE user_id = $1 AND device_hash = $2";
        row::execute(&mut *c, sql, (id, device_hash, now)).await?;
        return Ok(false);
    }
    let others: i64 = row::scalar(&mut *c, "SELECT COUNT(*) FROM user_devices WHERE user_id = $1", id).await?;
    let added = row::changed(
        &mut *c,
        "INSERT INTO user_devices (user_id, device_hash, first_seen_at, last_seen_at) VALUES ($1, $2, $3, $3) \
         ON CONFLICT (user_id, device_hash) DO NOTHING",
        (id, device_hash, now),
    )
    .await?;
    Ok(added > 0 && others > 0)
}
