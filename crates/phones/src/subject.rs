//! Cloud phones' part in data-subject requests. Devices, their minutes and their activity log
//! are about the team and its devices, never about a business's customers: a customer's
//! request finds nothing here and erases nothing (the registry's phone columns name members,
//! whose data goes with their account: an erased member's name leaves the activity log and
//! their leases end).

use frontdesk_platform::error::AppResult;
use frontdesk_platform::ports::{Erased, Fut, Held, Person, Subject};
use frontdesk_store::{row, Conn};

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
    fn erase_account<'a>(&'a self, c: &'a mut Conn, user: &'a frontdesk_core::UserId) -> Fut<'a, AppResult<Erased>> {
        Box::pin(async move {
            let actor = format!("user:{user}");
            row::execute(
                &mut *c,
                "UPDATE device_activity SET actor_name = NULL WHERE actor = $1 AND actor_name IS NOT NULL",
                actor.as_str(),
            )
            .await?;
            row::execute(
                &mut *c,
                "UPDATE devices SET lease_user_id = NULL, lease_name = NULL, lease_until = NULL, updated_at = updated_at + 1 \
                 WHERE lease_user_id = $1",
                actor.as_str(),
            )
            .await?;
            Ok(Erased::default())
        })
    }
}
