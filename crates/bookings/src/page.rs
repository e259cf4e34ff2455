//! A workspace's booking page: the sites that may show it inside a frame (the embed on the
//! business's own website). Every other page of the product keeps `frame-ancestors 'none'`.

use crate::Bookings;
use frontdesk_core::WorkspaceId;
use frontdesk_platform::audit;
use frontdesk_platform::workspaces::Access;
use frontdesk_platform::{AppError, AppResult};
use frontdesk_store::{row, Conn};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// At most this many sites may embed one booking page.
pub const MAX_ORIGINS: usize = 20;

#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingPageInput {
    /// Sites (`https://example.com`) whose pages may show the booking page in a frame.
    #[serde(default)]
    pub embed_origins: Vec<String>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct BookingPage {
    pub embed_origins: Vec<String>,
    /// The page's address (for links and the embed).
    pub url: Option<String>,
}

/// The origins that may frame the workspace's booking pages (normalised, never malformed: they
/// were checked when saved, and a bad stored value is dropped rather than put in a header).
pub async fn embed_origins(c: &mut Conn, ws: &WorkspaceId) -> AppResult<Vec<String>> {
    let raw: Option<String> =
        row::opt_scalar(c, "SELECT embed_origins FROM booking_pages WHERE workspace_id = $1", ws).await?;
    let list: Vec<String> = raw.and_then(|r| serde_json::from_str(&r).ok()).unwrap_or_default();
    Ok(list.into_iter().filter_map(|o| frontdesk_inbox::channels::url_parts(&o)).collect())
}

async fn answer(b: &Bookings, c: &mut Conn, ws: &WorkspaceId) -> AppResult<BookingPage> {
    let profile = frontdesk_platform::profile::of(c, ws).await?;
    let p: &frontdesk_platform::Platform = b.as_ref();
    let base = p.settings.base_url.trim_end_matches('/');
    let url = (!profile.slug.is_empty()).then(|| format!("{base}/book/{}", profile.slug));
    Ok(BookingPage { embed_origins: embed_origins(c, ws).await?, url })
}

pub async fn get(b: &Bookings, access: &Access) -> AppResult<BookingPage> {
    let mut c = b.db.conn().await?;
    answer(b, &mut c, &access.workspace.id).await
}

/// Replaces the list of sites; each must be an origin like `https://salon.example`.
pub async fn set(b: &Bookings, access: &Access, i: &BookingPageInput) -> AppResult<BookingPage> {
    let mut list = Vec::new();
    for o in i.embed_origins.iter().map(|o| o.trim()).filter(|o| !o.is_empty()) {
        let n = frontdesk_inbox::channels::url_parts(o).ok_or_else(|| {
            AppError::invalid(
                "embed_origins",
                "invalid_origin",
                format!("\"{o}\" is not an origin like https://example.com"),
            )
        })?;
        if !list.contains(&n) {
            list.push(n);
        }
    }
    if list.len() > MAX_ORIGINS {
        return Err(AppError::invalid("embed_origins", "too_many", format!("At most {MAX_ORIGINS} sites.")));
    }
    let ws = &access.workspace.id;
    let now = b.now().0;
    let json = serde_json::to_string(&list).map_err(|_| AppError::internal())?;
    let mut tx = b.db.begin().await?;
    row::execute(
        &mut tx,
        "INSERT INTO booking_pages (workspace_id, embed_origins, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (workspace_id) DO UPDATE SET embed_origins = excluded.embed_origins, updated_at = excluded.updated_at",
        (ws, json.as_str(), now),
    )
    .await?;
    let detail = format!("embed_origins:{}", list.len());
    audit::record(b, &mut tx, ws.as_str(), &access.actor, "booking.page", None, &detail).await?;
    let out = answer(b, &mut tx, ws).await?;
    tx.commit().await?;
    Ok(out)
}
