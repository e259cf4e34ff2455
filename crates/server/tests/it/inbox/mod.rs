//! The inbox's behaviour over HTTP: intake from every provider, replies and the outbox, files,
//! hours, notifications, outgoing webhooks, the web chat, the assistant; loopback fakes of the
//! providers' APIs live in `providers`.

mod assistant;
mod attachments;
mod contacts;
mod hours;
pub mod intake;
mod intake_guard;
mod language;
mod notify;
mod nul;
pub mod outbox;
pub mod providers;
pub mod webchat;
mod webhooks;
