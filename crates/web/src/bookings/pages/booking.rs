//! One booking: its details, answers (sensitive ones marked) and history, with the actions its
//! status allows; and booking a slot for a customer: a service and a date, its free times, the
//! customer (a contact found by search, or a new one), the service's questions.

use super::{
    clock, customer_of, customers, date_title, field, is_gone, money, resource_names, status_name, today, zone_of,
    zoned, Fields,
};
use crate::kit::body::PageForm;
use crate::kit::error::{status_of, WebError};
use crate::kit::extract::{page_access as access, ClientInfo, PageUser};
use crate::kit::layout::{url_encode, FormErrors};
use crate::kit::shell::{Nav, Shell};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use frontdesk_bookings::book::{self, AnswerInput, BookingInput, Change, CustomerInput, Origin};
use frontdesk_bookings::catalog;
use frontdesk_bookings::repo::{Requirement, Service};
use frontdesk_bookings::slots::{self, FreeSlot, SlotQuery};
use frontdesk_core::{Action, ContactId, Timestamp};
use frontdesk_i18n::t;
use frontdesk_platform::auth::SignedIn;
use frontdesk_platform::error::ErrorKind;
use frontdesk_platform::workspaces::Access;
use frontdesk_platform::AppError;
use jiff::civil::Date;
use maud::{html, Markup};

/// A free slot as a form sends it back: its start and the resources it takes.
fn slot_value(f: &FreeSlot) -> String {
    let ids: Vec<&str> = f.resources.iter().map(|r| r.id.as_str()).collect();
    format!("{}|{}", f.start, ids.join(","))
}

fn slot_of(raw: &str) -> (String, Vec<String>) {
    let (start, ids) = raw.split_once('|').unwrap_or((raw, ""));
    (start.trim().to_string(), ids.split(',').map(str::trim).filter(|x| !x.is_empty()).map(str::to_string).collect())
}

/// The extras chosen in a form (`x_{id}` checkboxes).
fn extras_of(f: &Fields) -> Vec<String> {
    let mut v: Vec<String> = f.keys().filter_map(|k| k.strip_prefix("x_")).map(str::to_string).collect();
    v.sort();
    v
}

/// A slot's time and resources: `10:00–11:00 · Ana, Chair 1`.
fn slot_label(tz: &jiff::tz::TimeZone, f: &FreeSlot) -> String {
    let at = |s: &str| Timestamp::parse_rfc3339(s).map(|t| clock(tz, t.0)).unwrap_or_default();
    let names: Vec<&str> = f.resources.iter().map(|r| r.name.as_str()).collect();
    format!("{}–{} · {}", at(&f.start), at(&f.end), names.join(", "))
}

/// What to look for: a service's free slots on a date, in the page's zone.
fn slot_query(
    tz: &str,
    service: &Service,
    date: Date,
    resource: &str,
    extras: &[String],
    counts: (i64, i64),
) -> SlotQuery {
    SlotQuery {
        service_id: service.id.to_string(),
        from: Some(date.to_string()),
        to: Some(date.to_string()),
        time_zone: Some(tz.to_string()),
        resource_id: Some(resource.to_string()).filter(|r| !r.is_empty()),
        seats: Some(counts.0),
        quantity: Some(counts.1),
        extras: Some(extras.join(",")).filter(|x| !x.is_empty()),
    }
}

/// A radio list of free slots (`slot`), with its error beside it.
fn slot_list(
    tz: &jiff::tz::TimeZone,
    list: &Result<Vec<FreeSlot>, AppError>,
    errors: &FormErrors,
    chosen: &str,
) -> Markup {
    let err = errors.of("start");
    html! {
        fieldset #slots aria-describedby=[err.map(|_| "slots-error")] {
            legend { (t!("bookings-free-times")) }
            @match list {
                Ok(v) if v.is_empty() => { p.muted #no-slots { (t!("bookings-no-free-times")) } }
                Ok(v) => {
                    div.slot-grid {
                        @for f in v {
                            @let value = slot_value(f);
                            label.check { input type="radio" name="slot" value=(value) checked[value == chosen] required; (slot_label(tz, f)) }
                        }
                    }
                }
                Err(e) => { p.error { (frontdesk_i18n::error_text(frontdesk_i18n::current(), e.code, &e.message)) } }
            }
            @if let Some(m) = err { p.error #slots-error role="alert" { (m) } }
        }
    }
}

fn row_input(
    errors: &FormErrors,
    key: &'static str,
    id: &str,
    name: &str,
    label: &str,
    kind: &str,
    value: &str,
) -> Markup {
    let err = errors.of(key);
    let err_id = format!("{id}-error");
    html! {
        div.form-row {
            label for=(id) { (label) }
            input id=(id) name=(name) type=(kind) value=(value) aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| err_id.as_str())];
            @if let Some(m) = err { p.error id=(err_id) { (m) } }
        }
    }
}

pub async fn new_page(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    Query(f): Query<Fields>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageBookings).await?;
    render_new(&s, &u, &a, &f, &FormErrors::default()).await
}

async fn render_new(
    s: &AppState,
    u: &SignedIn,
    a: &Access,
    f: &Fields,
    errors: &FormErrors,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let w = a.workspace.id.as_str();
    let zone = sh.times.time_zone().to_string();
    let tz = zone_of(&zone);
    let services: Vec<(Service, Vec<Vec<frontdesk_core::ResourceId>>)> = catalog::services(&s.bookings, a)
        .await
        .map_err(WebError::page)?
        .into_iter()
        .filter(|(x, _)| x.active)
        .collect();
    let resources = catalog::resources(&s.bookings, a).await.map_err(WebError::page)?;
    // The service asked for; the only one, when there is one.
    let chosen = match services.as_slice() {
        [only] if field(f, "service").is_empty() => Some(only),
        _ => services.iter().find(|(x, _)| x.id.as_str() == field(f, "service")),
    };
    let service_id = chosen.map(|(x, _)| x.id.to_string()).unwrap_or_default();
    let date = field(f, "date").parse::<Date>().unwrap_or_else(|_| today(&tz, s.app.now().0));
    let resource = field(f, "resource");
    let contact_id = field(f, "contact");
    // The conversation the booking is made from (its confirmation is sent there).
    let thread = field(f, "thread");
    let fixed = match ContactId::parse(contact_id) {
        Some(id) if f.contains_key("fixed") || !f.contains_key("q") => {
            let mut c = s.app.db.conn().await.map_err(|e| WebError::page(e.into()))?;
            frontdesk_inbox::repo::inbox::contact(&mut c, &a.workspace.id, &id)
                .await
                .map_err(|e| WebError::page(e.into()))?
        }
        _ => None,
    };
    let search = field(f, "q");
    let found = if fixed.is_none() && !search.is_empty() {
        let filter = frontdesk_inbox::contacts::ListFilter { text: Some(search.to_string()), ..Default::default() };
        frontdesk_inbox::contacts::list(&s.app, a, &filter, frontdesk_inbox::contacts::ListSort::Name, 1)
            .await
            .map_err(WebError::page)?
            .rows
            .into_iter()
            .take(10)
            .map(|(l, _)| l.contact)
            .collect()
    } else {
        vec![]
    };
    let (extras, picked, questions, free) = match chosen {
        Some((svc, _)) => {
            let (_, ex) = catalog::extras(&s.bookings, a, svc.id.as_str()).await.map_err(WebError::page)?;
            let ex: Vec<_> = ex.into_iter().filter(|x| x.active).collect();
            // Extras of a service chosen before fall away.
            let picked: Vec<String> =
                extras_of(f).into_iter().filter(|id| ex.iter().any(|x| x.id.as_str() == id)).collect();
            let qs = catalog::requirements(&s.bookings, a, svc.id.as_str()).await.map_err(WebError::page)?;
            let free =
                slots::for_access(&s.bookings, a, &slot_query(&zone, svc, date, resource, &picked, (1, 1))).await;
            (ex, picked, qs, Some(free))
        }
        None => (vec![], vec![], vec![], None),
    };
    let in_groups =
        |r: &&frontdesk_bookings::repo::Resource| chosen.is_some_and(|(_, g)| g.iter().flatten().any(|id| id == &r.id));
    let base = |extra: &str| {
        let mut q = format!("/w/{w}/bookings/new?date={date}");
        for (k, v) in [("service", service_id.as_str()), ("resource", resource)] {
            if !v.is_empty() {
                q.push_str(&format!("&{k}={}", url_encode(v)));
            }
        }
        for x in &picked {
            q.push_str(&format!("&x_{}=on", url_encode(x)));
        }
        q.push_str(extra);
        q
    };
    let hidden = |with_contact: bool| {
        html! {
            input type="hidden" name="service" value=(service_id);
            input type="hidden" name="date" value=(date);
            input type="hidden" name="resource" value=(resource);
            @for x in &picked { input type="hidden" name={ "x_" (x) } value="on"; }
            @if with_contact { @if let Some(k) = &fixed { input type="hidden" name="contact" value=(k.id); input type="hidden" name="fixed" value="1"; @if !thread.is_empty() { input type="hidden" name="thread" value=(thread); } } }
        }
    };
    let service_err = errors.of("service_id");
    let customer_err = errors.of("customer").or(errors.of("contact_id"));
    let answers_err = errors.of("answers");
    Ok(sh.page(
        &t!("bookings-new-title"),
        Nav::Bookings,
        html! {
            p { a href={ "/w/" (w) "/bookings?date=" (date) } { (t!("bookings-back")) } }
            (errors.summary())
            @if services.is_empty() {
                div.card.empty {
                    strong { (t!("bookings-no-services")) }
                    @if frontdesk_core::role::allows(a.role, Action::ManageCatalog) { a href={ "/w/" (w) "/settings/services" } { (t!("bookings-add-services")) } }
                }
            } @else {
                form.card #pick-form method="get" action={ "/w/" (w) "/bookings/new" } aria-label=(t!("bookings-pick")) {
                    @if let Some(k) = &fixed { input type="hidden" name="contact" value=(k.id); input type="hidden" name="fixed" value="1"; @if !thread.is_empty() { input type="hidden" name="thread" value=(thread); } }
                    div.form-row {
                        label for="b-service" { (t!("bookings-service")) }
                        select #b-service name="service" aria-invalid=[service_err.map(|_| "true")] aria-describedby=[service_err.map(|_| "b-service-error")] {
                            option value="" { (t!("bookings-choose-service")) }
                            @for (x, _) in &services { option value=(x.id) selected[chosen.is_some_and(|(c, _)| c.id == x.id)] { (x.name) } }
                        }
                        @if let Some(m) = service_err { p.error #b-service-error { (m) } }
                    }
                    label for="b-date" { (t!("bookings-date-label")) }
                    input #b-date type="date" name="date" value=(date);
                    @if chosen.is_some() {
                        label for="b-resource" { (t!("bookings-with")) }
                        select #b-resource name="resource" {
                            option value="" { (t!("bookings-anyone")) }
                            @for r in resources.iter().filter(|r| r.active).filter(in_groups) { option value=(r.id) selected[r.id.as_str() == resource] { (r.name) } }
                        }
                        @if !extras.is_empty() {
                            fieldset {
                                legend { (t!("bookings-extras")) }
                                @for x in &extras {
                                    label.check { input type="checkbox" name={ "x_" (x.id) } value="on" checked[f.contains_key(&format!("x_{}", x.id))];
                                        (x.name) @if x.minutes > 0 { " · " (t!("bookings-minutes", count = x.minutes)) } @if x.price_minor > 0 { " · " (money(x.price_minor, &chosen.map(|(c, _)| c.currency.clone()).unwrap_or_default())) } }
                                }
                            }
                        }
                    }
                    button.secondary type="submit" { (t!("bookings-show-times")) }
                }
                @if let (Some((svc, _)), Some(free)) = (chosen, &free) {
                    form.card #book-form method="post" action={ "/w/" (w) "/bookings" } {
                        (hidden(true))
                        h2 { (svc.name) " · " (date_title(date)) }
                        (slot_list(&tz, free, errors, field(f, "slot")))
                        fieldset #customer aria-describedby=[customer_err.map(|_| "customer-error")] {
                            legend { (t!("bookings-customer")) }
                            @if let Some(k) = &fixed {
                                p #fixed-contact { strong { (frontdesk_inbox::threads::contact_label(k)) }
                                    @if let Some(p) = &k.phone { " · " (p) } @if let Some(e) = &k.email { " · " (e) } }
                                p { a href=(base("")) { (t!("bookings-someone-else")) } }
                            } @else {
                                label for="b-q" { (t!("bookings-find-customer")) }
                                div.search-row {
                                    input #b-q type="search" name="q" form="find-customer" value=(search) placeholder=(t!("bookings-find-placeholder"));
                                    button.secondary.small type="submit" form="find-customer" { (t!("bookings-search")) }
                                }
                                @if !search.is_empty() && found.is_empty() { p.muted.small { (t!("bookings-nobody-found")) } }
                                @for k in &found {
                                    label.check { input type="radio" name="contact" value=(k.id) checked[contact_id == k.id.as_str()];
                                        (frontdesk_inbox::threads::contact_label(k)) @if let Some(p) = &k.phone { " · " (p) } @if let Some(e) = &k.email { " · " (e) } }
                                }
                                label.check { input type="radio" name="contact" value="" checked[ContactId::parse(contact_id).is_none()]; (t!("bookings-new-customer")) }
                                (row_input(errors, "customer.name", "b-name", "name", &t!("bookings-customer-name"), "text", field(f, "name")))
                                (row_input(errors, "customer.phone", "b-phone", "phone", &t!("bookings-customer-phone"), "tel", field(f, "phone")))
                                (row_input(errors, "customer.email", "b-email", "email", &t!("bookings-customer-email"), "email", field(f, "email")))
                            }
                            @if let Some(m) = customer_err { p.error #customer-error role="alert" { (m) } }
                        }
                        @if !questions.is_empty() {
                            fieldset #questions aria-describedby=[answers_err.map(|_| "answers-error")] {
                                legend { (t!("bookings-questions")) }
                                @for r in &questions { (question(f, r)) }
                                @if let Some(m) = answers_err { p.error #answers-error role="alert" { (m) } }
                            }
                        }
                        @let notes_err = errors.of("notes");
                        label for="b-notes" { (t!("bookings-notes")) }
                        textarea #b-notes name="notes" rows="2" maxlength="1000" aria-invalid=[notes_err.map(|_| "true")] aria-describedby=[notes_err.map(|_| "b-notes-error")] { (field(f, "notes")) }
                        @if let Some(m) = notes_err { p.error #b-notes-error { (m) } }
                        button type="submit" { (t!("bookings-book")) }
                    }
                    @if fixed.is_none() {
                        form #find-customer method="get" action={ "/w/" (w) "/bookings/new" } hidden { (hidden(false)) }
                    }
                }
            }
        },
    ))
}

/// One of a service's questions as a field (`a_{id}`).
fn question(f: &Fields, r: &Requirement) -> Markup {
    let name = format!("a_{}", r.id);
    let id = format!("q-{}", r.id);
    let value = field(f, &name);
    let choices: Vec<String> = serde_json::from_str(&r.choices).unwrap_or_default();
    let mark = html! {
        @if r.required { " " span.small.muted { (t!("bookings-required")) } }
        @if r.sensitive { " " span.badge.off { (t!("bookings-sensitive")) } }
    };
    html! {
        div.form-row {
            @match r.kind.as_str() {
                "checkbox" => { label.check { input #(id) type="checkbox" name=(name) value="true" checked[value == "true"]; (r.label) (mark) } }
                "choice" => {
                    label for=(id) { (r.label) (mark) }
                    select #(id) name=(name) required[r.required] {
                        option value="" { "—" }
                        @for c in &choices { option value=(c) selected[c == value] { (c) } }
                    }
                }
                _ => {
                    label for=(id) { (r.label) (mark) }
                    input #(id) type="text" name=(name) value=(value) maxlength="2000" required[r.required];
                }
            }
        }
    }
}

/// A form's answers to the service's questions.
fn answers_of(f: &Fields) -> Vec<AnswerInput> {
    let mut v: Vec<AnswerInput> = f
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("a_").map(|id| (id, v)))
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(id, v)| AnswerInput { requirement_id: id.to_string(), value: v.trim().to_string() })
        .collect();
    v.sort_by(|a, b| a.requirement_id.cmp(&b.requirement_id));
    v
}

/// The fields the booking form shows errors beside.
const NEW_FIELDS: &[&str] = &[
    "service_id",
    "start",
    "customer",
    "contact_id",
    "customer.name",
    "customer.phone",
    "customer.email",
    "answers",
    "notes",
];

/// The refusal of a form, beside its field when the form shows that field (a conflict about the
/// time, taken or full, stands by the free times), else on top.
fn errors_of(e: &AppError, shown: &[&str]) -> FormErrors {
    let text = frontdesk_i18n::error_text(frontdesk_i18n::current(), e.code, &e.message);
    match e.field {
        Some(f) if shown.contains(&f) => FormErrors { fields: vec![(f, text)], general: None },
        None if e.kind == ErrorKind::Conflict && shown.contains(&"start") => {
            FormErrors { fields: vec![("start", text)], general: None }
        }
        _ => FormErrors { fields: vec![], general: Some(text) },
    }
}

fn refusable(e: &AppError) -> bool {
    matches!(e.kind, ErrorKind::Invalid | ErrorKind::Conflict)
}

pub async fn create(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageBookings).await?;
    let (start, resource_ids) = slot_of(field(&f, "slot"));
    let contact = Some(field(&f, "contact").to_string()).filter(|c| !c.is_empty());
    let typed = ["name", "phone", "email"].iter().any(|k| !field(&f, k).is_empty());
    let customer = (contact.is_none() && typed).then(|| CustomerInput {
        name: field(&f, "name").to_string(),
        email: Some(field(&f, "email").to_string()).filter(|x| !x.is_empty()),
        phone: Some(field(&f, "phone").to_string()).filter(|x| !x.is_empty()),
    });
    let input = BookingInput {
        service_id: field(&f, "service").to_string(),
        start: start.clone(),
        resource_ids,
        extras: extras_of(&f),
        answers: answers_of(&f),
        contact_id: contact,
        customer,
        notes: Some(field(&f, "notes").to_string()).filter(|x| !x.is_empty()),
        thread_id: Some(field(&f, "thread").to_string()).filter(|x| !x.is_empty()),
        ..Default::default()
    };
    let result = if start.is_empty() {
        Err(AppError::invalid("start", "slot_required", "Pick one of the free times."))
    } else {
        let origin = Origin { actor: &a.actor, visitor: None, ip: Some(client.ip.as_str()) };
        book::create(&s.bookings, &a.workspace.id, &origin, &input, None).await.map(|(b, _)| b)
    };
    match result {
        Ok(b) => Ok(Redirect::to(&format!("/w/{w}/bookings/{}?saved=1", b.id)).into_response()),
        Err(e) if refusable(&e) => {
            Ok((status_of(e.kind), render_new(&s, &u, &a, &f, &errors_of(&e, NEW_FIELDS)).await?).into_response())
        }
        Err(e) => Err(WebError::page(e)),
    }
}

// ---- one booking ----

pub async fn show(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    Query(f): Query<Fields>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ViewBookings).await?;
    render_booking(&s, &u, &a, &id, &f, &FormErrors::default()).await
}

/// Who changed a booking, as its history names them.
fn actor_name(actor: &str, members: &[frontdesk_platform::repo::workspaces::Member]) -> String {
    let (kind, id) = actor.split_once(':').unwrap_or((actor, ""));
    match kind {
        "user" => members
            .iter()
            .find(|m| m.user_id.as_str() == id)
            .map_or_else(|| t!("bookings-actor-former"), |m| m.name.clone()),
        "api_token" => t!("bookings-actor-token"),
        "system" | "cli" => t!("bookings-actor-system"),
        _ => t!("bookings-actor-customer"),
    }
}

/// A step of a booking's history as people read it.
fn change_name(change: &str) -> String {
    t!("bookings-change", change = change)
}

fn detail_text(detail: &str) -> String {
    match detail {
        "not answered in time" => t!("bookings-detail-timeout"),
        _ => detail.to_string(),
    }
}

/// A form posting one change of status, asking first when it cannot be undone.
fn change_form(w: &str, id: &str, change: &str, label: String, confirm: Option<String>, reason: bool) -> Markup {
    let danger = confirm.is_some();
    html! {
        form.change method="post" action={ "/w/" (w) "/bookings/" (id) "/status" } data-confirm=[confirm.clone()] data-confirm-label=[confirm.as_ref().map(|_| label.clone())] {
            input type="hidden" name="change" value=(change);
            @if reason {
                label for={ "reason-" (change) } { (t!("bookings-reason")) }
                input id={ "reason-" (change) } name="reason" maxlength="500";
            }
            @if danger { button.danger type="submit" { (label) } } @else { button type="submit" { (label) } }
        }
    }
}

async fn render_booking(
    s: &AppState,
    u: &SignedIn,
    a: &Access,
    id: &str,
    f: &Fields,
    errors: &FormErrors,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let w = a.workspace.id.as_str();
    let (b, answers, events) = book::details(&s.bookings, &a.workspace.id, id).await.map_err(WebError::page)?;
    let payments = crate::billing::pages::booking_section(s, a, &b).await?;
    let (service, _) = catalog::service(&s.bookings, a, b.service_id.as_str()).await.map_err(WebError::page)?;
    let resources = catalog::resources(&s.bookings, a).await.map_err(WebError::page)?;
    let members = frontdesk_platform::workspaces::members(&s.app, a).await.map_err(WebError::page)?;
    let names = customers(s, a, std::slice::from_ref(&b)).await?;
    let contact = match &b.contact_id {
        Some(cid) => {
            let mut c = s.app.db.conn().await.map_err(|e| WebError::page(e.into()))?;
            frontdesk_inbox::repo::inbox::contact(&mut c, &a.workspace.id, cid)
                .await
                .map_err(|e| WebError::page(e.into()))?
        }
        None => None,
    };
    let zone = sh.times.time_zone().to_string();
    let tz = zone_of(&zone);
    let now = s.app.now().0;
    let day = zoned(&tz, b.starts_at).map(|z| z.date()).unwrap_or_else(|| today(&tz, now));
    let can = frontdesk_core::role::allows(a.role, Action::ManageBookings);
    let live = ["hold", "pending", "confirmed"].contains(&b.status.as_str());
    let started = b.starts_at <= now;
    let bid = b.id.to_string();
    let who = customer_of(&b, &names);
    let move_date = field(f, "move").parse::<Date>().ok();
    let moves = match move_date {
        Some(d) if can && live => {
            let extras: Vec<String> = serde_json::from_str(&b.extras).unwrap_or_default();
            let q = slot_query(&zone, &service, d, "", &extras, (b.seats, b.quantity));
            Some(slots::for_access(&s.bookings, a, &q).await)
        }
        _ => None,
    };
    let when = html! {
        (date_title(day)) ", " (clock(&tz, b.starts_at)) "–" (clock(&tz, b.ends_at))
        @if zoned(&tz, b.ends_at).is_some_and(|z| z.date() != day) { " (" (date_title(zoned(&tz, b.ends_at).map(|z| z.date()).unwrap_or(day))) ")" }
    };
    Ok(sh.page(
        &t!("bookings-booking-title", service = &service.name, customer = &who),
        Nav::Bookings,
        html! {
            p { a href={ "/w/" (w) "/bookings?date=" (day) } { (t!("bookings-back")) } }
            (errors.summary())
            div.grid {
                section #booking aria-labelledby="bk-about" data-status=(b.status) data-attendance=[b.attendance.as_deref()] {
                    h2 #bk-about { (t!("bookings-about")) }
                    dl.facts {
                        dt { (t!("bookings-status-label")) }
                        dd #bk-status { span.badge { (status_name(&b.status)) }
                            @match b.attendance.as_deref() {
                                Some("arrived") => { " " span.badge.ok #bk-arrived { (t!("bookings-arrived")) } }
                                Some("no_show") => { " " span.badge.off { (status_name("no_show")) } }
                                _ => {}
                            }
                        }
                        dt { (t!("bookings-service")) } dd { (service.name) }
                        dt { (t!("bookings-when")) } dd { (when) }
                        @let rn = resource_names(&b, &resources);
                        @if !rn.is_empty() { dt { (t!("bookings-with")) } dd { (rn) } }
                        dt { (t!("bookings-customer")) }
                        dd {
                            @if let Some(k) = &contact {
                                a href={ "/w/" (w) "/contacts/" (k.id) } { (who) }
                                @if let Some(p) = &k.phone { br; (p) } @if let Some(e) = &k.email { br; (e) }
                            } @else { (who) }
                        }
                        @if b.seats > 1 { dt { (t!("bookings-seats")) } dd { (b.seats) } }
                        @if service.unit != "slot" { dt { (t!("bookings-quantity")) } dd { (t!("bookings-units", unit = service.unit.as_str(), count = b.quantity)) } }
                        dt { (t!("bookings-price")) }
                        dd {
                            (money(b.total_minor, &b.currency))
                            @if b.discount_minor > 0 { " " span.muted.small { (t!("bookings-discount", price = money(b.price_minor, &b.currency), discount = money(b.discount_minor, &b.currency))) } }
                        }
                        @if let Some(n) = &b.notes { dt { (t!("bookings-notes")) } dd { (n) } }
                        @if let Some(r) = &b.cancel_reason { dt { (t!("bookings-reason")) } dd { (r) } }
                        @if let (Some(until), "hold") = (b.hold_expires_at, b.status.as_str()) { dt { (t!("bookings-held-until")) } dd { (sh.at(until)) } }
                        dt { (t!("bookings-created")) } dd { (sh.at(b.created_at)) }
                    }
                }
                section #answers aria-labelledby="bk-answers" {
                    h2 #bk-answers { (t!("bookings-answers")) }
                    @if answers.is_empty() { p.muted { (t!("bookings-no-answers")) } }
                    @else {
                        @if answers.iter().any(|x| x.sensitive) { p.hint.small { (t!("bookings-sensitive-hint")) } }
                        dl.facts {
                            @for x in &answers {
                                dt { (x.label) @if x.sensitive { " " span.badge.off data-sensitive="true" { (t!("bookings-sensitive")) } } }
                                dd { @if x.value == "true" { (t!("bookings-yes")) } @else { (x.value) } }
                            }
                        }
                    }
                }
            }
            @if can && !is_gone(&b.status) {
                section #actions aria-labelledby="bk-actions" {
                    h2 #bk-actions { (t!("bookings-actions")) }
                    div.action-row {
                        @if ["hold", "pending"].contains(&b.status.as_str()) { (change_form(w, &bid, "confirm", t!("bookings-do-confirm"), None, false)) }
                        @if b.status == "confirmed" && started {
                            @if b.attendance.is_none() { (change_form(w, &bid, "arrived", t!("bookings-do-arrived"), None, false)) }
                            (change_form(w, &bid, "complete", t!("bookings-do-complete"), None, false))
                            (change_form(w, &bid, "no-show", t!("bookings-do-no-show"), Some(t!("bookings-no-show-confirm", customer = &who)), false))
                        }
                    }
                    @if b.status == "confirmed" && !started { p.hint.small { (t!("bookings-not-started-hint")) } }
                    @if b.status == "pending" { (change_form(w, &bid, "decline", t!("bookings-do-decline"), Some(t!("bookings-decline-confirm", customer = &who)), true)) }
                    @if live { (change_form(w, &bid, "cancel", t!("bookings-do-cancel"), Some(t!("bookings-cancel-confirm", customer = &who)), true)) }
                }
            }
            @if can && live {
                section #move aria-labelledby="bk-move" {
                    h2 #bk-move { (t!("bookings-move")) }
                    form.inline-row method="get" action={ "/w/" (w) "/bookings/" (bid) } {
                        label for="move-date" { (t!("bookings-move-date")) }
                        input #move-date type="date" name="move" value=(move_date.unwrap_or(day));
                        button.secondary type="submit" { (t!("bookings-show-times")) }
                    }
                    @if let (Some(list), Some(d)) = (&moves, move_date) {
                        form method="post" action={ "/w/" (w) "/bookings/" (bid) "/reschedule" } data-confirm=(t!("bookings-move-confirm", customer = &who)) data-confirm-label=(t!("bookings-do-move")) {
                            input type="hidden" name="move" value=(d);
                            (slot_list(&tz, list, errors, field(f, "slot")))
                            button type="submit" { (t!("bookings-do-move")) }
                        }
                    } @else if let Some(m) = errors.of("start") { p.error role="alert" { (m) } }
                }
            }
            (payments)
            section #history aria-labelledby="bk-history" {
                h2 #bk-history { (t!("bookings-history")) }
                ol.history {
                    @for e in &events {
                        li { (sh.at(e.at)) " · " (actor_name(&e.actor, &members)) " · " strong { (change_name(&e.change)) }
                            @if let Some(d) = &e.detail { " · " (detail_text(d)) } }
                    }
                }
            }
        },
    ))
}

pub async fn change(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageBookings).await?;
    let what = match field(&f, "change") {
        "confirm" => Change::Confirm,
        "decline" => Change::Decline,
        "cancel" => Change::Cancel,
        "complete" => Change::Complete,
        "no-show" => Change::NoShow,
        "arrived" => Change::Arrived,
        _ => return Err(WebError::page(AppError::not_found("The action"))),
    };
    let reason = Some(field(&f, "reason")).filter(|r| !r.is_empty());
    match book::change(&s.bookings, &a.workspace.id, &a.actor, &id, what, reason).await {
        Ok(_) => Ok(Redirect::to(&format!("/w/{w}/bookings/{id}?saved=1")).into_response()),
        Err(e) if refusable(&e) => {
            let errors = errors_of(&e, &[]);
            Ok((status_of(e.kind), render_booking(&s, &u, &a, &id, &Fields::new(), &errors).await?).into_response())
        }
        Err(e) => Err(WebError::page(e)),
    }
}

pub async fn reschedule(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageBookings).await?;
    let (start, resource_ids) = slot_of(field(&f, "slot"));
    let result = if start.is_empty() {
        Err(AppError::invalid("start", "slot_required", "Pick one of the free times."))
    } else {
        book::reschedule(&s.bookings, &a.workspace.id, &a.actor, &id, &start, &resource_ids).await
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/w/{w}/bookings/{id}?saved=1")).into_response()),
        Err(e) if refusable(&e) => {
            // Beside the free times while the booking can still move; on top otherwise.
            let live = book::get(&s.bookings, &a.workspace.id, &id)
                .await
                .is_ok_and(|b| ["hold", "pending", "confirmed"].contains(&b.status.as_str()));
            let errors = errors_of(&e, if live && !field(&f, "move").is_empty() { &["start"] } else { &[] });
            Ok((status_of(e.kind), render_booking(&s, &u, &a, &id, &f, &errors).await?).into_response())
        }
        Err(e) => Err(WebError::page(e)),
    }
}
