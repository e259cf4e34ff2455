//! The inbox's queries, one module per table family. Every function takes a connection (a
//! pooled one or a transaction), and every tenant query takes the `WorkspaceId` it is confined to.

pub mod assistant;
pub mod channels;
pub mod contacts;
pub mod dashboard;
pub mod inbox;
pub mod notifications;
pub mod refusals;
pub mod saved_replies;
pub mod webhooks;
pub mod workspace_settings;
