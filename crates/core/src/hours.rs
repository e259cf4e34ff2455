//! Business hours: a weekly schedule in the workspace's time zone, with closed dates. Answers
//! "are we open now", "since when are we closed" (the away reply is sent once per closed
//! period and thread) and "when do we open again" (for the away reply's text).
//!
//! Times are wall-clock times in the workspace's IANA time zone; daylight-saving changes are
//! handled by the time-zone database (a 02:30 that does not exist on the spring-forward night
//! is taken as the next valid instant).

use crate::values::Invalid;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

pub const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
pub const MAX_RANGES: usize = 70;
pub const MAX_CLOSED_DATES: usize = 366;

/// One opening range on a weekday, as entered: `{"day":"mon","open":"09:00","close":"18:00"}`.
/// `close` may be `"24:00"` (until midnight).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    pub day: String,
    pub open: String,
    pub close: String,
}

/// The schedule as stored and shown (API and settings page).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub time_zone: String,
    #[serde(default)]
    pub ranges: Vec<Range>,
    /// Whole days closed (holidays), `YYYY-MM-DD` in the workspace's time zone.
    #[serde(default)]
    pub closed_dates: Vec<String>,
}

/// A checked schedule, ready to answer questions.
#[derive(Clone, Debug)]
pub struct Hours {
    tz: TimeZone,
    /// Per weekday (Monday first): (open, close) in minutes since midnight, sorted.
    week: [Vec<(u16, u16)>; 7],
    closed: Vec<Date>,
}

/// Open now, or closed (since the previous closing, until the next opening).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenState {
    Open { closes_at: i64 },
    Closed { since: Option<i64>, opens_at: Option<i64> },
}

fn minutes(field: &'static str, s: &str) -> Result<u16, Invalid> {
    let bad = || Invalid::new(field, "invalid_time", format!("\"{s}\" is not a time; use HH:MM, 00:00 to 24:00."));
    let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: u16 = h.parse().map_err(|_| bad())?;
    let m: u16 = m.parse().map_err(|_| bad())?;
    if m > 59 || h > 24 || (h == 24 && m > 0) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

fn hhmm(min: u16) -> String {
    format!("{:02}:{:02}", min / 60, min % 60)
}

impl Schedule {
    /// Checks and normalises the schedule: a known time zone, known day names, valid times
    /// with open before close, no overlapping ranges on a day, valid closed dates.
    pub fn check(&self) -> Result<(Schedule, Hours), Invalid> {
        let name = self.time_zone.trim();
        let tz = TimeZone::get(name).map_err(|_| {
            Invalid::new(
                "time_zone",
                "unknown_time_zone",
                format!("\"{name}\" is not a time zone; use a name like Europe/Madrid."),
            )
        })?;
        if self.ranges.len() > MAX_RANGES {
            return Err(Invalid::new("ranges", "too_many", format!("At most {MAX_RANGES} ranges.")));
        }
        let mut week: [Vec<(u16, u16)>; 7] = Default::default();
        for r in &self.ranges {
            let day = r.day.trim().to_ascii_lowercase();
            let d = DAYS.iter().position(|x| day.starts_with(x) && day.len() >= 3).ok_or_else(|| {
                Invalid::new("ranges", "invalid_day", format!("\"{}\" is not a day; use mon, tue, … sun.", r.day))
            })?;
            let (o, c) = (minutes("ranges", &r.open)?, minutes("ranges", &r.close)?);
            if o >= c {
                return Err(Invalid::new(
                    "ranges",
                    "invalid_range",
                    format!("{} {}–{}: opening must be before closing.", DAYS[d], r.open, r.close),
                ));
            }
            week[d].push((o, c));
        }
        for (d, spans) in week.iter_mut().enumerate() {
            spans.sort_unstable();
            if spans.windows(2).any(|w| w[1].0 < w[0].1) {
                return Err(Invalid::new("ranges", "overlapping_ranges", format!("Ranges on {} overlap.", DAYS[d])));
            }
        }
        if self.closed_dates.len() > MAX_CLOSED_DATES {
            return Err(Invalid::new("closed_dates", "too_many", format!("At most {MAX_CLOSED_DATES} closed dates.")));
        }
        let mut closed = Vec::new();
        for s in &self.closed_dates {
            let d: Date = s.trim().parse().map_err(|_| {
                Invalid::new("closed_dates", "invalid_date", format!("\"{s}\" is not a date; use YYYY-MM-DD."))
            })?;
            closed.push(d);
        }
        closed.sort_unstable();
        closed.dedup();
        let normal = Schedule {
            time_zone: name.to_string(),
            ranges: week
                .iter()
                .enumerate()
                .flat_map(|(d, spans)| {
                    spans.iter().map(move |&(o, c)| Range { day: DAYS[d].into(), open: hhmm(o), close: hhmm(c) })
                })
                .collect(),
            closed_dates: closed.iter().map(|d| d.to_string()).collect(),
        };
        Ok((normal, Hours { tz, week, closed }))
    }
}

impl Hours {
    /// The instant a wall-clock minute of a date happens (24:00 is the next day's midnight).
    fn instant(&self, date: Date, min: u16) -> Option<i64> {
        let (date, min) = if min >= 24 * 60 { (date.checked_add(1.day()).ok()?, 0) } else { (date, min) };
        let t = Time::new((min / 60) as i8, (min % 60) as i8, 0, 0).ok()?;
        let z = date.to_datetime(t).to_zoned(self.tz.clone()).ok()?;
        Some(z.timestamp().as_millisecond())
    }

    /// Opening intervals (ms) on the days around `now`, merged where one ends as the next
    /// begins (Monday until 24:00 and Tuesday from 00:00 are one interval).
    fn intervals(&self, now: i64) -> Vec<(i64, i64)> {
        let Ok(ts) = Timestamp::from_millisecond(now) else { return Vec::new() };
        let today = ts.to_zoned(self.tz.clone()).date();
        let mut out: Vec<(i64, i64)> = Vec::new();
        for offset in -8i64..=8 {
            let Ok(date) = today.checked_add(offset.days()) else { continue };
            if self.closed.binary_search(&date).is_ok() {
                continue;
            }
            let wd = date.weekday().to_monday_zero_offset() as usize;
            for &(o, c) in &self.week[wd] {
                if let (Some(a), Some(b)) = (self.instant(date, o), self.instant(date, c)) {
                    if a < b {
                        match out.last_mut() {
                            Some(last) if a <= last.1 => last.1 = last.1.max(b),
                            _ => out.push((a, b)),
                        }
                    }
                }
            }
        }
        out
    }

    pub fn state(&self, now: i64) -> OpenState {
        let iv = self.intervals(now);
        if let Some(&(_, end)) = iv.iter().find(|(a, b)| *a <= now && now < *b) {
            return OpenState::Open { closes_at: end };
        }
        OpenState::Closed {
            since: iv.iter().map(|x| x.1).filter(|&e| e <= now).max(),
            opens_at: iv.iter().map(|x| x.0).filter(|&s| s > now).min(),
        }
    }

    /// A wall-clock rendering of an instant in the workspace's zone: ("mon", "09:00").
    pub fn local(&self, at: i64) -> Option<(&'static str, String)> {
        let z = Timestamp::from_millisecond(at).ok()?.to_zoned(self.tz.clone());
        let wd = z.weekday().to_monday_zero_offset() as usize;
        Some((DAYS[wd], format!("{:02}:{:02}", z.hour(), z.minute())))
    }

    pub fn time_zone(&self) -> &str {
        self.tz.iana_name().unwrap_or("UTC")
    }

    /// Opening ranges per weekday (Monday first), in local minutes.
    pub fn week(&self) -> &[Vec<(u16, u16)>; 7] {
        &self.week
    }

    /// Closed dates, sorted.
    pub fn closed(&self) -> &[Date] {
        &self.closed
    }
}

/// The local date (`YYYY-MM-DD`) at an instant in a time zone.
pub fn local_date(time_zone: &str, at: i64) -> Option<String> {
    let tz = TimeZone::get(time_zone).ok()?;
    Some(Timestamp::from_millisecond(at).ok()?.to_zoned(tz).date().to_string())
}

/// The local date and time to the minute (`YYYY-MM-DD HH:MM`) at an instant in a time zone.
pub fn local_date_time(time_zone: &str, at: i64) -> Option<String> {
    let tz = TimeZone::get(time_zone).ok()?;
    let z = Timestamp::from_millisecond(at).ok()?.to_zoned(tz);
    Some(format!("{} {:02}:{:02} {}", z.date(), z.hour(), z.minute(), time_zone))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str, tz: &str) -> i64 {
        let dt: jiff::civil::DateTime = s.parse().unwrap();
        dt.to_zoned(TimeZone::get(tz).unwrap()).unwrap().timestamp().as_millisecond()
    }

    fn salon() -> Hours {
        let r = |day: &str, o: &str, c: &str| Range { day: day.into(), open: o.into(), close: c.into() };
        Schedule {
            time_zone: "Europe/Madrid".into(),
            ranges: vec![
                r("mon", "09:00", "14:00"),
                r("mon", "16:00", "20:00"),
                r("tue", "09:00", "20:00"),
                r("sat", "10:00", "14:00"),
            ],
            closed_dates: vec!["2026-12-25".into()],
        }
        .check()
        .unwrap()
        .1
    }

    #[test]
    fn open_and_closed_in_the_workspace_zone() {
        let h = salon();
        // 2026-11-23 is a Monday.
        let tz = "Europe/Madrid";
        assert_eq!(h.state(at("2026-11-23T10:00", tz)), OpenState::Open { closes_at: at("2026-11-23T14:00", tz) });
        assert_eq!(
            h.state(at("2026-11-23T15:00", tz)),
            OpenState::Closed { since: Some(at("2026-11-23T14:00", tz)), opens_at: Some(at("2026-11-23T16:00", tz)) }
        );
        // Saturday afternoon until Monday morning is one closed period.
        let since = Some(at("2026-11-28T14:00", tz));
        let opens = Some(at("2026-11-30T09:00", tz));
        assert_eq!(h.state(at("2026-11-28T18:00", tz)), OpenState::Closed { since, opens_at: opens });
        assert_eq!(h.state(at("2026-11-29T12:00", tz)), OpenState::Closed { since, opens_at: opens });
        // 09:30 UTC is 10:30 in Madrid.
        assert!(matches!(h.state(at("2026-11-24T09:30", "UTC")), OpenState::Open { .. }));
        assert_eq!(h.local(at("2026-11-30T09:00", tz)), Some(("mon", "09:00".into())));
    }

    #[test]
    fn closed_dates_close_the_whole_day() {
        let h = salon();
        // 2026-12-25 is a Friday (closed anyway); 2026-12-22 a Tuesday, open.
        assert!(matches!(h.state(at("2026-12-22T12:00", "Europe/Madrid")), OpenState::Open { .. }));
        let mut s = Schedule {
            time_zone: "Europe/Madrid".into(),
            ranges: vec![Range { day: "tue".into(), open: "09:00".into(), close: "20:00".into() }],
            closed_dates: vec!["2026-12-22".into()],
        };
        let h = s.check().unwrap().1;
        assert!(matches!(h.state(at("2026-12-22T12:00", "Europe/Madrid")), OpenState::Closed { .. }));
        s.closed_dates.clear();
        assert!(matches!(s.check().unwrap().1.state(at("2026-12-22T12:00", "Europe/Madrid")), OpenState::Open { .. }));
    }

    #[test]
    fn midnight_ranges_merge_and_dst_is_followed() {
        let r = |day: &str, o: &str, c: &str| Range { day: day.into(), open: o.into(), close: c.into() };
        let h = Schedule {
            time_zone: "America/New_York".into(),
            ranges: vec![r("sat", "18:00", "24:00"), r("sun", "00:00", "02:00")],
            closed_dates: vec![],
        }
        .check()
        .unwrap()
        .1;
        let tz = "America/New_York";
        assert_eq!(h.state(at("2026-11-28T23:30", tz)), OpenState::Open { closes_at: at("2026-11-29T02:00", tz) });
        // 2026-11-01 is the end of DST in New York: Saturday 18:00 EDT is 22:00 UTC.
        assert_eq!(
            h.state(at("2026-10-31T21:00", "UTC")),
            OpenState::Closed {
                since: Some(at("2026-10-25T02:00", tz)),
                opens_at: Some(at("2026-10-31T22:00", "UTC"))
            }
        );
    }

    #[test]
    fn bad_schedules_are_refused_with_a_code() {
        let r = |day: &str, o: &str, c: &str| Range { day: day.into(), open: o.into(), close: c.into() };
        let check = |tz: &str, ranges: Vec<Range>, dates: Vec<&str>| {
            Schedule { time_zone: tz.into(), ranges, closed_dates: dates.into_iter().map(String::from).collect() }
                .check()
                .err()
                .map(|e| e.code)
        };
        assert_eq!(check("Mars/Olympus", vec![], vec![]), Some("unknown_time_zone"));
        assert_eq!(check("UTC", vec![r("funday", "09:00", "10:00")], vec![]), Some("invalid_day"));
        assert_eq!(check("UTC", vec![r("mon", "9", "10:00")], vec![]), Some("invalid_time"));
        assert_eq!(check("UTC", vec![r("mon", "25:00", "26:00")], vec![]), Some("invalid_time"));
        assert_eq!(check("UTC", vec![r("mon", "10:00", "09:00")], vec![]), Some("invalid_range"));
        assert_eq!(
            check("UTC", vec![r("mon", "09:00", "12:00"), r("monday", "11:00", "13:00")], vec![]),
            Some("overlapping_ranges")
        );
        assert_eq!(check("UTC", vec![], vec!["25/12/2026"]), Some("invalid_date"));
        assert_eq!(check("UTC", vec![r("Monday", "9:00", "24:00")], vec![]), None);
        // No ranges at all: always closed, never opens.
        let h = Schedule { time_zone: "UTC".into(), ..Default::default() }.check().unwrap().1;
        assert_eq!(h.state(0), OpenState::Closed { since: None, opens_at: None });
    }

    #[test]
    fn the_schedule_is_normalised() {
        let r = |day: &str, o: &str, c: &str| Range { day: day.into(), open: o.into(), close: c.into() };
        let (s, _) = Schedule {
            time_zone: " UTC ".into(),
            ranges: vec![r("Tuesday", "9:00", "12:00"), r("MON", "13:00", "14:00")],
            closed_dates: vec!["2026-12-25".into(), "2026-01-01".into(), "2026-12-25".into()],
        }
        .check()
        .unwrap();
        assert_eq!(s.time_zone, "UTC");
        assert_eq!(s.ranges, vec![r("mon", "13:00", "14:00"), r("tue", "09:00", "12:00")]);
        assert_eq!(s.closed_dates, vec!["2026-01-01", "2026-12-25"]);
    }
}
