//! The operator's side: providers (credentials sealed, checked before they are kept), the
//! profiles workspaces choose from, and the pool of ADB devices.

use crate::devices::{provider_of, secret_place};
use crate::repo::{self as q, Device, Profile, Provider};
use crate::Phones;
use frontdesk_core::{DeviceId, DeviceProfileId, PhoneProviderId};
use frontdesk_platform::audit::{self, Actor};
use frontdesk_platform::error::ErrorKind;
use frontdesk_platform::{AppError, AppResult, Platform};
use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Deserialize, JsonSchema)]
pub struct ProviderInput {
    pub name: String,
    /// `geelark` or `adb`.
    pub kind: String,
    /// GeeLark: the API's base URL (`https://openapi.geelark.com`). ADB: the ADB server's
    /// `host:port`.
    pub endpoint: String,
    /// GeeLark's app id.
    #[serde(default)]
    pub app_id: Option<String>,
    /// GeeLark's API key (kept sealed, never shown again).
    #[serde(default)]
    pub api_key: Option<String>,
}

/// Adds a provider after one call proves the endpoint and credentials work: nothing is kept
/// when they do not.
pub async fn add_provider(ph: &Phones, actor: &Actor, input: &ProviderInput) -> AppResult<Provider> {
    let name = crate::clean(&input.name);
    if name.is_empty() || name.chars().count() > 60 {
        return Err(AppError::invalid(
            "name",
            "invalid_provider_name",
            "Give the provider a name of 1 to 60 characters.",
        ));
    }
    let endpoint = input.endpoint.trim().to_string();
    let (app_id, key) = match input.kind.as_str() {
        "geelark" => {
            let ok =
                url::Url::parse(&endpoint).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
            if !ok {
                return Err(AppError::invalid("endpoint", "invalid_endpoint", "GeeLark's endpoint is an http(s) URL."));
            }
            let app = input.app_id.as_deref().map(str::trim).filter(|s| !s.is_empty());
            let key = input.api_key.as_deref().map(str::trim).filter(|s| !s.is_empty());
            let (Some(app), Some(key)) = (app, key) else {
                return Err(AppError::invalid(
                    "api_key",
                    "credentials_required",
                    "GeeLark needs its app id and API key.",
                ));
            };
            (Some(app.to_string()), Some(key.to_string()))
        }
        "adb" => {
            let ok = endpoint.rsplit_once(':').is_some_and(|(h, p)| !h.is_empty() && p.parse::<u16>().is_ok());
            if !ok {
                return Err(AppError::invalid(
                    "endpoint",
                    "invalid_endpoint",
                    "An ADB server is host:port (127.0.0.1:5037).",
                ));
            }
            (None, None)
        }
        _ => return Err(AppError::invalid("kind", "unknown_provider_kind", "A provider is `geelark` or `adb`.")),
    };
    let p: &Platform = ph.as_ref();
    let now = ph.now().0;
    let mut row = Provider {
        id: PhoneProviderId::new(),
        name,
        kind: input.kind.clone(),
        endpoint,
        app_id,
        secret: None,
        secret_hint: key.as_ref().map(|k| k.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect()),
        status: "ok".into(),
        status_detail: None,
        checked_at: Some(now),
        created_at: now,
        updated_at: now,
    };
    if let Some(k) = &key {
        row.secret = Some(p.vault.seal(secret_place(&row), k.as_bytes()));
    }
    let api = provider_of(ph, &row)?;
    match api.list().await {
        Ok(_) => {}
        Err(crate::provider::CallError::Auth(m)) => {
            return Err(AppError::new(
                ErrorKind::Invalid,
                "provider_auth_failed",
                format!("The provider refused these credentials ({m})."),
            ))
        }
        Err(e) => {
            return Err(AppError::new(
                ErrorKind::Invalid,
                "provider_unreachable",
                format!("The provider could not be reached ({e})."),
            ))
        }
    }
    let mut tx = ph.db.begin().await?;
    if q::providers(&mut tx).await?.iter().any(|x| x.name == row.name) {
        return Err(AppError::new(ErrorKind::Conflict, "provider_exists", "A provider has this name already."));
    }
    q::insert_provider(&mut tx, &row).await?;
    tx.commit().await?;
    audit::record_platform(p, actor, "phones.provider.add", Some(("phone_provider", row.id.as_str())), &row.kind)
        .await?;
    Ok(row)
}

pub async fn providers(ph: &Phones) -> AppResult<Vec<Provider>> {
    let mut c = ph.db.conn().await?;
    Ok(q::providers(&mut c).await?)
}

#[derive(Deserialize, JsonSchema)]
pub struct ProfileInput {
    pub provider_id: String,
    pub name: String,
    /// The Android version as the provider names it (`Android 13`).
    pub android_version: String,
    /// GeeLark: `cn`, `sgp` or `us`.
    #[serde(default)]
    pub region: Option<String>,
    /// A size or model label shown to workspaces.
    #[serde(default)]
    pub size: Option<String>,
}

pub async fn add_profile(ph: &Phones, actor: &Actor, input: &ProfileInput) -> AppResult<Profile> {
    let pid = PhoneProviderId::parse(&input.provider_id)
        .ok_or_else(|| AppError::invalid("provider_id", "unknown_provider", "Choose one of the providers."))?;
    let name = crate::clean(&input.name);
    if name.is_empty() || name.chars().count() > 60 {
        return Err(AppError::invalid(
            "name",
            "invalid_profile_name",
            "Give the profile a name of 1 to 60 characters.",
        ));
    }
    let version = crate::clean(&input.android_version);
    if version.is_empty() || version.chars().count() > 30 {
        return Err(AppError::invalid(
            "android_version",
            "invalid_android_version",
            "Name the Android version (Android 13).",
        ));
    }
    let p: &Platform = ph.as_ref();
    let now = ph.now().0;
    let mut tx = ph.db.begin().await?;
    q::provider(&mut tx, &pid)
        .await?
        .ok_or_else(|| AppError::invalid("provider_id", "unknown_provider", "Choose one of the providers."))?;
    let short = |s: &Option<String>| s.as_deref().map(crate::clean).filter(|v| !v.is_empty());
    let row = Profile {
        id: DeviceProfileId::new(),
        provider_id: pid,
        name,
        region: short(&input.region),
        android_version: version,
        size: short(&input.size),
        active: true,
        created_at: now,
        updated_at: now,
    };
    q::insert_profile(&mut tx, &row).await?;
    tx.commit().await?;
    audit::record_platform(p, actor, "phones.profile.add", Some(("phone_profile", row.id.as_str())), "ok").await?;
    Ok(row)
}

pub async fn profiles(ph: &Phones) -> AppResult<Vec<Profile>> {
    let mut c = ph.db.conn().await?;
    Ok(q::profiles(&mut c).await?)
}

/// Lists an ADB host's devices and adds the new ones to the pool; answers how many were new.
pub async fn sync_pool(ph: &Phones, actor: &Actor, id: &str) -> AppResult<usize> {
    let pid = PhoneProviderId::parse(id).ok_or_else(|| AppError::not_found("The provider"))?;
    let mut c = ph.db.conn().await?;
    let provider = q::provider(&mut c, &pid).await?.ok_or_else(|| AppError::not_found("The provider"))?;
    drop(c);
    if provider.kind != "adb" {
        return Err(AppError::new(ErrorKind::Conflict, "not_a_pool", "Only ADB hosts have a pool to sync."));
    }
    let api = provider_of(ph, &provider)?;
    let listed = api.list().await.map_err(|e| {
        AppError::new(
            ErrorKind::Unavailable,
            "provider_unreachable",
            format!("The provider could not be reached ({e})."),
        )
    })?;
    let p: &Platform = ph.as_ref();
    let now = ph.now().0;
    let mut tx = ph.db.begin().await?;
    let mut added = 0;
    for (serial, _) in listed {
        if q::by_ref(&mut tx, &pid, &serial).await?.is_some() {
            continue;
        }
        let d = Device {
            id: DeviceId::new(),
            provider_id: pid.clone(),
            provider_ref: Some(serial.clone()),
            name: serial,
            tags: "[]".into(),
            state: "stopped".into(),
            created_at: now,
            updated_at: now,
            ..Default::default()
        };
        q::insert_device(&mut tx, &d).await?;
        added += 1;
    }
    tx.commit().await?;
    audit::record_platform(p, actor, "phones.pool.sync", Some(("phone_provider", pid.as_str())), &added.to_string())
        .await?;
    Ok(added)
}

pub async fn all_devices(ph: &Phones) -> AppResult<Vec<Device>> {
    let mut c = ph.db.conn().await?;
    Ok(q::all_devices(&mut c).await?)
}

/// Verifies a provider's callback on its headers; `Some(provider)` when it is genuine.
pub async fn callback(ph: &Phones, id: &str, header: &(dyn Fn(&str) -> Option<String> + Sync)) -> AppResult<bool> {
    let Some(pid) = PhoneProviderId::parse(id) else { return Ok(false) };
    let mut c = ph.db.conn().await?;
    let Some(provider) = q::provider(&mut c, &pid).await? else { return Ok(false) };
    drop(c);
    if provider.kind != "geelark" {
        return Ok(false);
    }
    let p: &Platform = ph.as_ref();
    let Some(sealed) = &provider.secret else { return Ok(false) };
    let Ok(key) = p.vault.open(secret_place(&provider), sealed) else { return Ok(false) };
    let key = String::from_utf8_lossy(&key).into_owned();
    if !crate::geelark::verify(header, provider.app_id.as_deref().unwrap_or(""), &key) {
        return Ok(false);
    }
    crate::devices::poke(ph, &pid).await?;
    Ok(true)
}
