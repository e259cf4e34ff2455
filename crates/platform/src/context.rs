//! Who is acting and from where: the client of a request and a signed-in person. Every other
//! platform module may use these; this one uses none of them.

use crate::repo::users::{Session, User};

/// Where a request came from.
#[derive(Clone, Debug, Default)]
pub struct Client {
    pub ip: String,
    pub user_agent: Option<String>,
    /// The device's IANA time zone, when a sign-in form reported it (security metadata on the
    /// session it opens).
    pub time_zone: Option<String>,
}

/// A signed-in person: their session and account.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub session: Session,
    pub user: User,
}
