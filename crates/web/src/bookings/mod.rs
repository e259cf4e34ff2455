//! The bookings' routes: the catalog, free slots and bookings over JSON; the public booking page
//! and the customer's manage link.

mod api;
mod public;

use crate::Table;

pub(crate) fn routes(t: Table) -> Table {
    let t = api::routes(t);
    public::routes(t)
}
