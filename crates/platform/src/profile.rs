//! The business profile: one record per workspace (slug, time zone, country, currency,
//! contact details, languages, logo, brand colour). It is the one source every area reads —
//! the inbox's hours and the assistant's knowledge now, the booking page and invoices later —
//! so nothing copies it. Also a person's own display preferences (time zone, theme).

use crate::audit;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::repo::profiles as q;
use crate::workspaces::Access;
use crate::Platform;
use frontdesk_core::money::Currency;
use frontdesk_core::profile as rules;
use frontdesk_core::{Email, Timestamp, UserId, WorkspaceId};
use frontdesk_store::Conn;

pub use q::{Prefs, Profile};

/// How long a retired slug keeps pointing at its workspace (and stays out of others' reach).
pub const SLUG_GRACE_MS: i64 = 90 * Timestamp::DAY;

/// The largest logo accepted, in bytes.
pub const MAX_LOGO_BYTES: usize = 512 * 1024;

/// What a person edits on the profile page (or sends to the API): text as typed; empty means
/// not set.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ProfileInput {
    /// An IANA time zone (`Europe/Madrid`).
    #[serde(default)]
    pub time_zone: String,
    /// ISO 3166-1 alpha-2 country code.
    #[serde(default)]
    pub country: String,
    /// ISO 4217 currency code.
    #[serde(default)]
    pub currency: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub website: String,
    /// ISO 639-1 codes, the main language first.
    #[serde(default)]
    pub languages: Vec<String>,
    /// `#rrggbb`.
    #[serde(default)]
    pub brand_colour: String,
}

/// The profile of a workspace (created with the workspace; made now for one from before).
pub async fn of(c: &mut Conn, ws: &WorkspaceId) -> AppResult<Profile> {
    if let Some(p) = q::get(c, ws).await? {
        return Ok(p);
    }
    let slug = free_slug(c, &format!("ws-{}", ws.as_str().replace('-', "")), 0).await?;
    q::insert(c, ws, &slug, Timestamp(0)).await?;
    q::get(c, ws).await?.ok_or_else(AppError::internal)
}

pub async fn get(app: &Platform, access: &Access) -> AppResult<Profile> {
    let mut c = app.db.conn().await?;
    of(&mut c, &access.workspace.id).await
}

/// The first of `base`, `base-2`, `base-3`… that nobody holds (retired slugs count).
async fn free_slug(c: &mut Conn, base: &str, start: u32) -> AppResult<String> {
    for n in start..1000 {
        let candidate = if n < 2 { base.to_string() } else { format!("{}-{n}", &base[..base.len().min(36)]) };
        if q::slug_holder(c, &candidate).await?.is_none() {
            return Ok(candidate);
        }
    }
    Err(AppError::internal())
}

/// Gives a new workspace its profile, with a slug made from its name.
pub async fn create_for(c: &mut Conn, ws: &WorkspaceId, name: &str, now: Timestamp) -> AppResult<Profile> {
    let slug = free_slug(c, &rules::slug_from_name(name), 0).await?;
    q::insert(c, ws, &slug, now).await?;
    q::get(c, ws).await?.ok_or_else(AppError::internal)
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Checks every field at once: all the problems, each with its field.
pub fn parse(input: &ProfileInput) -> Result<Profile, Vec<AppError>> {
    let mut errors = Vec::new();
    let mut p = Profile::default();
    let mut check = |r: Result<String, frontdesk_core::Invalid>| match r {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(AppError::from(e));
            None
        }
    };
    p.time_zone = check(rules::time_zone(&input.time_zone)).unwrap_or_default();
    p.country = opt(&input.country).and_then(|c| check(rules::country(&c)));
    p.currency = opt(&input.currency).and_then(|c| {
        check(Currency::parse(&c).map(|c| c.code().to_string()).ok_or_else(|| {
            frontdesk_core::Invalid::new("currency", "unknown_currency", "Choose a currency from the list.")
        }))
    });
    p.address = opt(&input.address).and_then(|a| {
        check(if a.chars().count() > 300 {
            Err(frontdesk_core::Invalid::new("address", "too_long", "Keep the address under 300 characters."))
        } else {
            Ok(a)
        })
    });
    p.phone = opt(&input.phone).and_then(|v| check(rules::phone(&v)));
    p.email = opt(&input.email).and_then(|v| check(Email::parse(&v).map(|e| e.as_str().to_string())));
    p.website = opt(&input.website).and_then(|v| check(rules::website(&v)));
    p.languages = check(rules::languages(&input.languages).map(|l| l.join(",")))
        .map_or_else(Vec::new, |l| l.split(',').filter(|x| !x.is_empty()).map(str::to_string).collect());
    p.brand_colour = opt(&input.brand_colour).and_then(|v| check(rules::brand_colour(&v)));
    if errors.is_empty() {
        Ok(p)
    } else {
        Err(errors)
    }
}

/// Saves the profile (every field but the slug and the logo).
pub async fn update(app: &Platform, access: &Access, input: &ProfileInput) -> Result<Profile, Vec<AppError>> {
    let p = parse(input)?;
    let run = async {
        let id = &access.workspace.id;
        let mut tx = app.db.begin().await?;
        of(&mut tx, id).await?;
        q::update(&mut tx, id, &p, app.now()).await?;
        audit::record(
            app,
            &mut tx,
            id.as_str(),
            &access.actor,
            "workspace.profile",
            Some(("workspace", id.as_str())),
            "ok",
        )
        .await?;
        let saved = q::get(&mut tx, id).await?.ok_or_else(AppError::internal)?;
        tx.commit().await?;
        Ok::<_, AppError>(saved)
    };
    run.await.map_err(|e| vec![e])
}

/// Sets the time zone alone (the hours page names it too), inside the caller's transaction.
pub async fn set_time_zone(c: &mut Conn, ws: &WorkspaceId, time_zone: &str) -> AppResult<()> {
    let tz = rules::time_zone(time_zone)?;
    let mut p = of(c, ws).await?;
    if p.time_zone != tz {
        p.time_zone = tz;
        q::update(c, ws, &p, Timestamp(p.updated_at)).await?;
    }
    Ok(())
}

/// Changes the slug. The old one keeps leading here for 90 days; a slug another workspace
/// holds, or gave up less than 90 days ago, is refused.
pub async fn set_slug(app: &Platform, access: &Access, slug: &str) -> AppResult<Profile> {
    let new = rules::slug(slug)?;
    let id = &access.workspace.id;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let current = of(&mut tx, id).await?;
    if current.slug == new {
        tx.commit().await?;
        return Ok(current);
    }
    match q::slug_holder(&mut tx, &new).await? {
        Some((holder, _)) if &holder == id => {}
        Some((_, Some(retired))) if retired + SLUG_GRACE_MS < now.0 => {}
        Some(_) => return Err(slug_taken()),
        None => {}
    }
    q::change_slug(&mut tx, id, &current.slug, &new, now).await.map_err(|e| {
        if frontdesk_store::is_unique_violation(&e) {
            slug_taken()
        } else {
            e.into()
        }
    })?;
    audit::record(app, &mut tx, id.as_str(), &access.actor, "workspace.slug", Some(("workspace", id.as_str())), &new)
        .await?;
    let saved = q::get(&mut tx, id).await?.ok_or_else(AppError::internal)?;
    tx.commit().await?;
    Ok(saved)
}

fn slug_taken() -> AppError {
    AppError {
        field: Some("slug"),
        ..AppError::new(ErrorKind::Conflict, "slug_taken", "Another business uses that name; choose another.")
    }
}

/// Where a slug leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SlugTarget {
    /// The workspace's current slug.
    Current(WorkspaceId),
    /// A slug the workspace gave up less than 90 days ago: follow it to the current one.
    Moved { workspace: WorkspaceId, slug: String },
}

/// The workspace a slug names, if any (retired slugs for 90 days).
pub async fn resolve_slug(app: &Platform, slug: &str) -> AppResult<Option<SlugTarget>> {
    let slug = slug.trim().to_ascii_lowercase();
    let mut c = app.db.conn().await?;
    Ok(match q::slug_holder(&mut c, &slug).await? {
        Some((ws, None)) => Some(SlugTarget::Current(ws)),
        Some((ws, Some(retired))) if retired + SLUG_GRACE_MS >= app.now().0 => {
            let now = of(&mut c, &ws).await?.slug;
            Some(SlugTarget::Moved { workspace: ws, slug: now })
        }
        _ => None,
    })
}

/// Stores a logo (PNG, JPEG or WebP, checked by its bytes), or removes it with `None`.
pub async fn set_logo(app: &Platform, access: &Access, bytes: Option<&[u8]>) -> AppResult<Profile> {
    let id = &access.workspace.id;
    let logo = match bytes {
        None => None,
        Some(b) if b.len() > MAX_LOGO_BYTES => {
            return Err(AppError {
                field: Some("logo"),
                ..AppError::new(ErrorKind::TooLarge, "logo_too_large", "The logo may be up to 512 KB.")
            })
        }
        Some(b) => {
            let mime = image_type(b).ok_or_else(|| AppError {
                field: Some("logo"),
                ..AppError::new(ErrorKind::UnsupportedMedia, "unsupported_image", "Use a PNG, JPEG or WebP image.")
            })?;
            let key = format!("logos/{}/{}", id.as_str(), crate::crypto::random_token());
            app.blobs.put(&key, b).await.map_err(|e| {
                tracing::error!(error = %e, "could not store a logo");
                AppError::internal()
            })?;
            Some((key, mime))
        }
    };
    let mut tx = app.db.begin().await?;
    of(&mut tx, id).await?;
    q::set_logo(&mut tx, id, logo.as_ref().map(|(k, m)| (k.as_str(), *m)), app.now()).await?;
    audit::record(
        app,
        &mut tx,
        id.as_str(),
        &access.actor,
        "workspace.logo",
        Some(("workspace", id.as_str())),
        if logo.is_some() { "set" } else { "removed" },
    )
    .await?;
    let saved = q::get(&mut tx, id).await?.ok_or_else(AppError::internal)?;
    tx.commit().await?;
    Ok(saved)
}

/// The logo's bytes and type, if the workspace has one.
pub async fn logo(app: &Platform, ws: &WorkspaceId) -> AppResult<Option<(Vec<u8>, String)>> {
    let mut c = app.db.conn().await?;
    let p = of(&mut c, ws).await?;
    match (p.logo_blob, p.logo_type) {
        (Some(k), Some(t)) => match app.blobs.get(&k).await {
            Ok(b) => Ok(Some((b, t))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => {
                tracing::error!(error = %e, "could not read a logo");
                Err(AppError::internal())
            }
        },
        _ => Ok(None),
    }
}

fn image_type(b: &[u8]) -> Option<&'static str> {
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if b.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if b.len() > 12 && &b[..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// Skips (or brings back) the setup checklist on the workspace's Home.
pub async fn skip_setup(app: &Platform, access: &Access, skip: bool) -> AppResult<()> {
    let id = &access.workspace.id;
    let mut c = app.db.conn().await?;
    of(&mut c, id).await?;
    q::set_setup_skipped(&mut c, id, skip.then_some(app.now().0)).await?;
    Ok(())
}

/// Forgets slugs retired more than 90 days ago (part of the maintenance job).
pub async fn purge_retired_slugs(c: &mut Conn, now: Timestamp) -> Result<u64, frontdesk_store::SqlError> {
    q::purge_retired_slugs(c, now.0 - SLUG_GRACE_MS).await
}

pub async fn prefs(app: &Platform, user: &UserId) -> AppResult<Prefs> {
    let mut c = app.db.conn().await?;
    Ok(q::prefs(&mut c, user).await?)
}

/// Saves a person's time zone (empty: the workspace's), theme (`system`, `light`, `dark`) and
/// language (`en`, `es`; empty: the browser's).
pub async fn set_prefs(app: &Platform, user: &UserId, time_zone: &str, theme: &str, lang: &str) -> AppResult<Prefs> {
    let time_zone = match time_zone.trim() {
        "" => None,
        tz => Some(rules::time_zone(tz)?),
    };
    if !["system", "light", "dark"].contains(&theme) {
        return Err(AppError::invalid("theme", "invalid_theme", "Choose system, light or dark."));
    }
    let lang = match lang.trim() {
        "" => None,
        l => match frontdesk_core::lang::Lang::parse(l) {
            Some(l) => Some(l.code().to_string()),
            None => return Err(AppError::invalid("lang", "invalid_language", "Choose English or Spanish.")),
        },
    };
    let p = Prefs { time_zone, theme: theme.to_string(), lang };
    let mut c = app.db.conn().await?;
    q::set_prefs(&mut c, user, &p).await?;
    Ok(p)
}
