//! A loopback Stripe that is strict like Stripe: form-encoded requests with a Bearer secret key
//! it knows and a `Stripe-Version`; the fields Stripe requires (or a 400 `parameter_missing`);
//! an `Idempotency-Key` replays its first answer, and the same key with other parameters is a
//! 400 `idempotency_error`; a session's `expires_at` must be 30 minutes to 24 hours ahead; only
//! an open session expires; a refund never exceeds what is left. Its hosted checkout page takes
//! a "card", then signs its events as Stripe does (`t=…,v1=HMAC-SHA256(secret, t.body)`) and
//! sends them to the account's webhook endpoint, and sends the browser to the success URL.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use frontdesk_platform::{Clock, OffsetClock};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct Endpoint {
    id: String,
    url: String,
    secret: String,
    deleted: bool,
}

#[derive(Default)]
struct State_ {
    endpoints: HashMap<String, Vec<Endpoint>>,
    /// Session id → (key, session).
    sessions: HashMap<String, (String, Value)>,
    /// Intent id → (key, amount, refunded).
    intents: HashMap<String, (String, i64, i64)>,
    /// (key, idempotency key) → (request fingerprint, status, answer).
    idempotency: HashMap<(String, String), (String, u16, Value)>,
    /// Every request: (method path, form).
    calls: Vec<(String, Vec<(String, String)>)>,
    /// Every event sent, with the key of its account.
    events: Vec<(String, Value)>,
    next: u64,
    /// The next refund is refused with this code.
    refuse_refund: Option<String>,
    /// Customer id → its key.
    customers: HashMap<String, String>,
    /// Subscription id → (key, subscription).
    subscriptions: HashMap<String, (String, Value)>,
    /// Intent id → (key, intent object), for `GET /v1/payment_intents/{id}`.
    intent_objects: HashMap<String, (String, Value)>,
    /// Payment method id → the customer it is attached to.
    payment_methods: HashMap<String, String>,
    /// The next off-session charges: `Some(code)` declines with it, `None` fails with a 500.
    off_session_script: std::collections::VecDeque<Option<String>>,
}

#[derive(Clone)]
pub struct FakeStripe {
    pub base: String,
    state: Arc<Mutex<State_>>,
    clock: Arc<Mutex<Option<Arc<OffsetClock>>>>,
    http: reqwest::Client,
}

fn err(status: StatusCode, kind: &str, code: &str, message: &str) -> Response {
    (status, Json(json!({ "error": { "type": kind, "code": code, "message": message } }))).into_response()
}

fn missing(param: &str) -> Response {
    err(
        StatusCode::BAD_REQUEST,
        "invalid_request_error",
        "parameter_missing",
        &format!("Missing required param: {param}."),
    )
}

fn form_of(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

fn get_field<'a>(f: &'a [(String, String)], k: &str) -> Option<&'a str> {
    f.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
}

impl FakeStripe {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let fake = FakeStripe {
            base,
            state: Arc::default(),
            clock: Arc::default(),
            http: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap(),
        };
        let app = Router::new()
            .route("/v1/webhook_endpoints", post(create_endpoint))
            .route("/v1/webhook_endpoints/{id}", axum::routing::delete(delete_endpoint))
            .route("/v1/checkout/sessions", post(create_session).get(list_sessions))
            .route("/v1/checkout/sessions/{id}", get(read_session))
            .route("/v1/checkout/sessions/{id}/expire", post(expire_session))
            .route("/v1/refunds", post(create_refund))
            .route("/v1/customers", post(create_customer))
            .route("/v1/billing_portal/sessions", post(create_portal))
            .route("/v1/subscriptions/{id}", get(read_subscription).post(update_subscription))
            .route("/v1/payment_intents", post(create_intent))
            .route("/v1/payment_intents/{id}", get(read_intent))
            .route("/c/pay/{id}", get(hosted_page).post(hosted_pay))
            .with_state(fake.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        fake
    }

    /// Signs events and checks expiries on the server's clock.
    pub fn use_clock(&self, clock: Arc<OffsetClock>) {
        *self.clock.lock().unwrap() = Some(clock);
    }

    fn now_secs(&self) -> i64 {
        match &*self.clock.lock().unwrap() {
            Some(c) => c.now().0 / 1000,
            None => std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64,
        }
    }

    pub fn settings(&self) -> frontdesk_billing::BillingSettings {
        frontdesk_billing::BillingSettings {
            stripe_api_base: self.base.clone(),
            stripe_checkout_origin: self.base.clone(),
            ..Default::default()
        }
    }

    fn id(&self, prefix: &str) -> String {
        let mut s = self.state.lock().unwrap();
        s.next += 1;
        format!("{prefix}_test_{:06}", s.next)
    }

    pub fn calls(&self, prefix: &str) -> Vec<Vec<(String, String)>> {
        self.state.lock().unwrap().calls.iter().filter(|(p, _)| p.starts_with(prefix)).map(|(_, f)| f.clone()).collect()
    }

    pub fn session(&self, id: &str) -> Value {
        self.state.lock().unwrap().sessions.get(id).map(|(_, s)| s.clone()).unwrap_or(Value::Null)
    }

    /// The webhook endpoint (url, secret) of the account with `key`.
    pub fn endpoint(&self, key: &str) -> Option<(String, String)> {
        let s = self.state.lock().unwrap();
        s.endpoints.get(key)?.iter().rev().find(|e| !e.deleted).map(|e| (e.url.clone(), e.secret.clone()))
    }

    pub fn endpoints_live(&self, key: &str) -> usize {
        self.state.lock().unwrap().endpoints.get(key).map(|v| v.iter().filter(|e| !e.deleted).count()).unwrap_or(0)
    }

    /// The customer made for `workspace` (its id).
    pub fn customer_of(&self, workspace: &str) -> Option<String> {
        let s = self.state.lock().unwrap();
        s.idempotency
            .iter()
            .find(|((_, idem), _)| idem == &format!("customer:{workspace}"))
            .and_then(|(_, (_, _, v))| v["id"].as_str().map(str::to_string))
    }

    /// Sets a subscription as Stripe holds it (the customer's key is looked up).
    pub fn set_subscription(&self, id: &str, customer: &str, status: &str, price: &str, period: (i64, i64)) {
        let mut s = self.state.lock().unwrap();
        let key = s.customers.get(customer).cloned().unwrap_or_default();
        let v = json!({ "id": id, "object": "subscription", "customer": customer, "status": status,
            "items": { "object": "list", "data": [{ "id": "si_1", "price": { "id": price },
                "current_period_start": period.0, "current_period_end": period.1 }] } });
        s.subscriptions.insert(id.to_string(), (key, v));
    }

    /// The next off-session charge is declined with `code` (`card_declined`).
    pub fn decline_next_off_session(&self, code: &str) {
        self.state.lock().unwrap().off_session_script.push_back(Some(code.into()));
    }

    /// The next off-session charge fails with a 500 (and is not made).
    pub fn fail_next_off_session(&self) {
        self.state.lock().unwrap().off_session_script.push_back(None);
    }

    pub fn refuse_next_refund(&self, code: &str) {
        self.state.lock().unwrap().refuse_refund = Some(code.into());
    }

    /// Every event sent so far.
    pub fn events(&self) -> Vec<Value> {
        self.state.lock().unwrap().events.iter().map(|(_, e)| e.clone()).collect()
    }

    /// An event envelope as Stripe makes it.
    pub fn event(&self, kind: &str, object: Value) -> Value {
        json!({
            "id": self.id("evt"), "object": "event", "api_version": frontdesk_billing::stripe::API_VERSION,
            "created": self.now_secs(), "livemode": false, "pending_webhooks": 1, "type": kind,
            "request": { "id": null, "idempotency_key": null }, "data": { "object": object }
        })
    }

    /// A `Stripe-Signature` for `body` with `secret`, now.
    pub fn sign(&self, secret: &str, body: &[u8]) -> String {
        frontdesk_billing::stripe::sign(secret, body, self.now_secs())
    }

    /// Sends `event` to the endpoint of the account with `key`, signed; its status.
    pub async fn deliver(&self, key: &str, event: &Value) -> u16 {
        let (url, secret) = self.endpoint(key).expect("the account has a webhook endpoint");
        let body = serde_json::to_vec(event).unwrap();
        let sig = self.sign(&secret, &body);
        self.post_raw(&url, &body, Some(&sig)).await
    }

    pub async fn post_raw(&self, url: &str, body: &[u8], sig: Option<&str>) -> u16 {
        let mut r = self.http.post(url).header("content-type", "application/json").body(body.to_vec());
        if let Some(s) = sig {
            r = r.header("stripe-signature", s);
        }
        r.send().await.unwrap().status().as_u16()
    }

    /// The customer pays the session on the hosted page: the session completes and its
    /// events are made (and sent, unless `send` is false: a lost webhook). Returns them.
    pub async fn pay(&self, session: &str, send: bool) -> Vec<Value> {
        let (key, events) = self.complete(session);
        if send {
            for e in &events {
                let st = self.deliver(&key, e).await;
                assert_eq!(st, 200, "the event {} was accepted", e["type"]);
            }
        }
        events
    }

    /// A subscription Checkout paid: the subscription (a month from now) and its events.
    fn complete_subscription(&self, session: &str) -> (String, Vec<Value>) {
        let sub = self.id("sub");
        let now = self.now_secs();
        let (key, obj, subscription) = {
            let mut s = self.state.lock().unwrap();
            let (key, sess) = s.sessions.get_mut(session).expect("a session of ours");
            assert_eq!(sess["status"], "open", "only an open session can be paid");
            sess["status"] = json!("complete");
            sess["payment_status"] = json!("paid");
            sess["subscription"] = json!(sub);
            let key = key.clone();
            let obj = sess.clone();
            let v = json!({ "id": sub, "object": "subscription", "customer": obj["customer"], "status": "active",
                "cancel_at_period_end": false, "items": { "object": "list", "data": [{ "id": "si_1", "price": obj["price"],
                "current_period_start": now, "current_period_end": now + 30 * 86_400 }] } });
            s.subscriptions.insert(sub.clone(), (key.clone(), v.clone()));
            (key, obj, v)
        };
        let invoice = json!({ "id": self.id("in"), "object": "invoice", "customer": obj["customer"], "status": "paid",
            "parent": { "type": "subscription_details", "subscription_details": { "subscription": sub } } });
        let events = vec![
            self.event("checkout.session.completed", obj),
            self.event("customer.subscription.created", subscription),
            self.event("invoice.paid", invoice),
        ];
        let mut s = self.state.lock().unwrap();
        for e in &events {
            s.events.push((key.clone(), e.clone()));
        }
        (key, events)
    }

    /// A subscription's next month: paid (`active`, the period moves on) or not (`past_due`);
    /// the invoice's event (not sent).
    pub fn renew(&self, sub: &str, paid: bool) -> Value {
        let now = self.now_secs();
        let (customer, _) = {
            let mut s = self.state.lock().unwrap();
            let (_, v) = s.subscriptions.get_mut(sub).expect("a subscription of ours");
            if paid {
                v["status"] = json!("active");
                v["items"]["data"][0]["current_period_start"] = json!(now);
                v["items"]["data"][0]["current_period_end"] = json!(now + 30 * 86_400);
            } else {
                v["status"] = json!("past_due");
            }
            (v["customer"].clone(), ())
        };
        let kind = if paid { "invoice.paid" } else { "invoice.payment_failed" };
        self.event(
            kind,
            json!({ "id": self.id("in"), "object": "invoice", "customer": customer,
            "status": if paid { "paid" } else { "open" },
            "parent": { "type": "subscription_details", "subscription_details": { "subscription": sub } } }),
        )
    }

    /// Stripe ends the subscription (unpaid after its retries, or at the period's end once
    /// cancelled); the event (not sent).
    pub fn end_subscription(&self, sub: &str) -> Value {
        let v = {
            let mut s = self.state.lock().unwrap();
            let (_, v) = s.subscriptions.get_mut(sub).expect("a subscription of ours");
            v["status"] = json!("canceled");
            v.clone()
        };
        self.event("customer.subscription.deleted", v)
    }

    fn complete(&self, session: &str) -> (String, Vec<Value>) {
        if self.session(session)["mode"] == "subscription" {
            return self.complete_subscription(session);
        }
        let pi = self.id("pi");
        let (key, obj) = {
            let mut s = self.state.lock().unwrap();
            let (key, sess) = s.sessions.get_mut(session).expect("a session of ours");
            assert_eq!(sess["status"], "open", "only an open session can be paid");
            sess["status"] = json!("complete");
            sess["payment_status"] = json!("paid");
            sess["payment_intent"] = json!(pi);
            let key = key.clone();
            let obj = sess.clone();
            let amount = obj["amount_total"].as_i64().unwrap();
            s.intents.insert(pi.clone(), (key.clone(), amount, 0));
            (key, obj)
        };
        // A card kept for later (setup_future_usage): a payment method attached to the customer.
        let pm = match (obj["customer"].as_str(), obj["setup_future_usage"].as_str()) {
            (Some(cus), Some("off_session")) => {
                let pm = self.id("pm");
                self.state.lock().unwrap().payment_methods.insert(pm.clone(), cus.to_string());
                Some(pm)
            }
            _ => None,
        };
        let intent = json!({ "id": pi, "object": "payment_intent", "amount": obj["amount_total"],
            "amount_received": obj["amount_total"], "currency": obj["currency"], "status": "succeeded",
            "latest_charge": format!("ch_for_{pi}"), "metadata": obj["metadata"], "customer": obj["customer"],
            "payment_method": pm, "setup_future_usage": obj["setup_future_usage"] });
        self.state.lock().unwrap().intent_objects.insert(pi.clone(), (key.clone(), intent.clone()));
        let events =
            vec![self.event("checkout.session.completed", obj), self.event("payment_intent.succeeded", intent)];
        let mut s = self.state.lock().unwrap();
        for e in &events {
            s.events.push((key.clone(), e.clone()));
        }
        (key, events)
    }

    /// A charge's object for the intent (what refunds and disputes carry).
    pub fn charge(&self, intent: &str, refunded: i64) -> Value {
        let amount = self.state.lock().unwrap().intents.get(intent).map(|i| i.1).unwrap_or(0);
        json!({ "id": format!("ch_for_{intent}"), "object": "charge", "amount": amount, "amount_refunded": refunded,
                "refunded": refunded >= amount, "payment_intent": intent, "currency": "eur",
                "payment_method_details": { "type": "card", "card": { "brand": "visa", "last4": "4242" } } })
    }

    fn key_of(&self, headers: &HeaderMap) -> Result<String, Box<Response>> {
        let key = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("")
            .to_string();
        if !key.starts_with("sk_test_") || key.contains("revoked") {
            return Err(Box::new(err(
                StatusCode::UNAUTHORIZED,
                "invalid_request_error",
                "api_key_invalid",
                "Invalid API Key provided.",
            )));
        }
        if headers.get("stripe-version").and_then(|v| v.to_str().ok()) != Some(frontdesk_billing::stripe::API_VERSION) {
            return Err(Box::new(err(
                StatusCode::BAD_REQUEST,
                "invalid_request_error",
                "api_version_invalid",
                "Pin the API version.",
            )));
        }
        Ok(key)
    }

    /// Replays the answer of an idempotency key used before, or refuses it for other parameters.
    fn replay(&self, key: &str, headers: &HeaderMap, what: &str, form: &[(String, String)]) -> Option<Response> {
        let idem = headers.get("idempotency-key")?.to_str().ok()?.to_string();
        let mut sorted = form.to_vec();
        sorted.sort();
        let print = format!("{what}:{sorted:?}");
        let s = self.state.lock().unwrap();
        let (p, status, v) = s.idempotency.get(&(key.to_string(), idem))?;
        if *p != print {
            return Some(err(
                StatusCode::BAD_REQUEST,
                "idempotency_error",
                "idempotency_key_in_use",
                "Keys for idempotent requests can only be used with the same parameters they were first used with.",
            ));
        }
        Some((StatusCode::from_u16(*status).unwrap(), Json(v.clone())).into_response())
    }

    fn remember(&self, key: &str, headers: &HeaderMap, what: &str, form: &[(String, String)], status: u16, v: &Value) {
        let Some(idem) = headers.get("idempotency-key").and_then(|v| v.to_str().ok()) else { return };
        let mut sorted = form.to_vec();
        sorted.sort();
        self.state
            .lock()
            .unwrap()
            .idempotency
            .insert((key.to_string(), idem.to_string()), (format!("{what}:{sorted:?}"), status, v.clone()));
    }

    fn record(&self, what: &str, form: &[(String, String)]) {
        self.state.lock().unwrap().calls.push((what.to_string(), form.to_vec()));
    }
}

async fn create_endpoint(State(f): State<FakeStripe>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    let key = match f.key_of(&headers) {
        Ok(k) => k,
        Err(r) => return *r,
    };
    let form = form_of(&body);
    f.record("POST /v1/webhook_endpoints", &form);
    let Some(url) = get_field(&form, "url") else { return missing("url") };
    if !form.iter().any(|(k, _)| k.starts_with("enabled_events[")) {
        return missing("enabled_events");
    }
    let id = f.id("we");
    let secret = format!("whsec_{}", f.id("sec"));
    let v = json!({ "id": id, "object": "webhook_endpoint", "url": url, "secret": secret,
                    "api_version": get_field(&form, "api_version"), "status": "enabled" });
    f.state.lock().unwrap().endpoints.entry(key).or_default().push(Endpoint {
        id,
        url: url.to_string(),
        secret,
        deleted: false,
    });
    (StatusCode::OK, Json(v)).into_response()
}

async fn delete_endpoint(State(f): State<FakeStripe>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let key = match f.key_of(&headers) {
        Ok(k) => k,
        Err(r) => return *r,
    };
    f.record("DELETE /v1/webhook_endpoints", &[]);
    let mut s = f.state.lock().unwrap();
    match s.endpoints.get_mut(&key).and_then(|v| v.iter_mut().find(|e| e.id == id)) {
        Some(e) => {
            e.deleted = true;
            (StatusCode::OK, Json(json!({ "id": id, "deleted": true }))).into_response()
        }
        None => err(StatusCode::NOT_FOUND, "invalid_request_error", "resource_missing", "No such webhook endpoint."),
    }
}

async fn create_session(State(f): State<FakeStripe>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    let key = match f.key_of(&headers) {
        Ok(k) => k,
        Err(r) => return *r,
    };
    let form = form_of(&body);
    f.record("POST /v1/checkout/sessions", &form);
    if let Some(r) = f.replay(&key, &headers, "session", &form) {
        return r;
    }
    if get_field(&form, "mode") == Some("subscription") {
        for req in ["success_url", "customer", "line_items[0][quantity]"] {
            if get_field(&form, req).is_none() {
                return missing(req);
            }
        }
        // A price by its id, or inline with its recurring interval.
        let price = match get_field(&form, "line_items[0][price]") {
            Some(p) => json!({ "id": p }),
            None => {
                for req in [
                    "line_items[0][price_data][currency]",
                    "line_items[0][price_data][unit_amount]",
                    "line_items[0][price_data][recurring][interval]",
                    "line_items[0][price_data][product_data][name]",
                ] {
                    if get_field(&form, req).is_none() {
                        return missing(req);
                    }
                }
                let interval = get_field(&form, "line_items[0][price_data][recurring][interval]").unwrap();
                if !["day", "week", "month", "year"].contains(&interval) {
                    return err(
                        StatusCode::BAD_REQUEST,
                        "invalid_request_error",
                        "parameter_invalid",
                        "Invalid interval.",
                    );
                }
                json!({ "id": f.id("price"), "currency": get_field(&form, "line_items[0][price_data][currency]"),
                    "unit_amount": get_field(&form, "line_items[0][price_data][unit_amount]").unwrap().parse::<i64>().unwrap_or(0),
                    "recurring": { "interval": interval } })
            }
        };
        let customer = get_field(&form, "customer").unwrap();
        if f.state.lock().unwrap().customers.get(customer) != Some(&key) {
            return err(StatusCode::BAD_REQUEST, "invalid_request_error", "resource_missing", "No such customer.");
        }
        let id = f.id("cs");
        let v = json!({ "id": id, "object": "checkout.session", "mode": "subscription", "status": "open",
            "payment_status": "unpaid", "url": format!("{}/c/pay/{id}", f.base), "customer": customer,
            "subscription": null, "success_url": get_field(&form, "success_url"), "price": price,
            "amount_total": price["unit_amount"], "currency": price["currency"] });
        f.state.lock().unwrap().sessions.insert(id, (key.clone(), v.clone()));
        f.remember(&key, &headers, "session", &form, 200, &v);
        return (StatusCode::OK, Json(v)).into_response();
    }
    for req in [
        "mode",
        "success_url",
        "line_items[0][quantity]",
        "line_items[0][price_data][currency]",
        "line_items[0][price_data][unit_amount]",
        "line_items[0][price_data][product_data][name]",
    ] {
        if get_field(&form, req).is_none() {
            return missing(req);
        }
    }
    let amount: i64 = get_field(&form, "line_items[0][price_data][unit_amount]").unwrap().parse().unwrap_or(-1);
    if amount < 50 {
        return err(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "amount_too_small",
            "The amount must be at least 0.50.",
        );
    }
    let now = f.now_secs();
    let expires: i64 = get_field(&form, "expires_at").map(|v| v.parse().unwrap_or(0)).unwrap_or(now + 86_400);
    if expires < now + 1800 || expires > now + 86_400 {
        return err(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "parameter_invalid_integer",
            "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.",
        );
    }
    let customer = get_field(&form, "customer");
    if customer.is_some() && get_field(&form, "customer_email").is_some() {
        return err(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "parameter_invalid",
            "You may only specify one of these parameters: customer, customer_email.",
        );
    }
    if let Some(c) = customer {
        if f.state.lock().unwrap().customers.get(c) != Some(&key) {
            return err(StatusCode::BAD_REQUEST, "invalid_request_error", "resource_missing", "No such customer.");
        }
    }
    let future = get_field(&form, "payment_intent_data[setup_future_usage]");
    if future.is_some_and(|v| v != "off_session" && v != "on_session") {
        return err(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "parameter_invalid",
            "Invalid setup_future_usage.",
        );
    }
    let id = f.id("cs");
    let metadata: serde_json::Map<String, Value> = form
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("metadata[")?.strip_suffix(']')?.to_string(), json!(v))))
        .collect();
    let v = json!({
        "id": id, "object": "checkout.session", "mode": "payment", "status": "open", "payment_status": "unpaid",
        "url": format!("{}/c/pay/{id}", f.base), "amount_total": amount, "amount_subtotal": amount,
        "currency": get_field(&form, "line_items[0][price_data][currency]"),
        "client_reference_id": get_field(&form, "client_reference_id"), "metadata": metadata,
        "success_url": get_field(&form, "success_url"), "cancel_url": get_field(&form, "cancel_url"),
        "customer_email": get_field(&form, "customer_email"), "expires_at": expires, "payment_intent": null,
        "customer": customer, "setup_future_usage": future,
    });
    f.state.lock().unwrap().sessions.insert(id, (key.clone(), v.clone()));
    f.remember(&key, &headers, "session", &form, 200, &v);
    (StatusCode::OK, Json(v)).into_response()
}

async fn list_sessions(
    State(f): State<FakeStripe>,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<HashMap<String, String>>,
) -> Response {
    let key = match f.key_of(&headers) {
        Ok(k) => k,
        Err(r) => return *r,
    };
    f.record("GET /v1/checkout/sessions?", &[]);
    let pi = q.get("payment_intent").cloned().unwrap_or_default();
    let s = f.state.lock().unwrap();
    let data: Vec<Value> = s
        .sessions
        .values()
        .filter(|(k, v)| *k == key && v["payment_intent"] == json!(pi))
        .map(|(_, v)| v.clone())
        .collect();
    (StatusCode::OK, Json(json!({ "object": "list", "data": data, "has_more": false }))).into_response()
}

fn own_session(f: &FakeStripe, key: &str, id: &str) -> Option<Value> {
    let s = f.state.lock().unwrap();
    s.sessions.get(id).filter(|(k, _)| k == key).map(|(_, v)| v.clone())
}

async fn read_session(State(f): State<FakeStripe>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let key = match f.key_of(&headers) {
        Ok(k) => k,
        Err(r) => return *r,
    };
    f.record("GET /v1/checkout/sessions", &[]);
    match own_session(&f, &key, &id) {
        Some(v) => (StatusCode::OK, Json(v)).into_response(),
        None => err(StatusCode::NOT_FOUND, "invalid_request_error", "resource_missing", "No such checkout.session."),
    }
}

async fn expire_session(State(f): State<FakeStripe>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let key = match f.key_of(&headers) {
        Ok(k) => k,
        Err(r) => return *r,
    };
    f.record("POST /v1/checkout/sessions/expire", &[]);
    let Some(v) = own_session(&f, &key, &id) else {
        return err(StatusCode::NOT_FOUND, "invalid_request_error", "resource_missing", "No such checkout.session.");
    };
    if v["status"] != "open" {
        return err(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "checkout_session_not_open",
            "Only Checkout Sessions with a status in [\"open\"] can be expired.",
        );
    }
    let obj = {
        let mut s = f.state.lock().unwrap();
        let (_, sess) = s.sessions.get_mut(&id).unwrap();
        sess["status"] = json!("expired");
        sess.clone()
    };
    let e = f.event("checkout.session.expired", obj.clone());
    f.state.lock().unwrap().events.push((key, e));
    (StatusCode::OK, Json(obj)).into_response()
}

async fn create_refund(State(f): State<FakeStripe>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    let key = match f.key_of(&headers) {
        Ok(k) => k,
        Err(r) => return *r,
    };
    let form = form_of(&body);
    f.record("POST /v1/refunds", &form);
    if headers.get("idempotency-key").is_none() {
        return err(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "idempotency_key_required",
            "Send an Idempotency-Key.",
        );
    }
    if let Some(r) = f.replay(&key, &headers, "refund", &form) {
        return r;
    }
    let Some(pi) = get_field(&form, "payment_intent").map(str::to_string) else { return missing("payment_intent") };
    if let Some(code) = f.state.lock().unwrap().refuse_refund.take() {
        return err(StatusCode::BAD_REQUEST, "invalid_request_error", &code, "The refund was refused.");
    }
    let amount: i64 = get_field(&form, "amount").and_then(|a| a.parse().ok()).unwrap_or(0);
    let refunded = {
        let mut s = f.state.lock().unwrap();
        let Some(intent) = s.intents.get_mut(&pi).filter(|i| i.0 == key) else {
            drop(s);
            return err(StatusCode::NOT_FOUND, "invalid_request_error", "resource_missing", "No such payment_intent.");
        };
        if amount <= 0 || intent.2 + amount > intent.1 {
            drop(s);
            return err(
                StatusCode::BAD_REQUEST,
                "invalid_request_error",
                "amount_too_large",
                "Refund amount is greater than unrefunded amount on charge.",
            );
        }
        intent.2 += amount;
        intent.2
    };
    let v = json!({ "id": f.id("re"), "object": "refund", "amount": amount, "payment_intent": pi,
                    "status": "succeeded", "reason": get_field(&form, "reason") });
    let e = f.event("charge.refunded", f.charge(&pi, refunded));
    f.state.lock().unwrap().events.push((key.clone(), e));
    f.remember(&key, &headers, "refund", &form, 200, &v);
    (StatusCode::OK, Json(v)).into_response()
}

async fn create_customer(State(f): State<FakeStripe>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    let key = match f.key_of(&headers) {
        Ok(k) => k,
        Err(r) => return *r,
    };
    let form = form_of(&body);
    f.record("POST /v1/customers", &form);
    if let Some(r) = f.replay(&key, &headers, "customer", &form) {
        return r;
    }
    let id = f.id("cus");
    let v = json!({ "id": id, "object": "customer", "name": get_field(&form, "name") });
    f.state.lock().unwrap().customers.insert(id, key.clone());
    f.remember(&key, &headers, "customer", &form, 200, &v);
    (StatusCode::OK, Json(v)).into_response()
}

async fn create_portal(State(f): State<FakeStripe>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    let key = match f.key_of(&headers) {
        Ok(k) => k,
        Err(r) => return *r,
    };
    let form = form_of(&body);
    f.record("POST /v1/billing_portal/sessions", &form);
    let Some(customer) = get_field(&form, "customer") else { return missing("customer") };
    if f.state.lock().unwrap().customers.get(customer) != Some(&key) {
        return err(StatusCode::BAD_REQUEST, "invalid_request_error", "resource_missing", "No such customer.");
    }
    let id = f.id("bps");
    (
        StatusCode::OK,
        Json(json!({ "id": id, "object": "billing_portal.session", "url": format!("{}/p/session/{id}", f.base) })),
    )
        .into_response()
}

async fn read_subscription(State(f): State<FakeStripe>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let key = match f.key_of(&headers) {
        Ok(k) => k,
        Err(r) => return *r,
    };
    f.record("GET /v1/subscriptions", &[]);
    let s = f.state.lock().unwrap();
    match s.subscriptions.get(&id).filter(|(k, _)| *k == key) {
        Some((_, v)) => (StatusCode::OK, Json(v.clone())).into_response(),
        None => err(StatusCode::NOT_FOUND, "invalid_request_error", "resource_missing", "No such subscription."),
    }
}

/// `POST /v1/payment_intents`, confirmed off-session with a card kept for the customer.
async fn create_intent(State(f): State<FakeStripe>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    let key = match f.key_of(&headers) {
        Ok(k) => k,
        Err(r) => return *r,
    };
    let form = form_of(&body);
    let mut seen = form.clone();
    if let Some(k) = headers.get("idempotency-key").and_then(|v| v.to_str().ok()) {
        seen.push(("Idempotency-Key".into(), k.into()));
    }
    f.record("POST /v1/payment_intents", &seen);
    if let Some(r) = f.replay(&key, &headers, "intent", &form) {
        return r;
    }
    for req in ["amount", "currency", "customer", "payment_method", "confirm", "off_session"] {
        if get_field(&form, req).is_none() {
            return missing(req);
        }
    }
    let amount: i64 = get_field(&form, "amount").unwrap().parse().unwrap_or(-1);
    if amount < 50 {
        return err(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "amount_too_small",
            "Amount must be at least 0.50.",
        );
    }
    let (customer, pm) = (get_field(&form, "customer").unwrap(), get_field(&form, "payment_method").unwrap());
    {
        let s = f.state.lock().unwrap();
        if s.customers.get(customer) != Some(&key) {
            return err(StatusCode::BAD_REQUEST, "invalid_request_error", "resource_missing", "No such customer.");
        }
        if s.payment_methods.get(pm).map(String::as_str) != Some(customer) {
            return err(
                StatusCode::BAD_REQUEST,
                "invalid_request_error",
                "resource_missing",
                "The payment method is not attached to this customer.",
            );
        }
    }
    let next = f.state.lock().unwrap().off_session_script.pop_front();
    let pi = f.id("pi");
    let (status, v) = match next {
        Some(None) => {
            return err(StatusCode::INTERNAL_SERVER_ERROR, "api_error", "internal", "Something went wrong.");
        }
        Some(Some(code)) => (
            402,
            json!({ "error": { "type": "card_error", "code": code, "decline_code": "insufficient_funds",
                "message": "Your card was declined.", "payment_intent": { "id": pi, "object": "payment_intent",
                "status": "requires_payment_method" } } }),
        ),
        None => {
            let v = json!({ "id": pi, "object": "payment_intent", "amount": amount, "amount_received": amount,
                "currency": get_field(&form, "currency"), "status": "succeeded", "customer": customer,
                "payment_method": pm, "latest_charge": format!("ch_for_{pi}") });
            let mut s = f.state.lock().unwrap();
            s.intents.insert(pi.clone(), (key.clone(), amount, 0));
            s.intent_objects.insert(pi.clone(), (key.clone(), v.clone()));
            (200, v)
        }
    };
    f.remember(&key, &headers, "intent", &form, status, &v);
    (StatusCode::from_u16(status).unwrap(), Json(v)).into_response()
}

/// `GET /v1/payment_intents/{id}`, its payment method expanded when asked.
async fn read_intent(
    State(f): State<FakeStripe>,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::extract::RawQuery(q): axum::extract::RawQuery,
) -> Response {
    let key = match f.key_of(&headers) {
        Ok(k) => k,
        Err(r) => return *r,
    };
    f.record("GET /v1/payment_intents", &[]);
    let found = f.state.lock().unwrap().intent_objects.get(&id).filter(|(k, _)| *k == key).map(|(_, v)| v.clone());
    let Some(mut v) = found else {
        return err(StatusCode::NOT_FOUND, "invalid_request_error", "resource_missing", "No such payment_intent.");
    };
    let expand =
        q.unwrap_or_default().split('&').any(|p| p == "expand%5B%5D=payment_method" || p == "expand[]=payment_method");
    if let (true, Some(pm)) = (expand, v["payment_method"].as_str().map(str::to_string)) {
        v["payment_method"] = json!({ "id": pm, "object": "payment_method", "type": "card", "customer": v["customer"],
            "card": { "brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2030 } });
    }
    (StatusCode::OK, Json(v)).into_response()
}

/// `POST /v1/subscriptions/{id}`: `cancel_at_period_end` only.
async fn update_subscription(
    State(f): State<FakeStripe>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let key = match f.key_of(&headers) {
        Ok(k) => k,
        Err(r) => return *r,
    };
    let form = form_of(&body);
    f.record("POST /v1/subscriptions", &form);
    let mut s = f.state.lock().unwrap();
    let Some((_, v)) = s.subscriptions.get_mut(&id).filter(|(k, _)| *k == key) else {
        return err(StatusCode::NOT_FOUND, "invalid_request_error", "resource_missing", "No such subscription.");
    };
    match get_field(&form, "cancel_at_period_end") {
        Some("true") => v["cancel_at_period_end"] = json!(true),
        Some("false") => v["cancel_at_period_end"] = json!(false),
        Some(_) => {
            return err(StatusCode::BAD_REQUEST, "invalid_request_error", "parameter_invalid", "Invalid boolean.")
        }
        None => {}
    }
    (StatusCode::OK, Json(v.clone())).into_response()
}

async fn hosted_page(State(f): State<FakeStripe>, Path(id): Path<String>) -> Response {
    let s = f.session(&id);
    if s.is_null() {
        return (StatusCode::NOT_FOUND, "no such session").into_response();
    }
    let amount = s["amount_total"].as_i64().unwrap_or(0);
    Html(format!(
        "<!doctype html><html lang=en><head><title>Checkout</title><link rel=icon href=\"data:,\"></head><body><main><h1>Pay {}.{:02} {}</h1>\
         <p id=status>{}</p><form method=post action=\"/c/pay/{id}\"><label>Card number <input name=card value=\"4242 4242 4242 4242\"></label>\
         <button id=pay type=submit>Pay</button></form></main></body></html>",
        amount / 100,
        amount % 100,
        s["currency"].as_str().unwrap_or("").to_uppercase(),
        s["status"].as_str().unwrap_or("")
    ))
    .into_response()
}

/// The browser pays: the events go to the endpoint, then the browser to the success URL.
async fn hosted_pay(State(f): State<FakeStripe>, Path(id): Path<String>) -> Response {
    let s = f.session(&id);
    if s["status"] != "open" {
        return (StatusCode::GONE, "this session is no longer open").into_response();
    }
    f.pay(&id, true).await;
    let to = s["success_url"].as_str().unwrap_or("/").replace("{CHECKOUT_SESSION_ID}", &id);
    Redirect::to(&to).into_response()
}
