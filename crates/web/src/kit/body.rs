//! Request bodies and query strings as the handlers may trust them. A JSON body is an object
//! with named fields, each named once (a positional array or a repeated key would mean two
//! readers can disagree on what was sent); and a NUL character in any text a client sends
//! (JSON `\u0000`, `%00` in a query or form) becomes U+FFFD before a handler sees it, since
//! PostgreSQL refuses NUL in text and nothing a person reads needs it.

use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

use crate::kit::error::json_error;
use axum::extract::rejection::FormRejection;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use axum::response::IntoResponse;

/// A JSON value whose strings hold no NUL and whose objects repeat no key.
struct Checked(Value);

impl<'de> serde::Deserialize<'de> for Checked {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CheckedVisitor).map(Checked)
    }
}

struct CheckedVisitor;

fn text(s: &str) -> String {
    frontdesk_core::text::scrub_nul(s).into_owned()
}

impl<'de> Visitor<'de> for CheckedVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map(Value::Number).unwrap_or(Value::Null))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(text(v)))
    }
    fn visit_string<E>(self, mut v: String) -> Result<Value, E> {
        frontdesk_core::text::scrub_nul_in(&mut v);
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Checked(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(k) = map.next_key::<String>()? {
            let k = text(&k);
            let Checked(v) = map.next_value()?;
            if out.contains_key(&k) {
                return Err(de::Error::custom(format_args!("the field `{k}` is given twice")));
            }
            out.insert(k, v);
        }
        Ok(Value::Object(out))
    }
}

/// Parses a JSON request body into `T`, answering with our stable errors: `malformed_json`
/// (400), `duplicate_field`, `body_not_object` or `invalid_field` (422). The error is the
/// response itself, as every caller returns it as is.
#[allow(clippy::result_large_err)]
pub fn json_object<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Response> {
    let value = match serde_json::from_slice::<Checked>(bytes) {
        Ok(Checked(v)) => v,
        // The only data error the checked parse raises is a repeated key.
        Err(e) if e.classify() == serde_json::error::Category::Data => {
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg);
            return Err(json_error(StatusCode::UNPROCESSABLE_ENTITY, "duplicate_field", &format!("{msg}.")));
        }
        Err(_) => {
            return Err(json_error(StatusCode::BAD_REQUEST, "malformed_json", "The request body is not valid JSON."))
        }
    };
    if !value.is_object() {
        return Err(json_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "body_not_object",
            "The request body must be a JSON object with named fields.",
        ));
    }
    serde_json::from_value(value).map_err(|e| {
        json_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            &format!("Failed to deserialize the JSON body into the target type: {e}"),
        )
    })
}

/// Whether a `Content-Type` names JSON (`application/json` or `application/…+json`).
pub fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// A URL-encoded text (a query string or a form body) in which `%00` and raw NUL bytes stand
/// for U+FFFD instead, or `None` when it has neither.
pub fn scrub_urlencoded(s: &[u8]) -> Option<Vec<u8>> {
    if !s.contains(&0) && !s.windows(3).any(|w| w == b"%00") {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() + 16);
    let mut i = 0;
    while i < s.len() {
        if s[i] == 0 {
            out.extend_from_slice(b"%EF%BF%BD");
            i += 1;
        } else if s[i..].starts_with(b"%00") {
            out.extend_from_slice(b"%EF%BF%BD");
            i += 3;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The request's URI with `%00` replaced in its path and query (see [`scrub_urlencoded`]).
pub fn scrub_uri(uri: &Uri) -> Option<Uri> {
    let pq = uri.path_and_query()?.as_str();
    let clean = scrub_urlencoded(pq.as_bytes())?;
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = Some(axum::http::uri::PathAndQuery::try_from(clean).ok()?);
    Uri::from_parts(parts).ok()
}

/// `Json<T>` whose rejections are our JSON errors with stable codes, and whose body must be
/// an object naming each field once, with no NUL in its text (see [`crate::kit::body`]).
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(is_json);
        if !json {
            return Err(json_error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Send the body as application/json.",
            ));
        }
        json_object(&body_bytes(req, state).await?).map(Self)
    }
}

/// The body's bytes, or our JSON error when it is too large (a chunked body past the limit)
/// or cannot be read.
async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<axum::body::Bytes, Response> {
    match axum::body::Bytes::from_request(req, state).await {
        Ok(b) => Ok(b),
        Err(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            Err(json_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "The request body is too large."))
        }
        Err(_) => Err(json_error(StatusCode::BAD_REQUEST, "bad_request", "The request body could not be read.")),
    }
}

/// An optional JSON body: none (or only whitespace) is `None`; anything else must be a JSON
/// object as for [`ApiJson`], whatever its `Content-Type` says.
pub struct OptionalJson<T>(pub Option<T>);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for OptionalJson<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = body_bytes(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(None));
        }
        json_object(&bytes).map(|v| Self(Some(v)))
    }
}

/// For `#[serde(default, deserialize_with = "present::deserialize")]` on an `Option<Option<T>>` field: tells an absent
/// field (`None`: unchanged) from an explicit null (`Some(None)`: cleared).
pub mod present {
    use serde::{Deserialize, Deserializer};
    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }

    /// For `#[schemars(transform = present::schema)]` on the same field: absent is not the
    /// same as null, so the schema gives no default.
    pub fn schema(s: &mut schemars::Schema) {
        s.remove("default");
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
        let bytes = scrub_urlencoded(&bytes).map(axum::body::Bytes::from).unwrap_or(bytes);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Body {
        a: String,
        b: Option<String>,
    }

    fn code(r: Result<Body, Response>) -> String {
        let r = r.unwrap_err();
        format!("{}", r.status().as_u16())
    }

    #[test]
    fn json_bodies_are_objects_with_each_field_once_and_no_nul() {
        let ok: Body = json_object(br#"{"a":"x\u0000y","b":null}"#).unwrap();
        assert_eq!((ok.a.as_str(), ok.b), ("x\u{FFFD}y", None));
        assert_eq!(code(json_object::<Body>(br#"["x","y"]"#)), "422", "positional arrays are refused");
        assert_eq!(code(json_object::<Body>(br#"{"a":"x","a":"y"}"#)), "422", "a repeated field is refused");
        assert_eq!(code(json_object::<Body>(br#"{"a":"x","c":1}"#)), "422");
        assert_eq!(code(json_object::<Body>(b"{\"a\":")), "400");
        assert_eq!(code(json_object::<Body>(b"{\"a\":\"\0\"}")), "400", "a raw control character is not JSON");
    }

    #[tokio::test]
    async fn an_optional_body_is_nothing_or_an_object_and_too_much_is_a_json_413() {
        let req = |body: Vec<u8>| Request::new(axum::body::Body::from(body));
        let OptionalJson(none) = OptionalJson::<Body>::from_request(req(b" \n".to_vec()), &()).await.ok().unwrap();
        assert!(none.is_none());
        let OptionalJson(some) =
            OptionalJson::<Body>::from_request(req(br#"{"a":"x"}"#.to_vec()), &()).await.ok().unwrap();
        assert_eq!(some.unwrap().a, "x");
        let r = OptionalJson::<Body>::from_request(req(b"[1]".to_vec()), &()).await.err().unwrap();
        assert_eq!(r.status(), 422);
        // No Content-Length to refuse up front: the limit stops the read.
        let r = OptionalJson::<Body>::from_request(req(vec![b' '; 3 * 1024 * 1024]), &()).await.err().unwrap();
        assert_eq!(r.status(), 413);
        assert_eq!(r.headers()[header::CONTENT_TYPE], "application/json");
    }

    #[test]
    fn percent_encoded_nul_becomes_the_replacement_character() {
        assert_eq!(scrub_urlencoded(b"q=%00a"), Some(b"q=%EF%BF%BDa".to_vec()));
        assert_eq!(scrub_urlencoded(b"q=a\0"), Some(b"q=a%EF%BF%BD".to_vec()));
        assert_eq!(scrub_urlencoded(b"q=%01%0A"), None);
        let u: Uri = "/api/v1/threads?q=%00".parse().unwrap();
        assert_eq!(scrub_uri(&u).unwrap().query(), Some("q=%EF%BF%BD"));
    }
}
