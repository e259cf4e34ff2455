//! The inbox's pages: the inbox and its conversations, channels, outgoing webhooks, saved
//! replies, business hours, and the assistant's settings, knowledge base and ledger.

mod assistant;
mod contacts;
mod inbox;
mod settings;

use crate::{Access, AppState, Table};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use frontdesk_core::Action;

pub(crate) fn routes(t: Table) -> Table {
    use Access::*;
    t.add("GET", "/w/{ws}/inbox", Workspace(Action::ViewInbox), "Inbox", get(inbox::list))
        .add("GET", "/w/{ws}/inbox/{id}", Workspace(Action::ViewInbox), "A conversation", get(inbox::show))
        .add(
            "GET",
            "/w/{ws}/inbox/events",
            Workspace(Action::ViewInbox),
            "Inbox changes, live (SSE)",
            get(inbox::events),
        )
        .add(
            "POST",
            "/w/{ws}/inbox/{id}/reply",
            Workspace(Action::ViewInbox),
            "Send a reply (the policy gate decides, including the role)",
            post(inbox::reply),
        )
        .add("GET", "/assets/inbox.js", Public, "The inbox pages' script", get(inbox::script))
        .add(
            "POST",
            "/w/{ws}/inbox/{id}",
            Workspace(Action::TriageThreads),
            "Change status, assignee, labels",
            post(inbox::triage),
        )
        .add(
            "POST",
            "/w/{ws}/inbox/{id}/notes",
            Workspace(Action::TriageThreads),
            "Add a private note",
            post(inbox::note),
        )
        .add(
            "GET",
            "/w/{ws}/webhooks",
            Workspace(Action::ManageChannels),
            "Outgoing webhooks",
            get(inbox::webhooks_page),
        )
        .add(
            "POST",
            "/w/{ws}/webhooks",
            Workspace(Action::ManageChannels),
            "Add an outgoing webhook",
            post(inbox::create_webhook),
        )
        .add(
            "POST",
            "/w/{ws}/webhooks/{id}/delete",
            Workspace(Action::ManageChannels),
            "Delete an outgoing webhook",
            post(inbox::delete_webhook),
        )
        .add(
            "POST",
            "/w/{ws}/inbox/{id}/drafts",
            Workspace(Action::SendMessages),
            "Ask the assistant for a draft",
            post(assistant::ask),
        )
        .add(
            "POST",
            "/w/{ws}/drafts/{id}/send",
            Workspace(Action::ViewInbox),
            "Send a draft, as edited (the policy gate decides, including the role)",
            post(assistant::send),
        )
        .add(
            "POST",
            "/w/{ws}/drafts/{id}/discard",
            Workspace(Action::SendMessages),
            "Discard a draft",
            post(assistant::discard),
        )
        .add(
            "POST",
            "/w/{ws}/inbox/{id}/assistant/resume",
            Workspace(Action::TriageThreads),
            "Let the assistant answer again in this conversation",
            post(assistant::resume),
        )
        .add(
            "GET",
            "/w/{ws}/settings/assistant",
            Workspace(Action::ManageSettings),
            "Assistant settings",
            get(assistant::settings_page),
        )
        .add(
            "POST",
            "/w/{ws}/settings/assistant",
            Workspace(Action::ManageSettings),
            "Save assistant settings",
            post(assistant::save_settings),
        )
        .add(
            "GET",
            "/w/{ws}/settings/knowledge",
            Workspace(Action::ManageSettings),
            "Knowledge base editor",
            get(assistant::knowledge_page),
        )
        .add(
            "POST",
            "/w/{ws}/settings/knowledge",
            Workspace(Action::ManageSettings),
            "Save the knowledge base",
            post(assistant::save_knowledge),
        )
        .add(
            "GET",
            "/w/{ws}/settings/assistant/ledger",
            Workspace(Action::ViewAudit),
            "Calls to external AI providers",
            get(assistant::ledger_page),
        )
        .add(
            "GET",
            "/w/{ws}/settings/assistant/ledger.csv",
            Workspace(Action::ViewAudit),
            "The provider ledger as CSV",
            get(assistant::ledger_csv),
        )
        .add(
            "GET",
            "/w/{ws}/settings/hours",
            Workspace(Action::ManageSettings),
            "Business hours and the away reply",
            get(settings::hours_page),
        )
        .add(
            "POST",
            "/w/{ws}/settings/hours",
            Workspace(Action::ManageSettings),
            "Save business hours and the away reply",
            post(settings::save_hours),
        )
        .add(
            "POST",
            "/w/{ws}/settings/hours/clear",
            Workspace(Action::ManageSettings),
            "Remove business hours (turns the away reply off)",
            post(settings::clear_hours),
        )
        .add("GET", "/w/{ws}/saved-replies", Workspace(Action::ViewInbox), "Saved replies", get(inbox::saved_page))
        .add(
            "POST",
            "/w/{ws}/saved-replies",
            Workspace(Action::TriageThreads),
            "Add a saved reply",
            post(inbox::create_saved),
        )
        .add(
            "POST",
            "/w/{ws}/saved-replies/{id}/delete",
            Workspace(Action::TriageThreads),
            "Delete a saved reply",
            post(inbox::delete_saved),
        )
        .add("GET", "/w/{ws}/media/{id}", Workspace(Action::ViewInbox), "Download a media file", get(inbox::media))
        .add("GET", "/w/{ws}/channels", Workspace(Action::ViewInbox), "Channels", get(inbox::channels_page))
        .add(
            "POST",
            "/w/{ws}/channels",
            Workspace(Action::ManageChannels),
            "Create a web chat",
            post(inbox::create_chat),
        )
        .add("GET", "/w/{ws}/contacts", Workspace(Action::ViewInbox), "Contacts", get(contacts::list))
        .add(
            "POST",
            "/w/{ws}/contacts/labels",
            Workspace(Action::EditContacts),
            "Add a label to the selected contacts",
            post(contacts::bulk_label),
        )
        .add(
            "GET",
            "/w/{ws}/contacts.csv",
            Workspace(Action::ManageSettings),
            "The contacts of a filter as CSV",
            get(contacts::export),
        )
        .add(
            "GET",
            "/w/{ws}/contacts/import",
            Workspace(Action::ManageSettings),
            "Import contacts from CSV",
            get(contacts::import_page),
        )
        .add(
            "POST",
            "/w/{ws}/contacts/import",
            Workspace(Action::ManageSettings),
            "Preview or run a CSV import",
            post(contacts::import),
        )
        .add("GET", "/w/{ws}/contacts/{id}", Workspace(Action::ViewInbox), "A contact", get(contacts::show))
        .add("POST", "/w/{ws}/contacts/{id}", Workspace(Action::EditContacts), "Edit a contact", post(contacts::save))
        .add(
            "POST",
            "/w/{ws}/contacts/{id}/notes",
            Workspace(Action::EditContacts),
            "Add a note to a contact",
            post(contacts::note),
        )
        .add(
            "POST",
            "/w/{ws}/contacts/{id}/merge",
            Workspace(Action::EditContacts),
            "Merge another contact into this one",
            post(contacts::merge),
        )
        .add(
            "POST",
            "/w/{ws}/channels/{id}/toggle",
            Workspace(Action::ManageChannels),
            "Disable or enable a channel",
            post(inbox::toggle),
        )
}

/// After an action on a thread: back to the thread, or (for a refusal a person can act on) the
/// thread page with the reason, the text they wrote kept in the composer.
pub(crate) async fn thread_outcome<T>(
    s: &AppState,
    u: &frontdesk_platform::auth::SignedIn,
    a: &frontdesk_platform::workspaces::Access,
    w: &str,
    thread: &str,
    draft: String,
    r: Result<T, frontdesk_platform::AppError>,
) -> Result<Response, crate::kit::error::WebError> {
    use frontdesk_platform::error::ErrorKind;
    match r {
        Ok(_) => Ok(Redirect::to(&format!("/w/{w}/inbox/{thread}")).into_response()),
        Err(e) if e.kind != ErrorKind::Internal && e.kind != ErrorKind::NotFound => {
            let status = crate::kit::error::status_of(e.kind);
            let text = frontdesk_i18n::error_text(frontdesk_i18n::current(), e.code, &e.message);
            Ok((status, inbox::render_thread(s, u, a, w, thread, Some((draft, text))).await?).into_response())
        }
        Err(e) => Err(crate::kit::error::WebError::page(e)),
    }
}
