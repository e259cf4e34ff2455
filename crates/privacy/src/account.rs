//! The account door: an account holder asks about their own account's data, from Account
//! settings. For accounts Frontdesk (the operator) is the controller (P09), so these requests
//! go to the operator, who decides at `/admin/privacy`; being signed in is the identity check.
//! Erasure leaves the account as a tombstone: its email and name anonymised, its credentials,
//! sessions and memberships gone, every area's part of it erased through the `Subject` port,
//! the queue's mails to it dropped. An account that is a workspace's only owner is not erased
//! (the workspace would be left with nobody to answer for it).

use crate::requests::{self, Request};
use crate::Privacy;
use frontdesk_core::lang::Lang;
use frontdesk_core::{JobId, Timestamp, UserId, WorkspaceId};
use frontdesk_i18n::tl;
use frontdesk_platform::audit::{self, Actor};
use frontdesk_platform::error::{AppError, AppResult, ErrorKind};
use frontdesk_platform::mail::{self, Mail};
use frontdesk_platform::repo::users;
use frontdesk_platform::Platform;
use frontdesk_store::{row, Conn};
use serde_json::{json, Value};

/// What an account holder may ask about their own account.
pub const KINDS: &[&str] = &["access", "export", "rectify", "erase", "restrict", "object", "withdraw_consent"];

/// The chain and scope of account requests (not a workspace's).
pub const PLATFORM: &str = frontdesk_core::audit::PLATFORM_CHAIN;

fn platform_ws() -> WorkspaceId {
    WorkspaceId::from_db(PLATFORM.to_string())
}

fn not_found() -> AppError {
    AppError::not_found("The request")
}

/// The signed-in person asks about their account: verified at once (they are signed in), due
/// in 30 days, and every operator is told.
pub async fn submit(
    x: &Privacy,
    user: &frontdesk_platform::repo::users::User,
    kind: &str,
    details: Option<&str>,
) -> AppResult<Request> {
    let kind = kind.trim();
    if !KINDS.contains(&kind) {
        return Err(AppError::invalid(
            "kind",
            "invalid_account_request_kind",
            "Choose access, export, rectify, erase, restrict, object or withdraw_consent.",
        ));
    }
    let details = details.map(|s| frontdesk_core::text::scrub_nul(s.trim()).into_owned()).filter(|s| !s.is_empty());
    if details.as_ref().is_some_and(|s| s.chars().count() > 2000) {
        return Err(AppError::invalid("details", "details_too_long", "Write at most 2000 characters."));
    }
    let now = x.now().0;
    let r = Request {
        id: JobId::new().to_string(),
        workspace_id: platform_ws(),
        user_id: Some(user.id.to_string()),
        kind: kind.to_string(),
        status: "verified".into(),
        email: Some(user.email.clone()),
        details,
        lang: user.lang.clone().unwrap_or_else(|| frontdesk_i18n::current().code().to_string()),
        source: "account".into(),
        verified_at: Some(now),
        verified_how: Some("signed_in".into()),
        due_at: now + 30 * Timestamp::DAY,
        created_at: now,
        updated_at: now,
        ..Default::default()
    };
    let p: &Platform = x.as_ref();
    let mut tx = x.db.begin().await?;
    row::insert(&mut tx, &r).await?;
    let actor = Actor { kind: "user", id: Some(user.id.to_string()), ip: None };
    audit::record(p, &mut tx, PLATFORM, &actor, "privacy.request", Some(("privacy_request", &r.id)), &r.kind).await?;
    tell_operators(x, &mut tx, &r).await?;
    tx.commit().await?;
    Ok(r)
}

async fn tell_operators(x: &Privacy, c: &mut Conn, r: &Request) -> AppResult<()> {
    let p: &Platform = x.as_ref();
    let ops: Vec<(String, Option<String>)> =
        row::all_with(c, "SELECT email, lang FROM users WHERE is_operator = 1 AND suspended_at IS NULL", (), |row_| {
            Ok((row::FromColumn::from_column(row_, "email")?, row::opt_str(row_, "lang")))
        })
        .await?;
    let page = format!("{}/admin/privacy", p.settings.base_url);
    let due = Timestamp(r.due_at).to_rfc3339().get(..10).unwrap_or("").to_string();
    for (to, lang) in ops {
        let lang = lang.as_deref().and_then(Lang::parse).unwrap_or(Lang::En);
        let kind = tl!(lang, "privacy-kind", kind = r.kind.as_str());
        let mail = Mail {
            to,
            subject: tl!(lang, "privacy-account-subject", kind = kind.as_str()),
            text: tl!(lang, "privacy-account-body", kind = kind.as_str(), due = due.as_str(), link = page.as_str()),
            ..Default::default()
        };
        mail::enqueue(p, c, &mail).await?;
    }
    Ok(())
}

/// The person's own requests, newest first.
pub async fn mine(x: &Privacy, user: &UserId) -> AppResult<Vec<Request>> {
    let mut c = x.db.conn().await?;
    Ok(row::find_all(
        &mut c,
        "WHERE workspace_id = $1 AND user_id = $2 ORDER BY created_at DESC",
        (PLATFORM, user.as_str()),
    )
    .await?)
}

/// One of the person's own requests (another's is not found).
pub async fn mine_one(x: &Privacy, user: &UserId, id: &str) -> AppResult<Request> {
    let mut c = x.db.conn().await?;
    row::find(&mut c, "WHERE workspace_id = $1 AND user_id = $2 AND id = $3", (PLATFORM, user.as_str(), id))
        .await?
        .ok_or_else(not_found)
}

/// The open account requests, oldest due first (the operator's list).
pub async fn open(x: &Privacy) -> AppResult<Vec<Request>> {
    let mut c = x.db.conn().await?;
    Ok(row::find_all(
        &mut c,
        "WHERE workspace_id = $1 AND status IN ('received', 'verified', 'in_progress') ORDER BY due_at",
        PLATFORM,
    )
    .await?)
}

async fn of_operator(x: &Privacy, id: &str) -> AppResult<Request> {
    let mut c = x.db.conn().await?;
    row::find(&mut c, "WHERE workspace_id = $1 AND id = $2", (PLATFORM, id)).await?.ok_or_else(not_found)
}

/// The operator answers an account request: an export for access and export; for the others
/// the note says what was done (a correction made, processing restricted).
pub async fn fulfil(x: &Privacy, actor: &Actor, id: &str, note: Option<&str>) -> AppResult<Request> {
    let r = of_operator(x, id).await?;
    if !matches!(r.status.as_str(), "verified" | "in_progress") {
        return Err(AppError::new(ErrorKind::Conflict, "request_closed", "This request is already answered."));
    }
    let Some(user) = r.user_id.clone() else { return Err(not_found()) };
    let p: &Platform = x.as_ref();
    let now = x.now().0;
    let note = note.map(|s| frontdesk_core::text::scrub_nul(s.trim()).into_owned()).filter(|s| !s.is_empty());
    if r.kind == "erase" {
        return erase(x, actor, &r, &user, note).await;
    }
    let mut tx = x.db.begin().await?;
    let export = if matches!(r.kind.as_str(), "access" | "export") {
        let bytes = export(&mut tx, &user, &r).await?;
        let key = format!("privacy/{PLATFORM}/{}-export", r.id);
        p.blobs.put(&key, &bytes).await.map_err(|e| {
            tracing::error!(error = %e, "the account export could not be stored");
            AppError::internal()
        })?;
        Some(key)
    } else {
        None
    };
    row::execute(
        &mut tx,
        "UPDATE privacy_requests SET status = 'done', outcome = COALESCE($1, outcome), export_key = $2, \
         export_expires_at = $3, done_at = $4, updated_at = $4 WHERE id = $5",
        (note.as_deref(), export.as_deref(), export.as_ref().map(|_| now + 7 * Timestamp::DAY), now, r.id.as_str()),
    )
    .await?;
    audit::record(p, &mut tx, PLATFORM, actor, "privacy.fulfil", Some(("privacy_request", &r.id)), &r.kind).await?;
    if let Some(to) = r.email.clone() {
        let lang = Lang::parse(&r.lang).unwrap_or(Lang::En);
        let kind = tl!(lang, "privacy-kind", kind = r.kind.as_str());
        let link = format!("{}/account/privacy", p.settings.base_url);
        let mail = Mail {
            to,
            subject: tl!(lang, "privacy-account-done-subject"),
            text: tl!(lang, "privacy-account-done-body", kind = kind.as_str(), link = link.as_str()),
            ..Default::default()
        };
        mail::enqueue(p, &mut tx, &mail).await?;
    }
    let done: Request = row::find(&mut tx, "WHERE id = $1", r.id.as_str()).await?.ok_or_else(not_found)?;
    tx.commit().await?;
    Ok(done)
}

/// Erases the account (the operator fulfilling an erase request): the platform's part, every
/// area's part, the account's own requests' words and exports, and the queue's mails to it, in
/// one transaction; the blobs go after it commits. No mail is sent: the address is gone.
async fn erase(x: &Privacy, actor: &Actor, r: &Request, user: &str, note: Option<String>) -> AppResult<Request> {
    let p: &Platform = x.as_ref();
    let Some(id) = UserId::parse(user) else { return Err(not_found()) };
    let now = x.now().0;
    let mut tx = x.db.begin().await?;
    if !users::sole_owner_of(&mut tx, &id).await?.is_empty() {
        return Err(AppError::new(
            ErrorKind::Conflict,
            "sole_owner",
            "This account is the only owner of a workspace: add another owner or delete the workspace first.",
        ));
    }
    let mut names = vec![];
    if let Some(u) = users::by_id(&mut tx, &id).await? {
        if u.erased_at.is_none() {
            names.extend([u.email, u.name]);
        }
    }
    users::erase(&mut tx, &id, Timestamp(now)).await?;
    let mut blobs = vec![];
    for s in x.subjects.iter() {
        blobs.extend(s.erase_account(&mut tx, &id).await?.blobs);
    }
    blobs.extend(
        row::scalars::<String>(
            &mut tx,
            "SELECT export_key FROM privacy_requests WHERE workspace_id = $1 AND user_id = $2 AND export_key IS NOT NULL",
            (PLATFORM, user),
        )
        .await?,
    );
    row::execute(
        &mut tx,
        "UPDATE privacy_requests SET email = NULL, details = NULL, export_key = NULL, export_expires_at = NULL \
         WHERE workspace_id = $1 AND user_id = $2",
        (PLATFORM, user),
    )
    .await?;
    requests::clear_queue(x, &mut tx, names).await?;
    row::execute(
        &mut tx,
        "UPDATE privacy_requests SET status = 'done', outcome = COALESCE($1, outcome), done_at = $2, updated_at = $2 \
         WHERE id = $3",
        (note.as_deref(), now, r.id.as_str()),
    )
    .await?;
    audit::record(p, &mut tx, PLATFORM, actor, "privacy.fulfil", Some(("privacy_request", &r.id)), &r.kind).await?;
    let done: Request = row::find(&mut tx, "WHERE id = $1", r.id.as_str()).await?.ok_or_else(not_found)?;
    tx.commit().await?;
    for b in blobs {
        if let Err(e) = p.blobs.delete(&b).await {
            tracing::warn!(error = %e, "an erased account's blob could not be deleted");
        }
    }
    requests::checkpoint(x).await;
    Ok(done)
}

/// The operator refuses an account request, with a reason the person sees.
pub async fn refuse(x: &Privacy, actor: &Actor, id: &str, note: Option<&str>) -> AppResult<Request> {
    let r = of_operator(x, id).await?;
    requests::refuse_request(x, actor, &r, note).await
}

fn rows_json(c: &[(&'static str, bool)], r: &row::AnyRow) -> Value {
    let mut o = serde_json::Map::new();
    for (k, n) in c {
        let v = if *n {
            row::opt_i64(r, k).map(Value::from).unwrap_or(Value::Null)
        } else {
            row::opt_str(r, k).map(Value::String).unwrap_or(Value::Null)
        };
        o.insert((*k).to_string(), v);
    }
    Value::Object(o)
}

async fn list(c: &mut Conn, sql: &str, user: &str, cols: &'static [(&'static str, bool)]) -> AppResult<Vec<Value>> {
    Ok(row::all_with(c, sql, user, |r| Ok(rows_json(cols, r))).await?)
}

/// The account's data: the account, its workspaces and roles, its sign-ins, the tokens it made
/// and what the audit log records it did.
async fn export(c: &mut Conn, user: &str, r: &Request) -> AppResult<Vec<u8>> {
    let account = list(
        c,
        "SELECT email, name, lang, email_verified_at, totp_enabled_at, created_at FROM users WHERE id = $1",
        user,
        &[
            ("email", false),
            ("name", false),
            ("lang", false),
            ("email_verified_at", true),
            ("totp_enabled_at", true),
            ("created_at", true),
        ],
    )
    .await?;
    let workspaces = list(
        c,
        "SELECT w.name, m.role, m.created_at FROM memberships m JOIN workspaces w ON w.id = m.workspace_id WHERE m.user_id = $1",
        user,
        &[("name", false), ("role", false), ("created_at", true)],
    )
    .await?;
    let sessions = list(
        c,
        "SELECT created_at, last_seen_at, ip, user_agent, revoked_at FROM sessions WHERE user_id = $1 ORDER BY created_at",
        user,
        &[("created_at", true), ("last_seen_at", true), ("ip", false), ("user_agent", false), ("revoked_at", true)],
    )
    .await?;
    let tokens = list(
        c,
        "SELECT name, role, prefix, created_at, last_used_at, revoked_at FROM api_tokens WHERE created_by = $1",
        user,
        &[
            ("name", false),
            ("role", false),
            ("prefix", false),
            ("created_at", true),
            ("last_used_at", true),
            ("revoked_at", true),
        ],
    )
    .await?;
    let activity = list(
        c,
        "SELECT at, action, target_kind, outcome, ip FROM audit_log WHERE actor_id = $1 ORDER BY at",
        user,
        &[("at", true), ("action", false), ("target_kind", false), ("outcome", false), ("ip", false)],
    )
    .await?;
    let about = json!({ "request": r.id, "kind": r.kind, "made_at": Timestamp(r.updated_at).to_rfc3339() });
    let pretty = |v: &Value| serde_json::to_vec_pretty(v).unwrap_or_default();
    Ok(frontdesk_platform::zip::build(&[
        ("request.json".into(), pretty(&about)),
        ("account/account.json".into(), pretty(&json!({ "account": account.first() }))),
        ("account/workspaces.json".into(), pretty(&json!({ "workspaces": workspaces }))),
        ("account/sessions.json".into(), pretty(&json!({ "sessions": sessions }))),
        ("account/api_tokens.json".into(), pretty(&json!({ "api_tokens": tokens }))),
        ("account/activity.json".into(), pretty(&json!({ "activity": activity }))),
    ]))
}

/// The export of one of the person's own requests.
pub async fn my_export(x: &Privacy, user: &UserId, id: &str) -> AppResult<(Vec<u8>, String)> {
    let r = mine_one(x, user, id).await?;
    Ok((requests::export_bytes(x, &r).await?, r.id))
}
