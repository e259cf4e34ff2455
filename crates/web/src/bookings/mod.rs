//! The bookings' routes: the catalog, free slots and bookings over JSON; the public booking page
//! and the customer's manage link; the staff's calendar, booking and catalog pages.

mod api;
pub(crate) mod pages;
pub(crate) mod public;

use crate::Table;

pub(crate) fn routes(t: Table) -> Table {
    let t = api::routes(t);
    let t = public::routes(t);
    pages::routes(t)
}
