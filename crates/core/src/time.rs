//! One timestamp encoding for every table and backend: UTC milliseconds since the Unix epoch.

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub const SECOND: i64 = 1000;
    pub const MINUTE: i64 = 60 * Self::SECOND;
    pub const HOUR: i64 = 60 * Self::MINUTE;
    pub const DAY: i64 = 24 * Self::HOUR;

    pub fn millis(self) -> i64 {
        self.0
    }
    pub fn plus_millis(self, ms: i64) -> Self {
        Self(self.0.saturating_add(ms))
    }
    pub fn plus_secs(self, s: i64) -> Self {
        self.plus_millis(s.saturating_mul(Self::SECOND))
    }
    pub fn unix_secs(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// RFC 3339 in UTC (`2026-11-22T10:00:00.000Z`), for JSON and pages.
    pub fn to_rfc3339(self) -> String {
        let secs = self.0.div_euclid(1000);
        let ms = self.0.rem_euclid(1000);
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{ms:03}Z", rem / 3600, (rem % 3600) / 60, rem % 60)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`; `None` for anything else.
    pub fn parse_rfc3339(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() < 20
            || b[4] != b'-'
            || b[7] != b'-'
            || !matches!(b[10], b'T' | b't' | b' ')
            || b[13] != b':'
            || b[16] != b':'
        {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            let t = s.get(r)?;
            t.chars().all(|c| c.is_ascii_digit()).then(|| t.parse().ok()).flatten()
        };
        let (y, mo, d, h, mi, se) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
        if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
            return None;
        }
        let mut rest = &s[19..];
        let mut ms = 0;
        if let Some(frac) = rest.strip_prefix('.') {
            let n = frac.chars().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return None;
            }
            let digits = &frac[..n];
            ms = format!("{:0<3}", &digits[..n.min(3)]).parse::<i64>().ok()?;
            rest = &frac[n..];
        }
        let offset = match rest {
            "Z" | "z" => 0,
            o if o.len() == 6 && (o.starts_with('+') || o.starts_with('-')) && &o[3..4] == ":" => {
                let oh: i64 = o[1..3].parse().ok()?;
                let om: i64 = o[4..6].parse().ok()?;
                let v = oh * 3600 + om * 60;
                if o.starts_with('-') {
                    -v
                } else {
                    v
                }
            }
            _ => return None,
        };
        let days = days_from_civil(y, mo as u32, d as u32);
        let secs = days * 86_400 + h * 3600 + mi * 60 + se - offset;
        Some(Self(secs * 1000 + ms))
    }
}

/// A proleptic Gregorian date to days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(Timestamp(0).to_rfc3339(), "1970-01-01T00:00:00.000Z");
        assert_eq!(Timestamp(1_795_000_000_123).to_rfc3339(), "2026-11-18T11:06:40.123Z");
        assert_eq!(Timestamp(951_782_400_000).to_rfc3339(), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn parses_what_it_formats_and_offsets() {
        for ms in [0, 1_795_000_000_123, 951_782_400_000, -86_400_000] {
            assert_eq!(Timestamp::parse_rfc3339(&Timestamp(ms).to_rfc3339()), Some(Timestamp(ms)));
        }
        assert_eq!(Timestamp::parse_rfc3339("2026-11-18T12:06:40+01:00"), Some(Timestamp(1_795_000_000_000)));
        for bad in [
            "",
            "2026-11-18",
            "2026-13-01T00:00:00Z",
            "2026-11-18T10:00:00",
            "2026-11-18T10:00:00.Z",
            "x026-11-18T10:00:00Z",
        ] {
            assert_eq!(Timestamp::parse_rfc3339(bad), None, "{bad}");
        }
    }
}

/// Instants shown to a person: in one time zone, relative to one "now".
#[derive(Clone, Debug)]
pub struct LocalTimes {
    tz: jiff::tz::TimeZone,
    now: i64,
    lang: crate::lang::Lang,
}

impl LocalTimes {
    /// In `time_zone` (UTC when it is not a known zone), relative to `now` (ms).
    pub fn new(time_zone: &str, now: i64) -> Self {
        Self {
            tz: jiff::tz::TimeZone::get(time_zone).unwrap_or(jiff::tz::TimeZone::UTC),
            now,
            lang: crate::lang::Lang::En,
        }
    }
    /// The same, with the words and order of `lang` (`2 dic 2026`, `hace 5 min`).
    pub fn in_lang(mut self, lang: crate::lang::Lang) -> Self {
        self.lang = lang;
        self
    }
    pub fn lang(&self) -> crate::lang::Lang {
        self.lang
    }
    fn day_month(&self, z: &jiff::Zoned) -> String {
        format!("{} {}", z.day(), self.lang.months()[(z.month() - 1) as usize])
    }
    fn weekday(&self, z: &jiff::Zoned) -> &'static str {
        self.lang.weekdays()[(z.weekday().to_monday_zero_offset()) as usize]
    }
    pub fn time_zone(&self) -> &str {
        self.tz.iana_name().unwrap_or("UTC")
    }
    pub fn now(&self) -> i64 {
        self.now
    }
    fn zoned(&self, ms: i64) -> Option<jiff::Zoned> {
        Some(jiff::Timestamp::from_millisecond(ms).ok()?.to_zoned(self.tz.clone()))
    }
    /// The exact local time with its zone's abbreviation: `2 Dec 2026, 10:30 CET`.
    pub fn exact(&self, ms: i64) -> String {
        match self.zoned(ms) {
            Some(z) => format!("{} {}, {}", self.day_month(&z), z.year(), z.strftime("%H:%M %Z")),
            None => Timestamp(ms).to_rfc3339(),
        }
    }
    /// A short local time for lists: `10:30` today, `Mon 10:30` this week, else `2 Dec` (or
    /// `2 Dec 2025` in another year).
    pub fn short(&self, ms: i64) -> String {
        let (Some(z), Some(n)) = (self.zoned(ms), self.zoned(self.now)) else { return self.exact(ms) };
        let days = (n.date() - z.date()).get_days();
        if z.date() == n.date() {
            z.strftime("%H:%M").to_string()
        } else if (0..7).contains(&days) && (self.now - ms) < 7 * Timestamp::DAY {
            format!("{} {}", self.weekday(&z), z.strftime("%H:%M"))
        } else if z.year() == n.year() {
            self.day_month(&z)
        } else {
            format!("{} {}", self.day_month(&z), z.year())
        }
    }
    /// How long ago (or from now): `just now`, `5 min ago`, `3 h ago`, `2 days ago`, `in 4 h`.
    pub fn relative(&self, ms: i64) -> String {
        use crate::lang::Lang;
        let d = self.now - ms;
        let (future, d) = (d < 0, d.unsigned_abs() as i64);
        let es = self.lang == Lang::Es;
        let text = if d < Timestamp::MINUTE {
            return if es { "ahora mismo" } else { "just now" }.into();
        } else if d < Timestamp::HOUR {
            format!("{} min", d / Timestamp::MINUTE)
        } else if d < Timestamp::DAY {
            format!("{} h", d / Timestamp::HOUR)
        } else {
            match (d / Timestamp::DAY, es) {
                (1, false) => "1 day".to_string(),
                (1, true) => "1 día".to_string(),
                (n, false) => format!("{n} days"),
                (n, true) => format!("{n} días"),
            }
        };
        match (future, es) {
            (true, false) => format!("in {text}"),
            (false, false) => format!("{text} ago"),
            (true, true) => format!("dentro de {text}"),
            (false, true) => format!("hace {text}"),
        }
    }
}

#[cfg(test)]
mod local_tests {
    use super::*;

    #[test]
    fn local_times_follow_the_zone_and_its_summer_time() {
        // 2026-07-01 08:00 UTC is 10:00 in Madrid (CEST); 2026-12-01 09:00 UTC is 10:00 (CET).
        let summer = Timestamp::parse_rfc3339("2026-07-01T08:00:00Z").unwrap().0;
        let winter = Timestamp::parse_rfc3339("2026-12-01T09:00:00Z").unwrap().0;
        let t = LocalTimes::new("Europe/Madrid", winter + 5 * Timestamp::MINUTE);
        assert_eq!(t.exact(summer), "1 Jul 2026, 10:00 CEST");
        assert_eq!(t.exact(winter), "1 Dec 2026, 10:00 CET");
        assert_eq!(t.short(winter), "10:00");
        assert_eq!(t.short(winter - Timestamp::DAY), "Mon 10:00");
        assert_eq!(t.short(summer), "1 Jul");
        assert_eq!(t.relative(winter), "5 min ago");
        assert_eq!(t.relative(winter + Timestamp::HOUR), "in 55 min");
        assert_eq!(t.relative(winter + 4 * Timestamp::MINUTE + 30_000), "just now");
        assert_eq!(LocalTimes::new("Nowhere/City", 0).time_zone(), "UTC");
        let es = t.clone().in_lang(crate::lang::Lang::Es);
        assert_eq!(es.exact(winter), "1 dic 2026, 10:00 CET");
        assert_eq!(es.short(winter - Timestamp::DAY), "lun 10:00");
        assert_eq!(es.relative(winter), "hace 5 min");
        assert_eq!(es.relative(winter + Timestamp::HOUR), "dentro de 55 min");
        assert_eq!(es.relative(winter - 3 * Timestamp::DAY), "hace 3 días");
    }
}
