//! Sign in with Google: OpenID Connect, authorization code with PKCE, off unless `[google]` is
//! configured. The flow's `state` is single use and kept hashed with its nonce and PKCE verifier
//! for 10 minutes; the ID token is verified (RS256 against the provider's published keys, `iss`,
//! `aud`, `exp`, the nonce) by [`crate::oidc`] before anything is read from it, and a Google
//! account whose address is not verified is refused. We keep the subject id, email, name and
//! picture URL only (P02). An existing account is linked only when its owner asks while signed
//! in, or follows the link emailed to its address; two-factor authentication still applies.

use crate::audit::{self, Actor};
use crate::auth::{Client, LoginOutcome, SignedIn};
use crate::crypto::token_hash;
use crate::error::ErrorKind;
use crate::mail::{self, Mail};
use crate::oidc::{self, Claims, OidcError};
use crate::repo::users::{self as q, NewUser};
use crate::tl;
use crate::workspaces::mail_lang;
use crate::{AppError, AppResult, Platform, SignupMode};
use frontdesk_core::audit::PLATFORM_CHAIN;
use frontdesk_core::{Timestamp, UserId};
use frontdesk_store::{row, Conn};
use serde::{Deserialize, Serialize};
use std::time::Duration;

pub const PROVIDER: &str = "google";
/// An emailed link that connects a Google account to an existing account.
pub const LINK: &str = "link_google";
const FLOW_TTL: i64 = 10 * Timestamp::MINUTE;
const LINK_TTL: i64 = 30 * Timestamp::MINUTE;

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct GoogleSettings {
    pub client_id: String,
    #[serde(skip_serializing, default)]
    pub client_secret: String,
    /// The issuer; its discovery document is at `{issuer}/.well-known/openid-configuration`.
    #[serde(default = "default_issuer")]
    pub issuer: String,
    /// OAuth 2.0 endpoints for API grants (a resource's calendar), and the Calendar API.
    #[serde(default = "default_auth_url")]
    pub auth_url: String,
    #[serde(default = "default_token_url")]
    pub token_url: String,
    #[serde(default = "default_calendar_api")]
    pub calendar_api: String,
}

fn default_issuer() -> String {
    "https://accounts.google.com".into()
}

fn default_auth_url() -> String {
    "https://accounts.google.com/o/oauth2/v2/auth".into()
}

fn default_token_url() -> String {
    "https://oauth2.googleapis.com/token".into()
}

fn default_calendar_api() -> String {
    "https://www.googleapis.com/calendar/v3".into()
}

impl GoogleSettings {
    pub fn check(&self) -> Result<(), String> {
        if self.client_id.trim().is_empty() || self.client_secret.trim().is_empty() {
            return Err("google: client_id and client_secret are both needed".into());
        }
        for (k, v) in [
            ("issuer", &self.issuer),
            ("auth_url", &self.auth_url),
            ("token_url", &self.token_url),
            ("calendar_api", &self.calendar_api),
        ] {
            if crate::captcha::origin_of(v).is_none() {
                return Err(format!("google.{k}: {v:?} is not an http(s) URL"));
            }
        }
        Ok(())
    }
}

/// What a callback did.
pub enum Outcome {
    /// Signed in (or half-signed in, waiting for the second factor); go to `next`.
    SignedIn(LoginOutcome, String),
    /// The address has an account not yet linked: a link went to it.
    LinkSent(String),
    /// The signed-in person connected their Google account.
    Linked,
}

fn settings(app: &Platform) -> AppResult<&GoogleSettings> {
    app.settings.google.as_ref().ok_or_else(|| {
        AppError::new(ErrorKind::NotFound, "google_not_configured", "Sign-in with Google is not set up on this server.")
    })
}

fn unavailable() -> AppError {
    AppError::new(ErrorKind::Unavailable, "google_unavailable", "Google is not answering; try again in a minute.")
}

fn refused(e: OidcError) -> AppError {
    if let OidcError::TokenRefused(why) = &e {
        tracing::info!(error = %why.chars().take(100).collect::<String>(), "Google refused the code");
    }
    tracing::info!(code = e.code(), "a Google sign-in was refused");
    AppError::new(ErrorKind::Unauthenticated, e.code(), e.to_string())
}

fn state_gone() -> AppError {
    AppError::new(ErrorKind::Gone, "oidc_state_invalid", "This sign-in has expired or was already used; start again.")
}

fn redirect_uri(app: &Platform) -> String {
    format!("{}/auth/google/callback", app.settings.base_url)
}

async fn get(app: &Platform, url: &str) -> AppResult<Vec<u8>> {
    let r = app.http.get(url).timeout(Duration::from_secs(10)).send().await.map_err(|e| {
        tracing::warn!(error = %e, "Google unreachable");
        unavailable()
    })?;
    if !r.status().is_success() {
        tracing::warn!(status = %r.status(), url, "Google refused a request");
        return Err(unavailable());
    }
    Ok(r.bytes().await.map_err(|_| unavailable())?.to_vec())
}

async fn discovery(app: &Platform, s: &GoogleSettings) -> AppResult<oidc::Discovery> {
    let url = format!("{}/.well-known/openid-configuration", s.issuer.trim_end_matches('/'));
    oidc::parse_discovery(&get(app, &url).await?).map_err(|e| {
        tracing::warn!(code = e.code(), "Google's discovery document");
        unavailable()
    })
}

/// Starts a Google sign-in (or, with `linking`, the connection of a Google account to the
/// signed-in one): the provider's URL to send the browser to.
pub async fn start(
    app: &Platform,
    linking: Option<&SignedIn>,
    next: Option<&str>,
    client: &Client,
) -> AppResult<String> {
    let s = settings(app)?;
    app.limits.check(app.clock.as_ref(), "google", &client.ip, None)?;
    let d = discovery(app, s).await?;
    let state = oidc::random_token();
    let nonce = oidc::random_token();
    let pkce = oidc::pkce();
    let now = app.now();
    let next = next.filter(|n| n.starts_with('/') && !n.starts_with("//"));
    let mut c = app.db.conn().await?;
    row::execute(
        &mut c,
        "INSERT INTO oidc_flows (state_hash, provider, nonce, verifier, purpose, user_id, next, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        (
            token_hash(&state),
            PROVIDER,
            &nonce,
            &pkce.verifier,
            if linking.is_some() { "link" } else { "sign_in" },
            linking.map(|l| l.user.id.as_str()),
            next,
            now,
            now.plus_millis(FLOW_TTL),
        ),
    )
    .await?;
    Ok(oidc::authorize_url(&d, &s.client_id, &redirect_uri(app), &state, &nonce, &pkce.challenge))
}

struct Flow {
    nonce: String,
    verifier: String,
    purpose: String,
    user_id: Option<String>,
    next: Option<String>,
}

async fn take_flow(c: &mut Conn, state: &str, now: Timestamp) -> AppResult<Flow> {
    let rows = row::all_with(
        c,
        "UPDATE oidc_flows SET used_at = $2 WHERE state_hash = $1 AND used_at IS NULL AND expires_at > $2 \
         RETURNING nonce, verifier, purpose, user_id, next",
        (token_hash(state), now),
        |r| {
            Ok(Flow {
                nonce: row::FromColumn::from_column(r, "nonce")?,
                verifier: row::FromColumn::from_column(r, "verifier")?,
                purpose: row::FromColumn::from_column(r, "purpose")?,
                user_id: row::opt_str(r, "user_id"),
                next: row::opt_str(r, "next"),
            })
        },
    )
    .await?;
    rows.into_iter().next().ok_or_else(state_gone)
}

/// The verified claims for an authorization code.
async fn claims_for(app: &Platform, s: &GoogleSettings, code: &str, flow: &Flow) -> AppResult<Claims> {
    let d = discovery(app, s).await?;
    let form = oidc::token_form(code, &flow.verifier, &redirect_uri(app), &s.client_id, &s.client_secret);
    let r =
        app.http.post(&d.token_endpoint).timeout(Duration::from_secs(10)).form(&form).send().await.map_err(|e| {
            tracing::warn!(error = %e, "Google's token endpoint unreachable");
            unavailable()
        })?;
    if r.status().is_server_error() {
        return Err(unavailable());
    }
    let body = r.bytes().await.map_err(|_| unavailable())?;
    let id_token = oidc::id_token_of(&body).map_err(refused)?;
    let jwks = oidc::parse_jwks(&get(app, &d.jwks_uri).await?).map_err(|e| {
        tracing::warn!(code = e.code(), "Google's keys");
        unavailable()
    })?;
    let bare = s.issuer.trim_start_matches("https://").to_string();
    let issuers = [s.issuer.as_str(), d.issuer.as_str(), bare.as_str()];
    let claims = oidc::verify_id_token(&id_token, &jwks, &issuers, &s.client_id, &flow.nonce, app.now().unix_secs())
        .map_err(refused)?;
    if !claims.email_verified {
        return Err(AppError::new(
            ErrorKind::Unauthenticated,
            "oidc_email_unverified",
            "This Google account's email address is not verified; verify it with Google, or sign in another way.",
        ));
    }
    Ok(claims)
}

fn clip(s: Option<&str>, n: usize) -> Option<String> {
    s.map(|v| v.chars().take(n).collect::<String>()).filter(|v| !v.is_empty())
}

/// Attaches the identity to `user` (kept up to date on every sign-in). `false` when the Google
/// account already signs in to another account.
async fn attach(c: &mut Conn, user: &UserId, claims: &Claims, now: Timestamp) -> AppResult<bool> {
    let owner: Option<String> = row::opt_scalar(
        &mut *c,
        "SELECT user_id FROM oidc_identities WHERE provider = $1 AND subject = $2",
        (PROVIDER, claims.sub.as_str()),
    )
    .await?;
    if owner.as_deref().is_some_and(|o| o != user.as_str()) {
        return Ok(false);
    }
    let name = clip(claims.name.as_deref(), 200);
    let picture = clip(claims.picture.as_deref().filter(|p| p.starts_with("https://")), 1000);
    row::execute(
        &mut *c,
        "INSERT INTO oidc_identities (provider, subject, user_id, email, name, picture_url, created_at, last_used_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (provider, subject) \
         DO UPDATE SET email = $4, name = $5, picture_url = $6, last_used_at = $7",
        (PROVIDER, claims.sub.as_str(), user, claims.email.as_str(), name.as_deref(), picture.as_deref(), now),
    )
    .await?;
    row::execute(&mut *c, "UPDATE users SET picture_url = $2 WHERE id = $1", (user, picture.as_deref())).await?;
    Ok(true)
}

/// The Google account signs in to the account it is linked to; 2FA still applies.
async fn sign_in(app: &Platform, c: &mut Conn, user: &q::User, client: &Client, how: &str) -> AppResult<LoginOutcome> {
    if user.suspended_at.is_some() || user.erased_at.is_some() {
        return Err(AppError::new(
            ErrorKind::Forbidden,
            "account_suspended",
            "This account is suspended. Contact the server's operator.",
        ));
    }
    let needs_second_factor = user.totp_enabled_at.is_some();
    let token = crate::auth::open_session(app, c, &user.id, needs_second_factor, client).await?;
    let actor = Actor::user(&user.id, Some(&client.ip));
    let outcome = if needs_second_factor { "google_ok_2fa_pending" } else { "ok" };
    audit::record(app, c, PLATFORM_CHAIN, &actor, how, Some(("user", user.id.as_str())), outcome).await?;
    Ok(LoginOutcome { token, needs_second_factor })
}

/// Google's answer at the callback.
pub async fn callback(
    app: &Platform,
    state: &str,
    code: Option<&str>,
    error: Option<&str>,
    current: Option<&SignedIn>,
    client: &Client,
) -> AppResult<Outcome> {
    let s = settings(app)?;
    app.limits.check(app.clock.as_ref(), "google", &client.ip, None)?;
    let now = app.now();
    let flow = {
        let mut c = app.db.conn().await?;
        take_flow(&mut c, state, now).await?
    };
    if let Some(e) = error {
        tracing::info!(error = e, "Google sign-in not granted");
        return Err(AppError::new(ErrorKind::Unauthenticated, "oidc_denied", "Google did not sign you in."));
    }
    let code = code.filter(|c| !c.is_empty() && c.len() <= 2048).ok_or_else(|| refused(OidcError::Malformed))?;
    let claims = claims_for(app, s, code, &flow).await?;
    let mut tx = app.db.begin().await?;
    if flow.purpose == "link" {
        let me = current
            .filter(|m| Some(m.user.id.as_str()) == flow.user_id.as_deref())
            .ok_or_else(AppError::unauthenticated)?;
        if !attach(&mut tx, &me.user.id, &claims, now).await? {
            return Err(linked_elsewhere());
        }
        let actor = Actor::user(&me.user.id, Some(&client.ip));
        audit::record(
            app,
            &mut tx,
            PLATFORM_CHAIN,
            &actor,
            "account.google_link",
            Some(("user", me.user.id.as_str())),
            "ok",
        )
        .await?;
        let a = crate::account::Alert::GoogleLinked { email: &claims.email };
        crate::account::alert(app, &mut tx, &me.user, None, a).await?;
        tx.commit().await?;
        return Ok(Outcome::Linked);
    }
    let next = flow.next.clone().unwrap_or_else(|| "/".into());
    let linked: Option<String> = row::opt_scalar(
        &mut tx,
        "SELECT user_id FROM oidc_identities WHERE provider = $1 AND subject = $2",
        (PROVIDER, claims.sub.as_str()),
    )
    .await?;
    if let Some(id) = linked {
        let user = q::by_id(&mut tx, &UserId::from_db(id)).await?.ok_or_else(AppError::internal)?;
        attach(&mut tx, &user.id, &claims, now).await?;
        let out = sign_in(app, &mut tx, &user, client, "auth.sign_in_google").await?;
        tx.commit().await?;
        return Ok(Outcome::SignedIn(out, next));
    }
    if let Some(user) = q::by_email(&mut tx, &claims.email).await? {
        // An account of its own already has this address: its owner confirms by email.
        send_link(app, &mut tx, &user, &claims, now).await?;
        tx.commit().await?;
        return Ok(Outcome::LinkSent(claims.email));
    }
    if app.settings.signup == SignupMode::InviteOnly {
        return Err(AppError::new(
            ErrorKind::Forbidden,
            "signup_closed",
            "Sign-up is by invitation only on this server.",
        ));
    }
    let email = frontdesk_core::Email::parse(&claims.email)?;
    let name =
        clip(claims.name.as_deref(), 100).unwrap_or_else(|| email.as_str().split('@').next().unwrap_or("").to_string());
    let id = UserId::new();
    q::insert(
        &mut tx,
        NewUser {
            id: &id,
            email: email.as_str(),
            name: &name,
            password_hash: "",
            verified: true,
            is_operator: false,
            now,
        },
    )
    .await?;
    let actor = Actor::user(&id, Some(&client.ip));
    audit::record(app, &mut tx, PLATFORM_CHAIN, &actor, "account.create", Some(("user", id.as_str())), "google")
        .await?;
    attach(&mut tx, &id, &claims, now).await?;
    let user = q::by_id(&mut tx, &id).await?.ok_or_else(AppError::internal)?;
    let out = sign_in(app, &mut tx, &user, client, "auth.sign_in_google").await?;
    tx.commit().await?;
    Ok(Outcome::SignedIn(out, next))
}

fn linked_elsewhere() -> AppError {
    AppError::new(
        ErrorKind::Conflict,
        "google_linked_elsewhere",
        "This Google account already signs in to another account.",
    )
}

#[derive(Serialize, Deserialize)]
struct Pending {
    sub: String,
    email: String,
    name: Option<String>,
    picture: Option<String>,
}

async fn send_link(app: &Platform, c: &mut Conn, user: &q::User, claims: &Claims, now: Timestamp) -> AppResult<()> {
    let token = crate::crypto::random_token();
    let pending = Pending {
        sub: claims.sub.clone(),
        email: claims.email.clone(),
        name: claims.name.clone(),
        picture: claims.picture.clone(),
    };
    let payload = serde_json::to_string(&pending).map_err(|_| AppError::internal())?;
    q::void_email_tokens(c, &user.id, LINK, now).await?;
    q::insert_email_token_with(c, &user.id, LINK, &token_hash(&token), &payload, now, now.plus_millis(LINK_TTL))
        .await?;
    let sp = app.speak(mail_lang(app, Some(user)));
    let product = &app.settings.product_name;
    let text = format!(
        "{}\n\n{}/auth/google/link?token={token}\n\n{}\n\n— {product}\n",
        tl!(sp, "mail-google-link-intro", email = claims.email.as_str()),
        app.settings.base_url,
        tl!(sp, "mail-link-expiry", minutes = LINK_TTL / Timestamp::MINUTE),
    );
    let subject = tl!(sp, "mail-google-link-subject", product = product.as_str());
    mail::enqueue(app, c, &Mail { to: user.email.clone(), subject, text, ..Default::default() }).await
}

/// The owner of the address confirms from the emailed link: the Google account is linked and
/// signs in (2FA still applies).
pub async fn confirm_link(app: &Platform, token: &str, client: &Client) -> AppResult<LoginOutcome> {
    app.limits.check(app.clock.as_ref(), "google", &client.ip, None)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let gone = crate::account::link_gone;
    let (id, payload) = q::consume_email_token_with(&mut tx, LINK, &token_hash(token), now).await?.ok_or_else(gone)?;
    let p: Pending = serde_json::from_str(&payload).map_err(|_| gone())?;
    let user = q::by_id(&mut tx, &id).await?.ok_or_else(gone)?;
    let claims = Claims { sub: p.sub, email: p.email, email_verified: true, name: p.name, picture: p.picture };
    if !attach(&mut tx, &id, &claims, now).await? {
        return Err(linked_elsewhere());
    }
    q::set_verified(&mut tx, &id, now).await?;
    let a = crate::account::Alert::GoogleLinked { email: &claims.email };
    crate::account::alert(app, &mut tx, &user, None, a).await?;
    let out = sign_in(app, &mut tx, &user, client, "auth.sign_in_google").await?;
    tx.commit().await?;
    Ok(out)
}

/// The Google account linked to `user`, if any (its address).
pub async fn linked_email(app: &Platform, user: &UserId) -> AppResult<Option<String>> {
    let mut c = app.db.conn().await?;
    Ok(row::opt_scalar(
        &mut c,
        "SELECT email FROM oidc_identities WHERE user_id = $1 AND provider = $2",
        (user, PROVIDER),
    )
    .await?)
}

// ---- grants for Google's APIs (a resource's calendar) ----

/// Tokens from Google's token endpoint.
pub struct Grant {
    pub access_token: String,
    /// Given with the first grant (offline access), not on a refresh.
    pub refresh_token: Option<String>,
    /// Seconds.
    pub expires_in: i64,
}

impl std::fmt::Debug for Grant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Grant(<redacted>)")
    }
}

/// Why a grant could not be had.
#[derive(Debug)]
pub enum GrantError {
    /// The person revoked the access, or it expired: they must connect again.
    Revoked,
    /// Google did not answer as it should; try later.
    Unavailable(String),
}

/// Starts an OAuth grant of `scope` for the signed-in person (offline, so a refresh token comes
/// back); Google returns to `callback_path` with the code, and [`finish_grant`] hands `next` back.
pub async fn start_grant(
    app: &Platform,
    me: &SignedIn,
    scope: &str,
    callback_path: &str,
    next: &str,
    client: &Client,
) -> AppResult<String> {
    let s = settings(app)?;
    app.limits.check(app.clock.as_ref(), "google", &client.ip, None)?;
    let state = oidc::random_token();
    let pkce = oidc::pkce();
    let now = app.now();
    let mut c = app.db.conn().await?;
    row::execute(
        &mut c,
        "INSERT INTO oidc_flows (state_hash, provider, nonce, verifier, purpose, user_id, next, created_at, expires_at) \
         VALUES ($1, $2, '', $3, 'grant', $4, $5, $6, $7)",
        (token_hash(&state), PROVIDER, &pkce.verifier, me.user.id.as_str(), next, now, now.plus_millis(FLOW_TTL)),
    )
    .await?;
    let redirect = format!("{}{callback_path}", app.settings.base_url);
    Ok(oidc::with_query(
        &s.auth_url,
        &[
            ("response_type", "code"),
            ("client_id", &s.client_id),
            ("redirect_uri", &redirect),
            ("scope", scope),
            ("state", &state),
            ("code_challenge", &pkce.challenge),
            ("code_challenge_method", "S256"),
            ("access_type", "offline"),
            ("prompt", "consent"),
            ("include_granted_scopes", "true"),
        ],
    ))
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Option<String>,
    refresh_token: Option<String>,
    expires_in: Option<i64>,
    error: Option<String>,
}

async fn token_call(app: &Platform, s: &GoogleSettings, form: &[(&str, String)]) -> Result<Grant, GrantError> {
    let r = app
        .http
        .post(&s.token_url)
        .timeout(Duration::from_secs(10))
        .form(form)
        .send()
        .await
        .map_err(|e| GrantError::Unavailable(format!("Google's token endpoint: {e}")))?;
    let status = r.status();
    let a: TokenAnswer =
        r.json().await.map_err(|_| GrantError::Unavailable(format!("Google's token endpoint answered {status}")))?;
    match (a.access_token, a.error.as_deref()) {
        (Some(t), None) if status.is_success() && !t.is_empty() => {
            Ok(Grant { access_token: t, refresh_token: a.refresh_token, expires_in: a.expires_in.unwrap_or(3600) })
        }
        (_, Some("invalid_grant")) => Err(GrantError::Revoked),
        (_, e) => Err(GrantError::Unavailable(format!("Google's token endpoint: {status} {}", e.unwrap_or("")))),
    }
}

/// The tokens for the code Google returned with `state`, and the `next` given at the start.
pub async fn finish_grant(
    app: &Platform,
    state: &str,
    code: Option<&str>,
    error: Option<&str>,
    callback_path: &str,
    me: &SignedIn,
) -> AppResult<(Grant, String)> {
    let s = settings(app)?;
    let flow = {
        let mut c = app.db.conn().await?;
        take_flow(&mut c, state, app.now()).await?
    };
    if flow.purpose != "grant" || flow.user_id.as_deref() != Some(me.user.id.as_str()) {
        return Err(state_gone());
    }
    if let Some(e) = error {
        tracing::info!(error = e, "Google grant not given");
        return Err(AppError::new(ErrorKind::Unauthenticated, "oidc_denied", "Google did not sign you in."));
    }
    let code = code.filter(|c| !c.is_empty() && c.len() <= 2048).ok_or_else(|| refused(OidcError::Malformed))?;
    let redirect = format!("{}{callback_path}", app.settings.base_url);
    let form = [
        ("grant_type", "authorization_code".to_string()),
        ("code", code.to_string()),
        ("redirect_uri", redirect),
        ("client_id", s.client_id.clone()),
        ("client_secret", s.client_secret.clone()),
        ("code_verifier", flow.verifier.clone()),
    ];
    let grant = token_call(app, s, &form).await.map_err(|e| match e {
        GrantError::Revoked => refused(OidcError::TokenRefused("invalid_grant".into())),
        GrantError::Unavailable(why) => {
            tracing::warn!(why, "Google grant");
            unavailable()
        }
    })?;
    Ok((grant, flow.next.unwrap_or_default()))
}

/// A fresh access token from a refresh token.
pub async fn refresh(app: &Platform, refresh_token: &str) -> Result<Grant, GrantError> {
    let s = settings(app).map_err(|e| GrantError::Unavailable(e.message.clone()))?;
    let form = [
        ("grant_type", "refresh_token".to_string()),
        ("refresh_token", refresh_token.to_string()),
        ("client_id", s.client_id.clone()),
        ("client_secret", s.client_secret.clone()),
    ];
    token_call(app, s, &form).await
}
