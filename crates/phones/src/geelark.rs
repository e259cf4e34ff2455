//! GeeLark's open API in key mode: every call is a POST of JSON to `/open/v1/…` with the headers
//! `appId`, `traceId` (a UUID, upper-case hex), `ts` (milliseconds), `nonce` (the first six
//! characters of the trace id) and `sign` = upper-hex SHA-256 of appId + traceId + ts + nonce +
//! apiKey; every answer is the envelope `{traceId, code, msg, data}` (code 0, or 40006 for a
//! batch that partly succeeded). Callbacks are signed the same way; we verify them and use
//! them only to ask again.

use crate::provider::{CallError, Caps, Each, Op, PhoneProvider, Refusal, Seen, Spec, Why};
use frontdesk_platform::ports::Fut;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::time::Duration;

pub struct GeeLark {
    http: reqwest::Client,
    base: String,
    app_id: String,
    key: String,
    timeout: Duration,
}

/// The `sign` header of a request or callback.
pub fn sign(app_id: &str, trace_id: &str, ts: &str, nonce: &str, key: &str) -> String {
    let mut h = Sha256::new();
    for p in [app_id, trace_id, ts, nonce, key] {
        h.update(p.as_bytes());
    }
    hex::encode_upper(h.finalize())
}

/// Checks a callback's headers against our key (a constant-time comparison).
pub fn verify(headers: &dyn Fn(&str) -> Option<String>, app_id: &str, key: &str) -> bool {
    let (Some(app), Some(trace), Some(ts), Some(nonce), Some(sig)) =
        (headers("appId"), headers("traceId"), headers("ts"), headers("nonce"), headers("sign"))
    else {
        return false;
    };
    if app != app_id || !trace.starts_with(&nonce) || nonce.len() != 6 {
        return false;
    }
    let want = sign(&app, &trace, &ts, &nonce, key);
    subtle_eq(want.as_bytes(), sig.to_ascii_uppercase().as_bytes())
}

fn subtle_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn trace_id() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    hex::encode_upper(b)
}

/// GeeLark's per-device codes, as ours.
fn why(code: i64) -> Why {
    match code {
        43005 | 43006 | 43007 | 43021 | 43011 => Why::Busy,
        47001 | 47002 | 44006 | 43020 | 43029 | 43039 => Why::NoResources,
        42001 | 47004 => Why::Gone,
        43004 | 47003 | 46001 => Why::Expired,
        43009 | 43010 | 43036 => Why::WrongState,
        _ => Why::Other,
    }
}

/// `phone/status`: 0 started, 1 starting, 2 shut down, 3 expired.
pub fn seen(status: i64) -> Seen {
    match status {
        0 => Seen::Running,
        1 => Seen::Starting,
        2 => Seen::Stopped,
        3 => Seen::Expired,
        n => Seen::Unknown(format!("geelark:{n}")),
    }
}

impl GeeLark {
    pub fn new(http: reqwest::Client, base: &str, app_id: &str, key: &str, timeout: Duration) -> Self {
        Self { http, base: base.trim_end_matches('/').to_string(), app_id: app_id.into(), key: key.into(), timeout }
    }

    /// One call; the envelope's `data` when the code says it went through (fully or partly).
    async fn call(&self, path: &str, body: Value) -> Result<Value, CallError> {
        let trace = trace_id();
        let ts = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0)
            .to_string();
        let nonce = trace[..6].to_string();
        let sig = sign(&self.app_id, &trace, &ts, &nonce, &self.key);
        let r = self
            .http
            .post(format!("{}/open/v1/{path}", self.base))
            .timeout(self.timeout)
            .header("appId", &self.app_id)
            .header("traceId", &trace)
            .header("ts", &ts)
            .header("nonce", &nonce)
            .header("sign", &sig)
            .json(&body)
            .send()
            .await
            .map_err(|e| CallError::Unavailable(if e.is_timeout() { "timed out".into() } else { e.to_string() }))?;
        let status = r.status();
        if status.is_server_error() || status.as_u16() == 429 {
            return Err(CallError::Unavailable(format!("HTTP {status}")));
        }
        if status.as_u16() == 401 || status.as_u16() == 403 {
            return Err(CallError::Auth(format!("HTTP {status}")));
        }
        let v: Value =
            r.json().await.map_err(|e| CallError::Unavailable(format!("an answer that is not JSON: {e}")))?;
        let code = v.get("code").and_then(Value::as_i64).unwrap_or(-1);
        let msg = v.get("msg").and_then(Value::as_str).unwrap_or("").to_string();
        match code {
            0 | 40006 | 40009 => Ok(v.get("data").cloned().unwrap_or(Value::Null)),
            40003 | 40013 | 40015 | 40016 => Err(CallError::Auth(format!("{code} {msg}"))),
            40007 | 40014 | 40017 | 50000 => Err(CallError::Unavailable(format!("{code} {msg}"))),
            _ => Err(CallError::Refused(format!("{code} {msg}"))),
        }
    }
}

fn fails(data: &Value) -> Vec<(String, Refusal)> {
    let list = data.get("failDetails").and_then(Value::as_array).cloned().unwrap_or_default();
    list.iter()
        .filter_map(|f| {
            let id = match f.get("id")? {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return None,
            };
            let code = f.get("code").and_then(Value::as_i64).unwrap_or(0);
            let message = f.get("msg").and_then(Value::as_str).unwrap_or("").to_string();
            Some((id, Refusal { code: code.to_string(), message, why: why(code) }))
        })
        .collect()
}

impl PhoneProvider for GeeLark {
    fn caps(&self) -> Caps {
        // Start and stop take 200 ids, delete 100: the smaller bounds every batch.
        Caps { creates: true, reset: false, batch: 100 }
    }

    fn create<'a>(&'a self, spec: &'a Spec) -> Fut<'a, Result<Result<String, Refusal>, CallError>> {
        Box::pin(async move {
            let mut body = json!({
                "mobileType": spec.android_version,
                "chargeMode": 0,
                "data": [{ "profileName": spec.name, "profileTags": [spec.tag], "profileNote": "frontdesk" }],
            });
            if let Some(r) = &spec.region {
                body["region"] = json!(r);
            }
            let data = self.call("phone/addNew", body).await?;
            let d = data.get("details").and_then(Value::as_array).and_then(|l| l.first()).cloned().unwrap_or_default();
            let code = d.get("code").and_then(Value::as_i64).unwrap_or(-1);
            match (code, d.get("id").and_then(Value::as_str)) {
                (0, Some(id)) => Ok(Ok(id.to_string())),
                _ => {
                    let message = d.get("msg").and_then(Value::as_str).unwrap_or("not created").to_string();
                    Ok(Err(Refusal { code: code.to_string(), message, why: why(code) }))
                }
            }
        })
    }

    fn find_tagged<'a>(&'a self, tag: &'a str) -> Fut<'a, Result<Option<String>, CallError>> {
        Box::pin(async move {
            let data = self.call("phone/list", json!({ "page": 1, "pageSize": 10, "tags": [tag] })).await?;
            let items = data.get("items").and_then(Value::as_array).cloned().unwrap_or_default();
            Ok(items.iter().find_map(|i| i.get("id").and_then(Value::as_str).map(str::to_string)))
        })
    }

    fn act<'a>(&'a self, op: Op, refs: &'a [String]) -> Fut<'a, Result<Vec<Each>, CallError>> {
        Box::pin(async move {
            let mut out: Vec<Each> = Vec::new();
            match op {
                Op::Restart => {
                    // `phone/restart` takes one phone at a time.
                    for r in refs {
                        match self.call("phone/restart", json!({ "id": r })).await {
                            Ok(_) => out.push((r.clone(), Ok(None))),
                            Err(CallError::Refused(m)) => {
                                let code: i64 = m.split(' ').next().and_then(|c| c.parse().ok()).unwrap_or(0);
                                out.push((
                                    r.clone(),
                                    Err(Refusal { code: code.to_string(), message: m, why: why(code) }),
                                ))
                            }
                            Err(e) => return Err(e),
                        }
                    }
                    return Ok(out);
                }
                Op::Reset => {
                    return Ok(refs
                        .iter()
                        .map(|r| {
                            let message = "GeeLark devices are not reset through the API".to_string();
                            (r.clone(), Err(Refusal { code: "unsupported".into(), message, why: Why::Other }))
                        })
                        .collect())
                }
                Op::Start | Op::Stop | Op::Delete => {}
            }
            let path = match op {
                Op::Start => "phone/start",
                Op::Stop => "phone/stop",
                _ => "phone/delete",
            };
            let data = self.call(path, json!({ "ids": refs })).await?;
            let failed = fails(&data);
            let urls: Vec<(String, Option<String>)> = data
                .get("successDetails")
                .and_then(Value::as_array)
                .map(|l| {
                    l.iter()
                        .filter_map(|s| {
                            let id = s.get("id").and_then(Value::as_str)?.to_string();
                            Some((id, s.get("url").and_then(Value::as_str).map(str::to_string)))
                        })
                        .collect()
                })
                .unwrap_or_default();
            for r in refs {
                if let Some((_, refusal)) = failed.iter().find(|(id, _)| id == r) {
                    out.push((r.clone(), Err(refusal.clone())));
                } else {
                    let url = urls.iter().find(|(id, _)| id == r).and_then(|(_, u)| u.clone());
                    out.push((r.clone(), Ok(url)));
                }
            }
            Ok(out)
        })
    }

    fn status<'a>(&'a self, refs: &'a [String]) -> Fut<'a, Result<Vec<(String, Seen)>, CallError>> {
        Box::pin(async move {
            let mut out = Vec::new();
            for chunk in refs.chunks(100) {
                let data = self.call("phone/status", json!({ "ids": chunk })).await?;
                for s in data.get("successDetails").and_then(Value::as_array).cloned().unwrap_or_default() {
                    if let (Some(id), Some(st)) =
                        (s.get("id").and_then(Value::as_str), s.get("status").and_then(Value::as_i64))
                    {
                        out.push((id.to_string(), seen(st)));
                    }
                }
                for (id, r) in fails(&data) {
                    out.push((
                        id,
                        if r.why == Why::Gone { Seen::Gone } else { Seen::Unknown(format!("geelark:{}", r.code)) },
                    ));
                }
            }
            Ok(out)
        })
    }

    fn list<'a>(&'a self) -> Fut<'a, Result<Vec<(String, Seen)>, CallError>> {
        Box::pin(async move {
            let mut out = Vec::new();
            for page in 1..=100 {
                let data = self.call("phone/list", json!({ "page": page, "pageSize": 100 })).await?;
                let items = data.get("items").and_then(Value::as_array).cloned().unwrap_or_default();
                for i in &items {
                    if let (Some(id), Some(st)) =
                        (i.get("id").and_then(Value::as_str), i.get("status").and_then(Value::as_i64))
                    {
                        out.push((id.to_string(), seen(st)));
                    }
                }
                let total = data.get("total").and_then(Value::as_i64).unwrap_or(0);
                if items.len() < 100 || out.len() as i64 >= total {
                    break;
                }
            }
            Ok(out)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_is_upper_hex_sha256_of_the_five_parts() {
        let s = sign("app", "ABCDEF0123", "1700000000000", "ABCDEF", "key");
        assert_eq!(s.len(), 64);
        assert_eq!(s, s.to_ascii_uppercase());
        let mut h = Sha256::new();
        h.update(b"appABCDEF01231700000000000ABCDEFkey");
        assert_eq!(s, hex::encode_upper(h.finalize()));
    }

    #[test]
    fn states_map_and_unknown_ones_are_kept_raw() {
        assert_eq!(seen(0), Seen::Running);
        assert_eq!(seen(2), Seen::Stopped);
        assert_eq!(seen(3), Seen::Expired);
        assert_eq!(seen(9), Seen::Unknown("geelark:9".into()));
        assert_eq!(why(43005), Why::Busy);
        assert_eq!(why(47002), Why::NoResources);
    }

    #[test]
    fn a_callback_is_verified_on_its_headers() {
        let trace = trace_id();
        let nonce = trace[..6].to_string();
        let sig = sign("app", &trace, "1", &nonce, "key");
        let h = |n: &str| -> Option<String> {
            match n {
                "appId" => Some("app".into()),
                "traceId" => Some(trace.clone()),
                "ts" => Some("1".into()),
                "nonce" => Some(nonce.clone()),
                "sign" => Some(sig.clone()),
                _ => None,
            }
        };
        assert!(verify(&h, "app", "key"));
        assert!(!verify(&h, "app", "other"));
    }
}
