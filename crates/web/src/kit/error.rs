//! AppError → HTTP, in one place. JSON callers get `{"error": {"code", "message"}}`; pages
//! render their own form errors and use [`WebError::page`] for the rest.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use frontdesk_platform::error::ErrorKind;
use frontdesk_platform::AppError;

pub struct WebError {
    pub error: AppError,
    pub html: bool,
}

impl WebError {
    pub fn page(error: AppError) -> Self {
        Self { error, html: true }
    }
}

impl From<AppError> for WebError {
    fn from(error: AppError) -> Self {
        Self { error, html: false }
    }
}

pub fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::Gone => StatusCode::GONE,
        ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorKind::UnsupportedMedia => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorKind::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

pub fn json_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = serde_json::json!({ "error": { "code": code, "message": message } });
    (status, axum::Json(body)).into_response()
}

fn retry_after(resp: &mut Response, kind: ErrorKind) {
    if let ErrorKind::RateLimited { retry_after_secs } = kind {
        if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let e = self.error;
        let status = status_of(e.kind);
        let mut resp = if self.html {
            let text = frontdesk_i18n::error_text(frontdesk_i18n::current(), e.code, &e.message);
            let body = crate::kit::layout::error_page(status, &text);
            (status, body).into_response()
        } else {
            let mut body = serde_json::json!({ "error": { "code": e.code, "message": e.message } });
            if let Some(f) = e.field {
                body["error"]["field"] = serde_json::Value::from(f);
            }
            (status, axum::Json(body)).into_response()
        };
        retry_after(&mut resp, e.kind);
        resp
    }
}

/// A form's refusal a person can act on (invalid input, a conflict such as a taken name): its
/// status and sentence, to show the form again; anything else is an error page.
pub(crate) fn refusal(
    e: frontdesk_platform::AppError,
) -> Result<(axum::http::StatusCode, String), crate::kit::error::WebError> {
    use frontdesk_platform::error::ErrorKind;
    match e.kind {
        ErrorKind::Invalid | ErrorKind::Conflict => Ok((
            crate::kit::error::status_of(e.kind),
            frontdesk_i18n::error_text(frontdesk_i18n::current(), e.code, &e.message),
        )),
        _ => Err(crate::kit::error::WebError::page(e)),
    }
}
