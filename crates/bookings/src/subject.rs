//! Bookings' part in data-subject requests: a customer's bookings (service, times, status,
//! what they typed and answered) exported as JSON; erasure keeps each booking's times, service
//! and amounts (the calendar and the accounts stay whole) and, by the registry, anonymises the
//! name, clears the email, phone, notes, cancellation reason and IP, clears the change log's
//! details and deletes the answers to the service's questions.

use crate::Bookings;
use frontdesk_platform::error::AppResult;
use frontdesk_platform::ports::{Erased, Fut, Held, Person, Subject};
use frontdesk_store::{row, Conn};
use serde_json::{json, Value};

/// Bookings as a data subject's area (registered by the server).
#[derive(Clone)]
pub struct BookingsSubject(pub Bookings);

const OF: &str = "SELECT id FROM bookings WHERE workspace_id = $1 AND contact_id = $2";

async fn export(c: &mut Conn, who: &Person) -> AppResult<Held> {
    let args = (&who.workspace, who.contact.as_str());
    let bookings: Vec<Value> = row::all_with(
        c,
        "SELECT b.id, s.name AS service, b.status, b.starts_at, b.ends_at, b.time_zone, b.total_minor, b.currency, \
         b.customer_name, b.customer_email, b.customer_phone, b.notes, b.cancel_reason, b.created_at \
         FROM bookings b JOIN booking_services s ON s.id = b.service_id \
         WHERE b.workspace_id = $1 AND b.contact_id = $2 ORDER BY b.starts_at",
        args,
        |r| {
            let t = |k: &str| row::opt_str(r, k);
            let n = |k: &str| row::opt_i64(r, k);
            Ok(json!({ "id": t("id"), "service": t("service"), "status": t("status"), "starts_at": n("starts_at"),
                "ends_at": n("ends_at"), "time_zone": t("time_zone"), "total_minor": n("total_minor"),
                "currency": t("currency"), "name": t("customer_name"), "email": t("customer_email"),
                "phone": t("customer_phone"), "notes": t("notes"), "cancel_reason": t("cancel_reason"),
                "created_at": n("created_at") }))
        },
    )
    .await?;
    let answers: Vec<Value> = row::all_with(
        c,
        &format!("SELECT booking_id, label, value FROM booking_answers WHERE workspace_id = $1 AND booking_id IN ({OF})"),
        args,
        |r| Ok(json!({ "booking_id": row::opt_str(r, "booking_id"), "question": row::opt_str(r, "label"), "answer": row::opt_str(r, "value") })),
    )
    .await?;
    let mut held = Held::default();
    if !bookings.is_empty() {
        held.files.push(("bookings.json".into(), json!({ "bookings": bookings, "answers": answers })));
    }
    Ok(held)
}

async fn erase(c: &mut Conn, who: &Person) -> AppResult<Erased> {
    let args = || (&who.workspace, who.contact.as_str());
    let mut done = Erased::default();
    for sql in [
        format!("DELETE FROM booking_answers WHERE workspace_id = $1 AND booking_id IN ({OF})"),
        format!("UPDATE booking_events SET detail = NULL WHERE workspace_id = $1 AND booking_id IN ({OF}) AND detail IS NOT NULL"),
        "UPDATE bookings SET customer_name = 'Erased', customer_email = NULL, customer_phone = NULL, notes = NULL, \
         cancel_reason = NULL, client_ip = NULL, visitor = NULL WHERE workspace_id = $1 AND contact_id = $2 \
         AND (customer_name IS NULL OR customer_name <> 'Erased' OR customer_email IS NOT NULL OR customer_phone IS NOT NULL \
         OR notes IS NOT NULL OR cancel_reason IS NOT NULL OR client_ip IS NOT NULL)"
            .to_string(),
    ] {
        done.rows += row::changed(c, &sql, args()).await?;
    }
    Ok(done)
}

impl Subject for BookingsSubject {
    fn area(&self) -> &'static str {
        "bookings"
    }
    fn export<'a>(&'a self, c: &'a mut Conn, who: &'a Person) -> Fut<'a, AppResult<Held>> {
        Box::pin(export(c, who))
    }
    fn erase<'a>(&'a self, c: &'a mut Conn, who: &'a Person) -> Fut<'a, AppResult<Erased>> {
        Box::pin(erase(c, who))
    }
    fn erase_account<'a>(&'a self, c: &'a mut Conn, user: &'a frontdesk_core::UserId) -> Fut<'a, AppResult<Erased>> {
        Box::pin(async move {
            // The staff resource stays (it is the business's calendar); its link to the account goes.
            row::execute(&mut *c, "UPDATE booking_resources SET user_id = NULL WHERE user_id = $1", user).await?;
            Ok(Erased::default())
        })
    }
}
