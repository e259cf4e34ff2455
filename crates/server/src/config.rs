//! Typed configuration: built-in defaults, then a TOML file, then `FRONTDESK__SECTION__KEY`
//! environment variables (e.g. `FRONTDESK__DATABASE__URL`).

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use frontdesk_platform::mail::SmtpSettings;
use frontdesk_platform::ratelimit::RateRules;
use frontdesk_platform::SignupMode;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub data_dir: PathBuf,
    pub secrets: SecretsConfig,
    pub signup: SignupConfig,
    pub mail: MailConfig,
    #[serde(default, skip_serializing)]
    pub smtp: Option<SmtpSettings>,
    pub jobs: JobsConfig,
    pub rate_limit: RateRules,
    pub log: LogConfig,
    #[serde(default)]
    pub inbox: frontdesk_inbox::InboxSettings,
    #[serde(default)]
    pub bookings: frontdesk_bookings::BookingSettings,
    /// Payments: the providers' addresses, duplicate refunds, how often open checkouts are
    /// asked about.
    #[serde(default)]
    pub billing: frontdesk_billing::BillingSettings,
    /// The operator's plans, quotas and prepaid wallets; off (nothing limited or metered)
    /// unless configured.
    #[serde(default)]
    pub platform_billing: Option<frontdesk_billing::plans::PlatformBillingSettings>,
    /// Cloud phones: idle stop, provider call and operation timeouts.
    #[serde(default)]
    pub phones: frontdesk_phones::PhonesSettings,
    #[serde(default)]
    pub network: NetworkConfig,
    #[serde(default)]
    pub metrics: MetricsConfig,
    #[serde(default)]
    pub support: SupportConfig,
    /// A human check (Cloudflare Turnstile) on the public booking page; off when absent.
    #[serde(default)]
    pub captcha: Option<frontdesk_platform::captcha::CaptchaSettings>,
    /// Sign in with Google (OpenID Connect); off when absent.
    #[serde(default)]
    pub google: Option<frontdesk_platform::google::GoogleSettings>,
}

/// The operator's own support desk.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct SupportConfig {
    /// The id of a web chat channel in the operator's support workspace: every signed-in
    /// person's Help opens a conversation with it (answered in that workspace's inbox).
    pub chat_channel: Option<String>,
}

/// Outgoing HTTP to tenant-supplied URLs (webhooks, AI providers).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct NetworkConfig {
    /// Internal ranges (CIDR or single addresses) tenants' URLs may reach anyway, e.g. a local
    /// Ollama on "10.0.0.5" or a receiver on "192.168.1.0/24". Empty: only public addresses.
    pub allow_private: Vec<String>,
}

impl NetworkConfig {
    pub fn allowed_ranges(&self) -> anyhow::Result<Vec<frontdesk_core::netguard::Cidr>> {
        self.allow_private
            .iter()
            .map(|r| {
                frontdesk_core::netguard::Cidr::parse(r)
                    .ok_or_else(|| anyhow::anyhow!("network.allow_private: {r:?} is not an address or CIDR range"))
            })
            .collect()
    }
}

/// Who may read `/metrics`; everyone else gets 404.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default)]
pub struct MetricsConfig {
    /// Client addresses (CIDR or single addresses); loopback by default.
    pub allow: Vec<String>,
    /// A bearer token that admits a scraper from any address.
    #[serde(skip_serializing)]
    pub token: Option<frontdesk_platform::crypto::BearerSecret>,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        Self { allow: vec!["127.0.0.0/8".into(), "::1".into()], token: None }
    }
}

impl MetricsConfig {
    pub fn access(&self) -> Result<frontdesk_web::MetricsAccess, String> {
        let allow = self
            .allow
            .iter()
            .map(|r| {
                frontdesk_core::netguard::Cidr::parse(r)
                    .ok_or_else(|| format!("metrics.allow: {r:?} is not an address or CIDR range"))
            })
            .collect::<Result<_, _>>()?;
        if self.token.as_ref().is_some_and(|t| t.is_empty()) {
            return Err("metrics.token is empty: remove it or set a long random value".into());
        }
        Ok(frontdesk_web::MetricsAccess { allow, token: self.token.clone() })
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ServerConfig {
    pub bind: String,
    /// Public URL (links in emails, cookie security, same-origin checks).
    pub base_url: String,
    /// Proxies (IP or CIDR) whose X-Forwarded-For is believed.
    pub trusted_proxies: Vec<String>,
    pub body_limit_bytes: usize,
}

#[derive(Clone, Deserialize, Serialize)]
pub struct DatabaseConfig {
    pub url: String,
    pub max_connections: u32,
}

impl std::fmt::Debug for DatabaseConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseConfig")
            .field("url", &redact_url(&self.url))
            .field("max_connections", &self.max_connections)
            .finish()
    }
}

/// `postgres://user:pass@host/db` → `postgres://user:***@host/db`.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[derive(Clone, Deserialize, Serialize, Default)]
pub struct SecretsConfig {
    /// Base64 of a 32-byte key. When absent, `key_file` is used (created on first start).
    #[serde(default, skip_serializing)]
    pub key: Option<String>,
    #[serde(default)]
    pub key_file: Option<PathBuf>,
    /// Earlier keys (base64), still accepted for opening values sealed before a rotation.
    #[serde(default, skip_serializing)]
    pub old_keys: Vec<String>,
}

impl std::fmt::Debug for SecretsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretsConfig")
            .field("key", &self.key.as_ref().map(|_| "<redacted>"))
            .field("key_file", &self.key_file)
            .field("old_keys", &self.old_keys.len())
            .finish()
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct SignupConfig {
    pub mode: SignupMode,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct MailConfig {
    /// Sender of every email.
    pub from: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct JobsConfig {
    pub workers: usize,
    /// How long a worker holds a job before another node may take it over.
    pub lease_secs: u64,
    pub scheduler_tick_secs: u64,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct LogConfig {
    /// `json` (default) or `pretty`.
    pub format: String,
    /// A tracing filter, e.g. `info` or `info,frontdesk_inbox=debug`.
    pub level: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            server: ServerConfig {
                bind: "127.0.0.1:8080".into(),
                base_url: "http://127.0.0.1:8080".into(),
                trusted_proxies: vec![],
                body_limit_bytes: 1024 * 1024,
            },
            database: DatabaseConfig { url: "sqlite://./data/frontdesk.db".into(), max_connections: 10 },
            data_dir: PathBuf::from("./data"),
            secrets: SecretsConfig::default(),
            signup: SignupConfig { mode: SignupMode::Open },
            mail: MailConfig { from: "Frontdesk <frontdesk@localhost>".into() },
            smtp: None,
            jobs: JobsConfig { workers: 2, lease_secs: 300, scheduler_tick_secs: 15 },
            rate_limit: RateRules::default(),
            log: LogConfig { format: "json".into(), level: "info".into() },
            inbox: Default::default(),
            bookings: Default::default(),
            billing: Default::default(),
            platform_billing: None,
            phones: Default::default(),
            network: Default::default(),
            metrics: Default::default(),
            support: Default::default(),
            captcha: None,
            google: None,
        }
    }
}

impl Config {
    /// Defaults, then `file` (if given, it must exist; else `./frontdesk.toml` if present),
    /// then the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, String> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(f) if !f.exists() => return Err(format!("config file {} does not exist", f.display())),
            Some(f) => fig = fig.merge(Toml::file(f)),
            None if Path::new("frontdesk.toml").exists() => fig = fig.merge(Toml::file("frontdesk.toml")),
            None => {}
        }
        fig = fig.merge(Env::prefixed("FRONTDESK__").split("__"));
        let mut c: Config = fig.extract().map_err(|e| format!("configuration error: {e}"))?;
        c.server.base_url = c.server.base_url.trim_end_matches('/').to_string();
        if !(c.server.base_url.starts_with("http://") || c.server.base_url.starts_with("https://")) {
            return Err(format!("server.base_url must start with http:// or https:// (got {:?})", c.server.base_url));
        }
        frontdesk_store::Db::backend_of(&c.database.url).map_err(|e| e.to_string())?;
        for p in &c.server.trusted_proxies {
            frontdesk_web::TrustedProxy::parse(p)
                .ok_or_else(|| format!("server.trusted_proxies: {p:?} is not an IP address or CIDR block"))?;
        }
        c.metrics.access()?;
        if let Some(k) = &c.captcha {
            k.check()?;
        }
        if let Some(g) = &c.google {
            g.check()?;
        }
        c.billing.check()?;
        c.phones.check()?;
        if let Some(p) = &c.platform_billing {
            p.check()?;
        }
        Ok(c)
    }

    pub fn key_file(&self) -> PathBuf {
        self.secrets.key_file.clone().unwrap_or_else(|| self.data_dir.join("master.key"))
    }
}
