//! The customer's emails about a booking: confirmed (or requested, while the business has to
//! accept it), moved, cancelled or declined. Queued inside the change's own transaction, so a
//! mail goes out exactly when the change commits; From "<business> via <product>", Reply-To the
//! business's address, in the customer's language (the page they booked on, else the contact's,
//! else the business's), with the `.ics` attached while the booking stands.

use crate::repo::{self as q, Booking};
use crate::{catalog, ics, manage, Bookings};
use frontdesk_core::money::Money;
use frontdesk_core::time::LocalTimes;
use frontdesk_i18n::{tl, Lang};
use frontdesk_platform::mail::{self, Attachment, Mail};
use frontdesk_platform::{AppResult, Platform};
use frontdesk_store::Conn;

/// What happened to the booking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    Confirmed,
    /// Waiting for the business to accept it.
    Requested,
    Rescheduled,
    Cancelled,
    Declined,
    /// The day before (`bookings.reminder_hours`).
    Reminder,
}

impl Notice {
    /// The notice for a booking just made with this status (none for a hold).
    pub fn for_new(status: &str) -> Option<Self> {
        match status {
            "confirmed" => Some(Self::Confirmed),
            "pending" => Some(Self::Requested),
            _ => None,
        }
    }
    fn key(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Requested => "requested",
            Self::Rescheduled => "rescheduled",
            Self::Cancelled => "cancelled",
            Self::Declined => "declined",
            Self::Reminder => "reminder",
        }
    }
}

/// A first name, as far as one can tell.
pub fn first_name(name: &str) -> String {
    name.split_whitespace().next().unwrap_or("").to_string()
}

/// The booking's `.ics`: the service as its summary, the business and the customer's first
/// name in the description, the business's address as the location.
pub async fn calendar_file(b: &Bookings, c: &mut Conn, bk: &Booking, lang: Lang) -> AppResult<String> {
    let ws = &bk.workspace_id;
    let service = q::service(c, ws, &bk.service_id).await?.map(|s| s.name).unwrap_or_default();
    let business = frontdesk_platform::repo::workspaces::by_id(c, ws).await?.map(|w| w.name).unwrap_or_default();
    let profile = frontdesk_platform::profile::of(c, ws).await?;
    let first = first_name(bk.customer_name.as_deref().unwrap_or(""));
    let description = if first.is_empty() {
        tl!(lang, "book-ics-description", business = business.as_str())
    } else {
        tl!(lang, "book-ics-description-for", business = business.as_str(), name = first)
    };
    let p: &Platform = b.as_ref();
    let host = p.settings.base_url.split("://").nth(1).unwrap_or("frontdesk").split(['/', ':']).next().unwrap_or("");
    let uid = format!("booking-{}@{host}", bk.id);
    let event = ics::Event {
        uid: &uid,
        sequence: ((bk.updated_at - bk.created_at) / 1000).max(0),
        stamp: b.now().0,
        start: bk.starts_at,
        end: bk.ends_at,
        summary: &service,
        description: Some(&description),
        location: profile.address.as_deref(),
        cancelled: matches!(bk.status.as_str(), "cancelled" | "declined" | "expired"),
    };
    Ok(ics::calendar(&event, &p.settings.product_name))
}

/// A booking made from a conversation is confirmed there too: a reply in that thread, through
/// the policy gate as an automated notice (inside the channel's window; 24 h after the
/// customer's last message where the channel has none), once. Reminders and other changes are
/// never sent over a messenger: that would be the business writing first.
async fn in_thread(b: &Bookings, c: &mut Conn, bk: &Booking) -> AppResult<()> {
    let Some(thread) = &bk.thread_id else { return Ok(()) };
    let p: &Platform = b.as_ref();
    let ws = &bk.workspace_id;
    let contact = match &bk.contact_id {
        Some(cid) => frontdesk_inbox::repo::inbox::contact(c, ws, cid).await?,
        None => None,
    };
    let lang = lang_of(c, bk, contact.as_ref().and_then(|k| k.language.as_deref())).await?;
    let service = q::service(c, ws, &bk.service_id).await?.map(|s| s.name).unwrap_or_default();
    let business = frontdesk_platform::repo::workspaces::by_id(c, ws).await?.map(|w| w.name).unwrap_or_default();
    let when = LocalTimes::new(&bk.time_zone, b.now().0).in_lang(lang).exact(bk.starts_at);
    let text = tl!(
        lang,
        "book-notice-confirmed",
        business = business.as_str(),
        service = service.as_str(),
        when = when,
        link = manage::url(p, bk)
    );
    let key = format!("booking-confirmed:{}", bk.id);
    if let Some(d) = frontdesk_inbox::outbox::queue_notice(b, c, ws, thread, text, &key).await? {
        tracing::info!(booking = %bk.id, reason = d.code(), "booking confirmation not sent in the conversation");
    }
    Ok(())
}

/// The customer's language for a booking.
pub async fn lang_of(c: &mut Conn, bk: &Booking, contact_lang: Option<&str>) -> AppResult<Lang> {
    if let Some(l) = bk.lang.as_deref().and_then(Lang::parse) {
        return Ok(l);
    }
    frontdesk_inbox::customer_lang_in(c, &bk.workspace_id, contact_lang).await
}

/// Queues the customer's email about `bk` (nothing without an email address, or for a blocked
/// contact).
pub async fn queue(b: &Bookings, c: &mut Conn, bk: &Booking, notice: Notice) -> AppResult<()> {
    if notice == Notice::Confirmed {
        in_thread(b, c, bk).await?;
    }
    let p: &Platform = b.as_ref();
    let ws = &bk.workspace_id;
    let Some(cid) = &bk.contact_id else { return Ok(()) };
    let Some(contact) = frontdesk_inbox::repo::inbox::contact(c, ws, cid).await? else { return Ok(()) };
    if contact.blocked_at.is_some() {
        return Ok(());
    }
    let Some(to) = contact.email.clone().or_else(|| bk.customer_email.clone()) else { return Ok(()) };
    let lang = lang_of(c, bk, contact.language.as_deref()).await?;
    let business = frontdesk_platform::repo::workspaces::by_id(c, ws).await?.map(|w| w.name).unwrap_or_default();
    let profile = frontdesk_platform::profile::of(c, ws).await?;
    let service = q::service(c, ws, &bk.service_id).await?.map(|s| s.name).unwrap_or_default();
    let when = LocalTimes::new(&bk.time_zone, b.now().0).in_lang(lang).exact(bk.starts_at);
    let total = lang.money(Money::new(bk.total_minor, catalog::currency_of(&bk.currency)));
    let name = first_name(contact.name.as_deref().or(bk.customer_name.as_deref()).unwrap_or(""));
    let k = notice.key();
    let id = |part: &str| format!("book-mail-{k}-{part}");
    let mut text = String::new();
    if name.is_empty() {
        text.push_str(&tl!(lang, "book-mail-hello"));
    } else {
        text.push_str(&tl!(lang, "book-mail-hello-name", name = name.as_str()));
    }
    text.push_str("\n\n");
    text.push_str(&frontdesk_i18n::t(lang, &id("intro"), &[("business", business.as_str().into())]));
    text.push_str("\n\n");
    text.push_str(&format!("{service}\n{when}\n"));
    if bk.total_minor > 0 {
        text.push_str(&tl!(lang, "book-mail-total", total = total));
        text.push('\n');
    }
    let live = matches!(notice, Notice::Confirmed | Notice::Requested | Notice::Rescheduled | Notice::Reminder);
    if live {
        text.push('\n');
        text.push_str(&tl!(lang, "book-mail-manage", link = manage::url(p, bk)));
        text.push('\n');
    }
    if let Some(p) = profile.phone.as_deref().filter(|p| !p.is_empty()) {
        text.push('\n');
        text.push_str(&tl!(lang, "book-mail-questions", business = business.as_str(), phone = p));
        text.push('\n');
    }
    text.push_str(&format!("\n{business}\n"));
    let attachments =
        if matches!(notice, Notice::Confirmed | Notice::Rescheduled | Notice::Cancelled | Notice::Reminder) {
            let file = calendar_file(b, c, bk, lang).await?;
            vec![Attachment::new("booking.ics", "text/calendar; charset=utf-8; method=PUBLISH", file.as_bytes())]
        } else {
            vec![]
        };
    let mail = Mail {
        to,
        subject: frontdesk_i18n::t(
            lang,
            &id("subject"),
            &[("business", business.as_str().into()), ("service", service.as_str().into())],
        ),
        text,
        from_name: Some(tl!(
            lang,
            "book-mail-from",
            business = business.as_str(),
            product = p.settings.product_name.as_str()
        )),
        reply_to: profile.email.filter(|e| !e.is_empty()),
        attachments,
    };
    mail::enqueue(p, c, &mail).await
}
