//! The platform's routes: pages and JSON API for accounts, workspaces, members, invitations,
//! tokens, audit and the operator.

mod api;
pub(crate) mod pages;
mod profile_api;

use crate::Table;

pub(crate) fn routes(t: Table) -> Table {
    let t = pages::routes(t);
    let t = profile_api::routes(t);
    api::routes(t)
}
