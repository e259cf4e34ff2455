//! Stripe behind the payment port, through our own small HTTP client: form-encoded requests
//! with the account's secret key, a pinned API version, an Idempotency-Key on every write;
//! Checkout Sessions (hosted page, cards only), their expiry, Refunds, and the webhook
//! endpoint Frontdesk creates for each account. Deliveries are verified on their raw bytes
//! (`Stripe-Signature`: `t=` and every `v1=`, HMAC-SHA256 over `t.body` with the endpoint's
//! secret, 300 s tolerance, compared in constant time).

use crate::gateway::{
    Checkout, CheckoutRequest, CheckoutStatus, Endpoint, Event, GatewayError, Happened, PaymentGateway, Refund,
    RefundRequest, Refusal,
};
use frontdesk_platform::ports::Fut;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use std::time::Duration;

/// The API version every request and the webhook endpoint are pinned to.
pub const API_VERSION: &str = "2025-03-31.basil";

/// How old a signature may be.
pub const TOLERANCE_SECS: i64 = 300;

/// The events the endpoint subscribes to.
pub const EVENTS: &[&str] = &[
    "checkout.session.completed",
    "checkout.session.expired",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "charge.refunded",
    "charge.dispute.created",
    "charge.dispute.closed",
];

pub struct Stripe {
    http: reqwest::Client,
    /// `https://api.stripe.com` (a loopback stand-in in tests).
    api_base: String,
    /// `https://checkout.stripe.com`.
    checkout_origin: String,
}

impl Stripe {
    pub fn new(http: reqwest::Client, api_base: &str, checkout_origin: &str) -> Self {
        Self {
            http,
            api_base: api_base.trim_end_matches('/').to_string(),
            checkout_origin: checkout_origin.trim_end_matches('/').to_string(),
        }
    }

    async fn call(
        &self,
        key: &str,
        method: reqwest::Method,
        path: &str,
        form: &[(String, String)],
        idempotency: Option<&str>,
    ) -> Result<Value, GatewayError> {
        let url = format!("{}{path}", self.api_base);
        let mut req = self
            .http
            .request(method.clone(), &url)
            .bearer_auth(key)
            .header("Stripe-Version", API_VERSION)
            .timeout(Duration::from_secs(20));
        if let Some(k) = idempotency {
            req = req.header("Idempotency-Key", k);
        }
        if method != reqwest::Method::GET {
            let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
            req = req.header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(body);
        }
        let r = req.send().await.map_err(|e| GatewayError::Unavailable(e.without_url().to_string()))?;
        let status = r.status().as_u16();
        let v: Value = r.json().await.unwrap_or(Value::Null);
        if (200..300).contains(&status) {
            return Ok(v);
        }
        if status >= 500 || status == 429 {
            return Err(GatewayError::Unavailable(format!("status {status}")));
        }
        let e = &v["error"];
        let code = e["code"].as_str().or(e["type"].as_str()).unwrap_or("error").to_string();
        let message = e["message"].as_str().unwrap_or("").chars().take(300).collect();
        Err(GatewayError::Rejected { status, code, message })
    }
}

fn text(v: &Value, k: &str) -> Option<String> {
    v[k].as_str().filter(|s| !s.is_empty()).map(str::to_string)
}

/// An expandable reference: the id, whether Stripe sent the id or the object.
fn reference(v: &Value, k: &str) -> Option<String> {
    match &v[k] {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Object(o) => o.get("id").and_then(Value::as_str).map(str::to_string),
        _ => None,
    }
}

fn session(v: &Value) -> Result<Checkout, GatewayError> {
    let id = text(v, "id").ok_or_else(|| GatewayError::Unavailable("a checkout session without an id".into()))?;
    let status = match v["status"].as_str() {
        Some("complete") => CheckoutStatus::Complete,
        Some("expired") => CheckoutStatus::Expired,
        _ => CheckoutStatus::Open,
    };
    Ok(Checkout {
        id,
        url: text(v, "url"),
        status,
        paid: v["payment_status"].as_str() == Some("paid"),
        amount_minor: v["amount_total"].as_i64(),
        currency: text(v, "currency").map(|c| c.to_ascii_uppercase()),
        intent_id: reference(v, "payment_intent"),
        expires_at: v["expires_at"].as_i64().map(|s| s * 1000),
    })
}

/// `brand ·last4` of a charge's card, when Stripe sent it.
fn card_of(charge: &Value) -> Option<String> {
    let c = &charge["payment_method_details"]["card"];
    match (c["brand"].as_str(), c["last4"].as_str()) {
        (Some(b), Some(l)) if l.len() == 4 && l.bytes().all(|x| x.is_ascii_digit()) => {
            Some(format!("{} ·{l}", b.chars().filter(char::is_ascii_alphanumeric).take(20).collect::<String>()))
        }
        _ => None,
    }
}

/// What a Stripe event means to us.
pub fn happened(kind: &str, o: &Value) -> Happened {
    let id = || text(o, "id").unwrap_or_default();
    let intent = || reference(o, "payment_intent");
    match kind {
        "checkout.session.completed" | "checkout.session.async_payment_succeeded" => {
            if o["payment_status"].as_str() == Some("paid") {
                Happened::CheckoutPaid {
                    checkout_id: id(),
                    intent_id: intent(),
                    amount_minor: o["amount_total"].as_i64(),
                    currency: text(o, "currency").map(|c| c.to_ascii_uppercase()),
                }
            } else {
                Happened::CheckoutPending { checkout_id: id(), intent_id: intent() }
            }
        }
        "checkout.session.expired" => Happened::CheckoutExpired { checkout_id: id() },
        "checkout.session.async_payment_failed" => Happened::CheckoutFailed { checkout_id: id() },
        "payment_intent.succeeded" => {
            Happened::IntentSucceeded { intent_id: id(), amount_minor: o["amount_received"].as_i64() }
        }
        "payment_intent.payment_failed" => Happened::IntentFailed {
            intent_id: id(),
            reason: o["last_payment_error"]["code"].as_str().map(|s| s.chars().take(60).collect()),
        },
        "charge.refunded" => match intent() {
            Some(intent_id) => Happened::Refunded {
                intent_id,
                amount_refunded: o["amount_refunded"].as_i64().unwrap_or(0),
                card: card_of(o),
            },
            None => Happened::Other,
        },
        "charge.dispute.created" | "charge.dispute.closed" => {
            let status = text(o, "status").unwrap_or_else(|| "needs_response".into());
            match intent() {
                Some(intent_id) if kind.ends_with("created") => Happened::DisputeOpened { intent_id, status },
                Some(intent_id) => Happened::DisputeClosed { intent_id, status },
                None => Happened::Other,
            }
        }
        _ => Happened::Other,
    }
}

/// Checks a `Stripe-Signature` header against the raw body.
pub fn verify_signature(secret: &str, header: &str, body: &[u8], now_secs: i64) -> Result<(), Refusal> {
    use subtle::ConstantTimeEq;
    let mut t: Option<i64> = None;
    let mut v1: Vec<Vec<u8>> = vec![];
    for part in header.split(',') {
        let Some((k, v)) = part.trim().split_once('=') else { continue };
        match k {
            "t" => t = v.parse().ok(),
            "v1" => {
                if let Ok(b) = hex::decode(v) {
                    v1.push(b);
                }
            }
            _ => {}
        }
    }
    let Some(t) = t else { return Err(Refusal::Missing) };
    if v1.is_empty() {
        return Err(Refusal::Missing);
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map_err(|_| Refusal::Mismatch)?;
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let want = mac.finalize().into_bytes();
    let mut ok = false;
    for s in &v1 {
        // Every v1 is compared (several appear while a secret is rolled).
        ok |= s.len() == want.len() && bool::from(want.as_slice().ct_eq(s));
    }
    if !ok {
        return Err(Refusal::Mismatch);
    }
    if (now_secs - t).abs() > TOLERANCE_SECS {
        return Err(Refusal::Stale);
    }
    Ok(())
}

/// A `Stripe-Signature` header for `body` at `t` (tests and the demo sign with it).
pub fn sign(secret: &str, body: &[u8], t: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

fn pair(k: &str, v: impl Into<String>) -> (String, String) {
    (k.to_string(), v.into())
}

/// A subscription Checkout on the platform's account.
pub struct SubscriptionCheckout<'a> {
    pub customer: &'a str,
    pub price: &'a str,
    pub trial_days: i64,
    pub success_url: &'a str,
    pub cancel_url: &'a str,
    pub idempotency_key: &'a str,
}

/// A monthly membership's Checkout on a business's account.
pub struct MemberCheckout<'a> {
    pub customer: &'a str,
    pub currency: &'a str,
    pub amount_minor: i64,
    pub name: &'a str,
    pub success_url: &'a str,
    pub cancel_url: &'a str,
    /// The membership's id.
    pub reference: &'a str,
    pub locale: &'a str,
}

/// A charge of a saved card without its holder present (an automatic top-up).
pub struct OffSession<'a> {
    pub customer: &'a str,
    pub payment_method: &'a str,
    pub amount_minor: i64,
    /// ISO 4217, upper case.
    pub currency: &'a str,
    pub description: &'a str,
    /// Our top-up's id (metadata).
    pub reference: &'a str,
    pub idempotency_key: &'a str,
}

impl Stripe {
    /// Charges a saved card now (`POST /v1/payment_intents`, confirmed, off-session). A
    /// declined card is `Rejected` with Stripe's code (`card_declined`,
    /// `authentication_required`, …).
    pub async fn charge_off_session(&self, key: &str, o: OffSession<'_>) -> Result<Value, GatewayError> {
        let form = vec![
            pair("amount", o.amount_minor.to_string()),
            pair("currency", o.currency.to_ascii_lowercase()),
            pair("customer", o.customer),
            pair("payment_method", o.payment_method),
            pair("off_session", "true"),
            pair("confirm", "true"),
            pair("description", o.description),
            pair("metadata[topup_id]", o.reference),
        ];
        self.call(key, reqwest::Method::POST, "/v1/payment_intents", &form, Some(o.idempotency_key)).await
    }

    /// A payment intent with its payment method (`expand[]=payment_method`): the card kept.
    pub async fn payment_intent(&self, key: &str, id: &str) -> Result<Value, GatewayError> {
        let path = format!("/v1/payment_intents/{}?expand%5B%5D=payment_method", url_part(id));
        self.call(key, reqwest::Method::GET, &path, &[], None).await
    }

    /// A customer of a business (a membership's buyer), once per membership.
    pub async fn create_member_customer(
        &self,
        key: &str,
        email: &str,
        name: &str,
        membership: &str,
    ) -> Result<String, GatewayError> {
        let form = vec![pair("email", email), pair("name", name), pair("metadata[membership_id]", membership)];
        let v = self
            .call(key, reqwest::Method::POST, "/v1/customers", &form, Some(&format!("member:{membership}")))
            .await?;
        text(&v, "id").ok_or_else(|| GatewayError::Unavailable("a customer without an id".into()))
    }

    /// A Checkout in subscription mode for a monthly membership at the business's own price
    /// (`price_data` with `recurring[interval]=month`); its URL.
    pub async fn member_checkout(&self, key: &str, m: MemberCheckout<'_>) -> Result<String, GatewayError> {
        let form = vec![
            pair("mode", "subscription"),
            pair("customer", m.customer),
            pair("line_items[0][quantity]", "1"),
            pair("line_items[0][price_data][currency]", m.currency.to_ascii_lowercase()),
            pair("line_items[0][price_data][unit_amount]", m.amount_minor.to_string()),
            pair("line_items[0][price_data][recurring][interval]", "month"),
            pair("line_items[0][price_data][product_data][name]", m.name),
            pair("success_url", m.success_url),
            pair("cancel_url", m.cancel_url),
            pair("client_reference_id", m.reference),
            pair("metadata[membership_id]", m.reference),
            pair("subscription_data[metadata][membership_id]", m.reference),
            pair("locale", m.locale),
        ];
        let v = self
            .call(
                key,
                reqwest::Method::POST,
                "/v1/checkout/sessions",
                &form,
                Some(&format!("member-checkout:{}", m.reference)),
            )
            .await?;
        text(&v, "url").ok_or_else(|| GatewayError::Unavailable("a checkout session without its URL".into()))
    }

    /// Ends a subscription when its period ends (`cancel_at_period_end=true`); the subscription.
    pub async fn cancel_at_period_end(&self, key: &str, id: &str) -> Result<Value, GatewayError> {
        let form = vec![pair("cancel_at_period_end", "true")];
        let path = format!("/v1/subscriptions/{}", url_part(id));
        self.call(key, reqwest::Method::POST, &path, &form, Some(&format!("cancel:{id}"))).await
    }

    /// A subscription as it stands now (`GET /v1/subscriptions/{id}`).
    pub async fn subscription(&self, key: &str, id: &str) -> Result<Value, GatewayError> {
        self.call(key, reqwest::Method::GET, &format!("/v1/subscriptions/{}", url_part(id)), &[], None).await
    }

    /// A customer for a workspace (once: the idempotency key is the workspace's).
    pub async fn create_customer(&self, key: &str, name: &str, workspace: &str) -> Result<String, GatewayError> {
        let form = vec![pair("name", name), pair("metadata[workspace_id]", workspace)];
        let v = self
            .call(key, reqwest::Method::POST, "/v1/customers", &form, Some(&format!("customer:{workspace}")))
            .await?;
        text(&v, "id").ok_or_else(|| GatewayError::Unavailable("a customer without an id".into()))
    }

    /// A customer portal session (the card on file, invoices, cancelling); its URL.
    pub async fn portal(&self, key: &str, customer: &str, return_url: &str) -> Result<String, GatewayError> {
        let form = vec![pair("customer", customer), pair("return_url", return_url)];
        let v = self.call(key, reqwest::Method::POST, "/v1/billing_portal/sessions", &form, None).await?;
        text(&v, "url").ok_or_else(|| GatewayError::Unavailable("a portal session without its URL".into()))
    }

    /// A Checkout in subscription mode; its URL.
    pub async fn subscription_checkout(&self, key: &str, s: SubscriptionCheckout<'_>) -> Result<String, GatewayError> {
        let mut form = vec![
            pair("mode", "subscription"),
            pair("customer", s.customer),
            pair("line_items[0][price]", s.price),
            pair("line_items[0][quantity]", "1"),
            pair("success_url", s.success_url),
            pair("cancel_url", s.cancel_url),
        ];
        if s.trial_days > 0 {
            form.push(pair("subscription_data[trial_period_days]", s.trial_days.to_string()));
        }
        let v = self.call(key, reqwest::Method::POST, "/v1/checkout/sessions", &form, Some(s.idempotency_key)).await?;
        text(&v, "url").ok_or_else(|| GatewayError::Unavailable("a checkout session without its URL".into()))
    }
}

impl PaymentGateway for Stripe {
    fn provider(&self) -> &'static str {
        "stripe"
    }

    fn checkout_origin(&self) -> String {
        self.checkout_origin.clone()
    }

    fn key_looks_valid(&self, key: &str) -> bool {
        let k = key.trim();
        ["sk_test_", "sk_live_", "rk_test_", "rk_live_"].iter().any(|p| k.starts_with(p))
            && k.len() <= 255
            && k.len() >= 16
            && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    }

    fn create_endpoint<'a>(&'a self, key: &'a str, url: &'a str) -> Fut<'a, Result<Endpoint, GatewayError>> {
        Box::pin(async move {
            let mut form = vec![
                pair("url", url),
                pair("api_version", API_VERSION),
                pair("description", "Frontdesk: payments of bookings and invoices"),
            ];
            for (i, e) in EVENTS.iter().enumerate() {
                form.push(pair(&format!("enabled_events[{i}]"), *e));
            }
            let v = self.call(key, reqwest::Method::POST, "/v1/webhook_endpoints", &form, None).await?;
            match (text(&v, "id"), text(&v, "secret")) {
                (Some(id), Some(secret)) => Ok(Endpoint { id, secret }),
                _ => Err(GatewayError::Unavailable("the webhook endpoint came back without its secret".into())),
            }
        })
    }

    fn delete_endpoint<'a>(&'a self, key: &'a str, id: &'a str) -> Fut<'a, Result<(), GatewayError>> {
        Box::pin(async move {
            let path = format!("/v1/webhook_endpoints/{}", url_part(id));
            self.call(key, reqwest::Method::DELETE, &path, &[], None).await.map(|_| ())
        })
    }

    fn create_checkout<'a>(&'a self, key: &'a str, r: &'a CheckoutRequest) -> Fut<'a, Result<Checkout, GatewayError>> {
        Box::pin(async move {
            let mut form = vec![
                pair("mode", "payment"),
                pair("payment_method_types[0]", "card"),
                pair("line_items[0][quantity]", "1"),
                pair("line_items[0][price_data][currency]", r.currency.to_ascii_lowercase()),
                pair("line_items[0][price_data][unit_amount]", r.amount_minor.to_string()),
                pair("line_items[0][price_data][product_data][name]", r.description.clone()),
                pair("success_url", r.success_url.clone()),
                pair("cancel_url", r.cancel_url.clone()),
                pair("client_reference_id", r.reference.clone()),
                pair("metadata[payment_id]", r.reference.clone()),
                pair("payment_intent_data[metadata][payment_id]", r.reference.clone()),
                pair("expires_at", (r.expires_at / 1000).to_string()),
                pair("locale", r.locale.clone()),
            ];
            if let Some(e) = &r.customer_email {
                form.push(pair("customer_email", e.clone()));
            }
            if let Some(c) = &r.keep_card_for {
                form.push(pair("customer", c.clone()));
                form.push(pair("payment_intent_data[setup_future_usage]", "off_session"));
            }
            let v =
                self.call(key, reqwest::Method::POST, "/v1/checkout/sessions", &form, Some(&r.idempotency_key)).await?;
            session(&v)
        })
    }

    fn checkout<'a>(&'a self, key: &'a str, id: &'a str) -> Fut<'a, Result<Checkout, GatewayError>> {
        Box::pin(async move {
            let path = format!("/v1/checkout/sessions/{}", url_part(id));
            session(&self.call(key, reqwest::Method::GET, &path, &[], None).await?)
        })
    }

    fn checkout_of_intent<'a>(
        &'a self,
        key: &'a str,
        intent: &'a str,
    ) -> Fut<'a, Result<Option<Checkout>, GatewayError>> {
        Box::pin(async move {
            let path = format!("/v1/checkout/sessions?payment_intent={}&limit=1", url_part(intent));
            let v = self.call(key, reqwest::Method::GET, &path, &[], None).await?;
            match v["data"].as_array().and_then(|d| d.first()) {
                Some(s) => session(s).map(Some),
                None => Ok(None),
            }
        })
    }

    fn expire_checkout<'a>(&'a self, key: &'a str, id: &'a str) -> Fut<'a, Result<Checkout, GatewayError>> {
        Box::pin(async move {
            let path = format!("/v1/checkout/sessions/{}/expire", url_part(id));
            let idem = format!("expire:{id}");
            match self.call(key, reqwest::Method::POST, &path, &[], Some(&idem)).await {
                Ok(v) => session(&v),
                // Only an open session expires: one that completed (or expired) meanwhile is
                // read as it is.
                Err(GatewayError::Rejected { status: 400, .. }) => self.checkout(key, id).await,
                Err(e) => Err(e),
            }
        })
    }

    fn refund<'a>(&'a self, key: &'a str, r: &'a RefundRequest) -> Fut<'a, Result<Refund, GatewayError>> {
        Box::pin(async move {
            let form = vec![
                pair("payment_intent", r.intent_id.clone()),
                pair("amount", r.amount_minor.to_string()),
                pair("reason", r.reason.clone()),
                pair("metadata[refund_id]", r.reference.clone()),
            ];
            let v = self.call(key, reqwest::Method::POST, "/v1/refunds", &form, Some(&r.idempotency_key)).await?;
            Ok(Refund {
                id: text(&v, "id").unwrap_or_default(),
                status: text(&v, "status").unwrap_or_else(|| "pending".into()),
            })
        })
    }

    fn verify(&self, secret: &str, header: Option<&str>, body: &[u8], now_secs: i64) -> Result<(), Refusal> {
        verify_signature(secret, header.ok_or(Refusal::Missing)?, body, now_secs)
    }

    fn signature_header(&self) -> &'static str {
        "stripe-signature"
    }

    fn parse(&self, body: &[u8]) -> Option<Event> {
        let v: Value = serde_json::from_slice(body).ok()?;
        let id = text(&v, "id").filter(|s| s.len() <= 255)?;
        let kind = text(&v, "type").filter(|s| s.len() <= 100)?;
        let object = v.get("data").and_then(|d| d.get("object")).filter(|o| o.is_object())?;
        Some(Event { happened: happened(&kind, object), id, kind })
    }
}

/// An id as one path segment.
fn url_part(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_is_checked_on_the_raw_body_with_every_v1_and_a_tolerance() {
        let body = br#"{"id":"evt_1","type":"checkout.session.completed"}"#;
        let good = sign("whsec_abc", body, 1_700_000_000);
        assert_eq!(verify_signature("whsec_abc", &good, body, 1_700_000_100), Ok(()));
        // Rolling secrets: an old v1 first, the matching one second.
        let v1 = good.split("v1=").nth(1).unwrap();
        let rolled = format!("t=1700000000,v1={},v0=abc,v1={v1}", "0".repeat(64));
        assert_eq!(verify_signature("whsec_abc", &rolled, body, 1_700_000_000), Ok(()));
        assert_eq!(verify_signature("whsec_other", &good, body, 1_700_000_000), Err(Refusal::Mismatch));
        let changed = br#"{"id":"evt_1","type":"checkout.session.completed" }"#;
        assert_eq!(verify_signature("whsec_abc", &good, changed, 1_700_000_000), Err(Refusal::Mismatch));
        assert_eq!(verify_signature("whsec_abc", &good, body, 1_700_000_301), Err(Refusal::Stale));
        assert_eq!(verify_signature("whsec_abc", "t=1700000000", body, 1_700_000_000), Err(Refusal::Missing));
        assert_eq!(verify_signature("whsec_abc", "v1=00", body, 1_700_000_000), Err(Refusal::Missing));
        assert_eq!(verify_signature("whsec_abc", "garbage", body, 1_700_000_000), Err(Refusal::Missing));
    }

    #[test]
    fn stripe_events_read_as_what_happened() {
        let o = serde_json::json!({ "id": "cs_1", "payment_status": "paid", "payment_intent": "pi_1", "amount_total": 1500, "currency": "eur" });
        assert_eq!(
            happened("checkout.session.completed", &o),
            Happened::CheckoutPaid {
                checkout_id: "cs_1".into(),
                intent_id: Some("pi_1".into()),
                amount_minor: Some(1500),
                currency: Some("EUR".into())
            }
        );
        let o = serde_json::json!({ "id": "ch_1", "payment_intent": "pi_1", "amount_refunded": 500,
            "payment_method_details": { "card": { "brand": "visa", "last4": "4242" } } });
        assert_eq!(
            happened("charge.refunded", &o),
            Happened::Refunded { intent_id: "pi_1".into(), amount_refunded: 500, card: Some("visa ·4242".into()) }
        );
        assert_eq!(happened("customer.created", &o), Happened::Other);
    }
}
