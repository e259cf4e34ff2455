//! A loopback Google for the calendar sync: the OAuth 2.0 token endpoint and the Calendar API
//! v3's events, strict where Google is strict, so that a client which passes here speaks the
//! wire format Google documents rather than whatever a lenient fake would take.
//!
//! - `POST /token` wants the client's credentials (in the form or as HTTP Basic), a code it
//!   issued (once) with a `redirect_uri` and a PKCE `code_verifier`, or a refresh token not
//!   revoked; refreshing gives no new refresh token, as with Google.
//! - Every API call needs a current Bearer access token, or it is a 401 `authError`.
//! - `events.list` pages by `maxResults`, and only its last page carries `nextSyncToken`; a
//!   `syncToken` lists what changed since it was issued (deletions as bare `cancelled` items),
//!   refuses the filters Google refuses beside it, and answers 410 `fullSyncRequired` once
//!   invalidated.
//! - `insert` checks the times and a client-chosen id (base32hex, 5–1024 characters, never
//!   reused, even once deleted); `update`/`patch` honour `If-Match`; `delete` of a deleted
//!   event is a 410.
//!
//! Calendars exist as soon as they are named. The change number is per calendar and bumped by
//! every change, which is what sync tokens remember.

use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use frontdesk_core::Timestamp;
use serde_json::{json, Map, Value};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

const CLIENT_ID: &str = "cal-client";
const CLIENT_SECRET: &str = "cal-secret";
const SCOPE: &str = "https://www.googleapis.com/auth/calendar.events";
/// Fields Google sets itself: a client's values for them are ignored.
const READ_ONLY: [&str; 6] = ["kind", "etag", "created", "updated", "iCalUID", "htmlLink"];
/// The parameters `events.list` refuses beside a `syncToken`.
const NOT_WITH_SYNC: [&str; 8] = [
    "iCalUID",
    "orderBy",
    "privateExtendedProperty",
    "q",
    "sharedExtendedProperty",
    "timeMin",
    "timeMax",
    "updatedMin",
];

/// One event as stored, with the calendar's change number when it last changed.
struct Stored {
    event: Value,
    changed: u64,
}

#[derive(Default)]
struct Calendar {
    events: Vec<Stored>,
    /// The last change number given out.
    seq: u64,
}

/// Where a listing stopped: the ids it found when its first page was asked for.
#[derive(Clone)]
struct Page {
    calendar: String,
    ids: Vec<String>,
    next: usize,
    /// The calendar's change number at the first page: what the final sync token stands for.
    upto: u64,
    /// The sync token an incremental listing started from (it must stay valid to go on).
    since_token: Option<String>,
}

#[derive(Default)]
struct Inner {
    /// Authorization code → the refresh token its exchange gives; removed once used.
    codes: HashMap<String, String>,
    refresh_tokens: HashSet<String>,
    revoked: HashSet<String>,
    access_tokens: HashSet<String>,
    calendars: HashMap<String, Calendar>,
    /// Sync token → (calendar, its change number when the token was issued).
    sync_tokens: HashMap<String, (String, u64)>,
    pages: HashMap<String, Page>,
    /// Bumped by every change in any calendar: etags never repeat.
    version: u64,
    /// (method, path and query) of every request, in order.
    requests: Vec<(String, String)>,
}

impl Inner {
    fn event(&self, cal: &str, id: &str) -> Option<&Value> {
        let c = self.calendars.get(cal)?;
        c.events.iter().map(|e| &e.event).find(|e| e["id"].as_str() == Some(id))
    }

    /// Stores `ev` (an object with an `id`, new or changed) in `cal`: a fresh etag, `updated`
    /// and change number. Returns it as stored.
    fn save(&mut self, cal: &str, mut ev: Value) -> Value {
        self.version += 1;
        let now = now_rfc3339();
        if let Some(o) = ev.as_object_mut() {
            o.insert("kind".into(), Value::from("calendar#event"));
            o.insert("etag".into(), Value::from(format!("\"{}\"", 3_181_161_784_712_000 + self.version * 1000)));
            o.insert("updated".into(), Value::from(now.as_str()));
            o.entry("created").or_insert_with(|| Value::from(now.as_str()));
        }
        let id = ev["id"].as_str().unwrap_or_default().to_string();
        let c = self.calendars.entry(cal.to_string()).or_default();
        c.seq += 1;
        let changed = c.seq;
        match c.events.iter_mut().find(|e| e.event["id"].as_str() == Some(id.as_str())) {
            Some(e) => {
                e.event = ev.clone();
                e.changed = changed;
            }
            None => c.events.push(Stored { event: ev.clone(), changed }),
        }
        ev
    }
}

/// The loopback Google (see the module's documentation). Cheap to clone: clones share state.
#[derive(Clone)]
pub(crate) struct FakeGoogle {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    state: Arc<Mutex<Inner>>,
}

/// Starts a [`FakeGoogle`] on a free loopback port.
#[allow(dead_code)]
pub(crate) async fn start() -> FakeGoogle {
    FakeGoogle::start().await
}

impl FakeGoogle {
    /// Binds 127.0.0.1:0 and serves the token endpoint and the Calendar API there.
    pub(crate) async fn start() -> FakeGoogle {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let base = format!("http://{}", listener.local_addr().expect("its address"));
        let fake = FakeGoogle { base, state: Arc::default() };
        let app = Router::new()
            .route("/token", post(token_endpoint))
            .route("/calendar/v3/calendars/{cal}/events", get(list_events).post(insert_event))
            .route(
                "/calendar/v3/calendars/{cal}/events/{id}",
                get(get_event).put(put_event).patch(patch_event).delete(delete_event),
            )
            .layer(axum::middleware::from_fn_with_state(fake.clone(), record))
            .with_state(fake.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        fake
    }

    /// The OAuth 2.0 token endpoint.
    pub fn token_url(&self) -> String {
        format!("{}/token", self.base)
    }

    /// Where the consent screen would be; not served, only a redirect's target.
    #[allow(dead_code)]
    pub fn auth_url(&self) -> String {
        format!("{}/o/oauth2/v2/auth", self.base)
    }

    /// The Calendar API's root (`…/calendar/v3`), as `https://www.googleapis.com/calendar/v3`.
    pub fn api_base(&self) -> String {
        format!("{}/calendar/v3", self.base)
    }

    /// The token endpoint will exchange `code` once, for `refresh_token` (which it then
    /// accepts for refreshing).
    pub fn grant_code(&self, code: &str, refresh_token: &str) {
        let mut s = self.lock();
        s.codes.insert(code.into(), refresh_token.into());
        s.refresh_tokens.insert(refresh_token.into());
    }

    /// Every access token issued so far stops working (the API answers 401).
    #[allow(dead_code)]
    pub fn expire_access_tokens(&self) {
        self.lock().access_tokens.clear();
    }

    /// Refreshing with `rt` is then a 400 `invalid_grant`, as after the person revoked access.
    #[allow(dead_code)]
    pub fn revoke_refresh_token(&self, rt: &str) {
        self.lock().revoked.insert(rt.into());
    }

    /// An event the person made in Google: confirmed and busy (opaque — Google then leaves
    /// `transparency` out, so this does too).
    pub fn add_busy(&self, calendar: &str, id: &str, start_rfc3339: &str, end_rfc3339: &str) {
        self.add(
            calendar,
            json!({ "id": id, "status": "confirmed", "summary": "Busy",
            "start": { "dateTime": start_rfc3339 }, "end": { "dateTime": end_rfc3339 } }),
        );
    }

    /// An all-day event from `date` to `end_date` (exclusive, as Google counts), busy.
    #[allow(dead_code)]
    pub fn add_all_day(&self, calendar: &str, id: &str, date: &str, end_date: &str) {
        self.add(
            calendar,
            json!({ "id": id, "status": "confirmed", "summary": "Away",
            "start": { "date": date }, "end": { "date": end_date } }),
        );
    }

    /// An event marked "free" (`transparency: transparent`): it blocks nothing.
    #[allow(dead_code)]
    pub fn add_transparent(&self, calendar: &str, id: &str, start: &str, end: &str) {
        self.add(
            calendar,
            json!({ "id": id, "status": "confirmed", "summary": "Free", "transparency": "transparent",
            "start": { "dateTime": start }, "end": { "dateTime": end } }),
        );
    }

    fn add(&self, calendar: &str, mut ev: Value) {
        let uid = format!("{}@google.com", ev["id"].as_str().unwrap_or_default());
        ev["iCalUID"] = Value::from(uid);
        self.lock().save(calendar, ev);
    }

    /// The person deletes the event in Google: `cancelled`, reported by the next incremental
    /// sync. Panics if the calendar has no such event (a mistake in the test).
    #[allow(dead_code)]
    pub fn cancel_event(&self, calendar: &str, id: &str) {
        let mut s = self.lock();
        let mut ev = s.event(calendar, id).cloned().unwrap_or_else(|| panic!("no event {id} in {calendar}"));
        ev["status"] = Value::from("cancelled");
        s.save(calendar, ev);
    }

    /// The person edits an event in Google: one field set, its etag new (as after any change).
    pub fn edit_event(&self, calendar: &str, id: &str, key: &str, value: &str) {
        let mut s = self.lock();
        let mut ev = s.event(calendar, id).cloned().unwrap_or_else(|| panic!("no event {id} in {calendar}"));
        ev[key] = Value::from(value);
        s.save(calendar, ev);
    }

    /// Every sync token issued so far answers 410 `fullSyncRequired` (as Google does after
    /// expiring them), and so do the later pages of listings that started from one.
    #[allow(dead_code)]
    pub fn invalidate_sync_tokens(&self) {
        self.lock().sync_tokens.clear();
    }

    /// The calendar's events as stored, cancelled ones and ours included, in creation order.
    #[allow(dead_code)]
    pub fn events(&self, calendar: &str) -> Vec<Value> {
        let s = self.lock();
        let Some(c) = s.calendars.get(calendar) else { return Vec::new() };
        c.events.iter().map(|e| e.event.clone()).collect()
    }

    /// (method, path and query as sent) of every request, in order.
    #[allow(dead_code)]
    pub fn requests(&self) -> Vec<(String, String)> {
        self.lock().requests.clone()
    }

    /// How many requests had `method` and a path (and query) starting with `path_prefix`.
    #[allow(dead_code)]
    pub fn count(&self, method: &str, path_prefix: &str) -> usize {
        let s = self.lock();
        s.requests.iter().filter(|(m, p)| m.eq_ignore_ascii_case(method) && p.starts_with(path_prefix)).count()
    }

    /// The state; a test that panicked while holding it does not poison the others' view.
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn authorize(&self, headers: &HeaderMap) -> Result<(), Fail> {
        let token = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        if self.lock().access_tokens.contains(token) {
            Ok(())
        } else {
            let message = "Request had invalid authentication credentials.";
            Err(Fail(
                StatusCode::UNAUTHORIZED,
                json!({ "error": { "code": 401, "message": message, "status": "UNAUTHENTICATED",
                    "errors": [{ "message": message, "domain": "global", "reason": "authError",
                        "location": "Authorization", "locationType": "header" }] } }),
            ))
        }
    }

    /// `POST /token`: the authorization-code (with PKCE) and refresh-token grants.
    fn exchange(&self, headers: &HeaderMap, body: &[u8]) -> Result<Json<Value>, Fail> {
        let bad = StatusCode::BAD_REQUEST;
        let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        if !content_type.starts_with("application/x-www-form-urlencoded") {
            return Err(oauth_error(bad, "invalid_request", "The body must be application/x-www-form-urlencoded."));
        }
        let form: HashMap<String, String> = url::form_urlencoded::parse(body).into_owned().collect();
        let field = |k: &str| form.get(k).cloned().filter(|v| !v.is_empty());
        // client_secret_basic or client_secret_post: Google takes either.
        let basic = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Basic "))
            .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b.trim()).ok())
            .and_then(|b| String::from_utf8(b).ok());
        let (client, secret) = match basic.as_deref().and_then(|b| b.split_once(':')) {
            Some((c, s)) => (c.to_string(), s.to_string()),
            None => (field("client_id").unwrap_or_default(), field("client_secret").unwrap_or_default()),
        };
        if client != CLIENT_ID || secret != CLIENT_SECRET {
            return Err(oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "Unauthorized"));
        }
        let mut s = self.lock();
        let refresh_token = match field("grant_type").as_deref() {
            Some("authorization_code") => {
                let Some(code) = field("code") else {
                    return Err(oauth_error(bad, "invalid_request", "Missing required parameter: code"));
                };
                if field("redirect_uri").is_none() {
                    return Err(oauth_error(bad, "invalid_request", "Missing parameter: redirect_uri"));
                }
                if field("code_verifier").is_none() {
                    return Err(oauth_error(bad, "invalid_grant", "Missing code verifier."));
                }
                let Some(rt) = s.codes.remove(&code) else {
                    return Err(oauth_error(bad, "invalid_grant", "Bad Request"));
                };
                Some(rt)
            }
            Some("refresh_token") => {
                let Some(rt) = field("refresh_token") else {
                    return Err(oauth_error(bad, "invalid_request", "Missing required parameter: refresh_token"));
                };
                if !s.refresh_tokens.contains(&rt) || s.revoked.contains(&rt) {
                    return Err(oauth_error(bad, "invalid_grant", "Token has been expired or revoked."));
                }
                None
            }
            other => {
                let message = format!("Invalid grant_type: {}", other.unwrap_or_default());
                return Err(oauth_error(bad, "unsupported_grant_type", &message));
            }
        };
        let access = random_token("ya29.fake-");
        s.access_tokens.insert(access.clone());
        let mut out = json!({ "access_token": access, "expires_in": 3599, "scope": SCOPE, "token_type": "Bearer" });
        if let Some(rt) = refresh_token {
            out["refresh_token"] = Value::from(rt);
        }
        Ok(Json(out))
    }

    /// `events.list`: a full listing, or the changes since a sync token; paged.
    fn list(&self, headers: &HeaderMap, cal: &str, q: &HashMap<String, String>) -> Result<Json<Value>, Fail> {
        self.authorize(headers)?;
        let sync = param(q, "syncToken");
        if sync.is_some() {
            if let Some(p) = NOT_WITH_SYNC.into_iter().find(|p| param(q, p).is_some()) {
                return Err(invalid(&format!("The syncToken parameter cannot be combined with {p}.")));
            }
        }
        let max = match param(q, "maxResults") {
            None => 250,
            Some(v) => match v.parse::<usize>() {
                Ok(n) if n > 0 => n.min(2500),
                _ => return Err(invalid(&format!("Invalid value for maxResults: {v}"))),
            },
        };
        let show_deleted = flag(q, "showDeleted")?;
        let single = flag(q, "singleEvents")?;
        let order = param(q, "orderBy");
        match order {
            None | Some("updated") => {}
            Some("startTime") if single => {}
            Some("startTime") => {
                return Err(api_error(
                    StatusCode::BAD_REQUEST,
                    "The requested ordering is not available for the particular query.",
                    "badRequest",
                ))
            }
            Some(o) => return Err(invalid(&format!("Invalid value for orderBy: {o}"))),
        }
        let filter = Filter {
            time_min: instant_param(q, "timeMin")?,
            time_max: instant_param(q, "timeMax")?,
            updated_min: instant_param(q, "updatedMin")?,
            text: param(q, "q").map(str::to_lowercase),
        };

        let mut guard = self.lock();
        let s = &mut *guard;
        let page = match param(q, "pageToken") {
            Some(t) => {
                let page = s.pages.get(t).filter(|p| p.calendar == cal).cloned();
                let page = page.ok_or_else(|| invalid("Invalid pageToken value."))?;
                if page.since_token.as_ref().is_some_and(|st| !s.sync_tokens.contains_key(st)) {
                    return Err(full_sync_required());
                }
                page
            }
            None => {
                let since = match sync {
                    Some(t) => match s.sync_tokens.get(t) {
                        Some((c, n)) if c == cal => Some(*n),
                        _ => return Err(full_sync_required()),
                    },
                    None => None,
                };
                let c = s.calendars.entry(cal.to_string()).or_default();
                let mut picked: Vec<&Value> = c
                    .events
                    .iter()
                    .filter(|e| match since {
                        Some(n) => e.changed > n,
                        None => (show_deleted || !cancelled(&e.event)) && filter.keeps(&e.event),
                    })
                    .map(|e| &e.event)
                    .collect();
                match order {
                    Some("startTime") => picked.sort_by_key(|e| when(&e["start"])),
                    Some("updated") => picked.sort_by(|a, b| a["updated"].as_str().cmp(&b["updated"].as_str())),
                    _ => {}
                }
                Page {
                    calendar: cal.to_string(),
                    ids: picked.iter().map(|e| e["id"].as_str().unwrap_or_default().to_string()).collect(),
                    next: 0,
                    upto: c.seq,
                    since_token: sync.map(str::to_string),
                }
            }
        };

        let end = (page.next + max).min(page.ids.len());
        let c = s.calendars.entry(cal.to_string()).or_default();
        let items: Vec<Value> = page.ids[page.next.min(end)..end]
            .iter()
            .filter_map(|id| c.events.iter().find(|e| e.event["id"].as_str() == Some(id.as_str())))
            .map(|e| as_listed(&e.event))
            .collect();
        let mut out = json!({ "kind": "calendar#events", "summary": cal, "updated": now_rfc3339(),
            "timeZone": "UTC", "accessRole": "owner", "defaultReminders": [], "items": items });
        if end < page.ids.len() {
            let token = random_token("page-");
            out["nextPageToken"] = Value::from(token.as_str());
            s.pages.insert(token, Page { next: end, ..page });
        } else {
            let token = random_token("sync-");
            out["nextSyncToken"] = Value::from(token.as_str());
            s.sync_tokens.insert(token, (cal.to_string(), page.upto));
        }
        Ok(Json(out))
    }

    /// `events.insert`.
    fn insert(&self, headers: &HeaderMap, cal: &str, body: &[u8]) -> Result<Json<Value>, Fail> {
        self.authorize(headers)?;
        let mut ev = object(body)?;
        check(&ev)?;
        let id = match ev.get("id") {
            None | Some(Value::Null) => new_id(),
            Some(Value::String(id)) if valid_id(id) => id.clone(),
            Some(_) => return Err(invalid("Invalid resource id value.")),
        };
        let mut s = self.lock();
        if s.event(cal, &id).is_some() {
            return Err(api_error(StatusCode::CONFLICT, "The requested identifier already exists.", "duplicate"));
        }
        for k in READ_ONLY {
            ev.remove(k);
        }
        ev.insert("id".into(), Value::from(id.as_str()));
        ev.insert("iCalUID".into(), Value::from(format!("{id}@google.com")));
        ev.entry("status").or_insert_with(|| Value::from("confirmed"));
        Ok(Json(s.save(cal, Value::Object(ev))))
    }

    /// `events.get`; `If-None-Match` with the current etag is a 304.
    fn read(&self, headers: &HeaderMap, cal: &str, id: &str) -> Result<Response, Fail> {
        self.authorize(headers)?;
        let ev = self.lock().event(cal, id).cloned().ok_or_else(not_found)?;
        let fresh = headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| Some(v) == ev["etag"].as_str());
        if fresh {
            return Ok(StatusCode::NOT_MODIFIED.into_response());
        }
        Ok(Json(ev).into_response())
    }

    /// `events.update` (`whole`: the body replaces the event) or `events.patch` (the body's
    /// fields replace the event's, `null` removes one).
    fn update(&self, headers: &HeaderMap, cal: &str, id: &str, body: &[u8], whole: bool) -> Result<Json<Value>, Fail> {
        self.authorize(headers)?;
        let given = object(body)?;
        let mut s = self.lock();
        let current = s.event(cal, id).cloned().ok_or_else(not_found)?;
        if let Some(want) = headers.get(header::IF_MATCH) {
            let want = want.to_str().unwrap_or("");
            if want != "*" && Some(want) != current["etag"].as_str() {
                return Err(api_error(StatusCode::PRECONDITION_FAILED, "Precondition Failed", "conditionNotMet"));
            }
        }
        let Value::Object(mut ev) = current else { return Err(not_found()) };
        if whole {
            ev.retain(|k, _| matches!(k.as_str(), "id" | "created" | "iCalUID"));
        }
        for (k, v) in given {
            if k == "id" || READ_ONLY.contains(&k.as_str()) {
                continue;
            }
            if v.is_null() {
                ev.remove(&k);
            } else {
                ev.insert(k, v);
            }
        }
        ev.entry("status").or_insert_with(|| Value::from("confirmed"));
        check(&ev)?;
        Ok(Json(s.save(cal, Value::Object(ev))))
    }

    /// `events.delete`: the event stays, `cancelled`, for incremental syncs to report.
    fn delete(&self, headers: &HeaderMap, cal: &str, id: &str) -> Result<StatusCode, Fail> {
        self.authorize(headers)?;
        let mut s = self.lock();
        let mut ev = s.event(cal, id).cloned().ok_or_else(not_found)?;
        if cancelled(&ev) {
            return Err(api_error(StatusCode::GONE, "Resource has been deleted", "deleted"));
        }
        ev["status"] = Value::from("cancelled");
        s.save(cal, ev);
        Ok(StatusCode::NO_CONTENT)
    }
}

/// Records every request before it is answered.
async fn record(State(g): State<FakeGoogle>, req: Request, next: Next) -> Response {
    let target = req.uri().path_and_query().map_or_else(|| req.uri().path().to_string(), |p| p.as_str().to_string());
    let entry = (req.method().to_string(), target);
    g.lock().requests.push(entry);
    next.run(req).await
}

async fn token_endpoint(State(g): State<FakeGoogle>, headers: HeaderMap, body: Bytes) -> Result<Json<Value>, Fail> {
    g.exchange(&headers, &body)
}

async fn list_events(
    State(g): State<FakeGoogle>,
    headers: HeaderMap,
    Path(cal): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, Fail> {
    g.list(&headers, &cal, &q)
}

async fn insert_event(
    State(g): State<FakeGoogle>,
    headers: HeaderMap,
    Path(cal): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, Fail> {
    g.insert(&headers, &cal, &body)
}

async fn get_event(
    State(g): State<FakeGoogle>,
    headers: HeaderMap,
    Path((cal, id)): Path<(String, String)>,
) -> Result<Response, Fail> {
    g.read(&headers, &cal, &id)
}

async fn put_event(
    State(g): State<FakeGoogle>,
    headers: HeaderMap,
    Path((cal, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<Value>, Fail> {
    g.update(&headers, &cal, &id, &body, true)
}

async fn patch_event(
    State(g): State<FakeGoogle>,
    headers: HeaderMap,
    Path((cal, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<Value>, Fail> {
    g.update(&headers, &cal, &id, &body, false)
}

async fn delete_event(
    State(g): State<FakeGoogle>,
    headers: HeaderMap,
    Path((cal, id)): Path<(String, String)>,
) -> Result<StatusCode, Fail> {
    g.delete(&headers, &cal, &id)
}

/// An answer other than success: its status and the JSON body Google gives with it.
struct Fail(StatusCode, Value);

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        (self.0, Json(self.1)).into_response()
    }
}

/// A Calendar API error in Google's shape.
fn api_error(status: StatusCode, message: &str, reason: &str) -> Fail {
    api_error_in("global", status, message, reason)
}

fn api_error_in(domain: &str, status: StatusCode, message: &str, reason: &str) -> Fail {
    Fail(
        status,
        json!({ "error": { "code": status.as_u16(), "message": message,
            "errors": [{ "domain": domain, "reason": reason, "message": message }] } }),
    )
}

fn invalid(message: &str) -> Fail {
    api_error(StatusCode::BAD_REQUEST, message, "invalid")
}

fn not_found() -> Fail {
    api_error(StatusCode::NOT_FOUND, "Not Found", "notFound")
}

fn full_sync_required() -> Fail {
    api_error_in(
        "calendar",
        StatusCode::GONE,
        "Sync token is no longer valid, a full sync is required.",
        "fullSyncRequired",
    )
}

/// A token endpoint error (RFC 6749 §5.2).
fn oauth_error(status: StatusCode, error: &str, description: &str) -> Fail {
    Fail(status, json!({ "error": error, "error_description": description }))
}

/// A JSON object body, or Google's 400 `parseError`.
fn object(body: &[u8]) -> Result<Map<String, Value>, Fail> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(o)) => Ok(o),
        _ => Err(api_error(StatusCode::BAD_REQUEST, "Parse Error", "parseError")),
    }
}

/// A query parameter, empty counting as absent.
fn param<'a>(q: &'a HashMap<String, String>, key: &str) -> Option<&'a str> {
    q.get(key).map(String::as_str).filter(|v| !v.is_empty())
}

fn flag(q: &HashMap<String, String>, key: &str) -> Result<bool, Fail> {
    match param(q, key) {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(v) => Err(invalid(&format!("Invalid value for {key}: {v}"))),
    }
}

/// An RFC 3339 query parameter (with its offset, as Google wants) in milliseconds.
fn instant_param(q: &HashMap<String, String>, key: &str) -> Result<Option<i64>, Fail> {
    match param(q, key) {
        None => Ok(None),
        Some(v) => {
            parse_time(v).map(Some).ok_or_else(|| api_error(StatusCode::BAD_REQUEST, "Bad Request", "badRequest"))
        }
    }
}

/// RFC 3339 with an offset, in milliseconds; `None` for anything else (non-ASCII included).
fn parse_time(s: &str) -> Option<i64> {
    if !s.is_ascii() {
        return None;
    }
    Timestamp::parse_rfc3339(s).map(|t| t.0)
}

/// A `YYYY-MM-DD` date's midnight UTC, in milliseconds.
fn parse_date(d: &str) -> Option<i64> {
    if d.len() != 10 {
        return None;
    }
    parse_time(&format!("{d}T00:00:00Z"))
}

/// When a `start` or `end` is, for filtering and ordering: dates at midnight UTC, local
/// times (with a `timeZone`) read as UTC — near enough for a fake.
fn when(t: &Value) -> Option<i64> {
    match (t["dateTime"].as_str(), t["date"].as_str()) {
        (Some(dt), _) => parse_time(dt).or_else(|| parse_time(&format!("{dt}Z"))),
        (None, Some(d)) => parse_date(d),
        _ => None,
    }
}

/// The window and text of a full listing (`timeMin` bounds the end, `timeMax` the start, both
/// exclusive, as Google documents).
struct Filter {
    time_min: Option<i64>,
    time_max: Option<i64>,
    updated_min: Option<i64>,
    text: Option<String>,
}

impl Filter {
    fn keeps(&self, e: &Value) -> bool {
        let ends_after = match (self.time_min, when(&e["end"])) {
            (Some(min), Some(end)) => end > min,
            _ => true,
        };
        let starts_before = match (self.time_max, when(&e["start"])) {
            (Some(max), Some(start)) => start < max,
            _ => true,
        };
        let updated = match (self.updated_min, e["updated"].as_str().and_then(parse_time)) {
            (Some(min), Some(at)) => at >= min,
            _ => true,
        };
        let text = match &self.text {
            Some(t) => ["summary", "description", "location"]
                .into_iter()
                .any(|k| e[k].as_str().is_some_and(|v| v.to_lowercase().contains(t.as_str()))),
            None => true,
        };
        ends_after && starts_before && updated && text
    }
}

/// A `start` or `end` as checked: a date, or a time (`None` when local to its `timeZone`).
enum When {
    Day(i64),
    At(Option<i64>),
}

fn time_of(ev: &Map<String, Value>, name: &str) -> Result<When, Fail> {
    let t = ev.get(name);
    let text = |k: &str| t.and_then(|t| t.get(k)).and_then(Value::as_str).map(str::to_string);
    let bad = |message: String, reason: &str| api_error(StatusCode::BAD_REQUEST, &message, reason);
    match (text("dateTime"), text("date")) {
        (Some(dt), _) => match parse_time(&dt) {
            Some(at) => Ok(When::At(Some(at))),
            None if parse_time(&format!("{dt}Z")).is_some() => match text("timeZone") {
                Some(zone) if !zone.is_empty() => Ok(When::At(None)),
                _ => Err(bad(format!("Missing time zone definition for {name} time."), "required")),
            },
            None => Err(bad(format!("Invalid {name} time."), "invalid")),
        },
        (None, Some(d)) => parse_date(&d).map(When::Day).ok_or_else(|| bad(format!("Invalid {name} time."), "invalid")),
        (None, None) => Err(bad(format!("Missing {name} time."), "required")),
    }
}

/// What Google checks in an event written: its times, and the values of `status` and
/// `transparency`.
fn check(ev: &Map<String, Value>) -> Result<(), Fail> {
    let start = time_of(ev, "start")?;
    let end = time_of(ev, "end")?;
    let empty = || api_error(StatusCode::BAD_REQUEST, "The specified time range is empty.", "timeRangeEmpty");
    match (start, end) {
        (When::Day(a), When::Day(b)) if b <= a => return Err(empty()),
        (When::At(Some(a)), When::At(Some(b))) if b < a => return Err(empty()),
        (When::Day(_), When::At(_)) | (When::At(_), When::Day(_)) => {
            return Err(invalid("Start and end times must either both be date or both be dateTime."))
        }
        _ => {}
    }
    one_of(ev, "status", &["confirmed", "tentative", "cancelled"])?;
    one_of(ev, "transparency", &["opaque", "transparent"])
}

fn one_of(ev: &Map<String, Value>, key: &str, allowed: &[&str]) -> Result<(), Fail> {
    match ev.get(key) {
        None | Some(Value::Null) => Ok(()),
        Some(Value::String(v)) if allowed.contains(&v.as_str()) => Ok(()),
        Some(v) => Err(invalid(&format!("Invalid value for {key}: {v}"))),
    }
}

fn cancelled(ev: &Value) -> bool {
    ev["status"].as_str() == Some("cancelled")
}

/// An event as a listing shows it: a cancelled one is only its id and status.
fn as_listed(ev: &Value) -> Value {
    if cancelled(ev) {
        json!({ "kind": "calendar#event", "etag": ev["etag"], "id": ev["id"], "status": "cancelled" })
    } else {
        ev.clone()
    }
}

/// Google's rule for client-chosen ids: base32hex (`a`–`v`, `0`–`9`), 5 to 1024 characters.
fn valid_id(id: &str) -> bool {
    (5..=1024).contains(&id.len()) && id.bytes().all(|b| matches!(b, b'a'..=b'v' | b'0'..=b'9'))
}

/// An id as Google makes them: 26 base32hex characters.
fn new_id() -> String {
    const ALPHABET: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";
    let mut n = rand::random::<u128>();
    (0..26)
        .map(|_| {
            let c = ALPHABET[(n & 31) as usize] as char;
            n >>= 5;
            c
        })
        .collect()
}

fn random_token(prefix: &str) -> String {
    format!("{prefix}{:032x}", rand::random::<u128>())
}

fn now_rfc3339() -> String {
    let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
    Timestamp(ms).to_rfc3339()
}
