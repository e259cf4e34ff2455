//! The public booking page (`/book/{slug}`: service → extras → time → details → confirm) and the
//! customer's manage page (`/book/manage/{token}`: view, move, cancel, the `.ics`). No sign-in;
//! every step is a plain form (GET while nothing personal is asked, POST after), so the page
//! works without JavaScript; our one small script only picks the visitor's own time zone.

use crate::kit::body::PageForm;
use crate::kit::error::{status_of, WebError};
use crate::kit::extract::{cookie, ClientInfo};
use crate::kit::layout::{confirm_dialog, url_encode};
use crate::{Access, AppState, Table};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use frontdesk_bookings::book::{self, AnswerInput, BookingInput, Change, CustomerInput, Origin};
use frontdesk_bookings::repo::{self as q, Booking, Extra, Requirement, Service};
use frontdesk_bookings::slots::{self, FreeSlot, SlotQuery};
use frontdesk_bookings::{catalog, manage, notify};
use frontdesk_core::money::Money;
use frontdesk_core::time::LocalTimes;
use frontdesk_core::{Timestamp, WorkspaceId};
use frontdesk_i18n::{t, Lang};
use frontdesk_platform::audit::Actor;
use frontdesk_platform::captcha::CaptchaSettings;
use frontdesk_platform::profile::{self, Profile, SlugTarget};
use frontdesk_platform::{AppError, Platform};
use maud::{html, Markup, DOCTYPE};

const BOOK_JS: &str = include_str!("assets/book.js");
const BOOK_CSS: &str = include_str!("assets/book.css");
const VISITOR_COOKIE: &str = "fd_visitor";

pub(crate) fn routes(t: Table) -> Table {
    use Access::Public;
    t.add(
        "GET",
        "/book/{slug}",
        Public,
        "The public booking page: services, extras, free times, details (plain forms)",
        get(booking_page),
    )
    .add("POST", "/book/{slug}", Public, "The public booking page: check the details, then book", post(booking_post))
    .add("GET", "/book/{slug}/logo", Public, "The business's logo on its booking page", get(logo))
    .add("GET", "/book/manage/{token}", Public, "A customer's booking, by its signed manage link", get(manage_page))
    .add(
        "POST",
        "/book/manage/{token}/reschedule",
        Public,
        "A customer moves their booking to another free time",
        post(reschedule),
    )
    .add(
        "POST",
        "/book/manage/{token}/cancel",
        Public,
        "A customer cancels their booking (within the cancellation notice)",
        post(cancel),
    )
    .add("GET", "/book/manage/{token}/ics", Public, "A customer's booking as an iCalendar file", get(ics))
    .add("GET", "/calendars/{token}", Public, "A calendar feed (the workspace's or a resource's bookings)", get(feed))
    .add("GET", "/assets/book.js", Public, "The booking page's script (the visitor's time zone)", get(script))
    .add("GET", "/assets/book.css", Public, "The booking page's style sheet", get(style))
}

async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        BOOK_JS,
    )
        .into_response()
}

async fn style() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=300")], BOOK_CSS)
        .into_response()
}

fn platform(s: &AppState) -> &Platform {
    s.bookings.as_ref()
}

/// The business behind a booking page.
pub(crate) struct Biz {
    pub(crate) ws: WorkspaceId,
    pub(crate) name: String,
    pub(crate) profile: Profile,
    /// The pages' content security policy.
    pub(crate) policy: String,
}

pub(crate) enum Found {
    Biz(Box<Biz>),
    /// A slug given up less than 90 days ago: its current one.
    Moved(String),
}

fn not_found() -> WebError {
    WebError::page(AppError::not_found("The booking page"))
}

pub(crate) async fn business_of(s: &AppState, ws: &WorkspaceId) -> Result<Biz, WebError> {
    let mut c = s.app.db.conn().await.map_err(|e| WebError::page(e.into()))?;
    let w = frontdesk_platform::repo::workspaces::by_id(&mut c, ws)
        .await
        .map_err(|e| WebError::page(e.into()))?
        .filter(|w| w.suspended_at.is_none())
        .ok_or_else(not_found)?;
    let profile = profile::of(&mut c, ws).await.map_err(WebError::page)?;
    let embed = frontdesk_bookings::page::embed_origins(&mut c, ws).await.map_err(WebError::page)?;
    let captcha = platform(s).settings.captcha.as_ref().and_then(|k| k.script_origin());
    Ok(Biz { ws: ws.clone(), name: w.name, profile, policy: policy(&embed, captcha.as_deref()) })
}

pub(crate) async fn find(s: &AppState, slug: &str) -> Result<Found, WebError> {
    match profile::resolve_slug(platform(s), slug).await.map_err(WebError::page)? {
        Some(SlugTarget::Current(ws)) => Ok(Found::Biz(Box::new(business_of(s, &ws).await?))),
        Some(SlugTarget::Moved { slug, .. }) => Ok(Found::Moved(slug)),
        None => Err(not_found()),
    }
}

/// The old address's request, at the new slug (the query string kept).
fn moved(slug: &str, rest: &str, query: Option<&str>) -> Response {
    let q = query.map(|q| format!("?{q}")).unwrap_or_default();
    Redirect::permanent(&format!("/book/{}{rest}{q}", url_encode(slug))).into_response()
}

/// What the steps carry from one form to the next.
#[derive(Default, Clone, Debug)]
struct Params {
    service: String,
    extras: Vec<String>,
    /// The extras step was passed (with none chosen, too).
    extras_done: bool,
    tz: String,
    from: String,
    start: String,
    name: String,
    email: String,
    phone: String,
    coupon: String,
    /// (requirement id, value).
    answers: Vec<(String, String)>,
    key: String,
    visitor: String,
    /// The honeypot: people never see it, so never fill it.
    website: String,
    step: String,
    /// The captcha widget's token (never carried from one form to the next).
    captcha: String,
}

impl Params {
    fn parse(pairs: Vec<(String, String)>) -> Self {
        let mut p = Params::default();
        for (k, v) in pairs {
            let v = v.trim().to_string();
            match k.as_str() {
                "service" => p.service = v,
                "extra" if !v.is_empty() => p.extras.push(v),
                "x" => p.extras_done = true,
                "tz" => p.tz = v,
                "from" => p.from = v,
                "start" => p.start = v,
                "name" => p.name = v,
                "email" => p.email = v,
                "phone" => p.phone = v,
                "coupon" => p.coupon = v,
                "key" => p.key = v,
                "visitor" => p.visitor = v,
                "website" => p.website = v,
                "step" => p.step = v,
                frontdesk_platform::captcha::FIELD => p.captcha = v,
                _ => {
                    if let Some(id) = k.strip_prefix("q_") {
                        p.answers.push((id.to_string(), v));
                    }
                }
            }
        }
        p.extras.sort();
        p.extras.dedup();
        p
    }

    fn answer(&self, id: &str) -> &str {
        self.answers.iter().find(|(k, _)| k == id).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    /// Hidden fields for what has been chosen so far (service, extras, zone, and the time when
    /// `with_start`).
    fn hidden(&self, with_start: bool) -> Markup {
        html! {
            input type="hidden" name="service" value=(self.service);
            @for x in &self.extras { input type="hidden" name="extra" value=(x); }
            @if self.extras_done { input type="hidden" name="x" value="1"; }
            @if !self.tz.is_empty() { input type="hidden" name="tz" value=(self.tz); }
            @if with_start { input type="hidden" name="start" value=(self.start); }
        }
    }

    /// Hidden fields for the details as well (the review's form).
    fn hidden_details(&self) -> Markup {
        html! {
            (self.hidden(true))
            input type="hidden" name="name" value=(self.name);
            input type="hidden" name="email" value=(self.email);
            input type="hidden" name="phone" value=(self.phone);
            input type="hidden" name="coupon" value=(self.coupon);
            @for (id, v) in &self.answers { input type="hidden" name=(format!("q_{id}")) value=(v); }
            input type="hidden" name="visitor" value=(self.visitor);
            input type="hidden" name="website" value=(self.website);
        }
    }

    /// The query string of the choices so far (links between weeks).
    fn query(&self, from: &str) -> String {
        let mut parts = vec![format!("service={}", url_encode(&self.service))];
        for x in &self.extras {
            parts.push(format!("extra={}", url_encode(x)));
        }
        if self.extras_done {
            parts.push("x=1".into());
        }
        if !self.tz.is_empty() {
            parts.push(format!("tz={}", url_encode(&self.tz)));
        }
        parts.push(format!("from={from}"));
        parts.join("&")
    }
}

/// Errors of a form, each beside its field (the field names are the form's own).
#[derive(Default)]
struct Errors {
    fields: Vec<(String, String)>,
    general: Option<String>,
}

impl Errors {
    fn text(e: &AppError) -> String {
        frontdesk_i18n::error_text(frontdesk_i18n::current(), e.code, &e.message)
    }
    fn add(&mut self, field: &str, e: &AppError) {
        self.fields.push((field.to_string(), Self::text(e)));
    }
    fn of(&self, field: &str) -> Option<&str> {
        self.fields.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }
    fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_none()
    }
    /// The engine's refusal, beside the field of the form it concerns.
    fn from_engine(e: &AppError) -> Self {
        let field = match e.field {
            Some("customer.name") | Some("customer") => Some("name"),
            Some("customer.email") => Some("email"),
            Some("customer.phone") => Some("phone"),
            Some("coupon") => Some("coupon"),
            _ => None,
        };
        let mut out = Errors::default();
        match field {
            Some(f) => out.add(f, e),
            None => out.general = Some(Self::text(e)),
        }
        out
    }
}

pub(crate) fn lang() -> Lang {
    frontdesk_i18n::current()
}

pub(crate) fn money(minor: i64, currency: &str) -> String {
    lang().money(Money::new(minor, catalog::currency_of(currency)))
}

/// `Wednesday 2 Dec` / `miércoles 2 dic`.
fn day_label(d: jiff::civil::Date) -> String {
    let l = lang();
    let wd = l.weekday_names()[d.weekday().to_monday_zero_offset() as usize];
    format!("{wd} {} {}", d.day(), l.months()[(d.month() - 1) as usize])
}

/// An instant in a zone, exactly, with the weekday: `Wednesday, 2 Dec 2026, 10:00 CET`.
pub(crate) fn when(zone: &str, now: i64, ms: i64) -> String {
    let times = LocalTimes::new(zone, now).in_lang(lang());
    let tz = jiff::tz::TimeZone::get(zone).unwrap_or(jiff::tz::TimeZone::UTC);
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(ts) => {
            let d = ts.to_zoned(tz).date();
            let wd = lang().weekday_names()[d.weekday().to_monday_zero_offset() as usize];
            format!("{wd}, {}", times.exact(ms))
        }
        Err(_) => times.exact(ms),
    }
}

/// The page frame of a business's booking pages: its logo, name and colour.
pub(crate) fn frame(biz: &Biz, title: &str, body: Markup) -> BookPage {
    let brand = biz.profile.brand_colour.as_deref().map(|c| format!("--brand:{c}"));
    let logo = biz
        .profile
        .logo_blob
        .as_ref()
        .map(|_| format!("/book/{}/logo?v={}", url_encode(&biz.profile.slug), biz.profile.updated_at));
    let page = html! {
        (DOCTYPE)
        html lang=(lang().code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (biz.name) }
                link rel="icon" href="data:,";
                link rel="stylesheet" href="/assets/app.css";
                link rel="stylesheet" href="/assets/book.css";
            }
            body.book style=[brand] {
                a.skip href="#main" { (t!("book-skip")) }
                header.book-top {
                    @if let Some(src) = &logo { img src=(src) alt="" width="40" height="40"; }
                    span.book-name { (biz.name) }
                }
                main.book-main id="main" {
                    h1 { (title) }
                    (body)
                }
                (confirm_dialog())
                script src="/assets/app.js" defer {}
                script src="/assets/book.js" defer {}
            }
        }
    };
    BookPage { page, policy: biz.policy.clone() }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Service,
    Extras,
    Time,
    Details,
    Confirm,
}

fn steps(current: Step, with_extras: bool) -> Markup {
    let all = [
        (Step::Service, t!("book-step-service")),
        (Step::Extras, t!("book-step-extras")),
        (Step::Time, t!("book-step-time")),
        (Step::Details, t!("book-step-details")),
        (Step::Confirm, t!("book-step-confirm")),
    ];
    html! {
        nav aria-label=(t!("book-steps")) {
            ol.book-steps {
                @for (s, label) in all.iter().filter(|(s, _)| with_extras || *s != Step::Extras) {
                    li aria-current=[(*s == current).then_some("step")] { (label) }
                }
            }
        }
    }
}

/// What a service's choice brings along: the service, its live extras and questions.
struct Chosen {
    service: Service,
    extras: Vec<Extra>,
    reqs: Vec<Requirement>,
}

impl Chosen {
    fn chosen_extras<'a>(&'a self, p: &'a Params) -> impl Iterator<Item = &'a Extra> + 'a {
        self.extras.iter().filter(|x| p.extras.iter().any(|e| e == x.id.as_str()))
    }
    fn gross(&self, p: &Params) -> i64 {
        self.service.price_minor + self.chosen_extras(p).map(|x| x.price_minor).sum::<i64>()
    }
    fn minutes(&self, p: &Params) -> i64 {
        self.service.duration_min + self.chosen_extras(p).map(|x| x.minutes).sum::<i64>()
    }
}

/// The services a visitor may book: active and not hidden.
async fn public_services(s: &AppState, ws: &WorkspaceId) -> Result<Vec<Service>, WebError> {
    let mut c = s.app.db.conn().await.map_err(|e| WebError::page(e.into()))?;
    let all = q::services(&mut c, ws).await.map_err(|e| WebError::page(e.into()))?;
    Ok(all.into_iter().filter(|x| x.active && !x.hidden).collect())
}

async fn chosen(s: &AppState, ws: &WorkspaceId, id: &str) -> Result<Option<Chosen>, WebError> {
    let Some(sid) = frontdesk_core::ServiceId::parse(id) else { return Ok(None) };
    let db = |e: sqlx::Error| WebError::page(e.into());
    let mut c = s.app.db.conn().await.map_err(|e| WebError::page(e.into()))?;
    let Some(service) = q::service(&mut c, ws, &sid).await.map_err(db)?.filter(|x| x.active && !x.hidden) else {
        return Ok(None);
    };
    let extras = q::extras(&mut c, ws, &sid).await.map_err(db)?.into_iter().filter(|x| x.active).collect();
    let reqs = q::requirements(&mut c, ws, &sid).await.map_err(db)?;
    Ok(Some(Chosen { service, extras, reqs }))
}

fn visitor_cookie(s: &AppState, value: &str) -> HeaderValue {
    // Over https the page may be embedded on the business's site, where only a partitioned
    // `SameSite=None` cookie reaches us (it counts a visitor's holds; it is no credential).
    let attrs = if s.web.https() { "SameSite=None; Secure; Partitioned" } else { "SameSite=Lax" };
    HeaderValue::from_str(&format!("{VISITOR_COOKIE}={value}; Path=/book; HttpOnly; {attrs}; Max-Age=31536000"))
        .unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn visitor_of(headers: &HeaderMap) -> Option<String> {
    cookie(headers, VISITOR_COOKIE).filter(|v| {
        !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// A booking page with its content security policy (who may frame it, the captcha's origin).
pub(crate) struct BookPage {
    pub(crate) page: Markup,
    pub(crate) policy: String,
}

pub(crate) fn page_response(status: StatusCode, m: BookPage) -> Response {
    let mut r = (status, m.page).into_response();
    if let Ok(v) = HeaderValue::from_str(&m.policy) {
        r.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
    }
    r
}

/// The app's policy, with the business's own sites allowed to frame its booking pages (the
/// embed; `'none'` when it listed none) and the captcha provider's origin when one is
/// configured. Every origin was normalised to `scheme://host[:port]` before it gets here.
fn policy(embed: &[String], captcha: Option<&str>) -> String {
    let ancestors = if embed.is_empty() { "'none'".to_string() } else { embed.join(" ") };
    let (script, extra) = match captcha {
        Some(o) => (format!("'self' {o}"), format!(" frame-src {o}; connect-src 'self' {o};")),
        None => ("'self'".to_string(), String::new()),
    };
    format!(
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src {script};{extra} \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}"
    )
}

async fn booking_page(
    State(s): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let biz = match find(&s, &slug).await {
        Ok(Found::Biz(b)) => b,
        Ok(Found::Moved(to)) => return moved(&to, "", uri.query()),
        Err(e) => return e.into_response(),
    };
    let p = Params::parse(pairs);
    let mut r = match render_get(&s, &biz, p).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    };
    if visitor_of(&headers).is_none() {
        let v = frontdesk_platform::crypto::random_token();
        r.headers_mut().append(header::SET_COOKIE, visitor_cookie(&s, &v));
    }
    r
}

/// The step a GET shows: the services, the extras, the free times, or the details form.
async fn render_get(s: &AppState, biz: &Biz, mut p: Params) -> Result<Response, WebError> {
    let Some(ch) = chosen(s, &biz.ws, &p.service).await? else {
        return Ok(page_response(StatusCode::OK, services_step(biz, &public_services(s, &biz.ws).await?)));
    };
    p.extras.retain(|e| ch.extras.iter().any(|x| x.id.as_str() == e));
    if !ch.extras.is_empty() && !p.extras_done {
        return Ok(page_response(StatusCode::OK, extras_step(biz, &ch, &p)));
    }
    if p.start.is_empty() || Timestamp::parse_rfc3339(&p.start).is_none() {
        return time_step(s, biz, &ch, &p, None).await;
    }
    Ok(page_response(StatusCode::OK, details_step(biz, &ch, &p, &Errors::default())))
}

fn services_step(biz: &Biz, services: &[Service]) -> BookPage {
    let title = t!("book-title", business = biz.name.as_str());
    frame(
        biz,
        &title,
        html! {
            (steps(Step::Service, true))
            h2 { (t!("book-choose-service")) }
            @if services.is_empty() {
                p.empty { (t!("book-no-services")) }
            } @else {
                ul.book-services {
                    @for x in services {
                        li {
                            a.card href=(format!("/book/{}?service={}", url_encode(&biz.profile.slug), x.id)) {
                                strong { (x.name) }
                                span.muted { (t!("book-minutes", count = x.duration_min)) " · " (money(x.price_minor, &x.currency)) }
                                @if !x.description.trim().is_empty() { span.book-desc { (x.description) } }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn chosen_summary(ch: &Chosen, p: &Params) -> Markup {
    html! {
        p.book-chosen {
            strong { (ch.service.name) }
            " · " (t!("book-minutes", count = ch.minutes(p))) " · " (money(ch.gross(p), &ch.service.currency))
        }
    }
}

fn extras_step(biz: &Biz, ch: &Chosen, p: &Params) -> BookPage {
    let action = format!("/book/{}", url_encode(&biz.profile.slug));
    frame(
        biz,
        &t!("book-extras-title"),
        html! {
            (steps(Step::Extras, true))
            (chosen_summary(ch, p))
            form method="get" action=(action) {
                input type="hidden" name="service" value=(p.service);
                @if !p.tz.is_empty() { input type="hidden" name="tz" value=(p.tz); }
                input type="hidden" name="x" value="1";
                fieldset {
                    legend { (t!("book-extras-legend")) }
                    @for x in &ch.extras {
                        label.check {
                            input type="checkbox" name="extra" value=(x.id) checked[p.extras.iter().any(|e| e == x.id.as_str())];
                            span { (x.name) " · +" (t!("book-minutes", count = x.minutes)) " · +" (money(x.price_minor, &ch.service.currency)) }
                        }
                    }
                }
                button type="submit" { (t!("book-continue")) }
            }
            p { a href=(action) { (t!("book-other-service")) } }
        },
    )
}

/// The free times of a week, in the visitor's zone, as buttons; `error` says why the visitor is
/// back here (the time was taken meanwhile).
async fn time_step(
    s: &AppState,
    biz: &Biz,
    ch: &Chosen,
    p: &Params,
    error: Option<String>,
) -> Result<Response, WebError> {
    let action = format!("/book/{}", url_encode(&biz.profile.slug));
    let zone = slots::zone("tz", Some(&p.tz), &biz.profile.time_zone)
        .unwrap_or_else(|_| jiff::tz::TimeZone::get(&biz.profile.time_zone).unwrap_or(jiff::tz::TimeZone::UTC));
    let zone_name = zone.iana_name().unwrap_or("UTC").to_string();
    let (from, week) = week_of(s, &zone, &p.from, ch.service.window_days);
    let query = SlotQuery {
        service_id: p.service.clone(),
        from: Some(from.to_string()),
        to: Some(week.last().copied().unwrap_or(from).to_string()),
        time_zone: Some(zone_name.clone()),
        extras: Some(p.extras.join(",")),
        ..Default::default()
    };
    let free = slots::free(&s.bookings, &biz.ws, &query, true).await.map_err(WebError::page)?;
    let mut q = p.clone();
    q.tz = zone_name.clone();
    let body = html! {
        (steps(Step::Time, !ch.extras.is_empty()))
        (chosen_summary(ch, p))
        @if let Some(e) = &error { p.alert role="alert" { (e) } }
        (zone_form(&action, p, &zone_name))
        (week_of_slots(&action, &q, &free, &week, from, ch.service.window_days, s.app.now().0, &zone, None))
        p { a href=(action) { (t!("book-other-service")) } }
    };
    let status = if error.is_some() { StatusCode::CONFLICT } else { StatusCode::OK };
    Ok(page_response(status, frame(biz, &t!("book-time-title"), body)))
}

/// The first day of the week asked for (today at the earliest) and its seven days.
fn week_of(
    s: &AppState,
    zone: &jiff::tz::TimeZone,
    from: &str,
    window_days: i64,
) -> (jiff::civil::Date, Vec<jiff::civil::Date>) {
    let now = s.app.now().0;
    let today = jiff::Timestamp::from_millisecond(now).map(|t| t.to_zoned(zone.clone()).date()).unwrap_or_default();
    let last = today.checked_add(jiff::Span::new().days(window_days.clamp(0, 3650))).unwrap_or(today);
    let asked: Option<jiff::civil::Date> = from.parse().ok();
    let start = asked.filter(|d| *d >= today && *d <= last).unwrap_or(today);
    let week = (0..7).filter_map(|i| start.checked_add(jiff::Span::new().days(i)).ok()).collect();
    (start, week)
}

fn zone_form(action: &str, p: &Params, zone: &str) -> Markup {
    let auto = p.tz.is_empty();
    html! {
        form.book-zone method="get" action=(action) data-tz-auto=[auto.then_some("1")] {
            input type="hidden" name="service" value=(p.service);
            @for x in &p.extras { input type="hidden" name="extra" value=(x); }
            @if p.extras_done { input type="hidden" name="x" value="1"; }
            @if !p.from.is_empty() { input type="hidden" name="from" value=(p.from); }
            label for="tz" { (t!("book-zone")) }
            div.book-row {
                select id="tz" name="tz" {
                    @for z in frontdesk_core::profile::time_zones() {
                        option value=(z) selected[z == zone] { (z) }
                    }
                }
                button.secondary type="submit" { (t!("book-zone-show")) }
            }
        }
    }
}

/// A week of free times as buttons (`name="start"`) in a form for `action`; the week's links
/// before and after. `method` is `get` for the booking page, `post` for a reschedule.
#[allow(clippy::too_many_arguments)]
fn week_of_slots(
    action: &str,
    p: &Params,
    free: &[FreeSlot],
    week: &[jiff::civil::Date],
    from: jiff::civil::Date,
    window_days: i64,
    now: i64,
    zone: &jiff::tz::TimeZone,
    post_to: Option<&str>,
) -> Markup {
    let today = jiff::Timestamp::from_millisecond(now).map(|t| t.to_zoned(zone.clone()).date()).unwrap_or(from);
    let last = today.checked_add(jiff::Span::new().days(window_days.clamp(0, 3650))).unwrap_or(today);
    let prev = from
        .checked_sub(jiff::Span::new().days(7))
        .ok()
        .map(|d| if d < today { today } else { d })
        .filter(|_| from > today);
    let next = from.checked_add(jiff::Span::new().days(7)).ok().filter(|d| *d <= last);
    let link = |d: jiff::civil::Date| match post_to {
        Some(base) => format!("{base}?from={d}"),
        None => format!("{action}?{}", p.query(&d.to_string())),
    };
    html! {
        @if free.is_empty() {
            p.empty { (t!("book-no-times")) }
        } @else {
            form method=(if post_to.is_some() { "post" } else { "get" }) action=(action) {
                @if post_to.is_none() { (p.hidden(false)) }
                @for d in week {
                    @let day = d.to_string();
                    @let list: Vec<&FreeSlot> = free.iter().filter(|x| x.start.starts_with(&day)).collect();
                    @if !list.is_empty() {
                        h3 id=(format!("d-{day}")) { (day_label(*d)) }
                        div.book-slots role="group" aria-labelledby=(format!("d-{day}")) {
                            @for x in list {
                                button.secondary type="submit" name="start" value=(x.start) { (x.start.get(11..16).unwrap_or("")) }
                            }
                        }
                    }
                }
            }
        }
        nav.book-weeks aria-label=(t!("book-weeks")) {
            @if let Some(d) = prev { a href=(link(d)) { "← " (t!("book-earlier")) } }
            @if let Some(d) = next { a href=(link(d)) { (t!("book-later")) " →" } }
        }
    }
}

fn input(
    errs: &Errors,
    name: &str,
    label: &str,
    kind: &str,
    value: &str,
    autocomplete: &str,
    required: bool,
) -> Markup {
    let err = errs.of(name);
    let err_id = format!("{name}-error");
    html! {
        label for=(name) { (label) @if !required { " " span.muted { (t!("book-optional")) } } }
        input id=(name) name=(name) type=(kind) value=(value) autocomplete=(autocomplete) required[required]
            aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| err_id.as_str())];
        @if let Some(m) = err { p.error id=(err_id) { (m) } }
    }
}

fn question(errs: &Errors, r: &Requirement, p: &Params) -> Markup {
    let name = format!("q_{}", r.id);
    let err = errs.of(&name);
    let err_id = format!("{name}-error");
    let value = p.answer(r.id.as_str());
    let choices: Vec<String> = serde_json::from_str(&r.choices).unwrap_or_default();
    html! {
        @match r.kind.as_str() {
            "checkbox" => {
                label.check {
                    input type="checkbox" id=(name) name=(name) value="true" checked[value == "true"] required[r.required]
                        aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| err_id.as_str())];
                    span { (r.label) }
                }
            },
            "choice" => {
                label for=(name) { (r.label) @if !r.required { " " span.muted { (t!("book-optional")) } } }
                select id=(name) name=(name) required[r.required]
                    aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| err_id.as_str())] {
                    option value="" { (t!("book-choose")) }
                    @for c in &choices { option value=(c) selected[c == value] { (c) } }
                }
            },
            _ => {
                label for=(name) { (r.label) @if !r.required { " " span.muted { (t!("book-optional")) } } }
                textarea id=(name) name=(name) rows="2" required[r.required]
                    aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| err_id.as_str())] { (value) }
            }
        }
        @if let Some(m) = err { p.error id=(err_id) { (m) } }
    }
}

fn details_step(biz: &Biz, ch: &Chosen, p: &Params, errs: &Errors) -> BookPage {
    let action = format!("/book/{}", url_encode(&biz.profile.slug));
    let start = Timestamp::parse_rfc3339(&p.start).map(|x| x.0).unwrap_or(0);
    let zone = if p.tz.is_empty() { biz.profile.time_zone.clone() } else { p.tz.clone() };
    let back = format!("{action}?{}", p.query(p.start.get(..10).unwrap_or("")));
    frame(
        biz,
        &t!("book-details-title"),
        html! {
            (steps(Step::Details, !ch.extras.is_empty()))
            (chosen_summary(ch, p))
            p { (when(&zone, start, start)) " · " a href=(back) { (t!("book-other-time")) } }
            @if let Some(g) = &errs.general { p.alert role="alert" { (g) } }
            form method="post" action=(action) novalidate {
                (p.hidden(true))
                input type="hidden" name="visitor" value=(p.visitor);
                input type="hidden" name="step" value="review";
                (input(errs, "name", &t!("book-name"), "text", &p.name, "name", true))
                (input(errs, "email", &t!("book-email"), "email", &p.email, "email", true))
                (input(errs, "phone", &t!("book-phone"), "tel", &p.phone, "tel", false))
                @if !ch.reqs.is_empty() {
                    fieldset {
                        legend { (t!("book-questions")) }
                        @for r in &ch.reqs { (question(errs, r, p)) }
                    }
                }
                (input(errs, "coupon", &t!("book-coupon"), "text", &p.coupon, "off", false))
                // The honeypot: off screen and out of the tab order; a person never fills it.
                div.book-hp aria-hidden="true" {
                    label for="website" { (t!("book-hp")) }
                    input id="website" name="website" type="text" tabindex="-1" autocomplete="off" value=(p.website);
                }
                p { button type="submit" { (t!("book-review")) } }
            }
        },
    )
}

/// The details checked as far as a page can before booking (the engine checks again).
async fn check_details(s: &AppState, biz: &Biz, ch: &Chosen, p: &Params) -> (Errors, i64) {
    let mut errs = Errors::default();
    if p.name.is_empty() {
        errs.add("name", &AppError::invalid("name", "required", "Give your name."));
    } else if p.name.chars().count() > 120 {
        errs.add("name", &AppError::invalid("name", "too_long", "At most 120 characters."));
    }
    if p.email.is_empty() {
        errs.add("email", &AppError::invalid("email", "required", "Give your email address."));
    } else if frontdesk_core::Email::parse(&p.email).is_err() {
        errs.add("email", &AppError::invalid("email", "invalid_email", "This is not an email address."));
    }
    if !p.phone.is_empty() && frontdesk_core::phone::e164(&p.phone, biz.profile.country.as_deref()).is_err() {
        errs.add("phone", &AppError::invalid("phone", "invalid_phone", "This is not a phone number."));
    }
    for r in &ch.reqs {
        let v = p.answer(r.id.as_str());
        if r.required && (v.is_empty() || (r.kind == "checkbox" && v != "true")) {
            errs.add(&format!("q_{}", r.id), &AppError::invalid("answers", "required", "Answer this question."));
        }
    }
    let mut discount = 0;
    if !p.coupon.is_empty() {
        match coupon_discount(s, biz, ch, p).await {
            Ok(d) => discount = d,
            Err(e) => errs.add("coupon", &e),
        }
    }
    (errs, discount)
}

/// The discount a coupon would give (its checks as the engine makes them, before booking).
async fn coupon_discount(s: &AppState, biz: &Biz, ch: &Chosen, p: &Params) -> Result<i64, AppError> {
    let mut c = s.app.db.conn().await?;
    let now = s.app.now().0;
    let k = q::coupon_by_code(&mut c, &biz.ws, &p.coupon.to_ascii_uppercase())
        .await?
        .ok_or_else(|| AppError::invalid("coupon", "coupon_unknown", "There is no such coupon."))?;
    if !k.active || k.valid_to.is_some_and(|t| t < now) {
        return Err(AppError::invalid("coupon", "coupon_expired", "This coupon has expired."));
    }
    if k.valid_from.is_some_and(|t| t > now) {
        return Err(AppError::invalid("coupon", "coupon_not_yet_valid", "This coupon is not valid yet."));
    }
    if k.service_id.as_ref().is_some_and(|x| x != &ch.service.id) {
        return Err(AppError::invalid("coupon", "coupon_not_for_service", "This coupon is for another service."));
    }
    if k.max_uses.is_some_and(|m| k.uses >= m) {
        return Err(AppError::invalid("coupon", "coupon_used_up", "This coupon has been used up."));
    }
    Ok(catalog::discount(&k, ch.gross(p)))
}

fn review_step(
    biz: &Biz,
    ch: &Chosen,
    p: &Params,
    (discount, pays): (i64, bool),
    captcha: Option<&CaptchaSettings>,
    error: Option<&str>,
) -> BookPage {
    let action = format!("/book/{}", url_encode(&biz.profile.slug));
    let start = Timestamp::parse_rfc3339(&p.start).map(|x| x.0).unwrap_or(0);
    let zone = if p.tz.is_empty() { biz.profile.time_zone.clone() } else { p.tz.clone() };
    let cur = &ch.service.currency;
    let gross = ch.gross(p);
    let key = if p.key.is_empty() { frontdesk_platform::crypto::random_token() } else { p.key.clone() };
    frame(
        biz,
        &t!("book-review-title"),
        html! {
            (steps(Step::Confirm, !ch.extras.is_empty()))
            dl.book-summary {
                dt { (t!("book-step-service")) } dd { (ch.service.name) }
                @let extras: Vec<&Extra> = ch.chosen_extras(p).collect();
                @if !extras.is_empty() {
                    dt { (t!("book-step-extras")) }
                    dd { @for (i, x) in extras.iter().enumerate() { @if i > 0 { ", " } (x.name) } }
                }
                dt { (t!("book-when")) } dd { (when(&zone, start, start)) }
                dt { (t!("book-name")) } dd.book-wrap { (p.name) }
                dt { (t!("book-email")) } dd.book-wrap { (p.email) }
                @if !p.phone.is_empty() { dt { (t!("book-phone")) } dd { (p.phone) } }
                @for r in &ch.reqs {
                    @let v = p.answer(r.id.as_str());
                    @if !v.is_empty() {
                        dt { (r.label) }
                        dd.book-wrap { @if r.kind == "checkbox" { (t!("book-yes")) } @else { (v) } }
                    }
                }
                @if discount > 0 {
                    dt { (t!("book-price")) } dd { (money(gross, cur)) }
                    dt { (t!("book-discount")) } dd { "−" (money(discount, cur)) }
                }
                dt { (t!("book-total")) } dd { strong { (money(gross - discount, cur)) } }
            }
            @if ch.service.requires_confirmation { p.muted { (t!("book-needs-confirmation")) } }
            @let due = frontdesk_billing::pay::due(&ch.service, gross - discount);
            @if pays && due > 0 {
                p.notice #book-pay-note {
                    @if ch.service.payment == "full" { (t!("book-pay-full", amount = money(due, cur))) }
                    @else { (t!("book-pay-deposit", amount = money(due, cur))) }
                }
            }
            @if let Some(e) = error { p.error #captcha-error role="alert" { (e) } }
            form method="post" action=(action) {
                (p.hidden_details())
                input type="hidden" name="key" value=(key);
                @if let Some(k) = captcha {
                    div.cf-turnstile.book-captcha data-sitekey=(k.site_key) data-language=(lang().code()) {}
                    script src=(k.script_url) async defer {}
                }
                div.book-row {
                    button type="submit" name="step" value="confirm" { (t!("book-confirm")) }
                    button.secondary type="submit" name="step" value="edit" { (t!("book-edit")) }
                }
            }
        },
    )
}

async fn booking_post(
    State(s): State<AppState>,
    Path(slug): Path<String>,
    ClientInfo(client): ClientInfo,
    headers: HeaderMap,
    uri: axum::http::Uri,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Response {
    let biz = match find(&s, &slug).await {
        Ok(Found::Biz(b)) => b,
        Ok(Found::Moved(to)) => return moved(&to, "", uri.query()),
        Err(e) => return e.into_response(),
    };
    let mut p = Params::parse(pairs);
    if p.visitor.is_empty() {
        p.visitor = visitor_of(&headers).unwrap_or_default();
    }
    match post_step(&s, &biz, p, &client).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn post_step(
    s: &AppState,
    biz: &Biz,
    mut p: Params,
    client: &frontdesk_platform::auth::Client,
) -> Result<Response, WebError> {
    let Some(ch) = chosen(s, &biz.ws, &p.service).await? else {
        return Ok(page_response(StatusCode::OK, services_step(biz, &public_services(s, &biz.ws).await?)));
    };
    p.extras.retain(|e| ch.extras.iter().any(|x| x.id.as_str() == e));
    if Timestamp::parse_rfc3339(&p.start).is_none() {
        return time_step(s, biz, &ch, &p, None).await;
    }
    if p.step == "edit" {
        return Ok(page_response(StatusCode::OK, details_step(biz, &ch, &p, &Errors::default())));
    }
    let (errs, discount) = check_details(s, biz, &ch, &p).await;
    let captcha = platform(s).settings.captcha.as_ref();
    if !errs.is_empty() {
        return Ok(page_response(StatusCode::UNPROCESSABLE_ENTITY, details_step(biz, &ch, &p, &errs)));
    }
    let pays = frontdesk_billing::pay::takes_payment(&s.billing, &biz.ws, &ch.service).await.map_err(WebError::page)?;
    if p.step != "confirm" {
        return Ok(page_response(StatusCode::OK, review_step(biz, &ch, &p, (discount, pays), captcha, None)));
    }
    let pf = platform(s);
    pf.limits.check(pf.clock.as_ref(), "book", &client.ip, None).map_err(WebError::page)?;
    if let Err(e) = frontdesk_platform::captcha::verify(pf, Some(&p.captcha), &client.ip).await {
        let text = Errors::text(&e);
        let status = status_of(e.kind);
        return Ok(page_response(status, review_step(biz, &ch, &p, (discount, pays), captcha, Some(&text))));
    }
    if !p.website.is_empty() {
        // A bot filled the field people never see: it is told it booked, and nothing is booked.
        tracing::info!("booking honeypot filled; nothing booked");
        return Ok(page_response(StatusCode::OK, pretend_booked(biz)));
    }
    let input = BookingInput {
        service_id: p.service.clone(),
        start: p.start.clone(),
        time_zone: (!p.tz.is_empty()).then(|| p.tz.clone()),
        extras: p.extras.clone(),
        answers: ch
            .reqs
            .iter()
            .filter_map(|r| {
                let v = p.answer(r.id.as_str());
                (!v.is_empty()).then(|| AnswerInput { requirement_id: r.id.to_string(), value: v.to_string() })
            })
            .collect(),
        coupon: (!p.coupon.is_empty()).then(|| p.coupon.clone()),
        customer: Some(CustomerInput {
            name: p.name.clone(),
            email: Some(p.email.clone()),
            phone: (!p.phone.is_empty()).then(|| p.phone.clone()),
        }),
        ..Default::default()
    };
    let key = (!p.key.is_empty()).then(|| p.key.clone());
    let actor = Actor::anonymous(Some(&client.ip));
    let visitor = (!p.visitor.is_empty()).then(|| p.visitor.clone());
    let origin = Origin { actor: &actor, visitor: visitor.as_deref(), ip: Some(&client.ip) };
    // A service that asks for a deposit or the full price holds the slot until it is paid.
    let input = BookingInput { hold: pays, ..input };
    match book::create_in(&s.bookings, &biz.ws, &origin, &input, key.as_deref(), Some(lang())).await {
        Ok((bk, _)) if bk.status == "hold" => {
            match frontdesk_billing::pay::start_for_booking(&s.billing, &biz.ws, &bk, lang())
                .await
                .map_err(WebError::page)?
            {
                Some(pay) => {
                    Ok(Redirect::to(&format!("/pay/{}", frontdesk_billing::pay::token(pf, &pay))).into_response())
                }
                None => Ok(Redirect::to(&format!("/book/manage/{}?booked=1", manage::token(pf, &bk))).into_response()),
            }
        }
        Ok((bk, _)) => {
            let to = format!("/book/manage/{}?booked=1", manage::token(pf, &bk));
            Ok(Redirect::to(&to).into_response())
        }
        Err(e)
            if matches!(
                e.code,
                "slot_taken" | "class_full" | "in_the_past" | "too_soon" | "outside_booking_window"
            ) =>
        {
            let text = Errors::text(&e);
            p.start.clear();
            time_step(s, biz, &ch, &p, Some(text)).await
        }
        Err(e) => match e.kind {
            frontdesk_platform::error::ErrorKind::Invalid | frontdesk_platform::error::ErrorKind::Conflict => {
                Ok(page_response(status_of(e.kind), details_step(biz, &ch, &p, &Errors::from_engine(&e))))
            }
            _ => Err(WebError::page(e)),
        },
    }
}

fn pretend_booked(biz: &Biz) -> BookPage {
    frame(biz, &t!("book-booked-title"), html! { p.notice role="status" { (t!("book-booked-received")) } })
}

async fn logo(State(s): State<AppState>, Path(slug): Path<String>) -> Response {
    let biz = match find(&s, &slug).await {
        Ok(Found::Biz(b)) => b,
        Ok(Found::Moved(to)) => return moved(&to, "/logo", None),
        Err(e) => return e.into_response(),
    };
    match profile::logo(platform(&s), &biz.ws).await {
        Ok(Some((bytes, mime))) => (
            [
                (header::CONTENT_TYPE, mime),
                (header::CACHE_CONTROL, "public, max-age=3600".to_string()),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => WebError::page(AppError::not_found("The logo")).into_response(),
        Err(e) => WebError::page(e).into_response(),
    }
}

// The manage page.

#[derive(serde::Deserialize, Default)]
struct ManageQuery {
    #[serde(default)]
    booked: Option<String>,
    #[serde(default)]
    moved: Option<String>,
    #[serde(default)]
    from: Option<String>,
}

async fn opened(s: &AppState, token: &str) -> Result<(Booking, Biz), WebError> {
    let bk = manage::open(&s.bookings, token).await.map_err(WebError::page)?;
    let biz = business_of(s, &bk.workspace_id).await?;
    Ok((bk, biz))
}

fn live(bk: &Booking) -> bool {
    matches!(bk.status.as_str(), "hold" | "pending" | "confirmed")
}

async fn manage_page(State(s): State<AppState>, Path(token): Path<String>, Query(mq): Query<ManageQuery>) -> Response {
    match manage_view(&s, &token, &mq, None, StatusCode::OK).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn manage_view(
    s: &AppState,
    token: &str,
    mq: &ManageQuery,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let (bk, biz) = opened(s, token).await?;
    let now = s.app.now().0;
    let db = |e: sqlx::Error| WebError::page(e.into());
    let mut c = s.app.db.conn().await.map_err(|e| WebError::page(e.into()))?;
    let service = q::service(&mut c, &bk.workspace_id, &bk.service_id).await.map_err(db)?.ok_or_else(not_found)?;
    let email = match &bk.contact_id {
        Some(cid) => frontdesk_inbox::repo::inbox::contact(&mut c, &bk.workspace_id, cid)
            .await
            .map_err(db)?
            .and_then(|k| k.email),
        None => None,
    };
    drop(c);
    let base = format!("/book/manage/{token}");
    let zone = jiff::tz::TimeZone::get(&bk.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let movable = live(&bk) && bk.starts_at > now;
    let slots_markup = if movable && service.active && !service.hidden {
        let p = Params { tz: bk.time_zone.clone(), ..Default::default() };
        let (from, week) = week_of(s, &zone, mq.from.as_deref().unwrap_or(""), service.window_days);
        let extras: Vec<String> = serde_json::from_str(&bk.extras).unwrap_or_default();
        let query = SlotQuery {
            service_id: service.id.to_string(),
            from: Some(from.to_string()),
            to: Some(week.last().copied().unwrap_or(from).to_string()),
            time_zone: Some(bk.time_zone.clone()),
            seats: Some(bk.seats),
            extras: Some(extras.join(",")),
            ..Default::default()
        };
        let free = slots::free(&s.bookings, &bk.workspace_id, &query, true).await.unwrap_or_default();
        Some(week_of_slots(
            &format!("{base}/reschedule"),
            &p,
            &free,
            &week,
            from,
            service.window_days,
            now,
            &zone,
            Some(&base),
        ))
    } else {
        None
    };
    let deadline = bk.starts_at - service.cancel_notice_min * Timestamp::MINUTE;
    let status_text = match bk.status.as_str() {
        "confirmed" => t!("book-status-confirmed"),
        "pending" => t!("book-status-pending"),
        "hold" => t!("book-status-hold"),
        "cancelled" => t!("book-status-cancelled"),
        "declined" => t!("book-status-declined"),
        "completed" => t!("book-status-completed"),
        "no_show" => t!("book-status-no-show"),
        _ => t!("book-status-expired"),
    };
    let link = format!("{}{base}", platform(s).settings.base_url.trim_end_matches('/'));
    let body = html! {
        @if mq.booked.is_some() {
            div.notice role="status" {
                p { strong { (if bk.status == "pending" { t!("book-booked-pending") } else { t!("book-booked") }) } }
                @if let Some(e) = &email { p { (t!("book-booked-mailed", email = e.as_str())) } }
                p { (t!("book-keep-link")) }
                p.book-wrap { a href=(base) { (link) } }
            }
        }
        @if mq.moved.is_some() { p.notice role="status" { (t!("book-moved")) } }
        @if let Some(e) = &error { p.alert role="alert" { (e) } }
        dl.book-summary {
            dt { (t!("book-step-service")) } dd { (service.name) }
            dt { (t!("book-when")) } dd { (when(&bk.time_zone, now, bk.starts_at)) }
            dt { (t!("book-status")) } dd { (status_text) }
            dt { (t!("book-total")) } dd { (money(bk.total_minor, &bk.currency)) }
        }
        p { a.button.secondary href=(format!("{base}/ics")) download="booking.ics" { (t!("book-add-calendar")) } }
        @if let Some(m) = slots_markup {
            section aria-labelledby="move-h" {
                h2 id="move-h" { (t!("book-move-title")) }
                p.muted { (t!("book-move-hint", zone = bk.time_zone.as_str())) }
                (m)
            }
        }
        @if live(&bk) {
            section aria-labelledby="cancel-h" {
                h2 id="cancel-h" { (t!("book-cancel-title")) }
                @if service.cancel_notice_min > 0 {
                    p.muted { (t!("book-cancel-until", time = when(&bk.time_zone, now, deadline))) }
                }
                form method="post" action=(format!("{base}/cancel")) data-confirm=(t!("book-cancel-ask")) {
                    button.danger type="submit" { (t!("book-cancel")) }
                }
            }
        }
        p { a href=(format!("/book/{}", url_encode(&biz.profile.slug))) { (t!("book-again")) } }
    };
    Ok(page_response(status, frame(&biz, &t!("book-manage-title"), body)))
}

async fn reschedule(
    State(s): State<AppState>,
    Path(token): Path<String>,
    ClientInfo(client): ClientInfo,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Response {
    let p = Params::parse(pairs);
    let run = async {
        let pf = platform(&s);
        pf.limits.check(pf.clock.as_ref(), "book", &client.ip, None).map_err(WebError::page)?;
        let (bk, _) = opened(&s, &token).await?;
        let actor = Actor::anonymous(Some(&client.ip));
        match book::reschedule(&s.bookings, &bk.workspace_id, &actor, bk.id.as_str(), &p.start, &[]).await {
            Ok(_) => Ok(Redirect::to(&format!("/book/manage/{token}?moved=1")).into_response()),
            Err(e) => match crate::kit::error::refusal(e) {
                Ok((status, text)) => manage_view(&s, &token, &ManageQuery::default(), Some(text), status).await,
                Err(e) => Err(e),
            },
        }
    };
    run.await.unwrap_or_else(IntoResponse::into_response)
}

async fn cancel(State(s): State<AppState>, Path(token): Path<String>, ClientInfo(client): ClientInfo) -> Response {
    let run = async {
        let pf = platform(&s);
        pf.limits.check(pf.clock.as_ref(), "book", &client.ip, None).map_err(WebError::page)?;
        let (bk, biz) = opened(&s, &token).await?;
        let actor = Actor::anonymous(Some(&client.ip));
        match book::change(&s.bookings, &bk.workspace_id, &actor, bk.id.as_str(), Change::CustomerCancel, None).await {
            Ok(_) => {
                // The link is dead now (its version moved on): the answer is this page, not it.
                let body = html! {
                    p.notice role="status" { (t!("book-cancelled")) }
                    p { a href=(format!("/book/{}", url_encode(&biz.profile.slug))) { (t!("book-again")) } }
                };
                Ok(page_response(StatusCode::OK, frame(&biz, &t!("book-cancelled-title"), body)))
            }
            Err(e) => match crate::kit::error::refusal(e) {
                Ok((status, text)) => manage_view(&s, &token, &ManageQuery::default(), Some(text), status).await,
                Err(e) => Err(e),
            },
        }
    };
    run.await.unwrap_or_else(IntoResponse::into_response)
}

async fn feed(State(s): State<AppState>, Path(token): Path<String>) -> Response {
    match frontdesk_bookings::feeds::feed(&s.bookings, &token).await {
        Ok(text) => (
            [(header::CONTENT_TYPE, "text/calendar; charset=utf-8"), (header::CACHE_CONTROL, "private, max-age=300")],
            text,
        )
            .into_response(),
        Err(e) => WebError::page(e).into_response(),
    }
}

async fn ics(State(s): State<AppState>, Path(token): Path<String>) -> Response {
    let run = async {
        let bk = manage::open(&s.bookings, &token).await.map_err(WebError::page)?;
        let mut c = s.app.db.conn().await.map_err(|e| WebError::page(e.into()))?;
        let file = notify::calendar_file(&s.bookings, &mut c, &bk, lang()).await.map_err(WebError::page)?;
        Ok::<_, WebError>(
            (
                [
                    (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                    (header::CONTENT_DISPOSITION, "attachment; filename=\"booking.ics\""),
                ],
                file,
            )
                .into_response(),
        )
    };
    run.await.unwrap_or_else(IntoResponse::into_response)
}
