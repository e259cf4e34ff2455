//! The contacts pages: the list (search, filters, sorting, paging, bulk label, export), a
//! contact's page (edit, block, labels, notes, identities, consent, conversations, possible
//! matches and merge), and the CSV import with its preview.

use super::inbox::{access, NoteForm};
use crate::kit::body::PageForm;
use crate::kit::error::{status_of, WebError};
use crate::kit::extract::{ClientInfo, PageUser};
use crate::kit::layout::url_encode;
use crate::kit::shell::{avatar, channel_mark, compose, slot, Nav, Shell};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use frontdesk_core::{Action, ChannelId, Timestamp};
use frontdesk_i18n::t;
use frontdesk_inbox::contacts::{self, ListFilter, ListSort};
use frontdesk_inbox::threads::{self as inbox, contact_label, ContactPatch, ThreadQuery};
use frontdesk_platform::auth::SignedIn;
use frontdesk_platform::workspaces::Access;
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize, Default, Clone)]
pub struct ListParams {
    q: Option<String>,
    channel: Option<String>,
    label: Option<String>,
    /// `opted_out` or `reachable`.
    consent: Option<String>,
    /// `7`, `30`, `90` (in touch within so many days) or `quiet90` (not for 90 days, or never).
    contacted: Option<String>,
    /// `last` (default), `name`, `newest`.
    sort: Option<String>,
    page: Option<i64>,
}

impl ListParams {
    fn filter(&self, now: i64) -> ListFilter {
        let some = |v: &Option<String>| v.clone().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let day = Timestamp::DAY;
        let (since, quiet) = match self.contacted.as_deref() {
            Some("7") => (Some(now - 7 * day), None),
            Some("30") => (Some(now - 30 * day), None),
            Some("90") => (Some(now - 90 * day), None),
            Some("quiet90") => (None, Some(now - 90 * day)),
            _ => (None, None),
        };
        ListFilter {
            text: some(&self.q),
            channel: some(&self.channel).and_then(|c| ChannelId::parse(&c)),
            label: some(&self.label).map(|l| l.to_lowercase()),
            opted_out: match self.consent.as_deref() {
                Some("opted_out") => Some(true),
                Some("reachable") => Some(false),
                _ => None,
            },
            contacted_since: since,
            not_contacted_since: quiet,
        }
    }
    fn sort(&self) -> ListSort {
        match self.sort.as_deref() {
            Some("name") => ListSort::Name,
            Some("newest") => ListSort::Newest,
            _ => ListSort::LastContacted,
        }
    }
    /// The filters as a query string (no page).
    fn query(&self) -> String {
        [
            ("q", &self.q),
            ("channel", &self.channel),
            ("label", &self.label),
            ("consent", &self.consent),
            ("contacted", &self.contacted),
            ("sort", &self.sort),
        ]
        .iter()
        .filter_map(|(k, v)| v.as_deref().filter(|v| !v.is_empty()).map(|v| format!("{k}={}", url_encode(v))))
        .collect::<Vec<_>>()
        .join("&")
    }
}

pub async fn list(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    Query(p): Query<ListParams>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ViewInbox).await?;
    render_list(&s, &u, &a, &p, None).await
}

async fn render_list(
    s: &AppState,
    u: &SignedIn,
    a: &Access,
    p: &ListParams,
    flash: Option<String>,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let w = a.workspace.id.as_str();
    let now = s.app.now().0;
    let page =
        contacts::list(&s.app, a, &p.filter(now), p.sort(), p.page.unwrap_or(1)).await.map_err(WebError::page)?;
    let chans = frontdesk_inbox::channels::list(&s.app, a).await.map_err(WebError::page)?;
    let labels = contacts::labels_in_use(&s.app, a).await.map_err(WebError::page)?;
    let can_edit = frontdesk_core::role::allows(a.role, Action::EditContacts);
    let can_export = frontdesk_core::role::allows(a.role, Action::ManageSettings);
    let pages = (page.total + contacts::PAGE - 1) / contacts::PAGE;
    let query = p.query();
    let sel = |v: &Option<String>, x: &str| v.as_deref() == Some(x);
    let lang = frontdesk_i18n::current();
    Ok(sh.page(
        &t!("nav-contacts"),
        Nav::Contacts,
        html! {
            div.page-head {
                p.muted #contact-count data-count=(page.total) style="margin:0" {
                    (t!("contacts-count", count = page.total))
                }
                div.actions {
                    @if can_export {
                        a.button.secondary.small href={ "/w/" (w) "/contacts.csv?" (query) } download="contacts.csv" { (t!("contacts-export")) }
                        a.button.secondary.small href={ "/w/" (w) "/contacts/import" } { (t!("contacts-import")) }
                    }
                }
            }
            @if let Some(f) = &flash { p.notice role="status" { (f) } }
            form.card.filters method="get" action={ "/w/" (w) "/contacts" } role="search" aria-label=(t!("contacts-find")) {
                label.visually-hidden for="cq" { (t!("contacts-search-label")) }
                input #cq name="q" type="search" placeholder=(t!("contacts-search")) value=(p.q.clone().unwrap_or_default());
                label.visually-hidden for="cchannel" { (t!("contacts-channel")) }
                select #cchannel name="channel" {
                    option value="" { (t!("inbox-all-channels")) }
                    @for c in &chans { option value=(c.id) selected[sel(&p.channel, c.id.as_str())] { (c.name) } }
                }
                label.visually-hidden for="clabel" { (t!("inbox-label")) }
                select #clabel name="label" {
                    option value="" { (t!("contacts-any-label")) }
                    @for l in &labels { option value=(l) selected[sel(&p.label, l)] { (l) } }
                }
                label.visually-hidden for="cconsent" { (t!("contacts-consent")) }
                select #cconsent name="consent" {
                    option value="" { (t!("contacts-any-consent")) }
                    option value="reachable" selected[sel(&p.consent, "reachable")] { (t!("contacts-reachable")) }
                    option value="opted_out" selected[sel(&p.consent, "opted_out")] { (t!("contacts-opted-out")) }
                }
                label.visually-hidden for="ccontacted" { (t!("contacts-last-contacted")) }
                select #ccontacted name="contacted" {
                    option value="" { (t!("contacts-any-time")) }
                    @for days in [7, 30, 90] {
                        option value=(days) selected[sel(&p.contacted, &days.to_string())] { (t!("contacts-within-days", days = days)) }
                    }
                    option value="quiet90" selected[sel(&p.contacted, "quiet90")] { (t!("contacts-quiet-days", days = 90)) }
                }
                label.visually-hidden for="csort" { (t!("contacts-sort")) }
                select #csort name="sort" {
                    option value="last" { (t!("contacts-sort-last")) }
                    option value="name" selected[sel(&p.sort, "name")] { (t!("contacts-name")) }
                    option value="newest" selected[sel(&p.sort, "newest")] { (t!("contacts-sort-newest")) }
                }
                button.secondary type="submit" { (t!("contacts-show")) }
            }
            @if page.rows.is_empty() {
                div.card.empty #empty {
                    strong { (t!("contacts-empty")) }
                    @if can_export {
                        (compose(&t!("contacts-empty-hint-import", link = slot(0)), &[html! { a href={ "/w/" (w) "/contacts/import" } { (t!("contacts-empty-import-link")) } }]))
                    } @else {
                        (t!("contacts-empty-hint"))
                    }
                }
            } @else {
                form method="post" action={ "/w/" (w) "/contacts/labels" } {
                    section { div.scroll-x { table.stack #contacts {
                        thead { tr {
                            @if can_edit { th { span.visually-hidden { (t!("contacts-select")) } } }
                            th { (t!("contacts-name")) } th { (t!("contacts-phone")) } th { (t!("contacts-email")) } th { (t!("contacts-labels")) } th { (t!("contacts-last-contacted")) }
                        } }
                        tbody {
                            @for (l, labels) in &page.rows {
                                @let k = &l.contact;
                                @let name = contact_label(k);
                                tr data-contact=(k.id) {
                                    @if can_edit { td { input type="checkbox" name={ "sel_" (k.id) } value="on" aria-label=(t!("contacts-select-one", name = &name)); } }
                                    td { (avatar(&name)) " " a href={ "/w/" (w) "/contacts/" (k.id) } { strong { (name) } }
                                        @if k.blocked_at.is_some() { " " span.badge.off { (t!("contacts-blocked")) } } }
                                    td data-label=(t!("contacts-phone")) { (k.phone.clone().unwrap_or_default()) }
                                    td data-label=(t!("contacts-email")) { (k.email.clone().unwrap_or_default()) }
                                    td data-label=(t!("contacts-labels")) { @for x in labels { span.label { (x) } " " } }
                                    td data-label=(t!("contacts-last-contacted")) { @if let Some(at) = l.last_contacted_at { (sh.ago(at)) } @else { span.muted { (t!("contacts-never")) } } }
                                }
                            }
                        }
                    } } }
                    @if can_edit {
                        div.card {
                            label for="bulk-label" { (t!("contacts-bulk-label")) }
                            input #bulk-label name="label" maxlength="40" placeholder="vip";
                            input type="hidden" name="back" value=(query);
                            button.secondary type="submit" { (t!("contacts-add-label")) }
                        }
                    }
                }
                @if pages > 1 {
                    nav.card aria-label=(t!("contacts-pages")) {
                        @if page.page > 1 { a href={ "/w/" (w) "/contacts?" (query) "&page=" (page.page - 1) } { (t!("contacts-previous")) } " " }
                        (t!("contacts-page-of", page = lang.number(page.page), pages = lang.number(pages)))
                        @if page.page < pages { " " a href={ "/w/" (w) "/contacts?" (query) "&page=" (page.page + 1) } { (t!("contacts-next")) } }
                    }
                }
            }
        },
    ))
}

#[derive(Deserialize, Default)]
pub struct BulkForm {
    #[serde(default)]
    label: String,
    #[serde(default)]
    back: String,
    #[serde(flatten)]
    selected: HashMap<String, String>,
}

pub async fn bulk_label(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<BulkForm>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::EditContacts).await?;
    let ids: Vec<String> = f.selected.keys().filter_map(|k| k.strip_prefix("sel_")).map(str::to_string).collect();
    let back = if f.back.contains(['\r', '\n']) { String::new() } else { f.back.clone() };
    match contacts::bulk_label(&s.app, &a, &ids, &f.label).await {
        Ok(_) => Ok(Redirect::to(&format!("/w/{w}/contacts?{back}&saved=1")).into_response()),
        Err(e) => {
            let p: ListParams = params_of(&back);
            let msg = frontdesk_i18n::error_text(frontdesk_i18n::current(), e.code, &e.message);
            Ok((status_of(e.kind), render_list(&s, &u, &a, &p, Some(msg)).await?).into_response())
        }
    }
}

/// The list's filters from a query string the form carried back.
fn params_of(q: &str) -> ListParams {
    let uri: axum::http::Uri = format!("/?{q}").parse().unwrap_or_else(|_| axum::http::Uri::from_static("/"));
    Query::<ListParams>::try_from_uri(&uri).map(|Query(p)| p).unwrap_or_default()
}

pub async fn export(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    Query(p): Query<ListParams>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageSettings).await?;
    let csv = contacts::export_csv(&s.app, &a, &p.filter(s.app.now().0), p.sort()).await.map_err(WebError::page)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"contacts.csv\""),
        ],
        csv,
    )
        .into_response())
}

// ---- one contact ----

pub async fn show(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ViewInbox).await?;
    render_contact(&s, &u, &a, &id, None, None).await
}

#[derive(Deserialize, Default, Clone)]
pub struct EditForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    /// Absent: the labels stay as they are (a form that does not show them).
    #[serde(default)]
    labels: Option<String>,
    #[serde(default)]
    blocked: Option<String>,
}

async fn render_contact(
    s: &AppState,
    u: &SignedIn,
    a: &Access,
    id: &str,
    form: Option<&EditForm>,
    error: Option<frontdesk_platform::AppError>,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let w = a.workspace.id.as_str();
    let d = inbox::contact(&s.app, a, id).await.map_err(WebError::page)?;
    let labels = contacts::labels(&s.app, a, id).await.map_err(WebError::page)?;
    let notes = contacts::notes(&s.app, a, id).await.map_err(WebError::page)?;
    let consent = inbox::consent(&s.app, a, id).await.map_err(WebError::page)?;
    let matches = contacts::possible_matches(&s.app, a, id).await.map_err(WebError::page)?;
    let sections = contacts::sections(&s.app, a, id).await.map_err(WebError::page)?;
    let threads = inbox::list_threads(
        &s.app,
        a,
        &ThreadQuery { contact: Some(id.to_string()), limit: Some(50), ..Default::default() },
    )
    .await
    .map_err(WebError::page)?;
    let chans = frontdesk_inbox::channels::list(&s.app, a).await.map_err(WebError::page)?;
    let members = frontdesk_platform::workspaces::members(&s.app, a).await.map_err(WebError::page)?;
    let chan = |id: &ChannelId| chans.iter().find(|c| &c.id == id);
    let k = &d.contact;
    let name = contact_label(k);
    let can_edit = frontdesk_core::role::allows(a.role, Action::EditContacts);
    let f = form.cloned().unwrap_or_else(|| EditForm {
        name: k.name.clone().unwrap_or_default(),
        phone: k.phone.clone().unwrap_or_default(),
        email: k.email.clone().unwrap_or_default(),
        labels: Some(labels.join(", ")),
        blocked: k.blocked_at.map(|_| "on".into()),
    });
    let text_of =
        |e: &frontdesk_platform::AppError| frontdesk_i18n::error_text(frontdesk_i18n::current(), e.code, &e.message);
    let err_for = |field: &str| error.as_ref().filter(|e| e.field == Some(field)).map(text_of);
    // Errors of the edit form's fields stand beside them; any other (a merge, a note) on top.
    let general =
        error.as_ref().filter(|e| !matches!(e.field, Some("name" | "phone" | "email" | "labels"))).map(text_of);
    let author = |n: &frontdesk_inbox::repo::contacts::ContactNote| {
        n.author_id
            .as_deref()
            .and_then(|id| members.iter().find(|m| m.user_id.as_str() == id))
            .map_or_else(|| t!("contacts-your-team"), |m| m.name.clone())
    };
    Ok(sh.page(
        &name,
        Nav::Contacts,
        html! {
            p { a href={ "/w/" (w) "/contacts" } { (t!("contacts-back")) } }
            @if let Some(g) = &general { p.alert role="alert" { (g) } }
            @if k.restricted_at.is_some() { p.notice.warn #restricted-banner role="status" { (t!("privacy-restricted-banner")) } }
            @if k.erased_at.is_some() { p.notice #erased-banner role="status" { (t!("privacy-erased-banner")) } }
            div.grid {
                section aria-labelledby="k-about" {
                    h2 #k-about { (t!("contacts-about")) }
                    @if can_edit {
                        form #contact-form method="post" action={ "/w/" (w) "/contacts/" (k.id) } {
                            @for (field, label, kind, value) in [("name", t!("contacts-name"), "text", f.name.clone()), ("phone", t!("contacts-phone"), "tel", f.phone.clone()), ("email", t!("contacts-email"), "email", f.email.clone()), ("labels", t!("contacts-labels-comma"), "text", f.labels.clone().unwrap_or_default())] {
                                @let e = err_for(field);
                                div.form-row {
                                    label for={ "k-" (field) } { (label) }
                                    input id={ "k-" (field) } name=(field) type=(kind) value=(value) aria-invalid=[e.as_ref().map(|_| "true")] aria-describedby=[e.as_ref().map(|_| format!("k-{field}-error"))];
                                    @if let Some(m) = &e { p.error id={ "k-" (field) "-error" } { (m) } }
                                }
                            }
                            label.check { input type="checkbox" name="blocked" value="on" checked[f.blocked.is_some()]; (t!("contacts-blocked-check")) }
                            button type="submit" { (t!("contacts-save")) }
                        }
                    } @else {
                        p { strong { (name) } @if let Some(p) = &k.phone { br; (p) } @if let Some(e) = &k.email { br; (e) } }
                        p { @for l in &labels { span.label { (l) } " " } }
                    }
                    p.muted.small { (compose(&t!("contacts-added", time = slot(0)), &[sh.at(k.created_at)])) @if let Some(l) = &k.language { " · " (t!("contacts-language", language = l)) } }
                }
                section aria-labelledby="k-ids" {
                    h2 #k-ids { (t!("nav-channels")) }
                    @if d.identities.is_empty() { p.muted { (t!("contacts-no-channels")) } }
                    ul #identities {
                        @for i in &d.identities {
                            li { @if let Some(c) = chan(&i.channel_id) { (channel_mark(c.kind.as_str())) " " (c.name) } @else { (t!("contacts-removed-channel")) } ": " (t!("contacts-identity-kind", kind = &i.kind)) " " code { (i.value) } }
                        }
                    }
                    h3 { (t!("contacts-consent")) }
                    ul #consent {
                        @for (ch, st) in &consent.state {
                            li data-consent=(st.as_str()) { (chan(ch).map(|c| c.name.clone()).unwrap_or_else(|| t!("contacts-removed-channel"))) ": "
                                @if st.as_str() == "opt_out" { strong { (t!("contacts-state-opted-out")) } } @else { (t!("contacts-state-reachable")) } }
                        }
                    }
                    @if !consent.events.is_empty() {
                        details { summary { (t!("contacts-history", count = consent.events.len())) }
                            ol { @for e in consent.events.iter().rev() { li { (sh.at(e.at)) " · " (t!("contacts-consent-change", change = &e.change)) " · " (t!("contacts-consent-source", source = &e.source)) } } }
                        }
                    }
                }
            }
            section aria-labelledby="k-threads" {
                h2 #k-threads { (t!("contacts-conversations")) }
                @if threads.threads.is_empty() { p.muted { (t!("contacts-no-conversations")) } }
                ul.threads #contact-threads {
                    @for r in &threads.threads {
                        li { a.row href={ "/w/" (w) "/inbox/" (r.thread.id) } {
                            (channel_mark(&r.channel_kind))
                            span.line { span.who { strong { (t!("contacts-thread-status", status = r.thread.status.to_string())) } (sh.short(r.thread.last_message_at)) } span.preview { (r.thread.preview.clone().unwrap_or_default()) } }
                        } }
                    }
                }
            }
            @for sec in &sections {
                section.area-section {
                    h2 { (sec.title) }
                    ul { @for l in &sec.lines { li { (l) } } }
                }
            }
            section aria-labelledby="k-notes" {
                h2 #k-notes { (t!("contacts-notes")) }
                ul #contact-notes { @for n in &notes { li { (n.body) " — " small.muted { (author(n)) ", " (sh.ago(n.created_at)) } } } }
                @if can_edit {
                    form method="post" action={ "/w/" (w) "/contacts/" (k.id) "/notes" } {
                        label for="k-note" { (t!("contacts-note")) }
                        textarea #k-note name="body" required maxlength="10000" rows="2" {}
                        button.secondary type="submit" { (t!("contacts-add-note")) }
                    }
                }
            }
            @if !matches.is_empty() {
                section #possible-matches aria-labelledby="k-matches" {
                    h2 #k-matches { (t!("contacts-possible")) }
                    p.muted { (t!("contacts-possible-hint")) }
                    ul {
                        @for m in &matches {
                            li data-match=(m.id) {
                                a href={ "/w/" (w) "/contacts/" (m.id) } { (contact_label(m)) }
                                @if let Some(p) = &m.phone { " · " (p) } @if let Some(e) = &m.email { " · " (e) }
                                @if can_edit {
                                    " "
                                    form.inline method="post" action={ "/w/" (w) "/contacts/" (k.id) "/merge" }
                                        data-confirm=(t!("contacts-merge-confirm", other = contact_label(m), name = &name)) data-confirm-label=(t!("contacts-merge-ok")) {
                                        input type="hidden" name="other" value=(m.id);
                                        button.danger.small type="submit" { (t!("contacts-merge")) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

pub async fn save(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    PageForm(f): PageForm<EditForm>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::EditContacts).await?;
    let d = inbox::contact(&s.app, &a, &id).await.map_err(WebError::page)?;
    // The only way to reach someone cannot be emptied by hand.
    let emptied_only = d.identities.is_empty()
        && opt(&f.phone).is_none()
        && opt(&f.email).is_none()
        && (d.contact.phone.is_some() || d.contact.email.is_some());
    let result = if emptied_only {
        Err(frontdesk_platform::AppError::invalid(
            "phone",
            "only_identity",
            "This is the only way to reach the contact: keep a phone or an email.",
        ))
    } else {
        let patch = ContactPatch {
            name: Some(opt(&f.name)),
            phone: Some(opt(&f.phone)),
            email: Some(opt(&f.email)),
            blocked: Some(f.blocked.is_some()),
        };
        match inbox::update_contact(&s.app, &a, &id, patch).await {
            Ok(_) => match &f.labels {
                Some(l) => {
                    let labels: Vec<String> = l.split(',').map(str::to_string).collect();
                    contacts::set_labels(&s.app, &a, &id, &labels).await.map(drop)
                }
                None => Ok(()),
            },
            Err(e) => Err(e),
        }
    };
    let back = format!("/w/{w}/contacts/{id}?saved=1");
    outcome(&s, &u, &a, &id, Some(&f), result, back).await
}

/// After a change on a contact: back to the contact, or its page again with the error beside
/// the field (or on top) when the person can correct it.
async fn outcome<T>(
    s: &AppState,
    u: &SignedIn,
    a: &Access,
    id: &str,
    form: Option<&EditForm>,
    result: Result<T, frontdesk_platform::AppError>,
    back: String,
) -> Result<Response, WebError> {
    match result {
        Ok(_) => Ok(Redirect::to(&back).into_response()),
        Err(e) if e.field.is_some() => {
            Ok((status_of(e.kind), render_contact(s, u, a, id, form, Some(e)).await?).into_response())
        }
        Err(e) => Err(WebError::page(e)),
    }
}

pub async fn note(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    PageForm(f): PageForm<NoteForm>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::EditContacts).await?;
    let r = contacts::add_note(&s.app, &a, &id, &f.body).await;
    outcome(&s, &u, &a, &id, None, r, format!("/w/{w}/contacts/{id}?saved=1#k-notes")).await
}

#[derive(Deserialize, Default)]
pub struct MergeForm {
    #[serde(default)]
    other: String,
}

pub async fn merge(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path((w, id)): Path<(String, String)>,
    PageForm(f): PageForm<MergeForm>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::EditContacts).await?;
    let r = contacts::merge(&s.app, &a, &id, &f.other).await;
    outcome(&s, &u, &a, &id, None, r, format!("/w/{w}/contacts/{id}?saved=1")).await
}

// ---- import ----

#[derive(Deserialize, Default)]
pub struct ImportForm {
    #[serde(default)]
    csv: String,
    /// `yes` to import; anything else shows the preview.
    #[serde(default)]
    confirm: String,
}

pub async fn import_page(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
) -> Result<Markup, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageSettings).await?;
    render_import(&s, &u, &a, "", None, None).await
}

async fn render_import(
    s: &AppState,
    u: &SignedIn,
    a: &Access,
    csv: &str,
    plan: Option<&contacts::ImportPlan>,
    error: Option<String>,
) -> Result<Markup, WebError> {
    let sh = Shell::load(s, u, Some(a)).await?;
    let w = a.workspace.id.as_str();
    let lang = frontdesk_i18n::current();
    let code = |c: &str| html! { code { (c) } };
    Ok(sh.page(
        &t!("contacts-import-title"),
        Nav::Contacts,
        html! {
            p { a href={ "/w/" (w) "/contacts" } { (t!("contacts-back")) } }
            section {
                p {
                    (compose(
                        &t!("contacts-import-columns", name = slot(0), phone = slot(1), email = slot(2), labels = slot(3), notes = slot(4)),
                        &[code("name"), code("phone"), code("email"), code("labels"), code("notes")],
                    ))
                    " " (t!("contacts-import-phones")) " "
                    (t!("contacts-import-limits", rows = lang.number(contacts::MAX_IMPORT_ROWS as i64)))
                }
                p.muted.small { (t!("contacts-import-consent")) }
                @if let Some(e) = &error { p.alert role="alert" #import-error { (e) } }
                form #import-form method="post" action={ "/w/" (w) "/contacts/import" } {
                    label for="import-file" { (t!("contacts-import-file")) }
                    input #import-file type="file" accept=".csv,text/csv" data-fill="import-csv";
                    label for="import-csv" { (t!("contacts-import-paste")) }
                    textarea #import-csv name="csv" rows="8" required placeholder="name,phone,email,labels,notes" { (csv) }
                    @if plan.is_some_and(|p| p.errors() == 0) {
                        input type="hidden" name="confirm" value="yes";
                        button type="submit" { (t!("contacts-import-go", count = plan.map_or(0, |p| p.new_contacts()))) }
                    } @else {
                        button type="submit" { (t!("contacts-import-preview")) }
                    }
                }
            }
            @if let Some(plan) = plan {
                section #import-preview aria-labelledby="prev-h" {
                    h2 #prev-h { (t!("contacts-import-preview")) }
                    p { (t!("contacts-import-summary", new = plan.new_contacts(), duplicates = plan.duplicates(), errors = plan.errors())) }
                    @if plan.errors() > 0 { p.alert { (t!("contacts-import-fix")) } }
                    div.scroll-x { table.stack {
                        thead { tr { th { (t!("contacts-import-line")) } th { (t!("contacts-name")) } th { (t!("contacts-phone")) } th { (t!("contacts-email")) } th { (t!("contacts-labels")) } th { (t!("contacts-import-outcome")) } } }
                        tbody { @for r in &plan.rows {
                            tr data-line=(r.line) data-outcome=(if !r.errors.is_empty() { "error" } else if r.duplicate_of.is_some() { "duplicate" } else { "new" }) {
                                td { (r.line) } td data-label=(t!("contacts-name")) { (r.name.clone().unwrap_or_default()) } td data-label=(t!("contacts-phone")) { (r.phone.clone().unwrap_or_default()) }
                                td data-label=(t!("contacts-email")) { (r.email.clone().unwrap_or_default()) } td data-label=(t!("contacts-labels")) { (r.labels.join(", ")) }
                                td data-label=(t!("contacts-import-outcome")) {
                                    @if !r.errors.is_empty() { span.error { (r.errors.join(" ")) } }
                                    @else if let Some(d) = &r.duplicate_of { (t!("contacts-import-duplicate", name = d)) }
                                    @else { (t!("contacts-import-new")) }
                                }
                            }
                        } }
                    } }
                }
            }
        },
    ))
}

pub async fn import(
    State(s): State<AppState>,
    ClientInfo(client): ClientInfo,
    PageUser(u): PageUser,
    Path(w): Path<String>,
    PageForm(f): PageForm<ImportForm>,
) -> Result<Response, WebError> {
    let a = access(&s, &u, &client.ip, &w, Action::ManageSettings).await?;
    let bytes = f.csv.as_bytes();
    let outcome = if f.confirm == "yes" {
        contacts::import(&s.app, &a, bytes).await
    } else {
        contacts::plan_import(&s.app, &a, bytes).await
    };
    match outcome {
        Ok(plan) if f.confirm == "yes" => {
            let msg = t!("contacts-imported", count = plan.new_contacts(), duplicates = plan.duplicates());
            Ok(render_list(&s, &u, &a, &ListParams::default(), Some(msg)).await?.into_response())
        }
        Ok(plan) => Ok(render_import(&s, &u, &a, &f.csv, Some(&plan), None).await?.into_response()),
        Err(e) if e.kind != frontdesk_platform::error::ErrorKind::Internal => {
            let plan =
                if e.code == "import_has_errors" { contacts::plan_import(&s.app, &a, bytes).await.ok() } else { None };
            let msg = frontdesk_i18n::error_text(frontdesk_i18n::current(), e.code, &e.message);
            Ok((status_of(e.kind), render_import(&s, &u, &a, &f.csv, plan.as_ref(), Some(msg)).await?).into_response())
        }
        Err(e) => Err(WebError::page(e)),
    }
}
