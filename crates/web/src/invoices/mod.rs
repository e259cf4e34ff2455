//! Invoices' routes: the JSON API, the customer's invoice page, and the staff's pages.

mod api;
mod pages;
mod public;

use crate::Table;

pub(crate) fn routes(t: Table) -> Table {
    let t = api::routes(t);
    let t = public::routes(t);
    pages::routes(t)
}
