//! Small, panic-free accessors over [`serde_json::Value`] shared by the three parsers.
//!
//! Every helper answers `None` (or an empty slice) for a missing key, a value of the wrong
//! type, or a receiver that is not an object, so one odd field never fails a whole batch.

use serde_json::Value;

use crate::Unparseable;

/// Parses a body into a JSON object, or says why it is not one. An escaped NUL (`\u0000`) in
/// any string or key becomes U+FFFD, so nothing parsed from a delivery carries a character the
/// database refuses.
pub(crate) fn object_body(body: &[u8]) -> Result<Value, Unparseable> {
    let mut value: Value =
        serde_json::from_slice(body).map_err(|e| Unparseable::new(format!("body is not JSON: {e}")))?;
    if !value.is_object() {
        return Err(Unparseable::new(format!("body is a JSON {}, not an object", type_name(&value))));
    }
    scrub_nul(&mut value);
    Ok(value)
}

/// Replaces NUL in every string and key of `v` with U+FFFD (PostgreSQL refuses NUL in text):
/// for anything a provider answers that may end up stored.
pub fn scrub_nul(v: &mut Value) {
    const NUL: char = '\0';
    match v {
        Value::String(s) if s.contains(NUL) => *s = s.replace(NUL, "\u{FFFD}"),
        Value::Array(a) => a.iter_mut().for_each(scrub_nul),
        Value::Object(m) => {
            if m.keys().any(|k| k.contains(NUL)) {
                let old = std::mem::take(m);
                m.extend(old.into_iter().map(|(k, v)| (k.replace(NUL, "\u{FFFD}"), v)));
            }
            m.values_mut().for_each(scrub_nul);
        }
        _ => {}
    }
}

/// The JSON type of a value, for error messages.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The string at `key`, when it is a string.
pub(crate) fn get_str<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)?.as_str()
}

/// The string at `key` as an owned `String`, when it is a non-empty string.
pub(crate) fn get_string(v: &Value, key: &str) -> Option<String> {
    get_str(v, key).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// An identifier at `key`: a non-empty string, or an integer written in decimal
/// (Telegram ids are numbers, Meta ids are strings; both are accepted everywhere).
pub(crate) fn get_id(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some(n.to_string()),
        _ => None,
    }
}

/// An integer at `key`: a JSON integer, a float with no fraction that fits, or a string of
/// decimal digits (Meta sends timestamps as strings).
pub(crate) fn get_i64(v: &Value, key: &str) -> Option<i64> {
    as_i64(v.get(key)?)
}

/// See [`get_i64`].
pub(crate) fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            let f = n.as_f64()?;
            // `as` saturates, so check the range first to refuse rather than clamp.
            (f.is_finite() && f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64).then_some(f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A finite float at `key`: a JSON number or a numeric string.
pub(crate) fn get_f64(v: &Value, key: &str) -> Option<f64> {
    let f = match v.get(key)? {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    f.is_finite().then_some(f)
}

/// True only for a JSON `true` at `key`.
pub(crate) fn get_bool(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// The array at `key`, or an empty slice.
pub(crate) fn get_array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

/// The object at `key`, when it is an object.
pub(crate) fn get_object<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.get(key).filter(|o| o.is_object())
}

/// Seconds since the epoch to milliseconds; 0 for a missing or negative value, saturating.
pub(crate) fn secs_to_ms(secs: Option<i64>) -> i64 {
    secs.filter(|s| *s >= 0).map_or(0, |s| s.saturating_mul(1000))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn accessors_tolerate_wrong_types() {
        let v = json!({"s": "x", "e": "", "n": 42, "f": 1.5, "big": 1e300, "ns": " 17 ", "b": true, "a": [1], "o": {}});
        assert_eq!(get_str(&v, "s"), Some("x"));
        assert_eq!(get_string(&v, "e"), None);
        assert_eq!(get_id(&v, "n").as_deref(), Some("42"));
        assert_eq!(get_id(&v, "f"), None);
        assert_eq!(get_i64(&v, "ns"), Some(17));
        assert_eq!(get_i64(&v, "f"), None);
        assert_eq!(get_i64(&v, "big"), None);
        assert_eq!(get_i64(&json!({"x": 3.0}), "x"), Some(3));
        assert_eq!(get_f64(&v, "n"), Some(42.0));
        assert!(get_bool(&v, "b"));
        assert!(!get_bool(&v, "s"));
        assert_eq!(get_array(&v, "a").len(), 1);
        assert!(get_array(&v, "o").is_empty());
        assert!(get_object(&v, "o").is_some());
        assert!(get_object(&v, "a").is_none());
        assert_eq!(get_str(&json!([1, 2]), "s"), None);
        assert_eq!(secs_to_ms(Some(i64::MAX)), i64::MAX);
        assert_eq!(secs_to_ms(Some(-5)), 0);
        assert_eq!(secs_to_ms(None), 0);
        assert_eq!(secs_to_ms(Some(1_700_000_000)), 1_700_000_000_000);
    }

    #[test]
    fn escaped_nul_never_leaves_the_parser() {
        let v = object_body(br#"{"a\u0000":["x\u0000y",{"b":"\u0000"}]}"#).unwrap();
        assert_eq!(v, serde_json::json!({"a\u{FFFD}": ["x\u{FFFD}y", {"b": "\u{FFFD}"}]}));
    }

    #[test]
    fn object_body_explains_itself() {
        assert!(object_body(b"{}").is_ok());
        assert!(object_body(b"not json").unwrap_err().reason.contains("not JSON"));
        assert!(object_body(b"[1]").unwrap_err().reason.contains("array"));
    }
}
