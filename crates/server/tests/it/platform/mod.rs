//! The platform's behaviour over HTTP: accounts, sessions, 2FA, workspaces, roles, tokens, the
//! operator, audit, jobs, security layers, privacy of secrets, and the tenancy matrix.

mod accounts;
mod audit;
mod auth;
mod cli;
mod jobs;
mod language;
mod privacy;
mod profile;
mod security;
pub mod tenancy;
mod workspaces;
