//! Tenancy and roles: for every route the server declares, a row here says who may call it.
//! Members and API tokens of workspace A, in every role, are tried against A (allowed exactly
//! when the permission matrix says so) and against workspace B (always "not found", and B is
//! left unchanged). A route missing from the table fails the test, so every new endpoint joins.

use crate::helpers::*;
use frontdesk_core::role::allows;
use frontdesk_core::{Action, Role};
use frontdesk_web::Access;
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

#[derive(Clone, Copy)]
enum Body {
    None,
    Json(&'static str),
    Form(&'static [(&'static str, &'static str)]),
}

use Access::*;
use Body::*;

const NAME: &[(&str, &str)] = &[("name", "Renamed")];
const ROLE: &[(&str, &str)] = &[("role", "viewer")];
const INVITE: &[(&str, &str)] = &[("email", "zoe@example.com"), ("role", "viewer")];
const TOKEN: &[(&str, &str)] = &[("name", "matrix"), ("role", "viewer")];
const PROFILE: &[(&str, &str)] =
    &[("name", "Renamed"), ("slug", "renamed-biz"), ("time_zone", "Europe/Madrid"), ("lang_es", "on")];

/// (method, path, who may call it, body used when calling it).
const TABLE: &[(&str, &str, Access, Body)] = &[
    ("GET", "/", Public, None),
    ("GET", "/healthz", Public, None),
    ("GET", "/readyz", Public, None),
    ("GET", "/metrics", Public, None),
    ("GET", "/signup", Public, None),
    ("POST", "/signup", Public, None),
    ("GET", "/verify-email", Public, None),
    ("POST", "/verify-email", Public, None),
    ("POST", "/verify-email/resend", Public, None),
    ("GET", "/login", Public, None),
    ("POST", "/login", Public, None),
    ("GET", "/login/2fa", Public, None),
    ("POST", "/login/2fa", Public, None),
    ("GET", "/forgot-password", Public, None),
    ("POST", "/forgot-password", Public, None),
    ("GET", "/reset-password", Public, None),
    ("POST", "/reset-password", Public, None),
    ("GET", "/invitations/{token}", Public, None),
    ("GET", "/files/{id}", Public, None),
    ("POST", "/invitations/{token}", Public, None),
    ("GET", "/api/openapi.json", Public, None),
    ("GET", "/login/link", Public, None),
    ("POST", "/login/link", Public, None),
    ("POST", "/login/link/confirm", Public, None),
    ("GET", "/auth/google", Public, None),
    ("GET", "/auth/google/callback", Public, None),
    ("GET", "/auth/google/link", Public, None),
    ("POST", "/auth/google/link", Public, None),
    ("GET", "/account/email", Public, None),
    ("POST", "/account/email/confirm", Public, None),
    ("POST", "/account/name", Account, None),
    ("POST", "/account/email", Account, None),
    ("POST", "/account/password", Account, None),
    ("POST", "/account/google", Account, None),
    ("POST", "/logout", Account, None),
    ("GET", "/account", Account, None),
    ("POST", "/account/notifications", Account, Form(&[("browser", "1")])),
    ("POST", "/account/preferences", Account, Form(&[("time_zone", ""), ("theme", "dark")])),
    ("GET", "/chat/{id}/config", Public, None),
    ("GET", "/chat/{id}/logo", Public, None),
    ("GET", "/assets/app.css", Public, None),
    ("GET", "/assets/app.js", Public, None),
    ("GET", "/home", Account, None),
    ("GET", "/help", Account, None),
    ("POST", "/account/sessions/{id}/revoke", Account, None),
    ("GET", "/account/2fa", Account, None),
    ("POST", "/account/2fa", Account, None),
    ("POST", "/account/2fa/disable", Account, None),
    ("GET", "/app", Account, None),
    ("POST", "/app/workspaces", Account, None),
    ("GET", "/api/v1/me", Account, None),
    ("GET", "/api/v1/sessions", Account, None),
    ("DELETE", "/api/v1/sessions/{id}", Account, None),
    ("GET", "/api/v1/workspaces", Account, None),
    ("POST", "/api/v1/workspaces", Account, None),
    ("POST", "/w/{ws}/switch", Workspace(Action::ViewWorkspace), None),
    ("GET", "/w/{ws}", Workspace(Action::ViewWorkspace), None),
    ("POST", "/w/{ws}/setup", Workspace(Action::ManageSettings), Form(&[("skip", "yes")])),
    ("GET", "/w/{ws}/settings/members", Workspace(Action::ViewWorkspace), None),
    ("GET", "/w/{ws}/settings/profile", Workspace(Action::ManageSettings), None),
    ("POST", "/w/{ws}/settings/profile", Workspace(Action::ManageSettings), Form(PROFILE)),
    ("POST", "/w/{ws}/settings/profile/logo", Workspace(Action::ManageSettings), None),
    ("POST", "/w/{ws}/settings/profile/logo/remove", Workspace(Action::ManageSettings), None),
    ("GET", "/w/{ws}/logo", Workspace(Action::ViewWorkspace), None),
    ("GET", "/w/{ws}/contacts", Workspace(Action::ViewInbox), None),
    ("POST", "/w/{ws}/contacts/labels", Workspace(Action::EditContacts), Form(&[("label", "vip")])),
    ("GET", "/w/{ws}/contacts.csv", Workspace(Action::ManageSettings), None),
    ("GET", "/w/{ws}/contacts/import", Workspace(Action::ManageSettings), None),
    ("POST", "/w/{ws}/contacts/import", Workspace(Action::ManageSettings), Form(&[("csv", "name\nAna\n")])),
    ("GET", "/w/{ws}/contacts/{id}", Workspace(Action::ViewInbox), None),
    ("POST", "/w/{ws}/contacts/{id}", Workspace(Action::EditContacts), Form(&[("name", "Ana")])),
    ("POST", "/w/{ws}/contacts/{id}/notes", Workspace(Action::EditContacts), Form(&[("body", "note")])),
    ("POST", "/w/{ws}/contacts/{id}/merge", Workspace(Action::EditContacts), Form(&[("other", "x")])),
    ("PUT", "/api/v1/contacts/{id}/labels", Current(Action::EditContacts), Json(r#"{"labels":["vip"]}"#)),
    ("GET", "/api/v1/contacts/{id}/notes", Current(Action::ViewInbox), None),
    ("POST", "/api/v1/contacts/{id}/notes", Current(Action::EditContacts), Json(r#"{"body":"hi"}"#)),
    ("GET", "/api/v1/contacts/{id}/matches", Current(Action::ViewInbox), None),
    ("POST", "/api/v1/contacts/{id}/merge", Current(Action::EditContacts), Json(r#"{"other":"x"}"#)),
    ("POST", "/api/v1/contacts/import", Current(Action::ManageSettings), None),
    ("GET", "/api/v1/contacts/export", Current(Action::ManageSettings), None),
    ("GET", "/api/v1/booking/resources", Current(Action::ViewBookings), None),
    ("POST", "/api/v1/booking/resources", Current(Action::ManageCatalog), Json(r#"{"kind":"staff","name":"X"}"#)),
    ("GET", "/api/v1/booking/resources/{id}", Current(Action::ViewBookings), None),
    ("PUT", "/api/v1/booking/resources/{id}", Current(Action::ManageCatalog), Json(r#"{"kind":"staff","name":"X"}"#)),
    ("GET", "/api/v1/booking/resources/{id}/exceptions", Current(Action::ViewBookings), None),
    (
        "PUT",
        "/api/v1/booking/resources/{id}/exceptions/{date}",
        Current(Action::ManageCatalog),
        Json(r#"{"ranges":[]}"#),
    ),
    ("DELETE", "/api/v1/booking/resources/{id}/exceptions/{date}", Current(Action::ManageCatalog), None),
    ("GET", "/api/v1/booking/resources/{id}/blocks", Current(Action::ViewBookings), None),
    (
        "POST",
        "/api/v1/booking/resources/{id}/blocks",
        Current(Action::ManageCatalog),
        Json(r#"{"start":"2030-01-01T10:00:00Z","end":"2030-01-01T11:00:00Z"}"#),
    ),
    ("DELETE", "/api/v1/booking/blocks/{id}", Current(Action::ManageCatalog), None),
    ("GET", "/api/v1/booking/services", Current(Action::ViewBookings), None),
    (
        "POST",
        "/api/v1/booking/services",
        Current(Action::ManageCatalog),
        Json(r#"{"name":"S","duration_min":30,"price":"10","resources":[]}"#),
    ),
    ("GET", "/api/v1/booking/services/{id}", Current(Action::ViewBookings), None),
    (
        "PUT",
        "/api/v1/booking/services/{id}",
        Current(Action::ManageCatalog),
        Json(r#"{"name":"S","duration_min":30,"price":"10","resources":[]}"#),
    ),
    ("GET", "/api/v1/booking/services/{id}/extras", Current(Action::ViewBookings), None),
    ("POST", "/api/v1/booking/services/{id}/extras", Current(Action::ManageCatalog), Json(r#"{"name":"E"}"#)),
    ("DELETE", "/api/v1/booking/extras/{id}", Current(Action::ManageCatalog), None),
    ("GET", "/api/v1/booking/services/{id}/requirements", Current(Action::ViewBookings), None),
    ("POST", "/api/v1/booking/services/{id}/requirements", Current(Action::ManageCatalog), Json(r#"{"label":"Q"}"#)),
    ("DELETE", "/api/v1/booking/requirements/{id}", Current(Action::ManageCatalog), None),
    ("GET", "/api/v1/booking/page", Current(Action::ManageCatalog), None),
    (
        "PUT",
        "/api/v1/booking/page",
        Current(Action::ManageCatalog),
        Json(r#"{"embed_origins":["https://salon.example"]}"#),
    ),
    ("GET", "/api/v1/booking/coupons", Current(Action::ManageCatalog), None),
    (
        "POST",
        "/api/v1/booking/coupons",
        Current(Action::ManageCatalog),
        Json(r#"{"code":"ABC","kind":"percent","value":"10"}"#),
    ),
    ("PUT", "/api/v1/booking/coupons/{id}", Current(Action::ManageCatalog), Json(r#"{"active":false}"#)),
    ("GET", "/api/v1/booking/slots", Current(Action::ViewBookings), None),
    ("GET", "/api/v1/bookings", Current(Action::ViewBookings), None),
    (
        "POST",
        "/api/v1/bookings",
        Current(Action::ManageBookings),
        Json(r#"{"service_id":"x","start":"2030-01-01T10:00:00Z"}"#),
    ),
    ("GET", "/api/v1/bookings/{id}", Current(Action::ViewBookings), None),
    ("POST", "/api/v1/bookings/{id}/{change}", Current(Action::ManageBookings), None),
    (
        "POST",
        "/api/v1/bookings/{id}/reschedule",
        Current(Action::ManageBookings),
        Json(r#"{"start":"2030-01-01T10:00:00Z"}"#),
    ),
    ("GET", "/book/{slug}", Public, None),
    ("POST", "/book/{slug}", Public, None),
    ("GET", "/book/{slug}/logo", Public, None),
    ("GET", "/book/manage/{token}", Public, None),
    ("POST", "/book/manage/{token}/reschedule", Public, None),
    ("POST", "/book/manage/{token}/cancel", Public, None),
    ("GET", "/book/manage/{token}/ics", Public, None),
    ("GET", "/calendars/{token}", Public, None),
    ("GET", "/api/v1/booking/feeds", Current(Action::ManageCatalog), None),
    ("POST", "/api/v1/booking/feeds/{target}", Current(Action::ManageCatalog), None),
    ("DELETE", "/api/v1/booking/feeds/{target}", Current(Action::ManageCatalog), None),
    ("GET", "/w/{ws}/settings/calendars", Workspace(Action::ManageCatalog), None),
    ("POST", "/w/{ws}/settings/resources/{id}/google", Workspace(Action::ManageCatalog), None),
    ("POST", "/w/{ws}/settings/resources/{id}/google/disconnect", Workspace(Action::ManageCatalog), None),
    ("GET", "/calendar/google/callback", Account, None),
    ("POST", "/w/{ws}/settings/calendars", Workspace(Action::ManageCatalog), Form(&[("target", "all")])),
    ("GET", "/assets/book.js", Public, None),
    ("GET", "/assets/book.css", Public, None),
    ("GET", "/w/{ws}/bookings", Workspace(Action::ViewBookings), None),
    ("GET", "/w/{ws}/bookings/events", Workspace(Action::ViewBookings), None),
    ("GET", "/assets/bookings.js", Public, None),
    ("GET", "/w/{ws}/bookings/new", Workspace(Action::ManageBookings), None),
    ("POST", "/w/{ws}/bookings", Workspace(Action::ManageBookings), Form(&[("service", "x")])),
    ("GET", "/w/{ws}/bookings/{id}", Workspace(Action::ViewBookings), None),
    ("POST", "/w/{ws}/bookings/{id}/status", Workspace(Action::ManageBookings), Form(&[("change", "confirm")])),
    (
        "POST",
        "/w/{ws}/bookings/{id}/reschedule",
        Workspace(Action::ManageBookings),
        Form(&[("slot", "2030-01-01T10:00:00Z|")]),
    ),
    ("GET", "/w/{ws}/settings/resources", Workspace(Action::ManageCatalog), None),
    ("POST", "/w/{ws}/settings/resources", Workspace(Action::ManageCatalog), Form(&[("kind", "staff"), ("name", "X")])),
    ("GET", "/w/{ws}/settings/resources/{id}", Workspace(Action::ManageCatalog), None),
    (
        "POST",
        "/w/{ws}/settings/resources/{id}",
        Workspace(Action::ManageCatalog),
        Form(&[("kind", "staff"), ("name", "X")]),
    ),
    (
        "POST",
        "/w/{ws}/settings/resources/{id}/exceptions",
        Workspace(Action::ManageCatalog),
        Form(&[("date", "2030-01-01")]),
    ),
    (
        "POST",
        "/w/{ws}/settings/resources/{id}/exceptions/delete",
        Workspace(Action::ManageCatalog),
        Form(&[("date", "2030-01-01")]),
    ),
    (
        "POST",
        "/w/{ws}/settings/resources/{id}/blocks",
        Workspace(Action::ManageCatalog),
        Form(&[("start", "2030-01-01T10:00"), ("end", "2030-01-01T11:00")]),
    ),
    (
        "POST",
        "/w/{ws}/settings/resources/{id}/blocks/delete",
        Workspace(Action::ManageCatalog),
        Form(&[("block", "x")]),
    ),
    ("GET", "/w/{ws}/settings/services", Workspace(Action::ManageCatalog), None),
    ("GET", "/w/{ws}/settings/services/new", Workspace(Action::ManageCatalog), None),
    ("POST", "/w/{ws}/settings/services", Workspace(Action::ManageCatalog), Form(&[("name", "S"), ("price", "10")])),
    ("GET", "/w/{ws}/settings/services/{id}", Workspace(Action::ManageCatalog), None),
    (
        "POST",
        "/w/{ws}/settings/services/{id}",
        Workspace(Action::ManageCatalog),
        Form(&[("name", "S"), ("price", "10")]),
    ),
    ("POST", "/w/{ws}/settings/services/{id}/extras", Workspace(Action::ManageCatalog), Form(&[("name", "E")])),
    ("POST", "/w/{ws}/settings/services/{id}/extras/remove", Workspace(Action::ManageCatalog), Form(&[("extra", "x")])),
    ("POST", "/w/{ws}/settings/services/{id}/questions", Workspace(Action::ManageCatalog), Form(&[("label", "Q")])),
    (
        "POST",
        "/w/{ws}/settings/services/{id}/questions/remove",
        Workspace(Action::ManageCatalog),
        Form(&[("question", "x")]),
    ),
    ("GET", "/w/{ws}/settings/booking-page", Workspace(Action::ManageCatalog), None),
    (
        "POST",
        "/w/{ws}/settings/booking-page",
        Workspace(Action::ManageCatalog),
        Form(&[("embed_origins", "https://salon.example")]),
    ),
    ("GET", "/w/{ws}/settings/coupons", Workspace(Action::ManageCatalog), None),
    (
        "POST",
        "/w/{ws}/settings/coupons",
        Workspace(Action::ManageCatalog),
        Form(&[("code", "ABC"), ("kind", "percent"), ("value", "10")]),
    ),
    ("POST", "/w/{ws}/settings/coupons/{id}/toggle", Workspace(Action::ManageCatalog), Form(&[("active", "off")])),
    ("GET", "/api/v1/payments", Current(Action::ViewPayments), None),
    (
        "POST",
        "/api/v1/payments",
        Current(Action::ManagePayments),
        Json(r#"{"booking_id":"none","amount_minor":500,"currency":"EUR"}"#),
    ),
    (
        "POST",
        "/api/v1/payments/manual",
        Current(Action::ManagePayments),
        Json(r#"{"amount_minor":500,"currency":"EUR","method":"cash"}"#),
    ),
    ("GET", "/api/v1/payments/{id}", Current(Action::ViewPayments), None),
    ("POST", "/api/v1/payments/{id}/refunds", Current(Action::ManagePayments), Json(r#"{"amount_minor":100}"#)),
    ("GET", "/api/v1/payment-accounts", Current(Action::ManagePayments), None),
    ("PUT", "/api/v1/payment-accounts/{provider}", Current(Action::ManagePayments), Json(r#"{"secret_key":"x"}"#)),
    ("DELETE", "/api/v1/payment-accounts/{provider}", Current(Action::ManagePayments), None),
    ("POST", "/webhooks/stripe/{account_id}", Public, None),
    ("GET", "/pay/{token}", Public, None),
    ("POST", "/pay/{token}", Public, None),
    ("GET", "/pay/{token}/return", Public, None),
    ("GET", "/pay/{token}/receipt", Public, None),
    ("GET", "/w/{ws}/payments", Workspace(Action::ViewPayments), None),
    (
        "POST",
        "/w/{ws}/payments/manual",
        Workspace(Action::ManagePayments),
        Form(&[("amount", "5"), ("method", "cash")]),
    ),
    ("GET", "/w/{ws}/payments/{id}", Workspace(Action::ViewPayments), None),
    ("POST", "/w/{ws}/payments/{id}/refund", Workspace(Action::ManagePayments), Form(&[("amount", "1")])),
    ("GET", "/w/{ws}/settings/payments", Workspace(Action::ManagePayments), None),
    ("POST", "/w/{ws}/settings/payments", Workspace(Action::ManagePayments), Form(&[("secret_key", "x")])),
    ("GET", "/api/v1/invoice-profile", Current(Action::ViewPayments), None),
    (
        "PUT",
        "/api/v1/invoice-profile",
        Current(Action::ManagePayments),
        Json(r#"{"legal_name":"Matrix S.L.","tax_id":"B1","tax_rates":["21"]}"#),
    ),
    ("GET", "/api/v1/invoices", Current(Action::ViewPayments), None),
    ("POST", "/api/v1/invoices", Current(Action::ManagePayments), Json(r#"{"lines":[]}"#)),
    ("GET", "/api/v1/invoices/{id}", Current(Action::ViewPayments), None),
    ("PUT", "/api/v1/invoices/{id}", Current(Action::ManagePayments), Json(r#"{"lines":[]}"#)),
    ("DELETE", "/api/v1/invoices/{id}", Current(Action::ManagePayments), None),
    ("POST", "/api/v1/invoices/{id}/issue", Current(Action::ManagePayments), Json("{}")),
    ("POST", "/api/v1/invoices/{id}/send", Current(Action::ManagePayments), None),
    ("POST", "/api/v1/invoices/{id}/credit-notes", Current(Action::ManagePayments), Json("{}")),
    ("GET", "/api/v1/invoices/{id}/pdf", Current(Action::ViewPayments), None),
    ("PUT", "/api/v1/contacts/{id}/tax-details", Current(Action::ManagePayments), Json(r#"{"tax_id":"X1"}"#)),
    ("GET", "/api/v1/invoice-exports/csv", Current(Action::ManagePayments), None),
    (
        "POST",
        "/api/v1/invoice-exports",
        Current(Action::ManagePayments),
        Json(r#"{"from":"2001-01-01","to":"2001-12-31"}"#),
    ),
    ("GET", "/api/v1/invoice-exports/{id}", Current(Action::ManagePayments), None),
    ("GET", "/api/v1/invoice-exports/{id}/zip", Current(Action::ManagePayments), None),
    ("GET", "/w/{ws}/invoices", Workspace(Action::ViewPayments), None),
    ("GET", "/w/{ws}/invoices/new", Workspace(Action::ManagePayments), None),
    ("POST", "/w/{ws}/invoices", Workspace(Action::ManagePayments), Form(&[("buyer_name", "X")])),
    ("GET", "/w/{ws}/invoices/export.csv", Workspace(Action::ManagePayments), None),
    (
        "POST",
        "/w/{ws}/invoices/exports",
        Workspace(Action::ManagePayments),
        Form(&[("from", "2001-01-01"), ("to", "2001-12-31")]),
    ),
    ("GET", "/w/{ws}/invoices/exports/{id}", Workspace(Action::ManagePayments), None),
    ("GET", "/w/{ws}/invoices/{id}", Workspace(Action::ViewPayments), None),
    ("POST", "/w/{ws}/invoices/{id}", Workspace(Action::ManagePayments), Form(&[("buyer_name", "X")])),
    ("POST", "/w/{ws}/invoices/{id}/issue", Workspace(Action::ManagePayments), Form(&[("issue_date", "")])),
    ("POST", "/w/{ws}/invoices/{id}/delete", Workspace(Action::ManagePayments), None),
    ("POST", "/w/{ws}/invoices/{id}/credit", Workspace(Action::ManagePayments), Form(&[("reason", "X")])),
    ("POST", "/w/{ws}/invoices/{id}/send", Workspace(Action::ManagePayments), None),
    ("GET", "/w/{ws}/invoices/{id}/pdf", Workspace(Action::ViewPayments), None),
    ("GET", "/w/{ws}/settings/invoices", Workspace(Action::ManagePayments), None),
    (
        "POST",
        "/w/{ws}/settings/invoices",
        Workspace(Action::ManagePayments),
        Form(&[("legal_name", "Matrix S.L."), ("tax_id", "B1")]),
    ),
    ("GET", "/invoices/{token}", Public, None),
    ("GET", "/invoices/{token}/pdf", Public, None),
    ("POST", "/invoices/{token}/pay", Public, None),
    ("GET", "/api/v1/billing", Current(Action::ViewPayments), None),
    ("GET", "/api/v1/billing/plans", Current(Action::ViewPayments), None),
    ("GET", "/api/v1/billing/wallet", Current(Action::ViewPayments), None),
    ("POST", "/api/v1/billing/topups", Current(Action::ManagePayments), Json(r#"{"amount_minor":1000}"#)),
    ("POST", "/api/v1/billing/subscription", Current(Action::ManagePayments), Json(r#"{"plan_id":"none"}"#)),
    ("POST", "/api/v1/billing/portal", Current(Action::ManagePayments), None),
    (
        "PUT",
        "/api/v1/billing/autotopup",
        Current(Action::ManagePayments),
        Json(r#"{"enabled":false,"threshold":"1.00","amount_minor":1000}"#),
    ),
    ("POST", "/api/v1/admin/plans", Operator, Json(r#"{"name":"P","monthly_price":"1"}"#)),
    ("POST", "/api/v1/admin/workspaces/{id}/wallet", Operator, Json(r#"{"amount":"1","reason":"r"}"#)),
    ("POST", "/webhooks/stripe/platform", Public, None),
    ("GET", "/admin/billing", Operator, None),
    ("POST", "/admin/billing/plans", Operator, Form(&[("name", "P"), ("monthly_price", "1")])),
    ("POST", "/admin/billing/workspaces/{id}/credit", Operator, Form(&[("amount", "1"), ("reason", "r")])),
    ("GET", "/w/{ws}/billing", Workspace(Action::ViewPayments), None),
    ("POST", "/w/{ws}/billing/topup", Workspace(Action::ManagePayments), Form(&[("amount", "5")])),
    ("POST", "/w/{ws}/billing/autotopup", Workspace(Action::ManagePayments), Form(&[("amount", "5")])),
    ("GET", "/api/v1/membership-plans", Current(Action::ViewBookings), None),
    (
        "POST",
        "/api/v1/membership-plans",
        Current(Action::ManageCatalog),
        Json(r#"{"kind":"pass","name":"P","price":"1","sessions":1,"valid_days":1,"service_ids":[]}"#),
    ),
    (
        "POST",
        "/api/v1/memberships",
        Current(Action::ManagePayments),
        Json(r#"{"plan_id":"none","contact_id":"none","method":"cash"}"#),
    ),
    ("GET", "/api/v1/contacts/{id}/memberships", Current(Action::ViewBookings), None),
    ("GET", "/memberships/{token}", Public, None),
    ("GET", "/api/v1/privacy/requests", Current(Action::HandlePrivacy), None),
    (
        "POST",
        "/api/v1/privacy/requests",
        Current(Action::HandlePrivacy),
        Json(r#"{"kind":"access","contact_id":"none","verified_how":"x"}"#),
    ),
    ("GET", "/api/v1/privacy/requests/{id}", Current(Action::HandlePrivacy), None),
    ("POST", "/api/v1/privacy/requests/{id}/verify", Current(Action::HandlePrivacy), Json(r#"{"how":"x"}"#)),
    ("POST", "/api/v1/privacy/requests/{id}/fulfil", Current(Action::HandlePrivacy), Json("{}")),
    ("POST", "/api/v1/privacy/requests/{id}/refuse", Current(Action::HandlePrivacy), Json(r#"{"note":"x"}"#)),
    ("POST", "/api/v1/privacy/requests/{id}/lift", Current(Action::HandlePrivacy), None),
    ("GET", "/api/v1/privacy/requests/{id}/export", Current(Action::HandlePrivacy), None),
    ("GET", "/api/v1/privacy/settings", Current(Action::HandlePrivacy), None),
    ("PUT", "/api/v1/privacy/settings", Current(Action::HandlePrivacy), Json(r#"{"data_role":"processor"}"#)),
    ("POST", "/api/v1/privacy/{slug}/requests", Public, None),
    ("GET", "/privacy/{slug}", Public, None),
    ("POST", "/privacy/{slug}", Public, None),
    ("GET", "/privacy/requests/{token}", Public, None),
    ("POST", "/privacy/requests/{token}/verify", Public, None),
    ("POST", "/privacy/requests/{token}/code", Public, None),
    ("GET", "/privacy/requests/{token}/export", Public, None),
    ("GET", "/w/{ws}/privacy", Workspace(Action::HandlePrivacy), None),
    ("POST", "/w/{ws}/privacy/settings", Workspace(Action::HandlePrivacy), Form(&[("data_role", "processor")])),
    ("POST", "/w/{ws}/privacy/{id}/{action}", Workspace(Action::HandlePrivacy), Form(&[("how", "x")])),
    ("GET", "/w/{ws}/privacy/{id}/export", Workspace(Action::HandlePrivacy), None),
    ("GET", "/admin/privacy", Operator, None),
    ("POST", "/admin/privacy/{id}/{action}", Operator, Form(&[("note", "x")])),
    ("GET", "/account/privacy", Account, None),
    ("POST", "/account/privacy", Account, Form(&[("kind", "access")])),
    ("GET", "/account/privacy/{id}/export", Account, None),
    ("POST", "/memberships/{token}/cancel", Public, None),
    ("GET", "/book/{slug}/passes", Public, None),
    ("POST", "/book/{slug}/passes", Public, None),
    ("GET", "/api/v1/profile", Current(Action::ViewWorkspace), None),
    ("PUT", "/api/v1/profile", Current(Action::ManageSettings), Json(r#"{"time_zone":"Europe/Madrid"}"#)),
    ("POST", "/w/{ws}/rename", Workspace(Action::RenameWorkspace), Form(NAME)),
    ("POST", "/w/{ws}/members/{user}/role", Workspace(Action::ChangeRoles), Form(ROLE)),
    ("POST", "/w/{ws}/members/{user}/remove", Workspace(Action::RemoveMembers), None),
    ("POST", "/w/{ws}/invitations", Workspace(Action::InviteMembers), Form(INVITE)),
    ("POST", "/w/{ws}/invitations/{id}/revoke", Workspace(Action::InviteMembers), None),
    ("POST", "/w/{ws}/tokens", Workspace(Action::ManageApiTokens), Form(TOKEN)),
    ("POST", "/w/{ws}/tokens/{id}/revoke", Workspace(Action::ManageApiTokens), None),
    ("GET", "/w/{ws}/audit", Workspace(Action::ViewAudit), None),
    ("GET", "/w/{ws}/inbox", Workspace(Action::ViewInbox), None),
    ("GET", "/w/{ws}/inbox/{id}", Workspace(Action::ViewInbox), None),
    ("POST", "/w/{ws}/inbox/{id}", Workspace(Action::TriageThreads), Form(&[("status", "open")])),
    ("POST", "/w/{ws}/inbox/{id}/notes", Workspace(Action::TriageThreads), Form(&[("body", "note")])),
    ("GET", "/w/{ws}/inbox/events", Workspace(Action::ViewInbox), None),
    ("POST", "/w/{ws}/inbox/{id}/reply", Workspace(Action::ViewInbox), Form(&[("text", "hello")])),
    ("POST", "/w/{ws}/inbox/{id}/attachments", Workspace(Action::ViewInbox), None),
    ("GET", "/w/{ws}/webhooks", Workspace(Action::ManageChannels), None),
    ("GET", "/w/{ws}/settings/hours", Workspace(Action::ManageSettings), None),
    ("POST", "/w/{ws}/inbox/{id}/drafts", Workspace(Action::SendMessages), None),
    ("POST", "/w/{ws}/drafts/{id}/send", Workspace(Action::ViewInbox), Form(&[("text", "hello")])),
    ("POST", "/w/{ws}/drafts/{id}/discard", Workspace(Action::SendMessages), None),
    ("POST", "/w/{ws}/inbox/{id}/assistant/resume", Workspace(Action::TriageThreads), None),
    ("GET", "/w/{ws}/settings/assistant", Workspace(Action::ManageSettings), None),
    ("POST", "/w/{ws}/settings/assistant", Workspace(Action::ManageSettings), Form(&[("mode", "draft")])),
    ("GET", "/w/{ws}/settings/knowledge", Workspace(Action::ManageSettings), None),
    ("POST", "/w/{ws}/settings/knowledge", Workspace(Action::ManageSettings), Form(&[("name", "Matrix")])),
    ("GET", "/w/{ws}/settings/assistant/ledger", Workspace(Action::ViewAudit), None),
    ("GET", "/w/{ws}/settings/assistant/ledger.csv", Workspace(Action::ViewAudit), None),
    ("POST", "/w/{ws}/settings/hours", Workspace(Action::ManageSettings), Form(&[("time_zone", "UTC")])),
    ("POST", "/w/{ws}/settings/hours/clear", Workspace(Action::ManageSettings), None),
    ("POST", "/w/{ws}/webhooks", Workspace(Action::ManageChannels), Form(&[("url", "https://hooks.example.com/y")])),
    ("POST", "/w/{ws}/webhooks/{id}/delete", Workspace(Action::ManageChannels), None),
    ("GET", "/w/{ws}/saved-replies", Workspace(Action::ViewInbox), None),
    (
        "POST",
        "/w/{ws}/saved-replies",
        Workspace(Action::TriageThreads),
        Form(&[("shortcut", "hours"), ("body", "We open at 9.")]),
    ),
    ("POST", "/w/{ws}/saved-replies/{id}/delete", Workspace(Action::TriageThreads), None),
    ("GET", "/w/{ws}/media/{id}", Workspace(Action::ViewInbox), None),
    ("GET", "/w/{ws}/channels", Workspace(Action::ViewInbox), None),
    ("POST", "/w/{ws}/channels", Workspace(Action::ManageChannels), Form(&[("name", "Chat")])),
    ("POST", "/w/{ws}/channels/{id}/toggle", Workspace(Action::ManageChannels), None),
    ("GET", "/api/v1/workspaces/{ws}", Workspace(Action::ViewWorkspace), None),
    ("PATCH", "/api/v1/workspaces/{ws}", Workspace(Action::RenameWorkspace), Json(r#"{"name":"Renamed"}"#)),
    ("GET", "/api/v1/workspaces/{ws}/members", Workspace(Action::ViewMembers), None),
    ("PATCH", "/api/v1/workspaces/{ws}/members/{user}", Workspace(Action::ChangeRoles), Json(r#"{"role":"viewer"}"#)),
    ("DELETE", "/api/v1/workspaces/{ws}/members/{user}", Workspace(Action::RemoveMembers), None),
    ("GET", "/api/v1/workspaces/{ws}/invitations", Workspace(Action::InviteMembers), None),
    (
        "POST",
        "/api/v1/workspaces/{ws}/invitations",
        Workspace(Action::InviteMembers),
        Json(r#"{"email":"zoe@example.com","role":"viewer"}"#),
    ),
    ("DELETE", "/api/v1/workspaces/{ws}/invitations/{id}", Workspace(Action::InviteMembers), None),
    ("GET", "/api/v1/workspaces/{ws}/api-tokens", Workspace(Action::ManageApiTokens), None),
    (
        "POST",
        "/api/v1/workspaces/{ws}/api-tokens",
        Workspace(Action::ManageApiTokens),
        Json(r#"{"name":"matrix","role":"viewer"}"#),
    ),
    ("DELETE", "/api/v1/workspaces/{ws}/api-tokens/{id}", Workspace(Action::ManageApiTokens), None),
    ("GET", "/api/v1/workspaces/{ws}/audit", Workspace(Action::ViewAudit), None),
    ("GET", "/chat/widget.js", Public, None),
    ("GET", "/assets/inbox.js", Public, None),
    ("POST", "/chat/{id}/conversations", Public, None),
    ("GET", "/chat/{id}/messages", Public, None),
    ("POST", "/chat/{id}/messages", Public, None),
    ("GET", "/chat/{id}/events", Public, None),
    ("GET", "/webhooks/whatsapp/{id}", Public, None),
    ("POST", "/webhooks/whatsapp/{id}", Public, None),
    ("GET", "/webhooks/instagram/{id}", Public, None),
    ("POST", "/webhooks/instagram/{id}", Public, None),
    ("POST", "/webhooks/telegram/{id}", Public, None),
    ("GET", "/webhooks/meta/{app_id}", Public, None),
    ("POST", "/webhooks/meta/{app_id}", Public, None),
    ("GET", "/api/v1/channels", Current(Action::ViewInbox), None),
    ("POST", "/api/v1/channels", Current(Action::ManageChannels), Json(r#"{"kind":"webchat","name":"Matrix"}"#)),
    ("GET", "/api/v1/channels/{id}", Current(Action::ViewInbox), None),
    ("PATCH", "/api/v1/channels/{id}", Current(Action::ManageChannels), Json(r#"{"name":"Renamed"}"#)),
    ("GET", "/api/v1/threads", Current(Action::ViewInbox), None),
    ("GET", "/api/v1/threads/{id}", Current(Action::ViewInbox), None),
    ("PATCH", "/api/v1/threads/{id}", Current(Action::TriageThreads), Json(r#"{"status":"open"}"#)),
    ("POST", "/api/v1/threads/{id}/notes", Current(Action::TriageThreads), Json(r#"{"body":"note"}"#)),
    ("POST", "/api/v1/threads/{id}/attachments", Current(Action::SendMessages), None),
    ("POST", "/api/v1/threads/{id}/messages", Current(Action::SendMessages), Json(r#"{"text":"hello"}"#)),
    ("POST", "/api/v1/threads/{id}/attachments", Current(Action::SendMessages), None),
    ("GET", "/api/v1/threads/{id}/reply", Current(Action::ViewInbox), None),
    ("GET", "/api/v1/webhooks", Current(Action::ManageChannels), None),
    ("GET", "/api/v1/business-hours", Current(Action::ViewInbox), None),
    ("GET", "/api/v1/assistant", Current(Action::ViewInbox), None),
    ("PUT", "/api/v1/assistant", Current(Action::ManageSettings), Json(r#"{"mode":"draft"}"#)),
    ("GET", "/api/v1/assistant/knowledge", Current(Action::ViewInbox), None),
    ("PUT", "/api/v1/assistant/knowledge", Current(Action::ManageSettings), Json(r#"{"profile":{"name":"Matrix"}}"#)),
    ("GET", "/api/v1/assistant/ledger", Current(Action::ViewAudit), None),
    ("GET", "/api/v1/threads/{id}/drafts", Current(Action::ViewInbox), None),
    ("POST", "/api/v1/threads/{id}/drafts", Current(Action::SendMessages), None),
    ("POST", "/api/v1/drafts/{id}/send", Current(Action::SendMessages), None),
    ("POST", "/api/v1/drafts/{id}/discard", Current(Action::SendMessages), None),
    ("POST", "/api/v1/threads/{id}/assistant/resume", Current(Action::TriageThreads), None),
    ("GET", "/api/v1/me/notifications", Current(Action::ViewInbox), None),
    ("PUT", "/api/v1/me/notifications", Current(Action::ViewInbox), Json(r#"{"browser":true}"#)),
    ("PUT", "/api/v1/business-hours", Current(Action::ManageSettings), Json(r#"{"hours":null}"#)),
    ("POST", "/api/v1/webhooks", Current(Action::ManageChannels), Json(r#"{"url":"https://hooks.example.com/x"}"#)),
    ("GET", "/api/v1/webhooks/{id}", Current(Action::ManageChannels), None),
    ("DELETE", "/api/v1/webhooks/{id}", Current(Action::ManageChannels), None),
    ("GET", "/api/v1/webhooks/{id}/deliveries", Current(Action::ManageChannels), None),
    ("GET", "/api/v1/saved-replies", Current(Action::ViewInbox), None),
    (
        "POST",
        "/api/v1/saved-replies",
        Current(Action::TriageThreads),
        Json(r#"{"shortcut":"hours","body":"We open at 9."}"#),
    ),
    ("PATCH", "/api/v1/saved-replies/{id}", Current(Action::TriageThreads), Json(r#"{"body":"We open at 10."}"#)),
    ("DELETE", "/api/v1/saved-replies/{id}", Current(Action::TriageThreads), None),
    ("GET", "/api/v1/threads/{id}/saved-replies", Current(Action::ViewInbox), None),
    ("GET", "/api/v1/contacts", Current(Action::ViewInbox), None),
    ("GET", "/api/v1/contacts/{id}", Current(Action::ViewInbox), None),
    ("PATCH", "/api/v1/contacts/{id}", Current(Action::EditContacts), Json(r#"{"name":"X"}"#)),
    ("GET", "/api/v1/contacts/{id}/consent", Current(Action::ViewInbox), None),
    ("GET", "/api/v1/media/{id}", Current(Action::ViewInbox), None),
    ("GET", "/api/v1/inbox/settings", Current(Action::ViewInbox), None),
    ("PATCH", "/api/v1/inbox/settings", Current(Action::ManageChannels), Json(r#"{"reopen_resolved":true}"#)),
    ("GET", "/api/v1/admin/inbound-events", Operator, None),
    ("GET", "/admin", Operator, None),
    ("POST", "/admin/users/{id}/suspend", Operator, None),
    ("POST", "/admin/users/{id}/restore", Operator, None),
    ("POST", "/admin/workspaces/{id}/suspend", Operator, None),
    ("POST", "/admin/workspaces/{id}/restore", Operator, None),
    ("GET", "/api/v1/admin/users", Operator, None),
    ("GET", "/api/v1/admin/workspaces", Operator, None),
    ("POST", "/api/v1/admin/users/{id}/suspend", Operator, None),
    ("POST", "/api/v1/admin/users/{id}/restore", Operator, None),
    ("POST", "/api/v1/admin/workspaces/{id}/suspend", Operator, None),
    ("POST", "/api/v1/admin/workspaces/{id}/restore", Operator, None),
    ("GET", "/api/v1/devices", Current(Action::ViewDevices), None),
    ("POST", "/api/v1/devices", Current(Action::ManageDevices), Json(r#"{"profile_id":"none","name":"X"}"#)),
    ("GET", "/api/v1/devices/{id}", Current(Action::ViewDevices), None),
    ("PATCH", "/api/v1/devices/{id}", Current(Action::ManageDevices), Json(r#"{"name":"X"}"#)),
    ("POST", "/api/v1/devices/{id}/start", Current(Action::UseDevices), None),
    ("POST", "/api/v1/devices/{id}/stop", Current(Action::UseDevices), None),
    ("POST", "/api/v1/devices/{id}/restart", Current(Action::UseDevices), None),
    ("POST", "/api/v1/devices/{id}/reset", Current(Action::ManageDevices), None),
    ("DELETE", "/api/v1/devices/{id}", Current(Action::ManageDevices), None),
    ("GET", "/api/v1/devices/{id}/usage", Current(Action::ViewDevices), None),
    ("GET", "/api/v1/devices/{id}/activity", Current(Action::ViewDevices), None),
    ("POST", "/api/v1/devices/{id}/lease", Current(Action::UseDevices), None),
    ("DELETE", "/api/v1/devices/{id}/lease", Current(Action::UseDevices), None),
    ("GET", "/api/v1/device-usage", Current(Action::ViewDevices), None),
    ("GET", "/api/v1/device-profiles", Current(Action::ViewDevices), None),
    ("GET", "/api/v1/phone-settings", Current(Action::ViewDevices), None),
    ("PUT", "/api/v1/phone-settings", Current(Action::ManageDevices), Json(r#"{"idle_stop_minutes":30}"#)),
    ("GET", "/api/v1/admin/phone-providers", Operator, None),
    ("POST", "/api/v1/admin/phone-providers", Operator, Json(r#"{"name":"P","kind":"adb","endpoint":"x"}"#)),
    ("POST", "/api/v1/admin/phone-providers/{id}/sync", Operator, None),
    ("GET", "/api/v1/admin/phone-profiles", Operator, None),
    (
        "POST",
        "/api/v1/admin/phone-profiles",
        Operator,
        Json(r#"{"provider_id":"x","name":"P","android_version":"13"}"#),
    ),
    ("GET", "/api/v1/admin/devices", Operator, None),
    ("POST", "/webhooks/geelark/{provider_id}", Public, None),
    ("GET", "/w/{ws}/devices", Workspace(Action::ViewDevices), None),
    ("POST", "/w/{ws}/devices", Workspace(Action::ManageDevices), Form(&[("name", "X")])),
    ("POST", "/w/{ws}/devices/settings", Workspace(Action::ManageDevices), Form(&[("idle_stop_minutes", "30")])),
    ("GET", "/w/{ws}/devices/{id}", Workspace(Action::ViewDevices), None),
    ("POST", "/w/{ws}/devices/{id}/action", Workspace(Action::UseDevices), Form(&[("do", "start")])),
    ("GET", "/admin/phones", Operator, None),
    ("POST", "/admin/phones/providers", Operator, Form(&[("name", "P")])),
    ("POST", "/admin/phones/profiles", Operator, Form(&[("name", "P")])),
    ("POST", "/admin/phones/providers/{id}/sync", Operator, None),
];

#[test]
fn every_route_is_in_the_tenancy_table() {
    let specs = frontdesk_web::route_specs();
    for s in &specs {
        let row = TABLE.iter().find(|(m, p, _, _)| *m == s.method && *p == s.path);
        let Some((_, _, access, _)) = row else {
            panic!("route {} {} is missing from the tenancy table", s.method, s.path)
        };
        assert_eq!(*access, s.access, "{} {} declares another access than the table", s.method, s.path);
    }
    for (m, p, _, _) in TABLE {
        assert!(specs.iter().any(|s| s.method == *m && s.path == *p), "table row {m} {p} matches no route");
    }
}

enum Who {
    Session(Client, Role),
    Token(String, Role),
}

impl Who {
    fn role(&self) -> Role {
        match self {
            Who::Session(_, r) | Who::Token(_, r) => *r,
        }
    }
    fn label(&self) -> String {
        match self {
            Who::Session(_, r) => format!("{r} session"),
            Who::Token(_, r) => format!("{r} token"),
        }
    }
}

async fn call(t: &TestApp, who: &Who, method: &str, path: &str, body: Body) -> (StatusCode, String) {
    let (client, bearer) = match who {
        Who::Session(c, _) => (c.clone(), Option::<String>::None),
        Who::Token(tok, _) => (t.client(), Some(tok.clone())),
    };
    let mut rb = client.request(Method::from_bytes(method.as_bytes()).unwrap(), t.url(path));
    if let Some(b) = bearer {
        rb = rb.bearer_auth(b);
    }
    rb = match body {
        None => rb,
        Json(j) => rb.header("content-type", "application/json").body(j),
        Form(f) => rb.form(f),
    };
    let r = rb.send().await.unwrap();
    let status = r.status();
    // A live event stream never ends: its status line is the answer.
    if r.headers().get("content-type").is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream")) {
        return (status, String::new());
    }
    (status, r.text().await.unwrap())
}

fn fill(path: &str, ws: &str, user: &str, id: &str) -> String {
    path.replace("{ws}", ws).replace("{user}", user).replace("{id}", id)
}

pub(crate) async fn member_user(t: &TestApp, ws: &str, email: &str, role: Role) -> Client {
    let id =
        frontdesk_platform::operator::create_user(t.app(), email, Option::<&str>::None, PASSWORD, false).await.unwrap();
    let mut c = t.app().db.conn().await.unwrap();
    let ws = frontdesk_core::WorkspaceId::parse(ws).unwrap();
    frontdesk_platform::repo::workspaces::add_member(&mut c, &ws, &id, role, t.app().now()).await.unwrap();
    let client = t.client();
    assert_eq!(t.login(&client, email, PASSWORD).await.status(), 303);
    client
}

async fn snapshot(owner: &Client, t: &TestApp, ws: &str) -> Value {
    let get = |p: String| async move { owner.get(t.url(&p)).send().await.unwrap().json::<Value>().await.unwrap() };
    let mut tokens = get(format!("/api/v1/workspaces/{ws}/api-tokens")).await;
    for tok in tokens.as_array_mut().unwrap() {
        tok.as_object_mut().unwrap().remove("last_used_at");
    }
    json!({
        "workspace": get(format!("/api/v1/workspaces/{ws}")).await,
        "members": get(format!("/api/v1/workspaces/{ws}/members")).await,
        "invitations": get(format!("/api/v1/workspaces/{ws}/invitations")).await,
        "tokens": tokens,
    })
}

#[tokio::test]
async fn members_and_tokens_of_a_reach_only_what_their_role_allows_and_nothing_of_b() {
    let t = spawn_app().await;
    let ana = t.signed_in_user("ana@example.com").await;
    let a = t.workspace(&ana, "Salon A").await;
    let bob = t.signed_in_user("bob@example.com").await;
    let b = t.workspace(&bob, "Studio B").await;

    // B's own objects, which A's callers will aim at.
    let bob_id = bob.get(t.url("/api/v1/me")).send().await.unwrap().json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let inv: Value = bob
        .post(t.url(&format!("/api/v1/workspaces/{b}/invitations")))
        .json(&json!({"email": "carl@example.com", "role": "agent"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let b_inv = inv["id"].as_str().unwrap().to_string();
    let tok: Value = bob
        .post(t.url(&format!("/api/v1/workspaces/{b}/api-tokens")))
        .json(&json!({"name": "b", "role": "admin"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let b_tok = tok["id"].as_str().unwrap().to_string();
    let bob_sessions: Value = bob.get(t.url("/api/v1/sessions")).send().await.unwrap().json().await.unwrap();
    let b_session = bob_sessions[0]["id"].as_str().unwrap().to_string();
    let before = snapshot(&bob, &t, &b).await;

    let mut callers = vec![Who::Session(ana.clone(), Role::Owner)];
    for (email, role) in
        [("adam@example.com", Role::Admin), ("agnes@example.com", Role::Agent), ("vera@example.com", Role::Viewer)]
    {
        callers.push(Who::Session(member_user(&t, &a, email, role).await, role));
    }
    for role in [Role::Admin, Role::Agent, Role::Viewer] {
        let r: Value = ana
            .post(t.url(&format!("/api/v1/workspaces/{a}/api-tokens")))
            .json(&json!({"name": format!("{role}"), "role": role}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        callers.push(Who::Token(r["token"].as_str().unwrap().to_string(), role));
    }

    let dummy = frontdesk_core::UserId::new().to_string();
    let mut checked = 0;
    for (method, path, access, body) in TABLE {
        for who in &callers {
            let what = format!("{} {method} {path}", who.label());
            match access {
                Workspace(action) => {
                    let page = !path.starts_with("/api/");
                    // Against B, with B's real ids: never found, whatever the role.
                    let (s, text) = call(
                        &t,
                        who,
                        method,
                        &fill(path, &b, &bob_id, if path.contains("invitations") { &b_inv } else { &b_tok }),
                        *body,
                    )
                    .await;
                    if page && matches!(who, Who::Token(..)) {
                        assert_eq!(s, 303, "{what} on B: pages take no tokens");
                    } else {
                        assert_eq!(s, 404, "{what} on B: {text}");
                        assert!(text.contains("workspace was not found"), "{what} on B: {text}");
                    }
                    // Against A, with ids that belong to B or to nobody.
                    let (s, text) = call(&t, who, method, &fill(path, &a, &dummy, &dummy), *body).await;
                    if page && matches!(who, Who::Token(..)) {
                        assert_eq!(s, 303, "{what}: pages take no tokens");
                    } else if allows(who.role(), *action) {
                        assert!(
                            s != 401 && s != 403 && !text.contains("workspace was not found"),
                            "{what} should be allowed: {s} {text}"
                        );
                        assert!(s.as_u16() < 500, "{what}: {s}");
                    } else {
                        assert_eq!(s, 403, "{what} should be forbidden: {text}");
                    }
                    if !(path.contains("{user}") || path.contains("{id}")) {
                        checked += 1;
                        continue;
                    }
                    let (s, _) = call(
                        &t,
                        who,
                        method,
                        &fill(path, &a, &bob_id, if path.contains("invitations") { &b_inv } else { &b_tok }),
                        *body,
                    )
                    .await;
                    assert!(s == 404 || s == 403 || s == 303, "{what} with B's object ids inside A: {s}");
                }
                // Signing out is tried last, below.
                Account if *path == "/logout" => continue,
                Account => {
                    let (s, _) = call(&t, who, method, &fill(path, &b, &bob_id, &b_session), *body).await;
                    if path.contains("{id}") {
                        assert!(s == 404 || s == 403 || s == 303, "{what} aimed at B's session: {s}");
                    }
                    assert!(s.as_u16() < 500, "{what}: {s}");
                }
                Operator => {
                    let (s, _) = call(&t, who, method, &fill(path, &b, &bob_id, &bob_id), *body).await;
                    assert!(s == 403 || (s == 303 && !path.starts_with("/api/")), "{what}: only operators: {s}");
                }
                Public => continue,
                // Acting in the caller's own workspace; B's objects are tried in the inbox tests.
                Current(action) => {
                    let (s, text) = call(&t, who, method, &fill(path, &a, &dummy, &dummy), *body).await;
                    if allows(who.role(), *action) {
                        assert!(s != 401 && s != 403, "{what} should be allowed: {s} {text}");
                        assert!(s.as_u16() < 500, "{what}: {s}");
                    } else {
                        assert_eq!(s, 403, "{what} should be forbidden: {text}");
                    }
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 200, "{checked}");
    // The workspace list shows only one's own workspaces.
    let list: Value = ana.get(t.url("/api/v1/workspaces")).send().await.unwrap().json().await.unwrap();
    assert!(list.as_array().unwrap().iter().all(|w| w["id"] != b.as_str()));
    for who in &callers {
        let (s, _) = call(&t, who, "POST", "/logout", None).await;
        assert!(s == 303 || s == 401, "{} sign-out: {s}", who.label());
    }
    // Nothing of B changed, and bob is still signed in.
    assert_eq!(snapshot(&bob, &t, &b).await, before);
    t.stop().await;
}
