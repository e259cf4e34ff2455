//! Cloud phones' part in data-subject requests. Devices, their minutes and their activity log
//! are about the team and its devices, never about a business's customers: a customer's
//! request finds nothing here and erases nothing (the registry's phone columns name members,
//! whose data goes with their account).

use frontdesk_platform::error::AppResult;
use frontdesk_platform::ports::{Erased, Fut, Held, Person, Subject};
use frontdesk_store::Conn;

/// Cloud phones as a data subject's area (registered by the server).
#[derive(Clone)]
pub struct PhonesSubject;

impl Subject for PhonesSubject {
    fn area(&self) -> &'static str {
        "phones"
    }
    fn export<'a>(&'a self, _: &'a mut Conn, _: &'a Person) -> Fut<'a, AppResult<Held>> {
        Box::pin(async { Ok(Held::default()) })
    }
    fn erase<'a>(&'a self, _: &'a mut Conn, _: &'a Person) -> Fut<'a, AppResult<Erased>> {
        Box::pin(async { Ok(Erased::default()) })
    }
}
