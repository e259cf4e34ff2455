//! Calendar arithmetic and formatting without reading any clock: civil dates, weekdays,
//! `HH:MM` times, prices and durations rendered in English or Spanish.

use crate::knowledge::Weekday;
use crate::lang::Lang;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Date {
    pub y: i32,
    pub m: u32,
    pub d: u32,
}

pub(crate) fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub(crate) fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    pub fn new(y: i32, m: u32, d: u32) -> Option<Date> {
        ((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m) && (1..=9999).contains(&y)).then_some(Date {
            y,
            m,
            d,
        })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let y = s.get(0..4)?.parse().ok()?;
        let m = s.get(5..7)?.parse().ok()?;
        let d = s.get(8..10)?.parse().ok()?;
        if !s[0..4].bytes().chain(s[5..7].bytes()).chain(s[8..10].bytes()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        Date::new(y, m, d)
    }

    /// Days since 1970-01-01 (proleptic Gregorian).
    pub fn days(self) -> i64 {
        let y = i64::from(self.y) - i64::from(self.m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.m);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
        Date { y, m, d }
    }

    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday
        Weekday::ALL[(self.days() + 3).rem_euclid(7) as usize]
    }

    pub fn add_days(self, n: i64) -> Date {
        Date::from_days(self.days() + n)
    }
}

/// Parses `HH:MM` (24 h) into minutes since midnight; `24:00` is accepted as the end of day.
pub(crate) fn parse_hhmm(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

pub(crate) fn fmt_hhmm(min: u32) -> String {
    format!("{:02}:{:02}", min / 60, min % 60)
}

/// Parses a slot start `YYYY-MM-DD HH:MM` (also with a `T`).
pub(crate) fn parse_slot(s: &str) -> Option<(Date, u32)> {
    let s = s.trim();
    let (d, t) = s.split_once([' ', 'T'])?;
    Some((Date::parse(d)?, parse_hhmm(t.trim().get(0..5)?)?))
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

/// Month number from a folded word (English or Spanish, full or abbreviated).
pub(crate) fn month_from_word(w: &str) -> Option<u32> {
    let w = w.trim_end_matches('.');
    for (i, (en, es)) in MONTHS_EN.iter().zip(MONTHS_ES.iter()).enumerate() {
        let en = en.to_ascii_lowercase();
        if w == en || w == *es || (w.len() >= 3 && (en.starts_with(w) || es.starts_with(w)) && w.len() <= 4) {
            return Some(i as u32 + 1);
        }
    }
    match w {
        "setiembre" | "sept" => Some(9),
        _ => None,
    }
}

pub(crate) fn weekday_name(day: Weekday, lang: Lang) -> &'static str {
    let i = day.index();
    match lang {
        Lang::En => ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][i],
        Lang::Es => ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"][i],
    }
}

/// "Friday 25 December 2026" / "viernes 25 de diciembre de 2026".
pub(crate) fn fmt_date(d: Date, lang: Lang, weekday: bool, year: bool) -> String {
    let wd = weekday_name(d.weekday(), lang);
    match lang {
        Lang::En => {
            let mut s = if weekday { format!("{wd} ") } else { String::new() };
            s.push_str(&format!("{} {}", d.d, MONTHS_EN[d.m as usize - 1]));
            if year {
                s.push_str(&format!(" {}", d.y));
            }
            s
        }
        Lang::Es => {
            let mut s = if weekday { format!("{wd} ") } else { String::new() };
            s.push_str(&format!("{} de {}", d.d, MONTHS_ES[d.m as usize - 1]));
            if year {
                s.push_str(&format!(" de {}", d.y));
            }
            s
        }
    }
}

fn group_thousands(n: i64, sep: char) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

/// "€35.00" / "35,00 €"; other currencies by symbol or code.
pub(crate) fn fmt_money(cents: i64, currency: &str, lang: Lang) -> String {
    let units = cents / 100;
    let frac = (cents % 100).abs();
    let cur = currency.trim().to_ascii_uppercase();
    let sym = match cur.as_str() {
        "EUR" | "" => Some("€"),
        "USD" => Some("$"),
        "GBP" => Some("£"),
        _ => None,
    };
    match lang {
        Lang::En => {
            let n = format!("{}.{frac:02}", group_thousands(units, ','));
            match sym {
                Some(s) => format!("{s}{n}"),
                None => format!("{n} {cur}"),
            }
        }
        Lang::Es => {
            let n = format!("{},{frac:02}", group_thousands(units, '.'));
            format!("{n} {}", sym.map(str::to_string).unwrap_or(cur))
        }
    }
}

/// "45 minutes" / "45 minutos" (kept in minutes so it matches the knowledge literally).
pub(crate) fn fmt_duration(min: u32, lang: Lang) -> String {
    match (lang, min) {
        (Lang::En, 1) => "1 minute".into(),
        (Lang::Es, 1) => "1 minuto".into(),
        (Lang::En, m) => format!("{m} minutes"),
        (Lang::Es, m) => format!("{m} minutos"),
    }
}

/// Joins a list: "a, b and c" / "a, b y c".
pub(crate) fn join_list(items: &[String], lang: Lang) -> String {
    let and = match lang {
        Lang::En => " and ",
        Lang::Es => " y ",
    };
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{}{and}{}", items[..n - 1].join(", "), items[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_and_day_counts() {
        assert_eq!(Date::parse("1970-01-01").unwrap().days(), 0);
        assert_eq!(Date::parse("2026-12-25").unwrap().weekday(), Weekday::Fri);
        assert_eq!(Date::parse("2026-11-24").unwrap().weekday(), Weekday::Tue);
        assert_eq!(Date::parse("2000-02-29").unwrap().weekday(), Weekday::Tue);
        for z in [-800_000i64, -1, 0, 1, 20_000, 1_000_000] {
            assert_eq!(Date::from_days(z).days(), z);
        }
        assert_eq!(Date::parse("2026-12-31").unwrap().add_days(1), Date::parse("2027-01-01").unwrap());
        assert!(Date::parse("2026-02-29").is_none());
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2026-13-01").is_none());
        assert!(Date::parse("26-12-2026").is_none());
    }

    #[test]
    fn times_and_slots() {
        assert_eq!(parse_hhmm("09:00"), Some(540));
        assert_eq!(parse_hhmm("9:30"), Some(570));
        assert_eq!(parse_hhmm("24:00"), Some(1440));
        assert_eq!(parse_hhmm("24:30"), None);
        assert_eq!(parse_hhmm("10:60"), None);
        assert_eq!(parse_hhmm("1000"), None);
        assert_eq!(fmt_hhmm(545), "09:05");
        let (d, t) = parse_slot("2026-11-24 10:00").unwrap();
        assert_eq!((d.m, d.d, t), (11, 24, 600));
        assert!(parse_slot("tomorrow 10:00").is_none());
    }

    #[test]
    fn money_and_dates_in_both_languages() {
        assert_eq!(fmt_money(3500, "EUR", Lang::En), "€35.00");
        assert_eq!(fmt_money(3500, "EUR", Lang::Es), "35,00 €");
        assert_eq!(fmt_money(123_456, "EUR", Lang::En), "€1,234.56");
        assert_eq!(fmt_money(123_456, "EUR", Lang::Es), "1.234,56 €");
        assert_eq!(fmt_money(999, "CHF", Lang::En), "9.99 CHF");
        let d = Date::parse("2026-12-25").unwrap();
        assert_eq!(fmt_date(d, Lang::En, true, true), "Friday 25 December 2026");
        assert_eq!(fmt_date(d, Lang::Es, true, true), "viernes 25 de diciembre de 2026");
        assert_eq!(month_from_word("dic"), Some(12));
        assert_eq!(month_from_word("december"), Some(12));
        assert_eq!(month_from_word("enero"), Some(1));
        assert_eq!(month_from_word("mar"), Some(3));
        assert_eq!(month_from_word("marzipan"), None);
    }
}
