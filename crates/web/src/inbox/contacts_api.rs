//! The CRM over JSON: labels and notes on a contact, possible matches, merge, CSV import (with a
//! dry run) and export.

use crate::inbox::api::current;
use crate::kit::answer::{Answer, Api, Time};
use crate::kit::body::ApiJson;
use crate::kit::error::WebError;
use crate::kit::extract::ApiCaller;
use crate::{Access, AppState, Table};
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use frontdesk_core::Action;
use frontdesk_inbox::contacts::{self, ImportPlan};
use frontdesk_platform::error::ErrorKind;
use frontdesk_platform::AppError;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub(crate) fn routes(t: Table) -> Table {
    use Access::*;
    t.add(
        "PUT",
        "/api/v1/contacts/{id}/labels",
        Current(Action::EditContacts),
        "Replace a contact's labels",
        put(set_labels),
    )
    .body::<LabelsBody>()
    .returns::<LabelsOut>()
    .add("GET", "/api/v1/contacts/{id}/notes", Current(Action::ViewInbox), "A contact's notes", get(list_notes))
    .returns::<ContactNotesOut>()
    .add(
        "POST",
        "/api/v1/contacts/{id}/notes",
        Current(Action::EditContacts),
        "Add a note to a contact",
        post(add_note),
    )
    .body::<NoteBody>()
    .created::<ContactNoteOut>()
    .add(
        "GET",
        "/api/v1/contacts/{id}/matches",
        Current(Action::ViewInbox),
        "Contacts that may be the same person (same phone in E.164, or email)",
        get(matches),
    )
    .returns::<MatchesOut>()
    .add(
        "POST",
        "/api/v1/contacts/{id}/merge",
        Current(Action::EditContacts),
        "Merge another contact into this one (threads, identities, consent, labels, notes)",
        post(merge),
    )
    .body::<MergeBody>()
    .returns::<MergedOut>()
    .add(
        "POST",
        "/api/v1/contacts/import",
        Current(Action::ManageSettings),
        "Import contacts: the body is a CSV file (name, phone, email, labels, notes); ?dry_run=true only plans",
        post(import),
    )
    .file_body()
    .query::<ImportParams>()
    .returns::<ImportOut>()
    .add(
        "GET",
        "/api/v1/contacts/export",
        Current(Action::ManageSettings),
        "Every contact as CSV (formula cells defused)",
        get(export),
    )
    .produces(&["text/csv"])
}

/// A contact's labels.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct LabelsBody {
    /// Lower-cased; 1 to 40 characters each.
    labels: Vec<String>,
}

#[derive(Serialize, JsonSchema)]
struct LabelsOut {
    labels: Vec<String>,
}

async fn set_labels(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<LabelsBody>,
) -> Api<LabelsOut> {
    let a = current(&s, &c, Action::EditContacts).await?;
    Ok(Answer::ok(LabelsOut { labels: contacts::set_labels(&s.app, &a, &id, &b.labels).await? }))
}

/// A private note on a contact (only the team sees it).
#[derive(Serialize, JsonSchema)]
struct ContactNoteOut {
    id: String,
    body: String,
    /// `user`, `api_token`…
    author_kind: String,
    author_id: Option<String>,
    created_at: Time,
}

impl From<&frontdesk_inbox::repo::contacts::ContactNote> for ContactNoteOut {
    fn from(n: &frontdesk_inbox::repo::contacts::ContactNote) -> Self {
        Self {
            id: n.id.to_string(),
            body: n.body.clone(),
            author_kind: n.author_kind.clone(),
            author_id: n.author_id.clone(),
            created_at: Time::of(n.created_at),
        }
    }
}

#[derive(Serialize, JsonSchema)]
struct ContactNotesOut {
    notes: Vec<ContactNoteOut>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct NoteBody {
    body: String,
}

async fn list_notes(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<ContactNotesOut> {
    let a = current(&s, &c, Action::ViewInbox).await?;
    frontdesk_inbox::threads::contact(&s.app, &a, &id).await?;
    let notes = contacts::notes(&s.app, &a, &id).await?;
    Ok(Answer::ok(ContactNotesOut { notes: notes.iter().map(Into::into).collect() }))
}

async fn add_note(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<NoteBody>,
) -> Api<ContactNoteOut> {
    let a = current(&s, &c, Action::EditContacts).await?;
    Ok(Answer::created((&contacts::add_note(&s.app, &a, &id, &b.body).await?).into()))
}

/// A contact, briefly.
#[derive(Serialize, JsonSchema)]
struct ContactBrief {
    id: String,
    name: Option<String>,
    phone: Option<String>,
    email: Option<String>,
}

impl From<&frontdesk_inbox::repo::inbox::Contact> for ContactBrief {
    fn from(k: &frontdesk_inbox::repo::inbox::Contact) -> Self {
        Self { id: k.id.to_string(), name: k.name.clone(), phone: k.phone.clone(), email: k.email.clone() }
    }
}

#[derive(Serialize, JsonSchema)]
struct MatchesOut {
    matches: Vec<ContactBrief>,
}

async fn matches(State(s): State<AppState>, c: ApiCaller, Path(id): Path<String>) -> Api<MatchesOut> {
    let a = current(&s, &c, Action::ViewInbox).await?;
    let list = contacts::possible_matches(&s.app, &a, &id).await?;
    Ok(Answer::ok(MatchesOut { matches: list.iter().map(Into::into).collect() }))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct MergeBody {
    /// The contact that goes into this one (and is gone after).
    other: String,
}

/// The contact that was kept.
#[derive(Serialize, JsonSchema)]
struct MergedOut {
    contact: ContactBrief,
}

async fn merge(
    State(s): State<AppState>,
    c: ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<MergeBody>,
) -> Api<MergedOut> {
    let a = current(&s, &c, Action::EditContacts).await?;
    let k = contacts::merge(&s.app, &a, &id, &b.other).await?;
    Ok(Answer::ok(MergedOut { contact: (&k).into() }))
}

#[derive(Deserialize, JsonSchema, Default)]
struct ImportParams {
    /// Only plan: say what would happen, write nothing.
    #[serde(default)]
    dry_run: Option<bool>,
}

/// One row of an import.
#[derive(Serialize, JsonSchema)]
struct ImportRowOut {
    /// The line of the file (the header is line 1).
    line: i64,
    /// `new`, `duplicate` (skipped) or `error`.
    outcome: String,
    name: Option<String>,
    /// E.164.
    phone: Option<String>,
    email: Option<String>,
    labels: Vec<String>,
    errors: Vec<String>,
    /// The earlier line or the existing contact it repeats.
    duplicate_of: Option<String>,
}

/// What an import did (or, as a dry run, would do).
#[derive(Serialize, JsonSchema)]
struct ImportOut {
    dry_run: bool,
    new_contacts: i64,
    duplicates: i64,
    errors: i64,
    rows: Vec<ImportRowOut>,
}

fn import_out(plan: &ImportPlan, dry_run: bool) -> ImportOut {
    ImportOut {
        dry_run,
        new_contacts: plan.new_contacts() as i64,
        duplicates: plan.duplicates() as i64,
        errors: plan.errors() as i64,
        rows: plan
            .rows
            .iter()
            .map(|r| ImportRowOut {
                line: r.line as i64,
                outcome: if !r.errors.is_empty() {
                    "error"
                } else if r.duplicate_of.is_some() {
                    "duplicate"
                } else {
                    "new"
                }
                .into(),
                name: r.name.clone(),
                phone: r.phone.clone(),
                email: r.email.clone(),
                labels: r.labels.clone(),
                errors: r.errors.clone(),
                duplicate_of: r.duplicate_of.clone(),
            })
            .collect(),
    }
}

async fn import(
    State(s): State<AppState>,
    c: ApiCaller,
    q: Result<Query<ImportParams>, axum::extract::rejection::QueryRejection>,
    body: Body,
) -> Api<ImportOut> {
    let a = current(&s, &c, Action::ManageSettings).await?;
    let p = crate::inbox::api::query(q)?;
    let bytes = axum::body::to_bytes(body, contacts::MAX_IMPORT_BYTES).await.map_err(|_| {
        WebError::from(AppError::new(
            ErrorKind::TooLarge,
            "import_too_large",
            "An import may be up to 5 MB; split the file.",
        ))
    })?;
    let dry = p.dry_run.unwrap_or(false);
    let plan = if dry {
        contacts::plan_import(&s.app, &a, &bytes).await?
    } else {
        contacts::import(&s.app, &a, &bytes).await?
    };
    Ok(Answer::ok(import_out(&plan, dry)))
}

async fn export(State(s): State<AppState>, c: ApiCaller) -> Result<Response, WebError> {
    let a = current(&s, &c, Action::ManageSettings).await?;
    let csv = contacts::export_csv(&s.app, &a, &Default::default(), Default::default()).await?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response())
}
