//! AppError → HTTP, in one place. JSON callers get `{"error": {"code", "message"}}`; pages
//! render their own form errors and use [`WebError::page`] for the rest.

use axum::extract::rejection::FormRejection;
use axum::extract::{FromRequest, Request};
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
            let body = crate::kit::layout::error_page(status, &e.message);
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

/// `Json<T>` whose rejections are our JSON errors with stable codes, and whose body must be
/// an object naming each field once, with no NUL in its text (see [`crate::kit::body`]).
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(crate::kit::body::is_json);
        if !json {
            return Err(json_error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Send the body as application/json.",
            ));
        }
        let bytes = match axum::body::Bytes::from_request(req, state).await {
            Ok(b) => b,
            Err(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(json_error(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    "The request body is too large.",
                ))
            }
            Err(_) => {
                return Err(json_error(StatusCode::BAD_REQUEST, "bad_request", "The request body could not be read."))
            }
        };
        crate::kit::body::json_object(&bytes).map(Self)
    }
}

/// `Form<T>` whose rejections are plain error pages rather than bare text.
pub struct PageForm<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for PageForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        // A NUL in a field (`%00`, or a raw byte) becomes U+FFFD before the form is read.
        let (method, uri) = (req.method().clone(), req.uri().clone());
        let content_type = req.headers().get(header::CONTENT_TYPE).cloned();
        let bytes = match axum::body::Bytes::from_request(req, state).await {
            Ok(b) => b,
            Err(_) => {
                let status = StatusCode::PAYLOAD_TOO_LARGE;
                return Err((status, crate::kit::layout::error_page(status, "The form is too large.")).into_response());
            }
        };
        let bytes = crate::kit::body::scrub_urlencoded(&bytes).map(axum::body::Bytes::from).unwrap_or(bytes);
        let mut req = Request::new(axum::body::Body::from(bytes));
        *req.method_mut() = method;
        *req.uri_mut() = uri;
        if let Some(ct) = content_type {
            req.headers_mut().insert(header::CONTENT_TYPE, ct);
        }
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(Self(v)),
            Err(r) => {
                let (status, msg) = match r {
                    FormRejection::BytesRejection(_) => (StatusCode::PAYLOAD_TOO_LARGE, "The form is too large."),
                    FormRejection::InvalidFormContentType(_) => {
                        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "Send the form as a normal HTML form.")
                    }
                    _ => (StatusCode::BAD_REQUEST, "The form could not be read."),
                };
                Err((status, crate::kit::layout::error_page(status, msg)).into_response())
            }
        }
    }
}

/// A form's refusal a person can act on (invalid input, a conflict such as a taken name): its
/// status and sentence, to show the form again; anything else is an error page.
pub(crate) fn refusal(
    e: frontdesk_platform::AppError,
) -> Result<(axum::http::StatusCode, String), crate::kit::error::WebError> {
    use frontdesk_platform::error::ErrorKind;
    match e.kind {
        ErrorKind::Invalid | ErrorKind::Conflict => Ok((crate::kit::error::status_of(e.kind), e.message)),
        _ => Err(crate::kit::error::WebError::page(e)),
    }
}
