//! The platform's queries, one module per table family. Every function takes a connection (a
//! pooled one or a transaction), and every tenant query takes the `WorkspaceId` it is confined to.

pub mod audit;
pub mod jobs;
pub mod profiles;
pub mod users;
pub mod workspaces;
