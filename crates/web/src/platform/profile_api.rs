//! The business profile over JSON: `GET /api/v1/profile`, `PUT /api/v1/profile`.

use crate::inbox::api::current;
use crate::kit::answer::{Answer, Api, Time};
use crate::kit::body::ApiJson;
use crate::kit::extract::ApiCaller;
use crate::{Access, AppState, Table};
use axum::extract::State;
use axum::routing::{get, put};
use frontdesk_core::Action;
use frontdesk_platform::profile::{self, Profile, ProfileInput};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub(crate) fn routes(t: Table) -> Table {
    use Access::*;
    t.add("GET", "/api/v1/profile", Current(Action::ViewWorkspace), "The business profile", get(show))
        .returns::<BusinessProfileOut>()
        .add(
            "PUT",
            "/api/v1/profile",
            Current(Action::ManageSettings),
            "Change the business profile (fields left out keep their value; \"\" clears one)",
            put(update),
        )
        .body::<BusinessProfileBody>()
        .returns::<BusinessProfileOut>()
}

/// The business profile: one record per workspace, read by every area.
#[derive(Serialize, JsonSchema)]
struct BusinessProfileOut {
    /// The workspace's name in links (`[a-z0-9-]{3,40}`); an old one leads here for 90 days.
    slug: String,
    /// IANA time zone (`Europe/Madrid`): the business hours and every time shown are in it.
    time_zone: String,
    /// ISO 3166-1 alpha-2.
    country: Option<String>,
    /// ISO 4217.
    currency: Option<String>,
    address: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    website: Option<String>,
    /// ISO 639-1 codes, the main one first.
    languages: Vec<String>,
    /// `#rrggbb`.
    brand_colour: Option<String>,
    /// Whether a logo is set (members fetch it at `/w/{id}/logo`).
    has_logo: bool,
    updated_at: Time,
}

impl From<Profile> for BusinessProfileOut {
    fn from(p: Profile) -> Self {
        BusinessProfileOut {
            slug: p.slug,
            time_zone: p.time_zone,
            country: p.country,
            currency: p.currency,
            address: p.address,
            phone: p.phone,
            email: p.email,
            website: p.website,
            languages: p.languages,
            brand_colour: p.brand_colour,
            has_logo: p.logo_blob.is_some(),
            updated_at: Time::of(p.updated_at),
        }
    }
}

/// Changes to the profile; a field left out keeps its value.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct BusinessProfileBody {
    slug: Option<String>,
    time_zone: Option<String>,
    country: Option<String>,
    currency: Option<String>,
    address: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    website: Option<String>,
    languages: Option<Vec<String>>,
    brand_colour: Option<String>,
}

async fn show(State(s): State<AppState>, c: ApiCaller) -> Api<BusinessProfileOut> {
    let a = current(&s, &c, Action::ViewWorkspace).await?;
    Ok(Answer::ok(profile::get(&s.app, &a).await?.into()))
}

async fn update(
    State(s): State<AppState>,
    c: ApiCaller,
    ApiJson(b): ApiJson<BusinessProfileBody>,
) -> Api<BusinessProfileOut> {
    let a = current(&s, &c, Action::ManageSettings).await?;
    let p = profile::get(&s.app, &a).await?;
    let keep = |v: Option<String>, old: Option<String>| v.unwrap_or_else(|| old.unwrap_or_default());
    let input = ProfileInput {
        time_zone: b.time_zone.unwrap_or(p.time_zone),
        country: keep(b.country, p.country),
        currency: keep(b.currency, p.currency),
        address: keep(b.address, p.address),
        phone: keep(b.phone, p.phone),
        email: keep(b.email, p.email),
        website: keep(b.website, p.website),
        languages: b.languages.unwrap_or(p.languages),
        brand_colour: keep(b.brand_colour, p.brand_colour),
    };
    // Every problem is checked; the first is the answer (the page shows them all at once).
    profile::update(&s.app, &a, &input).await.map_err(|mut e| e.remove(0))?;
    if let Some(slug) = b.slug {
        profile::set_slug(&s.app, &a, &slug).await?;
    }
    Ok(Answer::ok(profile::get(&s.app, &a).await?.into()))
}
