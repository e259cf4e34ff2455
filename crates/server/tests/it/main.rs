//! The integration suite: the real server over real HTTP on loopback, on SQLite by default and
//! on PostgreSQL when `TEST_DATABASE_URL` is set.

mod assistant;
mod attachments;
mod audit;
mod auth;
mod cli;
mod helpers;
mod hours;
mod inbox;
mod intake_guard;
mod jobs;
mod notify;
mod nul;
mod outbox;
mod privacy;
mod providers;
mod security;
mod snapshot;
mod tenancy;
mod webchat;
mod webhooks;
mod workspaces;
