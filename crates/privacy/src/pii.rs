//! The privacy area's slice of the personal-data registry. A request's email and what the
//! requester wrote name them; they are cleared when their data is erased (the row stays as the
//! record that the request was answered).

use frontdesk_core::pii::Category::*;
use frontdesk_core::pii::Class::*;
use frontdesk_core::pii::Entry;
use frontdesk_core::pii::Erasure::*;
use frontdesk_core::pii::Retention::*;

pub const SLICE: &[Entry] = &[
    ("privacy_requests", "id", NotPersonal),
    ("privacy_requests", "workspace_id", NotPersonal),
    ("privacy_requests", "contact_id", NotPersonal),
    ("privacy_requests", "user_id", NotPersonal),
    ("privacy_requests", "kind", NotPersonal),
    ("privacy_requests", "status", NotPersonal),
    ("privacy_requests", "email", Personal(Identity, Clear, Workspace)),
    ("privacy_requests", "details", Personal(Content, Clear, Workspace)),
    ("privacy_requests", "lang", NotPersonal),
    ("privacy_requests", "source", NotPersonal),
    ("privacy_requests", "code_hash", NotPersonal),
    ("privacy_requests", "code_expires_at", NotPersonal),
    ("privacy_requests", "code_tries", NotPersonal),
    ("privacy_requests", "codes_sent", NotPersonal),
    ("privacy_requests", "verified_at", NotPersonal),
    // How staff checked who they are ("in person, ID card"): about the check, not the person.
    ("privacy_requests", "verified_how", NotPersonal),
    ("privacy_requests", "due_at", NotPersonal),
    ("privacy_requests", "outcome", Personal(Content, Clear, Workspace)),
    ("privacy_requests", "export_key", NotPersonal),
    ("privacy_requests", "export_expires_at", NotPersonal),
    ("privacy_requests", "reminded", NotPersonal),
    ("privacy_requests", "done_at", NotPersonal),
    ("privacy_requests", "created_at", NotPersonal),
    ("privacy_requests", "updated_at", NotPersonal),
];
