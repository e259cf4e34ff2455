//! Accounts and sign-in: sign-up with email verification, password sign-in, sessions (list,
//! revoke, rotation), TOTP two-factor with recovery codes and a replay guard, password reset.

use crate::audit::{self, Actor};
pub use crate::context::{Client, SignedIn};
use crate::crypto::{self, random_token, token_hash};
use crate::error::ErrorKind;
use crate::mail::{self, Mail};
use crate::repo::users::{self as q, NewSession, NewUser, Session, User};
use crate::tl;
use crate::vault::Place;
use crate::workspaces::mail_lang;
use crate::{AppError, AppResult, Platform, SignupMode};
use frontdesk_core::audit::PLATFORM_CHAIN;
use frontdesk_core::lang::Lang;
use frontdesk_core::values::parse_label;
use frontdesk_core::{Email, Password, SessionId, Timestamp, UserId};
use frontdesk_store::Conn;
use std::sync::atomic::Ordering;
use subtle::ConstantTimeEq;

pub const VERIFY: &str = "verify";
pub const RESET: &str = "reset";

/// A new session's secret: goes into the cookie once and is never stored.
pub struct SessionToken(pub String);

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(<redacted>)")
    }
}

pub struct SignupInput<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password: &'a str,
    pub adult: bool,
    /// An invitation token: lets people in under invite-only sign-up and skips email
    /// verification (the link already proved the address).
    pub invitation: Option<&'a str>,
}

#[derive(Debug)]
pub struct SignupOutcome {
    pub user_id: UserId,
    pub verified: bool,
}

fn user_agent_short(ua: Option<&str>) -> Option<String> {
    ua.map(|u| u.chars().take(300).collect())
}

pub async fn signup(app: &Platform, input: SignupInput<'_>, client: &Client) -> AppResult<SignupOutcome> {
    app.limits.check(app.clock.as_ref(), "signup", &client.ip, None)?;
    let email = Email::parse(input.email)?;
    let name = parse_label("name", input.name)?;
    let password = Password::parse(input.password)?;
    if !input.adult {
        return Err(AppError::invalid(
            "adult",
            "adult_attestation_required",
            "Confirm that you are at least 18 years old.",
        ));
    }
    let invitation = match input.invitation {
        Some(t) => Some(crate::workspaces::pending_invitation(app, t).await?),
        None => None,
    };
    if let Some(inv) = &invitation {
        if inv.email != email.as_str() {
            return Err(AppError::invalid(
                "email",
                "invitation_email_mismatch",
                "Sign up with the address the invitation was sent to.",
            ));
        }
    } else if app.settings.signup == SignupMode::InviteOnly {
        return Err(AppError::new(
            ErrorKind::Forbidden,
            "signup_closed",
            "Sign-up is by invitation only on this server.",
        ));
    }
    let hash = crypto::hash_password(&password, app.settings.argon2_m_kib, app.settings.argon2_t).await;
    let now = app.now();
    let id = UserId::new();
    let verified = invitation.is_some();
    let mut tx = app.db.begin().await?;
    if let Some(owner) = q::by_email(&mut tx, email.as_str()).await? {
        if invitation.is_some() {
            return Err(AppError::invalid(
                "email",
                "email_taken",
                "An account with this email already exists; sign in to accept the invitation.",
            ));
        }
        // The same answer as a new account (no enumeration); the address's owner is told.
        crate::account::alert(app, &mut tx, &owner, None, crate::account::Alert::AddressInUse).await?;
        tx.commit().await?;
        return Ok(SignupOutcome { user_id: owner.id, verified: false });
    }
    q::insert(
        &mut tx,
        NewUser {
            id: &id,
            email: email.as_str(),
            name: &name,
            password_hash: &hash,
            verified,
            is_operator: false,
            now,
        },
    )
    .await?;
    audit::record(
        app,
        &mut tx,
        PLATFORM_CHAIN,
        &Actor::user(&id, Some(&client.ip)),
        "account.create",
        Some(("user", id.as_str())),
        "ok",
    )
    .await?;
    if let Some(inv) = invitation {
        crate::workspaces::accept_in_tx(app, &mut tx, &inv, &id, &Actor::user(&id, Some(&client.ip))).await?;
    } else {
        // A new account has no language of its own yet: the sign-up page's.
        send_email_link(app, &mut tx, &id, &email, VERIFY, now, app.words.current()).await?;
    }
    tx.commit().await?;
    Ok(SignupOutcome { user_id: id, verified })
}

async fn send_email_link(
    app: &Platform,
    c: &mut Conn,
    user: &UserId,
    email: &Email,
    purpose: &str,
    now: Timestamp,
    lang: Lang,
) -> AppResult<()> {
    let token = random_token();
    let product = &app.settings.product_name;
    let (ttl, path, subject, intro) = if purpose == VERIFY {
        (
            app.settings.verify_ttl_ms,
            "verify-email",
            tl!(app.speak(lang), "mail-verify-subject", product = product),
            tl!(app.speak(lang), "mail-verify-intro"),
        )
    } else {
        (
            app.settings.reset_ttl_ms,
            "reset-password",
            tl!(app.speak(lang), "mail-reset-subject", product = product),
            tl!(app.speak(lang), "mail-reset-intro"),
        )
    };
    q::void_email_tokens(c, user, purpose, now).await?;
    q::insert_email_token(c, user, purpose, &token_hash(&token), now, now.plus_millis(ttl)).await?;
    let minutes = ttl / Timestamp::MINUTE;
    let text = format!(
        "{intro}\n\n{}/{path}?token={token}\n\n{}\n\n— {product}\n",
        app.settings.base_url,
        tl!(app.speak(lang), "mail-link-expiry", minutes = minutes),
    );
    mail::enqueue(app, c, &Mail { to: email.to_string(), subject, text, ..Default::default() }).await
}

/// Confirms an email address from the emailed link.
pub async fn verify_email(app: &Platform, token: &str) -> AppResult<UserId> {
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let user = q::consume_email_token(&mut tx, VERIFY, &token_hash(token), now).await?.ok_or_else(|| {
        AppError::new(ErrorKind::Gone, "link_invalid", "This link has expired or was already used. Ask for a new one.")
    })?;
    q::set_verified(&mut tx, &user, now).await?;
    audit::record(
        app,
        &mut tx,
        PLATFORM_CHAIN,
        &Actor::user(&user, None),
        "account.verify_email",
        Some(("user", user.as_str())),
        "ok",
    )
    .await?;
    tx.commit().await?;
    Ok(user)
}

/// Sends a fresh verification link if the account exists and is unverified. Always answers
/// the same, so it does not reveal which emails have accounts.
pub async fn resend_verification(app: &Platform, email: &str, client: &Client) -> AppResult<()> {
    let email = Email::parse(email)?;
    app.limits.check(app.clock.as_ref(), "verify", &client.ip, Some(email.as_str()))?;
    let mut tx = app.db.begin().await?;
    if let Some(u) = q::by_email(&mut tx, email.as_str()).await? {
        if u.email_verified_at.is_none() {
            send_email_link(app, &mut tx, &u.id, &email, VERIFY, app.now(), mail_lang(app, Some(&u))).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

#[derive(Debug)]
pub struct LoginOutcome {
    pub token: SessionToken,
    /// The session is waiting for a second factor.
    pub needs_second_factor: bool,
}

pub async fn login(app: &Platform, email: &str, password: &str, client: &Client) -> AppResult<LoginOutcome> {
    let invalid =
        || AppError::new(ErrorKind::Unauthenticated, "invalid_credentials", "The email or password is not right.");
    let Ok(email) = Email::parse(email) else {
        app.limits.check(app.clock.as_ref(), "login", &client.ip, None)?;
        return Err(invalid());
    };
    app.limits.check(app.clock.as_ref(), "login", &client.ip, None)?;
    // A spent account budget stops guessing, not the owner: the right password still reaches
    // the second factor (itself limited), and a reset link clears the budget.
    let locked = app.limits.check_account(app.clock.as_ref(), "login", email.as_str()).err();
    let Some(password) = Password::for_verification(password) else {
        return Err(locked.unwrap_or_else(invalid));
    };
    let user = {
        let mut c = app.db.conn().await?;
        q::by_email(&mut c, email.as_str()).await?
    };
    let ok = crypto::verify_password(
        &password,
        user.as_ref().map(|u| u.password_hash.clone()),
        app.settings.argon2_m_kib,
        app.settings.argon2_t,
    )
    .await;
    let actor = match &user {
        Some(u) => Actor::user(&u.id, Some(&client.ip)),
        None => Actor::anonymous(Some(&client.ip)),
    };
    let (Some(user), true) = (user, ok) else {
        if let Some(e) = locked {
            return Err(e);
        }
        app.metrics.logins_failed.fetch_add(1, Ordering::Relaxed);
        audit::record_platform(app, &actor, "auth.sign_in", None, "failed").await?;
        return Err(invalid());
    };
    // Without a second factor the password is all there is: the same answer as a wrong one.
    if let Some(e) = locked.filter(|_| user.totp_enabled_at.is_none()) {
        return Err(e);
    }
    if user.suspended_at.is_some() {
        audit::record_platform(app, &actor, "auth.sign_in", Some(("user", user.id.as_str())), "suspended").await?;
        return Err(AppError::new(
            ErrorKind::Forbidden,
            "account_suspended",
            "This account is suspended. Contact the server's operator.",
        ));
    }
    if user.email_verified_at.is_none() {
        return Err(AppError::new(
            ErrorKind::Forbidden,
            "email_not_verified",
            "Confirm your email address first: follow the link we sent you, or ask for a new one.",
        ));
    }
    let needs_second_factor = user.totp_enabled_at.is_some();
    let mut tx = app.db.begin().await?;
    let token = create_session(app, &mut tx, &user.id, needs_second_factor, client).await?;
    let outcome = if needs_second_factor { "password_ok_2fa_pending" } else { "ok" };
    audit::record(app, &mut tx, PLATFORM_CHAIN, &actor, "auth.sign_in", Some(("user", user.id.as_str())), outcome)
        .await?;
    tx.commit().await?;
    if !needs_second_factor {
        app.metrics.logins_ok.fetch_add(1, Ordering::Relaxed);
    }
    Ok(LoginOutcome { token, needs_second_factor })
}

async fn create_session(
    app: &Platform,
    c: &mut Conn,
    user: &UserId,
    mfa_pending: bool,
    client: &Client,
) -> AppResult<SessionToken> {
    open_session(app, c, user, mfa_pending, client).await
}

/// Opens a session for `user` (half-open while a second factor is pending). A full session
/// from a browser the account has not used before sends the new-device alert.
pub(crate) async fn open_session(
    app: &Platform,
    c: &mut Conn,
    user: &UserId,
    mfa_pending: bool,
    client: &Client,
) -> AppResult<SessionToken> {
    let now = app.now();
    let token = random_token();
    let ttl = if mfa_pending { 10 * Timestamp::MINUTE } else { app.settings.session_ttl_ms };
    let ws = crate::repo::workspaces::workspaces_of(c, user).await?.into_iter().next().map(|(w, _)| w.id);
    let time_zone = client.time_zone.as_deref().filter(|z| frontdesk_core::hours::local_date(z, 0).is_some());
    q::insert_session(
        c,
        NewSession {
            id: &SessionId::new(),
            user_id: user,
            token_hash: &token_hash(&token),
            mfa_pending,
            ip: Some(&client.ip),
            user_agent: user_agent_short(client.user_agent.as_deref()).as_deref(),
            current_workspace_id: ws.as_ref(),
            now,
            expires_at: now.plus_millis(ttl),
            time_zone,
        },
    )
    .await?;
    if let (false, Some(ua)) = (mfa_pending, client.user_agent.as_deref()) {
        if q::note_device(c, user, &token_hash(ua), now).await? {
            if let Some(u) = q::by_id(c, user).await? {
                let a = crate::account::Alert::NewDevice { user_agent: Some(ua), ip: &client.ip, time_zone };
                crate::account::alert(app, c, &u, None, a).await?;
            }
        }
    }
    Ok(SessionToken(token))
}

/// Looks up a session cookie. `Ok(None)` for unknown, expired, idle, revoked or half-finished
/// (second factor pending) sessions and for suspended accounts.
pub async fn session(app: &Platform, token: &str, client_ip: Option<&str>) -> AppResult<Option<SignedIn>> {
    session_any(app, token, client_ip).await.map(|s| s.filter(|s| !s.session.mfa_pending))
}

async fn session_any(app: &Platform, token: &str, client_ip: Option<&str>) -> AppResult<Option<SignedIn>> {
    let now = app.now();
    let mut c = app.db.conn().await?;
    let Some(s) = q::session_by_hash(&mut c, &token_hash(token), now).await? else {
        return Ok(None);
    };
    if s.last_seen_at + app.settings.session_idle_ms < now.0 {
        return Ok(None);
    }
    let Some(user) = q::by_id(&mut c, &s.user_id).await? else {
        return Ok(None);
    };
    if user.suspended_at.is_some() {
        return Ok(None);
    }
    if now.0 - s.last_seen_at > Timestamp::MINUTE {
        q::touch_session(&mut c, &s.id, now, client_ip).await?;
    }
    Ok(Some(SignedIn { session: s, user }))
}

/// The session waiting for a second factor, if that is what this token is.
pub async fn pending_second_factor(app: &Platform, token: &str) -> AppResult<Option<SignedIn>> {
    session_any(app, token, None).await.map(|s| s.filter(|s| s.session.mfa_pending))
}

/// Completes sign-in with a TOTP code or a recovery code. The half-open session is replaced by
/// a new one (rotation), whose token is returned.
pub async fn complete_second_factor(
    app: &Platform,
    token: &str,
    code: &str,
    client: &Client,
) -> AppResult<SessionToken> {
    let signed = pending_second_factor(app, token).await?.ok_or_else(AppError::unauthenticated)?;
    let user = signed.user;
    app.limits.check(app.clock.as_ref(), "2fa", &client.ip, Some(user.id.as_str()))?;
    let actor = Actor::user(&user.id, Some(&client.ip));
    let mut tx = app.db.begin().await?;
    let how = check_second_factor(app, &mut tx, &user, code).await?;
    let Some(how) = how else {
        drop(tx);
        audit::record_platform(app, &actor, "auth.second_factor", Some(("user", user.id.as_str())), "failed").await?;
        return Err(AppError::invalid("code", "invalid_code", "That code is not right (or was already used)."));
    };
    q::revoke_session(&mut tx, &user.id, &signed.session.id, app.now()).await?;
    let client = Client { time_zone: signed.session.time_zone.clone(), ..client.clone() };
    let new = create_session(app, &mut tx, &user.id, false, &client).await?;
    audit::record(app, &mut tx, PLATFORM_CHAIN, &actor, "auth.second_factor", Some(("user", user.id.as_str())), how)
        .await?;
    if how == "recovery_code" {
        let left = q::unused_recovery_codes(&mut tx, &user.id).await?;
        crate::account::alert(app, &mut tx, &user, None, crate::account::Alert::RecoveryCodeUsed { left }).await?;
    }
    tx.commit().await?;
    app.metrics.logins_ok.fetch_add(1, Ordering::Relaxed);
    Ok(new)
}

fn totp_place(user: &UserId) -> Place<'_> {
    Place { workspace: "platform", table: "users", column: "totp_secret", row: user.as_str() }
}

fn totp_for(secret: Vec<u8>) -> Option<totp_rs::TOTP> {
    totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, secret).ok()
}

/// Finds the 30-second step (now, one before, one after) that `code` belongs to.
fn matching_step(totp: &totp_rs::TOTP, now: Timestamp, code: &str) -> Option<i64> {
    let code = code.trim().replace(' ', "");
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let step = now.unix_secs() / 30;
    (step - 1..=step + 1).find(|s| {
        let expected = totp.generate((*s as u64) * 30);
        bool::from(expected.as_bytes().ct_eq(code.as_bytes()))
    })
}

/// `Some("totp")` or `Some("recovery_code")` when the code is good and now used up.
async fn check_second_factor(app: &Platform, c: &mut Conn, user: &User, code: &str) -> AppResult<Option<&'static str>> {
    let now = app.now();
    if let Some(sealed) = &user.totp_secret {
        let secret = app.vault.open(totp_place(&user.id), sealed).map_err(|e| {
            tracing::error!(error = %e, "cannot open a TOTP secret");
            AppError::internal()
        })?;
        if let Some(totp) = totp_for(secret) {
            if let Some(step) = matching_step(&totp, now, code) {
                // Replay guard: a step can be used once, and never an older one.
                return Ok(q::claim_totp_step(c, &user.id, step).await?.then_some("totp"));
            }
        }
    }
    let used = q::use_recovery_code(c, &user.id, &crypto::recovery_code_hash(code), now).await?;
    Ok(used.then_some("recovery_code"))
}

/// A TOTP secret waiting for the first code that proves the authenticator app has it.
pub struct TotpEnrollment {
    pub otpauth_uri: String,
    pub secret_base32: String,
    pub qr_svg: String,
}

impl std::fmt::Debug for TotpEnrollment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpEnrollment(<redacted>)")
    }
}

fn enrollment_for(app: &Platform, user: &User, secret: Vec<u8>) -> TotpEnrollment {
    let b32 = totp_rs::Secret::Raw(secret).to_encoded().to_string();
    let issuer = url_escape(&app.settings.product_name);
    let uri = format!(
        "otpauth://totp/{issuer}:{}?secret={b32}&issuer={issuer}&algorithm=SHA1&digits=6&period=30",
        url_escape(&user.email)
    );
    let qr_svg = qrcode::QrCode::new(uri.as_bytes())
        .map(|q| q.render::<qrcode::render::svg::Color>().min_dimensions(200, 200).build())
        .unwrap_or_default();
    TotpEnrollment { otpauth_uri: uri, secret_base32: b32, qr_svg }
}

fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Starts (or restarts) 2FA enrolment: a new secret, sealed, not yet active.
pub async fn begin_totp(app: &Platform, user: &User) -> AppResult<TotpEnrollment> {
    if user.totp_enabled_at.is_some() {
        return Err(AppError::new(
            ErrorKind::Conflict,
            "2fa_already_enabled",
            "Two-factor authentication is already on.",
        ));
    }
    let mut secret = vec![0u8; 20];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut secret);
    let sealed = app.vault.seal(totp_place(&user.id), &secret);
    let mut c = app.db.conn().await?;
    q::set_totp_pending(&mut c, &user.id, &sealed).await?;
    Ok(enrollment_for(app, user, secret))
}

/// The pending enrolment again (to redisplay the QR code after a wrong code).
pub async fn pending_totp(app: &Platform, user: &User) -> AppResult<Option<TotpEnrollment>> {
    if user.totp_enabled_at.is_some() {
        return Ok(None);
    }
    let Some(sealed) = &user.totp_secret else {
        return Ok(None);
    };
    let secret = app.vault.open(totp_place(&user.id), sealed).map_err(|_| AppError::internal())?;
    Ok(Some(enrollment_for(app, user, secret)))
}

/// Turns 2FA on after a correct code; returns the recovery codes (shown once) and a rotated
/// session token.
pub async fn confirm_totp(
    app: &Platform,
    signed: &SignedIn,
    code: &str,
    client: &Client,
) -> AppResult<(Vec<String>, SessionToken)> {
    let user = &signed.user;
    app.limits.check(app.clock.as_ref(), "2fa", &client.ip, Some(user.id.as_str()))?;
    let sealed = user
        .totp_secret
        .as_ref()
        .filter(|_| user.totp_enabled_at.is_none())
        .ok_or_else(|| AppError::new(ErrorKind::Conflict, "2fa_not_started", "Start two-factor setup first."))?;
    let secret = app.vault.open(totp_place(&user.id), sealed).map_err(|_| AppError::internal())?;
    let totp = totp_for(secret).ok_or_else(AppError::internal)?;
    let now = app.now();
    let step = matching_step(&totp, now, code).ok_or_else(|| {
        AppError::invalid("code", "invalid_code", "That code is not right; check the time on your phone and try again.")
    })?;
    let codes = crypto::recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| crypto::recovery_code_hash(c)).collect();
    let actor = Actor::user(&user.id, Some(&client.ip));
    let mut tx = app.db.begin().await?;
    q::enable_totp(&mut tx, &user.id, step, now).await?;
    q::replace_recovery_codes(&mut tx, &user.id, &hashes, now).await?;
    q::revoke_session(&mut tx, &user.id, &signed.session.id, now).await?;
    let token = create_session(app, &mut tx, &user.id, false, client).await?;
    audit::record(app, &mut tx, PLATFORM_CHAIN, &actor, "2fa.enable", Some(("user", user.id.as_str())), "ok").await?;
    tx.commit().await?;
    Ok((codes, token))
}

/// Whether `password` is the account's (in Argon2's constant time; never for an account
/// without one).
pub(crate) async fn password_matches(app: &Platform, user: &User, password: &str) -> bool {
    match Password::for_verification(password) {
        Some(p) if !user.password_hash.is_empty() => {
            crypto::verify_password(
                &p,
                Some(user.password_hash.clone()),
                app.settings.argon2_m_kib,
                app.settings.argon2_t,
            )
            .await
        }
        _ => false,
    }
}

/// Turns 2FA off; asks for the password again.
pub async fn disable_totp(app: &Platform, signed: &SignedIn, password: &str, client: &Client) -> AppResult<()> {
    let user = &signed.user;
    app.limits.check(app.clock.as_ref(), "2fa", &client.ip, Some(user.id.as_str()))?;
    if !password_matches(app, user, password).await {
        return Err(AppError::invalid("password", "invalid_password", "That password is not right."));
    }
    let mut tx = app.db.begin().await?;
    q::disable_totp(&mut tx, &user.id).await?;
    audit::record(
        app,
        &mut tx,
        PLATFORM_CHAIN,
        &Actor::user(&user.id, Some(&client.ip)),
        "2fa.disable",
        Some(("user", user.id.as_str())),
        "ok",
    )
    .await?;
    crate::account::alert(app, &mut tx, user, None, crate::account::Alert::TwoFactorOff).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn logout(app: &Platform, signed: &SignedIn, client: &Client) -> AppResult<()> {
    let mut tx = app.db.begin().await?;
    q::revoke_session(&mut tx, &signed.user.id, &signed.session.id, app.now()).await?;
    audit::record(
        app,
        &mut tx,
        PLATFORM_CHAIN,
        &Actor::user(&signed.user.id, Some(&client.ip)),
        "auth.sign_out",
        Some(("session", signed.session.id.as_str())),
        "ok",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn sessions(app: &Platform, user: &UserId) -> AppResult<Vec<Session>> {
    let mut c = app.db.conn().await?;
    Ok(q::sessions_of(&mut c, user, app.now()).await?)
}

pub async fn revoke_session(app: &Platform, signed: &SignedIn, id: &str, client: &Client) -> AppResult<()> {
    let id = SessionId::parse(id).ok_or_else(|| AppError::not_found("The session"))?;
    let mut tx = app.db.begin().await?;
    if !q::revoke_session(&mut tx, &signed.user.id, &id, app.now()).await? {
        return Err(AppError::not_found("The session"));
    }
    audit::record(
        app,
        &mut tx,
        PLATFORM_CHAIN,
        &Actor::user(&signed.user.id, Some(&client.ip)),
        "session.revoke",
        Some(("session", id.as_str())),
        "ok",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Emails a reset link if the account exists; answers the same either way.
pub async fn request_password_reset(app: &Platform, email: &str, client: &Client) -> AppResult<()> {
    let email = Email::parse(email)?;
    app.limits.check(app.clock.as_ref(), "reset", &client.ip, Some(email.as_str()))?;
    let mut tx = app.db.begin().await?;
    if let Some(u) = q::by_email(&mut tx, email.as_str()).await? {
        if u.suspended_at.is_none() {
            send_email_link(app, &mut tx, &u.id, &email, RESET, app.now(), mail_lang(app, Some(&u))).await?;
            audit::record(
                app,
                &mut tx,
                PLATFORM_CHAIN,
                &Actor::anonymous(Some(&client.ip)),
                "auth.password_reset_requested",
                Some(("user", u.id.as_str())),
                "ok",
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Sets a new password from a reset link; every session of the account is signed out.
pub async fn reset_password(app: &Platform, token: &str, new_password: &str, client: &Client) -> AppResult<()> {
    app.limits.check(app.clock.as_ref(), "reset", &client.ip, None)?;
    let password = Password::parse(new_password)?;
    let hash = crypto::hash_password(&password, app.settings.argon2_m_kib, app.settings.argon2_t).await;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let user = q::consume_email_token(&mut tx, RESET, &token_hash(token), now).await?.ok_or_else(|| {
        AppError::new(
            ErrorKind::Gone,
            "link_invalid",
            "This reset link has expired or was already used. Ask for a new one.",
        )
    })?;
    q::set_password(&mut tx, &user, &hash, now).await?;
    // The link proved the address.
    q::set_verified(&mut tx, &user, now).await?;
    let email = q::by_id(&mut tx, &user).await?.map(|u| u.email);
    q::revoke_all_sessions(&mut tx, &user, None, now).await?;
    audit::record(
        app,
        &mut tx,
        PLATFORM_CHAIN,
        &Actor::user(&user, Some(&client.ip)),
        "auth.password_reset",
        Some(("user", user.as_str())),
        "ok",
    )
    .await?;
    tx.commit().await?;
    // The link is the way back into an account locked by someone else's guesses.
    if let Some(email) = email {
        app.limits.clear_account("login", &email);
    }
    Ok(())
}

/// Used by the pages: how many unused recovery codes remain.
pub async fn recovery_codes_left(app: &Platform, user: &UserId) -> AppResult<i64> {
    let mut c = app.db.conn().await?;
    Ok(q::unused_recovery_codes(&mut c, user).await?)
}
