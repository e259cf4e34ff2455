//! Who is calling: the client's address, the signed-in person (cookie session) or the API
//! caller (Bearer token or cookie session).

use crate::kit::error::WebError;
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use frontdesk_platform::auth::{self, Client, SignedIn};
use frontdesk_platform::workspaces::{self, Principal};
use frontdesk_platform::AppError;

/// The client, as established by the `client_info` middleware.
pub struct ClientInfo(pub Client);

impl<S: Send + Sync> FromRequestParts<S> for ClientInfo {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(parts.extensions.get::<Client>().cloned().unwrap_or_default()))
    }
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// `Set-Cookie` for a session: HttpOnly, SameSite=Lax, Path=/, and `Secure` with the
/// `__Host-` prefix over https.
pub fn session_cookie(state: &AppState, token: &str) -> HeaderValue {
    let secure = if state.web.https() { "; Secure" } else { "" };
    let max_age = state.app.settings.session_ttl_ms / 1000;
    HeaderValue::from_str(&format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
        state.web.session_cookie()
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub fn clear_session_cookie(state: &AppState) -> HeaderValue {
    let secure = if state.web.https() { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}",
        state.web.session_cookie()
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub fn session_token(parts: &Parts, state: &AppState) -> Option<String> {
    cookie(&parts.headers, state.web.session_cookie()).filter(|t| !t.is_empty() && t.len() < 200)
}

/// The signed-in person, if any (pages that work either way).
pub struct MaybeUser(pub Option<SignedIn>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(token) = session_token(parts, state) else {
            return Ok(Self(None));
        };
        let ip = parts.extensions.get::<Client>().map(|c| c.ip.clone());
        let signed = auth::session(&state.app, &token, ip.as_deref()).await.map_err(WebError::page)?;
        if let Some(lang) = signed.as_ref().and_then(|s| s.user.lang.as_deref()).and_then(frontdesk_i18n::Lang::parse) {
            frontdesk_i18n::set_current(lang);
        }
        Ok(Self(signed))
    }
}

/// A signed-in person; pages redirect to the sign-in page otherwise.
pub struct PageUser(pub SignedIn);

impl FromRequestParts<AppState> for PageUser {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match MaybeUser::from_request_parts(parts, state).await {
            Ok(MaybeUser(Some(s))) => Ok(Self(s)),
            Ok(MaybeUser(None)) => {
                let next = parts.uri.path();
                Err(Redirect::to(&format!("/login?next={}", crate::kit::layout::url_encode(next))).into_response())
            }
            Err(e) => Err(e.into_response()),
        }
    }
}

/// A platform operator, signed in.
pub struct PageOperator(pub SignedIn);

impl FromRequestParts<AppState> for PageOperator {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let PageUser(s) = PageUser::from_request_parts(parts, state).await?;
        if !s.user.is_operator {
            return Err(WebError::page(AppError::forbidden("This page is for the server's operators.")).into_response());
        }
        Ok(Self(s))
    }
}

/// A JSON API caller: a workspace API token (`Authorization: Bearer fdt_…`) or a cookie session.
pub struct ApiCaller {
    pub principal: Principal,
    pub signed: Option<SignedIn>,
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let ip = parts.extensions.get::<Client>().map(|c| c.ip.clone());
        if let Some(auth) = parts.headers.get(header::AUTHORIZATION) {
            let bearer = auth.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).map(str::trim);
            let token = match bearer {
                Some(b) => workspaces::authenticate_token(&state.app, b).await?,
                None => None,
            };
            let token = token.ok_or_else(|| {
                AppError::new(
                    frontdesk_platform::error::ErrorKind::Unauthenticated,
                    "invalid_token",
                    "The API token is missing, malformed or revoked.",
                )
            })?;
            return Ok(Self { principal: Principal::Token { token, ip }, signed: None });
        }
        let Some(t) = session_token(parts, state) else {
            return Err(AppError::unauthenticated().into());
        };
        let signed = auth::session(&state.app, &t, ip.as_deref()).await?.ok_or_else(AppError::unauthenticated)?;
        Ok(Self { principal: Principal::User { id: signed.user.id.clone(), ip }, signed: Some(signed) })
    }
}

impl ApiCaller {
    /// The person behind a cookie session; API tokens cannot use account-level endpoints.
    pub fn person(&self) -> Result<&SignedIn, WebError> {
        self.signed.as_ref().ok_or_else(|| {
            AppError::forbidden(
                "This endpoint belongs to a person's account; API tokens act only inside their workspace.",
            )
            .into()
        })
    }
    pub fn operator(&self) -> Result<&SignedIn, WebError> {
        let s = self.person()?;
        if !s.user.is_operator {
            return Err(AppError::forbidden("Only the server's operators can do this.").into());
        }
        Ok(s)
    }
}

/// A signed-in person's access to the workspace `w` of a page, with the permission `action`
/// (a page error otherwise: "not found" outside their workspaces, "forbidden" without the role).
pub async fn page_access(
    s: &AppState,
    u: &SignedIn,
    ip: &str,
    w: &str,
    action: frontdesk_core::Action,
) -> Result<workspaces::Access, WebError> {
    let p = Principal::User { id: u.user.id.clone(), ip: Some(ip.to_string()) };
    workspaces::authorize(&s.app, &p, w, action).await.map_err(WebError::page)
}
