//! The platform operator (a role above workspaces): lists users and workspaces, suspends and
//! restores them, and the CLI's account bootstrap. Every action lands on the platform chain.

use crate::audit::{self, Actor};
use crate::crypto;
use crate::error::ErrorKind;
use crate::repo::users::{self as uq, NewUser, User};
use crate::repo::workspaces::{self as wq, Workspace};
use crate::{AppError, AppResult, Platform};
use frontdesk_core::audit::PLATFORM_CHAIN;
use frontdesk_core::values::parse_label;
use frontdesk_core::{Email, Password, UserId, WorkspaceId};

/// Every account. Looking is an access to personal data, so it is audited too.
pub async fn users(app: &Platform, actor: &Actor) -> AppResult<Vec<User>> {
    audit::record_platform(app, actor, "operator.list_users", None, "ok").await?;
    let mut c = app.db.conn().await?;
    Ok(uq::list(&mut c, 1000).await?)
}

pub async fn workspaces(app: &Platform, actor: &Actor) -> AppResult<Vec<(Workspace, i64)>> {
    audit::record_platform(app, actor, "operator.list_workspaces", None, "ok").await?;
    let mut c = app.db.conn().await?;
    Ok(wq::list_all(&mut c, 1000).await?)
}

/// Suspends (or restores) an account; a suspended account's sessions end at once.
pub async fn set_user_suspended(app: &Platform, actor: &Actor, user: &str, suspended: bool) -> AppResult<()> {
    let id = UserId::parse(user).ok_or_else(|| AppError::not_found("The user"))?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    if !uq::set_suspended(&mut tx, &id, suspended.then_some(now)).await? {
        return Err(AppError::not_found("The user"));
    }
    if suspended {
        uq::revoke_all_sessions(&mut tx, &id, None, now).await?;
    }
    let action = if suspended { "operator.suspend_user" } else { "operator.restore_user" };
    audit::record(app, &mut tx, PLATFORM_CHAIN, actor, action, Some(("user", id.as_str())), "ok").await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_workspace_suspended(app: &Platform, actor: &Actor, ws: &str, suspended: bool) -> AppResult<()> {
    let id = WorkspaceId::parse(ws).ok_or_else(|| AppError::not_found("The workspace"))?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    if !wq::set_suspended(&mut tx, &id, suspended.then_some(now)).await? {
        return Err(AppError::not_found("The workspace"));
    }
    let action = if suspended { "operator.suspend_workspace" } else { "operator.restore_workspace" };
    audit::record(app, &mut tx, PLATFORM_CHAIN, actor, action, Some(("workspace", id.as_str())), "ok").await?;
    audit::record(app, &mut tx, id.as_str(), actor, action, Some(("workspace", id.as_str())), "ok").await?;
    tx.commit().await?;
    Ok(())
}

/// Creates a verified account from the CLI (optionally a platform operator).
pub async fn create_user(
    app: &Platform,
    email: &str,
    name: Option<&str>,
    password: &str,
    operator: bool,
) -> AppResult<UserId> {
    let email = Email::parse(email)?;
    let password = Password::parse(password)?;
    let name = match name {
        Some(n) => parse_label("name", n)?,
        None => email.as_str().split('@').next().unwrap_or("user").to_string(),
    };
    let hash = crypto::hash_password(&password, app.settings.argon2_m_kib, app.settings.argon2_t).await;
    let id = UserId::new();
    let mut tx = app.db.begin().await?;
    if uq::by_email(&mut tx, email.as_str()).await?.is_some() {
        return Err(AppError::new(ErrorKind::Conflict, "email_taken", "An account with this email already exists."));
    }
    uq::insert(
        &mut tx,
        NewUser {
            id: &id,
            email: email.as_str(),
            name: &name,
            password_hash: &hash,
            verified: true,
            is_operator: operator,
            now: app.now(),
        },
    )
    .await?;
    audit::record(
        app,
        &mut tx,
        PLATFORM_CHAIN,
        &Actor::cli(),
        "operator.create_user",
        Some(("user", id.as_str())),
        if operator { "operator" } else { "ok" },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Grants or withdraws the platform-operator role.
pub async fn set_operator(app: &Platform, email: &str, on: bool) -> AppResult<()> {
    let email = Email::parse(email)?;
    let mut tx = app.db.begin().await?;
    let u = uq::by_email(&mut tx, email.as_str()).await?.ok_or_else(|| AppError::not_found("The user"))?;
    uq::set_operator(&mut tx, &u.id, on).await?;
    audit::record(
        app,
        &mut tx,
        PLATFORM_CHAIN,
        &Actor::cli(),
        if on { "operator.grant" } else { "operator.revoke" },
        Some(("user", u.id.as_str())),
        "ok",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn user_by_email(app: &Platform, email: &str) -> AppResult<User> {
    let email = Email::parse(email)?;
    let mut c = app.db.conn().await?;
    uq::by_email(&mut c, email.as_str()).await?.ok_or_else(|| AppError::not_found("The user"))
}
