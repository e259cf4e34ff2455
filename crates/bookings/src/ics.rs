//! Bookings as iCalendar (RFC 5545): a booking's file or a subscribed feed, events in UTC (so
//! they hold across daylight-saving changes without a VTIMEZONE), the service as its summary,
//! nothing of the customer but their first name. Written here rather than with a crate: it is
//! string formatting (escaping and 75-octet line folding), and the `icalendar` crate would bring
//! chrono for it.

use frontdesk_core::Timestamp;

/// What the file says.
pub struct Event<'a> {
    /// Stable across changes, so a calendar updates the event instead of adding another.
    pub uid: &'a str,
    /// Grows with every change (calendars keep the highest).
    pub sequence: i64,
    /// When the file was made.
    pub stamp: i64,
    pub start: i64,
    pub end: i64,
    pub summary: &'a str,
    pub description: Option<&'a str>,
    pub location: Option<&'a str>,
    pub cancelled: bool,
}

/// `20261202T090000Z`.
fn utc(ms: i64) -> String {
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(t) => t.strftime("%Y%m%dT%H%M%SZ").to_string(),
        Err(_) => "19700101T000000Z".into(),
    }
}

/// TEXT values escape backslash, semicolon, comma and newlines (RFC 5545 3.3.11).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded at 75 octets (never inside a UTF-8 character), ending in CRLF.
fn line(out: &mut String, text: &str) {
    let mut width = 0;
    for ch in text.chars() {
        let n = ch.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += n;
    }
    out.push_str("\r\n");
}

/// The calendar file of one event, by `product` (the PRODID's name).
pub fn calendar(e: &Event<'_>, product: &str) -> String {
    feed(std::slice::from_ref(e), product, None)
}

/// A calendar of many events (a subscribed feed), named `name` in the calendar's list.
pub fn feed(events: &[Event<'_>], product: &str, name: Option<&str>) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, &format!("PRODID:-//{}//Bookings//EN", escape(product).replace('/', "")));
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    if let Some(n) = name {
        line(&mut out, &format!("X-WR-CALNAME:{}", escape(n)));
        // Subscribed calendars look again about hourly.
        line(&mut out, "REFRESH-INTERVAL;VALUE=DURATION:PT1H");
        line(&mut out, "X-PUBLISHED-TTL:PT1H");
    }
    for e in events {
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}", escape(e.uid)));
        line(&mut out, &format!("SEQUENCE:{}", e.sequence.max(0)));
        line(&mut out, &format!("DTSTAMP:{}", utc(e.stamp)));
        line(&mut out, &format!("DTSTART:{}", utc(e.start)));
        line(&mut out, &format!("DTEND:{}", utc(e.end.max(e.start + Timestamp::MINUTE))));
        line(&mut out, &format!("SUMMARY:{}", escape(e.summary)));
        if let Some(d) = e.description.filter(|d| !d.trim().is_empty()) {
            line(&mut out, &format!("DESCRIPTION:{}", escape(d)));
        }
        if let Some(l) = e.location.filter(|l| !l.trim().is_empty()) {
            line(&mut out, &format!("LOCATION:{}", escape(l)));
        }
        line(&mut out, if e.cancelled { "STATUS:CANCELLED" } else { "STATUS:CONFIRMED" });
        line(&mut out, "TRANSP:OPAQUE");
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_is_utc_escaped_and_folded_with_crlf() {
        let start = Timestamp::parse_rfc3339("2026-12-02T10:00:00+01:00").unwrap().0;
        let long = "Corte y peinado, con lavado; ".repeat(4);
        let e = Event {
            uid: "booking-1@example.test",
            sequence: 2,
            stamp: start - Timestamp::DAY,
            start,
            end: start + 45 * Timestamp::MINUTE,
            summary: &long,
            description: Some("María\nSalón Lucía"),
            location: None,
            cancelled: false,
        };
        let ics = calendar(&e, "Frontdesk");
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"), "{ics}");
        assert!(ics.contains("\r\nDTSTART:20261202T090000Z\r\n"));
        assert!(ics.contains("\r\nDTEND:20261202T094500Z\r\n"));
        assert!(ics.contains("DESCRIPTION:María\\nSalón Lucía\r\n"));
        assert!(ics.contains("SUMMARY:Corte y peinado\\, con lavado\\; "));
        assert!(ics.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        for l in ics.split("\r\n") {
            assert!(l.len() <= 75, "a line longer than 75 octets: {l:?}");
            assert!(!l.contains('\n') && !l.contains('\r'));
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("SUMMARY:{}", escape(&long))));
    }
}
