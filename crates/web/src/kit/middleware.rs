//! Layers every request passes: client address (trusted proxies only), request id and JSON
//! log line, panic guard, body limit, same-origin check for unsafe cookie requests, and
//! security headers.

use crate::kit::error::json_error;
use crate::AppState;
use axum::extract::{ConnectInfo, DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use frontdesk_platform::auth::Client;
use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

pub fn wrap(router: axum::Router<AppState>, state: AppState) -> Router {
    let limit = state.web.body_limit_bytes;
    router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn(language))
        .layer(axum::middleware::from_fn(undecodable_path))
        .layer(DefaultBodyLimit::max(limit))
        .layer(from_fn_with_state(state.clone(), same_origin))
        .layer(from_fn_with_state(state.clone(), body_limit))
        .layer(from_fn_with_state(state.clone(), security_headers))
        .layer(from_fn_with_state(state.clone(), catch_panic))
        .layer(from_fn_with_state(state.clone(), request_log))
        .layer(from_fn_with_state(state.clone(), client_info))
        .layer(axum::middleware::from_fn(scrub_nul_in_query))
        .with_state(state)
}

/// The request's language: the browser's `Accept-Language` here; a signed-in person's own
/// setting replaces it once the session is read (`kit::extract::MaybeUser`).
async fn language(req: Request, next: Next) -> Response {
    let lang = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(frontdesk_i18n::Lang::from_accept_language)
        .unwrap_or_default();
    frontdesk_i18n::scope(lang, next.run(req)).await
}

/// `%00` in a query string becomes U+FFFD before any extractor reads it (see `crate::kit::body`).
async fn scrub_nul_in_query(mut req: Request, next: Next) -> Response {
    if let Some(uri) = crate::kit::body::scrub_uri(req.uri()) {
        *req.uri_mut() = uri;
    }
    next.run(req).await
}

/// A path whose percent-escapes do not decode to UTF-8 (`/api/v1/threads/%FF`) names nothing
/// we serve; left to the extractors, it would be answered in plain text.
async fn undecodable_path(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if decodes_to_utf8(path) {
        return next.run(req).await;
    }
    let status = StatusCode::BAD_REQUEST;
    if path.starts_with("/api/") {
        json_error(status, "invalid_path", "The path is not valid: its escapes do not decode to UTF-8.")
    } else {
        (status, crate::kit::layout::error_page(status, "This address is not valid.")).into_response()
    }
}

fn decodes_to_utf8(path: &str) -> bool {
    if !path.contains('%') {
        return true;
    }
    let b = path.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |j: usize| b.get(j).and_then(|c| (*c as char).to_digit(16));
        match (b[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    std::str::from_utf8(&out).is_ok()
}

async fn not_found(req: Request) -> Response {
    no_such(req.uri().path())
}

/// A known path with a method it does not take (axum adds the `Allow` header).
async fn method_not_allowed(req: Request) -> Response {
    let status = StatusCode::METHOD_NOT_ALLOWED;
    if req.uri().path().starts_with("/api/") {
        json_error(status, "method_not_allowed", "This endpoint does not take this method.")
    } else {
        (status, crate::kit::layout::error_page(status, "This page does not take this method.")).into_response()
    }
}

/// What an unknown path answers; also what a route answers that must not reveal itself.
pub(crate) fn no_such(path: &str) -> Response {
    if path.starts_with("/api/") {
        json_error(StatusCode::NOT_FOUND, "not_found", "No such endpoint.")
    } else {
        (StatusCode::NOT_FOUND, crate::kit::layout::error_page(StatusCode::NOT_FOUND, "This page does not exist."))
            .into_response()
    }
}

/// The real client address: the peer, unless the peer is a trusted proxy, in which case the
/// right-most X-Forwarded-For address that is not itself a trusted proxy.
pub fn real_ip(peer: IpAddr, xff: Option<&str>, trusted: &[crate::TrustedProxy]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|t| t.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let Some(xff) = xff else { return peer };
    let mut last = peer;
    for part in xff.rsplit(',') {
        match part.trim().parse::<IpAddr>() {
            Ok(ip) if is_trusted(ip) => last = ip,
            Ok(ip) => return ip,
            Err(_) => return last,
        }
    }
    last
}

async fn client_info(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let peer =
        req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()).unwrap_or(IpAddr::from([127, 0, 0, 1]));
    let xff = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
    let ip = real_ip(peer, xff, &state.web.trusted_proxies);
    let user_agent = req.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_string);
    req.extensions_mut().insert(Client { ip: ip.to_string(), user_agent, time_zone: None });
    next.run(req).await
}

async fn request_log(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() <= 64 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    // The route template, never the raw path or query: those can carry tokens.
    let route =
        req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string()).unwrap_or_else(|| "<unmatched>".into());
    let method = req.method().clone();
    let start = Instant::now();
    let span = tracing::info_span!("request", request_id = %id, method = %method, route = %route);
    let mut resp = tracing::Instrument::instrument(next.run(req), span.clone()).await;
    let status = resp.status().as_u16();
    state.app.metrics.count_response(status);
    span.in_scope(|| tracing::info!(status, elapsed_ms = start.elapsed().as_millis() as u64, "response"));
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-request-id", v);
    }
    resp
}

/// A panicking handler answers 500 with a JSON error instead of dropping the connection.
async fn catch_panic(req: Request, next: Next) -> Response {
    match tokio::spawn(next.run(req)).await {
        Ok(r) => r,
        Err(_) => {
            tracing::error!("handler panicked");
            json_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Something went wrong on our side; it has been logged.",
            )
        }
    }
}

async fn body_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let len =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    // File uploads (the body is the file) may be as large as a provider takes.
    let limit = if req.uri().path().ends_with("/attachments") {
        state.app.inbox.media_max_bytes as usize
    } else if req.uri().path() == "/api/v1/contacts/import" {
        frontdesk_inbox::contacts::MAX_IMPORT_BYTES
    } else {
        state.web.body_limit_bytes
    };
    if len.is_some_and(|l| l > limit) {
        return json_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "The request body is too large.");
    }
    next.run(req).await
}

/// Unsafe methods carried by a browser cookie must come from our own origin: a
/// `Sec-Fetch-Site` other than same-origin (or none: typed by the user) is refused, and an
/// `Origin`, when present, must be ours whatever `Sec-Fetch-Site` says. Bearer-token requests
/// are exempt: browsers cannot attach our tokens cross-site.
async fn same_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "));
    // Webhooks and the web-chat API carry their own credentials (signatures, visitor tokens),
    // never cookies, so a cross-site request cannot borrow anyone's session there.
    let own_auth = req.uri().path().starts_with("/webhooks/") || req.uri().path().starts_with("/chat/");
    if safe || bearer || own_auth {
        return next.run(req).await;
    }
    let h = req.headers();
    let site = h.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let origin = h.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let ours = |o: &str| o == state.web.origin() || host_origin(h, state.web.scheme()).is_some_and(|ho| ho == o);
    let ok = match (site, origin) {
        // Our pages send `no-referrer`, under which browsers withhold a form's origin as
        // `null`; the browser itself vouches with same-origin, which no page can forge.
        (Some("same-origin"), Some("null")) => true,
        (Some("same-origin" | "none") | None, Some(o)) => ours(o),
        (Some("same-origin" | "none") | None, None) => true,
        (Some(_), _) => false,
    };
    if !ok {
        tracing::warn!("cross-origin unsafe request refused");
        return json_error(
            StatusCode::FORBIDDEN,
            "cross_origin_refused",
            "This request came from another site and was refused.",
        );
    }
    next.run(req).await
}

/// The origin the request was addressed to, with the base URL's scheme: behind a TLS proxy the
/// Host is the public one, and a plain-http origin is not ours when the base URL is https.
fn host_origin(h: &axum::http::HeaderMap, scheme: &str) -> Option<String> {
    let host = h.get(header::HOST)?.to_str().ok()?;
    Some(format!("{scheme}://{host}"))
}

async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, k: &'static str, v: &'static str| {
        h.entry(k).or_insert(HeaderValue::from_static(v));
    };
    set(h, "content-security-policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    set(h, "x-content-type-options", "nosniff");
    // A page that says who may frame it (a booking page embedded on the business's site) is
    // not denied by the older header; every other page is.
    let framable = h
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| !v.contains("frame-ancestors 'none'"));
    if !framable {
        set(h, "x-frame-options", "DENY");
    }
    // Reset and invitation links carry tokens in the URL: never leak them to other sites.
    set(h, "referrer-policy", "no-referrer");
    set(h, "cross-origin-opener-policy", "same-origin");
    set(h, "permissions-policy", "camera=(), microphone=(), geolocation=()");
    set(h, "cache-control", "no-store");
    if state.web.https() {
        set(h, "strict-transport-security", "max-age=31536000; includeSubDomains");
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TrustedProxy;

    #[test]
    fn paths_whose_escapes_are_not_utf8_are_told_apart() {
        for ok in ["/api/v1/threads/abc", "/w/%C3%A9t%C3%A9", "/a%2", "/a%zz", "/%"] {
            assert!(decodes_to_utf8(ok), "{ok}");
        }
        for bad in ["/api/v1/threads/%FF", "/x/%C3", "/%c3%28"] {
            assert!(!decodes_to_utf8(bad), "{bad}");
        }
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let trusted = vec![TrustedProxy::parse("10.0.0.0/8").unwrap()];
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(real_ip(ip("203.0.113.9"), Some("1.1.1.1"), &trusted), ip("203.0.113.9"));
        assert_eq!(real_ip(ip("10.0.0.2"), Some("1.1.1.1, 198.51.100.7, 10.0.0.3"), &trusted), ip("198.51.100.7"));
        assert_eq!(real_ip(ip("10.0.0.2"), None, &trusted), ip("10.0.0.2"));
    }
}
