//! External language models: any OpenAI-compatible chat-completions endpoint (OpenAI,
//! OpenRouter, Ollama, vLLM, LM Studio) and Anthropic's Messages API. Calls go through the
//! tenant HTTP client (request-forgery guard on every connection, no redirects), with a
//! timeout, one retry for transient failures, and clear error codes. The caller writes the
//! disclosure-ledger row from what [`Call`] reports (sizes, tokens, a hash; never content).

use crate::Inbox;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    OpenAi,
    Anthropic,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::OpenAi => "openai",
            Kind::Anthropic => "anthropic",
        }
    }
}

/// Where and how to call a model.
#[derive(Clone, Debug)]
pub struct Endpoint<'a> {
    pub kind: Kind,
    /// `https://api.openai.com/v1`, `http://127.0.0.1:11434/v1`, `https://api.anthropic.com`.
    pub base_url: &'a str,
    pub model: &'a str,
    pub api_key: Option<&'a str>,
}

/// What went over the wire, for the ledger.
#[derive(Clone, Debug, Default)]
pub struct Call {
    pub bytes_sent: i64,
    pub bytes_received: i64,
    pub tokens_in: Option<i64>,
    pub tokens_out: Option<i64>,
    pub payload_sha256: String,
    /// `ok`, or the error code.
    pub outcome: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LlmError {
    /// `provider_timeout`, `provider_rate_limited`, `provider_unavailable`,
    /// `provider_auth_failed`, `provider_rejected`, `provider_bad_answer`, `provider_unreachable`.
    pub code: &'static str,
    pub message: String,
    pub transient: bool,
}

fn err(code: &'static str, message: impl Into<String>, transient: bool) -> LlmError {
    LlmError { code, message: message.into(), transient }
}

/// The most tokens a model may answer with (what a reservation of the wallet counts on).
pub const MAX_TOKENS: i64 = 400;

fn request(e: &Endpoint<'_>, system: &str, user: &str) -> (String, Value) {
    let base = e.base_url.trim_end_matches('/');
    match e.kind {
        Kind::OpenAi => (
            format!("{base}/chat/completions"),
            json!({ "model": e.model, "temperature": 0.2, "max_tokens": MAX_TOKENS,
                    "messages": [{ "role": "system", "content": system }, { "role": "user", "content": user }] }),
        ),
        Kind::Anthropic => (
            format!("{base}/v1/messages"),
            json!({ "model": e.model, "max_tokens": MAX_TOKENS, "system": system,
                    "messages": [{ "role": "user", "content": user }] }),
        ),
    }
}

/// The answer's text and token counts, from each format.
fn parse(kind: Kind, v: &Value) -> Option<(String, Option<i64>, Option<i64>)> {
    match kind {
        Kind::OpenAi => {
            let text = v["choices"][0]["message"]["content"].as_str()?;
            Some((text.to_string(), v["usage"]["prompt_tokens"].as_i64(), v["usage"]["completion_tokens"].as_i64()))
        }
        Kind::Anthropic => {
            let text: String = v["content"]
                .as_array()?
                .iter()
                .filter(|b| b["type"] == "text")
                .filter_map(|b| b["text"].as_str())
                .collect::<Vec<_>>()
                .join("");
            if text.is_empty() {
                return None;
            }
            Some((text, v["usage"]["input_tokens"].as_i64(), v["usage"]["output_tokens"].as_i64()))
        }
    }
}

fn timeout(app: &Inbox) -> Duration {
    Duration::from_millis(app.inbox.send_timeout_ms.max(1))
}

async fn once(app: &Inbox, e: &Endpoint<'_>, url: &str, body: &[u8]) -> (Result<String, LlmError>, Call) {
    let mut call =
        Call { bytes_sent: body.len() as i64, payload_sha256: hex::encode(Sha256::digest(body)), ..Default::default() };
    let mut rb = app
        .tenant_http
        .post(url)
        .timeout(timeout(app))
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body.to_vec());
    rb = match (e.kind, e.api_key) {
        (Kind::OpenAi, Some(k)) => rb.bearer_auth(k),
        (Kind::Anthropic, Some(k)) => rb.header("x-api-key", k).header("anthropic-version", "2023-06-01"),
        (_, None) => rb,
    };
    let result = async {
        let r = rb.send().await.map_err(|x| {
            if x.is_timeout() {
                err("provider_timeout", "The model did not answer in time.", true)
            } else {
                err("provider_unreachable", format!("The model could not be reached: {}", x.without_url()), true)
            }
        })?;
        let status = r.status();
        let bytes = r.bytes().await.map_err(|_| err("provider_timeout", "The model's answer was cut short.", true))?;
        call.bytes_received = bytes.len() as i64;
        let mut v: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        // A draft is stored text: no NUL from a model survives into it.
        frontdesk_channels::scrub_nul(&mut v);
        if !status.is_success() {
            let said = v["error"]["message"].as_str().or(v["error"].as_str()).unwrap_or("no message");
            let said: String = said.chars().take(200).collect();
            return Err(match status.as_u16() {
                429 => err("provider_rate_limited", format!("The model's provider is rate limiting: {said}"), true),
                401 | 403 => err("provider_auth_failed", format!("The provider refused the API key: {said}"), false),
                s if s >= 500 => err("provider_unavailable", format!("The provider failed (HTTP {s}): {said}"), true),
                s => err("provider_rejected", format!("The provider refused the request (HTTP {s}): {said}"), false),
            });
        }
        let (text, tin, tout) = parse(e.kind, &v)
            .ok_or_else(|| err("provider_bad_answer", "The model's answer was not in the expected format.", false))?;
        call.tokens_in = tin;
        call.tokens_out = tout;
        Ok(text)
    }
    .await;
    call.outcome = match &result {
        Ok(_) => "ok".into(),
        Err(x) => x.code.into(),
    };
    (result, call)
}

/// One completion: up to two attempts (a transient failure is retried once after a short
/// pause). Every attempt is reported for the ledger, failed ones too.
pub async fn complete(
    app: &Inbox,
    e: &Endpoint<'_>,
    system: &str,
    user: &str,
) -> (Result<String, LlmError>, Vec<Call>) {
    let (url, body) = request(e, system, user);
    let body = serde_json::to_vec(&body).unwrap_or_default();
    let mut calls = vec![];
    let mut last = Err(err("provider_unreachable", "No attempt was made.", true));
    for attempt in 0..2 {
        if attempt > 0 {
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        let (r, call) = once(app, e, &url, &body).await;
        calls.push(call);
        let retry = matches!(&r, Err(x) if x.transient);
        last = r;
        if !retry {
            break;
        }
    }
    (last, calls)
}
