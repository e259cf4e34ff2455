//! The catalog's settings for owners and admins: resources (weekly hours in their own time zone,
//! days off, a date's own hours, blocked times), services (every field, the resources they need
//! as groups) with their extras and questions, and coupons. The bookings crate checks and
//! audits every change; a refusal stands beside its field.

use super::{date_title, field, money, zone_of, Fields};
use crate::kit::body::PageForm;
use crate::kit::error::{status_of, WebError};
use crate::kit::extract::{page_access as access, ClientInfo, PageUser};
use crate::kit::layout::FormErrors;
use crate::kit::shell::{Nav, Shell};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use frontdesk_bookings::catalog::{
    self, BlockInput, BookingResourceInput, BookingServiceInput, CouponInput, ExceptionInput, ExtraInput, HoursRange,
    OpenClose, RequirementInput,
};
use frontdesk_bookings::repo::{Resource, Service};
use frontdesk_core::hours::DAYS;
use frontdesk_core::money::Currency;
use frontdesk_core::{Action, ResourceId, Timestamp};
use frontdesk_i18n::t;
use frontdesk_platform::auth::SignedIn;
use frontdesk_platform::error::ErrorKind;
use frontdesk_platform::workspaces::Access;
use frontdesk_platform::AppError;
use maud::{html, Markup};

// ---- form parts ----

fn described(err: Option<&str>, id: &str) -> Option<String> {
    err.map(|_| format!("{id}-error"))
}

/// A labelled input with its error (or hint) under it.
fn input_row(
    errors: &FormErrors,
    key: &str,
    (id, name): (&str, &str),
    label: &str,
    kind: &str,
    value: &str,
    hint: Option<String>,
) -> Markup {
    let err = errors.of(key);
    let hint_id = format!("{id}-hint");
    let by = described(err, id).or(hint.as_ref().map(|_| hint_id.clone()));
    html! {
        div.form-row {
            label for=(id) { (label) }
            input id=(id) name=(name) type=(kind) value=(value) step=[(kind == "number").then_some("1")]
                aria-invalid=[err.map(|_| "true")] aria-describedby=[by];
            @if let Some(m) = err { p.error id={ (id) "-error" } { (m) } }
            @else if let Some(h) = &hint { p.hint.small id=(hint_id) { (h) } }
        }
    }
}

fn select_row(errors: &FormErrors, key: &str, id: &str, name: &str, label: &str, options: Markup) -> Markup {
    let err = errors.of(key);
    html! {
        div.form-row {
            label for=(id) { (label) }
            select id=(id) name=(name) aria-invalid=[err.map(|_| "true")] aria-describedby=[described(err, id)] { (options) }
            @if let Some(m) = err { p.error id={ (id) "-error" } { (m) } }
        }
    }
}

fn check_row(name: &str, label: &str, on: bool) -> Markup {
    html! { label.check { input type="checkbox" name=(name) value="on" checked[on]; (label) } }
}

fn capitalized(name: &str) -> String {
    let mut c = name.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// A refusal a person can correct (beside its field, or on top); anything else is an error page.
fn refusal(e: AppError) -> Result<(axum::http::StatusCode, FormErrors), WebError> {
    match e.kind {
        ErrorKind::Invalid | ErrorKind::Conflict => Ok((status_of(e.kind), FormErrors::from_error(&e))),
        _ => Err(WebError::page(e)),
    }
}

fn num(f: &Fields, name: &'static str) -> Result<Option<i64>, AppError> {
    match field(f, name) {
        "" => Ok(None),
        v => v.parse().map(Some).map_err(|_| AppError::invalid(name, "not_a_number", "Use a whole number.")),
    }
}

fn on(f: &Fields, name: &str) -> bool {
    !field(f, name).is_empty()
}

fn saved(w: &str, path: &str) -> Response {
    Redirect::to(&format!("/w/{w}/settings/{path}?saved=1")).into_response()
}

// ---- resources ----

fn kind_name(kind: &str) -> String {
    t!("bookings-kind", kind = kind)
}

/// A resource as the form shows it.
fn resource_fields(r: &Resource) -> Fields {
    let o = catalog::resource_out(r);
    let mut f = Fields::new();
    f.insert("kind".into(), o.kind);
    f.insert("name".into(), o.name);
    f.insert("user_id".into(), o.user_id.unwrap_or_default());
    f.insert("time_zone".into(), o.time_zone);
    f.insert("days_off".into(), o.days_off.join("\n"));
    if o.active {
        f.insert("active".into(), "on".into());
    }
    for d in DAYS {
        for (i, h) in o.hours.iter().filter(|h| h.day == d).take(2).enumerate() {
            let n = if i == 0 { "" } else { "2" };
            f.insert(format!("{d}_open{n}"), h.open.clone());
            f.insert(format!("{d}_close{n}"), h.close.clone());
        }
    }
    f
}

fn resource_input(f: &Fields) -> BookingResourceInput {
    let mut hours = vec![];
    for d in DAYS {
        for n in ["", "2"] {
            let (open, close) = (field(f, &format!("{d}_open{n}")), field(f, &format!("{d}_close{n}")));
            if !open.is_empty() || !close.is_empty() {
                hours.push(HoursRange { day: d.to_string(), open: open.to_string(), close: close.to_string() });
            }
        }
    }
    BookingResourceInput {
        kind: field(f, "kind").to_string(),
        name: field(f, "name").to_string(),
        user_id: Some(field(f, "user_id").to_string()).filter(|x| !x.is_empty()),
        time_zone: Some(field(f, "time_zone").to_string()).filter(|x| !x.is_empty()),
        hours,
        days_off: field(f, "days_off").lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect(),
        active: on(f, "active"),
    }
}

async fn resource_form(
    s: &AppState,
    a: &Access,
    action: String,
    f: &Fields,
    errors: &FormErrors,
    button: String,
) -> Result<Markup, WebError> {
    let members = frontdesk_platform::workspaces::members(&s.app, a).await.map_err(WebError::page)?;
    let business = frontdesk_platform::profile::get(&s.app, a).await.map_err(WebError::page)?.time_zone;
    let zone = Some(field(f, "time_zone")).filter(|z| !z.is_empty()).unwrap_or(&business).to_string();
    let names = frontdesk_i18n::current().weekday_names();
    let hours_err = errors.of("ranges");
    let off_err = errors.of("closed_dates");
    Ok(html! {
        form #resource-form method="post" action=(action) novalidate {
            (errors.summary())
            (select_row(errors, "kind", "r-kind", "kind", &t!("bookings-kind-label"), html! {
                @for k in catalog::KINDS { option value=(k) selected[field(f, "kind") == k] { (kind_name(k)) } }
            }))
            (input_row(errors, "name", ("r-name", "name"), &t!("bookings-resource-name"), "text", field(f, "name"), None))
            (select_row(errors, "user_id", "r-user", "user_id", &t!("bookings-resource-member"), html! {
                option value="" { (t!("bookings-resource-no-member")) }
                @for m in &members { option value=(m.user_id) selected[field(f, "user_id") == m.user_id.as_str()] { (m.name) } }
            }))
            (select_row(errors, "time_zone", "r-tz", "time_zone", &t!("bookings-resource-zone"), crate::platform::pages::zone_options(&zone, None)))
            fieldset aria-describedby=[described(hours_err, "r-hours")] {
                legend { (t!("bookings-weekly-hours")) }
                p.hint.small { (t!("bookings-weekly-hours-hint")) }
                table.hours.stack {
                    thead { tr { th { (t!("bookings-day")) } th { (t!("bookings-opens")) } th { (t!("bookings-closes")) } th { (t!("bookings-opens-again")) } th { (t!("bookings-closes")) } } }
                    tbody {
                        @for (i, d) in DAYS.iter().enumerate() {
                            @let day = names[i];
                            tr {
                                td { strong { (capitalized(day)) } }
                                @for (n, column, label) in [
                                    ("_open", t!("bookings-opens"), t!("bookings-day-opens", day = day)),
                                    ("_close", t!("bookings-closes"), t!("bookings-day-closes", day = day)),
                                    ("_open2", t!("bookings-opens-again"), t!("bookings-day-opens-again", day = day)),
                                    ("_close2", t!("bookings-closes"), t!("bookings-day-closes-again", day = day)),
                                ] {
                                    @let name = format!("{d}{n}");
                                    td data-label=(column) { input type="time" name=(name) aria-label=(label) value=(field(f, &name)); }
                                }
                            }
                        }
                    }
                }
                @if let Some(m) = hours_err { p.error #r-hours-error { (m) } }
            }
            div.form-row {
                label for="r-off" { (t!("bookings-days-off")) }
                textarea #r-off name="days_off" rows="3" placeholder="2027-01-06" aria-invalid=[off_err.map(|_| "true")] aria-describedby={ @if off_err.is_some() { "r-off-error" } @else { "r-off-hint" } } { (field(f, "days_off")) }
                @if let Some(m) = off_err { p.error #r-off-error { (m) } } @else { p.hint.small #r-off-hint { (t!("bookings-days-off-hint")) } }
            }
            (check_row("active", &t!("bookings-resource-active"), on(f, "active")))
            button type="submit" { (button) }
        }
    })
}

fn hours_summary(r: &Resource) -> String {
    let o = catalog::resource_out(r);
    let names = frontdesk_i18n::current().weekdays();
    let mut parts = vec![];
    for (i, d) in DAYS.iter().enumerate() {
        let spans: Vec<String> =
            o.hours.iter().filter(|h| h.day == *d).map(|h| format!("{}–{}", h.open, h.close)).collect();
        if !spans.is_empty() {
            parts.push(format!("{} {}", names[i], spans.join(", ")));
        }
    }
    if parts.is_empty() {
        t!("bookings-no-hours")
    } else {
        parts.join(" · ")
    }
}

pub async fn resources_page(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    let mut f = Fields::new();
    f.insert("kind".into(), "staff".into());
    f.insert("active".into(), "on".into());
    render_resources(&s, &u, &a, &f, &FormErrors::default()).await
}

async fn render_resources(
    s: &AppState,
    u: &SignedIn,
    a: &Access,
    f: &Fields,
    errors: &FormErrors,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let w = a.workspace.id.as_str();
    let list = catalog::resources(&s.bookings, a).await.map_err(WebError::page)?;
    let form =
        resource_form(s, a, format!("/w/{w}/settings/resources"), f, errors, t!("bookings-add-resource")).await?;
    Ok(sh.page(
        &t!("bookings-resources-title"),
        Nav::Resources,
        html! {
            p.muted { (t!("bookings-resources-intro")) }
            section aria-labelledby="res-list-h" {
                h2 #res-list-h { (t!("bookings-resources-list")) }
                @if list.is_empty() { p.muted #no-resources { (t!("bookings-no-resources")) } }
                @else {
                    table.stack #resources {
                        thead { tr { th { (t!("bookings-resource-name")) } th { (t!("bookings-kind-label")) } th { (t!("bookings-weekly-hours")) } th { (t!("bookings-resource-zone")) } } }
                        tbody {
                            @for r in &list {
                                tr data-resource=(r.id) {
                                    td { a href={ "/w/" (w) "/settings/resources/" (r.id) } { strong { (r.name) } }
                                        @if !r.active { " " span.badge.off { (t!("bookings-inactive")) } } }
                                    td data-label=(t!("bookings-kind-label")) { (kind_name(&r.kind)) }
                                    td data-label=(t!("bookings-weekly-hours")) { (hours_summary(r)) }
                                    td data-label=(t!("bookings-resource-zone")) { (r.time_zone.replace('_', " ")) }
                                }
                            }
                        }
                    }
                }
            }
            section aria-labelledby="res-add-h" {
                h2 #res-add-h { (t!("bookings-add-resource")) }
                (form)
            }
        },
    ))
}

pub async fn create_resource(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    match catalog::create_resource(&s.bookings, &a, &resource_input(&f)).await {
        Ok(r) => Ok(saved(&w, &format!("resources/{}", r.id))),
        Err(e) => {
            let (status, errors) = refusal(e)?;
            Ok((status, render_resources(&s, &u, &a, &f, &errors).await?).into_response())
        }
    }
}

/// Which form of a page a refusal belongs to, with what was sent.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Main,
    Exception,
    Block,
    Extra,
    Question,
}

struct Sent<'a> {
    part: Part,
    fields: &'a Fields,
    errors: &'a FormErrors,
}

impl Sent<'_> {
    fn errors(&self, part: Part) -> FormErrors {
        if self.part == part {
            FormErrors { fields: self.errors.fields.clone(), general: self.errors.general.clone() }
        } else {
            FormErrors::default()
        }
    }
    fn fields(&self, part: Part) -> Fields {
        if self.part == part {
            self.fields.clone()
        } else {
            Fields::new()
        }
    }
}

pub async fn resource_page(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    render_resource(&s, &u, &a, &id, None).await
}

/// A local date and time (`2027-03-01T10:00` from a datetime input) in a zone, as RFC 3339.
fn local_instant(field: &'static str, raw: &str, zone: &str) -> Result<String, AppError> {
    let bad = || AppError::invalid(field, "invalid_time", "Use a date and a time.");
    let dt: jiff::civil::DateTime = raw.trim().parse().map_err(|_| bad())?;
    let z = dt.to_zoned(zone_of(zone)).map_err(|_| bad())?;
    Ok(Timestamp(z.timestamp().as_millisecond()).to_rfc3339())
}

async fn render_resource(
    s: &AppState,
    u: &SignedIn,
    a: &Access,
    id: &str,
    sent: Option<Sent<'_>>,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let w = a.workspace.id.as_str();
    let r = catalog::resource(&s.bookings, a, id).await.map_err(WebError::page)?;
    let exceptions = catalog::exceptions(&s.bookings, a, id).await.map_err(WebError::page)?;
    let blocks = catalog::blocks(&s.bookings, a, id).await.map_err(WebError::page)?;
    let none = FormErrors::default();
    let empty = Fields::new();
    let sent = sent.unwrap_or(Sent { part: Part::Main, fields: &empty, errors: &none });
    let main_fields =
        if sent.part == Part::Main && !sent.fields.is_empty() { sent.fields.clone() } else { resource_fields(&r) };
    let form = resource_form(
        s,
        a,
        format!("/w/{w}/settings/resources/{}", r.id),
        &main_fields,
        &sent.errors(Part::Main),
        t!("bookings-save-resource"),
    )
    .await?;
    let (ef, ee) = (sent.fields(Part::Exception), sent.errors(Part::Exception));
    let (bf, be) = (sent.fields(Part::Block), sent.errors(Part::Block));
    let zone = r.time_zone.clone();
    let google_on = s.app.settings.google.is_some();
    let sync = if google_on {
        frontdesk_bookings::gcal::of(&s.bookings, &a.workspace.id, &r.id).await.map_err(WebError::page)?
    } else {
        None
    };
    Ok(sh.page(
        &r.name,
        Nav::Resources,
        html! {
            p { a href={ "/w/" (w) "/settings/resources" } { (t!("bookings-all-resources-link")) } }
            section aria-labelledby="r-edit-h" {
                h2 #r-edit-h { (t!("bookings-about")) }
                (form)
            }
            section #exceptions aria-labelledby="r-ex-h" {
                h2 #r-ex-h { (t!("bookings-exceptions")) }
                p.hint.small { (t!("bookings-exceptions-hint")) }
                @if !exceptions.is_empty() {
                    ul {
                        @for x in exceptions.iter().map(catalog::exception_out) {
                            li data-exception=(x.date) {
                                @let date = x.date.parse::<jiff::civil::Date>().ok();
                                strong { (date.map(date_title).unwrap_or(x.date.clone())) } ": "
                                @if x.ranges.is_empty() { (t!("bookings-day-off")) }
                                @else { (x.ranges.iter().map(|r| format!("{}–{}", r.open, r.close)).collect::<Vec<_>>().join(", ")) }
                                " "
                                form.inline method="post" action={ "/w/" (w) "/settings/resources/" (r.id) "/exceptions/delete" } data-confirm=(t!("bookings-exception-remove-confirm")) data-confirm-label=(t!("bookings-remove")) {
                                    input type="hidden" name="date" value=(x.date);
                                    button.danger.small type="submit" { (t!("bookings-remove")) }
                                }
                            }
                        }
                    }
                }
                form #exception-form method="post" action={ "/w/" (w) "/settings/resources/" (r.id) "/exceptions" } novalidate {
                    (ee.summary())
                    (input_row(&ee, "date", ("ex-date", "date"), &t!("bookings-date-label"), "date", field(&ef, "date"), None))
                    div.time-pair {
                        (input_row(&ee, "ranges", ("ex-open", "open"), &t!("bookings-opens"), "time", field(&ef, "open"), None))
                        (input_row(&ee, "-", ("ex-close", "close"), &t!("bookings-closes"), "time", field(&ef, "close"), None))
                        (input_row(&ee, "-", ("ex-open2", "open2"), &t!("bookings-opens-again"), "time", field(&ef, "open2"), None))
                        (input_row(&ee, "-", ("ex-close2", "close2"), &t!("bookings-closes"), "time", field(&ef, "close2"), None))
                    }
                    p.hint.small { (t!("bookings-exception-off-hint")) }
                    button.secondary type="submit" { (t!("bookings-set-exception")) }
                }
            }
            section #blocks aria-labelledby="r-bl-h" {
                h2 #r-bl-h { (t!("bookings-blocks")) }
                p.hint.small { (t!("bookings-blocks-hint", zone = zone.replace('_', " "))) }
                @if !blocks.is_empty() {
                    ul {
                        @for x in &blocks {
                            li data-block=(x.id) {
                                (sh.at(x.starts_at)) " – " (sh.at(x.ends_at))
                                @if let Some(why) = &x.reason { " · " (why) }
                                " "
                                form.inline method="post" action={ "/w/" (w) "/settings/resources/" (r.id) "/blocks/delete" } data-confirm=(t!("bookings-block-remove-confirm")) data-confirm-label=(t!("bookings-remove")) {
                                    input type="hidden" name="block" value=(x.id);
                                    button.danger.small type="submit" { (t!("bookings-remove")) }
                                }
                            }
                        }
                    }
                }
                form #block-form method="post" action={ "/w/" (w) "/settings/resources/" (r.id) "/blocks" } novalidate {
                    (be.summary())
                    (input_row(&be, "start", ("bl-start", "start"), &t!("bookings-block-from"), "datetime-local", field(&bf, "start"), None))
                    (input_row(&be, "end", ("bl-end", "end"), &t!("bookings-block-until"), "datetime-local", field(&bf, "end"), None))
                    (input_row(&be, "reason", ("bl-reason", "reason"), &t!("bookings-block-reason"), "text", field(&bf, "reason"), None))
                    button.secondary type="submit" { (t!("bookings-add-block")) }
                }
            }
            @if google_on {
                section #google-calendar aria-labelledby="r-gc-h" {
                    h2 #r-gc-h { (t!("gcal-title")) }
                    @match &sync {
                        None => {
                            p.hint.small { (t!("gcal-intro")) }
                            form method="post" action={ "/w/" (w) "/settings/resources/" (r.id) "/google" } {
                                button.secondary #gcal-connect type="submit" { (t!("gcal-connect")) }
                            }
                        }
                        Some(c) => {
                            p #gcal-status data-status=(c.status) {
                                @match c.status.as_str() {
                                    "revoked" => strong { (t!("gcal-revoked")) },
                                    "error" => (t!("gcal-error")),
                                    _ => (t!("gcal-connected")),
                                }
                            }
                            p.small {
                                @match c.last_sync_at {
                                    Some(at) => (t!("gcal-last-sync", when = sh.ago(at).into_string())),
                                    None => (t!("gcal-not-synced")),
                                }
                                @if let Some(e) = &c.last_error { " · " span #gcal-error { (e) } }
                            }
                            @if c.status == "revoked" {
                                form.inline method="post" action={ "/w/" (w) "/settings/resources/" (r.id) "/google" } {
                                    button.secondary type="submit" { (t!("gcal-reconnect")) }
                                }
                                " "
                            }
                            form.inline method="post" action={ "/w/" (w) "/settings/resources/" (r.id) "/google/disconnect" } data-confirm=(t!("gcal-disconnect-confirm")) data-confirm-label=(t!("gcal-disconnect")) {
                                button.danger.small type="submit" { (t!("gcal-disconnect")) }
                            }
                        }
                    }
                }
            }
        },
    ))
}

pub async fn google_connect(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    let url = frontdesk_bookings::gcal::connect_url(&s.bookings, &a, &u, &id, &client).await.map_err(WebError::page)?;
    Ok(Redirect::to(&url).into_response())
}

pub async fn google_disconnect(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    frontdesk_bookings::gcal::disconnect(&s.bookings, &a, &id).await.map_err(WebError::page)?;
    Ok(saved(&w, &format!("resources/{id}")))
}

#[derive(serde::Deserialize, Default)]
pub struct CallbackQuery {
    #[serde(default)]
    state: String,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

/// Google's answer to a calendar connection: back to the resource's page.
pub async fn google_callback(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    axum::extract::Query(q): axum::extract::Query<CallbackQuery>,
) -> Result<Response, WebError> {
    let (ws, id) =
        frontdesk_bookings::gcal::finish(&s.bookings, &u, &q.state, q.code.as_deref(), q.error.as_deref(), &client)
            .await
            .map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/w/{ws}/settings/resources/{id}?saved=1#google-calendar")).into_response())
}

pub async fn update_resource(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    match catalog::update_resource(&s.bookings, &a, &id, &resource_input(&f)).await {
        Ok(r) => Ok(saved(&w, &format!("resources/{}", r.id))),
        Err(e) => {
            let (status, errors) = refusal(e)?;
            let sent = Sent { part: Part::Main, fields: &f, errors: &errors };
            Ok((status, render_resource(&s, &u, &a, &id, Some(sent)).await?).into_response())
        }
    }
}

pub async fn set_exception(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    let mut ranges = vec![];
    for n in ["", "2"] {
        let (open, close) = (field(&f, &format!("open{n}")), field(&f, &format!("close{n}")));
        if !open.is_empty() || !close.is_empty() {
            ranges.push(OpenClose { open: open.to_string(), close: close.to_string() });
        }
    }
    let r = catalog::set_exception(&s.bookings, &a, &id, field(&f, "date"), &ExceptionInput { ranges }).await;
    part_outcome(&s, &u, &a, &w, &id, Part::Exception, &f, r).await
}

/// After a change on a resource's page: the page again, saved, or with the refusal beside the
/// form it belongs to.
#[allow(clippy::too_many_arguments)]
async fn part_outcome<T>(
    s: &AppState,
    u: &SignedIn,
    a: &Access,
    w: &str,
    id: &str,
    part: Part,
    f: &Fields,
    r: Result<T, AppError>,
) -> Result<Response, WebError> {
    match r {
        Ok(_) => {
            let anchor = match part {
                Part::Exception => "#exceptions",
                Part::Block => "#blocks",
                _ => "",
            };
            Ok(Redirect::to(&format!("/w/{w}/settings/resources/{id}?saved=1{anchor}")).into_response())
        }
        Err(e) => {
            let (status, errors) = refusal(e)?;
            let sent = Sent { part, fields: f, errors: &errors };
            Ok((status, render_resource(s, u, a, id, Some(sent)).await?).into_response())
        }
    }
}

pub async fn delete_exception(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    catalog::delete_exception(&s.bookings, &a, &id, field(&f, "date")).await.map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/w/{w}/settings/resources/{id}?saved=1#exceptions")).into_response())
}

pub async fn add_block(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    let r = match catalog::resource(&s.bookings, &a, &id).await {
        Ok(res) => {
            let times = local_instant("start", field(&f, "start"), &res.time_zone)
                .and_then(|st| Ok((st, local_instant("end", field(&f, "end"), &res.time_zone)?)));
            match times {
                Ok((start, end)) => {
                    let reason = Some(field(&f, "reason").to_string()).filter(|x| !x.is_empty());
                    catalog::add_block(&s.bookings, &a, &id, &BlockInput { start, end, reason }).await.map(drop)
                }
                Err(e) => Err(e),
            }
        }
        Err(e) => Err(e),
    };
    part_outcome(&s, &u, &a, &w, &id, Part::Block, &f, r).await
}

pub async fn delete_block(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    catalog::resource(&s.bookings, &a, &id).await.map_err(WebError::page)?;
    catalog::delete_block(&s.bookings, &a, field(&f, "block")).await.map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/w/{w}/settings/resources/{id}?saved=1#blocks")).into_response())
}

// ---- services ----

fn unit_name(unit: &str) -> String {
    t!("bookings-unit", unit = unit)
}

fn payment_name(p: &str) -> String {
    t!("bookings-payment", payment = p)
}

/// A service as the form shows it.
fn service_fields(s: &Service, groups: &[Vec<ResourceId>]) -> Fields {
    let o = catalog::service_out(s, groups);
    let mut f = Fields::new();
    let mut put = |k: &str, v: String| {
        f.insert(k.to_string(), v);
    };
    put("name", o.name);
    put("description", o.description);
    put("duration_min", o.duration_min.to_string());
    put("price", o.price);
    put("currency", o.currency);
    put("buffer_before_min", o.buffer_before_min.to_string());
    put("buffer_after_min", o.buffer_after_min.to_string());
    put("interval_min", o.interval_min.to_string());
    put("min_notice_min", o.min_notice_min.to_string());
    put("window_days", o.window_days.to_string());
    put("capacity", o.capacity.to_string());
    put("unit", o.unit);
    put("check_in", o.check_in.unwrap_or_default());
    put("check_out", o.check_out.unwrap_or_default());
    put("cancel_notice_min", o.cancel_notice_min.to_string());
    put("payment", o.payment);
    put("deposit", o.deposit.unwrap_or_default());
    put("deposit_percent", o.deposit_percent.map(|p| p.to_string()).unwrap_or_default());
    for (k, v) in [("requires_confirmation", o.requires_confirmation), ("active", o.active), ("hidden", o.hidden)] {
        if v {
            put(k, "on".into());
        }
    }
    for (g, ids) in o.resources.iter().enumerate() {
        for id in ids {
            put(&format!("g{g}_{id}"), "on".into());
        }
    }
    f
}

const GROUPS: usize = 3;

fn service_input(f: &Fields) -> Result<BookingServiceInput, AppError> {
    let text = |k: &str| Some(field(f, k).to_string()).filter(|x| !x.is_empty());
    let mut resources: Vec<Vec<String>> = vec![];
    for g in 0..GROUPS {
        let prefix = format!("g{g}_");
        let mut ids: Vec<String> = f.keys().filter_map(|k| k.strip_prefix(&prefix)).map(str::to_string).collect();
        ids.sort();
        if !ids.is_empty() {
            resources.push(ids);
        }
    }
    Ok(BookingServiceInput {
        name: field(f, "name").to_string(),
        description: field(f, "description").to_string(),
        duration_min: num(f, "duration_min")?.unwrap_or(0),
        price: field(f, "price").to_string(),
        currency: text("currency"),
        buffer_before_min: num(f, "buffer_before_min")?.unwrap_or(0),
        buffer_after_min: num(f, "buffer_after_min")?.unwrap_or(0),
        interval_min: num(f, "interval_min")?.unwrap_or(0),
        min_notice_min: num(f, "min_notice_min")?.unwrap_or(0),
        window_days: num(f, "window_days")?,
        capacity: num(f, "capacity")?,
        unit: text("unit"),
        check_in: text("check_in"),
        check_out: text("check_out"),
        requires_confirmation: on(f, "requires_confirmation"),
        resources,
        active: on(f, "active"),
        hidden: on(f, "hidden"),
        cancel_notice_min: num(f, "cancel_notice_min")?.unwrap_or(0),
        payment: text("payment"),
        deposit: text("deposit"),
        deposit_percent: num(f, "deposit_percent")?,
    })
}

fn service_form(action: String, f: &Fields, errors: &FormErrors, resources: &[Resource], button: String) -> Markup {
    let n = |key: &'static str, id: &str, label: String, hint: Option<String>| {
        input_row(errors, key, (id, key), &label, "number", field(f, key), hint)
    };
    let groups_err = errors.of("resources");
    html! {
        form #service-form method="post" action=(action) novalidate {
            (errors.summary())
            (input_row(errors, "name", ("s-name", "name"), &t!("bookings-service-name"), "text", field(f, "name"), None))
            div.form-row {
                @let e = errors.of("description");
                label for="s-description" { (t!("bookings-service-description")) }
                textarea #s-description name="description" rows="2" maxlength="2000" aria-invalid=[e.map(|_| "true")] aria-describedby=[described(e, "s-description")] { (field(f, "description")) }
                @if let Some(m) = e { p.error #s-description-error { (m) } }
            }
            fieldset {
                legend { (t!("bookings-service-time")) }
                (select_row(errors, "unit", "s-unit", "unit", &t!("bookings-unit-label"), html! {
                    @for u in catalog::UNITS { option value=(u) selected[field(f, "unit") == u || (u == "slot" && field(f, "unit").is_empty())] { (unit_name(u)) } }
                }))
                (n("duration_min", "s-duration", t!("bookings-duration"), Some(t!("bookings-duration-hint"))))
                (n("interval_min", "s-interval", t!("bookings-interval"), Some(t!("bookings-interval-hint"))))
                (n("buffer_before_min", "s-before", t!("bookings-buffer-before"), None))
                (n("buffer_after_min", "s-after", t!("bookings-buffer-after"), None))
                (input_row(errors, "check_in", ("s-check-in", "check_in"), &t!("bookings-check-in"), "time", field(f, "check_in"), Some(t!("bookings-check-hint"))))
                (input_row(errors, "check_out", ("s-check-out", "check_out"), &t!("bookings-check-out"), "time", field(f, "check_out"), None))
                (n("capacity", "s-capacity", t!("bookings-capacity"), Some(t!("bookings-capacity-hint"))))
            }
            fieldset {
                legend { (t!("bookings-service-rules")) }
                (n("min_notice_min", "s-notice", t!("bookings-min-notice"), None))
                (n("window_days", "s-window", t!("bookings-window"), Some(t!("bookings-window-hint"))))
                (n("cancel_notice_min", "s-cancel", t!("bookings-cancel-notice"), None))
                (check_row("requires_confirmation", &t!("bookings-requires-confirmation"), on(f, "requires_confirmation")))
                (check_row("active", &t!("bookings-service-active"), on(f, "active")))
                (check_row("hidden", &t!("bookings-service-hidden"), on(f, "hidden")))
            }
            fieldset {
                legend { (t!("bookings-service-price")) }
                (input_row(errors, "price", ("s-price", "price"), &t!("bookings-price"), "text", field(f, "price"), Some(t!("bookings-price-hint"))))
                (select_row(errors, "currency", "s-currency", "currency", &t!("bookings-currency"), html! {
                    option value="" { (t!("bookings-business-currency")) }
                    @for c in Currency::all() { option value=(c.code()) selected[c.code() == field(f, "currency")] { (c.code()) } }
                }))
                (select_row(errors, "payment", "s-payment", "payment", &t!("bookings-payment-label"), html! {
                    @for p in catalog::PAYMENTS { option value=(p) selected[field(f, "payment") == p] { (payment_name(p)) } }
                }))
                (input_row(errors, "deposit", ("s-deposit", "deposit"), &t!("bookings-deposit"), "text", field(f, "deposit"), Some(t!("bookings-deposit-hint"))))
                (n("deposit_percent", "s-deposit-percent", t!("bookings-deposit-percent"), None))
            }
            fieldset #groups aria-describedby=[described(groups_err, "s-groups")] {
                legend { (t!("bookings-service-resources")) }
                p.hint.small { (t!("bookings-groups-hint")) }
                @if resources.is_empty() { p.muted { (t!("bookings-no-resources")) } }
                div.grid {
                    @for g in 0..GROUPS {
                        fieldset.group {
                            legend { (t!("bookings-group", number = g + 1)) }
                            @for r in resources {
                                @let name = format!("g{g}_{}", r.id);
                                label.check { input type="checkbox" name=(name) value="on" checked[on(f, &name)]; (r.name) }
                            }
                        }
                    }
                }
                @if let Some(m) = groups_err { p.error #s-groups-error { (m) } }
            }
            button type="submit" { (button) }
        }
    }
}

pub async fn services_page(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    let sh = Shell::load(&s, &u, Some(&a)).await?;
    let w = a.workspace.id.as_str();
    let list = catalog::services(&s.bookings, &a).await.map_err(WebError::page)?;
    let no_resources = catalog::resources(&s.bookings, &a).await.map_err(WebError::page)?.is_empty();
    Ok(sh.page(
        &t!("bookings-services-title"),
        Nav::Services,
        html! {
            div.page-head {
                p.muted style="margin:0" { (t!("bookings-services-intro")) }
                div.actions { a.button.small href={ "/w/" (w) "/settings/services/new" } { (t!("bookings-add-service")) } }
            }
            @if no_resources {
                p.warn { (t!("bookings-services-need-resources")) " " a href={ "/w/" (w) "/settings/resources" } { (t!("bookings-add-resources")) } }
            }
            section aria-labelledby="svc-list-h" {
                h2 #svc-list-h { (t!("bookings-services-list")) }
                @if list.is_empty() { p.muted #no-services { (t!("bookings-no-services")) } }
                @else {
                    table.stack #services {
                        thead { tr { th { (t!("bookings-service-name")) } th { (t!("bookings-duration")) } th { (t!("bookings-price")) } } }
                        tbody {
                            @for (x, _) in &list {
                                tr data-service=(x.id) {
                                    td { a href={ "/w/" (w) "/settings/services/" (x.id) } { strong { (x.name) } }
                                        @if !x.active { " " span.badge.off { (t!("bookings-inactive")) } }
                                        @if x.hidden { " " span.badge { (t!("bookings-hidden")) } } }
                                    td data-label=(t!("bookings-duration")) {
                                        @if x.unit == "slot" { (t!("bookings-minutes", count = x.duration_min)) } @else { (unit_name(&x.unit)) }
                                    }
                                    td data-label=(t!("bookings-price")) { (money(x.price_minor, &x.currency)) }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

fn new_service_fields() -> Fields {
    let mut f = Fields::new();
    for (k, v) in [
        ("duration_min", "30"),
        ("active", "on"),
        ("unit", "slot"),
        ("payment", "none"),
        ("window_days", "60"),
        ("capacity", "1"),
    ] {
        f.insert(k.into(), v.into());
    }
    f
}

pub async fn new_service_page(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    render_new_service(&s, &u, &a, &new_service_fields(), &FormErrors::default()).await
}

async fn render_new_service(
    s: &AppState,
    u: &SignedIn,
    a: &Access,
    f: &Fields,
    errors: &FormErrors,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let w = a.workspace.id.as_str();
    let resources = catalog::resources(&s.bookings, a).await.map_err(WebError::page)?;
    Ok(sh.page(
        &t!("bookings-add-service"),
        Nav::Services,
        html! {
            p { a href={ "/w/" (w) "/settings/services" } { (t!("bookings-all-services-link")) } }
            section { (service_form(format!("/w/{w}/settings/services"), f, errors, &resources, t!("bookings-add-service"))) }
        },
    ))
}

pub async fn create_service(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    let r = match service_input(&f) {
        Ok(i) => catalog::create_service(&s.bookings, &a, &i).await,
        Err(e) => Err(e),
    };
    match r {
        Ok((x, _)) => Ok(saved(&w, &format!("services/{}", x.id))),
        Err(e) => {
            let (status, errors) = refusal(e)?;
            Ok((status, render_new_service(&s, &u, &a, &f, &errors).await?).into_response())
        }
    }
}

pub async fn service_page(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    render_service(&s, &u, &a, &id, None).await
}

fn question_kind(kind: &str) -> String {
    t!("bookings-question-kind", kind = kind)
}

async fn render_service(
    s: &AppState,
    u: &SignedIn,
    a: &Access,
    id: &str,
    sent: Option<Sent<'_>>,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let w = a.workspace.id.as_str();
    let (svc, groups) = catalog::service(&s.bookings, a, id).await.map_err(WebError::page)?;
    let resources = catalog::resources(&s.bookings, a).await.map_err(WebError::page)?;
    let (_, extras) = catalog::extras(&s.bookings, a, id).await.map_err(WebError::page)?;
    let questions = catalog::requirements(&s.bookings, a, id).await.map_err(WebError::page)?;
    let none = FormErrors::default();
    let empty = Fields::new();
    let sent = sent.unwrap_or(Sent { part: Part::Main, fields: &empty, errors: &none });
    let main_fields = if sent.part == Part::Main && !sent.fields.is_empty() {
        sent.fields.clone()
    } else {
        service_fields(&svc, &groups)
    };
    let (xf, xe) = (sent.fields(Part::Extra), sent.errors(Part::Extra));
    let (qf, qe) = (sent.fields(Part::Question), sent.errors(Part::Question));
    let sid = svc.id.to_string();
    Ok(sh.page(
        &svc.name,
        Nav::Services,
        html! {
            p { a href={ "/w/" (w) "/settings/services" } { (t!("bookings-all-services-link")) } }
            section aria-labelledby="s-edit-h" {
                h2 #s-edit-h { (t!("bookings-about")) }
                (service_form(format!("/w/{w}/settings/services/{sid}"), &main_fields, &sent.errors(Part::Main), &resources, t!("bookings-save-service")))
            }
            section #extras aria-labelledby="s-extras-h" {
                h2 #s-extras-h { (t!("bookings-extras")) }
                p.hint.small { (t!("bookings-extras-hint")) }
                ul {
                    @for x in extras.iter().filter(|x| x.active) {
                        li data-extra=(x.id) {
                            strong { (x.name) }
                            @if x.minutes > 0 { " · +" (t!("bookings-minutes", count = x.minutes)) }
                            @if x.price_minor > 0 { " · +" (money(x.price_minor, &svc.currency)) }
                            " "
                            form.inline method="post" action={ "/w/" (w) "/settings/services/" (sid) "/extras/remove" } data-confirm=(t!("bookings-extra-remove-confirm", name = &x.name)) data-confirm-label=(t!("bookings-remove")) {
                                input type="hidden" name="extra" value=(x.id);
                                button.danger.small type="submit" { (t!("bookings-remove")) }
                            }
                        }
                    }
                }
                form #extra-form method="post" action={ "/w/" (w) "/settings/services/" (sid) "/extras" } novalidate {
                    (xe.summary())
                    (input_row(&xe, "name", ("x-name", "name"), &t!("bookings-extra-name"), "text", field(&xf, "name"), None))
                    (input_row(&xe, "minutes", ("x-minutes", "minutes"), &t!("bookings-extra-minutes"), "number", field(&xf, "minutes"), None))
                    (input_row(&xe, "price", ("x-price", "price"), &t!("bookings-extra-price"), "text", field(&xf, "price"), None))
                    button.secondary type="submit" { (t!("bookings-add-extra")) }
                }
            }
            section #questions aria-labelledby="s-questions-h" {
                h2 #s-questions-h { (t!("bookings-questions")) }
                p.hint.small { (t!("bookings-questions-hint")) }
                ol {
                    @for r in &questions {
                        @let choices: Vec<String> = serde_json::from_str(&r.choices).unwrap_or_default();
                        li data-question=(r.id) {
                            strong { (r.label) } " · " (question_kind(&r.kind))
                            @if !choices.is_empty() { " (" (choices.join(", ")) ")" }
                            @if r.required { " " span.badge { (t!("bookings-required")) } }
                            @if r.sensitive { " " span.badge.off { (t!("bookings-sensitive")) } }
                            " "
                            form.inline method="post" action={ "/w/" (w) "/settings/services/" (sid) "/questions/remove" } data-confirm=(t!("bookings-question-remove-confirm")) data-confirm-label=(t!("bookings-remove")) {
                                input type="hidden" name="question" value=(r.id);
                                button.danger.small type="submit" { (t!("bookings-remove")) }
                            }
                        }
                    }
                }
                form #question-form method="post" action={ "/w/" (w) "/settings/services/" (sid) "/questions" } novalidate {
                    (qe.summary())
                    (input_row(&qe, "label", ("qn-label", "label"), &t!("bookings-question-label"), "text", field(&qf, "label"), None))
                    (select_row(&qe, "kind", "qn-kind", "kind", &t!("bookings-question-kind-label"), html! {
                        @for k in catalog::QUESTION_KINDS { option value=(k) selected[field(&qf, "kind") == k] { (question_kind(k)) } }
                    }))
                    div.form-row {
                        @let e = qe.of("choices");
                        label for="qn-choices" { (t!("bookings-question-choices")) }
                        textarea #qn-choices name="choices" rows="3" aria-invalid=[e.map(|_| "true")] aria-describedby={ @if e.is_some() { "qn-choices-error" } @else { "qn-choices-hint" } } { (field(&qf, "choices")) }
                        @if let Some(m) = e { p.error #qn-choices-error { (m) } } @else { p.hint.small #qn-choices-hint { (t!("bookings-question-choices-hint")) } }
                    }
                    (check_row("required", &t!("bookings-question-required"), on(&qf, "required")))
                    (check_row("sensitive", &t!("bookings-question-sensitive"), on(&qf, "sensitive")))
                    button.secondary type="submit" { (t!("bookings-add-question")) }
                }
            }
        },
    ))
}

async fn service_outcome<T>(
    s: &AppState,
    u: &SignedIn,
    a: &Access,
    (w, id): (&str, &str),
    part: Part,
    f: &Fields,
    r: Result<T, AppError>,
) -> Result<Response, WebError> {
    match r {
        Ok(_) => {
            let anchor = match part {
                Part::Extra => "#extras",
                Part::Question => "#questions",
                _ => "",
            };
            Ok(Redirect::to(&format!("/w/{w}/settings/services/{id}?saved=1{anchor}")).into_response())
        }
        Err(e) => {
            let (status, errors) = refusal(e)?;
            let sent = Sent { part, fields: f, errors: &errors };
            Ok((status, render_service(s, u, a, id, Some(sent)).await?).into_response())
        }
    }
}

pub async fn update_service(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    let r = match service_input(&f) {
        Ok(i) => catalog::update_service(&s.bookings, &a, &id, &i).await,
        Err(e) => Err(e),
    };
    service_outcome(&s, &u, &a, (&w, &id), Part::Main, &f, r).await
}

pub async fn add_extra(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    let r = match num(&f, "minutes") {
        Ok(minutes) => {
            let i = ExtraInput {
                name: field(&f, "name").to_string(),
                minutes: minutes.unwrap_or(0),
                price: Some(field(&f, "price").to_string()).filter(|x| !x.is_empty()),
            };
            catalog::add_extra(&s.bookings, &a, &id, &i).await.map(drop)
        }
        Err(e) => Err(e),
    };
    service_outcome(&s, &u, &a, (&w, &id), Part::Extra, &f, r).await
}

pub async fn remove_extra(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    catalog::service(&s.bookings, &a, &id).await.map_err(WebError::page)?;
    catalog::remove_extra(&s.bookings, &a, field(&f, "extra")).await.map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/w/{w}/settings/services/{id}?saved=1#extras")).into_response())
}

pub async fn add_question(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    let i = RequirementInput {
        label: field(&f, "label").to_string(),
        kind: Some(field(&f, "kind").to_string()).filter(|x| !x.is_empty()),
        choices: field(&f, "choices").lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect(),
        required: on(&f, "required"),
        sensitive: on(&f, "sensitive"),
    };
    let r = catalog::add_requirement(&s.bookings, &a, &id, &i).await;
    service_outcome(&s, &u, &a, (&w, &id), Part::Question, &f, r).await
}

pub async fn remove_question(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    catalog::service(&s.bookings, &a, &id).await.map_err(WebError::page)?;
    catalog::remove_requirement(&s.bookings, &a, field(&f, "question")).await.map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/w/{w}/settings/services/{id}?saved=1#questions")).into_response())
}

// ---- coupons ----

pub async fn coupons_page(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    let mut f = Fields::new();
    f.insert("kind".into(), "percent".into());
    render_coupons(&s, &u, &a, &f, &FormErrors::default()).await
}

async fn render_coupons(
    s: &AppState,
    u: &SignedIn,
    a: &Access,
    f: &Fields,
    errors: &FormErrors,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let w = a.workspace.id.as_str();
    let list = catalog::coupons(&s.bookings, a).await.map_err(WebError::page)?;
    let services: Vec<Service> =
        catalog::services(&s.bookings, a).await.map_err(WebError::page)?.into_iter().map(|(x, _)| x).collect();
    let business = frontdesk_platform::profile::get(&s.app, a).await.map_err(WebError::page)?.currency;
    let business = business.unwrap_or_else(|| "EUR".into());
    let tz = zone_of(sh.times.time_zone());
    let day = |ms: i64| {
        super::zoned(&tz, ms).map(|z| super::day_month(z.date()) + &format!(" {}", z.year())).unwrap_or_default()
    };
    let lang = frontdesk_i18n::current();
    Ok(sh.page(
        &t!("bookings-coupons-title"),
        Nav::Coupons,
        html! {
            p.muted { (t!("bookings-coupons-intro")) }
            section aria-labelledby="cp-list-h" {
                h2 #cp-list-h { (t!("bookings-coupons-list")) }
                @if list.is_empty() { p.muted #no-coupons { (t!("bookings-no-coupons")) } }
                @else {
                    table.stack #coupons {
                        thead { tr { th { (t!("bookings-coupon-code")) } th { (t!("bookings-coupon-discount")) } th { (t!("bookings-coupon-valid")) } th { (t!("bookings-coupon-uses")) } th { (t!("bookings-service")) } th { span.visually-hidden { (t!("bookings-actions")) } } } }
                        tbody {
                            @for k in &list {
                                @let svc = k.service_id.as_ref().and_then(|id| services.iter().find(|x| &x.id == id));
                                tr data-coupon=(k.code) data-active=(k.active) {
                                    td { code { (k.code) } @if !k.active { " " span.badge.off { (t!("bookings-coupon-off")) } } }
                                    td data-label=(t!("bookings-coupon-discount")) {
                                        @if k.kind == "percent" { (t!("bookings-percent", value = k.value)) }
                                        @else { (money(k.value, &svc.map(|x| x.currency.clone()).unwrap_or(business.clone()))) }
                                    }
                                    td data-label=(t!("bookings-coupon-valid")) {
                                        @match (k.valid_from, k.valid_to) {
                                            (None, None) => { (t!("bookings-coupon-always")) }
                                            (Some(a), None) => { (t!("bookings-coupon-from", date = day(a))) }
                                            (None, Some(z)) => { (t!("bookings-coupon-until", date = day(z - 1))) }
                                            (Some(a), Some(z)) => { (day(a)) " – " (day(z - 1)) }
                                        }
                                    }
                                    td data-label=(t!("bookings-coupon-uses")) {
                                        (lang.number(k.uses)) @if let Some(m) = k.max_uses { " / " (lang.number(m)) }
                                        @if k.once_per_customer { br; span.small.muted { (t!("bookings-coupon-once")) } }
                                    }
                                    td data-label=(t!("bookings-service")) { (svc.map(|x| x.name.clone()).unwrap_or_else(|| t!("bookings-all-services"))) }
                                    td {
                                        form.inline method="post" action={ "/w/" (w) "/settings/coupons/" (k.id) "/toggle" } data-confirm=[k.active.then(|| t!("bookings-coupon-off-confirm", code = &k.code))] data-confirm-label=[k.active.then(|| t!("bookings-coupon-turn-off"))] {
                                            input type="hidden" name="active" value=(if k.active { "off" } else { "on" });
                                            @if k.active { button.danger.small type="submit" { (t!("bookings-coupon-turn-off")) } }
                                            @else { button.secondary.small type="submit" { (t!("bookings-coupon-turn-on")) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            section aria-labelledby="cp-add-h" {
                h2 #cp-add-h { (t!("bookings-add-coupon")) }
                form #coupon-form method="post" action={ "/w/" (w) "/settings/coupons" } novalidate {
                    (errors.summary())
                    (input_row(errors, "code", ("c-code", "code"), &t!("bookings-coupon-code"), "text", field(f, "code"), Some(t!("bookings-coupon-code-hint"))))
                    (select_row(errors, "kind", "c-kind", "kind", &t!("bookings-coupon-kind"), html! {
                        option value="percent" selected[field(f, "kind") == "percent"] { (t!("bookings-coupon-percent")) }
                        option value="amount" selected[field(f, "kind") == "amount"] { (t!("bookings-coupon-amount")) }
                    }))
                    (input_row(errors, "value", ("c-value", "value"), &t!("bookings-coupon-value"), "text", field(f, "value"), Some(t!("bookings-coupon-value-hint"))))
                    (input_row(errors, "valid_from", ("c-from", "valid_from"), &t!("bookings-coupon-valid-from"), "date", field(f, "valid_from"), None))
                    (input_row(errors, "valid_to", ("c-to", "valid_to"), &t!("bookings-coupon-valid-to"), "date", field(f, "valid_to"), None))
                    (input_row(errors, "max_uses", ("c-max", "max_uses"), &t!("bookings-coupon-max-uses"), "number", field(f, "max_uses"), None))
                    (check_row("once_per_customer", &t!("bookings-coupon-once-check"), on(f, "once_per_customer")))
                    (select_row(errors, "service_id", "c-service", "service_id", &t!("bookings-coupon-service"), html! {
                        option value="" { (t!("bookings-all-services")) }
                        @for x in &services { option value=(x.id) selected[field(f, "service_id") == x.id.as_str()] { (x.name) } }
                    }))
                    button type="submit" { (t!("bookings-add-coupon")) }
                }
            }
        },
    ))
}

/// A date of the coupon form as the instant it starts in the business's zone (`next`: the
/// day after, so a coupon is good until its last day ends).
fn coupon_date(field: &'static str, raw: &str, zone: &str, next: bool) -> Result<Option<String>, AppError> {
    if raw.is_empty() {
        return Ok(None);
    }
    let d: jiff::civil::Date =
        raw.parse().map_err(|_| AppError::invalid(field, "invalid_date", "Use a date as YYYY-MM-DD."))?;
    let d = if next { super::add_days(d, 1) } else { d };
    Ok(Some(Timestamp(super::day_start(&zone_of(zone), d)).to_rfc3339()))
}

pub async fn create_coupon(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    let zone = frontdesk_platform::profile::get(&s.app, &a).await.map_err(WebError::page)?.time_zone;
    let input = (|| -> Result<CouponInput, AppError> {
        Ok(CouponInput {
            code: field(&f, "code").to_string(),
            kind: field(&f, "kind").to_string(),
            value: field(&f, "value").to_string(),
            valid_from: coupon_date("valid_from", field(&f, "valid_from"), &zone, false)?,
            valid_to: coupon_date("valid_to", field(&f, "valid_to"), &zone, true)?,
            max_uses: num(&f, "max_uses")?,
            once_per_customer: on(&f, "once_per_customer"),
            service_id: Some(field(&f, "service_id").to_string()).filter(|x| !x.is_empty()),
        })
    })();
    let r = match input {
        Ok(i) => catalog::create_coupon(&s.bookings, &a, &i).await.map(drop),
        Err(e) => Err(e),
    };
    match r {
        Ok(()) => Ok(saved(&w, "coupons")),
        Err(e) => {
            let (status, errors) = refusal(e)?;
            Ok((status, render_coupons(&s, &u, &a, &f, &errors).await?).into_response())
        }
    }
}

pub async fn toggle_coupon(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    catalog::set_coupon_active(&s.bookings, &a, &id, field(&f, "active") == "on").await.map_err(WebError::page)?;
    Ok(saved(&w, "coupons"))
}

// ---- the booking page ----

pub async fn booking_page_page(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    let now = frontdesk_bookings::page::get(&s.bookings, &a).await.map_err(WebError::page)?;
    let mut f = Fields::new();
    f.insert("embed_origins".into(), now.embed_origins.join("\n"));
    render_booking_page(&s, &u, &a, &f, &FormErrors::default()).await
}

async fn render_booking_page(
    s: &AppState,
    u: &SignedIn,
    a: &Access,
    f: &Fields,
    errors: &FormErrors,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let w = a.workspace.id.as_str();
    let page = frontdesk_bookings::page::get(&s.bookings, a).await.map_err(WebError::page)?;
    let err = errors.of("embed_origins");
    let snippet = page.url.as_ref().map(|url| {
        format!(
            "<iframe src=\"{url}\" title=\"{}\" style=\"width:100%;min-height:760px;border:0\" loading=\"lazy\"></iframe>",
            t!("bookings-page-frame-title", business = a.workspace.name.as_str())
        )
    });
    Ok(sh.page(
        &t!("bookings-page-title"),
        Nav::BookingPage,
        html! {
            p.muted { (t!("bookings-page-intro")) }
            section aria-labelledby="bp-link-h" {
                h2 #bp-link-h { (t!("bookings-page-link")) }
                @match &page.url {
                    Some(url) => { p { a #booking-page-url href=(url) { (url) } } }
                    None => { p.muted { (t!("bookings-page-no-slug")) " " a href={ "/w/" (w) "/settings/profile" } { (t!("nav-profile")) } } }
                }
            }
            @if let Some(code) = &snippet {
                section aria-labelledby="bp-embed-h" {
                    h2 #bp-embed-h { (t!("bookings-page-embed")) }
                    p.muted #bp-embed-hint { (t!("bookings-page-embed-hint")) }
                    textarea #bp-snippet readonly rows="3" aria-labelledby="bp-embed-h" aria-describedby="bp-embed-hint" { (code) }
                }
            }
            section aria-labelledby="bp-sites-h" {
                h2 #bp-sites-h { (t!("bookings-page-sites")) }
                form #booking-page-form method="post" action={ "/w/" (w) "/settings/booking-page" } novalidate {
                    (errors.summary())
                    div.form-row {
                        label for="bp-origins" { (t!("bookings-page-origins")) }
                        textarea #bp-origins name="embed_origins" rows="4" placeholder="https://salon.example" aria-invalid=[err.map(|_| "true")] aria-describedby={ @if err.is_some() { "bp-origins-error" } @else { "bp-origins-hint" } } { (field(f, "embed_origins")) }
                        @if let Some(m) = err { p.error #bp-origins-error { (m) } } @else { p.hint.small #bp-origins-hint { (t!("bookings-page-origins-hint")) } }
                    }
                    button type="submit" { (t!("bookings-save")) }
                }
            }
        },
    ))
}

pub async fn save_booking_page(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageCatalog).await?;
    let origins = field(&f, "embed_origins").split([',', ' ', '\n', '\r']).map(str::trim).filter(|o| !o.is_empty());
    let input = frontdesk_bookings::page::BookingPageInput { embed_origins: origins.map(str::to_string).collect() };
    match frontdesk_bookings::page::set(&s.bookings, &a, &input).await {
        Ok(_) => Ok(saved(&w, "booking-page")),
        Err(e) => {
            let (status, errors) = refusal(e)?;
            Ok((status, render_booking_page(&s, &u, &a, &f, &errors).await?).into_response())
        }
    }
}
