//! The signed-in person's own account: their name, their email address (changed by a link to
//! the new one, the old one told), their password (the current one asked, every other session
//! signed out); sign-in by an emailed link; and the security alerts (P52) sent when something
//! about the account changes or a new device signs in.

use crate::audit::{self, Actor};
use crate::auth::{self, Client, SessionToken, SignedIn};
use crate::crypto::{self, random_token, token_hash};
use crate::error::ErrorKind;
use crate::mail::{self, Mail};
use crate::repo::users::{self as q, User};
use crate::tl;
use crate::workspaces::mail_lang;
use crate::{AppError, AppResult, Platform};
use frontdesk_core::audit::PLATFORM_CHAIN;
use frontdesk_core::lang::Lang;
use frontdesk_core::values::parse_label;
use frontdesk_core::{Email, Password, Timestamp};
use frontdesk_store::Conn;

/// An email change waiting for the new address to confirm it.
pub const EMAIL_CHANGE: &str = "email_change";
/// A sign-in link.
pub const MAGIC: &str = "magic";

const EMAIL_CHANGE_TTL: i64 = 24 * Timestamp::HOUR;
const MAGIC_TTL: i64 = 15 * Timestamp::MINUTE;

/// Something about an account its owner should hear about at once.
pub enum Alert<'a> {
    /// A sign-in from a browser this account has not used before.
    NewDevice {
        user_agent: Option<&'a str>,
        ip: &'a str,
        time_zone: Option<&'a str>,
    },
    PasswordChanged,
    /// To the old address: a change to `new` was asked.
    EmailChangeAsked {
        new: &'a str,
    },
    /// To the old address: the account's address is now `new`.
    EmailChanged {
        new: &'a str,
    },
    TwoFactorOff,
    ApiToken {
        name: &'a str,
        workspace: &'a str,
    },
    RecoveryCodeUsed {
        left: i64,
    },
    /// A Google account now signs in to this account.
    GoogleLinked {
        email: &'a str,
    },
    /// Someone tried to sign up, or to move another account, to this address.
    AddressInUse,
}

/// A device's short name from its user agent (`Firefox on Linux`).
pub fn device_name(app: &Platform, lang: Lang, ua: Option<&str>) -> String {
    let ua = ua.unwrap_or("");
    let browser = ["Firefox", "Edg", "Chrome", "Safari", "curl", "reqwest"]
        .iter()
        .find(|b| ua.contains(*b))
        .map(|b| if *b == "Edg" { "Edge".to_string() } else { b.to_string() })
        .unwrap_or_else(|| tl!(app.speak(lang), "account-browser"));
    match ["Android", "iPhone", "iPad", "Windows", "Mac OS", "Linux"].iter().find(|o| ua.contains(*o)) {
        Some(os) => tl!(app.speak(lang), "account-device-on", browser = browser, os = *os),
        None => browser,
    }
}

/// Queues a security alert to `to` (the account's address unless said otherwise) inside the
/// caller's transaction, in the account's language.
pub async fn alert(app: &Platform, c: &mut Conn, user: &User, to: Option<&str>, a: Alert<'_>) -> AppResult<()> {
    let lang = mail_lang(app, Some(user));
    let sp = app.speak(lang);
    let when = frontdesk_core::hours::local_date_time("UTC", app.now().0).unwrap_or_default();
    let (key, body) = match &a {
        Alert::NewDevice { user_agent, ip, time_zone } => (
            "new-device",
            tl!(
                sp,
                "mail-alert-new-device",
                device = device_name(app, lang, *user_agent),
                ip = *ip,
                zone = time_zone.unwrap_or("-"),
                when = when.as_str()
            ),
        ),
        Alert::PasswordChanged => ("password", tl!(sp, "mail-alert-password", when = when.as_str())),
        Alert::EmailChangeAsked { new } => ("email-asked", tl!(sp, "mail-alert-email-asked", email = *new)),
        Alert::EmailChanged { new } => ("email-changed", tl!(sp, "mail-alert-email-changed", email = *new)),
        Alert::TwoFactorOff => ("2fa-off", tl!(sp, "mail-alert-2fa-off", when = when.as_str())),
        Alert::ApiToken { name, workspace } => {
            ("api-token", tl!(sp, "mail-alert-api-token", name = *name, workspace = *workspace))
        }
        Alert::RecoveryCodeUsed { left } => ("recovery", tl!(sp, "mail-alert-recovery", left = *left)),
        Alert::GoogleLinked { email } => ("google", tl!(sp, "mail-alert-google", email = *email)),
        Alert::AddressInUse => ("in-use", tl!(sp, "mail-alert-in-use")),
    };
    let product = &app.settings.product_name;
    let subject = tl!(sp, &format!("mail-alert-subject-{key}"), product = product.as_str());
    let base = &app.settings.base_url;
    let text = format!(
        "{body}\n\n{}\n\n{base}/account\n\n{}\n\n{base}/forgot-password\n\n— {product}\n",
        tl!(sp, "mail-alert-review"),
        tl!(sp, "mail-alert-not-you"),
    );
    let to = to.unwrap_or(&user.email).to_string();
    mail::enqueue(app, c, &Mail { to, subject, text, ..Default::default() }).await
}

/// Renames the account.
pub async fn rename(app: &Platform, signed: &SignedIn, name: &str, client: &Client) -> AppResult<()> {
    let name = parse_label("name", name)?;
    let mut tx = app.db.begin().await?;
    q::set_name(&mut tx, &signed.user.id, &name, app.now()).await?;
    let actor = Actor::user(&signed.user.id, Some(&client.ip));
    let target = Some(("user", signed.user.id.as_str()));
    audit::record(app, &mut tx, PLATFORM_CHAIN, &actor, "account.rename", target, "ok").await?;
    tx.commit().await?;
    Ok(())
}

/// The current password, checked (and rate-limited per account). An account made by Google
/// has none and is not asked.
async fn check_current(app: &Platform, user: &User, current: &str, client: &Client) -> AppResult<()> {
    app.limits.check(app.clock.as_ref(), "password", &client.ip, Some(user.id.as_str()))?;
    if user.password_hash.is_empty() {
        return Ok(());
    }
    let ok = auth::password_matches(app, user, current).await;
    if ok {
        Ok(())
    } else {
        let actor = Actor::user(&user.id, Some(&client.ip));
        audit::record_platform(app, &actor, "account.password_check", Some(("user", user.id.as_str())), "failed")
            .await?;
        Err(AppError::invalid("current_password", "invalid_password", "That password is not right."))
    }
}

/// Sets a new password; every other session of the account is signed out, this one rotated.
pub async fn change_password(
    app: &Platform,
    signed: &SignedIn,
    current: &str,
    new: &str,
    client: &Client,
) -> AppResult<SessionToken> {
    let user = &signed.user;
    check_current(app, user, current, client).await?;
    let password = Password::parse(new)?;
    let hash = crypto::hash_password(&password, app.settings.argon2_m_kib, app.settings.argon2_t).await;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    q::set_password(&mut tx, &user.id, &hash, now).await?;
    q::revoke_all_sessions(&mut tx, &user.id, None, now).await?;
    let client = Client { time_zone: signed.session.time_zone.clone(), ..client.clone() };
    let token = auth::open_session(app, &mut tx, &user.id, false, &client).await?;
    let actor = Actor::user(&user.id, Some(&client.ip));
    audit::record(
        app,
        &mut tx,
        PLATFORM_CHAIN,
        &actor,
        "account.password_change",
        Some(("user", user.id.as_str())),
        "ok",
    )
    .await?;
    alert(app, &mut tx, user, None, Alert::PasswordChanged).await?;
    tx.commit().await?;
    app.limits.clear_account("login", &user.email);
    Ok(token)
}

/// Asks to move the account to `new_email`: a link to the new address confirms it, and the old
/// one is told. An address another account holds gets the same answer, and that account's owner
/// is told instead (no account enumeration).
pub async fn request_email_change(
    app: &Platform,
    signed: &SignedIn,
    new_email: &str,
    current: &str,
    client: &Client,
) -> AppResult<()> {
    let user = &signed.user;
    let email = Email::parse(new_email)?;
    if email.as_str() == user.email {
        return Err(AppError::invalid("email", "email_unchanged", "That is already your address."));
    }
    check_current(app, user, current, client).await?;
    app.limits.check(app.clock.as_ref(), "email_change", &client.ip, Some(user.id.as_str()))?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let actor = Actor::user(&user.id, Some(&client.ip));
    if let Some(other) = q::by_email(&mut tx, email.as_str()).await?.filter(|o| o.id != user.id) {
        alert(app, &mut tx, &other, None, Alert::AddressInUse).await?;
    } else {
        let token = random_token();
        q::void_email_tokens(&mut tx, &user.id, EMAIL_CHANGE, now).await?;
        q::insert_email_token_with(
            &mut tx,
            &user.id,
            EMAIL_CHANGE,
            &token_hash(&token),
            email.as_str(),
            now,
            now.plus_millis(EMAIL_CHANGE_TTL),
        )
        .await?;
        let lang = mail_lang(app, Some(user));
        let sp = app.speak(lang);
        let product = &app.settings.product_name;
        let text = format!(
            "{}\n\n{}/account/email?token={token}\n\n{}\n\n— {product}\n",
            tl!(sp, "mail-email-change-intro", email = email.as_str()),
            app.settings.base_url,
            tl!(sp, "mail-email-change-expiry"),
        );
        let subject = tl!(sp, "mail-email-change-subject", product = product.as_str());
        mail::enqueue(app, &mut tx, &Mail { to: email.to_string(), subject, text, ..Default::default() }).await?;
        alert(app, &mut tx, user, None, Alert::EmailChangeAsked { new: email.as_str() }).await?;
    }
    audit::record(
        app,
        &mut tx,
        PLATFORM_CHAIN,
        &actor,
        "account.email_change_requested",
        Some(("user", user.id.as_str())),
        "ok",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A used, expired or unknown emailed link.
pub fn link_gone() -> AppError {
    AppError::new(ErrorKind::Gone, "link_invalid", "This link has expired or was already used. Ask for a new one.")
}

/// Whether a link of `purpose` can still be used (the page that shows its button).
pub async fn link_open(app: &Platform, purpose: &str, token: &str) -> AppResult<bool> {
    let mut c = app.db.conn().await?;
    Ok(q::email_token_open(&mut c, purpose, &token_hash(token), app.now()).await?)
}

/// Confirms an email change from the link sent to the new address; the old address is told.
pub async fn confirm_email_change(app: &Platform, token: &str, client: &Client) -> AppResult<String> {
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let (id, new) =
        q::consume_email_token_with(&mut tx, EMAIL_CHANGE, &token_hash(token), now).await?.ok_or_else(link_gone)?;
    let user = q::by_id(&mut tx, &id).await?.filter(|u| u.erased_at.is_none()).ok_or_else(link_gone)?;
    if !q::set_email(&mut tx, &id, &new, now).await? {
        // Taken meanwhile by an account of its own: the link cannot apply.
        return Err(link_gone());
    }
    let actor = Actor::user(&id, Some(&client.ip));
    audit::record(app, &mut tx, PLATFORM_CHAIN, &actor, "account.email_change", Some(("user", id.as_str())), "ok")
        .await?;
    alert(app, &mut tx, &user, Some(&user.email), Alert::EmailChanged { new: &new }).await?;
    tx.commit().await?;
    Ok(new)
}

/// Emails a sign-in link (single use, 15 minutes) if the address has an account that may sign
/// in; answers the same either way.
pub async fn request_magic_link(app: &Platform, email: &str, next: Option<&str>, client: &Client) -> AppResult<()> {
    let email = Email::parse(email)?;
    app.limits.check(app.clock.as_ref(), "magic", &client.ip, Some(email.as_str()))?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    if let Some(u) = q::by_email(&mut tx, email.as_str()).await?.filter(|u| u.suspended_at.is_none()) {
        let token = random_token();
        q::void_email_tokens(&mut tx, &u.id, MAGIC, now).await?;
        let next = next.filter(|n| n.starts_with('/') && !n.starts_with("//")).unwrap_or("");
        q::insert_email_token_with(&mut tx, &u.id, MAGIC, &token_hash(&token), next, now, now.plus_millis(MAGIC_TTL))
            .await?;
        let sp = app.speak(mail_lang(app, Some(&u)));
        let product = &app.settings.product_name;
        let text = format!(
            "{}\n\n{}/login/link?token={token}\n\n{}\n\n— {product}\n",
            tl!(sp, "mail-magic-intro"),
            app.settings.base_url,
            tl!(sp, "mail-link-expiry", minutes = MAGIC_TTL / Timestamp::MINUTE),
        );
        let subject = tl!(sp, "mail-magic-subject", product = product.as_str());
        mail::enqueue(app, &mut tx, &Mail { to: email.to_string(), subject, text, ..Default::default() }).await?;
        let actor = Actor::anonymous(Some(&client.ip));
        audit::record(
            app,
            &mut tx,
            PLATFORM_CHAIN,
            &actor,
            "auth.magic_link_requested",
            Some(("user", u.id.as_str())),
            "ok",
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Signs in from a sign-in link: the link proves the address; 2FA still applies. Returns the
/// session and where to go next.
pub async fn sign_in_by_link(app: &Platform, token: &str, client: &Client) -> AppResult<(auth::LoginOutcome, String)> {
    app.limits.check(app.clock.as_ref(), "magic", &client.ip, None)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let (id, next) =
        q::consume_email_token_with(&mut tx, MAGIC, &token_hash(token), now).await?.ok_or_else(link_gone)?;
    let user = q::by_id(&mut tx, &id).await?.ok_or_else(link_gone)?;
    if user.suspended_at.is_some() {
        return Err(AppError::new(
            ErrorKind::Forbidden,
            "account_suspended",
            "This account is suspended. Contact the server's operator.",
        ));
    }
    q::set_verified(&mut tx, &id, now).await?;
    let needs_second_factor = user.totp_enabled_at.is_some();
    let token = auth::open_session(app, &mut tx, &id, needs_second_factor, client).await?;
    let actor = Actor::user(&id, Some(&client.ip));
    let outcome = if needs_second_factor { "link_ok_2fa_pending" } else { "ok" };
    audit::record(app, &mut tx, PLATFORM_CHAIN, &actor, "auth.sign_in_link", Some(("user", id.as_str())), outcome)
        .await?;
    tx.commit().await?;
    app.limits.clear_account("login", &user.email);
    Ok((auth::LoginOutcome { token, needs_second_factor }, next))
}
