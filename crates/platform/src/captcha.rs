//! An optional human check on public forms (Cloudflare Turnstile): off unless `[captcha]` is
//! configured. The page loads the provider's script (its origin is then allowed by that page's
//! CSP, and only then); the form posts the widget's token, which the server checks with the
//! provider's `siteverify` before it does anything. Both URLs are configurable (tests point them
//! at loopback stand-ins).

use crate::{AppError, AppResult, Platform};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The form field Turnstile fills with its token.
pub const FIELD: &str = "cf-turnstile-response";

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct CaptchaSettings {
    /// The public site key the widget is rendered with.
    pub site_key: String,
    /// The secret `siteverify` is called with.
    #[serde(skip_serializing, default)]
    pub secret: String,
    #[serde(default = "default_script")]
    pub script_url: String,
    #[serde(default = "default_verify")]
    pub verify_url: String,
}

fn default_script() -> String {
    "https://challenges.cloudflare.com/turnstile/v0/api.js".into()
}

fn default_verify() -> String {
    "https://challenges.cloudflare.com/turnstile/v0/siteverify".into()
}

/// `scheme://host[:port]` of a URL, for a CSP source list (`None` for anything else).
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next().filter(|h| !h.is_empty())?;
    host.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        .then(|| format!("{scheme}://{}", host.to_ascii_lowercase()))
}

impl CaptchaSettings {
    /// The origin the widget's script and frame come from.
    pub fn script_origin(&self) -> Option<String> {
        origin_of(&self.script_url)
    }

    /// Checks the settings once at start-up.
    pub fn check(&self) -> Result<(), String> {
        if self.site_key.trim().is_empty() || self.secret.trim().is_empty() {
            return Err("captcha: site_key and secret are required".into());
        }
        if self.script_origin().is_none() || origin_of(&self.verify_url).is_none() {
            return Err("captcha: script_url and verify_url must be http(s) URLs".into());
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct Verdict {
    success: bool,
    #[serde(default, rename = "error-codes")]
    error_codes: Vec<String>,
}

fn failed() -> AppError {
    AppError::invalid("captcha", "captcha_failed", "Please confirm you are not a robot, then try again.")
}

/// Checks a form's token with the provider (`None`: no captcha configured, nothing to check).
pub async fn verify(p: &Platform, token: Option<&str>, ip: &str) -> AppResult<()> {
    let Some(cfg) = &p.settings.captcha else { return Ok(()) };
    let token = token.map(str::trim).filter(|t| !t.is_empty() && t.len() <= 2048).ok_or_else(failed)?;
    let form = [("secret", cfg.secret.as_str()), ("response", token), ("remoteip", ip)];
    let resp = p.http.post(&cfg.verify_url).timeout(Duration::from_secs(10)).form(&form).send().await.map_err(|e| {
        tracing::warn!(error = %e, "captcha check unreachable");
        unavailable()
    })?;
    if !resp.status().is_success() {
        tracing::warn!(status = %resp.status(), "captcha check refused the request");
        return Err(unavailable());
    }
    let v: Verdict = resp.json().await.map_err(|_| unavailable())?;
    if v.success {
        Ok(())
    } else {
        tracing::info!(codes = ?v.error_codes, "captcha token refused");
        Err(failed())
    }
}

fn unavailable() -> AppError {
    AppError::new(
        crate::error::ErrorKind::Unavailable,
        "captcha_unavailable",
        "The check that you are not a robot is not answering; try again in a minute.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_origins_reach_a_policy() {
        assert_eq!(
            origin_of("https://Challenges.example/turnstile/v0/api.js").as_deref(),
            Some("https://challenges.example")
        );
        assert_eq!(origin_of("http://127.0.0.1:4000/api.js?x=1").as_deref(), Some("http://127.0.0.1:4000"));
        for bad in ["javascript:alert(1)", "https://", "https://a b/", "data:text/js,1", "https://x;script-src *"] {
            assert_eq!(origin_of(bad), None, "{bad}");
        }
    }
}
