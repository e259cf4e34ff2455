//! Billing's routes: payments and payment accounts over JSON, the providers' webhooks, the
//! customer's pay and receipt pages, and the staff's payment pages.

mod api;
mod memberships;
pub(crate) mod pages;
mod plans;
mod public;

use crate::Table;

pub(crate) fn routes(t: Table) -> Table {
    let t = api::routes(t);
    let t = public::routes(t);
    let t = plans::routes(t);
    let t = memberships::routes(t);
    pages::routes(t)
}
