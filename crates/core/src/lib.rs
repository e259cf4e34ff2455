//! Frontdesk's pure domain: typed ids, parsed values, roles and the permission matrix,
//! the audit hash chain and the personal-data registry. No I/O lives here.

pub mod audit;
pub mod hours;
pub mod ids;
pub mod inbox;
pub mod lang;
pub mod money;
pub mod netguard;
pub mod phone;
pub mod pii;
pub mod policy;
pub mod profile;
pub mod role;
pub mod slots;
pub mod text;
pub mod time;
pub mod values;

pub use ids::*;
pub use role::{Action, Role};
pub use time::Timestamp;
pub use values::{Email, Invalid, Password, WorkspaceName};
