//! The business profile of each workspace, the slugs it gave up, and a person's own display
//! preferences (time zone, theme).

use frontdesk_core::{Timestamp, UserId, WorkspaceId};
use frontdesk_store::row::{self, opt_i64, opt_str, FromRow};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// One workspace's profile, as stored (values were checked by `core::profile` when saved).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    pub slug: String,
    pub time_zone: String,
    pub country: Option<String>,
    pub currency: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    /// ISO 639-1 codes, in the business's order.
    pub languages: Vec<String>,
    pub logo_blob: Option<String>,
    pub logo_type: Option<String>,
    pub brand_colour: Option<String>,
    /// When the owner chose to skip the setup checklist.
    pub setup_skipped_at: Option<i64>,
    pub updated_at: i64,
}

const COLS: &str = "slug, time_zone, country, currency, address, phone, email, website, languages, logo_blob, logo_type, brand_colour, setup_skipped_at, updated_at";

impl FromRow for Profile {
    fn from_row(r: &AnyRow) -> sqlx::Result<Self> {
        let languages: String = r.try_get("languages")?;
        Ok(Profile {
            slug: r.try_get("slug")?,
            time_zone: r.try_get("time_zone")?,
            country: opt_str(r, "country"),
            currency: opt_str(r, "currency"),
            address: opt_str(r, "address"),
            phone: opt_str(r, "phone"),
            email: opt_str(r, "email"),
            website: opt_str(r, "website"),
            languages: languages.split(',').filter(|l| !l.is_empty()).map(str::to_string).collect(),
            logo_blob: opt_str(r, "logo_blob"),
            logo_type: opt_str(r, "logo_type"),
            brand_colour: opt_str(r, "brand_colour"),
            setup_skipped_at: opt_i64(r, "setup_skipped_at"),
            updated_at: r.try_get("updated_at")?,
        })
    }
}

pub async fn get(c: &mut AnyConnection, ws: &WorkspaceId) -> sqlx::Result<Option<Profile>> {
    row::optional(c, &format!("SELECT {COLS} FROM workspace_profiles WHERE workspace_id = $1"), ws).await
}

/// Creates the profile of a new workspace (a unique slug chosen by the caller).
pub async fn insert(c: &mut AnyConnection, ws: &WorkspaceId, slug: &str, now: Timestamp) -> sqlx::Result<()> {
    row::execute(
        c,
        "INSERT INTO workspace_profiles (workspace_id, slug, updated_at) VALUES ($1, $2, $3)",
        (ws, slug, now),
    )
    .await
}

/// Replaces every field but the slug, the logo and the checklist state.
pub async fn update(c: &mut AnyConnection, ws: &WorkspaceId, p: &Profile, now: Timestamp) -> sqlx::Result<()> {
    let sql = "UPDATE workspace_profiles SET time_zone = $2, country = $3, currency = $4, address = $5, phone = $6, email = $7, website = $8, languages = $9, brand_colour = $10, updated_at = $11 WHERE workspace_id = $1";
    let args = (ws, &p.time_zone, &p.country, &p.currency, &p.address, &p.phone, &p.email, &p.website);
    row::execute(c, sql, (args, p.languages.join(","), &p.brand_colour, now)).await
}

pub async fn set_logo(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    logo: Option<(&str, &str)>,
    now: Timestamp,
) -> sqlx::Result<()> {
    let sql = "UPDATE workspace_profiles SET logo_blob = $2, logo_type = $3, updated_at = $4 WHERE workspace_id = $1";
    row::execute(c, sql, (ws, logo.map(|l| l.0), logo.map(|l| l.1), now)).await
}

pub async fn set_setup_skipped(c: &mut AnyConnection, ws: &WorkspaceId, at: Option<i64>) -> sqlx::Result<()> {
    row::execute(c, "UPDATE workspace_profiles SET setup_skipped_at = $2 WHERE workspace_id = $1", (ws, at)).await
}

/// Who holds a slug: its workspace, and whether the slug is retired (with when).
pub async fn slug_holder(c: &mut AnyConnection, slug: &str) -> sqlx::Result<Option<(WorkspaceId, Option<i64>)>> {
    let current: Option<String> =
        row::opt_scalar(&mut *c, "SELECT workspace_id FROM workspace_profiles WHERE slug = $1", slug).await?;
    if let Some(ws) = current {
        return Ok(Some((WorkspaceId::from_db(ws), None)));
    }
    let sql = "SELECT workspace_id, retired_at FROM workspace_slugs WHERE slug = $1";
    row::optional_with(c, sql, slug, |r| {
        Ok((WorkspaceId::from_db(r.try_get("workspace_id")?), Some(r.try_get("retired_at")?)))
    })
    .await
}

/// Gives the workspace a new slug; the old one is kept as retired (taking back one of its
/// own retired slugs un-retires it).
pub async fn change_slug(
    c: &mut AnyConnection,
    ws: &WorkspaceId,
    old: &str,
    new: &str,
    now: Timestamp,
) -> sqlx::Result<()> {
    row::execute(&mut *c, "DELETE FROM workspace_slugs WHERE slug = $1 AND workspace_id = $2", (new, ws)).await?;
    row::execute(&mut *c, "DELETE FROM workspace_slugs WHERE slug = $1", old).await?;
    let retire = "INSERT INTO workspace_slugs (slug, workspace_id, retired_at) VALUES ($1, $2, $3)";
    row::execute(&mut *c, retire, (old, ws, now)).await?;
    row::execute(c, "UPDATE workspace_profiles SET slug = $2, updated_at = $3 WHERE workspace_id = $1", (ws, new, now))
        .await
}

/// Forgets retired slugs older than `before` (the retention job).
pub async fn purge_retired_slugs(c: &mut AnyConnection, before: i64) -> sqlx::Result<u64> {
    row::changed(c, "DELETE FROM workspace_slugs WHERE retired_at < $1", before).await
}

/// A person's display preferences.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prefs {
    pub time_zone: Option<String>,
    pub theme: String,
    pub lang: Option<String>,
}

pub async fn prefs(c: &mut AnyConnection, user: &UserId) -> sqlx::Result<Prefs> {
    let r = sqlx::query("SELECT time_zone, theme, lang FROM users WHERE id = $1")
        .bind(user.as_str())
        .fetch_optional(c)
        .await?;
    Ok(match r {
        Some(r) => Prefs { time_zone: opt_str(&r, "time_zone"), theme: r.try_get("theme")?, lang: opt_str(&r, "lang") },
        None => Prefs { time_zone: None, theme: "system".into(), lang: None },
    })
}

pub async fn set_prefs(c: &mut AnyConnection, user: &UserId, p: &Prefs) -> sqlx::Result<()> {
    let sql = "UPDATE users SET time_zone = $2, theme = $3, lang = $4 WHERE id = $1";
    row::execute(c, sql, (user, &p.time_zone, &p.theme, &p.lang)).await
}
