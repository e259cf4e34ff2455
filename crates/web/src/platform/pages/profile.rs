//! The business profile page (name, slug, time zone, country, currency, contact details,
//! languages, logo, brand colour) and a person's own preferences (time zone, theme).

use crate::kit::body::PageForm;
use crate::kit::error::{status_of, WebError};
use crate::kit::extract::{page_access as access, ClientInfo, PageUser};
use crate::kit::layout::FormErrors;
use crate::kit::shell::{Nav, Shell};
use crate::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use frontdesk_core::money::Currency;
use frontdesk_core::profile::{time_zones, COUNTRIES, LANGUAGES};
use frontdesk_core::Action;
use frontdesk_i18n::t;
use frontdesk_platform::auth::SignedIn;
use frontdesk_platform::profile::{self, Profile, ProfileInput};
use frontdesk_platform::workspaces::{self as ws, Access};
use frontdesk_platform::AppError;
use maud::{html, Markup};
use serde::Deserialize;

/// The profile form as posted: the input plus the workspace name and slug.
#[derive(Deserialize, Default)]
pub struct ProfileForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
    #[serde(flatten)]
    input: ProfileFields,
}

/// The fields as an urlencoded form carries them (each language a checkbox `lang_<code>`: a
/// form cannot repeat a field).
#[derive(Deserialize, Default)]
pub struct ProfileFields {
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    website: String,
    #[serde(skip)]
    languages: String,
    #[serde(default)]
    brand_colour: String,
    #[serde(flatten)]
    checked: std::collections::HashMap<String, String>,
}

impl ProfileFields {
    fn chosen(&self) -> Vec<String> {
        if self.checked.is_empty() {
            return self.languages.split(',').filter(|l| !l.is_empty()).map(str::to_string).collect();
        }
        LANGUAGES
            .iter()
            .filter(|(c, _)| self.checked.contains_key(&format!("lang_{c}")))
            .map(|(c, _)| c.to_string())
            .collect()
    }
}

fn input_of(f: &ProfileFields) -> ProfileInput {
    ProfileInput {
        time_zone: f.time_zone.clone(),
        country: f.country.clone(),
        currency: f.currency.clone(),
        address: f.address.clone(),
        phone: f.phone.clone(),
        email: f.email.clone(),
        website: f.website.clone(),
        languages: f.chosen(),
        brand_colour: f.brand_colour.clone(),
    }
}

fn form_of(name: &str, p: &Profile) -> ProfileForm {
    ProfileForm {
        name: name.to_string(),
        slug: p.slug.clone(),
        input: ProfileFields {
            time_zone: p.time_zone.clone(),
            country: p.country.clone().unwrap_or_default(),
            currency: p.currency.clone().unwrap_or_default(),
            address: p.address.clone().unwrap_or_default(),
            phone: p.phone.clone().unwrap_or_default(),
            email: p.email.clone().unwrap_or_default(),
            website: p.website.clone().unwrap_or_default(),
            languages: p.languages.join(","),
            brand_colour: p.brand_colour.clone().unwrap_or_default(),
            checked: Default::default(),
        },
    }
}

fn text_row(
    errors: &FormErrors,
    name: &'static str,
    label: &str,
    kind: &str,
    value: &str,
    hint: Option<&str>,
) -> Markup {
    let err = errors.of(name);
    let err_id = format!("{name}-error");
    let hint_id = format!("{name}-hint");
    let described = match (err.is_some(), hint.is_some()) {
        (true, _) => Some(err_id.clone()),
        (false, true) => Some(hint_id.clone()),
        _ => None,
    };
    html! {
        div.form-row {
            label for=(name) { (label) }
            input id=(name) name=(name) type=(kind) value=(value) aria-invalid=[err.map(|_| "true")] aria-describedby=[described];
            @if let Some(m) = err { p.error id=(err_id) { (m) } }
            @else if let Some(h) = hint { p.hint.small id=(hint_id) { (h) } }
        }
    }
}

fn select_row(errors: &FormErrors, name: &'static str, label: &str, options: Markup) -> Markup {
    let err = errors.of(name);
    let err_id = format!("{name}-error");
    html! {
        div.form-row {
            label for=(name) { (label) }
            select id=(name) name=(name) aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| err_id.as_str())] { (options) }
            @if let Some(m) = err { p.error id=(err_id) { (m) } }
        }
    }
}

/// The countries in the page's language, by name.
fn countries() -> Vec<(&'static str, String)> {
    let lang = frontdesk_i18n::current();
    let mut list: Vec<(&str, String)> = COUNTRIES
        .iter()
        .map(|(code, english)| {
            let id = format!("country-{}", code.to_ascii_lowercase());
            let name =
                if frontdesk_i18n::has(lang, &id) { frontdesk_i18n::t(lang, &id, &[]) } else { english.to_string() };
            (*code, name)
        })
        .collect();
    if lang != frontdesk_i18n::Lang::En {
        // English keeps the list's own order; another language sorts by its names.
        list.sort_by_cached_key(|(_, name)| sort_key(name));
    }
    list
}

/// A currency's name in the page's language.
fn currency_name(c: Currency) -> String {
    let lang = frontdesk_i18n::current();
    let id = format!("currency-{}", c.code().to_ascii_lowercase());
    if frontdesk_i18n::has(lang, &id) {
        frontdesk_i18n::t(lang, &id, &[])
    } else {
        c.name().to_string()
    }
}

/// A name to sort by: lowercase, without accents.
fn sort_key(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c => c,
        })
        .collect()
}

/// A time-zone region (the first part of an IANA name) in the page's language.
fn region_name(region: &str) -> String {
    match region {
        "" => t!("profile-zone-other"),
        "Africa" => t!("profile-zone-africa"),
        "America" => t!("profile-zone-america"),
        "Antarctica" => t!("profile-zone-antarctica"),
        "Arctic" => t!("profile-zone-arctic"),
        "Asia" => t!("profile-zone-asia"),
        "Atlantic" => t!("profile-zone-atlantic"),
        "Australia" => t!("profile-zone-australia"),
        "Europe" => t!("profile-zone-europe"),
        "Indian" => t!("profile-zone-indian"),
        "Pacific" => t!("profile-zone-pacific"),
        other => other.to_string(),
    }
}

/// A picker of IANA time zones, grouped by region.
pub(crate) fn zone_options(selected: &str, with_empty: Option<&str>) -> Markup {
    let zones = time_zones();
    let mut groups: Vec<(&str, Vec<&String>)> = Vec::new();
    for z in &zones {
        let region = z.split_once('/').map_or("", |(r, _)| r);
        match groups.last_mut() {
            Some((r, v)) if *r == region => v.push(z),
            _ => groups.push((region, vec![z])),
        }
    }
    html! {
        @if let Some(label) = with_empty { option value="" selected[selected.is_empty()] { (label) } }
        @for (region, list) in &groups {
            optgroup label=(region_name(region)) {
                @for z in list { option value=(z) selected[z.as_str() == selected] { (z.replace('_', " ")) } }
            }
        }
    }
}

async fn render(
    s: &AppState,
    u: &SignedIn,
    a: &Access,
    f: &ProfileForm,
    errors: &FormErrors,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let p = profile::get(&s.app, a).await.map_err(WebError::page)?;
    let w = a.workspace.id.as_str();
    let chosen = f.input.chosen();
    let can_rename = frontdesk_core::role::allows(a.role, Action::RenameWorkspace);
    Ok(sh.page(
        &t!("profile-title"),
        Nav::Profile,
        html! {
            p.muted { (t!("profile-intro")) }
            (errors.summary())
            form #profile-form method="post" action={ "/w/" (w) "/settings/profile" } novalidate {
                section aria-labelledby="p-identity" {
                    h2 #p-identity { (t!("profile-your-business")) }
                    @if can_rename {
                        (text_row(errors, "name", &t!("profile-name"), "text", &f.name, None))
                    } @else {
                        p { strong { (a.workspace.name) } }
                        input type="hidden" name="name" value=(a.workspace.name);
                    }
                    (text_row(errors, "slug", &t!("profile-slug"), "text", &f.slug, Some(t!("profile-slug-hint").as_str())))
                    (select_row(errors, "time_zone", &t!("profile-time-zone"), zone_options(&f.input.time_zone, None)))
                    (select_row(errors, "country", &t!("profile-country"), html! {
                        option value="" { "—" }
                        @for (code, name) in countries() { option value=(code) selected[code == f.input.country] { (name) } }
                    }))
                    (select_row(errors, "currency", &t!("profile-currency"), html! {
                        option value="" { "—" }
                        @for c in Currency::all() { option value=(c.code()) selected[c.code() == f.input.currency] { (c.code()) " — " (currency_name(*c)) } }
                    }))
                }
                section aria-labelledby="p-contact" {
                    h2 #p-contact { (t!("profile-contact")) }
                    (text_row(errors, "address", &t!("profile-address"), "text", &f.input.address, None))
                    (text_row(errors, "phone", &t!("profile-phone"), "tel", &f.input.phone, None))
                    (text_row(errors, "email", &t!("profile-email"), "email", &f.input.email, None))
                    (text_row(errors, "website", &t!("profile-website"), "url", &f.input.website, Some(t!("profile-website-hint").as_str())))
                    fieldset aria-describedby=[errors.of("languages").map(|_| "languages-error")] {
                        legend { (t!("profile-languages")) }
                        div.grid {
                            @for (code, name) in LANGUAGES {
                                label.check { input type="checkbox" name={ "lang_" (code) } value="on" checked[chosen.iter().any(|c| c == code)]; (name) }
                            }
                        }
                        @if let Some(m) = errors.of("languages") { p.error id="languages-error" { (m) } }
                    }
                }
                section aria-labelledby="p-brand" {
                    h2 #p-brand { (t!("profile-brand-section")) }
                    (text_row(errors, "brand_colour", &t!("profile-brand"), "color", if f.input.brand_colour.is_empty() { "#2150c4" } else { &f.input.brand_colour }, None))
                }
                button type="submit" { (t!("profile-save")) }
            }
            section aria-labelledby="p-logo" {
                h2 #p-logo { (t!("profile-logo")) }
                @if p.logo_blob.is_some() {
                    img src={ "/w/" (w) "/logo?v=" (p.updated_at) } alt=(t!("profile-logo-alt", name = &a.workspace.name)) style="max-height:5rem;max-width:12rem;display:block;margin-bottom:.5rem";
                    form.inline method="post" action={ "/w/" (w) "/settings/profile/logo/remove" } data-confirm=(t!("profile-remove-logo-confirm")) data-confirm-label=(t!("profile-remove")) {
                        button.danger.small type="submit" { (t!("profile-remove-logo")) }
                    }
                } @else { p.muted { (t!("profile-no-logo")) } }
                @if let Some(m) = errors.of("logo") { p.error #logo-error { (m) } }
                label for="logo" { (t!("profile-upload-logo")) }
                input #logo type="file" accept="image/png,image/jpeg,image/webp" data-upload={ "/w/" (w) "/settings/profile/logo" };
            }
        },
    ))
}

pub async fn page(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageSettings).await?;
    let p = profile::get(&s.app, &a).await.map_err(WebError::page)?;
    render(&s, &u, &a, &form_of(&a.workspace.name, &p), &FormErrors::default()).await
}

pub async fn save(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<ProfileForm>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageSettings).await?;
    let mut errors: Vec<AppError> = match profile::parse(&input_of(&f.input)) {
        Ok(_) => vec![],
        Err(e) => e,
    };
    if let Err(e) = frontdesk_core::profile::slug(&f.slug) {
        errors.push(e.into());
    }
    let renaming = f.name.trim() != a.workspace.name && frontdesk_core::role::allows(a.role, Action::RenameWorkspace);
    if renaming {
        if let Err(e) = frontdesk_core::WorkspaceName::parse(&f.name) {
            errors.push(AppError::from(e));
        }
    }
    if errors.is_empty() {
        // The slug first: it is the one value another workspace can refuse, and then nothing is saved.
        let result = async {
            profile::set_slug(&s.app, &a, &f.slug).await?;
            profile::update(&s.app, &a, &input_of(&f.input)).await.map_err(|mut e| e.remove(0))?;
            if renaming {
                ws::rename(&s.app, &a, &f.name).await?;
            }
            Ok::<_, AppError>(())
        };
        match result.await {
            Ok(()) => return Ok(Redirect::to(&format!("/w/{w}/settings/profile?saved=1")).into_response()),
            Err(e) => errors.push(e),
        }
    }
    let status = errors.first().map_or(StatusCode::UNPROCESSABLE_ENTITY, |e| status_of(e.kind));
    let text = |e: &AppError| frontdesk_i18n::error_text(frontdesk_i18n::current(), e.code, &e.message);
    let fe = FormErrors {
        fields: errors.iter().filter_map(|e| e.field.map(|f| (f, text(e)))).collect(),
        general: errors.iter().find(|e| e.field.is_none()).map(text),
    };
    Ok((status, render(&s, &u, &a, &f, &fe).await?).into_response())
}

pub async fn upload_logo(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    body: Body,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageSettings).await?;
    let bytes = axum::body::to_bytes(body, profile::MAX_LOGO_BYTES + 1).await.map_err(|_| {
        WebError::page(AppError::new(
            frontdesk_platform::error::ErrorKind::TooLarge,
            "logo_too_large",
            "The logo may be up to 512 KB.",
        ))
    })?;
    profile::set_logo(&s.app, &a, Some(&bytes)).await.map_err(WebError::page)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub async fn remove_logo(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageSettings).await?;
    profile::set_logo(&s.app, &a, None).await.map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/w/{w}/settings/profile?saved=1")).into_response())
}

pub async fn logo(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ViewWorkspace).await?;
    match profile::logo(&s.app, &a.workspace.id).await.map_err(WebError::page)? {
        Some((bytes, mime)) => Ok((
            [
                (header::CONTENT_TYPE, mime),
                (header::CACHE_CONTROL, "private, max-age=300".to_string()),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            ],
            bytes,
        )
            .into_response()),
        None => Err(WebError::page(AppError::not_found("The logo"))),
    }
}

#[derive(Deserialize, Default)]
pub struct PrefsForm {
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    theme: String,
}

pub async fn save_prefs(
    State(s): State<AppState>,
    PageUser(u): PageUser,
    _headers: HeaderMap,
    PageForm(f): PageForm<PrefsForm>,
) -> Result<Response, WebError> {
    profile::set_prefs(&s.app, &u.user.id, &f.time_zone, &f.theme, &f.lang).await.map_err(WebError::page)?;
    Ok(Redirect::to("/account?saved=1").into_response())
}
