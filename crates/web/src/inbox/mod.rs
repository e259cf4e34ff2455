//! The inbox's routes: pages, provider webhooks, the web chat, the JSON API (threads,
//! contacts, channels, saved replies, outgoing webhooks, settings, attachments, the assistant).

pub(crate) mod api;
mod assistant_api;
mod attachments;
mod contacts_api;
pub(crate) mod pages;
mod settings_api;
mod webchat;
mod webhooks;

use crate::Table;

pub(crate) fn routes(t: Table) -> Table {
    let t = pages::routes(t);
    let t = webhooks::routes(t);
    let t = webchat::routes(t);
    let t = api::routes(t);
    let t = settings_api::routes(t);
    let t = attachments::routes(t);
    let t = contacts_api::routes(t);
    assistant_api::routes(t)
}
