//! The bookings' routes: the catalog, free slots and bookings over JSON (pages come with the
//! booking page and the staff calendar).

mod api;
pub(crate) mod pages;

use crate::Table;

pub(crate) fn routes(t: Table) -> Table {
    pages::routes(api::routes(t))
}
