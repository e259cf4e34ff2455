//! Loopback stand-ins for the phone providers, strict where the real ones are.
//!
//! `FakeGeeLark` speaks GeeLark's open API: every call a POST of JSON to `/open/v1/…` with the
//! key-mode headers, the `sign` checked (a wrong one is the envelope's 40003), the envelope
//! `{traceId, code, msg, data}`, batch limits (start/stop 200 ids, delete and status 100), and
//! per-device results. A started phone reports `1` (starting) to its first status query and
//! `0` after; a stopped one `2`. Faults are queued per path: an HTTP 500, a hang longer than
//! the caller's timeout (after doing the work, as a lost answer), or an envelope code; a device
//! can be made to refuse with a code (43005 busy, 47002 no resources).
//!
//! `FakeAdb` speaks the ADB server's host protocol over TCP: `host:devices`,
//! `host:transport:<serial>` then `shell:`, `exec:` or `reboot:`; an unknown serial is `FAIL`
//! with its message. It records every device command.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Clone, Debug)]
pub struct Phone {
    pub id: String,
    pub name: String,
    pub tags: Vec<String>,
    /// 0 started, 1 starting, 2 shut down, 3 expired.
    pub status: i64,
}

#[derive(Clone, Debug)]
pub enum Fault {
    Http500,
    /// Does the work, then answers after this long (longer than the caller waits).
    Hang(Duration),
    Code(i64),
}

#[derive(Default)]
pub struct GeeState {
    pub key: String,
    pub phones: Vec<Phone>,
    pub faults: HashMap<String, VecDeque<Fault>>,
    /// Device id → the code its next start is refused with.
    pub refuse_start: HashMap<String, i64>,
    /// (path, body) of every call that passed the signature check.
    pub calls: Vec<(String, Value)>,
    pub next: u64,
}

#[derive(Clone)]
pub struct FakeGeeLark {
    pub base: String,
    pub app_id: String,
    pub state: Arc<Mutex<GeeState>>,
}

fn sign(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
    }
    hex::encode_upper(h.finalize())
}

fn envelope(code: i64, msg: &str, data: Value) -> Response {
    axum::Json(json!({ "traceId": "FAKE", "code": code, "msg": msg, "data": data })).into_response()
}

impl FakeGeeLark {
    pub async fn start(app_id: &str, key: &str) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let fake = FakeGeeLark {
            base,
            app_id: app_id.into(),
            state: Arc::new(Mutex::new(GeeState { key: key.into(), ..Default::default() })),
        };
        let app = Router::new().route("/open/v1/{*path}", post(handle)).with_state(fake.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        fake
    }

    pub fn fault(&self, path: &str, f: Fault) {
        self.state.lock().unwrap().faults.entry(path.into()).or_default().push_back(f);
    }

    pub fn phones(&self) -> Vec<Phone> {
        self.state.lock().unwrap().phones.clone()
    }

    pub fn calls(&self, path: &str) -> usize {
        self.state.lock().unwrap().calls.iter().filter(|(p, _)| p == path).count()
    }

    /// Headers GeeLark would sign a callback with.
    pub fn callback_headers(&self, key: &str) -> Vec<(String, String)> {
        let trace = "A1B2C3D4E5F60718293A4B5C6D7E8F90".to_string();
        let ts = "1700000000000".to_string();
        let nonce = trace[..6].to_string();
        let s = sign(&[&self.app_id, &trace, &ts, &nonce, key]);
        vec![
            ("appId".into(), self.app_id.clone()),
            ("traceId".into(), trace),
            ("ts".into(), ts),
            ("nonce".into(), nonce),
            ("sign".into(), s),
        ]
    }
}

/// The `ids` of a batch call, or why they are refused (40004).
fn ids(body: &Value, max: usize) -> Result<Vec<String>, &'static str> {
    let Some(list) = body.get("ids").and_then(Value::as_array) else {
        return Err("ids is required");
    };
    if list.is_empty() || list.len() > max {
        return Err("ids must hold 1 to the limit");
    }
    Ok(list.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
}

async fn handle(State(f): State<FakeGeeLark>, Path(path): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let h = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let (app, trace, ts, nonce, sig) = (h("appId"), h("traceId"), h("ts"), h("nonce"), h("sign"));
    if trace.is_empty() {
        return envelope(40002, "traceId is empty", Value::Null);
    }
    let key = f.state.lock().unwrap().key.clone();
    let fresh = ts.parse::<i64>().is_ok_and(|t| {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
        (now - t).abs() < 300_000
    });
    let well_formed = trace.len() == 32 && trace.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase());
    if app != f.app_id
        || nonce != trace.get(..6).unwrap_or("")
        || !fresh
        || !well_formed
        || sig != sign(&[&app, &trace, &ts, &nonce, &key])
    {
        return envelope(40003, "Signature verification failed", Value::Null);
    }
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return envelope(40001, "Failed to read request body", Value::Null);
    };
    let fault = f.state.lock().unwrap().faults.get_mut(&path).and_then(|q| q.pop_front());
    let hang = match fault {
        Some(Fault::Http500) => return (StatusCode::INTERNAL_SERVER_ERROR, "upstream error").into_response(),
        Some(Fault::Code(c)) => return envelope(c, "fault", Value::Null),
        Some(Fault::Hang(d)) => Some(d),
        None => None,
    };
    let answer = act(&f, &path, &body);
    if let Some(d) = hang {
        tokio::time::sleep(d).await;
    }
    answer
}

fn act(f: &FakeGeeLark, path: &str, body: &Value) -> Response {
    let mut s = f.state.lock().unwrap();
    s.calls.push((path.to_string(), body.clone()));
    match path {
        "phone/addNew" => {
            let (Some(_), Some(rows)) =
                (body.get("mobileType").and_then(Value::as_str), body.get("data").and_then(Value::as_array))
            else {
                return envelope(40004, "mobileType and data are required", Value::Null);
            };
            let mut details = vec![];
            for (i, r) in rows.iter().enumerate() {
                let Some(name) = r.get("profileName").and_then(Value::as_str) else {
                    return envelope(40004, "profileName is required", Value::Null);
                };
                s.next += 1;
                let id = format!("{}", 500_000_000_000_000_000u64 + s.next);
                let tags = r
                    .get("profileTags")
                    .and_then(Value::as_array)
                    .map(|t| t.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
                    .unwrap_or_default();
                s.phones.push(Phone { id: id.clone(), name: name.into(), tags, status: 2 });
                details.push(json!({ "index": i + 1, "code": 0, "msg": "success", "id": id, "profileName": name }));
            }
            envelope(
                0,
                "success",
                json!({ "totalAmount": rows.len(), "successAmount": rows.len(), "failAmount": 0, "details": details }),
            )
        }
        "phone/list" => {
            let tags: Vec<String> = body
                .get("tags")
                .and_then(Value::as_array)
                .map(|t| t.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
                .unwrap_or_default();
            let size = body.get("pageSize").and_then(Value::as_i64).unwrap_or(10);
            if !(1..=100).contains(&size) {
                return envelope(40008, "pageSize exceeds maximum/minimum limit", Value::Null);
            }
            let items: Vec<Value> = s
                .phones
                .iter()
                .filter(|p| tags.iter().all(|t| p.tags.contains(t)))
                .map(|p| json!({ "id": p.id, "serialName": p.name, "status": p.status.min(2), "tags": p.tags.iter().map(|t| json!({ "name": t })).collect::<Vec<_>>() }))
                .collect();
            envelope(0, "success", json!({ "total": items.len(), "page": 1, "pageSize": size, "items": items }))
        }
        "phone/status" => {
            let list = match ids(body, 100) {
                Ok(l) => l,
                Err(m) => return envelope(40004, m, Value::Null),
            };
            let (mut ok, mut fail) = (vec![], vec![]);
            for id in list {
                match s.phones.iter_mut().find(|p| p.id == id) {
                    Some(p) => {
                        ok.push(json!({ "id": p.id, "serialName": p.name, "status": p.status }));
                        if p.status == 1 {
                            p.status = 0;
                        }
                    }
                    None => fail.push(json!({ "code": 42001, "id": id, "msg": "env not found" })),
                }
            }
            let code = if fail.is_empty() { 0 } else { 40006 };
            envelope(
                code,
                "success",
                json!({ "totalAmount": ok.len() + fail.len(), "successAmount": ok.len(), "failAmount": fail.len(), "successDetails": ok, "failDetails": fail }),
            )
        }
        "phone/start" | "phone/stop" | "phone/delete" => {
            let max = if path == "phone/delete" { 100 } else { 200 };
            let list = match ids(body, max) {
                Ok(l) => l,
                Err(m) => return envelope(40004, m, Value::Null),
            };
            let (mut ok, mut fail) = (vec![], vec![]);
            for id in list {
                let refuse = if path == "phone/start" { s.refuse_start.remove(&id) } else { None };
                let Some(i) = s.phones.iter().position(|p| p.id == id) else {
                    fail.push(json!({ "code": 42001, "id": id, "msg": "env not found" }));
                    continue;
                };
                if let Some(code) = refuse {
                    fail.push(json!({ "code": code, "id": id, "msg": "refused" }));
                    continue;
                }
                match path {
                    "phone/start" => {
                        s.phones[i].status = 1;
                        ok.push(json!({ "id": id, "url": format!("https://remote.example/{id}"), "chargingMethod": "Per-minute usage" }));
                    }
                    "phone/stop" => {
                        s.phones[i].status = 2;
                        ok.push(json!({ "id": id }));
                    }
                    _ => {
                        if s.phones[i].status == 0 {
                            fail.push(json!({ "code": 43009, "id": id, "msg": "env is started" }));
                        } else {
                            s.phones.remove(i);
                        }
                    }
                }
            }
            let code = if fail.is_empty() {
                0
            } else if ok.is_empty() && path != "phone/delete" {
                40009
            } else {
                40006
            };
            envelope(
                code,
                "success",
                json!({ "totalAmount": ok.len() + fail.len(), "successAmount": ok.len(), "failAmount": fail.len(), "successDetails": ok, "failDetails": fail }),
            )
        }
        "phone/restart" => {
            let Some(id) = body.get("id").and_then(Value::as_str) else {
                return envelope(40004, "id is required", Value::Null);
            };
            match s.phones.iter_mut().find(|p| p.id == id) {
                Some(p) if p.status == 0 => {
                    p.status = 1;
                    envelope(0, "success", Value::Null)
                }
                Some(_) => envelope(42002, "Cloud phone is not in running state", Value::Null),
                None => envelope(42001, "Cloud phone not found", Value::Null),
            }
        }
        _ => envelope(40005, "Resource not found", Value::Null),
    }
}

// ADB.

#[derive(Default)]
pub struct AdbState {
    /// serial → state (`device`, `offline`).
    pub devices: Vec<(String, String)>,
    /// (serial, service) of every device command.
    pub log: Vec<(String, String)>,
}

#[derive(Clone)]
pub struct FakeAdb {
    pub addr: String,
    pub state: Arc<Mutex<AdbState>>,
}

/// A 1×1 PNG.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8,
    6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
];

impl FakeAdb {
    pub async fn start(serials: &[&str]) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let state = Arc::new(Mutex::new(AdbState {
            devices: serials.iter().map(|s| (s.to_string(), "device".to_string())).collect(),
            log: vec![],
        }));
        let st = state.clone();
        tokio::spawn(async move {
            loop {
                let Ok((sock, _)) = listener.accept().await else { break };
                let st = st.clone();
                tokio::spawn(async move {
                    let _ = serve(sock, st).await;
                });
            }
        });
        FakeAdb { addr, state }
    }

    pub fn set_state(&self, serial: &str, state: &str) {
        let mut s = self.state.lock().unwrap();
        if let Some(d) = s.devices.iter_mut().find(|(x, _)| x == serial) {
            d.1 = state.into();
        }
    }

    pub fn commands(&self, serial: &str) -> Vec<String> {
        self.state.lock().unwrap().log.iter().filter(|(s, _)| s == serial).map(|(_, c)| c.clone()).collect()
    }
}

async fn read_req(sock: &mut tokio::net::TcpStream) -> std::io::Result<String> {
    let mut len = [0u8; 4];
    sock.read_exact(&mut len).await?;
    let n = usize::from_str_radix(std::str::from_utf8(&len).unwrap_or("0"), 16).unwrap_or(0);
    let mut buf = vec![0u8; n];
    sock.read_exact(&mut buf).await?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

async fn fail(sock: &mut tokio::net::TcpStream, msg: &str) -> std::io::Result<()> {
    sock.write_all(format!("FAIL{:04x}{msg}", msg.len()).as_bytes()).await
}

async fn serve(mut sock: tokio::net::TcpStream, st: Arc<Mutex<AdbState>>) -> std::io::Result<()> {
    let req = read_req(&mut sock).await?;
    if req == "host:devices" {
        let text: String = st.lock().unwrap().devices.iter().map(|(s, d)| format!("{s}\t{d}\n")).collect();
        sock.write_all(format!("OKAY{:04x}{text}", text.len()).as_bytes()).await?;
        return Ok(());
    }
    let Some(serial) = req.strip_prefix("host:transport:").map(str::to_string) else {
        return fail(&mut sock, "unknown host service").await;
    };
    let state = st.lock().unwrap().devices.iter().find(|(s, _)| *s == serial).map(|(_, d)| d.clone());
    match state.as_deref() {
        Some("device") => {}
        Some(other) => return fail(&mut sock, &format!("device {other}")).await,
        None => return fail(&mut sock, &format!("device '{serial}' not found")).await,
    }
    sock.write_all(b"OKAY").await?;
    let service = read_req(&mut sock).await?;
    st.lock().unwrap().log.push((serial.clone(), service.clone()));
    sock.write_all(b"OKAY").await?;
    if service == "exec:screencap -p" {
        sock.write_all(PNG).await?;
    } else if service.starts_with("shell:pm list packages") {
        sock.write_all(b"package:com.example.app\n").await?;
    }
    sock.shutdown().await?;
    Ok(())
}
