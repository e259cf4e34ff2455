//! The phones' routes: devices over JSON and as pages, the operator's providers, profiles and
//! pool, and GeeLark's callbacks.

mod api;
mod pages;

use crate::Table;

pub(crate) fn routes(t: Table) -> Table {
    pages::routes(api::routes(t))
}
