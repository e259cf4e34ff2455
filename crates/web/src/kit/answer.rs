//! What the JSON API answers when it succeeds: a typed body with its status ([`Answer`]), or
//! nothing ([`Done`], 204). Each answer type derives `Serialize` and `JsonSchema`, and the
//! route table names it (`.returns::<T>()`, `.created::<T>()`, …), so the OpenAPI document
//! describes each answer from the very type the handler builds.

use crate::kit::error::WebError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use frontdesk_core::Timestamp;
use frontdesk_platform::AppError;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::Serialize;
use std::borrow::Cow;

/// A JSON answer of type `T` with its status.
///
/// The body goes through a `serde_json::Value` on its way out, as the answers built with
/// `json!` did: an object's keys come out sorted, so the bytes stay those of the API before
/// its answers had types, whatever order a type declares its fields in.
pub struct Answer<T> {
    status: StatusCode,
    body: T,
}

impl<T> Answer<T> {
    /// 200.
    pub fn ok(body: T) -> Self {
        Self { status: StatusCode::OK, body }
    }

    /// 201.
    pub fn created(body: T) -> Self {
        Self { status: StatusCode::CREATED, body }
    }

    /// 201 when `created`, 200 when the request repeated one that already did it.
    pub fn created_if(created: bool, body: T) -> Self {
        Self { status: if created { StatusCode::CREATED } else { StatusCode::OK }, body }
    }
}

impl<T: Serialize> IntoResponse for Answer<T> {
    fn into_response(self) -> Response {
        match serde_json::to_value(&self.body) {
            Ok(v) => (self.status, axum::Json(v)).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "an answer does not serialize");
                WebError::from(AppError::internal()).into_response()
            }
        }
    }
}

/// What a JSON API handler returns.
pub type Api<T> = Result<Answer<T>, WebError>;

/// 204, no body.
pub struct Done;

impl IntoResponse for Done {
    fn into_response(self) -> Response {
        StatusCode::NO_CONTENT.into_response()
    }
}

/// A time in an answer: RFC 3339 in UTC with milliseconds, like `2026-11-22T10:00:00.000Z`.
#[derive(Clone, Debug, Serialize)]
#[serde(transparent)]
pub struct Time(String);

impl Time {
    /// Of milliseconds since the Unix epoch.
    pub fn of(ms: i64) -> Self {
        Self(Timestamp(ms).to_rfc3339())
    }

    pub fn of_opt(ms: Option<i64>) -> Option<Self> {
        ms.map(Self::of)
    }
}

impl JsonSchema for Time {
    fn schema_name() -> Cow<'static, str> {
        "Time".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        // No `format: date-time`: a time a provider or a client gave can lie past year 9999,
        // whose five-digit year RFC 3339 cannot write.
        json_schema!({
            "type": "string",
            "description": "RFC 3339 in UTC with milliseconds, like `2026-11-22T10:00:00.000Z`."
        })
    }
}
