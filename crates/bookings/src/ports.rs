//! What the bookings give the areas below them: a contact's bookings on their page, bookings
//! moved on a merge, and free slots for the assistant.

use crate::repo as q;
use crate::slots::{self, SlotQuery};
use crate::Bookings;
use frontdesk_core::{ContactId, WorkspaceId};
use frontdesk_platform::ports::{ContactFacts, ContactMerged, ContactSection, Fut, OfferedSlot, SlotSource};
use frontdesk_platform::AppResult;
use frontdesk_store::Conn;

/// The bookings' ports, registered by the server.
#[derive(Clone)]
pub struct BookingPorts(pub Bookings);

impl ContactFacts for BookingPorts {
    fn section<'a>(
        &'a self,
        c: &'a mut Conn,
        ws: &'a WorkspaceId,
        contact: &'a ContactId,
    ) -> Fut<'a, AppResult<Option<ContactSection>>> {
        Box::pin(async move {
            let list = q::contact_bookings(c, ws, contact).await?;
            if list.is_empty() {
                return Ok(None);
            }
            let services = q::services(c, ws).await?;
            let lines = list
                .iter()
                .map(|b| {
                    let name = services.iter().find(|s| s.id == b.service_id).map(|s| s.name.as_str()).unwrap_or("");
                    let tz = jiff::tz::TimeZone::get(&b.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
                    let when = slots::offset_time(&tz, b.starts_at).replace('T', " ");
                    let status = frontdesk_i18n::t!("bookings-status", status = b.status.as_str());
                    format!("{} · {name} · {status}", &when[..16.min(when.len())])
                })
                .collect();
            // In the page's language: the contact page asks inside its request.
            Ok(Some(ContactSection { title: frontdesk_i18n::t!("bookings-nav"), lines }))
        })
    }
}

impl ContactMerged for BookingPorts {
    fn merged<'a>(
        &'a self,
        c: &'a mut Conn,
        ws: &'a WorkspaceId,
        kept: &'a ContactId,
        gone: &'a ContactId,
    ) -> Fut<'a, AppResult<()>> {
        Box::pin(async move { Ok(q::move_contact(c, ws, kept, gone).await?) })
    }
}

impl SlotSource for BookingPorts {
    fn offer<'a>(&'a self, ws: &'a WorkspaceId, days: i64) -> Fut<'a, AppResult<Vec<OfferedSlot>>> {
        Box::pin(async move {
            let b = &self.0;
            let services = {
                let mut c = b.db.conn().await?;
                q::services(&mut c, ws).await?
            };
            let mut out = vec![];
            for s in services.iter().filter(|s| s.active && !s.hidden && s.unit == "slot") {
                let query = SlotQuery { service_id: s.id.to_string(), to: None, from: None, ..Default::default() };
                let mut query = query;
                let today = jiff::Timestamp::from_millisecond(b.now().0)
                    .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
                    .ok();
                if let Some(d) = today.and_then(|d| d.checked_add(jiff::Span::new().days(days.clamp(1, 30) - 1)).ok()) {
                    query.to = Some(d.to_string());
                }
                let free = slots::free(b, ws, &query, true).await?;
                // At most 8 a day, spread over the day, so "tomorrow afternoon" finds some.
                let mut days: Vec<(String, Vec<String>)> = vec![];
                for f in free {
                    let day = f.start[..10].to_string();
                    let start = f.start[..16].replace('T', " ");
                    match days.last_mut() {
                        Some((d, v)) if *d == day => v.push(start),
                        _ => days.push((day, vec![start])),
                    }
                }
                for (_, v) in days {
                    let n = v.len().min(8);
                    for k in 0..n {
                        out.push(OfferedSlot { service: s.name.clone(), start: v[k * v.len() / n].clone() });
                    }
                }
                if out.len() >= 120 {
                    break;
                }
            }
            Ok(out)
        })
    }
}
